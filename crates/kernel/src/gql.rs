//! What resolvers read from the GraphQL context: the caller, the client address and shared
//! state. Missing state is an internal error, never a panic.

use std::any::Any;
use std::net::IpAddr;

use async_graphql::Context;

use crate::auth::AuthContext;
use crate::error::{AppError, AppResult};

/// Who sent the request, as established by the gateway before any resolver runs.
#[derive(Debug, Clone)]
pub enum Caller {
    /// No credentials were presented.
    Anonymous,
    /// A valid token of an active user.
    Authenticated(AuthContext),
    /// Credentials were presented and refused; resolvers that need a caller fail with this reason.
    Rejected(String),
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
}

const ANONYMOUS: Caller = Caller::Anonymous;

impl ContextExt for Context<'_> {
    fn auth(&self) -> AppResult<&AuthContext> {
        match self.caller() {
            Caller::Authenticated(auth) => Ok(auth),
            Caller::Anonymous => Err(AppError::unauthenticated("authentication required")),
            Caller::Rejected(reason) => Err(AppError::unauthenticated(reason.clone())),
        }
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
