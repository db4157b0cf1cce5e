//! The `search` argument of contacts and companies.
//!
//! PostgreSQL: `search_vector @@ websearch_to_tsquery('simple', $1)` on the generated column
//! the migration adds (it is not part of the entities). SQLite: every word of the query must
//! occur, case-insensitively, in one of a few text columns (LIKE with `%` and `_` escaped).
//! For one or two whole words both give the same rows. Results keep the list's normal order
//! (default `createdAt` descending): keyset cursors need a column to sort on, and a rank is not
//! one, so ranking is not applied.

use kernel::AppError;
use kernel::AppResult;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{ColumnTrait, Condition};

/// The longest search text.
pub const MAX_SEARCH_CHARS: usize = 200;

/// The condition of a search over `table` (whose `search_vector` exists on PostgreSQL) or,
/// on SQLite, over `columns`. `None` when the search is blank.
pub fn search_condition<C: ColumnTrait>(
    postgres: bool,
    table: &str,
    columns: &[C],
    search: Option<&str>,
) -> AppResult<Option<Condition>> {
    let Some(text) = search.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.contains('\0') || text.chars().count() > MAX_SEARCH_CHARS {
        return Err(AppError::invalid(
            "search",
            format!("search must be at most {MAX_SEARCH_CHARS} characters, without NUL"),
        ));
    }
    if postgres {
        let expr = Expr::cust_with_values(
            format!("\"{table}\".\"search_vector\" @@ websearch_to_tsquery('simple', $1)"),
            [text.to_owned()],
        );
        return Ok(Some(Condition::all().add(expr)));
    }
    let mut all = Condition::all();
    for word in text.split_whitespace() {
        let word = word.trim_matches('"').to_lowercase();
        if word.is_empty() {
            continue;
        }
        let pattern = format!("%{}%", escape_like(&word));
        let mut any = Condition::any();
        for column in columns {
            let lowered: Expr = Func::lower(Expr::col(column.as_column_ref())).into();
            any = any.add(lowered.like(LikeExpr::new(pattern.clone()).escape('\\')));
        }
        all = all.add(any);
    }
    Ok(Some(all))
}

fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like(r"50%_a\b"), r"50\%\_a\\b");
    }
}
