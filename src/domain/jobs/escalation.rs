//! Breach escalations, one ladder per incident. Step 1 is the breach itself: announced at the
//! incident's current level (level 1 when it was not escalated yet), recorded as the
//! milestone's breach. Each further step, one escalation interval of business time later,
//! climbs one level from there, until the top of the ladder. A level already reached (by
//! hand) is not pinged again, but the climb goes on. After downtime the step now due is
//! computed from the business time passed since the breach, so one post names the level now
//! due and the levels passed.

use super::job::{Fired, Group, PlanError, Planned, Policy, Skip};
use crate::domain::agreement::Agreement;
use crate::domain::clock::{BusinessDuration, ClockError};
use crate::domain::incident::{BotAction, Incident, Milestone};
use crate::domain::schedule::Schedule;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A step of a breach's escalation (stored as the job's payload, `kind: escalation`): step 1
/// is the breach itself (announced at the incident's current level, or level 1), each further
/// step one level up, one escalation interval of business time later. Rows before 0.2 named
/// absolute levels; read the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// Milestone that slipped.
    pub milestone: Milestone,
    /// The step, 1-based.
    pub level: u32,
    /// The level's abstract role when planned (informational; the ladder as loaded wins).
    #[serde(default)]
    pub role: String,
    /// The deadline the step was planned for (a moved deadline supersedes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DateTime<Utc>>,
}

/// What a due step announces: a breach, or a step of its escalation, at a ladder level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    /// Milestone that slipped.
    pub milestone: Milestone,
    /// Ladder level now reached, 1-based.
    pub level: u32,
    /// The deadline that was missed.
    pub deadline: DateTime<Utc>,
    /// Levels passed without a post of their own (vakt was down when they fell due).
    pub passed: Vec<u32>,
}

/// When step `step` (1-based) of a breach at `breach` falls: `step − 1` intervals later.
pub fn escalation_time(
    s: &Schedule,
    breach: DateTime<Utc>,
    interval: BusinessDuration,
    times: u32,
) -> Result<DateTime<Utc>, ClockError> {
    let mut t = breach;
    for _ in 0..times {
        t = s.add(t, interval)?.deadline;
    }
    Ok(t)
}

/// Fires step `step` (1-based) of `milestone`'s escalation, planned for `deadline` (none
/// for rows written before 0.2).
pub fn fire(
    a: &Agreement,
    inc: &Incident,
    policy: &Policy,
    milestone: Milestone,
    step: u32,
    deadline: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Fired<Breach, Spec>, PlanError> {
    if inc.met(milestone) {
        return Ok(Fired::skip(Skip::MilestoneMet));
    }
    let Some(due) = inc.due(milestone) else {
        return Ok(Fired::skip(Skip::NoLongerInAgreement));
    };
    if deadline.is_some_and(|d| d != due) {
        return Ok(Fired::skip(Skip::Superseded));
    }
    let top = a.escalation.levels.len() as u32;
    if top == 0 {
        return Ok(Fired::skip(Skip::NoLongerInAgreement));
    }
    let Some(dl) = inc.deadline_in_force(a, milestone)? else {
        return Ok(Fired::skip(Skip::NoLongerInAgreement));
    };
    let s = a
        .schedule(&dl.schedule)
        .ok_or_else(|| PlanError::UnknownSchedule(dl.schedule.clone()))?;
    // The step due now: one more per whole interval of business time since the breach.
    let interval = match policy.escalation_interval {
        BusinessDuration::Seconds(n) if n > 0 => n,
        _ => 3600,
    };
    let elapsed = s.between(due, now)?.max(0);
    let step = step.max(1 + u32::try_from(elapsed / interval).unwrap_or(u32::MAX));
    let current = inc.escalation_level();
    let first = !inc.breach_recorded(milestone);
    let base = if first {
        current.max(1)
    } else {
        inc.recorded(milestone).map_or(1, |r| r.base_level.max(1))
    };
    let target = base.saturating_add(step - 1).min(top);
    let role = |level: u32| a.escalation.levels[level as usize - 1].role.clone();
    let mut fired = if first {
        Fired::post(
            Breach {
                milestone,
                level: target,
                deadline: due,
                passed: (current + 1..target).collect(),
            },
            BotAction::Breached {
                milestone,
                due,
                level: target,
                base,
                role: role(target),
            },
        )
    } else if target <= current {
        Fired::skip(Skip::LevelReached)
    } else {
        Fired::post(
            Breach {
                milestone,
                level: target,
                deadline: due,
                passed: (current + 1..target).collect(),
            },
            BotAction::Escalated {
                milestone,
                level: target,
                role: role(target),
            },
        )
    };
    if target < top {
        let next = step + 1;
        fired.next.push(Planned {
            key: format!(
                "{}/g{}/{}/esc{next}",
                inc.id(),
                inc.plan_generation(),
                milestone.as_str()
            ),
            group: Group::of(milestone),
            due_at: escalation_time(s, due, policy.escalation_interval, next - 1)?,
            spec: Spec {
                milestone,
                level: next,
                role: String::new(),
                deadline: Some(due),
            },
        });
    }
    Ok(fired)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::jobs::job::Decision;
    use crate::domain::test_support::{agreement, ssbtek_p1, t};

    #[test]
    fn breach_climbs_one_ladder_and_stops_at_its_top() {
        let a = agreement("ssbtek");
        let p = Policy::default();
        let mut inc = ssbtek_p1();
        let due = inc.response_due().expect("P1 has a response target");
        // Due: the breach at level 1; the next step is planned one interval later.
        let f = fire(a, &inc, &p, Milestone::Response, 1, Some(due), due).expect("fires");
        assert!(matches!(
            &f.decision,
            Decision::Post(Breach { level: 1, passed, .. }) if passed.is_empty()
        ));
        assert_eq!(f.next.len(), 1, "SSBTEK's ladder has two levels");
        inc.record(f.action.as_ref().expect("action"), due);
        assert!(inc.breach_recorded(Milestone::Response));
        assert_eq!(inc.escalation_level(), 1);
        // Step 2: level 2, the top; nothing after it.
        let at = f.next[0].due_at;
        let f = fire(a, &inc, &p, Milestone::Response, 2, Some(due), at).expect("fires");
        assert!(matches!(&f.decision, Decision::Post(Breach { level: 2, .. })));
        assert!(f.next.is_empty());
        inc.record(f.action.as_ref().expect("action"), at);
        // Superseded: planned for another deadline.
        let other = fire(
            a,
            &inc,
            &p,
            Milestone::Response,
            2,
            Some(due + chrono::Duration::hours(1)),
            at,
        );
        assert_eq!(other.expect("fires").decision, Decision::Skip(Skip::Superseded));
        // Lapsed: acknowledged.
        inc.acknowledge("alice", at).expect("ack");
        let f = fire(a, &inc, &p, Milestone::Response, 2, Some(due), at).expect("fires");
        assert_eq!(f.decision, Decision::Skip(Skip::MilestoneMet));
    }

    #[test]
    fn a_later_breach_announces_at_the_current_level_and_late_firing_catches_up() {
        let a = agreement("ssbtek");
        let p = Policy::default();
        let mut inc = ssbtek_p1();
        // Escalated by hand to the top (level 2) before the response breach.
        inc.escalate(a, "bob", "urgent", t("2026-11-20T16:40:00+01:00"))
            .expect("1");
        inc.escalate(a, "bob", "urgent", t("2026-11-20T16:41:00+01:00"))
            .expect("2");
        let due = inc.response_due().expect("due");
        let f = fire(a, &inc, &p, Milestone::Response, 1, Some(due), due).expect("fires");
        assert!(matches!(&f.decision, Decision::Post(Breach { level: 2, .. })));
        assert!(f.next.is_empty(), "already at the top");
        // Late: fired hours after the breach (vakt was down): one post, at the level now due.
        let mut inc = ssbtek_p1();
        let due = inc.response_due().expect("due");
        let late = t("2026-11-23T12:00:00+01:00");
        let f = fire(a, &inc, &p, Milestone::Response, 1, Some(due), late).expect("fires");
        assert!(matches!(
            &f.decision,
            Decision::Post(Breach { level: 2, passed, .. }) if passed == &vec![1]
        ));
        inc.record(f.action.as_ref().expect("action"), late);
        assert_eq!(inc.escalation_level(), 2);
    }

    #[test]
    fn after_a_caught_up_breach_the_climb_goes_on_one_level_per_interval() {
        // Altinn A (4 levels), resolution due 15:00 on the 24/7 platform schedule; vakt down
        // 14:59–16:30: at 16:30 the breach posts level 2 (level 1 passed); at 17:00, step 3,
        // level 3 — not 4; at 18:00 level 4.
        let a = agreement("altinn");
        let p = Policy::default();
        let mut inc =
            crate::domain::test_support::open("altinn", "ALT-2026-0001", "unavailable", "2026-06-10T10:00:00+02:00");
        let due = inc.resolution_due().expect("due");
        assert_eq!(due, t("2026-06-10T15:00:00+02:00"));
        let late = t("2026-06-10T16:30:00+02:00");
        let f = fire(a, &inc, &p, Milestone::Resolution, 1, Some(due), late).expect("fires");
        assert!(matches!(&f.decision, Decision::Post(Breach { level: 2, .. })));
        inc.record(f.action.as_ref().expect("action"), late);
        let next = &f.next[0];
        assert_eq!(next.due_at, t("2026-06-10T17:00:00+02:00"));
        let step = next.spec.level;
        let f = fire(a, &inc, &p, Milestone::Resolution, step, Some(due), next.due_at).expect("fires");
        assert!(matches!(&f.decision, Decision::Post(Breach { level: 3, passed, .. }) if passed.is_empty()));
        inc.record(f.action.as_ref().expect("action"), next.due_at);
        assert_eq!(f.next[0].due_at, t("2026-06-10T18:00:00+02:00"));
    }
}
