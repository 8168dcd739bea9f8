//! The health and metrics endpoint (`[ops] listen`): `/healthz` answers, `/readyz` follows the
//! scheduler (twice its interval of the fake clock) and the database (an error or no answer
//! within the timeout), failing with 503 and naming the part, and recovering; `/metrics`
//! speaks Prometheus' text format with vakt's metrics. Requests go over a real socket to
//! the listener the application starts.

use crate::common::{Harness, facts, responder};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use vakt::domain::ids::{AgreementId, IncidentId, MessageId, UserId};
use vakt::domain::incident::{Incident, TimelineEntry};
use vakt::domain::maintenance::MaintenanceWindow;
use vakt::domain::meeting::MeetingPoint;
use vakt::service::ports::*;

const OPS: &str = "[ops]\nlisten = \"127.0.0.1:0\"\n";

/// One GET over a fresh connection: the status code and the body.
async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut conn = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: vakt\r\nConnection: close\r\n\r\n");
    conn.write_all(request.as_bytes()).await.expect("send");
    let mut response = String::new();
    conn.read_to_string(&mut response).await.expect("read");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {response:?}"));
    let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_string();
    (status, body)
}

/// `/readyz`: the status and the parts named not ready.
async fn readiness(addr: std::net::SocketAddr) -> (u16, Vec<String>) {
    let (status, body) = get(addr, "/readyz").await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(json["ready"], status == 200, "{body}");
    let parts = json["not_ready"]
        .as_array()
        .expect("not_ready")
        .iter()
        .map(|p| p.as_str().unwrap_or_default().to_string())
        .collect();
    (status, parts)
}

/// The endpoint of a harness configured with `[ops] listen`, as the application starts it.
async fn endpoint(h: &Harness) -> (std::net::SocketAddr, tokio::sync::watch::Sender<bool>) {
    let (stop, rx) = tokio::sync::watch::channel(false);
    let (addr, _task) = vakt::app::start_ops(&h.app, rx)
        .await
        .expect("bind")
        .expect("configured");
    (addr, stop)
}

/// A harness serving the endpoint, with an Inera incident opened Monday 10:00 (its first posts
/// due at once, not run).
async fn serving_an_open_incident() -> (
    Harness,
    std::net::SocketAddr,
    tokio::sync::watch::Sender<bool>,
    vakt::domain::incident::Incident,
) {
    let h = Harness::with_config("2026-11-23T10:00:00+01:00", OPS).await;
    let (addr, stop) = endpoint(&h).await;
    let inc = h
        .service()
        .open(&responder(), "inera", "Journalen down", "", facts("unusable"))
        .await
        .expect("open");
    (h, addr, stop, inc)
}

/// A harness serving the endpoint, with an SSBTEK P1 opened Friday 16:30 and run to
/// `until`: its response is due Friday 17:00, its ladder climbs on in Monday's business hours.
async fn serving_an_ssbtek_p1(until: &str) -> (Harness, std::net::SocketAddr, tokio::sync::watch::Sender<bool>) {
    let h = Harness::with_config("2026-11-20T16:30:00+01:00", OPS).await;
    let (addr, stop) = endpoint(&h).await;
    h.service()
        .open(&responder(), "ssbtek", "SHS down", "", facts("1"))
        .await
        .expect("open");
    h.advance(until).await;
    (h, addr, stop)
}

#[tokio::test]
async fn without_ops_listen_there_is_no_endpoint() {
    let h = Harness::start("2026-11-23T10:00:00+01:00").await;
    let (_stop, rx) = tokio::sync::watch::channel(false);
    assert!(
        vakt::app::start_ops(&h.app, rx)
            .await
            .expect("nothing to bind")
            .is_none()
    );
    assert!(h.app.exporter.is_none());
}

#[tokio::test]
async fn a_stalled_scheduler_makes_readyz_fail_until_it_ticks_again() {
    let h = Harness::with_config("2026-11-23T10:00:00+01:00", OPS).await;
    let (addr, _stop) = endpoint(&h).await;
    assert_eq!(get(addr, "/healthz").await.0, 200);

    // Not ready before the first tick.
    assert_eq!(readiness(addr).await, (503, vec!["scheduler".to_string()]));
    h.scheduler().tick(h.now()).await.expect("tick");
    assert_eq!(readiness(addr).await, (200, vec![]));

    // The interval is 1 s: 2 s without a tick is still ready, 3 s is stalled.
    h.set_clock(h.now() + chrono::Duration::seconds(2));
    assert_eq!(readiness(addr).await.0, 200);
    h.set_clock(h.now() + chrono::Duration::seconds(1));
    assert_eq!(readiness(addr).await, (503, vec!["scheduler".to_string()]));
    let (_, body) = get(addr, "/readyz").await;
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["scheduler"]["state"], "stalled", "{body}");
    assert_eq!(json["database"]["state"], "reachable", "{body}");

    // It recovers with the next tick.
    h.scheduler().tick(h.now()).await.expect("tick");
    assert_eq!(readiness(addr).await, (200, vec![]));
}

#[tokio::test]
async fn metrics_count_ticks_jobs_by_kind_and_the_oldest_due_job() {
    let (h, addr, _stop, _) = serving_an_open_incident().await;
    // Jobs are due now and nothing ran them: the oldest is 5 minutes late at the scrape.
    h.set_clock(h.now() + chrono::Duration::minutes(5));
    let (status, body) = get(addr, "/metrics").await;
    assert_eq!(status, 200);
    assert!(body.contains("vakt_oldest_due_job_lag_seconds 300.0"), "{body}");

    h.scheduler().tick(h.now()).await.expect("tick");
    let (_, body) = get(addr, "/metrics").await;
    assert!(body.contains("vakt_scheduler_ticks_total{result=\"ok\"} 1"), "{body}");
    assert!(
        body.lines()
            .any(|l| l.starts_with("vakt_jobs_total{") && l.contains("outcome=\"done\"") && l.contains("kind=\"")),
        "{body}"
    );
    assert!(body.contains("vakt_oldest_due_job_lag_seconds 0"), "{body}");
    assert!(body.trim_end().ends_with("# EOF"), "{body}");
}

/// One sample of a `/metrics` body: the value of `name` with exactly these labels.
fn sample(body: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    body.lines().find_map(|line| {
        let (series, value) = line.rsplit_once(' ')?;
        let (metric, rest) = series.split_once('{').unwrap_or((series, "}"));
        let mut found: Vec<(&str, &str)> = rest
            .trim_end_matches('}')
            .split(',')
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k, v.trim_matches('"')))
            .collect();
        let mut wanted = labels.to_vec();
        found.sort();
        wanted.sort();
        (metric == name && found == wanted).then(|| value.parse().ok())?
    })
}

/// Jobs due and overdue (60 s) by kind, every kind shown; unresolved incidents by agreement
/// and priority, dropping to 0 when resolved — all read from the store at the scrape.
#[tokio::test]
async fn metrics_count_jobs_due_and_overdue_by_kind_and_unresolved_incidents() {
    let (h, addr, _stop, inc) = serving_an_open_incident().await;
    let priority = inc.priority().to_string();
    let due_now = h
        .jobs_of(inc.id())
        .await
        .into_iter()
        .filter(|j| j.due_at <= h.now())
        .count();
    assert!(due_now > 0, "opening plans posts due at once");

    // 30 s later they are due, not yet overdue.
    h.set_clock(h.now() + chrono::Duration::seconds(30));
    let (status, body) = get(addr, "/metrics").await;
    assert_eq!(status, 200);
    let total = |body: &str, name: &str| -> f64 {
        vakt::domain::plan::JobKind::ALL
            .iter()
            .map(|k| sample(body, name, &[("kind", k.as_str())]).unwrap_or_else(|| panic!("{name} of {k}: {body}")))
            .sum()
    };
    assert_eq!(total(&body, "vakt_jobs_due"), due_now as f64, "{body}");
    assert_eq!(total(&body, "vakt_jobs_overdue"), 0.0, "{body}");
    let open = [("agreement", "inera"), ("priority", priority.as_str())];
    assert_eq!(sample(&body, "vakt_incidents_open", &open), Some(1.0), "{body}");

    // Past the minute they are overdue; once run, neither.
    h.set_clock(h.now() + chrono::Duration::seconds(31));
    let (_, body) = get(addr, "/metrics").await;
    assert_eq!(total(&body, "vakt_jobs_overdue"), due_now as f64, "{body}");
    h.tick().await;
    let (_, body) = get(addr, "/metrics").await;
    assert_eq!(total(&body, "vakt_jobs_due"), 0.0, "{body}");
    assert_eq!(total(&body, "vakt_jobs_overdue"), 0.0, "{body}");

    // Acknowledged is still unresolved; resolved is not, and its series stays at 0.
    h.service().acknowledge(&responder(), inc.id()).await.expect("ack");
    let (_, body) = get(addr, "/metrics").await;
    assert_eq!(sample(&body, "vakt_incidents_open", &open), Some(1.0), "{body}");
    h.service()
        .resolve(&responder(), inc.id(), vakt::domain::incident::Resolution::Fix, None)
        .await
        .expect("resolve");
    let (_, body) = get(addr, "/metrics").await;
    assert_eq!(sample(&body, "vakt_incidents_open", &open), Some(0.0), "{body}");
}

/// Every store call is timed under its port method's name.
#[tokio::test]
async fn metrics_time_store_calls_by_operation() {
    let (h, addr, _stop, _) = serving_an_open_incident().await;
    h.tick().await;
    let (_, body) = get(addr, "/metrics").await;
    for op in [
        "insert_numbered",
        "claim",
        "update_incident",
        "next_due",
        "due_jobs",
        "open_incidents",
    ] {
        let count = sample(&body, "vakt_store_duration_seconds_count", &[("op", op)]);
        assert!(count.is_some_and(|n| n >= 1.0), "{op}: {body}");
    }
    assert!(
        body.contains("vakt_store_duration_seconds_bucket{le=\"0.0005\",op=\"claim\"}")
            || body.contains("vakt_store_duration_seconds_bucket{op=\"claim\",le=\"0.0005\"}"),
        "a histogram with buckets: {body}"
    );
}

/// A breach is counted once, when it is recorded, by agreement and milestone; the further
/// steps of its escalation are not breaches.
#[tokio::test]
async fn metrics_count_a_breach_when_it_is_recorded() {
    let (h, addr, _stop) = serving_an_ssbtek_p1("2026-11-20T16:59:00+01:00").await;
    let breached = [("agreement", "ssbtek"), ("milestone", "response")];
    let (_, body) = get(addr, "/metrics").await;
    assert_eq!(
        sample(&body, "vakt_deadlines_breached_total", &breached),
        None,
        "{body}"
    );
    // Response due 17:00; the ladder climbs on in the following hours of business time.
    h.advance("2026-11-23T12:00:00+01:00").await;
    let (_, body) = get(addr, "/metrics").await;
    assert_eq!(
        sample(&body, "vakt_deadlines_breached_total", &breached),
        Some(1.0),
        "{body}"
    );
}

/// The example alerting rules, as Prometheus reads a rule file.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    groups: Vec<RuleGroup>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleGroup {
    name: String,
    rules: Vec<Rule>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    alert: String,
    expr: String,
    #[serde(rename = "for")]
    pending: Option<String>,
    labels: std::collections::BTreeMap<String, String>,
    annotations: std::collections::BTreeMap<String, String>,
}

/// Every `vakt_*` metric an expression names, with the label names its selector matches on.
fn metrics_named(expr: &str) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    let mut rest = expr;
    while let Some(start) = rest.find("vakt_") {
        let boundary = !rest[..start].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        let (name, after) = tail.split_at(end);
        let mut labels = Vec::new();
        if let Some(selector) = after.strip_prefix('{') {
            let inside = selector.split('}').next().unwrap_or_default();
            for matcher in inside.split(',').filter(|m| !m.trim().is_empty()) {
                let key = matcher.split(['=', '!']).next().unwrap_or_default().trim();
                labels.push(key.to_string());
            }
        }
        if boundary {
            found.push((name.to_string(), labels));
        }
        rest = after;
    }
    found
}

/// Every sample's metric name in a scrape, with the label names it carries.
fn scraped(body: &str) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut names = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    for line in body.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let series = line.rsplit_once(' ').map_or(line, |(s, _)| s);
        let (name, labels) = series.split_once('{').unwrap_or((series, ""));
        let keys = names.entry(name.to_string()).or_default();
        for pair in labels.trim_end_matches('}').split(',').filter(|p| !p.is_empty()) {
            keys.insert(pair.split('=').next().unwrap_or_default().to_string());
        }
    }
    names
}

/// `docs/alerts.yml` is a Prometheus rule file (vakt down, scheduler lagging, posts failing
/// among its alerts) and `docs/grafana-dashboard.json` a dashboard; every `vakt_*` metric
/// either names, and every label it matches on, is in a scrape of a service that ran jobs,
/// recorded a breach and answered an interaction.
#[tokio::test]
async fn the_alerting_rules_and_the_dashboard_name_only_exported_metrics() {
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let text = std::fs::read_to_string(docs.join("alerts.yml")).expect("docs/alerts.yml");
    let rules: RuleFile = serde_norway::from_str(&text).unwrap_or_else(|e| panic!("docs/alerts.yml: {e}"));
    let mut exprs = Vec::new();
    let mut alerts = std::collections::BTreeSet::new();
    for group in &rules.groups {
        assert!(!group.name.is_empty() && !group.rules.is_empty(), "{group:?}");
        for rule in &group.rules {
            assert!(alerts.insert(rule.alert.clone()), "alert {} twice", rule.alert);
            assert!(
                rule.labels.contains_key("severity") && rule.annotations.contains_key("summary"),
                "{} has a severity and a summary",
                rule.alert
            );
            if let Some(pending) = &rule.pending {
                let (n, unit) = pending.split_at(pending.len().saturating_sub(1));
                assert!(
                    n.parse::<u32>().is_ok() && ["s", "m", "h"].contains(&unit),
                    "{}: for: {pending}",
                    rule.alert
                );
            }
            exprs.push((format!("alert {}", rule.alert), rule.expr.clone()));
        }
    }
    for alert in ["VaktDown", "VaktSchedulerLagging", "VaktPostsFailing"] {
        assert!(alerts.contains(alert), "docs/alerts.yml has {alert}");
    }
    let text = std::fs::read_to_string(docs.join("grafana-dashboard.json")).expect("docs/grafana-dashboard.json");
    let dashboard: serde_json::Value = serde_json::from_str(&text).expect("docs/grafana-dashboard.json");
    assert!(dashboard["title"].is_string() && dashboard["uid"].is_string());
    let panels = dashboard["panels"].as_array().expect("panels");
    for panel in panels.iter().filter(|p| p["type"] != "row") {
        let title = panel["title"].as_str().expect("a panel has a title");
        let targets = panel["targets"].as_array().expect("a panel has targets");
        assert!(!targets.is_empty() && panel["gridPos"].is_object(), "panel {title}");
        for target in targets {
            let expr = target["expr"]
                .as_str()
                .unwrap_or_else(|| panic!("panel {title}: a target's expr"));
            exprs.push((format!("panel {title}"), expr.to_string()));
        }
    }

    // A service that ran jobs, recorded a breach and answered an interaction.
    let (h, addr, _stop) = serving_an_ssbtek_p1("2026-11-23T12:00:00+01:00").await;
    // The Discord adapter counts its interactions through the port (tested there against
    // the fake); here it is enough that the family exists.
    h.app
        .monitor
        .metrics()
        .interaction("incident", std::time::Duration::from_millis(20));
    // Likewise a post's outcome and the gateway's state (tested against the fake Discord).
    h.app
        .monitor
        .metrics()
        .post("announce", vakt::service::health::PostOutcome::Retried);
    // And a webhook delivery given up on (tested in tests/it/webhooks.rs).
    h.app.monitor.metrics().webhook("portal", "dead");
    h.app.monitor.set_chat(vakt::service::health::ChatState::Connected);
    let (status, body) = get(addr, "/metrics").await;
    assert_eq!(status, 200);
    let exported = scraped(&body);

    for (place, expr) in &exprs {
        let named = metrics_named(expr);
        assert!(
            !named.is_empty() || expr.contains("up{job=\"vakt\"}"),
            "{place} watches vakt: {expr}"
        );
        for (metric, labels) in named {
            let Some(keys) = exported.get(&metric) else {
                panic!("{place} names {metric}, which vakt does not export: {expr}\n{body}");
            };
            for label in labels {
                assert!(keys.contains(&label), "{place}: {metric} has no label {label}: {expr}");
            }
        }
    }
}

/// A store that can be switched unreachable (every call fails) or hanging (no call answers).
/// The Discord inbound tests use it too.
pub(crate) struct Switchable {
    pub(crate) inner: Arc<dyn Store>,
    pub(crate) mode: AtomicU8,
}

pub(crate) const UP: u8 = 0;
pub(crate) const DOWN: u8 = 1;
pub(crate) const HANGING: u8 = 2;
/// Up, except that every incident update fails (a job's record, say).
pub(crate) const UPDATES_DOWN: u8 = 3;

impl Switchable {
    /// Whether a call may go on: at once when up, an error when down, and while hanging no
    /// answer until the mode changes.
    async fn up(&self) -> Result<(), StoreError> {
        loop {
            match self.mode.load(Ordering::SeqCst) {
                UP | UPDATES_DOWN => return Ok(()),
                DOWN => return Err(StoreError::Database("connection refused".into())),
                _ => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
            }
        }
    }
}

/// A store call its caller stopped waiting for (the database hangs) is timed too, for as long
/// as it was waited for; a failing one as well.
#[tokio::test]
async fn store_calls_given_up_on_or_failing_are_timed() {
    let h = Harness::start("2026-11-23T10:00:00+01:00").await;
    let exporter = Arc::new(vakt::ops::Exporter::new());
    let store = Arc::new(Switchable {
        inner: h.app.store.clone(),
        mode: AtomicU8::new(HANGING),
    });
    let metered = vakt::service::metered::MeteredStore::new(store.clone(), exporter.clone());
    let wait = std::time::Duration::from_millis(50);
    assert!(
        tokio::time::timeout(wait, metered.next_due()).await.is_err(),
        "it hangs"
    );
    store.mode.store(DOWN, Ordering::SeqCst);
    assert!(metered.next_due().await.is_err(), "it fails");
    let body = exporter.encode().expect("encode");
    let op = [("op", "next_due")];
    assert_eq!(
        sample(&body, "vakt_store_duration_seconds_count", &op),
        Some(2.0),
        "{body}"
    );
    let sum = sample(&body, "vakt_store_duration_seconds_sum", &op).expect("a sum");
    assert!(sum >= wait.as_secs_f64(), "the abandoned call counts its wait: {body}");
}

#[tokio::test]
async fn an_unreachable_database_makes_readyz_fail_until_it_answers_again() {
    let h = Harness::with_config("2026-11-23T10:00:00+01:00", OPS).await;
    let store = Arc::new(Switchable {
        inner: h.app.store.clone(),
        mode: AtomicU8::new(UP),
    });
    let ops = Arc::new(vakt::ops::Ops {
        monitor: h.app.monitor.clone(),
        exporter: h.app.exporter.clone().expect("exporter"),
        store: store.clone(),
        clock: h.clock.clone(),
        database_timeout: std::time::Duration::from_millis(50),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (_stop, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(vakt::ops::serve(listener, ops, rx));
    h.scheduler().tick(h.now()).await.expect("tick");
    assert_eq!(readiness(addr).await, (200, vec![]));
    assert_eq!(get(addr, "/metrics").await.0, 200, "a scrape reads the counts");

    store.mode.store(DOWN, Ordering::SeqCst);
    assert_eq!(readiness(addr).await, (503, vec!["database".to_string()]));
    let (_, body) = get(addr, "/readyz").await;
    assert!(
        body.contains("\"failing\"") && body.contains("connection refused"),
        "{body}"
    );
    assert_eq!(get(addr, "/healthz").await.0, 200, "the process still answers");

    // A database that never answers is not ready once its timeout has passed.
    store.mode.store(HANGING, Ordering::SeqCst);
    let (_, body) = get(addr, "/readyz").await;
    assert!(body.contains("\"timed_out\""), "{body}");
    // A scrape does not hang with it: it answers with the values last read.
    let (status, body) = get(addr, "/metrics").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("vakt_jobs_due{kind=\"warning\"} 0"), "{body}");

    store.mode.store(UP, Ordering::SeqCst);
    assert_eq!(readiness(addr).await, (200, vec![]));
}

#[async_trait::async_trait]
impl IncidentStore for Switchable {
    async fn next_sequence(&self, prefix: &str, year: i32) -> Result<u32, StoreError> {
        self.up().await?;
        self.inner.next_sequence(prefix, year).await
    }
    async fn insert_incident(&self, incident: &Incident, change: &Change) -> Result<Incident, StoreError> {
        self.up().await?;
        self.inner.insert_incident(incident, change).await
    }
    async fn insert_numbered(
        &self,
        prefix: &str,
        year: i32,
        make: &vakt::service::ports::MakeIncident<'_>,
    ) -> Result<Incident, StoreError> {
        self.up().await?;
        self.inner.insert_numbered(prefix, year, make).await
    }
    async fn update_incident(&self, incident: &Incident, change: &Change) -> Result<Incident, StoreError> {
        self.up().await?;
        if self.mode.load(Ordering::SeqCst) == UPDATES_DOWN {
            return Err(StoreError::Database("disk I/O error (test)".into()));
        }
        self.inner.update_incident(incident, change).await
    }
    async fn incident(&self, id: &IncidentId) -> Result<Option<Incident>, StoreError> {
        self.up().await?;
        self.inner.incident(id).await
    }
    async fn incidents(&self, filter: &IncidentFilter) -> Result<Vec<Incident>, StoreError> {
        self.up().await?;
        self.inner.incidents(filter).await
    }
    async fn timeline(&self, id: &IncidentId) -> Result<Vec<TimelineEntry>, StoreError> {
        self.up().await?;
        self.inner.timeline(id).await
    }
    async fn timelines(
        &self,
        ids: &[IncidentId],
        types: &[&str],
    ) -> Result<Vec<(IncidentId, Vec<TimelineEntry>)>, StoreError> {
        self.up().await?;
        self.inner.timelines(ids, types).await
    }
    async fn latest_activity(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.up().await?;
        self.inner.latest_activity().await
    }
    async fn open_incidents(&self) -> Result<Vec<OpenIncidents>, StoreError> {
        self.up().await?;
        self.inner.open_incidents().await
    }
}

#[async_trait::async_trait]
impl JobStore for Switchable {
    async fn schedule(&self, jobs: &[NewJob]) -> Result<(), StoreError> {
        self.up().await?;
        self.inner.schedule(jobs).await
    }
    async fn requeue_expired(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        self.up().await?;
        self.inner.requeue_expired(now).await
    }
    async fn renew(&self, id: i64, owner: &str, lease_until: DateTime<Utc>) -> Result<(), StoreError> {
        self.up().await?;
        self.inner.renew(id, owner, lease_until).await
    }
    async fn release(&self, owner: &str) -> Result<u64, StoreError> {
        self.up().await?;
        self.inner.release(owner).await
    }
    async fn claim(
        &self,
        now: DateTime<Utc>,
        owner: &str,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Job>, StoreError> {
        self.up().await?;
        self.inner.claim(now, owner, lease_until, limit).await
    }
    async fn finish(&self, finish: &FinishJob) -> Result<(), StoreError> {
        self.up().await?;
        self.inner.finish(finish).await
    }
    async fn finish_many(&self, finishes: &[FinishJob]) -> Result<Vec<Result<(), StoreError>>, StoreError> {
        self.up().await?;
        self.inner.finish_many(finishes).await
    }
    async fn postpone(&self, id: i64, owner: &str, until: DateTime<Utc>) -> Result<(), StoreError> {
        self.up().await?;
        self.inner.postpone(id, owner, until).await
    }
    async fn unfinished_jobs(&self, incident: &IncidentId) -> Result<Vec<Job>, StoreError> {
        self.up().await?;
        self.inner.unfinished_jobs(incident).await
    }
    async fn job_inputs(
        &self,
        jobs: &[Job],
        unfinished_kinds: &[vakt::domain::plan::JobKind],
    ) -> Result<JobInputs, StoreError> {
        self.up().await?;
        self.inner.job_inputs(jobs, unfinished_kinds).await
    }
    async fn jobs(&self, incident: Option<&IncidentId>) -> Result<Vec<Job>, StoreError> {
        self.up().await?;
        self.inner.jobs(incident).await
    }
    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.up().await?;
        self.inner.next_due().await
    }
    async fn due_jobs(&self, now: DateTime<Utc>, overdue_before: DateTime<Utc>) -> Result<Vec<DueJobs>, StoreError> {
        self.up().await?;
        self.inner.due_jobs(now, overdue_before).await
    }
    async fn purge(&self, done_before: DateTime<Utc>) -> Result<u64, StoreError> {
        self.up().await?;
        self.inner.purge(done_before).await
    }
    async fn failed_jobs(&self, kind: vakt::domain::plan::JobKind) -> Result<Vec<Job>, StoreError> {
        self.up().await?;
        self.inner.failed_jobs(kind).await
    }
}

#[async_trait::async_trait]
impl ChatRefStore for Switchable {
    async fn put_chat_ref(&self, key: &ChatRefKey, r: &MessageRef) -> Result<(), StoreError> {
        self.up().await?;
        self.inner.put_chat_ref(key, r).await
    }
    async fn chat_ref(&self, key: &ChatRefKey) -> Result<Option<MessageRef>, StoreError> {
        self.up().await?;
        self.inner.chat_ref(key).await
    }
    async fn chat_refs(&self, incident: &IncidentId) -> Result<Vec<(ChatRefKey, MessageRef)>, StoreError> {
        self.up().await?;
        self.inner.chat_refs(incident).await
    }
    async fn conversation_incident(&self, message: &MessageId) -> Result<Option<IncidentId>, StoreError> {
        self.up().await?;
        self.inner.conversation_incident(message).await
    }
}

#[async_trait::async_trait]
impl PointStore for Switchable {
    async fn add_point(&self, point: &NewPoint) -> Result<MeetingPoint, StoreError> {
        self.up().await?;
        self.inner.add_point(point).await
    }
    async fn complete_point(
        &self,
        agreement: &AgreementId,
        id: i64,
        by: &UserId,
        at: DateTime<Utc>,
    ) -> Result<Option<MeetingPoint>, StoreError> {
        self.up().await?;
        self.inner.complete_point(agreement, id, by, at).await
    }
    async fn points(&self, agreement: &AgreementId, include_done: bool) -> Result<Vec<MeetingPoint>, StoreError> {
        self.up().await?;
        self.inner.points(agreement, include_done).await
    }
}

#[async_trait::async_trait]
impl PublicationStore for Switchable {
    async fn add_publication(&self, publication: &NewPublication) -> Result<Publication, StoreError> {
        self.up().await?;
        self.inner.add_publication(publication).await
    }
    async fn publications(&self, agreement: &AgreementId) -> Result<Vec<Publication>, StoreError> {
        self.up().await?;
        self.inner.publications(agreement).await
    }
}

#[async_trait::async_trait]
impl MaintenanceStore for Switchable {
    async fn add_window(
        &self,
        window: &NewWindow,
        plan: &(dyn Fn(i64) -> Vec<NewJob> + Send + Sync),
    ) -> Result<MaintenanceWindow, StoreError> {
        self.up().await?;
        self.inner.add_window(window, plan).await
    }
    async fn cancel_window(
        &self,
        agreement: &AgreementId,
        id: i64,
        by: &UserId,
        at: DateTime<Utc>,
    ) -> Result<Option<MaintenanceWindow>, StoreError> {
        self.up().await?;
        self.inner.cancel_window(agreement, id, by, at).await
    }
    async fn window(&self, id: i64) -> Result<Option<MaintenanceWindow>, StoreError> {
        self.up().await?;
        self.inner.window(id).await
    }
    async fn windows(
        &self,
        agreement: &AgreementId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<MaintenanceWindow>, StoreError> {
        self.up().await?;
        self.inner.windows(agreement, from, to).await
    }
}

#[async_trait::async_trait]
impl InteractionStore for Switchable {
    async fn claim_interaction(
        &self,
        id: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.up().await?;
        self.inner.claim_interaction(id, now, expires_at).await
    }
}

#[async_trait::async_trait]
impl ReportStore for Switchable {
    async fn add_report(&self, report: &NewReport) -> Result<StoredReport, StoreError> {
        self.up().await?;
        self.inner.add_report(report).await
    }
    async fn latest_report(
        &self,
        agreement: &AgreementId,
        kind: ReportKind,
        period: &str,
    ) -> Result<Option<StoredReport>, StoreError> {
        self.up().await?;
        self.inner.latest_report(agreement, kind, period).await
    }
    async fn reports(&self, agreement: &AgreementId) -> Result<Vec<StoredReport>, StoreError> {
        self.up().await?;
        self.inner.reports(agreement).await
    }
}

/// One blocking GET: the status code and the body, or `None` while nothing listens.
fn get_blocking(addr: std::net::SocketAddr, path: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect(addr).ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: vakt\r\nConnection: close\r\n\r\n");
    conn.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    conn.read_to_string(&mut response).ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_string();
    Some((status, body))
}

/// A free local port's address (bound and released).
fn free_addr() -> std::net::SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}

/// Runs the binary with `args` on a throw-away database and `config`, with `env`, asks its
/// endpoint at `addr` for `/healthz` (once it listens), `/readyz` and `/metrics`, and stops it.
fn scrape_binary(
    args: &[&str],
    config: &str,
    env: &[(&str, &str)],
    addr: std::net::SocketAddr,
) -> (Option<(u16, String)>, serde_json::Value, (u16, String)) {
    use std::process::{Command, Stdio};
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("vakt.toml"), config).expect("write vakt.toml");
    let root = env!("CARGO_MANIFEST_DIR");
    let mut child = Command::new(env!("CARGO_BIN_EXE_vakt"))
        .current_dir(tmp.path())
        .arg("--dir")
        .arg(std::path::Path::new(root).join("agreements"))
        .args(args)
        .env(
            "VAKT_DATABASE_URL",
            format!("sqlite://{}", tmp.path().join("vakt.db").display()),
        )
        .env("VAKT_CONFIG", tmp.path().join("vakt.toml"))
        .env("VAKT_AGREEMENTS", std::path::Path::new(root).join("agreements"))
        .env_remove("VAKT_METRICS_ADDR")
        .env_remove("DISCORD_TOKEN")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vakt");
    // Start-up takes what it takes: wait for the listener (bounded only against a hang).
    let mut health = None;
    for _ in 0..600 {
        health = get_blocking(addr, "/healthz");
        if health.is_some() || child.try_wait().ok().flatten().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let ready = get_blocking(addr, "/readyz");
    let metrics = get_blocking(addr, "/metrics");
    let _ = child.kill();
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let (_, body) = ready.unwrap_or_else(|| panic!("no /readyz: {stderr}"));
    let json = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    (health, json, metrics.unwrap_or_else(|| panic!("no /metrics: {stderr}")))
}

/// The binary: `--metrics-addr` turns the endpoint on in the console (off otherwise).
#[test]
fn the_console_serves_health_and_metrics_when_asked() {
    let addr = free_addr();
    let (health, ready, (status, body)) = scrape_binary(
        &["console", "--script", "--metrics-addr", &addr.to_string()],
        "",
        &[],
        addr,
    );
    assert_eq!(health.map(|h| h.0), Some(200));
    assert_eq!(ready["database"]["state"], "reachable", "{ready}");
    assert_eq!(ready["chat"], "not_watched", "{ready}");
    assert_eq!(status, 200);
    assert!(body.contains("# TYPE vakt_oldest_due_job_lag_seconds gauge"), "{body}");
}

/// The binary: `vakt serve` with `[ops] listen` reports its interactions endpoint listening.
#[test]
fn vakt_serve_serves_health_and_metrics_from_its_configuration() {
    let addr = free_addr();
    let serve = free_addr();
    let catalog = crate::common::catalog();
    let mut config = format!(
        "[ops]\nlisten = \"{addr}\"\n[discord]\napi_base = \"http://127.0.0.1:9\"\napplication_id = 110000000000000011\npublic_key = \"{}\"\nlisten = \"{serve}\"\n",
        hex::encode(
            ed25519_dalek::SigningKey::from_bytes(&[7; 32])
                .verifying_key()
                .as_bytes()
        )
    );
    for a in &catalog.agreements {
        config += &format!(
            "[agreements.{0}]\nchannels = {{ incidents = \"110000000000000101\", status = \"110000000000000102\", summary = \"110000000000000103\" }}\nresponders = [\"110000000000000201\"]\nmanagers = [\"110000000000000202\"]\n[agreements.{0}.roles]\n",
            a.id
        );
        for l in &a.escalation.levels {
            config += &format!("{} = \"role:110000000000000301\"\n", l.role);
        }
    }
    let (health, ready, (status, body)) = scrape_binary(&["serve"], &config, &[("DISCORD_TOKEN", "tok")], addr);
    assert_eq!(health.map(|h| h.0), Some(200));
    assert_eq!(ready["chat"], "listening", "{ready}");
    assert_eq!(ready["database"]["state"], "reachable", "{ready}");
    assert_eq!(status, 200);
    assert!(body.contains("# TYPE vakt_scheduler_ticks counter"), "{body}");
}

#[async_trait::async_trait]
impl vakt::service::ports::AlertStore for Switchable {
    async fn alert_link(
        &self,
        source: &str,
        dedup_key: &str,
    ) -> Result<Option<vakt::service::ports::AlertLink>, StoreError> {
        self.up().await?;
        self.inner.alert_link(source, dedup_key).await
    }
    async fn alert_receipts_seen(&self, source: &str, receipts: &[String]) -> Result<Vec<String>, StoreError> {
        self.up().await?;
        self.inner.alert_receipts_seen(source, receipts).await
    }
}
