//! The durable job runner. Jobs live in the store's job table, never in memory: a runner
//! claims due jobs under a lease, runs each through the service, and records the outcome.
//!
//! A runner runs up to its concurrency (`[scheduler] concurrency`, default [`CONCURRENCY`])
//! jobs at once in one task, in **lanes**: the jobs of one incident run one after another in
//! claim order (due time, then id), every job without an incident in a lane of its own. It
//! claims only what its free slots start soon — at most its slots plus [`ahead`] jobs held,
//! running or waiting, at any time — and claims again as jobs finish, so a busy or stalled
//! runner holds few due jobs and idle runners (other replicas) claim the rest.
//!
//! # Guarantees
//! - **Crash.** A job claimed by a runner that dies is released when its lease expires and
//!   runs again; the chat message carries the job id as nonce so the chat can drop the resend.
//!   A post's reference, the job's record (timeline, follow-on jobs) and its completion
//!   commit together, so they happen once and a retried job finds the post and posts nothing;
//!   an incident's card and the conversation started under it commit with the card job's
//!   record too, and a record that fails stores those references alone. A job that writes
//!   nothing but its finish (a skip) leaves the finish to its claim's batch, committed with
//!   every batch's other such finishes in one transaction (once there are a slot's worth,
//!   and at the tick's end); a crash before it runs them again, and they skip again.
//! - **Effects once.** A job posts after its claim is renewed and outside any retry of the
//!   incident write: a person changing the incident meanwhile makes the record retry, never
//!   the post, and a job that posted is recorded as posted.
//! - **Leases.** A claimed job waiting for its lane or a slot has its lease renewed once half
//!   of it is used (to the clock's now plus the lease, and the job handed to the service
//!   carries that expiry), so no other runner takes a job this one is still going to run; one
//!   another runner took meanwhile is left to it (outcome `lease lost`). A job stalled in
//!   the chat past its lease is lost to whichever runner claims it next, which posts it once.
//! - **Downtime.** On start, every job that fell due while vakt was down runs once, marked
//!   late. A recurring job missed N times runs once; its next run is planned after now.
//! - **Shutdown.** On Ctrl-C or SIGTERM the runner starts no more jobs and claims nothing,
//!   finishes the jobs it is running, releases the jobs it claimed but did not start (they
//!   stay pending, no attempt counted) and stops. A tick whose store fails does the same and
//!   returns the error.
//! - **Order.** An incident's jobs never run side by side in one runner: its card,
//!   announcements, notifications and status updates reach the chat in the order they were
//!   planned: one whose earlier sibling is retrying (or running at another runner) is put back
//!   (not an attempt) until just after that one's next attempt; a notification (a page) at
//!   most two minutes past its time. Warnings, escalations and follow-ups never wait for a
//!   retrying sibling. Different incidents' jobs, and jobs without an incident (recurring
//!   posts, duties, webhook deliveries), run side by side in no particular order.
//! - **Failure.** A chat that refuses for good ([`ChatError::Permanent`], or
//!   [`ChatError::Gone`] where nothing makes a new message) fails the job at once; one that
//!   asks to wait is retried no sooner than it asked. Any other failing job is retried with
//!   exponential backoff (30 s, 1 min, 2 min, …) up to [`MAX_ATTEMPTS`] attempts, then marked
//!   failed with its last error. A webhook delivery follows its own policy
//!   ([`webhook::retry_at`]: doubling from 30 s to at most an hour, ten attempts) and is dead
//!   at once when its target refuses for good (a 4xx other than 408 and 429).
//!
//! [`Scheduler::tick`] is one step, driven by tests with a fake clock; [`Scheduler::run`]
//! loops it on the service's clock until shut down.

use crate::domain::ids::IncidentId;
use crate::domain::jobs::JobOutcome as Ran;
use crate::domain::jobs::webhook;
use crate::domain::plan::JobKind;
use crate::service::health::{JobOutcome, Monitor, PostOutcome};
use crate::service::jobs::Batch;
use crate::service::ports::{ChatError, FinishJob, Job, JobFinish, Store, StoreError, WebhookError};
use crate::service::{Failure, Service, ServiceError};
use chrono::{DateTime, Duration, Utc};
use futures_util::stream::{FuturesUnordered, StreamExt};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Attempts before a job is marked failed.
pub const MAX_ATTEMPTS: i32 = 6;

/// Jobs a runner runs at once by default (`[scheduler] concurrency`).
pub const CONCURRENCY: usize = crate::config::SchedulerConfig::DEFAULT_CONCURRENCY;

/// Jobs a runner with `concurrency` slots claims beyond them, so a slot that frees up is
/// refilled without waiting for a claim: a quarter of the slots, at least one. A runner
/// never holds more than `concurrency + ahead(concurrency)` jobs (running or waiting), so a
/// stalled runner holds few due jobs and idle runners claim the rest.
pub fn ahead(concurrency: usize) -> usize {
    concurrency.div_ceil(4).max(1)
}

/// What one tick did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Jobs that ran (including skipped ones).
    pub ran: usize,
    /// Jobs that failed and will be retried.
    pub retried: usize,
    /// Jobs that failed for good.
    pub failed: usize,
    /// Jobs put back to wait for an earlier announcement of their incident (not an attempt).
    pub waited: usize,
    /// Expired leases put back.
    pub requeued: u64,
    /// Outcomes in claim order, whatever order the jobs finished in (job key: outcome or
    /// error).
    pub outcomes: Vec<(String, String)>,
}

/// How long the runner waits after its `failures`-th failing tick in a row: twice as long
/// each time from `base`, at most a minute.
pub fn backoff(failures: u32, base: std::time::Duration) -> std::time::Duration {
    let factor = 1u32 << failures.saturating_sub(1).min(16);
    base.saturating_mul(factor).min(std::time::Duration::from_secs(60))
}

/// A job runner.
pub struct Scheduler {
    store: Arc<dyn Store>,
    service: Arc<Service>,
    owner: String,
    lease: Duration,
    concurrency: usize,
    retention: Duration,
    last_purge: std::sync::Mutex<Option<DateTime<Utc>>>,
    monitor: Arc<Monitor>,
}

impl Scheduler {
    /// A runner with a unique lease owner name.
    pub fn new(store: Arc<dyn Store>, service: Arc<Service>, owner: impl Into<String>) -> Self {
        Scheduler {
            store,
            service,
            owner: owner.into(),
            lease: crate::service::jobs::LEASE,
            concurrency: CONCURRENCY,
            retention: Duration::days(90),
            last_purge: std::sync::Mutex::new(None),
            monitor: Arc::new(Monitor::silent(std::time::Duration::from_secs(1))),
        }
    }

    /// Reports each finished tick and each job's outcome to `monitor` (health and metrics).
    pub fn with_monitor(mut self, monitor: Arc<Monitor>) -> Self {
        self.monitor = monitor;
        self
    }

    /// Runs up to `concurrency` jobs at once (at least one; default [`CONCURRENCY`]).
    pub fn with_concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// How many jobs this runner runs at once.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Jobs claimed beyond the free slots (see [`ahead`]).
    fn ahead(&self) -> usize {
        ahead(self.concurrency)
    }

    /// Keeps finished jobs this long (see [`Scheduler::purge_if_due`]).
    pub fn with_retention(mut self, retention: Duration) -> Self {
        self.retention = retention;
        self
    }

    /// Retention: at most once an hour (of the service's clock), purges done and cancelled
    /// jobs finished longer ago than the retention (default 90 days). The timeline, pending,
    /// running and failed jobs, and the jobs of incidents not closed are kept — but a
    /// long-open incident's finished status updates go (their keys are never planned again),
    /// so they stay bounded. Returns how many rows went.
    pub async fn purge_if_due(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        {
            let last = self
                .last_purge
                .lock()
                .map_err(|_| StoreError::Database("purge lock poisoned".into()))?;
            if last.is_some_and(|t| now - t < Duration::hours(1)) {
                return Ok(0);
            }
        }
        let purged = self.store.purge(now - self.retention).await?;
        if let Ok(mut last) = self.last_purge.lock() {
            *last = Some(now);
        }
        if purged > 0 {
            tracing::info!(purged, "purged finished jobs past their retention");
        }
        Ok(purged)
    }

    /// Runs every job due at `now` (claiming as slots free up, until none is left).
    pub async fn tick(&self, now: DateTime<Utc>) -> Result<TickReport, StoreError> {
        self.tick_until(now, &|| false).await
    }

    /// Like [`Scheduler::tick`], but once `stop` says so starts no more jobs, finishes the
    /// running ones and releases the jobs it claimed and did not start, for another runner
    /// (or the next start).
    /// A tick the store let finish is reported to the monitor, at the service's time.
    pub async fn tick_until(
        &self,
        now: DateTime<Utc>,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<TickReport, StoreError> {
        let result = self.run_due(now, stop).await;
        self.monitor.metrics().tick(result.is_ok());
        if result.is_ok() {
            self.monitor.ticked(self.service.now().max(now));
        }
        result
    }

    /// One tick's work: requeue expired leases, then claim due jobs as slots free up and run
    /// them, up to [`Scheduler::concurrency`] at once, one lane per incident. Every store call
    /// of the tick (claims, renewals, the jobs' own) is polled together, so a claim never
    /// waits on a job's write transaction that nothing polls.
    async fn run_due(&self, now: DateTime<Utc>, stop: &(dyn Fn() -> bool + Sync)) -> Result<TickReport, StoreError> {
        let mut report = TickReport {
            requeued: self.store.requeue_expired(now).await?,
            ..TickReport::default()
        };
        // Claimed and not started, in claim order (the index is the claim order), each with
        // its claim's batch (what its handler reads, prefetched; the finishes it defers).
        let mut queued: BTreeMap<usize, (Job, Arc<Batch>)> = BTreeMap::new();
        // The batches whose jobs are still to run, or whose deferred finishes are still to
        // be committed.
        let mut batches: Vec<Arc<Batch>> = Vec::new();
        // The incidents with jobs claimed and not yet finished here (queued or running), how
        // many each. A claim's prefetch of one of them may predate the record of such a job,
        // so the jobs it claims of them read for themselves; an incident whose earlier jobs
        // all finished before the claim was made has its records in what the prefetch reads.
        let mut holding = Holding::default();
        // The lanes with a job running.
        let mut busy: HashSet<Lane> = HashSet::new();
        let mut steps: FuturesUnordered<Step<'_>> = FuturesUnordered::new();
        let mut outcomes: BTreeMap<usize, (String, String)> = BTreeMap::new();
        let (mut running, mut claimed) = (0usize, 0usize);
        let mut claims = Claims::default();
        let (mut renewing, mut flushing) = (false, false);
        let mut stopping = false;
        let mut failure: Option<StoreError> = None;
        loop {
            if !stopping && stop() {
                stopping = true;
            }
            // Claim only what the free slots start soon (and a few more, so a finished job's
            // slot is refilled at once): a busy or stalled runner holds few due jobs, and idle
            // runners claim the rest.
            let held = running + queued.len();
            if !stopping && claims.due(held, running, self.concurrency) {
                let asked = self.concurrency + self.ahead() - held;
                let lease_until = self.service.now().max(now) + self.lease;
                let limit = u32::try_from(asked).unwrap_or(u32::MAX);
                claims.sent();
                let held = holding.incidents();
                steps.push(Box::pin(async move {
                    let jobs = self.store.claim(now, &self.owner, lease_until, limit).await;
                    // What the claimed jobs' handlers read, at once (`service::jobs::Batch`).
                    let batch = match &jobs {
                        Ok(jobs) if !jobs.is_empty() => Some(Arc::new(self.service.prepare_batch(jobs).await)),
                        _ => None,
                    };
                    Event::Claimed {
                        asked,
                        lease_until,
                        held,
                        jobs,
                        batch,
                    }
                }));
            }
            // Claims still waiting past half their lease are renewed (nothing starts
            // meanwhile, so an incident's jobs keep their order).
            if !stopping && !renewing {
                let until = self.service.now().max(now) + self.lease;
                let stale: Vec<usize> = (queued.iter())
                    .filter(|(_, (j, _))| j.lease_until.is_none_or(|l| until - l > self.lease / 2))
                    .map(|(i, _)| *i)
                    .collect();
                if !stale.is_empty() {
                    let jobs: Vec<(usize, (Job, Arc<Batch>))> =
                        stale.iter().filter_map(|i| queued.remove_entry(i)).collect();
                    renewing = true;
                    steps.push(Box::pin(async move {
                        let mut renewed = Vec::with_capacity(jobs.len());
                        for (i, (job, batch)) in jobs {
                            let r = self.store.renew(job.id, &self.owner, until).await;
                            renewed.push((i, job, batch, r));
                        }
                        Event::Renewed { until, renewed }
                    }));
                }
            }
            // Finishes the jobs left to their batches (skips that wrote nothing else) are
            // committed together once there are a slot's worth of them, well within their
            // lease; the rest at the tick's end.
            if !stopping && !flushing && batches.iter().map(|b| b.deferred()).sum::<usize>() >= self.concurrency {
                flushing = true;
                let pending = batches.clone();
                steps.push(Box::pin(async move { Event::Flushed(self.flush(&pending).await) }));
            }
            // Start the first waiting job of each idle lane, in claim order, while slots are
            // free: an incident's jobs run one after another, other incidents' alongside.
            if !stopping && !renewing {
                let ready: Vec<usize> = queued.keys().copied().collect();
                for i in ready {
                    if running >= self.concurrency {
                        break;
                    }
                    let Some(lane) = queued.get(&i).map(|(job, _)| Lane::of(job, i)) else {
                        continue;
                    };
                    if busy.contains(&lane) {
                        continue;
                    }
                    // The lane stays taken even when the stop comes now: its later jobs must
                    // not start before this one.
                    busy.insert(lane.clone());
                    if stop() {
                        stopping = true;
                        break;
                    }
                    let Some((job, batch)) = queued.remove(&i) else {
                        continue;
                    };
                    running += 1;
                    steps.push(Box::pin(async move {
                        let done = self.run_one(job, &batch, now).await;
                        Event::Ran { i, lane, done }
                    }));
                }
            }
            // Nothing in flight: when not stopping, nothing is waiting either (an idle lane's
            // job would have started) and the last claim, after the last job, found nothing.
            let Some(step) = steps.next().await else { break };
            match step {
                Event::Ran { i, lane, done } => {
                    running -= 1;
                    holding.finished(lane.incident());
                    claims.job_finished();
                    busy.remove(&lane);
                    match done {
                        Ok(done) => {
                            match done.tally {
                                Tally::Ran => report.ran += 1,
                                Tally::Retried => report.retried += 1,
                                Tally::Failed => report.failed += 1,
                                Tally::Waited => report.waited += 1,
                                Tally::LeaseLost => {}
                            }
                            outcomes.insert(i, (done.key, done.outcome));
                        }
                        Err(e) => {
                            failure.get_or_insert(e);
                            stopping = true;
                        }
                    }
                }
                Event::Claimed {
                    asked,
                    lease_until,
                    held,
                    jobs,
                    batch,
                } => match jobs {
                    Ok(jobs) => {
                        claims.answered(jobs.len(), asked);
                        if let Some(batch) = batch {
                            let incidents: HashSet<&IncidentId> =
                                jobs.iter().filter_map(|j| j.incident.as_ref()).collect();
                            for incident in incidents {
                                if held.contains(incident) {
                                    batch.forget(incident);
                                }
                            }
                            holding.claimed(jobs.iter().filter_map(|j| j.incident.as_ref()));
                            for mut job in jobs {
                                job.lease_until = Some(lease_until);
                                queued.insert(claimed, (job, batch.clone()));
                                claimed += 1;
                            }
                            batches.push(batch);
                        }
                    }
                    Err(e) => {
                        claims.failed();
                        failure.get_or_insert(e);
                        stopping = true;
                    }
                },
                Event::Renewed { until, renewed } => {
                    renewing = false;
                    for (i, mut job, batch, r) in renewed {
                        match r {
                            Ok(()) => {
                                job.lease_until = Some(until);
                                queued.insert(i, (job, batch));
                            }
                            Err(StoreError::LeaseLost(_)) => {
                                holding.finished(job.incident.as_ref());
                                tracing::warn!(job = %job.key, "lease lost before the job ran; left to the runner holding it");
                                outcomes.insert(i, (job.key, "lease lost".into()));
                            }
                            Err(e) => {
                                queued.insert(i, (job, batch));
                                failure.get_or_insert(e);
                                stopping = true;
                            }
                        }
                    }
                }
                Event::Flushed(result) => {
                    flushing = false;
                    if let Err(e) = result {
                        failure.get_or_insert(e);
                        stopping = true;
                    }
                    // A batch no queued or running job holds, with nothing left to commit, is done.
                    batches.retain(|b| Arc::strong_count(b) > 1 || b.deferred() > 0);
                }
            }
        }
        // Nothing runs any more: the finishes still left to the batches are committed (a
        // failure leaves those jobs to run again once their leases end, and skip again).
        if let Err(e) = self.flush(&batches).await {
            failure.get_or_insert(e);
        }
        // Stopping (shut down, or the store failed): the jobs claimed and not started go
        // back, for another runner or the next start, without counting as an attempt.
        if !queued.is_empty() {
            match self.store.release(&self.owner).await {
                Ok(_) => {}
                Err(e) if failure.is_some() => {
                    tracing::warn!(error = %e, "cannot release the claimed jobs; their leases will run out")
                }
                Err(e) => failure = Some(e),
            }
        }
        if let Some(e) = failure {
            return Err(e);
        }
        report.outcomes = outcomes.into_values().collect();
        Ok(report)
    }

    /// Commits the finishes `batches` hold (see [`Batch`]), all in one transaction.
    async fn flush(&self, batches: &[Arc<Batch>]) -> Result<(), StoreError> {
        self.service.finish_batches(batches).await
    }

    /// Runs one claimed job: waits for an earlier post of its incident, or runs it through
    /// the service and records a failure (retry or failed for good), reporting its outcome to
    /// the monitor once. An error is the store failing while recording.
    async fn run_one(&self, job: Job, batch: &Batch, now: DateTime<Utc>) -> Result<Done, StoreError> {
        let done = |tally, outcome: String| Done {
            key: job.key.clone(),
            outcome,
            tally,
        };
        // An incident's announcements go out in order: a later one waits for an earlier one
        // that is retrying (or running at another runner).
        match self.service.wait_for_earlier_in(batch, &job, &self.owner, now).await {
            Ok(Some(until)) => {
                tracing::debug!(job = %job.key, %until, "waits for an earlier post of its incident");
                return Ok(done(Tally::Waited, format!("waits for an earlier post until {until}")));
            }
            Ok(None) => {}
            // Run it: if the store is failing, so will the job, and it is retried.
            Err(e) => {
                tracing::warn!(job = %job.key, error = %e, "cannot tell whether the job waits for an earlier post")
            }
        }
        let e = match self.service.handle_job_in(batch, &job, &self.owner, now).await {
            Ok(outcome) => {
                // A webhook delivery is counted by target (the service does), not as a post.
                if outcome == Ran::Posted && job.kind != JobKind::Webhook {
                    self.monitor.metrics().post(job.kind.as_str(), PostOutcome::Sent);
                }
                self.monitor.metrics().job(job.kind.as_str(), JobOutcome::Done);
                return Ok(done(Tally::Ran, outcome.code()));
            }
            // This runner lost the job to another (it stalled past its lease): it neither
            // posted nor committed; the job is the other runner's now.
            Err(ServiceError::Failed(Failure::Store(StoreError::LeaseLost(id)))) => {
                tracing::warn!(job = %job.key, id, "lease lost; left to the runner holding it");
                return Ok(done(Tally::LeaseLost, "lease lost".into()));
            }
            Err(e) => e,
        };
        let error = e.to_string();
        // A chat that refuses for good fails the job at once; a chat that asks to wait gets
        // at least the wait it asked for.
        let (permanent, retry_after) = match &e {
            ServiceError::Failed(Failure::Chat(ChatError::Permanent { .. } | ChatError::Gone { .. }))
            | ServiceError::Failed(Failure::Webhook(WebhookError::Permanent { .. })) => (true, None),
            ServiceError::Failed(Failure::Chat(ChatError::Transient { retry_after, .. }))
            | ServiceError::Failed(Failure::Webhook(WebhookError::Transient { retry_after, .. })) => {
                (false, *retry_after)
            }
            _ => (false, None),
        };
        let posting = matches!(&e, ServiceError::Failed(Failure::Chat(_)));
        // A webhook delivery has its own, longer backoff (capped) and attempts.
        let webhook_target =
            (job.kind == JobKind::Webhook).then(|| webhook::target_of_key(&job.key).unwrap_or("unknown"));
        let next_attempt = match webhook_target {
            Some(_) => webhook::retry_at(job.attempts, now),
            None => (job.attempts < MAX_ATTEMPTS)
                .then(|| now + Duration::seconds(30 * (1i64 << (job.attempts.clamp(1, 12) - 1)))),
        };
        let (finish, tally) = if permanent || next_attempt.is_none() {
            if let Some(target) = webhook_target {
                self.monitor.metrics().webhook(target, "dead");
            }
            self.monitor.metrics().job(job.kind.as_str(), JobOutcome::Failed);
            if posting {
                self.monitor.metrics().post(job.kind.as_str(), PostOutcome::Failed);
            }
            // What the failed job would have planned next (the next step of an escalation)
            // is still planned: one failed post must not end the climb.
            if let Err(e) = self.service.plan_after_failure(&job, now).await {
                tracing::warn!(job = %job.key, error = %e, "cannot plan what follows a failed job");
            }
            (JobFinish::Failed { error: error.clone() }, Tally::Failed)
        } else {
            self.monitor.metrics().job(job.kind.as_str(), JobOutcome::Retried);
            if posting {
                self.monitor.metrics().post(job.kind.as_str(), PostOutcome::Retried);
            }
            if let Some(target) = webhook_target {
                self.monitor.metrics().webhook(target, "retried");
            }
            let retry_at = retry_after
                .and_then(|r| Duration::from_std(r).ok())
                .map(|r| now + r.max(Duration::seconds(1)))
                .or(next_attempt)
                .unwrap_or(now);
            let finish = JobFinish::Retry {
                retry_at,
                error: error.clone(),
            };
            (finish, Tally::Retried)
        };
        log_failure(&job, &finish, &error);
        let recorded = self
            .store
            .finish(&FinishJob {
                id: job.id,
                owner: self.owner.clone(),
                finish,
                posted: None,
            })
            .await;
        match recorded {
            Err(StoreError::LeaseLost(_)) => {
                tracing::warn!(job = %job.key, "lease lost before the failure was recorded");
            }
            other => other?,
        }
        Ok(done(tally, format!("error: {error}")))
    }

    /// Loops [`Scheduler::tick`] until `shutdown` turns true, sleeping until the next due job
    /// (at most `max_sleep` of real time, so a sped-up or moved clock is noticed).
    pub async fn run(&self, mut shutdown: tokio::sync::watch::Receiver<bool>, max_sleep: std::time::Duration) {
        // A failing tick (the database is full, locked or unreachable) is retried with
        // exponential backoff — one wait, one log line per failure — up to a minute apart.
        let mut failures: u32 = 0;
        loop {
            if *shutdown.borrow() {
                return;
            }
            let now = self.service.now();
            let stop = shutdown.clone();
            let result = match self.tick_until(now, &move || *stop.borrow()).await {
                Ok(r) => self.purge_if_due(now).await.map(|_| r),
                Err(e) => Err(e),
            };
            let wait = match result {
                Ok(_) => {
                    if failures > 0 {
                        tracing::info!(after = failures, "scheduler recovered");
                    }
                    failures = 0;
                    max_sleep
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    let wait = backoff(failures, max_sleep);
                    tracing::error!(error = %e, failures, retry_in = ?wait, "scheduler tick failed");
                    wait
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = shutdown.changed() => {}
            }
        }
    }
}

/// Where a claimed job runs: the jobs of one incident one after another, in claim order;
/// a job without an incident alone.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Lane {
    Incident(IncidentId),
    Alone(usize),
}

impl Lane {
    /// The lane of `job`, the `i`-th claimed in the tick.
    fn of(job: &Job, i: usize) -> Lane {
        job.incident.clone().map_or(Lane::Alone(i), Lane::Incident)
    }

    /// The incident whose jobs the lane runs, if any.
    fn incident(&self) -> Option<&IncidentId> {
        match self {
            Lane::Incident(id) => Some(id),
            Lane::Alone(_) => None,
        }
    }
}

/// When a tick claims again: never while a claim is on its way; while the last claim found
/// as many due jobs as it asked for, whenever a slot is free; once one found fewer, only when
/// everything running has finished and something finished since (what those jobs planned for
/// now is then due).
#[derive(Debug, Default)]
struct Claims {
    /// A claim is on its way.
    in_flight: bool,
    /// The last claim found fewer due jobs than it asked for.
    exhausted: bool,
    /// A job finished since the last claim was sent.
    finished_since: bool,
}

impl Claims {
    /// Whether to claim now, with `held` jobs claimed and not finished (`running` of them
    /// running) and `slots` slots.
    fn due(&self, held: usize, running: usize, slots: usize) -> bool {
        !self.in_flight && held < slots && (!self.exhausted || (running == 0 && self.finished_since))
    }

    /// A claim was sent.
    fn sent(&mut self) {
        self.in_flight = true;
        self.finished_since = false;
    }

    /// The claim came back with `found` of the `asked` jobs.
    fn answered(&mut self, found: usize, asked: usize) {
        self.in_flight = false;
        self.exhausted = found < asked;
    }

    /// The claim failed (the tick stops).
    fn failed(&mut self) {
        self.in_flight = false;
    }

    /// A job finished.
    fn job_finished(&mut self) {
        self.finished_since = true;
    }
}

/// The incidents a tick holds jobs of (claimed, not yet finished), with how many each: a
/// claim made while one of them is held may read its inputs before the record of such a job.
#[derive(Debug, Default)]
struct Holding(HashMap<IncidentId, usize>);

impl Holding {
    /// Counts the claimed jobs of `incidents` (one entry per job) as held.
    fn claimed<'a>(&mut self, incidents: impl Iterator<Item = &'a IncidentId>) {
        for incident in incidents {
            *self.0.entry(incident.clone()).or_default() += 1;
        }
    }

    /// Counts one job of `incident` (if any) as no longer held: it ran and recorded, or its
    /// lease was lost.
    fn finished(&mut self, incident: Option<&IncidentId>) {
        let Some(incident) = incident else { return };
        if let Some(n) = self.0.get_mut(incident) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.0.remove(incident);
            }
        }
    }

    /// The incidents with a job held now.
    fn incidents(&self) -> HashSet<IncidentId> {
        self.0.keys().cloned().collect()
    }
}

/// One step of a tick, polled together with the others: a job's run, a claim, a renewal.
type Step<'a> = std::pin::Pin<Box<dyn Future<Output = Event> + Send + 'a>>;

/// One waiting job's renewal: its claim index, the job with its batch, and the result.
type Renewal = (usize, Job, Arc<Batch>, Result<(), StoreError>);

/// What a step of a tick came to.
enum Event {
    /// The `i`-th claimed job ran in `lane`.
    Ran {
        i: usize,
        lane: Lane,
        done: Result<Done, StoreError>,
    },
    /// A claim of up to `asked` jobs under a lease until `lease_until`.
    Claimed {
        asked: usize,
        lease_until: DateTime<Utc>,
        /// The incidents the tick held jobs of when the claim was made.
        held: HashSet<IncidentId>,
        jobs: Result<Vec<Job>, StoreError>,
        /// The claimed jobs' batch (none when nothing was claimed).
        batch: Option<Arc<Batch>>,
    },
    /// Waiting jobs' leases renewed to `until` (each with its result).
    Renewed {
        until: DateTime<Utc>,
        renewed: Vec<Renewal>,
    },
    /// The finishes left to the batches committed.
    Flushed(Result<(), StoreError>),
}

/// How a job's run counts in the tick's report.
enum Tally {
    Ran,
    Retried,
    Failed,
    Waited,
    LeaseLost,
}

/// One job's run: its key, its outcome as reported, and how it counts.
struct Done {
    key: String,
    outcome: String,
    tally: Tally,
}

/// One log line per failed attempt: a retry is a warning, a job that failed for good an error;
/// both name the job's kind, its incident (`none` for a recurring post or duty) and the cause.
fn log_failure(job: &Job, finish: &JobFinish, cause: &str) {
    let incident = job.incident.as_ref().map_or("none", |i| i.as_str());
    match finish {
        JobFinish::Retry { retry_at, .. } => tracing::warn!(
            kind = %job.kind,
            incident,
            job = %job.key,
            attempts = job.attempts,
            cause,
            %retry_at,
            "job will be retried"
        ),
        _ => tracing::error!(
            kind = %job.kind,
            incident,
            job = %job.key,
            attempts = job.attempts,
            cause,
            "job failed"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{Claims, Holding, IncidentId, backoff};
    use std::collections::HashSet;
    use std::time::Duration;

    /// An incident is held while any job of it claimed in the tick has not finished: a claim
    /// made then must not hand its jobs inputs read before that job's record. Once its jobs
    /// all finished (recorded), it is no longer held.
    #[test]
    fn an_incident_is_held_until_its_claimed_jobs_finish() {
        let (a, b) = (IncidentId::new("BDK-2026-0001"), IncidentId::new("BDK-2026-0002"));
        let mut holding = Holding::default();
        holding.claimed([&a, &a, &b].into_iter());
        assert_eq!(holding.incidents(), HashSet::from([a.clone(), b.clone()]));
        holding.finished(Some(&a));
        holding.finished(None);
        holding.finished(Some(&b));
        assert_eq!(
            holding.incidents(),
            HashSet::from([a.clone()]),
            "one job of a is still held"
        );
        holding.finished(Some(&a));
        assert!(holding.incidents().is_empty());
        holding.finished(Some(&a));
        assert!(
            holding.incidents().is_empty(),
            "a finish of nothing held changes nothing"
        );
    }

    #[test]
    fn a_tick_claims_while_slots_are_free_until_a_claim_comes_back_short() {
        let mut c = Claims::default();
        assert!(c.due(0, 0, 2), "a tick starts with a claim");
        c.sent();
        assert!(!c.due(0, 0, 2), "never a second claim while one is on its way");
        c.answered(3, 3);
        assert!(!c.due(2, 2, 2), "no free slot");
        assert!(c.due(1, 1, 2), "a full claim: claim again as soon as a slot is free");
        c.sent();
        c.answered(1, 2);
        assert!(!c.due(1, 1, 2), "a short claim: not while a job runs");
        assert!(!c.due(0, 0, 2), "nor when nothing finished since");
        c.job_finished();
        assert!(!c.due(1, 1, 2), "a job still runs");
        assert!(c.due(0, 0, 2), "all finished: claim what they planned for now");
        let mut f = Claims::default();
        f.sent();
        f.failed();
        assert!(f.due(0, 0, 2), "a failed claim is no longer on its way");
    }

    #[test]
    fn failing_ticks_back_off_to_a_minute() {
        let base = Duration::from_millis(250);
        let waits: Vec<Duration> = (1..=10).map(|n| backoff(n, base)).collect();
        assert_eq!(waits[0], base);
        assert_eq!(waits[1], base * 2);
        assert_eq!(waits[2], base * 4);
        assert!(waits.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(backoff(1000, base), Duration::from_secs(60));
    }
}
