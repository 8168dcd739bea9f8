//! `vakt maintenance announce|list`: a maintenance window announced from the command line,
//! checked against every rule of the agreement as `/maintenance announce` is (a refusal
//! names each rule and its clause, exit 2), and stored in the configured database with its
//! reminders. `--now` sets the moment of the announcement (default: the current time), so
//! a notice rule can be checked for a given day. The command line acts as an operator with
//! both the responder and the manager role: `--reason` records a window that breaks the
//! rules.
//!
//! The database is found as for `vakt report` (`--database`, `VAKT_DATABASE_URL`, the
//! configuration's `database_url`); it must exist.

use super::report::{database_url, json_err, runtime, write_out};
use super::{CliError, Connect, R, agreement, data, instant, usage};
use crate::agreements::Catalog;
use crate::render::Style;
use crate::render::reply::reply;
use crate::service::maintenance::Announcement;
use crate::service::views::Reply;
use crate::service::{Actor, ServiceError};
use chrono::Utc;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// The role the command line's actor holds; the command line's services give it both the
/// responder and the manager permission.
pub const CLI_ROLE: &str = "command-line";

/// `vakt maintenance …`
#[derive(Debug, Clone, clap::Subcommand)]
pub enum MaintenanceCmd {
    /// Announce a maintenance window: refused, naming each rule and clause it breaks,
    /// unless `--reason` records it anyway.
    Announce {
        /// Agreement id.
        #[arg(long)]
        agreement: String,
        /// Service id (default: the agreement's main service).
        #[arg(long)]
        service: Option<String>,
        /// Maintenance kind id (default: the first whose hours and length fit).
        #[arg(long)]
        kind: Option<String>,
        /// Start: RFC 3339, local `YYYY-MM-DDTHH:MM` in the agreement's zone, or a date.
        #[arg(long)]
        start: String,
        /// How long: `2h`, `90m`, `4h30m`.
        #[arg(long)]
        duration: String,
        /// What is done in the window.
        #[arg(long)]
        description: String,
        /// Why a window that breaks the rules is recorded anyway.
        #[arg(long)]
        reason: Option<String>,
        /// The moment of the announcement (default: now), in the grammar of `--start`.
        #[arg(long)]
        now: Option<String>,
        /// Database URL (default: VAKT_DATABASE_URL, else the configuration's).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// The windows of an agreement not yet ended.
    List {
        /// Agreement id.
        #[arg(long)]
        agreement: String,
        /// The moment to list from (default: now).
        #[arg(long)]
        now: Option<String>,
        /// Database URL (default: VAKT_DATABASE_URL, else the configuration's).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
}

/// The command line's words: times in the agreement's zone, plain text.
fn style(tz: chrono_tz::Tz) -> Style {
    Style::plain(tz)
}

/// The command line's actor: `$USER` (else `operator`) with [`CLI_ROLE`].
fn actor() -> Actor {
    let name = std::env::var("USER").unwrap_or_else(|_| "operator".into());
    Actor::new(&name, vec![CLI_ROLE.into()])
}

/// A refusal of the service: the person's mistake is bad usage (exit 2), in `style`'s words;
/// a failure bad data.
fn refused(e: ServiceError, style: &Style) -> CliError {
    match e {
        ServiceError::User(u) => usage(crate::render::error::user_error(&u, style)),
        ServiceError::Failed(f) => data(f.to_string()),
    }
}

/// Runs `vakt maintenance …`.
pub fn run(
    cat: Arc<Catalog>,
    config: Option<&Path>,
    cmd: &MaintenanceCmd,
    json: bool,
    connect: &dyn Connect,
    out: &mut dyn Write,
) -> R<()> {
    let (id, now, database) = match cmd {
        MaintenanceCmd::Announce {
            agreement,
            now,
            database,
            ..
        }
        | MaintenanceCmd::List {
            agreement,
            now,
            database,
            ..
        } => (agreement, now, database),
    };
    let a = agreement(&cat, id)?.clone();
    let now = now.as_deref().map_or(Ok(Utc::now()), |t| instant(t, a.tz))?;
    let url = database_url(database.as_deref(), config)?;
    let rt = runtime()?;
    let answer = rt.block_on(async {
        let service = connect
            .service_at(&url, cat.clone(), now)
            .await
            .map_err(|e| data(e.to_string()))?;
        match cmd {
            MaintenanceCmd::Announce {
                service: on,
                kind,
                start,
                duration,
                description,
                reason,
                ..
            } => {
                let duration = crate::domain::time::parse_duration(duration).map_err(|_| {
                    usage(format!(
                        "--duration: expected a duration like 2h, 90m or 4h30m, not \"{duration}\""
                    ))
                })?;
                let ann = Announcement {
                    agreement: a.id.clone(),
                    service: on.clone(),
                    kind: kind.clone(),
                    start: instant(start, a.tz)?,
                    duration,
                    description: description.clone(),
                    reason: reason.clone(),
                };
                let window = service
                    .announce_window(&actor(), &ann)
                    .await
                    .map_err(|e| refused(e, &style(a.tz)))?;
                Ok::<_, CliError>(Reply::WindowAnnounced {
                    agreement: a.clone(),
                    window,
                })
            }
            MaintenanceCmd::List { .. } => {
                let windows = service
                    .upcoming_windows(&a.id)
                    .await
                    .map_err(|e| refused(e, &style(a.tz)))?;
                Ok(Reply::Windows {
                    agreement: a.clone(),
                    windows,
                })
            }
        }
    })?;
    if json {
        let windows = match &answer {
            Reply::WindowAnnounced { window, .. } => vec![window.clone()],
            Reply::Windows { windows, .. } => windows.clone(),
            _ => vec![],
        };
        let v: Vec<serde_json::Value> = windows
            .iter()
            .map(|w| {
                serde_json::json!({
                    "id": w.id,
                    "agreement": w.agreement.as_str(),
                    "service": w.service,
                    "kind": w.kind,
                    "start": super::rfc3339(w.start, a.tz),
                    "end": super::rfc3339(w.end, a.tz),
                    "description": w.description,
                    "breaches": w.breaches,
                    "reason": w.reason,
                })
            })
            .collect();
        let text = serde_json::to_string(&v).map_err(json_err)?;
        return write_out(out, &text);
    }
    write_out(out, &reply(&answer, &cat, &style(a.tz)))
}
