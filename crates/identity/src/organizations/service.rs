//! Creating, reading and updating organizations.

use async_graphql::{InputObject, MaybeUndefined};
use kernel::db::{DbEnum, now};
use kernel::listing::{ListArgs, OrderDirection, Page, SortKey, list};
use kernel::object::{TenantObject, TenantTable};
use kernel::validate;
use kernel::{AppError, AppResult, AuthContext, Role, Store, TenantScope};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, Set,
};
use uuid::Uuid;

use super::{Plan, SalesRepVisibility};
use crate::audit::Tx;
use crate::entity::{organization, organization_settings, user};
use crate::password::hash_password;
use crate::state::IdentityState;
use crate::users::service::{NewUser, insert_user};

kernel::enum_filter!(PlanFilter, Plan, "Filters on a plan.");

kernel::entity_filter! {
    /// Filters organizations.
    pub struct OrganizationFilterInput {
        id: UuidFilter => organization::Column::Id,
        name: StringFilter => organization::Column::Name,
        slug: StringFilter => organization::Column::Slug,
        plan: PlanFilter => organization::Column::Plan,
        is_active: BooleanFilter => organization::Column::IsActive,
        created_at: DateTimeFilter => organization::Column::CreatedAt,
    }
}

kernel::entity_order_by! {
    /// Orders organizations.
    pub struct OrganizationOrderByInput for organization::Entity {
        name => organization::Column::Name,
        slug => organization::Column::Slug,
        created_at => organization::Column::CreatedAt,
    }
}

/// A new organization with its first user.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub name: String,
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    /// `Admin` for self-service registration; `SuperAdmin` only from the command line.
    pub role: Role,
}

/// Creates an organization, its default settings and its first user, with what the crates
/// above give every new organization (their hooks), in one transaction.
pub async fn create_organization(
    state: &IdentityState,
    input: NewOrganization,
) -> AppResult<(organization::Model, user::Model)> {
    let name = validate::required_text("organizationName", &input.name, 255)?;
    let email = validate::email("email", &input.email)?;
    validate::password("password", &input.password)?;
    let first_name = validate::required_text("firstName", &input.first_name, 150)?;
    let last_name = validate::required_text("lastName", &input.last_name, 150)?;
    // Hash before the transaction: never hold a transaction across slow non-database work.
    let password_hash = hash_password(input.password).await?;

    let organization_id = Uuid::now_v7();
    let scope = new_organization_scope(organization_id);
    let mut tx = Tx::begin_as(state.store(), scope, None).await?;
    let slug = unique_slug(tx.db(), &name).await?;
    let at = now();
    let organization = organization::ActiveModel {
        id: Set(organization_id),
        name: Set(name),
        slug: Set(slug),
        logo_url: Set(None),
        plan: Set(Plan::Starter.as_db().to_owned()),
        is_active: Set(true),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(tx.db())
    .await?;
    let settings = default_settings(organization_id).insert(tx.db()).await?;
    let user = insert_user(
        tx.db(),
        NewUser {
            organization_id,
            email,
            password_hash,
            first_name,
            last_name,
            role: input.role,
            team_id: None,
        },
    )
    .await?;
    tx.set_actor(user.id);
    tx.created::<organization::Entity>(&organization).await?;
    tx.created::<organization_settings::Entity>(&settings)
        .await?;
    tx.created::<user::Entity>(&user).await?;
    state
        .hooks()
        .organization_created(&mut tx, organization.id)
        .await?;
    tx.commit().await?;
    Ok((organization, user))
}

/// The scope of the organization being created: its id is made here, not taken from input.
#[expect(
    clippy::disallowed_methods,
    reason = "the id of an organization this flow creates"
)]
fn new_organization_scope(organization_id: Uuid) -> TenantScope {
    TenantScope::trusted(organization_id)
}

fn default_settings(organization_id: Uuid) -> organization_settings::ActiveModel {
    let at = now();
    organization_settings::ActiveModel {
        organization_id: Set(organization_id),
        default_currency: Set("USD".into()),
        timezone: Set("UTC".into()),
        locale: Set("en".into()),
        sales_rep_visibility: Set(SalesRepVisibility::All.as_db().into()),
        created_at: Set(at),
        updated_at: Set(at),
    }
}

/// A slug derived from the name, suffixed until no organization has it.
#[expect(
    clippy::disallowed_methods,
    reason = "slugs are unique across all organizations"
)]
async fn unique_slug(db: &impl ConnectionTrait, name: &str) -> AppResult<String> {
    let base = match validate::slugify(name) {
        slug if slug.is_empty() => "org".to_owned(),
        slug => slug,
    };
    for attempt in 1..=20 {
        let candidate = if attempt == 1 {
            base.clone()
        } else {
            format!("{base}-{attempt}")
        };
        // Across organizations on purpose: slugs are unique across all of them.
        let taken = organization::Entity::find()
            .filter(organization::Column::Slug.eq(&candidate))
            .count(db)
            .await?;
        if taken == 0 {
            return Ok(candidate);
        }
    }
    let suffix = Uuid::now_v7().simple().to_string();
    Ok(format!("{base}-{}", &suffix[suffix.len() - 8..]))
}

/// The caller's organization.
pub async fn get_organization(
    db: &impl ConnectionTrait,
    scope: TenantScope,
) -> AppResult<organization::Model> {
    organization::Entity::require_in(db, scope, scope.organization_id()).await
}

/// The caller's organization's settings.
pub async fn get_settings(
    db: &impl ConnectionTrait,
    scope: TenantScope,
) -> AppResult<organization_settings::Model> {
    organization_settings::Entity::scoped(scope)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("OrganizationSettings"))
}

/// The organization's default currency (`USD` before its settings exist).
pub async fn default_currency(db: &impl ConnectionTrait, scope: TenantScope) -> AppResult<String> {
    Ok(organization_settings::Entity::scoped(scope)
        .one(db)
        .await?
        .map_or_else(|| "USD".to_owned(), |s| s.default_currency))
}

/// Changes to the caller's organization; absent fields stay as they are.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "OrganizationUpdateInput")]
pub struct OrganizationUpdate {
    pub name: Option<String>,
    pub logo_url: MaybeUndefined<String>,
    pub default_currency: Option<String>,
    pub timezone: Option<String>,
    pub locale: Option<String>,
    pub sales_rep_visibility: Option<SalesRepVisibility>,
}

/// Updates the caller's organization (administrators only).
pub async fn update_organization(
    store: &Store,
    auth: &AuthContext,
    input: OrganizationUpdate,
) -> AppResult<organization::Model> {
    auth.require_admin()?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = get_organization(tx.db(), auth.scope()).await?;
    let settings_before = get_settings(tx.db(), auth.scope()).await?;

    let mut org = before.clone().into_active_model();
    if let Some(name) = &input.name {
        org.name = Set(validate::required_text("name", name, 255)?);
    }
    kernel::patch::clearable(&mut org.logo_url, &input.logo_url, |url| {
        validate::url("logoUrl", Some(url), 500)
    })?;
    let mut settings = settings_before.clone().into_active_model();
    if let Some(currency) = &input.default_currency {
        settings.default_currency = Set(validate::currency("defaultCurrency", currency)?);
    }
    if let Some(timezone) = &input.timezone {
        settings.timezone = Set(validate::timezone("timezone", timezone)?);
    }
    if let Some(locale) = &input.locale {
        settings.locale = Set(validate::locale("locale", locale)?);
    }
    if let Some(visibility) = input.sales_rep_visibility {
        settings.sales_rep_visibility = Set(visibility.as_db().to_owned());
    }
    tx.save::<organization::Entity>(before, org).await?;
    tx.save::<organization_settings::Entity>(settings_before, settings)
        .await?;
    let organization = get_organization(tx.db(), auth.scope()).await?;
    tx.commit().await?;
    Ok(organization)
}

/// Lists every organization on the platform (platform operators only).
#[expect(
    clippy::disallowed_methods,
    reason = "platform operators list every organization"
)]
pub async fn list_organizations(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<OrganizationFilterInput, OrganizationOrderByInput>,
) -> AppResult<Page<organization::Model>> {
    auth.require_any(&[Role::SuperAdmin])?;
    let select = organization::Entity::find();
    list(
        db,
        select,
        args,
        &[SortKey::new(
            organization::Column::CreatedAt,
            OrderDirection::AscNullsLast,
        )],
        organization::Column::Id,
    )
    .await
}

/// Finds an organization by its slug, or else by its name in any case (command-line
/// administration, where an operator types either).
#[expect(
    clippy::disallowed_methods,
    reason = "command-line administration looks organizations up by name"
)]
pub async fn find_by_slug_or_name(
    db: &impl ConnectionTrait,
    slug_or_name: &str,
) -> AppResult<Option<organization::Model>> {
    if let Some(found) = find_by_slug(db, slug_or_name).await? {
        return Ok(Some(found));
    }
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    Ok(organization::Entity::find()
        .filter(
            Expr::expr(Func::lower(Expr::col(organization::Column::Name)))
                .eq(slug_or_name.trim().to_lowercase()),
        )
        .one(db)
        .await?)
}

/// Finds an organization by slug (command-line administration).
#[expect(
    clippy::disallowed_methods,
    reason = "command-line administration looks organizations up by slug"
)]
pub async fn find_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> AppResult<Option<organization::Model>> {
    Ok(organization::Entity::find()
        .filter(organization::Column::Slug.eq(slug))
        .one(db)
        .await?)
}
