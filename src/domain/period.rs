//! Periods: an ISO week, a calendar month and a calendar year, each read in an agreement's
//! zone (local midnight to local midnight, end exclusive). [`Period`] is the one model duties,
//! reports, commands and the CLI share; [`IsoWeekSpec`], [`MonthSpec`] and [`YearSpec`] are
//! its three kinds, for code that needs one of them. Parsing and display of their
//! `2026-W47`, `2026-10` and `2026` forms.

use super::time::{MAX_YEAR, MIN_YEAR, resolve_local};
use chrono::{DateTime, Datelike, IsoWeek, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Why a period did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Not of the expected form.
    #[error("\"{given}\" is not a {expected}")]
    Syntax {
        /// What was given.
        given: String,
        /// The form expected (`week like 2026-W47`).
        expected: &'static str,
    },
    /// Of the right form but no such period (week 54, month 13, a year outside 1900–2200).
    #[error("\"{0}\" does not exist or is outside the supported years {MIN_YEAR}–{MAX_YEAR}")]
    NoSuch(String),
}

fn year_ok(y: i32) -> bool {
    (MIN_YEAR..=MAX_YEAR - 1).contains(&y)
}

fn midnight(tz: Tz, d: NaiveDate) -> DateTime<Utc> {
    resolve_local(tz, d.and_time(chrono::NaiveTime::MIN))
}

/// An ISO 8601 week (`2026-W47`): Monday 00:00 local to the next Monday 00:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct IsoWeekSpec {
    /// ISO week-numbering year.
    pub year: i32,
    /// Week number, 1–53.
    pub week: u32,
}

impl IsoWeekSpec {
    /// Parses `2026-W47` (also `2026-w47`).
    pub fn parse(s: &str) -> Result<Self, PeriodError> {
        let syntax = || PeriodError::Syntax {
            given: s.to_string(),
            expected: "week like 2026-W47",
        };
        let t = s.trim();
        let (y, w) = t.split_once(['W', 'w']).ok_or_else(syntax)?;
        let y = y.strip_suffix('-').ok_or_else(syntax)?;
        if y.len() != 4 || w.is_empty() || w.len() > 2 {
            return Err(syntax());
        }
        let year: i32 = y.parse().map_err(|_| syntax())?;
        let week: u32 = w.parse().map_err(|_| syntax())?;
        let spec = IsoWeekSpec { year, week };
        if !year_ok(year) || NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).is_none() {
            return Err(PeriodError::NoSuch(t.to_string()));
        }
        Ok(spec)
    }

    /// The ISO week containing local date `d`.
    pub fn containing(d: NaiveDate) -> Self {
        let w = d.iso_week();
        IsoWeekSpec {
            year: w.year(),
            week: w.week(),
        }
    }

    pub fn monday(self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon).unwrap_or(NaiveDate::MIN)
    }

    /// Start (inclusive) and end (exclusive) in zone `tz`.
    pub fn bounds(self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let m = self.monday();
        (midnight(tz, m), midnight(tz, m + chrono::Duration::days(7)))
    }
}

impl fmt::Display for IsoWeekSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

impl FromStr for IsoWeekSpec {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A calendar month (`2026-10`): the 1st 00:00 local to the next month's 1st 00:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MonthSpec {
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
}

impl MonthSpec {
    /// Parses `2026-10`.
    pub fn parse(s: &str) -> Result<Self, PeriodError> {
        let syntax = || PeriodError::Syntax {
            given: s.to_string(),
            expected: "month like 2026-10",
        };
        let t = s.trim();
        let (y, m) = t.split_once('-').ok_or_else(syntax)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(syntax());
        }
        let year: i32 = y.parse().map_err(|_| syntax())?;
        let month: u32 = m.parse().map_err(|_| syntax())?;
        if !year_ok(year) || !(1..=12).contains(&month) {
            return Err(PeriodError::NoSuch(t.to_string()));
        }
        Ok(MonthSpec { year, month })
    }

    /// The month containing local date `d`.
    pub fn containing(d: NaiveDate) -> Self {
        MonthSpec {
            year: d.year(),
            month: d.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The month after.
    pub fn next(self) -> MonthSpec {
        if self.month == 12 {
            MonthSpec {
                year: self.year + 1,
                month: 1,
            }
        } else {
            MonthSpec {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// Start (inclusive) and end (exclusive) in zone `tz`.
    pub fn bounds(self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        (midnight(tz, self.first_day()), midnight(tz, self.next().first_day()))
    }
}

impl fmt::Display for MonthSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for MonthSpec {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A calendar year (`2026`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct YearSpec(pub i32);

impl YearSpec {
    /// Parses `2026`.
    pub fn parse(s: &str) -> Result<Self, PeriodError> {
        let t = s.trim();
        if t.len() != 4 {
            return Err(PeriodError::Syntax {
                given: s.to_string(),
                expected: "year like 2026",
            });
        }
        let y: i32 = t.parse().map_err(|_| PeriodError::Syntax {
            given: s.to_string(),
            expected: "year like 2026",
        })?;
        if !year_ok(y) {
            return Err(PeriodError::NoSuch(t.to_string()));
        }
        Ok(YearSpec(y))
    }

    /// Its twelve months.
    pub fn months(self) -> impl Iterator<Item = MonthSpec> {
        (1..=12).map(move |month| MonthSpec { year: self.0, month })
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 1, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Start (inclusive) and end (exclusive) in zone `tz`.
    pub fn bounds(self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            midnight(tz, self.first_day()),
            midnight(tz, YearSpec(self.0 + 1).first_day()),
        )
    }
}

impl fmt::Display for YearSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.0)
    }
}

impl FromStr for YearSpec {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The period a report covers: a week, a month or a year.
///
/// Stored (in duty job specs) as `{"period": "week", "year": 2026, "week": 47}`,
/// `{"period": "month", "year": 2026, "month": 10}` or `{"period": "year", "year": 2026}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "StoredPeriod", from = "StoredPeriod")]
pub enum Period {
    /// An ISO week.
    Week(IsoWeekSpec),
    /// A calendar month.
    Month(MonthSpec),
    /// A calendar year.
    Year(YearSpec),
}

impl Period {
    /// The ISO week `w`.
    pub fn of_week(w: IsoWeek) -> Period {
        Period::Week(IsoWeekSpec {
            year: w.year(),
            week: w.week(),
        })
    }

    /// The ISO week holding local date `d`.
    pub fn week_containing(d: NaiveDate) -> Period {
        Period::Week(IsoWeekSpec::containing(d))
    }

    /// Month `month` (1–12) of `year`.
    pub fn month(year: i32, month: u32) -> Period {
        Period::Month(MonthSpec { year, month })
    }

    /// Parses `2026-W47`, `2026-10` or `2026` (the form says which kind).
    pub fn parse(s: &str) -> Result<Period, PeriodError> {
        let t = s.trim();
        if t.contains(['W', 'w']) {
            IsoWeekSpec::parse(s).map(Period::Week)
        } else if t.contains('-') {
            MonthSpec::parse(s).map(Period::Month)
        } else if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            YearSpec::parse(s).map(Period::Year)
        } else {
            Err(PeriodError::Syntax {
                given: s.to_string(),
                expected: "period like 2026-W47, 2026-10 or 2026",
            })
        }
    }

    /// The first local date of the period and the first date after it.
    pub fn dates(self) -> (NaiveDate, NaiveDate) {
        match self {
            Period::Week(w) => (w.monday(), w.monday() + chrono::Duration::days(7)),
            Period::Month(m) => (m.first_day(), m.next().first_day()),
            Period::Year(y) => (y.first_day(), YearSpec(y.0 + 1).first_day()),
        }
    }

    /// Start (inclusive) and end (exclusive) in zone `tz`.
    pub fn bounds(self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let (from, to) = self.dates();
        (midnight(tz, from), midnight(tz, to))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Week(w) => w.fmt(f),
            Period::Month(m) => m.fmt(f),
            Period::Year(y) => y.fmt(f),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// [`Period`] as stored: tagged by kind, with the numbers as named fields.
#[derive(Serialize, Deserialize)]
#[serde(tag = "period", rename_all = "snake_case")]
enum StoredPeriod {
    Week { year: i32, week: u32 },
    Month { year: i32, month: u32 },
    Year { year: i32 },
}

impl From<Period> for StoredPeriod {
    fn from(p: Period) -> Self {
        match p {
            Period::Week(IsoWeekSpec { year, week }) => StoredPeriod::Week { year, week },
            Period::Month(MonthSpec { year, month }) => StoredPeriod::Month { year, month },
            Period::Year(YearSpec(year)) => StoredPeriod::Year { year },
        }
    }
}

impl From<StoredPeriod> for Period {
    fn from(p: StoredPeriod) -> Self {
        match p {
            StoredPeriod::Week { year, week } => Period::Week(IsoWeekSpec { year, week }),
            StoredPeriod::Month { year, month } => Period::Month(MonthSpec { year, month }),
            StoredPeriod::Year { year } => Period::Year(YearSpec(year)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_parse_and_display() {
        let w = IsoWeekSpec::parse("2026-W47").expect("week");
        assert_eq!(w, IsoWeekSpec { year: 2026, week: 47 });
        assert_eq!(w.to_string(), "2026-W47");
        assert_eq!(w.monday(), NaiveDate::from_ymd_opt(2026, 11, 16).expect("date"));
        assert!(IsoWeekSpec::parse("2026-W54").is_err());
        assert!(IsoWeekSpec::parse("2026-W00").is_err());
        assert!(IsoWeekSpec::parse("2026W4").is_err());
        assert!(IsoWeekSpec::parse("2026-10").is_err());
        // 2026 has 53 ISO weeks.
        assert!(IsoWeekSpec::parse("2026-W53").is_ok());
    }

    #[test]
    fn months_parse_and_bound_in_the_zone() {
        let m = MonthSpec::parse("2026-10").expect("month");
        assert_eq!(m.to_string(), "2026-10");
        assert!(MonthSpec::parse("2026-13").is_err());
        assert!(MonthSpec::parse("2026-1").is_err());
        let (a, b) = m.bounds(chrono_tz::Europe::Oslo);
        assert_eq!(a.to_rfc3339(), "2026-09-30T22:00:00+00:00");
        // Summer time ends on 25 October: the month ends at 23:00 UTC.
        assert_eq!(b.to_rfc3339(), "2026-10-31T23:00:00+00:00");
        assert_eq!(
            MonthSpec::parse("2026-12").expect("month").next().to_string(),
            "2027-01"
        );
    }

    #[test]
    fn years_parse() {
        assert_eq!(YearSpec::parse("2026").expect("year").months().count(), 12);
        assert!(YearSpec::parse("26").is_err());
        assert!(YearSpec::parse("3000").is_err());
    }

    #[test]
    fn periods_parse_print_and_store_as_before() {
        for s in ["2026-W47", "2026-W01", "2026-10", "2026"] {
            assert_eq!(Period::parse(s).map(|p| p.to_string()).as_deref(), Ok(s));
        }
        for s in ["2026-W54", "2026-13", "2026-1", "26", "W47", "", "soon"] {
            assert!(Period::parse(s).is_err(), "{s}");
        }
        assert_eq!(
            Period::parse("2026-W53").map(Period::dates),
            Ok((
                NaiveDate::from_ymd_opt(2026, 12, 28).expect("date"),
                NaiveDate::from_ymd_opt(2027, 1, 4).expect("date")
            ))
        );
        let tz = chrono_tz::Europe::Oslo;
        for s in ["2026-W44", "2026-10", "2026"] {
            let p = Period::parse(s).expect("period");
            let kind = match p {
                Period::Week(w) => w.bounds(tz),
                Period::Month(m) => m.bounds(tz),
                Period::Year(y) => y.bounds(tz),
            };
            assert_eq!(p.bounds(tz), kind, "{s}");
        }
        // Stored in job specs as tagged objects; the rows written before read back the same.
        for (p, json) in [
            ("2026-W47", r#"{"period":"week","year":2026,"week":47}"#),
            ("2026-10", r#"{"period":"month","year":2026,"month":10}"#),
            ("2026", r#"{"period":"year","year":2026}"#),
        ] {
            let p = Period::parse(p).expect("period");
            assert_eq!(serde_json::to_string(&p).expect("json"), json);
            assert_eq!(serde_json::from_str::<Period>(json).expect("reads"), p);
        }
    }
}
