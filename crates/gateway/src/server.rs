//! Building the application state and running the server with graceful shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use identity::rate_limit::RateLimits;
use identity::{IdentityConfig, IdentityState};
use kernel::Store;
use kernel::events::InProcessBus;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::http::cors::CorsSettings;
use crate::http::metrics::{Metrics, MetricsAccess};
use crate::http::{AppState, WS_CLOSE_GRACE, router};
use crate::limits::QueryLimits;
use crate::schema::{SchemaOptions, build_schema};

/// Everything that shapes the application, independent of where it came from (environment or
/// test code).
#[derive(Debug, Clone)]
pub struct AppSettings {
    pub production: bool,
    pub playground: bool,
    pub jwt_secret: Vec<u8>,
    pub rate_limits: RateLimits,
    pub limits: QueryLimits,
    pub cors: CorsSettings,
    /// Whether anyone may sign up a new organization.
    pub allow_registration: bool,
    /// The bearer token `/metrics` asks for (without one: open in development, off in
    /// production).
    pub metrics_token: Option<String>,
}

/// Builds the shared state over an open, migrated database.
pub fn build_state(db: DatabaseConnection, settings: &AppSettings) -> AppState {
    let store = Store::new(db, InProcessBus::shared());
    let core = IdentityState::new(
        store,
        &IdentityConfig {
            jwt_secret: settings.jwt_secret.clone(),
            rate_limits: settings.rate_limits,
            allow_registration: settings.allow_registration,
        },
        crate::schema::identity_hooks(),
    );
    let schema = build_schema(
        &core,
        SchemaOptions {
            production: settings.production,
            limits: settings.limits,
        },
    );
    AppState {
        schema,
        core,
        // What the schema enforces, introspection included (off in production).
        limits: QueryLimits {
            introspection: !settings.production,
            ..settings.limits
        },
        playground: settings.playground,
        cors: settings.cors.clone(),
        shutdown: CancellationToken::new(),
        cut_off: CancellationToken::new(),
        sockets: TaskTracker::new(),
        metrics: Metrics::default(),
        metrics_access: MetricsAccess::new(settings.metrics_token.clone(), settings.production),
    }
}

/// How long closing the pool may take at the end of shutdown. A connection whose request was
/// cut off may still be blocked in the database (on a lock, say); closing the process ends its
/// session, and the server rolls back what was never committed.
const POOL_CLOSE_GRACE: Duration = Duration::from_secs(1);

/// Serves until `signal` resolves, then shuts down: stops accepting, tells WebSockets to close,
/// lets in-flight requests finish within `grace`, cancels those still running after it (their
/// transactions roll back), closes the pool within [`POOL_CLOSE_GRACE`]. The whole takes at
/// most `grace` plus about two seconds. Cutting requests off is an error, so the process exits
/// with a non-zero code and the operator knows that work was refused.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    signal: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> anyhow::Result<()> {
    let shutdown = state.shutdown.clone();
    let cut_off = state.cut_off.clone();
    let sockets = state.sockets.clone();
    let db = state.core.store().db.clone();
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let trigger = shutdown.clone();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        signal.await;
        tracing::info!("shutting down: no new connections, finishing in-flight requests");
        trigger.cancel();
    });
    let deadline = async {
        shutdown.cancelled().await;
        tokio::time::sleep(grace).await;
    };
    let finished = tokio::select! {
        result = server => {
            result?;
            true
        }
        () = deadline => {
            tracing::warn!(?grace, "in-flight requests did not finish in time; cancelling them");
            cut_off.cancel();
            false
        }
    };
    sockets.close();
    if tokio::time::timeout(WS_CLOSE_GRACE, sockets.wait())
        .await
        .is_err()
    {
        tracing::warn!("some WebSocket connections did not close in time");
    }
    if tokio::time::timeout(POOL_CLOSE_GRACE, db.close_by_ref())
        .await
        .is_err()
    {
        tracing::warn!("database connections still busy; leaving them to the process exit");
    }
    if !finished {
        anyhow::bail!("stopped after cancelling requests that were still running at the deadline");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Keeps the process alive when a write goes past the file-size limit (`ulimit -f`): by
/// default SIGXFSZ kills it, with every in-flight request. With the signal handled, the write
/// fails with an error instead, which the client gets as `SERVICE_UNAVAILABLE`
/// (`STORAGE_FULL`), and the server carries on once the limit is raised, like on a full disk.
/// A handled signal stays handled for the life of the process, so nothing needs to listen.
pub fn survive_file_size_limit() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Err(error) = signal(SignalKind::from_raw(libc::SIGXFSZ)) {
            tracing::warn!(%error, "cannot handle SIGXFSZ; a file-size limit would stop the server");
        }
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
