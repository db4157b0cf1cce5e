//! Delete, restore and destroy behave the same on every object with soft delete: deleting a
//! deleted object and restoring a live one return it unchanged (and record nothing), destroying
//! it twice is NOT_FOUND, and another organization's id is NOT_FOUND throughout. An update that
//! repeats the values an object has returns it unchanged and records nothing.

use serde_json::{Value, json};
use test_support::{GqlResponse, TestApp, TestUser};

use crate::helpers::count_rows;

/// An object type: its name in root fields, and how to create one in an organization.
struct Object {
    name: &'static str,
    create: &'static str,
    /// Update data holding a value the created object already has.
    same: &'static str,
}

const OBJECTS: &[Object] = &[
    Object {
        name: "Contact",
        create: "createContact(data: { firstName: \"Ann\" })",
        same: "{ firstName: \"Ann\" }",
    },
    Object {
        name: "Company",
        create: "createCompany(data: { name: \"Acme Inc\" })",
        same: "{ name: \"Acme Inc\" }",
    },
    Object {
        name: "Lead",
        create: "createLead(data: { name: \"Lead\" })",
        same: "{ name: \"Lead\" }",
    },
    Object {
        name: "Opportunity",
        create: "createOpportunity(data: { name: \"Deal\" })",
        same: "{ name: \"Deal\" }",
    },
    Object {
        name: "Pipeline",
        create: "createPipeline(data: { name: \"Partners\" })",
        same: "{ name: \"Partners\" }",
    },
    Object {
        name: "Segment",
        create: "createSegment(data: { name: \"Hand picked\", kind: STATIC })",
        same: "{ name: \"Hand picked\" }",
    },
    Object {
        name: "Note",
        create: "createNote(data: { body: \"Called\", contactId: $contact })",
        same: "{ body: \"Called\" }",
    },
    Object {
        name: "Activity",
        create: "createActivity(data: { type: CALL, subject: \"Call\", contactId: $contact })",
        same: "{ subject: \"Call\" }",
    },
];

async fn contact_of(user: &TestUser) -> Value {
    let created = user
        .gql(
            "mutation { createContact(data: { firstName: \"Target\" }) { id } }",
            json!({}),
        )
        .await;
    created.at("/createContact/id").clone()
}

async fn create(user: &TestUser, object: &Object) -> String {
    let contact = contact_of(user).await;
    let mutation = format!(
        "mutation($contact: UUID!) {{ created: {} {{ id }} }}",
        object.create
    );
    // Unused variables are an error in GraphQL: declare `$contact` only where it is used.
    let mutation = if object.create.contains("$contact") {
        mutation
    } else {
        mutation.replace("($contact: UUID!)", "")
    };
    let response = user.gql(&mutation, json!({ "contact": contact })).await;
    response
        .at("/created/id")
        .as_str()
        .expect("an id")
        .to_owned()
}

async fn operate(user: &TestUser, operation: &str, object: &Object, id: &str) -> GqlResponse {
    let selection = if operation == "destroy" {
        String::new()
    } else {
        " { id deletedAt updatedAt }".to_owned()
    };
    user.gql(
        &format!(
            "mutation($id: UUID!) {{ result: {operation}{}(id: $id){selection} }}",
            object.name
        ),
        json!({ "id": id }),
    )
    .await
}

#[tokio::test]
async fn repeated_deletes_and_restores_return_the_object_unchanged_on_every_object() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let admin = &acme.admin;
    for object in OBJECTS {
        let name = object.name;
        let id = create(admin, object).await;

        let deleted = operate(admin, "delete", object, &id).await;
        let first = deleted.at("/result").clone();
        assert!(first["deletedAt"].is_string(), "{name}: {first}");
        let audit = count_rows(&app, "audit_log").await;
        let again = operate(admin, "delete", object, &id).await;
        assert_eq!(again.at("/result"), &first, "{name}: delete twice");
        assert_eq!(count_rows(&app, "audit_log").await, audit, "{name}");

        let restored = operate(admin, "restore", object, &id).await;
        let live = restored.at("/result").clone();
        assert!(live["deletedAt"].is_null(), "{name}: {live}");
        let audit = count_rows(&app, "audit_log").await;
        let again = operate(admin, "restore", object, &id).await;
        assert_eq!(again.at("/result"), &live, "{name}: restore twice");
        assert_eq!(count_rows(&app, "audit_log").await, audit, "{name}");

        let destroyed = operate(admin, "destroy", object, &id).await;
        assert_eq!(destroyed.at("/result"), &json!(id), "{name}");
        operate(admin, "destroy", object, &id)
            .await
            .expect_code("NOT_FOUND");
        for operation in ["delete", "restore"] {
            operate(admin, operation, object, &id)
                .await
                .expect_code("NOT_FOUND");
        }
    }
}

#[tokio::test]
async fn updates_that_change_nothing_return_the_object_unchanged_on_every_object() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let admin = &acme.admin;
    for object in OBJECTS {
        let name = object.name;
        let id = create(admin, object).await;
        let update = format!(
            "mutation($id: UUID!) {{ result: update{name}(id: $id, data: {}) {{ id updatedAt }} }}",
            object.same
        );
        let audit = count_rows(&app, "audit_log").await;
        let first = admin.gql(&update, json!({ "id": id })).await;
        let unchanged = first.at("/result").clone();
        let again = admin.gql(&update, json!({ "id": id })).await;
        assert_eq!(again.at("/result"), &unchanged, "{name}: update twice");
        assert_eq!(count_rows(&app, "audit_log").await, audit, "{name}");
    }
}

#[tokio::test]
async fn another_organizations_objects_are_not_found_for_delete_restore_and_destroy() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let globex = app.with_org("Globex").await;
    for object in OBJECTS {
        let id = create(&globex.admin, object).await;
        for operation in ["delete", "restore", "destroy"] {
            operate(&acme.admin, operation, object, &id)
                .await
                .expect_code("NOT_FOUND");
        }
        // Still there, untouched, for its own organization.
        let read = globex
            .admin
            .gql(
                &format!(
                    "query($id: UUID!) {{ found: {}(id: $id) {{ deletedAt }} }}",
                    lower_first(object.name)
                ),
                json!({ "id": id }),
            )
            .await;
        assert!(read.at("/found/deletedAt").is_null(), "{}", object.name);
    }
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}
