//! Database work and rules for invitations.

use async_graphql::InputObject;
use std::net::IpAddr;

use chrono::Duration;
use kernel::db::{DbEnum, now};
use kernel::events::Action;
use kernel::listing::{ListArgs, OrderDirection, Page, SortKey, list};
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppError, AppResult, AuthContext, Role, Store, validate};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::audit::{Tx, snapshot};
use crate::auth::service::{SignedIn, sign_in};
use crate::entity::{invitation, organization, team, user};
use crate::password::hash_password;
use crate::refresh::{random_token, token_hash};
use crate::state::IdentityState;
use crate::users::service::{NewUser, check_assignable, insert_user};

/// How long an invitation can be accepted.
pub const INVITATION_DAYS: i64 = 7;

kernel::entity_filter! {
    /// Filters invitations.
    pub struct InvitationFilterInput {
        id: UuidFilter => invitation::Column::Id,
        email: StringFilter => invitation::Column::Email,
        accepted_at: DateTimeFilter => invitation::Column::AcceptedAt,
        expires_at: DateTimeFilter => invitation::Column::ExpiresAt,
        created_at: DateTimeFilter => invitation::Column::CreatedAt,
    }
}

kernel::entity_order_by! {
    /// Orders invitations.
    pub struct InvitationOrderByInput for invitation::Entity {
        email => invitation::Column::Email,
        created_at => invitation::Column::CreatedAt,
        expires_at => invitation::Column::ExpiresAt,
    }
}

/// Whom to invite.
#[derive(InputObject, Debug, Clone)]
#[graphql(name = "InviteUserInput")]
pub struct NewInvitation {
    pub email: String,
    pub role: Role,
    pub first_name: String,
    pub last_name: String,
    pub team_id: Option<Uuid>,
}

/// Creates an invitation (administrators only) and returns it with its one-time token, which
/// is shown only here.
pub async fn invite_user(
    store: &Store,
    auth: &AuthContext,
    input: NewInvitation,
) -> AppResult<(invitation::Model, String)> {
    auth.require_admin()?;
    check_assignable(auth, input.role, "role")?;
    let email = validate::email("email", &input.email)?;
    let first_name = validate::required_text("firstName", &input.first_name, 150)?;
    let last_name = validate::required_text("lastName", &input.last_name, 150)?;
    let mut tx = Tx::begin(store, auth).await?;
    if let Some(team_id) = input.team_id {
        team::Entity::require_in(tx.db(), auth.scope(), team_id).await?;
    }
    let invited = Invitee {
        email,
        role: input.role,
        first_name,
        last_name,
        team_id: input.team_id,
        contact_id: None,
    };
    let created = insert_invitation(&mut tx, auth, invited).await?;
    tx.commit().await?;
    Ok(created)
}

/// Who an invitation is for, checked by its caller.
#[derive(Debug, Clone)]
pub struct Invitee {
    pub email: String,
    pub role: Role,
    pub first_name: String,
    pub last_name: String,
    pub team_id: Option<Uuid>,
    /// For a client portal invitation: the contact the new user will be linked to (by the
    /// crate that owns contacts, in its `invitation_accepted` hook).
    pub contact_id: Option<Uuid>,
}

/// Writes an invitation from the caller in `tx`, audited, and returns it with its one-time
/// token. `CONFLICT` when the e-mail address already has an account.
#[expect(
    clippy::disallowed_methods,
    reason = "an e-mail address signs in to one account across all organizations"
)]
pub async fn insert_invitation(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    invitee: Invitee,
) -> AppResult<(invitation::Model, String)> {
    // Across organizations on purpose: an e-mail address signs in to one account only.
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(&invitee.email))
        .one(tx.db())
        .await?;
    if existing.is_some() {
        return Err(AppError::conflict(
            "a user with this e-mail address already exists",
        ));
    }
    let token = random_token();
    let at = now();
    let created = invitation::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        email: Set(invitee.email),
        role: Set(invitee.role.as_db().to_owned()),
        first_name: Set(invitee.first_name),
        last_name: Set(invitee.last_name),
        team_id: Set(invitee.team_id),
        contact_id: Set(invitee.contact_id),
        token_hash: Set(token_hash(&token)),
        invited_by_id: Set(Some(auth.user_id)),
        expires_at: Set(at + Duration::days(INVITATION_DAYS)),
        accepted_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(tx.db())
    .await?;
    tx.created::<invitation::Entity>(&created).await?;
    Ok((created, token))
}

/// Lists the organization's invitations (administrators only).
pub async fn list_invitations(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<InvitationFilterInput, InvitationOrderByInput>,
) -> AppResult<Page<invitation::Model>> {
    auth.require_admin()?;
    let select = invitation::Entity::scoped(auth.scope());
    list(
        db,
        select,
        args,
        &[SortKey::new(
            invitation::Column::CreatedAt,
            OrderDirection::DescNullsLast,
        )],
        invitation::Column::Id,
    )
    .await
}

/// Accepts an invitation: creates the user with the chosen password and signs them in.
/// The token works once; an unknown, used or expired token is `BAD_USER_INPUT` on `token`.
#[expect(
    clippy::disallowed_methods,
    reason = "the invitation token is the credential; its row names the organization"
)]
pub async fn accept_invitation(
    state: &IdentityState,
    client: Option<IpAddr>,
    token: &str,
    password: String,
) -> AppResult<SignedIn> {
    state.limiter().check(None, client)?;
    validate::password("password", &password)?;
    let invalid = || AppError::invalid("token", "this invitation is invalid, used or expired");
    let hash = token_hash(token.trim());
    let db = &state.store().db;
    // Unscoped on purpose: the invitation token is the credential that names its organization.
    let found = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(&hash))
        .one(db)
        .await?;
    let pending = found
        .filter(|inv| inv.accepted_at.is_none() && inv.expires_at > now())
        .ok_or_else(invalid)?;
    let password_hash = hash_password(password).await?;

    let scope = invitation::Entity::scope_of(&pending);
    let mut tx = Tx::begin_as(state.store(), scope, None).await?;
    // Claiming the invitation first makes a concurrent second acceptance fail cleanly.
    let claimed = invitation::Entity::update_many()
        .col_expr(invitation::Column::AcceptedAt, Expr::value(now()))
        .col_expr(invitation::Column::UpdatedAt, Expr::value(now()))
        .filter(invitation::Column::Id.eq(pending.id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .exec(tx.db())
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid());
    }
    let role = Role::from_db(&pending.role).ok_or_else(|| {
        AppError::internal(anyhow::anyhow!("unknown stored role {}", pending.role))
    })?;
    let organization = organization::Entity::find_by_id(pending.organization_id)
        .one(tx.db())
        .await?
        .filter(|org| org.is_active)
        .ok_or_else(invalid)?;
    // A team deleted since the invitation leaves the new user without one.
    let team_id = match pending.team_id {
        Some(team_id) => team::Entity::find_in(tx.db(), scope, team_id)
            .await?
            .map(|team| team.id),
        None => None,
    };
    let user = insert_user(
        tx.db(),
        NewUser {
            organization_id: pending.organization_id,
            email: pending.email.clone(),
            password_hash,
            first_name: pending.first_name.clone(),
            last_name: pending.last_name.clone(),
            role,
            team_id,
        },
    )
    .await?;
    tx.set_actor(user.id);
    state
        .hooks()
        .invitation_accepted(&mut tx, &pending, &user)
        .await?;
    tx.record(
        Action::Accept,
        invitation::Entity::LABEL,
        pending.id,
        snapshot(&pending),
        None,
    )
    .await?;
    tx.created::<user::Entity>(&user).await?;
    sign_in(state, tx, user, organization, None).await
}
