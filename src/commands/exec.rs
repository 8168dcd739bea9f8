//! The one executor of typed commands: runs a [`Command`] through the service for an actor
//! and returns a typed [`Reply`] (a view model, not text). Every adapter calls it; each
//! renders the reply its own way.

use super::{Command, ListScope};
use crate::domain::agreement::Agreement;
use crate::domain::ids::AgreementId;
use crate::domain::period::Period;
use crate::service::maintenance::Announcement;
pub use crate::service::views::Reply;
use crate::service::{Actor, ListPage, Service, ServiceError, UserError};
use chrono::{Datelike, Duration};
use std::sync::Arc;

/// Runs `cmd` for `actor`. Permissions are the service's policy.
pub async fn execute(service: &Service, actor: &Actor, cmd: Command) -> Result<Reply, ServiceError> {
    let view = |inc: crate::domain::incident::Incident| service.view(inc);
    Ok(match cmd {
        Command::Open {
            agreement,
            title,
            description,
            facts,
            service: on,
            case_type,
            class,
        } => Reply::Opened(view(
            service
                .open_case(
                    actor,
                    &agreement,
                    case_type.as_deref().unwrap_or(crate::domain::case_type::INCIDENT),
                    class.as_deref(),
                    &title,
                    &description,
                    facts,
                    on.as_deref(),
                )
                .await?,
        )?),
        Command::Preview { agreement, facts, at } => {
            let a = agreement_of(service, &agreement)?;
            let (classified, deadlines) = service.preview(&agreement, &facts, at.unwrap_or_else(|| service.now()))?;
            Reply::Previewed {
                agreement: a,
                classified,
                deadlines,
            }
        }
        Command::Ack { id } => Reply::Acknowledged(view(service.acknowledge(actor, &id).await?)?),
        Command::Update { id, note, fields } => {
            let note = Some(note.as_str()).filter(|n| !n.is_empty());
            Reply::Updated(view(service.add_status(actor, &id, note, &fields).await?)?)
        }
        Command::Resolve { id, how, note } => Reply::Resolved(view(service.resolve(actor, &id, how, note).await?)?),
        Command::Reopen { id, reason } => Reply::Reopened(view(service.reopen(actor, &id, &reason).await?)?),
        Command::Close { id } => Reply::Closed(view(service.close(actor, &id).await?)?),
        Command::Waive { id, follow_up, reason } => Reply::Waived {
            incident: view(service.waive_follow_up(actor, &id, &follow_up, &reason).await?)?,
            follow_up,
        },
        Command::FollowUpDone { id, follow_up } => Reply::FollowUpDone {
            incident: view(service.complete_follow_up(actor, &id, &follow_up).await?)?,
            follow_up,
        },
        Command::Escalate { id, reason } => Reply::Escalated(view(service.escalate(actor, &id, &reason).await?)?),
        Command::Edit { id, title, description } => Reply::Edited(view(
            service
                .edit(actor, &id, title.as_deref(), description.as_deref())
                .await?,
        )?),
        Command::Snooze { id, until, reason } => {
            Reply::Snoozed(view(service.snooze(actor, &id, until, &reason).await?)?)
        }
        Command::Link { id, of } => Reply::MarkedDuplicate(view(service.mark_duplicate(actor, &id, &of).await?)?),
        Command::Lead { id, to } => Reply::LeadChanged(view(service.set_lead(actor, &id, to.as_ref()).await?)?),
        Command::Outage {
            id,
            kind,
            start,
            end,
            answering,
        } => Reply::OutageMarked(view(
            service
                .mark_outage_answering(actor, &id, kind, (start, end), answering)
                .await?,
        )?),
        Command::Publish { id, text } => {
            let (inc, count) = service.publish(actor, &id, &text).await?;
            Reply::Published {
                incident: view(inc)?,
                count,
            }
        }
        Command::Reclassify { id, change, reason } => {
            Reply::Reclassified(view(service.reclassify(actor, &id, &change, reason.as_deref()).await?)?)
        }
        Command::Override { id, priority, reason } => {
            Reply::Overridden(view(service.override_priority(actor, &id, &priority, &reason).await?)?)
        }
        Command::Show { id } => Reply::Shown(service.show(&id).await?),
        Command::Timeline { id } => {
            let entries = service.timeline(&id).await?;
            Reply::Timeline {
                incident: service.show(&id).await?,
                entries,
            }
        }
        Command::List {
            agreement,
            scope,
            page,
            case_type,
        } => {
            let listed = list(service, agreement.as_ref(), case_type.as_deref(), scope, page - 1).await?;
            Reply::Listed {
                scope,
                incidents: listed.items,
                page,
                more: listed.more,
                agreement,
                case_type,
            }
        }
        Command::Explain { agreement, priority } => {
            let a = agreement_of(service, &agreement)?;
            if let Some(p) = &priority
                && a.priority(p).is_none()
            {
                return Err(crate::domain::incident::IncidentError::unknown_priority(&a, p).into());
            }
            Reply::Explained { agreement: a, priority }
        }
        Command::PointAdd {
            agreement,
            text,
            owner,
            due,
        } => {
            let a = defaulted(service, agreement.as_ref())?;
            Reply::PointAdded(service.add_point(actor, &a.id, &text, owner, due).await?)
        }
        Command::PointDone { agreement, id } => {
            let a = defaulted(service, agreement.as_ref())?;
            Reply::PointDone(service.complete_point(actor, &a.id, id).await?)
        }
        Command::Points { agreement } => {
            let a = defaulted(service, agreement.as_ref())?;
            let points = service.open_points(&a.id).await?;
            Reply::Points { agreement: a, points }
        }
        Command::ReportWeekly { agreement, week } => {
            let a = defaulted(service, agreement.as_ref())?;
            let week = week.unwrap_or_else(|| {
                let today = service.now().with_timezone(&a.tz).date_naive();
                Period::of_week((today - Duration::weeks(1)).iso_week())
            });
            Reply::Report(Box::new(service.report_notice(&a.id, week).await?))
        }
        Command::MaintenanceAnnounce {
            agreement,
            service: on,
            kind,
            start,
            duration,
            description,
            reason,
        } => {
            let a = defaulted(service, agreement.as_ref())?;
            let ann = Announcement {
                agreement: a.id.clone(),
                service: on,
                kind,
                start,
                duration,
                description,
                reason,
            };
            let window = service.announce_window(actor, &ann).await?;
            Reply::WindowAnnounced { agreement: a, window }
        }
        Command::MaintenanceList { agreement } => {
            let a = defaulted(service, agreement.as_ref())?;
            let windows = service.upcoming_windows(&a.id).await?;
            Reply::Windows { agreement: a, windows }
        }
        Command::MaintenanceCancel { agreement, id } => {
            let a = defaulted(service, agreement.as_ref())?;
            let window = service.cancel_window(actor, &a.id, id).await?;
            Reply::WindowCancelled { agreement: a, window }
        }
    })
}

/// The agreement named, or the only one configured.
fn defaulted(service: &Service, id: Option<&AgreementId>) -> Result<Arc<Agreement>, ServiceError> {
    match id {
        Some(id) => agreement_of(service, id),
        None => {
            let mut ids = service.settings().agreements.keys();
            match (ids.next(), ids.next()) {
                (Some(only), None) => agreement_of(service, &AgreementId::new(only.as_str())),
                _ => Err(UserError::AgreementNeeded.into()),
            }
        }
    }
}

fn agreement_of(service: &Service, id: &AgreementId) -> Result<Arc<Agreement>, ServiceError> {
    service
        .catalog()
        .get(id)
        .cloned()
        .ok_or_else(|| UserError::UnknownAgreement(id.to_string()).into())
}

async fn list(
    service: &Service,
    agreement: Option<&AgreementId>,
    case_type: Option<&str>,
    scope: ListScope,
    page: u32,
) -> Result<ListPage, ServiceError> {
    service
        .list_page_of(agreement.map(|a| a.as_str()), case_type, scope, page)
        .await
}
