//! Database work and rules for users.

use async_graphql::{InputObject, MaybeUndefined};
use kernel::db::{DbEnum, now};
use kernel::events::Action;
use kernel::listing::{ListArgs, OrderDirection, Page, SortKey, list};
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppError, AppResult, AuthContext, DbResultExt, Role, TenantScope, validate};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use uuid::Uuid;

use crate::audit::Tx;
use crate::entity::{team, user};
use crate::password::{hash_password, verify_password};
use crate::refresh;
use crate::state::IdentityState;

kernel::enum_filter!(RoleFilter, Role, "Filters on a role.");

kernel::entity_filter! {
    /// Filters users.
    pub struct UserFilterInput {
        id: UuidFilter => user::Column::Id,
        email: StringFilter => user::Column::Email,
        first_name: StringFilter => user::Column::FirstName,
        last_name: StringFilter => user::Column::LastName,
        role: RoleFilter => user::Column::Role,
        team_id: UuidFilter => user::Column::TeamId,
        manager_id: UuidFilter => user::Column::ManagerId,
        job_title: StringFilter => user::Column::JobTitle,
        department: StringFilter => user::Column::Department,
        is_active: BooleanFilter => user::Column::IsActive,
        last_login: DateTimeFilter => user::Column::LastLogin,
        created_at: DateTimeFilter => user::Column::CreatedAt,
    }
}

kernel::entity_order_by! {
    /// Orders users.
    pub struct UserOrderByInput for user::Entity {
        email => user::Column::Email,
        first_name => user::Column::FirstName,
        last_name => user::Column::LastName,
        role => user::Column::Role,
        last_login => user::Column::LastLogin,
        created_at => user::Column::CreatedAt,
    }
}

/// A user to insert; all fields already validated.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub organization_id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub team_id: Option<Uuid>,
}

/// Inserts a user; a taken e-mail is `CONFLICT`.
#[expect(
    clippy::disallowed_methods,
    reason = "an e-mail address signs in to one account across all organizations"
)]
pub async fn insert_user(db: &impl ConnectionTrait, new: NewUser) -> AppResult<user::Model> {
    // Across organizations on purpose: an e-mail address signs in to one account only.
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(&new.email))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(AppError::conflict(
            "a user with this e-mail address already exists",
        ));
    }
    let at = now();
    user::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(new.organization_id),
        email: Set(new.email),
        password_hash: Set(new.password_hash),
        first_name: Set(new.first_name),
        last_name: Set(new.last_name),
        phone: Set(None),
        avatar_url: Set(None),
        role: Set(new.role.as_db().to_owned()),
        job_title: Set(None),
        department: Set(None),
        timezone: Set("UTC".into()),
        locale: Set("en".into()),
        team_id: Set(new.team_id),
        manager_id: Set(None),
        is_active: Set(true),
        is_staff: Set(new.role.is_staff()),
        is_superuser: Set(new.role == Role::SuperAdmin),
        last_login: Set(None),
        session_version: Set(0),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(db)
    .await
    .on_unique_violation("a user with this e-mail address already exists")
}

/// The stored role of a user.
pub fn role_of(user: &user::Model) -> AppResult<Role> {
    Role::from_db(&user.role)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("unknown stored role {}", user.role)))
}

/// A user for a single-object query: staff see their organization's users, clients only themselves.
pub async fn get_user(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<user::Model>> {
    if !auth.role.is_staff() && id != auth.user_id {
        return Ok(None);
    }
    user::Entity::find_in(db, auth.scope(), id).await
}

/// Lists the organization's users (staff only).
pub async fn list_users(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<UserFilterInput, UserOrderByInput>,
) -> AppResult<Page<user::Model>> {
    auth.require_staff()?;
    let select = user::Entity::scoped(auth.scope());
    list(
        db,
        select,
        args,
        &[SortKey::new(
            user::Column::CreatedAt,
            OrderDirection::AscNullsLast,
        )],
        user::Column::Id,
    )
    .await
}

/// What an administrator may change about a user.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "UserUpdateInput")]
pub struct UserUpdate {
    pub role: Option<Role>,
    pub team_id: MaybeUndefined<Uuid>,
    pub manager_id: MaybeUndefined<Uuid>,
    pub is_active: Option<bool>,
    pub job_title: MaybeUndefined<String>,
    pub department: MaybeUndefined<String>,
}

/// Fails unless the caller may assign this role: nobody but a platform operator mints one.
pub fn check_assignable(auth: &AuthContext, role: Role, field: &str) -> AppResult<()> {
    if role == Role::SuperAdmin && auth.role != Role::SuperAdmin {
        return Err(AppError::forbidden(format!(
            "{field}: only a platform operator can grant SUPER_ADMIN"
        )));
    }
    if role == Role::Client {
        return Err(AppError::invalid(
            field,
            "client portal users are created by inviting a contact to the portal",
        ));
    }
    Ok(())
}

/// Updates a user's role, team, manager, status or job (administrators only).
pub async fn update_user(
    state: &IdentityState,
    auth: &AuthContext,
    id: Uuid,
    input: UserUpdate,
) -> AppResult<user::Model> {
    auth.require_admin()?;
    let store = state.store();
    let mut tx = Tx::begin(store, auth).await?;
    let before = user::Entity::require_in(tx.db(), auth.scope(), id).await?;
    let target_role = role_of(&before)?;
    if target_role == Role::SuperAdmin && auth.role != Role::SuperAdmin {
        return Err(AppError::forbidden(
            "only a platform operator can change a SUPER_ADMIN",
        ));
    }
    let mut model = before.clone().into_active_model();
    if let Some(role) = input.role {
        check_assignable(auth, role, "role")?;
        if id == auth.user_id && role != target_role {
            return Err(AppError::invalid("role", "you cannot change your own role"));
        }
        model.role = Set(role.as_db().to_owned());
        model.is_staff = Set(role.is_staff());
        model.is_superuser = Set(role == Role::SuperAdmin);
    }
    kernel::patch::reference(&mut model.team_id, &input.team_id, |team_id| {
        team::Entity::require_in(tx.db(), auth.scope(), team_id)
    })
    .await?;
    if input.manager_id == MaybeUndefined::Value(id) {
        return Err(AppError::invalid(
            "managerId",
            "a user cannot be their own manager",
        ));
    }
    kernel::patch::reference(&mut model.manager_id, &input.manager_id, |manager_id| {
        user::Entity::require_in(tx.db(), auth.scope(), manager_id)
    })
    .await?;
    if let Some(active) = input.is_active {
        if id == auth.user_id && !active {
            return Err(AppError::invalid(
                "isActive",
                "you cannot deactivate yourself",
            ));
        }
        model.is_active = Set(active);
    }
    if let Some(job_title) = kernel::patch::text("jobTitle", &input.job_title, 100)? {
        model.job_title = Set(job_title);
    }
    if let Some(department) = kernel::patch::text("department", &input.department, 100)? {
        model.department = Set(department);
    }
    if !model.is_changed() {
        tx.commit().await?;
        return Ok(before);
    }
    let deactivated = input.is_active == Some(false) && before.is_active;
    if deactivated {
        model.session_version = Set(before.session_version + 1);
    }
    let after = tx.save::<user::Entity>(before, model).await?;
    if deactivated {
        refresh::revoke_all(tx.db(), auth.scope(), id).await?;
    }
    tx.commit().await?;
    state.sessions().invalidate(id);
    Ok(after)
}

/// Deactivates a user (administrators only): they can no longer sign in, their refresh tokens
/// are revoked and their access tokens stop working within the session cache's lifetime.
pub async fn deactivate_user(
    state: &IdentityState,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<user::Model> {
    auth.require_admin()?;
    if id == auth.user_id {
        return Err(AppError::invalid("id", "you cannot delete yourself"));
    }
    let mut tx = Tx::begin(state.store(), auth).await?;
    let before = user::Entity::require_in(tx.db(), auth.scope(), id).await?;
    if role_of(&before)? == Role::SuperAdmin && auth.role != Role::SuperAdmin {
        return Err(AppError::forbidden(
            "only a platform operator can delete a SUPER_ADMIN",
        ));
    }
    let mut model = before.clone().into_active_model();
    let at = now();
    model.is_active = Set(false);
    model.session_version = Set(before.session_version + 1);
    model.updated_at = Set(at);
    let after = model.update(tx.db()).await?;
    refresh::revoke_all(tx.db(), auth.scope(), id).await?;
    tx.changed::<user::Entity>(Action::Delete, &before, &after)
        .await?;
    tx.commit().await?;
    state.sessions().invalidate(id);
    Ok(after)
}

/// Profile fields users change themselves.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "UpdateMeInput")]
pub struct ProfileUpdate {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: MaybeUndefined<String>,
    pub avatar_url: MaybeUndefined<String>,
    pub timezone: Option<String>,
    pub locale: Option<String>,
}

/// Updates the caller's own profile.
pub async fn update_me(
    state: &IdentityState,
    auth: &AuthContext,
    input: ProfileUpdate,
) -> AppResult<user::Model> {
    let mut tx = Tx::begin(state.store(), auth).await?;
    let before = user::Entity::require_in(tx.db(), auth.scope(), auth.user_id).await?;
    let mut model = before.clone().into_active_model();
    if let Some(first_name) = &input.first_name {
        model.first_name = Set(validate::required_text("firstName", first_name, 150)?);
    }
    if let Some(last_name) = &input.last_name {
        model.last_name = Set(validate::required_text("lastName", last_name, 150)?);
    }
    if let Some(phone) = kernel::patch::text("phone", &input.phone, 20)? {
        model.phone = Set(phone);
    }
    kernel::patch::clearable(&mut model.avatar_url, &input.avatar_url, |url| {
        validate::url("avatarUrl", Some(url), 500)
    })?;
    if let Some(timezone) = &input.timezone {
        model.timezone = Set(validate::timezone("timezone", timezone)?);
    }
    if let Some(locale) = &input.locale {
        model.locale = Set(validate::locale("locale", locale)?);
    }
    let after = tx.save::<user::Entity>(before, model).await?;
    tx.commit().await?;
    Ok(after)
}

/// Changes the caller's password after checking the current one. Every other session ends:
/// refresh tokens are revoked and older access tokens refused.
pub async fn change_password(
    state: &IdentityState,
    auth: &AuthContext,
    current_password: String,
    new_password: String,
) -> AppResult<user::Model> {
    validate::password("newPassword", &new_password)?;
    let user = user::Entity::require_in(&state.store().db, auth.scope(), auth.user_id).await?;
    if !verify_password(current_password, Some(user.password_hash.clone())).await? {
        return Err(AppError::invalid(
            "currentPassword",
            "the current password is wrong",
        ));
    }
    let password_hash = hash_password(new_password).await?;
    let mut tx = Tx::begin(state.store(), auth).await?;
    let at = now();
    user::Entity::update_scoped(auth.scope())
        .col_expr(user::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(
            user::Column::SessionVersion,
            Expr::col(user::Column::SessionVersion).add(1),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(at))
        .filter(user::Column::Id.eq(user.id))
        .exec(tx.db())
        .await?;
    refresh::revoke_all(tx.db(), auth.scope(), user.id).await?;
    tx.occurred::<user::Entity>(Action::ChangePassword, user.id)
        .await?;
    let after = user::Entity::require_in(tx.db(), auth.scope(), user.id).await?;
    tx.commit().await?;
    state.sessions().invalidate(user.id);
    Ok(after)
}

/// Creates a user in an organization from a trusted server-side flow (command line, seeding):
/// validates like every other path, hashes the password, audits.
pub async fn create_user_trusted(
    store: &kernel::Store,
    scope: TenantScope,
    email: &str,
    password: String,
    first_name: &str,
    last_name: &str,
    role: Role,
) -> AppResult<user::Model> {
    let email = validate::email("email", email)?;
    validate::password("password", &password)?;
    let first_name = validate::required_text("firstName", first_name, 150)?;
    let last_name = validate::required_text("lastName", last_name, 150)?;
    let password_hash = hash_password(password).await?;
    let mut tx = Tx::begin_as(store, scope, None).await?;
    let created = insert_user(
        tx.db(),
        NewUser {
            organization_id: scope.organization_id(),
            email,
            password_hash,
            first_name,
            last_name,
            role,
            team_id: None,
        },
    )
    .await?;
    tx.set_actor(created.id);
    tx.created::<user::Entity>(&created).await?;
    tx.commit().await?;
    Ok(created)
}
