//! The operations endpoint: an HTTP listener (axum) for whoever watches a replica —
//! `/healthz` (the process answers), `/readyz` (database, scheduler and chat ready, else 503;
//! the JSON body names each part and why it is not ready) and `/metrics` (Prometheus text
//! through `prometheus-client`). [`Exporter`] implements the service's
//! [`Metrics`](crate::service::health::Metrics) port; the readiness rules are the service's
//! ([`Monitor::health`]); this adapter only probes the database, keeps the registry and speaks
//! HTTP. It is off unless `[ops] listen` (or `--metrics-addr`) names an address.

use crate::service::health::{DatabaseState, JobOutcome, Metrics, Monitor, PostOutcome};
use crate::service::ports::{Clock, Store};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

/// A metric's labels: name and value pairs.
type Labels = Vec<(&'static str, String)>;

/// Interaction latency buckets: 5 ms doubling to about 10 s (Discord wants an answer in 3 s).
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

/// The Prometheus registry and the metrics vakt counts into it.
pub struct Exporter {
    registry: Registry,
    ticks: Family<Labels, Counter>,
    jobs: Family<Labels, Counter>,
    posts: Family<Labels, Counter>,
    interactions: Family<Labels, Counter>,
    interaction_seconds: Family<Labels, Histogram, fn() -> Histogram>,
    oldest_due_lag: Gauge<f64, AtomicU64>,
}

impl Default for Exporter {
    fn default() -> Self {
        Exporter::new()
    }
}

impl Exporter {
    /// A registry with every vakt metric registered (names prefixed `vakt_`).
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("vakt");
        let ticks = Family::<Labels, Counter>::default();
        let jobs = Family::<Labels, Counter>::default();
        let posts = Family::<Labels, Counter>::default();
        let interactions = Family::<Labels, Counter>::default();
        let interaction_seconds = Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        let oldest_due_lag = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "scheduler_ticks",
            "Scheduler ticks by result (ok, failed: the store refused the tick)",
            ticks.clone(),
        );
        registry.register(
            "jobs",
            "Jobs run by kind and outcome (done, retried, failed)",
            jobs.clone(),
        );
        registry.register(
            "posts",
            "Posts by job kind and outcome (sent; retried: the chat failed it and the job will try again; failed: for good)",
            posts.clone(),
        );
        registry.register(
            "interactions",
            "Discord interactions answered, by command",
            interactions.clone(),
        );
        registry.register(
            "interaction_duration_seconds",
            "Time from an interaction's arrival to its answer (real time), by command",
            interaction_seconds.clone(),
        );
        registry.register(
            "oldest_due_job_lag_seconds",
            "How long the oldest pending job has been due (0 when none is due), at the last scrape",
            oldest_due_lag.clone(),
        );
        Exporter {
            registry,
            ticks,
            jobs,
            posts,
            interactions,
            interaction_seconds,
            oldest_due_lag,
        }
    }

    /// The registry in Prometheus' text format.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

/// Counts one more in `family` under `kind` and `outcome`.
fn count_by_kind(family: &Family<Labels, Counter>, kind: &str, outcome: &str) {
    family
        .get_or_create(&vec![("kind", kind.to_string()), ("outcome", outcome.to_string())])
        .inc();
}

impl Metrics for Exporter {
    fn tick(&self, ok: bool) {
        let result = if ok { "ok" } else { "failed" };
        self.ticks.get_or_create(&vec![("result", result.to_string())]).inc();
    }

    fn job(&self, kind: &str, outcome: JobOutcome) {
        count_by_kind(&self.jobs, kind, outcome.code());
    }

    fn post(&self, kind: &str, outcome: PostOutcome) {
        count_by_kind(&self.posts, kind, outcome.code());
    }

    fn interaction(&self, command: &str, latency: Duration) {
        let labels = vec![("command", command.to_string())];
        self.interactions.get_or_create(&labels).inc();
        self.interaction_seconds
            .get_or_create(&labels)
            .observe(latency.as_secs_f64());
    }
}

/// What the endpoint reads: the replica's monitor and exporter, the store it probes within
/// `database_timeout`, and the service's clock.
pub struct Ops {
    /// The parts' reports.
    pub monitor: Arc<Monitor>,
    /// The metrics registry.
    pub exporter: Arc<Exporter>,
    /// The store probed for readiness and the oldest due job.
    pub store: Arc<dyn Store>,
    /// The service's clock (a fake one in tests).
    pub clock: Arc<dyn Clock>,
    /// How long the database probe may take before the database counts as unreachable.
    pub database_timeout: Duration,
}

impl Ops {
    /// Asks the store for its oldest due job within the timeout; records the lag.
    async fn probe(&self) -> DatabaseState {
        let started = Instant::now();
        match tokio::time::timeout(self.database_timeout, self.store.next_due()).await {
            Ok(Ok(due)) => {
                let now = self.clock.now();
                let lag = due.filter(|d| *d <= now).map_or(0.0, |d| (now - d).as_seconds_f64());
                self.exporter.oldest_due_lag.set(lag);
                DatabaseState::Reachable {
                    millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                }
            }
            Ok(Err(e)) => DatabaseState::Failing { error: e.to_string() },
            Err(_) => DatabaseState::TimedOut {
                timeout_millis: u64::try_from(self.database_timeout.as_millis()).unwrap_or(u64::MAX),
            },
        }
    }
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(ops): State<Arc<Ops>>) -> Response {
    let database = ops.probe().await;
    let health = ops.monitor.health(ops.clock.now(), database);
    let status = if health.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(health)).into_response()
}

async fn metrics(State(ops): State<Arc<Ops>>) -> Response {
    // The probe refreshes the oldest due job's lag; a failing store leaves the last value.
    let _ = ops.probe().await;
    match ops.exporter.encode() {
        Ok(body) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "encoding the metrics");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The endpoint's routes.
pub fn router(ops: Arc<Ops>) -> axum::Router {
    axum::Router::new()
        .route("/healthz", axum::routing::get(healthz))
        .route("/readyz", axum::routing::get(readyz))
        .route("/metrics", axum::routing::get(metrics))
        .with_state(ops)
}

/// Serves the endpoint on `listener` until `shutdown` turns true.
pub async fn serve(
    listener: tokio::net::TcpListener,
    ops: Arc<Ops>,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<()> {
    serve_with(listener, router(ops), shutdown).await
}

/// Serves `routes` (the endpoint's [`router`], with whatever the composition root merged into
/// it) on `listener` until `shutdown` turns true.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    routes: axum::Router,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<()> {
    axum::serve(listener, routes)
        .with_graceful_shutdown(async move {
            let _ = shutdown.wait_for(|stop| *stop).await;
        })
        .await
}
