//! identity's wiring for the gateway ([`Domain`]): its roots, one merge of each aggregate's, and
//! its request-scoped DataLoaders. Its shared state (`IdentityState` and the store) is the
//! platform's own, which the gateway puts into every schema.

use async_graphql::{Data, MergedObject, MergedSubscription};
use sea_orm::DatabaseConnection;

use crate::audit::graphql::{AuditQuery, AuditSubscription};
use crate::auth::graphql::AuthMutation;
use crate::domain::Domain;
use crate::invitations::graphql::{InvitationMutation, InvitationQuery};
use crate::loader;
use crate::organizations::graphql::{
    OrganizationCrudQuery, OrganizationMutation, OrganizationQuery,
};
use crate::teams::graphql::{TeamMutation, TeamQuery};
use crate::users::graphql::{UserCrudQuery, UserMutation, UserQuery};

/// identity's queries.
#[derive(MergedObject, Default)]
pub struct IdentityQuery(
    UserCrudQuery,
    UserQuery,
    OrganizationCrudQuery,
    OrganizationQuery,
    TeamQuery,
    InvitationQuery,
    AuditQuery,
);

/// identity's mutations.
#[derive(MergedObject, Default)]
pub struct IdentityMutation(
    AuthMutation,
    UserMutation,
    OrganizationMutation,
    TeamMutation,
    InvitationMutation,
);

/// identity's subscriptions.
#[derive(MergedSubscription, Default)]
pub struct IdentitySubscription(AuditSubscription);

/// Organizations, users, teams, invitations, authentication and the audit log.
pub struct Identity;

impl Domain for Identity {
    type Query = IdentityQuery;
    type Mutation = IdentityMutation;
    type Subscription = IdentitySubscription;

    fn add_request_loaders(data: &mut Data, db: &DatabaseConnection) {
        let (users, teams) = loader::loaders(db);
        data.insert(users);
        data.insert(teams);
    }
}
