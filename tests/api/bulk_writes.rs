//! `kernel::db::insert_all` / `upsert_all` (imports, audit rows, demo and scale data) store
//! every column type exactly as a one-row insert would, NULLs included, on both databases.

use chrono::{Duration, NaiveDate};
use crm_core::entity::{activity, contact_tag, opportunity, tag};
use gateway::seed::seed_demo;
use kernel::db::{insert_all, insert_missing, now, upsert_all};
use rust_decimal::Decimal;
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use serde_json::json;
use test_support::TestApp;
use uuid::Uuid;

/// Each row reads back from the database exactly as written.
macro_rules! assert_stored {
    ($db:expr, $entity:path, $rows:expr) => {
        for row in $rows {
            let stored = <$entity>::find_by_id(row.id)
                .one($db)
                .await
                .expect("read")
                .expect("stored");
            assert_eq!(&stored, row);
        }
    };
}

#[tokio::test]
async fn bulk_writes_round_trip_every_column_type() {
    let app = TestApp::new().await;
    seed_demo(&app.state().core).await.expect("seed");
    let db = app.db();
    let template = opportunity::Entity::find()
        .order_by_asc(opportunity::Column::Id)
        .one(db)
        .await
        .expect("read")
        .expect("a demo opportunity");

    // Every optional column empty, then every one filled with awkward values.
    let at = now();
    let empty = opportunity::Model {
        id: Uuid::now_v7(),
        description: None,
        expected_close_date: None,
        actual_close_date: None,
        contact_id: None,
        company_id: None,
        lead_id: None,
        loss_reason: None,
        competitor: None,
        next_step: None,
        last_activity_at: None,
        owner_id: None,
        deleted_at: None,
        ..template.clone()
    };
    let full = opportunity::Model {
        id: Uuid::now_v7(),
        name: "Quote \" back\\slash, comma ünïcode 🚀 'single' $1".into(),
        description: Some("line one\nline two\ttab".into()),
        value: Decimal::new(123_456_789_012, 2),
        probability: Decimal::new(375, 1),
        weighted_value: Decimal::new(46_296_296_254, 2),
        expected_close_date: NaiveDate::from_ymd_opt(2027, 2, 28),
        actual_close_date: NaiveDate::from_ymd_opt(1999, 12, 31),
        loss_reason: Some(String::new()),
        tags: json!(["a", "b \"quoted\""]),
        custom_fields: json!({ "nested": { "n": 1.5, "list": [true, null] }, "text": "x" }),
        last_activity_at: Some(at - Duration::microseconds(1)),
        stage_changed_at: at,
        created_at: at,
        updated_at: at,
        deleted_at: Some(at + Duration::days(1)),
        ..template.clone()
    };
    let rows = vec![empty, full];
    insert_all::<opportunity::Entity>(db, &rows)
        .await
        .expect("bulk insert");
    assert_stored!(db, opportunity::Entity, &rows);

    // An upsert updates the listed columns of existing rows and inserts the new ones.
    let mut changed = rows[1].clone();
    changed.name = "Renamed".into();
    changed.description = None;
    let fresh = opportunity::Model {
        id: Uuid::now_v7(),
        ..rows[0].clone()
    };
    upsert_all::<opportunity::Entity>(
        db,
        &[changed.clone(), fresh.clone()],
        opportunity::Column::Id,
        &[opportunity::Column::Name, opportunity::Column::Description],
    )
    .await
    .expect("bulk upsert");
    assert_stored!(db, opportunity::Entity, [&changed, &fresh]);

    // Integers too (activity durations), NULL and not.
    let activity = activity::Entity::find()
        .one(db)
        .await
        .expect("read")
        .expect("a demo activity");
    let copies: Vec<activity::Model> = (0..3)
        .map(|i| activity::Model {
            id: Uuid::now_v7(),
            duration_minutes: (i > 0).then_some(i * 45),
            ..activity.clone()
        })
        .collect();
    insert_all::<activity::Entity>(db, &copies)
        .await
        .expect("bulk insert");
    assert_stored!(db, activity::Entity, &copies);

    // Links that exist already are skipped, new ones added, in the same statement.
    let link = contact_tag::Entity::find()
        .one(db)
        .await
        .expect("read")
        .expect("a demo tag link");
    let other_tag = tag::Entity::find()
        .all(db)
        .await
        .expect("read")
        .into_iter()
        .find(|t| t.id != link.tag_id)
        .expect("another tag");
    let links_before = contact_tag::Entity::find().count(db).await.expect("count");
    let new_link = contact_tag::Model {
        tag_id: other_tag.id,
        ..link.clone()
    };
    let already = contact_tag::Entity::find_by_id((new_link.contact_id, new_link.tag_id))
        .one(db)
        .await
        .expect("read")
        .is_some();
    insert_missing::<contact_tag::Entity>(
        db,
        &[link.clone(), new_link.clone(), link],
        &[contact_tag::Column::ContactId, contact_tag::Column::TagId],
    )
    .await
    .expect("insert missing links");
    let links_after = contact_tag::Entity::find().count(db).await.expect("count");
    assert_eq!(links_after, links_before + u64::from(!already));
    assert!(
        contact_tag::Entity::find_by_id((new_link.contact_id, new_link.tag_id))
            .one(db)
            .await
            .expect("read")
            .is_some()
    );
}
