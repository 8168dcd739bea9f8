//! The SQLite store: one database file in WAL mode (or `sqlite::memory:`), every write in a
//! `BEGIN IMMEDIATE` transaction so concurrent writers queue on the busy timeout (the lock
//! timeout) instead of failing when a read would have to turn into a write.
//!
//! Timestamps are stored as UTC text in one fixed RFC 3339 shape with six fraction digits, so
//! text order is time order (see `migrations/sqlite/0001_init.sql`).
//!
//! Failed writes: SQLite itself rolls a transaction back on some errors (SQLITE_FULL,
//! SQLITE_IOERR, SQLITE_NOMEM). sqlx does not notice; its ROLLBACK then fails ("no transaction
//! is active") and the connection keeps a transaction depth of 1, so every later `BEGIN` on it
//! failed with "attempted to call begin_with at non-zero transaction depth". [`transaction`]
//! rolls back so that this cannot happen, and a connection that still ends up inside a
//! transaction is closed instead of going back to the pool ([`settle`], and the pool's
//! `after_release` check).
//!
//! Broken connections: a connection opened while the file could not be written (permissions, a
//! read-only mount, a file being restored) stays read-only for its whole life, and one that
//! hit an I/O error may not be trustworthy. A call that fails with SQLITE_READONLY or
//! SQLITE_IOERR (read from the error's result code) therefore closes its connection instead of
//! pooling it ([`Fault`]). Writes go through the store's own write connection, below, which is
//! closed whenever a group of writes on it fails and opened anew by the next write: writes
//! work again as soon as the file is writable. A store opened read-only on purpose
//! (`?mode=ro`) and an in-memory store (whose one connection is the database) keep their
//! connections.
//!
//! Writers of one process take turns on one connection of their own ([`SqliteStore::writer`],
//! a connection of vakt's own: [`Writer`], whose module says why it is not sqlx's): SQLite has
//! one writer at a time anyway, and a writer that finds the database locked waits in SQLite's
//! busy handler, which sleeps in steps of up to 100 ms — with the scheduler's lanes writing
//! side by side, those sleeps, not the commits, set the pace. The busy timeout still covers
//! writers of other processes (replicas, the CLI). Writers queued behind each other share one
//! transaction and one commit ([`Group`]): each write's body in a savepoint, each writer
//! answered only once the commit is durable. The one write connection also keeps its page
//! cache: SQLite drops a connection's cache whenever another connection wrote, so writes
//! taking turns on the readers' connections read their pages from the file anew. An
//! in-memory database has no such connection: its writes take the one pooled connection, a
//! transaction each.
//! Pooled connections are not pinged before use (a local file has no link to lose; a failed
//! call closes its connection, below).

use super::queries::{self, Conn};
use super::sqlite_writer::{WriteConn, Writer, WriterSpec};
use super::{Fault, Site, StorageError, StoreOptions, Undone, clean_on_release, db, to_json, undoing, watching};
use crate::config::DatabaseUrl;
use crate::domain::ids::{AgreementId, IncidentId, MessageId, UserId};
use crate::domain::incident::{Incident, TimelineEntry};
use crate::domain::maintenance::MaintenanceWindow;
use crate::domain::meeting::MeetingPoint;
use crate::service::ports::{
    Change, ChatRefKey, FinishJob, IncidentFilter, Job, MessageRef, NewJob, NewPoint, NewReport, NewWindow, ReportKind,
    StoreError, StoredReport,
};
use chrono::{DateTime, Utc};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{AssertSqlSafe, Connection, Sqlite, Transaction};
use std::fmt;
use std::future::Future;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Connections to a database file for reads (WAL lets readers run beside the one writer).
const MAX_CONNECTIONS: u32 = 4;

/// Incident rows derived per transaction when an older database is opened.
const DERIVE_BATCH: u32 = 500;

/// How long the checkpointer waits after a checkpoint before the next one, so the commits of
/// a burst share one (measured on the scale benchmark's opens: 100 ms left the open's p99
/// at 2.0–3.0 ms, one second brought it to 1.7 ms).
const CHECKPOINT_PAUSE: std::time::Duration = std::time::Duration::from_secs(1);

/// The size the log file is cut back to once it was copied and starts over (`PRAGMA
/// journal_size_limit`): a burst of writes does not leave a large file behind.
const WAL_SIZE_LIMIT: u64 = 32 * 1024 * 1024;

/// Copies the log back into the database file (`PRAGMA wal_checkpoint(PASSIVE)`: it waits
/// for no reader or writer) on one of `pool`'s connections after writes commit, at most
/// once per [`CHECKPOINT_PAUSE`], until the store is dropped. A commit then never pays for
/// a checkpoint, and the log stays small enough to be reset. A failed checkpoint is
/// logged; the next commit tries again.
async fn checkpointer(pool: SqlitePool, mut committed: tokio::sync::watch::Receiver<u64>) {
    while committed.changed().await.is_ok() {
        if pool.is_closed() {
            break;
        }
        let done = async {
            let mut conn = pool.acquire().await?;
            sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_one(&mut *conn)
                .await
        };
        if let Err(e) = done.await {
            tracing::warn!(error = %e, "cannot checkpoint the database's log; trying again after the next write");
        }
        tokio::time::sleep(CHECKPOINT_PAUSE).await;
    }
}

/// The largest `PRAGMA max_page_count` SQLite accepts: no cap.
const NO_PAGE_CAP: u64 = 4_294_967_294;

/// The SQLite implementation of [`Store`](crate::service::ports::Store).
pub struct SqliteStore {
    pool: SqlitePool,
    site: Site,
    /// `PRAGMA max_page_count` applied to every connection handed out (0: never set).
    page_cap: Arc<AtomicU64>,
    /// Whether a connection that failed with a [`Fault`] is closed: not for an in-memory
    /// database or a store opened read-only on purpose.
    replaces_faulty: bool,
    /// The turn of this process's writers, in arrival order, and the group of writes open
    /// between turns.
    writer: tokio::sync::Mutex<Writers>,
    /// Writers waiting for their turn: while there are any, a group is left open for them.
    queued: AtomicUsize,
    /// How writes reach a database file: on a connection of the store's own ([`Writer`]),
    /// grouped. `None` for an in-memory database, whose one pooled connection the readers
    /// share: there each write takes it for a transaction of its own.
    own: Option<WriterSpec>,
    /// Tells the checkpointer ([`checkpointer`]) how many write transactions committed; none
    /// for an in-memory database, which has no log.
    committed: Option<tokio::sync::watch::Sender<u64>>,
}

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStore")
            .field("location", &self.site.location)
            .field("options", &self.site.options)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// The log's size in pages at which a commit copies it back into the database itself
    /// (`PRAGMA wal_autocheckpoint`; SQLite's default is 1 000): only when the background
    /// checkpointer has fallen this far behind. Another connection to the same file writes
    /// with the store's settings when it sets this too.
    pub const WAL_AUTOCHECKPOINT: u32 = 10_000;

    /// Opens (creating if missing) the database file at `path` and migrates it.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, StorageError> {
        Self::open_with(path, &StoreOptions::default()).await
    }

    /// [`open`](Self::open) with the given timeouts.
    pub async fn open_with(path: impl AsRef<Path>, options: &StoreOptions) -> Result<Self, StorageError> {
        let path = path.as_ref();
        let connect = SqliteConnectOptions::new().filename(path);
        Self::with_options(
            connect,
            false,
            false,
            DatabaseUrl::new(path.display().to_string()),
            options,
        )
        .await
    }

    /// Opens a `sqlite:` URL (`sqlite:PATH`, `sqlite://PATH`, `sqlite::memory:`; `?mode=ro`
    /// for read-only) and migrates it. An in-memory database lives in a single pooled
    /// connection for the life of the store.
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        Self::connect_with(url, &StoreOptions::default()).await
    }

    /// [`connect`](Self::connect) with the given timeouts.
    pub async fn connect_with(url: &str, options: &StoreOptions) -> Result<Self, StorageError> {
        let location = DatabaseUrl::new(url);
        let connect = SqliteConnectOptions::from_str(url).map_err(|source| StorageError::InvalidUrl {
            url: location.clone(),
            source,
        })?;
        let memory = url.contains(":memory:") || url.contains("mode=memory");
        let read_only = url
            .split_once('?')
            .is_some_and(|(_, query)| query.split('&').any(|p| p == "mode=ro"));
        Self::with_options(connect, memory, read_only, location, options).await
    }

    async fn with_options(
        connect: SqliteConnectOptions,
        memory: bool,
        read_only: bool,
        location: DatabaseUrl,
        options: &StoreOptions,
    ) -> Result<Self, StorageError> {
        let mut connect = connect
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(options.lock_timeout);
        let pool_options = if memory {
            // An in-memory database lives only while a connection to it is open: keep exactly
            // one, forever.
            SqlitePoolOptions::new()
                .min_connections(1)
                .max_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
        } else {
            // The log is copied back into the database by the checkpointer, beside the
            // writers, not by the commit that happens to cross SQLite's threshold.
            connect = connect
                .journal_mode(SqliteJournalMode::Wal)
                .pragma("wal_autocheckpoint", Self::WAL_AUTOCHECKPOINT.to_string())
                .pragma("journal_size_limit", WAL_SIZE_LIMIT.to_string());
            SqlitePoolOptions::new().max_connections(MAX_CONNECTIONS)
        };
        let page_cap = Arc::new(AtomicU64::new(0));
        let connect_pool = |options: SqlitePoolOptions| {
            let (on_connect, on_acquire) = (page_cap.clone(), page_cap.clone());
            options
                .test_before_acquire(false)
                .after_connect(move |conn, _| {
                    let cap = on_connect.clone();
                    Box::pin(async move { apply_page_cap(conn, &cap).await })
                })
                .before_acquire(move |conn, _| {
                    let cap = on_acquire.clone();
                    Box::pin(async move { apply_page_cap(conn, &cap).await.map(|()| true) })
                })
                .after_release(|conn, _| Box::pin(clean_on_release(conn)))
                .connect_with(connect.clone())
        };
        let connect_error = |source| StorageError::Connect {
            url: location.clone(),
            source,
        };
        let pool = connect_pool(pool_options).await.map_err(connect_error)?;
        // The writer's connection is opened at the first write, after the migrations below
        // (which run on the readers' pool).
        let own = (!memory).then(|| WriterSpec {
            path: connect.get_filename().to_path_buf(),
            read_only,
            options: *options,
            autocheckpoint: Self::WAL_AUTOCHECKPOINT,
            size_limit: WAL_SIZE_LIMIT,
        });
        super::migrations::sqlite()
            .run(&pool)
            .await
            .map_err(|source| StorageError::Migrate {
                url: location.clone(),
                source,
            })?;
        let committed = (!memory).then(|| {
            let (tx, rx) = tokio::sync::watch::channel(0);
            tokio::spawn(checkpointer(pool.clone(), rx));
            tx
        });
        let store = SqliteStore {
            committed,
            pool,
            site: Site {
                location: location.clone(),
                options: *options,
            },
            page_cap,
            replaces_faulty: !memory && !read_only,
            writer: tokio::sync::Mutex::new(Writers::default()),
            queued: AtomicUsize::new(0),
            own,
        };
        store.derive_missing().await.map_err(|e| StorageError::Derive {
            url: location,
            source: e,
        })?;
        Ok(store)
    }

    /// Derives the indexed columns of incident rows stored before they existed, a batch per
    /// transaction (nothing to do once done: one indexed probe).
    async fn derive_missing(&self) -> Result<(), StoreError> {
        while self
            .write(async |c: &mut WriteConn<'_>| queries::derive_missing(c, DERIVE_BATCH).await)
            .await?
            > 0
        {}
        Ok(())
    }

    /// Closes the pool, waiting for connections to finish (dropping the store also closes it,
    /// in the background).
    pub async fn close(&self) {
        if let Ok(mut turn) = self.turn().await {
            // A group still open holds writes whose writers wait for its commit.
            let _ = self.commit(&mut turn).await;
            turn.idle = None;
        }
        self.pool.close().await;
    }

    /// Test hook: caps the database at `pages` pages (`PRAGMA max_page_count`, never below its
    /// current size) on every connection handed out from now on, so tests can make writes fail
    /// with SQLITE_FULL without filling a disk; `None` lifts the cap.
    #[doc(hidden)]
    pub fn set_max_page_count_for_test(&self, pages: Option<u32>) {
        let pages = pages.map_or(NO_PAGE_CAP, |p| u64::from(p.max(1)));
        self.page_cap.store(pages, Ordering::SeqCst);
    }

    /// Benchmark hook: inserts new incidents (version 1) with their changes, all in one
    /// transaction, the way [`insert_incident`](crate::service::ports::IncidentStore::insert_incident)
    /// stores each — so a benchmark can seed a year of history in seconds. Not part of the store
    /// contract; vakt itself never calls it.
    #[doc(hidden)]
    pub async fn seed_for_bench(&self, items: &[(Incident, Change)]) -> Result<(), StoreError> {
        let rows = items
            .iter()
            .map(|(inc, change)| {
                let stored = inc.clone().with_version(1);
                let data = to_json("incident", &stored)?;
                Ok((stored, data, change))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.write(async |c: &mut WriteConn<'_>| {
            for (stored, data, change) in &rows {
                queries::insert_incident(c, stored, data, change).await?;
            }
            Ok(())
        })
        .await
    }

    /// Runs one store call on a pooled connection: the work on the connection bounded by the
    /// statement timeout, its database errors naming the database.
    async fn read<T>(
        &self,
        body: impl AsyncFnOnce(&mut SqliteConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        async {
            let mut conn = self.pool.acquire().await.map_err(db)?;
            let (result, fault) = watching(self.bounded(body(&mut *conn))).await;
            let result = result?;
            if let Err(e) = &result {
                self.discard_if_faulty(&mut conn, fault, e);
            }
            result
        }
        .await
        .map_err(|e| self.site.locate(e))
    }

    /// Runs `body` in a write transaction that holds the write lock from its first statement;
    /// what it wrote is committed when it succeeds (and before this returns), and rolled back
    /// when it fails.
    ///
    /// On a database file, writes that queue up behind each other share a transaction (group
    /// commit, see [`Group`]); an in-memory database commits each write on its own.
    async fn write<T>(
        &self,
        body: impl AsyncFnOnce(&mut WriteConn<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.grouped(false, body).await
    }

    /// A write of one statement ([`write`](Self::write)): in a group it needs no savepoint of
    /// its own, since SQLite undoes a failed statement by itself. A failure that may have
    /// undone more than the statement ([`Undone::Unknown`]) fails the group instead.
    async fn single<T>(
        &self,
        body: impl AsyncFnOnce(&mut WriteConn<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.grouped(true, body).await
    }

    /// [`write`](Self::write), where `one_statement` says `body` runs a single statement.
    async fn grouped<T>(
        &self,
        one_statement: bool,
        body: impl AsyncFnOnce(&mut WriteConn<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        async {
            let queued = Queued::enter(&self.queued);
            let mut turn = self.turn().await?;
            drop(queued);
            let Some(spec) = &self.own else {
                return self.write_alone(body).await;
            };
            if turn.open.is_none() {
                turn.groups += 1;
                let number = turn.groups;
                let writer = turn.idle.take();
                turn.open = Some(self.open_group(spec, number, writer).await?);
            }
            let Some(group) = turn.open.as_mut() else {
                return Err(StoreError::Database("no write transaction is open".into()));
            };
            group.running = true;
            let first = group.members == 0;
            // The group's first write needs no savepoint: when it fails, the group is empty
            // and rolled back. Nor does a one-statement write whose statement SQLite undid.
            let bare = first || one_statement;
            let writer = &mut group.writer;
            writer.watch(true);
            // The body on the heap: every store call's future nests it, and unboxed the
            // wrappers around it took debug builds' tests past 1.5 MB of stack.
            let (result, fault) =
                watching(self.bounded(undoing(Box::pin(member(&mut WriteConn::Own(&mut *writer), bare, body))))).await;
            writer.watch(false);
            group.running = false;
            let result = match result {
                Ok((Ok(value), _)) => {
                    group.members += 1;
                    Ok(value)
                }
                Ok((Err(Member::Refused(e)), undone))
                    if fault.is_none() && (first || !bare || undone.is_none_or(|u| u == Undone::Statement)) =>
                {
                    Err(e)
                }
                Ok((Err(Member::Refused(e) | Member::Lost(e)), _)) | Err(e) => {
                    if let Some(group) = turn.open.take() {
                        self.fail(&group.outcome, fault, &e);
                    }
                    return Err(e);
                }
            };
            // Leave the group open for the writers queued behind, who join it, or commit it.
            if group.members > 0 && group.members < GROUP_MAX && self.queued.load(Ordering::SeqCst) > 0 {
                let (number, outcome) = (group.number, group.outcome.subscribe());
                drop(turn);
                let value = result?;
                self.committed(number, outcome).await?;
                return Ok(value);
            }
            let committed = self.commit(&mut turn).await;
            result.and_then(|value| committed.map(|()| value))
        }
        .await
        .map_err(|e| self.site.locate(e))
    }

    /// This process's writers' turn: waiting for it counts against the lock timeout, as
    /// waiting for another process's writer would. A group found abandoned mid-write (the
    /// writer whose body ran in it was dropped) fails first.
    async fn turn(&self) -> Result<tokio::sync::MutexGuard<'_, Writers>, StoreError> {
        let mut turn = tokio::time::timeout(self.site.options.lock_timeout, self.writer.lock())
            .await
            .map_err(|_| {
                StoreError::Database("another write of this process held the write lock (SQLITE_BUSY)".into())
            })?;
        if turn.open.as_ref().is_some_and(|g| g.running)
            && let Some(group) = turn.open.take()
        {
            let lost = StoreError::Database(
                "a write sharing this transaction was abandoned mid-way; the transaction was rolled back".into(),
            );
            self.fail(&group.outcome, None, &lost);
        }
        Ok(turn)
    }

    /// `body` in a transaction of its own (the caller has the writers' turn).
    async fn write_alone<T>(
        &self,
        body: impl AsyncFnOnce(&mut WriteConn<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        // On a timeout (`?`) the transaction was dropped and its rollback queued: the
        // connection goes back to the pool once the running statement ends, and is checked
        // there (`after_release`).
        let (result, fault) = watching(self.bounded(transaction(&mut conn, body))).await;
        let result = result?;
        if let Err(e) = &result {
            settle(&mut conn).await;
            self.discard_if_faulty(&mut conn, fault, e);
        }
        result
    }

    /// A new group: the write connection (`writer`, or one opened now) inside `BEGIN
    /// IMMEDIATE`. A connection that fails to begin is closed; the next group opens another.
    async fn open_group(&self, spec: &WriterSpec, number: u64, writer: Option<Writer>) -> Result<Group, StoreError> {
        let (begun, fault) = watching(async {
            let mut writer = match writer {
                Some(writer) => writer,
                None => Writer::open(spec)?,
            };
            writer.apply_page_cap(self.page_cap.load(Ordering::SeqCst))?;
            writer.begin().await
        })
        .await;
        match begun {
            Ok(writer) => Ok(Group {
                writer,
                number,
                members: 0,
                running: false,
                outcome: tokio::sync::watch::channel(None).0,
            }),
            Err(e) => {
                self.log_fault(fault, &e);
                Err(e)
            }
        }
    }

    /// Ends the open group, if any: commits it (rolls it back when no write in it succeeded)
    /// and tells its members.
    async fn commit(&self, turn: &mut Writers) -> Result<(), StoreError> {
        let Some(Group {
            mut writer,
            members,
            outcome,
            ..
        }) = turn.open.take()
        else {
            return Ok(());
        };
        let commit = members > 0;
        let ((writer, ended), fault) = watching(async {
            if commit {
                writer.commit().await
            } else {
                let rolled = writer.rollback();
                (Some(writer), rolled)
            }
        })
        .await;
        match ended {
            Ok(()) => {
                turn.idle = writer.filter(|w| !w.in_transaction());
                if commit {
                    turn.commits += 1;
                    if let Some(committed) = &self.committed {
                        committed.send_replace(turn.commits);
                    }
                }
                outcome.send_replace(Some(Ok(())));
                Ok(())
            }
            Err(e) => {
                // The writer, if it came back, is dropped: closing it rolls back what it held.
                self.fail(&outcome, fault, &e);
                Err(e)
            }
        }
    }

    /// A group that cannot commit: its members are told `error` through its `outcome`; the
    /// caller drops the group, which closes its connection (closing rolls back what the
    /// transaction held), and the next group opens another.
    fn fail(
        &self,
        outcome: &tokio::sync::watch::Sender<Option<Result<(), String>>>,
        fault: Option<Fault>,
        error: &StoreError,
    ) {
        outcome.send_replace(Some(Err(error.to_string())));
        self.log_fault(fault, error);
    }

    /// Logs a failure that says the connection it happened on is unfit to keep, and returns
    /// that fault (none for a store that keeps its connections).
    fn log_fault(&self, fault: Option<Fault>, error: &StoreError) -> Option<Fault> {
        let fault = fault.filter(|_| self.replaces_faulty)?;
        tracing::warn!(%error, ?fault, "closing a SQLite connection that failed; the next call opens a new one");
        Some(fault)
    }

    /// Waits until group `number`, which this writer's write joined, has committed. When no
    /// writer queued behind has committed it within [`GROUP_WAIT`] (one may have given up),
    /// this writer commits it.
    async fn committed(
        &self,
        number: u64,
        mut outcome: tokio::sync::watch::Receiver<Option<Result<(), String>>>,
    ) -> Result<(), StoreError> {
        loop {
            let told = match tokio::time::timeout(GROUP_WAIT, outcome.wait_for(Option::is_some)).await {
                Ok(Ok(told)) => Some(told.clone()),
                Ok(Err(_)) => {
                    return Err(StoreError::Database(
                        "the transaction this write shared ended without telling whether it committed".into(),
                    ));
                }
                Err(_) => None,
            };
            match told {
                Some(Some(Err(cause))) => {
                    return Err(StoreError::Database(format!(
                        "the transaction this write shared did not commit: {cause}"
                    )));
                }
                Some(_) => return Ok(()),
                None => {
                    // A writer that held the turn past the lock timeout: the group is still
                    // open or committing, so wait on (failing here could tell a write that
                    // is about to commit that it did not).
                    let Ok(mut turn) = self.turn().await else {
                        continue;
                    };
                    if turn.open.as_ref().is_some_and(|g| g.number == number) {
                        // An error here reaches this writer through `outcome`.
                        let _ = self.commit(&mut turn).await;
                    }
                }
            }
        }
    }

    /// Closes `conn` instead of pooling it when the call on it failed (`error`) with a
    /// `fault` of the connection; returns the fault.
    fn discard_if_faulty(
        &self,
        conn: &mut PoolConnection<Sqlite>,
        fault: Option<Fault>,
        error: &StoreError,
    ) -> Option<Fault> {
        let fault = self.log_fault(fault, error)?;
        conn.close_on_drop();
        Some(fault)
    }

    /// SQLite takes an incident's number with a statement of its own in the insert's
    /// transaction, which one statement cannot join: never guessed
    /// ([`PostgresStore`](super::PostgresStore)'s way).
    async fn insert_guessed(
        &self,
        _prefix: &str,
        _year: i32,
        _make: &crate::service::ports::MakeIncident<'_>,
    ) -> Result<Option<Incident>, StoreError> {
        Ok(None)
    }

    /// Nothing to note: SQLite does not guess numbers.
    fn took_number(&self, _prefix: &str, _year: i32, _seq: u32) {}

    /// Never: SQLite's statements are each as cheap as a part of a larger one, and its writes
    /// go in groups of transactions ([`PostgresStore`](super::PostgresStore)'s way is one
    /// statement).
    async fn record_alone(&self, _incident: &Incident, _change: &Change) -> Result<Option<Incident>, StoreError> {
        Ok(None)
    }

    /// `work` bounded by the statement timeout: the outer error is the timeout.
    async fn bounded<T>(&self, work: impl Future<Output = T>) -> Result<T, StoreError> {
        tokio::time::timeout(self.site.options.statement_timeout, work)
            .await
            .map_err(|_| self.site.timed_out())
    }
}

/// Writes one group commits together at most.
const GROUP_MAX: usize = 16;

/// How long a writer whose write waits in an open group lets the writers queued behind it
/// commit the group before it commits it itself.
const GROUP_WAIT: std::time::Duration = std::time::Duration::from_millis(2);

/// Group commit: one write transaction that several writers' bodies join, each in a savepoint
/// of its own, committed once for all of them. A writer whose body succeeded leaves the group
/// open while other writers are queued for their turn, and waits for its commit; the last of
/// them commits it (or, after [`GROUP_WAIT`], the waiting writer itself). Every writer hears
/// the outcome before it returns, so nothing is acknowledged before it is durable. A body that
/// fails is rolled back to its savepoint and the group goes on; a group whose transaction
/// cannot be trusted (a lost savepoint, a fault of the connection, a timeout, a writer
/// dropped mid-body) fails as a whole, and every member is told.
struct Group {
    /// The write connection, inside `BEGIN IMMEDIATE`; taken back once the group ended. A
    /// group dropped otherwise closes it, which rolls back what it held.
    writer: Writer,
    /// Its number among this store's groups.
    number: u64,
    /// Bodies that succeeded in it; their writers wait for its outcome.
    members: usize,
    /// Set while a body runs: a group still so when the next writer takes its turn lost that
    /// body's writer mid-way.
    running: bool,
    /// Where its outcome is told: `None` until it committed or failed.
    outcome: tokio::sync::watch::Sender<Option<Result<(), String>>>,
}

/// The writers' side of a store: the group open between turns, if any.
#[derive(Default)]
struct Writers {
    open: Option<Group>,
    /// The write connection between groups (`None` before the first write, and after a
    /// group failed).
    idle: Option<Writer>,
    /// Groups opened so far (each one's number).
    groups: u64,
    /// Groups committed with at least one write.
    #[cfg_attr(not(test), allow(dead_code))]
    commits: u64,
}

/// A writer counted as queued while this lives.
struct Queued<'a>(&'a AtomicUsize);

impl<'a> Queued<'a> {
    fn enter(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Queued(count)
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Why a body in a group failed: refused (its savepoint rolled back, the group goes on) or
/// with the group's transaction lost.
enum Member {
    Refused(StoreError),
    Lost(StoreError),
}

/// `body` in a savepoint of the open group on `conn`, unless it is `bare`. The first write of
/// a group needs none (as an uncontended write, it costs no more than a transaction of its
/// own): when it fails, the group, which holds nothing else, is rolled back. Nor does a
/// write of one statement, which SQLite undoes by itself when it fails (the caller checks
/// how much the failure undid).
///
/// A body that succeeds leaves its savepoint open rather than spend a statement on releasing
/// it: the next member's savepoint nests inside it (`ROLLBACK TO` names the innermost of that
/// name, so a refused member undoes its own work alone), and the commit releases them all.
async fn member<T>(
    conn: &mut WriteConn<'_>,
    bare: bool,
    body: impl AsyncFnOnce(&mut WriteConn<'_>) -> Result<T, StoreError>,
) -> Result<T, Member> {
    if bare {
        return body(&mut *conn).await.map_err(Member::Refused);
    }
    conn.control("SAVEPOINT vakt_write").await.map_err(Member::Lost)?;
    match body(&mut *conn).await {
        Ok(value) => Ok(value),
        // After SQLITE_FULL (and IOERR, NOMEM) SQLite may have rolled the whole transaction
        // back: then the savepoint is gone, and so is the group.
        Err(e) => match conn.control("ROLLBACK TO vakt_write").await {
            Ok(()) => match conn.control("RELEASE vakt_write").await {
                Ok(()) => Err(Member::Refused(e)),
                Err(_) => Err(Member::Lost(e)),
            },
            Err(_) => Err(Member::Lost(e)),
        },
    }
}

/// Applies the test hook's page cap, if it was ever set.
async fn apply_page_cap(conn: &mut SqliteConnection, cap: &AtomicU64) -> Result<(), sqlx::Error> {
    let pages = cap.load(Ordering::SeqCst);
    if pages != 0 {
        // Safe: a number.
        sqlx::query(AssertSqlSafe(format!("PRAGMA max_page_count = {pages}")))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// `body` in a `BEGIN IMMEDIATE` transaction on `conn`.
async fn transaction<T>(
    conn: &mut SqliteConnection,
    body: impl AsyncFnOnce(&mut WriteConn<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.map_err(db)?;
    match body(&mut WriteConn::Pooled(&mut tx)).await {
        Ok(value) => {
            tx.commit().await.map_err(db)?;
            Ok(value)
        }
        Err(e) => {
            rollback(tx).await;
            Err(e)
        }
    }
}

/// Rolls a failed transaction back, also when SQLite has already done so itself.
///
/// After SQLITE_FULL (and IOERR, NOMEM) SQLite may have ended the transaction, and sqlx's
/// ROLLBACK would fail and leave the connection's transaction depth at 1. A plain `BEGIN`
/// tells the two cases apart: inside the transaction it fails harmlessly; in autocommit mode
/// it opens an empty transaction, which sqlx's ROLLBACK then ends — depth 0 either way.
async fn rollback(mut tx: Transaction<'_, Sqlite>) {
    let _ = sqlx::query("BEGIN").execute(&mut *tx).await;
    if let Err(e) = tx.rollback().await {
        tracing::warn!(error = %e, "rollback failed");
    }
}

/// After a failed write: a connection that did not come back to a clean state (it is still
/// inside a transaction, or does not answer) is closed instead of being pooled again.
async fn settle(conn: &mut PoolConnection<Sqlite>) {
    // The ping is answered after any rollback the failed transaction queued.
    if conn.ping().await.is_err() || conn.is_in_transaction() {
        tracing::warn!("closing a SQLite connection left in a failed transaction");
        conn.close_on_drop();
    }
}

queries::store_ports!(SqliteStore, SqliteConnection, WriteConn<'_>);

#[cfg(test)]
mod tests {
    use super::super::queries::Arg;
    use super::super::sqlite_sql::{CLAIM_SQL, PURGE_SQL};
    use super::*;
    use sqlx::Row;

    /// SQLite's plan for `sql` on a migrated database (no statistics, as in production), one
    /// line per step; every parameter bound to a text.
    async fn plan(sql: &str, parameters: usize) -> Vec<String> {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("store");
        let mut conn = store.pool.acquire().await.expect("connection");
        let mut query = sqlx::query(AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")));
        for _ in 0..parameters {
            query = query.bind("x");
        }
        query
            .fetch_all(&mut *conn)
            .await
            .expect("plan")
            .iter()
            .map(|row| row.get::<String, _>("detail"))
            .collect()
    }

    /// Every open runs the probe for underived rows: it must be the partial index's seek, not a
    /// scan of every incident (which made a cold start read the whole table).
    #[tokio::test]
    async fn the_probe_for_underived_rows_seeks_its_partial_index() {
        let plan = plan(&queries::underived_sql::<SqliteConnection>(), 1).await;
        assert!(
            plan.iter().any(|step| step.contains("USING INDEX incidents_derived")),
            "{plan:?}"
        );
        assert!(!plan.iter().any(|step| step.starts_with("SCAN incidents")), "{plan:?}");
    }

    /// A report's or the status page's incidents of one agreement touched since an instant
    /// are found by the index leading with the agreement, not among every agreement's.
    #[tokio::test]
    async fn incidents_touched_since_read_the_agreements_index() {
        let at = Utc::now();
        let filter = IncidentFilter {
            agreement: Some("borger-dk".into()),
            reported_before: Some(at),
            touched_since: Some(at),
            ..IncidentFilter::default()
        };
        let (sql, args) = queries::incidents_sql::<SqliteConnection>(&filter, None);
        let plan = plan(&sql, args.len()).await;
        assert!(
            plan.iter()
                .any(|step| step.contains("USING INDEX incidents_agreement_touched (agreement=?")),
            "{plan:?}"
        );
        assert!(!plan.iter().any(|step| step.starts_with("SCAN incidents")), "{plan:?}");
    }

    /// Each query of jobs in a state reads that state's partial index (a job moving through its
    /// states touches only these), never the whole jobs table.
    #[tokio::test]
    async fn job_queries_read_their_states_index() {
        for (name, sql, parameters, indexes) in [
            ("claim", CLAIM_SQL, 4, &["jobs_pending_due"][..]),
            ("next due", queries::NEXT_DUE_SQL, 0, &["jobs_pending_due"]),
            (
                "due jobs",
                queries::DUE_JOBS_SQL,
                2,
                &["jobs_pending_due", "jobs_running_due"],
            ),
            ("lease sweep", queries::REQUEUE_SQL, 1, &["jobs_running_due"]),
            ("release", queries::RELEASE_SQL, 1, &["jobs_running_due"]),
            ("purge", PURGE_SQL, 2, &["jobs_done_fired", "jobs_cancelled_due"]),
            ("latest activity", queries::LATEST_ACTIVITY_SQL, 0, &["jobs_done_fired"]),
            ("failed jobs", queries::FAILED_JOBS_SQL, 1, &["jobs_failed_kind"]),
        ] {
            let plan = plan(sql, parameters).await;
            for index in indexes {
                assert!(
                    plan.iter().any(|step| step.contains(&format!("INDEX {index}"))),
                    "{name} does not use {index}: {plan:?}"
                );
            }
            assert!(
                !plan.iter().any(|step| step == "SCAN jobs"),
                "{name} reads every job: {plan:?}"
            );
        }
    }

    /// A store on a file with a scratch table `t (k TEXT)`, and the number of groups it has
    /// committed so far.
    async fn scratch(options: &StoreOptions) -> (tempfile::TempDir, Arc<SqliteStore>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::open_with(dir.path().join("group.db"), options)
            .await
            .expect("store");
        store
            .write(async |c: &mut WriteConn<'_>| c.control("CREATE TABLE t (k TEXT NOT NULL)").await)
            .await
            .expect("scratch table");
        (dir, Arc::new(store))
    }

    async fn commits(store: &SqliteStore) -> u64 {
        store.writer.lock().await.commits
    }

    async fn keys(store: &SqliteStore) -> Vec<String> {
        let mut conn = store.pool.acquire().await.expect("connection");
        sqlx::query_scalar("SELECT k FROM t ORDER BY k")
            .fetch_all(&mut *conn)
            .await
            .expect("keys")
    }

    /// How a scratch write ends after inserting its key; or, for the last three, a write of
    /// one statement ([`SqliteStore::single`]) and how it ends.
    #[derive(Clone, Copy)]
    enum Then {
        Succeed,
        Refuse,
        Stall,
        /// Inserts the key.
        Single,
        /// Inserts NULL, which `t` refuses (SQLITE_CONSTRAINT): SQLite undoes the statement
        /// alone.
        BreakConstraint,
        /// Inserts into a table that does not exist: a failure not known to leave the
        /// transaction whole.
        FailOtherwise,
    }

    /// Writes `key` into `t`, then does `then`.
    async fn put(store: Arc<SqliteStore>, key: &'static str, then: Then) -> Result<(), StoreError> {
        let one = match then {
            Then::Single => Some("INSERT INTO t (k) VALUES ($1)"),
            Then::BreakConstraint => Some("INSERT INTO t (k) VALUES (NULLIF($1, $1))"),
            Then::FailOtherwise => Some("INSERT INTO missing (k) VALUES ($1)"),
            Then::Succeed | Then::Refuse | Then::Stall => None,
        };
        if let Some(sql) = one {
            return store
                .single(async |c: &mut WriteConn<'_>| c.execute(sql, &[Arg::Text(key)]).await.map(drop))
                .await;
        }
        store
            .write(async |c: &mut WriteConn<'_>| {
                c.execute("INSERT INTO t (k) VALUES ($1)", &[Arg::Text(key)]).await?;
                match then {
                    Then::Succeed | Then::Single | Then::BreakConstraint | Then::FailOtherwise => Ok(()),
                    Then::Refuse => Err(StoreError::Conflict(key.into())),
                    Then::Stall => {
                        tokio::time::sleep(std::time::Duration::from_secs(3_600)).await;
                        Ok(())
                    }
                }
            })
            .await
    }

    /// Writer `a` holds its turn (its body waits for `go`) until `queued` more writers wait
    /// behind it; then it lets go. Returns every writer's outcome, `a`'s first.
    async fn queue_behind(store: &Arc<SqliteStore>, queued: &[(&'static str, Then)]) -> Vec<Result<(), StoreError>> {
        let (started, running) = tokio::sync::oneshot::channel::<()>();
        let (go, wait) = tokio::sync::oneshot::channel::<()>();
        let first = {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .write(async |c: &mut WriteConn<'_>| {
                        let _ = started.send(());
                        let _ = wait.await;
                        c.control("INSERT INTO t (k) VALUES ('a')").await
                    })
                    .await
            })
        };
        running.await.expect("a runs");
        let mut rest = Vec::new();
        for &(key, then) in queued {
            rest.push(tokio::spawn(put(store.clone(), key, then)));
            while store.queued.load(Ordering::SeqCst) < rest.len() {
                tokio::task::yield_now().await;
            }
        }
        let _ = go.send(());
        let mut outcomes = vec![first.await.expect("a")];
        for writer in rest {
            outcomes.push(writer.await.expect("writer"));
        }
        outcomes
    }

    /// Writers queued behind each other share one transaction: four writes, one commit, and
    /// none of them returns before it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn queued_writes_share_one_commit() {
        let (_dir, store) = scratch(&StoreOptions::default()).await;
        let before = commits(&store).await;
        let outcomes = queue_behind(
            &store,
            &[("b", Then::Succeed), ("c", Then::Succeed), ("d", Then::Succeed)],
        )
        .await;
        assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
        assert_eq!(commits(&store).await - before, 1);
        assert_eq!(keys(&store).await, ["a", "b", "c", "d"]);
    }

    /// A write refused in a group is rolled back alone; the others in its group commit.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_refused_write_leaves_the_rest_of_its_group() {
        let (_dir, store) = scratch(&StoreOptions::default()).await;
        let outcomes = queue_behind(
            &store,
            &[("b", Then::Succeed), ("c", Then::Refuse), ("d", Then::Succeed)],
        )
        .await;
        assert!(matches!(outcomes[2], Err(StoreError::Conflict(_))), "{outcomes:?}");
        assert!(
            outcomes[0].is_ok() && outcomes[1].is_ok() && outcomes[3].is_ok(),
            "{outcomes:?}"
        );
        assert_eq!(keys(&store).await, ["a", "b", "d"]);
    }

    /// A write of one statement joins a group without a savepoint of its own: when SQLite
    /// refuses its statement for a broken constraint, it undoes that statement alone, and the
    /// rest of the group commits, once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_one_statement_write_refused_for_a_constraint_leaves_the_rest_of_its_group() {
        let (_dir, store) = scratch(&StoreOptions::default()).await;
        let before = commits(&store).await;
        let outcomes = queue_behind(
            &store,
            &[("b", Then::Single), ("c", Then::BreakConstraint), ("d", Then::Succeed)],
        )
        .await;
        assert!(outcomes[2].is_err(), "{outcomes:?}");
        assert!(
            outcomes[0].is_ok() && outcomes[1].is_ok() && outcomes[3].is_ok(),
            "{outcomes:?}"
        );
        assert_eq!(commits(&store).await - before, 1);
        assert_eq!(keys(&store).await, ["a", "b", "d"]);
    }

    /// A write of one statement that failed otherwise may have taken the transaction with it
    /// (SQLite rolls it back after some failures): with no savepoint to check, its group fails
    /// as a whole, every writer in it is told, and the writers after it start a new group.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_one_statement_write_failing_otherwise_fails_its_group() {
        let (_dir, store) = scratch(&StoreOptions::default()).await;
        let outcomes = queue_behind(
            &store,
            &[("b", Then::Single), ("c", Then::FailOtherwise), ("d", Then::Succeed)],
        )
        .await;
        assert!(
            outcomes[0].is_err() && outcomes[1].is_err() && outcomes[2].is_err(),
            "{outcomes:?}"
        );
        assert!(outcomes[3].is_ok(), "{outcomes:?}");
        assert_eq!(keys(&store).await, ["d"]);
    }

    /// A refused write that opened its group (it has no savepoint of its own) leaves nothing
    /// behind, alone or with writers queued behind it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_refused_first_write_leaves_nothing() {
        let (_dir, store) = scratch(&StoreOptions::default()).await;
        let refused = put(store.clone(), "x", Then::Refuse).await;
        assert!(matches!(refused, Err(StoreError::Conflict(_))), "{refused:?}");
        assert!(keys(&store).await.is_empty());
        put(store.clone(), "y", Then::Succeed).await.expect("the next write");
        assert_eq!(keys(&store).await, ["y"]);
    }

    /// A group that cannot be trusted (a write in it ran past the statement timeout) fails as a
    /// whole: the write waiting for its commit is told so and nothing of it is stored; the
    /// writers after it start a new group.
    /// A write statement still running at the call's deadline is interrupted: the call fails
    /// as timed out, nothing of it is stored, and the next write works on a new connection.
    /// (Left to run, the statement takes seconds; the test asserts the outcome, not the time.)
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_statement_past_the_statement_timeout_is_interrupted() {
        let options = StoreOptions {
            statement_timeout: std::time::Duration::from_millis(200),
            ..StoreOptions::default()
        };
        let (_dir, store) = scratch(&options).await;
        let endless = store
            .write(async |c: &mut WriteConn<'_>| {
                c.control(
                    "INSERT INTO t (k) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) \
                     SELECT 'k' || i FROM n LIMIT 20000000",
                )
                .await
            })
            .await;
        let Err(StoreError::Database(message)) = endless else {
            panic!("the endless write was not stopped: {endless:?}");
        };
        assert!(message.contains("statement_timeout = 200ms"), "{message}");
        assert!(
            keys(&store).await.is_empty(),
            "nothing of the interrupted write is stored"
        );
        put(store.clone(), "after", Then::Succeed)
            .await
            .expect("a write after the interrupted one");
        assert_eq!(keys(&store).await, ["after"]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_group_that_cannot_commit_fails_every_member() {
        let options = StoreOptions {
            statement_timeout: std::time::Duration::from_millis(300),
            ..StoreOptions::default()
        };
        let (_dir, store) = scratch(&options).await;
        let outcomes = queue_behind(
            &store,
            &[("b", Then::Stall), ("c", Then::Succeed), ("d", Then::Succeed)],
        )
        .await;
        assert!(outcomes[0].is_err(), "a shared b's transaction: {outcomes:?}");
        assert!(outcomes[1].is_err(), "{outcomes:?}");
        assert!(outcomes[2].is_ok() && outcomes[3].is_ok(), "{outcomes:?}");
        assert_eq!(keys(&store).await, ["c", "d"]);
        put(store.clone(), "e", Then::Succeed)
            .await
            .expect("a write after the failed group");
    }

    /// A batch's unfinished jobs are read by their incidents, not by state (which read every
    /// pending job of every incident for each batch).
    #[tokio::test]
    async fn a_batchs_unfinished_jobs_are_read_by_incident() {
        for (incidents, kinds) in [(1, 1), (8, 4), (40, 4)] {
            let plan = plan(&queries::unfinished_sql(incidents, kinds), incidents + kinds).await;
            assert!(
                plan.iter().any(|step| step.contains("USING INDEX jobs_incident")),
                "{incidents} incidents: {plan:?}"
            );
        }
    }
}
