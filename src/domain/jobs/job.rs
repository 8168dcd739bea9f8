//! What every job kind shares: the stored names of cancellation groups, a planned
//! job, the planning policy, and what firing a job decides (post or skip, what the incident
//! records, what follows) and how it ended. Each kind's module (`super::<kind>`) builds on
//! these; nothing here names a kind.

use crate::domain::agreement::{Agreement, Repaging};
use crate::domain::classify::ClassifyError;
use crate::domain::clock::{BusinessDuration, ClockError};
use crate::domain::incident::{BotAction, Milestone};
use crate::domain::schedule::Schedule;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// Deployment policy for planning.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Warning points in percent of each target.
    pub warn_percents: Vec<u32>,
    /// Business time between escalation levels.
    pub escalation_interval: BusinessDuration,
    /// The deployment's changes to the agreement's re-paging, by priority id.
    pub repaging: BTreeMap<String, RepagingOverride>,
    /// Status reminders in a row without a human update after which the managers are told
    /// (once) and later reminders ping nobody; 0: never.
    pub quiet_after: u32,
    /// Seconds of wall time two warnings of one milestone must lie apart: a warning closer
    /// than this to the one kept before it is not planned (default 10 minutes; 0: keep all).
    pub warning_floor: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            warn_percents: vec![50, 75, 90],
            escalation_interval: BusinessDuration::Seconds(3600),
            repaging: BTreeMap::new(),
            quiet_after: 3,
            warning_floor: 600,
        }
    }
}

/// The deployment's change to one priority's re-paging (`vakt.toml`): what it names replaces
/// the agreement's value; a limit of 0 turns re-paging off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RepagingOverride {
    /// Seconds of wall time between pages.
    pub every: Option<i64>,
    /// Re-pages at one level before climbing.
    pub limit: Option<u32>,
}

impl Policy {
    /// The re-paging in force for `priority` of agreement `a`: the agreement's, with the
    /// deployment's changes; none when the agreement sets none or the deployment turned it off.
    pub fn repaging(&self, a: &Agreement, priority: &str) -> Option<Repaging> {
        let mut r = a.repaging_for(priority)?.clone();
        if let Some(o) = self.repaging.get(priority) {
            r.every = o.every.unwrap_or(r.every);
            r.limit = o.limit.unwrap_or(r.limit);
        }
        (r.limit > 0 && r.every > 0).then_some(r)
    }
}

macro_rules! stored_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name stored in the job table.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parses a stored name.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use stored_enum;

stored_enum!(
    /// Cancellation groups: which of an incident's pending jobs a change cancels.
    Group {
        /// Response warnings and escalations.
        Response = "response",
        /// Resolution warnings and escalations.
        Resolution = "resolution",
        /// Status updates.
        Status = "status",
        /// Follow-ups counted from opening that lapse when resolved.
        WhileOpen = "while_open",
        /// Follow-ups counted from opening that stay.
        FromOpen = "from_open",
        /// Follow-ups counted from resolution.
        AfterResolved = "after_resolved",
        /// Immediate notifications.
        Notify = "notify",
        /// Recurring jobs.
        Recurring = "recurring",
        /// Announcements of changes people made (never cancelled: each is news).
        Announce = "announce",
        /// Agreement duties (summaries, reports, meeting reminders).
        Duty = "duty",
        /// A maintenance window's reminders.
        Maintenance = "maintenance",
        /// Webhook deliveries (never cancelled: each carries a notice that went out).
        Webhook = "webhook",
    }
);

impl Group {
    /// The group of a milestone's warnings and escalations.
    pub fn of(m: Milestone) -> Group {
        match m {
            Milestone::Response => Group::Response,
            Milestone::Resolution => Group::Resolution,
        }
    }

    /// What lapses when an incident is resolved.
    pub const LAPSE_ON_RESOLVE: &'static [Group] =
        &[Group::Response, Group::Resolution, Group::Status, Group::WhileOpen];
    /// What closing an incident cancels: everything still planned but its announcements and
    /// the follow-ups owed to reporters and users whatever the state (counted from opening
    /// without lapsing, or from the resolution: feedback, review reports), which still post.
    pub const CLOSE: &'static [Group] = &[
        Group::Response,
        Group::Resolution,
        Group::Status,
        Group::WhileOpen,
        Group::Notify,
    ];
    /// What a new plan (priority change, reopen) replaces.
    pub const REPLACED_BY_REPLAN: &'static [Group] = &[
        Group::Response,
        Group::Resolution,
        Group::Status,
        Group::WhileOpen,
        Group::FromOpen,
    ];
}

/// A planned job of spec `S` (a kind's own spec, or any kind's [`JobSpec`](super::JobSpec)).
#[derive(Debug, Clone, PartialEq)]
pub struct Planned<S> {
    /// Idempotency key.
    pub key: String,
    /// Cancellation group.
    pub group: Group,
    /// When.
    pub due_at: DateTime<Utc>,
    /// What.
    pub spec: S,
}

impl<S> Planned<S> {
    /// The same job with its spec converted (a kind's spec into a [`JobSpec`](super::JobSpec)).
    pub fn map<T>(self, f: impl FnOnce(S) -> T) -> Planned<T> {
        Planned {
            key: self.key,
            group: self.group,
            due_at: self.due_at,
            spec: f(self.spec),
        }
    }
}

/// The schedule `name` of agreement `a`.
pub(crate) fn schedule<'a>(a: &'a Agreement, name: &str) -> Result<&'a Schedule, PlanError> {
    a.schedule(name)
        .map(|s| s.as_ref())
        .ok_or_else(|| PlanError::UnknownSchedule(name.to_string()))
}

/// Why planning failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// Deadline computation failed.
    #[error(transparent)]
    Classify(#[from] ClassifyError),
    /// Clock arithmetic failed.
    #[error(transparent)]
    Clock(#[from] ClockError),
    /// A schedule named by the agreement is missing.
    #[error("unknown schedule \"{0}\"")]
    UnknownSchedule(String),
}

/// The job being fired, as the scheduler claimed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobContext {
    /// Its cancellation group.
    pub group: Group,
    /// The time it was planned for (never moves across retries).
    pub planned_at: DateTime<Utc>,
    /// Whether it fires late (after downtime): the cadence then continues from now.
    pub late: bool,
}

/// Why a job finished without posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Skip {
    /// Its milestone was met before it fell due.
    MilestoneMet,
    /// A warning that fires only after its deadline passed (after downtime): the breach says it.
    OverdueAlready,
    /// A recurring post missed by more than its own period: posting it now would be on the
    /// wrong day.
    MissedPeriod,
    /// A replan moved the deadline it was planned for.
    Superseded,
    /// Its ladder level was reached already.
    LevelReached,
    /// The incident is no longer open or acknowledged.
    NotActive,
    /// The incident was resolved before a follow-up counted from opening fell due.
    ResolvedInTime,
    /// A follow-up counted from opening was posted already (in an earlier plan).
    AlreadyPosted,
    /// The agreement no longer has the follow-up, notification or ladder level it names.
    NoLongerInAgreement,
    /// The recurring job is no longer configured.
    NoLongerConfigured,
    /// The job's kind needs an incident and has none (or the other way round).
    Misfiled,
    /// A manager waived the follow-up.
    Waived,
    /// Status updates are snoozed.
    Snoozed,
    /// What the follow-up asks for was given already (an expected resolution).
    Satisfied,
    /// The follow-up was marked done.
    Done,
    /// The maintenance window was cancelled.
    WindowCancelled,
}

impl Skip {
    /// Stable code stored as the job's outcome.
    pub fn code(self) -> &'static str {
        match self {
            Skip::MilestoneMet => "milestone_met",
            Skip::OverdueAlready => "overdue_already",
            Skip::MissedPeriod => "missed_period",
            Skip::Superseded => "superseded",
            Skip::LevelReached => "level_reached",
            Skip::NotActive => "not_active",
            Skip::ResolvedInTime => "resolved_in_time",
            Skip::AlreadyPosted => "already_posted",
            Skip::NoLongerInAgreement => "no_longer_in_agreement",
            Skip::NoLongerConfigured => "no_longer_configured",
            Skip::Misfiled => "misfiled",
            Skip::Waived => "waived",
            Skip::Snoozed => "snoozed",
            Skip::Satisfied => "satisfied",
            Skip::Done => "done",
            Skip::WindowCancelled => "window_cancelled",
        }
    }
}

/// What firing decided, with what the kind announces (`A`).
#[derive(Debug, Clone, PartialEq)]
pub enum Decision<A> {
    /// Still due: post this.
    Post(A),
    /// Lapsed or superseded: finish without posting.
    Skip(Skip),
}

/// The result of firing one job of a kind that announces `A` and plans jobs of spec `S`
/// after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fired<A, S> {
    /// Post or skip.
    pub decision: Decision<A>,
    /// What the incident records once the post is made.
    pub action: Option<BotAction>,
    /// Jobs that follow (the next status update, the next escalation step).
    pub next: Vec<Planned<S>>,
}

impl<A, S> Fired<A, S> {
    /// A job that finishes without posting.
    pub fn skip(why: Skip) -> Self {
        Fired {
            decision: Decision::Skip(why),
            action: None,
            next: vec![],
        }
    }

    /// A job that posts and records `action`.
    pub fn post(announce: A, action: BotAction) -> Self {
        Fired {
            decision: Decision::Post(announce),
            action: Some(action),
            next: vec![],
        }
    }

    /// The outcome stored with the job.
    pub fn outcome(&self) -> JobOutcome {
        match &self.decision {
            Decision::Post(_) => JobOutcome::Posted,
            Decision::Skip(s) => JobOutcome::Skipped(*s),
        }
    }
}

/// How a job ended, as stored in the job table (a stable code, not wording).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobOutcome {
    Posted,
    /// It finished without posting.
    Skipped(Skip),
}

impl JobOutcome {
    /// The stored code: `posted` or `skipped:<reason>`.
    pub fn code(self) -> String {
        match self {
            JobOutcome::Posted => "posted".into(),
            JobOutcome::Skipped(s) => format!("skipped:{}", s.code()),
        }
    }
}

impl std::fmt::Display for JobOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code())
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::Group;
    use super::JobContext;
    use chrono::{DateTime, Utc};

    /// A job planned for `at`, fired on time.
    pub fn on_time(group: Group, at: DateTime<Utc>) -> JobContext {
        JobContext {
            group,
            planned_at: at,
            late: false,
        }
    }
}
