//! `vakt agreements check|show`: validate agreement files (and, with `--against`, what
//! deploying them would do to the open incidents of a database); a readable summary of one.

use super::classify::target_json;
use super::{Connect, R, agreement, data, load};
use crate::agreements::Catalog;
use crate::domain::agreement::Agreement;
use crate::domain::incident::{Fate, fate};
use crate::render;
use clap::Subcommand;
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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

/// Runs `vakt agreements …` over the files in `dir` (`check` may name another).
pub(super) fn run(dir: &Path, cmd: &AgreementsCmd, json: bool, connect: &dyn Connect, out: &mut dyn Write) -> R<()> {
    let io = super::output;
    match cmd {
        AgreementsCmd::Check { dir: given, against } => {
            let cat = Arc::new(load(given.as_deref().unwrap_or(dir))?);
            let mut warnings: Vec<String> = cat
                .agreements
                .iter()
                .flat_map(|a| crate::agreements::warnings(a))
                .collect();
            if let Some(url) = against {
                warnings.extend(check_against(&cat, url, connect)?);
            }
            if json {
                // With --json the warnings are in the JSON only, not also on stderr.
                let v: Vec<Value> = cat
                    .agreements
                    .iter()
                    .map(|a| json!({"id": a.id, "name": a.name}))
                    .collect();
                writeln!(out, "{}", json!({"ok": true, "agreements": v, "warnings": warnings})).map_err(io)
            } else {
                for w in &warnings {
                    eprintln!("warning: {w}");
                }
                for a in &cat.agreements {
                    writeln!(out, "{}\t{}", a.id, a.name).map_err(io)?;
                }
                Ok(())
            }
        }
        AgreementsCmd::Show { id } => {
            let cat = load(dir)?;
            let a = agreement(&cat, id)?;
            if json {
                writeln!(out, "{}", show_json(a)).map_err(io)
            } else {
                // In the agreement's language (or VAKT_LANGUAGE).
                write!(out, "{}", render::agreement::show(a, super::locale_of(a))).map_err(io)
            }
        }
    }
}

/// What deploying `cat` would do to the open incidents stored at `url`.
fn check_against(cat: &Arc<Catalog>, url: &str, connect: &dyn Connect) -> R<Vec<String>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| data(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let service = connect
            .service(url, cat.clone())
            .await
            .map_err(|e| data(format!("--against: {e}")))?;
        let incidents = service
            .open_incidents()
            .await
            .map_err(|e| data(format!("--against: {e}")))?;
        let mut out = Vec::new();
        for inc in incidents {
            match fate(&inc, cat.for_incident(&inc).map(|a| &**a)) {
                Fate::AgreementGone => out.push(format!(
                    "{}: its agreement \"{}\" is not among these files: it would stay readable and closable, but its jobs would be cancelled",
                    inc.id(),
                    inc.agreement()
                )),
                Fate::PriorityGone => out.push(format!(
                    "{}: its priority \"{}\" is not in agreement {} any more: it would stay readable and closable, but its jobs would be cancelled",
                    inc.id(),
                    inc.priority(),
                    inc.agreement()
                )),
                Fate::Replan => out.push(format!(
                    "{}: the targets, ladder or cadence of priority {} in {} change: it will be replanned from its original clock start at the next start",
                    inc.id(),
                    inc.priority(),
                    inc.agreement()
                )),
                Fate::Unchanged | Fate::Refingerprint => {}
            }
        }
        Ok(out)
    })
}

fn show_json(a: &Agreement) -> Value {
    json!({
        "id": a.id,
        "name": a.name,
        "timezone": a.tz.name(),
        "incident_prefix": a.incident_prefix,
        "source": {"title": a.source.title, "version": a.source.version, "date": a.source.date},
        "schedules": a.schedules.iter().map(|s| json!({"name": s.name, "hours": render::agreement::schedule_hours(s, render::Locale::En), "source": s.source, "reading": s.reading})).collect::<Vec<_>>(),
        "priorities": a.priorities.iter().map(|p| {
            let t = a.targets_for(&p.id);
            json!({"id": p.id, "name": p.name, "description": p.description,
                   "response": t.map(|t| target_json(&t.response)), "resolution": t.map(|t| target_json(&t.resolution))})
        }).collect::<Vec<_>>(),
        "impacts": a.impacts.iter().map(|i| json!({"id": i.id, "name": i.name})).collect::<Vec<_>>(),
        "status_updates": a.status_updates.iter().map(|c| json!({"priorities": c.priorities, "every_seconds": c.every, "schedule": c.schedule, "outside": render::agreement::outside(c.outside, render::Locale::En), "required_fields": c.required_fields.iter().map(|f| f.name()).collect::<Vec<_>>(), "source": c.prov.source})).collect::<Vec<_>>(),
        "follow_ups": a.follow_ups.iter().map(|f| json!({"id": f.id, "what": f.what, "after": f.after.to_string(), "lead": f.lead.map(|l| l.to_string()), "from": format!("{:?}", f.from).to_lowercase(), "priorities": f.priorities})).collect::<Vec<_>>(),
        "repaging": a.repaging.iter().map(|r| json!({"priorities": r.priorities, "every_seconds": r.every, "limit": r.limit, "schedule": r.schedule, "source": r.prov.source})).collect::<Vec<_>>(),
        "escalation": a.escalation.levels.iter().map(|l| json!({"role": l.role, "name": l.name})).collect::<Vec<_>>(),
        "monthly_report_day": a.reports.monthly_day,
        "case_types": a.case_types.iter().map(|t| json!({
            "id": t.id, "name": t.name, "prefix": t.prefix, "escalate": t.escalate, "warnings": t.warnings,
            "source": t.prov.source, "reading": t.prov.reading,
            "compliance": t.compliance.as_ref().map(|c| json!({"response": c.response, "resolution": c.resolution, "source": c.prov.source, "reading": c.prov.reading})),
            "classes": t.classes.iter().map(|c| {
                let g = t.targets.iter().find(|g| g.priority == c.id);
                json!({"id": c.id, "name": c.name, "source": c.prov.source,
                       "response": g.map(|g| target_json(&g.response)), "resolution": g.map(|g| target_json(&g.resolution))})
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
