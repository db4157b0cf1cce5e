//! Production mode as an operator deploys it: no self-service sign-up unless allowed, no
//! published schema; every refusal in the same JSON shape as GraphQL errors.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use test_support::TestApp;

const REGISTER: &str =
    "mutation($d: RegisterInput!) { register(data: $d) { token organization { name } } }";

fn registration(name: &str) -> Value {
    json!({ "d": {
        "organizationName": name,
        "email": format!("owner@{}.example", name.to_lowercase()),
        "password": "a long password",
        "firstName": "Ann",
        "lastName": "Lee"
    } })
}

#[tokio::test]
async fn production_closes_sign_up_unless_the_operator_opens_it() {
    let closed = TestApp::builder().production().build().await;
    let refused = closed.gql(REGISTER, registration("Closed"), None).await;
    refused.expect_code("FORBIDDEN");
    assert!(
        refused.errors()[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("crm create-organization")),
        "{}",
        refused.body
    );

    let open = TestApp::builder()
        .production()
        .allow_registration(true)
        .build()
        .await;
    let created = open.gql(REGISTER, registration("Open"), None).await;
    assert_eq!(created.at("/register/organization/name"), &json!("Open"));

    // Development keeps it open.
    let dev = TestApp::new().await;
    let created = dev.gql(REGISTER, registration("Dev"), None).await;
    assert!(created.at("/register/token").is_string());
}

#[tokio::test]
async fn the_schema_is_published_only_where_introspection_is_on() {
    let request = || {
        Request::get("/schema.graphql")
            .body(Body::empty())
            .expect("request")
    };
    let dev = TestApp::new().await;
    let (status, _, body) = dev.request(request()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&body).contains("type Query"));

    let production = TestApp::builder().production().build().await;
    let (status, _, body) = production.request(request()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let body: Value = serde_json::from_slice(&body).expect("a JSON error");
    assert_eq!(body["errors"][0]["extensions"]["code"], json!("NOT_FOUND"));
}
