//! The PostgreSQL store's connections between calls: kept out of sqlx's pool, so a call's
//! connection goes back without a round trip.
//!
//! sqlx's pool pings every connection as it comes back (`PoolConnection`'s release), on a task
//! it spawns, before another call may have it: one more round trip, server wake-up and task per
//! store call, and the connection unavailable meanwhile. Here a call's connection comes back to
//! a stack of this store's own instead ([`Held`]), as it is, when the call succeeded (so the
//! server answered all it was asked, and the call was not cancelled half-way), left no
//! transaction open (as sqlx counts them: the store begins every one through sqlx) and was not
//! marked for closing. Any other goes back to sqlx, whose release pings it (flushing what a
//! cancelled call left unread, finding a connection the server dropped) and closes it unless
//! it is clean: failed calls are rare, and a connection that failed may be dead.
//!
//! The stack holds at most the pool's size: a semaphore of that many permits bounds the calls
//! holding a connection, so sqlx always has room to open one when the stack is empty. A
//! connection that sat in the stack longer than [`PostgresStore::IDLE_CHECK`] is pinged before
//! use, and closed and replaced if it does not answer, as sqlx's own `before_acquire` check
//! does for the connections in its pool. So that sqlx's own upkeep still reaches every
//! connection (its lifetime and idle limits), a connection goes back through sqlx's pool once
//! it has been out of it for [`Limits::back_to_sqlx`], and one idle in the stack for
//! [`Limits::idle_limit`] is handed back to it on the next call.
//!
//! [`PostgresStore::IDLE_CHECK`]: super::PostgresStore::IDLE_CHECK

use super::db;
use crate::service::ports::StoreError;
use sqlx::Connection;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnection, PgPool, Postgres};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, SemaphorePermit};

/// The times [`Held`] keeps to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// How long a connection may idle in the stack before it is checked (a ping) for use.
    pub(super) idle_check: Duration,
    /// How long a connection stays out of sqlx's pool before a call hands it back there (one
    /// ping a minute per connection, by default).
    pub(super) back_to_sqlx: Duration,
    /// How long a connection may sit unused in the stack before it goes back to sqlx's pool
    /// (whose idle timeout then closes it when the load stays low).
    pub(super) idle_limit: Duration,
    /// How long a call waits for a connection.
    pub(super) timeout: Duration,
}

impl Limits {
    /// The store's: `idle_check` and `timeout` as its pool's, a minute for the rest.
    pub(super) fn new(idle_check: Duration, timeout: Duration) -> Self {
        Limits {
            idle_check,
            back_to_sqlx: Duration::from_secs(60),
            idle_limit: Duration::from_secs(60),
            timeout,
        }
    }
}

/// A connection in the stack.
struct Idle {
    conn: PoolConnection<Postgres>,
    /// When it came out of sqlx's pool.
    taken: Instant,
    /// When it came back to the stack.
    since: Instant,
}

/// The stack, and whether the store closed (then nothing comes back to it).
#[derive(Default)]
struct Stack {
    idle: Vec<Idle>,
    closed: bool,
}

/// Connections idle between calls, newest last.
pub(super) struct Held {
    stack: Mutex<Stack>,
    permits: Semaphore,
    limits: Limits,
}

impl Held {
    /// Room for `size` connections (the pool's maximum).
    pub(super) fn new(size: u32, limits: Limits) -> Self {
        Held {
            stack: Mutex::new(Stack::default()),
            permits: Semaphore::new(size as usize),
            limits,
        }
    }

    /// A connection for one call: the one that came back last, checked when it idled past
    /// [`Limits::idle_check`], else one from `pool`. Waits for a call to end when every
    /// connection is in use, up to the timeout (then sqlx's pool timeout error).
    pub(super) async fn acquire<'a>(&'a self, pool: &PgPool) -> Result<Lease<'a>, StoreError> {
        let permit = tokio::time::timeout(self.limits.timeout, self.permits.acquire())
            .await
            .map_err(|_| db(sqlx::Error::PoolTimedOut))?
            .map_err(|_| db(sqlx::Error::PoolClosed))?;
        loop {
            let (popped, stale) = {
                let mut stack = self.stack.lock().unwrap_or_else(PoisonError::into_inner);
                let popped = stack.idle.pop();
                let stale = match stack.idle.first() {
                    Some(oldest) if oldest.since.elapsed() >= self.limits.idle_limit => Some(stack.idle.remove(0)),
                    _ => None,
                };
                (popped, stale)
            };
            // Back to sqlx's pool.
            drop(stale);
            let (conn, taken) = match popped {
                Some(Idle { mut conn, taken, since }) => {
                    if since.elapsed() >= self.limits.idle_check && conn.ping().await.is_err() {
                        conn.close_on_drop();
                        continue;
                    }
                    (conn, taken)
                }
                None => (pool.acquire().await.map_err(db)?, Instant::now()),
            };
            return Ok(Lease {
                conn: Some(conn),
                taken,
                held: self,
                _permit: permit,
                finished: false,
                close: false,
            });
        }
    }

    /// Hands every idle connection back to sqlx's pool (before the pool closes, which waits
    /// for them).
    pub(super) fn release_all(&self) {
        let idle = {
            let mut stack = self.stack.lock().unwrap_or_else(PoisonError::into_inner);
            stack.closed = true;
            std::mem::take(&mut stack.idle)
        };
        drop(idle);
    }
}

/// One call's connection. Dropped, it goes back to the [`Held`] stack if the call
/// [`finish`](Lease::finish)ed (succeeded) outside a transaction, else to sqlx's pool.
pub(super) struct Lease<'a> {
    conn: Option<PoolConnection<Postgres>>,
    /// When the connection came out of sqlx's pool.
    taken: Instant,
    held: &'a Held,
    _permit: SemaphorePermit<'a>,
    finished: bool,
    close: bool,
}

impl Lease<'_> {
    /// The call succeeded: every statement it sent was answered, so the connection may be
    /// kept as it is.
    pub(super) fn finish(&mut self) {
        self.finished = true;
    }

    /// Closes the connection when the call ends, instead of keeping it.
    pub(super) fn close_on_drop(&mut self) {
        self.close = true;
        if let Some(conn) = self.conn.as_mut() {
            conn.close_on_drop();
        }
    }
}

impl std::ops::Deref for Lease<'_> {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        self.conn
            .as_deref()
            .unwrap_or_else(|| unreachable!("a lease holds its connection until dropped"))
    }
}

impl std::ops::DerefMut for Lease<'_> {
    fn deref_mut(&mut self) -> &mut PgConnection {
        self.conn
            .as_deref_mut()
            .unwrap_or_else(|| unreachable!("a lease holds its connection until dropped"))
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        let keep = self.finished
            && !self.close
            && !conn.is_in_transaction()
            && self.taken.elapsed() < self.held.limits.back_to_sqlx;
        if keep {
            let mut stack = self.held.stack.lock().unwrap_or_else(PoisonError::into_inner);
            if !stack.closed {
                stack.idle.push(Idle {
                    conn,
                    taken: self.taken,
                    since: Instant::now(),
                });
            }
        }
        // Else `conn` drops here: back to sqlx's pool, which pings it and closes it if it is
        // not clean (or closes it, when marked). The permit goes after this body.
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::postgres::PgPoolOptions;

    const POSTGRES_ENV: &str = "VAKT_TEST_POSTGRES_URL";

    /// The test server's URL; without one the test is skipped, loudly, except under CI.
    fn postgres_url(name: &str) -> Option<String> {
        if let Ok(url) = std::env::var(POSTGRES_ENV) {
            return Some(url);
        }
        assert!(
            std::env::var_os("CI").is_none(),
            "{name}: CI is set but {POSTGRES_ENV} is not: the PostgreSQL run cannot be skipped"
        );
        eprintln!(
            "\n*** SKIPPED: {name} on PostgreSQL — set {POSTGRES_ENV}=postgres://postgres@127.0.0.1:5432/test ***\n"
        );
        None
    }

    /// A pool of two on the test server, released as the store's pool releases (a connection
    /// left in a transaction is closed, not pooled again); none without a test server.
    async fn pool(name: &str) -> Option<PgPool> {
        let url = postgres_url(name)?;
        let pool = PgPoolOptions::new()
            .max_connections(2)
            .after_release(|conn, _| Box::pin(super::super::clean_on_release(conn)))
            .connect(&url)
            .await
            .expect("pool");
        Some(pool)
    }

    const LONG: Duration = Duration::from_secs(3600);

    fn limits() -> Limits {
        Limits {
            idle_check: LONG,
            back_to_sqlx: LONG,
            idle_limit: LONG,
            timeout: Duration::from_secs(5),
        }
    }

    impl Held {
        fn idle_now(&self) -> usize {
            self.stack.lock().unwrap_or_else(PoisonError::into_inner).idle.len()
        }
    }

    async fn pid(lease: &mut Lease<'_>) -> i32 {
        sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut **lease)
            .await
            .expect("pid")
    }

    /// A call that succeeded leaves its connection in the stack, and the next call gets that
    /// same session; a call that did not finish, one left in a transaction and one marked for
    /// closing hand theirs to sqlx; after the store closed, nothing is kept.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn keeps_only_connections_of_calls_that_succeeded() {
        let Some(pool) = pool("keeps_only_connections_of_calls_that_succeeded").await else {
            return;
        };
        let held = Held::new(2, limits());

        let mut lease = held.acquire(&pool).await.expect("acquire");
        let first = pid(&mut lease).await;
        lease.finish();
        drop(lease);
        assert_eq!(held.idle_now(), 1);
        let mut lease = held.acquire(&pool).await.expect("acquire");
        assert_eq!(pid(&mut lease).await, first, "the kept session comes back");
        // Not finished: a call that failed or was cancelled.
        drop(lease);
        assert_eq!(held.idle_now(), 0);

        // A transaction begun through sqlx (as the store begins all of its) and left open.
        let mut lease = held.acquire(&pool).await.expect("acquire");
        std::mem::forget(lease.begin().await.expect("begin"));
        lease.finish();
        drop(lease);
        assert_eq!(held.idle_now(), 0, "a connection inside a transaction is not kept");

        let mut lease = held.acquire(&pool).await.expect("acquire");
        lease.finish();
        lease.close_on_drop();
        drop(lease);
        assert_eq!(held.idle_now(), 0, "a connection marked for closing is not kept");

        held.release_all();
        let mut lease = held.acquire(&pool).await.expect("acquire");
        lease.finish();
        drop(lease);
        assert_eq!(held.idle_now(), 0, "nothing comes back after the store closed");
        pool.close().await;
    }

    /// sqlx's upkeep: a connection out of its pool for `back_to_sqlx` goes back there, and one
    /// idle in the stack for `idle_limit` is handed back on the next call. A connection the
    /// server dropped while it idled past `idle_check` is replaced before the call gets it.
    /// Every call waits for a connection only up to `timeout`.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hands_connections_back_to_sqlx_for_its_upkeep() {
        let Some(pool) = pool("hands_connections_back_to_sqlx_for_its_upkeep").await else {
            return;
        };

        let held = Held::new(
            2,
            Limits {
                back_to_sqlx: Duration::ZERO,
                ..limits()
            },
        );
        let mut lease = held.acquire(&pool).await.expect("acquire");
        lease.finish();
        drop(lease);
        assert_eq!(held.idle_now(), 0, "out of sqlx's pool too long: back to it");

        let held = Held::new(
            2,
            Limits {
                idle_limit: Duration::ZERO,
                ..limits()
            },
        );
        let (mut a, mut b) = (
            held.acquire(&pool).await.expect("a"),
            held.acquire(&pool).await.expect("b"),
        );
        a.finish();
        b.finish();
        drop((a, b));
        assert_eq!(held.idle_now(), 2);
        let lease = held.acquire(&pool).await.expect("acquire");
        assert_eq!(held.idle_now(), 0, "the newest taken, the idle oldest handed back");
        drop(lease);

        let held = Held::new(
            1,
            Limits {
                idle_check: Duration::ZERO,
                timeout: Duration::from_millis(200),
                ..limits()
            },
        );
        let mut lease = held.acquire(&pool).await.expect("acquire");
        let dropped = pid(&mut lease).await;
        lease.finish();
        drop(lease);
        sqlx::query("SELECT pg_terminate_backend($1)")
            .bind(dropped)
            .execute(&pool)
            .await
            .expect("terminate");
        let mut lease = held
            .acquire(&pool)
            .await
            .expect("a live connection replaces the dropped one");
        assert_ne!(pid(&mut lease).await, dropped);
        let waited = held.acquire(&pool).await;
        assert!(
            matches!(&waited, Err(StoreError::Database(m)) if m.contains("timed out")),
            "a call waits only up to the timeout: {:?}",
            waited.as_ref().err()
        );
        drop(lease);
        pool.close().await;
    }
}
