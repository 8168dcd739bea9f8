//! Re-pages of an unacknowledged incident: ping the ladder level's role in the incident
//! channel, saying which page it is (or that the incident climbed to the level).

use super::{FireInput, IncidentJob, PostContext, mismatch, post};
use crate::domain::jobs::JobKind;
use crate::domain::jobs::job::Fired;
use crate::domain::jobs::repage::{self, Announce, Spec};
use crate::service::ServiceError;
use crate::service::notice::{Mention, Notice};
use crate::service::ports::{ChannelKind, Post};

pub(super) struct Repage;

impl IncidentJob for Repage {
    type Spec = Spec;
    type Announce = Announce;

    fn fire(spec: &Spec, input: &FireInput<'_>) -> Result<Fired<Announce, Spec>, ServiceError> {
        Ok(repage::fire(
            input.agreement,
            input.incident,
            input.policy,
            spec,
            input.job.planned_at,
            input.job.late,
            input.now,
        )?)
    }

    fn post(ctx: &PostContext<'_>, announce: &Announce) -> Result<Post, ServiceError> {
        let Announce { level, page, limit } = *announce;
        let step = ctx
            .agreement
            .escalation
            .levels
            .get(level as usize - 1)
            .ok_or_else(|| mismatch(JobKind::Repage))?;
        Ok(post(
            ctx.channel(ChannelKind::Incidents),
            Notice::Repaged {
                incident: ctx.summary.clone(),
                level,
                level_name: step.name.clone(),
                page,
                limit,
            },
            vec![Mention::Ladder {
                level,
                role: step.role.clone(),
            }],
        ))
    }
}
