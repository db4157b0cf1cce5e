//! Filtering on custom field values stored as JSON (`custom_fields`, JSONB on PostgreSQL, JSON
//! text on SQLite). Equality compares the JSON value itself: `column -> key` rendered as JSON
//! text is the same on both databases (`"vip"`, `42`, `true`), so `eq: "vip"` and `eq: 42` mean
//! what they say. `contains` matches inside text values. The key and every value are bound
//! parameters.

use async_graphql::{InputObject, Json};
use sea_orm::Condition;
use sea_orm::sea_query::{Alias, BinOper, Expr, ExprTrait, LikeExpr};
use serde_json::Value;

use super::filter::NullCheck;
use crate::error::{AppError, AppResult};

/// A condition on one custom field's value.
#[derive(InputObject, Debug, Clone, Default)]
pub struct CustomFieldFilter {
    /// The custom field's key.
    pub key: String,
    /// Equal to this JSON value (`"vip"`, `42`, `true`).
    pub eq: Option<Json<Value>>,
    pub neq: Option<Json<Value>>,
    #[graphql(name = "in")]
    pub in_: Option<Vec<Json<Value>>>,
    /// A text value containing this (case-sensitive).
    pub contains: Option<String>,
    /// Whether the field is set.
    pub is: Option<NullCheck>,
}

/// `CAST(table.custom_fields <operator> key AS TEXT)`, with the key bound. `->` and `->>` mean
/// the same on PostgreSQL (jsonb) and SQLite (JSON text, since 3.38).
fn extract(table: &str, operator: &'static str, key: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new("custom_fields")))
        .binary(BinOper::Custom(operator), Expr::val(key.to_owned()))
        .cast_as(Alias::new("TEXT"))
}

fn json_text(table: &str, key: &str) -> Expr {
    extract(table, "->", key)
}

fn plain_text(table: &str, key: &str) -> Expr {
    extract(table, "->>", key)
}

/// The canonical JSON text of a value, as both databases render it.
fn canonical(value: &Value) -> String {
    value.to_string()
}

impl CustomFieldFilter {
    /// The condition on `table`'s `custom_fields`; `field` names the input for errors.
    pub fn condition(&self, table: &str, field: &str) -> AppResult<Condition> {
        let key = self.key.trim();
        let valid = !key.is_empty()
            && key.len() <= 64
            && key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(AppError::invalid(
                field,
                "a custom field key is lower-case letters, digits and _",
            ));
        }
        let mut all = Condition::all();
        if let Some(value) = &self.eq {
            all = all.add(json_text(table, key).eq(canonical(&value.0)));
        }
        if let Some(value) = &self.neq {
            all = all.add(
                Condition::any()
                    .add(json_text(table, key).ne(canonical(&value.0)))
                    .add(json_text(table, key).is_null()),
            );
        }
        if let Some(values) = &self.in_ {
            if values.len() > super::filter::MAX_IN_LIST {
                return Err(AppError::invalid(field, "too many values in `in`"));
            }
            all = all.add(
                json_text(table, key)
                    .is_in(values.iter().map(|v| canonical(&v.0)).collect::<Vec<_>>()),
            );
        }
        if let Some(text) = &self.contains {
            if text.contains('\0') || text.chars().count() > super::filter::MAX_STRING_CHARS {
                return Err(AppError::invalid(
                    field,
                    "`contains` is too long or has a NUL character",
                ));
            }
            let escaped: String = text
                .chars()
                .flat_map(|c| {
                    if matches!(c, '%' | '_' | '\\') {
                        vec!['\\', c]
                    } else {
                        vec![c]
                    }
                })
                .collect();
            all = all.add(
                plain_text(table, key).like(LikeExpr::new(format!("%{escaped}%")).escape('\\')),
            );
        }
        match self.is {
            Some(NullCheck::Null) => all = all.add(json_text(table, key).is_null()),
            Some(NullCheck::NotNull) => all = all.add(json_text(table, key).is_not_null()),
            None => {}
        }
        Ok(all)
    }
}

/// The `custom_fields` column of a table, as the "column" of a `customFields` entry in an
/// [`entity_filter!`](crate::entity_filter):
/// `custom_fields: Vec<CustomFieldFilter> => CustomFields("companies")`.
#[derive(Debug, Clone, Copy)]
pub struct CustomFields(pub &'static str);

/// At most this many custom field conditions in one filter.
pub const MAX_CUSTOM_FIELD_CONDITIONS: usize = 20;

/// Gives a list of custom field conditions the `condition(column, field)` shape every entity
/// filter field has.
pub trait CustomFieldsCondition {
    /// All conditions must hold.
    fn condition(&self, column: CustomFields, field: &str) -> AppResult<Condition>;
}

impl CustomFieldsCondition for Vec<CustomFieldFilter> {
    fn condition(&self, column: CustomFields, field: &str) -> AppResult<Condition> {
        if self.len() > MAX_CUSTOM_FIELD_CONDITIONS {
            return Err(AppError::invalid(
                field,
                format!("at most {MAX_CUSTOM_FIELD_CONDITIONS} custom field conditions"),
            ));
        }
        self.iter().try_fold(Condition::all(), |all, filter| {
            Ok(all.add(filter.condition(column.0, field)?))
        })
    }
}
