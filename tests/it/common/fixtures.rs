//! Stored-shape fixtures shared by the store tests: an incident in any state, built through
//! its serde shape.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use vakt::domain::classify::{Basis, Facts, Reason};
use vakt::domain::incident::{Incident, State};

fn mins(n: i64) -> Duration {
    Duration::minutes(n)
}

/// An incident in any state, built from its stored (serde) shape: the fields are private and
/// only the transitions change them, but a store must keep whatever state it is given.
pub fn incident(id: &str, agreement: &str, state: State, reported_at: DateTime<Utc>) -> Incident {
    let stored = json!({
        "id": id,
        "agreement": agreement,
        "title": format!("Login fails ({id})"),
        "description": "Users cannot log in — «æøå» \"quoted\"",
        "service": "portal",
        "reporter": "u-reporter",
        "facts": Facts {
            impact: "high".to_string(),
            users_affected: Some(37.5),
            security: false,
            workaround: true,
        },
        "computed_priority": "P2",
        "timing": "office",
        "reasons": [Reason {
            basis: Basis::Legacy {
                text: "High impact with a workaround".to_string(),
            },
            source: "3.2".to_string(),
            reading: None,
        }],
        "priority_override": null,
        "state": state,
        "reported_at": reported_at,
        "response_due": reported_at + mins(60),
        "resolution_due": reported_at + mins(480),
        "acknowledged_at": null,
        "resolved_at": null,
        "closed_at": null,
        "lead": null,
        "last_note": null,
        "last_note_at": null,
        "escalated": [0, 0],
        "manual_escalation": 0,
        "status_posted": 0,
        "last_status_at": null,
        "opened_follow_ups_posted": [],
        "level": 0,
        "recorded": [null, null],
        "settled_under": [null, null],
        "resolution_paused": 0,
        "last_human_at": null,
        "plan_basis": 0,
        "waived_follow_ups": [],
        "plan_generation": 0,
        "version": 0,
    });
    let inc: Incident = serde_json::from_value(stored.clone()).expect("an incident in its stored shape");
    assert_eq!(
        serde_json::to_value(&inc).unwrap(),
        stored,
        "the fixture names every field, and nothing else"
    );
    inc
}
