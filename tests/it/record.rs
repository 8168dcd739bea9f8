//! Issue 16, "the record": outcomes judged once and shown with what they were judged
//! against, follow-ups owed after a close (and waived by a manager), list lines that tell a
//! missed target from a breach running now. End to end over the real service, scheduler and
//! SQLite store on a fake clock; report figures computed by hand in the comments.

use crate::common;

use common::{Harness, at, facts, manager, responder};
use std::collections::HashMap;
use vakt::domain::incident::{Event, Milestone, Outcome};
use vakt::domain::report::{self, IsoWeekSpec, MonthSpec};
use vakt::service::ports::Notice;
use vakt::service::{ListScope, ServiceError, UserError};

/// Item 1. Inera, opened Monday 2026-11-23 09:00 as `partly_usable` (2 Hög: response 1 h →
/// 10:00, resolution 4 h → 13:00, around the clock), acknowledged 10:15 (15 min late), then
/// raised to 1 Kritisk (response 30 min → 09:30): the response still shows 10:00 under 2,
/// late by 15 min; the resolution (pending) shows the 1 deadline, 13:00.
#[tokio::test]
async fn a_settled_milestone_keeps_its_deadline_and_priority_after_a_raise() {
    let h = Harness::start("2026-11-23T09:00:00+01:00").await;
    let s = h.service();
    let id = s
        .open(&responder(), "inera", "Journalen slow", "", facts("partly_usable"))
        .await
        .expect("open")
        .id()
        .to_string();
    h.advance("2026-11-23T10:15:00+01:00").await;
    s.acknowledge(&responder(), &id).await.expect("ack");
    h.advance("2026-11-23T10:30:00+01:00").await;
    s.reclassify(&responder(), &id, &common::every_fact(facts("unusable")), None)
        .await
        .expect("raise");
    let v = s.show(&id).await.expect("show");
    assert_eq!(v.summary.priority.as_str(), "1");
    let r = v.summary.response.as_ref().expect("response");
    assert_eq!(
        r.due,
        at("2026-11-23T10:00:00+01:00"),
        "the deadline it was judged against"
    );
    assert_eq!(r.under.as_ref().map(|p| p.as_str()), Some("2"));
    assert_eq!(r.under_name, "Hög");
    assert_eq!(r.business_late, Some(15 * 60));
    let x = v.summary.resolution.as_ref().expect("resolution");
    assert_eq!(x.due, at("2026-11-23T13:00:00+01:00"));
    assert_eq!(
        x.under, None,
        "a pending milestone is judged under the priority in force"
    );

    // Resolved 13:30 (30 min late under 1). The month's report: the response counts outside
    // target under 2 (1 of 1: 0 %), the resolution outside under 1; the response's breach
    // row says 2 and 10:00, late 15 min; the resolution's says 1 and 13:00, late 30 min.
    h.advance("2026-11-23T13:30:00+01:00").await;
    s.resolve(&responder(), &id, vakt::domain::incident::Resolution::Fix, None)
        .await
        .expect("resolve");
    let inc = h.incident(&id).await;
    let cat = common::catalog();
    let a = cat.get("inera").expect("inera");
    let m = report::monthly(a, &[inc], MonthSpec::parse("2026-11").expect("month"), h.now()).expect("report");
    let f = &m.figures;
    let p1 = f.priority("1").expect("1");
    let p2 = f.priority("2").expect("2");
    assert_eq!((p2.response.within.len(), p2.response.outside.len()), (0, 1));
    assert_eq!((p1.response.within.len(), p1.response.outside.len()), (0, 0));
    assert_eq!((p1.resolution.within.len(), p1.resolution.outside.len()), (0, 1));
    assert_eq!((p2.resolution.within.len(), p2.resolution.outside.len()), (0, 0));
    let rows: Vec<_> = f
        .breaches
        .iter()
        .map(|b| (b.priority.as_str(), b.milestone, b.due, b.late_business))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("2", Milestone::Response, at("2026-11-23T10:00:00+01:00"), 15 * 60),
            ("1", Milestone::Resolution, at("2026-11-23T13:00:00+01:00"), 30 * 60),
        ]
    );
}

/// Item 1, lowered: acknowledged late as 2, then lowered to 3 Medel (response 2 h of office
/// hours → 11:00): the response stays late against 10:00 under 2.
#[tokio::test]
async fn a_settled_milestone_keeps_its_deadline_after_a_lowering() {
    let h = Harness::start("2026-11-23T09:00:00+01:00").await;
    let s = h.service();
    let id = s
        .open(&responder(), "inera", "Journalen slow", "", facts("partly_usable"))
        .await
        .expect("open")
        .id()
        .to_string();
    h.advance("2026-11-23T10:15:00+01:00").await;
    s.acknowledge(&responder(), &id).await.expect("ack");
    s.reclassify(
        &manager(),
        &id,
        &common::every_fact(facts("few_users")),
        Some("users were few"),
    )
    .await
    .expect("lower");
    let v = s.show(&id).await.expect("show");
    let r = v.summary.response.as_ref().expect("response");
    assert_eq!(
        r.outcome,
        Outcome::MetLate {
            at: at("2026-11-23T10:15:00+01:00"),
            due: at("2026-11-23T10:00:00+01:00")
        }
    );
    assert_eq!(
        (r.due, r.under.as_ref().map(|p| p.as_str())),
        (at("2026-11-23T10:00:00+01:00"), Some("2"))
    );
}

/// Item 5. An incident that only met its response late, with its resolution still ahead,
/// is not breaching now: its list line flags a missed target and the time left.
#[tokio::test]
async fn a_late_response_is_missed_not_breaching_now() {
    let h = Harness::start("2026-11-23T09:00:00+01:00").await;
    let s = h.service();
    let id = s
        .open(&responder(), "inera", "Journalen slow", "", facts("partly_usable"))
        .await
        .expect("open")
        .id()
        .to_string();
    h.advance("2026-11-23T10:15:00+01:00").await;
    s.acknowledge(&responder(), &id).await.expect("ack");
    let listed = s.list(Some("inera"), ListScope::Active).await.expect("list");
    let style = vakt::console::render::style(chrono_tz::Europe::Stockholm);
    let line = vakt::render::incident::list_line(&listed[0], &style);
    assert!(!line.contains("breaching now"), "{line}");
    assert!(line.contains("missed"), "{line}");
    // Resolution due 13:00: 2h 45m left.
    assert!(line.contains("2h 45m"), "{line}");
    // Past 13:00 unresolved: breaching now.
    h.advance("2026-11-23T13:05:00+01:00").await;
    let listed = s.list(Some("inera"), ListScope::Active).await.expect("list");
    let line = vakt::render::incident::list_line(&listed[0], &style);
    assert!(line.contains("breaching now"), "{line}");
}

/// An Altinn A opened Monday 13:00, resolved and closed at 14:30 (its feedback to the
/// reporter owed at 15:30).
async fn altinn_a_closed_at_1430() -> (Harness, String) {
    let h = Harness::start("2026-11-23T13:00:00+01:00").await;
    let s = h.service();
    let id = s
        .open(&responder(), "altinn", "Login down", "", facts("unavailable"))
        .await
        .expect("open")
        .id()
        .to_string();
    h.advance("2026-11-23T14:30:00+01:00").await;
    s.resolve(&responder(), &id, vakt::domain::incident::Resolution::Fix, None)
        .await
        .expect("resolve");
    s.close(&manager(), &id).await.expect("close");
    (h, id)
}

/// Item 3. Altinn A (resolution 5 h on the platform, around the clock), resolved and
/// closed at 14:30: the feedback to the reporter (1 h after the resolution, 2.9.5) still
/// posts at 15:30, and the weekly report lists it as posted.
#[tokio::test]
async fn closing_keeps_the_feedback_owed_to_the_reporter() {
    let (h, id) = altinn_a_closed_at_1430().await;
    h.chat.take();
    h.advance("2026-11-23T16:00:00+01:00").await;
    let follow_ups: Vec<_> = h
        .chat
        .take()
        .into_iter()
        .filter_map(|p| match p.message.notice {
            Notice::FollowUp { id, .. } => Some((p.at, id)),
            _ => None,
        })
        .collect();
    // Announced a quarter of its hour ahead, then due.
    assert_eq!(
        follow_ups,
        vec![
            (at("2026-11-23T15:15:00+01:00"), "feedback".to_string()),
            (at("2026-11-23T15:30:00+01:00"), "feedback".to_string())
        ]
    );
    let w = weekly(&h, &id).await;
    let items: Vec<_> = w
        .follow_ups
        .iter()
        .map(|f| (f.follow_up.as_str(), f.due, f.posted, f.waived))
        .collect();
    assert_eq!(items, vec![("feedback", at("2026-11-23T15:30:00+01:00"), true, false)]);
}

/// Item 3. A manager waives the feedback after the close, with a reason: it is not posted,
/// the timeline records the waiver, and the weekly report shows it waived. A responder may
/// not waive; an unknown follow-up is refused naming those owed; nothing changes then.
#[tokio::test]
async fn a_manager_may_waive_an_owed_follow_up() {
    let (h, id) = altinn_a_closed_at_1430().await;
    let s = h.service();
    let refused = s.waive_follow_up(&responder(), &id, "feedback", "told by phone").await;
    assert!(
        matches!(refused, Err(ServiceError::User(UserError::Forbidden { .. }))),
        "{refused:?}"
    );
    let unknown = s.waive_follow_up(&manager(), &id, "eta", "n/a").await;
    assert!(matches!(unknown, Err(ServiceError::User(_))), "{unknown:?}");
    let before = h.incident(&id).await.version();
    assert_eq!(h.incident(&id).await.version(), before);
    s.waive_follow_up(&manager(), &id, "feedback", "told the reporter by phone")
        .await
        .expect("waive");
    assert!(h.events(&id).await.iter().any(
        |e| matches!(e, Event::FollowUpWaived { id, reason } if id == "feedback" && reason == "told the reporter by phone")
    ));
    h.chat.take();
    h.advance("2026-11-23T16:00:00+01:00").await;
    assert!(
        !h.chat
            .take()
            .iter()
            .any(|p| matches!(p.message.notice, Notice::FollowUp { .. })),
        "a waived follow-up is not posted"
    );
    let w = weekly(&h, &id).await;
    let items: Vec<_> = w
        .follow_ups
        .iter()
        .map(|f| (f.follow_up.as_str(), f.posted, f.waived))
        .collect();
    assert_eq!(items, vec![("feedback", false, true)]);
}

/// The week 2026-W48 report of Altinn with incident `id`, as of now.
async fn weekly(h: &Harness, id: &str) -> report::WeeklyReport {
    let inc = h.incident(id).await;
    let cat = common::catalog();
    let a = cat.get("altinn").expect("altinn");
    let timelines = HashMap::from([(inc.id().clone(), h.timeline(id).await)]);
    report::weekly(
        a,
        &[inc],
        &timelines,
        &[],
        IsoWeekSpec::parse("2026-W48").expect("week"),
        h.now(),
    )
    .expect("weekly")
}

/// Item 7. At the deadline minute no business time is left: the deadline reads "breached",
/// never "0m business time left".
#[tokio::test]
async fn at_the_deadline_it_is_breached_not_zero_left() {
    let h = Harness::start("2026-11-23T09:00:00+01:00").await;
    let s = h.service();
    let id = s
        .open(&responder(), "inera", "Journalen slow", "", facts("partly_usable"))
        .await
        .expect("open")
        .id()
        .to_string();
    h.set_clock(at("2026-11-23T10:00:00+01:00"));
    let v = s.show(&id).await.expect("show");
    let r = v.summary.response.as_ref().expect("response");
    assert!(r.business_left.is_some_and(|l| l < 0), "{r:?}");
    let style = vakt::console::render::style(chrono_tz::Europe::Stockholm);
    let text = vakt::render::incident::deadline(r, &style);
    assert!(!text.contains("0m business time left"), "{text}");
    assert!(text.contains("breached"), "{text}");
}

/// Item 7. One way to name a ladder level: the timeline names the body (as the notices do),
/// not the ladder role id, for a manual and an automatic escalation alike; a status post
/// with a reminder does not claim a lead was reminded.
#[test]
fn the_timeline_names_ladder_levels_by_their_body() {
    use vakt::domain::incident::TimelineEntry;
    let cat = common::catalog();
    let a = cat.get("borger-dk").expect("borger-dk");
    let style = vakt::console::render::style(chrono_tz::Europe::Copenhagen);
    let level = &a.escalation.levels[1];
    for manual in [true, false] {
        let e = TimelineEntry {
            at: at("2026-11-23T13:30:00+01:00"),
            actor: "vakt".into(),
            event: Event::Escalated {
                milestone: (!manual).then_some(Milestone::Resolution),
                level: 2,
                role: level.role.clone(),
                manual,
                reason: manual.then(|| "no answer".to_string()),
            },
        };
        let text = vakt::render::timeline::event(&e, Some(a), &style);
        assert!(text.contains(&level.name), "{text}");
        assert!(!text.contains(&level.role), "{text}");
    }
    let status = TimelineEntry {
        at: at("2026-11-23T13:30:00+01:00"),
        actor: "vakt".into(),
        event: Event::StatusPosted {
            seq: 1,
            reminded_lead: true,
        },
    };
    let text = vakt::render::timeline::event(&status, Some(a), &style);
    assert!(!text.contains("lead reminded"), "{text}");
}
