//! SQLite's write connection of vakt's own: a `rusqlite` connection to the store's file that
//! the writer whose turn it is ([`SqliteStore`](super::SqliteStore)) runs statements on in
//! its own task, each statement done when its call returns.
//!
//! Why not a pooled sqlx connection like the readers': sqlx runs each SQLite connection on a
//! thread of its own and hands every statement to it and its answer back. Between two
//! statements of one write, the writer's task then waits to be scheduled again while it holds
//! the one write lock; under the scheduler's load those waits (about 50 µs a statement on
//! this project's 2-core machines) took more of the write lock's time than the statements.
//! Here a write's statements run back to back. What may block for long runs on a blocking
//! thread, so the task that asked runs its other work meanwhile: the commit, which waits for
//! the disk, and waiting for another process's write lock (the busy timeout, only once an
//! attempt without waiting found it taken).
//!
//! Both kinds of connection are one [`Conn`] to the statements: [`WriteConn`] is this
//! connection or, for an in-memory database (whose one connection the readers share), the
//! pooled one, and [`WriteRow`] a row of either. The SQL is the same text either way.
//!
//! Errors carry SQLite's own message and extended result code, noted for the store's fault
//! and undo bookkeeping as sqlx's errors are. The statement timeout bounds a statement here
//! from inside: a progress handler interrupts one that runs past its call's deadline.

use super::queries::{Arg, Conn};
use super::rows::{Cols, parse_ts};
use super::sqlite_sql::{self as lite, ts};
use super::{StoreOptions, corrupt, note_parts, note_sqlite, sqlite_code_name, timed_out};
use crate::domain::ids::IncidentId;
use crate::domain::incident::TimelineEntry;
use crate::service::ports::{CancelJobs, ChatRefKey, FinishJob, MessageRef, NewJob, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Prepared statements the connection keeps (every write statement vakt runs, with room).
const STATEMENT_CACHE: usize = 128;

/// SQLite virtual-machine steps between two looks at the deadline.
const PROGRESS_STEPS: std::ffi::c_int = 1_000;

/// Where and how the writer's connection is opened.
#[derive(Debug, Clone)]
pub(super) struct WriterSpec {
    /// The database file (the one the store's pool opened).
    pub(super) path: PathBuf,
    /// Opened read-only (`?mode=ro`): every write fails with SQLITE_READONLY.
    pub(super) read_only: bool,
    /// The store's timeouts: the lock timeout bounds a wait for another process's write
    /// lock, the statement timeout each call's statements.
    pub(super) options: StoreOptions,
    /// `PRAGMA wal_autocheckpoint` and `journal_size_limit`, as the store's other connections.
    pub(super) autocheckpoint: u32,
    pub(super) size_limit: u64,
}

/// The write connection. Dropping it closes it, which rolls back a transaction left open.
pub(super) struct Writer {
    conn: rusqlite::Connection,
    options: StoreOptions,
    /// The `PRAGMA max_page_count` last applied (0: never).
    page_cap: u64,
    /// When the running call's statements are interrupted: nanoseconds after `base`, 0 for
    /// none (read by the progress handler).
    deadline: Arc<AtomicU64>,
    base: Instant,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("path", &self.conn.path())
            .finish_non_exhaustive()
    }
}

impl Writer {
    /// Opens the write connection of `spec`. Its commits are durable when they return
    /// (`synchronous = FULL`, sqlx's connections' setting too: SQLite's default).
    pub(super) fn open(spec: &WriterSpec) -> Result<Self, StoreError> {
        use rusqlite::OpenFlags;
        let access = if spec.read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
        };
        let failed = |e| error(e, &spec.options, false);
        let conn = rusqlite::Connection::open_with_flags(&spec.path, access | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(failed)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // The busy timeout is set only while waiting is wanted (`begin`).
        conn.busy_timeout(Duration::ZERO).map_err(failed)?;
        // `temp_store = MEMORY` keeps the statement journal (what each savepoint of a group
        // commit must be able to undo) in memory: on SQLite's default it spills to a temporary
        // file past 64 KiB, and a group of sixteen writes wrote a page there for most pages it
        // touched.
        conn.execute_batch(&format!(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; \
             PRAGMA wal_autocheckpoint = {}; PRAGMA journal_size_limit = {};",
            spec.autocheckpoint, spec.size_limit
        ))
        .map_err(failed)?;
        let deadline = Arc::new(AtomicU64::new(0));
        let base = Instant::now();
        let watched = deadline.clone();
        conn.progress_handler(
            PROGRESS_STEPS,
            Some(move || {
                let at = watched.load(Ordering::Relaxed);
                at != 0 && base.elapsed().as_nanos() > u128::from(at)
            }),
        )
        .map_err(failed)?;
        Ok(Writer {
            conn,
            options: spec.options,
            page_cap: 0,
            deadline,
            base,
        })
    }

    /// Applies the store's test cap on the database's pages (`PRAGMA max_page_count`) when it
    /// changed since last applied.
    pub(super) fn apply_page_cap(&mut self, cap: u64) -> Result<(), StoreError> {
        if cap != 0 && cap != self.page_cap {
            // Safe: a number.
            self.run(&format!("PRAGMA max_page_count = {cap}"), &[])?;
            self.page_cap = cap;
        }
        Ok(())
    }

    /// Starts a write transaction holding the write lock (`BEGIN IMMEDIATE`). When another
    /// connection holds it, waits on a blocking thread up to the lock timeout (or the
    /// statement timeout when that is shorter, then failing as a call that timed out). A
    /// writer that fails to begin is closed.
    pub(super) async fn begin(self) -> Result<Self, StoreError> {
        let first = self.conn.execute_batch("BEGIN IMMEDIATE");
        let Err(e) = first else {
            return Ok(self);
        };
        if !busy(&e) {
            return Err(self.error(e));
        }
        let StoreOptions {
            statement_timeout,
            lock_timeout,
        } = self.options;
        let (writer, waited) = off_thread(self, move |w| {
            w.conn.busy_timeout(lock_timeout.min(statement_timeout))?;
            let begun = w.conn.execute_batch("BEGIN IMMEDIATE");
            w.conn.busy_timeout(Duration::ZERO)?;
            begun
        })
        .await?;
        match waited {
            Ok(()) => Ok(writer),
            Err(e) if busy(&e) && statement_timeout < lock_timeout => {
                note_parts(None, super::Undone::Unknown);
                Err(timed_out(&writer.options))
            }
            Err(e) => Err(writer.error(e)),
        }
    }

    /// Commits, on a blocking thread: the commit waits for the disk, and the task that asked
    /// (the scheduler's, say) runs its other work meanwhile. The writer comes back unless the
    /// thread was lost.
    pub(super) async fn commit(self) -> (Option<Self>, Result<(), StoreError>) {
        match off_thread(self, |w| w.conn.execute_batch("COMMIT")).await {
            Ok((writer, committed)) => {
                let committed = committed.map_err(|e| writer.error(e));
                (Some(writer), committed)
            }
            Err(lost) => (None, Err(lost)),
        }
    }

    /// Rolls the transaction back.
    pub(super) fn rollback(&mut self) -> Result<(), StoreError> {
        let rolled = self.conn.execute_batch("ROLLBACK");
        rolled.map_err(|e| self.error(e))
    }

    /// Whether the connection is inside a transaction.
    pub(super) fn in_transaction(&self) -> bool {
        !self.conn.is_autocommit()
    }

    /// Statements from now on are interrupted after the statement timeout (`on`), or never.
    pub(super) fn watch(&self, on: bool) {
        let at = if on {
            let at = self.base.elapsed() + self.options.statement_timeout;
            u64::try_from(at.as_nanos()).unwrap_or(u64::MAX).max(1)
        } else {
            0
        };
        self.deadline.store(at, Ordering::Relaxed);
    }

    /// Whether the running call's deadline has passed.
    fn past_deadline(&self) -> bool {
        let at = self.deadline.load(Ordering::Relaxed);
        at != 0 && self.base.elapsed().as_nanos() > u128::from(at)
    }

    /// Runs a statement; returns the rows it changed.
    fn run(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, StoreError> {
        let done = run(&self.conn, sql, args);
        done.map_err(|e| self.error(e))
    }

    /// Runs a query; returns every row.
    fn rows(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<PlainRow>, StoreError> {
        let rows = rows(&self.conn, sql, args);
        rows.map_err(|e| self.error(e))
    }

    /// A failure as a store error, noted for the store's bookkeeping.
    fn error(&self, e: rusqlite::Error) -> StoreError {
        error(e, &self.options, self.past_deadline())
    }
}

/// `e` as a store error: SQLite's message and the name of its extended code, or the call's
/// timeout when the progress handler interrupted it after its deadline (`late`).
fn error(e: rusqlite::Error, options: &StoreOptions, late: bool) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(failure, message) => {
            let code = failure.extended_code;
            note_sqlite(code);
            if code & 0xff == 9 && late {
                return timed_out(options);
            }
            let message = message.clone().unwrap_or_else(|| failure.to_string());
            StoreError::Database(format!("{message} ({})", sqlite_code_name(&code.to_string())))
        }
        other => {
            note_parts(None, super::Undone::Unknown);
            StoreError::Database(other.to_string())
        }
    }
}

/// Whether SQLite answered SQLITE_BUSY (any extended code).
fn busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code & 0xff == 5)
}

/// Whether `e` is a foreign-key violation (SQLITE_CONSTRAINT_FOREIGNKEY).
fn foreign_key(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == 787)
}

/// Runs `work` on `writer` on a blocking thread and hands both back. Errors are mapped by the
/// caller, in its task, where the store's fault bookkeeping is.
async fn off_thread<T: Send + 'static>(
    mut writer: Writer,
    work: impl FnOnce(&mut Writer) -> rusqlite::Result<T> + Send + 'static,
) -> Result<(Writer, rusqlite::Result<T>), StoreError> {
    tokio::task::spawn_blocking(move || {
        let done = work(&mut writer);
        (writer, done)
    })
    .await
    .map_err(|e| {
        note_parts(None, super::Undone::Unknown);
        StoreError::Database(format!("the write connection's thread failed: {e}"))
    })
}

/// Binds `args` to `statement`'s parameters as sqlx does: `$N` and `?N` name argument N
/// (from 1), a bare `?` the next one.
fn bind(statement: &mut rusqlite::CachedStatement<'_>, args: &[Arg<'_>]) -> rusqlite::Result<()> {
    let mut next = 0;
    for index in 1..=statement.parameter_count() {
        let n = match statement.parameter_name(index) {
            Some(name) => name
                .strip_prefix('$')
                .or_else(|| name.strip_prefix('?'))
                .and_then(|digits| digits.parse::<usize>().ok())
                .ok_or_else(|| rusqlite::Error::InvalidParameterName(name.to_string()))?,
            None => {
                next += 1;
                next
            }
        };
        let arg = n
            .checked_sub(1)
            .and_then(|i| args.get(i))
            .ok_or(rusqlite::Error::InvalidParameterCount(n, args.len()))?;
        match *arg {
            Arg::Text(s) => statement.raw_bind_parameter(index, s),
            Arg::OptText(s) => statement.raw_bind_parameter(index, s),
            Arg::Int32(n) => statement.raw_bind_parameter(index, n),
            Arg::Int(n) => statement.raw_bind_parameter(index, n),
            Arg::Flag(b) => statement.raw_bind_parameter(index, i64::from(b)),
            Arg::Time(t) => statement.raw_bind_parameter(index, ts(t)),
            Arg::OptTime(t) => statement.raw_bind_parameter(index, t.map(ts)),
        }?;
    }
    Ok(())
}

/// Runs `sql` to its end (any rows it returns are dropped); returns the rows it changed.
fn run(conn: &rusqlite::Connection, sql: &str, args: &[Arg<'_>]) -> rusqlite::Result<u64> {
    let mut statement = conn.prepare_cached(sql)?;
    bind(&mut statement, args)?;
    let mut rows = statement.raw_query();
    while rows.next()?.is_some() {}
    drop(rows);
    Ok(conn.changes())
}

/// Runs `sql`; returns every row, read whole.
fn rows(conn: &rusqlite::Connection, sql: &str, args: &[Arg<'_>]) -> rusqlite::Result<Vec<PlainRow>> {
    let mut statement = conn.prepare_cached(sql)?;
    bind(&mut statement, args)?;
    let names: Arc<[String]> = statement.column_names().into_iter().map(String::from).collect();
    let mut rows = statement.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let values = (0..names.len())
            .map(|i| row.get::<_, Value>(i))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.push(PlainRow {
            names: names.clone(),
            values,
        });
    }
    Ok(out)
}

/// A row read whole from the write connection.
pub(super) struct PlainRow {
    names: Arc<[String]>,
    values: Vec<Value>,
}

impl PlainRow {
    /// The value of `column`, `None` when NULL.
    fn value(&self, column: &str) -> Result<Option<&Value>, StoreError> {
        let value = self
            .names
            .iter()
            .position(|n| n == column)
            .and_then(|i| self.values.get(i))
            .ok_or_else(|| corrupt(column, "no such column"))?;
        Ok((!matches!(value, Value::Null)).then_some(value))
    }

    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        match self.value(column)? {
            None => Ok(None),
            Some(Value::Integer(n)) => Ok(Some(*n)),
            Some(other) => Err(corrupt(
                column,
                format!("expected an integer, found {:?}", other.data_type()),
            )),
        }
    }
}

/// A NULL where a value must be.
fn null(column: &str) -> StoreError {
    corrupt(column, "unexpected NULL")
}

impl Cols for PlainRow {
    fn text(&self, column: &str) -> Result<String, StoreError> {
        self.opt_text(column)?.ok_or_else(|| null(column))
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        match self.value(column)? {
            None => Ok(None),
            Some(Value::Text(s)) => Ok(Some(s.clone())),
            Some(other) => Err(corrupt(column, format!("expected text, found {:?}", other.data_type()))),
        }
    }
    fn int(&self, column: &str) -> Result<i64, StoreError> {
        self.opt_int(column)?.ok_or_else(|| null(column))
    }
    fn int32(&self, column: &str) -> Result<i32, StoreError> {
        i32::try_from(self.int(column)?).map_err(|e| corrupt(column, e))
    }
    fn flag(&self, column: &str) -> Result<bool, StoreError> {
        Ok(self.int(column)? != 0)
    }
    fn time(&self, column: &str) -> Result<DateTime<Utc>, StoreError> {
        parse_ts(column, &self.text(column)?)
    }
    fn opt_time(&self, column: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.opt_text(column)?.map(|s| parse_ts(column, &s)).transpose()
    }
}

/// A write's connection: vakt's own ([`Writer`]), or a pooled one (an in-memory database).
pub(super) enum WriteConn<'c> {
    Own(&'c mut Writer),
    Pooled(&'c mut SqliteConnection),
}

/// A row from a [`WriteConn`].
pub(super) enum WriteRow {
    Own(PlainRow),
    Pooled(SqliteRow),
}

impl WriteRow {
    /// The row as whichever kind it is.
    fn cols(&self) -> &dyn Cols {
        match self {
            WriteRow::Own(r) => r,
            WriteRow::Pooled(r) => r,
        }
    }
}

impl Cols for WriteRow {
    fn text(&self, column: &str) -> Result<String, StoreError> {
        self.cols().text(column)
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        self.cols().opt_text(column)
    }
    fn int(&self, column: &str) -> Result<i64, StoreError> {
        self.cols().int(column)
    }
    fn int32(&self, column: &str) -> Result<i32, StoreError> {
        self.cols().int32(column)
    }
    fn flag(&self, column: &str) -> Result<bool, StoreError> {
        self.cols().flag(column)
    }
    fn time(&self, column: &str) -> Result<DateTime<Utc>, StoreError> {
        self.cols().time(column)
    }
    fn opt_time(&self, column: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.cols().opt_time(column)
    }
}

impl WriteConn<'_> {
    /// Runs a statement of transaction control (`SAVEPOINT …`, `ROLLBACK TO …`).
    pub(super) async fn control(&mut self, sql: &'static str) -> Result<(), StoreError> {
        match self {
            WriteConn::Own(w) => w.run(sql, &[]).map(drop),
            WriteConn::Pooled(c) => c.execute(sql, &[]).await.map(drop),
        }
    }

    /// Every row of `sql` (a SQL text built at run time or not).
    async fn all(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<WriteRow>, StoreError> {
        match self {
            WriteConn::Own(w) => Ok(w.rows(sql, args)?.into_iter().map(WriteRow::Own).collect()),
            WriteConn::Pooled(c) => {
                let rows = Conn::fetch_all_built(&mut **c, sql.to_string(), args).await?;
                Ok(rows.into_iter().map(WriteRow::Pooled).collect())
            }
        }
    }

    /// Runs `sql` (built at run time or not); returns the rows it changed.
    async fn changed(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, StoreError> {
        match self {
            WriteConn::Own(w) => w.run(sql, args),
            WriteConn::Pooled(c) => Conn::execute_built(&mut **c, sql.to_string(), args).await,
        }
    }
}

impl Conn for WriteConn<'_> {
    type Row = WriteRow;

    const TITLE: &'static str = <SqliteConnection as Conn>::TITLE;
    const LOCK_ROW: &'static str = <SqliteConnection as Conn>::LOCK_ROW;
    const PLAN_BASIS: &'static str = <SqliteConnection as Conn>::PLAN_BASIS;
    const OUTAGE: &'static str = <SqliteConnection as Conn>::OUTAGE;
    const EVENT_TYPE: &'static str = <SqliteConnection as Conn>::EVENT_TYPE;
    const UNDERIVED: &'static str = <SqliteConnection as Conn>::UNDERIVED;
    const SET_ONLY_CHANGED: bool = <SqliteConnection as Conn>::SET_ONLY_CHANGED;
    const JSON_VALUE: &'static str = <SqliteConnection as Conn>::JSON_VALUE;

    async fn execute<'a>(&'a mut self, sql: &'static str, args: &'a [Arg<'a>]) -> Result<u64, StoreError> {
        match self {
            WriteConn::Own(w) => w.run(sql, args),
            WriteConn::Pooled(c) => c.execute(sql, args).await,
        }
    }

    async fn fetch_all<'a>(&'a mut self, sql: &'static str, args: &'a [Arg<'a>]) -> Result<Vec<WriteRow>, StoreError> {
        self.all(sql, args).await
    }

    async fn fetch_optional<'a>(
        &'a mut self,
        sql: &'static str,
        args: &'a [Arg<'a>],
    ) -> Result<Option<WriteRow>, StoreError> {
        match self {
            WriteConn::Own(w) => Ok(w.rows(sql, args)?.into_iter().next().map(WriteRow::Own)),
            WriteConn::Pooled(c) => Ok(c.fetch_optional(sql, args).await?.map(WriteRow::Pooled)),
        }
    }

    async fn fetch_one<'a>(&'a mut self, sql: &'static str, args: &'a [Arg<'a>]) -> Result<WriteRow, StoreError> {
        match self {
            WriteConn::Own(w) => w.rows(sql, args)?.into_iter().next().map(WriteRow::Own).ok_or_else(|| {
                StoreError::Database("no rows returned by a query that expected to return at least one row".into())
            }),
            WriteConn::Pooled(c) => Ok(WriteRow::Pooled(c.fetch_one(sql, args).await?)),
        }
    }

    async fn execute_built<'a>(&'a mut self, sql: String, args: &'a [Arg<'a>]) -> Result<u64, StoreError> {
        self.changed(&sql, args).await
    }

    async fn fetch_all_built<'a>(&'a mut self, sql: String, args: &'a [Arg<'a>]) -> Result<Vec<WriteRow>, StoreError> {
        self.all(&sql, args).await
    }

    lite::dialect_methods!();

    /// A reference to an incident that does not exist is [`StoreError::NotFound`].
    async fn put_chat_ref<'a>(&'a mut self, key: &'a ChatRefKey, r: &'a MessageRef) -> Result<(), StoreError> {
        match self {
            WriteConn::Pooled(c) => c.put_chat_ref(key, r).await,
            WriteConn::Own(w) => {
                let now = ts(Utc::now());
                let args = [
                    Arg::Text(&key.as_key()),
                    Arg::OptText(key.incident().map(IncidentId::as_str)),
                    Arg::Text(&r.channel),
                    Arg::Text(&r.message),
                    Arg::Text(&now),
                ];
                match run(&w.conn, lite::PUT_CHAT_REF_SQL, &args) {
                    Ok(_) => Ok(()),
                    Err(e) => match key.incident() {
                        Some(incident) if foreign_key(&e) => {
                            note_sqlite(787);
                            Err(StoreError::NotFound(incident.to_string()))
                        }
                        _ => Err(w.error(e)),
                    },
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> (tempfile::TempDir, Writer) {
        let dir = tempfile::tempdir().expect("temp dir");
        let spec = WriterSpec {
            path: dir.path().join("writer.db"),
            read_only: false,
            options: StoreOptions::default(),
            autocheckpoint: 1_000,
            size_limit: 1 << 20,
        };
        let writer = Writer::open(&spec).expect("writer");
        (dir, writer)
    }

    /// The writer commits durably (`synchronous = FULL`, 2) and keeps what a savepoint must be
    /// able to undo in memory (`temp_store = MEMORY`, 2), not in a temporary file.
    #[test]
    fn commits_durably_and_journals_savepoints_in_memory() {
        let (_dir, mut w) = scratch();
        for setting in ["synchronous", "temp_store"] {
            let rows = w.rows(&format!("PRAGMA {setting}"), &[]).expect("pragma");
            assert_eq!(Cols::int(&rows[0], setting).unwrap(), 2, "{setting}");
        }
    }

    /// `$N` names argument N wherever and however often it appears, as sqlx binds it; a bare
    /// `?` takes the next argument.
    #[test]
    fn parameters_bind_by_their_number() {
        let (_dir, mut w) = scratch();
        let rows = w
            .rows(
                "SELECT $2 AS b, $1 AS a, $2 AS again, $3 AS flag",
                &[Arg::Text("one"), Arg::Int(2), Arg::Flag(true)],
            )
            .expect("query");
        assert_eq!(rows.len(), 1);
        assert_eq!(Cols::int(&rows[0], "b").unwrap(), 2);
        assert_eq!(rows[0].text("a").unwrap(), "one");
        assert_eq!(Cols::int(&rows[0], "again").unwrap(), 2);
        assert!(rows[0].flag("flag").unwrap());
        let rows = w
            .rows("SELECT ? AS x, ? AS y", &[Arg::OptText(None), Arg::Int32(7)])
            .expect("query");
        assert_eq!(Cols::opt_text(&rows[0], "x").unwrap(), None);
        assert_eq!(rows[0].int32("y").unwrap(), 7);
    }

    /// A timestamp goes in as the store's text shape and comes back as the same instant.
    #[test]
    fn timestamps_bind_and_read_in_the_stored_shape() {
        let (_dir, mut w) = scratch();
        let at = DateTime::parse_from_rfc3339("2026-12-06T01:02:03.456789Z")
            .unwrap()
            .with_timezone(&Utc);
        let rows = w
            .rows("SELECT $1 AS at, $2 AS none", &[Arg::Time(at), Arg::OptTime(None)])
            .expect("query");
        assert_eq!(rows[0].text("at").unwrap(), "2026-12-06T01:02:03.456789Z");
        assert_eq!(rows[0].time("at").unwrap(), at);
        assert_eq!(rows[0].opt_time("none").unwrap(), None);
    }

    /// Too few arguments, or a value of the wrong type, is an error, not a panic or a guess.
    #[test]
    fn missing_arguments_and_wrong_types_are_errors() {
        let (_dir, mut w) = scratch();
        assert!(w.rows("SELECT $2 AS x", &[Arg::Int(1)]).is_err());
        let rows = w.rows("SELECT 1 AS n", &[]).expect("query");
        assert!(rows[0].text("n").is_err(), "an integer is not text");
        assert!(rows[0].text("missing").is_err(), "no such column");
    }
}
