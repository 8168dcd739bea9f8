//! `vakt clock add|between` (business-clock arithmetic) and `vakt calendar` (each day's open
//! hours of a schedule).

use super::{R, agreement, clock_err, data, date, instant, print_value, rfc3339, sched, usage};
use crate::agreements::Catalog;
use crate::domain::clock::BusinessDuration;
use crate::domain::schedule::{DayPlan, HoursFrom, Schedule};
use crate::domain::time::{MAX_YEAR, MIN_YEAR, Minute, year_supported};
use chrono::{Datelike, NaiveDate};
use clap::Subcommand;
use serde_json::json;
use std::io::Write;

/// `vakt clock …`
#[derive(Debug, Clone, Subcommand)]
pub enum ClockCmd {
    /// Start a clock and run it for a duration (90m, 8h, 3wd, 6d).
    Add {
        /// Agreement id.
        id: String,
        /// Schedule name.
        #[arg(long)]
        schedule: String,
        /// Start: RFC 3339, local `YYYY-MM-DDTHH:MM`, or a date `YYYY-MM-DD` (local midnight).
        #[arg(long)]
        at: String,
        /// Duration.
        #[arg(long)]
        duration: String,
    },
    /// Open seconds between two instants.
    Between {
        /// Agreement id.
        id: String,
        /// Schedule name.
        #[arg(long)]
        schedule: String,
        /// From.
        #[arg(long)]
        from: String,
        /// To.
        #[arg(long)]
        to: String,
    },
}

/// Runs `vakt clock …`.
pub(super) fn run(cat: &Catalog, cmd: ClockCmd, json: bool, out: &mut dyn Write) -> R<()> {
    let io = super::output;
    match cmd {
        ClockCmd::Add {
            id,
            schedule,
            at,
            duration,
        } => {
            let v = op_add(cat, &id, &schedule, &at, &duration)?;
            print_value(out, &v, json, |v| {
                format!("clock start {}\ndeadline    {}", v.clock_start, v.deadline)
            })
            .map_err(io)
        }
        ClockCmd::Between { id, schedule, from, to } => {
            let v = op_between(cat, &id, &schedule, &from, &to)?;
            print_value(out, &v, json, |v| {
                format!("{} seconds ({})", v.seconds, human_seconds(v.seconds))
            })
            .map_err(io)
        }
    }
}

/// Runs `vakt calendar`: each day's open hours from `from` to `to` (at most ten years).
pub(super) fn calendar(
    cat: &Catalog,
    id: &str,
    schedule: &str,
    from: &str,
    to: &str,
    json: bool,
    out: &mut dyn Write,
) -> R<()> {
    let io = super::output;
    let a = agreement(cat, id)?;
    let s = sched(a, schedule)?;
    let (from, to) = (date(from)?, date(to)?);
    for d in [from, to] {
        if !year_supported(d.year()) {
            return Err(usage(format!(
                "date {d} is outside the supported years {MIN_YEAR}–{MAX_YEAR}"
            )));
        }
    }
    if to < from {
        return Err(usage("--to is before --from"));
    }
    if (to - from).num_days() > 3660 {
        return Err(usage("at most ten years at a time"));
    }
    let days = calendar_days(s, from, to)?;
    if json {
        writeln!(out, "{}", json!({"days": days})).map_err(io)
    } else {
        for d in days {
            writeln!(out, "{}", calendar_line(&d)).map_err(io)?;
        }
        Ok(())
    }
}

fn human_seconds(s: i64) -> String {
    let a = s.abs();
    format!(
        "{}{}h {:02}m {:02}s",
        if s < 0 { "-" } else { "" },
        a / 3600,
        (a % 3600) / 60,
        a % 60
    )
}

/// The answer of `clock add`.
#[derive(Debug, serde::Serialize)]
pub struct AddOut {
    /// When the clock started, RFC 3339 with the local offset.
    pub clock_start: String,
    /// When the duration is used up.
    pub deadline: String,
}

/// The answer of `clock between`.
#[derive(Debug, serde::Serialize)]
pub struct BetweenOut {
    /// Open seconds from `from` to `to` (`to` before `from` is refused as bad usage).
    pub seconds: i64,
}

pub(super) fn op_add(cat: &Catalog, id: &str, schedule: &str, at: &str, duration: &str) -> R<AddOut> {
    let a = agreement(cat, id)?;
    let s = sched(a, schedule)?;
    let at = instant(at, a.tz)?;
    let d = BusinessDuration::parse(duration).map_err(|e| usage(format!("invalid duration \"{duration}\": {e}")))?;
    let span = s.add(at, d).map_err(clock_err)?;
    Ok(AddOut {
        clock_start: rfc3339(span.clock_start, a.tz),
        deadline: rfc3339(span.deadline, a.tz),
    })
}

pub(super) fn op_between(cat: &Catalog, id: &str, schedule: &str, from: &str, to: &str) -> R<BetweenOut> {
    let a = agreement(cat, id)?;
    let s = sched(a, schedule)?;
    let (from_t, to_t) = (instant(from, a.tz)?, instant(to, a.tz)?);
    if to_t < from_t {
        return Err(usage(format!(
            "from {} is after to {}",
            rfc3339(from_t, a.tz),
            rfc3339(to_t, a.tz)
        )));
    }
    let seconds = s.between(from_t, to_t).map_err(clock_err)?;
    Ok(BetweenOut { seconds })
}

/// One day of `vakt calendar`.
#[derive(Debug, serde::Serialize)]
pub struct CalendarDay {
    /// Local date.
    pub date: String,
    /// Open intervals, local `HH:MM` (an interval ending at midnight ends at `24:00`).
    pub open: Vec<[String; 2]>,
    /// Why the day is closed, or null.
    pub closed: Option<String>,
    /// Where the hours come from (weekly, a season or special day), for text output.
    #[serde(skip)]
    pub hours_from: Option<String>,
}

/// The open hours of each day, from the compiled clock (so they agree with `is_open`).
pub fn calendar_days(s: &Schedule, from: NaiveDate, to: NaiveDate) -> R<Vec<CalendarDay>> {
    let mut out = Vec::new();
    for (d, plan) in s.days(from, to) {
        let ivs = s.open_intervals(d).map_err(data)?;
        let open: Vec<[String; 2]> = ivs
            .iter()
            .map(|(a, b)| {
                let end = b.with_timezone(&s.tz);
                let end_s = if end.date_naive() > d {
                    "24:00".to_string()
                } else {
                    Minute::of(end.time()).to_string()
                };
                [Minute::of(a.with_timezone(&s.tz).time()).to_string(), end_s]
            })
            .collect();
        let (closed, hours_from) = match plan {
            DayPlan::Closed(r) => (Some(r.describe()), None),
            DayPlan::Open(..) if open.is_empty() => (Some("no open time (daylight-saving change)".to_string()), None),
            DayPlan::Open(_, from) => (
                None,
                match from {
                    HoursFrom::Always | HoursFrom::Weekly => None,
                    HoursFrom::Season(n) | HoursFrom::Special(n) => Some(n.to_string()),
                },
            ),
        };
        out.push(CalendarDay {
            date: d.to_string(),
            open,
            closed,
            hours_from,
        });
    }
    Ok(out)
}

fn calendar_line(d: &CalendarDay) -> String {
    let wd = NaiveDate::parse_from_str(&d.date, "%Y-%m-%d")
        .map(|x| x.format("%a").to_string())
        .unwrap_or_default();
    match &d.closed {
        Some(why) => format!("{} {wd}  closed: {why}", d.date),
        None => {
            let hours: Vec<String> = d.open.iter().map(|[a, b]| format!("{a}–{b}")).collect();
            let from = d.hours_from.as_ref().map(|n| format!("  ({n})")).unwrap_or_default();
            format!("{} {wd}  {}{from}", d.date, hours.join(", "))
        }
    }
}
