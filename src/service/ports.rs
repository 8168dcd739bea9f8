//! The ports the service layer needs from the outside world: a durable store (incidents,
//! timelines, jobs), a chat to post to, and a clock. Adapters implement them (`storage`,
//! `console`, `discord`); tests use fakes.

use crate::domain::incident::{Incident, State, TimelineEntry};
use crate::domain::plan::{Group, JobKind};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::fmt;

pub use super::notice::{
    ActorRef, DeadlineView, IncidentSummary, Mention, Notice, ReportKind, StatusContent,
};

/// A job to be scheduled. `key` is unique: scheduling a key that exists is a no-op.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// Idempotency key, unique across all jobs.
    pub key: String,
    /// Kind: which handler runs it.
    pub kind: JobKind,
    /// Incident it belongs to, if any.
    pub incident: Option<String>,
    /// Group used for cancelling.
    pub group: Group,
    /// When it is due (UTC).
    pub due_at: DateTime<Utc>,
    /// Kind-specific data.
    pub payload: Value,
}

/// Life of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Waiting for its time.
    Pending,
    /// Claimed by a runner holding a lease.
    Running,
    /// Ran.
    Done,
    /// Gave up after retries.
    Failed,
    /// Cancelled because its milestone was met or the plan changed.
    Cancelled,
}

impl JobState {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Pending => "pending",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => JobState::Pending,
            "running" => JobState::Running,
            "done" => JobState::Done,
            "failed" => JobState::Failed,
            "cancelled" => JobState::Cancelled,
            _ => return None,
        })
    }
}

/// A stored job.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Row id (also the chat nonce: short and unique).
    pub id: i64,
    /// Idempotency key.
    pub key: String,
    /// Kind: which handler runs it.
    pub kind: JobKind,
    /// Incident.
    pub incident: Option<String>,
    /// Cancellation group.
    pub group: Group,
    /// Due (moves to the retry time when a failed job is retried).
    pub due_at: DateTime<Utc>,
    /// The time the job was planned for; never moves.
    pub planned_at: DateTime<Utc>,
    /// Data.
    pub payload: Value,
    /// State.
    pub state: JobState,
    /// Attempts made so far (claims).
    pub attempts: i32,
    /// Runner holding the lease.
    pub lease_owner: Option<String>,
    /// Lease expiry.
    pub lease_until: Option<DateTime<Utc>>,
    /// Last failure.
    pub last_error: Option<String>,
    /// When it ran.
    pub fired_at: Option<DateTime<Utc>>,
    /// Whether it ran late (after downtime).
    pub late: bool,
    /// Outcome note.
    pub outcome: Option<String>,
}

/// Cancel the pending jobs of an incident in these groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelJobs {
    /// Incident.
    pub incident: String,
    /// Groups; empty means all groups.
    pub groups: Vec<Group>,
}

/// How a claimed job ended.
#[derive(Debug, Clone, PartialEq)]
pub enum JobFinish {
    /// Ran.
    Done {
        /// When.
        fired_at: DateTime<Utc>,
        /// Ran after downtime.
        late: bool,
        /// What happened.
        outcome: String,
    },
    /// Failed; try again at `retry_at` (state back to pending).
    Retry {
        /// Next attempt.
        retry_at: DateTime<Utc>,
        /// Error.
        error: String,
    },
    /// Failed for good.
    Failed {
        /// Error.
        error: String,
    },
}

/// Finish a job held under a lease.
#[derive(Debug, Clone, PartialEq)]
pub struct FinishJob {
    /// Job id.
    pub id: i64,
    /// The lease owner that claimed it (a stale owner's finish is refused).
    pub owner: String,
    /// Outcome.
    pub finish: JobFinish,
}

/// One atomic change to an incident.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Change {
    /// Timeline entries to append.
    pub timeline: Vec<TimelineEntry>,
    /// Pending jobs to cancel.
    pub cancel: Option<CancelJobs>,
    /// Jobs to schedule (existing keys are ignored).
    pub jobs: Vec<NewJob>,
    /// A claimed job to finish in the same transaction.
    pub finish: Option<FinishJob>,
}

/// Which incidents to list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IncidentFilter {
    /// Only this agreement.
    pub agreement: Option<String>,
    /// Only these states (empty: all).
    pub states: Vec<State>,
    /// At most this many, newest first (0: no limit).
    pub limit: u32,
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The incident changed since it was read (optimistic concurrency).
    #[error("incident {0} was changed by someone else; try again")]
    Conflict(String),
    /// No such incident.
    #[error("no incident {0}")]
    NotFound(String),
    /// An incident with this id exists.
    #[error("incident {0} exists already")]
    Duplicate(String),
    /// The lease on a job was lost (it expired and another runner took it).
    #[error("lease on job {0} lost")]
    LeaseLost(i64),
    /// Stored data could not be decoded.
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// The database failed.
    #[error("database error: {0}")]
    Database(String),
}

/// Durable storage of incidents, timelines and jobs. Every method is atomic.
#[async_trait]
pub trait Store: Send + Sync {
    /// The next incident sequence number for `prefix` and `year` (1, 2, …), durably taken.
    async fn next_sequence(&self, prefix: &str, year: i32) -> Result<u32, StoreError>;
    /// Inserts a new incident (version 1) with its timeline and jobs.
    async fn insert_incident(&self, incident: &Incident, change: &Change) -> Result<Incident, StoreError>;
    /// Replaces an incident if its stored version is `incident.version`; bumps the version and
    /// applies the change, all in one transaction. Returns the stored incident.
    async fn update_incident(&self, incident: &Incident, change: &Change) -> Result<Incident, StoreError>;
    /// One incident.
    async fn incident(&self, id: &str) -> Result<Option<Incident>, StoreError>;
    /// Incidents, newest first.
    async fn incidents(&self, filter: &IncidentFilter) -> Result<Vec<Incident>, StoreError>;
    /// The timeline of an incident, oldest first.
    async fn timeline(&self, id: &str) -> Result<Vec<TimelineEntry>, StoreError>;
    /// Schedules jobs outside an incident change (recurring jobs); existing keys are ignored.
    async fn schedule(&self, jobs: &[NewJob]) -> Result<(), StoreError>;
    /// Puts running jobs whose lease expired before `now` back to pending; returns how many.
    async fn requeue_expired(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;
    /// Claims up to `limit` pending jobs due at or before `now`, oldest due first, under a
    /// lease for `owner` until `lease_until`; increments their attempts.
    async fn claim(
        &self,
        now: DateTime<Utc>,
        owner: &str,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Job>, StoreError>;
    /// Finishes a claimed job.
    async fn finish(&self, finish: &FinishJob) -> Result<(), StoreError>;
    /// Jobs of an incident (all states), or all jobs when `incident` is none, by due time.
    async fn jobs(&self, incident: Option<&str>) -> Result<Vec<Job>, StoreError>;
    /// The earliest due time of a pending job.
    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError>;
}

/// A chat destination: one of an agreement's channels.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Channel {
    /// Agreement id.
    pub agreement: String,
    /// Which channel.
    pub kind: ChannelKind,
}

/// The channels an agreement has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelKind {
    /// Where incidents are opened and worked.
    Incidents,
    /// Status updates.
    Status,
    /// Summaries and reports.
    Summary,
}

impl fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChannelKind::Incidents => "incidents",
            ChannelKind::Status => "status",
            ChannelKind::Summary => "summary",
        })
    }
}

/// Where a posted message lives in the chat: opaque ids the adapter understands.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct MessageRef {
    /// The channel (or thread) id.
    pub channel: String,
    /// The message id.
    pub message: String,
}

/// One notice addressed to a channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// Where.
    pub channel: Channel,
    /// The incident's conversation (a Discord thread), when the post belongs in it.
    pub conversation: Option<MessageRef>,
    /// What.
    pub notice: Notice,
    /// Exactly who is pinged; nobody else, whatever the notice's text holds.
    pub mentions: Vec<Mention>,
    /// Planned time of a job that fires late (after downtime), so the reader knows.
    pub late_since: Option<DateTime<Utc>>,
    /// De-duplication nonce (a job id) so a resend after a crash is dropped by the chat.
    pub nonce: Option<String>,
}

/// Why a chat operation failed, as the scheduler needs to know it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChatError {
    /// Worth retrying (rate limit, server error, network): after `retry_after` when the
    /// server said so, else the scheduler's backoff.
    #[error("chat temporarily unavailable: {reason}")]
    Transient {
        /// What happened.
        reason: String,
        /// How long the server asked to wait.
        retry_after: Option<std::time::Duration>,
    },
    /// Will not work however often it is tried (missing channel, no permission, a body
    /// the chat refuses): the job fails at once with this reason.
    #[error("chat refused: {reason}")]
    Permanent {
        /// What happened.
        reason: String,
    },
}

impl ChatError {
    /// A transient failure without a server-given delay.
    pub fn transient(reason: impl Into<String>) -> Self {
        ChatError::Transient {
            reason: reason.into(),
            retry_after: None,
        }
    }
}

/// Where the bot posts.
#[async_trait]
pub trait Chat: Send + Sync {
    /// Posts a notice; returns where it landed.
    async fn post(&self, post: &Post) -> Result<MessageRef, ChatError>;
    /// Replaces a posted message's content with `post`'s (an incident card after a change).
    async fn edit(&self, message: &MessageRef, post: &Post) -> Result<(), ChatError>;
    /// Starts the conversation of an incident under its card (a Discord thread; the console
    /// prints a heading) and returns where its posts go.
    async fn start_conversation(&self, card: &MessageRef, incident: &IncidentSummary)
    -> Result<MessageRef, ChatError>;
}

/// The current time.
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
