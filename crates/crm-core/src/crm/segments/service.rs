//! Segments: a saved contact filter (DYNAMIC, evaluated when read) or a hand-picked member
//! list (STATIC). Marketing, managers and administrators maintain them; all staff read them.

use async_graphql::{InputObject, InputType, MaybeUndefined};
use identity::audit::Tx;
use identity::audit::lifecycle::Lifecycle;
use kernel::db::{DbEnum, now};
use kernel::events::Action;
use kernel::listing::{FilterInput, ListArgs, OrderDirection, Page, PageArgs, SortKey, list};
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppError, AppResult, AuthContext, DbResultExt, Store, validate};
use sea_orm::DatabaseTransaction;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use serde_json::Value as Json;
use uuid::Uuid;

use crate::crm::access::{self, Area};
use crate::crm::directory::contacts::service::ContactFilterInput;
use crate::crm::directory::contacts::service::{ContactOrderByInput, list_contacts_where};
use crate::entity::{contact, segment, segment_member};

kernel::db_enum! {
    /// How a segment decides its members.
    pub enum SegmentKind {
        /// Members are the contacts matching the saved filter, whenever it is read.
        Dynamic = "dynamic",
        /// Members are added and removed by hand.
        Static = "static",
    }
}

kernel::enum_filter!(SegmentKindFilter, SegmentKind, "Filters on a segment kind.");

kernel::entity_filter! {
    /// Filters segments.
    pub struct SegmentFilterInput {
        id: UuidFilter => segment::Column::Id,
        name: StringFilter => segment::Column::Name,
        kind: SegmentKindFilter => segment::Column::Kind,
        created_at: DateTimeFilter => segment::Column::CreatedAt,
        deleted_at: DateTimeFilter => segment::Column::DeletedAt,
    }
}

kernel::entity_order_by! {
    /// Orders segments.
    pub struct SegmentOrderByInput for segment::Entity {
        name => segment::Column::Name,
        created_at => segment::Column::CreatedAt,
    }
}

/// The most contacts added or removed in one call.
pub const MAX_MEMBERS_PER_CALL: usize = 1000;

/// A new segment: DYNAMIC with a `filter`, or STATIC with optional `contactIds`.
#[derive(InputObject, Debug, Clone)]
#[graphql(name = "SegmentCreateInput")]
pub struct NewSegment {
    pub name: String,
    pub description: Option<String>,
    pub kind: SegmentKind,
    pub filter: Option<ContactFilterInput>,
    #[graphql(default)]
    pub contact_ids: Vec<Uuid>,
}

/// Changes to a segment.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "SegmentUpdateInput")]
pub struct SegmentUpdate {
    pub name: Option<String>,
    pub description: MaybeUndefined<String>,
    /// A new filter (dynamic segments only).
    pub filter: Option<ContactFilterInput>,
}

/// The stored kind of a segment.
pub fn kind_of(row: &segment::Model) -> AppResult<SegmentKind> {
    SegmentKind::from_db(&row.kind)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("unknown segment kind {}", row.kind)))
}

/// The saved filter of a dynamic segment.
pub fn filter_of(row: &segment::Model) -> AppResult<Option<ContactFilterInput>> {
    let Some(json) = &row.filter else {
        return Ok(None);
    };
    let value = async_graphql::Value::from_json(json.clone())
        .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    ContactFilterInput::parse(Some(value))
        .map(Some)
        .map_err(|e| {
            AppError::internal(anyhow::anyhow!(
                "stored segment filter: {}",
                e.into_server_error(Default::default()).message
            ))
        })
}

fn filter_json(filter: &ContactFilterInput) -> AppResult<Json> {
    // Checking it compiles rejects bad filters (depth, sizes) when saved, not when read.
    filter.to_condition()?;
    filter
        .to_value()
        .into_json()
        .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))
}

async fn find(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<segment::Model>> {
    segment::Entity::find_in(db, auth.scope(), id).await
}

async fn require(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<segment::Model> {
    find(db, auth, id)
        .await?
        .ok_or_else(|| AppError::not_found("Segment"))
}

/// One segment (staff).
pub async fn get_segment(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<segment::Model>> {
    access::require_read(auth)?;
    find(db, auth, id).await
}

/// Lists segments (staff).
pub async fn list_segments(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<SegmentFilterInput, SegmentOrderByInput>,
) -> AppResult<Page<segment::Model>> {
    access::require_read(auth)?;
    let mut select = segment::Entity::scoped(auth.scope());
    select = args.hide_deleted(select, segment::Column::DeletedAt);
    list(
        db,
        select,
        args,
        &[SortKey::new(
            segment::Column::Name,
            OrderDirection::AscNullsLast,
        )],
        segment::Column::Id,
    )
    .await
}

/// The condition that limits contacts to a segment's members.
fn membership(row: &segment::Model) -> AppResult<(Option<ContactFilterInput>, Option<Condition>)> {
    match kind_of(row)? {
        SegmentKind::Dynamic => Ok((filter_of(row)?, None)),
        SegmentKind::Static => {
            let members = Query::select()
                .column(segment_member::Column::ContactId)
                .from(segment_member::Entity)
                .and_where(
                    Expr::col(segment_member::Column::OrganizationId).eq(row.organization_id),
                )
                .and_where(Expr::col(segment_member::Column::SegmentId).eq(row.id))
                .to_owned();
            Ok((
                None,
                Some(Condition::all().add(contact::Column::Id.in_subquery(members))),
            ))
        }
    }
}

/// The segment's contacts the caller may see, further filtered and paged by `args`.
pub async fn segment_contacts(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    row: &segment::Model,
    mut args: ListArgs<ContactFilterInput, ContactOrderByInput>,
    search: Option<&str>,
) -> AppResult<Page<contact::Model>> {
    let (saved, extra) = membership(row)?;
    // The saved filter and the caller's filter both apply.
    args.filter = match (saved, args.filter.take()) {
        (Some(saved), Some(given)) => Some(ContactFilterInput {
            and: Some(vec![saved, given]),
            ..Default::default()
        }),
        (saved, given) => saved.or(given),
    };
    list_contacts_where(db, auth, &args, search, extra).await
}

/// How many (visible) contacts the segment has.
pub async fn contact_count(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    row: &segment::Model,
) -> AppResult<i64> {
    let args = ListArgs::plain(None, PageArgs::new(Some(0), None, None, None), true);
    let page = segment_contacts(db, auth, row, args, None).await?;
    Ok(page.total_count.unwrap_or(0) as i64)
}

async fn check_contacts(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    ids: &[Uuid],
) -> AppResult<()> {
    if ids.len() > MAX_MEMBERS_PER_CALL {
        return Err(AppError::invalid(
            "contactIds",
            format!("at most {MAX_MEMBERS_PER_CALL} contacts at once"),
        ));
    }
    let unique: std::collections::HashSet<Uuid> = ids.iter().copied().collect();
    let found = contact::Entity::scoped(auth.scope())
        .filter(contact::Column::DeletedAt.is_null())
        .filter(contact::Column::Id.is_in(unique.iter().copied().collect::<Vec<_>>()))
        .all(db)
        .await?;
    let visibility = access::visibility(db, auth).await?;
    let visible = found
        .iter()
        .filter(|c| visibility.allows(c.owner_id, c.assigned_to_id))
        .count();
    if visible == unique.len() {
        Ok(())
    } else {
        Err(AppError::not_found("Contact"))
    }
}

async fn add_members(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    segment_id: Uuid,
    ids: &[Uuid],
) -> AppResult<()> {
    let existing: std::collections::HashSet<Uuid> = segment_member::Entity::scoped(auth.scope())
        .filter(segment_member::Column::SegmentId.eq(segment_id))
        .filter(segment_member::Column::ContactId.is_in(ids.to_vec()))
        .all(tx.db())
        .await?
        .into_iter()
        .map(|m| m.contact_id)
        .collect();
    let at = now();
    let new: Vec<segment_member::ActiveModel> = ids
        .iter()
        .copied()
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .filter(|id| !existing.contains(id))
        .map(|contact_id| segment_member::ActiveModel {
            organization_id: Set(auth.organization_id),
            segment_id: Set(segment_id),
            contact_id: Set(contact_id),
            added_at: Set(at),
        })
        .collect();
    if !new.is_empty() {
        segment_member::Entity::insert_many(new)
            .exec(tx.db())
            .await?;
    }
    Ok(())
}

/// Creates a segment (MARKETING, MANAGER, ADMIN).
pub async fn create_segment(
    store: &Store,
    auth: &AuthContext,
    input: NewSegment,
) -> AppResult<segment::Model> {
    access::require_create(auth, Area::Segments)?;
    let name = validate::required_text("name", &input.name, 255)?;
    let description = validate::long_text("description", input.description.as_deref(), 5000)?;
    let filter = match (input.kind, &input.filter) {
        (SegmentKind::Dynamic, Some(filter)) => Some(filter_json(filter)?),
        (SegmentKind::Dynamic, None) => {
            return Err(AppError::invalid(
                "filter",
                "a dynamic segment needs a filter",
            ));
        }
        (SegmentKind::Static, Some(_)) => {
            return Err(AppError::invalid(
                "filter",
                "a static segment has members, not a filter",
            ));
        }
        (SegmentKind::Static, None) => None,
    };
    if input.kind == SegmentKind::Dynamic && !input.contact_ids.is_empty() {
        return Err(AppError::invalid(
            "contactIds",
            "a dynamic segment's members come from its filter",
        ));
    }
    let mut tx = Tx::begin(store, auth).await?;
    check_contacts(tx.db(), auth, &input.contact_ids).await?;
    let at = now();
    let created = segment::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        name: Set(name),
        description: Set(description),
        kind: Set(input.kind.as_db().to_owned()),
        filter: Set(filter),
        created_by_id: Set(Some(auth.user_id)),
        created_at: Set(at),
        updated_at: Set(at),
        deleted_at: Set(None),
    }
    .insert(tx.db())
    .await
    .on_unique_violation("a segment with this name already exists")?;
    add_members(&mut tx, auth, created.id, &input.contact_ids).await?;
    tx.created::<segment::Entity>(&created).await?;
    tx.commit().await?;
    Ok(created)
}

/// Updates a segment's name, description or (dynamic) filter.
pub async fn update_segment(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: SegmentUpdate,
) -> AppResult<segment::Model> {
    access::require_edit(auth, Area::Segments, None, None)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = require(tx.db(), auth, id).await?;
    let mut model = before.clone().into_active_model();
    if let Some(name) = &input.name {
        model.name = Set(validate::required_text("name", name, 255)?);
    }
    kernel::patch::clearable(&mut model.description, &input.description, |text| {
        validate::long_text("description", Some(text), 5000)
    })?;
    if let Some(filter) = &input.filter {
        if kind_of(&before)? == SegmentKind::Static {
            return Err(AppError::invalid(
                "filter",
                "a static segment has members, not a filter",
            ));
        }
        model.filter = Set(Some(filter_json(filter)?));
    }
    let after = tx
        .save_unique::<segment::Entity>(before, model, "a segment with this name already exists")
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// Adds or removes members of a static segment.
pub async fn change_members(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    add: bool,
    contact_ids: &[Uuid],
) -> AppResult<segment::Model> {
    access::require_edit(auth, Area::Segments, None, None)?;
    let mut tx = Tx::begin(store, auth).await?;
    let row = require(tx.db(), auth, id).await?;
    if row.deleted_at.is_some() {
        return Err(AppError::not_found("Segment"));
    }
    if kind_of(&row)? != SegmentKind::Static {
        return Err(AppError::invalid(
            "id",
            "only static segments have members to add or remove",
        ));
    }
    if add {
        check_contacts(tx.db(), auth, contact_ids).await?;
        add_members(&mut tx, auth, id, contact_ids).await?;
    } else {
        if contact_ids.len() > MAX_MEMBERS_PER_CALL {
            return Err(AppError::invalid(
                "contactIds",
                format!("at most {MAX_MEMBERS_PER_CALL} contacts at once"),
            ));
        }
        segment_member::Entity::delete_scoped(auth.scope())
            .filter(segment_member::Column::SegmentId.eq(id))
            .filter(segment_member::Column::ContactId.is_in(contact_ids.to_vec()))
            .exec(tx.db())
            .await?;
    }
    let action = if add {
        Action::AddMembers
    } else {
        Action::RemoveMembers
    };
    tx.record(
        action,
        segment::Entity::LABEL,
        id,
        None,
        Some(serde_json::json!({ "contactIds": contact_ids })),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

// Delete and restore: whoever may edit segments. Destroy: its member links go with it.
impl Lifecycle for segment::Entity {
    async fn require_writable(
        db: &DatabaseTransaction,
        auth: &AuthContext,
        id: Uuid,
    ) -> AppResult<segment::Model> {
        access::require_edit(auth, Area::Segments, None, None)?;
        require(db, auth, id).await
    }

    async fn before_destroy(tx: &mut Tx<'_>, segment: &segment::Model) -> AppResult<()> {
        segment_member::Entity::delete_references(
            tx.scope(),
            segment_member::Column::SegmentId,
            segment.id,
        )
        .exec(tx.db())
        .await?;
        Ok(())
    }
}
