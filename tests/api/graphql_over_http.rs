//! The GraphQL-over-HTTP media types: with `application/graphql-response+json` a request that
//! never ran is HTTP 400 without `data`; with `application/json` every answer is 200, as
//! clients written before the specification expect.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use test_support::TestApp;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

async fn post(app: &TestApp, accept: &str, body: Value) -> (StatusCode, String, Value) {
    let request = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("accept", accept)
        .body(Body::from(body.to_string()))
        .expect("request");
    let (status, headers, body) = app.request(request).await;
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = serde_json::from_slice(&body).expect("a JSON body");
    (status, content_type, body)
}

#[tokio::test]
async fn requests_that_never_ran_are_400_without_data() {
    let app = TestApp::new().await;
    for (request, code) in [
        (
            json!({ "query": "{ me { id " }),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            json!({ "query": "{ nothingHere }" }),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            json!({ "query": "query($n: Int!) { __typename }", "variables": { "n": "many" } }),
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ] {
        let (status, content_type, body) = post(&app, GRAPHQL_RESPONSE, request.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{request} -> {body}");
        assert!(content_type.starts_with(GRAPHQL_RESPONSE), "{content_type}");
        assert!(body.get("data").is_none(), "no data entry: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            json!(code),
            "{body}"
        );
    }
}

#[tokio::test]
async fn requests_that_ran_are_200_whatever_their_errors() {
    let app = TestApp::new().await;
    let (status, content_type, body) =
        post(&app, GRAPHQL_RESPONSE, json!({ "query": "{ __typename }" })).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with(GRAPHQL_RESPONSE));
    assert_eq!(body["data"]["__typename"], json!("Query"), "{body}");
    // A resolver's error: the request ran, so 200 with its error and its data.
    let (status, _, body) = post(&app, GRAPHQL_RESPONSE, json!({ "query": "{ me { id } }" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("UNAUTHENTICATED")
    );
    assert!(body.get("data").is_some());
}

#[tokio::test]
async fn json_clients_keep_200_and_their_media_type() {
    let app = TestApp::new().await;
    for accept in [
        "application/json",
        "*/*",
        "application/graphql-response+json;q=0",
    ] {
        let (status, content_type, body) =
            post(&app, accept, json!({ "query": "{ me { id " })).await;
        assert_eq!(status, StatusCode::OK, "{accept}");
        assert_eq!(content_type, "application/json", "{accept}");
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            json!("GRAPHQL_VALIDATION_FAILED")
        );
    }
}
