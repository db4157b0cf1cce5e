//! What activities and notes hang on: a contact, company, lead or opportunity of the caller's
//! organization. Shared by both aggregates: checking targets, limiting what sales reps read,
//! and keeping `last_activity_at` of the targets current.

use async_graphql::MaybeUndefined;
use chrono::{DateTime, Utc};
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppError, AppResult, AuthContext, TenantScope};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, ModelTrait, QueryFilter, Select,
    Value,
};
use uuid::Uuid;

use crate::crm::access::{Visibility, visibility};
use crate::entity::{company, contact, lead, opportunity};

/// The objects an activity or note is attached to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Targets {
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
}

impl Targets {
    /// Whether no target is set.
    pub fn is_empty(&self) -> bool {
        self.contact_id.is_none()
            && self.company_id.is_none()
            && self.lead_id.is_none()
            && self.opportunity_id.is_none()
    }
}

/// Checks that at least one target is given (`BAD_USER_INPUT` on `contactId` otherwise) and that
/// each exists, undeleted, in the caller's organization and is readable by the caller
/// (`NOT_FOUND` otherwise, exactly as for a random id).
pub async fn check_targets(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    visibility: &Visibility,
    targets: &Targets,
) -> AppResult<()> {
    if targets.is_empty() {
        return Err(AppError::invalid(
            "contactId",
            "give at least one of contactId, companyId, leadId or opportunityId",
        ));
    }
    if let Some(id) = targets.contact_id {
        let row = contact::Entity::scoped(auth.scope())
            .filter(contact::Column::Id.eq(id))
            .filter(contact::Column::DeletedAt.is_null())
            .one(db)
            .await?;
        if !row.is_some_and(|r| visibility.allows(r.owner_id, r.assigned_to_id)) {
            return Err(AppError::not_found("Contact"));
        }
    }
    if let Some(id) = targets.company_id {
        let row = company::Entity::scoped(auth.scope())
            .filter(company::Column::Id.eq(id))
            .filter(company::Column::DeletedAt.is_null())
            .one(db)
            .await?;
        if !row.is_some_and(|r| visibility.allows(r.owner_id, None)) {
            return Err(AppError::not_found("Company"));
        }
    }
    if let Some(id) = targets.lead_id {
        let row = lead::Entity::scoped(auth.scope())
            .filter(lead::Column::Id.eq(id))
            .filter(lead::Column::DeletedAt.is_null())
            .one(db)
            .await?;
        if !row.is_some_and(|r| visibility.allows(r.owner_id, r.assigned_to_id)) {
            return Err(AppError::not_found("Lead"));
        }
    }
    if let Some(id) = targets.opportunity_id {
        let row = opportunity::Entity::scoped(auth.scope())
            .filter(opportunity::Column::Id.eq(id))
            .filter(opportunity::Column::DeletedAt.is_null())
            .one(db)
            .await?;
        if !row.is_some_and(|r| visibility.allows(r.owner_id, None)) {
            return Err(AppError::not_found("Opportunity"));
        }
    }
    Ok(())
}

/// The columns of an activity-like table, for [`visible_condition`].
pub struct TargetColumns<C> {
    pub author: C,
    pub contact: C,
    pub company: C,
    pub lead: C,
    pub opportunity: C,
}

/// An object that hangs on targets (activities, notes): the columns naming its author and its
/// targets.
pub trait Targeted: TenantObject {
    const TARGETS: TargetColumns<Self::Column>;
}

/// The objects of the organization the caller may read: sales reps with limited visibility see
/// those of their team and those on records they may read.
pub async fn visible<E: Targeted>(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
) -> AppResult<Select<E>> {
    let mut select = E::scoped(auth.scope());
    let visibility = visibility(db, auth).await?;
    if let Some(condition) = visible_condition(&visibility, auth.scope(), E::TARGETS) {
        select = select.filter(condition);
    }
    Ok(select)
}

/// One object the caller may read (soft-deleted ones included), or `None`.
pub async fn find_visible<E: Targeted>(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<E::Model>> {
    Ok(visible::<E>(db, auth)
        .await?
        .filter(E::ID.eq(id))
        .one(db)
        .await?)
}

/// One object the caller may read, or `NOT_FOUND`.
pub async fn require_visible<E: Targeted>(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<E::Model> {
    find_visible::<E>(db, auth, id)
        .await?
        .ok_or_else(|| AppError::not_found(E::LABEL))
}

/// What a sales rep with limited visibility may read of activities or notes: those written by
/// one of the visible users, or attached to a record they may read. `None` when everything is
/// visible.
pub fn visible_condition<C: ColumnTrait>(
    visibility: &Visibility,
    scope: TenantScope,
    columns: TargetColumns<C>,
) -> Option<Condition> {
    let Visibility::Users(users) = visibility else {
        return None;
    };
    let contacts = Query::select()
        .column(contact::Column::Id)
        .from(contact::Entity)
        .cond_where(contact::Entity::in_scope(scope))
        .cond_where(
            Condition::any()
                .add(contact::Column::OwnerId.is_in(users.clone()))
                .add(contact::Column::AssignedToId.is_in(users.clone())),
        )
        .to_owned();
    let companies = Query::select()
        .column(company::Column::Id)
        .from(company::Entity)
        .cond_where(company::Entity::in_scope(scope))
        .and_where(company::Column::OwnerId.is_in(users.clone()))
        .to_owned();
    let leads = Query::select()
        .column(lead::Column::Id)
        .from(lead::Entity)
        .cond_where(lead::Entity::in_scope(scope))
        .cond_where(
            Condition::any()
                .add(lead::Column::OwnerId.is_in(users.clone()))
                .add(lead::Column::AssignedToId.is_in(users.clone())),
        )
        .to_owned();
    let opportunities = Query::select()
        .column(opportunity::Column::Id)
        .from(opportunity::Entity)
        .cond_where(opportunity::Entity::in_scope(scope))
        .and_where(opportunity::Column::OwnerId.is_in(users.clone()))
        .to_owned();
    Some(
        Condition::any()
            .add(columns.author.is_in(users.clone()))
            .add(Expr::col(columns.contact).in_subquery(contacts))
            .add(Expr::col(columns.company).in_subquery(companies))
            .add(Expr::col(columns.lead).in_subquery(leads))
            .add(Expr::col(columns.opportunity).in_subquery(opportunities)),
    )
}

/// Moves `last_activity_at` of the targeted contact, lead and opportunity forward to `at` (the
/// later of the stored value and `at`). Companies have no such column.
pub async fn touch_last_activity(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    targets: &Targets,
    at: DateTime<Utc>,
) -> AppResult<()> {
    if let Some(id) = targets.contact_id {
        contact::Entity::update_scoped(scope)
            .col_expr(contact::Column::LastActivityAt, Expr::value(at))
            .filter(contact::Column::Id.eq(id))
            .filter(
                Condition::any()
                    .add(contact::Column::LastActivityAt.is_null())
                    .add(contact::Column::LastActivityAt.lt(at)),
            )
            .exec(db)
            .await?;
    }
    if let Some(id) = targets.lead_id {
        lead::Entity::update_scoped(scope)
            .col_expr(lead::Column::LastActivityAt, Expr::value(at))
            .filter(lead::Column::Id.eq(id))
            .filter(
                Condition::any()
                    .add(lead::Column::LastActivityAt.is_null())
                    .add(lead::Column::LastActivityAt.lt(at)),
            )
            .exec(db)
            .await?;
    }
    if let Some(id) = targets.opportunity_id {
        opportunity::Entity::update_scoped(scope)
            .col_expr(opportunity::Column::LastActivityAt, Expr::value(at))
            .filter(opportunity::Column::Id.eq(id))
            .filter(
                Condition::any()
                    .add(opportunity::Column::LastActivityAt.is_null())
                    .add(opportunity::Column::LastActivityAt.lt(at)),
            )
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Whether the caller may change or delete an activity or note: its author, or a manager or
/// administrator. Read-only and client users never may.
pub fn require_author_or_manager(auth: &AuthContext, author_id: Option<Uuid>) -> AppResult<()> {
    crate::crm::access::require_create(auth, crate::crm::access::Area::Engagement)?;
    if auth.role.is_manager_or_above() || author_id == Some(auth.user_id) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only the author or a manager can change this",
        ))
    }
}

fn target_patch(
    patch: MaybeUndefined<Uuid>,
    current: Option<Uuid>,
    new: &mut Option<Uuid>,
) -> Option<Uuid> {
    match patch {
        MaybeUndefined::Undefined => current,
        MaybeUndefined::Null => None,
        MaybeUndefined::Value(id) => {
            if current != Some(id) {
                *new = Some(id);
            }
            Some(id)
        }
    }
}

impl Targets {
    /// The targets a row of `E` hangs on.
    pub fn of<E: Targeted>(model: &E::Model) -> Self {
        let id = |column: E::Column| match model.get(column) {
            Value::Uuid(id) => id,
            _ => None,
        };
        Self {
            contact_id: id(E::TARGETS.contact),
            company_id: id(E::TARGETS.company),
            lead_id: id(E::TARGETS.lead),
            opportunity_id: id(E::TARGETS.opportunity),
        }
    }

    /// Writes the targets onto a row of `E` (unchanged ones stay unchanged when it is saved).
    pub fn set_on<E: Targeted>(&self, model: &mut E::ActiveModel) {
        model.set(E::TARGETS.contact, self.contact_id.into());
        model.set(E::TARGETS.company, self.company_id.into());
        model.set(E::TARGETS.lead, self.lead_id.into());
        model.set(E::TARGETS.opportunity, self.opportunity_id.into());
    }
}

/// The targets of a row of `E` after an update's changes: at least one must remain
/// (`BAD_USER_INPUT` on `contactId`, naming the object as `noun`, "a note"), and each newly set
/// one must be readable by the caller (`NOT_FOUND` otherwise).
pub async fn retarget<E: Targeted>(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    before: &E::Model,
    noun: &str,
    changes: [MaybeUndefined<Uuid>; 4],
) -> AppResult<Targets> {
    let [contact_id, company_id, lead_id, opportunity_id] = changes;
    let (targets, added) = patch_targets(
        Targets::of::<E>(before),
        contact_id,
        company_id,
        lead_id,
        opportunity_id,
    );
    if targets.is_empty() {
        return Err(AppError::invalid(
            "contactId",
            format!("{noun} needs at least one of contactId, companyId, leadId or opportunityId"),
        ));
    }
    if !added.is_empty() {
        let visibility = visibility(db, auth).await?;
        check_targets(db, auth, &visibility, &added).await?;
    }
    Ok(targets)
}

/// The targets after a change, and the ones newly set (which must be checked).
fn patch_targets(
    current: Targets,
    contact_id: MaybeUndefined<Uuid>,
    company_id: MaybeUndefined<Uuid>,
    lead_id: MaybeUndefined<Uuid>,
    opportunity_id: MaybeUndefined<Uuid>,
) -> (Targets, Targets) {
    let mut added = Targets::default();
    let result = Targets {
        contact_id: target_patch(contact_id, current.contact_id, &mut added.contact_id),
        company_id: target_patch(company_id, current.company_id, &mut added.company_id),
        lead_id: target_patch(lead_id, current.lead_id, &mut added.lead_id),
        opportunity_id: target_patch(
            opportunity_id,
            current.opportunity_id,
            &mut added.opportunity_id,
        ),
    };
    (result, added)
}
