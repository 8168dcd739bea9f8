//! Availability of a service over a period, measured in one schedule's open time: the
//! operating time, the maintenance windows excluded from it, the downtime of outages outside
//! those windows (an outage running past a window's announced end is downtime from that end,
//! SSBTEK 4.6.1), and the uptime against the target. Pure: the outages and windows are
//! arguments, as instants; durations are real seconds while the schedule is open, so a day
//! with a DST change counts its real length.

use super::agreement::{Agreement, Availability, Period};
use super::clock::BusinessDuration;
use super::clock::ClockError;
use super::incident::{Incident, OutageKind};
use super::maintenance::MaintenanceWindow;
use super::schedule::Schedule;
use super::time::resolve_local;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// A half-open span of time `[start, end)`.
pub type Span = (DateTime<Utc>, DateTime<Utc>);

/// One availability target measured over a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// The schedule measured in.
    pub schedule: String,
    /// The target, percent.
    pub target: f64,
    /// Open seconds of the schedule in the period.
    pub open: i64,
    /// Open seconds inside maintenance windows (excluded).
    pub excluded: i64,
    /// Open seconds down outside maintenance windows.
    pub down: i64,
}

impl Measured {
    /// The open seconds availability is measured over: the open time less the windows.
    pub fn measured(&self) -> i64 {
        self.open - self.excluded
    }

    /// Uptime in percent of the measured time (none when nothing is measured).
    pub fn percent(&self) -> Option<f64> {
        let m = self.measured();
        (m > 0).then(|| 100.0 * (m - self.down) as f64 / m as f64)
    }

    /// Whether the target is met (none when nothing is measured).
    pub fn met(&self) -> Option<bool> {
        self.percent().map(|p| p >= self.target)
    }
}

/// `spans` clipped to `[from, to)`, sorted and merged.
fn merged(spans: &[Span], from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Span> {
    let mut v: Vec<Span> = spans
        .iter()
        .map(|&(a, b)| (a.max(from), b.min(to)))
        .filter(|(a, b)| a < b)
        .collect();
    v.sort();
    let mut out: Vec<Span> = Vec::new();
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// `spans` (merged) less `holes` (merged).
fn without(spans: &[Span], holes: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    for &(mut a, b) in spans {
        for &(h0, h1) in holes {
            if h1 <= a || h0 >= b {
                continue;
            }
            if h0 > a {
                out.push((a, h0));
            }
            a = a.max(h1);
        }
        if a < b {
            out.push((a, b));
        }
    }
    out
}

/// Measures `target` of a service of `a` over `from`–`to`, given its outages and its
/// maintenance windows (both as instants; they may reach outside the period). None when the
/// target's schedule is not the agreement's (validation prevents it).
pub fn measure(
    a: &Agreement,
    target: &Availability,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    outages: &[Span],
    windows: &[Span],
) -> Option<Result<Measured, ClockError>> {
    let s = a.schedule(&target.schedule)?;
    Some(measure_on(s, target, from, to, outages, windows))
}

fn measure_on(
    s: &Schedule,
    target: &Availability,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    outages: &[Span],
    windows: &[Span],
) -> Result<Measured, ClockError> {
    let open_in = |spans: &[Span]| -> Result<i64, ClockError> { spans.iter().map(|&(x, y)| s.between(x, y)).sum() };
    let windows = merged(windows, from, to);
    let outages = merged(outages, from, to);
    Ok(Measured {
        schedule: target.schedule.clone(),
        target: target.target,
        open: s.between(from, to)?,
        excluded: open_in(&windows)?,
        down: open_in(&without(&outages, &windows))?,
    })
}

/// One availability target of a service in a monthly report: measured over its own period
/// (the month, or the year to date for a yearly target), with the downtime the target allows
/// over the whole period beside the most downtime the text states (SSBTEK 4.9.1: 2 % of a
/// year's opening hours is about 46 h, the text says 62 h: both are shown), and the unplanned
/// outages (incidents marked as full outages) against their limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AvailabilityItem {
    /// Service id.
    pub service: String,
    /// The schedule measured in.
    pub schedule: String,
    /// `month` or `year`.
    pub period: String,
    /// Measured from.
    pub from: DateTime<Utc>,
    /// Measured to (the period's end, or the moment of the report if earlier).
    pub to: DateTime<Utc>,
    /// Target, percent.
    pub target: f64,
    /// Open seconds measured.
    pub open: i64,
    /// Open seconds in maintenance windows (excluded).
    pub excluded: i64,
    /// Open seconds down outside windows.
    pub down: i64,
    /// The downtime the target allows over the whole period, seconds.
    pub allowed_by_target: i64,
    /// The most downtime the text states for the period, seconds.
    pub max_downtime: Option<i64>,
    /// Unplanned outages starting in the month, and in the year to the month's end.
    pub outages_month: u32,
    pub outages_year: u32,
    /// Their limits.
    pub max_outages_month: Option<u32>,
    pub max_outages_year: Option<u32>,
    /// Clause.
    pub clause: String,
}

impl AvailabilityItem {
    /// Uptime in percent of the measured time.
    pub fn percent(&self) -> Option<f64> {
        let m = self.open - self.excluded;
        (m > 0).then(|| 100.0 * (m - self.down) as f64 / m as f64)
    }
}

/// Every availability target of every service of `a` for the month `from`–`to`, judged at
/// `now`, from the incidents (those marked as full outages of the service count) and the
/// maintenance windows (active ones of the service are excluded).
pub fn items(
    a: &Agreement,
    incidents: &[Incident],
    windows: &[MaintenanceWindow],
    (from, to): Span,
    now: DateTime<Utc>,
) -> Result<Vec<AvailabilityItem>, ClockError> {
    let local = from.with_timezone(&a.tz).date_naive();
    let jan1 =
        |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).map_or(from, |d| resolve_local(a.tz, d.and_time(NaiveTime::MIN)));
    let (year_from, year_to) = (jan1(local.year()), jan1(local.year() + 1));
    let mut out = Vec::new();
    for sv in &a.services {
        let outages: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = incidents
            .iter()
            // Outages are incidents' (another case type, a problem or an order, is no outage
            // even when one was marked on it).
            .filter(|i| i.is_incident())
            .filter(|i| a.service_or_main(i.service()).is_some_and(|s| s.id == sv.id))
            .filter_map(|i| i.outage_span())
            .filter(|(k, _, _)| *k == OutageKind::Full)
            .map(|(_, s, e)| (s, e))
            .collect();
        let mine: Vec<Span> = windows
            .iter()
            .filter(|w| w.is_active() && w.service == sv.id)
            .map(|w| (w.start, w.end))
            .collect();
        let starting = |a: DateTime<Utc>, b: DateTime<Utc>| {
            u32::try_from(outages.iter().filter(|(s, _)| *s >= a && *s < b).count()).unwrap_or(u32::MAX)
        };
        for t in &sv.availability {
            let Some(s) = a.schedule(&t.schedule) else {
                continue;
            };
            let (p_from, p_to, period) = match t.period {
                Period::Month => (from, to, "month"),
                Period::Year => (year_from, year_to, "year"),
            };
            let until = p_to.min(now).max(p_from);
            let spans: Vec<Span> = outages.iter().map(|&(x, y)| (x, y.unwrap_or(until))).collect();
            let m = measure_on(s, t, p_from, until, &spans, &mine)?;
            let whole = s.between(p_from, p_to)?;
            out.push(AvailabilityItem {
                service: sv.id.clone(),
                schedule: t.schedule.clone(),
                period: period.to_string(),
                from: p_from,
                to: until,
                target: t.target,
                open: m.open,
                excluded: m.excluded,
                down: m.down,
                allowed_by_target: (whole as f64 * (100.0 - t.target) / 100.0).round() as i64,
                max_downtime: match t.max_downtime {
                    Some(BusinessDuration::Seconds(x)) => Some(x),
                    _ => None,
                },
                outages_month: starting(from, to),
                outages_year: starting(year_from, to),
                max_outages_month: t.max_outages_month,
                max_outages_year: t.max_outages_year,
                clause: t.prov.source.clone(),
            });
        }
    }
    Ok(out)
}
