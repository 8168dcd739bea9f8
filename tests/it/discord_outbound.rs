//! The Discord outbound adapter end to end against the local fake of Discord's REST API
//! (`tests/it/common/discord_fake.rs`): the real service, scheduler and SQLite store on the fake
//! clock, `DiscordChat` over serenity's real client, every request body validated against
//! Discord's own OpenAPI spec (each test ends asserting zero validation errors).
//!
//! The scenario agreement is Borger.dk (P1 on 30 % of users affected: its major-incident
//! notification pings the first ladder level at once; response 15 min on the primary schedule
//! Mon–Fri 08:30–16:30, warnings at 50/75/90 %, the breach escalates to level 1). Its
//! channels, ladder roles and responders are configured as Discord ids of the fake's guild:
//! `second_level` → a role, `kontorchef_drift` → a user, `kontorchef_forretning` → a role.

use crate::common::discord_world::World;
use crate::common::{self, discord_fake};

use axum::http::Method;
use common::{Harness, Options, TempDb, at, facts_users};
use discord_fake::{FakeDiscord, Fault, FaultPlan, StoredMessage, spec};
use serde_json::json;
use serenity::all::{ChannelId, CreateAllowedMentions, CreateMessage, CreateThread, EditMessage, MessageId};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;
use vakt::discord::chat::{DiscordChat, Retries};
use vakt::domain::incident::Resolution;
use vakt::domain::plan::{Group, JobKind};
use vakt::service::Actor;
use vakt::service::ports::{Chat, JobState};

/// A responder in Discord mode: a Discord user id with the responder role id.
fn responder(w: &World) -> Actor {
    Actor::new("1200000000000000001", vec![w.responders.to_string()])
}

fn set(ids: &[u64]) -> BTreeSet<u64> {
    ids.iter().copied().collect()
}

/// Exactly what a message pings, as Discord computes it, and what its `allowed_mentions`
/// names: (roles, users).
fn pinged(m: &StoredMessage) -> (BTreeSet<u64>, BTreeSet<u64>) {
    assert!(!m.pinged_everyone(), "{}", m.content());
    let a = m.allowed_mentions();
    assert_eq!(a["parse"], json!([]), "allowed_mentions parses nothing: {a}");
    let listed = |k: &str| -> BTreeSet<u64> {
        a[k].as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().and_then(|s| s.parse().ok()))
            .collect()
    };
    let (roles, users) = (set(&m.pinged_roles()), set(&m.pinged_users()));
    assert_eq!(
        listed("roles"),
        roles,
        "allowed roles are the roles pinged: {}",
        m.content()
    );
    assert_eq!(
        listed("users"),
        users,
        "allowed users are the users pinged: {}",
        m.content()
    );
    (roles, users)
}

/// Job id → job for the messages' nonces.
async fn jobs_by_id(h: &Harness) -> BTreeMap<String, vakt::service::ports::Job> {
    h.jobs().await.into_iter().map(|j| (j.id.to_string(), j)).collect()
}

#[test]
fn the_validator_accepts_good_bodies_and_rejects_bad_ones() {
    let s = spec();
    let good = json!({
        "content": "hello <@&123>",
        "allowed_mentions": {"parse": [], "roles": ["123"], "users": []},
        "nonce": "42",
        "enforce_nonce": true,
    });
    assert_eq!(
        s.validate(&Method::POST, "/channels/1/messages", Some(&good)),
        Vec::<String>::new()
    );
    let long = json!({"content": "x".repeat(4001)});
    assert!(
        !s.validate(&Method::POST, "/channels/1/messages", Some(&long))
            .is_empty()
    );
    let bad_mentions = json!({"content": "hi", "allowed_mentions": {"parse": ["nobody"]}});
    assert!(
        !s.validate(&Method::POST, "/channels/1/messages", Some(&bad_mentions))
            .is_empty()
    );
    let long_nonce = json!({"content": "hi", "nonce": "x".repeat(26)});
    assert!(
        !s.validate(&Method::POST, "/channels/1/messages", Some(&long_nonce))
            .is_empty()
    );
    assert!(!s.validate(&Method::POST, "/nowhere/1", None).is_empty());
    assert!(
        !s.validate(&Method::POST, "/channels/general/messages", Some(&good))
            .is_empty()
    );
    let thread = json!({"name": "SSB-2026-0001"});
    assert!(
        s.validate(&Method::POST, "/channels/1/messages/2/threads", Some(&thread))
            .is_empty()
    );
    assert!(
        !s.validate(&Method::POST, "/channels/1/messages/2/threads", Some(&json!({})))
            .is_empty()
    );
}

#[tokio::test]
async fn serenity_talks_to_the_fake() {
    let fake = FakeDiscord::start().await;
    let ch = fake.standard_guild(&["incidents"])[0];
    let http = fake.http();
    let msg = ChannelId::new(ch)
        .send_message(
            &http,
            CreateMessage::new()
                .content("card")
                .nonce(serenity::all::Nonce::String("7".into()))
                .enforce_nonce(true)
                .allowed_mentions(CreateAllowedMentions::new()),
        )
        .await
        .expect("post");
    let again = ChannelId::new(ch)
        .send_message(
            &http,
            CreateMessage::new()
                .content("card")
                .nonce(serenity::all::Nonce::String("7".into()))
                .enforce_nonce(true),
        )
        .await
        .expect("post again");
    assert_eq!(msg.id, again.id, "the same nonce returns the earlier message");
    assert_eq!(fake.messages(ch).len(), 1);
    let thread = ChannelId::new(ch)
        .create_thread_from_message(&http, msg.id, CreateThread::new("SSB-2026-0001"))
        .await
        .expect("thread");
    assert_eq!(thread.id.get(), msg.id.get());
    ChannelId::new(ch)
        .edit_message(
            &http,
            MessageId::new(msg.id.get()),
            EditMessage::new().content("edited"),
        )
        .await
        .expect("edit");
    assert_eq!(fake.message(msg.id.get()).expect("stored").content(), "edited");
    let answers = fake.answer_errors();
    assert!(answers.is_empty(), "{}", answers.join("\n"));
    fake.queue_faults(&[Fault::LostReply]);
    let lost = ChannelId::new(thread.id.get())
        .send_message(&http, CreateMessage::new().content("in thread"))
        .await;
    assert!(lost.is_err());
    assert_eq!(
        fake.messages(thread.id.get()).len(),
        1,
        "a lost reply still stores the message"
    );
    let unknown = ChannelId::new(5)
        .send_message(&http, CreateMessage::new().content("x"))
        .await;
    assert!(unknown.is_err());
    fake.assert_valid();
}

/// Open → the scheduler posts the card (embed, buttons) in the incidents channel and starts
/// its thread; the major-incident notification pings the first ladder level at once; the clock
/// advances → the three response warnings ping the responders, the breach pings level 1 (a
/// role), level 2 an hour later (a user);
/// resolve → the resolution is posted in the thread, the card is edited (Acknowledge and
/// Resolve disabled), and the incident's warning, escalation and status jobs are cancelled.
/// A title full of mentions pings nobody anywhere.
#[tokio::test]
async fn open_warn_escalate_resolve_on_discord() {
    let w = World::new().await;
    let db = TempDb::new();
    let h = w.process(&db, "2026-11-23T09:00+01:00", "runner-1").await;
    let inc = h
        .service()
        .open(
            &responder(&w),
            "borger-dk",
            "Login down @everyone <@&1> @here <@2>",
            "",
            facts_users("users", 30.0),
        )
        .await
        .expect("open");
    assert_eq!(inc.priority(), "1");
    h.advance("2026-11-23T09:01+01:00").await;

    let channel = w.fake.messages(w.incidents);
    assert_eq!(channel.len(), 1, "only the card is in the incidents channel");
    let card = &channel[0];
    let embed = &card.value["embeds"][0];
    assert!(
        embed["title"].as_str().unwrap_or("").starts_with(inc.id().as_str()),
        "{embed}"
    );
    let fields = embed["fields"].to_string();
    assert!(
        fields.contains("<t:") && fields.contains(":R>"),
        "deadlines as Discord timestamps: {fields}"
    );
    let buttons = &card.value["components"][0]["components"];
    assert_eq!(buttons.as_array().map(Vec::len), Some(4), "{buttons}");
    assert_eq!(pinged(card), (set(&[]), set(&[])), "the card itself pings nobody");
    let threads = w.fake.threads();
    assert_eq!(threads.len(), 1);
    assert_eq!(
        threads[0]["id"],
        json!(card.id.to_string()),
        "the thread is started from the card"
    );

    let notify = w.thread(card);
    assert_eq!(
        notify.len(),
        1,
        "{:?}",
        notify.iter().map(StoredMessage::content).collect::<Vec<_>>()
    );
    assert_eq!(
        pinged(&notify[0]),
        (set(&[w.second_level]), set(&[])),
        "a P1's major-incident notification pings the first ladder level at once"
    );

    // 50 % of the 15 business minutes (75 and 90 % lie closer than the 10-minute warning
    // floor to it and collapse into it), then the breach at 09:15.
    h.advance("2026-11-23T09:20+01:00").await;
    let posts = w.thread(card);
    let after: Vec<_> = posts[1..].iter().map(pinged).collect();
    assert_eq!(
        after,
        vec![
            (set(&[w.responders]), set(&[])),
            (set(&[w.second_level]), set(&[])),
            // Nobody acknowledged: level 1 is paged again (re-paging, every 15 minutes).
            (set(&[w.second_level]), set(&[])),
        ],
        "{:?}",
        posts.iter().map(StoredMessage::content).collect::<Vec<_>>()
    );
    for p in &posts {
        let c = p.content();
        assert!(
            !c.contains("@everyone") && !c.contains("<@&1>") && !c.contains("<@2>"),
            "{c}"
        );
    }

    // Level 2 (a user): the re-paging climbs to it at 10:00 after three unanswered pages,
    // before the breach's own climb (one business hour after it) finds it reached.
    h.advance("2026-11-23T10:20+01:00").await;
    let level2: Vec<_> = w.thread(card).into_iter().filter(|m| !pinged(m).1.is_empty()).collect();
    assert!(!level2.is_empty());
    assert_eq!(
        pinged(&level2[0]),
        (set(&[]), set(&[w.drift_user])),
        "level 2 is a user"
    );
    let _ = w.forretning;

    h.service()
        .resolve(
            &responder(&w),
            inc.id(),
            Resolution::Fix,
            Some("restarted <@&1>".into()),
        )
        .await
        .expect("resolve");
    h.advance("2026-11-23T10:21+01:00").await;
    let card = w.fake.message(card.id).expect("card");
    assert!(card.edits >= 1, "the card is edited");
    let buttons = card.value["components"][0]["components"].clone();
    let disabled: Vec<bool> = buttons
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| b["disabled"].as_bool().unwrap_or(false))
        .collect();
    assert_eq!(disabled, [true, false, true, true], "resolved: only Post update stays");
    assert!(card.value["embeds"][0]["fields"].to_string().contains("resolved"));
    let last = w.thread(&card).last().cloned().expect("resolution post");
    assert_eq!(pinged(&last), (set(&[]), set(&[])));
    assert!(last.content().contains("resolved"), "{}", last.content());
    let live: Vec<_> = h
        .jobs_of(inc.id())
        .await
        .into_iter()
        .filter(|j| j.state == JobState::Pending)
        .filter(|j| matches!(j.group, Group::Response | Group::Resolution | Group::Status))
        .map(|j| j.key)
        .collect();
    assert!(live.is_empty(), "cancelled on resolve: {live:?}");
    let _ = (w.status, w.summary, w.managers);
    w.fake.assert_valid();
}

/// A restart in between changes nothing: the first process posts the card, the thread and the
/// first warning, its runner then loses the reply of the second warning (posted, never
/// acknowledged) and dies; the second process on the same database runs on — the lost post is
/// not repeated (its nonce returns the earlier message), nothing is posted twice, and every
/// message belongs to exactly one job that ran.
#[tokio::test]
async fn a_restart_in_between_changes_nothing() {
    // The warning floor is off: the test needs the three warnings of a 15-minute target.
    let w = World::new().await.without_warning_floor();
    let db = TempDb::new();
    let id;
    {
        let h = w.process(&db, "2026-11-23T09:00+01:00", "runner-1").await;
        id = h
            .service()
            .open(
                &responder(&w),
                "borger-dk",
                "Login down",
                "",
                facts_users("users", 30.0),
            )
            .await
            .expect("open")
            .id()
            .to_string();
        h.advance("2026-11-23T09:08+01:00").await;
        // The 75 % warning at 09:11:15: delivered, the answer lost, and no retry in the call.
        w.fake.queue_faults(&[
            Fault::LostReply,
            Fault::ServerError,
            Fault::ServerError,
            Fault::ServerError,
        ]);
        let r = h.advance_tolerant(at("2026-11-23T09:11:30+01:00")).await;
        assert!(r.iter().any(|(_, t)| t.retried == 1), "{r:?}");
    }
    let h = w.process(&db, "2026-11-23T09:11:30+01:00", "runner-2").await;
    h.advance("2026-11-23T09:20+01:00").await;
    let h2 = w.process(&db, "2026-11-23T09:20+01:00", "runner-3").await;
    h2.advance("2026-11-23T09:30+01:00").await;

    let jobs = jobs_by_id(&h2).await;
    let all = w.fake.all_messages();
    let mut nonces = BTreeSet::new();
    for m in &all {
        let n = m.nonce().expect("every scheduled post has a nonce");
        assert!(nonces.insert(n.clone()), "nonce {n} posted twice");
        let job = &jobs[&n];
        assert_eq!(job.state, JobState::Done, "{}", job.key);
    }
    let posted: BTreeSet<String> = jobs
        .values()
        .filter(|j| j.outcome.as_deref() == Some("posted"))
        .map(|j| j.id.to_string())
        .collect();
    assert_eq!(nonces, posted, "one message per job that posted");
    let warnings = jobs
        .values()
        .filter(|j| j.kind == JobKind::Warning && j.outcome.as_deref() == Some("posted"));
    assert_eq!(warnings.count(), 3);
    assert_eq!(w.fake.threads().len(), 1);
    assert!(h2.incident(&id).await.escalation_level() >= 1);
    w.fake.assert_valid();
}

/// The inbound half's requests work against the fake too: guild command registration, an
/// interaction's deferred callback, the edit of its original response and a followup.
#[tokio::test]
async fn the_fake_serves_commands_and_interaction_responses() {
    use serenity::all::{
        Builder, CreateCommand, CreateInteractionResponse, CreateInteractionResponseFollowup,
        CreateInteractionResponseMessage, EditInteractionResponse, GuildId, InteractionId,
    };
    let fake = FakeDiscord::start().await;
    let http = fake.http();
    let cmds = GuildId::new(discord_fake::GUILD_ID)
        .set_commands(
            &http,
            vec![CreateCommand::new("incident").description("Work with incidents")],
        )
        .await
        .expect("register");
    assert_eq!(cmds.len(), 1);
    assert_eq!(fake.commands().1.len(), 1);
    let token = "interaction-token";
    CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true))
        .execute(&http, (InteractionId::new(1_400_000_000_000_000_001), token))
        .await
        .expect("defer");
    let edited = EditInteractionResponse::new()
        .content("opened")
        .execute(&http, token)
        .await
        .expect("edit original");
    assert_eq!(edited.content, "opened");
    CreateInteractionResponseFollowup::new()
        .content("more")
        .execute(&http, (None, token))
        .await
        .expect("followup");
    let msgs = fake.webhook_messages(token);
    assert_eq!(
        msgs.iter().map(StoredMessage::content).collect::<Vec<_>>(),
        ["opened", "more"]
    );
    assert_eq!(fake.callbacks().len(), 1);
    fake.assert_valid();
    let answers = fake.answer_errors();
    assert!(answers.is_empty(), "{}", answers.join("\n"));
}

/// What one run of the busy morning delivered: per incident, the job keys of the messages in
/// its thread in the order they arrived, and the card's final state.
#[derive(Debug, PartialEq)]
struct Delivered {
    threads: BTreeMap<String, Vec<String>>,
    cards: Vec<String>,
    card_fields: Vec<String>,
}

/// Three Borger.dk incidents on a Monday morning, with updates, an acknowledgement and a
/// resolution, run to 11:00 with `faults` on the fake; then checks that every post was
/// delivered exactly once (one message per job that posted, none for any other).
async fn busy_morning(faults: Option<FaultPlan>) -> (World, Delivered) {
    let w = World::new().await;
    let db = TempDb::new();
    let h = w.process(&db, "2026-11-23T09:00+01:00", "runner-1").await;
    w.fake.set_faults(faults);
    let s = h.service();
    let who = responder(&w);
    let a = s
        .open(&who, "borger-dk", "Login down", "", facts_users("users", 30.0))
        .await
        .expect("open");
    h.advance_tolerant(at("2026-11-23T09:01+01:00")).await;
    let b = s
        .open(&who, "borger-dk", "Slow search", "", facts_users("users", 5.0))
        .await
        .expect("open");
    h.advance_tolerant(at("2026-11-23T09:05+01:00")).await;
    s.add_update(&who, a.id(), "investigating <@&1> @everyone")
        .await
        .expect("update");
    s.acknowledge(&who, b.id()).await.expect("ack");
    h.advance_tolerant(at("2026-11-23T09:30+01:00")).await;
    let c = s
        .open(&who, "borger-dk", "Mail delayed", "", facts_users("users", 1.0))
        .await
        .expect("open");
    h.advance_tolerant(at("2026-11-23T10:00+01:00")).await;
    s.resolve(&who, b.id(), Resolution::Workaround, None)
        .await
        .expect("resolve");
    h.advance_tolerant(at("2026-11-23T11:00+01:00")).await;
    // The faults stop at 11:00 and what was in flight settles: a post whose reply was lost
    // at 11:00 is retried after it (30 s later), and the retry — the same nonce, dropped by
    // Discord as a resend — is what records it posted. Stopping at 11:00 would count that
    // post as delivered but unrecorded: it is neither, yet.
    w.fake.set_faults(None);
    h.advance_tolerant(at("2026-11-23T11:15+01:00")).await;

    let jobs = jobs_by_id(&h).await;
    let in_flight: Vec<_> = jobs
        .values()
        .filter(|j| j.state == JobState::Pending && j.attempts > 0 && j.due_at <= h.now())
        .map(|j| &j.key)
        .collect();
    assert!(in_flight.is_empty(), "retries left in flight: {in_flight:?}");
    let failed: Vec<_> = jobs
        .values()
        .filter(|j| j.state == JobState::Failed)
        .map(|j| &j.key)
        .collect();
    assert!(failed.is_empty(), "failed jobs: {failed:?}");
    let all = w.fake.all_messages();
    let mut seen = BTreeSet::new();
    for m in &all {
        let n = m.nonce().expect("every scheduled post has a nonce");
        assert!(seen.insert(n.clone()), "job {} posted twice", jobs[&n].key);
        pinged(m);
    }
    let posted: BTreeSet<String> = jobs
        .values()
        .filter(|j| j.outcome.as_deref() == Some("posted"))
        .map(|j| j.id.to_string())
        .collect();
    let odd: Vec<String> = seen
        .symmetric_difference(&posted)
        .map(|n| format!("{:?}", jobs[n]))
        .collect();
    assert_eq!(seen, posted, "one message per job that posted: {odd:#?}");

    let mut threads = BTreeMap::new();
    let mut cards = Vec::new();
    let mut card_fields = Vec::new();
    for card in w.fake.messages(w.incidents) {
        let n = card.nonce().unwrap_or_default();
        let inc = jobs[&n].incident.clone().unwrap_or_default().into_string();
        cards.push(inc.clone());
        card_fields.push(card.value["embeds"][0]["fields"].to_string());
        let keys = w
            .thread(&card)
            .iter()
            .map(|m| jobs[&m.nonce().unwrap_or_default()].key.clone())
            .collect();
        threads.insert(inc, keys);
    }
    assert_eq!(cards, [a.id().to_string(), b.id().to_string(), c.id().to_string()]);
    w.fake.assert_valid();
    (
        w,
        Delivered {
            threads,
            cards,
            card_fields,
        },
    )
}

/// 30 % of the requests that change something are answered 429, 5xx, or 5xx after the
/// message was stored (a lost reply): every post is still delivered exactly once, each
/// incident's posts arrive in the same order as without faults, and the cards end the same.
#[tokio::test]
async fn thirty_percent_faults_deliver_every_post_once_in_order() {
    let (_, clean) = busy_morning(None).await;
    assert!(clean.threads.values().map(Vec::len).sum::<usize>() > 10, "{clean:#?}");
    for seed in [1, 7, 2026] {
        let (w, faulty) = busy_morning(Some(FaultPlan::share(0.3, seed))).await;
        let injected = w.fake.faults_injected();
        let changing = w.fake.requests().iter().filter(|r| r.method != Method::GET).count();
        assert!(
            injected * 5 >= changing,
            "seed {seed}: {injected} faults in {changing} requests"
        );
        assert_eq!(faulty, clean, "seed {seed}");
    }
}

/// Text typed by users never pings: a title and notes full of `@everyone`, `@here`, role,
/// user and channel mentions reach Discord defused, every message's `allowed_mentions`
/// parses nothing, and Discord's own computation of the pings finds none.
#[tokio::test]
async fn a_title_with_mentions_pings_nobody() {
    let w = World::new().await;
    let db = TempDb::new();
    let h = w.process(&db, "2026-11-23T09:00+01:00", "runner-1").await;
    let nasty = format!(
        "@everyone <@&1> @here <@{}> <#{}> <@!{}>",
        w.drift_user, w.incidents, w.drift_user
    );
    let s = h.service();
    let who = responder(&w);
    // P4: no notification, no warnings within the hour; only what people did is posted.
    let inc = s
        .open(&who, "borger-dk", &nasty, "", facts_users("users", 1.0))
        .await
        .expect("open");
    h.advance("2026-11-23T09:01+01:00").await;
    s.add_update(&who, inc.id(), &nasty).await.expect("update");
    s.acknowledge(&who, inc.id()).await.expect("ack");
    s.resolve(&who, inc.id(), Resolution::Fix, Some(nasty.clone()))
        .await
        .expect("resolve");
    h.advance("2026-11-23T09:02+01:00").await;
    let all = w.fake.all_messages();
    assert!(all.len() >= 4, "card and three posts");
    for m in &all {
        for v in &m.versions {
            let (users, roles, everyone) =
                discord_fake::pings(v["content"].as_str().unwrap_or(""), &v["_allowed_mentions"]);
            assert!(users.is_empty() && roles.is_empty() && !everyone, "{v}");
        }
        assert_eq!(pinged(m), (set(&[]), set(&[])));
        let text = m.value.to_string();
        assert!(!text.contains("@everyone") && !text.contains("<@&1>"), "{text}");
    }
    w.fake.assert_valid();
}

/// Discord refusing for good fails the job at once with a reason that says what is wrong: a
/// configured channel that does not exist, or one the bot may not post in.
#[tokio::test]
async fn missing_channel_or_permission_fails_the_post_plainly() {
    for forbid in [false, true] {
        let w = World::new().await;
        let db = TempDb::new();
        if forbid {
            w.fake.forbid(w.incidents);
        }
        let config = if forbid {
            w.config.clone()
        } else {
            // The incidents channel is an id the guild does not have.
            w.config.replace(
                &format!("incidents = \"{}\"", w.incidents),
                "incidents = \"1300000000000099999\"",
            )
        };
        let catalog = common::catalog();
        let cfg = common::config(db.dir(), Some(&config), &catalog);
        let chat: Arc<dyn Chat> = Arc::new(DiscordChat::new(w.fake.http(), &cfg, Arc::new(catalog)));
        let h = Harness::open(
            &db,
            Options {
                config: Some(&config),
                wire_chat: Some(chat),
                ..Options::at(at("2026-11-23T09:00+01:00"))
            },
        )
        .await;
        let inc = h
            .service()
            .open(&responder(&w), "borger-dk", "Login down", "", facts_users("users", 1.0))
            .await
            .expect("open");
        let r = h.tick().await;
        assert_eq!(r.failed, 1, "{r:?}");
        let job = h
            .jobs_of(inc.id())
            .await
            .into_iter()
            .find(|j| j.state == JobState::Failed)
            .expect("failed job");
        let error = job.last_error.unwrap_or_default();
        let want = if forbid { "permission" } else { "does not exist" };
        assert!(error.contains(want), "{error}");
        assert!(w.fake.all_messages().is_empty());
        w.fake.assert_valid();
    }
}

/// `vakt discord check` against a guild set up right says so; against one set up to fail
/// each check it names every problem: a missing channel, a permission the bot lacks (from a
/// role overwrite, and from an `@everyone` overwrite), a ladder role that is not mentionable
/// or does not exist, a mapped user not in the guild, a value that is not an id.
#[tokio::test]
async fn discord_check_says_plainly_what_is_wrong() {
    use discord_fake::{GUILD_ID, perm};
    use vakt::discord::check::{Problem, check};

    let only_borger_dk = |text: &str| {
        let dir = tempfile::tempdir().expect("dir");
        let mut catalog = common::catalog();
        catalog.agreements.retain(|a| a.id == "borger-dk");
        common::config(dir.path(), Some(text), &catalog)
    };
    let w = World::new().await;
    let good = check(&w.fake.http(), &w.fake.settings(), &only_borger_dk(&w.config)).await;
    assert!(good.ok(), "{good}");
    assert!(good.to_string().contains("everything"), "{good}");

    // Another guild like it, broken in every way vakt cares about.
    let bad = World::new().await;
    // Threads denied to everyone in the incidents channel; the status channel hidden.
    bad.fake
        .add_overwrite(bad.incidents, GUILD_ID, 0, 0, perm::CREATE_PUBLIC_THREADS);
    bad.fake.add_overwrite(bad.status, GUILD_ID, 0, 0, perm::VIEW_CHANNEL);
    let unmentionable = bad.fake.add_role("second-level-quiet", 0, false);
    let config = bad
        .config
        .replace(
            &format!("summary = \"{}\"", bad.summary),
            "summary = \"1300000000000099999\"",
        )
        .replace(&format!("role:{}", bad.second_level), &format!("role:{unmentionable}"))
        .replace(&format!("role:{}", bad.forretning), "role:1300000000000088888")
        .replace(&format!("user:{}", bad.drift_user), "user:1200000000000000555")
        .replace(&format!("managers = [\"{}\"]", bad.managers), "managers = [\"ops\"]");
    let report = check(&bad.fake.http(), &bad.fake.settings(), &only_borger_dk(&config)).await;
    let p = &report.problems;
    let has = |f: &dyn Fn(&Problem) -> bool| p.iter().any(f);
    assert!(
        has(&|p| matches!(
            p,
            Problem::ChannelMissing {
                channel: 1_300_000_000_000_099_999,
                ..
            }
        )),
        "{report}"
    );
    assert!(
        has(&|p| matches!(p, Problem::MissingPermission { channel, missing, .. }
            if *channel == bad.incidents && *missing == ["Create Public Threads"])),
        "{report}"
    );
    assert!(
        has(&|p| matches!(p, Problem::MissingPermission { channel, missing, .. }
            if *channel == bad.status && missing.contains(&"View Channel"))),
        "{report}"
    );
    assert!(
        has(&|p| matches!(p, Problem::RoleNotMentionable { role, .. } if *role == unmentionable)),
        "{report}"
    );
    assert!(
        has(&|p| matches!(
            p,
            Problem::RoleMissing {
                role: 1_300_000_000_000_088_888,
                ..
            }
        )),
        "{report}"
    );
    assert!(
        has(&|p| matches!(
            p,
            Problem::UserNotMember {
                user: 1_200_000_000_000_000_555,
                ..
            }
        )),
        "{report}"
    );
    assert!(
        has(&|p| matches!(p, Problem::NotAnId { value, .. } if value == "ops")),
        "{report}"
    );
    assert_eq!(p.len(), 7, "{report}");
    let text = report.to_string();
    assert!(text.contains("7 problems") && text.contains("does not exist"), "{text}");

    // No guild configured, or a guild the bot cannot read.
    let mut s = bad.fake.settings();
    s.guild_id = None;
    assert_eq!(
        check(&bad.fake.http(), &s, &only_borger_dk(&config)).await.problems,
        [Problem::NoGuild]
    );
    s.guild_id = Some(42_000_000_000_000_000);
    let r = check(&bad.fake.http(), &s, &only_borger_dk(&config)).await;
    assert!(
        matches!(r.problems.as_slice(), [Problem::GuildUnreadable { .. }]),
        "{r}"
    );
    w.fake.assert_valid();
    bad.fake.assert_valid();
}

/// A post for an incident whose thread was deleted goes to the agreement's channel instead
/// of failing.
#[tokio::test]
async fn a_deleted_thread_falls_back_to_the_channel() {
    let w = World::new().await;
    let db = TempDb::new();
    let h = w.process(&db, "2026-11-23T09:00+01:00", "runner-1").await;
    h.service()
        .open(
            &responder(&w),
            "borger-dk",
            "Login down",
            "",
            facts_users("users", 30.0),
        )
        .await
        .expect("open");
    h.advance("2026-11-23T09:01+01:00").await;
    let card = w.fake.messages(w.incidents)[0].clone();
    w.fake.delete_thread(card.id);
    h.advance("2026-11-23T09:08+01:00").await;
    let channel = w.fake.messages(w.incidents);
    assert_eq!(channel.len(), 2, "the card and the 50 % warning");
    assert_eq!(pinged(&channel[1]), (set(&[w.responders]), set(&[])));
    w.fake.assert_valid();
}

/// How Discord's answers map to the scheduler's errors: 429 and 5xx (also a lost reply) are
/// transient, an unknown channel or a missing permission permanent, with the reason in words;
/// within a call a 429 is retried even without a nonce (nothing was posted), a 5xx only with
/// one (a resend is then dropped by Discord).
#[tokio::test]
async fn discord_errors_map_to_transient_or_permanent() {
    use vakt::service::ports::{Channel, ChannelKind, ChatError, Notice, Post};
    let w = World::new().await;
    let db = TempDb::new();
    let catalog = common::catalog();
    let config = common::config(db.dir(), Some(&w.config), &catalog);
    let chat = |attempts| {
        DiscordChat::new(w.fake.http(), &config, Arc::new(common::catalog())).with_retries(Retries {
            attempts,
            base: Duration::from_millis(1),
            ..Retries::default()
        })
    };
    let post = |nonce: Option<&str>| Post {
        channel: Channel {
            agreement: "borger-dk".into(),
            kind: ChannelKind::Summary,
        },
        conversation: None,
        notice: Notice::Recurring {
            agreement: vakt::domain::ids::AgreementId::new("borger-dk"),
            name: "reminder".into(),
            what: "Weekly check".into(),
        },
        mentions: vec![],
        late_since: None,
        nonce: nonce.map(str::to_string),
    };
    let once = chat(1);
    for fault in [Fault::RateLimited, Fault::ServerError, Fault::LostReply] {
        w.fake.queue_faults(&[fault]);
        let e = once.post(&post(Some("5"))).await.expect_err("fails");
        assert!(matches!(e, ChatError::Transient { .. }), "{fault:?}: {e}");
    }
    let retrying = chat(3);
    w.fake.queue_faults(&[Fault::RateLimited, Fault::RateLimited]);
    retrying.post(&post(None)).await.expect("a 429 is retried");
    w.fake.queue_faults(&[Fault::ServerError]);
    assert!(
        retrying.post(&post(None)).await.is_err(),
        "no nonce: a 5xx is not resent"
    );
    w.fake.queue_faults(&[Fault::LostReply]);
    retrying
        .post(&post(Some("6")))
        .await
        .expect("with a nonce a 5xx is resent");
    let summary: Vec<_> = w
        .fake
        .messages(w.summary)
        .iter()
        .filter_map(StoredMessage::nonce)
        .collect();
    assert_eq!(summary, ["5", "6"], "the lost replies were posted once each");

    w.fake.forbid(w.summary);
    let e = retrying.post(&post(Some("7"))).await.expect_err("forbidden");
    assert!(
        matches!(&e, ChatError::Permanent { reason } if reason.contains("permission")),
        "{e}"
    );
    let mut gone = post(Some("8"));
    gone.channel.kind = ChannelKind::Status;
    let config2 = w.config.replace(
        &format!("status = \"{}\"", w.status),
        "status = \"1300000000000077777\"",
    );
    let cfg2 = common::config(db.dir(), Some(&config2), &catalog);
    let e = DiscordChat::new(w.fake.http(), &cfg2, Arc::new(common::catalog()))
        .post(&gone)
        .await
        .expect_err("unknown channel");
    assert!(
        matches!(&e, ChatError::Permanent { reason } if reason.contains("does not exist")),
        "{e}"
    );
    w.fake.assert_valid();
}

/// The monthly report posted to the summary channel: split into messages within Discord's
/// limit (each with a nonce of its own, so a retry repeats none), pinging nobody, with the
/// PNG chart attached; a second post of the same job posts nothing new.
#[tokio::test]
async fn a_monthly_report_posts_in_parts_with_its_chart_once() {
    use chrono::Duration as Span;
    use vakt::domain::classify::Facts;
    use vakt::domain::ids::UserId;
    use vakt::domain::incident::{Incident, NewIncident};
    use vakt::domain::report::{MonthSpec, monthly};
    use vakt::service::ports::{Channel, ChannelKind, Notice, Post};
    use vakt::service::reports::ReportValue;
    let w = World::new().await;
    let db = TempDb::new();
    let catalog = common::catalog();
    let a = catalog.get("borger-dk").expect("borger-dk").clone();
    // Sixty incidents in October, each acknowledged a day late: sixty breaches to list, more
    // than one message holds.
    let incidents: Vec<Incident> = (0..60u32)
        .map(|k| {
            let reported = at("2026-10-05T09:00+02:00") + Span::hours(i64::from(k) * 5);
            let (mut inc, _) = Incident::open(
                &a,
                Incident::make_id(&a.incident_prefix, 2026, k + 1),
                NewIncident {
                    title: format!("Fault {k} @everyone"),
                    description: String::new(),
                    reporter: UserId::new("1200000000000000001"),
                    facts: Facts {
                        impact: "functions".into(),
                        ..Facts::default()
                    },
                    service: None,
                    reported_at: reported,
                },
            )
            .expect("open");
            inc.acknowledge("1200000000000000001", reported + Span::days(1))
                .expect("ack");
            inc
        })
        .collect();
    let month = MonthSpec::parse("2026-10").expect("month");
    let report = monthly(&a, &incidents, month, at("2026-11-15T09:00+01:00")).expect("report");
    let value = ReportValue::Monthly(Box::new(report));
    let post = Post {
        channel: Channel {
            agreement: "borger-dk".into(),
            kind: ChannelKind::Summary,
        },
        conversation: None,
        notice: Notice::Report {
            agreement: vakt::domain::ids::AgreementId::new("borger-dk"),
            kind: value.kind(),
            period: "2026-10".into(),
            report: Box::new(value),
            revision: 1,
            changes: None,
        },
        mentions: vec![],
        late_since: None,
        nonce: Some("777".into()),
    };
    let chat = w.chat(&db);
    chat.post(&post).await.expect("posted");
    let posted = w.fake.messages(w.summary);
    assert!(posted.len() >= 3, "text in parts, then the chart: {}", posted.len());
    for m in &posted {
        assert!(m.content().chars().count() <= 2000, "{}", m.content().len());
        assert_eq!(pinged(m), (set(&[]), set(&[])), "a report pings nobody");
    }
    let nonces: BTreeSet<_> = posted.iter().filter_map(StoredMessage::nonce).collect();
    assert_eq!(nonces.len(), posted.len(), "each part has its own nonce");
    let charts = w
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.method == Method::POST && r.path == format!("/channels/{}/messages", w.summary))
        .filter(|r| {
            r.body.as_ref().is_some_and(|b| {
                b["attachments"].as_array().is_some_and(|a| {
                    a.iter()
                        .any(|f| f["filename"].as_str().is_some_and(|n| n.ends_with(".png")))
                })
            })
        })
        .count();
    assert_eq!(charts, 1, "the chart is attached once");
    // The job retried after a lost reply: the nonces return the earlier messages.
    chat.post(&post).await.expect("posted again");
    assert_eq!(w.fake.messages(w.summary).len(), posted.len(), "nothing twice");
    w.fake.assert_valid();
}

/// Opens the scenario's P1 (30 % of users: its card and the major-incident notification are
/// due at once) as a Discord responder; returns its id.
async fn open_p1(h: &Harness, w: &World, title: &str) -> String {
    h.service()
        .open(&responder(w), "borger-dk", title, "", facts_users("users", 30.0))
        .await
        .expect("open")
        .id()
        .to_string()
}

/// A 429's `retry_after` is honoured with serenity's ratelimiter off (the fake, like any API
/// base other than Discord's): a wait longer than the chat waits out within a call goes to the
/// scheduler, which retries the job exactly that much later and not before (on the fake
/// clock); a short one is waited out within the call, the retry arriving no sooner than asked.
#[tokio::test]
async fn a_429s_retry_after_is_honoured_without_serenitys_ratelimiter() {
    let w = World::new().await;
    let db = TempDb::new();
    // Every wait goes to the scheduler.
    let chat = w.chat_with(
        &db,
        Retries {
            attempts: 4,
            base: Duration::from_millis(1),
            max_wait: Duration::ZERO,
        },
    );
    let h = Harness::open(
        &db,
        Options {
            config: Some(&w.config),
            wire_chat: Some(chat),
            ..Options::at(at("2026-11-23T09:00+01:00"))
        },
    )
    .await;
    let rate_limit = |seconds| FaultPlan {
        retry_after: seconds,
        ..FaultPlan::share(0.0, 1)
    };
    w.fake.set_faults(Some(rate_limit(2.5)));
    w.fake.queue_faults(&[Fault::RateLimited]);
    let id = open_p1(&h, &w, "Login down").await;
    let t0 = h.now();
    let r = h.tick().await;
    assert_eq!(r.retried, 1, "{r:?}");
    let card = h
        .jobs_of(&id)
        .await
        .into_iter()
        .find(|j| j.kind == JobKind::Announce)
        .expect("the card's job");
    assert_eq!(card.state, JobState::Pending);
    assert_eq!(
        card.due_at,
        t0 + chrono::Duration::milliseconds(2500),
        "retried when the 429 said, not after the scheduler's backoff: {:?}",
        card.last_error
    );
    let sent = w.fake.requests().len();
    h.set_clock(t0 + chrono::Duration::seconds(2));
    assert_eq!(h.tick().await.ran, 0, "nothing runs before the wait is over");
    assert_eq!(w.fake.requests().len(), sent, "no request before the wait is over");
    h.advance_to(t0 + chrono::Duration::seconds(3)).await;
    let cards = w.fake.messages(w.incidents);
    let card_posts = cards.iter().filter(|m| m.nonce() == Some(card.id.to_string()));
    assert_eq!(card_posts.count(), 1, "the card, once");

    // A wait the chat waits out itself: the retry comes no sooner than asked.
    w.fake.set_faults(Some(rate_limit(1.0)));
    w.fake.queue_faults(&[Fault::RateLimited]);
    let catalog = common::catalog();
    let config = common::config(db.dir(), Some(&w.config), &catalog);
    let patient = DiscordChat::new(w.fake.http(), &config, Arc::new(catalog));
    let before = w.fake.requests().len();
    let post = vakt::service::ports::Post {
        channel: vakt::service::ports::Channel {
            agreement: "borger-dk".into(),
            kind: vakt::service::ports::ChannelKind::Summary,
        },
        conversation: None,
        notice: vakt::service::ports::Notice::Recurring {
            agreement: vakt::domain::ids::AgreementId::new("borger-dk"),
            name: "reminder".into(),
            what: "Weekly check".into(),
        },
        mentions: vec![],
        late_since: None,
        nonce: Some("r1".into()),
    };
    patient.post(&post).await.expect("posted after the wait");
    let tries = &w.fake.requests()[before..];
    assert_eq!(tries.len(), 2, "{tries:?}");
    assert_eq!(tries[0].status, 429);
    assert!(
        tries[1].at.duration_since(tries[0].at) >= Duration::from_secs(1),
        "retried after {:?}",
        tries[1].at.duration_since(tries[0].at)
    );
    w.fake.assert_valid();
}

/// A card a moderator deleted: the next change's edit finds it gone (404 Unknown Message), so
/// a new card is posted in the incident channel with a thread of its own, both references are
/// replaced, the announcement goes into the new thread, and later changes edit the new card.
#[tokio::test]
async fn a_deleted_card_is_posted_anew() {
    use vakt::service::ports::ChatRefKey;
    let w = World::new().await;
    let db = TempDb::new();
    let h = w.process(&db, "2026-11-23T09:00+01:00", "runner-1").await;
    let id = open_p1(&h, &w, "Login down").await;
    h.advance("2026-11-23T09:01+01:00").await;
    let old = w.fake.messages(w.incidents)[0].clone();
    w.fake.delete_message(old.id);

    h.service().acknowledge(&responder(&w), &id).await.expect("ack");
    h.advance("2026-11-23T09:02+01:00").await;
    let cards = w.fake.messages(w.incidents);
    assert_eq!(cards.len(), 1, "one new card");
    let card = &cards[0];
    assert_ne!(card.id, old.id);
    let iid = vakt::domain::ids::IncidentId::new(&id);
    let store = h.store();
    let stored = async |key| store.chat_ref(&key).await.expect("ref").expect("stored");
    assert_eq!(stored(ChatRefKey::Card(iid.clone())).await.message, card.id.to_string());
    assert_eq!(
        stored(ChatRefKey::Conversation(iid.clone())).await.message,
        card.id.to_string(),
        "the new card's thread is the incident's conversation"
    );
    let jobs = jobs_by_id(&h).await;
    let in_thread: Vec<_> = w
        .thread(card)
        .iter()
        .map(|m| jobs[&m.nonce().unwrap_or_default()].kind)
        .collect();
    assert_eq!(in_thread, [JobKind::Announce], "the acknowledgement, in the new thread");

    h.service()
        .resolve(&responder(&w), &id, Resolution::Fix, None)
        .await
        .expect("resolve");
    h.advance("2026-11-23T09:03+01:00").await;
    let cards = w.fake.messages(w.incidents);
    assert_eq!(cards.len(), 1, "no further card");
    assert!(cards[0].edits >= 1, "the new card is edited");
    let jobs = jobs_by_id(&h).await;
    let announced = (w.thread(&cards[0]).iter())
        .filter(|m| jobs[&m.nonce().unwrap_or_default()].kind == JobKind::Announce)
        .count();
    assert_eq!(announced, 2, "acknowledged and resolved, in the new thread");
    w.fake.assert_valid();
}

/// An incident opened in the console on the same database has the console's references
/// ("1"), not Discord ids: on Discord a post meant for its conversation goes to the channel,
/// and the next change posts a card (with its thread) and stores Discord's references.
#[tokio::test]
async fn console_references_are_ignored_on_discord() {
    use std::sync::Mutex;
    use vakt::console::clock::FakeClock;
    use vakt::console::{ConsoleChat, Sink};
    use vakt::service::ports::ChatRefKey;
    let w = World::new().await;
    let db = TempDb::new();
    let start = at("2026-11-23T09:00+01:00");
    let id = {
        let catalog = common::catalog();
        let config = Arc::new(common::config(db.dir(), Some(&w.config), &catalog));
        let zones = [("borger-dk".to_string(), chrono_tz::Europe::Copenhagen)].into();
        let out: Sink = Arc::new(Mutex::new(Box::new(std::io::sink())));
        let console = Arc::new(ConsoleChat::new(out, config, zones, Arc::new(FakeClock::new(start))));
        let h = Harness::open(
            &db,
            Options {
                config: Some(&w.config),
                wire_chat: Some(console),
                ..Options::at(start)
            },
        )
        .await;
        let id = open_p1(&h, &w, "Login down").await;
        h.advance("2026-11-23T09:01+01:00").await;
        id
    };
    let iid = vakt::domain::ids::IncidentId::new(&id);
    let h = w.process(&db, "2026-11-23T09:01+01:00", "runner-2").await;
    let console_card = h.store().chat_ref(&ChatRefKey::Card(iid.clone())).await.expect("ref");
    assert!(
        console_card.is_some_and(|c| c.message.parse::<u64>().is_ok_and(|n| n < 1000)),
        "the console numbers its messages"
    );

    // The 50 % response warning (09:07:30) goes to the channel, not to the console's thread.
    h.advance("2026-11-23T09:08+01:00").await;
    let channel = w.fake.messages(w.incidents);
    assert_eq!(channel.len(), 1, "the warning");
    assert_eq!(pinged(&channel[0]), (set(&[w.responders]), set(&[])));

    // The next change posts the card on Discord, its thread, and the announcement in it.
    h.service().acknowledge(&responder(&w), &id).await.expect("ack");
    h.advance("2026-11-23T09:09+01:00").await;
    let channel = w.fake.messages(w.incidents);
    assert_eq!(channel.len(), 2, "the warning and the new card");
    let card = &channel[1];
    assert!(
        !card.value["components"].as_array().is_none_or(Vec::is_empty),
        "a card with buttons"
    );
    let stored = h
        .store()
        .chat_ref(&ChatRefKey::Card(iid.clone()))
        .await
        .expect("ref")
        .expect("card");
    assert_eq!(stored.message, card.id.to_string());
    assert_eq!(stored.channel, w.incidents.to_string());
    let thread = w.thread(card);
    assert_eq!(thread.len(), 1, "the acknowledgement in the card's thread");
    w.fake.assert_valid();
}

/// An incident's announcements arrive in order: A's card fails (four attempts within the
/// call, then the scheduler's retry 30 s later), so A's major-incident notification, due at
/// the same time, waits for it (put back, not an attempt) and lands in the card's thread
/// after it — while B, opened at the same moment, posts its card and notification at once.
#[tokio::test]
async fn an_incidents_posts_wait_for_an_earlier_one_that_is_retrying() {
    let w = World::new().await;
    let db = TempDb::new();
    let h = w.process(&db, "2026-11-23T09:00+01:00", "runner-1").await;
    let a = open_p1(&h, &w, "Login down").await;
    // The faults meet A's card: its jobs run first, alone (a runner posts other incidents'
    // jobs side by side, so B's would take some of them).
    w.fake.queue_faults(&[Fault::ServerError; 4]);
    let t0 = h.now();
    let first = h.tick().await;
    assert_eq!((first.retried, first.waited), (1, 1), "{first:?}");
    let b = open_p1(&h, &w, "Mail down").await;
    let second = h.tick().await;
    assert_eq!((second.ran, second.retried, second.waited), (2, 0, 0), "{second:?}");
    h.advance_tolerant(at("2026-11-23T09:02+01:00")).await;

    let jobs = jobs_by_id(&h).await;
    let of = |incident: &str, kind| {
        jobs.values()
            .find(|j| j.incident.as_ref().is_some_and(|i| i.as_str() == incident) && j.kind == kind)
            .cloned()
            .expect("job")
    };
    let (a_card, a_note) = (of(&a, JobKind::Announce), of(&a, JobKind::Notify));
    let (b_card, b_note) = (of(&b, JobKind::Announce), of(&b, JobKind::Notify));
    for j in [&a_card, &a_note, &b_card, &b_note] {
        assert_eq!(j.state, JobState::Done, "{}", j.key);
    }
    assert_eq!(
        a_card.fired_at,
        Some(t0 + chrono::Duration::seconds(30)),
        "A's card, retried"
    );
    assert!(a_note.fired_at > a_card.fired_at, "A's notification after its card");
    assert_eq!(a_note.attempts, 1, "waiting is not an attempt");
    assert_eq!(
        (b_card.fired_at, b_note.fired_at),
        (Some(t0), Some(t0)),
        "B is not held"
    );

    let channel = w.fake.messages(w.incidents);
    let nonces: Vec<_> = channel.iter().filter_map(StoredMessage::nonce).collect();
    assert_eq!(
        nonces,
        [b_card.id.to_string(), a_card.id.to_string()],
        "only the cards in the channel, B's first"
    );
    let in_thread = |card: &StoredMessage| {
        w.thread(card)
            .iter()
            .filter_map(StoredMessage::nonce)
            .collect::<Vec<_>>()
    };
    assert_eq!(in_thread(&channel[1]), [a_note.id.to_string()]);
    assert_eq!(in_thread(&channel[0]), [b_note.id.to_string()]);
    w.fake.assert_valid();
}

/// `vakt_posts_total{kind,outcome}` counts posts as they go: A's card retried once then sent,
/// its notification sent; B's card and notification refused for good (no permission).
#[tokio::test]
async fn posts_are_counted_by_kind_and_outcome() {
    let w = World::new().await;
    let db = TempDb::new();
    let config = format!("{}\n[ops]\nlisten = \"127.0.0.1:0\"\n", w.config);
    let h = Harness::open(
        &db,
        Options {
            config: Some(&config),
            wire_chat: Some(w.chat(&db)),
            ..Options::at(at("2026-11-23T09:00+01:00"))
        },
    )
    .await;
    let exporter = h.app.exporter.clone().expect("an exporter with [ops] listen");
    let count = |kind: &str, outcome: &str| -> u64 {
        let text = exporter.encode().expect("encode");
        let labels = format!("vakt_posts_total{{kind=\"{kind}\",outcome=\"{outcome}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(labels.as_str()))
            .map_or(0, |v| v.trim().parse().expect("a count"))
    };
    open_p1(&h, &w, "Login down").await;
    w.fake.queue_faults(&[Fault::ServerError; 4]);
    h.advance_tolerant(at("2026-11-23T09:01+01:00")).await;
    assert_eq!(count("announce", "retried"), 1);
    assert_eq!(count("announce", "sent"), 1);
    assert_eq!(count("notify", "sent"), 1);
    assert_eq!(count("announce", "failed"), 0);

    w.fake.forbid(w.incidents);
    open_p1(&h, &w, "Mail down").await;
    h.advance_tolerant(at("2026-11-23T09:02+01:00")).await;
    assert_eq!(count("announce", "failed"), 1, "B's card");
    assert_eq!(count("notify", "failed"), 1, "B's notification");
    assert_eq!(count("announce", "sent"), 1);
    w.fake.assert_valid();
}

/// A page does not wait on a failing card for long: A's card fails three times (at 09:00,
/// 09:00:30 and 09:01:30; its next try is 09:03:30), so its notification waits until two
/// minutes past its planned time and then goes to the channel; the card follows when it can.
#[tokio::test]
async fn a_notification_waits_on_a_failing_card_at_most_two_minutes() {
    let w = World::new().await;
    let db = TempDb::new();
    let h = w.process(&db, "2026-11-23T09:00+01:00", "runner-1").await;
    let a = open_p1(&h, &w, "Login down").await;
    w.fake.queue_faults(&[Fault::ServerError; 12]);
    let t0 = h.now();
    h.advance_tolerant(at("2026-11-23T09:05+01:00")).await;
    let jobs = h.jobs_of(&a).await;
    let of = |kind| jobs.iter().find(|j| j.kind == kind).cloned().expect("job");
    let (card, note) = (of(JobKind::Announce), of(JobKind::Notify));
    assert_eq!(
        note.fired_at,
        Some(t0 + chrono::Duration::minutes(2)),
        "paged after two minutes"
    );
    assert_eq!(note.attempts, 1, "waiting is not an attempt");
    assert_eq!(
        card.fired_at,
        Some(t0 + chrono::Duration::seconds(210)),
        "the card's fourth try"
    );
    let channel = w.fake.messages(w.incidents);
    let nonces: Vec<_> = channel.iter().filter_map(StoredMessage::nonce).collect();
    assert_eq!(nonces, [note.id.to_string(), card.id.to_string()]);
    w.fake.assert_valid();
}
