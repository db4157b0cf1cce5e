//! `GET /export/contacts.csv`: the caller's filtered contacts as a CSV download, streamed.
//! Authenticated with `Authorization: Bearer`; administrators and managers only. Optional query
//! parameters: `filter` (a ContactFilterInput as JSON) and `search`.

use async_graphql::InputType;
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use crm_core::crm::directory::contacts::service::ContactFilterInput;
use crm_core::crm::export::service::ContactExport;
use kernel::AppError;
use serde::Deserialize;

use super::graphql::caller_from_bearer;
use super::{AppState, error_response};

/// Query parameters of the export.
#[derive(Debug, Deserialize)]
pub(super) struct ExportParams {
    /// A ContactFilterInput, as JSON.
    filter: Option<String>,
    /// Full-text search.
    search: Option<String>,
}

fn parse_filter(raw: Option<&str>) -> Result<Option<ContactFilterInput>, AppError> {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return Ok(None);
    };
    let invalid = |detail: String| {
        AppError::invalid(
            "filter",
            format!("filter must be a ContactFilterInput as JSON: {detail}"),
        )
    };
    let json: serde_json::Value = serde_json::from_str(raw).map_err(|e| invalid(e.to_string()))?;
    let value = async_graphql::Value::from_json(json).map_err(|e| invalid(e.to_string()))?;
    ContactFilterInput::parse(Some(value))
        .map(Some)
        .map_err(|e| invalid(e.into_server_error(Default::default()).message))
}

/// Streams the export.
pub(super) async fn contacts_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> Response {
    // A query string that does not parse gets the same JSON error shape as everything else,
    // not axum's plain-text rejection.
    let Query(params) = match params {
        Ok(params) => params,
        Err(rejection) => {
            return error_response(AppError::bad_input(format!(
                "the query string is malformed: {}",
                rejection.body_text()
            )));
        }
    };
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let caller = caller_from_bearer(&state, authorization).await;
    let auth = match caller.auth() {
        Ok(auth) => auth.clone(),
        Err(error) => return error_response(error),
    };
    let filter = match parse_filter(params.filter.as_deref()) {
        Ok(filter) => filter,
        Err(error) => return error_response(error),
    };
    let db = state.core.store().db.clone();
    let mut export = match ContactExport::start(&db, &auth, filter, params.search).await {
        Ok(export) => export,
        Err(error) => return error_response(error),
    };
    // The first page is read before answering, so a bad request still gets a proper status.
    let first = match export.next_chunk(&db).await {
        Ok(chunk) => chunk.unwrap_or_default(),
        Err(error) => return error_response(error),
    };
    // State: the export, the pool, a chunk to send first, and whether it has ended.
    let stream = futures_util::stream::unfold(
        (export, db, Some(first), false),
        |(mut export, db, pending, ended)| async move {
            if let Some(chunk) = pending {
                return Some((
                    Ok::<_, std::io::Error>(Bytes::from(chunk)),
                    (export, db, None, false),
                ));
            }
            if ended {
                return None;
            }
            match export.next_chunk(&db).await {
                Ok(Some(chunk)) => Some((Ok(Bytes::from(chunk)), (export, db, None, false))),
                Ok(None) => None,
                Err(error) => {
                    // Headers are gone; abort the body so the client sees a broken download.
                    tracing::error!(error = ?error, "export stream failed");
                    Some((
                        Err(std::io::Error::other("export failed")),
                        (export, db, None, true),
                    ))
                }
            }
        },
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"contacts.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
