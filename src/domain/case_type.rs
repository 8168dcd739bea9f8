//! Case types other than incidents (orders, problems, change requests, enquiries): what an
//! agreement promises for each — its classes, their response and resolution targets, its
//! compliance goal, its warnings and whether it climbs the escalation ladder — and the
//! agreement *as a case of that type sees it* ([`CaseType::view`]).
//!
//! The view is an [`Agreement`] whose priorities and impacts are the type's classes, whose
//! classification is "the class named is the class", whose targets and goal are the type's
//! own, with no status cadence, notifications, follow-ups or re-paging, no service readiness
//! (that is incident handling, Difi 6.8.2), and the ladder only where the type escalates.
//! Every incident rule (deadlines from the clock start, warnings, breaches, outcomes,
//! reports) then holds for the case unchanged: a case is an incident whose agreement is the
//! view. Incidents themselves are the type [`INCIDENT`], the agreement as written.

use super::agreement::{
    Agreement, ClassificationRules, Compliance, Conditions, Impact, Ladder, Priority, PriorityTargets, Provenance, Rule,
};
use std::sync::Arc;

/// The id of the built-in case type: incidents, classified and targeted by the agreement's
/// own priorities.
pub const INCIDENT: &str = "incident";

/// A case type of an agreement (`[[case_types]]`).
#[derive(Debug, Clone)]
pub struct CaseType {
    /// Id cases name (`problem`, `change_request`).
    pub id: String,
    pub name: String,
    /// What the type covers.
    pub description: String,
    /// Prefix of its case ids (`SSB-PRB`): numbering is per type and year.
    pub prefix: String,
    /// Its classes, most urgent first; one when the text has none.
    pub classes: Vec<Priority>,
    /// Targets per class.
    pub targets: Vec<PriorityTargets>,
    /// The compliance goal (90 % within target), if the text sets one.
    pub compliance: Option<Compliance>,
    /// Warnings before each deadline, in percent of its business time; `None`: the
    /// deployment's (`warn_percents`).
    pub warnings: Option<Vec<u32>>,
    /// Whether breaches climb the agreement's escalation ladder.
    pub escalate: bool,
    /// Where the type comes from and how it was read.
    pub prov: Provenance,
    /// The agreement as cases of this type see it (see the module doc).
    pub view: Arc<Agreement>,
}

impl CaseType {
    /// The class with id `id`.
    pub fn class(&self, id: &str) -> Option<&Priority> {
        self.classes.iter().find(|c| c.id == id)
    }

    /// The class a case opened without one gets: the only class, when there is one.
    pub fn default_class(&self) -> Option<&str> {
        match self.classes.as_slice() {
            [only] => Some(&only.id),
            _ => None,
        }
    }
}

/// What a case type is made of, before its view exists.
#[derive(Debug, Clone)]
pub struct CaseTypeSpec {
    pub id: String,
    pub name: String,
    pub description: String,
    pub prefix: String,
    pub classes: Vec<Priority>,
    pub targets: Vec<PriorityTargets>,
    pub compliance: Option<Compliance>,
    pub warnings: Option<Vec<u32>>,
    pub escalate: bool,
    pub prov: Provenance,
}

impl CaseTypeSpec {
    /// The case type, with the view of `base` its cases see.
    pub fn build(self, base: &Agreement) -> CaseType {
        let impacts = self
            .classes
            .iter()
            .map(|c| Impact {
                id: c.id.clone(),
                name: c.name.clone(),
                description: c.description.clone(),
                prov: c.prov.clone(),
            })
            .collect();
        let rules = self
            .classes
            .iter()
            .map(|c| Rule {
                when: Conditions {
                    impact: Some(vec![c.id.clone()]),
                    ..Conditions::default()
                },
                priority: c.id.clone(),
                prov: c.prov.clone(),
            })
            .collect();
        let services = base
            .services
            .iter()
            .cloned()
            .map(|mut s| {
                s.readiness = None;
                s
            })
            .collect();
        let view = Agreement {
            id: base.id.clone(),
            name: base.name.clone(),
            incident_prefix: self.prefix.clone(),
            tz: base.tz,
            source: base.source.clone(),
            schedules: base.schedules.clone(),
            priorities: self.classes.clone(),
            impacts,
            timing: None,
            classification: ClassificationRules {
                rules,
                matrix: None,
                prov: self.prov.clone(),
            },
            targets: self.targets.clone(),
            compliance: self.compliance.clone(),
            status_updates: Vec::new(),
            notifications: Vec::new(),
            follow_ups: Vec::new(),
            escalation: if self.escalate {
                base.escalation.clone()
            } else {
                Ladder::default()
            },
            reports: base.reports.clone(),
            services,
            meetings: base.meetings.clone(),
            repaging: Vec::new(),
            case_types: Vec::new(),
            case_type: Some(self.id.clone()),
            warnings: self.warnings.clone(),
        };
        CaseType {
            id: self.id,
            name: self.name,
            description: self.description,
            prefix: self.prefix,
            classes: self.classes,
            targets: self.targets,
            compliance: self.compliance,
            warnings: self.warnings,
            escalate: self.escalate,
            prov: self.prov,
            view: Arc::new(view),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::test_support::agreement;

    #[test]
    fn a_view_classifies_by_the_class_named_and_keeps_the_types_targets() {
        let a = agreement("ssbtek");
        let problem = a.case_type("problem").expect("ssbtek problems");
        let v = &problem.view;
        assert_eq!(v.case_type.as_deref(), Some("problem"));
        assert_eq!(v.incident_prefix, problem.prefix);
        assert!(v.timing.is_none() && v.status_updates.is_empty() && v.repaging.is_empty());
        assert!(v.escalation.levels.is_empty(), "problems do not climb the incident ladder");
        assert_eq!(v.priorities.len(), 4);
        assert_eq!(v.targets.len(), 4);
        for c in &problem.classes {
            let facts = crate::domain::classify::Facts {
                impact: c.id.clone(),
                users_affected: None,
                security: false,
                workaround: false,
            };
            let at = chrono::DateTime::parse_from_rfc3339("2026-11-02T09:00:00Z")
                .expect("time")
                .to_utc();
            let got = crate::domain::classify::classify(v, &facts, at).expect("classified");
            assert_eq!(got.priority, c.id);
        }
        assert!(a.for_case_type("incident").is_some_and(|x| std::ptr::eq(x, &**a)));
        assert!(a.for_case_type("nonsense").is_none());
    }
}
