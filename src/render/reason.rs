//! Classification reasons in words: `timing 1 (Normal): judged on 2026-11-20 at clock start
//! 16:30`, `rule 2: impact 1, security incident → 1 Kritisk`, `matrix: impact 3 × timing 1 →
//! 3 Medel`, in a locale ([`ReasonMsg`]).

use super::msg::{Locale, fill};
use super::words::reason::ReasonMsg;
use crate::domain::agreement::Agreement;
use crate::domain::classify::{Basis, ChangeReason, Reason, RuleConditions};

/// A reason in words in `l`; names of priorities and timing classes come from `a` when given
/// (ids alone otherwise). The clause is not included (see [`cited`]).
pub fn reason(r: &Reason, a: Option<&Agreement>, l: Locale) -> String {
    match &r.basis {
        Basis::Timing {
            class,
            date,
            clock_start,
        } => {
            let name = a
                .and_then(|a| a.timing.as_ref())
                .and_then(|t| t.classes.iter().find(|c| &c.id == class))
                .map_or(String::new(), |c| {
                    fill(ReasonMsg::TimingName.text(l), &[("name", &c.name)])
                });
            fill(
                ReasonMsg::Timing.text(l),
                &[
                    ("class", class),
                    ("name", &name),
                    ("date", date),
                    ("time", &clock_start.format("%H:%M")),
                ],
            )
        }
        // A case of another type is classified by the class it was opened with.
        Basis::Rule { priority, .. } if a.is_some_and(|a| a.case_type.is_some()) => {
            super::case_type::CaseMsg::ClassNamed.say(l, &[("class", &priority_name(priority, a))])
        }
        Basis::Rule { index, when, priority } => fill(
            ReasonMsg::Rule.text(l),
            &[
                ("index", index),
                ("when", &describe(when, l)),
                ("priority", &priority_name(priority, a)),
            ],
        ),
        Basis::Matrix {
            impact,
            timing,
            priority,
        } => fill(
            ReasonMsg::Matrix.text(l),
            &[
                ("impact", impact),
                ("timing", timing),
                ("priority", &priority_name(priority, a)),
            ],
        ),
        Basis::Legacy { text } => text.clone(),
    }
}

/// The classification reasons of an incident of `agreement` (absent when it was removed),
/// each in words in `l` with its clause.
pub fn cited_all(reasons: &[Reason], agreement: Option<&Agreement>, l: Locale) -> Vec<String> {
    reasons.iter().map(|r| cited(r, agreement, l)).collect()
}

/// A reason in words in `l` with its clause: `… (clause 4.3)`. A reason stored as text whose
/// clause was not recognised is shown as it was.
pub fn cited(r: &Reason, a: Option<&Agreement>, l: Locale) -> String {
    let text = reason(r, a, l);
    if r.source.is_empty() && matches!(r.basis, Basis::Legacy { .. }) {
        text
    } else {
        fill(ReasonMsg::Cited.text(l), &[("text", &text), ("clause", &r.source)])
    }
}

/// Why a priority changed, in words in `l`: the deciding reasons (without clause), or the
/// manager's own text.
pub fn change_reason(c: &ChangeReason, a: Option<&Agreement>, l: Locale) -> String {
    match c {
        ChangeReason::Rules(rs) => rs.iter().map(|r| reason(r, a, l)).collect::<Vec<_>>().join("; "),
        ChangeReason::Manager(text) | ChangeReason::Legacy(text) => text.clone(),
    }
}

/// A readable form of a rule's conditions in `l`: `impact 1/2, no workaround`, or
/// `otherwise` when it has none.
pub fn describe(c: &RuleConditions, l: Locale) -> String {
    let mut parts = Vec::new();
    if let Some(v) = &c.impact {
        parts.push(fill(ReasonMsg::Impact.text(l), &[("values", &v.join("/"))]));
    }
    if let Some(v) = &c.timing {
        parts.push(fill(ReasonMsg::TimingIs.text(l), &[("values", &v.join("/"))]));
    }
    if let Some(s) = c.security {
        let m = if s { ReasonMsg::Security } else { ReasonMsg::NotSecurity };
        parts.push(m.text(l).to_string());
    }
    if let Some(w) = c.workaround {
        let m = if w {
            ReasonMsg::WorkaroundAvailable
        } else {
            ReasonMsg::NoWorkaround
        };
        parts.push(m.text(l).to_string());
    }
    if let Some(x) = c.users_over {
        parts.push(fill(ReasonMsg::UsersOver.text(l), &[("share", &x)]));
    }
    if let Some(x) = c.users_at_most {
        parts.push(fill(ReasonMsg::UsersAtMost.text(l), &[("share", &x)]));
    }
    if parts.is_empty() {
        ReasonMsg::Otherwise.text(l).to_string()
    } else {
        parts.join(", ")
    }
}

/// `1 Kritisk` when the agreement knows the priority, else the id alone.
fn priority_name(id: &str, a: Option<&Agreement>) -> String {
    a.and_then(|a| a.priority(id))
        .map_or(id.to_string(), |p| format!("{id} {}", p.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::classify::{Facts, classify};
    use crate::domain::incident::Event;
    use crate::domain::test_support::{agreement, t};

    fn reasons(id: &str, facts: Facts, at: &str) -> Vec<Reason> {
        classify(agreement(id), &facts, t(at)).expect("classifies").reasons
    }

    fn facts(impact: &str) -> Facts {
        Facts {
            impact: impact.into(),
            ..Facts::default()
        }
    }

    #[test]
    fn timing_and_matrix_read_as_before_and_the_same_when_stored() {
        let a = agreement("ssbtek");
        // Seconds of the clock start are kept as data, not shown.
        let rs = reasons("ssbtek", facts("1"), "2026-11-20T16:30:27+01:00");
        let class = &a.timing.as_ref().expect("timing").classes;
        let class = &class.iter().find(|c| c.id == "1").expect("timing 1").name;
        assert_eq!(
            rs.iter().map(|r| cited(r, Some(a), Locale::En)).collect::<Vec<_>>(),
            [
                format!("timing 1 ({class}): judged on 2026-11-20 at clock start 16:30 (clause 3.2, 4.3)"),
                "matrix: impact 1 × timing 1 → 1 Kritisk (clause 4.3)".to_string(),
            ]
        );
        // Without the agreement: ids alone.
        assert_eq!(
            rs.iter().map(|r| reason(r, None, Locale::En)).collect::<Vec<_>>(),
            [
                "timing 1: judged on 2026-11-20 at clock start 16:30",
                "matrix: impact 1 × timing 1 → 1",
            ]
        );
        let json = serde_json::to_string(&rs).expect("serialises");
        let stored: Vec<Reason> = serde_json::from_str(&json).expect("reads back");
        assert_eq!(stored, rs);
        assert!(!json.contains("Kritisk"), "names are looked up, not stored: {json}");
    }

    /// The deciding reason of SSBTEK's reclassification to impact 3 (the domain's
    /// `reclassify_recomputes_from_the_original_report_time` records it), in words.
    #[test]
    fn a_deciding_matrix_cell_reads_with_the_priority_name() {
        let deciding = Reason {
            basis: Basis::Matrix {
                impact: "3".into(),
                timing: "1".into(),
                priority: "3".into(),
            },
            source: "4.3".into(),
            reading: None,
        };
        assert_eq!(
            reason(&deciding, Some(agreement("ssbtek")), Locale::En),
            "matrix: impact 3 × timing 1 → 3 Medel"
        );
    }

    #[test]
    fn rules_keep_the_facts_they_compared() {
        let users = |share: f64, security: bool| Facts {
            users_affected: Some(share),
            security,
            ..facts("users")
        };
        let rs = reasons("borger-dk", users(30.0, false), "2026-11-20T10:00:00+01:00");
        assert_eq!(
            rs[0].basis,
            Basis::Rule {
                index: 3,
                when: RuleConditions {
                    impact: Some(vec!["users".into()]),
                    users_over: Some(20.0),
                    ..RuleConditions::default()
                },
                priority: "1".into(),
            }
        );
        let a = agreement("borger-dk");
        let text = |r: &[Reason]| reason(&r[0], Some(a), Locale::En);
        assert_eq!(
            text(&rs),
            "rule 3: impact users, more than 20% of users affected → 1 Kritisk (Major)"
        );
        let rs = reasons("borger-dk", users(5.0, false), "2026-11-20T10:00:00+01:00");
        assert_eq!(text(&rs), "rule 4: impact users, 5% or fewer users affected → 4 Lav");
        let rs = reasons("borger-dk", users(5.0, true), "2026-11-20T10:00:00+01:00");
        assert_eq!(text(&rs), "rule 1: security incident → 1 Kritisk (Major)");
        assert!(rs[0].reading.is_some());
        let rs = reasons("difi", facts("unavailable"), "2026-11-20T10:00:00+01:00");
        assert_eq!(
            reason(&rs[0], Some(agreement("difi")), Locale::En),
            "rule 3: impact unavailable, no workaround → A Kritisk"
        );
        assert_eq!(
            reason(&rs[0], None, Locale::En),
            "rule 3: impact unavailable, no workaround → A"
        );
        assert_eq!(describe(&RuleConditions::default(), Locale::En), "otherwise");
        let other = RuleConditions {
            timing: Some(vec!["1".into(), "2".into()]),
            security: Some(false),
            workaround: Some(true),
            ..RuleConditions::default()
        };
        assert_eq!(
            describe(&other, Locale::En),
            "timing 1/2, not a security incident, workaround available"
        );
    }

    #[test]
    fn timeline_rows_stored_as_text_still_read_and_render() {
        let a = agreement("ssbtek");
        let old = r#"{"type":"classified","priority":"1","timing":"1","reasons":["matrix: impact 1 × timing 1 → 1 Kritisk (clause 3.2)"]}"#;
        let Event::Classified { reasons, .. } = serde_json::from_str(old).expect("old classified row") else {
            panic!("not a classification");
        };
        assert_eq!(
            reasons,
            [Reason {
                basis: Basis::Legacy {
                    text: "matrix: impact 1 × timing 1 → 1 Kritisk".into()
                },
                source: "3.2".into(),
                reading: None,
            }]
        );
        for ag in [Some(&**a), None] {
            assert_eq!(
                cited(&reasons[0], ag, Locale::En),
                "matrix: impact 1 × timing 1 → 1 Kritisk (clause 3.2)"
            );
        }

        let old = r#"{"type":"priority_changed","from":"1","to":"3","reason":"matrix: impact 3 × timing 1 → 3 Medel","manual":false}"#;
        let e: Event = serde_json::from_str(old).expect("old priority row");
        let Event::PriorityChanged { reason, manual, .. } = &e else {
            panic!("not a priority change");
        };
        assert_eq!(
            *reason,
            ChangeReason::Legacy("matrix: impact 3 × timing 1 → 3 Medel".into())
        );
        assert!(!manual);
        assert_eq!(
            change_reason(reason, Some(a), Locale::En),
            "matrix: impact 3 × timing 1 → 3 Medel"
        );
        // Read once, written again: the same.
        let again: Event = serde_json::from_str(&serde_json::to_string(&e).expect("writes")).expect("reads");
        assert_eq!(again, e);

        let old = r#"{"type":"priority_changed","from":"1","to":"2","reason":"one municipality","manual":true}"#;
        let Event::PriorityChanged { reason, .. } = serde_json::from_str(old).expect("old override row") else {
            panic!("not a priority change");
        };
        assert_eq!(change_reason(&reason, None, Locale::En), "one municipality");

        // A text whose clause is not recognised is shown as it was.
        let odd: Reason = serde_json::from_str(r#""checked by hand""#).expect("a plain string");
        assert_eq!(cited(&odd, Some(a), Locale::En), "checked by hand");
    }

    #[test]
    fn incident_reasons_stored_as_text_still_read() {
        let old = r#"{"text":"rule 2: impact 1 → 1 Kritisk","source":"4.3","reading":"as read"}"#;
        let r: Reason = serde_json::from_str(old).expect("old incident reason");
        assert_eq!(
            r,
            Reason {
                basis: Basis::Legacy {
                    text: "rule 2: impact 1 → 1 Kritisk".into()
                },
                source: "4.3".into(),
                reading: Some("as read".into()),
            }
        );
        assert_eq!(cited(&r, None, Locale::En), "rule 2: impact 1 → 1 Kritisk (clause 4.3)");
    }

    #[test]
    fn priority_changes_round_trip() {
        let a = agreement("ssbtek");
        let rs = reasons("ssbtek", facts("3"), "2026-11-20T16:30:00+01:00");
        for reason in [
            ChangeReason::Rules(rs[1..].to_vec()),
            ChangeReason::Manager("one municipality".into()),
        ] {
            let e = Event::PriorityChanged {
                from: "1".into(),
                to: "3".into(),
                reason,
                manual: false,
            };
            let back: Event = serde_json::from_str(&serde_json::to_string(&e).expect("writes")).expect("reads");
            assert_eq!(back, e);
        }
        assert_eq!(
            change_reason(&ChangeReason::Rules(rs[1..].to_vec()), Some(a), Locale::En),
            "matrix: impact 3 × timing 1 → 3 Medel"
        );
    }
}
