//! Case types besides incidents (`[[case_types]]`): ids unique and not `incident`, a prefix
//! that extends the agreement's incident prefix, at least one class, each class with its
//! targets (`none` where the text sets none) on known schedules, goals that are percentages
//! and warnings between 1 and 99 percent.

use super::*;
use crate::domain::case_type::{CaseTypeSpec, INCIDENT};

/// The `[[case_types]]` entries of `raw`, checked; built into case types once the agreement
/// they view exists.
pub(super) fn case_types(
    cx: &mut Ctx,
    raw: &RawAgreement,
    incident_prefix: &str,
    sched_names: &[&str],
) -> Vec<CaseTypeSpec> {
    let mut out: Vec<CaseTypeSpec> = Vec::new();
    let mut prefixes: Vec<String> = Vec::new();
    for ct in &raw.case_types {
        let r = ct.get_ref();
        let id = r.id.get_ref().trim().to_string();
        if id == INCIDENT {
            cx.err(
                r.id.span(),
                "\"incident\" is the built-in case type (the agreement's own priorities and targets); give another id",
            );
            continue;
        }
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            cx.err(
                r.id.span(),
                format!("case type id \"{id}\" must be lower-case letters, digits and `_`"),
            );
            continue;
        }
        if out.iter().any(|o| o.id == id) {
            cx.err(r.id.span(), format!("case type \"{id}\" is defined twice"));
            continue;
        }
        let prefix = r.prefix.get_ref().clone();
        let tail = prefix.strip_prefix(incident_prefix).and_then(|t| t.strip_prefix('-'));
        let tail_ok = tail.is_some_and(|t| {
            (1..=8).contains(&t.len())
                && t.split('-')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
        });
        if !tail_ok {
            cx.err(
                r.prefix.span(),
                format!(
                    "case type prefix \"{prefix}\" must be the incident prefix, `-` and 1–8 upper-case letters or digits (e.g. \"{incident_prefix}-CR\")"
                ),
            );
        } else if prefixes.contains(&prefix) {
            cx.err(r.prefix.span(), format!("case type prefix \"{prefix}\" is used twice"));
        }
        prefixes.push(prefix.clone());
        if r.classes.is_empty() {
            cx.err(
                ct.span(),
                format!("case type \"{id}\" has no classes (give one class when the text has none)"),
            );
        }
        let mut classes = Vec::new();
        let mut targets = Vec::new();
        for c in &r.classes {
            let cr = c.get_ref();
            let cid = cr.id.get_ref().clone();
            if cid.trim().is_empty() {
                cx.err(cr.id.span(), "a class needs an id");
                continue;
            }
            if classes.iter().any(|p: &Priority| p.id == cid) {
                cx.err(
                    cr.id.span(),
                    format!("class \"{cid}\" of case type \"{id}\" is defined twice"),
                );
                continue;
            }
            let response = targets::target(cx, &cid, c.span(), cr.response.as_ref(), "response", sched_names);
            let resolution = targets::target(cx, &cid, c.span(), cr.resolution.as_ref(), "resolution", sched_names);
            classes.push(Priority {
                id: cid.clone(),
                name: cr.name.clone(),
                description: cr.description.clone(),
                prov: prov(&cr.source, &cr.reading, &cr.note),
            });
            if let (Some(response), Some(resolution)) = (response, resolution) {
                targets.push(PriorityTargets {
                    priority: cid,
                    response,
                    resolution,
                    note: None,
                });
            }
        }
        let compliance = r.compliance.as_ref().map(|c| targets::goals(cx, c));
        if let Some(w) = &r.warnings
            && w.get_ref().iter().any(|p| !(1..=99).contains(p))
        {
            cx.err(w.span(), "a warning is a percentage of the target from 1 to 99");
        }
        out.push(CaseTypeSpec {
            id,
            name: r.name.clone(),
            description: r.description.clone(),
            prefix,
            classes,
            targets,
            compliance,
            warnings: r.warnings.as_ref().map(|w| w.get_ref().clone()),
            escalate: r.escalate,
            prov: prov(&r.source, &r.reading, &r.note),
        });
    }
    out
}
