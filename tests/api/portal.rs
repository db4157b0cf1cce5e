//! The client portal: invited contacts become CLIENT users who see only their own contact.

use kernel::Role;
use serde_json::json;
use test_support::TestApp;

use crate::crm_fixtures::contact;
use crate::helpers::text;

const INVITE: &str =
    "mutation($id: UUID!) { inviteContactToPortal(contactId: $id) { id role email token } }";
const ACCEPT: &str = "mutation($token: String!) { acceptInvitation(data: { token: $token, password: \"portal password\" }) { token user { role } } }";

#[tokio::test]
async fn an_invited_contact_signs_in_and_edits_only_their_own_details() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let id = contact(
        &acme.admin,
        json!({ "firstName": "Carla", "email": "carla@client.io", "city": "Rome" }),
    )
    .await;
    let invited = acme.admin.gql(INVITE, json!({ "id": id })).await;
    assert_eq!(invited.at("/inviteContactToPortal/role"), "CLIENT");
    let token = text(invited.data(), "/inviteContactToPortal/token").to_owned();
    let accepted = app.gql(ACCEPT, json!({ "token": token }), None).await;
    assert_eq!(accepted.at("/acceptInvitation/user/role"), "CLIENT");
    let session = text(accepted.data(), "/acceptInvitation/token").to_owned();

    let me = app
        .gql(
            "{ me { role contact { id email city } } }",
            json!({}),
            Some(&session),
        )
        .await;
    assert_eq!(me.at("/me/contact/id"), &json!(id));
    assert_eq!(me.at("/me/contact/city"), "Rome");

    let updated = app
        .gql("mutation { updateMyContact(data: { phone: \"+39 06 1\", city: \"Milan\", country: \"it\" }) { phone city country } }", json!({}), Some(&session))
        .await;
    assert_eq!(
        updated.at("/updateMyContact"),
        &json!({ "phone": "+39 06 1", "city": "Milan", "country": "IT" })
    );
    let bad = app
        .gql(
            "mutation { updateMyContact(data: { country: \"Italy\" }) { country } }",
            json!({}),
            Some(&session),
        )
        .await;
    assert_eq!(bad.field(), Some("country"));

    // Nothing else of the CRM is theirs.
    app.gql("{ contacts { totalCount } }", json!({}), Some(&session))
        .await
        .expect_code("FORBIDDEN");
    app.gql(
        "query($id: UUID!) { contact(id: $id) { id } }",
        json!({ "id": id }),
        Some(&session),
    )
    .await
    .expect_code("FORBIDDEN");
    let edit = app
        .gql("mutation($id: UUID!) { updateContact(id: $id, data: { firstName: \"Hacked\" }) { id } }", json!({ "id": id }), Some(&session))
        .await;
    edit.expect_code("FORBIDDEN");
    let email = app
        .gql(
            "mutation { updateMyContact(data: { email: \"x@y.io\" }) { email } }",
            json!({}),
            Some(&session),
        )
        .await;
    email.expect_code("GRAPHQL_VALIDATION_FAILED");

    // Staff cannot use the client mutation.
    acme.admin
        .gql(
            "mutation { updateMyContact(data: { city: \"X\" }) { city } }",
            json!({}),
        )
        .await
        .expect_code("FORBIDDEN");
}

#[tokio::test]
async fn portal_invitations_are_checked() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let beta = app.with_org("Beta").await;
    let no_email = contact(&acme.admin, json!({ "firstName": "Nomail" })).await;
    let invite = acme.admin.gql(INVITE, json!({ "id": no_email })).await;
    assert_eq!(invite.field(), Some("contactId"));
    let foreign = contact(
        &beta.admin,
        json!({ "firstName": "Zed", "email": "zed@beta.io" }),
    )
    .await;
    acme.admin
        .gql(INVITE, json!({ "id": foreign }))
        .await
        .expect_code("NOT_FOUND");
    let readonly = acme.with_user(Role::Readonly).await;
    let id = contact(
        &acme.admin,
        json!({ "firstName": "Carla", "email": "carla@client.io" }),
    )
    .await;
    readonly
        .gql(INVITE, json!({ "id": id }))
        .await
        .expect_code("FORBIDDEN");

    let token = text(
        acme.admin.gql(INVITE, json!({ "id": id })).await.data(),
        "/inviteContactToPortal/token",
    )
    .to_owned();
    app.gql(ACCEPT, json!({ "token": token }), None)
        .await
        .data();
    acme.admin
        .gql(INVITE, json!({ "id": id }))
        .await
        .expect_code("CONFLICT");
}
