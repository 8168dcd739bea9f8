//! The responder's day, end to end on a fake clock: handing over the lead (warnings and
//! status reminders follow it), re-paging an unacknowledged incident until someone answers,
//! editing and linking incidents. Assertions match typed notices, mentions and timeline
//! events, not wording.

use crate::common;

use common::{Harness, Posted, facts, manager, responder};
use vakt::domain::ids::UserId;
use vakt::domain::incident::{Event, IncidentError};
use vakt::service::ports::{Mention, Notice};
use vakt::service::{Actor, ServiceError, UserError};

fn olle() -> Actor {
    Actor::new("olle", vec!["responder".into()])
}

/// The mentions of each post of the kind `which` picks.
fn mentions_of(posted: &[Posted], which: fn(&Notice) -> bool) -> Vec<Vec<Mention>> {
    posted
        .iter()
        .filter(|p| which(&p.message.notice))
        .map(|p| p.message.mentions.clone())
        .collect()
}

/// Altinn A at 10:00 (resolution 5 h around the clock, hourly status): rita acknowledges and
/// hands the lead to olle; the resolution warnings and the status reminders then ping olle,
/// not rita. The hand-over is announced (pinging olle), shown on the incident and in the
/// timeline; olle taking it again, a closed incident and a member without a role are refused.
#[tokio::test]
async fn warnings_and_reminders_follow_the_new_lead() {
    let h = Harness::start("2026-11-23T10:00:00+01:00").await;
    let s = h.service();
    let inc = s
        .open(&responder(), "altinn", "Portal down", "", facts("unavailable"))
        .await
        .expect("open");
    let id = inc.id().to_string();
    s.acknowledge(&responder(), &id).await.expect("ack");
    assert_eq!(h.incident(&id).await.lead().map(UserId::as_str), Some("rita"));
    h.advance("2026-11-23T10:10:00+01:00").await;
    h.chat.take_all();

    let inc = s
        .set_lead(&responder(), &id, Some(&UserId::new("olle")))
        .await
        .expect("hand over");
    assert_eq!(inc.lead().map(UserId::as_str), Some("olle"));
    // Asking for the lead already in force changes nothing.
    assert!(matches!(
        s.set_lead(&olle(), &id, None).await,
        Err(ServiceError::User(UserError::Incident(IncidentError::Unchanged(_))))
    ));
    // Without a responder or manager role, nobody takes the lead.
    let nobody = Actor::new("nils", vec![]);
    assert!(matches!(
        s.set_lead(&nobody, &id, None).await,
        Err(ServiceError::User(UserError::Forbidden { .. }))
    ));
    let events = h.events(&id).await;
    assert!(events.contains(&Event::LeadChanged {
        from: Some("rita".into()),
        to: "olle".into()
    }));

    h.advance("2026-11-23T14:00:00+01:00").await;
    let posted = h.chat.take_all();
    // The hand-over itself, announced once, pinging the new lead.
    let handed = mentions_of(&posted, |n| matches!(n, Notice::LeadChanged { .. }));
    assert_eq!(handed, [vec![Mention::User("olle".into())]]);
    // Every warning since pings olle.
    let warnings = mentions_of(&posted, |n| matches!(n, Notice::Warning { .. }));
    assert!(!warnings.is_empty(), "the 50 % and 75 % warnings: {posted:?}");
    assert!(
        warnings.iter().all(|m| m == &[Mention::User("olle".into())]),
        "{warnings:?}"
    );
    // Status updates that remind someone remind olle.
    let reminders: Vec<Vec<Mention>> = mentions_of(&posted, |n| matches!(n, Notice::Status { .. }))
        .into_iter()
        .filter(|m| !m.is_empty())
        .collect();
    assert!(!reminders.is_empty(), "no human update since 10:00: {posted:?}");
    assert!(
        reminders.iter().all(|m| m == &[Mention::User("olle".into())]),
        "{reminders:?}"
    );

    // rita takes it back herself: announced without a ping.
    s.set_lead(&responder(), &id, None).await.expect("take back");
    h.advance("2026-11-23T14:01:00+01:00").await;
    let taken = mentions_of(&h.chat.take_all(), |n| matches!(n, Notice::LeadChanged { .. }));
    assert_eq!(taken, [Vec::<Mention>::new()]);

    s.resolve(&responder(), &id, vakt::domain::incident::Resolution::Fix, None)
        .await
        .expect("resolve");
    s.close(&manager(), &id).await.expect("close");
    assert!(matches!(
        s.set_lead(&olle(), &id, None).await,
        Err(ServiceError::User(UserError::Incident(
            IncidentError::IllegalTransition { .. }
        )))
    ));
}
