//! The engagement slice's GraphQL roots (field-less until its aggregates land; then a
//! `#[derive(MergedObject, Default)]` of the aggregates' roots).

/// Queries of the engagement slice.
pub type EngagementQuery = async_graphql::EmptyMutation;

/// Mutations of the engagement slice.
pub type EngagementMutation = async_graphql::EmptyMutation;
