//! The directory slice's GraphQL roots (field-less until its aggregates land; then a
//! `#[derive(MergedObject, Default)]` of the aggregates' roots).

/// Queries of the directory slice.
pub type DirectoryQuery = async_graphql::EmptyMutation;

/// Mutations of the directory slice.
pub type DirectoryMutation = async_graphql::EmptyMutation;
