//! The gateway: configuration, command line, HTTP router, schema merge, GraphiQL, lifecycle.
//! `main.rs` only reads configuration and calls into here, so tests build the very same app.

pub mod cli;
pub mod commands;
pub mod config;
pub mod cost;
pub mod db;
pub mod db_check;
pub mod http;
pub mod limits;
pub mod progress;
pub mod scale;
pub mod schema;
pub mod seed;
pub mod server;

/// The version of this build: the package version and the git commit it was built from.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("CRM_GIT_COMMIT"), ")");
/// The git commit this build comes from (`unknown` outside a git checkout).
pub const GIT_COMMIT: &str = env!("CRM_GIT_COMMIT");

pub use http::{AppState, router};
pub use server::{AppSettings, build_state, run};
