//! DataLoaders for users and teams. Keys carry the organization, so a batch can never return
//! an object of another tenant; loaders keep no cache, so nothing outlives a request.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use kernel::{AppError, AppResult, ContextExt};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::{team, user};

/// An object id within one organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TenantKey {
    pub organization_id: Uuid,
    pub id: Uuid,
}

/// Groups keys by organization into one `(organization_id = ? AND id IN (...)) OR ...` condition.
fn tenant_condition<C: ColumnTrait>(keys: &[TenantKey], org_column: C, id_column: C) -> Condition {
    let mut by_org: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for key in keys {
        by_org.entry(key.organization_id).or_default().push(key.id);
    }
    by_org
        .into_iter()
        .fold(Condition::any(), |any, (org, ids)| {
            any.add(
                Condition::all()
                    .add(org_column.eq(org))
                    .add(id_column.is_in(ids)),
            )
        })
}

/// Loads users by id.
pub struct UserLoader(pub DatabaseConnection);

impl Loader<TenantKey> for UserLoader {
    type Value = user::Model;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[TenantKey],
    ) -> Result<HashMap<TenantKey, user::Model>, Arc<DbErr>> {
        let rows = user::Entity::find()
            .filter(tenant_condition(
                keys,
                user::Column::OrganizationId,
                user::Column::Id,
            ))
            .all(&self.0)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                (
                    TenantKey {
                        organization_id: row.organization_id,
                        id: row.id,
                    },
                    row,
                )
            })
            .collect())
    }
}

/// Loads teams by id.
pub struct TeamLoader(pub DatabaseConnection);

impl Loader<TenantKey> for TeamLoader {
    type Value = team::Model;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[TenantKey],
    ) -> Result<HashMap<TenantKey, team::Model>, Arc<DbErr>> {
        let rows = team::Entity::find()
            .filter(tenant_condition(
                keys,
                team::Column::OrganizationId,
                team::Column::Id,
            ))
            .all(&self.0)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                (
                    TenantKey {
                        organization_id: row.organization_id,
                        id: row.id,
                    },
                    row,
                )
            })
            .collect())
    }
}

/// The loaders crm-core registers on the schema.
pub fn loaders(db: &DatabaseConnection) -> (DataLoader<UserLoader>, DataLoader<TeamLoader>) {
    (
        DataLoader::new(UserLoader(db.clone()), tokio::spawn),
        DataLoader::new(TeamLoader(db.clone()), tokio::spawn),
    )
}

fn loader_error(err: Arc<DbErr>) -> AppError {
    AppError::internal(anyhow::anyhow!("loader query failed: {err}"))
}

/// Loads one user of the organization through the request's batch.
pub async fn load_user(
    ctx: &Context<'_>,
    organization_id: Uuid,
    id: Uuid,
) -> AppResult<Option<user::Model>> {
    ctx.state::<DataLoader<UserLoader>>()?
        .load_one(TenantKey {
            organization_id,
            id,
        })
        .await
        .map_err(loader_error)
}

/// Loads one team of the organization through the request's batch.
pub async fn load_team(
    ctx: &Context<'_>,
    organization_id: Uuid,
    id: Uuid,
) -> AppResult<Option<team::Model>> {
    ctx.state::<DataLoader<TeamLoader>>()?
        .load_one(TenantKey {
            organization_id,
            id,
        })
        .await
        .map_err(loader_error)
}
