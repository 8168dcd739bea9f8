//! The `vakt` command line: agreement checks and summaries, calendars, business clocks,
//! classification, and a streaming batch mode. Handlers are thin: they parse arguments into
//! domain types, call the domain, and render text or JSON.
//!
//! Exit codes: 0 success, 1 bad data (an agreement file is invalid, or a computation on valid
//! input failed), 2 bad usage (unknown agreement, schedule or impact; a fact the agreement
//! does not read; unparsable time or duration; a time, or a result, outside the supported
//! years 1900–2200; `--from` after `--to`; an explicit `--config` that does not exist; clap's
//! own errors). With `--json`, a failure is also a JSON object on stdout:
//! `{"ok": false, "error": "…"}`, with an `errors` array of `{file, line, column, message}`
//! when agreement files are invalid.

use crate::agreements::{Catalog, LoadErrors, load_dir};
use crate::domain::agreement::{Agreement, Target};
use crate::domain::classify::{Basis, Facts, classify, deadlines};
use crate::domain::clock::{BusinessDuration, ClockError};
use crate::domain::schedule::{DayPlan, HoursFrom, Schedule};
use crate::domain::time::{MAX_YEAR, MIN_YEAR, Minute, parse_instant, resolve_local, year_supported};
use crate::render;
use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
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
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Read JSON-lines queries on stdin and answer one JSON line each (see `vakt batch`).
    #[arg(long)]
    pub batch: bool,
    /// The console's deployment configuration file (as `vakt console --config`). Given
    /// explicitly, it must exist; without it, VAKT_CONFIG or ./vakt.toml, which may be missing
    /// (then the defaults apply).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
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
    /// The bot as a chat in this terminal (the default when no command is given).
    Console {
        /// Deployment configuration file. Given explicitly, it must exist; without it,
        /// VAKT_CONFIG or ./vakt.toml, which may be missing (then the defaults apply).
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
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
    Run {
        /// Deployment configuration file (as for `console`).
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
    },
    /// Answer Discord's HTTP interactions endpoint on `discord.listen` (and run the
    /// scheduler); needs DISCORD_TOKEN, discord.application_id and discord.public_key.
    Serve {
        /// Deployment configuration file (as for `console`).
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
    },
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
        /// Deployment configuration file (as for `console`).
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
    },
    /// Read the guild through the API and say what is wrong: missing channels, missing
    /// permissions, roles that cannot be mentioned.
    Check {
        /// Deployment configuration file (as for `console`).
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
    },
}

/// `vakt agreements …`
#[derive(Debug, Clone, Subcommand)]
pub enum AgreementsCmd {
    /// Validate every file; print each agreement's id and name.
    Check {
        /// Directory (default: --dir).
        dir: Option<PathBuf>,
        /// Also check the open incidents stored in this database (`sqlite://vakt.db`,
        /// `postgres://…`) against these files: warns about incidents whose agreement or
        /// priority would be gone, or whose plan would change, before the files are deployed.
        #[arg(long, value_name = "DATABASE_URL")]
        against: Option<String>,
    },
    /// A readable summary of one agreement.
    Show {
        /// Agreement id.
        id: String,
    },
}

/// `vakt clock …`
#[derive(Debug, Clone, Subcommand)]
pub enum ClockCmd {
    /// Start a clock and run it for a duration (90m, 8h, 3wd, 6d).
    Add {
        /// Agreement id.
        id: String,
        /// Schedule name.
        #[arg(long)]
        schedule: String,
        /// Start: RFC 3339, local `YYYY-MM-DDTHH:MM`, or a date `YYYY-MM-DD` (local midnight).
        #[arg(long)]
        at: String,
        /// Duration.
        #[arg(long)]
        duration: String,
    },
    /// Open seconds between two instants.
    Between {
        /// Agreement id.
        id: String,
        /// Schedule name.
        #[arg(long)]
        schedule: String,
        /// From.
        #[arg(long)]
        from: String,
        /// To.
        #[arg(long)]
        to: String,
    },
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
}

impl CliError {
    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Data(_) | CliError::Load(_) => 1,
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

mod report;
pub use report::{Format as ReportFormat, ReportCmd};

/// What deploying `cat` would do to the open incidents stored at `url`.
fn check_against(cat: &Catalog, url: &str) -> R<Vec<String>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| data(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let store = crate::storage::connect(url)
            .await
            .map_err(|e| data(format!("--against: {e}")))?;
        let filter = crate::service::ports::IncidentFilter {
            states: vec![
                crate::domain::incident::State::Open,
                crate::domain::incident::State::Acknowledged,
            ],
            ..Default::default()
        };
        let incidents = store
            .incidents(&filter)
            .await
            .map_err(|e| data(format!("--against: {e}")))?;
        let mut out = Vec::new();
        for inc in incidents {
            match cat.get(inc.agreement()) {
                None => out.push(format!(
                    "{}: its agreement \"{}\" is not among these files: it would stay readable and closable, but its jobs would be cancelled",
                    inc.id(),
                    inc.agreement()
                )),
                Some(a) if a.priority(inc.priority()).is_none() => out.push(format!(
                    "{}: its priority \"{}\" is not in agreement {} any more: it would stay readable and closable, but its jobs would be cancelled",
                    inc.id(),
                    inc.priority(),
                    a.id
                )),
                Some(a) if inc.agreement_changed(a) => out.push(format!(
                    "{}: the targets, ladder or cadence of priority {} in {} change: it will be replanned from its original clock start at the next start",
                    inc.id(),
                    inc.priority(),
                    a.id
                )),
                Some(_) => {}
            }
        }
        Ok(out)
    })
}

fn usage(m: impl Into<String>) -> CliError {
    CliError::Usage(m.into())
}
fn data(m: impl std::fmt::Display) -> CliError {
    CliError::Data(m.to_string())
}

/// Runs a parsed command line, writing results to `out`. With `--json`, a failure is also
/// written to `out` as a JSON object ([`CliError::to_json`]) before it is returned.
pub fn run(cli: Cli, input: &mut dyn BufRead, out: &mut dyn Write) -> R<()> {
    let json = cli.json && !cli.batch;
    let r = run_command(cli, input, out);
    if json && let Err(e) = &r {
        // The failure itself is what is reported; a failure to print it changes nothing.
        let _ = writeln!(out, "{}", e.to_json());
    }
    r
}

fn run_command(cli: Cli, input: &mut dyn BufRead, out: &mut dyn Write) -> R<()> {
    let io = |e: std::io::Error| data(format!("cannot write output: {e}"));
    if cli.batch && cli.command.is_some() {
        return Err(usage("--batch takes no sub-command"));
    }
    let console = !cli.batch
        && matches!(
            cli.command,
            None | Some(Command::Console { .. } | Command::Run { .. } | Command::Serve { .. } | Command::Discord(_))
        );
    let reporting = matches!(cli.command, Some(Command::Report(_)));
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
    if let Command::Agreements(AgreementsCmd::Check { dir, against }) = &command {
        let dir = dir.as_deref().unwrap_or(&cli.dir);
        let cat = load(dir)?;
        let mut warnings: Vec<String> = cat
            .agreements
            .iter()
            .flat_map(|a| crate::agreements::warnings(a))
            .collect();
        if let Some(url) = against {
            warnings.extend(check_against(&cat, url)?);
        }
        for w in &warnings {
            eprintln!("warning: {w}");
        }
        if cli.json {
            let v: Vec<Value> = cat
                .agreements
                .iter()
                .map(|a| json!({"id": a.id, "name": a.name}))
                .collect();
            writeln!(out, "{}", json!({"ok": true, "agreements": v, "warnings": warnings})).map_err(io)?;
        } else {
            for a in &cat.agreements {
                writeln!(out, "{}\t{}", a.id, a.name).map_err(io)?;
            }
        }
        return Ok(());
    }
    let cat = load(&cli.dir)?;
    match command {
        Command::Agreements(AgreementsCmd::Show { id }) => {
            let a = agreement(&cat, &id)?;
            if cli.json {
                writeln!(out, "{}", show_json(a)).map_err(io)?;
            } else {
                write!(out, "{}", render::agreement::show(a)).map_err(io)?;
            }
        }
        Command::Agreements(AgreementsCmd::Check { .. }) => {}
        Command::Calendar { id, schedule, from, to } => {
            let a = agreement(&cat, &id)?;
            let s = sched(a, &schedule)?;
            let (from, to) = (date(&from)?, date(&to)?);
            for d in [from, to] {
                if !year_supported(d.year()) {
                    return Err(usage(format!(
                        "date {d} is outside the supported years {MIN_YEAR}–{MAX_YEAR}"
                    )));
                }
            }
            if to < from {
                return Err(usage("--to is before --from"));
            }
            if (to - from).num_days() > 3660 {
                return Err(usage("at most ten years at a time"));
            }
            let days = calendar_days(s, from, to)?;
            if cli.json {
                writeln!(out, "{}", json!({"days": days})).map_err(io)?;
            } else {
                for d in days {
                    writeln!(out, "{}", calendar_line(&d)).map_err(io)?;
                }
            }
        }
        Command::Clock(ClockCmd::Add {
            id,
            schedule,
            at,
            duration,
        }) => {
            let v = op_add(&cat, &id, &schedule, &at, &duration)?;
            print_value(out, &v, cli.json, |v| {
                format!("clock start {}\ndeadline    {}", v.clock_start, v.deadline)
            })
            .map_err(io)?;
        }
        Command::Clock(ClockCmd::Between { id, schedule, from, to }) => {
            let v = op_between(&cat, &id, &schedule, &from, &to)?;
            print_value(out, &v, cli.json, |v| {
                format!("{} seconds ({})", v.seconds, human_seconds(v.seconds))
            })
            .map_err(io)?;
        }
        Command::Classify {
            id,
            at,
            impact,
            users_affected,
            security,
            workaround,
        } => {
            let facts = Facts {
                impact,
                users_affected,
                security,
                workaround,
            };
            let v = op_classify(&cat, &id, &at, facts)?;
            print_value(out, &v, cli.json, classify_text).map_err(io)?;
        }
        Command::Batch => batch(&cat, input, out)?,
        Command::Report(cmd) => report::run(&cat, cli.config.as_deref(), &cmd, out)?,
        Command::Console { .. } => return Err(usage("the console runs from the binary's main")),
        Command::Run { .. } | Command::Serve { .. } | Command::Discord(_) => {
            return Err(usage("the bot runs from the binary's main"));
        }
    }
    Ok(())
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

/// An instant given on the command line: [`parse_instant`], or a bare date `YYYY-MM-DD`
/// meaning local midnight; its local date must be in the supported years (inclusive).
fn instant(s: &str, tz: Tz) -> R<DateTime<Utc>> {
    let t = parse_instant(s, tz).or_else(|e| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(|d| resolve_local(tz, d.and_time(chrono::NaiveTime::MIN)))
            .map_err(|_| e)
    });
    let t = t.map_err(|e| usage(e.to_string()))?;
    if !year_supported(t.with_timezone(&tz).year()) {
        return Err(usage(format!(
            "time \"{}\" is outside the supported years {MIN_YEAR}–{MAX_YEAR}",
            s.trim()
        )));
    }
    Ok(t)
}

/// RFC 3339 with the local offset of `tz`.
pub fn rfc3339(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn human_seconds(s: i64) -> String {
    let a = s.abs();
    format!(
        "{}{}h {:02}m {:02}s",
        if s < 0 { "-" } else { "" },
        a / 3600,
        (a % 3600) / 60,
        a % 60
    )
}

/// The answer of `clock add`.
#[derive(Debug, serde::Serialize)]
pub struct AddOut {
    /// When the clock started, RFC 3339 with the local offset.
    pub clock_start: String,
    /// When the duration is used up.
    pub deadline: String,
}

/// The answer of `clock between`.
#[derive(Debug, serde::Serialize)]
pub struct BetweenOut {
    /// Open seconds from `from` to `to` (`to` before `from` is refused as bad usage).
    pub seconds: i64,
}

/// One reason of a classification.
#[derive(Debug, serde::Serialize)]
pub struct ReasonOut {
    /// What was decided and why, in words ([`render::reason()`]).
    pub text: String,
    /// The clause.
    pub source: String,
    /// The reading used, if any.
    pub reading: Option<String>,
    /// What was decided and why, as data.
    pub basis: Basis,
}

/// A timing class in an answer.
#[derive(Debug, serde::Serialize)]
pub struct TimingOut {
    /// Id.
    pub id: String,
    /// Name.
    pub name: Option<String>,
}

/// A target in an answer: a duration on a schedule, or none with the reason.
#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
pub enum TargetOut {
    /// Within a duration.
    Within {
        /// Duration (`8h`, `3wd`).
        within: String,
        /// Schedule.
        schedule: String,
        /// Clause.
        source: String,
        /// Reading, if any.
        reading: Option<String>,
    },
    /// No target.
    None {
        /// Why.
        none: String,
        /// Clause.
        source: String,
    },
}

/// Both targets of a priority.
#[derive(Debug, serde::Serialize)]
pub struct TargetsOut {
    /// Response.
    pub response: TargetOut,
    /// Resolution.
    pub resolution: TargetOut,
}

/// The answer of `classify`.
#[derive(Debug, serde::Serialize)]
pub struct ClassifyOut {
    /// Agreement id.
    pub agreement: String,
    /// Priority id.
    pub priority: String,
    /// Priority name.
    pub priority_name: Option<String>,
    /// Timing class, when the agreement has them.
    pub timing: Option<TimingOut>,
    /// Why, in order.
    pub reasons: Vec<ReasonOut>,
    /// Report time.
    pub reported_at: String,
    /// Clock start.
    pub clock_start: String,
    /// Response deadline, or null.
    pub response_deadline: Option<String>,
    /// Resolution deadline, or null.
    pub resolution_deadline: Option<String>,
    /// The targets behind the deadlines.
    pub targets: Option<TargetsOut>,
}

fn op_add(cat: &Catalog, id: &str, schedule: &str, at: &str, duration: &str) -> R<AddOut> {
    let a = agreement(cat, id)?;
    let s = sched(a, schedule)?;
    let at = instant(at, a.tz)?;
    let d = BusinessDuration::parse(duration).map_err(|e| usage(format!("invalid duration \"{duration}\": {e}")))?;
    let span = s.add(at, d).map_err(clock_err)?;
    Ok(AddOut {
        clock_start: rfc3339(span.clock_start, a.tz),
        deadline: rfc3339(span.deadline, a.tz),
    })
}

fn op_between(cat: &Catalog, id: &str, schedule: &str, from: &str, to: &str) -> R<BetweenOut> {
    let a = agreement(cat, id)?;
    let s = sched(a, schedule)?;
    let (from_t, to_t) = (instant(from, a.tz)?, instant(to, a.tz)?);
    if to_t < from_t {
        return Err(usage(format!(
            "from {} is after to {}",
            rfc3339(from_t, a.tz),
            rfc3339(to_t, a.tz)
        )));
    }
    let seconds = s.between(from_t, to_t).map_err(clock_err)?;
    Ok(BetweenOut { seconds })
}

fn target_out(t: &Target) -> TargetOut {
    match t {
        Target::Within {
            duration,
            schedule,
            prov,
        } => TargetOut::Within {
            within: duration.to_string(),
            schedule: schedule.clone(),
            source: prov.source.clone(),
            reading: prov.reading.clone(),
        },
        Target::None { why, prov } => TargetOut::None {
            none: why.clone(),
            source: prov.source.clone(),
        },
    }
}

fn target_json(t: &Target) -> Value {
    serde_json::to_value(target_out(t)).unwrap_or_default()
}

fn op_classify(cat: &Catalog, id: &str, at: &str, facts: Facts) -> R<ClassifyOut> {
    use crate::domain::classify::ClassifyError;
    let a = agreement(cat, id)?;
    let at = instant(at, a.tz)?;
    let err = |e: ClassifyError| match e {
        ClassifyError::UnknownImpact { .. } | ClassifyError::BadShare(_) | ClassifyError::FactNotUsed { .. } => {
            usage(e.to_string())
        }
        ClassifyError::Clock(c) => clock_err(c),
        other => data(other),
    };
    let c = classify(a, &facts, at).map_err(err)?;
    let d = deadlines(a, &c.priority, at).map_err(err)?;
    let timing = c.timing.as_ref().map(|tid| TimingOut {
        id: tid.clone(),
        name: a
            .timing
            .as_ref()
            .and_then(|t| t.classes.iter().find(|c| &c.id == tid))
            .map(|c| c.name.clone()),
    });
    Ok(ClassifyOut {
        agreement: a.id.clone(),
        priority_name: a.priority(&c.priority).map(|p| p.name.clone()),
        targets: a.targets_for(&c.priority).map(|t| TargetsOut {
            response: target_out(&t.response),
            resolution: target_out(&t.resolution),
        }),
        priority: c.priority,
        timing,
        reasons: c
            .reasons
            .into_iter()
            .map(|r| ReasonOut {
                text: render::reason(&r, Some(a)),
                source: r.source,
                reading: r.reading,
                basis: r.basis,
            })
            .collect(),
        reported_at: rfc3339(at, a.tz),
        clock_start: rfc3339(d.clock_start, a.tz),
        response_deadline: d.response.as_ref().map(|x| rfc3339(x.at, a.tz)),
        resolution_deadline: d.resolution.as_ref().map(|x| rfc3339(x.at, a.tz)),
    })
}

fn classify_text(v: &ClassifyOut) -> String {
    let mut out = format!("priority {} {}\n", v.priority, v.priority_name.as_deref().unwrap_or(""));
    if let Some(t) = &v.timing {
        out += &format!("timing   {} {}\n", t.id, t.name.as_deref().unwrap_or(""));
    }
    out += &format!("clock start          {}\n", v.clock_start);
    for (label, at, target) in [
        (
            "response deadline   ",
            &v.response_deadline,
            v.targets.as_ref().map(|t| &t.response),
        ),
        (
            "resolution deadline ",
            &v.resolution_deadline,
            v.targets.as_ref().map(|t| &t.resolution),
        ),
    ] {
        match (at, target) {
            (
                Some(at),
                Some(TargetOut::Within {
                    within,
                    schedule,
                    source,
                    ..
                }),
            ) => {
                out += &format!("{label} {at}  ({within} on {schedule}, clause {source})\n");
            }
            (_, Some(TargetOut::None { none, .. })) => out += &format!("{label} none — {none}\n"),
            (at, _) => out += &format!("{label} {}\n", at.as_deref().unwrap_or("none")),
        }
    }
    out += "why:\n";
    for r in &v.reasons {
        out += &format!("  - {} (clause {})", r.text, r.source);
        if let Some(reading) = &r.reading {
            out += &format!(" [reading: {reading}]");
        }
        out += "\n";
    }
    out.trim_end().to_string()
}

/// One day of `vakt calendar`.
#[derive(Debug, serde::Serialize)]
pub struct CalendarDay {
    /// Local date.
    pub date: String,
    /// Open intervals, local `HH:MM` (an interval ending at midnight ends at `24:00`).
    pub open: Vec<[String; 2]>,
    /// Why the day is closed, or null.
    pub closed: Option<String>,
    /// Where the hours come from (weekly, a season or special day), for text output.
    #[serde(skip)]
    pub hours_from: Option<String>,
}

/// The open hours of each day, from the compiled clock (so they agree with `is_open`).
pub fn calendar_days(s: &Schedule, from: NaiveDate, to: NaiveDate) -> R<Vec<CalendarDay>> {
    let mut out = Vec::new();
    for (d, plan) in s.days(from, to) {
        let ivs = s.open_intervals(d).map_err(data)?;
        let open: Vec<[String; 2]> = ivs
            .iter()
            .map(|(a, b)| {
                let end = b.with_timezone(&s.tz);
                let end_s = if end.date_naive() > d {
                    "24:00".to_string()
                } else {
                    Minute::of(end.time()).to_string()
                };
                [Minute::of(a.with_timezone(&s.tz).time()).to_string(), end_s]
            })
            .collect();
        let (closed, hours_from) = match plan {
            DayPlan::Closed(r) => (Some(r.describe()), None),
            DayPlan::Open(..) if open.is_empty() => (Some("no open time (daylight-saving change)".to_string()), None),
            DayPlan::Open(_, from) => (
                None,
                match from {
                    HoursFrom::Always | HoursFrom::Weekly => None,
                    HoursFrom::Season(n) | HoursFrom::Special(n) => Some(n.to_string()),
                },
            ),
        };
        out.push(CalendarDay {
            date: d.to_string(),
            open,
            closed,
            hours_from,
        });
    }
    Ok(out)
}

fn calendar_line(d: &CalendarDay) -> String {
    let wd = NaiveDate::parse_from_str(&d.date, "%Y-%m-%d")
        .map(|x| x.format("%a").to_string())
        .unwrap_or_default();
    match &d.closed {
        Some(why) => format!("{} {wd}  closed: {why}", d.date),
        None => {
            let hours: Vec<String> = d.open.iter().map(|[a, b]| format!("{a}–{b}")).collect();
            let from = d.hours_from.as_ref().map(|n| format!("  ({n})")).unwrap_or_default();
            format!("{} {wd}  {}{from}", d.date, hours.join(", "))
        }
    }
}

/// One batch query; `op` selects which fields are needed.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    op: String,
    #[serde(alias = "id")]
    agreement: String,
    schedule: Option<String>,
    at: Option<String>,
    duration: Option<String>,
    from: Option<String>,
    to: Option<String>,
    impact: Option<String>,
    users_affected: Option<f64>,
    #[serde(default)]
    security: bool,
    #[serde(default)]
    workaround: bool,
}

fn need<'a>(v: &'a Option<String>, name: &str, op: &str) -> R<&'a str> {
    v.as_deref().ok_or_else(|| usage(format!("\"{op}\" needs \"{name}\"")))
}

/// One batch answer.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Answer {
    Add(AddOut),
    Between(BetweenOut),
    Classify(Box<ClassifyOut>),
    Error { error: String },
}

fn answer(cat: &Catalog, line: &str) -> R<Answer> {
    let q: Query = serde_json::from_str(line).map_err(|e| usage(format!("invalid query: {e}")))?;
    let op = q.op.as_str();
    match op {
        "add" => op_add(
            cat,
            &q.agreement,
            need(&q.schedule, "schedule", op)?,
            need(&q.at, "at", op)?,
            need(&q.duration, "duration", op)?,
        )
        .map(Answer::Add),
        "between" => op_between(
            cat,
            &q.agreement,
            need(&q.schedule, "schedule", op)?,
            need(&q.from, "from", op)?,
            need(&q.to, "to", op)?,
        )
        .map(Answer::Between),
        "classify" => {
            let facts = Facts {
                impact: need(&q.impact, "impact", op)?.to_string(),
                users_affected: q.users_affected,
                security: q.security,
                workaround: q.workaround,
            };
            op_classify(cat, &q.agreement, need(&q.at, "at", op)?, facts).map(|c| Answer::Classify(Box::new(c)))
        }
        other => Err(usage(format!("unknown op \"{other}\" (known: add, between, classify)"))),
    }
}

/// Answers JSON-lines queries from `input`, one line each on `out`, in order, streaming in
/// constant memory. Blank lines are skipped; a bad line (including one that is not UTF-8)
/// gets `{"error": "..."}` and the next line is read.
pub fn batch(cat: &Catalog, input: &mut dyn BufRead, out: &mut dyn Write) -> R<()> {
    let io = |e: std::io::Error| data(format!("batch I/O failed: {e}"));
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut line: Vec<u8> = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line).map_err(io)? == 0 {
            break;
        }
        number += 1;
        let v = match std::str::from_utf8(&line) {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => answer(cat, text.trim()).unwrap_or_else(|e| Answer::Error { error: e.to_string() }),
            Err(e) => Answer::Error {
                error: format!(
                    "invalid query: line {number} is not valid UTF-8 (bad byte at offset {})",
                    e.valid_up_to()
                ),
            },
        };
        serde_json::to_writer(&mut out, &v).map_err(|e| data(format!("batch output failed: {e}")))?;
        out.write_all(b"\n").map_err(io)?;
    }
    out.flush().map_err(io)
}

fn show_json(a: &Agreement) -> Value {
    json!({
        "id": a.id,
        "name": a.name,
        "timezone": a.tz.name(),
        "incident_prefix": a.incident_prefix,
        "source": {"title": a.source.title, "version": a.source.version, "date": a.source.date},
        "schedules": a.schedules.iter().map(|s| json!({"name": s.name, "hours": render::agreement::schedule_hours(s), "source": s.source, "reading": s.reading})).collect::<Vec<_>>(),
        "priorities": a.priorities.iter().map(|p| {
            let t = a.targets_for(&p.id);
            json!({"id": p.id, "name": p.name, "description": p.description,
                   "response": t.map(|t| target_json(&t.response)), "resolution": t.map(|t| target_json(&t.resolution))})
        }).collect::<Vec<_>>(),
        "impacts": a.impacts.iter().map(|i| json!({"id": i.id, "name": i.name})).collect::<Vec<_>>(),
        "status_updates": a.status_updates.iter().map(|c| json!({"priorities": c.priorities, "every_seconds": c.every, "schedule": c.schedule, "outside": render::agreement::outside(c.outside), "source": c.prov.source})).collect::<Vec<_>>(),
        "follow_ups": a.follow_ups.iter().map(|f| json!({"id": f.id, "what": f.what, "after": f.after.to_string(), "from": format!("{:?}", f.from).to_lowercase(), "priorities": f.priorities})).collect::<Vec<_>>(),
        "escalation": a.escalation.levels.iter().map(|l| json!({"role": l.role, "name": l.name})).collect::<Vec<_>>(),
        "monthly_report_day": a.reports.monthly_day,
    })
}
