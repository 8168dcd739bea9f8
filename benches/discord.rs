//! Latency of an interaction from received to initial response sent, for `/incident open`,
//! per backend: the interaction JSON deserialised into serenity's `Interaction`, dispatched
//! (parse, permission check, classification, the incident with its timeline and job plan in
//! one transaction, the rendered reply), and the callback POSTed through serenity's HTTP
//! client to the local fake Discord (which validates the body against Discord's OpenAPI
//! spec before answering, so its validation time is included).
//!
//! Run with `cargo bench --bench discord`. SQLite always runs (`VAKT_BENCH_INTERACTIONS`,
//! default 500); PostgreSQL runs (200) when `VAKT_TEST_POSTGRES_URL` is set, in a fresh schema
//! dropped afterwards. Goal: p99 under 50 ms (Discord allows 3 s).

use std::sync::Arc;
use std::time::Instant;

mod common;
#[allow(unused_imports)]
#[path = "../tests/it/common/discord_fake.rs"]
mod discord_fake;

use discord_fake::{APP_ID, FakeDiscord, GUILD_ID};
use serde_json::json;
use vakt::console::clock::FakeClock;
use vakt::discord::gateway;
use vakt::discord::interactions::Dispatcher;
use vakt::service::Service;
use vakt::service::ports::Store;

const ROLE: u64 = 1_300_000_000_000_000_009;
const USER: u64 = 1_300_000_000_000_000_001;

fn main() {
    let n = common::env_count("VAKT_BENCH_INTERACTIONS", 500);
    common::on_each_backend("discord", |backend, store, postgres| {
        run(backend, store, if postgres { 200 } else { n })
    });
}

fn interaction(k: usize, channel: u64) -> serde_json::Value {
    let id = 1_400_000_000_000_000_000u64 + k as u64;
    json!({
        "id": id.to_string(), "application_id": APP_ID.to_string(), "type": 2,
        "data": {"id": "1", "name": "incident", "type": 1, "options": [{"name": "open", "type": 1, "options": [
            {"name": "agreement", "type": 3, "value": "borger-dk"},
            {"name": "title", "type": 3, "value": format!("Bench incident {k}")},
            {"name": "impact", "type": 3, "value": "users"},
            {"name": "users", "type": 10, "value": 30}
        ]}]},
        "guild_id": GUILD_ID.to_string(), "channel_id": channel.to_string(),
        "channel": {"id": channel.to_string(), "type": 0},
        "member": {"user": {"id": USER.to_string(), "username": "rita", "discriminator": "0", "global_name": "Rita", "avatar": null},
                   "roles": [ROLE.to_string()], "joined_at": "2025-01-01T00:00:00.000000+00:00",
                   "deaf": false, "mute": false, "nick": null, "flags": 0, "pending": false, "permissions": "0"},
        "token": format!("tok-{id}"), "version": 1, "locale": "da", "app_permissions": "0",
        "entitlements": [], "authorizing_integration_owners": {"0": GUILD_ID.to_string()}, "context": 0,
        "attachment_size_limit": 26_214_400
    })
}

async fn run(name: &str, store: Arc<dyn Store>, n: usize) {
    let fake = FakeDiscord::start().await;
    let ch = fake.standard_guild(&["incidents"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("vakt.toml");
    std::fs::write(&path, format!("[defaults]\nresponders = [\"{ROLE}\"]\n")).expect("write config");
    let catalog = vakt::agreements::load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("agreements"))
        .unwrap_or_else(|e| panic!("agreements: {e}"));
    let mut config = vakt::config::Config::load(&path, &|_| None).expect("config");
    config.resolve(&catalog, &path).expect("config resolves");
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-23T09:00:00+01:00")
        .expect("start")
        .with_timezone(&chrono::Utc);
    let clock = Arc::new(FakeClock::new(start));
    let http = fake.http();
    let catalog = Arc::new(catalog);
    let chat = Arc::new(vakt::discord::chat::DiscordChat::new(
        http.clone(),
        &config,
        catalog.clone(),
    ));
    let service = Arc::new(Service::new(
        store.clone(),
        chat,
        clock.clone(),
        catalog,
        Arc::new(vakt::app::settings(&config)),
    ));
    let dispatcher = Arc::new(Dispatcher::new(service, http.clone()));
    let mut latencies = Vec::with_capacity(n);
    let all = Instant::now();
    for k in 0..n {
        let body = interaction(k, ch[0]).to_string();
        let t = Instant::now();
        let i: serenity::all::Interaction = serde_json::from_str(&body).expect("interaction");
        gateway::respond(&dispatcher, &http, i).await;
        latencies.push(t.elapsed());
        clock.advance(chrono::Duration::minutes(1));
    }
    let total = all.elapsed();
    let answered = fake.callbacks().len();
    assert_eq!(answered, n, "every interaction answered");
    latencies.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let pct = |p: f64| latencies[((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1];
    println!(
        "{name}: {n} /incident open interactions in {:.2} s; received → initial response sent: \
         p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        total.as_secs_f64(),
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(latencies[latencies.len() - 1]),
    );
}
