//! Throughput of the durable job table, per backend: insert N pending jobs that are all due
//! (`schedule` in batches of 1 000), then drain them the way a runner does — claim 100, finish
//! the claimed batch `Done` with one `finish_many` (one transaction) — and print jobs per
//! second for both phases.
//!
//! Run with `cargo bench --bench jobs`. SQLite always runs (a database file in a temporary
//! directory); PostgreSQL runs when `VAKT_TEST_POSTGRES_URL` is set, in a fresh schema that is
//! dropped afterwards. `VAKT_BENCH_JOBS` changes N (default 100 000); `VAKT_BENCH_FINISH=each`
//! finishes each job with its own `finish` call (one commit per job) instead, for comparison.

use chrono::{Duration, TimeZone, Utc};
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;

mod common;
use vakt::service::ports::{FinishJob, JobFinish, NewJob, Store};

const INSERT_BATCH: usize = 1_000;
const CLAIM_BATCH: u32 = 100;

fn main() {
    let n = common::env_count("VAKT_BENCH_JOBS", 100_000);
    let each = std::env::var("VAKT_BENCH_FINISH").is_ok_and(|v| v == "each");
    common::on_each_backend("jobs", |backend, store, _| run(backend, store, n, each));
}

async fn run(name: &str, store: Arc<dyn Store>, n: usize, each: bool) {
    let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let all: Vec<NewJob> = (0..n)
        .map(|i| NewJob {
            key: format!("bench-{i}"),
            kind: vakt::domain::plan::JobKind::StatusUpdate,
            incident: None,
            group: vakt::domain::plan::Group::Status,
            due_at: t0 + Duration::seconds((i % 3_600) as i64),
            payload: json!({ "seq": i, "channel": "status" }),
        })
        .collect();

    let started = Instant::now();
    for batch in all.chunks(INSERT_BATCH) {
        store.schedule(batch).await.expect("schedule");
    }
    let insert = started.elapsed();

    let now = t0 + Duration::hours(2);
    let owner = "bench-runner".to_string();
    let started = Instant::now();
    let (mut finished, mut claims) = (0usize, 0usize);
    let mut claiming = std::time::Duration::ZERO;
    loop {
        let claim_started = Instant::now();
        let batch = store
            .claim(now, &owner, now + Duration::minutes(1), CLAIM_BATCH)
            .await
            .expect("claim");
        claiming += claim_started.elapsed();
        if batch.is_empty() {
            break;
        }
        claims += 1;
        let finishes: Vec<FinishJob> = batch
            .iter()
            .map(|job| FinishJob {
                id: job.id,
                owner: owner.clone(),
                finish: JobFinish::Done {
                    fired_at: now,
                    late: false,
                    outcome: "ok".to_string(),
                },
                posted: None,
            })
            .collect();
        if each {
            for finish in &finishes {
                store.finish(finish).await.expect("finish");
            }
        } else {
            let outcomes = store.finish_many(&finishes).await.expect("finish_many");
            assert!(outcomes.iter().all(Result::is_ok), "every finish holds its lease");
        }
        finished += finishes.len();
    }
    let drain = started.elapsed();
    assert_eq!(finished, n, "every job claimed and finished once");
    assert_eq!(store.next_due().await.expect("next_due"), None);

    println!("{name}:");
    println!(
        "  insert            {n} jobs in {:6.2} s = {:7.0} jobs/s",
        insert.as_secs_f64(),
        n as f64 / insert.as_secs_f64()
    );
    let mode = if each { "claim+finish     " } else { "claim+finish_many" };
    println!(
        "  {mode} {n} jobs in {:6.2} s = {:7.0} jobs/s  ({claims} claims of {CLAIM_BATCH}: {:.2} s in all, {:.1} ms each)",
        drain.as_secs_f64(),
        n as f64 / drain.as_secs_f64(),
        claiming.as_secs_f64(),
        claiming.as_secs_f64() * 1e3 / claims.max(1) as f64,
    );
}
