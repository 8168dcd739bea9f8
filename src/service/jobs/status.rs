//! Periodic status updates: to the status channel, reminding the lead (or the responders)
//! when no human update came since the previous one.

use super::{IncidentJob, PostContext, misfiled, mismatch, post};
use crate::domain::agreement::Agreement;
use crate::domain::fire::{self, Announce, Fired, JobContext};
use crate::domain::incident::Incident;
use crate::domain::plan::{JobKind, JobSpec, Policy};
use crate::service::ServiceError;
use crate::service::notice::{Notice, StatusContent};
use crate::service::ports::{ChannelKind, Post};
use chrono::{DateTime, Utc};

pub(super) struct Status;

impl IncidentJob for Status {
    fn fire(
        &self,
        spec: &JobSpec,
        a: &Agreement,
        _: &Policy,
        inc: &Incident,
        job: &JobContext,
        now: DateTime<Utc>,
    ) -> Result<Fired, ServiceError> {
        let JobSpec::StatusUpdate { seq } = spec else {
            return misfiled();
        };
        Ok(fire::status::fire(a, inc, job, *seq, now)?)
    }

    fn post(&self, ctx: &PostContext<'_>, announce: &Announce) -> Result<Post, ServiceError> {
        let Announce::Status { seq, since, remind } = announce else {
            return Err(mismatch(JobKind::StatusUpdate));
        };
        Ok(post(
            ctx.channel(ChannelKind::Status),
            Notice::Status {
                incident: ctx.summary.clone(),
                status: StatusContent {
                    seq: *seq,
                    since: *since,
                    remind: *remind,
                },
            },
            if *remind { ctx.lead_or_responders() } else { vec![] },
        ))
    }
}
