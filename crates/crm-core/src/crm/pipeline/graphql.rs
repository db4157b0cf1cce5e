//! The pipeline slice's GraphQL roots, merged from its aggregates.

use async_graphql::{MergedObject, MergedSubscription};

use super::opportunities::graphql::{
    OpportunityMutation, OpportunityQuery, OpportunitySubscription,
};
use super::pipelines::graphql::{PipelinesMutation, PipelinesQuery};

/// Queries of the pipeline slice.
#[derive(MergedObject, Default)]
pub struct PipelineQuery(PipelinesQuery, OpportunityQuery);

/// Mutations of the pipeline slice.
#[derive(MergedObject, Default)]
pub struct PipelineMutation(PipelinesMutation, OpportunityMutation);

/// Subscriptions of the pipeline slice (`opportunityStageChanged`).
#[derive(MergedSubscription, Default)]
pub struct PipelineSubscription(OpportunitySubscription);
