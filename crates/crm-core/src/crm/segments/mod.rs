//! Segments of contacts: saved filters and hand-picked lists.

pub mod graphql;
pub mod service;
