//! Targets and compliance goals: one `[[targets]]` entry for every priority (`none` where the
//! text sets none), and goals that are percentages.

use super::*;

/// The `[[targets]]` section.
pub(super) fn targets(
    cx: &mut Ctx,
    raw: &RawAgreement,
    prio_ref: &[&str],
    sched_names: &[&str],
) -> Vec<PriorityTargets> {
    let mut targets: Vec<PriorityTargets> = Vec::new();
    for t in &raw.targets {
        let r = t.get_ref();
        let Some(p) = cx.reference(&r.priority, "priority", prio_ref) else {
            continue;
        };
        if targets.iter().any(|x| x.priority == p) {
            cx.err(r.priority.span(), format!("priority \"{p}\" has targets already"));
            continue;
        }
        let pid = r.priority.get_ref();
        let response = target(cx, pid, t.span(), r.response.as_ref(), "response", sched_names);
        let resolution = target(cx, pid, t.span(), r.resolution.as_ref(), "resolution", sched_names);
        if let (Some(response), Some(resolution)) = (response, resolution) {
            targets.push(PriorityTargets {
                priority: p,
                response,
                resolution,
                note: r.note.clone(),
            });
        }
    }
    for p in &raw.priorities {
        let pid = p.get_ref().id.get_ref();
        if !raw.targets.iter().any(|t| t.get_ref().priority.get_ref() == pid) {
            cx.err(
                p.span(),
                format!(
                    "priority \"{pid}\" has no [[targets]] entry (write `none = \"why\"` where the text sets none)"
                ),
            );
        }
    }
    targets
}

/// The `[compliance]` section.
pub(super) fn compliance(cx: &mut Ctx, raw: &RawAgreement) -> Option<Compliance> {
    raw.compliance.as_ref().map(|c| goals(cx, c))
}

/// A compliance table (the agreement's, or a case type's).
pub(super) fn goals(cx: &mut Ctx, c: &S<RawCompliance>) -> Compliance {
    {
        let r = c.get_ref();
        for v in [&r.response, &r.resolution].into_iter().flatten() {
            if !(0.0..=100.0).contains(v.get_ref()) {
                cx.err(v.span(), "a compliance goal is a percentage from 0 to 100");
            }
        }
        let mut scope = |v: &Option<S<String>>| match v.as_ref().map(|v| (v.get_ref().as_str(), v.span())) {
            None | Some(("overall", _)) => GoalScope::Overall,
            Some(("each_priority", _)) => GoalScope::EachPriority,
            Some((_, span)) => {
                cx.err(span, "a goal's scope is \"overall\" or \"each_priority\"");
                GoalScope::Overall
            }
        };
        let response_scope = scope(&r.response_scope);
        let resolution_scope = scope(&r.resolution_scope);
        Compliance {
            response: r.response.as_ref().map(|v| *v.get_ref()),
            resolution: r.resolution.as_ref().map(|v| *v.get_ref()),
            response_scope,
            resolution_scope,
            prov: prov(&r.source, &r.reading, &r.note),
        }
    }
}

/// One response or resolution target of priority (or class) `pid`, written in `owner`.
pub(super) fn target(
    cx: &mut Ctx,
    pid: &str,
    owner: Range<usize>,
    t: Option<&S<RawTarget>>,
    what: &str,
    sched_names: &[&str],
) -> Option<Target> {
    let Some(t) = t else {
        cx.err(
            owner,
            format!(
                "priority \"{pid}\" has no {what} target (write {what} = {{ none = \"why\" }} where the text sets none)"
            ),
        );
        return None;
    };
    let r = t.get_ref();
    let p = prov(r.source.as_deref().unwrap_or(""), &r.reading, &r.note);
    match (&r.within, &r.schedule, &r.none) {
        (Some(w), Some(s), None) => {
            let duration = cx.duration(w).filter(|d| {
                if is_zero(*d) {
                    cx.err(
                        w.span(),
                        format!(
                            "a {what} target of \"{}\" is zero: every incident would breach it at once (write {what} = {{ none = \"why\" }} where the text sets none)",
                            w.get_ref()
                        ),
                    );
                    false
                } else {
                    cx.within_bound(w, *d)
                }
            });
            let schedule = cx.reference(s, "schedule", sched_names);
            if r.source.is_none() {
                cx.err(
                    t.span(),
                    format!("the {what} target of \"{pid}\" needs a source clause"),
                );
            }
            Some(Target::Within {
                duration: duration?,
                schedule: schedule?,
                prov: p,
            })
        }
        (None, None, Some(why)) => {
            if why.trim().is_empty() {
                cx.err(t.span(), "`none` needs the reason why there is no target");
            }
            Some(Target::None {
                why: why.clone(),
                prov: p,
            })
        }
        _ => {
            cx.err(t.span(), format!("a {what} target is either {{ within = \"8h\", schedule = \"…\", source = \"…\" }} or {{ none = \"why\" }}"));
            None
        }
    }
}
