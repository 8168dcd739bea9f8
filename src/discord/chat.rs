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
//!   posts in order, since the next job of the incident waits for this call.
//! - A 429's wait is honoured whatever the transport. Against Discord itself serenity's
//!   ratelimiter sends the requests and waits out 429s. Against any other API base (a proxy,
//!   the tests' fake) serenity's ratelimiter is off and its error drops the answer's
//!   `retry_after`, so vakt sends serenity's built request through its own HTTP client and
//!   reads the wait from the body (else the `Retry-After` header): a wait up to
//!   [`Retries::max_wait`] is waited out within the call, a longer one goes to the scheduler
//!   as the error's `retry_after`.
//! - Errors map to [`ChatError`]: 429, 5xx and network → `Transient`; 4xx (an unknown channel,
//!   missing permissions, a body Discord refuses) → `Permanent` with the reason in words.
//! - References that are not there: a card or thread Discord no longer has (404 Unknown
//!   Message or Unknown Channel, a moderator deleted it), or one another chat adapter stored
//!   on the same database (the console's `1`), is [`ChatError::Gone`] for an edit or a new
//!   thread (the runner then posts a new card), and a post meant for such a thread goes to
//!   its channel instead.

use super::render;
use crate::config::{ChatTarget, Config};
use crate::domain::catalog::Catalog;
use crate::service::notice::{IncidentSummary, Mention, Notice};
use crate::service::ports::{ChannelKind, Chat, ChatError, MessageRef, Post};
use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serenity::all::{
    AutoArchiveDuration, ChannelId, CreateAllowedMentions, CreateAttachment, CreateMessage, CreateThread, EditMessage,
    GuildChannel, Message, MessageId, Nonce, RoleId, UserId,
};
use serenity::http::{Http, HttpError, LightMethod, Multipart, MultipartUpload, Request, Route};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// Discord's JSON error code for "a thread has already been created for this message".
const THREAD_EXISTS: isize = 160004;
/// Discord's JSON error code for "unknown channel".
const UNKNOWN_CHANNEL: isize = 10003;
/// Discord's JSON error code for "unknown message".
const UNKNOWN_MESSAGE: isize = 10008;

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
    /// The language of each agreement's posts.
    pub languages: crate::config::Languages,
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
        Targets {
            agreements,
            languages: config.languages(),
        }
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
    /// The longest wait a 429 may ask for and still be waited out within the call (exactly
    /// as long as it asks); a longer one ends the call and the scheduler retries the job no
    /// sooner than asked.
    pub max_wait: Duration,
}

impl Default for Retries {
    fn default() -> Self {
        Retries {
            attempts: 4,
            base: Duration::from_millis(250),
            max_wait: Duration::from_secs(2),
        }
    }
}

/// How requests reach Discord.
enum Transport {
    /// Through serenity, whose ratelimiter (on against Discord itself) waits out 429s.
    Serenity,
    /// Sent by vakt with this client, serenity's ratelimiter being off (a proxy or another
    /// API base): serenity's errors drop a 429's `retry_after`, so vakt reads the answer.
    Direct(reqwest::Client),
}

/// A request that did not work: Discord's status and JSON error code when it answered, and
/// what that means for the scheduler.
#[derive(Debug)]
struct Refusal {
    status: Option<u16>,
    code: Option<isize>,
    error: ChatError,
}

impl Refusal {
    /// What serenity's error says.
    fn of(e: &serenity::Error, what: &str) -> Refusal {
        let (status, code) = match e {
            serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
                (Some(r.status_code.as_u16()), Some(r.error.code))
            }
            _ => (None, None),
        };
        Refusal {
            status,
            code,
            error: map_error(e, what),
        }
    }

    /// A failure worth retrying, without an answer from Discord.
    fn transient(reason: String) -> Refusal {
        Refusal {
            status: None,
            code: None,
            error: ChatError::transient(reason),
        }
    }

    fn rate_limited(&self) -> bool {
        self.status == Some(429)
    }

    /// Whether Discord said the message or channel is not there.
    fn unknown(&self) -> bool {
        matches!(self.code, Some(UNKNOWN_MESSAGE | UNKNOWN_CHANNEL))
    }

    /// The refusal as the scheduler sees it when its target is gone.
    fn gone(self) -> ChatError {
        match self.error {
            ChatError::Permanent { reason } if self.unknown() => ChatError::Gone { reason },
            other => other,
        }
    }
}

/// Discord's error body: `{"code": 10008, "message": "Unknown Message"}`, and for a 429
/// `retry_after` in seconds.
#[derive(Debug, Default, serde::Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: isize,
    #[serde(default)]
    message: String,
    #[serde(default)]
    retry_after: Option<f64>,
}

/// A wait in seconds as Discord writes it (`1.0`, or `1` in `Retry-After`); `None` when it is
/// not a finite, non-negative number.
fn wait_of(seconds: f64) -> Option<Duration> {
    Duration::try_from_secs_f64(seconds).ok()
}

/// The chat over Discord.
pub struct DiscordChat {
    http: Arc<Http>,
    transport: Transport,
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
            answered(r.status_code.as_u16(), r.error.code, &r.error.message, None, what)
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

/// What Discord's answer `status` with its JSON error `code` and `message` means, and the
/// wait a 429 asked for when it is known.
fn answered(status: u16, code: isize, message: &str, retry_after: Option<Duration>, what: &str) -> ChatError {
    let said = if code > 0 {
        format!("{message} (code {code})")
    } else {
        message.to_string()
    };
    match status {
        429 => ChatError::Transient {
            reason: match retry_after {
                Some(wait) => format!(
                    "{what}: rate limited by Discord (429, retry after {:.3} s)",
                    wait.as_secs_f64()
                ),
                None => format!("{what}: rate limited by Discord (429)"),
            },
            retry_after,
        },
        500..=599 => ChatError::Transient {
            reason: format!("{what}: Discord answered {status}"),
            retry_after,
        },
        401 => ChatError::Permanent {
            reason: format!("{what}: Discord refused the bot token (401)"),
        },
        403 => ChatError::Permanent {
            reason: format!("{what}: the bot lacks a permission there (403: {said})"),
        },
        404 => ChatError::Permanent {
            reason: format!("{what}: not found on Discord — a channel or message that does not exist (404: {said})"),
        },
        _ => ChatError::Permanent {
            reason: format!("{what}: Discord refused it ({status}: {said})"),
        },
    }
}

/// A message reference as Discord ids (channel, message), or `Gone` when another chat adapter
/// stored it (the console numbers its messages).
fn discord_ref(r: &MessageRef, what: &str) -> Result<(u64, u64), ChatError> {
    match (snowflake(&r.channel), snowflake(&r.message)) {
        (Ok(channel), Ok(message)) => Ok((channel, message)),
        _ => Err(ChatError::Gone {
            reason: format!(
                "{what} {:?} in {:?} is not a Discord message (stored by another chat)",
                r.message, r.channel
            ),
        }),
    }
}

/// A request body as JSON.
fn json(body: &impl serde::Serialize, what: &str) -> Result<Vec<u8>, Refusal> {
    serde_json::to_vec(body).map_err(|e| Refusal {
        status: None,
        code: None,
        error: ChatError::Permanent {
            reason: format!("{what}: cannot encode the request: {e}"),
        },
    })
}

impl DiscordChat {
    /// A chat over `http` posting where `config` says; `catalog` words the reasons on cards.
    pub fn new(http: Arc<Http>, config: &Config, catalog: Arc<Catalog>) -> Self {
        Self::with_targets(http, Targets::from_config(config), catalog)
    }

    /// A chat with targets resolved already.
    pub fn with_targets(http: Arc<Http>, targets: Targets, catalog: Arc<Catalog>) -> Self {
        let transport = if http.ratelimiter.is_some() {
            Transport::Serenity
        } else {
            match reqwest::Client::builder().build() {
                Ok(client) => Transport::Direct(client),
                Err(e) => {
                    tracing::warn!(error = %e, "no HTTP client of vakt's own: a 429's retry_after cannot be read");
                    Transport::Serenity
                }
            }
        };
        DiscordChat {
            http,
            transport,
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
    /// repeated; a 429 is always repeated (nothing happened), after exactly the wait it asked
    /// for when that is at most [`Retries::max_wait`] (a longer one goes to the scheduler).
    async fn retrying<T, F, Fut>(&self, safe: bool, mut op: F) -> Result<T, Refusal>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, Refusal>>,
    {
        let mut wait = self.retries.base;
        let mut attempt = 1;
        loop {
            let refused = match op().await {
                Ok(v) => return Ok(v),
                Err(r) => r,
            };
            let ChatError::Transient { retry_after, .. } = &refused.error else {
                return Err(refused);
            };
            let asked = *retry_after;
            let again = (safe || refused.rate_limited())
                && attempt < self.retries.attempts
                && asked.is_none_or(|a| a <= self.retries.max_wait);
            if !again {
                return Err(refused);
            }
            tracing::debug!(error = %refused.error, attempt, "retrying a Discord request");
            tokio::time::sleep(asked.unwrap_or(wait)).await;
            wait = (wait * 2).min(Duration::from_secs(2));
            attempt += 1;
        }
    }

    /// Sends `req` and decodes Discord's answer: through serenity, or (its ratelimiter off)
    /// through vakt's own client, reading a refusal's `retry_after` from the body or the
    /// `Retry-After` header.
    async fn send<T: DeserializeOwned>(&self, req: Request<'_>, what: &str) -> Result<T, Refusal> {
        let client = match &self.transport {
            Transport::Serenity => return self.http.fire(req).await.map_err(|e| Refusal::of(&e, what)),
            Transport::Direct(client) => client,
        };
        let request = req
            .build(client, self.http.token(), self.http.proxy.as_deref())
            .map_err(|e| Refusal::of(&e, what))?
            .build()
            .map_err(|e| Refusal::of(&serenity::Error::Http(HttpError::Request(e)), what))?;
        let answer = client
            .execute(request)
            .await
            .map_err(|e| Refusal::transient(format!("{what}: cannot reach Discord: {e}")))?;
        let status = answer.status();
        let header_wait = (answer.headers().get(reqwest::header::RETRY_AFTER))
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .and_then(wait_of);
        // A reply that could not be read: the request may have worked; a retry is safe
        // (nonce, or an idempotent edit).
        let unreadable =
            |e: &dyn std::fmt::Display| Refusal::transient(format!("{what}: unreadable answer from Discord: {e}"));
        let body = answer.bytes().await.map_err(|e| unreadable(&e))?;
        if status.is_success() {
            return serde_json::from_slice(&body).map_err(|e| unreadable(&e));
        }
        let said: ErrorBody = serde_json::from_slice(&body).unwrap_or_default();
        let message = if said.message.is_empty() {
            status.canonical_reason().unwrap_or("no reason given").to_string()
        } else {
            said.message
        };
        let wait = said.retry_after.and_then(wait_of).or(header_wait);
        Err(Refusal {
            status: Some(status.as_u16()),
            code: Some(said.code),
            error: answered(status.as_u16(), said.code, &message, wait, what),
        })
    }

    /// Posts `message` (with `file` attached, if any) to a channel or thread.
    async fn send_message(
        &self,
        channel: u64,
        message: CreateMessage,
        file: Option<CreateAttachment>,
        what: &str,
    ) -> Result<Message, Refusal> {
        let req = Request::new(
            Route::ChannelMessages {
                channel_id: ChannelId::new(channel),
            },
            LightMethod::Post,
        );
        let req = match file {
            None => req.body(Some(json(&message, what)?)),
            Some(file) => {
                let payload = json(&message.add_file(file.clone()), what)?;
                req.multipart(Some(Multipart {
                    upload: MultipartUpload::Attachments(vec![file]),
                    fields: vec![],
                    payload_json: Some(String::from_utf8_lossy(&payload).into_owned()),
                }))
            }
        };
        self.send(req, what).await
    }

    fn reasons(&self, n: &Notice) -> Vec<String> {
        match n {
            Notice::Opened { incident, reasons, .. } => {
                let a = self.catalog.get(incident.agreement.as_str()).map(|a| a.as_ref());
                crate::render::cited_all(reasons, a, self.targets.languages.of(incident.agreement.as_str()))
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
        match crate::render::report::monthly_png(m, a, self.targets.languages.of(agreement.as_str())) {
            Ok(png) => Some((format!("sla-{agreement}-{period}.png"), png)),
            Err(e) => {
                tracing::warn!(error = %e, "the monthly report's chart could not be drawn");
                None
            }
        }
    }

    fn message(&self, post: &Post) -> (String, render::Rendered, CreateAllowedMentions) {
        let (roles, users) = self.targets.pings(&post.channel.agreement, &post.mentions);
        let locale = self.targets.languages.of(&post.channel.agreement);
        let r = render::notice(&post.notice, &self.reasons(&post.notice), post.late_since, locale);
        let content = render::with_pings(&r.content, &ping_text(&roles, &users));
        (content, r, allowed_mentions(&roles, &users))
    }
}

#[async_trait]
impl Chat for DiscordChat {
    async fn post(&self, post: &Post) -> Result<MessageRef, ChatError> {
        // A conversation another chat adapter stored (the console's) is no Discord thread:
        // the post goes to its channel.
        let thread = (post.conversation.as_ref()).and_then(|c| snowflake(&c.message).ok());
        let channel = match thread {
            Some(t) => t,
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
        const POSTING: &str = "posting to Discord";
        let mut sent = self
            .retrying(nonce.is_some(), || self.send_message(channel, build(), None, POSTING))
            .await;
        // The incident's thread was deleted: the post goes to the channel instead.
        if let Err(e) = &sent
            && thread.is_some()
            && e.code == Some(UNKNOWN_CHANNEL)
        {
            let fallback = self.targets.channel(&post.channel.agreement, post.channel.kind)?;
            tracing::warn!(
                thread = channel,
                fallback,
                "the incident's thread is gone; posting to its channel"
            );
            sent = self
                .retrying(nonce.is_some(), || self.send_message(fallback, build(), None, POSTING))
                .await;
        }
        let msg = sent.map_err(|e| e.error)?;
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
            self.retrying(part_nonce.is_some(), || {
                self.send_message(msg.channel_id.get(), build(), None, POSTING)
            })
            .await
            .map_err(|e| e.error)?;
        }
        if let Some((name, png)) = self.chart(&post.notice) {
            let attach = || {
                let mut m =
                    CreateMessage::new().allowed_mentions(CreateAllowedMentions::new().empty_roles().empty_users());
                if let Some(n) = nonce.as_ref().map(|n| format!("{n}.png")).filter(|n| n.len() <= 25) {
                    m = m.nonce(Nonce::String(n)).enforce_nonce(true);
                }
                m
            };
            let file = || Some(CreateAttachment::bytes(png.clone(), name.clone()));
            self.retrying(nonce.is_some(), || {
                self.send_message(msg.channel_id.get(), attach(), file(), "attaching the report's chart")
            })
            .await
            .map_err(|e| e.error)?;
        }
        Ok(MessageRef {
            channel: msg.channel_id.get().to_string(),
            message: msg.id.get().to_string(),
        })
    }

    async fn edit(&self, message: &MessageRef, post: &Post) -> Result<(), ChatError> {
        let (channel, msg) = discord_ref(message, "the card")?;
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
        const EDITING: &str = "editing the incident card";
        let edit = || async move {
            let req = Request::new(
                Route::ChannelMessage {
                    channel_id: ChannelId::new(channel),
                    message_id: MessageId::new(msg),
                },
                LightMethod::Patch,
            )
            .body(Some(json(&build(), EDITING)?));
            self.send::<Message>(req, EDITING).await
        };
        // A card a moderator deleted (or in a channel that is gone) is `Gone`: the runner
        // posts a new one.
        self.retrying(true, edit).await.map_err(Refusal::gone)?;
        Ok(())
    }

    async fn start_conversation(&self, card: &MessageRef, incident: &IncidentSummary) -> Result<MessageRef, ChatError> {
        let (channel, msg) = discord_ref(card, "the card")?;
        let name = render::thread_name(incident, self.targets.languages.of(&incident.agreement));
        const STARTING: &str = "starting the incident's thread";
        let start = || async {
            let body = CreateThread::new(name.clone()).auto_archive_duration(AutoArchiveDuration::OneWeek);
            let req = Request::new(
                Route::ChannelMessageThreads {
                    channel_id: ChannelId::new(channel),
                    message_id: MessageId::new(msg),
                },
                LightMethod::Post,
            )
            .body(Some(json(&body, STARTING)?));
            self.send::<GuildChannel>(req, STARTING).await
        };
        let thread = match self.retrying(true, start).await {
            Ok(t) => t.id.get(),
            // Made by an earlier attempt whose answer was lost: a thread started from a
            // message has the message's id.
            Err(e) if e.code == Some(THREAD_EXISTS) => msg,
            Err(e) => return Err(e.gone()),
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
    fn a_429_carries_the_wait_it_asked_for() {
        assert_eq!(wait_of(1.5), Some(Duration::from_millis(1500)));
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(wait_of(bad), None, "{bad}");
        }
        let asked = Some(Duration::from_secs(1));
        let e = answered(429, 0, "You are being rate limited.", asked, "posting");
        assert!(matches!(e, ChatError::Transient { retry_after, .. } if retry_after == asked));
        let e = answered(404, UNKNOWN_MESSAGE, "Unknown Message", None, "editing");
        assert!(matches!(e, ChatError::Permanent { .. }));
    }

    #[test]
    fn another_chats_references_are_gone_on_discord() {
        let console = MessageRef {
            channel: "#borger-dk-incidents".into(),
            message: "1".into(),
        };
        assert!(matches!(discord_ref(&console, "the card"), Err(ChatError::Gone { .. })));
        let discord = MessageRef {
            channel: "1300000000000000001".into(),
            message: "1300000000000000002".into(),
        };
        assert_eq!(
            discord_ref(&discord, "the card").ok(),
            Some((1_300_000_000_000_000_001, 1_300_000_000_000_000_002))
        );
    }

    #[test]
    fn only_snowflakes_are_ids() {
        assert!(snowflake("123456789012345678").is_ok());
        for bad in ["", "responder", "12", "-123456789012345678", "99999999999999999999999"] {
            assert!(snowflake(bad).is_err(), "{bad}");
        }
    }
}
