//! Dashboards, pipeline and hours reports, productivity against revenue, per-user scores, specialization levels and badges, lead scoring, CSV and PDF export.
//!
//! The crate's GraphQL roots are merged into the served schema by the gateway. They are empty
//! until the crate's first issue lands; the merge is wired now so that adding a resolver here is
//! all it takes to serve it.

pub mod graphql;
