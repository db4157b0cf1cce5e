//! Segments: dynamic (a saved filter) and static (a member list).

use kernel::Role;
use serde_json::json;
use test_support::TestApp;

use crate::crm_fixtures::contact;

const CREATE: &str =
    "mutation($data: SegmentCreateInput!) { createSegment(data: $data) { id kind contactCount } }";
const READ: &str = "query($id: UUID!) { segment(id: $id) { name kind contactCount contacts(first: 20, orderBy: [{ email: AscNullsLast }]) { totalCount edges { node { email } } } } }";

fn emails(response: &test_support::GqlResponse) -> Vec<String> {
    response
        .at("/segment/contacts/edges")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["email"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn a_dynamic_segment_follows_its_filter() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    contact(
        &acme.admin,
        json!({ "firstName": "Ann", "email": "ann@x.io", "country": "DE" }),
    )
    .await;
    contact(
        &acme.admin,
        json!({ "firstName": "Bob", "email": "bob@x.io", "country": "FR" }),
    )
    .await;
    let created = acme
        .admin
        .gql(CREATE, json!({ "data": { "name": "Germany", "kind": "DYNAMIC", "filter": { "country": { "eq": "DE" } } } }))
        .await;
    assert_eq!(created.at("/createSegment/contactCount"), 1);
    let id = created.at("/createSegment/id").clone();
    contact(
        &acme.admin,
        json!({ "firstName": "Cid", "email": "cid@x.io", "country": "DE" }),
    )
    .await;
    let read = acme.admin.gql(READ, json!({ "id": id })).await;
    assert_eq!(emails(&read), ["ann@x.io", "cid@x.io"]);
    assert_eq!(read.at("/segment/contactCount"), 2);

    let narrowed = acme
        .admin
        .gql("query($id: UUID!) { segment(id: $id) { contacts(filter: { firstName: { eq: \"Cid\" } }) { totalCount } } }", json!({ "id": id }))
        .await;
    assert_eq!(narrowed.at("/segment/contacts/totalCount"), 1);
}

#[tokio::test]
async fn a_static_segment_has_hand_picked_members() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let a = contact(
        &acme.admin,
        json!({ "firstName": "Ann", "email": "ann@x.io" }),
    )
    .await;
    let b = contact(
        &acme.admin,
        json!({ "firstName": "Bob", "email": "bob@x.io" }),
    )
    .await;
    let c = contact(
        &acme.admin,
        json!({ "firstName": "Cid", "email": "cid@x.io" }),
    )
    .await;
    let created = acme
        .admin
        .gql(
            CREATE,
            json!({ "data": { "name": "Key", "kind": "STATIC", "contactIds": [a, b] } }),
        )
        .await;
    let id = created.at("/createSegment/id").clone();
    assert_eq!(created.at("/createSegment/contactCount"), 2);
    acme.admin
        .gql("mutation($id: UUID!, $ids: [UUID!]!) { addSegmentContacts(id: $id, contactIds: $ids) { id } }", json!({ "id": id, "ids": [c, a] }))
        .await
        .data();
    acme.admin
        .gql("mutation($id: UUID!, $ids: [UUID!]!) { removeSegmentContacts(id: $id, contactIds: $ids) { id } }", json!({ "id": id, "ids": [b] }))
        .await
        .data();
    assert_eq!(
        emails(&acme.admin.gql(READ, json!({ "id": id })).await),
        ["ann@x.io", "cid@x.io"]
    );

    // Deleted contacts drop out; soft delete, restore and destroy of the segment.
    acme.admin
        .gql(
            "mutation($id: UUID!) { deleteContact(id: $id) { id } }",
            json!({ "id": c }),
        )
        .await
        .data();
    assert_eq!(
        acme.admin
            .gql(READ, json!({ "id": id }))
            .await
            .at("/segment/contactCount"),
        1
    );
    acme.admin
        .gql(
            "mutation($id: UUID!) { deleteSegment(id: $id) { deletedAt } }",
            json!({ "id": id }),
        )
        .await
        .data();
    let listed = acme
        .admin
        .gql("{ segments { totalCount } }", json!({}))
        .await;
    assert_eq!(listed.at("/segments/totalCount"), 0);
    acme.admin
        .gql(
            "mutation($id: UUID!) { restoreSegment(id: $id) { deletedAt } }",
            json!({ "id": id }),
        )
        .await
        .data();
    let destroyed = acme
        .admin
        .gql(
            "mutation($id: UUID!) { destroySegment(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(destroyed.at("/destroySegment"), &id);
    assert!(
        acme.admin
            .gql(READ, json!({ "id": id }))
            .await
            .at("/segment")
            .is_null()
    );
}

#[tokio::test]
async fn segment_input_is_checked() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let a = contact(
        &acme.admin,
        json!({ "firstName": "Ann", "email": "ann@x.io" }),
    )
    .await;
    let no_filter = acme
        .admin
        .gql(
            CREATE,
            json!({ "data": { "name": "X", "kind": "DYNAMIC" } }),
        )
        .await;
    assert_eq!(no_filter.field(), Some("filter"));
    let static_filter = acme
        .admin
        .gql(
            CREATE,
            json!({ "data": { "name": "X", "kind": "STATIC", "filter": {} } }),
        )
        .await;
    assert_eq!(static_filter.field(), Some("filter"));
    let dynamic = acme.admin.gql(CREATE, json!({ "data": { "name": "D", "kind": "DYNAMIC", "filter": { "country": { "eq": "DE" } } } })).await;
    let id = dynamic.at("/createSegment/id").clone();
    let add = acme
        .admin
        .gql("mutation($id: UUID!, $ids: [UUID!]!) { addSegmentContacts(id: $id, contactIds: $ids) { id } }", json!({ "id": id, "ids": [a] }))
        .await;
    add.expect_code("BAD_USER_INPUT");
    acme.admin
        .gql(CREATE, json!({ "data": { "name": "D", "kind": "STATIC" } }))
        .await
        .expect_code("CONFLICT");
    let missing = acme.admin.gql(CREATE, json!({ "data": { "name": "M", "kind": "STATIC", "contactIds": [uuid::Uuid::now_v7()] } })).await;
    missing.expect_code("NOT_FOUND");
}

#[tokio::test]
async fn segments_respect_roles_and_tenants() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let beta = app.with_org("Beta").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let marketing = acme.with_user(Role::Marketing).await;
    let readonly = acme.with_user(Role::Readonly).await;
    rep.gql(
        CREATE,
        json!({ "data": { "name": "Mine", "kind": "STATIC" } }),
    )
    .await
    .expect_code("FORBIDDEN");
    let created = marketing
        .gql(
            CREATE,
            json!({ "data": { "name": "Campaign", "kind": "STATIC" } }),
        )
        .await;
    let id = created.at("/createSegment/id").clone();
    readonly.gql(READ, json!({ "id": id })).await.data();
    readonly
        .gql(
            "mutation($id: UUID!) { deleteSegment(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await
        .expect_code("FORBIDDEN");

    assert!(
        beta.admin
            .gql(READ, json!({ "id": id }))
            .await
            .at("/segment")
            .is_null()
    );
    let beta_contact = contact(
        &beta.admin,
        json!({ "firstName": "Zed", "email": "zed@beta.io" }),
    )
    .await;
    acme.admin
        .gql("mutation($id: UUID!, $ids: [UUID!]!) { addSegmentContacts(id: $id, contactIds: $ids) { id } }", json!({ "id": id, "ids": [beta_contact] }))
        .await
        .expect_code("NOT_FOUND");

    // A sales rep with OWN visibility sees only their own members.
    let mine = contact(&rep, json!({ "firstName": "Rita's", "email": "mine@x.io" })).await;
    let theirs = contact(
        &acme.admin,
        json!({ "firstName": "Admin's", "email": "theirs@x.io" }),
    )
    .await;
    acme.admin
        .gql("mutation($id: UUID!, $ids: [UUID!]!) { addSegmentContacts(id: $id, contactIds: $ids) { id } }", json!({ "id": id, "ids": [mine, theirs] }))
        .await
        .data();
    acme.admin
        .gql(
            "mutation { updateOrganization(data: { salesRepVisibility: OWN }) { name } }",
            json!({}),
        )
        .await
        .data();
    assert_eq!(
        emails(&rep.gql(READ, json!({ "id": id })).await),
        ["mine@x.io"]
    );
    assert_eq!(
        emails(&acme.admin.gql(READ, json!({ "id": id })).await).len(),
        2
    );
}
