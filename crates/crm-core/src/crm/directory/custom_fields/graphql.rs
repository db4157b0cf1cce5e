//! GraphQL surface of custom field definitions.

use async_graphql::{Context, Object};
use kernel::ContextExt;
use kernel::db::DbEnum;
use kernel::scalars::Timestamp;
use uuid::Uuid;

use super::service::{self, DefinitionUpdate, NewDefinition};
use super::{CustomFieldEntity, CustomFieldType};
use crate::entity::custom_field_definition as definition;

/// An extra field an organization defines for one kind of object.
pub struct CustomFieldDefinition(pub definition::Model);

#[Object]
impl CustomFieldDefinition {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    /// The kind of object the field belongs to.
    async fn entity_type(&self) -> async_graphql::Result<CustomFieldEntity> {
        CustomFieldEntity::from_db(&self.0.entity_type).ok_or_else(|| {
            kernel::AppError::internal(anyhow::anyhow!(
                "unknown custom field entity {}",
                self.0.entity_type
            ))
            .into()
        })
    }

    /// The key under which values are stored in `customFields`.
    async fn key(&self) -> &str {
        &self.0.key
    }

    async fn label(&self) -> &str {
        &self.0.label
    }

    async fn field_type(&self) -> async_graphql::Result<CustomFieldType> {
        Ok(service::field_type_of(&self.0)?)
    }

    /// Whether every object of the kind must have a value.
    async fn required(&self) -> bool {
        self.0.required
    }

    /// The choices of select and multi-select fields (empty for other types).
    async fn options(&self) -> Vec<String> {
        service::options_of(&self.0)
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn position(&self) -> i32 {
        self.0.position
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }
}

/// Custom field queries.
#[derive(Default)]
pub struct CustomFieldQuery;

#[Object]
impl CustomFieldQuery {
    /// The organization's custom field definitions, of one kind of object or all, by position.
    async fn custom_field_definitions(
        &self,
        ctx: &Context<'_>,
        entity_type: Option<CustomFieldEntity>,
    ) -> async_graphql::Result<Vec<CustomFieldDefinition>> {
        let rows = service::list_definitions(ctx.db()?, ctx.auth()?, entity_type).await?;
        Ok(rows.into_iter().map(CustomFieldDefinition).collect())
    }
}

/// Custom field mutations.
#[derive(Default)]
pub struct CustomFieldMutation;

#[Object]
impl CustomFieldMutation {
    /// Defines a custom field (MANAGER, ADMIN).
    async fn create_custom_field_definition(
        &self,
        ctx: &Context<'_>,
        data: NewDefinition,
    ) -> async_graphql::Result<CustomFieldDefinition> {
        Ok(CustomFieldDefinition(
            service::create_definition(ctx.store()?, ctx.auth()?, data).await?,
        ))
    }

    /// Changes a custom field definition (MANAGER, ADMIN).
    async fn update_custom_field_definition(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: DefinitionUpdate,
    ) -> async_graphql::Result<CustomFieldDefinition> {
        Ok(CustomFieldDefinition(
            service::update_definition(ctx.store()?, ctx.auth()?, id, data).await?,
        ))
    }

    /// Deletes a custom field definition (MANAGER, ADMIN).
    async fn delete_custom_field_definition(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> async_graphql::Result<Uuid> {
        Ok(service::delete_definition(ctx.store()?, ctx.auth()?, id).await?)
    }
}
