//! Every table and index of the CRM, one module per domain step. A migration never changes
//! after it has landed; later changes are new modules.
//!
//! Conventions (ARCHITECTURE.md, "Data"): UUID v7 ids, `organization_id` on every tenant-owned table with
//! `UNIQUE (organization_id, id)`, children pointing at parents through composite foreign keys
//! `(organization_id, parent_id)` so the database refuses a row that points into another tenant,
//! and every list index starting with `organization_id`.

#![allow(
    elided_lifetimes_in_paths,
    reason = "MigrationTrait (async_trait) declares up/down with `&SchemaManager` and its lifetime elided; implementations must match it"
)]

pub use sea_orm_migration::prelude::*;

mod columns;
#[allow(
    unreachable_pub,
    reason = "a landed migration never changes, not for a later lint either"
)]
mod m20261120_000001_identity;
#[allow(
    unreachable_pub,
    reason = "a landed migration never changes, not for a later lint either"
)]
mod m20261121_000001_crm;
#[allow(
    unreachable_pub,
    reason = "a landed migration never changes, not for a later lint either"
)]
mod m20261122_000001_list_order_indexes;
mod m20261130_000001_whole_percent_probabilities;

/// Applies the migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261120_000001_identity::Migration),
            Box::new(m20261121_000001_crm::Migration),
            Box::new(m20261122_000001_list_order_indexes::Migration),
            Box::new(m20261130_000001_whole_percent_probabilities::Migration),
        ]
    }
}
