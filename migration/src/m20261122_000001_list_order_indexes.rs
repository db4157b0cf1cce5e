//! Indexes in the exact order of the lists that sort newest first.
//!
//! Lists order by `<time> DESC NULLS LAST, id ASC` (explicit NULL placement, the same on every
//! database, and an ascending id as the last tie-breaker). A plain ascending index read
//! backwards yields `DESC NULLS FIRST, id DESC` on PostgreSQL, which does not match, so the
//! planner sorted every row of the organization for each page. These indexes carry the list
//! order itself (SQLite puts NULLs first in ascending order, so its `DESC` already means
//! NULLs last), and replace the ascending ones they supersede. Notes also gain an index for
//! their default order (pinned first, then newest).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A column of an index, ascending or in a list's newest-first order.
#[derive(Clone, Copy)]
enum Key {
    Asc(&'static str),
    Newest(&'static str),
}

use Key::{Asc, Newest};

/// `(name, table, keys, superseded index and its columns)`.
type OrderIndex = (
    &'static str,
    &'static str,
    &'static [Key],
    Option<(&'static str, &'static [&'static str])>,
);

const INDEXES: &[OrderIndex] = &[
    (
        "ix_contacts_org_recent",
        "contacts",
        &[Asc("organization_id"), Newest("created_at"), Asc("id")],
        Some((
            "ix_contacts_org_created",
            &["organization_id", "created_at", "id"],
        )),
    ),
    (
        "ix_companies_org_recent",
        "companies",
        &[Asc("organization_id"), Newest("created_at"), Asc("id")],
        Some((
            "ix_companies_org_created",
            &["organization_id", "created_at", "id"],
        )),
    ),
    (
        "ix_leads_org_recent",
        "leads",
        &[Asc("organization_id"), Newest("created_at"), Asc("id")],
        Some((
            "ix_leads_org_created",
            &["organization_id", "created_at", "id"],
        )),
    ),
    (
        "ix_opportunities_org_recent",
        "opportunities",
        &[Asc("organization_id"), Newest("created_at"), Asc("id")],
        Some((
            "ix_opportunities_org_created",
            &["organization_id", "created_at", "id"],
        )),
    ),
    (
        "ix_invitations_org_recent",
        "invitations",
        &[Asc("organization_id"), Newest("created_at"), Asc("id")],
        None,
    ),
    (
        "ix_audit_log_org_recent",
        "audit_log",
        &[Asc("organization_id"), Newest("at"), Asc("id")],
        Some(("ix_audit_log_org_at", &["organization_id", "at", "id"])),
    ),
    (
        "ix_activities_org_recent",
        "activities",
        &[Asc("organization_id"), Newest("occurred_at"), Asc("id")],
        Some((
            "ix_activities_org_occurred",
            &["organization_id", "occurred_at", "id"],
        )),
    ),
    (
        "ix_activities_org_contact_recent",
        "activities",
        &[
            Asc("organization_id"),
            Asc("contact_id"),
            Newest("occurred_at"),
            Asc("id"),
        ],
        Some((
            "ix_activities_org_contact",
            &["organization_id", "contact_id", "occurred_at"],
        )),
    ),
    (
        "ix_activities_org_company_recent",
        "activities",
        &[
            Asc("organization_id"),
            Asc("company_id"),
            Newest("occurred_at"),
            Asc("id"),
        ],
        Some((
            "ix_activities_org_company",
            &["organization_id", "company_id", "occurred_at"],
        )),
    ),
    (
        "ix_activities_org_lead_recent",
        "activities",
        &[
            Asc("organization_id"),
            Asc("lead_id"),
            Newest("occurred_at"),
            Asc("id"),
        ],
        Some((
            "ix_activities_org_lead",
            &["organization_id", "lead_id", "occurred_at"],
        )),
    ),
    (
        "ix_activities_org_opportunity_recent",
        "activities",
        &[
            Asc("organization_id"),
            Asc("opportunity_id"),
            Newest("occurred_at"),
            Asc("id"),
        ],
        Some((
            "ix_activities_org_opportunity",
            &["organization_id", "opportunity_id", "occurred_at"],
        )),
    ),
    (
        "ix_notes_org_recent",
        "notes",
        &[
            Asc("organization_id"),
            Newest("pinned"),
            Newest("created_at"),
            Asc("id"),
        ],
        None,
    ),
    (
        "ix_notes_org_contact_recent",
        "notes",
        &[
            Asc("organization_id"),
            Asc("contact_id"),
            Newest("pinned"),
            Newest("created_at"),
            Asc("id"),
        ],
        Some((
            "ix_notes_org_contact",
            &["organization_id", "contact_id", "created_at"],
        )),
    ),
    (
        "ix_notes_org_company_recent",
        "notes",
        &[
            Asc("organization_id"),
            Asc("company_id"),
            Newest("pinned"),
            Newest("created_at"),
            Asc("id"),
        ],
        Some((
            "ix_notes_org_company",
            &["organization_id", "company_id", "created_at"],
        )),
    ),
    (
        "ix_notes_org_lead_recent",
        "notes",
        &[
            Asc("organization_id"),
            Asc("lead_id"),
            Newest("pinned"),
            Newest("created_at"),
            Asc("id"),
        ],
        Some((
            "ix_notes_org_lead",
            &["organization_id", "lead_id", "created_at"],
        )),
    ),
    (
        "ix_notes_org_opportunity_recent",
        "notes",
        &[
            Asc("organization_id"),
            Asc("opportunity_id"),
            Newest("pinned"),
            Newest("created_at"),
            Asc("id"),
        ],
        Some((
            "ix_notes_org_opportunity",
            &["organization_id", "opportunity_id", "created_at"],
        )),
    ),
];

/// The `CREATE INDEX` of an index in list order on `backend`.
fn create_sql(backend: DbBackend, name: &str, table: &str, keys: &[Key]) -> String {
    let newest = if backend == DbBackend::Postgres {
        "DESC NULLS LAST"
    } else {
        "DESC"
    };
    let columns: Vec<String> = keys
        .iter()
        .map(|key| match key {
            Asc(column) => (*column).to_owned(),
            Newest(column) => format!("{column} {newest}"),
        })
        .collect();
    format!("CREATE INDEX {name} ON {table} ({})", columns.join(", "))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        for (name, table, keys, superseded) in INDEXES {
            db.execute_unprepared(&create_sql(backend, name, table, keys))
                .await?;
            if let Some((old, _)) = superseded {
                db.execute_unprepared(&format!("DROP INDEX {old}")).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, table, _, superseded) in INDEXES.iter().rev() {
            if let Some((old, columns)) = superseded {
                db.execute_unprepared(&format!(
                    "CREATE INDEX {old} ON {table} ({})",
                    columns.join(", ")
                ))
                .await?;
            }
            db.execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        Ok(())
    }
}
