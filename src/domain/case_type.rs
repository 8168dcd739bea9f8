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

use super::agreement::{Agreement, ClassificationRules, Conditions, Impact, Ladder, Rule};
pub use super::agreement::{CaseType, CaseTypeSpec, INCIDENT};
use std::sync::Arc;

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
            language: base.language,
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
            spec: self,
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
        assert!(
            v.escalation.levels.is_empty(),
            "problems do not climb the incident ladder"
        );
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

    #[test]
    fn a_type_that_escalates_keeps_the_ladder() {
        let a = agreement("ssbtek");
        let mut spec = a.case_type("order").expect("orders").spec.clone();
        spec.escalate = true;
        let t = spec.build(a);
        assert_eq!(t.view.escalation, a.escalation);
        assert_eq!(t.view.warnings.as_deref(), Some(&[50, 90][..]));
    }
}
