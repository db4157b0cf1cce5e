//! What resolvers read from the GraphQL context: the caller, the client address and shared
//! state. Missing state is an internal error, never a panic.

use std::any::Any;
use std::net::IpAddr;

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use crate::auth::AuthContext;
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::unavailable::Unavailable;

/// Who sent the request, as established by the gateway before any resolver runs.
#[derive(Debug, Clone)]
pub enum Caller {
    /// No credentials were presented.
    Anonymous,
    /// A valid token of an active user.
    Authenticated(AuthContext),
    /// Credentials were presented and refused; resolvers that need a caller fail with this reason.
    Rejected(String),
    /// Credentials were presented but could not be checked: the database is unavailable (the
    /// reason), or failed (`None`, an internal error, logged when it happened). Never a refusal:
    /// a client told UNAUTHENTICATED during an outage would sign its user out.
    Unverified(Option<Unavailable>),
}

impl Caller {
    /// The caller named by a bearer token once `authenticate` has checked it.
    pub fn from_authentication(result: AppResult<AuthContext>) -> Self {
        match result {
            Ok(auth) => Self::Authenticated(auth),
            Err(AppError::Unauthenticated(reason)) => Self::Rejected(reason),
            Err(AppError::Unavailable(reason)) => Self::Unverified(Some(reason)),
            Err(other) => {
                if let AppError::Internal(cause) = &other {
                    tracing::error!(error = ?cause, "authentication failed");
                }
                Self::Unverified(None)
            }
        }
    }

    /// The authenticated caller, or the error a resolver that needs one fails with.
    pub fn auth(&self) -> AppResult<&AuthContext> {
        match self {
            Self::Authenticated(auth) => Ok(auth),
            Self::Anonymous => Err(AppError::unauthenticated("authentication required")),
            Self::Rejected(reason) => Err(AppError::unauthenticated(reason.clone())),
            Self::Unverified(Some(reason)) => Err(AppError::Unavailable(*reason)),
            Self::Unverified(None) => Err(AppError::Internal(anyhow::anyhow!(
                "the credentials could not be checked"
            ))),
        }
    }
}

/// The client's network address, from the TCP connection (never from forwarded headers).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

/// Typed access to request and schema data.
pub trait ContextExt {
    /// The authenticated caller, or `UNAUTHENTICATED`.
    fn auth(&self) -> AppResult<&AuthContext>;
    /// The caller, authenticated or not.
    fn caller(&self) -> &Caller;
    /// The client's address, if known.
    fn client_addr(&self) -> Option<IpAddr>;
    /// Shared state registered on the schema; its absence is a wiring bug.
    fn state<T: Any + Send + Sync>(&self) -> AppResult<&T>;
    /// The store (pool and event bus), for services that write.
    fn store(&self) -> AppResult<&Store> {
        self.state::<Store>()
    }
    /// The database, for services that only read.
    fn db(&self) -> AppResult<&DatabaseConnection> {
        Ok(&self.store()?.db)
    }
}

const ANONYMOUS: Caller = Caller::Anonymous;

impl ContextExt for Context<'_> {
    fn auth(&self) -> AppResult<&AuthContext> {
        self.caller().auth()
    }

    fn caller(&self) -> &Caller {
        self.data_opt::<Caller>().unwrap_or(&ANONYMOUS)
    }

    fn client_addr(&self) -> Option<IpAddr> {
        self.data_opt::<ClientAddr>().and_then(|addr| addr.0)
    }

    fn state<T: Any + Send + Sync>(&self) -> AppResult<&T> {
        self.data_opt::<T>().ok_or_else(|| {
            AppError::internal(anyhow::anyhow!(
                "schema data {} missing",
                std::any::type_name::<T>()
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn credentials_that_could_not_be_checked_are_never_a_refusal() {
        let outage = Caller::from_authentication(Err(AppError::Unavailable(
            Unavailable::DatabaseUnreachable,
        )));
        assert!(matches!(outage, Caller::Unverified(Some(_))));
        let error = outage.auth().err().map(|e| e.code());
        assert_eq!(error, Some(ErrorCode::ServiceUnavailable));

        let bug = Caller::from_authentication(Err(AppError::internal(anyhow::anyhow!("bug"))));
        assert_eq!(
            bug.auth().err().map(|e| e.code()),
            Some(ErrorCode::InternalServerError)
        );

        let refused =
            Caller::from_authentication(Err(AppError::unauthenticated("invalid or expired token")));
        assert_eq!(
            refused.auth().err().map(|e| e.code()),
            Some(ErrorCode::Unauthenticated)
        );
    }
}
