//! The Discord adapter (serenity 0.12): outbound, the [`Chat`](crate::service::ports::Chat)
//! port over Discord's HTTP API (incident cards, threads, exact `allowed_mentions`, nonces);
//! inbound, application commands generated from [`crate::commands::defs`], buttons, modals
//! and autocomplete dispatched through the one command executor, over the gateway or the
//! HTTP interactions endpoint (`vakt serve`).
//!
//! Everything talks to a configurable API base, so the whole adapter runs against a local
//! Discord-compatible server (the tests' fake).
//!
//! Interaction tokens (15-minute webhook credentials) never reach the logs: serenity records
//! its requests (webhook paths carry the token) and gateway events (interactions carry it) in
//! span fields and debug events, so [`loggable`] keeps serenity to its own info-and-above
//! events, without spans; the tracing set-up applies it.

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

/// Whether a span or event may be logged at all: none of serenity's spans (their fields are
/// the requests and gateway events, tokens included) and only its info-and-above events
/// (its debug events print responses with their URLs and raw gateway payloads).
pub fn loggable(meta: &tracing::Metadata<'_>) -> bool {
    let serenity = meta.target() == "serenity" || meta.target().starts_with("serenity::");
    !serenity || (meta.is_event() && *meta.level() <= tracing::Level::INFO)
}

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

#[cfg(test)]
mod tests {
    use super::loggable;

    #[test]
    fn serenity_spans_and_debug_events_are_not_logged() {
        use tracing::{Level, callsite::Identifier, field::FieldSet, metadata::Kind};
        struct Site;
        impl tracing::Callsite for Site {
            fn set_interest(&self, _: tracing::subscriber::Interest) {}
            fn metadata(&self) -> &tracing::Metadata<'_> {
                unreachable!()
            }
        }
        static SITE: Site = Site;
        let meta = |target: &'static str, level: Level, kind: Kind| {
            tracing::Metadata::new(
                "m",
                target,
                level,
                None,
                None,
                None,
                FieldSet::new(&[], Identifier(&SITE)),
                kind,
            )
        };
        assert!(!loggable(&meta("serenity::http::client", Level::INFO, Kind::SPAN)));
        assert!(!loggable(&meta("serenity::gateway::shard", Level::DEBUG, Kind::EVENT)));
        assert!(loggable(&meta("serenity::gateway::shard", Level::WARN, Kind::EVENT)));
        assert!(loggable(&meta("serenity_like", Level::TRACE, Kind::SPAN)));
        assert!(loggable(&meta("vakt::discord::serve", Level::TRACE, Kind::EVENT)));
    }
}
