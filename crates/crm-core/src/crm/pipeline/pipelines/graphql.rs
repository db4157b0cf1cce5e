//! GraphQL surface of pipelines and stages.

use async_graphql::{Context, InputObject, Object};
use kernel::scalars::Timestamp;
use kernel::{AppError, ContextExt};
use uuid::Uuid;

use super::service::{
    self, NewPipeline, NewStage, PipelineFilterInput, PipelineOrderByInput, PipelineUpdate,
    StageUpdate,
};
use crate::crm::pipeline::loader::{load_pipeline, load_pipeline_stages};
use crate::entity::{pipeline, stage};

/// A sales pipeline: an ordered list of stages opportunities move through.
pub struct Pipeline(pub pipeline::Model);

#[Object]
impl Pipeline {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Whether new opportunities go here by default (exactly one pipeline is the default).
    async fn is_default(&self) -> bool {
        self.0.is_default
    }

    async fn is_active(&self) -> bool {
        self.0.is_active
    }

    /// The stages, by position.
    async fn stages(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Stage>> {
        Ok(load_pipeline_stages(ctx, self.0.organization_id, self.0.id)
            .await?
            .into_iter()
            .map(Stage)
            .collect())
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }

    async fn deleted_at(&self) -> Option<Timestamp> {
        self.0.deleted_at.map(Timestamp)
    }
}

/// A stage of a pipeline.
pub struct Stage(pub stage::Model);

#[Object]
impl Stage {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Win probability in percent (0 to 100) that opportunities take on entering the stage.
    async fn probability(&self) -> i32 {
        self.0.probability
    }

    /// Display order within the pipeline, from 0.
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// `#rrggbb`.
    async fn color(&self) -> Option<&str> {
        self.0.color.as_deref()
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Opportunities here are won.
    async fn is_won(&self) -> bool {
        self.0.is_won
    }

    /// Opportunities here are lost.
    async fn is_lost(&self) -> bool {
        self.0.is_lost
    }

    async fn pipeline_id(&self) -> Uuid {
        self.0.pipeline_id
    }

    async fn pipeline(&self, ctx: &Context<'_>) -> async_graphql::Result<Pipeline> {
        load_pipeline(ctx, self.0.organization_id, self.0.pipeline_id)
            .await?
            .map(Pipeline)
            .ok_or_else(|| AppError::not_found("Pipeline").into_graphql())
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }
}

/// A new stage.
#[derive(InputObject, Debug)]
pub struct StageInput {
    pub name: String,
    /// 0 to 100; defaults to 100 for a won stage, 0 otherwise.
    pub probability: Option<i32>,
    /// `#rrggbb`.
    pub color: Option<String>,
    pub description: Option<String>,
    #[graphql(default)]
    pub is_won: bool,
    #[graphql(default)]
    pub is_lost: bool,
}

impl From<StageInput> for NewStage {
    fn from(data: StageInput) -> Self {
        Self {
            name: data.name,
            probability: data.probability,
            color: data.color,
            description: data.description,
            is_won: data.is_won,
            is_lost: data.is_lost,
        }
    }
}

/// A new pipeline.
#[derive(InputObject, Debug)]
pub struct PipelineCreateInput {
    pub name: String,
    pub description: Option<String>,
    /// Makes it the default pipeline (the previous default stops being one).
    #[graphql(default)]
    pub is_default: bool,
    pub is_active: Option<bool>,
    /// The stages in order; without them the pipeline gets the default stages.
    pub stages: Option<Vec<StageInput>>,
}

identity::object_queries! {
    /// Pipeline and stage queries.
    pub struct PipelinesCrudQuery for Pipeline;
    /// One pipeline of the caller's organization; null if absent.
    get pipeline = service::get_pipeline;
    /// The pipelines of the caller's organization.
    list pipelines(PipelineFilterInput, PipelineOrderByInput) = service::list_pipelines;
}

/// Pipeline and stage queries.
#[derive(Default)]
pub struct PipelinesQuery;

#[Object]
impl PipelinesQuery {
    /// One stage of the caller's organization; null if absent.
    async fn stage(&self, ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Option<Stage>> {
        Ok(service::get_stage(ctx.db()?, ctx.auth()?, id)
            .await?
            .map(Stage))
    }
}

identity::object_mutations! {
    /// Pipeline and stage mutations (MANAGER, ADMIN; destroying needs ADMIN).
    pub struct PipelinesCrudMutation for Pipeline(pipeline::Entity);
    /// Soft-deletes a pipeline (not the default one). Deleting one that is already deleted returns it
    /// unchanged.
    delete delete_pipeline;
    /// Restores a soft-deleted pipeline. Restoring one that is not deleted returns it
    /// unchanged.
    restore restore_pipeline;
    /// Deletes a pipeline and its stages for good (ADMIN); refused while it has opportunities.
    destroy destroy_pipeline;
}

/// Pipeline and stage mutations (MANAGER, ADMIN; destroying needs ADMIN).
#[derive(Default)]
pub struct PipelinesMutation;

#[Object]
impl PipelinesMutation {
    /// Creates a pipeline with the given stages, or the default ones.
    async fn create_pipeline(
        &self,
        ctx: &Context<'_>,
        data: PipelineCreateInput,
    ) -> async_graphql::Result<Pipeline> {
        let new = NewPipeline {
            name: data.name,
            description: data.description,
            is_default: data.is_default,
            is_active: data.is_active,
            stages: data
                .stages
                .map(|stages| stages.into_iter().map(NewStage::from).collect()),
        };
        Ok(Pipeline(
            service::create_pipeline(ctx.store()?, ctx.auth()?, new).await?,
        ))
    }

    /// Updates a pipeline.
    async fn update_pipeline(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: PipelineUpdate,
    ) -> async_graphql::Result<Pipeline> {
        Ok(Pipeline(
            service::update_pipeline(ctx.store()?, ctx.auth()?, id, data).await?,
        ))
    }

    /// Adds a stage at the end of a pipeline.
    async fn create_stage(
        &self,
        ctx: &Context<'_>,
        pipeline_id: Uuid,
        data: StageInput,
    ) -> async_graphql::Result<Stage> {
        Ok(Stage(
            service::create_stage(ctx.store()?, ctx.auth()?, pipeline_id, data.into()).await?,
        ))
    }

    /// Updates a stage.
    async fn update_stage(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: StageUpdate,
    ) -> async_graphql::Result<Stage> {
        Ok(Stage(
            service::update_stage(ctx.store()?, ctx.auth()?, id, data).await?,
        ))
    }

    /// Puts the pipeline's stages in this order (every stage exactly once).
    async fn reorder_stages(
        &self,
        ctx: &Context<'_>,
        pipeline_id: Uuid,
        stage_ids: Vec<Uuid>,
    ) -> async_graphql::Result<Pipeline> {
        Ok(Pipeline(
            service::reorder_stages(ctx.store()?, ctx.auth()?, pipeline_id, stage_ids).await?,
        ))
    }

    /// Deletes a stage; its opportunities move to `targetStageId` (required when it has any).
    async fn delete_stage(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        target_stage_id: Option<Uuid>,
    ) -> async_graphql::Result<Uuid> {
        Ok(service::delete_stage(ctx.store()?, ctx.auth()?, id, target_stage_id).await?)
    }
}
