//! Durable storage: the sqlx adapters behind [`Store`] (SQLite's writes on a `rusqlite`
//! connection of their own).
//!
//! This module owns the database: the schema (`migrations/sqlite`, `migrations/postgres`, run
//! at connect), the mapping between rows and domain values (incidents as their whole
//! serde_json plus indexed copies of the fields lists filter on, the append-only timeline,
//! incident number sequences, and the durable job table with leases), and the transactions
//! that make every [`Store`] method atomic. Chat message references (`chat_refs`) are stored
//! under [`ChatRefKey::as_key`](crate::service::ports::ChatRefKey::as_key) text keys.
//!
//! Two backends implement the same contract: [`SqliteStore`] (a file, WAL, write
//! transactions begun with `BEGIN IMMEDIATE`; `sqlite::memory:` for throwaway use) and
//! [`PostgresStore`] (claims with `FOR UPDATE SKIP LOCKED`, so several runners can share the
//! table). [`connect`] picks one from the URL scheme, and so does [`leader::Leader`], the
//! gateway's leader lock (a lease row in either database) behind the
//! [`LeaderLock`](crate::service::ports::LeaderLock) port.
//!
//! What the backends share is written once: `rows` maps rows of either backend to domain
//! values; `queries` holds every statement whose SQL is the same, over a `Conn` trait that
//! each backend's connection implements (binding timestamps in its own type, and running the
//! statements whose SQL differs: incident rows and lists, bulk inserts, claims, batched
//! finishes, purges, chat reference timestamps), and writes the port implementations once
//! (`store_ports!`). Each backend file keeps its connection set-up, transactions and dialect;
//! SQLite's are three: `sqlite` (the store: pools, group commit, faults), `sqlite_sql` (its
//! dialect and own statements) and `sqlite_writer` (the write connection); PostgreSQL's two:
//! `postgres` (the store) and `pg_held` (its connections between calls).
//!
//! Database URLs may carry passwords: errors and `Debug` output show them only through
//! [`DatabaseUrl`], which hides the password.
//!
//! Failures are survivable: a failed operation returns [`StoreError::Database`] naming the
//! database (redacted URL or SQLite file) and the cause (`database or disk is full
//! (SQLITE_FULL)`, `canceling statement due to lock timeout (SQLSTATE 55P03)`, …), its
//! transaction is rolled back, and a connection that cannot be brought back to a clean state
//! (or one that failed as read-only — SQLite's SQLITE_READONLY, PostgreSQL's SQLSTATE 25006 —
//! or, on SQLite, with an I/O error; read from the error's code) is discarded rather than
//! returned to the pool — so the next operation works once the cause is gone. [`StoreOptions`]
//! holds the statement and lock timeouts, built from the configuration's `[database]`
//! settings.

pub mod leader;
mod migrations;
mod pg_held;
mod postgres;
mod queries;
mod rows;
mod sqlite;
mod sqlite_sql;
mod sqlite_writer;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use crate::config::{DatabaseSettings, DatabaseUrl};
use crate::service::ports::{ChatRefKey, Store, StoreError};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// How long the database may make a store call wait: `[database]` in `vakt.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    /// The longest one statement may run. PostgreSQL: the `statement_timeout` of every pooled
    /// connection. SQLite: it bounds each store call as a whole, and the call fails with a
    /// timeout error; a write on a database file is interrupted at that deadline (its
    /// transaction rolled back), while a read, which sqlx cannot interrupt, has its
    /// transaction rolled back once its statement ends.
    pub statement_timeout: Duration,
    /// The longest a statement waits for a lock another connection holds. PostgreSQL: the
    /// `lock_timeout` of every pooled connection (row and table locks). SQLite: the busy
    /// timeout, how long a writer waits for another writer's transaction.
    pub lock_timeout: Duration,
}

impl StoreOptions {
    /// Default [`statement_timeout`](Self::statement_timeout): 10 s.
    pub const DEFAULT_STATEMENT_TIMEOUT: Duration = DatabaseSettings::DEFAULT_STATEMENT_TIMEOUT;
    /// Default [`lock_timeout`](Self::lock_timeout): 5 s.
    pub const DEFAULT_LOCK_TIMEOUT: Duration = DatabaseSettings::DEFAULT_LOCK_TIMEOUT;
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions::from(&DatabaseSettings::default())
    }
}

impl From<&DatabaseSettings> for StoreOptions {
    fn from(settings: &DatabaseSettings) -> Self {
        StoreOptions {
            statement_timeout: settings.statement_timeout,
            lock_timeout: settings.lock_timeout,
        }
    }
}

/// Why a store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The URL names no database this build supports.
    #[error("unsupported database URL {0}: use sqlite:PATH, sqlite::memory: or postgres://USER@HOST/DB")]
    UnsupportedUrl(DatabaseUrl),
    /// The URL (or path) could not be understood.
    #[error("invalid database URL {url}: {source}")]
    InvalidUrl {
        /// The URL, password hidden.
        url: DatabaseUrl,
        /// Why.
        source: sqlx::Error,
    },
    /// The PostgreSQL schema name is not a plain lower-case identifier.
    #[error("invalid schema name {0:?}: use lower-case letters, digits and _ (not first), at most 63")]
    InvalidSchema(String),
    /// Connecting (or preparing the schema) failed.
    #[error("cannot connect to {url}: {source}")]
    Connect {
        /// The URL, password hidden.
        url: DatabaseUrl,
        /// Why.
        source: sqlx::Error,
    },
    /// Deriving the indexed columns of incidents stored by an earlier version failed.
    #[error("cannot update the incidents of {url}: {source}")]
    Derive {
        /// The URL, password hidden.
        url: DatabaseUrl,
        /// Why.
        source: StoreError,
    },
    /// Bringing the database schema up to date failed.
    #[error("cannot migrate {url}: {source}")]
    Migrate {
        /// The URL, password hidden.
        url: DatabaseUrl,
        /// Why.
        source: sqlx::migrate::MigrateError,
    },
}

/// Opens the store a URL names: `sqlite:PATH` (created if missing), `sqlite::memory:`, or
/// `postgres://…` / `postgresql://…`, with the default [`StoreOptions`]. Migrations run
/// before it is returned.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StorageError> {
    connect_with(url, &StoreOptions::default()).await
}

/// [`connect`] with the given timeouts.
pub async fn connect_with(url: &str, options: &StoreOptions) -> Result<Arc<dyn Store>, StorageError> {
    match Backend::of(url) {
        Some(Backend::Sqlite) => Ok(Arc::new(SqliteStore::connect_with(url, options).await?)),
        Some(Backend::Postgres) => Ok(Arc::new(PostgresStore::connect_with(url, options).await?)),
        None => Err(StorageError::UnsupportedUrl(DatabaseUrl::new(url))),
    }
}

/// The database a URL names, by its scheme: the one place that reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    /// `postgres:` or `postgresql:`
    Postgres,
}

impl Backend {
    fn of(url: &str) -> Option<Backend> {
        let scheme = url.split_once(':').map(|(scheme, _)| scheme.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("sqlite") => Some(Backend::Sqlite),
            Some("postgres" | "postgresql") => Some(Backend::Postgres),
            _ => None,
        }
    }
}

/// A database failure as a store error: the cause, with the database's error code. The store
/// names its database when the error leaves it ([`Site::locate`]). A [`Fault`] of the
/// connection is noted for the [`watching`] caller, if any.
fn db(e: sqlx::Error) -> StoreError {
    note(&e);
    StoreError::Database(cause(&e))
}

/// Notes what a database error says about its connection ([`watching`]) and its transaction
/// ([`undoing`]); outside those there is nothing to note.
fn note(e: &sqlx::Error) {
    note_parts(Fault::of(e), Undone::of(e));
}

/// [`note`] for a failure SQLite reported with `extended` (its extended result code) on a
/// connection of vakt's own ([`sqlite_writer`]).
fn note_sqlite(extended: i32) {
    let undone = if extended & 0xff == 19 {
        Undone::Statement
    } else {
        Undone::Unknown
    };
    note_parts(Fault::of_sqlite(extended), undone);
}

fn note_parts(fault: Option<Fault>, undone: Undone) {
    if let Some(fault) = fault {
        let _ = FAULT.try_with(|noted| noted.set(Some(fault)));
    }
    let _ = UNDONE.try_with(|noted| noted.set(Some(noted.get().map_or(undone, |u| u.max(undone)))));
}

/// How much of its transaction a failed statement took with it, read from the database's
/// typed error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Undone {
    /// Its own work only: SQLite undoes a statement that broke a constraint (under the
    /// default `ABORT` conflict resolution) and the transaction goes on.
    Statement,
    /// Perhaps more: after SQLITE_FULL, IOERR, BUSY, NOMEM or an interrupt SQLite may roll
    /// the whole transaction back, and any other failure is not known to leave it whole.
    Unknown,
}

impl Undone {
    /// What a failure of a statement undid.
    fn of(e: &sqlx::Error) -> Undone {
        let constraint = match e {
            sqlx::Error::Database(d) if d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() => d
                .code()
                .and_then(|c| c.parse::<i32>().ok())
                .is_some_and(|c| c & 0xff == 19),
            _ => false,
        };
        if constraint { Undone::Statement } else { Undone::Unknown }
    }
}

/// A failure that says the connection it happened on is unfit to keep: it is closed rather
/// than pooled, so the next call opens a new one. Read from the database's typed error code,
/// never from its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// The connection cannot write. SQLite: SQLITE_READONLY (any extended code) — it was
    /// opened while the file could not be written, or the file was moved or replaced under
    /// it. PostgreSQL: SQLSTATE 25006 (read_only_sql_transaction) — it is connected to a
    /// standby, or opened while `default_transaction_read_only` was on. Nothing was changed.
    ReadOnly,
    /// SQLite: SQLITE_IOERR (any extended code): reading or writing the file failed.
    Io,
}

impl Fault {
    /// The fault a database error reports, if any.
    fn of(e: &sqlx::Error) -> Option<Fault> {
        let sqlx::Error::Database(d) = e else {
            return None;
        };
        let code = d.code()?;
        if d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
            Fault::of_sqlite(code.parse().ok()?)
        } else {
            Fault::of_sqlstate(&code)
        }
    }

    /// The fault of a SQLite (extended) result code.
    fn of_sqlite(code: i32) -> Option<Fault> {
        match code & 0xff {
            8 => Some(Fault::ReadOnly),
            10 => Some(Fault::Io),
            _ => None,
        }
    }

    /// The fault of a PostgreSQL SQLSTATE.
    fn of_sqlstate(code: &str) -> Option<Fault> {
        (code == "25006").then_some(Fault::ReadOnly)
    }
}

tokio::task_local! {
    /// The [`Fault`] the last database error inside [`watching`] reported.
    static FAULT: std::cell::Cell<Option<Fault>>;
    /// The most any database error inside [`undoing`] undid.
    static UNDONE: std::cell::Cell<Option<Undone>>;
}

/// Runs `work` (a store call's work on one connection) and returns what it returned with the
/// fault of the connection its database errors reported, if any.
async fn watching<T>(work: impl std::future::Future<Output = T>) -> (T, Option<Fault>) {
    FAULT
        .scope(std::cell::Cell::new(None), async {
            let out = work.await;
            (out, FAULT.with(std::cell::Cell::get))
        })
        .await
}

/// Runs `work` (a write's work inside a transaction) and returns what it returned with the
/// most its failed statements undid, if any failed.
async fn undoing<T>(work: impl std::future::Future<Output = T>) -> (T, Option<Undone>) {
    UNDONE
        .scope(std::cell::Cell::new(None), async {
            let out = work.await;
            (out, UNDONE.with(std::cell::Cell::get))
        })
        .await
}

/// What went wrong, in words: the database's own message and code (`database or disk is full
/// (SQLITE_FULL)`, `canceling statement due to lock timeout (SQLSTATE 55P03)`).
fn cause(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(d) => {
            let sqlite = d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some();
            match d.code() {
                Some(code) if sqlite => format!("{} ({})", d.message(), sqlite_code_name(&code)),
                Some(code) => format!("{} (SQLSTATE {code})", d.message()),
                None => d.message().to_string(),
            }
        }
        sqlx::Error::PoolTimedOut => "no database connection became free in time (pool timed out)".to_string(),
        sqlx::Error::PoolClosed => "the store is closed".to_string(),
        other => other.to_string(),
    }
}

/// A SQLite (extended) result code by name: `SQLITE_FULL`.
fn sqlite_code_name(code: &str) -> String {
    let Ok(n) = code.parse::<i32>() else {
        return format!("SQLite code {code}");
    };
    let primary = match n & 0xff {
        1 => "SQLITE_ERROR",
        2 => "SQLITE_INTERNAL",
        3 => "SQLITE_PERM",
        4 => "SQLITE_ABORT",
        5 => "SQLITE_BUSY",
        6 => "SQLITE_LOCKED",
        7 => "SQLITE_NOMEM",
        8 => "SQLITE_READONLY",
        9 => "SQLITE_INTERRUPT",
        10 => "SQLITE_IOERR",
        11 => "SQLITE_CORRUPT",
        13 => "SQLITE_FULL",
        14 => "SQLITE_CANTOPEN",
        15 => "SQLITE_PROTOCOL",
        17 => "SQLITE_SCHEMA",
        18 => "SQLITE_TOOBIG",
        19 => "SQLITE_CONSTRAINT",
        20 => "SQLITE_MISMATCH",
        21 => "SQLITE_MISUSE",
        23 => "SQLITE_AUTH",
        26 => "SQLITE_NOTADB",
        _ => return format!("SQLite code {n}"),
    };
    if n > 0xff {
        format!("{primary}, extended code {n}")
    } else {
        primary.to_string()
    }
}

/// A store's database as its errors name it, and the timeouts it runs with.
#[derive(Debug, Clone)]
struct Site {
    /// The redacted URL or the SQLite file path.
    location: DatabaseUrl,
    options: StoreOptions,
}

impl Site {
    /// Names the database in a database error, and says which timeout a timeout error hit.
    fn locate(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::Database(cause) => {
                let hint = self.hint(&cause);
                StoreError::Database(format!("{}: {cause}{hint}", self.location))
            }
            other => other,
        }
    }

    fn hint(&self, cause: &str) -> String {
        let StoreOptions {
            statement_timeout,
            lock_timeout,
        } = self.options;
        if cause.contains("(SQLITE_BUSY") || cause.contains("(SQLSTATE 55P03)") {
            format!(
                "; gave up after lock_timeout = {} waiting for another connection's lock",
                show_duration(lock_timeout)
            )
        } else if cause.contains("(SQLSTATE 57014)") && cause.contains("statement timeout") {
            format!(
                "; ran longer than statement_timeout = {}",
                show_duration(statement_timeout)
            )
        } else {
            String::new()
        }
    }

    /// A store call that did not finish within the statement timeout (before
    /// [`locate`](Self::locate)).
    fn timed_out(&self) -> StoreError {
        timed_out(&self.options)
    }
}

/// A call given up after `options`' statement timeout.
fn timed_out(options: &StoreOptions) -> StoreError {
    StoreError::Database(format!(
        "no answer within statement_timeout = {}; the call was abandoned and its transaction rolled back",
        show_duration(options.statement_timeout)
    ))
}

/// A duration as written in `vakt.toml`: `500ms`, `10s`, `2m`.
fn show_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(60_000) && ms > 0 {
        format!("{}m", ms / 60_000)
    } else if ms.is_multiple_of(1_000) {
        format!("{}s", ms / 1_000)
    } else {
        format!("{ms}ms")
    }
}

/// The pools' `after_release` check: a connection still inside a transaction when it comes
/// back (a rollback that failed — e.g. SQLite had already ended the transaction itself after
/// SQLITE_FULL, and sqlx's transaction depth stayed at 1 — or that is still queued) is not
/// returned to the pool but closed, so no later call inherits it.
async fn clean_on_release<C: sqlx::Connection>(conn: &mut C) -> Result<bool, sqlx::Error> {
    if conn.is_in_transaction() {
        // A rollback queued by a dropped transaction runs before the ping is answered.
        conn.ping().await?;
    }
    let clean = !conn.is_in_transaction();
    if !clean {
        tracing::warn!("discarding a database connection left inside a transaction");
    }
    Ok(clean)
}

/// A value that would not serialise or deserialise.
fn corrupt(what: &str, e: impl fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// serde_json text of a value.
fn to_json<T: serde::Serialize>(what: &str, value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| corrupt(what, e))
}

/// A value from serde_json text.
fn from_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt(what, e))
}

/// A stored job state.
fn job_state(s: &str) -> Result<crate::service::ports::JobState, StoreError> {
    crate::service::ports::JobState::parse(s).ok_or_else(|| corrupt("job state", format!("unknown state {s:?}")))
}

/// A stored sequence value as the `u32` the port hands out.
fn sequence_number(n: i64) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|_| corrupt("incident sequence", format!("{n} is out of range")))
}

/// A stored chat reference key.
fn chat_ref_key(key: &str) -> Result<ChatRefKey, StoreError> {
    ChatRefKey::parse(key).ok_or_else(|| corrupt("chat reference key", format!("unknown key {key:?}")))
}

/// A failed chat reference write: a card or conversation of an unknown incident is not found.
fn chat_ref_error(key: &ChatRefKey, e: sqlx::Error) -> StoreError {
    match (&e, key.incident()) {
        (sqlx::Error::Database(d), Some(incident)) if d.is_foreign_key_violation() => {
            note(&e);
            StoreError::NotFound(incident.to_string())
        }
        _ => db(e),
    }
}

/// The stored names of cancellation groups.
fn group_names(groups: &[crate::domain::plan::Group]) -> Vec<&'static str> {
    groups.iter().map(|g| g.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::Fault;

    #[test]
    fn read_only_and_io_errors_are_faults_of_the_connection() {
        assert_eq!(Fault::of_sqlite(8), Some(Fault::ReadOnly));
        assert_eq!(Fault::of_sqlite(1032), Some(Fault::ReadOnly), "SQLITE_READONLY_DBMOVED");
        assert_eq!(Fault::of_sqlite(10), Some(Fault::Io));
        assert_eq!(Fault::of_sqlite(522), Some(Fault::Io), "SQLITE_IOERR_SHORT_READ");
        for other in [5, 13, 19, 2067] {
            assert_eq!(Fault::of_sqlite(other), None, "code {other}");
        }
        assert_eq!(Fault::of_sqlstate("25006"), Some(Fault::ReadOnly));
        for other in ["25001", "55P03", "57014", "23505"] {
            assert_eq!(Fault::of_sqlstate(other), None, "SQLSTATE {other}");
        }
    }

    #[test]
    fn codes_and_durations_read_well() {
        assert_eq!(super::sqlite_code_name("13"), "SQLITE_FULL");
        assert_eq!(super::sqlite_code_name("1032"), "SQLITE_READONLY, extended code 1032");
        assert_eq!(super::show_duration(std::time::Duration::from_millis(500)), "500ms");
        assert_eq!(super::show_duration(std::time::Duration::from_secs(10)), "10s");
        assert_eq!(super::show_duration(std::time::Duration::from_secs(120)), "2m");
    }
}
