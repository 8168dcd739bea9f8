//! Pre-breach warnings: to the responders in the incident channel.

use super::{FireInput, IncidentJob, PostContext, post};
use crate::domain::jobs::job::Fired;
use crate::domain::jobs::warning::{self, Announce, Spec};
use crate::service::ServiceError;
use crate::service::notice::Notice;
use crate::service::ports::{ChannelKind, Post};

pub(super) struct Warning;

impl IncidentJob for Warning {
    type Spec = Spec;
    type Announce = Announce;

    const NEXT_WITHOUT_POST: bool = true;

    fn fire(spec: &Spec, input: &FireInput<'_>) -> Result<Fired<Announce, Spec>, ServiceError> {
        Ok(warning::fire(
            input.agreement,
            input.incident,
            input.policy,
            spec,
            input.now,
        )?)
    }

    fn post(ctx: &PostContext<'_>, announce: &Announce) -> Result<Post, ServiceError> {
        let Announce {
            milestone,
            percent,
            deadline,
        } = announce;
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
