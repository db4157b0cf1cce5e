//! Ordered lists (a CRM's statuses and pipeline stages, a checklist's items) append new entries
//! at the end: one position after the largest among the rows that share the ordering.

use crate::auth::TenantScope;
use crate::error::AppResult;
use crate::object::TenantTable;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryFilter, QuerySelect};

/// The position after the last of the organization's rows matching `within` (0 for the
/// first row).
pub async fn next_position<E: TenantTable>(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    position: E::Column,
    within: Condition,
) -> AppResult<i32> {
    let max: Option<i32> = E::scoped(scope)
        .select_only()
        .column_as(position.max(), "max")
        .filter(within)
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    Ok(max.map_or(0, |m| m + 1))
}
