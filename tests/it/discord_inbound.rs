//! The Discord inbound adapter end to end: interaction payloads in Discord's documented shape
//! (built from one template per interaction type, with every field serenity 0.12.5 requires)
//! deserialised into serenity's `Interaction` and dispatched through the real handlers over
//! both transports:
//!
//! - gateway: the event handler's path ([`gateway::respond`]) with serenity's `Http` pointed
//!   at the fake Discord, so the interaction callback is a request the fake records and
//!   validates against Discord's OpenAPI spec;
//! - HTTP: signed bodies POSTed to `vakt serve`'s router on 127.0.0.1, the response body
//!   being the callback.
//!
//! The service, scheduler and SQLite store are real, on the fake clock.

use crate::common::{self, discord_fake, discord_world};

use common::{Harness, TempDb};
use discord_fake::{APP_ID, GUILD_ID};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{Value, json};
use serenity::all::Interaction;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use vakt::discord::custom_id::{self, CardAction};
use vakt::discord::gateway;
use vakt::discord::interactions::Dispatcher;
use vakt::domain::incident::State;
use vakt::service::ports::{JobState, Store};

const RITA: u64 = 1_300_000_000_000_000_001;
const OUTSIDER: u64 = 1_300_000_000_000_000_002;
const MONA: u64 = 1_300_000_000_000_000_003;

/// The common Discord world, with Rita (a responder) as a member and interaction ids.
struct World {
    base: discord_world::World,
    next: AtomicU64,
}

impl std::ops::Deref for World {
    type Target = discord_world::World;
    fn deref(&self) -> &discord_world::World {
        &self.base
    }
}

impl World {
    async fn new() -> World {
        let base = discord_world::World::new().await;
        base.fake.set_member(RITA, &[base.responders]);
        World {
            base,
            next: AtomicU64::new(1_400_000_000_000_000_000),
        }
    }

    /// A vakt process on `db` posting to the fake, and its dispatcher.
    async fn process(&self, db: &TempDb, start: &str) -> (Harness, Arc<Dispatcher>) {
        let h = self.base.process(db, start, "runner-1").await;
        let d = Arc::new(Dispatcher::new(h.app.service.clone(), self.fake.http()));
        (h, d)
    }

    fn id(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed)
    }

    /// The envelope every interaction shares: who, where, the token.
    fn envelope(&self, kind: u8, user: u64, roles: &[u64], channel: u64, data: Value) -> Value {
        let id = self.id();
        json!({
            "id": id.to_string(),
            "application_id": APP_ID.to_string(),
            "type": kind,
            "data": data,
            "guild_id": GUILD_ID.to_string(),
            "channel_id": channel.to_string(),
            "channel": {"id": channel.to_string(), "type": 0},
            "member": {
                "user": {"id": user.to_string(), "username": format!("u{user}"), "discriminator": "0",
                         "global_name": "Rita <@&1> @everyone", "avatar": null},
                "roles": roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
                "joined_at": "2025-01-01T00:00:00.000000+00:00",
                "deaf": false, "mute": false, "nick": null, "flags": 0, "pending": false,
                "permissions": "2248473465835073"
            },
            "token": format!("tok-{id}"),
            "version": 1,
            "locale": "da",
            "guild_locale": "da",
            "app_permissions": "2248473465835073",
            "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_ID.to_string()},
            "context": 0,
            "attachment_size_limit": 26_214_400
        })
    }

    #[allow(clippy::too_many_arguments)]
    /// `/group sub opt:value …` as a slash command (type 2) or autocomplete (type 4, the
    /// option named `focus` focused).
    fn slash(
        &self,
        user: u64,
        roles: &[u64],
        channel: u64,
        group: &str,
        sub: &str,
        opts: &[(&str, Value)],
        focus: Option<&str>,
    ) -> Value {
        let options: Vec<Value> = opts
            .iter()
            .map(|(n, v)| {
                let t = match v {
                    Value::Bool(_) => 5,
                    Value::Number(_) => 10,
                    _ => 3,
                };
                let mut o = json!({"name": n, "type": t, "value": v});
                if Some(*n) == focus {
                    o["focused"] = json!(true);
                }
                o
            })
            .collect();
        let data = json!({
            "id": "1", "name": group, "type": 1, "guild_id": GUILD_ID.to_string(),
            "options": [{"name": sub, "type": 1, "options": options}]
        });
        self.envelope(if focus.is_some() { 4 } else { 2 }, user, roles, channel, data)
    }

    fn button(&self, user: u64, roles: &[u64], custom: &str) -> Value {
        let mut v = self.envelope(
            3,
            user,
            roles,
            self.incidents,
            json!({"custom_id": custom, "component_type": 2}),
        );
        v["message"] = json!({
            "id": self.id().to_string(), "channel_id": self.incidents.to_string(),
            "author": {"id": APP_ID.to_string(), "username": "vakt", "discriminator": "0", "avatar": null, "bot": true},
            "content": "", "timestamp": "2026-11-23T08:00:00.000000+00:00", "edited_timestamp": null,
            "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
            "attachments": [], "embeds": [], "pinned": false, "type": 0, "flags": 0, "components": []
        });
        v
    }

    fn modal(&self, user: u64, roles: &[u64], custom: &str, fields: &[(&str, &str)]) -> Value {
        let rows: Vec<Value> = fields
            .iter()
            .map(|(id, val)| json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": val}]}))
            .collect();
        self.envelope(
            5,
            user,
            roles,
            self.incidents,
            json!({"custom_id": custom, "components": rows}),
        )
    }
}

fn parse(v: &Value) -> Interaction {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("serenity reads the interaction: {e}\n{v}"))
}

/// Dispatches over the gateway path and returns the callback body the fake recorded.
async fn via_gateway(w: &World, d: &Arc<Dispatcher>, v: &Value) -> Value {
    let token = v["token"].as_str().unwrap_or_default().to_string();
    gateway::respond(d, &w.fake.http(), parse(v)).await;
    w.fake
        .callbacks()
        .into_iter()
        .find(|(t, _)| *t == token)
        .map(|(_, b)| b)
        .unwrap_or_else(|| panic!("no callback for {token}"))
}

/// The text an answer shows: the callback's content, or (after a deferral) the original
/// response as edited.
fn shown(w: &World, token: &str, cb: &Value) -> String {
    if cb["type"] == 5 {
        return w
            .fake
            .webhook_messages(token)
            .first()
            .map(|m| m.content().to_string())
            .unwrap_or_default();
    }
    cb["data"]["content"].as_str().unwrap_or_default().to_string()
}

/// Every answer is ephemeral and parses no mention.
fn assert_quiet(cb: &Value) {
    if cb["type"] == 4 {
        assert_eq!(cb["data"]["flags"], 64, "ephemeral: {cb}");
        assert_eq!(cb["data"]["allowed_mentions"]["parse"], json!([]), "{cb}");
    }
}

fn open_opts(title: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("agreement", json!("borger-dk")),
        ("title", json!(title)),
        ("impact", json!("users")),
        ("users", json!(30)),
    ]
}

async fn incidents(h: &Harness) -> Vec<vakt::domain::incident::Incident> {
    h.app
        .store
        .incidents(&Default::default())
        .await
        .expect("list incidents")
}

/// Rita opens a Borger.dk incident titled `title` with `/incident open`; its id.
async fn opened_by_rita(w: &World, d: &Arc<Dispatcher>, h: &Harness, title: &str) -> vakt::domain::ids::IncidentId {
    let v = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "open",
        &open_opts(title),
        None,
    );
    via_gateway(w, d, &v).await;
    let list = incidents(h).await;
    list.last().map(|i| i.id().clone()).expect("opened")
}

#[tokio::test]
async fn open_then_resolve_by_button_and_modal_over_the_gateway() {
    let w = World::new().await;
    let db = TempDb::new();
    let (h, d) = w.process(&db, "2026-11-23T09:00+01:00").await;

    let v = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "open",
        &open_opts("Login down"),
        None,
    );
    let cb = via_gateway(&w, &d, &v).await;
    assert_quiet(&cb);
    let list = incidents(&h).await;
    assert_eq!(list.len(), 1, "opened: {cb}");
    let id = list[0].id().clone();
    assert!(shown(&w, v["token"].as_str().unwrap_or_default(), &cb).contains(id.as_str()));

    // The scheduler posts the card and starts its thread.
    h.advance("2026-11-23T09:01+01:00").await;
    let cards = w.fake.messages(w.incidents);
    assert_eq!(cards.len(), 1);
    let card = cards[0].clone();
    assert_eq!(w.fake.threads().len(), 1);

    // Inside the thread the incident is implied.
    let v = w.slash(RITA, &[w.responders], card.id, "incident", "show", &[], None);
    let cb = via_gateway(&w, &d, &v).await;
    assert!(
        cb["data"]["embeds"][0]["title"]
            .as_str()
            .unwrap_or_default()
            .starts_with(id.as_str()),
        "show answers with the incident card: {cb}"
    );
    assert!(
        cb["data"]["content"].as_str().unwrap_or_default().contains(id.as_str()),
        "{cb}"
    );

    // Resolve button → modal.
    let v = w.button(RITA, &[w.responders], &custom_id::encode(CardAction::Resolve, &id));
    let cb = via_gateway(&w, &d, &v).await;
    assert_eq!(cb["type"], 9, "a modal: {cb}");
    assert!(cb["data"]["title"].as_str().unwrap_or_default().chars().count() <= 45);
    let modal_id = cb["data"]["custom_id"].as_str().unwrap_or_default().to_string();
    assert_eq!(
        custom_id::decode(&modal_id),
        Some((CardAction::ResolveModal, id.clone()))
    );
    // … submitted.
    let v = w.modal(
        RITA,
        &[w.responders],
        &modal_id,
        &[("note", "Restarted the login service"), ("workaround", "no")],
    );
    let cb = via_gateway(&w, &d, &v).await;
    assert_quiet(&cb);
    assert_eq!(h.incident(id.as_str()).await.state(), State::Resolved, "{cb}");
    h.advance("2026-11-23T09:05+01:00").await;
    let card = w.fake.message(card.id).expect("card");
    assert!(card.edits > 0, "the card was edited");
    let pending: Vec<_> = h
        .jobs_of(id.as_str())
        .await
        .into_iter()
        .filter(|j| j.state == JobState::Pending && j.kind.to_string().contains("breach"))
        .collect();
    assert!(pending.is_empty(), "breach jobs cancelled: {pending:?}");

    // A stale button on a closed incident answers ephemerally and changes nothing.
    h.service()
        .close(
            &vakt::service::Actor::new(MONA.to_string(), vec![w.managers.to_string()]),
            &id,
        )
        .await
        .expect("close");
    let before = h.timeline(id.as_str()).await.len();
    let v = w.button(RITA, &[w.responders], &custom_id::encode(CardAction::Acknowledge, &id));
    let cb = via_gateway(&w, &d, &v).await;
    assert_quiet(&cb);
    assert!(
        cb["data"]["content"].as_str().unwrap_or_default().contains("closed"),
        "{cb}"
    );
    assert_eq!(h.timeline(id.as_str()).await.len(), before);
    w.fake.assert_valid();
}

/// The Post update form takes the note and the structured fields (five inputs, the most a
/// modal holds); a bad ETA is refused ephemerally with nothing changed; the fields given
/// are kept with when, and the card shows each with its age (a relative timestamp).
#[tokio::test]
async fn the_update_form_takes_the_status_fields_and_the_card_shows_them_with_their_age() {
    let w = World::new().await;
    let db = TempDb::new();
    let (h, d) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let id = opened_by_rita(&w, &d, &h, "Login down").await;
    h.advance("2026-11-23T09:01+01:00").await;
    let card = w.fake.messages(w.incidents)[0].clone();

    // Post update → the form: note, area, affected, cause, ETA; none required.
    let v = w.button(RITA, &[w.responders], &custom_id::encode(CardAction::Update, &id));
    let cb = via_gateway(&w, &d, &v).await;
    assert_eq!(cb["type"], 9, "a modal: {cb}");
    let inputs: Vec<Value> = cb["data"]["components"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|row| row["components"][0].clone())
        .collect();
    let ids: Vec<&str> = inputs
        .iter()
        .map(|i| i["custom_id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["note", "area", "affected", "cause", "eta"]);
    for i in &inputs {
        assert_eq!(i["required"], false, "{i}");
        assert!(i["label"].as_str().unwrap_or_default().chars().count() <= 45, "{i}");
    }
    let modal_id = cb["data"]["custom_id"].as_str().unwrap_or_default().to_string();

    // A bad ETA: refused, ephemerally, naming the option; nothing recorded.
    let before = h.timeline(id.as_str()).await.len();
    let v = w.modal(
        RITA,
        &[w.responders],
        &modal_id,
        &[("note", "Looking"), ("area", "MitID login"), ("eta", "soonish")],
    );
    let cb = via_gateway(&w, &d, &v).await;
    assert_quiet(&cb);
    let text = shown(&w, v["token"].as_str().unwrap_or_default(), &cb);
    assert!(text.starts_with('✗') && text.contains("eta"), "{text}");
    assert_eq!(h.timeline(id.as_str()).await.len(), before, "nothing recorded");
    assert!(h.incident(id.as_str()).await.latest_fields().is_empty());

    // The fields alone (no note) are an update; an empty input is not a field.
    let given = h.now();
    let v = w.modal(
        RITA,
        &[w.responders],
        &modal_id,
        &[
            ("note", ""),
            ("area", "MitID login"),
            ("affected", "All citizens, about 40 %"),
            ("cause", " "),
            ("eta", "2026-11-23T12:00"),
        ],
    );
    let cb = via_gateway(&w, &d, &v).await;
    assert_quiet(&cb);
    let inc = h.incident(id.as_str()).await;
    let latest = inc.latest_fields();
    assert_eq!(latest.fields.area.as_deref(), Some("MitID login"), "{cb}");
    assert_eq!(latest.fields.affected.as_deref(), Some("All citizens, about 40 %"));
    assert_eq!(latest.fields.cause, None);
    assert_eq!(latest.fields.eta, Some(common::at("2026-11-23T12:00+01:00")));
    assert_eq!(latest.at[0], Some(given));

    // The card, edited, shows each with its age.
    h.advance("2026-11-23T09:20+01:00").await;
    let card = w.fake.message(card.id).expect("card");
    let fields = card.value["embeds"][0]["fields"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let status = fields
        .iter()
        .map(|f| f["value"].as_str().unwrap_or_default().to_string())
        .find(|v| v.contains("MitID login"))
        .unwrap_or_else(|| panic!("the card shows the area: {fields:?}"));
    let age = format!("<t:{}:R>", given.timestamp());
    assert!(status.contains("All citizens, about 40 %"), "{status}");
    assert_eq!(
        status.matches(&age).count(),
        3,
        "area, affected and ETA with their age: {status}"
    );
    assert!(
        status.contains(&common::at("2026-11-23T12:00+01:00").timestamp().to_string()),
        "{status}"
    );
    w.fake.assert_valid();
}

/// A follow-up's announcement carries a Done button (`vakt:done:<incident>:<follow-up>`):
/// Borger.dk's downtime follow-up (6) is announced at 09:45 in the thread with it; a member
/// without the responder role is refused ephemerally with nothing changed; Rita's press marks
/// it done like `/incident follow-up-done` (who and when in the timeline), so it is not
/// announced at its deadline; a second press is refused.
#[tokio::test]
async fn the_done_button_on_a_follow_up_announcement_marks_it_done() {
    let w = World::new().await;
    let db = TempDb::new();
    let (h, d) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let id = opened_by_rita(&w, &d, &h, "Login down").await;
    h.advance("2026-11-23T09:50+01:00").await;
    let card = w.fake.messages(w.incidents)[0].clone();
    let custom = custom_id::encode_done(&id, "downtime_1h").expect("fits");
    let with_button = |w: &World| {
        w.thread(&card)
            .into_iter()
            .filter(|m| m.value["components"][0]["components"][0]["custom_id"] == custom.as_str())
            .count()
    };
    assert_eq!(with_button(&w), 1, "the announcement ahead has the button");

    let press = |user: u64, roles: Vec<u64>| w.button(user, &roles, &custom);
    let before = h.timeline(id.as_str()).await.len();
    let v = press(OUTSIDER, vec![]);
    let cb = via_gateway(&w, &d, &v).await;
    assert_quiet(&cb);
    assert!(
        shown(&w, v["token"].as_str().unwrap_or_default(), &cb).starts_with('✗'),
        "{cb}"
    );
    assert_eq!(h.timeline(id.as_str()).await.len(), before, "nothing recorded");
    assert!(!h.incident(id.as_str()).await.follow_up_done("downtime_1h"));

    let v = press(RITA, vec![w.responders]);
    let cb = via_gateway(&w, &d, &v).await;
    assert_quiet(&cb);
    assert!(h.incident(id.as_str()).await.follow_up_done("downtime_1h"), "{cb}");
    let by: Vec<String> = h
        .timeline(id.as_str())
        .await
        .into_iter()
        .filter(|e| matches!(&e.event, vakt::domain::incident::Event::FollowUpDone { id } if id == "downtime_1h"))
        .map(|e| e.actor)
        .collect();
    assert_eq!(by, [RITA.to_string()]);

    let v = press(RITA, vec![w.responders]);
    let cb = via_gateway(&w, &d, &v).await;
    assert!(
        shown(&w, v["token"].as_str().unwrap_or_default(), &cb).starts_with('✗'),
        "done twice: {cb}"
    );

    h.advance("2026-11-23T10:30+01:00").await;
    assert_eq!(with_button(&w), 1, "not announced again at its deadline");
    w.fake.assert_valid();
}

#[tokio::test]
async fn bad_input_is_refused_ephemerally_and_changes_nothing() {
    let w = World::new().await;
    let db = TempDb::new();
    let (h, d) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let id = opened_by_rita(&w, &d, &h, "Login down").await;
    let timeline = h.timeline(id.as_str()).await.len();

    let long = "x".repeat(3000);
    let role = format!("<@&{}>", w.responders);
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "unknown incident",
            w.slash(
                RITA,
                &[w.responders],
                w.incidents,
                "incident",
                "ack",
                &[("id", json!("BDK-2026-9999"))],
                None,
            ),
            "BDK-2026-9999",
        ),
        (
            "illegal transition",
            w.slash(
                RITA,
                &[w.responders],
                w.incidents,
                "incident",
                "reopen",
                &[("id", json!(id.as_str())), ("reason", json!("again"))],
                None,
            ),
            "reopen",
        ),
        (
            "member without the role",
            w.slash(
                OUTSIDER,
                &[],
                w.incidents,
                "incident",
                "ack",
                &[("id", json!(id.as_str()))],
                None,
            ),
            &role,
        ),
        (
            "3000-character title",
            w.slash(
                RITA,
                &[w.responders],
                w.incidents,
                "incident",
                "open",
                &open_opts(&long),
                None,
            ),
            "title",
        ),
        (
            "no id outside a thread",
            w.slash(RITA, &[w.responders], w.incidents, "incident", "ack", &[], None),
            "id",
        ),
    ];
    for (what, v, names) in cases {
        let cb = via_gateway(&w, &d, &v).await;
        assert_quiet(&cb);
        let text = shown(&w, v["token"].as_str().unwrap_or_default(), &cb);
        assert!(text.starts_with('✗') && text.contains(names), "{what}: {text}");
    }
    assert_eq!(incidents(&h).await.len(), 1, "nothing opened");
    assert_eq!(h.incident(id.as_str()).await.state(), State::Open);
    assert_eq!(h.timeline(id.as_str()).await.len(), timeline, "nothing recorded");

    // A mention in a title is taken as text: the reply pings nobody.
    let v = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "open",
        &open_opts("@everyone <@&1> <@2> @here down"),
        None,
    );
    let cb = via_gateway(&w, &d, &v).await;
    assert_quiet(&cb);
    let text = shown(&w, v["token"].as_str().unwrap_or_default(), &cb);
    assert!(
        !text.contains("@everyone") && !text.contains("<@&1>"),
        "defused: {text}"
    );
    w.fake.assert_valid();
}

#[tokio::test]
async fn autocomplete_offers_the_agreements_own_values() {
    let w = World::new().await;
    let db = TempDb::new();
    let (h, d) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let v = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "open",
        &[("agreement", json!("borg"))],
        Some("agreement"),
    );
    let cb = via_gateway(&w, &d, &v).await;
    assert_eq!(cb["type"], 8, "{cb}");
    let values = |cb: &Value| -> Vec<String> {
        cb["data"]["choices"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c["value"].as_str().map(String::from)).collect())
            .unwrap_or_default()
    };
    assert_eq!(values(&cb), ["borger-dk"]);
    let v = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "open",
        &[("agreement", json!("borger-dk")), ("impact", json!(""))],
        Some("impact"),
    );
    let cb = via_gateway(&w, &d, &v).await;
    let impacts = values(&cb);
    assert!(
        impacts.contains(&"unavailable".to_string()) && impacts.len() <= 25,
        "{impacts:?}"
    );
    let names = cb["data"]["choices"].to_string();
    let borger = common::catalog().get("borger-dk").cloned().expect("borger-dk");
    let unavailable = borger.impacts.iter().find(|i| i.id == "unavailable").expect("impact");
    assert!(names.contains(&unavailable.name), "each level's description: {names}");

    let v = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "open",
        &open_opts("Login down"),
        None,
    );
    via_gateway(&w, &d, &v).await;
    let id = incidents(&h).await[0].id().to_string();
    let v = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "ack",
        &[("id", json!(""))],
        Some("id"),
    );
    assert_eq!(values(&via_gateway(&w, &d, &v).await), vec![id.clone()]);
    let v = w.slash(
        MONA,
        &[w.managers],
        w.incidents,
        "incident",
        "override",
        &[("id", json!(id)), ("priority", json!(""))],
        Some("priority"),
    );
    let cb = via_gateway(&w, &d, &v).await;
    assert_eq!(values(&cb), ["1", "2", "3", "4"]);
    assert!(cb["data"]["choices"].to_string().contains("Kritisk (Major)"));
    w.fake.assert_valid();
}

#[tokio::test]
async fn a_slow_answer_is_deferred_then_edits_the_original_response() {
    let w = World::new().await;
    let db = TempDb::new();
    let (h, _) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let d = Arc::new(Dispatcher::new(h.app.service.clone(), w.fake.http()).defer_after(Duration::ZERO));
    let v = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "open",
        &open_opts("Login down"),
        None,
    );
    let cb = via_gateway(&w, &d, &v).await;
    assert_eq!(cb["type"], 5, "deferred: {cb}");
    assert_eq!(cb["data"]["flags"], 64, "ephemeral: {cb}");
    let id = incidents(&h).await[0].id().clone();
    let text = shown(&w, v["token"].as_str().unwrap_or_default(), &cb);
    assert!(text.contains(id.as_str()), "the original response was edited: {text}");
    w.fake.assert_valid();
}

// ---------------------------------------------------------------------------------------
// The HTTP transport

/// `vakt serve`'s router on 127.0.0.1, with its signing key.
async fn endpoint(d: Arc<Dispatcher>) -> (std::net::SocketAddr, SigningKey) {
    let sk = SigningKey::from_bytes(&[42u8; 32]);
    let key = vakt::discord::serve::public_key(&hex::encode(sk.verifying_key().to_bytes())).expect("key");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (_tx, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let _keep = _tx;
        let _ = vakt::discord::serve::serve(listener, d, key, rx).await;
    });
    (addr, sk)
}

/// POSTs `body` with these signature headers; returns the status and the body.
async fn post(addr: std::net::SocketAddr, body: &str, sig: Option<(&str, &str)>) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut req = format!(
        "POST /interactions HTTP/1.1\r\nHost: vakt\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some((sig, ts)) = sig {
        req += &format!("X-Signature-Ed25519: {sig}\r\nX-Signature-Timestamp: {ts}\r\n");
    }
    req += "\r\n";
    req += body;
    s.write_all(req.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.expect("read");
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Unix seconds `offset` seconds from now, as Discord's `X-Signature-Timestamp` has it.
fn now_ts(offset: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    (now.cast_signed() + offset).to_string()
}

fn sign(sk: &SigningKey, ts: &str, body: &str) -> String {
    hex::encode(sk.sign(format!("{ts}{body}").as_bytes()).to_bytes())
}

#[tokio::test]
async fn the_http_endpoint_verifies_signatures_and_uses_the_same_handlers() {
    let w = World::new().await;
    let db = TempDb::new();
    let (h, d) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let (addr, sk) = endpoint(d).await;
    let ts: &str = &now_ts(0);

    // PING → PONG.
    let ping = json!({"id": w.id().to_string(), "application_id": APP_ID.to_string(), "type": 1,
                      "token": "tok-ping", "version": 1, "entitlements": [], "attachment_size_limit": 26_214_400});
    let body = ping.to_string();
    let (status, resp) = post(addr, &body, Some((&sign(&sk, ts, &body), ts))).await;
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_str::<Value>(&resp).ok(), Some(json!({"type": 1})));

    // A forged, a missing and a replayed-with-another-body signature: 401, nothing opened.
    let open = w
        .slash(
            RITA,
            &[w.responders],
            w.incidents,
            "incident",
            "open",
            &open_opts("Login down"),
            None,
        )
        .to_string();
    let forged = SigningKey::from_bytes(&[1u8; 32]);
    for sig in [
        Some(sign(&forged, ts, &open)),
        None,
        Some(sign(&sk, ts, &body)),
        Some("00".repeat(64)),
    ] {
        let (status, _) = post(addr, &open, sig.as_deref().map(|s| (s, ts))).await;
        assert_eq!(status, 401);
    }
    assert!(incidents(&h).await.is_empty(), "a bad signature changes nothing");

    // Signed: the same dispatcher opens it; the response body is the callback.
    let (status, resp) = post(addr, &open, Some((&sign(&sk, ts, &open), ts))).await;
    assert_eq!(status, 200, "{resp}");
    let cb: Value = serde_json::from_str(&resp).expect("json");
    assert_quiet(&cb);
    let list = incidents(&h).await;
    assert_eq!(list.len(), 1);
    assert!(
        cb["data"]["content"]
            .as_str()
            .unwrap_or_default()
            .contains(list[0].id().as_str())
    );

    // Bad input over HTTP too: a member without the role is refused ephemerally.
    let ack = w
        .slash(
            OUTSIDER,
            &[],
            w.incidents,
            "incident",
            "ack",
            &[("id", json!(list[0].id().as_str()))],
            None,
        )
        .to_string();
    let (_, resp) = post(addr, &ack, Some((&sign(&sk, ts, &ack), ts))).await;
    let cb: Value = serde_json::from_str(&resp).expect("json");
    assert_quiet(&cb);
    assert!(
        cb["data"]["content"].as_str().unwrap_or_default().starts_with('✗'),
        "{cb}"
    );
    assert_eq!(h.incident(list[0].id().as_str()).await.state(), State::Open);
}

/// A correctly signed interaction whose timestamp is not a number of seconds within five
/// minutes of now is refused; a signed interaction sent again (same id, body and signature)
/// is answered once: one incident, not two.
#[tokio::test]
async fn the_http_endpoint_refuses_stale_timestamps_and_replayed_interactions() {
    let w = World::new().await;
    let db = TempDb::new();
    let (h, d) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let (addr, sk) = endpoint(d).await;
    let open = w
        .slash(
            RITA,
            &[w.responders],
            w.incidents,
            "incident",
            "open",
            &open_opts("Login down"),
            None,
        )
        .to_string();
    for ts in [
        "978307200".to_string(),  // 2001
        "4102444800".to_string(), // 2100
        now_ts(-301),
        now_ts(301),
        "not-a-time".to_string(),
        String::new(),
    ] {
        let (status, body) = post(addr, &open, Some((&sign(&sk, &ts, &open), &ts))).await;
        assert_eq!(status, 401, "timestamp {ts:?}: {body}");
    }
    assert!(incidents(&h).await.is_empty(), "a refused timestamp changes nothing");

    let ts = now_ts(-60);
    let sig = sign(&sk, &ts, &open);
    let (status, body) = post(addr, &open, Some((&sig, &ts))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(incidents(&h).await.len(), 1);
    for _ in 0..2 {
        let (status, _) = post(addr, &open, Some((&sig, &ts))).await;
        assert_ne!(status, 200, "a replay is not answered again");
    }
    assert_eq!(incidents(&h).await.len(), 1, "a replay opens nothing");
}

/// A client that sends half its headers, or half its body, is cut off after the endpoint's
/// limits instead of holding the connection open.
#[tokio::test]
async fn the_http_endpoint_cuts_off_half_sent_requests() {
    let w = World::new().await;
    let db = TempDb::new();
    let (_h, d) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let sk = SigningKey::from_bytes(&[42u8; 32]);
    let key = vakt::discord::serve::public_key(&hex::encode(sk.verifying_key().to_bytes())).expect("key");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (_tx, rx) = tokio::sync::watch::channel(false);
    let limits = vakt::discord::serve::Limits {
        headers: Duration::from_millis(300),
        body: Duration::from_millis(300),
    };
    tokio::spawn(vakt::discord::serve::serve_with(listener, d, key, limits, rx));

    let half_headers = "POST /interactions HTTP/1.1\r\nHost: vakt\r\nContent-Type: appl";
    let half_body = "POST /interactions HTTP/1.1\r\nHost: vakt\r\nContent-Length: 100\r\n\r\n{\"type\":";
    for (what, sent) in [("headers", half_headers), ("body", half_body)] {
        let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
        s.write_all(sent.as_bytes()).await.expect("write");
        let mut out = Vec::new();
        // Generous against a slow machine; without a limit the read never ends.
        let read = tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut out)).await;
        assert!(read.is_ok(), "half-sent {what}: the connection is still held open");
        if what == "body" {
            let text = String::from_utf8_lossy(&out);
            assert!(text.starts_with("HTTP/1.1 408"), "{text}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Registration and the gateway's leader

#[tokio::test]
async fn commands_register_in_the_guild_and_globally_in_discords_shape() {
    use vakt::discord::commands::{Scope, register};
    let w = World::new().await;
    let http = w.fake.http();
    let n = register(&http, Scope::Guild(GUILD_ID), false).await.expect("guild");
    assert_eq!(n, vakt::commands::groups().len());
    // Registering again replaces (bulk overwrite), it does not add.
    register(&http, Scope::Guild(GUILD_ID), false).await.expect("again");
    register(&http, Scope::Global, true).await.expect("global");
    let (guild, global) = w.fake.commands();
    assert_eq!(guild.len(), n, "{guild:?}");
    assert_eq!(global.len(), n);
    w.fake.assert_valid();
}

/// The lease's fencing, on the database's own statements with the replicas' clocks given: A
/// takes the gateway and renews once, then its database is gone; B, whose clock runs the
/// allowed skew ahead, tries every 100 ms and takes it only once A has stopped its gateway
/// (A's last renewal + its hold + its stop budget). Then A cannot renew, and a lease given up
/// is taken at once.
async fn the_gateway_lease_is_never_held_twice(backend: crate::common::backends::Backend) {
    let _store = backend.open().await;
    let (a, b) = (backend.lease("replica-a"), backend.lease("replica-b"));
    let t = a.timing();
    let ms = |d: Duration| chrono::Duration::milliseconds(i64::try_from(d.as_millis()).expect("ms"));
    let t0 = common::at("2026-11-23T09:00+01:00");
    assert!(a.take_at(t0).await.expect("take"));
    assert!(!b.take_at(t0 + ms(t.skew)).await.expect("take"), "held");
    let renewed = t0 + ms(t.renew);
    assert!(a.renew_at(renewed).await.expect("renew"));
    // A's gateway is stopped by then at the latest (A's clock).
    let a_stopped = renewed + ms(t.hold()) + ms(t.stop_budget());
    let mut took = None;
    for step in 0..400 {
        let now = t0 + chrono::Duration::milliseconds(100 * step);
        if b.take_at(now + ms(t.skew)).await.expect("take") {
            took = Some(now);
            break;
        }
    }
    let took = took.expect("B takes the gateway over once A's lease expired");
    assert!(
        took >= a_stopped,
        "B took the gateway at {took}, before A had stopped at {a_stopped}"
    );
    assert!(!a.renew_at(took).await.expect("renew"), "A's lease is B's now");
    b.give_up().await.expect("give up");
    assert!(
        a.take_at(took).await.expect("take"),
        "a lease given up is taken at once"
    );
}

/// The replicas' leader locks over the lease: one holds the gateway, the other waits; the
/// holder finds out when its lease was taken (its renewal says so) and gives up; one that
/// gives the lease up hands it on at once.
async fn a_replica_waits_for_the_gateway_and_takes_it_over(backend: crate::common::backends::Backend) {
    use vakt::service::ports::LeaderLock;
    use vakt::storage::leader::{Leader, Timing};
    let _store = backend.open().await;
    let timing = Timing {
        retry: Duration::from_millis(100),
        renew: Duration::from_millis(200),
        ..Timing::default()
    };
    let replica = |name: &str| Leader::Lease(Box::new(backend.lease(name).with_timing(timing)));
    let (a, b) = (replica("replica-a"), replica("replica-b"));
    let held = a.try_acquire().await.expect("try").expect("the first takes it");
    assert!(b.try_acquire().await.expect("try").is_none(), "the second does not");
    let (_stop, mut rx) = tokio::sync::watch::channel(false);
    let waiting = tokio::spawn(async move { gateway::acquire(&b, &mut rx).await });
    tokio::task::yield_now().await;
    assert!(!waiting.is_finished());
    // The holder stops and gives the lease up: the other replica takes over.
    held.release().await;
    let took = tokio::time::timeout(Duration::from_secs(20), waiting)
        .await
        .expect("the other replica takes over")
        .expect("task")
        .expect("leadership");
    assert!(
        a.try_acquire().await.expect("try").is_none(),
        "not back while the other holds it"
    );

    // The lease taken from under its holder (as if it had expired): the holder's next
    // renewal finds out and it gives the gateway up.
    let mut took = took;
    let intruder = backend.lease("replica-c");
    assert!(
        intruder
            .take_at(chrono::Utc::now() + chrono::Duration::hours(1))
            .await
            .expect("take")
    );
    tokio::time::timeout(Duration::from_secs(20), took.lost())
        .await
        .expect("the holder finds out it lost the lease");
}

/// Waits until `done`, generously (20 s); panics saying `what` did not happen.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..400 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what}");
}

/// A leader whose lease is taken from it (as when it could not renew in time) stops its
/// gateway: the websocket gets a close frame, and the replica is no longer the leader.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_that_lost_its_lease_closes_its_gateway() {
    use vakt::service::health::ChatState;
    use vakt::storage::leader::{Leader, Lease, Timing};
    let w = World::new().await;
    let db = TempDb::new();
    let (_h, d) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let (base, sessions) = fake_gateway(false).await;
    let settings = vakt::discord::DiscordSettings {
        api_base: base,
        ..w.fake.settings()
    };
    let timing = Timing {
        renew: Duration::from_millis(200),
        retry: Duration::from_millis(200),
        ..Timing::default()
    };
    let leader = Leader::Lease(Box::new(Lease::sqlite_file(&db.path, "replica-a").with_timing(timing)));
    let monitor = Arc::new(vakt::service::health::Monitor::silent(Duration::from_secs(1)));
    let (stop, rx) = tokio::sync::watch::channel(false);
    let handler_monitor = monitor.clone();
    let running = tokio::spawn(async move {
        gateway::run(
            settings,
            &leader,
            move || gateway::Handler::new(d.clone(), None, true).with_monitor(handler_monitor.clone()),
            rx,
        )
        .await
    });
    until("the leader connects", || monitor.chat() == ChatState::Connected).await;
    let intruder = Lease::sqlite_file(&db.path, "replica-b");
    assert!(
        intruder
            .take_at(chrono::Utc::now() + chrono::Duration::hours(1))
            .await
            .expect("take")
    );
    until("the websocket is closed with a close frame", || {
        sessions.lock().expect("sessions").first().and_then(|s| s.closed_with) == Some(1000)
    })
    .await;
    until("no longer the leader", || !monitor.chat().leads()).await;
    stop.send(true).expect("stop");
    tokio::time::timeout(Duration::from_secs(30), running)
        .await
        .expect("the gateway stops")
        .expect("task")
        .expect("a clean stop");
}

mod gateway_lease {
    use super::{a_replica_waits_for_the_gateway_and_takes_it_over, the_gateway_lease_is_never_held_twice};
    crate::common::backends::on_backends!(
        the_gateway_lease_is_never_held_twice,
        a_replica_waits_for_the_gateway_and_takes_it_over
    );
}

/// Each interaction is counted by command (autocomplete by its kind) with the time to its
/// first answer in a histogram, for `/metrics`.
#[tokio::test]
async fn interactions_are_counted_by_command_with_their_latency() {
    let w = World::new().await;
    let db = TempDb::new();
    let (h, _) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let exporter = Arc::new(vakt::ops::Exporter::new());
    let monitor = Arc::new(vakt::service::health::Monitor::new(
        Duration::from_secs(1),
        exporter.clone(),
    ));
    let d = Arc::new(Dispatcher::new(h.app.service.clone(), w.fake.http()).with_monitor(monitor));
    let open = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "open",
        &open_opts("Login down"),
        None,
    );
    via_gateway(&w, &d, &open).await;
    let complete = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "open",
        &[("agreement", json!("borg"))],
        Some("agreement"),
    );
    via_gateway(&w, &d, &complete).await;
    let text = exporter.encode().expect("encode");
    assert!(
        text.contains("vakt_interactions_total{command=\"incident\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("vakt_interactions_total{command=\"autocomplete\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("vakt_interaction_duration_seconds_count{command=\"incident\"} 1"),
        "{text}"
    );
}

/// A gateway that says Hello, reads the Identify and closes with `code`; counts connections.
async fn closing_gateway(code: u16) -> (String, Arc<AtomicU64>) {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::protocol::CloseFrame;
    let ws = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let ws_url = format!("ws://{}", ws.local_addr().expect("addr"));
    let bot_url = ws_url.clone();
    let connections = Arc::new(AtomicU64::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = ws.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let Ok(mut socket) = tokio_tungstenite::accept_async(stream).await else {
                    return;
                };
                let hello = json!({"op": 10, "d": {"heartbeat_interval": 41_250}, "s": null, "t": null});
                let _ = socket.send(Message::Text(hello.to_string())).await;
                let _ = socket.next().await; // the Identify
                let close = CloseFrame {
                    code: code.into(),
                    reason: "closed by the fake".into(),
                };
                let _ = socket.send(Message::Close(Some(close))).await;
                while socket.next().await.is_some() {}
            });
        }
    });
    (gateway_rest(&bot_url).await, connections)
}

/// A REST server that says the gateway is at `ws_url`; its base.
async fn gateway_rest(ws_url: &str) -> String {
    let bot = json!({"url": ws_url, "shards": 1, "session_start_limit":
        {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}});
    let gateway = json!({"url": ws_url});
    let app = axum::Router::new()
        .route(
            "/api/v10/gateway/bot",
            axum::routing::get(move || {
                let bot = bot.clone();
                async move { axum::Json(bot) }
            }),
        )
        .route(
            "/api/v10/gateway",
            axum::routing::get(move || {
                let gateway = gateway.clone();
                async move { axum::Json(gateway) }
            }),
        );
    let rest = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", rest.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(rest, app).await });
    base
}

/// What a [`reidentifying_gateway`] saw of one connection.
#[derive(Debug, Clone, Default)]
struct Session {
    identified: bool,
    /// The close code the bot sent, if it closed with a close frame.
    closed_with: Option<u16>,
}

/// A gateway that answers each Identify with READY, then invalidates the first session (op 9,
/// not resumable), which makes serenity restart the shard and identify again; records each
/// connection.
async fn reidentifying_gateway() -> (String, Arc<std::sync::Mutex<Vec<Session>>>) {
    fake_gateway(true).await
}

/// A gateway that answers each Identify with READY (invalidating the first session when
/// `invalidate_first`); records each connection.
async fn fake_gateway(invalidate_first: bool) -> (String, Arc<std::sync::Mutex<Vec<Session>>>) {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let ws = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let ws_url = format!("ws://{}", ws.local_addr().expect("addr"));
    let sessions = Arc::new(std::sync::Mutex::new(Vec::<Session>::new()));
    let seen = sessions.clone();
    let resume_url = ws_url.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = ws.accept().await {
            let n = {
                let mut s = seen.lock().expect("sessions");
                s.push(Session::default());
                s.len() - 1
            };
            let (seen, resume_url) = (seen.clone(), resume_url.clone());
            tokio::spawn(async move {
                let Ok(mut socket) = tokio_tungstenite::accept_async(stream).await else {
                    return;
                };
                let hello = json!({"op": 10, "d": {"heartbeat_interval": 41_250}, "s": null, "t": null});
                let _ = socket.send(Message::Text(hello.to_string())).await;
                while let Some(Ok(msg)) = socket.next().await {
                    match msg {
                        Message::Text(t) => {
                            let v: Value = serde_json::from_str(&t).unwrap_or_default();
                            if v["op"] != 2 {
                                continue;
                            }
                            seen.lock().expect("sessions")[n].identified = true;
                            let user = json!({"id": APP_ID.to_string(), "username": "vakt", "discriminator": "0",
                                "avatar": null, "bot": true, "global_name": null});
                            let ready = json!({"op": 0, "t": "READY", "s": 1, "d": {
                                "v": 10, "user": user, "guilds": [], "session_id": format!("session-{n}"),
                                "resume_gateway_url": resume_url, "shard": [0, 1],
                                "application": {"id": APP_ID.to_string(), "flags": 0}}});
                            let _ = socket.send(Message::Text(ready.to_string())).await;
                            if n == 0 && invalidate_first {
                                let invalid = json!({"op": 9, "d": false, "s": null, "t": null});
                                let _ = socket.send(Message::Text(invalid.to_string())).await;
                            }
                        }
                        Message::Close(frame) => {
                            seen.lock().expect("sessions")[n].closed_with = frame.map(|f| u16::from(f.code));
                            let _ = socket.close(None).await;
                            break;
                        }
                        _ => {}
                    }
                }
            });
        }
    });
    (gateway_rest(&ws_url).await, sessions)
}

/// After serenity re-identified (a restart of the shard, which leaves a stale shutdown
/// notification in serenity's manager), stopping the gateway still closes the websocket with a
/// close frame; the leader and connection gauges follow the gateway.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_after_a_reidentify_closes_the_websocket_with_a_close_frame() {
    let w = World::new().await;
    let db = TempDb::new();
    let (_h, d) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let (base, sessions) = reidentifying_gateway().await;
    let settings = vakt::discord::DiscordSettings {
        api_base: base,
        ..w.fake.settings()
    };
    let exporter = Arc::new(vakt::ops::Exporter::new());
    let monitor = Arc::new(vakt::service::health::Monitor::new(
        Duration::from_secs(1),
        exporter.clone(),
    ));
    let (stop, rx) = tokio::sync::watch::channel(false);
    let handler_monitor = monitor.clone();
    let running = tokio::spawn(async move {
        gateway::run(
            settings,
            &vakt::storage::leader::Leader::Always,
            move || gateway::Handler::new(d.clone(), None, true).with_monitor(handler_monitor.clone()),
            rx,
        )
        .await
    });
    let gauges = || {
        let text = exporter.encode().expect("encode");
        let value = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name).and_then(|v| v.trim().parse::<i64>().ok()))
                .unwrap_or(-1)
        };
        (value("vakt_gateway_connected "), value("vakt_leader "))
    };
    // serenity waits out its own 5 s when it restarts a shard.
    until("serenity re-identifies", || {
        let s = sessions.lock().expect("sessions");
        s.len() >= 2 && s[1].identified && monitor.chat() == vakt::service::health::ChatState::Connected
    })
    .await;
    assert_eq!(gauges(), (1, 1), "connected, leader");
    stop.send(true).expect("stop");
    tokio::time::timeout(Duration::from_secs(30), running)
        .await
        .expect("the gateway stops")
        .expect("task")
        .expect("a clean stop");
    let s = sessions.lock().expect("sessions").clone();
    assert_eq!(s.last().and_then(|s| s.closed_with), Some(1000), "{s:?}");
    // The handler goes with the client: no longer the leader.
    until("stopped: neither connected nor leader", || gauges() == (0, 0)).await;
}

/// A rejected token (close 4004) and rejected intents (4013, 4014) stop the gateway with an
/// error naming the code, after one connection, instead of reconnecting for ever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fatal_gateway_close_stops_the_gateway_with_its_code() {
    let w = World::new().await;
    let db = TempDb::new();
    let (_h, d) = w.process(&db, "2026-11-23T09:00+01:00").await;
    for code in [4004u16, 4013, 4014] {
        let (base, connections) = closing_gateway(code).await;
        let settings = vakt::discord::DiscordSettings {
            api_base: base,
            ..w.fake.settings()
        };
        let (_stop, rx) = tokio::sync::watch::channel(false);
        let d = d.clone();
        let ran = tokio::time::timeout(
            Duration::from_secs(60),
            gateway::run(
                settings,
                &vakt::storage::leader::Leader::Always,
                move || gateway::Handler::new(d.clone(), None, true),
                rx,
            ),
        )
        .await
        .expect("the gateway stops instead of reconnecting");
        let err = ran.expect_err("a fatal close is an error");
        assert!(err.to_string().contains(&code.to_string()), "{err}");
        assert_eq!(connections.load(Ordering::SeqCst), 1, "close {code}: connected once");
    }
}

/// `vakt serve` logging at trace level never writes an interaction's token, though serenity
/// uses it in the path of every follow-up it sends (a long answer's further pages).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interaction_tokens_never_reach_the_log_even_at_trace() {
    let w = World::new().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let sk = SigningKey::from_bytes(&[42u8; 32]);
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let config = format!(
        "{}\n[discord]\napi_base = \"{}\"\napplication_id = \"{APP_ID}\"\npublic_key = \"{}\"\nlisten = \"127.0.0.1:{port}\"\n",
        w.config,
        w.fake.base(),
        hex::encode(sk.verifying_key().to_bytes()),
    );
    std::fs::write(dir.path().join("vakt.toml"), config).expect("write vakt.toml");
    let log = dir.path().join("vakt.log");
    // Borger.dk alone: the world maps only its channels and roles onto the guild.
    let agreements = dir.path().join("agreements");
    std::fs::create_dir(&agreements).expect("mkdir");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("agreements/borger-dk.toml"),
        agreements.join("borger-dk.toml"),
    )
    .expect("copy");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vakt"))
        .current_dir(dir.path())
        .arg("serve")
        .env("VAKT_AGREEMENTS", &agreements)
        .env("VAKT_CONFIG", dir.path().join("vakt.toml"))
        .env(
            "VAKT_DATABASE_URL",
            format!("sqlite://{}", dir.path().join("vakt.db").display()),
        )
        .env("DISCORD_TOKEN", discord_fake::TOKEN)
        .env("VAKT_LOG", "trace")
        .env("RUST_LOG", "trace")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("start vakt serve");
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
    let mut up = false;
    for _ in 0..300 {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let token = "planted-interaction-token-5f1d0c";
    let mut explain = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "sla",
        "explain",
        &[("agreement", json!("borger-dk"))],
        None,
    );
    explain["token"] = json!(token);
    let body = explain.to_string();
    let ts = now_ts(0);
    let (status, resp) = if up {
        post(addr, &body, Some((&sign(&sk, &ts, &body), &ts))).await
    } else {
        (0, String::new())
    };
    let mut followed = false;
    for _ in 0..200 {
        if !w.fake.webhook_messages(token).is_empty() {
            followed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Let the follow-ups' own log lines be written.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(&log).expect("read log");
    assert!(up, "vakt serve did not listen:\n{text}");
    assert_eq!(status, 200, "{resp}");
    assert!(followed, "the answer's further pages were sent with the token:\n{text}");
    assert!(text.contains("TRACE"), "logging ran at trace level");
    let leaks: Vec<&str> = text.lines().filter(|l| l.contains(token)).collect();
    assert!(
        leaks.is_empty(),
        "the interaction token was logged:\n{}",
        leaks.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// Interactions delivered more than once

/// Two replicas of vakt on one database (each its own service and dispatcher), as during a
/// leader hand-over or behind a load balancer.
fn replicas(w: &World, backend: &crate::common::backends::Backend, store: Arc<dyn Store>) -> Vec<vakt::app::App> {
    let catalog = Arc::new(common::catalog());
    let config = Arc::new(common::config(backend.dir(), Some(&w.config), &catalog));
    let clock = Arc::new(vakt::console::clock::FakeClock::new(common::at(
        "2026-11-23T09:00+01:00",
    )));
    ["runner-1", "runner-2"]
        .into_iter()
        .map(|runner| {
            vakt::app::wire(
                config.clone(),
                catalog.clone(),
                clock.clone(),
                w.chat_in(backend.dir()),
                store.clone(),
                runner,
            )
        })
        .collect()
}

/// The same `/incident open` delivered again — to both gateway sessions at once, again after
/// a resume, and to two replicas of the interactions endpoint — is taken on once: one
/// incident, one card, one answer per delivery path.
async fn an_interaction_delivered_again_is_taken_on_once(backend: crate::common::backends::Backend) {
    let w = World::new().await;
    let store = backend.open().await;
    let apps = replicas(&w, &backend, store.clone());
    let dispatchers: Vec<Arc<Dispatcher>> = apps
        .iter()
        .map(|a| Arc::new(Dispatcher::new(a.service.clone(), w.fake.http())))
        .collect();
    let open = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "open",
        &open_opts("Login down"),
        None,
    );
    let http = w.fake.http();
    tokio::join!(
        gateway::respond(&dispatchers[0], &http, parse(&open)),
        gateway::respond(&dispatchers[1], &http, parse(&open)),
    );
    gateway::respond(&dispatchers[1], &http, parse(&open)).await;
    let token = open["token"].as_str().expect("token");
    let answers = w.fake.callbacks().into_iter().filter(|(t, _)| t == token).count();
    assert_eq!(answers, 1, "one delivery answers, the others send nothing");
    assert_eq!(store.incidents(&Default::default()).await.expect("list").len(), 1);

    // The endpoint: the same signed body at two replicas behind a load balancer.
    let (a, sk) = endpoint(dispatchers[0].clone()).await;
    let (b, _) = endpoint(dispatchers[1].clone()).await;
    let again = w
        .slash(
            RITA,
            &[w.responders],
            w.incidents,
            "incident",
            "open",
            &open_opts("Payments down"),
            None,
        )
        .to_string();
    let ts = now_ts(0);
    let sig = sign(&sk, &ts, &again);
    let (first, second) = tokio::join!(post(a, &again, Some((&sig, &ts))), post(b, &again, Some((&sig, &ts))));
    let mut statuses = [first.0, second.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{first:?} {second:?}");
    assert_eq!(store.incidents(&Default::default()).await.expect("list").len(), 2);

    // One card each: both replicas' schedulers run the jobs.
    for app in &apps {
        app.scheduler.tick(app.clock.now()).await.expect("tick");
    }
    let cards = w.fake.messages(w.incidents);
    assert_eq!(cards.len(), 2, "{cards:?}");
}

/// An interaction remembered for its life is forgotten after it, and two replicas claiming
/// the same id at once get it once between them.
async fn interaction_ids_are_claimed_once_for_their_life(backend: crate::common::backends::Backend) {
    let store = backend.open().await;
    let t0 = common::at("2026-11-23T09:00+01:00");
    let life = chrono::Duration::minutes(15);
    let claims = futures_util::future::join_all((0..8).map(|_| store.claim_interaction("77", t0, t0 + life))).await;
    let firsts = claims.into_iter().map(|c| c.expect("claim")).filter(|c| *c).count();
    assert_eq!(firsts, 1, "claimed once between concurrent deliveries");
    let later = t0 + chrono::Duration::minutes(14);
    assert!(!store.claim_interaction("77", later, later + life).await.expect("claim"));
    assert!(store.claim_interaction("78", later, later + life).await.expect("claim"));
    let expired = t0 + life;
    assert!(
        store
            .claim_interaction("77", expired, expired + life)
            .await
            .expect("claim"),
        "forgotten once expired"
    );
}

mod delivered_again {
    use super::{an_interaction_delivered_again_is_taken_on_once, interaction_ids_are_claimed_once_for_their_life};
    crate::common::backends::on_backends!(
        an_interaction_delivered_again_is_taken_on_once,
        interaction_ids_are_claimed_once_for_their_life
    );
}

// ---------------------------------------------------------------------------------------
// A database that does not answer

/// The callback the fake recorded for `v`'s token, once there is one (within a generous
/// limit: the answer must not wait on the store, which never answers here).
async fn callback_of(w: &World, v: &Value) -> Value {
    let token = v["token"].as_str().unwrap_or_default().to_string();
    for _ in 0..400 {
        if let Some((_, body)) = w.fake.callbacks().into_iter().find(|(t, _)| *t == token) {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no answer for {token} while the store hangs");
}

/// With the store hanging, the Acknowledge and Escalate buttons are deferred, Post update
/// opens its form and autocomplete answers from the agreements (incident ids need the store:
/// none offered) — every one answered before the store says anything; the deferred
/// acknowledgement is carried out once the store answers again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buttons_and_autocomplete_are_answered_while_the_store_hangs() {
    use crate::ops::{HANGING, Switchable, UP};
    let w = World::new().await;
    let db = TempDb::new();
    let (h, _) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let store = Arc::new(Switchable {
        inner: h.app.store.clone(),
        mode: std::sync::atomic::AtomicU8::new(UP),
    });
    let app = vakt::app::wire(
        h.app.config.clone(),
        h.app.catalog.clone(),
        h.app.clock.clone(),
        w.chat(&db),
        store.clone(),
        "runner-2",
    );
    let d = Arc::new(Dispatcher::new(app.service.clone(), w.fake.http()));
    let open = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "open",
        &open_opts("Login down"),
        None,
    );
    via_gateway(&w, &d, &open).await;
    let id = incidents(&h).await[0].id().clone();

    store.mode.store(HANGING, Ordering::SeqCst);
    let http = w.fake.http();
    let deliver = |v: &Value| {
        let (d, http, i) = (d.clone(), http.clone(), parse(v));
        tokio::spawn(async move { gateway::respond(&d, &http, i).await })
    };
    let ack = w.button(RITA, &[w.responders], &custom_id::encode(CardAction::Acknowledge, &id));
    let acked = deliver(&ack);
    let escalate = w.button(RITA, &[w.responders], &custom_id::encode(CardAction::Escalate, &id));
    let _escalated = deliver(&escalate);
    let update = w.button(RITA, &[w.responders], &custom_id::encode(CardAction::Update, &id));
    let _updated = deliver(&update);
    let ids = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "ack",
        &[("id", json!(""))],
        Some("id"),
    );
    let _ids = deliver(&ids);
    let agreements = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "open",
        &[("agreement", json!("borg"))],
        Some("agreement"),
    );
    let _agreements = deliver(&agreements);

    assert_eq!(callback_of(&w, &ack).await["type"], 5, "deferred");
    assert_eq!(callback_of(&w, &escalate).await["type"], 5, "deferred");
    assert_eq!(callback_of(&w, &update).await["type"], 9, "the form opens");
    let cb = callback_of(&w, &ids).await;
    assert_eq!(cb["type"], 8, "{cb}");
    assert_eq!(cb["data"]["choices"], json!([]), "{cb}");
    let cb = callback_of(&w, &agreements).await;
    assert_eq!(cb["data"]["choices"][0]["value"], "borger-dk", "{cb}");
    assert_eq!(incidents(&h).await[0].state(), State::Open, "nothing acted yet");

    store.mode.store(UP, Ordering::SeqCst);
    tokio::time::timeout(Duration::from_secs(20), acked)
        .await
        .expect("the deferred answer follows")
        .expect("task");
    assert_eq!(incidents(&h).await[0].state(), State::Acknowledged);
    let token = ack["token"].as_str().expect("token");
    assert!(!w.fake.webhook_messages(token).is_empty(), "the deferral was edited");
}

// ---------------------------------------------------------------------------------------
// A list's Previous and Next buttons

/// One page of an incident list as Discord shows it (an answer's `data`, or the message as
/// edited): the incident ids of its lines in order, and its Previous and Next buttons
/// (custom id, enabled).
struct ListShown {
    ids: Vec<String>,
    previous: (String, bool),
    next: (String, bool),
}

fn list_shown(data: &Value) -> ListShown {
    let lines = data["embeds"][0]["description"].as_str().unwrap_or_default();
    let ids = lines
        .lines()
        .filter_map(|l| {
            l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .find(|t| t.starts_with("BDK-"))
                .map(str::to_string)
        })
        .collect();
    let button = |i: usize| {
        let b = &data["components"][0]["components"][i];
        assert_eq!(b["type"], 2, "a button: {data}");
        (
            b["custom_id"].as_str().unwrap_or_default().to_string(),
            b["disabled"] != true,
        )
    };
    ListShown {
        ids,
        previous: button(0),
        next: button(1),
    }
}

/// Rita opens `n` Borger.dk incidents of mixed priorities by `/incident open`; the active
/// list as the service orders it (priority, then next deadline, then oldest, then id).
async fn many_opened(w: &World, d: &Arc<Dispatcher>, h: &Harness, n: usize) -> Vec<String> {
    many_titled(w, d, h, n, |k| format!("Case {k}")).await
}

/// [`many_opened`] with the titles `title` gives.
async fn many_titled(
    w: &World,
    d: &Arc<Dispatcher>,
    h: &Harness,
    n: usize,
    title: impl Fn(usize) -> String,
) -> Vec<String> {
    let impacts = ["minimal", "functions", "unavailable", "must_fix"];
    for k in 0..n {
        let opts = vec![
            ("agreement", json!("borger-dk")),
            ("title", json!(title(k))),
            ("impact", json!(impacts[k % impacts.len()])),
        ];
        let v = w.slash(RITA, &[w.responders], w.incidents, "incident", "open", &opts, None);
        via_gateway(w, d, &v).await;
    }
    let listed = h
        .service()
        .list(None, vakt::service::ListScope::Active)
        .await
        .expect("list");
    assert_eq!(listed.len(), n, "all opened");
    listed.iter().map(|v| v.summary.id.to_string()).collect()
}

/// `/incident list` over more than a page answers its first 25 incidents with Next enabled
/// and Previous disabled; Next replaces the list in its message (UPDATE_MESSAGE) with page 2,
/// whose Previous is enabled and whose Next, on the last page, is not; Previous goes back.
/// The pages are the store's order cut in 25s: nothing twice, nothing left out. The buttons
/// carry the list's filters, so a filtered list pages through the same filters.
#[tokio::test]
async fn a_long_list_pages_in_place_with_its_previous_and_next_buttons() {
    let w = World::new().await;
    let db = TempDb::new();
    let (h, d) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let all = many_opened(&w, &d, &h, 31).await;
    let mut priorities = Vec::new();
    for id in &all {
        priorities.push(h.incident(id).await.priority().to_string());
    }
    assert!(
        priorities.is_sorted(),
        "the store's order is by priority first: {priorities:?}"
    );
    assert!(
        priorities.first() != priorities.last(),
        "of mixed priorities: {priorities:?}"
    );

    let v = w.slash(RITA, &[w.responders], w.incidents, "incident", "list", &[], None);
    let cb = via_gateway(&w, &d, &v).await;
    assert_eq!(cb["type"], 4, "{cb}");
    assert_quiet(&cb);
    let first = list_shown(&cb["data"]);
    assert_eq!(first.ids, all[..25], "page 1 is the first 25 in the store's order");
    assert!(!first.previous.1, "no page before the first: {cb}");
    assert!(first.next.1, "a page follows: {cb}");
    assert_ne!(first.previous.0, first.next.0, "custom ids differ within a message");

    let v = w.button(RITA, &[w.responders], &first.next.0);
    let cb = via_gateway(&w, &d, &v).await;
    assert_eq!(cb["type"], 7, "the list is replaced in place: {cb}");
    assert_eq!(cb["data"]["allowed_mentions"]["parse"], json!([]), "{cb}");
    let second = list_shown(&cb["data"]);
    assert_eq!(second.ids, all[25..], "page 2 is the rest");
    assert!(second.previous.1, "page 1 is before: {cb}");
    assert!(!second.next.1, "the last page: {cb}");
    let mut seen = first.ids.clone();
    seen.extend(second.ids.clone());
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "nothing twice");
    assert_eq!(seen, all, "nothing left out, in order");

    let v = w.button(RITA, &[w.responders], &second.previous.0);
    let cb = via_gateway(&w, &d, &v).await;
    assert_eq!(cb["type"], 7, "{cb}");
    let back = list_shown(&cb["data"]);
    assert_eq!(back.ids, first.ids, "back to page 1");
    assert!(!back.previous.1 && back.next.1, "{cb}");

    // A filtered list: its buttons name the filters, and the next page keeps them.
    let v = w.slash(
        RITA,
        &[w.responders],
        w.incidents,
        "incident",
        "list",
        &[
            ("agreement", json!("borger-dk")),
            ("scope", json!("all")),
            ("type", json!("incident")),
        ],
        None,
    );
    let cb = via_gateway(&w, &d, &v).await;
    let filtered = list_shown(&cb["data"]);
    assert_eq!(filtered.ids.len(), 25, "{cb}");
    assert_eq!(
        custom_id::decode_list(&filtered.next.0),
        Some(custom_id::ListQuery {
            scope: vakt::service::ListScope::All,
            page: 2,
            agreement: Some("borger-dk".into()),
            case_type: Some("incident".into()),
        })
    );
    let v = w.button(RITA, &[w.responders], &filtered.next.0);
    let cb = via_gateway(&w, &d, &v).await;
    assert_eq!(cb["type"], 7, "{cb}");
    let rest = list_shown(&cb["data"]);
    assert_eq!(rest.ids.len(), 6, "{cb}");
    assert!(rest.ids.iter().all(|id| !filtered.ids.contains(id)), "no overlap");
    assert_eq!(
        custom_id::decode_list(&rest.previous.0).map(|q| (q.page, q.agreement, q.case_type)),
        Some((1, Some("borger-dk".into()), Some("incident".into())))
    );
    w.fake.assert_valid();
}

/// The same interaction without a server member: a direct message's (`user`, no `member`).
fn in_direct_message(mut v: Value) -> Value {
    let user = v["member"]["user"].clone();
    let o = v.as_object_mut().expect("object");
    o.remove("member");
    o.remove("guild_id");
    o.insert("user".into(), user);
    o.insert("context".into(), json!(1));
    v
}

/// A list button with a custom id that is not one vakt makes is refused ephemerally and
/// leaves the list alone (no update); a press by someone the command refuses (outside a
/// server) gets the command's own refusal, ephemerally, and no update; whoever the command
/// lets list (a member without a role too) may page.
#[tokio::test]
async fn list_buttons_refuse_malformed_ids_and_whom_the_command_refuses() {
    let w = World::new().await;
    let db = TempDb::new();
    let (h, d) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let all = many_opened(&w, &d, &h, 27).await;
    let timeline = h.timeline(&all[0]).await.len();

    for bad in [
        "vakt:list:active:0::",
        "vakt:list:active:02::",
        "vakt:list:active:2:Borger-DK:",
        "vakt:list:active:2:borger-dk:incident:x",
        "vakt:list:soon:2::",
        "vakt:list:active:2",
    ] {
        let v = w.button(RITA, &[w.responders], bad);
        let cb = via_gateway(&w, &d, &v).await;
        assert_eq!(cb["type"], 4, "a new message, not an update: {bad}: {cb}");
        assert_quiet(&cb);
        assert!(
            shown(&w, v["token"].as_str().unwrap_or_default(), &cb).starts_with('✗'),
            "{bad}: {cb}"
        );
        assert!(cb["data"]["components"].as_array().is_none_or(Vec::is_empty), "{cb}");
    }

    let page2 = custom_id::encode_list(&custom_id::ListQuery {
        scope: vakt::service::ListScope::Active,
        page: 2,
        agreement: None,
        case_type: None,
    })
    .expect("fits");
    // Outside a server: the command and the button are refused alike.
    let command = in_direct_message(w.slash(RITA, &[], w.incidents, "incident", "list", &[], None));
    let cb = via_gateway(&w, &d, &command).await;
    assert_eq!(cb["type"], 4, "{cb}");
    assert_quiet(&cb);
    let refused = shown(&w, command["token"].as_str().unwrap_or_default(), &cb);
    assert!(refused.starts_with('✗'), "{cb}");
    let press = in_direct_message(w.button(RITA, &[], &page2));
    let cb = via_gateway(&w, &d, &press).await;
    assert_eq!(cb["type"], 4, "refused in a new message, the list unchanged: {cb}");
    assert_quiet(&cb);
    assert_eq!(
        shown(&w, press["token"].as_str().unwrap_or_default(), &cb),
        refused,
        "the command's refusal"
    );

    // A member without a role: the command lists, and so does the button.
    let v = w.slash(OUTSIDER, &[], w.incidents, "incident", "list", &[], None);
    let cb = via_gateway(&w, &d, &v).await;
    assert_eq!(list_shown(&cb["data"]).ids, all[..25], "{cb}");
    let v = w.button(OUTSIDER, &[], &page2);
    let cb = via_gateway(&w, &d, &v).await;
    assert_eq!(cb["type"], 7, "{cb}");
    assert_eq!(list_shown(&cb["data"]).ids, all[25..], "{cb}");

    assert_eq!(h.timeline(&all[0]).await.len(), timeline, "nothing recorded");
    w.fake.assert_valid();
}

/// While the store is slow a list button defers as an update (DEFERRED_UPDATE_MESSAGE) and
/// then edits its message into the page; a refusal after the deferral comes as a new
/// ephemeral follow-up and the message is not edited.
#[tokio::test]
async fn a_slow_list_button_defers_the_update_then_edits_the_list() {
    let w = World::new().await;
    let db = TempDb::new();
    let (h, quick) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let all = many_opened(&w, &quick, &h, 26).await;
    let d = Arc::new(Dispatcher::new(h.app.service.clone(), w.fake.http()).defer_after(Duration::ZERO));
    let page2 = custom_id::encode_list(&custom_id::ListQuery {
        scope: vakt::service::ListScope::Active,
        page: 2,
        agreement: None,
        case_type: None,
    })
    .expect("fits");

    let v = w.button(RITA, &[w.responders], &page2);
    let cb = via_gateway(&w, &d, &v).await;
    assert_eq!(cb["type"], 6, "a deferred update: {cb}");
    let token = v["token"].as_str().unwrap_or_default();
    let edited = w.fake.webhook_messages(token);
    assert_eq!(edited.len(), 1, "the message edited, nothing new");
    assert_eq!(edited[0].edits, 1);
    let page = list_shown(&edited[0].value);
    assert_eq!(page.ids, all[25..]);
    assert!(page.previous.1 && !page.next.1);

    let press = in_direct_message(w.button(RITA, &[], &page2));
    let cb = via_gateway(&w, &d, &press).await;
    assert_eq!(cb["type"], 6, "{cb}");
    let token = press["token"].as_str().unwrap_or_default();
    let sent = w.fake.webhook_messages(token);
    assert_eq!(sent.len(), 2, "the stand-in and a follow-up: {sent:?}");
    assert_eq!(sent[0].edits, 0, "the list not edited");
    assert!(sent[1].content().starts_with('✗'), "{:?}", sent[1].value);
    assert_eq!(sent[1].value["flags"], 64, "ephemeral");
    w.fake.assert_valid();
}

/// A page of 25 incidents with the longest titles (and markdown in them) still fits one
/// message: titles are shortened, every incident keeps its line, in order.
#[tokio::test]
async fn a_page_of_long_titles_fits_one_message() {
    let w = World::new().await;
    let db = TempDb::new();
    let (h, d) = w.process(&db, "2026-11-23T09:00+01:00").await;
    let all = many_titled(&w, &d, &h, 26, |k| {
        format!("{k} **<@&1>** {}", "ø_*".repeat(70))
            .chars()
            .take(200)
            .collect()
    })
    .await;
    let v = w.slash(RITA, &[w.responders], w.incidents, "incident", "list", &[], None);
    let cb = via_gateway(&w, &d, &v).await;
    assert_quiet(&cb);
    let page = list_shown(&cb["data"]);
    assert_eq!(page.ids, all[..25], "{cb}");
    let description = cb["data"]["embeds"][0]["description"].as_str().unwrap_or_default();
    assert!(description.encode_utf16().count() <= 4096, "{}", description.len());
    assert!(!description.contains("<@&1>"), "defused: {description}");
    assert!(page.next.1, "{cb}");
    w.fake.assert_valid();
}
