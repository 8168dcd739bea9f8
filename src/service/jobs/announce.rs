//! Announcements of changes people made: opened (the incident's card, and its conversation
//! started under it), acknowledged, updated, priority changed, resolved, reopened, closed, the
//! lead handed over —
//! each posted to the agreement's incident channel (into the incident's conversation where
//! the chat has one), and the card edited to show the incident as it is now.

use super::{Delivery, FireInput, IncidentJob, PostContext, post};
use crate::domain::jobs::announce::{self, Lifecycle, Spec};
use crate::domain::jobs::job::Fired;
use crate::service::ServiceError;
use crate::service::notice::{ActorRef, Mention, Notice};
use crate::service::ports::{ChannelKind, Post};

pub(super) struct Announcement;

fn actor(id: &crate::domain::ids::UserId) -> ActorRef {
    ActorRef {
        id: id.clone(),
        name: id.to_string(),
    }
}

/// The incident's card: its opening notice, showing the incident as it is now.
fn card(ctx: &PostContext<'_>) -> Notice {
    Notice::Opened {
        incident: ctx.summary.clone(),
        actor: actor(ctx.incident.reporter()),
        reasons: ctx.incident.reasons().to_vec(),
    }
}

impl IncidentJob for Announcement {
    type Spec = Spec;
    type Announce = Lifecycle;

    fn fire(spec: &Spec, _: &FireInput<'_>) -> Result<Fired<Lifecycle, Spec>, ServiceError> {
        Ok(announce::fire(&spec.event))
    }

    /// The opening post is the incident's card, its conversation started under it; every
    /// other announcement goes into the conversation and edits the card to show the incident
    /// as it is now.
    fn delivery(event: &Lifecycle) -> Delivery {
        match event {
            Lifecycle::Opened { .. } => Delivery::Card,
            _ => Delivery::EditCard(card),
        }
    }

    fn post(ctx: &PostContext<'_>, event: &Lifecycle) -> Result<Post, ServiceError> {
        let incident = ctx.summary.clone();
        let notice = match event {
            Lifecycle::Opened { actor: a } => Notice::Opened {
                incident,
                actor: actor(a),
                reasons: ctx.incident.reasons().to_vec(),
            },
            Lifecycle::Acknowledged { actor: a } => Notice::Acknowledged {
                incident,
                actor: actor(a),
            },
            Lifecycle::Updated { actor: a, note, fields } => Notice::Updated {
                incident,
                actor: actor(a),
                note: note.clone(),
                fields: fields.clone(),
            },
            Lifecycle::PriorityChanged {
                actor: a,
                from,
                to,
                manual,
                reason,
            } => Notice::PriorityChanged {
                incident,
                from: from.clone(),
                to: to.clone(),
                actor: Some(actor(a)),
                reason: if *manual { reason.clone() } else { None },
                reasons: if *manual {
                    vec![]
                } else {
                    ctx.incident.reasons().to_vec()
                },
            },
            Lifecycle::Resolved { actor: a, how, note } => Notice::Resolved {
                incident,
                actor: actor(a),
                how: *how,
                note: note.clone(),
            },
            Lifecycle::Reopened { actor: a, reason } => Notice::Reopened {
                incident,
                actor: actor(a),
                reason: reason.clone(),
            },
            Lifecycle::Closed { actor: a } => Notice::Closed {
                incident,
                actor: actor(a),
            },
            Lifecycle::Edited {
                actor: a,
                title_before,
                description,
            } => Notice::Edited {
                incident,
                actor: actor(a),
                title_before: title_before.clone(),
                description: *description,
            },
            Lifecycle::Snoozed {
                actor: a,
                until,
                reason,
            } => Notice::Snoozed {
                incident,
                actor: actor(a),
                until: *until,
                reason: reason.clone(),
            },
            Lifecycle::MarkedDuplicate { actor: a, of } => Notice::MarkedDuplicate {
                incident,
                actor: actor(a),
                of: of.clone(),
            },
            Lifecycle::LeadChanged { actor: a, from, to } => {
                // The new lead is told when someone else handed it to them.
                let mentions = if a == to {
                    vec![]
                } else {
                    vec![Mention::User(to.clone())]
                };
                let notice = Notice::LeadChanged {
                    incident,
                    actor: actor(a),
                    from: from.clone(),
                    to: to.clone(),
                };
                return Ok(post(ctx.channel(ChannelKind::Incidents), notice, mentions));
            }
            Lifecycle::AgreementChanged {
                response_before,
                resolution_before,
            } => Notice::AgreementChanged {
                incident,
                response_before: *response_before,
                resolution_before: *resolution_before,
            },
        };
        Ok(post(ctx.channel(ChannelKind::Incidents), notice, vec![]))
    }
}
