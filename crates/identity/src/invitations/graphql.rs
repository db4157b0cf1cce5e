//! GraphQL surface of invitations.

use async_graphql::{Context, InputObject, Object};
use kernel::db::DbEnum;
use kernel::listing::{ListArgs, ListConnection};
use kernel::scalars::Timestamp;
use kernel::{AppError, ContextExt, Role};
use uuid::Uuid;

use super::service::{self, InvitationFilterInput, InvitationOrderByInput, NewInvitation};
use crate::auth::graphql::AuthPayload;
use crate::entity::invitation;
use crate::loader::{load_team, load_user};
use crate::state::IdentityState;
use crate::teams::graphql::Team;
use crate::users::graphql::User;

/// An invitation to join the organization.
pub struct Invitation {
    model: invitation::Model,
    token: Option<String>,
}

impl Invitation {
    /// An invitation as returned by the mutation that created it (with its token) or by a
    /// query (without).
    pub fn new(model: invitation::Model, token: Option<String>) -> Self {
        Self { model, token }
    }
}

#[Object]
impl Invitation {
    async fn id(&self) -> Uuid {
        self.model.id
    }

    async fn email(&self) -> &str {
        &self.model.email
    }

    async fn role(&self) -> async_graphql::Result<Role> {
        Ok(Role::from_db(&self.model.role).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("unknown stored role {}", self.model.role))
        })?)
    }

    async fn first_name(&self) -> &str {
        &self.model.first_name
    }

    async fn last_name(&self) -> &str {
        &self.model.last_name
    }

    async fn team(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Team>> {
        match self.model.team_id {
            Some(id) => Ok(load_team(ctx, self.model.organization_id, id)
                .await?
                .map(Team)),
            None => Ok(None),
        }
    }

    async fn invited_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.model.invited_by_id {
            Some(id) => Ok(load_user(ctx, self.model.organization_id, id)
                .await?
                .map(User)),
            None => Ok(None),
        }
    }

    /// The one-time token to pass to `acceptInvitation`. Only returned by `inviteUser`; it is
    /// stored hashed and cannot be read again.
    async fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    async fn expires_at(&self) -> Timestamp {
        Timestamp(self.model.expires_at)
    }

    async fn accepted_at(&self) -> Option<Timestamp> {
        self.model.accepted_at.map(Timestamp)
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.model.created_at)
    }
}

/// Accepting an invitation.
#[derive(InputObject, Debug)]
pub struct AcceptInvitationInput {
    pub token: String,
    pub password: String,
}

/// Invitation queries.
#[derive(Default)]
pub struct InvitationQuery;

#[Object]
impl InvitationQuery {
    /// The organization's invitations (ADMIN).
    async fn invitations(
        &self,
        ctx: &Context<'_>,
        filter: Option<InvitationFilterInput>,
        order_by: Option<Vec<InvitationOrderByInput>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<ListConnection<Invitation>> {
        let args = ListArgs::new(ctx, filter, order_by, first, after, last, before);
        let page = service::list_invitations(ctx.db()?, ctx.auth()?, &args).await?;
        Ok(page.into_connection(|model| Invitation { model, token: None }))
    }
}

/// Invitation mutations.
#[derive(Default)]
pub struct InvitationMutation;

#[Object]
impl InvitationMutation {
    /// Invites someone to the organization with a role (ADMIN). The returned `token` is shown
    /// once; deliver it to the invitee.
    async fn invite_user(
        &self,
        ctx: &Context<'_>,
        data: NewInvitation,
    ) -> async_graphql::Result<Invitation> {
        let (model, token) = service::invite_user(ctx.store()?, ctx.auth()?, data).await?;
        Ok(Invitation {
            model,
            token: Some(token),
        })
    }

    /// Accepts an invitation with a password of your choice, and signs you in.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        data: AcceptInvitationInput,
    ) -> async_graphql::Result<AuthPayload> {
        let state = ctx.state::<IdentityState>()?;
        Ok(AuthPayload(
            service::accept_invitation(state, ctx.client_addr(), &data.token, data.password)
                .await?,
        ))
    }
}
