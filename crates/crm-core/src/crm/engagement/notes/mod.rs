//! Notes on a contact, company, lead or opportunity.

pub mod graphql;
pub mod service;
