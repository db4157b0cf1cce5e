//! crm-core's GraphQL roots, merged from its aggregates, and the schema data they need.

use async_graphql::{
    MergedObject, MergedSubscription, ObjectType, SchemaBuilder, SubscriptionType,
};

use crate::audit::graphql::{AuditQuery, AuditSubscription};
use crate::crm::graphql::{CrmObjectsMutation, CrmObjectsQuery};
use crate::identity::auth::graphql::AuthMutation;
use crate::identity::invitations::graphql::{InvitationMutation, InvitationQuery};
use crate::identity::loader;
use crate::identity::organizations::graphql::{OrganizationMutation, OrganizationQuery};
use crate::identity::teams::graphql::{TeamMutation, TeamQuery};
use crate::identity::users::graphql::{UserMutation, UserQuery};
use crate::state::CoreState;
use sea_orm::DatabaseConnection;

/// crm-core's queries.
#[derive(MergedObject, Default)]
pub struct CrmQuery(
    UserQuery,
    OrganizationQuery,
    TeamQuery,
    InvitationQuery,
    AuditQuery,
    CrmObjectsQuery,
);

/// crm-core's mutations.
#[derive(MergedObject, Default)]
pub struct CrmMutation(
    AuthMutation,
    UserMutation,
    OrganizationMutation,
    TeamMutation,
    InvitationMutation,
    CrmObjectsMutation,
);

/// crm-core's subscriptions.
#[derive(MergedSubscription, Default)]
pub struct CrmSubscription(
    AuditSubscription,
    crate::crm::pipeline::graphql::PipelineSubscription,
);

/// Registers the state crm-core's resolvers read from the schema.
pub fn install<Q, M, S>(
    builder: SchemaBuilder<Q, M, S>,
    state: &CoreState,
) -> SchemaBuilder<Q, M, S>
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    builder.data(state.clone()).data(state.store().clone())
}

/// Adds fresh DataLoaders to one request's (or one subscription connection's) data. Loaders
/// cache what they load, so they must never be shared between requests.
pub fn add_request_loaders(data: &mut async_graphql::Data, db: &DatabaseConnection) {
    let (users, teams) = loader::loaders(db);
    data.insert(users);
    data.insert(teams);
    data.insert(crate::crm::directory::loader::loaders(db));
    crate::crm::pipeline::loader::add_loaders(data, db);
    crate::crm::links::add_loaders(data, db);
}
