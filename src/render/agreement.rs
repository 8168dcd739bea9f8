//! The words of an agreement: `/sla explain` (its priorities with their targets and its
//! escalation ladder) and `vakt agreements show` (everything loaded, section by section).

use super::msg::Msg;
use super::style::Style;
use crate::domain::agreement::{Agreement, GoalScope, Outside, Target};
use crate::domain::clock::BusinessDuration;
use crate::domain::schedule::Schedule;

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
    if only.is_none() {
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
        (Some(x), GoalScope::Overall) => format!("{x} %"),
        (Some(x), GoalScope::EachPriority) => format!("{x} % for each priority"),
    }
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
    o += &format!("\nescalation ladder (clause {}):\n", a.escalation.prov.source);
    for (i, l) in a.escalation.levels.iter().enumerate() {
        o += &format!("  {}. {} — {}\n", i + 1, l.role, l.name);
    }
    if let Some(d) = a.reports.monthly_day {
        o += &format!("\nmonthly report due by day {d} of the next month\n");
    }
    o
}
