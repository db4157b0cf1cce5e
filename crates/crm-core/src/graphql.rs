//! crm-core's wiring for the gateway (`identity::domain::Domain`): its roots, one flat merge of
//! every aggregate's, its request-scoped DataLoaders and its hooks into identity's flows.

use async_graphql::{Data, MergedObject, MergedSubscription};
use identity::domain::{BoxedRoot, Domain};
use identity::hooks::Hooks;
use sea_orm::DatabaseConnection;

use crate::crm::directory::companies::graphql::{
    CompanyCrudMutation, CompanyMutation, CompanyQuery,
};
use crate::crm::directory::contacts::graphql::{
    ContactCrudMutation, ContactMutation, ContactQuery,
};
use crate::crm::directory::custom_fields::graphql::{CustomFieldMutation, CustomFieldQuery};
use crate::crm::directory::settings::graphql::{SettingsMutation, SettingsQuery};
use crate::crm::directory::tags::graphql::{TagMutation, TagQuery};
use crate::crm::engagement::activities::graphql::{ActivityMutation, ActivityQuery};
use crate::crm::engagement::leads::graphql::{LeadCrudMutation, LeadMutation, LeadQuery};
use crate::crm::engagement::notes::graphql::{NoteMutation, NoteQuery};
use crate::crm::hooks::CrmHooks;
use crate::crm::import::graphql::ImportMutation;
use crate::crm::merge::graphql::{MergeMutation, MergeQuery};
use crate::crm::pipeline::opportunities::graphql::{
    OpportunityCrudMutation, OpportunityMutation, OpportunityQuery, OpportunitySubscription,
};
use crate::crm::pipeline::pipelines::graphql::{
    PipelinesCrudMutation, PipelinesCrudQuery, PipelinesMutation, PipelinesQuery,
};
use crate::crm::portal::graphql::PortalMutation;
use crate::crm::segments::graphql::{SegmentCrudMutation, SegmentMutation, SegmentQuery};

/// crm-core's queries. Each aggregate's root is boxed (`BoxedRoot`): a merge this wide nests
/// deeper than the compiler's default recursion limit otherwise.
#[derive(MergedObject, Default)]
pub struct CrmQuery(
    BoxedRoot<CustomFieldQuery>,
    BoxedRoot<SettingsQuery>,
    BoxedRoot<TagQuery>,
    BoxedRoot<CompanyQuery>,
    BoxedRoot<ContactQuery>,
    BoxedRoot<PipelinesCrudQuery>,
    BoxedRoot<PipelinesQuery>,
    BoxedRoot<OpportunityQuery>,
    BoxedRoot<LeadQuery>,
    BoxedRoot<ActivityQuery>,
    BoxedRoot<NoteQuery>,
    BoxedRoot<MergeQuery>,
    BoxedRoot<SegmentQuery>,
);

/// crm-core's mutations, boxed as the queries are.
#[derive(MergedObject, Default)]
pub struct CrmMutation(
    BoxedRoot<CustomFieldMutation>,
    BoxedRoot<SettingsMutation>,
    BoxedRoot<TagMutation>,
    BoxedRoot<CompanyCrudMutation>,
    BoxedRoot<CompanyMutation>,
    BoxedRoot<ContactCrudMutation>,
    BoxedRoot<ContactMutation>,
    BoxedRoot<PipelinesCrudMutation>,
    BoxedRoot<PipelinesMutation>,
    BoxedRoot<OpportunityCrudMutation>,
    BoxedRoot<OpportunityMutation>,
    BoxedRoot<LeadCrudMutation>,
    BoxedRoot<LeadMutation>,
    BoxedRoot<ActivityMutation>,
    BoxedRoot<NoteMutation>,
    BoxedRoot<ImportMutation>,
    BoxedRoot<MergeMutation>,
    BoxedRoot<PortalMutation>,
    BoxedRoot<SegmentCrudMutation>,
    BoxedRoot<SegmentMutation>,
);

/// crm-core's subscriptions.
#[derive(MergedSubscription, Default)]
pub struct CrmSubscription(OpportunitySubscription);

/// The CRM. It keeps no shared state of its own beyond the platform's (the store and
/// `IdentityState`), and takes part in identity's flows through its hooks.
pub struct Crm;

impl Domain for Crm {
    type Query = CrmQuery;
    type Mutation = CrmMutation;
    type Subscription = CrmSubscription;

    fn add_request_loaders(data: &mut Data, db: &DatabaseConnection) {
        data.insert(crate::crm::directory::loader::loaders(db));
        crate::crm::pipeline::loader::add_loaders(data, db);
        crate::crm::links::add_loaders(data, db);
    }

    fn hooks(hooks: &mut Hooks) {
        hooks.add(CrmHooks);
    }
}
