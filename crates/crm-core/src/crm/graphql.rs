//! The CRM slices' roots, merged into crm-core's roots.

use async_graphql::MergedObject;

use super::directory::graphql::{DirectoryMutation, DirectoryQuery};
use super::engagement::graphql::{EngagementMutation, EngagementQuery};
use super::pipeline::graphql::{PipelineMutation, PipelineQuery};

/// CRM queries.
#[derive(MergedObject, Default)]
pub struct CrmObjectsQuery(DirectoryQuery, PipelineQuery, EngagementQuery);

/// CRM mutations.
#[derive(MergedObject, Default)]
pub struct CrmObjectsMutation(DirectoryMutation, PipelineMutation, EngagementMutation);
