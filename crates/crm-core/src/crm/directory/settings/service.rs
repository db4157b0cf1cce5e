//! Database work and rules for the settings lists: contact statuses, services, traffic sources.

use std::collections::HashSet;

use async_graphql::{InputObject, MaybeUndefined};
use identity::audit::Tx;
use kernel::db::{DbEnum, now};
use kernel::events::Action;
use kernel::object::{TenantObject, TenantTable};
use kernel::position::next_position;
use kernel::{AppError, AppResult, AuthContext, DbResultExt, Store, TenantScope, validate};
use sea_orm::Condition;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::ContactStatusCategory;
use super::entries::require_entry;
use crate::crm::access::{require_configure, require_read};
use crate::entity::{contact, contact_service, contact_status, service, traffic_source};

const STATUS_TAKEN: &str = "a contact status with this name already exists";

/// The stored category of a status.
pub fn category_of(row: &contact_status::Model) -> AppResult<ContactStatusCategory> {
    ContactStatusCategory::from_db(&row.category).ok_or_else(|| {
        AppError::internal(anyhow::anyhow!(
            "unknown contact status category {}",
            row.category
        ))
    })
}

// ---------------------------------------------------------------------------------------------
// Contact statuses

/// A new contact status.
#[derive(InputObject, Debug, Clone)]
#[graphql(name = "ContactStatusCreateInput")]
pub struct NewContactStatus {
    pub name: String,
    pub category: ContactStatusCategory,
    pub color: Option<String>,
    /// Defaults to after the last status.
    pub position: Option<i32>,
    /// Makes this the default status (the previous default stops being one).
    #[graphql(default)]
    pub is_default: bool,
}

/// Changes to a contact status.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "ContactStatusUpdateInput")]
pub struct ContactStatusUpdate {
    pub name: Option<String>,
    pub category: Option<ContactStatusCategory>,
    pub color: MaybeUndefined<String>,
    pub position: Option<i32>,
    /// `true` makes this the default status; to change the default, set it on another status.
    pub is_default: Option<bool>,
}

/// The organization's default status for new contacts, if it has one.
pub async fn default_status(
    db: &impl ConnectionTrait,
    scope: TenantScope,
) -> AppResult<Option<contact_status::Model>> {
    Ok(contact_status::Entity::scoped(scope)
        .order_by_desc(contact_status::Column::IsDefault)
        .order_by_asc(contact_status::Column::Position)
        .one(db)
        .await?)
}

/// The organization's statuses, by position (staff).
pub async fn list_statuses(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
) -> AppResult<Vec<contact_status::Model>> {
    require_read(auth)?;
    Ok(contact_status::Entity::scoped(auth.scope())
        .order_by_asc(contact_status::Column::Position)
        .order_by_asc(contact_status::Column::Name)
        .all(db)
        .await?)
}

/// How many contacts (not deleted) have this status.
pub async fn status_contact_count(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    id: Uuid,
) -> AppResult<u64> {
    Ok(contact::Entity::scoped(scope)
        .filter(contact::Column::StatusId.eq(id))
        .filter(contact::Column::DeletedAt.is_null())
        .count(db)
        .await?)
}

async fn next_status_position(db: &impl ConnectionTrait, scope: TenantScope) -> AppResult<i32> {
    next_position::<contact_status::Entity>(
        db,
        scope,
        contact_status::Column::Position,
        Condition::all(),
    )
    .await
}

async fn clear_default(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    except: Uuid,
) -> AppResult<()> {
    contact_status::Entity::update_scoped(scope)
        .col_expr(contact_status::Column::IsDefault, Expr::value(false))
        .filter(contact_status::Column::Id.ne(except))
        .filter(contact_status::Column::IsDefault.eq(true))
        .exec(db)
        .await?;
    Ok(())
}

/// Creates a contact status (MANAGER, ADMIN).
pub async fn create_status(
    store: &Store,
    auth: &AuthContext,
    input: NewContactStatus,
) -> AppResult<contact_status::Model> {
    require_configure(auth)?;
    let name = validate::required_text("name", &input.name, 100)?;
    let color = validate::color("color", input.color.as_deref())?;
    let position = validate::int_range("position", input.position, 0, 100_000)?;
    let mut tx = Tx::begin(store, auth).await?;
    let position = match position {
        Some(p) => p,
        None => next_status_position(tx.db(), auth.scope()).await?,
    };
    let at = now();
    let id = Uuid::now_v7();
    if input.is_default {
        clear_default(tx.db(), auth.scope(), id).await?;
    }
    let created = contact_status::ActiveModel {
        id: Set(id),
        organization_id: Set(auth.organization_id),
        name: Set(name),
        category: Set(input.category.as_db().to_owned()),
        color: Set(color),
        position: Set(position),
        is_default: Set(input.is_default),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(tx.db())
    .await
    .on_unique_violation(STATUS_TAKEN)?;
    tx.created::<contact_status::Entity>(&created).await?;
    tx.commit().await?;
    Ok(created)
}

/// Updates a contact status (MANAGER, ADMIN).
pub async fn update_status(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: ContactStatusUpdate,
) -> AppResult<contact_status::Model> {
    require_configure(auth)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = contact_status::Entity::require_in(tx.db(), auth.scope(), id).await?;
    let mut model = before.clone().into_active_model();
    if let Some(name) = &input.name {
        model.name = Set(validate::required_text("name", name, 100)?);
    }
    if let Some(category) = input.category {
        model.category = Set(category.as_db().to_owned());
    }
    kernel::patch::clearable(&mut model.color, &input.color, |color| {
        validate::color("color", Some(color))
    })?;
    if let Some(position) = validate::int_range("position", input.position, 0, 100_000)? {
        model.position = Set(position);
    }
    match input.is_default {
        Some(true) if !before.is_default => {
            clear_default(tx.db(), auth.scope(), id).await?;
            model.is_default = Set(true);
        }
        Some(false) if before.is_default => {
            return Err(AppError::invalid(
                "isDefault",
                "make another status the default instead",
            ));
        }
        _ => {}
    }
    let after = tx
        .save_unique::<contact_status::Entity>(before, model, STATUS_TAKEN)
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// Checks a replacement: present in the organization and not the entry being deleted.
fn check_replacement(id: Uuid, replacement_id: Option<Uuid>) -> AppResult<Uuid> {
    match replacement_id {
        None => Err(AppError::invalid(
            "replacementId",
            "this entry is in use: give a replacement for its contacts",
        )),
        Some(r) if r == id => Err(AppError::invalid(
            "replacementId",
            "the replacement must be another entry",
        )),
        Some(r) => Ok(r),
    }
}

/// Deletes a contact status (MANAGER, ADMIN). Contacts with the status (deleted ones included)
/// move to `replacement_id`, which is required when there are any; a deleted default status
/// passes its role to the replacement, or to the first remaining status.
pub async fn delete_status(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    replacement_id: Option<Uuid>,
) -> AppResult<Uuid> {
    require_configure(auth)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = contact_status::Entity::require_in(tx.db(), auth.scope(), id).await?;
    let in_use = contact::Entity::scoped(auth.scope())
        .filter(contact::Column::StatusId.eq(id))
        .count(tx.db())
        .await?;
    let replacement = match replacement_id {
        Some(_) => {
            let r = check_replacement(id, replacement_id)?;
            Some(contact_status::Entity::require_in(tx.db(), auth.scope(), r).await?)
        }
        None if in_use > 0 => {
            check_replacement(id, None)?;
            None
        }
        None => None,
    };
    if let Some(replacement) = &replacement {
        contact::Entity::update_scoped(auth.scope())
            .col_expr(contact::Column::StatusId, Expr::value(replacement.id))
            .col_expr(contact::Column::UpdatedAt, Expr::value(now()))
            .filter(contact::Column::StatusId.eq(id))
            .exec(tx.db())
            .await?;
    }
    tx.remove::<contact_status::Entity>(&before, Action::Delete)
        .await?;
    if before.is_default {
        let heir = match replacement {
            Some(r) => Some(r),
            None => default_status(tx.db(), auth.scope()).await?,
        };
        if let Some(heir) = heir.filter(|h| !h.is_default) {
            let mut model = heir.clone().into_active_model();
            model.is_default = Set(true);
            tx.save::<contact_status::Entity>(heir, model).await?;
        }
    }
    tx.commit().await?;
    Ok(id)
}

/// Orders the statuses as listed; the list must hold every status of the organization once.
pub async fn reorder_statuses(
    store: &Store,
    auth: &AuthContext,
    ids: Vec<Uuid>,
) -> AppResult<Vec<contact_status::Model>> {
    require_configure(auth)?;
    let mut tx = Tx::begin(store, auth).await?;
    let current = contact_status::Entity::scoped(auth.scope())
        .all(tx.db())
        .await?;
    let given: HashSet<Uuid> = ids.iter().copied().collect();
    let existing: HashSet<Uuid> = current.iter().map(|s| s.id).collect();
    if given.len() != ids.len() || given != existing {
        return Err(AppError::invalid(
            "ids",
            "list every contact status of the organization exactly once",
        ));
    }
    for (position, id) in ids.iter().enumerate() {
        let Some(before) = current.iter().find(|s| s.id == *id) else {
            continue;
        };
        let position = i32::try_from(position).map_err(AppError::internal)?;
        if before.position == position {
            continue;
        }
        let mut model = before.clone().into_active_model();
        model.position = Set(position);
        tx.save::<contact_status::Entity>(before.clone(), model)
            .await?;
    }
    tx.commit().await?;
    list_statuses(&store.db, auth).await
}

// ---------------------------------------------------------------------------------------------
// Services and traffic sources: reads and writes in `entries`; deleting differs per list.

/// Deletes a service (MANAGER, ADMIN); contacts linked to it are linked to `replacement_id`
/// instead, which is required when there are any.
pub async fn delete_service(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    replacement_id: Option<Uuid>,
) -> AppResult<Uuid> {
    require_configure(auth)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = require_entry::<service::Entity>(tx.db(), auth.scope(), id).await?;
    let linked: Vec<Uuid> = contact_service::Entity::scoped(auth.scope())
        .select_only()
        .column(contact_service::Column::ContactId)
        .filter(contact_service::Column::ServiceId.eq(id))
        .into_tuple()
        .all(tx.db())
        .await?;
    if replacement_id.is_some() || !linked.is_empty() {
        let replacement = check_replacement(id, replacement_id)?;
        require_entry::<service::Entity>(tx.db(), auth.scope(), replacement).await?;
        let already: HashSet<Uuid> = contact_service::Entity::scoped(auth.scope())
            .select_only()
            .column(contact_service::Column::ContactId)
            .filter(contact_service::Column::ServiceId.eq(replacement))
            .into_tuple::<Uuid>()
            .all(tx.db())
            .await?
            .into_iter()
            .collect();
        let at = now();
        let moved: Vec<contact_service::ActiveModel> = linked
            .iter()
            .filter(|c| !already.contains(c))
            .map(|contact_id| contact_service::ActiveModel {
                organization_id: Set(auth.organization_id),
                contact_id: Set(*contact_id),
                service_id: Set(replacement),
                created_at: Set(at),
            })
            .collect();
        for chunk in moved.chunks(500) {
            contact_service::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(tx.db())
                .await?;
        }
    }
    contact_service::Entity::delete_scoped(auth.scope())
        .filter(contact_service::Column::ServiceId.eq(id))
        .exec(tx.db())
        .await?;
    tx.remove::<service::Entity>(&before, Action::Delete)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// How many contacts (not deleted) are linked to a service.
pub async fn service_contact_count(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    id: Uuid,
) -> AppResult<u64> {
    Ok(contact_service::Entity::scoped(scope)
        .filter(contact_service::Column::ServiceId.eq(id))
        .filter(
            contact_service::Column::ContactId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(contact::Column::Id)
                    .from(contact::Entity)
                    .cond_where(contact::Entity::in_scope(scope))
                    .and_where(contact::Column::DeletedAt.is_null())
                    .to_owned(),
            ),
        )
        .count(db)
        .await?)
}

/// How many contacts (not deleted) came from a traffic source.
pub async fn traffic_source_contact_count(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    id: Uuid,
) -> AppResult<u64> {
    Ok(contact::Entity::scoped(scope)
        .filter(contact::Column::TrafficSourceId.eq(id))
        .filter(contact::Column::DeletedAt.is_null())
        .count(db)
        .await?)
}

/// Deletes a traffic source (MANAGER, ADMIN); its contacts move to `replacement_id`, which is
/// required when there are any (deleted contacts included).
pub async fn delete_traffic_source(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    replacement_id: Option<Uuid>,
) -> AppResult<Uuid> {
    require_configure(auth)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = require_entry::<traffic_source::Entity>(tx.db(), auth.scope(), id).await?;
    let in_use = contact::Entity::scoped(auth.scope())
        .filter(contact::Column::TrafficSourceId.eq(id))
        .count(tx.db())
        .await?;
    if replacement_id.is_some() || in_use > 0 {
        let replacement = check_replacement(id, replacement_id)?;
        require_entry::<traffic_source::Entity>(tx.db(), auth.scope(), replacement).await?;
        contact::Entity::update_scoped(auth.scope())
            .col_expr(contact::Column::TrafficSourceId, Expr::value(replacement))
            .col_expr(contact::Column::UpdatedAt, Expr::value(now()))
            .filter(contact::Column::TrafficSourceId.eq(id))
            .exec(tx.db())
            .await?;
    }
    tx.remove::<traffic_source::Entity>(&before, Action::Delete)
        .await?;
    tx.commit().await?;
    Ok(id)
}
