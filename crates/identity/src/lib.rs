//! identity: who acts and on whose behalf. Organizations (the tenants), users, teams,
//! invitations and authentication; the audit log and its write transaction [`audit::Tx`]; and
//! the wiring every domain crate gives the gateway ([`domain::Domain`]).
//!
//! The CRM and the later domain crates sit above this crate and never the other way round: where
//! one of identity's flows needs something from a crate above (an organization's default
//! records, a portal user's contact), that crate answers through [`hooks::IdentityHooks`].

pub mod audit;
pub mod auth;
pub mod domain;
pub mod entity;
pub mod graphql;
pub mod hooks;
pub mod invitations;
pub mod loader;
pub mod organizations;
pub mod password;
pub mod rate_limit;
pub mod refresh;
pub mod resolvers;
pub mod sessions;
pub mod state;
pub mod teams;
pub mod tokens;
pub mod users;

pub use state::{IdentityConfig, IdentityState};
