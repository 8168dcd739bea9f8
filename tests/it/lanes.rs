//! The runner's lanes and claim sizing, observed through a chat that holds posts until the
//! test lets them go (no sleeps decide anything; waiting for a post to arrive is bounded only
//! so a broken runner fails instead of hanging): jobs of different incidents post side by side
//! while each incident's own jobs go one after another in their order; a shutdown finishes the
//! jobs running and releases the claimed ones not started; a runner whose slots are all busy
//! holds no more than its slots and a small margin, and a second runner takes the rest; a job
//! claimed while an earlier job of its incident is still posting does not decide on what was
//! read before that post was recorded.

use crate::common::{Harness, Options, at, facts_users, responder};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use vakt::scheduler::{Scheduler, ahead};
use vakt::service::ports::{Chat, ChatError, IncidentSummary, Job, JobState, MessageRef, Post};

/// What the held chat has seen.
#[derive(Default)]
struct Flight {
    /// The incidents of the posts on their way now (one entry per post).
    in_flight: Vec<String>,
    /// The most posts on their way at once.
    most: usize,
    /// A post started while another of its incident was on its way.
    clash: bool,
    /// Nonces of the posts answered, in order.
    answered: Vec<String>,
    /// The conversation each answered post went into (by nonce; `None`: the channel).
    into: HashMap<String, Option<String>>,
}

/// A chat that holds every post while `hold` is set until the test adds permits, and knows
/// each job's incident by its nonce (filled in by the test).
struct HeldChat {
    incident_of: Mutex<HashMap<String, String>>,
    flight: Mutex<Flight>,
    hold: AtomicBool,
    /// While set, only this incident's posts are held.
    only: Mutex<Option<String>>,
    gate: tokio::sync::Semaphore,
}

impl HeldChat {
    fn new() -> Arc<HeldChat> {
        Arc::new(HeldChat {
            incident_of: Mutex::new(HashMap::new()),
            flight: Mutex::new(Flight::default()),
            hold: AtomicBool::new(true),
            only: Mutex::new(None),
            gate: tokio::sync::Semaphore::new(0),
        })
    }

    fn flight(&self) -> std::sync::MutexGuard<'_, Flight> {
        self.flight.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Learns the incident of every job in the store.
    fn know(&self, jobs: &[Job]) {
        let mut map = self.incident_of.lock().unwrap_or_else(|e| e.into_inner());
        for j in jobs {
            let incident = j.incident.as_ref().map_or("-".to_string(), |i| i.to_string());
            map.insert(j.id.to_string(), incident);
        }
    }

    /// Lets every held post and every later one through.
    fn open_gate(&self) {
        self.hold.store(false, Ordering::SeqCst);
        self.gate.add_permits(10_000);
    }

    /// Waits until `n` posts are on their way (bounded, so a broken runner fails the test).
    async fn until_in_flight(&self, n: usize) {
        let wait = async {
            while self.flight().in_flight.len() < n {
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
        };
        if tokio::time::timeout(std::time::Duration::from_secs(30), wait)
            .await
            .is_err()
        {
            panic!("{n} posts never were on their way at once");
        }
    }
}

#[async_trait::async_trait]
impl Chat for HeldChat {
    async fn post(&self, post: &Post) -> Result<MessageRef, ChatError> {
        let nonce = post.nonce.clone().unwrap_or_default();
        let incident = (self.incident_of.lock().unwrap_or_else(|e| e.into_inner()))
            .get(&nonce)
            .cloned()
            .unwrap_or_else(|| format!("unknown {nonce}"));
        {
            let mut f = self.flight();
            if f.in_flight.contains(&incident) {
                f.clash = true;
            }
            f.in_flight.push(incident.clone());
            f.most = f.most.max(f.in_flight.len());
        }
        let held = (self.only.lock().unwrap_or_else(|e| e.into_inner()))
            .as_ref()
            .is_none_or(|only| *only == incident);
        if self.hold.load(Ordering::SeqCst)
            && held
            && let Ok(permit) = self.gate.acquire().await
        {
            permit.forget();
        }
        let mut f = self.flight();
        if let Some(k) = f.in_flight.iter().position(|i| *i == incident) {
            f.in_flight.remove(k);
        }
        f.answered.push(nonce.clone());
        let into = post.conversation.as_ref().map(|c| c.message.clone());
        f.into.insert(nonce.clone(), into);
        Ok(MessageRef {
            channel: format!("{}/{}", post.channel.agreement, post.channel.kind),
            message: nonce,
        })
    }

    async fn edit(&self, _: &MessageRef, _: &Post) -> Result<(), ChatError> {
        Ok(())
    }

    async fn start_conversation(&self, card: &MessageRef, _: &IncidentSummary) -> Result<MessageRef, ChatError> {
        Ok(MessageRef {
            channel: card.channel.clone(),
            message: format!("{}.thread", card.message),
        })
    }
}

/// A harness whose chat is `chat`, with `incidents` Borger.dk P1 incidents opened at once
/// (each plans its card and its first notification, due at once).
async fn opened(chat: &Arc<HeldChat>, incidents: usize) -> Harness {
    let h = Harness::fresh(Options {
        wire_chat: Some(chat.clone()),
        ..Options::at(at("2026-11-20T21:30+01:00"))
    })
    .await;
    for k in 0..incidents {
        h.service()
            .open(
                &responder(),
                "borger-dk",
                &format!("Login down {k}"),
                "",
                facts_users("users", 30.0),
            )
            .await
            .expect("open");
    }
    chat.know(&h.jobs().await);
    h
}

/// The jobs due at `h`'s now, by due time and id (claim order).
async fn due(h: &Harness) -> Vec<Job> {
    let mut due: Vec<Job> = (h.jobs().await.into_iter())
        .filter(|j| j.state == JobState::Pending && j.due_at <= h.now())
        .collect();
    due.sort_by_key(|j| (j.due_at, j.id));
    due
}

#[tokio::test]
async fn incidents_post_side_by_side_and_each_incident_in_order() {
    let chat = HeldChat::new();
    let h = opened(&chat, 2).await;
    let due = due(&h).await;
    assert_eq!(due.len(), 4, "two posts of each incident due: {due:#?}");

    let scheduler = h.app.scheduler.clone();
    let now = h.now();
    let tick = tokio::spawn(async move { scheduler.tick(now).await });
    chat.until_in_flight(2).await;
    chat.open_gate();
    let report = tick.await.expect("tick task").expect("tick");

    let f = chat.flight();
    assert!(f.most >= 2, "posts of two incidents were on their way at once");
    assert!(!f.clash, "never two posts of one incident at once");
    // Each incident's posts in the order they were planned.
    for incident in ["BDK-2026-0001", "BDK-2026-0002"] {
        let planned: Vec<String> = (due.iter())
            .filter(|j| j.incident.as_ref().is_some_and(|i| i.as_str() == incident))
            .map(|j| j.id.to_string())
            .collect();
        let posted: Vec<String> = (f.answered.iter()).filter(|n| planned.contains(n)).cloned().collect();
        assert_eq!(posted, planned, "{incident}'s posts in their order");
    }
    // Every job ran once; the report lists them in claim order.
    assert_eq!(report.ran, 4, "{report:?}");
    let keys: Vec<&str> = report.outcomes.iter().map(|(k, _)| k.as_str()).collect();
    let claim_order: Vec<&str> = due.iter().map(|j| j.key.as_str()).collect();
    assert_eq!(keys, claim_order);
    assert_eq!(f.answered.len(), 4);
}

#[tokio::test]
async fn shutdown_finishes_running_jobs_and_releases_the_claimed_rest() {
    let chat = HeldChat::new();
    let h = opened(&chat, 2).await;
    let due = due(&h).await;
    assert_eq!(due.len(), 4);

    // Two slots: it claims three (two slots and one ahead) and starts one of each incident.
    let runner = Arc::new(Scheduler::new(h.store().clone(), h.app.service.clone(), "runner-2").with_concurrency(2));
    assert_eq!(ahead(2), 1);
    let stop = Arc::new(AtomicBool::new(false));
    let (r, s, now) = (runner.clone(), stop.clone(), h.now());
    let tick = tokio::spawn(async move {
        let stop = move || s.load(Ordering::SeqCst);
        r.tick_until(now, &stop).await
    });
    chat.until_in_flight(2).await;
    let claimed: Vec<Job> = (h.jobs().await.into_iter())
        .filter(|j| j.state == JobState::Running)
        .collect();
    assert_eq!(claimed.len(), 3, "two running, one claimed ahead: {claimed:#?}");
    stop.store(true, Ordering::SeqCst);
    chat.open_gate();
    let report = tick.await.expect("tick task").expect("tick");
    assert_eq!(report.ran, 2, "the two running jobs finished: {report:?}");

    let answered = chat.flight().answered.clone();
    assert_eq!(answered.len(), 2);
    for j in h.jobs().await.into_iter().filter(|j| due.iter().any(|d| d.id == j.id)) {
        if answered.contains(&j.id.to_string()) {
            assert_eq!(j.state, JobState::Done, "{j:?}");
        } else {
            assert_eq!(j.state, JobState::Pending, "released or never claimed: {j:?}");
            assert_eq!(j.attempts, 0, "a release is not an attempt: {j:?}");
            assert_eq!(j.lease_owner, None, "{j:?}");
        }
    }
    // The next start runs the rest.
    let report = h.tick().await;
    assert_eq!(report.ran, 2, "{report:?}");
    assert_eq!(chat.flight().answered.len(), 4);
}

#[tokio::test]
async fn a_busy_runner_holds_its_slots_and_a_margin_and_another_takes_the_rest() {
    let chat = HeldChat::new();
    let h = opened(&chat, 5).await;
    let due = due(&h).await;
    assert_eq!(due.len(), 10);

    let busy = Arc::new(Scheduler::new(h.store().clone(), h.app.service.clone(), "busy").with_concurrency(2));
    let (b, now) = (busy.clone(), h.now());
    let tick = tokio::spawn(async move { b.tick(now).await });
    chat.until_in_flight(2).await;
    let held_by = |jobs: &[Job], owner: &str| {
        jobs.iter()
            .filter(|j| j.state == JobState::Running && j.lease_owner.as_deref() == Some(owner))
            .map(|j| j.id)
            .collect::<Vec<_>>()
    };
    let held = held_by(&h.jobs().await, "busy");
    assert!(
        held.len() <= 2 + ahead(2),
        "a runner with both slots busy holds at most its slots and the margin: {held:?}"
    );

    // Posts go through from now on (the busy runner's two stay held): an idle runner takes
    // every other due job — it runs them, or puts back the one whose incident's earlier post
    // the busy runner is still making.
    chat.hold.store(false, Ordering::SeqCst);
    let idle = Scheduler::new(h.store().clone(), h.app.service.clone(), "idle");
    let report = idle.tick(now).await.expect("idle runner ticks");
    assert_eq!(report.ran + report.waited, due.len() - held.len(), "{report:?}");
    assert!(report.ran >= due.len() - held.len() - 2, "{report:?}");
    for j in h.jobs().await.into_iter().filter(|j| due.iter().any(|d| d.id == j.id)) {
        if held.contains(&j.id) {
            assert_eq!(
                j.lease_owner.as_deref(),
                Some("busy"),
                "the busy runner keeps its claims: {j:?}"
            );
        } else {
            assert!(
                j.state == JobState::Done || (j.state == JobState::Pending && j.due_at > now),
                "taken by the idle runner: {j:?}"
            );
        }
    }

    chat.open_gate();
    let report = tick.await.expect("tick task").expect("tick");
    assert_eq!(report.ran, held.len(), "{report:?}");
    // What waited runs a moment later; every due job posted exactly once.
    h.advance_to(now + chrono::Duration::seconds(5)).await;
    let answered = chat.flight().answered.clone();
    for j in &due {
        let posts = answered.iter().filter(|n| **n == j.id.to_string()).count();
        assert_eq!(posts, 1, "{} posted once", j.key);
    }
}

#[tokio::test]
async fn a_job_claimed_while_its_incidents_card_is_posting_reads_after_the_card() {
    let chat = HeldChat::new();
    // Opened first, its two posts go through; the second incident's card is held.
    let h = opened(&chat, 2).await;
    let due = due(&h).await;
    let of = |incident: &str| -> Vec<Job> {
        (due.iter())
            .filter(|j| j.incident.as_ref().is_some_and(|i| i.as_str() == incident))
            .cloned()
            .collect()
    };
    let (first, second) = (of("BDK-2026-0001"), of("BDK-2026-0002"));
    assert_eq!((first.len(), second.len()), (2, 2), "a card and a page each: {due:#?}");
    let (card, page) = (&second[0], &second[1]);
    *chat.only.lock().unwrap_or_else(|e| e.into_inner()) = Some("BDK-2026-0002".into());

    // Two slots claim three: the first incident's card and page, and the second's card. The
    // second's page is claimed by the next claim, made once the first incident's posts are
    // done, while its card is still on its way: what that claim reads of the incident (no
    // card, the card's job unfinished) is out of date by the time the page runs.
    let runner = Arc::new(Scheduler::new(h.store().clone(), h.app.service.clone(), "runner-2").with_concurrency(2));
    let (r, now) = (runner.clone(), h.now());
    let tick = tokio::spawn(async move { r.tick(now).await });
    chat.until_in_flight(1).await;
    let claimed = async {
        loop {
            let jobs = h.jobs().await;
            if jobs.iter().any(|j| j.id == page.id && j.state == JobState::Running) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), claimed)
        .await
        .expect("the page was never claimed while its card was held");
    // The claim's read follows its commit at once; letting it finish before the card goes
    // only makes a runner that used it visible (a correct one passes either way).
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    chat.open_gate();
    let report = tick.await.expect("tick task").expect("tick");

    assert_eq!(report.ran, 4, "every job ran in the tick, the page too: {report:?}");
    assert_eq!(
        report.waited, 0,
        "the page did not wait for a card already posted: {report:?}"
    );
    let f = chat.flight();
    assert_eq!(
        f.into.get(&page.id.to_string()),
        Some(&Some(format!("{}.thread", card.id))),
        "the page went into the conversation its card started"
    );
}
