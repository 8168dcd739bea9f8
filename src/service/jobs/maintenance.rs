//! A maintenance window's reminders: to the agreement's status channel, before the window
//! starts and when it should have ended; a cancelled window's reminders lapse.

use super::Batch;
use crate::domain::jobs::JobOutcome;
use crate::domain::jobs::maintenance::{Spec, fire};
use crate::service::notice::Notice;
use crate::service::ports::{Channel, ChannelKind, Job, Post};
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
    let window = svc.store.window(spec.window).await?;
    let skip = fire(window.as_ref());
    if let (None, Some(w)) = (skip, window) {
        // Still ours? A runner that stalled past its lease must not post.
        svc.renew_lease(job, owner, now).await?;
        svc.post_once(
            batch,
            job,
            &Post {
                channel: Channel {
                    agreement: w.agreement.to_string(),
                    kind: ChannelKind::Status,
                },
                conversation: None,
                notice: Notice::Maintenance {
                    agreement: w.agreement.clone(),
                    window: Box::new(w),
                    moment: spec.moment,
                },
                mentions: vec![],
                late_since: late.then_some(job.planned_at),
                nonce: Some(job.id.to_string()),
            },
        )
        .await?;
    }
    let outcome = skip.map_or(JobOutcome::Posted, JobOutcome::Skipped);
    svc.finish_plain(batch, job, owner, now, late, outcome).await
}
