//! Database work and rules for notes. Lists put pinned notes first, then the newest.

use async_graphql::{InputObject, MaybeUndefined};
use identity::audit::Tx;
use identity::audit::lifecycle::Lifecycle;
use kernel::db::now;
use kernel::listing::{ListArgs, OrderDirection, Page, SortKey, list};
use kernel::{AppError, AppResult, AuthContext, Store, validate};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseTransaction, IntoActiveModel, Set};
use uuid::Uuid;

use crate::crm::access::{Area, require_create, require_read, visibility};
use crate::crm::engagement::targets::{
    TargetColumns, Targeted, Targets, check_targets, find_visible, require_author_or_manager,
    require_visible, retarget, visible,
};
use crate::entity::note;

kernel::entity_filter! {
    /// Filters notes.
    pub struct NoteFilterInput {
        id: UuidFilter => note::Column::Id,
        title: StringFilter => note::Column::Title,
        pinned: BooleanFilter => note::Column::Pinned,
        contact_id: UuidFilter => note::Column::ContactId,
        company_id: UuidFilter => note::Column::CompanyId,
        lead_id: UuidFilter => note::Column::LeadId,
        opportunity_id: UuidFilter => note::Column::OpportunityId,
        author_id: UuidFilter => note::Column::AuthorId,
        created_at: DateTimeFilter => note::Column::CreatedAt,
        updated_at: DateTimeFilter => note::Column::UpdatedAt,
        deleted_at: DateTimeFilter => note::Column::DeletedAt,
    }
}

kernel::entity_order_by! {
    /// Orders notes.
    pub struct NoteOrderByInput for note::Entity {
        pinned => note::Column::Pinned,
        title => note::Column::Title,
        created_at => note::Column::CreatedAt,
        updated_at => note::Column::UpdatedAt,
    }
}

/// The longest note body, in characters.
pub const MAX_BODY_CHARS: usize = 100_000;

/// A new note; at least one of the four targets is needed.
#[derive(InputObject, Debug, Clone)]
pub struct NoteCreateInput {
    pub title: Option<String>,
    /// At most 100,000 characters.
    pub body: String,
    /// Default false.
    pub pinned: Option<bool>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
}

/// Changes to a note; absent fields stay as they are, null clears.
#[derive(InputObject, Debug, Clone, Default)]
pub struct NoteUpdateInput {
    pub title: MaybeUndefined<String>,
    pub body: Option<String>,
    pub pinned: Option<bool>,
    pub contact_id: MaybeUndefined<Uuid>,
    pub company_id: MaybeUndefined<Uuid>,
    pub lead_id: MaybeUndefined<Uuid>,
    pub opportunity_id: MaybeUndefined<Uuid>,
}

fn body(value: &str) -> AppResult<String> {
    validate::long_text("body", Some(value), MAX_BODY_CHARS)?
        .ok_or_else(|| AppError::invalid("body", "body must not be empty"))
}

impl Targeted for note::Entity {
    const TARGETS: TargetColumns<note::Column> = TargetColumns {
        author: note::Column::AuthorId,
        contact: note::Column::ContactId,
        company: note::Column::CompanyId,
        lead: note::Column::LeadId,
        opportunity: note::Column::OpportunityId,
    };
}

/// Reads one note (soft-deleted ones included); `None` when absent, in another organization
/// or not visible.
pub async fn get_note(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<note::Model>> {
    require_read(auth)?;
    find_visible::<note::Entity>(db, auth, id).await
}

/// Lists the notes the caller may read: pinned first, then newest, unless ordered otherwise.
pub async fn list_notes(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<NoteFilterInput, NoteOrderByInput>,
) -> AppResult<Page<note::Model>> {
    require_read(auth)?;
    let select = args.hide_deleted(
        visible::<note::Entity>(db, auth).await?,
        note::Column::DeletedAt,
    );
    list(
        db,
        select,
        args,
        &[
            SortKey::new(note::Column::Pinned, OrderDirection::DescNullsLast),
            SortKey::new(note::Column::CreatedAt, OrderDirection::DescNullsLast),
        ],
        note::Column::Id,
    )
    .await
}

/// Writes a note authored by the caller on records they may read.
pub async fn create_note(
    store: &Store,
    auth: &AuthContext,
    input: NoteCreateInput,
) -> AppResult<note::Model> {
    require_create(auth, Area::Engagement)?;
    let title = validate::optional_text("title", input.title.as_deref(), 255)?;
    let body = body(&input.body)?;
    let targets = Targets {
        contact_id: input.contact_id,
        company_id: input.company_id,
        lead_id: input.lead_id,
        opportunity_id: input.opportunity_id,
    };
    let mut tx = Tx::begin(store, auth).await?;
    let visibility = visibility(tx.db(), auth).await?;
    check_targets(tx.db(), auth, &visibility, &targets).await?;
    let at = now();
    let created = note::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        title: Set(title),
        body: Set(body),
        pinned: Set(input.pinned.unwrap_or(false)),
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
    tx.created::<note::Entity>(&created).await?;
    tx.commit().await?;
    Ok(created)
}

/// Updates a note (its author, or a manager or administrator).
pub async fn update_note(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: NoteUpdateInput,
) -> AppResult<note::Model> {
    let mut tx = Tx::begin(store, auth).await?;
    let before = require_visible::<note::Entity>(tx.db(), auth, id).await?;
    if before.deleted_at.is_some() {
        return Err(AppError::not_found("Note"));
    }
    require_author_or_manager(auth, before.author_id)?;
    let mut model = before.clone().into_active_model();
    kernel::patch::clearable(&mut model.title, &input.title, |text| {
        validate::optional_text("title", Some(text), 255)
    })?;
    if let Some(text) = &input.body {
        model.body = Set(body(text)?);
    }
    if let Some(pinned) = input.pinned {
        model.pinned = Set(pinned);
    }
    let targets = retarget::<note::Entity>(
        tx.db(),
        auth,
        &before,
        "a note",
        [
            input.contact_id,
            input.company_id,
            input.lead_id,
            input.opportunity_id,
        ],
    )
    .await?;
    targets.set_on::<note::Entity>(&mut model);
    let after = tx.save::<note::Entity>(before, model).await?;
    tx.commit().await?;
    Ok(after)
}

// Delete and restore: its author, or a manager or administrator, among the notes they see.
impl Lifecycle for note::Entity {
    async fn require_writable(
        db: &DatabaseTransaction,
        auth: &AuthContext,
        id: Uuid,
    ) -> AppResult<note::Model> {
        let note = require_visible::<note::Entity>(db, auth, id).await?;
        require_author_or_manager(auth, note.author_id)?;
        Ok(note)
    }
}
