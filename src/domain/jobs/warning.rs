//! Pre-breach warnings: planned at fractions of each target's business time (see
//! `plan::plan_milestones`); due while the milestone is unmet and its deadline is the one the
//! warning was planned for. A due warning announces what it was planned as.

use super::job::{Fired, Skip};
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

/// Fires a warning at `percent` of `milestone`'s target, planned for `deadline`; one that
/// fires only after the deadline passed (after downtime) is dropped: the breach says more.
pub fn fire(
    inc: &Incident,
    milestone: Milestone,
    percent: u32,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Fired<Announce, Spec> {
    if inc.met(milestone) {
        return Fired::skip(Skip::MilestoneMet);
    }
    if inc.due(milestone) != Some(deadline) {
        return Fired::skip(Skip::Superseded);
    }
    if now >= deadline {
        return Fired::skip(Skip::OverdueAlready);
    }
    Fired::post(
        Announce {
            milestone,
            percent,
            deadline,
        },
        BotAction::Warned { milestone, percent },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::jobs::job::Decision;
    use crate::domain::test_support::{ssbtek_p1, t};

    #[test]
    fn due_lapsed_and_superseded() {
        let mut inc = ssbtek_p1();
        let due = inc.response_due().expect("P1 has a response target");
        // Due: unmet, same deadline.
        let f = fire(&inc, Milestone::Response, 50, due, due - chrono::Duration::minutes(5));
        assert!(matches!(f.decision, Decision::Post(Announce { percent: 50, .. })));
        assert_eq!(
            f.action,
            Some(BotAction::Warned {
                milestone: Milestone::Response,
                percent: 50
            })
        );
        // Superseded: planned for another deadline (a replan moved it).
        let f = fire(&inc, Milestone::Response, 50, due + chrono::Duration::hours(1), due);
        assert_eq!(f.decision, Decision::Skip(Skip::Superseded));
        // Overdue already (fired late, after the deadline): dropped.
        let f = fire(&inc, Milestone::Response, 50, due, due);
        assert_eq!(f.decision, Decision::Skip(Skip::OverdueAlready));
        let f = fire(&inc, Milestone::Response, 50, due + chrono::Duration::hours(1), due);
        assert_eq!(f.decision, Decision::Skip(Skip::Superseded));
        // Lapsed: acknowledged.
        inc.acknowledge("alice", t("2026-11-20T16:40:00+01:00")).expect("ack");
        let f = fire(&inc, Milestone::Response, 75, due, due);
        assert_eq!(f.decision, Decision::Skip(Skip::MilestoneMet));
        assert_eq!(f.action, None);
        // The resolution warning is still due.
        let rdue = inc.resolution_due().expect("resolution target");
        assert!(matches!(
            fire(&inc, Milestone::Resolution, 90, rdue, due).decision,
            Decision::Post(_)
        ));
    }
}
