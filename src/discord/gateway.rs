//! The gateway transport: serenity's `Client` with non-privileged intents only (`GUILDS`,
//! which is all interactions need), an [`EventHandler`] that registers the guild's commands
//! when ready and hands every interaction to the [`Dispatcher`], answering through the
//! interaction callback ([`respond`]).
//!
//! With several replicas on one PostgreSQL database exactly one holds the gateway: the
//! [`Leader`] lock is a PostgreSQL advisory lock held on a dedicated connection. The others
//! try again every few seconds and take over when the holder dies (its connection closes and
//! PostgreSQL releases the lock). On SQLite there is one process, always the leader. Every
//! replica runs the scheduler either way.

use super::commands::{Scope, register};
use super::interactions::Dispatcher;
use serenity::all::{Context, EventHandler, GatewayIntents, Http, Interaction, Ready};
use serenity::async_trait;
use sqlx::Connection;
use std::sync::Arc;
use std::time::Duration;

/// The advisory lock key of the gateway (`hashtext('vakt-gateway')` would do as well; a fixed
/// number is easier to find in `pg_locks`).
pub const GATEWAY_LOCK_KEY: i64 = 0x7661_6b74_6777; // "vaktgw"

/// How often a replica that is not the leader tries the lock again.
pub const RETRY: Duration = Duration::from_secs(3);

/// Who may hold the gateway.
#[derive(Debug, Clone)]
pub enum Leader {
    /// One process (SQLite): always the leader.
    Always,
    /// Replicas on one PostgreSQL database: the holder of an advisory lock.
    Postgres {
        /// The database URL (not printed).
        url: crate::config::DatabaseUrl,
        /// The lock key.
        key: i64,
        /// How often to try again.
        retry: Duration,
    },
}

/// Holding the gateway: for PostgreSQL, the connection that holds the lock.
pub struct Leadership {
    conn: Option<sqlx::PgConnection>,
    retry: Duration,
}

impl std::fmt::Debug for Leadership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leadership")
            .field("postgres", &self.conn.is_some())
            .finish()
    }
}

impl Leader {
    /// The leader lock for a database URL: PostgreSQL's advisory lock, else always.
    pub fn for_database(url: &crate::config::DatabaseUrl) -> Leader {
        let u = url.expose();
        if u.starts_with("postgres://") || u.starts_with("postgresql://") {
            Leader::Postgres {
                url: url.clone(),
                key: GATEWAY_LOCK_KEY,
                retry: RETRY,
            }
        } else {
            Leader::Always
        }
    }

    /// Takes the lock if it is free; `None` when another replica holds it.
    pub async fn try_acquire(&self) -> Result<Option<Leadership>, sqlx::Error> {
        match self {
            Leader::Always => Ok(Some(Leadership {
                conn: None,
                retry: RETRY,
            })),
            Leader::Postgres { url, key, retry } => {
                let mut conn = sqlx::PgConnection::connect(url.expose()).await?;
                let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                    .bind(*key)
                    .fetch_one(&mut conn)
                    .await?;
                if got {
                    Ok(Some(Leadership {
                        conn: Some(conn),
                        retry: *retry,
                    }))
                } else {
                    let _ = conn.close().await;
                    Ok(None)
                }
            }
        }
    }

    /// Waits until this replica holds the lock, trying every `retry`; `None` when `shutdown`
    /// turns true first. A database that cannot be reached is retried too (logged).
    pub async fn acquire(&self, shutdown: &mut tokio::sync::watch::Receiver<bool>) -> Option<Leadership> {
        loop {
            if *shutdown.borrow() {
                return None;
            }
            match self.try_acquire().await {
                Ok(Some(l)) => return Some(l),
                Ok(None) => tracing::debug!("another replica holds the gateway"),
                Err(e) => tracing::warn!(error = %e, "cannot try the gateway lock"),
            }
            let wait = match self {
                Leader::Postgres { retry, .. } => *retry,
                Leader::Always => RETRY,
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = shutdown.changed() => {}
            }
        }
    }
}

impl Leadership {
    /// Resolves when the lock is lost (its connection fails a check, made every retry
    /// interval); never for [`Leader::Always`].
    pub async fn lost(&mut self) {
        let Some(conn) = self.conn.as_mut() else {
            return std::future::pending().await;
        };
        loop {
            tokio::time::sleep(self.retry).await;
            if sqlx::query("SELECT 1").execute(&mut *conn).await.is_err() {
                tracing::warn!("lost the gateway lock's database connection");
                return;
            }
        }
    }

    /// Gives the lock up (closing its connection releases it).
    pub async fn release(mut self) {
        if let Some(conn) = self.conn.take() {
            let _ = conn.close().await;
        }
    }
}

/// The gateway's path for one interaction: dispatch, answer through the interaction
/// callback, then run what was left for after (a deferred answer, follow-up pages).
pub async fn respond(dispatcher: &Arc<Dispatcher>, http: &Http, interaction: Interaction) {
    let (id, token) = match &interaction {
        Interaction::Ping(i) => (i.id, i.token.clone()),
        Interaction::Command(i) | Interaction::Autocomplete(i) => (i.id, i.token.clone()),
        Interaction::Component(i) => (i.id, i.token.clone()),
        Interaction::Modal(i) => (i.id, i.token.clone()),
        _ => return,
    };
    let handled = dispatcher.handle(interaction).await;
    if let Err(e) = http
        .create_interaction_response(id, &token, &handled.initial, Vec::new())
        .await
    {
        tracing::error!(error = %e, "answering an interaction failed");
        return;
    }
    if let Some(later) = handled.later {
        later.await;
    }
}

/// serenity's event handler: registers commands when ready, dispatches interactions.
pub struct Handler {
    dispatcher: Arc<Dispatcher>,
    guild: Option<u64>,
    single_agreement: bool,
}

impl Handler {
    /// A handler registering in `guild` (if set) at ready.
    pub fn new(dispatcher: Arc<Dispatcher>, guild: Option<u64>, single_agreement: bool) -> Self {
        Handler {
            dispatcher,
            guild,
            single_agreement,
        }
    }
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(user = %ready.user.name, "connected to the Discord gateway");
        match self.guild {
            Some(g) => match register(&ctx.http, Scope::Guild(g), self.single_agreement).await {
                Ok(n) => tracing::info!(commands = n, guild = g, "registered the guild's commands"),
                Err(e) => tracing::error!(error = %e, guild = g, "registering the guild's commands failed"),
            },
            None => tracing::warn!("no discord.guild_id: commands not registered at start (see vakt discord register)"),
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let dispatcher = self.dispatcher.clone();
        // Each interaction on its own task, so a slow one never holds up the next.
        tokio::spawn(async move { respond(&dispatcher, &ctx.http, interaction).await });
    }
}

/// The intents vakt connects with: non-privileged only.
pub fn intents() -> GatewayIntents {
    GatewayIntents::GUILDS
}

/// Holds the gateway while this replica is the leader, until `shutdown`: takes the lock,
/// connects, and on losing the lock (or the connection) disconnects and tries again.
pub async fn run(
    settings: super::DiscordSettings,
    leader: Leader,
    handler: impl Fn() -> Handler,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<()> {
    loop {
        let Some(mut leadership) = leader.acquire(&mut shutdown).await else {
            return Ok(());
        };
        tracing::info!("this replica holds the gateway");
        // The client's HTTP goes to the configured API base (a local server in tests).
        let mut client = serenity::all::ClientBuilder::new_with_http(super::build_http(&settings), intents())
            .event_handler(handler())
            .await
            .map_err(|e| anyhow::anyhow!("starting the Discord client: {e}"))?;
        let shards = client.shard_manager.clone();
        let stop = tokio::select! {
            r = client.start() => {
                if let Err(e) = r {
                    tracing::error!(error = %e, "the Discord gateway stopped");
                }
                false
            }
            _ = leadership.lost() => false,
            _ = shutdown.wait_for(|s| *s) => true,
        };
        shards.shutdown_all().await;
        leadership.release().await;
        if stop {
            return Ok(());
        }
        tokio::time::sleep(RETRY).await;
    }
}
