//! `vakt webhooks dead`: the webhook deliveries given up on (a target that refused, or kept
//! failing for ten attempts), from the configured database — one line each, tab-separated
//! data (target, delivery id, kind, agreement, planned, attempts, last error), or with `--json`
//! an array that also holds each body. The database is found as for `vakt report`.

use super::report::{database_url, json_err, runtime, write_out};
use super::{CliError, Connect, R, data};
use crate::agreements::Catalog;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// `vakt webhooks …`
#[derive(Debug, Clone, clap::Subcommand)]
pub enum WebhooksCmd {
    /// The deliveries given up on, oldest first.
    Dead {
        /// Database URL (default: VAKT_DATABASE_URL, else the configuration's).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
}

/// Runs `vakt webhooks …`.
pub fn run(
    cat: Arc<Catalog>,
    config: Option<&Path>,
    cmd: &WebhooksCmd,
    json: bool,
    connect: &dyn Connect,
    out: &mut dyn Write,
) -> R<()> {
    let WebhooksCmd::Dead { database } = cmd;
    let url = database_url(database.as_deref(), config)?;
    let dead = runtime()?.block_on(async {
        let service = connect.service(&url, cat).await.map_err(|e| data(e.to_string()))?;
        service.dead_webhooks().await.map_err(|e| data(e.to_string()))
    })?;
    if json {
        return write_out(out, &serde_json::to_string(&dead).map_err(json_err)?);
    }
    let lines: Vec<String> = (dead.iter())
        .map(|d| {
            let error = d.error.as_deref().unwrap_or("").replace(['\t', '\n'], " ");
            format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{error}",
                d.target,
                d.delivery,
                d.kind,
                d.agreement,
                d.planned_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                d.attempts
            )
        })
        .collect();
    if lines.is_empty() {
        return Ok::<(), CliError>(());
    }
    write_out(out, &lines.join("\n"))
}
