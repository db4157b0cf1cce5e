//! `POST /graphql`: authenticates the caller, enforces the body and batch limits, executes.

use async_graphql::http::MultipartOptions;
use async_graphql::{BatchRequest, BatchResponse};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use kernel::{Caller, ClientAddr};

use super::answer::{MediaType, answer, responses};
use super::request_log::RequestFacts;
use super::{AppState, ClientIp, MAX_BODY_BYTES, MAX_UPLOAD_BYTES, json_error};

/// The caller named by an `Authorization: Bearer` value.
pub(super) async fn caller_from_bearer(state: &AppState, authorization: Option<&str>) -> Caller {
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
    crate::schema::add_request_loaders(&mut request.data, db);
    request
}

/// Whether a content type is one a GraphQL request may be sent as.
fn is_graphql_body(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence.eq_ignore_ascii_case("multipart/form-data")
}

/// Executes a GraphQL request or batch.
pub(super) async fn execute(
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
    let media_type = MediaType::negotiate(request.headers());
    // Only JSON (and multipart for uploads) is read as a GraphQL request: a body sent as
    // anything else, or as nothing in particular, is refused rather than guessed at.
    let Some(content_type) = content_type.filter(|t| is_graphql_body(t)) else {
        return json_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the request as Content-Type: application/json (or multipart/form-data for uploads)",
            "BAD_USER_INPUT",
        );
    };

    // Uploads (multipart) may be larger than plain GraphQL bodies.
    let multipart = content_type.starts_with("multipart/form-data");
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
    let batch =
        match async_graphql::http::receive_batch_body(Some(content_type), bytes.as_ref(), options)
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
    let facts = facts_of(&batch, &caller);
    let db = &state.core.store().db;
    let batch = match batch.data(caller).data(ClientAddr(client)) {
        BatchRequest::Single(request) => BatchRequest::Single(with_loaders(request, db)),
        BatchRequest::Batch(requests) => {
            BatchRequest::Batch(requests.into_iter().map(|r| with_loaders(r, db)).collect())
        }
    };
    let response: BatchResponse = state.schema.execute_batch(batch).await;
    let mut answer = answer(&response, media_type);
    let mut facts = facts;
    facts.error_codes = error_codes(&response);
    answer.extensions_mut().insert(facts);
    answer
}

/// The `extensions.code` of every error of a request or batch.
fn error_codes(response: &BatchResponse) -> Vec<String> {
    responses(response)
        .iter()
        .flat_map(|response| &response.errors)
        .map(
            |error| match error.extensions.as_ref().and_then(|e| e.get("code")) {
                Some(async_graphql::Value::String(code)) => code.clone(),
                _ => "UNKNOWN".to_owned(),
            },
        )
        .collect()
}

/// What the request log says of a GraphQL request: its operation and who sent it.
fn facts_of(batch: &BatchRequest, caller: &Caller) -> RequestFacts {
    let (operation, operation_type) = match batch {
        BatchRequest::Single(request) => {
            RequestFacts::operation(&request.query, request.operation_name.as_deref())
        }
        BatchRequest::Batch(requests) => (Some(format!("batch of {}", requests.len())), None),
    };
    let (organization_id, user_id) = match caller {
        Caller::Authenticated(auth) => (Some(auth.organization_id), Some(auth.user_id)),
        _ => (None, None),
    };
    RequestFacts {
        operation,
        operation_type,
        organization_id,
        user_id,
        error_codes: Vec::new(),
    }
}
