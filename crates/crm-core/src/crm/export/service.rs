//! Streaming the caller's filtered contact list as CSV, page by page (keyset), so memory stays
//! flat whatever the size. Administrators and managers only.

use std::collections::HashMap;

use kernel::listing::{ListArgs, PageArgs};
use kernel::object::TenantTable;
use kernel::{AppResult, AuthContext, Role};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder};
use serde_json::Value as Json;
use uuid::Uuid;

use super::csv_cells::line;
use crate::crm::directory::contacts::service::ContactFilterInput;
use crate::crm::directory::contacts::service::{ContactOrderByInput, list_contacts};
use crate::entity::{contact, contact_status, contact_tag, custom_field_definition, tag, user};

/// Rows fetched per page while streaming.
const PAGE: i32 = 100;

const COLUMNS: [&str; 28] = [
    "id",
    "firstName",
    "lastName",
    "email",
    "phone",
    "mobile",
    "company",
    "jobTitle",
    "department",
    "website",
    "linkedinUrl",
    "twitterHandle",
    "addressLine1",
    "addressLine2",
    "city",
    "state",
    "postalCode",
    "country",
    "status",
    "source",
    "lifecycleStage",
    "score",
    "tags",
    "owner",
    "assignedTo",
    "lastActivityAt",
    "createdAt",
    "updatedAt",
];

/// Who may export contacts.
pub fn require_export(auth: &AuthContext) -> AppResult<()> {
    auth.require_any(&[Role::SuperAdmin, Role::Admin, Role::Manager])
}

/// An export in progress: the query, and where the next page starts.
pub struct ContactExport {
    auth: AuthContext,
    filter: Option<ContactFilterInput>,
    search: Option<String>,
    after: Option<String>,
    done: bool,
    statuses: HashMap<Uuid, String>,
    users: HashMap<Uuid, String>,
    custom_keys: Vec<String>,
    header_sent: bool,
}

impl ContactExport {
    /// Prepares an export: checks the role and the filter, loads the lookup tables.
    pub async fn start(
        db: &impl ConnectionTrait,
        auth: &AuthContext,
        filter: Option<ContactFilterInput>,
        search: Option<String>,
    ) -> AppResult<Self> {
        require_export(auth)?;
        if let Some(filter) = &filter {
            kernel::listing::FilterInput::to_condition(filter)?;
        }
        let statuses = contact_status::Entity::scoped(auth.scope())
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        let users = user::Entity::scoped(auth.scope())
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.email))
            .collect();
        let custom_keys = custom_field_definition::Entity::scoped(auth.scope())
            .filter(custom_field_definition::Column::EntityType.eq("contact"))
            .order_by_asc(custom_field_definition::Column::Position)
            .all(db)
            .await?
            .into_iter()
            .map(|d| d.key)
            .collect();
        Ok(Self {
            auth: auth.clone(),
            filter,
            search,
            after: None,
            done: false,
            statuses,
            users,
            custom_keys,
            header_sent: false,
        })
    }

    /// The next chunk of CSV bytes, or `None` when the export is complete.
    pub async fn next_chunk(&mut self, db: &impl ConnectionTrait) -> AppResult<Option<Vec<u8>>> {
        if self.done {
            return Ok(None);
        }
        let mut out = Vec::new();
        if !self.header_sent {
            let custom = self.custom_keys.iter().map(|k| format!("customFields.{k}"));
            out.extend(line(COLUMNS.iter().map(|c| (*c).to_owned()).chain(custom)));
            self.header_sent = true;
        }
        let page_args = PageArgs::new(Some(PAGE), self.after.clone(), None, None);
        let args: ListArgs<ContactFilterInput, ContactOrderByInput> =
            ListArgs::plain(self.filter.clone(), page_args, false);
        let page = list_contacts(db, &self.auth, &args, self.search.as_deref()).await?;
        self.done = !page.has_next_page;
        self.after = page.edges.last().map(|(cursor, _)| cursor.clone());
        let ids: Vec<Uuid> = page.edges.iter().map(|(_, c)| c.id).collect();
        let tags = tags_of(db, &self.auth, &ids).await?;
        for (_, contact) in &page.edges {
            out.extend(line(self.row(contact, tags.get(&contact.id))));
        }
        Ok(Some(out))
    }

    fn row(&self, c: &contact::Model, tags: Option<&Vec<String>>) -> Vec<String> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let user = |id: Option<Uuid>| {
            id.and_then(|id| self.users.get(&id).cloned())
                .unwrap_or_default()
        };
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map(kernel::scalars::instant_text).unwrap_or_default()
        };
        let mut cells = vec![
            c.id.to_string(),
            c.first_name.clone(),
            text(&c.last_name),
            text(&c.email),
            text(&c.phone),
            text(&c.mobile),
            text(&c.company),
            text(&c.job_title),
            text(&c.department),
            text(&c.website),
            text(&c.linkedin_url),
            text(&c.twitter_handle),
            text(&c.address_line1),
            text(&c.address_line2),
            text(&c.city),
            text(&c.state),
            text(&c.postal_code),
            text(&c.country),
            c.status_id
                .and_then(|id| self.statuses.get(&id).cloned())
                .unwrap_or_default(),
            text(&c.source),
            text(&c.lifecycle_stage),
            c.score.map(|s| s.to_string()).unwrap_or_default(),
            tags.map(|t| t.join(", ")).unwrap_or_default(),
            user(c.owner_id),
            user(c.assigned_to_id),
            time(c.last_activity_at),
            time(Some(c.created_at)),
            time(Some(c.updated_at)),
        ];
        for key in &self.custom_keys {
            cells.push(match c.custom_fields.get(key) {
                None | Some(Json::Null) => String::new(),
                Some(Json::String(text)) => text.clone(),
                Some(Json::Array(items)) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(", "),
                Some(other) => other.to_string(),
            });
        }
        cells
    }
}

async fn tags_of(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<String>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let links = contact_tag::Entity::scoped(auth.scope())
        .filter(contact_tag::Column::ContactId.is_in(ids.to_vec()))
        .all(db)
        .await?;
    let names: HashMap<Uuid, String> = tag::Entity::scoped(auth.scope())
        .filter(tag::Column::Id.is_in(links.iter().map(|l| l.tag_id).collect::<Vec<_>>()))
        .order_by_asc(tag::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let links: Vec<(Uuid, String)> = links
        .into_iter()
        .filter_map(|l| names.get(&l.tag_id).map(|n| (l.contact_id, n.clone())))
        .collect();
    let mut by_contact: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (contact_id, name) in links {
        by_contact.entry(contact_id).or_default().push(name);
    }
    Ok(by_contact)
}
