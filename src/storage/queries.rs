//! The statements both backends run with the same SQL, written once over [`Conn`]: a
//! backend's connection that binds [`Arg`]s in its own types (timestamps as SQLite text or
//! PostgreSQL `timestamptz`) and runs the statements whose SQL differs (bulk inserts, group
//! filters, chat reference timestamps). JSON columns are read as `CAST(… AS TEXT)`, which
//! SQLite (text already) and PostgreSQL (JSONB) both understand.
//!
//! What stays in each backend: connecting, transactions, the bulk inserts (jobs, timeline,
//! and on PostgreSQL a new incident's row with both in one round trip), PostgreSQL's
//! one-statement job records and opens (its store's guessed numbers), claims, batched
//! finishes and purges; incident rows are written here, their JSON parameter marked by
//! [`Conn::JSON_VALUE`].

use super::rows::{self, Cols};
use super::sequence_number;
use crate::domain::ids::{AgreementId, IncidentId, MessageId, UserId};
use crate::domain::incident::{Incident, Milestone, Outcome, State, TimelineEntry};
use crate::domain::maintenance::MaintenanceWindow;
use crate::domain::meeting::MeetingPoint;
use crate::domain::plan::JobKind;
use crate::service::ports::{
    AlertLink, AlertReceipt, CancelJobs, Change, ChatRefKey, DueJobs, FinishJob, IncidentFilter, IncidentOrder, Job,
    JobFinish, JobInputs, MessageRef, NewJob, NewPoint, NewPublication, NewReport, NewWindow, OpenIncidents,
    Publication, ReportKind, StoreError, StoredReport,
};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::future::Future;

/// A statement parameter, bound by each backend in its own types.
#[derive(Debug, Clone, Copy)]
pub(super) enum Arg<'a> {
    Text(&'a str),
    /// Nullable text.
    OptText(Option<&'a str>),
    /// A 32-bit integer.
    Int32(i32),
    /// A 64-bit integer.
    Int(i64),
    /// A boolean.
    Flag(bool),
    /// A timestamp.
    Time(DateTime<Utc>),
    /// A nullable timestamp.
    OptTime(Option<DateTime<Utc>>),
}

/// A backend's connection: runs SQL with [`Arg`]s, and the statements whose SQL differs
/// between the backends.
pub(super) trait Conn: Send {
    /// A result row.
    type Row: Cols + Send;

    /// Runs a statement; returns the number of rows it changed.
    fn execute<'a>(
        &'a mut self,
        sql: &'static str,
        args: &'a [Arg<'a>],
    ) -> impl Future<Output = Result<u64, StoreError>> + Send + 'a;

    /// Runs a query; returns every row.
    fn fetch_all<'a>(
        &'a mut self,
        sql: &'static str,
        args: &'a [Arg<'a>],
    ) -> impl Future<Output = Result<Vec<Self::Row>, StoreError>> + Send + 'a;

    /// Runs a query; returns its row, if any.
    fn fetch_optional<'a>(
        &'a mut self,
        sql: &'static str,
        args: &'a [Arg<'a>],
    ) -> impl Future<Output = Result<Option<Self::Row>, StoreError>> + Send + 'a;

    /// Runs a query that returns exactly one row.
    fn fetch_one<'a>(
        &'a mut self,
        sql: &'static str,
        args: &'a [Arg<'a>],
    ) -> impl Future<Output = Result<Self::Row, StoreError>> + Send + 'a;

    /// Appends entries to an incident's timeline, numbered after its last.
    fn append_timeline<'a>(
        &'a mut self,
        incident: &'a IncidentId,
        entries: &'a [TimelineEntry],
    ) -> impl Future<Output = Result<(), StoreError>> + Send + 'a;

    /// Inserts jobs; existing keys are ignored.
    fn insert_jobs<'a>(&'a mut self, jobs: &'a [NewJob]) -> impl Future<Output = Result<(), StoreError>> + Send + 'a;

    /// Inserts new incident `incident`'s row (`row`: the values of [`incident_insert!`]), its
    /// first timeline entries and its jobs, in one round trip to the database where the
    /// backend can (PostgreSQL); returns whether the row was inserted. A row whose id exists
    /// is left as it is, and the caller rolls back whatever else this wrote.
    fn insert_new_incident<'a>(
        &'a mut self,
        incident: &'a IncidentId,
        row: &'a [Arg<'a>; 15],
        timeline: &'a [TimelineEntry],
        jobs: &'a [NewJob],
    ) -> impl Future<Output = Result<bool, StoreError>> + Send + 'a;

    /// Cancels an incident's pending jobs in some groups.
    fn cancel_jobs<'a>(
        &'a mut self,
        cancel: &'a CancelJobs,
    ) -> impl Future<Output = Result<(), StoreError>> + Send + 'a;

    /// Stores a chat reference, replacing one under the same key (its `created_at` is kept).
    fn put_chat_ref<'a>(
        &'a mut self,
        key: &'a ChatRefKey,
        r: &'a MessageRef,
    ) -> impl Future<Output = Result<(), StoreError>> + Send + 'a;

    /// What a bound JSON text parameter is followed by where a JSON column takes it
    /// (`::jsonb` on PostgreSQL; nothing on SQLite, whose JSON is text).
    const JSON_VALUE: &'static str;

    /// The dialect's expression for an incident row's title (inside `data`).
    const TITLE: &'static str;

    /// What a `SELECT` of one incident row ends with to hold the row until the transaction
    /// ends, as an update would (` FOR UPDATE`; nothing on SQLite, whose write transaction
    /// holds the whole database).
    const LOCK_ROW: &'static str;
    /// The dialect's expression for an incident row's stored plan fingerprint (inside
    /// `data`): a `v2:…` text, or a number written by an earlier version (NULL when absent).
    const PLAN_BASIS: &'static str;

    /// The dialect's expression for a timeline row's stored event type (the `type` tag
    /// inside `event`).
    const EVENT_TYPE: &'static str;

    /// The dialect's expression for an incident row's outage marking (inside `data`; NULL
    /// when none is marked), as the partial index `incidents_outage` is defined on it.
    const OUTAGE: &'static str;

    /// The dialect's test for an incident row whose derived columns were never written, in the
    /// very shape the partial index `incidents_derived` is defined with: SQLite uses a partial
    /// index only when the query's term matches its own (`NOT derived` would scan every row).
    const UNDERIVED: &'static str;

    /// Whether an incident update names in `SET` only the columns whose value changes
    /// ([`update_incident_row`]): for a backend that rewrites the index entries of every
    /// column it is told to set. PostgreSQL compares the values itself (an update changing no
    /// indexed column touches no index).
    const SET_ONLY_CHANGED: bool;

    /// Runs a statement built at run time; returns the number of rows it changed.
    fn execute_built<'a>(
        &'a mut self,
        sql: String,
        args: &'a [Arg<'a>],
    ) -> impl Future<Output = Result<u64, StoreError>> + Send + 'a;

    /// Runs a query built at run time ([`incidents`]); returns every row.
    fn fetch_all_built<'a>(
        &'a mut self,
        sql: String,
        args: &'a [Arg<'a>],
    ) -> impl Future<Output = Result<Vec<Self::Row>, StoreError>> + Send + 'a;

    /// Claims due pending jobs under a lease; returns their rows ([`job_columns!`]).
    fn claim<'a>(
        &'a mut self,
        now: DateTime<Utc>,
        owner: &'a str,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Self::Row>, StoreError>> + Send + 'a;

    /// Finishes a batch of claimed jobs with distinct ids (and stores their posted
    /// references); returns the ids finished. Same conditions as [`finish_job`].
    fn finish_batch<'a>(
        &'a mut self,
        finishes: &'a [FinishJob],
    ) -> impl Future<Output = Result<HashSet<i64>, StoreError>> + Send + 'a;

    /// Deletes at most `limit` of the purgeable jobs finished before `before`, and their
    /// posts' references; returns how many jobs went.
    fn purge(&mut self, before: DateTime<Utc>, limit: u32)
    -> impl Future<Output = Result<u64, StoreError>> + Send + '_;
}

/// The statement runners of a [`Conn`] implementation, written once: `time` is how the
/// backend binds a timestamp.
macro_rules! conn_runners {
    ($time:path) => {
        async fn execute<'a>(&'a mut self, sql: &'static str, args: &'a [Arg<'a>]) -> Result<u64, StoreError> {
            let done = super::queries::conn_runners!(@bound $time, sql, args)
                .execute(&mut *self)
                .await
                .map_err(db)?;
            Ok(done.rows_affected())
        }

        async fn fetch_all<'a>(&'a mut self, sql: &'static str, args: &'a [Arg<'a>]) -> Result<Vec<Self::Row>, StoreError> {
            super::queries::conn_runners!(@bound $time, sql, args).fetch_all(&mut *self).await.map_err(db)
        }

        async fn fetch_optional<'a>(
            &'a mut self,
            sql: &'static str,
            args: &'a [Arg<'a>],
        ) -> Result<Option<Self::Row>, StoreError> {
            super::queries::conn_runners!(@bound $time, sql, args).fetch_optional(&mut *self).await.map_err(db)
        }

        async fn fetch_one<'a>(&'a mut self, sql: &'static str, args: &'a [Arg<'a>]) -> Result<Self::Row, StoreError> {
            super::queries::conn_runners!(@bound $time, sql, args).fetch_one(&mut *self).await.map_err(db)
        }

        async fn execute_built<'a>(&'a mut self, sql: String, args: &'a [Arg<'a>]) -> Result<u64, StoreError> {
            let done = super::queries::conn_runners!(@bound $time, sqlx::AssertSqlSafe(sql), args)
                .execute(&mut *self)
                .await
                .map_err(db)?;
            Ok(done.rows_affected())
        }

        async fn fetch_all_built<'a>(&'a mut self, sql: String, args: &'a [Arg<'a>]) -> Result<Vec<Self::Row>, StoreError> {
            super::queries::conn_runners!(@bound $time, sqlx::AssertSqlSafe(sql), args)
                .fetch_all(&mut *self)
                .await
                .map_err(db)
        }
    };
    (@bound $time:path, $sql:expr, $args:expr) => {
        $args.iter().fold(sqlx::query($sql), |q, arg| match *arg {
            Arg::Text(s) => q.bind(s),
            Arg::OptText(s) => q.bind(s),
            Arg::Int32(n) => q.bind(n),
            Arg::Int(n) => q.bind(n),
            Arg::Flag(b) => q.bind(b),
            Arg::Time(t) => q.bind($time(t)),
            Arg::OptTime(t) => q.bind(t.map($time)),
        })
    };
}
pub(super) use conn_runners;

/// The next incident sequence number of `prefix` and `year`.
pub(super) async fn next_sequence(conn: &mut impl Conn, prefix: &str, year: i32) -> Result<u32, StoreError> {
    let row = conn
        .fetch_one(
            "INSERT INTO incident_sequences (prefix, year, next) VALUES ($1, $2, 2) \
             ON CONFLICT (prefix, year) DO UPDATE SET next = incident_sequences.next + 1 \
             RETURNING next - 1 AS n",
            &[Arg::Text(prefix), Arg::Int32(year)],
        )
        .await?;
    sequence_number(row.int("n")?)
}

/// Inserts a new incident (version 1) with its change: what the change finishes or cancels
/// first, then the row with its derived columns, its timeline and its jobs (in one round trip
/// where the backend can, [`Conn::insert_new_incident`]), then the rest of the change.
pub(super) async fn insert_incident(
    conn: &mut impl Conn,
    stored: &Incident,
    data: &str,
    change: &Change,
) -> Result<(), StoreError> {
    if let Some(finish) = &change.finish {
        finish_job(conn, finish).await?;
    }
    if let Some(cancel) = &change.cancel {
        conn.cancel_jobs(cancel).await?;
    }
    let row = new_row(stored, data, change);
    if !conn
        .insert_new_incident(stored.id(), &row, &change.timeline, &change.jobs)
        .await?
    {
        return Err(StoreError::Duplicate(stored.id().to_string()));
    }
    put_refs_and_alerts(conn, stored.id(), change).await
}

/// Replaces an incident stored as version `previous` with `stored` (row and derived columns
/// in one statement), and applies its change.
pub(super) async fn update_incident(
    conn: &mut impl Conn,
    stored: &Incident,
    previous: i64,
    data: &str,
    change: &Change,
) -> Result<(), StoreError> {
    let derived = Derived::of(stored, &change.timeline);
    if update_incident_row(conn, stored, previous, data, &derived).await? == 0 {
        return Err(update_refused(conn, stored.id()).await?);
    }
    apply_change(conn, stored.id(), change).await
}

/// The insert of an incident row: `$1`…`$15` are [`row_args`], `$json` what the dialect's
/// JSON parameter is followed by ([`Conn::JSON_VALUE`]). Alone, unless its id exists; with a
/// `$filter` (a `WHERE` clause), when that holds, and an id that exists fails the statement.
macro_rules! incident_insert {
    ($json:literal) => {
        concat!(
            $crate::storage::queries::incident_insert!(@into),
            "VALUES (",
            $crate::storage::queries::incident_insert!(@values $json),
            ") ON CONFLICT (id) DO NOTHING"
        )
    };
    ($json:literal, $filter:literal) => {
        concat!(
            $crate::storage::queries::incident_insert!(@into),
            "SELECT ",
            $crate::storage::queries::incident_insert!(@values $json),
            $filter
        )
    };
    (@into) => {
        "INSERT INTO incidents (id, agreement, state, priority, reported_at, updated_at, version, data, \
           response_due, resolution_due, next_due, missed, touched_until, derived, case_type) "
    };
    (@values $json:literal) => {
        concat!("$1, $2, $3, $4, $5, $6, $7, $8", $json, ", $9, $10, $11, $12, $13, $14, $15")
    };
}
pub(super) use incident_insert;

/// Replaces an incident's row and its [`Derived`] columns (`touched_until` only ever moves
/// on) in one statement if its stored version is `previous`; returns how many rows it
/// replaced. On PostgreSQL a concurrent writer holding the row makes this wait, then see the
/// new version and match nothing: a conflict, never a lost update.
///
/// Where the backend rewrites the index entries of every column named in `SET`, changed or
/// not ([`Conn::SET_ONLY_CHANGED`], SQLite), the row's indexed columns are read first and
/// only those whose value changes are set: an update that changes none of them (most of the
/// scheduler's) then writes the table's page alone instead of a page of each incident index
/// as well. The read also checks the version.
async fn update_incident_row<C: Conn>(
    conn: &mut C,
    stored: &Incident,
    previous: i64,
    data: &str,
    derived: &Derived,
) -> Result<u64, StoreError> {
    let mut columns: Vec<(&str, Arg<'_>)> = vec![
        ("agreement", Arg::Text(stored.agreement())),
        ("state", Arg::Text(stored.state().as_str())),
        ("priority", Arg::Text(stored.priority().as_str())),
        ("case_type", Arg::Text(stored.case_type())),
        ("reported_at", Arg::Time(micros(stored.reported_at()))),
        ("response_due", Arg::OptTime(derived.response_due.map(micros))),
        ("resolution_due", Arg::OptTime(derived.resolution_due.map(micros))),
        ("next_due", Arg::OptTime(derived.next_due.map(micros))),
        ("missed", Arg::Flag(derived.missed)),
        ("touched_until", Arg::Time(micros(derived.touched))),
    ];
    if C::SET_ONLY_CHANGED {
        let rows = conn
            .fetch_all(
                "SELECT version, agreement, state, priority, case_type, reported_at, response_due, \
                 resolution_due, next_due, missed, touched_until FROM incidents WHERE id = $1",
                &[Arg::Text(stored.id())],
            )
            .await?;
        let Some(row) = rows.first() else { return Ok(0) };
        if row.int("version")? != previous {
            return Ok(0);
        }
        let mut changed = Vec::with_capacity(columns.len());
        for (column, value) in columns {
            if !holds(row, column, &value)? {
                changed.push((column, value));
            }
        }
        columns = changed;
    }
    let mut sql = format!(
        "UPDATE incidents SET updated_at = $3, version = $4, data = $5{}, derived = $6",
        C::JSON_VALUE
    );
    let mut args = vec![
        Arg::Text(stored.id()),
        Arg::Int(previous),
        Arg::Time(Utc::now()),
        Arg::Int(stored.version()),
        Arg::Text(data),
        Arg::Flag(true),
    ];
    for (column, value) in columns {
        args.push(value);
        let n = args.len();
        sql += &if column == "touched_until" {
            format!(
                ", touched_until = CASE WHEN touched_until IS NULL OR touched_until < ${n} THEN ${n} ELSE touched_until END"
            )
        } else {
            format!(", {column} = ${n}")
        };
    }
    sql += " WHERE id = $1 AND version = $2";
    conn.execute_built(sql, &args).await
}

/// Whether `row`'s `column` already holds `value` (`touched_until`: is at or past it, as it
/// only ever moves on).
fn holds(row: &impl Cols, column: &str, value: &Arg<'_>) -> Result<bool, StoreError> {
    Ok(match *value {
        Arg::Text(v) => row.text(column)? == v,
        Arg::Time(v) if column == "touched_until" => row.opt_time(column)?.is_some_and(|t| t >= v),
        Arg::Time(v) => row.time(column)? == v,
        Arg::OptTime(v) => row.opt_time(column)? == v,
        Arg::Flag(v) => row.flag(column)? == v,
        Arg::OptText(_) | Arg::Int32(_) | Arg::Int(_) => false,
    })
}

/// `t` as the store keeps a time: to the microsecond.
fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::SubsecRound;
    t.trunc_subsecs(6)
}

/// The values of incident `stored`'s row ([`row_args`]), `data` its JSON, `change` what it
/// is stored with.
pub(super) fn new_row<'a>(stored: &'a Incident, data: &'a str, change: &Change) -> [Arg<'a>; 15] {
    row_args(stored, data, &Derived::of(stored, &change.timeline))
}

/// The values of an incident row, in column order (`$1`…`$15` of [`incident_insert!`]).
/// `updated_at` is this process's clock.
pub(super) fn row_args<'a>(stored: &'a Incident, data: &'a str, derived: &Derived) -> [Arg<'a>; 15] {
    [
        Arg::Text(stored.id()),
        Arg::Text(stored.agreement()),
        Arg::Text(stored.state().as_str()),
        Arg::Text(stored.priority().as_str()),
        Arg::Time(stored.reported_at()),
        Arg::Time(Utc::now()),
        Arg::Int(stored.version()),
        Arg::Text(data),
        Arg::OptTime(derived.response_due),
        Arg::OptTime(derived.resolution_due),
        Arg::OptTime(derived.next_due),
        Arg::Flag(derived.missed),
        Arg::Time(derived.touched),
        Arg::Flag(true),
        Arg::Text(stored.case_type()),
    ]
}

/// Applies the change of an incident that is as stored at version `previous`
/// ([`Change::unchanged`]): the row is held and its version checked by one read, and written
/// only when the change's timeline moves its `touched_until` on.
pub(super) async fn update_unchanged<C: Conn>(
    conn: &mut C,
    stored: &Incident,
    previous: i64,
    change: &Change,
) -> Result<(), StoreError> {
    let sql = format!(
        "SELECT version, touched_until FROM incidents WHERE id = $1{}",
        C::LOCK_ROW
    );
    let id = stored.id();
    let rows = conn.fetch_all_built(sql, &[Arg::Text(id)]).await?;
    let Some(row) = rows.first() else {
        return Err(StoreError::NotFound(id.to_string()));
    };
    if row.int("version")? != previous {
        return Err(StoreError::Conflict(id.to_string()));
    }
    let touched = Derived::of(stored, &change.timeline).touched;
    if row.opt_time("touched_until")?.is_none_or(|t| t < touched) {
        conn.execute(
            "UPDATE incidents SET touched_until = $2 WHERE id = $1",
            &[Arg::Text(id), Arg::Time(touched)],
        )
        .await?;
    }
    apply_change(conn, id, change).await
}

/// What the store keeps beside an incident's JSON for lists, scopes and reports to select on
/// by index (`migrations/*/0006_scale_indexes.sql`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Derived {
    pub(super) response_due: Option<DateTime<Utc>>,
    pub(super) resolution_due: Option<DateTime<Utc>>,
    /// The earliest deadline not yet met, while active.
    pub(super) next_due: Option<DateTime<Utc>>,
    /// A deadline missed for good: met late, or its breach recorded.
    pub(super) missed: bool,
    /// The latest time anything of it happened or falls due, as far as the incident and the
    /// new timeline entries tell.
    pub(super) touched: DateTime<Utc>,
}

impl Derived {
    pub(super) fn of(inc: &Incident, timeline: &[TimelineEntry]) -> Self {
        let milestones = [Milestone::Response, Milestone::Resolution];
        let next_due = if inc.state().is_active() {
            milestones
                .iter()
                .filter(|&&m| !inc.met(m))
                .filter_map(|&m| inc.judged_due(m))
                .min()
        } else {
            None
        };
        // Met late and recorded breaches do not depend on the time asked at; only a pending
        // deadline does, and at the dawn of time none has passed.
        let missed = milestones.iter().any(|&m| {
            matches!(
                inc.outcome(m, DateTime::<Utc>::MIN_UTC),
                Outcome::MetLate { .. } | Outcome::Breached { .. }
            )
        });
        let touched = [inc.acknowledged_at(), inc.resolved_at(), inc.closed_at()]
            .into_iter()
            .chain(milestones.iter().map(|&m| inc.judged_due(m)))
            .flatten()
            .chain(timeline.iter().map(|e| e.at))
            .fold(inc.reported_at(), DateTime::max);
        Derived {
            response_due: inc.judged_due(Milestone::Response),
            resolution_due: inc.judged_due(Milestone::Resolution),
            next_due,
            missed,
            touched,
        }
    }
}

/// Writes the derived columns of `inc` and its case type (migration 9; rows before it are
/// incidents by the column's default).
async fn write_derived(conn: &mut impl Conn, inc: &Incident, d: &Derived) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE incidents SET response_due = $2, resolution_due = $3, next_due = $4, missed = $5, \
         touched_until = CASE WHEN touched_until IS NULL OR touched_until < $6 THEN $6 ELSE touched_until END, \
         derived = $7, case_type = $8 WHERE id = $1",
        &[
            Arg::Text(inc.id()),
            Arg::OptTime(d.response_due),
            Arg::OptTime(d.resolution_due),
            Arg::OptTime(d.next_due),
            Arg::Flag(d.missed),
            Arg::Time(d.touched),
            Arg::Flag(true),
            Arg::Text(inc.case_type()),
        ],
    )
    .await
    .map(drop)
}

/// Incidents whose [`Derived`] columns were never written (rows stored before they existed),
/// derived in one batch of at most `limit`; returns how many. The store runs it when it
/// opens, until none is left.
pub(super) async fn derive_missing<C: Conn>(conn: &mut C, limit: u32) -> Result<u64, StoreError> {
    let rows = conn
        .fetch_all_built(underived_sql::<C>(), &[Arg::Int(i64::from(limit))])
        .await?;
    for row in &rows {
        let inc = rows::incident(row)?;
        let mut d = Derived::of(&inc, &[]);
        if let Some(last) = row.opt_time("last_at")? {
            d.touched = d.touched.max(last);
        }
        write_derived(conn, &inc, &d).await?;
    }
    Ok(rows.len() as u64)
}

/// The statement [`derive_missing`] reads a batch with (`$1`: the batch size).
pub(super) fn underived_sql<C: Conn>() -> String {
    format!(
        "SELECT CAST(data AS TEXT) AS data, version, \
         (SELECT MAX(t.at) FROM timeline t WHERE t.incident_id = incidents.id) AS last_at \
         FROM incidents WHERE {} LIMIT $1",
        C::UNDERIVED
    )
}

/// Numbered parameters of a statement built at run time.
struct Params<'a>(Vec<Arg<'a>>);

impl<'a> Params<'a> {
    /// Adds `arg`; returns its placeholder.
    fn add(&mut self, arg: Arg<'a>) -> String {
        self.0.push(arg);
        format!("${}", self.0.len())
    }
}

/// `text` for a `LIKE … ESCAPE '\'` pattern: its wildcards taken literally.
fn like_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The incidents a filter selects, in its order: one statement over the indexed columns, so
/// its cost follows what it returns (and the scope it looks in), not the history.
pub(super) async fn incidents<C: Conn>(conn: &mut C, filter: &IncidentFilter) -> Result<Vec<Incident>, StoreError> {
    let search = search_patterns(filter);
    let (sql, args) = incidents_sql::<C>(filter, search.as_ref());
    let rows = conn.fetch_all_built(sql, &args).await?;
    rows.iter().map(rows::incident).collect()
}

/// The `LIKE` patterns of a filter's search text (its id's prefix, a word of its title).
fn search_patterns(filter: &IncidentFilter) -> Option<(String, String)> {
    filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let s = like_literal(s);
            (format!("{}%", s.to_uppercase()), format!("%{}%", s.to_lowercase()))
        })
}

/// The statement selecting what `filter` selects, and its parameters; `search` is
/// [`search_patterns`] of the filter (they own the texts the parameters borrow), or `None`
/// where no search is given.
pub(super) fn incidents_sql<'a, C: Conn>(
    filter: &'a IncidentFilter,
    search: Option<&'a (String, String)>,
) -> (String, Vec<Arg<'a>>) {
    let mut p = Params(Vec::new());
    let mut sql = String::from("SELECT CAST(data AS TEXT) AS data, version FROM incidents WHERE 1 = 1");
    // A window of deadlines is found by the deadlines' own indexes: keep the planner off the
    // agreement's there. Incidents touched since an instant are found by the agreement's
    // index, which leads `(agreement, state, touched_until)`; the outage index is the
    // agreement's too, and more selective still.
    let off_agreement = filter.deadline_between.is_some() && filter.touched_since.is_none() && !filter.with_outage;
    if let Some(a) = &filter.agreement {
        let column = if off_agreement { "agreement || ''" } else { "agreement" };
        sql += &format!(" AND {column} = {}", p.add(Arg::Text(a)));
    }
    if let Some(t) = &filter.case_type {
        sql += &format!(" AND case_type = {}", p.add(Arg::Text(t)));
    }
    if !filter.states.is_empty() {
        let states: Vec<String> = filter.states.iter().map(|s| p.add(Arg::Text(s.as_str()))).collect();
        sql += &format!(" AND state IN ({})", states.join(", "));
    }
    if let Some(before) = filter.reported_before {
        sql += &format!(" AND reported_at < {}", p.add(Arg::Time(before)));
    }
    if let Some(at) = filter.breaching_at {
        sql += &format!(
            " AND (missed = {} OR next_due <= {})",
            p.add(Arg::Flag(true)),
            p.add(Arg::Time(at))
        );
    }
    if let Some((from, to)) = filter.deadline_between {
        let (from, to) = (p.add(Arg::Time(from)), p.add(Arg::Time(to)));
        sql += &format!(
            " AND ((response_due >= {from} AND response_due <= {to}) \
               OR (resolution_due >= {from} AND resolution_due <= {to}))"
        );
    }
    if let Some(since) = filter.touched_since {
        let live: Vec<String> = [State::Open, State::Acknowledged, State::Resolved]
            .iter()
            .map(|s| p.add(Arg::Text(s.as_str())))
            .collect();
        let (closed, since) = (p.add(Arg::Text(State::Closed.as_str())), p.add(Arg::Time(since)));
        sql += &format!(
            " AND (state IN ({}) OR (state = {closed} AND touched_until >= {since}))",
            live.join(", ")
        );
    }
    if filter.with_outage {
        sql += &format!(" AND {} IS NOT NULL", C::OUTAGE);
    }
    if let Some(keys) = &filter.planned_otherwise {
        if keys.is_empty() {
            sql += " AND 1 = 0";
        } else {
            // Rows before fingerprints (none, `0`) have nothing to compare with.
            let values: Vec<String> = keys
                .iter()
                .map(|k| {
                    format!(
                        "({}, {}, {}, {})",
                        p.add(Arg::Text(&k.agreement)),
                        p.add(Arg::Text(&k.case_type)),
                        p.add(Arg::Text(&k.priority)),
                        p.add(Arg::Text(&k.basis))
                    )
                })
                .collect();
            sql += &format!(
                " AND EXISTS (SELECT 1 FROM (VALUES {}) AS k \
                   WHERE k.column1 = incidents.agreement AND k.column2 = incidents.case_type \
                     AND k.column3 = incidents.priority \
                     AND COALESCE(CAST({} AS TEXT), '0') NOT IN ('0', k.column4))",
                values.join(", "),
                C::PLAN_BASIS
            );
        }
    }
    if let Some((id, title)) = search {
        sql += &format!(
            " AND (UPPER(id) LIKE {} ESCAPE '\\' OR LOWER({}) LIKE {} ESCAPE '\\')",
            p.add(Arg::Text(id)),
            C::TITLE,
            p.add(Arg::Text(title))
        );
    }
    sql += match filter.order {
        IncidentOrder::Newest => " ORDER BY reported_at DESC, id DESC",
        IncidentOrder::Priority => " ORDER BY priority, next_due NULLS LAST, reported_at, id",
    };
    if filter.limit > 0 {
        sql += &format!(" LIMIT {}", p.add(Arg::Int(i64::from(filter.limit))));
    }
    if filter.offset > 0 {
        if filter.limit == 0 {
            // SQLite takes an offset only after a limit.
            sql += &format!(" LIMIT {}", p.add(Arg::Int(i64::MAX)));
        }
        sql += &format!(" OFFSET {}", p.add(Arg::Int(i64::from(filter.offset))));
    }
    (sql, p.0)
}

/// Timelines of several incidents, each oldest first, a statement per 500 incidents; with
/// `types`, only events of those stored types (the rest are neither sent nor decoded).
pub(super) async fn timelines<C: Conn>(
    conn: &mut C,
    ids: &[IncidentId],
    types: &[&str],
) -> Result<Vec<(IncidentId, Vec<TimelineEntry>)>, StoreError> {
    let mut out: Vec<(IncidentId, Vec<TimelineEntry>)> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut p = Params(Vec::new());
        let list: Vec<String> = chunk.iter().map(|id| p.add(Arg::Text(id))).collect();
        let only = if types.is_empty() {
            String::new()
        } else {
            let types: Vec<String> = types.iter().map(|t| p.add(Arg::Text(t))).collect();
            format!(" AND {} IN ({})", C::EVENT_TYPE, types.join(", "))
        };
        let sql = format!(
            "SELECT incident_id, at, actor, CAST(event AS TEXT) AS event FROM timeline \
             WHERE incident_id IN ({}){only} ORDER BY incident_id, seq",
            list.join(", ")
        );
        let rows = conn.fetch_all_built(sql, &p.0).await?;
        let mut by_id: std::collections::HashMap<String, Vec<TimelineEntry>> = std::collections::HashMap::new();
        for row in &rows {
            by_id
                .entry(row.text("incident_id")?)
                .or_default()
                .push(rows::timeline_entry(row)?);
        }
        for id in chunk {
            let entries = by_id.remove(id.as_str()).unwrap_or_default();
            out.push((id.clone(), entries));
        }
    }
    Ok(out)
}

/// Claims up to `limit` due pending jobs for `owner`, oldest due first.
pub(super) async fn claim(
    conn: &mut impl Conn,
    now: DateTime<Utc>,
    owner: &str,
    lease_until: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<Job>, StoreError> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let rows = conn.claim(now, owner, lease_until, limit).await?;
    let mut jobs = rows.iter().map(rows::job).collect::<Result<Vec<_>, _>>()?;
    jobs.sort_by_key(|j| (j.due_at, j.id));
    Ok(jobs)
}

/// Finishes claimed jobs: one statement when each job comes once, else one by one.
pub(super) async fn finish_many(
    conn: &mut impl Conn,
    finishes: &[FinishJob],
) -> Result<Vec<Result<(), StoreError>>, StoreError> {
    if distinct(finishes) {
        let finished = conn.finish_batch(finishes).await?;
        Ok(batch_outcomes(finishes, &finished))
    } else {
        finish_each(conn, finishes).await
    }
}

pub(super) async fn incident(conn: &mut impl Conn, id: &IncidentId) -> Result<Option<Incident>, StoreError> {
    let row = conn
        .fetch_optional(
            "SELECT CAST(data AS TEXT) AS data, version FROM incidents WHERE id = $1",
            &[Arg::Text(id)],
        )
        .await?;
    row.as_ref().map(rows::incident).transpose()
}

/// Why an update of `id` matched no row: it changed since it was read, or it does not exist.
pub(super) async fn update_refused(conn: &mut impl Conn, id: &IncidentId) -> Result<StoreError, StoreError> {
    let exists = conn
        .fetch_optional("SELECT version FROM incidents WHERE id = $1", &[Arg::Text(id)])
        .await?;
    Ok(match exists {
        Some(_) => StoreError::Conflict(id.to_string()),
        None => StoreError::NotFound(id.to_string()),
    })
}

/// An incident's timeline, oldest first.
pub(super) async fn timeline(conn: &mut impl Conn, id: &IncidentId) -> Result<Vec<TimelineEntry>, StoreError> {
    let rows = conn
        .fetch_all(
            "SELECT at, actor, CAST(event AS TEXT) AS event FROM timeline WHERE incident_id = $1 ORDER BY seq",
            &[Arg::Text(id)],
        )
        .await?;
    rows.iter().map(rows::timeline_entry).collect()
}

/// Applies the parts of a change besides the incident row, in order: timeline, finish, cancel,
/// new jobs (so a new plan's jobs are not cancelled with the old plan's), chat references.
/// The caller holds the incident's row (lock), which serialises timeline appends.
pub(super) async fn apply_change(
    conn: &mut impl Conn,
    incident: &IncidentId,
    change: &Change,
) -> Result<(), StoreError> {
    conn.append_timeline(incident, &change.timeline).await?;
    if let Some(finish) = &change.finish {
        finish_job(conn, finish).await?;
    }
    if let Some(cancel) = &change.cancel {
        conn.cancel_jobs(cancel).await?;
    }
    conn.insert_jobs(&change.jobs).await?;
    put_refs_and_alerts(conn, incident, change).await
}

/// Stores a change's chat references and records its alert receipts.
async fn put_refs_and_alerts(conn: &mut impl Conn, incident: &IncidentId, change: &Change) -> Result<(), StoreError> {
    for (key, r) in &change.chat_refs {
        conn.put_chat_ref(key, r).await?;
    }
    for alert in &change.alerts {
        record_alert(conn, incident, alert).await?;
    }
    Ok(())
}

/// Records an alert receipt for `incident`; one recorded already is a conflict (a re-send or
/// another replica got there first), which rolls the whole change back.
async fn record_alert(conn: &mut impl Conn, incident: &IncidentId, alert: &AlertReceipt) -> Result<(), StoreError> {
    let inserted = conn
        .execute(
            "INSERT INTO alert_receipts (source, receipt, dedup_key, incident_id, seq, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source, receipt) DO NOTHING",
            &[
                Arg::Text(&alert.source),
                Arg::Text(&alert.receipt),
                Arg::Text(&alert.dedup_key),
                Arg::Text(incident),
                Arg::Int(alert.seq),
                Arg::Time(alert.at),
            ],
        )
        .await?;
    if inserted == 0 {
        return Err(StoreError::Conflict(incident.to_string()));
    }
    Ok(())
}

/// The latest incident opened for a dedup key of an intake source.
pub(super) async fn alert_link(
    conn: &mut impl Conn,
    source: &str,
    dedup_key: &str,
) -> Result<Option<AlertLink>, StoreError> {
    let row = conn
        .fetch_optional(
            "SELECT incident_id, seq FROM alert_receipts WHERE source = $1 AND dedup_key = $2 \
             ORDER BY seq DESC LIMIT 1",
            &[Arg::Text(source), Arg::Text(dedup_key)],
        )
        .await?;
    row.map(|r| {
        Ok(AlertLink {
            incident: IncidentId::new(r.text("incident_id")?),
            seq: r.int("seq")?,
        })
    })
    .transpose()
}

/// Which of `receipts` of `source` are recorded.
pub(super) async fn alert_receipts_seen(
    conn: &mut impl Conn,
    source: &str,
    receipts: &[String],
) -> Result<Vec<String>, StoreError> {
    let mut seen = Vec::new();
    for receipt in receipts {
        let row = conn
            .fetch_optional(
                "SELECT receipt FROM alert_receipts WHERE source = $1 AND receipt = $2",
                &[Arg::Text(source), Arg::Text(receipt)],
            )
            .await?;
        if row.is_some() {
            seen.push(receipt.clone());
        }
    }
    Ok(seen)
}

/// [`latest_activity`]'s query. Only a done job has `fired_at`: `state = 'done'` lets the
/// done jobs' index answer the MAX.
pub(super) const LATEST_ACTIVITY_SQL: &str = "SELECT MAX(t) AS t FROM (SELECT MAX(fired_at) AS t FROM jobs WHERE state = 'done' \
     UNION ALL SELECT MAX(reported_at) FROM incidents) AS latest";

/// The latest time anything stored happened at.
pub(super) async fn latest_activity(conn: &mut impl Conn) -> Result<Option<DateTime<Utc>>, StoreError> {
    let row = conn.fetch_one(LATEST_ACTIVITY_SQL, &[]).await?;
    row.opt_time("t")
}

/// Columns of a job, in the shape [`rows::job`] reads.
macro_rules! job_columns {
    () => {
        "id, key, kind, incident_id, grp, due_at, CAST(payload AS TEXT) AS payload, state, attempts, \
         lease_owner, lease_until, last_error, fired_at, late, outcome, COALESCE(planned_at, due_at) AS planned_at"
    };
}
pub(super) use job_columns;

/// A claimed job's finish as done, while `$2` holds its lease: `$1` its id, `$3` when it
/// fired, `$4` whether late, `$5` its outcome.
macro_rules! finish_done {
    () => {
        "UPDATE jobs SET state = 'done', fired_at = $3, late = $4, outcome = $5 \
         WHERE id = $1 AND state = 'running' AND lease_owner = $2"
    };
}

/// The `SET` clause of a batch of finishes, both backends': each claimed job `j` set from its
/// finish `f` (`kind` done, retry or failed; `at` when it fired or is retried; `late`,
/// `outcome`, `error`).
macro_rules! finish_batch_set {
    () => {
        "SET state = CASE f.kind WHEN 'done' THEN 'done' WHEN 'retry' THEN 'pending' ELSE 'failed' END, \
           fired_at = CASE WHEN f.kind = 'done' THEN f.at ELSE j.fired_at END, \
           late = CASE WHEN f.kind = 'done' THEN f.late ELSE j.late END, \
           outcome = CASE WHEN f.kind = 'done' THEN f.outcome ELSE j.outcome END, \
           due_at = CASE WHEN f.kind = 'retry' THEN f.at ELSE j.due_at END, \
           last_error = CASE WHEN f.kind = 'done' THEN j.last_error ELSE f.error END, \
           lease_owner = CASE WHEN f.kind = 'retry' THEN NULL ELSE j.lease_owner END, \
           lease_until = CASE WHEN f.kind = 'retry' THEN NULL ELSE j.lease_until END "
    };
}
pub(super) use finish_batch_set;

/// Whether a change writes rows only: no cancel, chat references or alerts, which the
/// backends' one-statement writes leave to a transaction.
pub(super) fn rows_only(change: &Change) -> bool {
    change.cancel.is_none() && change.chat_refs.is_empty() && change.alerts.is_empty()
}

/// Finishes a job running under `finish.owner` (and stores what it posted); anything else is
/// a lost lease.
pub(super) async fn finish_job(conn: &mut impl Conn, finish: &FinishJob) -> Result<(), StoreError> {
    let (id, owner) = (Arg::Int(finish.id), Arg::Text(&finish.owner));
    let done = match &finish.finish {
        JobFinish::Done {
            fired_at,
            late,
            outcome,
        } => {
            conn.execute(
                finish_done!(),
                &[id, owner, Arg::Time(*fired_at), Arg::Flag(*late), Arg::Text(outcome)],
            )
            .await?
        }
        JobFinish::Retry { retry_at, error } => {
            conn.execute(
                "UPDATE jobs SET state = 'pending', due_at = $3, last_error = $4, lease_owner = NULL, \
                 lease_until = NULL \
                 WHERE id = $1 AND state = 'running' AND lease_owner = $2",
                &[id, owner, Arg::Time(*retry_at), Arg::Text(error)],
            )
            .await?
        }
        JobFinish::Failed { error } => {
            conn.execute(
                "UPDATE jobs SET state = 'failed', last_error = $3 \
                 WHERE id = $1 AND state = 'running' AND lease_owner = $2",
                &[id, owner, Arg::Text(error)],
            )
            .await?
        }
    };
    if done == 0 {
        return Err(StoreError::LeaseLost(finish.id));
    }
    if let Some(posted) = &finish.posted {
        conn.put_chat_ref(&ChatRefKey::JobPost(finish.id), posted).await?;
    }
    Ok(())
}

/// Finishes claimed jobs one by one (the same job may come twice: each finish sees the ones
/// before it). A refused finish changes nothing (its one UPDATE matched no row); any other
/// failure fails the batch.
async fn finish_each(conn: &mut impl Conn, finishes: &[FinishJob]) -> Result<Vec<Result<(), StoreError>>, StoreError> {
    let mut outcomes = Vec::with_capacity(finishes.len());
    for finish in finishes {
        match finish_job(conn, finish).await {
            Ok(()) => outcomes.push(Ok(())),
            Err(StoreError::LeaseLost(id)) => outcomes.push(Err(StoreError::LeaseLost(id))),
            Err(e) => return Err(e),
        }
    }
    Ok(outcomes)
}

/// The outcome of each finish of a batch whose `finished` ids committed.
fn batch_outcomes(finishes: &[FinishJob], finished: &HashSet<i64>) -> Vec<Result<(), StoreError>> {
    finishes
        .iter()
        .map(|f| {
            if finished.contains(&f.id) {
                Ok(())
            } else {
                Err(StoreError::LeaseLost(f.id))
            }
        })
        .collect()
}

/// Jobs one purge statement deletes at most.
pub(super) const PURGE_BATCH: u32 = 1_000;

/// Whether [`finish_many`] of `finishes` is one statement: each job named once, and no post's
/// reference to store with it. Then it needs no transaction of its own.
pub(super) fn finish_many_is_one_statement(finishes: &[FinishJob]) -> bool {
    distinct(finishes) && finishes.iter().all(|f| f.posted.is_none())
}

/// Whether a batch names each job once (then one statement can finish it).
fn distinct(finishes: &[FinishJob]) -> bool {
    let mut seen = HashSet::with_capacity(finishes.len());
    finishes.iter().all(|f| seen.insert(f.id))
}

/// [`requeue_expired`]'s statement.
pub(super) const REQUEUE_SQL: &str = "UPDATE jobs SET state = 'pending', lease_owner = NULL, lease_until = NULL \
     WHERE state = 'running' AND lease_until < $1";

/// Puts running jobs whose lease expired before `now` back to pending.
pub(super) async fn requeue_expired(conn: &mut impl Conn, now: DateTime<Utc>) -> Result<u64, StoreError> {
    conn.execute(REQUEUE_SQL, &[Arg::Time(now)]).await
}

/// Extends `owner`'s lease on job `id`.
pub(super) async fn renew(
    conn: &mut impl Conn,
    id: i64,
    owner: &str,
    lease_until: DateTime<Utc>,
) -> Result<(), StoreError> {
    let renewed = conn
        .execute(
            "UPDATE jobs SET lease_until = $3 WHERE id = $1 AND state = 'running' AND lease_owner = $2",
            &[Arg::Int(id), Arg::Text(owner), Arg::Time(lease_until)],
        )
        .await?;
    if renewed == 1 {
        Ok(())
    } else {
        Err(StoreError::LeaseLost(id))
    }
}

/// [`release`]'s statement.
pub(super) const RELEASE_SQL: &str = "UPDATE jobs SET state = 'pending', lease_owner = NULL, lease_until = NULL, \
     attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END \
     WHERE state = 'running' AND lease_owner = $1";

/// Puts `owner`'s unfinished jobs back to pending, not counting the claim as an attempt.
pub(super) async fn release(conn: &mut impl Conn, owner: &str) -> Result<u64, StoreError> {
    conn.execute(RELEASE_SQL, &[Arg::Text(owner)]).await
}

/// Puts job `id`, claimed by `owner`, back to pending until `until`, not counting the claim
/// as an attempt.
pub(super) async fn postpone(
    conn: &mut impl Conn,
    id: i64,
    owner: &str,
    until: DateTime<Utc>,
) -> Result<(), StoreError> {
    let postponed = conn
        .execute(
            "UPDATE jobs SET state = 'pending', due_at = $3, lease_owner = NULL, lease_until = NULL, \
             attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END \
             WHERE id = $1 AND state = 'running' AND lease_owner = $2",
            &[Arg::Int(id), Arg::Text(owner), Arg::Time(until)],
        )
        .await?;
    if postponed == 1 {
        Ok(())
    } else {
        Err(StoreError::LeaseLost(id))
    }
}

/// The pending and running jobs of an incident, by due time.
pub(super) async fn unfinished_jobs(conn: &mut impl Conn, incident: &IncidentId) -> Result<Vec<Job>, StoreError> {
    let rows = conn
        .fetch_all(
            concat!(
                "SELECT ",
                job_columns!(),
                " FROM jobs WHERE incident_id = $1 AND state IN ('pending', 'running') ORDER BY due_at, id"
            ),
            &[Arg::Text(incident)],
        )
        .await?;
    rows.iter().map(rows::job).collect()
}

/// What the handlers of `jobs` read ([`JobInputs`]): three statements per 500 jobs — the
/// incidents, their cards and conversations with the jobs' posts, and the incidents'
/// unfinished jobs of `kinds`.
pub(super) async fn job_inputs(conn: &mut impl Conn, jobs: &[Job], kinds: &[JobKind]) -> Result<JobInputs, StoreError> {
    let mut inputs = JobInputs::default();
    for chunk in jobs.chunks(500) {
        let mut incidents: Vec<&IncidentId> = chunk.iter().filter_map(|j| j.incident.as_ref()).collect();
        incidents.sort();
        incidents.dedup();
        let mut keys: Vec<String> = chunk.iter().map(|j| ChatRefKey::JobPost(j.id).as_key()).collect();
        for id in &incidents {
            keys.push(ChatRefKey::Card((*id).clone()).as_key());
            keys.push(ChatRefKey::Conversation((*id).clone()).as_key());
        }
        let mut p = Params(Vec::new());
        let list: Vec<String> = keys.iter().map(|k| p.add(Arg::Text(k))).collect();
        let sql = format!(
            "SELECT key, channel, message FROM chat_refs WHERE key IN ({})",
            list.join(", ")
        );
        for row in &conn.fetch_all_built(sql, &p.0).await? {
            inputs.chat_refs.push(rows::chat_ref(row)?);
        }
        if incidents.is_empty() {
            continue;
        }
        let mut p = Params(Vec::new());
        let list: Vec<String> = incidents.iter().map(|id| p.add(Arg::Text(id))).collect();
        let sql = format!(
            "SELECT CAST(data AS TEXT) AS data, version FROM incidents WHERE id IN ({})",
            list.join(", ")
        );
        for row in &conn.fetch_all_built(sql, &p.0).await? {
            inputs.incidents.push(rows::incident(row)?);
        }
        if kinds.is_empty() {
            continue;
        }
        let mut p = Params(Vec::new());
        for id in &incidents {
            p.add(Arg::Text(id));
        }
        for kind in kinds {
            p.add(Arg::Text(kind.as_str()));
        }
        let sql = unfinished_sql(incidents.len(), kinds.len());
        for row in &conn.fetch_all_built(sql, &p.0).await? {
            inputs.unfinished.push(rows::job(row)?);
        }
    }
    Ok(inputs)
}

/// The statement [`job_inputs`] reads the unfinished jobs of `incidents` incidents of `kinds`
/// kinds with (`$1…`: the incidents, then the kinds), by the incidents' index. (The job
/// state indexes are partial, one state each, so `state IN (…)` cannot lead SQLite's planner,
/// which has no statistics, to read every pending job by state, as it once did.)
pub(super) fn unfinished_sql(incidents: usize, kinds: usize) -> String {
    let list = |from: usize, n: usize| (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    format!(
        concat!(
            "SELECT ",
            job_columns!(),
            " FROM jobs WHERE incident_id IN ({}) AND state IN ('pending', 'running') AND kind IN ({}) \
             ORDER BY due_at, id"
        ),
        list(1, incidents),
        list(1 + incidents, kinds)
    )
}

/// Jobs of an incident, or all jobs, by due time. Two statements rather than
/// `$1 IS NULL OR …`, so the incident's index is used.
pub(super) async fn jobs(conn: &mut impl Conn, incident: Option<&IncidentId>) -> Result<Vec<Job>, StoreError> {
    let rows = match incident {
        Some(incident) => {
            conn.fetch_all(
                concat!(
                    "SELECT ",
                    job_columns!(),
                    " FROM jobs WHERE incident_id = $1 ORDER BY due_at, id"
                ),
                &[Arg::Text(incident)],
            )
            .await?
        }
        None => {
            conn.fetch_all(
                concat!("SELECT ", job_columns!(), " FROM jobs ORDER BY due_at, id"),
                &[],
            )
            .await?
        }
    };
    rows.iter().map(rows::job).collect()
}

/// [`failed_jobs`]'s query.
pub(super) const FAILED_JOBS_SQL: &str = concat!(
    "SELECT ",
    job_columns!(),
    " FROM jobs WHERE state = 'failed' AND kind = $1 ORDER BY due_at, id"
);

/// The jobs of `kind` that failed for good, oldest due first.
pub(super) async fn failed_jobs(conn: &mut impl Conn, kind: JobKind) -> Result<Vec<Job>, StoreError> {
    let rows = conn.fetch_all(FAILED_JOBS_SQL, &[Arg::Text(kind.as_str())]).await?;
    rows.iter().map(rows::job).collect()
}

/// [`next_due`]'s query.
pub(super) const NEXT_DUE_SQL: &str = "SELECT MIN(due_at) AS due FROM jobs WHERE state = 'pending'";

/// The earliest due time of a pending job.
pub(super) async fn next_due(conn: &mut impl Conn) -> Result<Option<DateTime<Utc>>, StoreError> {
    let row = conn.fetch_one(NEXT_DUE_SQL, &[]).await?;
    row.opt_time("due")
}

/// [`due_jobs`]'s query: unfinished jobs due by `$1` per kind, and how many of them were due
/// before `$2`; the pending and the running ones each read through their state's partial
/// index (an `IN` of both states would match neither).
pub(super) const DUE_JOBS_SQL: &str = "SELECT kind, COUNT(*) AS due, COUNT(CASE WHEN due_at < $2 THEN 1 END) AS overdue \
     FROM (SELECT kind, due_at FROM jobs WHERE state = 'pending' AND due_at <= $1 \
           UNION ALL SELECT kind, due_at FROM jobs WHERE state = 'running' AND due_at <= $1) AS unfinished \
     GROUP BY kind ORDER BY kind";

/// Unfinished jobs due at or before `now`, by kind, with those due before `overdue_before`.
pub(super) async fn due_jobs(
    conn: &mut impl Conn,
    now: DateTime<Utc>,
    overdue_before: DateTime<Utc>,
) -> Result<Vec<DueJobs>, StoreError> {
    let rows = conn
        .fetch_all(DUE_JOBS_SQL, &[Arg::Time(now), Arg::Time(overdue_before)])
        .await?;
    rows.iter().map(rows::due_jobs).collect()
}

/// Unresolved incidents by agreement and priority.
pub(super) async fn open_incidents(conn: &mut impl Conn) -> Result<Vec<OpenIncidents>, StoreError> {
    let rows = conn
        .fetch_all(
            "SELECT agreement, priority, COUNT(*) AS n FROM incidents \
             WHERE state IN ('open', 'acknowledged') GROUP BY agreement, priority ORDER BY agreement, priority",
            &[],
        )
        .await?;
    rows.iter().map(rows::open_incidents).collect()
}

/// The chat reference stored under a key.
pub(super) async fn chat_ref(conn: &mut impl Conn, key: &ChatRefKey) -> Result<Option<MessageRef>, StoreError> {
    let key = key.as_key();
    let row = conn
        .fetch_optional(
            "SELECT channel, message FROM chat_refs WHERE key = $1",
            &[Arg::Text(&key)],
        )
        .await?;
    row.as_ref().map(rows::message_ref).transpose()
}

/// An incident's chat references in key order. Cards and conversations carry the incident;
/// job posts are found through their jobs (`job/<id>`, the key `ChatRefKey::JobPost` stores
/// under).
pub(super) async fn chat_refs(
    conn: &mut impl Conn,
    incident: &IncidentId,
) -> Result<Vec<(ChatRefKey, MessageRef)>, StoreError> {
    let rows = conn
        .fetch_all(
            "SELECT key, channel, message FROM chat_refs WHERE incident_id = $1 \
             UNION ALL \
             SELECT c.key, c.channel, c.message FROM jobs j JOIN chat_refs c ON c.key = 'job/' || j.id \
             WHERE j.incident_id = $1",
            &[Arg::Text(incident)],
        )
        .await?;
    let mut refs = rows.iter().map(rows::chat_ref).collect::<Result<Vec<_>, _>>()?;
    refs.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(refs)
}

/// The incident whose conversation is the chat message `message`.
pub(super) async fn conversation_incident(
    conn: &mut impl Conn,
    message: &MessageId,
) -> Result<Option<IncidentId>, StoreError> {
    let row = conn
        .fetch_optional(
            "SELECT incident_id FROM chat_refs WHERE key LIKE 'conversation/%' AND message = $1 \
             ORDER BY updated_at DESC LIMIT 1",
            &[Arg::Text(message)],
        )
        .await?;
    Ok(row
        .map(|r| r.opt_text("incident_id"))
        .transpose()?
        .flatten()
        .map(IncidentId::new))
}

/// Records a meeting point.
pub(super) async fn add_point(conn: &mut impl Conn, point: &NewPoint) -> Result<MeetingPoint, StoreError> {
    let row = conn
        .fetch_one(
            "INSERT INTO meeting_points (agreement_id, meeting, text, owner, due_at, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
            &[
                Arg::Text(&point.agreement),
                Arg::Text(&point.meeting),
                Arg::Text(&point.text),
                Arg::OptText(point.owner.as_ref().map(UserId::as_str)),
                Arg::Time(point.due),
                Arg::Text(&point.created_by),
                Arg::Time(point.created_at),
            ],
        )
        .await?;
    rows::point(&row)
}

/// Marks a point done (unless it is) and returns it as stored.
pub(super) async fn complete_point(
    conn: &mut impl Conn,
    agreement: &AgreementId,
    id: i64,
    by: &UserId,
    at: DateTime<Utc>,
) -> Result<Option<MeetingPoint>, StoreError> {
    conn.execute(
        "UPDATE meeting_points SET done_at = $3, done_by = $4 \
         WHERE id = $1 AND agreement_id = $2 AND done_at IS NULL",
        &[Arg::Int(id), Arg::Text(agreement), Arg::Time(at), Arg::Text(by)],
    )
    .await?;
    let row = conn
        .fetch_optional(
            "SELECT * FROM meeting_points WHERE id = $1 AND agreement_id = $2",
            &[Arg::Int(id), Arg::Text(agreement)],
        )
        .await?;
    row.as_ref().map(rows::point).transpose()
}

/// An agreement's points, by due time then number.
pub(super) async fn points(
    conn: &mut impl Conn,
    agreement: &AgreementId,
    include_done: bool,
) -> Result<Vec<MeetingPoint>, StoreError> {
    let rows = conn
        .fetch_all(
            "SELECT * FROM meeting_points WHERE agreement_id = $1 AND ($2 OR done_at IS NULL) \
             ORDER BY due_at, id",
            &[Arg::Text(agreement), Arg::Flag(include_done)],
        )
        .await?;
    rows.iter().map(rows::point).collect()
}

/// Records a maintenance window and the jobs `plan` makes for its number.
pub(super) async fn add_window(
    conn: &mut impl Conn,
    w: &NewWindow,
    breaches: &str,
    plan: &(dyn Fn(i64) -> Vec<NewJob> + Send + Sync),
) -> Result<MaintenanceWindow, StoreError> {
    let row = conn
        .fetch_one(
            "INSERT INTO maintenance_windows (agreement_id, service, kind, starts_at, ends_at, description, \
             announced_by, announced_at, breaches, reason) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *",
            &[
                Arg::Text(&w.agreement),
                Arg::Text(&w.service),
                Arg::Text(&w.kind),
                Arg::Time(w.start),
                Arg::Time(w.end),
                Arg::Text(&w.description),
                Arg::Text(&w.announced_by),
                Arg::Time(w.announced_at),
                Arg::Text(breaches),
                Arg::OptText(w.reason.as_deref()),
            ],
        )
        .await?;
    let window = rows::window(&row)?;
    conn.insert_jobs(&plan(window.id)).await?;
    Ok(window)
}

/// Cancels a window (unless it is) and returns it as stored.
pub(super) async fn cancel_window(
    conn: &mut impl Conn,
    agreement: &AgreementId,
    id: i64,
    by: &UserId,
    at: DateTime<Utc>,
) -> Result<Option<MaintenanceWindow>, StoreError> {
    conn.execute(
        "UPDATE maintenance_windows SET cancelled_at = $3, cancelled_by = $4 \
         WHERE id = $1 AND agreement_id = $2 AND cancelled_at IS NULL",
        &[Arg::Int(id), Arg::Text(agreement), Arg::Time(at), Arg::Text(by)],
    )
    .await?;
    let row = conn
        .fetch_optional(
            "SELECT * FROM maintenance_windows WHERE id = $1 AND agreement_id = $2",
            &[Arg::Int(id), Arg::Text(agreement)],
        )
        .await?;
    row.as_ref().map(rows::window).transpose()
}

/// Window `id`.
pub(super) async fn window(conn: &mut impl Conn, id: i64) -> Result<Option<MaintenanceWindow>, StoreError> {
    let row = conn
        .fetch_optional("SELECT * FROM maintenance_windows WHERE id = $1", &[Arg::Int(id)])
        .await?;
    row.as_ref().map(rows::window).transpose()
}

/// An agreement's windows overlapping `from`–`to`, by start then number.
pub(super) async fn windows(
    conn: &mut impl Conn,
    agreement: &AgreementId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<MaintenanceWindow>, StoreError> {
    let rows = conn
        .fetch_all(
            "SELECT * FROM maintenance_windows WHERE agreement_id = $1 AND ends_at > $2 AND starts_at < $3 \
             ORDER BY starts_at, id",
            &[Arg::Text(agreement), Arg::Time(from), Arg::Time(to)],
        )
        .await?;
    rows.iter().map(rows::window).collect()
}

/// Records a public text of an incident.
pub(super) async fn add_publication(conn: &mut impl Conn, p: &NewPublication) -> Result<Publication, StoreError> {
    let row = conn
        .fetch_one(
            "INSERT INTO public_texts (agreement_id, incident_id, body, author, published_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING *",
            &[
                Arg::Text(&p.agreement),
                Arg::Text(&p.incident),
                Arg::Text(&p.text),
                Arg::Text(&p.author),
                Arg::Time(p.at),
            ],
        )
        .await?;
    rows::publication(&row)
}

/// Every public text of an agreement's incidents, by incident, time and number.
pub(super) async fn publications(
    conn: &mut impl Conn,
    agreement: &AgreementId,
) -> Result<Vec<Publication>, StoreError> {
    let rows = conn
        .fetch_all(
            "SELECT * FROM public_texts WHERE agreement_id = $1 ORDER BY incident_id, published_at, id",
            &[Arg::Text(agreement)],
        )
        .await?;
    rows.iter().map(rows::publication).collect()
}

/// The JSON texts of a report: content, sources, changes.
pub(super) struct ReportJson {
    content: String,
    sources: String,
    changes: Option<String>,
}

impl ReportJson {
    /// Serialises a report's JSON parts (before a transaction begins).
    pub(super) fn of(report: &NewReport) -> Result<Self, StoreError> {
        Ok(ReportJson {
            content: super::to_json("report content", &report.content)?,
            sources: super::to_json("report sources", &report.sources)?,
            changes: report
                .changes
                .as_ref()
                .map(|c| super::to_json("report changes", c))
                .transpose()?,
        })
    }
}

/// Stores a report as the next revision of its period.
pub(super) async fn add_report(
    conn: &mut impl Conn,
    report: &NewReport,
    json: &ReportJson,
) -> Result<StoredReport, StoreError> {
    let row = conn
        .fetch_one(
            "INSERT INTO reports (agreement_id, kind, period, revision, content, sources, changes, created_at) \
             VALUES ($1, $2, $3, \
               (SELECT COALESCE(MAX(revision), 0) + 1 FROM reports \
                WHERE agreement_id = $1 AND kind = $2 AND period = $3), \
               $4, $5, $6, $7) RETURNING *",
            &[
                Arg::Text(&report.agreement),
                Arg::Text(report.kind.as_str()),
                Arg::Text(&report.period),
                Arg::Text(&json.content),
                Arg::Text(&json.sources),
                Arg::OptText(json.changes.as_deref()),
                Arg::Time(report.created_at),
            ],
        )
        .await?;
    rows::report(&row)
}

/// The latest revision of a period's report.
pub(super) async fn latest_report(
    conn: &mut impl Conn,
    agreement: &AgreementId,
    kind: ReportKind,
    period: &str,
) -> Result<Option<StoredReport>, StoreError> {
    let row = conn
        .fetch_optional(
            "SELECT * FROM reports WHERE agreement_id = $1 AND kind = $2 AND period = $3 \
             ORDER BY revision DESC LIMIT 1",
            &[Arg::Text(agreement), Arg::Text(kind.as_str()), Arg::Text(period)],
        )
        .await?;
    row.as_ref().map(rows::report).transpose()
}

/// Every revision of an agreement's reports.
pub(super) async fn reports(conn: &mut impl Conn, agreement: &AgreementId) -> Result<Vec<StoredReport>, StoreError> {
    let rows = conn
        .fetch_all(
            "SELECT * FROM reports WHERE agreement_id = $1 ORDER BY kind, period, revision",
            &[Arg::Text(agreement)],
        )
        .await?;
    rows.iter().map(rows::report).collect()
}

/// Takes interaction `id` on until `expires_at`: forgets the interactions expired at `now`,
/// then inserts `id` unless it is there; true when this call inserted it.
pub(super) async fn claim_interaction(
    conn: &mut impl Conn,
    id: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    conn.execute("DELETE FROM interactions WHERE expires_at <= $1", &[Arg::Time(now)])
        .await?;
    let inserted = conn
        .execute(
            "INSERT INTO interactions (id, expires_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
            &[Arg::Text(id), Arg::Time(expires_at)],
        )
        .await?;
    Ok(inserted == 1)
}

/// The store ports of a backend, written once: every method runs its statements from this
/// module on a connection the store hands out with one of three helpers of its own —
/// `read(body)` (a pooled connection, no transaction), `write(body)` (a transaction) and
/// `single(body)` (a write that is one statement on PostgreSQL, atomic on its own; SQLite
/// runs every write in a transaction). `$conn` is the connection a read's body gets, `$wconn`
/// a write's (SQLite writes on a connection of its own, not a pooled one).
macro_rules! store_ports {
    ($store:ty, $conn:ty, $wconn:ty) => {
        #[async_trait::async_trait]
        impl crate::service::ports::IncidentStore for $store {
            async fn next_sequence(&self, prefix: &str, year: i32) -> Result<u32, StoreError> {
                self.single(async |c: &mut $wconn| queries::next_sequence(c, prefix, year).await)
                    .await
            }

            async fn insert_incident(&self, incident: &Incident, change: &Change) -> Result<Incident, StoreError> {
                let stored = incident.clone().with_version(1);
                let data = super::to_json("incident", &stored)?;
                self.write(async |c: &mut $wconn| queries::insert_incident(c, &stored, &data, change).await)
                    .await?;
                Ok(stored)
            }

            async fn insert_numbered(
                &self,
                prefix: &str,
                year: i32,
                make: &crate::service::ports::MakeIncident<'_>,
            ) -> Result<Incident, StoreError> {
                if let Some(stored) = self.insert_guessed(prefix, year, make).await? {
                    return Ok(stored);
                }
                let (seq, stored) = self
                    .write(async |c: &mut $wconn| {
                        let seq = queries::next_sequence(c, prefix, year).await?;
                        let (incident, change) = make(seq).ok_or_else(|| {
                            StoreError::Corrupt(format!(
                                "no incident could be built with number {seq} of {prefix} {year}"
                            ))
                        })?;
                        let stored = incident.with_version(1);
                        let data = super::to_json("incident", &stored)?;
                        queries::insert_incident(c, &stored, &data, &change).await?;
                        Ok((seq, stored))
                    })
                    .await?;
                self.took_number(prefix, year, seq);
                Ok(stored)
            }

            async fn update_incident(&self, incident: &Incident, change: &Change) -> Result<Incident, StoreError> {
                if let Some(stored) = self.record_alone(incident, change).await? {
                    return Ok(stored);
                }
                if change.unchanged {
                    let previous = incident.version();
                    self.write(async |c: &mut $wconn| queries::update_unchanged(c, incident, previous, change).await)
                        .await?;
                    return Ok(incident.clone());
                }
                let stored = incident.clone().with_version(incident.version() + 1);
                let data = super::to_json("incident", &stored)?;
                let previous = incident.version();
                self.write(async |c: &mut $wconn| queries::update_incident(c, &stored, previous, &data, change).await)
                    .await?;
                Ok(stored)
            }

            async fn incident(&self, id: &IncidentId) -> Result<Option<Incident>, StoreError> {
                self.read(async |c: &mut $conn| queries::incident(c, id).await)
                    .await
            }

            async fn incidents(&self, filter: &IncidentFilter) -> Result<Vec<Incident>, StoreError> {
                self.read(async |c: &mut $conn| queries::incidents(c, filter).await)
                    .await
            }

            async fn timeline(&self, id: &IncidentId) -> Result<Vec<TimelineEntry>, StoreError> {
                self.read(async |c: &mut $conn| queries::timeline(c, id).await)
                    .await
            }

            async fn timelines(
                &self,
                ids: &[IncidentId],
                types: &[&str],
            ) -> Result<Vec<(IncidentId, Vec<TimelineEntry>)>, StoreError> {
                self.read(async |c: &mut $conn| queries::timelines(c, ids, types).await)
                    .await
            }

            async fn latest_activity(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
                self.read(async |c: &mut $conn| queries::latest_activity(c).await)
                    .await
            }

            async fn open_incidents(&self) -> Result<Vec<crate::service::ports::OpenIncidents>, StoreError> {
                self.read(async |c: &mut $conn| queries::open_incidents(c).await)
                    .await
            }
        }

        #[async_trait::async_trait]
        impl crate::service::ports::JobStore for $store {
            async fn schedule(&self, jobs: &[NewJob]) -> Result<(), StoreError> {
                if jobs.is_empty() {
                    return Ok(());
                }
                self.single(async |c: &mut $wconn| c.insert_jobs(jobs).await)
                    .await
            }

            async fn requeue_expired(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
                self.single(async |c: &mut $wconn| queries::requeue_expired(c, now).await)
                    .await
            }

            async fn renew(&self, id: i64, owner: &str, lease_until: DateTime<Utc>) -> Result<(), StoreError> {
                self.single(async |c: &mut $wconn| queries::renew(c, id, owner, lease_until).await)
                    .await
            }

            async fn release(&self, owner: &str) -> Result<u64, StoreError> {
                self.single(async |c: &mut $wconn| queries::release(c, owner).await)
                    .await
            }

            async fn claim(
                &self,
                now: DateTime<Utc>,
                owner: &str,
                lease_until: DateTime<Utc>,
                limit: u32,
            ) -> Result<Vec<Job>, StoreError> {
                self.single(async |c: &mut $wconn| queries::claim(c, now, owner, lease_until, limit).await)
                    .await
            }

            async fn finish(&self, finish: &FinishJob) -> Result<(), StoreError> {
                if finish.posted.is_none() {
                    // One statement.
                    return self
                        .single(async |c: &mut $wconn| queries::finish_job(c, finish).await)
                        .await;
                }
                // The posted reference commits with the finish, or not at all.
                self.write(async |c: &mut $wconn| queries::finish_job(c, finish).await)
                    .await
            }

            async fn finish_many(&self, finishes: &[FinishJob]) -> Result<Vec<Result<(), StoreError>>, StoreError> {
                if finishes.is_empty() {
                    return Ok(Vec::new());
                }
                if queries::finish_many_is_one_statement(finishes) {
                    return self
                        .single(async |c: &mut $wconn| queries::finish_many(c, finishes).await)
                        .await;
                }
                self.write(async |c: &mut $wconn| queries::finish_many(c, finishes).await)
                    .await
            }

            async fn postpone(&self, id: i64, owner: &str, until: DateTime<Utc>) -> Result<(), StoreError> {
                self.single(async |c: &mut $wconn| queries::postpone(c, id, owner, until).await)
                    .await
            }

            async fn job_inputs(
                &self,
                jobs: &[Job],
                unfinished_kinds: &[crate::domain::plan::JobKind],
            ) -> Result<crate::service::ports::JobInputs, StoreError> {
                if jobs.is_empty() {
                    return Ok(Default::default());
                }
                self.read(async |c: &mut $conn| queries::job_inputs(c, jobs, unfinished_kinds).await)
                    .await
            }

            async fn unfinished_jobs(&self, incident: &IncidentId) -> Result<Vec<Job>, StoreError> {
                self.read(async |c: &mut $conn| queries::unfinished_jobs(c, incident).await)
                    .await
            }

            async fn jobs(&self, incident: Option<&IncidentId>) -> Result<Vec<Job>, StoreError> {
                self.read(async |c: &mut $conn| queries::jobs(c, incident).await)
                    .await
            }

            async fn failed_jobs(&self, kind: crate::domain::plan::JobKind) -> Result<Vec<Job>, StoreError> {
                self.read(async |c: &mut $conn| queries::failed_jobs(c, kind).await)
                    .await
            }

            async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
                self.read(async |c: &mut $conn| queries::next_due(c).await).await
            }

            async fn due_jobs(
                &self,
                now: DateTime<Utc>,
                overdue_before: DateTime<Utc>,
            ) -> Result<Vec<crate::service::ports::DueJobs>, StoreError> {
                self.read(async |c: &mut $conn| queries::due_jobs(c, now, overdue_before).await)
                    .await
            }

            async fn purge(&self, done_before: DateTime<Utc>) -> Result<u64, StoreError> {
                // In bounded transactions: none holds the write lock long.
                let mut purged = 0;
                loop {
                    let n = self
                        .write(async |c: &mut $wconn| c.purge(done_before, queries::PURGE_BATCH).await)
                        .await?;
                    purged += n;
                    if n < u64::from(queries::PURGE_BATCH) {
                        return Ok(purged);
                    }
                }
            }
        }

        #[async_trait::async_trait]
        impl crate::service::ports::ChatRefStore for $store {
            async fn put_chat_ref(&self, key: &ChatRefKey, r: &MessageRef) -> Result<(), StoreError> {
                self.single(async |c: &mut $wconn| c.put_chat_ref(key, r).await)
                    .await
            }

            async fn chat_ref(&self, key: &ChatRefKey) -> Result<Option<MessageRef>, StoreError> {
                self.read(async |c: &mut $conn| queries::chat_ref(c, key).await)
                    .await
            }

            async fn chat_refs(&self, incident: &IncidentId) -> Result<Vec<(ChatRefKey, MessageRef)>, StoreError> {
                self.read(async |c: &mut $conn| queries::chat_refs(c, incident).await)
                    .await
            }

            async fn conversation_incident(&self, message: &MessageId) -> Result<Option<IncidentId>, StoreError> {
                self.read(async |c: &mut $conn| queries::conversation_incident(c, message).await)
                    .await
            }
        }

        #[async_trait::async_trait]
        impl crate::service::ports::PointStore for $store {
            async fn add_point(&self, point: &NewPoint) -> Result<MeetingPoint, StoreError> {
                self.write(async |c: &mut $wconn| queries::add_point(c, point).await)
                    .await
            }

            async fn complete_point(
                &self,
                agreement: &AgreementId,
                id: i64,
                by: &UserId,
                at: DateTime<Utc>,
            ) -> Result<Option<MeetingPoint>, StoreError> {
                self.write(async |c: &mut $wconn| queries::complete_point(c, agreement, id, by, at).await)
                    .await
            }

            async fn points(
                &self,
                agreement: &AgreementId,
                include_done: bool,
            ) -> Result<Vec<MeetingPoint>, StoreError> {
                self.read(async |c: &mut $conn| queries::points(c, agreement, include_done).await)
                    .await
            }
        }

        #[async_trait::async_trait]
        impl crate::service::ports::MaintenanceStore for $store {
            async fn add_window(
                &self,
                window: &NewWindow,
                plan: &(dyn Fn(i64) -> Vec<NewJob> + Send + Sync),
            ) -> Result<MaintenanceWindow, StoreError> {
                let breaches = serde_json::to_string(&window.breaches)
                    .map_err(|e| StoreError::Corrupt(format!("breaches: {e}")))?;
                self.write(async |c: &mut $wconn| queries::add_window(c, window, &breaches, plan).await)
                    .await
            }

            async fn cancel_window(
                &self,
                agreement: &AgreementId,
                id: i64,
                by: &UserId,
                at: DateTime<Utc>,
            ) -> Result<Option<MaintenanceWindow>, StoreError> {
                self.write(async |c: &mut $wconn| queries::cancel_window(c, agreement, id, by, at).await)
                    .await
            }

            async fn window(&self, id: i64) -> Result<Option<MaintenanceWindow>, StoreError> {
                self.read(async |c: &mut $conn| queries::window(c, id).await)
                    .await
            }

            async fn windows(
                &self,
                agreement: &AgreementId,
                from: DateTime<Utc>,
                to: DateTime<Utc>,
            ) -> Result<Vec<MaintenanceWindow>, StoreError> {
                self.read(async |c: &mut $conn| queries::windows(c, agreement, from, to).await)
                    .await
            }
        }

        #[async_trait::async_trait]
        impl crate::service::ports::PublicationStore for $store {
            async fn add_publication(
                &self,
                publication: &crate::service::ports::NewPublication,
            ) -> Result<crate::service::ports::Publication, StoreError> {
                self.write(async |c: &mut $wconn| queries::add_publication(c, publication).await)
                    .await
            }

            async fn publications(
                &self,
                agreement: &AgreementId,
            ) -> Result<Vec<crate::service::ports::Publication>, StoreError> {
                self.read(async |c: &mut $conn| queries::publications(c, agreement).await)
                    .await
            }
        }

        #[async_trait::async_trait]
        impl crate::service::ports::InteractionStore for $store {
            async fn claim_interaction(
                &self,
                id: &str,
                now: DateTime<Utc>,
                expires_at: DateTime<Utc>,
            ) -> Result<bool, StoreError> {
                self.write(async |c: &mut $wconn| queries::claim_interaction(c, id, now, expires_at).await)
                    .await
            }
        }

        #[async_trait::async_trait]
        impl crate::service::ports::AlertStore for $store {
            async fn alert_link(
                &self,
                source: &str,
                dedup_key: &str,
            ) -> Result<Option<crate::service::ports::AlertLink>, StoreError> {
                self.read(async |c: &mut $conn| queries::alert_link(c, source, dedup_key).await)
                    .await
            }

            async fn alert_receipts_seen(&self, source: &str, receipts: &[String]) -> Result<Vec<String>, StoreError> {
                self.read(async |c: &mut $conn| queries::alert_receipts_seen(c, source, receipts).await)
                    .await
            }
        }

        #[async_trait::async_trait]
        impl crate::service::ports::ReportStore for $store {
            async fn add_report(&self, report: &NewReport) -> Result<StoredReport, StoreError> {
                let json = queries::ReportJson::of(report)?;
                self.write(async |c: &mut $wconn| queries::add_report(c, report, &json).await)
                    .await
            }

            async fn latest_report(
                &self,
                agreement: &AgreementId,
                kind: ReportKind,
                period: &str,
            ) -> Result<Option<StoredReport>, StoreError> {
                self.read(async |c: &mut $conn| queries::latest_report(c, agreement, kind, period).await)
                    .await
            }

            async fn reports(&self, agreement: &AgreementId) -> Result<Vec<StoredReport>, StoreError> {
                self.read(async |c: &mut $conn| queries::reports(c, agreement).await)
                    .await
            }
        }
    };
}
pub(super) use store_ports;
