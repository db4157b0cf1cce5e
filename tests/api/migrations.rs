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
