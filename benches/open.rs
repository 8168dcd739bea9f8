//! Latency of opening an incident end to end, per backend: `Service::open` (permission check,
//! classification, a durable sequence number, the incident with its timeline and job plan in
//! one transaction) plus the reply a chat adapter renders from `Service::show`.
//!
//! Run with `cargo bench --bench open`. SQLite always runs (2 000 incidents on a database file
//! in a temporary directory); PostgreSQL runs (200 incidents) when `VAKT_TEST_POSTGRES_URL` is
//! set, in a fresh schema that is dropped afterwards. `VAKT_BENCH_OPENS` changes the SQLite
//! count. The clock is a fake one that moves one minute per incident, cycling through four
//! agreements (SSBTEK, Borger.dk, Inera, Altinn) with facts that give their top priority, so
//! each open plans warnings, escalations and, where the agreement has them, status updates,
//! notifications and follow-ups.

use chrono::{DateTime, Duration, Utc};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

mod common;
use vakt::config::Config;
use vakt::console::clock::FakeClock;
use vakt::domain::agreement::Agreement;
use vakt::domain::classify::Facts;
use vakt::service::ports::{Chat, ChatError, IncidentSummary, MessageRef, Post, Store};
use vakt::service::{Actor, Service};

/// A chat that discards everything (opening posts nothing itself; jobs do, and no scheduler
/// runs here).
struct NullChat;

#[async_trait::async_trait]
impl Chat for NullChat {
    async fn post(&self, _: &Post) -> Result<MessageRef, ChatError> {
        Ok(MessageRef {
            channel: "null".into(),
            message: "0".into(),
        })
    }

    async fn edit(&self, _: &MessageRef, _: &Post) -> Result<(), ChatError> {
        Ok(())
    }

    async fn start_conversation(&self, card: &MessageRef, _: &IncidentSummary) -> Result<MessageRef, ChatError> {
        Ok(card.clone())
    }
}

const CASES: [(&str, &str, Option<f64>); 4] = [
    ("ssbtek", "1", None),
    ("borger-dk", "users", Some(30.0)),
    ("inera", "unusable", None),
    ("altinn", "unavailable", None),
];

fn main() {
    let n = common::env_count("VAKT_BENCH_OPENS", 2_000);
    common::on_each_backend("open", |backend, store, postgres| {
        run(backend, store, if postgres { 200 } else { n })
    });
}

fn service(store: Arc<dyn Store>, clock: Arc<FakeClock>) -> Service {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("agreements");
    let catalog = vakt::agreements::load_dir(&dir).unwrap_or_else(|e| panic!("agreements: {e}"));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-vakt.toml");
    let mut config = Config::load(&path, &|_| None).expect("config");
    config.resolve(&catalog, &path).expect("config resolves");
    Service::new(
        store,
        Arc::new(NullChat),
        clock,
        Arc::new(catalog),
        Arc::new(vakt::app::settings(&config)),
    )
}

/// The reply a chat adapter shows after opening.
fn render(v: &vakt::service::IncidentView, a: Option<&Agreement>) -> String {
    let i = &v.incident;
    format!(
        "opened {} [{}] {} — {}\nresponse due {:?} ({:?}s left)\nresolution due {:?} ({:?}s left)\nwhy: {}",
        i.id(),
        i.priority(),
        i.title(),
        i.state(),
        i.response_due(),
        v.response_left(),
        i.resolution_due(),
        v.resolution_left(),
        i.reasons()
            .iter()
            .map(|r| vakt::render::reason(r, a, vakt::render::Locale::En))
            .collect::<Vec<_>>()
            .join("; ")
    )
}

async fn run(name: &str, store: Arc<dyn Store>, n: usize) {
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-20T08:00:00+01:00")
        .expect("start")
        .with_timezone(&Utc);
    let clock = Arc::new(FakeClock::new(start));
    let service = service(store.clone(), clock.clone());
    let actor = Actor::new("bench", vec!["responder".into()]);
    let mut latencies = Vec::with_capacity(n);
    let mut reply_bytes = 0usize;
    let all = Instant::now();
    for k in 0..n {
        let (agreement, impact, users) = CASES[k % CASES.len()];
        let facts = Facts {
            impact: impact.into(),
            users_affected: users,
            ..Facts::default()
        };
        let t = Instant::now();
        let inc = service
            .open(&actor, agreement, &format!("Bench incident {k}"), "", facts)
            .await
            .expect("open");
        let view = service.show(inc.id()).await.expect("show");
        let a = service.catalog().get(view.incident.agreement()).map(Arc::as_ref);
        reply_bytes += render(&view, a).len();
        latencies.push(t.elapsed());
        clock.advance(Duration::minutes(1));
    }
    let total = all.elapsed();
    let jobs = store.jobs(None).await.expect("jobs").len();
    latencies.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let pct = |p: f64| latencies[((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1];
    println!(
        "{name}: opened {n} incidents ({jobs} jobs planned) in {:.2} s = {:.0} opens/s; \
         latency per open + show: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({reply_bytes} reply bytes)",
        total.as_secs_f64(),
        n as f64 / total.as_secs_f64(),
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(latencies[latencies.len() - 1]),
    );
}
