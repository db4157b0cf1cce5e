//! Services and traffic sources: two settings lists of the same shape (name, description,
//! position), read and written by one generic implementation. Only deleting differs (a service
//! is linked to contacts through a link table, a traffic source through a column), so that stays
//! with each list in `service.rs`.

use async_graphql::MaybeUndefined;
use identity::audit::Tx;
use kernel::db::now;
use kernel::object::TenantObject;
use kernel::position::next_position;
use kernel::{AppResult, AuthContext, DbResultExt, Store, TenantScope, validate};
use sea_orm::Condition;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, ModelTrait, QueryOrder, Value,
};
use uuid::Uuid;

use crate::crm::access::{require_configure, require_read};
use crate::entity::{service, traffic_source};

/// A new service or traffic source.
#[derive(Debug, Clone)]
pub struct NewListEntry {
    pub name: String,
    pub description: Option<String>,
    pub position: Option<i32>,
}

/// Changes to a service or traffic source.
#[derive(Debug, Clone, Default)]
pub struct ListEntryUpdate {
    pub name: Option<String>,
    pub description: MaybeUndefined<String>,
    pub position: Option<i32>,
}

/// A settings list whose entries have a name, a description and a position; a tenant object
/// (`kernel::object`) for its id, organization and label.
pub trait ListEntryEntity: TenantObject {
    /// The `CONFLICT` message for a name already taken.
    const TAKEN: &'static str;
    const NAME: Self::Column;
    const DESCRIPTION: Self::Column;
    const POSITION: Self::Column;
    const CREATED_AT: Self::Column;
}

macro_rules! list_entry {
    ($module:ident, $taken:literal) => {
        impl ListEntryEntity for $module::Entity {
            const TAKEN: &'static str = $taken;
            const NAME: $module::Column = $module::Column::Name;
            const DESCRIPTION: $module::Column = $module::Column::Description;
            const POSITION: $module::Column = $module::Column::Position;
            const CREATED_AT: $module::Column = $module::Column::CreatedAt;
        }
    };
}

list_entry!(service, "a service with this name already exists");
list_entry!(
    traffic_source,
    "a traffic source with this name already exists"
);

/// One entry of the organization, or `None`.
pub async fn find_entry<E: ListEntryEntity>(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    id: Uuid,
) -> AppResult<Option<E::Model>> {
    E::find_in(db, scope, id).await
}

/// One entry of the organization, or `NOT_FOUND`.
pub async fn require_entry<E: ListEntryEntity>(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    id: Uuid,
) -> AppResult<E::Model> {
    E::require_in(db, scope, id).await
}

/// The organization's entries, by position then name (staff).
pub async fn list_entries<E: ListEntryEntity>(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
) -> AppResult<Vec<E::Model>> {
    require_read(auth)?;
    Ok(E::scoped(auth.scope())
        .order_by_asc(E::POSITION)
        .order_by_asc(E::NAME)
        .all(db)
        .await?)
}

/// Creates an entry (MANAGER, ADMIN); without a position it goes last.
pub async fn create_entry<E: ListEntryEntity>(
    store: &Store,
    auth: &AuthContext,
    input: NewListEntry,
) -> AppResult<E::Model> {
    require_configure(auth)?;
    let name = validate::required_text("name", &input.name, 100)?;
    let description = validate::long_text("description", input.description.as_deref(), 5000)?;
    let position = validate::int_range("position", input.position, 0, 100_000)?;
    let mut tx = Tx::begin(store, auth).await?;
    let position = match position {
        Some(position) => position,
        None => next_position::<E>(tx.db(), auth.scope(), E::POSITION, Condition::all()).await?,
    };
    let at = now();
    let mut model = E::ActiveModel::default();
    model.set(E::ID, Uuid::now_v7().into());
    model.set(E::ORGANIZATION_ID, auth.organization_id.into());
    model.set(E::NAME, name.into());
    model.set(E::DESCRIPTION, description.into());
    model.set(E::POSITION, position.into());
    model.set(E::CREATED_AT, at.into());
    if let Some(updated_at) = E::UPDATED_AT {
        model.set(updated_at, at.into());
    }
    let created = model.insert(tx.db()).await.on_unique_violation(E::TAKEN)?;
    tx.created::<E>(&created).await?;
    tx.commit().await?;
    Ok(created)
}

/// Updates an entry (MANAGER, ADMIN); absent fields stay as they are.
pub async fn update_entry<E: ListEntryEntity>(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: ListEntryUpdate,
) -> AppResult<E::Model> {
    require_configure(auth)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = require_entry::<E>(tx.db(), auth.scope(), id).await?;
    let mut model = before.clone().into_active_model();
    if let Some(name) = &input.name {
        let name = validate::required_text("name", name, 100)?;
        set_if_changed::<E>(&mut model, &before, E::NAME, name.into());
    }
    match &input.description {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => {
            set_if_changed::<E>(
                &mut model,
                &before,
                E::DESCRIPTION,
                Option::<String>::None.into(),
            );
        }
        MaybeUndefined::Value(text) => {
            let text = validate::long_text("description", Some(text), 5000)?;
            set_if_changed::<E>(&mut model, &before, E::DESCRIPTION, text.into());
        }
    }
    if let Some(position) = validate::int_range("position", input.position, 0, 100_000)? {
        set_if_changed::<E>(&mut model, &before, E::POSITION, position.into());
    }
    let after = tx.save_unique::<E>(before, model, E::TAKEN).await?;
    tx.commit().await?;
    Ok(after)
}

/// Sets `column` only when the value differs, so an update that changes nothing writes nothing
/// (and records no audit row), as `ActiveModel` setters of unchanged values would.
fn set_if_changed<E: EntityTrait>(
    model: &mut E::ActiveModel,
    before: &E::Model,
    column: E::Column,
    value: Value,
) where
    E::ActiveModel: ActiveModelTrait<Entity = E>,
{
    if before.get(column) != value {
        model.set(column, value);
    }
}
