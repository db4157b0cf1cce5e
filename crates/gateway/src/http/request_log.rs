//! One log line per request, at info: what an operator needs to follow traffic and find a slow
//! or failing call, and nothing a log must not hold (no tokens, passwords, variables or bodies).

use std::time::Instant;

use async_graphql::parser::parse_query;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use uuid::Uuid;

use super::AppState;
use super::metrics::OperationSample;

/// What a handler learned about its request, handed to the log line through the response's
/// extensions: the GraphQL operation and who asked.
#[derive(Debug, Clone, Default)]
pub(super) struct RequestFacts {
    /// The operation's name, or `batch of N`.
    pub operation: Option<String>,
    /// `query`, `mutation` or `subscription`.
    pub operation_type: Option<&'static str>,
    pub organization_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    /// The `extensions.code` of every error the operation returned.
    pub error_codes: Vec<String>,
}

impl RequestFacts {
    /// The name and type of the operation a GraphQL request runs (`operation_name` picks one of
    /// several). A document that does not parse has neither: its error says why.
    pub(super) fn operation(
        query: &str,
        operation_name: Option<&str>,
    ) -> (Option<String>, Option<&'static str>) {
        let Ok(document) = parse_query(query) else {
            return (None, None);
        };
        let (name, operation) = match &document.operations {
            DocumentOperations::Single(operation) => (None, operation),
            DocumentOperations::Multiple(operations) => {
                let found = match operation_name {
                    Some(name) => operations.iter().find(|(n, _)| n.as_str() == name),
                    None => operations.iter().next(),
                };
                match found {
                    Some((name, operation)) => (Some(name.to_string()), operation),
                    None => return (operation_name.map(str::to_owned), None),
                }
            }
        };
        let kind = match operation.node.ty {
            OperationType::Query => "query",
            OperationType::Mutation => "mutation",
            OperationType::Subscription => "subscription",
        };
        (
            name.or_else(|| operation_name.map(str::to_owned)),
            Some(kind),
        )
    }
}

/// The request's id (set by the router's first layer when the client sent none).
pub(super) fn request_id(headers: &HeaderMap) -> &str {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// Logs the request once its answer is ready (method, path, status, duration, request id, and
/// the facts the handler left) and counts it in the metrics.
pub(super) async fn log_request(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    // The route's pattern, not the path: one series per route whatever the ids in paths.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |matched| matched.as_str())
        .to_owned();
    let request_id = request_id(request.headers()).to_owned();
    let response = next.run(request).await;
    let facts = response.extensions().get::<RequestFacts>().cloned();
    let elapsed = started.elapsed();
    state.metrics.record(
        &route,
        response.status().as_u16(),
        elapsed,
        facts.as_ref().map(|facts| OperationSample {
            name: facts.operation.as_deref(),
            kind: facts.operation_type,
            error_codes: &facts.error_codes,
        }),
    );
    let facts = facts.unwrap_or_default();
    let duration_ms = elapsed.as_secs_f64() * 1000.0;
    tracing::info!(
        target: "crm::request",
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        duration_ms = (duration_ms * 100.0).round() / 100.0,
        request_id = %request_id,
        operation = facts.operation.as_deref(),
        operation_type = facts.operation_type,
        organization_id = facts.organization_id.map(tracing::field::display),
        user_id = facts.user_id.map(tracing::field::display),
        "request"
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operation_is_named_and_typed() {
        assert_eq!(
            RequestFacts::operation("{ me { id } }", None),
            (None, Some("query"))
        );
        assert_eq!(
            RequestFacts::operation("mutation Login { login { token } }", None),
            (Some("Login".into()), Some("mutation"))
        );
        let two = "query A { me { id } } subscription B { auditLogCreated { id } }";
        assert_eq!(
            RequestFacts::operation(two, Some("B")),
            (Some("B".into()), Some("subscription"))
        );
        assert_eq!(RequestFacts::operation("{ me { ", None), (None, None));
    }
}
