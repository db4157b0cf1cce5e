//! CSV import of contacts: decoding, mapping and validation are pure (`source`, `mapping`);
//! `service` resolves names against the organization and writes everything in one
//! transaction with bulk statements, so 100,000 rows import in seconds.

pub mod graphql;
pub mod mapping;
pub mod service;
pub mod source;
