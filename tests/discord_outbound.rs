//! The Discord outbound adapter end to end against the local fake of Discord's REST API
//! (`tests/common/discord_fake.rs`): serenity's real client, every request body validated
//! against Discord's own OpenAPI spec.

mod common;
#[path = "common/discord_fake.rs"]
mod discord_fake;

use axum::http::Method;
use discord_fake::{FakeDiscord, Fault, spec};
use serde_json::json;
use serenity::all::{ChannelId, CreateAllowedMentions, CreateMessage, CreateThread, EditMessage, MessageId};

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
