//! Health and metrics as the service sees them, with no transport: the [`Monitor`] a replica
//! shares between its parts (the scheduler records its ticks, the chat adapter its
//! connection), the [`Health`] report it makes from them and from a database probe, and the
//! [`Metrics`] port that counts what happens (an exporter adapter implements it).
//!
//! Readiness: the database answered its probe within its timeout, the scheduler ticked within
//! twice its interval (of the service's clock, so a fake clock drives it in tests), and the
//! chat is connected where this replica needs it (the gateway on the leader, the interactions
//! endpoint listening). The report names each part and, when it is not ready, why, as data.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::sync::{Arc, Mutex};

/// How a job's run ended, as counted by [`Metrics::job`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobOutcome {
    /// It ran (or was skipped as no longer needed).
    Done,
    /// It failed and will be tried again.
    Retried,
    /// It failed for good.
    Failed,
}

impl JobOutcome {
    /// The label value an exporter writes.
    pub fn code(self) -> &'static str {
        match self {
            JobOutcome::Done => "done",
            JobOutcome::Retried => "retried",
            JobOutcome::Failed => "failed",
        }
    }
}

/// How a post went, as counted by [`Metrics::post`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PostOutcome {
    /// It reached the chat.
    Sent,
    /// The chat failed it and its job will try again.
    Retried,
    /// The chat failed it for good (refused, or the attempts are used up).
    Failed,
}

impl PostOutcome {
    /// The label value an exporter writes.
    pub fn code(self) -> &'static str {
        match self {
            PostOutcome::Sent => "sent",
            PostOutcome::Retried => "retried",
            PostOutcome::Failed => "failed",
        }
    }
}

/// What vakt counts while it runs. Implemented by an exporter adapter; [`NoMetrics`] when no
/// exporter is configured. Calls must be cheap and never fail.
pub trait Metrics: Send + Sync {
    /// One scheduler tick finished; `ok` is false when the store failed it.
    fn tick(&self, ok: bool);
    /// One job of `kind` ran with this outcome.
    fn job(&self, kind: &str, outcome: JobOutcome);
    /// One post of a job of `kind` went to the chat with this outcome.
    fn post(&self, kind: &str, outcome: PostOutcome);
    /// One interaction for `command` was answered after `latency` (real time).
    fn interaction(&self, command: &str, latency: std::time::Duration);
    /// The chat connection is now in `state` (whether this replica leads the gateway, and
    /// whether its gateway is connected).
    fn chat(&self, state: ChatState) {
        let _ = state;
    }
    /// One call of the store's operation `op` (its port method's name) took `latency` (real
    /// time), whatever its result.
    fn store_call(&self, op: &'static str, latency: std::time::Duration);
    /// A breach of `milestone` (`response`, `resolution`) of an incident under `agreement`
    /// was recorded (and announced).
    fn breached(&self, agreement: &str, milestone: &str);
    /// One attempt to deliver a notice to webhook `target` ended with `outcome`: `delivered`,
    /// `retried` or `dead`.
    fn webhook(&self, target: &str, outcome: &str) {
        let _ = (target, outcome);
    }
}

/// Counts nothing: the default when no exporter listens.
pub struct NoMetrics;

impl Metrics for NoMetrics {
    fn tick(&self, _: bool) {}
    fn job(&self, _: &str, _: JobOutcome) {}
    fn post(&self, _: &str, _: PostOutcome) {}
    fn interaction(&self, _: &str, _: std::time::Duration) {}
    fn store_call(&self, _: &'static str, _: std::time::Duration) {}
    fn breached(&self, _: &str, _: &str) {}
}

/// Where this replica's chat stands, as far as readiness is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatState {
    /// No chat connection to watch (the console, or a replica that does not chat).
    NotWatched,
    /// Another replica holds the gateway; this one only runs jobs.
    Follower,
    /// This replica is the leader and its gateway is not connected (yet, or any more).
    Connecting,
    /// This replica is the leader and its gateway is connected.
    Connected,
    /// The interactions endpoint is listening.
    Listening,
}

impl ChatState {
    fn ready(self) -> bool {
        self != ChatState::Connecting
    }

    /// Whether this replica holds the gateway (connected or not).
    pub fn leads(self) -> bool {
        matches!(self, ChatState::Connecting | ChatState::Connected)
    }
}

/// How the database probe went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DatabaseState {
    /// It answered, in this many milliseconds.
    Reachable {
        /// How long the probe took.
        millis: u64,
    },
    /// It did not answer within the timeout.
    TimedOut {
        /// The timeout, in milliseconds.
        timeout_millis: u64,
    },
    /// It answered with an error.
    Failing {
        /// The store's error.
        error: String,
    },
}

/// Where the scheduler stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SchedulerState {
    /// It has not finished a tick since start.
    NeverTicked,
    /// Its last tick finished this many seconds (of the service's clock) ago, within the limit.
    Ticking {
        /// Seconds since the last finished tick.
        seconds_ago: i64,
    },
    /// Its last tick is older than twice its interval.
    Stalled {
        /// Seconds since the last finished tick.
        seconds_ago: i64,
        /// The limit, twice the interval, in seconds.
        limit_seconds: i64,
    },
}

/// A replica's readiness, part by part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    /// Whether every part is ready.
    pub ready: bool,
    /// The database probe.
    pub database: DatabaseState,
    /// The scheduler's ticks.
    pub scheduler: SchedulerState,
    /// The chat connection.
    pub chat: ChatState,
    /// Names of the parts that are not ready (`database`, `scheduler`, `chat`).
    pub not_ready: Vec<&'static str>,
}

/// What a replica's parts report about themselves, shared between them and the health
/// endpoint.
pub struct Monitor {
    interval: Duration,
    last_tick: Mutex<Option<DateTime<Utc>>>,
    chat: Mutex<ChatState>,
    metrics: Arc<dyn Metrics>,
}

impl Monitor {
    /// A monitor for a scheduler that ticks every `interval` (real time, at most), counting
    /// into `metrics`.
    pub fn new(interval: std::time::Duration, metrics: Arc<dyn Metrics>) -> Self {
        Monitor {
            interval: Duration::from_std(interval).unwrap_or(Duration::seconds(1)),
            last_tick: Mutex::new(None),
            chat: Mutex::new(ChatState::NotWatched),
            metrics,
        }
    }

    /// A monitor that counts nothing.
    pub fn silent(interval: std::time::Duration) -> Self {
        Monitor::new(interval, Arc::new(NoMetrics))
    }

    /// Where the counts go.
    pub fn metrics(&self) -> &dyn Metrics {
        self.metrics.as_ref()
    }

    /// The scheduler finished a tick at `at` (of the service's clock).
    pub fn ticked(&self, at: DateTime<Utc>) {
        if let Ok(mut last) = self.last_tick.lock() {
            *last = Some(last.map_or(at, |l| l.max(at)));
        }
    }

    /// The chat connection changed (also counted into the metrics).
    pub fn set_chat(&self, state: ChatState) {
        if let Ok(mut chat) = self.chat.lock() {
            *chat = state;
        }
        self.metrics.chat(state);
    }

    /// Where the chat connection stands now.
    pub fn chat(&self) -> ChatState {
        self.chat.lock().map_or(ChatState::NotWatched, |c| *c)
    }

    /// The readiness at `now` (of the service's clock), given how the database probe went.
    pub fn health(&self, now: DateTime<Utc>, database: DatabaseState) -> Health {
        let limit = self.interval * 2;
        let last = self.last_tick.lock().ok().and_then(|l| *l);
        let scheduler = match last {
            None => SchedulerState::NeverTicked,
            Some(t) if now - t > limit => SchedulerState::Stalled {
                seconds_ago: (now - t).num_seconds(),
                limit_seconds: limit.num_seconds().max(1),
            },
            Some(t) => SchedulerState::Ticking {
                seconds_ago: (now - t).num_seconds().max(0),
            },
        };
        let chat = self.chat();
        let mut not_ready = Vec::new();
        if !matches!(database, DatabaseState::Reachable { .. }) {
            not_ready.push("database");
        }
        if !matches!(scheduler, SchedulerState::Ticking { .. }) {
            not_ready.push("scheduler");
        }
        if !chat.ready() {
            not_ready.push("chat");
        }
        Health {
            ready: not_ready.is_empty(),
            database,
            scheduler,
            chat,
            not_ready,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + s, 0).single().unwrap_or_default()
    }

    const UP: DatabaseState = DatabaseState::Reachable { millis: 1 };

    #[test]
    fn the_scheduler_is_ready_within_twice_its_interval() {
        let m = Monitor::silent(std::time::Duration::from_secs(1));
        assert_eq!(m.health(at(0), UP).not_ready, vec!["scheduler"]);
        m.ticked(at(0));
        assert!(m.health(at(2), UP).ready);
        assert!(!m.health(at(3), UP).ready);
        m.ticked(at(3));
        assert!(m.health(at(3), UP).ready);
    }

    #[test]
    fn a_leader_without_its_gateway_is_not_ready() {
        let m = Monitor::silent(std::time::Duration::from_secs(1));
        m.ticked(at(0));
        m.set_chat(ChatState::Connecting);
        assert_eq!(m.health(at(0), UP).not_ready, vec!["chat"]);
        m.set_chat(ChatState::Follower);
        assert!(m.health(at(0), UP).ready);
    }
}
