//! Deployment configuration: `vakt.toml` plus environment overrides. Holds the database URL,
//! the agreements directory, and per agreement the channels, the mapping from the
//! agreement's abstract ladder roles to chat roles or users, responder and manager roles,
//! warning fractions and the escalation interval. The Discord token comes only from
//! `DISCORD_TOKEN` and is kept in a [`Secret`] whose `Debug` and `Display` hide it.
//!
//! Environment overrides: `VAKT_DATABASE_URL`, `VAKT_AGREEMENTS` (directory),
//! `VAKT_LANGUAGE` (the language of every post, over the file's `language`).
//!
//! Languages ([`Config::locale`]): an agreement's posts are in the language its file names,
//! unless `[agreements.ID] language` names another; `VAKT_LANGUAGE` (or the top-level
//! `language` key) puts every post of every agreement in one language, and is the language of
//! what belongs to no agreement (English when unset).
//!
//! `[database]` holds the store's timeouts ([`DatabaseSettings`]): `statement_timeout` (default
//! `"10s"`) and `lock_timeout` (default `"5s"`), each a whole number of `ms`, `s`, `m` or `h`.

use crate::agreements::Catalog;
use crate::domain::clock::BusinessDuration;
use crate::domain::locale::Locale;
use crate::domain::plan::{CronSpec, Policy, RepagingOverride};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

mod calendar;
mod database;
mod hooks;
mod webhooks;
pub use calendar::CalendarConfig;
pub use database::{DatabaseSettings, DatabaseUrl};
pub use hooks::{FactMapping, HookKind, HookSource, HooksConfig};
pub use webhooks::WebhookTarget;

/// A secret string; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Checks the name of an entry of a list section (`at` names it in errors): letters, digits,
/// `-` and `_`, and not `taken` by an earlier entry.
fn check_name(at: &str, name: &str, taken: bool) -> Result<(), String> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(format!("{at}: a name is letters, digits, - and _"));
    }
    if taken {
        return Err(format!("{at}: the name is used twice"));
    }
    Ok(())
}

/// A secret of at least 16 characters given as `key` in the file (`inline`) or, by name, in
/// the environment variable `<key>_env` (`var`, read from `env`) — exactly one of them.
fn secret_from(
    at: &str,
    key: &str,
    inline: Option<&String>,
    var: Option<&String>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Secret, String> {
    let value = match (inline, var) {
        (Some(s), None) => s.clone(),
        (None, Some(var)) => env(var).ok_or_else(|| format!("{at}: {key}_env names {var}, which is not set"))?,
        _ => return Err(format!("{at}: give exactly one of {key} and {key}_env")),
    };
    if value.trim().len() < 16 {
        return Err(format!("{at}: the {key} must have at least 16 characters"));
    }
    Ok(Secret::new(value.trim()))
}

/// Loads and resolves `text` as `vakt.toml` (with `env`) against the project's agreements;
/// the error as text, if any.
#[cfg(test)]
pub(crate) fn load_text(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = crate::agreements::load_dir(&root.join("agreements")).map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let p = dir.path().join("vakt.toml");
    std::fs::write(&p, text).map_err(|e| e.to_string())?;
    let mut c = Config::load(&p, env).map_err(|e| e.to_string())?;
    c.resolve(&catalog, &p).map_err(|e| e.to_string())?;
    Ok(c)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    database_url: Option<String>,
    /// Every post's language (as `VAKT_LANGUAGE`, which wins over it).
    language: Option<Language>,
    agreements_dir: Option<PathBuf>,
    #[serde(default)]
    database: RawDatabase,
    #[serde(default)]
    defaults: RawDefaults,
    #[serde(default)]
    agreements: BTreeMap<String, RawAgreementConfig>,
    #[serde(default)]
    discord: RawDiscord,
    #[serde(default)]
    ops: RawOps,
    #[serde(default)]
    hooks: hooks::RawHooks,
    #[serde(default)]
    calendar: BTreeMap<String, calendar::RawFeed>,
    #[serde(default)]
    webhooks: Vec<webhooks::RawWebhook>,
    #[serde(default)]
    scheduler: RawScheduler,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScheduler {
    concurrency: Option<u32>,
}

/// The `[scheduler]` section: how the job runner of this process works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchedulerConfig {
    /// Jobs run at once (default [`SchedulerConfig::DEFAULT_CONCURRENCY`]): one incident's
    /// jobs one after another, other incidents' and jobs without an incident alongside.
    pub concurrency: usize,
}

impl SchedulerConfig {
    /// Jobs a runner runs at once unless configured. A job spends most of its time waiting
    /// (on the chat, and on its write's commit, which it shares with the other jobs' records
    /// in flight), so the runner is bound by how many it has in flight: on the scale
    /// benchmark's real path (2-core machine, December 2026), 8 slots ran about 3 100 jobs/s
    /// on SQLite and 2 100 on PostgreSQL, 32 slots about 5 500 and 3 900, 64 about 6 300 and
    /// 5 000, and 128 little more than 64 (6 200–6 800 and 5 500–5 600). With a chat that
    /// answers a post in half a second, 64 lanes post 128 a second per runner.
    pub const DEFAULT_CONCURRENCY: usize = 64;
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        SchedulerConfig {
            concurrency: Self::DEFAULT_CONCURRENCY,
        }
    }
}

/// The most jobs one runner may run at once. Its jobs share the store's pooled connections;
/// what this bounds is what a stalled runner keeps from the other replicas until its lease
/// runs out: its slots and a quarter more ([`crate::scheduler::ahead`]).
pub const MAX_CONCURRENCY: u32 = 256;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOps {
    listen: Option<String>,
}

/// The `[ops]` section: where the health and metrics endpoint listens (`/healthz`,
/// `/readyz`, `/metrics`); off unless set here or by `VAKT_METRICS_ADDR` (`--metrics-addr`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpsConfig {
    /// The address, like `127.0.0.1:9464`.
    pub listen: Option<std::net::SocketAddr>,
}

/// A Discord snowflake as `vakt.toml` may write it: an integer or a string of digits.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum RawSnowflake {
    Number(u64),
    Text(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDiscord {
    api_base: Option<String>,
    application_id: Option<RawSnowflake>,
    public_key: Option<String>,
    guild_id: Option<RawSnowflake>,
    listen: Option<String>,
}

/// The `[discord]` section: where the API is, which application and guild, and where
/// `vakt serve` listens. The token is not here: it comes only from `DISCORD_TOKEN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscordConfig {
    /// API base (default Discord's own, `https://discord.com`).
    pub api_base: String,
    /// The application (bot) id.
    pub application_id: Option<u64>,
    /// The application's ed25519 public key, 64 hex digits (for `vakt serve`).
    pub public_key: Option<String>,
    /// The guild whose commands are registered at start.
    pub guild_id: Option<u64>,
    /// Where `vakt serve` listens (default `127.0.0.1:8080`).
    pub listen: String,
}

/// The default listen address of `vakt serve`.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// Discord's own API base, the default of `discord.api_base`.
pub const DEFAULT_DISCORD_API_BASE: &str = "https://discord.com";

/// A Discord id as `vakt.toml` writes it: surrounding white space ignored, then the one id
/// rule ([`crate::domain::ids::snowflake`]), so the configuration accepts exactly what the
/// Discord adapter posts to and mentions.
pub fn snowflake(s: &str) -> Option<u64> {
    crate::domain::ids::snowflake(s.trim())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDatabase {
    statement_timeout: Option<String>,
    lock_timeout: Option<String>,
    retention_days: Option<u32>,
}

/// A wall-clock duration as `vakt.toml` writes it: a whole number and a unit, `ms`, `s`, `m`
/// or `h` (`"500ms"`, `"10s"`, `"2m"`).
fn wall_duration(s: &str) -> Option<std::time::Duration> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = s.split_at(split);
    let n: u64 = n.parse().ok()?;
    let ms = match unit.trim() {
        "ms" => n,
        "s" => n.checked_mul(1_000)?,
        "m" | "min" => n.checked_mul(60_000)?,
        "h" => n.checked_mul(3_600_000)?,
        _ => return None,
    };
    Some(std::time::Duration::from_millis(ms))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    warn_percents: Option<Vec<u32>>,
    escalation_interval: Option<String>,
    responders: Option<Vec<String>>,
    managers: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgreementConfig {
    channels: Option<RawChannels>,
    #[serde(default)]
    roles: BTreeMap<String, String>,
    responders: Option<Vec<String>>,
    managers: Option<Vec<String>>,
    warn_percents: Option<Vec<u32>>,
    escalation_interval: Option<String>,
    #[serde(default)]
    recurring: Vec<RawRecurring>,
    /// Changes to the agreement's re-paging, by priority id.
    #[serde(default)]
    repaging: BTreeMap<String, RawRepaging>,
    /// Unanswered status reminders before the managers are told (0: never).
    quiet_after: Option<u32>,
    /// The least wall time between two warnings of one milestone.
    warning_floor: Option<String>,
    /// The language of the agreement's posts, over the agreement file's.
    language: Option<Language>,
}

/// A language code in `vakt.toml`, checked as it is read (so a wrong one is reported at its
/// line and column).
#[derive(Debug, Clone, Copy)]
struct Language(Locale);

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Locale::from_code(&s)
            .map(Language)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown language \"{s}\" (write {})", Locale::CODES)))
    }
}

/// `[agreements.ID.repaging.PRIORITY]`: what it names replaces the agreement's value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRepaging {
    every: Option<String>,
    limit: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecurring {
    name: String,
    cron: String,
    what: String,
}

/// A recurring job of an agreement: a cron expression in the agreement's zone and what to
/// post to its summary channel.
#[derive(Debug, Clone)]
pub struct Recurring {
    /// Name, unique per agreement.
    pub name: String,
    /// When.
    pub cron: CronSpec,
    /// What to post.
    pub what: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannels {
    incidents: Option<String>,
    status: Option<String>,
    summary: Option<String>,
}

/// The channels of one agreement (chat channel names or ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channels {
    pub incidents: String,
    /// Status updates.
    pub status: String,
    /// Summaries and reports.
    pub summary: String,
}

/// Deployment settings of one agreement.
#[derive(Debug, Clone)]
pub struct AgreementConfig {
    pub channels: Channels,
    /// Abstract ladder role → who is pinged.
    pub roles: BTreeMap<String, ChatTarget>,
    /// Chat roles whose members may operate incidents.
    pub responders: Vec<String>,
    /// Chat roles whose members may also override priorities and close.
    pub managers: Vec<String>,
    /// Planning policy.
    pub policy: Policy,
    /// Recurring jobs.
    pub recurring: Vec<Recurring>,
    /// The language the agreement's posts are written in, every override applied.
    pub locale: Locale,
}

/// The whole deployment configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    /// The store's timeouts (`[database]`).
    pub database: DatabaseSettings,
    /// How long finished (done, cancelled) jobs are kept before the scheduler purges them
    /// (`[database] retention_days`, default 90). The timeline is never purged.
    pub retention: chrono::Duration,
    /// Agreements directory.
    pub agreements_dir: PathBuf,
    /// Per agreement (every loaded agreement has an entry after [`Config::resolve`]).
    pub agreements: BTreeMap<String, AgreementConfig>,
    /// The Discord token, if set.
    pub discord_token: Option<Secret>,
    /// The `[discord]` section.
    pub discord: DiscordConfig,
    /// The `[ops]` section (health and metrics).
    pub ops: OpsConfig,
    /// The `[hooks]` section: the monitoring sources that open incidents.
    pub hooks: HooksConfig,
    /// The `[calendar.<agreement>]` sections: the agreements' calendar feeds.
    pub calendar: CalendarConfig,
    /// The language of every post, when `VAKT_LANGUAGE` (or the top-level `language` key)
    /// sets one; see [`Config::locale`].
    pub language: Option<Locale>,
    /// The `[[webhooks]]`: the targets notices are sent to, signed, besides the chat.
    pub webhooks: Vec<WebhookTarget>,
    /// The `[scheduler]` section.
    pub scheduler: SchedulerConfig,
    raw_agreements: BTreeMap<String, RawAgreementConfigResolved>,
    defaults: Defaults,
}

#[derive(Debug, Clone, Default)]
struct RawAgreementConfigResolved {
    channels: (Option<String>, Option<String>, Option<String>),
    roles: BTreeMap<String, String>,
    responders: Option<Vec<String>>,
    managers: Option<Vec<String>>,
    warn_percents: Option<Vec<u32>>,
    escalation_interval: Option<BusinessDuration>,
    recurring: Vec<Recurring>,
    repaging: BTreeMap<String, RepagingOverride>,
    quiet_after: Option<u32>,
    warning_floor: Option<i64>,
    language: Option<Locale>,
}

#[derive(Debug, Clone)]
struct Defaults {
    warn_percents: Vec<u32>,
    escalation_interval: BusinessDuration,
    responders: Vec<String>,
    managers: Vec<String>,
}

/// The language of each agreement's posts and of the rest ([`Config::languages`]), as an
/// adapter keeps it to pick the [`Locale`] of each text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Languages {
    by_agreement: BTreeMap<String, Locale>,
    process: Locale,
}

impl Languages {
    /// The language of agreement `agreement`'s posts (the process language for one not loaded).
    pub fn of(&self, agreement: &str) -> Locale {
        self.by_agreement.get(agreement).copied().unwrap_or(self.process)
    }

    /// The language of text about one agreement when there is one, else the process language.
    pub fn of_opt(&self, agreement: Option<&str>) -> Locale {
        agreement.map_or(self.process, |a| self.of(a))
    }

    /// The language of text about `agreements` (a list's incidents): theirs when they share
    /// one, else (or for none) the process language.
    pub fn of_all(&self, agreements: &[&str]) -> Locale {
        let mut langs = agreements.iter().map(|a| self.of(a));
        match langs.next() {
            Some(first) if langs.all(|l| l == first) => first,
            _ => self.process,
        }
    }

    /// The language of what belongs to no one agreement.
    pub fn process(&self) -> Locale {
        self.process
    }
}

/// Why the configuration is invalid.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// File.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The file is not valid.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// File.
        path: PathBuf,
        line: usize,
        column: usize,
        /// What.
        message: String,
    },
    /// A value is invalid.
    #[error("{path}: {message}")]
    Invalid {
        /// File.
        path: PathBuf,
        /// What.
        message: String,
    },
}

/// Who a ladder role is in the chat: a chat role (pinged as a role) or one user.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ChatTarget {
    /// A chat role (a Discord role id; a role name in the console).
    Role(String),
    /// One user (a Discord user id; a user name in the console).
    User(String),
}

fn mention(s: &str) -> ChatTarget {
    match s.split_once(':') {
        Some(("user", u)) => ChatTarget::User(u.trim().to_string()),
        Some(("role", r)) => ChatTarget::Role(r.trim().to_string()),
        _ => ChatTarget::Role(s.trim().to_string()),
    }
}

impl Config {
    /// Loads `path` if it exists (defaults otherwise), then applies the environment.
    pub fn load(path: &Path, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let raw = read_raw(path)?;
        let invalid = |message: String| ConfigError::Invalid {
            path: path.into(),
            message,
        };
        let (database, retention) = database_section(&raw.database).map_err(invalid)?;
        let defaults = defaults_section(&raw.defaults).map_err(invalid)?;
        let raw_agreements = raw
            .agreements
            .iter()
            .map(|(id, a)| Ok((id.clone(), agreement_section(id, a)?)))
            .collect::<Result<BTreeMap<_, _>, String>>()
            .map_err(invalid)?;
        let discord = discord_section(&raw.discord).map_err(invalid)?;
        let ops = ops_section(env("VAKT_METRICS_ADDR").or(raw.ops.listen)).map_err(invalid)?;
        let hooks = hooks::section(&raw.hooks, env).map_err(invalid)?;
        let calendar = calendar::section(&raw.calendar, env).map_err(invalid)?;
        let webhooks = webhooks::section(&raw.webhooks, env).map_err(invalid)?;
        let scheduler = scheduler_section(&raw.scheduler).map_err(invalid)?;
        let database_url = env("VAKT_DATABASE_URL")
            .or(raw.database_url)
            .unwrap_or_else(|| "sqlite://vakt.db".into());
        let language = match env("VAKT_LANGUAGE").filter(|l| !l.trim().is_empty()) {
            Some(l) => Some(Locale::from_code(&l).ok_or_else(|| {
                invalid(format!(
                    "VAKT_LANGUAGE: unknown language \"{l}\" (write {})",
                    Locale::CODES
                ))
            })?),
            None => raw.language.map(|l| l.0),
        };
        let agreements_dir = env("VAKT_AGREEMENTS")
            .map(PathBuf::from)
            .or(raw.agreements_dir)
            .unwrap_or_else(|| "agreements".into());
        Ok(Config {
            discord,
            ops,
            hooks,
            calendar,
            language,
            webhooks,
            scheduler,
            database_url: DatabaseUrl::new(database_url),
            database,
            retention,
            agreements_dir,
            agreements: BTreeMap::new(),
            discord_token: env("DISCORD_TOKEN").filter(|t| !t.trim().is_empty()).map(Secret::new),
            raw_agreements,
            defaults,
        })
    }

    /// Checks the per-agreement settings against the loaded agreements and fills in defaults
    /// for agreements the file does not mention. `path` is used in error messages.
    pub fn resolve(&mut self, catalog: &Catalog, path: &Path) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.into(),
            message,
        };
        for id in self.raw_agreements.keys() {
            if catalog.get(id).is_none() {
                return Err(invalid(format!(
                    "[agreements.{id}]: no such agreement (known: {})",
                    catalog.ids()
                )));
            }
        }
        for a in &catalog.agreements {
            let raw = self.raw_agreements.get(&a.id).cloned().unwrap_or_default();
            let mut roles = BTreeMap::new();
            for role in raw.roles.keys() {
                if !a.escalation.levels.iter().any(|l| &l.role == role) {
                    let known: Vec<&str> = a.escalation.levels.iter().map(|l| l.role.as_str()).collect();
                    return Err(invalid(format!(
                        "[agreements.{}.roles]: \"{role}\" is not a role of the agreement's ladder (known: {})",
                        a.id,
                        known.join(", ")
                    )));
                }
            }
            for p in raw.repaging.keys() {
                if a.repaging_for(p).is_none() {
                    let known: Vec<&str> = a
                        .repaging
                        .iter()
                        .flat_map(|r| r.priorities.iter().map(String::as_str))
                        .collect();
                    return Err(invalid(format!(
                        "[agreements.{}.repaging.{p}]: the agreement sets no re-paging for priority \"{p}\" (it does for: {})",
                        a.id,
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    )));
                }
            }
            for l in &a.escalation.levels {
                let m = raw
                    .roles
                    .get(&l.role)
                    .map_or_else(|| ChatTarget::Role(l.role.clone()), |s| mention(s));
                roles.insert(l.role.clone(), m);
            }
            let (i, s, m) = raw.channels.clone();
            self.agreements.insert(
                a.id.clone(),
                AgreementConfig {
                    channels: Channels {
                        incidents: i.unwrap_or_else(|| format!("{}-incidents", a.id)),
                        status: s.unwrap_or_else(|| format!("{}-status", a.id)),
                        summary: m.unwrap_or_else(|| format!("{}-summary", a.id)),
                    },
                    roles,
                    responders: raw
                        .responders
                        .clone()
                        .unwrap_or_else(|| self.defaults.responders.clone()),
                    managers: raw.managers.clone().unwrap_or_else(|| self.defaults.managers.clone()),
                    policy: Policy {
                        warn_percents: raw
                            .warn_percents
                            .clone()
                            .unwrap_or_else(|| self.defaults.warn_percents.clone()),
                        escalation_interval: raw.escalation_interval.unwrap_or(self.defaults.escalation_interval),
                        repaging: raw.repaging.clone(),
                        quiet_after: raw.quiet_after.unwrap_or(Policy::default().quiet_after),
                        warning_floor: raw.warning_floor.unwrap_or(Policy::default().warning_floor),
                    },
                    recurring: raw.recurring.clone(),
                    locale: self.language.or(raw.language).unwrap_or(a.language),
                },
            );
        }
        hooks::check(&self.hooks, catalog).map_err(invalid)?;
        calendar::check(&self.calendar, catalog).map_err(invalid)?;
        webhooks::check(&self.webhooks, catalog).map_err(invalid)?;
        if self.discord_token.is_some() {
            self.check_discord_ids().map_err(invalid)?;
        }
        Ok(())
    }

    /// The language of agreement `agreement`'s posts: `VAKT_LANGUAGE` (or the top-level
    /// `language`) when set, else its `[agreements.ID] language`, else its file's; for an
    /// agreement not loaded (or no agreement at all, `""`), the process language.
    pub fn locale(&self, agreement: &str) -> Locale {
        self.agreements
            .get(agreement)
            .map_or_else(|| self.process_locale(), |a| a.locale)
    }

    /// The language of what belongs to no one agreement (a general error, a list across
    /// agreements): `VAKT_LANGUAGE` (or the top-level `language`), else English.
    pub fn process_locale(&self) -> Locale {
        self.language.unwrap_or_default()
    }

    /// Every agreement's language and the process language, for an adapter to keep.
    pub fn languages(&self) -> Languages {
        Languages {
            by_agreement: self.agreements.iter().map(|(id, a)| (id.clone(), a.locale)).collect(),
            process: self.process_locale(),
        }
    }

    /// In Discord mode every channel, ladder role target, responder and manager role is a
    /// Discord id: checks each parses as one, naming the key and what to put there.
    fn check_discord_ids(&self) -> Result<(), String> {
        let bad = |key: String, v: &str, what: &str| {
            format!(
                "{key}: \"{v}\" is not a Discord {what} id; with DISCORD_TOKEN set, channels and roles are Discord ids (the digits Discord shows with developer mode on)"
            )
        };
        for (id, a) in &self.agreements {
            for (name, v) in [
                ("incidents", &a.channels.incidents),
                ("status", &a.channels.status),
                ("summary", &a.channels.summary),
            ] {
                if snowflake(v).is_none() {
                    return Err(bad(format!("agreements.{id}.channels.{name}"), v, "channel"));
                }
            }
            for (role, target) in &a.roles {
                let (v, what) = match target {
                    ChatTarget::Role(r) => (r, "role"),
                    ChatTarget::User(u) => (u, "user"),
                };
                if snowflake(v).is_none() {
                    return Err(bad(format!("agreements.{id}.roles.{role}"), v, what));
                }
            }
            for (key, list) in [("responders", &a.responders), ("managers", &a.managers)] {
                if let Some(v) = list.iter().find(|r| snowflake(r).is_none()) {
                    return Err(bad(format!("agreements.{id}.{key}"), v, "role"));
                }
            }
        }
        Ok(())
    }
}

/// The file at `path` as written (a missing file is the defaults).
fn read_raw(path: &Path) -> Result<RawConfig, ConfigError> {
    if !path.exists() {
        return Ok(RawConfig::default());
    }
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.into(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| {
        let (line, column) = e.span().map_or((0, 0), |s| crate::agreements::line_col(&text, s.start));
        ConfigError::Parse {
            path: path.into(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })
}

/// A positive business duration in minutes or hours (`"1h"`), if given.
fn business_duration(s: &Option<String>, what: &str) -> Result<Option<BusinessDuration>, String> {
    match s {
        None => Ok(None),
        Some(s) => match BusinessDuration::parse(s) {
            Ok(d @ BusinessDuration::Seconds(n)) if n > 0 => Ok(Some(d)),
            _ => Err(format!(
                "{what}: \"{s}\" is not a duration in minutes or hours (e.g. \"1h\")"
            )),
        },
    }
}

/// Warning points: percentages between 1 and 99.
fn check_percents(v: &Option<Vec<u32>>, what: &str) -> Result<(), String> {
    if let Some(v) = v
        && let Some(bad) = v.iter().find(|p| **p == 0 || **p >= 100)
    {
        return Err(format!("{what}: {bad} is not a percentage between 1 and 99"));
    }
    Ok(())
}

/// A list of chat roles that is empty (or names an empty role) would leave nobody allowed to
/// act; the key is to be left out for the default instead.
fn check_roles(v: &Option<Vec<String>>, what: &str) -> Result<(), String> {
    match v {
        Some(v) if v.is_empty() => Err(format!(
            "{what}: the list is empty, so nobody could act; name at least one chat role (or leave {what} out for the default)"
        )),
        Some(v) if v.iter().any(|r| r.trim().is_empty()) => Err(format!("{what}: a chat role name is empty")),
        _ => Ok(()),
    }
}

/// A positive wall-clock timeout, or `default`.
fn timeout(s: &Option<String>, what: &str, default: std::time::Duration) -> Result<std::time::Duration, String> {
    match s {
        None => Ok(default),
        Some(s) => match wall_duration(s) {
            Some(d) if !d.is_zero() => Ok(d),
            _ => Err(format!(
                "{what}: \"{s}\" is not a positive duration (e.g. \"500ms\", \"10s\", \"1m\")"
            )),
        },
    }
}

/// `[database]`: the store's timeouts and how long finished records are kept.
fn database_section(raw: &RawDatabase) -> Result<(DatabaseSettings, chrono::Duration), String> {
    let database = DatabaseSettings {
        statement_timeout: timeout(
            &raw.statement_timeout,
            "database.statement_timeout",
            DatabaseSettings::DEFAULT_STATEMENT_TIMEOUT,
        )?,
        lock_timeout: timeout(
            &raw.lock_timeout,
            "database.lock_timeout",
            DatabaseSettings::DEFAULT_LOCK_TIMEOUT,
        )?,
    };
    let retention = match raw.retention_days {
        None => chrono::Duration::days(90),
        Some(0) => return Err("database.retention_days: must be at least 1".into()),
        Some(n) => chrono::Duration::days(i64::from(n.min(36_600))),
    };
    Ok((database, retention))
}

/// `[scheduler]`: how many jobs the runner runs at once (1 to [`MAX_CONCURRENCY`]).
fn scheduler_section(raw: &RawScheduler) -> Result<SchedulerConfig, String> {
    match raw.concurrency {
        None => Ok(SchedulerConfig::default()),
        Some(n @ 1..=MAX_CONCURRENCY) => Ok(SchedulerConfig {
            concurrency: n as usize,
        }),
        Some(n) => Err(format!(
            "scheduler.concurrency: {n} is not between 1 and {MAX_CONCURRENCY}"
        )),
    }
}

/// `[defaults]`: warning points, escalation interval and chat roles for every agreement.
fn defaults_section(raw: &RawDefaults) -> Result<Defaults, String> {
    check_percents(&raw.warn_percents, "defaults.warn_percents")?;
    check_roles(&raw.responders, "defaults.responders")?;
    check_roles(&raw.managers, "defaults.managers")?;
    Ok(Defaults {
        warn_percents: raw.warn_percents.clone().unwrap_or_else(|| vec![50, 75, 90]),
        escalation_interval: business_duration(&raw.escalation_interval, "defaults.escalation_interval")?
            .unwrap_or(BusinessDuration::Seconds(3600)),
        responders: raw.responders.clone().unwrap_or_else(|| vec!["responder".into()]),
        managers: raw.managers.clone().unwrap_or_else(|| vec!["manager".into()]),
    })
}

/// `[agreements.ID]`, checked on its own (against the agreement itself in [`Config::resolve`]).
fn agreement_section(id: &str, a: &RawAgreementConfig) -> Result<RawAgreementConfigResolved, String> {
    check_percents(&a.warn_percents, &format!("agreements.{id}.warn_percents"))?;
    check_roles(&a.responders, &format!("agreements.{id}.responders"))?;
    check_roles(&a.managers, &format!("agreements.{id}.managers"))?;
    if let Some(c) = &a.channels {
        for (name, v) in [
            ("incidents", &c.incidents),
            ("status", &c.status),
            ("summary", &c.summary),
        ] {
            if v.as_ref().is_some_and(|v| v.trim().is_empty()) {
                return Err(format!(
                    "agreements.{id}.channels.{name}: the channel name is empty (name a channel, or leave the key out for the default {id}-{name})"
                ));
            }
        }
    }
    for (role, who) in &a.roles {
        let name = match who.split_once(':') {
            Some(("user" | "role", n)) => n,
            _ => who.as_str(),
        };
        if name.trim().is_empty() {
            return Err(format!(
                "agreements.{id}.roles.{role}: \"{who}\" names no chat role or user"
            ));
        }
    }
    let mut recurring: Vec<Recurring> = Vec::new();
    for r in &a.recurring {
        let cron = CronSpec::parse(&r.cron).map_err(|e| format!("agreements.{id}.recurring \"{}\": {e}", r.name))?;
        if recurring.iter().any(|x| x.name == r.name) {
            return Err(format!("agreements.{id}.recurring: duplicate name \"{}\"", r.name));
        }
        recurring.push(Recurring {
            name: r.name.clone(),
            cron,
            what: r.what.clone(),
        });
    }
    let ch = a.channels.as_ref();
    Ok(RawAgreementConfigResolved {
        channels: (
            ch.and_then(|c| c.incidents.clone()),
            ch.and_then(|c| c.status.clone()),
            ch.and_then(|c| c.summary.clone()),
        ),
        roles: a.roles.clone(),
        responders: a.responders.clone(),
        managers: a.managers.clone(),
        warn_percents: a.warn_percents.clone(),
        escalation_interval: business_duration(
            &a.escalation_interval,
            &format!("agreements.{id}.escalation_interval"),
        )?,
        recurring,
        repaging: repaging_section(id, &a.repaging)?,
        quiet_after: a.quiet_after,
        language: a.language.map(|l| l.0),
        warning_floor: match a.warning_floor.as_deref().map(str::trim) {
            None => None,
            Some("0" | "0m") => Some(0),
            Some(_) => match business_duration(&a.warning_floor, &format!("agreements.{id}.warning_floor"))? {
                Some(BusinessDuration::Seconds(n)) => Some(n),
                _ => {
                    return Err(format!(
                        "agreements.{id}.warning_floor: minutes or hours of wall time (e.g. \"10m\"), or \"0\""
                    ));
                }
            },
        },
    })
}

/// `[agreements.ID.repaging.PRIORITY]`: `every` in minutes or hours (at least 1m), `limit` a
/// number of re-pages (0 turns re-paging off).
fn repaging_section(
    id: &str,
    raw: &BTreeMap<String, RawRepaging>,
) -> Result<BTreeMap<String, RepagingOverride>, String> {
    let mut out = BTreeMap::new();
    for (p, r) in raw {
        let what = format!("agreements.{id}.repaging.{p}.every");
        let every = match business_duration(&r.every, &what)? {
            Some(BusinessDuration::Seconds(n)) if n >= 60 => Some(n),
            None => None,
            Some(_) => {
                return Err(format!(
                    "{what}: a re-paging interval is minutes or hours, at least 1m (e.g. \"15m\")"
                ));
            }
        };
        out.insert(p.clone(), RepagingOverride { every, limit: r.limit });
    }
    Ok(out)
}

/// A Discord id as written (a number or a string of digits), checked by the one id rule.
fn discord_id(v: &Option<RawSnowflake>, what: &str) -> Result<Option<u64>, String> {
    match v {
        None => Ok(None),
        Some(RawSnowflake::Number(n)) if snowflake(&n.to_string()).is_some() => Ok(Some(*n)),
        Some(RawSnowflake::Text(t)) if snowflake(t).is_some() => Ok(snowflake(t)),
        Some(other) => {
            let shown = match other {
                RawSnowflake::Number(n) => n.to_string(),
                RawSnowflake::Text(t) => format!("\"{t}\""),
            };
            Err(format!(
                "{what}: {shown} is not a Discord id (the digits Discord shows with developer mode on)"
            ))
        }
    }
}

/// `[discord]`: the API base, the application and guild, the public key and where `vakt
/// serve` listens.
fn discord_section(raw: &RawDiscord) -> Result<DiscordConfig, String> {
    if let Some(k) = &raw.public_key
        && (k.trim().len() != 64 || hex::decode(k.trim()).is_err())
    {
        return Err(
            "discord.public_key: not 64 hex digits (copy it from the application's General Information page)".into(),
        );
    }
    let api_base = raw.api_base.clone().unwrap_or_else(|| DEFAULT_DISCORD_API_BASE.into());
    if !(api_base.starts_with("http://") || api_base.starts_with("https://")) {
        return Err(format!(
            "discord.api_base: \"{api_base}\" is not an http:// or https:// URL"
        ));
    }
    let listen = raw.listen.clone().unwrap_or_else(|| DEFAULT_LISTEN.into());
    if listen.parse::<std::net::SocketAddr>().is_err() {
        return Err(format!(
            "discord.listen: \"{listen}\" is not an address like 127.0.0.1:8080"
        ));
    }
    Ok(DiscordConfig {
        api_base,
        application_id: discord_id(&raw.application_id, "discord.application_id")?,
        public_key: raw.public_key.as_ref().map(|k| k.trim().to_ascii_lowercase()),
        guild_id: discord_id(&raw.guild_id, "discord.guild_id")?,
        listen,
    })
}

/// The health and metrics address, from `[ops] listen` or `VAKT_METRICS_ADDR`.
fn ops_section(listen: Option<String>) -> Result<OpsConfig, String> {
    let listen =
        match listen.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
            None => None,
            Some(l) => Some(l.parse::<std::net::SocketAddr>().map_err(|_| {
                format!("ops.listen (or --metrics-addr): \"{l}\" is not an address like 127.0.0.1:9464")
            })?),
        };
    Ok(OpsConfig { listen })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("abc.def");
        assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
        let u = DatabaseUrl::new("postgres://vakt:hunter2@db:5432/vakt");
        assert!(!format!("{u:?} {u}").contains("hunter2"));
        assert_eq!(u.redacted(), "postgres://vakt:***@db:5432/vakt");
    }

    #[test]
    fn env_overrides_file_and_token_only_from_env() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("vakt.toml");
        std::fs::write(&p, "database_url = \"sqlite://a.db\"\n").expect("write");
        let env = |k: &str| match k {
            "VAKT_DATABASE_URL" => Some("sqlite://b.db".to_string()),
            "DISCORD_TOKEN" => Some("tok".to_string()),
            _ => None,
        };
        let c = Config::load(&p, &env).expect("load");
        assert_eq!(c.database_url.expose(), "sqlite://b.db");
        assert_eq!(c.discord_token.as_ref().map(Secret::expose), Some("tok"));
        std::fs::write(&p, "discord_token = \"x\"\n").expect("write");
        let e = Config::load(&p, &|_| None).expect_err("unknown key");
        assert!(e.to_string().contains("vakt.toml:1:1"), "{e}");
    }

    #[test]
    fn scheduler_concurrency_has_a_default_and_is_checked() {
        let c = load_text("", &|_| None).expect("defaults");
        assert_eq!(c.scheduler.concurrency, SchedulerConfig::DEFAULT_CONCURRENCY);
        let c = load_text("[scheduler]\nconcurrency = 3\n", &|_| None).expect("three");
        assert_eq!(c.scheduler.concurrency, 3);
        for bad in ["0", "257", "-1"] {
            let text = format!("[scheduler]\nconcurrency = {bad}\n");
            assert!(load_text(&text, &|_| None).is_err(), "{bad} refused");
        }
    }

    #[test]
    fn database_timeouts_have_defaults_and_are_checked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("vakt.toml");
        let c = Config::load(&p, &|_| None).expect("no file");
        assert_eq!(c.database, DatabaseSettings::default());
        assert_eq!(c.database.statement_timeout, std::time::Duration::from_secs(10));
        assert_eq!(c.database.lock_timeout, std::time::Duration::from_secs(5));
        std::fs::write(&p, "[database]\nstatement_timeout = \"2m\"\nlock_timeout = \"500ms\"\n").expect("write");
        let c = Config::load(&p, &|_| None).expect("load");
        assert_eq!(c.database.statement_timeout, std::time::Duration::from_secs(120));
        assert_eq!(c.database.lock_timeout, std::time::Duration::from_millis(500));
        for (text, want) in [
            (
                "[database]\nlock_timeout = \"0s\"\n",
                "database.lock_timeout: \"0s\" is not a positive duration",
            ),
            (
                "[database]\nstatement_timeout = \"10\"\n",
                "database.statement_timeout: \"10\"",
            ),
            (
                "[database]\nstatement_timeout = \"1wd\"\n",
                "database.statement_timeout",
            ),
            ("[database]\nurl = \"x\"\n", "unknown field"),
        ] {
            std::fs::write(&p, text).expect("write");
            let e = Config::load(&p, &|_| None).expect_err(text).to_string();
            assert!(e.contains(want), "{text}: {e}");
        }
    }

    #[test]
    fn the_example_file_loads_and_resolves() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = root.join("vakt.example.toml");
        let env = |k: &str| (k == "VAKT_AGREEMENTS").then(|| root.join("agreements").display().to_string());
        let mut c = Config::load(&path, &env).expect("example loads");
        let catalog = crate::agreements::load_dir(&c.agreements_dir).expect("agreements");
        c.resolve(&catalog, &path).expect("example resolves");
        assert_eq!(c.database, DatabaseSettings::default());
        let ssb = &c.agreements["ssbtek"];
        assert_eq!(ssb.channels.status, "ssbtek-status");
        assert_eq!(ssb.roles["driftsrad"], ChatTarget::User("driftsradet".into()));
        assert_eq!(ssb.policy.escalation_interval, BusinessDuration::Seconds(7200));
        assert_eq!(ssb.recurring.len(), 1);
        // Agreements the file does not name get the defaults.
        assert_eq!(c.agreements["difi"].channels.incidents, "difi-incidents");
    }

    #[test]
    fn unknown_ladder_roles_and_agreements_are_errors() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalog = crate::agreements::load_dir(&root.join("agreements")).expect("agreements");
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("vakt.toml");
        for (text, want) in [
            ("[agreements.nope]\n", "no such agreement"),
            (
                "[agreements.ssbtek.roles]\nboss = \"role:X\"\n",
                "not a role of the agreement's ladder",
            ),
            (
                "[[agreements.ssbtek.recurring]]\nname = \"w\"\ncron = \"61 * * * *\"\nwhat = \"x\"\n",
                "invalid cron",
            ),
            (
                "[defaults]\nescalation_interval = \"2wd\"\n",
                "not a duration in minutes or hours",
            ),
            (
                "[agreements.ssbtek.channels]\nsummary = \"\"\n",
                "vakt.toml: agreements.ssbtek.channels.summary: the channel name is empty",
            ),
            (
                "[defaults]\nmanagers = []\n",
                "vakt.toml: defaults.managers: the list is empty",
            ),
            (
                "[agreements.difi]\nresponders = []\n",
                "vakt.toml: agreements.difi.responders: the list is empty",
            ),
            (
                "[agreements.difi]\nmanagers = [\" \"]\n",
                "vakt.toml: agreements.difi.managers: a chat role name is empty",
            ),
            (
                "[agreements.difi.roles]\nalert_point = \"role: \"\n",
                "vakt.toml: agreements.difi.roles.alert_point: \"role: \" names no chat role or user",
            ),
        ] {
            std::fs::write(&p, text).expect("write");
            let r = Config::load(&p, &|_| None).and_then(|mut c| c.resolve(&catalog, &p));
            let e = r.expect_err(text).to_string();
            assert!(e.contains(want), "{text}: {e}");
        }
    }

    #[test]
    fn ops_listen_is_off_by_default_and_the_flag_overrides_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("vakt.toml");
        assert_eq!(Config::load(&p, &|_| None).expect("no file").ops.listen, None);
        std::fs::write(&p, "[ops]\nlisten = \"127.0.0.1:9464\"\n").expect("write");
        let c = Config::load(&p, &|_| None).expect("load");
        assert_eq!(c.ops.listen.map(|a| a.port()), Some(9464));
        let flag = |k: &str| (k == "VAKT_METRICS_ADDR").then(|| "0.0.0.0:9100".to_string());
        assert_eq!(
            Config::load(&p, &flag).expect("load").ops.listen.map(|a| a.port()),
            Some(9100)
        );
        std::fs::write(&p, "[ops]\nlisten = \"metrics\"\n").expect("write");
        let e = Config::load(&p, &|_| None).expect_err("not an address").to_string();
        assert!(e.contains("ops.listen") && e.contains("metrics"), "{e}");
    }

    #[test]
    fn discord_section_and_ids_in_discord_mode() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalog = crate::agreements::load_dir(&root.join("agreements")).expect("agreements");
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("vakt.toml");
        // Defaults: Discord's API, serve on localhost; no settings without a token.
        let c = Config::load(&p, &|_| None).expect("no file");
        assert_eq!(c.discord.api_base, DEFAULT_DISCORD_API_BASE);
        assert_eq!(c.discord.listen, DEFAULT_LISTEN);
        assert!(crate::discord::DiscordSettings::from_config(&c).is_none());
        let key = "ab".repeat(32);
        let mut text = format!(
            "[discord]\napi_base = \"http://127.0.0.1:9\"\napplication_id = 110000000000000011\nguild_id = \"110000000000000022\"\npublic_key = \"{key}\"\nlisten = \"0.0.0.0:8443\"\n"
        );
        for a in &catalog.agreements {
            text += &format!(
                "[agreements.{0}]\nchannels = {{ incidents = \"110000000000000101\", status = \"110000000000000102\", summary = \"110000000000000103\" }}\nresponders = [\"110000000000000201\"]\nmanagers = [\"110000000000000202\"]\n[agreements.{0}.roles]\n",
                a.id
            );
            for l in &a.escalation.levels {
                text += &format!("{} = \"role:110000000000000301\"\n", l.role);
            }
        }
        std::fs::write(&p, &text).expect("write");
        let token = |k: &str| (k == "DISCORD_TOKEN").then(|| "tok".to_string());
        let mut c = Config::load(&p, &token).expect("load");
        c.resolve(&catalog, &p).expect("ids resolve");
        let d = crate::discord::DiscordSettings::from_config(&c).expect("settings");
        assert_eq!(
            (d.application_id, d.guild_id),
            (Some(110_000_000_000_000_011), Some(110_000_000_000_000_022))
        );
        assert_eq!(d.public_key.as_deref(), Some(key.as_str()));
        assert_eq!(d.token.expose(), "tok");
        assert!(!format!("{d:?}").contains("tok\""));
        // Names where ids belong: a clear error naming the key, only in Discord mode.
        let named = text.replacen("incidents = \"110000000000000101\"", "incidents = \"ssb-incidents\"", 1);
        std::fs::write(&p, &named).expect("write");
        let mut c = Config::load(&p, &|_| None).expect("load");
        c.resolve(&catalog, &p).expect("console mode takes names");
        let e = Config::load(&p, &token)
            .and_then(|mut c| c.resolve(&catalog, &p))
            .expect_err("names in Discord mode")
            .to_string();
        assert!(
            e.contains("channels.incidents") && e.contains("not a Discord channel id"),
            "{e}"
        );
        // One id rule: what posts accept (15 to 20 digits), no shorter number.
        for short in ["[discord]\nguild_id = 22\n", "[discord]\napplication_id = \"11\"\n"] {
            std::fs::write(&p, short).expect("write");
            assert!(Config::load(&p, &|_| None).is_err(), "{short}");
        }
        assert_eq!(snowflake(" 110000000000000022 "), Some(110_000_000_000_000_022));
        for bad in [
            "12",
            "",
            "000000000000000",
            "1100000000000000000000",
            "11000000000000002x",
        ] {
            assert_eq!(snowflake(bad), None, "{bad}");
        }
        for (bad, want) in [
            ("[discord]\nguild_id = \"abc\"\n", "discord.guild_id"),
            ("[discord]\npublic_key = \"xyz\"\n", "discord.public_key"),
            ("[discord]\nlisten = \"here\"\n", "discord.listen"),
            ("[discord]\napi_base = \"discord.com\"\n", "discord.api_base"),
            ("[discord]\ntoken = \"x\"\n", "unknown field"),
        ] {
            std::fs::write(&p, bad).expect("write");
            let e = Config::load(&p, &|_| None).expect_err(bad).to_string();
            assert!(e.contains(want), "{bad}: {e}");
        }
    }

    #[test]
    fn languages_come_from_the_agreement_then_the_file_then_the_environment() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalog = crate::agreements::load_dir(&root.join("agreements")).expect("agreements");
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("vakt.toml");
        let resolved = |env: &dyn Fn(&str) -> Option<String>| {
            let mut c = Config::load(&p, env).expect("load");
            c.resolve(&catalog, &p).expect("resolve");
            c
        };
        // The agreements' own: each shipped file names its language.
        let c = resolved(&|_| None);
        for (id, l) in [
            ("altinn", Locale::Nb),
            ("difi", Locale::Nb),
            ("borger-dk", Locale::Da),
            ("ssbtek", Locale::Sv),
            ("inera", Locale::Sv),
        ] {
            assert_eq!(c.locale(id), l, "{id}");
        }
        assert_eq!(c.process_locale(), Locale::En);
        assert_eq!(c.languages().of_all(&["altinn", "difi"]), Locale::Nb);
        assert_eq!(c.languages().of_all(&["altinn", "inera"]), Locale::En);
        // One agreement overridden in vakt.toml.
        std::fs::write(&p, "[agreements.altinn]\nlanguage = \"en\"\n").expect("write");
        let c = resolved(&|_| None);
        assert_eq!((c.locale("altinn"), c.locale("difi")), (Locale::En, Locale::Nb));
        // The top-level key puts every agreement in one language; VAKT_LANGUAGE wins over it.
        std::fs::write(&p, "language = \"sv\"\n[agreements.altinn]\nlanguage = \"da\"\n").expect("write");
        let c = resolved(&|_| None);
        assert_eq!(
            (c.locale("altinn"), c.locale("borger-dk"), c.process_locale()),
            (Locale::Sv, Locale::Sv, Locale::Sv)
        );
        let c = resolved(&|k| (k == "VAKT_LANGUAGE").then(|| "en".to_string()));
        assert_eq!(
            (c.locale("altinn"), c.locale("inera"), c.process_locale()),
            (Locale::En, Locale::En, Locale::En)
        );
    }

    #[test]
    fn a_wrong_language_is_named_with_its_place() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("vakt.toml");
        std::fs::write(&p, "[agreements.altinn]\nlanguage = \"norsk\"\n").expect("write");
        let e = Config::load(&p, &|_| None).expect_err("bad language").to_string();
        assert!(e.contains("vakt.toml:2:12: unknown language \"norsk\""), "{e}");
        let e = Config::load(&p.with_file_name("none.toml"), &|k| {
            (k == "VAKT_LANGUAGE").then(|| "fi".to_string())
        })
        .expect_err("bad VAKT_LANGUAGE")
        .to_string();
        assert!(e.contains("VAKT_LANGUAGE: unknown language \"fi\""), "{e}");
    }
}
