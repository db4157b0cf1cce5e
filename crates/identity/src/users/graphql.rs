//! GraphQL surface of users: `me`, `users`, `user`, administration and self-service.

use async_graphql::{Context, InputObject, Object};
use kernel::foreign::Foreign;
use kernel::object::TenantObject;
use kernel::scalars::Timestamp;
use kernel::{ContextExt, Role};
use uuid::Uuid;

use super::service::{self, ProfileUpdate, UserFilterInput, UserOrderByInput, UserUpdate};
use crate::auth::graphql::AuthPayload;
use crate::auth::service as auth_service;
use crate::entity::user;
use crate::hooks::ContactType;
use crate::loader::{load_team, load_user};
use crate::organizations::graphql::Organization;
use crate::organizations::service::get_organization;
use crate::state::IdentityState;
use crate::teams::graphql::Team;

/// A person who signs in: staff of an organization, or a client portal user.
pub struct User(pub user::Model);

impl From<user::Model> for User {
    fn from(model: user::Model) -> Self {
        Self(model)
    }
}

#[Object]
impl User {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn first_name(&self) -> &str {
        &self.0.first_name
    }

    async fn last_name(&self) -> &str {
        &self.0.last_name
    }

    /// First and last name.
    async fn full_name(&self) -> String {
        format!("{} {}", self.0.first_name, self.0.last_name)
    }

    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    async fn avatar_url(&self) -> Option<&str> {
        self.0.avatar_url.as_deref()
    }

    async fn role(&self) -> async_graphql::Result<Role> {
        Ok(service::role_of(&self.0)?)
    }

    async fn job_title(&self) -> Option<&str> {
        self.0.job_title.as_deref()
    }

    async fn department(&self) -> Option<&str> {
        self.0.department.as_deref()
    }

    /// IANA time zone.
    async fn timezone(&self) -> &str {
        &self.0.timezone
    }

    /// Language preference (BCP 47).
    async fn locale(&self) -> &str {
        &self.0.locale
    }

    async fn team_id(&self) -> Option<Uuid> {
        self.0.team_id
    }

    async fn team(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Team>> {
        match self.0.team_id {
            Some(id) => Ok(load_team(ctx, self.0.organization_id, id).await?.map(Team)),
            None => Ok(None),
        }
    }

    async fn manager_id(&self) -> Option<Uuid> {
        self.0.manager_id
    }

    /// The user this user reports to.
    async fn manager(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.manager_id {
            Some(id) => Ok(load_user(ctx, self.0.organization_id, id).await?.map(User)),
            None => Ok(None),
        }
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        let store = ctx.store()?;
        let scope = user::Entity::scope_of(&self.0);
        Ok(Organization(get_organization(&store.db, scope).await?))
    }

    /// The contact a client portal user is linked to (null for staff users). Clients see only
    /// their own; staff see it when the contact is visible to them.
    async fn contact(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Foreign<ContactType>>> {
        let state = ctx.state::<IdentityState>()?;
        state.hooks().contact_of_user(ctx, &self.0).await
    }

    /// Whether the user can sign in.
    async fn is_active(&self) -> bool {
        self.0.is_active
    }

    /// Staff (as opposed to client portal users).
    async fn is_staff(&self) -> bool {
        self.0.is_staff
    }

    /// Platform operator.
    async fn is_superuser(&self) -> bool {
        self.0.is_superuser
    }

    async fn last_login(&self) -> Option<Timestamp> {
        self.0.last_login.map(Timestamp)
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }
}

/// A password change.
#[derive(InputObject, Debug)]
pub struct ChangePasswordInput {
    pub current_password: String,
    pub new_password: String,
}

crate::object_queries! {
    /// User queries.
    pub struct UserCrudQuery for User;
    /// One user of the caller's organization; null if absent.
    get user = service::get_user;
    /// The users of the caller's organization.
    list users(UserFilterInput, UserOrderByInput) = service::list_users;
}

/// User queries.
#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        let auth = ctx.auth()?;
        let store = ctx.store()?;
        Ok(User(
            user::Entity::require_in(&store.db, auth.scope(), auth.user_id).await?,
        ))
    }
}

/// User mutations.
#[derive(Default)]
pub struct UserMutation;

#[Object]
impl UserMutation {
    /// Changes a user's role, team, manager, status or job (ADMIN). Nobody but a SUPER_ADMIN
    /// can grant SUPER_ADMIN.
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: UserUpdate,
    ) -> async_graphql::Result<User> {
        let auth = ctx.auth()?;
        let state = ctx.state::<IdentityState>()?;
        Ok(User(service::update_user(state, auth, id, data).await?))
    }

    /// Deactivates a user (ADMIN): they can no longer sign in and their sessions end.
    async fn delete_user(&self, ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<User> {
        let auth = ctx.auth()?;
        let state = ctx.state::<IdentityState>()?;
        Ok(User(service::deactivate_user(state, auth, id).await?))
    }

    /// Updates the caller's own profile.
    async fn update_me(
        &self,
        ctx: &Context<'_>,
        data: ProfileUpdate,
    ) -> async_graphql::Result<User> {
        let auth = ctx.auth()?;
        let state = ctx.state::<IdentityState>()?;
        Ok(User(service::update_me(state, auth, data).await?))
    }

    /// Changes the caller's password. Every other session ends; the returned tokens continue
    /// this one.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        data: ChangePasswordInput,
    ) -> async_graphql::Result<AuthPayload> {
        let auth = ctx.auth()?;
        let state = ctx.state::<IdentityState>()?;
        let user =
            service::change_password(state, auth, data.current_password, data.new_password).await?;
        let signed_in = auth_service::sign_in_again(state, user).await?;
        Ok(AuthPayload(signed_in))
    }
}
