//! `GET /metrics`: counters and gauges in Prometheus's text format, for dashboards and alerts.
//!
//! Requests by route and status; GraphQL operations by name and outcome with a latency
//! histogram; GraphQL errors by code; the database pool; open WebSockets; the process's
//! memory; the build. Written by hand (the format is a few lines of text) rather than through a
//! metrics library. Operation names come from clients, so only the first
//! [`MAX_OPERATION_NAMES`] distinct ones get their own series; later ones count as `other`.
//!
//! Access: with `CRM_METRICS_TOKEN` set, only `Authorization: Bearer <token>`; without it, open
//! in development and not served in production.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{DatabaseConnection, DbBackend};

use super::{AppState, json_error};

/// Distinct operation names that get series of their own.
pub const MAX_OPERATION_NAMES: usize = 200;

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Who may read `/metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricsAccess {
    /// Anyone (development without a token).
    Open,
    /// Only with this bearer token.
    Token(String),
    /// Nobody (production without a token).
    Closed,
}

impl MetricsAccess {
    /// The rule for a deployment: the token when one is set, else open in development only.
    pub fn new(token: Option<String>, production: bool) -> Self {
        match token.filter(|t| !t.is_empty()) {
            Some(token) => Self::Token(token),
            None if production => Self::Closed,
            None => Self::Open,
        }
    }
}

/// A latency histogram: counts per bucket, their sum and count.
#[derive(Debug, Default, Clone)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        for (bound, count) in BUCKETS.iter().zip(self.buckets.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
        self.count += 1;
        self.sum += seconds;
    }
}

#[derive(Debug, Default)]
struct Counters {
    /// (route, status) → requests.
    http: BTreeMap<(String, u16), u64>,
    /// (operation, type, outcome) → latency.
    operations: BTreeMap<(String, String, &'static str), Histogram>,
    /// error code → errors.
    errors: BTreeMap<String, u64>,
    /// The operation names that have series of their own.
    operation_names: std::collections::HashSet<String>,
}

/// The server's metrics, shared by every request.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    counters: Arc<Mutex<Counters>>,
}

/// One GraphQL operation, as the metrics count it.
#[derive(Debug, Clone, Copy)]
pub struct OperationSample<'a> {
    pub name: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub error_codes: &'a [String],
}

impl Metrics {
    /// Counts a finished HTTP request, and the GraphQL operation it ran if any.
    pub fn record(
        &self,
        route: &str,
        status: u16,
        elapsed: Duration,
        operation: Option<OperationSample<'_>>,
    ) {
        let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        *counters.http.entry((route.to_owned(), status)).or_default() += 1;
        let Some(operation) = operation else {
            return;
        };
        let mut name = operation.name.unwrap_or("anonymous").to_owned();
        if !counters.operation_names.contains(&name) {
            if counters.operation_names.len() < MAX_OPERATION_NAMES {
                counters.operation_names.insert(name.clone());
            } else {
                name = "other".to_owned();
            }
        }
        let outcome = if operation.error_codes.is_empty() {
            "ok"
        } else {
            "error"
        };
        let kind = operation.kind.unwrap_or("unknown").to_owned();
        counters
            .operations
            .entry((name, kind, outcome))
            .or_default()
            .observe(elapsed.as_secs_f64());
        for code in operation.error_codes {
            *counters.errors.entry(code.clone()).or_default() += 1;
        }
    }

    /// The exposition text, with the gauges read now.
    fn render(&self, state: &AppState) -> String {
        let mut out = String::new();
        let counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        header(
            &mut out,
            "crm_http_requests_total",
            "counter",
            "HTTP requests by route and status.",
        );
        for ((route, status), count) in &counters.http {
            let _ = writeln!(
                out,
                "crm_http_requests_total{{route=\"{}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        header(
            &mut out,
            "crm_graphql_request_duration_seconds",
            "histogram",
            "GraphQL operations by name, type and outcome (ok, or error when any error was returned), with their latency.",
        );
        for ((name, kind, outcome), histogram) in &counters.operations {
            let labels = format!(
                "operation=\"{}\",type=\"{}\",outcome=\"{outcome}\"",
                escape(name),
                escape(kind)
            );
            for (bound, count) in BUCKETS.iter().zip(histogram.buckets) {
                let _ = writeln!(
                    out,
                    "crm_graphql_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "crm_graphql_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "crm_graphql_request_duration_seconds_sum{{{labels}}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "crm_graphql_request_duration_seconds_count{{{labels}}} {}",
                histogram.count
            );
        }
        header(
            &mut out,
            "crm_graphql_errors_total",
            "counter",
            "GraphQL errors by extensions.code.",
        );
        for (code, count) in &counters.errors {
            let _ = writeln!(
                out,
                "crm_graphql_errors_total{{code=\"{}\"}} {count}",
                escape(code)
            );
        }
        drop(counters);

        let pool = pool_state(&state.core.store().db);
        header(
            &mut out,
            "crm_db_pool_connections",
            "gauge",
            "Database connections by state.",
        );
        let _ = writeln!(
            out,
            "crm_db_pool_connections{{state=\"in_use\"}} {}",
            pool.in_use
        );
        let _ = writeln!(
            out,
            "crm_db_pool_connections{{state=\"idle\"}} {}",
            pool.idle
        );
        header(
            &mut out,
            "crm_db_pool_waiting",
            "gauge",
            "Requests waiting for a database connection.",
        );
        let _ = writeln!(out, "crm_db_pool_waiting {}", pool.waiting);
        header(
            &mut out,
            "crm_db_pool_max_connections",
            "gauge",
            "The pool's size limit.",
        );
        let _ = writeln!(out, "crm_db_pool_max_connections {}", pool.max);
        header(
            &mut out,
            "crm_websocket_connections",
            "gauge",
            "Open subscription sockets.",
        );
        let _ = writeln!(out, "crm_websocket_connections {}", state.sockets.len());
        if let Some(bytes) = resident_memory_bytes() {
            header(
                &mut out,
                "process_resident_memory_bytes",
                "gauge",
                "Resident memory of the process.",
            );
            let _ = writeln!(out, "process_resident_memory_bytes {bytes}");
        }
        header(&mut out, "crm_build_info", "gauge", "The running build.");
        let _ = writeln!(
            out,
            "crm_build_info{{version=\"{}\",commit=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION"),
            crate::GIT_COMMIT
        );
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value as the text format wants it: backslash, quote and newline escaped.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

struct PoolState {
    in_use: u32,
    idle: u32,
    waiting: usize,
    max: u32,
}

fn pool_state(db: &DatabaseConnection) -> PoolState {
    fn of<DB: sea_orm::sqlx::Database>(pool: &sea_orm::sqlx::Pool<DB>) -> PoolState {
        let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX);
        PoolState {
            in_use: pool.size().saturating_sub(idle),
            idle,
            waiting: pool.num_waiting(),
            max: pool.options().get_max_connections(),
        }
    }
    match db.get_database_backend() {
        DbBackend::Postgres => of(db.get_postgres_connection_pool()),
        _ => of(db.get_sqlite_connection_pool()),
    }
}

/// The resident set size from `/proc/self/statm` (Linux); `None` elsewhere.
fn resident_memory_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match &state.metrics_access {
        MetricsAccess::Open => {}
        MetricsAccess::Closed => {
            return json_error(
                StatusCode::NOT_FOUND,
                "metrics are not served here without CRM_METRICS_TOKEN",
                "NOT_FOUND",
            );
        }
        MetricsAccess::Token(token) => {
            let presented = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            if !presented.is_some_and(|p| constant_time_eq(p.as_bytes(), token.as_bytes())) {
                return json_error(
                    StatusCode::UNAUTHORIZED,
                    "metrics need Authorization: Bearer <CRM_METRICS_TOKEN>",
                    "UNAUTHENTICATED",
                );
            }
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(&state),
    )
        .into_response()
}

/// Compares without leaking, through timing, how much of the token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_chosen_operation_names_are_bounded() {
        let metrics = Metrics::default();
        for n in 0..MAX_OPERATION_NAMES + 5 {
            let name = format!("Op{n}");
            metrics.record(
                "/graphql",
                200,
                Duration::from_millis(3),
                Some(OperationSample {
                    name: Some(&name),
                    kind: Some("query"),
                    error_codes: &[],
                }),
            );
        }
        let counters = metrics.counters.lock().expect("lock");
        let names: std::collections::BTreeSet<&str> = counters
            .operations
            .keys()
            .map(|(n, _, _)| n.as_str())
            .collect();
        assert_eq!(names.len(), MAX_OPERATION_NAMES + 1);
        assert!(names.contains("other"));
    }

    #[test]
    fn a_histogram_counts_into_every_bucket_above_the_value() {
        let mut histogram = Histogram::default();
        histogram.observe(0.03);
        assert_eq!(histogram.buckets[..3], [0, 0, 0]);
        assert!(histogram.buckets[3..].iter().all(|c| *c == 1));
        assert_eq!(histogram.count, 1);
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
