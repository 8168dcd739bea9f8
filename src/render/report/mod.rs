//! Report renderers: the weekly summary, the monthly SLA report and the annual report as
//! Markdown (tables), CSV (one figure per row, with the incident ids behind it) and JSON
//! (the report types serialised; their field names are the format), the Markdown split
//! into Discord-sized messages ([`discord_chunks`], by the one pager), and the monthly PNG chart ([`chart`]).
//!
//! Durations are shown as hours and minutes and labelled "business time" where they are
//! business seconds; a late or left business time of a working day or more (of the
//! target's schedule) reads in working days (`3 wd 2 h 00 min`). Text users typed (meeting points, owners) is defused so that it can
//! never ping anyone ([`Defuse::TABLE_CELL`](crate::render::text::Defuse::TABLE_CELL)).

pub mod chart;
mod markdown;

pub use chart::{ChartError, monthly_png};
pub use markdown::{annual_markdown, monthly_markdown, weekly_markdown};

use crate::domain::agreement::{Agreement, Target};
use crate::domain::availability::AvailabilityItem;
use crate::domain::incident::Milestone;
use crate::domain::report::{AnnualReport, Figures, MonthlyReport, ReportValue, WeeklyReport};
use crate::render::msg::{Locale, fill};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// Discord's message limit (in UTF-16 code units, which never undercount characters).
pub const DISCORD_LIMIT: usize = crate::render::text::DISCORD_MESSAGE.max;

/// `secs` as `3 h 05 min` (negative: `-3 h 05 min`); under a minute `45 s`; in Norwegian,
/// Danish and Swedish with their units (`3 t 5 min`, `3 tim 5 min`).
pub fn duration(secs: i64, l: Locale) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    if s < 60 {
        return format!("{sign}{s} s");
    }
    if l != Locale::En {
        return format!("{sign}{}", crate::render::duration::hm(secs.abs(), l));
    }
    let (h, m) = (s / 3600, (s % 3600) / 60);
    if h == 0 {
        format!("{sign}{m} min")
    } else {
        format!("{sign}{h} h {m:02} min")
    }
}

/// Business seconds on the schedule of `priority`'s target for milestone `m` in agreement
/// `a`: once a working day of that schedule or more, in working days (`3 wd 2 h 00 min`),
/// else as [`duration`]; in Norwegian, Danish and Swedish with their units (`3 virkedager 2 t`).
pub fn business_duration(a: Option<&Agreement>, priority: &str, m: Milestone, secs: i64, l: Locale) -> String {
    let day = a.and_then(|a| {
        let t = a.targets_for(priority)?;
        let target = match m {
            Milestone::Response => &t.response,
            Milestone::Resolution => &t.resolution,
        };
        match target {
            Target::Within { schedule, .. } => a.schedule(schedule).map(|s| s.working_day()),
            Target::None { .. } => None,
        }
    });
    if l != Locale::En && secs.abs() >= 60 {
        let sign = if secs < 0 { "-" } else { "" };
        return format!("{sign}{}", crate::render::duration::business(secs.abs(), day, l));
    }
    match day {
        Some(day) if day > 0 && secs.abs() >= day => {
            let sign = if secs < 0 { "-" } else { "" };
            let (days, rest) = (secs.abs() / day, secs.abs() % day);
            if rest < 60 {
                format!("{sign}{days} wd")
            } else {
                format!("{sign}{days} wd {}", duration(rest, l))
            }
        }
        _ => duration(secs, l),
    }
}

/// A local `YYYY-MM-DD HH:MM` in zone `tz`.
pub fn local(tz: Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// A stored or scheduled report in Markdown (with the agreement, its priorities and goals are
/// named as the agreement names them).
pub fn value_markdown(r: &ReportValue, a: Option<&Agreement>, l: Locale) -> String {
    match r {
        ReportValue::Weekly(w) => weekly_markdown(w, a, l),
        ReportValue::Monthly(m) => monthly_markdown(m, a, l),
        ReportValue::Annual(y) => annual_markdown(y, a, l),
    }
}

/// What a revised report says changed, in `l`.
pub fn revision_note(revision: i32, c: &crate::domain::revision::ReportChanges, l: Locale) -> String {
    use crate::render::words::report::ReportMsg;
    let ids = |v: &[crate::domain::ids::IncidentId]| {
        if v.is_empty() {
            ReportMsg::RevisionNone.text(l).to_string()
        } else {
            v.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(", ")
        }
    };
    if c.is_empty() {
        return fill(ReportMsg::RevisionUnchanged.text(l), &[("revision", &revision)]);
    }
    fill(
        ReportMsg::RevisionChanged.text(l),
        &[
            ("revision", &revision),
            ("added", &ids(&c.added)),
            ("removed", &ids(&c.removed)),
            ("changed", &ids(&c.changed)),
        ],
    )
}

/// Markdown paged at Discord's message limit (see [`crate::render::text::page`]).
pub fn discord_chunks(markdown: &str) -> Vec<String> {
    crate::render::text::page(markdown, crate::render::text::DISCORD_MESSAGE)
}

/// The report as JSON (pretty; the report types' field names are the format).
pub fn json<T: serde::Serialize>(report: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(report)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The CSV header every report's CSV has.
pub const CSV_HEADER: &str = "agreement,period,priority,milestone,figure,value,goal,incidents";

fn csv_rows(out: &mut String, agreement: &str, period: &str, f: &Figures) {
    csv_rows_of(out, agreement, period, "", f);
}

/// The rows of each case type besides incidents: its figures as [`csv_rows`] writes them, the
/// `priority` column holding `TYPE:CLASS` (`problem:1`, `problem:all`).
fn case_type_rows(out: &mut String, agreement: &str, period: &str, cases: &[crate::domain::report::CaseTypeFigures]) {
    for t in cases {
        csv_rows_of(out, agreement, period, &format!("{}:", t.case_type), &t.figures);
    }
}

/// [`csv_rows`] with `prefix` before every value of the `priority` column.
fn csv_rows_of(out: &mut String, agreement: &str, period: &str, prefix: &str, f: &Figures) {
    let mut row = |priority: &str, milestone: &str, figure: &str, value: String, goal: String, ids: String| {
        let priority = format!("{prefix}{priority}");
        let cells = [agreement, period, &priority, milestone, figure, &value, &goal, &ids];
        let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    };
    let ids = |v: &[crate::domain::ids::IncidentId]| v.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(" ");
    let pct = |p: Option<f64>| p.map_or(String::new(), |p| format!("{p:.2}"));
    let opt = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
    let mut figure_rows = |priority: &str,
                           opened: Option<(&[_], &[_])>,
                           comp: [&crate::domain::report::ComplianceFigure; 2],
                           times: [&crate::domain::report::TimeStats; 2]| {
        if let Some((o, r)) = opened {
            row(priority, "", "opened", o.len().to_string(), String::new(), ids(o));
            row(priority, "", "resolved", r.len().to_string(), String::new(), ids(r));
        }
        for (m, c, t) in [("response", comp[0], times[0]), ("resolution", comp[1], times[1])] {
            let goal = c.goal.map_or(String::new(), |g| format!("{g}"));
            row(
                priority,
                m,
                "within",
                c.within.len().to_string(),
                String::new(),
                ids(&c.within),
            );
            row(
                priority,
                m,
                "outside",
                c.outside.len().to_string(),
                String::new(),
                ids(&c.outside),
            );
            row(priority, m, "percent", pct(c.percent), goal, String::new());
            row(
                priority,
                m,
                "median_business_seconds",
                opt(t.median),
                String::new(),
                String::new(),
            );
            row(
                priority,
                m,
                "p90_business_seconds",
                opt(t.p90),
                String::new(),
                String::new(),
            );
            row(
                priority,
                m,
                "max_business_seconds",
                opt(t.max),
                String::new(),
                t.max_incident.as_ref().map_or(String::new(), |i| i.to_string()),
            );
        }
    };
    for p in &f.priorities {
        figure_rows(
            &p.priority,
            Some((&p.opened, &p.resolved)),
            [&p.response, &p.resolution],
            [&p.response_times, &p.resolution_times],
        );
    }
    figure_rows(
        "all",
        None,
        [&f.response, &f.resolution],
        [&f.response_times, &f.resolution_times],
    );
    row(
        "all",
        "",
        "escalated",
        f.escalated.len().to_string(),
        String::new(),
        ids(&f.escalated),
    );
    row(
        "all",
        "",
        "security",
        f.security.len().to_string(),
        String::new(),
        ids(&f.security),
    );
    for b in &f.breaches {
        row(
            &b.priority,
            b.milestone.as_str(),
            "breach_late_business_seconds",
            b.late_business.to_string(),
            String::new(),
            b.incident.to_string(),
        );
        row(
            &b.priority,
            b.milestone.as_str(),
            "breach_late_wall_seconds",
            b.late_wall.to_string(),
            String::new(),
            b.incident.to_string(),
        );
    }
}

/// The monthly report as CSV: one figure per row ([`CSV_HEADER`]); counts carry the
/// incident ids behind them, space separated. Then the availability rows
/// (`availability_rows`).
pub fn monthly_csv(r: &MonthlyReport) -> String {
    let mut out = format!("{CSV_HEADER}\n");
    csv_rows(&mut out, &r.agreement, &r.month.to_string(), &r.figures);
    let year = r.month.to_string().chars().take(4).collect::<String>();
    availability_rows(&mut out, &r.agreement, &r.availability, |i| {
        if i.period == "year" {
            format!("{year} to date")
        } else {
            r.month.to_string()
        }
    });
    case_type_rows(&mut out, &r.agreement, &r.month.to_string(), &r.case_types);
    out
}

/// The monthly report's availability as CSV rows, per service and schedule measured: the
/// service id stands in the `priority` column and the schedule id in the `milestone` column;
/// the period is the month, or `YYYY to date` for a year's target. Figures (all prefixed
/// `availability_`): `uptime_percent` (goal: the target), `down_seconds` (goal: the downtime
/// the target allows), `max_downtime_seconds` (what the text states, when it does),
/// `measured_seconds` (open time less windows), `excluded_seconds` (windows),
/// `outages_month` and `outages_year` (goal: their limits).
///
/// The annual report's rows have the year as period; `outages_month` is the busiest month's
/// count, and a monthly target adds `months_below_target`.
fn availability_rows(
    out: &mut String,
    agreement: &str,
    items: &[AvailabilityItem],
    period_of: impl Fn(&AvailabilityItem) -> String,
) {
    for i in items {
        let period = period_of(i);
        let opt = |v: Option<u32>| v.map_or(String::new(), |v| v.to_string());
        let mut rows = vec![
            (
                "uptime_percent",
                i.percent().map_or(String::new(), |p| format!("{p:.3}")),
                format!("{}", i.target),
            ),
            ("down_seconds", i.down.to_string(), i.allowed_by_target.to_string()),
        ];
        if let Some(m) = i.max_downtime {
            rows.push(("max_downtime_seconds", m.to_string(), String::new()));
        }
        rows.extend([
            ("measured_seconds", (i.open - i.excluded).to_string(), String::new()),
            ("excluded_seconds", i.excluded.to_string(), String::new()),
            ("outages_month", i.outages_month.to_string(), opt(i.max_outages_month)),
            ("outages_year", i.outages_year.to_string(), opt(i.max_outages_year)),
        ]);
        if let Some(n) = i.months_below_target {
            rows.push(("months_below_target", n.to_string(), String::new()));
        }
        for (figure, value, goal) in rows {
            let figure = format!("availability_{figure}");
            let cells = [agreement, &period, &i.service, &i.schedule, &figure, &value, &goal, ""];
            let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
    }
}

/// The annual report as CSV: each month's rows, then the year's (period `2026`), then the
/// year's availability rows.
pub fn annual_csv(r: &AnnualReport) -> String {
    let mut out = format!("{CSV_HEADER}\n");
    for m in &r.months {
        csv_rows(&mut out, &r.agreement, &m.month.to_string(), &m.figures);
    }
    csv_rows(&mut out, &r.agreement, &r.year.to_string(), &r.overall);
    availability_rows(&mut out, &r.agreement, &r.availability, |_| r.year.to_string());
    case_type_rows(&mut out, &r.agreement, &r.year.to_string(), &r.case_types);
    out
}

/// The weekly summary's own figures and month-to-date compliance as CSV.
pub fn weekly_csv(r: &WeeklyReport) -> String {
    let mut out = format!("{CSV_HEADER}\n");
    csv_rows(&mut out, &r.agreement, &r.week.to_string(), &r.figures);
    csv_rows(
        &mut out,
        &r.agreement,
        &format!("{} to date", r.month),
        &r.month_to_date,
    );
    case_type_rows(&mut out, &r.agreement, &r.week.to_string(), &r.case_types);
    out
}

/// A priority's display label: `1 Kritisk`, or the id alone.
pub(crate) fn priority_label(a: Option<&Agreement>, id: &str) -> String {
    match a.and_then(|a| a.priority(id)) {
        Some(p) if !p.name.is_empty() => format!("{} {}", p.id, p.name),
        _ => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration(45, Locale::En), "45 s");
        assert_eq!(duration(300, Locale::En), "5 min");
        assert_eq!(duration(3 * 3600 + 300, Locale::En), "3 h 05 min");
        assert_eq!(duration(-3600, Locale::En), "-1 h 00 min");
    }

    /// Issue 16, item 7: Borger.dk's 30-working-day resolution target (primary hours, 8 h a
    /// working day) reads "30 wd", not "240 h 00 min"; 566 h reads in working days too.
    #[test]
    fn business_durations_in_working_days() {
        let a = crate::agreements::test_support::agreement("borger-dk");
        let p4 = a.priorities.last().expect("priorities").id.clone();
        let d = |secs| business_duration(Some(a), &p4, Milestone::Resolution, secs, Locale::En);
        assert_eq!(d(240 * 3600), "30 wd");
        assert_eq!(d(566 * 3600), "70 wd 6 h 00 min");
        assert_eq!(d(3 * 3600), "3 h 00 min");
        assert_eq!(
            business_duration(None, &p4, Milestone::Resolution, 240 * 3600, Locale::En),
            "240 h 00 min"
        );
    }
}
