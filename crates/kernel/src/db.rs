//! Database conventions shared by every crate: stored enums, timestamps, write transactions.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// An enumeration stored as lower-case text (DESIGN.md: enumerations are stored as text).
pub trait DbEnum: Sized + Copy + 'static {
    /// Every value, for parsing and for documentation.
    const VALUES: &'static [Self];

    /// The stored form.
    fn as_db(self) -> &'static str;

    /// Parses the stored form.
    fn from_db(value: &str) -> Option<Self> {
        Self::VALUES.iter().copied().find(|v| v.as_db() == value)
    }
}

/// The current time, truncated to microseconds so that SQLite and PostgreSQL store and return
/// exactly the same instant (PostgreSQL keeps microseconds), which keyset cursors rely on.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Starts a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`, so it takes the
/// write lock up front and waits on `busy_timeout` instead of failing with SQLITE_BUSY later.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let options = match db.get_database_backend() {
        DbBackend::Sqlite => TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        },
        _ => TransactionOptions {
            access_mode: Some(AccessMode::ReadWrite),
            ..Default::default()
        },
    };
    db.begin_with_options(options).await
}

/// Whether the connection is PostgreSQL (for the few places where SQL differs).
pub fn is_postgres(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}
