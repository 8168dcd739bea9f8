//! `vakt report weekly|monthly|annual`: reads the agreement's incidents from the configured
//! database, computes the report in the domain and renders it. "Now" for open incidents
//! and time left is the end of the period or the current time, whichever is earlier.
//!
//! The database is `--database URL`, else `VAKT_DATABASE_URL`, else the `database_url` of
//! the configuration file (`--config`, else `VAKT_CONFIG`, else `./vakt.toml`), else
//! `sqlite://vakt.db`. Meeting follow-up points are not stored yet: the weekly summary
//! lists none.

use super::{CliError, R, agreement, data, usage};
use crate::agreements::Catalog;
use crate::domain::ids::AgreementId;
use crate::domain::incident::Incident;
use crate::domain::report::{self, IsoWeekSpec, MonthSpec, Timelines, YearSpec};
use crate::render::report as render;
use crate::service::ports::{IncidentFilter, Store};
use chrono::Utc;
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
        /// Output format.
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
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
        /// Output format.
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
        /// Also write the chart (compliance per priority, response times) as PNG here.
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
        /// Output format.
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
        /// Database URL (default: VAKT_DATABASE_URL, else the configuration's).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
}

fn database_url(given: Option<&str>, config: Option<&Path>) -> R<String> {
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

fn runtime() -> R<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| data(format!("cannot start the async runtime: {e}")))
}

/// The agreement's incidents, only those reported before `reported_before` when given (a
/// month's or a year's figures count nothing of incidents reported after it).
async fn incidents(
    store: &Arc<dyn Store>,
    agreement: &str,
    reported_before: Option<chrono::DateTime<Utc>>,
) -> R<Vec<Incident>> {
    let filter = IncidentFilter {
        agreement: Some(agreement.into()),
        reported_before,
        ..Default::default()
    };
    store
        .incidents(&filter)
        .await
        .map_err(|e| data(format!("cannot read incidents: {e}")))
}

async fn connect(url: &str) -> R<Arc<dyn Store>> {
    crate::storage::connect(url).await.map_err(|e| data(e.to_string()))
}

fn write_out(out: &mut dyn Write, s: &str) -> R<()> {
    out.write_all(s.as_bytes())
        .and_then(|()| if s.ends_with('\n') { Ok(()) } else { writeln!(out) })
        .map_err(|e| data(format!("cannot write output: {e}")))
}

fn report_err(e: report::ReportError) -> CliError {
    data(format!("cannot compute the report: {e}"))
}

fn json_err(e: serde_json::Error) -> CliError {
    data(format!("cannot write JSON: {e}"))
}

/// Runs `vakt report …`.
pub fn run(cat: &Catalog, config: Option<&Path>, cmd: &ReportCmd, out: &mut dyn Write) -> R<()> {
    let now = Utc::now();
    match cmd {
        ReportCmd::Weekly {
            agreement: id,
            week,
            format,
            database,
        } => {
            let a = agreement(cat, id)?;
            let week = IsoWeekSpec::parse(week).map_err(|e| usage(format!("--week: {e}")))?;
            let url = database_url(database.as_deref(), config)?;
            let (incs, timelines, points) = runtime()?.block_on(async {
                let store = connect(&url).await?;
                let incs = incidents(&store, &a.id, None).await?;
                let mut timelines = Timelines::new();
                // Every incident's timeline, as the service reads them: an incident resolved
                // before the week can still have a follow-up (a review report) posted in it.
                for inc in &incs {
                    let t = store
                        .timeline(inc.id())
                        .await
                        .map_err(|e| data(format!("cannot read the timeline of {}: {e}", inc.id())))?;
                    timelines.insert(inc.id().clone(), t);
                }
                let points = store
                    .points(&AgreementId::new(&a.id), false)
                    .await
                    .map_err(|e| data(format!("cannot read the follow-up points: {e}")))?;
                Ok::<_, CliError>((incs, timelines, points))
            })?;
            let r = report::weekly(a, &incs, &timelines, &points, week, now).map_err(report_err)?;
            let s = match format {
                Format::Md => render::weekly_markdown(&r, Some(a)),
                Format::Csv => render::weekly_csv(&r),
                Format::Json => render::json(&r).map_err(json_err)?,
            };
            write_out(out, &s)
        }
        ReportCmd::Monthly {
            agreement: id,
            month,
            format,
            png,
            database,
        } => {
            let a = agreement(cat, id)?;
            let month = MonthSpec::parse(month).map_err(|e| usage(format!("--month: {e}")))?;
            let url = database_url(database.as_deref(), config)?;
            let end = Some(month.bounds(a.tz).1);
            let incs = runtime()?.block_on(async { incidents(&connect(&url).await?, &a.id, end).await })?;
            let r = report::monthly(a, &incs, month, now).map_err(report_err)?;
            if let Some(path) = png {
                let bytes = render::monthly_png(&r, Some(a)).map_err(|e| data(e.to_string()))?;
                std::fs::write(path, bytes).map_err(|e| data(format!("cannot write {}: {e}", path.display())))?;
            }
            let s = match format {
                Format::Md => render::monthly_markdown(&r, Some(a)),
                Format::Csv => render::monthly_csv(&r),
                Format::Json => render::json(&r).map_err(json_err)?,
            };
            write_out(out, &s)
        }
        ReportCmd::Annual {
            agreement: id,
            year,
            format,
            database,
        } => {
            let a = agreement(cat, id)?;
            let year = YearSpec::parse(year).map_err(|e| usage(format!("--year: {e}")))?;
            let url = database_url(database.as_deref(), config)?;
            let end = Some(year.bounds(a.tz).1);
            let incs = runtime()?.block_on(async { incidents(&connect(&url).await?, &a.id, end).await })?;
            let r = report::annual(a, &incs, year, now).map_err(report_err)?;
            let s = match format {
                Format::Md => render::annual_markdown(&r, Some(a)),
                Format::Csv => render::annual_csv(&r),
                Format::Json => render::json(&r).map_err(json_err)?,
            };
            write_out(out, &s)
        }
    }
}
