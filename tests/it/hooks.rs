//! Alert intake (`POST /hooks/alertmanager`, `POST /hooks/generic`) over a real socket, on
//! both backends: Alertmanager webhook payloads (version 4) firing, grouped, resolved and
//! re-sent open an incident once, add to it, resolve it and change nothing when repeated; a
//! missing or wrong token is a 401 and a bad body a clear 4xx, each changing nothing.

use crate::common::backends::{Backend, on_backends};
use crate::common::{RecordingChat, at, catalog, config, facts};
use serde_json::{Value, json};
use std::sync::Arc;
use vakt::app::{self, App};
use vakt::console::clock::FakeClock;
use vakt::domain::incident::{Event, Incident, State};
use vakt::service::ports::IncidentFilter;

const AM_TOKEN: &str = "am-token-0123456789abcdef";
const GENERIC_TOKEN: &str = "generic-token-0123456789";

const CONFIG: &str = r#"
[ops]
listen = "127.0.0.1:0"

[[hooks.sources]]
name = "prometheus"
kind = "alertmanager"
token = "am-token-0123456789abcdef"
agreement = "borger-dk"
resolve = true
impact_label = "severity"
impacts = { critical = "unavailable", minor = "minimal" }
default_impact = "functions"
users_label = "users_affected"

[[hooks.sources]]
name = "uptime"
kind = "generic"
token = "generic-token-0123456789"
agreement = "borger-dk"
service = "borger-dk"
"#;

/// vakt over `backend` with the intake configured, its listener started.
async fn start(backend: &Backend) -> (App, std::net::SocketAddr, tokio::sync::watch::Sender<bool>) {
    let catalog = catalog();
    let config = config(backend.dir(), Some(CONFIG), &catalog);
    let clock = Arc::new(FakeClock::new(at("2026-11-23T10:00:00+01:00")));
    let chat = Arc::new(RecordingChat::new(clock.clone()));
    let app = app::wire(
        Arc::new(config),
        Arc::new(catalog),
        clock,
        chat,
        backend.open().await,
        "runner-1",
    );
    let (stop, rx) = tokio::sync::watch::channel(false);
    let (addr, _task) = app::start_ops(&app, rx).await.expect("bind").expect("configured");
    (app, addr, stop)
}

/// POSTs `body` to `path` with `token` (none: no Authorization header): status and JSON.
async fn post(addr: std::net::SocketAddr, path: &str, token: Option<&str>, body: Vec<u8>) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(format!("http://{addr}{path}"))
        .header("content-type", "application/json")
        .body(body);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let res = req.send().await.expect("send");
    let status = res.status().as_u16();
    let text = res.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, json)
}

async fn alertmanager(addr: std::net::SocketAddr, payload: &Value) -> (u16, Value) {
    post(
        addr,
        "/hooks/alertmanager",
        Some(AM_TOKEN),
        payload.to_string().into_bytes(),
    )
    .await
}

/// One alert of a payload, as Alertmanager writes it.
fn alert(name: &str, instance: &str, status: &str, starts: &str, fingerprint: &str) -> Value {
    json!({
        "status": status,
        "labels": { "alertname": name, "instance": instance, "severity": "critical", "job": "login" },
        "annotations": { "summary": format!("{name} on {instance}"), "description": "Logins fail with 502." },
        "startsAt": starts,
        "endsAt": if status == "resolved" { "2026-11-23T09:20:00Z" } else { "0001-01-01T00:00:00Z" },
        "generatorURL": "http://prometheus:9090/graph?g0.expr=up%3D%3D0",
        "fingerprint": fingerprint,
    })
}

/// An Alertmanager webhook (version 4) for the `LoginDown` group.
fn notification(status: &str, alerts: Vec<Value>) -> Value {
    json!({
        "version": "4",
        "groupKey": "{}/{severity=\"critical\"}:{alertname=\"LoginDown\"}",
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "vakt",
        "groupLabels": { "alertname": "LoginDown" },
        "commonLabels": { "alertname": "LoginDown", "severity": "critical", "job": "login" },
        "commonAnnotations": { "description": "Logins fail with 502." },
        "externalURL": "http://alertmanager:9093",
        "alerts": alerts,
    })
}

async fn incidents(app: &App) -> Vec<Incident> {
    app.store
        .incidents(&IncidentFilter::default())
        .await
        .expect("incidents")
}

async fn timeline_len(app: &App, id: &str) -> usize {
    app.store
        .timeline(&vakt::domain::ids::IncidentId::new(id))
        .await
        .expect("timeline")
        .len()
}

/// The stored incident `id`.
async fn load(app: &App, id: &str) -> Incident {
    app.store.incident(&id.into()).await.expect("load").expect("stored")
}

fn incident_of(answer: &Value) -> String {
    answer["incident"]
        .as_str()
        .unwrap_or_else(|| panic!("no incident in {answer}"))
        .to_string()
}

/// A firing group opens one incident, classified as a person's open of the same facts, with
/// the source as reporter; the same payload re-sent (also concurrently) changes nothing.
async fn a_firing_alert_opens_one_incident_however_often_it_is_sent(backend: Backend) {
    let (app, addr, _stop) = start(&backend).await;
    let firing = notification(
        "firing",
        vec![alert("LoginDown", "web-1", "firing", "2026-11-23T08:55:00Z", "a1")],
    );
    let (status, answer) = alertmanager(addr, &firing).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["outcome"], "opened", "{answer}");
    let id = incident_of(&answer);
    let inc = load(&app, &id).await;
    assert_eq!(inc.reporter().as_str(), "alert:prometheus");
    assert_eq!(inc.agreement().as_str(), "borger-dk");
    let (person, _) = app
        .service
        .preview("borger-dk", &facts("unavailable"), app.service.now())
        .expect("preview");
    assert_eq!(inc.priority(), &person.priority, "classified as a person's open");
    let entries = timeline_len(&app, &id).await;

    let (status, again) = alertmanager(addr, &firing).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["outcome"], "unchanged", "{again}");
    assert_eq!(again["incident"], id.as_str());
    let (a, b) = tokio::join!(alertmanager(addr, &firing), alertmanager(addr, &firing));
    assert_eq!((a.0, b.0), (200, 200));
    assert_eq!(incidents(&app).await.len(), 1, "one incident");
    assert_eq!(timeline_len(&app, &id).await, entries, "no duplicate timeline entries");
}

/// Two replicas' worth of the same new group at once open one incident.
async fn the_same_new_group_at_once_opens_one_incident(backend: Backend) {
    let (app, addr, _stop) = start(&backend).await;
    let one = notification(
        "firing",
        vec![alert("LoginDown", "web-1", "firing", "2026-11-23T08:55:00Z", "a1")],
    );
    let two = notification(
        "firing",
        vec![
            alert("LoginDown", "web-1", "firing", "2026-11-23T08:55:00Z", "a1"),
            alert("LoginDown", "web-2", "firing", "2026-11-23T08:56:00Z", "b2"),
        ],
    );
    let (a, b) = tokio::join!(alertmanager(addr, &one), alertmanager(addr, &two));
    assert_eq!((a.0, b.0), (200, 200), "{a:?} {b:?}");
    assert_eq!(incidents(&app).await.len(), 1, "{a:?} {b:?}");
    assert_eq!(a.1["incident"], b.1["incident"]);
}

/// An alert joining the group adds a note; the group resolved adds a note and resolves the
/// incident (the source says so); re-sends change nothing; firing again opens a new one.
async fn a_group_grows_resolves_and_fires_again(backend: Backend) {
    let (app, addr, _stop) = start(&backend).await;
    let a1 = || alert("LoginDown", "web-1", "firing", "2026-11-23T08:55:00Z", "a1");
    let (_, opened) = alertmanager(addr, &notification("firing", vec![a1()])).await;
    let id = incident_of(&opened);
    let before = timeline_len(&app, &id).await;

    let grown = notification(
        "firing",
        vec![
            a1(),
            alert("LoginDown", "web-2", "firing", "2026-11-23T09:01:00Z", "b2"),
        ],
    );
    let (status, added) = alertmanager(addr, &grown).await;
    assert_eq!((status, added["outcome"].as_str()), (200, Some("added")), "{added}");
    assert_eq!(added["incident"], id.as_str());
    assert_eq!(timeline_len(&app, &id).await, before + 1, "one note for the new alert");
    let (_, again) = alertmanager(addr, &grown).await;
    assert_eq!(again["outcome"], "unchanged");
    assert_eq!(timeline_len(&app, &id).await, before + 1);

    let resolved = notification(
        "resolved",
        vec![
            alert("LoginDown", "web-1", "resolved", "2026-11-23T08:55:00Z", "a1"),
            alert("LoginDown", "web-2", "resolved", "2026-11-23T09:01:00Z", "b2"),
        ],
    );
    let (status, done) = alertmanager(addr, &resolved).await;
    assert_eq!((status, done["outcome"].as_str()), (200, Some("resolved")), "{done}");
    let inc = load(&app, &id).await;
    assert_eq!(inc.state(), State::Resolved);
    let timeline = app.store.timeline(&id.as_str().into()).await.expect("timeline");
    let notes = timeline
        .iter()
        .filter(|e| matches!(e.event, Event::StatusUpdate { .. }) && e.actor == "alert:prometheus")
        .count();
    assert_eq!(notes, 2, "the joining alert and the resolution each add one note");
    let entries = timeline.len();
    let (_, again) = alertmanager(addr, &resolved).await;
    assert_eq!(again["outcome"], "unchanged");
    assert_eq!(timeline_len(&app, &id).await, entries);

    // Firing again (a new start) is a new incident: the old one is no longer open.
    let refire = notification(
        "firing",
        vec![alert("LoginDown", "web-1", "firing", "2026-11-23T11:00:00Z", "a1")],
    );
    let (_, reopened) = alertmanager(addr, &refire).await;
    assert_eq!(reopened["outcome"], "opened", "{reopened}");
    assert_ne!(incident_of(&reopened), id);
    assert_eq!(incidents(&app).await.len(), 2);
}

/// No token, a wrong one, or another endpoint's: 401, nothing stored.
async fn a_missing_or_wrong_token_is_refused(backend: Backend) {
    let (app, addr, _stop) = start(&backend).await;
    let body = notification(
        "firing",
        vec![alert("LoginDown", "web-1", "firing", "2026-11-23T08:55:00Z", "a1")],
    )
    .to_string()
    .into_bytes();
    for token in [None, Some("am-token-0123456789abcdeX"), Some(GENERIC_TOKEN), Some("")] {
        let (status, answer) = post(addr, "/hooks/alertmanager", token, body.clone()).await;
        assert_eq!(status, 401, "{token:?}: {answer}");
        assert_eq!(answer["ok"], false);
    }
    assert!(incidents(&app).await.is_empty());
}

/// Bodies that are not the endpoint's payload: a 4xx with a JSON error, nothing stored.
async fn bad_bodies_are_refused_clearly(backend: Backend) {
    let (app, addr, _stop) = start(&backend).await;
    let good = notification(
        "firing",
        vec![alert("LoginDown", "web-1", "firing", "2026-11-23T08:55:00Z", "a1")],
    );
    let mut v3 = good.clone();
    v3["version"] = json!("3");
    let mut empty = good.clone();
    empty["alerts"] = json!([]);
    let mut bad_status = good.clone();
    bad_status["status"] = json!("burning");
    let mut bad_users = good.clone();
    bad_users["commonLabels"]["users_affected"] = json!("lots");
    let cases: Vec<(Vec<u8>, u16)> = vec![
        (b"{not json".to_vec(), 400),
        (v3.to_string().into_bytes(), 400),
        (empty.to_string().into_bytes(), 400),
        (bad_status.to_string().into_bytes(), 400),
        (bad_users.to_string().into_bytes(), 422),
        (vec![b' '; vakt::hooks::MAX_BODY_BYTES + 1], 413),
    ];
    for (body, expected) in cases {
        let (status, answer) = post(addr, "/hooks/alertmanager", Some(AM_TOKEN), body).await;
        assert_eq!(status, expected, "{answer}");
        assert_eq!(answer["ok"], false, "{answer}");
        assert!(answer["error"].as_str().is_some_and(|e| !e.is_empty()), "{answer}");
    }
    assert!(incidents(&app).await.is_empty());
}

/// The generic shape: opens with the source's service, a re-send changes nothing, a resolved
/// status adds a note but (this source does not resolve) leaves the incident open.
async fn the_generic_shape_opens_adds_and_does_not_resolve_unless_told(backend: Backend) {
    let (app, addr, _stop) = start(&backend).await;
    let firing = json!({
        "version": 1, "status": "firing", "dedup_key": "login-probe",
        "title": "Login probe failing", "description": "3 of 3 probes failed",
        "facts": { "impact": "users", "users": 30 }
    });
    let send = |v: &Value| post(addr, "/hooks/generic", Some(GENERIC_TOKEN), v.to_string().into_bytes());
    let (status, opened) = send(&firing).await;
    assert_eq!((status, opened["outcome"].as_str()), (200, Some("opened")), "{opened}");
    let id = incident_of(&opened);
    let inc = load(&app, &id).await;
    assert_eq!(inc.service(), Some("borger-dk"));
    assert_eq!(inc.reporter().as_str(), "alert:uptime");
    assert_eq!(send(&firing).await.1["outcome"], "unchanged");

    let mut resolved = firing.clone();
    resolved["status"] = json!("resolved");
    let (_, added) = send(&resolved).await;
    assert_eq!(added["outcome"], "added", "{added}");
    let inc = load(&app, &id).await;
    assert!(inc.state().is_active(), "this source does not resolve");

    let mut unknown = firing.clone();
    unknown["facts"]["colour"] = json!("red");
    assert_eq!(send(&unknown).await.0, 400, "unknown fields are refused");
    assert_eq!(
        post(addr, "/hooks/generic", Some(AM_TOKEN), firing.to_string().into_bytes())
            .await
            .0,
        401,
        "the Alertmanager source's token is not the generic source's"
    );
    assert_eq!(incidents(&app).await.len(), 1);
}

on_backends!(
    a_firing_alert_opens_one_incident_however_often_it_is_sent,
    the_same_new_group_at_once_opens_one_incident,
    a_group_grows_resolves_and_fires_again,
    a_missing_or_wrong_token_is_refused,
    bad_bodies_are_refused_clearly,
    the_generic_shape_opens_adds_and_does_not_resolve_unless_told,
);
