//! Tags: title-cased labels on contacts (many-to-many through `contact_tags`).

pub mod graphql;
pub mod service;
