//! What a changed agreement file does to an open incident: the fingerprint of what its
//! plan was made from, and adopting the change.

use super::Incident;
use super::error::IncidentError;
use super::event::TimelineEntry;
use crate::domain::agreement::Agreement;
use chrono::{DateTime, Utc};

/// What adopting a changed agreement did: the response and resolution deadlines before, and
/// the timeline entries.
pub type Adopted = (Option<DateTime<Utc>>, Option<DateTime<Utc>>, Vec<TimelineEntry>);

/// A fingerprint of what an incident's plan is made from: the priority's targets, the
/// escalation ladder and the status cadence, as loaded. A changed agreement file changes it.
pub fn plan_basis(a: &Agreement, priority: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!(
        "{:?}|{:?}|{:?}",
        a.targets.iter().find(|t| t.priority == priority),
        a.escalation.levels,
        a.cadence_for(priority)
    )
    .hash(&mut h);
    h.finish()
}

impl Incident {
    /// Whether the agreement as loaded now differs from the one the plan was made from (its
    /// targets, ladder or cadence for the priority in force).
    pub fn agreement_changed(&self, a: &Agreement) -> bool {
        self.plan_basis != 0 && self.plan_basis != plan_basis(a, self.priority())
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
