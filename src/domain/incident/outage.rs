//! An incident marked as an outage of its service: full (unavailable) or degraded
//! (available with disturbance, SSBTEK 4.9: answers from three or more authorities), from
//! its start to its end — by default the incident's opening and resolution, a manager may
//! set either. Every marking and edit is in the timeline.

use super::event::{Event, TimelineEntry};
use super::{Incident, IncidentError, State};
use crate::domain::agreement::Service;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How unavailable the service was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutageKind {
    /// Unavailable: counts as downtime.
    Full,
    /// Available with disturbance: recorded, not downtime.
    Degraded,
}

/// The outage an incident records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outage {
    pub kind: OutageKind,
    /// Its start as set by a manager (none: the incident's report time).
    pub start: Option<DateTime<Utc>>,
    /// Its end as set by a manager (none: the incident's resolution).
    pub end: Option<DateTime<Utc>>,
    /// How many of the service's sources answered, where its agreement defines degraded by
    /// them (SSBTEK 4.9); the kind is already classified from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answering: Option<u32>,
}

impl Incident {
    /// The outage it records, if marked.
    pub fn outage(&self) -> Option<&Outage> {
        self.outage.as_ref()
    }

    /// The outage's kind and span as in force: its own start and end, else the report time
    /// and the resolution (none while unresolved: the outage goes on).
    pub fn outage_span(&self) -> Option<(OutageKind, DateTime<Utc>, Option<DateTime<Utc>>)> {
        let o = self.outage.as_ref()?;
        Some((o.kind, o.start.unwrap_or(self.reported_at), o.end.or(self.resolved_at)))
    }

    /// Marks it an outage of `kind` (as classified, see
    /// [`classify_outage`]), with `answering` sources answering
    /// where counted, or changes the marking; `start` and `end` replace the defaults when
    /// given. Refused on a closed incident and for an end not after the start.
    pub fn mark_outage(
        &mut self,
        actor: &str,
        kind: OutageKind,
        (start, end): (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
        answering: Option<u32>,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        if self.state == State::Closed {
            return Err(IncidentError::IllegalTransition {
                action: "mark as an outage",
                state: self.state,
            });
        }
        let new = Outage {
            kind,
            start,
            end,
            answering,
        };
        let before = self.outage;
        if before == Some(new) {
            return Err(IncidentError::Unchanged("the outage"));
        }
        self.outage = Some(new);
        if let Some((_, s, Some(e))) = self.outage_span()
            && e <= s
        {
            self.outage = before;
            return Err(IncidentError::OutageEndsBeforeStart);
        }
        Ok(vec![TimelineEntry {
            at: now,
            actor: actor.to_string(),
            event: Event::OutageMarked {
                kind,
                start,
                end,
                answering,
            },
        }])
    }
}

/// Why an outage marking does not fit the service's definition of degraded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DegradedError {
    /// The service defines degraded by sources answering, and the marking did not say how
    /// many answer.
    #[error(
        "service \"{service}\" counts an outage as degraded only with answers from {min} or more sources ({clause}): say how many answer with answering:N"
    )]
    AnsweringNeeded { service: String, min: u32, clause: String },
    /// A number of sources answering given for a service that does not count them.
    #[error("service \"{service}\" does not define degraded by sources answering: leave out answering")]
    AnsweringNotDefined { service: String },
}

/// The kind an outage marked `kind` with `answering` sources answering is on service `sv`:
/// where the service defines degraded by sources (SSBTEK 4.9), a degraded marking needs the
/// count and is degraded with at least `min_sources` answering, else full; a full marking
/// may give the count (kept as given). A count on a service without the definition is
/// refused.
pub fn classify_outage(sv: &Service, kind: OutageKind, answering: Option<u32>) -> Result<OutageKind, DegradedError> {
    match (&sv.degraded, kind, answering) {
        (None, _, Some(_)) => Err(DegradedError::AnsweringNotDefined { service: sv.id.clone() }),
        (None, k, None) | (Some(_), k @ OutageKind::Full, _) => Ok(k),
        (Some(d), OutageKind::Degraded, None) => Err(DegradedError::AnsweringNeeded {
            service: sv.id.clone(),
            min: d.min_sources,
            clause: d.prov.source.clone(),
        }),
        (Some(d), OutageKind::Degraded, Some(n)) if n >= d.min_sources => Ok(OutageKind::Degraded),
        (Some(_), OutageKind::Degraded, Some(_)) => Ok(OutageKind::Full),
    }
}
