//! GraphQL roots of this crate, merged by the gateway.
//!
//! Until the crate's first aggregate lands they contribute no fields (GraphQL forbids an
//! object without fields, so they stand on async-graphql's field-less root); replacing the alias
//! with a `#[derive(MergedObject, Default)]` of the crate's aggregates is all it takes to serve them.

/// Queries of this crate.
pub type ChecklistsQuery = async_graphql::EmptyMutation;

/// Mutations of this crate.
pub type ChecklistsMutation = async_graphql::EmptyMutation;
