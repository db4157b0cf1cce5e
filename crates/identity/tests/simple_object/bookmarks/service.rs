//! Database work and rules for bookmarks: staff read and write them, administrators destroy.

use async_graphql::InputObject;
use identity::audit::Tx;
use identity::audit::lifecycle::Lifecycle;
use kernel::db::now;
use kernel::listing::{ListArgs, OrderDirection, Page, SortKey, list};
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppResult, AuthContext, Store, validate};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseTransaction, IntoActiveModel, Set};
use uuid::Uuid;

use super::entity as bookmark;

kernel::entity_filter! {
    /// Filters bookmarks.
    pub struct BookmarkFilterInput {
        id: UuidFilter => bookmark::Column::Id,
        title: StringFilter => bookmark::Column::Title,
        url: StringFilter => bookmark::Column::Url,
        created_at: DateTimeFilter => bookmark::Column::CreatedAt,
        deleted_at: DateTimeFilter => bookmark::Column::DeletedAt,
    }
}

kernel::entity_order_by! {
    /// Orders bookmarks.
    pub struct BookmarkOrderByInput for bookmark::Entity {
        title => bookmark::Column::Title,
        created_at => bookmark::Column::CreatedAt,
    }
}

/// A new bookmark.
#[derive(InputObject, Debug, Clone)]
pub struct BookmarkCreateInput {
    pub title: String,
    /// An http(s) address.
    pub url: String,
}

/// Changes to a bookmark; absent fields stay as they are.
#[derive(InputObject, Debug, Clone, Default)]
pub struct BookmarkUpdateInput {
    pub title: Option<String>,
    pub url: Option<String>,
}

fn url(value: &str) -> AppResult<String> {
    let url = validate::url("url", Some(value), 2048)?;
    Ok(url.unwrap_or_default())
}

/// One bookmark of the organization (soft-deleted ones included), or `None`.
pub async fn get_bookmark(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<bookmark::Model>> {
    auth.require_staff()?;
    bookmark::Entity::find_in(db, auth.scope(), id).await
}

/// The organization's bookmarks, newest first unless ordered otherwise.
pub async fn list_bookmarks(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<BookmarkFilterInput, BookmarkOrderByInput>,
) -> AppResult<Page<bookmark::Model>> {
    auth.require_staff()?;
    let select = args.hide_deleted(
        bookmark::Entity::scoped(auth.scope()),
        bookmark::Column::DeletedAt,
    );
    let newest = SortKey::new(bookmark::Column::CreatedAt, OrderDirection::DescNullsLast);
    list(db, select, args, &[newest], bookmark::Column::Id).await
}

/// Saves a bookmark.
pub async fn create_bookmark(
    store: &Store,
    auth: &AuthContext,
    input: BookmarkCreateInput,
) -> AppResult<bookmark::Model> {
    auth.require_staff()?;
    let title = validate::required_text("title", &input.title, 255)?;
    let url = url(&input.url)?;
    let mut tx = Tx::begin(store, auth).await?;
    let at = now();
    let created = bookmark::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        title: Set(title),
        url: Set(url),
        created_at: Set(at),
        updated_at: Set(at),
        deleted_at: Set(None),
    }
    .insert(tx.db())
    .await?;
    tx.created::<bookmark::Entity>(&created).await?;
    tx.commit().await?;
    Ok(created)
}

/// Changes a bookmark.
pub async fn update_bookmark(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: BookmarkUpdateInput,
) -> AppResult<bookmark::Model> {
    let mut tx = Tx::begin(store, auth).await?;
    let before = bookmark::Entity::require_writable(tx.db(), auth, id).await?;
    let mut model = before.clone().into_active_model();
    if let Some(title) = &input.title {
        model.title = Set(validate::required_text("title", title, 255)?);
    }
    if let Some(address) = &input.url {
        model.url = Set(url(address)?);
    }
    let after = tx.save::<bookmark::Entity>(before, model).await?;
    tx.commit().await?;
    Ok(after)
}

// Staff change bookmarks; administrators destroy them (the default).
impl Lifecycle for bookmark::Entity {
    async fn require_writable(
        db: &DatabaseTransaction,
        auth: &AuthContext,
        id: Uuid,
    ) -> AppResult<bookmark::Model> {
        auth.require_staff()?;
        bookmark::Entity::require_in(db, auth.scope(), id).await
    }
}
