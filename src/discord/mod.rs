//! The Discord adapter (serenity 0.12): outbound, the [`Chat`](crate::service::ports::Chat)
//! port over Discord's HTTP API (incident cards, threads, exact `allowed_mentions`, nonces);
//! inbound, application commands generated from [`crate::commands::defs`], buttons, modals
//! and autocomplete dispatched through the one command executor, over the gateway or the
//! HTTP interactions endpoint (`vakt serve`).
//!
//! Everything talks to a configurable API base, so the whole adapter runs against a local
//! Discord-compatible server (the tests' fake).

pub mod chat;
pub mod check;
pub mod commands;
pub mod custom_id;
pub mod gateway;
pub mod interactions;
pub mod locale;
pub mod render;
pub mod serve;

use crate::config::{Config, Secret};
use serenity::http::{Http, HttpBuilder};
use std::sync::Arc;

/// Discord's own API base.
pub const DISCORD_API_BASE: &str = crate::config::DEFAULT_DISCORD_API_BASE;

/// The deployment's Discord settings (`[discord]` in `vakt.toml`, the token from
/// `DISCORD_TOKEN`).
#[derive(Debug, Clone)]
pub struct DiscordSettings {
    /// The bot token (never printed).
    pub token: Secret,
    /// API base: Discord's by default; a local Discord-compatible server in tests.
    pub api_base: String,
    /// The application (bot) id, for commands and interaction webhooks.
    pub application_id: Option<u64>,
    /// The application's ed25519 public key (hex), for `vakt serve`.
    pub public_key: Option<String>,
    /// The guild whose commands are registered at start.
    pub guild_id: Option<u64>,
}

impl DiscordSettings {
    /// The settings of `config`'s `[discord]` section, when `DISCORD_TOKEN` is set.
    pub fn from_config(config: &Config) -> Option<Self> {
        let token = config.discord_token.clone()?;
        Some(DiscordSettings {
            token,
            api_base: config.discord.api_base.clone(),
            application_id: config.discord.application_id,
            public_key: config.discord.public_key.clone(),
            guild_id: config.discord.guild_id,
        })
    }

    /// Whether requests go to Discord itself.
    pub fn is_discord(&self) -> bool {
        self.api_base.trim_end_matches('/') == DISCORD_API_BASE
    }
}

/// serenity's HTTP client for these settings: against another API base it goes through
/// `proxy` with serenity's ratelimiter off (the ratelimiter ignores the proxy), so every
/// request reaches that server; 429s then surface as errors the caller maps to retries.
pub fn http(settings: &DiscordSettings) -> Arc<Http> {
    Arc::new(build_http(settings))
}

/// The same client, not shared (serenity's gateway `Client` takes one by value).
pub fn build_http(settings: &DiscordSettings) -> Http {
    let mut b = HttpBuilder::new(settings.token.expose());
    if !settings.is_discord() {
        b = b
            .proxy(settings.api_base.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    if let Some(app) = settings.application_id {
        b = b.application_id(app.into());
    }
    b.build()
}
