//! crm-core: identity (organizations, users, teams, invitations, authentication), the audit log,
//! and (growing) the CRM entities. Services hold all database work and rules and take the
//! caller's [`kernel::AuthContext`]; resolvers only translate.

// The merged GraphQL roots nest deeply; their generated futures need a higher limit.
#![recursion_limit = "512"]

pub mod audit;
pub mod crm;
pub mod entity;
pub mod graphql;
pub mod identity;
pub mod state;

pub use state::{CoreConfig, CoreState};
