//! The handlers of the scheduler's jobs, one per [`JobKind`]. An incident job's handler is a
//! thin shell: the shared runner here loads the incident, asks the kind's pure domain
//! `fire` whether the job is still due, lets the kind build its typed [`Post`] and say where
//! it is delivered, posts it once, and then records it: what the incident records, the jobs
//! that follow and the job's finish in one transaction. The post happens outside any retry of
//! that transaction and its reference is stored before it, so a person changing the incident
//! meanwhile never makes a job post twice or deny its post. Recurring jobs have no incident
//! and their own runner.
//!
//! Job ids are the chat nonce, so a post resent after a crash is dropped by the chat.

mod announce;
mod duty;
mod escalation;
mod follow_up;
mod notify;
mod recurring;
mod status;
mod warning;

use super::notice::{IncidentSummary, Mention, Notice};
use super::ports::{Change, Channel, ChannelKind, ChatRefKey, FinishJob, Job, JobFinish, MessageRef, Post, StoreError};
use super::views::summarize;
use super::{MAX_CONFLICT_RETRIES, Service, ServiceError, to_new_job};
use crate::domain::agreement::Agreement;
use crate::domain::fire::{Announce, Decision, Fired, JobContext, JobOutcome, Skip};
use crate::domain::incident::Incident;
use crate::domain::plan::{JobKind, JobSpec, Policy};
use chrono::{DateTime, Utc};

/// How long a runner's claim on a job lasts; renewed before the job posts, so a runner that
/// stalled longer than this finds it lost the job and neither posts nor commits.
pub const LEASE: chrono::Duration = chrono::Duration::seconds(60);

/// How late a job may run before it counts as late (the runner's normal polling slack).
pub const LATE_AFTER: chrono::Duration = chrono::Duration::seconds(120);

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

/// The handler of one kind of incident job.
pub(crate) trait IncidentJob: Sync {
    /// Decides, purely, whether the job is still due and what it records.
    fn fire(
        &self,
        spec: &JobSpec,
        agreement: &Agreement,
        policy: &Policy,
        incident: &Incident,
        job: &JobContext,
        now: DateTime<Utc>,
    ) -> Result<Fired, ServiceError>;

    /// The post for a job that is still due: channel, notice and mentions.
    fn post(&self, ctx: &PostContext<'_>, announce: &Announce) -> Result<Post, ServiceError>;

    /// Where the post goes besides its channel (default: the incident's conversation).
    fn delivery(&self, _announce: &Announce) -> Delivery {
        Delivery::Conversation
    }
}

/// The handler of an incident job kind (none for recurring jobs).
fn handler(kind: JobKind) -> Option<&'static dyn IncidentJob> {
    Some(match kind {
        JobKind::Warning => &warning::Warning,
        JobKind::Escalation => &escalation::Escalation,
        JobKind::StatusUpdate => &status::Status,
        JobKind::FollowUp => &follow_up::FollowUp,
        JobKind::Notify => &notify::Notify,
        JobKind::Announce => &announce::Announcement,
        JobKind::Recurring | JobKind::Duty => return None,
    })
}

/// One incident job being run: its handler, the claimed row, its spec and context.
#[derive(Clone, Copy)]
struct JobRun<'a> {
    h: &'a dyn IncidentJob,
    job: &'a Job,
    spec: &'a JobSpec,
    ctx: JobContext,
    owner: &'a str,
    now: DateTime<Utc>,
}

/// What deciding an incident job came to.
enum Decided {
    /// It finished without posting (skipped, or cancelled with its agreement).
    Finished(JobOutcome),
    /// It is due: post this.
    Post(Incident, Fired, Announce),
    /// An earlier attempt posted already, and it would lapse now: record that post.
    PostedBefore(Incident, Fired),
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

impl PartialEq for Delivery {
    fn eq(&self, other: &Self) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

fn post(channel: Channel, notice: super::notice::Notice, mentions: Vec<Mention>) -> Post {
    Post {
        channel,
        conversation: None,
        notice,
        mentions,
        late_since: None,
        nonce: None,
    }
}

impl Service {
    /// Runs one claimed job at `now` on behalf of lease `owner` through its kind's handler:
    /// posts what it must, records it on the incident's timeline, plans what follows, and
    /// finishes the job — the timeline, follow-on jobs and the job's outcome in one
    /// transaction. A job whose purpose lapsed finishes as skipped without posting.
    pub async fn handle_job(&self, job: &Job, owner: &str, now: DateTime<Utc>) -> Result<JobOutcome, ServiceError> {
        let late = now - job.planned_at > LATE_AFTER;
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
        match (handler(job.kind), job.incident.as_deref()) {
            (None, None) if job.kind == JobKind::Duty => duty::run(self, job, &spec, owner, now, late).await,
            (None, None) => recurring::run(self, job, &spec, owner, now, late).await,
            (Some(h), Some(incident)) => self.run_incident_job(h, job, &spec, incident, owner, now, late).await,
            _ => {
                let outcome = JobOutcome::Skipped(Skip::Misfiled);
                self.finish_plain(job, owner, now, late, outcome).await
            }
        }
    }

    /// Runs an incident job in three steps, so that its chat effect happens once:
    /// 1. decide (retried on a version conflict: nothing happened yet) — a job whose purpose
    ///    lapsed finishes as skipped here;
    /// 2. renew the claim and post, once, outside any retry, storing what was posted at once
    ///    (a retry of the job finds it and posts nothing, to no other target);
    /// 3. record the post on the incident (retried on a conflict against the incident as it
    ///    is then): done as posted with its timeline entry, never as skipped.
    #[allow(clippy::too_many_arguments)]
    async fn run_incident_job(
        &self,
        h: &dyn IncidentJob,
        job: &Job,
        spec: &JobSpec,
        incident: &str,
        owner: &str,
        now: DateTime<Utc>,
        late: bool,
    ) -> Result<JobOutcome, ServiceError> {
        let ctx = JobContext {
            group: job.group,
            planned_at: job.planned_at,
            late,
        };
        let run = JobRun {
            h,
            job,
            spec,
            ctx,
            owner,
            now,
        };
        // An earlier attempt of this job posted already (and stopped before recording it).
        let earlier = self.store.chat_ref(&ChatRefKey::JobPost(job.id)).await?;
        let (inc, fired, posted) = match self.decide(&run, incident, earlier.is_some()).await? {
            Decided::Finished(outcome) => return Ok(outcome),
            Decided::Post(inc, fired, announce) => {
                // Still ours? A runner that stalled past its lease must not post.
                self.store.renew(job.id, owner, now + LEASE).await?;
                let posted = self.post_effect(&run, &inc, &announce, earlier).await?;
                (inc, fired, posted)
            }
            Decided::PostedBefore(inc, fired) => (inc, fired, earlier.ok_or_else(|| mismatch(job.kind))?),
        };
        self.record_effect(&run, inc, fired, posted).await
    }

    /// Step 1 of [`run_incident_job`](Self::run_incident_job): loads the incident and fires
    /// the job, until a decision sticks.
    async fn decide(&self, run: &JobRun<'_>, incident: &str, posted_before: bool) -> Result<Decided, ServiceError> {
        let JobRun { job, owner, now, .. } = *run;
        let mut attempt = 0;
        loop {
            let inc = self.load(incident).await?;
            let (change, outcome) = if self.catalog.get(inc.agreement()).is_none()
                || !self.settings.agreements.contains_key(inc.agreement().as_str())
            {
                // The agreement was removed: nothing it planned can be run any more. Cancel
                // the incident's pending jobs; the incident stays readable and closable.
                let outcome = JobOutcome::Skipped(Skip::NoLongerInAgreement);
                tracing::warn!(incident = %inc.id(), job = %job.key, "agreement {} is no longer loaded; cancelling its jobs", inc.agreement());
                let cancel = Some(super::ports::CancelJobs {
                    incident: inc.id().clone(),
                    groups: vec![],
                });
                (cancel, outcome)
            } else {
                let (a, c) = self.agreement(&inc.agreement().clone())?;
                let fired = run.h.fire(run.spec, a, &c.policy, &inc, &run.ctx, now)?;
                match (&fired.decision, posted_before) {
                    (Decision::Post(announce), _) => {
                        let announce = announce.clone();
                        return Ok(Decided::Post(inc, fired, announce));
                    }
                    // It lapsed since, but its post went out: that is what the record says.
                    (Decision::Skip(_), true) => return Ok(Decided::PostedBefore(inc, fired)),
                    (Decision::Skip(_), false) => (None, fired.outcome()),
                }
            };
            let change = Change {
                cancel: change,
                finish: Some(done(job, owner, now, run.ctx.late, outcome, None)),
                ..Change::default()
            };
            match self.store.update_incident(&inc, &change).await {
                Err(StoreError::Conflict(_)) if attempt < MAX_CONFLICT_RETRIES => attempt += 1,
                Err(e) => return Err(e.into()),
                Ok(_) => return Ok(Decided::Finished(outcome)),
            }
        }
    }

    /// Step 2 of [`run_incident_job`](Self::run_incident_job): posts `announce` once (or
    /// takes the post an earlier attempt made) and stores its reference at once, then does
    /// what the kind's delivery asks: start the incident's conversation under its card, or
    /// edit the card. Runs outside any retry of the incident write.
    async fn post_effect(
        &self,
        run: &JobRun<'_>,
        inc: &Incident,
        announce: &Announce,
        earlier: Option<MessageRef>,
    ) -> Result<MessageRef, ServiceError> {
        let JobRun { h, job, now, .. } = *run;
        let (a, _) = self.agreement(inc.agreement())?;
        let pc = PostContext {
            agreement: a,
            incident: inc,
            summary: summarize(a, inc, now)?,
        };
        let delivery = h.delivery(announce);
        let mut p = h.post(&pc, announce)?;
        p.nonce = Some(job.id.to_string());
        p.late_since = run.ctx.late.then_some(job.planned_at);
        let r = match earlier {
            Some(r) => r,
            None => {
                if delivery != Delivery::Card {
                    p.conversation = self.store.chat_ref(&ChatRefKey::Conversation(inc.id().clone())).await?;
                }
                self.post_once(job, &p).await?
            }
        };
        match delivery {
            Delivery::Card => {
                // The post is the incident's card; its conversation starts under it (once).
                self.store.put_chat_ref(&ChatRefKey::Card(inc.id().clone()), &r).await?;
                let key = ChatRefKey::Conversation(inc.id().clone());
                if self.store.chat_ref(&key).await?.is_none() {
                    let conversation = self.chat.start_conversation(&r, &pc.summary).await?;
                    self.store.put_chat_ref(&key, &conversation).await?;
                }
            }
            Delivery::EditCard(card_notice) => {
                if let Some(card) = self.store.chat_ref(&ChatRefKey::Card(inc.id().clone())).await? {
                    // The card shows the incident as it is now.
                    let card_post = Post {
                        notice: card_notice(&pc),
                        conversation: None,
                        mentions: vec![],
                        nonce: None,
                        ..p.clone()
                    };
                    self.chat.edit(&card, &card_post).await?;
                }
            }
            Delivery::Conversation => {}
        }
        Ok(r)
    }

    /// Step 3 of [`run_incident_job`](Self::run_incident_job): records the post on the
    /// incident — the action decided when it was posted, the jobs that follow as the incident
    /// is now — and finishes the job as posted, retrying on a version conflict.
    async fn record_effect(
        &self,
        run: &JobRun<'_>,
        mut inc: Incident,
        fired: Fired,
        posted: MessageRef,
    ) -> Result<JobOutcome, ServiceError> {
        let JobRun { job, owner, now, .. } = *run;
        let mut next = fired.next;
        let mut attempt = 0;
        loop {
            let timeline = fired.action.as_ref().map_or(vec![], |act| inc.record(act, now));
            let change = Change {
                timeline,
                jobs: next.iter().cloned().map(|p| to_new_job(Some(inc.id()), p)).collect(),
                finish: Some(done(
                    job,
                    owner,
                    now,
                    run.ctx.late,
                    JobOutcome::Posted,
                    Some(posted.clone()),
                )),
                ..Change::default()
            };
            match self.store.update_incident(&inc, &change).await {
                Err(StoreError::Conflict(_)) if attempt < MAX_CONFLICT_RETRIES => attempt += 1,
                Err(e) => return Err(e.into()),
                Ok(_) => return Ok(JobOutcome::Posted),
            }
            // A person changed the incident meanwhile: record on it as it is now, and plan
            // what follows from it (nothing when the job would lapse now).
            inc = self.load(inc.id().as_str()).await?;
            let (a, c) = self.agreement(&inc.agreement().clone())?;
            next = match run.h.fire(run.spec, a, &c.policy, &inc, &run.ctx, now) {
                Ok(Fired {
                    decision: Decision::Post(_),
                    next,
                    ..
                }) => next,
                _ => vec![],
            };
        }
    }

    async fn finish_plain(
        &self,
        job: &Job,
        owner: &str,
        now: DateTime<Utc>,
        late: bool,
        outcome: JobOutcome,
    ) -> Result<JobOutcome, ServiceError> {
        self.store.finish(&done(job, owner, now, late, outcome, None)).await?;
        Ok(outcome)
    }

    /// After a job failed for good: plans what it would have planned next, so a breach whose
    /// post could not be delivered still climbs the ladder (the next step posts on its own).
    pub async fn plan_after_failure(&self, job: &Job, now: DateTime<Utc>) -> Result<(), ServiceError> {
        let (Some(incident), JobKind::Escalation) = (job.incident.as_deref(), job.kind) else {
            return Ok(());
        };
        let spec: JobSpec = serde_json::from_value(job.payload.clone())
            .map_err(|e| StoreError::Corrupt(format!("job {} payload: {e}", job.id)))?;
        let inc = self.load(incident).await?;
        let Ok((a, c)) = self.agreement(inc.agreement()) else {
            return Ok(());
        };
        let ctx = JobContext {
            group: job.group,
            planned_at: job.planned_at,
            late: now - job.planned_at > LATE_AFTER,
        };
        let fired = handler(job.kind)
            .ok_or_else(|| mismatch(job.kind))?
            .fire(&spec, a, &c.policy, &inc, &ctx, now)?;
        let next: Vec<_> = fired.next.into_iter().map(|p| to_new_job(Some(inc.id()), p)).collect();
        Ok(self.store.schedule(&next).await?)
    }

    /// Posts a job's notice unless an earlier attempt of the same job already did, and
    /// stores the post's reference at once — before anything else can fail or retry — so a
    /// retry of the job (after a crash, a lost lease, a failed commit) finds it and does not
    /// post twice even on a chat without nonces.
    pub(crate) async fn post_once(&self, job: &Job, post: &Post) -> Result<MessageRef, ServiceError> {
        let key = ChatRefKey::JobPost(job.id);
        if let Some(r) = self.store.chat_ref(&key).await? {
            return Ok(r);
        }
        let r = self.chat.post(post).await?;
        self.store.put_chat_ref(&key, &r).await?;
        Ok(r)
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

/// The job that does not match its handler's spec (a corrupt row).
fn misfiled() -> Result<Fired, ServiceError> {
    Ok(Fired::skip(Skip::Misfiled))
}

/// A post's announce that does not match the handler (a bug): refuse loudly.
fn mismatch(kind: JobKind) -> ServiceError {
    ServiceError::from(StoreError::Corrupt(format!(
        "{kind} handler given another kind's announcement"
    )))
}
