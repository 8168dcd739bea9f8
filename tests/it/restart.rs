//! Restarts on a SQLite file: jobs live in the database, so a new process (new store, service,
//! scheduler and chat connection on the same file) picks up where the old one stopped.
//!
//! - Downtime: every job that fell due while vakt was down runs once on the first tick, marked
//!   late; a second tick runs nothing. Pre-breach warnings whose deadline passed meanwhile are
//!   dropped; a breach posts once, at the level now due, naming the levels passed; a recurring
//!   post missed by more than its period is skipped.
//! - Crash: a job claimed by a runner that died is released when its lease (60 s) expires and
//!   runs once under the next runner; if the dead runner had already posted, the chat drops
//!   the resend by its nonce (the job id).

use crate::common;

use common::{Harness, Options, TempDb, at, facts, facts_users, responder, text};
use std::collections::{BTreeMap, BTreeSet};
use vakt::domain::incident::{Event, Milestone};
use vakt::domain::plan::{Group, JobKind};
use vakt::service::notice::Notice;
use vakt::service::ports::{FinishJob, JobFinish, JobState, StoreError};

/// Re-paging off (its catch-up is `lifecycle::downtime_catch_up_on_every_agreement`'s).
const NO_REPAGING: &str = "[agreements.altinn.repaging.A]\nlimit = 0\n\n[agreements.borger-dk.repaging.1]\nlimit = 0\n";

/// Four incidents opened Friday 20 November 16:30 CET, run to 16:50, then vakt is down until
/// Monday 23 November 10:00. The new process's first tick runs each job due in between exactly
/// once, late; the next tick runs nothing. What it posts is what a person wants to read now:
///
/// - every pre-breach warning that fell due had its deadline pass too: dropped
///   (`skipped:overdue_already`) — SSBTEK and Inera response 90 % (due Fri 17:00), Altinn
///   resolution 50/75/90 % (due Fri 21:30), Inera resolution 50/75/90 % (due Fri 20:30),
///   Borger.dk response 50 % (clock from Mon 08:30, due 08:45); response warnings closer
///   than the 10-minute floor to the one before (SSBTEK and Inera 75 %, Borger.dk 75 and
///   90 % of 15 minutes) were never planned;
/// - each breach once, at the level due now (one level per business hour after the deadline,
///   capped at the ladder's top), naming the levels passed:
///   - SSBTEK response, Fri 17:00: Mon 08:00–10:00 = 2 business hours → step 3, capped at the
///     top, level 2; level 1 passed;
///   - Altinn resolution, Fri 21:30 (24/7): 60 h 30 min → level 4, the top; 1, 2, 3 passed;
///   - Inera response, Fri 17:00 (24/7): 65 h → level 3, the top; 1, 2 passed; then the Inera
///     resolution breach (Fri 20:30) is announced at the level reached, 3, nothing passed;
///   - Borger.dk response, Mon 08:45 (primary 08:30–16:30): 1 h 15 min → level 2; 1 passed;
///     level 3 is planned for 08:45 + 2 business hours = 10:45;
/// - one status update per incident with a cadence (Altinn, Borger.dk), the Inera `eta` and
///   the Borger.dk `downtime_1h` follow-ups.
#[tokio::test]
async fn jobs_due_during_downtime_run_once_late_after_restart() {
    let db = TempDb::new();
    let opened = at("2026-11-20T16:30+01:00");
    let ids;
    {
        let h = Harness::open(
            &db,
            Options {
                config: Some(NO_REPAGING),
                ..Options::at(opened)
            },
        )
        .await;
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
        .map(|r| r.expect("open").id().to_string());
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
            config: Some(NO_REPAGING),
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
    // Plenty fell due over the weekend: SSBTEK 2 (a warning, the response breach), Altinn 3
    // (status, a warning, the breach), Inera 6 (2 warnings, 2 breaches, `eta` and its
    // announcement ahead), Borger.dk 5 (follow-up and its announcement ahead, status, a
    // warning, the response breach); some are still to come on Monday. One warning of a
    // target is planned at a time (each that posts plans the next), so a target has one
    // warning due, not every point it passed.
    assert_eq!(due.len(), 2 + 3 + 6 + 5, "{due:#?}");
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
        // Warnings and announcements ahead of a follow-up whose deadline has passed say
        // nothing: the breach and the follow-up itself do.
        let want = if j.kind == JobKind::Warning || j.key.ends_with("/early") {
            "skipped:overdue_already"
        } else {
            "posted"
        };
        assert_eq!(j.outcome.as_deref(), Some(want), "{}", j.key);
    }
    let posted_ids: Vec<i64> = due
        .keys()
        .copied()
        .filter(|id| after[id].outcome.as_deref() == Some("posted"))
        .collect();
    assert_eq!(
        posted_ids.len(),
        20 - 11,
        "9 warnings and 2 announcements ahead dropped"
    );
    for id in &not_due {
        assert_eq!(after[id].state, JobState::Pending, "{}", after[id].key);
    }

    // The new process's chat got exactly one message per due job that posted, each saying it
    // is late.
    let posted = h.chat.posted();
    assert_eq!(h.chat.posted_all().len(), posted.len(), "no announcements fell due");
    assert_eq!(h.chat.dropped(), 0);
    let mut nonces: Vec<i64> = posted
        .iter()
        .map(|p| p.message.nonce.as_deref().expect("nonce").parse().expect("job id"))
        .collect();
    nonces.sort();
    assert_eq!(nonces, posted_ids);
    for p in &posted {
        assert_eq!(p.at, restart);
        let id: i64 = p.message.nonce.as_deref().expect("nonce").parse().expect("job id");
        let was = &due[&id];
        assert_eq!(
            p.message.late_since,
            Some(was.planned_at),
            "{} says it is late, since its planned time",
            was.key
        );
        assert!(
            was.planned_at >= opened && was.planned_at < restart,
            "{}: planned {} during the downtime",
            was.key,
            was.planned_at
        );
    }
    // One post per breach, at the level now due, naming the levels passed.
    let mut breaches: Vec<(String, Option<Milestone>, u32, Vec<u32>)> = posted
        .iter()
        .filter_map(|p| match &p.message.notice {
            Notice::Escalated {
                incident,
                milestone,
                level,
                passed,
                ..
            } => Some((incident.id.to_string(), *milestone, *level, passed.clone())),
            _ => None,
        })
        .collect();
    breaches.sort();
    assert_eq!(
        breaches,
        vec![
            (
                "ALT-2026-0001".to_string(),
                Some(Milestone::Resolution),
                4,
                vec![1, 2, 3]
            ),
            ("BDK-2026-0001".to_string(), Some(Milestone::Response), 2, vec![1]),
            ("INE-2026-0001".to_string(), Some(Milestone::Response), 3, vec![1, 2]),
            ("INE-2026-0001".to_string(), Some(Milestone::Resolution), 3, vec![]),
            ("SSB-2026-0001".to_string(), Some(Milestone::Response), 2, vec![1]),
        ]
    );
    // Everything posted, as lines.
    let mut lines = h.take_lines().await;
    lines.sort();
    assert_eq!(
        lines,
        [
            "Mon 11-23 10:00:00 #altinn-incidents @direktor ALT-2026-0001/g0/resolution/esc1",
            "Mon 11-23 10:00:00 #altinn-status @responder ALT-2026-0001/g0/status1",
            "Mon 11-23 10:00:00 #borger-dk-incidents @kontorchef_drift BDK-2026-0001/g0/response/esc1",
            "Mon 11-23 10:00:00 #borger-dk-incidents @responder BDK-2026-0001/g0/follow/downtime_1h",
            "Mon 11-23 10:00:00 #borger-dk-status @responder BDK-2026-0001/g0/status1",
            "Mon 11-23 10:00:00 #inera-incidents @responder INE-2026-0001/g0/follow/eta",
            "Mon 11-23 10:00:00 #inera-incidents @systemforvaltning INE-2026-0001/g0/resolution/esc1",
            "Mon 11-23 10:00:00 #inera-incidents @systemforvaltning INE-2026-0001/g0/response/esc1",
            "Mon 11-23 10:00:00 #ssbtek-incidents @driftsrad SSB-2026-0001/g0/response/esc1",
        ]
    );
    // The climb goes on from the level reached: Borger.dk's level 3 at 10:45.
    let next: Vec<_> = h
        .jobs_of(&ids[3])
        .await
        .into_iter()
        .filter(|j| j.kind == JobKind::Escalation && j.state == JobState::Pending)
        .map(|j| (j.key, j.due_at))
        .collect();
    assert_eq!(
        next,
        [
            (
                "BDK-2026-0001/g0/response/esc3".to_string(),
                at("2026-11-23T10:45+01:00")
            ),
            (
                "BDK-2026-0001/g0/resolution/esc1".to_string(),
                at("2026-11-23T12:30+01:00")
            ),
        ]
    );
    // A status update missed many times is posted once; the next keeps the cadence anchored to
    // the plan (opened 16:30, so Altinn's hourly 24/7 slots fall at :30), passing over the slots
    // gone by: Altinn 10:30; Borger.dk's slots (17:30 … 21:30 Friday, then the windows' own
    // times) reach Monday 08:00, 09:00, 10:00 — the last one now — so the next is 11:00.
    for (id, next) in [
        (&ids[1], at("2026-11-23T10:30+01:00")),
        (&ids[3], at("2026-11-23T11:00+01:00")),
    ] {
        let status: Vec<_> = h
            .jobs_of(id)
            .await
            .into_iter()
            .filter(|j| j.group == Group::Status)
            .collect();
        assert_eq!(status.len(), 2, "{status:#?}");
        assert_eq!(status[0].state, JobState::Done);
        assert_eq!(status[1].state, JobState::Pending);
        assert_eq!(status[1].due_at, next, "{}", status[1].key);
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
            .id()
            .clone();
        // The opening's announcement (due 16:30) goes first; then the warning is the only
        // job due at 16:45.
        assert_eq!(h.tick().await.ran, 1);
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
        // The post goes out, then the runner "crashes" before its commit.
        chat.lose_next_reply();
        let err = h
            .service()
            .handle_job(job, "runner-a", now)
            .await
            .expect_err("the runner never commits");
        assert!(err.to_string().contains("crashed"), "{err}");
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
    assert!(
        matches!(
            posted[0].message.notice,
            Notice::Warning {
                milestone: Milestone::Response,
                percent: 50,
                ..
            }
        ),
        "{:?}",
        posted[0].message.notice
    );
    assert_eq!(posted[0].message.late_since, None, "A posted it on time");
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

    // Nothing more until the next due job (the 90 % warning at 16:57; 75 % collapsed into 50 %).
    let r = h.tick().await;
    assert_eq!(r.ran, 0);
    h.advance("2026-11-20T16:58+01:00").await;
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
        // The opening's announcement (due 16:30) goes first, so that A claims only the warning.
        assert_eq!(h.tick().await.ran, 1);
        let now = at("2026-11-20T16:45+01:00");
        let claimed = h
            .store()
            .claim(now, "runner-a", now + chrono::Duration::seconds(60), 10)
            .await
            .expect("claim");
        assert_eq!(claimed.len(), 1);
        assert_eq!(claimed[0].key, "SSB-2026-0001/g0/response/warn50");
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
    let posted = chat.posted();
    assert_eq!(posted.len(), 1);
    assert_eq!(
        posted[0].message.late_since,
        Some(at("2026-11-20T16:45+01:00")),
        "the message says it is late"
    );
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

const WEEKLY: &str = r#"
[[agreements.ssbtek.recurring]]
name = "weekly"
cron = "0 9 * * MON"
what = "Weekly status meeting"
"#;

/// A weekly recurring job (Monday 09:00) missed three times while vakt was down from Friday
/// 20 November to Friday 11 December runs once on restart: missed by more than its own period
/// (the run after Mon 23 November, Mon 30 November, had passed too), it is skipped
/// (`skipped:missed_period`) rather than posted on a Friday, and its next run is planned after
/// now (Monday 14 December). Scheduling the recurring jobs again at start (as the console does)
/// adds nothing.
#[tokio::test]
async fn a_recurring_job_missed_many_times_runs_once() {
    let config = WEEKLY;
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
    assert!(h.chat.take_all().is_empty(), "nothing posted on the wrong day");
    let jobs = h.jobs().await;
    let states: Vec<(JobState, bool, chrono::DateTime<chrono::Utc>, Option<&str>)> = jobs
        .iter()
        .map(|j| (j.state, j.late, j.due_at, j.outcome.as_deref()))
        .collect();
    assert_eq!(
        states,
        vec![
            (
                JobState::Done,
                true,
                at("2026-11-23T09:00+01:00"),
                Some("skipped:missed_period")
            ),
            (JobState::Pending, false, at("2026-12-14T09:00+01:00"), None),
        ]
    );
    assert_eq!(h.tick().await.ran, 0);
}

/// The same weekly job missed once, by less than its period: vakt down from Friday 20
/// November to Tuesday 24 November 12:00 (27 h after Monday 09:00, well inside the week). On
/// restart it is posted once, late, saying since when; the next run is the coming Monday,
/// 30 November 09:00.
#[tokio::test]
async fn a_recurring_job_missed_by_less_than_its_period_is_posted_late() {
    let db = TempDb::new();
    {
        let h = Harness::open(
            &db,
            Options {
                config: Some(WEEKLY),
                ..Options::at(at("2026-11-20T12:00+01:00"))
            },
        )
        .await;
        h.service().schedule_recurring().await.expect("schedule");
        h.sqlite.close().await;
    }
    let h = Harness::open(
        &db,
        Options {
            config: Some(WEEKLY),
            runner: "runner-2",
            ..Options::at(at("2026-11-24T12:00+01:00"))
        },
    )
    .await;
    h.service().schedule_recurring().await.expect("schedule at start");
    let r = h.tick().await;
    assert_eq!(r.ran, 1, "{r:#?}");
    let posted = h.chat.take();
    assert_eq!(posted.len(), 1);
    assert_eq!(
        posted[0].message.notice,
        Notice::Recurring {
            agreement: "ssbtek".into(),
            name: "weekly".into(),
            what: "Weekly status meeting".into(),
        }
    );
    assert_eq!(posted[0].message.late_since, Some(at("2026-11-23T09:00+01:00")));
    assert_eq!(
        text(&h, &posted[0]),
        "🗓 Weekly status meeting (late: was due 2026-11-23 09:00)"
    );
    let jobs = h.jobs().await;
    let states: Vec<(JobState, bool, chrono::DateTime<chrono::Utc>, Option<&str>)> = jobs
        .iter()
        .map(|j| (j.state, j.late, j.due_at, j.outcome.as_deref()))
        .collect();
    assert_eq!(
        states,
        vec![
            (JobState::Done, true, at("2026-11-23T09:00+01:00"), Some("posted")),
            (JobState::Pending, false, at("2026-11-30T09:00+01:00"), None),
        ]
    );
    assert_eq!(h.tick().await.ran, 0);
}

/// A runner that stalled past its lease (runner A) finds, when it wakes, that runner B took
/// the job over and ran it: A neither posts nor commits, and its tick goes on.
#[tokio::test]
async fn a_stalled_runner_that_lost_its_lease_neither_posts_nor_commits() {
    let db = TempDb::new();
    let start = at("2026-11-20T16:30:00+01:00");
    let a = Harness::open(&db, Options::at(start)).await;
    a.service()
        .open(&responder(), "ssbtek", "SHS down", "", facts("1"))
        .await
        .expect("open");
    a.tick().await;
    a.chat.take_all();
    // A claims the 50 % warning (16:45) and stalls.
    let warn_at = at("2026-11-20T16:45:00+01:00");
    a.set_clock(warn_at);
    let claimed = a
        .store()
        .claim(warn_at, "runner-a", warn_at + chrono::Duration::seconds(60), 1)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    let job = claimed[0].clone();
    assert_eq!(job.kind, JobKind::Warning);
    // Its lease expires; B requeues, claims and runs it.
    let b = Harness::open(
        &db,
        Options {
            runner: "runner-b",
            chat: Some(a.chat.clone()),
            ..Options::at(warn_at + chrono::Duration::minutes(2))
        },
    )
    .await;
    b.tick().await;
    assert_eq!(b.chat.take().len(), 1, "B posted the warning once");
    // A wakes and runs the job it claimed: refused before posting.
    let err = a
        .service()
        .handle_job(&job, "runner-a", warn_at + chrono::Duration::minutes(3))
        .await
        .expect_err("A lost its lease");
    assert!(
        matches!(
            err,
            vakt::service::ServiceError::Failed(vakt::service::Failure::Store(StoreError::LeaseLost(_)))
        ),
        "{err}"
    );
    assert!(a.chat.take().is_empty(), "A posted nothing");
    let stored = b.jobs().await.into_iter().find(|j| j.id == job.id).expect("job");
    assert_eq!(stored.state, JobState::Done);
    assert_eq!(stored.lease_owner.as_deref(), Some("runner-b"));
    let warnings = b
        .events(&job.incident.clone().expect("incident"))
        .await
        .into_iter()
        .filter(|e| matches!(e, Event::WarningSent { .. }))
        .count();
    assert_eq!(warnings, 1, "one timeline effect");
}
