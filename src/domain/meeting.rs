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
    /// Held when needed: named by the agreement but with no cadence, so never reminded of.
    AsNeeded,
}

impl Cadence {
    /// Parses the agreement-file spelling: `"<n>w"`, `"<n>mo"` (n ≥ 1) or `"as-needed"`.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if s == "as-needed" {
            return Some(Cadence::AsNeeded);
        }
        let (n, unit) = if let Some(n) = s.strip_suffix("mo") {
            (n, Cadence::Months as fn(u32) -> Cadence)
        } else if let Some(n) = s.strip_suffix('w') {
            (n, Cadence::Weeks as fn(u32) -> Cadence)
        } else {
            return None;
        };
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u32 = n.parse().ok()?;
        (1..=24).contains(&n).then(|| unit(n))
    }
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
    /// On which weekday. Always set for a scheduled cadence (the agreement file gives it,
    /// as a reading where the text does not); none for [`Cadence::AsNeeded`].
    pub weekday: Option<Weekday>,
    /// Local wall-clock start in the agreement's zone; none for [`Cadence::AsNeeded`].
    pub time: Option<NaiveTime>,
    /// Agenda the reminder carries.
    pub agenda: Agenda,
    /// Clause of the text.
    pub clause: String,
    /// The reading chosen where the cadence is only approximate ("about four times a year").
    pub reading: Option<String>,
    /// Whether follow-up points are kept for it (answered before the next meeting).
    pub points: bool,
    /// Remarks.
    pub note: Option<String>,
}

impl Meeting {
    /// Whether it recurs (and so has occurrences and reminders).
    pub fn is_scheduled(&self) -> bool {
        self.cadence != Cadence::AsNeeded && self.weekday.is_some() && self.time.is_some()
    }
}

/// A follow-up point raised in a meeting: to be answered (commented on) before the next one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeetingPoint {
    /// Store-assigned number, unique per agreement.
    pub id: i64,
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
