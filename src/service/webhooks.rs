//! Notices out to webhook targets, as data: which targets take a notice ([`WebhookRoute`]:
//! its kinds and agreements), the versioned JSON body of a notice ([`body`]: typed fields —
//! ids, enums, times, numbers and text people typed — never vakt's wording; the contract
//! `docs/webhook-schema.json` documents), and the planning of one delivery job per target for
//! each notice a job posts. The `webhooks` adapter signs and sends through the
//! [`Webhooks`](super::ports::Webhooks) port; the scheduler retries.
//!
//! A delivery is planned before the notice's chat post is attempted, under a key made of the
//! target and the posting job's id: a retry of the posting job (after a crash, a lost lease,
//! a failing chat) plans the same key again, which the job table ignores — so each notice is
//! decided once per target, and a chat that is down does not hold webhooks back.

use super::notice::{ActorRef, DeadlineView, IncidentSummary, Notice};
use super::ports::{Job, NewJob, Post};
use super::{Service, ServiceError};
use crate::domain::incident::Outcome;
use crate::domain::jobs::webhook::{self, EventKind, SCHEMA_VERSION};
use crate::domain::jobs::{Group, JobSpec, Planned};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// A configured webhook target as the service needs it: its name and what it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRoute {
    /// Unique name (its URL and secret stay with the adapter).
    pub name: String,
    /// The kinds of notice it takes; empty: every kind.
    pub kinds: Vec<EventKind>,
    /// The agreements whose notices it takes; empty: every agreement.
    pub agreements: Vec<String>,
}

impl WebhookRoute {
    /// Whether it takes a notice of `kind` about `agreement`.
    pub fn takes(&self, kind: EventKind, agreement: &str) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&kind))
            && (self.agreements.is_empty() || self.agreements.iter().any(|a| a == agreement))
    }
}

/// The kind a notice is sent as.
pub fn event_kind(notice: &Notice) -> EventKind {
    match notice {
        Notice::Opened { .. } => EventKind::Opened,
        Notice::Acknowledged { .. } => EventKind::Acknowledged,
        Notice::Updated { .. } => EventKind::Updated,
        Notice::Warning { .. } => EventKind::Warning,
        Notice::Escalated { .. } => EventKind::Escalated,
        Notice::Repaged { .. } => EventKind::Repaged,
        Notice::Status { .. } => EventKind::Status,
        Notice::FollowUp { .. } => EventKind::FollowUp,
        Notice::Notification { .. } => EventKind::Notification,
        Notice::PriorityChanged { .. } => EventKind::PriorityChanged,
        Notice::Resolved { .. } => EventKind::Resolved,
        Notice::Reopened { .. } => EventKind::Reopened,
        Notice::Closed { .. } => EventKind::Closed,
        Notice::Snoozed { .. } => EventKind::Snoozed,
        Notice::Edited { .. } => EventKind::Edited,
        Notice::MarkedDuplicate { .. } => EventKind::MarkedDuplicate,
        Notice::LeadChanged { .. } => EventKind::LeadChanged,
        Notice::AgreementChanged { .. } => EventKind::AgreementChanged,
        Notice::Recurring { .. } => EventKind::Recurring,
        Notice::Report { .. } => EventKind::Report,
        Notice::Maintenance { .. } => EventKind::Maintenance,
        Notice::MeetingReminder { .. } => EventKind::MeetingReminder,
    }
}

/// A deadline as the body shows it.
fn deadline(d: &DeadlineView) -> Value {
    let outcome = match d.outcome {
        Outcome::NotApplicable => "not_applicable",
        Outcome::Pending { .. } => "pending",
        Outcome::MetOnTime { .. } => "met_on_time",
        Outcome::MetLate { .. } => "met_late",
        Outcome::Breached { .. } => "breached",
    };
    let met_at = match d.outcome {
        Outcome::MetOnTime { at } | Outcome::MetLate { at, .. } => Some(at),
        _ => None,
    };
    json!({
        "due": d.due,
        "outcome": outcome,
        "met_at": met_at,
        "business_seconds_left": d.business_left,
        "wall_seconds_left": d.wall_left,
        "business_seconds_late": d.business_late,
        "wall_seconds_late": d.wall_late,
        "settled_under_priority": d.under,
    })
}

/// The incident as the body shows it.
fn incident(i: &IncidentSummary) -> Value {
    json!({
        "id": i.id,
        "title": i.title,
        "description": i.description,
        "service": i.service,
        "priority": i.priority,
        "priority_name": i.priority_name,
        "state": i.state,
        "lead": i.lead,
        "escalation_level": i.escalation_level,
        "reported_at": i.reported_at,
        "response": i.response.as_ref().map(deadline),
        "resolution": i.resolution.as_ref().map(deadline),
        "breaching": i.breaching_now(),
    })
}

fn actor(a: &ActorRef) -> Value {
    json!({"id": a.id, "name": a.name})
}

/// The notice's own fields (besides its incident and actor): `details` in the body.
fn details(notice: &Notice) -> (Option<&ActorRef>, Value) {
    match notice {
        Notice::Opened { actor, reasons, .. } => (Some(actor), json!({"reasons": reasons})),
        Notice::Acknowledged { actor, .. } | Notice::Closed { actor, .. } => (Some(actor), json!({})),
        Notice::Updated {
            actor, note, fields, ..
        } => (Some(actor), json!({"note": note, "fields": fields})),
        Notice::Warning {
            milestone,
            percent,
            deadline,
            ..
        } => (
            None,
            json!({"milestone": milestone, "percent": percent, "deadline": deadline}),
        ),
        Notice::Escalated {
            milestone,
            deadline,
            level,
            level_name,
            role,
            clause,
            manual,
            passed,
            ..
        } => {
            let (by, why) = manual.as_ref().map_or((None, None), |(a, r)| (a.as_ref(), r.as_ref()));
            (
                by,
                json!({
                    "milestone": milestone,
                    "deadline": deadline,
                    "level": level,
                    "level_name": level_name,
                    "role": role,
                    "clause": clause,
                    "manual": manual.is_some(),
                    "reason": why,
                    "passed": passed,
                }),
            )
        }
        Notice::Repaged {
            level,
            level_name,
            page,
            limit,
            ..
        } => (
            None,
            json!({"level": level, "level_name": level_name, "page": page, "limit": limit}),
        ),
        Notice::Status { status, .. } => (
            None,
            json!({
                "seq": status.seq,
                "since": status.since,
                "remind": status.remind,
                "unanswered": status.unanswered,
                "managers_told": status.managers_told,
                "fields": status.latest.fields,
            }),
        ),
        Notice::FollowUp {
            id, what, clause, due, ..
        } => (
            None,
            json!({"follow_up": id, "what": what, "clause": clause, "due": due}),
        ),
        Notice::Notification { what, clause, .. } => (None, json!({"what": what, "clause": clause})),
        Notice::PriorityChanged {
            from,
            to,
            actor,
            reason,
            reasons,
            ..
        } => (
            actor.as_ref(),
            json!({"from": from, "to": to, "reason": reason, "reasons": reasons}),
        ),
        Notice::Resolved { actor, how, note, .. } => (Some(actor), json!({"how": how, "note": note})),
        Notice::Reopened { actor, reason, .. } => (Some(actor), json!({"reason": reason})),
        Notice::Snoozed {
            actor, until, reason, ..
        } => (Some(actor), json!({"until": until, "reason": reason})),
        Notice::Edited {
            actor,
            title_before,
            description,
            ..
        } => (
            Some(actor),
            json!({"title_before": title_before, "description_changed": description}),
        ),
        Notice::MarkedDuplicate { actor, of, .. } => (Some(actor), json!({"of": of})),
        Notice::LeadChanged { actor, from, to, .. } => (Some(actor), json!({"from": from, "to": to})),
        Notice::AgreementChanged {
            response_before,
            resolution_before,
            ..
        } => (
            None,
            json!({"response_before": response_before, "resolution_before": resolution_before}),
        ),
        Notice::Recurring { name, what, .. } => (None, json!({"name": name, "what": what})),
        Notice::Report {
            kind,
            period,
            revision,
            changes,
            ..
        } => (
            None,
            json!({"report": kind, "period": period, "revision": revision, "changes": changes}),
        ),
        Notice::Maintenance { window, moment, .. } => (
            None,
            json!({
                "moment": moment,
                "window": {
                    "id": window.id,
                    "service": window.service,
                    "kind": window.kind,
                    "start": window.start,
                    "end": window.end,
                    "description": window.description,
                    "announced_by": window.announced_by,
                    "cancelled": window.cancelled.is_some(),
                },
            }),
        ),
        Notice::MeetingReminder {
            meeting,
            name,
            open,
            starts_at,
            points,
            ..
        } => (
            None,
            json!({
                "meeting": meeting,
                "name": name,
                "starts_at": starts_at,
                "open_incidents": open.iter().map(|i| &i.id).collect::<Vec<_>>(),
                "points": points,
            }),
        ),
    }
}

/// The version-1 body of `notice` about `agreement`, delivery `id`, posted at `at` (late since
/// its planned time when it went out after downtime).
pub fn body(notice: &Notice, agreement: &str, id: &str, at: DateTime<Utc>, late_since: Option<DateTime<Utc>>) -> Value {
    let (actor_ref, details) = details(notice);
    json!({
        "version": SCHEMA_VERSION,
        "id": id,
        "kind": event_kind(notice).as_str(),
        "agreement": agreement,
        "at": at,
        "late_since": late_since,
        "incident": notice.incident().map(incident),
        "actor": actor_ref.map(actor),
        "details": details,
    })
}

/// The delivery id of `job`'s notice to `target`: stable for the job's row and key, opaque to
/// the receiver, different for every target and notice.
fn delivery_id(target: &str, job: &Job) -> String {
    let digest = Sha256::digest(format!("{target}\n{}\n{}", job.id, job.key).as_bytes());
    hex::encode(&digest[..16])
}

/// A delivery given up on: dead, kept in the job table with its last error.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeadDelivery {
    /// The target's name.
    pub target: String,
    /// The delivery id (`Idempotency-Key`).
    pub delivery: String,
    /// The notice's kind.
    pub kind: String,
    /// The agreement it is about.
    pub agreement: String,
    /// When it was planned.
    pub planned_at: DateTime<Utc>,
    /// Attempts made.
    pub attempts: i32,
    /// The last failure, as recorded (a status or cause; never the secret).
    pub error: Option<String>,
    /// The body that was to be sent.
    pub body: String,
}

impl Service {
    /// The dead webhook deliveries, oldest first.
    pub async fn dead_webhooks(&self) -> Result<Vec<DeadDelivery>, ServiceError> {
        let jobs = self.store.failed_jobs(crate::domain::plan::JobKind::Webhook).await?;
        let mut dead = Vec::with_capacity(jobs.len());
        for job in jobs {
            let JobSpec::Webhook(spec) = super::jobs::spec_of(&job)? else {
                continue;
            };
            dead.push(DeadDelivery {
                target: spec.target,
                delivery: spec.delivery,
                kind: spec.event,
                agreement: spec.agreement,
                planned_at: job.planned_at,
                attempts: job.attempts,
                error: job.last_error,
                body: spec.body,
            });
        }
        Ok(dead)
    }

    /// Plans the delivery of the notice `post` that `job` is about to post to every webhook
    /// target that takes it (idempotent: a retry of `job` plans nothing new).
    pub(crate) async fn plan_webhooks(&self, job: &Job, post: &Post) -> Result<(), ServiceError> {
        let kind = event_kind(&post.notice);
        let agreement = post.channel.agreement.as_str();
        let at = self.clock.now();
        let jobs: Vec<NewJob> = (self.webhook_routes.iter())
            .filter(|r| r.takes(kind, agreement))
            .map(|r| {
                let id = delivery_id(&r.name, job);
                let body = body(&post.notice, agreement, &id, at, post.late_since).to_string();
                let spec = webhook::Spec {
                    target: r.name.clone(),
                    delivery: id,
                    event: kind.as_str().to_string(),
                    agreement: agreement.to_string(),
                    body,
                };
                super::to_new_job(
                    None,
                    Planned {
                        key: webhook::key(&r.name, job.id),
                        group: Group::Webhook,
                        due_at: at,
                        spec: JobSpec::Webhook(spec),
                    },
                )
            })
            .collect();
        if !jobs.is_empty() {
            self.store.schedule(&jobs).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema documented for receivers, as a validator.
    fn schema() -> jsonschema::Validator {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/webhook-schema.json");
        let text = std::fs::read_to_string(path).expect("docs/webhook-schema.json");
        let schema: Value = serde_json::from_str(&text).expect("JSON");
        jsonschema::draft202012::options()
            .build(&schema)
            .expect("a valid schema")
    }

    /// Every notice's body is valid against the documented schema, says its kind, and
    /// carries its incident exactly when the notice has one.
    #[test]
    fn every_notice_makes_a_body_the_schema_accepts() {
        let validator = schema();
        let at = DateTime::<Utc>::UNIX_EPOCH;
        for notice in crate::render::notice::tests::every_notice() {
            let b = body(&notice, "ssbtek", "0123456789abcdef0123456789abcdef", at, None);
            let errors: Vec<String> = validator
                .iter_errors(&b)
                .map(|e| format!("{e} at {}", e.instance_path))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}\n{b:#}", event_kind(&notice));
            assert_eq!(b["kind"], event_kind(&notice).as_str());
            assert_eq!(b["incident"].is_null(), notice.incident().is_none());
            // The schema is not vacuous: a body that breaks the contract is refused.
            let mut broken = b.clone();
            broken["incident"] = json!({"id": 7});
            broken["details"] = json!({"how": "magic", "level": "high", "reasons": 1, "what": 2});
            assert!(!validator.is_valid(&broken), "{}: {broken:#}", event_kind(&notice));
        }
    }

    /// The schema names exactly the kinds vakt sends.
    #[test]
    fn the_schema_lists_every_kind() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/webhook-schema.json");
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("file")).expect("JSON");
        let listed: Vec<&str> = (schema["properties"]["kind"]["enum"].as_array().expect("an enum").iter())
            .filter_map(Value::as_str)
            .collect();
        let mut listed = listed;
        let mut kinds: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
        listed.sort_unstable();
        kinds.sort_unstable();
        assert_eq!(listed, kinds);
    }

    #[test]
    fn a_route_takes_the_kinds_and_agreements_it_names() {
        let all = WebhookRoute {
            name: "all".into(),
            kinds: vec![],
            agreements: vec![],
        };
        assert!(all.takes(EventKind::Status, "difi"));
        let some = WebhookRoute {
            name: "some".into(),
            kinds: vec![EventKind::Opened],
            agreements: vec!["difi".into()],
        };
        assert!(some.takes(EventKind::Opened, "difi"));
        assert!(!some.takes(EventKind::Opened, "ssbtek"));
        assert!(!some.takes(EventKind::Resolved, "difi"));
    }
}
