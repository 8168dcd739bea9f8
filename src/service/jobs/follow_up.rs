//! Follow-ups the agreement requires: to the lead (or the responders) in the incident channel.

use super::{IncidentJob, PostContext, misfiled, mismatch, post};
use crate::domain::agreement::Agreement;
use crate::domain::fire::{self, Announce, Fired, JobContext};
use crate::domain::incident::Incident;
use crate::domain::plan::{JobKind, JobSpec, Policy};
use crate::service::ServiceError;
use crate::service::notice::Notice;
use crate::service::ports::{ChannelKind, Post};
use chrono::{DateTime, Utc};

pub(super) struct FollowUp;

impl IncidentJob for FollowUp {
    fn fire(
        &self,
        spec: &JobSpec,
        a: &Agreement,
        _: &Policy,
        inc: &Incident,
        job: &JobContext,
        _: DateTime<Utc>,
    ) -> Result<Fired, ServiceError> {
        let JobSpec::FollowUp { id } = spec else {
            return misfiled();
        };
        Ok(fire::follow_up::fire(a, inc, job, id))
    }

    fn post(&self, ctx: &PostContext<'_>, announce: &Announce) -> Result<Post, ServiceError> {
        let Announce::FollowUp { id } = announce else {
            return Err(mismatch(JobKind::FollowUp));
        };
        let f = ctx
            .agreement
            .follow_ups
            .iter()
            .find(|f| &f.id == id)
            .ok_or_else(|| mismatch(JobKind::FollowUp))?;
        Ok(post(
            ctx.channel(ChannelKind::Incidents),
            Notice::FollowUp {
                incident: ctx.summary.clone(),
                id: id.clone(),
                what: f.what.clone(),
                clause: f.prov.source.clone(),
            },
            ctx.lead_or_responders(),
        ))
    }
}
