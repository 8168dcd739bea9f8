//! Maintenance windows: a window announced for a service of an agreement, and the check of
//! every rule of the service's maintenance kind — the notice before it starts, the days and
//! local hours it must keep within, a schedule it must not touch, its longest duration and
//! how many of its kind a calendar year allows. Pure: "now" and the windows already
//! announced are arguments; a breach is data naming its clause, put into words by
//! [`crate::render`].

use super::agreement::{Agreement, Maintenance, Service};
use super::clock::{BusinessDuration, ClockError};
use super::ids::{AgreementId, UserId};
use super::schedule::Schedule;
use super::time::{WeekdaySet, Window, at_minute};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

/// One rule a window breaks, with the clause that sets it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Breach {
    /// Announced with less notice than the rule needs: a window announced now may start at
    /// `earliest` at the soonest.
    Notice {
        /// The notice needed.
        notice: BusinessDuration,
        /// The schedule it is counted on, if not calendar time.
        schedule: Option<String>,
        /// The soonest start allowed when announced now.
        earliest: DateTime<Utc>,
        /// Clause.
        clause: String,
    },
    /// It does not keep within the allowed days and local hours.
    Hours {
        /// Days it may start on.
        days: u8,
        /// Local hours it must keep within, as `HH:MM-HH:MM`.
        window: String,
        /// Clause.
        clause: String,
    },
    /// It touches the open time of a schedule it must stay outside of (SSBTEK 4.6.1).
    Inside {
        /// The schedule.
        schedule: String,
        /// Clause.
        clause: String,
    },
    /// It is longer than the kind allows.
    TooLong {
        /// The longest allowed.
        max: BusinessDuration,
        /// Clause.
        clause: String,
    },
    /// The kind's windows of that calendar year are used up.
    YearFull {
        /// How many a year.
        max: u32,
        /// The year (local to the agreement).
        year: i32,
        /// Clause.
        clause: String,
    },
}

impl Breach {
    /// The clause of the rule broken.
    pub fn clause(&self) -> &str {
        match self {
            Breach::Notice { clause, .. }
            | Breach::Hours { clause, .. }
            | Breach::Inside { clause, .. }
            | Breach::TooLong { clause, .. }
            | Breach::YearFull { clause, .. } => clause,
        }
    }
}

/// A maintenance window as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct MaintenanceWindow {
    /// Its number.
    pub id: i64,
    pub agreement: AgreementId,
    /// The service's id.
    pub service: String,
    /// The maintenance kind's id within the service.
    pub kind: String,
    /// When it starts.
    pub start: DateTime<Utc>,
    /// When it is announced to end.
    pub end: DateTime<Utc>,
    /// What is done (as typed).
    pub description: String,
    /// Who announced it, and when.
    pub announced_by: UserId,
    pub announced_at: DateTime<Utc>,
    /// The rules it breaks, recorded anyway by a manager.
    pub breaches: Vec<Breach>,
    /// The manager's reason for recording it despite its breaches.
    pub reason: Option<String>,
    /// Who cancelled it, and when.
    pub cancelled: Option<(UserId, DateTime<Utc>)>,
}

impl MaintenanceWindow {
    /// Whether it still stands (not cancelled).
    pub fn is_active(&self) -> bool {
        self.cancelled.is_none()
    }
}

/// The maintenance kind a window of `service` from `start` to `end` is announced as:
/// `kind` when named, else the first of the service's kinds whose days, hours and length
/// admit it (Borger.dk 10: a 90-minute night window is a 2-hour window), else its first
/// kind (whose rules then say what is wrong). None when the service has no maintenance rules.
pub fn choose_kind<'a>(
    a: &Agreement,
    service: &'a Service,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Option<&'a Maintenance> {
    service
        .maintenance
        .iter()
        .find(|m| {
            let shape = shape_breaches(a, m, start, end);
            shape.is_ok_and(|b| b.is_empty())
        })
        .or_else(|| service.maintenance.first())
}

/// The rules of `rule` that a window of `start`–`end` announced at `now` breaks, given how
/// many windows of the same service and kind already stand in the start's calendar year
/// (local to the agreement). Empty when it keeps them all.
pub fn check(
    a: &Agreement,
    rule: &Maintenance,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
    same_kind_that_year: u32,
) -> Result<Vec<Breach>, ClockError> {
    let clause = rule.prov.source.clone();
    let mut out = Vec::new();
    // Notice: the soonest start announced now is the notice added to now.
    let always;
    let on = match rule.notice_schedule.as_deref().and_then(|s| a.schedule(s)) {
        Some(s) => s.as_ref(),
        None => {
            always = Schedule::always("calendar", a.tz);
            &always
        }
    };
    let earliest = on.add(now, rule.notice)?.deadline;
    if start < earliest {
        out.push(Breach::Notice {
            notice: rule.notice,
            schedule: rule.notice_schedule.clone(),
            earliest,
            clause: clause.clone(),
        });
    }
    out.extend(shape_breaches(a, rule, start, end)?);
    if let Some(max) = rule.max_per_year
        && same_kind_that_year >= max
    {
        out.push(Breach::YearFull {
            max,
            year: start.with_timezone(&a.tz).year(),
            clause,
        });
    }
    Ok(out)
}

/// The breaches of a window's shape alone: days and hours, a schedule to stay outside of,
/// its length.
fn shape_breaches(
    a: &Agreement,
    rule: &Maintenance,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<Breach>, ClockError> {
    let clause = rule.prov.source.clone();
    let mut out = Vec::new();
    if let Some((days, w)) = &rule.window
        && !within(a, *days, w, start, end)
    {
        out.push(Breach::Hours {
            days: days.0,
            window: w.to_string(),
            clause: clause.clone(),
        });
    }
    if let Some(s) = rule.outside.as_deref().and_then(|s| a.schedule(s))
        && s.between(start, end)? > 0
    {
        out.push(Breach::Inside {
            schedule: s.name.clone(),
            clause: clause.clone(),
        });
    }
    if let Some(max) = rule.max_duration
        && (end - start).num_seconds() > max_seconds(max)
    {
        out.push(Breach::TooLong { max, clause });
    }
    Ok(out)
}

/// The longest duration in seconds: hours and minutes as they are, days as 24 hours (a
/// working day is refused by validation).
fn max_seconds(d: BusinessDuration) -> i64 {
    match d {
        BusinessDuration::Seconds(s) => s,
        BusinessDuration::CalendarDays(n) | BusinessDuration::WorkingDays(n) => i64::from(n) * 86_400,
    }
}

/// Whether `start`–`end` starts on one of `days` and keeps within the local hours `w` of
/// that day.
fn within(a: &Agreement, days: WeekdaySet, w: &Window, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    let date = start.with_timezone(&a.tz).date_naive();
    days.contains(date.weekday()) && start >= at_minute(a.tz, date, w.start) && end <= at_minute(a.tz, date, w.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::{agreement, t};

    fn rule<'a>(a: &'a Agreement, service: &str, kind: &str) -> &'a Maintenance {
        a.service(service).and_then(|s| s.maintenance_kind(kind)).expect("rule")
    }

    #[test]
    fn a_window_that_keeps_every_rule_breaks_none() {
        let a = agreement("difi");
        let r = rule(a, "idporten", "window");
        // Tuesday 15 December 2026 00:30–05:00, announced Monday 7 December 10:00.
        let b = check(
            a,
            r,
            t("2026-12-15T00:30:00+01:00"),
            t("2026-12-15T05:00:00+01:00"),
            t("2026-12-07T10:00:00+01:00"),
            9,
        )
        .expect("check");
        assert_eq!(b, vec![]);
    }

    #[test]
    fn the_kind_is_the_first_whose_shape_admits_the_window() {
        let a = agreement("borger-dk");
        let s = a.main_service().expect("main");
        let pick = |from: &str, to: &str| choose_kind(a, s, t(from), t(to)).map(|m| m.id.as_str());
        assert_eq!(
            pick("2026-12-16T01:00:00+01:00", "2026-12-16T02:30:00+01:00"),
            Some("2h")
        );
        assert_eq!(
            pick("2026-12-16T01:00:00+01:00", "2026-12-16T04:00:00+01:00"),
            Some("4h")
        );
        assert_eq!(
            pick("2026-12-19T00:00:00+01:00", "2026-12-19T07:00:00+01:00"),
            Some("7h")
        );
        // Too long for any: the first kind, whose rules say so.
        assert_eq!(
            pick("2026-12-16T00:00:00+01:00", "2026-12-16T07:00:00+01:00"),
            Some("2h")
        );
    }
}
