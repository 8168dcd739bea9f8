//! Durable jobs, one module per kind. Each kind's module holds its stored spec (the job's
//! payload), its pure `fire` — given the job, the incident as stored, its agreement and
//! `now`: still due (post, with what to announce and what to record), lapsed or superseded,
//! and which jobs follow — and the type of what it announces. [`JobSpec`] is the one list of
//! kinds, as stored; [`job`] holds what every kind shares. The service's per-kind handlers
//! (`service::jobs::<kind>`) turn an announcement into a post.
//!
//! Adding a kind: a module here (spec, fire, announcement); in this file a variant of
//! [`JobSpec`] and of [`JobKind`] and their `kind()` and `from_spec!` lines; its handler in
//! `service::jobs` (its post and delivery) and its arm in the one dispatch there.

pub mod announce;
pub mod duty;
pub mod escalation;
pub mod follow_up;
pub mod job;
pub mod maintenance;
pub mod notify;
pub mod recurring;
pub mod repage;
pub mod status;
pub mod warning;
pub mod webhook;

pub use announce::Lifecycle;
pub use job::{Decision, Group, JobContext, JobOutcome, PlanError, Policy, RepagingOverride, Skip};

use job::stored_enum;
use serde::{Deserialize, Serialize};

/// A planned job of any kind.
pub type Planned = job::Planned<JobSpec>;

/// What a job does, with its data: each kind's spec, tagged by `kind` in the stored payload.
/// Payloads hold data only (ids, numbers, enums, and text a person typed); the words of a
/// post are chosen by the adapter that renders it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobSpec {
    /// A pre-breach warning to the responders.
    Warning(warning::Spec),
    /// A step of a breach's escalation.
    Escalation(escalation::Spec),
    /// A periodic status update.
    StatusUpdate(status::Spec),
    /// A follow-up from the agreement.
    FollowUp(follow_up::Spec),
    /// An immediate notification, or the post of a manual escalation.
    Notify(notify::Spec),
    /// A recurring post from the deployment's configuration.
    Recurring(recurring::Spec),
    /// The announcement of a change a person made.
    Announce(announce::Spec),
    /// A recurring duty of an agreement.
    Duty(duty::Spec),
    /// A page of an unacknowledged incident.
    Repage(repage::Spec),
    /// A maintenance window's reminder.
    Maintenance(maintenance::Spec),
    /// A notice's delivery to a webhook target.
    Webhook(webhook::Spec),
}

stored_enum!(
    /// The kinds of durable job, as stored beside each payload; each has one handler.
    JobKind {
        /// A pre-breach warning.
        Warning = "warning",
        /// A breach escalation to one ladder level.
        Escalation = "escalation",
        /// A periodic status update.
        StatusUpdate = "status_update",
        /// A follow-up the agreement requires.
        FollowUp = "follow_up",
        /// An immediate notification or a manual escalation's post.
        Notify = "notify",
        /// A recurring post (no incident).
        Recurring = "recurring",
        /// The announcement of a change a person made.
        Announce = "announce",
        /// A recurring duty of an agreement (summary, report, meeting reminder; no incident).
        Duty = "duty",
        /// A page of an unacknowledged incident (re-paging, then the climb).
        Repage = "repage",
        /// A maintenance window's reminder (no incident).
        Maintenance = "maintenance",
        /// A notice's delivery to a webhook target (no incident).
        Webhook = "webhook",
    }
);

impl JobSpec {
    /// The job's kind (stored beside the payload).
    pub fn kind(&self) -> JobKind {
        match self {
            JobSpec::Warning(_) => JobKind::Warning,
            JobSpec::Escalation(_) => JobKind::Escalation,
            JobSpec::StatusUpdate(_) => JobKind::StatusUpdate,
            JobSpec::FollowUp(_) => JobKind::FollowUp,
            JobSpec::Notify(_) => JobKind::Notify,
            JobSpec::Recurring(_) => JobKind::Recurring,
            JobSpec::Announce(_) => JobKind::Announce,
            JobSpec::Duty(_) => JobKind::Duty,
            JobSpec::Repage(_) => JobKind::Repage,
            JobSpec::Maintenance(_) => JobKind::Maintenance,
            JobSpec::Webhook(_) => JobKind::Webhook,
        }
    }
}

macro_rules! from_spec {
    ($($kind:ident => $variant:ident),* $(,)?) => {
        $(impl From<$kind::Spec> for JobSpec {
            fn from(s: $kind::Spec) -> Self {
                JobSpec::$variant(s)
            }
        })*
    };
}

from_spec!(
    warning => Warning,
    escalation => Escalation,
    status => StatusUpdate,
    follow_up => FollowUp,
    notify => Notify,
    recurring => Recurring,
    announce => Announce,
    duty => Duty,
    repage => Repage,
    maintenance => Maintenance,
    webhook => Webhook,
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Payloads as earlier versions stored them still load, as the kind they name, and
    /// store the same way again.
    #[test]
    fn stored_payloads_load_and_round_trip() {
        for payload in [
            json!({"kind": "warning", "milestone": "response", "percent": 50, "deadline": "2026-11-23T12:00:00Z"}),
            json!({"kind": "escalation", "milestone": "resolution", "level": 2, "role": "", "deadline": "2026-11-23T12:00:00Z"}),
            json!({"kind": "status_update", "seq": 3}),
            json!({"kind": "follow_up", "id": "rca"}),
            json!({"kind": "notify", "notification": 0, "whole_ladder": true}),
            json!({"kind": "notify", "whole_ladder": false, "level": 2, "reason": "db"}),
            json!({"kind": "recurring", "name": "weekly"}),
            json!({"kind": "announce", "event": "acknowledged", "actor": "rita"}),
            json!({"kind": "announce", "event": "resolved", "actor": "rita", "how": "fix"}),
            json!({"kind": "repage", "level": 1, "page": 2}),
        ] {
            let spec: JobSpec = serde_json::from_value(payload.clone()).expect("loads");
            assert_eq!(spec.kind().as_str(), payload["kind"], "{payload}");
            assert_eq!(serde_json::to_value(&spec).expect("stores"), payload);
        }
        // Rows written before 0.2: an escalation without a deadline, a notification's text.
        let old: JobSpec =
            serde_json::from_value(json!({"kind": "escalation", "milestone": "response", "level": 1})).expect("loads");
        assert!(matches!(
            old,
            JobSpec::Escalation(escalation::Spec { deadline: None, .. })
        ));
        let old: JobSpec =
            serde_json::from_value(json!({"kind": "notify", "whole_ladder": true, "what": "Ring 112"})).expect("loads");
        let JobSpec::Notify(n) = old else {
            panic!("a notification")
        };
        assert_eq!(n.legacy_text.as_deref(), Some("Ring 112"));
    }
}
