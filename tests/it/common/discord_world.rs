//! One Discord test world for the inbound and outbound tests: the fake Discord with a guild,
//! Borger.dk's three channels, its responder, manager and ladder roles, a ladder user, and
//! the `vakt.toml` text that maps the agreement onto them.

use super::discord_fake::{FakeDiscord, StoredMessage};
use super::{Harness, Options, TempDb, at};
use std::sync::Arc;
use std::time::Duration;
use vakt::discord::chat::{DiscordChat, Retries};
use vakt::service::ports::Chat;

/// The fake guild and the configuration that points vakt at it.
pub struct World {
    pub fake: FakeDiscord,
    pub incidents: u64,
    pub status: u64,
    pub summary: u64,
    pub responders: u64,
    pub managers: u64,
    pub second_level: u64,
    pub drift_user: u64,
    pub forretning: u64,
    /// The `vakt.toml` text mapping Borger.dk's channels, roles and ladder onto the guild.
    pub config: String,
}

impl World {
    pub async fn new() -> World {
        let fake = FakeDiscord::start().await;
        let ch = fake.standard_guild(&["bdk-incidents", "bdk-status", "bdk-summary"]);
        let responders = fake.add_role("responders", 0, true);
        let managers = fake.add_role("managers", 0, true);
        let second_level = fake.add_role("second-level", 0, true);
        let forretning = fake.add_role("kontorchef-forretning", 0, true);
        let drift_user = 1_200_000_000_000_000_077;
        fake.set_member(drift_user, &[]);
        let config = format!(
            r#"
[agreements.borger-dk]
# Borger.dk writes Danish; these tests read the English words.
language = "en"
responders = ["{responders}"]
managers = ["{managers}"]

[agreements.borger-dk.channels]
incidents = "{}"
status = "{}"
summary = "{}"

[agreements.borger-dk.roles]
second_level = "role:{second_level}"
kontorchef_drift = "user:{drift_user}"
kontorchef_forretning = "role:{forretning}"
"#,
            ch[0], ch[1], ch[2]
        );
        World {
            fake,
            incidents: ch[0],
            status: ch[1],
            summary: ch[2],
            responders,
            managers,
            second_level,
            drift_user,
            forretning,
            config,
        }
    }

    /// A Discord chat against the fake for `db`'s configuration, retrying briefly.
    pub fn chat(&self, db: &TempDb) -> Arc<dyn Chat> {
        self.chat_in(db.dir())
    }

    /// The same, its `vakt.toml` written in `dir`.
    pub fn chat_in(&self, dir: &std::path::Path) -> Arc<dyn Chat> {
        self.chat_with_in(
            dir,
            Retries {
                attempts: 4,
                base: Duration::from_millis(1),
                ..Retries::default()
            },
        )
    }

    /// A Discord chat against the fake for `db`'s configuration, retrying as `retries` says.
    pub fn chat_with(&self, db: &TempDb, retries: Retries) -> Arc<dyn Chat> {
        self.chat_with_in(db.dir(), retries)
    }

    /// A Discord chat whose `vakt.toml` is written in `dir`, retrying as `retries` says.
    fn chat_with_in(&self, dir: &std::path::Path, retries: Retries) -> Arc<dyn Chat> {
        let catalog = super::catalog();
        let config = super::config(dir, Some(&self.config), &catalog);
        Arc::new(DiscordChat::new(self.fake.http(), &config, Arc::new(catalog)).with_retries(retries))
    }

    /// The same world with the warning floor turned off (`warning_floor = "0"`): every
    /// warning percent of a short target is planned.
    pub fn without_warning_floor(mut self) -> World {
        self.config = self.config.replacen(
            "[agreements.borger-dk]\n",
            "[agreements.borger-dk]\nwarning_floor = \"0\"\n",
            1,
        );
        self
    }

    /// A vakt process on `db` at `start` posting to the fake, its scheduler named `runner`.
    pub async fn process(&self, db: &TempDb, start: &str, runner: &str) -> Harness {
        Harness::open(
            db,
            Options {
                config: Some(&self.config),
                runner,
                wire_chat: Some(self.chat(db)),
                ..Options::at(at(start))
            },
        )
        .await
    }

    /// The messages in the incident's thread (its id is the card's).
    pub fn thread(&self, card: &StoredMessage) -> Vec<StoredMessage> {
        self.fake.messages(card.id)
    }
}
