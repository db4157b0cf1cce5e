//! Database work and rules for contacts.

use std::collections::HashSet;

use async_graphql::MaybeUndefined;
use identity::audit::Tx;
use identity::audit::lifecycle::Lifecycle;
use kernel::batch::{check_batch_size, of_item};
use kernel::db::{DbEnum, insert_missing, is_postgres, now};
use kernel::events::Action;
use kernel::listing::{
    CustomFieldFilter, CustomFields, CustomFieldsCondition, ListArgs, MAX_IN_LIST, OrderDirection,
    Page, SortKey, list_ranked,
};
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppError, AppResult, AuthContext, Store, TenantScope, validate};
use sea_orm::DatabaseTransaction;
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, IntoActiveModel, QueryFilter,
    QuerySelect, Set,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{LeadSource, LifecycleStage};
use crate::crm::access::{Area, require_create, require_edit, require_read, visibility};
use crate::crm::directory::custom_fields::{CustomFieldEntity, validate_custom_fields};
use crate::crm::directory::search::{narrow, search_condition};
use crate::crm::directory::settings::ContactStatusCategory;
use crate::crm::directory::settings::entries::require_entry;
use crate::crm::directory::settings::service::default_status;
use crate::crm::directory::tags::service::{ensure_tags, require_tags};
use crate::crm::engagement::leads::service::LeadSourceFilter;
use crate::entity::{
    activity, company, contact, contact_service, contact_status, contact_tag, lead, note,
    opportunity, segment_member, service, tag, traffic_source, user,
};

kernel::enum_filter!(
    LifecycleStageFilter,
    LifecycleStage,
    "Filters on a lifecycle stage."
);
kernel::enum_filter!(
    ContactStatusCategoryFilter,
    ContactStatusCategory,
    "Filters on the category of a contact status."
);

// The filter derives no serde (the kernel's field filters do not). To store one (segments),
// use async-graphql's own conversion: `InputType::to_value(&filter).into_json()` and back with
// `InputType::parse(Some(async_graphql::Value::from_json(json)?))`.
kernel::entity_filter! {
    /// Filters contacts. Deleted contacts are included only when `deletedAt` is given.
    pub struct ContactFilterInput {
        id: UuidFilter => contact::Column::Id,
        first_name: StringFilter => contact::Column::FirstName,
        last_name: StringFilter => contact::Column::LastName,
        email: StringFilter => contact::Column::Email,
        phone: StringFilter => contact::Column::Phone,
        mobile: StringFilter => contact::Column::Mobile,
        /// The company name as typed on the contact.
        company_name: StringFilter => contact::Column::Company,
        job_title: StringFilter => contact::Column::JobTitle,
        department: StringFilter => contact::Column::Department,
        website: StringFilter => contact::Column::Website,
        linkedin_url: StringFilter => contact::Column::LinkedinUrl,
        twitter_handle: StringFilter => contact::Column::TwitterHandle,
        address_line1: StringFilter => contact::Column::AddressLine1,
        address_line2: StringFilter => contact::Column::AddressLine2,
        city: StringFilter => contact::Column::City,
        state: StringFilter => contact::Column::State,
        postal_code: StringFilter => contact::Column::PostalCode,
        country: StringFilter => contact::Column::Country,
        status_id: UuidFilter => contact::Column::StatusId,
        source: LeadSourceFilter => contact::Column::Source,
        lifecycle_stage: LifecycleStageFilter => contact::Column::LifecycleStage,
        score: IntFilter => contact::Column::Score,
        /// The linked company.
        company_id: UuidFilter => contact::Column::CompanyId,
        traffic_source_id: UuidFilter => contact::Column::TrafficSourceId,
        owner_id: UuidFilter => contact::Column::OwnerId,
        assigned_to_id: UuidFilter => contact::Column::AssignedToId,
        portal_user_id: UuidFilter => contact::Column::PortalUserId,
        last_activity_at: DateTimeFilter => contact::Column::LastActivityAt,
        created_at: DateTimeFilter => contact::Column::CreatedAt,
        updated_at: DateTimeFilter => contact::Column::UpdatedAt,
        deleted_at: DateTimeFilter => contact::Column::DeletedAt,
    }
    custom {
        /// The category of the contact's status.
        status_category: ContactStatusCategoryFilter => with_status_category,
        /// Has at least one of these tags (an empty list matches nothing).
        tag_ids: Vec<Uuid> => tagged_with,
        /// Is linked to at least one of these services (an empty list matches nothing).
        service_ids: Vec<Uuid> => linked_to_services,
        /// Conditions on custom field values (all must hold), e.g.
        /// `customFields: [{ key: "tier", eq: "gold" }, { key: "seats", in: [10, 20] }]`.
        custom_fields: Vec<CustomFieldFilter> => with_custom_fields,
    }
}

fn with_status_category(filter: &ContactStatusCategoryFilter, field: &str) -> AppResult<Condition> {
    let statuses = Query::select()
        .column(contact_status::Column::Id)
        .from(contact_status::Entity)
        .cond_where(filter.condition(contact_status::Column::Category, field)?)
        .to_owned();
    Ok(Condition::all().add(contact::Column::StatusId.in_subquery(statuses)))
}

fn tagged_with(ids: &[Uuid], field: &str) -> AppResult<Condition> {
    contacts_in(
        field,
        ids,
        Query::select()
            .column(contact_tag::Column::ContactId)
            .from(contact_tag::Entity)
            .and_where(contact_tag::Column::TagId.is_in(ids.to_vec()))
            .to_owned(),
    )
}

fn linked_to_services(ids: &[Uuid], field: &str) -> AppResult<Condition> {
    contacts_in(
        field,
        ids,
        Query::select()
            .column(contact_service::Column::ContactId)
            .from(contact_service::Entity)
            .and_where(contact_service::Column::ServiceId.is_in(ids.to_vec()))
            .to_owned(),
    )
}

/// Contacts whose id `linked` selects: nothing when no id is given, at most `MAX_IN_LIST` ids.
fn contacts_in(field: &str, ids: &[Uuid], linked: SelectStatement) -> AppResult<Condition> {
    if ids.len() > MAX_IN_LIST {
        return Err(AppError::invalid(
            field,
            format!("at most {MAX_IN_LIST} ids may be given"),
        ));
    }
    Ok(if ids.is_empty() {
        Condition::all().add(Expr::cust("1 = 0"))
    } else {
        Condition::all().add(contact::Column::Id.in_subquery(linked))
    })
}

fn with_custom_fields(filters: &Vec<CustomFieldFilter>, field: &str) -> AppResult<Condition> {
    filters.condition(CustomFields("contacts"), field)
}

kernel::entity_order_by! {
    /// Orders contacts.
    pub struct ContactOrderByInput for contact::Entity {
        first_name => contact::Column::FirstName,
        last_name => contact::Column::LastName,
        email => contact::Column::Email,
        company_name => contact::Column::Company,
        city => contact::Column::City,
        country => contact::Column::Country,
        score => contact::Column::Score,
        last_activity_at => contact::Column::LastActivityAt,
        created_at => contact::Column::CreatedAt,
        updated_at => contact::Column::UpdatedAt,
    }
}

/// The most services one contact may be linked to in one call.
pub const MAX_SERVICES: usize = 100;

/// A contact's fields as given on create or update; `Undefined` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    pub first_name: Option<String>,
    pub last_name: MaybeUndefined<String>,
    pub email: MaybeUndefined<String>,
    pub phone: MaybeUndefined<String>,
    pub mobile: MaybeUndefined<String>,
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
    /// On create, absent means the organization's default status.
    pub status_id: MaybeUndefined<Uuid>,
    pub source: MaybeUndefined<LeadSource>,
    pub lifecycle_stage: MaybeUndefined<LifecycleStage>,
    pub score: MaybeUndefined<i32>,
    pub company_id: MaybeUndefined<Uuid>,
    pub traffic_source_id: MaybeUndefined<Uuid>,
    /// On create, absent means the caller.
    pub owner_id: MaybeUndefined<Uuid>,
    pub assigned_to_id: MaybeUndefined<Uuid>,
    /// Replaces the contact's services when given.
    pub service_ids: Option<Vec<Uuid>>,
    /// Replaces the contact's tags when given.
    pub tag_ids: Option<Vec<Uuid>>,
    pub custom_fields: Option<Value>,
}

/// A new contact (the create form of [`ContactInput`]; `first_name` is required).
pub type NewContact = ContactInput;

fn text(field: &'static str, max: usize) -> impl FnOnce(&String) -> AppResult<Option<String>> {
    move |v| validate::optional_text(field, Some(v), max)
}

fn url(field: &'static str) -> impl FnOnce(&String) -> AppResult<Option<String>> {
    move |v| validate::url(field, Some(v), 500)
}

/// Validates `input` onto `model`; ids it names must exist in the organization.
async fn apply(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    model: &mut contact::ActiveModel,
    input: &ContactInput,
) -> AppResult<()> {
    if let Some(first_name) = &input.first_name {
        model.first_name = Set(validate::required_text("firstName", first_name, 100)?);
    }
    if let Some(v) = kernel::patch::value(&input.last_name, text("lastName", 100))? {
        model.last_name = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.email, |v| {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            validate::email("email", v).map(Some)
        }
    })? {
        model.email = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.phone, text("phone", 20))? {
        model.phone = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.mobile, text("mobile", 20))? {
        model.mobile = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.company_name, text("companyName", 255))? {
        model.company = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.job_title, text("jobTitle", 100))? {
        model.job_title = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.department, text("department", 100))? {
        model.department = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.website, url("website"))? {
        model.website = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.linkedin_url, url("linkedinUrl"))? {
        model.linkedin_url = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.twitter_handle, text("twitterHandle", 50))? {
        model.twitter_handle = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.address_line1, text("addressLine1", 255))? {
        model.address_line1 = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.address_line2, text("addressLine2", 255))? {
        model.address_line2 = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.city, text("city", 100))? {
        model.city = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.state, text("state", 100))? {
        model.state = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.postal_code, text("postalCode", 20))? {
        model.postal_code = Set(v);
    }
    if let Some(v) =
        kernel::patch::value(&input.country, |v| validate::country("country", Some(v)))?
    {
        model.country = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.source, |v| Ok(Some(v.as_db().to_owned())))? {
        model.source = Set(v);
    }
    if let Some(v) =
        kernel::patch::value(&input.lifecycle_stage, |v| Ok(Some(v.as_db().to_owned())))?
    {
        model.lifecycle_stage = Set(v);
    }
    if let Some(v) = kernel::patch::value(&input.score, |v| {
        validate::int_range("score", Some(*v), 0, 100)
    })? {
        model.score = Set(v);
    }
    if let MaybeUndefined::Value(id) = input.status_id {
        contact_status::Entity::require_in(db, scope, id).await?;
    }
    if input.status_id.is_null() {
        model.status_id = Set(None);
    } else if let MaybeUndefined::Value(id) = input.status_id {
        model.status_id = Set(Some(id));
    }
    kernel::patch::reference(&mut model.company_id, &input.company_id, |id| {
        company::Entity::require_in(db, scope, id)
    })
    .await?;
    kernel::patch::reference(
        &mut model.traffic_source_id,
        &input.traffic_source_id,
        |id| require_entry::<traffic_source::Entity>(db, scope, id),
    )
    .await?;
    kernel::patch::reference(&mut model.owner_id, &input.owner_id, |id| {
        user::Entity::require_in(db, scope, id)
    })
    .await?;
    kernel::patch::reference(&mut model.assigned_to_id, &input.assigned_to_id, |id| {
        user::Entity::require_in(db, scope, id)
    })
    .await?;
    Ok(())
}

/// Checks the services and tags named by an input before anything is written.
async fn check_links(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    input: &ContactInput,
) -> AppResult<()> {
    if let Some(ids) = &input.service_ids {
        if ids.len() > MAX_SERVICES {
            return Err(AppError::invalid(
                "serviceIds",
                format!("at most {MAX_SERVICES} services"),
            ));
        }
        for id in ids.iter().collect::<HashSet<_>>() {
            require_entry::<service::Entity>(db, scope, *id).await?;
        }
    }
    if let Some(ids) = &input.tag_ids {
        let unique: Vec<Uuid> = ids
            .iter()
            .copied()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        require_tags(db, scope, &unique).await?;
    }
    Ok(())
}

/// Replaces a contact's tags with these (already checked) ids.
async fn set_tags(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    contact_id: Uuid,
    ids: &[Uuid],
) -> AppResult<()> {
    contact_tag::Entity::delete_scoped(scope)
        .filter(contact_tag::Column::ContactId.eq(contact_id))
        .exec(db)
        .await?;
    link_tags(db, scope, contact_id, ids).await
}

/// Adds links to tags the contact does not have yet.
async fn link_tags(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    contact_id: Uuid,
    ids: &[Uuid],
) -> AppResult<()> {
    let at = now();
    let rows: Vec<contact_tag::Model> = ids
        .iter()
        .map(|tag_id| contact_tag::Model {
            organization_id: scope.organization_id(),
            contact_id,
            tag_id: *tag_id,
            created_at: at,
        })
        .collect();
    // Tags the contact has (or that the list names twice) are skipped by the key.
    insert_missing::<contact_tag::Entity>(
        db,
        &rows,
        &[contact_tag::Column::ContactId, contact_tag::Column::TagId],
    )
    .await?;
    Ok(())
}

/// Replaces a contact's services with these (already checked) ids.
async fn set_services(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    contact_id: Uuid,
    ids: &[Uuid],
) -> AppResult<()> {
    contact_service::Entity::delete_scoped(scope)
        .filter(contact_service::Column::ContactId.eq(contact_id))
        .exec(db)
        .await?;
    let at = now();
    let rows: Vec<contact_service::Model> = ids
        .iter()
        .map(|service_id| contact_service::Model {
            organization_id: scope.organization_id(),
            contact_id,
            service_id: *service_id,
            created_at: at,
        })
        .collect();
    // The links were just removed; the key skips a service the list names twice.
    insert_missing::<contact_service::Entity>(
        db,
        &rows,
        &[
            contact_service::Column::ContactId,
            contact_service::Column::ServiceId,
        ],
    )
    .await?;
    Ok(())
}

/// The tag names of a contact, for audit snapshots.
async fn tag_names(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    contact_id: Uuid,
) -> AppResult<Vec<String>> {
    let ids: Vec<Uuid> = contact_tag::Entity::scoped(scope)
        .select_only()
        .column(contact_tag::Column::TagId)
        .filter(contact_tag::Column::ContactId.eq(contact_id))
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut names: Vec<String> = tag::Entity::scoped(scope)
        .select_only()
        .column(tag::Column::Name)
        .filter(tag::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    names.sort();
    Ok(names)
}

/// A contact the caller may see, or `NOT_FOUND`.
pub async fn require_visible_contact(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<contact::Model> {
    let found = contact::Entity::require_in(db, auth.scope(), id).await?;
    if visibility(db, auth)
        .await?
        .allows(found.owner_id, found.assigned_to_id)
    {
        Ok(found)
    } else {
        Err(AppError::not_found("Contact"))
    }
}

/// Reads one contact the caller may see (deleted ones included, so they can be restored).
pub async fn get_contact(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<contact::Model>> {
    require_read(auth)?;
    let Some(found) = contact::Entity::find_in(db, auth.scope(), id).await? else {
        return Ok(None);
    };
    Ok(visibility(db, auth)
        .await?
        .allows(found.owner_id, found.assigned_to_id)
        .then_some(found))
}

/// Lists the contacts the caller may see. `search` narrows by words and, without an
/// `orderBy`, ranks by relevance (see `crm::directory::search`).
pub async fn list_contacts(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<ContactFilterInput, ContactOrderByInput>,
    search: Option<&str>,
) -> AppResult<Page<contact::Model>> {
    list_contacts_where(db, auth, args, search, None).await
}

/// [`list_contacts`] limited further by `extra` (a segment's membership, for one).
pub async fn list_contacts_where(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<ContactFilterInput, ContactOrderByInput>,
    search: Option<&str>,
    extra: Option<sea_orm::Condition>,
) -> AppResult<Page<contact::Model>> {
    require_read(auth)?;
    let mut select = contact::Entity::scoped(auth.scope());
    if let Some(extra) = extra {
        select = select.filter(extra);
    }
    select = args.hide_deleted(select, contact::Column::DeletedAt);
    if let Some(condition) = visibility(db, auth).await?.condition(
        contact::Column::OwnerId,
        Some(contact::Column::AssignedToId),
    ) {
        select = select.filter(condition);
    }
    let search = search_condition(
        is_postgres(db),
        "contacts",
        &[
            contact::Column::FirstName,
            contact::Column::LastName,
            contact::Column::Email,
            contact::Column::Company,
        ],
        search,
    )?;
    let (select, relevance) = narrow(select, search);
    list_ranked(
        db,
        select,
        args,
        relevance,
        &[SortKey::new(
            contact::Column::CreatedAt,
            OrderDirection::DescNullsLast,
        )],
        contact::Column::Id,
    )
    .await
}

/// Creates a contact in the caller's transaction (also used by import and lead conversion):
/// the caller owns it unless `owner_id` says otherwise, and it gets the organization's default
/// status unless `status_id` is given.
pub async fn create_contact_in(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    input: NewContact,
) -> AppResult<contact::Model> {
    require_create(auth, Area::Contacts)?;
    if input.first_name.is_none() {
        return Err(AppError::invalid(
            "firstName",
            "firstName must not be empty",
        ));
    }
    let scope = auth.scope();
    let at = now();
    let status_id = if input.status_id.is_undefined() {
        default_status(tx.db(), scope).await?.map(|s| s.id)
    } else {
        None
    };
    let mut model = contact::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        first_name: Set(String::new()),
        last_name: Set(None),
        email: Set(None),
        phone: Set(None),
        mobile: Set(None),
        company: Set(None),
        job_title: Set(None),
        department: Set(None),
        website: Set(None),
        linkedin_url: Set(None),
        twitter_handle: Set(None),
        address_line1: Set(None),
        address_line2: Set(None),
        city: Set(None),
        state: Set(None),
        postal_code: Set(None),
        country: Set(None),
        status_id: Set(status_id),
        source: Set(None),
        lifecycle_stage: Set(None),
        score: Set(None),
        custom_fields: Set(json!({})),
        company_id: Set(None),
        traffic_source_id: Set(None),
        last_activity_at: Set(None),
        owner_id: Set(Some(auth.user_id)),
        assigned_to_id: Set(None),
        portal_user_id: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        deleted_at: Set(None),
    };
    apply(tx.db(), scope, &mut model, &input).await?;
    check_links(tx.db(), scope, &input).await?;
    let custom = validate_custom_fields(
        tx.db(),
        scope,
        CustomFieldEntity::Contact,
        input.custom_fields.as_ref(),
        None,
    )
    .await?;
    model.custom_fields = Set(custom);
    let created = model.insert(tx.db()).await?;
    if let Some(ids) = &input.tag_ids {
        link_tags(tx.db(), scope, created.id, ids).await?;
    }
    if let Some(ids) = &input.service_ids {
        set_services(tx.db(), scope, created.id, ids).await?;
    }
    tx.created::<contact::Entity>(&created).await?;
    Ok(created)
}

/// Creates a contact.
pub async fn create_contact(
    store: &Store,
    auth: &AuthContext,
    input: NewContact,
) -> AppResult<contact::Model> {
    require_create(auth, Area::Contacts)?;
    let mut tx = Tx::begin(store, auth).await?;
    let created = create_contact_in(&mut tx, auth, input).await?;
    tx.commit().await?;
    Ok(created)
}

/// Creates up to 100 contacts, all or nothing.
pub async fn create_contacts(
    store: &Store,
    auth: &AuthContext,
    inputs: Vec<NewContact>,
) -> AppResult<Vec<contact::Model>> {
    require_create(auth, Area::Contacts)?;
    check_batch_size(inputs.len(), "contacts")?;
    let mut tx = Tx::begin(store, auth).await?;
    let mut created = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.into_iter().enumerate() {
        let contact = create_contact_in(&mut tx, auth, input).await;
        created.push(contact.map_err(|e| of_item(e, index))?);
    }
    tx.commit().await?;
    Ok(created)
}

/// Updates a contact (sales reps: only those they own or are assigned).
pub async fn update_contact(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: ContactInput,
) -> AppResult<contact::Model> {
    let mut tx = Tx::begin(store, auth).await?;
    let scope = auth.scope();
    let before = require_visible_contact(tx.db(), auth, id).await?;
    require_edit(auth, Area::Contacts, before.owner_id, before.assigned_to_id)?;
    let mut model = before.clone().into_active_model();
    apply(tx.db(), scope, &mut model, &input).await?;
    check_links(tx.db(), scope, &input).await?;
    if input.custom_fields.is_some() {
        let custom = validate_custom_fields(
            tx.db(),
            scope,
            CustomFieldEntity::Contact,
            input.custom_fields.as_ref(),
            Some(&before.custom_fields),
        )
        .await?;
        model.custom_fields = Set(custom);
    }
    if let Some(ids) = &input.tag_ids {
        set_tags(tx.db(), scope, id, ids).await?;
    }
    if let Some(ids) = &input.service_ids {
        set_services(tx.db(), scope, id, ids).await?;
    }
    let links_changed = input.tag_ids.is_some() || input.service_ids.is_some();
    if links_changed {
        // New links are a change of the contact, stamped and audited like its columns.
        model.updated_at = Set(now());
    }
    let after = tx.save::<contact::Entity>(before, model).await?;
    tx.commit().await?;
    Ok(after)
}

// Delete and restore: as for editing. Destroy: its tag, service and segment links, its
// activities and notes go with it; opportunities and converted leads lose the reference.
impl Lifecycle for contact::Entity {
    async fn require_writable(
        db: &DatabaseTransaction,
        auth: &AuthContext,
        id: Uuid,
    ) -> AppResult<contact::Model> {
        let contact = require_visible_contact(db, auth, id).await?;
        require_edit(
            auth,
            Area::Contacts,
            contact.owner_id,
            contact.assigned_to_id,
        )?;
        Ok(contact)
    }

    async fn before_destroy(tx: &mut Tx<'_>, contact: &contact::Model) -> AppResult<()> {
        let (scope, id) = (tx.scope(), contact.id);
        contact_tag::Entity::delete_references(scope, contact_tag::Column::ContactId, id)
            .exec(tx.db())
            .await?;
        contact_service::Entity::delete_references(scope, contact_service::Column::ContactId, id)
            .exec(tx.db())
            .await?;
        segment_member::Entity::delete_references(scope, segment_member::Column::ContactId, id)
            .exec(tx.db())
            .await?;
        activity::Entity::delete_references(scope, activity::Column::ContactId, id)
            .exec(tx.db())
            .await?;
        note::Entity::delete_references(scope, note::Column::ContactId, id)
            .exec(tx.db())
            .await?;
        opportunity::Entity::clear_references(scope, opportunity::Column::ContactId, id)
            .exec(tx.db())
            .await?;
        lead::Entity::clear_references(scope, lead::Column::ConvertedContactId, id)
            .exec(tx.db())
            .await?;
        Ok(())
    }
}

/// Adds tags to a contact by name, creating missing tags (title-cased); idempotent.
pub async fn add_contact_tags(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    names: &[String],
) -> AppResult<contact::Model> {
    let mut tx = Tx::begin(store, auth).await?;
    let scope = auth.scope();
    let found = require_visible_contact(tx.db(), auth, id).await?;
    require_edit(auth, Area::Contacts, found.owner_id, found.assigned_to_id)?;
    let before = tag_names(tx.db(), scope, id).await?;
    let tags = ensure_tags(&mut tx, scope, "names", names).await?;
    let ids: Vec<Uuid> = tags.iter().map(|t| t.id).collect();
    link_tags(tx.db(), scope, id, &ids).await?;
    let after = tag_names(tx.db(), scope, id).await?;
    if before != after {
        tx.record(
            Action::Tag,
            contact::Entity::LABEL,
            id,
            Some(json!({ "tags": before })),
            Some(json!({ "tags": after })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(found)
}

/// Removes tags from a contact by name (names are matched title-cased; unknown names are
/// ignored). The tags themselves stay.
pub async fn remove_contact_tags(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    names: &[String],
) -> AppResult<contact::Model> {
    let mut tx = Tx::begin(store, auth).await?;
    let scope = auth.scope();
    let found = require_visible_contact(tx.db(), auth, id).await?;
    require_edit(auth, Area::Contacts, found.owner_id, found.assigned_to_id)?;
    let mut wanted = Vec::with_capacity(names.len());
    for name in names {
        wanted.push(crate::crm::directory::tags::service::tag_name(
            "names", name,
        )?);
    }
    let before = tag_names(tx.db(), scope, id).await?;
    if !wanted.is_empty() {
        let ids: Vec<Uuid> = tag::Entity::scoped(auth.scope())
            .select_only()
            .column(tag::Column::Id)
            .filter(tag::Column::Name.is_in(wanted))
            .into_tuple()
            .all(tx.db())
            .await?;
        if !ids.is_empty() {
            contact_tag::Entity::delete_scoped(auth.scope())
                .filter(contact_tag::Column::ContactId.eq(id))
                .filter(contact_tag::Column::TagId.is_in(ids))
                .exec(tx.db())
                .await?;
        }
    }
    let after = tag_names(tx.db(), scope, id).await?;
    if before != after {
        tx.record(
            Action::Untag,
            contact::Entity::LABEL,
            id,
            Some(json!({ "tags": before })),
            Some(json!({ "tags": after })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(found)
}

/// The services of a contact (used where no loader is at hand).
pub async fn contact_services(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    contact_id: Uuid,
) -> AppResult<Vec<service::Model>> {
    let ids: Vec<Uuid> = contact_service::Entity::scoped(scope)
        .select_only()
        .column(contact_service::Column::ServiceId)
        .filter(contact_service::Column::ContactId.eq(contact_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(service::Entity::scoped(scope)
        .filter(service::Column::Id.is_in(ids))
        .all(db)
        .await?)
}
