//! How a GraphQL result becomes an HTTP answer: its media type and its status, following the
//! GraphQL-over-HTTP specification.
//!
//! A client that accepts `application/graphql-response+json` gets that media type, and a
//! request that failed before execution (it did not parse, did not validate, its variables did
//! not fit, or it broke a limit) gets HTTP 400 without a `data` entry, so that the status alone
//! tells "your request is wrong" from "it ran". A client that asks for `application/json` (or
//! nothing) gets the traditional answer: 200 with the errors in the body. Either way, a request
//! that failed only because the database is unavailable is 503 with `Retry-After`.

use async_graphql::{BatchResponse, Response as GqlResponse, Value};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kernel::ErrorCode;

/// The media types a GraphQL answer can be sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MediaType {
    /// `application/graphql-response+json`: request errors are HTTP 4xx.
    GraphqlResponse,
    /// `application/json`: always 200 unless the service is unavailable.
    Json,
}

impl MediaType {
    /// The type the client prefers, from its `Accept` header: the GraphQL response type when it
    /// is listed (with a non-zero quality), JSON otherwise.
    pub(super) fn negotiate(headers: &HeaderMap) -> Self {
        let accepts_graphql_response = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .any(|item| {
                let mut parts = item.split(';').map(str::trim);
                let listed = parts
                    .next()
                    .is_some_and(|t| t.eq_ignore_ascii_case("application/graphql-response+json"));
                let refused = parts.any(|p| {
                    p.strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                listed && !refused
            });
        if accepts_graphql_response {
            Self::GraphqlResponse
        } else {
            Self::Json
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json",
        }
    }
}

/// The HTTP answer for an executed request or batch.
pub(super) fn answer(response: &BatchResponse, media_type: MediaType) -> Response {
    let responses = responses(response);
    let mut status = StatusCode::OK;
    let mut body = serde_json::to_value(response)
        .unwrap_or_else(|_| serde_json::json!({ "errors": [{ "message": "internal error" }] }));
    if media_type == MediaType::GraphqlResponse {
        // Requests that never ran have no data entry, and are the client's error.
        let bodies: Vec<&mut serde_json::Value> = match &mut body {
            serde_json::Value::Array(items) => items.iter_mut().collect(),
            single => vec![single],
        };
        for (json, response) in bodies.into_iter().zip(responses) {
            if failed_before_execution(response)
                && let Some(object) = json.as_object_mut()
            {
                object.remove("data");
            }
        }
        if responses.iter().all(failed_before_execution) {
            status = StatusCode::BAD_REQUEST;
        }
    }
    let retry_after = unavailable_retry_after(response);
    if retry_after.is_some() {
        status = StatusCode::SERVICE_UNAVAILABLE;
    }
    let mut answer = (
        status,
        [(header::CONTENT_TYPE, media_type.content_type())],
        body.to_string(),
    )
        .into_response();
    if let Some(secs) = retry_after {
        answer
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    answer
}

/// The operations' results of a request or batch, in order.
pub(super) fn responses(response: &BatchResponse) -> &[GqlResponse] {
    match response {
        BatchResponse::Single(response) => std::slice::from_ref(response),
        BatchResponse::Batch(responses) => responses.as_slice(),
    }
}

/// Whether a request failed before any resolver ran: errors without a path (parsing,
/// validation, variables, limits) and no data.
fn failed_before_execution(response: &GqlResponse) -> bool {
    !response.errors.is_empty()
        && matches!(response.data, Value::Null)
        && response.errors.iter().all(|error| error.path.is_empty())
}

/// When every operation failed only because the database is unavailable (no data at all, and
/// every error `SERVICE_UNAVAILABLE`), the seconds to wait before retrying: the answer is then
/// HTTP 503 with `Retry-After`, so proxies, load balancers and HTTP clients see an outage, not a
/// success. A partly answered request stays 200, its errors in the body as usual.
fn unavailable_retry_after(response: &BatchResponse) -> Option<u64> {
    let mut retry_after = None;
    for response in responses(response) {
        if has_data(&response.data) || response.errors.is_empty() {
            return None;
        }
        for error in &response.errors {
            let extensions = error.extensions.as_ref()?;
            if extensions.get("code") != Some(&Value::from(ErrorCode::ServiceUnavailable.as_str()))
            {
                return None;
            }
            let secs = match extensions.get("retryAfter") {
                Some(Value::Number(secs)) => secs.as_u64().unwrap_or(1),
                _ => 1,
            };
            retry_after = Some(retry_after.map_or(secs, |max: u64| max.max(secs)));
        }
    }
    retry_after
}

/// Whether an operation's data holds anything: not null, and not an object of nulls only (the
/// shape a failed nullable root field leaves).
fn has_data(data: &Value) -> bool {
    match data {
        Value::Null => false,
        Value::Object(fields) => fields.values().any(|v| !matches!(v, Value::Null)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{ErrorExtensionValues, Name, Response, ServerError};

    use super::*;

    fn error(code: &str, retry_after: Option<u64>) -> ServerError {
        let mut error = ServerError::new("failed", None);
        let mut extensions = ErrorExtensionValues::default();
        extensions.set("code", code);
        if let Some(secs) = retry_after {
            extensions.set("retryAfter", secs);
        }
        error.extensions = Some(extensions);
        error
    }

    fn response(data: Value, errors: Vec<ServerError>) -> Response {
        let mut response = Response::new(data);
        response.errors = errors;
        response
    }

    fn object(field: &str, value: Value) -> Value {
        Value::Object([(Name::new(field), value)].into_iter().collect())
    }

    #[test]
    fn a_request_that_failed_only_for_unavailability_is_a_503() {
        let unavailable = || error("SERVICE_UNAVAILABLE", Some(2));
        let failed = response(Value::Null, vec![unavailable()]);
        assert_eq!(
            unavailable_retry_after(&BatchResponse::Single(failed)),
            Some(2)
        );
        // A nullable root field that failed leaves an object of nulls: still nothing answered.
        let nulls = response(object("contact", Value::Null), vec![unavailable()]);
        assert_eq!(
            unavailable_retry_after(&BatchResponse::Single(nulls)),
            Some(2)
        );
        let longest = BatchResponse::Batch(vec![
            response(Value::Null, vec![unavailable()]),
            response(Value::Null, vec![error("SERVICE_UNAVAILABLE", Some(30))]),
        ]);
        assert_eq!(unavailable_retry_after(&longest), Some(30));
    }

    #[test]
    fn partial_answers_and_other_errors_stay_200() {
        let unavailable = || error("SERVICE_UNAVAILABLE", Some(1));
        let partial = response(
            Value::Object(
                [
                    (Name::new("me"), object("email", Value::from("a@b.example"))),
                    (Name::new("contacts"), Value::Null),
                ]
                .into_iter()
                .collect(),
            ),
            vec![unavailable()],
        );
        assert_eq!(
            unavailable_retry_after(&BatchResponse::Single(partial)),
            None
        );
        let mixed = response(
            Value::Null,
            vec![unavailable(), error("INTERNAL_SERVER_ERROR", None)],
        );
        assert_eq!(unavailable_retry_after(&BatchResponse::Single(mixed)), None);
        let ok = response(object("me", Value::Null), vec![]);
        assert_eq!(unavailable_retry_after(&BatchResponse::Single(ok)), None);
        let batch = BatchResponse::Batch(vec![
            response(Value::Null, vec![unavailable()]),
            response(object("me", Value::from(1)), vec![]),
        ]);
        assert_eq!(unavailable_retry_after(&batch), None);
    }
}
