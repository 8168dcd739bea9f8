//! The words of an incident outside notices: its line in a list, its view (`show`, `open`,
//! `reclassify`), and its deadlines (the card's and the status post's deadline, the view's
//! deadline lines).

use super::duration::{business, wall};
use super::msg::Msg;
use super::style::{Form, Style};
use crate::domain::incident::{Milestone, Outcome, StatusFields};
use crate::service::notice::{DeadlineView, IncidentSummary};
use crate::service::views::IncidentView;

/// One incident of a list: id, priority, title, state, whether a deadline is breaching now
/// (passed unmet) or a target was missed (met late), and the business time left to the next
/// deadline still running.
pub fn list_line(v: &IncidentView, style: &Style) -> String {
    list_line_cut(v, None, style)
}

/// [`list_line`] with the title cut to at most `title_max` characters (ending in `…` when
/// cut; `None`: whole), for a list that must fit one message.
pub fn list_line_cut(v: &IncidentView, title_max: Option<usize>, style: &Style) -> String {
    let s = &v.summary;
    let title = match title_max {
        Some(max) if s.title.chars().count() > max => {
            let kept: String = s.title.chars().take(max.saturating_sub(1)).collect();
            format!("{}…", kept.trim_end())
        }
        _ => s.title.clone(),
    };
    let deadlines = || [&s.response, &s.resolution].into_iter().flatten();
    let running = |d: &&DeadlineView| matches!(d.outcome, Outcome::Pending { .. } | Outcome::Breached { .. });
    let flag = if s.breaching_now() {
        style.word(Msg::Breaching)
    } else if deadlines().any(|d| d.outcome.missed()) {
        style.word(Msg::MissedTarget)
    } else {
        ""
    };
    let next = deadlines()
        .filter(running)
        .filter_map(|d| d.business_left.filter(|l| *l >= 0).map(|l| (d.due, d, l)))
        .min_by_key(|(due, ..)| *due)
        .map_or(String::new(), |(_, d, l)| {
            style.say(
                Msg::ListNext,
                &[
                    ("milestone", &style.locale.milestone(d.milestone)),
                    ("time", &business(l, d.day, style.locale)),
                ],
            )
        });
    style.say(
        Msg::ListLine,
        &[
            ("id", &s.id),
            ("priority", &s.priority),
            ("title", &style.defuse(&title)),
            ("state", &style.locale.state(s.state)),
            ("flag", &flag),
            ("next", &next),
        ],
    )
}

/// ` under 2 Høy` when milestone `d` was settled under another priority than the one in
/// force (its deadline is that priority's), else nothing.
fn under(d: &DeadlineView, style: &Style) -> String {
    d.under.as_ref().map_or(String::new(), |p| {
        style.say(Msg::Under, &[("priority", p), ("name", &style.defuse(&d.under_name))])
    })
}

/// A deadline with its outcome: `<t:…:F> (<t:…:R>) — 2h 10m business time left` (on the
/// console: `Fri 2026-11-20 16:30 — 2h 10m business time left`).
pub fn deadline(d: &DeadlineView, style: &Style) -> String {
    let time = |s: i64| business(s, d.day, style.locale);
    let outcome = match d.outcome {
        Outcome::NotApplicable => style.word(Msg::NoTarget).to_string(),
        Outcome::Pending { .. } | Outcome::Breached { .. } => match d.business_left {
            // At the deadline (less than a minute over): breached, never "0m left".
            Some(l) if l < 0 && l > -60 => style.word(Msg::Breach).to_string(),
            Some(l) if l < 0 => style.say(Msg::BreachedOverdue, &[("time", &time(l))]),
            Some(l) => style.say(Msg::BusinessLeft, &[("time", &time(l))]),
            None if d.outcome.missed() => style.word(Msg::Breach).to_string(),
            None => style.word(Msg::Pending).to_string(),
        },
        Outcome::MetOnTime { .. } => style.word(Msg::MetOnTime).to_string(),
        Outcome::MetLate { .. } => style.say(Msg::MetLate, &[("time", &time(d.business_late.unwrap_or(0)))]),
    };
    let when = style.when(d.due) + &under(d, style);
    style.say(Msg::Deadline, &[("when", &when), ("outcome", &outcome)])
}

/// The view's line of milestone `m`: when it is due and where it stands.
fn deadline_line(v: &IncidentView, m: Milestone, style: &Style) -> String {
    let label = style.locale.milestone(m);
    let Some(d) = v.summary.deadline(m) else {
        return style.say(Msg::ViewNoTarget, &[("label", &label)]);
    };
    let state = match d.outcome {
        Outcome::Pending { .. } | Outcome::Breached { .. } => match d.business_left {
            Some(l) if l < 0 && l > -60 => style.word(Msg::Breach).to_string(),
            Some(l) if l < 0 => style.say(Msg::OverdueBusiness, &[("time", &business(l, d.day, style.locale))]),
            Some(l) => style.say(Msg::BusinessLeft, &[("time", &business(l, d.day, style.locale))]),
            None => style.word(Msg::Pending).to_string(),
        },
        Outcome::MetOnTime { .. } | Outcome::NotApplicable => style.word(Msg::Met).to_string(),
        Outcome::MetLate { .. } => style.say(
            Msg::MetLateBoth,
            &[
                ("business", &business(d.business_late.unwrap_or(0), d.day, style.locale)),
                ("wall", &wall(d.wall_late.unwrap_or(0), style.locale)),
            ],
        ),
    };
    style.say(
        Msg::ViewDue,
        &[
            ("label", &label),
            ("at", &(style.at(d.due, Form::Long) + &under(d, style))),
            ("state", &state),
        ],
    )
}

/// The structured status fields given, in words (`cause: a full disk`), each with its index
/// (area, affected, cause, expected resolution), texts defused.
pub fn fields(f: &StatusFields, style: &Style) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, m, v) in [
        (0, Msg::FieldArea, &f.area),
        (1, Msg::FieldAffected, &f.affected),
        (2, Msg::FieldCause, &f.cause),
    ] {
        if let Some(v) = v {
            out.push((i, style.say(m, &[("value", &style.defuse(v))])));
        }
    }
    if let Some(eta) = f.eta {
        out.push((3, style.say(Msg::FieldEta, &[("value", &style.when(eta))])));
    }
    out
}

/// An incident as `show`, `open` and `reclassify` answer it; `reasons` are the
/// classification reasons in words (see [`crate::render::cited`]).
pub fn view(v: &IncidentView, reasons: &[String], style: &Style) -> String {
    let i = &v.incident;
    let s = &v.summary;
    let mut out = style.say(
        Msg::ViewHead,
        &[
            ("id", &s.id),
            ("priority", &s.priority),
            ("name", &s.priority_name),
            ("title", &style.defuse(&s.title)),
            ("state", &style.locale.state(s.state)),
        ],
    );
    out += &style.say(
        Msg::ViewReported,
        &[
            ("at", &style.at(i.reported_at(), Form::Long)),
            ("reporter", i.reporter()),
            ("lead", &i.lead().map_or(style.word(Msg::None), |l| l.as_str())),
        ],
    );
    if let Some(service) = &s.service {
        out += &style.say(Msg::ViewService, &[("service", &style.defuse(service))]);
    }
    if !s.description.is_empty() {
        out += &style.say(Msg::ViewDescription, &[("description", &style.defuse(&s.description))]);
    }
    if s.agreement_removed {
        out += &style.say(Msg::ViewRemoved, &[("removed", &removed(s, style))]);
    }
    out += &deadline_line(v, Milestone::Response, style);
    out += &deadline_line(v, Milestone::Resolution, style);
    if let Some(o) = i.priority_override() {
        out += &style.say(
            Msg::ViewOverride,
            &[("by", &o.by), ("reason", &style.defuse(&o.reason))],
        );
    }
    for r in reasons {
        out += &style.say(Msg::ViewWhy, &[("reason", r)]);
    }
    if let Some(n) = i.last_note() {
        out += &style.say(Msg::ViewNote, &[("note", &style.defuse(n))]);
    }
    let latest = i.latest_fields();
    for (k, f) in fields(&latest.fields, style) {
        if let Some(at) = latest.at[k] {
            out += &style.say(Msg::ViewField, &[("field", &f), ("at", &style.at(at, Form::Short))]);
        }
    }
    if let Some(of) = i.duplicate_of() {
        out += &style.say(Msg::ViewDuplicate, &[("of", of)]);
    }
    out
}

/// `ssbtek (or its priority 1) is no longer loaded: …`.
fn removed(i: &IncidentSummary, style: &Style) -> String {
    style.say(
        Msg::AgreementRemoved,
        &[("agreement", &i.agreement), ("priority", &i.priority)],
    )
}

/// One field of an incident card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardField {
    pub label: &'static str,
    /// Its text.
    pub value: String,
    /// Whether the value is short (a word or two), so fields may stand side by side.
    pub short: bool,
}

/// The words of an incident card: title, footer and fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// `SSB-2026-0001 — Title`.
    pub title: String,
    /// `Agreement ssbtek · vakt`.
    pub footer: String,
    /// Priority (with its name and why), state, lead, escalation, the deadlines, a removed
    /// agreement, the latest update.
    pub fields: Vec<CardField>,
}

/// The incident card's words; `reasons` are the classification reasons in words.
pub fn card(i: &IncidentSummary, reasons: &[String], style: &Style) -> Card {
    let field = |label: Msg, value: String, short: bool| CardField {
        label: style.word(label),
        value,
        short,
    };
    let mut priority = style.say(
        Msg::CardPriorityValue,
        &[("priority", &i.priority), ("name", &style.defuse(&i.priority_name))],
    );
    for r in reasons {
        priority += &style.say(Msg::CardReason, &[("reason", &style.defuse(r))]);
    }
    let none_yet = || style.word(Msg::NoneYet).to_string();
    let mut fields = vec![
        field(Msg::CardPriority, priority, false),
        field(Msg::CardState, style.locale.state(i.state).to_string(), true),
        field(
            Msg::CardLead,
            i.lead
                .as_ref()
                .map_or_else(none_yet, |l| style.person(l.as_str(), None)),
            true,
        ),
        field(
            Msg::CardEscalation,
            if i.escalation_level == 0 {
                style.word(Msg::NotEscalated).to_string()
            } else {
                style.say(Msg::Level, &[("level", &i.escalation_level)])
            },
            true,
        ),
    ];
    for (label, d) in [(Msg::CardResponse, &i.response), (Msg::CardResolution, &i.resolution)] {
        let value = d
            .as_ref()
            .map_or_else(|| style.word(Msg::NoTarget).to_string(), |d| deadline(d, style));
        fields.push(field(label, value, false));
    }
    if let Some(service) = &i.service {
        fields.push(field(Msg::CardService, style.defuse(service), true));
    }
    if !i.description.is_empty() {
        fields.push(field(Msg::CardDescription, style.defuse(&i.description), false));
    }
    if i.agreement_removed {
        fields.push(field(Msg::CardAgreement, removed(i, style), false));
    }
    let latest = i.last_note.as_deref().map_or_else(none_yet, |n| style.defuse(n));
    fields.push(field(Msg::CardLatest, latest, false));
    // The latest of each structured field, with its age (a relative time where the adapter
    // has one, which the reader's client keeps current; else when it was given).
    let status: Vec<String> = self::fields(&i.latest.fields, style)
        .into_iter()
        .filter_map(|(k, f)| {
            let at = i.latest.at[k]?;
            let at = style.relative(at).unwrap_or_else(|| style.at(at, Form::Short));
            Some(style.say(Msg::CardFieldGiven, &[("field", &f), ("at", &at)]))
        })
        .collect();
    if !status.is_empty() {
        fields.push(field(Msg::CardStatus, status.join("\n"), false));
    }
    Card {
        title: style.say(Msg::CardTitle, &[("id", &i.id), ("title", &style.defuse(&i.title))]),
        footer: style.say(Msg::CardFooter, &[("agreement", &i.agreement)]),
        fields,
    }
}
