//! End-to-end scheduler scenarios on a fake clock: what vakt posts, when (local time in the
//! agreement's zone), to which channel and whom it pings — from the shipped agreement files,
//! the default configuration (responders `responder`, managers `manager`, channels
//! `<id>-incidents/-status/-summary`, ladder roles pinged as chat roles of the same name) and
//! the planning rules of `src/domain/plan.rs`.
//!
//! Each posted message is rendered by the harness as
//! `<local time> #<channel> <mentions> <job key>` (see `tests/common/mod.rs`); the job key
//! names the incident, the plan generation and the slot (`…/g0/response/warn50`,
//! `…/g0/status3`, `…/g0/follow/eta`), so the lists below say exactly what was posted.
//!
//! All dates are in November 2026 unless stated: Fri 20, Sat 21, Sun 22, Mon 23, Tue 24.
//! Copenhagen, Oslo and Stockholm are all on CET (+01:00) then.

use crate::common;

use common::{Harness, at, every_fact, facts, facts_users, local, manager, responder, text};
use vakt::domain::classify::ChangeReason;
use vakt::domain::incident::{Event, IncidentError, Milestone, Resolution, State, StatusField};
use vakt::domain::plan::Group;
use vakt::service::notice::Notice;
use vakt::service::ports::{ChannelKind, ChatError, JobState, Mention};
use vakt::service::{Action, ServiceError, UserError};

fn lines(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// Borger.dk: running status for a major incident.

/// Borger.dk P1 (impact `users`, 30 % > 20 %) opened Friday 21:30 CET.
///
/// The status schedule `major_updates` is open Mon–Fri 08:00–22:00 and Sat–Sun 10:00–20:00,
/// windows half-open; outside them the next update is due at `next-day 08:00` — 08:00 on the
/// morning after the window closed, or the next opening if that comes first. Each next update
/// is one hour after the previous one's due time, then those rules:
///
/// - Fri 21:30 + 1h = 22:30 is closed (closed at 22:00) → Sat 08:00 (before Sat's 10:00
///   opening, so 08:00 wins) — not 22:30.
/// - Sat 08:00 + 1h = 09:00 is closed; the last close before it is Fri 22:00, but the update
///   itself was at Sat 08:00, so "the morning after" is Sun 08:00; the next opening Sat 10:00
///   comes first → Sat 10:00.
/// - Then hourly 11:00 … 19:00; 19:00 + 1h = 20:00 is the closing minute, outside the
///   half-open window → Sun 08:00 (before Sun's 10:00 opening), then Sun 10:00, 11:00, …
/// - Sunday ends the same way at 19:00 → Mon 08:00, then hourly to 21:00; 21:00 + 1h = 22:00
///   is exactly the weekday closing minute: outside → Tue 08:00.
///
/// Alongside: the agreement's immediate notification (first ladder level, `second_level`) at
/// opening, the `downtime_1h` follow-up one hour (24/7) after opening, and the milestone jobs
/// on the `primary` schedule (Mon–Fri 08:30–16:30): clocks start Monday 08:30, response 15 min
/// → 08:45, resolution 240 min → 12:30; warnings at 50/75/90 % of resolution, of response
/// only 50 % (75 and 90 % fall under the 10-minute floor); the breach at the deadline (level 1, nobody escalated before), each further level one business hour after the previous
/// one, planned when the previous one fires.
#[tokio::test]
async fn borger_dk_p1_status_updates_follow_the_windows() {
    // Re-paging and the quiet rule for unanswered reminders (tests/it/responder.rs) are off:
    // this is about the status windows.
    let h = Harness::with_config(
        "2026-11-20T21:30+01:00",
        "[agreements.borger-dk]\nquiet_after = 0\n\n[agreements.borger-dk.repaging.1]\nlimit = 0\n",
    )
    .await;
    let inc = h
        .service()
        .open(&responder(), "borger-dk", "Login down", "", facts_users("users", 30.0))
        .await
        .expect("open");
    assert_eq!(inc.id(), "BDK-2026-0001");
    assert_eq!(inc.priority(), "1");
    assert_eq!(inc.response_due(), Some(at("2026-11-23T08:45+01:00")));
    assert_eq!(inc.resolution_due(), Some(at("2026-11-23T12:30+01:00")));

    h.advance("2026-11-22T11:00+01:00").await;
    let st = "#borger-dk-status @responder BDK-2026-0001/g0/status";
    assert_eq!(
        h.take_lines().await,
        lines(&[
            "Fri 11-20 21:30:00 #borger-dk-incidents @second_level BDK-2026-0001/g0/notify0",
            "Fri 11-20 22:15:00 #borger-dk-incidents @responder BDK-2026-0001/g0/follow/downtime_1h/early",
            "Fri 11-20 22:30:00 #borger-dk-incidents @responder BDK-2026-0001/g0/follow/downtime_1h",
            &format!("Sat 11-21 08:00:00 {st}1"),
            &format!("Sat 11-21 10:00:00 {st}2"),
            &format!("Sat 11-21 11:00:00 {st}3"),
            &format!("Sat 11-21 12:00:00 {st}4"),
            &format!("Sat 11-21 13:00:00 {st}5"),
            &format!("Sat 11-21 14:00:00 {st}6"),
            &format!("Sat 11-21 15:00:00 {st}7"),
            &format!("Sat 11-21 16:00:00 {st}8"),
            &format!("Sat 11-21 17:00:00 {st}9"),
            &format!("Sat 11-21 18:00:00 {st}10"),
            &format!("Sat 11-21 19:00:00 {st}11"),
            &format!("Sun 11-22 08:00:00 {st}12"),
            &format!("Sun 11-22 10:00:00 {st}13"),
            &format!("Sun 11-22 11:00:00 {st}14"),
        ])
    );
    // The next one is planned for Sunday 12:00.
    let pending: Vec<_> = h
        .jobs_of(inc.id())
        .await
        .into_iter()
        .filter(|j| j.state == JobState::Pending && j.group == Group::Status)
        .collect();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].key, "BDK-2026-0001/g0/status15");
    assert_eq!(pending[0].due_at, at("2026-11-22T12:00+01:00"));

    // The text of a status update: deadlines and the reminder to the responders (no lead, no
    // human note yet).
    let tl = h.timeline(inc.id()).await;
    let posted = tl
        .iter()
        .filter(|e| matches!(e.event, Event::StatusPosted { .. }))
        .count();
    assert_eq!(posted, 14);

    // A responder acknowledges (becomes the lead) and writes a note: the next status (12:00)
    // has no reminder, but pings the lead for the notice's contents nobody gave (6: area,
    // affected, time horizon); the one after (13:00) had no human update since the 12:00
    // status and reminds the lead by name, counting from the note (11:40).
    h.advance("2026-11-22T11:30+01:00").await;
    h.service().acknowledge(&responder(), inc.id()).await.expect("ack");
    h.advance("2026-11-22T11:40+01:00").await;
    h.service()
        .add_update(&responder(), inc.id(), "Identity provider failing over")
        .await
        .expect("note");
    h.advance("2026-11-22T13:00+01:00").await;
    let posted = h.chat.take();
    assert_eq!(posted.len(), 2);
    assert_eq!(posted[0].message.channel.kind, ChannelKind::Status);
    assert_eq!(local(h.tz("borger-dk"), posted[0].at), "Sun 11-22 12:00:00");
    assert_eq!(
        posted[0].message.mentions,
        vec![Mention::User("rita".into())],
        "asked for the missing fields"
    );
    let Notice::Status { incident, status } = &posted[0].message.notice else {
        panic!("a status update: {:?}", posted[0].message.notice);
    };
    assert_eq!(
        (status.missing.as_slice(), status.missing_clause.as_str()),
        (
            &[StatusField::Area, StatusField::Affected, StatusField::Eta][..],
            "6, 11"
        )
    );
    assert_eq!(
        (status.seq, status.remind),
        (15, false),
        "acknowledged and noted: no reminder"
    );
    assert_eq!(incident.id, "BDK-2026-0001");
    assert_eq!(incident.state, State::Acknowledged);
    assert_eq!(incident.last_note.as_deref(), Some("Identity provider failing over"));
    let resolution = incident.deadline(Milestone::Resolution).expect("resolution deadline");
    assert_eq!(resolution.due, at("2026-11-23T12:30+01:00"));
    assert_eq!(resolution.business_left, Some(4 * 3600));
    let response = incident.deadline(Milestone::Response).expect("response deadline");
    assert_eq!(response.business_left, None, "response met");
    assert_eq!(posted[0].message.late_since, None);
    // Its wording, as the console renders it: deadlines left unmet and the latest note.
    assert_eq!(
        text(&h, &posted[0]),
        "📣 Status update 15 — BDK-2026-0001 [1] Login down is acknowledged\n\
         resolution: due Mon 2026-11-23 12:30 — 4h 00m business time left\n\
         Latest update: Identity provider failing over\n\
         📝 Still missing from this notice (clause 6, 11): which area is hit, who and how many are affected, \
         the time horizon (expected resolution) — rita, please give them with /incident update"
    );
    assert_eq!(local(h.tz("borger-dk"), posted[1].at), "Sun 11-22 13:00:00");
    assert_eq!(posted[1].message.mentions, vec![Mention::User("rita".into())]);
    let Notice::Status { incident, status } = &posted[1].message.notice else {
        panic!("a status update: {:?}", posted[1].message.notice);
    };
    assert_eq!(
        (status.seq, status.remind, status.since),
        (16, true, at("2026-11-22T11:40+01:00")),
        "no human update since the 12:00 status update; the last one was the 11:40 note"
    );
    assert_eq!(incident.lead.as_ref().map(|l| l.as_str()), Some("rita"));
    assert!(
        text(&h, &posted[1])
            .ends_with("Reminder: no update from a person since Sun 2026-11-22 11:40 — rita, please post one."),
        "{}",
        text(&h, &posted[1])
    );

    // Sunday closes at 20:00 like Saturday; Monday runs 08:00–22:00, and an update that would
    // fall exactly at 22:00 is outside the half-open window: the next is Tuesday 08:00. The
    // response jobs were cancelled by the acknowledgement; the resolution ones run on the
    // primary schedule (08:30 start + 240 min = 12:30; warnings at 10:30, 11:30, 12:06). The
    // resolution breach goes to level 1 (nobody escalated before) at 12:30, then one level per
    // business hour: level 2 at 13:30, level 3 (the ladder's top) at 14:30.
    h.advance("2026-11-24T08:00+01:00").await;
    let st = "#borger-dk-status @user:rita BDK-2026-0001/g0/status";
    assert_eq!(
        h.take_lines().await,
        lines(&[
            &format!("Sun 11-22 14:00:00 {st}17"),
            &format!("Sun 11-22 15:00:00 {st}18"),
            &format!("Sun 11-22 16:00:00 {st}19"),
            &format!("Sun 11-22 17:00:00 {st}20"),
            &format!("Sun 11-22 18:00:00 {st}21"),
            &format!("Sun 11-22 19:00:00 {st}22"),
            &format!("Mon 11-23 08:00:00 {st}23"),
            &format!("Mon 11-23 09:00:00 {st}24"),
            &format!("Mon 11-23 10:00:00 {st}25"),
            "Mon 11-23 10:30:00 #borger-dk-incidents @user:rita BDK-2026-0001/g0/resolution/warn50",
            &format!("Mon 11-23 11:00:00 {st}26"),
            "Mon 11-23 11:30:00 #borger-dk-incidents @user:rita BDK-2026-0001/g0/resolution/warn75",
            &format!("Mon 11-23 12:00:00 {st}27"),
            "Mon 11-23 12:06:00 #borger-dk-incidents @user:rita BDK-2026-0001/g0/resolution/warn90",
            "Mon 11-23 12:30:00 #borger-dk-incidents @second_level BDK-2026-0001/g0/resolution/esc1",
            &format!("Mon 11-23 13:00:00 {st}28"),
            "Mon 11-23 13:30:00 #borger-dk-incidents @kontorchef_drift BDK-2026-0001/g0/resolution/esc2",
            &format!("Mon 11-23 14:00:00 {st}29"),
            "Mon 11-23 14:30:00 #borger-dk-incidents @kontorchef_forretning BDK-2026-0001/g0/resolution/esc3",
            &format!("Mon 11-23 15:00:00 {st}30"),
            &format!("Mon 11-23 16:00:00 {st}31"),
            &format!("Mon 11-23 17:00:00 {st}32"),
            &format!("Mon 11-23 18:00:00 {st}33"),
            &format!("Mon 11-23 19:00:00 {st}34"),
            &format!("Mon 11-23 20:00:00 {st}35"),
            &format!("Mon 11-23 21:00:00 {st}36"),
            &format!("Tue 11-24 08:00:00 {st}37"),
        ])
    );
    let response: Vec<_> = h
        .jobs_of(inc.id())
        .await
        .into_iter()
        .filter(|j| j.group == Group::Response)
        .map(|j| (j.key, j.state))
        .collect();
    assert_eq!(
        response,
        vec![
            ("BDK-2026-0001/g0/response/warn50".to_string(), JobState::Cancelled),
            // Only the breach is planned ahead; the next levels follow when it fires.
            ("BDK-2026-0001/g0/response/esc1".to_string(), JobState::Cancelled),
        ]
    );

    // Resolving at 08:30 cancels the status updates (09:00 is never posted) and plans the
    // follow-ups counted from resolution: `back_up` at once, `review_report` 14 days later.
    h.advance("2026-11-24T08:30+01:00").await;
    let resolved_at = h.now();
    h.service()
        .resolve(&responder(), inc.id(), Resolution::Fix, Some("IdP restored".into()))
        .await
        .expect("resolve");
    h.advance("2026-11-24T20:00+01:00").await;
    let ts = resolved_at.timestamp();
    assert_eq!(
        h.take_lines().await,
        lines(&[&format!(
            "Tue 11-24 08:30:00 #borger-dk-incidents @user:rita BDK-2026-0001/g0/resolved{ts}/follow/back_up"
        )])
    );
    let jobs = h.jobs_of(inc.id()).await;
    let status38 = jobs
        .iter()
        .find(|j| j.key == "BDK-2026-0001/g0/status38")
        .expect("status38");
    assert_eq!(status38.state, JobState::Cancelled);
    assert_eq!(status38.due_at, at("2026-11-24T09:00+01:00"));
    let review = jobs
        .iter()
        .find(|j| j.key.ends_with("/follow/review_report"))
        .expect("review report");
    assert_eq!(review.state, JobState::Pending);
    assert_eq!(review.due_at, at("2026-12-08T08:30+01:00"));
    // And its announcement three whole days ahead (a quarter of 14 days, rounded down).
    let early = format!("{}/early", review.key);
    let ahead = jobs.iter().find(|j| j.key == early).expect("review report ahead");
    assert_eq!(ahead.due_at, at("2026-12-05T08:30+01:00"));
    assert!(
        jobs.iter()
            .all(|j| j.state != JobState::Pending || j.key == review.key || j.key == early),
        "only the review report is left: {jobs:#?}"
    );
}

/// The 22:00 edge on its own: Borger.dk P1 opened Monday 21:00 CET. Its first update would be
/// due at 22:00, the weekday window's closing minute; windows are half-open, so 22:00 is
/// outside and the update goes to 08:00 the next morning (Tuesday), then hourly.
#[tokio::test]
async fn borger_dk_update_due_at_2200_on_a_weekday_goes_to_0800() {
    let h = Harness::start("2026-11-23T21:00+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "borger-dk", "Login down", "", facts("unavailable"))
        .await
        .expect("open");
    assert_eq!(inc.priority(), "1");
    let first = h
        .jobs_of(inc.id())
        .await
        .into_iter()
        .find(|j| j.group == Group::Status)
        .expect("first status update planned");
    assert_eq!(first.due_at, at("2026-11-24T08:00+01:00"));

    h.advance("2026-11-24T09:00+01:00").await;
    let status: Vec<String> = h
        .take_lines()
        .await
        .into_iter()
        .filter(|l| l.contains("#borger-dk-status"))
        .collect();
    assert_eq!(
        status,
        lines(&[
            "Tue 11-24 08:00:00 #borger-dk-status @responder BDK-2026-0001/g0/status1",
            "Tue 11-24 09:00:00 #borger-dk-status @responder BDK-2026-0001/g0/status2",
        ])
    );
}

// ---------------------------------------------------------------------------------------------
// SSBTEK: business-hours clocks across a weekend.

/// SSBTEK impact 1 reported Friday 20 November 16:30 CET: the 20th is in the critical period
/// (day of month ≥ 20) during opening hours → timing 1 → priority 1 (Kritisk). Targets run on
/// the support schedule (Mon–Fri 08:00–17:00, Swedish holidays closed):
///
/// - response 30 min → Fri 17:00 (a deadline reached exactly at closing is the closing time);
///   warnings at 50 % and 90 % of 30 min = 16:45, 16:57 (75 %, 16:52:30, lies less than the
///   10-minute warning floor after 16:45 and collapses into it); the breach at level 1 (Fri
///   17:00, ladder role `support`: nobody escalated before), level 2 one business hour later
///   = Mon 09:00 (`driftsrad`), the top of SSBTEK's two-level ladder.
/// - resolution 8 h → 0.5 h on Friday + 7.5 h from Monday 08:00 = Mon 15:30; warnings at 4 h
///   (Mon 11:30), 6 h (13:30), 7 h 12 min (14:42); the breach at 15:30 is announced at the
///   incident's one level, 2 (`driftsrad`, reached by the response breach), and being the top
///   nothing climbs further: no `resolution/esc2`.
#[tokio::test]
async fn ssbtek_p1_deadlines_warnings_and_escalations_cross_the_weekend() {
    let h = Harness::start("2026-11-20T16:30+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "ssbtek", "Total outage", "", facts("1"))
        .await
        .expect("open");
    assert_eq!(inc.id(), "SSB-2026-0001");
    assert_eq!((inc.priority().as_str(), inc.timing()), ("1", Some("1")));
    assert_eq!(inc.response_due(), Some(at("2026-11-20T17:00+01:00")));
    assert_eq!(inc.resolution_due(), Some(at("2026-11-23T15:30+01:00")));

    h.advance("2026-11-24T12:00+01:00").await;
    let posted = h.chat.posted();
    let p = "#ssbtek-incidents";
    assert_eq!(
        h.take_lines().await,
        lines(&[
            &format!("Fri 11-20 16:45:00 {p} @responder SSB-2026-0001/g0/response/warn50"),
            &format!("Fri 11-20 16:57:00 {p} @responder SSB-2026-0001/g0/response/warn90"),
            &format!("Fri 11-20 17:00:00 {p} @support SSB-2026-0001/g0/response/esc1"),
            &format!("Mon 11-23 09:00:00 {p} @driftsrad SSB-2026-0001/g0/response/esc2"),
            &format!("Mon 11-23 11:30:00 {p} @responder SSB-2026-0001/g0/resolution/warn50"),
            &format!("Mon 11-23 13:30:00 {p} @responder SSB-2026-0001/g0/resolution/warn75"),
            &format!("Mon 11-23 14:42:00 {p} @responder SSB-2026-0001/g0/resolution/warn90"),
            &format!("Mon 11-23 15:30:00 {p} @driftsrad SSB-2026-0001/g0/resolution/esc1"),
        ])
    );
    let notices: Vec<&Notice> = posted.iter().map(|p| &p.message.notice).collect();
    assert!(posted.iter().all(|p| p.message.late_since.is_none()));
    // The 50 % response warning: 15 business minutes left to Friday 17:00.
    let Notice::Warning {
        incident,
        milestone,
        percent,
        deadline,
    } = notices[0]
    else {
        panic!("a warning: {:?}", notices[0]);
    };
    assert_eq!(
        (*milestone, *percent, *deadline),
        (Milestone::Response, 50, at("2026-11-20T17:00+01:00"))
    );
    assert_eq!(incident.id, "SSB-2026-0001");
    assert_eq!(
        incident.deadline(Milestone::Response).and_then(|d| d.business_left),
        Some(15 * 60)
    );
    // Level 1 at the response breach, level 2 one business hour later.
    let escalated = |n: &Notice| match n {
        Notice::Escalated {
            milestone,
            deadline,
            level,
            level_name,
            role,
            clause,
            manual,
            ..
        } => (
            *milestone,
            *deadline,
            *level,
            level_name.clone(),
            role.clone(),
            clause.clone(),
            manual.is_some(),
        ),
        other => panic!("an escalation: {other:?}"),
    };
    assert_eq!(
        escalated(notices[2]),
        (
            Some(Milestone::Response),
            Some(at("2026-11-20T17:00+01:00")),
            1,
            common::catalog().get("ssbtek").expect("ssbtek").escalation.levels[0]
                .name
                .clone(),
            "support".to_string(),
            "4.2, 4.3, 6".to_string(),
            false,
        )
    );
    let (m, _, level, level_name, role, _, _) = escalated(notices[3]);
    assert_eq!((m, level, role.as_str()), (Some(Milestone::Response), 2, "driftsrad"));
    assert!(level_name.starts_with("Driftsrådet"), "{level_name}");
    // The 50 % resolution warning: 4 business hours left to Monday 15:30.
    let Notice::Warning {
        incident,
        milestone,
        percent,
        deadline,
    } = notices[4]
    else {
        panic!("a warning: {:?}", notices[4]);
    };
    assert_eq!(
        (*milestone, *percent, *deadline),
        (Milestone::Resolution, 50, at("2026-11-23T15:30+01:00"))
    );
    assert_eq!(
        incident.deadline(Milestone::Resolution).and_then(|d| d.business_left),
        Some(4 * 3600)
    );
    // The resolution breach: at level 2, where the incident stood, no level passed.
    assert_eq!(
        escalated(notices[7]),
        (
            Some(Milestone::Resolution),
            Some(at("2026-11-23T15:30+01:00")),
            2,
            level_name.clone(),
            "driftsrad".to_string(),
            "4.2, 4.3, 6".to_string(),
            false,
        )
    );
    assert!(
        matches!(notices[7], Notice::Escalated { passed, .. } if passed.is_empty()),
        "{:?}",
        notices[7]
    );
    // Nothing ran late, everything once.
    for j in h.jobs_of(inc.id()).await {
        assert_eq!((j.state, j.late, j.attempts), (JobState::Done, false, 1), "{j:#?}");
    }
    let esc: Vec<(Option<Milestone>, u32)> = h
        .events(inc.id())
        .await
        .into_iter()
        .filter_map(|e| match e {
            Event::Escalated { milestone, level, .. } => Some((milestone, level)),
            _ => None,
        })
        .collect();
    assert_eq!(
        esc,
        vec![
            (Some(Milestone::Response), 1),
            (Some(Milestone::Response), 2),
            (Some(Milestone::Resolution), 2),
        ]
    );
    assert_eq!(h.incident(inc.id()).await.escalation_level(), 2);
}

/// Same incident, worked: acknowledging at 16:50 (after the 50 % warning) cancels every pending
/// response job; resolving Monday 12:00 (after the resolution 50 % warning) cancels the rest.
/// Of each ladder only the breach (`esc1`) was planned; the announcements of the opening, the
/// acknowledgement and the resolution are never cancelled and were posted.
#[tokio::test]
async fn ssbtek_acknowledge_and_resolve_cancel_their_milestone_jobs() {
    let h = Harness::start("2026-11-20T16:30+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "ssbtek", "Total outage", "", facts("1"))
        .await
        .expect("open");
    h.advance("2026-11-20T16:50+01:00").await;
    h.service().acknowledge(&responder(), inc.id()).await.expect("ack");
    h.advance("2026-11-23T12:00+01:00").await;
    h.service()
        .resolve(&responder(), inc.id(), Resolution::Workaround, None)
        .await
        .expect("resolve");
    h.advance("2026-11-30T12:00+01:00").await;
    assert_eq!(
        h.take_lines().await,
        lines(&[
            "Fri 11-20 16:45:00 #ssbtek-incidents @responder SSB-2026-0001/g0/response/warn50",
            "Mon 11-23 11:30:00 #ssbtek-incidents @user:rita SSB-2026-0001/g0/resolution/warn50",
        ])
    );
    let jobs = h.jobs_of(inc.id()).await;
    let announced: Vec<(&str, JobState)> = jobs
        .iter()
        .filter(|j| j.group == Group::Announce)
        .map(|j| (j.key.rsplit('/').next().unwrap_or(""), j.state))
        .collect();
    assert_eq!(
        announced,
        [
            ("opened", JobState::Done),
            ("acknowledged", JobState::Done),
            ("resolved", JobState::Done),
        ]
    );
    let states: Vec<(String, JobState)> = jobs
        .iter()
        .filter(|j| j.group != Group::Announce)
        .map(|j| (j.key.trim_start_matches("SSB-2026-0001/g0/").to_string(), j.state))
        .collect();
    let want = [
        ("response/warn50", JobState::Done),
        ("response/warn90", JobState::Cancelled),
        ("response/esc1", JobState::Cancelled),
        ("resolution/warn50", JobState::Done),
        // Planned by the 50 % warning when it posted; 90 % would have followed it.
        ("resolution/warn75", JobState::Cancelled),
        ("resolution/esc1", JobState::Cancelled),
    ];
    let mut got = states.clone();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    let mut want: Vec<(String, JobState)> = want.iter().map(|(k, s)| (k.to_string(), *s)).collect();
    want.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got, want);
    let v = h.service().show(inc.id()).await.expect("show");
    assert_eq!(v.incident.state(), State::Resolved);
    assert_eq!((v.response_left(), v.resolution_left()), (None, None));
}

// ---------------------------------------------------------------------------------------------
// Inera: around the clock.

/// Inera P1 reported Saturday 03:00 CET: coverage is around the clock, so response 30 min →
/// 03:30 and resolution 4 h → 07:00 on Saturday itself; the `eta` follow-up (4 h after
/// opening, unless resolved) at 07:00. One ladder (`local_support`, `nationell_kundservice`,
/// `systemforvaltning`): the response breach at level 1 (03:30), level 2 at 04:30, level 3 —
/// the top — at 05:30; the resolution breach (07:00) is announced at the level reached, 3, and
/// climbs no further.
#[tokio::test]
async fn inera_p1_runs_around_the_clock_with_the_eta_follow_up() {
    let h = Harness::start("2026-11-21T03:00+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "inera", "Journal unavailable", "", facts("unusable"))
        .await
        .expect("open");
    assert_eq!(inc.id(), "INE-2026-0001");
    assert_eq!(inc.priority(), "1");
    assert_eq!(inc.response_due(), Some(at("2026-11-21T03:30+01:00")));
    assert_eq!(inc.resolution_due(), Some(at("2026-11-21T07:00+01:00")));

    h.advance("2026-11-21T12:00+01:00").await;
    let posted = h.chat.posted();
    let p = "#inera-incidents";
    assert_eq!(
        h.take_lines().await,
        lines(&[
            &format!("Sat 11-21 03:15:00 {p} @responder INE-2026-0001/g0/response/warn50"),
            &format!("Sat 11-21 03:27:00 {p} @responder INE-2026-0001/g0/response/warn90"),
            &format!("Sat 11-21 03:30:00 {p} @local_support INE-2026-0001/g0/response/esc1"),
            &format!("Sat 11-21 04:30:00 {p} @nationell_kundservice INE-2026-0001/g0/response/esc2"),
            &format!("Sat 11-21 05:00:00 {p} @responder INE-2026-0001/g0/resolution/warn50"),
            &format!("Sat 11-21 05:30:00 {p} @systemforvaltning INE-2026-0001/g0/response/esc3"),
            // Due together: the announcement planned at the opening goes first, the warning
            // the 50 % one planned after it.
            &format!("Sat 11-21 06:00:00 {p} @responder INE-2026-0001/g0/follow/eta/early"),
            &format!("Sat 11-21 06:00:00 {p} @responder INE-2026-0001/g0/resolution/warn75"),
            &format!("Sat 11-21 06:36:00 {p} @responder INE-2026-0001/g0/resolution/warn90"),
            &format!("Sat 11-21 07:00:00 {p} @systemforvaltning INE-2026-0001/g0/resolution/esc1"),
            &format!("Sat 11-21 07:00:00 {p} @responder INE-2026-0001/g0/follow/eta"),
        ])
    );
    assert_eq!(h.incident(inc.id()).await.escalation_level(), 3);
    let eta = posted
        .into_iter()
        .find(|p| matches!(&p.message.notice, Notice::FollowUp { id, due: None, .. } if id == "eta"))
        .expect("eta posted");
    assert_eq!(local(h.tz("inera"), eta.at), "Sat 11-21 07:00:00");
    assert_eq!(eta.message.mentions, vec![Mention::Responders]);
    let Notice::FollowUp { incident, what, .. } = &eta.message.notice else {
        unreachable!()
    };
    assert_eq!(incident.id, "INE-2026-0001");
    let inera = common::catalog().get("inera").cloned().expect("inera");
    let eta_due = inera.follow_ups.iter().find(|f| f.id == "eta").expect("eta");
    assert_eq!(what, &eta_due.what);
}

/// Inera P1 resolved at 06:50, before the 4-hour mark: the `eta` follow-up is cancelled and
/// never posted, nor are the resolution escalations.
#[tokio::test]
async fn inera_eta_follow_up_is_not_posted_when_resolved_before() {
    let h = Harness::start("2026-11-21T03:00+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "inera", "Journal unavailable", "", facts("unusable"))
        .await
        .expect("open");
    h.advance("2026-11-21T03:10+01:00").await;
    h.service().acknowledge(&responder(), inc.id()).await.expect("ack");
    h.advance("2026-11-21T06:50+01:00").await;
    h.service()
        .resolve(&responder(), inc.id(), Resolution::Fix, None)
        .await
        .expect("resolve");
    h.advance("2026-11-22T12:00+01:00").await;
    assert_eq!(
        h.take_lines().await,
        lines(&[
            "Sat 11-21 05:00:00 #inera-incidents @user:rita INE-2026-0001/g0/resolution/warn50",
            // Announced ahead while still open; lapsed at the resolution.
            "Sat 11-21 06:00:00 #inera-incidents @user:rita INE-2026-0001/g0/follow/eta/early",
            // Planned when the 50 % warning posted, so after the announcement planned at the
            // opening: posts due at one time go out in the order they were planned.
            "Sat 11-21 06:00:00 #inera-incidents @user:rita INE-2026-0001/g0/resolution/warn75",
            "Sat 11-21 06:36:00 #inera-incidents @user:rita INE-2026-0001/g0/resolution/warn90",
        ])
    );
    let eta = h
        .jobs_of(inc.id())
        .await
        .into_iter()
        .find(|j| j.key == "INE-2026-0001/g0/follow/eta")
        .expect("eta job");
    assert_eq!(eta.state, JobState::Cancelled);
    assert!(
        !h.events(inc.id())
            .await
            .iter()
            .any(|e| matches!(e, Event::FollowUpDue { .. }))
    );
}

/// The `eta` follow-up is counted from opening, so it falls at 07:00 in every plan generation.
/// Once posted it is not posted again when a replan re-creates it with a past due time: after a
/// priority change at 08:00 (impact `partly_usable` → priority 2, which has the follow-up too;
/// both deadlines were missed by then, so lowering the priority takes a manager) or a reopen. (Before the fix in `Service::run_job`, now `Service::handle_job`, both
/// re-posted it at once, marked "late: was due 07:00".)
#[tokio::test]
async fn a_follow_up_from_opening_is_not_posted_again_after_a_replan() {
    let h = Harness::start("2026-11-21T03:00+01:00").await;
    let id = h
        .service()
        .open(&responder(), "inera", "Journal unavailable", "", facts("unusable"))
        .await
        .expect("open")
        .id()
        .clone();
    h.advance("2026-11-21T08:00+01:00").await;
    let err = h
        .service()
        .reclassify(&responder(), &id, &every_fact(facts("partly_usable")), None)
        .await
        .expect_err("a responder may not lower a breached incident's priority");
    assert!(
        matches!(
            &err,
            ServiceError::User(UserError::Incident(IncidentError::NeedsManager { from, to })) if from == "1" && to == "2"
        ),
        "{err:?}"
    );
    let inc = h
        .service()
        .reclassify(
            &manager(),
            &id,
            &every_fact(facts("partly_usable")),
            Some("only one municipality"),
        )
        .await
        .expect("reclassify");
    assert_eq!((inc.priority().as_str(), inc.plan_generation()), ("2", 1));
    h.advance("2026-11-21T08:30+01:00").await;
    h.service()
        .resolve(&responder(), &id, Resolution::Workaround, None)
        .await
        .expect("resolve");
    h.service()
        .reopen(&responder(), &id, "workaround failed")
        .await
        .expect("reopen");
    h.advance("2026-11-21T12:00+01:00").await;
    let follow: Vec<String> = h
        .take_lines()
        .await
        .into_iter()
        .filter(|l| l.contains("/follow/"))
        .collect();
    // Announced a quarter of its 4 h ahead (06:00), then due; neither again after the replan.
    assert_eq!(
        follow,
        lines(&[
            "Sat 11-21 06:00:00 #inera-incidents @responder INE-2026-0001/g0/follow/eta/early",
            "Sat 11-21 07:00:00 #inera-incidents @responder INE-2026-0001/g0/follow/eta"
        ])
    );
    let eta: Vec<(String, JobState, Option<String>)> = h
        .jobs_of(&id)
        .await
        .into_iter()
        .filter(|j| j.key.ends_with("/follow/eta"))
        .map(|j| (j.key, j.state, j.outcome))
        .collect();
    let skipped = Some("skipped:already_posted".to_string());
    assert_eq!(
        eta,
        vec![
            (
                "INE-2026-0001/g0/follow/eta".to_string(),
                JobState::Done,
                Some("posted".to_string())
            ),
            (
                "INE-2026-0001/g1/follow/eta".to_string(),
                JobState::Done,
                skipped.clone()
            ),
            ("INE-2026-0001/g2/follow/eta".to_string(), JobState::Done, skipped),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Altinn: immediate notification, 24/7 status, feedback after resolution.

/// Altinn category A (impact `unavailable`) opened Friday 10:00 CET: the notification of 2.9.5
/// pings the first ladder level (`operations`) at once; status updates hourly on the 24/7
/// platform schedule — the first (11:00) comes after the acknowledgement (10:05) and reminds
/// nobody, the second (12:00) had no human update since the first and reminds the lead; once
/// resolved (12:10) the status updates stop and the `feedback` follow-up falls 1 h later
/// (13:10), pinging the lead. Resolution 5 h → 15:00 (its warnings at 12:30/13:45/14:30 and the
/// breach, the only escalation planned ahead, are cancelled by the resolution).
#[tokio::test]
async fn altinn_a_notifies_at_once_posts_hourly_and_asks_for_feedback() {
    let h = Harness::start("2026-11-20T10:00+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "altinn", "Platform down", "", facts("unavailable"))
        .await
        .expect("open");
    assert_eq!(inc.id(), "ALT-2026-0001");
    assert_eq!(inc.priority(), "A");
    assert_eq!(inc.response_due(), None);
    assert_eq!(inc.resolution_due(), Some(at("2026-11-20T15:00+01:00")));
    h.advance("2026-11-20T10:00+01:00").await;
    let notify = h.chat.take();
    assert_eq!(notify.len(), 1);
    assert_eq!(notify[0].at, at("2026-11-20T10:00+01:00"));
    assert_eq!(
        notify[0].message.mentions,
        vec![Mention::Ladder {
            level: 1,
            role: "operations".into()
        }]
    );
    assert_eq!(notify[0].message.channel.kind, ChannelKind::Incidents);
    let Notice::Notification {
        incident, what, clause, ..
    } = &notify[0].message.notice
    else {
        panic!("a notification: {:?}", notify[0].message.notice);
    };
    assert_eq!(
        (incident.id.as_str(), incident.priority.as_str()),
        ("ALT-2026-0001", "A")
    );
    let altinn = common::catalog().get("altinn").cloned().expect("altinn");
    let a_notice = altinn.notifications.iter().find(|n| n.priorities == ["A"]);
    assert_eq!(Some(what), a_notice.map(|n| &n.what));
    assert_eq!(clause, "2.9.5, 2.9.8, 3.7.1");

    h.advance("2026-11-20T10:05+01:00").await;
    h.service().acknowledge(&responder(), inc.id()).await.expect("ack");
    h.advance("2026-11-20T12:10+01:00").await;
    let resolved_at = h.now();
    h.service()
        .resolve(&responder(), inc.id(), Resolution::Fix, None)
        .await
        .expect("resolve");
    h.advance("2026-11-21T12:00+01:00").await;
    let ts = resolved_at.timestamp();
    assert_eq!(
        h.take_lines().await,
        lines(&[
            "Fri 11-20 11:00:00 #altinn-status  ALT-2026-0001/g0/status1",
            "Fri 11-20 12:00:00 #altinn-status @user:rita ALT-2026-0001/g0/status2",
            &format!(
                "Fri 11-20 12:55:00 #altinn-incidents @user:rita ALT-2026-0001/g0/resolved{ts}/follow/feedback/early"
            ),
            &format!("Fri 11-20 13:10:00 #altinn-incidents @user:rita ALT-2026-0001/g0/resolved{ts}/follow/feedback"),
        ])
    );
    let cancelled: Vec<String> = h
        .jobs_of(inc.id())
        .await
        .into_iter()
        .filter(|j| j.state == JobState::Cancelled)
        .map(|j| j.key.trim_start_matches("ALT-2026-0001/g0/").to_string())
        .collect();
    assert_eq!(
        cancelled,
        [
            // The acknowledgement stopped the re-paging.
            "repage/l1/p1",
            // One warning of the target at a time: the first, not yet due; the rest follow it.
            "resolution/warn50",
            "status3",
            "resolution/esc1",
        ]
    );
}

/// Altinn A reopened: resolved at 12:10 (the `feedback` follow-up planned for 13:10), reopened
/// at 12:30. The resolution clock (5 h on the 24/7 `platform` schedule, from 10:00) stood still
/// while resolved: 12:10 → 12:30 = 20 min, so the deadline moves from 15:00 to 15:20. The
/// reopen cancels the feedback, restarts the hourly status updates from 12:30 and replans the
/// resolution jobs (generation 1) against 15:20. The clock ran 10:00–12:10 = 2 h 10 min before
/// the pause, so the warnings fall at
/// - 50 % = 2 h 30 min used: 20 min after the reopen → 12:50,
/// - 75 % = 3 h 45 min used: 1 h 35 min after → 14:05,
/// - 90 % = 4 h 30 min used: 2 h 20 min after → 14:50,
///
/// then the breach at 15:20 (level 1) and level 2 one hour later, 16:20. The state returns to
/// acknowledged; the first status after the reopen (13:30) pings nobody (the reopen is a human
/// update), the next (14:30) reminds the lead.
#[tokio::test]
async fn reopening_replans_against_the_deadline_moved_by_the_pause() {
    let h = Harness::start("2026-11-20T10:00+01:00").await;
    let id = h
        .service()
        .open(&responder(), "altinn", "Platform down", "", facts("unavailable"))
        .await
        .expect("open")
        .id()
        .clone();
    h.advance("2026-11-20T10:05+01:00").await;
    h.service().acknowledge(&responder(), &id).await.expect("ack");
    h.advance("2026-11-20T12:10+01:00").await;
    h.service()
        .resolve(&responder(), &id, Resolution::Fix, None)
        .await
        .expect("resolve");
    h.advance("2026-11-20T12:30+01:00").await;
    h.chat.take();
    let inc = h
        .service()
        .reopen(&responder(), &id, "error rate back up")
        .await
        .expect("reopen");
    assert_eq!(inc.state(), State::Acknowledged);
    assert_eq!(inc.plan_generation(), 1);
    assert_eq!(inc.resolution_due(), Some(at("2026-11-20T15:20+01:00")));
    let events = h.events(&id).await;
    assert!(
        matches!(
            &events[events.len() - 2..],
            [
                Event::Reopened { reason },
                Event::Deadlines {
                    response_due: None,
                    resolution_due: Some(due),
                    recomputed: true,
                },
            ] if reason == "error rate back up" && *due == at("2026-11-20T15:20+01:00")
        ),
        "{:#?}",
        &events[events.len() - 2..]
    );
    h.advance("2026-11-20T15:20+01:00").await;
    assert_eq!(
        h.take_lines().await,
        lines(&[
            "Fri 11-20 12:50:00 #altinn-incidents @user:rita ALT-2026-0001/g1/resolution/warn50",
            "Fri 11-20 13:30:00 #altinn-status  ALT-2026-0001/g1/status3",
            "Fri 11-20 14:05:00 #altinn-incidents @user:rita ALT-2026-0001/g1/resolution/warn75",
            "Fri 11-20 14:30:00 #altinn-status @user:rita ALT-2026-0001/g1/status4",
            "Fri 11-20 14:50:00 #altinn-incidents @user:rita ALT-2026-0001/g1/resolution/warn90",
            "Fri 11-20 15:20:00 #altinn-incidents @operations ALT-2026-0001/g1/resolution/esc1",
        ])
    );
    let jobs = h.jobs_of(&id).await;
    let feedback = jobs
        .iter()
        .find(|j| j.key.ends_with("/follow/feedback"))
        .expect("feedback job");
    assert_eq!(feedback.state, JobState::Cancelled);
    // The breach planned the next level: one business hour (24/7) after 15:20.
    let next = jobs
        .iter()
        .find(|j| j.key == "ALT-2026-0001/g1/resolution/esc2")
        .expect("level 2 planned");
    assert_eq!(
        (next.state, next.due_at),
        (JobState::Pending, at("2026-11-20T16:20+01:00"))
    );
}

/// A chat that fails: the job is retried with backoff (30 s, 1 min, 2 min, 4 min, 8 min) and
/// posted once when the chat is back; a job that fails 6 times is marked failed with its last
/// error, and nothing of it reaches the timeline. Other jobs are not held up. A warning whose
/// retry falls at or after its deadline is dropped instead (the breach says more), so the job
/// that fails for good is a resolution warning, whose retries all stay before its deadline.
/// The warning floor is off here: the retries of the 75 % response warning (16:52:30) are
/// what runs into the deadline.
#[tokio::test]
async fn failing_posts_are_retried_with_backoff_then_marked_failed() {
    let h = Harness::with_config("2026-11-20T16:30+01:00", "[agreements.ssbtek]\nwarning_floor = \"0\"\n").await;
    let id = h
        .service()
        .open(&responder(), "ssbtek", "Total outage", "", facts("1"))
        .await
        .expect("open")
        .id()
        .clone();
    let jobs = h.jobs_of(&id).await;
    let key_id = |k: &str| {
        jobs.iter()
            .find(|j| j.key == format!("SSB-2026-0001/g0/{k}"))
            .expect("job")
            .id
    };
    let warn50 = key_id("response/warn50");
    let resolution_warn50 = key_id("resolution/warn50");
    // One warning of a target at a time: the 75 % one is planned when the 50 % one posts.
    assert!(!jobs.iter().any(|j| j.key.ends_with("/warn75")));
    // What the scheduler stores of the recording chat's refusal.
    let unreachable = ChatError::transient("chat unreachable (test)").to_string();

    // Two failures, then the post goes through at 16:46:30.
    h.chat.fail_next(Some(warn50.to_string()), 2);
    let ticks = h.advance_tolerant(at("2026-11-20T16:50+01:00")).await;
    let errors: Vec<String> = ticks
        .iter()
        .filter(|(_, r)| r.retried > 0)
        .map(|(t, _)| local(h.tz("ssbtek"), *t))
        .collect();
    assert_eq!(errors, ["Fri 11-20 16:45:00", "Fri 11-20 16:45:30"]);
    assert_eq!(
        h.take_lines().await,
        lines(&["Fri 11-20 16:46:30 #ssbtek-incidents @responder SSB-2026-0001/g0/response/warn50"])
    );
    let j = h.jobs().await.into_iter().find(|j| j.id == warn50).expect("job");
    assert_eq!((j.state, j.attempts, j.late), (JobState::Done, 3, false));
    assert_eq!(j.fired_at, Some(at("2026-11-20T16:46:30+01:00")));
    assert_eq!(j.last_error, Some(unreachable.clone()));
    let warn75 = (h.jobs().await.into_iter())
        .find(|j| j.key == "SSB-2026-0001/g0/response/warn75")
        .expect("planned by the 50 % warning")
        .id;

    // The 75 % response warning never gets through: attempts at 16:52:30, 16:53:00 (+30 s),
    // 16:54:00 (+1 min) and 16:56:00 (+2 min) fail; the fifth would go at 17:00:00 (+4 min),
    // the response deadline itself, so it is dropped there (done, not failed, nothing posted).
    // The 90 % warning (planned when the first attempt failed, as a warning's next does not
    // wait for its post) and level 1 go out on time.
    h.chat.fail_next(Some(warn75.to_string()), 100);
    let ticks = h.advance_tolerant(at("2026-11-20T17:30+01:00")).await;
    let errors: Vec<(String, usize, usize)> = ticks
        .iter()
        .filter(|(_, r)| r.retried > 0 || r.failed > 0)
        .map(|(t, r)| (local(h.tz("ssbtek"), *t), r.retried, r.failed))
        .collect();
    assert_eq!(
        errors,
        vec![
            ("Fri 11-20 16:52:30".to_string(), 1, 0),
            ("Fri 11-20 16:53:00".to_string(), 1, 0),
            ("Fri 11-20 16:54:00".to_string(), 1, 0),
            ("Fri 11-20 16:56:00".to_string(), 1, 0),
        ]
    );
    assert_eq!(h.chat.failed(), 2 + 4);
    assert_eq!(
        h.take_lines().await,
        lines(&[
            "Fri 11-20 16:57:00 #ssbtek-incidents @responder SSB-2026-0001/g0/response/warn90",
            "Fri 11-20 17:00:00 #ssbtek-incidents @support SSB-2026-0001/g0/response/esc1",
        ])
    );
    let j = h.jobs().await.into_iter().find(|j| j.id == warn75).expect("job");
    assert_eq!(
        (j.state, j.attempts, j.outcome.as_deref()),
        (JobState::Done, 5, Some("skipped:overdue_already"))
    );
    assert_eq!(j.fired_at, Some(at("2026-11-20T17:00+01:00")));

    // The 50 % resolution warning (Mon 11:30; deadline Mon 15:30) never gets through either:
    // attempts at 11:30:00, 11:30:30 (+30 s), 11:31:30 (+1 min), 11:33:30 (+2 min), 11:37:30
    // (+4 min) and 11:45:30 (+8 min) — all before 15:30 — then it is failed. Level 2 (Mon 09:00)
    // before it and the 75 % warning (13:30) after it, planned when its first attempt failed,
    // go out on time.
    h.chat.fail_next(Some(resolution_warn50.to_string()), 100);
    let ticks = h.advance_tolerant(at("2026-11-23T14:00+01:00")).await;
    let errors: Vec<(String, usize, usize)> = ticks
        .iter()
        .filter(|(_, r)| r.retried > 0 || r.failed > 0)
        .map(|(t, r)| (local(h.tz("ssbtek"), *t), r.retried, r.failed))
        .collect();
    assert_eq!(
        errors,
        vec![
            ("Mon 11-23 11:30:00".to_string(), 1, 0),
            ("Mon 11-23 11:30:30".to_string(), 1, 0),
            ("Mon 11-23 11:31:30".to_string(), 1, 0),
            ("Mon 11-23 11:33:30".to_string(), 1, 0),
            ("Mon 11-23 11:37:30".to_string(), 1, 0),
            ("Mon 11-23 11:45:30".to_string(), 0, 1),
        ]
    );
    assert_eq!(h.chat.failed(), 2 + 4 + 6);
    assert_eq!(
        h.take_lines().await,
        lines(&[
            "Mon 11-23 09:00:00 #ssbtek-incidents @driftsrad SSB-2026-0001/g0/response/esc2",
            "Mon 11-23 13:30:00 #ssbtek-incidents @responder SSB-2026-0001/g0/resolution/warn75",
        ])
    );
    let j = h
        .jobs()
        .await
        .into_iter()
        .find(|j| j.id == resolution_warn50)
        .expect("job");
    assert_eq!((j.state, j.attempts), (JobState::Failed, 6));
    assert_eq!(j.last_error, Some(unreachable.clone()));
    let warnings: Vec<(Milestone, u32)> = h
        .events(&id)
        .await
        .into_iter()
        .filter_map(|e| match e {
            Event::WarningSent { milestone, percent } => Some((milestone, percent)),
            _ => None,
        })
        .collect();
    assert_eq!(
        warnings,
        [
            (Milestone::Response, 50),
            (Milestone::Response, 90),
            (Milestone::Resolution, 75),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Priority changes and permissions.

/// SSBTEK impact 3 on Friday 20th 16:30 → priority 3 (timing 1 × impact 3). New facts at 16:40
/// (impact 1) make it priority 1; at 16:50 a manager overrides it to 2. Each change cancels the
/// old plan's pending jobs and plans a new generation, with deadlines computed from the
/// original report time (16:30), and says so on the timeline. Of each ladder only the breach
/// (`esc1`) is planned ahead; the announcements of the changes are never cancelled.
#[tokio::test]
async fn priority_changes_replan_from_the_original_clock_start() {
    let h = Harness::start("2026-11-20T16:30+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "ssbtek", "Timeouts", "", facts("3"))
        .await
        .expect("open");
    let id = inc.id().clone();
    assert_eq!(inc.priority(), "3");
    // P3: response 8 h → 0.5 h Friday + 7.5 h Monday = Mon 15:30; resolution 5 wd → Fri 27th.
    assert_eq!(inc.response_due(), Some(at("2026-11-23T15:30+01:00")));
    assert_eq!(inc.resolution_due(), Some(at("2026-11-27T16:30+01:00")));
    // The first warning and the breach per milestone (each warning that posts plans the
    // next); the opening's announcement apart.
    let g0: Vec<i64> = h
        .jobs_of(&id)
        .await
        .iter()
        .filter(|j| j.group != Group::Announce)
        .map(|j| j.id)
        .collect();
    assert_eq!(g0.len(), 4);

    h.advance("2026-11-20T16:40+01:00").await;
    assert!(h.take_lines().await.is_empty());
    let before = h.timeline(&id).await.len();
    let inc = h
        .service()
        .reclassify(&responder(), &id, &every_fact(facts("1")), None)
        .await
        .expect("reclassify");
    assert_eq!(inc.priority(), "1");
    assert_eq!(inc.plan_generation(), 1);
    assert_eq!(inc.response_due(), Some(at("2026-11-20T17:00+01:00")));
    assert_eq!(inc.resolution_due(), Some(at("2026-11-23T15:30+01:00")));
    let added: Vec<Event> = h.events(&id).await.split_off(before);
    assert_eq!(added.len(), 4, "{added:#?}");
    assert!(matches!(&added[0], Event::FactsChanged { facts, .. } if facts.impact == "1"));
    assert!(matches!(&added[1], Event::Classified { priority, .. } if priority == "1"));
    assert!(matches!(&added[2], Event::PriorityChanged { from, to, manual: false, .. } if from == "3" && to == "1"));
    assert_eq!(
        added[3],
        Event::Deadlines {
            response_due: Some(at("2026-11-20T17:00+01:00")),
            resolution_due: Some(at("2026-11-23T15:30+01:00")),
            recomputed: true,
        }
    );
    let jobs = h.jobs_of(&id).await;
    for j in jobs.iter().filter(|j| g0.contains(&j.id)) {
        assert_eq!(j.state, JobState::Cancelled, "old plan: {}", j.key);
    }
    let g1: Vec<(&str, String)> = jobs
        .iter()
        .filter(|j| j.key.contains("/g1/"))
        .map(|j| (j.key.as_str(), local(h.tz("ssbtek"), j.due_at)))
        .collect();
    assert_eq!(
        g1,
        vec![
            ("SSB-2026-0001/g1/response/warn50", "Fri 11-20 16:45:00".to_string()),
            ("SSB-2026-0001/g1/response/esc1", "Fri 11-20 17:00:00".to_string()),
            ("SSB-2026-0001/g1/resolution/warn50", "Mon 11-23 11:30:00".to_string()),
            ("SSB-2026-0001/g1/resolution/esc1", "Mon 11-23 15:30:00".to_string()),
        ]
    );
    // The change is announced at once (a job of its own, outside the plan generations).
    let announced: Vec<&str> = jobs
        .iter()
        .filter(|j| j.group == Group::Announce)
        .map(|j| j.key.rsplit('/').next().unwrap_or(""))
        .collect();
    assert_eq!(announced, ["opened", "priority"]);

    h.advance("2026-11-20T16:50+01:00").await;
    assert_eq!(
        h.take_lines().await,
        lines(&["Fri 11-20 16:45:00 #ssbtek-incidents @responder SSB-2026-0001/g1/response/warn50"])
    );

    // A responder may not override; nothing changes.
    let snapshot = (h.incident(&id).await, h.timeline(&id).await, h.jobs_of(&id).await);
    let err = h
        .service()
        .override_priority(&responder(), &id, "2", "not that bad")
        .await
        .expect_err("responders cannot override");
    assert!(
        matches!(&err, ServiceError::User(UserError::Forbidden { action: Action::Override, roles }) if *roles == ["manager"]),
        "{err:?}"
    );
    assert_eq!(
        snapshot,
        (h.incident(&id).await, h.timeline(&id).await, h.jobs_of(&id).await)
    );

    // A manager may: priority 2 → response 60 business minutes from 16:30 = 30 min on Friday
    // + 30 min from Monday 08:00 = Mon 08:30 (counting from the override at 16:50 would give
    // 08:50); resolution 2 working days → Tue 16:30. Response warnings at 30 min (Fri 17:00,
    // exactly at closing) and 45 min (Mon 08:15); 54 min (Mon 08:24) lies less than the
    // 10-minute floor after 08:15 and collapses into it. No deadline was missed
    // yet (the P1 response was due 17:00), and a lowering re-sends no notification.
    let before = h.timeline(&id).await.len();
    let inc = h
        .service()
        .override_priority(&manager(), &id, "2", "partial outage confirmed")
        .await
        .expect("override");
    assert_eq!(inc.priority(), "2");
    assert_eq!(inc.computed_priority(), "1");
    assert_eq!(inc.plan_generation(), 2);
    assert_eq!(inc.response_due(), Some(at("2026-11-23T08:30+01:00")));
    assert_eq!(inc.resolution_due(), Some(at("2026-11-24T16:30+01:00")));
    let added: Vec<Event> = h.events(&id).await.split_off(before);
    assert_eq!(
        added,
        vec![
            Event::PriorityChanged {
                from: "1".into(),
                to: "2".into(),
                reason: ChangeReason::Manager("partial outage confirmed".into()),
                manual: true,
            },
            Event::Deadlines {
                response_due: Some(at("2026-11-23T08:30+01:00")),
                resolution_due: Some(at("2026-11-24T16:30+01:00")),
                recomputed: true,
            },
        ]
    );
    let g1_pending = h
        .jobs_of(&id)
        .await
        .into_iter()
        .filter(|j| j.key.contains("/g1/") && j.state == JobState::Pending)
        .count();
    assert_eq!(g1_pending, 0, "the old plan is cancelled");

    h.advance("2026-11-23T09:00+01:00").await;
    let p = "#ssbtek-incidents";
    assert_eq!(
        h.take_lines().await,
        lines(&[
            &format!("Fri 11-20 17:00:00 {p} @responder SSB-2026-0001/g2/response/warn50"),
            &format!("Mon 11-23 08:15:00 {p} @responder SSB-2026-0001/g2/response/warn75"),
            &format!("Mon 11-23 08:30:00 {p} @support SSB-2026-0001/g2/response/esc1"),
        ])
    );
    // The breach planned level 2 one business hour later: 08:30 + 1 h = 09:30.
    let esc2 = h
        .jobs_of(&id)
        .await
        .into_iter()
        .find(|j| j.key == "SSB-2026-0001/g2/response/esc2")
        .expect("level 2 planned when the breach fired");
    assert_eq!(
        (esc2.state, esc2.due_at),
        (JobState::Pending, at("2026-11-23T09:30+01:00"))
    );
    let g2: Vec<(String, String)> = h
        .jobs_of(&id)
        .await
        .into_iter()
        .filter(|j| j.key.contains("/g2/resolution/"))
        .map(|j| {
            (
                j.key.trim_start_matches("SSB-2026-0001/g2/").to_string(),
                local(h.tz("ssbtek"), j.due_at),
            )
        })
        .collect();
    assert_eq!(
        g2,
        vec![
            // Its 75 % (Tue 12:00) and 90 % (Tue 14:42) follow when 50 % posts.
            ("resolution/warn50".to_string(), "Mon 11-23 16:30:00".to_string()),
            ("resolution/esc1".to_string(), "Tue 11-24 16:30:00".to_string()),
        ]
    );

    // A responder may not close either (not even a resolved incident); a manager may.
    h.service()
        .resolve(&responder(), &id, Resolution::Fix, None)
        .await
        .expect("resolve");
    let snapshot = (h.incident(&id).await, h.timeline(&id).await.len());
    let err = h
        .service()
        .close(&responder(), &id)
        .await
        .expect_err("responders cannot close");
    assert!(
        matches!(
            &err,
            ServiceError::User(UserError::Forbidden {
                action: Action::Close,
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(snapshot, (h.incident(&id).await, h.timeline(&id).await.len()));
    assert_eq!(h.incident(&id).await.state(), State::Resolved);
    let closed = h.service().close(&manager(), &id).await.expect("close");
    assert_eq!(closed.state(), State::Closed);
    // Closing cancels everything still planned but the announcements not yet posted (the
    // resolution's and the closing's, due now); once they are posted nothing is pending.
    let pending: Vec<String> = h
        .jobs_of(&id)
        .await
        .into_iter()
        .filter(|j| j.state == JobState::Pending)
        .map(|j| {
            assert_eq!(j.group, Group::Announce, "{}", j.key);
            j.key.rsplit('/').next().unwrap_or("").to_string()
        })
        .collect();
    assert_eq!(pending, ["resolved", "closed"]);
    h.tick().await;
    assert!(
        h.jobs_of(&id).await.iter().all(|j| j.state != JobState::Pending),
        "closing cancels everything"
    );
}

/// Someone without a responder or manager role cannot open incidents.
#[tokio::test]
async fn outsiders_cannot_open() {
    let h = Harness::start("2026-11-20T16:30+01:00").await;
    let guest = vakt::service::Actor::new("gus", vec!["viewer".into()]);
    let err = h
        .service()
        .open(&guest, "ssbtek", "Outage", "", facts("1"))
        .await
        .expect_err("forbidden");
    assert!(
        matches!(err, ServiceError::User(UserError::Forbidden { .. })),
        "{err:?}"
    );
    assert!(h.jobs().await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Illegal transitions.

/// Acknowledging twice, closing an open incident, reopening an open one, resolving twice and
/// reopening a closed one are refused and change nothing (same version, timeline and jobs).
#[tokio::test]
async fn illegal_transitions_change_nothing() {
    let h = Harness::start("2026-11-20T16:30+01:00").await;
    let id = h
        .service()
        .open(&responder(), "ssbtek", "Outage", "", facts("1"))
        .await
        .expect("open")
        .id()
        .clone();
    async fn snapshot(h: &Harness, id: &str) -> (i64, usize, Vec<(String, JobState)>) {
        (
            h.incident(id).await.version(),
            h.timeline(id).await.len(),
            h.jobs_of(id).await.into_iter().map(|j| (j.key, j.state)).collect(),
        )
    }
    fn illegal(r: Result<vakt::domain::incident::Incident, ServiceError>, action: &str) {
        match r {
            Err(ServiceError::User(UserError::Incident(
                vakt::domain::incident::IncidentError::IllegalTransition { action: a, .. },
            ))) if a == action => {}
            other => panic!("expected an illegal {action}, got {other:?}"),
        }
    }

    let s = snapshot(&h, &id).await;
    illegal(h.service().close(&manager(), &id).await, "close");
    illegal(h.service().reopen(&manager(), &id, "again").await, "reopen");
    assert_eq!(s, snapshot(&h, &id).await);

    h.service().acknowledge(&responder(), &id).await.expect("ack");
    let s = snapshot(&h, &id).await;
    illegal(h.service().acknowledge(&responder(), &id).await, "acknowledge");
    illegal(h.service().close(&manager(), &id).await, "close");
    illegal(h.service().reopen(&responder(), &id, "again").await, "reopen");
    assert_eq!(s, snapshot(&h, &id).await);

    h.service()
        .resolve(&responder(), &id, Resolution::Fix, None)
        .await
        .expect("resolve");
    let s = snapshot(&h, &id).await;
    illegal(
        h.service().resolve(&responder(), &id, Resolution::Fix, None).await,
        "resolve",
    );
    illegal(h.service().acknowledge(&responder(), &id).await, "acknowledge");
    assert_eq!(s, snapshot(&h, &id).await);

    h.service().close(&manager(), &id).await.expect("close");
    let s = snapshot(&h, &id).await;
    illegal(h.service().reopen(&manager(), &id, "again").await, "reopen");
    illegal(h.service().close(&manager(), &id).await, "close");
    illegal(
        h.service()
            .reclassify(&responder(), &id, &every_fact(facts("2")), None)
            .await,
        "reclassify",
    );
    assert_eq!(s, snapshot(&h, &id).await);
}

// ---------------------------------------------------------------------------------------------
// Recurring jobs.

const WEEKLY: &str = r#"
[[agreements.ssbtek.recurring]]
name = "weekly"
cron = "0 9 * * MON"
what = "Weekly status meeting"
"#;

/// A weekly cron in the agreement's zone posts once a week at Monday 09:00 Stockholm time to
/// the summary channel, pinging nobody; scheduling twice is idempotent.
#[tokio::test]
async fn recurring_weekly_posts_every_monday_at_nine() {
    let h = Harness::with_config("2026-11-20T12:00+01:00", WEEKLY).await;
    h.service().schedule_recurring().await.expect("schedule");
    h.service().schedule_recurring().await.expect("schedule again");
    assert_eq!(h.jobs().await.len(), 1);
    h.advance("2026-12-11T12:00+01:00").await;
    let posted = h.chat.take();
    let tz = h.tz("ssbtek");
    let got: Vec<(String, ChannelKind, usize, Notice, bool)> = posted
        .iter()
        .map(|p| {
            (
                local(tz, p.at),
                p.message.channel.kind,
                p.message.mentions.len(),
                p.message.notice.clone(),
                p.message.late_since.is_some(),
            )
        })
        .collect();
    let want = |d: &str| {
        (
            d.to_string(),
            ChannelKind::Summary,
            0,
            Notice::Recurring {
                agreement: "ssbtek".into(),
                name: "weekly".into(),
                what: "Weekly status meeting".into(),
            },
            false,
        )
    };
    assert_eq!(
        got,
        vec![
            want("Mon 11-23 09:00:00"),
            want("Mon 11-30 09:00:00"),
            want("Mon 12-07 09:00:00"),
        ]
    );
    let jobs = h.jobs().await;
    assert_eq!(jobs.len(), 4);
    assert_eq!(jobs[3].state, JobState::Pending);
    assert_eq!(jobs[3].due_at, at("2026-12-14T09:00+01:00"));
    assert!(jobs[..3].iter().all(|j| j.state == JobState::Done && !j.late));
}

const NIGHTLY: &str = r#"
[[agreements.ssbtek.recurring]]
name = "nightly"
cron = "30 2 * * *"
what = "Nightly check"
"#;

/// Local times (with zone) of the recurring posts between two instants.
async fn nightly(start: &str, end: &str) -> Vec<String> {
    let h = Harness::with_config(start, NIGHTLY).await;
    h.service().schedule_recurring().await.expect("schedule");
    h.advance(end).await;
    let tz = h.tz("ssbtek");
    h.chat
        .take()
        .iter()
        .map(|p| p.at.with_timezone(&tz).format("%a %m-%d %H:%M %Z").to_string())
        .collect()
}

/// "30 2 * * *" in Europe/Stockholm over the spring-forward night (Sun 29 March 2026, 02:00 →
/// 03:00): 02:30 does not exist, so it fires once at 03:00 CEST, the first instant after the
/// gap.
#[tokio::test]
async fn recurring_in_the_spring_forward_gap_fires_once_after_it() {
    assert_eq!(
        nightly("2026-03-27T12:00+01:00", "2026-03-31T00:00+02:00").await,
        ["Sat 03-28 02:30 CET", "Sun 03-29 03:00 CEST", "Mon 03-30 02:30 CEST"]
    );
}

/// "30 2 * * *" over the autumn night (Sun 25 October 2026, 03:00 CEST → 02:00 CET): 02:30
/// happens twice, the job fires exactly once.
#[tokio::test]
async fn recurring_in_the_autumn_fold_fires_once() {
    let got = nightly("2026-10-23T12:00+02:00", "2026-10-27T00:00+01:00").await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0], "Sat 10-24 02:30 CEST");
    assert!(got[1].starts_with("Sun 10-25 02:30 "), "{got:?}");
    assert_eq!(got[2], "Mon 10-26 02:30 CET");
}

#[tokio::test]
async fn overriding_a_resolved_incident_replans_its_follow_ups_and_pings_nobody() {
    // Altinn A resolved at 12:10 plans the feedback follow-up for 13:10. A manager then
    // decides it was really a B: A's feedback is cancelled and B's (2.9.6, "omgående": due at
    // the resolution) is posted instead, at once; B's immediate notification is not sent (only
    // a raise re-sends them; the incident is resolved anyway). The change itself is announced,
    // once.
    let h = Harness::start("2026-11-20T10:00+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "altinn", "Platform down", "", facts("unavailable"))
        .await
        .expect("open");
    h.advance("2026-11-20T12:10+01:00").await;
    h.service()
        .resolve(&responder(), inc.id(), Resolution::Fix, None)
        .await
        .expect("resolve");
    h.take_lines().await;
    h.advance("2026-11-20T12:20+01:00").await;
    h.service()
        .override_priority(&manager(), inc.id(), "B", "only the test environment was down")
        .await
        .expect("override");
    h.advance("2026-11-21T12:00+01:00").await;
    let all = h.chat.take_all();
    let changes: Vec<_> = all
        .iter()
        .filter_map(|p| match &p.message.notice {
            Notice::PriorityChanged { from, to, reason, .. } => {
                Some((from.as_str(), to.as_str(), reason.as_deref(), p.message.mentions.len()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(changes, [("A", "B", Some("only the test environment was down"), 0)]);
    let follow_ups: Vec<&str> = all
        .iter()
        .filter_map(|p| match &p.message.notice {
            Notice::FollowUp { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(follow_ups, ["feedback_b"], "B's feedback, not A's");
    assert!(
        all.iter()
            .all(|p| common::is_announcement(p) || matches!(p.message.notice, Notice::FollowUp { .. })),
        "no notification: {all:#?}"
    );
    let pending: Vec<String> = h
        .jobs_of(inc.id())
        .await
        .into_iter()
        .filter(|j| j.state == vakt::service::ports::JobState::Pending)
        .map(|j| j.key)
        .collect();
    assert!(pending.is_empty(), "{pending:?}");
}

#[tokio::test]
async fn incident_ids_use_the_agreement_local_year() {
    // 00:30 on 1 January in Stockholm is still 31 December in UTC: the id says the new year.
    let h = Harness::start("2027-01-01T00:30+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "ssbtek", "New year outage", "", facts("1"))
        .await
        .expect("open");
    assert_eq!(inc.id(), "SSB-2027-0001");
}
