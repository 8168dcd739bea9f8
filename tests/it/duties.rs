//! The agreement duties end to end (fake clock, recording chat, SQLite file): the weekly
//! summary and the meeting reminder are posted once each at the right local time to the
//! summary channel, the report behind each is stored, follow-up points appear in the
//! reminder and the summary until done, and all of it survives a restart without a repeat.

use crate::common;

use common::{Harness, Options, TempDb, at, local, responder};
use vakt::domain::ids::{AgreementId, UserId};
use vakt::service::notice::Notice;
use vakt::service::ports::{ChannelKind, ReportKind};
use vakt::service::reports::ReportValue;

/// The posts to Altinn's summary channel, as (local time, what).
fn altinn_posts(h: &Harness) -> Vec<(String, String)> {
    let tz = h.tz("altinn");
    h.chat
        .take()
        .into_iter()
        .filter(|p| p.message.channel.agreement == "altinn")
        .map(|p| {
            assert_eq!(p.message.channel.kind, ChannelKind::Summary);
            assert!(p.message.mentions.is_empty(), "duties ping nobody");
            let what = match &p.message.notice {
                Notice::Report { kind, period, .. } => format!("{kind:?} {period}"),
                Notice::MeetingReminder { meeting, starts_at, .. } => {
                    format!("reminder {meeting} {}", local(tz, *starts_at))
                }
                other => format!("{other:?}"),
            };
            (local(tz, p.at), what)
        })
        .collect()
}

#[tokio::test]
async fn weekly_summary_and_meeting_reminder_post_once_and_survive_a_restart() {
    let db = TempDb::new();
    let start = at("2026-11-18T12:00+01:00");
    let point_id;
    {
        let h = Harness::open(&db, Options::at(start)).await;
        h.service().schedule_duties().await.expect("schedule");
        h.service()
            .schedule_duties()
            .await
            .expect("schedule again (idempotent)");
        // A follow-up point, due (by default) at the next status meeting, Tue 24 Nov 10:00.
        let p = h
            .service()
            .add_point(
                &responder(),
                "altinn",
                "Send the <@&1> minutes fix",
                Some(UserId::new("ola")),
                None,
            )
            .await
            .expect("add point");
        assert_eq!(p.due, at("2026-11-24T10:00+01:00"));
        point_id = p.id;
        h.advance("2026-11-24T09:00+01:00").await;
        let want = vec![
            ("Mon 11-23 08:30:00".to_string(), "Weekly 2026-W47".to_string()),
            (
                "Mon 11-23 10:00:00".to_string(),
                "reminder status Tue 11-24 10:00:00".to_string(),
            ),
        ];
        let mut seen = h.chat.posted();
        seen.retain(|p| p.message.channel.agreement == "altinn");
        // The point is in both the summary and the reminder.
        for p in &seen {
            match &p.message.notice {
                Notice::Report { report, revision, .. } => {
                    assert_eq!(*revision, 1);
                    let ReportValue::Weekly(w) = report.as_ref() else {
                        panic!("weekly")
                    };
                    assert_eq!(w.points.iter().map(|x| x.id).collect::<Vec<_>>(), [point_id]);
                }
                Notice::MeetingReminder { points, agenda, .. } => {
                    assert_eq!(points.iter().map(|x| x.id).collect::<Vec<_>>(), [point_id]);
                    assert!(matches!(agenda.as_deref(), Some(ReportValue::Weekly(_))));
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(altinn_posts(&h), want);
        // Stored: the weekly report of W47 (generated again for the reminder's agenda, same
        // figures: still one revision).
        let stored = h.store().reports(&AgreementId::new("altinn")).await.expect("reports");
        assert_eq!(
            stored
                .iter()
                .map(|r| (r.report.kind, r.report.period.as_str(), r.revision))
                .collect::<Vec<_>>(),
            [(ReportKind::Weekly, "2026-W47", 1)]
        );
        h.sqlite.close().await;
    }
    // A new process a week later, down since Tuesday 09:00.
    let h = Harness::open(
        &db,
        Options {
            runner: "runner-2",
            ..Options::at(at("2026-11-27T12:00+01:00"))
        },
    )
    .await;
    h.service().schedule_duties().await.expect("schedule at start");
    h.service()
        .complete_point(&responder(), "altinn", point_id)
        .await
        .expect("done");
    h.advance("2026-12-01T09:00+01:00").await;
    assert_eq!(
        altinn_posts(&h),
        vec![
            ("Mon 11-30 08:30:00".to_string(), "Weekly 2026-W48".to_string()),
            (
                "Mon 11-30 10:00:00".to_string(),
                "reminder status Tue 12-01 10:00:00".to_string()
            ),
        ],
        "each once, nothing repeated after the restart"
    );
    assert!(h.service().open_points("altinn").await.expect("points").is_empty());
}

#[tokio::test]
async fn points_need_a_responder_and_a_meeting_with_points() {
    let h = Harness::start("2026-11-18T12:00+01:00").await;
    let nobody = vakt::service::Actor::new("nina", vec![]);
    let e = h
        .service()
        .add_point(&nobody, "altinn", "x", None, None)
        .await
        .expect_err("forbidden");
    assert!(e.is_user_error());
    // Difi's fora are as needed: no meeting to answer by.
    let e = h
        .service()
        .add_point(&responder(), "difi", "x", None, None)
        .await
        .expect_err("no meeting");
    assert!(matches!(
        e,
        vakt::service::ServiceError::User(vakt::service::UserError::NoPointsMeeting(_))
    ));
    let e = h
        .service()
        .add_point(&responder(), "altinn", "   ", None, None)
        .await
        .expect_err("empty");
    assert!(matches!(
        e,
        vakt::service::ServiceError::User(vakt::service::UserError::EmptyPoint)
    ));
    let e = h
        .service()
        .complete_point(&responder(), "altinn", 42)
        .await
        .expect_err("unknown");
    assert!(matches!(
        e,
        vakt::service::ServiceError::User(vakt::service::UserError::UnknownPoint(42))
    ));
    assert!(h.service().open_points("altinn").await.expect("points").is_empty());
}

/// The commands, typed as on the console and run through the one executor: a point raised
/// with `/meeting point add` (agreement defaulted when only one is configured), listed,
/// completed; `/report weekly` returns the typed summary, stored; bad input changes nothing.
#[tokio::test]
async fn meeting_and_report_commands() {
    use vakt::commands::{Command, exec, parse_console_line};
    // A deployment with one agreement.
    let h = Harness::fresh(Options {
        without: &["borger-dk", "difi", "inera", "ssbtek"],
        ..Options::at(at("2026-11-18T12:00+01:00"))
    })
    .await;
    let tz = h.tz("altinn");
    let h = &h;
    let run = |line: &str| {
        let cmd = parse_console_line(line, tz).expect("parses").expect("a command");
        async move { exec::execute(h.service(), &responder(), cmd).await }
    };
    let added = match run("/meeting point add \"Answer the minutes @everyone\" owner:ola").await {
        Ok(exec::Reply::PointAdded(p)) => p,
        other => panic!("{other:?}"),
    };
    assert_eq!(added.agreement, "altinn");
    assert_eq!(
        added.due,
        at("2026-11-24T10:00+01:00"),
        "due at the next status meeting"
    );
    assert_eq!(added.text, "Answer the minutes @everyone");
    match run("/meeting points").await {
        Ok(exec::Reply::Points { points, .. }) => {
            assert_eq!(points.iter().map(|p| p.id).collect::<Vec<_>>(), [added.id])
        }
        other => panic!("{other:?}"),
    }
    // `/report weekly` of the current week: the point is in it; the report is stored.
    match run("/report weekly week:2026-W47").await {
        Ok(exec::Reply::Report(n)) => match *n {
            Notice::Report {
                kind, period, report, ..
            } => {
                assert_eq!((kind, period.as_str()), (ReportKind::Weekly, "2026-W47"));
                let ReportValue::Weekly(w) = *report else {
                    panic!("weekly")
                };
                assert_eq!(w.points.len(), 1);
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert_eq!(
        h.store()
            .reports(&AgreementId::new("altinn"))
            .await
            .expect("reports")
            .len(),
        1
    );
    // Bad input: refused by the parser, nothing changed.
    assert!(parse_console_line("/meeting point done point:x", tz).is_err());
    assert!(parse_console_line("/report weekly week:2026-13", tz).is_err());
    assert!(matches!(
        parse_console_line(&format!("/meeting point done {}", added.id), tz),
        Ok(Some(Command::PointDone { id, .. })) if id == added.id
    ));
    match run(&format!("/meeting point done #{}", added.id)).await {
        Ok(exec::Reply::PointDone(p)) => assert!(p.done.is_some()),
        other => panic!("{other:?}"),
    }
    match run("/meeting points").await {
        Ok(exec::Reply::Points { points, .. }) => assert!(points.is_empty()),
        other => panic!("{other:?}"),
    }
}

/// With several agreements configured, a command that names none is refused.
#[tokio::test]
async fn several_agreements_need_the_agreement_named() {
    use vakt::commands::{exec, parse_console_line};
    let h = Harness::start("2026-11-18T12:00+01:00").await;
    let cmd = parse_console_line("/meeting points", chrono_tz::UTC)
        .expect("parses")
        .expect("cmd");
    let e = exec::execute(h.service(), &responder(), cmd)
        .await
        .expect_err("ambiguous");
    assert!(matches!(
        e,
        vakt::service::ServiceError::User(vakt::service::UserError::AgreementNeeded)
    ));
    assert!(e.is_user_error());
}

/// A report generated again gives the same stored revision; after an incident changes it is
/// stored as revision 2, revised, naming the changed and added incidents.
#[tokio::test]
async fn regenerating_a_report_revises_it_only_when_incidents_changed() {
    use vakt::domain::duty::Period;
    let h = Harness::start("2026-11-10T10:00+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "altinn", "Portal down", "", common::facts("unavailable"))
        .await
        .expect("open");
    h.set_clock(at("2026-11-10T11:00+01:00"));
    h.service()
        .resolve(
            &responder(),
            inc.id().as_str(),
            vakt::domain::incident::Resolution::Fix,
            None,
        )
        .await
        .expect("resolve");
    h.set_clock(at("2026-12-02T09:00+01:00"));
    let month = Period::parse("2026-11").expect("month");
    let first = h.service().generate_report("altinn", month).await.expect("generate");
    assert!(first.stored_now);
    assert_eq!((first.stored.revision, first.stored.revised()), (1, false));
    assert_eq!(
        first
            .value
            .sources()
            .iter()
            .map(|s| s.incident.clone())
            .collect::<Vec<_>>(),
        [inc.id().clone()]
    );
    let again = h.service().generate_report("altinn", month).await.expect("again");
    assert!(!again.stored_now, "same figures: the stored revision");
    assert_eq!(again.stored, first.stored);
    assert_eq!(
        h.service().compare_report("altinn", month).await.expect("compare"),
        Some(Default::default())
    );
    // The incident is reopened: a change to the month's data (its November resolution was
    // on time, so the reopen voids it and the month no longer counts it).
    h.service()
        .reopen(&responder(), inc.id().as_str(), "not fixed")
        .await
        .expect("reopen");
    let revised = h.service().generate_report("altinn", month).await.expect("revised");
    assert!(revised.stored_now);
    assert_eq!((revised.stored.revision, revised.stored.revised()), (2, true));
    let changes = revised.changes().expect("changes");
    assert!(changes.added.is_empty());
    assert_eq!(changes.changed.len() + changes.removed.len(), 1, "{changes:?}");
    let all = h.service().stored_reports("altinn").await.expect("list");
    assert_eq!(all.iter().map(|r| r.revision).collect::<Vec<_>>(), [1, 2]);
}

/// Down over two Mondays: the weekly summary planned for the first is skipped as missed (the
/// next one's time has passed too, so it would be posted on the wrong day); the next is
/// planned after now, once (scheduling at start adds no second job).
#[tokio::test]
async fn a_summary_missed_by_more_than_a_week_is_skipped_not_posted_late() {
    let db = TempDb::new();
    {
        let h = Harness::open(&db, Options::at(at("2026-11-18T12:00+01:00"))).await;
        h.service().schedule_duties().await.expect("schedule");
        h.sqlite.close().await;
    }
    let h = Harness::open(
        &db,
        Options {
            runner: "runner-2",
            ..Options::at(at("2026-12-02T12:00+01:00"))
        },
    )
    .await;
    h.service().schedule_duties().await.expect("schedule at start");
    h.tick().await;
    let summaries: Vec<_> = h
        .chat
        .take()
        .into_iter()
        .filter(|p| p.message.channel.agreement == "altinn" && matches!(p.message.notice, Notice::Report { .. }))
        .collect();
    assert!(summaries.is_empty(), "nothing posted on the wrong day");
    let jobs = h.jobs().await;
    let weekly: Vec<_> = jobs
        .iter()
        .filter(|j| j.key.starts_with("duty/altinn/weekly/"))
        .map(|j| (j.due_at, j.outcome.clone()))
        .collect();
    assert_eq!(
        weekly,
        [
            (at("2026-11-23T08:30+01:00"), Some("skipped:missed_period".to_string())),
            (at("2026-12-07T08:30+01:00"), None),
        ]
    );
}

/// Issue 16, item 6: the Altinn reminder at Monday 10:00 is built when it is posted, so the
/// A incident opened at 09:00 is in it (the agenda is last week's summary, which cannot know
/// it), and it names the meeting by its name.
#[tokio::test]
async fn a_meeting_reminder_lists_the_incidents_open_when_it_is_posted() {
    let db = TempDb::new();
    let h = Harness::open(&db, Options::at(at("2026-11-23T08:45+01:00"))).await;
    h.service().schedule_duties().await.expect("schedule");
    h.advance("2026-11-23T09:00+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "altinn", "Login down", "", common::facts("unavailable"))
        .await
        .expect("open");
    h.advance("2026-11-23T10:05+01:00").await;
    let reminders: Vec<_> = h
        .chat
        .posted()
        .into_iter()
        .filter_map(|p| match p.message.notice {
            Notice::MeetingReminder { name, open, .. } => Some((name, open)),
            _ => None,
        })
        .collect();
    assert_eq!(reminders.len(), 1, "one reminder");
    let (name, open) = &reminders[0];
    let altinn = common::catalog().get("altinn").cloned().expect("altinn");
    let status = altinn.meetings.iter().find(|m| m.id == "status").expect("status");
    assert_eq!(name, &status.name);
    assert_eq!(
        open.iter().map(|i| i.id.clone()).collect::<Vec<_>>(),
        [inc.id().clone()]
    );
}
