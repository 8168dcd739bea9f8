//! Follow-ups the agreement requires: counted from opening (posted once across replans; some
//! lapse when the incident is resolved in time) or from resolution. Each is announced its
//! lead time before it falls due and again at its deadline; one marked done or waived is not
//! announced again.

use super::job::{Fired, Group, JobContext, Skip};
use crate::domain::agreement::Agreement;
use crate::domain::incident::{BotAction, Incident};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A follow-up from the agreement, by its id in the agreement file (stored as the job's
/// payload, `kind: follow_up`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// Follow-up id.
    pub id: String,
    /// Set for the announcement ahead of the deadline: when the follow-up falls due. Unset:
    /// the follow-up is due now (its deadline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<DateTime<Utc>>,
}

/// What a due follow-up announces: the follow-up it was planned as.
pub type Announce = Spec;

/// Fires follow-up `id` at `now`: the announcement ahead of it when `due` is set (skipped
/// once the deadline has come, after downtime: the one at the deadline says it), else the
/// one at its deadline.
pub fn fire(
    a: &Agreement,
    inc: &Incident,
    job: &JobContext,
    id: &str,
    due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Fired<Announce, Spec> {
    let from_opening = matches!(job.group, Group::WhileOpen | Group::FromOpen);
    if job.group == Group::WhileOpen && !inc.state().is_active() {
        return Fired::skip(Skip::ResolvedInTime);
    }
    // A follow-up counted from opening falls at the same instant in every plan generation:
    // after a replan (priority change, reopen) it is not posted again.
    if from_opening && inc.opened_follow_up_posted(id) {
        return Fired::skip(Skip::AlreadyPosted);
    }
    if inc.follow_up_waived(id) {
        return Fired::skip(Skip::Waived);
    }
    if inc.follow_up_done(id) {
        return Fired::skip(Skip::Done);
    }
    if due.is_some_and(|d| now >= d) {
        return Fired::skip(Skip::OverdueAlready);
    }
    // The announcement ahead of a deadline is posted once: a replan between it and the
    // deadline plans it again (same deadline), and that one is not posted.
    if let Some(d) = due
        && inc.follow_up_announced(id, d)
    {
        return Fired::skip(Skip::AlreadyPosted);
    }
    let Some(f) = a.follow_ups.iter().find(|f| f.id == id) else {
        return Fired::skip(Skip::NoLongerInAgreement);
    };
    if f.satisfied_by_eta && inc.latest_fields().fields.eta.is_some() {
        return Fired::skip(Skip::Satisfied);
    }
    let announce = Announce {
        id: id.to_string(),
        due,
    };
    let action = match due {
        Some(due) => BotAction::FollowUpSoon {
            id: id.to_string(),
            due,
        },
        None => BotAction::FollowUpPosted {
            id: id.to_string(),
            from_opening,
        },
    };
    Fired::post(announce, action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::incident::Resolution;
    use crate::domain::jobs::job::Decision;
    use crate::domain::jobs::job::test_support::on_time;
    use crate::domain::test_support::{agreement, t};

    #[test]
    fn due_lapsed_repeated_and_unknown() {
        let a = agreement("inera");
        let f = a.follow_ups.first().expect("inera has follow-ups");
        let mut inc =
            crate::domain::test_support::open("inera", "INERA-2026-0001", "unusable", "2026-11-21T03:00:00+01:00");
        let at = t("2026-11-21T04:00:00+01:00");
        let job = on_time(Group::WhileOpen, at);
        let fired = fire(a, &inc, &job, &f.id, None, at);
        assert_eq!(
            fired.decision,
            Decision::Post(Announce {
                id: f.id.clone(),
                due: None
            })
        );
        // Recorded once: the same follow-up of a later plan is not posted again.
        inc.record(fired.action.as_ref().expect("action"), at);
        assert_eq!(
            fire(a, &inc, &job, &f.id, None, at).decision,
            Decision::Skip(Skip::AlreadyPosted)
        );
        assert_eq!(
            fire(a, &inc, &on_time(Group::WhileOpen, at), "gone", None, at).decision,
            Decision::Skip(Skip::NoLongerInAgreement)
        );
        // Lapsed: resolved in time.
        inc.resolve("rita", Resolution::Fix, None, at).expect("resolve");
        assert_eq!(
            fire(a, &inc, &job, "other", None, at).decision,
            Decision::Skip(Skip::ResolvedInTime)
        );
        // Counted from resolution: posted, and never marked as posted from opening.
        let after = fire(a, &inc, &on_time(Group::AfterResolved, at), &f.id, None, at);
        assert_eq!(
            after.action,
            Some(BotAction::FollowUpPosted {
                id: f.id.clone(),
                from_opening: false
            })
        );
    }
}
