//! Agreement duties as durable jobs: the weekly summary, the monthly and annual reports and
//! the reminder before each meeting, posted to the agreement's summary channel. When each
//! falls due is the domain's ([`crate::domain::duty`]); this handler generates and stores the
//! report, posts it once, and plans the next falling-due in the same step. A duty missed by
//! more than its own period (the next one has passed too) is skipped, not posted late on the
//! wrong day; a duty the agreement no longer has stops.

use super::Batch;
use crate::domain::duty::{self, Due, Duty, Period};
use crate::domain::jobs::duty::Spec;
use crate::domain::jobs::{Group, JobOutcome, JobSpec, Planned, Skip};
use crate::domain::meeting::Agenda;
use crate::service::notice::Notice;
use crate::service::ports::{Channel, ChannelKind, Job, NewJob, Post};
use crate::service::{Service, ServiceError, UserError, to_new_job};
use chrono::{DateTime, Utc};

/// The job of duty `duty` of `agreement` falling due as `due`.
pub(super) fn job(agreement: &str, duty: &Duty, due: &Due) -> NewJob {
    to_new_job(
        None,
        Planned {
            key: format!("duty/{agreement}/{}/{}", duty.key(), due.at.timestamp()),
            group: Group::Duty,
            due_at: due.at,
            spec: JobSpec::Duty(Spec {
                agreement: agreement.to_string(),
                duty: duty.clone(),
                period: due.period,
                meeting_at: due.meeting_at,
            }),
        },
    )
}

pub(super) async fn run(
    svc: &Service,
    batch: &Batch,
    job: &Job,
    spec: &Spec,
    owner: &str,
    now: DateTime<Utc>,
    late: bool,
) -> Result<JobOutcome, ServiceError> {
    let Spec {
        agreement,
        duty,
        period,
        meeting_at,
    } = spec;
    let Some(a) = svc.catalog.get(agreement).filter(|a| Duty::all(a).contains(duty)) else {
        let outcome = JobOutcome::Skipped(Skip::NoLongerConfigured);
        return svc.finish_plain(batch, job, owner, now, late, outcome).await;
    };
    let a = a.clone();
    // Missed: its next occurrence has fallen due too, or will before the clock stops moving.
    let horizon = svc.clock.heading_to().max(now);
    let missed = duty::next_due(&a, duty, job.planned_at).is_some_and(|n| n.at <= horizon);
    if !missed {
        // Still ours? A runner that stalled past its lease must not post.
        svc.renew_lease(job, owner, now).await?;
        let notice = match duty {
            Duty::MeetingReminder { meeting } => {
                let m = a
                    .meeting(meeting)
                    .ok_or(UserError::UnknownAgreement(agreement.clone()))?;
                let starts_at = meeting_at.unwrap_or(job.planned_at);
                let agenda = match m.agenda {
                    Agenda::None => None,
                    Agenda::WeeklySummary | Agenda::PeriodReport => {
                        let p = duty::agenda_period(&a, m, starts_at);
                        Some(Box::new(svc.generate_report(agreement, p).await?.value))
                    }
                };
                // Built now, as it is posted: the incidents open at this moment.
                let open = svc
                    .list(Some(agreement), crate::service::ListScope::Active)
                    .await?
                    .into_iter()
                    .map(|v| v.summary)
                    .collect();
                Notice::MeetingReminder {
                    agreement: agreement.as_str().into(),
                    meeting: meeting.clone(),
                    name: m.name.clone(),
                    open,
                    starts_at,
                    agenda,
                    points: svc.open_points(agreement).await?,
                }
            }
            _ => report_notice(svc, agreement, *period).await?,
        };
        svc.post_once(
            batch,
            job,
            &Post {
                channel: Channel {
                    agreement: agreement.clone(),
                    kind: ChannelKind::Summary,
                },
                conversation: None,
                notice,
                mentions: vec![],
                late_since: late.then_some(job.planned_at),
                nonce: Some(job.id.to_string()),
            },
        )
        .await?;
    }
    if let Some(next) = duty::next_due(&a, duty, now.max(job.planned_at)) {
        svc.store.schedule(&[self::job(agreement, duty, &next)]).await?;
    }
    let outcome = if missed {
        JobOutcome::Skipped(Skip::MissedPeriod)
    } else {
        JobOutcome::Posted
    };
    svc.finish_plain(batch, job, owner, now, late, outcome).await
}

/// The notice of a generated (and stored) report of `period`.
async fn report_notice(svc: &Service, agreement: &str, period: Period) -> Result<Notice, ServiceError> {
    let g = svc.generate_report(agreement, period).await?;
    Ok(Notice::Report {
        agreement: agreement.into(),
        kind: g.value.kind(),
        period: period.to_string(),
        revision: g.stored.revision,
        changes: g.changes().cloned(),
        report: Box::new(g.value),
    })
}

impl Service {
    /// Schedules the next falling-due of every duty of every configured agreement after now
    /// (idempotent: job keys name the duty and its time).
    pub async fn schedule_duties(&self) -> Result<(), ServiceError> {
        let now = self.clock.now();
        let mut jobs = Vec::new();
        for id in self.settings.agreements.keys() {
            let Some(a) = self.catalog.get(id) else { continue };
            for d in Duty::all(a) {
                if let Some(due) = duty::next_due(a, &d, now) {
                    jobs.push(job(id, &d, &due));
                }
            }
        }
        Ok(self.store.schedule(&jobs).await?)
    }

    /// The report of `period` for `agreement`, generated and stored, as a notice (what
    /// `/report weekly` shows).
    pub async fn report_notice(&self, agreement: &str, period: Period) -> Result<Notice, ServiceError> {
        self.agreement(agreement)?;
        report_notice(self, agreement, period).await
    }
}
