//! DST tables for Europe/Oslo, Europe/Copenhagen and Europe/Stockholm around both changes
//! of 2026, on small schedules built here.
//!
//! All three zones follow the EU rule: on Sunday 2026-03-29 at 01:00 UTC clocks go from
//! 02:00 CET (+01:00) to 03:00 CEST (+02:00), so local 02:00–02:59 does not exist; on Sunday
//! 2026-10-25 at 01:00 UTC clocks go from 03:00 CEST back to 02:00 CET, so local 02:00–02:59
//! happens twice (00:00–00:59 UTC and 01:00–01:59 UTC). So every expectation below is the
//! same UTC instant in all three zones.
//!
//! The DST rule (src/domain/time.rs): a local time in the gap means the first instant after
//! the gap (01:00 UTC = 03:00 CEST); a local time in the fold means the earlier instant
//! (CEST). Durations are real seconds.
//!
//! Local day boundaries used below:
//! - Sat 2026-03-28: 2026-03-27T23:00Z .. 2026-03-28T23:00Z (24 h)
//! - Sun 2026-03-29: 2026-03-28T23:00Z .. 2026-03-29T22:00Z (23 h)
//! - Mon 2026-03-30: 2026-03-29T22:00Z .. 2026-03-30T22:00Z (24 h)
//! - Sat 2026-10-24: 2026-10-23T22:00Z .. 2026-10-24T22:00Z (24 h)
//! - Sun 2026-10-25: 2026-10-24T22:00Z .. 2026-10-25T23:00Z (25 h)
//! - Mon 2026-10-26: 2026-10-25T23:00Z .. 2026-10-26T23:00Z (24 h)

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use vakt::domain::clock::BusinessDuration;
use vakt::domain::schedule::Schedule;
use vakt::domain::time::Window;

const ZONES: [Tz; 3] = [
    chrono_tz::Europe::Oslo,
    chrono_tz::Europe::Copenhagen,
    chrono_tz::Europe::Stockholm,
];

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("test time {s}: {e}"))
        .with_timezone(&Utc)
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// A schedule open in `window` every day of the week, no holidays.
fn daily(tz: Tz, window: &str) -> Schedule {
    let w = Window::parse(window).expect("test window");
    Schedule::new(
        window,
        tz,
        false,
        std::array::from_fn(|_| vec![w]),
        vec![],
        vec![],
        vec![],
        vec![],
    )
}

fn always(tz: Tz) -> Schedule {
    Schedule::always("24/7", tz)
}

/// (date, local day start, local day end) in UTC.
const DAYS: [(&str, &str, &str); 6] = [
    ("2026-03-28", "2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z"),
    ("2026-03-29", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"),
    ("2026-03-30", "2026-03-29T22:00:00Z", "2026-03-30T22:00:00Z"),
    ("2026-10-24", "2026-10-23T22:00:00Z", "2026-10-24T22:00:00Z"),
    ("2026-10-25", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"),
    ("2026-10-26", "2026-10-25T23:00:00Z", "2026-10-26T23:00:00Z"),
];

fn day_bounds(d: &str) -> (DateTime<Utc>, DateTime<Utc>) {
    let (_, a, b) = DAYS.iter().find(|(x, _, _)| *x == d).expect("day in DAYS");
    (utc(a), utc(b))
}

#[test]
fn always_open_day_lengths() {
    // 24/7: a local day is as long as it really is: 23 h in spring, 25 h in autumn.
    let lengths = [
        ("2026-03-28", 24 * 3600),
        ("2026-03-29", 23 * 3600),
        ("2026-03-30", 24 * 3600),
        ("2026-10-24", 24 * 3600),
        ("2026-10-25", 25 * 3600),
        ("2026-10-26", 24 * 3600),
    ];
    for tz in ZONES {
        let s = always(tz);
        for (d, secs) in lengths {
            let (a, b) = day_bounds(d);
            assert_eq!(s.between(a, b), Ok(secs), "{tz} {d}");
            assert_eq!(s.between(b, a), Ok(-secs), "{tz} {d} reversed");
            assert_eq!(s.open_intervals(date(d)), Ok(vec![(a, b)]), "{tz} {d}");
            assert_eq!(s.is_open(a), Ok(true), "{tz} {d}");
            assert_eq!(s.next_open(a), Ok(a), "{tz} {d}");
        }
        // A whole year: the short and the long day cancel out.
        assert_eq!(
            s.between(utc("2025-12-31T23:00:00Z"), utc("2026-12-31T23:00:00Z")),
            Ok(365 * 86400),
            "{tz} 2026"
        );
        // Spring Saturday 12:00 to Sunday 12:00 (local) is 23 h; autumn 25 h.
        assert_eq!(
            s.between(utc("2026-03-28T11:00:00Z"), utc("2026-03-29T10:00:00Z")),
            Ok(23 * 3600)
        );
        assert_eq!(
            s.between(utc("2026-10-24T10:00:00Z"), utc("2026-10-25T11:00:00Z")),
            Ok(25 * 3600)
        );
    }
}

/// (window, date, open intervals as UTC (start, end)).
type WindowCase = (&'static str, &'static str, Vec<(&'static str, &'static str)>);

/// Windows on the change days and the days around them: (window, date, open intervals in
/// UTC). Worked out by hand:
///
/// Spring (Sun 03-29, 02:00–02:59 missing):
/// - 01:00-04:00: 01:00 CET = 00:00Z; 04:00 CEST = 02:00Z → 2 h.
/// - 02:00-03:00: 02:00 is in the gap → 01:00Z; 03:00 CEST = 01:00Z → empty, dropped; the
///   day has no open time at all.
/// - 02:30-05:00: 02:30 → 01:00Z (first instant after the gap); 05:00 CEST = 03:00Z → 2 h.
/// - 01:30-02:30: 01:30 CET = 00:30Z; 02:30 → 01:00Z → 30 min.
///
/// Autumn (Sun 10-25, 02:00–02:59 twice):
/// - 01:00-04:00: 01:00 CEST = 10-24T23:00Z; 04:00 CET = 03:00Z → 4 h.
/// - 02:00-03:00: 02:00 → earlier = 00:00Z; 03:00 CET = 02:00Z (03:00 happens once) → 2 h,
///   both passes through 02:xx are open.
/// - 02:30-05:00: 02:30 → earlier = 00:30Z; 05:00 CET = 04:00Z → 3 h 30 min.
/// - 01:30-02:30: 01:30 CEST = 10-24T23:30Z; 02:30 → earlier = 00:30Z → 1 h.
///
/// The Saturdays before are CET (spring, UTC+1) and CEST (autumn, UTC+2); the Mondays after
/// CEST (spring) and CET (autumn).
fn window_table() -> Vec<WindowCase> {
    vec![
        // 01:00-04:00
        (
            "01:00-04:00",
            "2026-03-28",
            vec![("2026-03-28T00:00:00Z", "2026-03-28T03:00:00Z")],
        ),
        (
            "01:00-04:00",
            "2026-03-29",
            vec![("2026-03-29T00:00:00Z", "2026-03-29T02:00:00Z")],
        ),
        (
            "01:00-04:00",
            "2026-03-30",
            vec![("2026-03-29T23:00:00Z", "2026-03-30T02:00:00Z")],
        ),
        (
            "01:00-04:00",
            "2026-10-24",
            vec![("2026-10-23T23:00:00Z", "2026-10-24T02:00:00Z")],
        ),
        (
            "01:00-04:00",
            "2026-10-25",
            vec![("2026-10-24T23:00:00Z", "2026-10-25T03:00:00Z")],
        ),
        (
            "01:00-04:00",
            "2026-10-26",
            vec![("2026-10-26T00:00:00Z", "2026-10-26T03:00:00Z")],
        ),
        // 02:00-03:00
        (
            "02:00-03:00",
            "2026-03-28",
            vec![("2026-03-28T01:00:00Z", "2026-03-28T02:00:00Z")],
        ),
        ("02:00-03:00", "2026-03-29", vec![]),
        (
            "02:00-03:00",
            "2026-03-30",
            vec![("2026-03-30T00:00:00Z", "2026-03-30T01:00:00Z")],
        ),
        (
            "02:00-03:00",
            "2026-10-24",
            vec![("2026-10-24T00:00:00Z", "2026-10-24T01:00:00Z")],
        ),
        (
            "02:00-03:00",
            "2026-10-25",
            vec![("2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z")],
        ),
        (
            "02:00-03:00",
            "2026-10-26",
            vec![("2026-10-26T01:00:00Z", "2026-10-26T02:00:00Z")],
        ),
        // 02:30-05:00
        (
            "02:30-05:00",
            "2026-03-28",
            vec![("2026-03-28T01:30:00Z", "2026-03-28T04:00:00Z")],
        ),
        (
            "02:30-05:00",
            "2026-03-29",
            vec![("2026-03-29T01:00:00Z", "2026-03-29T03:00:00Z")],
        ),
        (
            "02:30-05:00",
            "2026-03-30",
            vec![("2026-03-30T00:30:00Z", "2026-03-30T03:00:00Z")],
        ),
        (
            "02:30-05:00",
            "2026-10-24",
            vec![("2026-10-24T00:30:00Z", "2026-10-24T03:00:00Z")],
        ),
        (
            "02:30-05:00",
            "2026-10-25",
            vec![("2026-10-25T00:30:00Z", "2026-10-25T04:00:00Z")],
        ),
        (
            "02:30-05:00",
            "2026-10-26",
            vec![("2026-10-26T01:30:00Z", "2026-10-26T04:00:00Z")],
        ),
        // 01:30-02:30
        (
            "01:30-02:30",
            "2026-03-29",
            vec![("2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z")],
        ),
        (
            "01:30-02:30",
            "2026-10-25",
            vec![("2026-10-24T23:30:00Z", "2026-10-25T00:30:00Z")],
        ),
    ]
}

#[test]
fn windows_on_change_days() {
    for tz in ZONES {
        for (window, d, ivs) in window_table() {
            let s = daily(tz, window);
            let want: Vec<(DateTime<Utc>, DateTime<Utc>)> = ivs.iter().map(|(a, b)| (utc(a), utc(b))).collect();
            assert_eq!(s.open_intervals(date(d)), Ok(want.clone()), "{tz} {window} {d}");
            let open: i64 = want.iter().map(|(a, b)| (*b - *a).num_seconds()).sum();
            let (start, end) = day_bounds(d);
            assert_eq!(s.between(start, end), Ok(open), "{tz} {window} {d}");
            // Every minute of the local day: open iff inside one of the expected intervals
            // (each day's window lies inside its own local day here).
            let mut t = start;
            while t < end {
                let want_open = want.iter().any(|(a, b)| *a <= t && t < *b);
                assert_eq!(s.is_open(t), Ok(want_open), "{tz} {window} {d} at {t}");
                t += Duration::minutes(1);
            }
        }
    }
}

#[test]
fn vanished_window_is_skipped() {
    // 02:00-03:00 does not exist on the spring day: next_open from the Saturday after its
    // window goes to Monday 02:00 CEST = 00:00Z, and the Sunday is not a working day.
    for tz in ZONES {
        let s = daily(tz, "02:00-03:00");
        assert_eq!(
            s.next_open(utc("2026-03-28T02:00:00Z")),
            Ok(utc("2026-03-30T00:00:00Z")),
            "{tz}"
        );
        assert_eq!(
            s.next_open(utc("2026-03-29T01:00:00Z")),
            Ok(utc("2026-03-30T00:00:00Z")),
            "{tz}"
        );
        // Sat 02:30 CET (01:30Z) + 1wd: Sunday has no open time, so Monday 02:30 CEST
        // = 00:30Z.
        assert_eq!(
            s.add(utc("2026-03-28T01:30:00Z"), BusinessDuration::WorkingDays(1))
                .map(|sp| sp.deadline),
            Ok(utc("2026-03-30T00:30:00Z")),
            "{tz}"
        );
        // Sat 02:30 CET + 30 min of open time: exactly the 30 min left on Saturday, so the
        // deadline is Saturday's closing time, 03:00 CET = 02:00Z.
        assert_eq!(
            s.add(utc("2026-03-28T01:30:00Z"), BusinessDuration::Seconds(1800))
                .map(|sp| sp.deadline),
            Ok(utc("2026-03-28T02:00:00Z")),
            "{tz}"
        );
        // + 45 min: 30 on Saturday, 15 on Monday from 00:00Z → 00:15Z (02:15 CEST).
        assert_eq!(
            s.add(utc("2026-03-28T01:30:00Z"), BusinessDuration::Seconds(2700))
                .map(|sp| sp.deadline),
            Ok(utc("2026-03-30T00:15:00Z")),
            "{tz}"
        );
    }
}

/// `add` across the changes: (schedule window or "24/7", start, duration, clock start,
/// deadline), all UTC.
type AddCase = (&'static str, &'static str, BusinessDuration, &'static str, &'static str);

fn add_table() -> Vec<AddCase> {
    use BusinessDuration::{CalendarDays, Seconds, WorkingDays};
    vec![
        // 24/7, Sat 03-28 23:00 CET (22:00Z) + 5 h real → 03-29T03:00Z = 05:00 CEST: the wall
        // clock moves 6 h.
        (
            "24/7",
            "2026-03-28T22:00:00Z",
            Seconds(5 * 3600),
            "2026-03-28T22:00:00Z",
            "2026-03-29T03:00:00Z",
        ),
        // 24/7, Sat 10-24 23:00 CEST (21:00Z) + 5 h real → 10-25T02:00Z = 03:00 CET: the wall
        // clock moves 4 h.
        (
            "24/7",
            "2026-10-24T21:00:00Z",
            Seconds(5 * 3600),
            "2026-10-24T21:00:00Z",
            "2026-10-25T02:00:00Z",
        ),
        // 24/7, Sat 03-28 12:00 CET (11:00Z) + 24 h → 03-29T11:00Z = 13:00 CEST.
        (
            "24/7",
            "2026-03-28T11:00:00Z",
            Seconds(24 * 3600),
            "2026-03-28T11:00:00Z",
            "2026-03-29T11:00:00Z",
        ),
        // … + 1d → Sunday 12:00 CEST = 10:00Z (23 h real).
        (
            "24/7",
            "2026-03-28T11:00:00Z",
            CalendarDays(1),
            "2026-03-28T11:00:00Z",
            "2026-03-29T10:00:00Z",
        ),
        // … + 1wd (every day of a 24/7 schedule is a working day) → the same.
        (
            "24/7",
            "2026-03-28T11:00:00Z",
            WorkingDays(1),
            "2026-03-28T11:00:00Z",
            "2026-03-29T10:00:00Z",
        ),
        // 24/7, Sat 10-24 12:00 CEST (10:00Z) + 24 h → 10-25T10:00Z = 11:00 CET.
        (
            "24/7",
            "2026-10-24T10:00:00Z",
            Seconds(24 * 3600),
            "2026-10-24T10:00:00Z",
            "2026-10-25T10:00:00Z",
        ),
        // … + 1d → Sunday 12:00 CET = 11:00Z (25 h real).
        (
            "24/7",
            "2026-10-24T10:00:00Z",
            CalendarDays(1),
            "2026-10-24T10:00:00Z",
            "2026-10-25T11:00:00Z",
        ),
        (
            "24/7",
            "2026-10-24T10:00:00Z",
            WorkingDays(1),
            "2026-10-24T10:00:00Z",
            "2026-10-25T11:00:00Z",
        ),
        // 24/7, Sat 03-28 02:30 CET (01:30Z) + 1d → Sunday 02:30, in the gap → 03:00 CEST
        // = 01:00Z (23 h 30 min real).
        (
            "24/7",
            "2026-03-28T01:30:00Z",
            CalendarDays(1),
            "2026-03-28T01:30:00Z",
            "2026-03-29T01:00:00Z",
        ),
        (
            "24/7",
            "2026-03-28T01:30:00Z",
            WorkingDays(1),
            "2026-03-28T01:30:00Z",
            "2026-03-29T01:00:00Z",
        ),
        // 24/7, Sat 10-24 02:30 CEST (00:30Z) + 1d → Sunday 02:30, in the fold → the earlier,
        // 02:30 CEST = 00:30Z (24 h real).
        (
            "24/7",
            "2026-10-24T00:30:00Z",
            CalendarDays(1),
            "2026-10-24T00:30:00Z",
            "2026-10-25T00:30:00Z",
        ),
        // 24/7, Sun 10-25 01:30Z = 02:30 CET (the second 02:30) + 1d → Monday 02:30 CET =
        // 10-26T01:30Z; the first 02:30 (00:30Z) + 1d gives the same instant.
        (
            "24/7",
            "2026-10-25T01:30:00Z",
            CalendarDays(1),
            "2026-10-25T01:30:00Z",
            "2026-10-26T01:30:00Z",
        ),
        (
            "24/7",
            "2026-10-25T00:30:00Z",
            CalendarDays(1),
            "2026-10-25T00:30:00Z",
            "2026-10-26T01:30:00Z",
        ),
        (
            "24/7",
            "2026-10-25T01:30:00Z",
            WorkingDays(1),
            "2026-10-25T01:30:00Z",
            "2026-10-26T01:30:00Z",
        ),
        // 01:00-04:00, Sat 03-28 03:00 CET (02:00Z) + 2 h: 1 h left on Saturday (until
        // 04:00 CET = 03:00Z); Sunday opens 01:00 CET = 00:00Z, + 1 h → 01:00Z = 03:00 CEST.
        (
            "01:00-04:00",
            "2026-03-28T02:00:00Z",
            Seconds(2 * 3600),
            "2026-03-28T02:00:00Z",
            "2026-03-29T01:00:00Z",
        ),
        // … + 3 h: Sunday has only 2 h (00:00Z–02:00Z), so 1 h Saturday + 2 h Sunday → the
        // deadline is Sunday's closing time, 04:00 CEST = 02:00Z.
        (
            "01:00-04:00",
            "2026-03-28T02:00:00Z",
            Seconds(3 * 3600),
            "2026-03-28T02:00:00Z",
            "2026-03-29T02:00:00Z",
        ),
        // … + 3 h 30 min → Monday 01:00 CEST (03-29T23:00Z) + 30 min = 23:30Z.
        (
            "01:00-04:00",
            "2026-03-28T02:00:00Z",
            Seconds(3 * 3600 + 1800),
            "2026-03-28T02:00:00Z",
            "2026-03-29T23:30:00Z",
        ),
        // 01:00-04:00, Sat 10-24 03:00 CEST (01:00Z) + 2 h: 1 h on Saturday (until 04:00
        // CEST = 02:00Z); Sunday opens 01:00 CEST = 10-24T23:00Z, + 1 h → 10-25T00:00Z =
        // the first 02:00.
        (
            "01:00-04:00",
            "2026-10-24T01:00:00Z",
            Seconds(2 * 3600),
            "2026-10-24T01:00:00Z",
            "2026-10-25T00:00:00Z",
        ),
        // … + 5 h: 1 h Saturday + all 4 h of Sunday → 04:00 CET = 03:00Z.
        (
            "01:00-04:00",
            "2026-10-24T01:00:00Z",
            Seconds(5 * 3600),
            "2026-10-24T01:00:00Z",
            "2026-10-25T03:00:00Z",
        ),
        // 01:00-04:00, Sat 03-28 02:30 CET (01:30Z) + 1wd → Sunday 02:30, in the gap →
        // 03:00 CEST = 01:00Z, open (Sunday's window is 00:00Z–02:00Z).
        (
            "01:00-04:00",
            "2026-03-28T01:30:00Z",
            WorkingDays(1),
            "2026-03-28T01:30:00Z",
            "2026-03-29T01:00:00Z",
        ),
        // 01:00-04:00, Sat 03-28 03:30 CET (02:30Z) + 1wd → Sunday 03:30 CEST = 01:30Z.
        (
            "01:00-04:00",
            "2026-03-28T02:30:00Z",
            WorkingDays(1),
            "2026-03-28T02:30:00Z",
            "2026-03-29T01:30:00Z",
        ),
        // 02:30-05:00, started Sun 03-29 00:30Z (01:30 CET, closed): the clock starts at the
        // window's opening, 02:30 → 03:00 CEST = 01:00Z; + 1 h → 02:00Z.
        (
            "02:30-05:00",
            "2026-03-29T00:30:00Z",
            Seconds(3600),
            "2026-03-29T01:00:00Z",
            "2026-03-29T02:00:00Z",
        ),
        // 02:00-03:00 in the fold, started at the first 02:30 (00:30Z) + 1 h → the second
        // 02:30 (01:30Z): the window is open through both passes.
        (
            "02:00-03:00",
            "2026-10-25T00:30:00Z",
            Seconds(3600),
            "2026-10-25T00:30:00Z",
            "2026-10-25T01:30:00Z",
        ),
        // … + 2 h: 1 h 30 min left on Sunday (until 02:00Z); Monday 02:00 CET = 01:00Z
        // + 30 min → 10-26T01:30Z.
        (
            "02:00-03:00",
            "2026-10-25T00:30:00Z",
            Seconds(2 * 3600),
            "2026-10-25T00:30:00Z",
            "2026-10-26T01:30:00Z",
        ),
        // 02:00-03:00, Sat 10-24 02:30 CEST (00:30Z) + 1wd → Sunday 02:30, the earlier =
        // 00:30Z.
        (
            "02:00-03:00",
            "2026-10-24T00:30:00Z",
            WorkingDays(1),
            "2026-10-24T00:30:00Z",
            "2026-10-25T00:30:00Z",
        ),
    ]
}

#[test]
fn add_across_the_changes() {
    for tz in ZONES {
        for (window, start, d, clock_start, deadline) in add_table() {
            let s = if window == "24/7" {
                always(tz)
            } else {
                daily(tz, window)
            };
            let span = s
                .add(utc(start), d)
                .unwrap_or_else(|e| panic!("{tz} {window} {start} + {d}: {e}"));
            assert_eq!(
                (span.clock_start, span.deadline),
                (utc(clock_start), utc(deadline)),
                "{tz} {window} {start} + {d}"
            );
            if let BusinessDuration::Seconds(n) = d {
                assert_eq!(
                    s.between(span.clock_start, span.deadline),
                    Ok(n),
                    "{tz} {window} {start} + {d}"
                );
            }
        }
    }
}

#[test]
fn between_over_change_days_on_windows() {
    // From Saturday 00:00 to Monday 00:00 local, on 01:00-04:00: spring 3 h + 2 h, autumn
    // 3 h + 4 h.
    for tz in ZONES {
        let s = daily(tz, "01:00-04:00");
        assert_eq!(
            s.between(utc("2026-03-27T23:00:00Z"), utc("2026-03-29T22:00:00Z")),
            Ok(5 * 3600),
            "{tz}"
        );
        assert_eq!(
            s.between(utc("2026-10-23T22:00:00Z"), utc("2026-10-25T23:00:00Z")),
            Ok(7 * 3600),
            "{tz}"
        );
        // Inside the fold: from the first 02:30 (00:30Z) to the second (01:30Z) is 1 h.
        assert_eq!(
            s.between(utc("2026-10-25T00:30:00Z"), utc("2026-10-25T01:30:00Z")),
            Ok(3600),
            "{tz}"
        );
        // Across the gap: 01:30 CET (00:30Z) to 03:30 CEST (01:30Z) is 1 h.
        assert_eq!(
            s.between(utc("2026-03-29T00:30:00Z"), utc("2026-03-29T01:30:00Z")),
            Ok(3600),
            "{tz}"
        );
    }
}

#[test]
fn zero_calendar_days_in_the_fold() {
    // 24/7, clock started at the second 02:30 of 2026-10-25 (02:30 CET = 01:30Z). A duration
    // of 0d (BusinessDuration::parse("0d") accepts it) must end where it starts, as 0wd and 0s
    // do; the engine re-resolves the wall-clock time 02:30 by the fold rule and returns the
    // first 02:30 (00:30Z), before the clock start.
    for tz in ZONES {
        let s = always(tz);
        let start = utc("2026-10-25T01:30:00Z");
        for d in [
            BusinessDuration::Seconds(0),
            BusinessDuration::WorkingDays(0),
            BusinessDuration::CalendarDays(0),
        ] {
            let span = s.add(start, d).expect("add");
            assert_eq!(span.clock_start, start, "{tz} {d}");
            assert_eq!(span.deadline, start, "{tz} {d}");
        }
    }
}
