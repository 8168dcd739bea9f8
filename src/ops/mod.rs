//! The operations endpoint: an HTTP listener (axum) for whoever watches a replica —
//! `/healthz` (the process answers), `/readyz` (database, scheduler and chat ready, else 503;
//! the JSON body names each part and why it is not ready) and `/metrics` (Prometheus text
//! through `prometheus-client`). [`Exporter`] implements the service's
//! [`crate::service::health::Metrics`] port; the readiness rules are the service's
//! ([`Monitor::health`]); this adapter only probes the database, keeps the registry and speaks
//! HTTP. It is off unless `[ops] listen` (or `--metrics-addr`) names an address.
//!
//! The gauges that describe the database rather than this process — the oldest due job's lag,
//! jobs due and overdue by kind, unresolved incidents by agreement and priority, dead webhook
//! deliveries by target (`vakt_webhooks_dead`) — are read at
//! each scrape, with one grouped query each, all within the database timeout: they count every
//! replica's jobs and cost nothing while nobody scrapes, and a scrape of a replica whose
//! database is down or hanging answers in time with the values of the last scrape that read
//! them.

use crate::domain::jobs::webhook;
use crate::domain::plan::JobKind;
use crate::service::health::{ChatState, DatabaseState, JobOutcome, Metrics, Monitor, PostOutcome};
use crate::service::ports::{Clock, DueJobs, Job, OpenIncidents, Store, StoreError};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::collections::BTreeSet;
use std::future::Future;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A metric's labels: name and value pairs.
type Labels = Vec<(&'static str, String)>;

/// Interaction latency buckets: 5 ms doubling to about 10 s (Discord wants an answer in 3 s).
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

/// Store call latency buckets: 0.5 ms doubling to about 8 s (past the default 5 s lock
/// timeout; the statement timeout's 10 s lands in +Inf).
fn store_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 15))
}

/// How long after its due time an unfinished job counts as overdue in `vakt_jobs_overdue`:
/// the scheduler looks every second, so a job a minute late is stuck (the store or chat
/// failing it, or no replica running) — or retrying, whose due time is its next attempt.
pub const OVERDUE_AFTER: chrono::Duration = chrono::Duration::seconds(60);

/// The Prometheus registry and the metrics vakt counts into it.
pub struct Exporter {
    registry: Registry,
    ticks: Family<Labels, Counter>,
    jobs: Family<Labels, Counter>,
    posts: Family<Labels, Counter>,
    interactions: Family<Labels, Counter>,
    interaction_seconds: Family<Labels, Histogram, fn() -> Histogram>,
    oldest_due_lag: Gauge<f64, AtomicU64>,
    gateway_connected: Gauge,
    leader: Gauge,
    jobs_due: Family<Labels, Gauge>,
    jobs_overdue: Family<Labels, Gauge>,
    incidents_open: Family<Labels, Gauge>,
    /// The agreement and priority pairs `incidents_open` has shown: set to 0 when none is
    /// left, rather than dropped.
    incidents_seen: Mutex<BTreeSet<(String, String)>>,
    breaches: Family<Labels, Counter>,
    store_seconds: Family<Labels, Histogram, fn() -> Histogram>,
    webhook_deliveries: Family<Labels, Counter>,
    webhooks_dead: Family<Labels, Gauge>,
    /// The targets `webhooks_dead` has shown: set to 0 when none is dead any more.
    webhooks_seen: Mutex<BTreeSet<String>>,
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
        let gateway_connected = Gauge::default();
        let leader = Gauge::default();
        let jobs_due = Family::<Labels, Gauge>::default();
        let jobs_overdue = Family::<Labels, Gauge>::default();
        let incidents_open = Family::<Labels, Gauge>::default();
        let breaches = Family::<Labels, Counter>::default();
        let store_seconds =
            Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(store_histogram as fn() -> Histogram);
        let webhook_deliveries = Family::<Labels, Counter>::default();
        let webhooks_dead = Family::<Labels, Gauge>::default();
        registry.register(
            "webhook_deliveries",
            "Webhook delivery attempts by target and outcome (delivered: 2xx; retried; dead: given up)",
            webhook_deliveries.clone(),
        );
        registry.register(
            "webhooks_dead",
            "Webhook deliveries given up (failed for good, kept in the job table), by target, at the last scrape",
            webhooks_dead.clone(),
        );
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
        registry.register(
            "gateway_connected",
            "1 while this replica's Discord gateway is connected, else 0",
            gateway_connected.clone(),
        );
        registry.register(
            "leader",
            "1 while this replica holds the Discord gateway (the leader lock), connected or not, else 0",
            leader.clone(),
        );
        registry.register(
            "jobs_due",
            "Unfinished jobs (pending or running) due now, by kind, at the last scrape",
            jobs_due.clone(),
        );
        registry.register(
            "jobs_overdue",
            "Unfinished jobs due more than 60 s ago, by kind, at the last scrape",
            jobs_overdue.clone(),
        );
        registry.register(
            "incidents_open",
            "Unresolved incidents (open or acknowledged) by agreement and priority, at the last scrape",
            incidents_open.clone(),
        );
        registry.register(
            "deadlines_breached",
            "Deadlines breached, by agreement and milestone, counted when this replica recorded the breach",
            breaches.clone(),
        );
        registry.register(
            "store_duration_seconds",
            "Time a store call took (real time, also when its caller gave up), by operation",
            store_seconds.clone(),
        );
        Exporter {
            registry,
            ticks,
            jobs,
            posts,
            interactions,
            interaction_seconds,
            oldest_due_lag,
            gateway_connected,
            leader,
            jobs_due,
            jobs_overdue,
            incidents_open,
            incidents_seen: Mutex::new(BTreeSet::new()),
            breaches,
            store_seconds,
            webhook_deliveries,
            webhooks_dead,
            webhooks_seen: Mutex::new(BTreeSet::new()),
        }
    }

    /// Sets the dead deliveries' gauge from the failed webhook jobs; a target shown before and
    /// without dead deliveries now is 0.
    fn set_dead_webhooks(&self, dead: &[Job]) {
        let Ok(mut seen) = self.webhooks_seen.lock() else {
            return;
        };
        let mut counts = std::collections::BTreeMap::<String, u64>::new();
        for j in dead {
            let target = webhook::target_of_key(&j.key).unwrap_or("unknown");
            *counts.entry(target.to_string()).or_default() += 1;
        }
        for target in seen.iter().filter(|t| !counts.contains_key(*t)) {
            self.webhooks_dead
                .get_or_create(&vec![("target", target.clone())])
                .set(0);
        }
        for (target, n) in &counts {
            self.webhooks_dead
                .get_or_create(&vec![("target", target.clone())])
                .set(gauge_value(*n));
        }
        seen.extend(counts.into_keys());
    }

    /// Sets the due and overdue gauges of every kind (0 for a kind not counted).
    fn set_due_jobs(&self, counts: &[DueJobs]) {
        for kind in JobKind::ALL {
            let count = counts.iter().find(|c| c.kind == *kind);
            let labels = vec![("kind", kind.as_str().to_string())];
            self.jobs_due
                .get_or_create(&labels)
                .set(gauge_value(count.map_or(0, |c| c.due)));
            self.jobs_overdue
                .get_or_create(&labels)
                .set(gauge_value(count.map_or(0, |c| c.overdue)));
        }
    }

    /// Sets the unresolved incidents' gauges; a pair shown before and not counted now is 0.
    fn set_open_incidents(&self, counts: &[OpenIncidents]) {
        let Ok(mut seen) = self.incidents_seen.lock() else {
            return;
        };
        let now: BTreeSet<(String, String)> = counts
            .iter()
            .map(|c| (c.agreement.to_string(), c.priority.clone()))
            .collect();
        for (agreement, priority) in seen.difference(&now) {
            self.incidents_open
                .get_or_create(&vec![("agreement", agreement.clone()), ("priority", priority.clone())])
                .set(0);
        }
        for c in counts {
            self.incidents_open
                .get_or_create(&vec![
                    ("agreement", c.agreement.to_string()),
                    ("priority", c.priority.clone()),
                ])
                .set(gauge_value(c.count));
        }
        seen.extend(now);
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

/// A count as a gauge's value.
fn gauge_value(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
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

    fn chat(&self, state: ChatState) {
        self.gateway_connected.set(i64::from(state == ChatState::Connected));
        self.leader.set(i64::from(state.leads()));
    }

    fn store_call(&self, op: &'static str, latency: Duration) {
        self.store_seconds
            .get_or_create(&vec![("op", op.to_string())])
            .observe(latency.as_secs_f64());
    }

    fn webhook(&self, target: &str, outcome: &str) {
        self.webhook_deliveries
            .get_or_create(&vec![("target", target.to_string()), ("outcome", outcome.to_string())])
            .inc();
    }

    fn breached(&self, agreement: &str, milestone: &str) {
        self.breaches
            .get_or_create(&vec![
                ("agreement", agreement.to_string()),
                ("milestone", milestone.to_string()),
            ])
            .inc();
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

/// What a scrape reads from the store.
struct Backlog {
    oldest_due: Option<DateTime<Utc>>,
    due: Vec<DueJobs>,
    open: Vec<OpenIncidents>,
    dead: Vec<Job>,
}

impl Ops {
    /// Runs `work` on the store within the timeout: its value and how the database did.
    async fn bounded<T>(&self, work: impl Future<Output = Result<T, StoreError>>) -> (Option<T>, DatabaseState) {
        let started = Instant::now();
        match tokio::time::timeout(self.database_timeout, work).await {
            Ok(Ok(value)) => (
                Some(value),
                DatabaseState::Reachable {
                    millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                },
            ),
            Ok(Err(e)) => (None, DatabaseState::Failing { error: e.to_string() }),
            Err(_) => (
                None,
                DatabaseState::TimedOut {
                    timeout_millis: u64::try_from(self.database_timeout.as_millis()).unwrap_or(u64::MAX),
                },
            ),
        }
    }

    /// Records the oldest due job's lag at `now`.
    fn set_lag(&self, due: Option<DateTime<Utc>>, now: DateTime<Utc>) {
        let lag = due.filter(|d| *d <= now).map_or(0.0, |d| (now - d).as_seconds_f64());
        self.exporter.oldest_due_lag.set(lag);
    }

    /// The readiness probe: asks the store for its oldest due job within the timeout;
    /// records the lag.
    async fn probe(&self) -> DatabaseState {
        let (due, state) = self.bounded(self.store.next_due()).await;
        if let Some(due) = due {
            self.set_lag(due, self.clock.now());
        }
        state
    }

    /// A scrape's reads: the oldest due job, jobs due and overdue by kind, unresolved
    /// incidents — together within the timeout. A failing or hanging store leaves the values
    /// of the last scrape that read them.
    async fn refresh(&self) {
        let now = self.clock.now();
        let read = async {
            Ok(Backlog {
                oldest_due: self.store.next_due().await?,
                due: self.store.due_jobs(now, now - OVERDUE_AFTER).await?,
                open: self.store.open_incidents().await?,
                dead: self.store.failed_jobs(JobKind::Webhook).await?,
            })
        };
        match self.bounded(read).await {
            (Some(backlog), _) => {
                self.set_lag(backlog.oldest_due, now);
                self.exporter.set_due_jobs(&backlog.due);
                self.exporter.set_open_incidents(&backlog.open);
                self.exporter.set_dead_webhooks(&backlog.dead);
            }
            (None, state) => tracing::debug!(?state, "metrics scrape: the database did not answer"),
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
    ops.refresh().await;
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
