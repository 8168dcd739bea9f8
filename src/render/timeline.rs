//! The words of one timeline event, shared by the adapters: each gives how it writes an
//! instant (the console in the agreement's zone, Discord as a timestamp tag) and how it
//! defuses text users typed, and adds its own layout around the words.

use super::style::{Form, Style};
use crate::domain::agreement::Agreement;
use crate::domain::incident::{Event, TimelineEntry};
use chrono::{DateTime, Utc};

/// `1h 05m` or `45m` (of an absolute number of seconds).
pub fn hm(secs: i64) -> String {
    let secs = secs.abs();
    if secs >= 3600 {
        format!("{}h {:02}m", secs / 3600, (secs % 3600) / 60)
    } else {
        format!("{}m", secs / 60)
    }
}

/// What happened in timeline entry `e` of an incident of agreement `a` (absent when it was
/// removed), in words.
pub fn event(e: &TimelineEntry, a: Option<&Agreement>, style: &Style) -> String {
    let time = |d: DateTime<Utc>| style.at(d, Form::Long);
    let neutralise = |s: &str| style.defuse(s);
    let milestone = |m| style.locale.milestone(m);
    let t = |d: Option<DateTime<Utc>>| d.map_or("none".to_string(), time);
    let how = |h| style.locale.resolution(h);
    match &e.event {
        Event::Opened { title } => format!("opened \"{}\"", neutralise(title)),
        Event::Classified {
            priority,
            timing,
            reasons,
        } => format!(
            "classified {priority}{}: {}",
            timing.as_ref().map_or(String::new(), |t| format!(" (timing {t})")),
            neutralise(
                &reasons
                    .iter()
                    .map(|r| super::reason::cited(r, a))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        ),
        Event::Deadlines {
            response_due,
            resolution_due,
            recomputed,
        } => format!(
            "deadlines {}: response {}, resolution {}",
            if *recomputed {
                "recomputed from the original clock start"
            } else {
                "set"
            },
            t(*response_due),
            t(*resolution_due)
        ),
        Event::Acknowledged => "acknowledged".into(),
        Event::StatusUpdate { note } => format!("update: {}", neutralise(note)),
        Event::StatusPosted { seq, reminded_lead } => format!(
            "status update {seq} posted{}",
            if *reminded_lead { ", lead reminded" } else { "" }
        ),
        Event::FactsChanged { facts } => format!("facts changed: impact {}", neutralise(&facts.impact)),
        Event::PriorityChanged {
            from,
            to,
            reason,
            manual,
        } => format!(
            "priority {from} → {to}{}: {}",
            if *manual { " (override)" } else { "" },
            neutralise(&super::reason::change_reason(reason, a))
        ),
        Event::Escalated {
            milestone: m,
            level,
            role,
            manual,
            reason,
        } => format!(
            "escalated to level {level} ({}){}{}",
            neutralise(role),
            m.map_or(String::new(), |m| format!(" after the {} breach", milestone(m))),
            if *manual {
                format!(" by hand: {}", neutralise(reason.as_deref().unwrap_or_default()))
            } else {
                String::new()
            }
        ),
        Event::WarningSent { milestone: m, percent } => {
            format!("warning: {percent} % of the {} time used", milestone(*m))
        }
        Event::FollowUpDue { id } => match a.and_then(|a| a.follow_ups.iter().find(|f| &f.id == id)) {
            Some(f) => format!("follow-up {id} due: {}", neutralise(&f.what)),
            None => format!("follow-up {id} due"),
        },
        Event::Resolved { how: h, note } => format!(
            "resolved ({}){}",
            how(h),
            note.as_ref().map_or(String::new(), |n| format!(": {}", neutralise(n)))
        ),
        Event::Reopened { reason } => format!("reopened: {}", neutralise(reason)),
        Event::MilestoneMet { milestone: m, due } => {
            if e.at <= *due {
                format!("{} met on time (due {})", milestone(*m), time(*due))
            } else {
                format!(
                    "{} met late by {} wall time (due {})",
                    milestone(*m),
                    hm((e.at - *due).num_seconds()),
                    time(*due)
                )
            }
        }
        Event::MilestoneBreached { milestone: m, due } => {
            format!("{} target breached (due {})", milestone(*m), time(*due))
        }
        Event::Closed => "closed".into(),
    }
}
