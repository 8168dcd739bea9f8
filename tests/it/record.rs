//! Issue 16, "the record": follow-ups owed after a close (and waived by a manager). End to
//! end over the real service, scheduler and SQLite store on a fake clock.

use crate::common;

use common::{Harness, at, facts, manager, responder};
use std::collections::HashMap;
use vakt::domain::incident::Event;
use vakt::domain::report::{self, IsoWeekSpec};
use vakt::service::ports::Notice;
use vakt::service::{ServiceError, UserError};

/// Item 3. Altinn A (resolution 5 h on the platform, around the clock), resolved and
/// closed at 14:30: the feedback to the reporter (1 h after the resolution, 2.9.5) still
/// posts at 15:30, and the weekly report lists it as posted.
#[tokio::test]
async fn closing_keeps_the_feedback_owed_to_the_reporter() {
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
    assert_eq!(
        follow_ups,
        vec![(at("2026-11-23T15:30:00+01:00"), "feedback".to_string())]
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
