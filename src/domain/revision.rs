//! Reproducible reports: the incidents (id and version) a report was computed from, and what
//! changed between two computations of the same report. Pure data and set arithmetic.

use super::ids::IncidentId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One incident a report was computed from, at the store version it had (the report
/// engine's [`Source`](super::report::Source)).
pub use super::report::Source as ReportSource;

/// What changed between the sources of a stored report and a new computation of it, by
/// incident id, each list sorted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReportChanges {
    /// Incidents the new computation counts and the stored one did not.
    pub added: Vec<IncidentId>,
    /// Incidents the stored one counted and the new one does not.
    pub removed: Vec<IncidentId>,
    /// Incidents both count, at a different version (changed since).
    pub changed: Vec<IncidentId>,
}

impl ReportChanges {
    /// The changes from `old` to `new` sources.
    pub fn between(old: &[ReportSource], new: &[ReportSource]) -> Self {
        let old: BTreeMap<&IncidentId, i64> = old.iter().map(|s| (&s.incident, s.version)).collect();
        let new: BTreeMap<&IncidentId, i64> = new.iter().map(|s| (&s.incident, s.version)).collect();
        ReportChanges {
            added: new
                .keys()
                .filter(|k| !old.contains_key(*k))
                .map(|k| (*k).clone())
                .collect(),
            removed: old
                .keys()
                .filter(|k| !new.contains_key(*k))
                .map(|k| (*k).clone())
                .collect(),
            changed: new
                .iter()
                .filter(|(k, v)| old.get(*k).is_some_and(|o| o != *v))
                .map(|(k, _)| (*k).clone())
                .collect(),
        }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(id: &str, version: i64) -> ReportSource {
        ReportSource {
            incident: IncidentId::new(id),
            version,
        }
    }

    #[test]
    fn changes_name_added_removed_and_changed_incidents() {
        let old = [s("A-1", 3), s("A-2", 1), s("A-3", 5)];
        let new = [s("A-4", 1), s("A-1", 4), s("A-3", 5)];
        let c = ReportChanges::between(&old, &new);
        assert_eq!(c.added, [IncidentId::new("A-4")]);
        assert_eq!(c.removed, [IncidentId::new("A-2")]);
        assert_eq!(c.changed, [IncidentId::new("A-1")]);
        assert!(ReportChanges::between(&old, &old).is_empty());
    }
}
