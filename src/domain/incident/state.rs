//! Where an incident is in its life, its two milestones, and the small values its
//! transitions take: a manager's override and how it was resolved.

use crate::domain::agreement::StatusField;
use crate::domain::ids::PriorityId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an incident is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Reported, nobody has taken it yet.
    Open,
    /// A responder has acknowledged it (the response milestone).
    Acknowledged,
    /// Fixed or worked around (the resolution milestone).
    Resolved,
    /// Done; no more work.
    Closed,
}

impl State {
    /// Lower-case name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Acknowledged => "acknowledged",
            State::Resolved => "resolved",
            State::Closed => "closed",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "open" => State::Open,
            "acknowledged" => State::Acknowledged,
            "resolved" => State::Resolved,
            "closed" => State::Closed,
            _ => return None,
        })
    }

    /// Whether the incident still needs work (open or acknowledged).
    pub fn is_active(self) -> bool {
        matches!(self, State::Open | State::Acknowledged)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The two SLA milestones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// Response: met by acknowledging.
    Response,
    /// Resolution: met by resolving.
    Resolution,
}

impl Milestone {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Milestone::Response => "response",
            Milestone::Resolution => "resolution",
        }
    }
}

/// A manager's manual priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// The priority set.
    pub priority: PriorityId,
    /// Who set it.
    pub by: String,
    /// Why.
    pub reason: String,
}

/// The structured part of a status update: what is hit, who and how many, why, and when it
/// is expected to be resolved. Each is optional; what people typed, kept as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusFields {
    /// Which area or function is hit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Who and how many are affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affected: Option<String>,
    /// The cause, as far as known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The expected resolution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eta: Option<chrono::DateTime<chrono::Utc>>,
}

impl StatusFields {
    /// Whether no field is given.
    pub fn is_empty(&self) -> bool {
        *self == StatusFields::default()
    }
}

/// The latest value of each status field, with when it was given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatestFields {
    /// The fields as last given (each the latest of its kind).
    #[serde(default)]
    pub fields: StatusFields,
    /// When each was given: area, affected, cause, eta.
    #[serde(default)]
    pub at: [Option<chrono::DateTime<chrono::Utc>>; 4],
}

impl LatestFields {
    /// Whether none was ever given.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Whether field `f` was ever given.
    pub fn has(&self, f: StatusField) -> bool {
        self.at[f.index()].is_some()
    }

    /// The fields of `required` never given, in `required`'s order.
    pub fn missing(&self, required: &[StatusField]) -> Vec<StatusField> {
        required.iter().copied().filter(|f| !self.has(*f)).collect()
    }
}

/// How an incident was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    Fix,
    /// A workaround is in place.
    Workaround,
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::STATES;
    use super::*;

    #[test]
    fn states_round_trip() {
        for s in STATES {
            assert_eq!(State::parse(s.as_str()), Some(s));
            assert_eq!(s.to_string(), s.as_str());
        }
        assert_eq!(State::parse("pending"), None);
        assert!(State::Open.is_active() && State::Acknowledged.is_active());
        assert!(!State::Resolved.is_active() && !State::Closed.is_active());
    }
}
