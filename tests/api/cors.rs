//! Browser frontends on another origin: preflights are answered, allowed origins are named in
//! the answer, others are not; on GraphQL, the REST endpoints and the export alike.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use gateway::http::cors::CorsSettings;
use test_support::TestApp;

/// A preflight as Chromium sends it before a GraphQL POST with a token.
async fn preflight(app: &TestApp, path: &str, origin: &str) -> (StatusCode, HeaderMap) {
    let request = Request::options(path)
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type,x-request-id,apollo-require-preflight",
        )
        .body(Body::empty())
        .expect("request");
    let (status, headers, _) = app.request(request).await;
    (status, headers)
}

fn allowed_origin(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("access-control-allow-origin")
        .and_then(|v| v.to_str().ok())
}

fn header_list(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

#[tokio::test]
async fn a_localhost_frontend_passes_the_preflight_in_development() {
    let app = TestApp::new().await;
    let (status, headers) = preflight(&app, "/graphql", "http://localhost:3000").await;
    assert!(status.is_success(), "{status}");
    assert_eq!(allowed_origin(&headers), Some("http://localhost:3000"));
    let allowed = header_list(&headers, "access-control-allow-headers");
    for name in [
        "authorization",
        "content-type",
        "x-request-id",
        "apollo-require-preflight",
    ] {
        assert!(allowed.contains(name), "{name} in {allowed}");
    }
    assert!(header_list(&headers, "access-control-allow-methods").contains("post"));
    assert_eq!(header_list(&headers, "access-control-max-age"), "3600");
    assert!(
        headers.get("access-control-allow-credentials").is_none(),
        "credentials are off unless configured"
    );
    // Any port of this machine, under any of its names.
    for origin in ["http://127.0.0.1:5173", "http://[::1]:8081"] {
        let (_, headers) = preflight(&app, "/graphql", origin).await;
        assert_eq!(allowed_origin(&headers), Some(origin));
    }
}

#[tokio::test]
async fn another_origin_is_not_named_and_cannot_read_answers() {
    let app = TestApp::new().await;
    for origin in ["https://evil.example", "http://localhost.evil.example:3000"] {
        let (_, headers) = preflight(&app, "/graphql", origin).await;
        assert_eq!(allowed_origin(&headers), None, "{origin}");
    }
    let request = Request::post("/graphql")
        .header("origin", "https://evil.example")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"query":"{ __typename }"}"#))
        .expect("request");
    let (_, headers, _) = app.request(request).await;
    assert_eq!(allowed_origin(&headers), None);
}

#[tokio::test]
async fn actual_requests_name_the_allowed_origin_on_every_endpoint() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let origin = "http://localhost:3000";
    let post = Request::post("/graphql")
        .header("origin", origin)
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {}", acme.admin.token))
        .body(Body::from(r#"{"query":"{ me { email } }"}"#))
        .expect("request");
    let (status, headers, body) = app.request(post).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(allowed_origin(&headers), Some(origin));
    assert!(String::from_utf8_lossy(&body).contains("\"email\""));
    assert!(header_list(&headers, "access-control-expose-headers").contains("x-request-id"));

    let export = Request::get("/export/contacts.csv")
        .header("origin", origin)
        .header("authorization", format!("Bearer {}", acme.admin.token))
        .body(Body::empty())
        .expect("request");
    let (status, headers, _) = app.request(export).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(allowed_origin(&headers), Some(origin));

    for path in ["/export/contacts.csv", "/readyz", "/schema.graphql"] {
        let (status, headers) = preflight(&app, path, origin).await;
        assert!(status.is_success(), "{path}: {status}");
        assert_eq!(allowed_origin(&headers), Some(origin), "{path}");
    }
}

#[tokio::test]
async fn production_allows_only_the_configured_origins() {
    let closed = TestApp::builder().production().build().await;
    let (_, headers) = preflight(&closed, "/graphql", "http://localhost:3000").await;
    assert_eq!(allowed_origin(&headers), None, "no origin by default");

    let configured = CorsSettings::from_config(Some("https://app.example.com"), true, true)
        .expect("valid policy");
    let app = TestApp::builder()
        .production()
        .cors(configured)
        .build()
        .await;
    let (_, headers) = preflight(&app, "/graphql", "https://app.example.com").await;
    assert_eq!(allowed_origin(&headers), Some("https://app.example.com"));
    assert_eq!(
        header_list(&headers, "access-control-allow-credentials"),
        "true"
    );
    let (_, headers) = preflight(&app, "/graphql", "http://localhost:3000").await;
    assert_eq!(allowed_origin(&headers), None);
}
