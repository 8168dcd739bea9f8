//! Latency of the Discord outbound adapter against the local fake of Discord's REST API
//! (`tests/it/common/discord_fake.rs`, loopback HTTP): `DiscordChat::post` of an incident card
//! (embed and four buttons), of a thread post with pings (exact `allowed_mentions`, a nonce),
//! and `DiscordChat::edit` of the card — serenity building each request, and (the fake not
//! being Discord, serenity's ratelimiter is off) vakt's own client sending it and decoding the
//! answer. The fake's schema validation is off while timing (it measures the
//! fake, not vakt), then on for one pass to confirm every body is valid.
//!
//! Run with `cargo bench --bench discord_post`; `VAKT_BENCH_POSTS` changes the count (500).

#[path = "../tests/it/common/discord_fake.rs"]
mod discord_fake;

use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::{Duration, Instant};
use vakt::discord::chat::{AgreementTargets, DiscordChat, Target, Targets};
use vakt::domain::ids::{AgreementId, IncidentId, PriorityId, UserId};
use vakt::domain::incident::{Milestone, Outcome, State};
use vakt::service::notice::{ActorRef, DeadlineView, IncidentSummary, Mention, Notice};
use vakt::service::ports::{Channel, ChannelKind, Chat, MessageRef, Post};

fn summary(k: usize, now: DateTime<Utc>) -> IncidentSummary {
    let due = now + chrono::Duration::minutes(15);
    IncidentSummary {
        id: IncidentId::make("BDK", 2026, k as u32 + 1),
        agreement: AgreementId::new("borger-dk"),
        title: format!("Login down for some users <@&1> @everyone #{k}"),
        description: String::new(),
        service: None,
        priority: PriorityId::new("1"),
        priority_name: "Kritisk".into(),
        state: State::Open,
        lead: Some(UserId::new("1200000000000000001")),
        escalation_level: 0,
        response: Some(DeadlineView {
            milestone: Milestone::Response,
            due,
            outcome: Outcome::Pending { due },
            business_left: Some(900),
            wall_left: Some(900),
            business_late: None,
            wall_late: None,
            under: None,
            under_name: String::new(),
            day: Some(9 * 3600),
        }),
        resolution: None,
        last_note: Some("investigating".into()),
        latest: Default::default(),
        reported_at: now,
        agreement_removed: false,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(what: &str, mut l: Vec<Duration>) {
    l.sort();
    let pct = |p: f64| l[((l.len() as f64 * p).ceil() as usize).clamp(1, l.len()) - 1];
    println!(
        "{what}: {} requests, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        l.len(),
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(l[l.len() - 1])
    );
}

fn main() {
    let n: usize = std::env::var("VAKT_BENCH_POSTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async {
        let fake = discord_fake::FakeDiscord::start().await;
        let ch = fake.standard_guild(&["incidents", "status", "summary"]);
        let role = fake.add_role("second-level", 0, true);
        let mut t = AgreementTargets::default();
        for (k, id) in [ChannelKind::Incidents, ChannelKind::Status, ChannelKind::Summary]
            .into_iter()
            .zip(&ch)
        {
            t.channels.insert(k, Ok(*id));
        }
        t.ladder.insert("second_level".into(), Ok(Target::Role(role)));
        t.responders.push(Ok(role));
        let mut targets = Targets::default();
        targets.agreements.insert("borger-dk".into(), t);
        let catalog = vakt::agreements::load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("agreements"))
            .expect("agreements");
        let chat = DiscordChat::with_targets(fake.http(), targets, Arc::new(catalog));
        let now = Utc::now();
        let channel = Channel {
            agreement: "borger-dk".into(),
            kind: ChannelKind::Incidents,
        };
        let actor = ActorRef {
            id: UserId::new("1200000000000000001"),
            name: "rita".into(),
        };
        let card = |k: usize, nonce: Option<String>| Post {
            channel: channel.clone(),
            conversation: None,
            notice: Notice::Opened {
                incident: summary(k, now),
                actor: actor.clone(),
                reasons: vec![],
            },
            mentions: vec![],
            late_since: None,
            nonce,
        };
        let warning = |k: usize, thread: &MessageRef| Post {
            channel: channel.clone(),
            conversation: Some(thread.clone()),
            notice: Notice::Warning {
                incident: summary(k, now),
                milestone: Milestone::Response,
                percent: 75,
                deadline: now,
            },
            mentions: vec![
                Mention::Responders,
                Mention::Ladder {
                    level: 1,
                    role: "second_level".into(),
                },
            ],
            late_since: None,
            nonce: Some(format!("{}", 1_000_000 + k)),
        };

        // Warm up (connections, the spec) with validation on: every body must be valid.
        let first = chat.post(&card(0, Some("1".into()))).await.expect("card");
        let thread = chat.start_conversation(&first, &summary(0, now)).await.expect("thread");
        chat.post(&warning(0, &thread)).await.expect("warning");
        chat.edit(&first, &card(0, None)).await.expect("edit");
        fake.assert_valid();
        fake.set_validation(false);

        let (mut cards, mut posts, mut edits) = (Vec::new(), Vec::new(), Vec::new());
        for k in 1..=n {
            let t = Instant::now();
            let r = chat.post(&card(k, Some(format!("{}", 10 + k)))).await.expect("card");
            cards.push(t.elapsed());
            let t = Instant::now();
            chat.post(&warning(k, &thread)).await.expect("warning");
            posts.push(t.elapsed());
            let t = Instant::now();
            chat.edit(&r, &card(k, None)).await.expect("edit");
            edits.push(t.elapsed());
        }
        report("card post (embed + buttons)", cards);
        report("thread post with pings and nonce", posts);
        report("card edit", edits);
    });
}
