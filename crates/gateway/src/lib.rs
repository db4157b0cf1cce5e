//! The gateway: configuration, command line, HTTP router, schema merge, GraphiQL, lifecycle.
//! `main.rs` only reads configuration and calls into here, so tests build the very same app.

// The merged GraphQL roots nest deeply; their generated futures need a higher limit.
#![recursion_limit = "512"]

pub mod cli;
pub mod commands;
pub mod config;
pub mod cost;
pub mod db;
pub mod http;
pub mod limits;
pub mod scale;
pub mod schema;
pub mod seed;
pub mod server;

pub use http::{AppState, router};
pub use server::{AppSettings, build_state, run};
