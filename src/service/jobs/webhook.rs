//! Webhook deliveries: one attempt per run, to a target still configured, after the claim is
//! renewed. A 2xx finishes the job as posted; a failure goes back to the scheduler, which
//! retries with the delivery's backoff or marks it dead. The receiver may see an attempt
//! twice (a crash between its answer and the finish): the delivery id is its idempotency key.

use super::Batch;
use crate::domain::jobs::webhook::Spec;
use crate::domain::jobs::{JobOutcome, Skip};
use crate::service::ports::{Job, WebhookDelivery};
use crate::service::{Service, ServiceError};
use chrono::{DateTime, Utc};

pub(super) async fn run(
    svc: &Service,
    batch: &Batch,
    job: &Job,
    spec: &Spec,
    owner: &str,
    now: DateTime<Utc>,
    late: bool,
) -> Result<JobOutcome, ServiceError> {
    let configured = svc.webhook_routes.iter().any(|r| r.name == spec.target);
    let Some(sender) = svc.webhooks.as_ref().filter(|_| configured) else {
        tracing::warn!(job = %job.key, target = %spec.target, "webhook target no longer configured; delivery dropped");
        let outcome = JobOutcome::Skipped(Skip::NoLongerConfigured);
        return svc.finish_plain(batch, job, owner, now, late, outcome).await;
    };
    // Still ours? A runner that stalled past its lease must not send.
    svc.renew_lease(job, owner, now).await?;
    let delivery = WebhookDelivery {
        target: spec.target.clone(),
        id: spec.delivery.clone(),
        body: spec.body.clone(),
        at: svc.clock.now().max(now),
    };
    sender.deliver(&delivery).await?;
    let outcome = svc
        .finish_plain(batch, job, owner, now, late, JobOutcome::Posted)
        .await?;
    svc.metrics.webhook(&spec.target, "delivered");
    Ok(outcome)
}
