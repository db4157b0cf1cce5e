//! Project, milestone, task and step templates; projects instantiated from them; tasks with assignees and hierarchy; task requests with approval; steps, step tracking and task results.
//!
//! The crate's GraphQL roots are merged into the served schema by the gateway. They are empty
//! until the crate's first issue lands; the merge is wired now so that adding a resolver here is
//! all it takes to serve it.

pub mod graphql;
