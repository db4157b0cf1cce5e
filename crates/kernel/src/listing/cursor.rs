//! Opaque keyset cursors: the base64url (unpadded) encoding of a small JSON document holding the
//! sort keys a cursor was made for and the row's value of each of them, id last.
//!
//! Values keep their SeaORM variant through a tagged form, so that a decoded value binds exactly
//! as the model's own value would on both SQLite and PostgreSQL. A cursor is checked against the
//! sort of the query it is used with, and each value against the type of its column, so that a
//! forged cursor is a `BAD_USER_INPUT`, never a database error.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::ColumnType;
use sea_orm::{ColumnTrait, Value};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::page::{Key, SortTarget};
use crate::error::{AppError, AppResult};

/// The longest cursor accepted, in characters; ours stay far below it.
const MAX_CURSOR_CHARS: usize = 16 * 1024;

/// The JSON document inside a cursor.
#[derive(Debug, Serialize, Deserialize)]
struct CursorDoc {
    /// The sort keys as `column:direction`, id last.
    k: Vec<String>,
    /// The row's value of each key.
    v: Vec<CursorValue>,
}

/// A sort-key value in tagged form, one tag per SeaORM value variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum CursorValue {
    #[serde(rename = "n")]
    Null,
    #[serde(rename = "s")]
    String(String),
    #[serde(rename = "b")]
    Bool(bool),
    #[serde(rename = "i1")]
    TinyInt(i8),
    #[serde(rename = "i2")]
    SmallInt(i16),
    #[serde(rename = "i4")]
    Int(i32),
    #[serde(rename = "i8")]
    BigInt(i64),
    #[serde(rename = "u1")]
    TinyUnsigned(u8),
    #[serde(rename = "u2")]
    SmallUnsigned(u16),
    #[serde(rename = "u4")]
    Unsigned(u32),
    #[serde(rename = "u8")]
    BigUnsigned(u64),
    #[serde(rename = "f4")]
    Float(f32),
    #[serde(rename = "f8")]
    Double(f64),
    #[serde(rename = "u")]
    Uuid(Uuid),
    /// RFC 3339 in UTC, with every fractional digit the value has.
    #[serde(rename = "t")]
    DateTimeUtc(DateTime<Utc>),
    #[serde(rename = "tz")]
    DateTimeWithTimeZone(DateTime<FixedOffset>),
    #[serde(rename = "dt")]
    DateTime(NaiveDateTime),
    #[serde(rename = "d")]
    Date(NaiveDate),
    /// A decimal as a string, so that no digit is lost.
    #[serde(rename = "dec")]
    Decimal(Decimal),
}

/// The broad kind of a value, to check a decoded value against its column type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Bool,
    Integer,
    Float,
    Uuid,
    Timestamp,
    Date,
    Decimal,
}

impl CursorValue {
    /// The tagged form of a model value; `None` for a type that cannot be a sort key.
    fn from_value(value: Value) -> Option<Self> {
        Some(match value {
            Value::String(v) => v.map_or(Self::Null, Self::String),
            Value::Bool(v) => v.map_or(Self::Null, Self::Bool),
            Value::TinyInt(v) => v.map_or(Self::Null, Self::TinyInt),
            Value::SmallInt(v) => v.map_or(Self::Null, Self::SmallInt),
            Value::Int(v) => v.map_or(Self::Null, Self::Int),
            Value::BigInt(v) => v.map_or(Self::Null, Self::BigInt),
            Value::TinyUnsigned(v) => v.map_or(Self::Null, Self::TinyUnsigned),
            Value::SmallUnsigned(v) => v.map_or(Self::Null, Self::SmallUnsigned),
            Value::Unsigned(v) => v.map_or(Self::Null, Self::Unsigned),
            Value::BigUnsigned(v) => v.map_or(Self::Null, Self::BigUnsigned),
            Value::Float(v) => v.map_or(Self::Null, Self::Float),
            Value::Double(v) => v.map_or(Self::Null, Self::Double),
            Value::Uuid(v) => v.map_or(Self::Null, Self::Uuid),
            Value::ChronoDateTimeUtc(v) => v.map_or(Self::Null, Self::DateTimeUtc),
            Value::ChronoDateTimeWithTimeZone(v) => {
                v.map_or(Self::Null, Self::DateTimeWithTimeZone)
            }
            Value::ChronoDateTime(v) => v.map_or(Self::Null, Self::DateTime),
            Value::ChronoDate(v) => v.map_or(Self::Null, Self::Date),
            Value::Decimal(v) => v.map_or(Self::Null, Self::Decimal),
            _ => return None,
        })
    }

    /// The value to bind, `None` for NULL.
    fn into_value(self) -> Option<Value> {
        Some(match self {
            Self::Null => return None,
            Self::String(v) => Value::String(Some(v)),
            Self::Bool(v) => Value::Bool(Some(v)),
            Self::TinyInt(v) => Value::TinyInt(Some(v)),
            Self::SmallInt(v) => Value::SmallInt(Some(v)),
            Self::Int(v) => Value::Int(Some(v)),
            Self::BigInt(v) => Value::BigInt(Some(v)),
            Self::TinyUnsigned(v) => Value::TinyUnsigned(Some(v)),
            Self::SmallUnsigned(v) => Value::SmallUnsigned(Some(v)),
            Self::Unsigned(v) => Value::Unsigned(Some(v)),
            Self::BigUnsigned(v) => Value::BigUnsigned(Some(v)),
            Self::Float(v) => Value::Float(Some(v)),
            Self::Double(v) => Value::Double(Some(v)),
            Self::Uuid(v) => Value::Uuid(Some(v)),
            Self::DateTimeUtc(v) => Value::ChronoDateTimeUtc(Some(v)),
            Self::DateTimeWithTimeZone(v) => Value::ChronoDateTimeWithTimeZone(Some(v)),
            Self::DateTime(v) => Value::ChronoDateTime(Some(v)),
            Self::Date(v) => Value::ChronoDate(Some(v)),
            Self::Decimal(v) => Value::Decimal(Some(v)),
        })
    }

    /// The kind of this value; `None` for NULL, which suits every column.
    fn kind(&self) -> Option<Kind> {
        Some(match self {
            Self::Null => return None,
            Self::String(_) => Kind::Text,
            Self::Bool(_) => Kind::Bool,
            Self::TinyInt(_)
            | Self::SmallInt(_)
            | Self::Int(_)
            | Self::BigInt(_)
            | Self::TinyUnsigned(_)
            | Self::SmallUnsigned(_)
            | Self::Unsigned(_)
            | Self::BigUnsigned(_) => Kind::Integer,
            Self::Float(_) | Self::Double(_) => Kind::Float,
            Self::Uuid(_) => Kind::Uuid,
            Self::DateTimeUtc(_) | Self::DateTimeWithTimeZone(_) | Self::DateTime(_) => {
                Kind::Timestamp
            }
            Self::Date(_) => Kind::Date,
            Self::Decimal(_) => Kind::Decimal,
        })
    }
}

/// The kind of value a column holds; `None` when we cannot tell, and accept any.
fn column_kind(column_type: &ColumnType) -> Option<Kind> {
    Some(match column_type {
        ColumnType::Char(_) | ColumnType::String(_) | ColumnType::Text => Kind::Text,
        ColumnType::Boolean => Kind::Bool,
        ColumnType::TinyInteger
        | ColumnType::SmallInteger
        | ColumnType::Integer
        | ColumnType::BigInteger
        | ColumnType::TinyUnsigned
        | ColumnType::SmallUnsigned
        | ColumnType::Unsigned
        | ColumnType::BigUnsigned => Kind::Integer,
        ColumnType::Float | ColumnType::Double => Kind::Float,
        ColumnType::Decimal(_) | ColumnType::Money(_) => Kind::Decimal,
        ColumnType::Uuid => Kind::Uuid,
        ColumnType::DateTime | ColumnType::Timestamp | ColumnType::TimestampWithTimeZone => {
            Kind::Timestamp
        }
        ColumnType::Date => Kind::Date,
        _ => return None,
    })
}

/// The sort signature recorded in cursors: `column:direction` per key, id last.
pub(crate) fn signature<C: ColumnTrait>(keys: &[Key<C>]) -> Vec<String> {
    keys.iter()
        .map(|key| format!("{}:{}", key.name(), key.direction.code()))
        .collect()
}

/// Encodes the cursor of a row from its values of the sort keys (id last).
pub(crate) fn encode(signature: &[String], values: Vec<Value>) -> AppResult<String> {
    let v = values
        .into_iter()
        .map(|value| {
            let described = format!("{value:?}");
            CursorValue::from_value(value).ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("cannot sort on a value like {described}"))
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let doc = CursorDoc {
        k: signature.to_vec(),
        v,
    };
    let json = serde_json::to_vec(&doc).map_err(AppError::internal)?;
    Ok(URL_SAFE_NO_PAD.encode(json))
}

/// Decodes a cursor made for the given sort, returning one value per key (`None` for NULL).
/// `field` (`after` or `before`) names the argument in errors.
pub(crate) fn decode<C: ColumnTrait>(
    cursor: &str,
    keys: &[Key<C>],
    field: &str,
) -> AppResult<Vec<Option<Value>>> {
    let invalid = || AppError::invalid(field, "invalid cursor");
    if cursor.len() > MAX_CURSOR_CHARS {
        return Err(invalid());
    }
    let json = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let doc: CursorDoc = serde_json::from_slice(&json).map_err(|_| invalid())?;
    if doc.k != signature(keys) || doc.v.len() != keys.len() {
        return Err(AppError::invalid(
            field,
            "this cursor belongs to a list with another order; start again without it",
        ));
    }
    doc.v
        .into_iter()
        .zip(keys)
        .map(|(value, key)| {
            let expected = match &key.target {
                SortTarget::Column(column) => column_kind(column.def().get_column_type()),
                SortTarget::Relevance(_) => Some(Kind::Float),
            };
            match (value.kind(), expected) {
                (Some(kind), Some(expected)) if kind != expected => Err(invalid()),
                _ => Ok(value.into_value()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_to_its_own_variant() {
        let instant = DateTime::parse_from_rfc3339("2026-03-04T05:06:07.123456+02:00")
            .expect("valid timestamp");
        let values = [
            Value::String(Some("x".into())),
            Value::Bool(Some(true)),
            Value::TinyInt(Some(-1)),
            Value::SmallInt(Some(-2)),
            Value::Int(Some(-3)),
            Value::BigInt(Some(i64::MIN)),
            Value::TinyUnsigned(Some(1)),
            Value::SmallUnsigned(Some(2)),
            Value::Unsigned(Some(3)),
            Value::BigUnsigned(Some(u64::MAX)),
            Value::Float(Some(1.5)),
            Value::Double(Some(0.1)),
            Value::Uuid(Some(Uuid::from_u128(7))),
            Value::ChronoDateTimeUtc(Some(instant.with_timezone(&Utc))),
            Value::ChronoDateTimeWithTimeZone(Some(instant)),
            Value::ChronoDateTime(Some(instant.naive_utc())),
            Value::ChronoDate(Some(instant.date_naive())),
            Value::Decimal(Some(Decimal::new(123_456_789, 4))),
        ];
        for value in values {
            let tagged = CursorValue::from_value(value.clone()).expect("supported");
            let json = serde_json::to_string(&tagged).expect("serialisable");
            let back: CursorValue = serde_json::from_str(&json).expect("deserialisable");
            assert_eq!(back.into_value(), Some(value));
        }
        let null = CursorValue::from_value(Value::String(None)).expect("supported");
        assert_eq!(null.into_value(), None);
    }
}
