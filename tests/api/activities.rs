//! Activities and notes: logging on contacts, companies, leads and opportunities,
//! `lastActivityAt`, lists, the author-or-manager rule, roles and tenancy.

use chrono::{Duration, Utc};
use crm_core::entity::{contact, lead};
use kernel::Role;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use test_support::{TestApp, TestUser};
use uuid::Uuid;

use crate::helpers::{count_rows, text};
use crate::leads::{create_lead, insert_company, insert_contact};

const LOG: &str = "mutation($data: ActivityCreateInput!) { createActivity(data: $data) {
  id type subject body occurredAt durationMinutes outcome authorId author { id }
  contactId companyId leadId opportunityId createdAt updatedAt deletedAt } }";
const UPDATE: &str = "mutation($id: UUID!, $data: ActivityUpdateInput!) { updateActivity(id: $id, data: $data) { id type subject body durationMinutes outcome occurredAt contactId leadId } }";
const GET: &str = "query($id: UUID!) { activity(id: $id) { id subject deletedAt } }";
const LIST: &str = "query($filter: ActivityFilterInput, $orderBy: [ActivityOrderByInput!], $first: Int, $after: String) {
  activities(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id subject type } } } }";

const NOTE: &str = "mutation($data: NoteCreateInput!) { createNote(data: $data) {
  id title body pinned authorId author { id } contactId companyId leadId opportunityId createdAt updatedAt deletedAt } }";
const UPDATE_NOTE: &str = "mutation($id: UUID!, $data: NoteUpdateInput!) { updateNote(id: $id, data: $data) { id title body pinned } }";
const NOTES: &str =
    "query($filter: NoteFilterInput, $orderBy: [NoteOrderByInput!], $first: Int, $after: String) {
  notes(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id title pinned } } } }";

async fn log(user: &TestUser, data: Value) -> String {
    let r = user.gql(LOG, json!({ "data": data })).await;
    text(r.data(), "/createActivity/id").to_owned()
}

async fn note(user: &TestUser, data: Value) -> String {
    let r = user.gql(NOTE, json!({ "data": data })).await;
    text(r.data(), "/createNote/id").to_owned()
}

async fn contact_last_activity(app: &TestApp, id: Uuid) -> Option<chrono::DateTime<Utc>> {
    contact::Entity::find_by_id(id)
        .one(app.db())
        .await
        .expect("query")
        .expect("contact")
        .last_activity_at
}

async fn lead_last_activity(app: &TestApp, id: &str) -> Option<chrono::DateTime<Utc>> {
    lead::Entity::find_by_id(id.parse::<Uuid>().expect("uuid"))
        .one(app.db())
        .await
        .expect("query")
        .expect("lead")
        .last_activity_at
}

fn at(days_ago: i64) -> String {
    (Utc::now() - Duration::days(days_ago))
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

#[tokio::test]
async fn activity_is_logged_read_updated_deleted_restored_and_destroyed() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let contact = insert_contact(&app, &acme, Some("c@x.example"), rep.id).await;
    let lead = create_lead(&rep, json!({ "name": "Lead" })).await;
    let company = insert_company(&app, &acme, "Acme Inc", None).await;

    let logged = rep
        .gql(
            LOG,
            json!({ "data": { "type": "CALL", "subject": " Intro call ", "body": "Talked\nabout pricing",
                     "occurredAt": at(2), "durationMinutes": 30, "outcome": "interested",
                     "contactId": contact, "leadId": lead, "companyId": company } }),
        )
        .await;
    let activity = logged.at("/createActivity").clone();
    assert_eq!(activity["type"], "CALL");
    assert_eq!(activity["subject"], "Intro call");
    assert_eq!(activity["durationMinutes"], 30);
    assert_eq!(activity["authorId"], json!(rep.id));
    assert_eq!(activity["author"]["id"], json!(rep.id));
    assert_eq!(activity["companyId"], json!(company));
    let id = activity["id"].as_str().expect("id").to_owned();
    let first = contact_last_activity(&app, contact).await.expect("set");
    assert_eq!(lead_last_activity(&app, &lead).await, Some(first));

    // An older activity does not move lastActivityAt back; a newer one moves it forward.
    log(
        &rep,
        json!({ "type": "EMAIL", "subject": "Old", "occurredAt": at(10), "contactId": contact }),
    )
    .await;
    assert_eq!(contact_last_activity(&app, contact).await, Some(first));
    log(
        &rep,
        json!({ "type": "MEETING", "subject": "Now", "leadId": lead }),
    )
    .await;
    let latest = lead_last_activity(&app, &lead).await.expect("set");
    assert!(latest > first);
    assert_eq!(contact_last_activity(&app, contact).await, Some(first));

    let read = acme.admin.gql(GET, json!({ "id": id })).await;
    assert_eq!(read.at("/activity/subject"), "Intro call");

    let updated = rep
        .gql(
            UPDATE,
            json!({ "id": id, "data": { "type": "MEETING", "body": null, "durationMinutes": null, "leadId": null } }),
        )
        .await;
    assert_eq!(updated.at("/updateActivity/type"), "MEETING");
    assert!(updated.at("/updateActivity/body").is_null());
    assert!(updated.at("/updateActivity/leadId").is_null());
    assert_eq!(updated.at("/updateActivity/contactId"), &json!(contact));

    let deleted = rep
        .gql(
            "mutation($id: UUID!) { deleteActivity(id: $id) { deletedAt } }",
            json!({ "id": id }),
        )
        .await;
    assert!(deleted.at("/deleteActivity/deletedAt").is_string());
    let listed = acme.admin.gql(LIST, json!({})).await;
    assert_eq!(listed.at("/activities/totalCount"), 2);
    let deleted_only = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "deletedAt": { "is": "NOT_NULL" } } }),
        )
        .await;
    assert_eq!(deleted_only.at("/activities/totalCount"), 1);
    let restored = rep
        .gql(
            "mutation($id: UUID!) { restoreActivity(id: $id) { deletedAt } }",
            json!({ "id": id }),
        )
        .await;
    assert!(restored.at("/restoreActivity/deletedAt").is_null());

    const DESTROY: &str = "mutation($id: UUID!) { destroyActivity(id: $id) }";
    rep.gql(DESTROY, json!({ "id": id }))
        .await
        .expect_code("FORBIDDEN");
    let destroyed = acme.admin.gql(DESTROY, json!({ "id": id })).await;
    assert_eq!(destroyed.at("/destroyActivity"), &json!(id));
    assert!(
        acme.admin
            .gql(GET, json!({ "id": id }))
            .await
            .at("/activity")
            .is_null()
    );
    assert_eq!(count_rows(&app, "activities").await, 2);
}

#[tokio::test]
async fn activities_are_filtered_sorted_and_paged() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let contact = insert_contact(&app, &acme, None, acme.admin.id).await;
    let lead = create_lead(&acme.admin, json!({ "name": "L" })).await;
    for (days, kind) in [
        (5, "CALL"),
        (1, "EMAIL"),
        (3, "CALL"),
        (4, "NOTE"),
        (2, "CALL"),
    ] {
        log(
            &acme.admin,
            json!({ "type": kind, "subject": format!("{days} days ago"), "occurredAt": at(days), "contactId": contact }),
        )
        .await;
    }
    log(
        &acme.admin,
        json!({ "type": "OTHER", "subject": "On the lead", "leadId": lead }),
    )
    .await;

    let newest = acme.admin.gql(LIST, json!({ "first": 1 })).await;
    assert_eq!(newest.at("/activities/edges/0/node/subject"), "On the lead");

    let filter = json!({ "type": { "eq": "CALL" }, "contactId": { "eq": contact } });
    let order = json!([{ "occurredAt": "AscNullsLast" }]);
    let page = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": filter, "orderBy": order, "first": 2 }),
        )
        .await;
    assert_eq!(page.at("/activities/totalCount"), 3);
    assert_eq!(page.at("/activities/edges/0/node/subject"), "5 days ago");
    assert_eq!(page.at("/activities/edges/1/node/subject"), "3 days ago");
    let cursor = page.at("/activities/pageInfo/endCursor").clone();
    let next = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": filter, "orderBy": order, "first": 2, "after": cursor }),
        )
        .await;
    assert_eq!(next.at("/activities/edges/0/node/subject"), "2 days ago");
    assert_eq!(next.at("/activities/pageInfo/hasNextPage"), false);

    let on_lead = acme
        .admin
        .gql(LIST, json!({ "filter": { "leadId": { "eq": lead } } }))
        .await;
    assert_eq!(on_lead.at("/activities/totalCount"), 1);
    let recent = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "occurredAt": { "gte": at(3) }, "authorId": { "eq": acme.admin.id } } }),
        )
        .await;
    assert_eq!(recent.at("/activities/totalCount"), 3);
}

#[tokio::test]
async fn bad_activity_input_names_the_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let contact = insert_contact(&app, &acme, None, acme.admin.id).await;
    let future = (Utc::now() + Duration::days(2)).to_rfc3339();
    let cases = [
        (
            json!({ "type": "CALL", "subject": "No target" }),
            "contactId",
        ),
        (
            json!({ "type": "CALL", "subject": "  ", "contactId": contact }),
            "subject",
        ),
        (
            json!({ "type": "CALL", "subject": "x", "durationMinutes": 1441, "contactId": contact }),
            "durationMinutes",
        ),
        (
            json!({ "type": "CALL", "subject": "x", "durationMinutes": -1, "contactId": contact }),
            "durationMinutes",
        ),
        (
            json!({ "type": "CALL", "subject": "x", "occurredAt": future, "contactId": contact }),
            "occurredAt",
        ),
        (
            json!({ "type": "CALL", "subject": "x", "body": "a\u{0}b", "contactId": contact }),
            "body",
        ),
    ];
    for (data, field) in cases {
        let r = acme.admin.gql(LOG, json!({ "data": data })).await;
        r.expect_code("BAD_USER_INPUT");
        assert_eq!(r.field(), Some(field), "{data}");
    }
    acme.admin
        .gql(
            LOG,
            json!({ "data": { "type": "CALL", "subject": "x", "opportunityId": Uuid::now_v7() } }),
        )
        .await
        .expect_code("NOT_FOUND");
    assert_eq!(count_rows(&app, "activities").await, 0);
    assert_eq!(contact_last_activity(&app, contact).await, None);

    let id = log(
        &acme.admin,
        json!({ "type": "CALL", "subject": "ok", "contactId": contact }),
    )
    .await;
    let unlinked = acme
        .admin
        .gql(UPDATE, json!({ "id": id, "data": { "contactId": null } }))
        .await;
    unlinked.expect_code("BAD_USER_INPUT");
    assert_eq!(unlinked.field(), Some("contactId"));
}

#[tokio::test]
async fn only_the_author_or_a_manager_changes_an_activity() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let author = acme.with_user(Role::SalesRep).await;
    let other = acme.with_user(Role::SalesRep).await;
    let manager = acme.with_user(Role::Manager).await;
    let marketing = acme.with_user(Role::Marketing).await;
    let readonly = acme.with_user(Role::Readonly).await;
    let client = acme.with_user(Role::Client).await;
    let contact = insert_contact(&app, &acme, None, author.id).await;
    let id = log(
        &author,
        json!({ "type": "CALL", "subject": "Mine", "contactId": contact }),
    )
    .await;

    other
        .gql(UPDATE, json!({ "id": id, "data": { "subject": "Theirs" } }))
        .await
        .expect_code("FORBIDDEN");
    other
        .gql(
            "mutation($id: UUID!) { deleteActivity(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await
        .expect_code("FORBIDDEN");
    marketing
        .gql(UPDATE, json!({ "id": id, "data": { "subject": "Theirs" } }))
        .await
        .expect_code("FORBIDDEN");
    let by_manager = manager
        .gql(
            UPDATE,
            json!({ "id": id, "data": { "subject": "Managed" } }),
        )
        .await;
    assert_eq!(by_manager.at("/updateActivity/subject"), "Managed");
    let by_author = author
        .gql(UPDATE, json!({ "id": id, "data": { "outcome": "done" } }))
        .await;
    assert_eq!(by_author.at("/updateActivity/outcome"), "done");

    // Marketing and other reps log their own; read-only and clients cannot.
    log(
        &marketing,
        json!({ "type": "EMAIL", "subject": "Newsletter", "contactId": contact }),
    )
    .await;
    log(
        &other,
        json!({ "type": "NOTE", "subject": "Seen", "contactId": contact }),
    )
    .await;
    for user in [&readonly, &client] {
        user.gql(
            LOG,
            json!({ "data": { "type": "CALL", "subject": "x", "contactId": contact } }),
        )
        .await
        .expect_code("FORBIDDEN");
    }
    assert_eq!(
        readonly
            .gql(LIST, json!({}))
            .await
            .at("/activities/totalCount"),
        3
    );
    client.gql(LIST, json!({})).await.expect_code("FORBIDDEN");
}

#[tokio::test]
async fn sales_reps_log_and_read_activities_only_on_what_they_see() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let admins_contact = insert_contact(&app, &acme, None, acme.admin.id).await;
    let reps_contact = insert_contact(&app, &acme, None, rep.id).await;
    log(
        &acme.admin,
        json!({ "type": "CALL", "subject": "Admin on admin's", "contactId": admins_contact }),
    )
    .await;
    log(
        &acme.admin,
        json!({ "type": "CALL", "subject": "Admin on rep's", "contactId": reps_contact }),
    )
    .await;
    let own = log(
        &rep,
        json!({ "type": "CALL", "subject": "Rep on admin's", "contactId": admins_contact }),
    )
    .await;
    assert_eq!(
        rep.gql(LIST, json!({})).await.at("/activities/totalCount"),
        3
    );

    acme.admin
        .gql(
            "mutation { updateOrganization(data: { salesRepVisibility: OWN }) { name } }",
            json!({}),
        )
        .await
        .data();
    let seen = rep.gql(LIST, json!({})).await;
    assert_eq!(
        seen.at("/activities/totalCount"),
        2,
        "own activities and those on own records"
    );
    rep.gql(
        LOG,
        json!({ "data": { "type": "CALL", "subject": "x", "contactId": admins_contact } }),
    )
    .await
    .expect_code("NOT_FOUND");
    assert!(
        rep.gql(GET, json!({ "id": own }))
            .await
            .at("/activity/id")
            .is_string()
    );
}

#[tokio::test]
async fn other_organizations_activities_and_targets_do_not_exist() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let globex = app.with_org("Globex").await;
    let their_contact = insert_contact(&app, &globex, None, globex.admin.id).await;
    let their_lead = create_lead(&globex.admin, json!({ "name": "Theirs" })).await;
    let their_company = insert_company(&app, &globex, "Globex", None).await;
    let theirs = log(
        &globex.admin,
        json!({ "type": "CALL", "subject": "Secret", "contactId": their_contact }),
    )
    .await;
    let their_note = note(
        &globex.admin,
        json!({ "body": "Secret", "leadId": their_lead }),
    )
    .await;

    assert!(
        acme.admin
            .gql(GET, json!({ "id": theirs }))
            .await
            .at("/activity")
            .is_null()
    );
    assert_eq!(
        acme.admin
            .gql(LIST, json!({}))
            .await
            .at("/activities/totalCount"),
        0
    );
    acme.admin
        .gql(UPDATE, json!({ "id": theirs, "data": { "subject": "x" } }))
        .await
        .expect_code("NOT_FOUND");
    acme.admin
        .gql(
            "mutation($id: UUID!) { destroyActivity(id: $id) }",
            json!({ "id": theirs }),
        )
        .await
        .expect_code("NOT_FOUND");
    for target in [
        json!({ "contactId": their_contact }),
        json!({ "leadId": their_lead }),
        json!({ "companyId": their_company }),
    ] {
        let mut data = json!({ "type": "CALL", "subject": "x" });
        let mut note_data = json!({ "body": "x" });
        for (key, value) in target.as_object().expect("object") {
            data[key] = value.clone();
            note_data[key] = value.clone();
        }
        acme.admin
            .gql(LOG, json!({ "data": data }))
            .await
            .expect_code("NOT_FOUND");
        acme.admin
            .gql(NOTE, json!({ "data": note_data }))
            .await
            .expect_code("NOT_FOUND");
    }
    assert!(
        acme.admin
            .gql(
                "query($id: UUID!) { note(id: $id) { id } }",
                json!({ "id": their_note })
            )
            .await
            .at("/note")
            .is_null()
    );
    acme.admin
        .gql(
            UPDATE_NOTE,
            json!({ "id": their_note, "data": { "body": "x" } }),
        )
        .await
        .expect_code("NOT_FOUND");
    acme.admin
        .gql(
            "mutation($id: UUID!) { destroyNote(id: $id) }",
            json!({ "id": their_note }),
        )
        .await
        .expect_code("NOT_FOUND");
    assert_eq!(count_rows(&app, "activities").await, 1);
    assert_eq!(count_rows(&app, "notes").await, 1);
}

#[tokio::test]
async fn notes_are_written_listed_pinned_first_updated_deleted_restored_and_destroyed() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let rep = acme.with_user(Role::SalesRep).await;
    let contact = insert_contact(&app, &acme, None, rep.id).await;
    let created = rep
        .gql(
            NOTE,
            json!({ "data": { "title": " First ", "body": "Line 1\nLine 2", "contactId": contact } }),
        )
        .await;
    let first = created.at("/createNote").clone();
    assert_eq!(first["title"], "First");
    assert_eq!(first["pinned"], false);
    assert_eq!(first["author"]["id"], json!(rep.id));
    let first_id = first["id"].as_str().expect("id").to_owned();
    let second = note(
        &rep,
        json!({ "title": "Second", "body": "b", "contactId": contact }),
    )
    .await;
    let pinned = note(
        &rep,
        json!({ "title": "Pinned", "body": "p", "pinned": true, "contactId": contact }),
    )
    .await;

    let listed = rep.gql(NOTES, json!({})).await;
    assert_eq!(listed.at("/notes/totalCount"), 3);
    assert_eq!(listed.at("/notes/edges/0/node/id"), &json!(pinned));
    assert_eq!(listed.at("/notes/edges/1/node/id"), &json!(second));
    assert_eq!(listed.at("/notes/edges/2/node/id"), &json!(first_id));
    let page = rep.gql(NOTES, json!({ "first": 2 })).await;
    let cursor = page.at("/notes/pageInfo/endCursor").clone();
    let rest = rep.gql(NOTES, json!({ "first": 2, "after": cursor })).await;
    assert_eq!(rest.at("/notes/edges/0/node/id"), &json!(first_id));
    assert_eq!(rest.at("/notes/pageInfo/hasNextPage"), false);
    let by_title = rep
        .gql(NOTES, json!({ "orderBy": [{ "title": "AscNullsLast" }], "filter": { "pinned": { "eq": false } } }))
        .await;
    assert_eq!(by_title.at("/notes/totalCount"), 2);
    assert_eq!(by_title.at("/notes/edges/0/node/title"), "First");

    let updated = rep
        .gql(
            UPDATE_NOTE,
            json!({ "id": first_id, "data": { "title": null, "pinned": true, "body": "Changed" } }),
        )
        .await;
    assert_eq!(
        updated.at("/updateNote"),
        &json!({ "id": first_id, "title": null, "body": "Changed", "pinned": true })
    );
    let other = acme.with_user(Role::SalesRep).await;
    other
        .gql(
            UPDATE_NOTE,
            json!({ "id": first_id, "data": { "body": "Mine now" } }),
        )
        .await
        .expect_code("FORBIDDEN");
    let manager = acme.with_user(Role::Manager).await;
    manager
        .gql(
            UPDATE_NOTE,
            json!({ "id": first_id, "data": { "body": "Managed" } }),
        )
        .await
        .data();

    let deleted = rep
        .gql(
            "mutation($id: UUID!) { deleteNote(id: $id) { deletedAt } }",
            json!({ "id": second }),
        )
        .await;
    assert!(deleted.at("/deleteNote/deletedAt").is_string());
    assert_eq!(rep.gql(NOTES, json!({})).await.at("/notes/totalCount"), 2);
    rep.gql(
        "mutation($id: UUID!) { restoreNote(id: $id) { deletedAt } }",
        json!({ "id": second }),
    )
    .await
    .data();
    assert_eq!(rep.gql(NOTES, json!({})).await.at("/notes/totalCount"), 3);
    manager
        .gql(
            "mutation($id: UUID!) { destroyNote(id: $id) }",
            json!({ "id": second }),
        )
        .await
        .expect_code("FORBIDDEN");
    acme.admin
        .gql(
            "mutation($id: UUID!) { destroyNote(id: $id) }",
            json!({ "id": second }),
        )
        .await
        .data();
    assert_eq!(count_rows(&app, "notes").await, 2);
}

#[tokio::test]
async fn bad_note_input_names_the_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let readonly = acme.with_user(Role::Readonly).await;
    let lead = create_lead(&acme.admin, json!({ "name": "L" })).await;
    let huge = "x".repeat(100_001);
    let cases = [
        (json!({ "body": "no target" }), "contactId"),
        (json!({ "body": "   ", "leadId": lead }), "body"),
        (json!({ "body": huge, "leadId": lead }), "body"),
        (
            json!({ "body": "b", "title": "t".repeat(256), "leadId": lead }),
            "title",
        ),
    ];
    for (data, field) in cases {
        let r = acme.admin.gql(NOTE, json!({ "data": data })).await;
        r.expect_code("BAD_USER_INPUT");
        assert_eq!(r.field(), Some(field));
    }
    readonly
        .gql(NOTE, json!({ "data": { "body": "b", "leadId": lead } }))
        .await
        .expect_code("FORBIDDEN");
    assert_eq!(count_rows(&app, "notes").await, 0);
    let ok = note(
        &acme.admin,
        json!({ "body": "x".repeat(100_000), "leadId": lead }),
    )
    .await;
    assert!(!ok.is_empty());
}

#[tokio::test]
async fn instants_are_printed_in_utc_with_z_and_accepted_with_any_offset() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let contact = insert_contact(&app, &acme, None, acme.admin.id).await;
    let logged = acme
        .admin
        .gql(
            LOG,
            json!({ "data": { "type": "CALL", "subject": "Offset", "contactId": contact,
                              "occurredAt": "2026-01-10T10:30:00.25+01:00" } }),
        )
        .await;
    assert_eq!(
        logged.at("/createActivity/occurredAt"),
        "2026-01-10T09:30:00.250000Z"
    );
    // Server-set instants have the same fixed form: six fraction digits and a Z.
    for field in ["createdAt", "updatedAt"] {
        let value = text(logged.data(), &format!("/createActivity/{field}"));
        let fixed_form = chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.6fZ");
        assert!(
            value.len() == 27 && &value[19..20] == "." && fixed_form.is_ok(),
            "{field} = {value}"
        );
    }

    // A filter written with another offset means the same instant.
    let exact = acme
        .admin
        .gql(
            LIST,
            json!({ "filter": { "occurredAt": { "eq": "2026-01-10T04:30:00.25-05:00" } } }),
        )
        .await;
    assert_eq!(exact.at("/activities/totalCount"), 1);

    // A time without an offset is refused, not guessed, and nothing is written.
    let before = count_rows(&app, "activities").await;
    acme.admin
        .gql(
            LOG,
            json!({ "data": { "type": "CALL", "subject": "Naive", "contactId": contact,
                              "occurredAt": "2026-01-10T10:30:00" } }),
        )
        .await
        .expect_code("BAD_USER_INPUT");
    assert_eq!(count_rows(&app, "activities").await, before);
}
