//! GraphQL surface of leads: `lead`, `leads`, `createLead(s)`, `updateLead`, `deleteLead`,
//! `restoreLead`, `destroyLead` and `convertLead`.

use async_graphql::{Context, InputObject, Json, Object};
use identity::loader::load_user;
use identity::users::graphql::User;
use kernel::ContextExt;
use kernel::db::DbEnum;
use kernel::scalars::{Date, Timestamp};
use rust_decimal::Decimal;
use serde_json::Value;
use uuid::Uuid;

use super::conversion::{self, ConversionOptions, LeadConversion};
use super::service::{self, LeadCreateInput, LeadFilterInput, LeadOrderByInput, LeadUpdateInput};
use super::{LeadSource, LeadStatus};
use crate::crm::probability;
use crate::entity::lead;

/// A prospective customer before qualification.
pub struct Lead(pub lead::Model);

impl From<lead::Model> for Lead {
    fn from(model: lead::Model) -> Self {
        Self(model)
    }
}

async fn user(
    ctx: &Context<'_>,
    organization_id: Uuid,
    id: Option<Uuid>,
) -> async_graphql::Result<Option<User>> {
    match id {
        Some(id) => Ok(load_user(ctx, organization_id, id).await?.map(User)),
        None => Ok(None),
    }
}

#[Object]
impl Lead {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    /// The lead's name or title.
    async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    async fn first_name(&self) -> Option<&str> {
        self.0.first_name.as_deref()
    }

    async fn last_name(&self) -> Option<&str> {
        self.0.last_name.as_deref()
    }

    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    /// The company's name, as text.
    async fn company(&self) -> Option<&str> {
        self.0.company.as_deref()
    }

    async fn job_title(&self) -> Option<&str> {
        self.0.job_title.as_deref()
    }

    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    async fn source(&self) -> Option<LeadSource> {
        self.0.source.as_deref().and_then(LeadSource::from_db)
    }

    async fn source_detail(&self) -> Option<&str> {
        self.0.source_detail.as_deref()
    }

    async fn status(&self) -> LeadStatus {
        LeadStatus::from_db(&self.0.status).unwrap_or(LeadStatus::New)
    }

    async fn substatus(&self) -> Option<&str> {
        self.0.substatus.as_deref()
    }

    /// 0 to 100.
    async fn score(&self) -> Option<i32> {
        self.0.score
    }

    /// Score components, a JSON object.
    async fn score_breakdown(&self) -> Option<Json<Value>> {
        self.0.score_breakdown.clone().map(Json)
    }

    /// A to F.
    async fn grade(&self) -> Option<&str> {
        self.0.grade.as_deref()
    }

    async fn estimated_value(&self) -> Option<Decimal> {
        self.0.estimated_value
    }

    /// ISO 4217.
    async fn currency(&self) -> Option<&str> {
        self.0.currency.as_deref()
    }

    /// Conversion probability in whole percent, 0 to 100.
    async fn probability(&self) -> Option<i32> {
        self.0.probability.map(probability::to_output)
    }

    async fn utm_source(&self) -> Option<&str> {
        self.0.utm_source.as_deref()
    }

    async fn utm_medium(&self) -> Option<&str> {
        self.0.utm_medium.as_deref()
    }

    async fn utm_campaign(&self) -> Option<&str> {
        self.0.utm_campaign.as_deref()
    }

    async fn referrer_url(&self) -> Option<&str> {
        self.0.referrer_url.as_deref()
    }

    async fn landing_page(&self) -> Option<&str> {
        self.0.landing_page.as_deref()
    }

    /// Internal notes.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }

    async fn tags(&self) -> Vec<String> {
        self.0
            .tags
            .as_array()
            .map(|tags| {
                tags.iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    async fn custom_fields(&self) -> Json<Value> {
        Json(self.0.custom_fields.clone())
    }

    async fn owner_id(&self) -> Option<Uuid> {
        self.0.owner_id
    }

    async fn owner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user(ctx, self.0.organization_id, self.0.owner_id).await
    }

    async fn assigned_to_id(&self) -> Option<Uuid> {
        self.0.assigned_to_id
    }

    async fn assigned_to(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user(ctx, self.0.organization_id, self.0.assigned_to_id).await
    }

    async fn converted_contact_id(&self) -> Option<Uuid> {
        self.0.converted_contact_id
    }

    async fn converted_opportunity_id(&self) -> Option<Uuid> {
        self.0.converted_opportunity_id
    }

    async fn campaign_id(&self) -> Option<Uuid> {
        self.0.campaign_id
    }

    async fn last_activity_at(&self) -> Option<Timestamp> {
        self.0.last_activity_at.map(Timestamp)
    }

    async fn first_responded_at(&self) -> Option<Timestamp> {
        self.0.first_responded_at.map(Timestamp)
    }

    async fn qualified_at(&self) -> Option<Timestamp> {
        self.0.qualified_at.map(Timestamp)
    }

    async fn converted_at(&self) -> Option<Timestamp> {
        self.0.converted_at.map(Timestamp)
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

/// What a lead conversion should create besides the contact.
#[derive(InputObject, Debug, Default)]
pub struct LeadConversionInput {
    /// Whether to open an opportunity; default true.
    pub create_opportunity: Option<bool>,
    /// Defaults to "<company or lead name> deal".
    pub opportunity_name: Option<String>,
    /// Defaults to the lead's estimated value, or 0.
    pub value: Option<Decimal>,
    /// ISO 4217; defaults to the lead's currency.
    pub currency: Option<String>,
    /// Defaults to the stage's pipeline, else the organization's default pipeline.
    pub pipeline_id: Option<Uuid>,
    /// Defaults to the pipeline's first stage.
    pub stage_id: Option<Uuid>,
    pub expected_close_date: Option<Date>,
}

/// The outcome of `convertLead`.
pub struct LeadConversionResult(pub LeadConversion);

#[Object(name = "LeadConversion")]
impl LeadConversionResult {
    /// The converted lead.
    async fn lead(&self) -> Lead {
        Lead(self.0.lead.clone())
    }

    /// The contact found by e-mail or created from the lead.
    async fn contact_id(&self) -> Uuid {
        self.0.contact.id
    }

    /// The company found by domain or name, or created from the lead's company name.
    async fn company_id(&self) -> Option<Uuid> {
        self.0.company.as_ref().map(|c| c.id)
    }

    /// The opportunity opened, unless `createOpportunity` was false.
    async fn opportunity_id(&self) -> Option<Uuid> {
        self.0.opportunity.as_ref().map(|o| o.id)
    }

    /// The contact found by e-mail or created from the lead.
    async fn contact(&self) -> crate::crm::directory::contacts::graphql::Contact {
        crate::crm::directory::contacts::graphql::Contact(self.0.contact.clone())
    }

    /// The company found or created, if any.
    async fn company(&self) -> Option<crate::crm::directory::companies::graphql::Company> {
        self.0
            .company
            .clone()
            .map(crate::crm::directory::companies::graphql::Company)
    }

    /// The opportunity opened, if any.
    async fn opportunity(
        &self,
    ) -> Option<crate::crm::pipeline::opportunities::graphql::Opportunity> {
        self.0
            .opportunity
            .clone()
            .map(crate::crm::pipeline::opportunities::graphql::Opportunity::from)
    }
}

identity::object_queries! {
    /// Lead queries.
    pub struct LeadQuery for Lead;
    /// One lead; null if absent, in another organization or not visible to the caller.
    get lead = service::get_lead;
    /// The leads the caller may read; `search` matches names, e-mail and company, and without
    /// `orderBy` the best matches come first.
    list leads(LeadFilterInput, LeadOrderByInput, search) = service::list_leads;
}

identity::object_mutations! {
    /// Lead mutations.
    pub struct LeadCrudMutation for Lead(lead::Entity);
    /// Creates a lead, owned by the caller unless `ownerId` says otherwise.
    create create_lead(LeadCreateInput) = service::create_lead;
    /// Updates a lead (sales reps: only leads they own or are assigned).
    update update_lead(LeadUpdateInput) = service::update_lead;
    /// Soft-deletes a lead. Deleting one that is already deleted returns it
    /// unchanged.
    delete delete_lead;
    /// Restores a soft-deleted lead. Restoring one that is not deleted returns it
    /// unchanged.
    restore restore_lead;
    /// Deletes a lead for good (ADMIN).
    destroy destroy_lead;
}

/// Lead mutations.
#[derive(Default)]
pub struct LeadMutation;

#[Object]
impl LeadMutation {
    /// Creates up to 100 leads, all or nothing; an error names the item as
    /// `data.<index>.<field>`.
    async fn create_leads(
        &self,
        ctx: &Context<'_>,
        data: Vec<LeadCreateInput>,
    ) -> async_graphql::Result<Vec<Lead>> {
        let created = service::create_leads(ctx.store()?, ctx.auth()?, data).await?;
        Ok(created.into_iter().map(Lead).collect())
    }

    /// Converts a lead into a contact (found by e-mail or created), a company (found by domain
    /// or name, or created) and, unless `createOpportunity` is false, an opportunity; all in one
    /// transaction. Converting twice is CONFLICT.
    async fn convert_lead(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: LeadConversionInput,
    ) -> async_graphql::Result<LeadConversionResult> {
        let options = ConversionOptions {
            create_opportunity: data.create_opportunity.unwrap_or(true),
            opportunity_name: data.opportunity_name,
            value: data.value,
            currency: data.currency,
            pipeline_id: data.pipeline_id,
            stage_id: data.stage_id,
            expected_close_date: data.expected_close_date.map(Into::into),
        };
        Ok(LeadConversionResult(
            conversion::convert_lead(ctx.store()?, ctx.auth()?, id, options).await?,
        ))
    }
}
