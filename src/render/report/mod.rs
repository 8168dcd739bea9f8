//! Report renderers: the weekly summary, the monthly SLA report and the annual report as
//! Markdown (tables), CSV (one figure per row, with the incident ids behind it) and JSON
//! (the report types serialised; their field names are the format), the Markdown split
//! into Discord-sized messages ([`discord_chunks`]), and the monthly PNG chart ([`chart`]).
//!
//! Durations are shown as hours and minutes and labelled "business time" where they are
//! business seconds. Text users typed (meeting points, owners) is defused so that it can
//! never ping anyone ([`no_ping`]).

pub mod chart;
mod markdown;

pub use chart::{ChartError, monthly_png};
pub use markdown::{annual_markdown, monthly_markdown, weekly_markdown};

use crate::domain::agreement::Agreement;
use crate::domain::report::{AnnualReport, Figures, MonthlyReport, WeeklyReport};
use crate::service::reports::ReportValue;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// Discord's message limit in characters.
pub const DISCORD_LIMIT: usize = 2000;

/// `secs` as `3 h 05 min` (negative: `-3 h 05 min`); under a minute `45 s`.
pub fn duration(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    if s < 60 {
        return format!("{sign}{s} s");
    }
    let (h, m) = (s / 3600, (s % 3600) / 60);
    if h == 0 {
        format!("{sign}{m} min")
    } else {
        format!("{sign}{h} h {m:02} min")
    }
}

/// A local `YYYY-MM-DD HH:MM` in zone `tz`.
pub fn local(tz: Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// Text typed by a user, made unable to ping anyone (a zero-width space after every `@`,
/// so neither `@everyone`, `@here` nor `<@123>` is a mention) and safe in a table cell.
pub fn no_ping(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '@' => out.push_str("@\u{200B}"),
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Splits Markdown into messages of at most `limit` characters, at line boundaries. A
/// table cut in two repeats its header in the next message; a single line longer than the
/// limit is cut after a space (at a character boundary when it has none).
pub fn chunks(markdown: &str, limit: usize) -> Vec<String> {
    let limit = limit.max(16);
    let lines: Vec<&str> = markdown.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut header: Option<String> = None;
    let len = |s: &str| s.chars().count();
    for (i, line) in lines.iter().enumerate() {
        let is_row = line.starts_with('|');
        if !is_row {
            header = None;
        } else if header.is_none()
            && lines
                .get(i + 1)
                .is_some_and(|n| n.starts_with("|-") || n.starts_with("| -"))
        {
            header = Some(format!("{line}\n{}", lines[i + 1]));
        }
        let need = len(line) + usize::from(!cur.is_empty());
        if !cur.is_empty() && len(&cur) + need > limit {
            out.push(std::mem::take(&mut cur));
            // A row continuing a table gets the header again (not the header itself or its
            // separator line).
            if let Some(h) = &header
                && is_row
                && !h.starts_with(line)
                && !h.ends_with(line)
                && len(h) + 1 + len(line) <= limit
            {
                cur.push_str(h);
            }
        }
        if len(line) > limit {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            // Cut after the last space before the limit (a word never splits), else at
            // the limit.
            let mut rest: &str = line;
            while len(rest) > limit {
                let hard = rest.char_indices().nth(limit).map_or(rest.len(), |(i, _)| i);
                let cut = rest[..hard].rfind(' ').map_or(hard, |i| i + 1);
                let cut = if cut == 0 { hard } else { cut };
                out.push(rest[..cut].to_string());
                rest = &rest[cut..];
            }
            cur.push_str(rest);
            continue;
        }
        if !cur.is_empty() {
            cur.push('\n');
        }
        cur.push_str(line);
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// A stored or scheduled report in Markdown (with the agreement, its priorities and goals are
/// named as the agreement names them).
pub fn value_markdown(r: &ReportValue, a: Option<&Agreement>) -> String {
    match r {
        ReportValue::Weekly(w) => weekly_markdown(w, a),
        ReportValue::Monthly(m) => monthly_markdown(m, a),
        ReportValue::Annual(y) => annual_markdown(y, a),
    }
}

/// What a revised report says changed.
pub fn revision_note(revision: i32, c: &crate::domain::revision::ReportChanges) -> String {
    let ids = |v: &[crate::domain::ids::IncidentId]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(", ")
        }
    };
    if c.is_empty() {
        return format!("\n_Revision {revision}: figures recomputed as time passed; no incident changed._\n");
    }
    format!(
        "\n_Revision {revision} (revised): incidents added {}; removed {}; changed {}._\n",
        ids(&c.added),
        ids(&c.removed),
        ids(&c.changed)
    )
}

/// [`chunks`] at Discord's limit.
pub fn discord_chunks(markdown: &str) -> Vec<String> {
    chunks(markdown, DISCORD_LIMIT)
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
    let mut row = |priority: &str, milestone: &str, figure: &str, value: String, goal: String, ids: String| {
        let cells = [agreement, period, priority, milestone, figure, &value, &goal, &ids];
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
/// incident ids behind them, space separated.
pub fn monthly_csv(r: &MonthlyReport) -> String {
    let mut out = format!("{CSV_HEADER}\n");
    csv_rows(&mut out, &r.agreement, &r.month.to_string(), &r.figures);
    out
}

/// The annual report as CSV: each month's rows, then the year's (period `2026`).
pub fn annual_csv(r: &AnnualReport) -> String {
    let mut out = format!("{CSV_HEADER}\n");
    for m in &r.months {
        csv_rows(&mut out, &r.agreement, &m.month.to_string(), &m.figures);
    }
    csv_rows(&mut out, &r.agreement, &r.year.to_string(), &r.overall);
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
    fn chunks_respect_the_limit_and_repeat_table_headers() {
        let mut md = String::from("# Title\n\n| a | b |\n|---|---|\n");
        for i in 0..200 {
            md.push_str(&format!("| row {i} | value {i} |\n"));
        }
        let parts = chunks(&md, 500);
        assert!(parts.len() > 3);
        for p in &parts {
            assert!(p.chars().count() <= 500, "{}", p.len());
        }
        for p in &parts[1..] {
            assert!(p.starts_with("| a | b |\n|---|---|"), "{p}");
        }
        let rows: usize = parts
            .iter()
            .map(|p| p.lines().filter(|l| l.starts_with("| row")).count())
            .sum();
        assert_eq!(rows, 200);
    }

    #[test]
    fn a_long_line_is_cut() {
        let line = "x".repeat(4500);
        let parts = chunks(&line, 2000);
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [2000, 2000, 500]);
        let words = "word ".repeat(1000);
        let parts = chunks(&words, 2000);
        assert!(parts.iter().all(|p| p.len() <= 2000 && p.ends_with(" ")));
        assert_eq!(parts.concat(), words);
    }

    #[test]
    fn typed_text_cannot_ping() {
        let s = no_ping("@everyone <@123> a|b");
        assert!(!s.contains("@everyone"));
        assert!(!s.contains("<@1"));
        assert!(s.contains("\\|"));
    }

    #[test]
    fn durations() {
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(300), "5 min");
        assert_eq!(duration(3 * 3600 + 300), "3 h 05 min");
        assert_eq!(duration(-3600), "-1 h 00 min");
    }
}
