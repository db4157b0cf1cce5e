//! The pipeline slice's GraphQL roots (field-less until its aggregates land; then a
//! `#[derive(MergedObject, Default)]` of the aggregates' roots).

/// Queries of the pipeline slice.
pub type PipelineQuery = async_graphql::EmptyMutation;

/// Mutations of the pipeline slice.
pub type PipelineMutation = async_graphql::EmptyMutation;
