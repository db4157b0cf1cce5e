//! GraphQL surface of segments.

use async_graphql::{Context, Json, Object};
use identity::loader::load_user;
use identity::users::graphql::User;
use kernel::ContextExt;
use kernel::listing::{ListArgs, ListConnection};
use kernel::scalars::Timestamp;
use uuid::Uuid;

use super::service::{
    self, NewSegment, SegmentFilterInput, SegmentKind, SegmentOrderByInput, SegmentUpdate,
};
use crate::crm::directory::contacts::graphql::Contact;
use crate::crm::directory::contacts::service::ContactFilterInput;
use crate::crm::directory::contacts::service::ContactOrderByInput;
use crate::entity::segment;

/// A group of contacts: a saved filter (DYNAMIC) or a hand-picked list (STATIC).
pub struct Segment(pub segment::Model);

#[Object]
impl Segment {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn kind(&self) -> async_graphql::Result<SegmentKind> {
        Ok(service::kind_of(&self.0)?)
    }

    /// The saved ContactFilterInput of a dynamic segment, as JSON.
    async fn filter(&self) -> Option<Json<serde_json::Value>> {
        self.0.filter.clone().map(Json)
    }

    /// How many of its contacts the caller can see.
    async fn contact_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        Ok(service::contact_count(ctx.db()?, ctx.auth()?, &self.0).await?)
    }

    /// The segment's contacts (those the caller can see), optionally filtered further.
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        filter: Option<ContactFilterInput>,
        order_by: Option<Vec<ContactOrderByInput>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        search: Option<String>,
    ) -> async_graphql::Result<ListConnection<Contact>> {
        let args = ListArgs::new(ctx, filter, order_by, first, after, last, before);
        let page =
            service::segment_contacts(ctx.db()?, ctx.auth()?, &self.0, args, search.as_deref())
                .await?;
        Ok(page.into_connection(Contact))
    }

    async fn created_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.created_by_id {
            Some(id) => Ok(load_user(ctx, self.0.organization_id, id).await?.map(User)),
            None => Ok(None),
        }
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

identity::object_queries! {
    /// Segment queries.
    pub struct SegmentQuery for Segment;
    /// One segment; null if absent.
    get segment = service::get_segment;
    /// The organization's segments.
    list segments(SegmentFilterInput, SegmentOrderByInput) = service::list_segments;
}

identity::object_mutations! {
    /// Segment mutations.
    pub struct SegmentCrudMutation for Segment(segment::Entity);
    /// Soft-deletes a segment. Deleting one that is already deleted returns it
    /// unchanged.
    delete delete_segment;
    /// Restores a soft-deleted segment. Restoring one that is not deleted returns it
    /// unchanged.
    restore restore_segment;
    /// Deletes a segment for good (ADMIN).
    destroy destroy_segment;
}

/// Segment mutations.
#[derive(Default)]
pub struct SegmentMutation;

#[Object]
impl SegmentMutation {
    /// Creates a segment (MARKETING, MANAGER, ADMIN).
    async fn create_segment(
        &self,
        ctx: &Context<'_>,
        data: NewSegment,
    ) -> async_graphql::Result<Segment> {
        Ok(Segment(
            service::create_segment(ctx.store()?, ctx.auth()?, data).await?,
        ))
    }

    /// Updates a segment.
    async fn update_segment(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: SegmentUpdate,
    ) -> async_graphql::Result<Segment> {
        Ok(Segment(
            service::update_segment(ctx.store()?, ctx.auth()?, id, data).await?,
        ))
    }

    /// Adds contacts to a static segment (already-present ones are ignored).
    async fn add_segment_contacts(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        contact_ids: Vec<Uuid>,
    ) -> async_graphql::Result<Segment> {
        Ok(Segment(
            service::change_members(ctx.store()?, ctx.auth()?, id, true, &contact_ids).await?,
        ))
    }

    /// Removes contacts from a static segment.
    async fn remove_segment_contacts(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        contact_ids: Vec<Uuid>,
    ) -> async_graphql::Result<Segment> {
        Ok(Segment(
            service::change_members(ctx.store()?, ctx.auth()?, id, false, &contact_ids).await?,
        ))
    }
}
