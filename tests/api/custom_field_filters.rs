//! Contacts filter on custom field values, the same on SQLite and PostgreSQL.

use serde_json::{Value, json};
use test_support::TestApp;

use crate::crm_fixtures::contact;

async fn define(
    app_user: &test_support::TestUser,
    key: &str,
    field_type: &str,
    options: Option<Value>,
) {
    app_user
        .gql(
            "mutation($data: CustomFieldDefinitionCreateInput!) { createCustomFieldDefinition(data: $data) { id } }",
            json!({ "data": { "entityType": "CONTACT", "key": key, "label": key, "fieldType": field_type, "options": options } }),
        )
        .await
        .data();
}

#[tokio::test]
async fn contacts_filter_on_custom_field_values() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let admin = &acme.admin;
    define(admin, "tier", "TEXT", None).await;
    define(admin, "seats", "NUMBER", None).await;
    define(admin, "churned", "BOOLEAN", None).await;
    define(
        admin,
        "regions",
        "MULTI_SELECT",
        Some(json!(["emea", "amer"])),
    )
    .await;
    contact(admin, json!({ "firstName": "Gold", "email": "gold@x.io", "customFields": { "tier": "gold plus", "seats": 10, "churned": false, "regions": ["emea"] } })).await;
    contact(admin, json!({ "firstName": "Silver", "email": "silver@x.io", "customFields": { "tier": "silver", "seats": 20, "churned": true } })).await;
    contact(admin, json!({ "firstName": "None", "email": "none@x.io" })).await;

    let names = |filter: Value| async move {
        let response = admin
            .gql("query($f: ContactFilterInput) { contacts(filter: $f, orderBy: [{ email: AscNullsLast }]) { edges { node { firstName } } } }", json!({ "f": filter }))
            .await;
        response
            .at("/contacts/edges")
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["node"]["firstName"].as_str().map(str::to_owned))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(json!({ "customFields": [{ "key": "tier", "eq": "silver" }] })).await,
        ["Silver"]
    );
    assert_eq!(
        names(json!({ "customFields": [{ "key": "seats", "eq": 10 }] })).await,
        ["Gold"]
    );
    assert_eq!(
        names(json!({ "customFields": [{ "key": "seats", "in": [10, 20] }] })).await,
        ["Gold", "Silver"]
    );
    assert_eq!(
        names(json!({ "customFields": [{ "key": "churned", "eq": true }] })).await,
        ["Silver"]
    );
    assert_eq!(
        names(json!({ "customFields": [{ "key": "regions", "eq": ["emea"] }] })).await,
        ["Gold"]
    );
    assert_eq!(
        names(json!({ "customFields": [{ "key": "tier", "contains": "plus" }] })).await,
        ["Gold"]
    );
    assert_eq!(
        names(json!({ "customFields": [{ "key": "tier", "is": "NULL" }] })).await,
        ["None"]
    );
    assert_eq!(
        names(json!({ "customFields": [{ "key": "tier", "neq": "silver" }] })).await,
        ["Gold", "None"]
    );
    assert_eq!(
        names(json!({ "customFields": [{ "key": "tier", "is": "NOT_NULL" }, { "key": "churned", "eq": false }] })).await,
        ["Gold"]
    );

    let bad = admin
        .gql("query($f: ContactFilterInput) { contacts(filter: $f) { totalCount } }", json!({ "f": { "customFields": [{ "key": "x'); DROP TABLE contacts; --", "eq": 1 }] } }))
        .await;
    bad.expect_code("BAD_USER_INPUT");
    assert_eq!(bad.field(), Some("customFields"));
    let injection =
        names(json!({ "customFields": [{ "key": "tier", "eq": "x' OR '1'='1" }] })).await;
    assert!(injection.is_empty());
    assert_eq!(names(json!({})).await.len(), 3, "the table is intact");
}

#[tokio::test]
async fn companies_leads_and_opportunities_filter_on_custom_fields_too() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let admin = &acme.admin;
    for entity in ["COMPANY", "LEAD", "OPPORTUNITY"] {
        admin
            .gql(
                "mutation($e: CustomFieldEntity!) { createCustomFieldDefinition(data: { entityType: $e, key: \"tier\", label: \"Tier\", fieldType: TEXT }) { id } }",
                json!({ "e": entity }),
            )
            .await
            .data();
    }
    for tier in ["gold", "silver"] {
        let cf = json!({ "tier": tier });
        admin
            .gql(
                "mutation($d: CompanyCreateInput!) { createCompany(data: $d) { id } }",
                json!({ "d": { "name": format!("{tier} co"), "customFields": cf } }),
            )
            .await
            .data();
        admin
            .gql(
                "mutation($d: LeadCreateInput!) { createLead(data: $d) { id } }",
                json!({ "d": { "name": format!("{tier} lead"), "customFields": cf } }),
            )
            .await
            .data();
        admin
            .gql("mutation($d: OpportunityCreateInput!) { createOpportunity(data: $d) { id } }", json!({ "d": { "name": format!("{tier} deal"), "value": "1", "customFields": cf } }))
            .await
            .data();
    }
    let gold = json!({ "customFields": [{ "key": "tier", "eq": "gold" }] });
    for (query, pointer) in [
        (
            "query($f: CompanyFilterInput) { companies(filter: $f) { edges { node { name } } } }",
            "/companies/edges",
        ),
        (
            "query($f: LeadFilterInput) { leads(filter: $f) { edges { node { name } } } }",
            "/leads/edges",
        ),
        (
            "query($f: OpportunityFilterInput) { opportunities(filter: $f) { edges { node { name } } } }",
            "/opportunities/edges",
        ),
    ] {
        let response = admin.gql(query, json!({ "f": gold })).await;
        let names: Vec<_> = response
            .at(pointer)
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["node"]["name"].as_str())
            .collect();
        assert_eq!(names.len(), 1, "{pointer}: {names:?}");
        assert!(names[0].starts_with("gold"), "{pointer}: {names:?}");
    }
}
