//! GraphQL surface of activities.

use async_graphql::{Context, Object};
use identity::loader::load_user;
use identity::users::graphql::User;
use kernel::db::DbEnum;
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

identity::object_queries! {
    /// Activity queries.
    pub struct ActivityQuery for Activity;
    /// One activity; null if absent, in another organization or not visible to the caller.
    get activity = service::get_activity;
    /// The activities the caller may read, latest first unless ordered otherwise.
    list activities(ActivityFilterInput, ActivityOrderByInput) = service::list_activities;
}

identity::object_mutations! {
    /// Activity mutations.
    pub struct ActivityMutation for Activity(activity::Entity);
    /// Logs an activity on records the caller may read; the caller is its author.
    create create_activity(ActivityCreateInput) = service::create_activity;
    /// Updates an activity (its author, MANAGER, ADMIN).
    update update_activity(ActivityUpdateInput) = service::update_activity;
    /// Soft-deletes an activity (its author, MANAGER, ADMIN). Deleting one that is already deleted returns it
    /// unchanged.
    delete delete_activity;
    /// Restores a soft-deleted activity (its author, MANAGER, ADMIN). Restoring one that is not deleted returns it
    /// unchanged.
    restore restore_activity;
    /// Deletes an activity for good (ADMIN).
    destroy destroy_activity;
}
