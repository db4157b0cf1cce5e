//! The kernel every domain crate builds on. It holds shared types only, never entities:
//! the error type and its codes, the caller's identity and tenant scope, Relay connections with
//! typed filters and keyset ordering, scalars, input validation and the domain-event bus.

pub mod auth;
pub mod batch;
pub mod db;
pub mod entity;
pub mod error;
pub mod events;
pub mod foreign;
pub mod gql;
pub mod listing;
pub mod loader;
pub mod object;
pub mod patch;
pub mod position;
pub mod scalars;
pub mod store;
pub mod unavailable;
pub mod validate;

pub use auth::{AuthContext, Role, TenantScope};
pub use error::{AppError, AppResult, DbResultExt, ErrorCode};
pub use gql::{Caller, ClientAddr, ContextExt};
pub use store::Store;
pub use unavailable::Unavailable;
