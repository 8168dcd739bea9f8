//! How an adapter writes what the wording carries: instants (local times in a zone, or
//! Discord's `<t:…>` tags), people (names, or mentions that ping only when allowed), emphasis,
//! emoji, the rules that defuse typed text, the limit a message is paged at, and the locale
//! the messages are looked up in. The console and Discord each build one; every renderer in
//! [`crate::render`] takes it.

use super::msg::{Key, Locale, fill};
use super::text::{Defuse, Limit, defuse};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::fmt::Display;

/// How instants are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Times {
    /// As local text in this zone (`Fri 2026-11-20 16:30 CET`).
    Local(Tz),
    /// As Discord timestamp tags, which each reader sees in their own zone.
    Tags,
}

/// Which form of an instant a message wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Date, time and zone: `Fri 2026-11-20 16:30 CET` / `<t:…:F>`.
    Long,
    /// Date and time in the agreement's zone: `Fri 2026-11-20 16:30` / `<t:…:F>`.
    Short,
    /// Date and time without weekday: `2026-11-20 16:30` / `<t:…:F>`.
    Bare,
    /// A timeline line's stamp: `2026-11-20 16:30` / `<t:…:f>`.
    Stamp,
}

/// How people are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum People {
    /// By name (a person's display name, else their id), defused.
    Names,
    /// A Discord id as a user mention (`<@id>`; it pings only users the post allows), else
    /// the id, defused.
    Mentions,
}

/// How an adapter sets its replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marks {
    /// Before a reply saying something was done.
    pub done: &'static str,
    /// Before a reply showing something.
    pub info: &'static str,
    /// Before each item of a list.
    pub item: &'static str,
    /// Before each continuation line.
    pub indent: &'static str,
    /// Whether a reply starts with a capital letter.
    pub capital: bool,
    /// Whether an incident opened or shown is drawn as a card beside the text (the text then
    /// names it only).
    pub cards: bool,
}

/// An adapter's style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// The language messages are looked up in.
    pub locale: Locale,
    /// How instants are written.
    pub times: Times,
    /// How people are written.
    pub people: People,
    /// How typed text is defused.
    pub defuse: Defuse,
    /// The limit one message is paged at (and the unit it is counted in).
    pub limit: Limit,
    /// Whether ids are set in bold Markdown (`**SSB-2026-0001**`).
    pub markdown: bool,
    /// How replies are marked and set.
    pub replies: Marks,
    /// Whether symbols that default to text presentation (`⚠`, `↕`, `🗓`) are asked to show
    /// as emoji (with U+FE0F).
    pub emoji: bool,
}

/// Whether `s` is a Discord snowflake (a user, role or channel id).
pub fn is_snowflake(s: &str) -> bool {
    crate::domain::ids::snowflake(s).is_some()
}

impl Style {
    /// Plain text for a file or a terminal: times in `tz`, people by name, typed text defused
    /// as for chat, no limit, no Markdown, no emoji, replies capitalised and unmarked.
    pub fn plain(tz: Tz) -> Style {
        Style {
            locale: Locale::En,
            times: Times::Local(tz),
            people: People::Names,
            defuse: Defuse::CHAT,
            limit: Limit {
                max: usize::MAX,
                unit: super::text::Unit::Chars,
            },
            markdown: false,
            emoji: false,
            replies: Marks {
                done: "",
                info: "",
                item: "",
                indent: "  ",
                capital: true,
                cards: false,
            },
        }
    }

    /// `t` in form `form`.
    pub fn at(&self, t: DateTime<Utc>, form: Form) -> String {
        match self.times {
            Times::Local(tz) => {
                let f = match form {
                    Form::Long => "%a %Y-%m-%d %H:%M %Z",
                    Form::Short => "%a %Y-%m-%d %H:%M",
                    Form::Bare | Form::Stamp => "%Y-%m-%d %H:%M",
                };
                t.with_timezone(&tz).format(f).to_string()
            }
            Times::Tags => match form {
                Form::Stamp => format!("<t:{}:f>", t.timestamp()),
                _ => format!("<t:{}:F>", t.timestamp()),
            },
        }
    }

    /// `t` relative to the reader's now (`<t:…:R>`, "in 2 hours"), where the adapter has it.
    pub fn relative(&self, t: DateTime<Utc>) -> Option<String> {
        match self.times {
            Times::Local(_) => None,
            Times::Tags => Some(format!("<t:{}:R>", t.timestamp())),
        }
    }

    /// `t` as a due time: short, with the relative time after it where the adapter has it.
    pub fn when(&self, t: DateTime<Utc>) -> String {
        let at = self.at(t, Form::Short);
        match self.relative(t) {
            Some(r) => format!("{at} ({r})"),
            None => at,
        }
    }

    /// The same style with instants in another zone (a no-op for timestamp tags).
    pub fn in_zone(&self, tz: Tz) -> Style {
        match self.times {
            Times::Local(_) => Style {
                times: Times::Local(tz),
                ..*self
            },
            Times::Tags => *self,
        }
    }

    /// Text typed by users or read from files, defused.
    pub fn defuse(&self, text: &str) -> String {
        defuse(text, self.defuse)
    }

    /// A person by id, with their display name where it is known.
    pub fn person(&self, id: &str, name: Option<&str>) -> String {
        match self.people {
            People::Names => self.defuse(name.unwrap_or(id)),
            People::Mentions if is_snowflake(id) => format!("<@{id}>"),
            People::Mentions => self.defuse(id),
        }
    }

    /// An id, emphasised where the adapter has emphasis.
    pub fn strong(&self, s: &str) -> String {
        if self.markdown {
            format!("**{s}**")
        } else {
            s.to_string()
        }
    }

    /// Message `m` (of any table) in the style's locale, its `{name}` placeholders filled
    /// from `args`.
    pub fn say(&self, m: impl Key, args: &[(&str, &dyn Display)]) -> String {
        let t = m.text(self.locale);
        if self.emoji || !t.contains('\u{fe0f}') {
            fill(t, args)
        } else {
            fill(&t.replace('\u{fe0f}', ""), args)
        }
    }

    /// A word (a message without placeholders) in the style's locale.
    pub fn word(&self, m: impl Key) -> &'static str {
        m.text(self.locale)
    }
}
