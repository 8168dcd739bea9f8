//! SQLite's dialect: the pooled connection as a [`Conn`] (statements bound the way vakt
//! stores values: timestamps as UTC text in one fixed shape, see [`ts`]) and the statements
//! whose SQL is SQLite's own — bulk inserts read from a JSON array with `json_each`, the
//! claim, batched finishes, the purge — written once over [`Conn`] for both of SQLite's write
//! connections (a pooled one, and the store's own writer in [`super::sqlite_writer`]).

use super::queries::{self, Arg, Conn, job_columns};
use super::rows::Cols;
use super::{chat_ref_error, db, group_names, to_json};
use crate::domain::ids::IncidentId;
use crate::domain::incident::TimelineEntry;
use crate::service::ports::{CancelJobs, ChatRefKey, FinishJob, JobFinish, MessageRef, NewJob, StoreError};
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use std::collections::HashSet;

/// A timestamp as stored: UTC, six fraction digits, `Z`.
pub(super) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The jobs [`crate::service::ports::JobStore::purge`] deletes: done or cancelled before
/// `$1`, of no incident or of a closed one.
macro_rules! purgeable {
    () => {
        "((state = 'done' AND fired_at < $1) OR (state = 'cancelled' AND due_at < $1)) \
         AND (incident_id IS NULL OR grp = 'status' \
              OR incident_id IN (SELECT id FROM incidents WHERE state = 'closed'))"
    };
}

/// The claim: up to `$4` pending jobs due by `$3`, earliest first, leased to `$1` until `$2`.
pub(super) const CLAIM_SQL: &str = concat!(
    "UPDATE jobs SET state = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM jobs WHERE state = 'pending' AND due_at <= $3 \
                  ORDER BY due_at, id LIMIT $4) \
     RETURNING ",
    job_columns!()
);

/// One purge statement: at most `$2` purgeable jobs (as of `$1`), their ids returned.
pub(super) const PURGE_SQL: &str = concat!(
    "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE ",
    purgeable!(),
    " LIMIT $2) RETURNING id"
);

/// The [`Conn`] methods both of SQLite's write connections implement alike, by the statements
/// below.
macro_rules! dialect_methods {
    () => {
        async fn append_timeline<'a>(
            &'a mut self,
            incident: &'a IncidentId,
            entries: &'a [TimelineEntry],
        ) -> Result<(), StoreError> {
            super::sqlite_sql::append_timeline(self, incident, entries).await
        }

        async fn insert_jobs<'a>(&'a mut self, jobs: &'a [NewJob]) -> Result<(), StoreError> {
            super::sqlite_sql::insert_jobs(self, jobs).await
        }

        async fn insert_new_incident<'a>(
            &'a mut self,
            incident: &'a IncidentId,
            row: &'a [Arg<'a>; 15],
            timeline: &'a [TimelineEntry],
            jobs: &'a [NewJob],
        ) -> Result<bool, StoreError> {
            super::sqlite_sql::insert_new_incident(self, incident, row, timeline, jobs).await
        }

        async fn cancel_jobs<'a>(&'a mut self, cancel: &'a CancelJobs) -> Result<(), StoreError> {
            super::sqlite_sql::cancel_jobs(self, cancel).await
        }

        async fn claim<'a>(
            &'a mut self,
            now: DateTime<Utc>,
            owner: &'a str,
            lease_until: DateTime<Utc>,
            limit: u32,
        ) -> Result<Vec<Self::Row>, StoreError> {
            super::sqlite_sql::claim(self, now, owner, lease_until, limit).await
        }

        async fn finish_batch<'a>(&'a mut self, finishes: &'a [FinishJob]) -> Result<HashSet<i64>, StoreError> {
            super::sqlite_sql::finish_batch(self, finishes).await
        }

        async fn purge(&mut self, before: DateTime<Utc>, limit: u32) -> Result<u64, StoreError> {
            super::sqlite_sql::purge(self, before, limit).await
        }
    };
}
pub(super) use dialect_methods;

impl Conn for SqliteConnection {
    type Row = SqliteRow;

    const TITLE: &'static str = "json_extract(data, '$.title')";

    const LOCK_ROW: &'static str = "";
    const PLAN_BASIS: &'static str = "json_extract(incidents.data, '$.plan_basis')";

    const OUTAGE: &'static str = "json_extract(data, '$.outage')";

    const EVENT_TYPE: &'static str = "json_extract(event, '$.type')";

    const UNDERIVED: &'static str = "derived = 0";

    const SET_ONLY_CHANGED: bool = true;

    const JSON_VALUE: &'static str = "";

    queries::conn_runners!(ts);

    dialect_methods!();

    /// `created_at` and `updated_at` are this process's clock.
    async fn put_chat_ref<'a>(&'a mut self, key: &'a ChatRefKey, r: &'a MessageRef) -> Result<(), StoreError> {
        sqlx::query(PUT_CHAT_REF_SQL)
            .bind(key.as_key())
            .bind(key.incident().map(IncidentId::as_str))
            .bind(&r.channel)
            .bind(&r.message)
            .bind(ts(Utc::now()))
            .execute(&mut *self)
            .await
            .map_err(|e| chat_ref_error(key, e))?;
        Ok(())
    }
}

// The statements whose SQL is SQLite's own, written once over [`Conn`] for both of its write
// connections (a pooled one and the writer's own, [`WriteConn`]).

/// Stores a chat reference (`$1` key, `$2` incident, `$3` channel, `$4` message, `$5` now),
/// replacing one under the same key.
pub(super) const PUT_CHAT_REF_SQL: &str = "INSERT INTO chat_refs (key, incident_id, channel, message, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $5) \
     ON CONFLICT (key) DO UPDATE SET incident_id = excluded.incident_id, channel = excluded.channel, \
     message = excluded.message, updated_at = excluded.updated_at";

/// One statement for the entries (a JSON array read with `json_each`), numbered after the
/// incident's last (the write transaction holds the database's write lock).
pub(super) async fn append_timeline(
    conn: &mut impl Conn,
    incident: &IncidentId,
    entries: &[TimelineEntry],
) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let rows = entries
        .iter()
        .map(|entry| {
            Ok(serde_json::json!([
                ts(entry.at),
                entry.actor,
                to_json("timeline event", &entry.event)?
            ]))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let rows = to_json("timeline", &rows)?;
    conn.execute(
        "INSERT INTO timeline (incident_id, seq, at, actor, event) \
         SELECT $1, (SELECT COALESCE(MAX(seq), 0) FROM timeline WHERE incident_id = $1) + key + 1, \
                json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') \
         FROM json_each($2)",
        &[Arg::Text(incident.as_str()), Arg::Text(&rows)],
    )
    .await?;
    Ok(())
}

/// One statement for the batch (the jobs as a JSON array read with `json_each`);
/// `created_at` is this process's clock.
pub(super) async fn insert_jobs(conn: &mut impl Conn, jobs: &[NewJob]) -> Result<(), StoreError> {
    if jobs.is_empty() {
        return Ok(());
    }
    let rows = jobs
        .iter()
        .map(|job| {
            Ok(serde_json::json!([
                job.key,
                job.kind.as_str(),
                job.incident.as_deref(),
                job.group.as_str(),
                ts(job.due_at),
                to_json("job payload", &job.payload)?,
            ]))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let rows = to_json("jobs", &rows)?;
    // `WHERE true` tells SQLite's parser the ON CONFLICT belongs to the INSERT.
    conn.execute(
        "INSERT INTO jobs (key, kind, incident_id, grp, due_at, planned_at, payload, created_at) \
         SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), \
                json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[4]'), \
                json_extract(value, '$[5]'), $2 \
         FROM json_each($1) WHERE true ON CONFLICT (key) DO NOTHING",
        &[Arg::Text(&rows), Arg::Time(Utc::now())],
    )
    .await?;
    Ok(())
}

/// The three inserts one after another: SQLite runs one statement per call (more is an
/// idiosyncrasy sqlx documents as deprecated), and the write transaction holds the database,
/// so nothing comes between them.
pub(super) async fn insert_new_incident<'a>(
    conn: &mut impl Conn,
    incident: &IncidentId,
    row: &'a [Arg<'a>; 15],
    timeline: &[TimelineEntry],
    jobs: &[NewJob],
) -> Result<bool, StoreError> {
    if conn.execute(queries::incident_insert!(""), row).await? == 0 {
        return Ok(false);
    }
    conn.append_timeline(incident, timeline).await?;
    conn.insert_jobs(jobs).await?;
    Ok(true)
}

/// The groups as a JSON array, read with `json_each`.
pub(super) async fn cancel_jobs(conn: &mut impl Conn, cancel: &CancelJobs) -> Result<(), StoreError> {
    let groups = to_json("job groups", &group_names(&cancel.groups))?;
    conn.execute(
        "UPDATE jobs SET state = 'cancelled' \
         WHERE incident_id = $1 AND state = 'pending' \
           AND ($2 = 0 OR grp IN (SELECT value FROM json_each($3)))",
        &[
            Arg::Text(cancel.incident.as_str()),
            Arg::Int(cancel.groups.len() as i64),
            Arg::Text(&groups),
        ],
    )
    .await?;
    Ok(())
}

/// One `UPDATE … RETURNING` in the write transaction: SQLite has one writer.
pub(super) async fn claim<C: Conn>(
    conn: &mut C,
    now: DateTime<Utc>,
    owner: &str,
    lease_until: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<C::Row>, StoreError> {
    conn.fetch_all(
        CLAIM_SQL,
        &[
            Arg::Text(owner),
            Arg::Time(lease_until),
            Arg::Time(now),
            Arg::Int(i64::from(limit)),
        ],
    )
    .await
}

/// Two statements: the jobs (at most `limit`), then their posts' references.
pub(super) async fn purge(conn: &mut impl Conn, before: DateTime<Utc>, limit: u32) -> Result<u64, StoreError> {
    let gone = conn
        .fetch_all(PURGE_SQL, &[Arg::Time(before), Arg::Int(i64::from(limit))])
        .await?
        .iter()
        .map(|row| row.int("id"))
        .collect::<Result<Vec<i64>, StoreError>>()?;
    if !gone.is_empty() {
        let keys: Vec<String> = gone.iter().map(|id| ChatRefKey::JobPost(*id).as_key()).collect();
        let keys = to_json("job post keys", &keys)?;
        conn.execute(
            "DELETE FROM chat_refs WHERE key IN (SELECT value FROM json_each($1))",
            &[Arg::Text(&keys)],
        )
        .await?;
    }
    Ok(gone.len() as u64)
}

/// A batch of finishes as the JSON array [`finish_batch`] reads.
fn finish_batch_json(finishes: &[FinishJob]) -> Result<String, StoreError> {
    let rows: Vec<serde_json::Value> = finishes
        .iter()
        .map(|f| {
            let (kind, at, late, outcome, error) = match &f.finish {
                JobFinish::Done {
                    fired_at,
                    late,
                    outcome,
                } => ("done", Some(ts(*fired_at)), *late, Some(outcome.as_str()), None),
                JobFinish::Retry { retry_at, error } => {
                    ("retry", Some(ts(*retry_at)), false, None, Some(error.as_str()))
                }
                JobFinish::Failed { error } => ("failed", None, false, None, Some(error.as_str())),
            };
            serde_json::json!({
                "id": f.id,
                "owner": f.owner,
                "kind": kind,
                "at": at,
                "late": i64::from(late),
                "outcome": outcome,
                "error": error,
            })
        })
        .collect();
    to_json("job finishes", &rows)
}

/// Finishes a batch of claimed jobs with distinct ids in one statement (plus their posted
/// references); returns the ids finished. Same conditions as [`queries::finish_job`].
/// (`+j.state` keeps the planner off the state index: the batch drives the loop, each job
/// found by id. SQLite's `RETURNING` names the updated table's columns bare, never by its
/// alias.)
pub(super) async fn finish_batch(conn: &mut impl Conn, finishes: &[FinishJob]) -> Result<HashSet<i64>, StoreError> {
    let batch = finish_batch_json(finishes)?;
    let finished = conn
        .fetch_all(
            concat!(
                "UPDATE jobs AS j ",
                super::queries::finish_batch_set!(),
                "FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.owner') AS owner, \
                      json_extract(value, '$.kind') AS kind, json_extract(value, '$.at') AS at, \
                      json_extract(value, '$.late') AS late, json_extract(value, '$.outcome') AS outcome, \
                      json_extract(value, '$.error') AS error \
               FROM json_each($1)) AS f \
                 WHERE j.id = f.id AND +j.state = 'running' AND j.lease_owner = f.owner \
                 RETURNING id"
            ),
            &[Arg::Text(&batch)],
        )
        .await?
        .iter()
        .map(|row| row.int("id"))
        .collect::<Result<HashSet<i64>, StoreError>>()?;
    for f in finishes {
        if let (Some(posted), true) = (&f.posted, finished.contains(&f.id)) {
            conn.put_chat_ref(&ChatRefKey::JobPost(f.id), posted).await?;
        }
    }
    Ok(finished)
}
