//! The durable job runner. Jobs live in the store's job table, never in memory: a runner
//! claims due jobs under a lease, runs each through the service, and records the outcome.
//!
//! # Guarantees
//! - **Crash.** A job claimed by a runner that dies is released when its lease expires and
//!   runs again; the chat message carries the job id as nonce so the chat can drop the resend.
//!   The job's effects (timeline, follow-on jobs) and its completion commit together, so they
//!   happen once.
//! - **Downtime.** On start, every job that fell due while vakt was down runs once, marked
//!   late. A recurring job missed N times runs once; its next run is planned after now.
//! - **Shutdown.** On Ctrl-C or SIGTERM the runner finishes the job it is running, releases
//!   the jobs it claimed but did not start (they stay pending, no attempt counted) and stops.
//! - **Failure.** A chat that refuses for good ([`ChatError::Permanent`]) fails the job at
//!   once; one that asks to wait is retried no sooner than it asked. Any other failing job is retried with exponential backoff (30 s, 1 min, 2 min, …)
//!   up to [`MAX_ATTEMPTS`] attempts, then marked failed with its last error.
//!
//! [`Scheduler::tick`] is one step, driven by tests with a fake clock; [`Scheduler::run`]
//! loops it on the service's clock until shut down.

use crate::service::ports::{ChatError, FinishJob, JobFinish, Store, StoreError};
use crate::service::{Service, ServiceError};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

/// Attempts before a job is marked failed.
pub const MAX_ATTEMPTS: i32 = 6;

/// What one tick did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Jobs that ran (including skipped ones).
    pub ran: usize,
    /// Jobs that failed and will be retried.
    pub retried: usize,
    /// Jobs that failed for good.
    pub failed: usize,
    /// Expired leases put back.
    pub requeued: u64,
    /// Outcomes, in order (job key: outcome or error).
    pub outcomes: Vec<(String, String)>,
}

/// A job runner.
pub struct Scheduler {
    store: Arc<dyn Store>,
    service: Arc<Service>,
    owner: String,
    lease: Duration,
    batch: u32,
}

impl Scheduler {
    /// A runner with a unique lease owner name.
    pub fn new(store: Arc<dyn Store>, service: Arc<Service>, owner: impl Into<String>) -> Self {
        Scheduler {
            store,
            service,
            owner: owner.into(),
            lease: Duration::seconds(60),
            batch: 100,
        }
    }

    /// Runs every job due at `now` (in batches until none is left).
    pub async fn tick(&self, now: DateTime<Utc>) -> Result<TickReport, StoreError> {
        self.tick_until(now, &|| false).await
    }

    /// Like [`Scheduler::tick`], but stops after the running job once `stop` says so and
    /// releases the jobs it claimed and did not run, for another runner (or the next start).
    pub async fn tick_until(
        &self,
        now: DateTime<Utc>,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<TickReport, StoreError> {
        let mut report = TickReport {
            requeued: self.store.requeue_expired(now).await?,
            ..TickReport::default()
        };
        loop {
            let jobs = self.store.claim(now, &self.owner, now + self.lease, self.batch).await?;
            if jobs.is_empty() {
                break;
            }
            for job in jobs {
                if stop() {
                    self.store.release(&self.owner).await?;
                    return Ok(report);
                }
                match self.service.handle_job(&job, &self.owner, now).await {
                    Ok(outcome) => {
                        report.ran += 1;
                        report.outcomes.push((job.key.clone(), outcome.code()));
                    }
                    Err(e) => {
                        let error = e.to_string();
                        // A chat that refuses for good fails the job at once; a chat that
                        // asks to wait gets at least the wait it asked for.
                        let (permanent, retry_after) = match &e {
                            ServiceError::Chat(ChatError::Permanent { .. }) => (true, None),
                            ServiceError::Chat(ChatError::Transient { retry_after, .. }) => (false, *retry_after),
                            _ => (false, None),
                        };
                        let finish = if permanent || job.attempts >= MAX_ATTEMPTS {
                            report.failed += 1;
                            JobFinish::Failed { error: error.clone() }
                        } else {
                            report.retried += 1;
                            let backoff = Duration::seconds(30 * (1i64 << (job.attempts.clamp(1, 12) - 1)));
                            let backoff = retry_after
                                .and_then(|r| Duration::from_std(r).ok())
                                .map_or(backoff, |r| r.max(Duration::seconds(1)));
                            JobFinish::Retry {
                                retry_at: now + backoff,
                                error: error.clone(),
                            }
                        };
                        report.outcomes.push((job.key.clone(), format!("error: {error}")));
                        tracing::warn!(job = %job.key, attempts = job.attempts, %error, "job failed");
                        self.store
                            .finish(&FinishJob {
                                id: job.id,
                                owner: self.owner.clone(),
                                finish,
                                posted: None,
                            })
                            .await?;
                    }
                }
            }
        }
        Ok(report)
    }

    /// Loops [`Scheduler::tick`] until `shutdown` turns true, sleeping until the next due job
    /// (at most `max_sleep` of real time, so a sped-up or moved clock is noticed).
    pub async fn run(&self, mut shutdown: tokio::sync::watch::Receiver<bool>, max_sleep: std::time::Duration) {
        loop {
            if *shutdown.borrow() {
                return;
            }
            let now = self.service.now();
            let stop = shutdown.clone();
            if let Err(e) = self.tick_until(now, &move || *stop.borrow()).await {
                tracing::error!(error = %e, "scheduler tick failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(max_sleep) => {}
                _ = shutdown.changed() => {}
            }
        }
    }
}
