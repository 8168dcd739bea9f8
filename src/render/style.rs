//! How an adapter writes what the wording carries: instants (local times in a zone, or
//! Discord's `<t:…>` tags), people (names, or mentions that ping only when allowed), emphasis,
//! emoji, the rules that defuse typed text, the limit a message is paged at, and the locale
//! the messages are looked up in. The console and Discord each build one; every renderer in
//! [`crate::render`] takes it.

use super::msg::{Key, Locale, fill};
use super::text::{Defuse, Limit, defuse};
use chrono::{DateTime, Datelike, Utc, Weekday};
use chrono_tz::Tz;
use std::fmt::Display;

/// How instants are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Times {
    /// As local text in this zone, in the style's language (see [`Style::at`]).
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

/// A weekday's abbreviation in `locale` (CLDR's: `Fri`, `fre.`, `fre.`, `fre`).
fn weekday(locale: Locale, d: Weekday) -> &'static str {
    let i = d.num_days_from_monday() as usize;
    match locale {
        Locale::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
        Locale::Nb => ["man.", "tir.", "ons.", "tor.", "fre.", "lør.", "søn."][i],
        Locale::Da => ["man.", "tirs.", "ons.", "tors.", "fre.", "lør.", "søn."][i],
        Locale::Sv => ["mån", "tis", "ons", "tors", "fre", "lör", "sön"][i],
    }
}

/// `x` with `places` decimals and `locale`'s decimal mark: `99.7` in English, `99,7` in
/// Norwegian, Danish and Swedish. Every number vakt writes with decimals goes through this.
pub fn decimal(x: f64, places: usize, locale: Locale) -> String {
    let s = format!("{x:.places$}");
    match locale {
        Locale::En => s,
        Locale::Nb | Locale::Da | Locale::Sv => s.replace('.', ","),
    }
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

    /// `t` in form `form`. Local times follow the language's own convention (CLDR's
    /// abbreviated weekdays and numeric dates, as the Nordic public sector writes them):
    ///
    /// | locale | [`Form::Long`]                 | [`Form::Stamp`]      |
    /// |--------|--------------------------------|----------------------|
    /// | en     | `Fri 2026-11-20 16:30 CET`     | `2026-11-20 16:30`   |
    /// | nb     | `fre. 20.11.2026 16:30 CET`    | `20.11.2026 16:30`   |
    /// | da     | `fre. 20.11.2026 16.30 CET`    | `20.11.2026 16.30`   |
    /// | sv     | `fre 2026-11-20 16:30 CET`     | `2026-11-20 16:30`   |
    ///
    /// [`Form::Short`] is Long without the zone, [`Form::Bare`] Stamp. Zone abbreviations
    /// (`CET`, `CEST`) are the same in every language.
    pub fn at(&self, t: DateTime<Utc>, form: Form) -> String {
        match self.times {
            Times::Local(tz) => {
                let local = t.with_timezone(&tz);
                let (date, time) = match self.locale {
                    Locale::En | Locale::Sv => ("%Y-%m-%d", "%H:%M"),
                    Locale::Nb => ("%d.%m.%Y", "%H:%M"),
                    Locale::Da => ("%d.%m.%Y", "%H.%M"),
                };
                let stamp = local.format(&format!("{date} {time}")).to_string();
                let day = weekday(self.locale, local.weekday());
                match form {
                    Form::Long => format!("{day} {stamp} {}", local.format("%Z")),
                    Form::Short => format!("{day} {stamp}"),
                    Form::Bare | Form::Stamp => stamp,
                }
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

    /// The same style in another language: adapters call it where the agreement a text
    /// belongs to is known (its language from `Config::locale`), so every renderer taking the
    /// style writes in that language.
    pub fn for_locale(&self, locale: Locale) -> Style {
        Style { locale, ..*self }
    }

    /// `x` with `places` decimals in the style's language (see [`decimal`]).
    pub fn decimal(&self, x: f64, places: usize) -> String {
        decimal(x, places, self.locale)
    }

    /// A percentage with `places` decimals, as the language writes it: `99.7 %` / `99,7 %`
    /// (all four set a space before the sign, as the agreements do).
    pub fn percent(&self, x: f64, places: usize) -> String {
        format!("{} %", self.decimal(x, places))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(l: Locale, form: Form) -> String {
        let t = DateTime::parse_from_rfc3339("2026-11-20T15:30:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default();
        Style::plain(chrono_tz::Europe::Oslo).for_locale(l).at(t, form)
    }

    #[test]
    fn local_times_follow_the_language() {
        assert_eq!(at(Locale::En, Form::Long), "Fri 2026-11-20 16:30 CET");
        assert_eq!(at(Locale::Nb, Form::Long), "fre. 20.11.2026 16:30 CET");
        assert_eq!(at(Locale::Da, Form::Short), "fre. 20.11.2026 16.30");
        assert_eq!(at(Locale::Sv, Form::Short), "fre 2026-11-20 16:30");
        assert_eq!(at(Locale::Nb, Form::Stamp), "20.11.2026 16:30");
        assert_eq!(at(Locale::En, Form::Bare), "2026-11-20 16:30");
    }

    #[test]
    fn decimals_use_the_language_s_mark() {
        let s = Style::plain(chrono_tz::UTC);
        assert_eq!(s.percent(99.7, 1), "99.7 %");
        assert_eq!(s.for_locale(Locale::Nb).percent(99.66, 1), "99,7 %");
        assert_eq!(s.for_locale(Locale::Sv).decimal(2.5, 2), "2,50");
    }

    #[test]
    fn discord_tags_stay_tags_in_every_language() {
        let mut s = Style::plain(chrono_tz::UTC).for_locale(Locale::Da);
        s.times = Times::Tags;
        assert_eq!(s.at(DateTime::<Utc>::UNIX_EPOCH, Form::Long), "<t:0:F>");
    }
}
