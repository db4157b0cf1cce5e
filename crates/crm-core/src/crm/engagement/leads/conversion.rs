//! Converting a lead: in one transaction, find or create its contact and company, optionally
//! open an opportunity, and mark the lead CONVERTED.

use chrono::NaiveDate;
use identity::audit::Tx;
use identity::organizations::service::default_currency;
use kernel::db::{DbEnum, now};
use kernel::events::Action;
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppError, AppResult, AuthContext, Store, validate};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::Value;
use uuid::Uuid;

use super::LeadStatus;
use super::service::require_editable_lead;
use crate::crm::access::{Area, require_create};
use crate::entity::{
    company, contact, contact_status, lead, opportunity, pipeline, stage, stage_history,
};

/// What a conversion should create besides the contact.
#[derive(Debug, Clone)]
pub struct ConversionOptions {
    /// Whether to open an opportunity (default true).
    pub create_opportunity: bool,
    /// Defaults to "<company or lead name> deal".
    pub opportunity_name: Option<String>,
    /// Defaults to the lead's estimated value, or 0.
    pub value: Option<Decimal>,
    /// Defaults to the lead's currency, or the organization's.
    pub currency: Option<String>,
    /// Defaults to the stage's pipeline, or the organization's default pipeline.
    pub pipeline_id: Option<Uuid>,
    /// Defaults to the pipeline's first stage.
    pub stage_id: Option<Uuid>,
    pub expected_close_date: Option<NaiveDate>,
}

impl Default for ConversionOptions {
    fn default() -> Self {
        Self {
            create_opportunity: true,
            opportunity_name: None,
            value: None,
            currency: None,
            pipeline_id: None,
            stage_id: None,
            expected_close_date: None,
        }
    }
}

/// The outcome of a conversion: the converted lead and the rows it now points at.
#[derive(Debug, Clone)]
pub struct LeadConversion {
    pub lead: lead::Model,
    pub contact: contact::Model,
    pub company: Option<company::Model>,
    pub opportunity: Option<opportunity::Model>,
}

/// E-mail domains of free mail providers, which say nothing about a lead's company.
const FREE_MAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "ymail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.com",
    "gmx.net",
    "gmx.de",
    "web.de",
    "mail.com",
    "yandex.com",
    "zoho.com",
];

/// The company domain a lead points at: its website's host, else its e-mail domain unless that
/// belongs to a free mail provider.
pub fn lead_domain(lead: &lead::Model) -> Option<String> {
    if let Some(website) = &lead.website {
        let lower = website.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .unwrap_or(&lower);
        let host = rest
            .split(['/', '?', '#'])
            .next()
            .unwrap_or_default()
            .rsplit('@')
            .next()
            .unwrap_or_default()
            .split(':')
            .next()
            .unwrap_or_default();
        let host = host.strip_prefix("www.").unwrap_or(host);
        if host.contains('.') && host.len() <= 255 {
            return Some(host.to_owned());
        }
    }
    let domain = lead.email.as_deref()?.rsplit_once('@')?.1.to_owned();
    if FREE_MAIL_DOMAINS.contains(&domain.as_str()) {
        None
    } else {
        Some(domain)
    }
}

/// Everything a conversion will write, worked out and validated before anything is written.
struct Plan {
    opportunity: Option<OpportunityPlan>,
}

struct OpportunityPlan {
    name: String,
    value: Decimal,
    currency: String,
    pipeline_id: Uuid,
    stage: stage::Model,
    expected_close_date: Option<NaiveDate>,
}

async fn plan(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    lead: &lead::Model,
    options: &ConversionOptions,
) -> AppResult<Plan> {
    if !options.create_opportunity {
        return Ok(Plan { opportunity: None });
    }
    let name = match &options.opportunity_name {
        Some(name) => validate::required_text("opportunityName", name, 255)?,
        None => {
            let base = lead
                .company
                .clone()
                .or_else(|| lead.name.clone())
                .or_else(|| person_name(lead))
                .or_else(|| lead.email.clone())
                .unwrap_or_else(|| "New".to_owned());
            let mut name: String = base.chars().take(250).collect();
            name.push_str(" deal");
            name
        }
    };
    let value = validate::money(
        "value",
        options
            .value
            .or(lead.estimated_value)
            .unwrap_or(Decimal::ZERO),
    )?;
    let currency = match (&options.currency, &lead.currency) {
        (Some(currency), _) => validate::currency("currency", currency)?,
        (None, Some(currency)) => currency.clone(),
        (None, None) => default_currency(db, auth.scope()).await?,
    };
    let requested_stage = match options.stage_id {
        Some(stage_id) => Some(
            stage::Entity::find_in(db, auth.scope(), stage_id)
                .await?
                .ok_or_else(|| AppError::not_found("Stage"))?,
        ),
        None => None,
    };
    let pipeline = match (options.pipeline_id, &requested_stage) {
        (Some(pipeline_id), _) => pipeline::Entity::scoped(auth.scope())
            .filter(pipeline::Column::Id.eq(pipeline_id))
            .filter(pipeline::Column::DeletedAt.is_null())
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("Pipeline"))?,
        (None, Some(stage)) => pipeline::Entity::scoped(auth.scope())
            .filter(pipeline::Column::Id.eq(stage.pipeline_id))
            .filter(pipeline::Column::DeletedAt.is_null())
            .one(db)
            .await?
            .ok_or_else(|| AppError::invalid("stageId", "the stage's pipeline is deleted"))?,
        (None, None) => pipeline::Entity::scoped(auth.scope())
            .filter(pipeline::Column::DeletedAt.is_null())
            .filter(pipeline::Column::IsDefault.eq(true))
            .one(db)
            .await?
            .ok_or_else(|| {
                AppError::invalid("pipelineId", "the organization has no default pipeline")
            })?,
    };
    let stage = match requested_stage {
        Some(stage) if stage.pipeline_id != pipeline.id => {
            return Err(AppError::invalid(
                "stageId",
                "the stage does not belong to the pipeline",
            ));
        }
        Some(stage) => stage,
        None => stage::Entity::scoped(auth.scope())
            .filter(stage::Column::PipelineId.eq(pipeline.id))
            .order_by_asc(stage::Column::Position)
            .order_by_asc(stage::Column::Id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::invalid("pipelineId", "the pipeline has no stages"))?,
    };
    if stage.is_lost {
        return Err(AppError::invalid(
            "stageId",
            "a new opportunity cannot start in a lost stage",
        ));
    }
    Ok(Plan {
        opportunity: Some(OpportunityPlan {
            name,
            value,
            currency,
            pipeline_id: pipeline.id,
            stage,
            expected_close_date: options.expected_close_date,
        }),
    })
}

fn person_name(lead: &lead::Model) -> Option<String> {
    match (&lead.first_name, &lead.last_name) {
        (Some(first), Some(last)) => Some(format!("{first} {last}")),
        (Some(first), None) => Some(first.clone()),
        (None, Some(last)) => Some(last.clone()),
        (None, None) => None,
    }
}

async fn find_or_create_company(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    lead: &lead::Model,
    owner_id: Option<Uuid>,
) -> AppResult<Option<company::Model>> {
    let org = auth.organization_id;
    let domain = lead_domain(lead);
    let mut domain_free = true;
    if let Some(domain) = &domain {
        let found = company::Entity::scoped(auth.scope())
            .filter(company::Column::Domain.eq(domain.as_str()))
            .one(tx.db())
            .await?;
        match found {
            Some(company) if company.deleted_at.is_none() => return Ok(Some(company)),
            // A deleted company keeps its domain (unique per organization).
            Some(_) => domain_free = false,
            None => {}
        }
    }
    let Some(name) = lead.company.as_deref().filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    let found = company::Entity::scoped(auth.scope())
        .filter(company::Column::DeletedAt.is_null())
        .filter(Expr::expr(Func::lower(Expr::col(company::Column::Name))).eq(name.to_lowercase()))
        .one(tx.db())
        .await?;
    if let Some(company) = found {
        return Ok(Some(company));
    }
    let at = now();
    let created = company::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org),
        name: Set(name.to_owned()),
        domain: Set(domain.filter(|_| domain_free)),
        industry: Set(None),
        company_size: Set(None),
        annual_revenue: Set(None),
        founded_year: Set(None),
        description: Set(None),
        logo_url: Set(None),
        website: Set(lead.website.clone()),
        linkedin_url: Set(None),
        address_line1: Set(None),
        city: Set(None),
        state: Set(None),
        country: Set(None),
        phone: Set(None),
        employee_count: Set(None),
        company_type: Set(None),
        tier: Set(None),
        health_score: Set(None),
        custom_fields: Set(Value::Object(serde_json::Map::new())),
        owner_id: Set(owner_id),
        created_at: Set(at),
        updated_at: Set(at),
        deleted_at: Set(None),
    }
    .insert(tx.db())
    .await?;
    tx.created::<company::Entity>(&created).await?;
    Ok(Some(created))
}

async fn find_or_create_contact(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    lead: &lead::Model,
    company: Option<&company::Model>,
    owner_id: Option<Uuid>,
    with_opportunity: bool,
) -> AppResult<contact::Model> {
    let org = auth.organization_id;
    if let Some(email) = &lead.email {
        let found = contact::Entity::scoped(auth.scope())
            .filter(contact::Column::DeletedAt.is_null())
            .filter(
                Expr::expr(Func::lower(Expr::col(contact::Column::Email))).eq(email.to_lowercase()),
            )
            .one(tx.db())
            .await?;
        if let Some(contact) = found {
            let Some(company) = company.filter(|_| contact.company_id.is_none()) else {
                return Ok(contact);
            };
            let mut model = contact.clone().into_active_model();
            model.company_id = Set(Some(company.id));
            model.updated_at = Set(now());
            let after = model.update(tx.db()).await?;
            tx.updated::<contact::Entity>(&contact, &after).await?;
            return Ok(after);
        }
    }
    let status = contact_status::Entity::scoped(auth.scope())
        .filter(contact_status::Column::IsDefault.eq(true))
        .one(tx.db())
        .await?;
    let first_name = lead
        .first_name
        .clone()
        .or_else(|| lead.name.clone())
        .or_else(|| {
            lead.email
                .as_deref()
                .and_then(|e| e.split('@').next())
                .map(str::to_owned)
        })
        .or_else(|| lead.company.clone())
        .unwrap_or_else(|| "Unknown".to_owned());
    let first_name: String = first_name.chars().take(100).collect();
    let at = now();
    let created = contact::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org),
        first_name: Set(first_name),
        last_name: Set(lead.last_name.clone()),
        email: Set(lead.email.clone()),
        phone: Set(lead.phone.clone()),
        mobile: Set(None),
        company: Set(lead.company.clone()),
        job_title: Set(lead.job_title.clone()),
        department: Set(None),
        website: Set(lead.website.clone()),
        linkedin_url: Set(None),
        twitter_handle: Set(None),
        address_line1: Set(None),
        address_line2: Set(None),
        city: Set(None),
        state: Set(None),
        postal_code: Set(None),
        country: Set(None),
        status_id: Set(status.map(|s| s.id)),
        source: Set(lead.source.clone()),
        lifecycle_stage: Set(Some(
            if with_opportunity {
                "opportunity"
            } else {
                "lead"
            }
            .to_owned(),
        )),
        score: Set(lead.score),
        custom_fields: Set(Value::Object(serde_json::Map::new())),
        company_id: Set(company.map(|c| c.id)),
        traffic_source_id: Set(None),
        last_activity_at: Set(lead.last_activity_at),
        owner_id: Set(owner_id),
        assigned_to_id: Set(lead.assigned_to_id),
        portal_user_id: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        deleted_at: Set(None),
    }
    .insert(tx.db())
    .await?;
    tx.created::<contact::Entity>(&created).await?;
    Ok(created)
}

async fn create_opportunity(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    plan: OpportunityPlan,
    lead: &lead::Model,
    contact: &contact::Model,
    company: Option<&company::Model>,
    owner_id: Option<Uuid>,
) -> AppResult<opportunity::Model> {
    let at = now();
    let probability = Decimal::from(plan.stage.probability);
    let weighted_value = (plan.value * probability / Decimal::ONE_HUNDRED).round_dp(2);
    let status = if plan.stage.is_won { "won" } else { "open" };
    let created = opportunity::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        name: Set(plan.name),
        description: Set(None),
        value: Set(plan.value),
        currency: Set(plan.currency),
        probability: Set(probability),
        weighted_value: Set(weighted_value),
        expected_close_date: Set(plan.expected_close_date),
        actual_close_date: Set(plan.stage.is_won.then(|| at.date_naive())),
        pipeline_id: Set(plan.pipeline_id),
        stage_id: Set(plan.stage.id),
        contact_id: Set(Some(contact.id)),
        company_id: Set(company.map(|c| c.id)),
        lead_id: Set(Some(lead.id)),
        status: Set(status.to_owned()),
        loss_reason: Set(None),
        competitor: Set(None),
        next_step: Set(None),
        tags: Set(Value::Array(Vec::new())),
        custom_fields: Set(Value::Object(serde_json::Map::new())),
        last_activity_at: Set(lead.last_activity_at),
        stage_changed_at: Set(at),
        owner_id: Set(owner_id),
        created_at: Set(at),
        updated_at: Set(at),
        deleted_at: Set(None),
    }
    .insert(tx.db())
    .await?;
    tx.created::<opportunity::Entity>(&created).await?;
    let history = stage_history::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        opportunity_id: Set(created.id),
        pipeline_id: Set(created.pipeline_id),
        from_stage_id: Set(None),
        to_stage_id: Set(created.stage_id),
        from_status: Set(None),
        to_status: Set(created.status.clone()),
        probability: Set(created.probability),
        value: Set(created.value),
        seconds_in_previous_stage: Set(None),
        changed_by_id: Set(Some(auth.user_id)),
        changed_at: Set(at),
    }
    .insert(tx.db())
    .await?;
    tx.created::<stage_history::Entity>(&history).await?;
    Ok(created)
}

/// Converts a lead the caller may edit. Converting twice is `CONFLICT`; any failure writes
/// nothing.
pub async fn convert_lead(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    options: ConversionOptions,
) -> AppResult<LeadConversion> {
    require_create(auth, Area::Contacts)?;
    if options.create_opportunity {
        require_create(auth, Area::Opportunities)?;
    }
    let mut tx = Tx::begin(store, auth).await?;
    let before = require_editable_lead(tx.db(), auth, id).await?;
    if before.deleted_at.is_some() {
        return Err(AppError::not_found("Lead"));
    }
    if before.converted_at.is_some() || before.status == LeadStatus::Converted.as_db() {
        return Err(AppError::conflict("the lead is already converted"));
    }
    let plan = plan(tx.db(), auth, &before, &options).await?;
    let owner_id = before.owner_id.or(Some(auth.user_id));
    let company = find_or_create_company(&mut tx, auth, &before, owner_id).await?;
    let contact = find_or_create_contact(
        &mut tx,
        auth,
        &before,
        company.as_ref(),
        owner_id,
        plan.opportunity.is_some(),
    )
    .await?;
    let opportunity = match plan.opportunity {
        Some(opportunity_plan) => Some(
            create_opportunity(
                &mut tx,
                auth,
                opportunity_plan,
                &before,
                &contact,
                company.as_ref(),
                owner_id,
            )
            .await?,
        ),
        None => None,
    };
    let at = now();
    let mut model = before.clone().into_active_model();
    model.status = Set(LeadStatus::Converted.as_db().to_owned());
    model.converted_contact_id = Set(Some(contact.id));
    model.converted_opportunity_id = Set(opportunity.as_ref().map(|o| o.id));
    model.converted_at = Set(Some(at));
    if before.first_responded_at.is_none() {
        model.first_responded_at = Set(Some(at));
    }
    model.updated_at = Set(at);
    let lead = model.update(tx.db()).await?;
    tx.changed::<lead::Entity>(Action::Convert, &before, &lead)
        .await?;
    tx.commit().await?;
    Ok(LeadConversion {
        lead,
        contact,
        company,
        opportunity,
    })
}
