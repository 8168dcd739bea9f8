//! Public-holiday calendars as rules, not lists of dates: fixed dates, offsets from Easter
//! Sunday, and "the first given weekday on or after a date" (Swedish Midsummer Day is the
//! Saturday between 20 and 26 June), each valid for an optional range of years. A calendar
//! also names extra non-working days (Christmas Eve, Midsummer Eve, …) that a schedule may
//! switch on.

use super::time::{MonthDay, easter_sunday};
use chrono::{Datelike, NaiveDate, Weekday};

/// When a holiday falls in a given year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayRule {
    /// The same month-day every year.
    Fixed(MonthDay),
    /// Easter Sunday plus this many days (Good Friday is −2, Ascension +39).
    Easter(i32),
    /// The first `weekday` on or after the month-day (Midsummer Day: Saturday on or after 06-20).
    WeekdayOnOrAfter(Weekday, MonthDay),
}

impl DayRule {
    /// The date this rule gives in `year` (none for 29 February in a common year).
    pub fn date_in(&self, year: i32) -> Option<NaiveDate> {
        match self {
            DayRule::Fixed(md) => md.in_year(year),
            DayRule::Easter(off) => easter_sunday(year).checked_add_signed(chrono::Duration::days(i64::from(*off))),
            DayRule::WeekdayOnOrAfter(wd, md) => {
                let start = md.in_year(year)?;
                let ahead = (7 + wd.num_days_from_monday() as i64 - start.weekday().num_days_from_monday() as i64) % 7;
                start.checked_add_signed(chrono::Duration::days(ahead))
            }
        }
    }

    /// Whether the rule gives exactly `date`.
    pub fn matches(&self, date: NaiveDate) -> bool {
        match self {
            DayRule::Fixed(md) => md.month == date.month() && md.day == date.day(),
            _ => self.date_in(date.year()) == Some(date),
        }
    }
}

/// One named day of a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// Stable id (extra days are switched on by it; for holidays it is derived from the name).
    pub id: String,
    /// Name shown to users (English).
    pub name: String,
    /// Name in the local language, if given.
    pub local_name: Option<String>,
    /// When it falls.
    pub rule: DayRule,
    /// First year it applies (inclusive).
    pub first_year: Option<i32>,
    /// Last year it applies (inclusive).
    pub last_year: Option<i32>,
}

impl Holiday {
    /// Whether the rule applies in rule-year `year`.
    fn valid_in(&self, year: i32) -> bool {
        self.first_year.is_none_or(|f| year >= f) && self.last_year.is_none_or(|l| year <= l)
    }

    /// The date of this day for rule-year `year`, if it applies that year. A rule far from
    /// its anchor (a large Easter offset, a weekday after a late December date) can give a
    /// date in a neighbouring calendar year.
    pub fn date_for(&self, year: i32) -> Option<NaiveDate> {
        if self.valid_in(year) {
            self.rule.date_in(year)
        } else {
            None
        }
    }

    /// Whether this day is `date`.
    pub fn falls_on(&self, date: NaiveDate) -> bool {
        let y = date.year();
        if let DayRule::Fixed(_) = self.rule {
            return self.valid_in(y) && self.rule.matches(date);
        }
        (y - 1..=y + 1).any(|ry| self.date_for(ry) == Some(date))
    }
}

/// A public-holiday calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Id, e.g. `no`.
    pub id: String,
    pub name: String,
    /// Legal source.
    pub source: String,
    /// Public holidays: always close a schedule that uses this calendar.
    pub holidays: Vec<Holiday>,
    /// Extra non-working days: close a schedule only when it switches them on.
    pub extra_days: Vec<Holiday>,
}

impl Calendar {
    /// The public holiday on `date`, if any.
    pub fn holiday(&self, date: NaiveDate) -> Option<&Holiday> {
        self.holidays.iter().find(|h| h.falls_on(date))
    }

    /// The extra day named `id`.
    pub fn extra_day(&self, id: &str) -> Option<&Holiday> {
        self.extra_days.iter().find(|h| h.id == id)
    }

    /// All public holidays of `year`, sorted by date.
    pub fn holidays_in(&self, year: i32) -> Vec<(NaiveDate, &Holiday)> {
        let mut v: Vec<_> = self
            .holidays
            .iter()
            .flat_map(|h| (year - 1..=year + 1).filter_map(move |ry| h.date_for(ry).map(|d| (d, h))))
            .filter(|(d, _)| d.year() == year)
            .collect();
        v.sort_by_key(|(d, _)| *d);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_on_or_after() {
        let md = MonthDay::new(6, 20).expect("md");
        let r = DayRule::WeekdayOnOrAfter(Weekday::Sat, md);
        // Midsummer Day: 2026-06-20 is a Saturday; 2025 → 21 June; 2024 → 22 June.
        assert_eq!(r.date_in(2026), NaiveDate::from_ymd_opt(2026, 6, 20));
        assert_eq!(r.date_in(2025), NaiveDate::from_ymd_opt(2025, 6, 21));
        assert_eq!(r.date_in(2024), NaiveDate::from_ymd_opt(2024, 6, 22));
        let allhelgona = DayRule::WeekdayOnOrAfter(Weekday::Sat, MonthDay::new(10, 31).expect("md"));
        assert_eq!(allhelgona.date_in(2026), NaiveDate::from_ymd_opt(2026, 10, 31));
        assert_eq!(allhelgona.date_in(2027), NaiveDate::from_ymd_opt(2027, 11, 6));
    }
}
