//! Breach escalations: ping the ladder level's role in the incident channel.

use super::{IncidentJob, PostContext, misfiled, mismatch, post};
use crate::domain::agreement::Agreement;
use crate::domain::fire::{self, Announce, Fired, JobContext};
use crate::domain::incident::Incident;
use crate::domain::plan::{JobKind, JobSpec, Policy};
use crate::service::ServiceError;
use crate::service::notice::{Mention, Notice};
use crate::service::ports::{ChannelKind, Post};
use chrono::{DateTime, Utc};

pub(super) struct Escalation;

impl IncidentJob for Escalation {
    fn fire(
        &self,
        spec: &JobSpec,
        a: &Agreement,
        policy: &Policy,
        inc: &Incident,
        _: &JobContext,
        now: DateTime<Utc>,
    ) -> Result<Fired, ServiceError> {
        let JobSpec::Escalation {
            milestone,
            level,
            deadline,
            ..
        } = spec
        else {
            return misfiled();
        };
        Ok(fire::escalation::fire(
            a, inc, policy, *milestone, *level, *deadline, now,
        )?)
    }

    fn post(&self, ctx: &PostContext<'_>, announce: &Announce) -> Result<Post, ServiceError> {
        let Announce::Breach {
            milestone,
            level,
            deadline,
            passed,
        } = announce
        else {
            return Err(mismatch(JobKind::Escalation));
        };
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
