//! Importing contacts: validates every row, resolves statuses, tags and companies by name
//! (creating missing ones, title-cased), de-duplicates by e-mail inside the file and against the
//! organization, and writes everything in one transaction with multi-row inserts.
//! All or nothing, unless `skip_invalid_rows`; `dry_run` reports without writing.

use std::collections::{HashMap, HashSet};

use identity::audit::{BULK_CHUNK, Tx, snapshot};
use kernel::db::{insert_all, insert_missing, now, upsert_all};
use kernel::events::Action;
use kernel::object::{TenantObject, TenantTable};
use kernel::{AppResult, AuthContext, Role, Store};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, Iterable, QueryFilter, QuerySelect, Set,
};
use serde_json::Value as Json;
use uuid::Uuid;

use super::mapping::{
    ColumnMapping, ImportedContact, RowError, Target, first_lines_by_email, parse_row, resolve,
    typed_custom_value,
};
use super::source::read_csv;
use crate::entity::{company, contact, contact_status, contact_tag, custom_field_definition, tag};

/// How to import.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Validate and count, write nothing.
    pub dry_run: bool,
    /// Update contacts whose e-mail already exists (otherwise they are skipped).
    pub update_existing: bool,
    /// Import the valid rows even when others are invalid.
    pub skip_invalid_rows: bool,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: u64,
    pub updated: u64,
    pub skipped: u64,
    pub errors: Vec<RowError>,
}

/// Who may import: administrators, managers and marketing.
fn require_import(auth: &AuthContext) -> AppResult<()> {
    auth.require_any(&[
        Role::SuperAdmin,
        Role::Admin,
        Role::Manager,
        Role::Marketing,
    ])
}

/// Imports contacts from CSV bytes; `source_field` names the input they came from.
pub async fn import_contacts(
    store: &Store,
    auth: &AuthContext,
    bytes: &[u8],
    source_field: &str,
    mapping: &[ColumnMapping],
    options: ImportOptions,
) -> AppResult<ImportReport> {
    require_import(auth)?;
    let table = read_csv(bytes, source_field)?;
    let columns = resolve(&table, mapping)?;
    let definitions = contact_field_definitions(&store.db, auth).await?;

    let mut errors = Vec::new();
    let mut valid = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        match parse_row(row, &columns).and_then(|mut contact| {
            check_custom_fields(&mut contact, &definitions)?;
            Ok(contact)
        }) {
            Ok(contact) => valid.push(contact),
            Err(row_errors) => errors.extend(row_errors),
        }
    }
    let invalid_rows = errors.iter().map(|e| e.row).collect::<HashSet<_>>().len() as u64;

    // Inside the file, the first row of an e-mail wins; later ones are skipped.
    let first_lines = first_lines_by_email(&valid);
    let before_dedupe = valid.len();
    valid.retain(|c| {
        c.email
            .as_ref()
            .is_none_or(|e| first_lines.get(e) == Some(&c.line))
    });
    let mut skipped = (before_dedupe - valid.len()) as u64 + invalid_rows;

    let existing = existing_by_email(&store.db, auth, &valid).await?;
    let (mut creates, mut updates) = (Vec::new(), Vec::new());
    for contact in valid {
        match contact.email.as_ref().and_then(|e| existing.get(e)) {
            Some(current) if options.update_existing => updates.push((current.clone(), contact)),
            Some(_) => skipped += 1,
            None => creates.push(contact),
        }
    }
    if let Some(required) = definitions.values().find(|d| d.required) {
        let key = &required.key;
        for contact in &creates {
            if !contact.custom_fields.contains_key(key) {
                errors.push(RowError {
                    row: contact.line,
                    field: Some(format!("customFields.{key}")),
                    message: format!("{} is required", required.label),
                });
            }
        }
        let missing: HashSet<u64> = errors.iter().map(|e| e.row).collect();
        let before = creates.len();
        creates.retain(|c| !missing.contains(&c.line));
        skipped += (before - creates.len()) as u64;
    }
    errors.sort_by_key(|e| e.row);

    if !errors.is_empty() && !options.skip_invalid_rows {
        return Ok(ImportReport {
            created: 0,
            updated: 0,
            skipped: table.rows.len() as u64,
            errors,
        });
    }
    let report = ImportReport {
        created: creates.len() as u64,
        updated: updates.len() as u64,
        skipped,
        errors,
    };
    if options.dry_run {
        return Ok(report);
    }

    let mut tx = Tx::begin(store, auth).await?;
    let statuses = resolve_statuses(
        &mut tx,
        auth,
        creates.iter().chain(updates.iter().map(|(_, c)| c)),
    )
    .await?;
    let tags = resolve_tags(
        &mut tx,
        auth,
        creates.iter().chain(updates.iter().map(|(_, c)| c)),
    )
    .await?;
    let companies = resolve_companies(
        &mut tx,
        auth,
        creates.iter().chain(updates.iter().map(|(_, c)| c)),
    )
    .await?;
    insert_contacts(&mut tx, auth, &creates, &statuses, &tags, &companies).await?;
    update_contacts(&mut tx, auth, &updates, &statuses, &tags, &companies).await?;
    tx.commit().await?;
    Ok(report)
}

async fn contact_field_definitions(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
) -> AppResult<HashMap<String, custom_field_definition::Model>> {
    let rows = custom_field_definition::Entity::scoped(auth.scope())
        .filter(custom_field_definition::Column::EntityType.eq("contact"))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|d| (d.key.clone(), d)).collect())
}

/// Types each imported custom value by its definition and checks it.
fn check_custom_fields(
    contact: &mut ImportedContact,
    definitions: &HashMap<String, custom_field_definition::Model>,
) -> Result<(), Vec<RowError>> {
    let mut errors = Vec::new();
    for (key, value) in contact.custom_fields.iter_mut() {
        let field = Some(format!("customFields.{key}"));
        let Some(definition) = definitions.get(key) else {
            errors.push(RowError {
                row: contact.line,
                field,
                message: format!("there is no custom field \"{key}\""),
            });
            continue;
        };
        *value = typed_custom_value(&definition.field_type, value);
        if let Err(message) = check_value(definition, value) {
            errors.push(RowError {
                row: contact.line,
                field,
                message,
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn check_value(definition: &custom_field_definition::Model, value: &Json) -> Result<(), String> {
    let options: Vec<String> = definition
        .options
        .as_ref()
        .and_then(Json::as_array)
        .map(|o| {
            o.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let ok = match (definition.field_type.as_str(), value) {
        ("number", Json::Number(_)) | ("boolean", Json::Bool(_)) | ("text", Json::String(_)) => {
            true
        }
        ("date", Json::String(text)) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
        ("url", Json::String(text)) => kernel::validate::url("url", Some(text), 2000).is_ok(),
        ("email", Json::String(text)) => kernel::validate::email("email", text).is_ok(),
        ("select", Json::String(text)) => options.contains(text),
        ("multi_select", Json::Array(items)) => items
            .iter()
            .all(|i| i.as_str().is_some_and(|s| options.iter().any(|o| o == s))),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "not a valid {} for {}",
            definition.field_type, definition.label
        ))
    }
}

async fn existing_by_email(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    contacts: &[ImportedContact],
) -> AppResult<HashMap<String, contact::Model>> {
    let wanted: HashSet<&str> = contacts.iter().filter_map(|c| c.email.as_deref()).collect();
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    // One pass over the organization's (id, e-mail) pairs, then whole rows by primary key for
    // the matches. Many `email IN (...)` lookups looked fast but met stale statistics right
    // after a bulk import and turned into repeated sequential scans (2 s each at 100k rows).
    let pairs: Vec<(Uuid, Option<String>)> = contact::Entity::scoped(auth.scope())
        .select_only()
        .column(contact::Column::Id)
        .column(contact::Column::Email)
        .filter(contact::Column::DeletedAt.is_null())
        .filter(contact::Column::Email.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut ids = Vec::new();
    let mut seen = HashSet::new();
    for (id, email) in pairs {
        if let Some(email) = email
            && wanted.contains(email.as_str())
            && seen.insert(email)
        {
            ids.push(id);
        }
    }
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(BULK_CHUNK) {
        let rows = contact::Entity::scoped(auth.scope())
            .filter(contact::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?;
        for row in rows {
            if let Some(email) = row.email.clone() {
                found.entry(email).or_insert(row);
            }
        }
    }
    Ok(found)
}

/// Status ids by lower-case name, creating missing statuses (category OTHER); `""` maps to the
/// organization's default status, which contacts without a status get.
async fn resolve_statuses<'a>(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    contacts: impl Iterator<Item = &'a ImportedContact>,
) -> AppResult<HashMap<String, Uuid>> {
    let existing = contact_status::Entity::scoped(auth.scope())
        .all(tx.db())
        .await?;
    let mut by_name: HashMap<String, Uuid> = existing
        .iter()
        .map(|s| (s.name.to_lowercase(), s.id))
        .collect();
    if let Some(default) = existing.iter().find(|s| s.is_default).or(existing.first()) {
        by_name.insert(String::new(), default.id);
    }
    let mut position = existing.iter().map(|s| s.position).max().unwrap_or(0);
    let wanted: Vec<String> = contacts.filter_map(|c| c.status.clone()).collect();
    for name in wanted {
        if by_name.contains_key(&name.to_lowercase()) {
            continue;
        }
        position += 1;
        let at = now();
        let row = contact_status::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(auth.organization_id),
            name: Set(name.clone()),
            category: Set("other".into()),
            color: Set(None),
            position: Set(position),
            is_default: Set(false),
            created_at: Set(at),
            updated_at: Set(at),
        }
        .insert(tx.db())
        .await?;
        tx.created::<contact_status::Entity>(&row).await?;
        by_name.insert(name.to_lowercase(), row.id);
    }
    Ok(by_name)
}

/// Tag ids by lower-case name, creating missing tags.
async fn resolve_tags<'a>(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    contacts: impl Iterator<Item = &'a ImportedContact>,
) -> AppResult<HashMap<String, Uuid>> {
    let mut by_name: HashMap<String, Uuid> = tag::Entity::scoped(auth.scope())
        .all(tx.db())
        .await?
        .into_iter()
        .map(|t| (t.name.to_lowercase(), t.id))
        .collect();
    let mut new_tags = Vec::new();
    for name in contacts.flat_map(|c| c.tags.iter()) {
        if let std::collections::hash_map::Entry::Vacant(slot) = by_name.entry(name.to_lowercase())
        {
            let at = now();
            let row = tag::Model {
                id: Uuid::now_v7(),
                organization_id: auth.organization_id,
                name: name.clone(),
                color: None,
                created_at: at,
                updated_at: at,
            };
            slot.insert(row.id);
            new_tags.push(row);
        }
    }
    tx.insert_created::<tag::Entity>(&new_tags).await?;
    Ok(by_name)
}

/// Company ids by lower-case name (non-deleted), creating missing companies.
async fn resolve_companies<'a>(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    contacts: impl Iterator<Item = &'a ImportedContact>,
) -> AppResult<HashMap<String, Uuid>> {
    let names: Vec<String> = contacts
        .filter_map(|c| c.company.as_ref().map(|n| n.to_lowercase()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut by_name = HashMap::new();
    for chunk in names.chunks(BULK_CHUNK) {
        let rows = company::Entity::scoped(auth.scope())
            .filter(company::Column::DeletedAt.is_null())
            .filter(Expr::expr(Func::lower(Expr::col(company::Column::Name))).is_in(chunk.to_vec()))
            .all(tx.db())
            .await?;
        for row in rows {
            by_name.entry(row.name.to_lowercase()).or_insert(row.id);
        }
    }
    let mut new_companies = Vec::new();
    let mut originals: HashMap<String, String> = HashMap::new();
    for name in &names {
        originals
            .entry(name.clone())
            .or_insert_with(|| name.clone());
    }
    for name in names {
        if by_name.contains_key(&name) {
            continue;
        }
        let at = now();
        let id = Uuid::now_v7();
        by_name.insert(name.clone(), id);
        new_companies.push(company::Model {
            id,
            organization_id: auth.organization_id,
            name: display_name(&name, &originals),
            domain: None,
            industry: None,
            company_size: None,
            annual_revenue: None,
            founded_year: None,
            description: None,
            logo_url: None,
            website: None,
            linkedin_url: None,
            address_line1: None,
            city: None,
            state: None,
            country: None,
            phone: None,
            employee_count: None,
            company_type: None,
            tier: None,
            health_score: None,
            custom_fields: Json::Object(Default::default()),
            owner_id: Some(auth.user_id),
            created_at: at,
            updated_at: at,
            deleted_at: None,
        });
    }
    tx.insert_created::<company::Entity>(&new_companies).await?;
    Ok(by_name)
}

fn display_name(lowered: &str, originals: &HashMap<String, String>) -> String {
    originals
        .get(lowered)
        .cloned()
        .unwrap_or_else(|| lowered.to_owned())
}

fn status_for(contact: &ImportedContact, statuses: &HashMap<String, Uuid>) -> Option<Uuid> {
    let key = contact
        .status
        .as_ref()
        .map(|s| s.to_lowercase())
        .unwrap_or_default();
    statuses.get(&key).copied()
}

fn company_for(contact: &ImportedContact, companies: &HashMap<String, Uuid>) -> Option<Uuid> {
    contact
        .company
        .as_ref()
        .and_then(|name| companies.get(&name.to_lowercase()).copied())
}

fn tag_links(
    auth: &AuthContext,
    contact_id: Uuid,
    names: &[String],
    tags: &HashMap<String, Uuid>,
) -> Vec<contact_tag::Model> {
    let at = now();
    names
        .iter()
        .filter_map(|name| tags.get(&name.to_lowercase()))
        .collect::<HashSet<_>>()
        .into_iter()
        .map(|tag_id| contact_tag::Model {
            organization_id: auth.organization_id,
            contact_id,
            tag_id: *tag_id,
            created_at: at,
        })
        .collect()
}

async fn insert_contacts(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    creates: &[ImportedContact],
    statuses: &HashMap<String, Uuid>,
    tags: &HashMap<String, Uuid>,
    companies: &HashMap<String, Uuid>,
) -> AppResult<()> {
    let at = now();
    let mut rows = Vec::with_capacity(creates.len());
    let mut links = Vec::new();
    for imported in creates {
        let id = Uuid::now_v7();
        links.extend(tag_links(auth, id, &imported.tags, tags));
        rows.push(contact::Model {
            id,
            organization_id: auth.organization_id,
            first_name: imported.first_name.clone().unwrap_or_default(),
            last_name: imported.last_name.clone(),
            email: imported.email.clone(),
            phone: imported.phone.clone(),
            mobile: imported.mobile.clone(),
            company: imported.company.clone(),
            job_title: imported.job_title.clone(),
            department: imported.department.clone(),
            website: imported.website.clone(),
            linkedin_url: imported.linkedin_url.clone(),
            twitter_handle: imported.twitter_handle.clone(),
            address_line1: imported.address_line1.clone(),
            address_line2: imported.address_line2.clone(),
            city: imported.city.clone(),
            state: imported.state.clone(),
            postal_code: imported.postal_code.clone(),
            country: imported.country.clone(),
            status_id: status_for(imported, statuses),
            source: imported.source.clone(),
            lifecycle_stage: imported.lifecycle_stage.clone(),
            score: imported.score,
            custom_fields: Json::Object(imported.custom_fields.clone()),
            company_id: company_for(imported, companies),
            traffic_source_id: None,
            last_activity_at: None,
            owner_id: Some(auth.user_id),
            assigned_to_id: None,
            portal_user_id: None,
            created_at: at,
            updated_at: at,
            deleted_at: None,
        });
    }
    tx.insert_created::<contact::Entity>(&rows).await?;
    insert_all::<contact_tag::Entity>(tx.db(), &links).await?;
    Ok(())
}

async fn update_contacts(
    tx: &mut Tx<'_>,
    auth: &AuthContext,
    updates: &[(contact::Model, ImportedContact)],
    statuses: &HashMap<String, Uuid>,
    tags: &HashMap<String, Uuid>,
    companies: &HashMap<String, Uuid>,
) -> AppResult<()> {
    let mut audit = Vec::with_capacity(updates.len());
    let mut rows: Vec<contact::Model> = Vec::with_capacity(updates.len());
    let mut links = Vec::new();
    for (current, imported) in updates {
        let mut row = current.clone();
        for target in &imported.mapped {
            match target {
                Target::FirstName => {
                    row.first_name = imported.first_name.clone().unwrap_or(row.first_name)
                }
                Target::LastName => row.last_name = imported.last_name.clone(),
                Target::Phone => row.phone = imported.phone.clone(),
                Target::Mobile => row.mobile = imported.mobile.clone(),
                Target::Company => {
                    row.company = imported.company.clone();
                    row.company_id = company_for(imported, companies);
                }
                Target::JobTitle => row.job_title = imported.job_title.clone(),
                Target::Department => row.department = imported.department.clone(),
                Target::Website => row.website = imported.website.clone(),
                Target::LinkedinUrl => row.linkedin_url = imported.linkedin_url.clone(),
                Target::TwitterHandle => row.twitter_handle = imported.twitter_handle.clone(),
                Target::AddressLine1 => row.address_line1 = imported.address_line1.clone(),
                Target::AddressLine2 => row.address_line2 = imported.address_line2.clone(),
                Target::City => row.city = imported.city.clone(),
                Target::State => row.state = imported.state.clone(),
                Target::PostalCode => row.postal_code = imported.postal_code.clone(),
                Target::Country => row.country = imported.country.clone(),
                Target::Status => row.status_id = status_for(imported, statuses).or(row.status_id),
                Target::Source => row.source = imported.source.clone(),
                Target::LifecycleStage => row.lifecycle_stage = imported.lifecycle_stage.clone(),
                Target::Score => row.score = imported.score,
                Target::CustomField(key) => {
                    if let Json::Object(fields) = &mut row.custom_fields
                        && let Some(value) = imported.custom_fields.get(key)
                    {
                        fields.insert(key.clone(), value.clone());
                    }
                }
                Target::Email | Target::Tags | Target::Ignore => {}
            }
        }
        row.updated_at = now();
        links.extend(tag_links(auth, row.id, &imported.tags, tags));
        audit.push((row.id, snapshot(current), snapshot(&row)));
        rows.push(row);
    }
    // Whole rows are written back in multi-row upserts on the primary key.
    let columns: Vec<contact::Column> = contact::Column::iter()
        .filter(|c| {
            !matches!(
                c,
                contact::Column::Id | contact::Column::OrganizationId | contact::Column::CreatedAt
            )
        })
        .collect();
    upsert_all::<contact::Entity>(tx.db(), &rows, contact::Column::Id, &columns).await?;
    // A contact keeps the tags it has; the file's tags are added unless already there.
    insert_missing::<contact_tag::Entity>(
        tx.db(),
        &links,
        &[contact_tag::Column::ContactId, contact_tag::Column::TagId],
    )
    .await?;
    if !audit.is_empty() {
        tx.record_bulk(Action::Update, contact::Entity::LABEL, audit, None)
            .await?;
    }
    Ok(())
}
