//! Database work and rules for opportunities, their line items and their stage history.

use std::collections::HashMap;

use async_graphql::{InputObject, MaybeUndefined};
use chrono::NaiveDate;
use identity::audit::Tx;
use identity::audit::lifecycle::Lifecycle;
use identity::organizations::service::default_currency;
use kernel::batch::{check_batch_size, of_item};
use kernel::db::{DbEnum, is_postgres, now};
use kernel::events::Action;
use kernel::listing::{CustomFields, ListArgs, OrderDirection, Page, SortKey, list_ranked};
use kernel::object::{TenantObject, TenantTable};
use kernel::patch;
use kernel::{AppError, AppResult, AuthContext, Store, TenantScope, validate};
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::DatabaseTransaction;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::Value as Json;
use uuid::Uuid;

use super::OpportunityStatus;
use crate::crm::access::{
    Area, require_create, require_edit, require_read, sees_values, visibility,
};
use crate::crm::directory::custom_fields::{CustomFieldEntity, validate_custom_fields};
use crate::crm::directory::search::{SearchMatch, narrow};
use crate::crm::pipeline::pipelines::service::{default_pipeline, stages_of};
use crate::entity::{
    activity, company, contact, lead, line_item, note, opportunity, pipeline, stage, stage_history,
    user,
};

kernel::enum_filter!(
    OpportunityStatusFilter,
    OpportunityStatus,
    "Filters on an opportunity status."
);

kernel::entity_filter! {
    /// Filters opportunities.
    pub struct OpportunityFilterInput {
        id: UuidFilter => opportunity::Column::Id,
        name: StringFilter => opportunity::Column::Name,
        status: OpportunityStatusFilter => opportunity::Column::Status,
        stage_id: UuidFilter => opportunity::Column::StageId,
        pipeline_id: UuidFilter => opportunity::Column::PipelineId,
        owner_id: UuidFilter => opportunity::Column::OwnerId,
        contact_id: UuidFilter => opportunity::Column::ContactId,
        company_id: UuidFilter => opportunity::Column::CompanyId,
        lead_id: UuidFilter => opportunity::Column::LeadId,
        value: DecimalFilter => opportunity::Column::Value,
        weighted_value: DecimalFilter => opportunity::Column::WeightedValue,
        probability: IntFilter => opportunity::Column::Probability,
        currency: StringFilter => opportunity::Column::Currency,
        competitor: StringFilter => opportunity::Column::Competitor,
        expected_close_date: DateFilter => opportunity::Column::ExpectedCloseDate,
        actual_close_date: DateFilter => opportunity::Column::ActualCloseDate,
        stage_changed_at: DateTimeFilter => opportunity::Column::StageChangedAt,
        last_activity_at: DateTimeFilter => opportunity::Column::LastActivityAt,
        created_at: DateTimeFilter => opportunity::Column::CreatedAt,
        updated_at: DateTimeFilter => opportunity::Column::UpdatedAt,
        deleted_at: DateTimeFilter => opportunity::Column::DeletedAt,
        /// Conditions on custom field values (all must hold).
        custom_fields: Vec<CustomFieldFilter> => CustomFields("opportunities"),
    }
}

kernel::entity_order_by! {
    /// Orders opportunities.
    pub struct OpportunityOrderByInput for opportunity::Entity {
        name => opportunity::Column::Name,
        value => opportunity::Column::Value,
        weighted_value => opportunity::Column::WeightedValue,
        probability => opportunity::Column::Probability,
        expected_close_date => opportunity::Column::ExpectedCloseDate,
        stage_changed_at => opportunity::Column::StageChangedAt,
        created_at => opportunity::Column::CreatedAt,
        updated_at => opportunity::Column::UpdatedAt,
    }
}

/// A new opportunity.
#[derive(Debug, Clone, Default)]
pub struct NewOpportunity {
    pub name: String,
    pub description: Option<String>,
    pub value: Option<Decimal>,
    pub currency: Option<String>,
    pub probability: Option<i32>,
    pub expected_close_date: Option<NaiveDate>,
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub loss_reason: Option<String>,
    pub competitor: Option<String>,
    pub next_step: Option<String>,
    pub tags: Option<Vec<String>>,
    pub custom_fields: Option<Json>,
}

/// Changes to an opportunity; absent fields stay as they are. Stage and pipeline change only
/// through `moveOpportunity`.
#[derive(Debug, Clone, Default)]
pub struct OpportunityUpdate {
    pub name: Option<String>,
    pub description: MaybeUndefined<String>,
    pub value: Option<Decimal>,
    pub currency: Option<String>,
    pub probability: Option<i32>,
    pub expected_close_date: MaybeUndefined<NaiveDate>,
    pub contact_id: MaybeUndefined<Uuid>,
    pub company_id: MaybeUndefined<Uuid>,
    pub lead_id: MaybeUndefined<Uuid>,
    pub owner_id: MaybeUndefined<Uuid>,
    pub loss_reason: MaybeUndefined<String>,
    pub competitor: MaybeUndefined<String>,
    pub next_step: MaybeUndefined<String>,
    pub tags: Option<Vec<String>>,
    pub custom_fields: Option<Json>,
}

/// A new line item.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "LineItemInput")]
pub struct NewLineItem {
    pub product: String,
    pub description: Option<String>,
    /// Greater than 0.
    pub quantity: Decimal,
    /// Not negative.
    pub unit_price: Decimal,
    /// Percent, 0 to 100; defaults to 0.
    pub discount: Option<Decimal>,
    /// Defaults to after the last item.
    pub position: Option<i32>,
}

/// Changes to a line item.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "LineItemUpdateInput")]
pub struct LineItemUpdate {
    pub product: Option<String>,
    pub description: MaybeUndefined<String>,
    pub quantity: Option<Decimal>,
    pub unit_price: Option<Decimal>,
    pub discount: Option<Decimal>,
    pub position: Option<i32>,
}

/// The status an opportunity has in a stage.
pub fn status_in(stage: &stage::Model) -> OpportunityStatus {
    if stage.is_won {
        OpportunityStatus::Won
    } else if stage.is_lost {
        OpportunityStatus::Lost
    } else {
        OpportunityStatus::Open
    }
}

/// `value × probability / 100`, rounded to cents.
pub fn weighted(value: Decimal, probability: Decimal) -> Decimal {
    cents(value * probability / Decimal::ONE_HUNDRED)
}

/// Rounds to cents, halves away from zero.
fn cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `quantity × unit price × (1 − discount / 100)`, rounded to cents.
pub fn line_total(quantity: Decimal, unit_price: Decimal, discount: Decimal) -> Decimal {
    cents(quantity * unit_price * (Decimal::ONE_HUNDRED - discount) / Decimal::ONE_HUNDRED)
}

/// Whole days from `since` until now.
pub fn days_since(since: chrono::DateTime<chrono::Utc>) -> i32 {
    i32::try_from(Ord::max((now() - since).num_days(), 0)).unwrap_or(i32::MAX)
}

/// Tags, title-cased, trimmed and deduplicated (first spelling wins), as a JSON array.
fn tags_json(tags: &[String]) -> AppResult<Json> {
    if tags.len() > 50 {
        return Err(AppError::invalid("tags", "at most 50 tags"));
    }
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let tag = validate::title_case(&validate::required_text("tags", tag, 50)?);
        if !out.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            out.push(tag);
        }
    }
    Ok(Json::from(out))
}

/// The stored tags as strings.
pub fn tags_of(model: &opportunity::Model) -> Vec<String> {
    model
        .tags
        .as_array()
        .map(|tags| {
            tags.iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn probability(value: i32) -> AppResult<Decimal> {
    crate::crm::probability::from_input("probability", value)
}

/// An opportunity the caller may see, or `NOT_FOUND`.
async fn require_visible(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<opportunity::Model> {
    let found = opportunity::Entity::find_in(db, auth.scope(), id)
        .await?
        .ok_or_else(|| AppError::not_found("Opportunity"))?;
    if !visibility(db, auth).await?.allows(found.owner_id, None) {
        return Err(AppError::not_found("Opportunity"));
    }
    Ok(found)
}

/// An opportunity the caller may change, or `NOT_FOUND` / `FORBIDDEN`.
async fn require_editable(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<opportunity::Model> {
    require_read(auth)?;
    let found = require_visible(db, auth, id).await?;
    require_edit(auth, Area::Opportunities, found.owner_id, None)?;
    Ok(found)
}

/// Reads one opportunity; `None` when absent, in another organization or not visible.
pub async fn get_opportunity(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<opportunity::Model>> {
    require_read(auth)?;
    let Some(found) = opportunity::Entity::find_in(db, auth.scope(), id).await? else {
        return Ok(None);
    };
    if !visibility(db, auth).await?.allows(found.owner_id, None) {
        return Ok(None);
    }
    Ok(Some(found))
}

fn mentions_values(filter: &OpportunityFilterInput) -> bool {
    filter.value.is_some()
        || filter.weighted_value.is_some()
        || filter.and.iter().flatten().any(mentions_values)
        || filter.or.iter().flatten().any(mentions_values)
        || filter.not.as_deref().is_some_and(mentions_values)
}

/// The full-text match of `search` (see `crm::directory::search`): on SQLite every word
/// must match the name, description or competitor.
fn search_condition(db: &impl ConnectionTrait, search: &str) -> AppResult<Option<SearchMatch>> {
    crate::crm::directory::search::search_condition(
        is_postgres(db),
        "opportunities",
        &[
            opportunity::Column::Name,
            opportunity::Column::Description,
            opportunity::Column::Competitor,
        ],
        Some(search),
    )
}

/// Lists the opportunities the caller may see; soft-deleted ones only when the filter asks.
pub async fn list_opportunities(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<OpportunityFilterInput, OpportunityOrderByInput>,
    search: Option<&str>,
) -> AppResult<Page<opportunity::Model>> {
    require_read(auth)?;
    if !sees_values(auth) {
        let by_value = args
            .order_by
            .iter()
            .any(|o| o.value.is_some() || o.weighted_value.is_some());
        if by_value || args.filter.as_ref().is_some_and(mentions_values) {
            return Err(AppError::forbidden(
                "your role cannot filter or sort opportunities by value",
            ));
        }
    }
    let mut select = opportunity::Entity::scoped(auth.scope());
    select = args.hide_deleted(select, opportunity::Column::DeletedAt);
    if let Some(condition) = visibility(db, auth)
        .await?
        .condition(opportunity::Column::OwnerId, None)
    {
        select = select.filter(condition);
    }
    let search = search
        .map(|s| search_condition(db, s))
        .transpose()?
        .flatten();
    let (select, relevance) = narrow(select, search);
    list_ranked(
        db,
        select,
        args,
        relevance,
        &[SortKey::new(
            opportunity::Column::CreatedAt,
            OrderDirection::DescNullsLast,
        )],
        opportunity::Column::Id,
    )
    .await
}

/// Where a new opportunity goes: the pipeline and stage given, or the default pipeline's first
/// stage.
async fn placement(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    pipeline_id: Option<Uuid>,
    stage_id: Option<Uuid>,
) -> AppResult<stage::Model> {
    let pipeline = match pipeline_id {
        Some(id) => {
            let found = pipeline::Entity::require_in(db, scope, id).await?;
            if found.deleted_at.is_some() {
                return Err(AppError::not_found("Pipeline"));
            }
            Some(found)
        }
        None => None,
    };
    if let Some(stage_id) = stage_id {
        let stage = stage::Entity::require_in(db, scope, stage_id).await?;
        if let Some(pipeline) = &pipeline
            && stage.pipeline_id != pipeline.id
        {
            return Err(AppError::invalid(
                "stageId",
                "unknown stage for the pipeline",
            ));
        }
        if pipeline.is_none() {
            let owner = pipeline::Entity::require_in(db, scope, stage.pipeline_id).await?;
            if owner.deleted_at.is_some() {
                return Err(AppError::not_found("Stage"));
            }
        }
        return Ok(stage);
    }
    let pipeline = match pipeline {
        Some(pipeline) => pipeline,
        None => default_pipeline(db, scope).await?.ok_or_else(|| {
            AppError::invalid("pipelineId", "the organization has no default pipeline")
        })?,
    };
    stages_of(db, scope, pipeline.id)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::invalid("pipelineId", "the pipeline has no stages"))
}

/// Writes a stage-history row.
async fn record_history(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    before: Option<&opportunity::Model>,
    after: &opportunity::Model,
) -> AppResult<()> {
    let at = after.stage_changed_at;
    stage_history::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(after.organization_id),
        opportunity_id: Set(after.id),
        pipeline_id: Set(after.pipeline_id),
        from_stage_id: Set(before.map(|b| b.stage_id)),
        to_stage_id: Set(after.stage_id),
        from_status: Set(before.map(|b| b.status.clone())),
        to_status: Set(after.status.clone()),
        probability: Set(after.probability),
        value: Set(after.value),
        seconds_in_previous_stage: Set(before.map(|b| (at - b.stage_changed_at).num_seconds())),
        changed_by_id: Set(Some(auth.user_id)),
        changed_at: Set(at),
    }
    .insert(tx.db())
    .await?;
    Ok(())
}

/// Validates and inserts one opportunity with its first history row, audited, inside the
/// caller's transaction (lead conversion uses it); the caller checks `require_create`.
pub async fn insert_opportunity(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    input: NewOpportunity,
    currency_default: &str,
) -> AppResult<opportunity::Model> {
    let name = validate::required_text("name", &input.name, 255)?;
    let description = validate::long_text("description", input.description.as_deref(), 10_000)?;
    let value = validate::money("value", input.value.unwrap_or(Decimal::ZERO))?;
    let currency = match &input.currency {
        Some(code) => validate::currency("currency", code)?,
        None => currency_default.to_owned(),
    };
    let explicit_probability = input.probability.map(probability).transpose()?;
    let loss_reason = validate::optional_text("lossReason", input.loss_reason.as_deref(), 255)?;
    let competitor = validate::optional_text("competitor", input.competitor.as_deref(), 255)?;
    let next_step = validate::long_text("nextStep", input.next_step.as_deref(), 5000)?;
    let tags = tags_json(input.tags.as_deref().unwrap_or_default())?;
    let custom_fields = validate_custom_fields(
        tx.db(),
        auth.scope(),
        CustomFieldEntity::Opportunity,
        input.custom_fields.as_ref(),
        None,
    )
    .await?;

    let scope = auth.scope();
    let stage = placement(tx.db(), scope, input.pipeline_id, input.stage_id).await?;
    let status = status_in(&stage);
    if status == OpportunityStatus::Lost && loss_reason.is_none() {
        return Err(AppError::invalid(
            "lossReason",
            "an opportunity in a lost stage needs a loss reason",
        ));
    }
    if let Some(id) = input.contact_id {
        contact::Entity::require_in(tx.db(), scope, id).await?;
    }
    if let Some(id) = input.company_id {
        company::Entity::require_in(tx.db(), scope, id).await?;
    }
    if let Some(id) = input.lead_id {
        lead::Entity::require_in(tx.db(), scope, id).await?;
    }
    let owner_id = match input.owner_id {
        Some(id) => user::Entity::require_in(tx.db(), scope, id).await?.id,
        None => auth.user_id,
    };
    let probability = explicit_probability.unwrap_or_else(|| Decimal::from(stage.probability));
    let at = now();
    let closed = status != OpportunityStatus::Open;
    let created = opportunity::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        name: Set(name),
        description: Set(description),
        value: Set(value),
        currency: Set(currency),
        probability: Set(probability),
        weighted_value: Set(weighted(value, probability)),
        expected_close_date: Set(input.expected_close_date),
        actual_close_date: Set(closed.then(|| at.date_naive())),
        pipeline_id: Set(stage.pipeline_id),
        stage_id: Set(stage.id),
        contact_id: Set(input.contact_id),
        company_id: Set(input.company_id),
        lead_id: Set(input.lead_id),
        status: Set(status.as_db().to_owned()),
        loss_reason: Set(if status == OpportunityStatus::Lost {
            loss_reason
        } else {
            None
        }),
        competitor: Set(competitor),
        next_step: Set(next_step),
        tags: Set(tags),
        custom_fields: Set(custom_fields),
        last_activity_at: Set(None),
        stage_changed_at: Set(at),
        owner_id: Set(Some(owner_id)),
        created_at: Set(at),
        updated_at: Set(at),
        deleted_at: Set(None),
    }
    .insert(tx.db())
    .await?;
    record_history(tx, auth, None, &created).await?;
    tx.created::<opportunity::Entity>(&created).await?;
    Ok(created)
}

/// Creates an opportunity (everyone but MARKETING, READONLY and CLIENT).
pub async fn create_opportunity(
    store: &Store,
    auth: &AuthContext,
    input: NewOpportunity,
) -> AppResult<opportunity::Model> {
    require_create(auth, Area::Opportunities)?;
    let mut tx = Tx::begin(store, auth).await?;
    let currency = default_currency(tx.db(), auth.scope()).await?;
    let created = insert_opportunity(&mut tx, auth, input, &currency).await?;
    tx.commit().await?;
    Ok(created)
}

/// Creates several opportunities, all or nothing (at most 100).
pub async fn create_opportunities(
    store: &Store,
    auth: &AuthContext,
    inputs: Vec<NewOpportunity>,
) -> AppResult<Vec<opportunity::Model>> {
    require_create(auth, Area::Opportunities)?;
    check_batch_size(inputs.len(), "opportunities")?;
    let mut tx = Tx::begin(store, auth).await?;
    let currency = default_currency(tx.db(), auth.scope()).await?;
    let mut created = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.into_iter().enumerate() {
        let one = insert_opportunity(&mut tx, auth, input, &currency).await;
        created.push(one.map_err(|e| of_item(e, index))?);
    }
    tx.commit().await?;
    Ok(created)
}

async fn has_line_items(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    opportunity_id: Uuid,
) -> AppResult<bool> {
    Ok(line_item::Entity::scoped(scope)
        .filter(line_item::Column::OpportunityId.eq(opportunity_id))
        .count(db)
        .await?
        > 0)
}

/// Updates an opportunity (owner for sales reps; MANAGER, ADMIN). The value follows the line
/// items when there are any.
pub async fn update_opportunity(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: OpportunityUpdate,
) -> AppResult<opportunity::Model> {
    // Validate what needs no database first.
    let name = input
        .name
        .as_deref()
        .map(|n| validate::required_text("name", n, 255))
        .transpose()?;
    let description = patch::value(&input.description, |text| {
        validate::long_text("description", Some(text), 10_000)
    })?;
    let value = input
        .value
        .map(|v| validate::money("value", v))
        .transpose()?;
    let currency = input
        .currency
        .as_deref()
        .map(|c| validate::currency("currency", c))
        .transpose()?;
    let new_probability = input.probability.map(probability).transpose()?;
    let loss_reason = patch::value(&input.loss_reason, |text| {
        validate::optional_text("lossReason", Some(text), 255)
    })?;
    let competitor = patch::value(&input.competitor, |text| {
        validate::optional_text("competitor", Some(text), 255)
    })?;
    let next_step = patch::value(&input.next_step, |text| {
        validate::long_text("nextStep", Some(text), 5000)
    })?;
    let tags = input.tags.as_deref().map(tags_json).transpose()?;

    let mut tx = Tx::begin(store, auth).await?;
    let before = require_editable(tx.db(), auth, id).await?;
    let scope = auth.scope();
    let mut model = before.clone().into_active_model();
    if let Some(name) = name {
        model.name = Set(name);
    }
    if let Some(description) = description {
        model.description = Set(description);
    }
    if let Some(value) = value {
        if has_line_items(tx.db(), auth.scope(), id).await? {
            return Err(AppError::invalid(
                "value",
                "the value follows the line items; change them instead",
            ));
        }
        model.value = Set(value);
    }
    if let Some(currency) = currency {
        model.currency = Set(currency);
    }
    if let Some(probability) = new_probability {
        model.probability = Set(probability);
    }
    patch::clearable(
        &mut model.expected_close_date,
        &input.expected_close_date,
        |date| Ok(Some(*date)),
    )?;
    patch::reference(&mut model.contact_id, &input.contact_id, |id| {
        contact::Entity::require_in(tx.db(), scope, id)
    })
    .await?;
    patch::reference(&mut model.company_id, &input.company_id, |id| {
        company::Entity::require_in(tx.db(), scope, id)
    })
    .await?;
    patch::reference(&mut model.lead_id, &input.lead_id, |id| {
        lead::Entity::require_in(tx.db(), scope, id)
    })
    .await?;
    patch::reference(&mut model.owner_id, &input.owner_id, |owner_id| {
        user::Entity::require_in(tx.db(), scope, owner_id)
    })
    .await?;
    if let Some(loss_reason) = loss_reason {
        let lost = before.status == OpportunityStatus::Lost.as_db();
        if lost && loss_reason.is_none() {
            return Err(AppError::invalid(
                "lossReason",
                "a lost opportunity needs a loss reason",
            ));
        }
        model.loss_reason = Set(loss_reason);
    }
    if let Some(competitor) = competitor {
        model.competitor = Set(competitor);
    }
    if let Some(next_step) = next_step {
        model.next_step = Set(next_step);
    }
    if let Some(tags) = tags {
        model.tags = Set(tags);
    }
    if let Some(given) = &input.custom_fields {
        let merged = validate_custom_fields(
            tx.db(),
            auth.scope(),
            CustomFieldEntity::Opportunity,
            Some(given),
            Some(&before.custom_fields),
        )
        .await?;
        model.custom_fields = Set(merged);
    }
    if !model.is_changed() {
        tx.commit().await?;
        return Ok(before);
    }
    let value = value.unwrap_or(before.value);
    let probability = new_probability.unwrap_or(before.probability);
    model.weighted_value = Set(weighted(value, probability));
    let after = tx.save::<opportunity::Entity>(before, model).await?;
    tx.commit().await?;
    Ok(after)
}

/// Moves an opportunity to a stage of its pipeline inside a transaction: probability from the
/// stage, status from its flags, `stageChangedAt` now, `actualCloseDate` today when closing
/// (cleared when reopened), a history row, audited as `move`. Moving to the current stage
/// changes nothing.
pub(crate) async fn move_in_tx(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    before: opportunity::Model,
    target: &stage::Model,
    loss_reason: Option<String>,
) -> AppResult<opportunity::Model> {
    if target.id == before.stage_id {
        return Ok(before);
    }
    if target.pipeline_id != before.pipeline_id {
        return Err(AppError::invalid(
            "stageId",
            "unknown stage for the opportunity's pipeline",
        ));
    }
    let status = status_in(target);
    if status == OpportunityStatus::Lost && loss_reason.is_none() {
        return Err(AppError::invalid(
            "lossReason",
            "moving to a lost stage needs a loss reason",
        ));
    }
    let at = now();
    let probability = Decimal::from(target.probability);
    let mut model = before.clone().into_active_model();
    model.stage_id = Set(target.id);
    model.status = Set(status.as_db().to_owned());
    model.probability = Set(probability);
    model.weighted_value = Set(weighted(before.value, probability));
    model.stage_changed_at = Set(at);
    model.updated_at = Set(at);
    model.loss_reason = Set(if status == OpportunityStatus::Lost {
        loss_reason
    } else {
        None
    });
    model.actual_close_date = Set(match status {
        OpportunityStatus::Open => None,
        _ if before.status != status.as_db() => Some(at.date_naive()),
        _ => before.actual_close_date,
    });
    let after = model.update(tx.db()).await?;
    record_history(tx, auth, Some(&before), &after).await?;
    tx.changed::<opportunity::Entity>(Action::Move, &before, &after)
        .await?;
    Ok(after)
}

/// Moves an opportunity to another stage of its pipeline (see [`move_in_tx`]); a lost stage
/// needs a non-empty `loss_reason`.
pub async fn move_opportunity(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    stage_id: Uuid,
    loss_reason: Option<String>,
) -> AppResult<opportunity::Model> {
    let loss_reason = validate::optional_text("lossReason", loss_reason.as_deref(), 255)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = require_editable(tx.db(), auth, id).await?;
    let target = stage::Entity::require_in(tx.db(), auth.scope(), stage_id).await?;
    let after = move_in_tx(&mut tx, auth, before, &target, loss_reason).await?;
    tx.commit().await?;
    Ok(after)
}

// Delete and restore: as for editing. Destroy: leads, activities and notes pointing at the
// opportunity are unlinked first; its line items and stage history go with it.
impl Lifecycle for opportunity::Entity {
    async fn require_writable(
        db: &DatabaseTransaction,
        auth: &AuthContext,
        id: Uuid,
    ) -> AppResult<opportunity::Model> {
        require_editable(db, auth, id).await
    }

    async fn before_destroy(tx: &mut Tx<'_>, opportunity: &opportunity::Model) -> AppResult<()> {
        let (scope, id) = (tx.scope(), opportunity.id);
        lead::Entity::clear_references(scope, lead::Column::ConvertedOpportunityId, id)
            .exec(tx.db())
            .await?;
        activity::Entity::clear_references(scope, activity::Column::OpportunityId, id)
            .exec(tx.db())
            .await?;
        note::Entity::clear_references(scope, note::Column::OpportunityId, id)
            .exec(tx.db())
            .await?;
        line_item::Entity::delete_references(scope, line_item::Column::OpportunityId, id)
            .exec(tx.db())
            .await?;
        stage_history::Entity::delete_references(scope, stage_history::Column::OpportunityId, id)
            .exec(tx.db())
            .await?;
        Ok(())
    }
}

/// Sets the value to the sum of the line items (when there are any) and recomputes the
/// weighted value, audited.
async fn follow_line_items(
    tx: &mut Tx<'_>,
    before: opportunity::Model,
) -> AppResult<opportunity::Model> {
    let items = line_item::Entity::scoped(tx.scope())
        .filter(line_item::Column::OpportunityId.eq(before.id))
        .all(tx.db())
        .await?;
    if items.is_empty() {
        return Ok(before);
    }
    let value: Decimal = items.iter().map(|i| i.total).sum();
    let value = validate::money("value", cents(value))
        .map_err(|_| AppError::invalid("value", "the line items add up to too large a value"))?;
    if value == before.value {
        return Ok(before);
    }
    let mut model = before.clone().into_active_model();
    model.value = Set(value);
    model.weighted_value = Set(weighted(value, before.probability));
    tx.save::<opportunity::Entity>(before, model).await
}

fn quantity(value: Decimal) -> AppResult<Decimal> {
    if value <= Decimal::ZERO {
        return Err(AppError::invalid("quantity", "quantity must be positive"));
    }
    if value.round_dp(4) != value || value >= Decimal::from(100_000_000_000_i64) {
        return Err(AppError::invalid(
            "quantity",
            "quantity has at most 11 digits and 4 decimal places",
        ));
    }
    Ok(value)
}

fn discount(value: Decimal) -> AppResult<Decimal> {
    validate::percent("discount", value)
}

fn check_total(total: Decimal) -> AppResult<Decimal> {
    validate::money("unitPrice", total)
        .map_err(|_| AppError::invalid("unitPrice", "the line total is too large"))
}

/// Adds a line item; the opportunity's value follows.
pub async fn add_line_item(
    store: &Store,
    auth: &AuthContext,
    opportunity_id: Uuid,
    input: NewLineItem,
) -> AppResult<line_item::Model> {
    let product = validate::required_text("product", &input.product, 255)?;
    let description = validate::long_text("description", input.description.as_deref(), 5000)?;
    let quantity = quantity(input.quantity)?;
    let unit_price = validate::money("unitPrice", input.unit_price)?;
    let discount = discount(input.discount.unwrap_or(Decimal::ZERO))?;
    let total = check_total(line_total(quantity, unit_price, discount))?;
    let position = validate::int_range("position", input.position, 0, 10_000)?;
    let mut tx = Tx::begin(store, auth).await?;
    let opportunity = require_editable(tx.db(), auth, opportunity_id).await?;
    let position = match position {
        Some(p) => p,
        None => i32::try_from(
            line_item::Entity::scoped(auth.scope())
                .filter(line_item::Column::OpportunityId.eq(opportunity_id))
                .count(tx.db())
                .await?,
        )
        .unwrap_or(i32::MAX),
    };
    let at = now();
    let created = line_item::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        opportunity_id: Set(opportunity_id),
        product: Set(product),
        description: Set(description),
        quantity: Set(quantity),
        unit_price: Set(unit_price),
        discount: Set(discount),
        total: Set(total),
        position: Set(position),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(tx.db())
    .await?;
    tx.created::<line_item::Entity>(&created).await?;
    follow_line_items(&mut tx, opportunity).await?;
    tx.commit().await?;
    Ok(created)
}

async fn require_line_item(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    id: Uuid,
) -> AppResult<line_item::Model> {
    line_item::Entity::find_in(db, scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("LineItem"))
}

/// Changes a line item; the opportunity's value follows.
pub async fn update_line_item(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: LineItemUpdate,
) -> AppResult<line_item::Model> {
    let product = input
        .product
        .as_deref()
        .map(|p| validate::required_text("product", p, 255))
        .transpose()?;
    let new_quantity = input.quantity.map(quantity).transpose()?;
    let new_unit_price = input
        .unit_price
        .map(|p| validate::money("unitPrice", p))
        .transpose()?;
    let new_discount = input.discount.map(discount).transpose()?;
    let position = validate::int_range("position", input.position, 0, 10_000)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = require_line_item(tx.db(), auth.scope(), id).await?;
    let opportunity = require_editable(tx.db(), auth, before.opportunity_id)
        .await
        .map_err(|e| match e.code() {
            kernel::ErrorCode::NotFound => AppError::not_found("LineItem"),
            _ => e,
        })?;
    let mut model = before.clone().into_active_model();
    if let Some(product) = product {
        model.product = Set(product);
    }
    patch::clearable(&mut model.description, &input.description, |text| {
        validate::long_text("description", Some(text), 5000)
    })?;
    if let Some(position) = position {
        model.position = Set(position);
    }
    let quantity = new_quantity.unwrap_or(before.quantity);
    let unit_price = new_unit_price.unwrap_or(before.unit_price);
    let discount = new_discount.unwrap_or(before.discount);
    model.quantity = Set(quantity);
    model.unit_price = Set(unit_price);
    model.discount = Set(discount);
    model.total = Set(check_total(line_total(quantity, unit_price, discount))?);
    let after = tx.save::<line_item::Entity>(before, model).await?;
    follow_line_items(&mut tx, opportunity).await?;
    tx.commit().await?;
    Ok(after)
}

/// Removes a line item; the opportunity's value follows the remaining ones (and keeps its last
/// value when none remain).
pub async fn remove_line_item(store: &Store, auth: &AuthContext, id: Uuid) -> AppResult<Uuid> {
    let mut tx = Tx::begin(store, auth).await?;
    let before = require_line_item(tx.db(), auth.scope(), id).await?;
    let opportunity = require_editable(tx.db(), auth, before.opportunity_id)
        .await
        .map_err(|e| match e.code() {
            kernel::ErrorCode::NotFound => AppError::not_found("LineItem"),
            _ => e,
        })?;
    tx.remove::<line_item::Entity>(&before, Action::Destroy)
        .await?;
    follow_line_items(&mut tx, opportunity).await?;
    tx.commit().await?;
    Ok(id)
}

/// The opportunities of a pipeline as they move between stages, from now on: each `move` event
/// of the caller's organization on that pipeline, as the opportunity's current row, limited to
/// what the caller may see. `NOT_FOUND` for a pipeline of another organization.
pub async fn stage_changes(
    store: &Store,
    auth: &AuthContext,
    pipeline_id: Uuid,
) -> AppResult<impl futures_util::Stream<Item = opportunity::Model> + use<>> {
    require_read(auth)?;
    pipeline::Entity::require_in(&store.db, auth.scope(), pipeline_id).await?;
    let visible = visibility(&store.db, auth).await?;
    let receiver = store.events.subscribe();
    let db = store.db.clone();
    let scope = auth.scope();
    let wanted = pipeline_id.to_string();
    Ok(futures_util::stream::unfold(
        receiver,
        move |mut receiver| {
            let (db, visible, wanted) = (db.clone(), visible.clone(), wanted.clone());
            async move {
                loop {
                    let event = match receiver.recv().await {
                        Ok(event) => event,
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                    };
                    let on_pipeline = event
                        .after
                        .as_ref()
                        .and_then(|after| after.get("pipelineId"))
                        .and_then(Json::as_str)
                        == Some(wanted.as_str());
                    if event.organization_id != scope.organization_id()
                        || event.entity_type != opportunity::Entity::LABEL
                        || event.action != Action::Move
                        || !on_pipeline
                    {
                        continue;
                    }
                    match opportunity::Entity::find_in(&db, scope, event.entity_id).await {
                        Ok(Some(row))
                            if row.pipeline_id == pipeline_id
                                && visible.allows(row.owner_id, None) =>
                        {
                            return Some((row, receiver));
                        }
                        Ok(_) => continue,
                        Err(err) => {
                            tracing::warn!(?err, "loading a moved opportunity failed");
                            continue;
                        }
                    }
                }
            }
        },
    ))
}

/// Which relations of a page of opportunities to fetch up front.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageRelations {
    pub stages: bool,
    pub pipelines: bool,
    pub owners: bool,
    pub line_items: bool,
    pub history: bool,
}

/// The related rows of one page of opportunities, fetched with one query per relation, so that
/// a page costs the same number of statements whatever its size (DataLoader batches depend on
/// timing). A relation that was not fetched is `None`.
#[derive(Debug, Default)]
pub struct PagePrefetch {
    pub stages: Option<HashMap<Uuid, stage::Model>>,
    pub pipelines: Option<HashMap<Uuid, pipeline::Model>>,
    pub owners: Option<HashMap<Uuid, user::Model>>,
    pub line_items: Option<HashMap<Uuid, Vec<line_item::Model>>>,
    pub history: Option<HashMap<Uuid, Vec<stage_history::Model>>>,
}

fn ids_of(
    rows: &[opportunity::Model],
    id: impl Fn(&opportunity::Model) -> Option<Uuid>,
) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = rows.iter().filter_map(id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Fetches the requested relations of a page of opportunities of one organization.
pub async fn prefetch_page(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    rows: &[opportunity::Model],
    wanted: PageRelations,
) -> AppResult<PagePrefetch> {
    let mut out = PagePrefetch::default();
    if rows.is_empty() {
        return Ok(out);
    }
    let opportunity_ids = ids_of(rows, |r| Some(r.id));
    if wanted.stages {
        let found = stage::Entity::scoped(scope)
            .filter(stage::Column::Id.is_in(ids_of(rows, |r| Some(r.stage_id))))
            .all(db)
            .await?;
        out.stages = Some(found.into_iter().map(|s| (s.id, s)).collect());
    }
    if wanted.pipelines {
        let found = pipeline::Entity::scoped(scope)
            .filter(pipeline::Column::Id.is_in(ids_of(rows, |r| Some(r.pipeline_id))))
            .all(db)
            .await?;
        out.pipelines = Some(found.into_iter().map(|p| (p.id, p)).collect());
    }
    if wanted.owners {
        let owners = ids_of(rows, |r| r.owner_id);
        let found = if owners.is_empty() {
            Vec::new()
        } else {
            user::Entity::scoped(scope)
                .filter(user::Column::Id.is_in(owners))
                .all(db)
                .await?
        };
        out.owners = Some(found.into_iter().map(|u| (u.id, u)).collect());
    }
    if wanted.line_items {
        let found = line_item::Entity::scoped(scope)
            .filter(line_item::Column::OpportunityId.is_in(opportunity_ids.clone()))
            .order_by_asc(line_item::Column::Position)
            .order_by_asc(line_item::Column::Id)
            .all(db)
            .await?;
        let mut grouped: HashMap<Uuid, Vec<line_item::Model>> = HashMap::new();
        for item in found {
            grouped.entry(item.opportunity_id).or_default().push(item);
        }
        out.line_items = Some(grouped);
    }
    if wanted.history {
        let found = stage_history::Entity::scoped(scope)
            .filter(stage_history::Column::OpportunityId.is_in(opportunity_ids))
            .order_by_asc(stage_history::Column::ChangedAt)
            .order_by_asc(stage_history::Column::Id)
            .all(db)
            .await?;
        let mut grouped: HashMap<Uuid, Vec<stage_history::Model>> = HashMap::new();
        for row in found {
            grouped.entry(row.opportunity_id).or_default().push(row);
        }
        out.history = Some(grouped);
    }
    Ok(out)
}
