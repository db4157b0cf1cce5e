//! GraphQL surface of custom field definitions.

use async_graphql::{Context, InputObject, MaybeUndefined, Object};
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

/// A new custom field definition.
#[derive(InputObject, Debug)]
pub struct CustomFieldDefinitionCreateInput {
    pub entity_type: CustomFieldEntity,
    /// `^[a-z][a-z0-9_]{0,63}$`, unique per kind of object.
    pub key: String,
    pub label: String,
    pub field_type: CustomFieldType,
    #[graphql(default)]
    pub required: bool,
    /// Required for SELECT and MULTI_SELECT, refused for other types.
    pub options: Option<Vec<String>>,
    pub description: Option<String>,
    /// Defaults to after the last field of the kind.
    pub position: Option<i32>,
}

/// Changes to a custom field definition (key, kind and type are fixed).
#[derive(InputObject, Debug, Default)]
pub struct CustomFieldDefinitionUpdateInput {
    pub label: Option<String>,
    pub required: Option<bool>,
    pub options: MaybeUndefined<Vec<String>>,
    pub description: MaybeUndefined<String>,
    pub position: Option<i32>,
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
        data: CustomFieldDefinitionCreateInput,
    ) -> async_graphql::Result<CustomFieldDefinition> {
        let new = NewDefinition {
            entity_type: data.entity_type,
            key: data.key,
            label: data.label,
            field_type: data.field_type,
            required: data.required,
            options: data.options,
            description: data.description,
            position: data.position,
        };
        Ok(CustomFieldDefinition(
            service::create_definition(ctx.store()?, ctx.auth()?, new).await?,
        ))
    }

    /// Changes a custom field definition (MANAGER, ADMIN).
    async fn update_custom_field_definition(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: CustomFieldDefinitionUpdateInput,
    ) -> async_graphql::Result<CustomFieldDefinition> {
        let update = DefinitionUpdate {
            label: data.label,
            required: data.required,
            options: data.options,
            description: data.description,
            position: data.position,
        };
        Ok(CustomFieldDefinition(
            service::update_definition(ctx.store()?, ctx.auth()?, id, update).await?,
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
