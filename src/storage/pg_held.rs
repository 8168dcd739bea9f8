//! The PostgreSQL store's connections between calls: kept out of sqlx's pool, so a call's
//! connection goes back without a round trip.
//!
//! sqlx's pool pings every connection as it comes back (`PoolConnection`'s release), on a task
//! it spawns, before another call may have it: one more round trip, server wake-up and task per
//! store call, and the connection unavailable meanwhile. Here a call's connection comes back to
//! a stack of this store's own instead ([`Held`]), as it is, when the call succeeded (so the
//! server answered all it was asked, and the call was not cancelled half-way), left no
//! transaction open and was not marked for closing. Any other goes back to sqlx, whose release
//! pings it (flushing what a cancelled call left unread, finding a connection the server
//! dropped) and closes it unless it is clean: failed calls are rare, and a connection that
//! failed may be dead.
//!
//! The stack holds at most the pool's size: a semaphore of that many permits bounds the calls
//! holding a connection, so sqlx always has room to open one when the stack is empty. A
//! connection that sat in the stack longer than [`PostgresStore::IDLE_CHECK`] is pinged before
//! use, and closed and replaced if it does not answer, as sqlx's own `before_acquire` check
//! does for the connections in its pool. So that sqlx's own upkeep still reaches every
//! connection (its lifetime and idle limits), a connection goes back through sqlx's pool once
//! it has been out of it for [`BACK_TO_SQLX`], and one idle in the stack for [`IDLE_LIMIT`] is
//! handed back to it on the next call.
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

/// How long a connection stays out of sqlx's pool before a call hands it back there (one ping).
const BACK_TO_SQLX: Duration = Duration::from_secs(60);

/// How long a connection may sit unused in the stack before it goes back to sqlx's pool (whose
/// idle timeout then closes it when the load stays low).
const IDLE_LIMIT: Duration = Duration::from_secs(60);

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
    /// How long a connection may idle before it is checked.
    idle_check: Duration,
    /// How long a call waits for a connection.
    timeout: Duration,
}

impl Held {
    /// Room for `size` connections (the pool's maximum).
    pub(super) fn new(size: u32, idle_check: Duration, timeout: Duration) -> Self {
        Held {
            stack: Mutex::new(Stack::default()),
            permits: Semaphore::new(size as usize),
            idle_check,
            timeout,
        }
    }

    /// A connection for one call: the one that came back last, checked when it idled past
    /// `idle_check`, else one from `pool`. Waits for a call to end when every connection is in
    /// use, up to the timeout (then sqlx's pool timeout error).
    pub(super) async fn acquire<'a>(&'a self, pool: &PgPool) -> Result<Lease<'a>, StoreError> {
        let permit = tokio::time::timeout(self.timeout, self.permits.acquire())
            .await
            .map_err(|_| db(sqlx::Error::PoolTimedOut))?
            .map_err(|_| db(sqlx::Error::PoolClosed))?;
        loop {
            let (popped, stale) = {
                let mut stack = self.stack.lock().unwrap_or_else(PoisonError::into_inner);
                let popped = stack.idle.pop();
                let stale = match stack.idle.first() {
                    Some(oldest) if oldest.since.elapsed() >= IDLE_LIMIT => Some(stack.idle.remove(0)),
                    _ => None,
                };
                (popped, stale)
            };
            // Back to sqlx's pool.
            drop(stale);
            let (conn, taken) = match popped {
                Some(Idle { mut conn, taken, since }) => {
                    if since.elapsed() >= self.idle_check && conn.ping().await.is_err() {
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
        let keep = self.finished && !self.close && !conn.is_in_transaction() && self.taken.elapsed() < BACK_TO_SQLX;
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
