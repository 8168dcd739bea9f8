//! The words of an agreement: `/sla explain` (its priorities with their targets and its
//! escalation ladder) and `vakt agreements show` (everything loaded, section by section).

use super::msg::Msg;
use super::style::Style;
use crate::domain::agreement::{
    Agreement, Availability, DueRule, GoalScope, Maintenance, Matrix, NotifyWhom, Outside, Period, Rule, Service,
    Shift, Target,
};
use crate::domain::clock::BusinessDuration;
use crate::domain::meeting::{Cadence, Meeting};
use crate::domain::schedule::{Schedule, weekday_name};

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
                    ("response", &goal_text(c.response, c.response_scope)),
                    ("resolution", &goal_text(c.resolution, c.resolution_scope)),
                ],
            );
        }
        s += &services(a, style);
        if !a.notifications.is_empty() {
            s += style.word(Msg::ExplainNotifications);
        }
        for n in &a.notifications {
            s += &style.say(
                Msg::ExplainNotification,
                &[
                    ("priorities", &n.priorities.join(", ")),
                    ("what", &n.what),
                    ("whom", &whom(n.to)),
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
                &[("name", &m.name), ("when", &meeting_when(m)), ("clause", &m.clause)],
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
                ("hours", &schedule_hours(sch)),
                ("clause", &sch.source),
            ],
        );
    }
    s
}

/// The hours of schedule `name`, or the name alone when it is not the agreement's.
fn named_hours(a: &Agreement, name: &str) -> String {
    a.schedule(name)
        .map_or_else(|| name.to_string(), |s| format!("{name}: {}", schedule_hours(s)))
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
                ("hours", &named_hours(a, &sv.operating)),
                ("clause", &sv.prov.source),
            ],
        );
        if let Some(r) = a.readiness(Some(&sv.id)) {
            s += &style.say(
                Msg::ExplainReadiness,
                &[("schedule", &r.name), ("hours", &schedule_hours(r))],
            );
        }
        for t in &sv.availability {
            s += &style.say(Msg::ExplainAvailability, &[("target", &availability_text(t))]);
        }
        for m in &sv.maintenance {
            s += &style.say(Msg::ExplainMaintenance, &[("rule", &maintenance_text(m))]);
        }
    }
    s
}

/// An availability target: `99.7 % of primary per month, … (clause 5)`.
pub fn availability_text(t: &Availability) -> String {
    let period = match t.period {
        Period::Month => "month",
        Period::Year => "year",
    };
    let mut s = format!("{} % of {} per {period}", t.target, t.schedule);
    if let Some(d) = t.max_downtime {
        s += &format!(", at most {d} downtime a {period}");
    }
    match (t.max_outages_month, t.max_outages_year) {
        (Some(m), Some(y)) => s += &format!(", at most {m} unplanned outages a month and {y} a year"),
        (Some(m), None) => s += &format!(", at most {m} unplanned outages a month"),
        (None, Some(y)) => s += &format!(", at most {y} unplanned outages a year"),
        (None, None) => {}
    }
    s += &format!(" (clause {})", t.prov.source);
    if let Some(r) = &t.prov.reading {
        s += &format!(" [reading: {r}]");
    }
    s
}

/// Where the annual report's availability figures of target `t` come from: the downtime the
/// target allows over a year, beside the most the text states (both with the clause), the
/// outage limits; for a monthly target, the months below it.
pub fn annual_text(t: &Availability) -> String {
    let allowed = 100.0 - t.target;
    let clause = &t.prov.source;
    let mut s = format!(
        "uptime over the year in {} against {} %; downtime allowed = {allowed:.1} % of the year's open time of {} (clause {clause})",
        t.schedule, t.target, t.schedule
    );
    match t.period {
        Period::Year => {
            if let Some(d) = t.max_downtime {
                s += &format!(
                    ", shown beside the stated maximum of {d} a year (clause {clause}); where they disagree both are shown"
                );
            }
        }
        Period::Month => s += &format!("; the months below {} % are counted (clause {clause})", t.target),
    }
    match (t.max_outages_month, t.max_outages_year) {
        (None, None) => {}
        (m, y) => {
            s += "; unplanned outages";
            if let Some(y) = y {
                s += &format!(" of the year against {y}");
            }
            if let Some(m) = m {
                s += &format!(", of the busiest month against {m}");
            }
            s += &format!(" (clause {clause})");
        }
    }
    s
}

/// A service's definition of degraded: `(available with disturbance) = answers from 3 or
/// more sources; fewer = a full outage (clause 4.9) [reading: …]`.
pub fn degraded_text(d: &crate::domain::agreement::Degraded) -> String {
    let mut s = format!(
        "(available with disturbance, counts as available) = answers from {} or more sources; fewer = a full outage, counted as downtime; /incident outage kind:degraded asks for answering:N (clause {})",
        d.min_sources, d.prov.source
    );
    if let Some(r) = &d.prov.reading {
        s += &format!(" [reading: {r}]");
    }
    s
}

/// A maintenance rule: `2h: Service window, 2 hours — 3d notice, mon-sun 00:00-07:00, …`.
pub fn maintenance_text(m: &Maintenance) -> String {
    let mut parts = vec![match &m.notice_schedule {
        Some(on) => format!("{} notice (counted on {on})", m.notice),
        None => format!("{} notice", m.notice),
    }];
    if let Some((days, w)) = &m.window {
        let days: Vec<&str> = days.iter().map(|d| &weekday_name(d)[..3]).collect();
        parts.push(format!("within {} {w}", days.join(",")));
    }
    if let Some(o) = &m.outside {
        parts.push(format!("outside {o}"));
    }
    if let Some(d) = m.max_duration {
        parts.push(format!("at most {d} long"));
    }
    if let Some(n) = m.max_per_year {
        parts.push(format!("at most {n} a year"));
    }
    let mut s = format!("{}: {} — {} (clause {})", m.id, m.name, parts.join(", "), m.prov.source);
    if let Some(r) = &m.prov.reading {
        s += &format!(" [reading: {r}]");
    }
    s
}

/// `agreements show`: the services, as `/sla explain` gives them.
fn show_services(a: &Agreement) -> String {
    let mut o = String::new();
    if !a.services.is_empty() {
        o += "\nservices (incidents name one; the main one when they name none):\n";
    }
    for sv in &a.services {
        o += &show_service(a, sv);
    }
    o
}

fn show_service(a: &Agreement, sv: &Service) -> String {
    let mut o = format!(
        "  {}{} — {} (clause {})\n      operating time: {}\n",
        sv.id,
        if sv.main { " (main)" } else { "" },
        sv.name,
        sv.prov.source,
        named_hours(a, &sv.operating)
    );
    if let Some(r) = a.readiness(Some(&sv.id)) {
        o += &format!(
            "      readiness (every clock runs on it): {}: {}\n",
            r.name,
            schedule_hours(r)
        );
    }
    for t in &sv.availability {
        o += &format!("      availability: {}\n", availability_text(t));
        o += &format!("        annual report: {}\n", annual_text(t));
    }
    for m in &sv.maintenance {
        o += &format!("      maintenance {}\n", maintenance_text(m));
    }
    if let Some(d) = &sv.degraded {
        o += &format!("      degraded {}\n", degraded_text(d));
    }
    if let Some(r) = &sv.prov.reading {
        o += &format!("      reading: {r}\n");
    }
    o
}

/// When a dated report is due: "by" or "on" its day, and where a closed day moves it.
pub fn due_text(rule: &DueRule) -> (&'static str, &'static str) {
    match rule {
        DueRule::By => ("by", "the working day before"),
        DueRule::On { closed: Shift::Before } => ("on", "the working day before"),
        DueRule::On { closed: Shift::After } => ("on", "the next working day"),
    }
}

/// `agreements show`: one dated report with its due rule, clause and reading.
fn show_report(what: &str, day: &str, rule: &DueRule, source: &Option<String>, reading: &Option<String>) -> String {
    let (word, closed) = due_text(rule);
    let mut o = format!(
        "{what} due {word} {day} (a closed day: {closed}; clause {})\n",
        source.as_deref().unwrap_or("—")
    );
    if let Some(x) = reading {
        o += &format!("  reading: {x}\n");
    }
    o
}

/// `agreements show`: the reports, each with its due rule, clause and reading.
fn show_reports(a: &Agreement) -> String {
    let r = &a.reports;
    let mut o = String::new();
    if r.monthly_day.is_some() || r.annual.is_some() {
        o += "\nreports:\n";
    }
    if let Some(d) = r.monthly_day {
        o += &show_report(
            "  monthly report",
            &format!("day {d} of the next month"),
            &r.monthly_due,
            &r.monthly_source,
            &r.monthly_reading,
        );
    }
    if let Some(md) = r.annual {
        o += &show_report(
            "  annual report",
            &format!("{md} of the next year"),
            &r.annual_due,
            &r.annual_source,
            &r.annual_reading,
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
            &[("n", &(i + 1)), ("when", &rule_when(r)), ("priority", &r.priority)],
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

/// What a rule asks of the facts: `impact users, users over 20 %, security`.
fn rule_when(r: &Rule) -> String {
    let c = &r.when;
    let mut parts = Vec::new();
    if let Some(i) = &c.impact {
        parts.push(format!("impact {}", i.join(" or ")));
    }
    if let Some(u) = c.users_over {
        parts.push(format!("users over {u} %"));
    }
    if let Some(u) = c.users_at_most {
        parts.push(format!("users at most {u} %"));
    }
    if let Some(b) = c.security {
        parts.push(if b { "security" } else { "not security" }.into());
    }
    if let Some(b) = c.workaround {
        parts.push(if b { "workaround" } else { "no workaround" }.into());
    }
    if let Some(t) = &c.timing {
        parts.push(format!("timing {}", t.join(" or ")));
    }
    if parts.is_empty() {
        "any facts".into()
    } else {
        parts.join(", ")
    }
}

/// When a meeting is held: `every 1 week(s), Mon 10:00`, or held when needed.
fn meeting_when(m: &Meeting) -> String {
    let at = match (m.weekday, m.time) {
        (Some(d), Some(t)) => format!(", {d} {}", t.format("%H:%M")),
        _ => String::new(),
    };
    let mut s = match m.cadence {
        Cadence::Weeks(1) => format!("every week{at}"),
        Cadence::Weeks(n) => format!("every {n} weeks{at}"),
        Cadence::Months(1) => format!("every month{at}"),
        Cadence::Months(n) => format!("every {n} months{at}"),
        Cadence::AsNeeded => "when needed (no reminder)".into(),
    };
    if let Some(r) = &m.reading {
        s += &format!(" [reading: {r}]");
    }
    s
}

/// Whom a notification pings.
fn whom(w: NotifyWhom) -> &'static str {
    match w {
        NotifyWhom::Escalation => "the first level of the ladder",
        NotifyWhom::Ladder => "every level of the ladder",
    }
}

fn target_text(t: &Target) -> String {
    match t {
        Target::Within {
            duration,
            schedule,
            prov,
        } => {
            let mut s = format!("{duration} on {schedule} (clause {})", prov.source);
            if let Some(r) = &prov.reading {
                s += &format!(" [reading: {r}]");
            }
            s
        }
        Target::None { why, .. } => format!("none — {why}"),
    }
}

/// When a status update falls due outside the schedule's hours.
pub fn outside(o: Outside) -> String {
    match o {
        Outside::NextOpen => "at the next opening".into(),
        Outside::NextDayAt(m) => format!("at {m} the next day"),
    }
}

/// A schedule's hours: `Mon 08:00-16:00; …; closed on holidays of no`, or `24/7`.
pub fn schedule_hours(s: &Schedule) -> String {
    if s.always {
        return "24/7".into();
    }
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut parts = Vec::new();
    for (i, w) in s.weekly.iter().enumerate() {
        if !w.is_empty() {
            let ws: Vec<String> = w.iter().map(|w| w.to_string()).collect();
            parts.push(format!("{} {}", days[i], ws.join(",")));
        }
    }
    let mut out = parts.join("; ");
    let cals: Vec<&str> = s.calendars.iter().map(|c| c.id.as_str()).collect();
    if !cals.is_empty() {
        out += &format!("; closed on holidays of {}", cals.join(", "));
    }
    if !s.extra_days.is_empty() {
        let e: Vec<&str> = s.extra_days.iter().map(|h| h.name.as_str()).collect();
        out += &format!(" and {}", e.join(", "));
    }
    if let Some(base) = &s.complement_of {
        out += &format!(
            "; all time outside {}, so open all day when its holidays close it",
            base.name
        );
    }
    for o in s.special_days.iter().chain(&s.seasons) {
        let ws: Vec<String> = o.hours.iter().map(|w| w.to_string()).collect();
        out += &format!(
            "; {}: {}",
            o.name,
            if ws.is_empty() {
                "closed".to_string()
            } else {
                ws.join(",")
            }
        );
    }
    out
}

fn goal_text(goal: Option<f64>, scope: GoalScope) -> String {
    match (goal, scope) {
        (None, _) => "—".into(),
        (Some(x), GoalScope::Overall) => format!("{x} % of all incidents together"),
        (Some(x), GoalScope::EachPriority) => format!("{x} % for each priority"),
    }
}

/// `agreements show`: the impact × timing matrix and the rules tried before it.
fn show_classification(a: &Agreement) -> String {
    let mut o = String::new();
    if let Some(m) = &a.classification.matrix {
        o += &format!(
            "\npriority = impact × timing (clause {}), impacts {}:\n",
            m.prov.source,
            m.impacts.join(", ")
        );
        for (timing, row) in &m.rows {
            o += &format!("  timing {timing}: {}\n", matrix_cells(m, row));
        }
    }
    if !a.classification.rules.is_empty() {
        o += &format!(
            "\nrules tried before the matrix, first match wins (clause {}):\n",
            a.classification.prov.source
        );
        for (i, r) in a.classification.rules.iter().enumerate() {
            o += &format!("  {}. {} → {}\n", i + 1, rule_when(r), r.priority);
        }
    }
    o
}

/// `agreements show`: the notifications on opening and the meetings.
fn show_notifications_and_meetings(a: &Agreement) -> String {
    let mut o = String::new();
    if !a.notifications.is_empty() {
        o += "\nnotifications on opening:\n";
        for n in &a.notifications {
            o += &format!(
                "  priorities {}: {} → {} (clause {})\n",
                n.priorities.join(", "),
                n.what,
                whom(n.to),
                n.prov.source
            );
        }
    }
    if !a.meetings.is_empty() {
        o += "\nmeetings:\n";
        for m in &a.meetings {
            o += &format!("  {}: {} (clause {})\n", m.name, meeting_when(m), m.clause);
        }
    }
    o
}

/// `vakt agreements show`: the agreement as loaded, section by section.
pub fn show(a: &Agreement) -> String {
    let mut o = format!("{} — {}\n", a.id, a.name);
    o += &format!(
        "source: {}, version {}, {}\n",
        a.source.title, a.source.version, a.source.date
    );
    o += &format!(
        "time zone: {}   incident ids: {}-YYYY-NNNN\n\nschedules:\n",
        a.tz, a.incident_prefix
    );
    for s in &a.schedules {
        o += &format!("  {:<16} {} (clause {})\n", s.name, schedule_hours(s), s.source);
        if let Some(r) = &s.reading {
            o += &format!("  {:<16} reading: {r}\n", "");
        }
    }
    o += "\npriorities and targets (response / resolution):\n";
    for p in &a.priorities {
        o += &format!("  {} {}: {}\n", p.id, p.name, p.description);
        if let Some(t) = a.targets_for(&p.id) {
            o += &format!(
                "      response:   {}\n      resolution: {}\n",
                target_text(&t.response),
                target_text(&t.resolution)
            );
        }
    }
    if let Some(c) = &a.compliance {
        o += &format!(
            "  compliance: response {} / resolution {} (clause {})\n",
            goal_text(c.response, c.response_scope),
            goal_text(c.resolution, c.resolution_scope),
            c.prov.source
        );
    }
    o += "\nimpact scale:\n";
    for i in &a.impacts {
        o += &format!("  {} {}: {}\n", i.id, i.name, i.description);
    }
    if let Some(t) = &a.timing {
        o += &format!("\ntiming classes (judged at clock start on {}):\n", t.schedule);
        for c in &t.classes {
            o += &format!("  {} {} (clause {})\n", c.id, c.name, c.prov.source);
        }
    }
    o += &show_classification(a);
    o += "\nstatus updates:\n";
    if a.status_updates.is_empty() {
        o += "  none\n";
    }
    for c in &a.status_updates {
        o += &format!(
            "  priorities {}: every {} within {}, outside them {} (clause {})\n",
            c.priorities.join(", "),
            BusinessDuration::Seconds(c.every),
            c.schedule,
            outside(c.outside),
            c.prov.source
        );
    }
    if !a.follow_ups.is_empty() {
        o += "\nfollow-ups:\n";
        for f in &a.follow_ups {
            o += &format!(
                "  {}: {} {} after {:?} (priorities {}, clause {})\n",
                f.id,
                f.what,
                f.after,
                f.from,
                f.priorities.join(", "),
                f.prov.source
            );
        }
    }
    if !a.repaging.is_empty() {
        o += "\nre-paging while nobody acknowledges:\n";
        for r in &a.repaging {
            o += &format!(
                "  priorities {}: every {} within {}, {} times a level, then the next level (clause {})\n",
                r.priorities.join(", "),
                BusinessDuration::Seconds(r.every),
                r.schedule,
                r.limit,
                r.prov.source
            );
        }
    }
    o += &show_services(a);
    o += &show_notifications_and_meetings(a);
    o += &format!("\nescalation ladder (clause {}):\n", a.escalation.prov.source);
    for (i, l) in a.escalation.levels.iter().enumerate() {
        o += &format!("  {}. {} — {}\n", i + 1, l.role, l.name);
    }
    if let Some(r) = &a.escalation.prov.reading {
        o += &format!("  reading: {r}\n");
    }
    o += &show_reports(a);
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

    /// Issue 16, item 17: what `/sla explain` and `agreements show` leave out of every shipped
    /// agreement: the hours of each schedule a target counts on, the matrix, the meetings,
    /// the notifications and the compliance goals with their scope.
    #[test]
    fn explain_and_show_give_hours_matrix_meetings_notifications_and_goals() {
        for id in ["altinn", "borger-dk", "difi", "inera", "ssbtek"] {
            let a = agreement(id);
            let explained = explain(a, None, &style());
            let shown = show(a);
            for out in [&explained, &shown] {
                for t in &a.targets {
                    for target in [&t.response, &t.resolution] {
                        if let Target::Within { schedule, .. } = target {
                            let s = a.schedule(schedule).expect("schedule");
                            assert!(out.contains(&schedule_hours(s)), "{id}: hours of {schedule}:\n{out}");
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
                        out.contains(&format!("{}: {}", m.name, meeting_when(m))),
                        "{id}: {}",
                        m.name
                    );
                }
                for n in &a.notifications {
                    assert!(out.contains(&n.what), "{id}: notification {}", n.what);
                }
                if let Some(c) = &a.compliance {
                    for (goal, scope) in [(c.response, c.response_scope), (c.resolution, c.resolution_scope)] {
                        assert!(out.contains(&goal_text(goal, scope)), "{id}: goal:\n{out}");
                    }
                }
            }
        }
    }

    #[test]
    fn show_prints_ssbteks_degraded_definition_with_its_clause_and_reading() {
        let a = agreement("ssbtek");
        let shown = show(a);
        let line = shown
            .lines()
            .find(|l| l.trim_start().starts_with("degraded "))
            .unwrap_or_else(|| panic!("a degraded line:\n{shown}"));
        assert!(
            line.contains("3 or more") && line.contains("clause 4.9") && line.contains("reading:"),
            "{line}"
        );
        assert!(!show(agreement("difi")).contains("available with disturbance, counts"));
    }

    #[test]
    fn show_prints_the_annual_figures_sources() {
        let shown = show(agreement("ssbtek"));
        let line = shown
            .lines()
            .find(|l| l.trim_start().starts_with("annual report: "))
            .unwrap_or_else(|| panic!("an annual line:\n{shown}"));
        for part in ["2.0 %", "62h", "12", "4", "clause 4.9.1"] {
            assert!(line.contains(part), "{part} in {line}");
        }
        let borger = show(agreement("borger-dk"));
        assert_eq!(
            borger.lines().filter(|l| l.contains("annual report: ")).count(),
            2,
            "{borger}"
        );
        assert!(borger.contains("months below 99.7 %"), "{borger}");
    }
}
