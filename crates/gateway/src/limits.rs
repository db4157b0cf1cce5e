//! Query limits and error classification, in one GraphQL extension.
//!
//! async-graphql enforces recursion depth and directives per field; this extension adds what it
//! lacks: an alias limit, a depth limit that ignores introspection (GraphiQL's own schema query
//! nests deeper than any real query may), and a cost limit by the rows a query may load
//! ([`crate::cost`]; async-graphql's complexity counts every scalar and refused real table
//! screens, with no numbers in its error). It also gives every error
//! that leaves without a code one: limit violations become `LIMIT_EXCEEDED`, other errors raised
//! before execution `GRAPHQL_VALIDATION_FAILED`. All of it happens before any resolver runs.

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextSubscribe,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Positioned, Response, ServerError, ServerResult, Value, Variables};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use crate::cost::query_cost;

/// The request limits documented in docs/api.md ("Limits").
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    pub max_depth: usize,
    /// The largest [`crate::cost`] of an operation: about the rows it may load.
    pub max_cost: u64,
    pub max_aliases: usize,
    pub max_directives_per_field: usize,
    pub max_recursive_depth: usize,
    pub max_batch: usize,
    /// Whether `__schema` and `__type` may be queried (off in production).
    pub introspection: bool,
}

impl Default for QueryLimits {
    fn default() -> Self {
        Self {
            max_depth: 10,
            // Five full table pages of 100 rows with two relations each; nested pages of
            // 100 × 100 rows are far above.
            max_cost: 2000,
            max_aliases: 30,
            max_directives_per_field: 5,
            max_recursive_depth: 32,
            max_batch: 10,
            introspection: true,
        }
    }
}

/// Messages async-graphql uses for its own limits (it gives them no code).
const LIMIT_MESSAGES: [&str; 3] = [
    "Query is nested too deep.",
    "The recursion depth of the query cannot be greater than",
    "The number of directives on the field",
];

/// Builds the extension.
pub struct Limits(pub QueryLimits);

impl ExtensionFactory for Limits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitsExtension(self.0))
    }
}

struct LimitsExtension(QueryLimits);

/// A `LIMIT_EXCEEDED` error.
pub fn limit_error(message: impl Into<String>) -> ServerError {
    with_code(ServerError::new(message, None), "LIMIT_EXCEEDED")
}

fn with_code(mut error: ServerError, code: &str) -> ServerError {
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
    error
}

fn has_code(error: &ServerError) -> bool {
    error
        .extensions
        .as_ref()
        .is_some_and(|ext| ext.get("code").is_some())
}

/// Gives every error without a code the one that describes it.
fn classify(errors: &mut [ServerError]) {
    for error in errors.iter_mut().filter(|e| !has_code(e)) {
        let code = if LIMIT_MESSAGES.iter().any(|m| error.message.starts_with(m)) {
            "LIMIT_EXCEEDED"
        } else if error.path.is_empty() {
            "GRAPHQL_VALIDATION_FAILED"
        } else if error.message.starts_with("Failed to parse")
            || error.message.starts_with("Invalid value")
        {
            "BAD_USER_INPUT"
        } else {
            tracing::error!(message = %error.message, "resolver error without a code");
            "INTERNAL_SERVER_ERROR"
        };
        let extensions = error.extensions.get_or_insert_with(Default::default);
        extensions.set("code", code);
    }
}

#[async_trait::async_trait]
impl Extension for LimitsExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        classify(&mut response.errors);
        response
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream)
            .map(|mut response| {
                classify(&mut response.errors);
                response
            })
            .boxed()
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        if !self.0.introspection && uses_introspection(&document) {
            let error = ServerError::new("introspection is disabled on this server", None);
            return Err(with_code(error, "GRAPHQL_VALIDATION_FAILED"));
        }
        let aliases = count_aliases(&document);
        if aliases > self.0.max_aliases {
            return Err(limit_error(format!(
                "the query uses {aliases} aliases; at most {} are allowed",
                self.0.max_aliases
            )));
        }
        let cost = query_cost(&ctx.schema_env.registry, &document, variables);
        if cost > self.0.max_cost {
            let mut error = limit_error(format!(
                "the query costs {cost} (about the rows it may load); at most {} is allowed: ask for smaller pages",
                self.0.max_cost
            ));
            let extensions = error.extensions.get_or_insert_with(Default::default);
            extensions.set("cost", cost);
            extensions.set("limit", self.0.max_cost);
            return Err(error);
        }
        let depth = query_depth(&document);
        if depth > self.0.max_depth {
            return Err(limit_error(format!(
                "the query is nested {depth} levels deep; at most {} are allowed",
                self.0.max_depth
            )));
        }
        Ok(document)
    }
}

/// Whether any operation asks for `__schema` or `__type` (`__typename` is harmless).
fn uses_introspection(document: &ExecutableDocument) -> bool {
    fn in_set(document: &ExecutableDocument, set: &Positioned<SelectionSet>, depth: usize) -> bool {
        depth < 64
            && set
                .node
                .items
                .iter()
                .any(|selection| match &selection.node {
                    Selection::Field(field) => {
                        matches!(field.node.name.node.as_str(), "__schema" | "__type")
                            || in_set(document, &field.node.selection_set, depth + 1)
                    }
                    Selection::InlineFragment(fragment) => {
                        in_set(document, &fragment.node.selection_set, depth + 1)
                    }
                    Selection::FragmentSpread(spread) => document
                        .fragments
                        .get(&spread.node.fragment_name.node)
                        .is_some_and(|fragment| {
                            in_set(document, &fragment.node.selection_set, depth + 1)
                        }),
                })
    }
    document
        .operations
        .iter()
        .any(|(_, op)| in_set(document, &op.node.selection_set, 0))
}

/// Aliases as written in the document (operations and fragment definitions).
fn count_aliases(document: &ExecutableDocument) -> usize {
    fn in_set(set: &Positioned<SelectionSet>) -> usize {
        set.node
            .items
            .iter()
            .map(|selection| match &selection.node {
                Selection::Field(field) => {
                    usize::from(field.node.alias.is_some()) + in_set(&field.node.selection_set)
                }
                Selection::InlineFragment(fragment) => in_set(&fragment.node.selection_set),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    let operations: usize = document
        .operations
        .iter()
        .map(|(_, op)| in_set(&op.node.selection_set))
        .sum();
    let fragments: usize = document
        .fragments
        .values()
        .map(|f| in_set(&f.node.selection_set))
        .sum();
    operations + fragments
}

/// The deepest field nesting of any operation, following fragments, not counting introspection
/// (fields named `__...`).
fn query_depth(document: &ExecutableDocument) -> usize {
    fn depth_of(
        document: &ExecutableDocument,
        set: &Positioned<SelectionSet>,
        visiting: &mut HashSet<String>,
    ) -> usize {
        set.node
            .items
            .iter()
            .map(|selection| match &selection.node {
                Selection::Field(field) if field.node.name.node.starts_with("__") => 0,
                Selection::Field(field) => {
                    1 + depth_of(document, &field.node.selection_set, visiting)
                }
                Selection::InlineFragment(fragment) => {
                    depth_of(document, &fragment.node.selection_set, visiting)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.to_string();
                    // A fragment cycle is rejected by validation; here it only must not recurse forever.
                    match document.fragments.get(&spread.node.fragment_name.node) {
                        Some(fragment) if visiting.insert(name.clone()) => {
                            let depth = depth_of(document, &fragment.node.selection_set, visiting);
                            visiting.remove(&name);
                            depth
                        }
                        _ => 0,
                    }
                }
            })
            .max()
            .unwrap_or(0)
    }
    document
        .operations
        .iter()
        .map(|(_, op)| depth_of(document, &op.node.selection_set, &mut HashSet::new()))
        .max()
        .unwrap_or(0)
}

/// An error response for a whole request (batch too large, body too large).
pub fn error_body(message: &str, code: &str) -> Value {
    let mut error = async_graphql::indexmap::IndexMap::new();
    error.insert(async_graphql::Name::new("message"), Value::from(message));
    let mut extensions = async_graphql::indexmap::IndexMap::new();
    extensions.insert(async_graphql::Name::new("code"), Value::from(code));
    error.insert(
        async_graphql::Name::new("extensions"),
        Value::Object(extensions),
    );
    let mut body = async_graphql::indexmap::IndexMap::new();
    body.insert(
        async_graphql::Name::new("errors"),
        Value::List(vec![Value::Object(error)]),
    );
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    #[test]
    fn aliases_are_counted_in_operations_and_fragments() {
        let doc =
            parse_query("{ a: me { id } b: me { id } ...F } fragment F on Query { c: me { id } }")
                .expect("parse");
        assert_eq!(count_aliases(&doc), 3);
    }

    #[test]
    fn depth_follows_fragments_and_skips_introspection() {
        let doc = parse_query("{ a { b { ...F } } __schema { types { fields { type { ofType { name } } } } } } fragment F on X { c { d } }")
            .expect("parse");
        assert_eq!(query_depth(&doc), 4);
    }

    #[test]
    fn fragment_cycles_do_not_recurse_forever() {
        let doc = parse_query(
            "{ ...A } fragment A on Query { a { ...B } } fragment B on Query { b { ...A } }",
        )
        .expect("parse");
        assert_eq!(query_depth(&doc), 2);
    }

    #[test]
    fn codeless_errors_are_classified() {
        let mut errors = vec![
            ServerError::new("Query is nested too deep.", None),
            ServerError::new("Unknown field", None),
        ];
        classify(&mut errors);
        let code = |e: &ServerError| e.extensions.as_ref().and_then(|x| x.get("code").cloned());
        assert_eq!(code(&errors[0]), Some(Value::from("LIMIT_EXCEEDED")));
        assert_eq!(
            code(&errors[1]),
            Some(Value::from("GRAPHQL_VALIDATION_FAILED"))
        );
    }
}
