//! The terminal console: a chat in the terminal with the same commands Discord has
//! (`/incident open agreement:ssbtek impact:1 title:"SHS down"`, `/incident ack SSB-2026-0001`,
//! …). It prints what the bot posts, channel by channel, with mentions shown as the mapped
//! roles, and runs on a fake clock the user moves (`/clock advance 2h`,
//! `/clock set 2026-11-20T08:00+01:00`) or on real time sped up (`--speed 60`).
//!
//! A line goes: read → parse ([`crate::commands`]) → execute ([`crate::commands::exec`]) →
//! render ([`render`]). Only the console's own words (`/clock`, `/as`, `/help`, `/quit`,
//! `/agreements`) are handled here. Moving the fake clock steps through every due job in time
//! order, so warnings, escalations and status updates appear at their own times.

pub mod clock;
pub mod render;

use crate::commands;
use crate::commands::exec::{Reply, execute};
use crate::config::Config;
use crate::domain::catalog::Catalog;
use crate::domain::time::{parse_duration, parse_supported_instant};
use crate::service::notice::IncidentSummary;
use crate::service::ports::{Chat, ChatError, Clock, MessageRef, Post, StoreError};
use crate::service::{Actor, Service, ServiceError};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use clock::{FakeClock, SpedUpClock};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Where console output goes (stdout, or a buffer in tests).
pub type Sink = Arc<Mutex<Box<dyn Write + Send>>>;

fn emit(out: &Sink, text: &str) {
    if let Ok(mut w) = out.lock() {
        let _ = writeln!(w, "{}", crate::render::text::terminal(text));
        let _ = w.flush();
    }
}

/// The console's chat: prints each post under its channel, drops resends by nonce.
pub struct ConsoleChat {
    out: Sink,
    config: Arc<Config>,
    zones: BTreeMap<String, Tz>,
    clock: Arc<dyn Clock>,
    seen: Mutex<HashSet<String>>,
    next: AtomicU64,
}

impl ConsoleChat {
    /// A chat printing to `out`.
    pub fn new(out: Sink, config: Arc<Config>, zones: BTreeMap<String, Tz>, clock: Arc<dyn Clock>) -> Self {
        ConsoleChat {
            out,
            config,
            zones,
            clock,
            seen: Mutex::new(HashSet::new()),
            next: AtomicU64::new(1),
        }
    }

    fn tz(&self, agreement: &str) -> Tz {
        self.zones.get(agreement).copied().unwrap_or(chrono_tz::UTC)
    }
}

#[async_trait]
impl Chat for ConsoleChat {
    async fn post(&self, p: &Post) -> Result<MessageRef, ChatError> {
        let channel = render::channel_name(&self.config, &p.channel.agreement, p.channel.kind);
        let message = self.next.fetch_add(1, Ordering::Relaxed).to_string();
        if let Some(n) = &p.nonce {
            let mut seen = self.seen.lock().map_err(|_| ChatError::Permanent {
                reason: "console chat poisoned".into(),
            })?;
            if !seen.insert(n.clone()) {
                return Ok(MessageRef { channel, message });
            }
        }
        let tz = self.tz(&p.channel.agreement);
        emit(&self.out, &render::post(&self.config, p, tz, self.clock.now()));
        Ok(MessageRef { channel, message })
    }

    /// The console has no cards to edit: every change is posted as its own line already.
    async fn edit(&self, _: &MessageRef, _: &Post) -> Result<(), ChatError> {
        Ok(())
    }

    /// The console has no threads: an incident's conversation is its channel.
    async fn start_conversation(&self, card: &MessageRef, _: &IncidentSummary) -> Result<MessageRef, ChatError> {
        Ok(card.clone())
    }
}

/// Which clock the console runs on.
#[derive(Clone)]
pub enum ConsoleClock {
    /// Moves only on `/clock` commands.
    Fake(Arc<FakeClock>),
    /// Real time sped up; a background runner fires jobs.
    Sped(Arc<SpedUpClock>),
}

impl ConsoleClock {
    /// As the service's port.
    pub fn port(&self) -> Arc<dyn Clock> {
        match self {
            ConsoleClock::Fake(c) => c.clone(),
            ConsoleClock::Sped(c) => c.clone(),
        }
    }
}

/// What the console should do after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep reading.
    Continue,
    /// Stop.
    Quit,
}

/// What the console needs of the job runner (the composition root hands in the scheduler):
/// run what is due at an instant, purge old records when due, and run in the background on
/// a sped-up clock.
#[async_trait]
pub trait Jobs: Send + Sync {
    /// Runs every job due at `now`.
    async fn tick(&self, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Purges records past retention, when a purge is due; how many went.
    async fn purge_if_due(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;
    /// Runs jobs as they fall due until `shutdown`, sleeping at most `max_sleep`.
    async fn run(&self, shutdown: tokio::sync::watch::Receiver<bool>, max_sleep: std::time::Duration);
}

/// The console session.
pub struct Console {
    service: Arc<Service>,
    jobs: Arc<dyn Jobs>,
    clock: ConsoleClock,
    actor: Actor,
    out: Sink,
    tz: Tz,
    /// Every chat role the configuration names (responders and managers): what `/as` accepts.
    known_roles: Vec<String>,
    /// The runner of the sped-up clock's background, with its own lease owner (never the
    /// foreground's, so a job claimed by one is never run by the other as well).
    background: Option<Arc<dyn Jobs>>,
    /// Turns true on Ctrl-C or SIGTERM: a long clock move stops at the next job.
    stop: Option<tokio::sync::watch::Receiver<bool>>,
    /// The language of each agreement's text and of the rest.
    languages: crate::config::Languages,
}

/// The fallback name of the console's user when the system user is unknown.
const DEFAULT_USER: &str = "operator";

/// The console's user at start: the system user (`$USER`, else `$USERNAME`) when it is a
/// plain name, else [`DEFAULT_USER`].
fn system_user() -> String {
    ["USER", "USERNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .map(|u| u.trim().to_string())
        .find(|u| {
            !u.is_empty() && u.len() <= 64 && u.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
        })
        .unwrap_or_else(|| DEFAULT_USER.to_string())
}

const HELP_CONSOLE: &str = "\
console commands:
  /clock now   /clock advance 2h|3h15m|3d   /clock set 2026-11-20T08:00+01:00 (years 1900–2200)
  /as USER [roles:responder,manager]      who you are in the chat
  /agreements                             the loaded agreements
  /help   /quit";

/// The longest `/clock advance` accepted: a year.
const MAX_ADVANCE_DAYS: i64 = 366;

impl Console {
    /// A console session over `service`, running jobs with `jobs`, on the adapter's clock and
    /// output; the user is the system user (`system_user`) and starts with every role
    /// `config` names.
    pub fn new(service: Arc<Service>, jobs: Arc<dyn Jobs>, config: &Config, clock: ConsoleClock, out: Sink) -> Self {
        let tz = service.catalog().agreements.first().map_or(chrono_tz::UTC, |a| a.tz);
        let mut roles: Vec<String> = config
            .agreements
            .values()
            .flat_map(|a| a.responders.iter().chain(&a.managers).cloned())
            .collect();
        roles.sort();
        roles.dedup();
        Console {
            service,
            jobs,
            clock,
            actor: Actor::new(system_user(), roles.clone()),
            out,
            tz,
            known_roles: roles,
            background: None,
            stop: None,
            languages: config.languages(),
        }
    }

    /// The runner that fires jobs in the background on a sped-up clock; it must hold another
    /// lease owner than the foreground's `jobs`.
    pub fn with_background(mut self, jobs: Arc<dyn Jobs>) -> Self {
        self.background = Some(jobs);
        self
    }

    fn stopped(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| *s.borrow())
    }

    fn say(&self, text: &str) {
        emit(&self.out, text);
    }

    /// The prompt, with the console's clock.
    pub fn prompt(&self) -> String {
        format!("[{}] {}> ", render::time(self.service.now(), self.tz), self.actor.id)
    }

    /// Fires everything due now; false when the scheduler failed (the error is printed).
    pub async fn fire_due(&self) -> bool {
        self.fire_due_at(self.service.now()).await
    }

    /// Fires everything due at `now` (a step of a clock move: on a sped-up clock the jobs run
    /// at their own time, not the few sped-up minutes later the clock shows by then, so
    /// they are not mistaken for jobs that fell due while vakt was down).
    async fn fire_due_at(&self, now: DateTime<Utc>) -> bool {
        match self.jobs.tick(now).await {
            Ok(()) => {
                if let Err(e) = self.jobs.purge_if_due(now).await {
                    self.say(&format!("  ✗ retention: {e}"));
                }
                true
            }
            Err(e) => {
                self.say(&format!("  ✗ scheduler: {e}"));
                false
            }
        }
    }

    /// Handles one input line.
    pub async fn execute(&mut self, line: &str) -> Flow {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Flow::Continue;
        }
        match self.dispatch(line).await {
            Ok(flow) => {
                if flow == Flow::Continue {
                    self.fire_due().await;
                }
                flow
            }
            Err(e) => {
                self.say(&format!("  ✗ {e}"));
                Flow::Continue
            }
        }
    }

    fn agreement_tz(&self, id: &str) -> Tz {
        self.service.catalog().get(id).map_or(self.tz, |a| a.tz)
    }

    async fn dispatch(&mut self, line: &str) -> Result<Flow, String> {
        let said = |e: commands::CommandError| crate::render::error::command_error(&e, self.style_for(None).locale);
        let tokens = commands::tokenize(line).map_err(said)?;
        let catalog = self.service.catalog();
        let zone = |a: &crate::domain::ids::AgreementId| catalog.get(a).map(|a| a.tz);
        if let Some(inv) = commands::Invocation::from_console_tokens(&tokens).map_err(said)? {
            let cmd = commands::parse_zoned(&inv, self.tz, &zone).map_err(said)?;
            let reply = execute(&self.service, &self.actor, cmd).await.map_err(|e| match &e {
                ServiceError::User(u) => crate::render::error::user_error(u, &self.style_for(None)),
                ServiceError::Failed(f) => {
                    tracing::error!(error = %f, "command failed");
                    e.to_string()
                }
            })?;
            self.say(&self.render_reply(&reply));
            return Ok(Flow::Continue);
        }
        let words: Vec<String> = tokens.iter().map(|t| t.text()).collect();
        let Some((head, rest)) = words.split_first() else {
            return Ok(Flow::Continue);
        };
        match head.as_str() {
            "/quit" | "/exit" => return Ok(Flow::Quit),
            "/help" => self.say(&format!("{}\n{HELP_CONSOLE}", commands::help_text())),
            "/agreements" => {
                for a in &self.service.catalog().agreements {
                    let imp: Vec<&str> = a.impacts.iter().map(|i| i.id.as_str()).collect();
                    self.say(&format!("  {} — {} (impacts: {})", a.id, a.name, imp.join(", ")));
                }
            }
            "/as" => self.become_user(rest)?,
            "/clock" => self.clock_cmd(rest).await?,
            other => {
                return Err(self.style_for(None).say(
                    crate::render::words::commands::CommandMsg::UnknownName,
                    &[("name", &other)],
                ));
            }
        }
        Ok(Flow::Continue)
    }

    /// `/as USER [roles:a,b]`: become USER with exactly the roles named (none without
    /// `roles:`); a role the configuration does not name is refused and nothing changes.
    fn become_user(&mut self, rest: &[String]) -> Result<(), String> {
        const USAGE: &str = "usage: /as USER [roles:a,b]";
        let Some(who) = rest.first().filter(|w| !w.contains(':') && !w.trim().is_empty()) else {
            return Err(USAGE.into());
        };
        // The name goes into the prompt, which the line editor writes as it is.
        crate::commands::check_typed("user", who, false).map_err(|e| e.to_string())?;
        let mut roles: Vec<String> = Vec::new();
        for opt in &rest[1..] {
            match opt.split_once(':') {
                Some(("roles", r)) => {
                    for role in r.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        if !self.known_roles.iter().any(|k| k == role) {
                            return Err(format!(
                                "unknown role \"{}\" (configured: {})",
                                crate::commands::shown(role),
                                self.known_roles.join(", ")
                            ));
                        }
                        if !roles.iter().any(|x| x == role) {
                            roles.push(role.to_string());
                        }
                    }
                }
                _ => return Err(format!("unexpected \"{}\" — {USAGE}", crate::commands::shown(opt))),
            }
        }
        self.actor = Actor::new(who.as_str(), roles);
        let roles = if self.actor.roles.is_empty() {
            "none".to_string()
        } else {
            self.actor.roles.join(", ")
        };
        self.say(&format!("  ↳ you are now {} (roles: {roles})", self.actor.id));
        Ok(())
    }

    async fn clock_cmd(&mut self, rest: &[String]) -> Result<(), String> {
        let sub = rest.first().map(String::as_str).unwrap_or("now");
        match sub {
            "now" => self.say(&format!("  ↳ {}", render::time(self.service.now(), self.tz))),
            "advance" => {
                let d = rest.get(1).ok_or("usage: /clock advance 2h")?;
                let d = parse_duration(d).map_err(|e| e.to_string())?;
                if d > Duration::days(MAX_ADVANCE_DAYS) {
                    return Err(format!(
                        "/clock advance moves at most {MAX_ADVANCE_DAYS} days at a time"
                    ));
                }
                let target = self.service.now() + d;
                self.move_to(target).await;
            }
            "set" => {
                let t = rest.get(1).ok_or("usage: /clock set 2026-11-20T08:00+01:00")?;
                let t = parse_supported_instant(t, self.tz).map_err(|e| e.to_string())?;
                if t < self.service.now() {
                    return Err("the clock only moves forward (jobs already run cannot be undone)".into());
                }
                if t - self.service.now() > Duration::days(MAX_ADVANCE_DAYS) {
                    return Err(format!(
                        "/clock set moves at most {MAX_ADVANCE_DAYS} days at a time (as /clock advance does)"
                    ));
                }
                self.move_to(t).await;
            }
            other => return Err(format!("unknown clock command \"{other}\" (now, advance, set)")),
        }
        Ok(())
    }

    /// Moves the clock to `target`, firing due jobs at their own times on the way (on the
    /// fake and the sped-up clock alike); stops at the first scheduler failure instead of
    /// spinning on it, and at a signal (Ctrl-C, SIGTERM) after the job it is running.
    async fn move_to(&mut self, target: DateTime<Utc>) {
        let set = |t: DateTime<Utc>| match &self.clock {
            ConsoleClock::Sped(c) => c.set(t),
            ConsoleClock::Fake(c) => c.set(t),
        };
        let head = |t: Option<DateTime<Utc>>| match &self.clock {
            ConsoleClock::Sped(c) => c.destination.set(t),
            ConsoleClock::Fake(c) => c.destination.set(t),
        };
        // Duties whose next occurrence is also on the way are skipped as missed, not replayed.
        head(Some(target));
        loop {
            if self.stopped() {
                head(None);
                self.say(&format!(
                    "  ✗ interrupted: the clock stays at {}",
                    render::time(self.service.now(), self.tz)
                ));
                return;
            }
            match self.service.next_due().await {
                Ok(Some(t)) if t <= target => {
                    let at = t.max(self.service.now());
                    set(at);
                    if !self.fire_due_at(at).await {
                        break;
                    }
                }
                Ok(_) => break,
                Err(e) => {
                    self.say(&format!("  ✗ scheduler: {e}"));
                    break;
                }
            }
        }
        head(None);
        set(target.max(self.service.now()));
        self.say(&format!("  ↳ clock: {}", render::time(self.service.now(), self.tz)));
    }

    /// The style for what concerns agreement `id` (its zone and language; for `None`, the
    /// console's zone and the process language).
    fn style_for(&self, id: Option<&str>) -> crate::render::Style {
        render::style(id.map_or(self.tz, |id| self.agreement_tz(id))).for_locale(self.languages.of_opt(id))
    }

    /// The style of a reply: its agreement's zone, and the language of the agreements it is
    /// about (see [`crate::config::Languages::of_all`]).
    fn reply_style(&self, reply: &Reply) -> crate::render::Style {
        self.style_for(reply.agreement())
            .for_locale(self.languages.of_all(&reply.agreements()))
    }

    fn render_reply(&self, reply: &Reply) -> String {
        let catalog = self.service.catalog();
        let mut s = crate::render::reply::reply(reply, catalog, &self.reply_style(reply));
        if let Reply::Timeline { incident, entries } = reply {
            let a = self.service.catalog().for_incident(&incident.incident);
            let style = self.style_for(Some(incident.incident.agreement()));
            for e in entries {
                s += "\n";
                s += &render::entry(e, &style, a.map(|a| a.as_ref()));
            }
        }
        s
    }
}

/// Options of `vakt console`.
#[derive(Debug, Clone)]
pub struct ConsoleOptions {
    /// Path of `vakt.toml` (may be missing: defaults apply).
    pub config: std::path::PathBuf,
    /// Run on real time sped up by this factor instead of a fake clock.
    pub speed: Option<f64>,
    /// Start the clock here (default: now).
    pub start: Option<String>,
    /// Read commands from stdin without line editing and echo them (for scripts).
    pub script: bool,
}

/// The console's adapter parts, made before the app is wired: its clock, its chat and where
/// it prints.
pub struct Parts {
    /// The clock the console runs on.
    pub clock: ConsoleClock,
    /// The chat it prints posts to.
    pub chat: Arc<ConsoleChat>,
    /// Where it prints.
    pub out: Sink,
}

impl Parts {
    /// The parts for `opts`: the fake (or sped-up) clock from `--start`, printing to stdout.
    pub fn new(opts: &ConsoleOptions, config: &Arc<Config>, catalog: &Catalog) -> anyhow::Result<Self> {
        let tz = catalog.agreements.first().map_or(chrono_tz::UTC, |a| a.tz);
        let start = match &opts.start {
            Some(s) => parse_supported_instant(s, tz).map_err(|e| anyhow::anyhow!("--start: {e}"))?,
            None => Utc::now(),
        };
        let clock = match opts.speed {
            Some(speed) if speed > 0.0 => ConsoleClock::Sped(Arc::new(SpedUpClock::new(start, speed))),
            Some(_) => anyhow::bail!("--speed must be a positive factor, e.g. 60"),
            None => ConsoleClock::Fake(Arc::new(FakeClock::new(start))),
        };
        let out: Sink = Arc::new(Mutex::new(Box::new(std::io::stdout())));
        let chat = Arc::new(ConsoleChat::new(
            out.clone(),
            config.clone(),
            catalog.agreements.iter().map(|a| (a.id.clone(), a.tz)).collect(),
            clock.port(),
        ));
        Ok(Parts { clock, chat, out })
    }
}

/// The console's greeting (unless scripted) and its start-up check, before anything runs:
/// a clock that starts (at `--start`, or now without it) before what is already stored
/// would run jobs "before" they already ran, so it is refused, with a hint.
pub async fn greet(config: &Config, service: &Service, parts: &Parts, opts: &ConsoleOptions) -> anyhow::Result<()> {
    let Parts { clock, out, .. } = parts;
    let catalog = service.catalog();
    if config.discord_token.is_some() {
        emit(
            out,
            "vakt: DISCORD_TOKEN is set, but `vakt console` is the terminal console; `vakt run` connects to Discord.",
        );
    } else if !opts.script {
        emit(
            out,
            "vakt: no DISCORD_TOKEN set, so vakt runs as a chat in this terminal. /help lists the commands.",
        );
    }
    if !opts.script {
        emit(
            out,
            &format!(
                "vakt: database {} — agreements {} ({}) — config {}{} — clock {}",
                config.database_url,
                config.agreements_dir.display(),
                catalog.ids(),
                opts.config.display(),
                if opts.config.exists() {
                    ""
                } else {
                    " (not found: defaults)"
                },
                match clock {
                    ConsoleClock::Fake(_) => "moves only with /clock".to_string(),
                    ConsoleClock::Sped(_) => format!("runs {}× real time", opts.speed.unwrap_or(1.0)),
                }
            ),
        );
    }
    let now = clock.port().now();
    let latest = service.latest_activity().await?;
    if let Some(latest) = latest.filter(|l| *l > now) {
        let tz = catalog.agreements.first().map_or(chrono_tz::UTC, |a| a.tz);
        let start = match &opts.start {
            Some(_) => format!("--start {}", render::time(now, tz)),
            None => format!("the clock's start (now, {}; no --start given)", render::time(now, tz)),
        };
        anyhow::bail!(
            "{start} is before data already stored in {} (latest {}); the clock only moves forward.\n\
             hint: start after it (--start {}), or use a fresh database, e.g. \
             VAKT_DATABASE_URL=sqlite::memory: for a session that keeps nothing",
            config.database_url,
            render::time(latest, tz),
            (latest + Duration::minutes(1))
                .with_timezone(&tz)
                .format("%Y-%m-%dT%H:%M%:z")
        );
    }
    Ok(())
}

/// Runs the console session until `/quit`, end of input or `shutdown`.
pub async fn serve(
    mut console: Console,
    opts: &ConsoleOptions,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    console.stop = Some(shutdown.clone());
    // Jobs that fell due while vakt was down run now, once, marked late.
    console.fire_due().await;
    // The background runner stops when the session ends (quit, end of input) or on a signal.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let background = if let (ConsoleClock::Sped(_), Some(s)) = (&console.clock, console.background.clone()) {
        // Look often enough that a job runs within half a sped-up minute of falling due
        // (never "late"), but at least every 5 ms of real time.
        let speed = opts.speed.unwrap_or(1.0).max(1.0);
        let max_sleep = std::time::Duration::from_secs_f64((30.0 / speed).clamp(0.005, 0.25));
        let mut outer = shutdown.clone();
        let forward = stop_tx.clone();
        tokio::spawn(async move {
            if outer.changed().await.is_ok() {
                let _ = forward.send(true);
            }
        });
        Some(tokio::spawn(async move { s.run(stop_rx, max_sleep).await }))
    } else {
        None
    };
    if opts.script || !std::io::stdin().is_terminal() {
        scripted(&mut console, &mut shutdown).await;
    } else {
        interactive(&mut console, &mut shutdown).await;
    }
    let _ = stop_tx.send(true);
    if let Some(b) = background {
        let _ = b.await;
    }
    Ok(())
}

/// The scripted loop: lines from stdin (no line editing), each echoed after the prompt.
async fn scripted(console: &mut Console, shutdown: &mut tokio::sync::watch::Receiver<bool>) {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(16);
    std::thread::spawn(move || {
        use std::io::BufRead;
        let mut input = std::io::stdin().lock();
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match input.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            let line = String::from_utf8_lossy(&buf).trim_end_matches(['\n', '\r']).to_string();
            if tx.blocking_send(line).is_err() {
                break;
            }
        }
    });
    loop {
        let line = tokio::select! {
            l = rx.recv() => l,
            _ = shutdown.changed() => None,
        };
        let Some(line) = line else { break };
        if !line.trim().is_empty() {
            emit(&console.out, &format!("{}{line}", console.prompt()));
        }
        if console.execute(&line).await == Flow::Quit {
            break;
        }
    }
}

/// Console output while rustyline reads a line: whole lines go through its external printer,
/// which prints them above the line being typed instead of over it.
struct PrinterWriter<P: rustyline::ExternalPrinter + Send> {
    printer: P,
    buf: Vec<u8>,
}

impl<P: rustyline::ExternalPrinter + Send> Write for PrinterWriter<P> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&std::mem::take(&mut self.buf)).into_owned();
        self.printer.print(text).map_err(std::io::Error::other)
    }
}

/// The interactive loop: rustyline on its own thread, posts printed while a line is typed
/// go through its external printer so they do not overwrite the line.
async fn interactive(console: &mut Console, shutdown: &mut tokio::sync::watch::Receiver<bool>) {
    enum Input {
        Line(String),
        Interrupted,
        Eof,
    }
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Input>(1);
    let (prompt_tx, prompt_rx) = std::sync::mpsc::channel::<String>();
    let out = console.out.clone();
    std::thread::spawn(move || {
        let Ok(mut ed) = rustyline::DefaultEditor::new() else {
            let _ = tx.blocking_send(Input::Eof);
            return;
        };
        if let Ok(printer) = ed.create_external_printer()
            && let Ok(mut w) = out.lock()
        {
            *w = Box::new(PrinterWriter {
                printer,
                buf: Vec::new(),
            });
        }
        let history = std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".vakt_history"));
        if let Some(h) = &history {
            let _ = ed.load_history(h);
        }
        while let Ok(prompt) = prompt_rx.recv() {
            let msg = match ed.readline(&prompt) {
                Ok(line) => {
                    let _ = ed.add_history_entry(line.as_str());
                    Input::Line(line)
                }
                Err(rustyline::error::ReadlineError::Interrupted) => Input::Interrupted,
                Err(_) => Input::Eof,
            };
            let eof = matches!(msg, Input::Eof);
            if tx.blocking_send(msg).is_err() || eof {
                break;
            }
        }
        if let Some(h) = &history {
            let _ = ed.save_history(h);
        }
    });
    let mut asked_to_quit = false;
    loop {
        if prompt_tx.send(console.prompt()).is_err() {
            break;
        }
        let input = tokio::select! {
            i = rx.recv() => i.unwrap_or(Input::Eof),
            _ = shutdown.changed() => Input::Eof,
        };
        match input {
            Input::Line(line) => {
                asked_to_quit = false;
                if console.execute(&line).await == Flow::Quit {
                    break;
                }
            }
            // Ctrl-C clears a non-empty line (rustyline does that); on an empty line it asks
            // once, and a second Ctrl-C quits.
            Input::Interrupted if asked_to_quit => break,
            Input::Interrupted => {
                asked_to_quit = true;
                console.say("  (press Ctrl-C again or type /quit to leave)");
            }
            Input::Eof => break,
        }
    }
}
