//! What an agreement as loaded means for an incident planned under an earlier one: one
//! verdict ([`fate`]) that `vakt agreements check --against`, the start-up adoption and the
//! job runner all use, and adopting a change.

use super::Incident;
use super::error::IncidentError;
use super::event::TimelineEntry;
use super::fingerprint::{PlanBasis, legacy_plan_basis};
use crate::domain::agreement::Agreement;
use chrono::{DateTime, Utc};

/// What adopting a changed agreement did: the response and resolution deadlines before, and
/// the timeline entries.
pub type Adopted = (Option<DateTime<Utc>>, Option<DateTime<Utc>>, Vec<TimelineEntry>);

/// What the agreement as loaded means for an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Its plan was made from this agreement as loaded (or it is too old to tell): nothing
    /// to do.
    Unchanged,
    /// Its fingerprint was written by an earlier version and matches: store it in the current
    /// form, silently (no replan, no announcement).
    Refingerprint,
    /// The targets, ladder or cadence of its priority changed: replan from the original clock
    /// start and announce it.
    Replan,
    /// Its agreement is not loaded: it stays readable and closable; its jobs are cancelled.
    AgreementGone,
    /// Its priority in force is not in the agreement any more: it stays readable and
    /// closable; its jobs are cancelled.
    PriorityGone,
}

impl Fate {
    /// Whether nothing the incident's plan names can run any more (its jobs are cancelled).
    pub fn cancels_jobs(self) -> bool {
        matches!(self, Fate::AgreementGone | Fate::PriorityGone)
    }
}

/// The verdict for `inc` when its agreement is loaded as `a` (`None`: not loaded).
pub fn fate(inc: &Incident, a: Option<&Agreement>) -> Fate {
    let Some(a) = a else {
        return Fate::AgreementGone;
    };
    if a.priority(inc.priority()).is_none() {
        return Fate::PriorityGone;
    }
    match &inc.plan_basis {
        b if b.is_none() => Fate::Unchanged,
        PlanBasis::Legacy(old) if *old == legacy_plan_basis(a, inc.priority()) => Fate::Refingerprint,
        PlanBasis::Legacy(_) => Fate::Replan,
        current if *current == PlanBasis::of(a, inc.priority()) => Fate::Unchanged,
        PlanBasis::Canonical(_) => Fate::Replan,
    }
}

impl Incident {
    /// Whether the agreement as loaded now differs from the one the plan was made from (its
    /// targets, ladder or cadence for the priority in force): [`fate`] says to replan.
    pub fn agreement_changed(&self, a: &Agreement) -> bool {
        fate(self, Some(a)) == Fate::Replan
    }

    /// The stored plan fingerprint.
    pub fn plan_basis(&self) -> &PlanBasis {
        &self.plan_basis
    }

    /// Re-writes a fingerprint written by an earlier version in the current form, when
    /// [`fate`] says [`Fate::Refingerprint`]; changes nothing else (no timeline entry, no new
    /// plan). Returns whether it changed the incident.
    pub fn refingerprint(&mut self, a: &Agreement) -> bool {
        if fate(self, Some(a)) != Fate::Refingerprint {
            return false;
        }
        self.plan_basis = PlanBasis::of(a, self.priority());
        true
    }

    /// After the agreement file changed: recomputes the deadlines from the original clock
    /// start and renews the plan, keeping recorded outcomes and the ladder level. Returns the
    /// deadlines before, for the announcement.
    pub fn adopt_changed_agreement(&mut self, a: &Agreement, now: DateTime<Utc>) -> Result<Adopted, IncidentError> {
        let before = (self.response_due, self.resolution_due);
        let saved = self.clone();
        match self.recompute(a, now) {
            Ok(events) => Ok((before.0, before.1, events)),
            Err(e) => {
                *self = saved;
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::{agreement, ssbtek_p1};

    /// The incident as stored, with its fingerprint replaced by `basis` (as JSON).
    fn stored_with(inc: &Incident, basis: serde_json::Value) -> Incident {
        let mut v = serde_json::to_value(inc).expect("serialises");
        v["plan_basis"] = basis;
        serde_json::from_value(v).expect("reads back")
    }

    #[test]
    fn one_verdict_for_each_way_an_agreement_can_meet_an_incident() {
        let a = agreement("ssbtek");
        let inc = ssbtek_p1();
        // Stored and read back: the same fingerprint, the same verdict.
        let back = stored_with(&inc, serde_json::to_value(inc.plan_basis()).expect("json"));
        assert_eq!(back, inc);
        assert_eq!(back.plan_basis(), &PlanBasis::of(a, "1"));
        assert_eq!(fate(&back, Some(a)), Fate::Unchanged);
        // Not loaded; its priority gone (another agreement's priorities).
        assert_eq!(fate(&inc, None), Fate::AgreementGone);
        assert_eq!(fate(&inc, Some(agreement("altinn"))), Fate::PriorityGone);
        assert!(fate(&inc, None).cancels_jobs() && !Fate::Replan.cancels_jobs());
        // Planned under other targets: replan (also from a fingerprint of an earlier version).
        let other = PlanBasis::of(a, "2");
        let moved = stored_with(&inc, serde_json::to_value(&other).expect("json"));
        assert_eq!(fate(&moved, Some(a)), Fate::Replan);
        assert!(moved.agreement_changed(a));
        let legacy_other = stored_with(&inc, legacy_plan_basis(a, "2").into());
        assert_eq!(fate(&legacy_other, Some(a)), Fate::Replan);
        // Rows from before fingerprints: nothing to compare with.
        assert_eq!(fate(&stored_with(&inc, 0.into()), Some(a)), Fate::Unchanged);
    }

    #[test]
    fn a_matching_fingerprint_of_an_earlier_version_is_rewritten_and_nothing_else() {
        let a = agreement("ssbtek");
        let inc = ssbtek_p1();
        let mut legacy = stored_with(&inc, legacy_plan_basis(a, "1").into());
        assert!(legacy.plan_basis().is_legacy());
        assert_eq!(fate(&legacy, Some(a)), Fate::Refingerprint);
        assert!(!legacy.agreement_changed(a), "not a change to announce");
        assert!(legacy.refingerprint(a));
        assert_eq!(legacy, inc, "only the fingerprint changed, to the current form");
        assert_eq!(fate(&legacy, Some(a)), Fate::Unchanged);
        assert!(!legacy.refingerprint(a), "once");
    }
}
