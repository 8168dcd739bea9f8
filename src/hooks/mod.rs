//! Alert intake: the HTTP endpoints (axum) through which monitoring opens incidents —
//! `POST /hooks/alertmanager` (Prometheus Alertmanager's webhook, version 4) and `POST
//! /hooks/generic` (vakt's own JSON shape). This adapter owns the wire: the bearer token of
//! each configured source (compared in constant time), the body's size limit and schema, the
//! mapping of labels to the agreement's facts, and the JSON answers; what a notification does
//! to incidents (once, however often it is re-sent) is the service's
//! ([`Service::take_alert`]). Served on the operations listener (`[ops] listen`).

mod alertmanager;
mod generic;

use crate::config::{FactMapping, HookKind, HookSource};
use crate::domain::classify::Facts;
use crate::service::alerts::{AlertNotification, AlertSource};
use crate::service::{Service, ServiceError};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// The largest body accepted, in bytes (Alertmanager's `max_alerts` keeps payloads far below).
pub const MAX_BODY_BYTES: usize = 512 * 1024;

/// The longest title an alert opens an incident with, as for a person's open.
const TITLE_MAX_CHARS: usize = crate::commands::defs::TITLE_MAX_CHARS;
/// The longest description or note an alert writes.
const TEXT_MAX_CHARS: usize = crate::commands::defs::LONG_TEXT_MAX_CHARS;

/// What the intake endpoints need: the use cases and the configured sources.
pub struct Hooks {
    /// The use cases.
    pub service: Arc<Service>,
    /// The sources from `[[hooks.sources]]`.
    pub sources: Vec<HookSource>,
}

/// Why a request was refused: the status and a message for the sender.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Refusal {
    /// No token, or one no source of the endpoint's kind has.
    #[error("missing or wrong bearer token")]
    Unauthorized,
    /// The body is larger than [`MAX_BODY_BYTES`].
    #[error("the body is larger than {MAX_BODY_BYTES} bytes")]
    TooLarge,
    /// The body is not the payload the endpoint takes.
    #[error("{0}")]
    BadPayload(String),
    /// The payload is well-formed but cannot become an incident (facts, agreement).
    #[error("{0}")]
    Unprocessable(String),
    /// vakt failed (the store): the sender should retry.
    #[error("vakt could not store the alert; retry")]
    Failed,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let status = match self {
            Refusal::Unauthorized => StatusCode::UNAUTHORIZED,
            Refusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::BadPayload(_) => StatusCode::BAD_REQUEST,
            Refusal::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::Failed => StatusCode::SERVICE_UNAVAILABLE,
        };
        let body = serde_json::json!({ "ok": false, "error": self.to_string() });
        let mut response = (status, axum::Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The source of `kind` whose token the request carries. Every source's token is compared,
/// each in constant time, so the answer's timing says nothing about which comparison failed.
fn authenticate<'a>(sources: &'a [HookSource], kind: HookKind, headers: &HeaderMap) -> Result<&'a HookSource, Refusal> {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(Refusal::Unauthorized)?;
    let mut found = None;
    for s in sources.iter().filter(|s| s.kind == kind) {
        if bool::from(s.token.expose().as_bytes().ct_eq(given.as_bytes())) && found.is_none() {
            found = Some(s);
        }
    }
    found.ok_or(Refusal::Unauthorized)
}

/// Reads the body up to [`MAX_BODY_BYTES`].
async fn read_body(body: Body) -> Result<axum::body::Bytes, Refusal> {
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| Refusal::TooLarge)
}

/// Text from monitoring made safe for a title, a description or a note: characters typed
/// text may not hold become spaces (line breaks too, unless `multi_line`), runs of blanks
/// shrink, and the result is cut to `max` characters.
pub(crate) fn clean(text: &str, max: usize, multi_line: bool) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = match c {
            '\n' if multi_line => '\n',
            c if crate::domain::text::unsafe_char(c).is_some() => ' ',
            c => c,
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ') || out.ends_with('\n')) {
            continue;
        }
        out.push(c);
    }
    let out = out.trim();
    if out.chars().count() <= max {
        return out.to_string();
    }
    let mut cut: String = out.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The agreement's facts from `labels`, as the source's mapping says.
pub(crate) fn facts_from_labels(m: &FactMapping, labels: &BTreeMap<String, String>) -> Result<Facts, Refusal> {
    let label = |name: &Option<String>| name.as_ref().and_then(|n| labels.get(n)).map(|v| v.trim());
    let impact = label(&m.impact_label).filter(|v| !v.is_empty()).map(str::to_string);
    let users = match label(&m.users_label).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(v.trim_end_matches('%').trim().parse::<f64>().map_err(|_| {
            Refusal::Unprocessable(format!(
                "label {}: \"{v}\" is not a percentage",
                m.users_label.as_deref().unwrap_or("")
            ))
        })?),
    };
    let security = label(&m.security_label).is_some_and(|v| v.eq_ignore_ascii_case("true"));
    facts(m, impact, users, security)
}

/// The facts for a named (or absent) impact, mapped as the source says.
pub(crate) fn facts(
    m: &FactMapping,
    impact: Option<String>,
    users: Option<f64>,
    security: bool,
) -> Result<Facts, Refusal> {
    let impact = impact
        .map(|v| m.impacts.get(&v).cloned().unwrap_or(v))
        .or_else(|| m.default_impact.clone())
        .ok_or_else(|| {
            Refusal::Unprocessable("no impact: the payload names none and the source has no default_impact".into())
        })?;
    Ok(Facts {
        impact,
        users_affected: users,
        security,
        workaround: false,
    })
}

/// Applies a notification of `source` and answers with what it did.
async fn take(hooks: &Hooks, source: &HookSource, n: AlertNotification) -> Response {
    let alert_source = AlertSource {
        name: source.name.clone(),
        agreement: source.agreement.clone(),
        service: source.service.clone(),
        resolve: source.resolve,
    };
    match hooks.service.take_alert(&alert_source, &n).await {
        Ok(outcome) => {
            tracing::info!(source = %source.name, outcome = ?outcome, "alert received");
            let mut body = serde_json::to_value(&outcome).unwrap_or_default();
            if let Some(o) = body.as_object_mut() {
                o.insert("ok".into(), true.into());
            }
            (StatusCode::OK, axum::Json(body)).into_response()
        }
        Err(ServiceError::User(e)) => {
            tracing::warn!(source = %source.name, error = %e, "alert refused");
            Refusal::Unprocessable(e.to_string()).into_response()
        }
        Err(e) => {
            tracing::error!(source = %source.name, error = %e, "alert not stored");
            Refusal::Failed.into_response()
        }
    }
}

/// A request to an endpoint of `kind`: authenticated, read, parsed by `parse`, applied.
async fn handle(
    hooks: Arc<Hooks>,
    kind: HookKind,
    headers: HeaderMap,
    body: Body,
    parse: fn(&HookSource, &[u8]) -> Result<AlertNotification, Refusal>,
) -> Response {
    let source = match authenticate(&hooks.sources, kind, &headers) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let bytes = match read_body(body).await {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    match parse(source, &bytes) {
        Ok(n) => take(&hooks, source, n).await,
        Err(r) => {
            tracing::warn!(source = %source.name, error = %r, "alert payload refused");
            r.into_response()
        }
    }
}

async fn alertmanager_hook(State(hooks): State<Arc<Hooks>>, headers: HeaderMap, body: Body) -> Response {
    handle(hooks, HookKind::Alertmanager, headers, body, alertmanager::parse).await
}

async fn generic_hook(State(hooks): State<Arc<Hooks>>, headers: HeaderMap, body: Body) -> Response {
    handle(hooks, HookKind::Generic, headers, body, generic::parse).await
}

/// The intake routes, to be merged into the operations listener's router.
pub fn router(hooks: Arc<Hooks>) -> axum::Router {
    axum::Router::new()
        .route("/hooks/alertmanager", axum::routing::post(alertmanager_hook))
        .route("/hooks/generic", axum::routing::post(generic_hook))
        .with_state(hooks)
}

/// A payload's JSON, or a refusal naming where it is wrong.
pub(crate) fn json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Refusal> {
    serde_json::from_slice(bytes).map_err(|e| Refusal::BadPayload(format!("invalid payload: {e}")))
}

/// [`clean`] for a title.
pub(crate) fn title(text: &str) -> String {
    clean(text, TITLE_MAX_CHARS, false)
}

/// [`clean`] for a description or a note.
pub(crate) fn text(text: &str) -> String {
    clean(text, TEXT_MAX_CHARS, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_removes_what_typed_text_may_not_hold_and_cuts() {
        assert_eq!(clean("a\u{202e}b\u{1b}[31m  c", 100, false), "a b [31m c");
        assert_eq!(clean("one\ntwo", 100, true), "one\ntwo");
        assert_eq!(clean("one\ntwo", 100, false), "one two");
        assert_eq!(clean("abcdef", 4, false), "abc…");
    }

    #[test]
    fn labels_map_to_facts_as_configured() {
        let m = FactMapping {
            impact_label: Some("severity".into()),
            impacts: BTreeMap::from([("critical".into(), "1".into())]),
            default_impact: Some("3".into()),
            users_label: Some("users".into()),
            security_label: Some("security".into()),
        };
        let labels = BTreeMap::from([
            ("severity".to_string(), "critical".to_string()),
            ("users".to_string(), "40%".to_string()),
            ("security".to_string(), "true".to_string()),
        ]);
        let f = facts_from_labels(&m, &labels).expect("facts");
        assert_eq!(
            (f.impact.as_str(), f.users_affected, f.security),
            ("1", Some(40.0), true)
        );
        let f = facts_from_labels(&m, &BTreeMap::new()).expect("facts");
        assert_eq!((f.impact.as_str(), f.users_affected, f.security), ("3", None, false));
        let bad = BTreeMap::from([("users".to_string(), "many".to_string())]);
        assert!(matches!(facts_from_labels(&m, &bad), Err(Refusal::Unprocessable(_))));
    }
}
