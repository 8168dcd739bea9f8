//! Markdown of the reports: headings, tables and lists, in English.

use super::{business_duration, duration, local, priority_label};
use crate::render::text::{Defuse, defuse};

/// Typed text as a table cell that pings no one.
fn cell(s: &str) -> String {
    defuse(s, Defuse::TABLE_CELL)
}
use crate::domain::agreement::Agreement;
use crate::domain::availability::AvailabilityItem;
use crate::domain::ids::IncidentId;
use crate::domain::incident::{Milestone, State};
use crate::domain::report::{
    AnnualReport, ComingKind, ComplianceFigure, Figures, FollowUpSettled, MonthlyReport, TimeLeft, TimeStats,
    WeeklyReport,
};
use chrono_tz::Tz;
use std::fmt::Write;

fn zone(z: &str) -> Tz {
    z.parse().unwrap_or(Tz::UTC)
}

fn title(a: Option<&Agreement>, id: &str) -> String {
    a.map_or_else(|| id.to_string(), |a| format!("{} ({id})", a.name))
}

fn ids(v: &[IncidentId]) -> String {
    if v.is_empty() {
        "—".into()
    } else {
        v.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(", ")
    }
}

fn pct(c: &ComplianceFigure) -> String {
    match c.percent {
        None => "—".into(),
        Some(p) => format!("{p:.1} %"),
    }
}

fn goal(c: &ComplianceFigure) -> String {
    match (c.goal, c.goal_met) {
        (None, _) => "—".into(),
        (Some(g), Some(true)) => format!("{g} % (met)"),
        (Some(g), Some(false)) => format!("{g} % (NOT met)"),
        (Some(g), None) => format!("{g} %"),
    }
}

/// The milestone's word (reports are written in English today).
fn milestone(m: Milestone) -> &'static str {
    crate::render::msg::Locale::En.milestone(m)
}

fn opt_dur(v: Option<i64>) -> String {
    v.map_or("—".into(), duration)
}

fn compliance_table(out: &mut String, a: Option<&Agreement>, f: &Figures) {
    out.push_str("| Priority | Response within | Response outside | Response | Goal | Resolution within | Resolution outside | Resolution | Goal |\n");
    out.push_str("|---|---:|---:|---:|---|---:|---:|---:|---|\n");
    let mut line = |label: String, r: &ComplianceFigure, s: &ComplianceFigure, rt: bool, st: bool| {
        let cell = |t: bool, v: String| if t { v } else { "no target".into() };
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(rt, r.within.len().to_string()),
            cell(rt, r.outside.len().to_string()),
            cell(rt, pct(r)),
            goal(r),
            cell(st, s.within.len().to_string()),
            cell(st, s.outside.len().to_string()),
            cell(st, pct(s)),
            goal(s),
        );
    };
    for p in &f.priorities {
        line(
            priority_label(a, &p.priority),
            &p.response,
            &p.resolution,
            p.response_target,
            p.resolution_target,
        );
    }
    line("**All**".into(), &f.response, &f.resolution, true, true);
}

fn times_table(out: &mut String, a: Option<&Agreement>, f: &Figures) {
    out.push_str(
        "| Priority | Responses | Median | 90th percentile | Max | Resolutions | Median | 90th percentile | Max |\n",
    );
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let mut line = |label: String, r: &TimeStats, s: &TimeStats| {
        let max = |t: &TimeStats| match (&t.max, &t.max_incident) {
            (Some(m), Some(i)) => format!("{} ({i})", duration(*m)),
            _ => "—".into(),
        };
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.count,
            opt_dur(r.median),
            opt_dur(r.p90),
            max(r),
            s.count,
            opt_dur(s.median),
            opt_dur(s.p90),
            max(s),
        );
    };
    for p in &f.priorities {
        line(priority_label(a, &p.priority), &p.response_times, &p.resolution_times);
    }
    line("**All**".into(), &f.response_times, &f.resolution_times);
}

fn breaches_table(out: &mut String, a: Option<&Agreement>, tz: Tz, f: &[crate::domain::report::Breach]) {
    if f.is_empty() {
        out.push_str("No breaches.\n");
        return;
    }
    out.push_str("| Incident | Priority | Milestone | Deadline | Met | Late (business time) | Late (wall time) | Escalation level |\n");
    out.push_str("|---|---|---|---|---|---:|---:|---:|\n");
    for b in f {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            b.incident,
            priority_label(a, &b.priority),
            milestone(b.milestone),
            local(tz, b.due),
            b.met_at.map_or("not yet".into(), |t| local(tz, t)),
            business_duration(a, &b.priority, b.milestone, b.late_business),
            duration(b.late_wall),
            b.level,
        );
    }
}

fn counted_lists(out: &mut String, a: Option<&Agreement>, f: &Figures) {
    for p in &f.priorities {
        if p.response.counted() + p.resolution.counted() + p.opened.len() + p.resolved.len() == 0 {
            continue;
        }
        let _ = writeln!(
            out,
            "- {}: opened {}; resolved {}; response within {}, outside {}; resolution within {}, outside {}",
            priority_label(a, &p.priority),
            ids(&p.opened),
            ids(&p.resolved),
            ids(&p.response.within),
            ids(&p.response.outside),
            ids(&p.resolution.within),
            ids(&p.resolution.outside),
        );
    }
}

fn figures_body(out: &mut String, a: Option<&Agreement>, tz: Tz, f: &Figures) {
    out.push_str("\n## Within and outside target\n\n");
    compliance_table(out, a, f);
    if let Some(src) = &f.goal_source {
        let _ = writeln!(out, "\nGoals: clause {src} of the agreement.");
    } else {
        out.push_str("\nThe agreement sets no compliance goal.\n");
    }
    out.push_str("\n## Response and resolution times (business time)\n\n");
    times_table(out, a, f);
    let _ = writeln!(
        out,
        "\n## Escalated incidents: {}\n\n{}",
        f.escalated.len(),
        ids(&f.escalated)
    );
    let _ = writeln!(
        out,
        "\n## Security incidents: {}\n\n{}",
        f.security.len(),
        ids(&f.security)
    );
    let fu = &f.follow_ups;
    if fu.done_on_time + fu.done_late + fu.waived + fu.open > 0 {
        let _ = writeln!(
            out,
            "\n## Follow-ups due\n\nDone on time: {} · done late: {} · waived: {} · not done: {}",
            fu.done_on_time, fu.done_late, fu.waived, fu.open
        );
    }
    let _ = writeln!(out, "\n## Breaches: {}\n", f.breaches.len());
    breaches_table(out, a, tz, &f.breaches);
    out.push_str("\n## Incidents counted\n\n");
    counted_lists(out, a, f);
}

/// The monthly SLA report as Markdown.
pub fn monthly_markdown(r: &MonthlyReport, a: Option<&Agreement>) -> String {
    let tz = zone(&r.zone);
    let f = &r.figures;
    let mut out = String::new();
    let _ = writeln!(out, "# SLA report {} — {}\n", r.month, title(a, &r.agreement));
    let _ = writeln!(
        out,
        "Period {} to {} ({}), figures as of {}. {} incidents behind these figures.",
        local(tz, f.from),
        local(tz, f.to),
        r.zone,
        local(tz, f.as_of),
        r.sources.len()
    );
    figures_body(&mut out, a, tz, f);
    availability(&mut out, &r.availability, tz, false);
    out
}

/// Hours with two decimals, from seconds.
fn hours(s: i64) -> String {
    format!("{:.2} h", s as f64 / 3600.0)
}

/// A report's availability per service and schedule measured (when the agreement sets
/// any): uptime against the target, downtime against what the target and the text allow,
/// the windows excluded, and unplanned outages against their limits. The annual report adds
/// the months measured below a monthly target and the month with the most outages (its
/// count stands as the month's figure).
fn availability(out: &mut String, items: &[AvailabilityItem], tz: Tz, annual: bool) {
    if items.is_empty() {
        return;
    }
    out.push_str("\n## Availability\n\n");
    let (extra_head, extra_rule) = if annual {
        (" Months below target | Busiest month |", "---:|---|")
    } else {
        ("", "")
    };
    let outages = if annual {
        "Unplanned outages (busiest month / year)"
    } else {
        "Unplanned outages (month / year)"
    };
    let _ = writeln!(
        *out,
        "| Service | Measured in | Period | Uptime | Target | Down | Allowed by the target | Most downtime stated | Windows excluded | {outages} | Limits |{extra_head} Clause |"
    );
    let _ = writeln!(
        *out,
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|{extra_rule}---|"
    );
    for i in items {
        let uptime = i.percent().map_or("—".to_string(), |p| format!("{p:.3} %"));
        let limits = match (i.max_outages_month, i.max_outages_year) {
            (None, None) => "—".to_string(),
            (m, y) => format!(
                "{} / {}",
                m.map_or("—".into(), |x| x.to_string()),
                y.map_or("—".into(), |x| x.to_string())
            ),
        };
        let extra = if annual {
            format!(
                " {} | {} |",
                i.months_below_target.map_or("—".into(), |x| x.to_string()),
                i.busiest_month.as_deref().map_or("—".into(), cell)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            *out,
            "| {} | {} | {} {} – {} | {uptime} | {} % | {} | {} | {} | {} | {} / {} | {limits} |{extra} {} |",
            cell(&i.service),
            cell(&i.schedule),
            i.period,
            local(tz, i.from),
            local(tz, i.to),
            i.target,
            hours(i.down),
            hours(i.allowed_by_target),
            i.max_downtime.map_or("—".to_string(), hours),
            hours(i.excluded),
            i.outages_month,
            i.outages_year,
            cell(&i.clause)
        );
    }
}

/// The annual report as Markdown: a table of the months, then the year's figures.
pub fn annual_markdown(r: &AnnualReport, a: Option<&Agreement>) -> String {
    let tz = zone(&r.zone);
    let mut out = String::new();
    let _ = writeln!(out, "# Annual report {} — {}\n", r.year, title(a, &r.agreement));
    let _ = writeln!(out, "Figures as of {} ({}).\n", local(tz, r.overall.as_of), r.zone);
    out.push_str("## Months\n\n");
    out.push_str("| Month | Opened | Resolved | Response within / outside | Response | Resolution within / outside | Resolution | Escalated | Security | Breaches |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let mut row = |label: String, f: &Figures| {
        let opened: usize = f.priorities.iter().map(|p| p.opened.len()).sum();
        let resolved: usize = f.priorities.iter().map(|p| p.resolved.len()).sum();
        let _ = writeln!(
            out,
            "| {label} | {opened} | {resolved} | {} / {} | {} | {} / {} | {} | {} | {} | {} |",
            f.response.within.len(),
            f.response.outside.len(),
            pct(&f.response),
            f.resolution.within.len(),
            f.resolution.outside.len(),
            pct(&f.resolution),
            f.escalated.len(),
            f.security.len(),
            f.breaches.len()
        );
    };
    for m in &r.months {
        row(m.month.to_string(), &m.figures);
    }
    row(format!("**{}**", r.year), &r.overall);
    out.push_str("\n# The year\n");
    figures_body(&mut out, a, tz, &r.overall);
    availability(&mut out, &r.availability, tz, true);
    out
}

/// Time left to milestone `m` of an incident of `priority`: business and wall time.
fn left(a: Option<&Agreement>, priority: &str, m: Milestone, l: &Option<TimeLeft>) -> (String, String) {
    let business = |secs: i64| business_duration(a, priority, m, secs);
    match l {
        None => ("met".into(), "met".into()),
        Some(l) if l.wall_left < 0 || l.business_left < 0 => (
            format!("overdue {}", business(-l.business_left.min(0))),
            format!("overdue {}", duration(-l.wall_left.min(0))),
        ),
        Some(l) => (business(l.business_left), duration(l.wall_left)),
    }
}

/// The weekly summary as Markdown.
pub fn weekly_markdown(r: &WeeklyReport, a: Option<&Agreement>) -> String {
    let tz = zone(&r.zone);
    let f = &r.figures;
    let mut out = String::new();
    let _ = writeln!(out, "# Weekly summary {} — {}\n", r.week, title(a, &r.agreement));
    let _ = writeln!(
        out,
        "Week {} to {} ({}), as of {}.",
        local(tz, f.from),
        local(tz, f.to),
        r.zone,
        local(tz, f.as_of)
    );

    out.push_str("\n## Opened and resolved this week\n\n| Priority | Opened | Resolved | Incidents opened | Incidents resolved |\n|---|---:|---:|---|---|\n");
    for p in &f.priorities {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            priority_label(a, &p.priority),
            p.opened.len(),
            p.resolved.len(),
            ids(&p.opened),
            ids(&p.resolved)
        );
    }

    let _ = writeln!(out, "\n## Open incidents: {}\n", r.open.len());
    if !r.open.is_empty() {
        out.push_str("| Incident | Priority | State | Level | Response left (business time) | Response left (wall time) | Resolution left (business time) | Resolution left (wall time) |\n|---|---|---|---:|---:|---:|---:|---:|\n");
        for o in &r.open {
            let (rb, rw) = left(a, &o.priority, Milestone::Response, &o.response);
            let (sb, sw) = left(a, &o.priority, Milestone::Resolution, &o.resolution);
            let state = match o.state {
                State::Open => "open",
                State::Acknowledged => "acknowledged",
                State::Resolved => "resolved",
                State::Closed => "closed",
            };
            let _ = writeln!(
                out,
                "| {} | {} | {state} | {} | {rb} | {rw} | {sb} | {sw} |",
                o.incident,
                priority_label(a, &o.priority),
                o.level
            );
        }
    }

    let _ = writeln!(out, "\n## Breaches this week: {}\n", r.breaches.len());
    breaches_table(&mut out, a, tz, &r.breaches);

    let _ = writeln!(out, "\n## Compliance so far in {}\n", r.month);
    compliance_table(&mut out, a, &r.month_to_date);

    status_and_follow_ups(&mut out, r, a, tz);
    points_and_coming(&mut out, r, tz);
    maintenance_windows(&mut out, r, tz);
    out
}

/// The weekly summary's maintenance windows, this week and the coming two (when any).
fn maintenance_windows(out: &mut String, r: &WeeklyReport, tz: Tz) {
    if r.maintenance.is_empty() {
        return;
    }
    let _ = writeln!(*out, "\n## Maintenance windows this week and the coming two\n");
    for w in &r.maintenance {
        let despite = if w.breaks.is_empty() {
            String::new()
        } else {
            format!(" — recorded despite clause {}", w.breaks.join(", clause "))
        };
        let _ = writeln!(
            *out,
            "- #{} {} ({}) {} – {}: {}{despite}",
            w.id,
            cell(&w.service),
            cell(&w.kind),
            local(tz, w.start),
            local(tz, w.end),
            cell(&w.description)
        );
    }
}

/// The weekly summary's status updates (due versus posted) and the follow-ups due.
fn status_and_follow_ups(out: &mut String, r: &WeeklyReport, a: Option<&Agreement>, tz: Tz) {
    out.push_str("\n## Status updates due versus posted\n\n");
    if r.status_updates.is_empty() {
        out.push_str("None due.\n");
    } else {
        out.push_str("| Incident | Priority | Due | Posted | Human notes |\n|---|---|---:|---:|---:|\n");
        for s in &r.status_updates {
            let _ = writeln!(
                *out,
                "| {} | {} | {} | {} | {} |",
                s.incident,
                priority_label(a, &s.priority),
                s.due,
                s.posted,
                s.notes
            );
        }
    }

    out.push_str("\n## Follow-ups due this week\n\n");
    if r.follow_ups.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str("| Incident | Follow-up | Due | Posted |\n|---|---|---|---|\n");
        for fu in &r.follow_ups {
            let what = a
                .and_then(|a| a.follow_ups.iter().find(|x| x.id == fu.follow_up))
                .map_or(fu.follow_up.clone(), |x| cell(&x.what));
            let _ = writeln!(
                *out,
                "| {} | {what} | {} | {} |",
                fu.incident,
                local(tz, fu.due),
                match (fu.settled, fu.posted, fu.waived) {
                    (Some(FollowUpSettled::OnTime), ..) => "done on time",
                    (Some(FollowUpSettled::Late), ..) => "done late",
                    (Some(FollowUpSettled::Waived), ..) | (None, false, true) => "waived",
                    (None, true, _) => "yes",
                    (None, false, false) => "no",
                }
            );
        }
    }
}

/// The weekly summary's open follow-up points and what falls due in the coming two weeks.
fn points_and_coming(out: &mut String, r: &WeeklyReport, tz: Tz) {
    let _ = writeln!(*out, "\n## Open follow-up points: {}\n", r.points.len());
    for p in &r.points {
        let owner = p
            .owner
            .as_ref()
            .map_or(String::new(), |o| format!(", owner {}", cell(o.as_str())));
        let _ = writeln!(
            *out,
            "- #{} ({}{owner}) due {}{}: {}",
            p.id,
            cell(&p.meeting),
            local(tz, p.due),
            if p.overdue { " — overdue" } else { "" },
            cell(&p.text)
        );
    }

    let _ = writeln!(
        *out,
        "\n## Due in the coming two weeks (to {})\n",
        local(tz, r.coming_until)
    );
    if r.coming.is_empty() {
        out.push_str("Nothing.\n");
    }
    for c in &r.coming {
        let what = match &c.kind {
            ComingKind::Deadline { incident, milestone: m } => format!("{incident}: {} deadline", milestone(*m)),
            ComingKind::FollowUp { incident, follow_up } => format!("{incident}: follow-up {}", cell(follow_up)),
            ComingKind::Point { id } => format!("follow-up point #{id}"),
        };
        let _ = writeln!(*out, "- {} {what}", local(tz, c.at));
    }
}
