//! The SQLite store: one database file in WAL mode (or `sqlite::memory:`), every write in a
//! `BEGIN IMMEDIATE` transaction so concurrent writers queue on the busy timeout instead of
//! failing when a read would have to turn into a write.
//!
//! Timestamps are stored as UTC text in one fixed RFC 3339 shape with six fraction digits, so
//! text order is time order (see `migrations/sqlite/0001_init.sql`).

use super::{
    RedactedUrl, StorageError, chat_ref_error, chat_ref_key, corrupt, db, from_json, group_names, job_state,
    sequence_number, sorted_chat_refs, stored_enum, to_json,
};
use crate::domain::ids::IncidentId;
use crate::domain::incident::{Incident, TimelineEntry};
use crate::domain::plan::{Group, JobKind};
use crate::service::ports::{
    CancelJobs, Change, ChatRefKey, FinishJob, IncidentFilter, Job, JobFinish, MessageRef, NewJob, Store, StoreError,
};
use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
};
use sqlx::{Row, Sqlite, Transaction};
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

/// How long a writer waits for another writer's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections to a database file (WAL lets readers run beside the one writer).
const MAX_CONNECTIONS: u32 = 4;

/// Columns of a job, in the shape [`job_from_row`] reads.
macro_rules! job_columns {
    () => {
        "id, key, kind, incident_id, grp, due_at, payload, state, attempts, lease_owner, \
         lease_until, last_error, fired_at, late, outcome, COALESCE(planned_at, due_at) AS planned_at"
    };
}

/// The SQLite implementation of [`Store`].
pub struct SqliteStore {
    pool: SqlitePool,
    location: RedactedUrl,
}

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStore")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if missing) the database file at `path` and migrates it.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, StorageError> {
        let path = path.as_ref();
        let options = SqliteConnectOptions::new().filename(path);
        Self::with_options(options, false, RedactedUrl::new(&path.display().to_string())).await
    }

    /// Opens a `sqlite:` URL (`sqlite:PATH`, `sqlite://PATH`, `sqlite::memory:`) and migrates it.
    /// An in-memory database lives in a single pooled connection for the life of the store.
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        let location = RedactedUrl::new(url);
        let options = SqliteConnectOptions::from_str(url).map_err(|source| StorageError::InvalidUrl {
            url: location.clone(),
            source,
        })?;
        let memory = url.contains(":memory:") || url.contains("mode=memory");
        Self::with_options(options, memory, location).await
    }

    async fn with_options(
        options: SqliteConnectOptions,
        memory: bool,
        location: RedactedUrl,
    ) -> Result<Self, StorageError> {
        let mut options = options
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool_options = if memory {
            // An in-memory database lives only while a connection to it is open: keep exactly
            // one, forever.
            SqlitePoolOptions::new()
                .min_connections(1)
                .max_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
        } else {
            options = options.journal_mode(SqliteJournalMode::Wal);
            SqlitePoolOptions::new().max_connections(MAX_CONNECTIONS)
        };
        let pool = pool_options
            .connect_with(options)
            .await
            .map_err(|source| StorageError::Connect {
                url: location.clone(),
                source,
            })?;
        MIGRATOR.run(&pool).await.map_err(|source| StorageError::Migrate {
            url: location.clone(),
            source,
        })?;
        Ok(SqliteStore { pool, location })
    }

    /// Closes the pool, waiting for connections to finish (dropping the store also closes it,
    /// in the background).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A write transaction that holds the write lock from its first statement.
    async fn write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db)
    }
}

/// A timestamp as stored: UTC, six fraction digits, `Z`.
fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// A stored timestamp.
fn parse_ts(column: &str, s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt(column, format!("{s:?}: {e}")))
}

fn parse_opt_ts(column: &str, s: Option<String>) -> Result<Option<DateTime<Utc>>, StoreError> {
    s.map(|s| parse_ts(column, &s)).transpose()
}

/// A column of a row, a decoding failure being corrupt data.
fn get<'r, T>(row: &'r SqliteRow, column: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
{
    row.try_get(column).map_err(|e| corrupt(column, e))
}

fn job_from_row(row: &SqliteRow) -> Result<Job, StoreError> {
    let payload: String = get(row, "payload")?;
    let state: String = get(row, "state")?;
    Ok(Job {
        id: get(row, "id")?,
        key: get(row, "key")?,
        kind: stored_enum(row, "kind", JobKind::parse)?,
        incident: get(row, "incident_id")?,
        group: stored_enum(row, "grp", Group::parse)?,
        due_at: parse_ts("due_at", &get::<String>(row, "due_at")?)?,
        planned_at: parse_ts("planned_at", &get::<String>(row, "planned_at")?)?,
        payload: from_json("job payload", &payload)?,
        state: job_state(&state)?,
        attempts: get(row, "attempts")?,
        lease_owner: get(row, "lease_owner")?,
        lease_until: parse_opt_ts("lease_until", get(row, "lease_until")?)?,
        last_error: get(row, "last_error")?,
        fired_at: parse_opt_ts("fired_at", get(row, "fired_at")?)?,
        late: get(row, "late")?,
        outcome: get(row, "outcome")?,
    })
}

fn incident_from_row(row: &SqliteRow) -> Result<Incident, StoreError> {
    let data: String = get(row, "data")?;
    let incident: Incident = from_json("incident", &data)?;
    Ok(incident.with_version(get(row, "version")?))
}

/// Applies the parts of a change besides the incident row, in order: timeline, finish, cancel,
/// new jobs (so a new plan's jobs are not cancelled with the old plan's), chat references.
async fn apply_change(conn: &mut SqliteConnection, incident: &str, change: &Change) -> Result<(), StoreError> {
    append_timeline(conn, incident, &change.timeline).await?;
    if let Some(finish) = &change.finish {
        finish_job(conn, finish).await?;
    }
    if let Some(cancel) = &change.cancel {
        cancel_jobs(conn, cancel).await?;
    }
    insert_jobs(conn, &change.jobs).await?;
    for (key, r) in &change.chat_refs {
        put_chat_ref(conn, key, r).await?;
    }
    Ok(())
}

async fn append_timeline(
    conn: &mut SqliteConnection,
    incident: &str,
    entries: &[TimelineEntry],
) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM timeline WHERE incident_id = $1")
        .bind(incident)
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    for (seq, entry) in (last + 1..).zip(entries) {
        sqlx::query("INSERT INTO timeline (incident_id, seq, at, actor, event) VALUES ($1, $2, $3, $4, $5)")
            .bind(incident)
            .bind(seq)
            .bind(ts(entry.at))
            .bind(&entry.actor)
            .bind(to_json("timeline event", &entry.event)?)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
    }
    Ok(())
}

async fn insert_jobs(conn: &mut SqliteConnection, jobs: &[NewJob]) -> Result<(), StoreError> {
    let created = ts(Utc::now());
    for job in jobs {
        sqlx::query(
            "INSERT INTO jobs (key, kind, incident_id, grp, due_at, planned_at, payload, created_at) \
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7) ON CONFLICT (key) DO NOTHING",
        )
        .bind(&job.key)
        .bind(job.kind.as_str())
        .bind(job.incident.as_deref())
        .bind(job.group.as_str())
        .bind(ts(job.due_at))
        .bind(to_json("job payload", &job.payload)?)
        .bind(&created)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    }
    Ok(())
}

async fn cancel_jobs(conn: &mut SqliteConnection, cancel: &CancelJobs) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE jobs SET state = 'cancelled' \
         WHERE incident_id = $1 AND state = 'pending' \
           AND ($2 = 0 OR grp IN (SELECT value FROM json_each($3)))",
    )
    .bind(&cancel.incident)
    .bind(cancel.groups.len() as i64)
    .bind(to_json("job groups", &group_names(&cancel.groups))?)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(())
}

/// Finishes a job running under `finish.owner`; anything else is a lost lease.
async fn finish_job(conn: &mut SqliteConnection, finish: &FinishJob) -> Result<(), StoreError> {
    let done = match &finish.finish {
        JobFinish::Done {
            fired_at,
            late,
            outcome,
        } => sqlx::query(
            "UPDATE jobs SET state = 'done', fired_at = $3, late = $4, outcome = $5 \
             WHERE id = $1 AND state = 'running' AND lease_owner = $2",
        )
        .bind(finish.id)
        .bind(&finish.owner)
        .bind(ts(*fired_at))
        .bind(*late)
        .bind(outcome),
        JobFinish::Retry { retry_at, error } => sqlx::query(
            "UPDATE jobs SET state = 'pending', due_at = $3, last_error = $4, lease_owner = NULL, \
             lease_until = NULL \
             WHERE id = $1 AND state = 'running' AND lease_owner = $2",
        )
        .bind(finish.id)
        .bind(&finish.owner)
        .bind(ts(*retry_at))
        .bind(error),
        JobFinish::Failed { error } => sqlx::query(
            "UPDATE jobs SET state = 'failed', last_error = $3 \
             WHERE id = $1 AND state = 'running' AND lease_owner = $2",
        )
        .bind(finish.id)
        .bind(&finish.owner)
        .bind(error),
    }
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::LeaseLost(finish.id));
    }
    if let Some(posted) = &finish.posted {
        put_chat_ref(conn, &ChatRefKey::JobPost(finish.id), posted).await?;
    }
    Ok(())
}

/// Stores a chat reference, replacing one under the same key (its `created_at` is kept).
async fn put_chat_ref(conn: &mut SqliteConnection, key: &ChatRefKey, r: &MessageRef) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO chat_refs (key, incident_id, channel, message, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) \
         ON CONFLICT (key) DO UPDATE SET incident_id = excluded.incident_id, channel = excluded.channel, \
         message = excluded.message, updated_at = excluded.updated_at",
    )
    .bind(key.as_key())
    .bind(key.incident().map(IncidentId::as_str))
    .bind(&r.channel)
    .bind(&r.message)
    .bind(ts(Utc::now()))
    .execute(&mut *conn)
    .await
    .map_err(|e| chat_ref_error(key, e))?;
    Ok(())
}

fn message_ref_from_row(row: &SqliteRow) -> Result<MessageRef, StoreError> {
    Ok(MessageRef {
        channel: get(row, "channel")?,
        message: get(row, "message")?,
    })
}

#[async_trait]
impl Store for SqliteStore {
    async fn next_sequence(&self, prefix: &str, year: i32) -> Result<u32, StoreError> {
        let mut tx = self.write().await?;
        let n: i64 = sqlx::query_scalar(
            "INSERT INTO incident_sequences (prefix, year, next) VALUES ($1, $2, 2) \
             ON CONFLICT (prefix, year) DO UPDATE SET next = incident_sequences.next + 1 \
             RETURNING next - 1",
        )
        .bind(prefix)
        .bind(year)
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        sequence_number(n)
    }

    async fn insert_incident(&self, incident: &Incident, change: &Change) -> Result<Incident, StoreError> {
        let stored = incident.clone().with_version(1);
        let data = to_json("incident", &stored)?;
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO incidents (id, agreement, state, priority, reported_at, updated_at, version, data) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
        )
        .bind(stored.id().as_str())
        .bind(stored.agreement().as_str())
        .bind(stored.state().as_str())
        .bind(stored.priority().as_str())
        .bind(ts(stored.reported_at()))
        .bind(ts(Utc::now()))
        .bind(stored.version())
        .bind(&data)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if inserted.rows_affected() == 0 {
            return Err(StoreError::Duplicate(stored.id().to_string()));
        }
        apply_change(&mut tx, stored.id(), change).await?;
        tx.commit().await.map_err(db)?;
        Ok(stored)
    }

    async fn update_incident(&self, incident: &Incident, change: &Change) -> Result<Incident, StoreError> {
        let stored = incident.clone().with_version(incident.version() + 1);
        let data = to_json("incident", &stored)?;
        let mut tx = self.write().await?;
        let updated = sqlx::query(
            "UPDATE incidents SET agreement = $3, state = $4, priority = $5, reported_at = $6, \
             updated_at = $7, version = $8, data = $9 \
             WHERE id = $1 AND version = $2",
        )
        .bind(stored.id().as_str())
        .bind(incident.version())
        .bind(stored.agreement().as_str())
        .bind(stored.state().as_str())
        .bind(stored.priority().as_str())
        .bind(ts(stored.reported_at()))
        .bind(ts(Utc::now()))
        .bind(stored.version())
        .bind(&data)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if updated.rows_affected() == 0 {
            let exists: Option<i64> = sqlx::query_scalar("SELECT version FROM incidents WHERE id = $1")
                .bind(stored.id().as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
            return Err(match exists {
                Some(_) => StoreError::Conflict(stored.id().to_string()),
                None => StoreError::NotFound(stored.id().to_string()),
            });
        }
        apply_change(&mut tx, stored.id(), change).await?;
        tx.commit().await.map_err(db)?;
        Ok(stored)
    }

    async fn incident(&self, id: &str) -> Result<Option<Incident>, StoreError> {
        let row = sqlx::query("SELECT data, version FROM incidents WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(incident_from_row).transpose()
    }

    async fn incidents(&self, filter: &IncidentFilter) -> Result<Vec<Incident>, StoreError> {
        let states: Vec<&str> = filter.states.iter().map(|s| s.as_str()).collect();
        let limit = if filter.limit == 0 { -1 } else { i64::from(filter.limit) };
        let rows = sqlx::query(
            "SELECT data, version FROM incidents \
             WHERE ($1 IS NULL OR agreement = $1) \
               AND ($2 = 0 OR state IN (SELECT value FROM json_each($3))) \
             ORDER BY reported_at DESC, id DESC LIMIT $4",
        )
        .bind(filter.agreement.as_deref())
        .bind(states.len() as i64)
        .bind(to_json("incident states", &states)?)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(incident_from_row).collect()
    }

    async fn timeline(&self, id: &str) -> Result<Vec<TimelineEntry>, StoreError> {
        let rows = sqlx::query("SELECT at, actor, event FROM timeline WHERE incident_id = $1 ORDER BY seq")
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|row| {
                let event: String = get(row, "event")?;
                Ok(TimelineEntry {
                    at: parse_ts("at", &get::<String>(row, "at")?)?,
                    actor: get(row, "actor")?,
                    event: from_json("timeline event", &event)?,
                })
            })
            .collect()
    }

    async fn schedule(&self, jobs: &[NewJob]) -> Result<(), StoreError> {
        if jobs.is_empty() {
            return Ok(());
        }
        let mut tx = self.write().await?;
        insert_jobs(&mut tx, jobs).await?;
        tx.commit().await.map_err(db)
    }

    async fn requeue_expired(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut tx = self.write().await?;
        let requeued = sqlx::query(
            "UPDATE jobs SET state = 'pending', lease_owner = NULL, lease_until = NULL \
             WHERE state = 'running' AND lease_until < $1",
        )
        .bind(ts(now))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(requeued.rows_affected())
    }

    async fn release(&self, owner: &str) -> Result<u64, StoreError> {
        let mut tx = self.write().await?;
        let released = sqlx::query(
            "UPDATE jobs SET state = 'pending', lease_owner = NULL, lease_until = NULL, \
             attempts = MAX(attempts - 1, 0) WHERE state = 'running' AND lease_owner = $1",
        )
        .bind(owner)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(released.rows_affected())
    }

    async fn claim(
        &self,
        now: DateTime<Utc>,
        owner: &str,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Job>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut tx = self.write().await?;
        let rows = sqlx::query(concat!(
            "UPDATE jobs SET state = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM jobs WHERE state = 'pending' AND due_at <= $3 \
                          ORDER BY due_at, id LIMIT $4) \
             RETURNING ",
            job_columns!()
        ))
        .bind(owner)
        .bind(ts(lease_until))
        .bind(ts(now))
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        let mut jobs = rows.iter().map(job_from_row).collect::<Result<Vec<_>, _>>()?;
        jobs.sort_by_key(|j| (j.due_at, j.id));
        Ok(jobs)
    }

    async fn finish(&self, finish: &FinishJob) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        finish_job(&mut tx, finish).await?;
        tx.commit().await.map_err(db)
    }

    async fn jobs(&self, incident: Option<&str>) -> Result<Vec<Job>, StoreError> {
        // Two statements rather than `$1 IS NULL OR …`, so the incident's index is used.
        let rows = match incident {
            Some(incident) => {
                sqlx::query(concat!(
                    "SELECT ",
                    job_columns!(),
                    " FROM jobs WHERE incident_id = $1 ORDER BY due_at, id"
                ))
                .bind(incident)
                .fetch_all(&self.pool)
                .await
            }
            None => {
                sqlx::query(concat!("SELECT ", job_columns!(), " FROM jobs ORDER BY due_at, id"))
                    .fetch_all(&self.pool)
                    .await
            }
        }
        .map_err(db)?;
        rows.iter().map(job_from_row).collect()
    }

    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let due: Option<String> = sqlx::query_scalar("SELECT MIN(due_at) FROM jobs WHERE state = 'pending'")
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        parse_opt_ts("due_at", due)
    }

    async fn put_chat_ref(&self, key: &ChatRefKey, r: &MessageRef) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        put_chat_ref(&mut tx, key, r).await?;
        tx.commit().await.map_err(db)
    }

    async fn chat_ref(&self, key: &ChatRefKey) -> Result<Option<MessageRef>, StoreError> {
        let row = sqlx::query("SELECT channel, message FROM chat_refs WHERE key = $1")
            .bind(key.as_key())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(message_ref_from_row).transpose()
    }

    async fn chat_refs(&self, incident: &IncidentId) -> Result<Vec<(ChatRefKey, MessageRef)>, StoreError> {
        // Cards and conversations carry the incident; job posts are found through their jobs
        // (`job/<id>`, the key `ChatRefKey::JobPost` stores under).
        let rows = sqlx::query(
            "SELECT key, channel, message FROM chat_refs WHERE incident_id = $1 \
             UNION ALL \
             SELECT c.key, c.channel, c.message FROM jobs j JOIN chat_refs c ON c.key = 'job/' || j.id \
             WHERE j.incident_id = $1",
        )
        .bind(incident.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let refs = rows
            .iter()
            .map(|row| Ok((chat_ref_key(&get::<String>(row, "key")?)?, message_ref_from_row(row)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(sorted_chat_refs(refs))
    }
}
