//! Database work and rules for teams.

use async_graphql::{InputObject, MaybeUndefined};
use kernel::db::now;
use kernel::events::Action;
use kernel::listing::{ListArgs, OrderDirection, Page, SortKey, list};
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppResult, AuthContext, DbResultExt, Store, validate};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, IntoActiveModel, QueryFilter, Set};
use uuid::Uuid;

use crate::audit::Tx;
use crate::entity::{invitation, team, user};

kernel::entity_filter! {
    /// Filters teams.
    pub struct TeamFilterInput {
        id: UuidFilter => team::Column::Id,
        name: StringFilter => team::Column::Name,
        lead_id: UuidFilter => team::Column::LeadId,
        created_at: DateTimeFilter => team::Column::CreatedAt,
    }
}

kernel::entity_order_by! {
    /// Orders teams.
    pub struct TeamOrderByInput for team::Entity {
        name => team::Column::Name,
        created_at => team::Column::CreatedAt,
    }
}

const NAME_TAKEN: &str = "a team with this name already exists";

/// A new team.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "TeamCreateInput")]
pub struct NewTeam {
    pub name: String,
    pub description: Option<String>,
    pub lead_id: Option<Uuid>,
}

/// Changes to a team.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "TeamUpdateInput")]
pub struct TeamUpdate {
    pub name: Option<String>,
    pub description: MaybeUndefined<String>,
    pub lead_id: MaybeUndefined<Uuid>,
}

/// Reads one team (staff only).
pub async fn get_team(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<team::Model>> {
    auth.require_staff()?;
    team::Entity::find_in(db, auth.scope(), id).await
}

/// Lists the organization's teams (staff only).
pub async fn list_teams(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<TeamFilterInput, TeamOrderByInput>,
) -> AppResult<Page<team::Model>> {
    auth.require_staff()?;
    let select = team::Entity::scoped(auth.scope());
    list(
        db,
        select,
        args,
        &[SortKey::new(
            team::Column::Name,
            OrderDirection::AscNullsLast,
        )],
        team::Column::Id,
    )
    .await
}

/// Creates a team (managers and administrators).
pub async fn create_team(
    store: &Store,
    auth: &AuthContext,
    input: NewTeam,
) -> AppResult<team::Model> {
    auth.require_manager()?;
    let name = validate::required_text("name", &input.name, 255)?;
    let description = validate::long_text("description", input.description.as_deref(), 5000)?;
    let mut tx = Tx::begin(store, auth).await?;
    if let Some(lead_id) = input.lead_id {
        user::Entity::require_in(tx.db(), auth.scope(), lead_id).await?;
    }
    let at = now();
    let created = team::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        name: Set(name),
        description: Set(description),
        lead_id: Set(input.lead_id),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(tx.db())
    .await
    .on_unique_violation(NAME_TAKEN)?;
    tx.created::<team::Entity>(&created).await?;
    tx.commit().await?;
    Ok(created)
}

/// Updates a team (managers and administrators).
pub async fn update_team(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: TeamUpdate,
) -> AppResult<team::Model> {
    auth.require_manager()?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = team::Entity::require_in(tx.db(), auth.scope(), id).await?;
    let mut model = before.clone().into_active_model();
    if let Some(name) = &input.name {
        model.name = Set(validate::required_text("name", name, 255)?);
    }
    kernel::patch::clearable(&mut model.description, &input.description, |text| {
        validate::long_text("description", Some(text), 5000)
    })?;
    kernel::patch::reference(&mut model.lead_id, &input.lead_id, |lead_id| {
        user::Entity::require_in(tx.db(), auth.scope(), lead_id)
    })
    .await?;
    let after = tx
        .save_unique::<team::Entity>(before, model, NAME_TAKEN)
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// Deletes a team (managers and administrators); its members and pending invitations are left
/// without a team rather than deleted.
pub async fn delete_team(store: &Store, auth: &AuthContext, id: Uuid) -> AppResult<Uuid> {
    auth.require_manager()?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = team::Entity::require_in(tx.db(), auth.scope(), id).await?;
    user::Entity::update_scoped(auth.scope())
        .col_expr(user::Column::TeamId, Expr::value(Option::<Uuid>::None))
        .filter(user::Column::TeamId.eq(id))
        .exec(tx.db())
        .await?;
    invitation::Entity::update_scoped(auth.scope())
        .col_expr(
            invitation::Column::TeamId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(invitation::Column::TeamId.eq(id))
        .exec(tx.db())
        .await?;
    tx.remove::<team::Entity>(&before, Action::Delete).await?;
    tx.commit().await?;
    Ok(id)
}
