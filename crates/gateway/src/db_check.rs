//! Start-up's first contact with the database, said plainly when it fails.
//!
//! A pool hides why it could not connect: it retries until its timeout and reports "pool timed
//! out", and the driver's own errors repeat themselves and name library internals. Before the
//! pool is opened, one direct connection is tried, and its failure is turned into one sentence
//! an operator can act on: the server is not running, the database does not exist (with the
//! `createdb` command that makes it), the user or password is wrong, the SQLite file cannot be
//! created.

use std::str::FromStr;
use std::time::Duration;

use anyhow::anyhow;
use sea_orm::sqlx::postgres::{PgConnectOptions, PgDatabaseError};
use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::sqlx::{self, ConnectOptions, Connection};

use crate::db::redact;

/// How long the first connection may take before start-up gives up on it.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Connects once to the database at `url` and closes the connection; an error says what is
/// wrong in one sentence.
pub async fn check_connection(url: &str) -> anyhow::Result<()> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        check_postgres(url).await
    } else if url.starts_with("sqlite:") {
        check_sqlite(url).await
    } else {
        let scheme = url.split("://").next().unwrap_or(url);
        Err(anyhow!(
            "DATABASE_URL must start with postgres:// or sqlite:// (it starts with `{scheme}`)"
        ))
    }
}

async fn check_postgres(url: &str) -> anyhow::Result<()> {
    let options = PgConnectOptions::from_str(url).map_err(|error| {
        anyhow!(
            "DATABASE_URL {} is not a PostgreSQL URL: {error}",
            redact(url)
        )
    })?;
    let server = format!("{}:{}", options.get_host(), options.get_port());
    let user = options.get_username().to_owned();
    let database = options.get_database().unwrap_or(&user).to_owned();
    let connected = tokio::time::timeout(CONNECT_TIMEOUT, options.connect()).await;
    let error = match connected {
        Ok(Ok(connection)) => {
            let _ = connection.close().await;
            return Ok(());
        }
        Ok(Err(error)) => error,
        Err(_) => {
            return Err(anyhow!(
                "PostgreSQL at {server} did not answer within {} s (a firewall, or the wrong host?)",
                CONNECT_TIMEOUT.as_secs()
            ));
        }
    };
    Err(anyhow!(postgres_problem(&error, &server, &user, &database)))
}

/// One sentence for a failed PostgreSQL connection.
fn postgres_problem(error: &sqlx::Error, server: &str, user: &str, database: &str) -> String {
    match error {
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => format!(
            "cannot connect to PostgreSQL at {server}: connection refused (is the server running and listening there?)"
        ),
        sqlx::Error::Io(io) => format!("cannot connect to PostgreSQL at {server}: {io}"),
        sqlx::Error::Tls(tls) => {
            format!("cannot connect to PostgreSQL at {server}: TLS failed ({tls})")
        }
        sqlx::Error::Database(db) => {
            let code = db
                .try_downcast_ref::<PgDatabaseError>()
                .map(PgDatabaseError::code)
                .unwrap_or_default();
            match code {
                "3D000" => format!(
                    "PostgreSQL at {server} has no database \"{database}\"; create it with: createdb -h {} -p {} -U {user} {database}",
                    server.rsplit_once(':').map_or(server, |(host, _)| host),
                    server.rsplit_once(':').map_or("5432", |(_, port)| port),
                ),
                "28000" | "28P01" => format!(
                    "PostgreSQL at {server} refused user \"{user}\": {}",
                    db.message()
                ),
                _ => format!(
                    "PostgreSQL at {server} refused the connection: {}",
                    db.message()
                ),
            }
        }
        other => format!("cannot connect to PostgreSQL at {server}: {other}"),
    }
}

async fn check_sqlite(url: &str) -> anyhow::Result<()> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|error| anyhow!("DATABASE_URL {url} is not a SQLite URL: {error}"))?;
    let file = options.get_filename().display().to_string();
    match options.connect().await {
        Ok(connection) => {
            let _ = connection.close().await;
            Ok(())
        }
        Err(sqlx::Error::Database(db)) => Err(anyhow!(
            "cannot open the SQLite database {file}: {} (does its folder exist, and may this user write there?)",
            db.message()
        )),
        Err(other) => Err(anyhow!("cannot open the SQLite database {file}: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_connection_is_said_plainly() {
        let refused = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        let message = postgres_problem(&refused, "127.0.0.1:1", "crm", "crm");
        assert_eq!(
            message,
            "cannot connect to PostgreSQL at 127.0.0.1:1: connection refused (is the server running and listening there?)"
        );
    }

    #[tokio::test]
    async fn other_schemes_are_named() {
        let error = check_connection("mysql://x").await.expect_err("refused");
        assert_eq!(
            error.to_string(),
            "DATABASE_URL must start with postgres:// or sqlite:// (it starts with `mysql`)"
        );
    }

    #[tokio::test]
    async fn a_sqlite_file_in_a_missing_folder_is_named() {
        let error = check_connection("sqlite:///nonexistent/folder/crm.db?mode=rwc")
            .await
            .expect_err("refused");
        let message = error.to_string();
        assert!(
            message.starts_with("cannot open the SQLite database /nonexistent/folder/crm.db"),
            "{message}"
        );
        assert!(message.contains("does its folder exist"), "{message}");
    }
}
