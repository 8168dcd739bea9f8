//! Periodic status updates: to the status channel, reminding the lead (or the responders)
//! when no human update came since the previous one.

use super::{FireInput, IncidentJob, PostContext, post};
use crate::domain::jobs::job::Fired;
use crate::domain::jobs::status::{self, Announce, Spec};
use crate::service::ServiceError;
use crate::service::notice::{Notice, StatusContent};
use crate::service::ports::{ChannelKind, Post};

pub(super) struct Status;

impl IncidentJob for Status {
    type Spec = Spec;
    type Announce = Announce;

    fn fire(spec: &Spec, input: &FireInput<'_>) -> Result<Fired<Announce, Spec>, ServiceError> {
        Ok(status::fire(
            input.agreement,
            input.incident,
            input.job,
            spec.seq,
            input.now,
        )?)
    }

    fn post(ctx: &PostContext<'_>, announce: &Announce) -> Result<Post, ServiceError> {
        let Announce { seq, since, remind } = announce;
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
