//! `ContactFilterInput`, written out by hand (rather than with `kernel::entity_filter!`) because
//! besides one filter per column it has conditions on related rows: `statusCategory` (through
//! the status), `tagIds` and `serviceIds` (through the link tables).
//!
//! It derives no serde: the kernel's field filters do not. To store one (segments), use
//! async-graphql's own conversion: `InputType::to_value(&filter).into_json()` and back with
//! `InputType::parse(Some(async_graphql::Value::from_json(json)?))`.

use async_graphql::InputObject;
use kernel::listing::*;
use kernel::{AppError, AppResult};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use super::LifecycleStage;
use crate::crm::directory::settings::ContactStatusCategory;
use crate::crm::engagement::leads::service::LeadSourceFilter;
use crate::entity::{contact, contact_service, contact_status, contact_tag};

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

/// Filters contacts. Deleted contacts are included only when `deletedAt` is given.
#[derive(InputObject, Default, Clone, Debug)]
pub struct ContactFilterInput {
    pub id: Option<UuidFilter>,
    pub first_name: Option<StringFilter>,
    pub last_name: Option<StringFilter>,
    pub email: Option<StringFilter>,
    pub phone: Option<StringFilter>,
    pub mobile: Option<StringFilter>,
    /// The company name as typed on the contact.
    pub company_name: Option<StringFilter>,
    pub job_title: Option<StringFilter>,
    pub department: Option<StringFilter>,
    pub website: Option<StringFilter>,
    pub linkedin_url: Option<StringFilter>,
    pub twitter_handle: Option<StringFilter>,
    pub address_line1: Option<StringFilter>,
    pub address_line2: Option<StringFilter>,
    pub city: Option<StringFilter>,
    pub state: Option<StringFilter>,
    pub postal_code: Option<StringFilter>,
    pub country: Option<StringFilter>,
    pub status_id: Option<UuidFilter>,
    /// The category of the contact's status.
    pub status_category: Option<ContactStatusCategoryFilter>,
    pub source: Option<LeadSourceFilter>,
    pub lifecycle_stage: Option<LifecycleStageFilter>,
    pub score: Option<IntFilter>,
    /// The linked company.
    pub company_id: Option<UuidFilter>,
    pub traffic_source_id: Option<UuidFilter>,
    pub owner_id: Option<UuidFilter>,
    pub assigned_to_id: Option<UuidFilter>,
    pub portal_user_id: Option<UuidFilter>,
    /// Has at least one of these tags (an empty list matches nothing).
    pub tag_ids: Option<Vec<Uuid>>,
    /// Conditions on custom field values (all must hold), e.g.
    /// `customFields: [{ key: "tier", eq: "gold" }, { key: "seats", in: [10, 20] }]`.
    pub custom_fields: Option<Vec<CustomFieldFilter>>,
    /// Is linked to at least one of these services (an empty list matches nothing).
    pub service_ids: Option<Vec<Uuid>>,
    pub last_activity_at: Option<DateTimeFilter>,
    pub created_at: Option<DateTimeFilter>,
    pub updated_at: Option<DateTimeFilter>,
    pub deleted_at: Option<DateTimeFilter>,
    /// Every one of these filters must match.
    pub and: Option<Vec<ContactFilterInput>>,
    /// At least one of these filters must match; an empty list matches nothing.
    pub or: Option<Vec<ContactFilterInput>>,
    /// This filter must not match.
    pub not: Option<Box<ContactFilterInput>>,
}

fn never() -> Expr {
    Expr::cust("1 = 0")
}

fn id_list(field: &str, ids: &[Uuid]) -> AppResult<()> {
    if ids.len() > MAX_IN_LIST {
        return Err(AppError::invalid(
            field,
            format!("at most {MAX_IN_LIST} ids may be given"),
        ));
    }
    Ok(())
}

impl ContactFilterInput {
    fn column_parts(&self, parts: &mut Vec<Condition>) -> AppResult<()> {
        use contact::Column as C;
        let strings: [(&Option<StringFilter>, C, &str); 17] = [
            (&self.first_name, C::FirstName, "firstName"),
            (&self.last_name, C::LastName, "lastName"),
            (&self.email, C::Email, "email"),
            (&self.phone, C::Phone, "phone"),
            (&self.mobile, C::Mobile, "mobile"),
            (&self.company_name, C::Company, "companyName"),
            (&self.job_title, C::JobTitle, "jobTitle"),
            (&self.department, C::Department, "department"),
            (&self.website, C::Website, "website"),
            (&self.linkedin_url, C::LinkedinUrl, "linkedinUrl"),
            (&self.twitter_handle, C::TwitterHandle, "twitterHandle"),
            (&self.address_line1, C::AddressLine1, "addressLine1"),
            (&self.address_line2, C::AddressLine2, "addressLine2"),
            (&self.city, C::City, "city"),
            (&self.state, C::State, "state"),
            (&self.postal_code, C::PostalCode, "postalCode"),
            (&self.country, C::Country, "country"),
        ];
        for (filter, column, field) in strings {
            if let Some(filter) = filter {
                parts.push(filter.condition(column, field)?);
            }
        }
        let uuids: [(&Option<UuidFilter>, C, &str); 7] = [
            (&self.id, C::Id, "id"),
            (&self.status_id, C::StatusId, "statusId"),
            (&self.company_id, C::CompanyId, "companyId"),
            (
                &self.traffic_source_id,
                C::TrafficSourceId,
                "trafficSourceId",
            ),
            (&self.owner_id, C::OwnerId, "ownerId"),
            (&self.assigned_to_id, C::AssignedToId, "assignedToId"),
            (&self.portal_user_id, C::PortalUserId, "portalUserId"),
        ];
        for (filter, column, field) in uuids {
            if let Some(filter) = filter {
                parts.push(filter.condition(column, field)?);
            }
        }
        let times: [(&Option<DateTimeFilter>, C, &str); 4] = [
            (&self.last_activity_at, C::LastActivityAt, "lastActivityAt"),
            (&self.created_at, C::CreatedAt, "createdAt"),
            (&self.updated_at, C::UpdatedAt, "updatedAt"),
            (&self.deleted_at, C::DeletedAt, "deletedAt"),
        ];
        for (filter, column, field) in times {
            if let Some(filter) = filter {
                parts.push(filter.condition(column, field)?);
            }
        }
        if let Some(filter) = &self.score {
            parts.push(filter.condition(C::Score, "score")?);
        }
        if let Some(filter) = &self.source {
            parts.push(filter.condition(C::Source, "source")?);
        }
        if let Some(filter) = &self.lifecycle_stage {
            parts.push(filter.condition(C::LifecycleStage, "lifecycleStage")?);
        }
        if let Some(filter) = &self.status_category {
            let category = filter.condition(contact_status::Column::Category, "statusCategory")?;
            let statuses = Query::select()
                .column(contact_status::Column::Id)
                .from(contact_status::Entity)
                .cond_where(category)
                .to_owned();
            parts.push(Condition::all().add(C::StatusId.in_subquery(statuses)));
        }
        if let Some(filters) = &self.custom_fields {
            parts.push(filters.condition(CustomFields("contacts"), "customFields")?);
        }
        if let Some(ids) = &self.tag_ids {
            id_list("tagIds", ids)?;
            parts.push(if ids.is_empty() {
                Condition::all().add(never())
            } else {
                let tagged = Query::select()
                    .column(contact_tag::Column::ContactId)
                    .from(contact_tag::Entity)
                    .and_where(contact_tag::Column::TagId.is_in(ids.clone()))
                    .to_owned();
                Condition::all().add(C::Id.in_subquery(tagged))
            });
        }
        if let Some(ids) = &self.service_ids {
            id_list("serviceIds", ids)?;
            parts.push(if ids.is_empty() {
                Condition::all().add(never())
            } else {
                let linked = Query::select()
                    .column(contact_service::Column::ContactId)
                    .from(contact_service::Entity)
                    .and_where(contact_service::Column::ServiceId.is_in(ids.clone()))
                    .to_owned();
                Condition::all().add(C::Id.in_subquery(linked))
            });
        }
        Ok(())
    }
}

impl FilterInput for ContactFilterInput {
    fn mentions(&self, field: &str) -> bool {
        match field {
            "deletedAt" => self.deleted_at.is_some(),
            "createdAt" => self.created_at.is_some(),
            "statusCategory" => self.status_category.is_some(),
            "tagIds" => self.tag_ids.is_some(),
            "customFields" => self.custom_fields.is_some(),
            "and" => self.and.is_some(),
            "or" => self.or.is_some(),
            "not" => self.not.is_some(),
            _ => false,
        }
    }

    fn condition_within(&self, budget: &mut FilterBudget, depth: usize) -> AppResult<Condition> {
        budget.enter(depth)?;
        let mut all = Condition::all();
        let mut parts = Vec::new();
        self.column_parts(&mut parts)?;
        for item in self.and.iter().flatten() {
            parts.push(item.condition_within(budget, depth + 1)?);
        }
        for part in parts {
            if !part.is_empty() {
                all = all.add(part);
            }
        }
        if let Some(items) = &self.or {
            let conditions = items
                .iter()
                .map(|item| item.condition_within(budget, depth + 1))
                .collect::<AppResult<Vec<_>>>()?;
            // An empty item matches every row, and so does the OR it belongs to.
            if !conditions.iter().any(Condition::is_empty) {
                all = if conditions.is_empty() {
                    all.add(never())
                } else {
                    all.add(
                        conditions
                            .into_iter()
                            .fold(Condition::any(), Condition::add),
                    )
                };
            }
        }
        if let Some(inner) = &self.not {
            let inner = inner.condition_within(budget, depth + 1)?;
            all = all.add(if inner.is_empty() {
                Condition::all().add(never())
            } else {
                inner.not()
            });
        }
        Ok(all)
    }
}
