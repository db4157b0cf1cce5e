//! Database work and rules for leads.

use async_graphql::{InputObject, Json as GqlJson, MaybeUndefined};
use identity::audit::Tx;
use identity::audit::lifecycle::Lifecycle;
use identity::organizations::service::default_currency;
use kernel::batch::{check_batch_size, of_item};
use kernel::db::{DbEnum, is_postgres, now};
use kernel::listing::{CustomFields, ListArgs, OrderDirection, Page, SortKey, list_ranked};
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppError, AppResult, AuthContext, Store, validate};
use rust_decimal::Decimal;
use sea_orm::DatabaseTransaction;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::Value;
use uuid::Uuid;

use super::{LeadSource, LeadStatus};
use crate::crm::access::{Area, require_create, require_edit, require_read, visibility};
use crate::crm::directory::custom_fields::{CustomFieldEntity, validate_custom_fields};
use crate::crm::directory::search::{SearchMatch, narrow};
use crate::crm::probability;
use crate::entity::{activity, lead, note, opportunity, user};

kernel::enum_filter!(LeadStatusFilter, LeadStatus, "Filters on a lead status.");
kernel::enum_filter!(LeadSourceFilter, LeadSource, "Filters on a lead source.");

kernel::entity_filter! {
    /// Filters leads.
    pub struct LeadFilterInput {
        id: UuidFilter => lead::Column::Id,
        name: StringFilter => lead::Column::Name,
        first_name: StringFilter => lead::Column::FirstName,
        last_name: StringFilter => lead::Column::LastName,
        email: StringFilter => lead::Column::Email,
        company: StringFilter => lead::Column::Company,
        status: LeadStatusFilter => lead::Column::Status,
        source: LeadSourceFilter => lead::Column::Source,
        grade: StringFilter => lead::Column::Grade,
        score: IntFilter => lead::Column::Score,
        estimated_value: DecimalFilter => lead::Column::EstimatedValue,
        owner_id: UuidFilter => lead::Column::OwnerId,
        assigned_to_id: UuidFilter => lead::Column::AssignedToId,
        converted_contact_id: UuidFilter => lead::Column::ConvertedContactId,
        campaign_id: UuidFilter => lead::Column::CampaignId,
        last_activity_at: DateTimeFilter => lead::Column::LastActivityAt,
        converted_at: DateTimeFilter => lead::Column::ConvertedAt,
        created_at: DateTimeFilter => lead::Column::CreatedAt,
        updated_at: DateTimeFilter => lead::Column::UpdatedAt,
        deleted_at: DateTimeFilter => lead::Column::DeletedAt,
        /// Conditions on custom field values (all must hold).
        custom_fields: Vec<CustomFieldFilter> => CustomFields("leads"),
    }
}

kernel::entity_order_by! {
    /// Orders leads.
    pub struct LeadOrderByInput for lead::Entity {
        name => lead::Column::Name,
        email => lead::Column::Email,
        company => lead::Column::Company,
        status => lead::Column::Status,
        score => lead::Column::Score,
        estimated_value => lead::Column::EstimatedValue,
        last_activity_at => lead::Column::LastActivityAt,
        created_at => lead::Column::CreatedAt,
        updated_at => lead::Column::UpdatedAt,
    }
}

/// The most tags a lead may carry.
const MAX_TAGS: usize = 50;
/// The longest tag.
const MAX_TAG_CHARS: usize = 50;
/// The largest JSON document (score breakdown, custom fields), serialized.
const MAX_JSON_BYTES: usize = 64 * 1024;

/// A new lead. At least one of `name`, `firstName` + `lastName`, `email` or `company` is needed.
#[derive(InputObject, Debug, Default, Clone)]
pub struct LeadCreateInput {
    /// The lead's name or title.
    pub name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Stored in lower case.
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The company's name, as text.
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub website: Option<String>,
    pub source: Option<LeadSource>,
    pub source_detail: Option<String>,
    /// Defaults to NEW; CONVERTED is set only by `convertLead`.
    pub status: Option<LeadStatus>,
    pub substatus: Option<String>,
    /// 0 to 100.
    pub score: Option<i32>,
    /// A JSON object of score components.
    pub score_breakdown: Option<GqlJson<Value>>,
    /// A to F.
    pub grade: Option<String>,
    pub estimated_value: Option<Decimal>,
    /// ISO 4217; defaults to the organization's default currency.
    pub currency: Option<String>,
    /// Whole percent, 0 to 100.
    pub probability: Option<i32>,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub referrer_url: Option<String>,
    pub landing_page: Option<String>,
    pub notes: Option<String>,
    /// Title-cased and deduplicated.
    pub tags: Option<Vec<String>>,
    pub custom_fields: Option<GqlJson<Value>>,
    /// Defaults to the creator.
    pub owner_id: Option<Uuid>,
    pub assigned_to_id: Option<Uuid>,
    /// Refused until campaigns exist: no id can name one yet.
    pub campaign_id: Option<Uuid>,
}

/// Changes to a lead; absent fields stay as they are, null clears.
#[derive(InputObject, Debug, Default, Clone)]
pub struct LeadUpdateInput {
    pub name: MaybeUndefined<String>,
    pub first_name: MaybeUndefined<String>,
    pub last_name: MaybeUndefined<String>,
    pub email: MaybeUndefined<String>,
    pub phone: MaybeUndefined<String>,
    pub company: MaybeUndefined<String>,
    pub job_title: MaybeUndefined<String>,
    pub website: MaybeUndefined<String>,
    pub source: MaybeUndefined<LeadSource>,
    pub source_detail: MaybeUndefined<String>,
    /// Moving to QUALIFIED sets `qualifiedAt`; the first move away from NEW sets
    /// `firstRespondedAt`. CONVERTED is set only by `convertLead`.
    pub status: Option<LeadStatus>,
    pub substatus: MaybeUndefined<String>,
    pub score: MaybeUndefined<i32>,
    pub score_breakdown: MaybeUndefined<GqlJson<Value>>,
    pub grade: MaybeUndefined<String>,
    pub estimated_value: MaybeUndefined<Decimal>,
    pub currency: Option<String>,
    /// Whole percent, 0 to 100.
    pub probability: MaybeUndefined<i32>,
    pub utm_source: MaybeUndefined<String>,
    pub utm_medium: MaybeUndefined<String>,
    pub utm_campaign: MaybeUndefined<String>,
    pub referrer_url: MaybeUndefined<String>,
    pub landing_page: MaybeUndefined<String>,
    pub notes: MaybeUndefined<String>,
    pub tags: Option<Vec<String>>,
    pub custom_fields: Option<GqlJson<Value>>,
    pub owner_id: MaybeUndefined<Uuid>,
    pub assigned_to_id: MaybeUndefined<Uuid>,
    /// Null clears; an id is refused until campaigns exist.
    pub campaign_id: MaybeUndefined<Uuid>,
}

impl From<LeadCreateInput> for LeadUpdateInput {
    fn from(input: LeadCreateInput) -> Self {
        Self {
            name: kernel::patch::given(input.name),
            first_name: kernel::patch::given(input.first_name),
            last_name: kernel::patch::given(input.last_name),
            email: kernel::patch::given(input.email),
            phone: kernel::patch::given(input.phone),
            company: kernel::patch::given(input.company),
            job_title: kernel::patch::given(input.job_title),
            website: kernel::patch::given(input.website),
            source: kernel::patch::given(input.source),
            source_detail: kernel::patch::given(input.source_detail),
            status: input.status,
            substatus: kernel::patch::given(input.substatus),
            score: kernel::patch::given(input.score),
            score_breakdown: kernel::patch::given(input.score_breakdown),
            grade: kernel::patch::given(input.grade),
            estimated_value: kernel::patch::given(input.estimated_value),
            currency: input.currency,
            probability: kernel::patch::given(input.probability),
            utm_source: kernel::patch::given(input.utm_source),
            utm_medium: kernel::patch::given(input.utm_medium),
            utm_campaign: kernel::patch::given(input.utm_campaign),
            referrer_url: kernel::patch::given(input.referrer_url),
            landing_page: kernel::patch::given(input.landing_page),
            notes: kernel::patch::given(input.notes),
            tags: input.tags,
            custom_fields: input.custom_fields,
            owner_id: kernel::patch::given(input.owner_id),
            assigned_to_id: kernel::patch::given(input.assigned_to_id),
            campaign_id: kernel::patch::given(input.campaign_id),
        }
    }
}

/// A lead the caller may read (sales reps within their visibility), or `NOT_FOUND`.
pub async fn require_visible_lead(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<lead::Model> {
    let visibility = visibility(db, auth).await?;
    lead::Entity::find_in(db, auth.scope(), id)
        .await?
        .filter(|l| visibility.allows(l.owner_id, l.assigned_to_id))
        .ok_or_else(|| AppError::not_found("Lead"))
}

/// Reads one lead (soft-deleted ones included, with `deletedAt` set); `None` when absent, in
/// another organization or outside a sales rep's visibility.
pub async fn get_lead(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Option<lead::Model>> {
    require_read(auth)?;
    let visibility = visibility(db, auth).await?;
    Ok(lead::Entity::find_in(db, auth.scope(), id)
        .await?
        .filter(|l| visibility.allows(l.owner_id, l.assigned_to_id)))
}

/// The match of a `search` text (see `crm::directory::search`): on SQLite every word must
/// appear in the name, first or last name, e-mail or company.
fn search_condition(db: &impl ConnectionTrait, search: &str) -> AppResult<Option<SearchMatch>> {
    crate::crm::directory::search::search_condition(
        is_postgres(db),
        "leads",
        &[
            lead::Column::Name,
            lead::Column::FirstName,
            lead::Column::LastName,
            lead::Column::Email,
            lead::Column::Company,
        ],
        Some(search),
    )
}

/// Lists leads the caller may read, with an optional full-text `search`.
pub async fn list_leads(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    args: &ListArgs<LeadFilterInput, LeadOrderByInput>,
    search: Option<&str>,
) -> AppResult<Page<lead::Model>> {
    require_read(auth)?;
    let mut select = lead::Entity::scoped(auth.scope());
    if let Some(condition) = visibility(db, auth)
        .await?
        .condition(lead::Column::OwnerId, Some(lead::Column::AssignedToId))
    {
        select = select.filter(condition);
    }
    select = args.hide_deleted(select, lead::Column::DeletedAt);
    let search = search
        .map(|s| search_condition(db, s))
        .transpose()?
        .flatten();
    let (select, relevance) = narrow(select, search);
    list_ranked(
        db,
        select,
        args,
        relevance,
        &[SortKey::new(
            lead::Column::CreatedAt,
            OrderDirection::DescNullsLast,
        )],
        lead::Column::Id,
    )
    .await
}

/// Rejects JSON the databases cannot store (NUL characters, which PostgreSQL refuses) or that
/// is unreasonably large.
pub fn check_json(field: &str, value: &Value) -> AppResult<()> {
    fn has_nul(value: &Value) -> bool {
        match value {
            Value::String(s) => s.contains('\0'),
            Value::Array(items) => items.iter().any(has_nul),
            Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
            _ => false,
        }
    }
    if has_nul(value) {
        return Err(AppError::invalid(
            field,
            format!("{field} contains NUL characters"),
        ));
    }
    if value.to_string().len() > MAX_JSON_BYTES {
        return Err(AppError::invalid(field, format!("{field} is too large")));
    }
    Ok(())
}

/// A JSON object (score breakdowns, custom fields); anything else is `BAD_USER_INPUT`.
pub fn json_object(field: &str, value: Value) -> AppResult<Value> {
    if !value.is_object() {
        return Err(AppError::invalid(
            field,
            format!("{field} must be a JSON object"),
        ));
    }
    check_json(field, &value)?;
    Ok(value)
}

/// Tags: trimmed, title-cased, deduplicated (ignoring case), at most 50 of at most 50 characters.
pub fn normalize_tags(tags: &[String]) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let Some(tag) = validate::optional_text("tags", Some(tag), MAX_TAG_CHARS)? else {
            continue;
        };
        let tag = validate::title_case(&tag);
        if !out.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            out.push(tag);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(AppError::invalid(
            "tags",
            format!("a lead may have at most {MAX_TAGS} tags"),
        ));
    }
    Ok(out)
}

fn grade(value: &str) -> AppResult<Option<String>> {
    let grade = value.trim().to_ascii_uppercase();
    if grade.is_empty() {
        return Ok(None);
    }
    if matches!(grade.as_str(), "A" | "B" | "C" | "D" | "E" | "F") {
        Ok(Some(grade))
    } else {
        Err(AppError::invalid("grade", "grade must be one of A to F"))
    }
}

/// A clearable text input: GraphQL field name, patch, maximum length and the column it sets.
type TextField<'a> = (
    &'a str,
    &'a MaybeUndefined<String>,
    usize,
    &'a mut sea_orm::ActiveValue<Option<String>>,
);

/// Applies validated changes to a lead. `before` is `None` for a new lead.
async fn apply_changes(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    model: &mut lead::ActiveModel,
    before: Option<&lead::Model>,
    input: LeadUpdateInput,
) -> AppResult<()> {
    let at = now();
    let texts: [TextField<'_>; 11] = [
        ("name", &input.name, 255, &mut model.name),
        ("firstName", &input.first_name, 100, &mut model.first_name),
        ("lastName", &input.last_name, 100, &mut model.last_name),
        ("phone", &input.phone, 20, &mut model.phone),
        ("company", &input.company, 255, &mut model.company),
        ("jobTitle", &input.job_title, 100, &mut model.job_title),
        (
            "sourceDetail",
            &input.source_detail,
            255,
            &mut model.source_detail,
        ),
        ("substatus", &input.substatus, 50, &mut model.substatus),
        ("utmSource", &input.utm_source, 100, &mut model.utm_source),
        ("utmMedium", &input.utm_medium, 100, &mut model.utm_medium),
        (
            "utmCampaign",
            &input.utm_campaign,
            100,
            &mut model.utm_campaign,
        ),
    ];
    for (field, patch, max, target) in texts {
        if let Some(value) = kernel::patch::text(field, patch, max)? {
            *target = Set(value);
        }
    }
    kernel::patch::clearable(&mut model.notes, &input.notes, |text| {
        validate::long_text("notes", Some(text), 100_000)
    })?;
    // An empty e-mail address clears it, as empty text does.
    kernel::patch::clearable(&mut model.email, &input.email, |text| {
        if text.trim().is_empty() {
            Ok(None)
        } else {
            validate::email("email", text).map(Some)
        }
    })?;
    for (field, patch, target) in [
        ("website", &input.website, &mut model.website),
        ("referrerUrl", &input.referrer_url, &mut model.referrer_url),
        ("landingPage", &input.landing_page, &mut model.landing_page),
    ] {
        if let Some(value) =
            kernel::patch::value(patch, |text| validate::url(field, Some(text), 500))?
        {
            *target = Set(value);
        }
    }
    kernel::patch::clearable(&mut model.source, &input.source, |source| {
        Ok(Some(source.as_db().to_owned()))
    })?;
    kernel::patch::clearable(&mut model.score, &input.score, |score| {
        validate::int_range("score", Some(*score), 0, 100)
    })?;
    kernel::patch::clearable(
        &mut model.score_breakdown,
        &input.score_breakdown,
        |value| json_object("scoreBreakdown", value.0.clone()).map(Some),
    )?;
    kernel::patch::clearable(&mut model.grade, &input.grade, |text| grade(text))?;
    kernel::patch::clearable(
        &mut model.estimated_value,
        &input.estimated_value,
        |value| validate::money("estimatedValue", *value).map(Some),
    )?;
    if let Some(currency) = &input.currency {
        model.currency = Set(Some(validate::currency("currency", currency)?));
    }
    kernel::patch::clearable(&mut model.probability, &input.probability, |value| {
        probability::from_input("probability", *value).map(Some)
    })?;
    if let Some(tags) = &input.tags {
        model.tags = Set(Value::from(normalize_tags(tags)?));
    }
    // On creation the definitions' required fields apply even when nothing is given.
    if input.custom_fields.is_some() || before.is_none() {
        let given = input.custom_fields.as_ref().map(|json| &json.0);
        let existing = before.map(|b| &b.custom_fields);
        model.custom_fields =
            Set(
                validate_custom_fields(db, auth.scope(), CustomFieldEntity::Lead, given, existing)
                    .await?,
            );
    }
    kernel::patch::reference(&mut model.owner_id, &input.owner_id, |id| {
        user::Entity::require_in(db, auth.scope(), id)
    })
    .await?;
    kernel::patch::reference(&mut model.assigned_to_id, &input.assigned_to_id, |id| {
        user::Entity::require_in(db, auth.scope(), id)
    })
    .await?;
    match input.campaign_id {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => model.campaign_id = Set(None),
        // Every reference from input is checked in the caller's organization; there is no
        // campaign to check against yet, so no id can be right.
        MaybeUndefined::Value(_) => {
            return Err(AppError::invalid(
                "campaignId",
                "campaignId names no campaign: campaigns do not exist yet",
            ));
        }
    }
    if let Some(status) = input.status {
        let old = before.map(|b| b.status.as_str());
        if status == LeadStatus::Converted && old != Some(LeadStatus::Converted.as_db()) {
            return Err(AppError::invalid(
                "status",
                "a lead becomes CONVERTED only through convertLead",
            ));
        }
        if old == Some(LeadStatus::Converted.as_db()) && status != LeadStatus::Converted {
            return Err(AppError::invalid(
                "status",
                "a converted lead keeps its status",
            ));
        }
        if old != Some(status.as_db()) {
            model.status = Set(status.as_db().to_owned());
            if status == LeadStatus::Qualified {
                model.qualified_at = Set(Some(at));
            }
            let responded = before.is_some_and(|b| b.first_responded_at.is_some());
            if status != LeadStatus::New && !responded {
                model.first_responded_at = Set(Some(at));
            }
        }
    }
    check_identity(model)
}

/// A lead needs something to call it by: a name, a first and last name, an e-mail or a company.
fn check_identity(model: &lead::ActiveModel) -> AppResult<()> {
    let has = |value: &sea_orm::ActiveValue<Option<String>>| {
        value.as_ref().as_ref().is_some_and(|v| !v.is_empty())
    };
    let named = has(&model.name)
        || (has(&model.first_name) && has(&model.last_name))
        || has(&model.email)
        || has(&model.company);
    if named {
        Ok(())
    } else {
        Err(AppError::invalid(
            "name",
            "a lead needs a name, a first and last name, an e-mail address or a company",
        ))
    }
}

async fn insert_lead(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    currency: &str,
    input: LeadCreateInput,
) -> AppResult<lead::Model> {
    let at = now();
    let mut model = lead::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        name: Set(None),
        first_name: Set(None),
        last_name: Set(None),
        email: Set(None),
        phone: Set(None),
        company: Set(None),
        job_title: Set(None),
        website: Set(None),
        source: Set(None),
        source_detail: Set(None),
        status: Set(LeadStatus::New.as_db().to_owned()),
        substatus: Set(None),
        score: Set(None),
        score_breakdown: Set(None),
        grade: Set(None),
        estimated_value: Set(None),
        currency: Set(Some(currency.to_owned())),
        probability: Set(None),
        utm_source: Set(None),
        utm_medium: Set(None),
        utm_campaign: Set(None),
        referrer_url: Set(None),
        landing_page: Set(None),
        notes: Set(None),
        tags: Set(Value::Array(Vec::new())),
        custom_fields: Set(Value::Object(serde_json::Map::new())),
        converted_contact_id: Set(None),
        converted_opportunity_id: Set(None),
        campaign_id: Set(None),
        last_activity_at: Set(None),
        first_responded_at: Set(None),
        qualified_at: Set(None),
        converted_at: Set(None),
        owner_id: Set(Some(auth.user_id)),
        assigned_to_id: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        deleted_at: Set(None),
    };
    apply_changes(tx.db(), auth, &mut model, None, input.into()).await?;
    let created = model.insert(tx.db()).await?;
    tx.created::<lead::Entity>(&created).await?;
    Ok(created)
}

/// Creates a lead, owned by the caller unless another owner is given.
pub async fn create_lead(
    store: &Store,
    auth: &AuthContext,
    input: LeadCreateInput,
) -> AppResult<lead::Model> {
    require_create(auth, Area::Leads)?;
    let mut tx = Tx::begin(store, auth).await?;
    let currency = default_currency(tx.db(), auth.scope()).await?;
    let created = insert_lead(&mut tx, auth, &currency, input).await?;
    tx.commit().await?;
    Ok(created)
}

/// Creates up to 100 leads, all or nothing.
pub async fn create_leads(
    store: &Store,
    auth: &AuthContext,
    inputs: Vec<LeadCreateInput>,
) -> AppResult<Vec<lead::Model>> {
    require_create(auth, Area::Leads)?;
    check_batch_size(inputs.len(), "leads")?;
    let mut tx = Tx::begin(store, auth).await?;
    let currency = default_currency(tx.db(), auth.scope()).await?;
    let mut created = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.into_iter().enumerate() {
        let one = insert_lead(&mut tx, auth, &currency, input).await;
        created.push(one.map_err(|e| of_item(e, index))?);
    }
    tx.commit().await?;
    Ok(created)
}

/// A lead the caller may change: visible (`NOT_FOUND` otherwise) and owned or assigned for
/// sales reps (`FORBIDDEN` otherwise).
pub async fn require_editable_lead(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<lead::Model> {
    let lead = require_visible_lead(db, auth, id).await?;
    require_edit(auth, Area::Leads, lead.owner_id, lead.assigned_to_id)?;
    Ok(lead)
}

/// Updates a lead that is not deleted.
pub async fn update_lead(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: LeadUpdateInput,
) -> AppResult<lead::Model> {
    let mut tx = Tx::begin(store, auth).await?;
    let before = require_editable_lead(tx.db(), auth, id).await?;
    if before.deleted_at.is_some() {
        return Err(AppError::not_found("Lead"));
    }
    let mut model = before.clone().into_active_model();
    apply_changes(tx.db(), auth, &mut model, Some(&before), input).await?;
    let after = tx.save::<lead::Entity>(before, model).await?;
    tx.commit().await?;
    Ok(after)
}

// Delete and restore: as for editing. Destroy: opportunities keep existing without their lead;
// activities and notes lose the lead as a target, and those that had no other target are
// destroyed with it.
impl Lifecycle for lead::Entity {
    async fn require_writable(
        db: &DatabaseTransaction,
        auth: &AuthContext,
        id: Uuid,
    ) -> AppResult<lead::Model> {
        require_editable_lead(db, auth, id).await
    }

    async fn before_destroy(tx: &mut Tx<'_>, lead: &lead::Model) -> AppResult<()> {
        let scope = tx.scope();
        opportunity::Entity::clear_references(scope, opportunity::Column::LeadId, lead.id)
            .exec(tx.db())
            .await?;
        let orphaned_activities = activity::Entity::scoped(scope)
            .filter(activity::Column::LeadId.eq(lead.id))
            .filter(activity::Column::ContactId.is_null())
            .filter(activity::Column::CompanyId.is_null())
            .filter(activity::Column::OpportunityId.is_null())
            .all(tx.db())
            .await?;
        for row in orphaned_activities {
            tx.destroy::<activity::Entity>(&row).await?;
        }
        activity::Entity::clear_references(scope, activity::Column::LeadId, lead.id)
            .exec(tx.db())
            .await?;
        let orphaned_notes = note::Entity::scoped(scope)
            .filter(note::Column::LeadId.eq(lead.id))
            .filter(note::Column::ContactId.is_null())
            .filter(note::Column::CompanyId.is_null())
            .filter(note::Column::OpportunityId.is_null())
            .all(tx.db())
            .await?;
        for row in orphaned_notes {
            tx.destroy::<note::Entity>(&row).await?;
        }
        note::Entity::clear_references(scope, note::Column::LeadId, lead.id)
            .exec(tx.db())
            .await?;
        Ok(())
    }
}
