//! `GET /metrics`: counters that move with traffic, gauges of the pool and the process, and
//! access as configured.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use sea_orm::TransactionTrait;
use serde_json::json;
use test_support::TestApp;

async fn scrape(app: &TestApp, token: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::get("/metrics");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let (status, _, body) = app
        .request(request.body(Body::empty()).expect("request"))
        .await;
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// The value of the series whose line starts with `series ` (name and labels exactly).
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn counters_move_with_requests_and_errors() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let (status, before) = scrape(&app, None).await;
    assert_eq!(status, StatusCode::OK);

    for _ in 0..3 {
        acme.admin
            .gql("query Dashboard { me { email } }", json!({}))
            .await
            .data();
    }
    app.gql("query Anonymous { me { email } }", json!({}), None)
        .await
        .expect_code("UNAUTHENTICATED");

    let (_, after) = scrape(&app, None).await;
    let ok = "crm_graphql_request_duration_seconds_count{operation=\"Dashboard\",type=\"query\",outcome=\"ok\"}";
    assert_eq!(value(&after, ok) - value(&before, ok), 3.0, "{after}");
    let failed = "crm_graphql_request_duration_seconds_count{operation=\"Anonymous\",type=\"query\",outcome=\"error\"}";
    assert_eq!(value(&after, failed), 1.0, "{after}");
    let errors = "crm_graphql_errors_total{code=\"UNAUTHENTICATED\"}";
    assert_eq!(value(&after, errors) - value(&before, errors), 1.0);
    let posts = "crm_http_requests_total{route=\"/graphql\",status=\"200\"}";
    assert!(value(&after, posts) - value(&before, posts) >= 4.0);
    assert!(after.contains("crm_graphql_request_duration_seconds_bucket{operation=\"Dashboard\",type=\"query\",outcome=\"ok\",le=\"+Inf\"} "));
    for gauge in [
        "crm_db_pool_connections{state=\"idle\"}",
        "crm_db_pool_max_connections",
        "crm_websocket_connections",
        "process_resident_memory_bytes",
    ] {
        assert!(after.contains(&format!("{gauge} ")), "{gauge} in {after}");
    }
    assert!(after.contains("crm_build_info{version=\""));
    assert!(after.contains("# TYPE crm_graphql_request_duration_seconds histogram"));
}

#[tokio::test]
async fn production_serves_metrics_only_with_the_token() {
    let closed = TestApp::builder().production().build().await;
    let (status, body) = scrape(&closed, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    let guarded = TestApp::builder()
        .production()
        .metrics_token("scrape-secret")
        .build()
        .await;
    let (status, body) = scrape(&guarded, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("UNAUTHENTICATED"), "{body}");
    let (status, _) = scrape(&guarded, Some("wrong")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = scrape(&guarded, Some("scrape-secret")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("crm_build_info"));
}

#[tokio::test]
async fn the_pool_gauges_count_connections_in_use_and_requests_waiting_for_one() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let (_, before) = scrape(&app, None).await;
    assert_eq!(value(&before, "crm_db_pool_waiting"), 0.0, "{before}");

    // Hold every connection of the pool, so the next request has to wait for one.
    let max = value(&before, "crm_db_pool_max_connections") as usize;
    let mut held = Vec::new();
    for _ in 0..max {
        held.push(app.db().begin().await.expect("hold a connection"));
    }
    let request = acme.admin.gql("query Waiting { me { email } }", json!({}));
    let watch = async {
        let mut seen = String::new();
        for _ in 0..200 {
            let (_, text) = scrape(&app, None).await;
            if value(&text, "crm_db_pool_waiting") >= 1.0 {
                seen = text;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        drop(held);
        seen
    };
    let (response, during) = tokio::join!(request, watch);
    response.data();
    assert_eq!(value(&during, "crm_db_pool_waiting"), 1.0, "{during}");
    assert_eq!(
        value(&during, "crm_db_pool_connections{state=\"in_use\"}"),
        max as f64,
        "{during}"
    );
    let (_, after) = scrape(&app, None).await;
    assert_eq!(value(&after, "crm_db_pool_waiting"), 0.0, "{after}");
}
