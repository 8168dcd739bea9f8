//! The business clock: arithmetic over a [`Schedule`]'s open time.
//!
//! # Rules
//! - **Clock start.** A clock started while the schedule is closed starts at the next
//!   opening ([`Schedule::next_open`]).
//! - **Minutes and hours** (`90m`, `8h`) are real elapsed seconds while the schedule is open.
//!   A deadline that is reached exactly at a closing time is that closing time.
//! - **Working days** (`3wd`): the same local wall-clock time on the Nth working day (a day
//!   with any open window) after the day the clock starts. If that time is not open on that
//!   day, the deadline is the latest open instant before it on that day (its closing time when
//!   the day closes earlier), or the day's first opening when the day opens later.
//!   Tuesday 10:00 + 3wd = Friday 10:00; Saturday 12:00 + 3wd = Thursday at opening.
//! - **Calendar days** (`6d`): the same local wall-clock time N days after the clock start.
//! - **DST.** Window edges are local wall-clock times resolved by the rule in
//!   [`super::time`]: a time in a spring-forward gap is the first instant after the gap, a
//!   time in an autumn fold the earlier instant. Durations are real seconds, so a 24/7 day
//!   with a spring-forward change is 23 hours long.
//! - **Precision.** Instants are handled in whole seconds; fractions are dropped.
//!
//! # Cost
//! Each supported year of a schedule (1900–2200) is compiled once, lazily, into a table of
//! open intervals (UTC seconds) with prefix sums of open seconds and working days per day.
//! `between` is two prefix look-ups; `add` is a binary search over one year's prefix sums
//! (and a skip over whole years for very long spans). No operation steps by minute.

use super::schedule::{DayPlan, Schedule, YearTable};
use super::time::{MAX_YEAR, MIN_YEAR, Minute, resolve_local};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use std::fmt;

/// A duration as agreements write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum BusinessDuration {
    /// Open seconds (`90m`, `8h`).
    Seconds(i64),
    /// Working days (`3wd`).
    WorkingDays(u32),
    /// Calendar days (`6d`).
    CalendarDays(u32),
}

/// Why a duration did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a duration like 90m, 8h, 3wd or 6d")]
pub struct DurationSyntax;

impl BusinessDuration {
    /// Parses `90m`, `8h`, `3wd`, `6d` (also `45s` for tests and tools), and business time
    /// in hours, minutes and seconds together as [`crate::domain::time::parse_duration`]
    /// reads it (`3h15m`).
    pub fn parse(s: &str) -> Result<Self, DurationSyntax> {
        let s = s.trim();
        if !s.contains('d')
            && let Ok(d) = crate::domain::time::parse_duration(s)
        {
            return Ok(BusinessDuration::Seconds(d.num_seconds()));
        }
        let split = s.find(|c: char| !c.is_ascii_digit()).ok_or(DurationSyntax)?;
        let (num, unit) = s.split_at(split);
        if num.is_empty() || num.len() > 9 {
            return Err(DurationSyntax);
        }
        let n: u32 = num.parse().map_err(|_| DurationSyntax)?;
        Ok(match unit {
            "s" => BusinessDuration::Seconds(i64::from(n)),
            "m" => BusinessDuration::Seconds(i64::from(n) * 60),
            "h" => BusinessDuration::Seconds(i64::from(n) * 3600),
            "wd" => BusinessDuration::WorkingDays(n),
            "d" => BusinessDuration::CalendarDays(n),
            _ => return Err(DurationSyntax),
        })
    }
}

impl fmt::Display for BusinessDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            BusinessDuration::Seconds(s) if s % 3600 == 0 => write!(f, "{}h", s / 3600),
            BusinessDuration::Seconds(s) if s % 60 == 0 => write!(f, "{}m", s / 60),
            BusinessDuration::Seconds(s) => write!(f, "{s}s"),
            BusinessDuration::WorkingDays(n) => write!(f, "{n}wd"),
            BusinessDuration::CalendarDays(n) => write!(f, "{n}d"),
        }
    }
}

/// Why a clock computation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// The instant (or the result) is outside the supported years.
    #[error("outside the supported years {MIN_YEAR}–{MAX_YEAR}")]
    OutOfRange,
    /// The schedule never opens again before the end of the supported range.
    #[error("the schedule does not open again before the end of {MAX_YEAR}")]
    NeverOpens,
}

/// An open interval `[start, end)`.
pub type Interval = (DateTime<Utc>, DateTime<Utc>);

/// A started clock and where it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// When the clock started (the next opening at or after the start asked for).
    pub clock_start: DateTime<Utc>,
    /// When the duration is used up.
    pub deadline: DateTime<Utc>,
}

fn secs(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

fn instant(s: i64) -> Result<DateTime<Utc>, ClockError> {
    Utc.timestamp_opt(s, 0).single().ok_or(ClockError::OutOfRange)
}

impl Schedule {
    fn year(&self, year: i32) -> Result<&YearTable, ClockError> {
        self.year_table(year).ok_or(ClockError::OutOfRange)
    }

    /// The compiled year and day index of an instant's local date.
    fn locate(&self, t: i64) -> Result<(&YearTable, i32, usize), ClockError> {
        let date = instant(t)?.with_timezone(&self.tz).date_naive();
        let y = self.year(date.year())?;
        Ok((y, date.year(), date.ordinal0() as usize))
    }

    /// Whether the schedule is open at `t`.
    pub fn is_open(&self, t: DateTime<Utc>) -> Result<bool, ClockError> {
        let t = secs(t);
        let (y, _, d) = self.locate(t)?;
        Ok(y.intervals(d).iter().any(|&(a, b)| a <= t && t < b))
    }

    /// `t` if open, else the next opening after `t`.
    pub fn next_open(&self, t: DateTime<Utc>) -> Result<DateTime<Utc>, ClockError> {
        instant(self.next_open_s(secs(t))?)
    }

    fn next_open_s(&self, t: i64) -> Result<i64, ClockError> {
        let (mut y, mut year, d) = self.locate(t)?;
        for &(a, b) in y.intervals(d) {
            if t < b {
                return Ok(a.max(t));
            }
        }
        // The first later day of this year with open time, then later years.
        let mut from = d + 1;
        loop {
            let base = y.cum[from.min(y.days())];
            let next = y.cum[from + 1..].partition_point(|&c| c <= base) + from;
            if next < y.days() {
                return Ok(y.intervals(next)[0].0);
            }
            year += 1;
            y = self.year(year).map_err(|_| ClockError::NeverOpens)?;
            from = 0;
            if y.total() > 0 {
                let next = y.cum[1..].partition_point(|&c| c <= 0);
                return Ok(y.intervals(next)[0].0);
            }
        }
    }

    /// The latest closing instant (end of an open interval) at or before `t`, looking back at
    /// most about a year; `None` if the schedule was not open in that time.
    pub fn last_close_before(&self, t: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, ClockError> {
        let ts = secs(t);
        let (mut y, mut year, mut d) = self.locate(ts)?;
        for _ in 0..400 {
            if let Some(&(_, b)) = y.intervals(d).iter().rev().find(|&&(_, b)| b <= ts) {
                return instant(b).map(Some);
            }
            if d == 0 {
                year -= 1;
                y = match self.year(year) {
                    Ok(y) => y,
                    Err(_) => return Ok(None),
                };
                d = y.days() - 1;
            } else {
                d -= 1;
            }
        }
        Ok(None)
    }

    /// Open seconds between `a` and `b` (negative when `b` is before `a`).
    pub fn between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Result<i64, ClockError> {
        let (a, b) = (secs(a), secs(b));
        if b < a {
            return self.between_s(b, a).map(|s| -s);
        }
        self.between_s(a, b)
    }

    fn between_s(&self, a: i64, b: i64) -> Result<i64, ClockError> {
        let (ya, yra, da) = self.locate(a)?;
        let (yb, yrb, db) = self.locate(b)?;
        if yra == yrb {
            return Ok(yb.cum_at(db, b) - ya.cum_at(da, a));
        }
        let mut total = ya.total() - ya.cum_at(da, a);
        for year in yra + 1..yrb {
            total += self.year(year)?.total();
        }
        Ok(total + yb.cum_at(db, b))
    }

    /// Starts a clock at `start` (or the next opening) and runs it for `d`.
    pub fn add(&self, start: DateTime<Utc>, d: BusinessDuration) -> Result<Span, ClockError> {
        let s = self.next_open_s(secs(start))?;
        let deadline = match d {
            BusinessDuration::Seconds(n) => self.add_seconds(s, n)?,
            BusinessDuration::WorkingDays(n) => self.add_working_days(s, n)?,
            BusinessDuration::CalendarDays(0) => s,
            BusinessDuration::CalendarDays(n) => {
                let local = instant(s)?.with_timezone(&self.tz).naive_local();
                let date = local
                    .date()
                    .checked_add_days(chrono::Days::new(u64::from(n)))
                    .ok_or(ClockError::OutOfRange)?;
                if date.year() > MAX_YEAR {
                    return Err(ClockError::OutOfRange);
                }
                secs(resolve_local(self.tz, date.and_time(local.time())))
            }
        };
        Ok(Span {
            clock_start: instant(s)?,
            deadline: instant(deadline)?,
        })
    }

    fn add_seconds(&self, s: i64, n: i64) -> Result<i64, ClockError> {
        if n <= 0 {
            return Ok(s);
        }
        let (mut y, mut year, d) = self.locate(s)?;
        let mut target = y.cum_at(d, s) + n;
        loop {
            if target <= y.total() {
                return Ok(y.instant_at(target));
            }
            target -= y.total();
            year += 1;
            y = self.year(year)?;
        }
    }

    fn add_working_days(&self, s: i64, n: u32) -> Result<i64, ClockError> {
        let local = instant(s)?.with_timezone(&self.tz).naive_local();
        let time = local.time();
        let (mut y, mut year, d) = self.locate(s)?;
        if n == 0 {
            return Ok(s);
        }
        // Working days counted from the day after the clock-start day.
        let mut want = y.work[d + 1] + n;
        let day = loop {
            if want <= y.total_work() {
                break y.work[1..].partition_point(|&c| c < want);
            }
            want -= y.total_work();
            year += 1;
            y = self.year(year)?;
        };
        let date = y.first_day + chrono::Days::new(day as u64);
        let x = secs(resolve_local(self.tz, date.and_time(time)));
        Ok(clamp_into_day(y.intervals(day), x))
    }

    /// Each local day's plan from `from` to `to` inclusive (for calendars and tests).
    pub fn days(&self, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = (NaiveDate, DayPlan<'_>)> {
        from.iter_days()
            .take_while(move |d| *d <= to)
            .map(|d| (d, self.day_plan(d)))
    }

    /// Whether `date` is a working day (has any open time).
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, ClockError> {
        let y = self.year(date.year())?;
        let d = date.ordinal0() as usize;
        Ok(y.work[d + 1] > y.work[d])
    }

    /// The open intervals of one local day as instants (DST applied, empty ones dropped).
    pub fn open_intervals(&self, date: NaiveDate) -> Result<Vec<Interval>, ClockError> {
        let y = self.year(date.year())?;
        y.intervals(date.ordinal0() as usize)
            .iter()
            .map(|&(a, b)| Ok((instant(a)?, instant(b)?)))
            .collect()
    }
}

/// The latest open instant at or before `x` within a day's intervals, or the day's first
/// opening when `x` is before it.
fn clamp_into_day(ivs: &[(i64, i64)], x: i64) -> i64 {
    let mut best = ivs.first().map_or(x, |iv| iv.0);
    for &(a, b) in ivs {
        if x < a {
            break;
        }
        best = x.min(b);
    }
    best
}

/// Local wall-clock `HH:MM` of an instant in a zone.
pub fn local_hhmm(tz: chrono_tz::Tz, t: DateTime<Utc>) -> String {
    Minute::of(t.with_timezone(&tz).time()).to_string()
}
