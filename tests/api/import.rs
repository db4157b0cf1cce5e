//! CSV import of contacts: mapping, statuses/tags/companies by name, de-duplication, dry runs,
//! bad rows, encodings, uploads, roles.

use axum::body::Body;
use axum::http::Request;
use crm_core::entity::{company, contact, contact_status, contact_tag, tag};
use kernel::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use test_support::{GqlResponse, TestApp, TestOrg, TestUser};

use crate::helpers::count_rows;

const IMPORT: &str = "mutation($csv: String, $mapping: [ImportColumnInput!]!, $options: ImportOptionsInput) {
  importContacts(csv: $csv, mapping: $mapping, options: $options) { created updated skipped errors { row field message } }
}";

fn mapping() -> Value {
    json!([
        { "column": "E-mail", "target": "email" },
        { "column": "First", "target": "firstName" },
        { "column": "Last", "target": "lastName" },
        { "column": "Company", "target": "company" },
        { "column": "Status", "target": "status" },
        { "column": "Tags", "target": "tags" },
        { "column": "Country", "target": "country" },
        { "column": "Notes", "target": "ignore" }
    ])
}

const HEADER: &str = "E-mail,First,Last,Company,Status,Tags,Country,Notes\n";

async fn import(user: &TestUser, csv: &str, options: Value) -> GqlResponse {
    user.gql(
        IMPORT,
        json!({ "csv": csv, "mapping": mapping(), "options": options }),
    )
    .await
}

async fn contacts_of(app: &TestApp, org: &TestOrg) -> Vec<contact::Model> {
    contact::Entity::find()
        .filter(contact::Column::OrganizationId.eq(org.id))
        .order_by_asc(contact::Column::Email)
        .all(app.db())
        .await
        .expect("contacts")
}

#[tokio::test]
async fn import_maps_columns_and_resolves_statuses_tags_and_companies_by_name() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let csv = format!(
        "\u{feff}{HEADER}ann@x.io,Ann,Lee,Globex,hot LEAD,\"vip, newsletter\",de,ignored\n\
         bob@x.io,Bob,Ray,globex,,VIP,,\n\
         cid@y.io,Cid,,Initech,Customer,,US,\n"
    );
    let report = import(&acme.admin, &csv, json!({})).await;
    assert_eq!(
        report.at("/importContacts"),
        &json!({ "created": 3, "updated": 0, "skipped": 0, "errors": [] })
    );

    let rows = contacts_of(&app, &acme).await;
    assert_eq!(
        rows.iter()
            .map(|c| c.email.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["ann@x.io", "bob@x.io", "cid@y.io"]
    );
    assert_eq!(rows[0].country.as_deref(), Some("DE"));
    assert_eq!(rows[0].owner_id, Some(acme.admin.id));

    let statuses = contact_status::Entity::find()
        .filter(contact_status::Column::OrganizationId.eq(acme.id))
        .all(app.db())
        .await
        .expect("statuses");
    let name_of = |id: Option<uuid::Uuid>| {
        statuses
            .iter()
            .find(|s| Some(s.id) == id)
            .map(|s| s.name.clone())
    };
    assert_eq!(
        name_of(rows[0].status_id).as_deref(),
        Some("Hot Lead"),
        "new statuses are title-cased"
    );
    assert_eq!(
        name_of(rows[1].status_id).as_deref(),
        Some("Lead"),
        "no status: the default status"
    );
    assert_eq!(
        name_of(rows[2].status_id).as_deref(),
        Some("Customer"),
        "existing statuses are reused"
    );

    let companies = company::Entity::find()
        .filter(company::Column::OrganizationId.eq(acme.id))
        .all(app.db())
        .await
        .expect("companies");
    assert_eq!(companies.len(), 2, "Globex and globex are one company");
    assert_eq!(rows[0].company_id, rows[1].company_id);
    assert!(rows[0].company_id.is_some());

    let tags = tag::Entity::find()
        .filter(tag::Column::OrganizationId.eq(acme.id))
        .order_by_asc(tag::Column::Name)
        .all(app.db())
        .await
        .expect("tags");
    assert_eq!(
        tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["Newsletter", "Vip"]
    );
    let links = contact_tag::Entity::find()
        .filter(contact_tag::Column::OrganizationId.eq(acme.id))
        .all(app.db())
        .await
        .expect("links");
    assert_eq!(links.len(), 3);
}

#[tokio::test]
async fn duplicates_are_skipped_inside_the_file_and_against_the_organization_unless_updating() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    import(
        &acme.admin,
        &format!("{HEADER}ann@x.io,Ann,Lee,,,,,\n"),
        json!({}),
    )
    .await
    .data();

    let csv = format!(
        "{HEADER}ANN@x.io,Annie,Lee,,,,FR,\nnew@x.io,New,One,,,,,\nnew@x.io,Twin,Dup,,,,,\n"
    );
    let skipped = import(&acme.admin, &csv, json!({})).await;
    assert_eq!(
        skipped.at("/importContacts"),
        &json!({ "created": 1, "updated": 0, "skipped": 2, "errors": [] })
    );
    let rows = contacts_of(&app, &acme).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0].first_name, "Ann",
        "an existing contact is not touched without updateExisting"
    );
    assert_eq!(rows[1].first_name, "New", "the first row of an e-mail wins");

    let updated = import(&acme.admin, &csv, json!({ "updateExisting": true })).await;
    assert_eq!(updated.at("/importContacts/updated"), 2);
    let rows = contacts_of(&app, &acme).await;
    assert_eq!(rows[0].first_name, "Annie");
    assert_eq!(rows[0].country.as_deref(), Some("FR"));
    assert_eq!(rows.len(), 2);
}

#[tokio::test]
async fn a_dry_run_reports_without_writing() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let audit_before = count_rows(&app, "audit_log").await;
    let report = import(
        &acme.admin,
        &format!("{HEADER}a@x.io,A,,NewCo,New Status,New Tag,,\n"),
        json!({ "dryRun": true }),
    )
    .await;
    assert_eq!(report.at("/importContacts/created"), 1);
    assert_eq!(count_rows(&app, "contacts").await, 0);
    assert_eq!(count_rows(&app, "companies").await, 0);
    assert_eq!(count_rows(&app, "tags").await, 0);
    assert_eq!(count_rows(&app, "audit_log").await, audit_before);
}

#[tokio::test]
async fn bad_rows_stop_the_import_unless_skipped() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let csv = format!(
        "{HEADER}good@x.io,Good,,,,,,\nnot-an-email,Bad,,,,,Germany,\n,,,,,,,x\nalso@x.io,Also,,,,,,\n"
    );
    let report = import(&acme.admin, &csv, json!({})).await;
    let body = report.at("/importContacts");
    assert_eq!(body["created"], 0);
    let errors = body["errors"].as_array().cloned().unwrap_or_default();
    let described: Vec<(i64, String)> = errors
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap_or(0),
                e["field"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        described,
        [
            (3, "email".to_owned()),
            (3, "country".to_owned()),
            (4, "firstName".to_owned())
        ]
    );
    assert_eq!(count_rows(&app, "contacts").await, 0, "all or nothing");

    let partial = import(&acme.admin, &csv, json!({ "skipInvalidRows": true })).await;
    assert_eq!(partial.at("/importContacts/created"), 2);
    assert_eq!(partial.at("/importContacts/skipped"), 2);
    assert_eq!(count_rows(&app, "contacts").await, 2);
}

#[tokio::test]
async fn mappings_and_sources_are_checked() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let unknown_column = acme
        .admin
        .gql(IMPORT, json!({ "csv": "Email\na@x.io\n", "mapping": [{ "column": "Mail", "target": "email" }] }))
        .await;
    assert_eq!(unknown_column.field(), Some("mapping"));
    let unknown_target = acme
        .admin
        .gql(IMPORT, json!({ "csv": "Email\na@x.io\n", "mapping": [{ "column": "Email", "target": "passwordHash" }] }))
        .await;
    assert_eq!(unknown_target.field(), Some("mapping"));
    let neither = acme
        .admin
        .gql(
            IMPORT,
            json!({ "mapping": [{ "column": "Email", "target": "email" }] }),
        )
        .await;
    assert_eq!(neither.field(), Some("csv"));
    let empty = acme
        .admin
        .gql(
            IMPORT,
            json!({ "csv": "", "mapping": [{ "column": "Email", "target": "email" }] }),
        )
        .await;
    assert_eq!(empty.field(), Some("csv"));
}

#[tokio::test]
async fn only_admins_managers_and_marketing_import() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    for role in [Role::SalesRep, Role::Readonly, Role::Client] {
        let user = acme.with_user(role).await;
        import(&user, &format!("{HEADER}a@x.io,A,,,,,,\n"), json!({}))
            .await
            .expect_code("FORBIDDEN");
    }
    let marketing = acme.with_user(Role::Marketing).await;
    assert_eq!(
        import(&marketing, &format!("{HEADER}a@x.io,A,,,,,,\n"), json!({}))
            .await
            .at("/importContacts/created"),
        1
    );
}

#[tokio::test]
async fn imports_stay_inside_the_organization() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let beta = app.with_org("Beta").await;
    import(
        &beta.admin,
        &format!("{HEADER}ann@x.io,Ann,,Globex,,Vip,,\n"),
        json!({}),
    )
    .await
    .data();
    let report = import(
        &acme.admin,
        &format!("{HEADER}ann@x.io,Ann,,Globex,,Vip,,\n"),
        json!({}),
    )
    .await;
    assert_eq!(
        report.at("/importContacts/created"),
        1,
        "Beta's contact with the same e-mail is not Acme's"
    );
    let acme_company = contacts_of(&app, &acme).await[0].company_id;
    let beta_company = contacts_of(&app, &beta).await[0].company_id;
    assert_ne!(acme_company, beta_company);
}

fn multipart(operations: Value, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----crmtestboundary";
    let mut body = Vec::new();
    let mut part = |name: &str, extra: &str, content: &[u8]| {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{extra}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    part("operations", "", operations.to_string().as_bytes());
    part("map", "", br#"{"0": ["variables.file"]}"#);
    part(
        "0",
        "; filename=\"contacts.csv\"\r\nContent-Type: text/csv",
        file,
    );
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(app: &TestApp, user: &TestUser, file: &[u8]) -> Value {
    let operations = json!({
        "query": "mutation($file: Upload, $mapping: [ImportColumnInput!]!) { importContacts(file: $file, mapping: $mapping) { created errors { row } } }",
        "variables": { "file": null, "mapping": [{ "column": "Email", "target": "email" }, { "column": "Name", "target": "firstName" }] }
    });
    let (content_type, body) = multipart(operations, file);
    let request = Request::post("/graphql")
        .header("content-type", content_type)
        .header("authorization", format!("Bearer {}", user.token))
        .body(Body::from(body))
        .expect("request");
    let (_, _, body) = app.request(request).await;
    serde_json::from_slice(&body).expect("json")
}

#[tokio::test]
async fn uploaded_files_import_and_invalid_encoding_names_the_line() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let ok = upload(
        &app,
        &acme.admin,
        b"\xEF\xBB\xBFEmail,Name\na@x.io,Ann\nb@x.io,Bob\n",
    )
    .await;
    assert_eq!(
        ok.pointer("/data/importContacts/created"),
        Some(&json!(2)),
        "{ok}"
    );

    let latin1 = upload(
        &app,
        &acme.admin,
        b"Email,Name\nc@x.io,Carl\nd@x.io,Ren\xE9\n",
    )
    .await;
    assert_eq!(
        latin1.pointer("/errors/0/extensions/code"),
        Some(&json!("BAD_USER_INPUT")),
        "{latin1}"
    );
    assert_eq!(
        latin1.pointer("/errors/0/extensions/field"),
        Some(&json!("file"))
    );
    assert!(
        latin1
            .pointer("/errors/0/message")
            .and_then(Value::as_str)
            .is_some_and(|m| m.contains("line 3")),
        "{latin1}"
    );
    assert_eq!(count_rows(&app, "contacts").await, 2);
}

#[tokio::test]
async fn thousands_of_rows_import_in_one_transaction() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let mut csv = String::from(HEADER);
    for n in 0..2_500 {
        csv.push_str(&format!(
            "user{n}@bulk.io,User{n},Bulk,Company {},Tier {},\"t{}, common\",,\n",
            n % 40,
            n % 3,
            n % 7
        ));
    }
    // Over the 2 MB body limit as JSON? 2,500 short rows are well under it.
    let report = import(&acme.admin, &csv, json!({})).await;
    assert_eq!(report.at("/importContacts/created"), 2_500);
    assert_eq!(count_rows(&app, "contacts").await, 2_500);
    assert_eq!(count_rows(&app, "companies").await, 40);
    assert_eq!(count_rows(&app, "contact_tags").await, 5_000);
    let audited = count_rows(&app, "audit_log").await;
    assert!(
        audited > 2_500,
        "every imported contact is audited ({audited})"
    );
    // An imported contact's audit row holds the fields it was created with, without nulls.
    let logs = acme
        .admin
        .gql(
            "{ auditLogs(first: 1, filter: { entityType: { eq: \"Contact\" } }) { edges { node { action after } } } }",
            json!({}),
        )
        .await;
    let after = logs.at("/auditLogs/edges/0/node/after");
    assert_eq!(logs.at("/auditLogs/edges/0/node/action"), "create");
    assert!(
        after["firstName"]
            .as_str()
            .is_some_and(|n| n.starts_with("User")),
        "{after}"
    );
    assert!(
        after["email"]
            .as_str()
            .is_some_and(|e| e.ends_with("@bulk.io")),
        "{after}"
    );
    let fields = after.as_object().expect("an object");
    assert!(
        !fields.contains_key("deletedAt") && fields.values().all(|v| !v.is_null()),
        "{after}"
    );
}

#[tokio::test]
async fn re_importing_thousands_of_rows_updates_them_in_bulk() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rows = |city: &str| {
        let mut csv = String::from("E-mail,First,Last,Company,Status,Tags,Country,Notes\n");
        for n in 0..1_200 {
            csv.push_str(&format!("u{n}@bulk.io,User{n},{city},,,\"t{}\",,\n", n % 3));
        }
        csv
    };
    let mapping = json!([
        { "column": "E-mail", "target": "email" }, { "column": "First", "target": "firstName" },
        { "column": "Last", "target": "lastName" }, { "column": "Tags", "target": "tags" }
    ]);
    let run = |csv: String, options: Value| {
        let mapping = mapping.clone();
        let admin = acme.admin.clone();
        async move {
            admin
                .gql(
                    IMPORT,
                    json!({ "csv": csv, "mapping": mapping, "options": options }),
                )
                .await
        }
    };
    assert_eq!(
        run(rows("Before"), json!({}))
            .await
            .at("/importContacts/created"),
        1_200
    );
    let updated = run(rows("After"), json!({ "updateExisting": true })).await;
    assert_eq!(
        updated.at("/importContacts"),
        &json!({ "created": 0, "updated": 1_200, "skipped": 0, "errors": [] })
    );
    let contacts = contacts_of(&app, &acme).await;
    assert_eq!(contacts.len(), 1_200);
    assert!(
        contacts
            .iter()
            .all(|c| c.last_name.as_deref() == Some("After"))
    );
    assert!(contacts.iter().all(|c| c.created_at <= c.updated_at));
    assert_eq!(
        count_rows(&app, "contact_tags").await,
        1_200,
        "existing tag links are not duplicated"
    );
}
