//! `schema.graphql` is the served schema.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use test_support::TestApp;

const REFRESH: &str = "cargo run -q -p gateway --bin crm -- schema > schema.graphql";

#[tokio::test]
async fn schema_graphql_equals_the_served_sdl() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let served = gateway::schema::sdl();
    if std::env::var("UPDATE_SCHEMA").is_ok_and(|v| v == "1") {
        std::fs::write(path, &served).expect("write schema.graphql");
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == served,
        "schema.graphql differs from the served schema. Refresh it with `{REFRESH}` (or UPDATE_SCHEMA=1 cargo test schema) and commit it."
    );

    let app = TestApp::new().await;
    let (status, _, body) = app
        .request(
            Request::get("/schema.graphql")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(String::from_utf8_lossy(&body), served);
}
