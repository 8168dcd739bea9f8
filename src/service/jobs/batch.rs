//! A batch of claimed jobs as the service runs it: what the jobs' handlers read, fetched for
//! the whole batch in one store call right after the claim ([`Service::prepare_batch`]), and
//! the finishes of jobs that wrote nothing else, committed together at the end
//! ([`Service::finish_batches`]).
//!
//! # What a prefetch is good for
//! The inputs are as stored when the batch began. They stand in for the reads a job makes
//! before it posts — its incident (data and version), the post an earlier attempt made, the
//! incident's card and conversation, the unfinished in-order jobs of the incident — only:
//! - for the **first job of each incident** to run in the batch (whatever order the batch
//!   runs them in), and then for the next one after each job that posted and recorded with
//!   them ([`Batch::recorded`]): its record is the incident's newest version, its post's
//!   card and conversation are known, and it is no longer unfinished — so the next job of the
//!   incident takes them as they are after that record. A job that used them and did not
//!   record a post (it failed, skipped, or waited) leaves them to no other job: a later job
//!   of the incident reads for itself, as without a batch;
//! - for no job of an incident the runner still held jobs of (queued or running, from an
//!   earlier claim of the tick) when it made this claim: the scheduler calls
//!   [`Batch::forget`], since the read may have come before their records. Jobs of the
//!   incident that finished before the claim was made have their records in what it reads;
//! - while they are **fresh** (at most [`FRESH`] of the service's clock since they were read,
//!   or since the record that brought them up to date): a batch held up by a slow chat reads
//!   anew rather than decide on what a person may have changed since.
//!
//! Jobs planned since the read are never among the unfinished ones a job waits for: a job
//! waits only for jobs planned before it, and every job of the batch was planned before the
//! batch was claimed. An unfinished job that finished meanwhile elsewhere makes the next one
//! wait a little longer, no more.
//!
//! The post an earlier attempt of a job made is only ever written for that job, which this
//! runner holds: it is good for the whole batch. A stale incident is caught where it always
//! was: the record's version check fails, and the record reloads and retries.
//!
//! # Deferred finishes
//! A job that finished without writing anything else — skipped with nothing to plan, cancel
//! or record, or a recurring post or maintenance notice whose post's reference is stored
//! already — leaves its finish to the batch, which commits them in one transaction at its end
//! (before it renews its claims or releases them). A crash before that commit leaves the jobs
//! claimed: they run again when their lease ends and skip again (or find their post and do not
//! post again). Jobs that tell people about an incident in order (cards, announcements,
//! notifications, status updates) always finish at once, so a later one of their incident
//! never waits on a finish still held here.

use super::in_order;
use crate::domain::ids::IncidentId;
use crate::domain::incident::Incident;
use crate::domain::plan::JobKind;
use crate::service::Service;
use crate::service::ports::{ChatRefKey, FinishJob, Job, MessageRef, StoreError};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// How long a batch's prefetched incident inputs are used (service clock): a batch whose
/// earlier jobs took longer (a slow chat) reads anew.
pub const FRESH: chrono::Duration = chrono::Duration::seconds(1);

/// What a batch read of one incident, for the first of its jobs that runs.
#[derive(Debug, Clone)]
pub(crate) struct IncidentInputs {
    /// The incident as stored (`None`: not stored).
    pub incident: Option<Incident>,
    /// Its card.
    pub card: Option<MessageRef>,
    /// Its conversation.
    pub conversation: Option<MessageRef>,
    /// Its unfinished jobs of the kinds that post in order, by due time.
    pub unfinished: Vec<Job>,
}

/// The prefetched inputs of one incident, and which job of the batch may use them.
struct Slot {
    inputs: IncidentInputs,
    /// When they were read, or brought up to date by a record (service clock).
    as_of: DateTime<Utc>,
    /// The job that asked first since then: the only one that gets them.
    first: Option<i64>,
}

/// A batch of claimed jobs being run; see the module docs. [`Batch::none`] is no batch: every
/// job reads for itself and finishes at once.
pub struct Batch {
    /// When the inputs were read (service clock); `None`: nothing was read.
    read_at: Option<DateTime<Utc>>,
    incidents: Mutex<HashMap<IncidentId, Slot>>,
    /// The posts earlier attempts of the batch's jobs made (a job missing here made none).
    posts: HashMap<i64, MessageRef>,
    /// Whether finishes may be left to the batch.
    defers: bool,
    deferred: Mutex<Vec<FinishJob>>,
}

impl Batch {
    /// No batch: nothing prefetched, nothing deferred.
    pub fn none() -> Self {
        Batch {
            read_at: None,
            incidents: Mutex::new(HashMap::new()),
            posts: HashMap::new(),
            defers: false,
            deferred: Mutex::new(Vec::new()),
        }
    }

    /// How many finishes wait for [`Service::finish_batches`].
    pub fn deferred(&self) -> usize {
        self.deferred.lock().map_or(0, |d| d.len())
    }

    /// The post an earlier attempt of `job` made: `Some(None)` when the batch knows it made
    /// none, `None` when the batch did not read it.
    pub(crate) fn earlier_post(&self, job: &Job) -> Option<Option<MessageRef>> {
        self.read_at?;
        Some(self.posts.get(&job.id).cloned())
    }

    /// The prefetched inputs of `job`'s incident, when `job` is the first of its incident to
    /// ask in this batch (asking again, it gets them again) and they are fresh at `now`.
    pub(crate) fn incident_inputs(&self, job: &Job, now: DateTime<Utc>) -> Option<IncidentInputs> {
        self.read_at?;
        let incident = job.incident.as_ref()?;
        let mut slots = self.incidents.lock().ok()?;
        let slot = slots.get_mut(incident)?;
        let first = *slot.first.get_or_insert(job.id);
        (first == job.id && now - slot.as_of <= FRESH).then(|| slot.inputs.clone())
    }

    /// `job`, which took its incident's inputs, posted and recorded at `now`: `stored` is the
    /// incident as its record left it, and `refs` the chat references it stored with it (a
    /// card and its conversation). The inputs become those, without `job` among the
    /// unfinished, for the next job of the incident that asks. Nothing changes when `job` did
    /// not take them (or they were forgotten).
    pub(crate) fn recorded(&self, job: &Job, stored: &Incident, refs: &[(ChatRefKey, MessageRef)], now: DateTime<Utc>) {
        let Some(incident) = job.incident.as_ref() else {
            return;
        };
        let Ok(mut slots) = self.incidents.lock() else {
            return;
        };
        let Some(slot) = slots.get_mut(incident).filter(|s| s.first == Some(job.id)) else {
            return;
        };
        let inputs = &mut slot.inputs;
        inputs.incident = Some(stored.clone());
        for (key, r) in refs {
            match key {
                ChatRefKey::Card(id) if id == incident => inputs.card = Some(r.clone()),
                ChatRefKey::Conversation(id) if id == incident => inputs.conversation = Some(r.clone()),
                _ => {}
            }
        }
        inputs.unfinished.retain(|j| j.id != job.id);
        slot.as_of = now;
        slot.first = None;
    }

    /// Keeps the prefetched inputs of `incident` from every job: a runner that claimed this
    /// batch while an earlier job of that incident was still to run or record (claimed
    /// before it, and not finished when this claim was made) must not hand its jobs inputs
    /// read before that job's record.
    pub fn forget(&self, incident: &IncidentId) {
        if let Ok(mut slots) = self.incidents.lock() {
            slots.remove(incident);
        }
    }

    /// Leaves `finish` of `job` to the batch when it may be ([`Batch::none`] never does, nor
    /// a job that posts in order); otherwise gives it back to be committed now.
    pub(crate) fn defer(&self, job: &Job, finish: FinishJob) -> Option<FinishJob> {
        if !self.defers || in_order(job.kind) {
            return Some(finish);
        }
        match self.deferred.lock() {
            Ok(mut d) => {
                d.push(finish);
                None
            }
            Err(_) => Some(finish),
        }
    }
}

impl Service {
    /// Reads in one store call what the handlers of the claimed `jobs` need (see [`Batch`]);
    /// run them with [`Service::handle_job_in`] and end with [`Service::finish_batches`]. A read
    /// that fails is logged and leaves the batch without inputs: each job then reads for
    /// itself (and fails on its own if the store does).
    pub async fn prepare_batch(&self, jobs: &[Job]) -> Batch {
        let kinds: Vec<JobKind> = JobKind::ALL.iter().copied().filter(|&k| in_order(k)).collect();
        let read_at = self.clock.now();
        let inputs = match self.store.job_inputs(jobs, &kinds).await {
            Ok(inputs) => inputs,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the inputs of a batch of jobs; each reads its own");
                return Batch {
                    defers: true,
                    ..Batch::none()
                };
            }
        };
        let mut refs: HashMap<ChatRefKey, MessageRef> = inputs.chat_refs.into_iter().collect();
        let posts = jobs
            .iter()
            .filter_map(|j| refs.remove(&ChatRefKey::JobPost(j.id)).map(|r| (j.id, r)))
            .collect();
        let mut incidents: HashMap<IncidentId, Slot> = HashMap::new();
        for id in jobs.iter().filter_map(|j| j.incident.as_ref()) {
            incidents.entry(id.clone()).or_insert_with(|| Slot {
                inputs: IncidentInputs {
                    incident: inputs.incidents.iter().find(|i| i.id() == id).cloned(),
                    card: refs.get(&ChatRefKey::Card(id.clone())).cloned(),
                    conversation: refs.get(&ChatRefKey::Conversation(id.clone())).cloned(),
                    unfinished: inputs
                        .unfinished
                        .iter()
                        .filter(|j| j.incident.as_ref() == Some(id))
                        .cloned()
                        .collect(),
                },
                as_of: read_at,
                first: None,
            });
        }
        Batch {
            read_at: Some(read_at),
            incidents: Mutex::new(incidents),
            posts,
            defers: true,
            deferred: Mutex::new(Vec::new()),
        }
    }

    /// Commits the finishes the jobs of `batches` left to them, together in one transaction
    /// (one statement where the store can); a finish whose lease was lost meanwhile is logged
    /// and dropped (the job is the other runner's). Call it before the batches renew or
    /// release their claims, and at their end. When the store fails, the finishes are
    /// dropped: their jobs run again once their leases end, and skip again.
    pub async fn finish_batches(&self, batches: &[Arc<Batch>]) -> Result<(), StoreError> {
        let mut finishes = Vec::new();
        for batch in batches {
            if let Ok(mut d) = batch.deferred.lock() {
                finishes.append(&mut d);
            }
        }
        if finishes.is_empty() {
            return Ok(());
        }
        let outcomes = self.store.finish_many(&finishes).await?;
        for (f, outcome) in finishes.iter().zip(outcomes) {
            if let Err(e) = outcome {
                tracing::warn!(job = f.id, error = %e, "a finished job's lease was lost before its finish was stored");
            }
        }
        Ok(())
    }
}
