//! Applying update inputs to models. An update input distinguishes a field the client left out
//! (stays as it is), `null` (clears it) and a value (checked, then stored; a check may also
//! clear, as an empty string does for optional text).

use async_graphql::MaybeUndefined;
use sea_orm::ActiveValue;
use uuid::Uuid;

use crate::error::AppResult;

/// What a clearable input asks for: `None` to leave the value alone, `Some(None)` to clear it,
/// `Some(Some(v))` to set the checked value. `check` may itself turn a value into `None` (an
/// empty string clears, as with `validate::optional_text`).
pub fn value<T, U>(
    input: &MaybeUndefined<T>,
    check: impl FnOnce(&T) -> AppResult<Option<U>>,
) -> AppResult<Option<Option<U>>> {
    match input {
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Null => Ok(Some(None)),
        MaybeUndefined::Value(value) => check(value).map(Some),
    }
}

/// [`value`] for optional text: trimmed and checked as `validate::optional_text` does (an empty
/// string clears).
pub fn text(
    field: &str,
    input: &MaybeUndefined<String>,
    max: usize,
) -> AppResult<Option<Option<String>>> {
    value(input, |text| {
        crate::validate::optional_text(field, Some(text), max)
    })
}

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
    if let Some(new) = value(input, check)? {
        *field = ActiveValue::Set(new);
    }
    Ok(())
}

/// A `MaybeUndefined` from an optional create-input field (absent and null are the same there),
/// so create and update share one path.
pub fn given<T>(value: Option<T>) -> MaybeUndefined<T> {
    match value {
        Some(value) => MaybeUndefined::Value(value),
        None => MaybeUndefined::Undefined,
    }
}

/// Applies a clearable reference to another object: absent leaves it, `null` clears it, and an
/// id is stored only after `check` found the object (in the caller's organization).
pub async fn reference<T, Checked>(
    field: &mut ActiveValue<Option<Uuid>>,
    input: &MaybeUndefined<Uuid>,
    check: impl FnOnce(Uuid) -> Checked,
) -> AppResult<()>
where
    Checked: Future<Output = AppResult<T>>,
{
    match input {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => *field = ActiveValue::Set(None),
        MaybeUndefined::Value(id) => {
            check(*id).await?;
            *field = ActiveValue::Set(Some(*id));
        }
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

    #[tokio::test]
    async fn references_are_stored_only_once_found() {
        let known = Uuid::now_v7();
        let exists = |id: Uuid| async move {
            if id == known {
                Ok(())
            } else {
                Err(crate::AppError::not_found("User"))
            }
        };
        let mut field = ActiveValue::Unchanged(None);
        reference(&mut field, &MaybeUndefined::Value(known), exists)
            .await
            .ok();
        assert_eq!(field, ActiveValue::Set(Some(known)));
        let refused = reference(&mut field, &MaybeUndefined::Value(Uuid::now_v7()), exists).await;
        assert!(refused.is_err());
        assert_eq!(
            field,
            ActiveValue::Set(Some(known)),
            "unchanged when refused"
        );
        reference(&mut field, &MaybeUndefined::Null, exists)
            .await
            .ok();
        assert_eq!(field, ActiveValue::Set(None));
    }
}
