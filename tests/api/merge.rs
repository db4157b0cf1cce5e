//! Contact duplicates and merging.

use kernel::Role;
use serde_json::json;
use test_support::TestApp;

use crate::crm_fixtures::contact;

const DUPLICATES: &str =
    "query($id: UUID!) { contactDuplicates(id: $id) { reason contact { id email } } }";
const MERGE: &str = "mutation($p: UUID!, $d: [UUID!]!) { mergeContacts(primaryId: $p, duplicateIds: $d) { id email phone city tags { name } } }";

#[tokio::test]
async fn duplicates_are_found_by_email_and_by_similar_name_at_the_same_company() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let ann = contact(
        &acme.admin,
        json!({ "firstName": "Ann", "lastName": "Lee", "email": "ann@x.io", "companyName": "Globex" }),
    )
    .await;
    let same_email = contact(
        &acme.admin,
        json!({ "firstName": "A.", "lastName": "Lee", "email": "ANN@x.io" }),
    )
    .await;
    let similar = contact(&acme.admin, json!({ "firstName": "Anne", "lastName": "Lee", "email": "anne@globex.io", "companyName": "globex" })).await;
    contact(&acme.admin, json!({ "firstName": "Bob", "lastName": "Ray", "email": "bob@globex.io", "companyName": "Globex" })).await;
    let found = acme.admin.gql(DUPLICATES, json!({ "id": ann })).await;
    let pairs: Vec<(String, String)> = found
        .at("/contactDuplicates")
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["contact"]["id"].as_str().unwrap_or_default().to_owned(),
                d["reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            (same_email, "SAME_EMAIL".to_owned()),
            (similar, "SIMILAR_NAME_SAME_COMPANY".to_owned())
        ]
    );
}

#[tokio::test]
async fn merging_moves_everything_to_the_primary_in_one_transaction() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let primary = contact(
        &acme.admin,
        json!({ "firstName": "Ann", "email": "ann@x.io" }),
    )
    .await;
    let duplicate = contact(
        &acme.admin,
        json!({ "firstName": "Ann", "email": "ann.lee@x.io", "phone": "+49 1", "city": "Berlin" }),
    )
    .await;
    acme.admin
        .gql(
            "mutation($id: UUID!) { addContactTags(id: $id, names: [\"vip\"]) { id } }",
            json!({ "id": duplicate }),
        )
        .await
        .data();
    acme.admin
        .gql(
            "mutation($d: ActivityCreateInput!) { createActivity(data: $d) { id } }",
            json!({ "d": { "type": "CALL", "subject": "Hello", "contactId": duplicate } }),
        )
        .await
        .data();
    acme.admin
        .gql(
            "mutation($d: NoteCreateInput!) { createNote(data: $d) { id } }",
            json!({ "d": { "body": "Likes coffee", "contactId": duplicate } }),
        )
        .await
        .data();

    let merged = acme
        .admin
        .gql(MERGE, json!({ "p": primary, "d": [duplicate] }))
        .await;
    let contact = merged.at("/mergeContacts");
    assert_eq!(
        contact["email"], "ann@x.io",
        "the primary keeps its own values"
    );
    assert_eq!(
        contact["phone"], "+49 1",
        "blanks are filled from the duplicate"
    );
    assert_eq!(contact["city"], "Berlin");
    assert_eq!(contact["tags"], json!([{ "name": "Vip" }]));

    let activities = acme
        .admin
        .gql(
            "query($id: UUID!) { activities(filter: { contactId: { eq: $id } }) { totalCount } }",
            json!({ "id": primary }),
        )
        .await;
    assert_eq!(activities.at("/activities/totalCount"), 1);
    let notes = acme
        .admin
        .gql(
            "query($id: UUID!) { notes(filter: { contactId: { eq: $id } }) { totalCount } }",
            json!({ "id": primary }),
        )
        .await;
    assert_eq!(notes.at("/notes/totalCount"), 1);
    let gone = acme
        .admin
        .gql(
            "query($id: UUID!) { contact(id: $id) { deletedAt } }",
            json!({ "id": duplicate }),
        )
        .await;
    assert!(
        gone.at("/contact/deletedAt").is_string(),
        "duplicates are soft-deleted: {}",
        gone.body
    );
    let audit = acme
        .admin
        .gql(
            "{ auditLogs(filter: { action: { eq: \"merge\" } }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(audit.at("/auditLogs/totalCount"), 2);
}

#[tokio::test]
async fn merge_input_roles_and_tenants_are_checked() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let beta = app.with_org("Beta").await;
    let a = contact(
        &acme.admin,
        json!({ "firstName": "Ann", "email": "ann@x.io" }),
    )
    .await;
    let b = contact(
        &acme.admin,
        json!({ "firstName": "Ann", "email": "ann2@x.io" }),
    )
    .await;
    let foreign = contact(
        &beta.admin,
        json!({ "firstName": "Ann", "email": "ann@beta.io" }),
    )
    .await;
    acme.admin
        .gql(MERGE, json!({ "p": a, "d": [a] }))
        .await
        .expect_code("BAD_USER_INPUT");
    acme.admin
        .gql(MERGE, json!({ "p": a, "d": [] }))
        .await
        .expect_code("BAD_USER_INPUT");
    acme.admin
        .gql(MERGE, json!({ "p": a, "d": [foreign] }))
        .await
        .expect_code("NOT_FOUND");
    acme.admin
        .gql(DUPLICATES, json!({ "id": foreign }))
        .await
        .expect_code("NOT_FOUND");
    let readonly = acme.with_user(Role::Readonly).await;
    readonly
        .gql(MERGE, json!({ "p": a, "d": [b] }))
        .await
        .expect_code("FORBIDDEN");
    let rep = acme.with_user(Role::SalesRep).await;
    rep.gql(MERGE, json!({ "p": a, "d": [b] }))
        .await
        .expect_code("FORBIDDEN");
    // Nothing was merged.
    let still = acme
        .admin
        .gql(
            "query($id: UUID!) { contact(id: $id) { deletedAt } }",
            json!({ "id": b }),
        )
        .await;
    assert!(still.at("/contact/deletedAt").is_null());
}
