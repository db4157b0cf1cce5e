//! Typed filter inputs (`StringFilter`, `UUIDFilter`, ...) and the [`FilterInput`] trait that
//! per-entity filter inputs implement through [`crate::entity_filter!`].
//!
//! Every value a client sends ends up as a bound parameter of a sea-query expression; nothing is
//! ever spliced into SQL text. Comparison operators follow SQL semantics: `neq`, `gt` and the
//! like never match a row whose value is NULL (ask with `is` for those), and `not` of a condition
//! that is NULL for a row does not match that row either.

use async_graphql::{Enum, InputObject};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::{BinOper, Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{ColumnTrait, Condition, Value};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::scalars::{Date, Timestamp};

/// The most values an `in` list may hold.
pub const MAX_IN_LIST: usize = 500;
/// The most characters a string value or pattern may have.
pub const MAX_STRING_CHARS: usize = 1000;
/// The deepest nesting of `and` / `or` / `not` a filter may have (the top level is level 1).
pub const MAX_FILTER_DEPTH: usize = 8;
/// The most filter objects (the top level plus every `and` / `or` / `not` item) a filter may have.
pub const MAX_FILTER_NODES: usize = 200;

/// The escape character of every LIKE pattern we build. PostgreSQL already treats a backslash as
/// the escape character and SQLite has none by default, so we always say it explicitly.
const LIKE_ESCAPE: char = '\\';

/// Whether a value is absent or present.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "NullCheck")]
pub enum NullCheck {
    /// The value is not set.
    Null,
    /// The value is set.
    NotNull,
}

/// Filters on a text field. All operators given must match.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "StringFilter")]
pub struct StringFilter {
    /// Equal to this value (case-sensitive).
    pub eq: Option<String>,
    /// Set and different from this value.
    pub neq: Option<String>,
    /// Equal to one of these values (at most 500); an empty list matches nothing.
    #[graphql(name = "in")]
    pub in_: Option<Vec<String>>,
    /// Matches this case-sensitive pattern: `%` is any run of characters, `_` any one character;
    /// everything else is literal.
    pub like: Option<String>,
    /// Like `like`, ignoring case.
    pub ilike: Option<String>,
    /// Starts with this literal text (case-sensitive; `%` and `_` are not wildcards here).
    pub starts_with: Option<String>,
    /// Whether the value is set.
    pub is: Option<NullCheck>,
}

/// Filters on a UUID field. All operators given must match.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "UUIDFilter")]
pub struct UuidFilter {
    /// Equal to this value.
    pub eq: Option<Uuid>,
    /// Set and different from this value.
    pub neq: Option<Uuid>,
    /// Equal to one of these values (at most 500); an empty list matches nothing.
    #[graphql(name = "in")]
    pub in_: Option<Vec<Uuid>>,
    /// Whether the value is set.
    pub is: Option<NullCheck>,
}

/// Filters on a timestamp field. All operators given must match.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "DateTimeFilter")]
pub struct DateTimeFilter {
    /// At exactly this instant.
    pub eq: Option<Timestamp>,
    /// Strictly after this instant.
    pub gt: Option<Timestamp>,
    /// At or after this instant.
    pub gte: Option<Timestamp>,
    /// Strictly before this instant.
    pub lt: Option<Timestamp>,
    /// At or before this instant.
    pub lte: Option<Timestamp>,
    /// Whether the value is set.
    pub is: Option<NullCheck>,
}

/// Filters on a calendar date field. All operators given must match.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "DateFilter")]
pub struct DateFilter {
    /// On this date.
    pub eq: Option<Date>,
    /// Strictly after this date.
    pub gt: Option<Date>,
    /// On or after this date.
    pub gte: Option<Date>,
    /// Strictly before this date.
    pub lt: Option<Date>,
    /// On or before this date.
    pub lte: Option<Date>,
    /// Whether the value is set.
    pub is: Option<NullCheck>,
}

/// Filters on an integer field. All operators given must match.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "IntFilter")]
pub struct IntFilter {
    /// Equal to this value.
    pub eq: Option<i64>,
    /// Set and different from this value.
    pub neq: Option<i64>,
    /// Equal to one of these values (at most 500); an empty list matches nothing.
    #[graphql(name = "in")]
    pub in_: Option<Vec<i64>>,
    /// Strictly greater than this value.
    pub gt: Option<i64>,
    /// Greater than or equal to this value.
    pub gte: Option<i64>,
    /// Strictly less than this value.
    pub lt: Option<i64>,
    /// Less than or equal to this value.
    pub lte: Option<i64>,
    /// Whether the value is set.
    pub is: Option<NullCheck>,
}

/// Filters on a decimal field. All operators given must match.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "DecimalFilter")]
pub struct DecimalFilter {
    /// Equal to this value.
    pub eq: Option<Decimal>,
    /// Set and different from this value.
    pub neq: Option<Decimal>,
    /// Equal to one of these values (at most 500); an empty list matches nothing.
    #[graphql(name = "in")]
    pub in_: Option<Vec<Decimal>>,
    /// Strictly greater than this value.
    pub gt: Option<Decimal>,
    /// Greater than or equal to this value.
    pub gte: Option<Decimal>,
    /// Strictly less than this value.
    pub lt: Option<Decimal>,
    /// Less than or equal to this value.
    pub lte: Option<Decimal>,
    /// Whether the value is set.
    pub is: Option<NullCheck>,
}

/// Filters on a boolean field. All operators given must match.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "BooleanFilter")]
pub struct BooleanFilter {
    /// Equal to this value.
    pub eq: Option<bool>,
    /// Whether the value is set.
    pub is: Option<NullCheck>,
}

/// The operators shared by the scalar filters, borrowed from one filter input.
struct ScalarOps<'a, V> {
    eq: Option<&'a V>,
    neq: Option<&'a V>,
    in_: Option<&'a [V]>,
    gt: Option<&'a V>,
    gte: Option<&'a V>,
    lt: Option<&'a V>,
    lte: Option<&'a V>,
    is: Option<NullCheck>,
}

impl<V> Default for ScalarOps<'_, V> {
    fn default() -> Self {
        Self {
            eq: None,
            neq: None,
            in_: None,
            gt: None,
            gte: None,
            lt: None,
            lte: None,
            is: None,
        }
    }
}

impl<V: Clone + Into<Value>> ScalarOps<'_, V> {
    /// The AND of every operator given, after checking the size of the `in` list.
    fn condition<C: ColumnTrait>(self, column: C, field: &str) -> AppResult<Condition> {
        let mut cond = Condition::all();
        if let Some(v) = self.eq {
            cond = cond.add(column.eq(v.clone()));
        }
        if let Some(v) = self.neq {
            cond = cond.add(column.ne(v.clone()));
        }
        if let Some(list) = self.in_ {
            cond = cond.add(in_list(column, field, list.iter().cloned())?);
        }
        if let Some(v) = self.gt {
            cond = cond.add(column.gt(v.clone()));
        }
        if let Some(v) = self.gte {
            cond = cond.add(column.gte(v.clone()));
        }
        if let Some(v) = self.lt {
            cond = cond.add(column.lt(v.clone()));
        }
        if let Some(v) = self.lte {
            cond = cond.add(column.lte(v.clone()));
        }
        if let Some(check) = self.is {
            cond = cond.add(null_check(column, check));
        }
        Ok(cond)
    }
}

impl StringFilter {
    /// The condition on `column` (all operators ANDed); `field` names the input in errors.
    pub fn condition<C: ColumnTrait>(&self, column: C, field: &str) -> AppResult<Condition> {
        for value in [
            &self.eq,
            &self.neq,
            &self.like,
            &self.ilike,
            &self.starts_with,
        ]
        .into_iter()
        .flatten()
        {
            check_string(field, value)?;
        }
        if let Some(list) = &self.in_ {
            check_list_len(field, list.len())?;
            for value in list {
                check_string(field, value)?;
            }
        }
        let mut cond = ScalarOps {
            eq: self.eq.as_ref(),
            neq: self.neq.as_ref(),
            in_: self.in_.as_deref(),
            is: self.is,
            ..ScalarOps::default()
        }
        .condition(column, field)?;
        if let Some(pattern) = &self.like {
            let pattern = escape_like(pattern, &[]);
            cond = cond.add(column.like(LikeExpr::new(pattern).escape(LIKE_ESCAPE)));
        }
        if let Some(pattern) = &self.ilike {
            cond = cond.add(lower_like(column, escape_like(pattern, &[])));
        }
        if let Some(prefix) = &self.starts_with {
            let pattern = format!("{}%", escape_like(prefix, &['%', '_']));
            cond = cond.add(column.like(LikeExpr::new(pattern).escape(LIKE_ESCAPE)));
        }
        Ok(cond)
    }
}

impl UuidFilter {
    /// The condition on `column` (all operators ANDed); `field` names the input in errors.
    pub fn condition<C: ColumnTrait>(&self, column: C, field: &str) -> AppResult<Condition> {
        ScalarOps {
            eq: self.eq.as_ref(),
            neq: self.neq.as_ref(),
            in_: self.in_.as_deref(),
            is: self.is,
            ..ScalarOps::default()
        }
        .condition(column, field)
    }
}

impl DateTimeFilter {
    /// The condition on `column` (all operators ANDed); `field` names the input in errors.
    pub fn condition<C: ColumnTrait>(&self, column: C, field: &str) -> AppResult<Condition> {
        let [eq, gt, gte, lt, lte] = [self.eq, self.gt, self.gte, self.lt, self.lte]
            .map(|instant| instant.map(DateTime::<Utc>::from));
        ScalarOps {
            eq: eq.as_ref(),
            gt: gt.as_ref(),
            gte: gte.as_ref(),
            lt: lt.as_ref(),
            lte: lte.as_ref(),
            is: self.is,
            ..ScalarOps::default()
        }
        .condition(column, field)
    }
}

impl DateFilter {
    /// The condition on `column` (all operators ANDed); `field` names the input in errors.
    pub fn condition<C: ColumnTrait>(&self, column: C, field: &str) -> AppResult<Condition> {
        let [eq, gt, gte, lt, lte] = [self.eq, self.gt, self.gte, self.lt, self.lte]
            .map(|date| date.map(chrono::NaiveDate::from));
        ScalarOps {
            eq: eq.as_ref(),
            gt: gt.as_ref(),
            gte: gte.as_ref(),
            lt: lt.as_ref(),
            lte: lte.as_ref(),
            is: self.is,
            ..ScalarOps::default()
        }
        .condition(column, field)
    }
}

impl IntFilter {
    /// The condition on `column` (all operators ANDed); `field` names the input in errors.
    pub fn condition<C: ColumnTrait>(&self, column: C, field: &str) -> AppResult<Condition> {
        ScalarOps {
            eq: self.eq.as_ref(),
            neq: self.neq.as_ref(),
            in_: self.in_.as_deref(),
            gt: self.gt.as_ref(),
            gte: self.gte.as_ref(),
            lt: self.lt.as_ref(),
            lte: self.lte.as_ref(),
            is: self.is,
        }
        .condition(column, field)
    }
}

impl DecimalFilter {
    /// The condition on `column` (all operators ANDed); `field` names the input in errors.
    pub fn condition<C: ColumnTrait>(&self, column: C, field: &str) -> AppResult<Condition> {
        ScalarOps {
            eq: self.eq.as_ref(),
            neq: self.neq.as_ref(),
            in_: self.in_.as_deref(),
            gt: self.gt.as_ref(),
            gte: self.gte.as_ref(),
            lt: self.lt.as_ref(),
            lte: self.lte.as_ref(),
            is: self.is,
        }
        .condition(column, field)
    }
}

impl BooleanFilter {
    /// The condition on `column` (all operators ANDed); `field` names the input in errors.
    pub fn condition<C: ColumnTrait>(&self, column: C, field: &str) -> AppResult<Condition> {
        ScalarOps {
            eq: self.eq.as_ref(),
            is: self.is,
            ..ScalarOps::default()
        }
        .condition(column, field)
    }
}

/// The condition of an enum filter generated by [`crate::enum_filter!`], on the stored text of
/// the enum values.
#[doc(hidden)]
pub fn enum_condition<C: ColumnTrait>(
    column: C,
    field: &str,
    eq: Option<&'static str>,
    neq: Option<&'static str>,
    in_: Option<Vec<&'static str>>,
) -> AppResult<Condition> {
    if let Some(list) = &in_ {
        check_list_len(field, list.len())?;
    }
    ScalarOps {
        eq: eq.as_ref(),
        neq: neq.as_ref(),
        in_: in_.as_deref(),
        ..ScalarOps::default()
    }
    .condition(column, field)
}

/// A per-entity filter input, generated by [`crate::entity_filter!`].
pub trait FilterInput {
    /// The condition this filter stands for: every field's condition, every `and` item, one of
    /// the `or` items (an empty `or` matches nothing) and not the `not` item, all ANDed. Rejects
    /// filters nested deeper than [`MAX_FILTER_DEPTH`] or with more than [`MAX_FILTER_NODES`]
    /// filter objects with `BAD_USER_INPUT` on the field `filter`.
    fn to_condition(&self) -> AppResult<Condition> {
        self.condition_within(&mut FilterBudget::default(), 1)
    }

    /// Whether this filter sets the field with this GraphQL name at its top level (for example
    /// `deletedAt`), so that a service can tell when the client asks for soft-deleted rows.
    fn mentions(&self, field: &str) -> bool;

    /// The condition of this filter found at nesting level `depth` (the top level is 1), counting
    /// filter objects in `budget`. Implemented by the macro; call [`Self::to_condition`] instead.
    #[doc(hidden)]
    fn condition_within(&self, budget: &mut FilterBudget, depth: usize) -> AppResult<Condition>;
}

/// Counts the filter objects of one filter, to enforce [`MAX_FILTER_NODES`].
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct FilterBudget {
    nodes: usize,
}

impl FilterBudget {
    /// Accounts for one more filter object at nesting level `depth`, failing past the limits.
    pub fn enter(&mut self, depth: usize) -> AppResult<()> {
        if depth > MAX_FILTER_DEPTH {
            return Err(AppError::invalid(
                "filter",
                format!("filters may be nested at most {MAX_FILTER_DEPTH} levels deep"),
            ));
        }
        self.nodes += 1;
        if self.nodes > MAX_FILTER_NODES {
            return Err(AppError::invalid(
                "filter",
                format!("a filter may have at most {MAX_FILTER_NODES} filter objects"),
            ));
        }
        Ok(())
    }
}

/// Combines the parts of one filter object into its condition: the field conditions and the
/// `and` items ANDed with one of the `or` items and with the negation of `not`.
///
/// Empty conditions are never left for sea-query to render: it drops an empty top-level
/// condition entirely, which would turn "matches nothing" into "matches everything".
#[doc(hidden)]
pub fn combine_filter(
    parts: Vec<Condition>,
    or: Option<Vec<Condition>>,
    not: Option<Condition>,
) -> Condition {
    let mut all = Condition::all();
    for part in parts {
        if !part.is_empty() {
            all = all.add(part);
        }
    }
    if let Some(items) = or {
        // An empty item matches every row, and so does the OR it belongs to.
        if !items.iter().any(Condition::is_empty) {
            if items.is_empty() {
                all = all.add(never());
            } else {
                all = all.add(items.into_iter().fold(Condition::any(), Condition::add));
            }
        }
    }
    if let Some(inner) = not {
        all = all.add(if inner.is_empty() {
            never()
        } else {
            inner.not().into()
        });
    }
    all
}

/// The GraphQL (camelCase) name async-graphql gives a snake_case Rust field.
#[doc(hidden)]
pub fn graphql_name(rust_name: &str) -> String {
    let mut name = String::with_capacity(rust_name.len());
    let mut upper_next = false;
    for c in rust_name.trim_start_matches("r#").chars() {
        if c == '_' {
            upper_next = !name.is_empty();
        } else if upper_next {
            name.extend(c.to_uppercase());
            upper_next = false;
        } else {
            name.push(c);
        }
    }
    name
}

/// A condition no row satisfies, written as constant SQL without parameters.
pub(crate) fn never() -> Expr {
    Expr::cust("1 = 0")
}

/// `column IS NULL` or `column IS NOT NULL`.
fn null_check<C: ColumnTrait>(column: C, check: NullCheck) -> Expr {
    match check {
        NullCheck::Null => column.is_null(),
        NullCheck::NotNull => column.is_not_null(),
    }
}

/// `column IN (...)`, matching nothing when the list is empty.
fn in_list<C: ColumnTrait, V: Into<Value>>(
    column: C,
    field: &str,
    values: impl ExactSizeIterator<Item = V>,
) -> AppResult<Expr> {
    check_list_len(field, values.len())?;
    Ok(if values.len() == 0 {
        never()
    } else {
        column.is_in(values)
    })
}

/// `LOWER(column) LIKE LOWER(pattern) ESCAPE '\'`: case-insensitive on SQLite and PostgreSQL alike,
/// where `ILIKE` exists on PostgreSQL only.
fn lower_like<C: ColumnTrait>(column: C, pattern: String) -> Expr {
    let lowered_column: Expr = Func::lower(Expr::col(column.as_column_ref())).into();
    let lowered_pattern: Expr = Func::lower(Expr::val(pattern)).into();
    let pattern_with_escape = Expr::Binary(
        Box::new(lowered_pattern),
        BinOper::Escape,
        Box::new(Expr::Constant(LIKE_ESCAPE.into())),
    );
    lowered_column.binary(BinOper::Like, pattern_with_escape)
}

/// Escapes the escape character itself and the given wildcards, so that they match literally.
fn escape_like(text: &str, wildcards: &[char]) -> String {
    let mut escaped = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if c == LIKE_ESCAPE || wildcards.contains(&c) {
            escaped.push(LIKE_ESCAPE);
        }
        escaped.push(c);
    }
    escaped
}

/// Rejects an `in` list longer than [`MAX_IN_LIST`].
fn check_list_len(field: &str, len: usize) -> AppResult<()> {
    if len > MAX_IN_LIST {
        return Err(AppError::invalid(
            field,
            format!("an `in` list may have at most {MAX_IN_LIST} values"),
        ));
    }
    Ok(())
}

/// Rejects a string the database must never see: too long, or with a NUL byte (which
/// PostgreSQL refuses in text).
fn check_string(field: &str, value: &str) -> AppResult<()> {
    if value.contains('\0') {
        return Err(AppError::invalid(
            field,
            "text may not contain NUL characters",
        ));
    }
    if value.chars().count() > MAX_STRING_CHARS {
        return Err(AppError::invalid(
            field,
            format!("filter values may have at most {MAX_STRING_CHARS} characters"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphql_names_are_camel_case() {
        assert_eq!(graphql_name("deleted_at"), "deletedAt");
        assert_eq!(graphql_name("email"), "email");
        assert_eq!(graphql_name("address_line_1"), "addressLine1");
        assert_eq!(graphql_name("r#type"), "type");
    }

    #[test]
    fn like_escaping_keeps_or_neutralises_wildcards() {
        assert_eq!(escape_like(r"50%_a\b", &[]), r"50%_a\\b");
        assert_eq!(escape_like(r"50%_a\b", &['%', '_']), r"50\%\_a\\b");
    }
}
