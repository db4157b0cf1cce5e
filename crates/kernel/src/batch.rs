//! Creating several objects in one call (`createContacts`, `createCompanies`, ...): at most
//! [`MAX_BATCH`], all or nothing (one transaction), and an error names the item it is about, as
//! `data.<index>.<field>`, so a client can point at the row a user must fix. (A generic
//! "create all" taking an async closure would own the loop too, but async-graphql needs the
//! resolver futures `Send`, which higher-ranked async closures cannot promise yet.)

use crate::error::{AppError, AppResult};

/// The most objects one create-many call takes.
pub const MAX_BATCH: usize = 100;

/// Refuses a batch of more than [`MAX_BATCH`] inputs; `noun` names the objects ("contacts").
pub fn check_batch_size(len: usize, noun: &str) -> AppResult<()> {
    if len > MAX_BATCH {
        return Err(AppError::invalid(
            "data",
            format!("at most {MAX_BATCH} {noun} at once"),
        ));
    }
    Ok(())
}

/// The error of the item at `index`: a field error's field gains the item's path.
pub fn of_item(error: AppError, index: usize) -> AppError {
    match error {
        AppError::BadUserInput { message, field } => AppError::BadUserInput {
            message,
            field: Some(match field {
                Some(field) => format!("data.{index}.{field}"),
                None => format!("data.{index}"),
            }),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_name_the_item() {
        let named = of_item(AppError::invalid("email", "bad e-mail"), 3);
        assert!(
            matches!(&named, AppError::BadUserInput { field: Some(f), .. } if f == "data.3.email"),
            "{named:?}"
        );
        let whole = of_item(AppError::bad_input("bad item"), 0);
        assert!(
            matches!(&whole, AppError::BadUserInput { field: Some(f), .. } if f == "data.0"),
            "{whole:?}"
        );
        let conflict = of_item(AppError::conflict("taken"), 0);
        assert!(matches!(conflict, AppError::Conflict(_)), "{conflict:?}");
    }
}
