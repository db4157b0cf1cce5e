//! crm-core: identity (organizations, users, teams, invitations, authentication), the audit log,
//! and (growing) the CRM entities. Services hold all database work and rules and take the
//! caller's [`kernel::AuthContext`]; resolvers only translate.

// async-graphql's MergedObject nests one future per merged root; the flat merge of every
// aggregate's root (graphql.rs) is deeper than the default limit of 128.
#![recursion_limit = "256"]

pub mod audit;
pub mod crm;
pub mod entity;
pub mod graphql;
pub mod identity;
pub mod state;

pub use state::{CoreConfig, CoreState};
