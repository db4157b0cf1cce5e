//! Teams: create, read, list, update, delete.

use kernel::Role;
use serde_json::json;
use test_support::TestApp;

use crate::helpers::{CREATE_TEAM, UPDATE_USER, text};

const UPDATE_TEAM: &str = "mutation($id: UUID!, $data: TeamUpdateInput!) { updateTeam(id: $id, data: $data) { name description lead { id } } }";

#[tokio::test]
async fn teams_are_created_listed_updated_and_deleted() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let lead = acme.with_user(Role::Manager).await;
    let created = acme
        .admin
        .gql(CREATE_TEAM, json!({ "data": { "name": " Enterprise ", "description": "Big deals", "leadId": lead.id } }))
        .await;
    assert_eq!(created.at("/createTeam/name"), "Enterprise");
    assert_eq!(created.at("/createTeam/lead/id"), &json!(lead.id));
    let id = text(created.data(), "/createTeam/id").to_owned();
    acme.admin
        .gql(
            UPDATE_USER,
            json!({ "id": lead.id, "data": { "teamId": id } }),
        )
        .await
        .data();

    let team = acme.admin.gql("query($id: UUID!) { team(id: $id) { name members { totalCount edges { node { id } } } } }", json!({ "id": id })).await;
    assert_eq!(team.at("/team/members/totalCount"), 1);

    let updated = acme.admin.gql(UPDATE_TEAM, json!({ "id": id, "data": { "name": "Strategic", "description": null, "leadId": null } })).await;
    assert_eq!(
        updated.at("/updateTeam"),
        &json!({ "name": "Strategic", "description": null, "lead": null })
    );

    acme.admin
        .gql(CREATE_TEAM, json!({ "data": { "name": "Alpha" } }))
        .await
        .data();
    let listed = acme
        .admin
        .gql(
            "{ teams { totalCount edges { node { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(listed.at("/teams/totalCount"), 2);
    assert_eq!(listed.at("/teams/edges/0/node/name"), "Alpha");

    let deleted = acme
        .admin
        .gql(
            "mutation($id: UUID!) { deleteTeam(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(deleted.at("/deleteTeam"), &json!(id));
    let member = acme
        .admin
        .gql(
            "query($id: UUID!) { user(id: $id) { team { id } } }",
            json!({ "id": lead.id }),
        )
        .await;
    assert!(member.at("/user/team").is_null());
    let gone = acme
        .admin
        .gql(
            "query($id: UUID!) { team(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(gone.at("/team").is_null());
}

#[tokio::test]
async fn team_names_are_unique_per_organization() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    acme.admin
        .gql(CREATE_TEAM, json!({ "data": { "name": "Sales" } }))
        .await
        .data();
    acme.admin
        .gql(CREATE_TEAM, json!({ "data": { "name": "Sales" } }))
        .await
        .expect_code("CONFLICT");
    let beta = app.with_org("Beta").await;
    beta.admin
        .gql(CREATE_TEAM, json!({ "data": { "name": "Sales" } }))
        .await
        .data();
    let empty = acme
        .admin
        .gql(CREATE_TEAM, json!({ "data": { "name": "" } }))
        .await;
    assert_eq!(empty.field(), Some("name"));
}
