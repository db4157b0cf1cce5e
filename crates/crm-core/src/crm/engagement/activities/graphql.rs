//! GraphQL surface of activities.

use async_graphql::{Context, Object};
use identity::audit::lifecycle;
use identity::loader::load_user;
use identity::users::graphql::User;
use kernel::ContextExt;
use kernel::db::DbEnum;
use kernel::listing::{ListArgs, ListConnection};
use kernel::scalars::Timestamp;
use uuid::Uuid;

use super::ActivityType;
use super::service::{
    self, ActivityCreateInput, ActivityFilterInput, ActivityOrderByInput, ActivityUpdateInput,
};
use crate::entity::activity;

/// A call, e-mail, meeting, note or other interaction logged on a contact, company, lead or
/// opportunity.
pub struct Activity(pub activity::Model);

#[Object]
impl Activity {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    #[graphql(name = "type")]
    async fn activity_type(&self) -> ActivityType {
        ActivityType::from_db(&self.0.activity_type).unwrap_or(ActivityType::Other)
    }

    async fn subject(&self) -> &str {
        &self.0.subject
    }

    async fn body(&self) -> Option<&str> {
        self.0.body.as_deref()
    }

    async fn occurred_at(&self) -> Timestamp {
        Timestamp(self.0.occurred_at)
    }

    async fn duration_minutes(&self) -> Option<i32> {
        self.0.duration_minutes
    }

    async fn outcome(&self) -> Option<&str> {
        self.0.outcome.as_deref()
    }

    async fn contact_id(&self) -> Option<Uuid> {
        self.0.contact_id
    }

    async fn company_id(&self) -> Option<Uuid> {
        self.0.company_id
    }

    async fn lead_id(&self) -> Option<Uuid> {
        self.0.lead_id
    }

    async fn opportunity_id(&self) -> Option<Uuid> {
        self.0.opportunity_id
    }

    async fn author_id(&self) -> Option<Uuid> {
        self.0.author_id
    }

    /// Who logged the activity.
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.author_id {
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

/// Activity queries.
#[derive(Default)]
pub struct ActivityQuery;

#[Object]
impl ActivityQuery {
    /// One activity; null if absent, in another organization or not visible to the caller.
    async fn activity(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> async_graphql::Result<Option<Activity>> {
        Ok(service::get_activity(ctx.db()?, ctx.auth()?, id)
            .await?
            .map(Activity))
    }

    /// The activities the caller may read, latest first unless ordered otherwise.
    async fn activities(
        &self,
        ctx: &Context<'_>,
        filter: Option<ActivityFilterInput>,
        order_by: Option<Vec<ActivityOrderByInput>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<ListConnection<Activity>> {
        let args = ListArgs::new(ctx, filter, order_by, first, after, last, before);
        let page = service::list_activities(ctx.db()?, ctx.auth()?, &args).await?;
        Ok(page.into_connection(Activity))
    }
}

/// Activity mutations.
#[derive(Default)]
pub struct ActivityMutation;

#[Object]
impl ActivityMutation {
    /// Logs an activity on records the caller may read; the caller is its author.
    async fn create_activity(
        &self,
        ctx: &Context<'_>,
        data: ActivityCreateInput,
    ) -> async_graphql::Result<Activity> {
        Ok(Activity(
            service::create_activity(ctx.store()?, ctx.auth()?, data).await?,
        ))
    }

    /// Updates an activity (its author, MANAGER, ADMIN).
    async fn update_activity(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: ActivityUpdateInput,
    ) -> async_graphql::Result<Activity> {
        Ok(Activity(
            service::update_activity(ctx.store()?, ctx.auth()?, id, data).await?,
        ))
    }

    /// Soft-deletes an activity (its author, MANAGER, ADMIN). Deleting one that is already deleted returns it
    /// unchanged.
    async fn delete_activity(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> async_graphql::Result<Activity> {
        Ok(Activity(
            lifecycle::delete::<activity::Entity>(ctx.store()?, ctx.auth()?, id).await?,
        ))
    }

    /// Restores a soft-deleted activity (its author, MANAGER, ADMIN). Restoring one that is not deleted returns it
    /// unchanged.
    async fn restore_activity(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> async_graphql::Result<Activity> {
        Ok(Activity(
            lifecycle::restore::<activity::Entity>(ctx.store()?, ctx.auth()?, id).await?,
        ))
    }

    /// Deletes an activity for good (ADMIN).
    async fn destroy_activity(&self, ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Uuid> {
        Ok(lifecycle::destroy::<activity::Entity>(ctx.store()?, ctx.auth()?, id).await?)
    }
}
