//! The timeline: one [`Event`] for each thing that happened to an incident, and the
//! [`TimelineEntry`] saying who did it when.

use super::state::{Milestone, Resolution};
use crate::domain::classify::{ChangeReason, Classified, Facts, Reason};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One thing that happened to an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// Reported.
    Opened {
        title: String,
        /// The description (empty when none was given, and in entries before 0.3).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        description: String,
        /// The affected service named at opening.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<String>,
    },
    /// Classified by the agreement's rules.
    Classified {
        priority: String,
        /// Timing class.
        timing: Option<String>,
        /// Reasons, in order.
        reasons: Vec<Reason>,
    },
    /// Deadlines set or recomputed.
    Deadlines {
        /// Response deadline.
        response_due: Option<DateTime<Utc>>,
        /// Resolution deadline.
        resolution_due: Option<DateTime<Utc>>,
        /// Whether this is a recomputation (from the original clock start).
        recomputed: bool,
    },
    /// A responder acknowledged it.
    Acknowledged,
    /// Marked as an outage of its service (or the marking changed).
    OutageMarked {
        kind: super::OutageKind,
        /// The start set by a manager (none: the report time).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start: Option<DateTime<Utc>>,
        /// The end set by a manager (none: the resolution).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        end: Option<DateTime<Utc>>,
        /// The sources answering, where the service's agreement counts them (SSBTEK 4.9).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answering: Option<u32>,
    },
    /// A human status note.
    StatusUpdate {
        note: String,
    },
    /// The structured fields of a human status update (those given).
    StatusFields {
        fields: super::state::StatusFields,
    },
    /// The bot posted a periodic status update.
    StatusPosted {
        /// Sequence number.
        seq: u32,
        /// Whether the lead was reminded to write an update.
        reminded_lead: bool,
    },
    FactsChanged {
        /// New facts.
        facts: Facts,
        /// The facts before (absent in entries written before 0.3).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<Facts>,
        /// Why, when a manager lowered the priority of a security incident or after a
        /// missed target.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    PriorityChanged {
        /// Before.
        from: String,
        /// After.
        to: String,
        /// Why (the deciding reason, or the manager's reason).
        reason: ChangeReason,
        /// Set by hand (override).
        manual: bool,
    },
    /// Escalated to a level of the ladder.
    Escalated {
        /// Which milestone slipped (none for a manual escalation).
        milestone: Option<Milestone>,
        /// Ladder level, 1-based.
        level: u32,
        /// Abstract role.
        role: String,
        /// By hand.
        manual: bool,
        /// Why (manual escalations).
        reason: Option<String>,
    },
    /// An unacknowledged incident's ladder level was paged again.
    Repaged {
        /// Ladder level, 1-based.
        level: u32,
        /// The re-page's number at that level.
        page: u32,
    },
    /// A pre-breach warning was sent.
    WarningSent {
        milestone: Milestone,
        /// Percent of the target used.
        percent: u32,
    },
    /// A follow-up from the agreement fell due.
    FollowUpDue {
        /// Follow-up id in the agreement file (older rows also hold its text; ignored).
        id: String,
    },
    Resolved {
        /// Fix or workaround.
        how: Resolution,
        note: Option<String>,
    },
    /// A milestone was met (acknowledged, resolved), on time or late against `due`.
    MilestoneMet {
        milestone: Milestone,
        /// The deadline in force.
        due: DateTime<Utc>,
    },
    /// A milestone's deadline passed unmet.
    MilestoneBreached {
        milestone: Milestone,
        /// The deadline missed.
        due: DateTime<Utc>,
    },
    Reopened {
        /// Why.
        reason: String,
    },
    Closed,
    /// The lead changed hands: taken by the actor, or given by them to `to`.
    LeadChanged {
        /// The lead before (none: the incident had no lead).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        /// The new lead.
        to: String,
    },
    /// The title or the description was edited (the old value is kept here).
    Edited {
        /// Which text.
        field: EditedField,
        /// The text before.
        before: String,
        /// The text after.
        after: String,
    },
    /// Status updates paused until `until` (deadlines and escalations go on).
    Snoozed {
        until: DateTime<Utc>,
        /// Why, as typed.
        reason: String,
    },
    /// Marked a duplicate of another incident (the resolution entries follow).
    MarkedDuplicate {
        /// The incident it duplicates.
        of: String,
    },
    /// Another incident was marked a duplicate of this one (it follows this one now).
    DuplicateLinked {
        /// The duplicate.
        duplicate: String,
    },
    /// A follow-up the agreement requires was marked done by the actor.
    FollowUpDone {
        /// Follow-up id in the agreement file.
        id: String,
    },
    /// A follow-up was announced ahead of its deadline (its lead time before it).
    FollowUpSoon {
        /// Follow-up id in the agreement file.
        id: String,
        /// When it falls due.
        due: DateTime<Utc>,
    },
    /// A manager waived a follow-up the agreement requires: it is not posted.
    FollowUpWaived {
        /// Follow-up id in the agreement file.
        id: String,
        /// Why it is not owed.
        reason: String,
    },
}

/// Which text of an incident was edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditedField {
    Title,
    Description,
}

/// A timeline entry: who did what when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (a user id, or `vakt` for the bot).
    pub actor: String,
    /// What.
    pub event: Event,
}

/// A timeline entry of `event` by `actor` at `at`.
pub(super) fn entry(at: DateTime<Utc>, actor: &str, event: Event) -> TimelineEntry {
    TimelineEntry {
        at,
        actor: actor.to_string(),
        event,
    }
}

/// The timeline event of a classification.
pub(super) fn classified_event(c: Classified) -> Event {
    Event::Classified {
        priority: c.priority,
        timing: c.timing,
        reasons: c.reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_written_before_facts_before_descriptions_and_services_still_read() {
        let old: Event = serde_json::from_str(
            r#"{"type":"facts_changed","facts":{"impact":"users","users_affected":null,"security":true,"workaround":false}}"#,
        )
        .expect("an old facts entry");
        assert!(matches!(old, Event::FactsChanged { before: None, reason: None, ref facts } if facts.security));
        let opened: Event = serde_json::from_str(r#"{"type":"opened","title":"Down"}"#).expect("an old opening");
        assert_eq!(
            opened,
            Event::Opened {
                title: "Down".into(),
                description: String::new(),
                service: None
            }
        );
    }
}
