//! GraphQL surface of authentication: `register`, `login`, `refreshToken`, `logout`.

use async_graphql::{Context, InputObject, Object};
use kernel::ContextExt;

use super::service::{self, Registration, SignedIn};
use crate::organizations::graphql::Organization;
use crate::state::IdentityState;
use crate::users::graphql::User;

/// Tokens and the signed-in user. Send `token` as `Authorization: Bearer <token>`; exchange
/// `refreshToken` with `refreshToken(token:)` before the access token expires (15 minutes).
pub struct AuthPayload(pub SignedIn);

#[Object]
impl AuthPayload {
    /// The access token (JWT, 15 minutes).
    async fn token(&self) -> &str {
        &self.0.token
    }

    /// A one-time refresh token (30 days), rotated on every use.
    async fn refresh_token(&self) -> &str {
        &self.0.refresh_token
    }

    async fn user(&self) -> User {
        User(self.0.user.clone())
    }

    async fn organization(&self) -> Organization {
        Organization(self.0.organization.clone())
    }
}

/// A new organization and its first administrator.
#[derive(InputObject, Debug)]
pub struct RegisterInput {
    pub organization_name: String,
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
}

/// Credentials.
#[derive(InputObject, Debug)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

/// Authentication mutations.
#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Creates an organization with you as its administrator, and signs you in.
    async fn register(
        &self,
        ctx: &Context<'_>,
        data: RegisterInput,
    ) -> async_graphql::Result<AuthPayload> {
        let state = ctx.state::<IdentityState>()?;
        let registration = Registration {
            organization_name: data.organization_name,
            email: data.email,
            password: data.password,
            first_name: data.first_name,
            last_name: data.last_name,
        };
        Ok(AuthPayload(
            service::register(state, ctx.client_addr(), registration).await?,
        ))
    }

    /// Signs in. Rate-limited per account and per client address.
    async fn login(
        &self,
        ctx: &Context<'_>,
        data: LoginInput,
    ) -> async_graphql::Result<AuthPayload> {
        let state = ctx.state::<IdentityState>()?;
        Ok(AuthPayload(
            service::login(state, ctx.client_addr(), &data.email, data.password).await?,
        ))
    }

    /// Exchanges a refresh token for a new access and refresh token. A refresh token works
    /// once; presenting a used one ends every session rotated from the same sign-in.
    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> async_graphql::Result<AuthPayload> {
        let state = ctx.state::<IdentityState>()?;
        Ok(AuthPayload(service::refresh_session(state, &token).await?))
    }

    /// Signs out everywhere: refresh tokens are revoked and current access tokens stop working.
    async fn logout(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let auth = ctx.auth()?;
        let state = ctx.state::<IdentityState>()?;
        Ok(service::logout(state, auth).await?)
    }
}
