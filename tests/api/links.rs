//! Typed fields across slices: a conversion's objects, an opportunity's contact, company and
//! lead, shown only to callers who may see them.

use kernel::Role;
use serde_json::json;
use test_support::TestApp;

use crate::crm_fixtures::contact;

#[tokio::test]
async fn a_conversion_returns_its_contact_company_and_opportunity() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let lead = acme
        .admin
        .gql("mutation { createLead(data: { firstName: \"Ada\", lastName: \"Byron\", email: \"ada@engines.example\", company: \"Engines\" }) { id } }", json!({}))
        .await;
    let id = lead.at("/createLead/id").clone();
    let converted = acme
        .admin
        .gql(
            "mutation($id: UUID!) { convertLead(id: $id, data: { opportunityName: \"Engines deal\", value: \"1000\" }) {
               contact { email } company { name } opportunity { name contact { email } company { name } lead { id } } } }",
            json!({ "id": id }),
        )
        .await;
    let result = converted.at("/convertLead");
    assert_eq!(result["contact"]["email"], "ada@engines.example");
    assert_eq!(result["company"]["name"], "Engines");
    assert_eq!(result["opportunity"]["name"], "Engines deal");
    assert_eq!(
        result["opportunity"]["contact"]["email"],
        "ada@engines.example"
    );
    assert_eq!(result["opportunity"]["company"]["name"], "Engines");
    assert_eq!(result["opportunity"]["lead"]["id"], id);
}

#[tokio::test]
async fn linked_objects_follow_the_callers_visibility() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let admins_contact = contact(
        &acme.admin,
        json!({ "firstName": "Hidden", "email": "hidden@x.io" }),
    )
    .await;
    let deal = rep
        .gql("mutation($c: UUID!) { createOpportunity(data: { name: \"Mine\", value: \"10\", contactId: $c }) { id } }", json!({ "c": admins_contact }))
        .await;
    let id = deal.at("/createOpportunity/id").clone();
    let query = "query($id: UUID!) { opportunity(id: $id) { contact { email } } }";
    assert_eq!(
        rep.gql(query, json!({ "id": id }))
            .await
            .at("/opportunity/contact/email"),
        "hidden@x.io"
    );
    acme.admin
        .gql(
            "mutation { updateOrganization(data: { salesRepVisibility: OWN }) { name } }",
            json!({}),
        )
        .await
        .data();
    assert!(
        rep.gql(query, json!({ "id": id }))
            .await
            .at("/opportunity/contact")
            .is_null()
    );
    assert_eq!(
        acme.admin
            .gql(query, json!({ "id": id }))
            .await
            .at("/opportunity/contact/email"),
        "hidden@x.io"
    );
}
