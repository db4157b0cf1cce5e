//! The client portal: inviting contacts, their own contact for CLIENT users.

pub mod graphql;
pub mod service;
