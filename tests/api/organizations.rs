//! The caller's organization and its settings.

use kernel::Role;
use serde_json::json;
use test_support::TestApp;

const UPDATE: &str = "mutation($data: OrganizationUpdateInput!) {
  updateOrganization(data: $data) { name logoUrl plan settings { defaultCurrency timezone locale salesRepVisibility } }
}";

#[tokio::test]
async fn an_admin_updates_the_organization_and_its_settings() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let response = acme
        .admin
        .gql(
            UPDATE,
            json!({ "data": { "name": "Acme GmbH", "logoUrl": "https://acme.example/logo.png", "defaultCurrency": "eur",
                              "timezone": "Europe/Berlin", "locale": "de", "salesRepVisibility": "OWN" } }),
        )
        .await;
    assert_eq!(
        response.at("/updateOrganization"),
        &json!({ "name": "Acme GmbH", "logoUrl": "https://acme.example/logo.png", "plan": "STARTER",
                 "settings": { "defaultCurrency": "EUR", "timezone": "Europe/Berlin", "locale": "de", "salesRepVisibility": "OWN" } })
    );
    let rep = acme.with_user(Role::SalesRep).await;
    assert_eq!(
        rep.gql("{ organization { name } }", json!({}))
            .await
            .at("/organization/name"),
        "Acme GmbH"
    );
}

#[tokio::test]
async fn invalid_settings_name_their_field_and_change_nothing() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    for (field, value) in [
        ("defaultCurrency", json!("XYZ")),
        ("timezone", json!("Not a zone")),
        ("locale", json!("english")),
        ("logoUrl", json!("ftp://x")),
        ("name", json!(" ")),
    ] {
        let mut data = json!({ "name": "Changed" });
        data[field] = value;
        let response = acme.admin.gql(UPDATE, json!({ "data": data })).await;
        response.expect_code("BAD_USER_INPUT");
        assert_eq!(response.field(), Some(field));
    }
    let unchanged = acme.admin.gql("{ organization { name } }", json!({})).await;
    assert_eq!(unchanged.at("/organization/name"), "Acme");
}
