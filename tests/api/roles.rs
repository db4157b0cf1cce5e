//! Role guards, tested per role.

use kernel::Role;
use serde_json::json;
use test_support::TestApp;

use crate::helpers::{CREATE_TEAM, UPDATE_USER, count_rows};

#[tokio::test]
async fn readonly_users_cannot_change_organization_data() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let readonly = acme.with_user(Role::Readonly).await;
    let rep = acme.with_user(Role::SalesRep).await;
    let attempts = [
        (CREATE_TEAM, json!({ "data": { "name": "Ops" } })),
        (
            "mutation { updateOrganization(data: { name: \"Mine\" }) { name } }",
            json!({}),
        ),
        (
            "mutation($data: InviteUserInput!) { inviteUser(data: $data) { id } }",
            json!({ "data": { "email": "x@acme.io", "role": "READONLY", "firstName": "X", "lastName": "Y" } }),
        ),
        (
            UPDATE_USER,
            json!({ "id": rep.id, "data": { "jobTitle": "Boss" } }),
        ),
        (
            "mutation($id: UUID!) { deleteUser(id: $id) { id } }",
            json!({ "id": rep.id }),
        ),
    ];
    let audit_before = count_rows(&app, "audit_log").await;
    for (query, variables) in attempts {
        readonly
            .gql(query, variables)
            .await
            .expect_code("FORBIDDEN");
    }
    assert_eq!(count_rows(&app, "audit_log").await, audit_before);
    // Reading is fine.
    readonly
        .gql(
            "{ users { totalCount } teams { totalCount } organization { name } }",
            json!({}),
        )
        .await
        .data();
}

#[tokio::test]
async fn only_admins_administer_users_and_the_organization() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let target = acme.with_user(Role::SalesRep).await;
    for role in [Role::Manager, Role::SalesRep, Role::Marketing] {
        let user = acme.with_user(role).await;
        user.gql(
            UPDATE_USER,
            json!({ "id": target.id, "data": { "role": "MANAGER" } }),
        )
        .await
        .expect_code("FORBIDDEN");
        user.gql(
            "mutation { updateOrganization(data: { name: \"X\" }) { name } }",
            json!({}),
        )
        .await
        .expect_code("FORBIDDEN");
        user.gql("{ auditLogs { totalCount } }", json!({}))
            .await
            .expect_code("FORBIDDEN");
        user.gql("{ invitations { totalCount } }", json!({}))
            .await
            .expect_code("FORBIDDEN");
    }
    acme.admin
        .gql(
            UPDATE_USER,
            json!({ "id": target.id, "data": { "role": "MANAGER" } }),
        )
        .await
        .data();
}

#[tokio::test]
async fn managers_manage_teams_and_sales_reps_do_not() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let manager = acme.with_user(Role::Manager).await;
    let rep = acme.with_user(Role::SalesRep).await;
    manager
        .gql(CREATE_TEAM, json!({ "data": { "name": "Field sales" } }))
        .await
        .data();
    rep.gql(CREATE_TEAM, json!({ "data": { "name": "Rogue team" } }))
        .await
        .expect_code("FORBIDDEN");
}

#[tokio::test]
async fn an_admin_cannot_mint_or_touch_a_super_admin() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    acme.admin
        .gql(
            UPDATE_USER,
            json!({ "id": rep.id, "data": { "role": "SUPER_ADMIN" } }),
        )
        .await
        .expect_code("FORBIDDEN");
    acme.admin
        .gql(
            "mutation($data: InviteUserInput!) { inviteUser(data: $data) { id } }",
            json!({ "data": { "email": "boss@acme.io", "role": "SUPER_ADMIN", "firstName": "B", "lastName": "Oss" } }),
        )
        .await
        .expect_code("FORBIDDEN");
    let operator = acme.with_user(Role::SuperAdmin).await;
    acme.admin
        .gql(
            UPDATE_USER,
            json!({ "id": operator.id, "data": { "role": "ADMIN" } }),
        )
        .await
        .expect_code("FORBIDDEN");
    acme.admin
        .gql(
            "mutation($id: UUID!) { deleteUser(id: $id) { id } }",
            json!({ "id": operator.id }),
        )
        .await
        .expect_code("FORBIDDEN");
    // Nobody turns staff into a client portal user.
    let client = acme
        .admin
        .gql(
            UPDATE_USER,
            json!({ "id": rep.id, "data": { "role": "CLIENT" } }),
        )
        .await;
    client.expect_code("BAD_USER_INPUT");
    assert_eq!(client.field(), Some("role"));
    // A platform operator may grant SUPER_ADMIN.
    operator
        .gql(
            UPDATE_USER,
            json!({ "id": rep.id, "data": { "role": "SUPER_ADMIN" } }),
        )
        .await
        .data();
}

#[tokio::test]
async fn only_a_super_admin_lists_organizations() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    app.with_org("Beta").await;
    acme.admin
        .gql("{ organizations { totalCount } }", json!({}))
        .await
        .expect_code("FORBIDDEN");
    let operator = acme.with_user(Role::SuperAdmin).await;
    let response = operator
        .gql("{ organizations(orderBy: [{ name: AscNullsLast }]) { totalCount edges { node { name slug } } } }", json!({}))
        .await;
    assert_eq!(response.at("/organizations/totalCount"), 2);
    assert_eq!(response.at("/organizations/edges/1/node/name"), "Beta");
    // Nothing else crosses tenants for the operator: another organization's user is not found.
    let beta = app.with_org("Gamma").await;
    let found = operator
        .gql(
            "query($id: UUID!) { user(id: $id) { id } }",
            json!({ "id": beta.admin.id }),
        )
        .await;
    assert!(found.at("/user").is_null());
}

#[tokio::test]
async fn client_portal_users_see_only_themselves() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let client = acme.with_user(Role::Client).await;
    assert_eq!(
        client
            .gql("{ me { role isStaff } }", json!({}))
            .await
            .at("/me/role"),
        "CLIENT"
    );
    client
        .gql("{ users { totalCount } }", json!({}))
        .await
        .expect_code("FORBIDDEN");
    client
        .gql("{ teams { totalCount } }", json!({}))
        .await
        .expect_code("FORBIDDEN");
    let other = client
        .gql(
            "query($id: UUID!) { user(id: $id) { id } }",
            json!({ "id": acme.admin.id }),
        )
        .await;
    assert!(other.at("/user").is_null());
    client
        .gql(CREATE_TEAM, json!({ "data": { "name": "X" } }))
        .await
        .expect_code("FORBIDDEN");
}
