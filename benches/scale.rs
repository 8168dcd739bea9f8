//! A year of a busy service: every interaction at 1 000, 10 000 and 100 000 incidents of
//! history, the open against the floor of one bare durable commit, and the scheduler's real
//! path (handlers, posts, records) in jobs per second against the same floor.
//!
//! Run with `cargo bench --bench scale`. `VAKT_SCALE_MAX` caps the history sizes (default
//! 100000; `VAKT_SCALE_MAX=10000` runs the two smaller ones), `VAKT_SCALE_RUNS` the repeats
//! per figure (default 5; each figure is the median). The histories live in SQLite files in a
//! temporary directory and are seeded through a benchmark-only bulk path
//! (`SqliteStore::seed_for_bench`: the store's own insert, one transaction per 2 000
//! incidents). The open-versus-floor and real-path figures also run on PostgreSQL when
//! `VAKT_TEST_POSTGRES_URL` is set (in fresh schemas, dropped afterwards).
//!
//! The history: incidents of four agreements (SSBTEK, Borger.dk, Inera, Altinn) reported
//! evenly from 1 December 2025 to the bench's "now", 5 December 2026 10:00 UTC, each with its
//! timeline (opened, acknowledged, a tenth breached, resolved, closed) and six jobs (done for
//! settled incidents; pending and due after now for open ones). One in fifty is still open or
//! acknowledged — the recent ones more often — as a busy service has them.
//!
//! Start-up is measured in a child process (this binary run again): the store opened, the
//! service wired and started (`app::start_up`: adopting changed agreements, scheduling
//! recurring posts and duties), then the first answer (`show`); its idle RSS is read from
//! `/proc/self/status` after that.
//!
//! The open's line also splits its time into the open and the show after it. The WAL lines say
//! how much each open and each floor commit writes; on SQLite each open's pages are also
//! attributed to the table or index they belong to (its log's frame headers read against the
//! `dbstat` table), which says what an open's commit costs and why.
//!
//! `VAKT_SCALE_CONCURRENCY` sets the real path's runner slots (default the scheduler's).
//! `VAKT_SCALE_TRACE=1` writes sqlx's statement log as JSON lines to stderr (each statement
//! with `elapsed_secs`): summed per statement, it shows which ones the time goes to.
//! `VAKT_SCALE_KEEP=DIR` keeps a copy of each history as seeded (`DIR/history-N.db`, for
//! looking at query plans).
//!
//! `VAKT_SCALE_REPLICAS=1` runs only the replica figures instead (see the `replicas` module):
//! the real path's throughput with 1, 2 and 4 runners on one database, exactly-once counted,
//! and page lateness with three runners and a slow chat.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use vakt::config::Config;
use vakt::console::clock::FakeClock;
use vakt::domain::agreement::Agreement;
use vakt::domain::catalog::Catalog;
use vakt::domain::classify::Facts;
use vakt::domain::ids::UserId;
use vakt::domain::incident::{BotAction, Incident, Milestone, NewIncident, Resolution, State};
use vakt::domain::period::Period;
use vakt::domain::plan::{Group, JobKind};
use vakt::scheduler::Scheduler;
use vakt::service::ports::{Change, Chat, ChatError, Clock, IncidentSummary, MessageRef, NewJob, Post, Store};
use vakt::service::{Actor, ListScope, Service};
use vakt::storage::{PostgresStore, SqliteStore};

mod replicas;

/// The agreements, and facts that give each a high priority.
const CASES: [(&str, &str, Option<f64>); 4] = [
    ("ssbtek", "1", None),
    ("borger-dk", "users", Some(30.0)),
    ("inera", "unusable", None),
    ("altinn", "unavailable", None),
];

/// Incidents per seeding transaction.
const SEED_BATCH: usize = 2_000;

/// A chat that answers at once and keeps nothing.
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

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 5, 10, 0, 0).unwrap()
}

fn env_usize(var: &str, default: usize) -> usize {
    std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn catalog() -> Arc<Catalog> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("agreements");
    Arc::new(vakt::agreements::load_dir(&dir).unwrap_or_else(|e| panic!("agreements: {e}")))
}

fn config(catalog: &Catalog) -> Config {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-vakt.toml");
    let mut config = Config::load(&path, &|_| None).expect("config");
    config.resolve(catalog, &path).expect("config resolves");
    config
}

fn service(store: Arc<dyn Store>, clock: Arc<FakeClock>, catalog: Arc<Catalog>) -> Service {
    service_with(store, Arc::new(NullChat), clock, catalog)
}

/// A service over `store` posting to `chat` on `clock`, with the default configuration.
fn service_with(store: Arc<dyn Store>, chat: Arc<dyn Chat>, clock: Arc<dyn Clock>, catalog: Arc<Catalog>) -> Service {
    let config = config(&catalog);
    Service::new(store, chat, clock, catalog, Arc::new(vakt::app::settings(&config)))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Incident `k` of `n` in the history, with the change that stores it.
fn historic(a: &Agreement, k: usize, n: usize, facts: Facts) -> (Incident, Change) {
    let start = Utc.with_ymd_and_hms(2025, 12, 1, 0, 0, 0).unwrap();
    let span = (now() - start).num_seconds() - 3_600;
    let at = start + Duration::seconds(span * k as i64 / n as i64);
    let seq = u32::try_from(k / CASES.len() + 1).expect("sequence");
    let (mut inc, mut timeline) = Incident::open(
        a,
        Incident::make_id(&a.incident_prefix, 2026, seq),
        NewIncident {
            title: format!("Incident {k} of the year"),
            description: String::new(),
            reporter: UserId::new("bench"),
            facts,
            service: None,
            reported_at: at,
        },
    )
    .expect("open");
    // One in fifty still active, and every incident of the last two days.
    let active = k.is_multiple_of(50) || now() - at < Duration::days(2);
    let ack = at + Duration::minutes(5 + (k % 40) as i64 * 7);
    if k.is_multiple_of(10)
        && let Some(due) = inc.due(Milestone::Response)
        && due < ack.min(now())
    {
        timeline.extend(inc.record(
            &BotAction::Breached {
                milestone: Milestone::Response,
                due,
                level: 1,
                base: 1,
                role: "second_level".into(),
            },
            due,
        ));
    }
    if ack < now() && (!active || k.is_multiple_of(2)) {
        timeline.extend(inc.acknowledge("bench", ack).expect("ack"));
    }
    if !active {
        let done = ack + Duration::hours(1 + (k % 30) as i64);
        timeline.extend(inc.resolve("bench", Resolution::Fix, None, done).expect("resolve"));
        timeline.extend(inc.close("bench", done + Duration::days(1)).expect("close"));
    }
    let jobs = (0..6)
        .map(|j| NewJob {
            key: format!("{}/bench/{j}", inc.id()),
            kind: JobKind::StatusUpdate,
            incident: Some(inc.id().clone()),
            group: Group::Status,
            due_at: if active {
                now() + Duration::days(30 + j)
            } else {
                at + Duration::minutes(30 * j)
            },
            payload: json!({ "seq": j }),
        })
        .collect();
    let change = Change {
        timeline,
        jobs,
        ..Change::default()
    };
    (inc, change)
}

fn facts(k: usize) -> Facts {
    let (_, impact, users) = CASES[k % CASES.len()];
    Facts {
        impact: impact.into(),
        users_affected: users,
        ..Facts::default()
    }
}

/// Seeds `n` incidents of history into a new SQLite file at `path`.
async fn seed(path: &Path, n: usize, catalog: &Catalog) {
    let store = SqliteStore::open(path).await.expect("open SQLite");
    let agreements: Vec<Arc<Agreement>> = CASES
        .iter()
        .map(|(id, _, _)| catalog.get(id).expect("agreement").clone())
        .collect();
    let t = Instant::now();
    let mut k = 0;
    while k < n {
        let end = (k + SEED_BATCH).min(n);
        let batch: Vec<(Incident, Change)> = (k..end)
            .map(|k| historic(&agreements[k % CASES.len()], k, n, facts(k)))
            .collect();
        store.seed_for_bench(&batch).await.expect("seed");
        k = end;
    }
    // Settled incidents' jobs ran; the sequences continue after the history.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", path.display()))
        .await
        .expect("connect to adjust");
    sqlx::query(
        "UPDATE jobs SET state = 'done', fired_at = due_at, outcome = 'posted', attempts = 1 \
         WHERE incident_id IN (SELECT id FROM incidents WHERE state = 'closed')",
    )
    .execute(&pool)
    .await
    .expect("jobs done");
    for a in &agreements {
        sqlx::query(
            "INSERT INTO incident_sequences (prefix, year, next) VALUES ($1, 2026, $2) \
             ON CONFLICT (prefix, year) DO UPDATE SET next = excluded.next",
        )
        .bind(&a.incident_prefix)
        .bind((n / CASES.len() + 2) as i64)
        .execute(&pool)
        .await
        .expect("sequence");
    }
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&pool)
        .await
        .expect("checkpoint");
    pool.close().await;
    store.close().await;
    eprintln!("(seeded {n} incidents in {:.1} s)", t.elapsed().as_secs_f64());
}

/// The child process: start-up to the first answer, then idle RSS.
fn child(path: &str) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (startup, rss, steps) = runtime.block_on(async {
        let t = Instant::now();
        let catalog = catalog();
        let config = config(&catalog);
        let loaded = t.elapsed();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(path).await.expect("open"));
        let opened = t.elapsed();
        let clock = Arc::new(FakeClock::new(now()));
        let app = vakt::app::wire(
            Arc::new(config),
            catalog,
            clock,
            Arc::new(NullChat),
            store,
            "bench-child",
        );
        vakt::app::start_up(&app).await.expect("start-up");
        let started = t.elapsed();
        let id = Incident::make_id("SSB", 2026, 1);
        std::hint::black_box(app.service.show(id.as_str()).await.expect("first answer"));
        let startup = t.elapsed();
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let steps = [loaded, opened - loaded, started - opened, startup - started];
        (startup, rss_kib(), steps.map(ms))
    });
    // Total and RSS, then the steps: agreements and configuration loaded, store opened
    // (migrations checked), start-up work, first answer.
    println!(
        "{} {} {:.1} {:.1} {:.1} {:.1}",
        startup.as_secs_f64() * 1e3,
        rss,
        steps[0],
        steps[1],
        steps[2],
        steps[3]
    );
}

/// This process's resident set in KiB.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Start-up (ms) and idle RSS (MiB) over `runs` child processes, medians; the steps of each
/// run go to stderr.
fn startup(path: &Path, runs: usize) -> (f64, f64) {
    let exe = std::env::current_exe().expect("this benchmark");
    let (mut times, mut rss) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let out = std::process::Command::new(&exe)
            .env("VAKT_SCALE_CHILD", path)
            .output()
            .expect("child");
        let text = String::from_utf8_lossy(&out.stdout);
        let mut words = text.split_whitespace();
        let (Some(t), Some(r)) = (words.next(), words.next()) else {
            panic!("child said {text:?} {}", String::from_utf8_lossy(&out.stderr));
        };
        times.push(t.parse::<f64>().expect("ms"));
        rss.push(r.parse::<f64>().expect("kib") / 1024.0);
        let steps: Vec<&str> = words.collect();
        eprintln!(
            "(start-up {t} ms: agreements {} / store opened {} / start-up work {} / first answer {} ms)",
            steps.first().unwrap_or(&"?"),
            steps.get(1).unwrap_or(&"?"),
            steps.get(2).unwrap_or(&"?"),
            steps.get(3).unwrap_or(&"?")
        );
    }
    (median(times), median(rss))
}

/// Median time (ms) of `runs` calls of `f`.
async fn time<F, Fut, T>(runs: usize, mut f: F) -> f64
where
    F: FnMut() -> Fut,
    Fut: Future<Output = T>,
{
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f().await);
        v.push(ms(t.elapsed()));
    }
    median(v)
}

/// The figures of one history size.
async fn history(n: usize, runs: usize, catalog: Arc<Catalog>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.db");
    seed(&path, n, &catalog).await;
    if let Ok(keep) = std::env::var("VAKT_SCALE_KEEP") {
        let copy = Path::new(&keep).join(format!("history-{n}.db"));
        std::fs::copy(&path, &copy).expect("keep a copy of the history");
        eprintln!("(a copy of the history: {})", copy.display());
    }
    let (startup_ms, rss_mib) = startup(&path, runs.min(3));

    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).await.expect("open"));
    let clock = Arc::new(FakeClock::new(now()));
    let runner = Arc::new(service(store.clone(), clock.clone(), catalog.clone()));
    let service = service(store.clone(), clock.clone(), catalog);
    let scheduler = Scheduler::new(store.clone(), runner, "bench");
    let actor = Actor::new("bench", vec!["responder".into()]);

    let list = time(runs, || async {
        service.list_page(None, ListScope::Active, 0).await.expect("list")
    })
    .await;
    let breaching = time(runs, || async {
        service
            .list_page(None, ListScope::Breaching, 0)
            .await
            .expect("breaching")
    })
    .await;
    let autocomplete = time(runs, || async {
        let active = [State::Open, State::Acknowledged];
        service
            .search_incidents("ssb-2026-00", &active, 25)
            .await
            .expect("search")
    })
    .await;
    let week = time(runs, || async {
        service
            .list_page(None, ListScope::BreachedThisWeek, 0)
            .await
            .expect("breached this week")
    })
    .await;
    let weekly = Period::parse("2026-W48").expect("week");
    let monthly = Period::parse("2026-11").expect("month");
    let report_weekly = time(runs, || async {
        service.compute_report("borger-dk", weekly).await.expect("weekly")
    })
    .await;
    let report_monthly = time(runs, || async {
        service.compute_report("borger-dk", monthly).await.expect("monthly")
    })
    .await;
    let shown = Incident::make_id("SSB", 2026, 1);
    let show = time(runs * 4, || async { service.show(shown.as_str()).await.expect("show") }).await;
    let tick = time(runs * 4, || async { scheduler.tick(now()).await.expect("tick") }).await;
    let mut opened = Vec::new();
    let open = time(runs * 4, || {
        let f = facts(0);
        let service = &service;
        let actor = &actor;
        async move { service.open(actor, "ssbtek", "Bench open", "", f).await.expect("open") }
    })
    .await;
    for _ in 0..runs * 4 {
        let f = facts(0);
        opened.push(service.open(&actor, "ssbtek", "Bench ack", "", f).await.expect("open"));
    }
    let mut acks = Vec::new();
    for inc in &opened {
        let t = Instant::now();
        service.acknowledge(&actor, inc.id().as_str()).await.expect("ack");
        acks.push(ms(t.elapsed()));
    }
    let ack = median(acks);
    println!(
        "| {n:>7} | {startup_ms:7.0} ms | {rss_mib:5.0} MiB | {list:8.1} ms | {breaching:8.1} / {autocomplete:.1} ms | {week:8.1} ms | \
         {report_weekly:8.1} ms | {report_monthly:8.1} ms | {show:.2} / {tick:.2} / {open:.2} / {ack:.2} ms |"
    );
}

/// The floor: one bare durable commit of a row like an incident's, on the same database;
/// and what the database's write-ahead log grew by, to count what a commit writes.
trait Floor {
    async fn commit(&mut self, k: i64, data: &str);

    /// Marks the log's position now (SQLite: checkpoints and truncates it first).
    async fn wal_mark(&mut self) -> String;

    /// What the log grew by since `mark`, in [`WAL_UNIT`](Floor::WAL_UNIT)s.
    async fn wal_since(&mut self, mark: &str) -> f64;

    /// The unit of [`wal_since`](Floor::wal_since).
    const WAL_UNIT: &'static str;

    /// Which table or index each page in the log since the last [`wal_mark`](Floor::wal_mark)
    /// belongs to (SQLite: the log's frame headers read against `dbstat`; elsewhere nothing).
    async fn wal_pages_by_tree(&mut self) -> Vec<String> {
        Vec::new()
    }
}

/// The SQLite floor: its own connection to the store's file (`path`).
struct SqliteFloor(sqlx::SqliteConnection, std::path::PathBuf);

impl SqliteFloor {
    /// The write-ahead log's frame size (a page and its 24-byte header) and its file.
    async fn log(&mut self) -> (usize, std::ffi::OsString) {
        let page: i64 = sqlx::query_scalar("PRAGMA page_size")
            .fetch_one(&mut self.0)
            .await
            .expect("page size");
        let mut wal = self.1.clone().into_os_string();
        wal.push("-wal");
        (page as usize + 24, wal)
    }
}

impl Floor for SqliteFloor {
    async fn commit(&mut self, k: i64, data: &str) {
        sqlx::query("INSERT INTO bench_floor (id, data) VALUES ($1, $2)")
            .bind(k)
            .bind(data)
            .execute(&mut self.0)
            .await
            .expect("floor commit");
    }

    /// Checkpoints the log and truncates it to nothing; the next commit writes it from its
    /// start. The store's own checkpointer may be copying the log at that moment: then this
    /// tries again.
    async fn wal_mark(&mut self) -> String {
        for _ in 0..1_000 {
            let busy: i64 = sqlx::query_scalar("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&mut self.0)
                .await
                .expect("checkpoint");
            if busy == 0 {
                return String::new();
            }
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        panic!("the log could not be truncated");
    }

    /// Frames appended: (size − 32-byte header) / (page + 24-byte frame header).
    async fn wal_since(&mut self, _: &str) -> f64 {
        let (frame, wal) = self.log().await;
        let size = std::fs::metadata(&wal).map_or(0, |m| m.len()) as f64;
        ((size - 32.0) / frame as f64).max(0.0)
    }

    const WAL_UNIT: &'static str = "pages";

    /// Each frame's header starts with its page's number (big-endian, after the log's 32-byte
    /// header); a page written twice counts twice, as it costs.
    async fn wal_pages_by_tree(&mut self) -> Vec<String> {
        let (frame, wal) = self.log().await;
        let log = std::fs::read(&wal).unwrap_or_default();
        let pages: Vec<i64> = log
            .get(32..)
            .unwrap_or_default()
            .chunks_exact(frame)
            .map(|f| i64::from(u32::from_be_bytes([f[0], f[1], f[2], f[3]])))
            .collect();
        let owners: std::collections::HashMap<i64, String> =
            sqlx::query_as::<_, (i64, String)>("SELECT pageno, name FROM dbstat")
                .fetch_all(&mut self.0)
                .await
                .expect("dbstat")
                .into_iter()
                .collect();
        pages
            .iter()
            .map(|p| owners.get(p).cloned().unwrap_or_else(|| "(free or header)".into()))
            .collect()
    }
}

struct PgFloor(sqlx::PgConnection);

impl Floor for PgFloor {
    async fn commit(&mut self, k: i64, data: &str) {
        sqlx::query("INSERT INTO bench_floor (id, data) VALUES ($1, $2)")
            .bind(k)
            .bind(data)
            .execute(&mut self.0)
            .await
            .expect("floor commit");
    }

    async fn wal_mark(&mut self) -> String {
        sqlx::query_scalar("SELECT pg_current_wal_lsn()::text")
            .fetch_one(&mut self.0)
            .await
            .expect("WAL position")
    }

    /// Bytes of WAL since `mark` (the whole server's: other sessions' writes count too).
    async fn wal_since(&mut self, mark: &str) -> f64 {
        let bytes: i64 = sqlx::query_scalar("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint")
            .bind(mark)
            .fetch_one(&mut self.0)
            .await
            .expect("WAL bytes");
        bytes as f64
    }

    const WAL_UNIT: &'static str = "bytes";
}

/// Median WAL growth of `runs` opens through `service` and of `runs` floor commits, each
/// measured alone.
async fn wal_per_open(service: &Service, f: &mut impl Floor, runs: usize) -> (f64, f64) {
    let actor = Actor::new("bench", vec!["responder".into()]);
    let data = "x".repeat(1_500);
    let (mut opens, mut floors) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    let mut trees = std::collections::BTreeMap::<String, usize>::new();
    for k in 0..runs {
        let mark = f.wal_mark().await;
        f.commit(1_000_000 + k as i64, &data).await;
        floors.push(f.wal_since(&mark).await);
        let (agreement, _, _) = CASES[k % CASES.len()];
        let mark = f.wal_mark().await;
        service
            .open(&actor, agreement, &format!("Bench WAL {k}"), "", facts(k))
            .await
            .expect("open");
        opens.push(f.wal_since(&mark).await);
        for tree in f.wal_pages_by_tree().await {
            *trees.entry(tree).or_default() += 1;
        }
    }
    if !trees.is_empty() {
        let mut trees: Vec<_> = trees.into_iter().collect();
        trees.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mean = |n: usize| n as f64 / runs as f64;
        let shown: Vec<String> = trees.iter().map(|(t, n)| format!("{t} {:.1}", mean(*n))).collect();
        println!(
            "  WAL pages per open by table or index (means of {runs}): {}",
            shown.join(", ")
        );
    }
    (median(opens), median(floors))
}

/// Open + show, p50 and p99 (ms), each open after one floor commit on the same database, so
/// both meet the same disk and the same load.
async fn open_against_floor<F: Floor>(name: &str, store: Arc<dyn Store>, f: &mut F, n: usize, catalog: Arc<Catalog>) {
    let clock = Arc::new(FakeClock::new(now()));
    let service = service(store.clone(), clock.clone(), catalog);
    let actor = Actor::new("bench", vec!["responder".into()]);
    let data = "x".repeat(1_500);
    let (mut opens, mut floors) = (Vec::with_capacity(n), Vec::with_capacity(n));
    // Each open's time split into the open and the show after it.
    let mut parts = Vec::with_capacity(n);
    for k in 0..n {
        let t = Instant::now();
        f.commit(k as i64 + 1, &data).await;
        floors.push(ms(t.elapsed()));
        let (agreement, _, _) = CASES[k % CASES.len()];
        let t = Instant::now();
        let inc = service
            .open(&actor, agreement, &format!("Bench incident {k}"), "", facts(k))
            .await
            .expect("open");
        let opened = t.elapsed();
        std::hint::black_box(service.show(inc.id().as_str()).await.expect("show"));
        opens.push(ms(t.elapsed()));
        parts.push((ms(opened), ms(t.elapsed() - opened)));
        clock.advance(Duration::seconds(20));
    }
    opens.sort_by(f64::total_cmp);
    floors.sort_by(f64::total_cmp);
    let (p50, p99) = (pct(&opens, 0.5), pct(&opens, 0.99));
    let (floor_p50, floor_p99) = (pct(&floors, 0.5), pct(&floors, 0.99));
    let (mut open_alone, mut show_alone): (Vec<f64>, Vec<f64>) = parts.into_iter().unzip();
    open_alone.sort_by(f64::total_cmp);
    show_alone.sort_by(f64::total_cmp);
    println!(
        "{name}: open + show p50 {p50:.2} ms, p99 {p99:.2} ms; floor commit p50 {floor_p50:.2} ms, p99 {floor_p99:.2} ms \
         → {:.1}× / {:.1}× the floor ({n} opens; the open alone p50 {:.2} ms, the show {:.2} ms)",
        p50 / floor_p50,
        p99 / floor_p99,
        pct(&open_alone, 0.5),
        pct(&show_alone, 0.5),
    );
    let (wal_open, wal_floor) = wal_per_open(&service, f, 50).await;
    println!(
        "{name}: WAL per open {wal_open:.0} {unit}, per floor commit {wal_floor:.0} {unit} (medians of 50 each)",
        unit = F::WAL_UNIT
    );
    // The real path: every job those incidents planned, due at once a week later.
    let later = service.now() + Duration::days(7);
    let scheduler = Scheduler::new(store.clone(), Arc::new(service), "bench-runner")
        .with_concurrency(env_usize("VAKT_SCALE_CONCURRENCY", vakt::scheduler::CONCURRENCY));
    let t = Instant::now();
    let mut ran = 0;
    loop {
        let report = scheduler.tick(later).await.expect("tick");
        if report.ran == 0 {
            break;
        }
        ran += report.ran;
    }
    let secs = t.elapsed().as_secs_f64();
    let per_s = ran as f64 / secs;
    println!(
        "{name}: real path {ran} jobs in {secs:.2} s = {per_s:.0} jobs/s; floor {:.0} commits/s → {:.2} jobs per floor commit",
        1e3 / floor_p50,
        per_s * floor_p50 / 1e3
    );
}

async fn floors(catalog: Arc<Catalog>, n: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("open.db");
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).await.expect("open"));
    let mut conn = {
        use sqlx::ConnectOptions;
        sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .foreign_keys(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .pragma("wal_autocheckpoint", SqliteStore::WAL_AUTOCHECKPOINT.to_string())
            .connect()
            .await
            .expect("floor connection")
    };
    sqlx::query("CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, data TEXT NOT NULL)")
        .execute(&mut conn)
        .await
        .expect("floor table");
    let mut floor = SqliteFloor(conn, path.clone());
    open_against_floor("SQLite (file, WAL)", store, &mut floor, n, catalog.clone()).await;

    let Ok(url) = std::env::var("VAKT_TEST_POSTGRES_URL") else {
        eprintln!("SKIPPED: PostgreSQL figures — set VAKT_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test");
        return;
    };
    use sqlx::Connection;
    let schema = format!("vakt_bench_scale_{}", std::process::id());
    let store: Arc<dyn Store> = Arc::new(PostgresStore::connect_in_schema(&url, &schema).await.expect("connect"));
    let mut conn = sqlx::PgConnection::connect(&url).await.expect("floor connection");
    for sql in [
        format!("SET search_path TO \"{schema}\""),
        "CREATE TABLE bench_floor (id BIGINT PRIMARY KEY, data TEXT NOT NULL)".to_string(),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .expect("floor table");
    }
    open_against_floor("PostgreSQL", store, &mut PgFloor(conn), n.min(500), catalog).await;
    drop_schema(&url, &schema).await;
}

/// Drops a bench's PostgreSQL schema and everything in it.
async fn drop_schema(url: &str, schema: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connect to drop");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"
    )))
    .execute(&mut conn)
    .await
    .expect("drop the bench schema");
}

fn main() {
    if let Ok(path) = std::env::var("VAKT_SCALE_CHILD") {
        child(&path);
        return;
    }
    if std::env::var("VAKT_SCALE_TRACE").is_ok() {
        // sqlx's statement log (each statement with its elapsed time) as JSON on stderr, for
        // summing the time per statement.
        tracing_subscriber::fmt()
            .with_env_filter("sqlx::query=debug")
            .json()
            .with_writer(std::io::stderr)
            .init();
    }
    let max = env_usize("VAKT_SCALE_MAX", 100_000);
    let runs = env_usize("VAKT_SCALE_RUNS", 5).max(1);
    let catalog = catalog();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        if std::env::var("VAKT_SCALE_REPLICAS").is_ok_and(|v| v == "1") {
            replicas::run(catalog).await;
            return;
        }
        println!(
            "| incidents | start-up to first answer | idle RSS | list (a page) | list scope:breaching / autocomplete | breached-this-week | \
             report weekly | report monthly | show / tick / open / ack |"
        );
        println!("|---|---|---|---|---|---|---|---|---|");
        for n in [1_000, 10_000, 100_000].into_iter().filter(|&n| n <= max) {
            history(n, runs, catalog.clone()).await;
        }
        floors(catalog.clone(), env_usize("VAKT_SCALE_OPENS", 1_000)).await;
    });
}
