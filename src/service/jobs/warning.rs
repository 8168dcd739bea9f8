//! Pre-breach warnings: to the responders in the incident channel.

use super::{IncidentJob, PostContext, misfiled, mismatch, post};
use crate::domain::agreement::Agreement;
use crate::domain::fire::{self, Announce, Fired, JobContext};
use crate::domain::incident::Incident;
use crate::domain::plan::{JobKind, JobSpec, Policy};
use crate::service::ServiceError;
use crate::service::notice::Notice;
use crate::service::ports::{ChannelKind, Post};
use chrono::{DateTime, Utc};

pub(super) struct Warning;

impl IncidentJob for Warning {
    fn fire(
        &self,
        spec: &JobSpec,
        _: &Agreement,
        _: &Policy,
        inc: &Incident,
        _: &JobContext,
        now: DateTime<Utc>,
    ) -> Result<Fired, ServiceError> {
        let JobSpec::Warning {
            milestone,
            percent,
            deadline,
        } = spec
        else {
            return misfiled();
        };
        Ok(fire::warning::fire(inc, *milestone, *percent, *deadline, now))
    }

    fn post(&self, ctx: &PostContext<'_>, announce: &Announce) -> Result<Post, ServiceError> {
        let Announce::Warning {
            milestone,
            percent,
            deadline,
        } = announce
        else {
            return Err(mismatch(JobKind::Warning));
        };
        Ok(post(
            ctx.channel(ChannelKind::Incidents),
            Notice::Warning {
                incident: ctx.summary.clone(),
                milestone: *milestone,
                percent: *percent,
                deadline: *deadline,
            },
            // The lead answers for the incident once there is one; before that (a response
            // warning, typically) the responders.
            ctx.lead_or_responders(),
        ))
    }
}
