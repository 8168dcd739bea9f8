//! Discord's wording and layout of every [`Notice`]: the incident card (an embed with its
//! buttons), the posts in the incident's thread (status, timeline, warnings, escalations) and
//! the rest, in English like the console's.
//!
//! Discord's limits hold by construction: message content ≤ 2000, embed title ≤ 256, field
//! value ≤ 1024, ≤ 25 fields, ≤ 6000 characters per embed, custom ids ≤ 100 (counted in
//! UTF-16 units, as Discord counts). Longer text is cut with an ellipsis; long lists are
//! paged with [`page`]. Text typed by users is defused with [`neutralise`] wherever it is
//! shown, and who is pinged is never decided here: the chat lists the exact roles and users
//! in `allowed_mentions` (see [`super::chat`]).

use super::custom_id::{self, CardAction};
use crate::domain::agreement::Agreement;
use crate::domain::incident::{Milestone, Outcome, Resolution, State, TimelineEntry};
use crate::service::notice::{DeadlineView, IncidentSummary, Notice};
use chrono::{DateTime, Utc};
use serenity::all::{ButtonStyle, Colour, CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter, Timestamp};

/// Longest message content.
pub const MAX_CONTENT: usize = 2000;
/// Longest embed title.
pub const MAX_TITLE: usize = 256;
/// Longest embed description.
pub const MAX_DESCRIPTION: usize = 4096;
/// Longest embed field name.
pub const MAX_FIELD_NAME: usize = 256;
/// Longest embed field value.
pub const MAX_FIELD: usize = 1024;
/// Most fields in an embed.
pub const MAX_FIELDS: usize = 25;
/// Most characters across an embed's title, description, fields and footer.
pub const MAX_EMBED_TOTAL: usize = 6000;
/// Longest footer text.
pub const MAX_FOOTER: usize = 2048;

/// Length as Discord counts it (UTF-16 code units).
pub fn len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// `s` cut to at most `max` (UTF-16 units), ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if len(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let l = c.len_utf16();
        if used + l + 1 > max {
            break;
        }
        out.push(c);
        used += l;
    }
    out.push('…');
    out
}

/// Lines joined into pages of at most `limit` (UTF-16 units) each, in order; a single line
/// longer than `limit` is cut with an ellipsis. No lines, no pages.
pub fn page(lines: &[String], limit: usize) -> Vec<String> {
    let mut pages = Vec::new();
    let mut cur = String::new();
    for line in lines {
        let line = truncate(line, limit);
        if !cur.is_empty() && len(&cur) + 1 + len(&line) > limit {
            pages.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push('\n');
        }
        cur.push_str(&line);
    }
    if !cur.is_empty() {
        pages.push(cur);
    }
    pages
}

/// Text typed by users, defused so Discord shows it without parsing a mention: `@everyone`,
/// `@here`, `<@…>`, `<@&…>`, `<#…>` get a zero-width space after `@` / `<`.
pub fn neutralise(text: &str) -> String {
    text.replace("@everyone", "@\u{200b}everyone")
        .replace("@here", "@\u{200b}here")
        .replace("<@", "<\u{200b}@")
        .replace("<#", "<\u{200b}#")
}

/// Whether `s` is a Discord snowflake (a user, role or channel id).
pub fn is_snowflake(s: &str) -> bool {
    s.trim() == s && crate::config::snowflake(s).is_some()
}

/// A person as Discord shows them: a user mention (`<@id>`, which only pings when the post
/// lists the user in `allowed_mentions`) for a Discord id, else the name, defused.
pub fn person(id: &str) -> String {
    if is_snowflake(id) {
        format!("<@{id}>")
    } else {
        neutralise(id)
    }
}

/// `<t:…:F>` (full date and time in the reader's zone).
pub fn full(t: DateTime<Utc>) -> String {
    format!("<t:{}:F>", t.timestamp())
}

/// `<t:…:R>` (relative: "in 2 hours").
pub fn relative(t: DateTime<Utc>) -> String {
    format!("<t:{}:R>", t.timestamp())
}

pub use crate::render::timeline::hm;

fn milestone(m: Milestone) -> &'static str {
    match m {
        Milestone::Response => "response",
        Milestone::Resolution => "resolution",
    }
}

/// A deadline with its outcome: `<t:…:F> (<t:…:R>) — 2h 10m business time left`.
pub fn deadline(d: &DeadlineView) -> String {
    let outcome = match d.outcome {
        Outcome::NotApplicable => "no target".to_string(),
        Outcome::Pending { .. } | Outcome::Breached { .. } => match d.business_left {
            Some(l) if l < 0 => format!("breached, overdue by {} business time", hm(l)),
            Some(l) => format!("{} business time left", hm(l)),
            None if d.outcome.missed() => "breached".to_string(),
            None => "pending".to_string(),
        },
        Outcome::MetOnTime { .. } => "met on time".to_string(),
        Outcome::MetLate { .. } => format!("met late by {} business time", hm(d.business_late.unwrap_or(0))),
    };
    format!("{} ({}) — {outcome}", full(d.due), relative(d.due))
}

/// `SSB-2026-0001 [1] Title`, the title defused.
fn head(i: &IncidentSummary) -> String {
    format!("**{}** [{}] {}", i.id, i.priority, neutralise(&i.title))
}

fn state_colour(i: &IncidentSummary) -> Colour {
    match i.state {
        State::Closed => Colour::from_rgb(0x74, 0x7f, 0x8d),
        State::Resolved => Colour::from_rgb(0x2e, 0xcc, 0x71),
        _ if i.breaching() => Colour::from_rgb(0xe7, 0x4c, 0x3c),
        State::Acknowledged => Colour::from_rgb(0xf1, 0xc4, 0x0f),
        State::Open => Colour::from_rgb(0xe6, 0x7e, 0x22),
    }
}

/// The fields of an embed, kept within Discord's limits as they are added.
struct Fields {
    fields: Vec<(String, String, bool)>,
    used: usize,
}

impl Fields {
    fn new(used: usize) -> Self {
        Fields {
            fields: Vec::new(),
            used,
        }
    }

    fn add(&mut self, name: &str, value: &str, inline: bool) {
        if self.fields.len() >= MAX_FIELDS {
            return;
        }
        let name = truncate(name, MAX_FIELD_NAME);
        let room = MAX_EMBED_TOTAL.saturating_sub(self.used + len(&name));
        let value = truncate(if value.is_empty() { "—" } else { value }, MAX_FIELD.min(room));
        if room < 2 || value.is_empty() {
            return;
        }
        self.used += len(&name) + len(&value);
        self.fields.push((name, value, inline));
    }
}

/// The incident card: id and title, priority (with its name and why), state, lead, the
/// response and resolution deadlines as Discord timestamps with their outcome, escalation
/// level and the latest update. `reasons` are the classification reasons in words (see
/// [`crate::render::cited`]). Within every embed limit whatever the title and notes hold.
pub fn card(i: &IncidentSummary, reasons: &[String]) -> CreateEmbed {
    let title = truncate(&format!("{} — {}", i.id, neutralise(&i.title)), MAX_TITLE);
    let footer = truncate(&format!("Agreement {} · vakt", i.agreement), MAX_FOOTER);
    let mut f = Fields::new(len(&title) + len(&footer));
    let mut priority = format!("{} {}", i.priority, neutralise(&i.priority_name));
    for r in reasons {
        priority += &format!("\n· {}", neutralise(r));
    }
    f.add("Priority", &priority, false);
    f.add("State", i.state.as_str(), true);
    f.add(
        "Lead",
        &i.lead.as_ref().map_or("none yet".to_string(), |l| person(l.as_str())),
        true,
    );
    f.add(
        "Escalation",
        &if i.escalation_level == 0 {
            "not escalated".to_string()
        } else {
            format!("level {}", i.escalation_level)
        },
        true,
    );
    for (label, d) in [("Response", &i.response), ("Resolution", &i.resolution)] {
        f.add(label, &d.as_ref().map_or("no target".to_string(), deadline), false);
    }
    if i.agreement_removed {
        f.add(
            "Agreement",
            &format!(
                "{} (or its priority {}) is no longer loaded: deadlines as stored, no business time",
                i.agreement, i.priority
            ),
            false,
        );
    }
    f.add(
        "Latest update",
        &i.last_note.as_deref().map_or("none yet".to_string(), neutralise),
        false,
    );
    let mut e = CreateEmbed::new()
        .title(title)
        .colour(state_colour(i))
        .footer(CreateEmbedFooter::new(footer));
    if let Ok(t) = Timestamp::from_unix_timestamp(i.reported_at.timestamp()) {
        e = e.timestamp(t);
    }
    for (n, v, inline) in f.fields {
        e = e.field(n, v, inline);
    }
    e
}

/// The card's buttons: Acknowledge, Post update, Resolve, Escalate, each disabled where the
/// incident's state does not allow it; none on a closed incident.
pub fn card_buttons(i: &IncidentSummary) -> Vec<CreateActionRow> {
    let (ack, update, resolve, escalate) = match i.state {
        State::Open => (true, true, true, true),
        State::Acknowledged => (false, true, true, true),
        State::Resolved => (false, true, false, false),
        State::Closed => return Vec::new(),
    };
    let b = |action: CardAction, label: &str, style: ButtonStyle, enabled: bool| {
        CreateButton::new(custom_id::encode(action, &i.id))
            .label(label)
            .style(style)
            .disabled(!enabled)
    };
    vec![CreateActionRow::Buttons(vec![
        b(CardAction::Acknowledge, "Acknowledge", ButtonStyle::Primary, ack),
        b(CardAction::Update, "Post update", ButtonStyle::Secondary, update),
        b(CardAction::Resolve, "Resolve", ButtonStyle::Success, resolve),
        b(CardAction::Escalate, "Escalate", ButtonStyle::Danger, escalate),
    ])]
}

/// A message as Discord gets it: content, at most one embed, components. Pings are added by
/// the chat (it knows who they are).
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The content (without ping text).
    pub content: String,
    /// The embed, for the card.
    pub embed: Option<CreateEmbed>,
    /// The buttons, for the card.
    pub components: Vec<CreateActionRow>,
    /// Further messages, posted after this one in order (a report longer than one message).
    pub more: Vec<String>,
}

/// Whether a notice is shown as the incident card (the opening post, and every edit of it).
pub fn is_card(n: &Notice) -> bool {
    matches!(n, Notice::Opened { .. })
}

fn late(late_since: Option<DateTime<Utc>>) -> String {
    late_since.map_or(String::new(), |t| format!(" (late: was due {})", full(t)))
}

/// The text of a notice posted into a channel or thread (the card's words are [`card`]).
pub fn text(n: &Notice, late_since: Option<DateTime<Utc>>) -> String {
    let late = late(late_since);
    match n {
        Notice::Opened { incident, actor, .. } => format!(
            "🆕 {} — opened by {}, priority {} {}{late}",
            head(incident),
            person(actor.id.as_str()),
            incident.priority,
            neutralise(&incident.priority_name)
        ),
        Notice::Warning {
            incident,
            milestone: m,
            percent,
            deadline: due,
        } => format!(
            "⚠️ {}: {percent} % of the {} time used — due {} ({}){}{late}",
            head(incident),
            milestone(*m),
            full(*due),
            relative(*due),
            incident
                .deadline(*m)
                .and_then(|d| d.business_left)
                .map_or(String::new(), |l| if l < 0 {
                    format!(", overdue by {} business time", hm(l))
                } else {
                    format!(", {} business time left", hm(l))
                }),
        ),
        Notice::Escalated {
            incident,
            milestone: Some(m),
            deadline: due,
            level,
            level_name,
            clause,
            passed,
            ..
        } => format!(
            "⛔ {}: the {} target was breached{} — escalated to level {level}: {} (clause {}){}{late}",
            head(incident),
            milestone(*m),
            due.map_or(String::new(), |d| format!(" at {}", full(d))),
            neutralise(level_name),
            neutralise(clause),
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
            level_name,
            role,
            manual,
            ..
        } => {
            let who = manual
                .as_ref()
                .and_then(|(a, _)| a.as_ref())
                .map_or(String::new(), |a| format!(" by {}", person(a.id.as_str())));
            let why = manual
                .as_ref()
                .and_then(|(_, r)| r.as_deref())
                .map_or(String::new(), |r| format!(": {}", neutralise(r)));
            format!(
                "🚨 {}: escalated by hand{who} to level {level}: {} ({}){why}{late}",
                head(incident),
                neutralise(level_name),
                neutralise(role)
            )
        }
        Notice::Notification { incident, what, clause } => {
            if clause.is_empty() {
                format!("🚨 {}: {}{late}", head(incident), neutralise(what))
            } else {
                format!(
                    "🚨 {}: {} (clause {}){late}",
                    head(incident),
                    neutralise(what),
                    neutralise(clause)
                )
            }
        }
        Notice::FollowUp { incident, what, .. } => {
            format!("📌 {}: due now — {}{late}", head(incident), neutralise(what))
        }
        Notice::Status { incident, status } => {
            let mut t = format!(
                "📣 Status update {} — {} is {}{late}",
                status.seq,
                head(incident),
                incident.state
            );
            for d in [&incident.response, &incident.resolution].into_iter().flatten() {
                if d.business_left.is_some() {
                    t += &format!("\n{}: due {}", milestone(d.milestone), deadline(d));
                }
            }
            t += &format!(
                "\nLatest update: {}",
                incident.last_note.as_deref().map_or("none yet".to_string(), neutralise)
            );
            if status.remind {
                t += &format!(
                    "\nReminder: no update from a person since {} — {}, please post one.",
                    full(status.since),
                    incident
                        .lead
                        .as_ref()
                        .map_or("responders".to_string(), |l| person(l.as_str()))
                );
            }
            t
        }
        Notice::Acknowledged { incident, actor } => {
            format!(
                "👀 {}: acknowledged by {}{late}",
                head(incident),
                person(actor.id.as_str())
            )
        }
        Notice::Updated { incident, actor, note } => format!(
            "📝 {}: update from {}: {}{late}",
            head(incident),
            person(actor.id.as_str()),
            neutralise(note)
        ),
        Notice::PriorityChanged {
            incident,
            from,
            to,
            actor,
            reason,
            ..
        } => format!(
            "↕️ {}: priority {from} → {to} {}{}{late}",
            head(incident),
            neutralise(&incident.priority_name),
            match (actor, reason) {
                (Some(a), Some(r)) => format!(", set by {}: {}", person(a.id.as_str()), neutralise(r)),
                (Some(a), None) => format!(
                    ", by the agreement's rules after new facts from {}",
                    person(a.id.as_str())
                ),
                _ => ", by the agreement's rules".to_string(),
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
            person(actor.id.as_str()),
            note.as_ref().map_or(String::new(), |n| format!(": {}", neutralise(n)))
        ),
        Notice::Reopened {
            incident,
            actor,
            reason,
        } => format!(
            "↺ {}: reopened by {}: {}{late}",
            head(incident),
            person(actor.id.as_str()),
            neutralise(reason)
        ),
        Notice::Closed { incident, actor } => {
            format!("■ {}: closed by {}{late}", head(incident), person(actor.id.as_str()))
        }
        Notice::AgreementChanged {
            incident,
            response_before,
            resolution_before,
        } => {
            let t = |d: Option<DateTime<Utc>>| d.map_or("none".to_string(), full);
            format!(
                "📄 {}: the agreement changed; deadlines recomputed from the original clock start — response {} → {}, resolution {} → {}{late}",
                head(incident),
                t(*response_before),
                t(incident.response.as_ref().map(|d| d.due)),
                t(*resolution_before),
                t(incident.resolution.as_ref().map(|d| d.due)),
            )
        }
        Notice::Recurring { what, .. } => format!("🗓️ {}{late}", neutralise(what)),
        Notice::Report {
            report,
            revision,
            changes,
            ..
        } => {
            let mut text = if late.is_empty() {
                String::new()
            } else {
                format!("{}\n", late.trim())
            };
            text.push_str(&crate::render::report::value_markdown(report, None));
            if let Some(c) = changes.as_ref().filter(|_| *revision > 1) {
                text.push_str(&crate::render::report::revision_note(*revision, c));
            }
            text
        }
        Notice::MeetingReminder {
            agreement,
            meeting,
            starts_at,
            agenda,
            points,
        } => {
            let mut text = format!(
                "📅 {agreement}: meeting \"{}\" {} ({}){late}\n",
                neutralise(meeting),
                full(*starts_at),
                relative(*starts_at)
            );
            if !points.is_empty() {
                text.push_str("Open follow-up points (comments are due before the meeting):\n");
                for p in points {
                    let owner = p
                        .owner
                        .as_ref()
                        .map_or(String::new(), |o| format!(", owner {}", person(o.as_str())));
                    text.push_str(&format!(
                        "• #{} {} (due {}{owner})\n",
                        p.id,
                        neutralise(&p.text),
                        full(p.due)
                    ));
                }
            }
            if let Some(a) = agenda {
                text.push_str("Agenda:\n");
                text.push_str(&crate::render::report::value_markdown(a, None));
            }
            text
        }
    }
}

/// A notice as Discord shows it: the card (embed and buttons, no content) for the opening
/// post and its edits, else the text. `reasons` are used by the card only.
pub fn notice(n: &Notice, reasons: &[String], late_since: Option<DateTime<Utc>>) -> Rendered {
    match n {
        Notice::Opened { incident, .. } => Rendered {
            content: String::new(),
            embed: Some(card(incident, reasons)),
            components: card_buttons(incident),
            more: Vec::new(),
        },
        Notice::Report { .. } | Notice::MeetingReminder { .. } => {
            let mut chunks = crate::render::report::chunks(&text(n, late_since), REPORT_CHUNK)
                .into_iter()
                .map(|c| fence_tables(&c));
            Rendered {
                content: chunks.next().unwrap_or_default(),
                more: chunks.collect(),
                ..Rendered::default()
            }
        }
        _ => Rendered {
            content: truncate(&text(n, late_since), MAX_CONTENT),
            ..Rendered::default()
        },
    }
}

/// Discord renders no Markdown tables: each run of table rows goes in a code block, where
/// its columns at least line up as typed. (The chunk limit leaves room for the fences.)
fn fence_tables(chunk: &str) -> String {
    let mut out = String::with_capacity(chunk.len() + 16);
    let mut in_table = false;
    for line in chunk.lines() {
        let row = line.starts_with('|');
        if row != in_table {
            out.push_str("```\n");
        }
        in_table = row;
        out.push_str(line);
        out.push('\n');
    }
    if in_table {
        out.push_str("```\n");
    }
    out.trim_end().to_string()
}

/// The size of one message of a long report: Discord's limit less room for the ping line the
/// chat may add to the first.
const REPORT_CHUNK: usize = MAX_CONTENT - 200;

/// The content of a post: the notice's text cut so the ping line (`<@&…> <@…>`, given
/// whole) always fits within [`MAX_CONTENT`].
pub fn with_pings(content: &str, pings: &str) -> String {
    if pings.is_empty() {
        return truncate(content, MAX_CONTENT);
    }
    if content.is_empty() {
        return truncate(pings, MAX_CONTENT);
    }
    let room = MAX_CONTENT.saturating_sub(len(pings) + 1);
    format!("{}\n{pings}", truncate(content, room))
}

/// The name of an incident's thread (at most 100 characters, the title defused).
pub fn thread_name(i: &IncidentSummary) -> String {
    truncate(
        &format!("{} {}", i.id, neutralise(&i.title.replace(['\n', '\r'], " "))),
        100,
    )
}

/// One timeline entry as a line: `<t:…:f> · <@actor> · what happened` (user text defused).
pub fn entry(e: &TimelineEntry, a: Option<&Agreement>) -> String {
    let style = crate::render::timeline::Style {
        time: &full,
        neutralise: &neutralise,
    };
    let what = crate::render::timeline::event(e, a, &style);
    format!("<t:{}:f> · {} · {what}", e.at.timestamp(), person(&e.actor))
}

/// An incident's timeline as messages of at most [`MAX_CONTENT`], oldest first.
pub fn timeline(entries: &[TimelineEntry], a: Option<&Agreement>) -> Vec<String> {
    let lines: Vec<String> = entries.iter().map(|e| entry(e, a)).collect();
    page(&lines, MAX_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{AgreementId, IncidentId, PriorityId, UserId};
    use crate::domain::incident::Event;
    use crate::service::notice::ActorRef;
    use serde_json::Value;

    fn summary(title: &str, note: Option<&str>, state: State) -> IncidentSummary {
        let due = DateTime::parse_from_rfc3339("2026-11-20T16:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default();
        IncidentSummary {
            id: IncidentId::make("SSB", 2026, 1),
            agreement: AgreementId::new("ssbtek"),
            title: title.to_string(),
            priority: PriorityId::new("1"),
            priority_name: "Kritisk".into(),
            state,
            lead: Some(UserId::new("123456789012345678")),
            escalation_level: 2,
            response: Some(DeadlineView {
                milestone: Milestone::Response,
                due,
                outcome: Outcome::Pending { due },
                business_left: Some(3900),
                wall_left: Some(3900),
                business_late: None,
                wall_late: None,
            }),
            resolution: None,
            last_note: note.map(str::to_string),
            reported_at: due,
            agreement_removed: false,
        }
    }

    fn embed_json(e: &CreateEmbed) -> Value {
        serde_json::to_value(e).unwrap_or_default()
    }

    fn s(v: &Value) -> usize {
        v.as_str().map_or(0, len)
    }

    fn assert_embed_limits(v: &Value) {
        assert!(s(&v["title"]) <= MAX_TITLE);
        let fields = v["fields"].as_array().cloned().unwrap_or_default();
        assert!(fields.len() <= MAX_FIELDS);
        let mut total = s(&v["title"]) + s(&v["description"]) + s(&v["footer"]["text"]);
        for f in &fields {
            assert!(s(&f["name"]) <= MAX_FIELD_NAME && s(&f["name"]) > 0);
            assert!(s(&f["value"]) <= MAX_FIELD && s(&f["value"]) > 0);
            total += s(&f["name"]) + s(&f["value"]);
        }
        assert!(total <= MAX_EMBED_TOTAL, "{total}");
    }

    #[test]
    fn truncate_and_page_respect_limits() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        assert_eq!(truncate("abcd", 0), "");
        assert_eq!(len(&truncate(&"😀".repeat(100), 11)), 11);
        let lines: Vec<String> = (0..500).map(|i| format!("line {i} {}", "x".repeat(i % 50))).collect();
        let pages = page(&lines, MAX_CONTENT);
        assert!(pages.len() > 1);
        assert!(pages.iter().all(|p| len(p) <= MAX_CONTENT));
        let back: Vec<String> = pages.iter().flat_map(|p| p.lines().map(str::to_string)).collect();
        assert_eq!(back, lines, "paging keeps every line in order");
        assert_eq!(page(&["y".repeat(3000)], 100)[0].chars().count(), 100);
        assert!(page(&[], 100).is_empty());
    }

    #[test]
    fn long_timelines_are_paged_and_defused() {
        let at = summary("t", None, State::Open).reported_at;
        let entries: Vec<TimelineEntry> = (0..300)
            .map(|i| TimelineEntry {
                at,
                actor: "123456789012345678".into(),
                event: Event::StatusUpdate {
                    note: format!("note {i} @everyone <@&1>"),
                },
            })
            .collect();
        let pages = timeline(&entries, None);
        assert!(pages.len() > 1);
        assert!(pages.iter().all(|p| len(p) <= MAX_CONTENT && !p.contains("@everyone")));
        assert_eq!(pages.iter().map(|p| p.lines().count()).sum::<usize>(), 300);
    }

    #[test]
    fn user_text_is_defused() {
        let t = neutralise("@everyone @here <@1> <@&2> <#3> <@!4>");
        for bad in ["@everyone", "@here", "<@", "<#"] {
            assert!(!t.contains(bad), "{t}");
        }
    }

    #[test]
    fn the_card_fits_whatever_the_text() {
        let huge = "@everyone <@&1> ".repeat(500);
        let i = summary(&huge, Some(&huge), State::Open);
        let reasons: Vec<String> = (0..100).map(|_| huge.clone()).collect();
        let v = embed_json(&card(&i, &reasons));
        assert_embed_limits(&v);
        let all = v.to_string();
        assert!(!all.contains("@everyone") && !all.contains("<@&1>"));
        let ordinary = embed_json(&card(&summary("Login fails", None, State::Open), &["rule 1".into()]));
        assert_embed_limits(&ordinary);
        let text = ordinary.to_string();
        assert!(
            text.contains("<t:") && text.contains(":F>") && text.contains(":R>"),
            "{text}"
        );
    }

    #[test]
    fn buttons_follow_the_state() {
        let enabled = |st: State| -> Vec<bool> {
            let rows = card_buttons(&summary("t", None, st));
            let v = serde_json::to_value(&rows).unwrap_or_default();
            v.as_array()
                .into_iter()
                .flatten()
                .flat_map(|r| r["components"].as_array().cloned().unwrap_or_default())
                .map(|b| {
                    assert!(s(&b["custom_id"]) <= custom_id::MAX_CUSTOM_ID);
                    !b["disabled"].as_bool().unwrap_or(false)
                })
                .collect()
        };
        assert_eq!(enabled(State::Open), [true, true, true, true]);
        assert_eq!(enabled(State::Acknowledged), [false, true, true, true]);
        assert_eq!(enabled(State::Resolved), [false, true, false, false]);
        assert!(enabled(State::Closed).is_empty());
    }

    #[test]
    fn every_notice_fits_and_pings_survive() {
        let huge = "<@&1> ".repeat(1000);
        let i = summary(&huge, Some(&huge), State::Acknowledged);
        let actor = ActorRef {
            id: UserId::new("123456789012345678"),
            name: "rita".into(),
        };
        let notices = [
            Notice::Updated {
                incident: i.clone(),
                actor: actor.clone(),
                note: huge.clone(),
            },
            Notice::Warning {
                incident: i.clone(),
                milestone: Milestone::Response,
                percent: 80,
                deadline: i.reported_at,
            },
        ];
        for n in &notices {
            let r = notice(n, &[], None);
            assert!(len(&r.content) <= MAX_CONTENT);
            assert!(!r.content.contains("<@&1>"));
            let c = with_pings(&r.content, "<@&42>");
            assert!(len(&c) <= MAX_CONTENT && c.ends_with("<@&42>"));
        }
        assert!(len(&thread_name(&i)) <= 100);
    }

    #[test]
    fn report_tables_go_in_code_blocks() {
        let md = "## Figures\n| a | b |\n|---|---|\n| 1 | 2 |\nAfter\n| c |";
        assert_eq!(
            fence_tables(md),
            "## Figures\n```\n| a | b |\n|---|---|\n| 1 | 2 |\n```\nAfter\n```\n| c |\n```"
        );
        assert_eq!(fence_tables("no table"), "no table");
    }
}
