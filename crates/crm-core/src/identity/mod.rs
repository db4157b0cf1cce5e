//! Identity: organizations (tenants), users, teams, invitations, and authentication.

pub mod auth;
pub mod invitations;
pub mod loader;
pub mod organizations;
pub mod password;
pub mod rate_limit;
pub mod refresh;
pub mod sessions;
pub mod teams;
pub mod tokens;
pub mod users;
