//! The words of an agreement: `/sla explain` (its priorities with their targets and its
//! escalation ladder) and `vakt agreements show` (everything loaded, section by section).

use super::msg::{Locale, Msg, fill};
use super::style::Style;
use super::words::agreement::AgreementMsg as M;
use super::words::weekday;
use crate::domain::agreement::{
    Agreement, Availability, DueRule, FollowFrom, GoalScope, Maintenance, Matrix, NotifyWhom, Outside, Period, Rule,
    Service, Shift, Target,
};
use crate::domain::clock::BusinessDuration;
use crate::domain::meeting::{Cadence, Meeting};
use crate::domain::schedule::Schedule;
use std::fmt::Display;

fn target(t: &Target, style: &Style) -> String {
    match t {
        Target::Within {
            duration,
            schedule,
            prov,
        } => style.say(
            Msg::Within,
            &[("duration", duration), ("schedule", schedule), ("clause", &prov.source)],
        ),
        Target::None { why, .. } => style.say(Msg::NoTargetWhy, &[("why", why)]),
    }
}

/// `/sla explain`: an agreement's priorities (all, or `only` the one named) with their
/// targets (business time on the named schedule), and, for the whole agreement, its
/// escalation ladder.
pub fn explain(a: &Agreement, only: Option<&str>, style: &Style) -> String {
    let mut s = style.say(Msg::ExplainHead, &[("name", &a.name), ("id", &a.id), ("tz", &a.tz)]);
    for p in a.priorities.iter().filter(|p| only.is_none_or(|o| o == p.id)) {
        s += &style.say(
            Msg::ExplainPriority,
            &[("id", &p.id), ("name", &p.name), ("description", &p.description)],
        );
        if let Some(t) = a.targets.iter().find(|t| t.priority == p.id) {
            s += &style.say(Msg::ExplainResponse, &[("target", &target(&t.response, style))]);
            s += &style.say(Msg::ExplainResolution, &[("target", &target(&t.resolution, style))]);
        }
    }
    s += &hours(a, only, style);
    if only.is_none() {
        s += &classification(a, style);
        if let Some(c) = &a.compliance {
            s += &style.say(
                Msg::ExplainGoals,
                &[
                    ("clause", &c.prov.source),
                    ("response", &goal_text(c.response, c.response_scope, style.locale)),
                    ("resolution", &goal_text(c.resolution, c.resolution_scope, style.locale)),
                ],
            );
        }
        s += &services(a, style);
        s += &super::case_type::explain(a, style, &|t| target(t, style));
        if !a.notifications.is_empty() {
            s += style.word(Msg::ExplainNotifications);
        }
        for n in &a.notifications {
            s += &style.say(
                Msg::ExplainNotification,
                &[
                    ("priorities", &n.priorities.join(", ")),
                    ("what", &n.what),
                    ("whom", &whom(n.to, style.locale)),
                    ("clause", &n.prov.source),
                ],
            );
        }
        for r in &a.repaging {
            s += &style.say(
                Msg::ExplainRepaging,
                &[
                    ("priorities", &r.priorities.join(", ")),
                    ("every", &super::duration::wall(r.every, style.locale)),
                    ("limit", &r.limit),
                    ("schedule", &r.schedule),
                    ("clause", &r.prov.source),
                ],
            );
        }
        if !a.meetings.is_empty() {
            s += style.word(Msg::ExplainMeetings);
        }
        for m in &a.meetings {
            s += &style.say(
                Msg::ExplainMeeting,
                &[
                    ("name", &m.name),
                    ("when", &meeting_when(m, style.locale)),
                    ("clause", &m.clause),
                ],
            );
        }
        s += &style.say(Msg::Ladder, &[("clause", &a.escalation.prov.source)]);
        for (i, l) in a.escalation.levels.iter().enumerate() {
            s += &style.say(
                Msg::LadderLevel,
                &[("n", &(i + 1)), ("name", &l.name), ("role", &l.role)],
            );
        }
    }
    s
}

/// The hours of each schedule the shown priorities' targets count on (all the agreement's
/// schedules with targets when no priority is named, and those its services run and are
/// measured on), so "on platform" can be read.
fn hours(a: &Agreement, only: Option<&str>, style: &Style) -> String {
    let mut named: Vec<&str> = Vec::new();
    for t in a.targets.iter().filter(|t| only.is_none_or(|o| o == t.priority)) {
        for target in [&t.response, &t.resolution] {
            if let Target::Within { schedule, .. } = target
                && !named.contains(&schedule.as_str())
            {
                named.push(schedule);
            }
        }
    }
    if only.is_none() {
        for sv in &a.services {
            let used = [Some(&sv.operating), sv.readiness.as_ref()]
                .into_iter()
                .flatten()
                .chain(sv.availability.iter().map(|t| &t.schedule));
            for name in used {
                if !named.contains(&name.as_str()) {
                    named.push(name);
                }
            }
        }
    }
    let mut s = String::new();
    let schedules: Vec<_> = a
        .schedules
        .iter()
        .filter(|s| named.contains(&s.name.as_str()))
        .collect();
    if !schedules.is_empty() {
        s += style.word(Msg::ExplainHoursHead);
    }
    for sch in schedules {
        s += &style.say(
            Msg::ExplainHours,
            &[
                ("schedule", &sch.name),
                ("hours", &schedule_hours(sch, style.locale)),
                ("clause", &sch.source),
            ],
        );
    }
    s
}

/// The hours of schedule `name`, or the name alone when it is not the agreement's.
fn named_hours(a: &Agreement, name: &str, l: Locale) -> String {
    a.schedule(name)
        .map_or_else(|| name.to_string(), |s| format!("{name}: {}", schedule_hours(s, l)))
}

/// `/sla explain`: each service with its operating time, its own readiness, its availability
/// targets and its maintenance rules.
fn services(a: &Agreement, style: &Style) -> String {
    let mut s = String::new();
    if !a.services.is_empty() {
        s += style.word(Msg::ExplainServices);
    }
    for sv in &a.services {
        let main = if sv.main {
            style.word(Msg::ExplainServiceMain)
        } else {
            ""
        };
        s += &style.say(
            Msg::ExplainService,
            &[
                ("id", &sv.id),
                ("name", &sv.name),
                ("main", &main),
                ("hours", &named_hours(a, &sv.operating, style.locale)),
                ("clause", &sv.prov.source),
            ],
        );
        if let Some(r) = a.readiness(Some(&sv.id)) {
            s += &style.say(
                Msg::ExplainReadiness,
                &[("schedule", &r.name), ("hours", &schedule_hours(r, style.locale))],
            );
        }
        for t in &sv.availability {
            s += &style.say(
                Msg::ExplainAvailability,
                &[("target", &availability_text(t, style.locale))],
            );
        }
        for m in &sv.maintenance {
            s += &style.say(Msg::ExplainMaintenance, &[("rule", &maintenance_text(m, style.locale))]);
        }
    }
    s
}

/// Agreement message `m` in `l`, filled.
fn say(l: Locale, m: M, args: &[(&str, &dyn Display)]) -> String {
    fill(m.text(l), args)
}

/// ` (clause 5)` and, where the rule is a reading, ` [reading: …]`.
fn cite(l: Locale, clause: &str, reading: Option<&String>) -> String {
    let mut s = format!(" {}", say(l, M::Clause, &[("clause", &clause)]));
    if let Some(r) = reading {
        s += &say(l, M::Reading, &[("reading", r)]);
    }
    s
}

/// An availability target in `l`: `99.7 % of primary per month, … (clause 5)`.
pub fn availability_text(t: &Availability, l: Locale) -> String {
    let period = match t.period {
        Period::Month => M::Month,
        Period::Year => M::Year,
    }
    .text(l);
    let mut s = say(
        l,
        M::Availability,
        &[("target", &t.target), ("schedule", &t.schedule), ("period", &period)],
    );
    if let Some(d) = t.max_downtime {
        s += &say(l, M::MaxDowntime, &[("downtime", &d), ("period", &period)]);
    }
    match (t.max_outages_month, t.max_outages_year) {
        (Some(m), Some(y)) => s += &say(l, M::OutagesBoth, &[("month", &m), ("year", &y)]),
        (Some(m), None) => s += &say(l, M::OutagesMonth, &[("month", &m)]),
        (None, Some(y)) => s += &say(l, M::OutagesYear, &[("year", &y)]),
        (None, None) => {}
    }
    s + &cite(l, &t.prov.source, t.prov.reading.as_ref())
}

/// Where the annual report's availability figures of target `t` come from, in `l`: the
/// downtime the target allows over a year, beside the most the text states (both with the
/// clause), the outage limits; for a monthly target, the months below it.
pub fn annual_text(t: &Availability, l: Locale) -> String {
    let allowed = crate::render::style::decimal(100.0 - t.target, 1, l);
    let clause = &t.prov.source;
    let mut s = say(
        l,
        M::AnnualUptime,
        &[
            ("schedule", &t.schedule),
            ("target", &t.target),
            ("allowed", &allowed),
            ("clause", clause),
        ],
    );
    match t.period {
        Period::Year => {
            if let Some(d) = t.max_downtime {
                s += &say(l, M::AnnualStated, &[("max", &d), ("clause", clause)]);
            }
        }
        Period::Month => s += &say(l, M::AnnualMonths, &[("target", &t.target), ("clause", clause)]),
    }
    match (t.max_outages_month, t.max_outages_year) {
        (None, None) => {}
        (None, Some(y)) => s += &say(l, M::AnnualOutagesYear, &[("year", &y), ("clause", clause)]),
        (Some(m), None) => s += &say(l, M::AnnualOutagesMonth, &[("month", &m), ("clause", clause)]),
        (Some(m), Some(y)) => {
            s += &say(
                l,
                M::AnnualOutagesBoth,
                &[("year", &y), ("month", &m), ("clause", clause)],
            )
        }
    }
    s
}

/// A maintenance rule in `l`: `2h: Servicevindue, 2 timer — 3d notice, mon-sun 00:00-07:00, …`.
pub fn maintenance_text(m: &Maintenance, l: Locale) -> String {
    let mut parts = vec![match &m.notice_schedule {
        Some(on) => say(l, M::NoticeCounted, &[("notice", &m.notice), ("schedule", on)]),
        None => say(l, M::Notice, &[("notice", &m.notice)]),
    }];
    if let Some((days, w)) = &m.window {
        let days: Vec<&str> = days.iter().map(|d| weekday(l, d)).collect();
        parts.push(say(l, M::Within, &[("days", &days.join(",")), ("window", w)]));
    }
    if let Some(o) = &m.outside {
        parts.push(say(l, M::Outside, &[("schedule", o)]));
    }
    if let Some(d) = m.max_duration {
        parts.push(say(l, M::AtMostLong, &[("duration", &d)]));
    }
    if let Some(n) = m.max_per_year {
        parts.push(say(l, M::AtMostYear, &[("count", &n)]));
    }
    format!("{}: {} — {}", m.id, m.name, parts.join(", ")) + &cite(l, &m.prov.source, m.prov.reading.as_ref())
}

/// `agreements show`: the services, as `/sla explain` gives them.
fn show_services(a: &Agreement, l: Locale) -> String {
    let mut o = String::new();
    if !a.services.is_empty() {
        o += &format!("\n{}\n", M::Services.text(l));
    }
    for sv in &a.services {
        o += &show_service(a, sv, l);
    }
    o
}

fn show_service(a: &Agreement, sv: &Service, l: Locale) -> String {
    let main = if sv.main { M::Main.text(l) } else { "" };
    let mut o = say(
        l,
        M::ServiceLine,
        &[
            ("id", &sv.id),
            ("main", &main),
            ("name", &sv.name),
            ("clause", &sv.prov.source),
            ("hours", &named_hours(a, &sv.operating, l)),
        ],
    ) + "\n";
    if let Some(r) = a.readiness(Some(&sv.id)) {
        o += &say(
            l,
            M::Readiness,
            &[("schedule", &r.name), ("hours", &schedule_hours(r, l))],
        );
        o += "\n";
    }
    for t in &sv.availability {
        o += &say(l, M::AvailabilityLine, &[("text", &availability_text(t, l))]);
        o += "\n";
        o += &say(l, M::AnnualLine, &[("text", &annual_text(t, l))]);
        o += "\n";
    }
    for m in &sv.maintenance {
        o += &say(l, M::MaintenanceLine, &[("text", &maintenance_text(m, l))]);
        o += "\n";
    }
    if let Some(d) = &sv.degraded {
        o += &say(
            l,
            M::DegradedLine,
            &[
                ("n", &d.min_sources),
                ("cite", &cite(l, &d.prov.source, d.prov.reading.as_ref())),
            ],
        );
        o += "\n";
    }
    if let Some(r) = &sv.prov.reading {
        o += &format!("      {}\n", say(l, M::ReadingLine, &[("reading", r)]));
    }
    o
}

/// `agreements show`: one dated report with its due rule ("by" or "on" its day, and where a
/// closed day moves it), clause and reading.
fn show_report(
    what: M,
    day: &str,
    rule: &DueRule,
    source: &Option<String>,
    reading: &Option<String>,
    l: Locale,
) -> String {
    let (due, closed) = match rule {
        DueRule::By => (M::DueBy, M::WorkingDayBefore),
        DueRule::On { closed: Shift::Before } => (M::DueOn, M::WorkingDayBefore),
        DueRule::On { closed: Shift::After } => (M::DueOn, M::NextWorkingDay),
    };
    let mut o = say(
        l,
        due,
        &[
            ("what", &what.text(l)),
            ("day", &day),
            ("closed", &closed.text(l)),
            ("clause", &source.as_deref().unwrap_or("—")),
        ],
    ) + "\n";
    if let Some(x) = reading {
        o += &format!("  {}\n", say(l, M::ReadingLine, &[("reading", x)]));
    }
    o
}

/// `agreements show`: the reports, each with its due rule, clause and reading.
fn show_reports(a: &Agreement, l: Locale) -> String {
    let r = &a.reports;
    let mut o = String::new();
    if r.monthly_day.is_some() || r.annual.is_some() {
        o += &format!("\n{}\n", M::Reports.text(l));
    }
    if let Some(d) = r.monthly_day {
        o += &show_report(
            M::MonthlyReport,
            &say(l, M::DayOfNextMonth, &[("day", &d)]),
            &r.monthly_due,
            &r.monthly_source,
            &r.monthly_reading,
            l,
        );
    }
    if let Some(md) = r.annual {
        o += &show_report(
            M::AnnualReport,
            &say(l, M::OfNextYear, &[("date", &md)]),
            &r.annual_due,
            &r.annual_source,
            &r.annual_reading,
            l,
        );
    }
    o
}

/// The classification: its rules, tried first, and the impact × timing matrix.
fn classification(a: &Agreement, style: &Style) -> String {
    let c = &a.classification;
    let mut s = String::new();
    if !c.rules.is_empty() {
        s += &style.say(Msg::ExplainRules, &[("clause", &c.prov.source)]);
    }
    for (i, r) in c.rules.iter().enumerate() {
        s += &style.say(
            Msg::ExplainRule,
            &[
                ("n", &(i + 1)),
                ("when", &rule_when(r, style.locale)),
                ("priority", &r.priority),
            ],
        );
    }
    if let Some(m) = &c.matrix {
        s += &style.say(
            Msg::ExplainMatrix,
            &[("clause", &m.prov.source), ("impacts", &m.impacts.join(", "))],
        );
        for (timing, row) in &m.rows {
            s += &style.say(
                Msg::ExplainMatrixRow,
                &[("timing", timing), ("cells", &matrix_cells(m, row))],
            );
        }
    }
    s
}

/// One matrix row: `unusable → 1, partly_usable → 2, …`.
fn matrix_cells(m: &Matrix, row: &[String]) -> String {
    m.impacts
        .iter()
        .zip(row)
        .map(|(i, p)| format!("{i} → {p}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a rule asks of the facts, in `l`: `impact users, users over 20 %, security`.
fn rule_when(r: &Rule, l: Locale) -> String {
    let c = &r.when;
    let or = M::Or.text(l);
    let mut parts = Vec::new();
    if let Some(i) = &c.impact {
        parts.push(say(l, M::Impact, &[("values", &i.join(or))]));
    }
    if let Some(u) = c.users_over {
        parts.push(say(l, M::UsersOver, &[("share", &u)]));
    }
    if let Some(u) = c.users_at_most {
        parts.push(say(l, M::UsersAtMost, &[("share", &u)]));
    }
    if let Some(b) = c.security {
        parts.push(if b { M::Security } else { M::NotSecurity }.text(l).into());
    }
    if let Some(b) = c.workaround {
        parts.push(if b { M::Workaround } else { M::NoWorkaround }.text(l).into());
    }
    if let Some(t) = &c.timing {
        parts.push(say(l, M::Timing, &[("values", &t.join(or))]));
    }
    if parts.is_empty() {
        M::AnyFacts.text(l).into()
    } else {
        parts.join(", ")
    }
}

/// When a meeting is held, in `l`: `every week, Mon 10:00`, or held when needed.
fn meeting_when(m: &Meeting, l: Locale) -> String {
    let at = match (m.weekday, m.time) {
        (Some(d), Some(t)) => format!(", {} {}", weekday(l, d), t.format("%H:%M")),
        _ => String::new(),
    };
    let mut s = match m.cadence {
        Cadence::Weeks(1) => say(l, M::EveryWeek, &[("at", &at)]),
        Cadence::Weeks(n) => say(l, M::EveryWeeks, &[("n", &n), ("at", &at)]),
        Cadence::Months(1) => say(l, M::EveryMonth, &[("at", &at)]),
        Cadence::Months(n) => say(l, M::EveryMonths, &[("n", &n), ("at", &at)]),
        Cadence::AsNeeded => M::AsNeeded.text(l).into(),
    };
    if let Some(r) = &m.reading {
        s += &say(l, M::Reading, &[("reading", r)]);
    }
    s
}

/// Whom a notification pings, in `l`.
fn whom(w: NotifyWhom, l: Locale) -> &'static str {
    match w {
        NotifyWhom::Escalation => M::FirstLevel,
        NotifyWhom::Ladder => M::EveryLevel,
    }
    .text(l)
}

fn target_text(t: &Target, l: Locale) -> String {
    match t {
        Target::Within {
            duration,
            schedule,
            prov,
        } => {
            say(l, M::TargetOn, &[("duration", duration), ("schedule", schedule)])
                + &cite(l, &prov.source, prov.reading.as_ref())
        }
        Target::None { why, .. } => say(l, M::TargetNone, &[("why", why)]),
    }
}

/// When a status update falls due outside the schedule's hours, in `l`.
pub fn outside(o: Outside, l: Locale) -> String {
    match o {
        Outside::NextOpen => M::NextOpen.text(l).into(),
        Outside::NextDayAt(m) => say(l, M::NextDayAt, &[("time", &m)]),
    }
}

/// A schedule's hours in `l`: `Mon 08:00-16:00; …; closed on holidays of no`, or `24/7`.
pub fn schedule_hours(s: &Schedule, l: Locale) -> String {
    if s.always {
        return "24/7".into();
    }
    let mut parts = Vec::new();
    for (i, w) in s.weekly.iter().enumerate() {
        if !w.is_empty() {
            let ws: Vec<String> = w.iter().map(|w| w.to_string()).collect();
            let day = chrono::Weekday::try_from(i as u8).map_or("?", |d| weekday(l, d));
            parts.push(format!("{day} {}", ws.join(",")));
        }
    }
    let mut out = parts.join("; ");
    let cals: Vec<&str> = s.calendars.iter().map(|c| c.id.as_str()).collect();
    if !cals.is_empty() {
        out += &say(l, M::ClosedOnHolidays, &[("calendars", &cals.join(", "))]);
    }
    if !s.extra_days.is_empty() {
        let e: Vec<&str> = s.extra_days.iter().map(|h| h.name.as_str()).collect();
        out += &say(l, M::AndDays, &[("days", &e.join(", "))]);
    }
    if let Some(base) = &s.complement_of {
        out += &say(l, M::Complement, &[("schedule", &base.name)]);
    }
    for o in s.special_days.iter().chain(&s.seasons) {
        let ws: Vec<String> = o.hours.iter().map(|w| w.to_string()).collect();
        let hours = if ws.is_empty() {
            M::Closed.text(l).to_string()
        } else {
            ws.join(",")
        };
        out += &format!("; {}: {hours}", o.name);
    }
    out
}

fn goal_text(goal: Option<f64>, scope: GoalScope, l: Locale) -> String {
    match (goal, scope) {
        (None, _) => "—".into(),
        (Some(x), GoalScope::Overall) => say(l, M::GoalOverall, &[("goal", &x)]),
        (Some(x), GoalScope::EachPriority) => say(l, M::GoalEach, &[("goal", &x)]),
    }
}

/// `agreements show`: the impact × timing matrix and the rules tried before it.
fn show_classification(a: &Agreement, l: Locale) -> String {
    let mut o = String::new();
    if let Some(m) = &a.classification.matrix {
        o += &format!(
            "\n{}\n",
            say(
                l,
                M::MatrixHead,
                &[("clause", &m.prov.source), ("impacts", &m.impacts.join(", "))]
            )
        );
        for (timing, row) in &m.rows {
            o += &say(l, M::MatrixRow, &[("timing", timing), ("cells", &matrix_cells(m, row))]);
            o += "\n";
        }
    }
    if !a.classification.rules.is_empty() {
        o += &format!(
            "\n{}\n",
            say(l, M::RulesHead, &[("clause", &a.classification.prov.source)])
        );
        for (i, r) in a.classification.rules.iter().enumerate() {
            o += &format!("  {}. {} → {}\n", i + 1, rule_when(r, l), r.priority);
        }
    }
    o
}

/// `, asking for area, affected, eta until given` for a post with required fields.
fn asks_for(fields: &[crate::domain::incident::StatusField], l: Locale) -> String {
    if fields.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
    say(l, M::AsksFor, &[("fields", &names.join(", "))])
}

/// `agreements show`: the notifications on opening and the meetings.
fn show_notifications_and_meetings(a: &Agreement, l: Locale) -> String {
    let mut o = String::new();
    if !a.notifications.is_empty() {
        o += &format!("\n{}\n", M::Notifications.text(l));
        for n in &a.notifications {
            o += &say(
                l,
                M::NotificationLine,
                &[
                    ("priorities", &n.priorities.join(", ")),
                    ("what", &n.what),
                    ("whom", &whom(n.to, l)),
                    ("asks", &asks_for(&n.required_fields, l)),
                    ("clause", &n.prov.source),
                ],
            );
            o += "\n";
        }
    }
    if !a.meetings.is_empty() {
        o += &format!("\n{}\n", M::Meetings.text(l));
        for m in &a.meetings {
            o += &format!(
                "  {}: {} {}\n",
                m.name,
                meeting_when(m, l),
                say(l, M::Clause, &[("clause", &m.clause)])
            );
        }
    }
    o
}

/// `vakt agreements show`: the agreement as loaded, section by section, in `l`.
pub fn show(a: &Agreement, l: Locale) -> String {
    let mut o = format!("{} — {}\n", a.id, a.name);
    o += &say(
        l,
        M::Source,
        &[
            ("title", &a.source.title),
            ("version", &a.source.version),
            ("date", &a.source.date),
        ],
    );
    o += "\n";
    o += &say(l, M::Zone, &[("tz", &a.tz), ("prefix", &a.incident_prefix)]);
    o += &format!("\n\n{}\n", M::Schedules.text(l));
    for s in &a.schedules {
        o += &format!(
            "  {:<16} {} {}\n",
            s.name,
            schedule_hours(s, l),
            say(l, M::Clause, &[("clause", &s.source)])
        );
        if let Some(r) = &s.reading {
            o += &format!("  {:<16} {}\n", "", say(l, M::ReadingLine, &[("reading", r)]));
        }
    }
    o += &format!("\n{}\n", M::Priorities.text(l));
    for p in &a.priorities {
        o += &format!("  {} {}: {}\n", p.id, p.name, p.description);
        if let Some(t) = a.targets_for(&p.id) {
            o += &say(
                l,
                M::Targets,
                &[
                    ("response", &target_text(&t.response, l)),
                    ("resolution", &target_text(&t.resolution, l)),
                ],
            );
            o += "\n";
        }
    }
    if let Some(c) = &a.compliance {
        o += &say(
            l,
            M::Compliance,
            &[
                ("response", &goal_text(c.response, c.response_scope, l)),
                ("resolution", &goal_text(c.resolution, c.resolution_scope, l)),
                ("clause", &c.prov.source),
            ],
        );
        o += "\n";
    }
    o += &format!("\n{}\n", M::Impacts.text(l));
    for i in &a.impacts {
        o += &format!("  {} {}: {}\n", i.id, i.name, i.description);
    }
    if let Some(t) = &a.timing {
        o += &format!("\n{}\n", say(l, M::TimingClasses, &[("schedule", &t.schedule)]));
        for c in &t.classes {
            o += &format!(
                "  {} {} {}\n",
                c.id,
                c.name,
                say(l, M::Clause, &[("clause", &c.prov.source)])
            );
        }
    }
    o += &show_classification(a, l);
    o += &format!("\n{}\n", M::StatusUpdates.text(l));
    if a.status_updates.is_empty() {
        o += &format!("  {}\n", M::NoneWord.text(l));
    }
    for c in &a.status_updates {
        o += &say(
            l,
            M::StatusLine,
            &[
                ("priorities", &c.priorities.join(", ")),
                ("every", &BusinessDuration::Seconds(c.every)),
                ("schedule", &c.schedule),
                ("outside", &outside(c.outside, l)),
                ("asks", &asks_for(&c.required_fields, l)),
                ("clause", &c.prov.source),
            ],
        );
        o += "\n";
    }
    if !a.follow_ups.is_empty() {
        o += &format!("\n{}\n", M::FollowUps.text(l));
        for f in &a.follow_ups {
            o += &say(
                l,
                M::FollowUpLine,
                &[
                    ("id", &f.id),
                    ("what", &f.what),
                    ("after", &f.after),
                    (
                        "from",
                        &match f.from {
                            FollowFrom::Opened => M::FromOpened,
                            FollowFrom::Resolved => M::FromResolved,
                        }
                        .text(l),
                    ),
                    ("priorities", &f.priorities.join(", ")),
                    ("clause", &f.prov.source),
                ],
            );
            o += "\n";
        }
    }
    if !a.repaging.is_empty() {
        o += &format!("\n{}\n", M::Repaging.text(l));
        for r in &a.repaging {
            o += &say(
                l,
                M::RepageLine,
                &[
                    ("priorities", &r.priorities.join(", ")),
                    ("every", &BusinessDuration::Seconds(r.every)),
                    ("schedule", &r.schedule),
                    ("limit", &r.limit),
                    ("clause", &r.prov.source),
                ],
            );
            o += "\n";
        }
    }
    o += &show_services(a, l);
    o += &super::case_type::show(a, &|t| target_text(t, l), l);
    o += &show_notifications_and_meetings(a, l);
    o += &format!("\n{}\n", say(l, M::Ladder, &[("clause", &a.escalation.prov.source)]));
    for (i, lv) in a.escalation.levels.iter().enumerate() {
        o += &format!("  {}. {} — {}\n", i + 1, lv.role, lv.name);
    }
    if let Some(r) = &a.escalation.prov.reading {
        o += &format!("  {}\n", say(l, M::ReadingLine, &[("reading", r)]));
    }
    o += &show_reports(a, l);
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::agreement;
    use crate::render::Locale;
    use crate::render::style::{Marks, People, Times};
    use crate::render::text::{DISCORD_MESSAGE, Defuse};

    fn style() -> Style {
        Style {
            locale: Locale::En,
            times: Times::Local(chrono_tz::Europe::Oslo),
            people: People::Names,
            defuse: Defuse::CHAT,
            limit: DISCORD_MESSAGE,
            markdown: false,
            emoji: false,
            replies: Marks {
                done: "",
                info: "",
                item: "",
                indent: "",
                capital: false,
                cards: false,
            },
        }
    }

    /// `agreements show` and `/sla explain` in every language: every placeholder filled, and
    /// the words other than English (the agreements' own names and clauses stay as written).
    #[test]
    fn show_and_explain_speak_every_language() {
        for id in ["altinn", "borger-dk", "difi", "inera", "ssbtek"] {
            let a = agreement(id);
            let english = show(a, Locale::En);
            for l in [Locale::Nb, Locale::Da, Locale::Sv] {
                let shown = show(a, l);
                let explained = explain(a, None, &Style { locale: l, ..style() });
                for out in [&shown, &explained] {
                    assert!(!out.contains("{"), "{id} in {}:\n{out}", l.code());
                }
                assert!(!shown.contains("(clause "), "{id} in {}:\n{shown}", l.code());
                assert_ne!(shown, english);
                if std::env::var_os("VAKT_SHOW_WORDS").is_some() {
                    println!("==== {id} {}\n{shown}", l.code());
                }
            }
        }
    }

    /// Issue 16, item 17: what `/sla explain` and `agreements show` leave out of every shipped
    /// agreement: the hours of each schedule a target counts on, the matrix, the meetings,
    /// the notifications and the compliance goals with their scope.
    #[test]
    fn explain_and_show_give_hours_matrix_meetings_notifications_and_goals() {
        for id in ["altinn", "borger-dk", "difi", "inera", "ssbtek"] {
            let a = agreement(id);
            let explained = explain(a, None, &style());
            let shown = show(a, Locale::En);
            for out in [&explained, &shown] {
                for t in &a.targets {
                    for target in [&t.response, &t.resolution] {
                        if let Target::Within { schedule, .. } = target {
                            let s = a.schedule(schedule).expect("schedule");
                            assert!(
                                out.contains(&schedule_hours(s, Locale::En)),
                                "{id}: hours of {schedule}:\n{out}"
                            );
                        }
                    }
                }
                if let Some(m) = &a.classification.matrix {
                    for (_, row) in &m.rows {
                        assert!(out.contains(&matrix_cells(m, row)), "{id}: matrix row:\n{out}");
                    }
                }
                for m in &a.meetings {
                    assert!(
                        out.contains(&format!("{}: {}", m.name, meeting_when(m, Locale::En))),
                        "{id}: {}",
                        m.name
                    );
                }
                for n in &a.notifications {
                    assert!(out.contains(&n.what), "{id}: notification {}", n.what);
                }
                if let Some(c) = &a.compliance {
                    for (goal, scope) in [(c.response, c.response_scope), (c.resolution, c.resolution_scope)] {
                        assert!(out.contains(&goal_text(goal, scope, Locale::En)), "{id}: goal:\n{out}");
                    }
                }
            }
        }
    }

    #[test]
    fn show_prints_ssbteks_degraded_definition_with_its_clause_and_reading() {
        let a = agreement("ssbtek");
        let shown = show(a, Locale::En);
        let line = shown
            .lines()
            .find(|l| l.trim_start().starts_with("degraded "))
            .unwrap_or_else(|| panic!("a degraded line:\n{shown}"));
        assert!(
            line.contains("3 or more") && line.contains("clause 4.9") && line.contains("reading:"),
            "{line}"
        );
        assert!(!show(agreement("difi"), Locale::En).contains("available with disturbance, counts"));
    }

    #[test]
    fn show_prints_the_annual_figures_sources() {
        let shown = show(agreement("ssbtek"), Locale::En);
        let line = shown
            .lines()
            .find(|l| l.trim_start().starts_with("annual report: "))
            .unwrap_or_else(|| panic!("an annual line:\n{shown}"));
        for part in ["2.0 %", "62h", "12", "4", "clause 4.9.1"] {
            assert!(line.contains(part), "{part} in {line}");
        }
        let borger = show(agreement("borger-dk"), Locale::En);
        assert_eq!(
            borger.lines().filter(|l| l.contains("annual report: ")).count(),
            2,
            "{borger}"
        );
        assert!(borger.contains("months below 99.7 %"), "{borger}");
    }
}
