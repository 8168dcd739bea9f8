//! Availability of a service over a period, measured in one schedule's open time: the
//! operating time, the maintenance windows excluded from it, the downtime of outages outside
//! those windows (an outage running past a window's announced end is downtime from that end,
//! SSBTEK 4.6.1), and the uptime against the target. Pure: the outages and windows are
//! arguments, as instants; durations are real seconds while the schedule is open, so a day
//! with a DST change counts its real length.

use super::agreement::{Agreement, Availability};
use super::clock::ClockError;
use super::schedule::Schedule;
use chrono::{DateTime, Utc};

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
