//! Why a change to an incident was refused.

use super::state::State;
use crate::domain::agreement::Agreement;
use crate::domain::classify::ClassifyError;

/// Why a change to an incident was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IncidentError {
    /// Not allowed in the current state.
    #[error("cannot {action} an incident that is {state}")]
    IllegalTransition {
        /// What was attempted.
        action: &'static str,
        /// Current state.
        state: State,
    },
    /// Classification or deadline computation failed.
    #[error(transparent)]
    Classify(#[from] ClassifyError),
    /// The priority does not exist in the agreement.
    #[error("unknown priority \"{priority}\" (known: {known})")]
    UnknownPriority {
        /// Given.
        priority: String,
        /// Known ids.
        known: String,
    },
    /// A required text is empty.
    #[error("an outage must end after it starts")]
    OutageEndsBeforeStart,
    #[error("{0} must not be empty")]
    Empty(&'static str),
    /// The change would change nothing.
    #[error("{0} is already what you asked for; nothing changed")]
    Unchanged(&'static str),
    /// Lowering the priority of an incident that missed a deadline is a manager's call.
    #[error("lowering priority {from} to {to} after a missed deadline needs a manager")]
    NeedsManager {
        /// Priority in force.
        from: String,
        /// Priority asked for.
        to: String,
    },
    /// Lowering the priority of a security incident is a manager's call, with a reason.
    #[error("lowering priority {from} to {to} of a security incident needs a manager and a reason")]
    SecurityNeedsManager {
        /// Priority in force.
        from: String,
        /// Priority asked for.
        to: String,
    },
    /// A manager lowering a priority where that needs a manager must say why.
    #[error("lowering priority {from} to {to} here needs a reason (reason:\"…\")")]
    LoweringNeedsReason {
        /// Priority in force.
        from: String,
        /// Priority asked for.
        to: String,
    },
    /// The agreement requires no such follow-up of this incident's priority.
    #[error("no follow-up \"{id}\" is owed for this incident (owed: {known})")]
    UnknownFollowUp {
        /// Given.
        id: String,
        /// The follow-ups the agreement requires for the incident's priority.
        known: String,
    },
    /// The follow-up was posted already: there is nothing left to waive.
    #[error("follow-up \"{0}\" was posted already; nothing to waive")]
    AlreadyPosted(String),
    /// The follow-up was settled already (done or waived).
    #[error("follow-up {id} is {how} already; nothing changed")]
    FollowUpSettled {
        /// Follow-up id.
        id: String,
        /// `done` or `waived`.
        how: &'static str,
    },
    /// An edit that names no text to change.
    #[error("name what to change: title:\"…\" or description:\"…\"")]
    NothingToEdit,
    /// A snooze ends in the past (or now).
    #[error("a snooze must end after now")]
    SnoozeInThePast,
    /// Snoozing for longer than a day is a manager's call.
    #[error("snoozing status updates for longer than a day needs a manager")]
    SnoozeNeedsManager,
    /// An incident cannot duplicate itself.
    #[error("an incident cannot be a duplicate of itself")]
    DuplicateOfItself,
    /// Already at the top of the escalation ladder.
    #[error("already at the top of the escalation ladder (level {level}); nobody was pinged again")]
    TopOfLadder {
        /// The level reached.
        level: u32,
    },
}

impl IncidentError {
    /// `priority` is not one of agreement `a`'s priorities (the error lists those it has).
    pub fn unknown_priority(a: &Agreement, priority: &str) -> Self {
        IncidentError::UnknownPriority {
            priority: priority.to_string(),
            known: a
                .priorities
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}
