//! The ports the service layer needs from the outside world: a durable store split by concern
//! ([`IncidentStore`], [`JobStore`], [`ChatRefStore`], [`PointStore`], [`ReportStore`],
//! [`MaintenanceStore`], [`InteractionStore`], and
//! [`Store`], their sum), a chat to post to, a clock, and the gateway's [`LeaderLock`]. Adapters implement them (`storage`,
//! `console`, `discord`); tests use fakes.

use crate::domain::ids::{AgreementId, IncidentId, MessageId, UserId};
use crate::domain::incident::{Incident, State, TimelineEntry};
use crate::domain::maintenance::{Breach, MaintenanceWindow};
use crate::domain::meeting::MeetingPoint;
use crate::domain::plan::{Group, JobKind};
use crate::domain::revision::{ReportChanges, ReportSource};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::fmt;

pub use super::notice::{ActorRef, DeadlineView, IncidentSummary, Mention, Notice, ReportKind, StatusContent};

/// A job to be scheduled. `key` is unique: scheduling a key that exists is a no-op.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// Idempotency key, unique across all jobs.
    pub key: String,
    /// Kind: which handler runs it.
    pub kind: JobKind,
    /// Incident it belongs to, if any.
    pub incident: Option<IncidentId>,
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
    pub incident: Option<IncidentId>,
    /// Cancellation group.
    pub group: Group,
    /// Due (moves to the retry time when a failed job is retried).
    pub due_at: DateTime<Utc>,
    /// The time the job was planned for; never moves.
    pub planned_at: DateTime<Utc>,
    /// Data.
    pub payload: Value,
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
    pub incident: IncidentId,
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
        error: String,
    },
    /// Failed for good.
    Failed { error: String },
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
    /// The message the job posted, stored as [`ChatRefKey::JobPost`] of `id` in the same
    /// transaction as the finish (so a refused finish stores no reference). `None`: the job
    /// posted nothing, or its reference is stored elsewhere.
    pub posted: Option<MessageRef>,
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
    /// Chat message references to store (insert or replace) in the same transaction.
    pub chat_refs: Vec<(ChatRefKey, MessageRef)>,
    /// Alert events received for this incident, recorded in the same transaction; one
    /// recorded already makes the whole change fail with [`StoreError::Conflict`].
    pub alerts: Vec<AlertReceipt>,
    /// The incident is exactly as stored at its version (the change records nothing on the
    /// incident itself): its row is not rewritten and its version stays. The change still
    /// commits only while the stored version is the incident's (and holds the row as an
    /// update does), so concurrency is as for any update.
    pub unchanged: bool,
}

/// What the handlers of a batch of claimed jobs read before they run, read in one call right
/// after the claim ([`JobStore::job_inputs`]). A hint: it is as stored when it was read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JobInputs {
    /// The incidents of the jobs, as stored (data and version); a missing one is not stored.
    pub incidents: Vec<Incident>,
    /// The cards and conversations of those incidents, and the posts earlier attempts of the
    /// jobs made ([`ChatRefKey::JobPost`]); a key that is missing is not stored.
    pub chat_refs: Vec<(ChatRefKey, MessageRef)>,
    /// The unfinished (pending or running) jobs of those incidents of the kinds asked for,
    /// by due time.
    pub unfinished: Vec<Job>,
}

/// One alert event an intake source delivered, recorded with the incident it went to so that
/// a re-sent notification changes nothing ([`AlertStore`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AlertReceipt {
    /// The intake source's configured name.
    pub source: String,
    /// What identifies the event within the source (a digest), unique per source.
    pub receipt: String,
    /// The dedup key the event belongs to.
    pub dedup_key: String,
    /// Which incident of the dedup key this is (0 for the first one opened, 1 for the next…).
    pub seq: i64,
    /// When it was received (the service's clock).
    pub at: DateTime<Utc>,
}

/// The incident a dedup key of an intake source belongs to now.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertLink {
    /// The latest incident opened for the key.
    pub incident: IncidentId,
    /// Its place among the key's incidents ([`AlertReceipt::seq`]).
    pub seq: i64,
}

/// Where a posted message lives in the chat: opaque ids the adapter understands.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct MessageRef {
    /// The channel (or console heading) the message is in.
    pub channel: String,
    /// The message within the channel (for a conversation, the thread id).
    pub message: String,
}

/// What a stored message reference is for.
///
/// Stored under a stable text key ([`as_key`](Self::as_key), [`parse`](Self::parse)):
/// `card/SSB-2026-0001`, `conversation/SSB-2026-0001`, `job/123`. Keys order as the variants
/// are listed (card, conversation, job post), then by incident id or job id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChatRefKey {
    /// An incident's card (edited on every change).
    Card(IncidentId),
    /// An incident's conversation (a Discord thread; its `message` is the thread id).
    Conversation(IncidentId),
    /// The post a job made (job id): a retried job finds it and does not post again.
    JobPost(i64),
}

impl ChatRefKey {
    /// Key prefix of [`ChatRefKey::Card`].
    const CARD: &'static str = "card";
    /// Key prefix of [`ChatRefKey::Conversation`].
    const CONVERSATION: &'static str = "conversation";
    /// Key prefix of [`ChatRefKey::JobPost`].
    const JOB: &'static str = "job";

    /// The stored key: `card/<incident>`, `conversation/<incident>` or `job/<id>`.
    pub fn as_key(&self) -> String {
        match self {
            ChatRefKey::Card(id) => format!("{}/{id}", Self::CARD),
            ChatRefKey::Conversation(id) => format!("{}/{id}", Self::CONVERSATION),
            ChatRefKey::JobPost(id) => format!("{}/{id}", Self::JOB),
        }
    }

    /// Parses a stored key. `None` unless it is exactly what [`as_key`](Self::as_key) makes
    /// of some key: a known prefix, a non-empty incident id without surrounding whitespace,
    /// or a job id in plain decimal.
    pub fn parse(key: &str) -> Option<Self> {
        let (kind, rest) = key.split_once('/')?;
        match kind {
            Self::CARD | Self::CONVERSATION => {
                if rest.is_empty() || rest.trim() != rest {
                    return None;
                }
                let id = IncidentId::new(rest);
                Some(if kind == Self::CARD {
                    ChatRefKey::Card(id)
                } else {
                    ChatRefKey::Conversation(id)
                })
            }
            Self::JOB => {
                let id: i64 = rest.parse().ok()?;
                (id.to_string() == rest).then_some(ChatRefKey::JobPost(id))
            }
            _ => None,
        }
    }

    /// The incident a card or conversation belongs to; `None` for a job post (its incident
    /// is the job's).
    pub fn incident(&self) -> Option<&IncidentId> {
        match self {
            ChatRefKey::Card(id) | ChatRefKey::Conversation(id) => Some(id),
            ChatRefKey::JobPost(_) => None,
        }
    }
}

impl fmt::Display for ChatRefKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_key())
    }
}

/// A follow-up point to record (the store assigns its number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPoint {
    pub agreement: AgreementId,
    /// Meeting id in the agreement.
    pub meeting: String,
    /// The point as typed.
    pub text: String,
    /// Who owns it.
    pub owner: Option<UserId>,
    /// When it is due.
    pub due: DateTime<Utc>,
    /// Who raised it.
    pub created_by: UserId,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A maintenance window to record (the store assigns its number).
#[derive(Debug, Clone, PartialEq)]
pub struct NewWindow {
    pub agreement: AgreementId,
    /// The service's id.
    pub service: String,
    /// The maintenance kind's id.
    pub kind: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// What is done, as typed.
    pub description: String,
    pub announced_by: UserId,
    pub announced_at: DateTime<Utc>,
    /// The rules it breaks (a manager recorded it anyway).
    pub breaches: Vec<Breach>,
    /// The manager's reason, when it breaks any.
    pub reason: Option<String>,
}

/// A report to store: what was computed and from which incidents.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReport {
    pub agreement: AgreementId,
    /// Which report.
    pub kind: ReportKind,
    /// The period, `2026-W47`, `2026-10` or `2026`.
    pub period: String,
    /// The computed report as JSON (figures and ids, no wording).
    pub content: Value,
    /// The incidents it was computed from, sorted.
    pub sources: Vec<ReportSource>,
    /// For a revision: what changed since the previous revision.
    pub changes: Option<ReportChanges>,
    /// When it was computed.
    pub created_at: DateTime<Utc>,
}

/// A stored report: one revision of the report of one period.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReport {
    /// Store-assigned id.
    pub id: i64,
    /// 1 for the first computation; each revision (its incidents changed) adds one.
    pub revision: i32,
    /// What was stored.
    pub report: NewReport,
}

impl StoredReport {
    /// Whether this is a revision of an earlier report of the same period.
    pub fn revised(&self) -> bool {
        self.revision > 1
    }
}

/// Which incidents to list, in which order. Every condition is answered by an index, so a
/// list costs what it returns (and the scope it looks in), not the history.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IncidentFilter {
    /// Only this agreement.
    pub agreement: Option<AgreementId>,
    /// Only cases of this type (`incident`, `problem`; `None`: every type).
    pub case_type: Option<String>,
    /// Only these states (empty: all).
    pub states: Vec<State>,
    /// At most this many (0: no limit).
    pub limit: u32,
    /// Skip this many first (paging, with `limit`).
    pub offset: u32,
    /// The order.
    pub order: IncidentOrder,
    /// Only incidents reported before this instant (a report of a period needs none reported
    /// after it: nothing of theirs can count in it).
    pub reported_before: Option<DateTime<Utc>>,
    /// Only incidents that can count in a period starting at this instant: those not closed,
    /// and closed ones with something that happened or fell due at or after it. Found by an
    /// index with `agreement`; without one, every incident is read.
    pub touched_since: Option<DateTime<Utc>>,
    /// Only incidents that may be in breach at this instant: a deadline missed for good (met
    /// late, or its breach recorded), or one not yet met due at or before it. A superset: the
    /// caller judges each on business time.
    pub breaching_at: Option<DateTime<Utc>>,
    /// Only incidents with a deadline (as judged) from the first instant to the second,
    /// both included.
    pub deadline_between: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Only incidents whose id starts with this text or whose title holds it (either case).
    pub search: Option<String>,
    /// Only incidents planned otherwise than the agreements loaded now would plan them: of an
    /// agreement, case type and priority listed here, with a stored plan fingerprint that is
    /// set and is not the one listed (`None`: no such condition; an empty list selects none).
    /// Compared in the query, so a start-up reads only the incidents it may have to adopt.
    pub planned_otherwise: Option<Vec<PlanKey>>,
    /// Only incidents with an outage of their service marked (what availability counts).
    pub with_outage: bool,
}

/// A plan as the agreements loaded now make it: an agreement, case type and priority, and
/// the fingerprint of its plan ([`PlanBasis::Canonical`](crate::domain::incident::PlanBasis)
/// text, `v2:…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanKey {
    /// The agreement.
    pub agreement: AgreementId,
    /// The case type (`incident`, or one of the agreement's case types).
    pub case_type: String,
    /// The priority (class) in force.
    pub priority: String,
    /// The fingerprint an incident planned under this agreement as loaded has.
    pub basis: String,
}

/// The order of an incident list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IncidentOrder {
    /// Newest reported first.
    #[default]
    Newest,
    /// By priority id (every agreement names its priorities so that text order is severity
    /// order: `1` before `2`, `A` before `B`), then by the next deadline not yet met (none
    /// last), then oldest first.
    Priority,
}

/// Unfinished jobs of one kind that are due, as [`JobStore::due_jobs`] counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueJobs {
    /// The jobs' kind.
    pub kind: JobKind,
    /// Pending or running jobs due at or before the time asked about.
    pub due: u64,
    /// Of those, the ones due before the overdue limit asked about.
    pub overdue: u64,
}

/// Unresolved incidents (open or acknowledged) of one agreement and priority, as
/// [`IncidentStore::open_incidents`] counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenIncidents {
    pub agreement: AgreementId,
    /// The priority id in force (`1`, `A`).
    pub priority: String,
    /// How many.
    pub count: u64,
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

/// Builds a new incident and its change from its sequence number
/// ([`IncidentStore::insert_numbered`]).
pub type MakeIncident<'a> = dyn Fn(u32) -> Option<(Incident, Change)> + Send + Sync + 'a;

/// Durable incidents: their number sequences, rows (optimistic versions) and append-only
/// timelines. Every method is atomic.
#[async_trait]
pub trait IncidentStore: Send + Sync {
    /// The next incident sequence number for `prefix` and `year` (1, 2, …), durably taken.
    async fn next_sequence(&self, prefix: &str, year: i32) -> Result<u32, StoreError>;
    /// Inserts a new incident (version 1) with its timeline and jobs.
    async fn insert_incident(&self, incident: &Incident, change: &Change) -> Result<Incident, StoreError>;
    /// Takes the next sequence number of `prefix` and `year` and inserts the incident `make`
    /// builds with it (version 1, with its change), in one transaction: one commit, and a
    /// failed insert takes no number. `make` returning `None` fails the call
    /// ([`StoreError::Corrupt`]) and changes nothing.
    async fn insert_numbered(&self, prefix: &str, year: i32, make: &MakeIncident<'_>) -> Result<Incident, StoreError>;
    /// Replaces an incident if its stored version is `incident.version`; bumps the version and
    /// applies the change, all in one transaction. Returns the stored incident.
    async fn update_incident(&self, incident: &Incident, change: &Change) -> Result<Incident, StoreError>;
    async fn incident(&self, id: &IncidentId) -> Result<Option<Incident>, StoreError>;
    /// Incidents, newest first.
    async fn incidents(&self, filter: &IncidentFilter) -> Result<Vec<Incident>, StoreError>;
    /// The timeline of an incident, oldest first.
    async fn timeline(&self, id: &IncidentId) -> Result<Vec<TimelineEntry>, StoreError>;
    /// The timelines of several incidents, each oldest first, read together; one entry per
    /// id asked for, in the order asked. With `types`, only the events of those stored types
    /// (the `type` tag of an [`Event`](crate::domain::incident::Event)); empty: every event.
    async fn timelines(
        &self,
        ids: &[IncidentId],
        types: &[&str],
    ) -> Result<Vec<(IncidentId, Vec<TimelineEntry>)>, StoreError>;
    /// The latest time anything stored happened at: a job that ran, an incident reported (a
    /// clock started before it would run the past again).
    async fn latest_activity(&self) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// The incidents not yet resolved (open or acknowledged), counted by agreement and
    /// priority in one query; agreements and priorities with none are left out.
    async fn open_incidents(&self) -> Result<Vec<OpenIncidents>, StoreError>;
}

/// The durable job table: scheduling by idempotency key, claims under leases, finishing and
/// retention. Every method is atomic.
#[async_trait]
pub trait JobStore: Send + Sync {
    /// Schedules jobs outside an incident change (recurring jobs); existing keys are ignored.
    async fn schedule(&self, jobs: &[NewJob]) -> Result<(), StoreError>;
    /// Puts running jobs whose lease expired before `now` back to pending; returns how many.
    async fn requeue_expired(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;
    /// Extends the lease on job `id` held by `owner` to `lease_until` (before its effects are
    /// made, so a runner that stalled past its lease learns it lost the job);
    /// [`StoreError::LeaseLost`] when another runner holds it now or it is no longer running.
    async fn renew(&self, id: i64, owner: &str, lease_until: DateTime<Utc>) -> Result<(), StoreError>;
    /// Puts the jobs `owner` claimed and has not finished back to pending, without counting
    /// the claim as an attempt (a clean shutdown); returns how many.
    async fn release(&self, owner: &str) -> Result<u64, StoreError>;
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
    /// Finishes claimed jobs in one transaction: one outcome per finish, in order, each
    /// exactly what [`finish`](Self::finish) would do — a finish whose lease is not held by its
    /// owner is refused ([`StoreError::LeaseLost`]) and changes nothing (its posted reference
    /// is not stored), while the others commit. The outer error is a failure of the whole
    /// batch: nothing was stored.
    async fn finish_many(&self, finishes: &[FinishJob]) -> Result<Vec<Result<(), StoreError>>, StoreError>;
    /// Puts job `id`, claimed by `owner`, back to pending until `until` without counting the
    /// claim as an attempt: it did not fail, it waits for another job (an earlier post of its
    /// incident). [`StoreError::LeaseLost`] when `owner` does not hold it.
    async fn postpone(&self, id: i64, owner: &str, until: DateTime<Utc>) -> Result<(), StoreError>;
    /// The unfinished (pending or running) jobs of an incident, by due time.
    async fn unfinished_jobs(&self, incident: &IncidentId) -> Result<Vec<Job>, StoreError>;
    /// What the handlers of the claimed `jobs` read, in one call: the incidents they belong
    /// to, those incidents' cards and conversations, the posts earlier attempts of `jobs`
    /// made, and the unfinished jobs of those incidents whose kind is one of
    /// `unfinished_kinds`.
    async fn job_inputs(&self, jobs: &[Job], unfinished_kinds: &[JobKind]) -> Result<JobInputs, StoreError>;
    /// Jobs of an incident (all states), or all jobs when `incident` is none, by due time.
    async fn jobs(&self, incident: Option<&IncidentId>) -> Result<Vec<Job>, StoreError>;
    /// The earliest due time of a pending job.
    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// The jobs not finished (pending or running) that are due at or before `now`, counted
    /// by kind in one query, with how many of them were due before `overdue_before`; kinds
    /// with none are left out.
    async fn due_jobs(&self, now: DateTime<Utc>, overdue_before: DateTime<Utc>) -> Result<Vec<DueJobs>, StoreError>;
    /// Retention, in bounded batches (each atomic, none holding the write lock long): deletes
    /// the jobs that are done (`fired_at` before `done_before`) or cancelled
    /// (due before `done_before`: a cancelled job records no time of its own), together with
    /// their job post references (`job/<id>`), and returns how many jobs went. Only jobs of no
    /// incident (recurring posts) or of a closed incident go: a live incident may plan the
    /// same idempotency key again, and a purged key would run twice. Failed jobs are kept
    /// (they are the evidence of what did not happen), and so are pending and running jobs,
    /// incidents and timelines.
    async fn purge(&self, done_before: DateTime<Utc>) -> Result<u64, StoreError>;
    /// The jobs of `kind` that failed for good (dead webhook deliveries), oldest due first.
    async fn failed_jobs(&self, kind: JobKind) -> Result<Vec<Job>, StoreError>;
}

/// Where posted chat messages live ([`ChatRefKey`] → [`MessageRef`]): incident cards, their
/// conversations and job posts. Every method is atomic.
#[async_trait]
pub trait ChatRefStore: Send + Sync {
    /// Stores a chat message reference, replacing any stored under the same key. A card or
    /// conversation of an unknown incident is [`StoreError::NotFound`]; a job post is stored
    /// whether or not the job exists.
    async fn put_chat_ref(&self, key: &ChatRefKey, r: &MessageRef) -> Result<(), StoreError>;
    /// The chat message reference stored under a key.
    async fn chat_ref(&self, key: &ChatRefKey) -> Result<Option<MessageRef>, StoreError>;
    /// The chat message references of an incident: its card and conversation, and the posts
    /// of its jobs, in key order (card, conversation, then job posts by job id).
    async fn chat_refs(&self, incident: &IncidentId) -> Result<Vec<(ChatRefKey, MessageRef)>, StoreError>;
    /// The incident whose conversation (a Discord thread) is the chat message `message` (the
    /// `message` of a stored [`ChatRefKey::Conversation`]), so a command typed inside the thread
    /// implies its incident. `None` when no incident's conversation is there.
    async fn conversation_incident(&self, message: &MessageId) -> Result<Option<IncidentId>, StoreError>;
}

/// Meeting follow-up points of agreements. Every method is atomic.
#[async_trait]
pub trait PointStore: Send + Sync {
    /// Records a meeting follow-up point; returns it with its number.
    async fn add_point(&self, point: &NewPoint) -> Result<MeetingPoint, StoreError>;
    /// Marks point `id` of `agreement` done by `by` at `at` and returns it as stored; a point
    /// already done is returned unchanged. None: no such point of that agreement.
    async fn complete_point(
        &self,
        agreement: &AgreementId,
        id: i64,
        by: &UserId,
        at: DateTime<Utc>,
    ) -> Result<Option<MeetingPoint>, StoreError>;
    /// The follow-up points of `agreement` (only the open ones unless `include_done`), by due
    /// time then number.
    async fn points(&self, agreement: &AgreementId, include_done: bool) -> Result<Vec<MeetingPoint>, StoreError>;
}

/// Announced maintenance windows. Every method is atomic.
#[async_trait]
pub trait MaintenanceStore: Send + Sync {
    /// Records a window and, in the same transaction, the jobs `plan` makes for its number
    /// (the reminders); returns it as stored.
    async fn add_window(
        &self,
        window: &NewWindow,
        plan: &(dyn Fn(i64) -> Vec<NewJob> + Send + Sync),
    ) -> Result<MaintenanceWindow, StoreError>;
    /// Cancels window `id` of `agreement` (unless it is) and returns it as stored. None: no
    /// such window of that agreement.
    async fn cancel_window(
        &self,
        agreement: &AgreementId,
        id: i64,
        by: &UserId,
        at: DateTime<Utc>,
    ) -> Result<Option<MaintenanceWindow>, StoreError>;
    /// Window `id`, cancelled or not.
    async fn window(&self, id: i64) -> Result<Option<MaintenanceWindow>, StoreError>;
    /// The windows of `agreement` (cancelled ones too) that end after `from` and start
    /// before `to`, by start then number.
    async fn windows(
        &self,
        agreement: &AgreementId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<MaintenanceWindow>, StoreError>;
}

/// Computed reports, each period's revisions kept. Every method is atomic.
#[async_trait]
pub trait ReportStore: Send + Sync {
    /// Stores a report as the next revision of its (agreement, kind, period).
    async fn add_report(&self, report: &NewReport) -> Result<StoredReport, StoreError>;
    /// The latest revision of the report of `period`, if any.
    async fn latest_report(
        &self,
        agreement: &AgreementId,
        kind: ReportKind,
        period: &str,
    ) -> Result<Option<StoredReport>, StoreError>;
    /// Every stored revision of `agreement`'s reports, by kind, period and revision.
    async fn reports(&self, agreement: &AgreementId) -> Result<Vec<StoredReport>, StoreError>;
}

/// The chat interactions taken on: a delivery of an interaction is taken on once, whoever
/// (which session, which replica) receives it.
#[async_trait]
pub trait InteractionStore: Send + Sync {
    /// Records interaction `id` as taken on until `expires_at`, atomically; false when it was
    /// recorded before and has not expired at `now` (a re-delivery: answer nothing, change
    /// nothing). Forgets the interactions expired at `now` on the way.
    async fn claim_interaction(
        &self,
        id: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
}

/// A public text to record for an incident (the store assigns its number).
#[derive(Debug, Clone, PartialEq)]
pub struct NewPublication {
    pub agreement: AgreementId,
    pub incident: IncidentId,
    /// The text, as the responder wrote it for the public.
    pub text: String,
    /// Who published it (kept for the record, never shown in public).
    pub author: UserId,
    pub at: DateTime<Utc>,
}

/// A public text as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    /// Its number (in publishing order).
    pub id: i64,
    pub agreement: AgreementId,
    pub incident: IncidentId,
    pub text: String,
    pub author: UserId,
    pub at: DateTime<Utc>,
}

/// What incidents say in public: the texts responders publish for the status page. Rows are
/// only added. Every method is atomic.
#[async_trait]
pub trait PublicationStore: Send + Sync {
    /// Records a public text and returns it as stored.
    async fn add_publication(&self, publication: &NewPublication) -> Result<Publication, StoreError>;
    /// Every public text of `agreement`'s incidents, by incident, then time, then number.
    async fn publications(&self, agreement: &AgreementId) -> Result<Vec<Publication>, StoreError>;
}

/// The whole durable store: every concern's port. Implemented for anything that implements
/// them all, so a caller that needs several holds one `Arc<dyn Store>`; a caller that needs
/// one concern can take that port alone.
pub trait Store:
    IncidentStore
    + JobStore
    + ChatRefStore
    + PointStore
    + ReportStore
    + InteractionStore
    + AlertStore
    + MaintenanceStore
    + PublicationStore
{
}

impl<
    T: IncidentStore
        + JobStore
        + ChatRefStore
        + PointStore
        + ReportStore
        + InteractionStore
        + AlertStore
        + MaintenanceStore
        + PublicationStore
        + ?Sized,
> Store for T
{
}

/// What monitoring told vakt: alert receipts (written with their incident's [`Change`]) and
/// the incident each dedup key belongs to. Every method is atomic.
#[async_trait]
pub trait AlertStore: Send + Sync {
    /// The latest incident opened for `dedup_key` of `source`, if any.
    async fn alert_link(&self, source: &str, dedup_key: &str) -> Result<Option<AlertLink>, StoreError>;
    /// Which of `receipts` of `source` are recorded already.
    async fn alert_receipts_seen(&self, source: &str, receipts: &[String]) -> Result<Vec<String>, StoreError>;
}

/// A chat destination: one of an agreement's channels.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Channel {
    /// Agreement id.
    pub agreement: String,
    /// Which channel.
    pub kind: ChannelKind,
}

/// The channels an agreement has (ordered as listed, so they can key a map).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// The message or conversation a reference points at is not there: deleted in the chat
    /// (a moderator removed the card), or stored by another chat adapter on the same database
    /// (the console's references on Discord). Editing a card that is gone makes a new card;
    /// anything else treats it as [`ChatError::Permanent`].
    #[error("chat message gone: {reason}")]
    Gone {
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
    async fn start_conversation(&self, card: &MessageRef, incident: &IncidentSummary) -> Result<MessageRef, ChatError>;
}

/// One notice's delivery to a webhook target, as the scheduler hands it to the sender: the
/// same target, id and body on every attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookDelivery {
    /// The configured target's name (the sender knows its URL and secret).
    pub target: String,
    /// The delivery id (`Vakt-Delivery`, `Idempotency-Key`).
    pub id: String,
    /// The JSON body, exactly as planned.
    pub body: String,
    /// The service's time of this attempt: the signature's timestamp.
    pub at: DateTime<Utc>,
}

/// Why a webhook delivery failed, as the scheduler needs to know it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WebhookError {
    /// Worth retrying (a 5xx, 408 or 429, a timeout, a dropped connection): after
    /// `retry_after` when the receiver said so, else the delivery's backoff.
    #[error("webhook target {target} temporarily failed: {reason}")]
    Transient {
        /// The target's name.
        target: String,
        /// What happened (a status, a connection error; never the secret).
        reason: String,
        /// How long the receiver asked to wait.
        retry_after: Option<std::time::Duration>,
    },
    /// Will not work however often it is tried (a 4xx other than 408 and 429, an unknown
    /// target): the delivery is dead at once.
    #[error("webhook target {target} refused: {reason}")]
    Permanent {
        /// The target's name.
        target: String,
        /// What happened.
        reason: String,
    },
}

/// Where notices go besides the chat: the configured webhook targets (an adapter signs and
/// sends; the service plans and records).
#[async_trait]
pub trait Webhooks: Send + Sync {
    /// Delivers one attempt; `Ok` when the target answered 2xx.
    async fn deliver(&self, delivery: &WebhookDelivery) -> Result<(), WebhookError>;
}

/// Who may hold the chat gateway: with several replicas exactly one at a time, and never two
/// at once (the storage adapter implements it with the database, so replicas sharing a
/// database share the lock).
#[async_trait]
pub trait LeaderLock: Send + Sync {
    /// Takes the lock if it is free; `None` when another replica holds it.
    async fn try_acquire(&self) -> Result<Option<Box<dyn Leadership>>, StoreError>;
    /// How long a replica that did not get the lock waits before trying again.
    fn retry(&self) -> std::time::Duration;
    /// How long the holder has, once [`Leadership::lost`] resolved, to stop what the lock
    /// guards before another replica can take the lock: give up waiting for it then.
    fn stop_budget(&self) -> std::time::Duration;
}

/// Holding the leader lock. [`release`](Self::release) gives it up to the next replica at
/// once (call it only once what it guards has stopped); dropping it leaves it to expire.
#[async_trait]
pub trait Leadership: Send {
    /// Resolves when the lock is lost, or is about to be (it could not be renewed in time):
    /// stop what it guards within [`LeaderLock::stop_budget`]. Never for a lock that cannot
    /// be lost (one process).
    async fn lost(&mut self);
    /// Gives the lock up.
    async fn release(self: Box<Self>);
}

/// The current time.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// Where the clock is being moved to: a clock moved forward on purpose (the console's
    /// `/clock advance` and `/clock set`) knows its destination while it moves; a real clock
    /// does not, and answers `now`. A recurring duty whose next occurrence also falls before
    /// this is skipped as missed instead of posted, so a long move posts each duty once (its
    /// last occurrence on the way), as a restart after downtime does, rather than replaying
    /// it once per period.
    fn heading_to(&self) -> DateTime<Utc> {
        self.now()
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still at one instant: the command line's `--now`.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_ref_keys_round_trip() {
        let id = IncidentId::make("SSB", 2026, 1);
        for (key, text) in [
            (ChatRefKey::Card(id.clone()), "card/SSB-2026-0001"),
            (ChatRefKey::Conversation(id.clone()), "conversation/SSB-2026-0001"),
            (ChatRefKey::JobPost(123), "job/123"),
            (ChatRefKey::JobPost(i64::MAX), "job/9223372036854775807"),
            (ChatRefKey::JobPost(-1), "job/-1"),
            (ChatRefKey::Card(IncidentId::new("odd/id")), "card/odd/id"),
        ] {
            assert_eq!(key.as_key(), text);
            assert_eq!(key.to_string(), text);
            assert_eq!(ChatRefKey::parse(text), Some(key));
        }
    }

    #[test]
    fn malformed_chat_ref_keys_are_refused() {
        for text in [
            "",
            "card",
            "card/",
            "card/ SSB-1",
            "card/SSB-1 ",
            "Card/SSB-1",
            "thread/SSB-1",
            "job/",
            "job/x",
            "job/+5",
            "job/05",
            "job/1.0",
            "job/99999999999999999999",
            "job 1",
        ] {
            assert_eq!(ChatRefKey::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn chat_ref_keys_order_by_kind_then_id() {
        let a = IncidentId::new("SSB-2026-0001");
        let mut keys = vec![
            ChatRefKey::JobPost(10),
            ChatRefKey::Conversation(a.clone()),
            ChatRefKey::JobPost(9),
            ChatRefKey::Card(a.clone()),
        ];
        keys.sort();
        assert_eq!(
            keys,
            [
                ChatRefKey::Card(a.clone()),
                ChatRefKey::Conversation(a),
                ChatRefKey::JobPost(9),
                ChatRefKey::JobPost(10)
            ]
        );
    }
}
