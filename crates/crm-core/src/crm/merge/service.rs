//! Finding and merging duplicate contacts.
//!
//! Duplicates of a contact: the same e-mail (case-insensitive), or a similar name (equal after
//! normalisation, or within two edits) at the same company (linked company or company text).
//! Merging moves everything that hangs on the duplicates to the primary (activities, notes,
//! tags, services, segment memberships, leads, opportunities, portal access), fills the
//! primary's blank fields from them, and soft-deletes them, in one audited transaction.

use std::collections::HashSet;

use identity::audit::Tx;
use kernel::db::now;
use kernel::events::Action;
use kernel::object::TenantTable;
use kernel::{AppError, AppResult, AuthContext, Store};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, IntoActiveModel, QueryFilter, Set,
};
use uuid::Uuid;

use crate::crm::access::{self, Area};
use crate::entity::{
    activity, contact, contact_service, contact_tag, lead, note, opportunity, segment_member,
};

/// Why two contacts look like the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum DuplicateReason {
    /// The same e-mail address.
    SameEmail,
    /// A similar name at the same company.
    SimilarNameSameCompany,
}

/// A likely duplicate.
#[derive(Debug, Clone)]
pub struct Duplicate {
    pub contact: contact::Model,
    pub reason: DuplicateReason,
}

fn normalised_name(contact: &contact::Model) -> String {
    format!(
        "{} {}",
        contact.first_name,
        contact.last_name.as_deref().unwrap_or_default()
    )
    .to_lowercase()
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ")
}

/// Edit distance, bounded: `None` once it exceeds `limit`.
fn within_edits(a: &str, b: &str, limit: usize) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > limit {
        return false;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + usize::from(ca != cb))
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        if current.iter().min().is_some_and(|m| *m > limit) {
            return false;
        }
        previous = current;
    }
    previous[b.len()] <= limit
}

async fn visible_contact(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<contact::Model> {
    let found = contact::Entity::scoped(auth.scope())
        .filter(contact::Column::Id.eq(id))
        .filter(contact::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Contact"))?;
    if access::visibility(db, auth)
        .await?
        .allows(found.owner_id, found.assigned_to_id)
    {
        Ok(found)
    } else {
        Err(AppError::not_found("Contact"))
    }
}

/// Likely duplicates of a contact, among the contacts the caller can see.
pub async fn find_duplicates(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    id: Uuid,
) -> AppResult<Vec<Duplicate>> {
    access::require_read(auth)?;
    let target = visible_contact(db, auth, id).await?;
    let mut candidates = Condition::any();
    if let Some(email) = &target.email {
        candidates = candidates.add(
            Expr::expr(Func::lower(Expr::col(contact::Column::Email))).eq(email.to_lowercase()),
        );
    }
    if let Some(company_id) = target.company_id {
        candidates = candidates.add(contact::Column::CompanyId.eq(company_id));
    }
    if let Some(company) = target.company.as_ref().filter(|c| !c.trim().is_empty()) {
        candidates = candidates.add(
            Expr::expr(Func::lower(Expr::col(contact::Column::Company)))
                .eq(company.trim().to_lowercase()),
        );
    }
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = contact::Entity::scoped(auth.scope())
        .filter(contact::Column::DeletedAt.is_null())
        .filter(contact::Column::Id.ne(target.id))
        .filter(candidates);
    if let Some(condition) = access::visibility(db, auth).await?.condition(
        contact::Column::OwnerId,
        Some(contact::Column::AssignedToId),
    ) {
        query = query.filter(condition);
    }
    let name = normalised_name(&target);
    let mut duplicates: Vec<Duplicate> = query
        .all(db)
        .await?
        .into_iter()
        .filter_map(|candidate| {
            let same_email = matches!((&target.email, &candidate.email), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b));
            if same_email {
                return Some(Duplicate { contact: candidate, reason: DuplicateReason::SameEmail });
            }
            let similar = within_edits(&name, &normalised_name(&candidate), 2);
            similar.then_some(Duplicate { contact: candidate, reason: DuplicateReason::SimilarNameSameCompany })
        })
        .collect();
    duplicates.sort_by_key(|d| (d.reason != DuplicateReason::SameEmail, d.contact.created_at));
    Ok(duplicates)
}

/// Merges duplicates into the primary contact; returns the primary as it ends up.
pub async fn merge_contacts(
    store: &Store,
    auth: &AuthContext,
    primary_id: Uuid,
    duplicate_ids: &[Uuid],
) -> AppResult<contact::Model> {
    access::require_read(auth)?;
    let duplicates: Vec<Uuid> = duplicate_ids
        .iter()
        .copied()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if duplicates.is_empty() {
        return Err(AppError::invalid(
            "duplicateIds",
            "name at least one duplicate",
        ));
    }
    if duplicates.contains(&primary_id) {
        return Err(AppError::invalid(
            "duplicateIds",
            "the primary contact cannot be its own duplicate",
        ));
    }
    if duplicates.len() > 50 {
        return Err(AppError::invalid(
            "duplicateIds",
            "merge at most 50 contacts at once",
        ));
    }
    let mut tx = Tx::begin(store, auth).await?;
    let primary = visible_contact(tx.db(), auth, primary_id).await?;
    access::require_edit(
        auth,
        Area::Contacts,
        primary.owner_id,
        primary.assigned_to_id,
    )?;
    let mut others = Vec::with_capacity(duplicates.len());
    for id in &duplicates {
        let other = visible_contact(tx.db(), auth, *id).await?;
        access::require_edit(auth, Area::Contacts, other.owner_id, other.assigned_to_id)?;
        others.push(other);
    }
    let org = auth.organization_id;
    let ids = duplicates.clone();
    let at = now();

    // Things that simply move to the primary.
    macro_rules! repoint {
        ($entity:ident, $column:ident) => {
            $entity::Entity::update_scoped(auth.scope())
                .col_expr($entity::Column::$column, Expr::value(primary.id))
                .filter($entity::Column::$column.is_in(ids.clone()))
                .exec(tx.db())
                .await?;
        };
    }
    repoint!(activity, ContactId);
    repoint!(note, ContactId);
    repoint!(opportunity, ContactId);
    repoint!(lead, ConvertedContactId);

    // Links are unions: add what the primary lacks, then drop the duplicates' links.
    let tag_ids: HashSet<Uuid> = contact_tag::Entity::scoped(auth.scope())
        .filter(contact_tag::Column::ContactId.is_in(ids.clone()))
        .all(tx.db())
        .await?
        .into_iter()
        .map(|l| l.tag_id)
        .collect();
    let primary_tags: HashSet<Uuid> = contact_tag::Entity::scoped(auth.scope())
        .filter(contact_tag::Column::ContactId.eq(primary.id))
        .all(tx.db())
        .await?
        .into_iter()
        .map(|l| l.tag_id)
        .collect();
    contact_tag::Entity::delete_scoped(auth.scope())
        .filter(contact_tag::Column::ContactId.is_in(ids.clone()))
        .exec(tx.db())
        .await?;
    for tag_id in tag_ids.difference(&primary_tags) {
        contact_tag::ActiveModel {
            organization_id: Set(org),
            contact_id: Set(primary.id),
            tag_id: Set(*tag_id),
            created_at: Set(at),
        }
        .insert(tx.db())
        .await?;
    }
    let service_ids: HashSet<Uuid> = contact_service::Entity::scoped(auth.scope())
        .filter(contact_service::Column::ContactId.is_in(ids.clone()))
        .all(tx.db())
        .await?
        .into_iter()
        .map(|l| l.service_id)
        .collect();
    let primary_services: HashSet<Uuid> = contact_service::Entity::scoped(auth.scope())
        .filter(contact_service::Column::ContactId.eq(primary.id))
        .all(tx.db())
        .await?
        .into_iter()
        .map(|l| l.service_id)
        .collect();
    contact_service::Entity::delete_scoped(auth.scope())
        .filter(contact_service::Column::ContactId.is_in(ids.clone()))
        .exec(tx.db())
        .await?;
    for service_id in service_ids.difference(&primary_services) {
        contact_service::ActiveModel {
            organization_id: Set(org),
            contact_id: Set(primary.id),
            service_id: Set(*service_id),
            created_at: Set(at),
        }
        .insert(tx.db())
        .await?;
    }
    let segment_ids: HashSet<Uuid> = segment_member::Entity::scoped(auth.scope())
        .filter(segment_member::Column::ContactId.is_in(ids.clone()))
        .all(tx.db())
        .await?
        .into_iter()
        .map(|m| m.segment_id)
        .collect();
    let primary_segments: HashSet<Uuid> = segment_member::Entity::scoped(auth.scope())
        .filter(segment_member::Column::ContactId.eq(primary.id))
        .all(tx.db())
        .await?
        .into_iter()
        .map(|m| m.segment_id)
        .collect();
    segment_member::Entity::delete_scoped(auth.scope())
        .filter(segment_member::Column::ContactId.is_in(ids.clone()))
        .exec(tx.db())
        .await?;
    for segment_id in segment_ids.difference(&primary_segments) {
        segment_member::ActiveModel {
            organization_id: Set(org),
            segment_id: Set(*segment_id),
            contact_id: Set(primary.id),
            added_at: Set(at),
        }
        .insert(tx.db())
        .await?;
    }

    // The primary keeps its values and takes the duplicates' where it has none.
    let mut merged = primary.clone();
    for other in &others {
        fill(&mut merged, other);
    }
    // Portal access moves only if the primary has none (one user per contact).
    let portal_user = merged.portal_user_id;
    for other in &others {
        let mut model = other.clone().into_active_model();
        model.deleted_at = Set(Some(at));
        model.updated_at = Set(at);
        model.portal_user_id = Set(None);
        let after = model.update(tx.db()).await?;
        tx.changed::<contact::Entity>(Action::Merge, other, &after)
            .await?;
    }
    let mut model = merged.clone().into_active_model().reset_all();
    model.id = sea_orm::ActiveValue::Unchanged(merged.id);
    model.organization_id = sea_orm::ActiveValue::Unchanged(merged.organization_id);
    model.portal_user_id = Set(portal_user);
    model.updated_at = Set(at);
    model.last_activity_at = Set(others
        .iter()
        .filter_map(|o| o.last_activity_at)
        .chain(primary.last_activity_at)
        .max());
    let after = model.update(tx.db()).await?;
    tx.changed::<contact::Entity>(Action::Merge, &primary, &after)
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// Fills the primary's blank fields from a duplicate.
fn fill(primary: &mut contact::Model, other: &contact::Model) {
    macro_rules! blank_from {
        ($($field:ident),*) => { $( if primary.$field.is_none() { primary.$field = other.$field.clone(); } )* };
    }
    blank_from!(
        last_name,
        email,
        phone,
        mobile,
        company,
        job_title,
        department,
        website,
        linkedin_url,
        twitter_handle,
        address_line1,
        address_line2,
        city,
        state,
        postal_code,
        country,
        status_id,
        source,
        lifecycle_stage,
        score,
        company_id,
        traffic_source_id,
        owner_id,
        assigned_to_id,
        portal_user_id
    );
    if let (serde_json::Value::Object(mine), serde_json::Value::Object(theirs)) =
        (&mut primary.custom_fields, &other.custom_fields)
    {
        for (key, value) in theirs {
            mine.entry(key.clone()).or_insert_with(|| value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_is_bounded() {
        assert!(within_edits("ann lee", "anne lee", 2));
        assert!(within_edits("jon smith", "john smyth", 2));
        assert!(!within_edits("ann lee", "bob ray", 2));
        assert!(within_edits("", "ab", 2));
        assert!(!within_edits("", "abc", 2));
    }
}
