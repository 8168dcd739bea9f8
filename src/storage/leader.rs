//! The gateway's leader lock ([`LeaderLock`]): with several replicas on one PostgreSQL
//! database exactly one holds the chat gateway. The lock is a PostgreSQL advisory lock held on
//! a dedicated connection; the others try again every few seconds and take over when the
//! holder dies (its connection closes and PostgreSQL releases the lock). On SQLite there is
//! one process, always the leader.

use super::{Backend, cause};
use crate::config::DatabaseUrl;
use crate::service::ports::{LeaderLock, Leadership, StoreError};
use async_trait::async_trait;
use sqlx::Connection;
use std::time::Duration;

/// The advisory lock key of the gateway (`hashtext('vakt-gateway')` would do as well; a fixed
/// number is easier to find in `pg_locks`).
pub const GATEWAY_LOCK_KEY: i64 = 0x7661_6b74_6777; // "vaktgw"

/// How often a replica that is not the leader tries the lock again.
pub const RETRY: Duration = Duration::from_secs(3);

/// Who may hold the gateway.
#[derive(Debug, Clone)]
pub enum Leader {
    /// One process (SQLite): always the leader.
    Always,
    /// Replicas on one PostgreSQL database: the holder of an advisory lock.
    Postgres {
        /// The database URL (printed redacted).
        url: DatabaseUrl,
        /// The lock key.
        key: i64,
        /// How often to try again.
        retry: Duration,
    },
}

impl Leader {
    /// The leader lock of the database a URL names: PostgreSQL's advisory lock, else always.
    pub fn for_database(url: &DatabaseUrl) -> Leader {
        match Backend::of(url.expose()) {
            Some(Backend::Postgres) => Leader::Postgres {
                url: url.clone(),
                key: GATEWAY_LOCK_KEY,
                retry: RETRY,
            },
            Some(Backend::Sqlite) | None => Leader::Always,
        }
    }
}

#[async_trait]
impl LeaderLock for Leader {
    async fn try_acquire(&self) -> Result<Option<Box<dyn Leadership>>, StoreError> {
        match self {
            Leader::Always => Ok(Some(Box::new(Held {
                conn: None,
                retry: RETRY,
            }))),
            Leader::Postgres { url, key, retry } => {
                let failed = |e: sqlx::Error| StoreError::Database(format!("{url}: {}", cause(&e)));
                let mut conn = sqlx::PgConnection::connect(url.expose()).await.map_err(failed)?;
                let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                    .bind(*key)
                    .fetch_one(&mut conn)
                    .await
                    .map_err(failed)?;
                if got {
                    Ok(Some(Box::new(Held {
                        conn: Some(conn),
                        retry: *retry,
                    })))
                } else {
                    let _ = conn.close().await;
                    Ok(None)
                }
            }
        }
    }

    fn retry(&self) -> Duration {
        match self {
            Leader::Postgres { retry, .. } => *retry,
            Leader::Always => RETRY,
        }
    }
}

/// Holding the gateway: for PostgreSQL, the connection that holds the lock (dropping it
/// closes the connection, which releases the lock).
struct Held {
    conn: Option<sqlx::PgConnection>,
    retry: Duration,
}

#[async_trait]
impl Leadership for Held {
    async fn lost(&mut self) {
        let Some(conn) = self.conn.as_mut() else {
            return std::future::pending().await;
        };
        loop {
            tokio::time::sleep(self.retry).await;
            if sqlx::query("SELECT 1").execute(&mut *conn).await.is_err() {
                tracing::warn!("lost the gateway lock's database connection");
                return;
            }
        }
    }

    async fn release(mut self: Box<Self>) {
        if let Some(conn) = self.conn.take() {
            let _ = conn.close().await;
        }
    }
}
