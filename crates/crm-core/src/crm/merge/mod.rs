//! Contact duplicates and merging.

pub mod graphql;
pub mod service;
