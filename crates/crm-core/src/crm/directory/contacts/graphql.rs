//! GraphQL surface of contacts.

use async_graphql::{Context, InputObject, Json, MaybeUndefined, Object};
use identity::loader::load_user;
use identity::users::graphql::User;
use kernel::db::DbEnum;
use kernel::listing::{ListArgs, ListConnection};
use kernel::patch::given;
use kernel::scalars::Timestamp;
use kernel::{AppError, ContextExt};
use serde_json::Value;
use uuid::Uuid;

use super::service::ContactFilterInput;
use super::service::{self, ContactInput, ContactOrderByInput};
use super::{LeadSource, LifecycleStage};
use crate::crm::directory::companies::graphql::Company;
use crate::crm::directory::loader::{
    load_company, load_contact_services, load_contact_tags, load_status, load_traffic_source,
    prefetch_contacts,
};
use crate::crm::directory::settings::graphql::{ContactStatus, Service, TrafficSource};
use crate::crm::directory::tags::graphql::Tag;
use crate::entity::contact;

fn stored<E: DbEnum>(value: Option<&str>, what: &str) -> async_graphql::Result<Option<E>> {
    match value {
        None => Ok(None),
        Some(text) => E::from_db(text).map(Some).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("unknown stored {what} {text}")).into()
        }),
    }
}

/// A person the organization works with.
pub struct Contact(pub contact::Model);

#[Object]
impl Contact {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn first_name(&self) -> &str {
        &self.0.first_name
    }

    async fn last_name(&self) -> Option<&str> {
        self.0.last_name.as_deref()
    }

    /// First and last name.
    async fn full_name(&self) -> String {
        match &self.0.last_name {
            Some(last) => format!("{} {last}", self.0.first_name),
            None => self.0.first_name.clone(),
        }
    }

    /// Lower case.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    async fn mobile(&self) -> Option<&str> {
        self.0.mobile.as_deref()
    }

    /// The company name as typed (free text); the linked company is `company`.
    async fn company_name(&self) -> Option<&str> {
        self.0.company.as_deref()
    }

    async fn job_title(&self) -> Option<&str> {
        self.0.job_title.as_deref()
    }

    async fn department(&self) -> Option<&str> {
        self.0.department.as_deref()
    }

    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    async fn linkedin_url(&self) -> Option<&str> {
        self.0.linkedin_url.as_deref()
    }

    async fn twitter_handle(&self) -> Option<&str> {
        self.0.twitter_handle.as_deref()
    }

    async fn address_line1(&self) -> Option<&str> {
        self.0.address_line1.as_deref()
    }

    async fn address_line2(&self) -> Option<&str> {
        self.0.address_line2.as_deref()
    }

    async fn city(&self) -> Option<&str> {
        self.0.city.as_deref()
    }

    async fn state(&self) -> Option<&str> {
        self.0.state.as_deref()
    }

    async fn postal_code(&self) -> Option<&str> {
        self.0.postal_code.as_deref()
    }

    /// ISO 3166-1 alpha-2.
    async fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }

    async fn status_id(&self) -> Option<Uuid> {
        self.0.status_id
    }

    /// The contact's status, from the organization's list.
    async fn status(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ContactStatus>> {
        match self.0.status_id {
            Some(id) => Ok(load_status(ctx, self.0.organization_id, id)
                .await?
                .map(ContactStatus)),
            None => Ok(None),
        }
    }

    async fn source(&self) -> async_graphql::Result<Option<LeadSource>> {
        stored(self.0.source.as_deref(), "lead source")
    }

    async fn lifecycle_stage(&self) -> async_graphql::Result<Option<LifecycleStage>> {
        stored(self.0.lifecycle_stage.as_deref(), "lifecycle stage")
    }

    /// 0 to 100.
    async fn score(&self) -> Option<i32> {
        self.0.score
    }

    /// Values of the organization's CONTACT custom fields, by key.
    async fn custom_fields(&self) -> Json<Value> {
        Json(self.0.custom_fields.clone())
    }

    async fn company_id(&self) -> Option<Uuid> {
        self.0.company_id
    }

    /// The linked company (`companyId`).
    async fn company(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Company>> {
        match self.0.company_id {
            Some(id) => Ok(load_company(ctx, self.0.organization_id, id)
                .await?
                .map(Company)),
            None => Ok(None),
        }
    }

    async fn traffic_source_id(&self) -> Option<Uuid> {
        self.0.traffic_source_id
    }

    async fn traffic_source(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<TrafficSource>> {
        match self.0.traffic_source_id {
            Some(id) => Ok(load_traffic_source(ctx, self.0.organization_id, id)
                .await?
                .map(TrafficSource)),
            None => Ok(None),
        }
    }

    /// The services the contact is interested in, by name.
    async fn services(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Service>> {
        let rows = load_contact_services(ctx, self.0.organization_id, self.0.id).await?;
        Ok(rows.into_iter().map(Service).collect())
    }

    /// The contact's tags, by name.
    async fn tags(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Tag>> {
        let rows = load_contact_tags(ctx, self.0.organization_id, self.0.id).await?;
        Ok(rows.into_iter().map(Tag).collect())
    }

    async fn owner_id(&self) -> Option<Uuid> {
        self.0.owner_id
    }

    async fn owner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.owner_id {
            Some(id) => Ok(load_user(ctx, self.0.organization_id, id).await?.map(User)),
            None => Ok(None),
        }
    }

    async fn assigned_to_id(&self) -> Option<Uuid> {
        self.0.assigned_to_id
    }

    async fn assigned_to(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.0.assigned_to_id {
            Some(id) => Ok(load_user(ctx, self.0.organization_id, id).await?.map(User)),
            None => Ok(None),
        }
    }

    /// The latest activity logged on the contact.
    async fn last_activity_at(&self) -> Option<Timestamp> {
        self.0.last_activity_at.map(Timestamp)
    }

    /// The client portal user linked to the contact, if invited.
    async fn portal_user_id(&self) -> Option<Uuid> {
        self.0.portal_user_id
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

/// A new contact.
#[derive(InputObject, Debug)]
pub struct ContactCreateInput {
    pub first_name: String,
    pub last_name: Option<String>,
    /// Stored in lower case.
    pub email: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    /// The company name as typed; the linked company is `companyId`.
    pub company_name: Option<String>,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub website: Option<String>,
    pub linkedin_url: Option<String>,
    pub twitter_handle: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// Defaults to the organization's default status.
    pub status_id: Option<Uuid>,
    pub source: Option<LeadSource>,
    pub lifecycle_stage: Option<LifecycleStage>,
    pub score: Option<i32>,
    /// The linked company.
    pub company_id: Option<Uuid>,
    pub traffic_source_id: Option<Uuid>,
    /// Defaults to the caller.
    pub owner_id: Option<Uuid>,
    pub assigned_to_id: Option<Uuid>,
    pub service_ids: Option<Vec<Uuid>>,
    pub tag_ids: Option<Vec<Uuid>>,
    pub custom_fields: Option<Json<Value>>,
}

impl From<ContactCreateInput> for ContactInput {
    fn from(data: ContactCreateInput) -> Self {
        Self {
            first_name: Some(data.first_name),
            last_name: given(data.last_name),
            email: given(data.email),
            phone: given(data.phone),
            mobile: given(data.mobile),
            company_name: given(data.company_name),
            job_title: given(data.job_title),
            department: given(data.department),
            website: given(data.website),
            linkedin_url: given(data.linkedin_url),
            twitter_handle: given(data.twitter_handle),
            address_line1: given(data.address_line1),
            address_line2: given(data.address_line2),
            city: given(data.city),
            state: given(data.state),
            postal_code: given(data.postal_code),
            country: given(data.country),
            status_id: given(data.status_id),
            source: given(data.source),
            lifecycle_stage: given(data.lifecycle_stage),
            score: given(data.score),
            company_id: given(data.company_id),
            traffic_source_id: given(data.traffic_source_id),
            owner_id: given(data.owner_id),
            assigned_to_id: given(data.assigned_to_id),
            service_ids: data.service_ids,
            tag_ids: data.tag_ids,
            custom_fields: data.custom_fields.map(|j| j.0),
        }
    }
}

/// Changes to a contact; absent fields stay as they are, null clears.
#[derive(InputObject, Debug, Default)]
pub struct ContactUpdateInput {
    pub first_name: Option<String>,
    pub last_name: MaybeUndefined<String>,
    pub email: MaybeUndefined<String>,
    pub phone: MaybeUndefined<String>,
    pub mobile: MaybeUndefined<String>,
    /// The company name as typed.
    pub company_name: MaybeUndefined<String>,
    pub job_title: MaybeUndefined<String>,
    pub department: MaybeUndefined<String>,
    pub website: MaybeUndefined<String>,
    pub linkedin_url: MaybeUndefined<String>,
    pub twitter_handle: MaybeUndefined<String>,
    pub address_line1: MaybeUndefined<String>,
    pub address_line2: MaybeUndefined<String>,
    pub city: MaybeUndefined<String>,
    pub state: MaybeUndefined<String>,
    pub postal_code: MaybeUndefined<String>,
    pub country: MaybeUndefined<String>,
    pub status_id: MaybeUndefined<Uuid>,
    pub source: MaybeUndefined<LeadSource>,
    pub lifecycle_stage: MaybeUndefined<LifecycleStage>,
    pub score: MaybeUndefined<i32>,
    pub company_id: MaybeUndefined<Uuid>,
    pub traffic_source_id: MaybeUndefined<Uuid>,
    pub owner_id: MaybeUndefined<Uuid>,
    pub assigned_to_id: MaybeUndefined<Uuid>,
    /// Replaces the contact's services.
    pub service_ids: Option<Vec<Uuid>>,
    /// Replaces the contact's tags.
    pub tag_ids: Option<Vec<Uuid>>,
    /// Merged over the stored values; a key set to null is removed.
    pub custom_fields: Option<Json<Value>>,
}

impl From<ContactUpdateInput> for ContactInput {
    fn from(data: ContactUpdateInput) -> Self {
        Self {
            first_name: data.first_name,
            last_name: data.last_name,
            email: data.email,
            phone: data.phone,
            mobile: data.mobile,
            company_name: data.company_name,
            job_title: data.job_title,
            department: data.department,
            website: data.website,
            linkedin_url: data.linkedin_url,
            twitter_handle: data.twitter_handle,
            address_line1: data.address_line1,
            address_line2: data.address_line2,
            city: data.city,
            state: data.state,
            postal_code: data.postal_code,
            country: data.country,
            status_id: data.status_id,
            source: data.source,
            lifecycle_stage: data.lifecycle_stage,
            score: data.score,
            company_id: data.company_id,
            traffic_source_id: data.traffic_source_id,
            owner_id: data.owner_id,
            assigned_to_id: data.assigned_to_id,
            service_ids: data.service_ids,
            tag_ids: data.tag_ids,
            custom_fields: data.custom_fields.map(|j| j.0),
        }
    }
}

/// Contact queries.
#[derive(Default)]
pub struct ContactQuery;

#[Object]
impl ContactQuery {
    /// One contact the caller may see; null if absent.
    async fn contact(&self, ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Option<Contact>> {
        let Some(model) = service::get_contact(ctx.db()?, ctx.auth()?, id).await? else {
            return Ok(None);
        };
        prefetch_contacts(ctx, ctx.look_ahead(), &[&model]).await?;
        Ok(Some(Contact(model)))
    }

    /// The contacts the caller may see; `search` matches names, e-mail and company (on
    /// PostgreSQL also job title, city and phone, through full-text search), and without
    /// `orderBy` the best matches come first (names and e-mail weigh most).
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
        let page = service::list_contacts(ctx.db()?, ctx.auth()?, &args, search.as_deref()).await?;
        let models: Vec<_> = page.edges.iter().map(|(_, model)| model).collect();
        let node = ctx.look_ahead().field("edges").field("node");
        prefetch_contacts(ctx, node, &models).await?;
        Ok(page.into_connection(Contact))
    }
}

identity::object_mutations! {
    /// Contact mutations.
    pub struct ContactCrudMutation for Contact(contact::Entity);
    /// Creates a contact.
    create create_contact(ContactCreateInput) = service::create_contact;
    /// Updates a contact.
    update update_contact(ContactUpdateInput) = service::update_contact;
    /// Soft-deletes a contact. Deleting one that is already deleted returns it
    /// unchanged.
    delete delete_contact;
    /// Restores a soft-deleted contact. Restoring one that is not deleted returns it
    /// unchanged.
    restore restore_contact;
    /// Deletes a contact for good (ADMIN), with its links, activities and notes.
    destroy destroy_contact;
}

/// Contact mutations.
#[derive(Default)]
pub struct ContactMutation;

#[Object]
impl ContactMutation {
    /// Creates up to 100 contacts, all or nothing; an error names the item as
    /// `data.<index>.<field>`.
    async fn create_contacts(
        &self,
        ctx: &Context<'_>,
        data: Vec<ContactCreateInput>,
    ) -> async_graphql::Result<Vec<Contact>> {
        let inputs = data.into_iter().map(Into::into).collect();
        let rows = service::create_contacts(ctx.store()?, ctx.auth()?, inputs).await?;
        Ok(rows.into_iter().map(Contact).collect())
    }

    /// Tags a contact by tag names; missing tags are created (title-cased). Idempotent.
    async fn add_contact_tags(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        names: Vec<String>,
    ) -> async_graphql::Result<Contact> {
        Ok(Contact(
            service::add_contact_tags(ctx.store()?, ctx.auth()?, id, &names).await?,
        ))
    }

    /// Removes tags from a contact by name; the tags themselves stay.
    async fn remove_contact_tags(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        names: Vec<String>,
    ) -> async_graphql::Result<Contact> {
        Ok(Contact(
            service::remove_contact_tags(ctx.store()?, ctx.auth()?, id, &names).await?,
        ))
    }
}
