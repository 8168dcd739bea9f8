//! Effects once: a job's chat post happens once, outside any retry of the incident write, and
//! the record says it was posted — even when a person changes the incident while the post is
//! on its way. Each race is made deterministic by a chat whose post blocks until the test lets
//! it continue (no sleeps), and the chat keeps every post (no nonce de-duplication), so a
//! double post is visible. Run on SQLite always and on PostgreSQL when
//! `VAKT_TEST_POSTGRES_URL` is set (skipped loudly otherwise, a failure when `CI` is set).

use crate::common::backends::{Backend, on_backends};
use crate::common::{catalog, config, facts_users, open_borger, responder};
use crate::ops::{Switchable, UP, UPDATES_DOWN};
use chrono::{DateTime, Duration, Utc};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;
use vakt::app::{self, App};
use vakt::console::clock::FakeClock;
use vakt::domain::ids::IncidentId;
use vakt::domain::incident::Event;
use vakt::domain::plan::JobKind;
use vakt::service::health::Metrics;
use vakt::service::metered::MeteredStore;
use vakt::service::ports::{
    Chat, ChatError, ChatRefKey, Clock, IncidentSummary, Job, JobState, MessageRef, NewJob, Notice, Post, Store,
};

/// A post blocked in the chat: the test learns it arrived and says when it may continue.
struct Gate {
    matches: fn(&Post) -> bool,
    entered: oneshot::Sender<()>,
    release: oneshot::Receiver<()>,
}

/// A chat that keeps every post (no nonce de-duplication) and can hold one post back.
#[derive(Default)]
struct GatedChat {
    posts: Mutex<Vec<Post>>,
    gate: Mutex<Option<Gate>>,
    /// Conversations started, and how many starts are still to fail.
    conversations: Mutex<(usize, usize)>,
}

impl GatedChat {
    /// Holds back the next post that `matches`: the first receiver resolves when it arrives,
    /// and it continues when the returned sender is used (or dropped).
    fn hold(&self, matches: fn(&Post) -> bool) -> (oneshot::Receiver<()>, oneshot::Sender<()>) {
        let (entered, arrived) = oneshot::channel();
        let (go, release) = oneshot::channel();
        *self.gate.lock().expect("gate") = Some(Gate {
            matches,
            entered,
            release,
        });
        (arrived, go)
    }

    fn posts(&self) -> Vec<Post> {
        self.posts.lock().expect("posts").clone()
    }
}

#[async_trait::async_trait]
impl Chat for GatedChat {
    async fn post(&self, post: &Post) -> Result<MessageRef, ChatError> {
        let gate = {
            let mut g = self.gate.lock().expect("gate");
            if g.as_ref().is_some_and(|g| (g.matches)(post)) {
                g.take()
            } else {
                None
            }
        };
        if let Some(g) = gate {
            let _ = g.entered.send(());
            let _ = g.release.await;
        }
        let mut posts = self.posts.lock().expect("posts");
        posts.push(post.clone());
        Ok(MessageRef {
            channel: format!("{}/{}", post.channel.agreement, post.channel.kind),
            message: format!("m{}", posts.len()),
        })
    }

    async fn edit(&self, _: &MessageRef, _: &Post) -> Result<(), ChatError> {
        Ok(())
    }

    async fn start_conversation(&self, card: &MessageRef, _: &IncidentSummary) -> Result<MessageRef, ChatError> {
        let mut c = self.conversations.lock().expect("conversations");
        if c.1 > 0 {
            c.1 -= 1;
            return Err(ChatError::transient("no thread now (test)"));
        }
        c.0 += 1;
        Ok(MessageRef {
            channel: "thread".into(),
            message: card.message.clone(),
        })
    }
}

/// vakt wired over `backend`'s store, a fake clock at `start` and a gated chat.
async fn wire(backend: &Backend, start: DateTime<Utc>) -> (App, Arc<GatedChat>, Arc<FakeClock>) {
    wire_over(backend, backend.open().await, start)
}

/// [`wire`] over `store` (the backend's, wrapped).
fn wire_over(backend: &Backend, store: Arc<dyn Store>, start: DateTime<Utc>) -> (App, Arc<GatedChat>, Arc<FakeClock>) {
    let catalog = catalog();
    let config = config(backend.dir(), None, &catalog);
    let clock = Arc::new(FakeClock::new(start));
    let chat = Arc::new(GatedChat::default());
    let app = app::wire(
        Arc::new(config),
        Arc::new(catalog),
        clock.clone(),
        chat.clone(),
        store,
        "runner-1",
    );
    (app, chat, clock)
}

/// The jobs of incident `id` as stored.
async fn jobs_of(app: &App, id: &IncidentId) -> Vec<Job> {
    app.store.jobs(Some(id)).await.expect("jobs")
}

/// Opens a Borger.dk incident, runs its opening jobs, and returns its id and its first pending
/// warning (the response warning).
async fn open_with_warning(app: &App, clock: &FakeClock) -> (IncidentId, Job) {
    let inc = open_borger(&app.service).await;
    app.scheduler.tick(clock.now()).await.expect("opening jobs");
    (inc.id().clone(), first_warning(app, inc.id()).await)
}

/// The first pending warning of incident `id` (its response warning).
async fn first_warning(app: &App, id: &IncidentId) -> Job {
    jobs_of(app, id)
        .await
        .into_iter()
        .filter(|j| j.kind == JobKind::Warning && j.state == JobState::Pending)
        .min_by_key(|j| j.due_at)
        .expect("a response warning is planned")
}

/// Incident `id`'s card was posted once, one conversation was started, and its opening job
/// is recorded as posted.
async fn assert_opened_once(app: &App, chat: &GatedChat, id: &IncidentId) {
    let cards: Vec<Post> = (chat.posts().into_iter())
        .filter(|p| matches!(p.notice, Notice::Opened { .. }))
        .collect();
    assert_eq!(cards.len(), 1, "the card is posted once: {cards:?}");
    assert_eq!(
        chat.conversations.lock().expect("conversations").0,
        1,
        "one conversation"
    );
    let opening = (jobs_of(app, id).await.into_iter())
        .find(|j| j.kind == JobKind::Announce && j.payload["event"] == "opened")
        .expect("the opening job");
    assert_recorded_posted(app, opening.id).await;
}

/// Incident `id`'s card and conversation are stored.
async fn assert_card_and_conversation_stored(app: &App, id: &IncidentId) {
    for key in [ChatRefKey::Card(id.clone()), ChatRefKey::Conversation(id.clone())] {
        let stored = app.store.chat_ref(&key).await.expect("ref");
        assert!(stored.is_some(), "{key} is stored");
    }
}

fn start() -> DateTime<Utc> {
    crate::common::at("2026-11-23T09:00:00+01:00")
}

async fn job(app: &App, id: i64) -> Job {
    app.store
        .jobs(None)
        .await
        .expect("jobs")
        .into_iter()
        .find(|j| j.id == id)
        .expect("the job")
}

/// The record of a job that posted: done as `posted`, with its post's reference stored.
async fn assert_recorded_posted(app: &App, id: i64) {
    let j = job(app, id).await;
    assert_eq!(j.state, JobState::Done, "{j:?}");
    assert_eq!(
        j.outcome.as_deref(),
        Some("posted"),
        "the record says it was posted: {j:?}"
    );
    assert!(
        app.store
            .chat_ref(&ChatRefKey::JobPost(id))
            .await
            .expect("ref")
            .is_some(),
        "the post's reference is stored"
    );
}

/// A person acknowledges while the response warning is being posted: the warning is posted
/// once and recorded as posted, with its timeline entry (not as skipped, milestone met).
async fn acknowledgement_races_a_warning(backend: Backend) {
    let (app, chat, clock) = wire(&backend, start()).await;
    let svc = app.service.clone();
    let (id, warning) = open_with_warning(&app, &clock).await;
    let id = id.to_string();
    clock.set(warning.due_at);
    let (arrived, go) = chat.hold(|p| matches!(p.notice, Notice::Warning { .. }));
    let scheduler = app.scheduler.clone();
    let at = warning.due_at;
    let run = tokio::spawn(async move { scheduler.tick(at).await });
    arrived.await.expect("the warning reaches the chat");
    // The acknowledgement lands while the warning is in flight.
    svc.acknowledge(&responder(), &id).await.expect("ack");
    go.send(()).expect("release the post");
    let report = run.await.expect("tick task").expect("tick");
    assert_eq!(report.failed + report.retried, 0, "{report:?}");

    let warnings = chat
        .posts()
        .iter()
        .filter(|p| matches!(p.notice, Notice::Warning { .. }))
        .count();
    assert_eq!(warnings, 1, "exactly one warning posted");
    assert_recorded_posted(&app, warning.id).await;
    let events: Vec<Event> = svc
        .timeline(&id)
        .await
        .expect("timeline")
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(
        events.iter().filter(|e| matches!(e, Event::WarningSent { .. })).count(),
        1,
        "the warning is on the timeline once: {events:?}"
    );
}

/// The incident's thread appears (its opening job runs) while a manual escalation is being
/// posted: the escalation is posted once, where it was first sent, and recorded as posted.
async fn thread_appears_while_an_escalation_posts(backend: Backend) {
    let (app, chat, clock) = wire(&backend, start()).await;
    let svc = app.service.clone();
    let inc = open_borger(&app.service).await;
    let id = inc.id().to_string();
    svc.escalate(&responder(), &id, "customer calls")
        .await
        .expect("escalate");
    let now = clock.now();
    let claimed = app
        .store
        .claim(now, "runner-1", now + Duration::seconds(60), 100)
        .await
        .expect("claim");
    let escalation = claimed
        .iter()
        .find(|j| j.kind == JobKind::Notify && !j.payload["level"].is_null())
        .cloned()
        .expect("the manual escalation's post is due");
    let opening = claimed
        .iter()
        .find(|j| j.kind == JobKind::Announce && j.payload["event"] == "opened")
        .cloned()
        .expect("the opening announcement is due");
    let (arrived, go) = chat.hold(|p| matches!(p.notice, Notice::Escalated { .. }));
    let service = svc.clone();
    let esc = escalation.clone();
    let run = tokio::spawn(async move { service.handle_job(&esc, "runner-1", now).await });
    arrived.await.expect("the escalation reaches the chat");
    // Meanwhile the opening job posts the card and starts the incident's thread.
    svc.handle_job(&opening, "runner-1", now).await.expect("opening");
    assert!(
        app.store
            .chat_ref(&ChatRefKey::Conversation(inc.id().clone()))
            .await
            .expect("ref")
            .is_some(),
        "the thread exists now"
    );
    go.send(()).expect("release the post");
    run.await.expect("escalation task").expect("escalation job");

    let escalations: Vec<Post> = chat
        .posts()
        .into_iter()
        .filter(|p| matches!(p.notice, Notice::Escalated { .. }))
        .collect();
    assert_eq!(escalations.len(), 1, "exactly one escalation posted: {escalations:?}");
    assert_eq!(escalations[0].conversation, None, "posted where it was first sent");
    assert_recorded_posted(&app, escalation.id).await;
}

/// The opening post goes out, then starting its thread fails: the job is retried, and the
/// retry posts nothing again — it starts the thread under the card it posted — and is
/// recorded as posted.
async fn a_retry_after_the_post_does_not_post_again(backend: Backend) {
    let (app, chat, clock) = wire(&backend, start()).await;
    let inc = open_borger(&app.service).await;
    chat.conversations.lock().expect("conversations").1 = 1;
    let first = app.scheduler.tick(clock.now()).await.expect("tick");
    assert_eq!(first.retried, 1, "starting the thread failed: {first:?}");
    let retry_at = clock.now() + Duration::minutes(5);
    clock.set(retry_at);
    let second = app.scheduler.tick(retry_at).await.expect("tick");
    assert_eq!(second.retried + second.failed, 0, "{second:?}");

    assert_opened_once(&app, &chat, inc.id()).await;
    let thread = app
        .store
        .chat_ref(&ChatRefKey::Conversation(inc.id().clone()))
        .await
        .expect("ref");
    assert!(thread.is_some(), "the thread is stored");
}

/// A tick that outlives its lease keeps its jobs: runner A, posting one job at a time,
/// claims two of three opening posts (its slot and one ahead), and each post takes 50 s of
/// the (fake) clock. Before its second post A's claim would have run out, so A renews what it
/// has left to now plus the lease; runner B, ticking at 100 s, finds none of A's jobs expired
/// and takes none of them. Every card is posted once.
async fn a_tick_held_past_its_lease_keeps_its_jobs(backend: Backend) {
    let (app, chat, clock) = wire(&backend, start()).await;
    for title in ["Selvbetjening slow", "Login down", "Search broken"] {
        app.service
            .open(&responder(), "borger-dk", title, "", facts_users("users", 10.0))
            .await
            .expect("open");
    }
    let opened = |p: &Post| matches!(p.notice, Notice::Opened { .. });
    let t0 = clock.now();
    let (first_in, first_go) = chat.hold(opened);
    let a = Arc::new(app.runner("runner-1", 1));
    let run = tokio::spawn(async move { a.tick(t0).await });
    first_in.await.expect("the first card reaches the chat");
    let held: Vec<i64> = app
        .store
        .jobs(None)
        .await
        .expect("jobs")
        .into_iter()
        .filter(|j| j.state == JobState::Running && j.lease_owner.as_deref() == Some("runner-1"))
        .map(|j| j.id)
        .collect();
    assert_eq!(held.len(), 2, "runner A claimed two opening posts: {held:?}");

    // The first post takes 50 s; the second is held too, 50 s more: 100 s into a 60 s lease.
    let (second_in, second_go) = chat.hold(opened);
    clock.advance(Duration::seconds(50));
    first_go.send(()).expect("release the first post");
    second_in.await.expect("the second card reaches the chat");
    clock.advance(Duration::seconds(50));
    let b = app.runner("runner-2", vakt::scheduler::CONCURRENCY);
    let report = b.tick(clock.now()).await.expect("runner B ticks");
    assert_eq!(report.requeued, 0, "no lease of A's expired: {report:?}");
    for j in app.store.jobs(None).await.expect("jobs") {
        if held.contains(&j.id) {
            assert_ne!(j.lease_owner.as_deref(), Some("runner-2"), "B took A's job: {j:?}");
        }
    }
    second_go.send(()).expect("release the second post");
    let report = run.await.expect("tick task").expect("tick");
    assert_eq!(report.failed + report.retried, 0, "{report:?}");
    assert!(
        report.outcomes.iter().all(|(_, o)| o != "lease lost"),
        "A kept every lease: {report:?}"
    );
    let cards = chat.posts().into_iter().filter(opened).count();
    assert_eq!(cards, 3, "each card posted once");
    for id in held {
        assert_eq!(job(&app, id).await.state, JobState::Done, "job {id} ran");
    }
}

/// Counts the store's calls by port method, in order (a [`Metrics`] under `MeteredStore`).
#[derive(Default)]
struct Calls(Mutex<Vec<&'static str>>);

impl Calls {
    fn take(&self) -> Vec<&'static str> {
        std::mem::take(&mut *self.0.lock().expect("calls"))
    }
}

impl Metrics for Calls {
    fn tick(&self, _: bool) {}
    fn job(&self, _: &str, _: vakt::service::health::JobOutcome) {}
    fn post(&self, _: &str, _: vakt::service::health::PostOutcome) {}
    fn interaction(&self, _: &str, _: std::time::Duration) {}
    fn store_call(&self, op: &'static str, _: std::time::Duration) {
        self.0.lock().expect("calls").push(op);
    }
    fn breached(&self, _: &str, _: &str) {}
}

/// A job costs few store calls on the runner's real path: a posted warning makes one of its
/// own — its record, with its post's reference in the same commit (no lease renewal, no
/// reads: the batch read them) — and a skip with nothing to plan none: its finish commits with
/// the batch's. Per batch: the claim, one read of the jobs' inputs, and the claim that finds
/// none. An incident's card stores no reference on its own: the card's, its conversation's and
/// the post's commit with the opening's record.
async fn a_job_makes_few_store_calls(backend: Backend) {
    let calls = Arc::new(Calls::default());
    let store: Arc<dyn Store> = Arc::new(MeteredStore::new(backend.open().await, calls.clone()));
    let (app, _chat, clock) = wire_over(&backend, store, start());
    let inc = open_borger(&app.service).await;
    calls.take();
    app.scheduler.tick(clock.now()).await.expect("opening jobs");
    let made = calls.take();
    assert!(
        !made.contains(&"put_chat_ref"),
        "the card, its conversation and the post's reference commit with the opening's record: {made:?}"
    );
    assert_card_and_conversation_stored(&app, inc.id()).await;
    let id = inc.id().clone();
    let warning = first_warning(&app, &id).await;

    clock.set(warning.due_at);
    calls.take();
    let report = app.scheduler.tick(warning.due_at).await.expect("tick");
    let made = calls.take();
    assert_eq!(report.ran, 1, "only the warning is due: {report:?}");
    assert_recorded_posted(&app, warning.id).await;
    assert_eq!(
        made,
        ["requeue_expired", "claim", "job_inputs", "update_incident", "claim"],
        "a posted warning: its record, with its post's reference"
    );

    // Once the response is met, a response warning skips (one planned by hand: the
    // acknowledgement cancelled the real ones).
    app.service.acknowledge(&responder(), id.as_str()).await.expect("ack");
    app.scheduler
        .tick(clock.now())
        .await
        .expect("the acknowledgement's announcement");
    let at = clock.now();
    app.store
        .schedule(&[NewJob {
            key: "late-warning".into(),
            kind: JobKind::Warning,
            incident: Some(id.clone()),
            group: warning.group,
            due_at: at,
            payload: warning.payload.clone(),
        }])
        .await
        .expect("schedule");
    calls.take();
    let report = app.scheduler.tick(at).await.expect("tick");
    let made = calls.take();
    assert_eq!(report.ran, 1, "{report:?}");
    let skipped = jobs_of(&app, &id)
        .await
        .into_iter()
        .find(|j| j.key == "late-warning")
        .expect("the job");
    assert_eq!(skipped.state, JobState::Done, "{skipped:?}");
    assert!(skipped.outcome.as_deref().is_some_and(|o| o != "posted"), "{skipped:?}");
    assert_eq!(
        made,
        ["requeue_expired", "claim", "job_inputs", "claim", "finish_many"],
        "a skip: its finish with the batch's, at the tick's end"
    );
}

/// Switches `store` up again and runs the retry five minutes later: nothing fails or is left
/// to retry.
async fn retry_with_the_store_up(app: &App, store: &Switchable, clock: &FakeClock) {
    store.mode.store(UP, Ordering::SeqCst);
    let retry_at = clock.now() + Duration::minutes(5);
    clock.set(retry_at);
    let second = app.scheduler.tick(retry_at).await.expect("tick");
    assert_eq!(second.retried + second.failed, 0, "{second:?}");
}

/// A posted warning whose record fails (the database refuses incident updates for a while)
/// keeps its post's reference alone: the job is retried, and the retry posts nothing again —
/// it records the post it finds, as posted.
async fn a_record_that_fails_keeps_its_post(backend: Backend) {
    let store = Arc::new(Switchable {
        inner: backend.open().await,
        mode: AtomicU8::new(UP),
    });
    let (app, chat, clock) = wire_over(&backend, store.clone(), start());
    let (_, warning) = open_with_warning(&app, &clock).await;
    let warnings = || {
        (chat.posts().into_iter())
            .filter(|p| matches!(p.notice, Notice::Warning { .. }))
            .count()
    };

    store.mode.store(UPDATES_DOWN, Ordering::SeqCst);
    clock.set(warning.due_at);
    let first = app.scheduler.tick(warning.due_at).await.expect("tick");
    assert_eq!(first.retried, 1, "the record failed: {first:?}");
    assert_eq!(warnings(), 1, "the warning went out");
    let kept = app.store.chat_ref(&ChatRefKey::JobPost(warning.id)).await.expect("ref");
    assert!(kept.is_some(), "the post's reference is kept without its record");

    retry_with_the_store_up(&app, &store, &clock).await;
    assert_eq!(warnings(), 1, "the retry posts nothing again");
    assert_recorded_posted(&app, warning.id).await;
}

/// The jobs of one incident claimed together read what they need once: the card's record
/// hands the page after it the incident as recorded, the conversation it started and the
/// card no longer unfinished, so the page reads nothing for itself (no incident, no
/// conversation, no unfinished jobs) — and goes into that conversation, right away.
async fn the_jobs_of_an_incident_in_one_batch_read_once(backend: Backend) {
    let calls = Arc::new(Calls::default());
    let store: Arc<dyn Store> = Arc::new(MeteredStore::new(backend.open().await, calls.clone()));
    let (app, chat, clock) = wire_over(&backend, store, start());
    let inc = app
        .service
        .open(&responder(), "borger-dk", "Login down", "", facts_users("users", 30.0))
        .await
        .expect("open");
    calls.take();
    let report = app.scheduler.tick(clock.now()).await.expect("tick");
    let made = calls.take();
    assert_eq!((report.ran, report.waited), (2, 0), "the card and the page: {report:?}");
    // Claims may come between the jobs (the runner claims ahead while one runs).
    let besides_claims: Vec<_> = (made.iter())
        .filter(|c| !matches!(**c, "claim" | "requeue_expired"))
        .collect();
    assert_eq!(
        besides_claims,
        [&"job_inputs", &"update_incident", &"update_incident"],
        "each job's record, and nothing read but the batch's inputs: {made:?}"
    );
    let conversation = app
        .store
        .chat_ref(&ChatRefKey::Conversation(inc.id().clone()))
        .await
        .expect("ref")
        .expect("the card's conversation");
    let page = (chat.posts().into_iter())
        .find(|p| matches!(p.notice, Notice::Notification { .. }))
        .expect("the page");
    assert_eq!(page.conversation, Some(conversation), "the page went under the card");
    for j in jobs_of(&app, inc.id()).await.iter().filter(|j| j.due_at <= clock.now()) {
        assert_recorded_posted(&app, j.id).await;
    }
}

/// An opening whose record fails (the database refuses incident updates for a while) keeps
/// its card and the conversation started under it: the retry posts no second card, starts no
/// second conversation, and records the opening as posted.
async fn an_opening_whose_record_fails_keeps_its_card_and_conversation(backend: Backend) {
    let store = Arc::new(Switchable {
        inner: backend.open().await,
        mode: AtomicU8::new(UP),
    });
    let (app, chat, clock) = wire_over(&backend, store.clone(), start());
    let inc = open_borger(&app.service).await;
    let cards = || {
        (chat.posts().into_iter())
            .filter(|p| matches!(p.notice, Notice::Opened { .. }))
            .count()
    };

    store.mode.store(UPDATES_DOWN, Ordering::SeqCst);
    let first = app.scheduler.tick(clock.now()).await.expect("tick");
    assert!(first.retried >= 1, "the opening's record failed: {first:?}");
    assert_eq!(cards(), 1, "the card went out");
    assert_eq!(
        chat.conversations.lock().expect("conversations").0,
        1,
        "its conversation started"
    );
    assert_card_and_conversation_stored(&app, inc.id()).await;

    retry_with_the_store_up(&app, &store, &clock).await;
    assert_opened_once(&app, &chat, inc.id()).await;
}

on_backends!(
    a_job_makes_few_store_calls,
    an_opening_whose_record_fails_keeps_its_card_and_conversation,
    the_jobs_of_an_incident_in_one_batch_read_once,
    a_record_that_fails_keeps_its_post,
    acknowledgement_races_a_warning,
    a_tick_held_past_its_lease_keeps_its_jobs,
    thread_appears_while_an_escalation_posts,
    a_retry_after_the_post_does_not_post_again,
);
