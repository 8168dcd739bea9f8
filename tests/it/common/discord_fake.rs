//! A local fake of Discord's REST API (v10) that serenity's real HTTP client talks to.
//!
//! - An axum server on `127.0.0.1:0`; point serenity at it with [`FakeDiscord::settings`] /
//!   [`FakeDiscord::http`] (`proxy` + ratelimiter off, so requests arrive as `/api/v10/...`).
//! - Every request is routed against the paths of Discord's own OpenAPI spec
//!   (`tests/data/discord/openapi.json`); its JSON body (or the `payload_json` part of a
//!   multipart body) is validated with the `jsonschema` crate against the route's
//!   `requestBody` schema, with the spec's `components` at the validator's root so `$ref`s
//!   resolve. Every request is recorded with its validation errors ([`FakeDiscord::requests`],
//!   [`FakeDiscord::assert_valid`]).
//! - State like Discord's: a guild with channels, roles and members, messages per channel
//!   (with edits), threads started from messages (the thread id is the message id), the pings
//!   Discord would compute from `content` and `allowed_mentions`, application commands,
//!   interaction callbacks and their webhook messages (`@original`, followups).
//! - `nonce` + `enforce_nonce`: the same nonce in the same channel within five minutes returns
//!   the earlier message and posts nothing new.
//! - Faults: a seeded share of requests answered 429 (with `retry-after` and Discord's JSON
//!   body), 5xx, or 5xx after the effect was stored (a lost reply), deterministic (an LCG).
//!
//! Use from a test or bench with `#[path = "common/discord_fake.rs"] mod discord_fake;`.

#![allow(dead_code)]

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use vakt::config::Secret;
use vakt::discord::DiscordSettings;

/// The guild every fake serves.
pub const GUILD_ID: u64 = 1_100_000_000_000_000_001;
/// The bot's user id (also the application id, as on Discord).
pub const BOT_ID: u64 = 1_100_000_000_000_000_002;
/// The application id.
pub const APP_ID: u64 = BOT_ID;
/// The guild's owner (not the bot).
pub const OWNER_ID: u64 = 1_100_000_000_000_000_003;
/// The channel interaction responses and followups are said to be in (an interaction's
/// channel is in its payload, which the fake never sees).
pub const INTERACTION_CHANNEL: u64 = 1_100_000_000_000_000_009;
/// The token the fake expects (`Authorization: Bot <token>`).
pub const TOKEN: &str = "fake-token";

/// How long a nonce is remembered per channel.
pub const NONCE_WINDOW: Duration = Duration::from_secs(300);

/// Discord's permission bits the checks use.
pub mod perm {
    /// ADMINISTRATOR.
    pub const ADMINISTRATOR: u64 = 1 << 3;
    /// VIEW_CHANNEL.
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    /// SEND_MESSAGES.
    pub const SEND_MESSAGES: u64 = 1 << 11;
    /// EMBED_LINKS.
    pub const EMBED_LINKS: u64 = 1 << 14;
    /// READ_MESSAGE_HISTORY.
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    /// MENTION_EVERYONE.
    pub const MENTION_EVERYONE: u64 = 1 << 17;
    /// CREATE_PUBLIC_THREADS.
    pub const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
    /// SEND_MESSAGES_IN_THREADS.
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    /// What a bot invited with vakt's permissions has.
    pub const BOT: u64 = VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | READ_MESSAGE_HISTORY
        | CREATE_PUBLIC_THREADS
        | SEND_MESSAGES_IN_THREADS;
}

// ---------------------------------------------------------------------------------------
// The spec and its validators
// ---------------------------------------------------------------------------------------

/// One route of the spec.
struct SpecRoute {
    method: Method,
    template: String,
    segments: Vec<String>,
    /// The `application/json` request schema, if the route takes a body.
    body: Option<Value>,
    /// Path parameters whose schema is a snowflake.
    snowflakes: Vec<String>,
    /// The `application/json` schema of each response status the spec gives.
    responses: Vec<(u16, Value)>,
    response_validators: Mutex<HashMap<u16, Arc<jsonschema::Validator>>>,
    validator: OnceLock<Result<Arc<jsonschema::Validator>, String>>,
}

/// Discord's spec: routes and the components their schemas refer to.
pub struct Spec {
    routes: Vec<SpecRoute>,
    components: Value,
}

/// Where the spec lives in the repository.
pub fn spec_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/discord/openapi.json")
}

/// The spec, loaded once per process.
pub fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(spec_path()).expect("read Discord's openapi.json");
        let doc: Value = serde_json::from_str(&text).expect("parse Discord's openapi.json");
        let mut routes = Vec::new();
        for (template, item) in doc["paths"].as_object().expect("paths") {
            for (m, op) in item.as_object().expect("path item") {
                let method = match m.as_str() {
                    "get" => Method::GET,
                    "post" => Method::POST,
                    "put" => Method::PUT,
                    "patch" => Method::PATCH,
                    "delete" => Method::DELETE,
                    _ => continue,
                };
                let body = op.pointer("/requestBody/content/application~1json/schema").cloned();
                let snowflakes = item["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|p| p["in"] == "path" && p["schema"]["$ref"] == "#/components/schemas/SnowflakeType")
                    .filter_map(|p| p["name"].as_str().map(|n| format!("{{{n}}}")))
                    .collect();
                let responses = op["responses"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(code, r)| {
                        let schema = r.pointer("/content/application~1json/schema")?.clone();
                        Some((code.parse().ok()?, schema))
                    })
                    .collect();
                routes.push(SpecRoute {
                    method,
                    template: template.clone(),
                    segments: template.trim_matches('/').split('/').map(str::to_string).collect(),
                    body,
                    snowflakes,
                    responses,
                    response_validators: Mutex::new(HashMap::new()),
                    validator: OnceLock::new(),
                });
            }
        }
        Spec {
            routes,
            components: doc["components"].clone(),
        }
    })
}

impl Spec {
    /// The route a request path (without `/api/v10`) matches: literal segments win over
    /// templated ones (`@original` over `{message_id}`).
    fn route(&self, method: &Method, path: &str) -> Option<&SpecRoute> {
        let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.routes
            .iter()
            .filter(|r| r.method == *method && r.segments.len() == segs.len())
            .filter_map(|r| {
                let mut literal = 0;
                for (t, s) in r.segments.iter().zip(&segs) {
                    if t.starts_with('{') {
                        if s.is_empty() {
                            return None;
                        }
                    } else if t == s {
                        literal += 1;
                    } else {
                        return None;
                    }
                }
                Some((literal, r))
            })
            .max_by_key(|(l, _)| *l)
            .map(|(_, r)| r)
    }

    fn validator(&self, route: &SpecRoute) -> Result<Arc<jsonschema::Validator>, String> {
        route
            .validator
            .get_or_init(|| {
                let schema = route.body.clone().ok_or("the route takes no body")?;
                let root = json!({
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "components": self.components,
                    "allOf": [schema],
                });
                jsonschema::draft202012::options()
                    .build(&root)
                    .map(Arc::new)
                    .map_err(|e| format!("schema of {} {}: {e}", route.method, route.template))
            })
            .clone()
    }

    /// Checks an answer of the fake against the spec's response schema for its status (an
    /// answer whose status the spec does not describe with JSON is not checked).
    pub fn validate_response(&self, method: &Method, path: &str, status: u16, body: &Value) -> Vec<String> {
        let Some(route) = self.route(method, path) else {
            return Vec::new();
        };
        let Some((_, schema)) = route.responses.iter().find(|(c, _)| *c == status) else {
            return Vec::new();
        };
        let mut cache = route.response_validators.lock().unwrap_or_else(|e| e.into_inner());
        let v = match cache.get(&status) {
            Some(v) => v.clone(),
            None => {
                let root = json!({
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "components": self.components,
                    "allOf": [schema],
                });
                match jsonschema::draft202012::options().build(&root) {
                    Ok(v) => {
                        let v = Arc::new(v);
                        cache.insert(status, v.clone());
                        v
                    }
                    Err(e) => return vec![format!("response schema of {method} {}: {e}", route.template)],
                }
            }
        };
        v.iter_errors(body)
            .map(|e| {
                format!(
                    "answer to {method} {} ({status}) at {}: {e}",
                    route.template, e.instance_path
                )
            })
            .collect()
    }

    /// Validates `body` for `method path` (path without `/api/v10`): the errors, empty when
    /// it is valid. A path the spec does not have, or a body on a route that takes none, is
    /// an error too.
    pub fn validate(&self, method: &Method, path: &str, body: Option<&Value>) -> Vec<String> {
        let Some(route) = self.route(method, path) else {
            return vec![format!("{method} {path}: no such route in Discord's spec")];
        };
        let mut errors: Vec<String> = route
            .segments
            .iter()
            .zip(path.trim_matches('/').split('/'))
            .filter(|(t, v)| route.snowflakes.contains(t) && !is_snowflake_text(v))
            .map(|(t, v)| format!("{method} {}: {t} is {v:?}, not a snowflake", route.template))
            .collect();
        let Some(body) = body else {
            return errors;
        };
        if route.body.is_none() {
            return vec![format!("{method} {}: the route takes no body", route.template)];
        }
        let body = &tolerated(body);
        match self.validator(route) {
            Ok(v) => errors.extend(
                v.iter_errors(body)
                    .map(|e| format!("{method} {} at {}: {e}", route.template, e.instance_path)),
            ),
            Err(e) => errors.push(e),
        }
        errors
    }
}

/// The one divergence the fake accepts, and only it: serenity 0.12.5 sends an uploaded
/// file's placeholder `attachments[].id` as an integer (`0`), as Discord's own documentation
/// writes it and Discord accepts, where the spec types it as a snowflake string. Everything
/// else is validated as sent.
fn tolerated(body: &Value) -> std::borrow::Cow<'_, Value> {
    let ints = body["attachments"]
        .as_array()
        .is_some_and(|a| a.iter().any(|f| f["id"].is_u64()));
    if !ints {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut b = body.clone();
    if let Some(a) = b["attachments"].as_array_mut() {
        for f in a {
            if let Some(n) = f["id"].as_u64() {
                f["id"] = Value::String(n.to_string());
            }
        }
    }
    std::borrow::Cow::Owned(b)
}

/// Whether a path segment is a snowflake as the spec writes it (`^(0|[1-9][0-9]*)$`).
fn is_snowflake_text(s: &str) -> bool {
    s == "0" || (!s.is_empty() && !s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit()))
}

// ---------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------

/// A failure the fake answers with instead of the real answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 429 with `retry-after` and Discord's rate-limit body; nothing stored.
    RateLimited,
    /// 500 (or 503); nothing stored.
    ServerError,
    /// The request takes effect (a message is stored), then the answer is a 500: the client
    /// never learns it worked.
    LostReply,
}

/// Which share of requests fail, and how.
#[derive(Debug, Clone)]
pub struct FaultPlan {
    /// Share of eligible requests that fail, 0.0–1.0.
    pub share: f64,
    /// Seed of the deterministic choice.
    pub seed: u64,
    /// The faults to pick from (evenly).
    pub kinds: Vec<Fault>,
    /// Whether GET requests can fail too (else only requests that change something).
    pub include_get: bool,
    /// The `retry_after` the 429s ask for, in seconds.
    pub retry_after: f64,
}

impl FaultPlan {
    /// `share` of the changing requests fail with any of the three faults.
    pub fn share(share: f64, seed: u64) -> Self {
        FaultPlan {
            share,
            seed,
            kinds: vec![Fault::RateLimited, Fault::ServerError, Fault::LostReply],
            include_get: false,
            retry_after: 0.05,
        }
    }
}

/// A small deterministic generator (Knuth's MMIX LCG).
#[derive(Debug, Clone)]
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() as f64) / ((1u64 << 31) as f64)
    }
}

// ---------------------------------------------------------------------------------------
// Recorded requests and state
// ---------------------------------------------------------------------------------------

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// HTTP method.
    pub method: Method,
    /// Path without `/api/v10`.
    pub path: String,
    /// Query string, if any.
    pub query: Option<String>,
    /// The spec's route template, if the path is in the spec.
    pub route: Option<String>,
    /// The JSON body (or multipart `payload_json`).
    pub body: Option<Value>,
    /// What the validator said (empty: valid).
    pub errors: Vec<String>,
    /// What the validator said of the fake's own answer (empty: in the spec's shape).
    pub answer_errors: Vec<String>,
    /// Status answered.
    pub status: u16,
    /// The fault injected, if any.
    pub fault: Option<Fault>,
    /// When it arrived (real time: only for lower bounds, such as a wait a 429 asked for).
    pub at: Instant,
}

/// One message as the fake holds it.
#[derive(Debug, Clone)]
pub struct StoredMessage {
    /// Channel (or thread) id.
    pub channel: u64,
    /// Message id.
    pub id: u64,
    /// The message as the API returns it (its latest edit).
    pub value: Value,
    /// How often it was edited.
    pub edits: u32,
    /// Every version, the first as posted.
    pub versions: Vec<Value>,
}

impl StoredMessage {
    /// Its content.
    pub fn content(&self) -> &str {
        self.value["content"].as_str().unwrap_or("")
    }

    /// The role ids it pinged.
    pub fn pinged_roles(&self) -> Vec<u64> {
        ids(&self.value["mention_roles"])
    }

    /// The user ids it pinged.
    pub fn pinged_users(&self) -> Vec<u64> {
        self.value["mentions"]
            .as_array()
            .map(|a| a.iter().filter_map(|u| sf(&u["id"])).collect())
            .unwrap_or_default()
    }

    /// Whether it pinged `@everyone`/`@here`.
    pub fn pinged_everyone(&self) -> bool {
        self.value["mention_everyone"].as_bool().unwrap_or(false)
    }

    /// Its `allowed_mentions` as sent (kept by the fake, never in its answers).
    pub fn allowed_mentions(&self) -> &Value {
        &self.value["_allowed_mentions"]
    }

    /// Its nonce as sent (as text).
    pub fn nonce(&self) -> Option<String> {
        match &self.value["nonce"] {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

fn sf(v: &Value) -> Option<u64> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

fn ids(v: &Value) -> Vec<u64> {
    v.as_array()
        .map(|a| a.iter().filter_map(sf).collect())
        .unwrap_or_default()
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    requests: Vec<Recorded>,
    guild_name: String,
    /// Guild channels (JSON as the API returns them), by id.
    channels: BTreeMap<u64, Value>,
    /// Threads, by id.
    threads: BTreeMap<u64, Value>,
    roles: BTreeMap<u64, Value>,
    members: BTreeMap<u64, Vec<u64>>,
    messages: Vec<StoredMessage>,
    nonces: HashMap<(u64, String), (u64, Instant)>,
    global_commands: Vec<Value>,
    guild_commands: Vec<Value>,
    /// Interaction callbacks by interaction token.
    callbacks: Vec<(String, Value)>,
    /// Webhook messages by interaction token: the original response and followups.
    webhook_messages: HashMap<String, Vec<StoredMessage>>,
    faults: Option<(FaultPlan, Lcg)>,
    /// Faults queued for the next eligible requests, ahead of the plan.
    queued: Vec<Fault>,
    /// Channels whose posts are refused with 403 Missing Permissions.
    forbidden: Vec<u64>,
    /// Skip body validation (benchmarks measuring the client, not the validator).
    no_validation: bool,
}

impl Inner {
    fn id(&mut self) -> u64 {
        self.next_id += 1;
        1_300_000_000_000_000_000 + self.next_id
    }

    fn channel_exists(&self, id: u64) -> bool {
        self.channels.contains_key(&id) || self.threads.contains_key(&id)
    }
}

/// The fake Discord: a server and its state.
pub struct FakeDiscord {
    addr: SocketAddr,
    inner: Arc<Mutex<Inner>>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn user_json(id: u64) -> Value {
    let name = if id == BOT_ID {
        "vakt".to_string()
    } else {
        format!("user{}", id % 100_000)
    };
    json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": null,
        "avatar": null,
        "bot": id == BOT_ID,
        "public_flags": 0,
        "flags": 0,
        "primary_guild": null,
    })
}

fn now_ts() -> &'static str {
    "2026-11-20T12:00:00.000000+00:00"
}

impl FakeDiscord {
    /// Starts a fake with an empty guild (the `@everyone` role only, no permissions) and the
    /// bot as a member.
    pub async fn start() -> FakeDiscord {
        let mut inner = Inner {
            guild_name: "Vakt test guild".into(),
            ..Inner::default()
        };
        inner
            .roles
            .insert(GUILD_ID, role_json(GUILD_ID, "@everyone", 0, false, 0));
        inner.members.insert(BOT_ID, Vec::new());
        let inner = Arc::new(Mutex::new(inner));
        let app = Router::new().fallback(handle).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake Discord");
        let addr = listener.local_addr().expect("local addr");
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeDiscord { addr, inner, server }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Settings pointing serenity at this fake.
    pub fn settings(&self) -> DiscordSettings {
        DiscordSettings {
            token: Secret::new(TOKEN),
            api_base: self.base(),
            application_id: Some(APP_ID),
            public_key: None,
            guild_id: Some(GUILD_ID),
        }
    }

    /// serenity's client against this fake.
    pub fn http(&self) -> Arc<serenity::http::Http> {
        vakt::discord::http(&self.settings())
    }

    // --- guild set-up -------------------------------------------------------------------

    /// Adds a role; returns its id.
    pub fn add_role(&self, name: &str, permissions: u64, mentionable: bool) -> u64 {
        let mut s = self.state();
        let id = s.id();
        let pos = s.roles.len() as u64;
        s.roles.insert(id, role_json(id, name, permissions, mentionable, pos));
        id
    }

    /// Sets the permissions of `@everyone`.
    pub fn set_everyone(&self, permissions: u64) {
        let mut s = self.state();
        s.roles
            .insert(GUILD_ID, role_json(GUILD_ID, "@everyone", permissions, false, 0));
    }

    /// Adds a text channel; returns its id.
    pub fn add_channel(&self, name: &str) -> u64 {
        let mut s = self.state();
        let id = s.id();
        let pos = s.channels.len();
        s.channels.insert(
            id,
            json!({
                "id": id.to_string(),
                "type": 0,
                "guild_id": GUILD_ID.to_string(),
                "name": name,
                "position": pos,
                "permission_overwrites": [],
                "nsfw": false,
                "topic": null,
                "last_message_id": null,
                "parent_id": null,
                "rate_limit_per_user": 0,
                "flags": 0,
            }),
        );
        id
    }

    /// Adds a permission overwrite on a channel: `kind` 0 for a role, 1 for a member.
    pub fn add_overwrite(&self, channel: u64, target: u64, kind: u8, allow: u64, deny: u64) {
        let mut s = self.state();
        if let Some(c) = s.channels.get_mut(&channel)
            && let Some(list) = c["permission_overwrites"].as_array_mut()
        {
            list.push(json!({
                "id": target.to_string(),
                "type": kind,
                "allow": allow.to_string(),
                "deny": deny.to_string(),
            }));
        }
    }

    /// Adds a member (or replaces its roles).
    pub fn set_member(&self, user: u64, roles: &[u64]) {
        self.state().members.insert(user, roles.to_vec());
    }

    /// Gives the bot these roles.
    pub fn set_bot_roles(&self, roles: &[u64]) {
        self.set_member(BOT_ID, roles);
    }

    /// Deletes a thread and its messages (as a moderator would).
    pub fn delete_thread(&self, thread: u64) {
        let mut s = self.state();
        s.threads.remove(&thread);
        s.messages.retain(|m| m.channel != thread);
    }

    /// Deletes a message (as a moderator would); a thread started from it stays.
    pub fn delete_message(&self, id: u64) {
        self.state().messages.retain(|m| m.id != id);
    }

    /// Turns body validation off (`false`) or on again; only for benchmarks that measure the
    /// client rather than the validator.
    pub fn set_validation(&self, on: bool) {
        self.state().no_validation = !on;
    }

    /// Refuses posts into `channel` with 403 Missing Permissions.
    pub fn forbid(&self, channel: u64) {
        self.state().forbidden.push(channel);
    }

    /// A guild set up the way vakt needs it: a `vakt` role with [`perm::BOT`] on the bot, and
    /// `channels` text channels by name; returns the channel ids in order.
    pub fn standard_guild(&self, channels: &[&str]) -> Vec<u64> {
        let role = self.add_role("vakt", perm::BOT, false);
        self.set_bot_roles(&[role]);
        channels.iter().map(|c| self.add_channel(c)).collect()
    }

    // --- faults -------------------------------------------------------------------------

    /// Fails a share of requests from now on (`None`: none).
    pub fn set_faults(&self, plan: Option<FaultPlan>) {
        self.state().faults = plan.map(|p| {
            let lcg = Lcg(p.seed);
            (p, lcg)
        });
    }

    /// Fails the next changing requests with these faults, in order, before the plan.
    pub fn queue_faults(&self, faults: &[Fault]) {
        self.state().queued.extend_from_slice(faults);
    }

    // --- what happened ------------------------------------------------------------------

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state().requests.clone()
    }

    /// Every validation error so far, with its request.
    pub fn validation_errors(&self) -> Vec<String> {
        self.state()
            .requests
            .iter()
            .flat_map(|r| r.errors.iter().cloned())
            .collect()
    }

    /// Panics unless every request so far was in the spec with a valid body, and every answer
    /// of the fake was in the spec's shape.
    pub fn assert_valid(&self) {
        let errors = self.validation_errors();
        assert!(
            errors.is_empty(),
            "requests that break Discord's spec:\n{}",
            errors.join("\n")
        );
        let answers = self.answer_errors();
        assert!(
            answers.is_empty(),
            "answers of the fake that break Discord's spec:\n{}",
            answers.join("\n")
        );
    }

    /// Every way the fake's own answers so far broke the spec's response shapes.
    pub fn answer_errors(&self) -> Vec<String> {
        self.state()
            .requests
            .iter()
            .flat_map(|r| r.answer_errors.iter().cloned())
            .collect()
    }

    /// How many requests got each fault.
    pub fn faults_injected(&self) -> usize {
        self.state().requests.iter().filter(|r| r.fault.is_some()).count()
    }

    /// The messages in a channel or thread, oldest first.
    pub fn messages(&self, channel: u64) -> Vec<StoredMessage> {
        self.state()
            .messages
            .iter()
            .filter(|m| m.channel == channel)
            .cloned()
            .collect()
    }

    /// Every message, oldest first.
    pub fn all_messages(&self) -> Vec<StoredMessage> {
        self.state().messages.clone()
    }

    /// One message.
    pub fn message(&self, id: u64) -> Option<StoredMessage> {
        self.state().messages.iter().find(|m| m.id == id).cloned()
    }

    /// The threads, as the API returns them.
    pub fn threads(&self) -> Vec<Value> {
        self.state().threads.values().cloned().collect()
    }

    /// The commands registered globally and in the guild.
    pub fn commands(&self) -> (Vec<Value>, Vec<Value>) {
        let s = self.state();
        (s.global_commands.clone(), s.guild_commands.clone())
    }

    /// The interaction callbacks (token, body), in order.
    pub fn callbacks(&self) -> Vec<(String, Value)> {
        self.state().callbacks.clone()
    }

    /// The webhook messages of an interaction token: the original response first (if any),
    /// then followups.
    pub fn webhook_messages(&self, token: &str) -> Vec<StoredMessage> {
        self.state().webhook_messages.get(token).cloned().unwrap_or_default()
    }
}

fn role_json(id: u64, name: &str, permissions: u64, mentionable: bool, position: u64) -> Value {
    json!({
        "id": id.to_string(),
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": position,
        "permissions": permissions.to_string(),
        "managed": false,
        "mentionable": mentionable,
        "flags": 0,
    })
}

// ---------------------------------------------------------------------------------------
// Request handling
// ---------------------------------------------------------------------------------------

fn error(status: StatusCode, code: u64, message: &str) -> (StatusCode, Value) {
    (status, json!({"code": code, "message": message}))
}

/// The body's JSON: the whole body for JSON, the `payload_json` part for multipart.
fn parse_body(headers: &HeaderMap, body: &[u8]) -> Result<Option<Value>, String> {
    if body.is_empty() {
        return Ok(None);
    }
    let ctype = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    if let Some(b) = ctype.split("boundary=").nth(1) {
        let boundary = format!("--{}", b.trim_matches('"'));
        let text = String::from_utf8_lossy(body);
        for part in text.split(boundary.as_str()) {
            if part.contains("name=\"payload_json\"") {
                let json = part.split("\r\n\r\n").nth(1).unwrap_or("").trim_end_matches("\r\n");
                return serde_json::from_str(json)
                    .map(Some)
                    .map_err(|e| format!("payload_json is not JSON: {e}"));
            }
        }
        return Ok(None);
    }
    serde_json::from_slice(body)
        .map(Some)
        .map_err(|e| format!("body is not JSON: {e}"))
}

async fn handle(
    State(inner): State<Arc<Mutex<Inner>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let arrived = Instant::now();
    let full = uri.path().to_string();
    let path = full.strip_prefix("/api/v10").unwrap_or(&full).to_string();
    let query = uri.query().map(str::to_string);
    let spec = spec();
    let route = spec.route(&method, &path).map(|r| r.template.clone());
    let (json_body, mut errors) = match parse_body(&headers, &body) {
        Ok(b) => (b, Vec::new()),
        Err(e) => (None, vec![format!("{method} {path}: {e}")]),
    };
    if !full.starts_with("/api/v10/") {
        errors.push(format!("{method} {full}: not under /api/v10"));
    }
    // Interaction callbacks and webhook requests carry the token in the path, not a header.
    let needs_auth = !path.starts_with("/interactions/") && !path.starts_with("/webhooks/");
    let authorised = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bot {TOKEN}"));
    let validate = !inner.lock().unwrap_or_else(|e| e.into_inner()).no_validation;
    if validate {
        errors.extend(spec.validate(&method, &path, json_body.as_ref()));
    }

    let mut s = inner.lock().unwrap_or_else(|e| e.into_inner());
    let eligible = method != Method::GET || s.faults.as_ref().is_some_and(|(p, _)| p.include_get);
    let mut fault = None;
    if eligible && !s.queued.is_empty() {
        fault = Some(s.queued.remove(0));
    } else if eligible
        && let Some((plan, lcg)) = &mut s.faults
        && !plan.kinds.is_empty()
        && lcg.unit() < plan.share
    {
        let k = (lcg.next() as usize) % plan.kinds.len();
        fault = Some(plan.kinds[k]);
    }
    let retry_after = s.faults.as_ref().map_or(0.05, |(p, _)| p.retry_after);

    let (status, answer, extra) = match fault {
        Some(Fault::RateLimited) => {
            let (st, v) = (
                StatusCode::TOO_MANY_REQUESTS,
                json!({"message": "You are being rate limited.", "retry_after": retry_after, "global": false, "code": 0}),
            );
            (
                st,
                Some(v),
                vec![("retry-after", format!("{}", retry_after.ceil() as u64))],
            )
        }
        Some(Fault::ServerError) => {
            let (st, v) = error(StatusCode::SERVICE_UNAVAILABLE, 0, "Service Unavailable");
            (st, Some(v), Vec::new())
        }
        _ if needs_auth && !authorised => {
            let (st, v) = error(StatusCode::UNAUTHORIZED, 0, "401: Unauthorized");
            (st, Some(v), Vec::new())
        }
        _ => {
            let (st, v) = dispatch(
                &mut s,
                &method,
                &path,
                query.as_deref(),
                json_body.as_ref(),
                route.as_deref(),
            );
            if fault == Some(Fault::LostReply) {
                let (st, v) = error(StatusCode::INTERNAL_SERVER_ERROR, 0, "Internal Server Error");
                (st, Some(v), Vec::new())
            } else {
                (st, v, Vec::new())
            }
        }
    };
    let answer = answer.map(public);
    let answer_errors = match (&answer, fault) {
        (Some(a), None) if validate => spec.validate_response(&method, &path, status.as_u16(), a),
        _ => Vec::new(),
    };
    s.requests.push(Recorded {
        method,
        path,
        query,
        route,
        body: json_body,
        errors,
        answer_errors,
        status: status.as_u16(),
        fault,
        at: arrived,
    });
    drop(s);
    let mut resp = match answer {
        Some(v) => (status, axum::Json(v)).into_response(),
        None => status.into_response(),
    };
    for (k, v) in extra {
        if let Ok(v) = HeaderValue::from_str(&v) {
            resp.headers_mut().insert(k, v);
        }
    }
    resp
}

/// An answer without the fake's own bookkeeping (`_allowed_mentions`), as Discord sends it.
fn public(mut v: Value) -> Value {
    match &mut v {
        Value::Object(o) => {
            o.remove("_allowed_mentions");
        }
        Value::Array(a) => {
            for m in a.iter_mut() {
                if let Value::Object(o) = m {
                    o.remove("_allowed_mentions");
                }
            }
        }
        _ => {}
    }
    v
}

fn seg(path: &str, i: usize) -> Option<u64> {
    path.trim_matches('/').split('/').nth(i).and_then(|s| s.parse().ok())
}

fn seg_str(path: &str, i: usize) -> String {
    path.trim_matches('/').split('/').nth(i).unwrap_or("").to_string()
}

/// Routes a request (authorised, not faulted) to its effect and answer.
fn dispatch(
    s: &mut Inner,
    method: &Method,
    path: &str,
    query: Option<&str>,
    body: Option<&Value>,
    route: Option<&str>,
) -> (StatusCode, Option<Value>) {
    let Some(route) = route else {
        let (st, v) = error(StatusCode::NOT_FOUND, 0, "404: Not Found");
        return (st, Some(v));
    };
    let empty = json!({});
    let body = body.unwrap_or(&empty);
    let ok = |v: Value| (StatusCode::OK, Some(v));
    let err = |st: StatusCode, code: u64, m: &str| {
        let (st, v) = error(st, code, m);
        (st, Some(v))
    };
    match (method.as_str(), route) {
        ("GET", "/users/@me") => {
            let mut me = user_json(BOT_ID);
            me["mfa_enabled"] = json!(false);
            me["locale"] = json!("en-US");
            me["verified"] = json!(true);
            ok(me)
        }
        ("GET", "/guilds/{guild_id}") => {
            if seg(path, 1) != Some(GUILD_ID) {
                return err(StatusCode::NOT_FOUND, 10004, "Unknown Guild");
            }
            ok(guild_json(s))
        }
        ("GET", "/guilds/{guild_id}/channels") => {
            if seg(path, 1) != Some(GUILD_ID) {
                return err(StatusCode::NOT_FOUND, 10004, "Unknown Guild");
            }
            ok(Value::Array(s.channels.values().cloned().collect()))
        }
        ("GET", "/guilds/{guild_id}/roles") => {
            if seg(path, 1) != Some(GUILD_ID) {
                return err(StatusCode::NOT_FOUND, 10004, "Unknown Guild");
            }
            ok(Value::Array(s.roles.values().cloned().collect()))
        }
        ("GET", "/guilds/{guild_id}/members/{user_id}") => {
            let user = seg(path, 3).unwrap_or(0);
            match s.members.get(&user) {
                Some(roles) if seg(path, 1) == Some(GUILD_ID) => ok(member_json(user, roles)),
                _ => err(StatusCode::NOT_FOUND, 10007, "Unknown Member"),
            }
        }
        ("GET", "/users/@me/guilds/{guild_id}/member") => {
            let roles = s.members.get(&BOT_ID).cloned().unwrap_or_default();
            ok(member_json(BOT_ID, &roles))
        }
        ("GET", "/channels/{channel_id}") => {
            let id = seg(path, 1).unwrap_or(0);
            match s.channels.get(&id).or_else(|| s.threads.get(&id)) {
                Some(c) => ok(c.clone()),
                None => err(StatusCode::NOT_FOUND, 10003, "Unknown Channel"),
            }
        }
        ("POST", "/channels/{channel_id}/messages") => {
            let channel = seg(path, 1).unwrap_or(0);
            if !s.channel_exists(channel) {
                return err(StatusCode::NOT_FOUND, 10003, "Unknown Channel");
            }
            if s.forbidden.contains(&channel) {
                return err(StatusCode::FORBIDDEN, 50013, "Missing Permissions");
            }
            let nonce = match &body["nonce"] {
                Value::String(n) => Some(n.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            if let Some(n) = &nonce
                && body["enforce_nonce"].as_bool() == Some(true)
                && let Some((id, at)) = s.nonces.get(&(channel, n.clone())).copied()
                && at.elapsed() < NONCE_WINDOW
                && let Some(m) = s.messages.iter().find(|m| m.id == id)
            {
                return ok(m.value.clone());
            }
            let id = s.id();
            let value = message_json(id, channel, body, None);
            s.messages.push(StoredMessage {
                channel,
                id,
                value: value.clone(),
                edits: 0,
                versions: vec![value.clone()],
            });
            if let Some(n) = nonce {
                s.nonces.insert((channel, n), (id, Instant::now()));
            }
            if let Some(t) = s.threads.get_mut(&channel) {
                t["last_message_id"] = json!(id.to_string());
                let count = t["message_count"].as_u64().unwrap_or(0) + 1;
                t["message_count"] = json!(count);
                t["total_message_sent"] = json!(count);
            }
            ok(value)
        }
        ("GET", "/channels/{channel_id}/messages") => {
            let channel = seg(path, 1).unwrap_or(0);
            if !s.channel_exists(channel) {
                return err(StatusCode::NOT_FOUND, 10003, "Unknown Channel");
            }
            let mut list: Vec<Value> = s
                .messages
                .iter()
                .filter(|m| m.channel == channel)
                .map(|m| m.value.clone())
                .collect();
            list.reverse();
            ok(Value::Array(list))
        }
        ("GET", "/channels/{channel_id}/messages/{message_id}") => {
            let (channel, id) = (seg(path, 1).unwrap_or(0), seg(path, 3).unwrap_or(0));
            match s.messages.iter().find(|m| m.channel == channel && m.id == id) {
                Some(m) => ok(m.value.clone()),
                None => err(StatusCode::NOT_FOUND, 10008, "Unknown Message"),
            }
        }
        ("PATCH", "/channels/{channel_id}/messages/{message_id}") => {
            let (channel, id) = (seg(path, 1).unwrap_or(0), seg(path, 3).unwrap_or(0));
            if !s.channel_exists(channel) {
                return err(StatusCode::NOT_FOUND, 10003, "Unknown Channel");
            }
            match s.messages.iter_mut().find(|m| m.channel == channel && m.id == id) {
                Some(m) => {
                    let value = message_json(id, channel, body, Some(&m.value));
                    m.value = value.clone();
                    m.edits += 1;
                    m.versions.push(value.clone());
                    ok(value)
                }
                None => err(StatusCode::NOT_FOUND, 10008, "Unknown Message"),
            }
        }
        ("POST", "/channels/{channel_id}/messages/{message_id}/threads") => {
            let (channel, id) = (seg(path, 1).unwrap_or(0), seg(path, 3).unwrap_or(0));
            if !s.channels.contains_key(&channel) {
                return err(StatusCode::NOT_FOUND, 10003, "Unknown Channel");
            }
            if !s.messages.iter().any(|m| m.channel == channel && m.id == id) {
                return err(StatusCode::NOT_FOUND, 10008, "Unknown Message");
            }
            if s.threads.contains_key(&id) {
                return err(
                    StatusCode::BAD_REQUEST,
                    160004,
                    "A thread has already been created for this message",
                );
            }
            let thread = json!({
                "id": id.to_string(),
                "type": 11,
                "guild_id": GUILD_ID.to_string(),
                "parent_id": channel.to_string(),
                "owner_id": BOT_ID.to_string(),
                "name": body["name"].as_str().unwrap_or("thread"),
                "last_message_id": null,
                "message_count": 0,
                "member_count": 1,
                "total_message_sent": 0,
                "rate_limit_per_user": body["rate_limit_per_user"].as_u64().unwrap_or(0),
                "flags": 0,
                "thread_metadata": {
                    "archived": false,
                    "auto_archive_duration": body["auto_archive_duration"].as_u64().unwrap_or(4320),
                    "archive_timestamp": now_ts(),
                    "locked": false,
                    "create_timestamp": now_ts(),
                },
            });
            s.threads.insert(id, thread.clone());
            if let Some(m) = s.messages.iter_mut().find(|m| m.id == id) {
                m.value["thread"] = thread.clone();
            }
            (StatusCode::CREATED, Some(thread))
        }
        ("PUT", "/applications/{application_id}/commands")
        | ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands") => {
            let guild = route.contains("guilds").then(|| seg(path, 3).unwrap_or(0));
            let list: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|c| command_json(s.id(), guild, c))
                .collect();
            if guild.is_some() {
                s.guild_commands = list.clone();
            } else {
                s.global_commands = list.clone();
            }
            ok(Value::Array(list))
        }
        ("POST", "/applications/{application_id}/commands")
        | ("POST", "/applications/{application_id}/guilds/{guild_id}/commands") => {
            let guild = route.contains("guilds").then(|| seg(path, 3).unwrap_or(0));
            let c = command_json(s.id(), guild, body);
            if guild.is_some() {
                s.guild_commands.push(c.clone());
            } else {
                s.global_commands.push(c.clone());
            }
            (StatusCode::CREATED, Some(c))
        }
        ("GET", "/applications/{application_id}/commands") => ok(Value::Array(s.global_commands.clone())),
        ("GET", "/applications/{application_id}/guilds/{guild_id}/commands") => {
            ok(Value::Array(s.guild_commands.clone()))
        }
        ("POST", "/interactions/{interaction_id}/{interaction_token}/callback") => {
            let token = seg_str(path, 2);
            s.callbacks.push((token.clone(), body.clone()));
            // 4: channel message, 5: deferred channel message — these make (or later fill)
            // the original response. 6: deferred update — the original response is then the
            // message whose button was pressed (not kept here: an empty stand-in, which a
            // later edit fills). 7: update message — that message, replaced at once (the
            // callback is the record).
            let kind = body["type"].as_u64().unwrap_or(0);
            if matches!(kind, 4..=6) {
                let id = s.id();
                let data = if kind == 4 {
                    body["data"].clone()
                } else {
                    json!({"content": ""})
                };
                let mut value = message_json(id, INTERACTION_CHANNEL, &data, None);
                value["webhook_id"] = json!(APP_ID.to_string());
                value["application_id"] = json!(APP_ID.to_string());
                s.webhook_messages.insert(
                    token,
                    vec![StoredMessage {
                        channel: INTERACTION_CHANNEL,
                        id,
                        value: value.clone(),
                        edits: 0,
                        versions: vec![value],
                    }],
                );
            }
            let with_response = query.is_some_and(|q| q.contains("with_response=true"));
            if with_response {
                ok(json!({"interaction": {"id": seg_str(path, 1), "type": 2}}))
            } else {
                (StatusCode::NO_CONTENT, None)
            }
        }
        ("GET", "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
        | ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
        | ("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/@original") => {
            let token = seg_str(path, 2);
            let Some(list) = s.webhook_messages.get_mut(&token) else {
                return err(StatusCode::NOT_FOUND, 10015, "Unknown Webhook");
            };
            let Some(original) = list.first_mut() else {
                return err(StatusCode::NOT_FOUND, 10008, "Unknown Message");
            };
            match method.as_str() {
                "GET" => ok(original.value.clone()),
                "DELETE" => {
                    list.remove(0);
                    (StatusCode::NO_CONTENT, None)
                }
                _ => {
                    let value = message_json(original.id, INTERACTION_CHANNEL, body, Some(&original.value));
                    original.value = value.clone();
                    original.edits += 1;
                    original.versions.push(value.clone());
                    ok(value)
                }
            }
        }
        ("POST", "/webhooks/{webhook_id}/{webhook_token}") => {
            let token = seg_str(path, 2);
            let id = s.id();
            let mut value = message_json(id, INTERACTION_CHANNEL, body, None);
            value["webhook_id"] = json!(APP_ID.to_string());
            value["application_id"] = json!(APP_ID.to_string());
            s.webhook_messages.entry(token).or_default().push(StoredMessage {
                channel: INTERACTION_CHANNEL,
                id,
                value: value.clone(),
                edits: 0,
                versions: vec![value.clone()],
            });
            // Interaction followups always answer with the message (as if `wait=true`).
            ok(value)
        }
        ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}") => {
            let token = seg_str(path, 2);
            let id = seg(path, 4).unwrap_or(0);
            match s
                .webhook_messages
                .get_mut(&token)
                .and_then(|l| l.iter_mut().find(|m| m.id == id))
            {
                Some(m) => {
                    let value = message_json(id, INTERACTION_CHANNEL, body, Some(&m.value));
                    m.value = value.clone();
                    m.edits += 1;
                    m.versions.push(value.clone());
                    ok(value)
                }
                None => err(StatusCode::NOT_FOUND, 10008, "Unknown Message"),
            }
        }
        _ => err(StatusCode::NOT_IMPLEMENTED, 0, "not faked"),
    }
}

fn guild_json(s: &Inner) -> Value {
    json!({
        "id": GUILD_ID.to_string(),
        "name": s.guild_name,
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": OWNER_ID.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": s.roles.values().cloned().collect::<Vec<_>>(),
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "region": "deprecated",
        "home_header": null,
        "nsfw": false,
        "incidents_data": null,
    })
}

fn member_json(user: u64, roles: &[u64]) -> Value {
    json!({
        "user": user_json(user),
        "nick": null,
        "avatar": null,
        "banner": null,
        "roles": roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "joined_at": now_ts(),
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
    })
}

fn command_json(id: u64, guild: Option<u64>, c: &Value) -> Value {
    let mut v = c.clone();
    let o = v.as_object_mut().expect("command object");
    o.insert("id".into(), json!(id.to_string()));
    o.insert("application_id".into(), json!(APP_ID.to_string()));
    o.insert("version".into(), json!(id.to_string()));
    o.entry("type").or_insert(json!(1));
    o.entry("description").or_insert(json!(""));
    o.entry("default_member_permissions").or_insert(Value::Null);
    if let Some(g) = guild {
        o.insert("guild_id".into(), json!(g.to_string()));
    }
    if let Some(opts) = o.get_mut("options").and_then(Value::as_array_mut) {
        opts.iter_mut().for_each(stored_option);
    }
    v
}

/// An option as Discord stores and answers it: fields left unset (null, empty lists) are
/// absent, and a subcommand (group) carries only what the spec gives it.
fn stored_option(opt: &mut Value) {
    let Some(o) = opt.as_object_mut() else { return };
    o.retain(|_, v| !v.is_null() && !v.as_array().is_some_and(Vec::is_empty));
    let kind = o.get("type").and_then(Value::as_u64).unwrap_or(0);
    if kind == 1 || kind == 2 {
        o.retain(|k, _| {
            matches!(
                k.as_str(),
                "type" | "name" | "name_localizations" | "description" | "description_localizations" | "options"
            )
        });
    }
    if let Some(opts) = o.get_mut("options").and_then(Value::as_array_mut) {
        opts.iter_mut().for_each(stored_option);
    }
}

/// Who a message pings, as Discord decides it from the content and `allowed_mentions`:
/// (users, roles, everyone).
pub fn pings(content: &str, allowed: &Value) -> (Vec<u64>, Vec<u64>, bool) {
    let (mut users, mut roles) = (Vec::new(), Vec::new());
    let mut rest = content;
    while let Some(i) = rest.find("<@") {
        rest = &rest[i + 2..];
        let role = rest.starts_with('&');
        let body = rest.trim_start_matches(['&', '!']);
        let digits: String = body.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && body[digits.len()..].starts_with('>') {
            let id: u64 = digits.parse().unwrap_or(0);
            if role { roles.push(id) } else { users.push(id) }
        }
    }
    let everyone_in_text = content.contains("@everyone") || content.contains("@here");
    // No allowed_mentions: Discord parses everything.
    let (parse, allow_users, allow_roles) = if allowed.is_object() {
        let parse: Vec<String> = allowed["parse"]
            .as_array()
            .map(|a| a.iter().filter_map(|p| p.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        (parse, ids(&allowed["users"]), ids(&allowed["roles"]))
    } else {
        (
            vec!["users".into(), "roles".into(), "everyone".into()],
            Vec::new(),
            Vec::new(),
        )
    };
    let pick = |found: Vec<u64>, kind: &str, listed: &[u64]| -> Vec<u64> {
        let mut out: Vec<u64> = found
            .into_iter()
            .filter(|id| parse.iter().any(|p| p == kind) || listed.contains(id))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    };
    let users = pick(users, "users", &allow_users);
    let roles = pick(roles, "roles", &allow_roles);
    let everyone = everyone_in_text && parse.iter().any(|p| p == "everyone");
    (users, roles, everyone)
}

/// A message as the API returns it, from a create or edit body (`before`: the message being
/// edited, whose fields the edit does not name stay).
fn message_json(id: u64, channel: u64, body: &Value, before: Option<&Value>) -> Value {
    let mut v = before.cloned().unwrap_or_else(|| {
        json!({
            "id": id.to_string(),
            "channel_id": channel.to_string(),
            "guild_id": GUILD_ID.to_string(),
            "author": user_json(BOT_ID),
            "content": "",
            "timestamp": now_ts(),
            "edited_timestamp": null,
            "tts": false,
            "mention_everyone": false,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": false,
            "type": 0,
            "flags": 0,
            "components": [],
            "_allowed_mentions": null,
        })
    });
    if before.is_some() {
        v["edited_timestamp"] = json!(now_ts());
    }
    for key in ["content", "embeds", "components", "flags", "nonce"] {
        if let Some(x) = body.get(key)
            && !x.is_null()
        {
            v[key] = x.clone();
        }
    }
    // Components in answers carry numeric ids, in order, rows and their children alike.
    let mut next = 0;
    if let Some(rows) = v["components"].as_array_mut() {
        for row in rows {
            next += 1;
            row["id"] = json!(next);
            for c in row["components"].as_array_mut().into_iter().flatten() {
                next += 1;
                c["id"] = json!(next);
            }
        }
    }
    if let Some(embeds) = v["embeds"].as_array_mut() {
        for e in embeds {
            e["type"] = json!("rich");
        }
    }
    if let Some(a) = body.get("allowed_mentions") {
        v["_allowed_mentions"] = a.clone();
    }
    let content = v["content"].as_str().unwrap_or("").to_string();
    let (users, roles, everyone) = pings(&content, &v["_allowed_mentions"]);
    v["mentions"] = Value::Array(users.into_iter().map(user_json).collect());
    v["mention_roles"] = Value::Array(roles.into_iter().map(|r| json!(r.to_string())).collect());
    v["mention_everyone"] = json!(everyone);
    v
}

#[cfg(test)]
mod fake_tests {
    #[test]
    fn lcg_is_deterministic() {
        let mut a = super::Lcg(7);
        let mut b = super::Lcg(7);
        for _ in 0..10 {
            assert_eq!(a.next(), b.next());
        }
    }
}
