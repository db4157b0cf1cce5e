//! crm-core's wiring for the gateway (`kernel::domain::Domain`): its roots, one flat merge of
//! every aggregate's, and its request-scoped DataLoaders.

use async_graphql::{Data, MergedObject, MergedSubscription};
use kernel::domain::Domain;
use sea_orm::DatabaseConnection;

use crate::audit::graphql::{AuditQuery, AuditSubscription};
use crate::crm::directory::companies::graphql::{CompanyMutation, CompanyQuery};
use crate::crm::directory::contacts::graphql::{ContactMutation, ContactQuery};
use crate::crm::directory::custom_fields::graphql::{CustomFieldMutation, CustomFieldQuery};
use crate::crm::directory::settings::graphql::{SettingsMutation, SettingsQuery};
use crate::crm::directory::tags::graphql::{TagMutation, TagQuery};
use crate::crm::engagement::activities::graphql::{ActivityMutation, ActivityQuery};
use crate::crm::engagement::leads::graphql::{LeadMutation, LeadQuery};
use crate::crm::engagement::notes::graphql::{NoteMutation, NoteQuery};
use crate::crm::import::graphql::ImportMutation;
use crate::crm::merge::graphql::{MergeMutation, MergeQuery};
use crate::crm::pipeline::opportunities::graphql::{
    OpportunityMutation, OpportunityQuery, OpportunitySubscription,
};
use crate::crm::pipeline::pipelines::graphql::{PipelinesMutation, PipelinesQuery};
use crate::crm::portal::graphql::PortalMutation;
use crate::crm::segments::graphql::{SegmentMutation, SegmentQuery};
use crate::identity::auth::graphql::AuthMutation;
use crate::identity::invitations::graphql::{InvitationMutation, InvitationQuery};
use crate::identity::loader;
use crate::identity::organizations::graphql::{OrganizationMutation, OrganizationQuery};
use crate::identity::teams::graphql::{TeamMutation, TeamQuery};
use crate::identity::users::graphql::{UserMutation, UserQuery};

/// crm-core's queries.
#[derive(MergedObject, Default)]
pub struct CrmQuery(
    UserQuery,
    OrganizationQuery,
    TeamQuery,
    InvitationQuery,
    AuditQuery,
    CustomFieldQuery,
    SettingsQuery,
    TagQuery,
    CompanyQuery,
    ContactQuery,
    PipelinesQuery,
    OpportunityQuery,
    LeadQuery,
    ActivityQuery,
    NoteQuery,
    MergeQuery,
    SegmentQuery,
);

/// crm-core's mutations.
#[derive(MergedObject, Default)]
pub struct CrmMutation(
    AuthMutation,
    UserMutation,
    OrganizationMutation,
    TeamMutation,
    InvitationMutation,
    CustomFieldMutation,
    SettingsMutation,
    TagMutation,
    CompanyMutation,
    ContactMutation,
    PipelinesMutation,
    OpportunityMutation,
    LeadMutation,
    ActivityMutation,
    NoteMutation,
    ImportMutation,
    MergeMutation,
    PortalMutation,
    SegmentMutation,
);

/// crm-core's subscriptions.
#[derive(MergedSubscription, Default)]
pub struct CrmSubscription(AuditSubscription, OpportunitySubscription);

/// Identity and the CRM. Their shared state (`CoreState` and the store) is the platform's own,
/// which the gateway puts into every schema.
pub struct Crm;

impl Domain for Crm {
    type Query = CrmQuery;
    type Mutation = CrmMutation;
    type Subscription = CrmSubscription;

    fn add_request_loaders(data: &mut Data, db: &DatabaseConnection) {
        let (users, teams) = loader::loaders(db);
        data.insert(users);
        data.insert(teams);
        data.insert(crate::crm::directory::loader::loaders(db));
        crate::crm::pipeline::loader::add_loaders(data, db);
        crate::crm::links::add_loaders(data, db);
    }
}
