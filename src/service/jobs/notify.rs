//! Immediate notifications (ping the first ladder level, or all of it) and the posts of
//! manual escalations (ping the level reached).

use super::{IncidentJob, PostContext, misfiled, mismatch, post};
use crate::domain::agreement::Agreement;
use crate::domain::fire::{self, Announce, Fired, JobContext};
use crate::domain::incident::Incident;
use crate::domain::plan::{JobKind, JobSpec, Policy};
use crate::service::ServiceError;
use crate::service::notice::{Mention, Notice};
use crate::service::ports::{ChannelKind, Post};
use chrono::{DateTime, Utc};

pub(super) struct Notify;

impl IncidentJob for Notify {
    fn fire(
        &self,
        spec: &JobSpec,
        a: &Agreement,
        _: &Policy,
        _: &Incident,
        _: &JobContext,
        _: DateTime<Utc>,
    ) -> Result<Fired, ServiceError> {
        let JobSpec::Notify {
            notification,
            whole_ladder,
            level,
            reason,
            legacy_text,
        } = spec
        else {
            return misfiled();
        };
        Ok(fire::notify::fire(
            a,
            *notification,
            *whole_ladder,
            *level,
            reason.as_deref(),
            legacy_text.as_deref(),
        ))
    }

    fn post(&self, ctx: &PostContext<'_>, announce: &Announce) -> Result<Post, ServiceError> {
        let a = ctx.agreement;
        let ladder = |skip: usize, take: usize| -> Vec<Mention> {
            a.escalation
                .levels
                .iter()
                .enumerate()
                .skip(skip)
                .take(take)
                .map(|(i, l)| Mention::Ladder {
                    level: i as u32 + 1,
                    role: l.role.clone(),
                })
                .collect()
        };
        let channel = ctx.channel(ChannelKind::Incidents);
        match announce {
            Announce::ManualEscalation { level, reason } => {
                let step = a.escalation.levels.get((*level as usize).saturating_sub(1));
                Ok(post(
                    channel,
                    Notice::Escalated {
                        incident: ctx.summary.clone(),
                        milestone: None,
                        deadline: None,
                        level: *level,
                        level_name: step.map_or(String::new(), |s| s.name.clone()),
                        role: step.map_or(String::new(), |s| s.role.clone()),
                        clause: a.escalation.prov.source.clone(),
                        manual: Some((None, reason.clone())),
                        passed: vec![],
                    },
                    ladder((*level as usize).saturating_sub(1), 1),
                ))
            }
            Announce::Notification {
                index,
                whole_ladder,
                legacy_text,
            } => {
                let n = index.and_then(|i| a.notifications.get(i));
                let (what, clause) = match (n, legacy_text) {
                    (Some(n), _) => (n.what.clone(), n.prov.source.clone()),
                    (None, Some(text)) => (text.clone(), String::new()),
                    (None, None) => (String::new(), String::new()),
                };
                let take = if *whole_ladder { a.escalation.levels.len() } else { 1 };
                Ok(post(
                    channel,
                    Notice::Notification {
                        incident: ctx.summary.clone(),
                        what,
                        clause,
                    },
                    ladder(0, take),
                ))
            }
            _ => Err(mismatch(JobKind::Notify)),
        }
    }
}
