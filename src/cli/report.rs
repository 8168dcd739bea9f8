//! `vakt report weekly|monthly|annual`: the service computes the report from the
//! configured database (as for a scheduled report) and stores it as a revision; it is
//! rendered here. "Now" for open incidents and time left is the end of the period or the
//! current time, whichever is earlier.
//!
//! `--json` is `--format json`. A period that has not begun is refused (bad usage); a
//! database that does not exist is refused, naming it (never created).
//!
//! The database is `--database URL`, else `VAKT_DATABASE_URL`, else the `database_url` of
//! the configuration file (`--config`, else `VAKT_CONFIG`, else `./vakt.toml`), else
//! `sqlite://vakt.db`.

use super::{CliError, Connect, R, agreement, data, usage};
use crate::agreements::Catalog;
use crate::domain::period::{IsoWeekSpec, MonthSpec, Period, PeriodError, YearSpec};
use crate::render::report as render;
use crate::service::reports::ReportValue;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Output format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Markdown tables.
    #[default]
    Md,
    /// CSV, one figure per row.
    Csv,
    /// JSON, the report as data.
    Json,
}

/// `vakt report …`
#[derive(Debug, Clone, clap::Subcommand)]
pub enum ReportCmd {
    /// The weekly status-meeting summary of an ISO week (Markdown by default).
    Weekly {
        /// Agreement id.
        #[arg(long)]
        agreement: String,
        /// ISO week, `2026-W47`.
        #[arg(long)]
        week: String,
        /// Output format (default `md`; `--json` is `--format json`).
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Database URL (default: VAKT_DATABASE_URL, else the configuration's).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// The monthly SLA report of a calendar month in the agreement's zone.
    Monthly {
        /// Agreement id.
        #[arg(long)]
        agreement: String,
        /// Month, `2026-10`.
        #[arg(long)]
        month: String,
        /// Output format (default `md`; `--json` is `--format json`).
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Also write the chart (compliance per priority, business times per priority against
        /// their targets) as PNG here.
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
        /// Database URL (default: VAKT_DATABASE_URL, else the configuration's).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// The annual report (Difi 1.4.2): the year's figures per month and overall.
    Annual {
        /// Agreement id.
        #[arg(long)]
        agreement: String,
        /// Year, `2026`.
        #[arg(long)]
        year: String,
        /// Output format (default `md`; `--json` is `--format json`).
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Database URL (default: VAKT_DATABASE_URL, else the configuration's).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
}

pub(super) fn database_url(given: Option<&str>, config: Option<&Path>) -> R<String> {
    if let Some(u) = given {
        return Ok(u.to_string());
    }
    let env = |k: &str| std::env::var(k).ok();
    let path = match config {
        Some(p) if !p.exists() => return Err(usage(format!("--config {}: no such file", p.display()))),
        Some(p) => p.to_path_buf(),
        None => std::env::var_os("VAKT_CONFIG").map_or_else(|| "vakt.toml".into(), PathBuf::from),
    };
    let cfg = crate::config::Config::load(&path, &env).map_err(|e| data(format!("{}: {e}", path.display())))?;
    Ok(cfg.database_url.expose().to_string())
}

pub(super) fn runtime() -> R<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| data(format!("cannot start the async runtime: {e}")))
}

pub(super) fn write_out(out: &mut dyn Write, s: &str) -> R<()> {
    out.write_all(s.as_bytes())
        .and_then(|()| if s.ends_with('\n') { Ok(()) } else { writeln!(out) })
        .map_err(super::output)
}

pub(super) fn json_err(e: serde_json::Error) -> CliError {
    data(format!("cannot write JSON: {e}"))
}

/// The period a report command names, checked in the agreement's terms (bad usage names
/// the option), and its database.
fn period_of(cmd: &ReportCmd) -> R<(&str, Period, Option<&str>)> {
    let period = |option: &str, parsed: Result<Period, PeriodError>| -> R<Period> {
        parsed.map_err(|e| usage(format!("{option}: {e}")))
    };
    Ok(match cmd {
        ReportCmd::Weekly {
            agreement,
            week,
            database,
            ..
        } => (
            agreement,
            period("--week", IsoWeekSpec::parse(week).map(Period::Week))?,
            database.as_deref(),
        ),
        ReportCmd::Monthly {
            agreement,
            month,
            database,
            ..
        } => (
            agreement,
            period("--month", MonthSpec::parse(month).map(Period::Month))?,
            database.as_deref(),
        ),
        ReportCmd::Annual {
            agreement,
            year,
            database,
            ..
        } => (
            agreement,
            period("--year", YearSpec::parse(year).map(Period::Year))?,
            database.as_deref(),
        ),
    })
}

/// The asked format: `--format`, else JSON with `--json`, else Markdown; `--json` with
/// another `--format` is bad usage.
fn format_of(cmd: &ReportCmd, json: bool) -> R<Format> {
    let given = match cmd {
        ReportCmd::Weekly { format, .. } | ReportCmd::Monthly { format, .. } | ReportCmd::Annual { format, .. } => {
            *format
        }
    };
    match (given, json) {
        (Some(Format::Md | Format::Csv), true) => {
            Err(usage("--json asks for JSON, but --format asks for another format"))
        }
        (Some(f), _) => Ok(f),
        (None, true) => Ok(Format::Json),
        (None, false) => Ok(Format::Md),
    }
}

/// Runs `vakt report …`: the service computes the report from the database and stores it
/// as a revision (as a scheduled report is); it is rendered here in the asked format.
pub fn run(
    cat: Arc<Catalog>,
    config: Option<&Path>,
    cmd: &ReportCmd,
    json: bool,
    connect: &dyn Connect,
    out: &mut dyn Write,
) -> R<()> {
    let (id, period, database) = period_of(cmd)?;
    let a = agreement(&cat, id)?.clone();
    let format = format_of(cmd, json)?;
    let (start, _) = period.bounds(a.tz);
    if start > chrono::Utc::now() {
        return Err(usage(format!(
            "{period} has not begun yet (it starts {}): there is nothing to report",
            super::rfc3339(start, a.tz)
        )));
    }
    let url = database_url(database, config)?;
    let generated = runtime()?.block_on(async {
        let service = connect.service(&url, cat).await.map_err(|e| data(e.to_string()))?;
        service
            .generate_report(&a.id, period)
            .await
            .map_err(|e| data(format!("cannot compute the report: {e}")))
    })?;
    // The Markdown's language: the agreement's (or VAKT_LANGUAGE).
    let l = super::locale_of(&a);
    let a = Some(a.as_ref());
    let s = match generated.value {
        ReportValue::Weekly(r) => match format {
            Format::Md => render::weekly_markdown(&r, a, l),
            Format::Csv => render::weekly_csv(&r),
            Format::Json => render::json(&r).map_err(json_err)?,
        },
        ReportValue::Monthly(r) => {
            if let ReportCmd::Monthly { png: Some(path), .. } = cmd {
                let bytes = render::monthly_png(&r, a, l).map_err(|e| data(e.to_string()))?;
                std::fs::write(path, bytes).map_err(|e| data(format!("cannot write {}: {e}", path.display())))?;
            }
            match format {
                Format::Md => render::monthly_markdown(&r, a, l),
                Format::Csv => render::monthly_csv(&r),
                Format::Json => render::json(&r).map_err(json_err)?,
            }
        }
        ReportValue::Annual(r) => match format {
            Format::Md => render::annual_markdown(&r, a, l),
            Format::Csv => render::annual_csv(&r),
            Format::Json => render::json(&r).map_err(json_err)?,
        },
    };
    write_out(out, &s)
}
