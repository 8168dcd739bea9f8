//! Issue 21, part 4: the calendar feed (`GET /calendar/<agreement>.ics?token=…`) over a real
//! socket, on both backends, parsed back with the `icalendar` crate's parser: maintenance
//! windows (a cancelled one marked cancelled), meetings and report due dates within the
//! horizon, with stable UIDs and UTC times; a missing, wrong or other agreement's token, and
//! an agreement without a feed, are all the same 404; a feed without the operations
//! listener is a start-up error.

use crate::common::backends::{Backend, on_backends};
use crate::common::{RecordingChat, at, catalog, config, manager, responder};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc, Weekday};
use icalendar::{CalendarDateTime, Component, DatePerhapsTime, EventStatus};
use std::collections::BTreeSet;
use std::sync::Arc;
use vakt::app::{self, App};
use vakt::console::clock::FakeClock;
use vakt::service::maintenance::Announcement;

const DIFI_TOKEN: &str = "difi-calendar-0123456789";
const ALTINN_TOKEN: &str = "altinn-calendar-0123456789";

const CONFIG: &str = r#"
[ops]
listen = "127.0.0.1:0"

[calendar.difi]
token = "difi-calendar-0123456789"

[calendar.altinn]
token = "altinn-calendar-0123456789"
"#;

/// vakt over `backend` configured by `text`, the clock at Monday 7 December 2026 15:00 in
/// Oslo; its listener not started.
async fn wire(backend: &Backend, text: &str) -> (App, Arc<FakeClock>) {
    let catalog = catalog();
    let config = config(backend.dir(), Some(text), &catalog);
    let clock = Arc::new(FakeClock::new(at("2026-12-07T15:00:00+01:00")));
    let chat = Arc::new(RecordingChat::new(clock.clone()));
    let app = app::wire(
        Arc::new(config),
        Arc::new(catalog),
        clock.clone(),
        chat,
        backend.open().await,
        "runner-1",
    );
    (app, clock)
}

/// vakt over `backend` with the feeds configured and its listener started.
async fn start(
    backend: &Backend,
) -> (
    App,
    Arc<FakeClock>,
    std::net::SocketAddr,
    tokio::sync::watch::Sender<bool>,
) {
    let (app, clock) = wire(backend, CONFIG).await;
    let (stop, rx) = tokio::sync::watch::channel(false);
    let (addr, _task) = app::start_ops(&app, rx).await.expect("bind").expect("configured");
    (app, clock, addr, stop)
}

/// GETs `path`: the status, the content type and the body.
async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String, String) {
    let res = reqwest::get(format!("http://{addr}{path}")).await.expect("send");
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, kind, res.text().await.expect("body"))
}

/// The feed of `agreement`, parsed.
async fn feed(addr: std::net::SocketAddr, agreement: &str, token: &str) -> icalendar::Calendar {
    let (status, kind, body) = get(addr, &format!("/calendar/{agreement}.ics?token={token}")).await;
    assert_eq!(status, 200, "{body}");
    assert!(kind.starts_with("text/calendar"), "{kind}");
    body.parse::<icalendar::Calendar>()
        .unwrap_or_else(|e| panic!("the feed parses: {e}\n{body}"))
}

fn utc(t: Option<DatePerhapsTime>) -> DateTime<Utc> {
    match t {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(t))) => t,
        other => panic!("a UTC time: {other:?}"),
    }
}

fn date(t: Option<DatePerhapsTime>) -> NaiveDate {
    match t {
        Some(DatePerhapsTime::Date(d)) => d,
        other => panic!("a date: {other:?}"),
    }
}

fn events<'a>(cal: &'a icalendar::Calendar, prefix: &str) -> Vec<&'a icalendar::Event> {
    cal.events()
        .filter(|e| e.get_uid().is_some_and(|u| u.starts_with(prefix)))
        .collect()
}

fn uids(cal: &icalendar::Calendar) -> Vec<String> {
    cal.events().filter_map(|e| e.get_uid().map(str::to_string)).collect()
}

fn tuesday_night(start: &str) -> Announcement {
    Announcement {
        agreement: "difi".into(),
        service: Some("idporten".into()),
        kind: None,
        start: at(start),
        duration: Duration::minutes(270),
        description: "Database upgrade".into(),
        reason: None,
    }
}

async fn windows_meetings_and_report_dates_are_listed(backend: Backend) {
    let (app, clock, addr, _stop) = start(&backend).await;
    let standing = app
        .service
        .announce_window(&responder(), &tuesday_night("2026-12-15T00:30+01:00"))
        .await
        .expect("announced");
    let dropped = app
        .service
        .announce_window(&responder(), &tuesday_night("2026-12-22T00:30+01:00"))
        .await
        .expect("announced");
    app.service
        .cancel_window(&manager(), "difi", dropped.id)
        .await
        .expect("cancelled");

    let cal = feed(addr, "difi", DIFI_TOKEN).await;
    let all = uids(&cal);
    assert_eq!(
        all.iter().collect::<BTreeSet<_>>().len(),
        all.len(),
        "UIDs are unique: {all:?}"
    );
    let now = clock_now(&clock);
    for e in cal.events() {
        assert_eq!(e.get_timestamp(), Some(now), "DTSTAMP is when the feed was read");
        assert!(
            !e.get_summary().unwrap_or("").trim().is_empty(),
            "every event has a summary"
        );
    }

    // The maintenance windows: the standing one confirmed, the cancelled one cancelled.
    let maintenance = events(&cal, "maintenance-");
    assert_eq!(maintenance.len(), 2);
    let by_uid = |id: i64| {
        maintenance
            .iter()
            .find(|e| e.get_uid() == Some(format!("maintenance-{id}@difi.vakt").as_str()))
            .unwrap_or_else(|| panic!("window {id} is listed"))
    };
    let s = by_uid(standing.id);
    assert_eq!(utc(s.get_start()), standing.start);
    assert_eq!(utc(s.get_end()), standing.end);
    assert_eq!(s.get_status(), Some(EventStatus::Confirmed));
    assert_eq!(s.get_description(), Some("Database upgrade"));
    let d = by_uid(dropped.id);
    assert_eq!(d.get_status(), Some(EventStatus::Cancelled));
    assert_ne!(s.get_summary(), d.get_summary(), "the cancelled one says so");
    // In Difi's language, Norwegian.
    assert!(
        s.get_summary().is_some_and(|t| t.starts_with("Vedlikehold: ")),
        "{:?}",
        s.get_summary()
    );

    // Difi's reports (1.4.2): monthly by the 20th, annual by 30 January, each moved to the
    // working day before a closed day. November's is due Friday 18 December (the 20th is a
    // Sunday), 2026's on Friday 29 January 2027; October's (20 November) is within the past
    // 30 days, and the months on to October 2027 within the year ahead.
    let monthly: Vec<NaiveDate> = events(&cal, "report-monthly-")
        .iter()
        .map(|e| date(e.get_start()))
        .collect();
    assert!(
        monthly.contains(&NaiveDate::from_ymd_opt(2026, 11, 20).expect("date")),
        "{monthly:?}"
    );
    assert!(
        monthly.contains(&NaiveDate::from_ymd_opt(2026, 12, 18).expect("date")),
        "{monthly:?}"
    );
    assert_eq!(monthly.len(), 13, "October 2026 to October 2027: {monthly:?}");
    for d in &monthly {
        assert!(
            !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
            "{d} is a working day"
        );
    }
    let annual: Vec<NaiveDate> = events(&cal, "report-annual-")
        .iter()
        .map(|e| date(e.get_start()))
        .collect();
    assert_eq!(annual, vec![NaiveDate::from_ymd_opt(2027, 1, 29).expect("date")]);
    assert!(
        events(&cal, "meeting-").is_empty(),
        "Difi's meetings are held as needed"
    );

    // Read again a week later: what is still in the horizon keeps its UID.
    clock.advance(Duration::days(7));
    let later = uids(&feed(addr, "difi", DIFI_TOKEN).await);
    for uid in all.iter().filter(|u| !u.starts_with("report-monthly-2026-10")) {
        assert!(later.contains(uid), "{uid} is stable");
    }

    // Altinn's weekly status meeting (Tuesdays 10:00 Oslo time, moved past closed days),
    // an hour each, for the past 30 days and the year ahead.
    let cal = feed(addr, "altinn", ALTINN_TOKEN).await;
    let meetings = events(&cal, "meeting-status-");
    assert!((54..=58).contains(&meetings.len()), "{} meetings", meetings.len());
    let oslo: chrono_tz::Tz = "Europe/Oslo".parse().expect("zone");
    let mut last: Option<DateTime<Utc>> = None;
    for m in meetings {
        let (start, end) = (utc(m.get_start()), utc(m.get_end()));
        assert_eq!(end - start, Duration::hours(1));
        assert_eq!(start.with_timezone(&oslo).hour(), 10, "{start}");
        if let Some(l) = last {
            assert!(start > l, "in order");
        }
        last = Some(start);
    }
    assert!(
        events(&cal, "maintenance-").is_empty(),
        "Difi's windows are not Altinn's"
    );
}

fn clock_now(clock: &FakeClock) -> DateTime<Utc> {
    use vakt::service::ports::Clock;
    clock.now()
}

async fn a_missing_or_wrong_token_is_the_same_404(backend: Backend) {
    let (app, _clock, addr, _stop) = start(&backend).await;
    app.service
        .announce_window(&responder(), &tuesday_night("2026-12-15T00:30+01:00"))
        .await
        .expect("announced");
    for path in [
        "/calendar/difi.ics".to_string(),
        "/calendar/difi.ics?token=".to_string(),
        format!("/calendar/difi.ics?token={DIFI_TOKEN}x"),
        format!("/calendar/difi.ics?token={}", &DIFI_TOKEN[..DIFI_TOKEN.len() - 1]),
        format!("/calendar/difi.ics?token={ALTINN_TOKEN}"),
        format!("/calendar/ssbtek.ics?token={DIFI_TOKEN}"),
        format!("/calendar/nowhere.ics?token={DIFI_TOKEN}"),
        format!("/calendar/difi?token={DIFI_TOKEN}"),
    ] {
        let (status, _, body) = get(addr, &path).await;
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("BEGIN:VCALENDAR"), "{path}: {body}");
    }
    assert_eq!(events(&feed(addr, "difi", DIFI_TOKEN).await, "maintenance-").len(), 1);
}

/// A feed is served on the operations listener: configured without one, vakt does not start.
async fn a_feed_without_the_operations_listener_is_a_start_up_error(backend: Backend) {
    let (app, _clock) = wire(&backend, "[calendar.difi]\ntoken = \"difi-calendar-0123456789\"\n").await;
    let (_stop, rx) = tokio::sync::watch::channel(false);
    let e = app::start_ops(&app, rx).await.expect_err("refused");
    assert!(e.to_string().contains("[ops] listen"), "{e}");
}

on_backends!(
    windows_meetings_and_report_dates_are_listed,
    a_missing_or_wrong_token_is_the_same_404,
    a_feed_without_the_operations_listener_is_a_start_up_error,
);
