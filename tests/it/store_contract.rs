//! The `Store` contract, one suite run against every backend: SQLite (a temporary database
//! file, always) and PostgreSQL (each test in its own schema, dropped afterwards) when
//! `VAKT_TEST_POSTGRES_URL` is set — otherwise the PostgreSQL tests say loudly that they were
//! skipped and pass.
//!
//! Each contract check is a plain async function over `Arc<dyn Store>`; the `contract!` macro
//! turns it into one `#[tokio::test]` per backend (`sqlite::name`, `postgres::name`).

use crate::common::fixtures::incident;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use vakt::domain::classify::{Basis, Reason, RuleConditions};
use vakt::domain::ids::IncidentId;
use vakt::domain::ids::{AgreementId, MessageId, UserId};
use vakt::domain::incident::{BotAction, Event, Incident, Milestone, Resolution, State, TimelineEntry};
use vakt::domain::plan::{Group, JobKind};
use vakt::domain::revision::{ReportChanges, ReportSource};
use vakt::service::ports::{
    CancelJobs, Change, ChatRefKey, DueJobs, FinishJob, IncidentFilter, Job, JobFinish, JobInputs, JobState,
    MessageRef, NewJob, OpenIncidents, PlanKey, Store, StoreError,
};
use vakt::service::ports::{NewPoint, NewReport, ReportKind};
use vakt::storage::{PostgresStore, SqliteStore, StorageError};

use crate::common::backends;

// ---------------------------------------------------------------------------------------------
// Backends

/// One database a test may open several stores on (to check what survives a reopen).
#[derive(Clone)]
enum Db {
    Sqlite {
        path: PathBuf,
        _dir: Arc<tempfile::TempDir>,
    },
    Postgres {
        url: String,
        schema: String,
    },
}

impl Db {
    async fn open(&self) -> Arc<dyn Store> {
        match self {
            Db::Sqlite { path, .. } => Arc::new(SqliteStore::open(path).await.expect("open SQLite store")),
            Db::Postgres { url, schema } => Arc::new(
                PostgresStore::connect_in_schema(url, schema)
                    .await
                    .expect("open PostgreSQL store"),
            ),
        }
    }
}

/// Runs a test against a fresh SQLite database file.
async fn on_sqlite<F, Fut>(test: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("vakt.db");
    test(Db::Sqlite {
        path,
        _dir: Arc::new(dir),
    })
    .await;
}

/// Runs a test in a fresh PostgreSQL schema (see [`backends::in_postgres_schema`]).
async fn on_postgres<F, Fut>(name: &str, test: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    backends::in_postgres_schema(name, |url, schema| test(Db::Postgres { url, schema })).await;
}

/// One test per backend for each contract check `fn(Arc<dyn Store>)`.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::on_sqlite(|db| async move { super::$name(db.open().await).await }).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::on_postgres(stringify!($name), |db| async move { super::$name(db.open().await).await })
                        .await;
                }
            )*
        }
    };
}

contract!(
    insert_get_and_list,
    insert_duplicate_is_refused,
    update_bumps_version,
    stale_update_conflicts_and_changes_nothing,
    concurrent_updates_one_wins,
    concurrent_numbered_inserts_take_dense_numbers,
    update_of_unknown_incident_is_not_found,
    timeline_keeps_append_order,
    next_sequence_counts_per_prefix_and_year,
    next_sequence_is_atomic_under_concurrency,
    schedule_is_idempotent_by_key,
    jobs_listing_and_next_due,
    claim_takes_only_due_pending_jobs,
    claim_orders_by_due_then_id,
    concurrent_claimers_never_share_a_job,
    expired_lease_is_requeued_and_reclaimed,
    finish_done,
    finish_retry,
    finish_failed,
    finish_needs_the_lease,
    change_cancels_by_groups,
    change_cancel_without_groups_cancels_all,
    change_finish_commits_with_the_update,
    change_finish_rolls_back_with_a_conflict,
    change_with_lost_lease_rolls_back_the_update,
    timestamps_are_exact,
    chat_ref_round_trip,
    conversation_incident_finds_the_thread_owner,
    chat_ref_replace_keeps_one_row,
    chat_refs_list_one_incident_in_key_order,
    change_chat_refs_commit_with_the_update,
    finish_posted_commits_with_the_finish,
    release_returns_only_the_owners_unfinished_jobs,
    postpone_waits_without_an_attempt_and_lists_unfinished_jobs,
    renew_extends_only_the_owners_lease,
    latest_activity_is_the_last_job_run_or_report,
    finish_many_refuses_only_stale_finishes,
    finish_many_sees_earlier_finishes_of_the_same_job,
    purge_deletes_only_old_finished_jobs,
    meeting_points_round_trip_and_complete_once,
    reports_are_stored_as_revisions_per_period,
    maintenance_windows_round_trip_with_their_jobs_and_cancel_once,
    public_texts_round_trip_by_agreement_incident_and_time,
    due_jobs_count_unfinished_jobs_by_kind,
    open_incidents_count_unresolved_by_agreement_and_priority,
    job_inputs_read_what_a_batch_needs,
    unchanged_update_checks_the_version_and_keeps_the_row,
    concurrent_records_of_one_incident_each_land_once,
    concurrent_records_of_many_incidents_each_land_or_fail_alone,
    plan_fingerprints_and_outages_are_selected_in_the_query,
);

// Persistence needs to reopen the database, so it takes the `Db` itself.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_persists_across_reopen() {
    on_sqlite(persists_across_reopen).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_persists_across_reopen() {
    on_postgres("persists_across_reopen", persists_across_reopen).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_two_stores_take_dense_numbers() {
    on_sqlite(two_stores_take_dense_numbers).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_two_stores_take_dense_numbers() {
    on_postgres("two_stores_take_dense_numbers", two_stores_take_dense_numbers).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_chat_refs_survive_reopen() {
    on_sqlite(chat_refs_survive_reopen).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_chat_refs_survive_reopen() {
    on_postgres("chat_refs_survive_reopen", chat_refs_survive_reopen).await;
}

// ---------------------------------------------------------------------------------------------
// Fixtures

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn mins(n: i64) -> Duration {
    Duration::minutes(n)
}

/// The same incident with some fields replaced through its stored shape, for changes no
/// transition makes (a priority unknown to any agreement, say).
fn rebuilt(inc: &Incident, fields: Value) -> Incident {
    let mut stored = serde_json::to_value(inc).unwrap();
    let object = stored.as_object_mut().unwrap();
    for (name, value) in fields.as_object().expect("fields as an object") {
        assert!(object.contains_key(name), "an incident has no field {name}");
        object.insert(name.clone(), value.clone());
    }
    serde_json::from_value(stored).expect("a valid incident")
}

fn entry(at: DateTime<Utc>, actor: &str, note: &str) -> TimelineEntry {
    TimelineEntry {
        at,
        actor: actor.to_string(),
        event: Event::StatusUpdate { note: note.to_string() },
    }
}

fn job(key: &str, incident: Option<&str>, group: Group, due_at: DateTime<Utc>) -> NewJob {
    NewJob {
        key: key.to_string(),
        kind: JobKind::Warning,
        incident: incident.map(IncidentId::new),
        group,
        due_at,
        payload: json!({ "key": key, "percent": 75, "nested": { "list": [1, 2, 3] } }),
    }
}

/// The bot's record of a response breach escalated to the ladder's first level.
fn response_breach() -> BotAction {
    BotAction::Escalated {
        milestone: Milestone::Response,
        level: 1,
        role: "support".to_string(),
    }
}

fn keys(jobs: &[Job]) -> Vec<&str> {
    jobs.iter().map(|j| j.key.as_str()).collect()
}

async fn job_by_key(store: &dyn Store, key: &str) -> Job {
    store
        .jobs(None)
        .await
        .unwrap()
        .into_iter()
        .find(|j| j.key == key)
        .unwrap_or_else(|| panic!("no job {key}"))
}

/// Inserts an incident with jobs and claims the due ones as `owner`.
async fn incident_with_claimed_jobs(
    store: &dyn Store,
    id: &str,
    owner: &str,
    jobs: Vec<NewJob>,
) -> (Incident, Vec<Job>) {
    let stored = store
        .insert_incident(
            &incident(id, "ssb", State::Open, t0()),
            &Change {
                jobs,
                ..Change::default()
            },
        )
        .await
        .unwrap();
    let claimed = store
        .claim(t0() + mins(600), owner, t0() + mins(700), 100)
        .await
        .unwrap();
    (stored, claimed)
}

// ---------------------------------------------------------------------------------------------
// Incidents

async fn insert_get_and_list(store: Arc<dyn Store>) {
    let a = incident("SSB-2026-0001", "ssb", State::Open, t0());
    let b = incident("SSB-2026-0002", "ssb", State::Acknowledged, t0() + mins(10));
    let c = incident("INERA-2026-0001", "inera", State::Open, t0() + mins(20));
    let d = incident("SSB-2026-0003", "ssb", State::Closed, t0() + mins(30));
    for i in [&a, &b, &c, &d] {
        let stored = store.insert_incident(i, &Change::default()).await.unwrap();
        assert_eq!(stored.version(), 1, "insert stores version 1");
        assert_eq!(i.clone().with_version(1), stored);
    }

    let got = store
        .incident(&IncidentId::new("SSB-2026-0002"))
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(got, b.clone().with_version(1), "the whole incident round-trips");
    assert_eq!(store.incident(&IncidentId::new("SSB-2026-9999")).await.unwrap(), None);

    let ids = |v: Vec<Incident>| v.into_iter().map(|i| i.id().clone()).collect::<Vec<_>>();
    let all = store.incidents(&IncidentFilter::default()).await.unwrap();
    assert_eq!(
        ids(all),
        ["SSB-2026-0003", "INERA-2026-0001", "SSB-2026-0002", "SSB-2026-0001"],
        "newest first"
    );

    let ssb = IncidentFilter {
        agreement: Some("ssb".into()),
        ..IncidentFilter::default()
    };
    assert_eq!(
        ids(store.incidents(&ssb).await.unwrap()),
        ["SSB-2026-0003", "SSB-2026-0002", "SSB-2026-0001"]
    );

    let active = IncidentFilter {
        states: vec![State::Open, State::Acknowledged],
        ..IncidentFilter::default()
    };
    assert_eq!(
        ids(store.incidents(&active).await.unwrap()),
        ["INERA-2026-0001", "SSB-2026-0002", "SSB-2026-0001"]
    );

    let ssb_open = IncidentFilter {
        agreement: Some("ssb".into()),
        states: vec![State::Open],
        ..IncidentFilter::default()
    };
    assert_eq!(ids(store.incidents(&ssb_open).await.unwrap()), ["SSB-2026-0001"]);

    let newest_two = IncidentFilter {
        limit: 2,
        ..IncidentFilter::default()
    };
    assert_eq!(
        ids(store.incidents(&newest_two).await.unwrap()),
        ["SSB-2026-0003", "INERA-2026-0001"]
    );

    // Reported strictly before the instant: 0002 at t0+10 min is not before t0+10 min.
    let early_ssb = IncidentFilter {
        agreement: Some("ssb".into()),
        reported_before: Some(t0() + mins(10)),
        ..IncidentFilter::default()
    };
    assert_eq!(ids(store.incidents(&early_ssb).await.unwrap()), ["SSB-2026-0001"]);
    let before_last = IncidentFilter {
        reported_before: Some(t0() + mins(30)),
        ..IncidentFilter::default()
    };
    assert_eq!(
        ids(store.incidents(&before_last).await.unwrap()),
        ["INERA-2026-0001", "SSB-2026-0002", "SSB-2026-0001"]
    );

    let none = IncidentFilter {
        agreement: Some("nobody".into()),
        ..IncidentFilter::default()
    };
    assert!(store.incidents(&none).await.unwrap().is_empty());
    let resolved = IncidentFilter {
        states: vec![State::Resolved],
        ..IncidentFilter::default()
    };
    assert!(store.incidents(&resolved).await.unwrap().is_empty());

    let listed = store.incidents(&ssb_open).await.unwrap();
    assert_eq!(listed[0], a.with_version(1), "listed incidents are whole too");
}

async fn insert_duplicate_is_refused(store: Arc<dyn Store>) {
    let a = incident("SSB-2026-0001", "ssb", State::Open, t0());
    let change = Change {
        timeline: vec![entry(t0(), "u1", "first")],
        jobs: vec![job("a-warn", Some("SSB-2026-0001"), Group::Response, t0() + mins(45))],
        ..Change::default()
    };
    store.insert_incident(&a, &change).await.unwrap();

    let again = rebuilt(&a, json!({ "title": "A different title" }));
    let change2 = Change {
        timeline: vec![entry(t0(), "u2", "second")],
        jobs: vec![job("a-other", Some("SSB-2026-0001"), Group::Response, t0() + mins(45))],
        ..Change::default()
    };
    match store.insert_incident(&again, &change2).await {
        Err(StoreError::Duplicate(id)) => assert_eq!(id, "SSB-2026-0001"),
        other => panic!("expected Duplicate, got {other:?}"),
    }
    assert_eq!(
        store
            .incident(&IncidentId::new("SSB-2026-0001"))
            .await
            .unwrap()
            .unwrap()
            .title(),
        a.title(),
        "original kept"
    );
    assert_eq!(
        store.timeline(&IncidentId::new("SSB-2026-0001")).await.unwrap(),
        change.timeline,
        "no timeline from the duplicate"
    );
    assert_eq!(
        keys(&store.jobs(Some(&IncidentId::new("SSB-2026-0001"))).await.unwrap()),
        ["a-warn"],
        "no jobs from the duplicate"
    );
}

async fn update_bumps_version(store: Arc<dyn Store>) {
    let stored = store
        .insert_incident(&incident("SSB-2026-0001", "ssb", State::Open, t0()), &Change::default())
        .await
        .unwrap();

    let mut acked = stored.clone();
    acked.acknowledge("u-lead", t0() + mins(5)).unwrap();
    assert_eq!(
        (acked.state(), acked.acknowledged_at(), acked.lead().map(|u| u.as_str())),
        (State::Acknowledged, Some(t0() + mins(5)), Some("u-lead"))
    );
    let v2 = store.update_incident(&acked, &Change::default()).await.unwrap();
    assert_eq!(v2.version(), 2);
    assert_eq!(v2, acked.clone().with_version(2));
    assert_eq!(store.incident(v2.id()).await.unwrap().unwrap(), v2);

    // Resolved, with a manager's override to a priority no agreement knows (no transition
    // sets that, so it goes in through the stored shape).
    let mut resolved = v2.clone();
    resolved
        .resolve("u-lead", Resolution::Fix, None, t0() + mins(30))
        .unwrap();
    let resolved = rebuilt(
        &resolved,
        json!({ "priority_override": { "priority": "P1", "by": "u-mgr", "reason": "VIP" } }),
    );
    assert_eq!(
        (resolved.state(), resolved.priority().as_str()),
        (State::Resolved, "P1")
    );
    let v3 = store.update_incident(&resolved, &Change::default()).await.unwrap();
    assert_eq!(v3.version(), 3);
    assert_eq!(v3, resolved.clone().with_version(3));
    assert_eq!(
        v3.priority_override(),
        Some(&vakt::domain::incident::Override {
            priority: "P1".into(),
            by: "u-mgr".into(),
            reason: "VIP".into(),
        })
    );
    assert_eq!(store.incident(v3.id()).await.unwrap().unwrap(), v3);

    // The indexed copies follow the data: the state filter sees the new state.
    let by_state = IncidentFilter {
        states: vec![State::Resolved],
        ..IncidentFilter::default()
    };
    assert_eq!(store.incidents(&by_state).await.unwrap(), vec![v3]);
}

async fn stale_update_conflicts_and_changes_nothing(store: Arc<dyn Store>) {
    let id = "SSB-2026-0001";
    let opened = Change {
        timeline: vec![entry(t0(), "u1", "opened")],
        ..Change::default()
    };
    let v1 = store
        .insert_incident(&incident(id, "ssb", State::Open, t0()), &opened)
        .await
        .unwrap();
    store
        .schedule(&[job("pending-status", Some(id), Group::Status, t0() + mins(30))])
        .await
        .unwrap();

    let mut first = v1.clone();
    first.add_update("u1", "first writer", t0() + mins(1)).unwrap();
    let v2 = store
        .update_incident(
            &first,
            &Change {
                timeline: vec![entry(t0() + mins(1), "u1", "first")],
                ..Change::default()
            },
        )
        .await
        .unwrap();

    // A second writer still holding version 1.
    let mut stale = v1.clone();
    stale.acknowledge("u2", t0() + mins(2)).unwrap();
    let change = Change {
        timeline: vec![entry(t0() + mins(2), "u2", "stale")],
        cancel: Some(CancelJobs {
            incident: id.into(),
            groups: vec![],
        }),
        jobs: vec![job("from-stale", Some(id), Group::Response, t0() + mins(40))],
        finish: None,
        chat_refs: Vec::new(),
        alerts: Vec::new(),
        unchanged: false,
    };
    match store.update_incident(&stale, &change).await {
        Err(StoreError::Conflict(got)) => assert_eq!(got, id),
        other => panic!("expected Conflict, got {other:?}"),
    }
    assert_eq!(
        store.incident(&IncidentId::new(id)).await.unwrap().unwrap(),
        v2,
        "the incident is as the first writer left it"
    );
    let timeline = store.timeline(&IncidentId::new(id)).await.unwrap();
    assert_eq!(timeline.len(), 2, "the stale writer's entry was not appended");
    assert_eq!(timeline[1].actor, "u1");
    let jobs = store.jobs(Some(&IncidentId::new(id))).await.unwrap();
    assert_eq!(keys(&jobs), ["pending-status"], "no jobs from the stale writer");
    assert_eq!(
        jobs[0].state,
        JobState::Pending,
        "nothing cancelled by the stale writer"
    );

    // A version from the future conflicts too.
    let future = v2.clone().with_version(7);
    assert!(matches!(
        store.update_incident(&future, &Change::default()).await,
        Err(StoreError::Conflict(_))
    ));
}

async fn concurrent_updates_one_wins(store: Arc<dyn Store>) {
    let id = "SSB-2026-0001";
    let v1 = store
        .insert_incident(&incident(id, "ssb", State::Open, t0()), &Change::default())
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for n in 0..8 {
        let store = store.clone();
        let mut mine = v1.clone();
        mine.add_update(&format!("u{n}"), &format!("writer {n}"), t0()).unwrap();
        tasks.push(tokio::spawn(async move {
            let change = Change {
                timeline: vec![entry(t0(), &format!("u{n}"), "note")],
                ..Change::default()
            };
            store.update_incident(&mine, &change).await
        }));
    }
    let mut won = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(stored) => won.push(stored),
            Err(StoreError::Conflict(_)) => {}
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    assert_eq!(won.len(), 1, "exactly one writer of version 1 wins");
    assert_eq!(store.incident(&IncidentId::new(id)).await.unwrap().unwrap(), won[0]);
    assert_eq!(store.timeline(&IncidentId::new(id)).await.unwrap().len(), 1);
}

/// Many opens at once (on SQLite they share transactions, each in a savepoint): every one
/// that succeeds has its own number, the numbers have no gaps, and one refused (its incident
/// could not be built) takes none, nor anything else of the others.
async fn concurrent_numbered_inserts_take_dense_numbers(store: Arc<dyn Store>) {
    let mut tasks = Vec::new();
    for n in 0..24 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let make = |seq: u32| {
                // Every fourth open fails to build, whatever number it is given.
                (n % 4 != 3).then(|| {
                    let id = format!("SSB-2026-{seq:04}");
                    let change = Change {
                        timeline: vec![entry(t0(), &format!("opener {n}"), "note")],
                        ..Change::default()
                    };
                    (incident(&id, "ssb", State::Open, t0()), change)
                })
            };
            (n, store.insert_numbered("SSB", 2026, &make).await)
        }));
    }
    let mut numbered = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            (n, Ok(stored)) if n % 4 != 3 => numbered.push(stored.id().to_string()),
            (n, Err(StoreError::Corrupt(_))) if n % 4 == 3 => {}
            (n, other) => panic!("open {n}: unexpected {other:?}"),
        }
    }
    numbered.sort();
    let expected: Vec<String> = (1..=18).map(|k| format!("SSB-2026-{k:04}")).collect();
    assert_eq!(numbered, expected, "18 opens took numbers 1 to 18, the 6 refused none");
    for id in &expected {
        let id = IncidentId::new(id);
        assert!(store.incident(&id).await.unwrap().is_some(), "{id} stored");
        assert_eq!(store.timeline(&id).await.unwrap().len(), 1, "{id}'s own timeline entry");
    }
    assert_eq!(store.next_sequence("SSB", 2026).await.unwrap(), 19);
}

/// Two stores on one database (two replicas) opening in turns: each number is taken once, in
/// order, whichever store took the one before (a store that guesses its sequence's next
/// number finds out when another took it); every incident is stored with its timeline and
/// jobs. An open whose number belongs to an incident stored otherwise is refused as a
/// duplicate by either store and takes no number.
async fn two_stores_take_dense_numbers(db: Db) {
    let (a, b) = (db.open().await, db.open().await);
    let open = async |store: &Arc<dyn Store>| {
        let make = |seq: u32| {
            let id = format!("SSB-2026-{seq:04}");
            let change = Change {
                timeline: vec![entry(t0(), "opener", "note")],
                jobs: vec![job(&format!("{id}-warn"), Some(&id), Group::Response, t0() + mins(45))],
                ..Change::default()
            };
            Some((incident(&id, "ssb", State::Open, t0()), change))
        };
        store.insert_numbered("SSB", 2026, &make).await
    };
    let mut taken = Vec::new();
    for store in [&a, &a, &b, &a, &b, &b, &a, &a] {
        taken.push(open(store).await.expect("open").id().to_string());
    }
    let expected: Vec<String> = (1..=8).map(|k| format!("SSB-2026-{k:04}")).collect();
    assert_eq!(taken, expected, "numbers 1 to 8 in the order the opens ran");
    for id in &expected {
        let inc = IncidentId::new(id);
        assert!(a.incident(&inc).await.unwrap().is_some(), "{id} stored");
        assert_eq!(b.timeline(&inc).await.unwrap().len(), 1, "{id}'s timeline entry");
        let jobs = b.jobs(Some(&inc)).await.unwrap();
        assert_eq!(keys(&jobs), vec![format!("{id}-warn").as_str()], "{id}'s job");
    }

    // Number 9 is the next, but an incident with its id is stored already.
    let squatter = incident("SSB-2026-0009", "ssb", State::Open, t0());
    b.insert_incident(&squatter, &Change::default()).await.unwrap();
    for store in [&a, &b, &a] {
        match open(store).await {
            Err(StoreError::Duplicate(id)) => assert_eq!(id, "SSB-2026-0009"),
            other => panic!("expected Duplicate, got {other:?}"),
        }
    }
    assert!(b.timeline(&IncidentId::new("SSB-2026-0009")).await.unwrap().is_empty());
    assert_eq!(
        a.next_sequence("SSB", 2026).await.unwrap(),
        9,
        "the refused opens took no number"
    );
    assert_eq!(open(&b).await.expect("open after").id().as_str(), "SSB-2026-0010");
}

async fn update_of_unknown_incident_is_not_found(store: Arc<dyn Store>) {
    let ghost = incident("SSB-2026-0404", "ssb", State::Open, t0()).with_version(1);
    match store.update_incident(&ghost, &Change::default()).await {
        Err(StoreError::NotFound(id)) => assert_eq!(id, "SSB-2026-0404"),
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert_eq!(store.incident(&IncidentId::new("SSB-2026-0404")).await.unwrap(), None);
}

async fn timeline_keeps_append_order(store: Arc<dyn Store>) {
    let id = "SSB-2026-0001";
    let inc = incident(id, "ssb", State::Open, t0());
    let opening = vec![
        TimelineEntry {
            at: t0(),
            actor: "u-reporter".into(),
            event: Event::Opened {
                title: inc.title().to_string(),
                description: String::new(),
                service: None,
            },
        },
        TimelineEntry {
            at: t0(),
            actor: "vakt".into(),
            event: Event::Classified {
                priority: "P2".into(),
                timing: None,
                reasons: vec![Reason {
                    basis: Basis::Rule {
                        index: 2,
                        when: RuleConditions {
                            impact: Some(vec!["high".into()]),
                            workaround: Some(true),
                            users_over: Some(37.5),
                            ..RuleConditions::default()
                        },
                        priority: "P2".into(),
                    },
                    source: "3.2".into(),
                    reading: Some("read «so»".into()),
                }],
            },
        },
        TimelineEntry {
            at: t0(),
            actor: "vakt".into(),
            event: Event::Deadlines {
                response_due: Some(t0() + mins(60)),
                resolution_due: None,
                recomputed: false,
            },
        },
    ];
    let mut current = store
        .insert_incident(
            &inc,
            &Change {
                timeline: opening.clone(),
                ..Change::default()
            },
        )
        .await
        .unwrap();
    let mut expected = opening;

    // Appends keep their order, also when an entry's time is earlier than one before it.
    for (n, at) in [(1, t0() + mins(9)), (2, t0() + mins(3)), (3, t0() + mins(3))] {
        let entries = vec![
            entry(at, "u1", &format!("note {n}a")),
            entry(at, "u2", &format!("note {n}b")),
        ];
        current = store
            .update_incident(
                &current,
                &Change {
                    timeline: entries.clone(),
                    ..Change::default()
                },
            )
            .await
            .unwrap();
        expected.extend(entries);
    }
    // An update without entries appends nothing.
    current = store.update_incident(&current, &Change::default()).await.unwrap();
    current.acknowledge("u1", t0() + mins(20)).unwrap();
    let ack = vec![TimelineEntry {
        at: t0() + mins(20),
        actor: "u1".into(),
        event: Event::Acknowledged,
    }];
    store
        .update_incident(
            &current,
            &Change {
                timeline: ack.clone(),
                ..Change::default()
            },
        )
        .await
        .unwrap();
    expected.extend(ack);

    assert_eq!(store.timeline(&IncidentId::new(id)).await.unwrap(), expected);
    assert!(
        store
            .timeline(&IncidentId::new("SSB-2026-0404"))
            .await
            .unwrap()
            .is_empty()
    );

    // Another incident's timeline is its own (its sequence starts over).
    let other = vec![entry(t0(), "u9", "other")];
    store
        .insert_incident(
            &incident("SSB-2026-0002", "ssb", State::Open, t0()),
            &Change {
                timeline: other.clone(),
                ..Change::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(store.timeline(&IncidentId::new("SSB-2026-0002")).await.unwrap(), other);
    assert_eq!(
        store.timeline(&IncidentId::new(id)).await.unwrap().len(),
        expected.len()
    );

    // Several timelines read together: one per id asked, in the order asked (an unknown id's
    // empty); with types, only the events of those stored types, still in order.
    let ids = [
        IncidentId::new("SSB-2026-0002"),
        IncidentId::new("SSB-2026-0404"),
        IncidentId::new(id),
    ];
    let whole = [other.clone(), Vec::new(), expected.clone()];
    let all = store.timelines(&ids, &[]).await.unwrap();
    assert_eq!(all, ids.iter().cloned().zip(whole.iter().cloned()).collect::<Vec<_>>());
    let types = ["status_update", "acknowledged"];
    let of_type = |e: &TimelineEntry| {
        let tag = serde_json::to_value(&e.event).unwrap()["type"]
            .as_str()
            .unwrap()
            .to_string();
        types.contains(&tag.as_str())
    };
    let only: Vec<_> = ids
        .iter()
        .cloned()
        .zip(
            whole
                .iter()
                .map(|t| t.iter().filter(|e| of_type(e)).cloned().collect::<Vec<_>>()),
        )
        .collect();
    assert!(only[2].1.len() > 1 && only[2].1.len() < expected.len());
    assert_eq!(store.timelines(&ids, &types).await.unwrap(), only);
}

// ---------------------------------------------------------------------------------------------
// Sequences

async fn next_sequence_counts_per_prefix_and_year(store: Arc<dyn Store>) {
    assert_eq!(store.next_sequence("SSB", 2026).await.unwrap(), 1);
    assert_eq!(store.next_sequence("SSB", 2026).await.unwrap(), 2);
    assert_eq!(store.next_sequence("SSB", 2027).await.unwrap(), 1);
    assert_eq!(store.next_sequence("INERA", 2026).await.unwrap(), 1);
    assert_eq!(store.next_sequence("SSB", 2026).await.unwrap(), 3);
}

async fn next_sequence_is_atomic_under_concurrency(store: Arc<dyn Store>) {
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move { store.next_sequence("SSB", 2026).await }));
    }
    let mut got = Vec::new();
    for task in tasks {
        got.push(task.await.unwrap().unwrap());
    }
    got.sort_unstable();
    assert_eq!(
        got,
        (1..=20).collect::<Vec<u32>>(),
        "20 concurrent calls, 20 distinct numbers, no gaps"
    );
    assert_eq!(store.next_sequence("SSB", 2026).await.unwrap(), 21);
}

// ---------------------------------------------------------------------------------------------
// Jobs

async fn schedule_is_idempotent_by_key(store: Arc<dyn Store>) {
    store
        .schedule(&[
            job("daily", None, Group::Recurring, t0() + mins(60)),
            job("weekly", None, Group::Recurring, t0()),
        ])
        .await
        .unwrap();
    let before = store.jobs(None).await.unwrap();
    assert_eq!(keys(&before), ["weekly", "daily"], "by due time");

    // The same keys again, with other data, and a new one: only the new one is added.
    let mut changed = job("daily", None, Group::Notify, t0() + mins(1));
    changed.payload = json!({ "changed": true });
    store
        .schedule(&[
            changed,
            job("monthly", None, Group::Recurring, t0() + mins(120)),
            job("weekly", None, Group::Status, t0()),
        ])
        .await
        .unwrap();
    let after = store.jobs(None).await.unwrap();
    assert_eq!(keys(&after), ["weekly", "daily", "monthly"]);
    assert_eq!(&after[..2], &before[..], "existing jobs untouched");

    // Keys repeated within one batch keep the first.
    store
        .schedule(&[
            job("twice", None, Group::Response, t0()),
            job("twice", None, Group::Resolution, t0()),
        ])
        .await
        .unwrap();
    assert_eq!(job_by_key(&*store, "twice").await.group, Group::Response);
    store.schedule(&[]).await.unwrap();

    let daily = &after[1];
    assert_eq!(daily.kind, JobKind::Warning);
    assert_eq!(daily.incident, None);
    assert_eq!(daily.group, Group::Recurring);
    assert_eq!(daily.due_at, t0() + mins(60));
    assert_eq!(
        daily.payload,
        json!({ "key": "daily", "percent": 75, "nested": { "list": [1, 2, 3] } })
    );
    assert_eq!(daily.state, JobState::Pending);
    assert_eq!(daily.attempts, 0);
    assert_eq!((daily.lease_owner.as_deref(), daily.lease_until), (None, None));
    assert_eq!(
        (
            daily.last_error.as_deref(),
            daily.fired_at,
            daily.late,
            daily.outcome.as_deref()
        ),
        (None, None, false, None)
    );

    // Ids are distinct and positive (they serve as chat nonces).
    let ids: HashSet<i64> = store.jobs(None).await.unwrap().iter().map(|j| j.id).collect();
    assert_eq!(ids.len(), 4);
    assert!(ids.iter().all(|id| *id > 0));
}

async fn jobs_listing_and_next_due(store: Arc<dyn Store>) {
    assert_eq!(store.next_due().await.unwrap(), None, "no jobs, no next due");
    let a = "SSB-2026-0001";
    let b = "SSB-2026-0002";
    store
        .insert_incident(
            &incident(a, "ssb", State::Open, t0()),
            &Change {
                jobs: vec![
                    job("a2", Some(a), Group::Resolution, t0() + mins(30)),
                    job("a1", Some(a), Group::Response, t0() + mins(10)),
                ],
                ..Change::default()
            },
        )
        .await
        .unwrap();
    store
        .insert_incident(
            &incident(b, "ssb", State::Open, t0()),
            &Change {
                jobs: vec![job("b1", Some(b), Group::Response, t0() + mins(20))],
                ..Change::default()
            },
        )
        .await
        .unwrap();
    store
        .schedule(&[job("r1", None, Group::Recurring, t0() + mins(5))])
        .await
        .unwrap();

    assert_eq!(
        keys(&store.jobs(Some(&IncidentId::new(a))).await.unwrap()),
        ["a1", "a2"]
    );
    assert_eq!(keys(&store.jobs(Some(&IncidentId::new(b))).await.unwrap()), ["b1"]);
    assert!(
        store
            .jobs(Some(&IncidentId::new("SSB-2026-0404")))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(keys(&store.jobs(None).await.unwrap()), ["r1", "a1", "b1", "a2"]);
    assert_eq!(store.next_due().await.unwrap(), Some(t0() + mins(5)));

    // Only pending jobs count for next_due.
    let claimed = store
        .claim(t0() + mins(10), "runner", t0() + mins(11), 10)
        .await
        .unwrap();
    assert_eq!(keys(&claimed), ["r1", "a1"]);
    assert_eq!(store.next_due().await.unwrap(), Some(t0() + mins(20)));
    assert_eq!(
        store.jobs(Some(&IncidentId::new(a))).await.unwrap()[0].state,
        JobState::Running,
        "listing shows all states"
    );
}

async fn claim_takes_only_due_pending_jobs(store: Arc<dyn Store>) {
    let id = "SSB-2026-0001";
    store
        .insert_incident(
            &incident(id, "ssb", State::Open, t0()),
            &Change {
                jobs: vec![
                    job("past", Some(id), Group::Response, t0() - mins(5)),
                    job("now", Some(id), Group::Response, t0()),
                    job("cancelled", Some(id), Group::Status, t0() - mins(10)),
                    job("future", Some(id), Group::Resolution, t0() + Duration::seconds(1)),
                ],
                ..Change::default()
            },
        )
        .await
        .unwrap();
    // Cancel the `status` group so one due job is not pending.
    let current = store.incident(&IncidentId::new(id)).await.unwrap().unwrap();
    store
        .update_incident(
            &current,
            &Change {
                cancel: Some(CancelJobs {
                    incident: id.into(),
                    groups: vec![Group::Status],
                }),
                ..Change::default()
            },
        )
        .await
        .unwrap();

    let lease = t0() + mins(1);
    let claimed = store.claim(t0(), "runner-a", lease, 10).await.unwrap();
    assert_eq!(
        keys(&claimed),
        ["past", "now"],
        "due (≤ now) and pending only, oldest first"
    );
    for j in &claimed {
        assert_eq!(j.state, JobState::Running);
        assert_eq!(j.attempts, 1);
        assert_eq!(j.lease_owner.as_deref(), Some("runner-a"));
        assert_eq!(j.lease_until, Some(lease));
        assert_eq!(j.payload["key"], json!(j.key), "the payload comes back with the claim");
    }
    assert_eq!(
        claimed,
        vec![job_by_key(&*store, "past").await, job_by_key(&*store, "now").await],
        "claim returns the stored rows"
    );

    assert!(
        store.claim(t0(), "runner-b", lease, 10).await.unwrap().is_empty(),
        "running jobs are not claimed again"
    );
    assert!(
        store
            .claim(t0() + mins(60), "runner-b", lease, 0)
            .await
            .unwrap()
            .is_empty(),
        "limit 0 claims nothing"
    );
    assert_eq!(
        job_by_key(&*store, "future").await.state,
        JobState::Pending,
        "limit 0 changed nothing"
    );

    let later = store
        .claim(t0() + Duration::seconds(1), "runner-b", lease, 10)
        .await
        .unwrap();
    assert_eq!(keys(&later), ["future"]);
    assert_eq!(job_by_key(&*store, "cancelled").await.state, JobState::Cancelled);
}

async fn claim_orders_by_due_then_id(store: Arc<dyn Store>) {
    // Scheduled out of order, with ties on due time (broken by id, i.e. scheduling order).
    let plan = [
        ("j5", 50),
        ("j1", 10),
        ("j3", 30),
        ("j2a", 20),
        ("j2b", 20),
        ("j4", 40),
        ("j0", 0),
    ];
    let jobs: Vec<NewJob> = plan
        .iter()
        .map(|(k, m)| job(k, None, Group::Recurring, t0() + mins(*m)))
        .collect();
    store.schedule(&jobs).await.unwrap();

    let now = t0() + mins(100);
    let first = store.claim(now, "r", now + mins(1), 3).await.unwrap();
    assert_eq!(keys(&first), ["j0", "j1", "j2a"]);
    let second = store.claim(now, "r", now + mins(1), 3).await.unwrap();
    assert_eq!(keys(&second), ["j2b", "j3", "j4"]);
    let third = store.claim(now, "r", now + mins(1), 3).await.unwrap();
    assert_eq!(keys(&third), ["j5"]);
    assert!(store.claim(now, "r", now + mins(1), 3).await.unwrap().is_empty());
    let ids: Vec<i64> = first.iter().chain(&second).map(|j| j.id).collect();
    assert!(first[2].id < second[0].id, "ties on due time go by id: {ids:?}");
}

async fn concurrent_claimers_never_share_a_job(store: Arc<dyn Store>) {
    let jobs: Vec<NewJob> = (0..300)
        .map(|n| {
            job(
                &format!("job-{n:03}"),
                None,
                Group::Recurring,
                t0() + Duration::seconds(n % 17),
            )
        })
        .collect();
    store.schedule(&jobs).await.unwrap();

    let now = t0() + mins(1);
    let mut tasks = Vec::new();
    for runner in 0..6 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let owner = format!("runner-{runner}");
            let mut mine = Vec::new();
            loop {
                let batch = store.claim(now, &owner, now + mins(5), 7).await.unwrap();
                if batch.is_empty() {
                    return mine;
                }
                for j in batch {
                    assert_eq!(j.lease_owner.as_deref(), Some(owner.as_str()));
                    // Finish some so the runners also contend on writes.
                    if j.id % 2 == 0 {
                        let done = JobFinish::Done {
                            fired_at: now,
                            late: false,
                            outcome: owner.clone(),
                        };
                        store
                            .finish(&FinishJob {
                                id: j.id,
                                owner: owner.clone(),
                                finish: done,
                                posted: None,
                            })
                            .await
                            .unwrap();
                    }
                    mine.push(j.id);
                }
                tokio::task::yield_now().await;
            }
        }));
    }
    let mut seen = HashSet::new();
    let mut total = 0;
    for task in tasks {
        for id in task.await.unwrap() {
            total += 1;
            assert!(seen.insert(id), "job {id} was claimed twice");
        }
    }
    assert_eq!(total, 300, "every job claimed exactly once");
    let stored = store.jobs(None).await.unwrap();
    assert!(
        stored
            .iter()
            .all(|j| j.attempts == 1 && matches!(j.state, JobState::Running | JobState::Done))
    );
}

async fn latest_activity_is_the_last_job_run_or_report(store: Arc<dyn Store>) {
    assert_eq!(store.latest_activity().await.unwrap(), None, "an empty store");
    store
        .insert_incident(&incident("SSB-2026-0001", "ssb", State::Open, t0()), &Change::default())
        .await
        .unwrap();
    assert_eq!(store.latest_activity().await.unwrap(), Some(t0()));
    store.schedule(&[job("l", None, Group::Recurring, t0())]).await.unwrap();
    let claimed = store.claim(t0(), "runner", t0() + mins(1), 1).await.unwrap();
    store
        .finish(&FinishJob {
            id: claimed[0].id,
            owner: "runner".into(),
            finish: JobFinish::Done {
                fired_at: t0() + mins(42),
                late: false,
                outcome: "posted".into(),
            },
            posted: None,
        })
        .await
        .unwrap();
    assert_eq!(store.latest_activity().await.unwrap(), Some(t0() + mins(42)));
}

async fn renew_extends_only_the_owners_lease(store: Arc<dyn Store>) {
    store.schedule(&[job("r", None, Group::Recurring, t0())]).await.unwrap();
    let claimed = store.claim(t0(), "runner-a", t0() + mins(1), 10).await.unwrap();
    let id = claimed[0].id;
    store.renew(id, "runner-a", t0() + mins(5)).await.unwrap();
    assert_eq!(job_by_key(&*store, "r").await.lease_until, Some(t0() + mins(5)));
    assert_eq!(
        store.requeue_expired(t0() + mins(2)).await.unwrap(),
        0,
        "the renewed lease holds past the first"
    );
    assert!(matches!(
        store.renew(id, "runner-b", t0() + mins(9)).await,
        Err(StoreError::LeaseLost(x)) if x == id
    ));
    assert_eq!(store.requeue_expired(t0() + mins(6)).await.unwrap(), 1);
    assert!(
        matches!(
            store.renew(id, "runner-a", t0() + mins(9)).await,
            Err(StoreError::LeaseLost(_))
        ),
        "an expired, requeued lease cannot be renewed"
    );
}

async fn release_returns_only_the_owners_unfinished_jobs(store: Arc<dyn Store>) {
    store
        .schedule(&[
            job("a1", None, Group::Recurring, t0()),
            job("a2", None, Group::Recurring, t0()),
            job("b1", None, Group::Recurring, t0() + mins(1)),
        ])
        .await
        .unwrap();
    let a = store.claim(t0(), "runner-a", t0() + mins(10), 10).await.unwrap();
    assert_eq!(keys(&a), ["a1", "a2"]);
    let b = store
        .claim(t0() + mins(1), "runner-b", t0() + mins(10), 10)
        .await
        .unwrap();
    assert_eq!(keys(&b), ["b1"]);
    // runner-a ran a1 and stops before a2: a2 goes back, b1 (another owner's) stays running.
    store
        .finish(&FinishJob {
            id: a[0].id,
            owner: "runner-a".into(),
            finish: JobFinish::Done {
                fired_at: t0(),
                late: false,
                outcome: "posted".into(),
            },
            posted: None,
        })
        .await
        .unwrap();
    assert_eq!(store.release("runner-a").await.unwrap(), 1);
    let a2 = job_by_key(&*store, "a2").await;
    assert_eq!(
        (a2.state, a2.lease_owner.as_deref(), a2.attempts),
        (JobState::Pending, None, 0),
        "released without counting the claim as an attempt"
    );
    assert_eq!(job_by_key(&*store, "a1").await.state, JobState::Done);
    assert_eq!(job_by_key(&*store, "b1").await.state, JobState::Running);
    assert_eq!(store.release("runner-a").await.unwrap(), 0, "nothing left to release");
    let again = store
        .claim(t0() + mins(2), "runner-c", t0() + mins(10), 10)
        .await
        .unwrap();
    assert_eq!(keys(&again), ["a2"], "a released job is claimed again at once");
}

/// A postponed job goes back to pending at the new time without counting the claim as an
/// attempt, only by its owner; an incident's unfinished jobs are its pending and running ones.
async fn postpone_waits_without_an_attempt_and_lists_unfinished_jobs(store: Arc<dyn Store>) {
    let (_, claimed) = incident_with_claimed_jobs(
        &*store,
        "SSB-2026-0001",
        "runner-a",
        vec![
            job("i1", Some("SSB-2026-0001"), Group::Response, t0()),
            job("i2", Some("SSB-2026-0001"), Group::Response, t0() + mins(1)),
            job("i3", Some("SSB-2026-0001"), Group::Response, t0() + mins(2)),
        ],
    )
    .await;
    assert_eq!(keys(&claimed), ["i1", "i2", "i3"]);
    let until = t0() + mins(900);
    assert!(matches!(
        store.postpone(claimed[1].id, "runner-b", until).await,
        Err(StoreError::LeaseLost(_))
    ));
    store.postpone(claimed[1].id, "runner-a", until).await.unwrap();
    let i2 = job_by_key(&*store, "i2").await;
    assert_eq!(
        (i2.state, i2.due_at, i2.attempts, i2.lease_owner.as_deref()),
        (JobState::Pending, until, 0, None),
        "back to pending at the new time, not an attempt"
    );
    assert_eq!(i2.planned_at, t0() + mins(1), "the planned time stays");
    assert!(matches!(
        store.postpone(claimed[1].id, "runner-a", until).await,
        Err(StoreError::LeaseLost(_))
    ));
    store
        .finish(&finish_as(claimed[0].id, "runner-a", done("posted"), None))
        .await
        .unwrap();
    let other = store
        .insert_incident(
            &incident("SSB-2026-0002", "ssb", State::Open, t0()),
            &Change {
                jobs: vec![job("o1", Some("SSB-2026-0002"), Group::Response, t0())],
                ..Change::default()
            },
        )
        .await;
    other.unwrap();
    let unfinished = store.unfinished_jobs(&IncidentId::new("SSB-2026-0001")).await.unwrap();
    assert_eq!(keys(&unfinished), ["i3", "i2"], "running and pending, by due time");
}

async fn expired_lease_is_requeued_and_reclaimed(store: Arc<dyn Store>) {
    store
        .schedule(&[
            job("j", None, Group::Recurring, t0()),
            job("k", None, Group::Recurring, t0() + mins(1)),
        ])
        .await
        .unwrap();
    let first = store.claim(t0(), "runner-a", t0() + mins(1), 10).await.unwrap();
    assert_eq!(keys(&first), ["j"]);
    let id = first[0].id;

    assert_eq!(
        store.requeue_expired(t0() + Duration::seconds(30)).await.unwrap(),
        0,
        "lease still held"
    );
    assert_eq!(
        store.requeue_expired(t0() + mins(1)).await.unwrap(),
        0,
        "expires only strictly before now"
    );
    assert!(
        store
            .claim(t0() + Duration::seconds(30), "runner-b", t0() + mins(2), 10)
            .await
            .unwrap()
            .is_empty()
    );

    assert_eq!(
        store
            .requeue_expired(t0() + mins(1) + Duration::seconds(1))
            .await
            .unwrap(),
        1
    );
    let requeued = job_by_key(&*store, "j").await;
    assert_eq!(requeued.state, JobState::Pending);
    assert_eq!(
        (requeued.lease_owner, requeued.lease_until),
        (None, None),
        "lease cleared"
    );
    assert_eq!(requeued.attempts, 1);
    assert_eq!(
        job_by_key(&*store, "k").await.state,
        JobState::Pending,
        "other jobs untouched"
    );

    let now = t0() + mins(2);
    let second = store.claim(now, "runner-b", now + mins(1), 1).await.unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].id, id);
    assert_eq!(second[0].attempts, 2, "the second claim is the second attempt");
    assert_eq!(second[0].lease_owner.as_deref(), Some("runner-b"));

    // The first runner comes back: its lease is gone.
    let late = JobFinish::Done {
        fired_at: now,
        late: false,
        outcome: "stale".into(),
    };
    match store
        .finish(&FinishJob {
            id,
            owner: "runner-a".into(),
            finish: late,
            posted: None,
        })
        .await
    {
        Err(StoreError::LeaseLost(got)) => assert_eq!(got, id),
        other => panic!("expected LeaseLost, got {other:?}"),
    }
    let done = JobFinish::Done {
        fired_at: now,
        late: true,
        outcome: "posted".into(),
    };
    store
        .finish(&FinishJob {
            id,
            owner: "runner-b".into(),
            finish: done,
            posted: None,
        })
        .await
        .unwrap();
    let j = job_by_key(&*store, "j").await;
    assert_eq!(
        (j.state, j.outcome.as_deref(), j.attempts),
        (JobState::Done, Some("posted"), 2)
    );
    assert_eq!(
        store.requeue_expired(t0() + mins(600)).await.unwrap(),
        0,
        "a done job is not requeued"
    );
}

async fn finish_done(store: Arc<dyn Store>) {
    store.schedule(&[job("j", None, Group::Recurring, t0())]).await.unwrap();
    let id = store.claim(t0(), "r", t0() + mins(1), 1).await.unwrap()[0].id;
    let fired = t0() + Duration::seconds(3);
    store
        .finish(&FinishJob {
            id,
            owner: "r".into(),
            finish: JobFinish::Done {
                fired_at: fired,
                late: true,
                outcome: "posted to #inc".into(),
            },
            posted: None,
        })
        .await
        .unwrap();
    let j = job_by_key(&*store, "j").await;
    assert_eq!(j.state, JobState::Done);
    assert_eq!(j.fired_at, Some(fired));
    assert!(j.late);
    assert_eq!(j.outcome.as_deref(), Some("posted to #inc"));
    assert_eq!(j.attempts, 1);
    assert_eq!(j.last_error, None);
    assert!(
        store
            .claim(t0() + mins(600), "r2", t0() + mins(601), 10)
            .await
            .unwrap()
            .is_empty(),
        "done is final"
    );
    assert_eq!(store.next_due().await.unwrap(), None);
}

async fn finish_retry(store: Arc<dyn Store>) {
    store.schedule(&[job("j", None, Group::Recurring, t0())]).await.unwrap();
    let id = store.claim(t0(), "r", t0() + mins(1), 1).await.unwrap()[0].id;
    let retry_at = t0() + Duration::seconds(30);
    store
        .finish(&FinishJob {
            id,
            owner: "r".into(),
            finish: JobFinish::Retry {
                retry_at,
                error: "chat down".into(),
            },
            posted: None,
        })
        .await
        .unwrap();
    let j = job_by_key(&*store, "j").await;
    assert_eq!(j.state, JobState::Pending);
    assert_eq!(j.due_at, retry_at);
    assert_eq!(j.planned_at, t0(), "the planned time never moves");
    assert_eq!(j.last_error.as_deref(), Some("chat down"));
    assert_eq!((j.lease_owner, j.lease_until), (None, None), "lease released");
    assert_eq!(j.attempts, 1);
    assert_eq!(store.next_due().await.unwrap(), Some(retry_at));

    assert!(
        store
            .claim(retry_at - Duration::seconds(1), "r", t0() + mins(5), 1)
            .await
            .unwrap()
            .is_empty(),
        "not before retry_at"
    );
    let again = store.claim(retry_at, "r2", t0() + mins(5), 1).await.unwrap();
    assert_eq!(again[0].attempts, 2);
    assert_eq!(
        again[0].last_error.as_deref(),
        Some("chat down"),
        "the last error stays visible"
    );
    // The retry released the lease: the old owner cannot finish the new attempt.
    let stale = JobFinish::Failed { error: "x".into() };
    assert!(matches!(
        store
            .finish(&FinishJob {
                id,
                owner: "r".into(),
                finish: stale,
                posted: None,
            })
            .await,
        Err(StoreError::LeaseLost(_))
    ));
}

async fn finish_failed(store: Arc<dyn Store>) {
    store.schedule(&[job("j", None, Group::Recurring, t0())]).await.unwrap();
    let id = store.claim(t0(), "r", t0() + mins(1), 1).await.unwrap()[0].id;
    store
        .finish(&FinishJob {
            id,
            owner: "r".into(),
            finish: JobFinish::Failed {
                error: "gave up".into(),
            },
            posted: None,
        })
        .await
        .unwrap();
    let j = job_by_key(&*store, "j").await;
    assert_eq!(j.state, JobState::Failed);
    assert_eq!(j.last_error.as_deref(), Some("gave up"));
    assert_eq!((j.fired_at, j.outcome), (None, None));
    assert!(
        store
            .claim(t0() + mins(600), "r2", t0() + mins(601), 10)
            .await
            .unwrap()
            .is_empty(),
        "failed is final"
    );
    assert_eq!(
        store.requeue_expired(t0() + mins(600)).await.unwrap(),
        0,
        "failed jobs are not requeued"
    );
}

async fn finish_needs_the_lease(store: Arc<dyn Store>) {
    store
        .schedule(&[
            job("claimed", None, Group::Recurring, t0()),
            job("pending", None, Group::Recurring, t0() + mins(5)),
        ])
        .await
        .unwrap();
    let claimed = store.claim(t0(), "owner", t0() + mins(1), 10).await.unwrap();
    let id = claimed[0].id;
    let pending_id = job_by_key(&*store, "pending").await.id;
    let done = || JobFinish::Done {
        fired_at: t0(),
        late: false,
        outcome: "ok".into(),
    };

    for (job_id, owner) in [(id, "intruder"), (pending_id, "owner"), (i64::MAX, "owner")] {
        match store
            .finish(&FinishJob {
                id: job_id,
                owner: owner.into(),
                finish: done(),
                posted: None,
            })
            .await
        {
            Err(StoreError::LeaseLost(got)) => assert_eq!(got, job_id),
            other => panic!("expected LeaseLost for job {job_id} by {owner}, got {other:?}"),
        }
    }
    let j = job_by_key(&*store, "claimed").await;
    assert_eq!(
        (j.state, j.lease_owner.as_deref()),
        (JobState::Running, Some("owner")),
        "unchanged by the intruder"
    );
    assert_eq!(
        job_by_key(&*store, "pending").await.state,
        JobState::Pending,
        "a pending job cannot be finished"
    );

    store
        .finish(&FinishJob {
            id,
            owner: "owner".into(),
            finish: done(),
            posted: None,
        })
        .await
        .unwrap();
    // Finishing twice is refused: the job no longer runs.
    assert!(matches!(
        store
            .finish(&FinishJob {
                id,
                owner: "owner".into(),
                finish: done(),
                posted: None,
            })
            .await,
        Err(StoreError::LeaseLost(_))
    ));
}

async fn change_cancels_by_groups(store: Arc<dyn Store>) {
    let a = "SSB-2026-0001";
    let b = "SSB-2026-0002";
    let plan = vec![
        job("a-resp-1", Some(a), Group::Response, t0() + mins(30)),
        job("a-resp-2", Some(a), Group::Response, t0() + mins(45)),
        job("a-resp-running", Some(a), Group::Response, t0() - mins(1)),
        job("a-resol", Some(a), Group::Resolution, t0() + mins(300)),
        job("a-status", Some(a), Group::Status, t0() + mins(60)),
        job("a-follow", Some(a), Group::FromOpen, t0() + mins(600)),
    ];
    let v1 = store
        .insert_incident(
            &incident(a, "ssb", State::Open, t0()),
            &Change {
                jobs: plan,
                ..Change::default()
            },
        )
        .await
        .unwrap();
    store
        .insert_incident(
            &incident(b, "ssb", State::Open, t0()),
            &Change {
                jobs: vec![job("b-resp", Some(b), Group::Response, t0() + mins(30))],
                ..Change::default()
            },
        )
        .await
        .unwrap();
    store
        .schedule(&[job("recurring", None, Group::Response, t0() + mins(30))])
        .await
        .unwrap();
    let running = store.claim(t0(), "runner", t0() + mins(5), 10).await.unwrap();
    assert_eq!(keys(&running), ["a-resp-running"]);

    // Acknowledged: the response group goes, and a status job of a new plan comes in the same
    // change — in a cancelled group, yet it stays pending (cancel applies before new jobs).
    let mut acked = v1.clone();
    acked.acknowledge("u1", t0() + mins(1)).unwrap();
    let change = Change {
        cancel: Some(CancelJobs {
            incident: a.into(),
            groups: vec![Group::Response, Group::Status],
        }),
        jobs: vec![job("a-status-gen1", Some(a), Group::Status, t0() + mins(90))],
        ..Change::default()
    };
    store.update_incident(&acked, &change).await.unwrap();

    let state_of = |jobs: &[Job], key: &str| jobs.iter().find(|j| j.key == key).unwrap().state;
    let jobs = store.jobs(None).await.unwrap();
    assert_eq!(state_of(&jobs, "a-resp-1"), JobState::Cancelled);
    assert_eq!(state_of(&jobs, "a-resp-2"), JobState::Cancelled);
    assert_eq!(state_of(&jobs, "a-status"), JobState::Cancelled);
    assert_eq!(
        state_of(&jobs, "a-resp-running"),
        JobState::Running,
        "only pending jobs are cancelled"
    );
    assert_eq!(state_of(&jobs, "a-resol"), JobState::Pending, "other groups stay");
    assert_eq!(state_of(&jobs, "a-follow"), JobState::Pending);
    assert_eq!(
        state_of(&jobs, "a-status-gen1"),
        JobState::Pending,
        "the change's own new jobs stay"
    );
    assert_eq!(
        state_of(&jobs, "b-resp"),
        JobState::Pending,
        "other incidents' jobs stay"
    );
    assert_eq!(
        state_of(&jobs, "recurring"),
        JobState::Pending,
        "jobs without an incident stay"
    );

    // A cancelled job is not claimed, and is not resurrected by scheduling its key again.
    store
        .schedule(&[job("a-resp-1", Some(a), Group::Response, t0())])
        .await
        .unwrap();
    assert_eq!(job_by_key(&*store, "a-resp-1").await.state, JobState::Cancelled);
    let claimed = store
        .claim(t0() + mins(60), "runner", t0() + mins(65), 100)
        .await
        .unwrap();
    assert_eq!(keys(&claimed), ["b-resp", "recurring"]);
}

async fn change_cancel_without_groups_cancels_all(store: Arc<dyn Store>) {
    let a = "SSB-2026-0001";
    let plan = vec![
        job("a1", Some(a), Group::Response, t0() + mins(30)),
        job("a2", Some(a), Group::Resolution, t0() + mins(300)),
        job("a3", Some(a), Group::Status, t0() + mins(60)),
    ];
    let v1 = store
        .insert_incident(
            &incident(a, "ssb", State::Open, t0()),
            &Change {
                jobs: plan,
                ..Change::default()
            },
        )
        .await
        .unwrap();
    store
        .schedule(&[job("other", None, Group::Status, t0() + mins(60))])
        .await
        .unwrap();
    let mut closed = v1.clone();
    closed.resolve("u1", Resolution::Fix, None, t0() + mins(1)).unwrap();
    closed.close("u1", t0() + mins(2)).unwrap();
    let change = Change {
        cancel: Some(CancelJobs {
            incident: a.into(),
            groups: vec![],
        }),
        ..Change::default()
    };
    store.update_incident(&closed, &change).await.unwrap();
    let jobs = store.jobs(Some(&IncidentId::new(a))).await.unwrap();
    assert!(jobs.iter().all(|j| j.state == JobState::Cancelled), "{jobs:?}");
    assert_eq!(job_by_key(&*store, "other").await.state, JobState::Pending);
    assert_eq!(store.next_due().await.unwrap(), Some(t0() + mins(60)));
}

async fn change_finish_commits_with_the_update(store: Arc<dyn Store>) {
    let id = "SSB-2026-0001";
    let (v1, claimed) = incident_with_claimed_jobs(
        &*store,
        id,
        "runner",
        vec![job("warn", Some(id), Group::Response, t0() + mins(45))],
    )
    .await;
    let job_id = claimed[0].id;

    let fired = t0() + mins(45);
    let mut warned = v1.clone();
    warned.record(&response_breach(), fired);
    assert_eq!(warned.escalation_level(), 1);
    let change = Change {
        timeline: vec![entry(fired, "vakt", "warning sent")],
        jobs: vec![job("escalate", Some(id), Group::Response, t0() + mins(60))],
        finish: Some(FinishJob {
            id: job_id,
            owner: "runner".into(),
            finish: JobFinish::Done {
                fired_at: fired,
                late: false,
                outcome: "warned".into(),
            },
            posted: None,
        }),
        cancel: None,
        chat_refs: Vec::new(),
        alerts: Vec::new(),
        unchanged: false,
    };
    let v2 = store.update_incident(&warned, &change).await.unwrap();
    assert_eq!(v2.version(), 2);
    assert_eq!(v2, warned.clone().with_version(2));
    let warn = job_by_key(&*store, "warn").await;
    assert_eq!(
        (warn.state, warn.fired_at, warn.outcome.as_deref()),
        (JobState::Done, Some(fired), Some("warned"))
    );
    assert_eq!(job_by_key(&*store, "escalate").await.state, JobState::Pending);
    assert_eq!(store.timeline(&IncidentId::new(id)).await.unwrap(), change.timeline);

    // Retry through a change works the same way.
    let claimed = store
        .claim(t0() + mins(60), "runner", t0() + mins(61), 1)
        .await
        .unwrap();
    let retry_at = t0() + mins(61);
    let change = Change {
        finish: Some(FinishJob {
            id: claimed[0].id,
            owner: "runner".into(),
            finish: JobFinish::Retry {
                retry_at,
                error: "boom".into(),
            },
            posted: None,
        }),
        ..Change::default()
    };
    store.update_incident(&v2, &change).await.unwrap();
    let escalate = job_by_key(&*store, "escalate").await;
    assert_eq!((escalate.state, escalate.due_at), (JobState::Pending, retry_at));
}

async fn change_finish_rolls_back_with_a_conflict(store: Arc<dyn Store>) {
    let id = "SSB-2026-0001";
    let (v1, claimed) = incident_with_claimed_jobs(
        &*store,
        id,
        "runner",
        vec![job("warn", Some(id), Group::Response, t0() + mins(45))],
    )
    .await;
    let job_id = claimed[0].id;
    // Someone else updates the incident first.
    let mut other = v1.clone();
    other.add_update("u1", "meanwhile", t0()).unwrap();
    let v2 = store.update_incident(&other, &Change::default()).await.unwrap();

    let change = Change {
        timeline: vec![entry(t0(), "vakt", "warning sent")],
        jobs: vec![job("escalate", Some(id), Group::Response, t0() + mins(60))],
        finish: Some(FinishJob {
            id: job_id,
            owner: "runner".into(),
            finish: JobFinish::Done {
                fired_at: t0(),
                late: false,
                outcome: "warned".into(),
            },
            posted: None,
        }),
        cancel: Some(CancelJobs {
            incident: id.into(),
            groups: vec![],
        }),
        chat_refs: Vec::new(),
        alerts: Vec::new(),
        unchanged: false,
    };
    assert!(matches!(
        store.update_incident(&v1, &change).await,
        Err(StoreError::Conflict(_))
    ));
    let warn = job_by_key(&*store, "warn").await;
    assert_eq!(
        (warn.state, warn.lease_owner.as_deref()),
        (JobState::Running, Some("runner")),
        "the finish was rolled back"
    );
    assert_eq!(
        keys(&store.jobs(Some(&IncidentId::new(id))).await.unwrap()),
        ["warn"],
        "no new jobs"
    );
    assert!(store.timeline(&IncidentId::new(id)).await.unwrap().is_empty());
    assert_eq!(store.incident(&IncidentId::new(id)).await.unwrap().unwrap(), v2);

    // The runner retries on the fresh version and succeeds.
    store.update_incident(&v2, &change).await.unwrap();
    assert_eq!(job_by_key(&*store, "warn").await.state, JobState::Done);
}

/// A record whose job another runner holds changes nothing, its post's reference included;
/// its owner's commits all of it.
async fn change_with_lost_lease_rolls_back_the_update(store: Arc<dyn Store>) {
    let id = "SSB-2026-0001";
    let (v1, claimed) = incident_with_claimed_jobs(
        &*store,
        id,
        "runner-a",
        vec![job("warn", Some(id), Group::Response, t0() + mins(45))],
    )
    .await;
    let job_id = claimed[0].id;
    let mut changed = v1.clone();
    changed.record(&response_breach(), t0());
    let change = Change {
        timeline: vec![entry(t0(), "vakt", "warning sent")],
        jobs: vec![job("escalate", Some(id), Group::Response, t0() + mins(60))],
        finish: Some(FinishJob {
            id: job_id,
            owner: "runner-b".into(),
            finish: JobFinish::Done {
                fired_at: t0(),
                late: false,
                outcome: "warned".into(),
            },
            posted: Some(msg("alerts", "m-warn")),
        }),
        cancel: None,
        chat_refs: Vec::new(),
        alerts: Vec::new(),
        unchanged: false,
    };
    match store.update_incident(&changed, &change).await {
        Err(StoreError::LeaseLost(got)) => assert_eq!(got, job_id),
        other => panic!("expected LeaseLost, got {other:?}"),
    }
    assert_eq!(
        store.incident(&IncidentId::new(id)).await.unwrap().unwrap(),
        v1,
        "the incident update was rolled back"
    );
    assert!(store.timeline(&IncidentId::new(id)).await.unwrap().is_empty());
    assert_eq!(keys(&store.jobs(Some(&IncidentId::new(id))).await.unwrap()), ["warn"]);
    assert_eq!(
        job_by_key(&*store, "warn").await.lease_owner.as_deref(),
        Some("runner-a")
    );
    assert_eq!(
        store.chat_ref(&ChatRefKey::JobPost(job_id)).await.unwrap(),
        None,
        "nor its post's reference"
    );

    // The owner's record commits all of it, its post's reference with it.
    let mut owners = change.clone();
    owners.finish.as_mut().expect("a finish").owner = "runner-a".into();
    store.update_incident(&changed, &owners).await.unwrap();
    assert_eq!(store.timeline(&IncidentId::new(id)).await.unwrap().len(), 1);
    assert_eq!(
        keys(&store.jobs(Some(&IncidentId::new(id))).await.unwrap()),
        ["warn", "escalate"]
    );
    assert_eq!(job_by_key(&*store, "warn").await.state, JobState::Done);
    assert_eq!(
        store.chat_ref(&ChatRefKey::JobPost(job_id)).await.unwrap(),
        Some(msg("alerts", "m-warn"))
    );
}

async fn timestamps_are_exact(store: Arc<dyn Store>) {
    // Microseconds survive everywhere (both backends keep microseconds).
    let odd = t0() + Duration::microseconds(123_456);
    let mut inc = incident("SSB-2026-0001", "ssb", State::Open, odd);
    inc.acknowledge("u1", odd + Duration::microseconds(1)).unwrap();
    let entries = vec![entry(odd, "u1", "at an odd time")];
    store
        .insert_incident(
            &inc,
            &Change {
                timeline: entries.clone(),
                jobs: vec![job("j", Some(inc.id().as_str()), Group::Status, odd)],
                ..Change::default()
            },
        )
        .await
        .unwrap();
    let stored = store.incident(inc.id()).await.unwrap().unwrap();
    assert_eq!(stored, inc.clone().with_version(1));
    assert_eq!(stored.acknowledged_at(), Some(odd + Duration::microseconds(1)));
    assert_eq!(store.timeline(inc.id()).await.unwrap(), entries);
    assert_eq!(job_by_key(&*store, "j").await.due_at, odd);
    assert_eq!(store.next_due().await.unwrap(), Some(odd));
    // Due one microsecond later than `now`: not yet.
    assert!(
        store
            .claim(odd - Duration::microseconds(1), "r", odd, 1)
            .await
            .unwrap()
            .is_empty()
    );
    let lease = odd + Duration::microseconds(999_999);
    let claimed = store.claim(odd, "r", lease, 1).await.unwrap();
    assert_eq!(claimed[0].lease_until, Some(lease));
    assert_eq!(store.requeue_expired(lease).await.unwrap(), 0);
    assert_eq!(
        store.requeue_expired(lease + Duration::microseconds(1)).await.unwrap(),
        1
    );
    // Far dates order correctly too (text order is time order on SQLite).
    store
        .schedule(&[
            job(
                "late",
                None,
                Group::Recurring,
                Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).unwrap(),
            ),
            job(
                "early",
                None,
                Group::Recurring,
                Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap(),
            ),
        ])
        .await
        .unwrap();
    assert_eq!(keys(&store.jobs(None).await.unwrap()), ["early", "j", "late"]);
}

async fn persists_across_reopen(db: Db) {
    let id = "SSB-2026-0001";
    let (stored, timeline, job_id) = {
        let store = db.open().await;
        assert_eq!(store.next_sequence("SSB", 2026).await.unwrap(), 1);
        let timeline = vec![entry(t0(), "u1", "opened")];
        let change = Change {
            timeline: timeline.clone(),
            jobs: vec![
                job("warn", Some(id), Group::Response, t0()),
                job("later", Some(id), Group::Status, t0() + mins(60)),
            ],
            ..Change::default()
        };
        let v1 = store
            .insert_incident(&incident(id, "ssb", State::Open, t0()), &change)
            .await
            .unwrap();
        let mut acked = v1.clone();
        acked.acknowledge("u1", t0()).unwrap();
        let v2 = store.update_incident(&acked, &Change::default()).await.unwrap();
        let claimed = store.claim(t0(), "runner", t0() + mins(1), 10).await.unwrap();
        (v2, timeline, claimed[0].id)
    }; // the store is dropped here

    let store = db.open().await;
    assert_eq!(
        store.incident(&IncidentId::new(id)).await.unwrap(),
        Some(stored.clone())
    );
    assert_eq!(
        store.incident(&IncidentId::new(id)).await.unwrap().unwrap().version(),
        2
    );
    assert_eq!(store.timeline(&IncidentId::new(id)).await.unwrap(), timeline);
    assert_eq!(
        store.next_sequence("SSB", 2026).await.unwrap(),
        2,
        "the sequence continues"
    );
    let jobs = store.jobs(Some(&IncidentId::new(id))).await.unwrap();
    assert_eq!(keys(&jobs), ["warn", "later"]);
    assert_eq!(
        (jobs[0].state, jobs[0].lease_owner.as_deref()),
        (JobState::Running, Some("runner"))
    );
    // The lease survives the restart: the same owner can finish, and the store still migrates
    // cleanly (opening twice ran the migrations twice).
    let done = JobFinish::Done {
        fired_at: t0(),
        late: true,
        outcome: "after restart".into(),
    };
    store
        .finish(&FinishJob {
            id: job_id,
            owner: "runner".into(),
            finish: done,
            posted: None,
        })
        .await
        .unwrap();
    assert_eq!(store.next_due().await.unwrap(), Some(t0() + mins(60)));
    drop(store);
    let third = db.open().await;
    assert_eq!(job_by_key(&*third, "warn").await.state, JobState::Done);
}

// ---------------------------------------------------------------------------------------------
// Chat message references

fn msg(channel: &str, message: &str) -> MessageRef {
    MessageRef {
        channel: channel.to_string(),
        message: message.to_string(),
    }
}

fn card(id: &str) -> ChatRefKey {
    ChatRefKey::Card(IncidentId::new(id))
}

fn conversation(id: &str) -> ChatRefKey {
    ChatRefKey::Conversation(IncidentId::new(id))
}

fn done(outcome: &str) -> JobFinish {
    JobFinish::Done {
        fired_at: t0(),
        late: false,
        outcome: outcome.to_string(),
    }
}

async fn chat_ref_round_trip(store: Arc<dyn Store>) {
    let id = "SSB-2026-0001";
    store
        .insert_incident(&incident(id, "ssb", State::Open, t0()), &Change::default())
        .await
        .unwrap();
    // Opaque ids keep their exact text (snowflakes, console headings with spaces and «æøå»).
    let card_ref = msg("1234567890123456789", "987654321098765432");
    let thread_ref = msg("console", "SSB-2026-0001 — «æøå» \"quoted\"");
    let post_ref = msg("status", "42");
    store.put_chat_ref(&card(id), &card_ref).await.unwrap();
    store.put_chat_ref(&conversation(id), &thread_ref).await.unwrap();
    store.put_chat_ref(&ChatRefKey::JobPost(7), &post_ref).await.unwrap();
    assert_eq!(store.chat_ref(&card(id)).await.unwrap(), Some(card_ref));
    assert_eq!(store.chat_ref(&conversation(id)).await.unwrap(), Some(thread_ref));
    assert_eq!(store.chat_ref(&ChatRefKey::JobPost(7)).await.unwrap(), Some(post_ref));

    // Unknown keys: nothing.
    assert_eq!(store.chat_ref(&card("SSB-2026-0002")).await.unwrap(), None);
    assert_eq!(store.chat_ref(&ChatRefKey::JobPost(8)).await.unwrap(), None);
    assert_eq!(store.chat_ref(&ChatRefKey::JobPost(-7)).await.unwrap(), None);
    assert!(
        store
            .chat_refs(&IncidentId::new("SSB-2026-0002"))
            .await
            .unwrap()
            .is_empty()
    );

    // A card or conversation of an unknown incident is refused.
    for key in [card("SSB-2026-0009"), conversation("SSB-2026-0009")] {
        match store.put_chat_ref(&key, &msg("c", "m")).await {
            Err(StoreError::NotFound(got)) => assert_eq!(got, "SSB-2026-0009"),
            other => panic!("expected NotFound for {key}, got {other:?}"),
        }
        assert_eq!(store.chat_ref(&key).await.unwrap(), None);
    }
}

async fn conversation_incident_finds_the_thread_owner(store: Arc<dyn Store>) {
    for id in ["SSB-2026-0001", "SSB-2026-0002"] {
        store
            .insert_incident(&incident(id, "ssb", State::Open, t0()), &Change::default())
            .await
            .unwrap();
    }
    // Card and thread of the first; only a card of the second; a job post elsewhere.
    store
        .put_chat_ref(&card("SSB-2026-0001"), &msg("100", "200"))
        .await
        .unwrap();
    store
        .put_chat_ref(&conversation("SSB-2026-0001"), &msg("100", "300"))
        .await
        .unwrap();
    store
        .put_chat_ref(&card("SSB-2026-0002"), &msg("100", "400"))
        .await
        .unwrap();
    store
        .put_chat_ref(&ChatRefKey::JobPost(5), &msg("300", "500"))
        .await
        .unwrap();
    assert_eq!(
        store.conversation_incident(&MessageId::new("300")).await.unwrap(),
        Some(IncidentId::new("SSB-2026-0001"))
    );
    // A card's message, a job post's channel or message, or an unknown id is no conversation.
    for other in ["200", "400", "500", "100", "999", ""] {
        assert_eq!(
            store.conversation_incident(&MessageId::new(other)).await.unwrap(),
            None,
            "{other}"
        );
    }
    // A conversation moved to another thread is found there, and no longer at the old one.
    store
        .put_chat_ref(&conversation("SSB-2026-0001"), &msg("100", "301"))
        .await
        .unwrap();
    assert_eq!(
        store.conversation_incident(&MessageId::new("301")).await.unwrap(),
        Some(IncidentId::new("SSB-2026-0001"))
    );
    assert_eq!(store.conversation_incident(&MessageId::new("300")).await.unwrap(), None);
}

async fn chat_ref_replace_keeps_one_row(store: Arc<dyn Store>) {
    let id = "SSB-2026-0001";
    store
        .insert_incident(&incident(id, "ssb", State::Open, t0()), &Change::default())
        .await
        .unwrap();
    store.put_chat_ref(&card(id), &msg("c1", "m1")).await.unwrap();
    store.put_chat_ref(&card(id), &msg("c2", "m2")).await.unwrap();
    // Putting the same reference again is a no-op, not an error.
    store.put_chat_ref(&card(id), &msg("c2", "m2")).await.unwrap();
    assert_eq!(store.chat_ref(&card(id)).await.unwrap(), Some(msg("c2", "m2")));
    assert_eq!(
        store.chat_refs(&IncidentId::new(id)).await.unwrap(),
        [(card(id), msg("c2", "m2"))],
        "one row per key"
    );

    store
        .put_chat_ref(&ChatRefKey::JobPost(1), &msg("c", "first"))
        .await
        .unwrap();
    store
        .put_chat_ref(&ChatRefKey::JobPost(1), &msg("c", "second"))
        .await
        .unwrap();
    assert_eq!(
        store.chat_ref(&ChatRefKey::JobPost(1)).await.unwrap(),
        Some(msg("c", "second"))
    );
}

async fn chat_refs_list_one_incident_in_key_order(store: Arc<dyn Store>) {
    let (a, b) = ("SSB-2026-0001", "SSB-2026-0002");
    let a_jobs: Vec<NewJob> = (0..12)
        .map(|n| job(&format!("a-{n}"), Some(a), Group::Status, t0() + mins(n)))
        .collect();
    store
        .insert_incident(
            &incident(a, "ssb", State::Open, t0()),
            &Change {
                jobs: a_jobs,
                ..Change::default()
            },
        )
        .await
        .unwrap();
    store
        .insert_incident(
            &incident(b, "ssb", State::Open, t0()),
            &Change {
                jobs: vec![job("b-0", Some(b), Group::Status, t0())],
                ..Change::default()
            },
        )
        .await
        .unwrap();
    store
        .schedule(&[job("recurring", None, Group::Recurring, t0())])
        .await
        .unwrap();
    let a_ids: Vec<i64> = store
        .jobs(Some(&IncidentId::new(a)))
        .await
        .unwrap()
        .iter()
        .map(|j| j.id)
        .collect();
    let b_id = job_by_key(&*store, "b-0").await.id;
    let recurring_id = job_by_key(&*store, "recurring").await.id;
    assert!(
        a_ids.iter().any(|&i| i < 10) && a_ids.iter().any(|&i| i >= 10),
        "job ids cross a digit boundary, so text order would differ from key order: {a_ids:?}"
    );

    // Written in a scrambled order: posts (highest id first), then conversation, then card.
    let post = |id: i64| msg("status", &format!("post-{id}"));
    for &id in a_ids.iter().rev() {
        store.put_chat_ref(&ChatRefKey::JobPost(id), &post(id)).await.unwrap();
    }
    store
        .put_chat_ref(&conversation(a), &msg("incidents", "thread-a"))
        .await
        .unwrap();
    store.put_chat_ref(&card(a), &msg("incidents", "card-a")).await.unwrap();
    // Other incident, a job without an incident, and a post of no stored job.
    store.put_chat_ref(&card(b), &msg("incidents", "card-b")).await.unwrap();
    store
        .put_chat_ref(&conversation(b), &msg("incidents", "thread-b"))
        .await
        .unwrap();
    store
        .put_chat_ref(&ChatRefKey::JobPost(b_id), &post(b_id))
        .await
        .unwrap();
    store
        .put_chat_ref(&ChatRefKey::JobPost(recurring_id), &post(recurring_id))
        .await
        .unwrap();
    store
        .put_chat_ref(&ChatRefKey::JobPost(9_999), &post(9_999))
        .await
        .unwrap();

    let mut expected = vec![
        (card(a), msg("incidents", "card-a")),
        (conversation(a), msg("incidents", "thread-a")),
    ];
    let mut sorted_ids = a_ids.clone();
    sorted_ids.sort_unstable();
    expected.extend(sorted_ids.iter().map(|&id| (ChatRefKey::JobPost(id), post(id))));
    assert_eq!(store.chat_refs(&IncidentId::new(a)).await.unwrap(), expected);
    assert_eq!(
        store.chat_refs(&IncidentId::new(b)).await.unwrap(),
        [
            (card(b), msg("incidents", "card-b")),
            (conversation(b), msg("incidents", "thread-b")),
            (ChatRefKey::JobPost(b_id), post(b_id)),
        ]
    );
    assert!(
        store
            .chat_refs(&IncidentId::new("SSB-2026-0003"))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn change_chat_refs_commit_with_the_update(store: Arc<dyn Store>) {
    let id = "SSB-2026-0001";
    // Through an insert.
    let v1 = store
        .insert_incident(
            &incident(id, "ssb", State::Open, t0()),
            &Change {
                chat_refs: vec![(card(id), msg("incidents", "card-1"))],
                ..Change::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store.chat_ref(&card(id)).await.unwrap(),
        Some(msg("incidents", "card-1"))
    );

    // Through an update: a new reference and a replaced one.
    let mut acked = v1.clone();
    acked.acknowledge("u1", t0()).unwrap();
    let v2 = store
        .update_incident(
            &acked,
            &Change {
                chat_refs: vec![
                    (conversation(id), msg("incidents", "thread-1")),
                    (card(id), msg("incidents", "card-2")),
                ],
                ..Change::default()
            },
        )
        .await
        .unwrap();
    let stored = [
        (card(id), msg("incidents", "card-2")),
        (conversation(id), msg("incidents", "thread-1")),
    ];
    assert_eq!(store.chat_refs(&IncidentId::new(id)).await.unwrap(), stored);

    // A conflicting update writes no reference.
    let stale = Change {
        timeline: vec![entry(t0(), "u1", "stale")],
        chat_refs: vec![
            (card(id), msg("incidents", "card-stale")),
            (ChatRefKey::JobPost(1), msg("status", "stale")),
        ],
        ..Change::default()
    };
    assert!(matches!(
        store.update_incident(&acked, &stale).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.chat_refs(&IncidentId::new(id)).await.unwrap(), stored);
    assert_eq!(store.chat_ref(&ChatRefKey::JobPost(1)).await.unwrap(), None);

    // A reference that cannot be stored (a card of an unknown incident) rolls the update back.
    let bad = Change {
        timeline: vec![entry(t0(), "u1", "bad")],
        chat_refs: vec![
            (conversation(id), msg("incidents", "thread-bad")),
            (card("SSB-2026-0009"), msg("incidents", "nowhere")),
        ],
        ..Change::default()
    };
    assert!(matches!(
        store.update_incident(&v2, &bad).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.incident(&IncidentId::new(id)).await.unwrap(), Some(v2.clone()));
    assert!(store.timeline(&IncidentId::new(id)).await.unwrap().is_empty());
    assert_eq!(store.chat_refs(&IncidentId::new(id)).await.unwrap(), stored);

    // A duplicate insert writes no reference either.
    assert!(matches!(
        store
            .insert_incident(
                &incident(id, "ssb", State::Open, t0()),
                &Change {
                    chat_refs: vec![(card(id), msg("incidents", "card-dup"))],
                    ..Change::default()
                },
            )
            .await,
        Err(StoreError::Duplicate(_))
    ));
    assert_eq!(store.chat_refs(&IncidentId::new(id)).await.unwrap(), stored);
}

async fn finish_posted_commits_with_the_finish(store: Arc<dyn Store>) {
    let id = "SSB-2026-0001";
    let (v1, claimed) = incident_with_claimed_jobs(
        &*store,
        id,
        "runner",
        vec![
            job("plain", Some(id), Group::Status, t0()),
            job("retried", Some(id), Group::Status, t0() + mins(1)),
            job("in-change", Some(id), Group::Response, t0() + mins(2)),
            job("conflicted", Some(id), Group::Response, t0() + mins(3)),
        ],
    )
    .await;
    let [plain, retried, in_change, conflicted] = [0, 1, 2, 3].map(|i| claimed[i].id);

    // A stale owner's finish stores no reference.
    match store
        .finish(&FinishJob {
            id: plain,
            owner: "intruder".into(),
            finish: done("zombie"),
            posted: Some(msg("status", "zombie")),
        })
        .await
    {
        Err(StoreError::LeaseLost(got)) => assert_eq!(got, plain),
        other => panic!("expected LeaseLost, got {other:?}"),
    }
    assert_eq!(store.chat_ref(&ChatRefKey::JobPost(plain)).await.unwrap(), None);
    assert_eq!(job_by_key(&*store, "plain").await.state, JobState::Running);

    // The owner's finish stores it.
    store
        .finish(&FinishJob {
            id: plain,
            owner: "runner".into(),
            finish: done("posted"),
            posted: Some(msg("status", "m-plain")),
        })
        .await
        .unwrap();
    assert_eq!(job_by_key(&*store, "plain").await.state, JobState::Done);
    assert_eq!(
        store.chat_ref(&ChatRefKey::JobPost(plain)).await.unwrap(),
        Some(msg("status", "m-plain"))
    );

    // A retry keeps the post it made, so the next attempt finds it and does not post again.
    store
        .finish(&FinishJob {
            id: retried,
            owner: "runner".into(),
            finish: JobFinish::Retry {
                retry_at: t0() + mins(5),
                error: "posted, then the incident update failed".into(),
            },
            posted: Some(msg("status", "m-retried")),
        })
        .await
        .unwrap();
    assert_eq!(job_by_key(&*store, "retried").await.state, JobState::Pending);
    assert_eq!(
        store.chat_ref(&ChatRefKey::JobPost(retried)).await.unwrap(),
        Some(msg("status", "m-retried"))
    );

    // Through a change: a conflicting update stores no reference, and nor does a lost lease.
    let mut other = v1.clone();
    other.add_update("u1", "meanwhile", t0()).unwrap();
    let v2 = store.update_incident(&other, &Change::default()).await.unwrap();
    let finish_change = |job_id: i64, owner: &str, message: &str| Change {
        timeline: vec![entry(t0(), "vakt", "warning sent")],
        finish: Some(FinishJob {
            id: job_id,
            owner: owner.into(),
            finish: done("warned"),
            posted: Some(msg("incidents", message)),
        }),
        ..Change::default()
    };
    assert!(matches!(
        store
            .update_incident(&v1, &finish_change(conflicted, "runner", "m-conflicted"))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.chat_ref(&ChatRefKey::JobPost(conflicted)).await.unwrap(), None);
    assert_eq!(job_by_key(&*store, "conflicted").await.state, JobState::Running);
    match store
        .update_incident(&v2, &finish_change(in_change, "intruder", "m-intruder"))
        .await
    {
        Err(StoreError::LeaseLost(got)) => assert_eq!(got, in_change),
        other => panic!("expected LeaseLost, got {other:?}"),
    }
    assert_eq!(store.chat_ref(&ChatRefKey::JobPost(in_change)).await.unwrap(), None);
    assert_eq!(store.incident(&IncidentId::new(id)).await.unwrap(), Some(v2.clone()));

    // The owner's finish through a change stores it with the update.
    let v3 = store
        .update_incident(&v2, &finish_change(in_change, "runner", "m-in-change"))
        .await
        .unwrap();
    assert_eq!(v3.version(), 3);
    assert_eq!(job_by_key(&*store, "in-change").await.state, JobState::Done);
    let mut expected = vec![
        (ChatRefKey::JobPost(plain), msg("status", "m-plain")),
        (ChatRefKey::JobPost(retried), msg("status", "m-retried")),
        (ChatRefKey::JobPost(in_change), msg("incidents", "m-in-change")),
    ];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(store.chat_refs(&IncidentId::new(id)).await.unwrap(), expected);
}

async fn chat_refs_survive_reopen(db: Db) {
    let id = "SSB-2026-0001";
    let expected = {
        let store = db.open().await;
        let (_, claimed) = incident_with_claimed_jobs(
            &*store,
            id,
            "runner",
            vec![job("status", Some(id), Group::Status, t0())],
        )
        .await;
        let job_id = claimed[0].id;
        store.put_chat_ref(&card(id), &msg("incidents", "card")).await.unwrap();
        store
            .put_chat_ref(&conversation(id), &msg("incidents", "thread"))
            .await
            .unwrap();
        store
            .finish(&FinishJob {
                id: job_id,
                owner: "runner".into(),
                finish: done("posted"),
                posted: Some(msg("status", "post")),
            })
            .await
            .unwrap();
        vec![
            (card(id), msg("incidents", "card")),
            (conversation(id), msg("incidents", "thread")),
            (ChatRefKey::JobPost(job_id), msg("status", "post")),
        ]
    }; // the store is dropped here: a restart

    let store = db.open().await;
    assert_eq!(store.chat_refs(&IncidentId::new(id)).await.unwrap(), expected);
    for (key, r) in &expected {
        assert_eq!(store.chat_ref(key).await.unwrap().as_ref(), Some(r));
    }
    // The card can still be edited in place after the restart.
    store
        .put_chat_ref(&card(id), &msg("incidents", "card-2"))
        .await
        .unwrap();
    drop(store);
    let third = db.open().await;
    assert_eq!(
        third.chat_ref(&card(id)).await.unwrap(),
        Some(msg("incidents", "card-2"))
    );
    assert_eq!(third.chat_refs(&IncidentId::new(id)).await.unwrap().len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Batched finishes and retention

fn finish_as(id: i64, owner: &str, finish: JobFinish, posted: Option<MessageRef>) -> FinishJob {
    FinishJob {
        id,
        owner: owner.to_string(),
        finish,
        posted,
    }
}

fn lease_lost(outcome: &Result<(), StoreError>) -> Option<i64> {
    match outcome {
        Err(StoreError::LeaseLost(id)) => Some(*id),
        _ => None,
    }
}

async fn finish_many_refuses_only_stale_finishes(store: Arc<dyn Store>) {
    assert!(store.finish_many(&[]).await.unwrap().is_empty());
    store
        .schedule(
            &(1..=5)
                .map(|i| job(&format!("j{i}"), None, Group::Recurring, t0() + mins(i)))
                .collect::<Vec<_>>(),
        )
        .await
        .unwrap();
    // `a` claims j1 and j2, loses both leases, and gets j2 back; `c` took j1 meanwhile.
    let first = store.claim(t0() + mins(10), "a", t0() + mins(20), 2).await.unwrap();
    assert_eq!(keys(&first), ["j1", "j2"]);
    assert_eq!(store.requeue_expired(t0() + mins(30)).await.unwrap(), 2);
    let later = t0() + mins(30);
    assert_eq!(
        keys(&store.claim(later, "c", later + mins(30), 1).await.unwrap()),
        ["j1"]
    );
    assert_eq!(
        keys(&store.claim(later, "a", later + mins(30), 1).await.unwrap()),
        ["j2"]
    );
    assert_eq!(
        keys(&store.claim(later, "b", later + mins(30), 2).await.unwrap()),
        ["j3", "j4"]
    );
    let mut ids = Vec::new();
    for key in ["j1", "j2", "j3", "j4", "j5"] {
        ids.push(job_by_key(&*store, key).await.id);
    }
    let [j1, j2, j3, j4, j5] = ids[..] else { unreachable!() };

    let outcomes = store
        .finish_many(&[
            finish_as(j1, "a", done("stale"), Some(msg("status", "stale-post"))),
            finish_as(j2, "a", done("ran"), Some(msg("status", "post-2"))),
            finish_as(
                j3,
                "b",
                JobFinish::Retry {
                    retry_at: t0() + mins(90),
                    error: "flaky".into(),
                },
                None,
            ),
            finish_as(j4, "b", JobFinish::Failed { error: "gone".into() }, None),
            finish_as(j5, "b", done("never claimed"), None),
            finish_as(i64::MAX, "a", done("no such job"), None),
        ])
        .await
        .unwrap();
    assert_eq!(outcomes.len(), 6, "one outcome per finish, in order");
    assert_eq!(lease_lost(&outcomes[0]), Some(j1), "{outcomes:?}");
    assert!(
        outcomes[1].is_ok() && outcomes[2].is_ok() && outcomes[3].is_ok(),
        "{outcomes:?}"
    );
    assert_eq!(lease_lost(&outcomes[4]), Some(j5), "{outcomes:?}");
    assert_eq!(lease_lost(&outcomes[5]), Some(i64::MAX), "{outcomes:?}");

    // The refused finish changed nothing and stored no reference.
    let job1 = job_by_key(&*store, "j1").await;
    assert_eq!(
        (job1.state, job1.lease_owner.as_deref()),
        (JobState::Running, Some("c"))
    );
    assert_eq!(store.chat_ref(&ChatRefKey::JobPost(j1)).await.unwrap(), None);
    // The others committed, each as `finish` would have done it.
    let job2 = job_by_key(&*store, "j2").await;
    assert_eq!((job2.state, job2.outcome.as_deref()), (JobState::Done, Some("ran")));
    assert_eq!(job2.fired_at, Some(t0()));
    assert_eq!(
        store.chat_ref(&ChatRefKey::JobPost(j2)).await.unwrap(),
        Some(msg("status", "post-2"))
    );
    let job3 = job_by_key(&*store, "j3").await;
    assert_eq!(job3.state, JobState::Pending);
    assert_eq!(job3.due_at, t0() + mins(90));
    assert_eq!(job3.planned_at, t0() + mins(3), "a retry keeps the planned time");
    assert_eq!((job3.lease_owner, job3.lease_until), (None, None));
    assert_eq!(job3.last_error.as_deref(), Some("flaky"));
    let job4 = job_by_key(&*store, "j4").await;
    assert_eq!(
        (job4.state, job4.last_error.as_deref()),
        (JobState::Failed, Some("gone"))
    );
    assert_eq!(job_by_key(&*store, "j5").await.state, JobState::Pending);

    // The current owner's finish goes through.
    let outcomes = store
        .finish_many(&[finish_as(j1, "c", done("ran late"), Some(msg("status", "post-1")))])
        .await
        .unwrap();
    assert!(outcomes[0].is_ok(), "{outcomes:?}");
    assert_eq!(job_by_key(&*store, "j1").await.state, JobState::Done);
    assert_eq!(
        store.chat_ref(&ChatRefKey::JobPost(j1)).await.unwrap(),
        Some(msg("status", "post-1"))
    );
}

async fn finish_many_sees_earlier_finishes_of_the_same_job(store: Arc<dyn Store>) {
    store
        .schedule(&[job("twice", None, Group::Recurring, t0())])
        .await
        .unwrap();
    let claimed = store.claim(t0(), "d", t0() + mins(5), 10).await.unwrap();
    let id = claimed[0].id;
    let outcomes = store
        .finish_many(&[
            finish_as(id, "x", done("stale"), None),
            finish_as(
                id,
                "d",
                JobFinish::Retry {
                    retry_at: t0() + mins(10),
                    error: "try again".into(),
                },
                None,
            ),
            finish_as(id, "d", done("no longer running"), None),
        ])
        .await
        .unwrap();
    assert_eq!(lease_lost(&outcomes[0]), Some(id), "{outcomes:?}");
    assert!(outcomes[1].is_ok(), "{outcomes:?}");
    assert_eq!(
        lease_lost(&outcomes[2]),
        Some(id),
        "after the retry the job is pending: {outcomes:?}"
    );
    let j = job_by_key(&*store, "twice").await;
    assert_eq!((j.state, j.due_at), (JobState::Pending, t0() + mins(10)));
    assert_eq!(j.outcome, None);
}

async fn purge_deletes_only_old_finished_jobs(store: Arc<dyn Store>) {
    let closed = "SSB-2026-0001";
    let open = "SSB-2026-0002";
    let closed_stored = store
        .insert_incident(
            &incident(closed, "ssb", State::Closed, t0()),
            &Change {
                timeline: vec![entry(t0(), "u-1", "closed after the fix")],
                jobs: vec![
                    job("c-done", Some(closed), Group::Status, t0()),
                    job("c-failed", Some(closed), Group::Status, t0() + mins(1)),
                    job("c-cancel-old", Some(closed), Group::Response, t0() + mins(10)),
                    job("c-cancel-new", Some(closed), Group::Response, t0() + Duration::days(5)),
                ],
                ..Change::default()
            },
        )
        .await
        .unwrap();
    let open_stored = store
        .insert_incident(
            &incident(open, "ssb", State::Open, t0()),
            &Change {
                jobs: vec![
                    job("o-done", Some(open), Group::Response, t0() + mins(2)),
                    job("o-cancel", Some(open), Group::Response, t0() + mins(11)),
                ],
                ..Change::default()
            },
        )
        .await
        .unwrap();
    store
        .schedule(&[
            job("r-done-old", None, Group::Recurring, t0() + mins(3)),
            job("r-failed", None, Group::Recurring, t0() + mins(4)),
            job("r-running", None, Group::Recurring, t0() + mins(5)),
            job("r-done-new", None, Group::Recurring, t0() + mins(6)),
            job("r-pending", None, Group::Recurring, t0() + Duration::days(8)),
        ])
        .await
        .unwrap();
    let claimed = store
        .claim(t0() + mins(7), "runner", t0() + Duration::days(100), 100)
        .await
        .unwrap();
    assert_eq!(
        keys(&claimed),
        [
            "c-done",
            "c-failed",
            "o-done",
            "r-done-old",
            "r-failed",
            "r-running",
            "r-done-new"
        ]
    );
    let ran_at = |at: DateTime<Utc>| JobFinish::Done {
        fired_at: at,
        late: false,
        outcome: "posted".into(),
    };
    let failed = || JobFinish::Failed {
        error: "refused".into(),
    };
    let by_key = |key: &str| claimed.iter().find(|j| j.key == key).unwrap().id;
    let hour = t0() + mins(60);
    let outcomes = store
        .finish_many(&[
            finish_as(by_key("c-done"), "runner", ran_at(hour), Some(msg("status", "c-post"))),
            finish_as(by_key("c-failed"), "runner", failed(), None),
            finish_as(by_key("o-done"), "runner", ran_at(hour), Some(msg("status", "o-post"))),
            finish_as(
                by_key("r-done-old"),
                "runner",
                ran_at(hour),
                Some(msg("summary", "r-post")),
            ),
            finish_as(by_key("r-failed"), "runner", failed(), None),
            finish_as(by_key("r-done-new"), "runner", ran_at(t0() + Duration::days(2)), None),
        ])
        .await
        .unwrap();
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    let all_groups = |incident: &str| {
        Some(CancelJobs {
            incident: IncidentId::new(incident),
            groups: vec![],
        })
    };
    store
        .update_incident(
            &closed_stored,
            &Change {
                cancel: all_groups(closed),
                ..Change::default()
            },
        )
        .await
        .unwrap();
    store
        .update_incident(
            &open_stored,
            &Change {
                cancel: all_groups(open),
                ..Change::default()
            },
        )
        .await
        .unwrap();
    store
        .put_chat_ref(&card(closed), &msg("incidents", "card"))
        .await
        .unwrap();
    let timeline_before = store.timeline(&IncidentId::new(closed)).await.unwrap();
    let remaining = |store: Arc<dyn Store>| async move {
        let mut keys: Vec<String> = store.jobs(None).await.unwrap().into_iter().map(|j| j.key).collect();
        keys.sort();
        keys
    };
    let (c_done, o_done, r_done_old) = (by_key("c-done"), by_key("o-done"), by_key("r-done-old"));

    // Done (by fired_at) or cancelled (by due time) before the cut-off, of no incident or a
    // closed one.
    assert_eq!(store.purge(t0() + Duration::days(1)).await.unwrap(), 3);
    assert_eq!(
        remaining(store.clone()).await,
        [
            "c-cancel-new",
            "c-failed",
            "o-cancel",
            "o-done",
            "r-done-new",
            "r-failed",
            "r-pending",
            "r-running"
        ]
    );
    assert_eq!(store.chat_ref(&ChatRefKey::JobPost(c_done)).await.unwrap(), None);
    assert_eq!(store.chat_ref(&ChatRefKey::JobPost(r_done_old)).await.unwrap(), None);
    assert_eq!(
        store.chat_ref(&ChatRefKey::JobPost(o_done)).await.unwrap(),
        Some(msg("status", "o-post")),
        "an open incident's jobs stay, with their posts"
    );
    assert_eq!(
        store.chat_refs(&IncidentId::new(closed)).await.unwrap(),
        [(card(closed), msg("incidents", "card"))],
        "the card stays"
    );
    assert_eq!(store.timeline(&IncidentId::new(closed)).await.unwrap(), timeline_before);
    assert_eq!(
        store.incident(&IncidentId::new(closed)).await.unwrap().unwrap().state(),
        State::Closed
    );
    assert_eq!(
        store.purge(t0() + Duration::days(1)).await.unwrap(),
        0,
        "nothing left to purge"
    );

    // A later cut-off takes the newer ones; failed, pending, running and open-incident jobs
    // always stay.
    assert_eq!(store.purge(t0() + Duration::days(30)).await.unwrap(), 2);
    assert_eq!(
        remaining(store.clone()).await,
        ["c-failed", "o-cancel", "o-done", "r-failed", "r-pending", "r-running"]
    );
    let running = job_by_key(&*store, "r-running").await;
    assert_eq!(running.state, JobState::Running);
}

// ---------------------------------------------------------------------------------------------
// Connecting

#[tokio::test]
async fn sqlite_in_memory_works() {
    let store = vakt::storage::connect("sqlite::memory:")
        .await
        .expect("in-memory store");
    // Enough of the contract to show the single pooled connection keeps the database alive.
    insert_get_and_list(store.clone()).await;
    let store = vakt::storage::connect("sqlite::memory:")
        .await
        .expect("in-memory store");
    next_sequence_is_atomic_under_concurrency(store.clone()).await;
    claim_orders_by_due_then_id(store).await;
}

#[tokio::test]
async fn connect_chooses_by_scheme() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("via-url.db");
    let store = vakt::storage::connect(&format!("sqlite:{}", path.display()))
        .await
        .expect("sqlite: URL");
    assert_eq!(store.next_sequence("X", 2026).await.unwrap(), 1);
    assert!(path.exists(), "the file is created if missing");

    for url in ["mysql://root:hunter2@localhost/vakt", "vakt.db", "file:vakt.db", ""] {
        match vakt::storage::connect(url).await {
            Err(e @ StorageError::UnsupportedUrl(_)) => {
                let message = e.to_string();
                assert!(
                    message.contains("sqlite:") && message.contains("postgres://"),
                    "{message}"
                );
                assert!(
                    !message.contains("hunter2") && !format!("{e:?}").contains("hunter2"),
                    "{message}"
                );
            }
            Err(other) => panic!("{url}: expected UnsupportedUrl, got {other}"),
            Ok(_) => panic!("{url}: expected an error"),
        }
    }
}

#[tokio::test]
async fn postgres_errors_never_show_the_password() {
    // Nothing listens on port 1: the connection fails, and the error names the URL.
    for url in [
        "postgres://vakt:hunter2@127.0.0.1:1/vakt",
        "postgresql://127.0.0.1:1/vakt?password=hunter2",
    ] {
        match vakt::storage::connect(url).await {
            Err(e) => {
                let shown = format!("{e} / {e:?}");
                assert!(!shown.contains("hunter2"), "password leaked: {shown}");
                assert!(shown.contains("127.0.0.1:1"), "{shown}");
            }
            Ok(_) => panic!("nothing should listen on port 1"),
        }
    }
    let bad = PostgresStore::connect_in_schema("postgres://127.0.0.1:1/vakt", "Robert'); DROP TABLE x;--").await;
    assert!(matches!(bad, Err(StorageError::InvalidSchema(_))));
}

// ---------------------------------------------------------------------------------------------
// Meeting follow-up points and stored reports

fn point(agreement: &str, text: &str, due: DateTime<Utc>) -> NewPoint {
    NewPoint {
        agreement: AgreementId::new(agreement),
        meeting: "status".into(),
        text: text.into(),
        owner: Some(UserId::new("ola")),
        due,
        created_by: UserId::new("kari"),
        created_at: t0(),
    }
}

async fn meeting_points_round_trip_and_complete_once(store: Arc<dyn Store>) {
    // Typed text is kept exactly, mentions and all.
    let late = store
        .add_point(&point("altinn", "Check <@123> and @everyone", t0() + mins(600)))
        .await
        .expect("add");
    let early = store
        .add_point(&point("altinn", "Minutes: fix 2.1", t0() + mins(60)))
        .await
        .expect("add");
    let other = store
        .add_point(&point("difi", "Other agreement", t0()))
        .await
        .expect("add");
    assert_ne!(late.id, early.id);
    assert_eq!(late.text, "Check <@123> and @everyone");
    assert_eq!(late.owner, Some(UserId::new("ola")));
    assert_eq!(
        (late.due, late.created_at, late.done.clone()),
        (t0() + mins(600), t0(), None)
    );
    // Open points of one agreement, by due time.
    let open = store.points(&AgreementId::new("altinn"), false).await.expect("points");
    assert_eq!(open.iter().map(|p| p.id).collect::<Vec<_>>(), [early.id, late.id]);
    // Done once: a second completion keeps the first.
    let done = store
        .complete_point(
            &AgreementId::new("altinn"),
            early.id,
            &UserId::new("ola"),
            t0() + mins(5),
        )
        .await
        .expect("complete")
        .expect("found");
    assert_eq!(done.done, Some((t0() + mins(5), UserId::new("ola"))));
    let again = store
        .complete_point(
            &AgreementId::new("altinn"),
            early.id,
            &UserId::new("kari"),
            t0() + mins(9),
        )
        .await
        .expect("complete")
        .expect("found");
    assert_eq!(again.done, done.done);
    // Another agreement's point, or none at all: not found, nothing changed.
    assert_eq!(
        store
            .complete_point(&AgreementId::new("altinn"), other.id, &UserId::new("ola"), t0())
            .await
            .expect("complete"),
        None
    );
    assert_eq!(
        store
            .complete_point(&AgreementId::new("altinn"), 9_999_999, &UserId::new("ola"), t0())
            .await
            .expect("complete"),
        None
    );
    assert_eq!(
        store.points(&AgreementId::new("difi"), false).await.expect("points"),
        [other]
    );
    assert_eq!(
        store
            .points(&AgreementId::new("altinn"), false)
            .await
            .expect("points")
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        [late.id]
    );
    assert_eq!(
        store
            .points(&AgreementId::new("altinn"), true)
            .await
            .expect("points")
            .len(),
        2
    );
}

fn src(id: &str, version: i64) -> ReportSource {
    ReportSource {
        incident: IncidentId::new(id),
        version,
    }
}

async fn reports_are_stored_as_revisions_per_period(store: Arc<dyn Store>) {
    let first = NewReport {
        agreement: AgreementId::new("altinn"),
        kind: ReportKind::Monthly,
        period: "2026-10".into(),
        content: json!({"figures": {"within": 3, "outside": 1}}),
        sources: vec![src("ALT-2026-0001", 2), src("ALT-2026-0002", 1)],
        changes: None,
        created_at: t0(),
    };
    let a = store.add_report(&first).await.expect("add");
    assert_eq!((a.revision, a.revised()), (1, false));
    assert_eq!(a.report, first);
    // Another period and kind count their own revisions.
    let week = NewReport {
        kind: ReportKind::Weekly,
        period: "2026-W44".into(),
        ..first.clone()
    };
    assert_eq!(store.add_report(&week).await.expect("add").revision, 1);
    let changes = ReportChanges::between(&first.sources, &[src("ALT-2026-0001", 3), src("ALT-2026-0003", 1)]);
    let second = NewReport {
        content: json!({"figures": {"within": 2, "outside": 2}}),
        sources: vec![src("ALT-2026-0001", 3), src("ALT-2026-0003", 1)],
        changes: Some(changes.clone()),
        created_at: t0() + mins(60),
        ..first.clone()
    };
    let b = store.add_report(&second).await.expect("add");
    assert_eq!((b.revision, b.revised()), (2, true));
    let latest = store
        .latest_report(&AgreementId::new("altinn"), ReportKind::Monthly, "2026-10")
        .await
        .expect("latest")
        .expect("stored");
    assert_eq!(latest, b);
    assert_eq!(latest.report.changes, Some(changes));
    assert_eq!(
        store
            .latest_report(&AgreementId::new("altinn"), ReportKind::Monthly, "2026-09")
            .await
            .expect("latest"),
        None
    );
    assert_eq!(
        store
            .latest_report(&AgreementId::new("difi"), ReportKind::Monthly, "2026-10")
            .await
            .expect("latest"),
        None
    );
    let all = store.reports(&AgreementId::new("altinn")).await.expect("reports");
    assert_eq!(
        all.iter()
            .map(|r| (r.report.kind, r.report.period.as_str(), r.revision))
            .collect::<Vec<_>>(),
        [
            (ReportKind::Monthly, "2026-10", 1),
            (ReportKind::Monthly, "2026-10", 2),
            (ReportKind::Weekly, "2026-W44", 1)
        ]
    );
}

/// Issue 17: a maintenance window is stored with the jobs its plan makes for its number in
/// one transaction, read back whole (breaches as data, the reason), listed by overlap with a
/// period, and cancelled once (a second cancel returns it unchanged; another agreement's
/// number is none).
async fn maintenance_windows_round_trip_with_their_jobs_and_cancel_once(store: Arc<dyn Store>) {
    use vakt::domain::clock::BusinessDuration;
    use vakt::domain::maintenance::Breach;
    use vakt::service::ports::NewWindow;
    let start = t0() + Duration::days(10);
    let new = NewWindow {
        agreement: AgreementId::new("borger-dk"),
        service: "borger-dk".into(),
        kind: "2h".into(),
        start,
        end: start + Duration::hours(2),
        description: "Database upgrade".into(),
        announced_by: UserId::new("mona"),
        announced_at: t0(),
        breaches: vec![Breach::Notice {
            notice: BusinessDuration::CalendarDays(3),
            schedule: None,
            earliest: start + Duration::hours(1),
            clause: "10".into(),
        }],
        reason: Some("Agreed".into()),
    };
    let plan = |id: i64| {
        vec![job(
            &format!("maintenance/{id}/end"),
            None,
            Group::Maintenance,
            start + Duration::hours(2),
        )]
    };
    let w = store.add_window(&new, &plan).await.expect("add");
    assert_eq!(
        (w.service.as_str(), w.kind.as_str(), w.start, w.end),
        ("borger-dk", "2h", start, new.end)
    );
    assert_eq!(
        (w.breaches.clone(), w.reason.clone(), w.cancelled.clone()),
        (new.breaches.clone(), new.reason.clone(), None)
    );
    let jobs = store.jobs(None).await.expect("jobs");
    assert_eq!(keys(&jobs), vec![format!("maintenance/{}/end", w.id).as_str()]);
    assert_eq!(store.window(w.id).await.expect("window"), Some(w.clone()));
    let agreement = AgreementId::new("borger-dk");
    let listed = store
        .windows(&agreement, start + Duration::hours(1), start + Duration::days(1))
        .await
        .expect("list");
    assert_eq!(listed, vec![w.clone()]);
    let after = store
        .windows(&agreement, new.end, new.end + Duration::days(1))
        .await
        .expect("list");
    assert!(after.is_empty(), "a window ending at the period's start is not in it");
    let other = store
        .cancel_window(&AgreementId::new("difi"), w.id, &UserId::new("rita"), t0())
        .await
        .expect("cancel");
    assert_eq!(other, None);
    let cancelled = store
        .cancel_window(&agreement, w.id, &UserId::new("rita"), t0() + mins(5))
        .await
        .expect("cancel")
        .expect("found");
    assert_eq!(cancelled.cancelled, Some((UserId::new("rita"), t0() + mins(5))));
    let again = store
        .cancel_window(&agreement, w.id, &UserId::new("mona"), t0() + mins(9))
        .await
        .expect("cancel")
        .expect("found");
    assert_eq!(again, cancelled, "cancelled once");
}

/// Issue 21: the public texts of incidents are stored whole (text, author, time to the
/// microsecond) and listed per agreement by incident, then time, then number; another
/// agreement's texts are not in the list.
async fn public_texts_round_trip_by_agreement_incident_and_time(store: Arc<dyn Store>) {
    use vakt::service::ports::NewPublication;
    let a = incident("BDK-2026-0002", "borger-dk", State::Open, t0());
    let b = incident("BDK-2026-0001", "borger-dk", State::Open, t0());
    let c = incident("DIFI-2026-0001", "difi", State::Open, t0());
    for i in [&a, &b, &c] {
        store.insert_incident(i, &Change::default()).await.expect("insert");
    }
    let new = |i: &Incident, text: &str, at: DateTime<Utc>| NewPublication {
        agreement: i.agreement().clone(),
        incident: i.id().clone(),
        text: text.into(),
        author: UserId::new("mona"),
        at,
    };
    let odd = t0() + Duration::microseconds(1_234_567);
    let first = store
        .add_publication(&new(&a, "Login is failing for some users.", odd))
        .await
        .expect("add");
    assert_eq!(
        (
            first.text.as_str(),
            first.author.as_str(),
            first.at,
            first.incident.as_str()
        ),
        ("Login is failing for some users.", "mona", odd, "BDK-2026-0002")
    );
    store
        .add_publication(&new(&a, "Fixed «æøå» — back up.", odd - mins(1)))
        .await
        .expect("add");
    store.add_publication(&new(&b, "Slow pages.", odd)).await.expect("add");
    store
        .add_publication(&new(&c, "Other agreement.", odd))
        .await
        .expect("add");
    let listed = store.publications(&AgreementId::new("borger-dk")).await.expect("list");
    let got: Vec<(&str, &str)> = listed.iter().map(|p| (p.incident.as_str(), p.text.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("BDK-2026-0001", "Slow pages."),
            ("BDK-2026-0002", "Fixed «æøå» — back up."),
            ("BDK-2026-0002", "Login is failing for some users."),
        ]
    );
    assert_eq!(listed[2], first, "read back whole");
    assert!(
        store
            .publications(&AgreementId::new("ssbtek"))
            .await
            .expect("list")
            .is_empty()
    );
}

// ---------------------------------------------------------------------------------------------
// Counts for the metrics

async fn due_jobs_count_unfinished_jobs_by_kind(store: Arc<dyn Store>) {
    let now = t0() + mins(30);
    let escalation = |key: &str, due_at| NewJob {
        kind: JobKind::Escalation,
        ..job(key, None, Group::Recurring, due_at)
    };
    assert_eq!(store.due_jobs(now, now - mins(1)).await.unwrap(), []);
    store
        .schedule(&[
            escalation("ran", t0() + mins(1)),
            escalation("running", t0() + mins(2)),
            job("overdue", None, Group::Recurring, t0() + mins(5)),
            job("due", None, Group::Recurring, now - mins(1)),
            job("later", None, Group::Recurring, now + mins(1)),
        ])
        .await
        .unwrap();
    let claimed = store.claim(t0() + mins(2), "r", now + mins(10), 2).await.unwrap();
    assert_eq!(keys(&claimed), ["ran", "running"]);
    store
        .finish(&FinishJob {
            id: claimed[0].id,
            owner: "r".into(),
            finish: done("posted"),
            posted: None,
        })
        .await
        .unwrap();

    // Due at or before now and not finished (a running one too); overdue: due before the limit.
    let counts = store.due_jobs(now, now - mins(1)).await.unwrap();
    assert_eq!(
        counts,
        [
            DueJobs {
                kind: JobKind::Escalation,
                due: 1,
                overdue: 1
            },
            DueJobs {
                kind: JobKind::Warning,
                due: 2,
                overdue: 1
            },
        ]
    );
}

async fn open_incidents_count_unresolved_by_agreement_and_priority(store: Arc<dyn Store>) {
    assert_eq!(store.open_incidents().await.unwrap(), []);
    let p1 = |inc: Incident| rebuilt(&inc, json!({ "computed_priority": "P1" }));
    for inc in [
        incident("SSB-2026-0001", "ssb", State::Open, t0()),
        incident("SSB-2026-0002", "ssb", State::Acknowledged, t0()),
        p1(incident("SSB-2026-0003", "ssb", State::Open, t0())),
        incident("SSB-2026-0004", "ssb", State::Resolved, t0()),
        incident("SSB-2026-0005", "ssb", State::Closed, t0()),
        incident("DFI-2026-0001", "difi", State::Open, t0()),
    ] {
        store.insert_incident(&inc, &Change::default()).await.unwrap();
    }
    let count = |agreement: &str, priority: &str, count| OpenIncidents {
        agreement: AgreementId::new(agreement),
        priority: priority.to_string(),
        count,
    };
    assert_eq!(
        store.open_incidents().await.unwrap(),
        [count("difi", "P2", 1), count("ssb", "P1", 1), count("ssb", "P2", 2)]
    );
}

// ---------------------------------------------------------------------------------------------
// Batches of claimed jobs

async fn job_inputs_read_what_a_batch_needs(store: Arc<dyn Store>) {
    let (a, b) = ("SSB-2026-0001", "SSB-2026-0002");
    let mut notify = job("a-notify", Some(a), Group::Response, t0() + mins(5));
    notify.kind = JobKind::Notify;
    let mut later = job("a-notify-later", Some(a), Group::Response, t0() + mins(900));
    later.kind = JobKind::Notify;
    let (inc_a, _) = incident_with_claimed_jobs(
        &*store,
        a,
        "runner",
        vec![job("a-warn", Some(a), Group::Response, t0()), notify, later],
    )
    .await;
    let (inc_b, _) = incident_with_claimed_jobs(
        &*store,
        b,
        "runner",
        vec![job("b-warn", Some(b), Group::Response, t0())],
    )
    .await;
    store
        .schedule(&[job("none", None, Group::Recurring, t0())])
        .await
        .unwrap();
    let claimed = store
        .claim(t0() + mins(600), "runner", t0() + mins(700), 100)
        .await
        .unwrap();
    let all = store.jobs(None).await.unwrap();
    let by_key = |k: &str| all.iter().find(|j| j.key == k).unwrap().clone();
    let batch = vec![by_key("a-warn"), by_key("b-warn"), by_key("none")];
    assert!(claimed.iter().any(|j| j.key == "none"));
    store.put_chat_ref(&card(a), &msg("inc", "card-a")).await.unwrap();
    store
        .put_chat_ref(&conversation(a), &msg("thread", "t-a"))
        .await
        .unwrap();
    store.put_chat_ref(&card(b), &msg("inc", "card-b")).await.unwrap();
    let post = ChatRefKey::JobPost(by_key("a-warn").id);
    store.put_chat_ref(&post, &msg("thread", "p")).await.unwrap();
    let other_post = ChatRefKey::JobPost(by_key("a-notify").id);
    store
        .put_chat_ref(&other_post, &msg("thread", "not asked"))
        .await
        .unwrap();

    let JobInputs {
        mut incidents,
        mut chat_refs,
        unfinished,
    } = store.job_inputs(&batch, &[JobKind::Notify]).await.unwrap();
    incidents.sort_by(|x, y| x.id().cmp(y.id()));
    assert_eq!(incidents, vec![inc_a, inc_b]);
    chat_refs.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(
        chat_refs,
        vec![
            (card(a), msg("inc", "card-a")),
            (card(b), msg("inc", "card-b")),
            (conversation(a), msg("thread", "t-a")),
            (post, msg("thread", "p")),
        ]
    );
    // The unfinished jobs of the batch's incidents, of the kinds asked for, by due time.
    assert_eq!(keys(&unfinished), vec!["a-notify", "a-notify-later"]);
    assert_eq!(unfinished[0], by_key("a-notify"));

    assert_eq!(
        store.job_inputs(&[], &[JobKind::Notify]).await.unwrap(),
        JobInputs::default()
    );
    let none = store.job_inputs(&[by_key("none")], &[JobKind::Notify]).await.unwrap();
    assert_eq!(none, JobInputs::default());
}

async fn unchanged_update_checks_the_version_and_keeps_the_row(store: Arc<dyn Store>) {
    let id = "SSB-2026-0001";
    let (v1, claimed) = incident_with_claimed_jobs(
        &*store,
        id,
        "runner",
        vec![
            job("w1", Some(id), Group::Response, t0()),
            job("w2", Some(id), Group::Response, t0()),
        ],
    )
    .await;
    let finish = |j: &Job| FinishJob {
        id: j.id,
        owner: "runner".into(),
        finish: done("warned"),
        posted: None,
    };
    // The incident as stored: timeline, jobs and finish commit, the row and version stay.
    let later = t0() + Duration::days(400);
    let change = Change {
        timeline: vec![entry(later, "vakt", "warning sent")],
        jobs: vec![job("next", Some(id), Group::Response, t0() + mins(60))],
        finish: Some(finish(&claimed[0])),
        unchanged: true,
        ..Change::default()
    };
    let kept = store.update_incident(&v1, &change).await.unwrap();
    assert_eq!(kept, v1);
    assert_eq!(store.incident(v1.id()).await.unwrap().unwrap(), v1);
    assert_eq!(store.timeline(v1.id()).await.unwrap().len(), 1);
    assert_eq!(job_by_key(&*store, "next").await.state, JobState::Pending);
    assert_eq!(job_by_key(&*store, "w1").await.state, JobState::Done);

    // A writer changed it meanwhile: the unchanged change conflicts and writes nothing.
    let mut acked = v1.clone();
    acked.acknowledge("u-lead", t0() + mins(5)).unwrap();
    let v2 = store.update_incident(&acked, &Change::default()).await.unwrap();
    assert_eq!(v2.version(), 2);
    let stale = Change {
        timeline: vec![entry(t0() + mins(6), "vakt", "stale")],
        finish: Some(finish(&claimed[1])),
        unchanged: true,
        ..Change::default()
    };
    assert!(matches!(
        store.update_incident(&v1, &stale).await,
        Err(StoreError::Conflict(got)) if got == id
    ));
    assert_eq!(store.timeline(v1.id()).await.unwrap().len(), 1);
    assert_eq!(job_by_key(&*store, "w2").await.state, JobState::Running);
    assert_eq!(store.incident(v1.id()).await.unwrap().unwrap(), v2);
    let unknown = incident("SSB-2026-0099", "ssb", State::Open, t0()).with_version(1);
    let missing = Change {
        unchanged: true,
        ..Change::default()
    };
    assert!(matches!(
        store.update_incident(&unknown, &missing).await,
        Err(StoreError::NotFound(_))
    ));
    // A job's record on an incident never stored: not found, and its job stays running.
    for unchanged in [true, false] {
        let record = Change {
            timeline: vec![entry(t0() + mins(7), "vakt", "lost")],
            finish: Some(finish(&claimed[1])),
            unchanged,
            ..Change::default()
        };
        assert!(matches!(
            store.update_incident(&unknown, &record).await,
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(job_by_key(&*store, "w2").await.state, JobState::Running);
    }
}

/// Job records of one incident written side by side (as runners of several replicas do),
/// some leaving the incident as stored and some replacing it: each record either commits
/// whole or conflicts having written nothing, and retried on the incident as it is then,
/// every one lands once — its timeline entry, its job finished, its post's reference — with
/// the timeline in one unbroken order.
async fn concurrent_records_of_one_incident_each_land_once(store: Arc<dyn Store>) {
    let id = "SSB-2026-0001";
    let n = 12;
    let keys: Vec<String> = (0..n).map(|k| format!("w{k}")).collect();
    let (_, claimed) = incident_with_claimed_jobs(
        &*store,
        id,
        "runner",
        keys.iter().map(|k| job(k, Some(id), Group::Response, t0())).collect(),
    )
    .await;
    assert_eq!(claimed.len(), n);
    let mut writers = Vec::new();
    for (k, j) in claimed.into_iter().enumerate() {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            let change = Change {
                timeline: vec![entry(t0() + mins(k as i64), &format!("job-{k}"), "warned")],
                jobs: vec![job(&format!("next-{k}"), Some(id), Group::Response, t0() + mins(900))],
                finish: Some(FinishJob {
                    id: j.id,
                    owner: "runner".into(),
                    finish: done("posted"),
                    posted: Some(MessageRef {
                        channel: "c-incidents".into(),
                        message: format!("m-{k}"),
                    }),
                }),
                unchanged: k % 3 != 0,
                ..Change::default()
            };
            for _ in 0..200 {
                let inc = store.incident(&IncidentId::new(id)).await.unwrap().unwrap();
                match store.update_incident(&inc, &change).await {
                    Ok(_) => return j.id,
                    Err(StoreError::Conflict(_)) => tokio::task::yield_now().await,
                    Err(e) => panic!("record {k}: {e}"),
                }
            }
            panic!("record {k} kept conflicting");
        }));
    }
    let mut finished = Vec::new();
    for w in writers {
        finished.push(w.await.unwrap());
    }
    let timeline = store.timeline(&IncidentId::new(id)).await.unwrap();
    let actors: HashSet<&str> = timeline.iter().map(|e| e.actor.as_str()).collect();
    assert_eq!(timeline.len(), n, "one entry per record: {timeline:?}");
    assert_eq!(actors.len(), n, "no record's entry twice: {timeline:?}");
    for (k, key) in keys.iter().enumerate() {
        let j = job_by_key(&*store, key).await;
        assert_eq!(j.state, JobState::Done, "{key}");
        assert!(finished.contains(&j.id));
        assert_eq!(job_by_key(&*store, &format!("next-{k}")).await.state, JobState::Pending);
        let posted = store.chat_ref(&ChatRefKey::JobPost(j.id)).await.unwrap().unwrap();
        assert_eq!(posted.message, format!("m-{k}"));
    }
    let replaced = (0..n).filter(|k| k % 3 == 0).count() as i64;
    let stored = store.incident(&IncidentId::new(id)).await.unwrap().unwrap();
    assert_eq!(
        stored.version(),
        1 + replaced,
        "each replacing record bumps the version once"
    );
}

/// Job records of many incidents written at once, as a runner's slots write them (the
/// PostgreSQL store commits records that wait together in one statement): each lands or
/// fails on its own. A record made on a stale version conflicts, one whose lease another
/// runner holds is refused, one whose write fails (a job planned for an unknown incident)
/// fails — each having written nothing — and every other lands whole: its timeline entry,
/// the jobs it planned, its job finished, its post's and its card's references.
async fn concurrent_records_of_many_incidents_each_land_or_fail_alone(store: Arc<dyn Store>) {
    let n = 40;
    let (stale, leased, failing) = (13, 17, 39);
    let ids: Vec<String> = (0..n).map(|k| format!("SSB-2026-{:04}", k + 1)).collect();
    let mut incidents = Vec::new();
    for (k, id) in ids.iter().enumerate() {
        let change = Change {
            jobs: vec![job(&format!("w{k}"), Some(id), Group::Response, t0())],
            ..Change::default()
        };
        incidents.push(
            store
                .insert_incident(&incident(id, "ssb", State::Open, t0()), &change)
                .await
                .unwrap(),
        );
    }
    let claimed = store.claim(t0(), "runner", t0() + mins(60), 100).await.unwrap();
    assert_eq!(claimed.len(), n);
    // Someone changes one incident after its job read it.
    let mut other = incidents[stale].clone();
    other.add_update("u1", "meanwhile", t0()).unwrap();
    store.update_incident(&other, &Change::default()).await.unwrap();

    // Two waves, the failing write in the second: a group whose statement fails has each of
    // its records written alone, so the first wave's groups answer the conflict and the lost
    // lease themselves.
    let mut outcomes = Vec::new();
    for wave in [0..24, 24..n] {
        let mut writers = Vec::new();
        for k in wave {
            let inc = incidents[k].clone();
            let store = store.clone();
            let job_id = job_by_key(&*store, &format!("w{k}")).await.id;
            writers.push(tokio::spawn(async move {
                let id = inc.id().to_string();
                let planned_for = if k == failing {
                    "SSB-2099-0001".to_string()
                } else {
                    id.clone()
                };
                let change = Change {
                    timeline: vec![entry(t0() + mins(k as i64), &format!("job-{k}"), "warned")],
                    jobs: vec![job(
                        &format!("next-{k}"),
                        Some(&planned_for),
                        Group::Response,
                        t0() + mins(900),
                    )],
                    finish: Some(FinishJob {
                        id: job_id,
                        owner: if k == leased { "other" } else { "runner" }.into(),
                        finish: done("posted"),
                        posted: Some(MessageRef {
                            channel: "c-incidents".into(),
                            message: format!("m-{k}"),
                        }),
                    }),
                    chat_refs: vec![(
                        ChatRefKey::Card(IncidentId::new(&id)),
                        MessageRef {
                            channel: "c-incidents".into(),
                            message: format!("card-{k}"),
                        },
                    )],
                    unchanged: k % 2 == 0,
                    ..Change::default()
                };
                (k, store.update_incident(&inc, &change).await)
            }));
        }
        for w in writers {
            outcomes.push(w.await.unwrap());
        }
    }
    for (k, outcome) in outcomes {
        let id = IncidentId::new(&ids[k]);
        let j = job_by_key(&*store, &format!("w{k}")).await;
        let timeline = store.timeline(&id).await.unwrap();
        let card = store.chat_ref(&ChatRefKey::Card(id.clone())).await.unwrap();
        let posted = store.chat_ref(&ChatRefKey::JobPost(j.id)).await.unwrap();
        let jobs = store.jobs(Some(&id)).await.unwrap();
        let mut next = keys(&jobs);
        next.sort();
        let stored = store.incident(&id).await.unwrap().unwrap();
        match k {
            _ if k == stale => assert!(matches!(outcome, Err(StoreError::Conflict(_))), "{k}: {outcome:?}"),
            _ if k == leased => assert!(matches!(outcome, Err(StoreError::LeaseLost(_))), "{k}: {outcome:?}"),
            _ if k == failing => assert!(matches!(outcome, Err(StoreError::Database(_))), "{k}: {outcome:?}"),
            _ => {
                let v = outcome.unwrap_or_else(|e| panic!("record {k}: {e}")).version();
                assert_eq!(
                    v,
                    if k % 2 == 0 { 1 } else { 2 },
                    "{k}: a replacing record bumps the version"
                );
                assert_eq!(stored.version(), v, "{k}");
                assert_eq!(j.state, JobState::Done, "{k}");
                assert_eq!(next, [format!("next-{k}"), format!("w{k}")], "{k}");
                assert_eq!(timeline.len(), 1, "{k}: {timeline:?}");
                assert_eq!(timeline[0].actor, format!("job-{k}"));
                assert_eq!(posted.map(|r| r.message), Some(format!("m-{k}")), "{k}");
                assert_eq!(card.map(|r| r.message), Some(format!("card-{k}")), "{k}");
                continue;
            }
        }
        // A refused or failed record wrote nothing.
        assert_eq!(j.state, JobState::Running, "{k}");
        assert_eq!(next, [format!("w{k}")], "{k}");
        assert!(
            timeline.iter().all(|e| e.actor != format!("job-{k}")),
            "{k}: {timeline:?}"
        );
        assert_eq!((posted, card), (None, None), "{k}");
        assert_eq!(stored.version(), if k == stale { 2 } else { 1 }, "{k}");
    }
    assert!(
        store
            .jobs(Some(&IncidentId::new("SSB-2099-0001")))
            .await
            .unwrap()
            .is_empty()
    );
}

/// Opens the incidents `ids`, each with one job (`{prefix}{k}`, the `k`th's) due at `t0`,
/// and claims every job as `runner`; the incidents as stored.
async fn open_with_claimed_jobs(store: &dyn Store, ids: &[String], prefix: &str) -> Vec<Incident> {
    let mut incidents = Vec::new();
    for (k, id) in ids.iter().enumerate() {
        let change = Change {
            jobs: vec![job(&format!("{prefix}{k}"), Some(id), Group::Response, t0())],
            ..Change::default()
        };
        let inc = incident(id, "ssb", State::Open, t0());
        incidents.push(store.insert_incident(&inc, &change).await.unwrap());
    }
    let claimed = store.claim(t0(), "runner", t0() + mins(60), 100).await.unwrap();
    assert_eq!(claimed.len(), ids.len());
    incidents
}

/// A session of its own holding the rows of the incidents `ids` of `schema` (locked in a
/// transaction it leaves open: `COMMIT` on it releases them), and its backend's pid.
async fn hold_incident_rows(url: &str, schema: &str, ids: &[String]) -> (sqlx::PgConnection, i32) {
    use sqlx::Connection;
    let mut holder = sqlx::PgConnection::connect(url).await.unwrap();
    for statement in [format!("SET search_path TO \"{schema}\""), "BEGIN".into()] {
        sqlx::query(sqlx::AssertSqlSafe(statement))
            .execute(&mut holder)
            .await
            .unwrap();
    }
    sqlx::query("SELECT id FROM incidents WHERE id = ANY($1) FOR UPDATE")
        .bind(ids)
        .execute(&mut holder)
        .await
        .unwrap();
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut holder)
        .await
        .unwrap();
    (holder, pid)
}

/// The pids of the sessions `sql` lists (given `pids` as `$1`, read on `watcher`), once there
/// are `n` of them; fails, saying `what` was waited for, when that never happens.
async fn sessions_until(
    watcher: &mut sqlx::PgConnection,
    sql: &'static str,
    pids: &[i32],
    n: usize,
    what: &str,
) -> Vec<i32> {
    for _ in 0..2_000 {
        let listed: Vec<i32> = sqlx::query_scalar(sql)
            .bind(pids)
            .fetch_all(&mut *watcher)
            .await
            .unwrap();
        if listed.len() == n {
            return listed;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("waited in vain for {n} sessions: {what}");
}

/// The pids of the sessions the backend `holder` blocks, once there are `n` of them (read on
/// `watcher`); fails, saying `what` waited, when that never happens.
async fn sessions_blocked_by(watcher: &mut sqlx::PgConnection, holder: i32, n: usize, what: &str) -> Vec<i32> {
    let sql = "SELECT pid FROM pg_stat_activity WHERE pg_blocking_pids(pid) && $1::int4[]";
    sessions_until(watcher, sql, &[holder], n, &format!("{what} waiting on the held rows")).await
}

/// The record runner `owner` makes of job `key` (claimed): a timeline entry by `actor` at
/// `at`, the next job `next` (of incident `planned_for`), and the job done with a post
/// `message`; the incident's row left as stored when `unchanged`.
async fn posted_record(
    store: &dyn Store,
    (key, owner): (&str, &str),
    (actor, at): (&str, DateTime<Utc>),
    (next, planned_for): (&str, &str),
    message: String,
    unchanged: bool,
) -> Change {
    Change {
        timeline: vec![entry(at, actor, "warned")],
        jobs: vec![job(next, Some(planned_for), Group::Response, t0() + mins(900))],
        finish: Some(FinishJob {
            id: job_by_key(store, key).await.id,
            owner: owner.into(),
            finish: done("posted"),
            posted: Some(MessageRef {
                channel: "c-incidents".into(),
                message,
            }),
        }),
        unchanged,
        ..Change::default()
    }
}

/// On PostgreSQL, job records that arrive while the store's writers are busy are written
/// together, in one statement. Here two records held up by row locks keep both writers busy
/// while six more queue; once the locks go, the six are written as one group. Each is answered
/// on its own: a record made on a stale version conflicts and one whose lease another runner
/// holds is refused, both having written nothing, and the rest land whole. A group whose
/// statement fails (one record plans a job for an unknown incident) has each of its records
/// written alone, so only that one fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_records_queued_behind_busy_writers_are_answered_one_by_one() {
    backends::in_postgres_schema("grouped_records", |url, schema| async move {
        use sqlx::Connection;
        let store: Arc<dyn Store> = Arc::new(PostgresStore::connect_in_schema(&url, &schema).await.unwrap());
        let (stale, leased, failing) = (3, 5, 6);
        for phase in 1..=2 {
            let ids: Vec<String> = (0..8).map(|k| format!("SSB-2026-{phase}{k:03}")).collect();
            let incidents = open_with_claimed_jobs(&*store, &ids, &format!("p{phase}-w")).await;
            let mut other = incidents[stale].clone();
            other.add_update("u1", "meanwhile", t0()).unwrap();
            store.update_incident(&other, &Change::default()).await.unwrap();
            let mut changes = Vec::new();
            for (k, id) in ids.iter().enumerate() {
                let planned_for = if phase == 2 && k == failing {
                    "SSB-2099-0001"
                } else {
                    id
                };
                changes.push(
                    posted_record(
                        &*store,
                        (&format!("p{phase}-w{k}"), if k == leased { "other" } else { "runner" }),
                        (&format!("job-{k}"), t0() + mins(k as i64)),
                        (&format!("p{phase}-next-{k}"), planned_for),
                        format!("p{phase}-m-{k}"),
                        k % 2 == 0,
                    )
                    .await,
                );
            }
            // Hold the first two incidents' rows, so that their records keep both writers.
            let (mut holder, holder_pid) = hold_incident_rows(&url, &schema, &ids[..2]).await;
            let mut watcher = sqlx::PgConnection::connect(&url).await.unwrap();
            // The records join in order on their first poll: the first two lead (and wait on
            // the rows), the other six queue.
            let records = futures_util::future::join_all(
                (incidents.iter().zip(&changes)).map(|(inc, change)| store.update_incident(inc, change)),
            );
            let release = async {
                sessions_blocked_by(&mut watcher, holder_pid, 2, "the first two records").await;
                sqlx::query("COMMIT").execute(&mut holder).await.unwrap();
            };
            let (outcomes, ()) = tokio::join!(records, release);
            for (k, outcome) in outcomes.into_iter().enumerate() {
                let id = IncidentId::new(&ids[k]);
                let w = job_by_key(&*store, &format!("p{phase}-w{k}")).await;
                let posted = store.chat_ref(&ChatRefKey::JobPost(w.id)).await.unwrap();
                let timeline = store.timeline(&id).await.unwrap();
                let next = store.jobs(Some(&id)).await.unwrap().len();
                let refused = match outcome {
                    Err(StoreError::Conflict(_)) if k == stale => true,
                    Err(StoreError::LeaseLost(_)) if k == leased => true,
                    Err(StoreError::Database(_)) if phase == 2 && k == failing => true,
                    Ok(_) if k != stale && k != leased && !(phase == 2 && k == failing) => false,
                    other => panic!("phase {phase}, record {k}: {other:?}"),
                };
                if refused {
                    assert_eq!(
                        (w.state, posted, timeline.len(), next),
                        (JobState::Running, None, 0, 1),
                        "{phase}/{k}"
                    );
                } else {
                    assert_eq!(w.state, JobState::Done, "{phase}/{k}");
                    assert_eq!(
                        posted.map(|r| r.message),
                        Some(format!("p{phase}-m-{k}")),
                        "{phase}/{k}"
                    );
                    assert_eq!((timeline.len(), next), (1, 2), "{phase}/{k}");
                }
            }
        }
    })
    .await;
}

/// On PostgreSQL, a record's call dropped while it writes (a runner cancelled, its task
/// aborted) never stalls the records queued behind it. Three incidents' rows are held, so
/// the first two records keep both writers waiting and the rest queue. The first record's
/// call is dropped: the queue's next group (the other six, the first of them on a held row)
/// is led by its first caller. That call is dropped too, mid-statement: the group's other
/// five are told that whether they committed is not known. Once the rows are free, the
/// second record lands, every other record wrote all of itself or nothing, and new records
/// are written as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_record_calls_dropped_mid_write_leave_the_queue_moving() {
    backends::in_postgres_schema("dropped_records", |url, schema| async move {
        use futures_util::future::{Aborted, abortable};
        use sqlx::Connection;
        let store: Arc<dyn Store> = Arc::new(PostgresStore::connect_in_schema(&url, &schema).await.unwrap());
        let ids: Vec<String> = (0..11).map(|k| format!("SSB-2026-{k:04}")).collect();
        let incidents = open_with_claimed_jobs(&*store, &ids, "w").await;
        let mut changes = Vec::new();
        for (k, id) in ids.iter().enumerate() {
            let (key, actor, next) = (format!("w{k}"), format!("job-{k}"), format!("next-{k}"));
            let at = t0() + mins(k as i64);
            let change = posted_record(
                &*store,
                (&key, "runner"),
                (&actor, at),
                (&next, id),
                format!("m-{k}"),
                k % 2 == 0,
            );
            changes.push(change.await);
        }
        let (mut holder, holder_pid) = hold_incident_rows(&url, &schema, &ids[..3]).await;
        let mut watcher = sqlx::PgConnection::connect(&url).await.unwrap();
        // Records 0 and 2 can be dropped; the others join in order on their first poll.
        let (calls, handles): (Vec<_>, Vec<_>) = (0..8)
            .map(|k| abortable(store.update_incident(&incidents[k], &changes[k])))
            .unzip();
        let records = futures_util::future::join_all(calls);
        let steer = async {
            sessions_blocked_by(&mut watcher, holder_pid, 2, "the first two records").await;
            handles[0].abort();
            // The six queued now lead as one group, whose statement waits on record 2's row.
            let pids = sessions_blocked_by(&mut watcher, holder_pid, 3, "the group after the dropped leader").await;
            handles[2].abort();
            // Yield once, so that the calls are polled (`join!` polls both sides) and record
            // 2's call is dropped, its group's members answered, before the rows are free.
            tokio::task::yield_now().await;
            sqlx::query("COMMIT").execute(&mut holder).await.unwrap();
            // The dropped calls' statements run on when the rows are free; wait until their
            // sessions are done with them.
            let active = "SELECT pid FROM pg_stat_activity WHERE pid = ANY($1) AND state = 'active'";
            sessions_until(
                &mut watcher,
                active,
                &pids,
                0,
                "the dropped calls' statements still active",
            )
            .await;
        };
        let (outcomes, ()) = tokio::join!(records, steer);
        for (k, outcome) in outcomes.iter().enumerate() {
            match (k, outcome) {
                (0 | 2, Err(Aborted)) | (1, Ok(Ok(_))) | (3..=7, Ok(Err(StoreError::Database(_)))) => {}
                other => panic!("record {k}: {other:?}"),
            }
        }
        // Each record wrote all of itself or nothing.
        for (k, id) in ids.iter().enumerate().take(8) {
            let id = IncidentId::new(id);
            let w = job_by_key(&*store, &format!("w{k}")).await;
            let posted = store
                .chat_ref(&ChatRefKey::JobPost(w.id))
                .await
                .unwrap()
                .map(|r| r.message);
            let timeline = store.timeline(&id).await.unwrap().len();
            let next = store.jobs(Some(&id)).await.unwrap().len();
            let version = store.incident(&id).await.unwrap().expect("stored").version();
            let changed = k % 2 == 1;
            let whole = (
                JobState::Done,
                Some(format!("m-{k}")),
                1,
                2,
                if changed { 2 } else { 1 },
            );
            let none = (JobState::Running, None, 0, 1, 1);
            let state = (w.state, posted, timeline, next, version);
            assert!(state == whole || state == none, "record {k}: {state:?}");
            if k == 1 {
                assert_eq!(state, whole);
            }
        }
        // New records are written as before: the dropped calls left no writer's place taken.
        let late =
            futures_util::future::join_all((8..11).map(|k| store.update_incident(&incidents[k], &changes[k]))).await;
        for (k, outcome) in (8..).zip(late) {
            assert!(outcome.is_ok(), "record {k}: {outcome:?}");
            assert_eq!(job_by_key(&*store, &format!("w{k}")).await.state, JobState::Done);
        }
    })
    .await;
}

/// The start-up's selection (`planned_otherwise`): active incidents of a listed agreement,
/// case type and priority whose stored fingerprint is set and differs from the one listed —
/// compared in the query; and the availability's (`with_outage`): incidents with an outage
/// marked.
async fn plan_fingerprints_and_outages_are_selected_in_the_query(store: Arc<dyn Store>) {
    let planned = |id: &str, agreement: &str, state: State, basis: Value| {
        rebuilt(&incident(id, agreement, state, t0()), json!({ "plan_basis": basis }))
    };
    let mut outage = serde_json::to_value(incident("SSB-2026-0009", "ssb", State::Resolved, t0())).unwrap();
    outage["outage"] = json!({ "kind": "full", "start": null, "end": null });
    let outage: Incident = serde_json::from_value(outage).expect("an incident with an outage");
    for inc in [
        planned("SSB-2026-0001", "ssb", State::Open, json!("v2:current")),
        planned("SSB-2026-0002", "ssb", State::Acknowledged, json!("v2:earlier")),
        planned("SSB-2026-0003", "ssb", State::Open, json!(12345)),
        planned("SSB-2026-0004", "ssb", State::Open, json!(0)),
        planned("SSB-2026-0005", "ssb", State::Closed, json!("v2:earlier")),
        planned("DFI-2026-0001", "difi", State::Open, json!("v2:earlier")),
        rebuilt(
            &planned("SSB-2026-0006", "ssb", State::Open, json!("v2:earlier")),
            json!({ "computed_priority": "P1" }),
        ),
        outage,
    ] {
        store.insert_incident(&inc, &Change::default()).await.unwrap();
    }
    let ids = |v: Vec<Incident>| {
        let mut ids: Vec<String> = v.into_iter().map(|i| i.id().to_string()).collect();
        ids.sort();
        ids
    };
    let stale = |keys: Vec<PlanKey>| IncidentFilter {
        states: vec![State::Open, State::Acknowledged],
        planned_otherwise: Some(keys),
        ..IncidentFilter::default()
    };
    let key = |agreement: &str, priority: &str, basis: &str| PlanKey {
        agreement: AgreementId::new(agreement),
        case_type: "incident".into(),
        priority: priority.into(),
        basis: basis.into(),
    };
    // Planned under another fingerprint (or an earlier version's number): selected; the
    // current one, none at all (0), another agreement or priority, or closed: not.
    assert_eq!(
        ids(store
            .incidents(&stale(vec![key("ssb", "P2", "v2:current")]))
            .await
            .unwrap()),
        ["SSB-2026-0002", "SSB-2026-0003"]
    );
    assert_eq!(
        ids(store
            .incidents(&stale(vec![
                key("ssb", "P2", "v2:current"),
                key("ssb", "P1", "v2:earlier"),
                key("difi", "P2", "v2:now"),
            ]))
            .await
            .unwrap()),
        ["DFI-2026-0001", "SSB-2026-0002", "SSB-2026-0003"]
    );
    let other_case_type = PlanKey {
        case_type: "problem".into(),
        ..key("ssb", "P2", "v2:current")
    };
    assert!(store.incidents(&stale(vec![other_case_type])).await.unwrap().is_empty());
    assert!(
        store.incidents(&stale(Vec::new())).await.unwrap().is_empty(),
        "none listed, none selected"
    );
    // Paged like any list.
    let page = IncidentFilter {
        limit: 1,
        offset: 1,
        ..stale(vec![key("ssb", "P2", "v2:current")])
    };
    assert_eq!(store.incidents(&page).await.unwrap().len(), 1);
    // Outages: only the marked one, also with the period's conditions.
    let outages = IncidentFilter {
        agreement: Some(AgreementId::new("ssb")),
        with_outage: true,
        ..IncidentFilter::default()
    };
    assert_eq!(ids(store.incidents(&outages).await.unwrap()), ["SSB-2026-0009"]);
    let since = IncidentFilter {
        touched_since: Some(t0() - mins(60)),
        reported_before: Some(t0() + mins(1)),
        ..outages.clone()
    };
    assert_eq!(ids(store.incidents(&since).await.unwrap()), ["SSB-2026-0009"]);
    let other = IncidentFilter {
        agreement: Some(AgreementId::new("difi")),
        ..outages
    };
    assert!(store.incidents(&other).await.unwrap().is_empty());
}
