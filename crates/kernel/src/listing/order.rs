//! Sort directions and sort keys, as produced by the order-by inputs of
//! [`crate::entity_order_by!`].

use std::fmt;

use async_graphql::Enum;
use sea_orm::sea_query::NullOrdering;
use sea_orm::{EntityTrait, IdenStatic, Order};

use crate::error::{AppError, AppResult};

/// The most sort keys one `orderBy` may hold in total (the id tie-breaker is not counted).
pub const MAX_SORT_KEYS: usize = 5;

/// A sort direction with an explicit placement of NULLs, so that the order is the same on every
/// database.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(name = "OrderDirection", rename_items = "PascalCase")]
pub enum OrderDirection {
    /// Ascending, rows without a value first.
    AscNullsFirst,
    /// Ascending, rows without a value last.
    AscNullsLast,
    /// Descending, rows without a value first.
    DescNullsFirst,
    /// Descending, rows without a value last.
    DescNullsLast,
}

impl OrderDirection {
    /// The exact opposite order, NULL placement included: reading a list backwards.
    pub fn reversed(self) -> Self {
        match self {
            Self::AscNullsFirst => Self::DescNullsLast,
            Self::AscNullsLast => Self::DescNullsFirst,
            Self::DescNullsFirst => Self::AscNullsLast,
            Self::DescNullsLast => Self::AscNullsFirst,
        }
    }

    /// Whether values ascend.
    pub fn is_ascending(self) -> bool {
        matches!(self, Self::AscNullsFirst | Self::AscNullsLast)
    }

    /// Whether NULLs come before every value.
    pub fn nulls_first(self) -> bool {
        matches!(self, Self::AscNullsFirst | Self::DescNullsFirst)
    }

    /// The SeaORM sort order.
    pub fn order(self) -> Order {
        if self.is_ascending() {
            Order::Asc
        } else {
            Order::Desc
        }
    }

    /// The sea-query NULL placement.
    pub fn null_ordering(self) -> NullOrdering {
        if self.nulls_first() {
            NullOrdering::First
        } else {
            NullOrdering::Last
        }
    }

    /// The short code recorded in cursors.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::AscNullsFirst => "af",
            Self::AscNullsLast => "al",
            Self::DescNullsFirst => "df",
            Self::DescNullsLast => "dl",
        }
    }
}

/// One key of a sort: a column and its direction.
pub struct SortKey<E: EntityTrait> {
    /// The column sorted on.
    pub column: E::Column,
    /// The direction and NULL placement.
    pub direction: OrderDirection,
}

impl<E: EntityTrait> SortKey<E> {
    /// A sort key (services use it for their default order when `orderBy` is not given).
    pub fn new(column: E::Column, direction: OrderDirection) -> Self {
        Self { column, direction }
    }
}

// Written by hand because deriving would require the entity type itself to be Clone and Debug.
impl<E: EntityTrait> Clone for SortKey<E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E: EntityTrait> Copy for SortKey<E> {}

impl<E: EntityTrait> fmt::Debug for SortKey<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SortKey")
            .field("column", &self.column.as_str())
            .field("direction", &self.direction)
            .finish()
    }
}

impl<E: EntityTrait> PartialEq for SortKey<E> {
    fn eq(&self, other: &Self) -> bool {
        self.column.as_str() == other.column.as_str() && self.direction == other.direction
    }
}

/// Enforces [`MAX_SORT_KEYS`] on the keys collected from an `orderBy` argument.
pub fn limit_sort_keys<E: EntityTrait>(keys: Vec<SortKey<E>>) -> AppResult<Vec<SortKey<E>>> {
    if keys.len() > MAX_SORT_KEYS {
        return Err(AppError::invalid(
            "orderBy",
            format!("at most {MAX_SORT_KEYS} sort keys may be given"),
        ));
    }
    Ok(keys)
}

/// An entity's `orderBy` input (declared with [`entity_order_by!`](crate::entity_order_by)).
pub trait OrderByInput<E: EntityTrait>: Sized {
    /// The sort keys of an `orderBy` list: for each entry in order, each field it sets in
    /// declaration order. More than [`MAX_SORT_KEYS`] keys is `BAD_USER_INPUT` on `orderBy`.
    fn sort_keys(list: &[Self]) -> AppResult<Vec<SortKey<E>>>;
}
