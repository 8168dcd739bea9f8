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

/// A harness at `start` with one incident of `agreement` (`title`, `impact`) opened by rita;
/// the incident's id.
async fn with_incident(start: &str, agreement: &str, title: &str, impact: &str) -> (Harness, String) {
    let h = Harness::start(start).await;
    let inc = h
        .service()
        .open(&responder(), agreement, title, "", facts(impact))
        .await
        .expect("open");
    let id = inc.id().to_string();
    (h, id)
}

/// A Borger.dk P1 (30 % of users hit) opened by rita.
async fn borger_p1(h: &Harness) -> vakt::domain::incident::Incident {
    let inc = h
        .service()
        .open(
            &responder(),
            "borger-dk",
            "Login down",
            "",
            common::facts_users("users", 30.0),
        )
        .await
        .expect("open");
    assert_eq!(inc.priority(), "1");
    inc
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
    let (h, id) = with_incident("2026-11-23T10:00:00+01:00", "altinn", "Portal down", "unavailable").await;
    let s = h.service();
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
    // (The third unanswered one also tells the managers.)
    assert!(
        reminders.iter().all(|m| m[0] == Mention::User("olle".into())),
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

/// The pages (re-pages and climbs) among `posted`: (local time, level, page).
fn pages(h: &Harness, agreement: &str, posted: &[Posted]) -> Vec<(String, u32, u32)> {
    let tz = h.tz(agreement);
    posted
        .iter()
        .filter_map(|p| match &p.message.notice {
            Notice::Repaged { level, page, .. } => {
                assert!(
                    matches!(p.message.mentions.as_slice(), [Mention::Ladder { level: l, .. }] if l == level),
                    "a page pings its ladder level: {:?}",
                    p.message.mentions
                );
                Some((
                    p.at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
                    *level,
                    *page,
                ))
            }
            _ => None,
        })
        .collect()
}

/// Difi at 02:00 on a Monday (1.4.4: readiness for critical and serious incidents 24/7/365,
/// no response target): an incident of `impact` (priority `priority`) nobody acknowledges
/// pages the alert point again at 02:15, 02:30 and 02:45; the ladder has one level, so paging
/// stops there. Another one acknowledged at 07:20 is paged once, at 07:15, and never again.
async fn difi_is_paged_again_around_the_clock(impact: &str, priority: &str) {
    let h = Harness::start("2026-11-23T02:00:00+01:00").await;
    let s = h.service();
    let a = s
        .open(&responder(), "difi", "ID-porten down", "", facts(impact))
        .await
        .expect("open");
    assert_eq!(a.priority(), priority);
    h.advance("2026-11-23T07:00:00+01:00").await;
    let got = pages(&h, "difi", &h.chat.take());
    assert_eq!(
        got,
        [
            ("2026-11-23 02:15".to_string(), 1, 1),
            ("2026-11-23 02:30".to_string(), 1, 2),
            ("2026-11-23 02:45".to_string(), 1, 3),
        ]
    );
    let events = h.events(a.id().as_str()).await;
    assert_eq!(events.iter().filter(|e| matches!(e, Event::Repaged { .. })).count(), 3);

    let b = s
        .open(&responder(), "difi", "Kontaktregisteret down", "", facts(impact))
        .await
        .expect("open");
    h.advance("2026-11-23T07:20:00+01:00").await;
    s.acknowledge(&responder(), b.id().as_str()).await.expect("ack");
    h.advance("2026-11-23T12:00:00+01:00").await;
    let got = pages(&h, "difi", &h.chat.take());
    assert_eq!(got, [("2026-11-23 07:15".to_string(), 1, 1)], "the ack stopped it");
}

/// Difi A (security weakened): re-paged around the clock until the limit.
#[tokio::test]
async fn difi_a_is_paged_again_around_the_clock_until_the_limit() {
    difi_is_paged_again_around_the_clock("security", "A").await;
}

/// Difi B (reduced availability): the same readiness as A (1.4.4), so the same re-paging.
#[tokio::test]
async fn difi_b_is_paged_again_around_the_clock_like_a() {
    difi_is_paged_again_around_the_clock("degraded", "B").await;
}

/// Altinn's pages for an incident opened Saturday 2026-11-21 22:00 that nobody acknowledges:
/// three re-pages a quarter apart at each of the four levels, a climb on the hour.
fn altinn_pages_from_saturday_22() -> Vec<(String, u32, u32)> {
    [
        ("22:15", 1, 1),
        ("22:30", 1, 2),
        ("22:45", 1, 3),
        ("23:00", 2, 0),
        ("23:15", 2, 1),
        ("23:30", 2, 2),
        ("23:45", 2, 3),
    ]
    .into_iter()
    .map(|(t, l, p)| (format!("2026-11-21 {t}"), l, p))
    .chain(
        [
            ("00:00", 3, 0),
            ("00:15", 3, 1),
            ("00:30", 3, 2),
            ("00:45", 3, 3),
            ("01:00", 4, 0),
            ("01:15", 4, 1),
            ("01:30", 4, 2),
            ("01:45", 4, 3),
        ]
        .into_iter()
        .map(|(t, l, p)| (format!("2026-11-22 {t}"), l, p)),
    )
    .collect()
}

/// Altinn A at 10:00 (2.9.4: readiness around the clock): level 1 is paged again three times
/// a quarter apart, then the incident climbs to level 2 (11:00), which is paged three times,
/// and so on to the top of the ladder (level 4, at 13:00) and its three pages; then nothing.
/// The climbs are escalations: the incident's level follows.
#[tokio::test]
async fn altinn_a_climbs_the_ladder_while_nobody_acknowledges() {
    let h = Harness::start("2026-11-21T22:00:00+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "altinn", "Portal down", "", facts("unavailable"))
        .await
        .expect("open");
    h.advance("2026-11-22T06:00:00+01:00").await;
    let got = pages(&h, "altinn", &h.chat.take());
    let want = altinn_pages_from_saturday_22();
    assert_eq!(got, want);
    assert_eq!(h.incident(inc.id().as_str()).await.escalation_level(), 4);
}

/// Altinn B (2.9.4: the on-call phone outside opening hours is for critical and serious
/// incidents) on a Saturday at 22:00, outside the service desk's hours: level 1 is paged again
/// three times a quarter apart, the incident climbs to level 2 at 23:00 and is paged at 23:15;
/// the acknowledgement at 23:20 stops it (nothing at 23:30 or after), at level 2.
#[tokio::test]
async fn altinn_b_is_paged_around_the_clock_and_climbs_until_acknowledged() {
    let h = Harness::start("2026-11-21T22:00:00+01:00").await;
    let s = h.service();
    let inc = s
        .open(&responder(), "altinn", "Portal slow", "", facts("degraded"))
        .await
        .expect("open");
    assert_eq!(inc.priority(), "B");
    h.advance("2026-11-21T23:20:00+01:00").await;
    s.acknowledge(&responder(), inc.id().as_str()).await.expect("ack");
    h.advance("2026-11-22T12:00:00+01:00").await;
    let got = pages(&h, "altinn", &h.chat.take());
    let want = &altinn_pages_from_saturday_22()[..5];
    assert_eq!(got, want);
    assert_eq!(h.incident(inc.id().as_str()).await.escalation_level(), 2);
}

/// Borger.dk P1 on a Friday at 21:30 (duty hours 6.1/12: weekdays until 22:00, weekends
/// 10:00–20:00): paged again at 21:45; the next page waits for Saturday 10:00 and the one
/// after at 10:15, when the third page brings the climb at 10:30; a responder acknowledges at
/// 10:40 and nothing more is paged.
#[tokio::test]
async fn borger_dk_p1_is_paged_inside_the_duty_hours_until_acknowledged() {
    let h = Harness::start("2026-11-20T21:30:00+01:00").await;
    let s = h.service();
    let inc = borger_p1(&h).await;
    assert_eq!(inc.priority(), "1");
    h.advance("2026-11-21T10:40:00+01:00").await;
    s.acknowledge(&responder(), inc.id().as_str()).await.expect("ack");
    h.advance("2026-11-23T12:00:00+01:00").await;
    let got = pages(&h, "borger-dk", &h.chat.take());
    assert_eq!(
        got,
        [
            ("2026-11-20 21:45".to_string(), 1, 1),
            ("2026-11-21 10:00".to_string(), 1, 2),
            ("2026-11-21 10:15".to_string(), 1, 3),
            ("2026-11-21 10:30".to_string(), 2, 0),
        ]
    );
}

/// `vakt.toml` changes an agreement's re-paging per priority: Altinn A every 5 minutes, one
/// re-page a level; and turns Difi A's off (`limit = 0`). Naming a priority the agreement does
/// not re-page is refused at start.
#[tokio::test]
async fn the_deployment_overrides_the_cadence_and_the_limit() {
    let config =
        "[agreements.altinn.repaging.A]\nevery = \"5m\"\nlimit = 1\n\n[agreements.difi.repaging.A]\nlimit = 0\n";
    let h = Harness::with_config("2026-11-23T10:00:00+01:00", config).await;
    let s = h.service();
    s.open(&responder(), "altinn", "Portal down", "", facts("unavailable"))
        .await
        .expect("open");
    s.open(&responder(), "difi", "ID-porten down", "", facts("security"))
        .await
        .expect("open");
    h.advance("2026-11-23T10:20:00+01:00").await;
    let posted = h.chat.take();
    assert_eq!(
        pages(&h, "altinn", &posted),
        [
            ("2026-11-23 10:05".to_string(), 1, 1),
            ("2026-11-23 10:10".to_string(), 2, 0),
            ("2026-11-23 10:15".to_string(), 2, 1),
            ("2026-11-23 10:20".to_string(), 3, 0),
        ]
    );
    assert!(
        !posted
            .iter()
            .any(|p| matches!(p.message.notice, Notice::Repaged { .. }) && p.message.channel.agreement == "difi"),
        "Difi's re-paging is off"
    );

    let db = common::TempDb::new();
    let bad = "[agreements.altinn.repaging.C]\nlimit = 2\n";
    let catalog = common::catalog();
    std::fs::write(db.dir().join("vakt.toml"), bad).expect("write");
    let mut c = vakt::config::Config::load(&db.dir().join("vakt.toml"), &|_| None).expect("parses");
    let err = c.resolve(&catalog, &db.dir().join("vakt.toml")).expect_err("refused");
    assert!(err.to_string().contains("repaging.C"), "{err}");
}

/// Editing: the title and description change, the card follows (an announcement), the old
/// text stays in the timeline; naming nothing, an empty title or the same text is refused and
/// changes nothing.
#[tokio::test]
async fn edits_keep_the_old_text_in_the_timeline() {
    let h = Harness::start("2026-11-23T10:00:00+01:00").await;
    let s = h.service();
    let inc = s
        .open(&responder(), "ssbtek", "SHS slow", "Some users", facts("2"))
        .await
        .expect("open");
    let id = inc.id().to_string();
    let edited = s
        .edit(&responder(), &id, Some("SHS down"), Some("All users since 09:50"))
        .await
        .expect("edit");
    assert_eq!(
        (edited.title(), edited.description()),
        ("SHS down", "All users since 09:50")
    );
    let events = h.events(&id).await;
    assert!(events.contains(&Event::Edited {
        field: vakt::domain::incident::EditedField::Title,
        before: "SHS slow".into(),
        after: "SHS down".into(),
    }));
    assert!(events.contains(&Event::Edited {
        field: vakt::domain::incident::EditedField::Description,
        before: "Some users".into(),
        after: "All users since 09:50".into(),
    }));
    for (title, description) in [(None, None), (Some("  "), None), (Some("SHS down"), None)] {
        let r = s.edit(&responder(), &id, title, description).await;
        assert!(
            matches!(r, Err(ServiceError::User(UserError::Incident(_)))),
            "{title:?} {description:?}: {r:?}"
        );
    }
    assert_eq!(
        h.incident(&id).await.version(),
        edited.version(),
        "refusals change nothing"
    );
    h.advance("2026-11-23T10:01:00+01:00").await;
    let posted = h.chat.take_all();
    let edits: Vec<_> = posted
        .iter()
        .filter_map(|p| match &p.message.notice {
            Notice::Edited {
                incident,
                title_before,
                description,
                ..
            } => Some((incident.title.clone(), title_before.clone(), *description)),
            _ => None,
        })
        .collect();
    assert_eq!(edits, [("SHS down".to_string(), Some("SHS slow".to_string()), true)]);
}

/// Linking: a second report of the same outage is marked a duplicate of the first; it is
/// resolved (no warning, escalation or status posts for it afterwards), points to the first,
/// and the first goes on, its timeline naming the duplicate. An unknown original, itself, or a resolved duplicate are refused.
#[tokio::test]
async fn a_duplicate_is_resolved_with_a_pointer_and_its_clocks_stop() {
    let h = Harness::start("2026-11-23T10:00:00+01:00").await;
    let s = h.service();
    let first = s
        .open(&responder(), "ssbtek", "SHS down", "", facts("1"))
        .await
        .expect("open");
    let dup = s
        .open(&responder(), "ssbtek", "Cannot send SHS messages", "", facts("1"))
        .await
        .expect("open");
    let (first, dup) = (first.id().to_string(), dup.id().to_string());
    assert!(matches!(
        s.mark_duplicate(&responder(), &dup, "SSB-2026-0099").await,
        Err(ServiceError::User(UserError::NotFound(_)))
    ));
    assert!(matches!(
        s.mark_duplicate(&responder(), &dup, &dup).await,
        Err(ServiceError::User(UserError::Incident(
            IncidentError::DuplicateOfItself
        )))
    ));
    let marked = s.mark_duplicate(&responder(), &dup, &first).await.expect("link");
    assert_eq!(marked.state(), vakt::domain::incident::State::Resolved);
    assert_eq!(marked.duplicate_of().map(|i| i.as_str()), Some(first.as_str()));
    assert!(
        h.events(&dup)
            .await
            .contains(&Event::MarkedDuplicate { of: first.clone() })
    );
    assert!(matches!(
        s.mark_duplicate(&responder(), &dup, &first).await,
        Err(ServiceError::User(UserError::Incident(
            IncidentError::IllegalTransition { .. }
        )))
    ));
    // The original's timeline names the duplicate, once (the refused links wrote nothing),
    // with who linked it; nothing else about the original changed.
    let linked: Vec<_> = h
        .timeline(&first)
        .await
        .into_iter()
        .filter(|e| matches!(&e.event, Event::DuplicateLinked { duplicate } if *duplicate == dup))
        .map(|e| e.actor)
        .collect();
    assert_eq!(linked, [responder().id.to_string()]);
    assert!(
        h.timeline(&dup)
            .await
            .iter()
            .all(|e| !matches!(e.event, Event::DuplicateLinked { .. }))
    );
    assert_eq!(h.incident(&first).await.state(), vakt::domain::incident::State::Open);
    // A day on: the original warned and escalated; the duplicate posted only its own
    // announcements (opened, marked a duplicate).
    h.advance("2026-11-24T10:00:00+01:00").await;
    let posted = h.chat.take_all();
    let of = |id: &str| -> Vec<&Notice> {
        posted
            .iter()
            .map(|p| &p.message.notice)
            .filter(|n| n.incident().is_some_and(|i| i.id.as_str() == id))
            .collect()
    };
    assert!(of(&first).iter().any(|n| matches!(n, Notice::Warning { .. })));
    assert!(of(&first).iter().any(|n| matches!(n, Notice::Escalated { .. })));
    let dup_posts = of(&dup);
    assert!(
        dup_posts
            .iter()
            .all(|n| matches!(n, Notice::Opened { .. } | Notice::MarkedDuplicate { .. })),
        "{dup_posts:?}"
    );
    assert!(dup_posts.iter().any(|n| matches!(n, Notice::MarkedDuplicate { .. })));
}

/// A month of a forgotten Altinn A (hourly status around the clock), counting the posts: the
/// first three reminders ping the lead, the third also the managers, the rest ping nobody; a
/// human update starts a new run (three more pings, the managers told again once); a
/// manager's week-long snooze pauses the status updates (a responder may snooze a day at
/// most), and the cadence resumes after it.
#[tokio::test]
async fn a_month_of_unanswered_reminders_stays_quiet() {
    let (h, id) = with_incident("2026-11-02T10:00:00+01:00", "altinn", "Portal slow", "unavailable").await;
    let s = h.service();
    s.acknowledge(&responder(), &id).await.expect("ack");
    h.advance("2026-11-12T10:30:00+01:00").await;
    s.add_update(&responder(), &id, "still looking").await.expect("note");
    h.advance("2026-11-17T10:30:00+01:00").await;
    let week = common::at("2026-11-24T10:30:00+01:00");
    assert!(matches!(
        s.snooze(&responder(), &id, week, "waiting for the vendor").await,
        Err(ServiceError::User(UserError::Incident(
            IncidentError::SnoozeNeedsManager
        )))
    ));
    assert!(matches!(
        s.snooze(&responder(), &id, h.now(), "no").await,
        Err(ServiceError::User(UserError::Incident(IncidentError::SnoozeInThePast)))
    ));
    s.snooze(&manager(), &id, week, "waiting for the vendor")
        .await
        .expect("snooze");
    h.advance("2026-12-02T10:00:00+01:00").await;

    let posted = h.chat.posted_all();
    let statuses: Vec<&Posted> = posted
        .iter()
        .filter(|p| matches!(p.message.notice, Notice::Status { .. }))
        .collect();
    // 720 hourly slots from 11-02 11:00 to 12-02 10:00, less the 168 snoozed ones.
    assert_eq!(statuses.len(), 720 - 168);
    let snoozed_from = common::at("2026-11-17T10:30:00+01:00");
    assert!(
        !statuses.iter().any(|p| p.at > snoozed_from && p.at < week),
        "nothing posted while snoozed"
    );
    let pinging: Vec<&&Posted> = statuses.iter().filter(|p| !p.message.mentions.is_empty()).collect();
    assert_eq!(pinging.len(), 6, "three reminders in each run ping");
    let managers: Vec<&&&Posted> = pinging
        .iter()
        .filter(|p| p.message.mentions.contains(&Mention::Managers))
        .collect();
    assert_eq!(
        managers.iter().map(|p| p.at).collect::<Vec<_>>(),
        [
            common::at("2026-11-02T13:00:00+01:00"),
            common::at("2026-11-12T14:00:00+01:00")
        ],
        "the managers are told once a run"
    );
    assert_eq!(
        posted
            .iter()
            .filter(|p| matches!(p.message.notice, Notice::Snoozed { .. }))
            .count(),
        1,
        "the snooze is announced"
    );
    assert!(h.events(&id).await.iter().any(|e| matches!(e, Event::Snoozed { .. })));
}

/// A warning floor of 10 minutes (`vakt.toml`): SSBTEK's 30-minute response target warns at
/// 15, 22.5 and 27 minutes; the one at 22.5 is closer than 10 minutes to the one kept before
/// it (15) and collapses into it; 27 is 12 minutes after 15 and stays.
#[tokio::test]
async fn warnings_closer_than_the_floor_collapse_into_one() {
    let h = Harness::with_config(
        "2026-11-23T10:00:00+01:00",
        "[agreements.ssbtek]\nwarning_floor = \"10m\"\n",
    )
    .await;
    let inc = h
        .service()
        .open(&responder(), "ssbtek", "SHS down", "", facts("1"))
        .await
        .expect("open");
    h.advance("2026-11-23T10:31:00+01:00").await;
    let warnings: Vec<(u32, chrono::DateTime<chrono::Utc>)> = h
        .chat
        .take()
        .iter()
        .filter_map(|p| match &p.message.notice {
            Notice::Warning { percent, .. } => Some((*percent, p.at)),
            _ => None,
        })
        .collect();
    assert_eq!(
        warnings,
        [
            (50, common::at("2026-11-23T10:15:00+01:00")),
            (90, common::at("2026-11-23T10:27:00+01:00"))
        ]
    );
    let _ = inc;
}

/// "The system is up again" (Borger.dk 6, item 5) follows a P1 outage, not a P1 for a breach
/// of legal requirements: the site was never down.
#[tokio::test]
async fn system_up_again_only_after_an_outage() {
    let h = Harness::start("2026-11-23T10:00:00+01:00").await;
    let s = h.service();
    let down = s
        .open(&responder(), "borger-dk", "Site down", "", facts("unavailable"))
        .await
        .expect("open");
    let breach = s
        .open(
            &responder(),
            "borger-dk",
            "Login breaks data-protection rules",
            "",
            facts("legal"),
        )
        .await
        .expect("open");
    assert_eq!((down.priority().as_str(), breach.priority().as_str()), ("1", "1"));
    for inc in [&down, &breach] {
        s.resolve(
            &responder(),
            inc.id().as_str(),
            vakt::domain::incident::Resolution::Fix,
            None,
        )
        .await
        .expect("resolve");
    }
    h.advance("2026-11-23T10:05:00+01:00").await;
    let up_again: Vec<String> = h
        .chat
        .take()
        .iter()
        .filter_map(|p| match &p.message.notice {
            Notice::FollowUp { incident, id, .. } if id == "back_up" => Some(incident.id.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(up_again, [down.id().to_string()]);
}

/// Structured status updates: Inera P1 at 10:00 (hourly status? none; the ETA follow-up at
/// 14:00). An update with the area, who is affected, the cause and an expected resolution is
/// announced with its fields, kept as the latest of each, shown by `show`; the ETA satisfies
/// the follow-up that asks for it. A later update of one field replaces only that one;
/// naming nothing is refused.
#[tokio::test]
async fn structured_updates_keep_the_latest_of_each_and_satisfy_the_eta_follow_up() {
    use vakt::domain::incident::StatusFields;
    let (h, id) = with_incident("2026-11-23T10:00:00+01:00", "inera", "Journal down", "unusable").await;
    let s = h.service();
    let eta = common::at("2026-11-23T16:00:00+01:00");
    let fields = StatusFields {
        area: Some("Journal via 1177".into()),
        affected: Some("All regions, about 40 000 users".into()),
        cause: Some("Database failover".into()),
        eta: Some(eta),
    };
    s.add_status(&responder(), &id, None, &fields).await.expect("update");
    h.advance("2026-11-23T11:00:00+01:00").await;
    let later = StatusFields {
        cause: Some("Storage controller".into()),
        ..StatusFields::default()
    };
    s.add_status(&responder(), &id, Some("vendor on site"), &later)
        .await
        .expect("update");
    assert!(matches!(
        s.add_status(&responder(), &id, None, &StatusFields::default()).await,
        Err(ServiceError::User(UserError::Incident(IncidentError::Empty(_))))
    ));
    let now = h.incident(&id).await;
    let latest = now.latest_fields();
    assert_eq!(latest.fields.area.as_deref(), Some("Journal via 1177"));
    assert_eq!(latest.fields.cause.as_deref(), Some("Storage controller"));
    assert_eq!(latest.fields.eta, Some(eta));
    assert_eq!(latest.at[0], Some(common::at("2026-11-23T10:00:00+01:00")));
    assert_eq!(latest.at[2], Some(common::at("2026-11-23T11:00:00+01:00")));
    assert_eq!(now.last_note(), Some("vendor on site"));

    h.advance("2026-11-23T15:00:00+01:00").await;
    let posted = h.chat.take_all();
    let updates: Vec<StatusFields> = posted
        .iter()
        .filter_map(|p| match &p.message.notice {
            Notice::Updated { fields, .. } => Some(fields.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(updates, [fields, later]);
    assert!(
        !posted
            .iter()
            .any(|p| matches!(&p.message.notice, Notice::FollowUp { id, .. } if id == "eta")),
        "the ETA was given: the follow-up asking for it is not posted"
    );
}

/// A status post carries the latest fields and how old each is.
#[tokio::test]
async fn status_posts_show_the_latest_fields_and_their_age() {
    use vakt::domain::incident::StatusFields;
    let h = Harness::start("2026-11-23T10:00:00+01:00").await;
    let s = h.service();
    let inc = s
        .open(&responder(), "altinn", "Portal down", "", facts("unavailable"))
        .await
        .expect("open");
    let fields = StatusFields {
        area: Some("Innlogging".into()),
        ..StatusFields::default()
    };
    h.advance("2026-11-23T10:20:00+01:00").await;
    s.add_status(&responder(), inc.id().as_str(), None, &fields)
        .await
        .expect("update");
    h.chat.take_all();
    h.advance("2026-11-23T11:00:00+01:00").await;
    let posted = h.chat.take();
    let status = posted
        .iter()
        .find(|p| matches!(p.message.notice, Notice::Status { .. }))
        .expect("the 11:00 status");
    let Notice::Status { status: content, .. } = &status.message.notice else {
        unreachable!()
    };
    assert_eq!(content.latest.fields, fields);
    assert_eq!(content.latest.at[0], Some(common::at("2026-11-23T10:20:00+01:00")));
    let text = common::text(&h, status);
    assert!(text.contains("Innlogging") && text.contains("40m"), "{text}");
}

/// Borger.dk's major-incident notice (6, step 2) must say which area is hit, who and how many
/// are affected and the time horizon (`required_fields` on the notification and the status
/// cadence): P1 opened Monday 09:00. The notification names all three as missing; rita
/// acknowledges and gives the area and who is affected at 09:30; the 10:00 status post shows
/// them and asks her (pinged) for the time horizon alone; she gives an ETA at 10:20 and the
/// 11:00 post shows all three, asks nothing and pings nobody. Another agreement's posts ask
/// for nothing.
#[tokio::test]
async fn borger_dk_major_incident_posts_ask_the_lead_for_the_missing_contents() {
    use vakt::domain::incident::{StatusField, StatusFields};
    let h = Harness::with_config(
        "2026-11-23T09:00:00+01:00",
        "[agreements.borger-dk]\nquiet_after = 0\n\n[agreements.borger-dk.repaging.1]\nlimit = 0\n",
    )
    .await;
    let s = h.service();
    let inc = borger_p1(&h).await;
    let id = inc.id().to_string();
    assert_eq!(inc.priority(), "1");
    h.advance("2026-11-23T09:00:00+01:00").await;
    let posted = h.chat.take();
    let missing_in_notification: Vec<_> = posted
        .iter()
        .filter_map(|p| match &p.message.notice {
            Notice::Notification { missing, clause, .. } => Some((missing.clone(), clause.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        missing_in_notification,
        [(
            vec![StatusField::Area, StatusField::Affected, StatusField::Eta],
            "6, 9".to_string()
        )]
    );

    h.advance("2026-11-23T09:05:00+01:00").await;
    s.acknowledge(&responder(), &id).await.expect("ack");
    h.advance("2026-11-23T09:30:00+01:00").await;
    let given = StatusFields {
        area: Some("MitID login".into()),
        affected: Some("All citizens, about 30 %".into()),
        ..StatusFields::default()
    };
    s.add_status(&responder(), &id, None, &given).await.expect("update");
    h.chat.take_all();

    let status_at = |h: &Harness, posted: &[Posted], t: &str| -> (Vec<StatusField>, Vec<Mention>, String) {
        let p = posted
            .iter()
            .find(|p| p.at == common::at(t) && matches!(p.message.notice, Notice::Status { .. }))
            .unwrap_or_else(|| panic!("a status post at {t}"));
        let Notice::Status { status, .. } = &p.message.notice else {
            unreachable!()
        };
        (status.missing.clone(), p.message.mentions.clone(), common::text(h, p))
    };
    h.advance("2026-11-23T10:00:00+01:00").await;
    let posted = h.chat.take();
    let (missing, mentions, text) = status_at(&h, &posted, "2026-11-23T10:00:00+01:00");
    assert_eq!(missing, [StatusField::Eta]);
    assert_eq!(mentions, [Mention::User("rita".into())], "the lead is asked");
    assert!(
        text.contains("MitID login") && text.contains("All citizens, about 30 %"),
        "{text}"
    );

    h.advance("2026-11-23T10:20:00+01:00").await;
    let eta = StatusFields {
        eta: Some(common::at("2026-11-23T13:00:00+01:00")),
        ..StatusFields::default()
    };
    s.add_status(&responder(), &id, None, &eta).await.expect("update");
    h.chat.take_all();
    h.advance("2026-11-23T11:00:00+01:00").await;
    let posted = h.chat.take();
    let (missing, mentions, with_all) = status_at(&h, &posted, "2026-11-23T11:00:00+01:00");
    assert!(missing.is_empty(), "{missing:?}");
    assert!(mentions.is_empty(), "nothing to ask, an update came: {mentions:?}");
    assert!(
        with_all.contains("MitID login") && with_all.contains("13:00"),
        "{with_all}"
    );
    // The 10:00 post named the lead it asked; the 11:00 one names nobody.
    assert!(
        text.contains("rita") && !with_all.contains("rita"),
        "{text}\n---\n{with_all}"
    );

    // Altinn's status posts require nothing.
    let alt = s
        .open(&responder(), "altinn", "Portal down", "", facts("unavailable"))
        .await
        .expect("open");
    h.advance("2026-11-23T12:00:00+01:00").await;
    for p in h.chat.take_all() {
        match &p.message.notice {
            Notice::Status { incident, status } if incident.id == *alt.id() => {
                assert!(status.missing.is_empty())
            }
            Notice::Notification { incident, missing, .. } if incident.id == *alt.id() => {
                assert!(missing.is_empty())
            }
            _ => {}
        }
    }
}
