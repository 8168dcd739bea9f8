//! Pre-breach warnings: at fractions of each target's business time, on the target's own
//! schedule; due while the milestone is unmet and its deadline is the one the warning was
//! planned for. A due warning announces what it was planned as.
//!
//! One warning of a milestone is planned at a time: the first still ahead when the incident
//! is planned ([`next`], from `plan::plan_milestones`), and each warning that posts plans
//! the one after it. A warning that lapses plans nothing: the milestone was met, a replan
//! planned warnings of its own, or the deadline passed and the breach says more. So an open
//! writes one warning row per target instead of one per point, and a resolve or an
//! acknowledgement cancels one.

use super::job::{Fired, Group, PlanError, Planned, Policy, Skip, schedule};
use crate::domain::agreement::Agreement;
use crate::domain::classify::Deadline;
use crate::domain::clock::BusinessDuration;
use crate::domain::incident::{BotAction, Incident, Milestone};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A pre-breach warning to the responders (stored as the job's payload, `kind: warning`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    pub milestone: Milestone,
    /// Percent of the target's business time used when it fires.
    pub percent: u32,
    /// The deadline the warning was planned for (a moved deadline supersedes it).
    pub deadline: DateTime<Utc>,
}

/// What a due warning announces: the warning as planned.
pub type Announce = Spec;

/// The warning points of deadline `dl`, `m`'s deadline in force, in order: (percent, when).
/// Warnings fall at the case type's percents where it sets them, else the policy's, of the
/// target's business time (the resolution target's excluding the time the incident stood
/// resolved); one less than the policy's floor (wall time) after the point kept before it
/// collapses into that one.
fn points(
    a: &Agreement,
    inc: &Incident,
    p: &Policy,
    m: Milestone,
    dl: &Deadline,
) -> Result<Vec<(u32, DateTime<Utc>)>, PlanError> {
    let s = schedule(a, &dl.schedule)?;
    // The target's own business time: the resolution deadline also holds the time the
    // incident stood resolved, which is not time used. A point after that pause (every
    // point still ahead when a reopen replans) lies the pause further on.
    let paused = if m == Milestone::Resolution {
        inc.resolution_paused()
    } else {
        0
    };
    let total = s.between(dl.clock_start, dl.at)? - paused;
    let mut out: Vec<(u32, DateTime<Utc>)> = Vec::new();
    for &pct in a.warnings.as_deref().unwrap_or(&p.warn_percents) {
        if pct == 0 || pct >= 100 {
            continue;
        }
        let used = total * i64::from(pct) / 100;
        let at = s
            .add(dl.clock_start, BusinessDuration::Seconds(used + paused))?
            .deadline;
        if out
            .last()
            .is_some_and(|&(_, k)| (at - k).num_seconds() < p.warning_floor)
        {
            continue;
        }
        out.push((pct, at));
    }
    Ok(out)
}

/// The next warning of `m` to plan: the first point past `after` percent that is still ahead
/// of `now` (points already behind are not announced late), for the deadline in force.
pub fn next(
    a: &Agreement,
    inc: &Incident,
    p: &Policy,
    m: Milestone,
    after: u32,
    now: DateTime<Utc>,
) -> Result<Option<Planned<Spec>>, PlanError> {
    (inc.deadline_in_force(a, m)?).map_or(Ok(None), |dl| next_of(a, inc, p, m, &dl, after, now))
}

/// [`next`] for `dl`, `m`'s deadline in force (as planning has it at hand).
pub(crate) fn next_of(
    a: &Agreement,
    inc: &Incident,
    p: &Policy,
    m: Milestone,
    dl: &Deadline,
    after: u32,
    now: DateTime<Utc>,
) -> Result<Option<Planned<Spec>>, PlanError> {
    let found = (points(a, inc, p, m, dl)?)
        .into_iter()
        .find(|&(pct, at)| pct > after && at > now);
    Ok(found.map(|(percent, at)| Planned {
        key: format!("{}/g{}/{}/warn{percent}", inc.id(), inc.plan_generation(), m.as_str()),
        group: Group::of(m),
        due_at: at,
        spec: Spec {
            milestone: m,
            percent,
            deadline: dl.at,
        },
    }))
}

/// Fires a warning at `percent` of `milestone`'s target, planned for `deadline`; one that
/// fires only after the deadline passed (after downtime) is dropped: the breach says more.
/// A warning that posts plans the next one ([`next`]).
pub fn fire(
    a: &Agreement,
    inc: &Incident,
    p: &Policy,
    spec: &Spec,
    now: DateTime<Utc>,
) -> Result<Fired<Announce, Spec>, PlanError> {
    let Spec {
        milestone,
        percent,
        deadline,
    } = *spec;
    if inc.met(milestone) {
        return Ok(Fired::skip(Skip::MilestoneMet));
    }
    if inc.due(milestone) != Some(deadline) {
        return Ok(Fired::skip(Skip::Superseded));
    }
    if now >= deadline {
        return Ok(Fired::skip(Skip::OverdueAlready));
    }
    let mut fired = Fired::post(spec.clone(), BotAction::Warned { milestone, percent });
    fired.next.extend(next(a, inc, p, milestone, percent, now)?);
    Ok(fired)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::jobs::job::Decision;
    use crate::domain::test_support::{agreement, ssbtek_p1, t};

    fn spec(milestone: Milestone, percent: u32, deadline: DateTime<Utc>) -> Spec {
        Spec {
            milestone,
            percent,
            deadline,
        }
    }

    #[test]
    fn due_lapsed_and_superseded() {
        let (a, p) = (agreement("ssbtek"), Policy::default());
        let fire = |inc: &Incident, s: Spec, now| fire(a, inc, &p, &s, now).expect("fires");
        let mut inc = ssbtek_p1();
        let due = inc.response_due().expect("P1 has a response target");
        // Due: unmet, same deadline.
        let f = fire(
            &inc,
            spec(Milestone::Response, 50, due),
            due - chrono::Duration::minutes(5),
        );
        assert!(matches!(f.decision, Decision::Post(Announce { percent: 50, .. })));
        assert_eq!(
            f.action,
            Some(BotAction::Warned {
                milestone: Milestone::Response,
                percent: 50
            })
        );
        // Superseded: planned for another deadline (a replan moved it).
        let later = due + chrono::Duration::hours(1);
        let f = fire(&inc, spec(Milestone::Response, 50, later), due);
        assert_eq!(f.decision, Decision::Skip(Skip::Superseded));
        assert!(f.next.is_empty());
        // Overdue already (fired late, after the deadline): dropped, and nothing follows.
        let f = fire(&inc, spec(Milestone::Response, 50, due), due);
        assert_eq!(f.decision, Decision::Skip(Skip::OverdueAlready));
        assert!(f.next.is_empty());
        // Lapsed: acknowledged.
        inc.acknowledge("alice", t("2026-11-20T16:40:00+01:00")).expect("ack");
        let f = fire(&inc, spec(Milestone::Response, 75, due), due);
        assert_eq!(f.decision, Decision::Skip(Skip::MilestoneMet));
        assert_eq!(f.action, None);
        assert!(f.next.is_empty());
        // The resolution warning is still due.
        let rdue = inc.resolution_due().expect("resolution target");
        assert!(matches!(
            fire(&inc, spec(Milestone::Resolution, 90, rdue), due).decision,
            Decision::Post(_)
        ));
    }

    #[test]
    fn each_warning_that_posts_plans_the_next_point_still_ahead() {
        let (a, p) = (agreement("ssbtek"), Policy::default());
        let inc = ssbtek_p1();
        // 8 h resolution from Friday 16:30: 50 % Monday 11:30, 75 % 13:30, 90 % 14:42.
        let dl = (inc.deadline_in_force(a, Milestone::Resolution))
            .expect("deadlines")
            .expect("a target");
        let rdue = inc.resolution_due().expect("resolution target");
        assert_eq!(dl.at, rdue);
        let pts = points(a, &inc, &p, Milestone::Resolution, &dl).expect("points");
        assert_eq!(
            pts,
            [
                (50, t("2026-11-23T11:30:00+01:00")),
                (75, t("2026-11-23T13:30:00+01:00")),
                (90, t("2026-11-23T14:42:00+01:00")),
            ]
        );
        // The chain: 50 plans 75, 75 plans 90, 90 plans nothing.
        let mut s = spec(Milestone::Resolution, 50, rdue);
        let mut now = pts[0].1;
        let mut seen = vec![];
        loop {
            let f = fire(a, &inc, &p, &s, now).expect("fires");
            assert!(matches!(f.decision, Decision::Post(_)));
            seen.push(s.percent);
            let Some(n) = f.next.into_iter().next() else { break };
            assert_eq!(n.key, format!("{}/g0/resolution/warn{}", inc.id(), n.spec.percent));
            assert_eq!(n.group, Group::Resolution);
            (s, now) = (n.spec, n.due_at);
        }
        assert_eq!(seen, [50, 75, 90]);
        // Fired late (after downtime), a warning plans the next point still ahead, not one
        // already behind.
        let f = fire(a, &inc, &p, &spec(Milestone::Resolution, 50, rdue), pts[1].1).expect("fires");
        assert_eq!(f.next.iter().map(|n| n.spec.percent).collect::<Vec<_>>(), [90]);
        let f = fire(a, &inc, &p, &spec(Milestone::Resolution, 50, rdue), pts[2].1).expect("fires");
        assert!(f.next.is_empty());
    }
}
