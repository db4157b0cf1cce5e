//! GraphQL surface of companies.

use async_graphql::{Context, InputObject, Json, MaybeUndefined, Object};
use identity::loader::load_user;
use identity::users::graphql::User;
use kernel::db::DbEnum;
use kernel::object::TenantObject;
use kernel::patch::given;
use kernel::scalars::Timestamp;
use kernel::{AppError, ContextExt};
use rust_decimal::Decimal;
use serde_json::Value;
use uuid::Uuid;

use super::service::{self, CompanyFilterInput, CompanyInput, CompanyOrderByInput};
use super::{CompanySize, CompanyTier, CompanyType};
use crate::entity::company;

fn stored<E: DbEnum>(value: Option<&str>, what: &str) -> async_graphql::Result<Option<E>> {
    match value {
        None => Ok(None),
        Some(text) => E::from_db(text).map(Some).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("unknown stored {what} {text}")).into()
        }),
    }
}

/// A company (account).
pub struct Company(pub company::Model);

#[Object]
impl Company {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The primary domain: a lower-case host such as `example.com`, unique in the organization.
    async fn domain(&self) -> Option<&str> {
        self.0.domain.as_deref()
    }

    async fn industry(&self) -> Option<&str> {
        self.0.industry.as_deref()
    }

    async fn company_size(&self) -> async_graphql::Result<Option<CompanySize>> {
        stored(self.0.company_size.as_deref(), "company size")
    }

    async fn annual_revenue(&self) -> Option<Decimal> {
        self.0.annual_revenue
    }

    async fn founded_year(&self) -> Option<i32> {
        self.0.founded_year
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn logo_url(&self) -> Option<&str> {
        self.0.logo_url.as_deref()
    }

    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    async fn linkedin_url(&self) -> Option<&str> {
        self.0.linkedin_url.as_deref()
    }

    async fn address_line1(&self) -> Option<&str> {
        self.0.address_line1.as_deref()
    }

    async fn city(&self) -> Option<&str> {
        self.0.city.as_deref()
    }

    async fn state(&self) -> Option<&str> {
        self.0.state.as_deref()
    }

    /// ISO 3166-1 alpha-2.
    async fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }

    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    async fn employee_count(&self) -> Option<i32> {
        self.0.employee_count
    }

    /// The relationship with the company.
    #[graphql(name = "type")]
    async fn company_type(&self) -> async_graphql::Result<Option<CompanyType>> {
        stored(self.0.company_type.as_deref(), "company type")
    }

    async fn tier(&self) -> async_graphql::Result<Option<CompanyTier>> {
        stored(self.0.tier.as_deref(), "company tier")
    }

    /// 0 to 100.
    async fn health_score(&self) -> Option<i32> {
        self.0.health_score
    }

    /// Values of the organization's COMPANY custom fields, by key.
    async fn custom_fields(&self) -> Json<Value> {
        Json(self.0.custom_fields.clone())
    }

    async fn owner_id(&self) -> Option<Uuid> {
        self.0.owner_id
    }

    /// The account owner.
    async fn owner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.owner_id {
            Some(id) => Ok(load_user(ctx, self.0.organization_id, id).await?.map(User)),
            None => Ok(None),
        }
    }

    /// The number of contacts (not deleted) linked to the company.
    async fn contact_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let store = ctx.store()?;
        let scope = company::Entity::scope_of(&self.0);
        let total = service::company_contact_count(&store.db, scope, self.0.id).await?;
        Ok(i64::try_from(total).unwrap_or(i64::MAX))
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }

    async fn deleted_at(&self) -> Option<Timestamp> {
        self.0.deleted_at.map(Timestamp)
    }
}

/// A new company.
#[derive(InputObject, Debug)]
pub struct CompanyCreateInput {
    pub name: String,
    /// Normalised to a lower-case host (`https://www.Acme.com/x` becomes `acme.com`).
    pub domain: Option<String>,
    pub industry: Option<String>,
    pub company_size: Option<CompanySize>,
    pub annual_revenue: Option<Decimal>,
    pub founded_year: Option<i32>,
    pub description: Option<String>,
    pub logo_url: Option<String>,
    pub website: Option<String>,
    pub linkedin_url: Option<String>,
    pub address_line1: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub employee_count: Option<i32>,
    #[graphql(name = "type")]
    pub company_type: Option<CompanyType>,
    pub tier: Option<CompanyTier>,
    pub health_score: Option<i32>,
    /// Defaults to the caller.
    pub owner_id: Option<Uuid>,
    pub custom_fields: Option<Json<Value>>,
}

impl From<CompanyCreateInput> for CompanyInput {
    fn from(data: CompanyCreateInput) -> Self {
        Self {
            name: Some(data.name),
            domain: given(data.domain),
            industry: given(data.industry),
            company_size: given(data.company_size),
            annual_revenue: given(data.annual_revenue),
            founded_year: given(data.founded_year),
            description: given(data.description),
            logo_url: given(data.logo_url),
            website: given(data.website),
            linkedin_url: given(data.linkedin_url),
            address_line1: given(data.address_line1),
            city: given(data.city),
            state: given(data.state),
            country: given(data.country),
            phone: given(data.phone),
            employee_count: given(data.employee_count),
            company_type: given(data.company_type),
            tier: given(data.tier),
            health_score: given(data.health_score),
            owner_id: given(data.owner_id),
            custom_fields: data.custom_fields.map(|j| j.0),
        }
    }
}

/// Changes to a company; absent fields stay as they are, null clears.
#[derive(InputObject, Debug, Default)]
pub struct CompanyUpdateInput {
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
    #[graphql(name = "type")]
    pub company_type: MaybeUndefined<CompanyType>,
    pub tier: MaybeUndefined<CompanyTier>,
    pub health_score: MaybeUndefined<i32>,
    pub owner_id: MaybeUndefined<Uuid>,
    /// Merged over the stored values; a key set to null is removed.
    pub custom_fields: Option<Json<Value>>,
}

impl From<CompanyUpdateInput> for CompanyInput {
    fn from(data: CompanyUpdateInput) -> Self {
        Self {
            name: data.name,
            domain: data.domain,
            industry: data.industry,
            company_size: data.company_size,
            annual_revenue: data.annual_revenue,
            founded_year: data.founded_year,
            description: data.description,
            logo_url: data.logo_url,
            website: data.website,
            linkedin_url: data.linkedin_url,
            address_line1: data.address_line1,
            city: data.city,
            state: data.state,
            country: data.country,
            phone: data.phone,
            employee_count: data.employee_count,
            company_type: data.company_type,
            tier: data.tier,
            health_score: data.health_score,
            owner_id: data.owner_id,
            custom_fields: data.custom_fields.map(|j| j.0),
        }
    }
}

identity::object_queries! {
    /// Company queries.
    pub struct CompanyQuery for Company;
    /// One company the caller may see; null if absent.
    get company = service::get_company;
    /// The companies the caller may see; `search` matches name, domain, industry and city, and
    /// without `orderBy` the best matches come first.
    list companies(CompanyFilterInput, CompanyOrderByInput, search) = service::list_companies;
}

identity::object_mutations! {
    /// Company mutations.
    pub struct CompanyCrudMutation for Company(company::Entity);
    /// Creates a company; the caller owns it unless `ownerId` says otherwise.
    create create_company(CompanyCreateInput) = service::create_company;
    /// Updates a company.
    update update_company(CompanyUpdateInput) = service::update_company;
    /// Soft-deletes a company. Deleting one that is already deleted returns it
    /// unchanged.
    delete delete_company;
    /// Restores a soft-deleted company. Restoring one that is not deleted returns it
    /// unchanged.
    restore restore_company;
    /// Deletes a company for good (ADMIN); references to it are cleared.
    destroy destroy_company;
}

/// Company mutations.
#[derive(Default)]
pub struct CompanyMutation;

#[Object]
impl CompanyMutation {
    /// Creates up to 100 companies, all or nothing; an error names the item as
    /// `data.<index>.<field>`.
    async fn create_companies(
        &self,
        ctx: &Context<'_>,
        data: Vec<CompanyCreateInput>,
    ) -> async_graphql::Result<Vec<Company>> {
        let inputs = data.into_iter().map(Into::into).collect();
        let rows = service::create_companies(ctx.store()?, ctx.auth()?, inputs).await?;
        Ok(rows.into_iter().map(Company).collect())
    }
}
