//! Follow-ups the agreement requires: to the lead (or the responders) in the incident channel.

use super::{FireInput, IncidentJob, PostContext, mismatch, post};
use crate::domain::jobs::JobKind;
use crate::domain::jobs::follow_up::{self, Announce, Spec};
use crate::domain::jobs::job::Fired;
use crate::service::ServiceError;
use crate::service::notice::Notice;
use crate::service::ports::{ChannelKind, Post};

pub(super) struct FollowUp;

impl IncidentJob for FollowUp {
    type Spec = Spec;
    type Announce = Announce;

    fn fire(spec: &Spec, input: &FireInput<'_>) -> Result<Fired<Announce, Spec>, ServiceError> {
        Ok(follow_up::fire(
            input.agreement,
            input.incident,
            input.job,
            &spec.id,
            spec.due,
            input.now,
        ))
    }

    fn post(ctx: &PostContext<'_>, announce: &Announce) -> Result<Post, ServiceError> {
        let Announce { id, due } = announce;
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
                due: *due,
            },
            ctx.lead_or_responders(),
        ))
    }
}
