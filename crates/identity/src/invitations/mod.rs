//! Invitations: an administrator invites someone by e-mail with a role; they accept with the
//! one-time token and a password, and become a user of the organization.

pub mod graphql;
pub mod service;
