//! A DataLoader for any tenant-owned entity. Keys carry the organization, so a batch can never
//! return an object of another tenant. Loaders are created per request (or per subscription
//! connection) with a cache: within a request each object is loaded at most once, even when
//! resolvers ask for it after its first batch has been sent; nothing outlives the request.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{Condition, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::db::uuid_in;
use crate::error::{AppError, AppResult};

/// An object id within one organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TenantKey {
    pub organization_id: Uuid,
    pub id: Uuid,
}

/// Loads rows of `E` by [`TenantKey`].
pub struct TenantLoader<E: EntityTrait> {
    db: DatabaseConnection,
    organization_column: E::Column,
    id_column: E::Column,
    key_of: fn(&E::Model) -> TenantKey,
}

impl<E: EntityTrait> TenantLoader<E> {
    /// A loader over the entity's organization and id columns; `key_of` reads a row's key.
    pub fn new(
        db: DatabaseConnection,
        organization_column: E::Column,
        id_column: E::Column,
        key_of: fn(&E::Model) -> TenantKey,
    ) -> RequestLoader<Self> {
        data_loader(Self {
            db,
            organization_column,
            id_column,
            key_of,
        })
    }
}

/// A per-request DataLoader with its cache.
pub type RequestLoader<T> = DataLoader<T, HashMapCache>;

/// Spawns a DataLoader batch on the Tokio runtime.
pub fn spawn_batch(batch: futures_util::future::BoxFuture<'static, ()>) {
    tokio::spawn(batch);
}

/// A per-request DataLoader with the project's spawner (async-graphql's 1 ms batching window).
pub fn data_loader<T>(loader: T) -> RequestLoader<T> {
    DataLoader::with_cache(loader, spawn_batch, HashMapCache::default())
}

/// `(organization_id = ? AND id IN (...)) OR ...`, one group per organization in the batch
/// (the id list as [`uuid_in`] writes it, so batches of any size share one statement).
pub fn tenant_condition(
    backend: DbBackend,
    keys: &[TenantKey],
    organization_column: impl Into<Expr> + Clone,
    id_column: impl Into<Expr> + Clone,
) -> Condition {
    let mut by_organization: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for key in keys {
        by_organization
            .entry(key.organization_id)
            .or_default()
            .push(key.id);
    }
    by_organization
        .into_iter()
        .fold(Condition::any(), |any, (organization, ids)| {
            any.add(
                Condition::all()
                    .add(organization_column.clone().into().eq(organization))
                    .add(uuid_in(backend, id_column.clone(), &ids)),
            )
        })
}

impl<E> Loader<TenantKey> for TenantLoader<E>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
    E::Column: Send + Sync,
{
    type Value = E::Model;
    type Error = Arc<DbErr>;

    #[expect(
        clippy::disallowed_methods,
        reason = "the batch condition (tenant_condition) pairs every key with its organization"
    )]
    async fn load(&self, keys: &[TenantKey]) -> Result<HashMap<TenantKey, E::Model>, Arc<DbErr>> {
        let rows = E::find()
            .filter(tenant_condition(
                self.db.get_database_backend(),
                keys,
                Expr::col(self.organization_column),
                Expr::col(self.id_column),
            ))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| ((self.key_of)(&row), row))
            .collect())
    }
}

/// Loads one object through the request's batch.
pub async fn load_one<E>(
    loader: &RequestLoader<TenantLoader<E>>,
    organization_id: Uuid,
    id: Uuid,
) -> AppResult<Option<E::Model>>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
    E::Column: Send + Sync,
{
    loader
        .load_one(TenantKey {
            organization_id,
            id,
        })
        .await
        .map_err(|err| AppError::internal(anyhow::anyhow!("loader query failed: {err}")))
}

/// Loads many keys in one batch and keeps them in the request's cache, so the per-object
/// resolvers that follow find them there. List resolvers call it for the relations a query
/// selects: the number of statements then stays the same whatever the page size, however the
/// resolvers' own loads happen to fall into batches. The keys go straight to the loader:
/// `load_many` would first wait out the DataLoader's batching delay (1 ms on async-io's timer
/// thread, a wake-up of another thread per batch) for keys that are all known already.
pub async fn prime<T>(
    loader: &RequestLoader<T>,
    keys: impl IntoIterator<Item = TenantKey>,
) -> AppResult<()>
where
    T: Loader<TenantKey, Error = Arc<DbErr>>,
{
    let keys: Vec<TenantKey> = keys
        .into_iter()
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    let values = loader
        .loader()
        .load(&keys)
        .await
        .map_err(|err| AppError::internal(anyhow::anyhow!("loader query failed: {err}")))?;
    loader.feed_many(values).await;
    Ok(())
}
