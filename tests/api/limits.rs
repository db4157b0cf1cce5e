//! Query limits: violations are LIMIT_EXCEEDED before any resolver runs.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use test_support::TestApp;

use crate::helpers::count_rows;

#[tokio::test]
async fn queries_deeper_than_ten_levels_are_refused() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let ten =
        "{ me { team { lead { team { lead { team { lead { team { lead { id } } } } } } } } } }";
    acme.admin.gql(ten, json!({})).await.data();
    let eleven = "{ me { team { lead { team { lead { team { lead { team { lead { team { id } } } } } } } } } } }";
    acme.admin
        .gql(eleven, json!({}))
        .await
        .expect_code("LIMIT_EXCEEDED");
}

#[tokio::test]
async fn introspection_as_graphiql_sends_it_is_not_limited_by_depth() {
    let app = TestApp::new().await;
    let query = "{ __schema { types { name fields { name args { name type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } } } } } }";
    let response = app.gql(query, json!({}), None).await;
    assert!(
        response
            .at("/__schema/types")
            .as_array()
            .is_some_and(|t| !t.is_empty())
    );
}

#[tokio::test]
async fn a_full_table_page_is_accepted_and_its_cost_stated_when_it_is_not() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    // What a contacts table asks for: 100 rows, 30 columns, the company and the owner.
    let columns = "id firstName lastName fullName email phone mobile jobTitle department \
        companyName companyId ownerId assignedToId statusId trafficSourceId city state country \
        postalCode website linkedinUrl twitterHandle score lifecycleStage source customFields \
        createdAt updatedAt lastActivityAt deletedAt";
    let page = format!(
        "{{ contacts(first: 100) {{ totalCount pageInfo {{ hasNextPage endCursor }} \
            edges {{ cursor node {{ {columns} company {{ id name }} owner {{ id fullName }} }} }} }} }}"
    );
    acme.admin.gql(&page, json!({})).await.data();

    // Nested pages multiply: 100 users × 100 team members.
    let nested = "{ users(first: 100) { edges { node { team { members(first: 100) { edges { node { id } } } } } } } }";
    let refused = acme.admin.gql(nested, json!({})).await;
    refused.expect_code("LIMIT_EXCEEDED");
    let error = &refused.errors()[0];
    assert_eq!(error["extensions"]["cost"], json!(20401), "{error}");
    assert_eq!(error["extensions"]["limit"], json!(2000), "{error}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("20401") && message.contains("2000"),
        "{message}"
    );
}

#[tokio::test]
async fn complexity_multiplies_by_page_size() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let small = "{ users(first: 10) { edges { node { team { members(first: 10) { edges { node { id } } } } } } } }";
    acme.admin.gql(small, json!({})).await.data();
    let large = "{ users(first: 100) { edges { node { team { members(first: 100) { edges { node { id } } } } } } } }";
    acme.admin
        .gql(large, json!({}))
        .await
        .expect_code("LIMIT_EXCEEDED");
}

#[tokio::test]
async fn more_than_thirty_aliases_are_refused_before_anything_runs() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let thirty: String = (0..30).map(|n| format!("a{n}: me {{ id }} ")).collect();
    acme.admin
        .gql(&format!("{{ {thirty} }}"), json!({}))
        .await
        .data();

    let creates: String = (0..31)
        .map(|n| format!("t{n}: createTeam(data: {{ name: \"T{n}\" }}) {{ id }} "))
        .collect();
    let response = acme
        .admin
        .gql(&format!("mutation {{ {creates} }}"), json!({}))
        .await;
    response.expect_code("LIMIT_EXCEEDED");
    assert!(response.body["data"].is_null());
    assert_eq!(count_rows(&app, "teams").await, 0, "no resolver may run");
}

#[tokio::test]
async fn directives_per_field_are_limited() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let many = "{ me @include(if: true) @include(if: true) @include(if: true) @include(if: true) @include(if: true) @include(if: true) { id } }";
    acme.admin
        .gql(many, json!({}))
        .await
        .expect_code("LIMIT_EXCEEDED");
}

#[tokio::test]
async fn recursion_deeper_than_thirty_two_is_refused() {
    let app = TestApp::new().await;
    let open: String = "{ me ".repeat(40);
    let close: String = "}".repeat(40);
    let response = app
        .gql(&format!("{open}{{ id }}{close}"), json!({}), None)
        .await;
    response.expect_code("LIMIT_EXCEEDED");
}

#[tokio::test]
async fn batches_hold_at_most_ten_operations() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let batch = |n: usize| {
        Value::Array(
            (0..n)
                .map(|_| json!({ "query": "{ me { id } }" }))
                .collect(),
        )
    };
    let ok = app.post_graphql(batch(10), Some(&acme.admin.token)).await;
    assert_eq!(ok.body.as_array().map(Vec::len), Some(10));
    let too_many = app.post_graphql(batch(11), Some(&acme.admin.token)).await;
    too_many.expect_code("LIMIT_EXCEEDED");
}

#[tokio::test]
async fn bodies_over_two_megabytes_are_refused_with_a_json_error() {
    let app = TestApp::new().await;
    let padding = "x".repeat(2 * 1024 * 1024 + 1);
    let body = json!({ "query": "{ me { id } }", "variables": { "padding": padding } }).to_string();
    let request = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("request");
    let (status, _, body) = app.request(request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = serde_json::from_slice(&body).expect("json error body");
    assert_eq!(
        body.pointer("/errors/0/extensions/code"),
        Some(&json!("LIMIT_EXCEEDED"))
    );
}

#[tokio::test]
async fn malformed_requests_get_a_json_error() {
    let app = TestApp::new().await;
    let request = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from("{not json"))
        .expect("request");
    let (status, _, body) = app.request(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_slice(&body).expect("json error body");
    assert_eq!(
        body.pointer("/errors/0/extensions/code"),
        Some(&json!("BAD_USER_INPUT"))
    );
    for content_type in [None, Some("text/plain;charset=UTF-8")] {
        let mut request = Request::post("/graphql");
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let request = request
            .body(Body::from(r#"{"query":"{ __typename }"}"#))
            .expect("request");
        let (status, _, body) = app.request(request).await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
        let body: Value = serde_json::from_slice(&body).expect("json error body");
        assert_eq!(
            body.pointer("/errors/0/extensions/code"),
            Some(&json!("BAD_USER_INPUT"))
        );
    }
    let syntax = app.gql("{ me { id ", json!({}), None).await;
    syntax.expect_code("GRAPHQL_VALIDATION_FAILED");
    let unknown = app.gql("{ nothingHere }", json!({}), None).await;
    unknown.expect_code("GRAPHQL_VALIDATION_FAILED");
}

#[tokio::test]
async fn production_mode_turns_off_introspection_and_suggestions() {
    let app = TestApp::builder().production().build().await;
    let acme = app.with_org("Acme").await;
    let introspection = acme
        .admin
        .gql("{ __schema { types { name } } }", json!({}))
        .await;
    introspection.expect_code("GRAPHQL_VALIDATION_FAILED");
    assert!(
        introspection.body["data"].is_null(),
        "{}",
        introspection.body
    );
    let hidden = acme
        .admin
        .gql(
            "{ me { id ...F } } fragment F on User { team { __type(name: \"User\") { name } } }",
            json!({}),
        )
        .await;
    assert!(!hidden.errors().is_empty(), "{}", hidden.body);
    acme.admin
        .gql("{ me { __typename } }", json!({}))
        .await
        .data();
    let typo = acme.admin.gql("{ userz { id } }", json!({})).await;
    typo.expect_code("GRAPHQL_VALIDATION_FAILED");
    assert!(
        !typo.body.to_string().contains("Did you mean"),
        "{}",
        typo.body
    );
    let (status, _, _) = app
        .request(Request::get("/").body(Body::empty()).expect("request"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let dev = TestApp::new().await;
    let suggestion = dev.gql("{ userz { id } }", json!({}), None).await;
    assert!(
        suggestion.body.to_string().contains("Did you mean"),
        "{}",
        suggestion.body
    );
}
