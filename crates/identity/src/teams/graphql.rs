//! GraphQL surface of teams.

use async_graphql::{Context, Object};
use kernel::ContextExt;
use kernel::listing::{ListArgs, ListConnection, UuidFilter};
use kernel::scalars::Timestamp;
use uuid::Uuid;

use super::service::{self, NewTeam, TeamFilterInput, TeamOrderByInput, TeamUpdate};
use crate::entity::team;
use crate::loader::load_user;
use crate::users::graphql::User;
use crate::users::service::{UserFilterInput, UserOrderByInput, list_users};

/// A group of users.
pub struct Team(pub team::Model);

#[Object]
impl Team {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn lead_id(&self) -> Option<Uuid> {
        self.0.lead_id
    }

    /// The team lead.
    async fn lead(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.lead_id {
            Some(id) => Ok(load_user(ctx, self.0.organization_id, id).await?.map(User)),
            None => Ok(None),
        }
    }

    /// The team's members.
    async fn members(
        &self,
        ctx: &Context<'_>,
        order_by: Option<Vec<UserOrderByInput>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<ListConnection<User>> {
        let filter = UserFilterInput {
            team_id: Some(UuidFilter {
                eq: Some(self.0.id),
                ..Default::default()
            }),
            ..Default::default()
        };
        let args = ListArgs::new(ctx, Some(filter), order_by, first, after, last, before);
        let page = list_users(ctx.db()?, ctx.auth()?, &args).await?;
        Ok(page.into_connection(User))
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }
}

crate::object_queries! {
    /// Team queries.
    pub struct TeamQuery for Team;
    /// One team of the caller's organization; null if absent.
    get team = service::get_team;
    /// The teams of the caller's organization.
    list teams(TeamFilterInput, TeamOrderByInput) = service::list_teams;
}

/// Team mutations.
#[derive(Default)]
pub struct TeamMutation;

#[Object]
impl TeamMutation {
    /// Creates a team (MANAGER, ADMIN).
    async fn create_team(&self, ctx: &Context<'_>, data: NewTeam) -> async_graphql::Result<Team> {
        Ok(Team(
            service::create_team(ctx.store()?, ctx.auth()?, data).await?,
        ))
    }

    /// Updates a team (MANAGER, ADMIN).
    async fn update_team(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: TeamUpdate,
    ) -> async_graphql::Result<Team> {
        Ok(Team(
            service::update_team(ctx.store()?, ctx.auth()?, id, data).await?,
        ))
    }

    /// Deletes a team (MANAGER, ADMIN); its members stay, without a team.
    async fn delete_team(&self, ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Uuid> {
        Ok(service::delete_team(ctx.store()?, ctx.auth()?, id).await?)
    }
}
