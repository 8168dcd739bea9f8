//! Rows to domain values, for both backends: [`Cols`] reads a column of a SQLite or
//! PostgreSQL row in the shape vakt stores it (timestamps as SQLite text or PostgreSQL
//! `timestamptz`, JSON as text), and the mapping functions build jobs, incidents, timeline
//! entries, chat references, points and reports from any row that implements it. A value that
//! does not decode is [`StoreError::Corrupt`].

use super::{chat_ref_key, corrupt, from_json, job_state};
use crate::domain::ids::{AgreementId, IncidentId, UserId};
use crate::domain::incident::{Incident, TimelineEntry};
use crate::domain::maintenance::MaintenanceWindow;
use crate::domain::meeting::MeetingPoint;
use crate::domain::plan::{Group, JobKind};
use crate::service::ports::{
    ChatRefKey, DueJobs, Job, MessageRef, NewReport, OpenIncidents, Publication, ReportKind, StoreError, StoredReport,
};
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Database, Decode, Row, Type};

/// The columns of a row as vakt stores them.
pub(super) trait Cols {
    /// A text column.
    fn text(&self, column: &str) -> Result<String, StoreError>;
    /// A nullable text column.
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError>;
    /// A 64-bit integer column.
    fn int(&self, column: &str) -> Result<i64, StoreError>;
    /// A 32-bit integer column.
    fn int32(&self, column: &str) -> Result<i32, StoreError>;
    /// A boolean column.
    fn flag(&self, column: &str) -> Result<bool, StoreError>;
    /// A timestamp column.
    fn time(&self, column: &str) -> Result<DateTime<Utc>, StoreError>;
    /// A nullable timestamp column.
    fn opt_time(&self, column: &str) -> Result<Option<DateTime<Utc>>, StoreError>;
}

/// A column of a row, a decoding failure being corrupt data.
fn get<'r, R, T>(row: &'r R, column: &str) -> Result<T, StoreError>
where
    R: Row,
    for<'c> &'c str: sqlx::ColumnIndex<R>,
    T: Decode<'r, <R as Row>::Database> + Type<<R as Row>::Database>,
    <R as Row>::Database: Database,
{
    row.try_get(column).map_err(|e| corrupt(column, e))
}

/// The columns both backends read alike (everything but timestamps).
macro_rules! common_cols {
    () => {
        fn text(&self, column: &str) -> Result<String, StoreError> {
            get(self, column)
        }
        fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
            get(self, column)
        }
        fn int(&self, column: &str) -> Result<i64, StoreError> {
            get(self, column)
        }
        fn int32(&self, column: &str) -> Result<i32, StoreError> {
            get(self, column)
        }
        fn flag(&self, column: &str) -> Result<bool, StoreError> {
            get(self, column)
        }
    };
}

/// SQLite stores timestamps as UTC text in one fixed RFC 3339 shape ([`super::sqlite`]).
impl Cols for SqliteRow {
    common_cols!();

    fn time(&self, column: &str) -> Result<DateTime<Utc>, StoreError> {
        parse_ts(column, &self.text(column)?)
    }

    fn opt_time(&self, column: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.opt_text(column)?.map(|s| parse_ts(column, &s)).transpose()
    }
}

/// PostgreSQL stores timestamps as `timestamptz`.
impl Cols for PgRow {
    common_cols!();

    fn time(&self, column: &str) -> Result<DateTime<Utc>, StoreError> {
        get(self, column)
    }

    fn opt_time(&self, column: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        get(self, column)
    }
}

/// A timestamp stored as SQLite text.
pub(super) fn parse_ts(column: &str, s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt(column, format!("{s:?}: {e}")))
}

/// Reads a column holding a stored enum name; an unknown name is corrupt data.
fn stored_enum<T>(row: &impl Cols, column: &str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    let name = row.text(column)?;
    parse(&name).ok_or_else(|| StoreError::Corrupt(format!("column {column}: unknown value \"{name}\"")))
}

/// A job, from the columns [`JOB_COLUMNS`](super::queries) selects.
pub(super) fn job(row: &impl Cols) -> Result<Job, StoreError> {
    Ok(Job {
        id: row.int("id")?,
        key: row.text("key")?,
        kind: stored_enum(row, "kind", JobKind::parse)?,
        incident: row.opt_text("incident_id")?.map(IncidentId::new),
        group: stored_enum(row, "grp", Group::parse)?,
        due_at: row.time("due_at")?,
        planned_at: row.time("planned_at")?,
        payload: from_json("job payload", &row.text("payload")?)?,
        state: job_state(&row.text("state")?)?,
        attempts: row.int32("attempts")?,
        lease_owner: row.opt_text("lease_owner")?,
        lease_until: row.opt_time("lease_until")?,
        last_error: row.opt_text("last_error")?,
        fired_at: row.opt_time("fired_at")?,
        late: row.flag("late")?,
        outcome: row.opt_text("outcome")?,
    })
}

/// A count of due jobs of one kind (`kind`, `due`, `overdue`).
pub(super) fn due_jobs(row: &impl Cols) -> Result<DueJobs, StoreError> {
    Ok(DueJobs {
        kind: stored_enum(row, "kind", JobKind::parse)?,
        due: count(row, "due")?,
        overdue: count(row, "overdue")?,
    })
}

/// A count of unresolved incidents of one agreement and priority (`agreement`, `priority`, `n`).
pub(super) fn open_incidents(row: &impl Cols) -> Result<OpenIncidents, StoreError> {
    Ok(OpenIncidents {
        agreement: AgreementId::new(row.text("agreement")?),
        priority: row.text("priority")?,
        count: count(row, "n")?,
    })
}

/// A `COUNT(…)` column.
fn count(row: &impl Cols, column: &str) -> Result<u64, StoreError> {
    let n = row.int(column)?;
    u64::try_from(n).map_err(|_| corrupt(column, format!("count {n}")))
}

/// An incident, from its `data` (JSON text) and `version`.
pub(super) fn incident(row: &impl Cols) -> Result<Incident, StoreError> {
    let incident: Incident = from_json("incident", &row.text("data")?)?;
    Ok(incident.with_version(row.int("version")?))
}

/// A timeline entry, from `at`, `actor` and `event` (JSON text).
pub(super) fn timeline_entry(row: &impl Cols) -> Result<TimelineEntry, StoreError> {
    Ok(TimelineEntry {
        at: row.time("at")?,
        actor: row.text("actor")?,
        event: from_json("timeline event", &row.text("event")?)?,
    })
}

/// A chat message reference, from `channel` and `message`.
pub(super) fn message_ref(row: &impl Cols) -> Result<MessageRef, StoreError> {
    Ok(MessageRef {
        channel: row.text("channel")?,
        message: row.text("message")?,
    })
}

/// A chat reference with its key, from `key`, `channel` and `message`.
pub(super) fn chat_ref(row: &impl Cols) -> Result<(ChatRefKey, MessageRef), StoreError> {
    Ok((chat_ref_key(&row.text("key")?)?, message_ref(row)?))
}

/// A meeting point, from a whole `meeting_points` row.
pub(super) fn point(row: &impl Cols) -> Result<MeetingPoint, StoreError> {
    let done_at = row.opt_time("done_at")?;
    let done_by = row.opt_text("done_by")?;
    Ok(MeetingPoint {
        id: row.int("id")?,
        agreement: AgreementId::new(row.text("agreement_id")?),
        meeting: row.text("meeting")?,
        text: row.text("text")?,
        owner: row.opt_text("owner")?.map(UserId::new),
        due: row.time("due_at")?,
        created_by: UserId::new(row.text("created_by")?),
        created_at: row.time("created_at")?,
        done: done_at.zip(done_by.map(UserId::new)),
    })
}

/// A maintenance window, from a whole `maintenance_windows` row.
pub(super) fn window(row: &impl Cols) -> Result<MaintenanceWindow, StoreError> {
    let breaches = row.text("breaches")?;
    let cancelled_at = row.opt_time("cancelled_at")?;
    let cancelled_by = row.opt_text("cancelled_by")?;
    Ok(MaintenanceWindow {
        id: row.int("id")?,
        agreement: AgreementId::new(row.text("agreement_id")?),
        service: row.text("service")?,
        kind: row.text("kind")?,
        start: row.time("starts_at")?,
        end: row.time("ends_at")?,
        description: row.text("description")?,
        announced_by: UserId::new(row.text("announced_by")?),
        announced_at: row.time("announced_at")?,
        breaches: serde_json::from_str(&breaches)
            .map_err(|e| StoreError::Corrupt(format!("maintenance window breaches: {e}")))?,
        reason: row.opt_text("reason")?,
        cancelled: cancelled_by.map(UserId::new).zip(cancelled_at),
    })
}

/// A public text, from a whole `public_texts` row.
pub(super) fn publication(row: &impl Cols) -> Result<Publication, StoreError> {
    Ok(Publication {
        id: row.int("id")?,
        agreement: AgreementId::new(row.text("agreement_id")?),
        incident: IncidentId::new(row.text("incident_id")?),
        text: row.text("body")?,
        author: UserId::new(row.text("author")?),
        at: row.time("published_at")?,
    })
}

/// A stored report, from a whole `reports` row.
pub(super) fn report(row: &impl Cols) -> Result<StoredReport, StoreError> {
    let changes = row.opt_text("changes")?;
    Ok(StoredReport {
        id: row.int("id")?,
        revision: row.int32("revision")?,
        report: NewReport {
            agreement: AgreementId::new(row.text("agreement_id")?),
            kind: stored_enum(row, "kind", ReportKind::parse)?,
            period: row.text("period")?,
            content: from_json("report content", &row.text("content")?)?,
            sources: from_json("report sources", &row.text("sources")?)?,
            changes: changes.map(|c| from_json("report changes", &c)).transpose()?,
            created_at: row.time("created_at")?,
        },
    })
}
