//! Periodic status updates: to the status channel, reminding the lead (or the responders)
//! when no human update came since the previous one; the reminder that reaches the policy's
//! limit of unanswered ones also pings the managers, and those after it ping nobody.

use super::{FireInput, IncidentJob, PostContext, post};
use crate::domain::jobs::job::Fired;
use crate::domain::jobs::status::{self, Announce, Spec};
use crate::service::ServiceError;
use crate::service::notice::{Mention, Notice, StatusContent};
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
            input.policy.quiet_after,
            input.now,
        )?)
    }

    fn post(ctx: &PostContext<'_>, announce: &Announce) -> Result<Post, ServiceError> {
        let Announce {
            seq,
            since,
            remind,
            unanswered,
            tell_managers,
            quiet,
            ref latest,
            at,
        } = *announce;
        // A reminder pings the lead (or the responders); the one that reaches the limit also
        // the managers; those after it nobody.
        // Fields the agreement requires and nobody gave yet are asked of the lead (pinged
        // like a reminder, and quiet like one past the limit).
        let rule = ctx.agreement.cadence_for(&ctx.summary.priority);
        let missing = rule.map_or_else(Vec::new, |c| latest.missing(&c.required_fields));
        let asks = !missing.is_empty();
        let mentions = match (remind || asks, tell_managers, quiet) {
            (true, true, _) => [ctx.lead_or_responders(), vec![Mention::Managers]].concat(),
            (true, false, false) => ctx.lead_or_responders(),
            _ => vec![],
        };
        Ok(post(
            ctx.channel(ChannelKind::Status),
            Notice::Status {
                incident: ctx.summary.clone(),
                status: StatusContent {
                    seq,
                    since,
                    remind,
                    unanswered,
                    managers_told: tell_managers,
                    latest: latest.clone(),
                    at,
                    missing,
                    missing_clause: rule.map_or_else(String::new, |c| c.prov.source.clone()),
                },
            },
            mentions,
        ))
    }
}
