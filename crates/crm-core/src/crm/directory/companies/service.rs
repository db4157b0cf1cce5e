//! Database work and rules for companies.

use async_graphql::MaybeUndefined;
use chrono::Datelike;
use identity::audit::Tx;
use identity::audit::lifecycle::Lifecycle;
use kernel::batch::{check_batch_size, of_item};
use kernel::db::{DbEnum, is_postgres, now};
use kernel::listing::{CustomFields, ListArgs, OrderDirection, Page, SortKey, list_ranked};
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppError, AppResult, AuthContext, DbResultExt, Store, TenantScope, validate};
use rust_decimal::Decimal;
use sea_orm::DatabaseTransaction;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    Set,
};
use serde_json::Value;
use uuid::Uuid;

use super::{CompanySize, CompanyTier, CompanyType};
use crate::crm::access::{Area, require_create, require_edit, require_read, visibility};
use crate::crm::directory::custom_fields::{CustomFieldEntity, validate_custom_fields};
use crate::crm::directory::search::{narrow, search_condition};
use crate::entity::{activity, company, contact, note, opportunity, user};

kernel::enum_filter!(CompanySizeFilter, CompanySize, "Filters on a company size.");
kernel::enum_filter!(CompanyTypeFilter, CompanyType, "Filters on a company type.");
kernel::enum_filter!(CompanyTierFilter, CompanyTier, "Filters on a company tier.");

kernel::entity_filter! {
    /// Filters companies. Deleted companies are included only when `deletedAt` is given.
    pub struct CompanyFilterInput {
        id: UuidFilter => company::Column::Id,
        name: StringFilter => company::Column::Name,
        domain: StringFilter => company::Column::Domain,
        industry: StringFilter => company::Column::Industry,
        company_size: CompanySizeFilter => company::Column::CompanySize,
        annual_revenue: DecimalFilter => company::Column::AnnualRevenue,
        founded_year: IntFilter => company::Column::FoundedYear,
        website: StringFilter => company::Column::Website,
        phone: StringFilter => company::Column::Phone,
        city: StringFilter => company::Column::City,
        state: StringFilter => company::Column::State,
        country: StringFilter => company::Column::Country,
        employee_count: IntFilter => company::Column::EmployeeCount,
        r#type: CompanyTypeFilter => company::Column::CompanyType,
        tier: CompanyTierFilter => company::Column::Tier,
        health_score: IntFilter => company::Column::HealthScore,
        owner_id: UuidFilter => company::Column::OwnerId,
        created_at: DateTimeFilter => company::Column::CreatedAt,
        updated_at: DateTimeFilter => company::Column::UpdatedAt,
        deleted_at: DateTimeFilter => company::Column::DeletedAt,
        /// Conditions on custom field values (all must hold).
        custom_fields: Vec<CustomFieldFilter> => CustomFields("companies"),
    }
}

kernel::entity_order_by! {
    /// Orders companies.
    pub struct CompanyOrderByInput for company::Entity {
        name => company::Column::Name,
        domain => company::Column::Domain,
        industry => company::Column::Industry,
        annual_revenue => company::Column::AnnualRevenue,
        employee_count => company::Column::EmployeeCount,
        health_score => company::Column::HealthScore,
        founded_year => company::Column::FoundedYear,
        created_at => company::Column::CreatedAt,
        updated_at => company::Column::UpdatedAt,
    }
}

const DOMAIN_TAKEN: &str = "a company with this domain already exists";

/// A company's fields as given on create or update; `Undefined` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct CompanyInput {
    pub name: Option<String>,
    pub domain: MaybeUndefined<String>,
    pub industry: MaybeUndefined<String>,
    pub company_size: MaybeUndefined<CompanySize>,
    pub annual_revenue: MaybeUndefined<Decimal>,
    pub founded_year: MaybeUndefined<i32>,
    pub description: MaybeUndefined<String>,
    pub logo_url: MaybeUndefined<String>,
    pub website: MaybeUndefined<String>,
    pub linkedin_url: MaybeUndefined<String>,
    pub address_line1: MaybeUndefined<String>,
    pub city: MaybeUndefined<String>,
    pub state: MaybeUndefined<String>,
    pub country: MaybeUndefined<String>,
    pub phone: MaybeUndefined<String>,
    pub employee_count: MaybeUndefined<i32>,
    pub company_type: MaybeUndefined<CompanyType>,
    pub tier: MaybeUndefined<CompanyTier>,
    pub health_score: MaybeUndefined<i32>,
    pub owner_id: MaybeUndefined<Uuid>,
    pub custom_fields: Option<Value>,
}

/// A domain as stored: lower-case host without scheme, `www.`, port or path.
pub fn normalize_domain(field: &str, value: &str) -> AppResult<Option<String>> {
    let mut host = value.trim().to_lowercase();
    if host.is_empty() {
        return Ok(None);
    }
    for scheme in ["https://", "http://"] {
        if let Some(rest) = host.strip_prefix(scheme) {
            host = rest.to_owned();
        }
    }
    if let Some(end) = host.find(['/', '?', '#']) {
        host.truncate(end);
    }
    if let Some(end) = host.find(':') {
        host.truncate(end);
    }
    let host = host.trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host).to_owned();
    let valid = host.len() <= 255
        && host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if valid {
        Ok(Some(host))
    } else {
        Err(AppError::invalid(
            field,
            format!("{field} must be a domain such as example.com"),
        ))
    }
}

fn text(field: &'static str, max: usize) -> impl FnOnce(&String) -> AppResult<Option<String>> {
    move |v| validate::optional_text(field, Some(v), max)
}

fn url(field: &'static str) -> impl FnOnce(&String) -> AppResult<Option<String>> {
    move |v| validate::url(field, Some(v), 500)
}

/// Validates `input` onto `model`; ids it names must exist in the organization.
async fn apply(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    model: &mut company::ActiveModel,
    input: &CompanyInput,
) -> AppResult<()> {
    if let Some(name) = &input.name {
        model.name = Set(validate::required_text("name", name, 255)?);
    }
    if let Some(v) = kernel::patch::value(&input.domain, |v| normalize_domain("domain", v))? {
        model.domain = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.industry, text("industry", 100))? {
        model.industry = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.company_size, |v| Ok(Some(v.as_db().to_owned())))?
    {
        model.company_size = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.annual_revenue, |v| {
        validate::money("annualRevenue", *v).map(Some)
    })? {
        model.annual_revenue = Set(v);
    }
    let this_year = now().year();
    if let Some(v) = kernel::patch::value(&input.founded_year, |v| {
        validate::int_range("foundedYear", Some(*v), 1800, this_year)
    })? {
        model.founded_year = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.description, |v| {
        validate::long_text("description", Some(v), 10_000)
    })? {
        model.description = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.logo_url, url("logoUrl"))? {
        model.logo_url = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.website, url("website"))? {
        model.website = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.linkedin_url, url("linkedinUrl"))? {
        model.linkedin_url = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.address_line1, text("addressLine1", 255))? {
        model.address_line1 = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.city, text("city", 100))? {
        model.city = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.state, text("state", 100))? {
        model.state = Set(v);
    }
    if let Some(v) =
        kernel::patch::value(&input.country, |v| validate::country("country", Some(v)))?
    {
        model.country = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.phone, text("phone", 20))? {
        model.phone = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.employee_count, |v| {
        validate::int_range("employeeCount", Some(*v), 0, i32::MAX)
    })? {
        model.employee_count = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.company_type, |v| Ok(Some(v.as_db().to_owned())))?
    {
        model.company_type = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.tier, |v| Ok(Some(v.as_db().to_owned())))? {
        model.tier = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.health_score, |v| {
        validate::int_range("healthScore", Some(*v), 0, 100)
    })? {
        model.health_score = Set(v);
    }
    kernel::patch::reference(&mut model.owner_id, &input.owner_id, |owner| {
        user::Entity::require_in(db, scope, owner)
    })
    .await?;
    Ok(())
}

/// A company the caller may see, or `NOT_FOUND`.
async fn require_visible(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<company::Model> {
    let found = company::Entity::require_in(db, auth.scope(), id).await?;
    if visibility(db, auth).await?.allows(found.owner_id, None) {
        Ok(found)
    } else {
        Err(AppError::not_found("Company"))
    }
}

/// Reads one company the caller may see (deleted ones included, so they can be restored).
pub async fn get_company(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<company::Model>> {
    require_read(auth)?;
    let Some(found) = company::Entity::find_in(db, auth.scope(), id).await? else {
        return Ok(None);
    };
    Ok(visibility(db, auth)
        .await?
        .allows(found.owner_id, None)
        .then_some(found))
}

/// Lists the companies the caller may see.
pub async fn list_companies(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<CompanyFilterInput, CompanyOrderByInput>,
    search: Option<&str>,
) -> AppResult<Page<company::Model>> {
    require_read(auth)?;
    let mut select = company::Entity::scoped(auth.scope());
    select = args.hide_deleted(select, company::Column::DeletedAt);
    if let Some(condition) = visibility(db, auth)
        .await?
        .condition(company::Column::OwnerId, None)
    {
        select = select.filter(condition);
    }
    let search = search_condition(
        is_postgres(db),
        "companies",
        &[
            company::Column::Name,
            company::Column::Domain,
            company::Column::Industry,
            company::Column::City,
        ],
        search,
    )?;
    let (select, relevance) = narrow(select, search);
    list_ranked(
        db,
        select,
        args,
        relevance,
        &[SortKey::new(
            company::Column::CreatedAt,
            OrderDirection::DescNullsLast,
        )],
        company::Column::Id,
    )
    .await
}

/// How many contacts (not deleted) work at a company.
pub async fn company_contact_count(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    id: Uuid,
) -> AppResult<u64> {
    Ok(contact::Entity::scoped(scope)
        .filter(contact::Column::CompanyId.eq(id))
        .filter(contact::Column::DeletedAt.is_null())
        .count(db)
        .await?)
}

/// Creates a company in the caller's transaction (also used by lead conversion and import).
pub async fn create_company_in(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    input: CompanyInput,
) -> AppResult<company::Model> {
    require_create(auth, Area::Companies)?;
    if input.name.is_none() {
        return Err(AppError::invalid("name", "name must not be empty"));
    }
    let at = now();
    let mut model = company::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        name: Set(String::new()),
        domain: Set(None),
        industry: Set(None),
        company_size: Set(None),
        annual_revenue: Set(None),
        founded_year: Set(None),
        description: Set(None),
        logo_url: Set(None),
        website: Set(None),
        linkedin_url: Set(None),
        address_line1: Set(None),
        city: Set(None),
        state: Set(None),
        country: Set(None),
        phone: Set(None),
        employee_count: Set(None),
        company_type: Set(None),
        tier: Set(None),
        health_score: Set(None),
        custom_fields: Set(Value::Object(Default::default())),
        owner_id: Set(Some(auth.user_id)),
        created_at: Set(at),
        updated_at: Set(at),
        deleted_at: Set(None),
    };
    apply(tx.db(), auth.scope(), &mut model, &input).await?;
    let custom = validate_custom_fields(
        tx.db(),
        auth.scope(),
        CustomFieldEntity::Company,
        input.custom_fields.as_ref(),
        None,
    )
    .await?;
    model.custom_fields = Set(custom);
    let created = model
        .insert(tx.db())
        .await
        .on_unique_violation(DOMAIN_TAKEN)?;
    tx.created::<company::Entity>(&created).await?;
    Ok(created)
}

/// Creates a company.
pub async fn create_company(
    store: &Store,
    auth: &AuthContext,
    input: CompanyInput,
) -> AppResult<company::Model> {
    require_create(auth, Area::Companies)?;
    let mut tx = Tx::begin(store, auth).await?;
    let created = create_company_in(&mut tx, auth, input).await?;
    tx.commit().await?;
    Ok(created)
}

/// Creates up to 100 companies, all or nothing.
pub async fn create_companies(
    store: &Store,
    auth: &AuthContext,
    inputs: Vec<CompanyInput>,
) -> AppResult<Vec<company::Model>> {
    require_create(auth, Area::Companies)?;
    check_batch_size(inputs.len(), "companies")?;
    let mut tx = Tx::begin(store, auth).await?;
    let mut created = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.into_iter().enumerate() {
        let company = create_company_in(&mut tx, auth, input).await;
        created.push(company.map_err(|e| of_item(e, index))?);
    }
    tx.commit().await?;
    Ok(created)
}

/// Updates a company (owners among sales reps; everyone who writes otherwise).
pub async fn update_company(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: CompanyInput,
) -> AppResult<company::Model> {
    let mut tx = Tx::begin(store, auth).await?;
    let before = require_visible(tx.db(), auth, id).await?;
    require_edit(auth, Area::Companies, before.owner_id, None)?;
    let mut model = before.clone().into_active_model();
    apply(tx.db(), auth.scope(), &mut model, &input).await?;
    if input.custom_fields.is_some() {
        let custom = validate_custom_fields(
            tx.db(),
            auth.scope(),
            CustomFieldEntity::Company,
            input.custom_fields.as_ref(),
            Some(&before.custom_fields),
        )
        .await?;
        model.custom_fields = Set(custom);
    }
    let after = tx
        .save_unique::<company::Entity>(before, model, DOMAIN_TAKEN)
        .await?;
    tx.commit().await?;
    Ok(after)
}

// Delete and restore: as for editing. Destroy: contacts, opportunities, activities and notes
// that point at the company lose the reference first.
impl Lifecycle for company::Entity {
    async fn require_writable(
        db: &DatabaseTransaction,
        auth: &AuthContext,
        id: Uuid,
    ) -> AppResult<company::Model> {
        let company = require_visible(db, auth, id).await?;
        require_edit(auth, Area::Companies, company.owner_id, None)?;
        Ok(company)
    }

    async fn before_destroy(tx: &mut Tx<'_>, company: &company::Model) -> AppResult<()> {
        let (scope, id) = (tx.scope(), company.id);
        contact::Entity::clear_references(scope, contact::Column::CompanyId, id)
            .exec(tx.db())
            .await?;
        opportunity::Entity::clear_references(scope, opportunity::Column::CompanyId, id)
            .exec(tx.db())
            .await?;
        activity::Entity::clear_references(scope, activity::Column::CompanyId, id)
            .exec(tx.db())
            .await?;
        note::Entity::clear_references(scope, note::Column::CompanyId, id)
            .exec(tx.db())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_normalised_hosts() {
        let d = |v: &str| normalize_domain("domain", v).ok().flatten();
        assert_eq!(
            d("https://WWW.Acme.com/about?x=1").as_deref(),
            Some("acme.com")
        );
        assert_eq!(d("acme.co.uk:8080").as_deref(), Some("acme.co.uk"));
        assert_eq!(d("  ").as_deref(), None);
        assert!(normalize_domain("domain", "not a domain").is_err());
        assert!(normalize_domain("domain", "localhost").is_err());
    }
}
