//! The invitation flow.

use kernel::Role;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use test_support::TestApp;

use crate::helpers::{CREATE_TEAM, ME, login, text};

const INVITE: &str = "mutation($data: InviteUserInput!) {
  inviteUser(data: $data) { id email role token expiresAt acceptedAt team { name } invitedBy { id } }
}";
const ACCEPT: &str = "mutation($data: AcceptInvitationInput!) {
  acceptInvitation(data: $data) { token user { email role firstName team { name } } organization { id } }
}";

fn invitation(email: &str) -> serde_json::Value {
    json!({ "email": email, "role": "SALES_REP", "firstName": "Ivy", "lastName": "Invitee" })
}

#[tokio::test]
async fn an_invitee_accepts_once_and_joins_with_the_role_and_team() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let team = acme
        .admin
        .gql(CREATE_TEAM, json!({ "data": { "name": "Hunters" } }))
        .await;
    let mut data = invitation("Ivy@Example.com");
    data["teamId"] = team.at("/createTeam/id").clone();
    let invited = acme.admin.gql(INVITE, json!({ "data": data })).await;
    let token = text(invited.data(), "/inviteUser/token").to_owned();
    assert_eq!(invited.at("/inviteUser/email"), "ivy@example.com");
    assert_eq!(
        invited.at("/inviteUser/invitedBy/id"),
        &json!(acme.admin.id)
    );

    let accept = json!({ "data": { "token": token, "password": "my own password" } });
    let accepted = app.gql(ACCEPT, accept.clone(), None).await;
    assert_eq!(accepted.at("/acceptInvitation/user/role"), "SALES_REP");
    assert_eq!(accepted.at("/acceptInvitation/user/team/name"), "Hunters");
    assert_eq!(
        accepted.at("/acceptInvitation/organization/id"),
        &json!(acme.id)
    );
    let session = text(accepted.data(), "/acceptInvitation/token").to_owned();
    app.gql(ME, json!({}), Some(&session)).await.data();
    login(&app, "ivy@example.com", "my own password")
        .await
        .data();

    let again = app.gql(ACCEPT, accept, None).await;
    again.expect_code("BAD_USER_INPUT");
    assert_eq!(again.field(), Some("token"));

    // The token is never readable again.
    let listed = acme
        .admin
        .gql(
            "{ invitations { totalCount edges { node { token acceptedAt } } } }",
            json!({}),
        )
        .await;
    assert!(listed.at("/invitations/edges/0/node/token").is_null());
    assert!(
        listed
            .at("/invitations/edges/0/node/acceptedAt")
            .is_string()
    );
}

#[tokio::test]
async fn invitations_reject_taken_emails_bad_input_and_expired_tokens() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    acme.admin
        .gql(INVITE, json!({ "data": invitation(&rep.email) }))
        .await
        .expect_code("CONFLICT");
    let bad = acme
        .admin
        .gql(INVITE, json!({ "data": invitation("nope") }))
        .await;
    assert_eq!(bad.field(), Some("email"));

    let invited = acme
        .admin
        .gql(INVITE, json!({ "data": invitation("late@example.com") }))
        .await;
    let token = text(invited.data(), "/inviteUser/token").to_owned();
    let short = app
        .gql(
            ACCEPT,
            json!({ "data": { "token": token, "password": "short" } }),
            None,
        )
        .await;
    assert_eq!(short.field(), Some("password"));

    let backend = app.db().get_database_backend();
    app.db()
        .execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => "UPDATE invitations SET expires_at = $1",
                _ => "UPDATE invitations SET expires_at = ?",
            },
            [chrono::Utc::now()
                .checked_sub_signed(chrono::Duration::days(1))
                .into()],
        ))
        .await
        .expect("expire");
    let expired = app
        .gql(
            ACCEPT,
            json!({ "data": { "token": token, "password": "long enough pass" } }),
            None,
        )
        .await;
    assert_eq!(expired.field(), Some("token"));
    app.gql(
        ACCEPT,
        json!({ "data": { "token": "made-up", "password": "long enough pass" } }),
        None,
    )
    .await
    .expect_code("BAD_USER_INPUT");
}

#[tokio::test]
async fn only_admins_invite() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let manager = acme.with_user(Role::Manager).await;
    manager
        .gql(INVITE, json!({ "data": invitation("x@example.com") }))
        .await
        .expect_code("FORBIDDEN");
}
