//! Use cases over ports: opening and working incidents, permissions as policy, previews, and
//! running the scheduler's jobs. Depends on the domain and its own ports only; adapters
//! (console, Discord) call it and render its results.
//!
//! Every accepted change is committed to the store (incident, timeline and job plan in one
//! transaction) before the caller gets its answer. Chat posts that must not be lost are jobs:
//! they are planned in that transaction and sent by the scheduler.

pub mod ports;

use crate::agreements::Catalog;
use crate::config::{AgreementConfig, Config};
use crate::domain::agreement::Agreement;
use crate::domain::classify::{Classified, ClassifyError, Deadlines, Facts, classify, deadlines};
use crate::domain::incident::{Incident, IncidentError, Milestone, NewIncident, Resolution, State, TimelineEntry};
use crate::domain::plan::{
    self, JobSpec, PlanError, Planned, group, plan_after_resolved, plan_milestones, plan_notifications, plan_status,
};
use chrono::{DateTime, Datelike, Utc};
use ports::{
    CancelJobs, Change, Channel, ChannelKind, Chat, ChatError, Clock, FinishJob, IncidentFilter, Job, JobFinish,
    Mention, NewJob, OutMessage, Store, StoreError,
};
use std::sync::Arc;

/// Who is acting, with their chat roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Stable user id.
    pub id: String,
    /// Chat roles.
    pub roles: Vec<String>,
}

/// What a use case needs permission for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Open and work incidents (responders and managers).
    Operate,
    /// Override priorities and close incidents (managers).
    Manage,
}

/// Why a use case failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The actor lacks a role.
    #[error("you may not {action}: it needs one of the roles {roles}")]
    Forbidden {
        /// What was attempted.
        action: &'static str,
        /// Roles that would allow it.
        roles: String,
    },
    /// No such agreement.
    #[error("unknown agreement \"{0}\"")]
    UnknownAgreement(String),
    /// No such incident.
    #[error("no incident {0}")]
    NotFound(String),
    /// The incident refused the change.
    #[error(transparent)]
    Incident(#[from] IncidentError),
    /// Classification failed.
    #[error(transparent)]
    Classify(#[from] ClassifyError),
    /// Planning failed.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The chat failed.
    #[error(transparent)]
    Chat(#[from] ChatError),
}

/// An incident with what an adapter needs to show it.
#[derive(Debug, Clone)]
pub struct IncidentView {
    /// The incident.
    pub incident: Incident,
    /// Business seconds left to the response deadline (negative: overdue; −1 when it passed
    /// while the schedule was closed), if any and unmet.
    pub response_left: Option<i64>,
    /// Business seconds left to the resolution deadline, if any and unmet.
    pub resolution_left: Option<i64>,
}

impl IncidentView {
    /// Whether an unmet deadline has passed.
    pub fn breaching(&self) -> bool {
        self.response_left.is_some_and(|s| s < 0) || self.resolution_left.is_some_and(|s| s < 0)
    }
}

/// What `list` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListScope {
    /// Open and acknowledged.
    #[default]
    Active,
    /// Active with an unmet deadline passed.
    Breaching,
    /// All.
    All,
}

/// The application's use cases.
pub struct Service {
    store: Arc<dyn Store>,
    chat: Arc<dyn Chat>,
    clock: Arc<dyn Clock>,
    catalog: Arc<Catalog>,
    config: Arc<Config>,
}

const MAX_CONFLICT_RETRIES: usize = 3;

fn to_new_job(inc: Option<&str>, p: Planned) -> NewJob {
    NewJob {
        key: p.key,
        kind: p.spec.kind().to_string(),
        incident: inc.map(str::to_string),
        group: p.group.to_string(),
        due_at: p.due_at,
        payload: serde_json::to_value(&p.spec).unwrap_or_default(),
    }
}

/// Cancels the incident's pending jobs in `groups` (all pending jobs when empty).
fn cancel(inc: &Incident, groups: &[&str]) -> Option<CancelJobs> {
    Some(CancelJobs {
        incident: inc.id.clone(),
        groups: groups.iter().map(|g| g.to_string()).collect(),
    })
}

fn fmt_left(secs: i64) -> String {
    let a = secs.abs();
    let s = if a >= 3600 {
        format!("{}h {:02}m", a / 3600, (a % 3600) / 60)
    } else {
        format!("{}m", a / 60)
    };
    if secs < 0 {
        format!("overdue by {s}")
    } else {
        format!("{s} left")
    }
}

impl Service {
    /// Wires the service.
    pub fn new(
        store: Arc<dyn Store>,
        chat: Arc<dyn Chat>,
        clock: Arc<dyn Clock>,
        catalog: Arc<Catalog>,
        config: Arc<Config>,
    ) -> Self {
        Service {
            store,
            chat,
            clock,
            catalog,
            config,
        }
    }

    /// The loaded agreements.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn agreement(&self, id: &str) -> Result<(&Arc<Agreement>, &AgreementConfig), ServiceError> {
        let a = self
            .catalog
            .get(id)
            .ok_or_else(|| ServiceError::UnknownAgreement(id.to_string()))?;
        let c = self
            .config
            .agreements
            .get(id)
            .ok_or_else(|| ServiceError::UnknownAgreement(id.to_string()))?;
        Ok((a, c))
    }

    /// Permission policy: responders and managers operate; managers manage.
    pub fn check(
        &self,
        actor: &Actor,
        agreement: &str,
        p: Permission,
        action: &'static str,
    ) -> Result<(), ServiceError> {
        let (_, c) = self.agreement(agreement)?;
        let has = |roles: &[String]| actor.roles.iter().any(|r| roles.contains(r));
        let ok = match p {
            Permission::Operate => has(&c.responders) || has(&c.managers),
            Permission::Manage => has(&c.managers),
        };
        if ok {
            return Ok(());
        }
        let roles = match p {
            Permission::Operate => [c.responders.clone(), c.managers.clone()].concat(),
            Permission::Manage => c.managers.clone(),
        };
        Err(ServiceError::Forbidden {
            action,
            roles: roles.join(", "),
        })
    }

    fn channel(&self, agreement: &str, kind: ChannelKind) -> Channel {
        Channel {
            agreement: agreement.to_string(),
            kind,
        }
    }

    fn responders(&self, agreement: &str) -> Vec<Mention> {
        self.config.agreements.get(agreement).map_or(vec![], |c| {
            c.responders.iter().map(|r| Mention::Role(r.clone())).collect()
        })
    }

    /// Classifies without opening.
    pub fn preview(
        &self,
        agreement: &str,
        facts: &Facts,
        at: DateTime<Utc>,
    ) -> Result<(Classified, Deadlines), ServiceError> {
        let (a, _) = self.agreement(agreement)?;
        let c = classify(a, facts, at)?;
        let d = deadlines(a, &c.priority, at)?;
        Ok((c, d))
    }

    /// Opens an incident: classifies, stores it with its timeline and job plan, and returns it.
    pub async fn open(
        &self,
        actor: &Actor,
        agreement: &str,
        title: &str,
        description: &str,
        facts: Facts,
    ) -> Result<Incident, ServiceError> {
        self.check(actor, agreement, Permission::Operate, "open incidents")?;
        let (a, c) = self.agreement(agreement)?;
        let now = self.clock.now();
        // Validate before taking a sequence number.
        classify(a, &facts, now)?;
        // The year in the id is the agreement's local year (00:30 on 1 January is the new year).
        let year = now.with_timezone(&a.tz).year();
        let seq = self.store.next_sequence(&a.incident_prefix, year).await?;
        let id = Incident::make_id(&a.incident_prefix, year, seq);
        let new = NewIncident {
            title: title.to_string(),
            description: description.to_string(),
            reporter: actor.id.clone(),
            facts,
            reported_at: now,
        };
        let (inc, timeline) = Incident::open(a, id, new)?;
        let mut planned = plan_notifications(a, &inc, now);
        planned.extend(plan_milestones(a, &inc, &c.policy, now)?);
        planned.extend(plan_status(a, &inc, now, 1)?);
        let change = Change {
            timeline,
            jobs: planned.into_iter().map(|p| to_new_job(Some(&inc.id), p)).collect(),
            ..Change::default()
        };
        Ok(self.store.insert_incident(&inc, &change).await?)
    }

    async fn load(&self, id: &str) -> Result<Incident, ServiceError> {
        self.store
            .incident(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(id.to_string()))
    }

    /// Loads, checks, applies `f`, and commits; retries on a concurrent change.
    async fn mutate<F>(
        &self,
        actor: &Actor,
        id: &str,
        p: Permission,
        action: &'static str,
        f: F,
    ) -> Result<Incident, ServiceError>
    where
        F: Fn(&Agreement, &AgreementConfig, &mut Incident, DateTime<Utc>) -> Result<Change, ServiceError>,
    {
        let mut attempt = 0;
        loop {
            let mut inc = self.load(id).await?;
            self.check(actor, &inc.agreement, p, action)?;
            let (a, c) = self.agreement(&inc.agreement.clone())?;
            let now = self.clock.now();
            let change = f(a, c, &mut inc, now)?;
            match self.store.update_incident(&inc, &change).await {
                Err(StoreError::Conflict(_)) if attempt < MAX_CONFLICT_RETRIES => attempt += 1,
                other => return Ok(other?),
            }
        }
    }

    /// Acknowledges (the response milestone); cancels pending response jobs.
    pub async fn acknowledge(&self, actor: &Actor, id: &str) -> Result<Incident, ServiceError> {
        self.mutate(
            actor,
            id,
            Permission::Operate,
            "acknowledge incidents",
            |_, _, inc, now| {
                let timeline = inc.acknowledge(&actor.id, now)?;
                Ok(Change {
                    timeline,
                    cancel: cancel(inc, &[group::RESPONSE]),
                    ..Change::default()
                })
            },
        )
        .await
    }

    /// Adds a human status note.
    pub async fn add_update(&self, actor: &Actor, id: &str, note: &str) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Operate, "update incidents", |_, _, inc, now| {
            Ok(Change {
                timeline: inc.add_update(&actor.id, note, now)?,
                ..Change::default()
            })
        })
        .await
    }

    fn replan(
        a: &Agreement,
        c: &AgreementConfig,
        inc: &Incident,
        now: DateTime<Utc>,
        timeline: Vec<TimelineEntry>,
        notify: bool,
    ) -> Result<Change, ServiceError> {
        // A new priority is announced like a new incident (e.g. raised to Altinn A).
        let mut planned = if notify && inc.state.is_active() {
            plan_notifications(a, inc, now)
        } else {
            vec![]
        };
        planned.extend(plan_milestones(a, inc, &c.policy, now)?);
        planned.extend(plan_status(a, inc, now, inc.status_posted + 1)?);
        Ok(Change {
            timeline,
            cancel: cancel(inc, group::REPLACED_BY_REPLAN),
            jobs: planned.into_iter().map(|p| to_new_job(Some(&inc.id), p)).collect(),
            finish: None,
            chat_refs: Vec::new(),
        })
    }

    /// New facts: reclassifies; a changed priority recomputes deadlines and replans.
    pub async fn reclassify(&self, actor: &Actor, id: &str, facts: Facts) -> Result<Incident, ServiceError> {
        self.mutate(
            actor,
            id,
            Permission::Operate,
            "reclassify incidents",
            |a, c, inc, now| {
                let generation = inc.plan_generation;
                let timeline = inc.reclassify(a, &actor.id, facts.clone(), now)?;
                if inc.plan_generation == generation {
                    return Ok(Change {
                        timeline,
                        ..Change::default()
                    });
                }
                Self::replan(a, c, inc, now, timeline, true)
            },
        )
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
        self.mutate(
            actor,
            id,
            Permission::Manage,
            "override priorities",
            |a, c, inc, now| {
                let was_resolved = inc.state == State::Resolved;
                let timeline = inc.override_priority(a, &actor.id, priority, reason, now)?;
                let mut change = Self::replan(a, c, inc, now, timeline, true)?;
                // A resolved incident's follow-ups counted from resolution follow the new priority.
                if let (true, Some(resolved_at)) = (was_resolved, inc.resolved_at) {
                    if let Some(cancel) = &mut change.cancel {
                        cancel.groups.push(group::AFTER_RESOLVED.into());
                    }
                    let after = plan_after_resolved(a, inc, resolved_at)?;
                    change
                        .jobs
                        .extend(after.into_iter().map(|p| to_new_job(Some(&inc.id), p)));
                }
                Ok(change)
            },
        )
        .await
    }

    /// Escalates by hand to the next ladder level.
    pub async fn escalate(&self, actor: &Actor, id: &str, reason: &str) -> Result<Incident, ServiceError> {
        self.mutate(
            actor,
            id,
            Permission::Operate,
            "escalate incidents",
            |a, _, inc, now| {
                let timeline = inc.escalate(a, &actor.id, reason, now)?;
                let level = inc.escalation_level().max(1);
                let role = a
                    .escalation
                    .levels
                    .get(level as usize - 1)
                    .map_or(String::new(), |l| l.role.clone());
                let spec = JobSpec::Notify {
                    what: format!("escalated by hand to level {level} ({role}): {}", reason.trim()),
                    whole_ladder: false,
                    level: Some(level),
                };
                let job = Planned {
                    // The version makes two escalations at the same instant distinct.
                    key: format!(
                        "{}/manual-escalation/{}/v{}",
                        inc.id,
                        now.timestamp_micros(),
                        inc.version
                    ),
                    group: group::NOTIFY,
                    due_at: now,
                    spec,
                };
                Ok(Change {
                    timeline,
                    jobs: vec![to_new_job(Some(&inc.id), job)],
                    ..Change::default()
                })
            },
        )
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
        self.mutate(actor, id, Permission::Operate, "resolve incidents", |a, _, inc, now| {
            let timeline = inc.resolve(&actor.id, how, note.clone(), now)?;
            let jobs = plan_after_resolved(a, inc, now)?
                .into_iter()
                .map(|p| to_new_job(Some(&inc.id), p))
                .collect();
            Ok(Change {
                timeline,
                cancel: cancel(inc, group::LAPSE_ON_RESOLVE),
                jobs,
                finish: None,
                chat_refs: Vec::new(),
            })
        })
        .await
    }

    /// Reopens a resolved incident; its clocks keep their original start.
    pub async fn reopen(&self, actor: &Actor, id: &str, reason: &str) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Operate, "reopen incidents", |a, c, inc, now| {
            let timeline = inc.reopen(&actor.id, reason, now)?;
            let mut change = Self::replan(a, c, inc, now, timeline, false)?;
            if let Some(cancel) = &mut change.cancel {
                cancel.groups.push(group::AFTER_RESOLVED.into());
            }
            Ok(change)
        })
        .await
    }

    /// Closes a resolved incident (managers); cancels everything still pending.
    pub async fn close(&self, actor: &Actor, id: &str) -> Result<Incident, ServiceError> {
        self.mutate(actor, id, Permission::Manage, "close incidents", |_, _, inc, now| {
            let timeline = inc.close(&actor.id, now)?;
            Ok(Change {
                timeline,
                // No groups: everything still pending.
                cancel: cancel(inc, &[]),
                ..Change::default()
            })
        })
        .await
    }

    /// One incident with time left to its deadlines.
    pub async fn show(&self, id: &str) -> Result<IncidentView, ServiceError> {
        let inc = self.load(id).await?;
        self.view(inc)
    }

    fn view(&self, inc: Incident) -> Result<IncidentView, ServiceError> {
        let (a, _) = self.agreement(&inc.agreement)?;
        let now = self.clock.now();
        let d = deadlines(a, inc.priority(), inc.reported_at)?;
        let left =
            |m: Milestone, dl: &Option<crate::domain::classify::Deadline>| -> Result<Option<i64>, ServiceError> {
                match dl {
                    Some(dl) if !inc.met(m) => {
                        let s = a
                            .schedule(&dl.schedule)
                            .ok_or_else(|| PlanError::UnknownSchedule(dl.schedule.clone()))?;
                        let left = s.between(now, dl.at).map_err(PlanError::from)?;
                        // Past the deadline while the schedule is closed no business time
                        // has run over it yet, but the deadline has passed: overdue.
                        Ok(Some(if left == 0 && now > dl.at { -1 } else { left }))
                    }
                    _ => Ok(None),
                }
            };
        let response_left = left(Milestone::Response, &d.response)?;
        let resolution_left = left(Milestone::Resolution, &d.resolution)?;
        Ok(IncidentView {
            incident: inc,
            response_left,
            resolution_left,
        })
    }

    /// Incidents of one agreement (or all), by scope, newest first.
    pub async fn list(&self, agreement: Option<&str>, scope: ListScope) -> Result<Vec<IncidentView>, ServiceError> {
        if let Some(a) = agreement {
            self.agreement(a)?;
        }
        let states = match scope {
            ListScope::All => vec![],
            _ => vec![State::Open, State::Acknowledged],
        };
        let filter = IncidentFilter {
            agreement: agreement.map(str::to_string),
            states,
            limit: 0,
        };
        let mut out = Vec::new();
        for inc in self.store.incidents(&filter).await? {
            let v = self.view(inc)?;
            if scope != ListScope::Breaching || v.breaching() {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// The timeline of an incident.
    pub async fn timeline(&self, id: &str) -> Result<Vec<TimelineEntry>, ServiceError> {
        self.load(id).await?;
        Ok(self.store.timeline(id).await?)
    }

    /// Schedules the next run of each configured recurring job after `now` (idempotent).
    pub async fn schedule_recurring(&self) -> Result<(), ServiceError> {
        let now = self.clock.now();
        let mut jobs = Vec::new();
        for (id, c) in &self.config.agreements {
            let Some(a) = self.catalog.get(id) else { continue };
            for r in &c.recurring {
                if let Some(at) = r.cron.next_after(a.tz, now) {
                    jobs.push(recurring_job(id, &r.name, at));
                }
            }
        }
        Ok(self.store.schedule(&jobs).await?)
    }

    /// Runs one claimed job at `now` on behalf of lease `owner`: posts what it must, records
    /// it on the incident's timeline, plans what follows, and finishes the job — the timeline,
    /// follow-on jobs and the job's outcome in one transaction. A job whose purpose lapsed
    /// (milestone met, incident resolved) finishes as skipped without posting.
    pub async fn run_job(&self, job: &Job, owner: &str, now: DateTime<Utc>) -> Result<String, ServiceError> {
        let late = now - job.planned_at > chrono::Duration::seconds(120);
        let spec: JobSpec = serde_json::from_value(job.payload.clone())
            .map_err(|e| StoreError::Corrupt(format!("job {} payload: {e}", job.id)))?;
        let nonce = Some(job.id.to_string());
        let late_note = |tz: chrono_tz::Tz| {
            if late {
                format!(
                    " (late: was due {})",
                    job.planned_at.with_timezone(&tz).format("%Y-%m-%d %H:%M")
                )
            } else {
                String::new()
            }
        };
        let Some(incident_id) = job.incident.clone() else {
            // Recurring jobs.
            let JobSpec::Recurring { name } = &spec else {
                return self.finish_plain(job, owner, now, late, "skipped: no incident").await;
            };
            let (agreement, _) = job
                .key
                .trim_start_matches("recurring/")
                .split_once('/')
                .unwrap_or(("", ""));
            let (a, c) = self.agreement(agreement)?;
            let Some(r) = c.recurring.iter().find(|r| &r.name == name) else {
                return self
                    .finish_plain(job, owner, now, late, "skipped: no longer configured")
                    .await;
            };
            self.chat
                .post(&OutMessage {
                    channel: self.channel(agreement, ChannelKind::Summary),
                    text: format!("🗓 {}{}", r.what, late_note(a.tz)),
                    mentions: vec![],
                    nonce,
                })
                .await?;
            // The next run is after now, so a job missed many times runs once.
            if let Some(next) = r.cron.next_after(a.tz, now.max(job.planned_at)) {
                self.store.schedule(&[recurring_job(agreement, name, next)]).await?;
            }
            return self.finish_plain(job, owner, now, late, "posted").await;
        };

        let mut attempt = 0;
        loop {
            let mut inc = self.load(&incident_id).await?;
            let (a, c) = self.agreement(&inc.agreement.clone())?;
            let tz = a.tz;
            let mut timeline = Vec::new();
            let mut jobs = Vec::new();
            let mut message: Option<OutMessage> = None;
            let outcome: String;
            match &spec {
                JobSpec::Warning {
                    milestone,
                    percent,
                    deadline,
                } => {
                    if inc.met(*milestone) || inc.due(*milestone) != Some(*deadline) {
                        outcome = "skipped: milestone met or plan changed".into();
                    } else {
                        let left = self.view(inc.clone())?;
                        let secs = match milestone {
                            Milestone::Response => left.response_left,
                            Milestone::Resolution => left.resolution_left,
                        };
                        message = Some(OutMessage {
                            channel: self.channel(&inc.agreement, ChannelKind::Incidents),
                            text: format!(
                                "⚠ {} [{}] {}: {percent} % of the {} time used — due {} ({}){}",
                                inc.id,
                                inc.priority(),
                                inc.title,
                                milestone.as_str(),
                                deadline.with_timezone(&tz).format("%a %Y-%m-%d %H:%M"),
                                secs.map_or(String::new(), fmt_left),
                                late_note(tz)
                            ),
                            mentions: self.responders(&inc.agreement),
                            nonce: nonce.clone(),
                        });
                        timeline.push(TimelineEntry {
                            at: now,
                            actor: "vakt".into(),
                            event: crate::domain::incident::Event::WarningSent {
                                milestone: *milestone,
                                percent: *percent,
                            },
                        });
                        outcome = format!("warned at {percent} %");
                    }
                }
                JobSpec::Escalation { milestone, level, role } => {
                    if inc.met(*milestone) || inc.escalated[*milestone as usize] >= *level {
                        outcome = "skipped: milestone met or level reached".into();
                    } else {
                        let who = c
                            .roles
                            .get(role)
                            .cloned()
                            .unwrap_or_else(|| Mention::Role(role.clone()));
                        let name = a
                            .escalation
                            .levels
                            .get(*level as usize - 1)
                            .map_or(role.clone(), |l| l.name.clone());
                        message = Some(OutMessage {
                            channel: self.channel(&inc.agreement, ChannelKind::Incidents),
                            text: format!(
                                "⛔ {} [{}] {}: the {} target was breached at {} — escalated to level {level}: {name} (clause {}){}",
                                inc.id,
                                inc.priority(),
                                inc.title,
                                milestone.as_str(),
                                inc.due(*milestone).map_or(String::new(), |d| d
                                    .with_timezone(&tz)
                                    .format("%a %Y-%m-%d %H:%M")
                                    .to_string()),
                                a.escalation.prov.source,
                                late_note(tz)
                            ),
                            mentions: vec![who],
                            nonce: nonce.clone(),
                        });
                        inc.escalated[*milestone as usize] = *level;
                        timeline.push(TimelineEntry {
                            at: now,
                            actor: "vakt".into(),
                            event: crate::domain::incident::Event::Escalated {
                                milestone: Some(*milestone),
                                level: *level,
                                role: role.clone(),
                                manual: false,
                                reason: None,
                            },
                        });
                        outcome = format!("escalated to level {level}");
                    }
                }
                JobSpec::StatusUpdate { seq } => {
                    if !inc.state.is_active() {
                        outcome = "skipped: not active".into();
                    } else {
                        let v = self.view(inc.clone())?;
                        let since = inc.last_status_at.unwrap_or(inc.reported_at);
                        let remind = inc.last_note_at.is_none_or(|t| t < since);
                        let mut text = format!(
                            "📣 Status {} [{}] {} — {}{}\n",
                            inc.id,
                            inc.priority(),
                            inc.title,
                            inc.state,
                            late_note(tz)
                        );
                        for (label, left, due) in [
                            ("response", v.response_left, inc.response_due),
                            ("resolution", v.resolution_left, inc.resolution_due),
                        ] {
                            if let (Some(l), Some(d)) = (left, due) {
                                text += &format!(
                                    "{label}: due {} ({})\n",
                                    d.with_timezone(&tz).format("%a %Y-%m-%d %H:%M"),
                                    fmt_left(l)
                                );
                            }
                        }
                        text += &format!(
                            "latest note: {}",
                            inc.last_note.clone().unwrap_or_else(|| "none yet".into())
                        );
                        let mut mentions = vec![];
                        if remind {
                            let lead = inc.lead.clone();
                            text += &format!(
                                "\nreminder: no human update since {} — {}, please post one",
                                since.with_timezone(&tz).format("%H:%M"),
                                lead.as_deref().map_or("responders".to_string(), |l| format!("@{l}"))
                            );
                            mentions = match lead {
                                Some(l) => vec![Mention::User(l)],
                                None => self.responders(&inc.agreement),
                            };
                        }
                        message = Some(OutMessage {
                            channel: self.channel(&inc.agreement, ChannelKind::Status),
                            text,
                            mentions,
                            nonce: nonce.clone(),
                        });
                        inc.status_posted = inc.status_posted.max(*seq);
                        inc.last_status_at = Some(now);
                        timeline.push(TimelineEntry {
                            at: now,
                            actor: "vakt".into(),
                            event: crate::domain::incident::Event::StatusPosted {
                                seq: *seq,
                                reminded_lead: remind,
                            },
                        });
                        let from = if late { now } else { job.planned_at };
                        jobs.extend(plan_status(a, &inc, from, seq + 1)?.map(|p| to_new_job(Some(&inc.id), p)));
                        outcome = format!("status update {seq} posted");
                    }
                }
                JobSpec::FollowUp { id, what } => {
                    let lapsed = job.group == group::WHILE_OPEN && !inc.state.is_active();
                    // A follow-up counted from opening falls at the same instant in every plan
                    // generation: after a replan (priority change, reopen) it is not posted again.
                    let repeated = (job.group == group::WHILE_OPEN || job.group == group::FROM_OPEN)
                        && inc.opened_follow_ups_posted.contains(id);
                    if lapsed {
                        outcome = "skipped: resolved in time".into();
                    } else if repeated {
                        outcome = format!("skipped: follow-up {id} already posted");
                    } else {
                        message = Some(OutMessage {
                            channel: self.channel(&inc.agreement, ChannelKind::Incidents),
                            text: format!(
                                "📌 {} [{}] {}: due now — {what}{}",
                                inc.id,
                                inc.priority(),
                                inc.title,
                                late_note(tz)
                            ),
                            mentions: inc
                                .lead
                                .clone()
                                .map_or_else(|| self.responders(&inc.agreement), |l| vec![Mention::User(l)]),
                            nonce: nonce.clone(),
                        });
                        if job.group != group::AFTER_RESOLVED {
                            inc.opened_follow_ups_posted.push(id.clone());
                        }
                        timeline.push(TimelineEntry {
                            at: now,
                            actor: "vakt".into(),
                            event: crate::domain::incident::Event::FollowUpDue {
                                id: id.clone(),
                                what: what.clone(),
                            },
                        });
                        outcome = format!("follow-up {id} posted");
                    }
                }
                JobSpec::Notify {
                    what,
                    whole_ladder,
                    level,
                } => {
                    let (skip, levels) = match level {
                        Some(l) => ((*l as usize).saturating_sub(1), 1),
                        None if *whole_ladder => (0, a.escalation.levels.len()),
                        None => (0, 1),
                    };
                    let mentions = a
                        .escalation
                        .levels
                        .iter()
                        .skip(skip)
                        .take(levels)
                        .map(|l| {
                            c.roles
                                .get(&l.role)
                                .cloned()
                                .unwrap_or_else(|| Mention::Role(l.role.clone()))
                        })
                        .collect();
                    message = Some(OutMessage {
                        channel: self.channel(&inc.agreement, ChannelKind::Incidents),
                        text: format!(
                            "🚨 {} [{}] {}: {what}{}",
                            inc.id,
                            inc.priority(),
                            inc.title,
                            late_note(tz)
                        ),
                        mentions,
                        nonce: nonce.clone(),
                    });
                    outcome = "notified".into();
                }
                JobSpec::Recurring { .. } => outcome = "skipped: recurring job bound to an incident".into(),
            }
            if let Some(m) = &message {
                self.chat.post(m).await?;
            }
            let change = Change {
                timeline,
                cancel: None,
                jobs,
                finish: Some(FinishJob {
                    id: job.id,
                    owner: owner.to_string(),
                    finish: JobFinish::Done {
                        fired_at: now,
                        late,
                        outcome: outcome.clone(),
                    },
                    posted: None,
                }),
                chat_refs: Vec::new(),
            };
            match self.store.update_incident(&inc, &change).await {
                Err(StoreError::Conflict(_)) if attempt < MAX_CONFLICT_RETRIES => attempt += 1,
                Err(e) => return Err(e.into()),
                Ok(_) => return Ok(outcome),
            }
        }
    }

    async fn finish_plain(
        &self,
        job: &Job,
        owner: &str,
        now: DateTime<Utc>,
        late: bool,
        outcome: &str,
    ) -> Result<String, ServiceError> {
        self.store
            .finish(&FinishJob {
                id: job.id,
                owner: owner.to_string(),
                finish: JobFinish::Done {
                    fired_at: now,
                    late,
                    outcome: outcome.to_string(),
                },
                posted: None,
            })
            .await?;
        Ok(outcome.to_string())
    }
}

fn recurring_job(agreement: &str, name: &str, at: DateTime<Utc>) -> NewJob {
    to_new_job(
        None,
        Planned {
            key: format!("recurring/{agreement}/{name}/{}", at.timestamp()),
            group: group::RECURRING,
            due_at: at,
            spec: JobSpec::Recurring { name: name.to_string() },
        },
    )
}

#[doc(hidden)]
pub use plan::Policy;
