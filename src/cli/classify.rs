//! `vakt classify`: an incident's priority, with the reasons, and its deadlines, as text or
//! as the JSON shape batch mode answers too.

use super::{R, agreement, clock_err, data, instant, rfc3339, usage};
use crate::agreements::Catalog;
use crate::domain::agreement::Target;
use crate::domain::classify::{Basis, Facts, classify, deadlines};
use crate::render;
use serde_json::Value;

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
    pub id: String,
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
    pub response: TargetOut,
    pub resolution: TargetOut,
}

/// The answer of `classify`.
#[derive(Debug, serde::Serialize)]
pub struct ClassifyOut {
    /// Agreement id.
    pub agreement: String,
    /// Priority id.
    pub priority: String,
    pub priority_name: Option<String>,
    /// Timing class, when the agreement has them.
    pub timing: Option<TimingOut>,
    /// Why, in order.
    pub reasons: Vec<ReasonOut>,
    /// Report time.
    pub reported_at: String,
    pub clock_start: String,
    /// Response deadline, or null.
    pub response_deadline: Option<String>,
    /// Resolution deadline, or null.
    pub resolution_deadline: Option<String>,
    /// The targets behind the deadlines.
    pub targets: Option<TargetsOut>,
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

pub(super) fn target_json(t: &Target) -> Value {
    serde_json::to_value(target_out(t)).unwrap_or_default()
}

pub(super) fn op_classify(cat: &Catalog, id: &str, at: &str, facts: Facts) -> R<ClassifyOut> {
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
                text: render::reason(&r, Some(a), render::Locale::En),
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

pub(super) fn classify_text(v: &ClassifyOut) -> String {
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
