//! The words of a command's reply, for every adapter: the adapter's style says how a reply is
//! marked (the console's `  ↳`, Discord's `✓` for something done), whether it starts with a
//! capital, how list items and continuation lines are set, and whether an incident is shown
//! as a card beside the text (Discord) or as its view in the text (console). Adapters call
//! [`reply`] with the reply they got; a timeline's entries (laid out and paged each adapter's
//! way) are theirs to add below the heading it writes.

use super::incident::{list_line, list_line_cut, view};
use super::msg::Msg;
use super::point::point;
pub use super::style::Marks;
use super::style::{Form, Style};
use crate::domain::agreement::Agreement;
use crate::domain::catalog::Catalog;
use crate::domain::classify::{Classified, Deadline, Deadlines};
use crate::domain::maintenance::{Breach, MaintenanceWindow};
use crate::domain::meeting::MeetingPoint;
use crate::service::views::{IncidentView, Reply};
use std::fmt::Display;

/// Which mark a reply starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Something was done.
    Done,
    /// Something is shown.
    Info,
}

/// A command's reply in words, in the adapter's `style` (its default zone; what concerns one
/// agreement is written in that agreement's zone). `catalog` supplies the agreements whose
/// names and clauses the reasons cite. For a timeline this is the heading only.
pub fn reply(reply: &Reply, catalog: &Catalog, style: &Style) -> String {
    let of = |id: &str| catalog.get(id).map(|a| a.as_ref());
    let zoned = |a: Option<&Agreement>| a.map_or(*style, |a| style.in_zone(a.tz));
    // A case cites its type's classes: the agreement as its case type sees it.
    let seen_by = |v: &IncidentView| catalog.for_incident(&v.incident).map(|a| a.as_ref());
    let why = |v: &IncidentView| super::cited_all(v.incident.reasons(), seen_by(v), style.locale);
    let its = |v: &IncidentView| zoned(of(v.incident.agreement()));
    match reply {
        Reply::Opened(v) => opened(v, &why(v), &its(v)),
        Reply::Previewed {
            agreement,
            classified,
            deadlines,
        } => {
            let reasons = super::cited_all(&classified.reasons, Some(agreement), style.locale);
            preview(classified, deadlines, &reasons, &zoned(Some(agreement)))
        }
        Reply::Acknowledged(v) => changed(Msg::ReplyAcknowledged, v, &its(v)),
        Reply::Updated(v) => changed(Msg::ReplyNoteAdded, v, &its(v)),
        Reply::Resolved(v) => changed(Msg::ReplyResolved, v, &its(v)),
        Reply::Reopened(v) => changed(Msg::ReplyReopened, v, &its(v)),
        Reply::Closed(v) => changed(Msg::ReplyClosed, v, &its(v)),
        Reply::FollowUpDone { incident, follow_up } => say(
            Msg::ReplyFollowUpDone,
            &[("id", &incident.summary.id), ("follow_up", &style.defuse(follow_up))],
            Mark::Done,
            &its(incident),
        ),
        Reply::Waived { incident, follow_up } => say(
            Msg::ReplyWaived,
            &[("id", &incident.summary.id), ("follow_up", &style.defuse(follow_up))],
            Mark::Done,
            &its(incident),
        ),
        Reply::Snoozed(v) => {
            let st = its(v);
            let until = v
                .incident
                .snoozed_until()
                .map_or(String::new(), |u| st.at(u, Form::Short));
            say(
                Msg::ReplySnoozed,
                &[("id", &v.summary.id), ("until", &until)],
                Mark::Done,
                &st,
            )
        }
        Reply::Edited(v) => changed(Msg::ReplyEdited, v, &its(v)),
        Reply::MarkedDuplicate(v) => say(
            Msg::ReplyDuplicate,
            &[
                ("id", &v.summary.id),
                ("of", &v.incident.duplicate_of().map_or("", |o| o.as_str())),
            ],
            Mark::Done,
            &its(v),
        ),
        Reply::LeadChanged(v) => say(
            Msg::ReplyLead,
            &[
                ("id", &v.summary.id),
                (
                    "lead",
                    &v.summary
                        .lead
                        .as_ref()
                        .map_or(String::new(), |l| style.person(l.as_str(), None)),
                ),
            ],
            Mark::Done,
            &its(v),
        ),
        Reply::Escalated(v) => escalated(v, seen_by(v), &its(v)),
        Reply::OutageMarked(v) => outage(v, &its(v)),
        Reply::Published { incident, count } => published(incident, *count, &its(incident)),
        Reply::Reclassified(v) => reclassified(v, &why(v), false, &its(v)),
        Reply::Overridden(v) => reclassified(v, &why(v), true, &its(v)),
        Reply::Shown(v) => shown_incident(v, &why(v), &its(v)),
        Reply::Timeline { incident, .. } => timeline_head(incident, &its(incident)),
        Reply::Listed {
            incidents,
            scope,
            page,
            more,
            ..
        } => {
            let mut text = listed(incidents, scope.as_str(), style);
            let next = page + 1;
            if *more {
                text += "\n";
                text += &say(
                    Msg::ReplyListMore,
                    &[("page", page), ("next", &next)],
                    Mark::Info,
                    style,
                );
            } else if *page > 1 {
                text += "\n";
                text += &say(Msg::ReplyListPage, &[("page", page)], Mark::Info, style);
            }
            text
        }
        Reply::Explained { agreement, priority } => {
            super::agreement::explain(agreement, priority.as_deref(), &zoned(Some(agreement)))
        }
        Reply::PointAdded(p) => point_changed(p, false, &zoned(of(p.agreement.as_str()))),
        Reply::PointDone(p) => point_changed(p, true, &zoned(of(p.agreement.as_str()))),
        Reply::Points { agreement, points: ps } => points(agreement, ps, &zoned(Some(agreement))),
        Reply::Report(n) => super::notice::notice(n, None, style),
        Reply::WindowAnnounced { agreement, window } => say(
            Msg::ReplyWindowAnnounced,
            &[("window", &window_line(window, &zoned(Some(agreement))))],
            Mark::Done,
            style,
        ),
        Reply::WindowCancelled { agreement, window } => say(
            Msg::ReplyWindowCancelled,
            &[("window", &window_line(window, &zoned(Some(agreement))))],
            Mark::Done,
            style,
        ),
        Reply::Windows { agreement, windows } => {
            if windows.is_empty() {
                return say(Msg::ReplyNoWindows, &[("agreement", &agreement.id)], Mark::Info, style);
            }
            let style = zoned(Some(agreement));
            windows
                .iter()
                .map(|w| format!("{}{}", style.replies.item, window_line(w, &style)))
                .collect::<Vec<_>>()
                .join("\n")
        }
    }
}

fn capitalised(s: String, yes: bool) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if yes && c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
        _ => s,
    }
}

/// Message `m` as a reply with mark `mark`.
pub fn say(m: Msg, args: &[(&str, &dyn Display)], mark: Mark, style: &Style) -> String {
    let lead = match mark {
        Mark::Done => style.replies.done,
        Mark::Info => style.replies.info,
    };
    format!("{lead}{}", capitalised(style.say(m, args), style.replies.capital))
}

/// An incident in a reply: its id when the adapter draws the card beside, else its view.
fn shown(v: &IncidentView, reasons: &[String], style: &Style) -> String {
    if style.replies.cards {
        v.summary.id.to_string()
    } else {
        view(v, reasons, style)
    }
}

/// `opened …`: the incident just opened.
pub fn opened(v: &IncidentView, reasons: &[String], style: &Style) -> String {
    say(
        Msg::ReplyOpened,
        &[("what", &shown(v, reasons, style))],
        Mark::Done,
        style,
    )
}

/// The incident `show` asked for.
pub fn shown_incident(v: &IncidentView, reasons: &[String], style: &Style) -> String {
    format!("{}{}", style.replies.info, shown(v, reasons, style))
}

/// `reclassified …` (`overridden`: `priority set: …`), with the incident's view.
pub fn reclassified(v: &IncidentView, reasons: &[String], overridden: bool, style: &Style) -> String {
    let m = if overridden {
        Msg::ReplyOverridden
    } else {
        Msg::ReplyReclassified
    };
    say(m, &[("what", &view(v, reasons, style))], Mark::Done, style)
}

/// A one-line answer about incident `v`: acknowledged, note added, resolved, reopened,
/// closed, escalated (`m` says which).
pub fn changed(m: Msg, v: &IncidentView, style: &Style) -> String {
    let s = &v.summary;
    let lead = style.defuse(s.lead.as_ref().map_or("", |l| l.as_str()));
    say(
        m,
        &[
            ("id", &s.id),
            ("lead", &lead),
            ("state", &style.locale.state(s.state)),
            ("level", &s.escalation_level),
        ],
        Mark::Done,
        style,
    )
}

/// `escalated to level N: <the level's body>`, named as the timeline names it (the level
/// alone when the agreement or the level is gone).
fn escalated(v: &IncidentView, a: Option<&Agreement>, style: &Style) -> String {
    let level = v.summary.escalation_level;
    let name = a
        .and_then(|a| a.escalation.levels.get((level as usize).saturating_sub(1)))
        .map_or(String::new(), |l| format!(": {}", style.defuse(&l.name)));
    say(
        Msg::ReplyEscalated,
        &[("id", &v.summary.id), ("level", &level), ("name", &name)],
        Mark::Done,
        style,
    )
}

/// What opening would do: the priority, the clock start, the deadlines and why. `reasons`
/// are the classification reasons in words.
pub fn preview(classified: &Classified, deadlines: &Deadlines, reasons: &[String], style: &Style) -> String {
    let due = |d: &Option<Deadline>| {
        d.as_ref().map_or(style.word(Msg::ReplyNoTarget).to_string(), |x| {
            style.at(x.at, Form::Long)
        })
    };
    let line = |m: Msg, args: &[(&str, &dyn Display)]| format!("\n{}{}", style.replies.indent, style.say(m, args));
    let mut s = say(
        Msg::ReplyPreview,
        &[("priority", &style.strong(&classified.priority))],
        Mark::Info,
        style,
    );
    s += &line(
        Msg::ReplyClockStart,
        &[("at", &style.at(deadlines.clock_start, Form::Long))],
    );
    s += &line(Msg::ReplyResponseDue, &[("at", &due(&deadlines.response))]);
    s += &line(Msg::ReplyResolutionDue, &[("at", &due(&deadlines.resolution))]);
    for r in reasons {
        s += &line(Msg::ReplyWhy, &[("reason", r)]);
    }
    s
}

/// The heading of an incident's timeline.
pub fn timeline_head(v: &IncidentView, style: &Style) -> String {
    say(Msg::ReplyTimeline, &[("id", &v.summary.id)], Mark::Info, style)
}

/// A list of incidents in `scope` (its choice word), one line each.
pub fn listed(incidents: &[IncidentView], scope: &str, style: &Style) -> String {
    if incidents.is_empty() {
        return say(Msg::ReplyNoIncidents, &[("scope", &scope)], Mark::Info, style);
    }
    incidents
        .iter()
        .map(|v| format!("{}{}", style.replies.item, list_line(v, style)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// [`listed`] within `max` units of the style's limit, for a list that must fit one message
/// (a Discord list page, whose buttons show the other pages): when the whole does not fit,
/// every title is cut to the longest length at which it does; should even that not do, the
/// text is cut at the end.
pub fn listed_within(incidents: &[IncidentView], scope: &str, max: usize, style: &Style) -> String {
    let limit = style.limit.with_max(max);
    let whole = listed(incidents, scope, style);
    if limit.fits(&whole) {
        return whole;
    }
    let with = |title_max: usize| {
        incidents
            .iter()
            .map(|v| format!("{}{}", style.replies.item, list_line_cut(v, Some(title_max), style)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let longest = incidents
        .iter()
        .map(|v| v.summary.title.chars().count())
        .max()
        .unwrap_or(0);
    // The longest cut that fits: fitting only gets easier as titles get shorter.
    let (mut lo, mut hi) = (0, longest);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if limit.fits(&with(mid)) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    super::text::truncate(&with(lo), limit)
}

/// The heading of one page of a list: which page it is.
pub fn list_page(page: u32, style: &Style) -> String {
    say(Msg::ReplyListPage, &[("page", &page)], Mark::Info, style)
}

/// A follow-up point just added (`done` false) or just marked done.
pub fn point_changed(p: &MeetingPoint, done: bool, style: &Style) -> String {
    let m = if done {
        Msg::ReplyPointDone
    } else {
        Msg::ReplyPointAdded
    };
    say(m, &[("point", &point(p, style))], Mark::Done, style)
}

/// The reply to `/incident publish`: the incident is on the status page now (its first
/// public text), or a public update was added (the words are the status page's table).
fn published(v: &IncidentView, count: usize, style: &Style) -> String {
    use super::msg::fill;
    use super::status::StatusMsg;
    let id = &v.summary.id;
    let text = if count <= 1 {
        fill(StatusMsg::ReplyPublishedFirst.text(style.locale), &[("id", id)])
    } else {
        fill(
            StatusMsg::ReplyPublishedUpdate.text(style.locale),
            &[("id", id), ("count", &(count - 1))],
        )
    };
    format!("{}{}", style.replies.done, capitalised(text, style.replies.capital))
}

/// An incident's outage as recorded: its kind, start and end (or "the resolution").
fn outage(v: &IncidentView, style: &Style) -> String {
    let Some((kind, start, end)) = v.incident.outage_span() else {
        return String::new();
    };
    say(
        Msg::ReplyOutage,
        &[
            ("id", &v.summary.id),
            (
                "kind",
                &super::timeline::outage_kind_answering(kind, v.incident.outage().and_then(|o| o.answering), style),
            ),
            ("start", &style.at(start, Form::Bare)),
            (
                "end",
                &end.map_or(style.word(Msg::OutageToResolution).to_string(), |e| {
                    style.at(e, Form::Bare)
                }),
            ),
        ],
        Mark::Done,
        style,
    )
}

/// A maintenance window on one line: number, service, kind, times, what is done, and what
/// a manager recorded it despite.
pub fn window_line(w: &MaintenanceWindow, style: &Style) -> String {
    let mut s = style.say(
        Msg::MaintenanceWindowLine,
        &[
            ("id", &w.id),
            ("service", &style.defuse(&w.service)),
            ("kind", &style.defuse(&w.kind)),
            ("start", &style.at(w.start, Form::Bare)),
            ("end", &style.at(w.end, Form::Bare)),
            ("description", &style.defuse(&w.description)),
        ],
    );
    if !w.breaches.is_empty() {
        let clauses: Vec<String> = w
            .breaches
            .iter()
            .map(|b| {
                let (m, schedule) = match b {
                    Breach::Notice { .. } => (Msg::BreachNotice, ""),
                    Breach::Hours { .. } => (Msg::BreachHours, ""),
                    Breach::Inside { schedule, .. } => (Msg::BreachInside, schedule.as_str()),
                    Breach::TooLong { .. } => (Msg::BreachTooLong, ""),
                    Breach::YearFull { .. } => (Msg::BreachYearFull, ""),
                };
                style.say(m, &[("clause", &b.clause()), ("schedule", &schedule)])
            })
            .collect();
        s += &style.say(
            Msg::MaintenanceWindowRecorded,
            &[
                ("breaches", &clauses.join(", ")),
                ("reason", &style.defuse(w.reason.as_deref().unwrap_or_default())),
            ],
        );
    }
    s
}

/// An agreement's open follow-up points, one line each.
pub fn points(agreement: &Agreement, points: &[MeetingPoint], style: &Style) -> String {
    if points.is_empty() {
        return say(Msg::ReplyNoPoints, &[("agreement", &agreement.id)], Mark::Info, style);
    }
    let style = style.in_zone(agreement.tz);
    points
        .iter()
        .map(|p| format!("{}{}", style.replies.item, point(p, &style)))
        .collect::<Vec<_>>()
        .join("\n")
}
