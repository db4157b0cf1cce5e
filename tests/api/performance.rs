//! A page of contacts with company, owner, status and tags runs a constant number of SQL
//! statements, whatever its size.

use serde_json::json;
use test_support::{TestApp, TestUser};

use crate::crm_fixtures::contact;

const PAGE: &str = "query($first: Int) { contacts(first: $first) { edges { node { id firstName company { name } owner { email } status { name } tags { name } } } } }";

async fn statements_for(app: &TestApp, user: &TestUser, first: i64) -> usize {
    // Warm the session cache so authentication does not count.
    user.gql(PAGE, json!({ "first": first })).await.data();
    let before = app.statements();
    let response = user.gql(PAGE, json!({ "first": first })).await;
    assert_eq!(
        response.at("/contacts/edges").as_array().map(Vec::len),
        Some(first as usize)
    );
    app.statements() - before
}

#[tokio::test]
async fn a_contact_page_runs_a_constant_number_of_statements() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let company = acme
        .admin
        .gql(
            "mutation { createCompany(data: { name: \"Globex\" }) { id } }",
            json!({}),
        )
        .await;
    let company_id = company.at("/createCompany/id").clone();
    for n in 0..50 {
        let id = contact(&acme.admin, json!({ "firstName": format!("C{n}"), "email": format!("c{n}@x.io"), "companyId": company_id })).await;
        if n % 2 == 0 {
            acme.admin
                .gql("mutation($id: UUID!) { addContactTags(id: $id, names: [\"vip\", \"newsletter\"]) { id } }", json!({ "id": id }))
                .await
                .data();
        }
    }
    let small = statements_for(&app, &acme.admin, 5).await;
    let large = statements_for(&app, &acme.admin, 50).await;
    assert_eq!(small, large, "statements must not grow with the page size");
    assert!(
        large <= 8,
        "a page should need only a handful of statements, ran {large}"
    );
}

#[tokio::test]
async fn each_relation_of_a_contact_page_costs_the_same_at_any_size() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let company = acme
        .admin
        .gql(
            "mutation { createCompany(data: { name: \"Globex\" }) { id } }",
            json!({}),
        )
        .await;
    let company_id = company.at("/createCompany/id").clone();
    for n in 0..50 {
        let id = contact(&acme.admin, json!({ "firstName": format!("C{n}"), "email": format!("c{n}@x.io"), "companyId": company_id })).await;
        if n % 2 == 0 {
            acme.admin
                .gql(
                    "mutation($id: UUID!) { addContactTags(id: $id, names: [\"vip\"]) { id } }",
                    json!({ "id": id }),
                )
                .await
                .data();
        }
    }
    for field in [
        "id",
        "company { name }",
        "owner { email }",
        "assignedTo { email }",
        "status { name }",
        "tags { name }",
        "services { name }",
    ] {
        let q = format!(
            "query($first: Int) {{ contacts(first: $first) {{ edges {{ node {{ {field} }} }} }} }}"
        );
        let mut counts = vec![];
        for first in [5, 50] {
            acme.admin.gql(&q, json!({ "first": first })).await.data();
            let before = app.statements();
            acme.admin.gql(&q, json!({ "first": first })).await.data();
            counts.push(app.statements() - before);
        }
        assert_eq!(counts[0], counts[1], "{field}: {counts:?}");
    }
}
