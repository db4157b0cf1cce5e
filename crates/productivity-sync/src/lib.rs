//! Time entries pushed by the employee productivity-monitoring agent, linked to deals, projects and tasks; signed outbound webhooks.
//!
//! The crate's GraphQL roots are merged into the served schema by the gateway. They are empty
//! until the crate's first issue lands; the merge is wired now so that adding a resolver here is
//! all it takes to serve it.

pub mod graphql;
