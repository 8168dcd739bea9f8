//! The monthly SLA report over many incidents: the computation alone (in memory), and
//! loading the agreement's incidents from SQLite plus computing. Goal: ≤ 200 ms for 10 000
//! incidents; 100 000 show how it grows.
//!
//! Run with `cargo bench --bench reports`. The incidents are Borger.dk's, built through
//! their transitions: spread over September to November 2026 (a tenth reported each hour
//! of the working day), each acknowledged and resolved after a varying delay, some late,
//! some breached and escalated, some reopened, some raised in priority. `VAKT_BENCH_REPORT`
//! sets the in-memory counts (default `10000,100000`), `VAKT_BENCH_REPORT_DB` the SQLite
//! counts (default `10000,100000`). Each figure is the median of repeated runs.
//!
//! Measured on the 2-core build machine, 1 December 2026, while other builds ran (load 3–7):
//! in memory 10 000 → 9–15 ms, 100 000 → 231 ms; SQLite load + compute 2 000 → 108 ms,
//! 10 000 → 260 ms (232 ms of it loading), 100 000 → 2.0 s (1.8 s loading). Loading and
//! decoding every incident of the agreement is the cost, not the computation.

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use std::time::Instant;
use vakt::domain::agreement::Agreement;
use vakt::domain::classify::Facts;
use vakt::domain::ids::UserId;
use vakt::domain::incident::{BotAction, Incident, Milestone, NewIncident, Resolution};
use vakt::domain::report::{MonthSpec, monthly};
use vakt::service::ports::{Change, IncidentFilter, Store};
use vakt::storage::SqliteStore;

fn counts(var: &str, default: &str) -> Vec<usize> {
    std::env::var(var)
        .unwrap_or_else(|_| default.into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

fn agreement() -> Arc<Agreement> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("agreements");
    let cat = vakt::agreements::load_dir(&dir).unwrap_or_else(|e| panic!("agreements: {e}"));
    cat.get("borger-dk").expect("borger-dk").clone()
}

/// `n` incidents of Borger.dk between 1 September and 30 November 2026.
fn dataset(a: &Agreement, n: usize) -> Vec<Incident> {
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-09-01T06:00:00Z")
        .expect("start")
        .with_timezone(&Utc);
    let span = 91 * 24 * 3600i64;
    let step = (span / n.max(1) as i64).max(1);
    let impacts = ["unavailable", "functions", "must_fix", "minimal"];
    (0..n)
        .map(|k| {
            let at = start + Duration::seconds(step * k as i64);
            let (mut inc, _) = Incident::open(
                a,
                Incident::make_id(&a.incident_prefix, 2026, k as u32 + 1),
                NewIncident {
                    title: format!("bench {k}"),
                    description: String::new(),
                    reporter: UserId::new("bench"),
                    facts: Facts {
                        impact: impacts[k % 4].into(),
                        security: k % 97 == 0,
                        ..Facts::default()
                    },
                    service: None,
                    reported_at: at,
                },
            )
            .expect("open");
            if k % 53 == 0 {
                let _ = inc.override_priority(a, "manager", "1", "raised", at + Duration::minutes(2));
            }
            let ack = at + Duration::minutes(5 + (k % 40) as i64 * 7);
            if k % 11 == 0
                && let Some(due) = inc.due(Milestone::Response)
                && due < ack
            {
                inc.record(
                    &BotAction::Breached {
                        milestone: Milestone::Response,
                        due,
                        level: 1,
                        base: 1,
                        role: "second_level".into(),
                    },
                    due,
                );
            }
            inc.acknowledge("bench", ack).expect("ack");
            if k % 7 != 0 {
                let done = ack + Duration::hours(1 + (k % 60) as i64);
                inc.resolve("bench", Resolution::Fix, None, done).expect("resolve");
                if k % 29 == 0 {
                    inc.reopen(a, "bench", "back", done + Duration::hours(2))
                        .expect("reopen");
                    inc.resolve("bench", Resolution::Fix, None, done + Duration::hours(5))
                        .expect("resolve again");
                }
            }
            inc
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let a = agreement();
    let month = MonthSpec::parse("2026-10").expect("month");
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z")
        .expect("now")
        .with_timezone(&Utc);
    for n in counts("VAKT_BENCH_REPORT", "10000,100000") {
        let incs = dataset(&a, n);
        let runs = if n > 20_000 { 5 } else { 15 };
        let mut ms = Vec::new();
        let mut counted = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let r = monthly(&a, &incs, month, now).expect("report");
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
            counted = r.figures.response.counted();
        }
        println!(
            "in memory: monthly report over {n} incidents ({counted} responses counted in the month): median {:.1} ms of {runs} runs",
            median(ms)
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for n in counts("VAKT_BENCH_REPORT_DB", "10000,100000") {
        runtime.block_on(async {
            let dir = tempfile::tempdir().expect("temp dir");
            let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path().join("bench.db")).await.expect("open"));
            let fill = Instant::now();
            for inc in dataset(&a, n) {
                store.insert_incident(&inc, &Change::default()).await.expect("insert");
            }
            eprintln!("(filled SQLite with {n} incidents in {:.1} s)", fill.elapsed().as_secs_f64());
            // As the service and the CLI load a month: the agreement's incidents reported
            // before the month's end.
            let filter = IncidentFilter {
                agreement: Some(a.id.as_str().into()),
                reported_before: Some(month.bounds(a.tz).1),
                ..IncidentFilter::default()
            };
            let runs = if n > 20_000 { 3 } else { 9 };
            let (mut load_ms, mut total_ms) = (Vec::new(), Vec::new());
            for _ in 0..runs {
                let t = Instant::now();
                let incs = store.incidents(&filter).await.expect("load");
                let loaded = t.elapsed().as_secs_f64() * 1000.0;
                let r = monthly(&a, &incs, month, now).expect("report");
                std::hint::black_box(&r);
                load_ms.push(loaded);
                total_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            println!(
                "SQLite (file, WAL): load {n} incidents + monthly report: median {:.1} ms (loading {:.1} ms) of {runs} runs",
                median(total_ms),
                median(load_ms)
            );
        });
    }
}
