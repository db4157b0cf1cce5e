//! Another organization's objects behave exactly like random ids, and the database itself
//! refuses rows that point across tenants.

use kernel::Role;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;
use test_support::TestApp;

use crate::helpers::{CREATE_TEAM, UPDATE_USER, text};

#[tokio::test]
async fn another_organizations_objects_are_not_found() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let beta = app.with_org("Beta").await;
    let beta_rep = beta.with_user(Role::SalesRep).await;
    let beta_team = beta
        .admin
        .gql(CREATE_TEAM, json!({ "data": { "name": "Beta team" } }))
        .await;
    let beta_team_id = text(beta_team.data(), "/createTeam/id").to_owned();
    let acme_team = acme
        .admin
        .gql(CREATE_TEAM, json!({ "data": { "name": "Acme team" } }))
        .await;
    let acme_team_id = text(acme_team.data(), "/createTeam/id").to_owned();
    let acme_rep = acme.with_user(Role::SalesRep).await;
    let admin = &acme.admin;

    // Single-object queries: null, as for a random id.
    for (query, id) in [
        (
            "query($id: UUID!) { user(id: $id) { id } }",
            json!(beta_rep.id),
        ),
        (
            "query($id: UUID!) { team(id: $id) { id } }",
            json!(beta_team_id),
        ),
    ] {
        let response = admin.gql(query, json!({ "id": id })).await;
        assert!(
            response
                .data()
                .as_object()
                .is_some_and(|d| d.values().all(serde_json::Value::is_null)),
            "{}",
            response.body
        );
    }
    // Mutations: NOT_FOUND, as for a random id.
    let attempts = [
        (
            UPDATE_USER,
            json!({ "id": beta_rep.id, "data": { "jobTitle": "Spy" } }),
        ),
        (
            "mutation($id: UUID!) { deleteUser(id: $id) { id } }",
            json!({ "id": beta_rep.id }),
        ),
        (
            "mutation($id: UUID!) { updateTeam(id: $id, data: { name: \"Mine\" }) { id } }",
            json!({ "id": beta_team_id }),
        ),
        (
            "mutation($id: UUID!) { deleteTeam(id: $id) }",
            json!({ "id": beta_team_id }),
        ),
        (
            UPDATE_USER,
            json!({ "id": acme_rep.id, "data": { "teamId": beta_team_id } }),
        ),
        (
            UPDATE_USER,
            json!({ "id": acme_rep.id, "data": { "managerId": beta_rep.id } }),
        ),
        (
            CREATE_TEAM,
            json!({ "data": { "name": "Led from afar", "leadId": beta_rep.id } }),
        ),
    ];
    for (query, variables) in attempts {
        let response = admin.gql(query, variables).await;
        response.expect_code("NOT_FOUND");
    }
    let lead_from_beta = admin
        .gql("mutation($id: UUID!, $lead: UUID!) { updateTeam(id: $id, data: { leadId: $lead }) { id } }", json!({ "id": acme_team_id, "lead": beta_rep.id }))
        .await;
    lead_from_beta.expect_code("NOT_FOUND");

    // Lists and the audit log contain only the caller's organization.
    let users = admin
        .gql("{ users(first: 100) { edges { node { id } } } }", json!({}))
        .await;
    let ids: Vec<_> = users
        .at("/users/edges")
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["node"]["id"].clone())
        .collect();
    assert!(!ids.contains(&json!(beta_rep.id)));
    let beta_entry = beta
        .admin
        .gql(
            "{ auditLogs(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let beta_entry_id = beta_entry.at("/auditLogs/edges/0/node/id").clone();
    let entry = admin
        .gql(
            "query($id: UUID!) { auditLog(id: $id) { id } }",
            json!({ "id": beta_entry_id }),
        )
        .await;
    assert!(
        entry.at("/auditLog").is_null(),
        "another organization's audit entry is not found"
    );
    let own = beta
        .admin
        .gql(
            "query($id: UUID!) { auditLog(id: $id) { id } }",
            json!({ "id": beta_entry_id }),
        )
        .await;
    assert_eq!(own.at("/auditLog/id"), &beta_entry_id);
    let audit = admin
        .gql(
            "query($id: UUID!) { auditLogs(filter: { entityId: { eq: $id } }) { totalCount } }",
            json!({ "id": beta_team_id }),
        )
        .await;
    assert_eq!(audit.at("/auditLogs/totalCount"), 0);

    // Beta's data is untouched.
    let still = beta
        .admin
        .gql(
            "query($id: UUID!) { user(id: $id) { jobTitle isActive } }",
            json!({ "id": beta_rep.id }),
        )
        .await;
    assert_eq!(
        still.at("/user"),
        &json!({ "jobTitle": null, "isActive": true })
    );
}

#[tokio::test]
async fn the_database_refuses_a_row_pointing_into_another_tenant() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let beta = app.with_org("Beta").await;
    let beta_team = beta
        .admin
        .gql(CREATE_TEAM, json!({ "data": { "name": "Beta team" } }))
        .await;
    let beta_team_id: uuid::Uuid = text(beta_team.data(), "/createTeam/id")
        .parse()
        .expect("uuid");
    let backend = app.db().get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "UPDATE users SET team_id = $1 WHERE id = $2",
        _ => "UPDATE users SET team_id = ? WHERE id = ?",
    };
    let result = app
        .db()
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [beta_team_id.into(), acme.admin.id.into()],
        ))
        .await;
    assert!(result.is_err(), "a user of Acme must not join Beta's team");
}
