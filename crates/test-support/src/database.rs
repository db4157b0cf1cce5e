//! One fresh, migrated database per test.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use uuid::Uuid;

/// The environment variable that switches tests to PostgreSQL: a server URL whose user may
/// create databases (e.g. `postgres://postgres@127.0.0.1:5432/postgres`).
pub(crate) const POSTGRES_URL_VAR: &str = "CRM_TEST_DATABASE_URL";

/// A migrated database that disappears with the test.
pub struct TestDatabase {
    connection: DatabaseConnection,
    postgres: Option<(String, String)>,
    statements: Arc<AtomicUsize>,
    recorded: Arc<Mutex<Option<Vec<Statement>>>>,
}

impl TestDatabase {
    /// In-memory SQLite, or a new PostgreSQL database when [`POSTGRES_URL_VAR`] is set.
    pub async fn create() -> Self {
        let mut database = match std::env::var(POSTGRES_URL_VAR) {
            Ok(server_url) if !server_url.is_empty() => Self::postgres(server_url).await,
            _ => Self::sqlite().await,
        };
        Migrator::up(&database.connection, None)
            .await
            .expect("migrations apply");
        // Count every statement from now on (tests assert constant statement counts).
        let counter = database.statements.clone();
        let recorded = database.recorded.clone();
        database.connection.set_metric_callback(move |info| {
            counter.fetch_add(1, Ordering::Relaxed);
            if let Some(list) = recorded.lock().expect("recorder").as_mut() {
                list.push(info.statement.clone());
            }
        });
        database
    }

    async fn sqlite() -> Self {
        let settings = gateway::db::PoolSettings {
            max_connections: 1,
            ..Default::default()
        };
        let connection = gateway::db::connect("sqlite::memory:", &settings)
            .await
            .expect("in-memory SQLite");
        Self {
            connection,
            postgres: None,
            statements: Arc::default(),
            recorded: Arc::default(),
        }
    }

    async fn postgres(server_url: String) -> Self {
        let name = format!("crm_test_{}", Uuid::now_v7().simple());
        let admin = Database::connect(&server_url)
            .await
            .expect("connect to the PostgreSQL server");
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create test database");
        admin.close().await.ok();
        let url = replace_database(&server_url, &name);
        let settings = gateway::db::PoolSettings {
            max_connections: 5,
            ..Default::default()
        };
        let connection = gateway::db::connect(&url, &settings)
            .await
            .expect("connect to the test database");
        Self {
            connection,
            postgres: Some((server_url, name)),
            statements: Arc::default(),
            recorded: Arc::default(),
        }
    }

    /// The pool.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.connection
    }

    /// How many SQL statements have run since the database was migrated.
    pub fn statements(&self) -> usize {
        self.statements.load(Ordering::Relaxed)
    }

    /// Starts keeping every statement that runs (with its values), dropping any kept so far.
    pub fn start_recording(&self) {
        *self.recorded.lock().expect("recorder") = Some(Vec::new());
    }

    /// The statements kept since [`Self::start_recording`]; recording stops.
    pub fn take_recorded(&self) -> Vec<Statement> {
        self.recorded
            .lock()
            .expect("recorder")
            .take()
            .unwrap_or_default()
    }

    /// Whether this is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }
}

/// The server URL with its database name replaced.
fn replace_database(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server_url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map(|i| authority_start + i);
    let root = path_start.map_or(base, |i| &base[..i]);
    match query {
        Some(query) => format!("{root}/{name}?{query}"),
        None => format!("{root}/{name}"),
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server_url, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs outside async; a helper thread with its own runtime drops the database.
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(admin) = Database::connect(&server_url).await {
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_replaced_in_urls() {
        assert_eq!(
            replace_database("postgres://u@h:5432/postgres", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            replace_database("postgres://u@h/postgres?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(replace_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
