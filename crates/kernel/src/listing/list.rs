//! What every list field does, once: gather `filter`, `orderBy` and the page arguments, apply
//! the filter to a tenant-scoped select, fall back to a default order, and paginate.

use async_graphql::Context;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};

use super::filter::FilterInput;
use super::order::{OrderByInput, SortKey};
use super::page::{Page, PageArgs, Relevance, paginate_ranked};
use crate::error::AppResult;

/// The arguments of a list field, gathered by its resolver.
#[derive(Debug, Clone)]
pub struct ListArgs<F, O> {
    pub filter: Option<F>,
    pub order_by: Vec<O>,
    pub page: PageArgs,
    /// Whether `totalCount` was selected (the count query runs only then).
    pub with_total: bool,
}

impl<F, O> ListArgs<F, O> {
    /// Gathers a list field's arguments; looks ahead for `totalCount`.
    pub fn new(
        ctx: &Context<'_>,
        filter: Option<F>,
        order_by: Option<Vec<O>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        Self {
            filter,
            order_by: order_by.unwrap_or_default(),
            page: PageArgs::new(first, after, last, before),
            with_total: ctx.look_ahead().field("totalCount").exists(),
        }
    }

    /// `select` without soft-deleted rows (`deleted_at` NULL), unless the filter asks about
    /// `deletedAt`: a client sees deleted rows only by filtering on them.
    pub fn hide_deleted<E: EntityTrait>(
        &self,
        select: Select<E>,
        deleted_at: E::Column,
    ) -> Select<E>
    where
        F: FilterInput,
    {
        if self
            .filter
            .as_ref()
            .is_some_and(|f| f.mentions("deletedAt"))
        {
            select
        } else {
            select.filter(deleted_at.is_null())
        }
    }

    /// Arguments built in code (services calling each other, tests).
    pub fn plain(filter: Option<F>, page: PageArgs, with_total: bool) -> Self {
        Self {
            filter,
            order_by: Vec::new(),
            page,
            with_total,
        }
    }
}

/// Lists `select` (already scoped to the tenant, and to whatever the caller may see) with the
/// filter, order (or `default_sort`, one key or several) and page of `args`.
pub async fn list<E, C, F, O>(
    db: &C,
    select: Select<E>,
    args: &ListArgs<F, O>,
    default_sort: &[SortKey<E>],
    id_column: E::Column,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ConnectionTrait,
    F: FilterInput,
    O: OrderByInput<E>,
{
    list_ranked(db, select, args, None, default_sort, id_column).await
}

/// [`list`] for a search: when the client gives no `orderBy`, the rows come by `relevance`
/// (best match first), then in the default order. An explicit `orderBy` wins over relevance.
pub async fn list_ranked<E, C, F, O>(
    db: &C,
    select: Select<E>,
    args: &ListArgs<F, O>,
    relevance: Option<Relevance>,
    default_sort: &[SortKey<E>],
    id_column: E::Column,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ConnectionTrait,
    F: FilterInput,
    O: OrderByInput<E>,
{
    let select = match &args.filter {
        Some(filter) => select.filter(filter.to_condition()?),
        None => select,
    };
    let mut sort = O::sort_keys(&args.order_by)?;
    let relevance = if sort.is_empty() {
        sort.extend_from_slice(default_sort);
        relevance
    } else {
        None
    };
    paginate_ranked(
        db,
        select,
        relevance,
        sort,
        id_column,
        &args.page,
        args.with_total,
    )
    .await
}
