//! The [`Chat`] port over Discord's HTTP API: posts (into the incident's thread when it has
//! one), card edits, threads under cards, and exact pings.
//!
//! - Who a post pings is resolved here from the configuration ([`Targets`]): a ladder role to
//!   the role or user `AgreementConfig::roles` maps it to, the responders to their role ids, a
//!   user to its id. The ping text (`<@&id>`, `<@id>`) goes in the content and
//!   `allowed_mentions` names exactly those roles and users with an empty `parse` list, so
//!   nothing else in a message (a title, a note) can ping.
//! - A post carries its job id as `nonce` with `enforce_nonce`, so a resend (a retry, a lost
//!   reply, a restart) returns the earlier message instead of posting twice.
//! - Transient failures (429, 5xx, network) are retried here a few times, briefly, before the
//!   error goes back to the scheduler — a retry is safe (the nonce) and keeps one incident's
//!   posts in order, since the next job of the incident waits for this call. Discord's own
//!   ratelimiter (on against Discord itself) already waits out 429s.
//! - Errors map to [`ChatError`]: 429, 5xx and network → `Transient`; 4xx (an unknown channel,
//!   missing permissions, a body Discord refuses) → `Permanent` with the reason in words.

use super::render;
use crate::config::{ChatTarget, Config};
use crate::domain::catalog::Catalog;
use crate::service::notice::{IncidentSummary, Mention, Notice};
use crate::service::ports::{ChannelKind, Chat, ChatError, MessageRef, Post};
use async_trait::async_trait;
use serenity::all::{
    AutoArchiveDuration, ChannelId, CreateAllowedMentions, CreateAttachment, CreateMessage, CreateThread, EditMessage,
    MessageId, Nonce, RoleId, UserId,
};
use serenity::http::{Http, HttpError};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// Discord's JSON error code for "a thread has already been created for this message".
const THREAD_EXISTS: isize = 160004;
/// Discord's JSON error code for "unknown channel".
const UNKNOWN_CHANNEL: isize = 10003;

/// Someone a ladder level pings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A role id.
    Role(u64),
    /// A user id.
    User(u64),
}

/// One agreement's Discord ids, parsed from its configuration. A value that is not a
/// snowflake is kept as text so posts and `vakt discord check` can say which one is wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgreementTargets {
    /// The incidents, status and summary channels (`Err`: the configured text).
    pub channels: BTreeMap<ChannelKind, Result<u64, String>>,
    /// Ladder role → role or user.
    pub ladder: BTreeMap<String, Result<Target, String>>,
    /// Responder role ids.
    pub responders: Vec<Result<u64, String>>,
    /// Manager role ids.
    pub managers: Vec<Result<u64, String>>,
}

fn snowflake(s: &str) -> Result<u64, String> {
    crate::config::snowflake(s).ok_or_else(|| s.to_string())
}

/// Every agreement's Discord ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    /// By agreement id.
    pub agreements: BTreeMap<String, AgreementTargets>,
}

impl Targets {
    /// The ids of every configured agreement (in Discord mode the channel, role and user
    /// strings of `vakt.toml` are Discord ids).
    pub fn from_config(config: &Config) -> Targets {
        let mut agreements = BTreeMap::new();
        for (id, c) in &config.agreements {
            let channels = [
                (ChannelKind::Incidents, &c.channels.incidents),
                (ChannelKind::Status, &c.channels.status),
                (ChannelKind::Summary, &c.channels.summary),
            ]
            .into_iter()
            .map(|(k, v)| (k, snowflake(v)))
            .collect();
            let ladder = c
                .roles
                .iter()
                .map(|(role, t)| {
                    let target = match t {
                        ChatTarget::Role(r) => snowflake(r).map(Target::Role),
                        ChatTarget::User(u) => snowflake(u).map(Target::User),
                    };
                    (role.clone(), target)
                })
                .collect();
            agreements.insert(
                id.clone(),
                AgreementTargets {
                    channels,
                    ladder,
                    responders: c.responders.iter().map(|r| snowflake(r)).collect(),
                    managers: c.managers.iter().map(|r| snowflake(r)).collect(),
                },
            );
        }
        Targets { agreements }
    }

    /// The channel id of an agreement's channel, or why there is none.
    pub fn channel(&self, agreement: &str, kind: ChannelKind) -> Result<u64, ChatError> {
        let a = self.agreements.get(agreement).ok_or_else(|| ChatError::Permanent {
            reason: format!("agreement {agreement} has no Discord configuration"),
        })?;
        match a.channels.get(&kind) {
            Some(Ok(id)) => Ok(*id),
            Some(Err(text)) => Err(ChatError::Permanent {
                reason: format!("the {kind} channel of agreement {agreement} is {text:?}, not a Discord channel id"),
            }),
            None => Err(ChatError::Permanent {
                reason: format!("agreement {agreement} has no {kind} channel"),
            }),
        }
    }

    /// The role and user ids `mentions` ping for `agreement`, each once, in order. Mentions
    /// that map to no Discord id ping nobody (`vakt discord check` reports them).
    pub fn pings(&self, agreement: &str, mentions: &[Mention]) -> (Vec<u64>, Vec<u64>) {
        let (mut roles, mut users) = (Vec::new(), Vec::new());
        let a = self.agreements.get(agreement);
        let mut push = |t: Target| match t {
            Target::Role(r) if !roles.contains(&r) => roles.push(r),
            Target::User(u) if !users.contains(&u) => users.push(u),
            _ => {}
        };
        for m in mentions {
            match m {
                Mention::Ladder { role, .. } => {
                    if let Some(Ok(t)) = a.and_then(|a| a.ladder.get(role)) {
                        push(*t);
                    }
                }
                Mention::Responders => {
                    for r in a.into_iter().flat_map(|a| a.responders.iter()).flatten() {
                        push(Target::Role(*r));
                    }
                }
                Mention::Managers => {
                    for r in a.into_iter().flat_map(|a| a.managers.iter()).flatten() {
                        push(Target::Role(*r));
                    }
                }
                Mention::User(u) => {
                    if let Ok(id) = snowflake(u.as_str()) {
                        push(Target::User(id));
                    }
                }
            }
        }
        (roles, users)
    }
}

/// The ping text for these roles and users: `<@&1> <@2>`.
pub fn ping_text(roles: &[u64], users: &[u64]) -> String {
    roles
        .iter()
        .map(|r| format!("<@&{r}>"))
        .chain(users.iter().map(|u| format!("<@{u}>")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `allowed_mentions` naming exactly these roles and users, parsing nothing.
pub fn allowed_mentions(roles: &[u64], users: &[u64]) -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .roles(roles.iter().map(|r| RoleId::new(*r)))
        .users(users.iter().map(|u| UserId::new(*u)))
        .replied_user(false)
}

/// How often, and how soon, a transient failure is retried within one call.
#[derive(Debug, Clone, Copy)]
pub struct Retries {
    /// Attempts in all (1: no retry).
    pub attempts: u32,
    /// Wait before the first retry; doubled each time, at most 2 s.
    pub base: Duration,
}

impl Default for Retries {
    fn default() -> Self {
        Retries {
            attempts: 4,
            base: Duration::from_millis(250),
        }
    }
}

/// The chat over Discord.
pub struct DiscordChat {
    http: Arc<Http>,
    targets: Targets,
    catalog: Arc<Catalog>,
    retries: Retries,
}

impl std::fmt::Debug for DiscordChat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscordChat")
            .field("targets", &self.targets)
            .field("retries", &self.retries)
            .finish_non_exhaustive()
    }
}

/// What failed, as the scheduler needs it, from serenity's error.
pub fn map_error(e: &serenity::Error, what: &str) -> ChatError {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            let status = r.status_code.as_u16();
            let said = if r.error.code > 0 {
                format!("{} (code {})", r.error.message, r.error.code)
            } else {
                r.error.message.clone()
            };
            match status {
                429 => ChatError::Transient {
                    reason: format!("{what}: rate limited by Discord (429)"),
                    retry_after: None,
                },
                500..=599 => ChatError::transient(format!("{what}: Discord answered {status}")),
                401 => ChatError::Permanent {
                    reason: format!("{what}: Discord refused the bot token (401)"),
                },
                403 => ChatError::Permanent {
                    reason: format!("{what}: the bot lacks a permission there (403: {said})"),
                },
                404 => ChatError::Permanent {
                    reason: format!(
                        "{what}: not found on Discord — a channel or message that does not exist (404: {said})"
                    ),
                },
                _ => ChatError::Permanent {
                    reason: format!("{what}: Discord refused it ({status}: {said})"),
                },
            }
        }
        serenity::Error::Http(HttpError::Request(err)) => {
            ChatError::transient(format!("{what}: cannot reach Discord: {err}"))
        }
        // A reply that could not be read: the request may have worked; a retry is safe
        // (nonce, or an idempotent edit).
        serenity::Error::Json(err) => ChatError::transient(format!("{what}: unreadable answer from Discord: {err}")),
        other => ChatError::Permanent {
            reason: format!("{what}: {other}"),
        },
    }
}

fn discord_code(e: &serenity::Error) -> Option<isize> {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => Some(r.error.code),
        _ => None,
    }
}

fn was_rate_limited(e: &serenity::Error) -> bool {
    matches!(e, serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) if r.status_code.as_u16() == 429)
}

fn id(s: &str, what: &str) -> Result<u64, ChatError> {
    snowflake(s).map_err(|_| ChatError::Permanent {
        reason: format!("{what} {s:?} is not a Discord id"),
    })
}

impl DiscordChat {
    /// A chat over `http` posting where `config` says; `catalog` words the reasons on cards.
    pub fn new(http: Arc<Http>, config: &Config, catalog: Arc<Catalog>) -> Self {
        Self::with_targets(http, Targets::from_config(config), catalog)
    }

    /// A chat with targets resolved already.
    pub fn with_targets(http: Arc<Http>, targets: Targets, catalog: Arc<Catalog>) -> Self {
        DiscordChat {
            http,
            targets,
            catalog,
            retries: Retries::default(),
        }
    }

    /// Sets how transient failures are retried within a call.
    pub fn with_retries(mut self, retries: Retries) -> Self {
        self.retries = retries;
        self
    }

    /// The resolved ids.
    pub fn targets(&self) -> &Targets {
        &self.targets
    }

    /// Runs `op` until it succeeds, fails for good, or the attempts are used up. `safe`:
    /// whether a request that may have taken effect (a 5xx, an unreadable reply) can be
    /// repeated; a 429 is always repeated (nothing happened).
    async fn retrying<T, F, Fut>(&self, what: &str, safe: bool, mut op: F) -> Result<T, (serenity::Error, ChatError)>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = serenity::Result<T>>,
    {
        let mut wait = self.retries.base;
        let mut attempt = 1;
        loop {
            match op().await {
                Ok(v) => return Ok(v),
                Err(e) => {
                    let mapped = map_error(&e, what);
                    let again = matches!(mapped, ChatError::Transient { .. })
                        && (safe || was_rate_limited(&e))
                        && attempt < self.retries.attempts;
                    if !again {
                        return Err((e, mapped));
                    }
                    tracing::debug!(%mapped, attempt, "retrying a Discord request");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(2));
                    attempt += 1;
                }
            }
        }
    }

    fn reasons(&self, n: &Notice) -> Vec<String> {
        match n {
            Notice::Opened { incident, reasons, .. } => {
                let a = self.catalog.get(incident.agreement.as_str()).map(|a| a.as_ref());
                crate::render::cited_all(reasons, a)
            }
            _ => Vec::new(),
        }
    }

    /// The message a post becomes: rendered notice, ping text and exact `allowed_mentions`.
    /// The PNG chart a monthly report is posted with (`None` for anything else, or when the
    /// chart cannot be drawn: the figures are in the text either way).
    fn chart(&self, notice: &Notice) -> Option<(String, Vec<u8>)> {
        let Notice::Report {
            report,
            agreement,
            period,
            ..
        } = notice
        else {
            return None;
        };
        let crate::service::reports::ReportValue::Monthly(m) = report.as_ref() else {
            return None;
        };
        let a = self.catalog.get(agreement.as_str()).map(|a| a.as_ref());
        match crate::render::report::monthly_png(m, a) {
            Ok(png) => Some((format!("sla-{agreement}-{period}.png"), png)),
            Err(e) => {
                tracing::warn!(error = %e, "the monthly report's chart could not be drawn");
                None
            }
        }
    }

    fn message(&self, post: &Post) -> (String, render::Rendered, CreateAllowedMentions) {
        let (roles, users) = self.targets.pings(&post.channel.agreement, &post.mentions);
        let r = render::notice(&post.notice, &self.reasons(&post.notice), post.late_since);
        let content = render::with_pings(&r.content, &ping_text(&roles, &users));
        (content, r, allowed_mentions(&roles, &users))
    }
}

#[async_trait]
impl Chat for DiscordChat {
    async fn post(&self, post: &Post) -> Result<MessageRef, ChatError> {
        let channel = match &post.conversation {
            Some(c) => id(&c.message, "the incident's thread")?,
            None => self.targets.channel(&post.channel.agreement, post.channel.kind)?,
        };
        let (content, r, allowed) = self.message(post);
        let nonce = post.nonce.as_ref().filter(|n| !n.is_empty() && n.len() <= 25).cloned();
        let build = || {
            let mut m = CreateMessage::new()
                .content(content.clone())
                .allowed_mentions(allowed.clone());
            if let Some(e) = &r.embed {
                m = m.embed(e.clone());
            }
            if !r.components.is_empty() {
                m = m.components(r.components.clone());
            }
            if let Some(n) = &nonce {
                m = m.nonce(Nonce::String(n.clone())).enforce_nonce(true);
            }
            m
        };
        let http = &self.http;
        let mut sent = self
            .retrying("posting to Discord", nonce.is_some(), || {
                ChannelId::new(channel).send_message(http, build())
            })
            .await;
        // The incident's thread was deleted: the post goes to the channel instead.
        if let Err((e, _)) = &sent
            && post.conversation.is_some()
            && discord_code(e) == Some(UNKNOWN_CHANNEL)
        {
            let fallback = self.targets.channel(&post.channel.agreement, post.channel.kind)?;
            tracing::warn!(
                thread = channel,
                fallback,
                "the incident's thread is gone; posting to its channel"
            );
            sent = self
                .retrying("posting to Discord", nonce.is_some(), || {
                    ChannelId::new(fallback).send_message(http, build())
                })
                .await;
        }
        let msg = sent.map_err(|(_, e)| e)?;
        // A long report goes on in further messages, each with a nonce of its own derived
        // from the job's, so a retry of the whole post repeats none of them.
        for (i, part) in r.more.iter().enumerate() {
            let part_nonce = nonce
                .as_ref()
                .map(|n| format!("{n}.{}", i + 1))
                .filter(|n| n.len() <= 25);
            let build = || {
                let mut m = CreateMessage::new()
                    .content(part.clone())
                    .allowed_mentions(CreateAllowedMentions::new().empty_roles().empty_users());
                if let Some(n) = &part_nonce {
                    m = m.nonce(Nonce::String(n.clone())).enforce_nonce(true);
                }
                m
            };
            self.retrying("posting to Discord", part_nonce.is_some(), || {
                msg.channel_id.send_message(http, build())
            })
            .await
            .map_err(|(_, e)| e)?;
        }
        if let Some((name, png)) = self.chart(&post.notice) {
            let attach = || {
                let mut m = CreateMessage::new()
                    .add_file(CreateAttachment::bytes(png.clone(), name.clone()))
                    .allowed_mentions(CreateAllowedMentions::new().empty_roles().empty_users());
                if let Some(n) = nonce.as_ref().map(|n| format!("{n}.png")).filter(|n| n.len() <= 25) {
                    m = m.nonce(Nonce::String(n)).enforce_nonce(true);
                }
                m
            };
            self.retrying("attaching the report's chart", nonce.is_some(), || {
                msg.channel_id.send_message(http, attach())
            })
            .await
            .map_err(|(_, e)| e)?;
        }
        Ok(MessageRef {
            channel: msg.channel_id.get().to_string(),
            message: msg.id.get().to_string(),
        })
    }

    async fn edit(&self, message: &MessageRef, post: &Post) -> Result<(), ChatError> {
        let channel = id(&message.channel, "the card's channel")?;
        let msg = id(&message.message, "the card's message")?;
        let (content, r, allowed) = self.message(post);
        let build = || {
            let mut m = EditMessage::new()
                .content(content.clone())
                .allowed_mentions(allowed.clone())
                .components(r.components.clone());
            if let Some(e) = &r.embed {
                m = m.embed(e.clone());
            }
            m
        };
        let http = &self.http;
        self.retrying("editing the incident card", true, || {
            ChannelId::new(channel).edit_message(http, MessageId::new(msg), build())
        })
        .await
        .map_err(|(_, e)| e)?;
        Ok(())
    }

    async fn start_conversation(&self, card: &MessageRef, incident: &IncidentSummary) -> Result<MessageRef, ChatError> {
        let channel = id(&card.channel, "the card's channel")?;
        let msg = id(&card.message, "the card's message")?;
        let name = render::thread_name(incident);
        let http = &self.http;
        let made = self
            .retrying("starting the incident's thread", true, || {
                ChannelId::new(channel).create_thread_from_message(
                    http,
                    MessageId::new(msg),
                    CreateThread::new(name.clone()).auto_archive_duration(AutoArchiveDuration::OneWeek),
                )
            })
            .await;
        let thread = match made {
            Ok(t) => t.id.get(),
            // Made by an earlier attempt whose answer was lost: a thread started from a
            // message has the message's id.
            Err((e, _)) if discord_code(&e) == Some(THREAD_EXISTS) => msg,
            Err((_, e)) => return Err(e),
        };
        Ok(MessageRef {
            channel: card.channel.clone(),
            message: thread.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ping_text_and_allowed_mentions_name_the_same_ids() {
        assert_eq!(ping_text(&[1, 2], &[3]), "<@&1> <@&2> <@3>");
        let v = serde_json::to_value(allowed_mentions(&[1], &[3])).unwrap_or_default();
        assert_eq!(v["parse"], serde_json::json!([]));
        assert_eq!(v["roles"], serde_json::json!(["1"]));
        assert_eq!(v["users"], serde_json::json!(["3"]));
    }

    #[test]
    fn only_snowflakes_are_ids() {
        assert!(snowflake("123456789012345678").is_ok());
        for bad in ["", "responder", "12", "-123456789012345678", "99999999999999999999999"] {
            assert!(snowflake(bad).is_err(), "{bad}");
        }
    }
}
