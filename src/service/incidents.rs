//! The use cases that change incidents: open, acknowledge, update, reclassify, override,
//! escalate, resolve, reopen, close. Each loads the incident, checks the actor's permission,
//! applies the domain transition and commits the incident, its new timeline entries and the
//! job-plan changes in one transaction.

use super::ports::{AlertReceipt, CancelJobs, Change, IncidentFilter, NewJob, PlanKey, StoreError};
use super::{
    Action, Actor, AgreementSettings, MAX_CONFLICT_RETRIES, Permission, Service, ServiceError, UserError, to_new_job,
};
use crate::domain::agreement::Agreement;
use crate::domain::case_type::INCIDENT;
use crate::domain::classify::{Facts, FactsChange, classify_on};
use crate::domain::ids::{AgreementId, IncidentId, UserId};
use crate::domain::incident::{
    Fate, Incident, NewIncident, OutageKind, PlanBasis, Resolution, State, StatusFields, TimelineEntry, fate,
};
use crate::domain::jobs;
use crate::domain::plan::{
    Group, JobSpec, Lifecycle, plan_after_resolved, plan_milestones, plan_notifications, plan_status,
};
use chrono::{DateTime, Datelike, Utc};

/// The job announcing `event` on `inc` (as loaded: its version makes the key unique).
fn announce(inc: &Incident, event: Lifecycle, now: DateTime<Utc>) -> NewJob {
    to_new_job(Some(inc.id()), jobs::announce::plan(inc, event, now).map(JobSpec::from))
}

/// Whether `to` is more severe than `from` (agreements list priorities most severe first).
fn raises(a: &Agreement, from: &str, to: &str) -> bool {
    let rank = |p: &str| a.priorities.iter().position(|x| x.id == p);
    matches!((rank(from), rank(to)), (Some(f), Some(t)) if t < f)
}

/// The service an incident opened naming `given` is about: a service of the agreement (its
/// main service when none is named), or what was typed when the agreement names none.
fn incident_service(a: &Agreement, given: Option<&str>) -> Result<Option<String>, UserError> {
    let given = given.map(str::trim).filter(|s| !s.is_empty());
    if a.services.is_empty() {
        return Ok(given.map(str::to_string));
    }
    match given {
        None => Ok(a.main_service().map(|s| s.id.clone())),
        Some(id) => match a.service(id) {
            Some(s) => Ok(Some(s.id.clone())),
            None => Err(UserError::UnknownService {
                service: id.to_string(),
                known: a.services.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", "),
            }),
        },
    }
}

/// Cancels the incident's pending jobs in `groups` (all pending jobs when empty).
fn cancel(inc: &Incident, groups: &[Group]) -> Option<CancelJobs> {
    Some(CancelJobs {
        incident: inc.id().clone(),
        groups: groups.to_vec(),
    })
}

impl Service {
    /// Opens an incident of the whole agreement: classifies, stores it with its timeline
    /// and job plan, and returns it.
    pub async fn open(
        &self,
        actor: &Actor,
        agreement: &str,
        title: &str,
        description: &str,
        facts: Facts,
    ) -> Result<Incident, ServiceError> {
        self.open_on(actor, agreement, title, description, facts, None).await
    }

    /// Opens an incident of the affected `service` of the agreement, or of its main service
    /// when `None`: classifies, stores it with its timeline and job plan, and returns it. A
    /// service the agreement does not name is refused (an agreement that names no services
    /// keeps what was typed).
    pub async fn open_on(
        &self,
        actor: &Actor,
        agreement: &str,
        title: &str,
        description: &str,
        facts: Facts,
        service: Option<&str>,
    ) -> Result<Incident, ServiceError> {
        self.open_case(actor, agreement, INCIDENT, None, title, description, facts, service)
            .await
    }

    /// Opens a case of type `case_type` (`incident`, or one of the agreement's
    /// `[[case_types]]`) on `service` (as [`open_on`](Self::open_on)). Another type is
    /// classified by the `class` named — its only class when it has one and none is named —
    /// and runs on its own targets, warnings and numbering (`SSB-PRB-2026-0001`); an incident
    /// is classified by `facts` as always.
    #[allow(clippy::too_many_arguments)]
    pub async fn open_case(
        &self,
        actor: &Actor,
        agreement: &str,
        case_type: &str,
        class: Option<&str>,
        title: &str,
        description: &str,
        facts: Facts,
        service: Option<&str>,
    ) -> Result<Incident, ServiceError> {
        let case_type = Some(case_type.trim()).filter(|t| !t.is_empty()).unwrap_or(INCIDENT);
        let facts = if case_type == INCIDENT {
            facts
        } else {
            let (a, _) = self.agreement(agreement)?;
            let v = super::view_of(a, case_type)?;
            let class = match (class.map(str::trim).filter(|c| !c.is_empty()), v.priorities.as_slice()) {
                (Some(c), _) => c,
                (None, [only]) => only.id.as_str(),
                (None, classes) => {
                    return Err(UserError::ClassNeeded {
                        case_type: case_type.to_string(),
                        known: classes.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", "),
                    }
                    .into());
                }
            };
            // The class is the case's one fact: an impact is refused like any fact its rules
            // do not read (the others are refused by classification).
            if !facts.impact.trim().is_empty() {
                return Err(crate::domain::classify::ClassifyError::FactNotUsed {
                    fact: "impact",
                    agreement: a.id.clone(),
                }
                .into());
            }
            Facts {
                impact: class.to_string(),
                ..facts
            }
        };
        self.open_recorded(
            actor,
            (agreement, case_type),
            title,
            description,
            facts,
            service,
            Vec::new(),
        )
        .await
    }

    /// [`open_on`](Self::open_on), recording `alerts` (what monitoring reported) in the same
    /// transaction: one recorded already fails the open with a conflict.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn open_recorded(
        &self,
        actor: &Actor,
        (agreement, case_type): (&str, &str),
        title: &str,
        description: &str,
        facts: Facts,
        service: Option<&str>,
        alerts: Vec<AlertReceipt>,
    ) -> Result<Incident, ServiceError> {
        self.check(actor, agreement, Permission::Operate, Action::Open)?;
        let (a, c) = self.agreement(agreement)?;
        // A case sees the agreement through its type (its classes, targets and numbering).
        let a = super::view_of(a, case_type)?;
        let now = self.clock.now();
        let service = incident_service(a, service)?;
        // Validate before taking a sequence number.
        classify_on(a, service.as_deref(), &facts, now)?;
        // The year in the id is the agreement's local year (00:30 on 1 January is the new year).
        let year = now.with_timezone(&a.tz).year();
        let new = NewIncident {
            title: title.to_string(),
            description: description.to_string(),
            reporter: actor.id.clone(),
            facts,
            service,
            reported_at: now,
        };
        let build = |seq: u32| -> Result<(Incident, Change), ServiceError> {
            let id = Incident::make_id(&a.incident_prefix, year, seq);
            let (inc, timeline) = Incident::open(a, id, new.clone())?;
            let mut planned = plan_notifications(a, &inc, now);
            planned.extend(plan_milestones(a, &inc, &c.policy, now)?);
            planned.extend(plan_status(a, &inc, now, 1)?);
            let mut jobs: Vec<NewJob> = vec![announce(
                &inc,
                Lifecycle::Opened {
                    actor: actor.id.clone(),
                },
                now,
            )];
            jobs.extend(planned.into_iter().map(|p| to_new_job(Some(inc.id()), p)));
            let change = Change {
                timeline,
                jobs,
                alerts: alerts.clone(),
                ..Change::default()
            };
            Ok((inc, change))
        };
        // Whatever the number, the incident builds alike: a mistake is told before any is
        // taken, and the number is taken in the transaction that stores the incident.
        build(1)?;
        let make = |seq: u32| build(seq).ok();
        Ok(self.store.insert_numbered(&a.incident_prefix, year, &make).await?)
    }

    /// Acknowledges (the response milestone); cancels pending response jobs.
    pub async fn acknowledge(&self, actor: &Actor, id: &str) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Operate, Action::Acknowledge, |_, _, inc, now| {
            let job = announce(
                inc,
                Lifecycle::Acknowledged {
                    actor: actor.id.clone(),
                },
                now,
            );
            let timeline = inc.acknowledge(&actor.id, now)?;
            Ok(Change {
                timeline,
                cancel: cancel(inc, &[Group::Response]),
                jobs: vec![job],
                ..Change::default()
            })
        })
        .await
    }

    /// Marks the incident an outage of its service (full or degraded), or changes the
    /// marking; setting its `start` or `end` (by default the report time and the resolution)
    /// takes a manager. The marking is in the timeline.
    pub async fn mark_outage(
        &self,
        actor: &Actor,
        id: &str,
        kind: OutageKind,
        start: Option<DateTime<Utc>>,
        end: Option<DateTime<Utc>>,
    ) -> Result<Incident, ServiceError> {
        self.mark_outage_answering(actor, id, kind, (start, end), None).await
    }

    /// [`Service::mark_outage`] with the number of the service's sources `answering`, where
    /// its agreement defines degraded by them (SSBTEK 4.9: 3 or more producing authorities
    /// answering = available with disturbance): a degraded marking there needs the number
    /// and is recorded as a full outage with fewer answering.
    pub async fn mark_outage_answering(
        &self,
        actor: &Actor,
        id: &str,
        kind: OutageKind,
        (start, end): (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
        answering: Option<u32>,
    ) -> Result<Incident, ServiceError> {
        let (p, action) = if start.is_some() || end.is_some() {
            (Permission::Manage, Action::EditOutage)
        } else {
            (Permission::Operate, Action::MarkOutage)
        };
        self.mutate(actor, id, p, action, |a, _, inc, now| {
            let kind = match a.service_or_main(inc.service()) {
                Some(sv) => {
                    crate::domain::incident::classify_outage(sv, kind, answering).map_err(UserError::Degraded)?
                }
                None => kind,
            };
            Ok(Change {
                timeline: inc.mark_outage(&actor.id, kind, (start, end), answering, now)?,
                ..Change::default()
            })
        })
        .await
    }

    /// Adds a human status note.
    pub async fn add_update(&self, actor: &Actor, id: &str, note: &str) -> Result<Incident, ServiceError> {
        self.add_status(actor, id, Some(note), &StatusFields::default()).await
    }

    /// Adds a human status update: a note and/or structured fields (impact area, affected,
    /// cause, expected resolution), each field given becoming the latest of its kind;
    /// announced.
    pub async fn add_status(
        &self,
        actor: &Actor,
        id: &str,
        note: Option<&str>,
        fields: &StatusFields,
    ) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Operate, Action::Update, |_, _, inc, now| {
            Self::update_change(actor, inc, note, fields, now)
        })
        .await
    }

    /// The lead changes hands: the actor takes it (`to` none) or hands it to member `to`;
    /// announced in the incident's conversation and on its card (pinging the new lead when
    /// someone else handed it over). Warnings and status reminders ping the lead as it is when
    /// they post, so they follow.
    pub async fn set_lead(&self, actor: &Actor, id: &str, to: Option<&UserId>) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Operate, Action::Lead, |_, _, inc, now| {
            let before = inc.clone();
            let timeline = inc.set_lead(&actor.id, to.map(UserId::as_str), now)?;
            let job = announce(
                &before,
                Lifecycle::LeadChanged {
                    actor: actor.id.clone(),
                    from: before.lead().cloned(),
                    to: inc.lead().cloned().unwrap_or_else(|| actor.id.clone()),
                },
                now,
            );
            Ok(announced(timeline, job))
        })
        .await
    }

    /// Edits the title and/or description (the old values go to the timeline); announced,
    /// and the card shows the new text.
    pub async fn edit(
        &self,
        actor: &Actor,
        id: &str,
        title: Option<&str>,
        description: Option<&str>,
    ) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Operate, Action::Edit, |_, _, inc, now| {
            let before = inc.clone();
            let timeline = inc.edit(&actor.id, title, description, now)?;
            let job = announce(
                &before,
                Lifecycle::Edited {
                    actor: actor.id.clone(),
                    title_before: (before.title() != inc.title()).then(|| before.title().to_string()),
                    description: before.description() != inc.description(),
                },
                now,
            );
            Ok(announced(timeline, job))
        })
        .await
    }

    /// Snoozes an incident's status updates until `until` with a reason (longer than a day:
    /// managers); announced. Deadlines, warnings, escalations and re-pages go on.
    pub async fn snooze(
        &self,
        actor: &Actor,
        id: &str,
        until: DateTime<Utc>,
        reason: &str,
    ) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Operate, Action::Snooze, |_, _, inc, now| {
            let manager = self
                .check(actor, inc.agreement(), Permission::Manage, Action::Snooze)
                .is_ok();
            let job = announce(
                inc,
                Lifecycle::Snoozed {
                    actor: actor.id.clone(),
                    until,
                    reason: reason.trim().to_string(),
                },
                now,
            );
            let timeline = inc.snooze(&actor.id, until, reason, manager, now)?;
            Ok(announced(timeline, job))
        })
        .await
    }

    /// Marks incident `id` a duplicate of incident `of` (which must exist): resolved with a
    /// pointer to it, so its clocks stop; what lapses on a resolution is cancelled, and no
    /// follow-up counted from the resolution is planned (they are the original's).
    /// The original's timeline gets an entry naming the duplicate, written once the
    /// duplicate's change is (both before the answer).
    pub async fn mark_duplicate(&self, actor: &Actor, id: &str, of: &str) -> Result<Incident, ServiceError> {
        let original = self.load(of).await?;
        // Checked before anything is written, so neither side is written alone for want of it.
        self.check(actor, original.agreement(), Permission::Operate, Action::Link)?;
        let duplicate = self.mark_duplicate_of(actor, id, &original).await?;
        self.note_duplicate(actor, original.id(), duplicate.id()).await?;
        Ok(duplicate)
    }

    /// The original's side of a duplicate: the entry on its timeline, retried on a version
    /// conflict (a timeline entry only, so it fits the original in any state).
    async fn note_duplicate(&self, actor: &Actor, of: &IncidentId, duplicate: &IncidentId) -> Result<(), ServiceError> {
        let mut attempt = 0;
        loop {
            let inc = self.load(of.as_str()).await?;
            let change = Change {
                timeline: inc.note_duplicate(&actor.id, duplicate, self.clock.now()),
                ..Change::default()
            };
            match self.store.update_incident(&inc, &change).await {
                Err(StoreError::Conflict(_)) if attempt < MAX_CONFLICT_RETRIES => attempt += 1,
                other => return Ok(other.map(|_| ())?),
            }
        }
    }

    /// The duplicate's side: resolved with a pointer to `original`.
    async fn mark_duplicate_of(&self, actor: &Actor, id: &str, original: &Incident) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Operate, Action::Link, |_, _, inc, now| {
            let job = announce(
                inc,
                Lifecycle::MarkedDuplicate {
                    actor: actor.id.clone(),
                    of: original.id().clone(),
                },
                now,
            );
            let timeline = inc.mark_duplicate(&actor.id, original.id(), now)?;
            Ok(Change {
                timeline,
                cancel: cancel(inc, Group::LAPSE_ON_RESOLVE),
                jobs: vec![job],
                ..Change::default()
            })
        })
        .await
    }

    /// The change a status note makes: its timeline entry and its announcement.
    pub(super) fn update_change(
        actor: &Actor,
        inc: &mut Incident,
        note: Option<&str>,
        fields: &StatusFields,
        now: DateTime<Utc>,
    ) -> Result<Change, ServiceError> {
        let job = announce(
            inc,
            Lifecycle::Updated {
                actor: actor.id.clone(),
                note: note.map(str::trim).unwrap_or_default().to_string(),
                fields: fields.clone(),
            },
            now,
        );
        Ok(Change {
            timeline: inc.add_status(&actor.id, note, fields, now)?,
            jobs: vec![job],
            ..Change::default()
        })
    }

    fn replan(
        a: &Agreement,
        c: &AgreementSettings,
        inc: &Incident,
        now: DateTime<Utc>,
        timeline: Vec<TimelineEntry>,
        notify: bool,
    ) -> Result<Change, ServiceError> {
        // A new priority is announced like a new incident (e.g. raised to Altinn A).
        let mut planned = if notify && inc.state().is_active() {
            plan_notifications(a, inc, now)
        } else {
            vec![]
        };
        planned.extend(plan_milestones(a, inc, &c.policy, now)?);
        planned.extend(plan_status(a, inc, now, inc.status_posted() + 1)?);
        Ok(Change {
            timeline,
            cancel: cancel(inc, Group::REPLACED_BY_REPLAN),
            jobs: planned.into_iter().map(|p| to_new_job(Some(inc.id()), p)).collect(),
            ..Change::default()
        })
    }

    /// The change after the priority of `before` became `inc`'s: a new plan (re-sending the
    /// immediate notifications only for a raise) and its announcement; `reason` is the
    /// manager's, for an override.
    #[allow(clippy::too_many_arguments)]
    fn priority_changed(
        a: &Agreement,
        c: &AgreementSettings,
        before: &Incident,
        inc: &Incident,
        actor: &Actor,
        reason: Option<&str>,
        now: DateTime<Utc>,
        timeline: Vec<TimelineEntry>,
    ) -> Result<Change, ServiceError> {
        let raised = raises(a, before.priority(), inc.priority());
        let mut change = Self::replan(a, c, inc, now, timeline, raised)?;
        change.jobs.push(announce(
            before,
            Lifecycle::PriorityChanged {
                actor: actor.id.clone(),
                from: before.priority().clone(),
                to: inc.priority().clone(),
                manual: reason.is_some(),
                reason: reason.map(str::to_string),
            },
            now,
        ));
        Ok(change)
    }

    /// New facts: the facts named or cleared in `change` replace those in force, the others
    /// stay; reclassifies, and a changed priority recomputes deadlines and replans. Lowering
    /// a security incident or one that missed a target needs a manager and a `reason`.
    pub async fn reclassify(
        &self,
        actor: &Actor,
        id: &str,
        change: &FactsChange,
        reason: Option<&str>,
    ) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Operate, Action::Reclassify, |a, c, inc, now| {
            let generation = inc.plan_generation();
            let before = inc.clone();
            let manager = self
                .check(actor, inc.agreement(), Permission::Manage, Action::Reclassify)
                .is_ok();
            let facts = change.apply(inc.facts());
            let timeline = inc.reclassify(a, &actor.id, facts, manager, reason, now)?;
            if inc.plan_generation() == generation {
                return Ok(Change {
                    timeline,
                    ..Change::default()
                });
            }
            Self::priority_changed(a, c, &before, inc, actor, None, now, timeline)
        })
        .await
    }

    /// A manager sets the priority by hand, with a reason.
    pub async fn override_priority(
        &self,
        actor: &Actor,
        id: &str,
        priority: &str,
        reason: &str,
    ) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Manage, Action::Override, |a, c, inc, now| {
            let was_resolved = inc.state() == State::Resolved;
            let before = inc.clone();
            let timeline = inc.override_priority(a, &actor.id, priority, reason, now)?;
            let mut change = Self::priority_changed(a, c, &before, inc, actor, Some(reason.trim()), now, timeline)?;
            // A resolved incident's follow-ups counted from resolution follow the new priority.
            if let (true, Some(resolved_at)) = (was_resolved, inc.resolved_at()) {
                if let Some(cancel) = &mut change.cancel {
                    cancel.groups.push(Group::AfterResolved);
                }
                let after = plan_after_resolved(a, inc, resolved_at)?;
                change
                    .jobs
                    .extend(after.into_iter().map(|p| to_new_job(Some(inc.id()), p)));
            }
            Ok(change)
        })
        .await
    }

    /// Waives follow-up `follow_up` of an incident with a reason (managers): it is not
    /// posted, and the weekly report shows it as waived. Allowed after a close, since owed
    /// follow-ups survive one.
    pub async fn waive_follow_up(
        &self,
        actor: &Actor,
        id: &str,
        follow_up: &str,
        reason: &str,
    ) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Manage, Action::Waive, |a, _, inc, now| {
            let timeline = inc.waive_follow_up(a, &actor.id, follow_up, reason, now)?;
            Ok(Change {
                timeline,
                ..Change::default()
            })
        })
        .await
    }

    /// Marks follow-up `follow_up` of an incident done (responders), with who and when in the
    /// timeline: it is not announced again, and the reports count it done on time or late.
    pub async fn complete_follow_up(&self, actor: &Actor, id: &str, follow_up: &str) -> Result<Incident, ServiceError> {
        self.mutate(
            actor,
            id,
            Permission::Operate,
            Action::CompleteFollowUp,
            |a, _, inc, now| {
                let timeline = inc.complete_follow_up(a, &actor.id, follow_up, now)?;
                Ok(Change {
                    timeline,
                    ..Change::default()
                })
            },
        )
        .await
    }

    /// Escalates by hand to the next ladder level.
    pub async fn escalate(&self, actor: &Actor, id: &str, reason: &str) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Operate, Action::Escalate, |a, _, inc, now| {
            let timeline = inc.escalate(a, &actor.id, reason, now)?;
            let level = inc.escalation_level().max(1);
            let job = jobs::notify::manual_escalation(inc, level, reason, now).map(JobSpec::from);
            Ok(Change {
                timeline,
                jobs: vec![to_new_job(Some(inc.id()), job)],
                ..Change::default()
            })
        })
        .await
    }

    /// Resolves (fix or workaround); cancels response, resolution and status jobs and plans the
    /// follow-ups counted from resolution.
    pub async fn resolve(
        &self,
        actor: &Actor,
        id: &str,
        how: Resolution,
        note: Option<String>,
    ) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Operate, Action::Resolve, |a, _, inc, now| {
            Self::resolve_change(a, actor, inc, how, note.clone(), now)
        })
        .await
    }

    /// The change a resolution makes: its timeline, the follow-ups counted from it, its
    /// announcement, and the cancelled jobs that lapse with it.
    pub(super) fn resolve_change(
        a: &Agreement,
        actor: &Actor,
        inc: &mut Incident,
        how: Resolution,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Change, ServiceError> {
        let job = announce(
            inc,
            Lifecycle::Resolved {
                actor: actor.id.clone(),
                how,
                note: note.as_ref().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
            },
            now,
        );
        let timeline = inc.resolve(&actor.id, how, note, now)?;
        let mut jobs: Vec<NewJob> = plan_after_resolved(a, inc, now)?
            .into_iter()
            .map(|p| to_new_job(Some(inc.id()), p))
            .collect();
        jobs.push(job);
        Ok(Change {
            timeline,
            cancel: cancel(inc, Group::LAPSE_ON_RESOLVE),
            jobs,
            ..Change::default()
        })
    }

    /// Reopens a resolved incident; its clocks keep their original start.
    pub async fn reopen(&self, actor: &Actor, id: &str, reason: &str) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Operate, Action::Reopen, |a, c, inc, now| {
            let job = announce(
                inc,
                Lifecycle::Reopened {
                    actor: actor.id.clone(),
                    reason: reason.trim().to_string(),
                },
                now,
            );
            let timeline = inc.reopen(a, &actor.id, reason, now)?;
            let mut change = Self::replan(a, c, inc, now, timeline, false)?;
            if let Some(cancel) = &mut change.cancel {
                cancel.groups.push(Group::AfterResolved);
            }
            change.jobs.push(job);
            Ok(change)
        })
        .await
    }

    /// Adopts changed agreement files: every active incident whose agreement's targets,
    /// ladder or cadence changed since its plan was made ([`Fate::Replan`]) is replanned from
    /// its original clock start, with a timeline entry and one announcement. A fingerprint
    /// written by an earlier version that still matches ([`Fate::Refingerprint`]) is stored
    /// anew, silently: no timeline entry, no job, no post. Run at start; returns how many
    /// were replanned.
    ///
    /// The store compares fingerprints in its query ([`IncidentFilter::planned_otherwise`]):
    /// only incidents planned otherwise than the agreements loaded now would plan them are
    /// read, so a start where nothing changed reads none.
    pub async fn adopt_changed_agreements(&self) -> Result<usize, ServiceError> {
        // A page at a time: memory stays bounded however many incidents are active.
        const BATCH: u32 = 500;
        let keys = self.plan_keys();
        if keys.is_empty() {
            return Ok(0);
        }
        let mut filter = IncidentFilter {
            states: vec![State::Open, State::Acknowledged],
            limit: BATCH,
            planned_otherwise: Some(keys),
            ..Default::default()
        };
        let mut changed = 0;
        loop {
            let page = self.store.incidents(&filter).await?;
            let last = page.len() < BATCH as usize;
            let (replanned, stored) = self.adopt_page(page).await?;
            changed += replanned;
            if last {
                return Ok(changed);
            }
            // What was stored anew left the selection; the next page starts after the rest.
            filter.offset += BATCH - stored;
        }
    }

    /// The plan of every agreement, case type and priority loaded now (what
    /// [`fate`] compares an incident's fingerprint with).
    fn plan_keys(&self) -> Vec<PlanKey> {
        let mut keys = Vec::new();
        for id in self.settings.agreements.keys() {
            let Some(a) = self.catalog.get(id) else { continue };
            for case_type in a.case_type_ids() {
                let Some(view) = Agreement::view_for(a, case_type) else {
                    continue;
                };
                for p in &view.priorities {
                    if let PlanBasis::Canonical(basis) = PlanBasis::of(view, &p.id) {
                        keys.push(PlanKey {
                            agreement: AgreementId::new(&a.id),
                            case_type: case_type.to_string(),
                            priority: p.id.clone(),
                            basis,
                        });
                    }
                }
            }
        }
        keys
    }

    /// [`adopt_changed_agreements`](Self::adopt_changed_agreements) for one page of incidents;
    /// returns how many were replanned, and how many were stored anew (replanned or
    /// re-fingerprinted).
    async fn adopt_page(&self, page: Vec<Incident>) -> Result<(usize, u32), ServiceError> {
        let (mut changed, mut stored) = (0, 0);
        for inc in page {
            let Ok((a, c)) = self.agreement_of(&inc) else {
                continue;
            };
            let mut inc = inc;
            match fate(&inc, Some(a)) {
                Fate::Replan => {}
                Fate::Refingerprint => {
                    inc.refingerprint(a);
                    match self.store.update_incident(&inc, &Change::default()).await {
                        Ok(_) => stored += 1,
                        // Someone changed it meanwhile: the next start looks again.
                        Err(StoreError::Conflict(_)) => {}
                        Err(e) => return Err(e.into()),
                    }
                    continue;
                }
                Fate::Unchanged | Fate::AgreementGone | Fate::PriorityGone => continue,
            }
            let now = self.clock.now();
            let job_key_inc = inc.clone();
            let (response_before, resolution_before, timeline) = match inc.adopt_changed_agreement(a, now) {
                Ok(x) => x,
                Err(e) => {
                    tracing::error!(incident = %inc.id(), error = %e, "cannot replan after the agreement changed");
                    continue;
                }
            };
            let mut change = Self::replan(a, c, &inc, now, timeline, false)?;
            change.jobs.push(announce(
                &job_key_inc,
                Lifecycle::AgreementChanged {
                    response_before,
                    resolution_before,
                },
                now,
            ));
            match self.store.update_incident(&inc, &change).await {
                Ok(_) => {
                    changed += 1;
                    stored += 1;
                }
                // Someone changed it meanwhile: the next start looks again.
                Err(StoreError::Conflict(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok((changed, stored))
    }

    /// Closes a resolved incident (managers); cancels everything still pending. An incident
    /// whose agreement was removed can be closed (by a manager of any agreement) whatever its
    /// state, so it does not stay open for ever.
    pub async fn close(&self, actor: &Actor, id: &str) -> Result<Incident, ServiceError> {
        let inc = self.load(id).await?;
        if self.catalog.for_incident(&inc).is_none() {
            self.check_removed(actor, Action::Close)?;
            let mut inc = inc;
            let now = self.clock.now();
            let mut timeline = Vec::new();
            if inc.state().is_active() {
                timeline.extend(inc.resolve(&actor.id, Resolution::Fix, None, now)?);
            }
            timeline.extend(inc.close(&actor.id, now)?);
            let change = Change {
                timeline,
                cancel: cancel(&inc, &[]),
                ..Change::default()
            };
            return Ok(self.store.update_incident(&inc, &change).await?);
        }
        self.mutate(actor, id, Permission::Manage, Action::Close, |_, _, inc, now| {
            let job = announce(
                inc,
                Lifecycle::Closed {
                    actor: actor.id.clone(),
                },
                now,
            );
            let timeline = inc.close(&actor.id, now)?;
            Ok(Change {
                timeline,
                // Everything still planned, but announcements not yet posted.
                cancel: cancel(inc, Group::CLOSE),
                jobs: vec![job],
                ..Change::default()
            })
        })
        .await
    }
}

/// The change of a use case that records `timeline` and announces it with `job`, nothing else.
fn announced(timeline: Vec<TimelineEntry>, job: NewJob) -> Change {
    Change {
        timeline,
        jobs: vec![job],
        ..Change::default()
    }
}
