//! Registration, login, token refresh and logout.

pub mod graphql;
pub mod service;
