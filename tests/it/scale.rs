//! Lists, scopes, autocomplete and report selection served by index give the answers a full
//! scan gives: on a store seeded with ten weeks of two agreements' incidents (acknowledged on
//! time and late, breaches recorded, some reopened, most resolved and closed, a few still
//! open), each is compared with what loading every incident and judging it says. Paging and
//! ordering are checked on the way. Run on SQLite always and on PostgreSQL when
//! `VAKT_TEST_POSTGRES_URL` is set.

use crate::common::backends::{Backend, on_backends};
use crate::common::{RecordingChat, at, catalog, config};
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use vakt::app::{self, App};
use vakt::console::clock::FakeClock;
use vakt::domain::classify::Facts;
use vakt::domain::ids::UserId;
use vakt::domain::incident::{BotAction, Incident, Milestone, NewIncident, Resolution, State};
use vakt::domain::period::Period;
use vakt::domain::report::{self, Timelines};
use vakt::service::ports::{Change, IncidentFilter, Store};
use vakt::service::reports::ReportValue;
use vakt::service::{ListScope, PAGE};

/// The tests' "now": a Wednesday afternoon.
fn now() -> DateTime<Utc> {
    at("2026-11-25T14:00:00+01:00")
}

/// vakt over `backend`'s store, seeded with [`seed`].
async fn seeded(backend: &Backend, n: usize) -> App {
    let store = backend.open().await;
    seed(&store, n).await;
    wired(store, backend.dir())
}

/// vakt over `store` (its `vakt.toml` in `dir`), a fake clock at [`now`].
fn wired(store: Arc<dyn Store>, dir: &Path) -> App {
    wired_at(store, dir, now())
}

/// [`wired`] with the fake clock at `start`.
fn wired_at(store: Arc<dyn Store>, dir: &Path, start: DateTime<Utc>) -> App {
    let catalog = catalog();
    let config = config(dir, None, &catalog);
    let clock = Arc::new(FakeClock::new(start));
    app::wire(
        Arc::new(config),
        Arc::new(catalog),
        clock.clone(),
        Arc::new(RecordingChat::new(clock)),
        store,
        "runner-1",
    )
}

/// Stores `n` incidents of Borger.dk and Inera over the ten weeks before [`now`].
async fn seed(store: &Arc<dyn Store>, n: usize) {
    let catalog = catalog();
    let start = now() - Duration::weeks(10);
    let span = (now() - start).num_seconds();
    for k in 0..n {
        let a = catalog
            .get(if k % 3 == 0 { "inera" } else { "borger-dk" })
            .expect("agreement")
            .clone();
        let reported = start + Duration::seconds(span * k as i64 / n as i64);
        let inera = a.id == "inera";
        let impacts: &[&str] = if inera {
            &["unusable", "partly_usable", "few_users"]
        } else {
            &["unavailable", "users", "functions", "minimal"]
        };
        let (mut inc, mut timeline) = Incident::open(
            &a,
            Incident::make_id(&a.incident_prefix, 2026, k as u32 + 1),
            NewIncident {
                title: format!("Case {k} {}", ["login", "search", "payments"][k % 3]),
                description: String::new(),
                reporter: UserId::new("seed"),
                facts: Facts {
                    impact: impacts[k % impacts.len()].into(),
                    users_affected: (!inera).then_some(40.0),
                    ..Facts::default()
                },
                service: None,
                reported_at: reported,
            },
        )
        .expect("open");
        let ack = reported + Duration::minutes(3 + (k % 17) as i64 * 20);
        if k % 4 == 0
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
        if ack < now() && k % 7 != 3 {
            timeline.extend(inc.acknowledge("seed", ack).expect("ack"));
            let done = ack + Duration::hours((k % 50) as i64);
            if done < now() && k % 6 != 1 {
                timeline.extend(inc.resolve("seed", Resolution::Fix, None, done).expect("resolve"));
                if k % 13 == 0 && done + Duration::hours(3) < now() {
                    timeline.extend(
                        inc.reopen(&a, "seed", "back", done + Duration::hours(1))
                            .expect("reopen"),
                    );
                    timeline.extend(
                        inc.resolve("seed", Resolution::Fix, None, done + Duration::hours(2))
                            .expect("resolve again"),
                    );
                }
                let closed = done + Duration::hours(30);
                if closed < now() && k % 5 != 2 {
                    timeline.extend(inc.close("seed", closed).expect("close"));
                }
            }
        }
        let change = Change {
            timeline,
            ..Change::default()
        };
        store.insert_incident(&inc, &change).await.expect("insert");
    }
}

/// Ids of a list, in order.
fn ids(list: &[vakt::service::IncidentView]) -> Vec<String> {
    list.iter().map(|v| v.incident.id().to_string()).collect()
}

/// What a scope held when every incident was loaded and judged (the behaviour before lists
/// were served by index), as a set of ids.
async fn full_scan(app: &App, agreement: Option<&str>, scope: ListScope) -> BTreeSet<String> {
    let all = app
        .store
        .incidents(&IncidentFilter::default())
        .await
        .expect("every incident");
    let mut out = BTreeSet::new();
    for inc in all {
        if agreement.is_some_and(|a| inc.agreement().as_str() != a) {
            continue;
        }
        let v = app.service.show(inc.id().as_str()).await.expect("show");
        let active = inc.state().is_active();
        let keep = match scope {
            ListScope::Active => active,
            ListScope::Breaching => active && v.breaching(),
            ListScope::BreachedThisWeek => {
                let tz = app.catalog.get(inc.agreement()).map_or(chrono_tz::UTC, |a| a.tz);
                let since = Period::week_containing(now().with_timezone(&tz).date_naive())
                    .bounds(tz)
                    .0;
                [&v.summary.response, &v.summary.resolution]
                    .into_iter()
                    .flatten()
                    .any(|d| d.outcome.missed() && d.due >= since && d.due <= now())
            }
            ListScope::All => true,
        };
        if keep {
            out.insert(inc.id().to_string());
        }
    }
    out
}

/// Every scope, of every agreement and of all, holds what a full scan finds; each page holds
/// at most [`PAGE`], the pages together are the list, and active lists run by priority, then
/// by next deadline.
async fn scopes_and_pages_match_a_full_scan(backend: Backend) {
    let app = seeded(&backend, 240).await;
    let scopes = [
        ListScope::Active,
        ListScope::Breaching,
        ListScope::BreachedThisWeek,
        ListScope::All,
    ];
    for agreement in [None, Some("inera"), Some("borger-dk")] {
        for scope in scopes {
            let list = app.service.list(agreement, scope).await.expect("list");
            let listed: BTreeSet<String> = ids(&list).into_iter().collect();
            assert_eq!(listed.len(), list.len(), "no incident twice: {agreement:?} {scope:?}");
            assert_eq!(
                listed,
                full_scan(&app, agreement, scope).await,
                "{agreement:?} {scope:?}"
            );
            let mut paged = Vec::new();
            for page in 0.. {
                let p = app.service.list_page(agreement, scope, page).await.expect("page");
                assert_eq!(p.page, page);
                assert!(p.items.len() <= PAGE as usize);
                paged.extend(ids(&p.items));
                if !p.more {
                    break;
                }
                assert_eq!(p.items.len(), PAGE as usize, "only the last page is short");
            }
            assert_eq!(paged, ids(&list), "the pages are the list: {agreement:?} {scope:?}");
            if scope != ListScope::All {
                let keys: Vec<_> = list
                    .iter()
                    .map(|v| {
                        let next = [Milestone::Response, Milestone::Resolution]
                            .into_iter()
                            .filter(|&m| !v.incident.met(m))
                            .filter_map(|m| v.incident.judged_due(m))
                            .min();
                        (v.incident.priority().to_string(), next.is_none(), next)
                    })
                    .collect();
                assert!(keys.is_sorted(), "by priority, then next deadline: {keys:?}");
            }
        }
    }
    let active = app.service.list(None, ListScope::Active).await.expect("active");
    assert!(
        active.len() > PAGE as usize,
        "the seed makes more than one page of active incidents"
    );
}

/// The weekly and monthly reports computed from the incidents the store selects by period
/// are the reports computed from every incident of the agreement.
async fn report_selection_matches_a_full_scan(backend: Backend) {
    let app = seeded(&backend, 240).await;
    for agreement in ["borger-dk", "inera"] {
        let a = app.catalog.get(agreement).expect("agreement").clone();
        let all: Vec<Incident> = app
            .store
            .incidents(&IncidentFilter {
                agreement: Some(a.id.as_str().into()),
                ..IncidentFilter::default()
            })
            .await
            .expect("all");
        let mut timelines = Timelines::new();
        for inc in &all {
            timelines.insert(inc.id().clone(), app.store.timeline(inc.id()).await.expect("timeline"));
        }
        for period in ["2026-W40", "2026-W44", "2026-W47", "2026-W48"] {
            let Period::Week(week) = Period::parse(period).expect("week") else {
                unreachable!()
            };
            let expected = report::weekly(&a, &all, &timelines, &[], week, now()).expect("weekly");
            let got = app
                .service
                .compute_report(agreement, Period::Week(week))
                .await
                .expect("report");
            same(
                &got,
                &ReportValue::Weekly(Box::new(expected)),
                &format!("{agreement} {period}"),
            );
        }
        for period in ["2026-09", "2026-10", "2026-11"] {
            let Period::Month(month) = Period::parse(period).expect("month") else {
                unreachable!()
            };
            let end = Period::Month(month).bounds(a.tz).1;
            let before: Vec<Incident> = all.iter().filter(|i| i.reported_at() < end).cloned().collect();
            let mut expected = report::monthly(&a, &before, month, now()).expect("monthly");
            expected.availability =
                vakt::domain::availability::items(&a, &before, &[], Period::Month(month).bounds(a.tz), now())
                    .expect("availability");
            let got = app
                .service
                .compute_report(agreement, Period::Month(month))
                .await
                .expect("report");
            same(
                &got,
                &ReportValue::Monthly(Box::new(expected)),
                &format!("{agreement} {period}"),
            );
        }
    }
}

/// Asserts two reports are equal, naming the first part that differs.
fn same(got: &ReportValue, expected: &ReportValue, what: &str) {
    if got == expected {
        return;
    }
    let (g, e) = (
        serde_json::to_value(got).expect("json"),
        serde_json::to_value(expected).expect("json"),
    );
    let (serde_json::Value::Object(g), serde_json::Value::Object(e)) = (g, e) else {
        panic!("{what}: reports differ");
    };
    for (key, value) in &e {
        assert_eq!(g.get(key), Some(value), "{what}: {key} differs");
    }
    panic!("{what}: reports differ");
}

/// Autocomplete of an incident id: an id prefix or a piece of the title, either case, among
/// the scope's states, at most the limit; wildcards typed are plain characters.
async fn autocomplete_searches_ids_and_titles(backend: Backend) {
    let app = seeded(&backend, 240).await;
    let active = [State::Open, State::Acknowledged];
    let all_active = app.service.list(None, ListScope::Active).await.expect("active");
    let some = &all_active[0];
    let prefix = &some.incident.id().as_str()[..some.incident.id().as_str().len() - 1];
    let found = app
        .service
        .search_incidents(&prefix.to_lowercase(), &active, 25)
        .await
        .expect("search");
    assert!(ids(&found).contains(&some.incident.id().to_string()), "{prefix}");
    assert!(found.iter().all(|v| v.incident.id().as_str().starts_with(prefix)));
    assert!(found.iter().all(|v| v.incident.state().is_active()));

    let payments = app
        .service
        .search_incidents("PAYMENTS", &active, 25)
        .await
        .expect("search");
    let expected: Vec<String> = all_active
        .iter()
        .filter(|v| v.incident.title().contains("payments"))
        .map(|v| v.incident.id().to_string())
        .take(25)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(
        ids(&payments),
        expected,
        "by priority then next deadline, like the list"
    );

    let limited = app.service.search_incidents("case", &[], 5).await.expect("search");
    assert_eq!(limited.len(), 5);
    for typed in ["%", "_", "case%", "\\"] {
        let none = app.service.search_incidents(typed, &[], 25).await.expect("search");
        assert!(none.is_empty(), "{typed:?} is literal: {:?}", ids(&none));
    }
}

on_backends!(
    scopes_and_pages_match_a_full_scan,
    report_selection_matches_a_full_scan,
    autocomplete_searches_ids_and_titles,
);

/// One commit per open: the number is taken in the transaction that stores the incident, so a
/// store fault between the two (here the database file is full when the incident's rows are
/// written) takes no number — the failed open stores nothing, and the next open gets the
/// number the failed one would have had.
#[tokio::test]
async fn a_failed_open_takes_no_number() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = Arc::new(
        vakt::storage::SqliteStore::open(dir.path().join("vakt.db"))
            .await
            .expect("open"),
    );
    let app = wired(sqlite.clone(), dir.path());
    let open = |description: String| {
        let service = app.service.clone();
        async move {
            service
                .open(
                    &crate::common::responder(),
                    "borger-dk",
                    "Login down",
                    &description,
                    crate::common::facts_users("users", 10.0),
                )
                .await
        }
    };
    let first = open(String::new()).await.expect("first open");
    assert_eq!(first.id().as_str(), "BDK-2026-0001");
    // Full: no page may be added, and the incident's rows need new ones.
    sqlite.set_max_page_count_for_test(Some(1));
    let failed = open("x".repeat(200_000)).await;
    assert!(failed.is_err(), "the open fails: {failed:?}");
    sqlite.set_max_page_count_for_test(None);
    let all = app
        .store
        .incidents(&IncidentFilter::default())
        .await
        .expect("incidents");
    assert_eq!(all.len(), 1, "the failed open stored nothing");
    let next = open(String::new()).await.expect("open after the fault");
    assert_eq!(next.id().as_str(), "BDK-2026-0002", "the failed open took no number");
}

/// Incidents stored before the indexed columns existed (their columns empty, not derived) are
/// derived when the store opens: every scope then answers as before.
#[tokio::test]
async fn older_rows_are_derived_when_the_store_opens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("vakt.db");
    let open = async || {
        let store: Arc<dyn Store> = Arc::new(vakt::storage::SqliteStore::open(&path).await.expect("open"));
        store
    };
    let store = open().await;
    seed(&store, 120).await;
    let seeded = wired(store, dir.path());
    let scopes = [ListScope::Active, ListScope::Breaching, ListScope::BreachedThisWeek];
    let mut before = Vec::new();
    for scope in scopes {
        before.push(ids(&seeded.service.list(None, scope).await.expect("list")));
    }
    assert!(
        !before[1].is_empty() && !before[2].is_empty(),
        "the seed has breaches: {before:?}"
    );
    drop(seeded);
    {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", path.display()))
            .await
            .expect("connect");
        sqlx::query(
            "UPDATE incidents SET derived = 0, response_due = NULL, resolution_due = NULL, next_due = NULL, \
             missed = 0, touched_until = NULL",
        )
        .execute(&mut conn)
        .await
        .expect("forget the derived columns");
        let _ = conn.close().await;
    }
    let app = wired(open().await, dir.path());
    for (scope, before) in scopes.into_iter().zip(before) {
        assert_eq!(
            ids(&app.service.list(None, scope).await.expect("list")),
            before,
            "{scope:?}"
        );
    }
}

/// `/incident list page:N` answers page N of 25 and says whether another follows.
#[tokio::test]
async fn the_list_command_answers_one_page() {
    use vakt::commands::Command;
    use vakt::service::views::Reply;
    let dir = tempfile::tempdir().expect("temp dir");
    let store: Arc<dyn Store> = Arc::new(
        vakt::storage::SqliteStore::open(dir.path().join("vakt.db"))
            .await
            .expect("open"),
    );
    seed(&store, 240).await;
    let app = wired(store, dir.path());
    let active = ids(&app.service.list(None, ListScope::Active).await.expect("active"));
    let pages = active.len().div_ceil(PAGE as usize) as u32;
    assert!(pages >= 2, "{} active incidents", active.len());
    let mut seen = Vec::new();
    for page in 1..=pages + 1 {
        let cmd = Command::List {
            agreement: None,
            scope: ListScope::Active,
            page,
            case_type: None,
        };
        let reply = vakt::commands::exec::execute(&app.service, &crate::common::responder(), cmd)
            .await
            .expect("list");
        let Reply::Listed {
            incidents,
            page: shown,
            more,
            ..
        } = reply
        else {
            panic!("not a list: {reply:?}");
        };
        assert_eq!(shown, page);
        assert_eq!(more, page < pages, "page {page} of {pages}");
        seen.extend(ids(&incidents));
    }
    assert_eq!(seen, active, "the pages are the list; past the last page, none");
}

/// Frames in the write-ahead log of the SQLite file at `path` (its 32-byte header, then a
/// 24-byte header and a page per frame).
fn wal_frames(path: &Path, page: u64) -> u64 {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let size = std::fs::metadata(&wal).map_or(0, |m| m.len());
    size.saturating_sub(32) / (page + 24)
}

/// On SQLite, an incident update that changes none of the columns lists and reports select
/// on rewrites the incident's row alone: no entry of the incident indexes is rewritten (each
/// would be one more page in the log at every commit). The indexed columns are still kept
/// when they do change: the full-scan comparisons above run on stores updated this way.
#[tokio::test]
async fn an_update_changing_no_indexed_column_writes_no_index_page() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("vakt.db");
    let store: Arc<dyn Store> = Arc::new(vakt::storage::SqliteStore::open(&path).await.expect("open"));
    seed(&store, 60).await;
    // A clock finer than the store's microseconds: the comparison must not see a change there.
    let app = wired_at(store.clone(), dir.path(), now() + Duration::nanoseconds(123_456_789));
    let opened = crate::common::open_borger(&app.service).await;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .expect("connect");
    let page: i64 = sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(&mut conn)
        .await
        .expect("page size");
    let mut frames_of = async |incident: &Incident| {
        // The store's checkpointer may be copying the log right now (after the last commit):
        // then the truncation waits for it (bounded only so a log that never frees fails).
        let truncate = async {
            loop {
                let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                    .fetch_one(&mut conn)
                    .await
                    .expect("checkpoint");
                if busy == 0 {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(30), truncate)
            .await
            .expect("the log could not be truncated");
        let stored = store
            .update_incident(incident, &Change::default())
            .await
            .expect("update");
        (wal_frames(&path, page as u64), stored)
    };
    let (frames, stored) = frames_of(&opened).await;
    assert_eq!(frames, 1, "only the incident row's page is written");
    let acknowledged = {
        let mut inc = stored.clone();
        inc.acknowledge("u1", now()).expect("acknowledge");
        inc
    };
    let (frames, stored) = frames_of(&acknowledged).await;
    assert!(frames > 1, "a new state rewrites its index entries: {frames} frames");
    let row: String = sqlx::query_scalar("SELECT state FROM incidents WHERE id = $1")
        .bind(stored.id().as_str())
        .fetch_one(&mut conn)
        .await
        .expect("state");
    assert_eq!(row, stored.state().as_str());
}

/// On SQLite, the log is copied back into the database file beside the writers, not by the
/// commit that crosses SQLite's threshold (which then waits for it): after a write, the
/// database file itself — read with the log ignored (`immutable=1`) — comes to hold it with
/// no further write and the store still open. The wait is bounded only so a store without a
/// checkpointer fails instead of hanging.
#[tokio::test]
async fn writes_reach_the_database_file_without_a_commit_checkpointing() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("vakt.db");
    let store: Arc<dyn Store> = Arc::new(vakt::storage::SqliteStore::open(&path).await.expect("open"));
    let app = wired_at(store.clone(), dir.path(), now());
    let opened = crate::common::open_borger(&app.service).await;
    let file = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .read_only(true)
        .immutable(true);
    let in_file = async {
        loop {
            // A connection of its own each time: an immutable one never looks again.
            let mut conn = sqlx::SqliteConnection::connect_with(&file).await.expect("connect");
            let found: Option<String> = sqlx::query_scalar("SELECT id FROM incidents WHERE id = $1")
                .bind(opened.id().as_str())
                .fetch_optional(&mut conn)
                .await
                .unwrap_or(None);
            conn.close().await.ok();
            if found.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), in_file)
        .await
        .expect("the incident never reached the database file while the store was open");
    assert!(
        store.incident(opened.id()).await.expect("read").is_some(),
        "the store still reads it"
    );
}
