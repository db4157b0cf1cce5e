//! Teams: named groups of users with an optional lead.

pub mod graphql;
pub mod service;
