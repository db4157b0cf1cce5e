//! Authentication flows. Failures say as little as possible: an unknown e-mail and a wrong
//! password give the same error after the same amount of work.

use std::net::IpAddr;

use kernel::db::now;
use kernel::events::Action;
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppError, AppResult, AuthContext, Role, validate};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::audit::Tx;
use crate::entity::{organization, user};
use crate::organizations::service::{self as organizations, NewOrganization};
use crate::password::verify_password;
use crate::refresh::{self, Presented};
use crate::state::IdentityState;
use crate::users::service::role_of;

/// What a successful sign-in returns.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub token: String,
    pub refresh_token: String,
    pub user: user::Model,
    pub organization: organization::Model,
}

/// Self-service registration input.
#[derive(Debug, Clone)]
pub struct Registration {
    pub organization_name: String,
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
}

const BAD_CREDENTIALS: &str = "invalid e-mail or password";

/// Issues an access token and a refresh token (in `family`, or a new one) inside `tx`, commits
/// it, and returns the signed-in session.
pub async fn sign_in(
    state: &IdentityState,
    tx: Tx<'_>,
    user: user::Model,
    organization: organization::Model,
    family: Option<uuid::Uuid>,
) -> AppResult<SignedIn> {
    let scope = user::Entity::scope_of(&user);
    let token = state.tokens().issue(
        user.id,
        user.organization_id,
        role_of(&user)?,
        user.session_version,
    )?;
    let refresh_token = refresh::issue(tx.db(), scope, user.id, family).await?;
    tx.commit().await?;
    Ok(SignedIn {
        token,
        refresh_token,
        user,
        organization,
    })
}

/// Creates an organization and its first administrator, and signs them in.
pub async fn register(
    state: &IdentityState,
    client: Option<IpAddr>,
    input: Registration,
) -> AppResult<SignedIn> {
    if !state.allows_registration() {
        return Err(AppError::forbidden(
            "sign-up of new organizations is closed on this server; ask its operator (crm create-organization)",
        ));
    }
    state.limiter().check(None, client)?;
    let (organization, user) = organizations::create_organization(
        state,
        NewOrganization {
            name: input.organization_name,
            email: input.email,
            password: input.password,
            first_name: input.first_name,
            last_name: input.last_name,
            role: Role::Admin,
        },
    )
    .await?;
    let tx = Tx::begin_as(
        state.store(),
        organization::Entity::scope_of(&organization),
        Some(user.id),
    )
    .await?;
    sign_in(state, tx, user, organization, None).await
}

/// Signs in with e-mail and password.
#[expect(
    clippy::disallowed_methods,
    reason = "sign-in finds the account by e-mail across organizations; the account names its organization"
)]
pub async fn login(
    state: &IdentityState,
    client: Option<IpAddr>,
    email: &str,
    password: String,
) -> AppResult<SignedIn> {
    let email =
        validate::email("email", email).map_err(|_| AppError::unauthenticated(BAD_CREDENTIALS))?;
    state.limiter().check(Some(&email), client)?;
    if password.len() > 1024 {
        // No stored password is that long; refuse without spending a hash on it.
        return Err(AppError::unauthenticated(BAD_CREDENTIALS));
    }
    let db = &state.store().db;
    // Across organizations on purpose: sign-in is by e-mail, which is unique across them.
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await?;
    let stored_hash = found.as_ref().map(|u| u.password_hash.clone());
    if !verify_password(password, stored_hash).await? {
        return Err(AppError::unauthenticated(BAD_CREDENTIALS));
    }
    let Some(user) = found else {
        return Err(AppError::unauthenticated(BAD_CREDENTIALS));
    };
    let organization = organization::Entity::find_by_id(user.organization_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::unauthenticated(BAD_CREDENTIALS))?;
    if !user.is_active || !organization.is_active {
        return Err(AppError::unauthenticated("this account is deactivated"));
    }
    let mut tx = Tx::begin_as(
        state.store(),
        organization::Entity::scope_of(&organization),
        Some(user.id),
    )
    .await?;
    let at = now();
    user::Entity::update_many()
        .col_expr(user::Column::LastLogin, Expr::value(at))
        .filter(user::Column::Id.eq(user.id))
        .exec(tx.db())
        .await?;
    tx.occurred::<user::Entity>(Action::Login, user.id).await?;
    let user = user::Model {
        last_login: Some(at),
        ..user
    };
    sign_in(state, tx, user, organization, None).await
}

/// Exchanges a refresh token for a new pair. Reusing a token revokes its whole family.
#[expect(
    clippy::disallowed_methods,
    reason = "the refresh token is the credential; its row names the user and organization"
)]
pub async fn refresh_session(state: &IdentityState, presented: &str) -> AppResult<SignedIn> {
    let refused = || AppError::unauthenticated("invalid or expired refresh token");
    let txn = kernel::db::begin_write(&state.store().db).await?;
    let row = match refresh::consume(&txn, presented).await? {
        Presented::Valid(row) => row,
        Presented::Reused => {
            txn.commit().await?;
            tracing::warn!("refresh token reused; its family was revoked");
            return Err(refused());
        }
        Presented::Invalid => return Err(refused()),
    };
    // Unscoped on purpose: the refresh token row names the user; its organization follows.
    let user = user::Entity::find_by_id(row.user_id)
        .one(&txn)
        .await?
        .ok_or_else(refused)?;
    let organization = organization::Entity::find_by_id(user.organization_id)
        .one(&txn)
        .await?
        .ok_or_else(refused)?;
    if !user.is_active || !organization.is_active {
        return Err(refused());
    }
    // The consumption above and the rotation below commit together.
    let mut tx = Tx::wrap(
        state.store(),
        txn,
        organization::Entity::scope_of(&organization),
        Some(user.id),
    );
    tx.occurred::<user::Entity>(Action::RefreshToken, user.id)
        .await?;
    sign_in(state, tx, user, organization, Some(row.family_id)).await
}

/// Signs out everywhere: the caller's refresh tokens are revoked and every access token issued
/// so far stops working (the session version moves on).
pub async fn logout(state: &IdentityState, auth: &AuthContext) -> AppResult<bool> {
    let mut tx = Tx::begin(state.store(), auth).await?;
    refresh::revoke_all(tx.db(), auth.scope(), auth.user_id).await?;
    user::Entity::update_scoped(auth.scope())
        .col_expr(
            user::Column::SessionVersion,
            Expr::col(user::Column::SessionVersion).add(1),
        )
        .filter(user::Column::Id.eq(auth.user_id))
        .exec(tx.db())
        .await?;
    tx.occurred::<user::Entity>(Action::Logout, auth.user_id)
        .await?;
    tx.commit().await?;
    state.sessions().invalidate(auth.user_id);
    Ok(true)
}

/// Issues a fresh pair for a user whose sessions were just reset (after a password change).
pub async fn sign_in_again(state: &IdentityState, user: user::Model) -> AppResult<SignedIn> {
    let scope = user::Entity::scope_of(&user);
    let organization = organizations::get_organization(&state.store().db, scope).await?;
    let tx = Tx::begin_as(state.store(), scope, Some(user.id)).await?;
    sign_in(state, tx, user, organization, None).await
}
