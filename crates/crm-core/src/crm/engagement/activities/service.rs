//! Database work and rules for activities.
//!
//! `occurredAt` defaults to now and may lie at most 24 hours in the future (clock and time-zone
//! slack for something that has just happened); meetings further ahead are tasks, not logged
//! activities. Logging an activity moves `lastActivityAt` of its contact, lead and opportunity
//! forward in the same transaction; deleting one does not move it back.

use async_graphql::{InputObject, MaybeUndefined};
use chrono::{DateTime, Duration, SubsecRound, Utc};
use identity::audit::Tx;
use identity::audit::lifecycle::Lifecycle;
use kernel::db::{DbEnum, now};
use kernel::listing::{ListArgs, OrderDirection, Page, SortKey, list};
use kernel::scalars::Timestamp;
use kernel::{AppError, AppResult, AuthContext, Store, validate};
use sea_orm::DatabaseTransaction;
use sea_orm::{ActiveModelTrait, ConnectionTrait, IntoActiveModel, Set};
use uuid::Uuid;

use super::ActivityType;
use crate::crm::access::{Area, require_create, require_read, visibility};
use crate::crm::engagement::targets::{
    TargetColumns, Targeted, Targets, check_targets, find_visible, require_author_or_manager,
    require_visible, retarget, touch_last_activity, visible,
};
use crate::entity::activity;

kernel::enum_filter!(
    ActivityTypeFilter,
    ActivityType,
    "Filters on an activity type."
);

kernel::entity_filter! {
    /// Filters activities.
    pub struct ActivityFilterInput {
        id: UuidFilter => activity::Column::Id,
        #[graphql(name = "type")]
        activity_type: ActivityTypeFilter => activity::Column::ActivityType,
        subject: StringFilter => activity::Column::Subject,
        contact_id: UuidFilter => activity::Column::ContactId,
        company_id: UuidFilter => activity::Column::CompanyId,
        lead_id: UuidFilter => activity::Column::LeadId,
        opportunity_id: UuidFilter => activity::Column::OpportunityId,
        author_id: UuidFilter => activity::Column::AuthorId,
        occurred_at: DateTimeFilter => activity::Column::OccurredAt,
        created_at: DateTimeFilter => activity::Column::CreatedAt,
        deleted_at: DateTimeFilter => activity::Column::DeletedAt,
    }
}

kernel::entity_order_by! {
    /// Orders activities.
    pub struct ActivityOrderByInput for activity::Entity {
        occurred_at => activity::Column::OccurredAt,
        created_at => activity::Column::CreatedAt,
    }
}

/// How far in the future an activity may be dated.
const MAX_FUTURE_HOURS: i64 = 24;

/// A new activity; at least one of the four targets is needed.
#[derive(InputObject, Debug, Clone)]
pub struct ActivityCreateInput {
    #[graphql(name = "type")]
    pub activity_type: ActivityType,
    pub subject: String,
    pub body: Option<String>,
    /// Defaults to now; at most 24 hours ahead.
    pub occurred_at: Option<Timestamp>,
    /// 0 to 1440.
    pub duration_minutes: Option<i32>,
    pub outcome: Option<String>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
}

/// Changes to an activity; absent fields stay as they are, null clears.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ActivityUpdateInput {
    #[graphql(name = "type")]
    pub activity_type: Option<ActivityType>,
    pub subject: Option<String>,
    pub body: MaybeUndefined<String>,
    pub occurred_at: Option<Timestamp>,
    pub duration_minutes: MaybeUndefined<i32>,
    pub outcome: MaybeUndefined<String>,
    pub contact_id: MaybeUndefined<Uuid>,
    pub company_id: MaybeUndefined<Uuid>,
    pub lead_id: MaybeUndefined<Uuid>,
    pub opportunity_id: MaybeUndefined<Uuid>,
}

fn occurred_at(value: Timestamp) -> AppResult<DateTime<Utc>> {
    let value = DateTime::<Utc>::from(value);
    if value > Utc::now() + Duration::hours(MAX_FUTURE_HOURS) {
        return Err(AppError::invalid(
            "occurredAt",
            "occurredAt may be at most 24 hours in the future",
        ));
    }
    Ok(value.trunc_subsecs(6))
}

fn duration(value: Option<i32>) -> AppResult<Option<i32>> {
    validate::int_range("durationMinutes", value, 0, 1440)
}

fn body(value: Option<&str>) -> AppResult<Option<String>> {
    validate::long_text("body", value, 100_000)
}

impl Targeted for activity::Entity {
    const TARGETS: TargetColumns<activity::Column> = TargetColumns {
        author: activity::Column::AuthorId,
        contact: activity::Column::ContactId,
        company: activity::Column::CompanyId,
        lead: activity::Column::LeadId,
        opportunity: activity::Column::OpportunityId,
    };
}

/// Reads one activity (soft-deleted ones included); `None` when absent, in another organization
/// or not visible.
pub async fn get_activity(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<activity::Model>> {
    require_read(auth)?;
    find_visible::<activity::Entity>(db, auth, id).await
}

/// Lists the activities the caller may read, newest first by default.
pub async fn list_activities(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<ActivityFilterInput, ActivityOrderByInput>,
) -> AppResult<Page<activity::Model>> {
    require_read(auth)?;
    let mut select = visible::<activity::Entity>(db, auth).await?;
    select = args.hide_deleted(select, activity::Column::DeletedAt);
    list(
        db,
        select,
        args,
        &[SortKey::new(
            activity::Column::OccurredAt,
            OrderDirection::DescNullsLast,
        )],
        activity::Column::Id,
    )
    .await
}

/// Logs an activity authored by the caller on records they may read.
pub async fn create_activity(
    store: &Store,
    auth: &AuthContext,
    input: ActivityCreateInput,
) -> AppResult<activity::Model> {
    require_create(auth, Area::Engagement)?;
    let subject = validate::required_text("subject", &input.subject, 255)?;
    let body = body(input.body.as_deref())?;
    let at = now();
    let occurred = match input.occurred_at {
        Some(value) => occurred_at(value)?,
        None => at,
    };
    let duration_minutes = duration(input.duration_minutes)?;
    let outcome = validate::optional_text("outcome", input.outcome.as_deref(), 255)?;
    let targets = Targets {
        contact_id: input.contact_id,
        company_id: input.company_id,
        lead_id: input.lead_id,
        opportunity_id: input.opportunity_id,
    };
    let mut tx = Tx::begin(store, auth).await?;
    let visibility = visibility(tx.db(), auth).await?;
    check_targets(tx.db(), auth, &visibility, &targets).await?;
    let created = activity::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        activity_type: Set(input.activity_type.as_db().to_owned()),
        subject: Set(subject),
        body: Set(body),
        occurred_at: Set(occurred),
        duration_minutes: Set(duration_minutes),
        outcome: Set(outcome),
        contact_id: Set(targets.contact_id),
        company_id: Set(targets.company_id),
        lead_id: Set(targets.lead_id),
        opportunity_id: Set(targets.opportunity_id),
        author_id: Set(Some(auth.user_id)),
        created_at: Set(at),
        updated_at: Set(at),
        deleted_at: Set(None),
    }
    .insert(tx.db())
    .await?;
    touch_last_activity(tx.db(), auth.scope(), &targets, occurred).await?;
    tx.created::<activity::Entity>(&created).await?;
    tx.commit().await?;
    Ok(created)
}

/// Updates an activity (its author, or a manager or administrator).
pub async fn update_activity(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: ActivityUpdateInput,
) -> AppResult<activity::Model> {
    let mut tx = Tx::begin(store, auth).await?;
    let before = require_visible::<activity::Entity>(tx.db(), auth, id).await?;
    if before.deleted_at.is_some() {
        return Err(AppError::not_found("Activity"));
    }
    require_author_or_manager(auth, before.author_id)?;
    let mut model = before.clone().into_active_model();
    if let Some(activity_type) = input.activity_type {
        model.activity_type = Set(activity_type.as_db().to_owned());
    }
    if let Some(subject) = &input.subject {
        model.subject = Set(validate::required_text("subject", subject, 255)?);
    }
    kernel::patch::clearable(&mut model.body, &input.body, |text| body(Some(text)))?;
    if let Some(value) = input.occurred_at {
        model.occurred_at = Set(occurred_at(value)?);
    }
    kernel::patch::clearable(
        &mut model.duration_minutes,
        &input.duration_minutes,
        |minutes| duration(Some(*minutes)),
    )?;
    kernel::patch::clearable(&mut model.outcome, &input.outcome, |text| {
        validate::optional_text("outcome", Some(text), 255)
    })?;
    let targets = retarget::<activity::Entity>(
        tx.db(),
        auth,
        &before,
        "an activity",
        [
            input.contact_id,
            input.company_id,
            input.lead_id,
            input.opportunity_id,
        ],
    )
    .await?;
    targets.set_on::<activity::Entity>(&mut model);
    let after = tx.save::<activity::Entity>(before, model).await?;
    // Forward only, so an update that changed nothing moves nothing.
    touch_last_activity(tx.db(), auth.scope(), &targets, after.occurred_at).await?;
    tx.commit().await?;
    Ok(after)
}

// Delete and restore: its author, or a manager or administrator, among the activities they
// see.
impl Lifecycle for activity::Entity {
    async fn require_writable(
        db: &DatabaseTransaction,
        auth: &AuthContext,
        id: Uuid,
    ) -> AppResult<activity::Model> {
        let activity = require_visible::<activity::Entity>(db, auth, id).await?;
        require_author_or_manager(auth, activity.author_id)?;
        Ok(activity)
    }
}
