//! Directory slice of the CRM.

pub mod graphql;
