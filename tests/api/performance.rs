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

/// Fifty contacts over ten companies, every other one tagged.
async fn fifty_contacts_over_ten_companies(user: &TestUser) -> Vec<String> {
    let mut ids = Vec::new();
    let mut company = json!(null);
    for n in 0..50 {
        if n % 5 == 0 {
            let created = user
                .gql(
                    "mutation($name: String!) { createCompany(data: { name: $name }) { id } }",
                    json!({ "name": format!("Company {n}") }),
                )
                .await;
            company = created.at("/createCompany/id").clone();
        }
        let data = json!({ "firstName": format!("C{n}"), "email": format!("c{n}@x.io"), "companyId": company });
        let id = contact(user, data).await;
        if n % 2 == 0 {
            user.gql(
                "mutation($id: UUID!) { addContactTags(id: $id, names: [\"vip\"]) { id } }",
                json!({ "id": id }),
            )
            .await
            .data();
        }
        ids.push(id);
    }
    ids
}

/// The SQL texts one request runs (after a first run that warms the session cache).
async fn sql_of(
    app: &TestApp,
    user: &TestUser,
    query: &str,
    variables: serde_json::Value,
) -> Vec<String> {
    user.gql(query, variables.clone()).await.data();
    app.start_recording();
    user.gql(query, variables).await.data();
    app.take_recorded().into_iter().map(|s| s.sql).collect()
}

#[tokio::test]
async fn pages_of_any_size_run_the_same_statements_on_postgresql() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    fifty_contacts_over_ten_companies(&acme.admin).await;
    let small = sql_of(&app, &acme.admin, PAGE, json!({ "first": 5 })).await;
    let large = sql_of(&app, &acme.admin, PAGE, json!({ "first": 50 })).await;
    assert_eq!(small.len(), large.len(), "{small:#?}\n{large:#?}");
    if app.is_postgres() {
        // Identical texts are prepared once per connection and reused: a batch's ids travel
        // as one array, never as one placeholder per id.
        assert_eq!(small, large);
        assert!(
            large.iter().any(|sql| sql.contains("= ANY(CAST($")),
            "{large:#?}"
        );
    }
}

#[tokio::test]
async fn one_contact_loads_each_selected_relation_with_one_statement() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let ids = fifty_contacts_over_ten_companies(&acme.admin).await;
    let query = "query($id: UUID!) { contact(id: $id) { id company { id name } owner { id email } tags { name } } }";
    let answer = acme.admin.gql(query, json!({ "id": ids[0] })).await;
    assert_eq!(answer.at("/contact/company/name"), "Company 0");
    assert_eq!(answer.at("/contact/owner/id"), &json!(acme.admin.id));
    assert_eq!(answer.at("/contact/tags"), &json!([{ "name": "Vip" }]));
    // The contact, its company, its tags and its owner.
    let statements = sql_of(&app, &acme.admin, query, json!({ "id": ids[0] })).await;
    assert_eq!(statements.len(), 4, "{statements:#?}");
}

#[tokio::test]
async fn a_page_of_users_with_their_contacts_costs_the_same_at_any_size() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    for _ in 0..7 {
        acme.with_user(kernel::Role::SalesRep).await;
    }
    let page = "query($first: Int) { users(first: $first) { nodes { id contact { id } } } }";
    let mut counts = vec![];
    for first in [2, 8] {
        // Warm the session cache so authentication does not count.
        acme.admin.gql(page, json!({ "first": first })).await.data();
        let before = app.statements();
        let response = acme.admin.gql(page, json!({ "first": first })).await;
        assert_eq!(
            response.at("/users/nodes").as_array().map(Vec::len),
            Some(first)
        );
        counts.push(app.statements() - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "User.contact is looked up per user: {counts:?}"
    );
}
