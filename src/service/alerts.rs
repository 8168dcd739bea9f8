//! Incidents from monitoring: what an intake source (Alertmanager, a generic webhook) reports
//! about one dedup key, applied once. A firing notification opens an incident through the same
//! use case as a person's `/incident open` (same classification, same plan) with the source
//! as its reporter, or adds a status note to the incident its key already has open; a
//! resolved notification adds a note and, where the source says so, resolves the incident.
//!
//! Every alert event carries a receipt recorded with its incident in the same transaction, so
//! a notification re-sent (Alertmanager repeats every `repeat_interval`) changes nothing, and
//! two replicas opening the same key race on the key's open receipt: the loser retries and
//! adds to the winner's incident instead.

use super::error::UserError;
use super::ports::{AlertLink, AlertReceipt, Change};
use super::{Actor, MAX_CONFLICT_RETRIES, Service, ServiceError};
use crate::domain::classify::Facts;
use crate::domain::ids::IncidentId;
use crate::domain::incident::{Incident, Resolution, State, StatusFields};
use sha2::{Digest, Sha256};

/// A configured intake source, as the service needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSource {
    /// The source's name, unique in the configuration; the incidents' reporter.
    pub name: String,
    /// The agreement its incidents are opened under.
    pub agreement: String,
    /// The affected service its incidents name, if any.
    pub service: Option<String>,
    /// Whether a resolved notification resolves the incident (else it only adds a note).
    pub resolve: bool,
}

impl AlertSource {
    /// The reporter and actor id of the source's changes: `alert:<name>`.
    pub fn actor_id(&self) -> String {
        format!("alert:{}", self.name)
    }
}

/// One alert of a notification: what identifies its event, and the note it adds.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertEvent {
    /// What identifies this event within the source (for Alertmanager: fingerprint, status
    /// and start); the same event sent again has the same identity.
    pub identity: String,
    /// The note the event adds to a timeline (the alert's own text, as monitoring wrote it).
    pub note: String,
}

/// One notification about a dedup key, read by the intake adapter.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertNotification {
    /// The dedup key: a firing notification whose key has an incident open adds to it.
    pub dedup_key: String,
    /// Whether the key's alerts are all resolved.
    pub resolved: bool,
    /// The incident's title, when it opens one.
    pub title: String,
    /// The incident's description, when it opens one.
    pub description: String,
    /// The facts the source's label mapping read, for the classification.
    pub facts: Facts,
    /// The affected service the payload names, when the source names none.
    pub service: Option<String>,
    /// The alerts, each an event.
    pub events: Vec<AlertEvent>,
}

/// What a notification did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", content = "incident", rename_all = "snake_case")]
pub enum AlertOutcome {
    /// Opened this incident.
    Opened(IncidentId),
    /// Added its events to this incident's timeline.
    Added(IncidentId),
    /// Added its events and resolved this incident.
    Resolved(IncidentId),
    /// Every event was received before: nothing changed (a re-send).
    Unchanged(Option<IncidentId>),
    /// A resolved notification for a key with no incident: nothing to do.
    Ignored,
}

/// A receipt's stored form: a SHA-256 digest of `parts` (hex), so any identity fits the
/// column.
fn digest(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.len().to_le_bytes());
        h.update(p.as_bytes());
    }
    hex::encode(h.finalize())
}

impl Service {
    /// Applies one notification of `source` once: opens, adds to or resolves the incident of
    /// its dedup key (see the module's documentation). The source acts with the rights of its
    /// agreement's responders.
    pub async fn take_alert(
        &self,
        source: &AlertSource,
        notification: &AlertNotification,
    ) -> Result<AlertOutcome, ServiceError> {
        let (_, settings) = self.agreement(&source.agreement)?;
        let actor = Actor {
            id: source.actor_id().into(),
            name: source.name.clone(),
            roles: [settings.responders.clone(), settings.managers.clone()].concat(),
        };
        let mut attempt = 0;
        loop {
            match self.take_alert_once(source, &actor, notification).await {
                Err(ServiceError::User(UserError::Conflict(_))) if attempt < MAX_CONFLICT_RETRIES => attempt += 1,
                other => return other,
            }
        }
    }

    async fn take_alert_once(
        &self,
        source: &AlertSource,
        actor: &Actor,
        n: &AlertNotification,
    ) -> Result<AlertOutcome, ServiceError> {
        let receipts: Vec<String> = n.events.iter().map(|e| digest(&[&n.dedup_key, &e.identity])).collect();
        let seen = self.store.alert_receipts_seen(&source.name, &receipts).await?;
        let new: Vec<(&AlertEvent, &String)> = n
            .events
            .iter()
            .zip(&receipts)
            .filter(|(_, r)| !seen.contains(r))
            .collect();
        let link = self.store.alert_link(&source.name, &n.dedup_key).await?;
        if new.is_empty() {
            return Ok(AlertOutcome::Unchanged(link.map(|l| l.incident)));
        }
        let now = self.clock.now();
        let record = |seq: i64| -> Vec<AlertReceipt> {
            new.iter()
                .map(|(_, r)| AlertReceipt {
                    source: source.name.clone(),
                    receipt: (*r).clone(),
                    dedup_key: n.dedup_key.clone(),
                    seq,
                    at: now,
                })
                .collect()
        };
        let note = new.iter().map(|(e, _)| e.note.trim()).collect::<Vec<_>>().join("; ");
        let existing = match &link {
            Some(l) => self.store.incident(&l.incident).await?,
            None => None,
        };
        match existing {
            Some(mut inc) if inc.state().is_active() || n.resolved => {
                let (a, _) = self.agreement_of(&inc)?;
                let mut change = match inc.state() {
                    State::Closed => Change::default(),
                    _ => Self::update_change(actor, &mut inc, Some(&note), &StatusFields::default(), now)?,
                };
                let resolves = n.resolved && source.resolve && inc.state().is_active();
                if resolves {
                    let resolved = Self::resolve_change(a, actor, &mut inc, Resolution::Fix, None, now)?;
                    change.timeline.extend(resolved.timeline);
                    change.jobs.extend(resolved.jobs);
                    change.cancel = resolved.cancel;
                }
                change.alerts = record(link.as_ref().map_or(0, |l| l.seq));
                let stored = self.store.update_incident(&inc, &change).await?;
                let id = stored.id().clone();
                Ok(if resolves {
                    AlertOutcome::Resolved(id)
                } else {
                    AlertOutcome::Added(id)
                })
            }
            _ if n.resolved => Ok(AlertOutcome::Ignored),
            // No incident open for the key: the next one of the key.
            _ => {
                let seq = link.as_ref().map_or(0, |l: &AlertLink| l.seq + 1);
                let mut alerts = record(seq);
                alerts.push(AlertReceipt {
                    source: source.name.clone(),
                    receipt: format!("open/{seq}/{}", digest(&[&n.dedup_key])),
                    dedup_key: n.dedup_key.clone(),
                    seq,
                    at: now,
                });
                let inc: Incident = self
                    .open_recorded(
                        actor,
                        (&source.agreement, crate::domain::case_type::INCIDENT),
                        &n.title,
                        &n.description,
                        n.facts.clone(),
                        source.service.as_deref().or(n.service.as_deref()),
                        alerts,
                    )
                    .await?;
                Ok(AlertOutcome::Opened(inc.id().clone()))
            }
        }
    }
}
