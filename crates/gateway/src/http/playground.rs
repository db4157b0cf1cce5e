//! `GET /`: the GraphiQL playground (development, or production with CRM_PLAYGROUND=true).
//!
//! The page and every file it loads are compiled into the binary (`assets/graphiql/`, pinned
//! npm releases; see the README there), so the playground works offline and loads nothing
//! from a CDN.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{AppState, json_error};

/// Our page: loads the files below and points GraphiQL at `/graphql`.
const INDEX_HTML: &str = include_str!("../../assets/graphiql/index.html");

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// The vendored files served under `/graphiql/`: name, content type, contents.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "graphiql.min.js",
        JS,
        include_str!("../../assets/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        CSS,
        include_str!("../../assets/graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        JS,
        include_str!("../../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        JS,
        include_str!("../../assets/graphiql/react-dom.production.min.js"),
    ),
];

/// The page asks for the files with `?v=<version>`, so they may be cached for a year.
const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";

/// `GET /` and `GET /graphiql/{file}`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(graphiql))
        .route("/graphiql/{file}", get(asset))
}

fn disabled() -> Response {
    json_error(
        StatusCode::NOT_FOUND,
        "the playground is disabled",
        "NOT_FOUND",
    )
}

/// Serves the GraphiQL page.
async fn graphiql(State(state): State<AppState>) -> Response {
    if !state.playground {
        return disabled();
    }
    (
        // Revalidated on every visit so a new binary's page (and its ?v= suffixes) shows at once.
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        INDEX_HTML,
    )
        .into_response()
}

/// Serves one vendored file.
async fn asset(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    if !state.playground {
        return disabled();
    }
    let Some(&(_, content_type, body)) = ASSETS.iter().find(|(name, _, _)| *name == file) else {
        return json_error(
            StatusCode::NOT_FOUND,
            "no such playground file",
            "NOT_FOUND",
        );
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, CACHE_FOREVER),
        ],
        body,
    )
        .into_response()
}
