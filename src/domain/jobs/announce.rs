//! Announcements of changes people made (opened, acknowledged, updated, priority changed,
//! resolved, reopened, closed, the lead handed over, edited, marked a duplicate, the agreement changed): always due once planned (each is news;
//! never cancelled), announcing the change itself.

use super::job::{Fired, Group, Planned};
use crate::domain::ids::{IncidentId, PriorityId, UserId};
use crate::domain::incident::{BotAction, Incident, StatusFields};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The announcement of a change a person made (stored as the job's payload,
/// `kind: announce`, with the change's fields beside it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// What changed.
    #[serde(flatten)]
    pub event: Lifecycle,
}

/// What a due announcement announces: the change.
pub type Announce = Lifecycle;

/// A change to an incident that is announced in its agreement's incident channel. User ids
/// and what people typed only: the adapter words it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Lifecycle {
    Opened {
        /// Who.
        actor: UserId,
    },
    Acknowledged {
        /// Who.
        actor: UserId,
    },
    /// A status update was added: a note and/or structured fields.
    Updated {
        /// Who.
        actor: UserId,
        /// The note as typed (empty when only fields were given).
        note: String,
        /// The structured fields given.
        #[serde(default, skip_serializing_if = "StatusFields::is_empty")]
        fields: StatusFields,
    },
    PriorityChanged {
        /// Who (the manager, for an override; who gave the new facts, for a reclassification).
        actor: UserId,
        /// Before.
        from: PriorityId,
        /// After.
        to: PriorityId,
        /// Set by hand (an override).
        manual: bool,
        /// The manager's reason, for an override.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    Resolved {
        /// Who.
        actor: UserId,
        /// Fix or workaround.
        how: crate::domain::incident::Resolution,
        /// The note as typed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    Reopened {
        /// Who.
        actor: UserId,
        /// Why, as typed.
        reason: String,
    },
    Closed {
        /// Who.
        actor: UserId,
    },
    /// Status updates were snoozed.
    Snoozed {
        /// Who.
        actor: UserId,
        /// Until when.
        until: DateTime<Utc>,
        /// Why, as typed.
        reason: String,
    },
    /// The title and/or description was edited.
    Edited {
        /// Who.
        actor: UserId,
        /// The title before, when it changed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title_before: Option<String>,
        /// Whether the description changed.
        #[serde(default)]
        description: bool,
    },
    /// Marked a duplicate of another incident, and resolved.
    MarkedDuplicate {
        /// Who.
        actor: UserId,
        /// The incident it duplicates.
        of: IncidentId,
    },
    /// The lead changed hands (taken by the actor, or given to `to`).
    LeadChanged {
        /// Who.
        actor: UserId,
        /// The lead before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<UserId>,
        /// The new lead.
        to: UserId,
    },
    /// The agreement file changed (targets, ladder or cadence): deadlines recomputed from the
    /// original clock start and the plan renewed.
    AgreementChanged {
        /// The response deadline before.
        #[serde(default)]
        response_before: Option<DateTime<Utc>>,
        /// The resolution deadline before.
        #[serde(default)]
        resolution_before: Option<DateTime<Utc>>,
    },
}

/// Fires the announcement of `event`: always due.
pub fn fire(event: &Lifecycle) -> Fired<Announce, Spec> {
    Fired::post(event.clone(), BotAction::Notified)
}

/// The announcement of `event` on `inc`, due at `now`, keyed by the incident's version (as
/// loaded, before the change): each change is announced once.
pub fn plan(inc: &Incident, event: Lifecycle, now: DateTime<Utc>) -> Planned<Spec> {
    let name = match &event {
        Lifecycle::Opened { .. } => "opened",
        Lifecycle::Acknowledged { .. } => "acknowledged",
        Lifecycle::Updated { .. } => "updated",
        Lifecycle::PriorityChanged { .. } => "priority",
        Lifecycle::Resolved { .. } => "resolved",
        Lifecycle::Reopened { .. } => "reopened",
        Lifecycle::Closed { .. } => "closed",
        Lifecycle::LeadChanged { .. } => "lead",
        Lifecycle::Edited { .. } => "edited",
        Lifecycle::Snoozed { .. } => "snoozed",
        Lifecycle::MarkedDuplicate { .. } => "duplicate",
        Lifecycle::AgreementChanged { .. } => "agreement-changed",
    };
    Planned {
        key: format!("{}/announce/v{}/{name}", inc.id(), inc.version()),
        group: Group::Announce,
        due_at: now,
        spec: Spec { event },
    }
}
