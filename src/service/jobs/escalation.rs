//! Breach escalations: ping the ladder level's role in the incident channel.

use super::{FireInput, IncidentJob, PostContext, mismatch, post};
use crate::domain::jobs::JobKind;
use crate::domain::jobs::escalation::{self, Breach, Spec};
use crate::domain::jobs::job::Fired;
use crate::service::ServiceError;
use crate::service::notice::{Mention, Notice};
use crate::service::ports::{ChannelKind, Post};

pub(super) struct Escalation;

impl IncidentJob for Escalation {
    type Spec = Spec;
    type Announce = Breach;

    fn fire(spec: &Spec, input: &FireInput<'_>) -> Result<Fired<Breach, Spec>, ServiceError> {
        let FireInput {
            agreement,
            policy,
            incident,
            now,
            ..
        } = *input;
        Ok(escalation::fire(
            agreement,
            incident,
            policy,
            spec.milestone,
            spec.level,
            spec.deadline,
            now,
        )?)
    }

    fn post(ctx: &PostContext<'_>, announce: &Breach) -> Result<Post, ServiceError> {
        let Breach {
            milestone,
            level,
            deadline,
            passed,
        } = announce;
        let a = ctx.agreement;
        let step = a
            .escalation
            .levels
            .get(*level as usize - 1)
            .ok_or_else(|| mismatch(JobKind::Escalation))?;
        Ok(post(
            ctx.channel(ChannelKind::Incidents),
            Notice::Escalated {
                incident: ctx.summary.clone(),
                milestone: Some(*milestone),
                deadline: Some(*deadline),
                level: *level,
                level_name: step.name.clone(),
                role: step.role.clone(),
                clause: a.escalation.prov.source.clone(),
                manual: None,
                passed: passed.clone(),
            },
            vec![Mention::Ladder {
                level: *level,
                role: step.role.clone(),
            }],
        ))
    }
}
