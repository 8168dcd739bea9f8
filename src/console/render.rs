//! The console's style and layout: local times in the agreement's zone, plain text, and how
//! a post is laid out in the terminal (time, channel, text, who is pinged). The words are
//! [`crate::render`]'s.

use crate::config::{ChatTarget, Config};
use crate::domain::agreement::Agreement;
use crate::domain::incident::TimelineEntry;
use crate::render::reply::Marks;
use crate::render::text::{Defuse, Limit, Unit};
use crate::render::{Locale, People, Style, Times};
use crate::service::notice::{Mention, Notice};
use crate::service::ports::{ChannelKind, Post};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// `Fri 2026-11-20 16:30 CET`.
pub fn time(t: DateTime<Utc>, tz: Tz) -> String {
    style(tz).at(t, crate::render::Form::Long)
}

/// The console's style: times in the agreement's zone `tz`, people by name, plain text
/// without a message limit, replies marked `  ↳`.
pub fn style(tz: Tz) -> Style {
    Style {
        locale: Locale::En,
        times: Times::Local(tz),
        people: People::Names,
        defuse: Defuse::CHAT,
        limit: Limit {
            max: usize::MAX,
            unit: Unit::Chars,
        },
        markdown: false,
        emoji: false,
        replies: Marks {
            done: "  ↳ ",
            info: "  ↳ ",
            item: "  ↳ ",
            indent: "    ",
            capital: false,
            cards: false,
        },
    }
}

/// The notice's text (without channel and mentions) in `style` (the console's [`style`] in
/// the agreement's zone and language).
pub fn notice(n: &Notice, style: &Style, late_since: Option<DateTime<Utc>>) -> String {
    crate::render::notice::notice(n, late_since, style)
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
            Mention::Managers => out.extend(c.into_iter().flat_map(|c| c.managers.iter().map(|r| format!("@{r}")))),
            Mention::User(u) => out.push(format!("@{u}")),
        }
    }
    out
}

/// A whole post as the console prints it: time, channel, text, and who is pinged.
pub fn post(config: &Config, p: &Post, tz: Tz, now: DateTime<Utc>) -> String {
    let name = channel_name(config, &p.channel.agreement, p.channel.kind);
    let text = notice(
        &p.notice,
        &style(tz).for_locale(config.locale(&p.channel.agreement)),
        p.late_since,
    );
    let mut out = format!("[{}] #{name}  {}", time(now, tz), text.replace('\n', "\n    "));
    let who = mentions(config, &p.channel.agreement, &p.mentions);
    if !who.is_empty() {
        out += &format!("\n    → {}", who.join(" "));
    }
    out
}

/// One timeline entry of an incident of agreement `a` (absent when it was removed), in
/// `style` (the agreement's zone and language).
pub fn entry(e: &TimelineEntry, style: &Style, a: Option<&Agreement>) -> String {
    let what = crate::render::timeline::event(e, a, style);
    format!(
        "    {}  {:<8} {what}",
        style.at(e.at, crate::render::Form::Stamp),
        e.actor
    )
}
