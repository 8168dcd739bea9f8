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
    /// Unplanned outages starting in the month, and in the year to the month's end. In the
    /// annual report: the most starting in any one month of the year (that month in
    /// `busiest_month`), and those of the year.
    pub outages_month: u32,
    pub outages_year: u32,
    /// Their limits.
    pub max_outages_month: Option<u32>,
    pub max_outages_year: Option<u32>,
    /// Clause.
    pub clause: String,
    /// Annual report: the month with the most unplanned outages (none without any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub busiest_month: Option<String>,
    /// Annual report, a monthly target: the months measured (to date) below the target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months_below_target: Option<u32>,
}

impl AvailabilityItem {
    /// Target `t` of service `service` as measured (`m`) over `period` (`month` or `year`)
    /// from–to, `whole` the open seconds of the whole period; no outages counted yet.
    fn measured(service: &str, t: &Availability, period: &str, (from, to): Span, m: &Measured, whole: i64) -> Self {
        AvailabilityItem {
            service: service.to_string(),
            schedule: t.schedule.clone(),
            period: period.to_string(),
            from,
            to,
            target: t.target,
            open: m.open,
            excluded: m.excluded,
            down: m.down,
            allowed_by_target: allowed(whole, t.target),
            max_downtime: stated_max(t),
            outages_month: 0,
            outages_year: 0,
            max_outages_month: t.max_outages_month,
            max_outages_year: t.max_outages_year,
            clause: t.prov.source.clone(),
            busiest_month: None,
            months_below_target: None,
        }
    }

    /// Uptime in percent of the measured time.
    pub fn percent(&self) -> Option<f64> {
        let m = self.open - self.excluded;
        (m > 0).then(|| 100.0 * (m - self.down) as f64 / m as f64)
    }
}

/// A service's full outages (start, end if ended) and its active maintenance windows.
struct ServiceData {
    outages: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    windows: Vec<Span>,
}

impl ServiceData {
    fn of(
        a: &Agreement,
        sv: &super::agreement::Service,
        incidents: &[Incident],
        windows: &[MaintenanceWindow],
    ) -> Self {
        ServiceData {
            outages: incidents
                .iter()
                // Outages are incidents' (another case type, a problem or an order, is no
                // outage even when one was marked on it).
                .filter(|i| i.is_incident())
                .filter(|i| a.service_or_main(i.service()).is_some_and(|s| s.id == sv.id))
                .filter_map(|i| i.outage_span())
                .filter(|(k, _, _)| *k == OutageKind::Full)
                .map(|(_, s, e)| (s, e))
                .collect(),
            windows: windows
                .iter()
                .filter(|w| w.is_active() && w.service == sv.id)
                .map(|w| (w.start, w.end))
                .collect(),
        }
    }

    /// Unplanned outages starting in `[a, b)`.
    fn starting(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> u32 {
        u32::try_from(self.outages.iter().filter(|(s, _)| *s >= a && *s < b).count()).unwrap_or(u32::MAX)
    }

    /// `t` measured on `s` over `[from, to)` as of `now` (an outage still going on runs to
    /// the moment measured to).
    fn measure(
        &self,
        s: &Schedule,
        t: &Availability,
        (from, to): Span,
        now: DateTime<Utc>,
    ) -> Result<(Measured, DateTime<Utc>), ClockError> {
        let until = to.min(now).max(from);
        let spans: Vec<Span> = self.outages.iter().map(|&(x, y)| (x, y.unwrap_or(until))).collect();
        Ok((measure_on(s, t, from, until, &spans, &self.windows)?, until))
    }
}

/// Local midnight of 1 January of the year `t` falls in, and of the next.
fn year_of(a: &Agreement, t: DateTime<Utc>) -> Span {
    let y = t.with_timezone(&a.tz).date_naive().year();
    let jan1 = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).map_or(t, |d| resolve_local(a.tz, d.and_time(NaiveTime::MIN)));
    (jan1(y), jan1(y + 1))
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
    let (year_from, year_to) = year_of(a, from);
    let mut out = Vec::new();
    for sv in &a.services {
        let d = ServiceData::of(a, sv, incidents, windows);
        for t in &sv.availability {
            let Some(s) = a.schedule(&t.schedule) else {
                continue;
            };
            let (p_from, p_to, period) = match t.period {
                Period::Month => (from, to, "month"),
                Period::Year => (year_from, year_to, "year"),
            };
            let (m, until) = d.measure(s, t, (p_from, p_to), now)?;
            let whole = s.between(p_from, p_to)?;
            out.push(AvailabilityItem {
                outages_month: d.starting(from, to),
                outages_year: d.starting(year_from, to),
                ..AvailabilityItem::measured(&sv.id, t, period, (p_from, until), &m, whole)
            });
        }
    }
    Ok(out)
}

/// The downtime a target of `percent` allows over `whole` open seconds.
fn allowed(whole: i64, percent: f64) -> i64 {
    (whole as f64 * (100.0 - percent) / 100.0).round() as i64
}

/// The most downtime the text states for the target's period, in seconds.
fn stated_max(t: &Availability) -> Option<i64> {
    match t.max_downtime {
        Some(BusinessDuration::Seconds(x)) => Some(x),
        _ => None,
    }
}

/// Every availability target of every service of `a` over the year `year` (its local
/// bounds), judged at `now`, for the annual report: uptime over the year to date against
/// each target (a monthly target too, with the months measured below it), downtime against
/// what the target allows over the whole year and, for a yearly target, the most the text
/// states (SSBTEK 4.9.1: 62 h); unplanned outages in the year against the yearly limit, and
/// the most in any one month against the monthly limit (`outages_month`, in
/// `busiest_month`).
pub fn annual_items(
    a: &Agreement,
    incidents: &[Incident],
    windows: &[MaintenanceWindow],
    year: super::period::YearSpec,
    now: DateTime<Utc>,
) -> Result<Vec<AvailabilityItem>, ClockError> {
    let (from, to) = year.bounds(a.tz);
    let months: Vec<(String, Span)> = year.months().map(|m| (m.to_string(), m.bounds(a.tz))).collect();
    let mut out = Vec::new();
    for sv in &a.services {
        let d = ServiceData::of(a, sv, incidents, windows);
        // The month with the most unplanned outages (the first of equals), if any.
        let (busiest, most) =
            months
                .iter()
                .map(|(m, (x, y))| (m, d.starting(*x, *y)))
                .fold(
                    (None, 0),
                    |(bm, bn), (m, n)| if n > bn { (Some(m.clone()), n) } else { (bm, bn) },
                );
        for t in &sv.availability {
            let Some(s) = a.schedule(&t.schedule) else {
                continue;
            };
            let (m, until) = d.measure(s, t, (from, to), now)?;
            let whole = s.between(from, to)?;
            let months_below_target = match t.period {
                Period::Year => None,
                Period::Month => {
                    let mut below = 0;
                    for (_, (x, y)) in months.iter().filter(|(_, (x, _))| *x < now) {
                        let (mm, _) = d.measure(s, t, (*x, *y), now)?;
                        if mm.met() == Some(false) {
                            below += 1;
                        }
                    }
                    Some(below)
                }
            };
            out.push(AvailabilityItem {
                max_downtime: match t.period {
                    Period::Year => stated_max(t),
                    Period::Month => None,
                },
                outages_month: most,
                outages_year: d.starting(from, to),
                busiest_month: busiest.clone(),
                months_below_target,
                ..AvailabilityItem::measured(&sv.id, t, "year", (from, until), &m, whole)
            });
        }
    }
    Ok(out)
}
