//! Pipeline slice of the CRM: pipelines and their stages, opportunities with line items and
//! stage history.
//!
//! - `pipelines`: pipelines and stages (configuration, MANAGER and ADMIN).
//! - `opportunities`: deals, their line items, moves between stages and the stage history.
//! - `loader`: the DataLoaders of the slice's GraphQL types.

pub mod loader;
pub mod opportunities;
pub mod pipelines;
