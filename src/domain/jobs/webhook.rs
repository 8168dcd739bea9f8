//! Webhook deliveries: one job per configured target per notice, carrying the exact body
//! sent (so every retry sends the same bytes and the same delivery id), the kinds of notice a
//! target may choose, and the retry policy — exponential backoff with a cap, then dead. No
//! incident: a delivery is never cancelled by a change to its incident's plan.

use super::job::stored_enum;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The version of the JSON body (`"version"`); a change that breaks a consumer raises it.
pub const SCHEMA_VERSION: u32 = 1;

/// Attempts before a delivery is given up (dead).
pub const MAX_ATTEMPTS: i32 = 10;

/// The wait after a delivery's first failed attempt; doubled after each further one.
pub const FIRST_BACKOFF: Duration = Duration::seconds(30);

/// The longest wait between two attempts.
pub const MAX_BACKOFF: Duration = Duration::hours(1);

/// A planned delivery (stored as the job's payload, `kind: webhook`; no incident).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// The configured target's name.
    pub target: String,
    /// The delivery id: the `Vakt-Delivery` and `Idempotency-Key` headers and the body's `id`,
    /// the same on every attempt.
    pub delivery: String,
    /// What kind of notice it carries.
    pub event: String,
    /// The agreement it is about, for a target's `agreements` filter (and the logs).
    pub agreement: String,
    /// The JSON body, exactly as sent.
    pub body: String,
}

stored_enum!(
    /// The kinds of notice vakt sends, as named in a webhook body's `kind` and in a target's
    /// `kinds` filter.
    EventKind {
        /// An incident was opened.
        Opened = "opened",
        /// A responder acknowledged.
        Acknowledged = "acknowledged",
        /// A person posted a status update.
        Updated = "updated",
        /// A pre-breach warning.
        Warning = "warning",
        /// A breach escalated, or someone escalated by hand.
        Escalated = "escalated",
        /// Nobody acknowledged: paged again, or climbed.
        Repaged = "repaged",
        /// A periodic status update.
        Status = "status",
        /// A follow-up the agreement requires (ahead of its deadline, or due).
        FollowUp = "follow_up",
        /// One of the agreement's immediate notifications.
        Notification = "notification",
        /// The priority changed.
        PriorityChanged = "priority_changed",
        /// Resolved.
        Resolved = "resolved",
        /// Reopened.
        Reopened = "reopened",
        /// Closed.
        Closed = "closed",
        /// Status updates snoozed.
        Snoozed = "snoozed",
        /// Title or description edited.
        Edited = "edited",
        /// Marked a duplicate (and so resolved).
        MarkedDuplicate = "marked_duplicate",
        /// The lead changed hands.
        LeadChanged = "lead_changed",
        /// The agreement changed under the incident.
        AgreementChanged = "agreement_changed",
        /// A recurring post from the configuration.
        Recurring = "recurring",
        /// A weekly summary, monthly or annual report.
        Report = "report",
        /// A maintenance window's reminder.
        Maintenance = "maintenance",
        /// A meeting's reminder.
        MeetingReminder = "meeting_reminder",
    }
);

/// The job key of the delivery to `target` of the notice posted by job `source` (its row
/// id): one per target and notice, however often the posting job is retried.
pub fn key(target: &str, source: i64) -> String {
    format!("webhook/{target}/{source}")
}

/// The target named in a delivery's job key.
pub fn target_of_key(key: &str) -> Option<&str> {
    key.strip_prefix("webhook/")?.rsplit_once('/').map(|(t, _)| t)
}

/// When a delivery whose `attempts`-th attempt failed at `now` is tried again: 30 s after the
/// first, doubling to at most an hour; `None` once [`MAX_ATTEMPTS`] were made — it is dead.
pub fn retry_at(attempts: i32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let doublings = attempts.clamp(1, 20) - 1;
    let wait = FIRST_BACKOFF
        .checked_mul(1 << doublings)
        .map_or(MAX_BACKOFF, |w| w.min(MAX_BACKOFF));
    Some(now + wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_its_cap_and_gives_up() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let waits: Vec<i64> = (1..MAX_ATTEMPTS)
            .map(|n| (retry_at(n, now).expect("retried") - now).num_seconds())
            .collect();
        assert_eq!(waits[..4], [30, 60, 120, 240]);
        assert!(waits.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(*waits.last().expect("some"), 3600);
        assert_eq!(retry_at(MAX_ATTEMPTS, now), None);
    }

    #[test]
    fn keys_name_their_target() {
        assert_eq!(target_of_key(&key("status-portal", 42)), Some("status-portal"));
        assert_eq!(target_of_key("announce/INC-1/x"), None);
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(*k));
        }
    }
}
