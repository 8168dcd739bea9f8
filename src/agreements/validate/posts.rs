//! What the bot posts on its own: status-update cadences, notifications on opening and
//! follow-ups, each for the priorities it names.

use super::*;
use crate::domain::incident::StatusField;

/// The `[[status_updates]]` section: one cadence per priority at most.
pub(super) fn status_updates(
    cx: &mut Ctx,
    raw: &RawAgreement,
    prio_ref: &[&str],
    sched_names: &[&str],
) -> Vec<StatusCadence> {
    let mut status_updates: Vec<StatusCadence> = Vec::new();
    for c in &raw.status_updates {
        let r = c.get_ref();
        let priorities = refs(cx, &r.priorities, "priority", prio_ref);
        for (p, s) in priorities.iter().zip(&r.priorities) {
            if status_updates.iter().any(|x| x.priorities.contains(p)) {
                cx.err(s.span(), format!("priority \"{p}\" has a status cadence already"));
            }
        }
        let every = match cx.duration(&r.every) {
            Some(BusinessDuration::Seconds(s)) if s >= 60 => Some(s),
            Some(_) => {
                cx.err(
                    r.every.span(),
                    "a status interval is minutes or hours (at least 1m), e.g. \"1h\"",
                );
                None
            }
            None => None,
        };
        let schedule = cx.reference(&r.schedule, "schedule", sched_names);
        let outside = outside_rule(cx, &r.outside);
        if let (Some(every), Some(schedule), Some(outside)) = (every, schedule, outside) {
            status_updates.push(StatusCadence {
                priorities,
                every,
                schedule,
                outside,
                required_fields: required_fields(cx, &r.required_fields),
                prov: prov(&r.source, &r.reading, &r.note),
            });
        }
    }
    status_updates
}

/// The `[[repaging]]` section: one per priority at most, every minutes or hours (at least
/// 1m), a limit of at least 1, a known readiness schedule.
pub(super) fn repaging(cx: &mut Ctx, raw: &RawAgreement, prio_ref: &[&str], sched_names: &[&str]) -> Vec<Repaging> {
    let mut out: Vec<Repaging> = Vec::new();
    for r in &raw.repaging {
        let r = r.get_ref();
        let priorities = refs(cx, &r.priorities, "priority", prio_ref);
        for (p, s) in priorities.iter().zip(&r.priorities) {
            if out.iter().any(|x| x.priorities.contains(p)) {
                cx.err(s.span(), format!("priority \"{p}\" has re-paging already"));
            }
        }
        let every = match cx.duration(&r.every) {
            Some(BusinessDuration::Seconds(s)) if s >= 60 => Some(s),
            Some(_) => {
                cx.err(
                    r.every.span(),
                    "a re-paging interval is minutes or hours (at least 1m), e.g. \"15m\"",
                );
                None
            }
            None => None,
        };
        let limit = *r.limit.get_ref();
        if limit == 0 {
            cx.err(r.limit.span(), "the re-paging limit is at least 1");
        }
        let schedule = cx.reference(&r.schedule, "schedule", sched_names);
        if let (Some(every), Some(schedule), true) = (every, schedule, limit > 0) {
            out.push(Repaging {
                priorities,
                every,
                limit,
                schedule,
                prov: prov(&r.source, &r.reading, &r.note),
            });
        }
    }
    out
}

/// The `[[notifications]]` section.
pub(super) fn notifications(cx: &mut Ctx, raw: &RawAgreement, prio_ref: &[&str]) -> Vec<Notification> {
    let mut notifications = Vec::new();
    for n in &raw.notifications {
        let r = n.get_ref();
        let priorities = refs(cx, &r.priorities, "priority", prio_ref);
        let to = match r.to.get_ref().as_str() {
            "escalation" => Some(NotifyWhom::Escalation),
            "ladder" => Some(NotifyWhom::Ladder),
            other => {
                cx.err(
                    r.to.span(),
                    format!("unknown recipient \"{other}\" (known: escalation, ladder)"),
                );
                None
            }
        };
        if let Some(to) = to {
            notifications.push(Notification {
                priorities,
                to,
                what: r.what.clone(),
                required_fields: required_fields(cx, &r.required_fields),
                prov: prov(&r.source, &r.reading, &r.note),
            });
        }
    }
    notifications
}

/// The `[[follow_ups]]` section: ids unique; `impacts`, when given, known impacts.
pub(super) fn follow_ups(
    cx: &mut Ctx,
    raw: &RawAgreement,
    prio_ref: &[&str],
    impact_ref: &[&str],
    sched_names: &[&str],
) -> Vec<FollowUp> {
    let mut follow_ups = Vec::new();
    check_ids(cx, "follow-up", raw.follow_ups.iter().map(|f| &f.get_ref().id));
    for f in &raw.follow_ups {
        let r = f.get_ref();
        let priorities = refs(cx, &r.priorities, "priority", prio_ref);
        let from = match r.from.get_ref().as_str() {
            "resolved" => Some(FollowFrom::Resolved),
            "opened" => Some(FollowFrom::Opened),
            other => {
                cx.err(
                    r.from.span(),
                    format!("unknown event \"{other}\" (known: resolved, opened)"),
                );
                None
            }
        };
        let after = cx.duration(&r.after).filter(|d| cx.within_bound(&r.after, *d));
        let schedule = cx.reference(&r.schedule, "schedule", sched_names);
        let lead = r.lead.as_ref().and_then(|l| {
            let d = cx.duration(l)?;
            let fits = match (after, d) {
                (Some(BusinessDuration::Seconds(n)), BusinessDuration::Seconds(l)) => l < n,
                (Some(BusinessDuration::WorkingDays(n)), BusinessDuration::WorkingDays(l))
                | (Some(BusinessDuration::CalendarDays(n)), BusinessDuration::CalendarDays(l)) => l < n,
                (None, _) => true,
                _ => false,
            };
            if !fits {
                cx.err(
                    l.span(),
                    "the lead must be shorter than `after` and in its unit (hours and minutes, wd or d)",
                );
            }
            Some(d).filter(|_| fits)
        });
        if let (Some(from), Some(after), Some(schedule)) = (from, after, schedule) {
            follow_ups.push(FollowUp {
                id: r.id.get_ref().clone(),
                priorities,
                from,
                after,
                lead,
                schedule,
                what: r.what.clone(),
                unless_resolved: r.unless_resolved,
                impacts: r.impacts.as_ref().map(|i| refs(cx, i, "impact", impact_ref)),
                satisfied_by_eta: match &r.satisfied_by {
                    None => false,
                    Some(s) if s.get_ref() == "eta" => true,
                    Some(s) => {
                        cx.err(
                            s.span(),
                            format!("unknown status field \"{}\" (known: eta)", s.get_ref()),
                        );
                        false
                    }
                },
                prov: prov(&r.source, &r.reading, &r.note),
            });
        }
    }
    follow_ups
}

/// A post's `required_fields`: known status field names, each once.
fn required_fields(cx: &mut Ctx, names: &[S<String>]) -> Vec<StatusField> {
    let mut out = Vec::new();
    for n in names {
        match StatusField::parse(n.get_ref()) {
            Some(f) if out.contains(&f) => cx.err(n.span(), format!("status field \"{}\" named twice", n.get_ref())),
            Some(f) => out.push(f),
            None => cx.err(
                n.span(),
                format!(
                    "unknown status field \"{}\" (known: {})",
                    n.get_ref(),
                    StatusField::ALL.map(StatusField::name).join(", ")
                ),
            ),
        }
    }
    out
}

fn outside_rule(cx: &mut Ctx, s: &S<String>) -> Option<Outside> {
    let v = s.get_ref().trim();
    if v == "next-open" {
        return Some(Outside::NextOpen);
    }
    if let Some(t) = v.strip_prefix("next-day ")
        && let Some(m) = crate::domain::time::Minute::parse(t.trim())
        && m.0 < 1440
    {
        return Some(Outside::NextDayAt(m));
    }
    cx.err(
        s.span(),
        format!("invalid outside rule \"{v}\" (expected \"next-open\" or \"next-day HH:MM\")"),
    );
    None
}
