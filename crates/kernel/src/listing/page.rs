//! Relay pagination with keyset cursors: [`PageArgs`] in, [`paginate`] over a SeaORM select,
//! [`Page`] out, turned into an async-graphql [`Connection`].

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{OutputType, SimpleObject};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, IdenStatic,
    ModelTrait, PaginatorTrait, QueryFilter, QueryOrder, QueryResult, QuerySelect, Select, Value,
};

use super::cursor;
use super::filter::never;
use super::order::{OrderDirection, SortKey};
use crate::error::{AppError, AppResult};

/// The page size when the client gives neither `first` nor `last`.
pub const DEFAULT_PAGE_SIZE: usize = 20;
/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: usize = 100;

/// The Relay arguments of a connection field.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    /// Return the first this many rows (after `after`, if given).
    pub first: Option<i32>,
    /// Return rows after this cursor.
    pub after: Option<String>,
    /// Return the last this many rows (before `before`, if given).
    pub last: Option<i32>,
    /// Return rows before this cursor.
    pub before: Option<String>,
}

/// Which end of the list a page is taken from, and how many rows it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Window {
    /// The first rows (after `after`).
    Forward(usize),
    /// The last rows (before `before`).
    Backward(usize),
}

impl PageArgs {
    /// Bundles the four Relay arguments of a resolver.
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        Self {
            first,
            after,
            last,
            before,
        }
    }

    /// Checks the page size arguments, without touching the cursors (they are checked against
    /// the sort when paginating).
    pub fn validate(&self) -> AppResult<()> {
        self.window().map(|_| ())
    }

    /// The page to fetch: `first` defaults to [`DEFAULT_PAGE_SIZE`], both sizes are capped at
    /// [`MAX_PAGE_SIZE`], and `first` and `last` exclude each other.
    fn window(&self) -> AppResult<Window> {
        match (self.first, self.last) {
            (Some(_), Some(_)) => Err(AppError::invalid(
                "last",
                "give either `first` or `last`, not both",
            )),
            (Some(first), None) => Ok(Window::Forward(page_size("first", first)?)),
            (None, Some(last)) => Ok(Window::Backward(page_size("last", last)?)),
            (None, None) => Ok(Window::Forward(DEFAULT_PAGE_SIZE)),
        }
    }
}

/// A page size within `0..=MAX_PAGE_SIZE`.
fn page_size(field: &str, size: i32) -> AppResult<usize> {
    usize::try_from(size)
        .ok()
        .filter(|size| *size <= MAX_PAGE_SIZE)
        .ok_or_else(|| {
            AppError::invalid(
                field,
                format!("`{field}` must be between 0 and {MAX_PAGE_SIZE}"),
            )
        })
}

/// One page of rows with their cursors, in list order.
#[derive(Debug, Clone)]
pub struct Page<M> {
    /// The cursor and row of each edge.
    pub edges: Vec<(String, M)>,
    /// Whether rows follow this page (see [`paginate`] for its exact meaning).
    pub has_next_page: bool,
    /// Whether rows precede this page (see [`paginate`] for its exact meaning).
    pub has_previous_page: bool,
    /// The number of rows matching the filter across all pages, when it was asked for.
    pub total_count: Option<u64>,
}

/// The fields every connection adds to Relay's `edges` and `pageInfo`.
#[derive(SimpleObject, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionTotals {
    /// The number of objects matching the filter, across all pages.
    pub total_count: i64,
}

/// The connection type every list field returns: `XConnection` with `XEdge`, `PageInfo` and
/// `totalCount`.
pub type ListConnection<N> = Connection<String, N, ConnectionTotals, EmptyFields>;

impl<M> Page<M> {
    /// Transforms every row, keeping cursors and page information.
    pub fn map<N, F: FnMut(M) -> N>(self, mut map: F) -> Page<N> {
        Page {
            edges: self
                .edges
                .into_iter()
                .map(|(cursor, row)| (cursor, map(row)))
                .collect(),
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            total_count: self.total_count,
        }
    }

    /// The GraphQL connection of this page, each row turned into its node by `map`. A total
    /// that was not computed reads 0; callers skip it only when `totalCount` is not selected.
    pub fn into_connection<N, F>(
        self,
        mut map: F,
    ) -> Connection<String, N, ConnectionTotals, EmptyFields>
    where
        N: OutputType,
        F: FnMut(M) -> N,
    {
        let total_count = self
            .total_count
            .map_or(0, |total| i64::try_from(total).unwrap_or(i64::MAX));
        let mut connection = Connection::with_additional_fields(
            self.has_previous_page,
            self.has_next_page,
            ConnectionTotals { total_count },
        );
        connection.edges.extend(
            self.edges
                .into_iter()
                .map(|(cursor, row)| Edge::new(cursor, map(row))),
        );
        connection
    }
}

/// A computed sort key that comes before every other one, highest first: how well a row
/// matches a search. The expression must give a non-NULL double precision number, and the same
/// number for a row every time it is evaluated (it is compared against the value in a cursor).
#[derive(Debug, Clone)]
pub struct Relevance(pub Expr);

/// The name of the relevance column in a ranked select, and in cursors.
const RELEVANCE_ALIAS: &str = "_relevance";

/// Fetches one page of `select` (which already carries the tenant and filter conditions) in the
/// order of `sort`, with `id_column` as the final ascending tie-breaker.
///
/// Cursors are keyset cursors on the sort keys plus the id; a cursor made for another order,
/// or that cannot be decoded, is `BAD_USER_INPUT` on `after` / `before`. With `first`, the page
/// is the first rows after `after`: `has_next_page` says whether more rows follow, and
/// `has_previous_page` is true exactly when `after` was given. With `last`, the page is the last
/// rows before `before`, mirrored. Both cursors may be given to fetch rows between them.
///
/// `with_total` runs a `COUNT(*)` of `select`, ignoring the cursors; pass whether the client
/// selected `totalCount`.
pub async fn paginate<E, C>(
    db: &C,
    select: Select<E>,
    sort: Vec<SortKey<E>>,
    id_column: E::Column,
    args: &PageArgs,
    with_total: bool,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    C: ConnectionTrait,
    E::Model: Send + Sync,
{
    paginate_ranked(db, select, None, sort, id_column, args, with_total).await
}

/// [`paginate`], with the rows ordered by `relevance` (highest first) before `sort` when it is
/// given. The relevance is part of the cursors, so a cursor of a ranked list only fits the same
/// ranked list.
pub async fn paginate_ranked<E, C>(
    db: &C,
    select: Select<E>,
    relevance: Option<Relevance>,
    sort: Vec<SortKey<E>>,
    id_column: E::Column,
    args: &PageArgs,
    with_total: bool,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    C: ConnectionTrait,
    E::Model: Send + Sync,
{
    let window = args.window()?;
    let keys = sort_keys(relevance, &sort, id_column);
    let signature = cursor::signature(&keys);
    let after = args
        .after
        .as_deref()
        .map(|c| cursor::decode(c, &keys, "after"))
        .transpose()?;
    let before = args
        .before
        .as_deref()
        .map(|c| cursor::decode(c, &keys, "before"))
        .transpose()?;

    let mut select = select;
    // The caller's own order would come before ours and break the keyset.
    QueryOrder::query(&mut select).clear_order_by();

    let total_count = if with_total {
        Some(select.clone().count(db).await?)
    } else {
        None
    };

    if let Some(values) = &after {
        select = select.filter(keyset_condition(&keys, values, false));
    }
    if let Some(values) = &before {
        select = select.filter(keyset_condition(&keys, values, true));
    }
    let (limit, backward) = match window {
        Window::Forward(limit) => (limit, false),
        Window::Backward(limit) => (limit, true),
    };
    for key in &keys {
        let direction = if backward {
            key.direction.reversed()
        } else {
            key.direction
        };
        select = match &key.target {
            SortTarget::Column(column) => {
                select.order_by_with_nulls(*column, direction.order(), direction.null_ordering())
            }
            SortTarget::Relevance(expr) => select.order_by_with_nulls(
                expr.clone(),
                direction.order(),
                direction.null_ordering(),
            ),
        };
    }
    // One row more than asked tells whether the list goes on.
    let fetch = u64::try_from(limit)
        .map_err(AppError::internal)?
        .saturating_add(1);
    let select = select.limit(fetch);
    let mut rows: Vec<Ranked<E::Model>> = match keys.first().map(|key| &key.target) {
        Some(SortTarget::Relevance(expr)) => {
            select
                .column_as(expr.clone(), RELEVANCE_ALIAS)
                .into_model::<Ranked<E::Model>>()
                .all(db)
                .await?
        }
        _ => select
            .all(db)
            .await?
            .into_iter()
            .map(|model| Ranked {
                model,
                relevance: None,
            })
            .collect(),
    };
    let overflow = rows.len() > limit;
    rows.truncate(limit);
    if backward {
        rows.reverse();
    }

    let edges = rows
        .into_iter()
        .map(|row| {
            let values = keys
                .iter()
                .map(|key| match key.target {
                    SortTarget::Column(column) => row.model.get(column),
                    SortTarget::Relevance(_) => Value::Double(row.relevance),
                })
                .collect();
            Ok((cursor::encode(&signature, values)?, row.model))
        })
        .collect::<AppResult<Vec<_>>>()?;
    let (has_next_page, has_previous_page) = if backward {
        (args.before.is_some(), overflow)
    } else {
        (overflow, args.after.is_some())
    };
    Ok(Page {
        edges,
        has_next_page,
        has_previous_page,
        total_count,
    })
}

/// A row of a ranked select: the model and its relevance.
struct Ranked<M> {
    model: M,
    relevance: Option<f64>,
}

impl<M: FromQueryResult> FromQueryResult for Ranked<M> {
    fn from_query_result(row: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Self {
            model: M::from_query_result(row, pre)?,
            relevance: Some(row.try_get(pre, RELEVANCE_ALIAS)?),
        })
    }
}

/// What one sort key orders by.
#[derive(Debug, Clone)]
pub(crate) enum SortTarget<C> {
    Column(C),
    Relevance(Expr),
}

/// One key of the effective sort of a query.
#[derive(Debug, Clone)]
pub(crate) struct Key<C> {
    pub(crate) target: SortTarget<C>,
    pub(crate) direction: OrderDirection,
}

impl<C: ColumnTrait> Key<C> {
    /// The name recorded for this key in cursors.
    pub(crate) fn name(&self) -> &str {
        match &self.target {
            SortTarget::Column(column) => column.as_str(),
            SortTarget::Relevance(_) => RELEVANCE_ALIAS,
        }
    }

    fn equals(&self, value: Option<&Value>) -> Expr {
        match (&self.target, value) {
            (SortTarget::Column(column), Some(value)) => column.eq(value.clone()),
            (SortTarget::Column(column), None) => column.is_null(),
            (SortTarget::Relevance(expr), Some(value)) => expr.clone().eq(value.clone()),
            (SortTarget::Relevance(expr), None) => expr.clone().is_null(),
        }
    }

    fn greater(&self, value: &Value) -> Expr {
        match &self.target {
            SortTarget::Column(column) => column.gt(value.clone()),
            SortTarget::Relevance(expr) => expr.clone().gt(value.clone()),
        }
    }

    fn less(&self, value: &Value) -> Expr {
        match &self.target {
            SortTarget::Column(column) => column.lt(value.clone()),
            SortTarget::Relevance(expr) => expr.clone().lt(value.clone()),
        }
    }

    fn is_null(&self) -> Expr {
        match &self.target {
            SortTarget::Column(column) => column.is_null(),
            SortTarget::Relevance(expr) => expr.clone().is_null(),
        }
    }

    fn is_not_null(&self) -> Expr {
        match &self.target {
            SortTarget::Column(column) => column.is_not_null(),
            SortTarget::Relevance(expr) => expr.clone().is_not_null(),
        }
    }
}

/// The sort keys of a query: the relevance if given, the requested ones, then the id
/// ascending. Keys after an explicit id key are dropped, since the id already decides every tie.
fn sort_keys<E: EntityTrait>(
    relevance: Option<Relevance>,
    sort: &[SortKey<E>],
    id_column: E::Column,
) -> Vec<Key<E::Column>> {
    let mut keys = Vec::with_capacity(sort.len() + 2);
    if let Some(Relevance(expr)) = relevance {
        keys.push(Key {
            target: SortTarget::Relevance(expr),
            direction: OrderDirection::DescNullsLast,
        });
    }
    for key in sort {
        keys.push(Key {
            target: SortTarget::Column(key.column),
            direction: key.direction,
        });
        if key.column.as_str() == id_column.as_str() {
            return keys;
        }
    }
    keys.push(Key {
        target: SortTarget::Column(id_column),
        direction: OrderDirection::AscNullsLast,
    });
    keys
}

/// The rows strictly after (or, with `before`, strictly before) the row whose key values are
/// `values`: `OR_i (k_1 = v_1 AND ... AND k_{i-1} = v_{i-1} AND k_i after v_i)`.
fn keyset_condition<Col: ColumnTrait>(
    keys: &[Key<Col>],
    values: &[Option<Value>],
    before: bool,
) -> Condition {
    let mut any = Condition::any();
    let mut equal_so_far = Condition::all();
    for (key, value) in keys.iter().zip(values) {
        // Rows before a value in one order are the rows after it in the reversed order.
        let direction = if before {
            key.direction.reversed()
        } else {
            key.direction
        };
        if let Some(after) = strictly_after(key, direction, value.as_ref()) {
            any = any.add(equal_so_far.clone().add(after));
        }
        equal_so_far = equal_so_far.add(key.equals(value.as_ref()));
    }
    if any.is_empty() {
        Condition::all().add(never())
    } else {
        any
    }
}

/// The rows whose key comes strictly after `value` in `direction`; `None` when none can
/// (after NULL when NULLs come last).
fn strictly_after<Col: ColumnTrait>(
    key: &Key<Col>,
    direction: OrderDirection,
    value: Option<&Value>,
) -> Option<Expr> {
    match (value, direction.nulls_first()) {
        (None, true) => Some(key.is_not_null()),
        (None, false) => None,
        (Some(value), nulls_first) => {
            let beyond = if direction.is_ascending() {
                key.greater(value)
            } else {
                key.less(value)
            };
            Some(if nulls_first {
                beyond
            } else {
                beyond.or(key.is_null())
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes_default_and_are_capped() {
        assert_eq!(
            PageArgs::default().window().ok(),
            Some(Window::Forward(DEFAULT_PAGE_SIZE))
        );
        let last = PageArgs::new(None, None, Some(0), None);
        assert_eq!(last.window().ok(), Some(Window::Backward(0)));
        let max = PageArgs::new(Some(100), None, None, None);
        assert_eq!(max.window().ok(), Some(Window::Forward(100)));
        for (args, field) in [
            (PageArgs::new(Some(101), None, None, None), "first"),
            (PageArgs::new(Some(-1), None, None, None), "first"),
            (PageArgs::new(None, None, Some(101), None), "last"),
            (PageArgs::new(Some(1), None, Some(1), None), "last"),
        ] {
            match args.window() {
                Err(AppError::BadUserInput { field: Some(f), .. }) => assert_eq!(f, field),
                other => panic!("expected BAD_USER_INPUT on {field}, got {other:?}"),
            }
        }
    }
}
