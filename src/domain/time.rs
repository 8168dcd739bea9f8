//! Local wall-clock primitives shared by calendars, schedules and clocks: month-days,
//! minute-of-day windows, weekday sets, and the one rule that turns a local wall-clock time
//! into an instant (the DST rule), and the one grammar of times and durations users type
//! ([`parse_instant`], [`parse_supported_instant`], [`parse_duration`]) shared by the console,
//! Discord and the command line.
//!
//! # The DST rule
//! Business windows are local wall-clock times in the agreement's zone. When a local time
//! does not exist (it falls in a spring-forward gap), it means **the first instant after the
//! gap** (02:30 on the last Sunday of March in Europe/Oslo is 03:00 CEST = 01:00 UTC). When a
//! local time exists twice (an autumn fold), it means **the earlier instant** (02:30 on the
//! last Sunday of October is 02:30 CEST = 00:30 UTC). Durations are always real elapsed
//! seconds.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use std::fmt;

/// First year the engine supports.
pub const MIN_YEAR: i32 = 1900;
/// Last year the engine supports.
pub const MAX_YEAR: i32 = 2200;

/// A day of the year without a year, like `05-15`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    /// Month, 1–12.
    pub month: u32,
    /// Day of month, 1–31 (valid for the month, 29 allowed in February).
    pub day: u32,
}

impl MonthDay {
    /// Builds a month-day, checking it exists in a leap year.
    pub fn new(month: u32, day: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(2000, month, day).map(|_| MonthDay { month, day })
    }

    /// Parses `MM-DD`.
    pub fn parse(s: &str) -> Option<Self> {
        let (m, d) = s.split_once('-')?;
        if m.len() != 2 || d.len() != 2 {
            return None;
        }
        MonthDay::new(m.parse().ok()?, d.parse().ok()?)
    }

    /// The month-day of a date.
    pub fn of(date: NaiveDate) -> Self {
        MonthDay {
            month: date.month(),
            day: date.day(),
        }
    }

    /// Whether `date` lies in the inclusive range `from..=to`, which may wrap the year end.
    pub fn in_range(date: NaiveDate, from: MonthDay, to: MonthDay) -> bool {
        let md = MonthDay::of(date);
        if from <= to {
            from <= md && md <= to
        } else {
            md >= from || md <= to
        }
    }

    /// This month-day in `year`, or `None` (29 February in a common year).
    pub fn in_year(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

/// Minutes since local midnight, 0..=1440 (1440 is `24:00`, only as a closing time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Minute(pub u16);

impl Minute {
    /// Parses `HH:MM`, allowing `24:00`.
    pub fn parse(s: &str) -> Option<Self> {
        let (h, m) = s.split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let h: u16 = h.parse().ok()?;
        let m: u16 = m.parse().ok()?;
        if m >= 60 || h > 24 || (h == 24 && m != 0) {
            return None;
        }
        Some(Minute(h * 60 + m))
    }

    /// The wall-clock time; `24:00` has none (it is the next day's midnight).
    pub fn time(self) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(u32::from(self.0 / 60), u32::from(self.0 % 60), 0)
    }

    /// The minute of a wall-clock time (seconds dropped).
    pub fn of(t: NaiveTime) -> Self {
        Minute((t.hour() * 60 + t.minute()) as u16)
    }
}

impl fmt::Display for Minute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// An open window within one local day, `start < end`, never crossing midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    /// Opening, local.
    pub start: Minute,
    /// Closing, local (may be `24:00`).
    pub end: Minute,
}

impl Window {
    /// Parses `HH:MM-HH:MM`.
    pub fn parse(s: &str) -> Result<Self, WindowError> {
        let (a, b) = s.trim().split_once('-').ok_or(WindowError::Syntax)?;
        let start = Minute::parse(a.trim()).ok_or(WindowError::Syntax)?;
        let end = Minute::parse(b.trim()).ok_or(WindowError::Syntax)?;
        if start.0 == 1440 {
            return Err(WindowError::Syntax);
        }
        if end <= start {
            return Err(WindowError::Empty);
        }
        Ok(Window { start, end })
    }

    /// Whether two windows share any minute.
    pub fn overlaps(&self, other: &Window) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

/// Why a window did not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// Not `HH:MM-HH:MM`.
    #[error("expected HH:MM-HH:MM")]
    Syntax,
    /// The end is not after the start (a window may not cross midnight).
    #[error("the window ends before it starts; a window may not cross midnight (write two)")]
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct WeekdaySet(pub u8);

impl WeekdaySet {
    /// Whether the set holds `d`.
    pub fn contains(self, d: Weekday) -> bool {
        self.0 & (1 << d.num_days_from_monday()) != 0
    }

    /// Adds `d`.
    pub fn insert(&mut self, d: Weekday) {
        self.0 |= 1 << d.num_days_from_monday();
    }

    /// Iterates Monday first.
    pub fn iter(self) -> impl Iterator<Item = Weekday> {
        (0..7u8)
            .filter(move |i| self.0 & (1 << i) != 0)
            .filter_map(|i| Weekday::try_from(i).ok())
    }

    /// Parses `mon-fri`, `sat,sun`, `mon,wed-fri`.
    pub fn parse(s: &str) -> Option<Self> {
        let mut set = WeekdaySet::default();
        for part in s.split(',') {
            let part = part.trim();
            if let Some((a, b)) = part.split_once('-') {
                let a = parse_weekday(a.trim())?.num_days_from_monday();
                let b = parse_weekday(b.trim())?.num_days_from_monday();
                if b < a {
                    return None;
                }
                for i in a..=b {
                    set.0 |= 1 << i;
                }
            } else {
                set.insert(parse_weekday(part)?);
            }
        }
        Some(set)
    }
}

/// Parses a three-letter English weekday (`mon` … `sun`).
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// Parses `DAYS HH:MM-HH:MM` (`mon-fri 08:00-17:00`).
pub fn parse_weekly_window(s: &str) -> Result<(WeekdaySet, Window), String> {
    let s = s.trim();
    let (days, window) = s
        .split_once(char::is_whitespace)
        .ok_or_else(|| "expected \"DAYS HH:MM-HH:MM\", e.g. \"mon-fri 08:00-17:00\"".to_string())?;
    let set = WeekdaySet::parse(days)
        .ok_or_else(|| format!("unknown days \"{days}\" (use mon..sun, ranges like mon-fri, commas)"))?;
    let w = Window::parse(window).map_err(|e| format!("window \"{}\": {e}", window.trim()))?;
    Ok((set, w))
}

/// Turns a local wall-clock time into an instant by the DST rule of this module:
/// a time in a gap is the first instant after the gap, a time in a fold the earlier instant.
pub fn resolve_local(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    use chrono::LocalResult;
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
        LocalResult::None => {
            // In a gap: the first instant after it is the first whole minute whose local
            // time exists (gaps are whole minutes in every real zone). Only times inside a
            // gap get here, at most a few per year, so a bounded minute scan is cheap.
            let mut probe = local.with_nanosecond(0).and_then(|t| t.with_second(0)).unwrap_or(local);
            for _ in 0..(26 * 60) {
                probe += Duration::minutes(1);
                if let LocalResult::Single(t) | LocalResult::Ambiguous(t, _) = tz.from_local_datetime(&probe) {
                    return t.with_timezone(&Utc);
                }
            }
            // No real zone has a gap over a day; fall back to the naive UTC reading.
            Utc.from_utc_datetime(&local)
        }
    }
}

/// Why an instant did not parse: the text given (trimmed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid time \"{0}\" (expected RFC 3339 like 2026-11-20T08:00:00+01:00, local 2026-11-20T08:00, or a date 2026-11-20 for local midnight)"
)]
pub struct InstantSyntax(pub String);

/// Why a time given by a user is refused: it does not parse, or falls outside the supported
/// years.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Not a time in the grammar of [`parse_instant`].
    #[error(transparent)]
    Syntax(#[from] InstantSyntax),
    /// A time whose local year is outside [`MIN_YEAR`]–[`MAX_YEAR`]: the text given.
    #[error("time \"{0}\" is outside the supported years {MIN_YEAR}–{MAX_YEAR}")]
    OutOfRange(String),
}

/// [`parse_instant`], refusing a time whose local year (in `tz`) is outside the supported
/// years (inclusive): what the console's `/clock set` and `--start` and the CLI accept.
pub fn parse_supported_instant(s: &str, tz: Tz) -> Result<DateTime<Utc>, TimeError> {
    let t = parse_instant(s, tz)?;
    if !year_supported(t.with_timezone(&tz).year()) {
        return Err(TimeError::OutOfRange(s.trim().to_string()));
    }
    Ok(t)
}

/// Why a duration did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid duration \"{0}\" (expected amounts with units d, h, m, s in that order, like 90m, 2h, 3h15m or 1d12h)"
)]
pub struct DurationSyntax(pub String);

/// Parses a wall-clock duration: one or more `<number><unit>` parts with the units `d`
/// (24 hours), `h`, `m`, `s`, each at most once and largest first (`3h15m`, `1d12h`, `90m`,
/// `45s`). The result is positive and fits in [`MAX_DURATION_SECONDS`].
pub fn parse_duration(s: &str) -> Result<chrono::Duration, DurationSyntax> {
    let text = s.trim();
    let bad = || DurationSyntax(text.to_string());
    let units: [(char, i64); 4] = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];
    let mut rest = text;
    let mut next_unit = 0;
    let mut total: i64 = 0;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        if digits == 0 || digits > 9 {
            return Err(bad());
        }
        let n: i64 = rest[..digits].parse().map_err(|_| bad())?;
        let unit = rest[digits..].chars().next().ok_or_else(bad)?;
        let at = units[next_unit..]
            .iter()
            .position(|(u, _)| *u == unit)
            .ok_or_else(bad)?;
        total = n
            .checked_mul(units[next_unit + at].1)
            .and_then(|x| total.checked_add(x))
            .ok_or_else(bad)?;
        next_unit += at + 1;
        rest = &rest[digits + unit.len_utf8()..];
    }
    if total <= 0 || total > MAX_DURATION_SECONDS {
        return Err(bad());
    }
    Ok(chrono::Duration::seconds(total))
}

/// The longest duration [`parse_duration`] accepts: about 400 years, beyond the supported
/// range of years.
pub const MAX_DURATION_SECONDS: i64 = 400 * 366 * 86_400;

/// Parses an instant: RFC 3339 (seconds optional), a local time in `tz` (DST rule applies),
/// or a bare date `YYYY-MM-DD` for its local midnight. The one grammar of the console,
/// Discord and the command line.
pub fn parse_instant(s: &str, tz: Tz) -> Result<DateTime<Utc>, InstantSyntax> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(day_start(tz, d));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z"] {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    if let Some(body) = s.strip_suffix('Z') {
        for f in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"] {
            if let Ok(t) = NaiveDateTime::parse_from_str(body, f) {
                return Ok(t.and_utc());
            }
        }
    }
    for f in [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(resolve_local(tz, t));
        }
    }
    Err(InstantSyntax(s.to_string()))
}

/// The instant a local day starts (its local midnight, by the DST rule).
pub fn day_start(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    resolve_local(tz, date.and_time(NaiveTime::MIN))
}

/// The instant of minute `m` on local `date` (`24:00` is the next day's midnight).
pub fn at_minute(tz: Tz, date: NaiveDate, m: Minute) -> DateTime<Utc> {
    match m.time() {
        Some(t) => resolve_local(tz, date.and_time(t)),
        None => day_start(tz, date.succ_opt().unwrap_or(date)),
    }
}

/// The local date of an instant.
pub fn local_date(tz: Tz, t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// Whether `year` is inside the supported range.
pub fn year_supported(year: i32) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&year)
}

/// Easter Sunday (Gregorian computus, anonymous algorithm) for `year`.
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // The formula always yields March or April.
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    #[test]
    fn user_times_and_durations_have_one_grammar() {
        use super::*;
        let tz: Tz = "Europe/Oslo".parse().expect("zone");
        let midnight = parse_instant("2026-12-18", tz).expect("a bare date");
        assert_eq!(midnight.to_rfc3339(), "2026-12-17T23:00:00+00:00");
        assert!(parse_supported_instant("2200-12-31T23:00+01:00", tz).is_ok());
        assert!(matches!(
            parse_supported_instant("9999-12-31T00:00Z", tz),
            Err(TimeError::OutOfRange(_))
        ));
        assert!(matches!(parse_supported_instant("soon", tz), Err(TimeError::Syntax(_))));
        for (text, secs) in [
            ("3h15m", 11_700),
            ("90m", 5_400),
            ("1d12h", 129_600),
            ("45s", 45),
            ("2h0m30s", 7_230),
        ] {
            assert_eq!(parse_duration(text).map(|d| d.num_seconds()), Ok(secs), "{text}");
        }
        for bad in ["", "3", "h", "15m3h", "3h3h", "0m", "-2h", "2 h", "1wd", "9999999999d"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }

    use super::*;

    #[test]
    fn instants_parse_with_an_offset_in_utc_or_as_local_time_by_the_dst_rule() {
        let oslo: Tz = "Europe/Oslo".parse().expect("zone");
        let at = |s: &str| parse_instant(s, oslo);
        assert_eq!(at("2026-11-20T08:00:00+01:00"), Ok(utc("2026-11-20T07:00:00Z")));
        assert_eq!(at(" 2026-11-20T08:00+01:00 "), Ok(utc("2026-11-20T07:00:00Z")));
        assert_eq!(at("2026-11-20 08:00+01:00"), Ok(utc("2026-11-20T07:00:00Z")));
        assert_eq!(at("2026-11-20T08:00Z"), Ok(utc("2026-11-20T08:00:00Z")));
        assert_eq!(at("2026-11-20T08:00"), Ok(utc("2026-11-20T07:00:00Z")));
        assert_eq!(at("2026-11-20 08:00:30"), Ok(utc("2026-11-20T07:00:30Z")));
        // In the spring-forward gap: the first instant after it.
        assert_eq!(at("2026-03-29T02:30"), Ok(utc("2026-03-29T01:00:00Z")));
        assert_eq!(at(" tomorrow "), Err(InstantSyntax("tomorrow".into())));
        // A bare date is local midnight.
        assert_eq!(at("2026-11-20"), Ok(utc("2026-11-19T23:00:00Z")));
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .expect("test time")
    }

    fn ndt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test time")
    }

    #[test]
    fn easter_known_years() {
        for (y, m, d) in [
            (1900, 4, 15),
            (1954, 4, 18),
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2038, 4, 25),
            (2100, 3, 28),
            (2200, 4, 6),
        ] {
            assert_eq!(easter_sunday(y), NaiveDate::from_ymd_opt(y, m, d).expect("date"), "{y}");
        }
    }

    /// The DST rule, table-driven, for the three Nordic zones around both changes of 2026
    /// (29 March and 25 October, switching at 01:00 UTC).
    #[test]
    fn dst_rule_table() {
        let zones = [
            chrono_tz::Europe::Oslo,
            chrono_tz::Europe::Copenhagen,
            chrono_tz::Europe::Stockholm,
        ];
        let cases = [
            // spring forward: 02:00..03:00 does not exist
            ("2026-03-29 01:59", "2026-03-29T00:59:00Z"),
            ("2026-03-29 02:00", "2026-03-29T01:00:00Z"),
            ("2026-03-29 02:30", "2026-03-29T01:00:00Z"),
            ("2026-03-29 02:59", "2026-03-29T01:00:00Z"),
            ("2026-03-29 03:00", "2026-03-29T01:00:00Z"),
            ("2026-03-29 03:01", "2026-03-29T01:01:00Z"),
            // autumn fold: 02:00..03:00 happens twice; the earlier is chosen
            ("2026-10-25 01:59", "2026-10-24T23:59:00Z"),
            ("2026-10-25 02:00", "2026-10-25T00:00:00Z"),
            ("2026-10-25 02:30", "2026-10-25T00:30:00Z"),
            ("2026-10-25 02:59", "2026-10-25T00:59:00Z"),
            ("2026-10-25 03:00", "2026-10-25T02:00:00Z"),
        ];
        for tz in zones {
            for (local, want) in cases {
                assert_eq!(resolve_local(tz, ndt(local)), utc(want), "{tz} {local}");
            }
        }
    }

    #[test]
    fn parses_windows_and_days() {
        let (d, w) = parse_weekly_window("mon-fri 08:00-17:00").expect("parse");
        assert!(d.contains(Weekday::Fri) && !d.contains(Weekday::Sat));
        assert_eq!(w.to_string(), "08:00-17:00");
        let (d, w) = parse_weekly_window("sat,sun 10:00-24:00").expect("parse");
        assert_eq!(d.iter().count(), 2);
        assert_eq!(w.end, Minute(1440));
        assert!(parse_weekly_window("mon 22:00-02:00").is_err());
        assert!(parse_weekly_window("fri-mon 08:00-09:00").is_err());
        assert!(parse_weekly_window("mon 8:00-09:00").is_err());
        assert!(MonthDay::parse("02-30").is_none());
        assert!(MonthDay::in_range(
            NaiveDate::from_ymd_opt(2026, 1, 2).expect("d"),
            MonthDay::parse("12-20").expect("md"),
            MonthDay::parse("01-05").expect("md")
        ));
    }
}
