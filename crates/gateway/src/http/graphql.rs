//! `POST /graphql`: authenticates the caller, enforces the body and batch limits, executes.

use async_graphql::http::MultipartOptions;
use async_graphql::{BatchRequest, BatchResponse, Value};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kernel::{Caller, ClientAddr, ErrorCode};

use super::{AppState, ClientIp, MAX_BODY_BYTES, MAX_UPLOAD_BYTES, json_error};

/// The caller named by an `Authorization: Bearer` value.
pub async fn caller_from_bearer(state: &AppState, authorization: Option<&str>) -> Caller {
    let Some(value) = authorization else {
        return Caller::Anonymous;
    };
    let Some(token) = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
    else {
        return Caller::Rejected("the Authorization header must be `Bearer <token>`".into());
    };
    Caller::from_authentication(state.core.authenticate(token.trim()).await)
}

/// Gives a request its own DataLoaders (they cache, so they are never shared).
fn with_loaders(
    mut request: async_graphql::Request,
    db: &sea_orm::DatabaseConnection,
) -> async_graphql::Request {
    crm_core::graphql::add_request_loaders(&mut request.data, db);
    request
}

/// Executes a GraphQL request or batch.
pub async fn execute(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    request: Request,
) -> Response {
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);

    // Uploads (multipart) may be larger than plain GraphQL bodies.
    let multipart = content_type
        .as_deref()
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    let limit = if multipart {
        MAX_UPLOAD_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let body: Body = request.into_body();
    let bytes = match to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let message = format!(
                "the request body is larger than {} MB",
                limit / (1024 * 1024)
            );
            return json_error(StatusCode::PAYLOAD_TOO_LARGE, &message, "LIMIT_EXCEEDED");
        }
    };
    let options = MultipartOptions::default()
        .max_file_size(MAX_UPLOAD_BYTES)
        .max_num_files(1);
    let batch = match async_graphql::http::receive_batch_body(content_type, bytes.as_ref(), options)
        .await
    {
        Ok(batch) => batch,
        Err(error) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                &format!("malformed GraphQL request: {error}"),
                "BAD_USER_INPUT",
            );
        }
    };
    let size = match &batch {
        BatchRequest::Single(_) => 1,
        BatchRequest::Batch(requests) => requests.len(),
    };
    if size > state.limits.max_batch {
        return json_error(
            StatusCode::OK,
            &format!(
                "a batch may hold at most {} operations",
                state.limits.max_batch
            ),
            "LIMIT_EXCEEDED",
        );
    }
    if size == 0 {
        return json_error(
            StatusCode::BAD_REQUEST,
            "the batch is empty",
            "BAD_USER_INPUT",
        );
    }

    let caller = caller_from_bearer(&state, authorization.as_deref()).await;
    let db = &state.core.store().db;
    let batch = match batch.data(caller).data(ClientAddr(client)) {
        BatchRequest::Single(request) => BatchRequest::Single(with_loaders(request, db)),
        BatchRequest::Batch(requests) => {
            BatchRequest::Batch(requests.into_iter().map(|r| with_loaders(r, db)).collect())
        }
    };
    let response: BatchResponse = state.schema.execute_batch(batch).await;
    let retry_after = unavailable_retry_after(&response);
    let body = serde_json::to_vec(&response)
        .unwrap_or_else(|_| b"{\"errors\":[{\"message\":\"internal error\"}]}".to_vec());
    let mut answer = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response();
    if let Some(secs) = retry_after {
        *answer.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        answer
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    answer
}

/// When every operation failed only because the database is unavailable (no data at all, and
/// every error `SERVICE_UNAVAILABLE`), the seconds to wait before retrying: the answer is then
/// HTTP 503 with `Retry-After`, so proxies, load balancers and HTTP clients see an outage, not a
/// success. A partly answered request stays 200, its errors in the body as usual.
fn unavailable_retry_after(response: &BatchResponse) -> Option<u64> {
    let responses = match response {
        BatchResponse::Single(response) => std::slice::from_ref(response),
        BatchResponse::Batch(responses) => responses.as_slice(),
    };
    let mut retry_after = None;
    for response in responses {
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
