//! Issue 18, part 5: follow-ups announced their lead time before they fall due and again at
//! their deadline, marked done by a responder (not announced again), and counted done on
//! time, late or waived in the weekly and monthly reports. End to end over the real service,
//! scheduler and SQLite store on the fake clock.

use crate::common;

use chrono::{DateTime, Utc};
use common::{Harness, at, facts, manager, responder};
use std::collections::HashMap;
use vakt::domain::incident::{Event, Resolution};
use vakt::domain::report::{self, FollowUpFigures, FollowUpSettled, IsoWeekSpec, MonthSpec};
use vakt::service::ServiceError;
use vakt::service::ports::Notice;

/// An Altinn A opened Monday 13:00 and resolved at 14:30: its feedback to the reporter
/// (2.9.5) falls due an hour later, 15:30, and is announced a quarter of that hour ahead,
/// 15:15.
async fn altinn_a_resolved_at_1430() -> (Harness, String) {
    let h = Harness::start("2026-11-23T13:00:00+01:00").await;
    let s = h.service();
    let id = s
        .open(&responder(), "altinn", "Login down", "", facts("unavailable"))
        .await
        .expect("open")
        .id()
        .to_string();
    h.advance("2026-11-23T14:30:00+01:00").await;
    s.resolve(&responder(), &id, Resolution::Fix, None)
        .await
        .expect("resolve");
    h.chat.take();
    (h, id)
}

/// The follow-up notices posted since the last take: when, which, and the due time the
/// announcement ahead names (none: due now).
fn follow_up_posts(h: &Harness) -> Vec<(DateTime<Utc>, String, Option<DateTime<Utc>>)> {
    h.chat
        .take()
        .into_iter()
        .filter_map(|p| match p.message.notice {
            Notice::FollowUp { id, due, .. } => Some((p.at, id, due)),
            _ => None,
        })
        .collect()
}

/// The week 2026-W48 report of Altinn with incident `id`: each follow-up and how it was
/// settled.
async fn weekly_settled(h: &Harness, id: &str) -> Vec<(String, Option<FollowUpSettled>)> {
    let inc = h.incident(id).await;
    let cat = common::catalog();
    let a = cat.get("altinn").expect("altinn");
    let timelines = HashMap::from([(inc.id().clone(), h.timeline(id).await)]);
    let w = report::weekly(
        a,
        &[inc],
        &timelines,
        &[],
        IsoWeekSpec::parse("2026-W48").expect("week"),
        h.now(),
    )
    .expect("weekly");
    let md = vakt::render::report::weekly_markdown(&w, Some(a), vakt::render::Locale::En);
    assert!(md.contains("Follow-ups due this week"), "{md}");
    w.follow_ups.iter().map(|f| (f.follow_up.clone(), f.settled)).collect()
}

/// The November 2026 report of Altinn with incident `id`: its follow-up figures.
async fn monthly_follow_ups(h: &Harness, id: &str) -> FollowUpFigures {
    let inc = h.incident(id).await;
    let cat = common::catalog();
    let a = cat.get("altinn").expect("altinn");
    let m = report::monthly(a, &[inc], MonthSpec::parse("2026-11").expect("month"), h.now()).expect("monthly");
    let json = serde_json::to_value(&m).expect("json");
    assert!(json["figures"]["follow_ups"].is_object(), "{json}");
    m.figures.follow_ups
}

#[tokio::test]
async fn announced_ahead_then_due_and_done_on_time_is_not_announced_again() {
    let (h, id) = altinn_a_resolved_at_1430().await;
    let due = at("2026-11-23T15:30:00+01:00");
    h.advance("2026-11-23T15:20:00+01:00").await;
    assert_eq!(
        follow_up_posts(&h),
        vec![(at("2026-11-23T15:15:00+01:00"), "feedback".to_string(), Some(due))]
    );
    h.service()
        .complete_follow_up(&responder(), &id, "feedback")
        .await
        .expect("done");
    let done: Vec<_> = h
        .timeline(&id)
        .await
        .into_iter()
        .filter(|e| matches!(&e.event, Event::FollowUpDone { id } if id == "feedback"))
        .map(|e| (e.at, e.actor))
        .collect();
    assert_eq!(
        done,
        vec![(at("2026-11-23T15:20:00+01:00"), responder().id.to_string())]
    );
    h.advance("2026-11-23T17:00:00+01:00").await;
    assert!(
        follow_up_posts(&h).is_empty(),
        "a done follow-up is not announced again"
    );
    assert_eq!(
        weekly_settled(&h, &id).await,
        vec![("feedback".to_string(), Some(FollowUpSettled::OnTime))]
    );
    assert_eq!(
        monthly_follow_ups(&h, &id).await,
        FollowUpFigures {
            done_on_time: 1,
            ..FollowUpFigures::default()
        }
    );
}

#[tokio::test]
async fn overdue_at_the_deadline_and_done_late() {
    let (h, id) = altinn_a_resolved_at_1430().await;
    h.advance("2026-11-23T16:00:00+01:00").await;
    let due = at("2026-11-23T15:30:00+01:00");
    assert_eq!(
        follow_up_posts(&h),
        vec![
            (at("2026-11-23T15:15:00+01:00"), "feedback".to_string(), Some(due)),
            (due, "feedback".to_string(), None),
        ]
    );
    assert_eq!(weekly_settled(&h, &id).await, vec![("feedback".to_string(), None)]);
    h.service()
        .complete_follow_up(&responder(), &id, "feedback")
        .await
        .expect("done");
    assert_eq!(
        weekly_settled(&h, &id).await,
        vec![("feedback".to_string(), Some(FollowUpSettled::Late))]
    );
    assert_eq!(
        monthly_follow_ups(&h, &id).await,
        FollowUpFigures {
            done_late: 1,
            ..FollowUpFigures::default()
        }
    );
}

#[tokio::test]
async fn done_refused_for_unknown_waived_or_done_follow_ups_changing_nothing() {
    let (h, id) = altinn_a_resolved_at_1430().await;
    let s = h.service();
    let before = h.incident(&id).await.version();
    let unknown = s.complete_follow_up(&responder(), &id, "eta").await;
    assert!(matches!(unknown, Err(ServiceError::User(_))), "{unknown:?}");
    assert_eq!(h.incident(&id).await.version(), before);

    s.waive_follow_up(&manager(), &id, "feedback", "told the reporter by phone")
        .await
        .expect("waive");
    let waived = h.incident(&id).await.version();
    let refused = s.complete_follow_up(&responder(), &id, "feedback").await;
    assert!(matches!(refused, Err(ServiceError::User(_))), "{refused:?}");
    assert_eq!(h.incident(&id).await.version(), waived);
    h.advance("2026-11-23T16:00:00+01:00").await;
    assert!(follow_up_posts(&h).is_empty(), "a waived follow-up is not announced");
    assert_eq!(
        weekly_settled(&h, &id).await,
        vec![("feedback".to_string(), Some(FollowUpSettled::Waived))]
    );
    assert_eq!(
        monthly_follow_ups(&h, &id).await,
        FollowUpFigures {
            waived: 1,
            ..FollowUpFigures::default()
        }
    );

    // Done twice: the second is refused.
    let (h, id) = altinn_a_resolved_at_1430().await;
    let s = h.service();
    s.complete_follow_up(&responder(), &id, "feedback").await.expect("done");
    let done = h.incident(&id).await.version();
    assert!(s.complete_follow_up(&responder(), &id, "feedback").await.is_err());
    assert_eq!(h.incident(&id).await.version(), done);
}

/// A replan between the announcement ahead and the deadline (the resolved Altinn A overridden
/// to B and back at 15:20 plans its follow-ups again, the announcement ahead already past)
/// does not post the announcement a second time; the one at the deadline comes once.
#[tokio::test]
async fn a_replan_between_the_announcement_and_the_deadline_does_not_repeat_it() {
    let (h, id) = altinn_a_resolved_at_1430().await;
    let due = at("2026-11-23T15:30:00+01:00");
    h.advance("2026-11-23T15:20:00+01:00").await;
    assert_eq!(
        follow_up_posts(&h),
        vec![(at("2026-11-23T15:15:00+01:00"), "feedback".to_string(), Some(due))]
    );
    let s = h.service();
    s.override_priority(&manager(), &id, "B", "Only slow, not down")
        .await
        .expect("override");
    s.override_priority(&manager(), &id, "A", "It was down after all")
        .await
        .expect("override");
    h.advance("2026-11-23T17:00:00+01:00").await;
    let feedback: Vec<_> = follow_up_posts(&h)
        .into_iter()
        .filter(|(_, f, _)| f == "feedback")
        .collect();
    assert_eq!(feedback, vec![(due, "feedback".to_string(), None)]);
    let announced = h
        .timeline(&id)
        .await
        .into_iter()
        .filter(|e| matches!(&e.event, Event::FollowUpSoon { id, .. } if id == "feedback"))
        .count();
    assert_eq!(announced, 1);
}
