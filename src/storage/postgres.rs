//! The PostgreSQL store: a pool of connections, read-committed transactions, row locks for
//! optimistic concurrency on incidents, and job claims with `FOR UPDATE SKIP LOCKED` so any
//! number of runners can share the job table. JSON columns are JSONB, written and read as text
//! (`$n::jsonb`, `col::text`).
//!
//! Round trips are what a write costs here, so the hot writes are one statement each: an open
//! whose incident number the store guesses (the one after the last it took; a wrong guess
//! writes nothing and the open takes its number in a transaction), and a job's record, which
//! holds the incident's row and the job's itself and writes only when both are as expected;
//! records that arrive while others are being written go together, in one statement
//! ([`recorder`]).
//!
//! Every pooled connection runs with the store's `statement_timeout` and `lock_timeout`
//! (startup options); migrations run on a connection of their own without them, so a long
//! migration or a wait for another replica's migration lock is not cut short. A failed
//! transaction is rolled back; a connection whose rollback fails is closed, not pooled again.
//! A pooled connection is asked whether it is alive before use only after it idled
//! ([`PostgresStore::IDLE_CHECK`]), not before every call; after a call that succeeded it goes
//! back to a stack of the store's own, not through sqlx's pool, whose release pings it
//! ([`pg_held`](super::pg_held)).
//!
//! Read-only connections: a connection to a standby (before or after a failover moved the
//! address to the new primary), or one opened while `default_transaction_read_only` was on,
//! refuses every write with SQLSTATE 25006 for its whole life. A call that fails so closes its
//! connection instead of pooling it ([`Fault::ReadOnly`]), and from then on every write first
//! checks its connection and replaces a read-only one — as the SQLite store does — so writes
//! work again as soon as the server accepts them.

mod recorder;

use super::pg_held::{Held, Lease, Limits};
use super::queries::{self, Arg, Conn, job_columns};
use super::rows::Cols;
use super::{
    Fault, Site, StorageError, StoreOptions, chat_ref_error, clean_on_release, db, group_names, to_json, watching,
};
use crate::config::DatabaseUrl;
use crate::domain::ids::{AgreementId, IncidentId, MessageId, UserId};
use crate::domain::incident::{Incident, TimelineEntry};
use crate::domain::maintenance::MaintenanceWindow;
use crate::domain::meeting::MeetingPoint;
use crate::service::ports::{
    CancelJobs, Change, ChatRefKey, FinishJob, IncidentFilter, Job, JobFinish, MessageRef, NewJob, NewPoint, NewReport,
    NewWindow, ReportKind, StoreError, StoredReport,
};
use chrono::{DateTime, Utc};
use recorder::{Record, Recorder};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions, PgRow};
use sqlx::{AssertSqlSafe, Connection};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::future::Future;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};

/// Connections per store.
const MAX_CONNECTIONS: u32 = 8;

/// How long a store call waits for a free (or new) connection.
const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The PostgreSQL implementation of [`Store`](crate::service::ports::Store).
pub struct PostgresStore {
    pool: PgPool,
    /// The pool's connections between calls ([`Held`]).
    held: Held,
    site: Site,
    schema: Option<String>,
    /// Set when a connection failed as read-only: from then on writes check their connection
    /// first.
    read_only_seen: AtomicBool,
    /// What this store expects each incident sequence's next number to be.
    next_numbers: NextNumbers,
    /// The job records waiting to commit together ([`Recorder`]).
    recorder: Recorder,
}

/// The number each incident sequence (prefix and year) hands out next, as far as this store
/// knows: the one after the last it took. Another replica taking numbers makes a guess wrong,
/// which costs a round trip and is then forgotten; it is never trusted without the database's
/// check.
#[derive(Default)]
struct NextNumbers(std::sync::Mutex<HashMap<(String, i32), u32>>);

impl NextNumbers {
    /// The guess for `prefix` and `year`, if any, and the one after it for the next caller (an
    /// open running beside this one).
    fn take(&self, prefix: &str, year: i32) -> Option<u32> {
        let mut known = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let next = known.get_mut(&(prefix.to_string(), year))?;
        let guess = *next;
        *next = guess.checked_add(1)?;
        Some(guess)
    }

    /// Number `seq` of `prefix` and `year` was taken: the next is the one after it.
    fn took(&self, prefix: &str, year: i32, seq: u32) {
        let mut known = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match seq.checked_add(1) {
            Some(next) => known.insert((prefix.to_string(), year), next),
            None => known.remove(&(prefix.to_string(), year)),
        };
    }

    /// The guess for `prefix` and `year` was wrong: none until a number is taken again.
    fn forget(&self, prefix: &str, year: i32) {
        let mut known = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        known.remove(&(prefix.to_string(), year));
    }
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore")
            .field("url", &self.site.location)
            .field("schema", &self.schema)
            .field("options", &self.site.options)
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// A pooled connection idle for longer than this is asked whether it is still alive (a
    /// ping) before a call gets it: a server that restarted, or a failover, closed it
    /// meanwhile, and the pool opens another. A connection in use again sooner skips that
    /// round trip, which sqlx's own check (`test_before_acquire`) makes before every call.
    /// The same holds for the connections kept between calls outside sqlx's pool
    /// (the store's `pg_held` module).
    pub const IDLE_CHECK: std::time::Duration = std::time::Duration::from_secs(1);

    /// Connects to `postgres://…` and migrates the database (tables in the default search path).
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        Self::connect_with(url, &StoreOptions::default()).await
    }

    /// [`connect`](Self::connect) with the given timeouts.
    pub async fn connect_with(url: &str, options: &StoreOptions) -> Result<Self, StorageError> {
        Self::open(url, None, options).await
    }

    /// Connects with every pooled connection's `search_path` set to `schema` (created if
    /// missing), and migrates that schema. Lets several stores (tests) share one database.
    /// `schema` must be a plain lower-case identifier.
    pub async fn connect_in_schema(url: &str, schema: &str) -> Result<Self, StorageError> {
        Self::connect_in_schema_with(url, schema, &StoreOptions::default()).await
    }

    /// [`connect_in_schema`](Self::connect_in_schema) with the given timeouts.
    pub async fn connect_in_schema_with(url: &str, schema: &str, options: &StoreOptions) -> Result<Self, StorageError> {
        let valid = schema.len() <= 63
            && schema.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && schema
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(StorageError::InvalidSchema(schema.to_string()));
        }
        Self::open(url, Some(schema), options).await
    }

    async fn open(url: &str, schema: Option<&str>, store_options: &StoreOptions) -> Result<Self, StorageError> {
        let redacted = DatabaseUrl::new(url);
        let mut options = PgConnectOptions::from_str(url).map_err(|source| StorageError::InvalidUrl {
            url: redacted.clone(),
            source,
        })?;
        let connect_error = |source| StorageError::Connect {
            url: redacted.clone(),
            source,
        };

        // One plain connection first: it fails fast with the real cause (the pool would retry a
        // refused connection until its timeout and then report only the timeout), and creates
        // the schema.
        let mut conn = PgConnection::connect_with(&options).await.map_err(connect_error)?;
        if let Some(schema) = schema {
            // Safe: `schema` was checked to be a plain identifier.
            sqlx::query(AssertSqlSafe(format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\"")))
                .execute(&mut conn)
                .await
                .map_err(connect_error)?;
            options = options.options([("search_path", schema)]);
        }
        conn.close().await.map_err(connect_error)?;

        // Migrations on a connection without the timeouts.
        let migrating = PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options.clone())
            .await
            .map_err(connect_error)?;
        super::migrations::postgres()
            .run(&migrating)
            .await
            .map_err(|source| StorageError::Migrate {
                url: redacted.clone(),
                source,
            })?;
        migrating.close().await;

        let options = options.options([
            ("statement_timeout", millis(store_options.statement_timeout)),
            ("lock_timeout", millis(store_options.lock_timeout)),
        ]);
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .test_before_acquire(false)
            .before_acquire(|conn, meta| Box::pin(live_after_idling(conn, meta)))
            .after_release(|conn, _| Box::pin(clean_on_release(conn)))
            .connect_with(options)
            .await
            .map_err(connect_error)?;
        let store = PostgresStore {
            pool,
            held: Held::new(MAX_CONNECTIONS, Limits::new(Self::IDLE_CHECK, ACQUIRE_TIMEOUT)),
            site: Site {
                location: redacted.clone(),
                options: *store_options,
            },
            schema: schema.map(str::to_string),
            read_only_seen: AtomicBool::new(false),
            next_numbers: NextNumbers::default(),
            recorder: Recorder::default(),
        };
        store.derive_missing().await.map_err(|e| StorageError::Derive {
            url: redacted,
            source: e,
        })?;
        Ok(store)
    }

    /// Derives the indexed columns of incident rows stored before they existed, a batch per
    /// transaction (nothing to do once done: one indexed probe).
    async fn derive_missing(&self) -> Result<(), StoreError> {
        while self
            .write(async |c: &mut PgConnection| queries::derive_missing(c, DERIVE_BATCH).await)
            .await?
            > 0
        {}
        Ok(())
    }

    /// The schema the store's tables live in, when connected with
    /// [`connect_in_schema`](Self::connect_in_schema).
    pub fn schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.held.release_all();
        self.pool.close().await;
    }

    /// Runs one store call, its database errors naming the database.
    async fn run<T>(&self, work: impl Future<Output = Result<T, StoreError>>) -> Result<T, StoreError> {
        work.await.map_err(|e| self.site.locate(e))
    }

    /// Runs one store call on a pooled connection, outside a transaction (reads), its
    /// database errors naming the database.
    async fn read<T>(
        &self,
        body: impl AsyncFnOnce(&mut PgConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.run(async {
            let mut conn = self.held.acquire(&self.pool).await?;
            let (result, fault) = watching(body(&mut *conn)).await;
            if result.is_ok() {
                conn.finish();
            }
            self.discard_if_read_only(&mut conn, fault);
            result
        })
        .await
    }

    /// A write of one statement: atomic on its own, on a pooled connection that can write.
    async fn single<T>(
        &self,
        body: impl AsyncFnOnce(&mut PgConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.run(async {
            let mut conn = self.writable().await?;
            let (result, fault) = watching(body(&mut *conn)).await;
            if result.is_ok() {
                conn.finish();
            }
            self.discard_if_read_only(&mut conn, fault);
            result
        })
        .await
    }

    /// Runs `body` in a transaction: commits when it succeeds, rolls back when it fails. A
    /// connection whose rollback fails, or that turned out read-only, is closed instead of
    /// being pooled again.
    async fn write<T>(
        &self,
        body: impl AsyncFnOnce(&mut PgConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.run(async {
            let mut conn = self.writable().await?;
            let (outcome, fault) = watching(async {
                let mut tx = conn.begin().await.map_err(db)?;
                Ok::<_, StoreError>(match body(&mut *tx).await {
                    Ok(value) => (tx.commit().await.map(|()| value).map_err(db), true),
                    Err(e) => match tx.rollback().await {
                        Ok(()) => (Err(e), true),
                        Err(rollback) => {
                            tracing::warn!(error = %rollback, "rollback failed; closing the connection");
                            (Err(e), false)
                        }
                    },
                })
            })
            .await;
            self.discard_if_read_only(&mut conn, fault);
            let (result, clean) = outcome?;
            if !clean {
                conn.close_on_drop();
            } else if result.is_ok() {
                conn.finish();
            }
            result
        })
        .await
    }

    /// [`IncidentStore::insert_numbered`](crate::service::ports::IncidentStore::insert_numbered)
    /// in one statement, committed on its own, instead of four round trips (`BEGIN`, the
    /// number, the insert, `COMMIT`): the incident is built with the number this store guesses
    /// its sequence hands out next ([`NextNumbers`]), and the statement takes that number only
    /// if it still is the next, and inserts the incident, its timeline and its jobs only if
    /// it took it. A failure takes no number, as in a transaction.
    ///
    /// `None`, with nothing written, when there is no guess (this store's first incident of
    /// the sequence), when the change holds more than a new incident's timeline and jobs
    /// (something to finish or cancel, chat references, alerts), or when the guess was wrong
    /// (another replica took numbers): the caller takes the number in a transaction.
    async fn insert_guessed(
        &self,
        prefix: &str,
        year: i32,
        make: &crate::service::ports::MakeIncident<'_>,
    ) -> Result<Option<Incident>, StoreError> {
        let Some(guess) = self.next_numbers.take(prefix, year) else {
            return Ok(None);
        };
        let plain = |c: &Change| c.finish.is_none() && queries::rows_only(c);
        let Some((incident, change)) = make(guess).filter(|(_, c)| plain(c)) else {
            self.next_numbers.forget(prefix, year);
            return Ok(None);
        };
        let stored = incident.with_version(1);
        let data = to_json("incident", &stored)?;
        let row = queries::new_row(&stored, &data, &change);
        let guard = Some((prefix, year, guess));
        let inserted = self
            .single(async |c: &mut PgConnection| {
                insert_new(
                    c,
                    GUESSED_INSERT,
                    (stored.id(), &row),
                    &change.timeline,
                    &change.jobs,
                    guard,
                )
                .await
            })
            .await;
        if !matches!(inserted, Ok(true)) {
            self.next_numbers.forget(prefix, year);
        }
        Ok(inserted?.then_some(stored))
    }

    /// Number `seq` of `prefix` and `year` was taken by this store in a transaction: its next
    /// open guesses the one after ([`insert_guessed`](Self::insert_guessed)).
    fn took_number(&self, prefix: &str, year: i32, seq: u32) {
        self.next_numbers.took(prefix, year, seq);
    }

    /// [`IncidentStore::update_incident`](crate::service::ports::IncidentStore::update_incident)
    /// of a job's record — the incident (or, [`Change::unchanged`], its row held), the
    /// timeline entries, the jobs that follow, the job's finish as done with the reference
    /// of what it posted and the change's chat references (a card and its conversation) — in
    /// one statement committed on its own ([`RECORD_CHANGED`], [`RECORD_UNCHANGED`]) instead
    /// of four round trips (`BEGIN`, the row, the rest, `COMMIT`). `None`, with nothing
    /// written, when the change holds more than that (a cancel, alerts, a finish other than
    /// done, one chat reference's key twice): the caller writes it in a transaction.
    ///
    /// The statement first holds both rows it depends on, the incident at the version the
    /// change was made on and the job under the finisher's lease, and writes nothing unless
    /// it holds both: all of the record or none of it, as in a transaction. When it does not,
    /// a read says why (not found, a conflict, or the lease lost). Its one snapshot
    /// is taken before it waits for the incident's row, so a writer of the timeline that
    /// held the row meanwhile without changing the incident makes the timeline's next number
    /// stale: the insert then fails on the timeline's key, the statement with it, and that
    /// is a conflict, retried as any other.
    ///
    /// Records that arrive while others are being written are written together, in one
    /// statement ([`recorder`]).
    async fn record_alone(&self, incident: &Incident, change: &Change) -> Result<Option<Incident>, StoreError> {
        let Some(record) = Record::of(incident, change)? else {
            return Ok(None);
        };
        let stored = record.stored.clone();
        self.record(record).await?;
        Ok(Some(stored))
    }

    /// A pooled connection for a write. Once the store has met a read-only connection, each
    /// is first asked whether it can write (`SHOW transaction_read_only`); a read-only one is
    /// closed and the next tried, at most once per pooled connection plus once (so the last
    /// is newly opened) — writes work again as soon as the server takes them.
    async fn writable(&self) -> Result<Lease<'_>, StoreError> {
        let mut tries = 1;
        loop {
            let mut conn = self.held.acquire(&self.pool).await?;
            if !self.read_only_seen.load(Ordering::SeqCst) {
                return Ok(conn);
            }
            let read_only: String = sqlx::query_scalar("SHOW transaction_read_only")
                .fetch_one(&mut *conn)
                .await
                .map_err(db)?;
            if read_only != "on" || tries > MAX_CONNECTIONS {
                return Ok(conn);
            }
            tracing::warn!("closing a read-only PostgreSQL connection before a write");
            conn.close_on_drop();
            tries += 1;
        }
    }

    /// Closes `conn` instead of pooling it when a call on it failed as read-only (SQLSTATE
    /// 25006: connected to a standby, or opened while `default_transaction_read_only` was
    /// on), and makes later writes check their connection first.
    fn discard_if_read_only(&self, conn: &mut Lease<'_>, fault: Option<Fault>) {
        if fault == Some(Fault::ReadOnly) {
            self.read_only_seen.store(true, Ordering::SeqCst);
            tracing::warn!("closing a PostgreSQL connection that failed as read-only; the next call opens a new one");
            conn.close_on_drop();
        }
    }
}

/// The pool's `before_acquire` check ([`PostgresStore::IDLE_CHECK`]): false (the pool closes
/// it and takes another) for a connection that idled and no longer answers.
async fn live_after_idling(
    conn: &mut PgConnection,
    meta: sqlx::pool::PoolConnectionMetadata,
) -> Result<bool, sqlx::Error> {
    Ok(meta.idle_for < PostgresStore::IDLE_CHECK || conn.ping().await.is_ok())
}

/// A timeout as a PostgreSQL setting.
fn millis(d: std::time::Duration) -> String {
    format!("{}ms", d.as_millis())
}

/// The jobs [`crate::service::ports::JobStore::purge`] deletes: done or cancelled before
/// `$1`, of no incident or of a closed one.
macro_rules! purgeable {
    () => {
        "((j.state = 'done' AND j.fired_at < $1) OR (j.state = 'cancelled' AND j.due_at < $1)) \
         AND (j.incident_id IS NULL OR j.grp = 'status' \
              OR EXISTS (SELECT 1 FROM incidents i WHERE i.id = j.incident_id AND i.state = 'closed'))"
    };
}

/// Incident rows derived per transaction when an older database is opened.
const DERIVE_BATCH: u32 = 500;

/// The insert of timeline entries numbered after the incident's last: `$incident` its id;
/// `$at`, `$actor`, `$event` the entries' arrays ([`TimelineArrays`]); `$filter` a `WHERE`
/// clause, or nothing.
macro_rules! timeline_insert {
    ($incident:literal, $at:literal, $actor:literal, $event:literal, $filter:literal) => {
        concat!(
            "INSERT INTO timeline (incident_id, seq, at, actor, event) SELECT ",
            $incident,
            ", (SELECT COALESCE(MAX(seq), 0) FROM timeline WHERE incident_id = ",
            $incident,
            ") + e.n, e.at, e.actor, e.event::jsonb FROM UNNEST(",
            $at,
            "::timestamptz[], ",
            $actor,
            "::text[], ",
            $event,
            "::text[]) WITH ORDINALITY AS e(at, actor, event, n)",
            $filter
        )
    };
}

/// The insert of jobs whose keys are new, in the order given (ids follow it): the six arrays
/// of [`JobArrays`]; `$filter` a `WHERE` clause, or nothing.
macro_rules! jobs_insert {
    ($key:literal, $kind:literal, $incident:literal, $grp:literal, $due:literal, $payload:literal, $filter:literal) => {
        concat!(
            "INSERT INTO jobs (key, kind, incident_id, grp, due_at, planned_at, payload) \
             SELECT j.key, j.kind, j.incident_id, j.grp, j.due_at, j.due_at, j.payload::jsonb FROM UNNEST(",
            $key,
            "::text[], ",
            $kind,
            "::text[], ",
            $incident,
            "::text[], ",
            $grp,
            "::text[], ",
            $due,
            "::timestamptz[], ",
            $payload,
            "::text[]) WITH ORDINALITY AS j(key, kind, incident_id, grp, due_at, payload, n)",
            $filter,
            " ORDER BY j.n ON CONFLICT (key) DO NOTHING"
        )
    };
}

/// The insert of chat references (`key`, `incident_id`, `channel`, `message`) from
/// `$source` (`VALUES …` or a `SELECT`), each replacing one under the same key; `updated_at`
/// is the database's clock, `created_at` is kept.
macro_rules! chat_ref_upsert {
    ($source:literal) => {
        concat!(
            "INSERT INTO chat_refs (key, incident_id, channel, message) ",
            $source,
            " ON CONFLICT (key) DO UPDATE SET incident_id = excluded.incident_id, \
             channel = excluded.channel, message = excluded.message, updated_at = now()"
        )
    };
}

/// A statement with its parameters bound so far.
type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

/// Timeline entries as the arrays [`timeline_insert!`] unnests.
#[derive(Default)]
struct TimelineArrays<'a> {
    ats: Vec<DateTime<Utc>>,
    actors: Vec<&'a str>,
    events: Vec<String>,
}

impl<'a> TimelineArrays<'a> {
    fn of(entries: &'a [TimelineEntry]) -> Result<Self, StoreError> {
        let mut arrays = TimelineArrays::default();
        for e in entries {
            arrays.push(e)?;
        }
        Ok(arrays)
    }

    /// Adds `e` to the arrays.
    fn push(&mut self, e: &'a TimelineEntry) -> Result<(), StoreError> {
        self.ats.push(e.at);
        self.actors.push(&e.actor);
        self.events.push(to_json("timeline event", &e.event)?);
        Ok(())
    }

    /// Binds the arrays, in [`timeline_insert!`]'s order, after `query`'s parameters.
    fn bind<'q>(&'q self, query: PgQuery<'q>) -> PgQuery<'q> {
        query.bind(&self.ats).bind(&self.actors).bind(&self.events)
    }
}

/// Jobs as the arrays [`jobs_insert!`] unnests.
#[derive(Default)]
struct JobArrays<'a> {
    keys: Vec<&'a str>,
    kinds: Vec<&'a str>,
    incidents: Vec<Option<&'a str>>,
    groups: Vec<&'a str>,
    dues: Vec<DateTime<Utc>>,
    payloads: Vec<String>,
}

impl<'a> JobArrays<'a> {
    fn of(jobs: &'a [NewJob]) -> Result<Self, StoreError> {
        let mut arrays = JobArrays::default();
        for j in jobs {
            arrays.push(j)?;
        }
        Ok(arrays)
    }

    /// Adds `j` to the arrays.
    fn push(&mut self, j: &'a NewJob) -> Result<(), StoreError> {
        self.keys.push(&j.key);
        self.kinds.push(j.kind.as_str());
        self.incidents.push(j.incident.as_deref());
        self.groups.push(j.group.as_str());
        self.dues.push(j.due_at);
        self.payloads.push(to_json("job payload", &j.payload)?);
        Ok(())
    }

    /// Binds the arrays, in [`jobs_insert!`]'s order, after `query`'s parameters.
    fn bind<'q>(&'q self, query: PgQuery<'q>) -> PgQuery<'q> {
        (query.bind(&self.keys).bind(&self.kinds).bind(&self.incidents))
            .bind(&self.groups)
            .bind(&self.dues)
            .bind(&self.payloads)
    }
}

/// A new incident's insert in one statement: `$head` opens the `WITH` chain and `$row` is the
/// row's insert (named `inc`); the timeline's (`$16`…`$18`, [`TimelineArrays`]) and the jobs'
/// (`$19`…`$24`, [`JobArrays`]) only when the row went in. It answers how many rows went in.
macro_rules! new_incident {
    ($head:literal, $row:expr) => {
        concat!(
            $head,
            $row,
            " RETURNING id), tl AS (",
            timeline_insert!("$1", "$16", "$17", "$18", " WHERE EXISTS (SELECT 1 FROM inc)"),
            "), jb AS (",
            jobs_insert!(
                "$19",
                "$20",
                "$21",
                "$22",
                "$23",
                "$24",
                " WHERE EXISTS (SELECT 1 FROM inc)"
            ),
            ") SELECT COUNT(*) AS inserted FROM inc"
        )
    };
}

/// A new incident's insert with the number it was built with taken in the same statement
/// ([`PostgresStore::insert_guessed`]): only if that number (`$27`) is its sequence's next.
const GUESSED_INSERT: &str = new_incident!(
    "WITH seq AS (UPDATE incident_sequences SET next = next + 1 \
       WHERE prefix = $25 AND year = $26 AND next = $27 RETURNING next), inc AS (",
    queries::incident_insert!("::jsonb", " WHERE EXISTS (SELECT 1 FROM seq)")
);

/// A job's record in one statement ([`PostgresStore::record_alone`]): `$1`…`$15` the
/// incident's row ([`queries::new_row`]), `$16`…`$20` the finish (the job's id, its owner,
/// when it fired, whether late, its outcome), `$21`…`$23` the timeline's arrays
/// ([`TimelineArrays`]), `$24`…`$29` the jobs' ([`JobArrays`]), `$30`…`$33` the chat
/// references to store (arrays of keys, incidents, channels and messages: the post's, a
/// card's and its conversation's) and `$34` the version the change was made on. `$set`
/// writes the incident's row, when `$when` holds as well.
///
/// Every write depends on `chk`, which holds the incident's row at that version and the
/// job's under the finisher's lease (both checked again on their newest versions after a
/// wait), so the statement writes all of the record or nothing, and the finish need not
/// check the lease again. It answers whether `chk` held them.
macro_rules! record {
    ($set:literal, $when:literal) => {
        concat!(
            "WITH chk AS (SELECT i.id FROM incidents i JOIN jobs j ON j.id = $16 AND j.state = 'running' \
               AND j.lease_owner = $17 WHERE i.id = $1 AND i.version = $34 FOR UPDATE OF i, j), inc AS (",
            $set,
            " WHERE id = $1 AND EXISTS (SELECT 1 FROM chk)",
            $when,
            "), f AS (",
            "UPDATE jobs SET state = 'done', fired_at = $18, late = $19, outcome = $20 \
             WHERE id = $16 AND EXISTS (SELECT 1 FROM chk) RETURNING id), tl AS (",
            timeline_insert!("$1", "$21", "$22", "$23", " WHERE EXISTS (SELECT 1 FROM chk)"),
            "), jb AS (",
            jobs_insert!(
                "$24",
                "$25",
                "$26",
                "$27",
                "$28",
                "$29",
                " WHERE EXISTS (SELECT 1 FROM chk)"
            ),
            "), cr AS (",
            chat_ref_upsert!(
                "SELECT r.k, r.i, r.ch, r.m FROM unnest($30::text[], $31::text[], $32::text[], $33::text[]) \
                 AS r(k, i, ch, m) WHERE EXISTS (SELECT 1 FROM f)"
            ),
            ") SELECT COUNT(*) AS recorded FROM chk"
        )
    };
}

/// [`record!`] of a changed incident: its row replaced (`touched_until` only ever moves on).
const RECORD_CHANGED: &str = record!(
    "UPDATE incidents SET agreement = $2, state = $3, priority = $4, reported_at = $5, updated_at = $6, \
     version = $7, data = $8::jsonb, response_due = $9, resolution_due = $10, next_due = $11, missed = $12, \
     touched_until = CASE WHEN touched_until IS NULL OR touched_until < $13 THEN $13 ELSE touched_until END, \
     derived = $14, case_type = $15",
    ""
);

/// [`record!`] of an incident as stored ([`Change::unchanged`]): its row written only when
/// the timeline moves its `touched_until` on (`$13`); the rest of `$1`…`$15` unused.
const RECORD_UNCHANGED: &str = record!(
    "UPDATE incidents SET touched_until = $13",
    " AND (touched_until IS NULL OR touched_until < $13)"
);

/// Runs `sql`, a [`new_incident!`] statement, with the row's values, the timeline's and jobs'
/// arrays and then `guard`'s `$25`…`$27` (a sequence's prefix and year, and the number
/// guessed to be its next) when given; true when the row went in. A row whose id exists,
/// where `sql` does not skip it, fails the statement: [`StoreError::Duplicate`].
async fn insert_new(
    conn: &mut PgConnection,
    sql: &'static str,
    (incident, row): (&IncidentId, &[Arg<'_>; 15]),
    timeline: &[TimelineEntry],
    jobs: &[NewJob],
    guard: Option<(&str, i32, u32)>,
) -> Result<bool, StoreError> {
    let (t, j) = (TimelineArrays::of(timeline)?, JobArrays::of(jobs)?);
    let mut query = j.bind(t.bind(queries::conn_runners!(@bound std::convert::identity, sql, row)));
    if let Some((prefix, year, guess)) = guard {
        query = query.bind(prefix).bind(year).bind(i64::from(guess));
    }
    let inserted: i64 = match query.fetch_one(&mut *conn).await {
        Ok(row) => row.int("inserted")?,
        Err(e) if e.as_database_error().and_then(|d| d.constraint()) == Some("incidents_pkey") => {
            return Err(StoreError::Duplicate(incident.to_string()));
        }
        Err(e) => return Err(db(e)),
    };
    Ok(inserted > 0)
}

impl Conn for PgConnection {
    type Row = PgRow;

    const TITLE: &'static str = "(data->>'title')";

    const LOCK_ROW: &'static str = " FOR UPDATE";
    const PLAN_BASIS: &'static str = "(incidents.data ->> 'plan_basis')";

    const OUTAGE: &'static str = "(data ->> 'outage')";

    const EVENT_TYPE: &'static str = "(event ->> 'type')";

    const UNDERIVED: &'static str = "NOT derived";

    const SET_ONLY_CHANGED: bool = false;

    const JSON_VALUE: &'static str = "::jsonb";

    queries::conn_runners!(std::convert::identity);

    /// One statement: the entries unnested, numbered after the incident's last (the caller
    /// holds the incident's row lock, which serialises appends).
    async fn append_timeline<'a>(
        &'a mut self,
        incident: &'a IncidentId,
        entries: &'a [TimelineEntry],
    ) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        let t = TimelineArrays::of(entries)?;
        let query = sqlx::query(timeline_insert!("$1", "$2", "$3", "$4", "")).bind(incident.as_str());
        t.bind(query).execute(&mut *self).await.map_err(db)?;
        Ok(())
    }

    /// One statement per batch; rows keep their order, so ids follow it.
    async fn insert_jobs<'a>(&'a mut self, jobs: &'a [NewJob]) -> Result<(), StoreError> {
        if jobs.is_empty() {
            return Ok(());
        }
        let j = JobArrays::of(jobs)?;
        j.bind(sqlx::query(jobs_insert!("$1", "$2", "$3", "$4", "$5", "$6", "")))
            .execute(&mut *self)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// One statement: the three inserts as data-modifying `WITH` queries, the timeline's and
    /// the jobs' only when the row went in (the id is the row's `$1`).
    async fn insert_new_incident<'a>(
        &'a mut self,
        incident: &'a IncidentId,
        row: &'a [Arg<'a>; 15],
        timeline: &'a [TimelineEntry],
        jobs: &'a [NewJob],
    ) -> Result<bool, StoreError> {
        const SQL: &str = new_incident!("WITH inc AS (", queries::incident_insert!("::jsonb"));
        insert_new(self, SQL, (incident, row), timeline, jobs, None).await
    }

    /// The groups as a text array.
    async fn cancel_jobs<'a>(&'a mut self, cancel: &'a CancelJobs) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE jobs SET state = 'cancelled' \
             WHERE incident_id = $1 AND state = 'pending' \
               AND (cardinality($2::text[]) = 0 OR grp = ANY($2))",
        )
        .bind(cancel.incident.as_str())
        .bind(group_names(&cancel.groups))
        .execute(&mut *self)
        .await
        .map_err(db)?;
        Ok(())
    }

    /// `updated_at` is the database's clock.
    async fn put_chat_ref<'a>(&'a mut self, key: &'a ChatRefKey, r: &'a MessageRef) -> Result<(), StoreError> {
        sqlx::query(chat_ref_upsert!("VALUES ($1, $2, $3, $4)"))
            .bind(key.as_key())
            .bind(key.incident().map(IncidentId::as_str))
            .bind(&r.channel)
            .bind(&r.message)
            .execute(&mut *self)
            .await
            .map_err(|e| chat_ref_error(key, e))?;
        Ok(())
    }

    /// One statement whose `FOR UPDATE SKIP LOCKED` lets runners claim side by side.
    async fn claim<'a>(
        &'a mut self,
        now: DateTime<Utc>,
        owner: &'a str,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<PgRow>, StoreError> {
        sqlx::query(concat!(
            "UPDATE jobs SET state = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM jobs WHERE state = 'pending' AND due_at <= $3 \
                          ORDER BY due_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) \
             RETURNING ",
            job_columns!()
        ))
        .bind(owner)
        .bind(lease_until)
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&mut *self)
        .await
        .map_err(db)
    }

    async fn finish_batch<'a>(&'a mut self, finishes: &'a [FinishJob]) -> Result<HashSet<i64>, StoreError> {
        finish_batch(self, finishes).await
    }

    /// One statement: data-modifying CTEs all run, atomically.
    async fn purge(&mut self, before: DateTime<Utc>, limit: u32) -> Result<u64, StoreError> {
        let purged: i64 = sqlx::query_scalar(concat!(
            "WITH gone AS (DELETE FROM jobs WHERE id IN (SELECT j.id FROM jobs j WHERE ",
            purgeable!(),
            " LIMIT $2) RETURNING id), \
             refs AS (DELETE FROM chat_refs c USING gone WHERE c.key = 'job/' || gone.id) \
             SELECT count(*) FROM gone"
        ))
        .bind(before)
        .bind(i64::from(limit))
        .fetch_one(&mut *self)
        .await
        .map_err(db)?;
        Ok(purged.max(0) as u64)
    }
}

/// Finishes a batch of claimed jobs with distinct ids in one statement (plus one for their
/// posted references); returns the ids finished. Same conditions as [`queries::finish_job`].
async fn finish_batch(conn: &mut PgConnection, finishes: &[FinishJob]) -> Result<HashSet<i64>, StoreError> {
    let n = finishes.len();
    let (mut ids, mut owners, mut kinds, mut ats) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut lates, mut outcomes, mut errors) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    for f in finishes {
        ids.push(f.id);
        owners.push(f.owner.as_str());
        let (kind, at, late, outcome, error) = match &f.finish {
            JobFinish::Done {
                fired_at,
                late,
                outcome,
            } => ("done", Some(*fired_at), *late, Some(outcome.as_str()), None),
            JobFinish::Retry { retry_at, error } => ("retry", Some(*retry_at), false, None, Some(error.as_str())),
            JobFinish::Failed { error } => ("failed", None, false, None, Some(error.as_str())),
        };
        kinds.push(kind);
        ats.push(at);
        lates.push(late);
        outcomes.push(outcome);
        errors.push(error);
    }
    let finished: Vec<i64> = sqlx::query_scalar(concat!(
        "UPDATE jobs j ",
        queries::finish_batch_set!(),
        "FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::bool[], $6::text[], $7::text[]) \
              AS f(id, owner, kind, at, late, outcome, error) \
             WHERE j.id = f.id AND j.state = 'running' AND j.lease_owner = f.owner \
             RETURNING j.id"
    ))
    .bind(&ids)
    .bind(&owners)
    .bind(&kinds)
    .bind(&ats)
    .bind(&lates)
    .bind(&outcomes)
    .bind(&errors)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let finished: HashSet<i64> = finished.into_iter().collect();
    let (mut keys, mut channels, mut messages) = (Vec::new(), Vec::new(), Vec::new());
    for f in finishes {
        if let (Some(posted), true) = (&f.posted, finished.contains(&f.id)) {
            keys.push(ChatRefKey::JobPost(f.id).as_key());
            channels.push(posted.channel.as_str());
            messages.push(posted.message.as_str());
        }
    }
    if !keys.is_empty() {
        sqlx::query(chat_ref_upsert!(
            "SELECT r.key, NULL, r.channel, r.message \
             FROM UNNEST($1::text[], $2::text[], $3::text[]) AS r(key, channel, message)"
        ))
        .bind(&keys)
        .bind(&channels)
        .bind(&messages)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    }
    Ok(finished)
}

queries::store_ports!(PostgresStore, PgConnection, PgConnection);
