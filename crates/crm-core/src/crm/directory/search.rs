//! The `search` argument of contacts, companies, leads and opportunities.
//!
//! PostgreSQL: `search_vector @@ websearch_to_tsquery('simple', $1)` on the generated column
//! the migration adds (it is not part of the entities; its GIN index serves the match), ranked
//! by `ts_rank` over the vector's weights (names and e-mail A, company and title B, the rest C).
//! SQLite: every word of the query must occur, case-insensitively, in one of a few text columns
//! (LIKE with `%` and `_` escaped), ranked by how many of the words each column holds, earlier
//! columns weighing more. For one or two whole words both give the same rows, and rows naming
//! the words in their names before rows naming them elsewhere.
//!
//! Without an explicit `orderBy`, a searched list comes best match first (then in its default
//! order); an explicit `orderBy` wins over relevance.

use kernel::AppError;
use kernel::AppResult;
use kernel::listing::Relevance;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Select};

/// The longest search text.
pub const MAX_SEARCH_CHARS: usize = 200;

/// What a search asks of a list: the rows it keeps and how well each matches.
#[derive(Debug, Clone)]
pub struct SearchMatch {
    pub condition: Condition,
    pub relevance: Relevance,
}

/// The match of a search over `table` (whose `search_vector` exists on PostgreSQL) or, on
/// SQLite, over `columns` in order of weight. `None` when the search is blank.
pub fn search_condition<C: ColumnTrait>(
    postgres: bool,
    table: &str,
    columns: &[C],
    search: Option<&str>,
) -> AppResult<Option<SearchMatch>> {
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
        let condition = Expr::cust_with_values(
            format!("\"{table}\".\"search_vector\" @@ websearch_to_tsquery('simple', $1)"),
            [text.to_owned()],
        );
        // float8: the rank goes into cursors as a double and must compare equal to itself.
        let rank = Expr::cust_with_values(
            format!(
                "ts_rank(\"{table}\".\"search_vector\", websearch_to_tsquery('simple', $1))::float8"
            ),
            [text.to_owned()],
        );
        return Ok(Some(SearchMatch {
            condition: Condition::all().add(condition),
            relevance: Relevance(rank),
        }));
    }
    let mut all = Condition::all();
    let mut rank = Expr::val(0.0_f64);
    for word in text.split_whitespace() {
        let word = word.trim_matches('"').to_lowercase();
        if word.is_empty() {
            continue;
        }
        let pattern = format!("%{}%", escape_like(&word));
        let mut any = Condition::any();
        for (position, column) in columns.iter().enumerate() {
            let lowered: Expr = Func::lower(Expr::col(column.as_column_ref())).into();
            let matches = lowered.like(LikeExpr::new(pattern.clone()).escape('\\'));
            let weight = f64::from(u32::try_from(columns.len() - position).unwrap_or(1));
            rank = rank.add(Expr::case(matches.clone(), weight).finally(0.0_f64));
            any = any.add(matches);
        }
        all = all.add(any);
    }
    Ok(Some(SearchMatch {
        condition: all,
        relevance: Relevance(rank),
    }))
}

/// Narrows `select` to the rows a search keeps, returning the relevance to rank them by.
pub fn narrow<E: EntityTrait>(
    select: Select<E>,
    search: Option<SearchMatch>,
) -> (Select<E>, Option<Relevance>) {
    match search {
        Some(found) => (select.filter(found.condition), Some(found.relevance)),
        None => (select, None),
    }
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
