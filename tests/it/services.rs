//! Issue 17, parts 1, 6 and 7: the services each agreement covers (operating time,
//! readiness, availability targets, maintenance rules, with their clauses), the complement
//! schedule (Borger.dk's secondary time), incidents naming their service, and reports due
//! "by" or "on" their day around weekends and holidays, for every agreement.

use crate::common;

use chrono::{Datelike, IsoWeek, NaiveDate};
use common::{Harness, at, catalog, facts, responder};
use vakt::domain::agreement::{DueRule, Period, Shift};
use vakt::domain::classify::deadlines_on;
use vakt::domain::clock::BusinessDuration;
use vakt::domain::duty::{annual_report_at, monthly_report_at, weekly_summary_at};
use vakt::service::{ServiceError, UserError};

/// Every service of the five agreements, with the figures of its clause.
#[test]
fn every_service_of_the_five_agreements_is_encoded_with_its_clause() {
    let cat = catalog();
    // (agreement, service, operating schedule, [(target %, schedule)], [(kind, notice, per year)])
    type Row = (
        &'static str,
        &'static str,
        &'static str,
        Vec<(f64, &'static str)>,
        Vec<(&'static str, &'static str, Option<u32>)>,
    );
    let rows: Vec<Row> = vec![
        (
            "altinn",
            "platform",
            "platform",
            vec![(99.9, "platform")],
            vec![("planned", "5wd", None)],
        ),
        (
            "altinn",
            "tul_tt",
            "tul_tt",
            vec![(99.8, "tul_tt")],
            vec![("planned", "5wd", None)],
        ),
        (
            "altinn",
            "at_yt",
            "at_yt",
            vec![(99.0, "at_yt")],
            vec![("planned", "5wd", None)],
        ),
        (
            "altinn",
            "seres",
            "seres",
            vec![(99.8, "seres")],
            vec![("planned", "3wd", None)],
        ),
        (
            "borger-dk",
            "borger-dk",
            "agreed",
            vec![(99.7, "primary"), (99.7, "secondary")],
            vec![
                ("2h", "3d", Some(4)),
                ("4h", "7d", Some(4)),
                ("7h", "21d", Some(4)),
                ("unplanned", "7d", Some(4)),
            ],
        ),
        (
            "ssbtek",
            "ssbtek",
            "support",
            vec![(98.0, "support")],
            vec![("planned", "28d", None)],
        ),
        ("inera", "tjansten", "around_the_clock", vec![], vec![]),
        ("difi", "felles", "around_the_clock", vec![], vec![]),
        (
            "difi",
            "idporten",
            "around_the_clock",
            vec![(99.9, "around_the_clock")],
            vec![("window", "5wd", Some(10))],
        ),
        (
            "difi",
            "krr",
            "around_the_clock",
            vec![(99.9, "around_the_clock")],
            vec![("window", "5wd", Some(10))],
        ),
        (
            "difi",
            "postkasse",
            "around_the_clock",
            vec![(99.5, "around_the_clock")],
            vec![("window", "5wd", Some(18))],
        ),
        (
            "difi",
            "esignering",
            "around_the_clock",
            vec![(99.5, "around_the_clock")],
            vec![("window", "5wd", None)],
        ),
        (
            "difi",
            "eformidling",
            "eformidling",
            vec![(99.0, "eformidling")],
            vec![],
        ),
    ];
    for a in &cat.agreements {
        let mine: Vec<&Row> = rows.iter().filter(|r| r.0 == a.id).collect();
        assert_eq!(a.services.len(), mine.len(), "{}: services", a.id);
        assert_eq!(
            a.services.iter().filter(|s| s.main).count(),
            1,
            "{}: one main service",
            a.id
        );
        for (_, id, operating, targets, kinds) in mine {
            let s = a.service(id).unwrap_or_else(|| panic!("{}: service {id}", a.id));
            assert_eq!(s.operating, *operating, "{id}");
            assert!(!s.prov.source.is_empty(), "{id}: clause");
            let got: Vec<(f64, &str)> = s.availability.iter().map(|t| (t.target, t.schedule.as_str())).collect();
            assert_eq!(&got, targets, "{id}: availability");
            for t in &s.availability {
                assert!(!t.prov.source.is_empty(), "{id}: availability clause");
            }
            let got: Vec<(&str, BusinessDuration, Option<u32>)> = s
                .maintenance
                .iter()
                .map(|m| (m.id.as_str(), m.notice, m.max_per_year))
                .collect();
            let want: Vec<(&str, BusinessDuration, Option<u32>)> = kinds
                .iter()
                .map(|(k, n, y)| (*k, BusinessDuration::parse(n).expect("duration"), *y))
                .collect();
            assert_eq!(got, want, "{id}: maintenance");
        }
    }
    // The rules beyond notice and count: Difi's nights to Tuesday, Borger.dk's 00–07 and
    // lengths, SSBTEK outside opening hours, 62 h and 4/12 outages a year.
    let difi = cat.get("difi").expect("difi");
    let window = |a: &str, s: &str| {
        let m = &cat.get(a).expect("agreement").service(s).expect("service").maintenance[0];
        m.window.map(|(_, w)| w.to_string())
    };
    assert_eq!(window("difi", "idporten").as_deref(), Some("00:30-05:00"));
    assert_eq!(window("difi", "postkasse").as_deref(), Some("00:00-06:00"));
    assert_eq!(window("borger-dk", "borger-dk").as_deref(), Some("00:00-07:00"));
    let eformidling = difi.service("eformidling").expect("eformidling");
    assert_eq!(eformidling.readiness.as_deref(), Some("eformidling"));
    assert!(eformidling.prov.reading.is_some(), "the readiness is a reading");
    let bdk = cat.get("borger-dk").expect("borger-dk").main_service().expect("main");
    let lengths: Vec<Option<BusinessDuration>> = bdk.maintenance.iter().map(|m| m.max_duration).collect();
    assert_eq!(
        lengths,
        ["2h", "4h", "7h", "2h"]
            .map(|d| BusinessDuration::parse(d).ok())
            .to_vec()
    );
    let ssb = cat.get("ssbtek").expect("ssbtek").main_service().expect("main");
    assert_eq!(ssb.maintenance[0].outside.as_deref(), Some("support"));
    let t = &ssb.availability[0];
    assert_eq!(
        (t.period, t.max_downtime, t.max_outages_month, t.max_outages_year),
        (Period::Year, BusinessDuration::parse("62h").ok(), Some(4), Some(12))
    );
}

/// Borger.dk 5: secondary operating time is all time outside primary — evenings, nights,
/// weekends and the Danish public holidays closed in primary time.
#[test]
fn borger_dk_secondary_time_is_the_complement_of_primary() {
    let cat = catalog();
    let a = cat.get("borger-dk").expect("borger-dk");
    let primary = a.schedule("primary").expect("primary");
    let secondary = a.schedule("secondary").expect("secondary");
    // Monday 23 – Sunday 29 November 2026: 5 × 8 h primary, the other 128 h secondary.
    let (from, to) = (at("2026-11-23T00:00+01:00"), at("2026-11-30T00:00+01:00"));
    assert_eq!(primary.between(from, to).expect("between"), 40 * 3600);
    assert_eq!(secondary.between(from, to).expect("between"), 128 * 3600);
    // Ascension Day, Thursday 14 May 2026: closed in primary, so secondary all day.
    let (from, to) = (at("2026-05-14T00:00+02:00"), at("2026-05-15T00:00+02:00"));
    assert_eq!(primary.between(from, to).expect("between"), 0);
    assert_eq!(secondary.between(from, to).expect("between"), 24 * 3600);
    // A working day's edges: 08:29 secondary, 08:30 primary, 16:30 secondary again.
    for (t, in_primary) in [
        ("2026-11-24T08:29+01:00", false),
        ("2026-11-24T08:30+01:00", true),
        ("2026-11-24T16:29+01:00", true),
        ("2026-11-24T16:30+01:00", false),
    ] {
        assert_eq!(primary.is_open(at(t)).expect("open"), in_primary, "{t}");
        assert_eq!(secondary.is_open(at(t)).expect("open"), !in_primary, "{t}");
    }
    // Across the October DST change the two still add up to the real hours (25 h on Sunday).
    let (from, to) = (at("2026-10-24T00:00+02:00"), at("2026-10-27T00:00+01:00"));
    let all = (to - from).num_seconds();
    assert_eq!(
        primary.between(from, to).expect("between") + secondary.between(from, to).expect("between"),
        all
    );
}

/// An incident names a service of its agreement (the main one by default); a service the
/// agreement does not cover is refused and changes nothing.
#[tokio::test]
async fn incidents_name_a_known_service_and_default_to_the_main_one() {
    let h = Harness::start("2026-11-24T10:00:00+01:00").await;
    let svc = h.service();
    let err = svc
        .open_on(&responder(), "difi", "Down", "", facts("unavailable"), Some("mitid"))
        .await
        .expect_err("unknown service");
    assert!(
        matches!(&err, ServiceError::User(UserError::UnknownService { service, known })
            if service == "mitid" && known.contains("idporten") && known.contains("eformidling")),
        "{err:?}"
    );
    assert!(h.jobs().await.is_empty(), "a refused opening plans nothing");
    let inc = svc
        .open(&responder(), "difi", "Down", "", facts("unavailable"))
        .await
        .expect("open");
    assert_eq!(inc.service(), Some("felles"), "the main service by default");
    assert_eq!(inc.id().as_str(), "DIFI-2026-0001", "the refusal took no number");
    let inc = svc
        .open_on(
            &responder(),
            "difi",
            "Login down",
            "",
            facts("unavailable"),
            Some(" idporten "),
        )
        .await
        .expect("open");
    assert_eq!(inc.service(), Some("idporten"));
}

/// Difi 6.8.2: eFormidling's incident handling is guaranteed on working days 08–16 only, so
/// its clock starts at that period's next opening; the other services' around the clock.
#[test]
fn a_service_with_its_own_readiness_starts_the_clock_in_it() {
    let cat = catalog();
    let a = cat.get("difi").expect("difi");
    // Saturday 28 November 2026 10:00.
    let saturday = at("2026-11-28T10:00+01:00");
    let d = deadlines_on(a, Some("eformidling"), "A", saturday).expect("deadlines");
    assert_eq!(d.clock_start, at("2026-11-30T08:00+01:00"), "Monday at 08:00");
    let d = deadlines_on(a, Some("idporten"), "A", saturday).expect("deadlines");
    assert_eq!(d.clock_start, saturday);
    let d = deadlines_on(a, None, "A", saturday).expect("deadlines");
    assert_eq!(d.clock_start, saturday);
}

fn day(a: &vakt::domain::agreement::Agreement, t: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    t.with_timezone(&a.tz).date_naive()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// Parts 6 and 7: a report due "by the Nth" moves to the working day before a closed day,
/// one due "on the Nth" as its reading says; every dated report says which. Around weekends
/// and public holidays, for every agreement (Borger.dk and Inera set no reports: their
/// weekly summary moves past a closed Monday).
#[test]
fn report_dates_around_weekends_and_holidays_for_every_agreement() {
    let cat = catalog();
    let monthly = |id: &str, y: i32, m: u32| {
        let a = cat.get(id).expect("agreement");
        day(a, monthly_report_at(a, y, m).expect("monthly"))
    };
    // Every dated report says whether it is due by or on its day, and "on" says where.
    assert_eq!(cat.get("altinn").expect("altinn").reports.monthly_due, DueRule::By);
    assert_eq!(cat.get("difi").expect("difi").reports.monthly_due, DueRule::By);
    assert_eq!(cat.get("difi").expect("difi").reports.annual_due, DueRule::By);
    let ssbtek = &cat.get("ssbtek").expect("ssbtek").reports;
    assert_eq!(ssbtek.monthly_due, DueRule::On { closed: Shift::Before });
    assert!(ssbtek.monthly_reading.is_some(), "the 'on' reading is stated");

    // Altinn, by the 15th (2.6.2): October 2026's on Friday 13 November (the 15th is a
    // Sunday; issue 17 found it posted Monday 16th); a working 15th stays.
    assert_eq!(monthly("altinn", 2026, 10), date("2026-11-13"));
    assert_eq!(monthly("altinn", 2026, 11), date("2026-12-15"));
    // March 2022: Friday 15 April 2022 is Good Friday, Thursday 14th Maundy Thursday →
    // Wednesday 13th.
    assert_eq!(monthly("altinn", 2022, 3), date("2022-04-13"));

    // Difi, by the 20th (1.4.2): November 2026's on Friday 18 December (20th a Sunday);
    // April 2024's: Monday 20 May 2024 is Whit Monday, Friday 17th Constitution Day →
    // Thursday 16th.
    assert_eq!(monthly("difi", 2026, 11), date("2026-12-18"));
    assert_eq!(monthly("difi", 2024, 4), date("2024-05-16"));
    assert_eq!(monthly("difi", 2026, 9), date("2026-10-20"));
    // The annual report by 30 January: Saturday 30 January 2027 → Friday 29th.
    let difi = cat.get("difi").expect("difi");
    assert_eq!(
        day(difi, annual_report_at(difi, 2026).expect("annual")),
        date("2027-01-29")
    );
    assert_eq!(
        day(difi, annual_report_at(difi, 2025).expect("annual")),
        date("2026-01-30")
    );

    // SSBTEK, on the 10th (5), read as never after it: Saturday 10 October 2026 → Friday
    // 9th; Thursday 10 May 2029 is Ascension Day → Wednesday 9th; a working 10th stays.
    assert_eq!(monthly("ssbtek", 2026, 9), date("2026-10-09"));
    assert_eq!(monthly("ssbtek", 2029, 4), date("2029-05-09"));
    assert_eq!(monthly("ssbtek", 2026, 11), date("2026-12-10"));

    // Borger.dk and Inera set no reports; their weekly summary (Monday 08:30) moves past a
    // closed Monday: Easter Monday 29 March 2027 (Danish and Swedish) → Tuesday 30th.
    for id in ["borger-dk", "inera"] {
        let a = cat.get(id).expect("agreement");
        assert_eq!(a.reports.monthly_day, None, "{id}");
        let week: IsoWeek = date("2027-03-22").iso_week();
        assert_eq!(
            day(a, weekly_summary_at(a, week).expect("weekly")),
            date("2027-03-30"),
            "{id}"
        );
        let week: IsoWeek = date("2027-03-29").iso_week();
        assert_eq!(
            day(a, weekly_summary_at(a, week).expect("weekly")),
            date("2027-04-05"),
            "{id}"
        );
    }
}
