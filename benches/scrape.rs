//! What a `/metrics` scrape costs the database, per backend: with N pending jobs (1% of them
//! due, half of those overdue) and M incidents (one in ten unresolved), the scrape's three
//! reads — the oldest due job, jobs due and overdue by kind, unresolved incidents by agreement
//! and priority — timed over 200 rounds (median and worst). Then the price of timing every
//! store call: 2 000 reads of one incident through the bare store and through
//! [`MeteredStore`] counting into the exporter (median per call).
//!
//! Run with `cargo bench --bench scrape`. SQLite always runs; PostgreSQL when
//! `VAKT_TEST_POSTGRES_URL` is set (a fresh schema, dropped afterwards). `VAKT_BENCH_JOBS`
//! changes N (default 100 000), `VAKT_BENCH_INCIDENTS` M (default 10 000).

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;
use vakt::domain::classify::Facts;
use vakt::domain::ids::{IncidentId, UserId};
use vakt::domain::incident::{Incident, NewIncident, Resolution};
use vakt::domain::plan::{Group, JobKind};
use vakt::ops::{Exporter, OVERDUE_AFTER};
use vakt::service::metered::MeteredStore;
use vakt::service::ports::{Change, NewJob, Store};

mod common;

const ROUNDS: usize = 200;
const READS: usize = 2_000;

fn main() {
    let jobs = common::env_count("VAKT_BENCH_JOBS", 100_000);
    let incidents = common::env_count("VAKT_BENCH_INCIDENTS", 10_000);
    common::on_each_backend("scrape", |backend, store, _| run(backend, store, jobs, incidents));
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

/// `n` jobs of all kinds: 1% due in the last two hours, the rest over the next 30 days.
fn jobs(n: usize) -> Vec<NewJob> {
    (0..n)
        .map(|i| {
            let due_at = if i % 100 == 0 {
                now() - Duration::seconds((i % 7_200) as i64)
            } else {
                now() + Duration::seconds((i % (30 * 86_400)) as i64 + 1)
            };
            NewJob {
                key: format!("scrape-{i}"),
                kind: JobKind::ALL[i % JobKind::ALL.len()],
                incident: None,
                group: Group::Status,
                due_at,
                payload: json!({ "seq": i }),
            }
        })
        .collect()
}

/// `m` Borger.dk incidents of every impact, nine in ten resolved.
fn incidents(m: usize) -> Vec<Incident> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("agreements");
    let catalog = vakt::agreements::load_dir(&dir).unwrap_or_else(|e| panic!("agreements: {e}"));
    let a = catalog.get("borger-dk").expect("borger-dk");
    let impacts = ["unavailable", "functions", "must_fix", "minimal"];
    (0..m)
        .map(|k| {
            let at = now() - Duration::minutes((m - k) as i64);
            let (mut inc, _) = Incident::open(
                a,
                Incident::make_id(&a.incident_prefix, 2026, k as u32 + 1),
                NewIncident {
                    title: format!("bench {k}"),
                    description: String::new(),
                    reporter: UserId::new("bench"),
                    facts: Facts {
                        impact: impacts[k % 4].into(),
                        ..Facts::default()
                    },
                    service: None,
                    reported_at: at,
                },
            )
            .expect("open");
            if k % 10 != 0 {
                inc.resolve("bench", Resolution::Fix, None, at + Duration::seconds(30))
                    .expect("resolve");
            }
            inc
        })
        .collect()
}

fn millis(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The median and the largest of `times`, in milliseconds.
fn spread(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() - 1])
}

async fn run(name: &str, store: Arc<dyn Store>, n: usize, m: usize) {
    let fill = Instant::now();
    for batch in jobs(n).chunks(1_000) {
        store.schedule(batch).await.expect("schedule");
    }
    let mut last = None;
    for inc in incidents(m) {
        last = Some(inc.id().clone());
        store.insert_incident(&inc, &Change::default()).await.expect("insert");
    }
    eprintln!(
        "({name}: filled {n} jobs and {m} incidents in {:.1} s)",
        fill.elapsed().as_secs_f64()
    );

    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        store.next_due().await.expect("next_due");
        store.due_jobs(now(), now() - OVERDUE_AFTER).await.expect("due_jobs");
        store.open_incidents().await.expect("open_incidents");
        times.push(millis(started.elapsed()));
    }
    let (median, worst) = spread(times);
    println!("{name}: a scrape's reads over {n} jobs and {m} incidents: median {median:.2} ms, worst {worst:.2} ms");

    let id: IncidentId = last.expect("an incident");
    let metered: Arc<dyn Store> = Arc::new(MeteredStore::new(store.clone(), Arc::new(Exporter::new())));
    for (label, store) in [("bare", &store), ("metered", &metered)] {
        let mut times = Vec::with_capacity(READS);
        for _ in 0..READS {
            let started = Instant::now();
            store.incident(&id).await.expect("incident");
            times.push(millis(started.elapsed()));
        }
        let (median, _) = spread(times);
        println!("{name}: one incident read, {label}: median {:.1} µs", median * 1e3);
    }
}
