//! Text that would display as something else (bidirectional overrides and isolates, zero-width
//! no-break spaces in names) is refused on every object, and nothing is written.

use serde_json::json;
use test_support::TestApp;

use crate::helpers::count_rows;

#[tokio::test]
async fn bidirectional_overrides_are_refused_on_every_object() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let admin = &acme.admin;
    let contact = admin
        .gql(
            "mutation { createContact(data: { firstName: \"Ann\" }) { id } }",
            json!({}),
        )
        .await;
    let contact_id = contact.at("/createContact/id").clone();

    let cases = [
        (
            "mutation($v: String!) { createContact(data: { firstName: $v }) { id } }",
            "firstName",
            "contacts",
        ),
        (
            "mutation($v: String!) { createCompany(data: { name: $v }) { id } }",
            "name",
            "companies",
        ),
        (
            "mutation($v: String!) { createLead(data: { name: $v }) { id } }",
            "name",
            "leads",
        ),
        (
            "mutation($v: String!) { createOpportunity(data: { name: $v }) { id } }",
            "name",
            "opportunities",
        ),
        (
            "mutation($v: String!) { createTag(data: { name: $v }) { id } }",
            "name",
            "tags",
        ),
    ];
    for text in ["Evil\u{202E}exe.txt", "a\u{2067}b\u{2069}", "Ac\u{FEFF}me"] {
        for (mutation, field, table) in cases {
            let before = count_rows(&app, table).await;
            let response = admin.gql(mutation, json!({ "v": text })).await;
            response.expect_code("BAD_USER_INPUT");
            assert_eq!(response.field(), Some(field), "{mutation}");
            assert_eq!(count_rows(&app, table).await, before, "{mutation}");
        }
    }

    // Long text and custom text values: overrides refused, line breaks kept.
    let note = "mutation($v: String!, $c: UUID!) { createNote(data: { body: $v, contactId: $c }) { body } }";
    admin
        .gql(note, json!({ "v": "x\u{202E}y", "c": contact_id }))
        .await
        .expect_code("BAD_USER_INPUT");
    let kept = admin
        .gql(note, json!({ "v": "line one\nline two", "c": contact_id }))
        .await;
    assert_eq!(kept.at("/createNote/body"), "line one\nline two");
    admin
        .gql(
            "mutation { createCustomFieldDefinition(data: { entityType: CONTACT, key: \"nick\", label: \"Nick\", fieldType: TEXT }) { id } }",
            json!({}),
        )
        .await
        .data();
    admin
        .gql(
            "mutation($id: UUID!, $v: JSON!) { updateContact(id: $id, data: { customFields: $v }) { id } }",
            json!({ "id": contact_id, "v": { "nick": "a\u{202D}b" } }),
        )
        .await
        .expect_code("BAD_USER_INPUT");
}
