//! The HTTP surface. Only the gateway knows about HTTP: routes, bodies, headers, sockets.

mod answer;
pub mod cors;
mod export;
mod graphql;
mod health;
pub mod metrics;
mod playground;
mod request_log;
mod ws;

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use identity::IdentityState;
use kernel::{AppError, ErrorCode};
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
    pub core: IdentityState,
    pub limits: QueryLimits,
    pub playground: bool,
    /// Which browser origins may call the API.
    pub cors: cors::CorsSettings,
    /// Cancelled when the server begins to shut down; WebSocket tasks watch it.
    pub shutdown: CancellationToken,
    /// Cancelled when shutdown's grace period is over: requests still running are dropped
    /// then, which rolls back their transactions (nothing they did is committed).
    pub cut_off: CancellationToken,
    /// WebSocket connection tasks, so shutdown can wait for their close frames.
    pub sockets: TaskTracker,
    /// Request counters and latencies for `/metrics`.
    pub metrics: metrics::Metrics,
    /// Who may read `/metrics`.
    pub metrics_access: metrics::MetricsAccess,
}

/// The router with every route and layer.
pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        // The span puts the request id on every line logged while the request runs; the one
        // line per request is `request_log`'s, so the layer's own events are off.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let id = request_log::request_id(request.headers());
                    tracing::info_span!("request", request_id = %id)
                })
                .on_request(())
                .on_response(())
                .on_failure(()),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            request_log::log_request,
        ))
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(state.cors.layer())
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cancel_at_cut_off,
        ));
    Router::new()
        .merge(playground::routes())
        .route("/graphql", get(ws::upgrade).post(graphql::execute))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .route("/schema.graphql", get(health::schema_sdl))
        .route("/export/contacts.csv", get(export::contacts_csv))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(layers)
        .with_state(state)
}

/// Runs a request unless shutdown cuts it off first; then the handler is dropped (its
/// transaction rolls back) and the client hears "retry", which another instance can serve.
async fn cancel_at_cut_off(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    tokio::select! {
        response = next.run(request) => response,
        () = state.cut_off.cancelled() => {
            let mut response = json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is shutting down; retry",
                ErrorCode::ServiceUnavailable.as_str(),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(1));
            response
        }
    }
}

/// The client's address from the TCP connection, if the server recorded it. Forwarded headers
/// are ignored on purpose: anyone can send them, so trusting them would let a client choose
/// the address its rate limit is counted against.
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

/// The HTTP status of a service error, for answers outside GraphQL (the REST endpoints).
fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::BadUserInput | ErrorCode::GraphqlValidationFailed => StatusCode::BAD_REQUEST,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::LimitExceeded => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::InternalServerError => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A service error as a REST answer: the status of its code, the same body and extensions as
/// in GraphQL, and `Retry-After` when the error passes by itself.
pub fn error_response(error: AppError) -> Response {
    let status = status_of(error.code());
    let retry_after = error.retry_after_secs();
    let error = error.into_graphql();
    let mut server_error = async_graphql::ServerError::new(error.message, None);
    server_error.extensions = error.extensions;
    let body = serde_json::json!({ "errors": [server_error] }).to_string();
    let mut response = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
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

/// How long WebSocket tasks get to send their close frames once requests are done (they were
/// told to close when shutdown began, so normally they are done already).
pub const WS_CLOSE_GRACE: Duration = Duration::from_secs(1);
