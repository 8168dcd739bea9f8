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
    let store = crate::storage::connect_with(config.database_url.expose(), &config.database)
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
    }
}
