//! Breach escalations: due while the milestone is unmet and its ladder level is not reached
//! yet; the role pinged is the level's role in the agreement as loaded now.

use super::{Announce, Fired, Skip};
use crate::domain::agreement::Agreement;
use crate::domain::incident::{BotAction, Incident, Milestone};

/// Fires the escalation of `milestone`'s breach to ladder `level` (1-based).
pub fn fire(a: &Agreement, inc: &Incident, milestone: Milestone, level: u32) -> Fired {
    if inc.met(milestone) {
        return Fired::skip(Skip::MilestoneMet);
    }
    if inc.breach_level(milestone) >= level {
        return Fired::skip(Skip::LevelReached);
    }
    let (Some(step), Some(deadline)) = (
        level.checked_sub(1).and_then(|i| a.escalation.levels.get(i as usize)),
        inc.due(milestone),
    ) else {
        return Fired::skip(Skip::NoLongerInAgreement);
    };
    Fired::post(
        Announce::Breach {
            milestone,
            level,
            deadline,
        },
        BotAction::Escalated {
            milestone,
            level,
            role: step.role.clone(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fire::Decision;
    use crate::domain::test_support::{agreement, ssbtek_p1, t};

    #[test]
    fn due_reached_lapsed_and_off_the_ladder() {
        let a = agreement("ssbtek");
        let mut inc = ssbtek_p1();
        let f = fire(a, &inc, Milestone::Response, 1);
        assert!(matches!(f.decision, Decision::Post(Announce::Breach { level: 1, .. })));
        let Some(BotAction::Escalated { role, .. }) = &f.action else {
            panic!("records the escalation: {f:?}")
        };
        assert_eq!(role, &a.escalation.levels[0].role);
        // Superseded: the level was reached (recorded by the first firing).
        inc.record(f.action.as_ref().expect("action"), t("2026-11-20T17:00:00+01:00"));
        assert_eq!(inc.breach_level(Milestone::Response), 1);
        assert_eq!(
            fire(a, &inc, Milestone::Response, 1).decision,
            Decision::Skip(Skip::LevelReached)
        );
        // A level the ladder no longer has.
        assert_eq!(
            fire(a, &inc, Milestone::Response, 99).decision,
            Decision::Skip(Skip::NoLongerInAgreement)
        );
        // Lapsed: acknowledged.
        inc.acknowledge("alice", t("2026-11-20T17:10:00+01:00")).expect("ack");
        assert_eq!(
            fire(a, &inc, Milestone::Response, 2).decision,
            Decision::Skip(Skip::MilestoneMet)
        );
    }
}
