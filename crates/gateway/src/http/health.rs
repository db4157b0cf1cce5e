//! Liveness, readiness and the schema document.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kernel::Unavailable;
use sea_orm::{DatabaseConnection, DbBackend};
use serde_json::json;

use super::AppState;

/// `GET /healthz`: the process is up, and which build it runs.
pub(super) async fn healthz() -> impl IntoResponse {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "commit": crate::GIT_COMMIT,
    }))
}

/// How long `/readyz` waits for the database: well inside the one second a probe commonly
/// allows, so a busy or unreachable database is reported, never timed out on.
pub(super) const READINESS_BOUND: Duration = Duration::from_millis(500);

/// `GET /readyz`: the database answers within [`READINESS_BOUND`]. Otherwise 503 with the
/// reason (`DATABASE_UNREACHABLE`, `POOL_EXHAUSTED`, ...) and `Retry-After`, so a load
/// balancer stops sending work to an instance that could not serve it.
pub(super) async fn readyz(State(state): State<AppState>) -> Response {
    let db = &state.core.store().db;
    let reason = match tokio::time::timeout(READINESS_BOUND, db.ping()).await {
        Ok(Ok(())) => {
            return Json(json!({ "status": "ready", "database": "ok" })).into_response();
        }
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness check failed");
            Unavailable::of(&error).unwrap_or(Unavailable::DatabaseUnreachable)
        }
        Err(_) => Unavailable::ConnectionTimeout,
    };
    // No connection in time: the pool is exhausted if every connection is out, and the
    // database is not answering otherwise. Here, unlike in a request, the pool can be asked.
    let reason = match reason {
        Unavailable::ConnectionTimeout if pool_exhausted(db) => Unavailable::PoolExhausted,
        Unavailable::ConnectionTimeout => Unavailable::DatabaseUnreachable,
        other => other,
    };
    let body = json!({
        "status": "unavailable",
        "database": "unavailable",
        "reason": reason.as_str(),
    });
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(reason.retry_after_secs()),
    );
    response
}

/// Whether every connection of the pool is checked out.
fn pool_exhausted(db: &DatabaseConnection) -> bool {
    fn full<DB: sea_orm::sqlx::Database>(pool: &sea_orm::sqlx::Pool<DB>) -> bool {
        pool.num_idle() == 0 && pool.size() >= pool.options().get_max_connections()
    }
    match db.get_database_backend() {
        DbBackend::Postgres => full(db.get_postgres_connection_pool()),
        _ => full(db.get_sqlite_connection_pool()),
    }
}

/// `GET /schema.graphql`: the SDL, where introspection is allowed (it tells the same).
pub(super) async fn schema_sdl(State(state): State<AppState>) -> Response {
    if !state.limits.introspection {
        return super::json_error(
            StatusCode::NOT_FOUND,
            "the schema is not published on this server",
            "NOT_FOUND",
        );
    }
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        crate::schema::sdl(),
    )
        .into_response()
}
