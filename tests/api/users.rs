//! User administration, deactivation, listing.

use kernel::Role;
use serde_json::{Value, json};
use test_support::TestApp;

use crate::helpers::{CREATE_TEAM, ME, UPDATE_USER, login, text};

#[tokio::test]
async fn an_admin_sets_role_team_manager_and_job() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let manager = acme.with_user(Role::Manager).await;
    let team = acme
        .admin
        .gql(CREATE_TEAM, json!({ "data": { "name": "Inside sales" } }))
        .await;
    let team_id = text(team.data(), "/createTeam/id").to_owned();
    let response = acme
        .admin
        .gql(
            UPDATE_USER,
            json!({ "id": rep.id, "data": { "role": "MARKETING", "teamId": team_id, "managerId": manager.id, "jobTitle": "Campaigns" } }),
        )
        .await;
    let user = response.at("/updateUser");
    assert_eq!(user["role"], "MARKETING");
    assert_eq!(user["jobTitle"], "Campaigns");
    assert_eq!(user["team"]["name"], "Inside sales");
    assert_eq!(user["manager"]["id"], json!(manager.id));
    // Clearing with null.
    let cleared = acme
        .admin
        .gql(
            UPDATE_USER,
            json!({ "id": rep.id, "data": { "teamId": null, "jobTitle": null } }),
        )
        .await;
    assert!(cleared.at("/updateUser/team").is_null());
    assert!(cleared.at("/updateUser/jobTitle").is_null());
}

#[tokio::test]
async fn a_changed_role_applies_to_existing_tokens() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    rep.gql(CREATE_TEAM, json!({ "data": { "name": "A" } }))
        .await
        .expect_code("FORBIDDEN");
    acme.admin
        .gql(
            UPDATE_USER,
            json!({ "id": rep.id, "data": { "role": "MANAGER" } }),
        )
        .await
        .data();
    rep.gql(CREATE_TEAM, json!({ "data": { "name": "A" } }))
        .await
        .data();
    assert_eq!(rep.gql(ME, json!({})).await.at("/me/role"), "MANAGER");
}

#[tokio::test]
async fn a_deactivated_user_is_locked_out_at_once() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    rep.gql(ME, json!({})).await.data();
    let response = acme
        .admin
        .gql(
            "mutation($id: UUID!) { deleteUser(id: $id) { isActive } }",
            json!({ "id": rep.id }),
        )
        .await;
    assert_eq!(response.at("/deleteUser/isActive"), false);
    rep.gql(ME, json!({})).await.expect_code("UNAUTHENTICATED");
    login(&app, &rep.email, test_support::TEST_PASSWORD)
        .await
        .expect_code("UNAUTHENTICATED");
    // Reactivation lets them sign in again, but the old token stays dead.
    acme.admin
        .gql(
            UPDATE_USER,
            json!({ "id": rep.id, "data": { "isActive": true } }),
        )
        .await
        .data();
    rep.gql(ME, json!({})).await.expect_code("UNAUTHENTICATED");
    login(&app, &rep.email, test_support::TEST_PASSWORD)
        .await
        .data();
}

#[tokio::test]
async fn admins_cannot_demote_or_remove_themselves() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let id = acme.admin.id;
    let demote = acme
        .admin
        .gql(
            UPDATE_USER,
            json!({ "id": id, "data": { "role": "READONLY" } }),
        )
        .await;
    assert_eq!(demote.field(), Some("role"));
    let deactivate = acme
        .admin
        .gql(
            UPDATE_USER,
            json!({ "id": id, "data": { "isActive": false } }),
        )
        .await;
    assert_eq!(deactivate.field(), Some("isActive"));
    acme.admin
        .gql(
            "mutation($id: UUID!) { deleteUser(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await
        .expect_code("BAD_USER_INPUT");
    let own_manager = acme
        .admin
        .gql(
            UPDATE_USER,
            json!({ "id": id, "data": { "managerId": id } }),
        )
        .await;
    assert_eq!(own_manager.field(), Some("managerId"));
}

#[tokio::test]
async fn update_user_rejects_unknown_ids_and_bad_text() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let random = uuid::Uuid::now_v7();
    acme.admin
        .gql(
            UPDATE_USER,
            json!({ "id": random, "data": { "jobTitle": "x" } }),
        )
        .await
        .expect_code("NOT_FOUND");
    acme.admin
        .gql(
            UPDATE_USER,
            json!({ "id": rep.id, "data": { "teamId": random } }),
        )
        .await
        .expect_code("NOT_FOUND");
    let long = acme
        .admin
        .gql(
            UPDATE_USER,
            json!({ "id": rep.id, "data": { "department": "d".repeat(101) } }),
        )
        .await;
    assert_eq!(long.field(), Some("department"));
    let malformed = acme
        .admin
        .gql(UPDATE_USER, json!({ "id": "not-a-uuid", "data": {} }))
        .await;
    malformed.expect_code("BAD_USER_INPUT");
}

fn emails(page: &Value) -> Vec<String> {
    page["edges"].as_array().map_or_else(Vec::new, |edges| {
        edges
            .iter()
            .filter_map(|e| e["node"]["email"].as_str().map(str::to_owned))
            .collect()
    })
}

#[tokio::test]
async fn users_page_forward_and_backward_with_filters_and_totals() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    for _ in 0..4 {
        acme.with_user(Role::SalesRep).await;
    }
    acme.with_user(Role::Manager).await;
    let query = "query($first: Int, $after: String, $last: Int, $before: String, $filter: UserFilterInput) {
      users(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: [{ email: DescNullsLast }]) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { email role } }
      }
    }";
    let all = acme.admin.gql(query, json!({ "first": 50 })).await;
    let expected = emails(all.at("/users"));
    assert_eq!(expected.len(), 6);
    let mut sorted = expected.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(expected, sorted);

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = acme
            .admin
            .gql(query, json!({ "first": 4, "after": after }))
            .await;
        let users = page.at("/users");
        assert_eq!(users["totalCount"], 6);
        seen.extend(emails(users));
        if users["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = users["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, expected);

    let last_two = acme.admin.gql(query, json!({ "last": 2 })).await;
    assert_eq!(emails(last_two.at("/users")), expected[4..].to_vec());
    assert_eq!(last_two.at("/users/pageInfo/hasPreviousPage"), true);

    let reps = acme
        .admin
        .gql(
            query,
            json!({ "first": 10, "filter": { "role": { "eq": "SALES_REP" } } }),
        )
        .await;
    assert_eq!(reps.at("/users/totalCount"), 4);
    let not_reps = acme
        .admin
        .gql(query, json!({ "first": 10, "filter": { "not": { "role": { "in": ["SALES_REP"] } }, "email": { "ilike": "%ACME%" } } }))
        .await;
    assert_eq!(not_reps.at("/users/totalCount"), 2);

    let too_many = acme.admin.gql(query, json!({ "first": 101 })).await;
    too_many.expect_code("BAD_USER_INPUT");
    assert_eq!(too_many.field(), Some("first"));
    acme.admin
        .gql(query, json!({ "first": 2, "after": "bogus" }))
        .await
        .expect_code("BAD_USER_INPUT");
}
