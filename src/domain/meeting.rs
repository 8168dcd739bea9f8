//! Meetings an agreement names (status meetings, review and operations meetings) and the
//! follow-up points raised in them. Agreement data and plain records: no I/O, no wording.

use super::ids::{AgreementId, UserId};
use chrono::{DateTime, NaiveTime, Utc, Weekday};

/// How often a meeting is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// Every `n` weeks on the meeting's weekday.
    Weeks(u32),
    /// Every `n` months (the first such weekday of the month, when a weekday is named).
    Months(u32),
}

/// What a meeting's reminder offers as its agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Agenda {
    /// The weekly status-meeting summary.
    WeeklySummary,
    /// The report of the period since the last meeting (monthly SLA figures).
    PeriodReport,
    /// No generated agenda.
    None,
}

/// One meeting an agreement names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// Id, unique in the agreement (`status`, `review`).
    pub id: String,
    /// Name as the agreement words it.
    pub name: String,
    /// How often.
    pub cadence: Cadence,
    /// On which weekday, when the agreement says.
    pub weekday: Option<Weekday>,
    /// Local wall-clock time in the agreement's zone.
    pub time: NaiveTime,
    /// Agenda the reminder carries.
    pub agenda: Agenda,
    /// Clause of the text.
    pub clause: String,
    /// The reading chosen where the cadence is only approximate ("about four times a year").
    pub reading: Option<String>,
}

/// A follow-up point raised in a meeting: to be answered (commented on) before the next one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeetingPoint {
    /// Store-assigned number, unique per agreement.
    pub id: i64,
    /// Agreement.
    pub agreement: AgreementId,
    /// Meeting id in the agreement.
    pub meeting: String,
    /// The point as typed (never parsed for mentions).
    pub text: String,
    /// Who owns it.
    pub owner: Option<UserId>,
    /// When it is due (default: the next meeting).
    pub due: DateTime<Utc>,
    /// Who raised it, and when.
    pub created_by: UserId,
    /// When it was raised.
    pub created_at: DateTime<Utc>,
    /// When it was marked done, and by whom.
    pub done: Option<(DateTime<Utc>, UserId)>,
}
