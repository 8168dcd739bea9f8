//! The composition root: loads the configuration and agreements, resolves the configuration
//! into the service's [`Settings`], connects the store, wires service and scheduler around a
//! chat adapter and a clock, runs the chosen adapter, and shuts everything down on quit,
//! Ctrl-C or SIGTERM (the running job finishes; the scheduler stops claiming).
//!
//! It owns the one start-up sequence ([`start_up`]): adopt agreement changes, schedule the
//! recurring posts and the duties; every adapter runs it before it serves. The binary's
//! `main` only parses the command line and calls [`main`]. It only wires: no rule, no
//! wording.

use crate::agreements::{Catalog, load_dir};
use crate::cli::{Cli, Command, DiscordCmd, LogFormat};
use crate::config::Config;
use crate::discord::DiscordSettings;
use crate::scheduler::Scheduler;
use crate::service::health::{ChatState, Metrics, Monitor, NoMetrics};
use crate::service::metered::MeteredStore;
use crate::service::ports::{Chat, ChatError, Clock, Store};
use crate::service::webhooks::WebhookRoute;
use crate::service::{AgreementSettings, RecurringPost, Service, Settings};
use anyhow::Context;
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Everything a running vakt needs.
pub struct App {
    /// Configuration (resolved against the agreements): what adapters render with.
    pub config: Arc<Config>,
    /// Agreements.
    pub catalog: Arc<Catalog>,
    /// The store (metered when the metrics endpoint is on).
    pub store: Arc<dyn Store>,
    /// Use cases.
    pub service: Arc<Service>,
    /// Job runner.
    pub scheduler: Arc<Scheduler>,
    /// The service's clock.
    pub clock: Arc<dyn Clock>,
    /// What the parts report for health and metrics.
    pub monitor: Arc<Monitor>,
    /// The metrics registry, when `[ops] listen` (or `--metrics-addr`) asks for the endpoint.
    pub exporter: Option<Arc<crate::ops::Exporter>>,
}

impl App {
    /// A runner of this app's jobs: lease owner `owner`, up to `concurrency` jobs at once,
    /// with the configured retention and reporting to the app's monitor.
    pub fn runner(&self, owner: &str, concurrency: usize) -> Scheduler {
        build_runner(
            &self.store,
            &self.service,
            &self.config,
            &self.monitor,
            owner,
            concurrency,
        )
    }
}

/// [`App::runner`] from the parts of an app, for [`wire`] (which builds the app's own runner
/// before there is an app).
fn build_runner(
    store: &Arc<dyn Store>,
    service: &Arc<Service>,
    config: &Config,
    monitor: &Arc<Monitor>,
    owner: &str,
    concurrency: usize,
) -> Scheduler {
    Scheduler::new(store.clone(), service.clone(), owner)
        .with_retention(config.retention)
        .with_concurrency(concurrency)
        .with_monitor(monitor.clone())
}

/// How often (real time, at most) a long-running replica's scheduler ticks; `/readyz` wants a
/// tick within twice this.
pub const SCHEDULER_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

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

/// What each configured webhook target takes, as the service needs it.
pub fn webhook_routes(config: &Config) -> Vec<WebhookRoute> {
    (config.webhooks.iter())
        .map(|t| WebhookRoute {
            name: t.name.clone(),
            kinds: t.kinds.clone(),
            agreements: t.agreements.clone(),
        })
        .collect()
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
    if let Some(problem) = config.database_url.sqlite_open_problem() {
        anyhow::bail!("{problem}");
    }
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
    let exporter = config.ops.listen.map(|_| Arc::new(crate::ops::Exporter::new()));
    let metrics: Arc<dyn Metrics> = match &exporter {
        Some(e) => e.clone(),
        None => Arc::new(NoMetrics),
    };
    // With an exporter, every store call is timed (`vakt_store_duration_seconds`).
    let store: Arc<dyn Store> = match &exporter {
        Some(_) => Arc::new(MeteredStore::new(store, metrics.clone())),
        None => store,
    };
    let mut service = Service::new(
        store.clone(),
        chat,
        clock.clone(),
        catalog.clone(),
        Arc::new(settings(&config)),
    )
    .with_metrics(metrics.clone());
    if !config.webhooks.is_empty() {
        // Start-up: a process that cannot build an HTTP client cannot do anything else either.
        let sender = crate::webhooks::HttpWebhooks::new(&config.webhooks).unwrap_or_else(|e| panic!("{e}"));
        service = service.with_webhooks(webhook_routes(&config), Arc::new(sender));
    }
    let service = Arc::new(service);
    let monitor = Arc::new(Monitor::new(SCHEDULER_INTERVAL, metrics));
    let scheduler = Arc::new(build_runner(
        &store,
        &service,
        &config,
        &monitor,
        runner,
        config.scheduler.concurrency,
    ));
    App {
        config,
        catalog,
        store,
        service,
        scheduler,
        clock,
        monitor,
        exporter,
    }
}

/// Starts the health and metrics endpoint when `[ops] listen` (or `--metrics-addr`) names an
/// address: binds it (an error when it cannot) and serves until `shutdown`. Returns the
/// address bound (port 0 asks for any free one) and the serving task.
pub async fn start_ops(
    app: &App,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<Option<(std::net::SocketAddr, tokio::task::JoinHandle<()>)>> {
    let (Some(addr), Some(exporter)) = (app.config.ops.listen, app.exporter.clone()) else {
        if !app.config.hooks.sources.is_empty() {
            anyhow::bail!(
                "[[hooks.sources]] are served on the operations listener: set [ops] listen (or --metrics-addr)"
            );
        }
        if !app.config.calendar.feeds.is_empty() {
            anyhow::bail!(
                "[calendar.<agreement>] feeds are served on the operations listener: set [ops] listen (or --metrics-addr)"
            );
        }
        return Ok(None);
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening for health and metrics on {addr} ([ops] listen, --metrics-addr)"))?;
    let addr = listener.local_addr().unwrap_or(addr);
    tracing::info!(listen = %addr, "serving /healthz, /readyz and /metrics");
    let ops = Arc::new(crate::ops::Ops {
        monitor: app.monitor.clone(),
        exporter,
        store: app.store.clone(),
        clock: app.clock.clone(),
        database_timeout: app.config.database.statement_timeout,
    });
    let hooks = Arc::new(crate::hooks::Hooks {
        service: app.service.clone(),
        sources: app.config.hooks.sources.clone(),
    });
    if !hooks.sources.is_empty() {
        tracing::info!(
            sources = hooks.sources.len(),
            "serving /hooks/alertmanager and /hooks/generic"
        );
    }
    let feeds = Arc::new(crate::calendar::Feeds {
        service: app.service.clone(),
        tokens: app.config.calendar.feeds.clone(),
        languages: app.config.languages(),
    });
    if !feeds.tokens.is_empty() {
        tracing::info!(feeds = feeds.tokens.len(), "serving /calendar/<agreement>.ics");
    }
    tracing::info!("serving /status/<agreement> and /status/<agreement>/feed.atom");
    let routes = crate::ops::router(ops)
        .merge(crate::hooks::router(hooks))
        .merge(crate::calendar::router(feeds))
        .merge(crate::status::router(Arc::new(crate::status::Pages {
            service: app.service.clone(),
            languages: app.config.languages(),
        })));
    let task = tokio::spawn(async move {
        if let Err(e) = crate::ops::serve_with(listener, routes, shutdown).await {
            tracing::error!(error = %e, "the health and metrics endpoint stopped");
        }
    });
    Ok(Some((addr, task)))
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

/// What a replica does before it serves: agreement files changed since the plans were made
/// replan those incidents; recurring posts and duties are (re)scheduled.
pub async fn start_up(app: &App) -> anyhow::Result<()> {
    let replanned = app.service.adopt_changed_agreements().await?;
    if replanned > 0 {
        tracing::info!(replanned, "incidents replanned after agreement changes");
    }
    app.service.schedule_recurring().await?;
    app.service.schedule_duties().await?;
    Ok(())
}

/// The scheduler as the console drives it.
#[async_trait::async_trait]
impl crate::console::Jobs for Scheduler {
    async fn tick(&self, now: chrono::DateTime<chrono::Utc>) -> Result<(), crate::service::ports::StoreError> {
        Scheduler::tick(self, now).await.map(|_| ())
    }

    async fn purge_if_due(&self, now: chrono::DateTime<chrono::Utc>) -> Result<u64, crate::service::ports::StoreError> {
        Scheduler::purge_if_due(self, now).await
    }

    async fn run(&self, shutdown: tokio::sync::watch::Receiver<bool>, max_sleep: std::time::Duration) {
        Scheduler::run(self, shutdown, max_sleep).await;
    }
}

/// A chat that posts nothing: the command line's service computes and stores, it never
/// announces.
struct NoChat;

#[async_trait::async_trait]
impl Chat for NoChat {
    async fn post(&self, _: &crate::service::ports::Post) -> Result<crate::service::ports::MessageRef, ChatError> {
        Err(ChatError::Permanent {
            reason: "the command line has no chat".into(),
        })
    }

    async fn edit(
        &self,
        _: &crate::service::ports::MessageRef,
        _: &crate::service::ports::Post,
    ) -> Result<(), ChatError> {
        Ok(())
    }

    async fn start_conversation(
        &self,
        card: &crate::service::ports::MessageRef,
        _: &crate::service::notice::IncidentSummary,
    ) -> Result<crate::service::ports::MessageRef, ChatError> {
        Ok(card.clone())
    }
}

/// The command line's services: the store at a URL and no chat; for reports the system clock
/// and default settings (reports read no roles or policy), for maintenance windows a clock
/// standing at `--now` and the command line's role as responder and manager.
struct CliServices;

#[async_trait::async_trait]
impl crate::cli::Connect for CliServices {
    async fn service(
        &self,
        url: &str,
        catalog: Arc<Catalog>,
    ) -> Result<Arc<Service>, Box<dyn std::error::Error + Send + Sync>> {
        let clock = Arc::new(crate::service::ports::SystemClock);
        cli_service(url, catalog, clock, AgreementSettings::default()).await
    }

    async fn service_at(
        &self,
        url: &str,
        catalog: Arc<Catalog>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Arc<Service>, Box<dyn std::error::Error + Send + Sync>> {
        let role = vec![crate::cli::maintenance::CLI_ROLE.to_string()];
        let settings = AgreementSettings {
            responders: role.clone(),
            managers: role,
            ..AgreementSettings::default()
        };
        cli_service(url, catalog, Arc::new(crate::service::ports::FixedClock(now)), settings).await
    }
}

/// A command-line service over the existing database at `url`, on `clock`, every agreement
/// with `settings`.
async fn cli_service(
    url: &str,
    catalog: Arc<Catalog>,
    clock: Arc<dyn crate::service::ports::Clock>,
    settings: AgreementSettings,
) -> Result<Arc<Service>, Box<dyn std::error::Error + Send + Sync>> {
    // Commands on an existing database never create one: a mistyped path is named, not
    // answered with an empty report.
    if let Some(file) = crate::config::DatabaseUrl::new(url).sqlite_file()
        && !file.exists()
    {
        return Err(format!(
            "database {} does not exist (check --database, VAKT_DATABASE_URL or database_url)",
            file.display()
        )
        .into());
    }
    let store = crate::storage::connect(url).await?;
    let settings = Settings {
        agreements: catalog
            .agreements
            .iter()
            .map(|a| (a.id.to_string(), settings.clone()))
            .collect(),
    };
    Ok(Arc::new(Service::new(
        store,
        Arc::new(NoChat),
        clock,
        catalog,
        Arc::new(settings),
    )))
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

/// Loads the configuration at `path` and the agreements it names, resolved against each other.
fn load(path: &Path, env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<(Arc<Config>, Arc<Catalog>)> {
    let mut config = Config::load(path, env)?;
    let catalog = load_catalog(&mut config, path)?;
    Ok((Arc::new(config), catalog))
}

/// Loads the configuration for a Discord command; an error without `DISCORD_TOKEN`.
fn discord_config(
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<(Arc<Config>, Arc<Catalog>, DiscordSettings)> {
    let (config, catalog) = load(path, env)?;
    let settings = DiscordSettings::from_config(&config)
        .context("DISCORD_TOKEN is not set: the Discord adapter needs the bot's token")?;
    Ok((config, catalog, settings))
}

/// The verifying key of `vakt serve`, which also needs the application id.
fn serve_key(settings: &DiscordSettings) -> anyhow::Result<ed25519_dalek::VerifyingKey> {
    let k = settings
        .public_key
        .as_deref()
        .context("vakt serve needs discord.public_key (the application's public key)")?;
    if settings.application_id.is_none() {
        anyhow::bail!("vakt serve needs discord.application_id, to edit deferred responses");
    }
    Ok(crate::discord::serve::public_key(k)?)
}

/// What the start-up block names: how this process runs and against what.
struct StartUp<'a> {
    /// `console`, `gateway` or `serve`.
    mode: &'static str,
    config: &'a Config,
    catalog: &'a Catalog,
    /// Discord's API base, when the mode talks to Discord.
    api_base: Option<&'a str>,
    /// The address `vakt serve` answers interactions on.
    listen: Option<&'a str>,
    /// This process's scheduler lease owner.
    runner: &'a str,
}

impl StartUp<'_> {
    /// Who holds the gateway: no one in serve and the console; this process on an in-memory
    /// database; else whichever replica holds the database's gateway lease.
    fn leader_role(&self) -> &'static str {
        use crate::storage::leader::Leader;
        match (self.mode, Leader::for_database(&self.config.database_url, self.runner)) {
            ("gateway", Leader::Always) => "gateway leader (in-memory database: the only process)",
            ("gateway", Leader::Lease(_)) => "gateway candidate (leader while it holds the database's gateway lease)",
            ("serve", _) => "none (every replica answers the interactions endpoint)",
            _ => "none (no gateway)",
        }
    }

    /// Logs the one start-up block: a single event (one line, or one JSON object) naming the
    /// mode, version, database (password redacted), agreements, API base, listen address,
    /// leader role and scheduler. Never the token: it is not among these.
    fn log(&self) {
        let ids: Vec<&str> = self.catalog.agreements.iter().map(|a| a.id.as_str()).collect();
        // A proxy's API base may carry credentials: shown redacted like a database URL.
        let api_base = self
            .api_base
            .map_or_else(|| "none".into(), |b| crate::config::DatabaseUrl::new(b).redacted());
        tracing::info!(
            mode = self.mode,
            version = env!("CARGO_PKG_VERSION"),
            database = %self.config.database_url,
            agreements = ids.len(),
            agreement_ids = %ids.join(","),
            agreements_dir = %self.config.agreements_dir.display(),
            api_base = %api_base,
            listen = self.listen.unwrap_or("none"),
            leader = self.leader_role(),
            scheduler = self.runner,
            "vakt starting"
        );
    }
}

/// Runs the bot on Discord: the scheduler on this replica and either the gateway (while
/// this replica holds the leader lock) or the HTTP interactions endpoint.
async fn run_discord(path: &Path, serve: bool, env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<()> {
    use crate::discord::{gateway, interactions::Dispatcher};
    let (config, catalog, settings) = discord_config(path, env)?;
    let key = if serve { Some(serve_key(&settings)?) } else { None };
    let runner = runner_id(if serve { "serve" } else { "gateway" });
    StartUp {
        mode: if serve { "serve" } else { "gateway" },
        config: &config,
        catalog: &catalog,
        api_base: Some(&settings.api_base),
        listen: serve.then_some(config.discord.listen.as_str()),
        runner: &runner,
    }
    .log();
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
        &runner,
    )
    .await?;
    start_up(&app).await?;
    // The interactions endpoint listens before anything reports ready.
    let endpoint = match key {
        Some(key) => {
            let listener = tokio::net::TcpListener::bind(&config.discord.listen)
                .await
                .with_context(|| format!("listening on {}", config.discord.listen))?;
            tracing::info!(listen = %config.discord.listen, "answering Discord interactions");
            Some((key, listener))
        }
        None => None,
    };
    app.monitor.set_chat(if endpoint.is_some() {
        ChatState::Listening
    } else {
        ChatState::Follower
    });
    let (stop_tx, stop_rx) = shutdown_on_signals();
    let ops = start_ops(&app, stop_rx.clone()).await?;
    let scheduler = app.scheduler.clone();
    let sched_stop = stop_rx.clone();
    let runner = tokio::spawn(async move { scheduler.run(sched_stop, SCHEDULER_INTERVAL).await });
    let dispatcher = Arc::new(
        Dispatcher::new(app.service.clone(), http)
            .with_monitor(app.monitor.clone())
            .with_languages(config.languages()),
    );
    let monitor = app.monitor.clone();
    let result = match endpoint {
        Some((key, listener)) => crate::discord::serve::serve(listener, dispatcher, key, stop_rx.clone())
            .await
            .map_err(anyhow::Error::from),
        None => {
            let single = catalog.agreements.len() == 1;
            let guild = settings.guild_id;
            let leader = crate::storage::leader::Leader::for_database(&config.database_url, &runner_id("gateway"));
            gateway::run(
                settings,
                &leader,
                || gateway::Handler::new(dispatcher.clone(), guild, single).with_monitor(monitor.clone()),
                stop_rx.clone(),
            )
            .await
        }
    };
    let _ = stop_tx.send(true);
    let _ = runner.await;
    if let Some((_, task)) = ops {
        let _ = task.await;
    }
    result
}

/// Jobs the console's runners run at once: one.
const CONSOLE_CONCURRENCY: usize = 1;

/// Runs the terminal console: its clock and chat, the app wired around them, its greeting
/// and start-up check, the one start-up sequence, then the session.
async fn run_console(opts: crate::console::ConsoleOptions, env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<()> {
    use crate::console::{self, Console, Parts};
    let (config, catalog) = load(&opts.config, env)?;
    let parts = Parts::new(&opts, &config, &catalog)?;
    let runner = runner_id("console");
    StartUp {
        mode: "console",
        config: &config,
        catalog: &catalog,
        api_base: None,
        listen: None,
        runner: &runner,
    }
    .log();
    let mut app = build(config, catalog, parts.clock.port(), parts.chat.clone(), &runner).await?;
    // The console's chat is the terminal and answers at once: its runners run one job at a
    // time (whatever `[scheduler] concurrency` says), so what falls due together prints in the
    // order it was planned.
    app.scheduler = Arc::new(app.runner(&runner, CONSOLE_CONCURRENCY));
    console::greet(&app.config, &app.service, &parts, &opts).await?;
    start_up(&app).await?;
    // The sped-up clock's background runner has a lease owner of its own: sharing the
    // foreground's would let both run the same job.
    let background = Arc::new(app.runner(&runner_id("console-background"), CONSOLE_CONCURRENCY));
    let console = Console::new(
        app.service.clone(),
        app.scheduler.clone(),
        &app.config,
        parts.clock.clone(),
        parts.out.clone(),
    )
    .with_background(background);
    let (stop_tx, stop_rx) = shutdown_on_signals();
    let ops = start_ops(&app, stop_rx.clone()).await?;
    let result = console::serve(console, &opts, stop_rx).await;
    let _ = stop_tx.send(true);
    if let Some((_, task)) = ops {
        let _ = task.await;
    }
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
        Adapter::Console(opts) => run_console(opts, env).await,
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

/// The deployment configuration file: the one given with `--config` (before or after the
/// command), which must exist; else `VAKT_CONFIG`, else `./vakt.toml`, either of which may be
/// missing (the defaults apply).
fn config_path(explicit: Option<PathBuf>, env: &dyn Fn(&str) -> Option<String>) -> Result<PathBuf, String> {
    match explicit {
        Some(p) if !p.exists() => Err(format!("--config {}: no such file", p.display())),
        Some(p) => Ok(p),
        None => Ok(env("VAKT_CONFIG").map_or_else(|| "vakt.toml".into(), Into::into)),
    }
}

/// What a command line asks for.
enum Route {
    /// Run an adapter until it quits.
    Adapter(Adapter),
    /// `vakt discord register`.
    Register(PathBuf, bool),
    /// `vakt discord check`.
    Check(PathBuf),
    /// A one-shot command of [`crate::cli`].
    OneShot(Box<Cli>),
}

/// Which adapter or command `cli` asks for: `vakt` and `vakt run` are Discord's gateway with
/// `DISCORD_TOKEN` set, else the console. `Err` is bad usage.
fn route(mut cli: Cli, env: &dyn Fn(&str) -> Option<String>) -> Result<Route, String> {
    let gateway = !cli.batch && env("DISCORD_TOKEN").is_some_and(|t| !t.trim().is_empty());
    let bot = !cli.batch
        && matches!(
            cli.command,
            None | Some(Command::Console { .. } | Command::Run | Command::Serve | Command::Discord(_))
        );
    if bot && cli.json {
        return Err("--json does not apply to the bot (console, run, serve, discord): it has no JSON output".into());
    }
    let path = || config_path(cli.config.clone(), env);
    let console = |speed, start, script| -> Result<Route, String> {
        Ok(Route::Adapter(Adapter::Console(crate::console::ConsoleOptions {
            config: path()?,
            speed,
            start,
            script,
        })))
    };
    match cli.command.take() {
        None | Some(Command::Run) if gateway => Ok(Route::Adapter(Adapter::Gateway(path()?))),
        None if !cli.batch => console(None, None, false),
        Some(Command::Run) => console(None, None, false),
        Some(Command::Console { speed, start, script }) => console(speed, start, script),
        Some(Command::Serve) => Ok(Route::Adapter(Adapter::Serve(path()?))),
        Some(Command::Discord(DiscordCmd::Register { global })) => Ok(Route::Register(path()?, global)),
        Some(Command::Discord(DiscordCmd::Check)) => Ok(Route::Check(path()?)),
        other => {
            cli.command = other;
            Ok(Route::OneShot(Box::new(cli)))
        }
    }
}

/// Starts logging on stderr: the filter from `VAKT_LOG`, else `RUST_LOG`, else
/// `default_level`; text lines (coloured only when stderr is a terminal, so a file or a
/// journal gets no escape codes) or one JSON object a line.
fn init_logging(default_level: &str, format: LogFormat) {
    use std::io::IsTerminal;
    let filter = ["VAKT_LOG", "RUST_LOG"]
        .iter()
        .find_map(|k| {
            std::env::var(k)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .and_then(|v| tracing_subscriber::EnvFilter::try_new(v).ok())
        })
        .unwrap_or_else(|| default_level.into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // serenity's spans and debug events carry interaction tokens (webhook paths, whole
    // payloads): they are never logged (`discord::loggable`).
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let quiet = || tracing_subscriber::filter::filter_fn(crate::discord::loggable);
    let _ = match format {
        LogFormat::Json => builder.json().with_current_span(true).finish().with(quiet()).try_init(),
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .finish()
            .with(quiet())
            .try_init(),
    };
}

/// Starts logging (see [`init_logging`]) and the async runtime, and runs `f` on it: what it
/// returns is printed; a failure is printed and exits 1.
fn run_async<F>(default_level: &str, format: LogFormat, f: F) -> i32
where
    F: std::future::Future<Output = anyhow::Result<Option<String>>>,
{
    init_logging(default_level, format);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("vakt: cannot start the async runtime: {e}");
            return 1;
        }
    };
    match runtime.block_on(f) {
        Ok(Some(out)) => {
            println!("{out}");
            0
        }
        Ok(None) => 0,
        Err(e) => {
            // With JSON logs every stderr line is a JSON object, the last words included.
            match format {
                LogFormat::Json => tracing::error!(error = %format!("{e:#}"), "vakt stopped"),
                LogFormat::Text => eprintln!("vakt: {e:#}"),
            }
            1
        }
    }
}

/// Runs a parsed command line in this process's environment; returns the exit code (0 done,
/// 1 failed, 2 bad usage).
pub fn main(cli: Cli) -> i32 {
    let log = cli.log_format;
    // `--dir` (or VAKT_AGREEMENTS) overrides the file's agreements_dir for the console.
    let dir = cli.dir.clone();
    // `--metrics-addr` (or VAKT_METRICS_ADDR) overrides `[ops] listen`.
    let metrics_addr = cli.metrics_addr.clone();
    let env = move |k: &str| {
        if k == "VAKT_METRICS_ADDR" {
            return metrics_addr.clone();
        }
        std::env::var(k).ok()
    };
    let route = match route(cli, &env) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("vakt: {e}");
            return 2;
        }
    };
    match route {
        Route::Adapter(Adapter::Console(opts)) => {
            let env = move |k: &str| {
                if k == "VAKT_AGREEMENTS" {
                    return Some(dir.display().to_string())
                        .filter(|d| d != "agreements")
                        .or_else(|| std::env::var(k).ok());
                }
                env(k)
            };
            run_async("warn", log, async move {
                run(Adapter::Console(opts), &env).await?;
                Ok(None)
            })
        }
        Route::Adapter(adapter) => run_async("info", log, async move {
            run(adapter, &env).await?;
            Ok(None)
        }),
        Route::Register(path, global) => run_async("info", log, async move {
            discord_register(&path, global, &env).await.map(Some)
        }),
        Route::Check(path) => run_async("info", log, async move { discord_check(&path, &env).await.map(Some) }),
        Route::OneShot(cli) => {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            match crate::cli::run(*cli, &CliServices, &mut input, &mut out) {
                Ok(()) | Err(crate::cli::CliError::OutputClosed) => 0,
                Err(e) => {
                    eprintln!("vakt: {e}");
                    e.exit_code()
                }
            }
        }
    }
}
