//! Win and conversion probabilities. The API exchanges them as whole percents (`Int`, 0 to
//! 100) on leads, stages and opportunities alike; leads and opportunities keep them in decimal
//! columns because weighted values are computed from them.

use kernel::{AppResult, validate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

/// A probability given by a client, checked and ready to store.
pub fn from_input(field: &str, value: i32) -> AppResult<Decimal> {
    let checked = validate::int_range(field, Some(value), 0, 100)?.unwrap_or_default();
    Ok(Decimal::from(checked))
}

/// A stored probability as the API shows it. Stored values are whole numbers; rounding only
/// guards against a value written before the API took whole percents, half away from zero as
/// the migration that converted those values did.
pub fn to_output(stored: Decimal) -> i32 {
    stored
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i32()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kernel::ErrorCode;

    #[test]
    fn whole_percents_between_0_and_100_are_accepted() {
        assert_eq!(from_input("probability", 0).ok(), Some(Decimal::ZERO));
        assert_eq!(
            from_input("probability", 100).ok(),
            Some(Decimal::ONE_HUNDRED)
        );
        for refused in [-1, 101, i32::MAX] {
            let error = from_input("probability", refused).expect_err("out of range");
            assert_eq!(error.code(), ErrorCode::BadUserInput);
        }
    }

    #[test]
    fn stored_values_print_as_whole_percents() {
        assert_eq!(to_output(Decimal::new(2500, 2)), 25);
        assert_eq!(to_output(Decimal::new(3350, 2)), 34);
        assert_eq!(to_output(Decimal::new(3450, 2)), 35);
    }
}
