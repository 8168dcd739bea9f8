//! Markdown of the reports: headings, tables and lists, in a locale
//! ([`crate::render::words::report::ReportMsg`]).

use super::{business_duration, duration, local, priority_label};
use crate::render::msg::{Locale, fill};
use crate::render::style::decimal;
use crate::render::text::{Defuse, defuse};
use crate::render::words::report::ReportMsg as M;
use std::fmt::Display;

/// Report message `m` in `l`, filled.
fn say(l: Locale, m: M, args: &[(&str, &dyn Display)]) -> String {
    fill(m.text(l), args)
}

/// Typed text as a table cell that pings no one.
fn cell(s: &str) -> String {
    defuse(s, Defuse::TABLE_CELL)
}
use crate::domain::agreement::Agreement;
use crate::domain::availability::AvailabilityItem;
use crate::domain::ids::IncidentId;
use crate::domain::incident::Milestone;
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

fn pct(c: &ComplianceFigure, l: Locale) -> String {
    match c.percent {
        None => "—".into(),
        Some(p) => format!("{} %", decimal(p, 1, l)),
    }
}

fn goal(c: &ComplianceFigure, l: Locale) -> String {
    match (c.goal, c.goal_met) {
        (None, _) => "—".into(),
        (Some(g), Some(true)) => say(l, M::GoalMet, &[("goal", &g)]),
        (Some(g), Some(false)) => say(l, M::GoalNotMet, &[("goal", &g)]),
        (Some(g), None) => format!("{g} %"),
    }
}

/// The milestone's word.
fn milestone(m: Milestone, l: Locale) -> &'static str {
    l.milestone(m)
}

fn opt_dur(v: Option<i64>, l: Locale) -> String {
    v.map_or("—".into(), |v| duration(v, l))
}

fn compliance_table(out: &mut String, a: Option<&Agreement>, f: &Figures, l: Locale) {
    out.push_str(M::ComplianceHead.text(l));
    out.push('\n');
    out.push_str("|---|---:|---:|---:|---|---:|---:|---:|---|\n");
    let mut line = |label: String, r: &ComplianceFigure, s: &ComplianceFigure, rt: bool, st: bool| {
        let cell = |t: bool, v: String| if t { v } else { M::NoTarget.text(l).into() };
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(rt, r.within.len().to_string()),
            cell(rt, r.outside.len().to_string()),
            cell(rt, pct(r, l)),
            goal(r, l),
            cell(st, s.within.len().to_string()),
            cell(st, s.outside.len().to_string()),
            cell(st, pct(s, l)),
            goal(s, l),
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
    line(
        format!("**{}**", M::All.text(l)),
        &f.response,
        &f.resolution,
        true,
        true,
    );
}

fn times_table(out: &mut String, a: Option<&Agreement>, f: &Figures, l: Locale) {
    out.push_str(M::TimesHead.text(l));
    out.push('\n');
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let mut line = |label: String, r: &TimeStats, s: &TimeStats| {
        let max = |t: &TimeStats| match (&t.max, &t.max_incident) {
            (Some(m), Some(i)) => format!("{} ({i})", duration(*m, l)),
            _ => "—".into(),
        };
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.count,
            opt_dur(r.median, l),
            opt_dur(r.p90, l),
            max(r),
            s.count,
            opt_dur(s.median, l),
            opt_dur(s.p90, l),
            max(s),
        );
    };
    for p in &f.priorities {
        line(priority_label(a, &p.priority), &p.response_times, &p.resolution_times);
    }
    line(
        format!("**{}**", M::All.text(l)),
        &f.response_times,
        &f.resolution_times,
    );
}

fn breaches_table(out: &mut String, a: Option<&Agreement>, tz: Tz, f: &[crate::domain::report::Breach], l: Locale) {
    if f.is_empty() {
        out.push_str(M::NoBreaches.text(l));
        out.push('\n');
        return;
    }
    out.push_str(M::BreachesHead.text(l));
    out.push('\n');
    out.push_str("|---|---|---|---|---|---:|---:|---:|\n");
    for b in f {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            b.incident,
            priority_label(a, &b.priority),
            milestone(b.milestone, l),
            local(tz, b.due),
            b.met_at.map_or(M::NotYet.text(l).into(), |t| local(tz, t)),
            business_duration(a, &b.priority, b.milestone, b.late_business, l),
            duration(b.late_wall, l),
            b.level,
        );
    }
}

fn counted_lists(out: &mut String, a: Option<&Agreement>, f: &Figures, l: Locale) {
    for p in &f.priorities {
        if p.response.counted() + p.resolution.counted() + p.opened.len() + p.resolved.len() == 0 {
            continue;
        }
        let line = say(
            l,
            M::Counted,
            &[
                ("priority", &priority_label(a, &p.priority)),
                ("opened", &ids(&p.opened)),
                ("resolved", &ids(&p.resolved)),
                ("response_within", &ids(&p.response.within)),
                ("response_outside", &ids(&p.response.outside)),
                ("resolution_within", &ids(&p.resolution.within)),
                ("resolution_outside", &ids(&p.resolution.outside)),
            ],
        );
        let _ = writeln!(out, "{line}");
    }
}

fn figures_body(out: &mut String, a: Option<&Agreement>, tz: Tz, f: &Figures, l: Locale) {
    let _ = writeln!(out, "\n{}\n", M::HWithin.text(l));
    compliance_table(out, a, f, l);
    if let Some(src) = &f.goal_source {
        let _ = writeln!(out, "\n{}", say(l, M::GoalsClause, &[("clause", src)]));
    } else {
        let _ = writeln!(out, "\n{}", M::NoGoal.text(l));
    }
    let _ = writeln!(out, "\n{}\n", M::HTimes.text(l));
    times_table(out, a, f, l);
    let _ = writeln!(
        out,
        "\n{}\n\n{}",
        say(l, M::HEscalated, &[("count", &f.escalated.len())]),
        ids(&f.escalated)
    );
    let _ = writeln!(
        out,
        "\n{}\n\n{}",
        say(l, M::HSecurity, &[("count", &f.security.len())]),
        ids(&f.security)
    );
    let fu = &f.follow_ups;
    if fu.done_on_time + fu.done_late + fu.waived + fu.open > 0 {
        let _ = writeln!(
            out,
            "\n{}\n\n{}",
            M::HFollowUpsDue.text(l),
            say(
                l,
                M::FollowUpCounts,
                &[
                    ("on_time", &fu.done_on_time),
                    ("late", &fu.done_late),
                    ("waived", &fu.waived),
                    ("open", &fu.open),
                ],
            )
        );
    }
    let _ = writeln!(out, "\n{}\n", say(l, M::HBreaches, &[("count", &f.breaches.len())]));
    breaches_table(out, a, tz, &f.breaches, l);
    let _ = writeln!(out, "\n{}\n", M::HCounted.text(l));
    counted_lists(out, a, f, l);
}

/// The monthly SLA report as Markdown, in `l`.
pub fn monthly_markdown(r: &MonthlyReport, a: Option<&Agreement>, l: Locale) -> String {
    let tz = zone(&r.zone);
    let f = &r.figures;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}\n",
        say(
            l,
            M::MonthlyTitle,
            &[("month", &r.month), ("title", &title(a, &r.agreement))]
        )
    );
    let _ = writeln!(
        out,
        "{}",
        say(
            l,
            M::MonthlyPeriod,
            &[
                ("from", &local(tz, f.from)),
                ("to", &local(tz, f.to)),
                ("zone", &r.zone),
                ("as_of", &local(tz, f.as_of)),
                ("count", &r.sources.len()),
            ],
        )
    );
    figures_body(&mut out, a, tz, f, l);
    availability(&mut out, &r.availability, tz, false, l);
    crate::render::case_type::report_table(&mut out, &r.case_types, l);
    out
}

/// Hours with two decimals, from seconds.
fn hours(s: i64, l: Locale) -> String {
    format!(
        "{} {}",
        decimal(s as f64 / 3600.0, 2, l),
        crate::render::duration::hour_unit(l)
    )
}

/// A report's availability per service and schedule measured (when the agreement sets
/// any): uptime against the target, downtime against what the target and the text allow,
/// the windows excluded, and unplanned outages against their limits. The annual report adds
/// the months measured below a monthly target and the month with the most outages (its
/// count stands as the month's figure).
fn availability(out: &mut String, items: &[AvailabilityItem], tz: Tz, annual: bool, l: Locale) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}\n", M::HAvailability.text(l));
    let (head, extra_rule) = if annual {
        (M::AvailabilityHeadAnnual, "---:|---|")
    } else {
        (M::AvailabilityHead, "")
    };
    out.push_str(head.text(l));
    out.push('\n');
    let _ = writeln!(
        *out,
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|{extra_rule}---|"
    );
    for i in items {
        let uptime = i
            .percent()
            .map_or("—".to_string(), |p| format!("{} %", decimal(p, 3, l)));
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
            hours(i.down, l),
            hours(i.allowed_by_target, l),
            i.max_downtime.map_or("—".to_string(), |h| hours(h, l)),
            hours(i.excluded, l),
            i.outages_month,
            i.outages_year,
            cell(&i.clause)
        );
    }
}

/// The annual report as Markdown, in `l`: a table of the months, then the year's figures.
pub fn annual_markdown(r: &AnnualReport, a: Option<&Agreement>, l: Locale) -> String {
    let tz = zone(&r.zone);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}\n",
        say(
            l,
            M::AnnualTitle,
            &[("year", &r.year), ("title", &title(a, &r.agreement))]
        )
    );
    let _ = writeln!(
        out,
        "{}\n",
        say(
            l,
            M::AnnualAsOf,
            &[("as_of", &local(tz, r.overall.as_of)), ("zone", &r.zone)]
        )
    );
    let _ = writeln!(out, "{}\n", M::HMonths.text(l));
    out.push_str(M::MonthsHead.text(l));
    out.push('\n');
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let mut row = |label: String, f: &Figures| {
        let opened: usize = f.priorities.iter().map(|p| p.opened.len()).sum();
        let resolved: usize = f.priorities.iter().map(|p| p.resolved.len()).sum();
        let _ = writeln!(
            out,
            "| {label} | {opened} | {resolved} | {} / {} | {} | {} / {} | {} | {} | {} | {} |",
            f.response.within.len(),
            f.response.outside.len(),
            pct(&f.response, l),
            f.resolution.within.len(),
            f.resolution.outside.len(),
            pct(&f.resolution, l),
            f.escalated.len(),
            f.security.len(),
            f.breaches.len()
        );
    };
    for m in &r.months {
        row(m.month.to_string(), &m.figures);
    }
    row(format!("**{}**", r.year), &r.overall);
    let _ = writeln!(out, "\n{}", M::HYear.text(l));
    figures_body(&mut out, a, tz, &r.overall, l);
    crate::render::case_type::report_table(&mut out, &r.case_types, l);
    availability(&mut out, &r.availability, tz, true, l);
    out
}

/// Time left to milestone `m` of an incident of `priority`: business and wall time.
fn left(a: Option<&Agreement>, priority: &str, m: Milestone, left: &Option<TimeLeft>, l: Locale) -> (String, String) {
    let business = |secs: i64| business_duration(a, priority, m, secs, l);
    let overdue = |time: String| say(l, M::Overdue, &[("time", &time)]);
    match left {
        None => (M::Met.text(l).into(), M::Met.text(l).into()),
        Some(t) if t.wall_left < 0 || t.business_left < 0 => (
            overdue(business(-t.business_left.min(0))),
            overdue(duration(-t.wall_left.min(0), l)),
        ),
        Some(t) => (business(t.business_left), duration(t.wall_left, l)),
    }
}

/// The weekly summary as Markdown, in `l`.
pub fn weekly_markdown(r: &WeeklyReport, a: Option<&Agreement>, l: Locale) -> String {
    let tz = zone(&r.zone);
    let f = &r.figures;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}\n",
        say(
            l,
            M::WeeklyTitle,
            &[("week", &r.week), ("title", &title(a, &r.agreement))]
        )
    );
    let _ = writeln!(
        out,
        "{}",
        say(
            l,
            M::WeeklyPeriod,
            &[
                ("from", &local(tz, f.from)),
                ("to", &local(tz, f.to)),
                ("zone", &r.zone),
                ("as_of", &local(tz, f.as_of)),
            ],
        )
    );

    let _ = write!(
        out,
        "\n{}\n\n{}\n|---|---:|---:|---|---|\n",
        M::HOpenedResolved.text(l),
        M::OpenedResolvedHead.text(l)
    );
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

    let _ = writeln!(out, "\n{}\n", say(l, M::HOpen, &[("count", &r.open.len())]));
    if !r.open.is_empty() {
        out.push_str(M::OpenHead.text(l));
        out.push_str("\n|---|---|---|---:|---:|---:|---:|---:|\n");
        for o in &r.open {
            let (rb, rw) = left(a, &o.priority, Milestone::Response, &o.response, l);
            let (sb, sw) = left(a, &o.priority, Milestone::Resolution, &o.resolution, l);
            let state = l.state(o.state);
            let _ = writeln!(
                out,
                "| {} | {} | {state} | {} | {rb} | {rw} | {sb} | {sw} |",
                o.incident,
                priority_label(a, &o.priority),
                o.level
            );
        }
    }

    let _ = writeln!(out, "\n{}\n", say(l, M::HBreachesWeek, &[("count", &r.breaches.len())]));
    breaches_table(&mut out, a, tz, &r.breaches, l);

    let _ = writeln!(out, "\n{}\n", say(l, M::HComplianceSoFar, &[("month", &r.month)]));
    compliance_table(&mut out, a, &r.month_to_date, l);

    status_and_follow_ups(&mut out, r, a, tz, l);
    points_and_coming(&mut out, r, tz, l);
    maintenance_windows(&mut out, r, tz, l);
    // A week lists the case types that had something in it; a month or a year every one.
    let busy = r.case_types.iter().filter(|t| !t.is_quiet());
    crate::render::case_type::report_table(&mut out, busy, l);
    out
}

/// The weekly summary's maintenance windows, this week and the coming two (when any).
fn maintenance_windows(out: &mut String, r: &WeeklyReport, tz: Tz, l: Locale) {
    if r.maintenance.is_empty() {
        return;
    }
    let _ = writeln!(*out, "\n{}\n", M::HMaintenance.text(l));
    for w in &r.maintenance {
        let despite = if w.breaks.is_empty() {
            String::new()
        } else {
            let clauses: Vec<String> = w.breaks.iter().map(|c| say(l, M::Clause, &[("clause", c)])).collect();
            say(l, M::RecordedDespite, &[("clauses", &clauses.join(", "))])
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
fn status_and_follow_ups(out: &mut String, r: &WeeklyReport, a: Option<&Agreement>, tz: Tz, l: Locale) {
    let _ = writeln!(*out, "\n{}\n", M::HStatus.text(l));
    if r.status_updates.is_empty() {
        let _ = writeln!(*out, "{}", M::NoneDue.text(l));
    } else {
        let _ = writeln!(*out, "{}\n|---|---|---:|---:|---:|", M::StatusHead.text(l));
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

    let _ = writeln!(*out, "\n{}\n", M::HFollowUpsWeek.text(l));
    if r.follow_ups.is_empty() {
        let _ = writeln!(*out, "{}", M::NoneAtAll.text(l));
    } else {
        let _ = writeln!(*out, "{}\n|---|---|---|---|", M::FollowUpHead.text(l));
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
                    (Some(FollowUpSettled::OnTime), ..) => M::DoneOnTime,
                    (Some(FollowUpSettled::Late), ..) => M::DoneLate,
                    (Some(FollowUpSettled::Waived), ..) | (None, false, true) => M::Waived,
                    (None, true, _) => M::Yes,
                    (None, false, false) => M::No,
                }
                .text(l)
            );
        }
    }
}

/// The weekly summary's open follow-up points and what falls due in the coming two weeks.
fn points_and_coming(out: &mut String, r: &WeeklyReport, tz: Tz, l: Locale) {
    let _ = writeln!(*out, "\n{}\n", say(l, M::HPoints, &[("count", &r.points.len())]));
    for p in &r.points {
        let owner = p.owner.as_ref().map_or(String::new(), |o| {
            say(l, M::PointOwner, &[("owner", &cell(o.as_str()))])
        });
        let line = say(
            l,
            M::PointLine,
            &[
                ("id", &p.id),
                ("meeting", &cell(&p.meeting)),
                ("owner", &owner),
                ("due", &local(tz, p.due)),
                ("overdue", &if p.overdue { M::PointOverdue.text(l) } else { "" }),
                ("text", &cell(&p.text)),
            ],
        );
        let _ = writeln!(*out, "{line}");
    }

    let _ = writeln!(
        *out,
        "\n{}\n",
        say(l, M::HComing, &[("until", &local(tz, r.coming_until))])
    );
    if r.coming.is_empty() {
        let _ = writeln!(*out, "{}", M::Nothing.text(l));
    }
    for c in &r.coming {
        let what = match &c.kind {
            ComingKind::Deadline { incident, milestone: m } => say(
                l,
                M::ComingDeadline,
                &[("incident", incident), ("milestone", &milestone(*m, l))],
            ),
            ComingKind::FollowUp { incident, follow_up } => say(
                l,
                M::ComingFollowUp,
                &[("incident", incident), ("follow_up", &cell(follow_up))],
            ),
            ComingKind::Point { id } => say(l, M::ComingPoint, &[("id", id)]),
        };
        let _ = writeln!(*out, "- {} {what}", local(tz, c.at));
    }
}
