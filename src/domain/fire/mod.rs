//! Firing of an incident's durable jobs, decided purely: given the job, the incident as
//! stored, its agreement and `now`, each kind's `fire` says whether the job is still due
//! (post, with what to announce and what to record), lapsed (its milestone was met, the
//! incident is no longer active) or superseded (a replan moved its deadline, a level was
//! reached already), and which jobs follow it. The service's per-kind handlers are thin
//! shells around these functions: they load, post, and commit.

pub mod escalation;
pub mod follow_up;
pub mod notify;
pub mod recurring;
pub mod status;
pub mod warning;

use super::incident::{BotAction, Milestone};
use super::plan::{Group, Planned};
use chrono::{DateTime, Utc};

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
        }
    }
}

/// What a job that is still due announces; the service turns it into a typed notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announce {
    /// A pre-breach warning.
    Warning {
        /// Milestone.
        milestone: Milestone,
        /// Percent of the target's business time used.
        percent: u32,
        /// The deadline.
        deadline: DateTime<Utc>,
    },
    /// A breach, or a step of its escalation, at a ladder level.
    Breach {
        /// Milestone that slipped.
        milestone: Milestone,
        /// Ladder level now reached, 1-based.
        level: u32,
        /// The deadline that was missed.
        deadline: DateTime<Utc>,
        /// Levels passed without a post of their own (vakt was down when they fell due).
        passed: Vec<u32>,
    },
    /// A periodic status update.
    Status {
        /// Its number.
        seq: u32,
        /// The last human update (note, acknowledgement, resolution, reopen), or the report.
        since: DateTime<Utc>,
        /// Whether to remind the lead (or the responders) to post an update.
        remind: bool,
    },
    /// A follow-up the agreement requires.
    FollowUp {
        /// Follow-up id in the agreement.
        id: String,
    },
    /// One of the agreement's immediate notifications.
    Notification {
        /// Index in the agreement's notifications (none for rows written before 0.2).
        index: Option<usize>,
        /// Ping every ladder level.
        whole_ladder: bool,
        /// Text composed by versions before 0.2, for such rows.
        legacy_text: Option<String>,
    },
    /// A change a person made, announced.
    Lifecycle(crate::domain::plan::Lifecycle),
    /// A manual escalation's post, to one ladder level.
    ManualEscalation {
        /// Ladder level, 1-based.
        level: u32,
        /// The reason the person gave.
        reason: Option<String>,
    },
}

/// What firing decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Still due: post this.
    Post(Announce),
    /// Lapsed or superseded: finish without posting.
    Skip(Skip),
}

/// The result of firing one job.
#[derive(Debug, Clone, PartialEq)]
pub struct Fired {
    /// Post or skip.
    pub decision: Decision,
    /// What the incident records once the post is made.
    pub action: Option<BotAction>,
    /// Jobs that follow (the next status update).
    pub next: Vec<Planned>,
}

impl Fired {
    /// A job that finishes without posting.
    pub fn skip(why: Skip) -> Self {
        Fired {
            decision: Decision::Skip(why),
            action: None,
            next: vec![],
        }
    }

    /// A job that posts and records `action`.
    pub fn post(announce: Announce, action: BotAction) -> Self {
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
    /// It posted.
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
    use super::JobContext;
    use crate::domain::plan::Group;
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
