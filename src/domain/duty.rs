//! When an agreement's recurring duties fall due: the weekly summary, the monthly and annual
//! reports, and each scheduled meeting with the reminder before it. Pure: the instant to
//! count from is an argument, dates are local to the agreement's zone.
//!
//! Rules (chosen where the agreements are silent):
//! - The weekly summary of ISO week W is posted on the Monday of week W+1 at 08:30
//!   ([`SUMMARY_WEEKDAY`], [`SUMMARY_TIME`]).
//! - The monthly report of month M is posted on the agreement's `monthly_day` of month M+1
//!   (the last day of a shorter month), the annual report of year Y on its `annual` date of
//!   Y+1, both at [`SUMMARY_TIME`].
//! - A meeting every n weeks falls on its weekday in the weeks whose number since the week
//!   of 1970-01-05 is a multiple of n (every week for n = 1); every n months on the first
//!   such weekday of the months January + k·n. Its reminder is posted on the working day
//!   before, at the meeting's time.
//! - Every one of these dates that is closed in the agreement's working-day schedule
//!   ([`Agreement::working_days`]: Easter Monday, Whit Monday, Christmas, a weekend) moves to
//!   the next working day — except a report's date, which moves as its [`DueRule`] says: due
//!   "by" the day (Altinn 2.6.2, Difi 1.4.2), to the working day before, so it is never
//!   late; due "on" the day (SSBTEK 5), where the file's reading says. An agreement without
//!   such a schedule moves nothing.
//! - Local times resolve by the zone rule of [`super::time::resolve_local`].

use super::agreement::{Agreement, DueRule, Shift};
use super::meeting::{Cadence, Meeting};
pub use super::period::Period;
use super::period::YearSpec;
use super::schedule::DayPlan;
use super::time::resolve_local;
use chrono::{DateTime, Datelike, Duration, IsoWeek, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// The weekday the weekly summary is posted on.
pub const SUMMARY_WEEKDAY: Weekday = Weekday::Mon;

/// The local time the weekly summary and the reports are posted at.
pub const SUMMARY_TIME: NaiveTime = match NaiveTime::from_hms_opt(8, 30, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

/// How far a date is moved at most looking for a working day (a longer closure posts on the
/// original date).
const MAX_SHIFT_DAYS: i64 = 31;

/// A recurring duty of an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "duty", rename_all = "snake_case")]
pub enum Duty {
    /// The weekly status-meeting summary, to the summary channel.
    WeeklySummary,
    /// The monthly SLA report, on the agreement's report day.
    MonthlyReport,
    /// The annual report (Difi 1.4.2).
    AnnualReport,
    /// The reminder before a meeting.
    MeetingReminder {
        /// Meeting id in the agreement.
        meeting: String,
    },
}

impl Duty {
    /// A stable short name, for job keys.
    pub fn key(&self) -> String {
        match self {
            Duty::WeeklySummary => "weekly".into(),
            Duty::MonthlyReport => "monthly".into(),
            Duty::AnnualReport => "annual".into(),
            Duty::MeetingReminder { meeting } => format!("meeting/{meeting}"),
        }
    }

    /// Every duty the agreement has: the weekly summary always, the reports it sets, and a
    /// reminder per scheduled meeting.
    pub fn all(a: &Agreement) -> Vec<Duty> {
        let mut out = vec![Duty::WeeklySummary];
        if a.reports.monthly_day.is_some() {
            out.push(Duty::MonthlyReport);
        }
        if a.reports.annual.is_some() {
            out.push(Duty::AnnualReport);
        }
        out.extend(
            a.meetings
                .iter()
                .filter(|m| m.is_scheduled())
                .map(|m| Duty::MeetingReminder { meeting: m.id.clone() }),
        );
        out
    }
}

/// One falling-due of a duty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// When it is posted.
    pub at: DateTime<Utc>,
    /// The period reported on (the week, month or year before; for a meeting reminder, the
    /// week or month the meeting falls in).
    pub period: Period,
    /// For a meeting reminder: when the meeting starts.
    pub meeting_at: Option<DateTime<Utc>>,
}

/// Whether `date` is a working day of the agreement (open in its working-day schedule).
pub fn is_working_day(a: &Agreement, date: NaiveDate) -> bool {
    a.working_days()
        .is_none_or(|s| matches!(s.day_plan(date), DayPlan::Open(..)))
}

/// `date` when it is a working day, else the next working day.
pub fn on_or_next_working_day(a: &Agreement, date: NaiveDate) -> NaiveDate {
    (0..=MAX_SHIFT_DAYS)
        .map(|n| date + Duration::days(n))
        .find(|d| is_working_day(a, *d))
        .unwrap_or(date)
}

/// The last working day before `date`.
pub fn previous_working_day(a: &Agreement, date: NaiveDate) -> NaiveDate {
    (1..=MAX_SHIFT_DAYS)
        .map(|n| date - Duration::days(n))
        .find(|d| is_working_day(a, *d))
        .unwrap_or(date - Duration::days(1))
}

/// `date` when it is a working day, else the working day `rule` moves it to.
pub fn due_date(a: &Agreement, date: NaiveDate, rule: &DueRule) -> NaiveDate {
    if is_working_day(a, date) {
        return date;
    }
    match rule.shift() {
        Shift::Before => previous_working_day(a, date),
        Shift::After => on_or_next_working_day(a, date),
    }
}

fn add_months(d: NaiveDate, n: u32) -> Option<NaiveDate> {
    d.checked_add_months(chrono::Months::new(n))
}

fn local(a: &Agreement, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    resolve_local(a.tz, date.and_time(time))
}

/// When the weekly summary of ISO week `week` is posted.
pub fn weekly_summary_at(a: &Agreement, week: IsoWeek) -> Option<DateTime<Utc>> {
    let monday = NaiveDate::from_isoywd_opt(week.year(), week.week(), SUMMARY_WEEKDAY)? + Duration::days(7);
    Some(local(a, on_or_next_working_day(a, monday), SUMMARY_TIME))
}

/// When the monthly report of `year`-`month` is posted (none without a report day).
pub fn monthly_report_at(a: &Agreement, year: i32, month: u32) -> Option<DateTime<Utc>> {
    let day = a.reports.monthly_day?;
    let next = add_months(NaiveDate::from_ymd_opt(year, month, 1)?, 1)?;
    let last = add_months(next, 1)?.pred_opt()?.day();
    let date = NaiveDate::from_ymd_opt(next.year(), next.month(), day.min(last))?;
    Some(local(a, due_date(a, date, &a.reports.monthly_due), SUMMARY_TIME))
}

/// When the annual report of `year` is posted (none without an annual date); a closed day
/// moves as its [`DueRule`] says (Difi's "by 30 January": to the working day before).
pub fn annual_report_at(a: &Agreement, year: i32) -> Option<DateTime<Utc>> {
    let date = a.reports.annual?.in_year(year + 1)?;
    Some(local(a, due_date(a, date, &a.reports.annual_due), SUMMARY_TIME))
}

/// The first start of meeting `m` strictly after `after` (none for an as-needed meeting).
pub fn next_meeting(a: &Agreement, m: &Meeting, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    meetings_from(a, m, after).find(|t| *t > after)
}

/// Starts of meeting `m`, in order, from about `from` on (a few may lie before it).
fn meetings_from<'a>(
    a: &'a Agreement,
    m: &Meeting,
    from: DateTime<Utc>,
) -> Box<dyn Iterator<Item = DateTime<Utc>> + 'a> {
    let (Some(weekday), Some(time)) = (m.weekday, m.time) else {
        return Box::new(std::iter::empty());
    };
    let start = from.with_timezone(&a.tz).date_naive() - Duration::days(7);
    let place = move |date: NaiveDate| local(a, on_or_next_working_day(a, date), time);
    match m.cadence {
        Cadence::AsNeeded => Box::new(std::iter::empty()),
        Cadence::Weeks(n) => {
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 5).unwrap_or_default();
            let monday = start - Duration::days(i64::from(start.weekday().num_days_from_monday()));
            Box::new(
                (0..(60 * i64::from(n)))
                    .map(move |k| monday + Duration::weeks(k))
                    .filter(move |mon| ((*mon - epoch).num_days() / 7).rem_euclid(i64::from(n)) == 0)
                    .map(move |mon| place(mon + Duration::days(i64::from(weekday.num_days_from_monday())))),
            )
        }
        Cadence::Months(n) => {
            let first = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap_or(start);
            Box::new(
                (0..(30 * n))
                    .filter_map(move |k| add_months(first, k))
                    .filter(move |d| d.month0() % n == 0)
                    .map(move |d| {
                        let offset = (7 + weekday.num_days_from_monday() - d.weekday().num_days_from_monday()) % 7;
                        place(d + Duration::days(i64::from(offset)))
                    }),
            )
        }
    }
}

/// When the reminder of a meeting starting at `start` is posted: the working day before, at
/// the meeting's local time.
pub fn reminder_at(a: &Agreement, m: &Meeting, start: DateTime<Utc>) -> DateTime<Utc> {
    let date = start.with_timezone(&a.tz).date_naive();
    let time = m.time.unwrap_or(SUMMARY_TIME);
    local(a, previous_working_day(a, date), time)
}

/// The next falling-due of `duty` strictly after `after`, or none (a duty the agreement no
/// longer has, an as-needed meeting).
pub fn next_due(a: &Agreement, duty: &Duty, after: DateTime<Utc>) -> Option<Due> {
    let today = after.with_timezone(&a.tz).date_naive();
    match duty {
        Duty::WeeklySummary => (-2..60).find_map(|k| {
            let week = (today + Duration::weeks(k)).iso_week();
            let at = weekly_summary_at(a, week)?;
            (at > after).then_some(Due {
                at,
                period: Period::of_week(week),
                meeting_at: None,
            })
        }),
        Duty::MonthlyReport => (-2i32..30).find_map(|k| {
            let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)?;
            let month = if k < 0 {
                first.checked_sub_months(chrono::Months::new(k.unsigned_abs()))?
            } else {
                add_months(first, k.unsigned_abs())?
            };
            let at = monthly_report_at(a, month.year(), month.month())?;
            (at > after).then_some(Due {
                at,
                period: Period::month(month.year(), month.month()),
                meeting_at: None,
            })
        }),
        Duty::AnnualReport => (today.year() - 2..today.year() + 3).find_map(|year| {
            let at = annual_report_at(a, year)?;
            (at > after).then_some(Due {
                at,
                period: Period::Year(YearSpec(year)),
                meeting_at: None,
            })
        }),
        Duty::MeetingReminder { meeting } => {
            let m = a.meeting(meeting).filter(|m| m.is_scheduled())?;
            meetings_from(a, m, after).find_map(|start| {
                let at = reminder_at(a, m, start);
                let date = start.with_timezone(&a.tz).date_naive();
                let period = match m.cadence {
                    Cadence::Months(_) => Period::month(date.year(), date.month()),
                    _ => Period::of_week(date.iso_week()),
                };
                (at > after).then_some(Due {
                    at,
                    period,
                    meeting_at: Some(start),
                })
            })
        }
    }
}

/// The period a meeting's agenda reports on: the weekly summary of the week before the
/// meeting, or the month before it (the period report).
pub fn agenda_period(a: &Agreement, m: &Meeting, start: DateTime<Utc>) -> Period {
    let date = start.with_timezone(&a.tz).date_naive();
    match m.agenda {
        super::meeting::Agenda::PeriodReport => {
            let prev = date.checked_sub_months(chrono::Months::new(1)).unwrap_or(date);
            Period::month(prev.year(), prev.month())
        }
        _ => Period::of_week((date - Duration::weeks(1)).iso_week()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::{agreement, t};

    fn local_date(a: &Agreement, at: DateTime<Utc>) -> String {
        at.with_timezone(&a.tz).format("%Y-%m-%d %H:%M %a").to_string()
    }

    #[test]
    fn weekly_summary_moves_past_easter_monday_whit_monday_and_christmas() {
        let a = agreement("altinn");
        let cases = [
            // Week 14 of 2026 ends on Easter Sunday (5 April); Monday 6 April is Easter Monday
            // (2. påskedag): posted on Tuesday.
            ("2026-04-01T12:00:00+02:00", "2026-04-07 08:30 Tue", "2026-W14"),
            // Whit Monday (2. pinsedag) 25 May 2026: Tuesday.
            ("2026-05-20T12:00:00+02:00", "2026-05-26 08:30 Tue", "2026-W21"),
            // An ordinary Monday.
            ("2026-11-18T12:00:00+01:00", "2026-11-23 08:30 Mon", "2026-W47"),
        ];
        for (after, want, period) in cases {
            let due = next_due(a, &Duty::WeeklySummary, t(after)).expect("due");
            assert_eq!(local_date(a, due.at), want, "after {after}");
            assert_eq!(due.period.to_string(), period);
        }
        // Christmas: 2028-12-25 (Mon, 1. juledag) and 26 (Tue, 2. juledag) are closed: Wednesday.
        let due = next_due(a, &Duty::WeeklySummary, t("2028-12-20T12:00:00+01:00")).expect("due");
        assert_eq!(local_date(a, due.at), "2028-12-27 08:30 Wed");
        assert_eq!(due.period.to_string(), "2028-W51");
        // Just after a summary was posted, the next is the week after.
        let due = next_due(a, &Duty::WeeklySummary, t("2026-11-23T08:30:00+01:00")).expect("due");
        assert_eq!(local_date(a, due.at), "2026-11-30 08:30 Mon");
    }

    #[test]
    fn swedish_and_danish_calendars_move_the_summary_too() {
        // Inera (Sweden): Easter Monday (annandag påsk) 2027-03-29.
        let a = agreement("inera");
        let due = next_due(a, &Duty::WeeklySummary, t("2027-03-24T12:00:00+01:00")).expect("due");
        assert_eq!(local_date(a, due.at), "2027-03-30 08:30 Tue");
        // Borger.dk (Denmark): Whit Monday (2. pinsedag) 2027-05-17.
        let a = agreement("borger-dk");
        let due = next_due(a, &Duty::WeeklySummary, t("2027-05-12T12:00:00+02:00")).expect("due");
        assert_eq!(local_date(a, due.at), "2027-05-18 08:30 Tue");
    }

    #[test]
    fn monthly_and_annual_reports_fall_on_their_days_moved_to_working_days() {
        // Altinn: the 15th. November 2026's report: 15 December 2026 is a Tuesday.
        let a = agreement("altinn");
        let due = next_due(a, &Duty::MonthlyReport, t("2026-11-20T00:00:00+01:00")).expect("due");
        assert_eq!(
            (local_date(a, due.at).as_str(), due.period.to_string().as_str()),
            ("2026-12-15 08:30 Tue", "2026-11")
        );
        // July's report: 15 August 2026 is a Saturday, and the report is due by the 15th
        // (2.6.2) → the Friday before, never after.
        let due = next_due(a, &Duty::MonthlyReport, t("2026-08-01T00:00:00+02:00")).expect("due");
        assert_eq!(
            (local_date(a, due.at).as_str(), due.period.to_string().as_str()),
            ("2026-08-14 08:30 Fri", "2026-07")
        );
        // SSBTEK: the 10th; 10 April 2026 is a Friday.
        let a = agreement("ssbtek");
        let due = next_due(a, &Duty::MonthlyReport, t("2026-04-01T00:00:00+02:00")).expect("due");
        assert_eq!(local_date(a, due.at), "2026-04-10 08:30 Fri");
        // Difi: the 20th, and the annual report by 30 January (2027-01-30 is a Saturday: the
        // Friday before, a deadline never moves later).
        let a = agreement("difi");
        let due = next_due(a, &Duty::MonthlyReport, t("2026-12-01T00:00:00+01:00")).expect("due");
        // By the 20th (1.4.2): Sunday 20 December 2026 → Friday 18th.
        assert_eq!(local_date(a, due.at), "2026-12-18 08:30 Fri");
        let due = next_due(a, &Duty::AnnualReport, t("2026-12-01T00:00:00+01:00")).expect("due");
        assert_eq!(
            (local_date(a, due.at).as_str(), due.period.to_string().as_str()),
            ("2027-01-29 08:30 Fri", "2026")
        );
        // No monthly report set: no duty.
        assert_eq!(
            next_due(agreement("inera"), &Duty::MonthlyReport, t("2026-12-01T00:00:00+01:00")),
            None
        );
        assert!(!Duty::all(agreement("inera")).contains(&Duty::MonthlyReport));
    }

    #[test]
    fn meetings_recur_and_are_reminded_the_working_day_before() {
        let a = agreement("altinn");
        let m = a.meeting("status").expect("status");
        // Weekly on Tuesday 10:00; reminded Monday 10:00.
        let start = next_meeting(a, m, t("2026-11-18T12:00:00+01:00")).expect("start");
        assert_eq!(local_date(a, start), "2026-11-24 10:00 Tue");
        assert_eq!(local_date(a, reminder_at(a, m, start)), "2026-11-23 10:00 Mon");
        // The Tuesday after Easter Monday 2026: reminded on the Wednesday before (Maundy
        // Thursday, Good Friday, the weekend and Easter Monday are closed in Norway).
        let due = next_due(
            a,
            &Duty::MeetingReminder {
                meeting: "status".into(),
            },
            t("2026-03-31T12:00:00+02:00"),
        )
        .expect("due");
        assert_eq!(local_date(a, due.meeting_at.expect("start")), "2026-04-07 10:00 Tue");
        assert_eq!(local_date(a, due.at), "2026-04-01 10:00 Wed");
        // Borger.dk's review every two months: the first Tuesday of January, March, …
        let a = agreement("borger-dk");
        let m = a.meeting("review").expect("review");
        let start = next_meeting(a, m, t("2026-11-18T12:00:00+01:00")).expect("start");
        assert_eq!(local_date(a, start), "2027-01-05 10:00 Tue");
        let after = next_meeting(a, m, start).expect("next");
        assert_eq!(local_date(a, after), "2027-03-02 10:00 Tue");
        assert_eq!(agenda_period(a, m, start).to_string(), "2026-12");
        // Inera's strategic meetings twice a year: January and July.
        let a = agreement("inera");
        let m = a.meeting("strategic").expect("strategic");
        let start = next_meeting(a, m, t("2027-01-06T12:00:00+01:00")).expect("start");
        assert_eq!(local_date(a, start), "2027-07-06 13:00 Tue");
        // As-needed meetings never fall due.
        let a = agreement("difi");
        let m = a.meeting("brukerrad").expect("brukerrad");
        assert_eq!(next_meeting(a, m, t("2026-11-18T12:00:00+01:00")), None);
        assert!(!Duty::all(a).iter().any(|d| matches!(d, Duty::MeetingReminder { .. })));
    }
}
