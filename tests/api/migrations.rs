//! Migrations apply, roll back and re-apply on both databases.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};
use test_support::TestApp;

async fn table_exists(app: &TestApp, table: &str) -> bool {
    let backend = app.db().get_database_backend();
    app.db()
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT 1 FROM {table} LIMIT 1"),
        ))
        .await
        .is_ok()
}

#[tokio::test]
async fn migrations_roll_back_and_apply_again() {
    let app = TestApp::new().await;
    assert!(table_exists(&app, "users").await);
    Migrator::down(app.db(), None).await.expect("down");
    for table in [
        "audit_log",
        "refresh_tokens",
        "invitations",
        "users",
        "teams",
        "organization_settings",
        "organizations",
    ] {
        assert!(!table_exists(&app, table).await, "{table} should be gone");
    }
    Migrator::up(app.db(), None).await.expect("up again");
    assert!(table_exists(&app, "users").await);
    app.with_org("Acme").await;
}

/// Probabilities written with a fraction before the API took whole percents are rounded, and
/// the weighted value follows the rounded probability.
#[tokio::test]
async fn fractional_probabilities_are_rounded_to_whole_percents() {
    let app = TestApp::new().await;
    let acme = app.with_org("Acme").await;
    let created = acme
        .admin
        .gql(
            "mutation { createOpportunity(data: { name: \"Deal\", value: \"1001\", probability: 40 }) { id } }",
            serde_json::json!({}),
        )
        .await;
    let id = created
        .at("/createOpportunity/id")
        .as_str()
        .expect("id")
        .to_owned();
    let lead = acme
        .admin
        .gql(
            "mutation { createLead(data: { name: \"Lead\", probability: 10 }) { id } }",
            serde_json::json!({}),
        )
        .await;
    let lead_id = lead.at("/createLead/id").as_str().expect("id").to_owned();
    // The test's database holds only this organization's rows.
    let backend = app.db().get_database_backend();
    for statement in [
        "UPDATE opportunities SET probability = 33.5",
        "UPDATE opportunity_stage_history SET probability = 12.4",
        "UPDATE leads SET probability = 66.6",
    ] {
        app.db()
            .execute_raw(Statement::from_string(backend, statement))
            .await
            .expect("write a legacy value");
    }

    Migrator::down(app.db(), Some(1)).await.expect("down");
    Migrator::up(app.db(), None).await.expect("up");

    let read = acme
        .admin
        .gql(
            "query($id: UUID!, $lead: UUID!) { opportunity(id: $id) { probability weightedValue stageHistory { probability } }
               lead(id: $lead) { probability } }",
            serde_json::json!({ "id": id, "lead": lead_id }),
        )
        .await;
    assert_eq!(read.at("/opportunity/probability"), 34);
    assert_eq!(read.at("/opportunity/weightedValue"), "340.34");
    assert_eq!(read.at("/opportunity/stageHistory/0/probability"), 12);
    assert_eq!(read.at("/lead/probability"), 67);
}
