//! Schedules: when an agreement's clock runs. A schedule is a time zone plus weekly windows,
//! the calendars whose holidays close it, switched-on extra days, seasons with other hours and
//! special days with other hours. This module owns the definition, the per-day plan and the
//! table of each year's open intervals compiled from it; the arithmetic over that table lives
//! in [`super::clock`] (which uses this module, never the other way round).
//!
//! Precedence for one local day: a holiday (or a switched-on extra day) closes it; else a
//! weekday with no weekly windows is closed; else the first matching special day gives its
//! hours; else the first matching season; else the weekly windows.

use super::calendar::{Calendar, DayRule, Holiday};
use super::time::{MAX_YEAR, MIN_YEAR, MonthDay, Window, at_minute};
use chrono::{Datelike, NaiveDate, Weekday};
use chrono_tz::Tz;
use std::sync::{Arc, OnceLock};

/// Days that get other hours, by fixed date, date range or Easter offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayMatcher {
    /// One month-day every year.
    Date(MonthDay),
    /// An inclusive month-day range (may wrap the year end).
    Range(MonthDay, MonthDay),
    /// Easter Sunday plus an offset (the Wednesday before Maundy Thursday is −4).
    Easter(i32),
}

impl DayMatcher {
    /// Whether `date` matches.
    pub fn matches(&self, date: NaiveDate) -> bool {
        match self {
            DayMatcher::Date(md) => MonthDay::of(date) == *md,
            DayMatcher::Range(a, b) => MonthDay::in_range(date, *a, *b),
            DayMatcher::Easter(off) => DayRule::Easter(*off).matches(date),
        }
    }
}

/// A special day or a season: named, matched days with their own hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherHours {
    /// Name shown in calendars.
    pub name: String,
    pub days: DayMatcher,
    /// The hours on those days (empty closes the day).
    pub hours: Vec<Window>,
    /// Clause.
    pub source: String,
    /// The reading chosen, if any.
    pub reading: Option<String>,
}

/// Why a day is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedReason<'a> {
    /// A public holiday.
    Holiday(&'a Holiday),
    /// A switched-on extra non-working day.
    ExtraDay(&'a Holiday),
    /// The weekday has no windows.
    Weekday(Weekday),
    /// A special day with no hours.
    Special(&'a str),
}

impl ClosedReason<'_> {
    /// A short human description ("Good Friday", "Saturday").
    pub fn describe(&self) -> String {
        match self {
            ClosedReason::Holiday(h) | ClosedReason::ExtraDay(h) => h.name.clone(),
            ClosedReason::Weekday(w) => weekday_name(*w).to_string(),
            ClosedReason::Special(n) => n.to_string(),
        }
    }
}

/// English weekday name.
pub fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// Where an open day's hours come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoursFrom<'a> {
    /// Around the clock.
    Always,
    /// The weekly windows.
    Weekly,
    Season(&'a str),
    /// A special day.
    Special(&'a str),
}

/// One local day of a schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayPlan<'a> {
    /// Open in these local windows.
    Open(&'a [Window], HoursFrom<'a>),
    /// Closed all day.
    Closed(ClosedReason<'a>),
}

/// A named schedule of one agreement.
#[derive(Debug)]
pub struct Schedule {
    /// Name within the agreement (`support`).
    pub name: String,
    /// Human description.
    pub description: String,
    /// Clause.
    pub source: String,
    /// The reading chosen where the text is unclear.
    pub reading: Option<String>,
    /// Remarks.
    pub note: Option<String>,
    /// Zone of all windows.
    pub tz: Tz,
    /// Open around the clock, ignoring everything else.
    pub always: bool,
    /// Weekly windows, Monday first.
    pub weekly: [Vec<Window>; 7],
    /// Calendars whose holidays close the schedule.
    pub calendars: Vec<Arc<Calendar>>,
    /// Switched-on extra non-working days.
    pub extra_days: Vec<Holiday>,
    /// Special days, first match wins.
    pub special_days: Vec<OtherHours>,
    /// Seasons, first match wins.
    pub seasons: Vec<OtherHours>,
    /// For a complement (Borger.dk's secondary time, all time outside primary): the schedule
    /// it is the complement of. Its weekly windows, special days and seasons are then the
    /// gaps of the base's, and a day the base's calendars close is open all day.
    pub complement_of: Option<Arc<Schedule>>,
    pub(crate) cache: YearCache,
}

/// The gaps of `windows` (sorted, non-overlapping) within a whole day.
fn gaps(windows: &[Window]) -> Vec<Window> {
    let mut out = Vec::new();
    let mut at = super::time::Minute(0);
    for w in windows {
        if w.start > at {
            out.push(Window {
                start: at,
                end: w.start,
            });
        }
        at = at.max(w.end);
    }
    if at < super::time::Minute(1440) {
        out.push(Window {
            start: at,
            end: super::time::Minute(1440),
        });
    }
    out
}

/// The full day, for 24/7 schedules.
const ALL_DAY: [Window; 1] = [Window {
    start: super::time::Minute(0),
    end: super::time::Minute(1440),
}];

impl Schedule {
    /// A schedule open around the clock.
    pub fn always(name: &str, tz: Tz) -> Self {
        Schedule::new(name, tz, true, Default::default(), vec![], vec![], vec![], vec![])
    }

    /// Builds a schedule. Windows are assumed valid and non-overlapping (the agreement
    /// loader checks that with positions).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        name: &str,
        tz: Tz,
        always: bool,
        weekly: [Vec<Window>; 7],
        calendars: Vec<Arc<Calendar>>,
        extra_days: Vec<Holiday>,
        special_days: Vec<OtherHours>,
        seasons: Vec<OtherHours>,
    ) -> Self {
        Schedule {
            name: name.to_string(),
            description: String::new(),
            source: String::new(),
            reading: None,
            note: None,
            tz,
            always,
            weekly,
            calendars,
            extra_days,
            special_days,
            seasons,
            complement_of: None,
            cache: YearCache::default(),
        }
    }

    /// The complement of `base`: open exactly when `base` is closed (Borger.dk 5: secondary
    /// operating time is all time outside primary).
    pub fn complement(name: &str, base: Arc<Schedule>) -> Self {
        let gap_hours = |o: &OtherHours| OtherHours {
            hours: gaps(&o.hours),
            ..o.clone()
        };
        let weekly = if base.always {
            Default::default()
        } else {
            std::array::from_fn(|i| gaps(&base.weekly[i]))
        };
        let special_days = base.special_days.iter().map(gap_hours).collect();
        let seasons = base.seasons.iter().map(gap_hours).collect();
        let mut s = Schedule::new(name, base.tz, false, weekly, vec![], vec![], special_days, seasons);
        s.complement_of = Some(base);
        s
    }

    /// The business seconds of one working day: the longest ordinary weekday's windows
    /// (a whole day for a schedule open around the clock). Durations of a day or more are
    /// read in working days of this length.
    pub fn working_day(&self) -> i64 {
        if self.always {
            return 86_400;
        }
        let day = self
            .weekly
            .iter()
            .map(|ws| {
                ws.iter()
                    .map(|w| i64::from(w.end.0) - i64::from(w.start.0))
                    .sum::<i64>()
            })
            .max()
            .unwrap_or(0);
        if day > 0 { day * 60 } else { 86_400 }
    }

    /// The plan of one local day, by the precedence in the module docs.
    pub fn day_plan(&self, date: NaiveDate) -> DayPlan<'_> {
        if self.always {
            return DayPlan::Open(&ALL_DAY, HoursFrom::Always);
        }
        if let Some(base) = &self.complement_of
            && let DayPlan::Closed(ClosedReason::Holiday(h) | ClosedReason::ExtraDay(h)) = base.day_plan(date)
        {
            return DayPlan::Open(&ALL_DAY, HoursFrom::Special(&h.name));
        }
        for c in &self.calendars {
            if let Some(h) = c.holiday(date) {
                return DayPlan::Closed(ClosedReason::Holiday(h));
            }
        }
        if let Some(h) = self.extra_days.iter().find(|h| h.falls_on(date)) {
            return DayPlan::Closed(ClosedReason::ExtraDay(h));
        }
        let wd = date.weekday();
        let weekly = &self.weekly[wd.num_days_from_monday() as usize];
        if weekly.is_empty() {
            return DayPlan::Closed(ClosedReason::Weekday(wd));
        }
        if let Some(s) = self.special_days.iter().find(|s| s.days.matches(date)) {
            return if s.hours.is_empty() {
                DayPlan::Closed(ClosedReason::Special(&s.name))
            } else {
                DayPlan::Open(&s.hours, HoursFrom::Special(&s.name))
            };
        }
        if let Some(s) = self.seasons.iter().find(|s| s.days.matches(date)) {
            return if s.hours.is_empty() {
                DayPlan::Closed(ClosedReason::Special(&s.name))
            } else {
                DayPlan::Open(&s.hours, HoursFrom::Season(&s.name))
            };
        }
        DayPlan::Open(weekly, HoursFrom::Weekly)
    }
}

/// One compiled year of a schedule: each local day's open intervals with prefix sums of open
/// seconds and working days, so the clock never steps by minute.
#[derive(Debug)]
pub(crate) struct YearTable {
    /// 1 January of the year (day 0).
    pub(crate) first_day: NaiveDate,
    /// `ivs[day_iv[d]..day_iv[d+1]]` are day `d`'s open intervals, UTC seconds, half-open.
    pub(crate) day_iv: Vec<u32>,
    /// Every open interval of the year, day by day.
    pub(crate) ivs: Vec<(i64, i64)>,
    /// Open seconds before day `d` (len days+1).
    pub(crate) cum: Vec<i64>,
    /// Working days before day `d` (len days+1).
    pub(crate) work: Vec<u32>,
}

impl YearTable {
    /// Number of days in the year.
    pub(crate) fn days(&self) -> usize {
        self.cum.len() - 1
    }
    /// Open seconds in the whole year.
    pub(crate) fn total(&self) -> i64 {
        self.cum[self.days()]
    }
    /// Working days in the whole year.
    pub(crate) fn total_work(&self) -> u32 {
        self.work[self.days()]
    }
    /// Day `d`'s open intervals (UTC seconds, half-open).
    pub(crate) fn intervals(&self, d: usize) -> &[(i64, i64)] {
        &self.ivs[self.day_iv[d] as usize..self.day_iv[d + 1] as usize]
    }
    /// Open seconds of the year strictly before `t`, where `t` is on local day `d`.
    pub(crate) fn cum_at(&self, d: usize, t: i64) -> i64 {
        let mut acc = self.cum[d];
        for &(a, b) in self.intervals(d) {
            if t <= a {
                break;
            }
            acc += t.min(b) - a;
        }
        acc
    }
    /// The first instant in the year at which `target` open seconds have passed
    /// (`0 < target <= total`).
    pub(crate) fn instant_at(&self, target: i64) -> i64 {
        let d = self.cum[1..].partition_point(|&c| c < target);
        let mut acc = self.cum[d];
        let mut last = 0;
        for &(a, b) in self.intervals(d) {
            if acc + (b - a) >= target {
                return a + (target - acc);
            }
            acc += b - a;
            last = b;
        }
        last
    }
}

/// Lazily compiled years of one schedule.
#[derive(Debug)]
pub(crate) struct YearCache(Box<[OnceLock<YearTable>]>);

impl Default for YearCache {
    fn default() -> Self {
        YearCache((MIN_YEAR..=MAX_YEAR).map(|_| OnceLock::new()).collect())
    }
}

impl Schedule {
    /// The compiled table of `year`, compiled on first use (none outside the supported years).
    pub(crate) fn year_table(&self, year: i32) -> Option<&YearTable> {
        let idx = usize::try_from(year - MIN_YEAR).ok()?;
        let cell = self.cache.0.get(idx)?;
        Some(cell.get_or_init(|| self.compile_year(year)))
    }

    /// Builds the table of `year` from the per-day plan.
    fn compile_year(&self, year: i32) -> YearTable {
        let first_day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
        let n = if NaiveDate::from_ymd_opt(year, 12, 31).is_some_and(|d| d.ordinal() == 366) {
            366
        } else {
            365
        };
        let mut t = YearTable {
            first_day,
            day_iv: Vec::with_capacity(n + 1),
            ivs: Vec::with_capacity(n * 2),
            cum: Vec::with_capacity(n + 1),
            work: Vec::with_capacity(n + 1),
        };
        let (mut cum, mut work) = (0i64, 0u32);
        for date in first_day.iter_days().take(n) {
            t.day_iv.push(t.ivs.len() as u32);
            t.cum.push(cum);
            t.work.push(work);
            if let DayPlan::Open(windows, _) = self.day_plan(date) {
                let mut any = false;
                for w in windows {
                    let a = at_minute(self.tz, date, w.start).timestamp();
                    let b = at_minute(self.tz, date, w.end).timestamp();
                    if b > a {
                        t.ivs.push((a, b));
                        cum += b - a;
                        any = true;
                    }
                }
                if any {
                    work += 1;
                }
            }
        }
        t.day_iv.push(t.ivs.len() as u32);
        t.cum.push(cum);
        t.work.push(work);
        t
    }
}
