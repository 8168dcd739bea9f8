//! Immediate notifications (the agreement's "announce by phone") and the post of a manual
//! escalation: always due once planned.

use super::job::{Fired, Group, Planned, Skip};
use crate::domain::agreement::Agreement;
use crate::domain::incident::{BotAction, Incident};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An immediate notification (the agreement's "announce by phone"), or the post of a manual
/// escalation (stored as the job's payload, `kind: notify`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// Index of the notification in the agreement's `[[notifications]]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification: Option<usize>,
    /// Ping every ladder level, not only the first.
    pub whole_ladder: bool,
    /// Ping only this ladder level (1-based) instead: a manual escalation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u32>,
    /// The reason a person gave for a manual escalation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Text composed by versions before 0.2 (read, never written).
    #[serde(default, rename = "what", skip_serializing)]
    pub legacy_text: Option<String>,
}

/// What a due notification announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announce {
    /// One of the agreement's immediate notifications.
    Notification {
        /// Index in the agreement's notifications (none for rows written before 0.2).
        index: Option<usize>,
        /// Ping every ladder level.
        whole_ladder: bool,
        /// Text composed by versions before 0.2, for such rows.
        legacy_text: Option<String>,
    },
    /// A manual escalation's post, to one ladder level.
    ManualEscalation {
        /// Ladder level, 1-based.
        level: u32,
        /// The reason the person gave.
        reason: Option<String>,
    },
}

/// Fires a notification: `level` set means a manual escalation's post to that level.
pub fn fire(
    a: &Agreement,
    notification: Option<usize>,
    whole_ladder: bool,
    level: Option<u32>,
    reason: Option<&str>,
    legacy_text: Option<&str>,
) -> Fired<Announce, Spec> {
    if let Some(level) = level {
        return Fired::post(
            Announce::ManualEscalation {
                level,
                reason: reason.map(str::to_string),
            },
            BotAction::Notified,
        );
    }
    if notification.is_some_and(|i| i >= a.notifications.len()) {
        return Fired::skip(Skip::NoLongerInAgreement);
    }
    Fired::post(
        Announce::Notification {
            index: notification,
            whole_ladder,
            legacy_text: legacy_text.map(str::to_string),
        },
        BotAction::Notified,
    )
}

/// The post of a manual escalation of `inc` (as loaded) to `level`, for `reason`, due at
/// `now`.
pub fn manual_escalation(inc: &Incident, level: u32, reason: &str, now: DateTime<Utc>) -> Planned<Spec> {
    Planned {
        // The version makes two escalations at the same instant distinct.
        key: format!(
            "{}/manual-escalation/{}/v{}",
            inc.id(),
            now.timestamp_micros(),
            inc.version()
        ),
        group: Group::Notify,
        due_at: now,
        spec: Spec {
            notification: None,
            whole_ladder: false,
            level: Some(level),
            reason: Some(reason.trim().to_string()),
            legacy_text: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::jobs::job::Decision;
    use crate::domain::test_support::agreement;

    #[test]
    fn notifications_and_manual_escalations() {
        let a = agreement("altinn");
        assert!(matches!(
            fire(a, Some(0), false, None, None, None).decision,
            Decision::Post(Announce::Notification { index: Some(0), .. })
        ));
        assert_eq!(
            fire(a, Some(99), false, None, None, None).decision,
            Decision::Skip(Skip::NoLongerInAgreement)
        );
        assert_eq!(
            fire(a, None, false, Some(2), Some("db"), None).decision,
            Decision::Post(Announce::ManualEscalation {
                level: 2,
                reason: Some("db".into())
            })
        );
        // A row written before 0.2 keeps its text.
        assert!(matches!(
            fire(a, None, true, None, None, Some("old")).decision,
            Decision::Post(Announce::Notification {
                legacy_text: Some(_),
                whole_ladder: true,
                ..
            })
        ));
    }
}
