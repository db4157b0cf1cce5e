//! The DataLoaders of identity objects, and the lookups resolvers use.

use async_graphql::Context;
use kernel::loader::{TenantKey, TenantLoader, load_one};
use kernel::{AppResult, ContextExt};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::entity::{team, user};

/// Batches user lookups.
pub type UserLoader = kernel::loader::RequestLoader<TenantLoader<user::Entity>>;
/// Batches team lookups.
pub type TeamLoader = kernel::loader::RequestLoader<TenantLoader<team::Entity>>;

/// The loaders crm-core registers on the schema.
pub fn loaders(db: &DatabaseConnection) -> (UserLoader, TeamLoader) {
    (
        TenantLoader::new(
            db.clone(),
            user::Column::OrganizationId,
            user::Column::Id,
            user_key,
        ),
        TenantLoader::new(
            db.clone(),
            team::Column::OrganizationId,
            team::Column::Id,
            team_key,
        ),
    )
}

fn user_key(row: &user::Model) -> TenantKey {
    TenantKey {
        organization_id: row.organization_id,
        id: row.id,
    }
}

fn team_key(row: &team::Model) -> TenantKey {
    TenantKey {
        organization_id: row.organization_id,
        id: row.id,
    }
}

/// Loads one user of the organization through the request's batch.
pub async fn load_user(
    ctx: &Context<'_>,
    organization_id: Uuid,
    id: Uuid,
) -> AppResult<Option<user::Model>> {
    load_one(ctx.state::<UserLoader>()?, organization_id, id).await
}

/// Loads one team of the organization through the request's batch.
pub async fn load_team(
    ctx: &Context<'_>,
    organization_id: Uuid,
    id: Uuid,
) -> AppResult<Option<team::Model>> {
    load_one(ctx.state::<TeamLoader>()?, organization_id, id).await
}
