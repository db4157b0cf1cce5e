//! The CRM slices' roots, merged into crm-core's roots.

use async_graphql::MergedObject;

use super::directory::graphql::{DirectoryMutation, DirectoryQuery};
use super::engagement::graphql::{EngagementMutation, EngagementQuery};
use super::import::graphql::ImportMutation;
use super::merge::graphql::{MergeMutation, MergeQuery};
use super::pipeline::graphql::{PipelineMutation, PipelineQuery};
use super::portal::graphql::PortalMutation;
use super::segments::graphql::{SegmentMutation, SegmentQuery};

/// CRM queries.
#[derive(MergedObject, Default)]
pub struct CrmObjectsQuery(
    DirectoryQuery,
    PipelineQuery,
    EngagementQuery,
    MergeQuery,
    SegmentQuery,
);

/// CRM mutations.
#[derive(MergedObject, Default)]
pub struct CrmObjectsMutation(
    DirectoryMutation,
    PipelineMutation,
    EngagementMutation,
    ImportMutation,
    MergeMutation,
    PortalMutation,
    SegmentMutation,
);
