//! `vakt agreements check|show`: validate agreement files (and, with `--against`, what
//! deploying them would do to the open incidents of a database); a readable summary of one.

use super::classify::target_json;
use super::{Connect, R, agreement, data, load};
use crate::agreements::Catalog;
use crate::domain::agreement::{Agreement, Outside, Target};
use crate::domain::clock::BusinessDuration;
use crate::domain::schedule::Schedule;
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
    let io = |e: std::io::Error| data(format!("cannot write output: {e}"));
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
            for w in &warnings {
                eprintln!("warning: {w}");
            }
            if json {
                let v: Vec<Value> = cat
                    .agreements
                    .iter()
                    .map(|a| json!({"id": a.id, "name": a.name}))
                    .collect();
                writeln!(out, "{}", json!({"ok": true, "agreements": v, "warnings": warnings})).map_err(io)
            } else {
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
                write!(out, "{}", show_text(a)).map_err(io)
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

fn target_text(t: &Target) -> String {
    match t {
        Target::Within {
            duration,
            schedule,
            prov,
        } => {
            let mut s = format!("{duration} on {schedule} (clause {})", prov.source);
            if let Some(r) = &prov.reading {
                s += &format!(" [reading: {r}]");
            }
            s
        }
        Target::None { why, .. } => format!("none — {why}"),
    }
}

fn outside_text(o: Outside) -> String {
    match o {
        Outside::NextOpen => "at the next opening".into(),
        Outside::NextDayAt(m) => format!("at {m} the next day"),
    }
}

fn schedule_text(s: &Schedule) -> String {
    if s.always {
        return "24/7".into();
    }
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut parts = Vec::new();
    for (i, w) in s.weekly.iter().enumerate() {
        if !w.is_empty() {
            let ws: Vec<String> = w.iter().map(|w| w.to_string()).collect();
            parts.push(format!("{} {}", days[i], ws.join(",")));
        }
    }
    let mut out = parts.join("; ");
    let cals: Vec<&str> = s.calendars.iter().map(|c| c.id.as_str()).collect();
    if !cals.is_empty() {
        out += &format!("; closed on holidays of {}", cals.join(", "));
    }
    if !s.extra_days.is_empty() {
        let e: Vec<&str> = s.extra_days.iter().map(|h| h.name.as_str()).collect();
        out += &format!(" and {}", e.join(", "));
    }
    for o in s.special_days.iter().chain(&s.seasons) {
        let ws: Vec<String> = o.hours.iter().map(|w| w.to_string()).collect();
        out += &format!(
            "; {}: {}",
            o.name,
            if ws.is_empty() {
                "closed".to_string()
            } else {
                ws.join(",")
            }
        );
    }
    out
}

fn goal_text(goal: Option<f64>, scope: crate::domain::agreement::GoalScope) -> String {
    match (goal, scope) {
        (None, _) => "—".into(),
        (Some(x), crate::domain::agreement::GoalScope::Overall) => format!("{x} %"),
        (Some(x), crate::domain::agreement::GoalScope::EachPriority) => format!("{x} % for each priority"),
    }
}

fn show_text(a: &Agreement) -> String {
    let mut o = format!("{} — {}\n", a.id, a.name);
    o += &format!(
        "source: {}, version {}, {}\n",
        a.source.title, a.source.version, a.source.date
    );
    o += &format!(
        "time zone: {}   incident ids: {}-YYYY-NNNN\n\nschedules:\n",
        a.tz, a.incident_prefix
    );
    for s in &a.schedules {
        o += &format!("  {:<16} {} (clause {})\n", s.name, schedule_text(s), s.source);
        if let Some(r) = &s.reading {
            o += &format!("  {:<16} reading: {r}\n", "");
        }
    }
    o += "\npriorities and targets (response / resolution):\n";
    for p in &a.priorities {
        o += &format!("  {} {}: {}\n", p.id, p.name, p.description);
        if let Some(t) = a.targets_for(&p.id) {
            o += &format!(
                "      response:   {}\n      resolution: {}\n",
                target_text(&t.response),
                target_text(&t.resolution)
            );
        }
    }
    if let Some(c) = &a.compliance {
        o += &format!(
            "  compliance: response {} / resolution {} (clause {})\n",
            goal_text(c.response, c.response_scope),
            goal_text(c.resolution, c.resolution_scope),
            c.prov.source
        );
    }
    o += "\nimpact scale:\n";
    for i in &a.impacts {
        o += &format!("  {} {}: {}\n", i.id, i.name, i.description);
    }
    if let Some(t) = &a.timing {
        o += &format!("\ntiming classes (judged at clock start on {}):\n", t.schedule);
        for c in &t.classes {
            o += &format!("  {} {} (clause {})\n", c.id, c.name, c.prov.source);
        }
    }
    o += "\nstatus updates:\n";
    if a.status_updates.is_empty() {
        o += "  none\n";
    }
    for c in &a.status_updates {
        o += &format!(
            "  priorities {}: every {} within {}, outside them {} (clause {})\n",
            c.priorities.join(", "),
            BusinessDuration::Seconds(c.every),
            c.schedule,
            outside_text(c.outside),
            c.prov.source
        );
    }
    if !a.follow_ups.is_empty() {
        o += "\nfollow-ups:\n";
        for f in &a.follow_ups {
            o += &format!(
                "  {}: {} {} after {:?} (priorities {}, clause {})\n",
                f.id,
                f.what,
                f.after,
                f.from,
                f.priorities.join(", "),
                f.prov.source
            );
        }
    }
    o += &format!("\nescalation ladder (clause {}):\n", a.escalation.prov.source);
    for (i, l) in a.escalation.levels.iter().enumerate() {
        o += &format!("  {}. {} — {}\n", i + 1, l.role, l.name);
    }
    if let Some(d) = a.reports.monthly_day {
        o += &format!("\nmonthly report due by day {d} of the next month\n");
    }
    o
}

fn show_json(a: &Agreement) -> Value {
    json!({
        "id": a.id,
        "name": a.name,
        "timezone": a.tz.name(),
        "incident_prefix": a.incident_prefix,
        "source": {"title": a.source.title, "version": a.source.version, "date": a.source.date},
        "schedules": a.schedules.iter().map(|s| json!({"name": s.name, "hours": schedule_text(s), "source": s.source, "reading": s.reading})).collect::<Vec<_>>(),
        "priorities": a.priorities.iter().map(|p| {
            let t = a.targets_for(&p.id);
            json!({"id": p.id, "name": p.name, "description": p.description,
                   "response": t.map(|t| target_json(&t.response)), "resolution": t.map(|t| target_json(&t.resolution))})
        }).collect::<Vec<_>>(),
        "impacts": a.impacts.iter().map(|i| json!({"id": i.id, "name": i.name})).collect::<Vec<_>>(),
        "status_updates": a.status_updates.iter().map(|c| json!({"priorities": c.priorities, "every_seconds": c.every, "schedule": c.schedule, "outside": outside_text(c.outside), "source": c.prov.source})).collect::<Vec<_>>(),
        "follow_ups": a.follow_ups.iter().map(|f| json!({"id": f.id, "what": f.what, "after": f.after.to_string(), "from": format!("{:?}", f.from).to_lowercase(), "priorities": f.priorities})).collect::<Vec<_>>(),
        "escalation": a.escalation.levels.iter().map(|l| json!({"role": l.role, "name": l.name})).collect::<Vec<_>>(),
        "monthly_report_day": a.reports.monthly_day,
    })
}
