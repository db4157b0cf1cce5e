//! The CRM: settings lists (contact statuses, services, traffic sources), tags, custom field
//! definitions, companies, contacts (with tags and services), segments, pipelines and stages,
//! leads, opportunities with line items and stage history, activities and notes.
//!
//! References to users and between CRM objects are composite `(organization_id, x_id)` keys.
//! Where a referenced object can be destroyed while others keep pointing at it, the key has no
//! database action (a composite `SET NULL` would also null the organization): the destroying
//! service clears or removes the references first. Pure children (tag links, segment members,
//! line items, stage history, stages) cascade.
//! On PostgreSQL, contacts, companies, leads and opportunities get a generated `tsvector`
//! column with a GIN index for ranked full-text search.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A per-organization settings list (services, traffic sources).
fn settings_list(name: &str) -> TableCreateStatement {
    let mut table = tenant_table(name);
    table
        .col(text(c("name"), 100))
        .col(long_text_null("description"))
        .col(int("position", 0));
    stamps(&mut table, false);
    table.index(&mut unique_index(
        &format!("uq_{name}_org_name"),
        c(name),
        &["organization_id", "name"],
    ));
    table
}

fn contact_statuses() -> TableCreateStatement {
    let mut table = tenant_table("contact_statuses");
    table
        .col(text(c("name"), 100))
        .col(text(c("category"), 20))
        .col(text_null(c("color"), 7))
        .col(int("position", 0))
        .col(flag(c("is_default"), false));
    stamps(&mut table, false);
    table.index(&mut unique_index(
        "uq_contact_statuses_org_name",
        c("contact_statuses"),
        &["organization_id", "name"],
    ));
    table
}

fn tags() -> TableCreateStatement {
    let mut table = tenant_table("tags");
    table
        .col(text(c("name"), 100))
        .col(text_null(c("color"), 7));
    stamps(&mut table, false);
    table.index(&mut unique_index(
        "uq_tags_org_name",
        c("tags"),
        &["organization_id", "name"],
    ));
    table
}

fn custom_field_definitions() -> TableCreateStatement {
    let mut table = tenant_table("custom_field_definitions");
    table
        .col(text(c("entity_type"), 20))
        .col(text(c("key"), 64))
        .col(text(c("label"), 255))
        .col(text(c("field_type"), 20))
        .col(flag(c("required"), false))
        .col(json_null("options"))
        .col(long_text_null("description"))
        .col(int("position", 0));
    stamps(&mut table, false);
    table.index(&mut unique_index(
        "uq_custom_field_definitions_key",
        c("custom_field_definitions"),
        &["organization_id", "entity_type", "key"],
    ));
    table
}

fn companies() -> TableCreateStatement {
    let mut table = tenant_table("companies");
    table
        .col(text(c("name"), 255))
        .col(text_null(c("domain"), 255))
        .col(text_null(c("industry"), 100))
        .col(text_null(c("company_size"), 20))
        .col(money_null("annual_revenue"))
        .col(int_null("founded_year"))
        .col(long_text_null("description"))
        .col(text_null(c("logo_url"), 500))
        .col(text_null(c("website"), 500))
        .col(text_null(c("linkedin_url"), 500))
        .col(text_null(c("address_line1"), 255))
        .col(text_null(c("city"), 100))
        .col(text_null(c("state"), 100))
        .col(text_null(c("country"), 2))
        .col(text_null(c("phone"), 20))
        .col(int_null("employee_count"))
        .col(text_null(c("type"), 20))
        .col(text_null(c("tier"), 20))
        .col(int_null("health_score"))
        .col(json("custom_fields"));
    people(&mut table, "companies", &["owner_id"]);
    stamps(&mut table, true);
    table.index(&mut unique_index(
        "uq_companies_org_domain",
        c("companies"),
        &["organization_id", "domain"],
    ));
    table
}

fn contacts() -> TableCreateStatement {
    let mut table = tenant_table("contacts");
    table
        .col(text(c("first_name"), 100))
        .col(text_null(c("last_name"), 100))
        .col(text_null(c("email"), 254))
        .col(text_null(c("phone"), 20))
        .col(text_null(c("mobile"), 20))
        .col(text_null(c("company"), 255))
        .col(text_null(c("job_title"), 100))
        .col(text_null(c("department"), 100))
        .col(text_null(c("website"), 500))
        .col(text_null(c("linkedin_url"), 500))
        .col(text_null(c("twitter_handle"), 50))
        .col(text_null(c("address_line1"), 255))
        .col(text_null(c("address_line2"), 255))
        .col(text_null(c("city"), 100))
        .col(text_null(c("state"), 100))
        .col(text_null(c("postal_code"), 20))
        .col(text_null(c("country"), 2))
        .col(uuid_null(c("status_id")))
        .col(text_null(c("source"), 20))
        .col(text_null(c("lifecycle_stage"), 20))
        .col(int_null("score"))
        .col(json("custom_fields"))
        .col(uuid_null(c("company_id")))
        .col(uuid_null(c("traffic_source_id")))
        .col(timestamp_null(c("last_activity_at")));
    reference(
        &mut table,
        "contacts",
        "status_id",
        "contact_statuses",
        false,
    );
    reference(&mut table, "contacts", "company_id", "companies", false);
    reference(
        &mut table,
        "contacts",
        "traffic_source_id",
        "traffic_sources",
        false,
    );
    people(
        &mut table,
        "contacts",
        &["owner_id", "assigned_to_id", "portal_user_id"],
    );
    stamps(&mut table, true);
    table
}

fn segments() -> TableCreateStatement {
    let mut table = tenant_table("segments");
    table
        .col(text(c("name"), 255))
        .col(long_text_null("description"))
        .col(text(c("kind"), 10))
        .col(json_null("filter"));
    people(&mut table, "segments", &["created_by_id"]);
    stamps(&mut table, true);
    table.index(&mut unique_index(
        "uq_segments_org_name",
        c("segments"),
        &["organization_id", "name"],
    ));
    table
}

fn pipelines() -> TableCreateStatement {
    let mut table = tenant_table("pipelines");
    table
        .col(text(c("name"), 255))
        .col(long_text_null("description"))
        .col(flag(c("is_default"), false))
        .col(flag(c("is_active"), true));
    stamps(&mut table, true);
    table.index(&mut unique_index(
        "uq_pipelines_org_name",
        c("pipelines"),
        &["organization_id", "name"],
    ));
    table
}

fn stages() -> TableCreateStatement {
    let mut table = tenant_table("stages");
    table
        .col(uuid(c("pipeline_id")))
        .col(text(c("name"), 100))
        .col(int("probability", 0))
        .col(int("position", 0))
        .col(text_null(c("color"), 7))
        .col(long_text_null("description"))
        .col(flag(c("is_won"), false))
        .col(flag(c("is_lost"), false));
    reference(&mut table, "stages", "pipeline_id", "pipelines", true);
    stamps(&mut table, false);
    table.index(&mut unique_index(
        "uq_stages_pipeline_name",
        c("stages"),
        &["organization_id", "pipeline_id", "name"],
    ));
    // Target of opportunities' (organization, pipeline, stage) key: a stage of the same pipeline.
    table.index(&mut unique_index(
        "uq_stages_pipeline_id",
        c("stages"),
        &["organization_id", "pipeline_id", "id"],
    ));
    table
}

fn leads() -> TableCreateStatement {
    let mut table = tenant_table("leads");
    table
        .col(text_null(c("name"), 255))
        .col(text_null(c("first_name"), 100))
        .col(text_null(c("last_name"), 100))
        .col(text_null(c("email"), 254))
        .col(text_null(c("phone"), 20))
        .col(text_null(c("company"), 255))
        .col(text_null(c("job_title"), 100))
        .col(text_null(c("website"), 500))
        .col(text_null(c("source"), 20))
        .col(text_null(c("source_detail"), 255))
        .col(text(c("status"), 20))
        .col(text_null(c("substatus"), 50))
        .col(int_null("score"))
        .col(json_null("score_breakdown"))
        .col(text_null(c("grade"), 1))
        .col(money_null("estimated_value"))
        .col(text_null(c("currency"), 3))
        .col(decimal_null("probability", 5, 2))
        .col(text_null(c("utm_source"), 100))
        .col(text_null(c("utm_medium"), 100))
        .col(text_null(c("utm_campaign"), 100))
        .col(text_null(c("referrer_url"), 500))
        .col(text_null(c("landing_page"), 500))
        .col(long_text_null("notes"))
        .col(json("tags"))
        .col(json("custom_fields"))
        .col(uuid_null(c("converted_contact_id")))
        .col(uuid_null(c("converted_opportunity_id")))
        .col(uuid_null(c("campaign_id")))
        .col(timestamp_null(c("last_activity_at")))
        .col(timestamp_null(c("first_responded_at")))
        .col(timestamp_null(c("qualified_at")))
        .col(timestamp_null(c("converted_at")));
    reference(
        &mut table,
        "leads",
        "converted_contact_id",
        "contacts",
        false,
    );
    people(&mut table, "leads", &["owner_id", "assigned_to_id"]);
    stamps(&mut table, true);
    table
}

fn opportunities() -> TableCreateStatement {
    let mut table = tenant_table("opportunities");
    table
        .col(text(c("name"), 255))
        .col(long_text_null("description"))
        .col(money("value"))
        .col(text(c("currency"), 3))
        .col(decimal("probability", 5, 2))
        .col(money("weighted_value"))
        .col(date_null("expected_close_date"))
        .col(date_null("actual_close_date"))
        .col(uuid(c("pipeline_id")))
        .col(uuid(c("stage_id")))
        .col(uuid_null(c("contact_id")))
        .col(uuid_null(c("company_id")))
        .col(uuid_null(c("lead_id")))
        .col(text(c("status"), 10))
        .col(text_null(c("loss_reason"), 255))
        .col(text_null(c("competitor"), 255))
        .col(long_text_null("next_step"))
        .col(json("tags"))
        .col(json("custom_fields"))
        .col(timestamp_null(c("last_activity_at")))
        .col(timestamp(c("stage_changed_at")));
    reference(
        &mut table,
        "opportunities",
        "pipeline_id",
        "pipelines",
        false,
    );
    // The stage must belong to the opportunity's pipeline, in the same organization.
    table.foreign_key(
        ForeignKey::create()
            .name("fk_opportunities_stage")
            .from_tbl(c("opportunities"))
            .from_col(c("organization_id"))
            .from_col(c("pipeline_id"))
            .from_col(c("stage_id"))
            .to_tbl(c("stages"))
            .to_col(c("organization_id"))
            .to_col(c("pipeline_id"))
            .to_col(c("id")),
    );
    reference(&mut table, "opportunities", "contact_id", "contacts", false);
    reference(
        &mut table,
        "opportunities",
        "company_id",
        "companies",
        false,
    );
    reference(&mut table, "opportunities", "lead_id", "leads", false);
    people(&mut table, "opportunities", &["owner_id"]);
    stamps(&mut table, true);
    table
}

fn line_items() -> TableCreateStatement {
    let mut table = tenant_table("opportunity_line_items");
    table
        .col(uuid(c("opportunity_id")))
        .col(text(c("product"), 255))
        .col(long_text_null("description"))
        .col(decimal("quantity", 15, 4))
        .col(money("unit_price"))
        .col(decimal("discount", 5, 2))
        .col(money("total"))
        .col(int("position", 0));
    reference(
        &mut table,
        "opportunity_line_items",
        "opportunity_id",
        "opportunities",
        true,
    );
    stamps(&mut table, false);
    table
}

fn stage_history() -> TableCreateStatement {
    // Stage ids are kept without keys: history outlives the stages it mentions.
    let mut table = tenant_table("opportunity_stage_history");
    table
        .col(uuid(c("opportunity_id")))
        .col(uuid(c("pipeline_id")))
        .col(uuid_null(c("from_stage_id")))
        .col(uuid(c("to_stage_id")))
        .col(text_null(c("from_status"), 10))
        .col(text(c("to_status"), 10))
        .col(decimal("probability", 5, 2))
        .col(money("value"))
        .col(
            ColumnDef::new(c("seconds_in_previous_stage"))
                .big_integer()
                .null(),
        )
        .col(uuid_null(c("changed_by_id")))
        .col(timestamp(c("changed_at")));
    reference(
        &mut table,
        "opportunity_stage_history",
        "opportunity_id",
        "opportunities",
        true,
    );
    table
}

/// Activities and notes hang on a contact, company, lead or opportunity.
fn targets(table: &mut TableCreateStatement, name: &str) {
    for (column, parent) in [
        ("contact_id", "contacts"),
        ("company_id", "companies"),
        ("lead_id", "leads"),
        ("opportunity_id", "opportunities"),
    ] {
        table.col(uuid_null(c(column)));
        reference(table, name, column, parent, false);
    }
}

fn activities() -> TableCreateStatement {
    let mut table = tenant_table("activities");
    table
        .col(text(c("activity_type"), 10))
        .col(text(c("subject"), 255))
        .col(long_text_null("body"))
        .col(timestamp(c("occurred_at")))
        .col(int_null("duration_minutes"))
        .col(text_null(c("outcome"), 255));
    targets(&mut table, "activities");
    people(&mut table, "activities", &["author_id"]);
    stamps(&mut table, true);
    table
}

fn notes() -> TableCreateStatement {
    let mut table = tenant_table("notes");
    table
        .col(text_null(c("title"), 255))
        .col(ColumnDef::new(c("body")).text().not_null())
        .col(flag(c("pinned"), false));
    targets(&mut table, "notes");
    people(&mut table, "notes", &["author_id"]);
    stamps(&mut table, true);
    table
}

/// Every list index starts with `organization_id`.
const INDEXES: &[(&str, &str, &[&str])] = &[
    (
        "ix_contact_statuses_org_position",
        "contact_statuses",
        &["organization_id", "position"],
    ),
    (
        "ix_companies_org_name",
        "companies",
        &["organization_id", "name"],
    ),
    (
        "ix_companies_org_created",
        "companies",
        &["organization_id", "created_at", "id"],
    ),
    (
        "ix_companies_org_owner",
        "companies",
        &["organization_id", "owner_id"],
    ),
    (
        "ix_companies_org_industry",
        "companies",
        &["organization_id", "industry"],
    ),
    (
        "ix_contacts_org_email",
        "contacts",
        &["organization_id", "email"],
    ),
    (
        "ix_contacts_org_created",
        "contacts",
        &["organization_id", "created_at", "id"],
    ),
    (
        "ix_contacts_org_name",
        "contacts",
        &["organization_id", "last_name", "first_name"],
    ),
    (
        "ix_contacts_org_company",
        "contacts",
        &["organization_id", "company_id"],
    ),
    (
        "ix_contacts_org_owner",
        "contacts",
        &["organization_id", "owner_id"],
    ),
    (
        "ix_contacts_org_assignee",
        "contacts",
        &["organization_id", "assigned_to_id"],
    ),
    (
        "ix_contacts_org_status",
        "contacts",
        &["organization_id", "status_id"],
    ),
    (
        "ix_contacts_org_lifecycle",
        "contacts",
        &["organization_id", "lifecycle_stage"],
    ),
    (
        "ix_contacts_org_activity",
        "contacts",
        &["organization_id", "last_activity_at"],
    ),
    (
        "ix_contacts_org_score",
        "contacts",
        &["organization_id", "score"],
    ),
    (
        "ix_contacts_org_portal_user",
        "contacts",
        &["organization_id", "portal_user_id"],
    ),
    (
        "ix_contact_tags_org_tag",
        "contact_tags",
        &["organization_id", "tag_id"],
    ),
    (
        "ix_contact_services_org_service",
        "contact_services",
        &["organization_id", "service_id"],
    ),
    (
        "ix_segment_members_org_contact",
        "segment_members",
        &["organization_id", "contact_id"],
    ),
    (
        "ix_pipelines_org_active",
        "pipelines",
        &["organization_id", "is_active"],
    ),
    (
        "ix_stages_org_pipeline_position",
        "stages",
        &["organization_id", "pipeline_id", "position"],
    ),
    ("ix_leads_org_email", "leads", &["organization_id", "email"]),
    (
        "ix_leads_org_status",
        "leads",
        &["organization_id", "status"],
    ),
    (
        "ix_leads_org_created",
        "leads",
        &["organization_id", "created_at", "id"],
    ),
    (
        "ix_leads_org_owner",
        "leads",
        &["organization_id", "owner_id"],
    ),
    (
        "ix_leads_org_assignee",
        "leads",
        &["organization_id", "assigned_to_id"],
    ),
    (
        "ix_leads_org_source_status",
        "leads",
        &["organization_id", "source", "status"],
    ),
    ("ix_leads_org_score", "leads", &["organization_id", "score"]),
    (
        "ix_opportunities_org_status",
        "opportunities",
        &["organization_id", "status"],
    ),
    (
        "ix_opportunities_org_stage",
        "opportunities",
        &["organization_id", "pipeline_id", "stage_id"],
    ),
    (
        "ix_opportunities_org_owner",
        "opportunities",
        &["organization_id", "owner_id"],
    ),
    (
        "ix_opportunities_org_contact",
        "opportunities",
        &["organization_id", "contact_id"],
    ),
    (
        "ix_opportunities_org_company",
        "opportunities",
        &["organization_id", "company_id"],
    ),
    (
        "ix_opportunities_org_close",
        "opportunities",
        &["organization_id", "expected_close_date"],
    ),
    (
        "ix_opportunities_org_value",
        "opportunities",
        &["organization_id", "value"],
    ),
    (
        "ix_opportunities_org_created",
        "opportunities",
        &["organization_id", "created_at", "id"],
    ),
    (
        "ix_line_items_org_opportunity",
        "opportunity_line_items",
        &["organization_id", "opportunity_id", "position"],
    ),
    (
        "ix_stage_history_org_opportunity",
        "opportunity_stage_history",
        &["organization_id", "opportunity_id", "changed_at"],
    ),
    (
        "ix_stage_history_org_stage",
        "opportunity_stage_history",
        &["organization_id", "to_stage_id", "changed_at"],
    ),
    (
        "ix_activities_org_occurred",
        "activities",
        &["organization_id", "occurred_at", "id"],
    ),
    (
        "ix_activities_org_contact",
        "activities",
        &["organization_id", "contact_id", "occurred_at"],
    ),
    (
        "ix_activities_org_company",
        "activities",
        &["organization_id", "company_id", "occurred_at"],
    ),
    (
        "ix_activities_org_lead",
        "activities",
        &["organization_id", "lead_id", "occurred_at"],
    ),
    (
        "ix_activities_org_opportunity",
        "activities",
        &["organization_id", "opportunity_id", "occurred_at"],
    ),
    (
        "ix_activities_org_author",
        "activities",
        &["organization_id", "author_id"],
    ),
    (
        "ix_notes_org_contact",
        "notes",
        &["organization_id", "contact_id", "created_at"],
    ),
    (
        "ix_notes_org_company",
        "notes",
        &["organization_id", "company_id", "created_at"],
    ),
    (
        "ix_notes_org_lead",
        "notes",
        &["organization_id", "lead_id", "created_at"],
    ),
    (
        "ix_notes_org_opportunity",
        "notes",
        &["organization_id", "opportunity_id", "created_at"],
    ),
    (
        "ix_notes_org_created",
        "notes",
        &["organization_id", "created_at", "id"],
    ),
];

/// PostgreSQL full text: a generated, weighted `tsvector` per searchable table.
const SEARCH_COLUMNS: &[(&str, &str)] = &[
    (
        "contacts",
        "setweight(to_tsvector('simple', coalesce(first_name, '') || ' ' || coalesce(last_name, '')), 'A') || \
         setweight(to_tsvector('simple', coalesce(email, '')), 'A') || \
         setweight(to_tsvector('simple', coalesce(company, '') || ' ' || coalesce(job_title, '')), 'B') || \
         setweight(to_tsvector('simple', coalesce(city, '') || ' ' || coalesce(phone, '')), 'C')",
    ),
    (
        "companies",
        "setweight(to_tsvector('simple', coalesce(name, '')), 'A') || \
         setweight(to_tsvector('simple', coalesce(domain, '')), 'A') || \
         setweight(to_tsvector('simple', coalesce(industry, '') || ' ' || coalesce(city, '')), 'B') || \
         setweight(to_tsvector('simple', coalesce(description, '')), 'C')",
    ),
    (
        "leads",
        "setweight(to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '')), 'A') || \
         setweight(to_tsvector('simple', coalesce(email, '')), 'A') || \
         setweight(to_tsvector('simple', coalesce(company, '') || ' ' || coalesce(job_title, '')), 'B') || \
         setweight(to_tsvector('simple', coalesce(notes, '')), 'C')",
    ),
    (
        "opportunities",
        "setweight(to_tsvector('simple', coalesce(name, '')), 'A') || \
         setweight(to_tsvector('simple', coalesce(competitor, '') || ' ' || coalesce(loss_reason, '')), 'B') || \
         setweight(to_tsvector('simple', coalesce(description, '') || ' ' || coalesce(next_step, '')), 'C')",
    ),
];

/// Tables in creation order; dropped in reverse.
fn tables() -> Vec<(&'static str, TableCreateStatement)> {
    vec![
        ("contact_statuses", contact_statuses()),
        ("services", settings_list("services")),
        ("traffic_sources", settings_list("traffic_sources")),
        ("tags", tags()),
        ("custom_field_definitions", custom_field_definitions()),
        ("companies", companies()),
        ("contacts", contacts()),
        (
            "contact_tags",
            link_table(
                "contact_tags",
                ("contact_id", "contacts"),
                ("tag_id", "tags"),
                "created_at",
            ),
        ),
        (
            "contact_services",
            link_table(
                "contact_services",
                ("contact_id", "contacts"),
                ("service_id", "services"),
                "created_at",
            ),
        ),
        ("segments", segments()),
        (
            "segment_members",
            link_table(
                "segment_members",
                ("segment_id", "segments"),
                ("contact_id", "contacts"),
                "added_at",
            ),
        ),
        ("pipelines", pipelines()),
        ("stages", stages()),
        ("leads", leads()),
        ("opportunities", opportunities()),
        ("opportunity_line_items", line_items()),
        ("opportunity_stage_history", stage_history()),
        ("activities", activities()),
        ("notes", notes()),
    ]
}

/// Leads point at the opportunity they became, and opportunities at the lead they came from.
/// SQLite resolves keys lazily, so the lead's key is declared inline there; PostgreSQL needs the
/// opportunities table first.
const LEAD_OPPORTUNITY_FK: &str = "fk_leads_converted_opportunity_id";

fn lead_opportunity_fk() -> ForeignKeyCreateStatement {
    tenant_fk(
        LEAD_OPPORTUNITY_FK,
        c("leads"),
        c("converted_opportunity_id"),
        c("opportunities"),
    )
}

/// Portal invitations point at their contact. SQLite cannot add a table constraint to an existing
/// table, so there the service checks the contact; PostgreSQL gets the composite key.
const INVITATION_CONTACT_FK: &str = "fk_invitations_contact_id";

fn invitation_contact_fk() -> ForeignKeyCreateStatement {
    tenant_fk(
        INVITATION_CONTACT_FK,
        c("invitations"),
        c("contact_id"),
        c("contacts"),
    )
    .on_delete(ForeignKeyAction::Cascade)
    .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on every backend, as for the identity migration.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        for (name, mut table) in tables() {
            if name == "leads" && !postgres {
                table.foreign_key(&mut lead_opportunity_fk());
            }
            manager.create_table(table).await?;
        }
        if postgres {
            manager.create_foreign_key(lead_opportunity_fk()).await?;
        }
        // A client-portal invitation names the contact the new CLIENT user is linked to.
        manager
            .alter_table(
                Table::alter()
                    .table(c("invitations"))
                    .add_column(uuid_null(c("contact_id")))
                    .to_owned(),
            )
            .await?;
        if postgres {
            manager.create_foreign_key(invitation_contact_fk()).await?;
        }
        for (name, table, columns) in INDEXES {
            manager.create_index(index(name, c(table), columns)).await?;
        }
        if postgres {
            let db = manager.get_connection();
            for (table, expression) in SEARCH_COLUMNS {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({expression}) STORED"
                ))
                .await?;
                // GIN over the vector alone (a uuid in GIN needs btree_gin); the planner combines it
                // with the organization's btree indexes.
                db.execute_unprepared(&format!(
                    "CREATE INDEX ix_{table}_search ON {table} USING GIN (search_vector)"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // Break the lead <-> opportunity cycle so each table can be emptied and dropped in turn.
        db.execute_unprepared("UPDATE leads SET converted_opportunity_id = NULL")
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .drop_foreign_key(
                    ForeignKey::drop()
                        .name(LEAD_OPPORTUNITY_FK)
                        .table(c("leads"))
                        .to_owned(),
                )
                .await?;
        }
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .drop_foreign_key(
                    ForeignKey::drop()
                        .name(INVITATION_CONTACT_FK)
                        .table(c("invitations"))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(c("invitations"))
                    .drop_column(c("contact_id"))
                    .to_owned(),
            )
            .await?;
        for (name, _) in tables().into_iter().rev() {
            manager
                .drop_table(Table::drop().table(c(name)).to_owned())
                .await?;
        }
        Ok(())
    }
}
