//! Scalars beyond those async-graphql ships. `UUID`, `DateTime` (RFC 3339, UTC), `Decimal`
//! (string) and `JSON` come from async-graphql; `Date` is ours because async-graphql names its
//! chrono date scalar `NaiveDate`.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_print_iso() {
        let date = <Date as ScalarType>::parse(Value::from("2026-11-20")).ok();
        assert_eq!(date.map(|d| d.to_value()), Some(Value::from("2026-11-20")));
        assert!(<Date as ScalarType>::parse(Value::from("20/11/2026")).is_err());
    }
}
