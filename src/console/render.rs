//! The console's wording: how a typed notice, an incident view and a timeline entry read in
//! the terminal. Everything the console prints about incidents is composed here, from data
//! the service hands over.

use crate::config::{ChatTarget, Config};
use crate::domain::agreement::Agreement;
use crate::domain::incident::{Milestone, Outcome, Resolution, TimelineEntry};
use crate::domain::meeting::MeetingPoint;
use crate::service::IncidentView;
use crate::service::notice::{IncidentSummary, Mention, Notice};
use crate::service::ports::{ChannelKind, Post};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// `Fri 2026-11-20 16:30 CET`.
pub fn time(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%a %Y-%m-%d %H:%M %Z").to_string()
}

/// `Fri 2026-11-20 16:30` (no zone: the agreement's).
fn short(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%a %Y-%m-%d %H:%M").to_string()
}

pub use crate::render::timeline::hm;

/// `45m business time left` or `overdue by 1h 05m business time`.
fn left(secs: i64) -> String {
    if secs < 0 {
        format!("overdue by {} business time", hm(secs))
    } else {
        format!("{} business time left", hm(secs))
    }
}

/// Text typed by users, shown so that it cannot ping anyone in a chat that parses mentions:
/// `@everyone`, `@here`, `<@…>`, `<@&…>` and `<#…>` get a zero-width space after `@` / `<`.
pub fn neutralise(text: &str) -> String {
    text.replace("@everyone", "@\u{200b}everyone")
        .replace("@here", "@\u{200b}here")
        .replace("<@", "<\u{200b}@")
        .replace("<#", "<\u{200b}#")
}

/// One incident of a list: id, priority, title (defused by the adapter's `neutralise`), state
/// and whether it is breaching or missed a target.
pub fn list_line(v: &IncidentView, neutralise: &dyn Fn(&str) -> String) -> String {
    let flag = match (v.breaching(), v.summary.state.is_active()) {
        (true, true) => " ⛔ breaching",
        (true, false) => " ⛔ missed a target",
        _ => "",
    };
    format!(
        "{} [{}] {} — {}{flag}",
        v.summary.id,
        v.summary.priority,
        neutralise(&v.summary.title),
        v.summary.state
    )
}

fn head(i: &IncidentSummary) -> String {
    format!("{} [{}] {}", i.id, i.priority, neutralise(&i.title))
}

fn milestone(m: Milestone) -> &'static str {
    match m {
        Milestone::Response => "response",
        Milestone::Resolution => "resolution",
    }
}

/// The notice's text (without channel and mentions).
pub fn notice(n: &Notice, tz: Tz, late_since: Option<DateTime<Utc>>) -> String {
    let late = late_since.map_or(String::new(), |t| {
        format!(" (late: was due {})", t.with_timezone(&tz).format("%Y-%m-%d %H:%M"))
    });
    match n {
        Notice::Warning {
            incident,
            milestone: m,
            percent,
            deadline,
        } => format!(
            "⚠ {}: {percent} % of the {} time used — due {} ({}){late}",
            head(incident),
            milestone(*m),
            short(*deadline, tz),
            incident
                .deadline(*m)
                .and_then(|d| d.business_left)
                .map_or(String::new(), left),
        ),
        Notice::Escalated {
            incident,
            milestone: Some(m),
            deadline,
            level,
            level_name,
            clause,
            passed,
            ..
        } => format!(
            "⛔ {}: the {} target was breached at {} — escalated to level {level}: {level_name} (clause {clause}){}{late}",
            head(incident),
            milestone(*m),
            deadline.map_or(String::new(), |d| short(d, tz)),
            match passed.as_slice() {
                [] => String::new(),
                [one] => format!("; level {one} fell due while vakt was down"),
                many => format!(
                    "; levels {} fell due while vakt was down",
                    many.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
                ),
            }
        ),
        Notice::Escalated {
            incident,
            milestone: None,
            level,
            role,
            manual,
            ..
        } => format!(
            "🚨 {}: escalated by hand to level {level} ({role}): {}{late}",
            head(incident),
            neutralise(manual.as_ref().and_then(|(_, r)| r.as_deref()).unwrap_or(""))
        ),
        Notice::Notification { incident, what, clause } => {
            if clause.is_empty() {
                format!("🚨 {}: {what}{late}", head(incident))
            } else {
                format!("🚨 {}: {what} (clause {clause}){late}", head(incident))
            }
        }
        Notice::FollowUp { incident, what, .. } => format!("📌 {}: due now — {what}{late}", head(incident)),
        Notice::Status { incident, status } => {
            let mut text = format!("📣 Status {} — {}{late}\n", head(incident), incident.state);
            for d in [&incident.response, &incident.resolution].into_iter().flatten() {
                if let Some(l) = d.business_left {
                    text += &format!("{}: due {} ({})\n", milestone(d.milestone), short(d.due, tz), left(l));
                }
            }
            text += &format!(
                "latest note: {}",
                incident.last_note.as_deref().map_or("none yet".to_string(), neutralise)
            );
            if status.remind {
                text += &format!(
                    "\nreminder: no human update since {} — {}, please post one",
                    short(status.since, tz),
                    incident
                        .lead
                        .as_ref()
                        .map_or("responders".to_string(), |l| format!("@{l}"))
                );
            }
            text
        }
        Notice::Recurring { what, .. } => format!("🗓 {what}{late}"),
        Notice::Opened { incident, actor, .. } => format!(
            "🆕 {} — opened by {}, priority {} {}{late}",
            head(incident),
            actor.name,
            incident.priority,
            incident.priority_name
        ),
        Notice::Acknowledged { incident, actor } => {
            format!("👀 {}: acknowledged by {}{late}", head(incident), actor.name)
        }
        Notice::Updated { incident, actor, note } => {
            format!(
                "📝 {}: update from {}: {}{late}",
                head(incident),
                actor.name,
                neutralise(note)
            )
        }
        Notice::PriorityChanged {
            incident,
            from,
            to,
            actor,
            reason,
            ..
        } => format!(
            "↕ {}: priority {from} → {to} {}{late}",
            head(incident),
            match (actor, reason) {
                (Some(a), Some(r)) => format!("set by {}: {}", a.name, neutralise(r)),
                (Some(a), None) => format!("by the agreement's rules, after new facts from {}", a.name),
                _ => "by the agreement's rules".to_string(),
            }
        ),
        Notice::Resolved {
            incident,
            actor,
            how,
            note,
        } => format!(
            "✅ {}: resolved ({}) by {}{}{late}",
            head(incident),
            match how {
                Resolution::Fix => "fix",
                Resolution::Workaround => "workaround",
            },
            actor.name,
            note.as_ref().map_or(String::new(), |n| format!(": {}", neutralise(n)))
        ),
        Notice::Reopened {
            incident,
            actor,
            reason,
        } => {
            format!(
                "↺ {}: reopened by {}: {}{late}",
                head(incident),
                actor.name,
                neutralise(reason)
            )
        }
        Notice::Closed { incident, actor } => format!("■ {}: closed by {}{late}", head(incident), actor.name),
        Notice::AgreementChanged {
            incident,
            response_before,
            resolution_before,
        } => {
            let t = |d: Option<DateTime<Utc>>| d.map_or("none".to_string(), |d| short(d, tz));
            format!(
                "📄 {}: the agreement changed; deadlines recomputed from the original clock start — response {} → {}, resolution {} → {}{late}",
                head(incident),
                t(*response_before),
                t(incident.response.as_ref().map(|d| d.due)),
                t(*resolution_before),
                t(incident.resolution.as_ref().map(|d| d.due)),
            )
        }
        Notice::Report {
            report,
            revision,
            changes,
            ..
        } => {
            let mut text = crate::render::report::value_markdown(report, None);
            if let Some(c) = changes.as_ref().filter(|_| *revision > 1) {
                text.push_str(&crate::render::report::revision_note(*revision, c));
            }
            format!("{text}{late}")
        }
        Notice::MeetingReminder {
            meeting,
            starts_at,
            agenda,
            points,
            ..
        } => {
            let mut text = format!("📅 Reminder: meeting \"{meeting}\" at {}{late}\n", time(*starts_at, tz));
            if !points.is_empty() {
                text.push_str("Open follow-up points (comments are due before the meeting):\n");
                for p in points {
                    text.push_str(&point_line(p, tz));
                    text.push('\n');
                }
            }
            if let Some(r) = agenda {
                text.push_str("Agenda:\n");
                text.push_str(&crate::render::report::value_markdown(r, None));
            }
            text
        }
    }
}

/// One follow-up point, its typed text neutralised so it pings no one.
pub fn point_line(p: &MeetingPoint, tz: Tz) -> String {
    let owner = p
        .owner
        .as_ref()
        .map_or(String::new(), |o| format!(", owner {}", neutralise(o.as_str())));
    let state = match &p.done {
        Some((at, by)) => format!(" — done {} by {}", time(*at, tz), neutralise(by.as_str())),
        None => String::new(),
    };
    format!(
        "#{} {} (due {}{owner}){state}",
        p.id,
        neutralise(&p.text),
        time(p.due, tz)
    )
}

/// The console's name of a channel.
pub fn channel_name(config: &Config, agreement: &str, kind: ChannelKind) -> String {
    config.agreements.get(agreement).map_or_else(
        || format!("{agreement}-{kind}"),
        |c| match kind {
            ChannelKind::Incidents => c.channels.incidents.clone(),
            ChannelKind::Status => c.channels.status.clone(),
            ChannelKind::Summary => c.channels.summary.clone(),
        },
    )
}

/// Who a post pings, as the console shows them: ladder roles mapped by the agreement's
/// `roles`, responders as their chat roles, users by id.
pub fn mentions(config: &Config, agreement: &str, ms: &[Mention]) -> Vec<String> {
    let c = config.agreements.get(agreement);
    let mut out = Vec::new();
    for m in ms {
        match m {
            Mention::Ladder { role, .. } => out.push(match c.and_then(|c| c.roles.get(role)) {
                Some(ChatTarget::Role(r) | ChatTarget::User(r)) => format!("@{r}"),
                None => format!("@{role}"),
            }),
            Mention::Responders => out.extend(c.into_iter().flat_map(|c| c.responders.iter().map(|r| format!("@{r}")))),
            Mention::User(u) => out.push(format!("@{u}")),
        }
    }
    out
}

/// A whole post as the console prints it: time, channel, text, and who is pinged.
pub fn post(config: &Config, p: &Post, tz: Tz, now: DateTime<Utc>) -> String {
    let name = channel_name(config, &p.channel.agreement, p.channel.kind);
    let text = notice(&p.notice, tz, p.late_since);
    let mut out = format!("[{}] #{name}  {}", time(now, tz), text.replace('\n', "\n    "));
    let who = mentions(config, &p.channel.agreement, &p.mentions);
    if !who.is_empty() {
        out += &format!("\n    → {}", who.join(" "));
    }
    out
}

fn deadline_line(label: &str, v: &IncidentView, m: Milestone, tz: Tz) -> String {
    let Some(d) = v.summary.deadline(m) else {
        return format!("\n    {label}: no target");
    };
    let rel = match d.outcome {
        Outcome::Pending { .. } | Outcome::Breached { .. } => match d.business_left {
            Some(l) if l < 0 => format!("overdue by {}", hm(l)),
            Some(l) => format!("{} business time left", hm(l)),
            None => "pending".into(),
        },
        Outcome::MetOnTime { .. } | Outcome::NotApplicable => "met".into(),
        Outcome::MetLate { .. } => format!(
            "met late by {} business time, {} wall time",
            hm(d.business_late.unwrap_or(0)),
            hm(d.wall_late.unwrap_or(0))
        ),
    };
    format!("\n    {label} due {} ({rel})", time(d.due, tz))
}

/// An incident as `show`, `open` and `reclassify` print it.
pub fn view(v: &IncidentView, reasons: &[String], tz: Tz) -> String {
    let i = &v.incident;
    let s = &v.summary;
    let mut out = format!(
        "{} [{} {}] {} — {}",
        s.id,
        s.priority,
        s.priority_name,
        neutralise(&s.title),
        s.state
    );
    out += &format!(
        "\n    reported {} by {}; lead: {}",
        time(i.reported_at(), tz),
        i.reporter(),
        i.lead().map_or("none", |l| l.as_str())
    );
    if s.agreement_removed {
        out += &format!(
            "\n    agreement {} (or its priority {}) is no longer loaded: deadlines as stored, no business time",
            s.agreement, s.priority
        );
    }
    out += &deadline_line("response", v, Milestone::Response, tz);
    out += &deadline_line("resolution", v, Milestone::Resolution, tz);
    if let Some(o) = i.priority_override() {
        out += &format!("\n    priority set by {}: {}", o.by, neutralise(&o.reason));
    }
    for r in reasons {
        out += &format!("\n    why: {r}");
    }
    if let Some(n) = i.last_note() {
        out += &format!("\n    latest note: {}", neutralise(n));
    }
    out
}

/// One timeline entry of an incident of agreement `a` (absent when it was removed).
pub fn entry(e: &TimelineEntry, tz: Tz, a: Option<&Agreement>) -> String {
    let style = crate::render::timeline::Style {
        time: &|d| time(d, tz),
        neutralise: &neutralise,
    };
    let what = crate::render::timeline::event(e, a, &style);
    format!(
        "    {}  {:<8} {what}",
        e.at.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
        e.actor
    )
}

/// `/sla explain`: an agreement's priorities with their targets (business time on the named
/// schedule), and its escalation ladder.
pub fn explain(a: &Agreement, only: Option<&str>) -> String {
    use crate::domain::agreement::Target;
    let mut s = format!("  ↳ {} ({}), times in {}", a.name, a.id, a.tz);
    let target = |t: &Target| match t {
        Target::Within {
            duration,
            schedule,
            prov,
        } => format!("within {duration} business time on {schedule} (clause {})", prov.source),
        Target::None { why, .. } => format!("no target ({why})"),
    };
    for p in a.priorities.iter().filter(|p| only.is_none_or(|o| o == p.id)) {
        s += &format!("\n    {} {} — {}", p.id, p.name, p.description);
        if let Some(t) = a.targets.iter().find(|t| t.priority == p.id) {
            s += &format!("\n      response {}", target(&t.response));
            s += &format!("\n      resolution {}", target(&t.resolution));
        }
    }
    if only.is_none() {
        s += &format!("\n    escalation ladder (clause {}):", a.escalation.prov.source);
        for (i, l) in a.escalation.levels.iter().enumerate() {
            s += &format!("\n      {}. {} ({})", i + 1, l.name, l.role);
        }
    }
    s
}
