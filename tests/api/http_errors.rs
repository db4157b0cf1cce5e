//! Every error outside GraphQL execution has the shape GraphQL errors have: a JSON body with
//! `errors[].message` and `errors[].extensions.code`, and a status that says what went wrong. (A refused WebSocket
//! handshake needs a real connection: `lifecycle.rs`.)

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use test_support::TestApp;

fn request(method: &str, uri: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::from(body)).expect("request")
}

#[tokio::test]
async fn errors_outside_graphql_share_the_graphql_error_shape() {
    let app = TestApp::new().await;
    let json = [("content-type", "application/json")];
    let cases: Vec<(Request<Body>, StatusCode, &str, &str)> = vec![
        (
            request("GET", "/nowhere", &[], vec![]),
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "no such route",
        ),
        (
            request("DELETE", "/graphql", &[], vec![]),
            StatusCode::METHOD_NOT_ALLOWED,
            "BAD_USER_INPUT",
            "method not allowed",
        ),
        (
            request("GET", "/graphql?query={__typename}", &[], vec![]),
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
            "send queries and mutations with POST",
        ),
        (
            request("POST", "/graphql", &json, b"{not json".to_vec()),
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
            "malformed GraphQL request",
        ),
        (
            request("POST", "/graphql", &json, vec![b' '; 3 * 1024 * 1024]),
            StatusCode::PAYLOAD_TOO_LARGE,
            "LIMIT_EXCEEDED",
            "larger than",
        ),
        (
            request(
                "POST",
                "/graphql",
                &[("content-type", "text/plain")],
                b"{}".to_vec(),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_USER_INPUT",
            "application/json",
        ),
        (
            request("GET", "/export/contacts.csv", &[], vec![]),
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "authentication required",
        ),
        (
            request(
                "GET",
                "/export/contacts.csv",
                &[("authorization", "Basic eDp5")],
                vec![],
            ),
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "Bearer",
        ),
    ];
    for (request, status, code, words) in cases {
        let line = format!("{} {}", request.method(), request.uri());
        let (got, headers, body) = app.request(request).await;
        assert_eq!(got, status, "{line}: {}", String::from_utf8_lossy(&body));
        let media = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(media.starts_with("application/json"), "{line}: {media}");
        let body: Value = serde_json::from_slice(&body).expect("a JSON body");
        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["code"], code, "{line}: {body}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{line}: {message}");
        assert!(body.get("data").is_none(), "{line}: {body}");
    }
}
