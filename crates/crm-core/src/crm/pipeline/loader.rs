//! The DataLoaders of the pipeline slice: stages and pipelines by id, and the stages of a
//! pipeline, line items and stage history of an opportunity by parent, so that a page of
//! opportunities or pipelines runs a constant number of statements.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::Loader;
use kernel::loader::{TenantKey, TenantLoader, load_one, tenant_condition};
use kernel::{AppError, AppResult, ContextExt};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};
use uuid::Uuid;

use crate::entity::{line_item, pipeline, stage, stage_history};

/// Batches stage lookups by id.
pub type StageLoader = kernel::loader::RequestLoader<TenantLoader<stage::Entity>>;
/// Batches pipeline lookups by id.
pub type PipelineLoader = kernel::loader::RequestLoader<TenantLoader<pipeline::Entity>>;
/// Batches the stages of pipelines, keyed by pipeline.
pub type PipelineStagesLoader = kernel::loader::RequestLoader<ChildrenLoader<stage::Entity>>;
/// Batches the line items of opportunities, keyed by opportunity.
pub type LineItemsLoader = kernel::loader::RequestLoader<ChildrenLoader<line_item::Entity>>;
/// Batches the stage history of opportunities, keyed by opportunity.
pub type StageHistoryLoader = kernel::loader::RequestLoader<ChildrenLoader<stage_history::Entity>>;

/// Loads the rows of `E` belonging to parents given by [`TenantKey`] (organization and parent
/// id), ordered by two columns.
pub struct ChildrenLoader<E: EntityTrait> {
    db: DatabaseConnection,
    organization_column: E::Column,
    parent_column: E::Column,
    order: [E::Column; 2],
    parent_of: fn(&E::Model) -> TenantKey,
}

impl<E: EntityTrait> ChildrenLoader<E> {
    fn new(
        db: DatabaseConnection,
        organization_column: E::Column,
        parent_column: E::Column,
        order: [E::Column; 2],
        parent_of: fn(&E::Model) -> TenantKey,
    ) -> kernel::loader::RequestLoader<Self> {
        kernel::loader::data_loader(Self {
            db,
            organization_column,
            parent_column,
            order,
            parent_of,
        })
    }
}

impl<E> Loader<TenantKey> for ChildrenLoader<E>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
    E::Column: Send + Sync,
{
    type Value = Vec<E::Model>;
    type Error = Arc<DbErr>;

    #[expect(
        clippy::disallowed_methods,
        reason = "the batch condition (tenant_condition) pairs every key with its organization"
    )]
    async fn load(
        &self,
        keys: &[TenantKey],
    ) -> Result<HashMap<TenantKey, Vec<E::Model>>, Arc<DbErr>> {
        let condition = tenant_condition(
            self.db.get_database_backend(),
            keys,
            Expr::col(self.organization_column),
            Expr::col(self.parent_column),
        );
        let rows = E::find()
            .filter(condition)
            .order_by_asc(self.order[0])
            .order_by_asc(self.order[1])
            .all(&self.db)
            .await?;
        // Every key gets an entry (empty when it has no children), so the request's cache
        // answers it next time instead of loading it again.
        let mut grouped: HashMap<TenantKey, Vec<E::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            grouped.entry((self.parent_of)(&row)).or_default().push(row);
        }
        Ok(grouped)
    }
}

/// Registers the slice's loaders on the schema.
pub fn add_loaders(data: &mut async_graphql::Data, db: &DatabaseConnection) {
    let stages: StageLoader = TenantLoader::new(
        db.clone(),
        stage::Column::OrganizationId,
        stage::Column::Id,
        |row: &stage::Model| TenantKey {
            organization_id: row.organization_id,
            id: row.id,
        },
    );
    let pipelines: PipelineLoader = TenantLoader::new(
        db.clone(),
        pipeline::Column::OrganizationId,
        pipeline::Column::Id,
        |row: &pipeline::Model| TenantKey {
            organization_id: row.organization_id,
            id: row.id,
        },
    );
    let pipeline_stages: PipelineStagesLoader = ChildrenLoader::new(
        db.clone(),
        stage::Column::OrganizationId,
        stage::Column::PipelineId,
        [stage::Column::Position, stage::Column::Id],
        |row: &stage::Model| TenantKey {
            organization_id: row.organization_id,
            id: row.pipeline_id,
        },
    );
    let line_items: LineItemsLoader = ChildrenLoader::new(
        db.clone(),
        line_item::Column::OrganizationId,
        line_item::Column::OpportunityId,
        [line_item::Column::Position, line_item::Column::Id],
        |row: &line_item::Model| TenantKey {
            organization_id: row.organization_id,
            id: row.opportunity_id,
        },
    );
    let history: StageHistoryLoader = ChildrenLoader::new(
        db.clone(),
        stage_history::Column::OrganizationId,
        stage_history::Column::OpportunityId,
        [stage_history::Column::ChangedAt, stage_history::Column::Id],
        |row: &stage_history::Model| TenantKey {
            organization_id: row.organization_id,
            id: row.opportunity_id,
        },
    );
    data.insert(stages);
    data.insert(pipelines);
    data.insert(pipeline_stages);
    data.insert(line_items);
    data.insert(history);
}

/// Loads one stage of the organization through the request's batch.
pub async fn load_stage(
    ctx: &Context<'_>,
    organization_id: Uuid,
    id: Uuid,
) -> AppResult<Option<stage::Model>> {
    load_one(ctx.state::<StageLoader>()?, organization_id, id).await
}

/// Loads one pipeline of the organization through the request's batch.
pub async fn load_pipeline(
    ctx: &Context<'_>,
    organization_id: Uuid,
    id: Uuid,
) -> AppResult<Option<pipeline::Model>> {
    load_one(ctx.state::<PipelineLoader>()?, organization_id, id).await
}

async fn load_children<E>(
    loader: &kernel::loader::RequestLoader<ChildrenLoader<E>>,
    organization_id: Uuid,
    parent_id: Uuid,
) -> AppResult<Vec<E::Model>>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
    E::Column: Send + Sync,
{
    Ok(loader
        .load_one(TenantKey {
            organization_id,
            id: parent_id,
        })
        .await
        .map_err(|err| AppError::internal(anyhow::anyhow!("loader query failed: {err}")))?
        .unwrap_or_default())
}

/// The stages of a pipeline, in order.
pub async fn load_pipeline_stages(
    ctx: &Context<'_>,
    organization_id: Uuid,
    pipeline_id: Uuid,
) -> AppResult<Vec<stage::Model>> {
    load_children(
        ctx.state::<PipelineStagesLoader>()?,
        organization_id,
        pipeline_id,
    )
    .await
}

/// The line items of an opportunity, in order.
pub async fn load_line_items(
    ctx: &Context<'_>,
    organization_id: Uuid,
    opportunity_id: Uuid,
) -> AppResult<Vec<line_item::Model>> {
    load_children(
        ctx.state::<LineItemsLoader>()?,
        organization_id,
        opportunity_id,
    )
    .await
}

/// The stage history of an opportunity, oldest first.
pub async fn load_stage_history(
    ctx: &Context<'_>,
    organization_id: Uuid,
    opportunity_id: Uuid,
) -> AppResult<Vec<stage_history::Model>> {
    load_children(
        ctx.state::<StageHistoryLoader>()?,
        organization_id,
        opportunity_id,
    )
    .await
}
