//! The one error type every service returns, and its single conversion into GraphQL errors.
//!
//! Outcomes a client can act on are variants with a stable `extensions.code` (listed in
//! docs/api.md, "Errors"); database errors that pass by themselves (unreachable, no free
//! connection, locked, disk full) are [`AppError::Unavailable`], sent as `SERVICE_UNAVAILABLE`
//! with a `retryAfter`; everything else is [`AppError::Internal`], which is logged with its
//! cause chain and returned to the client as a bare "internal error".

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, RuntimeErr, SqlErr};

use crate::unavailable::Unavailable;

/// The stable error codes of docs/api.md, as sent in `extensions.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    Conflict,
    GraphqlValidationFailed,
    LimitExceeded,
    RateLimited,
    ServiceUnavailable,
    InternalServerError,
}

impl ErrorCode {
    /// The wire form of the code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::Conflict => "CONFLICT",
            Self::GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            Self::LimitExceeded => "LIMIT_EXCEEDED",
            Self::RateLimited => "RATE_LIMITED",
            Self::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            Self::InternalServerError => "INTERNAL_SERVER_ERROR",
        }
    }
}

/// Everything a service can fail with.
///
/// Deliberately not `Display`: async-graphql converts any `Display` error into a GraphQL error
/// without a code, so `?` in a resolver must go through [`AppError::into_graphql`] instead.
#[derive(Debug)]
pub enum AppError {
    /// No valid credentials were presented.
    Unauthenticated(String),
    /// The caller is known but may not do this.
    Forbidden(String),
    /// The object does not exist, or belongs to another organization (indistinguishable on purpose).
    NotFound { entity: &'static str },
    /// The input is wrong; `field` names the input field at fault when there is exactly one.
    BadUserInput {
        message: String,
        field: Option<String>,
    },
    /// The request contradicts the current state (duplicate, already done).
    Conflict(String),
    /// A query or request limit was exceeded.
    LimitExceeded(String),
    /// Too many attempts; retry after the given number of seconds.
    RateLimited { retry_after_secs: u64 },
    /// The database is unavailable for a while (see [`Unavailable`]); the same request will
    /// work later. Its cause was logged where it was classified.
    Unavailable(Unavailable),
    /// A failure the client cannot act on. Its cause is logged, never sent.
    Internal(anyhow::Error),
}

/// Result alias used by every service function.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A `BAD_USER_INPUT` error naming the input field at fault.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadUserInput {
            message: message.into(),
            field: Some(field.into()),
        }
    }

    /// A `BAD_USER_INPUT` error about the input as a whole.
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::BadUserInput {
            message: message.into(),
            field: None,
        }
    }

    /// A `NOT_FOUND` error for the named kind of object.
    pub fn not_found(entity: &'static str) -> Self {
        Self::NotFound { entity }
    }

    /// A `FORBIDDEN` error.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden(message.into())
    }

    /// A `CONFLICT` error.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict(message.into())
    }

    /// An `UNAUTHENTICATED` error.
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::Unauthenticated(message.into())
    }

    /// An internal error with context; the message is logged, never sent. A database error in
    /// its chain that passes by itself makes it [`AppError::Unavailable`] instead.
    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        let error = error.into();
        match Unavailable::of_chain(&error) {
            Some(reason) => Self::unavailable(reason, &error),
            None => Self::Internal(error),
        }
    }

    /// A `SERVICE_UNAVAILABLE` error; its cause is logged here, at warning level (an outage is
    /// an operator's business, not a defect).
    pub fn unavailable(reason: Unavailable, cause: &dyn std::fmt::Display) -> Self {
        tracing::warn!(reason = reason.as_str(), error = %cause, "database unavailable");
        Self::Unavailable(reason)
    }

    /// The message sent to the client.
    pub fn message(&self) -> String {
        match self {
            Self::Unauthenticated(m)
            | Self::Forbidden(m)
            | Self::Conflict(m)
            | Self::LimitExceeded(m) => m.clone(),
            Self::NotFound { entity } => format!("{entity} not found"),
            Self::BadUserInput { message, .. } => message.clone(),
            Self::RateLimited { retry_after_secs } => {
                format!("too many attempts, retry in {retry_after_secs} s")
            }
            Self::Unavailable(reason) => reason.message().to_owned(),
            Self::Internal(_) => "internal error".to_owned(),
        }
    }

    /// The code this error is sent with.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthenticated(_) => ErrorCode::Unauthenticated,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::BadUserInput { .. } => ErrorCode::BadUserInput,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::LimitExceeded(_) => ErrorCode::LimitExceeded,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Unavailable(_) => ErrorCode::ServiceUnavailable,
            Self::Internal(_) => ErrorCode::InternalServerError,
        }
    }

    /// Seconds to wait before retrying, for the errors that pass by themselves.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Self::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            Self::Unavailable(reason) => Some(reason.retry_after_secs()),
            _ => None,
        }
    }

    /// Converts into the GraphQL error sent to clients: message plus `extensions.code`,
    /// `extensions.field` for input errors, `extensions.retryAfter` (seconds) for rate limits
    /// and unavailability, and `extensions.reason` for the latter.
    pub fn into_graphql(self) -> async_graphql::Error {
        let code = self.code();
        if let Self::Internal(cause) = &self {
            tracing::error!(error = ?cause, "internal error");
        }
        let field = match &self {
            Self::BadUserInput { field, .. } => field.clone(),
            _ => None,
        };
        let retry_after = self.retry_after_secs();
        let reason = match &self {
            Self::Unavailable(reason) => Some(reason.as_str()),
            _ => None,
        };
        async_graphql::Error::new(self.message()).extend_with(|_, ext| {
            ext.set("code", code.as_str());
            if let Some(field) = field {
                ext.set("field", field);
            }
            if let Some(secs) = retry_after {
                ext.set("retryAfter", secs);
            }
            if let Some(reason) = reason {
                ext.set("reason", reason);
            }
        })
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(error: AppError) -> Self {
        error.into_graphql()
    }
}

impl From<DbErr> for AppError {
    fn from(error: DbErr) -> Self {
        match Unavailable::of(&error) {
            Some(reason) => Self::unavailable(reason, &error),
            None => Self::Internal(anyhow::Error::new(error)),
        }
    }
}

/// Maps constraint violations of a query to client errors, next to the query that can raise them.
pub trait DbResultExt<T> {
    /// A unique-constraint violation becomes `CONFLICT` with this message.
    fn on_unique_violation(self, message: &str) -> AppResult<T>;
}

impl<T> DbResultExt<T> for Result<T, DbErr> {
    fn on_unique_violation(self, message: &str) -> AppResult<T> {
        self.map_err(|err| {
            if is_unique_violation(&err) {
                AppError::conflict(message)
            } else {
                AppError::from(err)
            }
        })
    }
}

/// Whether a database error is a unique-constraint violation, on SQLite and PostgreSQL.
pub fn is_unique_violation(err: &DbErr) -> bool {
    if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        return true;
    }
    // Inserts through `exec` report the violation as a plain runtime error on some drivers.
    matches!(
        err,
        DbErr::Exec(RuntimeErr::SqlxError(_)) | DbErr::Query(RuntimeErr::SqlxError(_))
    ) && err.to_string().to_ascii_lowercase().contains("unique")
}

#[cfg(test)]
mod tests {
    use async_graphql::Value;

    use super::*;

    /// The documented table of codes is the one frontends code against: every code is in it.
    #[test]
    fn every_code_is_documented_in_the_api_conventions() {
        let docs = include_str!("../../../docs/api.md");
        for code in [
            ErrorCode::Unauthenticated,
            ErrorCode::Forbidden,
            ErrorCode::NotFound,
            ErrorCode::BadUserInput,
            ErrorCode::Conflict,
            ErrorCode::GraphqlValidationFailed,
            ErrorCode::LimitExceeded,
            ErrorCode::RateLimited,
            ErrorCode::ServiceUnavailable,
            ErrorCode::InternalServerError,
        ] {
            // No wildcard: a new code does not compile until it is listed here too.
            match code {
                ErrorCode::Unauthenticated
                | ErrorCode::Forbidden
                | ErrorCode::NotFound
                | ErrorCode::BadUserInput
                | ErrorCode::Conflict
                | ErrorCode::GraphqlValidationFailed
                | ErrorCode::LimitExceeded
                | ErrorCode::RateLimited
                | ErrorCode::ServiceUnavailable
                | ErrorCode::InternalServerError => {}
            }
            let row = format!("| `{}` |", code.as_str());
            assert!(docs.contains(&row), "docs/api.md has no row for {row}");
        }
    }

    fn extensions(error: AppError) -> (String, async_graphql::ErrorExtensionValues) {
        let gql = error.into_graphql();
        (gql.message, gql.extensions.unwrap_or_default())
    }

    fn code_of(error: AppError) -> Value {
        extensions(error)
            .1
            .get("code")
            .cloned()
            .unwrap_or(Value::Null)
    }

    #[test]
    fn each_variant_maps_to_its_code() {
        let cases = [
            (AppError::unauthenticated("no"), "UNAUTHENTICATED"),
            (AppError::forbidden("no"), "FORBIDDEN"),
            (AppError::not_found("Contact"), "NOT_FOUND"),
            (AppError::bad_input("bad"), "BAD_USER_INPUT"),
            (AppError::conflict("twice"), "CONFLICT"),
            (AppError::LimitExceeded("big".into()), "LIMIT_EXCEEDED"),
            (
                AppError::RateLimited {
                    retry_after_secs: 3,
                },
                "RATE_LIMITED",
            ),
            (
                AppError::Unavailable(Unavailable::ConnectionTimeout),
                "SERVICE_UNAVAILABLE",
            ),
            (
                AppError::internal(anyhow::anyhow!("db down")),
                "INTERNAL_SERVER_ERROR",
            ),
        ];
        for (error, code) in cases {
            assert_eq!(code_of(error), Value::from(code));
        }
    }

    #[test]
    fn bad_input_names_the_field() {
        let (message, ext) = extensions(AppError::invalid("email", "is not an email address"));
        assert_eq!(message, "is not an email address");
        assert_eq!(ext.get("field"), Some(&Value::from("email")));
    }

    #[test]
    fn rate_limited_says_when_to_retry() {
        let (_, ext) = extensions(AppError::RateLimited {
            retry_after_secs: 42,
        });
        assert_eq!(ext.get("retryAfter"), Some(&Value::from(42)));
    }

    #[test]
    fn unavailability_says_why_and_when_to_retry() {
        let (message, ext) = extensions(AppError::from(DbErr::ConnectionAcquire(
            sea_orm::ConnAcquireErr::Timeout,
        )));
        assert!(message.contains("retry later"), "{message}");
        assert_eq!(ext.get("code"), Some(&Value::from("SERVICE_UNAVAILABLE")));
        assert_eq!(ext.get("reason"), Some(&Value::from("CONNECTION_TIMEOUT")));
        assert_eq!(ext.get("retryAfter"), Some(&Value::from(1)));
    }

    #[test]
    fn a_database_outage_behind_context_is_still_unavailability() {
        let cause = anyhow::Error::new(DbErr::ConnectionAcquire(
            sea_orm::ConnAcquireErr::ConnectionClosed,
        ))
        .context("importing contacts");
        assert_eq!(
            AppError::internal(cause).code(),
            ErrorCode::ServiceUnavailable
        );
        assert_eq!(
            AppError::from(DbErr::RecordNotFound("x".into())).code(),
            ErrorCode::InternalServerError
        );
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let (message, _) = extensions(AppError::internal(anyhow::anyhow!("password=hunter2")));
        assert_eq!(message, "internal error");
    }

    #[test]
    fn not_found_names_the_kind_only() {
        let (message, _) = extensions(AppError::not_found("User"));
        assert_eq!(message, "User not found");
    }
}
