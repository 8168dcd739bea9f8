//! Prometheus Alertmanager's webhook payload, version 4, and what it becomes: one
//! notification per group. The dedup key is the group key (`groupKey`): one incident per
//! alert group as the operator's `group_by` defines it, alerts joining the group add to its
//! incident. Each alert's event is its fingerprint, status and start, so a re-sent group
//! (every `repeat_interval`) adds nothing and an alert firing again after it resolved does.

use super::{Refusal, facts_from_labels, json, text, title};
use crate::config::HookSource;
use crate::service::alerts::{AlertEvent, AlertNotification};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The webhook body (fields vakt does not read are ignored).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Payload {
    version: String,
    group_key: String,
    status: Status,
    #[serde(default)]
    group_labels: BTreeMap<String, String>,
    #[serde(default)]
    common_labels: BTreeMap<String, String>,
    #[serde(default)]
    common_annotations: BTreeMap<String, String>,
    #[serde(default, rename = "externalURL")]
    external_url: String,
    alerts: Vec<Alert>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Firing,
    Resolved,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Firing => "firing",
            Status::Resolved => "resolved",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Alert {
    status: Status,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    starts_at: String,
    fingerprint: String,
}

impl Alert {
    /// The alert as a timeline note: `[status] alertname: summary (instance)`, in
    /// Alertmanager's own terms.
    fn note(&self) -> String {
        let name = self.labels.get("alertname").map_or("alert", String::as_str);
        let mut note = format!("[{}] {name}", self.status.as_str());
        if let Some(s) = self.annotations.get("summary").or(self.annotations.get("description")) {
            note.push_str(": ");
            note.push_str(s);
        }
        if let Some(i) = self.labels.get("instance") {
            note.push_str(&format!(" ({i})"));
        }
        text(&note)
    }
}

/// Reads and checks a body; the notification it makes for `source`.
pub(super) fn parse(source: &HookSource, bytes: &[u8]) -> Result<AlertNotification, Refusal> {
    let p: Payload = json(bytes)?;
    if p.version != "4" {
        return Err(Refusal::BadPayload(format!(
            "version \"{}\": only Alertmanager's webhook version 4 is read",
            p.version
        )));
    }
    if p.group_key.trim().is_empty() {
        return Err(Refusal::BadPayload("groupKey is empty".into()));
    }
    if p.alerts.is_empty() {
        return Err(Refusal::BadPayload("alerts is empty".into()));
    }
    if let Some(a) = p.alerts.iter().find(|a| a.fingerprint.trim().is_empty()) {
        return Err(Refusal::BadPayload(format!(
            "an alert ({}) has no fingerprint",
            a.note()
        )));
    }
    // The facts: the common labels over those of the first firing alert (or the first).
    let first = p
        .alerts
        .iter()
        .find(|a| a.status == Status::Firing)
        .unwrap_or(&p.alerts[0]);
    let mut labels = first.labels.clone();
    labels.extend(p.common_labels.clone());
    let facts = facts_from_labels(&source.facts, &labels)?;
    let name = p
        .group_labels
        .get("alertname")
        .or(labels.get("alertname"))
        .map_or("Alert", String::as_str);
    let summary = p.common_annotations.get("summary").or(first.annotations.get("summary"));
    let heading = match summary {
        Some(s) => format!("{name}: {s}"),
        None => name.to_string(),
    };
    let mut description = p
        .common_annotations
        .get("description")
        .or(first.annotations.get("description"))
        .cloned()
        .unwrap_or_default();
    if !p.external_url.is_empty() {
        // Where to look, as Alertmanager names it (no words of vakt's in the stored text).
        description.push_str(&format!("\n{} {}", p.external_url, p.group_key));
    }
    let events = p
        .alerts
        .iter()
        .map(|a| AlertEvent {
            identity: format!("{}/{}/{}", a.fingerprint.trim(), a.status.as_str(), a.starts_at.trim()),
            note: a.note(),
        })
        .collect();
    Ok(AlertNotification {
        dedup_key: p.group_key,
        resolved: p.status == Status::Resolved,
        title: title(&heading),
        description: text(&description),
        facts,
        service: None,
        events,
    })
}
