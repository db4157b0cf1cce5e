//! Failures that pass by themselves: which database errors mean "retry later" rather than "bug".
//!
//! A client that gets `INTERNAL_SERVER_ERROR` must assume a defect and give up; one that gets
//! `SERVICE_UNAVAILABLE` with a `retryAfter` knows that the same request will work once the
//! database is back, has a free connection or has room again. Telling them apart is a matter of
//! the driver's error: its kind, PostgreSQL's SQLSTATE or SQLite's result code.

use sea_orm::sqlx;
use sea_orm::sqlx::postgres::PgDatabaseError;
use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr};

/// Why the service cannot answer right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// The database does not answer: down, restarting, or the connection to it broke.
    DatabaseUnreachable,
    /// No database connection could be had within the acquire timeout: every one was in use,
    /// or the database did not accept a new one in time. From the error alone the two cannot
    /// be told apart.
    ConnectionTimeout,
    /// Every connection of the pool is in use. Only readiness reports it, since it sees the pool.
    PoolExhausted,
    /// The database is locked by other writers past its busy timeout, or refuses more
    /// connections.
    DatabaseBusy,
    /// The database cannot write: its disk is full or failing.
    StorageFull,
}

impl Unavailable {
    /// The wire form, sent as `extensions.reason`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DatabaseUnreachable => "DATABASE_UNREACHABLE",
            Self::ConnectionTimeout => "CONNECTION_TIMEOUT",
            Self::PoolExhausted => "POOL_EXHAUSTED",
            Self::DatabaseBusy => "DATABASE_BUSY",
            Self::StorageFull => "STORAGE_FULL",
        }
    }

    /// The message sent to the client.
    pub fn message(self) -> &'static str {
        match self {
            Self::DatabaseUnreachable => "the database is unreachable; retry later",
            Self::ConnectionTimeout => {
                "no database connection became available in time; retry later"
            }
            Self::PoolExhausted => "every database connection is in use; retry later",
            Self::DatabaseBusy => "the database is busy; retry later",
            Self::StorageFull => "the database cannot store data right now; retry later",
        }
    }

    /// Seconds a client should wait before retrying (`Retry-After`): a restart or a busy
    /// moment passes within seconds, a full disk needs an operator.
    pub fn retry_after_secs(self) -> u64 {
        match self {
            Self::DatabaseUnreachable => 2,
            Self::ConnectionTimeout | Self::PoolExhausted | Self::DatabaseBusy => 1,
            Self::StorageFull => 30,
        }
    }

    /// The condition behind a database error, if it is one that passes by itself.
    pub fn of(error: &DbErr) -> Option<Self> {
        match error {
            DbErr::ConnectionAcquire(ConnAcquireErr::Timeout) => Some(Self::ConnectionTimeout),
            DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed) => {
                Some(Self::DatabaseUnreachable)
            }
            DbErr::Conn(RuntimeErr::SqlxError(error))
            | DbErr::Exec(RuntimeErr::SqlxError(error))
            | DbErr::Query(RuntimeErr::SqlxError(error)) => Self::of_sqlx(error),
            _ => None,
        }
    }

    /// The first database error in an error's chain that passes by itself, if any.
    pub fn of_chain(error: &anyhow::Error) -> Option<Self> {
        error
            .chain()
            .filter_map(|cause| cause.downcast_ref::<DbErr>())
            .find_map(Self::of)
    }

    fn of_sqlx(error: &sqlx::Error) -> Option<Self> {
        match error {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => Some(Self::DatabaseUnreachable),
            sqlx::Error::PoolTimedOut => Some(Self::ConnectionTimeout),
            sqlx::Error::Database(database) => {
                if let Some(postgres) = database.try_downcast_ref::<PgDatabaseError>() {
                    Self::of_sqlstate(postgres.code())
                } else {
                    database
                        .code()
                        .and_then(|code| code.parse().ok())
                        .and_then(Self::of_sqlite_code)
                }
            }
            _ => None,
        }
    }

    /// PostgreSQL's SQLSTATE: connection exceptions (class 08), the server shutting down or
    /// starting (57P01-57P03), insufficient resources (class 53) and I/O errors (58030).
    fn of_sqlstate(code: &str) -> Option<Self> {
        match code {
            "53100" | "58030" => Some(Self::StorageFull),
            "53000" | "53200" | "53300" | "53400" => Some(Self::DatabaseBusy),
            "57P01" | "57P02" | "57P03" => Some(Self::DatabaseUnreachable),
            _ if code.starts_with("08") => Some(Self::DatabaseUnreachable),
            _ => None,
        }
    }

    /// SQLite's (extended) result code; the primary code is its low byte.
    fn of_sqlite_code(code: i32) -> Option<Self> {
        const BUSY: i32 = 5;
        const LOCKED: i32 = 6;
        const IOERR: i32 = 10;
        const FULL: i32 = 13;
        const CANTOPEN: i32 = 14;
        match code & 0xff {
            BUSY | LOCKED => Some(Self::DatabaseBusy),
            IOERR | FULL => Some(Self::StorageFull),
            CANTOPEN => Some(Self::DatabaseUnreachable),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn sqlx_error(error: sqlx::Error) -> DbErr {
        DbErr::Query(RuntimeErr::SqlxError(Arc::new(error)))
    }

    #[test]
    fn pool_timeouts_are_timeouts_and_closed_pools_unreachable() {
        assert_eq!(
            Unavailable::of(&DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)),
            Some(Unavailable::ConnectionTimeout)
        );
        assert_eq!(
            Unavailable::of(&DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed)),
            Some(Unavailable::DatabaseUnreachable)
        );
        assert_eq!(
            Unavailable::of(&sqlx_error(sqlx::Error::PoolTimedOut)),
            Some(Unavailable::ConnectionTimeout)
        );
    }

    #[test]
    fn a_broken_connection_is_unreachable() {
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert_eq!(
            Unavailable::of(&sqlx_error(sqlx::Error::Io(reset))),
            Some(Unavailable::DatabaseUnreachable)
        );
    }

    #[test]
    fn postgres_states_map_to_their_condition() {
        for (code, expected) in [
            ("53100", Some(Unavailable::StorageFull)),
            ("53300", Some(Unavailable::DatabaseBusy)),
            ("57P01", Some(Unavailable::DatabaseUnreachable)),
            ("08006", Some(Unavailable::DatabaseUnreachable)),
            ("23505", None),
            ("42P01", None),
        ] {
            assert_eq!(Unavailable::of_sqlstate(code), expected, "{code}");
        }
    }

    #[test]
    fn sqlite_codes_map_by_their_primary_code() {
        for (code, expected) in [
            (5, Some(Unavailable::DatabaseBusy)),
            (517, Some(Unavailable::DatabaseBusy)),
            (13, Some(Unavailable::StorageFull)),
            // SQLITE_IOERR_WRITE: what a write past the file-size limit reports.
            (778, Some(Unavailable::StorageFull)),
            (14, Some(Unavailable::DatabaseUnreachable)),
            (2067, None),
            (1, None),
        ] {
            assert_eq!(Unavailable::of_sqlite_code(code), expected, "{code}");
        }
    }

    #[test]
    fn logic_errors_are_not_unavailability() {
        assert_eq!(Unavailable::of(&DbErr::RecordNotFound("x".into())), None);
        assert_eq!(Unavailable::of(&sqlx_error(sqlx::Error::RowNotFound)), None);
    }

    #[test]
    fn the_chain_is_searched_through_context() {
        let error = anyhow::Error::new(DbErr::ConnectionAcquire(ConnAcquireErr::Timeout))
            .context("loading contacts");
        assert_eq!(
            Unavailable::of_chain(&error),
            Some(Unavailable::ConnectionTimeout)
        );
        assert_eq!(Unavailable::of_chain(&anyhow::anyhow!("a bug")), None);
    }
}
