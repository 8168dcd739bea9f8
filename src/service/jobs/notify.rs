//! Immediate notifications (ping the first ladder level, or all of it) and the posts of
//! manual escalations (ping the level reached).

use super::{FireInput, IncidentJob, PostContext, post};
use crate::domain::jobs::job::Fired;
use crate::domain::jobs::notify::{self, Announce, Spec};
use crate::service::ServiceError;
use crate::service::notice::{Mention, Notice};
use crate::service::ports::{ChannelKind, Post};

pub(super) struct Notify;

impl IncidentJob for Notify {
    type Spec = Spec;
    type Announce = Announce;

    fn fire(spec: &Spec, input: &FireInput<'_>) -> Result<Fired<Announce, Spec>, ServiceError> {
        Ok(notify::fire(
            input.agreement,
            spec.notification,
            spec.whole_ladder,
            spec.level,
            spec.reason.as_deref(),
            spec.legacy_text.as_deref(),
        ))
    }

    fn post(ctx: &PostContext<'_>, announce: &Announce) -> Result<Post, ServiceError> {
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
                let missing = n.map_or_else(Vec::new, |n| ctx.summary.latest.missing(&n.required_fields));
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
                        missing,
                    },
                    ladder(0, take),
                ))
            }
        }
    }
}
