//! Test harness for end-to-end scenarios over the real service, scheduler and SQLite store,
//! driven by a fake clock.
//!
//! - [`RecordingChat`] is the chat: it records every [`Post`] with the fake clock's time
//!   at posting and, like Discord, drops a message whose nonce it has already seen (counting
//!   the drops).
//! - [`Harness`] wires a [`Config`] (defaults, or a `vakt.toml` text), the shipped agreements,
//!   a [`FakeClock`], a [`SqliteStore`] on a database file and `app::wire`.
//! - [`Harness::advance_to`] moves the clock like the console's `/clock set`: it steps through
//!   the store's next due times up to the target, setting the clock to each and ticking the
//!   scheduler at it, so every job runs at its own time.
//!
//! Nothing here reads the wall clock or sleeps.

#![allow(dead_code)]

pub mod backends;
pub mod discord_fake;
pub mod discord_world;
pub mod fixtures;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use vakt::agreements::Catalog;
use vakt::app::{self, App};
use vakt::config::ChatTarget;
use vakt::config::Config;
use vakt::console::clock::FakeClock;
use vakt::domain::classify::Facts;
use vakt::domain::ids::IncidentId;
use vakt::domain::incident::{Event, Incident, TimelineEntry};
use vakt::scheduler::{Scheduler, TickReport};
use vakt::service::ports::{Chat, ChatError, Clock, IncidentSummary, Job, Mention, MessageRef, Post, Store};
use vakt::service::{Actor, Service};
use vakt::storage::SqliteStore;

/// An instant from `2026-11-20T21:30+01:00` or `2026-11-20T21:30:15+01:00`.
pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M%:z"))
        .unwrap_or_else(|e| panic!("test time {s:?}: {e}"))
        .with_timezone(&Utc)
}

/// The local time format used in expectations: `Fri 11-20 16:52:30`.
pub const LOCAL: &str = "%a %m-%d %H:%M:%S";

/// `t` in `tz`, as [`LOCAL`].
pub fn local(tz: Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(&tz).format(LOCAL).to_string()
}

/// Facts with an impact only.
pub fn facts(impact: &str) -> Facts {
    Facts {
        impact: impact.to_string(),
        ..Facts::default()
    }
}

/// Facts with an impact and a share of users affected.
pub fn facts_users(impact: &str, users: f64) -> Facts {
    Facts {
        users_affected: Some(users),
        ..facts(impact)
    }
}

/// A reclassification naming every fact of `f` (a share left out is cleared): the facts
/// after it are exactly `f`.
pub fn every_fact(f: Facts) -> vakt::domain::classify::FactsChange {
    use vakt::domain::classify::{Fact, FactsChange};
    FactsChange {
        clear: if f.users_affected.is_none() {
            vec![Fact::Users]
        } else {
            vec![]
        },
        impact: Some(f.impact),
        users_affected: f.users_affected,
        security: Some(f.security),
        workaround: Some(f.workaround),
    }
}

/// A responder (chat role `responder`, the default responder role).
pub fn responder() -> Actor {
    Actor::new("rita", vec!["responder".into()])
}

/// Opens the tests' usual Borger.dk incident through `service`: "Selvbetjening slow", ten
/// users affected (priority 2), by [`responder`].
pub async fn open_borger(service: &Service) -> Incident {
    service
        .open(
            &responder(),
            "borger-dk",
            "Selvbetjening slow",
            "",
            facts_users("users", 10.0),
        )
        .await
        .expect("open")
}

/// A manager (chat role `manager`, the default manager role).
pub fn manager() -> Actor {
    Actor::new("mona", vec!["manager".into()])
}

/// One message the chat accepted.
#[derive(Debug, Clone)]
pub struct Posted {
    /// The fake clock's time when it was posted.
    pub at: DateTime<Utc>,
    /// The message.
    pub message: Post,
}

#[derive(Debug, Default)]
struct ChatLog {
    posted: Vec<Posted>,
    seen: HashSet<String>,
    dropped: usize,
    /// Fail this many posts with this nonce (any nonce when `None`).
    fail: Option<(Option<String>, usize)>,
    /// Deliver the next post, then answer with an error, as a runner that crashed right
    /// after posting would see it.
    lose_reply: bool,
    failed: usize,
}

/// Whether a post announces a change a person made (opened, acknowledged, updated, priority
/// changed, resolved, reopened, closed) rather than something the scheduler decided.
pub fn is_announcement(p: &Posted) -> bool {
    use vakt::service::ports::Notice;
    matches!(
        p.message.notice,
        Notice::Opened { .. }
            | Notice::Acknowledged { .. }
            | Notice::Updated { .. }
            | Notice::PriorityChanged { .. }
            | Notice::Resolved { .. }
            | Notice::Reopened { .. }
            | Notice::Closed { .. }
            | Notice::LeadChanged { .. }
            | Notice::Edited { .. }
            | Notice::Snoozed { .. }
            | Notice::MarkedDuplicate { .. }
    )
}

/// A chat that records what it is sent and drops repeated nonces (as Discord does).
#[derive(Debug)]
pub struct RecordingChat {
    clock: Mutex<Arc<FakeClock>>,
    log: Mutex<ChatLog>,
}

impl RecordingChat {
    /// A chat that stamps messages with `clock`.
    pub fn new(clock: Arc<FakeClock>) -> Self {
        RecordingChat {
            clock: Mutex::new(clock),
            log: Mutex::new(ChatLog::default()),
        }
    }

    /// Stamps messages with `clock` from now on (a chat shared with a restarted process).
    pub fn use_clock(&self, clock: Arc<FakeClock>) {
        *self.clock.lock().unwrap_or_else(|e| e.into_inner()) = clock;
    }

    fn log(&self) -> std::sync::MutexGuard<'_, ChatLog> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Everything accepted so far but the announcements of changes people made (see
    /// [`is_announcement`]); scheduling tests look at what the scheduler posts on its own.
    pub fn posted(&self) -> Vec<Posted> {
        self.log()
            .posted
            .iter()
            .filter(|p| !is_announcement(p))
            .cloned()
            .collect()
    }

    /// Everything accepted so far, announcements included.
    pub fn posted_all(&self) -> Vec<Posted> {
        self.log().posted.clone()
    }

    /// What [`RecordingChat::posted`] shows since the last take, and forgets everything
    /// (nonces stay remembered).
    pub fn take(&self) -> Vec<Posted> {
        std::mem::take(&mut self.log().posted)
            .into_iter()
            .filter(|p| !is_announcement(p))
            .collect()
    }

    /// Everything accepted since the last take, announcements included, and forgets it.
    pub fn take_all(&self) -> Vec<Posted> {
        std::mem::take(&mut self.log().posted)
    }

    /// Messages dropped because their nonce had been seen.
    pub fn dropped(&self) -> usize {
        self.log().dropped
    }

    /// Makes the next `times` posts carrying `nonce` (any post when `None`) fail, as an
    /// unreachable chat would; a failed post is not recorded and its nonce not remembered.
    pub fn fail_next(&self, nonce: Option<String>, times: usize) {
        self.log().fail = Some((nonce, times));
    }

    /// Delivers the next post but answers it with an error: from the runner's side, like
    /// crashing right after the post and before its commit.
    pub fn lose_next_reply(&self) {
        self.log().lose_reply = true;
    }

    /// Posts refused by [`RecordingChat::fail_next`].
    pub fn failed(&self) -> usize {
        self.log().failed
    }
}

#[async_trait::async_trait]
impl Chat for RecordingChat {
    async fn post(&self, message: &Post) -> Result<MessageRef, ChatError> {
        let now = self.clock.lock().unwrap_or_else(|e| e.into_inner()).now();
        let mut log = self.log();
        if let Some((which, left)) = &mut log.fail
            && *left > 0
            && (which.is_none() || *which == message.nonce)
        {
            *left -= 1;
            log.failed += 1;
            return Err(ChatError::transient("chat unreachable (test)"));
        }
        let reference = MessageRef {
            channel: format!("{}/{}", message.channel.agreement, message.channel.kind),
            message: message
                .nonce
                .clone()
                .unwrap_or_else(|| format!("m{}", log.posted.len())),
        };
        if let Some(n) = &message.nonce
            && !log.seen.insert(n.clone())
        {
            log.dropped += 1;
            return Ok(reference);
        }
        log.posted.push(Posted {
            at: now,
            message: message.clone(),
        });
        if std::mem::take(&mut log.lose_reply) {
            return Err(ChatError::transient("the runner crashed after posting (test)"));
        }
        Ok(reference)
    }

    async fn edit(&self, _: &MessageRef, _: &Post) -> Result<(), ChatError> {
        Ok(())
    }

    async fn start_conversation(&self, card: &MessageRef, _: &IncidentSummary) -> Result<MessageRef, ChatError> {
        Ok(card.clone())
    }
}

/// A database file in a temporary directory that outlives the harnesses opened on it.
pub struct TempDb {
    dir: tempfile::TempDir,
    /// The database file.
    pub path: PathBuf,
}

impl TempDb {
    /// A fresh directory with no database yet.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("vakt.db");
        TempDb { dir, path }
    }

    /// The directory (for a `vakt.toml`).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// How to build a harness.
pub struct Options<'a> {
    /// Where the clock starts.
    pub start: DateTime<Utc>,
    /// `vakt.toml` text, if any (else the defaults).
    pub config: Option<&'a str>,
    /// The scheduler's lease owner name.
    pub runner: &'a str,
    /// A chat to share with another harness (a chat that outlives a crashed process).
    pub chat: Option<Arc<RecordingChat>>,
    /// Agreements left out of the catalogue (a deployment that removed them).
    pub without: &'a [&'a str],
    /// Load the agreements from this directory instead of the shipped ones.
    pub dir: Option<&'a Path>,
    /// Wire this chat instead of the recording one (a Discord chat against the fake); the
    /// harness's [`RecordingChat`] then sees nothing.
    pub wire_chat: Option<Arc<dyn Chat>>,
}

impl Options<'_> {
    /// Defaults starting at `start`.
    pub fn at(start: DateTime<Utc>) -> Options<'static> {
        Options {
            start,
            config: None,
            runner: "runner-1",
            chat: None,
            without: &[],
            dir: None,
            wire_chat: None,
        }
    }
}

/// The agreements shipped in the crate.
pub fn catalog() -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("agreements");
    vakt::agreements::load_dir(&dir).unwrap_or_else(|e| panic!("agreements: {e}"))
}

/// Loads `config` text (or nothing) from `dir` and resolves it against `catalog`.
pub fn config(dir: &Path, text: Option<&str>, catalog: &Catalog) -> Config {
    let path = dir.join("vakt.toml");
    match text {
        Some(t) => std::fs::write(&path, t).expect("write vakt.toml"),
        None => {
            let _ = std::fs::remove_file(&path);
        }
    }
    let mut c = Config::load(&path, &|_| None).unwrap_or_else(|e| panic!("config: {e}"));
    c.resolve(catalog, &path).unwrap_or_else(|e| panic!("config: {e}"));
    c
}

/// A wired vakt over a fake clock, a recording chat and a SQLite file.
pub struct Harness {
    /// The fake clock.
    pub clock: Arc<FakeClock>,
    /// The chat.
    pub chat: Arc<RecordingChat>,
    /// The wired application.
    pub app: App,
    /// The store (also in `app`), as its concrete type for closing.
    pub sqlite: Arc<SqliteStore>,
    path: PathBuf,
    db: Option<TempDb>,
}

impl Harness {
    /// A harness on a fresh database with the default configuration.
    pub async fn start(start: &str) -> Harness {
        Self::fresh(Options::at(at(start))).await
    }

    /// A harness on a fresh database with `vakt.toml` text.
    pub async fn with_config(start: &str, config: &str) -> Harness {
        Self::fresh(Options {
            config: Some(config),
            ..Options::at(at(start))
        })
        .await
    }

    /// A harness on a fresh database of its own.
    pub async fn fresh(opts: Options<'_>) -> Harness {
        let db = TempDb::new();
        let mut h = Self::open(&db, opts).await;
        h.db = Some(db);
        h
    }

    /// A harness on `db` (created or reopened): a new "process".
    pub async fn open(db: &TempDb, opts: Options<'_>) -> Harness {
        let mut catalog = match opts.dir {
            Some(d) => vakt::agreements::load_dir(d).unwrap_or_else(|e| panic!("agreements: {e}")),
            None => catalog(),
        };
        catalog.agreements.retain(|a| !opts.without.contains(&a.id.as_str()));
        let config = config(db.dir(), opts.config, &catalog);
        let clock = Arc::new(FakeClock::new(opts.start));
        let chat = match opts.chat {
            Some(chat) => {
                chat.use_clock(clock.clone());
                chat
            }
            None => Arc::new(RecordingChat::new(clock.clone())),
        };
        let sqlite = Arc::new(SqliteStore::open(&db.path).await.expect("open SQLite store"));
        let store: Arc<dyn Store> = sqlite.clone();
        let wired: Arc<dyn Chat> = match opts.wire_chat {
            Some(c) => c,
            None => chat.clone(),
        };
        let app = app::wire(
            Arc::new(config),
            Arc::new(catalog),
            clock.clone(),
            wired,
            store,
            opts.runner,
        );
        Harness {
            clock,
            chat,
            app,
            sqlite,
            path: db.path.clone(),
            db: None,
        }
    }

    /// The SQLite database file.
    pub fn sqlite_path(&self) -> &Path {
        &self.path
    }

    /// The service.
    pub fn service(&self) -> &Service {
        &self.app.service
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.app.store
    }

    /// The scheduler.
    pub fn scheduler(&self) -> &Scheduler {
        &self.app.scheduler
    }

    /// The current fake time.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The zone of an agreement.
    pub fn tz(&self, agreement: &str) -> Tz {
        self.app.catalog.get(agreement).expect("agreement").tz
    }

    /// Sets the clock without running anything (time may only move forward).
    pub fn set_clock(&self, t: DateTime<Utc>) {
        assert!(t >= self.now(), "the fake clock only moves forward");
        self.clock.set(t);
    }

    /// Moves the clock to `t`, running every job due on the way at its own due time (like the
    /// console's `/clock set`). Panics if a job fails.
    pub async fn advance_to(&self, t: DateTime<Utc>) -> Vec<(DateTime<Utc>, TickReport)> {
        let reports = self.advance_tolerant(t).await;
        for (now, r) in &reports {
            assert!(
                r.retried == 0 && r.failed == 0,
                "jobs failed at {now}: {:?}",
                r.outcomes
            );
        }
        reports
    }

    /// Like [`Harness::advance_to`], but failing jobs are left to the scheduler's retries.
    /// Returns each tick's time and report.
    pub async fn advance_tolerant(&self, t: DateTime<Utc>) -> Vec<(DateTime<Utc>, TickReport)> {
        assert!(t >= self.now(), "the fake clock only moves forward");
        let mut reports = Vec::new();
        for _ in 0..100_000 {
            match self.store().next_due().await.expect("next_due") {
                Some(due) if due <= t => {
                    let now = due.max(self.now());
                    self.clock.set(now);
                    let r = self.scheduler().tick(now).await.expect("tick");
                    reports.push((now, r));
                }
                _ => {
                    self.clock.set(t);
                    return reports;
                }
            }
        }
        panic!("advance_to({t}): the scheduler never ran out of due jobs");
    }

    /// Like [`Harness::advance_to`] with a local time string.
    pub async fn advance(&self, t: &str) -> Vec<(DateTime<Utc>, TickReport)> {
        self.advance_to(at(t)).await
    }

    /// One tick at the current time.
    pub async fn tick(&self) -> TickReport {
        self.scheduler().tick(self.now()).await.expect("tick")
    }

    /// Every job in the store.
    pub async fn jobs(&self) -> Vec<Job> {
        self.store().jobs(None).await.expect("jobs")
    }

    /// The jobs of one incident.
    pub async fn jobs_of(&self, id: &str) -> Vec<Job> {
        self.store().jobs(Some(&IncidentId::new(id))).await.expect("jobs")
    }

    /// The incident as stored.
    pub async fn incident(&self, id: &str) -> Incident {
        self.store()
            .incident(&IncidentId::new(id))
            .await
            .expect("incident")
            .expect("exists")
    }

    /// The timeline of an incident.
    pub async fn timeline(&self, id: &str) -> Vec<TimelineEntry> {
        self.service().timeline(id).await.expect("timeline")
    }

    /// The timeline's events only.
    pub async fn events(&self, id: &str) -> Vec<Event> {
        self.timeline(id).await.into_iter().map(|e| e.event).collect()
    }

    /// One posted message as a line: `<local time> #<channel> <mentions> <job key>`, where the
    /// local time is in the agreement's zone ([`LOCAL`]), the channel is the configured name,
    /// and the job is found through the message's nonce (`-` without one).
    pub fn line(&self, p: &Posted, jobs: &[Job]) -> String {
        let agreement = &p.message.channel.agreement;
        let tz = self.tz(agreement);
        let c = &self.app.config.agreements[agreement].channels;
        let channel = match p.message.channel.kind {
            vakt::service::ports::ChannelKind::Incidents => &c.incidents,
            vakt::service::ports::ChannelKind::Status => &c.status,
            vakt::service::ports::ChannelKind::Summary => &c.summary,
        };
        let cfg = &self.app.config.agreements[agreement];
        let mentions: Vec<String> = p
            .message
            .mentions
            .iter()
            .flat_map(|m| match m {
                Mention::Ladder { role, .. } => vec![match cfg.roles.get(role) {
                    Some(ChatTarget::User(u)) => format!("@user:{u}"),
                    Some(ChatTarget::Role(r)) => format!("@{r}"),
                    None => format!("@{role}"),
                }],
                Mention::Responders => cfg.responders.iter().map(|r| format!("@{r}")).collect(),
                Mention::Managers => cfg.managers.iter().map(|r| format!("@{r}")).collect(),
                Mention::User(u) => vec![format!("@user:{u}")],
            })
            .collect();
        let key = p
            .message
            .nonce
            .as_ref()
            .and_then(|n| jobs.iter().find(|j| j.id.to_string() == *n))
            .map_or("-".to_string(), |j| j.key.clone());
        format!("{} #{channel} {} {key}", local(tz, p.at), mentions.join(","))
    }

    /// Lines for the messages posted since the last take (see [`Harness::line`]).
    pub async fn take_lines(&self) -> Vec<String> {
        let posted = self.chat.take();
        let jobs = self.jobs().await;
        posted.iter().map(|p| self.line(p, &jobs)).collect()
    }
}

/// A post as the console would print its text (for the few checks of wording).
pub fn text(h: &Harness, p: &Posted) -> String {
    let tz = h.tz(&p.message.channel.agreement);
    vakt::console::render::notice(
        &p.message.notice,
        &vakt::console::render::style(tz),
        p.message.late_since,
    )
}
