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
    let h = Harness::with_config("2026-11-23T10:00:00+01:00", OPS).await;
    let (addr, _stop) = endpoint(&h).await;
    h.service()
        .open(&responder(), "inera", "Journalen down", "", facts("unusable"))
        .await
        .expect("open");
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

/// A store that can be switched unreachable (every call fails) or hanging (no call answers).
struct Switchable {
    inner: Arc<dyn Store>,
    mode: AtomicU8,
}

const UP: u8 = 0;
const DOWN: u8 = 1;
const HANGING: u8 = 2;

impl Switchable {
    async fn up(&self) -> Result<(), StoreError> {
        match self.mode.load(Ordering::SeqCst) {
            UP => Ok(()),
            DOWN => Err(StoreError::Database("connection refused".into())),
            _ => std::future::pending().await,
        }
    }
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
    async fn timelines(&self, ids: &[IncidentId]) -> Result<Vec<(IncidentId, Vec<TimelineEntry>)>, StoreError> {
        self.up().await?;
        self.inner.timelines(ids).await
    }
    async fn latest_activity(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.up().await?;
        self.inner.latest_activity().await
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
    async fn jobs(&self, incident: Option<&IncidentId>) -> Result<Vec<Job>, StoreError> {
        self.up().await?;
        self.inner.jobs(incident).await
    }
    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.up().await?;
        self.inner.next_due().await
    }
    async fn purge(&self, done_before: DateTime<Utc>) -> Result<u64, StoreError> {
        self.up().await?;
        self.inner.purge(done_before).await
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
