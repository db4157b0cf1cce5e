//! Applying update inputs to models. An update input distinguishes a field the client left out
//! (stays as it is), `null` (clears it) and a value (checked, then stored; a check may also
//! clear, as an empty string does for optional text).

use async_graphql::MaybeUndefined;
use sea_orm::ActiveValue;

use crate::error::AppResult;

/// Applies a clearable input to a model field: absent leaves it, `null` clears it, a value goes
/// through `check`, whose `None` clears too.
pub fn clearable<T, U>(
    field: &mut ActiveValue<Option<U>>,
    input: &MaybeUndefined<T>,
    check: impl FnOnce(&T) -> AppResult<Option<U>>,
) -> AppResult<()>
where
    Option<U>: Into<sea_orm::Value>,
{
    match input {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => *field = ActiveValue::Set(None),
        MaybeUndefined::Value(value) => *field = ActiveValue::Set(check(value)?),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate;

    fn title(input: MaybeUndefined<String>) -> AppResult<ActiveValue<Option<String>>> {
        let mut field = ActiveValue::Unchanged(Some("Old".to_owned()));
        clearable(&mut field, &input, |text| {
            validate::optional_text("title", Some(text), 10)
        })?;
        Ok(field)
    }

    #[test]
    fn absent_keeps_null_clears_and_values_are_checked() {
        assert_eq!(
            title(MaybeUndefined::Undefined).ok(),
            Some(ActiveValue::Unchanged(Some("Old".to_owned())))
        );
        assert_eq!(
            title(MaybeUndefined::Null).ok(),
            Some(ActiveValue::Set(None))
        );
        assert_eq!(
            title(MaybeUndefined::Value(" New ".to_owned())).ok(),
            Some(ActiveValue::Set(Some("New".to_owned())))
        );
        // A check may clear: an empty text is no title.
        assert_eq!(
            title(MaybeUndefined::Value("  ".to_owned())).ok(),
            Some(ActiveValue::Set(None))
        );
        assert!(title(MaybeUndefined::Value("far too long".to_owned())).is_err());
    }
}
