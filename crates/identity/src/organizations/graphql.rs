//! GraphQL surface of organizations.

use async_graphql::{Context, Object};
use kernel::db::DbEnum;
use kernel::object::TenantObject;
use kernel::scalars::Timestamp;
use kernel::{AppError, ContextExt};
use uuid::Uuid;

use super::service::{self, OrganizationFilterInput, OrganizationOrderByInput, OrganizationUpdate};
use super::{Plan, SalesRepVisibility};
use crate::entity::{organization, organization_settings};

/// A tenant: a company using the CRM.
pub struct Organization(pub organization::Model);

#[Object]
impl Organization {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// URL-safe unique identifier.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    async fn logo_url(&self) -> Option<&str> {
        self.0.logo_url.as_deref()
    }

    async fn plan(&self) -> async_graphql::Result<Plan> {
        Ok(Plan::from_db(&self.0.plan).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("unknown stored plan {}", self.0.plan))
        })?)
    }

    async fn is_active(&self) -> bool {
        self.0.is_active
    }

    /// The organization's settings.
    async fn settings(&self, ctx: &Context<'_>) -> async_graphql::Result<OrganizationSettings> {
        let store = ctx.store()?;
        let scope = organization::Entity::scope_of(&self.0);
        Ok(OrganizationSettings(
            service::get_settings(&store.db, scope).await?,
        ))
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }
}

/// Per-organization settings.
pub struct OrganizationSettings(pub organization_settings::Model);

#[Object]
impl OrganizationSettings {
    /// ISO 4217 code used when a amount has no currency of its own.
    async fn default_currency(&self) -> &str {
        &self.0.default_currency
    }

    /// IANA time zone for dates shown and reported.
    async fn timezone(&self) -> &str {
        &self.0.timezone
    }

    /// Default language (BCP 47).
    async fn locale(&self) -> &str {
        &self.0.locale
    }

    /// Which records sales reps can read.
    async fn sales_rep_visibility(&self) -> async_graphql::Result<SalesRepVisibility> {
        Ok(
            SalesRepVisibility::from_db(&self.0.sales_rep_visibility).ok_or_else(|| {
                AppError::internal(anyhow::anyhow!(
                    "unknown stored visibility {}",
                    self.0.sales_rep_visibility
                ))
            })?,
        )
    }
}

crate::object_queries! {
    /// Organization queries.
    pub struct OrganizationCrudQuery for Organization;
    /// Every organization on the platform (SUPER_ADMIN only).
    list organizations(OrganizationFilterInput, OrganizationOrderByInput) = service::list_organizations;
}

/// Organization queries.
#[derive(Default)]
pub struct OrganizationQuery;

#[Object]
impl OrganizationQuery {
    /// The caller's organization.
    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        Ok(Organization(
            service::get_organization(ctx.db()?, ctx.auth()?.scope()).await?,
        ))
    }
}

/// Organization mutations.
#[derive(Default)]
pub struct OrganizationMutation;

#[Object]
impl OrganizationMutation {
    /// Updates the caller's organization and its settings (ADMIN).
    async fn update_organization(
        &self,
        ctx: &Context<'_>,
        data: OrganizationUpdate,
    ) -> async_graphql::Result<Organization> {
        Ok(Organization(
            service::update_organization(ctx.store()?, ctx.auth()?, data).await?,
        ))
    }
}
