//! Use cases over ports: opening and working incidents, permissions as policy, views, and
//! the handlers of the scheduler's jobs. Depends on the domain and its own ports only (no
//! configuration file, no agreement loader): the composition root resolves the deployment's
//! configuration into [`Settings`]. Adapters (console, Discord) call it and render what it
//! returns — incidents, views and typed [`notice::Notice`]s; it composes no wording.
//!
//! Every accepted change is committed to the store (incident, timeline and job plan in one
//! transaction) before the caller gets its answer. Chat posts that must not be lost are jobs:
//! they are planned in that transaction and sent by the scheduler.
//!
//! - [`incidents`]: the use cases that change incidents.
//! - [`alerts`]: incidents from monitoring, each alert event applied once.
//! - [`views`]: reading incidents (show, list, timeline) as adapters need them.
//! - [`jobs`]: one handler per job kind, each a thin shell over the domain's `fire`.
//! - [`deliveries`]: each chat interaction taken on once, however often it is delivered.
//! - [`health`] and [`metered`]: readiness, the [`health::Metrics`] port, and store call
//!   latency.
//! - [`webhooks`]: notices out to webhook targets — who takes what, the versioned body, and
//!   one delivery job per target and notice.

pub mod alerts;
pub mod calendar;
pub mod deliveries;
pub mod error;
pub mod health;
pub mod incidents;
pub mod jobs;
pub mod maintenance;
pub mod metered;
pub mod notice;
pub mod ports;
pub mod reports;
pub mod status;
pub mod views;
pub mod webhooks;

use crate::domain::agreement::Agreement;
use crate::domain::catalog::Catalog;
use crate::domain::classify::{Classified, Deadlines, classify, deadlines};
use crate::domain::ids::{IncidentId, UserId};
use crate::domain::incident::Incident;
use crate::domain::plan::{CronSpec, Planned, Policy};
use chrono::{DateTime, Utc};
use ports::{Change, Chat, Clock, NewJob, Store, StoreError};
use std::collections::BTreeMap;
use std::sync::Arc;

pub use error::{Failure, ServiceError, UserError};
pub use views::{IncidentView, ListPage, ListScope, PAGE};

/// Who is acting: an opaque user id, the name shown, and the chat roles the adapter resolved
/// for them (Discord role ids, console role names). The service compares ids and roles only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Stable user id.
    pub id: UserId,
    /// Display name (shown in notices, never compared).
    pub name: String,
    /// Chat roles held.
    pub roles: Vec<String>,
}

impl Actor {
    /// An actor whose display name is its id (the console's users).
    pub fn new(id: impl Into<UserId>, roles: Vec<String>) -> Self {
        let id = id.into();
        Actor {
            name: id.to_string(),
            id,
            roles,
        }
    }

    /// As notices name it.
    pub fn as_ref(&self) -> notice::ActorRef {
        notice::ActorRef {
            id: self.id.clone(),
            name: self.name.clone(),
        }
    }
}

/// A use case that needs a permission, named in [`UserError::Forbidden`] so an adapter can
/// say what was refused in its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Opening an incident.
    Open,
    /// Acknowledging.
    Acknowledge,
    /// Adding a note.
    Update,
    Reclassify,
    /// Overriding the priority.
    Override,
    /// Escalating by hand.
    Escalate,
    /// Taking or handing over the lead.
    Lead,
    /// Editing the title or description.
    Edit,
    /// Snoozing status updates.
    Snooze,
    /// Marking an incident a duplicate of another.
    Link,
    /// Resolving.
    Resolve,
    Reopen,
    /// Closing.
    Close,
    /// Waiving a follow-up the agreement requires.
    Waive,
    /// Marking a follow-up the agreement requires done.
    CompleteFollowUp,
    /// Adding a meeting follow-up point.
    AddPoint,
    /// Marking a follow-up point done.
    CompletePoint,
    /// Announcing a maintenance window.
    AnnounceWindow,
    /// Recording a maintenance window that breaks the agreement's rules.
    RecordBreakingWindow,
    /// Cancelling a maintenance window.
    CancelWindow,
    /// Marking an incident as an outage.
    MarkOutage,
    /// Setting an outage's start or end.
    EditOutage,
    /// Publishing an incident's public text on the status page.
    Publish,
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Action::Open => "open incidents",
            Action::Acknowledge => "acknowledge incidents",
            Action::Update => "update incidents",
            Action::Reclassify => "reclassify incidents",
            Action::Override => "override priorities",
            Action::Escalate => "escalate incidents",
            Action::Lead => "take or hand over the lead of incidents",
            Action::Edit => "edit incidents",
            Action::Snooze => "snooze status updates",
            Action::Link => "mark incidents as duplicates",
            Action::Resolve => "resolve incidents",
            Action::Reopen => "reopen incidents",
            Action::Close => "close incidents",
            Action::Waive => "waive follow-ups",
            Action::CompleteFollowUp => "mark follow-ups done",
            Action::AddPoint => "add meeting follow-up points",
            Action::CompletePoint => "complete meeting follow-up points",
            Action::AnnounceWindow => "announce maintenance windows",
            Action::RecordBreakingWindow => "record a maintenance window that breaks the agreement's rules",
            Action::CancelWindow => "cancel maintenance windows",
            Action::MarkOutage => "mark incidents as outages",
            Action::EditOutage => "set an outage's start or end",
            Action::Publish => "publish incidents on the status page",
        })
    }
}

/// What a use case needs permission for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Open and work incidents (responders and managers).
    Operate,
    /// Override priorities and close incidents (managers).
    Manage,
}

/// A recurring post of an agreement: a cron expression in the agreement's zone and what to
/// post to its summary channel (deployment data).
#[derive(Debug, Clone)]
pub struct RecurringPost {
    /// Name, unique per agreement.
    pub name: String,
    /// When, in the agreement's zone.
    pub cron: CronSpec,
    /// What to post, as configured.
    pub what: String,
}

/// The service's view of one agreement's deployment settings.
#[derive(Debug, Clone, Default)]
pub struct AgreementSettings {
    /// Chat roles whose members may operate incidents.
    pub responders: Vec<String>,
    /// Chat roles whose members may also override priorities and close.
    pub managers: Vec<String>,
    /// Planning policy (warning points, escalation interval).
    pub policy: Policy,
    /// Recurring posts.
    pub recurring: Vec<RecurringPost>,
}

/// What the service needs of the deployment: per agreement id, its settings.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Per agreement id.
    pub agreements: BTreeMap<String, AgreementSettings>,
}

/// The application's use cases.
pub struct Service {
    store: Arc<dyn Store>,
    chat: Arc<dyn Chat>,
    clock: Arc<dyn Clock>,
    catalog: Arc<Catalog>,
    settings: Arc<Settings>,
    /// Where recorded breaches are counted.
    metrics: Arc<dyn health::Metrics>,
    /// The webhook targets and what each takes (none: notices go to the chat only).
    webhook_routes: Arc<Vec<webhooks::WebhookRoute>>,
    /// The sender of webhook deliveries.
    webhooks: Option<Arc<dyn ports::Webhooks>>,
}

const MAX_CONFLICT_RETRIES: usize = 3;

pub(crate) fn to_new_job(inc: Option<&str>, p: Planned) -> NewJob {
    NewJob {
        key: p.key,
        kind: p.spec.kind(),
        incident: inc.map(IncidentId::new),
        group: p.group,
        due_at: p.due_at,
        payload: serde_json::to_value(&p.spec).unwrap_or_default(),
    }
}

/// The agreement `a` as cases of type `case_type` see it ([`crate::domain::case_type`]); a
/// type it does not have is the person's mistake.
fn view_of<'a>(a: &'a Arc<Agreement>, case_type: &str) -> Result<&'a Arc<Agreement>, UserError> {
    Agreement::view_for(a, case_type).ok_or_else(|| UserError::UnknownCaseType {
        case_type: case_type.to_string(),
        known: a.case_type_ids().join(", "),
    })
}

impl Service {
    /// Wires the service.
    pub fn new(
        store: Arc<dyn Store>,
        chat: Arc<dyn Chat>,
        clock: Arc<dyn Clock>,
        catalog: Arc<Catalog>,
        settings: Arc<Settings>,
    ) -> Self {
        Service {
            store,
            chat,
            clock,
            catalog,
            settings,
            metrics: Arc::new(health::NoMetrics),
            webhook_routes: Arc::new(Vec::new()),
            webhooks: None,
        }
    }

    /// Sends every notice that `routes` take to their targets through `sender` as well.
    pub fn with_webhooks(mut self, routes: Vec<webhooks::WebhookRoute>, sender: Arc<dyn ports::Webhooks>) -> Self {
        self.webhook_routes = Arc::new(routes);
        self.webhooks = Some(sender);
        self
    }

    /// The configured webhook targets.
    pub fn webhook_routes(&self) -> &[webhooks::WebhookRoute] {
        &self.webhook_routes
    }

    /// Counts into `metrics` (the breaches it records) instead of nowhere.
    pub fn with_metrics(mut self, metrics: Arc<dyn health::Metrics>) -> Self {
        self.metrics = metrics;
        self
    }

    /// The loaded agreements.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn agreement(&self, id: &str) -> Result<(&Arc<Agreement>, &AgreementSettings), ServiceError> {
        let a = self
            .catalog
            .get(id)
            .ok_or_else(|| UserError::UnknownAgreement(id.to_string()))?;
        let c = self
            .settings
            .agreements
            .get(id)
            .ok_or_else(|| UserError::UnknownAgreement(id.to_string()))?;
        Ok((a, c))
    }

    /// [`agreement`](Self::agreement) as incident (or case) `inc` sees it: the view of its
    /// case type for a case ([`crate::domain::case_type`]).
    fn agreement_of(&self, inc: &Incident) -> Result<(&Arc<Agreement>, &AgreementSettings), ServiceError> {
        let (a, c) = self.agreement(inc.agreement())?;
        Ok((view_of(a, inc.case_type())?, c))
    }

    /// Permission policy for an incident whose agreement is no longer loaded: a manager of
    /// any loaded agreement may manage (close) it.
    fn check_removed(&self, actor: &Actor, action: Action) -> Result<(), ServiceError> {
        let managers: Vec<String> = self
            .settings
            .agreements
            .values()
            .flat_map(|c| c.managers.iter().cloned())
            .collect();
        if actor.roles.iter().any(|r| managers.contains(r)) {
            return Ok(());
        }
        Err(UserError::Forbidden {
            action,
            roles: managers,
        }
        .into())
    }

    /// Permission policy: responders and managers operate; managers manage.
    pub fn check(&self, actor: &Actor, agreement: &str, p: Permission, action: Action) -> Result<(), ServiceError> {
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
        Err(UserError::Forbidden { action, roles }.into())
    }

    /// Classifies without opening.
    pub fn preview(
        &self,
        agreement: &str,
        facts: &crate::domain::classify::Facts,
        at: DateTime<Utc>,
    ) -> Result<(Classified, Deadlines), ServiceError> {
        let (a, _) = self.agreement(agreement)?;
        let c = classify(a, facts, at)?;
        let d = deadlines(a, &c.priority, at)?;
        Ok((c, d))
    }

    async fn load(&self, id: &str) -> Result<Incident, ServiceError> {
        self.store
            .incident(&IncidentId::new(id))
            .await?
            .ok_or_else(|| UserError::NotFound(id.to_string()).into())
    }

    /// Loads, checks, applies `f`, and commits; retries on a concurrent change.
    async fn mutate<F>(
        &self,
        actor: &Actor,
        id: &str,
        p: Permission,
        action: Action,
        f: F,
    ) -> Result<Incident, ServiceError>
    where
        F: Fn(&Agreement, &AgreementSettings, &mut Incident, DateTime<Utc>) -> Result<Change, ServiceError>,
    {
        let mut attempt = 0;
        loop {
            let mut inc = self.load(id).await?;
            self.check(actor, inc.agreement(), p, action)?;
            let (a, c) = self.agreement_of(&inc)?;
            let now = self.clock.now();
            let change = f(a, c, &mut inc, now)?;
            match self.store.update_incident(&inc, &change).await {
                Err(StoreError::Conflict(_)) if attempt < MAX_CONFLICT_RETRIES => attempt += 1,
                other => return Ok(other?),
            }
        }
    }
}

#[doc(hidden)]
pub use crate::domain::plan::Policy as PlanPolicy;
