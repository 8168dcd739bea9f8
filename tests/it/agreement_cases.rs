//! Hand-worked incident cases for the five agreements in `agreements/`.
//!
//! Every case gives the reporter's facts and the report time, and the priority and the
//! response and resolution deadlines worked out BY HAND from the agreement file, the clock
//! rules (src/domain/clock.rs) and the DST rule (src/domain/time.rs). The comment above
//! each case shows the arithmetic. Instants are compared, not strings.
//!
//! Calendar facts used below (worked out once):
//! - 2026: Easter Sunday 5 Apr → Wed before Maundy Thursday 1 Apr, Maundy Thursday 2 Apr,
//!   Good Friday 3 Apr, Easter Monday 6 Apr, Ascension (E+39) Thu 14 May, Whit Sunday 24 May,
//!   Whit Monday Mon 25 May. 1 May is a Friday, 17 May a Sunday, 6 June a Saturday,
//!   Midsummer Eve (SE) Fri 19 June, Christmas Eve a Thursday, 1 Jan 2027 a Friday.
//!   DST: spring forward Sun 29 Mar (02:00 CET → 03:00 CEST), fall back Sun 25 Oct
//!   (03:00 CEST → 02:00 CET).
//! - 2027: Easter 28 Mar, so Whit Monday (E+50) = Mon 17 May = Norwegian Constitution Day.
//! - 2025: Easter Sunday 20 Apr → Good Friday 18 Apr, Easter Monday 21 Apr.
//! - 2023: Easter 9 Apr → Store Bededag (E+26) Fri 5 May, Ascension Thu 18 May.
//! - 2024: Easter 31 Mar → E+26 = Fri 26 Apr (no longer a Danish holiday from 2024).
//!
//! Schedules used (from the agreement files):
//! - altinn: service_desk Mon–Fri 08:00–15:45, 15 May–15 Sep 08:00–15:00, NO holidays
//!   closed (Christmas Eve is open); platform 24/7. A 5h platform, B 8h service_desk,
//!   C 3wd service_desk; no response targets.
//! - borger-dk: primary Mon–Fri 08:30–16:30 (8h a day), DK holidays closed (24 Dec, 31 Dec,
//!   5 Jun open). P1 15m/240m, P2 240m/480m, P3 2wd/10wd, P4 4wd/30wd.
//! - inera: around_the_clock 24/7; kontorstid Mon–Fri 08:00–17:00 (9h a day), SE holidays
//!   plus Midsummer Eve, Christmas Eve and New Year's Eve closed. P1 30m/4h and P2 1h/4h
//!   around the clock; P3 2h and P4 24h kontorstid, no resolution.
//! - ssbtek: support Mon–Fri 08:00–17:00 (9h a day), SE public holidays closed (no extra
//!   days). Timing 1 = day 20..month end, 2 = the 2 working days before that, 3 otherwise,
//!   judged on the clock-start date. P1 30m/8h, P2 60m/2wd, P3 8h/5wd, P4 24h/7wd.
//! - difi: no targets at all; user_support Mon–Fri 08:00–15:30, 08:00–12:00 on the
//!   Wednesday before Maundy Thursday, 24 Dec and 31 Dec, 09:00–15:00 on 27–30 Dec.

use chrono::{DateTime, Utc};
use std::path::Path;
use std::sync::OnceLock;
use vakt::agreements::{Catalog, load_dir};
use vakt::domain::agreement::Agreement;
use vakt::domain::classify::{Facts, classify, deadlines};
use vakt::domain::clock::BusinessDuration;

// ---------------------------------------------------------------------------------------
// Helpers

fn catalog() -> &'static Catalog {
    static CAT: OnceLock<Catalog> = OnceLock::new();
    CAT.get_or_init(|| {
        load_dir(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/agreements")))
            .unwrap_or_else(|e| panic!("the agreements do not load:\n{e}"))
    })
}

fn agreement(id: &str) -> &'static Agreement {
    catalog().get(id).unwrap_or_else(|| panic!("no agreement {id}"))
}

/// An RFC 3339 instant.
fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("bad test time {s}: {e}"))
        .with_timezone(&Utc)
}

fn facts(impact: &str) -> Facts {
    Facts {
        impact: impact.to_string(),
        ..Facts::default()
    }
}

/// What a case expects.
struct Expect {
    priority: &'static str,
    /// Timing class (ssbtek only; None for agreements without timing classes).
    timing: Option<&'static str>,
    response: Option<&'static str>,
    resolution: Option<&'static str>,
}

fn show(a: &Agreement, t: Option<DateTime<Utc>>) -> String {
    t.map_or("None".into(), |t| t.with_timezone(&a.tz).to_rfc3339())
}

fn check(id: &str, at: &str, f: Facts, e: Expect) {
    let a = agreement(id);
    let reported = t(at);
    let c = classify(a, &f, reported).unwrap_or_else(|err| panic!("{id} {at}: {err}"));
    assert_eq!(
        c.priority, e.priority,
        "{id} {at} {f:?}: priority (reasons: {:?})",
        c.reasons
    );
    assert_eq!(
        c.timing.as_deref(),
        e.timing,
        "{id} {at} {f:?}: timing class (reasons: {:?})",
        c.reasons
    );
    let d = deadlines(a, &c.priority, reported).unwrap_or_else(|err| panic!("{id} {at}: {err}"));
    let got_resp = d.response.as_ref().map(|x| x.at);
    let got_res = d.resolution.as_ref().map(|x| x.at);
    let want_resp = e.response.map(t);
    let want_res = e.resolution.map(t);
    assert_eq!(
        got_resp,
        want_resp,
        "{id} {at}: response deadline: got {}, want {}",
        show(a, got_resp),
        show(a, want_resp)
    );
    assert_eq!(
        got_res,
        want_res,
        "{id} {at}: resolution deadline: got {}, want {}",
        show(a, got_res),
        show(a, want_res)
    );
    if got_resp.is_none() && got_res.is_none() {
        assert_eq!(d.clock_start, reported, "{id} {at}: no targets → clock start = report");
    }
}

/// Starts a clock on one schedule of an agreement: (clock start, deadline).
fn add(id: &str, schedule: &str, at: &str, dur: &str) -> (DateTime<Utc>, DateTime<Utc>) {
    let a = agreement(id);
    let s = a
        .schedule(schedule)
        .unwrap_or_else(|| panic!("{id} has no schedule {schedule}"));
    let d = BusinessDuration::parse(dur).unwrap_or_else(|e| panic!("{dur}: {e}"));
    let span = s.add(t(at), d).unwrap_or_else(|e| panic!("{id} {at}: {e}"));
    (span.clock_start, span.deadline)
}

fn assert_add(id: &str, schedule: &str, at: &str, dur: &str, start: &str, deadline: &str) {
    let a = agreement(id);
    let (s, d) = add(id, schedule, at, dur);
    assert_eq!(
        s,
        t(start),
        "{id}/{schedule} {at} + {dur}: clock start got {}",
        show(a, Some(s))
    );
    assert_eq!(
        d,
        t(deadline),
        "{id}/{schedule} {at} + {dur}: deadline got {}",
        show(a, Some(d))
    );
}

fn assert_intervals(id: &str, schedule: &str, date: &str, want: &[(&str, &str)]) {
    let a = agreement(id);
    let s = a.schedule(schedule).expect("schedule");
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date");
    let got = s.open_intervals(day).expect("intervals");
    let want: Vec<_> = want.iter().map(|(x, y)| (t(x), t(y))).collect();
    assert_eq!(got, want, "{id}/{schedule} open intervals on {date}");
}

// =======================================================================================
// altinn (Europe/Oslo)
// A = security or impact unavailable/consequence; B = degraded; C = minor.

// Sat 28 Mar 2026 23:00 CET, A: 5 real hours on the 24/7 platform across the spring change.
// 23:00 CET → 02:00 CET = 3h; the clock jumps to 03:00 CEST; 2h left → 05:00 CEST.
// (In UTC: 22:00 + 5h = 03:00 UTC = 05:00 CEST; local wall time shows 6h.)
#[test]
fn altinn_01_a_saturday_night_across_spring_dst() {
    check(
        "altinn",
        "2026-03-28T23:00:00+01:00",
        facts("unavailable"),
        Expect {
            priority: "A",
            timing: None,
            response: None,
            resolution: Some("2026-03-29T05:00:00+02:00"),
        },
    );
}

// Sat 24 Oct 2026 23:30 CEST, A: 23:30 → 03:00 CEST = 3h30; the clock falls back to
// 02:00 CET; 1h30 left → 03:30 CET. (21:30 UTC + 5h = 02:30 UTC = 03:30 CET.)
#[test]
fn altinn_02_a_across_autumn_fold() {
    check(
        "altinn",
        "2026-10-24T23:30:00+02:00",
        facts("consequence"),
        Expect {
            priority: "A",
            timing: None,
            response: None,
            resolution: Some("2026-10-25T03:30:00+01:00"),
        },
    );
}

// Security flag with impact "minor" → A (rule 1 wins). Wed 23 Dec 22:00 + 5h 24/7
// → Thu 24 Dec 03:00.
#[test]
fn altinn_03_security_flag_makes_minor_a() {
    check(
        "altinn",
        "2026-12-23T22:00:00+01:00",
        Facts {
            security: true,
            ..facts("minor")
        },
        Expect {
            priority: "A",
            timing: None,
            response: None,
            resolution: Some("2026-12-24T03:00:00+01:00"),
        },
    );
}

// B, Fri 20 Nov 14:00 (winter hours 08:00–15:45): 1h45 left Friday (→15:45), 6h15 to go;
// Sat/Sun closed; Mon 23 Nov 08:00 + 6h15 → 14:15.
#[test]
fn altinn_04_b_friday_afternoon_over_weekend() {
    check(
        "altinn",
        "2026-11-20T14:00:00+01:00",
        facts("degraded"),
        Expect {
            priority: "B",
            timing: None,
            response: None,
            resolution: Some("2026-11-23T14:15:00+01:00"),
        },
    );
}

// B in summer hours (08:00–15:00): Thu 18 Jun 13:00, 2h left (→15:00), 6h to go;
// Fri 19 Jun (no midsummer holiday in Norway) 08:00 + 6h → 14:00.
#[test]
fn altinn_05_b_summer_hours() {
    check(
        "altinn",
        "2026-06-18T13:00:00+02:00",
        facts("degraded"),
        Expect {
            priority: "B",
            timing: None,
            response: None,
            resolution: Some("2026-06-19T14:00:00+02:00"),
        },
    );
}

// B, Wed 13 May 10:00 (still winter hours, summer starts 15 May): 5h45 left (→15:45),
// 2h15 to go; Thu 14 May Ascension closed; Fri 15 May first summer day 08:00 + 2h15 → 10:15.
#[test]
fn altinn_06_b_ascension_then_first_summer_day() {
    check(
        "altinn",
        "2026-05-13T10:00:00+02:00",
        facts("degraded"),
        Expect {
            priority: "B",
            timing: None,
            response: None,
            resolution: Some("2026-05-15T10:15:00+02:00"),
        },
    );
}

// B reported on Whit Monday Mon 25 May 09:00 (closed) → clock starts Tue 26 May 08:00;
// summer day is 7h (→15:00), 1h to go; Wed 27 May 08:00 + 1h → 09:00.
#[test]
fn altinn_07_b_reported_on_whit_monday() {
    check(
        "altinn",
        "2026-05-25T09:00:00+02:00",
        facts("degraded"),
        Expect {
            priority: "B",
            timing: None,
            response: None,
            resolution: Some("2026-05-27T09:00:00+02:00"),
        },
    );
}

// B, Fri 14 May 2027 16:00: after summer closing (15:00); Sat/Sun closed; Mon 17 May 2027 is
// both Constitution Day and Whit Monday → clock starts Tue 18 May 08:00; 7h (→15:00),
// 1h to go; Wed 19 May 08:00 + 1h → 09:00.
#[test]
fn altinn_08_b_evening_before_17_may() {
    check(
        "altinn",
        "2027-05-14T16:00:00+02:00",
        facts("degraded"),
        Expect {
            priority: "B",
            timing: None,
            response: None,
            resolution: Some("2027-05-19T09:00:00+02:00"),
        },
    );
}

// B, Tue 15 Sep 14:00 (last summer day, →15:00): 1h, 7h to go; Wed 16 Sep winter hours
// 08:00 + 7h → 15:00 (before the 15:45 closing).
#[test]
fn altinn_09_b_last_summer_day() {
    check(
        "altinn",
        "2026-09-15T14:00:00+02:00",
        facts("degraded"),
        Expect {
            priority: "B",
            timing: None,
            response: None,
            resolution: Some("2026-09-16T15:00:00+02:00"),
        },
    );
}

// B, Fri 27 Mar 15:00 CET: 45m left (→15:45), 7h15 to go; weekend with the spring change;
// Mon 30 Mar 08:00 CEST + 7h15 → 15:15 CEST.
#[test]
fn altinn_10_b_over_spring_dst_weekend() {
    check(
        "altinn",
        "2026-03-27T15:00:00+01:00",
        facts("degraded"),
        Expect {
            priority: "B",
            timing: None,
            response: None,
            resolution: Some("2026-03-30T15:15:00+02:00"),
        },
    );
}

// C (3wd), Sat 28 Mar 12:00 → clock starts Mon 30 Mar 08:00 (opening). Working days after
// Monday: Tue 31 (1), Wed 1 Apr (2), Thu 2 Maundy Thu, Fri 3 Good Fri, Sat, Sun,
// Mon 6 Easter Monday all closed, Tue 7 Apr (3) → Tue 7 Apr at 08:00 (opening).
#[test]
fn altinn_11_c_saturday_start_over_easter() {
    check(
        "altinn",
        "2026-03-28T12:00:00+01:00",
        facts("minor"),
        Expect {
            priority: "C",
            timing: None,
            response: None,
            resolution: Some("2026-04-07T08:00:00+02:00"),
        },
    );
}

// C (3wd), Wed 13 May 15:30 (winter hours, open till 15:45). Thu 14 Ascension closed;
// Fri 15 (1), Mon 18 (2), Tue 19 May (3). Tue 19 May is a summer day closing 15:00, so
// 15:30 is not open → the day's closing time 15:00.
#[test]
fn altinn_12_c_target_day_closes_earlier() {
    check(
        "altinn",
        "2026-05-13T15:30:00+02:00",
        facts("minor"),
        Expect {
            priority: "C",
            timing: None,
            response: None,
            resolution: Some("2026-05-19T15:00:00+02:00"),
        },
    );
}

// C (3wd), Wed 23 Dec 10:00. Thu 24 Dec is no Norwegian public holiday and the service desk
// enables no extra days → open (1); Fri 25, Sat 26 holidays, Sun 27; Mon 28 (2), Tue 29 (3)
// → Tue 29 Dec 10:00.
#[test]
fn altinn_13_c_over_christmas() {
    check(
        "altinn",
        "2026-12-23T10:00:00+01:00",
        facts("minor"),
        Expect {
            priority: "C",
            timing: None,
            response: None,
            resolution: Some("2026-12-29T10:00:00+01:00"),
        },
    );
}

// C (3wd), Mon 14 Sep 14:30 (summer, open till 15:00). Tue 15 (1), Wed 16 (2), Thu 17 Sep
// (3), winter hours 08:00–15:45 so 14:30 is open → Thu 17 Sep 14:30.
#[test]
fn altinn_14_c_summer_into_winter_hours() {
    check(
        "altinn",
        "2026-09-14T14:30:00+02:00",
        facts("minor"),
        Expect {
            priority: "C",
            timing: None,
            response: None,
            resolution: Some("2026-09-17T14:30:00+02:00"),
        },
    );
}

// A (significant consequence) on a weekday afternoon: Mon 14 Sep 13:00 + 5h → 18:00.
#[test]
fn altinn_15_a_weekday_afternoon() {
    check(
        "altinn",
        "2026-09-14T13:00:00+02:00",
        facts("consequence"),
        Expect {
            priority: "A",
            timing: None,
            response: None,
            resolution: Some("2026-09-14T18:00:00+02:00"),
        },
    );
}

// =======================================================================================
// borger-dk (Europe/Copenhagen), primary Mon–Fri 08:30–16:30.

// 30 % of users → P1 (> 20 %). Fri 20 Nov 16:00. Response 15m → 16:15. Resolution 240m:
// 30m Friday (→16:30), 3h30 to go; Mon 23 Nov 08:30 + 3h30 → 12:00.
#[test]
fn bdk_01_p1_users_30_friday_afternoon() {
    check(
        "borger-dk",
        "2026-11-20T16:00:00+01:00",
        Facts {
            users_affected: Some(30.0),
            ..facts("users")
        },
        Expect {
            priority: "1",
            timing: None,
            response: Some("2026-11-20T16:15:00+01:00"),
            resolution: Some("2026-11-23T12:00:00+01:00"),
        },
    );
}

// Exactly 20 % → not "more than 20 %", more than 5 %, no workaround → P2.
// Sat 28 Mar → clock starts Mon 30 Mar 08:30 CEST (after the spring change).
// Response 240m → 12:30. Resolution 480m = the whole 8h day → exactly at closing, 16:30.
#[test]
fn bdk_02_p2_users_20_saturday_before_dst() {
    check(
        "borger-dk",
        "2026-03-28T10:00:00+01:00",
        Facts {
            users_affected: Some(20.0),
            ..facts("users")
        },
        Expect {
            priority: "2",
            timing: None,
            response: Some("2026-03-30T12:30:00+02:00"),
            resolution: Some("2026-03-30T16:30:00+02:00"),
        },
    );
}

// 5 % → "5 % or fewer" → P4. Wed 1 Apr 10:00. Thu 2 Maundy Thu, Fri 3 Good Fri, Mon 6
// Easter Monday closed. 4wd: Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4) → Fri 10 Apr 10:00.
// 30wd: Apr 7–10 (4), 13–17 (9), 20–24 (14), 27–30 (18), Fri 1 May (19; no DK holiday —
// Store Bededag would have been E+26 = 1 May but is abolished from 2024), 4–8 (24),
// 11–13 (27), Thu 14 Ascension closed, Fri 15 (28), Mon 18 (29), Tue 19 May (30) → 10:00.
#[test]
fn bdk_03_p4_users_5_over_easter() {
    check(
        "borger-dk",
        "2026-04-01T10:00:00+02:00",
        Facts {
            users_affected: Some(5.0),
            ..facts("users")
        },
        Expect {
            priority: "4",
            timing: None,
            response: Some("2026-04-10T10:00:00+02:00"),
            resolution: Some("2026-05-19T10:00:00+02:00"),
        },
    );
}

// P3 (must fix) in 2023: Thu 4 May 14:00; Fri 5 May 2023 is Store Bededag (still a holiday
// until 2023). 2wd: Mon 8 (1), Tue 9 (2) → Tue 9 May 14:00. 10wd: 8–12 (5), 15–17 (8),
// Thu 18 May Ascension closed, Fri 19 (9), Mon 22 May (10) → 14:00.
#[test]
fn bdk_04_p3_store_bededag_2023() {
    check(
        "borger-dk",
        "2023-05-04T14:00:00+02:00",
        facts("must_fix"),
        Expect {
            priority: "3",
            timing: None,
            response: Some("2023-05-09T14:00:00+02:00"),
            resolution: Some("2023-05-22T14:00:00+02:00"),
        },
    );
}

// Functions fail with a workaround → P4 (a P2 fault with a workaround). Sat 19 Dec 11:00
// → clock starts Mon 21 Dec 08:30. 4wd: Tue 22 (1), Wed 23 (2), Thu 24 (3; Christmas Eve
// open in primary time, a custom day off only), Fri 25/Sat 26 holidays, Mon 28 (4) → 08:30.
// 30wd: Dec 22–24 (3), 28–31 (7), Fri 1 Jan closed, Jan 4–8 (12), 11–15 (17), 18–22 (22),
// 25–29 (27), Mon 1 Feb (28), Tue 2 (29), Wed 3 Feb 2027 (30) → 08:30.
#[test]
fn bdk_05_p4_workaround_saturday_before_christmas() {
    check(
        "borger-dk",
        "2026-12-19T11:00:00+01:00",
        Facts {
            workaround: true,
            ..facts("functions")
        },
        Expect {
            priority: "4",
            timing: None,
            response: Some("2026-12-28T08:30:00+01:00"),
            resolution: Some("2027-02-03T08:30:00+01:00"),
        },
    );
}

// Security flag → P1 even with impact "minimal". Reported on Whit Monday 25 May 09:00
// (closed) → clock starts Tue 26 May 08:30. Response 15m → 08:45; resolution 240m → 12:30.
#[test]
fn bdk_06_p1_security_on_whit_monday() {
    check(
        "borger-dk",
        "2026-05-25T09:00:00+02:00",
        Facts {
            security: true,
            ..facts("minimal")
        },
        Expect {
            priority: "1",
            timing: None,
            response: Some("2026-05-26T08:45:00+02:00"),
            resolution: Some("2026-05-26T12:30:00+02:00"),
        },
    );
}

// Functions fail, no workaround → P2. Thu 4 Jun 15:00; Fri 5 Jun (Constitution Day) is only
// a custom day off → open. Response 240m: 1h30 Thursday (→16:30), 2h30 left → Fri 11:00.
// Resolution 480m: 1h30, 6h30 left → Fri 08:30 + 6h30 → 15:00.
#[test]
fn bdk_07_p2_constitution_day_is_open() {
    check(
        "borger-dk",
        "2026-06-04T15:00:00+02:00",
        facts("functions"),
        Expect {
            priority: "2",
            timing: None,
            response: Some("2026-06-05T11:00:00+02:00"),
            resolution: Some("2026-06-05T15:00:00+02:00"),
        },
    );
}

// Unavailable → P1. Thu 31 Dec 16:20 (New Year's Eve open in primary time): 10m left
// (→16:30). Response: 5m to go; Fri 1 Jan closed, weekend; Mon 4 Jan 08:30 + 5m → 08:35.
// Resolution: 230m = 3h50 to go → Mon 4 Jan 12:20.
#[test]
fn bdk_08_p1_new_years_eve_afternoon() {
    check(
        "borger-dk",
        "2026-12-31T16:20:00+01:00",
        facts("unavailable"),
        Expect {
            priority: "1",
            timing: None,
            response: Some("2027-01-04T08:35:00+01:00"),
            resolution: Some("2027-01-04T12:20:00+01:00"),
        },
    );
}

// Users cannot use the system, no share given → P2 (the file's reading). Sun 25 Oct 02:30
// CET (second pass through the fold) → clock starts Mon 26 Oct 08:30 CET.
// Response 240m → 12:30; resolution 480m → 16:30 (exactly at closing).
#[test]
fn bdk_09_p2_no_share_given_autumn_fold_sunday() {
    check(
        "borger-dk",
        "2026-10-25T02:30:00+01:00",
        facts("users"),
        Expect {
            priority: "2",
            timing: None,
            response: Some("2026-10-26T12:30:00+01:00"),
            resolution: Some("2026-10-26T16:30:00+01:00"),
        },
    );
}

// 10 % (a P2 share) with a workaround → P4. Tue 17 Nov 09:00.
// 4wd: Wed 18 (1), Thu 19 (2), Fri 20 (3), Mon 23 (4) → Mon 23 Nov 09:00.
// 30wd: 18–20 (3), 23–27 (8), 30 (9), Dec 1–4 (13), 7–11 (18), 14–18 (23), 21–24 (27),
// Fri 25 closed, Mon 28 (28), Tue 29 (29), Wed 30 Dec (30) → 09:00.
#[test]
fn bdk_10_p4_p2_share_with_workaround() {
    check(
        "borger-dk",
        "2026-11-17T09:00:00+01:00",
        Facts {
            users_affected: Some(10.0),
            workaround: true,
            ..facts("users")
        },
        Expect {
            priority: "4",
            timing: None,
            response: Some("2026-11-23T09:00:00+01:00"),
            resolution: Some("2026-12-30T09:00:00+01:00"),
        },
    );
}

// 25 % with a workaround → still P1 (> 20 % is checked before the workaround rule).
// Tue 17 Nov 16:20: 10m left (→16:30). Response: 5m to go → Wed 08:35.
// Resolution: 230m = 3h50 to go → Wed 18 Nov 12:20.
#[test]
fn bdk_11_p1_over_20_percent_beats_workaround() {
    check(
        "borger-dk",
        "2026-11-17T16:20:00+01:00",
        Facts {
            users_affected: Some(25.0),
            workaround: true,
            ..facts("users")
        },
        Expect {
            priority: "1",
            timing: None,
            response: Some("2026-11-18T08:35:00+01:00"),
            resolution: Some("2026-11-18T12:20:00+01:00"),
        },
    );
}

// Breach of legal requirements → P1, reported on Maundy Thursday 2 Apr 10:00 (closed);
// Good Friday, weekend, Easter Monday closed → clock starts Tue 7 Apr 08:30.
// Response → 08:45; resolution 240m → 12:30.
#[test]
fn bdk_12_p1_legal_breach_at_easter() {
    check(
        "borger-dk",
        "2026-04-02T10:00:00+02:00",
        facts("legal"),
        Expect {
            priority: "1",
            timing: None,
            response: Some("2026-04-07T08:45:00+02:00"),
            resolution: Some("2026-04-07T12:30:00+02:00"),
        },
    );
}

// P3 (must fix) reported Sat 21 Nov 12:00 → clock starts Mon 23 Nov 08:30.
// 2wd: Tue 24 (1), Wed 25 (2) → Wed 25 Nov 08:30 (at opening).
// 10wd: 24–27 (4), 30 (5), Dec 1–4 (9), Mon 7 Dec (10) → 08:30.
#[test]
fn bdk_13_p3_saturday_start_working_days() {
    check(
        "borger-dk",
        "2026-11-21T12:00:00+01:00",
        facts("must_fix"),
        Expect {
            priority: "3",
            timing: None,
            response: Some("2026-11-25T08:30:00+01:00"),
            resolution: Some("2026-12-07T08:30:00+01:00"),
        },
    );
}

// P1 on Fri 26 Apr 2024 = E+26 (Store Bededag, abolished from 2024) → open.
// 10:00 + 15m → 10:15; + 240m → 14:00.
#[test]
fn bdk_14_p1_store_bededag_2024_is_a_working_day() {
    check(
        "borger-dk",
        "2024-04-26T10:00:00+02:00",
        facts("unavailable"),
        Expect {
            priority: "1",
            timing: None,
            response: Some("2024-04-26T10:15:00+02:00"),
            resolution: Some("2024-04-26T14:00:00+02:00"),
        },
    );
}

// P1 on Fri 5 May 2023 = Store Bededag (a holiday until 2023) → closed, weekend →
// clock starts Mon 8 May 08:30; response 08:45; resolution 12:30.
#[test]
fn bdk_15_p1_store_bededag_2023_is_closed() {
    check(
        "borger-dk",
        "2023-05-05T10:00:00+02:00",
        facts("unavailable"),
        Expect {
            priority: "1",
            timing: None,
            response: Some("2023-05-08T08:45:00+02:00"),
            resolution: Some("2023-05-08T12:30:00+02:00"),
        },
    );
}

// P3 (must fix) across the spring change: Thu 26 Mar 10:00 CET. 2wd: Fri 27 (1), Mon 30 (2)
// → the same wall-clock time, Mon 30 Mar 10:00 CEST. 10wd: 27 (1), 30, 31, Apr 1 (4), Thu 2
// Maundy Thu, Fri 3 Good Fri, Mon 6 Easter Mon closed, Tue 7 – Fri 10 (8), Mon 13 (9),
// Tue 14 Apr (10) → 10:00 CEST.
#[test]
fn bdk_16_p3_working_days_across_spring_dst() {
    check(
        "borger-dk",
        "2026-03-26T10:00:00+01:00",
        facts("must_fix"),
        Expect {
            priority: "3",
            timing: None,
            response: Some("2026-03-30T10:00:00+02:00"),
            resolution: Some("2026-04-14T10:00:00+02:00"),
        },
    );
}

// =======================================================================================
// inera (Europe/Stockholm)

// P1 (unusable), Sun 25 Oct 01:00 CEST, 24/7. Response 30m → 01:30 CEST.
// Resolution 4h: 01:00 → 03:00 CEST = 2h, falls back to 02:00 CET, 2h more → 04:00 CET.
// (23:00 UTC + 4h = 03:00 UTC = 04:00 CET.)
#[test]
fn inera_01_p1_across_autumn_fold() {
    check(
        "inera",
        "2026-10-25T01:00:00+02:00",
        facts("unusable"),
        Expect {
            priority: "1",
            timing: None,
            response: Some("2026-10-25T01:30:00+02:00"),
            resolution: Some("2026-10-25T04:00:00+01:00"),
        },
    );
}

// P2 (partly usable), Sun 29 Mar 01:30 CET, 24/7. Response 1h: 01:30 → 02:00 CET (30m),
// jump to 03:00 CEST, 30m more → 03:30 CEST. Resolution 4h: 30m + 3h30 → 06:30 CEST.
// (00:30 UTC + 1h = 01:30 UTC = 03:30 CEST; + 4h = 04:30 UTC = 06:30 CEST.)
#[test]
fn inera_02_p2_across_spring_gap() {
    check(
        "inera",
        "2026-03-29T01:30:00+01:00",
        facts("partly_usable"),
        Expect {
            priority: "2",
            timing: None,
            response: Some("2026-03-29T03:30:00+02:00"),
            resolution: Some("2026-03-29T06:30:00+02:00"),
        },
    );
}

// P3 on Midsummer Eve Fri 19 Jun 10:00: closed (extra day); Sat 20 Midsummer Day; Sun →
// clock starts Mon 22 Jun 08:00 + 2h → 10:00. No resolution target.
#[test]
fn inera_03_p3_midsummer_eve() {
    check(
        "inera",
        "2026-06-19T10:00:00+02:00",
        facts("few_users"),
        Expect {
            priority: "3",
            timing: None,
            response: Some("2026-06-22T10:00:00+02:00"),
            resolution: None,
        },
    );
}

// P4, 24h of kontorstid (9h a day). Tue 22 Dec 15:00: 2h (→17:00), 22h to go; Wed 23: 9h,
// 13h to go; Thu 24 (Christmas Eve), Fri 25, Sat 26, Sun 27 closed; Mon 28: 9h, 4h to go;
// Tue 29 Dec 08:00 + 4h → 12:00.
#[test]
fn inera_04_p4_over_christmas() {
    check(
        "inera",
        "2026-12-22T15:00:00+01:00",
        facts("cosmetic"),
        Expect {
            priority: "4",
            timing: None,
            response: Some("2026-12-29T12:00:00+01:00"),
            resolution: None,
        },
    );
}

// P4, Wed 30 Dec 15:00: 2h, 22h to go; Thu 31 (New Year's Eve) closed, Fri 1 Jan closed,
// weekend; Mon 4 Jan: 9h, 13h to go; Tue 5 Jan: 9h, 4h to go; Wed 6 Jan Epiphany closed;
// Thu 7 Jan 08:00 + 4h → 12:00.
#[test]
fn inera_05_p4_new_year_and_epiphany() {
    check(
        "inera",
        "2026-12-30T15:00:00+01:00",
        facts("cosmetic"),
        Expect {
            priority: "4",
            timing: None,
            response: Some("2027-01-07T12:00:00+01:00"),
            resolution: None,
        },
    );
}

// P3, Wed 13 May 16:30: 30m (→17:00), 1h30 to go; Thu 14 Ascension closed;
// Fri 15 May 08:00 + 1h30 → 09:30.
#[test]
fn inera_06_p3_ascension() {
    check(
        "inera",
        "2026-05-13T16:30:00+02:00",
        facts("few_users"),
        Expect {
            priority: "3",
            timing: None,
            response: Some("2026-05-15T09:30:00+02:00"),
            resolution: None,
        },
    );
}

// P3, Wed 5 Jun 2024 16:00: 1h, 1h to go; Thu 6 Jun National Day closed;
// Fri 7 Jun 08:00 + 1h → 09:00.
#[test]
fn inera_07_p3_national_day() {
    check(
        "inera",
        "2024-06-05T16:00:00+02:00",
        facts("few_users"),
        Expect {
            priority: "3",
            timing: None,
            response: Some("2024-06-07T09:00:00+02:00"),
            resolution: None,
        },
    );
}

// P3 on Whit Monday Mon 25 May 2026 10:00: not a Swedish holiday since 2005 → open;
// 10:00 + 2h → 12:00.
#[test]
fn inera_08_p3_whit_monday_is_open_in_sweden() {
    check(
        "inera",
        "2026-05-25T10:00:00+02:00",
        facts("few_users"),
        Expect {
            priority: "3",
            timing: None,
            response: Some("2026-05-25T12:00:00+02:00"),
            resolution: None,
        },
    );
}

// P1, Fri 20 Nov 23:50, 24/7: response +30m → Sat 00:20; resolution +4h → Sat 03:50.
#[test]
fn inera_09_p1_friday_night() {
    check(
        "inera",
        "2026-11-20T23:50:00+01:00",
        facts("unusable"),
        Expect {
            priority: "1",
            timing: None,
            response: Some("2026-11-21T00:20:00+01:00"),
            resolution: Some("2026-11-21T03:50:00+01:00"),
        },
    );
}

// P2, Thu 31 Dec 22:30, 24/7: response +1h → 23:30; resolution +4h → Fri 1 Jan 02:30.
#[test]
fn inera_10_p2_over_new_year() {
    check(
        "inera",
        "2026-12-31T22:30:00+01:00",
        facts("partly_usable"),
        Expect {
            priority: "2",
            timing: None,
            response: Some("2026-12-31T23:30:00+01:00"),
            resolution: Some("2027-01-01T02:30:00+01:00"),
        },
    );
}

// P4, Maundy Thursday 2 Apr 16:00 (not a Swedish holiday → open): 1h, 23h to go;
// Fri 3 Good Friday, weekend, Mon 6 Easter Monday closed; Tue 7: 9h, 14h to go;
// Wed 8: 9h, 5h to go; Thu 9 Apr 08:00 + 5h → 13:00.
#[test]
fn inera_11_p4_over_easter() {
    check(
        "inera",
        "2026-04-02T16:00:00+02:00",
        facts("cosmetic"),
        Expect {
            priority: "4",
            timing: None,
            response: Some("2026-04-09T13:00:00+02:00"),
            resolution: None,
        },
    );
}

// P3, Sat 28 Mar 12:00 CET → clock starts Mon 30 Mar 08:00 CEST + 2h → 10:00 CEST.
#[test]
fn inera_12_p3_saturday_before_spring_dst() {
    check(
        "inera",
        "2026-03-28T12:00:00+01:00",
        facts("few_users"),
        Expect {
            priority: "3",
            timing: None,
            response: Some("2026-03-30T10:00:00+02:00"),
            resolution: None,
        },
    );
}

// P3, Wed 23 Dec 16:00: 1h (→17:00), 1h to go; Thu 24 Christmas Eve (closed: not a
// "helgfri vardag"), Fri 25, Sat 26, Sun 27 closed; Mon 28 Dec 08:00 + 1h → 09:00.
#[test]
fn inera_13_p3_christmas_eve_closed() {
    check(
        "inera",
        "2026-12-23T16:00:00+01:00",
        facts("few_users"),
        Expect {
            priority: "3",
            timing: None,
            response: Some("2026-12-28T09:00:00+01:00"),
            resolution: None,
        },
    );
}

// P1 at 02:30 CEST, the FIRST pass through the autumn fold (00:30 UTC). Response 30m →
// 01:00 UTC = 02:00 CET (local time goes 02:30 → 03:00 CEST = 02:00 CET). Resolution 4h →
// 04:30 UTC = 05:30 CET (wall clock shows 02:30 → 05:30 = 3h, plus the repeated hour).
#[test]
fn inera_14_p1_first_pass_of_the_fold() {
    check(
        "inera",
        "2026-10-25T02:30:00+02:00",
        facts("unusable"),
        Expect {
            priority: "1",
            timing: None,
            response: Some("2026-10-25T02:00:00+01:00"),
            resolution: Some("2026-10-25T05:30:00+01:00"),
        },
    );
}

// 2004 (Easter 11 Apr): Whit Monday 31 May 2004 was still a Swedish holiday. P3, Fri 28 May
// 16:00: 1h (→17:00), 1h to go; Sat, Sun (Whit Sunday), Mon 31 May closed;
// Tue 1 Jun 08:00 + 1h → 09:00.
#[test]
fn inera_15_p3_whit_monday_2004_closed() {
    check(
        "inera",
        "2004-05-28T16:00:00+02:00",
        facts("few_users"),
        Expect {
            priority: "3",
            timing: None,
            response: Some("2004-06-01T09:00:00+02:00"),
            resolution: None,
        },
    );
}

// =======================================================================================
// ssbtek (Europe/Stockholm), support Mon–Fri 08:00–17:00; priority = impact × timing.

// Impact 1, Fri 20 Nov 16:30: day 20 → timing 1 → P1 (Kritisk).
// Response 30m: 16:30 → 17:00, reached exactly at closing → 17:00.
// Resolution 8h: 30m Friday, 7h30 to go; weekend; Mon 23 Nov 08:00 + 7h30 → 15:30.
#[test]
fn ssb_01_p1_critical_period_friday_afternoon() {
    check(
        "ssbtek",
        "2026-11-20T16:30:00+01:00",
        facts("1"),
        Expect {
            priority: "1",
            timing: Some("1"),
            response: Some("2026-11-20T17:00:00+01:00"),
            resolution: Some("2026-11-23T15:30:00+01:00"),
        },
    );
}

// Impact 1, Thu 19 Nov 10:00: working days strictly between 19 Nov and the period start
// (Fri 20) = 0 < 2 → timing 2 → P2 (Hög). Response 60m → 11:00.
// Resolution 2wd: Fri 20 (1), Mon 23 (2) → Mon 23 Nov 10:00.
#[test]
fn ssb_02_p2_day_before_critical_period() {
    check(
        "ssbtek",
        "2026-11-19T10:00:00+01:00",
        facts("1"),
        Expect {
            priority: "2",
            timing: Some("2"),
            response: Some("2026-11-19T11:00:00+01:00"),
            resolution: Some("2026-11-23T10:00:00+01:00"),
        },
    );
}

// Impact 1, Tue 17 Nov 10:00: working days before the 20th = Wed 18, Thu 19 = 2 → not
// "close" → timing 3 → P3 (Medel). Response 8h: 7h Tuesday (→17:00), 1h → Wed 09:00.
// Resolution 5wd: Wed 18, Thu 19, Fri 20, Mon 23, Tue 24 → Tue 24 Nov 10:00.
#[test]
fn ssb_03_p3_three_working_days_before() {
    check(
        "ssbtek",
        "2026-11-17T10:00:00+01:00",
        facts("1"),
        Expect {
            priority: "3",
            timing: Some("3"),
            response: Some("2026-11-18T09:00:00+01:00"),
            resolution: Some("2026-11-24T10:00:00+01:00"),
        },
    );
}

// Impact 1, Sat 19 Dec 10:00 → clock starts Mon 21 Dec 08:00: day 21 → timing 1 → P1.
// Response → 08:30; resolution 8h → 16:00.
#[test]
fn ssb_04_p1_saturday_report_judged_at_clock_start() {
    check(
        "ssbtek",
        "2026-12-19T10:00:00+01:00",
        facts("1"),
        Expect {
            priority: "1",
            timing: Some("1"),
            response: Some("2026-12-21T08:30:00+01:00"),
            resolution: Some("2026-12-21T16:00:00+01:00"),
        },
    );
}

// Impact 2, Sat 19 Sep 12:00 → clock starts Mon 21 Sep 08:00 → timing 1 → P2.
// Response 60m → 09:00. Resolution 2wd from Monday: Tue 22 (1), Wed 23 (2) → Wed 08:00.
#[test]
fn ssb_05_p2_impact2_saturday_start() {
    check(
        "ssbtek",
        "2026-09-19T12:00:00+02:00",
        facts("2"),
        Expect {
            priority: "2",
            timing: Some("1"),
            response: Some("2026-09-21T09:00:00+02:00"),
            resolution: Some("2026-09-23T08:00:00+02:00"),
        },
    );
}

// Impact 1, Fri 31 Jul 18:00 (in the critical period, but closed) → clock starts
// Mon 3 Aug 08:00: day 3 → timing 3 → P3. Response 8h → Mon 16:00.
// Resolution 5wd: Tue 4, Wed 5, Thu 6, Fri 7, Mon 10 Aug → 08:00.
#[test]
fn ssb_06_p3_month_end_evening_clock_starts_next_month() {
    check(
        "ssbtek",
        "2026-07-31T18:00:00+02:00",
        facts("1"),
        Expect {
            priority: "3",
            timing: Some("3"),
            response: Some("2026-08-03T16:00:00+02:00"),
            resolution: Some("2026-08-10T08:00:00+02:00"),
        },
    );
}

// December 2026: the 20th is a Sunday; the period starts then anyway. Thu 17 Dec: working
// days strictly between = Fri 18 = 1 < 2 → timing 2; impact 1 → P2.
// Response 60m → 10:00. Resolution 2wd: Fri 18 (1), Mon 21 (2) → Mon 21 Dec 09:00.
#[test]
fn ssb_07_p2_timing2_when_20th_is_sunday() {
    check(
        "ssbtek",
        "2026-12-17T09:00:00+01:00",
        facts("1"),
        Expect {
            priority: "2",
            timing: Some("2"),
            response: Some("2026-12-17T10:00:00+01:00"),
            resolution: Some("2026-12-21T09:00:00+01:00"),
        },
    );
}

// Wed 16 Dec 16:00: working days before Sun 20 = Thu 17, Fri 18 = 2 → timing 3; impact 2
// → P3. Response 8h: 1h Wednesday, 7h → Thu 15:00.
// Resolution 5wd: Thu 17, Fri 18, Mon 21, Tue 22, Wed 23 Dec → 16:00.
#[test]
fn ssb_08_p3_timing3_three_days_before() {
    check(
        "ssbtek",
        "2026-12-16T16:00:00+01:00",
        facts("2"),
        Expect {
            priority: "3",
            timing: Some("3"),
            response: Some("2026-12-17T15:00:00+01:00"),
            resolution: Some("2026-12-23T16:00:00+01:00"),
        },
    );
}

// April 2025: the period starts Sun 20 Apr (Easter Sunday); Fri 18 is Good Friday (closed),
// so the 2 working days before are Wed 16 and Thu 17. Wed 16 Apr 10:00, impact 1 →
// timing 2 → P2. Response → 11:00. Resolution 2wd: Thu 17 (1), Fri 18 Good Friday,
// weekend, Mon 21 Easter Monday closed, Tue 22 (2) → Tue 22 Apr 10:00.
#[test]
fn ssb_09_p2_timing2_shifted_by_good_friday() {
    check(
        "ssbtek",
        "2025-04-16T10:00:00+02:00",
        facts("1"),
        Expect {
            priority: "2",
            timing: Some("2"),
            response: Some("2025-04-16T11:00:00+02:00"),
            resolution: Some("2025-04-22T10:00:00+02:00"),
        },
    );
}

// Tue 15 Apr 2025: working days before Sun 20 = Wed 16, Thu 17 = 2 → timing 3; impact 1 →
// P3. Response 8h: 7h Tuesday, 1h → Wed 09:00.
// Resolution 5wd: Wed 16, Thu 17, (Good Fri, weekend, Easter Mon closed) Tue 22, Wed 23,
// Thu 24 → 10:00.
#[test]
fn ssb_10_p3_before_easter_not_close() {
    check(
        "ssbtek",
        "2025-04-15T10:00:00+02:00",
        facts("1"),
        Expect {
            priority: "3",
            timing: Some("3"),
            response: Some("2025-04-16T09:00:00+02:00"),
            resolution: Some("2025-04-24T10:00:00+02:00"),
        },
    );
}

// Impact 1, Tue 17 Mar 17:30 (closed) → clock starts Wed 18 Mar 08:00; 20 Mar is a
// Friday, working days between = Thu 19 = 1 → timing 2 → P2 (on Tuesday it would be 3).
// Response 60m → 09:00. Resolution 2wd: Thu 19 (1), Fri 20 (2) → Fri 20 Mar 08:00.
#[test]
fn ssb_11_p2_evening_report_moves_into_timing2() {
    check(
        "ssbtek",
        "2026-03-17T17:30:00+01:00",
        facts("1"),
        Expect {
            priority: "2",
            timing: Some("2"),
            response: Some("2026-03-18T09:00:00+01:00"),
            resolution: Some("2026-03-20T08:00:00+01:00"),
        },
    );
}

// Impact 4 → P4 whatever the timing (here timing 1, Mon 21 Dec 12:00).
// Response 24h (9h days): Mon 5h, 19h to go; Tue 22: 9h, 10h; Wed 23: 9h, 1h; Thu 24 Dec
// is open (SSBTEK closes only public holidays, "röda dagar") → 08:00 + 1h → 09:00.
// Resolution 7wd: Tue 22 (1), Wed 23 (2), Thu 24 (3), Fri 25/Sat 26 closed, Mon 28 (4),
// Tue 29 (5), Wed 30 (6), Thu 31 (7) → Thu 31 Dec 12:00.
#[test]
fn ssb_12_p4_over_christmas() {
    check(
        "ssbtek",
        "2026-12-21T12:00:00+01:00",
        facts("4"),
        Expect {
            priority: "4",
            timing: Some("1"),
            response: Some("2026-12-24T09:00:00+01:00"),
            resolution: Some("2026-12-31T12:00:00+01:00"),
        },
    );
}

// Impact 3 → P3 (column 3 is Medel in timing 1–3). Fri 23 Oct 13:00 CEST, timing 1.
// Response 8h: 4h Friday (→17:00), 4h to go; fall-back weekend; Mon 26 Oct 08:00 CET + 4h
// → 12:00 CET. Resolution 5wd: Mon 26, Tue 27, Wed 28, Thu 29, Fri 30 Oct → 13:00 CET.
#[test]
fn ssb_13_p3_over_autumn_dst_weekend() {
    check(
        "ssbtek",
        "2026-10-23T13:00:00+02:00",
        facts("3"),
        Expect {
            priority: "3",
            timing: Some("1"),
            response: Some("2026-10-26T12:00:00+01:00"),
            resolution: Some("2026-10-30T13:00:00+01:00"),
        },
    );
}

// Impact 2, Mon 5 Jan 16:00, timing 3 → P3. Response 8h: 1h Monday; Tue 6 Jan Epiphany
// closed; Wed 7 Jan 08:00 + 7h → 15:00. Resolution 5wd: Wed 7, Thu 8, Fri 9, Mon 12,
// Tue 13 Jan → 16:00.
#[test]
fn ssb_14_p3_epiphany() {
    check(
        "ssbtek",
        "2026-01-05T16:00:00+01:00",
        facts("2"),
        Expect {
            priority: "3",
            timing: Some("3"),
            response: Some("2026-01-07T15:00:00+01:00"),
            resolution: Some("2026-01-13T16:00:00+01:00"),
        },
    );
}

// Impact 1, Fri 22 May 15:00, timing 1 → P1. Response → 15:30. Resolution 8h: 2h Friday,
// 6h to go; Mon 25 May (Whit Monday, not a Swedish holiday since 2005) 08:00 + 6h → 14:00.
#[test]
fn ssb_15_p1_whit_monday_open() {
    check(
        "ssbtek",
        "2026-05-22T15:00:00+02:00",
        facts("1"),
        Expect {
            priority: "1",
            timing: Some("1"),
            response: Some("2026-05-22T15:30:00+02:00"),
            resolution: Some("2026-05-25T14:00:00+02:00"),
        },
    );
}

// Impact 1, Fri 27 Mar 16:00 CET, timing 1 → P1. Response 30m → 16:30 CET.
// Resolution 8h: 1h Friday, 7h to go; spring-forward weekend; Mon 30 Mar 08:00 CEST + 7h
// → 15:00 CEST.
#[test]
fn ssb_16_p1_over_spring_dst_weekend() {
    check(
        "ssbtek",
        "2026-03-27T16:00:00+01:00",
        facts("1"),
        Expect {
            priority: "1",
            timing: Some("1"),
            response: Some("2026-03-27T16:30:00+01:00"),
            resolution: Some("2026-03-30T15:00:00+02:00"),
        },
    );
}

// Impact 1, Mon 30 Nov 16:45 (last day of the period) → timing 1 → P1.
// Response: 15m Monday, 15m → Tue 1 Dec 08:15. Resolution: 15m, 7h45 → Tue 15:45.
#[test]
fn ssb_17_p1_last_day_of_month() {
    check(
        "ssbtek",
        "2026-11-30T16:45:00+01:00",
        facts("1"),
        Expect {
            priority: "1",
            timing: Some("1"),
            response: Some("2026-12-01T08:15:00+01:00"),
            resolution: Some("2026-12-01T15:45:00+01:00"),
        },
    );
}

// Impact 1, Sun 31 May 12:00 (day 31, but closed) → clock starts Mon 1 Jun 08:00 →
// timing 3 → P3. Response 8h → 16:00. Resolution 5wd: Tue 2, Wed 3, Thu 4, Fri 5,
// (Sat 6 Jun National Day, Sun) Mon 8 Jun → 08:00.
#[test]
fn ssb_18_p3_sunday_month_end_clock_starts_on_the_1st() {
    check(
        "ssbtek",
        "2026-05-31T12:00:00+02:00",
        facts("1"),
        Expect {
            priority: "3",
            timing: Some("3"),
            response: Some("2026-06-01T16:00:00+02:00"),
            resolution: Some("2026-06-08T08:00:00+02:00"),
        },
    );
}

// Impact 1, Thu 19 Nov at exactly 17:00 = closing → closed, clock starts Fri 20 Nov 08:00:
// day 20 → timing 1 → P1 (one minute earlier it would be timing 2, P2).
// Response → 08:30; resolution 8h → 16:00.
#[test]
fn ssb_19_p1_reported_at_closing_time() {
    check(
        "ssbtek",
        "2026-11-19T17:00:00+01:00",
        facts("1"),
        Expect {
            priority: "1",
            timing: Some("1"),
            response: Some("2026-11-20T08:30:00+01:00"),
            resolution: Some("2026-11-20T16:00:00+01:00"),
        },
    );
}

// Impact 1, Thu 19 Nov 16:59 → still open, timing 2 → P2. Response 60m: 1m Thursday,
// 59m → Fri 08:59. Resolution 2wd: Fri 20 (1), Mon 23 (2) → Mon 23 Nov 16:59.
#[test]
fn ssb_20_p2_one_minute_before_closing() {
    check(
        "ssbtek",
        "2026-11-19T16:59:00+01:00",
        facts("1"),
        Expect {
            priority: "2",
            timing: Some("2"),
            response: Some("2026-11-20T08:59:00+01:00"),
            resolution: Some("2026-11-23T16:59:00+01:00"),
        },
    );
}

// =======================================================================================
// difi (Europe/Oslo): no targets; A only without a workaround, or on significantly
// weakened security (impact "security", or the security flag: rule 1).

fn difi(at: &str, f: Facts, priority: &'static str) {
    check(
        "difi",
        at,
        f,
        Expect {
            priority,
            timing: None,
            response: None,
            resolution: None,
        },
    );
}

// Unavailable, no workaround → A; no deadlines (the text sets none). Easter-week Wednesday.
#[test]
fn difi_01_a_unavailable_no_workaround() {
    difi("2026-04-01T11:00:00+02:00", facts("unavailable"), "A");
}

// Unavailable with a workaround → B (the reading: A requires no workaround).
#[test]
fn difi_02_b_unavailable_with_workaround() {
    difi(
        "2026-04-01T11:00:00+02:00",
        Facts {
            workaround: true,
            ..facts("unavailable")
        },
        "B",
    );
}

// Security significantly weakened → always A, even with a workaround. Saturday night
// before the spring change.
#[test]
fn difi_03_a_security_even_with_workaround() {
    difi(
        "2026-03-28T23:30:00+01:00",
        Facts {
            workaround: true,
            ..facts("security")
        },
        "A",
    );
}

// Degraded on Christmas Eve afternoon (user support closed after 12:00) → B.
#[test]
fn difi_04_b_degraded_christmas_eve() {
    difi("2026-12-24T13:00:00+01:00", facts("degraded"), "B");
}

// Little significance in romjul, after 15:00 → C.
#[test]
fn difi_05_c_minor_romjul_evening() {
    difi(
        "2026-12-28T16:00:00+01:00",
        Facts {
            workaround: true,
            ..facts("minor")
        },
        "C",
    );
}

// Unavailable, no workaround, in the autumn fold (02:30 CET, second pass) → A.
#[test]
fn difi_06_a_in_autumn_fold() {
    difi("2026-10-25T02:30:00+01:00", facts("unavailable"), "A");
}

// Unavailable, no workaround, security flag set, on 17 May → A.
#[test]
fn difi_07_a_on_constitution_day() {
    difi(
        "2026-05-17T10:00:00+02:00",
        Facts {
            security: true,
            ..facts("unavailable")
        },
        "A",
    );
}

// Degraded with a workaround, Friday after hours → B.
#[test]
fn difi_08_b_degraded_with_workaround() {
    difi(
        "2026-11-20T16:30:00+01:00",
        Facts {
            workaround: true,
            ..facts("degraded")
        },
        "B",
    );
}

// Little significance, reporter says no workaround, New Year's Eve morning → C (the impact
// decides; only "unavailable" depends on the workaround).
#[test]
fn difi_09_c_minor_new_years_eve() {
    difi("2026-12-31T11:00:00+01:00", facts("minor"), "C");
}

// Security significantly weakened, Good Friday night → A.
#[test]
fn difi_10_a_security_good_friday_night() {
    difi("2026-04-03T03:00:00+02:00", facts("security"), "A");
}

// Unavailable for all users but a workaround exists → B. (No Difi rule reads a share of
// users, so the reporter cannot give one: "all users" is the impact "unavailable" itself;
// see `unused_facts_are_refused_by_each_agreement`.)
#[test]
fn difi_11_b_unavailable_all_users_with_workaround() {
    difi(
        "2026-07-15T09:00:00+02:00",
        Facts {
            workaround: true,
            ..facts("unavailable")
        },
        "B",
    );
}

// Security flag with impact "minor" → A: 1.4.4 makes significantly weakened security always
// critical, and the first rule reads the flag as that (before, the flag was dropped and the
// impact gave C). Friday 20 Nov 10:00; no deadlines.
#[test]
fn difi_12_a_security_flag_makes_minor_a() {
    difi(
        "2026-11-20T10:00:00+01:00",
        Facts {
            security: true,
            ..facts("minor")
        },
        "A",
    );
    // Also with a workaround and on the degraded impact.
    difi(
        "2026-11-20T10:00:00+01:00",
        Facts {
            security: true,
            workaround: true,
            ..facts("degraded")
        },
        "A",
    );
}

// =======================================================================================
// Facts no rule reads are refused, never dropped.

/// Each agreement with the facts its rules read. Every other fact given (security or
/// workaround true, or a share of users) is refused with the typed error, whatever the
/// impact; saying "no" (false, no share) is always fine.
#[test]
fn unused_facts_are_refused_by_each_agreement() {
    use vakt::domain::classify::ClassifyError;
    let reads: [(&str, &[&str]); 5] = [
        ("altinn", &["security"]),
        ("borger-dk", &["security", "users", "workaround"]),
        ("difi", &["security", "workaround"]),
        ("inera", &[]),
        ("ssbtek", &[]),
    ];
    let at = t("2026-11-20T10:00:00+01:00");
    for (id, read) in reads {
        let a = agreement(id);
        for imp in &a.impacts {
            let base = facts(&imp.id);
            assert!(classify(a, &base, at).is_ok(), "{id} {}: no facts given", imp.id);
            let given = [
                (
                    "security",
                    Facts {
                        security: true,
                        ..base.clone()
                    },
                ),
                (
                    "users",
                    Facts {
                        users_affected: Some(30.0),
                        ..base.clone()
                    },
                ),
                (
                    "workaround",
                    Facts {
                        workaround: true,
                        ..base.clone()
                    },
                ),
            ];
            for (fact, f) in given {
                let got = classify(a, &f, at);
                if read.contains(&fact) {
                    assert!(got.is_ok(), "{id} {} {fact}: {got:?}", imp.id);
                } else {
                    let e = got.expect_err(fact);
                    assert_eq!(
                        e,
                        ClassifyError::FactNotUsed {
                            fact,
                            agreement: id.to_string()
                        },
                        "{id} {}",
                        imp.id
                    );
                    assert_eq!(
                        e.to_string(),
                        format!("this agreement does not use \"{fact}\" for classification (agreement {id})")
                    );
                }
            }
        }
    }
}

// Difi's user-support hours (no target uses them, so they are checked on the clock).

// Wed 1 Apr (before Maundy Thursday) is open 08:00–12:00. 2h from 11:00: 1h (→12:00),
// 1h to go; Thu 2, Fri 3, weekend, Mon 6 closed; Tue 7 Apr 08:00 + 1h → 09:00.
#[test]
fn difi_s1_easter_week_half_day() {
    assert_add(
        "difi",
        "user_support",
        "2026-04-01T11:00:00+02:00",
        "2h",
        "2026-04-01T11:00:00+02:00",
        "2026-04-07T09:00:00+02:00",
    );
}

// Tue 31 Mar 14:00 + 1wd → Wed 1 Apr 14:00, but that day closes at 12:00 → 12:00.
#[test]
fn difi_s2_working_day_onto_easter_week_wednesday() {
    assert_add(
        "difi",
        "user_support",
        "2026-03-31T14:00:00+02:00",
        "1wd",
        "2026-03-31T14:00:00+02:00",
        "2026-04-01T12:00:00+02:00",
    );
}

// Thu 24 Dec 11:30 + 1h: 30m (→12:00), 30m to go; Fri 25, Sat 26 holidays, Sun 27 closed
// (weekday rule before the romjul special day); Mon 28 romjul 09:00 + 30m → 09:30.
#[test]
fn difi_s3_christmas_eve_half_day_into_romjul() {
    assert_add(
        "difi",
        "user_support",
        "2026-12-24T11:30:00+01:00",
        "1h",
        "2026-12-24T11:30:00+01:00",
        "2026-12-28T09:30:00+01:00",
    );
}

// Wed 23 Dec 14:00 + 1wd → Thu 24 Dec 14:00; Christmas Eve closes at 12:00 → 12:00.
#[test]
fn difi_s4_working_day_onto_christmas_eve() {
    assert_add(
        "difi",
        "user_support",
        "2026-12-23T14:00:00+01:00",
        "1wd",
        "2026-12-23T14:00:00+01:00",
        "2026-12-24T12:00:00+01:00",
    );
}

// Wed 30 Dec 14:00 + 3h: romjul closes 15:00 → 1h, 2h to go; Thu 31 Dec 08:00 + 2h → 10:00.
#[test]
fn difi_s5_romjul_into_new_years_eve() {
    assert_add(
        "difi",
        "user_support",
        "2026-12-30T14:00:00+01:00",
        "3h",
        "2026-12-30T14:00:00+01:00",
        "2026-12-31T10:00:00+01:00",
    );
}

// Wed 23 Dec 08:30 + 2wd: Thu 24 (1), Mon 28 (2); 08:30 is before romjul opening (09:00)
// → the day's first opening, 09:00.
#[test]
fn difi_s6_working_days_target_day_opens_later() {
    assert_add(
        "difi",
        "user_support",
        "2026-12-23T08:30:00+01:00",
        "2wd",
        "2026-12-23T08:30:00+01:00",
        "2026-12-28T09:00:00+01:00",
    );
}

// Open time Mon 28 Dec 00:00 → Fri 1 Jan 00:00: 28, 29, 30 Dec at 6h each = 18h, plus
// 31 Dec 4h = 22h = 79200 s.
#[test]
fn difi_s7_open_seconds_between_christmas_and_new_year() {
    let a = agreement("difi");
    let s = a.schedule("user_support").expect("schedule");
    let secs = s
        .between(t("2026-12-28T00:00:00+01:00"), t("2027-01-01T00:00:00+01:00"))
        .expect("between");
    assert_eq!(secs, 22 * 3600);
}

// The special hours day by day; Christmas Eve and New Year's Eve on a Saturday (2022) stay
// closed (special days only change otherwise-working days).
#[test]
fn difi_s8_special_day_hours() {
    let us = "user_support";
    assert_intervals(
        "difi",
        us,
        "2026-04-01",
        &[("2026-04-01T08:00:00+02:00", "2026-04-01T12:00:00+02:00")],
    );
    assert_intervals("difi", us, "2026-04-02", &[]);
    assert_intervals(
        "difi",
        us,
        "2026-12-23",
        &[("2026-12-23T08:00:00+01:00", "2026-12-23T15:30:00+01:00")],
    );
    assert_intervals(
        "difi",
        us,
        "2026-12-24",
        &[("2026-12-24T08:00:00+01:00", "2026-12-24T12:00:00+01:00")],
    );
    assert_intervals(
        "difi",
        us,
        "2026-12-29",
        &[("2026-12-29T09:00:00+01:00", "2026-12-29T15:00:00+01:00")],
    );
    assert_intervals(
        "difi",
        us,
        "2026-12-31",
        &[("2026-12-31T08:00:00+01:00", "2026-12-31T12:00:00+01:00")],
    );
    assert_intervals("difi", us, "2022-12-24", &[]);
    assert_intervals("difi", us, "2022-12-31", &[]);
}

// Altinn summer hours as intervals: 14 May (Ascension 2026) closed, 15 May 08:00–15:00,
// 15 Sep 08:00–15:00, 16 Sep 08:00–15:45.
#[test]
fn altinn_s1_summer_hours_edges() {
    let sd = "service_desk";
    assert_intervals("altinn", sd, "2026-05-14", &[]);
    assert_intervals(
        "altinn",
        sd,
        "2026-05-15",
        &[("2026-05-15T08:00:00+02:00", "2026-05-15T15:00:00+02:00")],
    );
    assert_intervals(
        "altinn",
        sd,
        "2026-09-15",
        &[("2026-09-15T08:00:00+02:00", "2026-09-15T15:00:00+02:00")],
    );
    assert_intervals(
        "altinn",
        sd,
        "2026-09-16",
        &[("2026-09-16T08:00:00+02:00", "2026-09-16T15:45:00+02:00")],
    );
}
