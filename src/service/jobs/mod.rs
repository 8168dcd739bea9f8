//! The handlers of the scheduler's jobs, one module per kind (its domain half — spec, pure
//! `fire`, what it announces — is `domain::jobs::<kind>`). An incident job's handler is a thin
//! shell (`IncidentJob`): it fires the domain's decision, builds the typed [`Post`] of what
//! the kind announces, and says where the post is delivered (into the incident's conversation,
//! as its card, or editing the card). The shared `runner` loads, posts once and records;
//! [`Service::handle_job`] is the one dispatch by kind. Recurring jobs and duties have no
//! incident and their own runners. A runner runs its claimed jobs as a [`Batch`]: what their
//! handlers read is fetched for the batch at once, and finishes that write nothing else
//! commit together (`batch`).
//!
//! Job ids are the chat nonce, so a post resent after a crash is dropped by the chat.

mod announce;
mod batch;
mod duty;
mod escalation;
mod follow_up;
mod maintenance;
mod notify;
mod recurring;
mod repage;
mod runner;
mod status;
mod warning;
mod webhook;

use super::notice::{IncidentSummary, Mention, Notice};
use super::ports::{Channel, ChannelKind, ChatRefKey, FinishJob, Job, JobFinish, MessageRef, Post, StoreError};
use super::{Service, ServiceError, to_new_job};
use crate::domain::agreement::Agreement;
use crate::domain::incident::Incident;
use crate::domain::jobs::job::Fired;
use crate::domain::jobs::{JobContext, JobKind, JobOutcome, JobSpec, Policy, Skip};
use chrono::{DateTime, Utc};

pub use batch::{Batch, FRESH};

/// How long a runner's claim on a job lasts; renewed before the job posts (to the clock's now
/// plus this) when less than half of it is left, so a runner that stalled longer than this
/// finds it lost the job and neither posts nor commits.
pub const LEASE: chrono::Duration = chrono::Duration::seconds(60);

/// How late a job may run before it counts as late (the runner's normal polling slack).
pub const LATE_AFTER: chrono::Duration = chrono::Duration::seconds(120);

/// How long after the next attempt of an earlier announcement a job waiting for it runs again
/// (so that one runs first).
pub const WAIT_BEHIND: chrono::Duration = chrono::Duration::seconds(1);

/// How long past its planned time an immediate notification (a page, or a manual
/// escalation's post) waits at most for an earlier post of its incident: the first two
/// retries of a card that failed (30 s, then a minute later); past that it goes anyway (to the
/// channel when the card is not there) — a page that waits on a failing card pages nobody.
pub const PAGE_WAIT: chrono::Duration = chrono::Duration::minutes(2);

/// Whether a job of `kind` tells people about its incident in the order things happened —
/// the card and the announcements of changes, immediate notifications, status updates — so it
/// waits for an earlier one of its incident that has not gone out (a notification at most
/// [`PAGE_WAIT`]). Warnings, escalations and follow-ups are about deadlines and go out on
/// time whatever else is retrying.
fn in_order(kind: JobKind) -> bool {
    matches!(kind, JobKind::Announce | JobKind::Notify | JobKind::StatusUpdate)
}

impl Service {
    /// Renews `owner`'s lease on `job` to the clock's now plus [`LEASE`] (never earlier than
    /// the tick's `now` plus it) before the job's effect, unless the lease the job holds
    /// (`job.lease_until`, as claimed or last renewed) still has half a [`LEASE`] to run: no
    /// other runner can take it before then, and the effect is made well within it. A job
    /// posted late in a long tick still holds a full lease. [`StoreError::LeaseLost`] when
    /// another runner took it meanwhile (a runner that stalled past its lease finds its lease
    /// in the past, renews, and learns it here).
    pub(crate) async fn renew_lease(&self, job: &Job, owner: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        let from = self.clock.now().max(now);
        if job.lease_until.is_some_and(|until| until - from >= LEASE / 2) {
            return Ok(());
        }
        self.store.renew(job.id, owner, from + LEASE).await
    }
}

/// What a kind's `fire` gets besides its spec.
pub(crate) struct FireInput<'a> {
    pub agreement: &'a Agreement,
    pub policy: &'a Policy,
    pub incident: &'a Incident,
    pub job: &'a JobContext,
    pub now: DateTime<Utc>,
}

/// What a kind's handler gets to build its post.
pub(crate) struct PostContext<'a> {
    pub agreement: &'a Agreement,
    pub incident: &'a Incident,
    pub summary: IncidentSummary,
}

impl PostContext<'_> {
    fn channel(&self, kind: ChannelKind) -> Channel {
        Channel {
            agreement: self.incident.agreement().to_string(),
            kind,
        }
    }

    /// The lead if there is one, else the responders.
    fn lead_or_responders(&self) -> Vec<Mention> {
        self.incident
            .lead()
            .map_or_else(|| vec![Mention::Responders], |l| vec![Mention::User(l.clone())])
    }
}

/// Where a kind's post goes besides its channel, and what else it changes in the chat.
#[derive(Clone, Copy)]
pub(crate) enum Delivery {
    /// Into the incident's conversation when it has one.
    Conversation,
    /// It is the incident's card: its conversation starts under it.
    Card,
    /// Into the incident's conversation, and the card is edited to show this notice.
    EditCard(fn(&PostContext<'_>) -> Notice),
}

/// The handler of one kind of incident job: its domain spec and announcement, turned into a
/// post.
pub(crate) trait IncidentJob: Sync {
    /// The kind's stored spec.
    type Spec: Clone + Send + Sync + Into<JobSpec>;
    /// What a due job of the kind announces.
    type Announce: Clone + Send + Sync;

    /// Decides, purely, whether the job is still due and what it records (the domain's fire).
    fn fire(spec: &Self::Spec, input: &FireInput<'_>) -> Result<Fired<Self::Announce, Self::Spec>, ServiceError>;

    /// The post for a job that is still due: channel, notice and mentions.
    fn post(ctx: &PostContext<'_>, announce: &Self::Announce) -> Result<Post, ServiceError>;

    /// Where the post goes besides its channel (default: the incident's conversation).
    fn delivery(_announce: &Self::Announce) -> Delivery {
        Delivery::Conversation
    }

    /// Whether what a due job plans to follow it stands without its post (the next warning
    /// point does): a post that fails then plans it at once, so a chat refusing this job
    /// (retried, or failed for good) does not hold up the ones after it. Otherwise what
    /// follows is planned only with the post's record.
    const NEXT_WITHOUT_POST: bool = false;
}

fn post(channel: Channel, notice: Notice, mentions: Vec<Mention>) -> Post {
    Post {
        channel,
        conversation: None,
        notice,
        mentions,
        late_since: None,
        nonce: None,
    }
}

/// The stored spec of `job`, checked against its stored kind.
pub(super) fn spec_of(job: &Job) -> Result<JobSpec, ServiceError> {
    let spec: JobSpec = serde_json::from_value(job.payload.clone())
        .map_err(|e| StoreError::Corrupt(format!("job {} payload: {e}", job.id)))?;
    if spec.kind() != job.kind {
        return Err(StoreError::Corrupt(format!(
            "job {} is stored as {} but its payload is {}",
            job.id,
            job.kind,
            spec.kind()
        ))
        .into());
    }
    Ok(spec)
}

impl Service {
    /// Runs one claimed job at `now` on behalf of lease `owner` through its kind's handler:
    /// posts what it must, records it on the incident's timeline, plans what follows, and
    /// finishes the job — the timeline, follow-on jobs and the job's outcome in one
    /// transaction. A job whose purpose lapsed finishes as skipped without posting.
    pub async fn handle_job(&self, job: &Job, owner: &str, now: DateTime<Utc>) -> Result<JobOutcome, ServiceError> {
        self.handle_job_in(&Batch::none(), job, owner, now).await
    }

    /// [`Service::handle_job`] as part of `batch` ([`Service::prepare_batch`]): uses what the
    /// batch read when it may, and may leave the job's finish to it.
    pub async fn handle_job_in(
        &self,
        batch: &Batch,
        job: &Job,
        owner: &str,
        now: DateTime<Utc>,
    ) -> Result<JobOutcome, ServiceError> {
        let late = now - job.planned_at > LATE_AFTER;
        let run = |incident| runner::Run {
            job,
            incident,
            owner,
            now,
            batch,
            ctx: JobContext {
                group: job.group,
                planned_at: job.planned_at,
                late,
            },
        };
        // The one dispatch by kind.
        match (spec_of(job)?, job.incident.as_deref()) {
            (JobSpec::Duty(s), None) => duty::run(self, batch, job, &s, owner, now, late).await,
            (JobSpec::Recurring(s), None) => recurring::run(self, batch, job, &s, owner, now, late).await,
            (JobSpec::Maintenance(s), None) => maintenance::run(self, batch, job, &s, owner, now, late).await,
            (JobSpec::Webhook(s), None) => webhook::run(self, batch, job, &s, owner, now, late).await,
            (JobSpec::Warning(s), Some(i)) => self.run_incident_job::<warning::Warning>(&s, &run(i)).await,
            (JobSpec::Escalation(s), Some(i)) => self.run_incident_job::<escalation::Escalation>(&s, &run(i)).await,
            (JobSpec::StatusUpdate(s), Some(i)) => self.run_incident_job::<status::Status>(&s, &run(i)).await,
            (JobSpec::FollowUp(s), Some(i)) => self.run_incident_job::<follow_up::FollowUp>(&s, &run(i)).await,
            (JobSpec::Notify(s), Some(i)) => self.run_incident_job::<notify::Notify>(&s, &run(i)).await,
            (JobSpec::Announce(s), Some(i)) => self.run_incident_job::<announce::Announcement>(&s, &run(i)).await,
            (JobSpec::Repage(s), Some(i)) => self.run_incident_job::<repage::Repage>(&s, &run(i)).await,
            _ => {
                let outcome = JobOutcome::Skipped(Skip::Misfiled);
                self.finish_plain(batch, job, owner, now, late, outcome).await
            }
        }
    }

    /// Puts the claimed `job` (held by `owner`) back to wait when an earlier announcement of
    /// its incident — planned before it, or at the same time and created before it — has not
    /// gone out yet (it is retrying, or being run), so an incident's card, notifications and
    /// updates reach the chat in order. Returns when it runs again: just after that one's next
    /// attempt, or a moment after `now` when that one is due or running (a notification no
    /// later than [`PAGE_WAIT`] past its planned time). Waiting is neither a failure nor an
    /// attempt. `None`: it may run now.
    pub async fn wait_for_earlier(
        &self,
        job: &Job,
        owner: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, ServiceError> {
        self.wait_for_earlier_in(&Batch::none(), job, owner, now).await
    }

    /// [`Service::wait_for_earlier`] as part of `batch`: the first job of its incident in the
    /// batch uses the unfinished jobs the batch read.
    pub async fn wait_for_earlier_in(
        &self,
        batch: &Batch,
        job: &Job,
        owner: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, ServiceError> {
        let Some(incident) = job.incident.as_ref().filter(|_| in_order(job.kind)) else {
            return Ok(None);
        };
        let unfinished = match batch.incident_inputs(job, self.clock.now()) {
            Some(inputs) => inputs.unfinished,
            None => self.store.unfinished_jobs(incident).await?,
        };
        let Some(mut until) = (unfinished.iter())
            .filter(|e| in_order(e.kind) && (e.planned_at, e.id) < (job.planned_at, job.id))
            .map(|e| e.due_at.max(now) + WAIT_BEHIND)
            .max()
        else {
            return Ok(None);
        };
        // A page does not wait on a card for longer than the quick retries take.
        if job.kind == JobKind::Notify {
            let latest = job.planned_at + PAGE_WAIT;
            if now >= latest {
                tracing::warn!(job = %job.key, "an earlier post of the incident is still retrying; paging without waiting longer");
                return Ok(None);
            }
            until = until.min(latest);
        }
        self.store.postpone(job.id, owner, until).await?;
        Ok(Some(until))
    }

    /// Finishes a job that has no incident (or is misfiled) with `outcome`. One that skipped,
    /// or a recurring post or maintenance notice (its post's reference is stored at once, so
    /// a run again posts nothing), is left to `batch`: nothing else of it is left to write.
    async fn finish_plain(
        &self,
        batch: &Batch,
        job: &Job,
        owner: &str,
        now: DateTime<Utc>,
        late: bool,
        outcome: JobOutcome,
    ) -> Result<JobOutcome, ServiceError> {
        let finish = done(job, owner, now, late, outcome, None);
        let deferrable =
            matches!(outcome, JobOutcome::Skipped(_)) || matches!(job.kind, JobKind::Recurring | JobKind::Maintenance);
        let finish = if deferrable {
            batch.defer(job, finish)
        } else {
            Some(finish)
        };
        if let Some(finish) = finish {
            self.store.finish(&finish).await?;
        }
        Ok(outcome)
    }

    /// After a job failed for good: plans what it would have planned next, so a breach whose
    /// post could not be delivered still climbs the ladder (the next step posts on its own).
    pub async fn plan_after_failure(&self, job: &Job, now: DateTime<Utc>) -> Result<(), ServiceError> {
        let (Some(incident), JobKind::Escalation) = (job.incident.as_deref(), job.kind) else {
            return Ok(());
        };
        let JobSpec::Escalation(spec) = spec_of(job)? else {
            return Ok(());
        };
        let inc = self.load(incident).await?;
        let Ok((a, c)) = self.agreement_of(&inc) else {
            return Ok(());
        };
        let ctx = JobContext {
            group: job.group,
            planned_at: job.planned_at,
            late: now - job.planned_at > LATE_AFTER,
        };
        let input = FireInput {
            agreement: a,
            policy: &c.policy,
            incident: &inc,
            job: &ctx,
            now,
        };
        let fired = <escalation::Escalation as IncidentJob>::fire(&spec, &input)?;
        let next: Vec<_> = fired
            .next
            .into_iter()
            .map(|p| to_new_job(Some(inc.id()), p.map(Into::into)))
            .collect();
        Ok(self.store.schedule(&next).await?)
    }

    /// Posts a job's notice unless an earlier attempt of the same job already did, and
    /// stores the post's reference at once — before anything else can fail or retry — so a
    /// retry of the job (after a crash, a lost lease, a failed commit) finds it and does not
    /// post twice even on a chat without nonces.
    pub(crate) async fn post_once(&self, batch: &Batch, job: &Job, post: &Post) -> Result<MessageRef, ServiceError> {
        let earlier = match batch.earlier_post(job) {
            Some(known) => known,
            None => self.store.chat_ref(&ChatRefKey::JobPost(job.id)).await?,
        };
        if let Some(r) = earlier {
            return Ok(r);
        }
        self.post_and_keep(job, post).await
    }

    /// Posts a job's notice (no earlier attempt of the job posted) and stores the post's
    /// reference at once. The notice's webhook deliveries are planned first (once per target,
    /// whatever happens to the post).
    pub(crate) async fn post_and_keep(&self, job: &Job, post: &Post) -> Result<MessageRef, ServiceError> {
        let r = self.post_unkept(job, post).await?;
        self.store.put_chat_ref(&ChatRefKey::JobPost(job.id), &r).await?;
        Ok(r)
    }

    /// [`post_and_keep`](Self::post_and_keep) without storing the post's reference: the
    /// caller stores it with the job's record, or alone when that fails.
    pub(crate) async fn post_unkept(&self, job: &Job, post: &Post) -> Result<MessageRef, ServiceError> {
        self.plan_webhooks(job, post).await?;
        Ok(self.chat.post(post).await?)
    }

    /// Schedules the next run of each configured recurring post after `now` (idempotent).
    pub async fn schedule_recurring(&self) -> Result<(), ServiceError> {
        let now = self.clock.now();
        let mut jobs = Vec::new();
        for (id, c) in &self.settings.agreements {
            let Some(a) = self.catalog.get(id) else { continue };
            for r in &c.recurring {
                if let Some(at) = r.cron.next_after(a.tz, now) {
                    jobs.push(recurring::job(id, &r.name, at));
                }
            }
        }
        Ok(self.store.schedule(&jobs).await?)
    }
}

/// The finish of `job`, run by `owner` at `now` with `outcome` (and the post it made).
fn done(
    job: &Job,
    owner: &str,
    now: DateTime<Utc>,
    late: bool,
    outcome: JobOutcome,
    posted: Option<MessageRef>,
) -> FinishJob {
    FinishJob {
        id: job.id,
        owner: owner.to_string(),
        finish: JobFinish::Done {
            fired_at: now,
            late,
            outcome: outcome.code(),
        },
        posted,
    }
}

/// A post the agreement no longer supports (a bug, or an agreement changed under the job):
/// refuse loudly.
fn mismatch(kind: JobKind) -> ServiceError {
    ServiceError::from(StoreError::Corrupt(format!(
        "{kind} job announces what its agreement no longer has"
    )))
}
