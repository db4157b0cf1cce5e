//! Database work and rules for pipelines and their stages.

use std::collections::HashSet;

use async_graphql::{InputObject, MaybeUndefined};
use identity::audit::lifecycle::Lifecycle;
use identity::audit::{Tx, snapshot};
use kernel::db::now;
use kernel::events::Action;
use kernel::listing::{ListArgs, OrderDirection, Page, SortKey, list};
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppError, AppResult, AuthContext, DbResultExt, Store, TenantScope, validate};
use sea_orm::DatabaseTransaction;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::crm::access::{require_configure, require_read};
use crate::crm::bootstrap::DEFAULT_STAGES;
use crate::crm::pipeline::opportunities::service::move_in_tx;
use crate::entity::{opportunity, pipeline, stage};

kernel::entity_filter! {
    /// Filters pipelines.
    pub struct PipelineFilterInput {
        id: UuidFilter => pipeline::Column::Id,
        name: StringFilter => pipeline::Column::Name,
        is_default: BooleanFilter => pipeline::Column::IsDefault,
        is_active: BooleanFilter => pipeline::Column::IsActive,
        created_at: DateTimeFilter => pipeline::Column::CreatedAt,
        updated_at: DateTimeFilter => pipeline::Column::UpdatedAt,
        deleted_at: DateTimeFilter => pipeline::Column::DeletedAt,
    }
}

kernel::entity_order_by! {
    /// Orders pipelines.
    pub struct PipelineOrderByInput for pipeline::Entity {
        name => pipeline::Column::Name,
        created_at => pipeline::Column::CreatedAt,
        updated_at => pipeline::Column::UpdatedAt,
    }
}

const PIPELINE_NAME_TAKEN: &str = "a pipeline with this name already exists";
const STAGE_NAME_TAKEN: &str = "this pipeline already has a stage with this name";

/// A stage to create.
#[derive(Debug, Clone, Default)]
pub struct NewStage {
    pub name: String,
    /// Defaults to 100 for a won stage and 0 otherwise.
    pub probability: Option<i32>,
    pub color: Option<String>,
    pub description: Option<String>,
    pub is_won: bool,
    pub is_lost: bool,
}

/// A pipeline to create; without stages it gets the default ones.
#[derive(Debug, Clone, Default)]
pub struct NewPipeline {
    pub name: String,
    pub description: Option<String>,
    pub is_default: bool,
    pub is_active: Option<bool>,
    pub stages: Option<Vec<NewStage>>,
}

/// Changes to a pipeline.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "PipelineUpdateInput")]
pub struct PipelineUpdate {
    pub name: Option<String>,
    pub description: MaybeUndefined<String>,
    /// `true` makes it the default pipeline; the default cannot be unset directly.
    pub is_default: Option<bool>,
    pub is_active: Option<bool>,
}

/// Changes to a stage.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "StageUpdateInput")]
pub struct StageUpdate {
    pub name: Option<String>,
    pub probability: Option<i32>,
    pub color: MaybeUndefined<String>,
    pub description: MaybeUndefined<String>,
    pub is_won: Option<bool>,
    pub is_lost: Option<bool>,
}

/// The stages of a pipeline, in order.
pub async fn stages_of(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    pipeline_id: Uuid,
) -> AppResult<Vec<stage::Model>> {
    Ok(stage::Entity::scoped(scope)
        .filter(stage::Column::PipelineId.eq(pipeline_id))
        .order_by_asc(stage::Column::Position)
        .order_by_asc(stage::Column::Id)
        .all(db)
        .await?)
}

/// The organization's default pipeline, if it has one that is not deleted.
pub async fn default_pipeline(
    db: &impl ConnectionTrait,
    scope: TenantScope,
) -> AppResult<Option<pipeline::Model>> {
    Ok(pipeline::Entity::scoped(scope)
        .filter(pipeline::Column::IsDefault.eq(true))
        .filter(pipeline::Column::DeletedAt.is_null())
        .one(db)
        .await?)
}

/// Reads one pipeline (staff).
pub async fn get_pipeline(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<pipeline::Model>> {
    require_read(auth)?;
    pipeline::Entity::find_in(db, auth.scope(), id).await
}

/// Reads one stage (staff).
pub async fn get_stage(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<stage::Model>> {
    require_read(auth)?;
    stage::Entity::find_in(db, auth.scope(), id).await
}

/// Lists the organization's pipelines (staff); soft-deleted ones only when the filter asks.
pub async fn list_pipelines(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<PipelineFilterInput, PipelineOrderByInput>,
) -> AppResult<Page<pipeline::Model>> {
    require_read(auth)?;
    let mut select = pipeline::Entity::scoped(auth.scope());
    select = args.hide_deleted(select, pipeline::Column::DeletedAt);
    list(
        db,
        select,
        args,
        &[SortKey::new(
            pipeline::Column::Name,
            OrderDirection::AscNullsLast,
        )],
        pipeline::Column::Id,
    )
    .await
}

/// A validated stage ready to insert.
struct StageValues {
    name: String,
    probability: i32,
    color: Option<String>,
    description: Option<String>,
    is_won: bool,
    is_lost: bool,
}

fn check_flags(is_won: bool, is_lost: bool) -> AppResult<()> {
    if is_won && is_lost {
        return Err(AppError::invalid(
            "isLost",
            "a stage cannot be both won and lost",
        ));
    }
    Ok(())
}

fn validate_stage(input: &NewStage) -> AppResult<StageValues> {
    check_flags(input.is_won, input.is_lost)?;
    let default_probability = if input.is_won { 100 } else { 0 };
    Ok(StageValues {
        name: validate::required_text("name", &input.name, 100)?,
        probability: validate::int_range("probability", input.probability, 0, 100)?
            .unwrap_or(default_probability),
        color: validate::color("color", input.color.as_deref())?,
        description: validate::long_text("description", input.description.as_deref(), 5000)?,
        is_won: input.is_won,
        is_lost: input.is_lost,
    })
}

/// Fails if a pipeline would hold more than one won or more than one lost stage.
fn check_closing_stages<'a>(stages: impl IntoIterator<Item = (bool, bool)> + 'a) -> AppResult<()> {
    let (mut won, mut lost) = (0, 0);
    for (is_won, is_lost) in stages {
        won += usize::from(is_won);
        lost += usize::from(is_lost);
    }
    if won > 1 {
        return Err(AppError::invalid(
            "isWon",
            "a pipeline has at most one won stage",
        ));
    }
    if lost > 1 {
        return Err(AppError::invalid(
            "isLost",
            "a pipeline has at most one lost stage",
        ));
    }
    Ok(())
}

async fn insert_stage(
    tx: &mut Tx<'_>,
    organization_id: Uuid,
    pipeline_id: Uuid,
    position: i32,
    values: StageValues,
) -> AppResult<stage::Model> {
    let at = now();
    let row = stage::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(organization_id),
        pipeline_id: Set(pipeline_id),
        name: Set(values.name),
        probability: Set(values.probability),
        position: Set(position),
        color: Set(values.color),
        description: Set(values.description),
        is_won: Set(values.is_won),
        is_lost: Set(values.is_lost),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(tx.db())
    .await
    .on_unique_violation(STAGE_NAME_TAKEN)?;
    tx.created::<stage::Entity>(&row).await?;
    Ok(row)
}

/// Makes every other pipeline of the organization non-default, audited.
async fn unset_default(tx: &mut Tx<'_>, scope: TenantScope, keep: Uuid) -> AppResult<()> {
    let previous = pipeline::Entity::scoped(scope)
        .filter(pipeline::Column::IsDefault.eq(true))
        .filter(pipeline::Column::Id.ne(keep))
        .all(tx.db())
        .await?;
    for before in previous {
        let mut model = before.clone().into_active_model();
        model.is_default = Set(false);
        tx.save::<pipeline::Entity>(before, model).await?;
    }
    Ok(())
}

/// Creates a pipeline with the given stages, or the default ones (MANAGER, ADMIN). Making it
/// the default unsets the previous default in the same transaction.
pub async fn create_pipeline(
    store: &Store,
    auth: &AuthContext,
    input: NewPipeline,
) -> AppResult<pipeline::Model> {
    require_configure(auth)?;
    let name = validate::required_text("name", &input.name, 255)?;
    let description = validate::long_text("description", input.description.as_deref(), 5000)?;
    let is_active = input.is_active.unwrap_or(true);
    if input.is_default && !is_active {
        return Err(AppError::invalid(
            "isActive",
            "the default pipeline must be active",
        ));
    }
    let stages: Vec<StageValues> = match &input.stages {
        None => DEFAULT_STAGES
            .iter()
            .map(|(name, probability, is_won, is_lost)| StageValues {
                name: (*name).to_owned(),
                probability: *probability,
                color: None,
                description: None,
                is_won: *is_won,
                is_lost: *is_lost,
            })
            .collect(),
        Some(list) if list.is_empty() => {
            return Err(AppError::invalid(
                "stages",
                "a pipeline needs at least one stage",
            ));
        }
        Some(list) if list.len() > 50 => {
            return Err(AppError::invalid(
                "stages",
                "a pipeline has at most 50 stages",
            ));
        }
        Some(list) => list.iter().map(validate_stage).collect::<AppResult<_>>()?,
    };
    check_closing_stages(stages.iter().map(|s| (s.is_won, s.is_lost)))?;
    let mut names = HashSet::new();
    if !stages.iter().all(|s| names.insert(s.name.to_lowercase())) {
        return Err(AppError::conflict(STAGE_NAME_TAKEN));
    }

    let mut tx = Tx::begin(store, auth).await?;
    let at = now();
    let created = pipeline::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        name: Set(name),
        description: Set(description),
        is_default: Set(input.is_default),
        is_active: Set(is_active),
        created_at: Set(at),
        updated_at: Set(at),
        deleted_at: Set(None),
    }
    .insert(tx.db())
    .await
    .on_unique_violation(PIPELINE_NAME_TAKEN)?;
    tx.created::<pipeline::Entity>(&created).await?;
    if created.is_default {
        unset_default(&mut tx, auth.scope(), created.id).await?;
    }
    for (position, values) in stages.into_iter().enumerate() {
        let position = i32::try_from(position).unwrap_or(i32::MAX);
        insert_stage(&mut tx, auth.organization_id, created.id, position, values).await?;
    }
    tx.commit().await?;
    Ok(created)
}

/// Updates a pipeline (MANAGER, ADMIN). There is always exactly one default: setting
/// `isDefault` moves it here; it cannot be unset directly.
pub async fn update_pipeline(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: PipelineUpdate,
) -> AppResult<pipeline::Model> {
    require_configure(auth)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = pipeline::Entity::require_in(tx.db(), auth.scope(), id).await?;
    let mut model = before.clone().into_active_model();
    if let Some(name) = &input.name {
        model.name = Set(validate::required_text("name", name, 255)?);
    }
    kernel::patch::clearable(&mut model.description, &input.description, |text| {
        validate::long_text("description", Some(text), 5000)
    })?;
    let becomes_default = input.is_default == Some(true) && !before.is_default;
    match input.is_default {
        Some(false) if before.is_default => {
            return Err(AppError::invalid(
                "isDefault",
                "make another pipeline the default instead",
            ));
        }
        Some(true) if before.deleted_at.is_some() => {
            return Err(AppError::conflict(
                "a deleted pipeline cannot be the default",
            ));
        }
        Some(value) => model.is_default = Set(value),
        None => {}
    }
    if let Some(active) = input.is_active {
        if !active && (before.is_default || becomes_default) {
            return Err(AppError::invalid(
                "isActive",
                "the default pipeline must be active",
            ));
        }
        model.is_active = Set(active);
    } else if becomes_default && !before.is_active {
        model.is_active = Set(true);
    }
    if !model.is_changed() {
        tx.commit().await?;
        return Ok(before);
    }
    if becomes_default {
        unset_default(&mut tx, auth.scope(), id).await?;
    }
    let after = tx
        .save_unique::<pipeline::Entity>(before, model, PIPELINE_NAME_TAKEN)
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// How many opportunities (soft-deleted ones included) match the condition.
async fn count_opportunities(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    column: opportunity::Column,
    id: Uuid,
) -> AppResult<u64> {
    Ok(opportunity::Entity::scoped(scope)
        .filter(column.eq(id))
        .count(db)
        .await?)
}

// Delete and restore: managers and administrators; the default pipeline cannot be deleted.
// Destroy: refused while it is the default or holds opportunities (soft-deleted ones
// included); its stages go with it.
impl Lifecycle for pipeline::Entity {
    async fn require_writable(
        db: &DatabaseTransaction,
        auth: &AuthContext,
        id: Uuid,
    ) -> AppResult<pipeline::Model> {
        require_configure(auth)?;
        pipeline::Entity::require_in(db, auth.scope(), id).await
    }

    fn check_delete(pipeline: &pipeline::Model) -> AppResult<()> {
        if pipeline.is_default {
            return Err(AppError::conflict(
                "the default pipeline cannot be deleted; make another pipeline the default first",
            ));
        }
        Ok(())
    }

    async fn before_destroy(tx: &mut Tx<'_>, pipeline: &pipeline::Model) -> AppResult<()> {
        let (scope, id) = (tx.scope(), pipeline.id);
        if pipeline.is_default {
            return Err(AppError::conflict(
                "the default pipeline cannot be destroyed",
            ));
        }
        if count_opportunities(tx.db(), scope, opportunity::Column::PipelineId, id).await? > 0 {
            return Err(AppError::conflict(
                "the pipeline still has opportunities; move or destroy them first",
            ));
        }
        let stages = stages_of(tx.db(), scope, id).await?;
        stage::Entity::delete_references(scope, stage::Column::PipelineId, id)
            .exec(tx.db())
            .await?;
        for row in &stages {
            tx.record(
                Action::Destroy,
                stage::Entity::LABEL,
                row.id,
                snapshot(row),
                None,
            )
            .await?;
        }
        Ok(())
    }
}

/// Adds a stage at the end of a pipeline (MANAGER, ADMIN).
pub async fn create_stage(
    store: &Store,
    auth: &AuthContext,
    pipeline_id: Uuid,
    input: NewStage,
) -> AppResult<stage::Model> {
    require_configure(auth)?;
    let values = validate_stage(&input)?;
    let mut tx = Tx::begin(store, auth).await?;
    pipeline::Entity::require_in(tx.db(), auth.scope(), pipeline_id).await?;
    let existing = stages_of(tx.db(), auth.scope(), pipeline_id).await?;
    if existing.len() >= 50 {
        return Err(AppError::invalid(
            "pipelineId",
            "a pipeline has at most 50 stages",
        ));
    }
    check_closing_stages(
        existing
            .iter()
            .map(|s| (s.is_won, s.is_lost))
            .chain([(values.is_won, values.is_lost)]),
    )?;
    let position = existing
        .iter()
        .map(|s| s.position)
        .max()
        .map_or(0, |p| p + 1);
    let created =
        insert_stage(&mut tx, auth.organization_id, pipeline_id, position, values).await?;
    tx.commit().await?;
    Ok(created)
}

/// Updates a stage (MANAGER, ADMIN). Its won/lost flags cannot change while it holds
/// opportunities, whose status follows them.
pub async fn update_stage(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: StageUpdate,
) -> AppResult<stage::Model> {
    require_configure(auth)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = stage::Entity::require_in(tx.db(), auth.scope(), id).await?;
    let mut model = before.clone().into_active_model();
    if let Some(name) = &input.name {
        model.name = Set(validate::required_text("name", name, 100)?);
    }
    if let Some(probability) = input.probability {
        validate::int_range("probability", Some(probability), 0, 100)?;
        model.probability = Set(probability);
    }
    kernel::patch::clearable(&mut model.color, &input.color, |color| {
        validate::color("color", Some(color))
    })?;
    kernel::patch::clearable(&mut model.description, &input.description, |text| {
        validate::long_text("description", Some(text), 5000)
    })?;
    let is_won = input.is_won.unwrap_or(before.is_won);
    let is_lost = input.is_lost.unwrap_or(before.is_lost);
    check_flags(is_won, is_lost)?;
    if is_won != before.is_won || is_lost != before.is_lost {
        let siblings = stages_of(tx.db(), auth.scope(), before.pipeline_id).await?;
        check_closing_stages(siblings.iter().map(|s| {
            if s.id == id {
                (is_won, is_lost)
            } else {
                (s.is_won, s.is_lost)
            }
        }))?;
        if count_opportunities(tx.db(), auth.scope(), opportunity::Column::StageId, id).await? > 0 {
            return Err(AppError::conflict(
                "the stage holds opportunities; its won and lost flags cannot change",
            ));
        }
        model.is_won = Set(is_won);
        model.is_lost = Set(is_lost);
    }
    let after = tx
        .save_unique::<stage::Entity>(before, model, STAGE_NAME_TAKEN)
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// Puts a pipeline's stages in the given order (MANAGER, ADMIN); `stage_ids` must be exactly
/// the pipeline's stages, each once.
pub async fn reorder_stages(
    store: &Store,
    auth: &AuthContext,
    pipeline_id: Uuid,
    stage_ids: Vec<Uuid>,
) -> AppResult<pipeline::Model> {
    require_configure(auth)?;
    let mut tx = Tx::begin(store, auth).await?;
    let found = pipeline::Entity::require_in(tx.db(), auth.scope(), pipeline_id).await?;
    let stages = stages_of(tx.db(), auth.scope(), pipeline_id).await?;
    let given: HashSet<Uuid> = stage_ids.iter().copied().collect();
    let current: HashSet<Uuid> = stages.iter().map(|s| s.id).collect();
    if given.len() != stage_ids.len() || given != current {
        return Err(AppError::invalid(
            "stageIds",
            "stageIds must list every stage of the pipeline exactly once",
        ));
    }
    for (position, id) in stage_ids.iter().enumerate() {
        let position = i32::try_from(position).unwrap_or(i32::MAX);
        let Some(before) = stages.iter().find(|s| s.id == *id) else {
            continue;
        };
        if before.position == position {
            continue;
        }
        let mut model = before.clone().into_active_model();
        model.position = Set(position);
        tx.save::<stage::Entity>(before.clone(), model).await?;
    }
    tx.commit().await?;
    Ok(found)
}

/// Deletes a stage (MANAGER, ADMIN). Its opportunities (soft-deleted ones included) move to
/// `target_stage_id`, a stage of the same pipeline, as by `moveOpportunity`; a pipeline keeps
/// at least one stage.
pub async fn delete_stage(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    target_stage_id: Option<Uuid>,
) -> AppResult<Uuid> {
    require_configure(auth)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = stage::Entity::require_in(tx.db(), auth.scope(), id).await?;
    let siblings = stages_of(tx.db(), auth.scope(), before.pipeline_id).await?;
    if siblings.len() <= 1 {
        return Err(AppError::conflict("a pipeline keeps at least one stage"));
    }
    let held = opportunity::Entity::scoped(auth.scope())
        .filter(opportunity::Column::StageId.eq(id))
        .all(tx.db())
        .await?;
    let target = match target_stage_id {
        Some(target_id) => {
            let target = stage::Entity::require_in(tx.db(), auth.scope(), target_id).await?;
            if target.pipeline_id != before.pipeline_id || target.id == id {
                return Err(AppError::invalid(
                    "targetStageId",
                    "the target must be another stage of the same pipeline",
                ));
            }
            Some(target)
        }
        None => None,
    };
    if !held.is_empty() {
        let Some(target) = &target else {
            return Err(AppError::invalid(
                "targetStageId",
                "the stage holds opportunities; give a target stage to move them to",
            ));
        };
        for opportunity in held {
            let loss_reason = opportunity.loss_reason.clone();
            if target.is_lost && loss_reason.is_none() {
                return Err(AppError::invalid(
                    "targetStageId",
                    "opportunities without a loss reason cannot be moved to a lost stage",
                ));
            }
            move_in_tx(&mut tx, auth, opportunity, target, loss_reason).await?;
        }
    }
    tx.remove::<stage::Entity>(&before, Action::Destroy).await?;
    // Close the gap the stage leaves in the positions.
    stage::Entity::update_scoped(auth.scope())
        .col_expr(
            stage::Column::Position,
            Expr::col(stage::Column::Position).sub(1),
        )
        .filter(stage::Column::PipelineId.eq(before.pipeline_id))
        .filter(stage::Column::Position.gt(before.position))
        .exec(tx.db())
        .await?;
    tx.commit().await?;
    Ok(id)
}
