//! SeaORM models of crm-core's tables, and nothing else: no business rules, no GraphQL.

pub mod audit_log;
pub mod invitation;
pub mod organization;
pub mod organization_settings;
pub mod refresh_token;
pub mod team;
pub mod user;
