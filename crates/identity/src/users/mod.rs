//! Users of an organization: listing, administration, self-service profile and password.

pub mod graphql;
pub mod service;
