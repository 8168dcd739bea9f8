//! The `vakt` command line: agreement checks and summaries, calendars, business clocks,
//! classification, a streaming batch mode and reports. Handlers are thin: they parse
//! arguments into domain types, call the domain (or, for stored data, a service the
//! composition root wires through [`Connect`]), and render text or JSON. One file per
//! command group: `agreements`, `clock` (with `calendar`), `classify`, `batch`,
//! `report`; this file holds the arguments, the errors and the dispatch.
//!
//! Exit codes: 0 success, 1 bad data (an agreement file is invalid, or a computation on valid
//! input failed), 2 bad usage (unknown agreement, schedule or impact; a fact the agreement
//! does not read; unparsable time or duration; a time, or a result, outside the supported
//! years 1900–2200; `--from` after `--to`; an explicit `--config` that does not exist; clap's
//! own errors). A reader that stops reading (`vakt … | head`) ends the command quietly with
//! 0. Global options (`--json`, `--dir`, `--config`) may follow the sub-command. With
//! `--json`, a failure is also a JSON object on stdout:
//! `{"ok": false, "error": "…"}`, with an `errors` array of `{file, line, column, message}`
//! when agreement files are invalid.

use crate::agreements::{Catalog, LoadErrors, load_dir};
use crate::domain::agreement::Agreement;
use crate::domain::classify::Facts;
use crate::domain::clock::ClockError;
use crate::domain::schedule::Schedule;
use crate::domain::time::{MAX_YEAR, MIN_YEAR, parse_supported_instant};
use crate::service::Service;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Tz;
use clap::{Parser, Subcommand};
use serde_json::{Value, json};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(
    name = "vakt",
    version,
    about = "Chat-ops escalation bot for Nordic public-sector service agreements"
)]
pub struct Cli {
    /// Directory of agreement files.
    #[arg(long, global = true, env = "VAKT_AGREEMENTS", default_value = "agreements")]
    pub dir: PathBuf,
    /// Print JSON instead of text (for reports the same as `--format json`; the bot itself
    /// — console, run, serve, discord — has no JSON output and refuses it).
    #[arg(long, global = true)]
    pub json: bool,
    /// Read JSON-lines queries on stdin and answer one JSON line each (see `vakt batch`).
    #[arg(long)]
    pub batch: bool,
    /// The deployment configuration file (the bot's, and the reports' database), before or
    /// after the sub-command. Given explicitly, it must exist; without it, VAKT_CONFIG or
    /// ./vakt.toml, which may be missing (then the defaults apply).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// How the bot's log lines on stderr are written: `text` (one line each, coloured only
    /// when stderr is a terminal) or `json` (one JSON object a line, for a log collector).
    #[arg(long, global = true, env = "VAKT_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Serve `/healthz`, `/readyz` and `/metrics` on this address (like 127.0.0.1:9464) while
    /// the bot runs (run, serve, console); overrides `[ops] listen`.
    #[arg(long, global = true, value_name = "ADDR", env = "VAKT_METRICS_ADDR")]
    pub metrics_addr: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How log lines are written (`--log-format`, `VAKT_LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines; ANSI colour only when stderr is a terminal.
    #[default]
    Text,
    /// One JSON object per line: time, level, target, message and every field.
    Json,
}

/// Sub-commands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Validate and summarise agreement files.
    #[command(subcommand)]
    Agreements(AgreementsCmd),
    /// Each day's open hours of a schedule, or why it is closed.
    Calendar {
        /// Agreement id.
        id: String,
        /// Schedule name.
        #[arg(long)]
        schedule: String,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        to: String,
    },
    /// Business-clock arithmetic.
    #[command(subcommand)]
    Clock(ClockCmd),
    /// Classify an incident and compute its deadlines.
    Classify {
        /// Agreement id.
        id: String,
        /// Report time: RFC 3339, local `YYYY-MM-DDTHH:MM` in the agreement's zone, or a date
        /// `YYYY-MM-DD` (local midnight); years 1900–2200.
        #[arg(long)]
        at: String,
        /// Impact id from the agreement's scale.
        #[arg(long)]
        impact: String,
        /// Share of usual users affected, percent.
        #[arg(long)]
        users_affected: Option<f64>,
        /// A security incident.
        #[arg(long)]
        security: bool,
        /// A workaround is available.
        #[arg(long)]
        workaround: bool,
    },
    /// Answer JSON-lines queries from stdin, one result line each, streaming.
    Batch,
    /// Reports from the stored incidents: the weekly summary, the monthly SLA report, the
    /// annual report.
    #[command(subcommand)]
    Report(report::ReportCmd),
    /// Maintenance windows: announce one (checked against the agreement's rules), list them.
    #[command(subcommand)]
    Maintenance(maintenance::MaintenanceCmd),
    /// Webhook deliveries: list the ones given up on (dead).
    #[command(subcommand)]
    Webhooks(webhooks::WebhooksCmd),
    /// The bot as a chat in this terminal (the default when no command is given).
    Console {
        /// Run on real time sped up by this factor (e.g. 60: a minute per second) instead of a
        /// clock that moves only with /clock.
        #[arg(long)]
        speed: Option<f64>,
        /// Start the clock here (RFC 3339 or local time); default now.
        #[arg(long)]
        start: Option<String>,
        /// Read commands from stdin without line editing, echoing each (for scripts).
        #[arg(long)]
        script: bool,
    },
    /// Run the bot: on Discord's gateway when DISCORD_TOKEN is set (the scheduler on every
    /// replica, the gateway on one), else the terminal console.
    Run,
    /// Answer Discord's HTTP interactions endpoint on `discord.listen` (and run the
    /// scheduler); needs DISCORD_TOKEN, discord.application_id and discord.public_key.
    Serve,
    /// Discord: register the application commands, check the guild.
    #[command(subcommand)]
    Discord(DiscordCmd),
}

/// `vakt discord …`
#[derive(Debug, Clone, Subcommand)]
pub enum DiscordCmd {
    /// Replace the application commands: in discord.guild_id (instant), or with `--global`
    /// everywhere the bot is (Discord may take a while to show them).
    Register {
        /// Register globally instead of in the configured guild.
        #[arg(long)]
        global: bool,
    },
    /// Read the guild through the API and say what is wrong: missing channels, missing
    /// permissions, roles that cannot be mentioned.
    Check,
}

/// A failed command: the message and whether it was bad usage (exit 2) or bad data (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad usage: exit code 2.
    #[error("{0}")]
    Usage(String),
    /// Bad data: exit code 1.
    #[error("{0}")]
    Data(String),
    /// Invalid agreement files (bad data, exit code 1), each problem with its position.
    #[error("{0}")]
    Load(LoadErrors),
    /// Whoever read the output stopped reading (`vakt … | head`): nothing is wrong, nothing
    /// is printed, exit code 0.
    #[error("output closed by the reader")]
    OutputClosed,
}

impl CliError {
    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Data(_) | CliError::Load(_) => 1,
            CliError::OutputClosed => 0,
        }
    }

    /// The failure as the JSON object `--json` prints: `{"ok": false, "error": "…"}`, plus
    /// `errors` (`file`, `line`, `column`, `message`; line and column null when the problem
    /// concerns a whole file or directory) for invalid agreement files.
    pub fn to_json(&self) -> Value {
        let mut v = json!({"ok": false, "error": self.to_string()});
        if let CliError::Load(LoadErrors(errs)) = self {
            v["errors"] = errs
                .iter()
                .map(|e| {
                    let pos = |n: usize| if e.line == 0 { Value::Null } else { json!(n) };
                    json!({
                        "file": e.file.display().to_string(),
                        "line": pos(e.line),
                        "column": pos(e.column),
                        "message": e.message,
                    })
                })
                .collect();
        }
        v
    }
}

type R<T> = Result<T, CliError>;

mod agreements;
mod batch;
mod classify;
mod clock;
pub mod maintenance;
mod report;
mod webhooks;
pub use agreements::AgreementsCmd;
pub use batch::batch;
pub use classify::{ClassifyOut, ReasonOut, TargetOut, TargetsOut, TimingOut};
pub use clock::{AddOut, BetweenOut, CalendarDay, ClockCmd, calendar_days};
pub use report::{Format as ReportFormat, ReportCmd};
pub use webhooks::WebhooksCmd;

/// What the command line asks of the composition root: a service over the database at
/// `url`, with these agreements, the system clock and no chat (reports are computed and
/// stored by the service, as the scheduled ones are).
#[async_trait::async_trait]
pub trait Connect: Sync {
    /// Connects the existing database at `url` (running its migrations) and wires a service
    /// over it; a SQLite file that does not exist is refused, naming it, never created.
    async fn service(
        &self,
        url: &str,
        catalog: Arc<Catalog>,
    ) -> Result<Arc<Service>, Box<dyn std::error::Error + Send + Sync>>;

    /// As [`Connect::service`], on a clock standing at `now` (the maintenance commands'
    /// `--now`), every agreement operated by the command line's actor
    /// ([`maintenance::CLI_ROLE`]), who has both the responder and the manager role.
    async fn service_at(
        &self,
        url: &str,
        catalog: Arc<Catalog>,
        now: DateTime<Utc>,
    ) -> Result<Arc<Service>, Box<dyn std::error::Error + Send + Sync>>;
}

/// A failed write of the output: a reader that went away (a broken pipe) is
/// [`CliError::OutputClosed`], anything else bad data naming the cause.
fn output(e: std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        CliError::OutputClosed
    } else {
        data(format!("cannot write output: {e}"))
    }
}

fn usage(m: impl Into<String>) -> CliError {
    CliError::Usage(m.into())
}
fn data(m: impl std::fmt::Display) -> CliError {
    CliError::Data(m.to_string())
}

/// Runs a parsed command line, writing results to `out`. With `--json`, a failure is also
/// written to `out` as a JSON object ([`CliError::to_json`]) before it is returned.
pub fn run(cli: Cli, connect: &dyn Connect, input: &mut dyn BufRead, out: &mut dyn Write) -> R<()> {
    let json = cli.json && !cli.batch;
    let r = run_command(cli, connect, input, out);
    if json
        && let Err(e) = &r
        && !matches!(e, CliError::OutputClosed)
    {
        // The failure itself is what is reported; a failure to print it changes nothing.
        let _ = writeln!(out, "{}", e.to_json());
    }
    r
}

fn run_command(cli: Cli, connect: &dyn Connect, input: &mut dyn BufRead, out: &mut dyn Write) -> R<()> {
    if cli.batch && cli.command.is_some() {
        return Err(usage("--batch takes no sub-command"));
    }
    let console = !cli.batch
        && matches!(
            cli.command,
            None | Some(Command::Console { .. } | Command::Run | Command::Serve | Command::Discord(_))
        );
    let reporting = matches!(
        cli.command,
        Some(Command::Report(_) | Command::Maintenance(_) | Command::Webhooks(_))
    );
    if cli.config.is_some() && !console && !reporting {
        return Err(usage(
            "--config is the console's (and the reports'): vakt --config PATH, or vakt console --config PATH",
        ));
    }
    let command = match (cli.batch, cli.command) {
        (true, _) => Command::Batch,
        (false, Some(c)) => c,
        (false, None) => return Err(usage("no command given; see `vakt --help`")),
    };
    let json = cli.json;
    let io = output;
    match command {
        Command::Agreements(cmd) => agreements::run(&cli.dir, &cmd, json, connect, out),
        Command::Calendar { id, schedule, from, to } => {
            clock::calendar(&load(&cli.dir)?, &id, &schedule, &from, &to, json, out)
        }
        Command::Clock(cmd) => clock::run(&load(&cli.dir)?, cmd, json, out),
        Command::Classify {
            id,
            at,
            impact,
            users_affected,
            security,
            workaround,
        } => {
            let cat = load(&cli.dir)?;
            let facts = Facts {
                impact,
                users_affected,
                security,
                workaround,
            };
            let v = classify::op_classify(&cat, &id, &at, facts)?;
            print_value(out, &v, json, classify::classify_text).map_err(io)
        }
        Command::Batch => batch::batch(&load(&cli.dir)?, input, out),
        Command::Report(cmd) => report::run(
            Arc::new(load(&cli.dir)?),
            cli.config.as_deref(),
            &cmd,
            json,
            connect,
            out,
        ),
        Command::Maintenance(cmd) => maintenance::run(
            Arc::new(load(&cli.dir)?),
            cli.config.as_deref(),
            &cmd,
            json,
            connect,
            out,
        ),
        Command::Webhooks(cmd) => webhooks::run(
            Arc::new(load(&cli.dir)?),
            cli.config.as_deref(),
            &cmd,
            json,
            connect,
            out,
        ),
        Command::Console { .. } => Err(usage("the console runs from the binary's main")),
        Command::Run | Command::Serve | Command::Discord(_) => Err(usage("the bot runs from the binary's main")),
    }
}
fn print_value<T: serde::Serialize>(
    out: &mut dyn Write,
    v: &T,
    json: bool,
    text: impl Fn(&T) -> String,
) -> std::io::Result<()> {
    if json {
        serde_json::to_writer(&mut *out, v).map_err(std::io::Error::other)?;
        writeln!(out)
    } else {
        writeln!(out, "{}", text(v))
    }
}

fn load(dir: &Path) -> R<Catalog> {
    load_dir(dir).map_err(CliError::Load)
}

/// A clock computation that ran outside the supported years (or never reaches an opening
/// inside them): the time asked about is the cause, so it is bad usage.
fn clock_err(e: ClockError) -> CliError {
    match e {
        ClockError::OutOfRange => usage(format!(
            "the result falls outside the supported years {MIN_YEAR}–{MAX_YEAR}"
        )),
        ClockError::NeverOpens => usage(e.to_string()),
    }
}

fn agreement<'a>(cat: &'a Catalog, id: &str) -> R<&'a Arc<Agreement>> {
    cat.get(id)
        .ok_or_else(|| usage(format!("unknown agreement \"{id}\" (known: {})", cat.ids())))
}

fn sched<'a>(a: &'a Agreement, name: &str) -> R<&'a Schedule> {
    a.schedule(name).map(|s| s.as_ref()).ok_or_else(|| {
        let known: Vec<&str> = a.schedules.iter().map(|s| s.name.as_str()).collect();
        usage(format!(
            "unknown schedule \"{name}\" in {} (known: {})",
            a.id,
            known.join(", ")
        ))
    })
}

fn date(s: &str) -> R<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| usage(format!("invalid date \"{s}\" (expected YYYY-MM-DD)")))
}

/// An instant given on the command line, in the one grammar of
/// [`parse_supported_instant`] (RFC 3339, local time, or a bare date for local midnight); its
/// local date must be in the supported years (inclusive).
fn instant(s: &str, tz: Tz) -> R<DateTime<Utc>> {
    parse_supported_instant(s, tz).map_err(|e| usage(e.to_string()))
}

/// RFC 3339 with the local offset of `tz`.
pub fn rfc3339(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// The language the one-shot commands write an agreement's text in: `VAKT_LANGUAGE` when it
/// names one, else the agreement file's own `language` (a per-agreement override in
/// `vakt.toml` applies to the running bot, not to these commands).
pub(crate) fn locale_of(a: &crate::domain::agreement::Agreement) -> crate::render::Locale {
    std::env::var("VAKT_LANGUAGE")
        .ok()
        .and_then(|l| crate::render::Locale::from_code(&l))
        .unwrap_or(a.language)
}
