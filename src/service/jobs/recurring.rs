//! Recurring posts: to the agreement's summary channel; the next run is planned in the same
//! step, after now, so a job missed many times runs once.

use super::Batch;
use crate::domain::jobs::recurring::{self, Spec};
use crate::domain::jobs::{Group, JobOutcome, JobSpec, Planned};
use crate::service::notice::Notice;
use crate::service::ports::{Channel, ChannelKind, Job, NewJob, Post};
use crate::service::{Service, ServiceError, to_new_job};
use chrono::{DateTime, Utc};

/// The job of the run of recurring post `name` of `agreement` at `at`.
pub(super) fn job(agreement: &str, name: &str, at: DateTime<Utc>) -> NewJob {
    to_new_job(
        None,
        Planned {
            key: format!("recurring/{agreement}/{name}/{}", at.timestamp()),
            group: Group::Recurring,
            due_at: at,
            spec: JobSpec::Recurring(Spec { name: name.to_string() }),
        },
    )
}

pub(super) async fn run(
    svc: &Service,
    batch: &Batch,
    job: &Job,
    spec: &Spec,
    owner: &str,
    now: DateTime<Utc>,
    late: bool,
) -> Result<JobOutcome, ServiceError> {
    let Spec { name } = spec;
    let (agreement, _) = job
        .key
        .trim_start_matches("recurring/")
        .split_once('/')
        .unwrap_or(("", ""));
    let (a, c) = svc.agreement(agreement)?;
    let configured = c.recurring.iter().find(|r| &r.name == name);
    let fired = recurring::fire(configured.map(|r| &r.cron), a.tz, job.planned_at, now);
    if let (None, Some(r)) = (fired.skip, configured) {
        // Still ours? A runner that stalled past its lease must not post.
        svc.renew_lease(job, owner, now).await?;
        svc.post_once(
            batch,
            job,
            &Post {
                channel: Channel {
                    agreement: agreement.to_string(),
                    kind: ChannelKind::Summary,
                },
                conversation: None,
                notice: Notice::Recurring {
                    agreement: agreement.into(),
                    name: name.clone(),
                    what: r.what.clone(),
                },
                mentions: vec![],
                late_since: late.then_some(job.planned_at),
                nonce: Some(job.id.to_string()),
            },
        )
        .await?;
    }
    if let Some(next) = fired.next_at {
        svc.store.schedule(&[self::job(agreement, name, next)]).await?;
    }
    let outcome = fired.skip.map_or(JobOutcome::Posted, JobOutcome::Skipped);
    svc.finish_plain(batch, job, owner, now, late, outcome).await
}
