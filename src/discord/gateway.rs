//! The gateway transport: serenity's `Client` with non-privileged intents only (`GUILDS`,
//! which is all interactions need), an [`EventHandler`] that registers the guild's commands
//! when ready and hands every interaction to the [`Dispatcher`], answering through the
//! interaction callback ([`respond`]).
//!
//! With several replicas exactly one holds the gateway: the holder of the [`LeaderLock`] the
//! application wires in (the storage adapter's lease; [`acquire`] waits for it). The others
//! try again every few seconds and take over when the holder gives it up or dies. Never two
//! at once: when the lock is lost (or could not be renewed in time) the holder stops its
//! shard within the lock's [`stop_budget`](LeaderLock::stop_budget), before another replica
//! can take the lock (the reasoning is the storage adapter's, `storage::leader`), and gives
//! the lock up only once the shard has stopped. Every replica runs the scheduler either way.
//!
//! A close Discord says never to reconnect after ([`Fatal`]: 4004 a rejected token, 4013 and
//! 4014 intents) stops the gateway with an error naming the close code, which makes
//! `vakt run` exit non-zero, instead of connecting again every few seconds.
//!
//! 4010–4012 (invalid shard, sharding required, invalid API version) cannot be surfaced with
//! serenity 0.12.5: its shard turns 4010 and 4011 into `GatewayError::InvalidShardData` and
//! `OverloadedShard`, but the shard runner hands only 4004, 4013 and 4014 to the manager's
//! return value (`ShardRunner::recv_event`) and swallows the rest, reconnecting; 4012 it does
//! not know at all (an unknown close, resumed). No event of the [`EventHandler`], no runner
//! message and no manager field carries the close code — only serenity's own log lines do —
//! so stopping on them would take a patched serenity. None can happen to vakt's one unsharded
//! connection on serenity's API v10 short of a Discord-side change (4011 needs about 2,500
//! guilds); should one happen, the shard never becomes ready, so `/readyz` reports the chat
//! not ready, and [`Fatal::of`] already names them for a serenity that returns them.

use super::commands::{Scope, register};
use super::interactions::Dispatcher;
use crate::service::health::{ChatState, Monitor};
use crate::service::ports::{LeaderLock, Leadership};
use serenity::all::{
    ConnectionStage, Context, EventHandler, GatewayIntents, Http, Interaction, Ready, ShardStageUpdateEvent,
};
use serenity::async_trait;
use serenity::gateway::GatewayError;
use std::sync::Arc;
use std::time::Duration;

/// How long to wait before connecting again after the gateway stopped.
const RECONNECT: Duration = Duration::from_secs(3);

/// How long [`stop_shards`] waits for a stale shutdown notification of serenity's (one that is
/// pending is there at once).
const DRAIN: Duration = Duration::from_millis(100);

/// Stops the client's shards, each with a close frame (1000), waiting for the gateway's
/// answer, in every state — also after serenity restarted a shard by itself.
///
/// This works around a defect of serenity 0.12.5: when a shard re-identifies, its runner asks
/// the manager to restart it (`ShardManager::restart_shard`), which waits out its own shutdown
/// (the runner cannot answer: it is the one waiting) and then posts a "shutdown finished"
/// notification nobody asked for. That stale notification stays in the manager's channel, so
/// the next `shutdown_all()` takes it for the new runner's answer and returns at once, before
/// the runner has sent its close frame: vakt would exit with the websocket open and Discord
/// show the bot online for minutes. So stale notifications are drained first, by shutting
/// down a shard that does not exist (serenity answers it with a pending notification at once;
/// when none is pending the wait is given up after [`DRAIN`]). One case stays open: a stop
/// that arrives during serenity's own restart (which holds the channel for up to 5 s) drains
/// nothing, and its notification comes after.
async fn stop_shards(shards: &serenity::gateway::ShardManager) {
    const NO_SHARD: serenity::all::ShardId = serenity::all::ShardId(u32::MAX);
    // One stale notification per restart at most; a bound all the same.
    for _ in 0..8 {
        if tokio::time::timeout(DRAIN, shards.shutdown(NO_SHARD, 1000))
            .await
            .is_err()
        {
            break;
        }
        tracing::debug!("drained a stale shard shutdown notification");
    }
    shards.shutdown_all().await;
}

/// A gateway close after which Discord says not to reconnect: the bot's configuration must
/// change first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Discord closed the gateway with code {code} ({meaning}); not reconnecting: {fix}")]
pub struct Fatal {
    /// The close code (4004, 4013, 4014).
    pub code: u16,
    /// What Discord means by it.
    pub meaning: &'static str,
    /// What the operator changes before starting vakt again.
    pub fix: &'static str,
}

impl Fatal {
    /// The fatal close behind serenity's error, if it is one.
    pub fn of(error: &serenity::Error) -> Option<Fatal> {
        let serenity::Error::Gateway(e) = error else {
            return None;
        };
        let (code, meaning, fix) = match e {
            GatewayError::InvalidAuthentication => (
                4004,
                "authentication failed",
                "DISCORD_TOKEN was rejected; set the bot's current token",
            ),
            GatewayError::InvalidShardData => (4010, "invalid shard", "vakt connects one shard; report this"),
            GatewayError::OverloadedShard => (
                4011,
                "sharding required",
                "the bot is in too many guilds for one connection",
            ),
            GatewayError::InvalidGatewayIntents => (4013, "invalid intents", "vakt asks for GUILDS only; report this"),
            GatewayError::DisallowedGatewayIntents => (
                4014,
                "disallowed intents",
                "the application is not allowed the intents vakt asks for (GUILDS)",
            ),
            _ => return None,
        };
        Some(Fatal { code, meaning, fix })
    }
}

/// Waits until this replica holds `lock`, trying every [`LeaderLock::retry`]; `None` when
/// `shutdown` turns true first. A database that cannot be reached is retried too (logged).
pub async fn acquire(
    lock: &dyn LeaderLock,
    shutdown: &mut tokio::sync::watch::Receiver<bool>,
) -> Option<Box<dyn Leadership>> {
    loop {
        if *shutdown.borrow() {
            return None;
        }
        match lock.try_acquire().await {
            Ok(Some(l)) => return Some(l),
            Ok(None) => tracing::debug!("another replica holds the gateway"),
            Err(e) => tracing::warn!(error = %e, "cannot try the gateway lock"),
        }
        tokio::select! {
            _ = tokio::time::sleep(lock.retry()) => {}
            _ = shutdown.changed() => {}
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
    if handled.again {
        // Taken on by an earlier delivery, which answers it.
        return;
    }
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
    monitor: Option<Arc<Monitor>>,
}

impl Handler {
    /// A handler registering in `guild` (if set) at ready.
    pub fn new(dispatcher: Arc<Dispatcher>, guild: Option<u64>, single_agreement: bool) -> Self {
        Handler {
            dispatcher,
            guild,
            single_agreement,
            monitor: None,
        }
    }

    /// The same, reporting the connection to `monitor` (readiness): connecting from now,
    /// connected when ready, connecting again when the shard drops, and a follower once the
    /// client that held this handler is gone (the leadership ended).
    #[must_use]
    pub fn with_monitor(mut self, monitor: Arc<Monitor>) -> Self {
        monitor.set_chat(ChatState::Connecting);
        self.monitor = Some(monitor);
        self
    }

    fn report(&self, state: ChatState) {
        if let Some(m) = &self.monitor {
            m.set_chat(state);
        }
    }
}

impl Drop for Handler {
    fn drop(&mut self) {
        self.report(ChatState::Follower);
    }
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(user = %ready.user.name, "connected to the Discord gateway");
        self.report(ChatState::Connected);
        match self.guild {
            Some(g) => match register(&ctx.http, Scope::Guild(g), self.single_agreement).await {
                Ok(n) => tracing::info!(commands = n, guild = g, "registered the guild's commands"),
                Err(e) => tracing::error!(error = %e, guild = g, "registering the guild's commands failed"),
            },
            None => tracing::warn!("no discord.guild_id: commands not registered at start (see vakt discord register)"),
        }
    }

    async fn shard_stage_update(&self, _: Context, event: ShardStageUpdateEvent) {
        self.report(if event.new == ConnectionStage::Connected {
            ChatState::Connected
        } else {
            ChatState::Connecting
        });
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
/// connects, and on losing the lock (or the connection) disconnects and tries again. A
/// [`Fatal`] close releases the lock and ends with that error.
pub async fn run(
    settings: super::DiscordSettings,
    leader: &dyn LeaderLock,
    handler: impl Fn() -> Handler,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<()> {
    loop {
        let Some(mut leadership) = acquire(leader, &mut shutdown).await else {
            return Ok(());
        };
        tracing::info!("this replica holds the gateway");
        // The client's HTTP goes to the configured API base (a local server in tests).
        let mut client = serenity::all::ClientBuilder::new_with_http(super::build_http(&settings), intents())
            .event_handler(handler())
            .await
            .map_err(|e| anyhow::anyhow!("starting the Discord client: {e}"))?;
        let shards = client.shard_manager.clone();
        let (stop, fatal) = tokio::select! {
            r = client.start() => match r {
                Err(e) => match Fatal::of(&e) {
                    Some(fatal) => (true, Some(fatal)),
                    None => {
                        tracing::error!(error = %e, "the Discord gateway stopped");
                        (false, None)
                    }
                },
                Ok(()) => (false, None),
            },
            _ = leadership.lost() => (false, None),
            _ = shutdown.wait_for(|s| *s) => (true, None),
        };
        // After a fatal close serenity's shard runner has already stopped (shutting it down
        // again would only wait out serenity's timeout). The stop is bounded by the lock's
        // budget: past it another replica may take the lock.
        let stopped = fatal.is_some()
            || tokio::time::timeout(leader.stop_budget(), stop_shards(&shards))
                .await
                .is_ok();
        drop(client);
        if stopped {
            leadership.release().await;
        } else {
            // Not known to be stopped: the lock is left to expire rather than handed on now.
            tracing::warn!("the gateway did not stop within the leader lock's budget");
            drop(leadership);
        }
        if let Some(fatal) = fatal {
            tracing::error!(code = fatal.code, "{fatal}");
            return Err(fatal.into());
        }
        if stop {
            return Ok(());
        }
        tokio::time::sleep(RECONNECT).await;
    }
}
