//! GraphQL surface of the settings lists.

use async_graphql::{Context, InputObject, MaybeUndefined, Object};
use kernel::ContextExt;
use kernel::object::TenantObject;
use kernel::scalars::Timestamp;
use uuid::Uuid;

use super::ContactStatusCategory;
use super::entries::{ListEntryUpdate, NewListEntry, create_entry, list_entries, update_entry};
use super::service::{self, ContactStatusUpdate, NewContactStatus};
use crate::entity::{contact_status, service as service_entity, traffic_source};

fn count(total: u64) -> i64 {
    i64::try_from(total).unwrap_or(i64::MAX)
}

/// A configurable contact status with a fixed category.
pub struct ContactStatus(pub contact_status::Model);

#[Object]
impl ContactStatus {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn category(&self) -> async_graphql::Result<ContactStatusCategory> {
        Ok(service::category_of(&self.0)?)
    }

    /// `#RRGGBB`.
    async fn color(&self) -> Option<&str> {
        self.0.color.as_deref()
    }

    async fn position(&self) -> i32 {
        self.0.position
    }

    /// New contacts get the default status.
    async fn is_default(&self) -> bool {
        self.0.is_default
    }

    /// The number of contacts (not deleted) with this status.
    async fn contact_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let store = ctx.store()?;
        let scope = contact_status::Entity::scope_of(&self.0);
        Ok(count(
            service::status_contact_count(&store.db, scope, self.0.id).await?,
        ))
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }
}

/// The GraphQL type of an entry of a plain settings list (a service, a traffic source): its
/// name, description and place in the list, and how many contacts use it.
macro_rules! list_entry_type {
    ($(#[$doc:meta])* $name:ident($module:ident), $(#[$count_doc:meta])* $count:path) => {
        $(#[$doc])*
        pub struct $name(pub $module::Model);

        #[Object]
        impl $name {
            async fn id(&self) -> Uuid {
                self.0.id
            }

            async fn name(&self) -> &str {
                &self.0.name
            }

            async fn description(&self) -> Option<&str> {
                self.0.description.as_deref()
            }

            async fn position(&self) -> i32 {
                self.0.position
            }

            $(#[$count_doc])*
            async fn contact_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
                let scope = $module::Entity::scope_of(&self.0);
                Ok(count($count(ctx.db()?, scope, self.0.id).await?))
            }

            async fn created_at(&self) -> Timestamp {
                Timestamp(self.0.created_at)
            }

            async fn updated_at(&self) -> Timestamp {
                Timestamp(self.0.updated_at)
            }
        }
    };
}

list_entry_type!(
    /// A service the organization offers.
    Service(service_entity),
    /// The number of contacts (not deleted) interested in this service.
    service::service_contact_count
);

list_entry_type!(
    /// Where contacts come from.
    TrafficSource(traffic_source),
    /// The number of contacts (not deleted) from this source.
    service::traffic_source_contact_count
);

/// A new service.
#[derive(InputObject, Debug)]
pub struct ServiceCreateInput {
    pub name: String,
    pub description: Option<String>,
    pub position: Option<i32>,
}

/// Changes to a service.
#[derive(InputObject, Debug, Default)]
pub struct ServiceUpdateInput {
    pub name: Option<String>,
    pub description: MaybeUndefined<String>,
    pub position: Option<i32>,
}

/// A new traffic source.
#[derive(InputObject, Debug)]
pub struct TrafficSourceCreateInput {
    pub name: String,
    pub description: Option<String>,
    pub position: Option<i32>,
}

/// Changes to a traffic source.
#[derive(InputObject, Debug, Default)]
pub struct TrafficSourceUpdateInput {
    pub name: Option<String>,
    pub description: MaybeUndefined<String>,
    pub position: Option<i32>,
}

/// Settings list queries.
#[derive(Default)]
pub struct SettingsQuery;

#[Object]
impl SettingsQuery {
    /// The organization's contact statuses, by position.
    async fn contact_statuses(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ContactStatus>> {
        let rows = service::list_statuses(ctx.db()?, ctx.auth()?).await?;
        Ok(rows.into_iter().map(ContactStatus).collect())
    }

    /// The organization's services, by position.
    async fn services(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Service>> {
        let rows = list_entries::<service_entity::Entity>(ctx.db()?, ctx.auth()?).await?;
        Ok(rows.into_iter().map(Service).collect())
    }

    /// The organization's traffic sources, by position.
    async fn traffic_sources(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<TrafficSource>> {
        let rows = list_entries::<traffic_source::Entity>(ctx.db()?, ctx.auth()?).await?;
        Ok(rows.into_iter().map(TrafficSource).collect())
    }
}

/// Settings list mutations (MANAGER, ADMIN).
#[derive(Default)]
pub struct SettingsMutation;

#[Object]
impl SettingsMutation {
    /// Adds a contact status.
    async fn create_contact_status(
        &self,
        ctx: &Context<'_>,
        data: NewContactStatus,
    ) -> async_graphql::Result<ContactStatus> {
        Ok(ContactStatus(
            service::create_status(ctx.store()?, ctx.auth()?, data).await?,
        ))
    }

    /// Changes a contact status.
    async fn update_contact_status(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: ContactStatusUpdate,
    ) -> async_graphql::Result<ContactStatus> {
        Ok(ContactStatus(
            service::update_status(ctx.store()?, ctx.auth()?, id, data).await?,
        ))
    }

    /// Deletes a contact status; contacts with it move to `replacementId` (required if any).
    async fn delete_contact_status(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        replacement_id: Option<Uuid>,
    ) -> async_graphql::Result<Uuid> {
        Ok(service::delete_status(ctx.store()?, ctx.auth()?, id, replacement_id).await?)
    }

    /// Orders the contact statuses as listed (every status exactly once).
    async fn reorder_contact_statuses(
        &self,
        ctx: &Context<'_>,
        ids: Vec<Uuid>,
    ) -> async_graphql::Result<Vec<ContactStatus>> {
        let rows = service::reorder_statuses(ctx.store()?, ctx.auth()?, ids).await?;
        Ok(rows.into_iter().map(ContactStatus).collect())
    }

    /// Adds a service.
    async fn create_service(
        &self,
        ctx: &Context<'_>,
        data: ServiceCreateInput,
    ) -> async_graphql::Result<Service> {
        let new = NewListEntry {
            name: data.name,
            description: data.description,
            position: data.position,
        };
        Ok(Service(
            create_entry::<service_entity::Entity>(ctx.store()?, ctx.auth()?, new).await?,
        ))
    }

    /// Changes a service.
    async fn update_service(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: ServiceUpdateInput,
    ) -> async_graphql::Result<Service> {
        let update = ListEntryUpdate {
            name: data.name,
            description: data.description,
            position: data.position,
        };
        Ok(Service(
            update_entry::<service_entity::Entity>(ctx.store()?, ctx.auth()?, id, update).await?,
        ))
    }

    /// Deletes a service; its contacts are linked to `replacementId` (required if any).
    async fn delete_service(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        replacement_id: Option<Uuid>,
    ) -> async_graphql::Result<Uuid> {
        Ok(service::delete_service(ctx.store()?, ctx.auth()?, id, replacement_id).await?)
    }

    /// Adds a traffic source.
    async fn create_traffic_source(
        &self,
        ctx: &Context<'_>,
        data: TrafficSourceCreateInput,
    ) -> async_graphql::Result<TrafficSource> {
        let new = NewListEntry {
            name: data.name,
            description: data.description,
            position: data.position,
        };
        Ok(TrafficSource(
            create_entry::<traffic_source::Entity>(ctx.store()?, ctx.auth()?, new).await?,
        ))
    }

    /// Changes a traffic source.
    async fn update_traffic_source(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: TrafficSourceUpdateInput,
    ) -> async_graphql::Result<TrafficSource> {
        let update = ListEntryUpdate {
            name: data.name,
            description: data.description,
            position: data.position,
        };
        Ok(TrafficSource(
            update_entry::<traffic_source::Entity>(ctx.store()?, ctx.auth()?, id, update).await?,
        ))
    }

    /// Deletes a traffic source; its contacts move to `replacementId` (required if any).
    async fn delete_traffic_source(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        replacement_id: Option<Uuid>,
    ) -> async_graphql::Result<Uuid> {
        Ok(service::delete_traffic_source(ctx.store()?, ctx.auth()?, id, replacement_id).await?)
    }
}
