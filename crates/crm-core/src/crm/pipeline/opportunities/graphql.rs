//! GraphQL surface of opportunities, line items and stage history.

use std::sync::Arc;

use async_graphql::{Context, InputObject, Json, MaybeUndefined, Object, Subscription};
use futures_util::{Stream, StreamExt};
use identity::loader::load_user;
use identity::users::graphql::User;
use kernel::db::DbEnum;
use kernel::listing::{ListArgs, ListConnection};
use kernel::scalars::{Date, Timestamp};
use kernel::{AppError, ContextExt};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::OpportunityStatus;
use super::service::{
    self, LineItemUpdate, NewLineItem, NewOpportunity, OpportunityFilterInput,
    OpportunityOrderByInput, OpportunityUpdate, PagePrefetch, PageRelations,
};
use crate::crm::access::sees_values;
use crate::crm::pipeline::loader::{
    load_line_items, load_pipeline, load_stage, load_stage_history,
};
use crate::crm::pipeline::pipelines::graphql::{Pipeline, Stage};
use crate::crm::probability;
use crate::entity::{line_item, opportunity, stage_history};

/// Money as returned: two decimal places on every database.
fn money(value: Decimal) -> Decimal {
    let mut value = value.round_dp(2);
    value.rescale(2);
    value
}

/// A money value, or null for callers who may not see opportunity values (MARKETING).
fn visible_money(ctx: &Context<'_>, value: Decimal) -> async_graphql::Result<Option<Decimal>> {
    Ok(sees_values(ctx.auth()?).then(|| money(value)))
}

fn status_of(stored: &str) -> async_graphql::Result<OpportunityStatus> {
    OpportunityStatus::from_db(stored).ok_or_else(|| {
        AppError::internal(anyhow::anyhow!(
            "unknown stored opportunity status {stored}"
        ))
        .into_graphql()
    })
}

/// A sales opportunity (deal), with the related rows of its page when the list fetched them.
pub struct Opportunity(pub opportunity::Model, Option<Arc<PagePrefetch>>);

impl From<opportunity::Model> for Opportunity {
    fn from(model: opportunity::Model) -> Self {
        Self(model, None)
    }
}

impl Opportunity {
    fn prefetched(&self) -> Option<&PagePrefetch> {
        self.1.as_deref()
    }
}

#[Object]
impl Opportunity {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// The deal value (the sum of the line items when there are any); null for MARKETING.
    async fn value(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        visible_money(ctx, self.0.value)
    }

    /// ISO 4217 code.
    async fn currency(&self) -> &str {
        &self.0.currency
    }

    /// Win probability in whole percent (0 to 100).
    async fn probability(&self) -> i32 {
        probability::to_output(self.0.probability)
    }

    /// `value × probability / 100`; null for MARKETING.
    async fn weighted_value(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        visible_money(ctx, self.0.weighted_value)
    }

    async fn expected_close_date(&self) -> Option<Date> {
        self.0.expected_close_date.map(Date)
    }

    /// Set when the opportunity is won or lost, cleared when it is reopened.
    async fn actual_close_date(&self) -> Option<Date> {
        self.0.actual_close_date.map(Date)
    }

    async fn pipeline_id(&self) -> Uuid {
        self.0.pipeline_id
    }

    async fn pipeline(&self, ctx: &Context<'_>) -> async_graphql::Result<Pipeline> {
        let found = match self.prefetched().and_then(|p| p.pipelines.as_ref()) {
            Some(pipelines) => pipelines.get(&self.0.pipeline_id).cloned(),
            None => load_pipeline(ctx, self.0.organization_id, self.0.pipeline_id).await?,
        };
        found
            .map(Pipeline)
            .ok_or_else(|| AppError::not_found("Pipeline").into_graphql())
    }

    async fn stage_id(&self) -> Uuid {
        self.0.stage_id
    }

    async fn stage(&self, ctx: &Context<'_>) -> async_graphql::Result<Stage> {
        let found = match self.prefetched().and_then(|p| p.stages.as_ref()) {
            Some(stages) => stages.get(&self.0.stage_id).cloned(),
            None => load_stage(ctx, self.0.organization_id, self.0.stage_id).await?,
        };
        found
            .map(Stage)
            .ok_or_else(|| AppError::not_found("Stage").into_graphql())
    }

    async fn contact_id(&self) -> Option<Uuid> {
        self.0.contact_id
    }

    async fn company_id(&self) -> Option<Uuid> {
        self.0.company_id
    }

    /// The lead this opportunity came from.
    async fn lead_id(&self) -> Option<Uuid> {
        self.0.lead_id
    }

    /// The primary contact (null if the caller cannot see it).
    async fn contact(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::crm::directory::contacts::graphql::Contact>> {
        match self.0.contact_id {
            Some(id) => Ok(
                crate::crm::links::visible_contact(ctx, self.0.organization_id, id)
                    .await?
                    .map(crate::crm::directory::contacts::graphql::Contact),
            ),
            None => Ok(None),
        }
    }

    /// The company (account) of the deal (null if the caller cannot see it).
    async fn company(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::crm::directory::companies::graphql::Company>> {
        match self.0.company_id {
            Some(id) => Ok(
                crate::crm::links::visible_company(ctx, self.0.organization_id, id)
                    .await?
                    .map(crate::crm::directory::companies::graphql::Company),
            ),
            None => Ok(None),
        }
    }

    /// The lead this opportunity came from (null if the caller cannot see it).
    async fn lead(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::crm::engagement::leads::graphql::Lead>> {
        match self.0.lead_id {
            Some(id) => Ok(
                crate::crm::links::visible_lead(ctx, self.0.organization_id, id)
                    .await?
                    .map(crate::crm::engagement::leads::graphql::Lead),
            ),
            None => Ok(None),
        }
    }

    async fn owner_id(&self) -> Option<Uuid> {
        self.0.owner_id
    }

    async fn owner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(id) = self.0.owner_id else {
            return Ok(None);
        };
        let found = match self.prefetched().and_then(|p| p.owners.as_ref()) {
            Some(owners) => owners.get(&id).cloned(),
            None => load_user(ctx, self.0.organization_id, id).await?,
        };
        Ok(found.map(User::from))
    }

    /// OPEN, WON or LOST, from the stage.
    async fn status(&self) -> async_graphql::Result<OpportunityStatus> {
        status_of(&self.0.status)
    }

    async fn loss_reason(&self) -> Option<&str> {
        self.0.loss_reason.as_deref()
    }

    async fn competitor(&self) -> Option<&str> {
        self.0.competitor.as_deref()
    }

    async fn next_step(&self) -> Option<&str> {
        self.0.next_step.as_deref()
    }

    async fn tags(&self) -> Vec<String> {
        service::tags_of(&self.0)
    }

    async fn custom_fields(&self) -> Json<serde_json::Value> {
        Json(self.0.custom_fields.clone())
    }

    async fn last_activity_at(&self) -> Option<Timestamp> {
        self.0.last_activity_at.map(Timestamp)
    }

    async fn stage_changed_at(&self) -> Timestamp {
        Timestamp(self.0.stage_changed_at)
    }

    /// Whole days since the opportunity entered its current stage.
    async fn days_in_stage(&self) -> i32 {
        service::days_since(self.0.stage_changed_at)
    }

    /// The products of the deal, by position.
    async fn line_items(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LineItem>> {
        let found = match self.prefetched().and_then(|p| p.line_items.as_ref()) {
            Some(items) => items.get(&self.0.id).cloned().unwrap_or_default(),
            None => load_line_items(ctx, self.0.organization_id, self.0.id).await?,
        };
        Ok(found.into_iter().map(LineItem).collect())
    }

    /// Every stage change, oldest first (the first entry is the creation).
    async fn stage_history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StageChange>> {
        let found = match self.prefetched().and_then(|p| p.history.as_ref()) {
            Some(history) => history.get(&self.0.id).cloned().unwrap_or_default(),
            None => load_stage_history(ctx, self.0.organization_id, self.0.id).await?,
        };
        Ok(found.into_iter().map(StageChange).collect())
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

/// A product line of an opportunity.
pub struct LineItem(pub line_item::Model);

#[Object]
impl LineItem {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn opportunity_id(&self) -> Uuid {
        self.0.opportunity_id
    }

    async fn product(&self) -> &str {
        &self.0.product
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn quantity(&self) -> Decimal {
        self.0.quantity.normalize()
    }

    /// Null for MARKETING.
    async fn unit_price(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        visible_money(ctx, self.0.unit_price)
    }

    /// Discount in percent (0 to 100).
    async fn discount(&self) -> Decimal {
        money(self.0.discount)
    }

    /// `quantity × unitPrice × (1 − discount / 100)`; null for MARKETING.
    async fn total(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        visible_money(ctx, self.0.total)
    }

    async fn position(&self) -> i32 {
        self.0.position
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }
}

/// One move of an opportunity between stages (the first one, from no stage, is its creation).
pub struct StageChange(pub stage_history::Model);

#[Object]
impl StageChange {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn opportunity_id(&self) -> Uuid {
        self.0.opportunity_id
    }

    async fn pipeline_id(&self) -> Uuid {
        self.0.pipeline_id
    }

    async fn from_stage_id(&self) -> Option<Uuid> {
        self.0.from_stage_id
    }

    /// The stage left; null on creation or when that stage was deleted since.
    #[graphql(name = "fromStage")]
    async fn left_stage(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Stage>> {
        match self.0.from_stage_id {
            Some(id) => Ok(load_stage(ctx, self.0.organization_id, id)
                .await?
                .map(Stage)),
            None => Ok(None),
        }
    }

    async fn to_stage_id(&self) -> Uuid {
        self.0.to_stage_id
    }

    /// The stage entered; null when it was deleted since.
    async fn to_stage(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Stage>> {
        Ok(load_stage(ctx, self.0.organization_id, self.0.to_stage_id)
            .await?
            .map(Stage))
    }

    #[graphql(name = "fromStatus")]
    async fn left_status(&self) -> async_graphql::Result<Option<OpportunityStatus>> {
        self.0.from_status.as_deref().map(status_of).transpose()
    }

    async fn to_status(&self) -> async_graphql::Result<OpportunityStatus> {
        status_of(&self.0.to_status)
    }

    /// The probability after the change, in whole percent.
    async fn probability(&self) -> i32 {
        probability::to_output(self.0.probability)
    }

    /// The value at the time of the change; null for MARKETING.
    async fn value(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        visible_money(ctx, self.0.value)
    }

    /// How long the opportunity had been in the stage it left.
    async fn seconds_in_previous_stage(&self) -> Option<i64> {
        self.0.seconds_in_previous_stage
    }

    async fn changed_by_id(&self) -> Option<Uuid> {
        self.0.changed_by_id
    }

    async fn changed_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.changed_by_id {
            Some(id) => Ok(load_user(ctx, self.0.organization_id, id)
                .await?
                .map(User::from)),
            None => Ok(None),
        }
    }

    async fn changed_at(&self) -> Timestamp {
        Timestamp(self.0.changed_at)
    }
}

/// A new opportunity.
#[derive(InputObject, Debug)]
pub struct OpportunityCreateInput {
    pub name: String,
    pub description: Option<String>,
    /// Not negative, two decimal places; defaults to 0.
    pub value: Option<Decimal>,
    /// ISO 4217; defaults to the organization's currency.
    pub currency: Option<String>,
    /// Whole percent, 0 to 100; defaults to the stage's probability.
    pub probability: Option<i32>,
    pub expected_close_date: Option<Date>,
    /// Defaults to the stage's pipeline, or the default pipeline.
    pub pipeline_id: Option<Uuid>,
    /// A stage of the pipeline; defaults to its first stage.
    pub stage_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    /// Defaults to the caller.
    pub owner_id: Option<Uuid>,
    /// Required when the stage is a lost stage.
    pub loss_reason: Option<String>,
    pub competitor: Option<String>,
    pub next_step: Option<String>,
    pub tags: Option<Vec<String>>,
    pub custom_fields: Option<Json<serde_json::Value>>,
}

impl From<OpportunityCreateInput> for NewOpportunity {
    fn from(data: OpportunityCreateInput) -> Self {
        Self {
            name: data.name,
            description: data.description,
            value: data.value,
            currency: data.currency,
            probability: data.probability,
            expected_close_date: data.expected_close_date.map(|d| d.0),
            pipeline_id: data.pipeline_id,
            stage_id: data.stage_id,
            contact_id: data.contact_id,
            company_id: data.company_id,
            lead_id: data.lead_id,
            owner_id: data.owner_id,
            loss_reason: data.loss_reason,
            competitor: data.competitor,
            next_step: data.next_step,
            tags: data.tags,
            custom_fields: data.custom_fields.map(|j| j.0),
        }
    }
}

/// Changes to an opportunity; the stage changes only through `moveOpportunity`.
#[derive(InputObject, Debug, Default)]
pub struct OpportunityUpdateInput {
    pub name: Option<String>,
    pub description: MaybeUndefined<String>,
    /// Refused while the opportunity has line items (the value follows them).
    pub value: Option<Decimal>,
    pub currency: Option<String>,
    /// Whole percent, 0 to 100.
    pub probability: Option<i32>,
    pub expected_close_date: MaybeUndefined<Date>,
    pub contact_id: MaybeUndefined<Uuid>,
    pub company_id: MaybeUndefined<Uuid>,
    pub lead_id: MaybeUndefined<Uuid>,
    pub owner_id: MaybeUndefined<Uuid>,
    pub loss_reason: MaybeUndefined<String>,
    pub competitor: MaybeUndefined<String>,
    pub next_step: MaybeUndefined<String>,
    pub tags: Option<Vec<String>>,
    pub custom_fields: Option<Json<serde_json::Value>>,
}

fn map_patch<T, U>(patch: MaybeUndefined<T>, f: impl FnOnce(T) -> U) -> MaybeUndefined<U> {
    match patch {
        MaybeUndefined::Undefined => MaybeUndefined::Undefined,
        MaybeUndefined::Null => MaybeUndefined::Null,
        MaybeUndefined::Value(v) => MaybeUndefined::Value(f(v)),
    }
}

/// Opportunity queries.
#[derive(Default)]
pub struct OpportunityQuery;

#[Object]
impl OpportunityQuery {
    /// One opportunity; null if absent, in another organization or not visible to the caller.
    async fn opportunity(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> async_graphql::Result<Option<Opportunity>> {
        let found = service::get_opportunity(ctx.db()?, ctx.auth()?, id).await?;
        Ok(found.map(Opportunity::from))
    }

    /// The opportunities the caller may see. `search` matches words of the name, description
    /// and competitor (full text on PostgreSQL); without `orderBy`, best matches come first.
    async fn opportunities(
        &self,
        ctx: &Context<'_>,
        filter: Option<OpportunityFilterInput>,
        order_by: Option<Vec<OpportunityOrderByInput>>,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<ListConnection<Opportunity>> {
        let auth = ctx.auth()?;
        let store = ctx.store()?;
        let args = ListArgs::new(ctx, filter, order_by, first, after, last, before);
        let page = service::list_opportunities(&store.db, auth, &args, search.as_deref()).await?;
        let node = ctx.look_ahead().field("edges").field("node");
        let wanted = PageRelations {
            stages: node.field("stage").exists(),
            pipelines: node.field("pipeline").exists(),
            owners: node.field("owner").exists(),
            line_items: node.field("lineItems").exists(),
            history: node.field("stageHistory").exists(),
        };
        let rows: Vec<opportunity::Model> = page.edges.iter().map(|(_, row)| row.clone()).collect();
        let prefetched =
            Arc::new(service::prefetch_page(&store.db, auth.scope(), &rows, wanted).await?);
        Ok(page.into_connection(|row| Opportunity(row, Some(prefetched.clone()))))
    }
}

identity::object_mutations! {
    /// Opportunity mutations.
    pub struct OpportunityCrudMutation for Opportunity(opportunity::Entity) via Opportunity::from;
    /// Creates an opportunity (not MARKETING, READONLY, CLIENT).
    create create_opportunity(OpportunityCreateInput) = service::create_opportunity;
    /// Soft-deletes an opportunity. Deleting one that is already deleted returns it
    /// unchanged.
    delete delete_opportunity;
    /// Restores a soft-deleted opportunity. Restoring one that is not deleted returns it
    /// unchanged.
    restore restore_opportunity;
    /// Deletes an opportunity for good (ADMIN).
    destroy destroy_opportunity;
}

/// Opportunity mutations.
#[derive(Default)]
pub struct OpportunityMutation;

#[Object]
impl OpportunityMutation {
    /// Creates up to 100 opportunities, all or nothing; an error names the item as
    /// `data.<index>.<field>`.
    async fn create_opportunities(
        &self,
        ctx: &Context<'_>,
        data: Vec<OpportunityCreateInput>,
    ) -> async_graphql::Result<Vec<Opportunity>> {
        let inputs = data.into_iter().map(NewOpportunity::from).collect();
        Ok(
            service::create_opportunities(ctx.store()?, ctx.auth()?, inputs)
                .await?
                .into_iter()
                .map(Opportunity::from)
                .collect(),
        )
    }

    /// Updates an opportunity (sales reps: their own only).
    async fn update_opportunity(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: OpportunityUpdateInput,
    ) -> async_graphql::Result<Opportunity> {
        let update = OpportunityUpdate {
            name: data.name,
            description: data.description,
            value: data.value,
            currency: data.currency,
            probability: data.probability,
            expected_close_date: map_patch(data.expected_close_date, |d| d.0),
            contact_id: data.contact_id,
            company_id: data.company_id,
            lead_id: data.lead_id,
            owner_id: data.owner_id,
            loss_reason: data.loss_reason,
            competitor: data.competitor,
            next_step: data.next_step,
            tags: data.tags,
            custom_fields: data.custom_fields.map(|j| j.0),
        };
        Ok(Opportunity::from(
            service::update_opportunity(ctx.store()?, ctx.auth()?, id, update).await?,
        ))
    }

    /// Moves an opportunity to another stage of its pipeline; a lost stage needs `lossReason`.
    async fn move_opportunity(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        stage_id: Uuid,
        loss_reason: Option<String>,
    ) -> async_graphql::Result<Opportunity> {
        Ok(Opportunity::from(
            service::move_opportunity(ctx.store()?, ctx.auth()?, id, stage_id, loss_reason).await?,
        ))
    }

    /// Adds a line item; the opportunity's value becomes the sum of its line items.
    async fn add_line_item(
        &self,
        ctx: &Context<'_>,
        opportunity_id: Uuid,
        data: NewLineItem,
    ) -> async_graphql::Result<LineItem> {
        Ok(LineItem(
            service::add_line_item(ctx.store()?, ctx.auth()?, opportunity_id, data).await?,
        ))
    }

    /// Changes a line item; the opportunity's value follows.
    async fn update_line_item(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        data: LineItemUpdate,
    ) -> async_graphql::Result<LineItem> {
        Ok(LineItem(
            service::update_line_item(ctx.store()?, ctx.auth()?, id, data).await?,
        ))
    }

    /// Removes a line item; the opportunity's value follows the remaining ones.
    async fn remove_line_item(&self, ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Uuid> {
        Ok(service::remove_line_item(ctx.store()?, ctx.auth()?, id).await?)
    }
}

/// Opportunity subscriptions.
#[derive(Default)]
pub struct OpportunitySubscription;

#[Subscription]
impl OpportunitySubscription {
    /// Opportunities of the pipeline as they move between stages, from now on (the ones the
    /// caller may see).
    async fn opportunity_stage_changed(
        &self,
        ctx: &Context<'_>,
        pipeline_id: Uuid,
    ) -> async_graphql::Result<impl Stream<Item = Opportunity>> {
        Ok(
            service::stage_changes(ctx.store()?, ctx.auth()?, pipeline_id)
                .await?
                .map(Opportunity::from),
        )
    }
}
