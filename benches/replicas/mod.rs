//! Replicas of the job runner on one database (issue 19, items 8 and 6): the real scheduler
//! path's throughput with 1, 2 and 4 runners sharing a PostgreSQL database (and 1 and 2 on one
//! SQLite file), with exactly-once checked by counting the chat's posts per job; then page
//! lateness with three runners (each running up to `CONCURRENCY` jobs at once) and a chat that
//! takes half a second per post.
//!
//! Each runner is a [`Scheduler`] with an owner of its own, over a service and a store (its
//! own connection pool) of its own, all on the same database, as separate replicas are. The
//! due jobs are the real ones: incidents opened through the service plan their cards,
//! notifications, warnings, escalations and status updates, and the runners drain them.
//! Every post carries its job's id as nonce; the recording chat keeps each nonce with the
//! instant it was answered. The real clock only measures; the runners' clock is a
//! [`FakeClock`] for throughput and a real one ([`SpedUpClock`] at speed 1) for lateness, so
//! that leases can run out there as they would in production.

use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use vakt::console::clock::{FakeClock, SpedUpClock};
use vakt::domain::catalog::Catalog;
use vakt::scheduler::Scheduler;
use vakt::service::Actor;
use vakt::service::ports::{Chat, ChatError, Clock, IncidentSummary, MessageRef, Post, Store};
use vakt::storage::{PostgresStore, SqliteStore};

use crate::{CASES, env_usize, facts, now, pct};

/// A chat that answers each post after `delay` (real time) and records when, by nonce.
#[derive(Default)]
struct Recorder {
    delay: std::time::Duration,
    next: AtomicU64,
    posts: Mutex<Vec<(Option<String>, Instant)>>,
}

struct RecordingChat(Arc<Recorder>);

#[async_trait::async_trait]
impl Chat for RecordingChat {
    async fn post(&self, post: &Post) -> Result<MessageRef, ChatError> {
        if !self.0.delay.is_zero() {
            tokio::time::sleep(self.0.delay).await;
        }
        let k = self.0.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut posts) = self.0.posts.lock() {
            posts.push((post.nonce.clone(), Instant::now()));
        }
        Ok(MessageRef {
            channel: "bench".into(),
            message: k.to_string(),
        })
    }

    async fn edit(&self, _: &MessageRef, _: &Post) -> Result<(), ChatError> {
        Ok(())
    }

    async fn start_conversation(&self, card: &MessageRef, _: &IncidentSummary) -> Result<MessageRef, ChatError> {
        Ok(MessageRef {
            channel: card.channel.clone(),
            message: format!("{}.thread", card.message),
        })
    }
}

/// One database the replicas share: where it is, for the runners' stores and for counting.
enum Db {
    Sqlite(tempfile::TempDir),
    Postgres { url: String, schema: String },
}

impl Db {
    async fn new(label: &str) -> Db {
        match std::env::var("VAKT_TEST_POSTGRES_URL") {
            Ok(url) => {
                let schema = format!("vakt_bench_replicas_{label}_{}", std::process::id());
                Db::Postgres { url, schema }
            }
            Err(_) => Db::Sqlite(tempfile::tempdir().expect("temp dir")),
        }
    }

    fn sqlite() -> Db {
        Db::Sqlite(tempfile::tempdir().expect("temp dir"))
    }

    fn name(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "SQLite (file, WAL)",
            Db::Postgres { .. } => "PostgreSQL",
        }
    }

    /// A store of its own (its own pool) on the shared database.
    async fn store(&self) -> Arc<dyn Store> {
        match self {
            Db::Sqlite(dir) => Arc::new(
                SqliteStore::open(dir.path().join("replicas.db"))
                    .await
                    .expect("open SQLite"),
            ),
            Db::Postgres { url, schema } => Arc::new(
                PostgresStore::connect_in_schema(url, schema)
                    .await
                    .expect("connect PostgreSQL"),
            ),
        }
    }

    /// Where to ask whether any job is still running (for the runners' tasks).
    fn running(&self) -> Running {
        match self {
            Db::Sqlite(dir) => Running::Sqlite(format!("sqlite:{}", dir.path().join("replicas.db").display())),
            Db::Postgres { url, schema } => Running::Postgres(
                url.clone(),
                format!("SELECT COUNT(*) FROM \"{schema}\".jobs WHERE state = 'running'"),
            ),
        }
    }

    /// Every job: id, kind, state, outcome.
    async fn jobs(&self) -> Vec<(i64, String, String, Option<String>)> {
        use sqlx::Connection;
        let select = "SELECT CAST(id AS BIGINT), kind, state, outcome FROM";
        match self {
            Db::Sqlite(dir) => {
                let path = dir.path().join("replicas.db");
                let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", path.display()))
                    .await
                    .expect("connect to count");
                sqlx::query_as(sqlx::AssertSqlSafe(format!("{select} jobs")))
                    .fetch_all(&mut conn)
                    .await
                    .expect("jobs")
            }
            Db::Postgres { url, schema } => {
                let mut conn = sqlx::PgConnection::connect(url).await.expect("connect to count");
                sqlx::query_as(sqlx::AssertSqlSafe(format!("{select} \"{schema}\".jobs")))
                    .fetch_all(&mut conn)
                    .await
                    .expect("jobs")
            }
        }
    }

    async fn drop(self) {
        if let Db::Postgres { url, schema } = self {
            crate::drop_schema(&url, &schema).await;
        }
    }
}

/// Asks the shared database whether any job is running (claimed and not finished).
#[derive(Clone)]
enum Running {
    Sqlite(String),
    Postgres(String, String),
}

impl Running {
    async fn any(&self) -> bool {
        use sqlx::Connection;
        let (n,): (i64,) = match self {
            Running::Sqlite(url) => {
                let mut conn = sqlx::SqliteConnection::connect(url).await.expect("connect to count");
                sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE state = 'running'")
                    .fetch_one(&mut conn)
                    .await
                    .expect("running")
            }
            Running::Postgres(url, sql) => {
                let mut conn = sqlx::PgConnection::connect(url).await.expect("connect to count");
                sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                    .fetch_one(&mut conn)
                    .await
                    .expect("running")
            }
        };
        n > 0
    }
}

/// Opens incidents through the service (a week before the runners' time) until about `jobs`
/// jobs are pending; returns how many incidents.
async fn seed(db: &Db, jobs: usize, catalog: Arc<Catalog>) -> usize {
    let store = db.store().await;
    let service = crate::service(store, Arc::new(FakeClock::new(now())), catalog);
    let actor = Actor::new("bench", vec!["responder".into()]);
    let mut opened = 0;
    let mut per_incident = 0;
    while opened == 0 || opened * per_incident < jobs {
        let (agreement, _, _) = CASES[opened % CASES.len()];
        service
            .open(&actor, agreement, &format!("Replica bench {opened}"), "", facts(opened))
            .await
            .expect("open");
        opened += 1;
        if opened == 1 {
            per_incident = db.jobs().await.len().max(1);
        }
    }
    opened
}

/// What the runners did, summed.
#[derive(Default)]
struct Drained {
    ran: usize,
    lease_lost: usize,
    retried: usize,
    failed: usize,
    /// Jobs put back to wait for an earlier post of their incident.
    waited: usize,
    /// Jobs run by each runner.
    per_runner: Vec<usize>,
}

/// What a runner's ticks take as now.
#[derive(Clone, Copy)]
enum TickTime {
    /// A moment that stands still: once nothing runs, a runner moves its time on to a job due
    /// within a minute after it.
    Fixed(DateTime<Utc>),
    /// The runners' clock.
    Clock,
}

/// Runs `replicas` schedulers concurrently until none finds a due job at `time`.
async fn drain(
    db: &Db,
    replicas: usize,
    recorder: &Arc<Recorder>,
    clock: Arc<dyn Clock>,
    catalog: &Arc<Catalog>,
    time: TickTime,
) -> Drained {
    let mut runners = Vec::new();
    for r in 0..replicas {
        let store = db.store().await;
        let chat: Arc<dyn Chat> = Arc::new(RecordingChat(recorder.clone()));
        let service = crate::service_with(store.clone(), chat, clock.clone(), catalog.clone());
        runners.push((
            Scheduler::new(store.clone(), Arc::new(service), format!("replica-{r}")),
            store,
            clock.clone(),
        ));
    }
    // Spawned all at once (collected), so the replicas run concurrently.
    let tasks: Vec<_> = runners
        .into_iter()
        .map(|(scheduler, store, clock)| {
            let running = db.running();
            tokio::spawn(async move {
                let mut d = Drained::default();
                // Where the runner's time moved past `at`: see below.
                let mut moved: Option<DateTime<Utc>> = None;
                loop {
                    let t = match time {
                        TickTime::Fixed(at) => moved.map_or(at, |m| m.max(at)),
                        TickTime::Clock => clock.now(),
                    };
                    let report = scheduler.tick(t).await.expect("tick");
                    d.ran += report.ran;
                    d.retried += report.retried;
                    d.failed += report.failed;
                    d.waited += report.waited;
                    d.lease_lost += report.outcomes.iter().filter(|(_, o)| o == "lease lost").count();
                    let due = store.next_due().await.expect("next due");
                    // A runner that found nothing polls again (every 50 ms, as an idle replica
                    // would) while another still runs jobs that may plan more or be lost.
                    if report.ran == 0 && due.is_none_or(|d| d > t) {
                        if !running.any().await {
                            // A job put back to wait for its incident's earlier job at another
                            // runner falls due a moment after `t`: on a fixed clock that
                            // moment never comes, so once nothing runs (no lease to outrun)
                            // the runner's time moves on to it, as a real clock's would.
                            if let Some(next) =
                                due.filter(|&d| matches!(time, TickTime::Fixed(_)) && d <= t + Duration::minutes(1))
                            {
                                moved = Some(next);
                                continue;
                            }
                            break;
                        }
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    }
                }
                d
            })
        })
        .collect();
    let mut sum = Drained::default();
    for task in tasks {
        let d = task.await.expect("runner");
        sum.ran += d.ran;
        sum.lease_lost += d.lease_lost;
        sum.retried += d.retried;
        sum.failed += d.failed;
        sum.waited += d.waited;
        sum.per_runner.push(d.ran);
    }
    sum
}

/// Exactly-once, counted: posts per job nonce, jobs done as posted without a post, jobs left.
struct Effects {
    duplicates: usize,
    unposted: usize,
    without_nonce: usize,
    not_done: usize,
    posts: usize,
}

async fn effects(db: &Db, recorder: &Recorder, by: DateTime<Utc>) -> (Effects, HashMap<String, String>) {
    let jobs = db.jobs().await;
    let left_due = db
        .store()
        .await
        .next_due()
        .await
        .expect("next due")
        .is_some_and(|d| d <= by);
    let posts = recorder.posts.lock().map(|p| p.clone()).unwrap_or_default();
    let mut per_nonce: HashMap<&str, usize> = HashMap::new();
    let mut without_nonce = 0;
    for (nonce, _) in &posts {
        match nonce {
            Some(n) => *per_nonce.entry(n.as_str()).or_default() += 1,
            None => without_nonce += 1,
        }
    }
    let kinds = jobs
        .iter()
        .map(|(id, kind, _, _)| (id.to_string(), kind.clone()))
        .collect();
    let unposted = jobs
        .iter()
        .filter(|(id, _, state, outcome)| {
            state == "done" && outcome.as_deref() == Some("posted") && !per_nonce.contains_key(id.to_string().as_str())
        })
        .count();
    // Jobs left running, or any still due at the runners' time.
    let not_done = jobs.iter().filter(|(_, _, state, _)| state == "running").count() + usize::from(left_due);
    let e = Effects {
        duplicates: per_nonce.values().filter(|&&c| c > 1).count(),
        unposted,
        without_nonce,
        not_done,
        posts: posts.len(),
    };
    (e, kinds)
}

/// Item 8: jobs per second with 1, 2 and 4 replicas (PostgreSQL) and 1, 2 (SQLite).
async fn throughput(catalog: &Arc<Catalog>, jobs: usize) {
    println!(
        "| backend | replicas | incidents | jobs run | s | jobs/s | posts (without nonce) | duplicate posts | done-as-posted without a post | left running or due | lease lost |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let pg = std::env::var("VAKT_TEST_POSTGRES_URL").is_ok();
    let mut runs: Vec<(bool, usize)> = vec![(false, 1), (false, 2)];
    if pg {
        runs.extend([(true, 1), (true, 2), (true, 4)]);
    } else {
        eprintln!("SKIPPED: PostgreSQL replicas — set VAKT_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test");
    }
    for (on_pg, replicas) in runs {
        let db = if on_pg {
            Db::new(&format!("r{replicas}")).await
        } else {
            Db::sqlite()
        };
        let incidents = seed(&db, jobs, catalog.clone()).await;
        let recorder = Arc::new(Recorder::default());
        let clock: Arc<dyn Clock> = Arc::new(FakeClock::new(now()));
        let t = Instant::now();
        let d = drain(
            &db,
            replicas,
            &recorder,
            clock,
            catalog,
            TickTime::Fixed(now() + Duration::days(7)),
        )
        .await;
        let secs = t.elapsed().as_secs_f64();
        let (e, _) = effects(&db, &recorder, now() + Duration::days(7)).await;
        println!(
            "| {} | {replicas} | {incidents} | {} | {secs:.2} | {:.0} | {} ({}) | {} | {} | {} | {} |",
            db.name(),
            d.ran,
            d.ran as f64 / secs,
            e.posts,
            e.without_nonce,
            e.duplicates,
            e.unposted,
            e.not_done,
            d.lease_lost
        );
        if e.duplicates > 0 || e.unposted > 0 || e.not_done > 0 || d.failed > 0 {
            println!("  ^ EXACTLY-ONCE NOT HELD ({} failed, {} retried)", d.failed, d.retried);
        }
        db.drop().await;
    }
}

/// Item 6's figure: three replicas, a chat answering each post in half a second, every job
/// due when the runners start; lateness = answer time − start.
async fn lateness(catalog: &Arc<Catalog>, jobs: usize) {
    let db = Db::new("late").await;
    let incidents = seed(&db, jobs, catalog.clone()).await;
    let recorder = Arc::new(Recorder {
        delay: std::time::Duration::from_millis(500),
        ..Recorder::default()
    });
    let clock: Arc<dyn Clock> = Arc::new(SpedUpClock::new(now() + Duration::days(7), 1.0));
    let start = Instant::now();
    let d = drain(&db, 3, &recorder, clock.clone(), catalog, TickTime::Clock).await;
    let secs = start.elapsed().as_secs_f64();
    let (e, kinds) = effects(&db, &recorder, clock.now() - Duration::seconds(40)).await;
    let posts = recorder.posts.lock().map(|p| p.clone()).unwrap_or_default();
    let late = |pages: bool| {
        let mut v: Vec<f64> = posts
            .iter()
            .filter(|(nonce, _)| {
                !pages
                    || nonce
                        .as_ref()
                        .and_then(|n| kinds.get(n))
                        .is_some_and(|k| matches!(k.as_str(), "notify" | "repage" | "escalation"))
            })
            .map(|(_, at)| at.duration_since(start).as_secs_f64())
            .collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let (all, pages) = (late(false), late(true));
    let figure = |v: &[f64]| {
        if v.is_empty() {
            "–".to_string()
        } else {
            format!("{:.1} / {:.1} / {:.1} s", pct(v, 0.5), pct(v, 0.95), v[v.len() - 1])
        }
    };
    // However the work is shared, three runners with `CONCURRENCY` slots each, posting at
    // 0.5 s a post, answer post k no sooner than ceil(k / (3 × slots)) × 0.5 s after the start.
    let lanes = 3 * vakt::scheduler::CONCURRENCY;
    let floor: Vec<f64> = (1..=all.len()).map(|k| k.div_ceil(lanes) as f64 * 0.5).collect();
    println!(
        "{}: {incidents} incidents, {} jobs ran in {secs:.1} s with 3 replicas of {} slots and a 0.5 s chat; lease lost {}, waited {}, per runner {:?}, retried {}, failed {}, duplicate posts {}, left running {}",
        db.name(),
        d.ran,
        vakt::scheduler::CONCURRENCY,
        d.lease_lost,
        d.waited,
        d.per_runner,
        d.retried,
        d.failed,
        e.duplicates,
        e.not_done
    );
    println!("| lateness (answer − due) | posts | p50 / p95 / max |");
    println!("|---|---|---|");
    println!("| every post | {} | {} |", all.len(), figure(&all));
    println!(
        "| pages (notify, repage, escalation) | {} | {} |",
        pages.len(),
        figure(&pages)
    );
    println!(
        "| floor for this backlog ({lanes} posts of 0.5 s in parallel) | {} | {} |",
        floor.len(),
        figure(&floor)
    );
    db.drop().await;
}

/// Runs both parts: `VAKT_SCALE_REPLICA_JOBS` (default 2 000) for throughput,
/// `VAKT_SCALE_LATE_JOBS` (default 300) for lateness.
pub async fn run(catalog: Arc<Catalog>) {
    println!(
        "load: {}",
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim()
    );
    throughput(&catalog, env_usize("VAKT_SCALE_REPLICA_JOBS", 2_000)).await;
    println!(
        "load: {}",
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim()
    );
    lateness(&catalog, env_usize("VAKT_SCALE_LATE_JOBS", 300)).await;
    println!(
        "load: {}",
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim()
    );
}
