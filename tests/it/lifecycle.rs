//! SLA outcomes and lifecycle semantics, end to end on a fake clock: each reproduction from
//! the "SLA outcomes a manager can trust" issue as a scenario over the real service,
//! scheduler and SQLite store. Assertions match typed notices and recorded outcomes, not
//! wording.

use crate::common;

use common::{Harness, Posted, at, every_fact, facts, facts_users, manager, open_borger, responder};
use vakt::domain::incident::{IncidentError, Milestone, Outcome, Resolution};
use vakt::service::ports::{Mention, Notice};
use vakt::service::{ListScope, ServiceError, UserError};

fn breaches(posted: &[Posted]) -> Vec<(Option<Milestone>, u32, Vec<u32>)> {
    posted
        .iter()
        .filter_map(|p| match &p.message.notice {
            Notice::Escalated {
                milestone,
                level,
                passed,
                ..
            } => Some((*milestone, *level, passed.clone())),
            _ => None,
        })
        .collect()
}

fn kinds(posted: &[Posted]) -> Vec<&'static str> {
    posted
        .iter()
        .map(|p| match &p.message.notice {
            Notice::Opened { .. } => "opened",
            Notice::Acknowledged { .. } => "acknowledged",
            Notice::Updated { .. } => "updated",
            Notice::Warning { .. } => "warning",
            Notice::Escalated { .. } => "escalated",
            Notice::Status { .. } => "status",
            Notice::FollowUp { .. } => "follow_up",
            Notice::Notification { .. } => "notification",
            Notice::PriorityChanged { .. } => "priority_changed",
            Notice::Resolved { .. } => "resolved",
            Notice::Reopened { .. } => "reopened",
            Notice::Closed { .. } => "closed",
            Notice::Recurring { .. } => "recurring",
            Notice::Report { .. } => "report",
            Notice::MeetingReminder { .. } => "meeting_reminder",
            Notice::Maintenance { .. } => "maintenance",
            Notice::AgreementChanged { .. } => "agreement_changed",
            Notice::LeadChanged { .. } => "lead_changed",
            Notice::Repaged { .. } => "repaged",
            Notice::Edited { .. } => "edited",
            Notice::Snoozed { .. } => "snoozed",
            Notice::MarkedDuplicate { .. } => "marked_duplicate",
        })
        .collect()
}

/// 1. Inera Prio 1 opened Monday 10:00 (response 30 min around the clock), acknowledged
/// 10:45: the response is met late by 15 minutes, and the incident is in breach.
#[tokio::test]
async fn a_late_acknowledgement_is_met_late_not_met() {
    let h = Harness::start("2026-11-23T10:00:00+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "inera", "Journalen down", "", facts("unusable"))
        .await
        .expect("open");
    let id = inc.id().to_string();
    h.advance("2026-11-23T10:45:00+01:00").await;
    h.service().acknowledge(&responder(), &id).await.expect("ack");
    let v = h.service().show(&id).await.expect("show");
    let r = v.summary.response.as_ref().expect("response target");
    assert_eq!(
        r.outcome,
        Outcome::MetLate {
            at: at("2026-11-23T10:45:00+01:00"),
            due: at("2026-11-23T10:30:00+01:00")
        }
    );
    assert_eq!((r.wall_late, r.business_late), (Some(15 * 60), Some(15 * 60)));
    let listed = h
        .service()
        .list(Some("inera"), ListScope::Breaching)
        .await
        .expect("list");
    assert_eq!(listed.len(), 1, "a late response is a breach");
    // The resolution met late as well: recorded against its deadline, kept after closing.
    h.advance("2026-11-23T16:00:00+01:00").await;
    h.service()
        .resolve(&responder(), &id, Resolution::Fix, None)
        .await
        .expect("resolve");
    let v = h.service().show(&id).await.expect("show");
    assert!(matches!(
        v.summary.resolution.as_ref().map(|d| d.outcome),
        Some(Outcome::MetLate { .. })
    ));
}

/// 2. Borger.dk P2 opened Monday 09:00 (response 4 h, resolution 8 h of primary time
/// 08:30–16:30: due Monday 13:00 and Tuesday 09:00): vakt is down until Tuesday 10:00. On start it posts the response breach
/// once, at the ladder's top (levels 1 and 2 passed), and the resolution breach at the
/// current level — no stale pre-breach warnings, no burst of levels.
#[tokio::test]
async fn downtime_posts_what_a_person_wants_to_read_now() {
    let h = Harness::start("2026-11-23T09:00:00+01:00").await;
    let inc = open_borger(h.service()).await;
    assert_eq!(inc.priority(), "2");
    h.tick().await;
    h.chat.take_all();
    // Down from Monday 09:00 to Tuesday 10:00.
    h.set_clock(at("2026-11-24T10:00:00+01:00"));
    h.tick().await;
    let posted = h.chat.take();
    assert_eq!(kinds(&posted), ["escalated", "escalated"], "{posted:#?}");
    assert_eq!(
        breaches(&posted),
        [
            (Some(Milestone::Response), 3, vec![1, 2]),
            (Some(Milestone::Resolution), 3, vec![]),
        ]
    );
    assert!(posted.iter().all(|p| p.message.late_since.is_some()), "marked late");
    let jobs = h.jobs_of(inc.id()).await;
    let dropped = jobs
        .iter()
        .filter(|j| j.outcome.as_deref() == Some("skipped:overdue_already"))
        .count();
    // One warning per target was planned (each that posts plans the next): both lapsed.
    assert_eq!(dropped, 2, "the two pre-breach warnings are recorded as skipped");
    assert!(
        !jobs
            .iter()
            .any(|j| j.key.contains("/warn75") || j.key.contains("/warn90")),
        "a warning that lapsed plans none after it"
    );
}

/// 3. One ladder: two manual escalations reach level 2; the response breach then announces
/// at level 2 and climbs to 3; escalating past the top is refused; the resolution breach
/// after that announces at level 3.
#[tokio::test]
async fn one_escalation_level_shared_by_hand_and_breach() {
    let h = Harness::start("2026-11-23T09:00:00+01:00").await;
    let svc = h.service();
    let inc = open_borger(svc).await;
    let id = inc.id().to_string();
    svc.escalate(&responder(), &id, "customer calls").await.expect("1");
    svc.escalate(&responder(), &id, "press asks").await.expect("2");
    h.tick().await;
    h.chat.take_all();
    // The response breach at 13:00 (4 h of primary time 08:30–16:30 after 09:00), announced
    // at the level reached by hand; one business hour later, one level up.
    h.advance("2026-11-23T13:00:00+01:00").await;
    assert_eq!(breaches(&h.chat.take()), [(Some(Milestone::Response), 2, vec![])]);
    h.advance("2026-11-23T14:00:00+01:00").await;
    assert_eq!(breaches(&h.chat.take()), [(Some(Milestone::Response), 3, vec![])]);
    match svc.escalate(&responder(), &id, "more").await {
        Err(ServiceError::User(UserError::Incident(IncidentError::TopOfLadder { level: 3 }))) => {}
        other => panic!("escalating past the top: {other:?}"),
    }
    assert!(h.chat.take().is_empty(), "nobody pinged again");
    // The resolution breach Tuesday 09:00 (7 h 30 on Monday, 30 min on Tuesday).
    h.advance("2026-11-24T09:00:00+01:00").await;
    let posted: Vec<Posted> = h
        .chat
        .take()
        .into_iter()
        .filter(|p| matches!(p.message.notice, Notice::Escalated { .. }))
        .collect();
    assert_eq!(breaches(&posted), [(Some(Milestone::Resolution), 3, vec![])]);
    assert_eq!(
        posted[0].message.mentions,
        [Mention::Ladder {
            level: 3,
            role: "kontorchef_forretning".into()
        }]
    );
    assert_eq!(h.incident(&id).await.escalation_level(), 3);
}

/// 4. Priority changes keep what was recorded: lowering a breached P2 needs a manager; a
/// manager's change keeps the breach and the ladder level and is announced; a change to the
/// priority in force is refused; a downgrade pages nobody.
#[tokio::test]
async fn priority_changes_do_not_rewrite_history() {
    let h = Harness::start("2026-11-23T09:00:00+01:00").await;
    let svc = h.service();
    let inc = open_borger(svc).await;
    let id = inc.id().to_string();
    // Response due 13:00: level 1 then, 2 at 14:00, 3 at 15:00.
    h.advance("2026-11-23T15:00:00+01:00").await;
    assert_eq!(h.incident(&id).await.escalation_level(), 3);
    h.chat.take_all();
    match svc
        .reclassify(&responder(), &id, &every_fact(facts_users("users", 5.0)), None)
        .await
    {
        Err(ServiceError::User(UserError::Incident(IncidentError::NeedsManager { .. }))) => {}
        other => panic!("a responder lowering a breached incident: {other:?}"),
    }
    svc.reclassify(
        &manager(),
        &id,
        &every_fact(facts_users("users", 5.0)),
        Some("only one municipality"),
    )
    .await
    .expect("a manager may");
    h.tick().await;
    let stored = h.incident(&id).await;
    assert_eq!(stored.priority(), "4");
    assert_eq!(stored.escalation_level(), 3, "the ladder level stays");
    let v = svc.show(&id).await.expect("show");
    assert!(
        matches!(
            v.summary.response.as_ref().map(|d| d.outcome),
            Some(Outcome::Breached { due }) if due == at("2026-11-23T13:00:00+01:00")
        ),
        "the response breach stays recorded against its deadline: {:?}",
        v.summary.response
    );
    let posted = h.chat.take_all();
    assert!(
        posted.iter().any(|p| matches!(
            &p.message.notice,
            Notice::PriorityChanged { from, to, .. } if from == "2" && to == "4"
        )),
        "announced: {posted:#?}"
    );
    match svc.override_priority(&manager(), &id, "4", "same").await {
        Err(ServiceError::User(UserError::Incident(IncidentError::Unchanged(_)))) => {}
        other => panic!("a no-op override: {other:?}"),
    }

    // Altinn A → B: announced, but the A notification is not re-sent.
    let a = svc
        .open(&responder(), "altinn", "Portal down", "", facts("unavailable"))
        .await
        .expect("open");
    h.tick().await;
    h.chat.take_all();
    svc.override_priority(&manager(), a.id(), "B", "only one form")
        .await
        .expect("override");
    h.tick().await;
    assert_eq!(kinds(&h.chat.take_all()), ["priority_changed"]);
}

/// 5. Every change a person makes is posted to the incident channel, for every priority.
#[tokio::test]
async fn every_lifecycle_change_posts() {
    let h = Harness::start("2026-11-23T10:00:00+01:00").await;
    let svc = h.service();
    let inc = svc
        .open(&responder(), "ssbtek", "Slow search", "", facts("3"))
        .await
        .expect("open");
    let id = inc.id().to_string();
    h.tick().await;
    svc.acknowledge(&responder(), &id).await.expect("ack");
    h.tick().await;
    svc.add_update(&responder(), &id, "looking").await.expect("note");
    h.tick().await;
    svc.resolve(&responder(), &id, Resolution::Fix, Some("index rebuilt".into()))
        .await
        .expect("resolve");
    h.tick().await;
    svc.reopen(&responder(), &id, "slow again").await.expect("reopen");
    h.tick().await;
    svc.resolve(&responder(), &id, Resolution::Workaround, None)
        .await
        .expect("resolve");
    h.tick().await;
    svc.close(&manager(), &id).await.expect("close");
    h.tick().await;
    let posted = h.chat.take_all();
    assert_eq!(
        kinds(&posted),
        [
            "opened",
            "acknowledged",
            "updated",
            "resolved",
            "reopened",
            "resolved",
            "closed"
        ]
    );
    assert!(
        posted
            .iter()
            .all(|p| p.message.channel.kind == vakt::service::ports::ChannelKind::Incidents)
    );
    // The card and the conversation were stored at opening, so later posts go into it.
    let refs = h.store().chat_refs(inc.id()).await.expect("refs");
    assert!(refs.len() >= 2, "{refs:?}");
    assert!(posted[1..].iter().all(|p| p.message.conversation.is_some()));
}

/// 6. A status update names the last human update (here the acknowledgement) and does not
/// remind when one came since the previous status.
#[tokio::test]
async fn status_counts_from_the_last_human_update() {
    let h = Harness::start("2026-06-10T13:00:00+02:00").await;
    let svc = h.service();
    let inc = svc
        .open(&responder(), "altinn", "Portal down", "", facts("unavailable"))
        .await
        .expect("open");
    h.advance("2026-06-10T13:30:00+02:00").await;
    svc.acknowledge(&responder(), inc.id()).await.expect("ack");
    h.chat.take_all();
    h.advance("2026-06-10T14:00:00+02:00").await;
    let statuses: Vec<_> = h
        .chat
        .take()
        .into_iter()
        .filter_map(|p| match p.message.notice {
            Notice::Status { status, .. } => Some(status),
            _ => None,
        })
        .collect();
    assert_eq!(statuses.len(), 1);
    assert_eq!(statuses[0].since, at("2026-06-10T13:30:00+02:00"));
    assert!(!statuses[0].remind, "the acknowledgement is a human update");
}

/// Downtime on every agreement: the top priority opened, then vakt down for two days. On
/// start: no pre-breach warning, at most one breach post per milestone, at most one status
/// update and one re-page, everything marked late, and nothing left due.
#[tokio::test]
async fn downtime_catch_up_on_every_agreement() {
    // (agreement, impact, opened, expected posts on start, in order)
    let cases: [(&str, &str, &str, &[&str]); 5] = [
        ("ssbtek", "1", "2026-11-23T10:00:00+01:00", &["escalated", "escalated"]),
        (
            "borger-dk",
            "unavailable",
            "2026-11-23T10:00:00+01:00",
            &["escalated", "escalated", "follow_up", "repaged", "status"],
        ),
        (
            "inera",
            "unusable",
            "2026-11-23T10:00:00+01:00",
            &["escalated", "follow_up", "escalated"],
        ),
        // Altinn A has a resolution target only (5 h), and an hourly status around the clock.
        (
            "altinn",
            "unavailable",
            "2026-11-23T10:00:00+01:00",
            &["escalated", "repaged", "status"],
        ),
        // Difi A has no targets: no warnings, no breach, no cadence; one re-page, caught up.
        ("difi", "unavailable", "2026-11-23T10:00:00+01:00", &["repaged"]),
    ];
    for (agreement, impact, opened, want) in cases {
        let h = Harness::start(opened).await;
        let inc = h
            .service()
            .open(&responder(), agreement, "Down", "", facts(impact))
            .await
            .unwrap_or_else(|e| panic!("{agreement}: {e}"));
        h.tick().await;
        h.chat.take_all();
        h.set_clock(at(opened) + chrono::Duration::days(2));
        h.tick().await;
        let posted = h.chat.take();
        let mut got = kinds(&posted);
        let mut sorted_want = want.to_vec();
        got.sort();
        sorted_want.sort();
        assert_eq!(got, sorted_want, "{agreement}");
        assert!(
            posted.iter().all(|p| p.message.late_since.is_some()),
            "{agreement}: marked late"
        );
        let per_milestone = breaches(&posted);
        for m in [Milestone::Response, Milestone::Resolution] {
            assert!(
                per_milestone.iter().filter(|(x, ..)| *x == Some(m)).count() <= 1,
                "{agreement}: one breach post per milestone"
            );
        }
        let due_now = h
            .jobs_of(inc.id())
            .await
            .into_iter()
            .filter(|j| j.state == vakt::service::ports::JobState::Pending && j.due_at <= h.now())
            .count();
        assert_eq!(due_now, 0, "{agreement}: nothing left due");
    }
}

/// An agreement removed from the deployment: its incidents stay readable, listable and
/// closable; their jobs are cancelled (not retried six times); other agreements work on.
#[tokio::test]
async fn a_removed_agreement_leaves_its_incidents_readable_and_closable() {
    let db = common::TempDb::new();
    let start = at("2026-11-23T10:00:00+01:00");
    let id = {
        let h = Harness::open(&db, common::Options::at(start)).await;
        let inc = h
            .service()
            .open(&responder(), "altinn", "Portal down", "", facts("unavailable"))
            .await
            .expect("open");
        h.service()
            .open(&responder(), "ssbtek", "Slow", "", facts("3"))
            .await
            .expect("open");
        inc.id().to_string()
    };
    let h = Harness::open(
        &db,
        common::Options {
            without: &["altinn"],
            ..common::Options::at(start + chrono::Duration::minutes(5))
        },
    )
    .await;
    let reports = h.advance_to(start + chrono::Duration::hours(6)).await;
    assert!(reports.iter().all(|(_, r)| r.retried == 0 && r.failed == 0));
    let all = h
        .service()
        .list(None, ListScope::All)
        .await
        .expect("list all agreements");
    assert_eq!(all.len(), 2);
    let v = h.service().show(&id).await.expect("show");
    assert!(v.summary.agreement_removed);
    assert!(
        h.jobs_of(&id)
            .await
            .iter()
            .all(|j| j.state != vakt::service::ports::JobState::Pending),
        "its jobs are cancelled"
    );
    let closed = h.service().close(&manager(), &id).await.expect("close");
    assert_eq!(closed.state(), vakt::domain::incident::State::Closed);
}

/// A changed agreement file is adopted at start: Altinn A's resolution target changed from
/// 5 h to 10 h (24/7) and its ladder cut to two levels. The incident is replanned from its
/// original clock start, announced once, and its breach escalates on the new ladder.
#[tokio::test]
async fn a_changed_agreement_is_replanned_from_the_original_clock_start() {
    let db = common::TempDb::new();
    let start = at("2026-11-23T10:00:00+01:00");
    let id = {
        let h = Harness::open(&db, common::Options::at(start)).await;
        let inc = h
            .service()
            .open(&responder(), "altinn", "Portal down", "", facts("unavailable"))
            .await
            .expect("open");
        assert_eq!(inc.resolution_due(), Some(at("2026-11-23T15:00:00+01:00")));
        inc.id().to_string()
    };
    // The changed file, in a directory of its own.
    let dir = altinn_a_resolution_edited();
    let catalog = vakt::agreements::load_dir(dir.path()).expect("the changed agreements load");
    let a = catalog.get("altinn").expect("altinn");
    let stored = {
        let h = Harness::open(&db, common::Options::at(start + chrono::Duration::minutes(30))).await;
        h.incident(&id).await
    };
    assert!(stored.agreement_changed(a), "the fingerprint sees the change");
    // A restart on the changed files adopts them: replanned once, announced once.
    let h = Harness::open(
        &db,
        common::Options {
            dir: Some(dir.path()),
            ..common::Options::at(start + chrono::Duration::minutes(30))
        },
    )
    .await;
    assert_eq!(h.service().adopt_changed_agreements().await.expect("adopt"), 1);
    assert_eq!(h.service().adopt_changed_agreements().await.expect("again"), 0, "once");
    h.tick().await;
    let posted = h.chat.take_all();
    // (The opening's announcement and notification, never run before the restart, go too.)
    assert_eq!(kinds(&posted).iter().filter(|k| **k == "agreement_changed").count(), 1);
    let inc = h.incident(&id).await;
    assert_eq!(
        inc.resolution_due(),
        Some(at("2026-11-23T20:00:00+01:00")),
        "10 h from 10:00"
    );
    assert!(!inc.agreement_changed(a));
    // The old plan's breach at 15:00 is gone; the new one falls at 20:00.
    h.advance("2026-11-23T19:59:00+01:00").await;
    assert!(breaches(&h.chat.take()).is_empty());
    h.advance("2026-11-23T20:00:00+01:00").await;
    assert_eq!(breaches(&h.chat.take()).len(), 1);
}

/// Start-up adopts only what changed, found by fingerprint in the store's query: with Altinn
/// A's resolution target changed, an Altinn A incident is replanned; an Altinn B incident
/// (same agreement, its priority's plan unchanged) and an SSBTEK incident are not touched —
/// same version, jobs and timeline.
#[tokio::test]
async fn start_up_adopts_only_the_incidents_whose_plan_changed() {
    let db = common::TempDb::new();
    let start = at("2026-11-23T10:00:00+01:00");
    let (changed, same_agreement, other) = {
        let h = Harness::open(&db, common::Options::at(start)).await;
        let open = |agreement: &'static str, impact: &'static str| {
            let svc = h.service();
            async move {
                svc.open(&responder(), agreement, "Portal down", "", facts(impact))
                    .await
                    .expect("open")
                    .id()
                    .to_string()
            }
        };
        (
            open("altinn", "unavailable").await,
            open("altinn", "degraded").await,
            open("ssbtek", "1").await,
        )
    };
    let dir = altinn_a_resolution_edited();
    let h = Harness::open(
        &db,
        common::Options {
            dir: Some(dir.path()),
            ..common::Options::at(start + chrono::Duration::minutes(30))
        },
    )
    .await;
    let mut before = Vec::new();
    for id in [&changed, &same_agreement, &other] {
        before.push((h.incident(id).await, h.jobs_of(id).await, h.timeline(id).await));
    }
    assert_eq!(
        before[1].0.priority().as_str(),
        "B",
        "the second is of another priority"
    );
    assert_eq!(h.service().adopt_changed_agreements().await.expect("adopt"), 1);
    let adopted = h.incident(&changed).await;
    assert_eq!(adopted.version(), before[0].0.version() + 1, "replanned");
    assert_eq!(adopted.resolution_due(), Some(at("2026-11-23T20:00:00+01:00")));
    for (id, (inc, jobs, timeline)) in [&same_agreement, &other].into_iter().zip(&before[1..]) {
        assert_eq!(&h.incident(id).await, inc, "{id} not touched");
        assert_eq!(&h.jobs_of(id).await, jobs, "{id}: no job changed");
        assert_eq!(&h.timeline(id).await, timeline, "{id}: no timeline entry");
    }
    assert_eq!(h.service().adopt_changed_agreements().await.expect("again"), 0, "once");
    assert_eq!(h.incident(&changed).await.version(), adopted.version());
}

/// A fingerprint written by an earlier version (a `DefaultHasher` number) is re-written in
/// the current form at the next start when the agreement did not change: no replan, no new
/// job, no timeline entry, no post.
#[tokio::test]
async fn a_fingerprint_of_an_earlier_version_is_rewritten_at_start_without_a_replan() {
    use vakt::domain::incident::{Incident, PlanBasis, legacy_plan_basis};
    let db = common::TempDb::new();
    let start = at("2026-11-23T10:00:00+01:00");
    let id = {
        let h = Harness::open(&db, common::Options::at(start)).await;
        let inc = h
            .service()
            .open(&responder(), "altinn", "Portal down", "", facts("unavailable"))
            .await
            .expect("open");
        h.tick().await;
        assert!(!h.chat.take_all().is_empty(), "the opening is announced");
        // Stored as an earlier version stored it.
        let stored = h.incident(inc.id().as_str()).await;
        let a = vakt::agreements::load_dir(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("agreements")
                .as_path(),
        )
        .expect("agreements");
        let a = a.get("altinn").expect("altinn");
        let mut v = serde_json::to_value(&stored).expect("json");
        v["plan_basis"] = legacy_plan_basis(a, stored.priority().as_str()).into();
        let legacy: Incident = serde_json::from_value(v).expect("reads");
        h.store()
            .update_incident(&legacy, &Default::default())
            .await
            .expect("store");
        assert!(h.incident(inc.id().as_str()).await.plan_basis().is_legacy());
        inc.id().to_string()
    };
    let h = Harness::open(&db, common::Options::at(start + chrono::Duration::minutes(1))).await;
    let jobs = h.jobs_of(&id).await;
    let timeline = h.timeline(&id).await;
    let before = h.incident(&id).await;
    assert_eq!(
        h.service().adopt_changed_agreements().await.expect("adopt"),
        0,
        "no replan"
    );
    let after = h.incident(&id).await;
    let a = h.service().catalog().get("altinn").expect("altinn").clone();
    assert_eq!(after.plan_basis(), &PlanBasis::of(&a, after.priority().as_str()));
    assert!(!after.agreement_changed(&a));
    assert_eq!(after.plan_generation(), before.plan_generation());
    assert_eq!(
        (after.response_due(), after.resolution_due()),
        (before.response_due(), before.resolution_due())
    );
    assert_eq!(h.jobs_of(&id).await, jobs, "no new or cancelled jobs");
    assert_eq!(h.timeline(&id).await, timeline, "no timeline entry");
    h.tick().await;
    assert!(h.chat.take_all().is_empty(), "nothing posted");
    // Once: the next start finds it current.
    assert_eq!(h.service().adopt_changed_agreements().await.expect("again"), 0);
    assert_eq!(h.incident(&id).await.version(), after.version());
}

/// Retention: finished jobs of a closed incident go after the retention (90 days by
/// default); the timeline stays, and the jobs of an open incident stay.
#[tokio::test]
async fn finished_jobs_are_purged_after_the_retention_and_the_timeline_stays() {
    let h = Harness::start("2026-06-10T10:00:00+02:00").await;
    let svc = h.service();
    let closed = svc
        .open(&responder(), "altinn", "Portal down", "", facts("unavailable"))
        .await
        .expect("open");
    let open = svc
        .open(&responder(), "ssbtek", "Slow", "", facts("4"))
        .await
        .expect("open");
    h.advance("2026-06-10T11:00:00+02:00").await;
    svc.resolve(&responder(), closed.id(), Resolution::Fix, None)
        .await
        .expect("resolve");
    h.advance("2026-06-10T13:00:00+02:00").await;
    svc.close(&manager(), closed.id()).await.expect("close");
    h.tick().await;
    let before = h.timeline(closed.id()).await.len();
    assert!(!h.jobs_of(closed.id()).await.is_empty());
    let open_jobs = h.jobs_of(open.id()).await.len();
    h.set_clock(at("2026-09-10T13:00:00+02:00"));
    let purged = h.scheduler().purge_if_due(h.now()).await.expect("purge");
    assert!(purged > 0);
    assert!(
        h.jobs_of(closed.id()).await.is_empty(),
        "the closed incident's finished jobs went"
    );
    assert_eq!(
        h.timeline(closed.id()).await.len(),
        before,
        "the timeline is the audit record"
    );
    assert_eq!(
        h.jobs_of(open.id()).await.len(),
        open_jobs,
        "an open incident's jobs stay"
    );
    assert_eq!(
        h.scheduler().purge_if_due(h.now()).await.expect("again"),
        0,
        "at most hourly"
    );
}

/// A breach whose post fails for good does not end the climb: the next step is still planned
/// and announces the breach at its level (SSBTEK P1: response due Friday 17:00; level 2 one
/// business hour later, Monday 09:00).
#[tokio::test]
async fn a_failed_breach_post_does_not_end_the_climb() {
    let h = Harness::start("2026-11-20T16:30:00+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "ssbtek", "SHS down", "", facts("1"))
        .await
        .expect("open");
    let esc1 = h
        .jobs_of(inc.id())
        .await
        .into_iter()
        .find(|j| j.key.ends_with("/response/esc1"))
        .expect("the breach job");
    h.chat.fail_next(Some(esc1.id.to_string()), 100);
    h.advance_tolerant(at("2026-11-23T09:30:00+01:00")).await;
    let failed = h
        .jobs_of(inc.id())
        .await
        .into_iter()
        .find(|j| j.id == esc1.id)
        .expect("esc1");
    assert_eq!(failed.state, vakt::service::ports::JobState::Failed);
    let posted = h.chat.take();
    assert_eq!(
        breaches(&posted),
        [(Some(Milestone::Response), 2, vec![1])],
        "level 2 announces the breach, naming level 1 that never got through"
    );
}

/// Issue 16, item 2: a reclassification names the facts that change; the others keep their
/// value, so a Borger.dk security incident (priority 1) stays one when only its impact is
/// given, and lowering it takes a manager and a reason, recorded with the old and new facts.
#[tokio::test]
async fn reclassify_keeps_the_facts_it_does_not_name_and_guards_a_security_incident() {
    use vakt::domain::classify::{Fact, FactsChange};
    use vakt::domain::incident::Event;
    let h = Harness::start("2026-11-23T09:00:00+01:00").await;
    let svc = h.service();
    let security = vakt::domain::classify::Facts {
        security: true,
        ..facts_users("users", 30.0)
    };
    let inc = svc
        .open_on(
            &responder(),
            "borger-dk",
            "Data leak",
            "Records readable",
            security,
            Some("borger-dk"),
        )
        .await
        .expect("open");
    let id = inc.id().to_string();
    assert_eq!((inc.priority().as_str(), inc.service()), ("1", Some("borger-dk")));
    // Only the impact and share given (as issue 16 found, this used to drop the flag → 4).
    let share = FactsChange {
        impact: Some("users".into()),
        users_affected: Some(3.0),
        ..FactsChange::default()
    };
    let after = svc
        .reclassify(&responder(), &id, &share, None)
        .await
        .expect("reclassify");
    assert!(after.facts().security, "security kept");
    assert_eq!(after.priority(), "1");
    // Clearing the flag lowers it: refused for a responder and for a manager without a
    // reason, and neither changes anything.
    let clear = FactsChange {
        clear: vec![Fact::Security],
        ..FactsChange::default()
    };
    let version = h.incident(&id).await.version();
    for (who, reason) in [(responder(), Some("why")), (manager(), None)] {
        let err = svc.reclassify(&who, &id, &clear, reason).await.expect_err("refused");
        assert!(
            matches!(
                err,
                ServiceError::User(UserError::Incident(
                    IncidentError::SecurityNeedsManager { .. } | IncidentError::LoweringNeedsReason { .. }
                ))
            ),
            "{err:?}"
        );
        assert_eq!(h.incident(&id).await.version(), version, "nothing changed");
    }
    let lowered = svc
        .reclassify(&manager(), &id, &clear, Some("False alarm"))
        .await
        .expect("a manager with a reason");
    assert_eq!((lowered.priority().as_str(), lowered.facts().security), ("4", false));
    let changes: Vec<_> = svc
        .timeline(&id)
        .await
        .expect("timeline")
        .into_iter()
        .filter_map(|e| match e.event {
            Event::FactsChanged { facts, before, reason } => Some((before.map(|b| b.security), facts.security, reason)),
            _ => None,
        })
        .collect();
    assert_eq!(
        changes,
        [
            (Some(true), true, None),
            (Some(true), false, Some("False alarm".to_string()))
        ]
    );
}

/// A copy of the agreements in a directory of its own, with Altinn's A resolution target
/// changed from 5 h to 10 h.
fn altinn_a_resolution_edited() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    for e in std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("agreements")).expect("dir") {
        let e = e.expect("entry");
        if e.path().is_file() {
            std::fs::copy(e.path(), dir.path().join(e.file_name())).expect("copy");
        }
    }
    let path = dir.path().join("altinn.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    let edited = text.replacen("within = \"5h\"", "within = \"10h\"", 1);
    assert_ne!(edited, text, "the test edits the A resolution target");
    std::fs::write(&path, edited).expect("write");
    dir
}
