//! Composition root: loads the configuration and agreements, connects the store, and wires
//! the service and scheduler around a chat adapter and a clock.

use crate::agreements::{Catalog, load_dir};
use crate::config::Config;
use crate::scheduler::Scheduler;
use crate::service::Service;
use crate::service::ports::{Chat, Clock, Store};
use anyhow::Context;
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// Everything a running vakt needs.
pub struct App {
    /// Configuration (resolved against the agreements).
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

/// The time zone of each agreement, for adapters that render local times.
pub fn zones(catalog: &Catalog) -> BTreeMap<String, Tz> {
    catalog.agreements.iter().map(|a| (a.id.clone(), a.tz)).collect()
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
    let store = crate::storage::connect(config.database_url.expose())
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
        config.clone(),
    ));
    let scheduler = Arc::new(Scheduler::new(store.clone(), service.clone(), runner));
    App {
        config,
        catalog,
        store,
        service,
        scheduler,
    }
}
