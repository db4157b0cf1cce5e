//! GraphQL surface of tags.

use async_graphql::{Context, InputObject, MaybeUndefined, Object};
use kernel::ContextExt;
use kernel::object::TenantObject;
use kernel::scalars::Timestamp;
use uuid::Uuid;

use super::service::{self, TagFilterInput, TagOrderByInput};
use crate::entity::tag;

/// A label on contacts; names are title-cased and unique in the organization.
pub struct Tag(pub tag::Model);

#[Object]
impl Tag {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// `#RRGGBB`.
    async fn color(&self) -> Option<&str> {
        self.0.color.as_deref()
    }

    /// The number of contacts (not deleted) with this tag.
    async fn contact_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let store = ctx.store()?;
        let scope = tag::Entity::scope_of(&self.0);
        let total = service::tag_contact_count(&store.db, scope, self.0.id).await?;
        Ok(i64::try_from(total).unwrap_or(i64::MAX))
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }
}

/// A new tag.
#[derive(InputObject, Debug)]
pub struct TagCreateInput {
    /// Title-cased when stored (`hot LEAD` becomes `Hot Lead`).
    pub name: String,
    pub color: Option<String>,
}

/// Changes to a tag.
#[derive(InputObject, Debug, Default)]
pub struct TagUpdateInput {
    pub name: Option<String>,
    pub color: MaybeUndefined<String>,
}

identity::object_queries! {
    /// Tag queries.
    pub struct TagQuery for Tag;
    /// One tag of the caller's organization; null if absent.
    get tag = service::get_tag;
    /// The organization's tags (by name unless ordered otherwise).
    list tags(TagFilterInput, TagOrderByInput) = service::list_tags;
}

/// Tag mutations.
#[derive(Default)]
pub struct TagMutation;

#[Object]
impl TagMutation {
    /// Creates a tag (ADMIN, MANAGER, SALES_REP, MARKETING).
    async fn create_tag(
        &self,
        ctx: &Context<'_>,
        data: TagCreateInput,
    ) -> async_graphql::Result<Tag> {
        Ok(Tag(service::create_tag(
            ctx.store()?,
            ctx.auth()?,
            &data.name,
            data.color.as_deref(),
        )
        .await?))
    }

    /// Renames or recolours a tag (ADMIN, MANAGER, SALES_REP, MARKETING).
    async fn update_tag(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: TagUpdateInput,
    ) -> async_graphql::Result<Tag> {
        Ok(Tag(service::update_tag(
            ctx.store()?,
            ctx.auth()?,
            id,
            data.name.as_deref(),
            &data.color,
        )
        .await?))
    }

    /// Deletes a tag and removes it from its contacts (ADMIN, MANAGER, MARKETING).
    async fn delete_tag(&self, ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Uuid> {
        Ok(service::delete_tag(ctx.store()?, ctx.auth()?, id).await?)
    }
}
