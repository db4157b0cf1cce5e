//! Registration, login, refresh, logout, me, password change, rate limits.

use serde_json::json;
use test_support::TestApp;

use crate::helpers::{ME, REFRESH, REGISTER, count_rows, login, register, registration, text};

#[tokio::test]
async fn register_creates_an_organization_its_admin_and_default_settings() {
    let app = TestApp::new().await;
    let payload = register(&app, "Acme Inc", "Ann@Acme.io").await;
    assert_eq!(text(&payload, "/user/email"), "ann@acme.io");
    assert_eq!(text(&payload, "/user/role"), "ADMIN");
    assert_eq!(text(&payload, "/organization/slug"), "acme-inc");
    assert!(!text(&payload, "/refreshToken").is_empty());

    let token = text(&payload, "/token");
    let response = app
        .gql(
            "{ me { email fullName role isActive organization { name settings { defaultCurrency timezone locale salesRepVisibility } } } }",
            json!({}),
            Some(token),
        )
        .await;
    assert_eq!(response.at("/me/fullName"), "Ann Lee");
    assert_eq!(response.at("/me/organization/name"), "Acme Inc");
    assert_eq!(
        response.at("/me/organization/settings"),
        &json!({ "defaultCurrency": "USD", "timezone": "UTC", "locale": "en", "salesRepVisibility": "ALL" })
    );
}

#[tokio::test]
async fn registering_the_same_name_twice_gives_distinct_slugs() {
    let app = TestApp::new().await;
    let first = register(&app, "Acme", "a@acme.io").await;
    let second = register(&app, "Acme", "b@acme.io").await;
    assert_eq!(text(&first, "/organization/slug"), "acme");
    assert_eq!(text(&second, "/organization/slug"), "acme-2");
}

#[tokio::test]
async fn register_rejects_bad_input_naming_the_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let cases = [
        ("email", json!("not-an-email")),
        ("password", json!("short")),
        ("organizationName", json!("   ")),
        ("firstName", json!("")),
        ("lastName", json!("x".repeat(151))),
        ("organizationName", json!("nul\u{0}byte")),
    ];
    for (field, value) in cases {
        let mut data = registration("Acme", "ann@acme.io");
        data[field] = value;
        let response = app.gql(REGISTER, json!({ "data": data }), None).await;
        response.expect_code("BAD_USER_INPUT");
        assert_eq!(response.field(), Some(field), "{}", response.body);
    }
    assert_eq!(count_rows(&app, "organizations").await, 0);
    assert_eq!(count_rows(&app, "users").await, 0);
    assert_eq!(count_rows(&app, "audit_log").await, 0);
}

#[tokio::test]
async fn register_with_a_taken_email_conflicts_and_leaves_no_orphan_organization() {
    let app = TestApp::new().await;
    register(&app, "Acme", "ann@acme.io").await;
    let response = app
        .gql(
            REGISTER,
            json!({ "data": registration("Other", "ANN@acme.io") }),
            None,
        )
        .await;
    response.expect_code("CONFLICT");
    assert_eq!(count_rows(&app, "organizations").await, 1);
}

#[tokio::test]
async fn a_role_sent_by_the_client_is_rejected() {
    let app = TestApp::new().await;
    let mut data = registration("Acme", "ann@acme.io");
    data["role"] = json!("SUPER_ADMIN");
    let response = app.gql(REGISTER, json!({ "data": data }), None).await;
    response.expect_code("GRAPHQL_VALIDATION_FAILED");
    assert_eq!(count_rows(&app, "users").await, 0);
}

#[tokio::test]
async fn login_returns_tokens_and_records_the_login() {
    let app = TestApp::new().await;
    register(&app, "Acme", "ann@acme.io").await;
    let response = login(&app, "ANN@acme.io", "a long enough password").await;
    assert_eq!(response.at("/login/user/email"), "ann@acme.io");
    assert!(response.at("/login/user/lastLogin").is_string());
    let token = text(response.data(), "/login/token").to_owned();
    app.gql(ME, json!({}), Some(&token)).await.data();
}

#[tokio::test]
async fn unknown_email_and_wrong_password_give_the_same_error() {
    let app = TestApp::new().await;
    register(&app, "Acme", "ann@acme.io").await;
    let wrong_password = login(&app, "ann@acme.io", "not the password at all").await;
    let unknown_email = login(&app, "nobody@acme.io", "not the password at all").await;
    wrong_password.expect_code("UNAUTHENTICATED");
    unknown_email.expect_code("UNAUTHENTICATED");
    assert_eq!(
        wrong_password.errors()[0]["message"],
        unknown_email.errors()[0]["message"]
    );
    assert!(wrong_password.body["data"].is_null());
}

#[tokio::test]
async fn login_is_rate_limited_per_account_with_retry_information() {
    let app = TestApp::builder().rate_limits(3, 1000).build().await;
    register(&app, "Acme", "ann@acme.io").await;
    for _ in 0..3 {
        login(&app, "ann@acme.io", "wrong password!!")
            .await
            .expect_code("UNAUTHENTICATED");
    }
    let limited = login(&app, "ann@acme.io", "a long enough password").await;
    limited.expect_code("RATE_LIMITED");
    let retry_after = limited.errors()[0]
        .pointer("/extensions/retryAfter")
        .and_then(|v| v.as_u64());
    assert!(
        retry_after.is_some_and(|s| (1..=60).contains(&s)),
        "{}",
        limited.body
    );
    // Another account from the same address is not affected.
    register(&app, "Beta", "bob@beta.io").await;
    login(&app, "bob@beta.io", "a long enough password")
        .await
        .data();
}

#[tokio::test]
async fn login_is_rate_limited_per_client_address() {
    let app = TestApp::builder().rate_limits(1000, 3).build().await;
    for n in 0..3 {
        login(&app, &format!("user{n}@acme.io"), "wrong password!!")
            .await
            .expect_code("UNAUTHENTICATED");
    }
    login(&app, "user9@acme.io", "wrong password!!")
        .await
        .expect_code("RATE_LIMITED");
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_family() {
    let app = TestApp::new().await;
    let payload = register(&app, "Acme", "ann@acme.io").await;
    let first = text(&payload, "/refreshToken").to_owned();

    let rotated = app.gql(REFRESH, json!({ "token": first }), None).await;
    let second = text(rotated.data(), "/refreshToken/refreshToken").to_owned();
    assert_ne!(first, second);
    let access = text(rotated.data(), "/refreshToken/token").to_owned();
    app.gql(ME, json!({}), Some(&access)).await.data();

    // Replaying the first token is theft: it fails and takes the second down with it.
    app.gql(REFRESH, json!({ "token": first }), None)
        .await
        .expect_code("UNAUTHENTICATED");
    app.gql(REFRESH, json!({ "token": second }), None)
        .await
        .expect_code("UNAUTHENTICATED");
    app.gql(REFRESH, json!({ "token": "garbage" }), None)
        .await
        .expect_code("UNAUTHENTICATED");
}

#[tokio::test]
async fn logout_ends_access_and_refresh_tokens() {
    let app = TestApp::new().await;
    let payload = register(&app, "Acme", "ann@acme.io").await;
    let token = text(&payload, "/token").to_owned();
    let refresh = text(&payload, "/refreshToken").to_owned();
    let response = app
        .gql("mutation { logout }", json!({}), Some(&token))
        .await;
    assert_eq!(response.at("/logout"), true);
    app.gql(ME, json!({}), Some(&token))
        .await
        .expect_code("UNAUTHENTICATED");
    app.gql(REFRESH, json!({ "token": refresh }), None)
        .await
        .expect_code("UNAUTHENTICATED");
    // Signing in again works.
    let again = login(&app, "ann@acme.io", "a long enough password").await;
    let new_token = text(again.data(), "/login/token").to_owned();
    app.gql(ME, json!({}), Some(&new_token)).await.data();
}

#[tokio::test]
async fn me_needs_a_token() {
    let app = TestApp::new().await;
    app.gql(ME, json!({}), None)
        .await
        .expect_code("UNAUTHENTICATED");
}

#[tokio::test]
async fn changing_the_password_checks_the_old_one_and_ends_other_sessions() {
    let app = TestApp::new().await;
    let payload = register(&app, "Acme", "ann@acme.io").await;
    let token = text(&payload, "/token").to_owned();
    let change = "mutation($data: ChangePasswordInput!) { changePassword(data: $data) { token } }";

    let wrong = app
        .gql(change, json!({ "data": { "currentPassword": "nope nope nope", "newPassword": "brand new password" } }), Some(&token))
        .await;
    wrong.expect_code("BAD_USER_INPUT");
    assert_eq!(wrong.field(), Some("currentPassword"));
    let short = app
        .gql(change, json!({ "data": { "currentPassword": "a long enough password", "newPassword": "short" } }), Some(&token))
        .await;
    assert_eq!(short.field(), Some("newPassword"));

    let changed = app
        .gql(
            change,
            json!({ "data": { "currentPassword": "a long enough password", "newPassword": "brand new password" } }),
            Some(&token),
        )
        .await;
    let new_token = text(changed.data(), "/changePassword/token").to_owned();
    app.gql(ME, json!({}), Some(&token))
        .await
        .expect_code("UNAUTHENTICATED");
    app.gql(ME, json!({}), Some(&new_token)).await.data();
    login(&app, "ann@acme.io", "a long enough password")
        .await
        .expect_code("UNAUTHENTICATED");
    login(&app, "ann@acme.io", "brand new password")
        .await
        .data();
}

#[tokio::test]
async fn update_me_changes_profile_fields_only_and_validates_them() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(kernel::Role::SalesRep).await;
    let update = "mutation($data: UpdateMeInput!) { updateMe(data: $data) { firstName phone avatarUrl timezone locale role } }";
    let response = rep
        .gql(update, json!({ "data": { "firstName": "Rita", "phone": "+49 30 1234", "timezone": "Europe/Berlin", "locale": "de-DE" } }))
        .await;
    assert_eq!(
        response.at("/updateMe"),
        &json!({ "firstName": "Rita", "phone": "+49 30 1234", "avatarUrl": null, "timezone": "Europe/Berlin", "locale": "de-DE", "role": "SALES_REP" })
    );
    let bad = rep
        .gql(
            update,
            json!({ "data": { "avatarUrl": "javascript:alert(1)" } }),
        )
        .await;
    bad.expect_code("BAD_USER_INPUT");
    assert_eq!(bad.field(), Some("avatarUrl"));
    let role = rep
        .gql(
            "mutation { updateMe(data: { role: ADMIN }) { role } }",
            json!({}),
        )
        .await;
    role.expect_code("GRAPHQL_VALIDATION_FAILED");
}
