//! Directory configuration: custom field definitions, settings lists (contact statuses,
//! services, traffic sources) and tags.

use kernel::Role;
use serde_json::{Value, json};
use test_support::TestApp;

use crate::helpers::{count_rows, text};

const CREATE_FIELD: &str = "mutation($data: CustomFieldDefinitionCreateInput!) {
  createCustomFieldDefinition(data: $data) { id entityType key label fieldType required options position }
}";
const FIELDS: &str =
    "query($e: CustomFieldEntity) { customFieldDefinitions(entityType: $e) { key position } }";
const STATUSES: &str =
    "{ contactStatuses { id name category color position isDefault contactCount } }";
const CREATE_STATUS: &str = "mutation($data: ContactStatusCreateInput!) {
  createContactStatus(data: $data) { id name category color position isDefault contactCount }
}";
const CREATE_TAG: &str =
    "mutation($data: TagCreateInput!) { createTag(data: $data) { id name color contactCount } }";

#[tokio::test]
async fn custom_field_definitions_are_created_listed_updated_and_deleted() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let created = acme
        .admin
        .gql(
            CREATE_FIELD,
            json!({ "data": { "entityType": "CONTACT", "key": "plan", "label": "Plan", "fieldType": "SELECT", "options": ["Free", "Pro"], "required": true } }),
        )
        .await;
    assert_eq!(
        created.at("/createCustomFieldDefinition/options"),
        &json!(["Free", "Pro"])
    );
    assert_eq!(created.at("/createCustomFieldDefinition/position"), 0);
    let id = text(created.data(), "/createCustomFieldDefinition/id").to_owned();
    acme.admin
        .gql(
            CREATE_FIELD,
            json!({ "data": { "entityType": "CONTACT", "key": "birthday", "label": "Birthday", "fieldType": "DATE" } }),
        )
        .await
        .data();
    acme.admin
        .gql(
            CREATE_FIELD,
            json!({ "data": { "entityType": "COMPANY", "key": "plan", "label": "Plan", "fieldType": "TEXT" } }),
        )
        .await
        .data();

    let contact_fields = acme.admin.gql(FIELDS, json!({ "e": "CONTACT" })).await;
    assert_eq!(
        contact_fields.at("/customFieldDefinitions"),
        &json!([{ "key": "plan", "position": 0 }, { "key": "birthday", "position": 1 }])
    );
    let all = acme.admin.gql(FIELDS, json!({})).await;
    assert_eq!(
        all.at("/customFieldDefinitions").as_array().map(Vec::len),
        Some(3)
    );

    let updated = acme
        .admin
        .gql(
            "mutation($id: UUID!) { updateCustomFieldDefinition(id: $id, data: { label: \"Tariff\", options: [\"Free\", \"Pro\", \"Team\"], position: 5, required: false }) { label options position required } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        updated.at("/updateCustomFieldDefinition"),
        &json!({ "label": "Tariff", "options": ["Free", "Pro", "Team"], "position": 5, "required": false })
    );
    let deleted = acme
        .admin
        .gql(
            "mutation($id: UUID!) { deleteCustomFieldDefinition(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(deleted.at("/deleteCustomFieldDefinition"), &json!(id));
    let left = acme.admin.gql(FIELDS, json!({ "e": "CONTACT" })).await;
    assert_eq!(
        left.at("/customFieldDefinitions"),
        &json!([{ "key": "birthday", "position": 1 }])
    );
}

#[tokio::test]
async fn custom_field_keys_options_and_duplicates_are_checked() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let before = count_rows(&app, "custom_field_definitions").await;
    for (data, field) in [
        (
            json!({ "entityType": "LEAD", "key": "Bad Key", "label": "X", "fieldType": "TEXT" }),
            "key",
        ),
        (
            json!({ "entityType": "LEAD", "key": "9lives", "label": "X", "fieldType": "TEXT" }),
            "key",
        ),
        (
            json!({ "entityType": "LEAD", "key": "ok", "label": " ", "fieldType": "TEXT" }),
            "label",
        ),
        (
            json!({ "entityType": "LEAD", "key": "ok", "label": "X", "fieldType": "SELECT" }),
            "options",
        ),
        (
            json!({ "entityType": "LEAD", "key": "ok", "label": "X", "fieldType": "SELECT", "options": ["a", "a"] }),
            "options",
        ),
        (
            json!({ "entityType": "LEAD", "key": "ok", "label": "X", "fieldType": "NUMBER", "options": ["a"] }),
            "options",
        ),
    ] {
        let response = acme.admin.gql(CREATE_FIELD, json!({ "data": data })).await;
        response.expect_code("BAD_USER_INPUT");
        assert_eq!(response.field(), Some(field), "{data}");
    }
    assert_eq!(count_rows(&app, "custom_field_definitions").await, before);

    let data = json!({ "entityType": "OPPORTUNITY", "key": "region", "label": "Region", "fieldType": "TEXT" });
    acme.admin
        .gql(CREATE_FIELD, json!({ "data": data }))
        .await
        .data();
    acme.admin
        .gql(CREATE_FIELD, json!({ "data": data }))
        .await
        .expect_code("CONFLICT");
    // The same key in another organization is fine.
    let beta = app.with_org("Beta").await;
    beta.admin
        .gql(CREATE_FIELD, json!({ "data": data }))
        .await
        .data();
}

#[tokio::test]
async fn configuration_is_for_managers_and_admins() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let manager = acme.with_user(Role::Manager).await;
    let data = json!({ "entityType": "CONTACT", "key": "k", "label": "K", "fieldType": "BOOLEAN" });
    manager
        .gql(CREATE_FIELD, json!({ "data": data }))
        .await
        .data();
    for role in [Role::SalesRep, Role::Marketing, Role::Readonly] {
        let user = acme.with_user(role).await;
        user.gql(
            CREATE_FIELD,
            json!({ "data": { "entityType": "CONTACT", "key": "x", "label": "X", "fieldType": "TEXT" } }),
        )
        .await
        .expect_code("FORBIDDEN");
        user.gql(
            CREATE_STATUS,
            json!({ "data": { "name": "Hot", "category": "LEAD" } }),
        )
        .await
        .expect_code("FORBIDDEN");
        user.gql(
            "mutation { createService(data: { name: \"Audit\" }) { id } }",
            json!({}),
        )
        .await
        .expect_code("FORBIDDEN");
        // Everyone on staff reads the configuration.
        let statuses = user.gql(STATUSES, json!({})).await;
        assert_eq!(
            statuses.at("/contactStatuses").as_array().map(Vec::len),
            Some(4)
        );
        user.gql(FIELDS, json!({})).await.data();
    }
    let client = acme.with_user(Role::Client).await;
    client
        .gql(STATUSES, json!({}))
        .await
        .expect_code("FORBIDDEN");
}

#[tokio::test]
async fn new_organizations_get_default_settings_lists() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let statuses = acme.admin.gql(STATUSES, json!({})).await;
    let names: Vec<&str> = statuses
        .at("/contactStatuses")
        .as_array()
        .expect("list")
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["Lead", "Prospect", "Customer", "Contact"]);
    assert_eq!(statuses.at("/contactStatuses/0/isDefault"), true);
    assert_eq!(statuses.at("/contactStatuses/0/category"), "LEAD");
    assert_eq!(statuses.at("/contactStatuses/3/category"), "OTHER");
    assert_eq!(statuses.at("/contactStatuses/0/contactCount"), 0);
    let lists = acme
        .admin
        .gql(
            "{ services { name position } trafficSources { name } }",
            json!({}),
        )
        .await;
    assert_eq!(lists.at("/services/0/name"), "Consulting");
    assert_eq!(lists.at("/services").as_array().map(Vec::len), Some(4));
    assert_eq!(
        lists.at("/trafficSources").as_array().map(Vec::len),
        Some(7)
    );
}

#[tokio::test]
async fn contact_statuses_are_created_updated_reordered_and_deleted() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let created = acme
        .admin
        .gql(
            CREATE_STATUS,
            json!({ "data": { "name": "Churned", "category": "OTHER", "color": "#AA0000", "isDefault": true } }),
        )
        .await;
    assert_eq!(
        created.at("/createContactStatus"),
        &json!({ "id": created.at("/createContactStatus/id"), "name": "Churned", "category": "OTHER", "color": "#aa0000", "position": 4, "isDefault": true, "contactCount": 0 })
    );
    let churned = text(created.data(), "/createContactStatus/id").to_owned();
    let statuses = acme.admin.gql(STATUSES, json!({})).await;
    let defaults: Vec<&Value> = statuses
        .at("/contactStatuses")
        .as_array()
        .expect("list")
        .iter()
        .filter(|s| s["isDefault"] == true)
        .collect();
    assert_eq!(defaults.len(), 1, "exactly one default");

    acme.admin
        .gql(
            CREATE_STATUS,
            json!({ "data": { "name": "Churned", "category": "LEAD" } }),
        )
        .await
        .expect_code("CONFLICT");
    let bad_color = acme
        .admin
        .gql(
            CREATE_STATUS,
            json!({ "data": { "name": "X", "category": "LEAD", "color": "red" } }),
        )
        .await;
    assert_eq!(bad_color.field(), Some("color"));

    let updated = acme
        .admin
        .gql(
            "mutation($id: UUID!) { updateContactStatus(id: $id, data: { name: \"Lost\", category: CUSTOMER, color: null }) { name category color } }",
            json!({ "id": churned }),
        )
        .await;
    assert_eq!(
        updated.at("/updateContactStatus"),
        &json!({ "name": "Lost", "category": "CUSTOMER", "color": null })
    );

    let mut ids: Vec<String> = statuses
        .at("/contactStatuses")
        .as_array()
        .expect("list")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_owned())
        .collect();
    ids.reverse();
    let reordered = acme
        .admin
        .gql(
            "mutation($ids: [UUID!]!) { reorderContactStatuses(ids: $ids) { id position } }",
            json!({ "ids": ids }),
        )
        .await;
    assert_eq!(
        reordered.at("/reorderContactStatuses/0/id"),
        &json!(churned)
    );
    assert_eq!(reordered.at("/reorderContactStatuses/4/position"), 4);
    let partial = acme
        .admin
        .gql(
            "mutation($ids: [UUID!]!) { reorderContactStatuses(ids: $ids) { id } }",
            json!({ "ids": [churned] }),
        )
        .await;
    assert_eq!(partial.field(), Some("ids"));

    // Deleting the default (unused) status hands the default to the first remaining one.
    acme.admin
        .gql(
            "mutation($id: UUID!) { deleteContactStatus(id: $id) }",
            json!({ "id": churned }),
        )
        .await
        .data();
    let after = acme.admin.gql(STATUSES, json!({})).await;
    let list = after.at("/contactStatuses").as_array().expect("list");
    assert_eq!(list.len(), 4);
    assert_eq!(list.iter().filter(|s| s["isDefault"] == true).count(), 1);
}

#[tokio::test]
async fn services_and_traffic_sources_are_managed_with_unique_names() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let created = acme
        .admin
        .gql(
            "mutation { createService(data: { name: \"Audit\", description: \"Yearly\" }) { id name description position contactCount } }",
            json!({}),
        )
        .await;
    assert_eq!(created.at("/createService/position"), 4);
    let id = text(created.data(), "/createService/id").to_owned();
    acme.admin
        .gql(
            "mutation { createService(data: { name: \"Audit\" }) { id } }",
            json!({}),
        )
        .await
        .expect_code("CONFLICT");
    let updated = acme
        .admin
        .gql(
            "mutation($id: UUID!) { updateService(id: $id, data: { name: \"Audits\", description: null }) { name description } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        updated.at("/updateService"),
        &json!({ "name": "Audits", "description": null })
    );
    acme.admin
        .gql(
            "mutation($id: UUID!) { deleteService(id: $id) }",
            json!({ "id": id }),
        )
        .await
        .data();

    let source = acme
        .admin
        .gql(
            "mutation { createTrafficSource(data: { name: \"Podcast\" }) { id name } }",
            json!({}),
        )
        .await;
    let source_id = text(source.data(), "/createTrafficSource/id").to_owned();
    let renamed = acme
        .admin
        .gql(
            "mutation($id: UUID!) { updateTrafficSource(id: $id, data: { name: \"Podcasts\" }) { name } }",
            json!({ "id": source_id }),
        )
        .await;
    assert_eq!(renamed.at("/updateTrafficSource/name"), "Podcasts");
    // Another organization cannot touch it.
    let beta = app.with_org("Beta").await;
    beta.admin
        .gql(
            "mutation($id: UUID!) { deleteTrafficSource(id: $id) }",
            json!({ "id": source_id }),
        )
        .await
        .expect_code("NOT_FOUND");
    acme.admin
        .gql(
            "mutation($id: UUID!) { deleteTrafficSource(id: $id) }",
            json!({ "id": source_id }),
        )
        .await
        .data();
    let list = acme
        .admin
        .gql("{ trafficSources { name } }", json!({}))
        .await;
    assert_eq!(list.at("/trafficSources").as_array().map(Vec::len), Some(7));
}

#[tokio::test]
async fn tags_are_title_cased_unique_listed_renamed_and_deleted() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let created = rep
        .gql(
            CREATE_TAG,
            json!({ "data": { "name": "  hot   LEAD ", "color": "#00FF00" } }),
        )
        .await;
    assert_eq!(created.at("/createTag/name"), "Hot Lead");
    assert_eq!(created.at("/createTag/color"), "#00ff00");
    let id = text(created.data(), "/createTag/id").to_owned();
    rep.gql(CREATE_TAG, json!({ "data": { "name": "HOT lead" } }))
        .await
        .expect_code("CONFLICT");
    let marketing = acme.with_user(Role::Marketing).await;
    for name in ["vip", "partner", "event 2026"] {
        marketing
            .gql(CREATE_TAG, json!({ "data": { "name": name } }))
            .await
            .data();
    }
    let readonly = acme.with_user(Role::Readonly).await;
    readonly
        .gql(CREATE_TAG, json!({ "data": { "name": "nope" } }))
        .await
        .expect_code("FORBIDDEN");
    let blank = rep
        .gql(CREATE_TAG, json!({ "data": { "name": " " } }))
        .await;
    assert_eq!(blank.field(), Some("name"));

    let first = readonly
        .gql(
            "{ tags(first: 2) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }",
            json!({}),
        )
        .await;
    assert_eq!(first.at("/tags/totalCount"), 4);
    assert_eq!(first.at("/tags/edges/0/node/name"), "Event 2026");
    assert_eq!(first.at("/tags/edges/1/node/name"), "Hot Lead");
    let cursor = text(first.data(), "/tags/pageInfo/endCursor").to_owned();
    let second = readonly
        .gql(
            "query($after: String) { tags(first: 2, after: $after) { edges { node { name } } pageInfo { hasNextPage } } }",
            json!({ "after": cursor }),
        )
        .await;
    assert_eq!(second.at("/tags/edges/0/node/name"), "Partner");
    assert_eq!(second.at("/tags/edges/1/node/name"), "Vip");
    assert_eq!(second.at("/tags/pageInfo/hasNextPage"), false);
    let filtered = readonly
        .gql(
            "{ tags(filter: { name: { startsWith: \"P\" } }, orderBy: [{ createdAt: DescNullsLast }]) { edges { node { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(filtered.at("/tags/edges/0/node/name"), "Partner");

    let renamed = rep
        .gql(
            "mutation($id: UUID!) { updateTag(id: $id, data: { name: \"warm lead\", color: null }) { name color } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        renamed.at("/updateTag"),
        &json!({ "name": "Warm Lead", "color": null })
    );
    rep.gql(
        "mutation($id: UUID!) { deleteTag(id: $id) }",
        json!({ "id": id }),
    )
    .await
    .expect_code("FORBIDDEN");
    let beta = app.with_org("Beta").await;
    beta.admin
        .gql(
            "mutation($id: UUID!) { deleteTag(id: $id) }",
            json!({ "id": id }),
        )
        .await
        .expect_code("NOT_FOUND");
    let other = beta
        .admin
        .gql(
            "query($id: UUID!) { tag(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(other.at("/tag").is_null());
    marketing
        .gql(
            "mutation($id: UUID!) { deleteTag(id: $id) }",
            json!({ "id": id }),
        )
        .await
        .data();
    let gone = acme
        .admin
        .gql(
            "query($id: UUID!) { tag(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(gone.at("/tag").is_null());
}
