//! Every way of forging or misusing an access token ends in UNAUTHENTICATED.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};
use test_support::{TestApp, TestUser};

use crate::helpers::ME;

async fn setup() -> (TestApp, TestUser) {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    (app, acme.admin)
}

fn claims(user: &TestUser) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "sub": user.id, "org": user.organization_id, "role": "admin", "ver": 0,
        "iss": "crm", "aud": "crm-api", "iat": now, "nbf": now, "exp": now + 600
    })
}

fn sign(app: &TestApp, claims: &Value, algorithm: Algorithm) -> String {
    encode(
        &Header::new(algorithm),
        claims,
        &EncodingKey::from_secret(&app.settings().jwt_secret),
    )
    .expect("sign")
}

async fn assert_refused(app: &TestApp, token: &str) {
    app.gql(ME, json!({}), Some(token))
        .await
        .expect_code("UNAUTHENTICATED");
}

#[tokio::test]
async fn a_correctly_signed_token_is_accepted() {
    let (app, admin) = setup().await;
    let token = sign(&app, &claims(&admin), Algorithm::HS256);
    app.gql(ME, json!({}), Some(&token)).await.data();
}

#[tokio::test]
async fn alg_none_is_refused() {
    let (app, admin) = setup().await;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims(&admin).to_string());
    assert_refused(&app, &format!("{header}.{payload}.")).await;
}

#[tokio::test]
async fn another_algorithm_with_the_right_key_is_refused() {
    let (app, admin) = setup().await;
    assert_refused(&app, &sign(&app, &claims(&admin), Algorithm::HS512)).await;
}

#[tokio::test]
async fn a_wrong_key_is_refused() {
    let (app, admin) = setup().await;
    let token = encode(
        &Header::new(Algorithm::HS256),
        &claims(&admin),
        &EncodingKey::from_secret(b"not the server secret at all!!!!"),
    )
    .expect("sign");
    assert_refused(&app, &token).await;
}

#[tokio::test]
async fn each_missing_claim_is_refused() {
    let (app, admin) = setup().await;
    for claim in ["exp", "nbf", "iat", "iss", "aud", "sub", "org", "ver"] {
        let mut forged = claims(&admin);
        forged.as_object_mut().map(|c| c.remove(claim));
        let token = sign(&app, &forged, Algorithm::HS256);
        let response = app.gql(ME, json!({}), Some(&token)).await;
        assert_eq!(
            response.code(),
            Some("UNAUTHENTICATED"),
            "missing {claim}: {}",
            response.body
        );
    }
}

#[tokio::test]
async fn claims_given_as_strings_are_refused() {
    let (app, admin) = setup().await;
    let mut forged = claims(&admin);
    forged["exp"] = json!(forged["exp"].to_string());
    assert_refused(&app, &sign(&app, &forged, Algorithm::HS256)).await;
}

#[tokio::test]
async fn expiry_is_enforced_beyond_a_short_leeway() {
    let (app, admin) = setup().await;
    let now = chrono::Utc::now().timestamp();
    let mut expired = claims(&admin);
    expired["exp"] = json!(now - 120);
    assert_refused(&app, &sign(&app, &expired, Algorithm::HS256)).await;
    let mut within_leeway = claims(&admin);
    within_leeway["exp"] = json!(now - 5);
    app.gql(
        ME,
        json!({}),
        Some(&sign(&app, &within_leeway, Algorithm::HS256)),
    )
    .await
    .data();
}

#[tokio::test]
async fn a_token_not_yet_valid_is_refused() {
    let (app, admin) = setup().await;
    let mut future = claims(&admin);
    future["nbf"] = json!(chrono::Utc::now().timestamp() + 300);
    assert_refused(&app, &sign(&app, &future, Algorithm::HS256)).await;
}

#[tokio::test]
async fn a_tampered_payload_is_refused() {
    let (app, admin) = setup().await;
    let token = sign(&app, &claims(&admin), Algorithm::HS256);
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload = claims(&admin);
    payload["role"] = json!("super_admin");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        parts[2]
    );
    assert_refused(&app, &forged).await;
}

#[tokio::test]
async fn wrong_issuer_or_audience_is_refused() {
    let (app, admin) = setup().await;
    for (claim, value) in [("iss", "someone-else"), ("aud", "another-api")] {
        let mut forged = claims(&admin);
        forged[claim] = json!(value);
        assert_refused(&app, &sign(&app, &forged, Algorithm::HS256)).await;
    }
}

#[tokio::test]
async fn a_token_naming_another_organization_is_refused() {
    let (app, admin) = setup().await;
    let other = app.with_org("Other").await;
    let mut forged = claims(&admin);
    forged["org"] = json!(other.id);
    assert_refused(&app, &sign(&app, &forged, Algorithm::HS256)).await;
}

#[tokio::test]
async fn malformed_authorization_headers_are_refused() {
    let (app, _) = setup().await;
    assert_refused(&app, "not-a-jwt").await;
    let request = axum::http::Request::post("/graphql")
        .header("content-type", "application/json")
        .header("authorization", "Basic YWRtaW46YWRtaW4=")
        .body(axum::body::Body::from(json!({ "query": ME }).to_string()))
        .expect("request");
    let (_, _, body) = app.request(request).await;
    let body: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(
        body.pointer("/errors/0/extensions/code"),
        Some(&json!("UNAUTHENTICATED"))
    );
}

#[tokio::test]
async fn the_role_comes_from_the_database_not_the_token() {
    let (app, admin) = setup().await;
    let mut forged = claims(&admin);
    forged["role"] = json!("super_admin");
    let token = sign(&app, &forged, Algorithm::HS256);
    let response = app.gql(ME, json!({}), Some(&token)).await;
    assert_eq!(response.at("/me/role"), "ADMIN");
    app.gql("{ organizations { totalCount } }", json!({}), Some(&token))
        .await
        .expect_code("FORBIDDEN");
}
