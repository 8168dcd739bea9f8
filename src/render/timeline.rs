//! The words of one timeline event, shared by the adapters: each gives how it writes an
//! instant (the console in the agreement's zone, Discord as a timestamp tag) and how it
//! defuses text users typed, and adds its own layout around the words.

use super::msg::Msg;
use super::style::{Form, Style};
use crate::domain::agreement::Agreement;
use crate::domain::classify::{Facts, Reason};
use crate::domain::incident::{EditedField, Event, Milestone, TimelineEntry};
use chrono::{DateTime, Utc};

use super::duration::wall;

/// What happened in timeline entry `e` of an incident of agreement `a` (absent when it was
/// removed), in words.
pub fn event(e: &TimelineEntry, a: Option<&Agreement>, style: &Style) -> String {
    let time = |d: DateTime<Utc>| style.at(d, Form::Long);
    let d = |s: &str| style.defuse(s);
    let milestone = |m| style.locale.milestone(m);
    let t = |o: Option<DateTime<Utc>>| o.map_or(style.word(Msg::None).to_string(), time);
    match &e.event {
        Event::Opened {
            title,
            description,
            service,
        } => {
            let service = service.as_ref().map_or(String::new(), |s| {
                style.say(Msg::TlOpenedService, &[("service", &d(s))])
            });
            let description = if description.is_empty() {
                String::new()
            } else {
                style.say(Msg::TlOpenedDescription, &[("description", &d(description))])
            };
            style.say(
                Msg::TlOpened,
                &[
                    ("title", &d(title)),
                    ("service", &service),
                    ("description", &description),
                ],
            )
        }
        Event::Classified {
            priority,
            timing,
            reasons,
        } => classified(priority, timing.as_deref(), reasons, a, style),
        Event::Deadlines {
            response_due,
            resolution_due,
            recomputed,
        } => style.say(
            if *recomputed {
                Msg::TlDeadlinesRecomputed
            } else {
                Msg::TlDeadlinesSet
            },
            &[("response", &t(*response_due)), ("resolution", &t(*resolution_due))],
        ),
        Event::Acknowledged => style.word(Msg::TlAcknowledged).into(),
        Event::StatusUpdate { note } => style.say(Msg::TlUpdate, &[("note", &d(note))]),
        Event::OutageMarked {
            kind,
            start,
            end,
            answering,
        } => style.say(
            Msg::TlOutage,
            &[
                ("kind", &outage_kind_answering(*kind, *answering, style)),
                (
                    "start",
                    &start.map_or(style.word(Msg::OutageFromOpening).to_string(), time),
                ),
                (
                    "end",
                    &end.map_or(style.word(Msg::OutageToResolution).to_string(), time),
                ),
            ],
        ),
        Event::StatusPosted { seq, reminded_lead } => style.say(
            if *reminded_lead {
                Msg::TlStatusPostedReminded
            } else {
                Msg::TlStatusPosted
            },
            &[("seq", seq)],
        ),
        Event::FactsChanged { facts, before, reason } => match before {
            Some(b) => {
                let reason = reason
                    .as_ref()
                    .map_or(String::new(), |r| style.say(Msg::TlFactsReason, &[("reason", &d(r))]));
                style.say(
                    Msg::TlFactsFromTo,
                    &[
                        ("before", &facts_text(b, style)),
                        ("after", &facts_text(facts, style)),
                        ("reason", &reason),
                    ],
                )
            }
            None => style.say(Msg::TlFacts, &[("facts", &facts_text(facts, style))]),
        },
        Event::PriorityChanged {
            from,
            to,
            reason,
            manual,
        } => style.say(
            if *manual {
                Msg::TlPriorityOverride
            } else {
                Msg::TlPriority
            },
            &[
                ("from", from),
                ("to", to),
                ("reason", &d(&super::reason::change_reason(reason, a, style.locale))),
            ],
        ),
        Event::Escalated {
            milestone: m,
            level,
            role,
            manual,
            reason,
        } => {
            // One way to name a ladder level: its body's name in the agreement (the role id
            // only when the agreement or the level is gone).
            let name = a
                .and_then(|a| a.escalation.levels.get((*level as usize).saturating_sub(1)))
                .map_or(role.as_str(), |l| l.name.as_str());
            escalated(*m, *level, name, *manual, reason.as_deref(), style)
        }
        Event::WarningSent { milestone: m, percent } => {
            style.say(Msg::TlWarning, &[("percent", percent), ("milestone", &milestone(*m))])
        }
        Event::FollowUpDue { id } => match a.and_then(|a| a.follow_ups.iter().find(|f| &f.id == id)) {
            Some(f) => style.say(Msg::TlFollowUpWhat, &[("id", id), ("what", &d(&f.what))]),
            None => style.say(Msg::TlFollowUp, &[("id", id)]),
        },
        Event::Resolved { how, note } => {
            let note = note
                .as_ref()
                .map_or(String::new(), |n| style.say(Msg::Colon, &[("text", &d(n))]));
            style.say(
                Msg::TlResolved,
                &[("how", &style.locale.resolution(how)), ("note", &note)],
            )
        }
        Event::Reopened { reason } => style.say(Msg::TlReopened, &[("reason", &d(reason))]),
        Event::MilestoneMet { milestone: m, due } => met(e.at, *m, *due, style),
        Event::MilestoneBreached { milestone: m, due } => {
            style.say(Msg::TlBreached, &[("milestone", &milestone(*m)), ("due", &time(*due))])
        }
        Event::Closed => style.word(Msg::TlClosed).into(),
        Event::FollowUpWaived { id, reason } => style.say(Msg::TlFollowUpWaived, &[("id", id), ("reason", &d(reason))]),
        Event::FollowUpDone { id } => style.say(Msg::TlFollowUpDone, &[("id", id)]),
        Event::FollowUpSoon { id, due } => style.say(
            Msg::TlFollowUpSoon,
            &[("id", id), ("due", &style.at(*due, Form::Short))],
        ),
        Event::Edited { field, before, after } => style.say(
            match field {
                EditedField::Title => Msg::TlEditedTitle,
                EditedField::Description => Msg::TlEditedDescription,
            },
            &[("before", &d(before)), ("after", &d(after))],
        ),
        Event::StatusFields { fields } => style.say(
            Msg::TlStatusFields,
            &[(
                "fields",
                &super::incident::fields(fields, style)
                    .into_iter()
                    .map(|(_, f)| f)
                    .collect::<Vec<_>>()
                    .join("; "),
            )],
        ),
        Event::Snoozed { until, reason } => {
            style.say(Msg::TlSnoozed, &[("until", &time(*until)), ("reason", &d(reason))])
        }
        Event::MarkedDuplicate { of } => style.say(Msg::TlDuplicate, &[("of", &d(of))]),
        Event::DuplicateLinked { duplicate } => style.say(Msg::TlDuplicateLinked, &[("duplicate", &d(duplicate))]),
        Event::Repaged { level, page } => style.say(Msg::TlRepaged, &[("level", level), ("page", page)]),
        Event::LeadChanged { from, to } => {
            let from = from
                .as_deref()
                .map_or(style.word(Msg::None).to_string(), |f| style.person(f, None));
            style.say(Msg::TlLead, &[("from", &from), ("to", &style.person(to, None))])
        }
    }
}

/// Facts in words: `impact users, users 30 %, security` (a flag only when set).
pub fn facts_text(f: &Facts, style: &Style) -> String {
    let mut parts = vec![style.say(Msg::FactImpact, &[("impact", &style.defuse(&f.impact))])];
    if let Some(u) = f.users_affected {
        parts.push(style.say(Msg::FactUsers, &[("users", &u)]));
    }
    if f.security {
        parts.push(style.word(Msg::FactSecurity).to_string());
    }
    if f.workaround {
        parts.push(style.word(Msg::FactWorkaround).to_string());
    }
    parts.join(", ")
}

/// The classification: priority, timing class if any, and the cited reasons.
fn classified(
    priority: &str,
    timing: Option<&str>,
    reasons: &[Reason],
    a: Option<&Agreement>,
    style: &Style,
) -> String {
    let timing = timing.map_or(String::new(), |t| style.say(Msg::TlTiming, &[("timing", &t)]));
    let reasons: Vec<String> = reasons
        .iter()
        .map(|r| super::reason::cited(r, a, style.locale))
        .collect();
    style.say(
        Msg::TlClassified,
        &[
            ("priority", &priority),
            ("timing", &timing),
            ("reasons", &style.defuse(&reasons.join("; "))),
        ],
    )
}

/// An escalation to `level` (named `name`): after which breach, or by hand and why.
fn escalated(
    m: Option<Milestone>,
    level: u32,
    name: &str,
    manual: bool,
    reason: Option<&str>,
    style: &Style,
) -> String {
    let after = m.map_or(String::new(), |m| {
        style.say(Msg::TlAfterBreach, &[("milestone", &style.locale.milestone(m))])
    });
    let by_hand = if manual {
        style.say(Msg::TlByHand, &[("reason", &style.defuse(reason.unwrap_or_default()))])
    } else {
        String::new()
    };
    style.say(
        Msg::TlEscalated,
        &[
            ("level", &level),
            ("name", &style.defuse(name)),
            ("after", &after),
            ("manual", &by_hand),
        ],
    )
}

/// A milestone met at `at`: on time, or how late.
fn met(at: DateTime<Utc>, m: Milestone, due: DateTime<Utc>, style: &Style) -> String {
    let milestone = style.locale.milestone(m);
    let due_text = style.at(due, Form::Long);
    if at <= due {
        style.say(Msg::TlMetOnTime, &[("milestone", &milestone), ("due", &due_text)])
    } else {
        style.say(
            Msg::TlMetLate,
            &[
                ("milestone", &milestone),
                ("late", &wall((at - due).num_seconds(), style.locale)),
                ("due", &due_text),
            ],
        )
    }
}

/// An outage's kind in words, with the sources answering where they were counted.
pub fn outage_kind_answering(
    kind: crate::domain::incident::OutageKind,
    answering: Option<u32>,
    style: &Style,
) -> String {
    match answering {
        Some(n) => style.say(
            Msg::OutageAnswering,
            &[("kind", &outage_kind(kind, style)), ("n", &n.to_string())],
        ),
        None => outage_kind(kind, style),
    }
}

/// An outage's kind in words.
pub fn outage_kind(kind: crate::domain::incident::OutageKind, style: &Style) -> String {
    use crate::domain::incident::OutageKind;
    style
        .word(match kind {
            OutageKind::Full => Msg::OutageFull,
            OutageKind::Degraded => Msg::OutageDegraded,
        })
        .to_string()
}
