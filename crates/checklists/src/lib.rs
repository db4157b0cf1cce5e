//! Checklists and their items (sequential or parallel), guides in several formats and languages, and validation of items against guides. Generic: a checklist hangs on any owner (task, step, milestone, contact) by type and id.
//!
//! The crate's GraphQL roots are merged into the served schema by the gateway. They are empty
//! until the crate's first issue lands; the merge is wired now so that adding a resolver here is
//! all it takes to serve it.

pub mod graphql;
