//! Pre-breach warnings: due while the milestone is unmet and its deadline is the one the
//! warning was planned for.

use super::{Announce, Fired, Skip};
use crate::domain::incident::{BotAction, Incident, Milestone};
use chrono::{DateTime, Utc};

/// Fires a warning at `percent` of `milestone`'s target, planned for `deadline`.
pub fn fire(inc: &Incident, milestone: Milestone, percent: u32, deadline: DateTime<Utc>) -> Fired {
    if inc.met(milestone) {
        return Fired::skip(Skip::MilestoneMet);
    }
    if inc.due(milestone) != Some(deadline) {
        return Fired::skip(Skip::Superseded);
    }
    Fired::post(
        Announce::Warning {
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
    use crate::domain::fire::Decision;
    use crate::domain::test_support::{ssbtek_p1, t};

    #[test]
    fn due_lapsed_and_superseded() {
        let mut inc = ssbtek_p1();
        let due = inc.response_due().expect("P1 has a response target");
        // Due: unmet, same deadline.
        let f = fire(&inc, Milestone::Response, 50, due);
        assert!(matches!(f.decision, Decision::Post(Announce::Warning { percent: 50, .. })));
        assert_eq!(
            f.action,
            Some(BotAction::Warned {
                milestone: Milestone::Response,
                percent: 50
            })
        );
        // Superseded: planned for another deadline (a replan moved it).
        let f = fire(&inc, Milestone::Response, 50, due + chrono::Duration::hours(1));
        assert_eq!(f.decision, Decision::Skip(Skip::Superseded));
        // Lapsed: acknowledged.
        inc.acknowledge("alice", t("2026-11-20T16:40:00+01:00")).expect("ack");
        let f = fire(&inc, Milestone::Response, 75, due);
        assert_eq!(f.decision, Decision::Skip(Skip::MilestoneMet));
        assert_eq!(f.action, None);
        // The resolution warning is still due.
        let rdue = inc.resolution_due().expect("resolution target");
        assert!(matches!(
            fire(&inc, Milestone::Resolution, 90, rdue).decision,
            Decision::Post(_)
        ));
    }
}
