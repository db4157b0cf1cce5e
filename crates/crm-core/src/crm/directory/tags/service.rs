//! Database work and rules for tags.

use std::collections::HashMap;

use async_graphql::MaybeUndefined;
use identity::audit::Tx;
use kernel::db::now;
use kernel::events::Action;
use kernel::listing::{ListArgs, OrderDirection, Page, SortKey, list};
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppError, AppResult, AuthContext, DbResultExt, Role, Store, TenantScope, validate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    Set,
};
use uuid::Uuid;

use crate::crm::access::{Area, require_create, require_edit, require_read};
use crate::entity::{contact, contact_tag, tag};

kernel::entity_filter! {
    /// Filters tags.
    pub struct TagFilterInput {
        id: UuidFilter => tag::Column::Id,
        name: StringFilter => tag::Column::Name,
        color: StringFilter => tag::Column::Color,
        created_at: DateTimeFilter => tag::Column::CreatedAt,
        updated_at: DateTimeFilter => tag::Column::UpdatedAt,
    }
}

kernel::entity_order_by! {
    /// Orders tags.
    pub struct TagOrderByInput for tag::Entity {
        name => tag::Column::Name,
        created_at => tag::Column::CreatedAt,
    }
}

const NAME_TAKEN: &str = "a tag with this name already exists";

/// The most tags one call may add or remove.
pub const MAX_TAGS_PER_CALL: usize = 100;

/// A tag name as stored: trimmed, title-cased, 1 to 100 characters.
pub fn tag_name(field: &str, name: &str) -> AppResult<String> {
    let name = validate::required_text(field, name, 100)?;
    Ok(validate::title_case(&name))
}

/// Every tag of these ids in the organization, or `NOT_FOUND` if one is missing.
pub async fn require_tags(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    ids: &[Uuid],
) -> AppResult<Vec<tag::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    if ids.len() > MAX_TAGS_PER_CALL {
        return Err(AppError::invalid(
            "tagIds",
            format!("at most {MAX_TAGS_PER_CALL} tags at once"),
        ));
    }
    let rows = tag::Entity::scoped(scope)
        .filter(tag::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?;
    if ids.iter().any(|id| !rows.iter().any(|r| r.id == *id)) {
        return Err(AppError::not_found("Tag"));
    }
    Ok(rows)
}

/// Reads one tag (staff).
pub async fn get_tag(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<tag::Model>> {
    require_read(auth)?;
    tag::Entity::find_in(db, auth.scope(), id).await
}

/// Lists tags (staff).
pub async fn list_tags(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<TagFilterInput, TagOrderByInput>,
) -> AppResult<Page<tag::Model>> {
    require_read(auth)?;
    let select = tag::Entity::scoped(auth.scope());
    list(
        db,
        select,
        args,
        &[SortKey::new(
            tag::Column::Name,
            OrderDirection::AscNullsLast,
        )],
        tag::Column::Id,
    )
    .await
}

/// How many contacts (not deleted) carry a tag.
pub async fn tag_contact_count(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    id: Uuid,
) -> AppResult<u64> {
    Ok(contact_tag::Entity::scoped(scope)
        .filter(contact_tag::Column::TagId.eq(id))
        .filter(
            contact_tag::Column::ContactId.in_subquery(
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

async fn insert_tag(
    tx: &mut Tx<'_>,
    scope: TenantScope,
    name: String,
    color: Option<String>,
) -> AppResult<tag::Model> {
    let at = now();
    let created = tag::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(scope.organization_id()),
        name: Set(name),
        color: Set(color),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(tx.db())
    .await
    .on_unique_violation(NAME_TAKEN)?;
    tx.created::<tag::Entity>(&created).await?;
    Ok(created)
}

/// The tags with these names (title-cased), created where missing, in the caller's transaction.
/// `field` names the input in errors.
pub async fn ensure_tags(
    tx: &mut Tx<'_>,
    scope: TenantScope,
    field: &str,
    names: &[String],
) -> AppResult<Vec<tag::Model>> {
    if names.len() > MAX_TAGS_PER_CALL {
        return Err(AppError::invalid(
            field,
            format!("at most {MAX_TAGS_PER_CALL} tags at once"),
        ));
    }
    let mut wanted: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let name = tag_name(field, name)?;
        if !wanted.contains(&name) {
            wanted.push(name);
        }
    }
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let existing: HashMap<String, tag::Model> = tag::Entity::scoped(scope)
        .filter(tag::Column::Name.is_in(wanted.clone()))
        .all(tx.db())
        .await?
        .into_iter()
        .map(|t| (t.name.clone(), t))
        .collect();
    let mut result = Vec::with_capacity(wanted.len());
    for name in wanted {
        match existing.get(&name) {
            Some(found) => result.push(found.clone()),
            None => result.push(insert_tag(tx, scope, name, None).await?),
        }
    }
    Ok(result)
}

/// Creates a tag (every staff role that writes: ADMIN, MANAGER, SALES_REP, MARKETING).
pub async fn create_tag(
    store: &Store,
    auth: &AuthContext,
    name: &str,
    color: Option<&str>,
) -> AppResult<tag::Model> {
    require_create(auth, Area::Tags)?;
    let name = tag_name("name", name)?;
    let color = validate::color("color", color)?;
    let mut tx = Tx::begin(store, auth).await?;
    let created = insert_tag(&mut tx, auth.scope(), name, color).await?;
    tx.commit().await?;
    Ok(created)
}

/// Renames or recolours a tag (ADMIN, MANAGER, SALES_REP, MARKETING).
pub async fn update_tag(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    name: Option<&str>,
    color: &MaybeUndefined<String>,
) -> AppResult<tag::Model> {
    require_edit(auth, Area::Tags, None, None)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = tag::Entity::require_in(tx.db(), auth.scope(), id).await?;
    let mut model = before.clone().into_active_model();
    if let Some(name) = name {
        model.name = Set(tag_name("name", name)?);
    }
    kernel::patch::clearable(&mut model.color, color, |color| {
        validate::color("color", Some(color))
    })?;
    let after = tx
        .save_unique::<tag::Entity>(before, model, NAME_TAKEN)
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// Deletes a tag and its links to contacts (ADMIN, MANAGER, MARKETING: it touches every
/// owner's contacts, so sales reps may not).
pub async fn delete_tag(store: &Store, auth: &AuthContext, id: Uuid) -> AppResult<Uuid> {
    require_edit(auth, Area::Tags, None, None)?;
    if auth.role == Role::SalesRep {
        return Err(AppError::forbidden(
            "sales reps cannot delete tags used on others' contacts",
        ));
    }
    let mut tx = Tx::begin(store, auth).await?;
    let before = tag::Entity::require_in(tx.db(), auth.scope(), id).await?;
    contact_tag::Entity::delete_scoped(auth.scope())
        .filter(contact_tag::Column::TagId.eq(id))
        .exec(tx.db())
        .await?;
    tx.remove::<tag::Entity>(&before, Action::Delete).await?;
    tx.commit().await?;
    Ok(id)
}
