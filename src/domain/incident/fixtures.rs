//! Incidents for the incident module's unit tests.

use super::*;
use crate::domain::classify::Facts;
use crate::domain::test_support::{agreement, t};

pub(super) fn facts(impact: &str) -> Facts {
    Facts {
        impact: impact.into(),
        ..Facts::default()
    }
}

pub(super) fn ssbtek_open() -> (Incident, Vec<TimelineEntry>) {
    let new = NewIncident {
        title: "  SHS down  ".into(),
        description: "no calls answered".into(),
        reporter: "rita".into(),
        facts: facts("1"),
        service: None,
        reported_at: t("2026-11-20T16:30:00+01:00"),
    };
    Incident::open(agreement("ssbtek"), Incident::make_id("SSB", 2026, 7), new).expect("opens")
}

pub(super) fn in_state(s: State) -> Incident {
    let (mut inc, _) = ssbtek_open();
    if s == State::Open {
        return inc;
    }
    inc.acknowledge("alice", t("2026-11-20T16:40:00+01:00")).expect("ack");
    if s == State::Acknowledged {
        return inc;
    }
    inc.resolve("alice", Resolution::Fix, None, t("2026-11-20T16:50:00+01:00"))
        .expect("resolve");
    if s == State::Resolved {
        return inc;
    }
    inc.close("boss", t("2026-11-20T16:55:00+01:00")).expect("close");
    assert_eq!(inc.state, State::Closed);
    inc
}

pub(super) fn bytes(i: &Incident) -> String {
    serde_json::to_string(i).expect("serialises")
}

/// Every state, in order.
pub(super) const STATES: [State; 4] = [State::Open, State::Acknowledged, State::Resolved, State::Closed];
