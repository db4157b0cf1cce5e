//! `GET /export/contacts.csv`: streamed, filtered, safe against formula injection.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use kernel::Role;
use serde_json::{Value, json};
use test_support::{TestApp, TestUser};

use crate::crm_fixtures::contact;

async fn export(app: &TestApp, user: Option<&TestUser>, query: &str) -> (StatusCode, String) {
    let mut request = Request::get(format!("/export/contacts.csv{query}"));
    if let Some(user) = user {
        request = request.header("authorization", format!("Bearer {}", user.token));
    }
    let (status, _, body) = app
        .request(request.body(Body::empty()).expect("request"))
        .await;
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn encode(value: &Value) -> String {
    value
        .to_string()
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn contacts_export_as_csv_with_formulas_neutralised() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    contact(&acme.admin, json!({ "firstName": "=HYPERLINK(\"http://evil\")", "lastName": "+1", "email": "evil@x.io", "companyName": "@corp", "country": "DE" })).await;
    contact(
        &acme.admin,
        json!({ "firstName": "Ann", "lastName": "Lee, Jr.", "email": "ann@x.io", "country": "FR" }),
    )
    .await;
    acme.admin.gql("mutation($id: UUID!) { addContactTags(id: $id, names: [\"vip\"]) { id } }", json!({ "id": contact(&acme.admin, json!({ "firstName": "Tag", "email": "tag@x.io" })).await })).await.data();

    let (status, csv) = export(&app, Some(&acme.admin), "").await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with("id,firstName,lastName,email"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 4);
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains(",'+1,"), "{csv}");
    assert!(csv.contains(",'@corp,"), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
    assert!(csv.contains("\"Lee, Jr.\""), "{csv}");
    assert!(csv.contains(",Vip,"), "{csv}");

    let filter = encode(&json!({ "country": { "eq": "FR" } }));
    let (_, filtered) = export(&app, Some(&acme.admin), &format!("?filter={filter}")).await;
    assert_eq!(filtered.lines().count(), 2);
    assert!(filtered.contains("ann@x.io"));
}

#[tokio::test]
async fn large_exports_stream_every_page() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let mut csv = String::from("Email,First\n");
    for n in 0..250 {
        csv.push_str(&format!("user{n}@x.io,User{n}\n"));
    }
    acme.admin
        .gql(
            "mutation($csv: String) { importContacts(csv: $csv, mapping: [{ column: \"Email\", target: \"email\" }, { column: \"First\", target: \"firstName\" }]) { created } }",
            json!({ "csv": csv }),
        )
        .await
        .data();
    let (_, body) = export(&app, Some(&acme.admin), "").await;
    assert_eq!(body.lines().count(), 251);
    let distinct: std::collections::HashSet<&str> = body
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(distinct.len(), 250, "no row twice, none missing");
}

#[tokio::test]
async fn export_needs_an_admin_or_manager_and_a_valid_filter() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let (status, body) = export(&app, None, "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("UNAUTHENTICATED"));
    for role in [Role::SalesRep, Role::Marketing, Role::Readonly] {
        let user = acme.with_user(role).await;
        let (status, body) = export(&app, Some(&user), "").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}");
        assert!(body.contains("FORBIDDEN"));
    }
    let manager = acme.with_user(Role::Manager).await;
    assert_eq!(export(&app, Some(&manager), "").await.0, StatusCode::OK);
    let (status, body) = export(&app, Some(&acme.admin), "?filter=%7Bnot%20json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_str(&body).expect("json error");
    assert_eq!(
        body.pointer("/errors/0/extensions/field"),
        Some(&json!("filter"))
    );
    let beta = app.with_org("Beta").await;
    contact(
        &beta.admin,
        json!({ "firstName": "Zed", "email": "zed@beta.io" }),
    )
    .await;
    let (_, own) = export(&app, Some(&acme.admin), "").await;
    assert!(!own.contains("zed@beta.io"));
}

#[tokio::test]
async fn a_malformed_query_string_gets_a_json_error() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let (status, body) = export(&app, Some(&acme.admin), "?search=a&search=b").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let body: Value = serde_json::from_str(&body).expect("a JSON error");
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("BAD_USER_INPUT")
    );
}
