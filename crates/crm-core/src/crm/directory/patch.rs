//! Small helpers shared by the directory's create and update paths.

use async_graphql::MaybeUndefined;
use kernel::AppResult;

/// What a clearable input field asks for: `None` to leave the value alone, `Some(None)` to
/// clear it, `Some(Some(v))` to set the checked value. `check` may itself turn a value into
/// `None` (an empty string clears, as with `validate::optional_text`).
pub fn patch<T, U>(
    input: &MaybeUndefined<T>,
    check: impl FnOnce(&T) -> AppResult<Option<U>>,
) -> AppResult<Option<Option<U>>> {
    match input {
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Null => Ok(Some(None)),
        MaybeUndefined::Value(value) => check(value).map(Some),
    }
}

/// A `MaybeUndefined` from an optional create-input field (absent and null are the same there).
pub fn given<T>(value: Option<T>) -> MaybeUndefined<T> {
    match value {
        Some(value) => MaybeUndefined::Value(value),
        None => MaybeUndefined::Undefined,
    }
}
