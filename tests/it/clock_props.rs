//! Property tests of the business clock over every schedule of every shipped agreement, at
//! instants in 1990–2100.
//!
//! Properties:
//! - `between(a, add(a, Ns).deadline) == N` (the clock starts at `next_open(a)` and
//!   `between(a, next_open(a)) == 0`), and the same from the clock start;
//! - working days follow the rule of the clock module doc, checked day by day here;
//! - `add` is monotonic in the start and in the duration, for seconds, working days and
//!   calendar days (for the day units: in the start when the clock starts' local wall-clock
//!   times are in the same order — inside an autumn fold a later instant can have an earlier
//!   wall-clock time, and these units keep the wall-clock time by rule);
//! - `is_open(t)` iff `t` lies in one of `open_intervals(local date of t)`;
//! - on days without a DST change, `is_open` at each sampled local minute agrees with the
//!   windows of `day_plan`, and `open_intervals` are those windows at the day's UTC offset;
//! - public holidays of the schedule's calendars and its extra days have no open time;
//! - `next_open(t) >= t`, `is_open(next_open(t))`, nothing open in between;
//! - `between` is additive and never more than the real time.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use proptest::prelude::*;
use proptest::sample::Index;
use std::path::Path;
use std::sync::{Arc, LazyLock};
use vakt::domain::clock::BusinessDuration;
use vakt::domain::schedule::{DayPlan, Schedule};
use vakt::domain::time::{Minute, resolve_local};

/// Every schedule of every shipped agreement, as (agreement id, schedule).
static SCHEDULES: LazyLock<Vec<(String, Arc<Schedule>)>> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("agreements");
    let cat = vakt::agreements::load_dir(&dir).unwrap_or_else(|e| panic!("agreements load:\n{e}"));
    let v: Vec<(String, Arc<Schedule>)> = cat
        .agreements
        .iter()
        .flat_map(|a| a.schedules.iter().map(|s| (a.id.clone(), Arc::clone(s))))
        .collect();
    assert!(!v.is_empty(), "no schedules in the shipped agreements");
    v
});

fn pick(i: &Index) -> (&'static str, &'static Schedule) {
    let (a, s) = &SCHEDULES[i.index(SCHEDULES.len())];
    (a.as_str(), s.as_ref())
}

/// 1990-01-01T00:00:00Z and 2100-01-01T00:00:00Z.
const T0: i64 = 631_152_000;
const T1: i64 = 4_102_444_800;

fn at(s: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(s, 0).single().expect("in range")
}

/// The last Sunday of `month` (3 or 10) in `year`: the EU change days.
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let mut d = NaiveDate::from_ymd_opt(year, month, 31).expect("31st");
    while chrono::Datelike::weekday(&d) != chrono::Weekday::Sun {
        d = d.pred_opt().expect("day before");
    }
    d
}

/// Instants in 1990–2100: any second, whole minutes, whole quarter hours (window edges),
/// and instants around the DST changes (the day before to the day after).
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        3 => (T0..T1).prop_map(at),
        2 => (T0 / 60..T1 / 60).prop_map(|m| at(m * 60)),
        2 => (T0 / 900..T1 / 900).prop_map(|q| at(q * 900)),
        2 => (1990i32..2100, prop::bool::ANY, 0i64..3 * 96).prop_map(|(y, spring, q)| {
            let d = last_sunday(y, if spring { 3 } else { 10 });
            let base = d.and_hms_opt(0, 0, 0).expect("midnight").and_utc().timestamp();
            at(base - 86_400 + q * 900)
        }),
    ]
}

/// Open seconds to add: short, medium and long (up to 400 h).
fn seconds() -> impl Strategy<Value = i64> {
    prop_oneof![0i64..=3600, (0i64..=200).prop_map(|q| q * 900), 0i64..=400 * 3600,]
}

/// 384 cases per property, or `PROPTEST_CASES` when set (for a longer hunt).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(384);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

fn naive_local(s: &Schedule, t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&s.tz).naive_local()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn add_then_between_is_the_duration(i in any::<Index>(), a in instant(), d in seconds()) {
        let (id, s) = pick(&i);
        let span = s.add(a, BusinessDuration::Seconds(d)).expect("add");
        prop_assert_eq!(span.clock_start, s.next_open(a).expect("next_open"), "{} {}", id, s.name);
        prop_assert!(span.clock_start >= a);
        prop_assert!(span.deadline >= span.clock_start);
        prop_assert_eq!(s.between(a, span.clock_start), Ok(0), "{} {}", id, s.name);
        prop_assert_eq!(s.between(a, span.deadline), Ok(d), "{} {} from {}", id, s.name, a);
        prop_assert_eq!(s.between(span.clock_start, span.deadline), Ok(d));
        prop_assert_eq!(s.between(span.deadline, a), Ok(-d));
        if d > 0 {
            // The deadline is the first instant with d open seconds: one second earlier has
            // d - 1.
            prop_assert_eq!(s.between(a, span.deadline - Duration::seconds(1)), Ok(d - 1));
        }
    }

    #[test]
    fn add_seconds_is_monotonic(
        i in any::<Index>(),
        a in instant(),
        gap in prop_oneof![0i64..=120, 0i64..=7 * 86_400],
        d1 in seconds(),
        extra in seconds(),
    ) {
        let (id, s) = pick(&i);
        let b = a + Duration::seconds(gap);
        let d2 = d1 + extra;
        let x = s.add(a, BusinessDuration::Seconds(d1)).expect("add");
        let y = s.add(b, BusinessDuration::Seconds(d1)).expect("add");
        let z = s.add(a, BusinessDuration::Seconds(d2)).expect("add");
        prop_assert!(x.clock_start <= y.clock_start, "{} {}", id, s.name);
        prop_assert!(x.deadline <= y.deadline, "{} {}: start {} vs {}", id, s.name, a, b);
        prop_assert!(x.deadline <= z.deadline, "{} {}: {} vs {}", id, s.name, d1, d2);
        prop_assert_eq!(x.clock_start, z.clock_start);
    }

    #[test]
    fn add_working_days_is_monotonic(
        i in any::<Index>(),
        a in instant(),
        gap in prop_oneof![0i64..=120, 0i64..=14 * 86_400],
        n1 in 0u32..=40,
        extra in 0u32..=40,
    ) {
        let (id, s) = pick(&i);
        let b = a + Duration::seconds(gap);
        let x = s.add(a, BusinessDuration::WorkingDays(n1)).expect("add");
        let y = s.add(b, BusinessDuration::WorkingDays(n1)).expect("add");
        let z = s.add(a, BusinessDuration::WorkingDays(n1 + extra)).expect("add");
        prop_assert!(x.deadline >= x.clock_start, "{} {}", id, s.name);
        prop_assert!(x.deadline <= z.deadline, "{} {}: {} vs {}", id, s.name, n1, n1 + extra);
        prop_assert!(x.clock_start <= y.clock_start);
        if naive_local(s, x.clock_start) <= naive_local(s, y.clock_start) {
            prop_assert!(x.deadline <= y.deadline, "{} {}: start {} vs {}", id, s.name, a, b);
        }
        if n1 > 0 {
            // The deadline is on a later local day than the clock start, and open (or the
            // closing time of that day's last window before the wall-clock time).
            prop_assert!(
                naive_local(s, x.deadline).date() > naive_local(s, x.clock_start).date(),
                "{} {}", id, s.name
            );
        }
    }

    #[test]
    fn add_working_days_follows_the_rule(i in any::<Index>(), a in instant(), n in 1u32..=25) {
        // Independently of the engine's tables: the Nth later local day with open time, the
        // clock start's wall-clock time on it (by the DST rule), then moved to the latest open
        // instant (or closing time) at or before it on that day, or the day's first opening.
        let (id, s) = pick(&i);
        let span = s.add(a, BusinessDuration::WorkingDays(n)).expect("add");
        let start = naive_local(s, span.clock_start);
        let mut day = start.date();
        let mut left = n;
        let ivs = loop {
            day = day.succ_opt().expect("next day");
            let ivs = s.open_intervals(day).expect("open_intervals");
            if !ivs.is_empty() {
                left -= 1;
                if left == 0 {
                    break ivs;
                }
            }
        };
        let x = resolve_local(s.tz, day.and_time(start.time()));
        let want = if x < ivs[0].0 {
            ivs[0].0
        } else {
            ivs.iter()
                .filter(|(a, _)| *a <= x)
                .map(|(_, b)| x.min(*b))
                .next_back()
                .expect("an interval at or before x")
        };
        prop_assert_eq!(span.deadline, want, "{} {} from {} + {}wd", id, s.name, a, n);
    }

    #[test]
    fn add_calendar_days_is_monotonic(
        i in any::<Index>(),
        a in instant(),
        gap in prop_oneof![0i64..=120, 0i64..=14 * 86_400],
        n1 in 1u32..=60,
        extra in 0u32..=400,
    ) {
        let (id, s) = pick(&i);
        let b = a + Duration::seconds(gap);
        let x = s.add(a, BusinessDuration::CalendarDays(n1)).expect("add");
        let y = s.add(b, BusinessDuration::CalendarDays(n1)).expect("add");
        let z = s.add(a, BusinessDuration::CalendarDays(n1 + extra)).expect("add");
        prop_assert!(x.deadline > x.clock_start, "{} {}", id, s.name);
        prop_assert!(x.deadline <= z.deadline, "{} {}", id, s.name);
        if naive_local(s, x.clock_start) <= naive_local(s, y.clock_start) {
            prop_assert!(x.deadline <= y.deadline, "{} {}: start {} vs {}", id, s.name, a, b);
        }
        // The same wall-clock time N days later, unless that time falls in a gap.
        let start = naive_local(s, x.clock_start);
        let want = start + chrono::Days::new(u64::from(n1));
        let got = naive_local(s, x.deadline);
        if s.tz.from_local_datetime(&want).single().is_some() {
            prop_assert_eq!(got, want, "{} {}", id, s.name);
        }
    }

    #[test]
    fn is_open_agrees_with_open_intervals(i in any::<Index>(), t in instant()) {
        let (id, s) = pick(&i);
        let date = naive_local(s, t).date();
        let ivs = s.open_intervals(date).expect("open_intervals");
        let inside = ivs.iter().any(|(a, b)| *a <= t && t < *b);
        prop_assert_eq!(s.is_open(t), Ok(inside), "{} {} at {}", id, s.name, t);
        // Intervals are ordered, non-empty, disjoint, and inside the local day (the end may
        // be the next local midnight).
        for (a, b) in &ivs {
            prop_assert!(a < b);
            prop_assert_eq!(naive_local(s, *a).date(), date);
            prop_assert!(naive_local(s, *b - Duration::seconds(1)).date() == date);
        }
        for w in ivs.windows(2) {
            prop_assert!(w[0].1 <= w[1].0);
        }
    }

    #[test]
    fn is_open_agrees_with_day_plan(
        i in any::<Index>(),
        day in 0i64..(T1 - T0) / 86_400,
        minutes in prop::collection::vec(0u16..1440, 24),
    ) {
        let (id, s) = pick(&i);
        let date = NaiveDate::from_ymd_opt(1990, 1, 1).expect("date") + Duration::days(day);
        // Skip days with a DST change: the offset at local noon of the day before equals the
        // offset at local noon of the day after.
        let off = |d: NaiveDate| {
            s.tz
                .from_local_datetime(&d.and_hms_opt(12, 0, 0).expect("noon"))
                .single()
                .map(|t| t.offset().fix().local_minus_utc())
        };
        let before = off(date.pred_opt().expect("pred"));
        prop_assume!(before.is_some() && before == off(date.succ_opt().expect("succ")));
        let offset = i64::from(before.expect("offset"));
        let windows: Vec<(u16, u16)> = match s.day_plan(date) {
            DayPlan::Open(ws, _) => ws.iter().map(|w| (w.start.0, w.end.0)).collect(),
            DayPlan::Closed(_) => vec![],
        };
        let minute_at = |m: u16| {
            let local = date.and_hms_opt(0, 0, 0).expect("midnight").and_utc().timestamp();
            at(local + i64::from(m) * 60 - offset)
        };
        // open_intervals are the windows at that offset.
        let want: Vec<(DateTime<Utc>, DateTime<Utc>)> =
            windows.iter().map(|(a, b)| (minute_at(*a), minute_at(*b))).collect();
        prop_assert_eq!(s.open_intervals(date), Ok(want), "{} {} {}", id, s.name, date);
        let mut all = minutes.clone();
        all.extend(windows.iter().flat_map(|(a, b)| [*a, b.saturating_sub(1), b % 1440]));
        for m in all {
            let t = minute_at(m);
            prop_assert_eq!(
                naive_local(s, t).time(),
                Minute(m).time().expect("minute")
            );
            let want = windows.iter().any(|(a, b)| *a <= m && m < *b);
            prop_assert_eq!(
                s.is_open(t), Ok(want), "{} {} {} {}", id, s.name, date, Minute(m)
            );
        }
    }

    #[test]
    fn holidays_and_extra_days_are_closed(i in any::<Index>(), year in 1990i32..2100) {
        let (id, s) = pick(&i);
        for c in &s.calendars {
            for (d, h) in c.holidays_in(year) {
                prop_assert_eq!(s.open_intervals(d), Ok(vec![]), "{} {} {} {}", id, s.name, d, &h.name);
                let noon = resolve_local(s.tz, d.and_hms_opt(12, 0, 0).expect("noon"));
                prop_assert_eq!(s.is_open(noon), Ok(false));
            }
        }
        for h in &s.extra_days {
            let mut d = NaiveDate::from_ymd_opt(year, 1, 1).expect("1 Jan");
            while chrono::Datelike::year(&d) == year {
                if h.falls_on(d) {
                    prop_assert_eq!(s.open_intervals(d), Ok(vec![]), "{} {} {} {}", id, s.name, d, &h.name);
                }
                d = d.succ_opt().expect("next day");
            }
        }
    }

    #[test]
    fn next_open_is_the_next_open_instant(i in any::<Index>(), t in instant()) {
        let (id, s) = pick(&i);
        let n = s.next_open(t).expect("next_open");
        prop_assert!(n >= t, "{} {}", id, s.name);
        prop_assert_eq!(s.is_open(n), Ok(true), "{} {} from {}", id, s.name, t);
        prop_assert_eq!(s.between(t, n), Ok(0));
        if s.is_open(t).expect("is_open") {
            prop_assert_eq!(n, t);
        } else {
            prop_assert!(n > t);
            // The instant before the opening is closed.
            prop_assert_eq!(s.is_open(n - Duration::seconds(1)), Ok(false));
            prop_assert_eq!(s.next_open(n - Duration::seconds(1)), Ok(n));
        }
        prop_assert_eq!(s.next_open(n), Ok(n));
    }

    #[test]
    fn between_is_additive_and_bounded(
        i in any::<Index>(),
        a in instant(),
        g1 in 0i64..=40 * 86_400,
        g2 in 0i64..=40 * 86_400,
    ) {
        let (id, s) = pick(&i);
        let b = a + Duration::seconds(g1);
        let c = b + Duration::seconds(g2);
        let ab = s.between(a, b).expect("between");
        let bc = s.between(b, c).expect("between");
        prop_assert_eq!(s.between(a, c), Ok(ab + bc), "{} {}", id, s.name);
        prop_assert!((0..=g1).contains(&ab));
        if s.always {
            prop_assert_eq!(ab, g1);
        }
        prop_assert_eq!(s.between(a, a), Ok(0));
    }
}

#[test]
fn every_shipped_agreement_has_schedules() {
    let ids: std::collections::BTreeSet<&str> = SCHEDULES.iter().map(|(a, _)| a.as_str()).collect();
    assert!(ids.len() >= 5, "agreements with schedules: {ids:?}");
}
