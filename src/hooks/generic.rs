//! vakt's own alert shape, for a monitoring system without an Alertmanager webhook:
//!
//! ```json
//! { "version": 1, "status": "firing", "dedup_key": "login-eu-1",
//!   "title": "Login down", "description": "…", "service": "Login",
//!   "facts": { "impact": "users", "users": 30, "security": false } }
//! ```
//!
//! `status` is `firing` or `resolved`; `facts.impact` goes through the source's `impacts`
//! map (else it is an impact id), and `default_impact` stands in when it is absent. The
//! body's event is its status with its title, description and facts: the same body again
//! adds nothing, a changed description adds a note.

use super::{Refusal, facts, json, text, title};
use crate::config::HookSource;
use crate::service::alerts::{AlertEvent, AlertNotification};
use serde::{Deserialize, Serialize};

/// The body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Payload {
    version: u32,
    status: Status,
    dedup_key: String,
    title: String,
    #[serde(default)]
    description: String,
    service: Option<String>,
    #[serde(default)]
    facts: RawFacts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Firing,
    Resolved,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawFacts {
    impact: Option<String>,
    users: Option<f64>,
    #[serde(default)]
    security: bool,
}

/// Reads and checks a body; the notification it makes for `source`.
pub(super) fn parse(source: &HookSource, bytes: &[u8]) -> Result<AlertNotification, Refusal> {
    let p: Payload = json(bytes)?;
    if p.version != 1 {
        return Err(Refusal::BadPayload(format!(
            "version {}: only version 1 is read",
            p.version
        )));
    }
    if p.dedup_key.trim().is_empty() {
        return Err(Refusal::BadPayload("dedup_key is empty".into()));
    }
    let heading = title(&p.title);
    if heading.is_empty() {
        return Err(Refusal::BadPayload("title is empty".into()));
    }
    if p.service.is_some() && source.service.is_some() && p.service != source.service {
        return Err(Refusal::Unprocessable(format!(
            "service {:?}: this source's incidents are of service {:?}",
            p.service, source.service
        )));
    }
    let description = text(&p.description);
    let identity = serde_json::json!([p.status, heading, description, p.facts]).to_string();
    let status = match p.status {
        Status::Firing => "firing",
        Status::Resolved => "resolved",
    };
    let note = if description.is_empty() {
        format!("[{status}] {heading}")
    } else {
        format!("[{status}] {heading}: {description}")
    };
    Ok(AlertNotification {
        dedup_key: p.dedup_key.trim().to_string(),
        resolved: p.status == Status::Resolved,
        title: heading,
        description,
        service: p.service.as_deref().map(super::title).filter(|s| !s.is_empty()),
        facts: facts(&source.facts, p.facts.impact.clone(), p.facts.users, p.facts.security)?,
        events: vec![AlertEvent {
            identity,
            note: text(&note),
        }],
    })
}
