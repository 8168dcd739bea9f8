//! Discord's style ([`STYLE`]) and layout of every [`Notice`]: the incident card (an embed
//! with its buttons), the posts in the incident's thread (status, timeline, warnings,
//! escalations) and the rest. The words are [`crate::render`]'s, the same as the console's.
//!
//! Discord's limits hold by construction: message content ≤ 2000, embed title ≤ 256, field
//! value ≤ 1024, ≤ 25 fields, ≤ 6000 characters per embed, custom ids ≤ 100 (counted in
//! UTF-16 units, as Discord counts). Longer text is cut with an ellipsis; long lists are
//! paged with [`text::page`]. Text typed by users is defused by the style ([`STYLE`]) wherever it is
//! shown, and who is pinged is never decided here: the chat lists the exact roles and users
//! in `allowed_mentions` (see [`super::chat`]).

use super::custom_id::{self, CardAction};
use crate::domain::agreement::Agreement;
use crate::domain::incident::{State, TimelineEntry};
use crate::render::reply::Marks;
use crate::render::text::{self, DISCORD_MESSAGE, Defuse};
use crate::render::{Form, Locale, Msg, People, Style, Times};
use crate::service::notice::{IncidentSummary, Notice};
use chrono::{DateTime, Utc};
use serenity::all::{ButtonStyle, Colour, CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter, Timestamp};

/// Longest message content.
pub const MAX_CONTENT: usize = DISCORD_MESSAGE.max;
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

/// Discord's style: `<t:…>` timestamp tags, people as user mentions (which ping only users a
/// post allows), bold ids, emoji presentation, limits in UTF-16 units, replies marked `✓`
/// beside the incident card.
pub const STYLE: Style = Style {
    locale: Locale::En,
    times: Times::Tags,
    people: People::Mentions,
    defuse: Defuse::DISCORD,
    limit: DISCORD_MESSAGE,
    markdown: true,
    emoji: true,
    replies: Marks {
        done: "✓ ",
        info: "",
        item: "• ",
        indent: "",
        capital: true,
        cards: true,
    },
};

/// Length as Discord counts it (UTF-16 code units).
pub fn len(s: &str) -> usize {
    STYLE.limit.len(s)
}

/// `s` cut to at most `max` (UTF-16 units), ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    text::truncate(s, STYLE.limit.with_max(max))
}

pub use crate::render::style::is_snowflake;

/// A person as Discord shows them: a user mention (`<@id>`, which only pings when the post
/// lists the user in `allowed_mentions`) for a Discord id, else the name, defused.
pub fn person(id: &str) -> String {
    STYLE.person(id, None)
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
pub fn card(i: &IncidentSummary, reasons: &[String], locale: Locale) -> CreateEmbed {
    let words = crate::render::incident::card(i, reasons, &STYLE.for_locale(locale));
    let title = truncate(&words.title, MAX_TITLE);
    let footer = truncate(&words.footer, MAX_FOOTER);
    let mut f = Fields::new(len(&title) + len(&footer));
    for field in &words.fields {
        f.add(field.label, &field.value, field.short);
    }
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
/// incident's state does not allow it; none on a closed incident. Labelled in `locale`.
pub fn card_buttons(i: &IncidentSummary, locale: Locale) -> Vec<CreateActionRow> {
    let (ack, update, resolve, escalate) = match i.state {
        State::Open => (true, true, true, true),
        State::Acknowledged => (false, true, true, true),
        State::Resolved => (false, true, false, false),
        State::Closed => return Vec::new(),
    };
    let b = |action: CardAction, label: Msg, style: ButtonStyle, enabled: bool| {
        CreateButton::new(custom_id::encode(action, &i.id))
            .label(label.text(locale))
            .style(style)
            .disabled(!enabled)
    };
    vec![CreateActionRow::Buttons(vec![
        b(
            CardAction::Acknowledge,
            Msg::ButtonAcknowledge,
            ButtonStyle::Primary,
            ack,
        ),
        b(CardAction::Update, Msg::ButtonUpdate, ButtonStyle::Secondary, update),
        b(CardAction::Resolve, Msg::ButtonResolve, ButtonStyle::Success, resolve),
        b(CardAction::Escalate, Msg::ButtonEscalate, ButtonStyle::Danger, escalate),
    ])]
}

/// The Done button of a follow-up's announcement (ahead of its deadline and at it): marks
/// it done like `/incident follow-up-done`; none when its custom id would not fit.
pub fn follow_up_buttons(i: &IncidentSummary, follow_up: &str, locale: Locale) -> Vec<CreateActionRow> {
    custom_id::encode_done(&i.id, follow_up)
        .map(|custom| {
            vec![CreateActionRow::Buttons(vec![
                CreateButton::new(custom)
                    .label(STYLE.for_locale(locale).word(Msg::ButtonFollowUpDone))
                    .style(ButtonStyle::Success),
            ])]
        })
        .unwrap_or_default()
}

/// The Previous and Next buttons of page `q` of an incident list (each naming the page it
/// shows): Previous disabled on the first page, Next when no page follows. Labelled in
/// `locale`; none when the list's filters do not fit a custom id (the page's text still says
/// how to ask for the next page).
pub fn list_buttons(q: &custom_id::ListQuery, more: bool, locale: Locale) -> Vec<CreateActionRow> {
    let to = |page: u32| custom_id::encode_list(&custom_id::ListQuery { page, ..q.clone() });
    // The first page's Previous names the page itself: the two ids differ, as Discord wants.
    let (Some(previous), Some(next)) = (to(q.page.saturating_sub(1).max(1)), to(q.page.saturating_add(1))) else {
        return Vec::new();
    };
    let style = STYLE.for_locale(locale);
    vec![CreateActionRow::Buttons(vec![
        CreateButton::new(previous)
            .label(style.word(Msg::ButtonPrevious))
            .style(ButtonStyle::Secondary)
            .disabled(q.page <= 1),
        CreateButton::new(next)
            .label(style.word(Msg::ButtonNext))
            .style(ButtonStyle::Secondary)
            .disabled(!more || q.page == u32::MAX),
    ])]
}

/// One page of an incident list as an embed: its lines (already within
/// [`MAX_DESCRIPTION`]) as the description.
pub fn list_embed(lines: &str) -> CreateEmbed {
    CreateEmbed::new()
        .description(truncate(lines, MAX_DESCRIPTION))
        .colour(Colour::BLURPLE)
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

/// The text of a notice posted into a channel or thread (the card's words are [`card`]), in
/// `locale` (its agreement's language).
pub fn text(n: &Notice, late_since: Option<DateTime<Utc>>, locale: Locale) -> String {
    crate::render::notice::notice(n, late_since, &STYLE.for_locale(locale))
}

/// A notice as Discord shows it: the card (embed and buttons, no content) for the opening
/// post and its edits, else the text, in `locale` (the agreement's language). `reasons` are
/// used by the card only.
pub fn notice(n: &Notice, reasons: &[String], late_since: Option<DateTime<Utc>>, locale: Locale) -> Rendered {
    match n {
        Notice::Opened { incident, .. } => Rendered {
            content: String::new(),
            embed: Some(card(incident, reasons, locale)),
            components: card_buttons(incident, locale),
            more: Vec::new(),
        },
        Notice::FollowUp { incident, id, .. } => Rendered {
            content: truncate(&text(n, late_since, locale), MAX_CONTENT),
            components: follow_up_buttons(incident, id, locale),
            ..Rendered::default()
        },
        Notice::Report { .. } | Notice::MeetingReminder { .. } => {
            let mut chunks = text::page(&text(n, late_since, locale), STYLE.limit.with_max(REPORT_CHUNK))
                .into_iter()
                .map(|c| fence_tables(&c));
            Rendered {
                content: chunks.next().unwrap_or_default(),
                more: chunks.collect(),
                ..Rendered::default()
            }
        }
        _ => Rendered {
            content: truncate(&text(n, late_since, locale), MAX_CONTENT),
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

/// The name of an incident's thread (at most 100 characters, the title defused: Discord shows
/// a thread name as typed, so Markdown is not escaped there, but mentions and masked links
/// are broken). In `locale`, the agreement's language.
pub fn thread_name(i: &IncidentSummary, locale: Locale) -> String {
    truncate(
        &STYLE.for_locale(locale).say(
            Msg::ThreadName,
            &[
                ("id", &i.id),
                (
                    "title",
                    &text::defuse(&i.title.replace(['\n', '\r'], " "), Defuse::THREAD_NAME),
                ),
            ],
        ),
        100,
    )
}

/// One timeline entry as a line: `<t:…:f> · <@actor> · what happened` (user text defused),
/// in `locale`.
pub fn entry(e: &TimelineEntry, a: Option<&Agreement>, locale: Locale) -> String {
    let what = crate::render::timeline::event(e, a, &STYLE.for_locale(locale));
    format!("{} · {} · {what}", STYLE.at(e.at, Form::Stamp), person(&e.actor))
}

/// An incident's timeline as messages of at most [`MAX_CONTENT`], oldest first, in `locale`.
pub fn timeline(entries: &[TimelineEntry], a: Option<&Agreement>, locale: Locale) -> Vec<String> {
    let lines: Vec<String> = entries.iter().map(|e| entry(e, a, locale)).collect();
    text::page(&lines.join("\n"), STYLE.limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{AgreementId, IncidentId, PriorityId, UserId};
    use crate::domain::incident::{Event, Milestone, Outcome};
    use crate::service::notice::{ActorRef, DeadlineView};
    use serde_json::Value;

    fn summary(title: &str, note: Option<&str>, state: State) -> IncidentSummary {
        let due = DateTime::parse_from_rfc3339("2026-11-20T16:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default();
        IncidentSummary {
            id: IncidentId::make("SSB", 2026, 1),
            agreement: AgreementId::new("ssbtek"),
            title: title.to_string(),
            description: String::new(),
            service: None,
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
                under: None,
                under_name: String::new(),
                day: Some(9 * 3600),
            }),
            resolution: None,
            last_note: note.map(str::to_string),
            latest: Default::default(),
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
        let pages = timeline(&entries, None, Locale::En);
        assert!(pages.len() > 1);
        assert!(pages.iter().all(|p| len(p) <= MAX_CONTENT && !p.contains("@everyone")));
        assert_eq!(pages.iter().map(|p| p.lines().count()).sum::<usize>(), 300);
    }

    #[test]
    fn the_card_fits_whatever_the_text() {
        let huge = "@everyone <@&1> ".repeat(500);
        let i = summary(&huge, Some(&huge), State::Open);
        let reasons: Vec<String> = (0..100).map(|_| huge.clone()).collect();
        let v = embed_json(&card(&i, &reasons, Locale::En));
        assert_embed_limits(&v);
        let all = v.to_string();
        assert!(!all.contains("@everyone") && !all.contains("<@&1>"));
        let ordinary = embed_json(&card(
            &summary("Login fails", None, State::Open),
            &["rule 1".into()],
            Locale::En,
        ));
        assert_embed_limits(&ordinary);
        let text = ordinary.to_string();
        assert!(
            text.contains("<t:") && text.contains(":F>") && text.contains(":R>"),
            "{text}"
        );
    }

    /// The card, its buttons and a post are in the language asked for (the agreement's);
    /// times stay Discord timestamps, which each reader's client shows in its own language.
    #[test]
    fn cards_and_posts_follow_the_agreement_s_language() {
        let i = summary("Innlogging feiler", Some("Databasen byttes"), State::Acknowledged);
        let nb = embed_json(&card(&i, &[], Locale::Nb)).to_string();
        assert!(nb.contains("Ansvarlig") && nb.contains("kvittert"), "{nb}");
        assert!(nb.contains("<t:"), "{nb}");
        let da = serde_json::to_value(card_buttons(&i, Locale::Da))
            .unwrap_or_default()
            .to_string();
        assert!(da.contains("Opdatér") && da.contains("Løs"), "{da}");
        let actor = ActorRef {
            id: UserId::new("123456789012345678"),
            name: "Kari".into(),
        };
        let n = Notice::Acknowledged {
            incident: i.clone(),
            actor,
        };
        let sv = notice(&n, &[], None, Locale::Sv).content;
        assert!(sv.contains("kvitterad av"), "{sv}");
        assert_eq!(thread_name(&i, Locale::Sv), thread_name(&i, Locale::En));
    }

    /// Issue 16, item 14: Markdown and masked links typed into a title or a note reach the
    /// card, the thread name and the posts as text, not as links or formatting.
    #[test]
    fn markdown_in_user_text_is_shown_as_text() {
        let title = "[Reset your password](https://evil.example) **now**";
        let note = "see [status](https://evil.example/s) — ~~fixed~~\n# all clear";
        let i = summary(title, Some(note), State::Acknowledged);
        let v = embed_json(&card(&i, &[], Locale::En));
        let all = v.to_string();
        for bad in ["[Reset your password](", "[status](", "**now", "~~fixed", "\\n# all"] {
            assert!(!all.contains(bad), "{bad} on the card: {all}");
        }
        assert!(
            v["title"]
                .as_str()
                .is_some_and(|t| t.contains("\\[Reset your password\\](https://evil.example)")),
            "{v}"
        );
        let name = thread_name(&i, Locale::En);
        assert!(!name.contains("](") && !name.contains('\\'), "{name}");
        assert!(
            name.contains("[Reset your password]\u{200b}(https://evil.example) **now**"),
            "{name}"
        );
        let actor = ActorRef {
            id: UserId::new("123456789012345678"),
            name: "rita".into(),
        };
        let post = notice(
            &Notice::Updated {
                incident: i.clone(),
                actor,
                note: note.into(),
                fields: Default::default(),
            },
            &[],
            None,
            Locale::En,
        );
        for bad in ["[Reset your password](", "[status](", "**now", "~~fixed", "\n# all"] {
            assert!(!post.content.contains(bad), "{bad} in the post: {}", post.content);
        }
    }

    #[test]
    fn buttons_follow_the_state() {
        let enabled = |st: State| -> Vec<bool> {
            let rows = card_buttons(&summary("t", None, st), Locale::En);
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
                fields: Default::default(),
            },
            Notice::Warning {
                incident: i.clone(),
                milestone: Milestone::Response,
                percent: 80,
                deadline: i.reported_at,
            },
        ];
        for n in &notices {
            let r = notice(n, &[], None, Locale::En);
            assert!(len(&r.content) <= MAX_CONTENT);
            assert!(!r.content.contains("<@&1>"));
            let c = with_pings(&r.content, "<@&42>");
            assert!(len(&c) <= MAX_CONTENT && c.ends_with("<@&42>"));
        }
        assert!(len(&thread_name(&i, Locale::En)) <= 100);
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
