//! Every mutation writes an audit row in its own transaction; failed ones write none.

use kernel::Role;
use serde_json::json;
use test_support::TestApp;

use crate::helpers::{CREATE_TEAM, count_rows, text};

const AUDIT: &str = "query($filter: AuditLogFilterInput) {
  auditLogs(filter: $filter, first: 50, orderBy: [{ at: AscNullsLast }]) {
    totalCount edges { node { action entityType entityId actor { id } before after at } }
  }
}";

#[tokio::test]
async fn mutations_record_who_did_what_with_before_and_after() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let manager = acme.with_user(Role::Manager).await;
    let created = manager
        .gql(CREATE_TEAM, json!({ "data": { "name": "Ops" } }))
        .await;
    let id = text(created.data(), "/createTeam/id").to_owned();
    manager
        .gql(
            "mutation($id: UUID!) { updateTeam(id: $id, data: { name: \"Operations\" }) { id } }",
            json!({ "id": id }),
        )
        .await
        .data();
    manager
        .gql(
            "mutation($id: UUID!) { deleteTeam(id: $id) }",
            json!({ "id": id }),
        )
        .await
        .data();

    let log = acme
        .admin
        .gql(AUDIT, json!({ "filter": { "entityId": { "eq": id } } }))
        .await;
    let entries = log
        .at("/auditLogs/edges")
        .as_array()
        .cloned()
        .unwrap_or_default();
    let actions: Vec<_> = entries
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(actions, ["create", "update", "delete"]);
    for entry in &entries {
        assert_eq!(entry["node"]["entityType"], "Team");
        assert_eq!(entry["node"]["actor"]["id"], json!(manager.id));
    }
    assert!(entries[0]["node"]["before"].is_null());
    assert_eq!(entries[0]["node"]["after"]["name"], "Ops");
    assert_eq!(entries[1]["node"]["before"]["name"], "Ops");
    assert_eq!(entries[1]["node"]["after"]["name"], "Operations");
    assert!(entries[2]["node"]["after"].is_null());
}

#[tokio::test]
async fn a_failed_mutation_leaves_no_audit_row_and_no_change() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    acme.admin
        .gql(CREATE_TEAM, json!({ "data": { "name": "Sales" } }))
        .await
        .data();
    let before = count_rows(&app, "audit_log").await;
    acme.admin
        .gql(CREATE_TEAM, json!({ "data": { "name": "Sales" } }))
        .await
        .expect_code("CONFLICT");
    acme.admin
        .gql(
            CREATE_TEAM,
            json!({ "data": { "name": "Led by nobody", "leadId": uuid::Uuid::now_v7() } }),
        )
        .await
        .expect_code("NOT_FOUND");
    assert_eq!(count_rows(&app, "audit_log").await, before);
    assert_eq!(count_rows(&app, "teams").await, 1);
}

#[tokio::test]
async fn sign_ins_and_registrations_are_audited_without_secrets() {
    let app = TestApp::new().await;
    let payload = crate::helpers::register(&app, "Acme", "ann@acme.io").await;
    crate::helpers::login(&app, "ann@acme.io", "a long enough password")
        .await
        .data();
    let token = text(&payload, "/token");
    let log = app.gql(AUDIT, json!({}), Some(token)).await;
    let body = log.body.to_string();
    assert!(
        !body.contains("argon2"),
        "password hashes must never reach the audit log"
    );
    assert!(!body.contains("passwordHash"));
    let actions: Vec<_> = log
        .at("/auditLogs/edges")
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            format!(
                "{}:{}",
                e["node"]["entityType"].as_str().unwrap_or_default(),
                e["node"]["action"].as_str().unwrap_or_default()
            )
        })
        .collect();
    for expected in [
        "Organization:create",
        "OrganizationSettings:create",
        "User:create",
        "User:login",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "missing {expected} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn audit_logs_page_and_filter_by_action() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    for n in 0..5 {
        acme.admin
            .gql(
                CREATE_TEAM,
                json!({ "data": { "name": format!("Team {n}") } }),
            )
            .await
            .data();
    }
    let creates = acme
        .admin
        .gql("{ auditLogs(first: 2, filter: { action: { eq: \"create\" }, entityType: { eq: \"Team\" } }) { totalCount pageInfo { hasNextPage } edges { node { after } } } }", json!({}))
        .await;
    assert_eq!(creates.at("/auditLogs/totalCount"), 5);
    assert_eq!(creates.at("/auditLogs/pageInfo/hasNextPage"), true);
    // Newest first by default.
    assert_eq!(creates.at("/auditLogs/edges/0/node/after/name"), "Team 4");
}
