//! Engagement slice of the CRM.

pub mod graphql;
