//! The gateway's leader lock ([`LeaderLock`]): with several replicas of `vakt run` on one
//! database, exactly one holds the chat gateway, and never two at once. The lock is a lease, a
//! row of `leader_lease` (SQLite and PostgreSQL alike) naming its holder and when it expires;
//! a replica takes it only when it is free or expired, the holder renews it, and gives it up
//! (deleting the row) once its gateway has stopped.
//!
//! # Fencing: why two replicas never hold the gateway at once
//!
//! With the lease's [`Timing`] — `ttl` (15 s), renewed every `renew` (2 s), `margin` (8 s) —
//! and `skew`, the most two replicas' clocks may differ (2 s, NTP keeps it to milliseconds):
//!
//! 1. A renewal (or the taking) sent at real time `s` by the holder's clock writes `expires =
//!    s + ttl` (that clock). Another replica takes the lease only when its own clock is past
//!    `expires`, so at real time `≥ s + ttl − skew`, and only if the row was not renewed since.
//! 2. The holder keeps the gateway only until `s + ttl − margin` after its last successful
//!    renewal sent at `s`, measured on its monotonic clock from the moment it sent it (a
//!    renewal answered late counts from its sending, so a slow database only shortens the
//!    hold). When no renewal succeeds by then, or one finds the lease taken,
//!    [`Leadership::lost`] resolves and the gateway stops its shard within
//!    [`LeaderLock::stop_budget`] = `margin − skew` (6 s; the gateway gives up waiting then).
//! 3. So the holder has stopped by `s + ttl − margin + (margin − skew) = s + ttl − skew`,
//!    no later than another replica can take the lease: the two never overlap.
//!
//! A holder that stops on purpose stops its shard first, then deletes the row, so a follower
//! (trying every `retry`, 3 s) takes over at once; a holder that dies leaves the lease to
//! expire (at most `ttl` later). A holder whose database is unreachable keeps the gateway for
//! up to `ttl − margin` (7 s) after its last renewal, then stops it; transient errors within
//! that are retried. What no lease can fence is a holder frozen (stopped by a debugger, the
//! machine suspended) for longer than that while its websocket stays open.
//!
//! On an in-memory SQLite database there is one process by construction: it is always the
//! leader ([`Leader::Always`]).

use super::queries::{Arg, Conn};
use super::{Backend, cause};
use crate::config::DatabaseUrl;
use crate::service::ports::{LeaderLock, Leadership, StoreError};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Connection;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use std::str::FromStr;
use std::time::Duration;
use tokio::time::Instant;

/// The name of the gateway's lease row.
pub const GATEWAY_LEASE: &str = "gateway";

/// How often a replica that is not the leader tries the lease again.
pub const RETRY: Duration = Duration::from_secs(3);

/// How long the holder may take to stop its gateway once the lease is lost, when nothing can
/// take it from the holder (one process).
const ALWAYS_STOP_BUDGET: Duration = Duration::from_secs(30);

/// The lease's times (see the module's fencing argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// How long a taking or renewal holds the lease.
    pub ttl: Duration,
    /// How often the holder renews it.
    pub renew: Duration,
    /// How long before the lease's expiry the holder gives the gateway up.
    pub margin: Duration,
    /// The most two replicas' clocks may differ.
    pub skew: Duration,
    /// How often a follower tries to take the lease.
    pub retry: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            ttl: Duration::from_secs(15),
            renew: Duration::from_secs(2),
            margin: Duration::from_secs(8),
            skew: Duration::from_secs(2),
            retry: RETRY,
        }
    }
}

impl Timing {
    /// How long the holder has to stop its gateway after [`Leadership::lost`].
    pub fn stop_budget(&self) -> Duration {
        self.margin.saturating_sub(self.skew)
    }

    /// How long after sending a successful renewal the holder keeps the gateway.
    pub fn hold(&self) -> Duration {
        self.ttl.saturating_sub(self.margin)
    }

    /// Whether the times fence: a renewal is tried more than once within a hold, and the
    /// holder has stopped before another replica can take the lease.
    pub fn fences(&self) -> bool {
        self.renew < self.hold() && self.margin > self.skew && self.hold() + self.stop_budget() + self.skew <= self.ttl
    }
}

/// The database that holds the lease.
#[derive(Debug, Clone)]
enum LeaseDb {
    Sqlite(SqliteConnectOptions),
    Postgres(PgConnectOptions),
}

/// The gateway's lease on one database, held by one replica (`holder`, its unique id).
#[derive(Debug, Clone)]
pub struct Lease {
    db: LeaseDb,
    /// The database, password hidden, for errors.
    location: DatabaseUrl,
    holder: String,
    timing: Timing,
}

/// A connection to the lease's database.
enum LeaseConn {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Lease {
    /// The lease on the database `url` names, for `holder` (a unique id of this replica).
    /// `None` for an in-memory SQLite database or a URL no backend takes.
    pub fn for_database(url: &DatabaseUrl, holder: &str) -> Option<Lease> {
        let text = url.expose();
        let db = match Backend::of(text)? {
            Backend::Sqlite if text.contains(":memory:") || text.contains("mode=memory") => return None,
            Backend::Sqlite => LeaseDb::Sqlite(SqliteConnectOptions::from_str(text).ok()?),
            Backend::Postgres => LeaseDb::Postgres(PgConnectOptions::from_str(text).ok()?),
        };
        Some(Lease {
            db,
            location: url.clone(),
            holder: holder.to_string(),
            timing: Timing::default(),
        })
    }

    /// The lease in the SQLite database file at `path`.
    pub fn sqlite_file(path: &std::path::Path, holder: &str) -> Lease {
        Lease {
            db: LeaseDb::Sqlite(SqliteConnectOptions::new().filename(path)),
            location: DatabaseUrl::new(path.display().to_string()),
            holder: holder.to_string(),
            timing: Timing::default(),
        }
    }

    /// The lease in a PostgreSQL schema (the tests' schema of their own).
    pub fn postgres_schema(url: &str, schema: &str, holder: &str) -> Option<Lease> {
        let options = PgConnectOptions::from_str(url).ok()?.options([("search_path", schema)]);
        Some(Lease {
            db: LeaseDb::Postgres(options),
            location: DatabaseUrl::new(url),
            holder: holder.to_string(),
            timing: Timing::default(),
        })
    }

    /// The same lease with other times.
    #[must_use]
    pub fn with_timing(mut self, timing: Timing) -> Self {
        self.timing = timing;
        self
    }

    /// Its times.
    pub fn timing(&self) -> Timing {
        self.timing
    }

    /// Takes the lease at `now` (this replica's clock) when it is free, expired, or already
    /// this holder's; true when taken. Atomic: of replicas taking it at once, one gets it.
    pub async fn take_at(&self, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let expires = now + self.ttl();
        let sql = "INSERT INTO leader_lease (name, holder, expires_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
                   WHERE leader_lease.expires_at <= $4 OR leader_lease.holder = excluded.holder";
        let args = [
            Arg::Text(GATEWAY_LEASE),
            Arg::Text(&self.holder),
            Arg::Time(expires),
            Arg::Time(now),
        ];
        Ok(self.execute(sql, &args).await? == 1)
    }

    /// Renews the lease at `now` (this replica's clock); false when it is no longer this
    /// holder's.
    pub async fn renew_at(&self, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let sql = "UPDATE leader_lease SET expires_at = $3 WHERE name = $1 AND holder = $2";
        let args = [
            Arg::Text(GATEWAY_LEASE),
            Arg::Text(&self.holder),
            Arg::Time(now + self.ttl()),
        ];
        Ok(self.execute(sql, &args).await? == 1)
    }

    /// Gives the lease up, if this holder has it.
    pub async fn give_up(&self) -> Result<(), StoreError> {
        let sql = "DELETE FROM leader_lease WHERE name = $1 AND holder = $2";
        self.execute(sql, &[Arg::Text(GATEWAY_LEASE), Arg::Text(&self.holder)])
            .await
            .map(|_| ())
    }

    fn ttl(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.timing.ttl).unwrap_or(chrono::Duration::seconds(15))
    }

    /// Runs one statement on a connection of its own (a lease call is one statement every few
    /// seconds; a connection per call survives any database restart).
    async fn execute(&self, sql: &'static str, args: &[Arg<'_>]) -> Result<u64, StoreError> {
        let failed = |e: sqlx::Error| StoreError::Database(format!("{}: {}", self.location, cause(&e)));
        let located = |e: StoreError| match e {
            StoreError::Database(c) => StoreError::Database(format!("{}: {c}", self.location)),
            other => other,
        };
        let mut conn = match &self.db {
            LeaseDb::Sqlite(o) => LeaseConn::Sqlite(
                sqlx::SqliteConnection::connect_with(&o.clone().busy_timeout(Duration::from_secs(5)))
                    .await
                    .map_err(failed)?,
            ),
            LeaseDb::Postgres(o) => LeaseConn::Postgres(sqlx::PgConnection::connect_with(o).await.map_err(failed)?),
        };
        let done = match &mut conn {
            LeaseConn::Sqlite(c) => c.execute(sql, args).await,
            LeaseConn::Postgres(c) => c.execute(sql, args).await,
        };
        let _ = match conn {
            LeaseConn::Sqlite(c) => c.close().await,
            LeaseConn::Postgres(c) => c.close().await,
        };
        done.map_err(located)
    }
}

/// Who may hold the gateway.
#[derive(Debug, Clone)]
pub enum Leader {
    /// One process (an in-memory database): always the leader.
    Always,
    /// Replicas on one database: the holder of the lease.
    Lease(Box<Lease>),
}

impl Leader {
    /// The leader lock of the database a URL names, for the replica `holder`.
    pub fn for_database(url: &DatabaseUrl, holder: &str) -> Leader {
        Lease::for_database(url, holder).map_or(Leader::Always, |l| Leader::Lease(Box::new(l)))
    }
}

#[async_trait]
impl LeaderLock for Leader {
    async fn try_acquire(&self) -> Result<Option<Box<dyn Leadership>>, StoreError> {
        let lease = match self {
            Leader::Always => {
                return Ok(Some(Box::new(Held {
                    lease: None,
                    until: None,
                })));
            }
            Leader::Lease(lease) => lease,
        };
        let sent = Instant::now();
        if lease.take_at(Utc::now()).await? {
            Ok(Some(Box::new(Held {
                lease: Some(Lease::clone(lease)),
                until: Some(sent + lease.timing.hold()),
            })))
        } else {
            Ok(None)
        }
    }

    fn retry(&self) -> Duration {
        match self {
            Leader::Lease(lease) => lease.timing.retry,
            Leader::Always => RETRY,
        }
    }

    fn stop_budget(&self) -> Duration {
        match self {
            Leader::Lease(lease) => lease.timing.stop_budget(),
            Leader::Always => ALWAYS_STOP_BUDGET,
        }
    }
}

/// Holding the gateway: the lease and until when (this replica's monotonic clock) the last
/// successful renewal lets it keep the gateway; nothing to hold for one process.
struct Held {
    lease: Option<Lease>,
    until: Option<Instant>,
}

#[async_trait]
impl Leadership for Held {
    async fn lost(&mut self) {
        let (Some(lease), Some(until)) = (self.lease.as_ref(), self.until.as_mut()) else {
            return std::future::pending().await;
        };
        let mut last = Instant::now();
        loop {
            tokio::time::sleep_until((last + lease.timing.renew).min(*until)).await;
            let sent = Instant::now();
            if sent >= *until {
                tracing::warn!("the gateway lease could not be renewed in time; giving the gateway up");
                return;
            }
            last = sent;
            match tokio::time::timeout(*until - sent, lease.renew_at(Utc::now())).await {
                Ok(Ok(true)) => *until = sent + lease.timing.hold(),
                Ok(Ok(false)) => {
                    tracing::warn!("another replica holds the gateway lease; giving the gateway up");
                    return;
                }
                Ok(Err(e)) => tracing::warn!(error = %e, "renewing the gateway lease failed; trying again"),
                Err(_) => {
                    tracing::warn!("the gateway lease could not be renewed in time; giving the gateway up");
                    return;
                }
            }
        }
    }

    async fn release(self: Box<Self>) {
        if let Some(lease) = &self.lease
            && let Err(e) = lease.give_up().await
        {
            tracing::warn!(error = %e, "giving the gateway lease up failed; it expires by itself");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Timing;

    #[test]
    fn the_default_times_fence() {
        let t = Timing::default();
        assert!(t.fences(), "{t:?}");
        assert_eq!(t.stop_budget(), std::time::Duration::from_secs(6));
        assert!(!Timing { margin: t.skew, ..t }.fences());
        assert!(!Timing { renew: t.ttl, ..t }.fences());
    }
}
