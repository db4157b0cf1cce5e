//! Opening the database pool with the settings each backend needs.

use std::time::Duration;

use sea_orm::{ConnectOptions, Database, DatabaseConnection};

/// Pool settings.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_connections: u32,
    /// How long a request waits for a connection (every one busy, or the database restarting)
    /// before it fails with `SERVICE_UNAVAILABLE`.
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(2),
        }
    }
}

/// Connects to SQLite or PostgreSQL.
///
/// SQLite: WAL, a busy timeout, foreign keys on, case-sensitive LIKE (so `like` filters mean the
/// same as on PostgreSQL); in-memory databases get a single connection (each connection would
/// otherwise see its own empty database). PostgreSQL: connections idle for 10 s are tested
/// before use (a restarted server leaves stale ones), none lives longer than 30 minutes. On
/// both, waiting for a connection ends after `acquire_timeout` (long enough to ride out a
/// database restart, short enough that a client hears "retry later" instead of hanging).
pub async fn connect(url: &str, settings: &PoolSettings) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .acquire_timeout(settings.acquire_timeout)
        .connect_timeout(Duration::from_secs(10))
        // Statements are logged at debug level: visible with CRM_LOG=sqlx=debug, silent otherwise.
        .sqlx_logging(true)
        .sqlx_logging_level(tracing::log::LevelFilter::Debug);
    if url.starts_with("sqlite:") {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        options
            .max_connections(if in_memory {
                1
            } else {
                settings.max_connections.max(1)
            })
            .min_connections(1)
            .map_sqlx_sqlite_opts(|opts| {
                opts.foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                    .pragma("case_sensitive_like", "ON")
            });
        if in_memory {
            // The database lives as long as its one connection: never let the pool close it.
            options.idle_timeout(None).max_lifetime(None);
        }
    } else {
        // A connection idle for a while is pinged before use (a restarted server leaves stale
        // ones); a busy one is not: a ping per acquire was one more round trip per statement.
        options
            .max_connections(settings.max_connections.max(1))
            .test_before_acquire_if_idle_for(Duration::from_secs(10))
            .max_lifetime(Duration::from_secs(30 * 60));
    }
    Database::connect(options)
        .await
        .map_err(|error| anyhow::anyhow!("connecting to {}: {error}", redact(url)))
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _password)) => {
                    format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..])
                }
                // No password to hide: the URL as given.
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://crm:secret@db/crm"),
            "postgres://crm:***@db/crm"
        );
        assert_eq!(redact("sqlite://data/crm.db"), "sqlite://data/crm.db");
        assert_eq!(
            redact("postgres://crm@db:5432/crm"),
            "postgres://crm@db:5432/crm"
        );
    }
}
