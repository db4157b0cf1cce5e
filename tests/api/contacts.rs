//! Contacts: create, read, list, update, soft delete, restore, destroy; tags, statuses,
//! custom fields, search, roles and tenancy.

use kernel::Role;
use serde_json::{Value, json};
use test_support::{GqlResponse, TestApp, TestUser};

use crate::helpers::{count_rows, text};

const CREATE: &str = "mutation($data: ContactCreateInput!) {
  createContact(data: $data) {
    id firstName lastName fullName email country score source lifecycleStage customFields
    status { name category } owner { id } assignedTo { id } companyName company { name } trafficSource { name }
    services { name } tags { name } deletedAt
  }
}";
const UPDATE: &str = "mutation($id: UUID!, $data: ContactUpdateInput!) {
  updateContact(id: $id, data: $data) { id firstName email score customFields status { name } tags { name } services { name } }
}";
const GET: &str = "query($id: UUID!) { contact(id: $id) { id firstName deletedAt tags { name } } }";
const LIST: &str = "query($filter: ContactFilterInput, $orderBy: [ContactOrderByInput!], $first: Int, $after: String, $search: String) {
  contacts(filter: $filter, orderBy: $orderBy, first: $first, after: $after, search: $search) {
    totalCount edges { node { firstName } } pageInfo { hasNextPage endCursor }
  }
}";
const ADD_TAGS: &str = "mutation($id: UUID!, $names: [String!]!) { addContactTags(id: $id, names: $names) { tags { name } } }";
const REMOVE_TAGS: &str = "mutation($id: UUID!, $names: [String!]!) { removeContactTags(id: $id, names: $names) { tags { name } } }";
const CREATE_FIELD: &str = "mutation($data: CustomFieldDefinitionCreateInput!) { createCustomFieldDefinition(data: $data) { id } }";

async fn create(user: &TestUser, data: Value) -> String {
    let response = user.gql(CREATE, json!({ "data": data })).await;
    text(response.data(), "/createContact/id").to_owned()
}

fn names(response: &GqlResponse) -> Vec<String> {
    response
        .at("/contacts/edges")
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["firstName"].as_str().expect("name").to_owned())
        .collect()
}

async fn status_id(user: &TestUser, name: &str) -> String {
    let statuses = user.gql("{ contactStatuses { id name } }", json!({})).await;
    statuses
        .at("/contactStatuses")
        .as_array()
        .expect("statuses")
        .iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["id"].as_str())
        .expect("status")
        .to_owned()
}

#[tokio::test]
async fn contacts_are_created_read_updated_deleted_restored_and_destroyed() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let company = acme
        .admin
        .gql(
            "mutation { createCompany(data: { name: \"Globex\" }) { id } }",
            json!({}),
        )
        .await;
    let company_id = text(company.data(), "/createCompany/id").to_owned();
    let lists = acme
        .admin
        .gql(
            "{ services { id name } trafficSources { id name } }",
            json!({}),
        )
        .await;
    let service_id = text(lists.data(), "/services/0/id").to_owned();
    let source_id = text(lists.data(), "/trafficSources/1/id").to_owned();
    let tag = acme
        .admin
        .gql(
            "mutation { createTag(data: { name: \"vip\" }) { id } }",
            json!({}),
        )
        .await;
    let tag_id = text(tag.data(), "/createTag/id").to_owned();

    let created = acme
        .admin
        .gql(
            CREATE,
            json!({ "data": {
                "firstName": " Ada ", "lastName": "Lovelace", "email": "Ada@Example.COM", "country": "gb",
                "score": 42, "source": "REFERRAL", "lifecycleStage": "SALES_QUALIFIED",
                "companyId": company_id, "trafficSourceId": source_id, "serviceIds": [service_id],
                "tagIds": [tag_id], "assignedToId": rep.id, "companyName": "Globex Ltd"
            } }),
        )
        .await;
    let contact = created.at("/createContact");
    assert_eq!(contact["firstName"], "Ada");
    assert_eq!(contact["fullName"], "Ada Lovelace");
    assert_eq!(contact["email"], "ada@example.com");
    assert_eq!(contact["country"], "GB");
    assert_eq!(contact["source"], "REFERRAL");
    assert_eq!(contact["lifecycleStage"], "SALES_QUALIFIED");
    assert_eq!(
        contact["status"],
        json!({ "name": "Lead", "category": "LEAD" })
    );
    assert_eq!(contact["owner"]["id"], json!(acme.admin.id));
    assert_eq!(contact["assignedTo"]["id"], json!(rep.id));
    assert_eq!(contact["company"]["name"], "Globex");
    assert_eq!(contact["companyName"], "Globex Ltd");
    assert_eq!(contact["trafficSource"]["name"], "Referral");
    assert_eq!(contact["services"], json!([{ "name": "Consulting" }]));
    assert_eq!(contact["tags"], json!([{ "name": "Vip" }]));
    let id = text(created.data(), "/createContact/id").to_owned();

    let customer = status_id(&acme.admin, "Customer").await;
    let updated = acme
        .admin
        .gql(
            UPDATE,
            json!({ "id": id, "data": { "firstName": "Augusta", "email": null, "score": 90, "statusId": customer, "tagIds": [], "serviceIds": [] } }),
        )
        .await;
    assert_eq!(
        updated.at("/updateContact"),
        &json!({ "id": id, "firstName": "Augusta", "email": null, "score": 90, "customFields": {}, "status": { "name": "Customer" }, "tags": [], "services": [] })
    );
    let counts = acme
        .admin
        .gql("{ contactStatuses { name contactCount } }", json!({}))
        .await;
    assert_eq!(
        counts.at("/contactStatuses/2"),
        &json!({ "name": "Customer", "contactCount": 1 })
    );

    let deleted = acme
        .admin
        .gql(
            "mutation($id: UUID!) { deleteContact(id: $id) { deletedAt } }",
            json!({ "id": id }),
        )
        .await;
    assert!(!deleted.at("/deleteContact/deletedAt").is_null());
    assert_eq!(
        acme.admin
            .gql(LIST, json!({}))
            .await
            .at("/contacts/totalCount"),
        0
    );
    let trash = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "deletedAt": { "is": "NOT_NULL" } } }),
        )
        .await;
    assert_eq!(names(&trash), ["Augusta"]);
    acme.admin
        .gql(
            "mutation($id: UUID!) { restoreContact(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await
        .data();
    assert_eq!(
        acme.admin
            .gql(LIST, json!({}))
            .await
            .at("/contacts/totalCount"),
        1
    );

    acme.admin
        .gql(ADD_TAGS, json!({ "id": id, "names": ["vip"] }))
        .await
        .data();
    rep.gql(
        "mutation($id: UUID!) { destroyContact(id: $id) }",
        json!({ "id": id }),
    )
    .await
    .expect_code("FORBIDDEN");
    let destroyed = acme
        .admin
        .gql(
            "mutation($id: UUID!) { destroyContact(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(destroyed.at("/destroyContact"), &json!(id));
    assert!(
        acme.admin
            .gql(GET, json!({ "id": id }))
            .await
            .at("/contact")
            .is_null()
    );
    assert_eq!(count_rows(&app, "contact_tags").await, 0);
    assert_eq!(count_rows(&app, "contacts").await, 0);
}

#[tokio::test]
async fn contacts_are_filtered_sorted_and_paged() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let customer = status_id(&acme.admin, "Customer").await;
    let tag = acme
        .admin
        .gql(
            "mutation { createTag(data: { name: \"Hot\" }) { id } }",
            json!({}),
        )
        .await;
    let tag_id = text(tag.data(), "/createTag/id").to_owned();
    let batch = acme
        .admin
        .gql(
            "mutation($data: [ContactCreateInput!]!) { createContacts(data: $data) { id } }",
            json!({ "data": [
                { "firstName": "Amy", "score": 10, "country": "DE", "lifecycleStage": "LEAD" },
                { "firstName": "Ben", "score": 80, "country": "FR", "statusId": customer, "tagIds": [tag_id] },
                { "firstName": "Cat", "score": 50, "country": "DE", "ownerId": rep.id, "source": "EVENT" },
                { "firstName": "Dan", "statusId": customer, "tagIds": [tag_id] },
                { "firstName": "Eve", "score": 95, "assignedToId": rep.id }
            ] }),
        )
        .await;
    assert_eq!(
        batch.at("/createContacts").as_array().map(Vec::len),
        Some(5)
    );

    let by_score = acme
        .admin
        .gql(LIST, json!({ "orderBy": [{ "score": "DescNullsLast" }] }))
        .await;
    assert_eq!(names(&by_score), ["Eve", "Ben", "Cat", "Amy", "Dan"]);
    let german = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "country": { "eq": "DE" }, "score": { "gte": 20 } } }),
        )
        .await;
    assert_eq!(names(&german), ["Cat"]);
    let customers = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "statusCategory": { "eq": "CUSTOMER" } }, "orderBy": [{ "firstName": "AscNullsLast" }] }),
        )
        .await;
    assert_eq!(names(&customers), ["Ben", "Dan"]);
    let tagged = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "tagIds": [tag_id], "not": { "firstName": { "eq": "Dan" } } } }),
        )
        .await;
    assert_eq!(names(&tagged), ["Ben"]);
    let reps = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "or": [{ "ownerId": { "eq": rep.id } }, { "assignedToId": { "eq": rep.id } }] }, "orderBy": [{ "firstName": "AscNullsLast" }] }),
        )
        .await;
    assert_eq!(names(&reps), ["Cat", "Eve"]);
    let enums = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "or": [{ "source": { "eq": "EVENT" } }, { "lifecycleStage": { "in": ["LEAD"] } }] }, "orderBy": [{ "firstName": "AscNullsLast" }] }),
        )
        .await;
    assert_eq!(names(&enums), ["Amy", "Cat"]);

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = acme
            .admin
            .gql(
                LIST,
                json!({ "orderBy": [{ "firstName": "AscNullsLast" }], "first": 2, "after": after }),
            )
            .await;
        assert_eq!(page.at("/contacts/totalCount"), 5);
        seen.extend(names(&page));
        if page.at("/contacts/pageInfo/hasNextPage") == false {
            break;
        }
        after = Some(text(page.data(), "/contacts/pageInfo/endCursor").to_owned());
    }
    assert_eq!(seen, ["Amy", "Ben", "Cat", "Dan", "Eve"]);
}

#[tokio::test]
async fn contact_tags_are_added_by_name_title_cased_and_removed() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let id = create(&acme.admin, json!({ "firstName": "Ada" })).await;
    let added = acme
        .admin
        .gql(
            ADD_TAGS,
            json!({ "id": id, "names": ["hot lead", "VIP", "Hot Lead"] }),
        )
        .await;
    assert_eq!(
        added.at("/addContactTags/tags"),
        &json!([{ "name": "Hot Lead" }, { "name": "Vip" }])
    );
    assert_eq!(count_rows(&app, "tags").await, 2);
    // Idempotent: adding again changes nothing and creates no tag.
    let again = acme
        .admin
        .gql(ADD_TAGS, json!({ "id": id, "names": ["vip", "partner"] }))
        .await;
    assert_eq!(
        again.at("/addContactTags/tags"),
        &json!([{ "name": "Hot Lead" }, { "name": "Partner" }, { "name": "Vip" }])
    );
    assert_eq!(count_rows(&app, "tags").await, 3);
    let counted = acme
        .admin
        .gql(
            "{ tags { edges { node { name contactCount } } } }",
            json!({}),
        )
        .await;
    assert_eq!(counted.at("/tags/edges/0/node/contactCount"), 1);
    let removed = acme
        .admin
        .gql(
            REMOVE_TAGS,
            json!({ "id": id, "names": ["HOT LEAD", "unknown"] }),
        )
        .await;
    assert_eq!(
        removed.at("/removeContactTags/tags"),
        &json!([{ "name": "Partner" }, { "name": "Vip" }])
    );
    assert_eq!(count_rows(&app, "tags").await, 3);
    let blank = acme
        .admin
        .gql(ADD_TAGS, json!({ "id": id, "names": [" "] }))
        .await;
    assert_eq!(blank.field(), Some("names"));
    // Deleting a tag removes it from its contacts.
    let tags = acme
        .admin
        .gql(
            "{ tags(filter: { name: { eq: \"Vip\" } }) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let vip = text(tags.data(), "/tags/edges/0/node/id").to_owned();
    acme.admin
        .gql(
            "mutation($id: UUID!) { deleteTag(id: $id) }",
            json!({ "id": vip }),
        )
        .await
        .data();
    let after = acme.admin.gql(GET, json!({ "id": id })).await;
    assert_eq!(after.at("/contact/tags"), &json!([{ "name": "Partner" }]));
}

#[tokio::test]
async fn deleting_a_status_in_use_needs_a_replacement() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let prospect = status_id(&acme.admin, "Prospect").await;
    let customer = status_id(&acme.admin, "Customer").await;
    let id = create(
        &acme.admin,
        json!({ "firstName": "Ada", "statusId": prospect }),
    )
    .await;
    let missing = acme
        .admin
        .gql(
            "mutation($id: UUID!) { deleteContactStatus(id: $id) }",
            json!({ "id": prospect }),
        )
        .await;
    missing.expect_code("BAD_USER_INPUT");
    assert_eq!(missing.field(), Some("replacementId"));
    assert_eq!(count_rows(&app, "contact_statuses").await, 4);
    acme.admin
        .gql(
            "mutation($id: UUID!, $r: UUID) { deleteContactStatus(id: $id, replacementId: $r) }",
            json!({ "id": prospect, "r": customer }),
        )
        .await
        .data();
    let moved = acme
        .admin
        .gql(
            "query($id: UUID!) { contact(id: $id) { status { name } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(moved.at("/contact/status/name"), "Customer");

    // Services and traffic sources move the same way.
    let lists = acme
        .admin
        .gql("{ services { id } trafficSources { id } }", json!({}))
        .await;
    let (s0, s1) = (
        text(lists.data(), "/services/0/id").to_owned(),
        text(lists.data(), "/services/1/id").to_owned(),
    );
    let (t0, t1) = (
        text(lists.data(), "/trafficSources/0/id").to_owned(),
        text(lists.data(), "/trafficSources/1/id").to_owned(),
    );
    acme.admin
        .gql(UPDATE, json!({ "id": id, "data": { "serviceIds": [s0] } }))
        .await
        .data();
    acme.admin
        .gql(
            UPDATE,
            json!({ "id": id, "data": { "trafficSourceId": t0 } }),
        )
        .await
        .data();
    let no_replacement = acme
        .admin
        .gql(
            "mutation($id: UUID!) { deleteService(id: $id) }",
            json!({ "id": s0 }),
        )
        .await;
    assert_eq!(no_replacement.field(), Some("replacementId"));
    acme.admin
        .gql(
            "mutation($id: UUID!, $r: UUID) { deleteService(id: $id, replacementId: $r) }",
            json!({ "id": s0, "r": s1 }),
        )
        .await
        .data();
    let no_source = acme
        .admin
        .gql(
            "mutation($id: UUID!) { deleteTrafficSource(id: $id) }",
            json!({ "id": t0 }),
        )
        .await;
    assert_eq!(no_source.field(), Some("replacementId"));
    acme.admin
        .gql(
            "mutation($id: UUID!, $r: UUID) { deleteTrafficSource(id: $id, replacementId: $r) }",
            json!({ "id": t0, "r": t1 }),
        )
        .await
        .data();
    let after = acme
        .admin
        .gql(
            "query($id: UUID!) { contact(id: $id) { services { id } trafficSourceId } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(after.at("/contact/services"), &json!([{ "id": s1 }]));
    assert_eq!(after.at("/contact/trafficSourceId"), &json!(t1));
}

#[tokio::test]
async fn custom_fields_are_validated_by_type_required_and_removed_by_null() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    for (key, field_type, options) in [
        ("notes", "TEXT", None),
        ("budget", "NUMBER", None),
        ("birthday", "DATE", None),
        ("newsletter", "BOOLEAN", None),
        ("plan", "SELECT", Some(json!(["Free", "Pro"]))),
        ("channels", "MULTI_SELECT", Some(json!(["Mail", "Phone"]))),
        ("homepage", "URL", None),
        ("billing_email", "EMAIL", None),
    ] {
        acme.admin
            .gql(
                CREATE_FIELD,
                json!({ "data": { "entityType": "CONTACT", "key": key, "label": key, "fieldType": field_type, "options": options } }),
            )
            .await
            .data();
    }
    let good = json!({
        "notes": "likes tea", "budget": 12.5, "birthday": "1990-02-28", "newsletter": true,
        "plan": "Pro", "channels": ["Mail", "Phone"], "homepage": "https://ada.dev",
        "billing_email": "Billing@Ada.DEV"
    });
    let created = acme
        .admin
        .gql(
            CREATE,
            json!({ "data": { "firstName": "Ada", "customFields": good } }),
        )
        .await;
    let stored = created.at("/createContact/customFields");
    assert_eq!(stored["billing_email"], "billing@ada.dev");
    assert_eq!(stored["channels"], json!(["Mail", "Phone"]));
    let id = text(created.data(), "/createContact/id").to_owned();

    let before = count_rows(&app, "contacts").await;
    for (key, value) in [
        ("notes", json!(5)),
        ("notes", json!("a\u{0}b")),
        ("notes", json!("x".repeat(10_001))),
        ("budget", json!("12")),
        ("birthday", json!("28/02/1990")),
        ("birthday", json!("1990-02-30")),
        ("newsletter", json!("yes")),
        ("plan", json!("Team")),
        ("channels", json!(["Mail", "Fax"])),
        ("channels", json!("Mail")),
        ("homepage", json!("ftp://ada.dev")),
        ("billing_email", json!("not-an-email")),
        ("unknown_key", json!(1)),
    ] {
        let response = acme
            .admin
            .gql(
                CREATE,
                json!({ "data": { "firstName": "Bad", "customFields": { key: value } } }),
            )
            .await;
        response.expect_code("BAD_USER_INPUT");
        assert_eq!(
            response.field(),
            Some(format!("customFields.{key}").as_str()),
            "{key}"
        );
    }
    let not_object = acme
        .admin
        .gql(
            CREATE,
            json!({ "data": { "firstName": "Bad", "customFields": "x" } }),
        )
        .await;
    assert_eq!(not_object.field(), Some("customFields"));
    assert_eq!(count_rows(&app, "contacts").await, before);

    // Merge over stored values; null removes a key.
    let updated = acme
        .admin
        .gql(
            UPDATE,
            json!({ "id": id, "data": { "customFields": { "notes": null, "budget": 99 } } }),
        )
        .await;
    let merged = updated.at("/updateContact/customFields");
    assert!(merged.get("notes").is_none());
    assert_eq!(merged["budget"], 99);
    assert_eq!(merged["plan"], "Pro");

    // A required field must be present on create and cannot be removed.
    acme.admin
        .gql(
            CREATE_FIELD,
            json!({ "data": { "entityType": "CONTACT", "key": "region", "label": "Region", "fieldType": "TEXT", "required": true } }),
        )
        .await
        .data();
    let missing = acme
        .admin
        .gql(CREATE, json!({ "data": { "firstName": "Bad" } }))
        .await;
    assert_eq!(missing.field(), Some("customFields.region"));
    acme.admin
        .gql(
            CREATE,
            json!({ "data": { "firstName": "Ok", "customFields": { "region": "EMEA" } } }),
        )
        .await
        .data();
    let removal = acme
        .admin
        .gql(
            UPDATE,
            json!({ "id": id, "data": { "customFields": { "region": null } } }),
        )
        .await;
    assert_eq!(removal.field(), Some("customFields.region"));
}

#[tokio::test]
async fn bad_contact_input_names_the_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let before = count_rows(&app, "contacts").await;
    for (data, field) in [
        (json!({ "firstName": " " }), "firstName"),
        (
            json!({ "firstName": "A", "email": "not an email" }),
            "email",
        ),
        (json!({ "firstName": "A", "country": "Germany" }), "country"),
        (json!({ "firstName": "A", "score": 101 }), "score"),
        (json!({ "firstName": "A", "score": -1 }), "score"),
        (
            json!({ "firstName": "A", "website": "ftp://x.io" }),
            "website",
        ),
        (
            json!({ "firstName": "A", "phone": "1".repeat(21) }),
            "phone",
        ),
        (json!({ "firstName": "A\u{0}" }), "firstName"),
    ] {
        let response = acme.admin.gql(CREATE, json!({ "data": data })).await;
        response.expect_code("BAD_USER_INPUT");
        assert_eq!(response.field(), Some(field), "{data}");
    }
    let batch = acme
        .admin
        .gql(
            "mutation($data: [ContactCreateInput!]!) { createContacts(data: $data) { id } }",
            json!({ "data": [{ "firstName": "Good" }, { "firstName": "Bad", "score": 101 }] }),
        )
        .await;
    assert_eq!(batch.field(), Some("data.1.score"));
    assert_eq!(count_rows(&app, "contacts").await, before);
    let id = create(
        &acme.admin,
        json!({ "firstName": "Ada", "email": "ada@example.com" }),
    )
    .await;
    let update = acme
        .admin
        .gql(UPDATE, json!({ "id": id, "data": { "email": "nope" } }))
        .await;
    assert_eq!(update.field(), Some("email"));
    let kept = acme
        .admin
        .gql(
            "query($id: UUID!) { contact(id: $id) { email } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(kept.at("/contact/email"), "ada@example.com");
}

#[tokio::test]
async fn contact_search_matches_words_on_both_databases() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    create(
        &acme.admin,
        json!({ "firstName": "Ada", "lastName": "Lovelace", "companyName": "Analytical" }),
    )
    .await;
    create(
        &acme.admin,
        json!({ "firstName": "Grace", "lastName": "Hopper", "companyName": "Navy" }),
    )
    .await;
    create(
        &acme.admin,
        json!({ "firstName": "Alan", "lastName": "Turing", "companyName": "Analytical" }),
    )
    .await;
    let one = acme.admin.gql(LIST, json!({ "search": "hopper" })).await;
    assert_eq!(names(&one), ["Grace"]);
    let two_words = acme
        .admin
        .gql(LIST, json!({ "search": "Ada Lovelace" }))
        .await;
    assert_eq!(names(&two_words), ["Ada"]);
    let by_company = acme
        .admin
        .gql(
            LIST,
            json!({ "search": "analytical", "orderBy": [{ "firstName": "AscNullsLast" }] }),
        )
        .await;
    assert_eq!(names(&by_company), ["Ada", "Alan"]);
    let combined = acme
        .admin
        .gql(LIST, json!({ "search": "analytical turing" }))
        .await;
    assert_eq!(names(&combined), ["Alan"]);
    let by_company_name = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "companyName": { "eq": "Analytical" } }, "orderBy": [{ "companyName": "AscNullsLast" }, { "firstName": "DescNullsLast" }] }),
        )
        .await;
    assert_eq!(names(&by_company_name), ["Alan", "Ada"]);
    let none = acme.admin.gql(LIST, json!({ "search": "babbage" })).await;
    assert_eq!(none.at("/contacts/totalCount"), 0);
}

#[tokio::test]
async fn contact_search_ranks_name_matches_first_and_pages_in_rank_order() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    // Created in this order, so the default order (newest first) would put the name match last.
    create(
        &acme.admin,
        json!({ "firstName": "Marie", "lastName": "Curie", "companyName": "Radium" }),
    )
    .await;
    create(
        &acme.admin,
        json!({ "firstName": "Pierre", "lastName": "Dupont", "companyName": "Curie Institute" }),
    )
    .await;
    create(
        &acme.admin,
        json!({ "firstName": "Irene", "lastName": "Joliot", "companyName": "Curie Labs" }),
    )
    .await;
    create(
        &acme.admin,
        json!({ "firstName": "Paul", "lastName": "Langevin", "companyName": "Physics" }),
    )
    .await;

    let ranked = acme.admin.gql(LIST, json!({ "search": "curie" })).await;
    let ranked = names(&ranked);
    assert_eq!(ranked.len(), 3, "{ranked:?}");
    assert_eq!(ranked[0], "Marie", "the name match comes first: {ranked:?}");
    // Equal relevance keeps the default order: newest first.
    assert_eq!(ranked[1..], ["Irene", "Pierre"]);

    // Paging one by one walks the same ranked order.
    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = acme
            .admin
            .gql(
                LIST,
                json!({ "search": "curie", "first": 1, "after": after }),
            )
            .await;
        paged.extend(names(&page));
        if page.at("/contacts/pageInfo/hasNextPage") != true {
            break;
        }
        after = page
            .at("/contacts/pageInfo/endCursor")
            .as_str()
            .map(str::to_owned);
    }
    assert_eq!(paged, ranked);

    // An explicit order wins over relevance, and a ranked cursor does not fit it.
    let ordered = acme
        .admin
        .gql(
            LIST,
            json!({ "search": "curie", "orderBy": [{ "createdAt": "DescNullsLast" }] }),
        )
        .await;
    assert_eq!(names(&ordered), ["Irene", "Pierre", "Marie"]);
    let first = acme
        .admin
        .gql(LIST, json!({ "search": "curie", "first": 1 }))
        .await;
    let cursor = first.at("/contacts/pageInfo/endCursor").clone();
    acme.admin
        .gql(
            LIST,
            json!({ "search": "curie", "after": cursor, "orderBy": [{ "createdAt": "DescNullsLast" }] }),
        )
        .await
        .expect_code("BAD_USER_INPUT");
}

#[tokio::test]
async fn sales_rep_visibility_and_edit_rights_follow_the_role_matrix() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let teammate = acme.with_user(Role::SalesRep).await;
    let outsider = acme.with_user(Role::SalesRep).await;
    let team = acme
        .admin
        .gql(
            "mutation { createTeam(data: { name: \"East\" }) { id } }",
            json!({}),
        )
        .await;
    let team_id = text(team.data(), "/createTeam/id").to_owned();
    for user in [&rep, &teammate] {
        acme.admin
            .gql(
                "mutation($id: UUID!, $team: UUID) { updateUser(id: $id, data: { teamId: $team }) { id } }",
                json!({ "id": user.id, "team": team_id }),
            )
            .await
            .data();
    }
    let own = create(&rep, json!({ "firstName": "Own" })).await;
    let assigned = create(
        &acme.admin,
        json!({ "firstName": "Assigned", "assignedToId": rep.id }),
    )
    .await;
    let teams = create(&teammate, json!({ "firstName": "Team" })).await;
    let others = create(&outsider, json!({ "firstName": "Other" })).await;

    let sorted = json!({ "orderBy": [{ "firstName": "AscNullsLast" }] });
    assert_eq!(
        names(&rep.gql(LIST, sorted.clone()).await),
        ["Assigned", "Other", "Own", "Team"]
    );
    // Edits: only own or assigned.
    rep.gql(UPDATE, json!({ "id": own, "data": { "score": 1 } }))
        .await
        .data();
    rep.gql(UPDATE, json!({ "id": assigned, "data": { "score": 1 } }))
        .await
        .data();
    rep.gql(UPDATE, json!({ "id": teams, "data": { "score": 1 } }))
        .await
        .expect_code("FORBIDDEN");
    rep.gql(
        "mutation($id: UUID!) { deleteContact(id: $id) { id } }",
        json!({ "id": others }),
    )
    .await
    .expect_code("FORBIDDEN");
    rep.gql(ADD_TAGS, json!({ "id": others, "names": ["x"] }))
        .await
        .expect_code("FORBIDDEN");

    let set = |v: &str| json!({ "v": v });
    let visibility = "mutation($v: SalesRepVisibility!) { updateOrganization(data: { salesRepVisibility: $v }) { id } }";
    acme.admin.gql(visibility, set("TEAM")).await.data();
    assert_eq!(
        names(&rep.gql(LIST, sorted.clone()).await),
        ["Assigned", "Own", "Team"]
    );
    assert!(
        rep.gql(GET, json!({ "id": others }))
            .await
            .at("/contact")
            .is_null()
    );
    acme.admin.gql(visibility, set("OWN")).await.data();
    assert_eq!(
        names(&rep.gql(LIST, sorted.clone()).await),
        ["Assigned", "Own"]
    );
    assert!(
        rep.gql(GET, json!({ "id": teams }))
            .await
            .at("/contact")
            .is_null()
    );
    rep.gql(UPDATE, json!({ "id": teams, "data": { "score": 1 } }))
        .await
        .expect_code("NOT_FOUND");
    // Managers still see everything.
    let manager = acme.with_user(Role::Manager).await;
    assert_eq!(
        manager
            .gql(LIST, json!({}))
            .await
            .at("/contacts/totalCount"),
        4
    );
    manager
        .gql(UPDATE, json!({ "id": others, "data": { "score": 5 } }))
        .await
        .data();

    let marketing = acme.with_user(Role::Marketing).await;
    create(&marketing, json!({ "firstName": "Mkt" })).await;
    marketing
        .gql(UPDATE, json!({ "id": others, "data": { "score": 6 } }))
        .await
        .data();
    let readonly = acme.with_user(Role::Readonly).await;
    assert_eq!(
        readonly
            .gql(LIST, json!({}))
            .await
            .at("/contacts/totalCount"),
        5
    );
    readonly
        .gql(CREATE, json!({ "data": { "firstName": "No" } }))
        .await
        .expect_code("FORBIDDEN");
    readonly
        .gql(UPDATE, json!({ "id": own, "data": { "score": 2 } }))
        .await
        .expect_code("FORBIDDEN");
    let client = acme.with_user(Role::Client).await;
    client.gql(LIST, json!({})).await.expect_code("FORBIDDEN");
    client
        .gql(CREATE, json!({ "data": { "firstName": "No" } }))
        .await
        .expect_code("FORBIDDEN");
}

#[tokio::test]
async fn another_organizations_ids_are_not_found() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let beta = app.with_org("Beta").await;
    let theirs = create(&beta.admin, json!({ "firstName": "Theirs" })).await;
    let company = beta
        .admin
        .gql(
            "mutation { createCompany(data: { name: \"B\" }) { id } }",
            json!({}),
        )
        .await;
    let company_id = text(company.data(), "/createCompany/id").to_owned();
    let tag = beta
        .admin
        .gql(
            "mutation { createTag(data: { name: \"b\" }) { id } }",
            json!({}),
        )
        .await;
    let tag_id = text(tag.data(), "/createTag/id").to_owned();
    let status = status_id(&beta.admin, "Lead").await;
    let services = beta
        .admin
        .gql("{ services { id } trafficSources { id } }", json!({}))
        .await;
    let service_id = text(services.data(), "/services/0/id").to_owned();
    let source_id = text(services.data(), "/trafficSources/0/id").to_owned();

    let before = count_rows(&app, "contacts").await;
    for data in [
        json!({ "firstName": "X", "companyId": company_id }),
        json!({ "firstName": "X", "statusId": status }),
        json!({ "firstName": "X", "tagIds": [tag_id] }),
        json!({ "firstName": "X", "ownerId": beta.admin.id }),
        json!({ "firstName": "X", "assignedToId": beta.admin.id }),
        json!({ "firstName": "X", "serviceIds": [service_id] }),
        json!({ "firstName": "X", "trafficSourceId": source_id }),
    ] {
        acme.admin
            .gql(CREATE, json!({ "data": data }))
            .await
            .expect_code("NOT_FOUND");
    }
    assert_eq!(count_rows(&app, "contacts").await, before);
    assert!(
        acme.admin
            .gql(GET, json!({ "id": theirs }))
            .await
            .at("/contact")
            .is_null()
    );
    for mutation in [
        "mutation($id: UUID!) { deleteContact(id: $id) { id } }",
        "mutation($id: UUID!) { restoreContact(id: $id) { id } }",
        "mutation($id: UUID!) { destroyContact(id: $id) }",
    ] {
        acme.admin
            .gql(mutation, json!({ "id": theirs }))
            .await
            .expect_code("NOT_FOUND");
    }
    acme.admin
        .gql(
            UPDATE,
            json!({ "id": theirs, "data": { "firstName": "Mine" } }),
        )
        .await
        .expect_code("NOT_FOUND");
    acme.admin
        .gql(ADD_TAGS, json!({ "id": theirs, "names": ["x"] }))
        .await
        .expect_code("NOT_FOUND");
    let list = acme
        .admin
        .gql(LIST, json!({ "filter": { "id": { "eq": theirs } } }))
        .await;
    assert_eq!(list.at("/contacts/totalCount"), 0);
    // The other organization's contact is unchanged.
    let still = beta.admin.gql(GET, json!({ "id": theirs })).await;
    assert_eq!(still.at("/contact/firstName"), "Theirs");
}
