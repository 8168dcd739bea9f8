//! The runner of incident jobs, shared by every kind: decide, post once, record. A job's chat
//! effect happens after its claim is renewed and outside any retry of the incident write; the
//! references of what was posted (the post; for an incident's card, the card and the
//! conversation started under it) are stored with the job's record, in its commit — alone,
//! at once, when the record does not commit or the conversation cannot be started — so a
//! retry of the job posts nothing, to no other target; a job whose post went out is recorded
//! as posted, with its timeline entry, however the incident changed meanwhile.
//!
//! Run in a [`Batch`], the first job of each incident takes what it reads before the post (its
//! incident, an earlier attempt's post, the card and conversation) from the batch's prefetch,
//! and each job that posts and records hands the next one of its incident what its record left
//! ([`Batch::recorded`]); a stale prefetched incident shows as a version conflict of the
//! record, which reloads.

use super::batch::IncidentInputs;
use super::{Batch, Delivery, FireInput, IncidentJob, PostContext, done};
use crate::domain::incident::{BotAction, Incident, fate};
use crate::domain::jobs::job::Planned;
use crate::domain::jobs::job::{Decision, Fired};
use crate::domain::jobs::{JobContext, JobOutcome, JobSpec, Skip};
use crate::service::notice::Notice;
use crate::service::ports::{
    CancelJobs, Change, ChannelKind, ChatError, ChatRefKey, Job, MessageRef, Post, StoreError,
};
use crate::service::views::summarize;
use crate::service::{MAX_CONFLICT_RETRIES, Service, ServiceError, to_new_job};
use chrono::{DateTime, Utc};

/// How often recording a post is tried again after a version conflict. Higher than for a
/// decision: the post went out, and each conflict means another writer committed, so the
/// record gets through; giving up would leave the job to a retry that may find it lapsed.
const RECORD_RETRIES: usize = 20;

/// One incident job being run: the claimed row, its incident, and how it is fired.
pub(super) struct Run<'a> {
    pub job: &'a Job,
    pub incident: &'a str,
    pub owner: &'a str,
    pub now: DateTime<Utc>,
    pub ctx: JobContext,
    /// The batch the job runs in ([`Batch::none`] when alone).
    pub batch: &'a Batch,
}

/// What a job's post left to store: its reference (none when an earlier attempt's was found)
/// and, for an incident's card, the card and its conversation. The job's record stores them in
/// its commit; [`Service::keep_alone`] when it cannot.
#[derive(Debug, Default)]
struct Unkept {
    post: Option<MessageRef>,
    refs: Vec<(ChatRefKey, MessageRef)>,
}

/// What deciding an incident job came to.
enum Decided<K: IncidentJob> {
    /// It finished without posting (skipped, or cancelled with its agreement).
    Finished(JobOutcome),
    /// It is due: post this.
    Post(Incident, Fired<K::Announce, K::Spec>, K::Announce),
    /// An earlier attempt posted already, and it would lapse now: record that post.
    PostedBefore(Incident, Fired<K::Announce, K::Spec>),
}

impl Service {
    /// Runs an incident job of kind `K` in three steps, so that its chat effect happens once:
    /// 1. decide (retried on a version conflict: nothing happened yet) — a job whose purpose
    ///    lapsed finishes as skipped here;
    /// 2. renew the claim and post, once, outside any retry;
    /// 3. record the post on the incident (retried on a conflict against the incident as it
    ///    is then): done as posted with its timeline entry, never as skipped, and the post's
    ///    reference stored in the same commit — or alone, at once, when the record fails — so
    ///    a retry of the job finds it and posts nothing, to no other target.
    pub(super) async fn run_incident_job<K: IncidentJob>(
        &self,
        spec: &K::Spec,
        run: &Run<'_>,
    ) -> Result<JobOutcome, ServiceError> {
        // An earlier attempt of this job posted already (and stopped before recording it).
        let earlier = match run.batch.earlier_post(run.job) {
            Some(known) => known,
            None => self.store.chat_ref(&ChatRefKey::JobPost(run.job.id)).await?,
        };
        let inputs = run.batch.incident_inputs(run.job, self.clock.now());
        let prefetched = inputs.as_ref().and_then(|i| i.incident.clone());
        let (inc, fired, unkept) = match self.decide::<K>(spec, run, earlier.clone(), prefetched).await? {
            Decided::Finished(outcome) => return Ok(outcome),
            Decided::Post(inc, fired, announce) => {
                // Still ours? A runner that stalled past its lease must not post.
                self.renew_lease(run.job, run.owner, run.now).await?;
                let unkept = match self.post_effect::<K>(run, &inc, &announce, earlier, inputs).await {
                    Ok(unkept) => unkept,
                    Err(e) => {
                        if K::NEXT_WITHOUT_POST {
                            self.plan_next_alone(run, &inc, &fired.next).await;
                        }
                        return Err(e);
                    }
                };
                (inc, fired, unkept)
            }
            Decided::PostedBefore(inc, fired) => (inc, fired, Unkept::default()),
        };
        let recorded = self.record_effect::<K>(spec, run, inc, fired, &unkept).await;
        if let Err(failed) = &recorded {
            // The record did not commit (or it is not known whether it did): keep what was
            // posted alone, so that the job's retry finds it and posts nothing.
            self.keep_alone(run.job, unkept, failed).await;
        }
        recorded
    }

    /// Stores what a job posted (`unkept`) without its record, which did not commit (`why`):
    /// the post's reference first, so a retry of the job finds it, then the card's and the
    /// conversation's. A failure is logged: the job's own error is what the runner handles.
    async fn keep_alone(&self, job: &Job, unkept: Unkept, why: &(dyn std::fmt::Display + Sync)) {
        let post = unkept.post.map(|r| (ChatRefKey::JobPost(job.id), r));
        for (key, r) in post.into_iter().chain(unkept.refs) {
            if let Err(e) = self.store.put_chat_ref(&key, &r).await {
                tracing::error!(job = %job.key, error = %e, record = %why, %key, "a reference of what the job posted could not be stored; a retry of the job posts again, which a chat drops by the post's nonce");
                return;
            }
        }
    }

    /// Plans `next`, what a job whose post failed plans to follow it, on its own: against the
    /// incident as the job decided on it (as its record would), by key (a retry that posts
    /// plans the same jobs again, which changes nothing). When the incident changed meanwhile
    /// nothing is planned: the job's retry decides again on the incident as it is then. A
    /// failure here is logged and left: the job's own error is what the runner handles.
    async fn plan_next_alone<S: Clone + Into<JobSpec>>(&self, run: &Run<'_>, inc: &Incident, next: &[Planned<S>]) {
        if next.is_empty() {
            return;
        }
        let change = Change {
            jobs: next
                .iter()
                .map(|p| to_new_job(Some(inc.id()), p.clone().map(Into::into)))
                .collect(),
            unchanged: true,
            ..Change::default()
        };
        match self.store.update_incident(inc, &change).await {
            Ok(_) => {}
            Err(StoreError::Conflict(_)) => {
                tracing::debug!(job = %run.job.key, "the incident changed since the job decided; what follows it is planned when it runs again");
            }
            Err(e) => {
                tracing::error!(job = %run.job.key, error = %e, "the jobs after a failed post could not be planned; they are planned when it runs again");
            }
        }
    }

    /// Fires `K` on `inc` as stored.
    fn fire_on<K: IncidentJob>(
        &self,
        spec: &K::Spec,
        run: &Run<'_>,
        inc: &Incident,
    ) -> Result<Fired<K::Announce, K::Spec>, ServiceError> {
        let (a, c) = self.agreement_of(inc)?;
        let input = FireInput {
            agreement: a,
            policy: &c.policy,
            incident: inc,
            job: &run.ctx,
            now: run.now,
        };
        K::fire(spec, &input)
    }

    /// Step 1: loads the incident (the first time, the batch's prefetched one when given) and
    /// fires the job, until a decision sticks. A skip with nothing to plan or cancel writes
    /// nothing but the job's finish, which it may leave to the batch: deciding on an incident
    /// a person changes meanwhile is then as if the change came just after (the change plans
    /// by idempotency key, and a running job is not cancelled).
    async fn decide<K: IncidentJob>(
        &self,
        spec: &K::Spec,
        run: &Run<'_>,
        earlier: Option<MessageRef>,
        mut prefetched: Option<Incident>,
    ) -> Result<Decided<K>, ServiceError> {
        let Run { job, owner, now, .. } = *run;
        let mut attempt = 0;
        loop {
            let inc = match prefetched.take() {
                Some(inc) => inc,
                None => self.load(run.incident).await?,
            };
            let loaded = (self.catalog.for_incident(&inc))
                .filter(|_| self.settings.agreements.contains_key(inc.agreement().as_str()));
            let (cancel, outcome, next) = if fate(&inc, loaded.map(|a| &**a)).cancels_jobs() {
                // The agreement (or the incident's priority in it) was removed: nothing it
                // planned can be run any more. Cancel the incident's pending jobs; the
                // incident stays readable and closable.
                tracing::warn!(incident = %inc.id(), job = %job.key, "agreement {} is no longer loaded; cancelling its jobs", inc.agreement());
                let cancel = CancelJobs {
                    incident: inc.id().clone(),
                    groups: vec![],
                };
                (Some(cancel), JobOutcome::Skipped(Skip::NoLongerInAgreement), vec![])
            } else {
                let fired = self.fire_on::<K>(spec, run, &inc)?;
                match (&fired.decision, earlier.clone()) {
                    (Decision::Post(announce), _) => {
                        let announce = announce.clone();
                        return Ok(Decided::Post(inc, fired, announce));
                    }
                    // It lapsed since, but its post went out: that is what the record says
                    // (what it recorded when posted is not known any more).
                    (Decision::Skip(_), Some(_)) => {
                        tracing::warn!(job = %job.key, "posted by an earlier attempt and lapsed since: recorded as posted without its timeline entry");
                        return Ok(Decided::PostedBefore(inc, fired));
                    }
                    // A skip may still plan what follows (a snoozed status update: the
                    // cadence goes on).
                    (Decision::Skip(_), None) => (None, fired.outcome(), fired.next),
                }
            };
            let finish = done(job, owner, now, run.ctx.late, outcome, None);
            if cancel.is_none() && next.is_empty() {
                if let Some(finish) = run.batch.defer(job, finish) {
                    self.store.finish(&finish).await?;
                }
                return Ok(Decided::Finished(outcome));
            }
            let change = Change {
                cancel,
                jobs: next
                    .into_iter()
                    .map(|p| to_new_job(Some(inc.id()), p.map(Into::into)))
                    .collect(),
                finish: Some(finish),
                unchanged: true,
                ..Change::default()
            };
            match self.store.update_incident(&inc, &change).await {
                Err(StoreError::Conflict(_)) if attempt < MAX_CONFLICT_RETRIES => attempt += 1,
                Err(e) => return Err(e.into()),
                Ok(_) => return Ok(Decided::Finished(outcome)),
            }
        }
    }

    /// Step 2: posts `announce` once (or takes the post an earlier attempt made), then does
    /// what the kind's delivery asks: start the incident's conversation under its card, or —
    /// before the post, so the post goes under it — edit the card (a new card when the old one
    /// is gone). Runs outside any retry of the incident write. The references made are
    /// returned, for the record to store; when a card's conversation cannot be started, the
    /// card's are stored at once instead (the retry starts it under that card).
    async fn post_effect<K: IncidentJob>(
        &self,
        run: &Run<'_>,
        inc: &Incident,
        announce: &K::Announce,
        earlier: Option<MessageRef>,
        inputs: Option<IncidentInputs>,
    ) -> Result<Unkept, ServiceError> {
        let job = run.job;
        let (a, _) = self.agreement_of(inc)?;
        let pc = PostContext {
            agreement: a,
            incident: inc,
            summary: summarize(a, inc, run.now)?,
        };
        let delivery = K::delivery(announce);
        let mut p = K::post(&pc, announce)?;
        p.nonce = Some(job.id.to_string());
        p.late_since = run.ctx.late.then_some(job.planned_at);
        let (card, conversation) = match inputs {
            Some(i) => (Some(i.card), Some(i.conversation)),
            None => (None, None),
        };
        let replaced = match delivery {
            Delivery::EditCard(card_notice) => self.show_card(job, &pc, card_notice(&pc), card).await?,
            _ => false,
        };
        if replaced {
            // The batch's card and conversation of the incident are gone: no later job of it
            // in the batch takes them.
            run.batch.forget(inc.id());
        }
        let retried = earlier.is_some();
        let (r, post) = match earlier {
            Some(r) => (r, None),
            None if matches!(delivery, Delivery::Card) => {
                let r = self.post_unkept(job, &p).await?;
                (r.clone(), Some(r))
            }
            None => {
                // Read after any new card `show_card` made (it makes a new conversation):
                // the prefetched one only when the card was not replaced.
                p.conversation = match conversation.filter(|_| !replaced) {
                    Some(known) => known,
                    None => self.store.chat_ref(&ChatRefKey::Conversation(inc.id().clone())).await?,
                };
                return Ok(Unkept {
                    post: Some(self.post_unkept(job, &p).await?),
                    refs: Vec::new(),
                });
            }
        };
        let mut unkept = Unkept { post, refs: Vec::new() };
        if let Delivery::Card = delivery {
            // The post is the incident's card; its conversation starts under it (once: a
            // retry finds the one an earlier attempt started).
            unkept.refs.push((ChatRefKey::Card(inc.id().clone()), r.clone()));
            let key = ChatRefKey::Conversation(inc.id().clone());
            if !retried || self.store.chat_ref(&key).await?.is_none() {
                match self.chat.start_conversation(&r, &pc.summary).await {
                    Ok(conversation) => unkept.refs.push((key, conversation)),
                    Err(e) => {
                        // Keep the card, so that the retry starts the conversation under it
                        // instead of posting another.
                        let e = ServiceError::from(e);
                        self.keep_alone(job, unkept, &e).await;
                        return Err(e);
                    }
                }
            }
        }
        Ok(unkept)
    }

    /// Edits the incident's card to show `notice` (the incident as it is now). A card that is
    /// gone — deleted in the chat, or stored by another chat adapter on the same database —
    /// is posted anew in the incident channel with a conversation under it, and both
    /// references replace the old ones, so this and later announcements carry on. An incident
    /// with no card (its opening post failed for good) keeps having none. `card`: the card's
    /// reference when the batch read it. True when it made a new card (and conversation).
    async fn show_card(
        &self,
        job: &Job,
        pc: &PostContext<'_>,
        notice: Notice,
        card: Option<Option<MessageRef>>,
    ) -> Result<bool, ServiceError> {
        let id = pc.incident.id();
        let card = match card {
            Some(known) => known,
            None => self.store.chat_ref(&ChatRefKey::Card(id.clone())).await?,
        };
        let Some(card) = card else {
            return Ok(false);
        };
        let mut card_post = Post {
            channel: pc.channel(ChannelKind::Incidents),
            conversation: None,
            notice,
            mentions: vec![],
            late_since: None,
            nonce: None,
        };
        let reason = match self.chat.edit(&card, &card_post).await {
            Err(ChatError::Gone { reason }) => reason,
            other => return Ok(other.map(|()| false)?),
        };
        tracing::warn!(incident = %id, job = %job.key, %reason, "the incident's card is gone; posting a new one");
        // Its own nonce, so a retry of this job finds the new card (stored at once) or the
        // chat drops the resend.
        card_post.nonce = Some(format!("{}.card", job.id));
        let card = self.chat.post(&card_post).await?;
        self.store.put_chat_ref(&ChatRefKey::Card(id.clone()), &card).await?;
        let conversation = self.chat.start_conversation(&card, &pc.summary).await?;
        self.store
            .put_chat_ref(&ChatRefKey::Conversation(id.clone()), &conversation)
            .await?;
        Ok(true)
    }

    /// Step 3: records the post on the incident — the action decided when it was posted, the
    /// jobs that follow as the incident is now, the references in `unkept` (not
    /// stored yet) — and finishes the job as posted, retrying on a version conflict.
    async fn record_effect<K: IncidentJob>(
        &self,
        spec: &K::Spec,
        run: &Run<'_>,
        mut inc: Incident,
        fired: Fired<K::Announce, K::Spec>,
        unkept: &Unkept,
    ) -> Result<JobOutcome, ServiceError> {
        let Run { job, owner, now, .. } = *run;
        let mut next = fired.next;
        let mut attempt = 0;
        loop {
            let before = inc.clone();
            let timeline = fired.action.as_ref().map_or(vec![], |act| inc.record(act, now));
            let change = Change {
                timeline,
                jobs: next
                    .iter()
                    .cloned()
                    .map(|p| to_new_job(Some(inc.id()), p.map(Into::into)))
                    .collect(),
                finish: Some(done(
                    job,
                    owner,
                    now,
                    run.ctx.late,
                    JobOutcome::Posted,
                    unkept.post.clone(),
                )),
                chat_refs: unkept.refs.clone(),
                unchanged: inc == before,
                ..Change::default()
            };
            match self.store.update_incident(&inc, &change).await {
                Err(StoreError::Conflict(_)) if attempt < RECORD_RETRIES => attempt += 1,
                Err(e) => return Err(e.into()),
                Ok(stored) => {
                    run.batch.recorded(job, &stored, &unkept.refs, self.clock.now());
                    if let Some(BotAction::Breached { milestone, .. }) = &fired.action {
                        self.metrics.breached(inc.agreement().as_str(), milestone.as_str());
                    }
                    return Ok(JobOutcome::Posted);
                }
            }
            // A person changed the incident meanwhile: record on it as it is now, and plan
            // what follows from it (nothing when the job would lapse now).
            inc = self.load(run.incident).await?;
            next = match self.fire_on::<K>(spec, run, &inc) {
                Ok(Fired {
                    decision: Decision::Post(_),
                    next,
                    ..
                }) => next,
                _ => vec![],
            };
        }
    }
}
