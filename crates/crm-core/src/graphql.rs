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
pub struct CrmSubscription(AuditSubscription);

/// Registers the state and loaders crm-core's resolvers read from the schema.
pub fn install<Q, M, S>(
    builder: SchemaBuilder<Q, M, S>,
    state: &CoreState,
) -> SchemaBuilder<Q, M, S>
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    let (users, teams) = loader::loaders(&state.store().db);
    builder
        .data(state.clone())
        .data(state.store().clone())
        .data(users)
        .data(teams)
}
