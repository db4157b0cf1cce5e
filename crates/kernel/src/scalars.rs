//! Scalars beyond those async-graphql ships. `UUID`, `Decimal` (string) and `JSON` come from
//! async-graphql. `Date` is ours because async-graphql names its chrono date scalar `NaiveDate`;
//! `DateTime` is ours because async-graphql prints instants with a `+00:00` offset and a
//! varying number of fraction digits, and clients comparing or sorting the strings need one
//! fixed form.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{DateTime, NaiveDate, SecondsFormat, SubsecRound, Utc};

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

/// A calendar date without a time or zone, `YYYY-MM-DD`.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| InputValueError::custom("expected a date as YYYY-MM-DD")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Self(date)
    }
}

impl From<Date> for NaiveDate {
    fn from(date: Date) -> Self {
        date.0
    }
}

/// An instant in UTC; see the scalar's description for its text form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

/// An instant, as RFC 3339 in UTC with exactly six fraction digits and a `Z`, such as
/// `2026-11-20T09:30:00.000000Z`. The database keeps microseconds, so a value read from the API
/// and sent back in a filter matches exactly. Input accepts any RFC 3339 offset and is converted
/// to UTC; a time without an offset is refused rather than guessed.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339"
)]
impl ScalarType for Timestamp {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => DateTime::parse_from_rfc3339(text)
                .map(|instant| Timestamp(instant.with_timezone(&Utc).trunc_subsecs(6)))
                .map_err(|_| {
                    InputValueError::custom(
                        "expected an RFC 3339 date and time with an offset, such as 2026-11-20T09:30:00Z",
                    )
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(instant_text(self.0))
    }
}

/// The one text form of an instant, wherever one leaves the server (GraphQL, audit changes,
/// CSV exports): RFC 3339, UTC, six fraction digits, `Z`.
pub fn instant_text(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Micros, true)
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(instant: DateTime<Utc>) -> Self {
        Self(instant)
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(instant: Timestamp) -> Self {
        instant.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Option<Value> {
        <Timestamp as ScalarType>::parse(Value::from(text))
            .ok()
            .map(|t| t.to_value())
    }

    #[test]
    fn instants_print_in_utc_with_z_and_six_fraction_digits() {
        assert_eq!(
            parse("2026-11-20T09:30:00Z"),
            Some(Value::from("2026-11-20T09:30:00.000000Z"))
        );
        assert_eq!(
            parse("2026-11-20T10:30:00.5+01:00"),
            Some(Value::from("2026-11-20T09:30:00.500000Z"))
        );
        // Beyond microseconds is cut, as the database would.
        assert_eq!(
            parse("2026-11-20T09:30:00.123456789Z"),
            Some(Value::from("2026-11-20T09:30:00.123456Z"))
        );
    }

    #[test]
    fn instants_without_an_offset_or_malformed_are_refused() {
        for text in ["2026-11-20T09:30:00", "2026-11-20", "yesterday", ""] {
            assert!(parse(text).is_none(), "{text} should be refused");
        }
        assert!(<Timestamp as ScalarType>::parse(Value::from(1_700_000_000)).is_err());
    }

    #[test]
    fn dates_parse_and_print_iso() {
        let date = <Date as ScalarType>::parse(Value::from("2026-11-20")).ok();
        assert_eq!(date.map(|d| d.to_value()), Some(Value::from("2026-11-20")));
        assert!(<Date as ScalarType>::parse(Value::from("20/11/2026")).is_err());
    }
}
