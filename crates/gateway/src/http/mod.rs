//! The HTTP surface. Only the gateway knows about HTTP: routes, bodies, headers, sockets.

mod export;
mod graphql;
mod health;
mod playground;
mod ws;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use crm_core::CoreState;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::limits::QueryLimits;
use crate::schema::AppSchema;

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Largest accepted multipart body (file uploads, such as CSV imports).
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    pub core: CoreState,
    pub limits: QueryLimits,
    pub playground: bool,
    /// Cancelled when the server begins to shut down; WebSocket tasks watch it.
    pub shutdown: CancellationToken,
    /// WebSocket connection tasks, so shutdown can wait for their close frames.
    pub sockets: TaskTracker,
}

/// The router with every route and layer.
pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(CompressionLayer::new());
    Router::new()
        .route("/", get(playground::graphiql))
        .route("/graphql", get(ws::upgrade).post(graphql::execute))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/schema.graphql", get(health::schema_sdl))
        .route("/export/contacts.csv", get(export::contacts_csv))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(layers)
        .with_state(state)
}

/// The client's address from the TCP connection, if the server recorded it. Forwarded headers
/// are ignored on purpose: anyone can send them (PITFALLS.md).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let info = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(Self(info.map(|info| info.0.ip())))
    }
}

/// A JSON error body `{"errors":[{"message","extensions":{"code"}}]}` with an HTTP status, for
/// failures outside GraphQL execution (bodies, methods, routes).
pub fn json_error(status: StatusCode, message: &str, code: &str) -> Response {
    let body = crate::limits::error_body(message, code)
        .into_json()
        .unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn not_found() -> Response {
    json_error(
        StatusCode::NOT_FOUND,
        "no such route; the API is at POST /graphql",
        "NOT_FOUND",
    )
}

async fn method_not_allowed() -> Response {
    json_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed on this route",
        "BAD_USER_INPUT",
    )
}

/// How long WebSocket tasks get to send their close frames.
pub const WS_CLOSE_GRACE: Duration = Duration::from_secs(2);
