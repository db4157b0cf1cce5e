//! Ordered lists (statuses, services, traffic sources, custom fields) append new entries at the
//! end: one position after the largest among the rows that share the ordering.

use kernel::AppResult;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

/// The position after the last of the rows matching `within` (0 for the first row).
pub async fn next_position<E: EntityTrait>(
    db: &impl ConnectionTrait,
    position: E::Column,
    within: Condition,
) -> AppResult<i32> {
    let max: Option<i32> = E::find()
        .select_only()
        .column_as(position.max(), "max")
        .filter(within)
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    Ok(max.map_or(0, |m| m + 1))
}
