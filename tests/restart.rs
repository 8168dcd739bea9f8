//! Restarts on a SQLite file: jobs live in the database, so a new process (new store, service,
//! scheduler and chat connection on the same file) picks up where the old one stopped.
//!
//! - Downtime: every job that fell due while vakt was down runs once on the first tick, marked
//!   late; a second tick runs nothing.
//! - Crash: a job claimed by a runner that died is released when its lease (60 s) expires and
//!   runs once under the next runner; if the dead runner had already posted, the chat drops
//!   the resend by its nonce (the job id).

mod common;

use common::{Harness, Options, TempDb, at, facts, facts_users, responder};
use std::collections::{BTreeMap, BTreeSet};
use vakt::domain::incident::Event;
use vakt::service::ports::{FinishJob, JobFinish, JobState, StoreError};

/// Four incidents opened Friday 20 November 16:30 CET, run to 16:50, then vakt is down until
/// Monday 23 November 10:00. The new process's first tick runs each job due in between exactly
/// once, late; the next tick runs nothing.
#[tokio::test]
async fn jobs_due_during_downtime_run_once_late_after_restart() {
    let db = TempDb::new();
    let opened = at("2026-11-20T16:30+01:00");
    let ids;
    {
        let h = Harness::open(&db, Options::at(opened)).await;
        let s = h.service();
        ids = [
            s.open(&responder(), "ssbtek", "Total outage", "", facts("1")).await,
            s.open(&responder(), "altinn", "Platform down", "", facts("unavailable"))
                .await,
            s.open(&responder(), "inera", "Journal down", "", facts("unusable"))
                .await,
            s.open(&responder(), "borger-dk", "Login down", "", facts_users("users", 30.0))
                .await,
        ]
        .map(|r| r.expect("open").id);
        h.advance("2026-11-20T16:50+01:00").await;
        // Before the downtime: the two notifications at 16:30 and both 50 % response warnings.
        let mut before = h.take_lines().await;
        before.sort();
        assert_eq!(
            before,
            [
                "Fri 11-20 16:30:00 #altinn-incidents @operations ALT-2026-0001/g0/notify0",
                "Fri 11-20 16:30:00 #borger-dk-incidents @second_level BDK-2026-0001/g0/notify0",
                "Fri 11-20 16:45:00 #inera-incidents @responder INE-2026-0001/g0/response/warn50",
                "Fri 11-20 16:45:00 #ssbtek-incidents @responder SSB-2026-0001/g0/response/warn50",
            ]
        );
        h.sqlite.close().await;
        // Service, scheduler, store and chat are dropped here: the process is gone.
    }

    let restart = at("2026-11-23T10:00+01:00");
    let h = Harness::open(
        &db,
        Options {
            runner: "runner-2",
            ..Options::at(restart)
        },
    )
    .await;
    let pending_before: Vec<_> = h
        .jobs()
        .await
        .into_iter()
        .filter(|j| j.state == JobState::Pending)
        .collect();
    let due: BTreeMap<i64, _> = pending_before
        .iter()
        .filter(|j| j.due_at <= restart)
        .map(|j| (j.id, j.clone()))
        .collect();
    let not_due: BTreeSet<i64> = pending_before
        .iter()
        .filter(|j| j.due_at > restart)
        .map(|j| j.id)
        .collect();
    // Plenty fell due over the weekend, and some are still to come on Monday.
    assert!(due.len() >= 20, "{} due", due.len());
    assert!(!not_due.is_empty());

    let report = h.tick().await;
    assert_eq!(
        (report.ran, report.retried, report.failed),
        (due.len(), 0, 0),
        "{report:#?}"
    );

    let after: BTreeMap<i64, _> = h.jobs().await.into_iter().map(|j| (j.id, j)).collect();
    for (id, was) in &due {
        let j = &after[id];
        assert_eq!(j.state, JobState::Done, "{}", j.key);
        assert_eq!(j.attempts, 1, "{}: fired once", j.key);
        assert_eq!(j.fired_at, Some(restart), "{}", j.key);
        assert!(j.late, "{} was due {} and ran at {restart}", j.key, was.due_at);
        assert!(
            !j.outcome.as_deref().unwrap_or("").starts_with("skipped"),
            "{}: {:?}",
            j.key,
            j.outcome
        );
    }
    for id in &not_due {
        assert_eq!(after[id].state, JobState::Pending, "{}", after[id].key);
    }

    // The new process's chat got exactly one message per due job, each saying it is late.
    let posted = h.chat.posted();
    assert_eq!(h.chat.dropped(), 0);
    let mut nonces: Vec<i64> = posted
        .iter()
        .map(|p| p.message.nonce.as_deref().expect("nonce").parse().expect("job id"))
        .collect();
    nonces.sort();
    assert_eq!(nonces, due.keys().copied().collect::<Vec<_>>());
    for p in &posted {
        assert_eq!(p.at, restart);
        assert!(
            p.message.text.contains("(late: was due 2026-11-2"),
            "{}",
            p.message.text
        );
    }
    // Examples: the SSBTEK response level 1 (Fri 17:00) and level 2 (Mon 09:00), the Inera ETA
    // (Fri 20:30), Borger.dk's first status update (Fri 17:30).
    let mut lines = h.take_lines().await;
    lines.sort();
    for want in [
        "Mon 11-23 10:00:00 #ssbtek-incidents @support SSB-2026-0001/g0/response/esc1",
        "Mon 11-23 10:00:00 #ssbtek-incidents @driftsrad SSB-2026-0001/g0/response/esc2",
        "Mon 11-23 10:00:00 #inera-incidents @responder INE-2026-0001/g0/follow/eta",
        "Mon 11-23 10:00:00 #borger-dk-status @responder BDK-2026-0001/g0/status1",
        "Mon 11-23 10:00:00 #altinn-status @responder ALT-2026-0001/g0/status1",
    ] {
        assert_eq!(lines.iter().filter(|l| *l == want).count(), 1, "{want} in {lines:#?}");
    }
    // A status update missed many times is posted once; the next is planned from now.
    for id in [&ids[1], &ids[3]] {
        let status: Vec<_> = h
            .jobs_of(id)
            .await
            .into_iter()
            .filter(|j| j.group == "status")
            .collect();
        assert_eq!(status.len(), 2, "{status:#?}");
        assert_eq!(status[0].state, JobState::Done);
        assert_eq!(status[1].state, JobState::Pending);
        assert_eq!(status[1].due_at, at("2026-11-23T11:00+01:00"), "{}", status[1].key);
        let posts = h
            .events(id)
            .await
            .iter()
            .filter(|e| matches!(e, Event::StatusPosted { .. }))
            .count();
        assert_eq!(posts, 1);
    }

    // A second tick at the same time has nothing to do.
    let report = h.tick().await;
    assert_eq!(report.ran, 0, "{report:#?}");
    assert!(h.chat.posted().is_empty());
    assert_eq!(h.chat.dropped(), 0);
}

/// Runner A claims the 50 % response warning of an SSBTEK incident at 16:45, posts it and dies
/// before committing (simulated by running the job under an owner that holds no lease, so the
/// final transaction is refused and rolled back after the post). The chat outlives the
/// process. Runner B, started on the same file, leaves the job alone while A's lease (60 s)
/// holds, then runs it once after it expired: the resend carries the same nonce and the chat
/// drops it; the timeline records the warning once; A's late finish is refused.
#[tokio::test]
async fn a_crashed_runner_s_job_runs_once_after_its_lease_expires() {
    let db = TempDb::new();
    let start = at("2026-11-20T16:30+01:00");
    let id;
    let chat;
    let job_id;
    {
        let h = Harness::open(
            &db,
            Options {
                runner: "runner-a",
                ..Options::at(start)
            },
        )
        .await;
        chat = h.chat.clone();
        id = h
            .service()
            .open(&responder(), "ssbtek", "Total outage", "", facts("1"))
            .await
            .expect("open")
            .id;
        let now = at("2026-11-20T16:45+01:00");
        h.set_clock(now);
        let claimed = h
            .store()
            .claim(now, "runner-a", now + chrono::Duration::seconds(60), 1)
            .await
            .expect("claim");
        assert_eq!(claimed.len(), 1);
        let job = &claimed[0];
        assert_eq!(job.key, "SSB-2026-0001/g0/response/warn50");
        job_id = job.id;
        let err = h
            .service()
            .run_job(job, "runner-that-lost-its-lease", now)
            .await
            .expect_err("the commit is refused");
        assert!(err.to_string().contains("lease"), "{err}");
        assert_eq!(chat.posted().len(), 1, "the post went out before the crash");
        assert!(
            !h.events(&id)
                .await
                .iter()
                .any(|e| matches!(e, Event::WarningSent { .. })),
            "nothing of the job was committed"
        );
        h.sqlite.close().await;
    }

    let h = Harness::open(
        &db,
        Options {
            runner: "runner-b",
            chat: Some(chat.clone()),
            ..Options::at(at("2026-11-20T16:45:30+01:00"))
        },
    )
    .await;
    // While A's lease holds (until 16:46:00) B does not touch the job.
    let r = h.tick().await;
    assert_eq!((r.ran, r.requeued), (0, 0), "{r:#?}");
    let j = job(&h, job_id).await;
    assert_eq!(
        (j.state, j.lease_owner.as_deref()),
        (JobState::Running, Some("runner-a"))
    );

    // After it expired the job runs once under B.
    h.set_clock(at("2026-11-20T16:46:01+01:00"));
    let r = h.tick().await;
    assert_eq!((r.ran, r.requeued), (1, 1), "{r:#?}");
    let j = job(&h, job_id).await;
    assert_eq!(j.state, JobState::Done);
    assert_eq!(j.lease_owner.as_deref(), Some("runner-b"));
    assert_eq!(j.attempts, 2);
    assert!(!j.late, "61 s after its due time is not late");
    assert_eq!(chat.dropped(), 1, "the resend was dropped by its nonce");
    let posted = chat.posted();
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0].message.nonce, Some(job_id.to_string()));
    let warnings = h
        .events(&id)
        .await
        .iter()
        .filter(|e| matches!(e, Event::WarningSent { .. }))
        .count();
    assert_eq!(warnings, 1);

    // A's finish, if it ever came, is refused.
    let late_finish = h
        .store()
        .finish(&FinishJob {
            id: job_id,
            owner: "runner-a".into(),
            finish: JobFinish::Done {
                fired_at: h.now(),
                late: false,
                outcome: "zombie".into(),
            },
            posted: None,
        })
        .await;
    assert!(
        matches!(late_finish, Err(StoreError::LeaseLost(x)) if x == job_id),
        "{late_finish:?}"
    );

    // Nothing more until the next due job (16:52:30).
    let r = h.tick().await;
    assert_eq!(r.ran, 0);
    h.advance("2026-11-20T16:53+01:00").await;
    assert_eq!(chat.posted().len(), 2);
    assert_eq!(chat.dropped(), 1);
}

/// Runner A claims a job and dies before posting anything: after the lease expired the next
/// runner posts it once (nothing to drop).
#[tokio::test]
async fn a_job_claimed_by_a_runner_that_died_before_posting_is_posted_once() {
    let db = TempDb::new();
    let chat;
    {
        let h = Harness::open(&db, Options::at(at("2026-11-20T16:30+01:00"))).await;
        chat = h.chat.clone();
        h.service()
            .open(&responder(), "ssbtek", "Total outage", "", facts("1"))
            .await
            .expect("open");
        let now = at("2026-11-20T16:45+01:00");
        let claimed = h
            .store()
            .claim(now, "runner-a", now + chrono::Duration::seconds(60), 10)
            .await
            .expect("claim");
        assert_eq!(claimed.len(), 1);
        h.sqlite.close().await;
    }
    let h = Harness::open(
        &db,
        Options {
            runner: "runner-b",
            chat: Some(chat.clone()),
            ..Options::at(at("2026-11-20T16:50+01:00"))
        },
    )
    .await;
    let r = h.tick().await;
    assert_eq!((r.ran, r.requeued), (1, 1), "{r:#?}");
    assert_eq!(
        h.take_lines().await,
        ["Fri 11-20 16:50:00 #ssbtek-incidents @responder SSB-2026-0001/g0/response/warn50"]
    );
    assert_eq!(chat.dropped(), 0);
    // Five minutes after its due time: late, and the message says so.
    let j = h
        .jobs()
        .await
        .into_iter()
        .find(|j| j.key.ends_with("/warn50") && j.key.contains("/response/"))
        .expect("job");
    assert!(j.late);
    assert_eq!(j.attempts, 2);
}

async fn job(h: &Harness, id: i64) -> vakt::service::ports::Job {
    h.jobs().await.into_iter().find(|j| j.id == id).expect("job")
}

/// A weekly recurring job (Monday 09:00) missed three times while vakt was down from Friday
/// 20 November to Friday 11 December runs once on restart, late, and its next run is planned
/// after now (Monday 14 December). Scheduling the recurring jobs again at start (as the
/// console does) adds nothing.
#[tokio::test]
async fn a_recurring_job_missed_many_times_runs_once() {
    let config = r#"
[[agreements.ssbtek.recurring]]
name = "weekly"
cron = "0 9 * * MON"
what = "Weekly status meeting"
"#;
    let db = TempDb::new();
    {
        let h = Harness::open(
            &db,
            Options {
                config: Some(config),
                ..Options::at(at("2026-11-20T12:00+01:00"))
            },
        )
        .await;
        h.service().schedule_recurring().await.expect("schedule");
        h.sqlite.close().await;
    }
    let restart = at("2026-12-11T12:00+01:00");
    let h = Harness::open(
        &db,
        Options {
            config: Some(config),
            runner: "runner-2",
            ..Options::at(restart)
        },
    )
    .await;
    h.service().schedule_recurring().await.expect("schedule at start");
    let r = h.tick().await;
    assert_eq!(r.ran, 1, "{r:#?}");
    let posted = h.chat.take();
    assert_eq!(posted.len(), 1);
    assert_eq!(
        posted[0].message.text,
        "🗓 Weekly status meeting (late: was due 2026-11-23 09:00)"
    );
    let jobs = h.jobs().await;
    let states: Vec<(JobState, bool, chrono::DateTime<chrono::Utc>)> =
        jobs.iter().map(|j| (j.state, j.late, j.due_at)).collect();
    assert_eq!(
        states,
        vec![
            (JobState::Done, true, at("2026-11-23T09:00+01:00")),
            (JobState::Pending, false, at("2026-12-14T09:00+01:00")),
        ]
    );
    assert_eq!(h.tick().await.ran, 0);
}
