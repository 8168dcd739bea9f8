//! Notices out as signed webhooks, end to end: vakt wired over a store, a fake clock and a
//! recording chat posts to a local receiver (a small HTTP/1.1 server on 127.0.0.1:0) that
//! checks each delivery's signature and its body against `docs/webhook-schema.json`, and
//! counts effects once per idempotency key — as a receiver should. The receiver can fail a
//! share of attempts (a 500, a connection dropped before or after the effect), and the app
//! can be restarted mid-way with a delivery claimed by a runner that died; every notice must
//! still take effect exactly once. Run on SQLite always and on PostgreSQL when
//! `VAKT_TEST_POSTGRES_URL` is set (skipped loudly otherwise, a failure when `CI` is set).
//! No sleeps: time is the fake clock's, and each tick runs what is due.

use crate::common::backends::{Backend, on_backends};
use crate::common::{RecordingChat, catalog, config, facts_users, manager, responder};
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tracing::instrument::WithSubscriber;
use vakt::app::{self, App};
use vakt::console::clock::FakeClock;
use vakt::domain::incident::Resolution;
use vakt::domain::plan::JobKind;
use vakt::service::ports::{Clock, JobState};
use vakt::service::webhooks::event_kind;

const SECRET: &str = "whsec_test_0123456789abcdef";

/// What the receiver does with one attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    /// Answers 500 before doing anything.
    ServerError,
    /// Closes the connection before doing anything.
    DropBefore,
    /// Takes the delivery, then closes the connection without answering (the reply is lost).
    DropAfter,
}

#[derive(Default, Clone)]
struct Received {
    /// Effects by idempotency key: the delivery's kind and how often it was taken.
    effects: BTreeMap<String, (String, usize)>,
    /// Attempts that reached the receiver.
    attempts: usize,
    /// Attempts refused for a bad signature.
    bad_signatures: usize,
    /// Faults injected.
    faults: usize,
    /// Problems with a delivery (headers, schema).
    problems: Vec<String>,
    /// The signature's time of every attempt (the sender's clock: the fake one).
    stamps: Vec<i64>,
    /// Every body taken, in order.
    bodies: Vec<Value>,
}

/// The local receiver.
struct Receiver {
    addr: SocketAddr,
    state: Arc<Mutex<Received>>,
}

/// Decides faults: a fixed share of attempts, from a seeded generator (the same run each time).
struct Faults {
    share: f64,
    seed: u64,
    /// Every attempt answered 500 (a target that is down).
    down: bool,
}

impl Faults {
    fn next(&mut self) -> Option<Fault> {
        if self.down {
            return Some(Fault::ServerError);
        }
        // SplitMix64.
        self.seed = self.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let u = (z >> 11) as f64 / (1u64 << 53) as f64;
        (u < self.share).then_some(match z % 3 {
            0 => Fault::ServerError,
            1 => Fault::DropBefore,
            _ => Fault::DropAfter,
        })
    }
}

fn schema() -> Arc<jsonschema::Validator> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/webhook-schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema file")).expect("schema JSON");
    Arc::new(
        jsonschema::draft202012::options()
            .build(&schema)
            .expect("the schema is a valid JSON Schema"),
    )
}

/// Whether `header` (`t=<unix>,v1=<hex>`) signs `body` with `secret`.
fn signed(secret: &str, header: &str, body: &[u8]) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", v)) => t = Some(v),
            Some(("v1", v)) => v1 = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key");
    mac.update(t.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&v1).is_ok()
}

impl Receiver {
    /// Starts a receiver that checks signatures with `secret` and injects faults into `share`
    /// of the attempts.
    async fn start(secret: &'static str, share: f64) -> Receiver {
        Self::start_with(
            secret,
            Faults {
                share,
                seed: 21,
                down: false,
            },
        )
        .await
    }

    /// A receiver that answers every attempt with a 500.
    async fn down() -> Receiver {
        Self::start_with(
            SECRET,
            Faults {
                share: 1.0,
                seed: 0,
                down: true,
            },
        )
        .await
    }

    async fn start_with(secret: &'static str, faults: Faults) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = Arc::new(Mutex::new(Received::default()));
        let faults = Arc::new(Mutex::new(faults));
        let validator = schema();
        let shared = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let (state, faults, validator) = (shared.clone(), faults.clone(), validator.clone());
                tokio::spawn(async move {
                    serve(socket, secret, &state, &faults, &validator).await;
                });
            }
        });
        Receiver { addr, state }
    }

    fn url(&self) -> String {
        format!("http://{}/hooks/vakt", self.addr)
    }

    /// What it received so far.
    fn received(&self) -> Received {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Reads one request (headers and a `Content-Length` body); `None` on a closed connection.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<(BTreeMap<String, String>, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = socket.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).to_string();
    let headers: BTreeMap<String, String> = (head.lines().skip(1))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = buf[end..].to_vec();
    while body.len() < len {
        let n = socket.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        body.extend_from_slice(&chunk[..n]);
    }
    Some((headers, body))
}

async fn answer(socket: &mut tokio::net::TcpStream, status: &str) {
    let reply = format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    let _ = socket.write_all(reply.as_bytes()).await;
    let _ = socket.shutdown().await;
}

async fn serve(
    mut socket: tokio::net::TcpStream,
    secret: &str,
    state: &Mutex<Received>,
    faults: &Mutex<Faults>,
    validator: &jsonschema::Validator,
) {
    let Some((headers, body)) = read_request(&mut socket).await else {
        return;
    };
    let fault = faults.lock().expect("faults").next();
    let status = {
        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
        s.attempts += 1;
        let stamp: Option<i64> = headers
            .get("vakt-signature")
            .and_then(|v| v.strip_prefix("t=")?.split(',').next()?.parse().ok());
        s.stamps.extend(stamp);
        if fault.is_some() {
            s.faults += 1;
        }
        match fault {
            Some(Fault::ServerError) => "500 Internal Server Error",
            Some(Fault::DropBefore) => "",
            _ => {
                let signature = headers.get("vakt-signature").map_or("", String::as_str);
                if !signed(secret, signature, &body) {
                    s.bad_signatures += 1;
                    "401 Unauthorized"
                } else {
                    let key = headers.get("idempotency-key").cloned().unwrap_or_default();
                    let parsed: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    if headers.get("content-type").map(String::as_str) != Some("application/json") {
                        s.problems
                            .push(format!("content type {:?}", headers.get("content-type")));
                    }
                    if headers.get("vakt-delivery") != Some(&key) || parsed["id"] != key.as_str() {
                        s.problems.push(format!("delivery id, key and body id differ: {key}"));
                    }
                    for e in validator.iter_errors(&parsed) {
                        s.problems.push(format!("{key}: {e} at {}", e.instance_path));
                    }
                    let kind = parsed["kind"].as_str().unwrap_or("").to_string();
                    let effect = s.effects.entry(key).or_insert((kind, 0));
                    effect.1 += 1;
                    if effect.1 == 1 {
                        s.bodies.push(parsed);
                    }
                    if fault == Some(Fault::DropAfter) {
                        ""
                    } else {
                        "204 No Content"
                    }
                }
            }
        }
    };
    if status.is_empty() {
        drop(socket);
    } else {
        answer(&mut socket, status).await;
    }
}

fn start() -> DateTime<Utc> {
    crate::common::at("2026-11-23T09:00:00+01:00")
}

/// vakt over `backend`'s store with `toml`, a fake clock at `at`, the shared `chat`.
async fn wire(
    backend: &Backend,
    toml: &str,
    at: DateTime<Utc>,
    chat: &Arc<RecordingChat>,
    runner: &str,
) -> (App, Arc<FakeClock>) {
    let catalog = catalog();
    let config = config(backend.dir(), Some(toml), &catalog);
    let clock = Arc::new(FakeClock::new(at));
    chat.use_clock(clock.clone());
    let app = app::wire(
        Arc::new(config),
        Arc::new(catalog),
        clock.clone(),
        chat.clone(),
        backend.open().await,
        runner,
    );
    (app, clock)
}

fn target(name: &str, url: &str, secret: &str, extra: &str) -> String {
    format!("[[webhooks]]\nname = \"{name}\"\nurl = \"{url}\"\nsecret = \"{secret}\"\n{extra}\n")
}

/// Opens a Borger.dk incident titled `title` (30 % of users hit) and acknowledges it; its id.
async fn open_acknowledged(app: &App, title: &str) -> String {
    let inc = (app.service)
        .open(&responder(), "borger-dk", title, "", facts_users("users", 30.0))
        .await
        .expect("open");
    let id = inc.id().to_string();
    app.service.acknowledge(&responder(), &id).await.expect("ack");
    id
}

/// Ticks every `step` for `steps` steps.
async fn run_for(app: &App, clock: &FakeClock, step: Duration, steps: usize) {
    for _ in 0..steps {
        clock.advance(step);
        app.scheduler.tick(clock.now()).await.expect("tick");
    }
}

/// The webhook jobs in `state`.
async fn webhook_jobs(app: &App, state: JobState) -> usize {
    let jobs = app.store.jobs(None).await.expect("jobs");
    jobs.iter()
        .filter(|j| j.kind == JobKind::Webhook && j.state == state)
        .count()
}

/// The status updates of the scenario: each one notice.
const NOTES: [&str; 12] = [
    "Database failover started",
    "Replica lagging",
    "Traffic moved",
    "Login works again for some",
    "Cache warming",
    "Error rate falling",
    "Queue draining",
    "Batch jobs resumed",
    "Monitoring green",
    "Watching for another hour",
    "Post-mortem scheduled",
    "All clear",
];

/// A scenario's notices, with 30 % of attempts failing and the app restarted mid-way (a
/// delivery claimed by the runner that died): every notice the chat got takes effect at the
/// receiver exactly once, as its kind, signed, and valid against the schema.
async fn every_notice_takes_effect_once_across_a_restart_and_failures(backend: Backend) {
    let receiver = Receiver::start(SECRET, 0.3).await;
    let toml = target("portal", &receiver.url(), SECRET, "");
    let chat = Arc::new(RecordingChat::new(Arc::new(FakeClock::new(start()))));
    let (app, clock) = wire(&backend, &toml, start(), &chat, "runner-1").await;
    let svc = app.service.clone();
    let id = open_acknowledged(&app, "Selvbetjening nede").await;
    app.scheduler.tick(clock.now()).await.expect("tick");
    for (i, note) in NOTES.iter().enumerate() {
        // The chat fails a post (retried), then takes one and loses the answer (retried, and
        // the resend dropped by its nonce): the notice's deliveries are planned once each.
        match i {
            0 => chat.fail_next(None, 2),
            1 => chat.lose_next_reply(),
            _ => {}
        }
        svc.add_update(&responder(), &id, note).await.expect("update");
        run_for(&app, &clock, Duration::minutes(10), 3).await;
    }

    // A runner claims what is due (the announcement of a new update) and dies before
    // running it.
    clock.advance(Duration::minutes(1));
    svc.add_update(&responder(), &id, "Failover done, checking")
        .await
        .expect("update");
    let claimed = app
        .store
        .claim(
            clock.now(),
            "runner-that-died",
            clock.now() + Duration::seconds(60),
            100,
        )
        .await
        .expect("claim");
    assert!(!claimed.is_empty(), "the dead runner held a job");
    let at = clock.now();
    drop(app);

    let (app, clock) = wire(&backend, &toml, at, &chat, "runner-2").await;
    let svc = app.service.clone();
    svc.resolve(&responder(), &id, Resolution::Fix, Some("Failed over".into()))
        .await
        .expect("resolve");
    svc.close(&manager(), &id).await.expect("close");
    // Long enough for the last retries (the backoff is capped at an hour).
    run_for(&app, &clock, Duration::minutes(15), 4 * 24).await;

    let notices = chat.posted_all();
    let r = receiver.received();
    assert!(r.problems.is_empty(), "{:#?}", r.problems);
    assert_eq!(r.bad_signatures, 0);
    assert!(
        r.faults > 0 && r.attempts > r.effects.len(),
        "faults were injected: {} of {}",
        r.faults,
        r.attempts
    );
    assert!(notices.len() >= 5, "the scenario made notices: {}", notices.len());
    assert_eq!(webhook_jobs(&app, JobState::Failed).await, 0, "none dead");
    assert_eq!(webhook_jobs(&app, JobState::Pending).await, 0, "none left");
    let mut sent: Vec<&str> = notices.iter().map(|p| event_kind(&p.message.notice).as_str()).collect();
    let mut taken: Vec<&str> = r.effects.values().map(|(k, _)| k.as_str()).collect();
    sent.sort_unstable();
    taken.sort_unstable();
    assert_eq!(taken, sent, "one delivery per notice, of its kind");
    assert!(chat.failed() >= 2, "the chat failed posts: {}", chat.failed());
    let redelivered = r.effects.values().filter(|(_, n)| *n > 1).count();
    eprintln!(
        "webhooks: {} notices, {} attempts, {} faults, {} deliveries seen again (taken once), claimed by the dead runner: {}",
        notices.len(),
        r.attempts,
        r.faults,
        redelivered,
        claimed.len()
    );
    // The incident's deliveries carry it, typed.
    let opened = r
        .bodies
        .iter()
        .find(|b| b["kind"] == "opened")
        .expect("opened delivered");
    assert_eq!(opened["incident"]["id"], id.as_str());
    assert_eq!(opened["agreement"], "borger-dk");
    assert_eq!(opened["actor"]["id"], "rita");
    assert!(opened["incident"]["response"]["due"].is_string());
    let resolved = r
        .bodies
        .iter()
        .find(|b| b["kind"] == "resolved")
        .expect("resolved delivered");
    assert_eq!(resolved["details"]["how"], "fix");
    // The incident as it stood when the announcement went out (closed by then, here).
    assert!(matches!(
        resolved["incident"]["state"].as_str(),
        Some("resolved" | "closed")
    ));
}

/// A receiver that knows another secret refuses every delivery (401): each is dead at once,
/// takes no effect, is logged as a failed job naming the status but never the secret, and
/// `/metrics` shows the dead ones by target.
async fn a_receiver_with_another_secret_refuses_and_the_dead_show_in_metrics(backend: Backend) {
    // Every log line of the ticks, at every level (on whichever thread they run).
    let captured = crate::logs::Captured::default();
    let writer = captured.clone();
    let logs = tracing::Dispatch::new(
        tracing_subscriber::fmt()
            .json()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .finish(),
    );
    let receiver = Receiver::start("whsec_the_receivers_own_secret", 0.0).await;
    let toml = format!(
        "[ops]\nlisten = \"127.0.0.1:0\"\n{}",
        target(
            "wrong",
            &receiver.url(),
            SECRET,
            "kinds = [\"opened\", \"acknowledged\"]"
        )
    );
    let chat = Arc::new(RecordingChat::new(Arc::new(FakeClock::new(start()))));
    let (app, clock) = wire(&backend, &toml, start(), &chat, "runner-1").await;
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let (addr, task) = app::start_ops(&app, shutdown).await.expect("ops").expect("listening");
    open_acknowledged(&app, "Login fails").await;
    run_for(&app, &clock, Duration::minutes(1), 3)
        .with_subscriber(logs)
        .await;

    let r = receiver.received();
    assert!(r.effects.is_empty(), "nothing taken");
    assert_eq!(r.bad_signatures, 2, "each delivery tried once: a 401 is final");
    assert_eq!(webhook_jobs(&app, JobState::Failed).await, 2);
    let dead = app.store.failed_jobs(JobKind::Webhook).await.expect("dead");
    assert!(
        dead.iter()
            .all(|j| j.last_error.as_deref().is_some_and(|e| e.contains("401"))),
        "{dead:?}"
    );
    let text = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .expect("scrape")
        .text()
        .await
        .expect("body");
    assert!(text.contains("vakt_webhooks_dead{target=\"wrong\"} 2"), "{text}");
    assert!(
        text.contains("vakt_webhook_deliveries_total{target=\"wrong\",outcome=\"dead\"} 2"),
        "{text}"
    );
    assert!(!text.contains(SECRET), "no secret in the metrics");
    // The service lists the dead, and so does `vakt webhooks dead` (on the SQLite file).
    let listed = app.service.dead_webhooks().await.expect("dead deliveries");
    assert_eq!(listed.len(), 2);
    assert!(
        listed.iter().all(|d| d.target == "wrong" && d.attempts == 1),
        "{listed:?}"
    );
    let file = backend.dir().join("vakt.db");
    if file.exists() {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_vakt"))
            .current_dir(backend.dir())
            .env_remove("VAKT_DATABASE_URL")
            .env_remove("VAKT_CONFIG")
            .args([
                "--dir",
                concat!(env!("CARGO_MANIFEST_DIR"), "/agreements"),
                "--json",
                "webhooks",
                "dead",
            ])
            .arg("--database")
            .arg(format!("sqlite://{}", file.display()))
            .output()
            .expect("run vakt");
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
        let kinds: Vec<&str> = (v.as_array().expect("an array").iter())
            .filter_map(|d| d["kind"].as_str())
            .collect();
        assert_eq!(kinds, ["opened", "acknowledged"], "{v:#}");
        assert!(!String::from_utf8_lossy(&o.stdout).contains(SECRET));
    }
    let lines = captured.objects();
    let failed: Vec<&Value> = (lines.iter())
        .filter(|o| o["level"] == "ERROR" && o["fields"]["kind"] == "webhook")
        .collect();
    assert_eq!(failed.len(), 2, "one error line per dead delivery: {lines:#?}");
    assert!(
        failed
            .iter()
            .all(|o| o["fields"]["cause"].as_str().is_some_and(|c| c.contains("401"))),
        "{failed:#?}"
    );
    assert!(
        !lines.iter().any(|o| o.to_string().contains(SECRET)),
        "the secret is never logged"
    );
    let _ = stop.send(true);
    let _ = task.await;
}

/// A target that keeps failing (500) is tried ten times, 30 s after the first failure and
/// then twice as long each time, at most an hour apart; then the delivery is dead.
async fn a_failing_target_is_retried_with_backoff_then_given_up(backend: Backend) {
    let receiver = Receiver::down().await;
    let toml = target("down", &receiver.url(), SECRET, "kinds = [\"opened\"]");
    let chat = Arc::new(RecordingChat::new(Arc::new(FakeClock::new(start()))));
    let (app, clock) = wire(&backend, &toml, start(), &chat, "runner-1").await;
    open_acknowledged(&app, "Login fails").await;
    app.scheduler.tick(clock.now()).await.expect("tick");
    run_for(&app, &clock, Duration::seconds(30), 2 * 60 * 4).await;

    let r = receiver.received();
    assert_eq!(r.attempts, 10, "ten attempts");
    let gaps: Vec<i64> = r.stamps.windows(2).map(|w| w[1] - w[0]).collect();
    assert_eq!(gaps, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    let dead = app.service.dead_webhooks().await.expect("dead");
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].attempts, 10);
    assert!(dead[0].error.as_deref().is_some_and(|e| e.contains("500")), "{dead:?}");
}

/// A target's kinds and agreements filters choose what it gets; another target gets all.
async fn filters_choose_what_a_target_gets(backend: Backend) {
    let all = Receiver::start(SECRET, 0.0).await;
    let some = Receiver::start(SECRET, 0.0).await;
    let other = Receiver::start(SECRET, 0.0).await;
    let toml = [
        target("all", &all.url(), SECRET, ""),
        target("some", &some.url(), SECRET, "kinds = [\"opened\", \"resolved\"]"),
        target("other-agreement", &other.url(), SECRET, "agreements = [\"difi\"]"),
    ]
    .concat();
    let chat = Arc::new(RecordingChat::new(Arc::new(FakeClock::new(start()))));
    let (app, clock) = wire(&backend, &toml, start(), &chat, "runner-1").await;
    let svc = app.service.clone();
    let id = open_acknowledged(&app, "Login fails").await;
    svc.resolve(&responder(), &id, Resolution::Workaround, None)
        .await
        .expect("resolve");
    run_for(&app, &clock, Duration::minutes(1), 3).await;

    let kinds = |r: &Receiver| -> Vec<String> {
        let mut k: Vec<String> = r.received().effects.values().map(|(k, _)| k.clone()).collect();
        k.sort();
        k
    };
    let everything = kinds(&all);
    for k in ["acknowledged", "opened", "resolved", "notification"] {
        assert!(everything.iter().any(|e| e == k), "{k} in {everything:?}");
    }
    assert_eq!(kinds(&some), ["opened", "resolved"]);
    assert!(kinds(&other).is_empty(), "no difi notices");
}

on_backends!(
    every_notice_takes_effect_once_across_a_restart_and_failures,
    a_receiver_with_another_secret_refuses_and_the_dead_show_in_metrics,
    filters_choose_what_a_target_gets,
    a_failing_target_is_retried_with_backoff_then_given_up,
);
