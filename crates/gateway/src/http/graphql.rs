//! `POST /graphql`: authenticates the caller, enforces the body and batch limits, executes.

use async_graphql::http::MultipartOptions;
use async_graphql::{BatchRequest, BatchResponse};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kernel::{Caller, ClientAddr};

use super::{AppState, ClientIp, MAX_BODY_BYTES, json_error};

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
    match state.core.authenticate(token.trim()).await {
        Ok(auth) => Caller::Authenticated(auth),
        Err(error) => Caller::Rejected(error.message()),
    }
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

    let body: Body = request.into_body();
    let bytes = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return json_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the request body is larger than 2 MB",
                "LIMIT_EXCEEDED",
            );
        }
    };
    let options = MultipartOptions::default()
        .max_file_size(MAX_BODY_BYTES)
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
    let batch = batch.data(caller).data(ClientAddr(client));
    let response: BatchResponse = state.schema.execute_batch(batch).await;
    let body = serde_json::to_vec(&response)
        .unwrap_or_else(|_| b"{\"errors\":[{\"message\":\"internal error\"}]}".to_vec());
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}
