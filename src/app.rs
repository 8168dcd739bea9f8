//! The composition root: loads the configuration and agreements, resolves the configuration
//! into the service's [`Settings`], connects the store, wires service and scheduler around a
//! chat adapter and a clock, runs the chosen adapter, and shuts everything down on quit,
//! Ctrl-C or SIGTERM (the running job finishes; the scheduler stops claiming).
//!
//! It only wires: no rule, no wording.

use crate::agreements::{Catalog, load_dir};
use crate::config::Config;
use crate::scheduler::Scheduler;
use crate::service::ports::{Chat, Clock, Store};
use crate::service::{AgreementSettings, RecurringPost, Service, Settings};
use anyhow::Context;
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// Everything a running vakt needs.
pub struct App {
    /// Configuration (resolved against the agreements): what adapters render with.
    pub config: Arc<Config>,
    /// Agreements.
    pub catalog: Arc<Catalog>,
    /// Store.
    pub store: Arc<dyn Store>,
    /// Use cases.
    pub service: Arc<Service>,
    /// Job runner.
    pub scheduler: Arc<Scheduler>,
}

/// Loads the agreements named by `config` and resolves the per-agreement settings.
pub fn load_catalog(config: &mut Config, config_path: &Path) -> anyhow::Result<Arc<Catalog>> {
    let catalog = load_dir(&config.agreements_dir)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("loading agreements from {}", config.agreements_dir.display()))?;
    config.resolve(&catalog, config_path)?;
    Ok(Arc::new(catalog))
}

/// The service's settings from a resolved configuration.
pub fn settings(config: &Config) -> Settings {
    Settings {
        agreements: config
            .agreements
            .iter()
            .map(|(id, c)| {
                (
                    id.clone(),
                    AgreementSettings {
                        responders: c.responders.clone(),
                        managers: c.managers.clone(),
                        policy: c.policy.clone(),
                        recurring: c
                            .recurring
                            .iter()
                            .map(|r| RecurringPost {
                                name: r.name.clone(),
                                cron: r.cron.clone(),
                                what: r.what.clone(),
                            })
                            .collect(),
                    },
                )
            })
            .collect(),
    }
}

/// The time zone of each agreement, for adapters that render local times.
pub fn zones(catalog: &Catalog) -> BTreeMap<String, Tz> {
    catalog.agreements.iter().map(|a| (a.id.clone(), a.tz)).collect()
}

/// A lease owner name unique to this process: host, process id and start time, so a stale
/// runner's finish can be told apart from a live one's.
pub fn runner_id(role: &str) -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{role}@{host}/{}/{nanos:08x}", std::process::id())
}

/// Connects the store (running its migrations) and wires the service and scheduler.
pub async fn build(
    config: Arc<Config>,
    catalog: Arc<Catalog>,
    clock: Arc<dyn Clock>,
    chat: Arc<dyn Chat>,
    runner: &str,
) -> anyhow::Result<App> {
    // The storage error names the (redacted) URL and its cause already; keep the message
    // flat so the cause is not repeated by the error chain.
    let store = crate::storage::connect_with(config.database_url.expose(), &(&config.database).into())
        .await
        .map_err(|e| anyhow::anyhow!("opening the database: {e}"))?;
    Ok(wire(config, catalog, clock, chat, store, runner))
}

/// Wires the service and scheduler over an existing store.
pub fn wire(
    config: Arc<Config>,
    catalog: Arc<Catalog>,
    clock: Arc<dyn Clock>,
    chat: Arc<dyn Chat>,
    store: Arc<dyn Store>,
    runner: &str,
) -> App {
    let service = Arc::new(Service::new(
        store.clone(),
        chat,
        clock,
        catalog.clone(),
        Arc::new(settings(&config)),
    ));
    let scheduler = Arc::new(Scheduler::new(store.clone(), service.clone(), runner).with_retention(config.retention));
    App {
        config,
        catalog,
        store,
        service,
        scheduler,
    }
}

/// A shutdown signal: turns true on Ctrl-C or SIGTERM (or when the sender is used directly).
pub fn shutdown_on_signals() -> (tokio::sync::watch::Sender<bool>, tokio::sync::watch::Receiver<bool>) {
    let (tx, rx) = tokio::sync::watch::channel(false);
    let signal_tx = tx.clone();
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for SIGTERM");
                    let _ = tokio::signal::ctrl_c().await;
                    let _ = signal_tx.send(true);
                    return;
                }
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down");
        let _ = signal_tx.send(true);
    });
    (tx, rx)
}

/// Which adapter to run.
#[derive(Debug, Clone)]
pub enum Adapter {
    /// The terminal console.
    Console(crate::console::ConsoleOptions),
    /// Discord over the gateway (`vakt` / `vakt run` with `DISCORD_TOKEN`), with this
    /// configuration file.
    Gateway(std::path::PathBuf),
    /// Discord's HTTP interactions endpoint (`vakt serve`), with this configuration file.
    Serve(std::path::PathBuf),
}

/// Loads the configuration for a Discord command; an error without `DISCORD_TOKEN`.
fn discord_config(
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<(Arc<Config>, Arc<Catalog>, crate::discord::DiscordSettings)> {
    let mut config = Config::load(path, env)?;
    let catalog = load_catalog(&mut config, path)?;
    let settings = config
        .discord_settings()
        .context("DISCORD_TOKEN is not set: the Discord adapter needs the bot's token")?;
    Ok((Arc::new(config), catalog, settings))
}

/// Runs the bot on Discord: the scheduler on this replica and either the gateway (while
/// this replica holds the leader lock) or the HTTP interactions endpoint.
async fn run_discord(path: &Path, serve: bool, env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<()> {
    use crate::discord::{gateway, interactions::Dispatcher};
    let (config, catalog, settings) = discord_config(path, env)?;
    let key = if serve {
        let k = settings
            .public_key
            .as_deref()
            .context("vakt serve needs discord.public_key (the application's public key)")?;
        if settings.application_id.is_none() {
            anyhow::bail!("vakt serve needs discord.application_id, to edit deferred responses");
        }
        Some(crate::discord::serve::public_key(k)?)
    } else {
        None
    };
    let http = crate::discord::http(&settings);
    let chat = Arc::new(crate::discord::chat::DiscordChat::new(
        http.clone(),
        &config,
        catalog.clone(),
    ));
    let app = build(
        config.clone(),
        catalog.clone(),
        Arc::new(crate::service::ports::SystemClock),
        chat,
        &runner_id(if serve { "serve" } else { "gateway" }),
    )
    .await?;
    let replanned = app.service.adopt_changed_agreements().await?;
    if replanned > 0 {
        tracing::info!(replanned, "incidents replanned after agreement changes");
    }
    app.service.schedule_recurring().await?;
    app.service.schedule_duties().await?;
    let (stop_tx, stop_rx) = shutdown_on_signals();
    let scheduler = app.scheduler.clone();
    let sched_stop = stop_rx.clone();
    let runner = tokio::spawn(async move { scheduler.run(sched_stop, std::time::Duration::from_secs(1)).await });
    let dispatcher = Arc::new(Dispatcher::new(app.service.clone(), app.store.clone(), http));
    let result = match key {
        Some(key) => {
            let listener = tokio::net::TcpListener::bind(&config.discord.listen)
                .await
                .with_context(|| format!("listening on {}", config.discord.listen))?;
            tracing::info!(listen = %config.discord.listen, "answering Discord interactions");
            crate::discord::serve::serve(listener, dispatcher, key, stop_rx.clone())
                .await
                .map_err(anyhow::Error::from)
        }
        None => {
            let single = catalog.agreements.len() == 1;
            let guild = settings.guild_id;
            let leader = crate::storage::leader::Leader::for_database(&config.database_url);
            gateway::run(
                settings,
                &leader,
                || gateway::Handler::new(dispatcher.clone(), guild, single),
                stop_rx.clone(),
            )
            .await
        }
    };
    let _ = stop_tx.send(true);
    let _ = runner.await;
    result
}

/// `vakt discord register [--global]`: replaces the application commands; returns how many.
pub async fn discord_register(
    path: &Path,
    global: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<String> {
    use crate::discord::commands::{Scope, register};
    let (_, catalog, settings) = discord_config(path, env)?;
    if settings.application_id.is_none() {
        anyhow::bail!("registering commands needs discord.application_id");
    }
    let scope = if global {
        Scope::Global
    } else {
        Scope::Guild(
            settings
                .guild_id
                .context("registering in a guild needs discord.guild_id (or use --global)")?,
        )
    };
    let http = crate::discord::http(&settings);
    let n = register(&http, scope, catalog.agreements.len() == 1)
        .await
        .map_err(|e| anyhow::anyhow!("registering the commands: {e}"))?;
    Ok(match scope {
        Scope::Global => format!("registered {n} commands globally (Discord may take up to an hour to show them)"),
        Scope::Guild(g) => format!("registered {n} commands in guild {g}"),
    })
}

/// Runs vakt with `adapter` until it quits or a shutdown signal arrives. `env` reads the
/// environment (tests pass their own).
pub async fn run(adapter: Adapter, env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<()> {
    match adapter {
        Adapter::Console(opts) => {
            let mut config = Config::load(&opts.config, env)?;
            let catalog = load_catalog(&mut config, &opts.config)?;
            let config = Arc::new(config);
            let parts = crate::console::Parts::new(&opts, &config, &catalog)?;
            let app = build(
                config,
                catalog,
                parts.clock.port(),
                parts.chat.clone(),
                &runner_id("console"),
            )
            .await?;
            // Agreement files changed since the plans were made: replan those incidents.
            let replanned = app.service.adopt_changed_agreements().await?;
            if replanned > 0 {
                tracing::info!(replanned, "incidents replanned after agreement changes");
            }
            let (stop_tx, stop_rx) = shutdown_on_signals();
            let result = crate::console::serve(&app, parts, &opts, stop_rx.clone()).await;
            let _ = stop_tx.send(true);
            result
        }
        Adapter::Gateway(path) => run_discord(&path, false, env).await,
        Adapter::Serve(path) => run_discord(&path, true, env).await,
    }
}

/// `vakt discord check`: reads the guild through the API and reports what is wrong.
pub async fn discord_check(path: &Path, env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<String> {
    let (config, _catalog, settings) = discord_config(path, env)?;
    let http = crate::discord::http(&settings);
    let report = crate::discord::check::check(&http, &settings, &config).await;
    if report.ok() {
        Ok(report.to_string())
    } else {
        anyhow::bail!("{report}")
    }
}
