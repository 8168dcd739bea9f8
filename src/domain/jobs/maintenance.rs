//! A maintenance window's reminders: one before it starts and one when it should have ended
//! (an overrun past the announced end counts as downtime, SSBTEK 4.6.1). Planned with the
//! window, in the same transaction; a cancelled window's reminders lapse.

use super::JobSpec;
use super::job::{Group, Planned, Skip};
use crate::domain::maintenance::MaintenanceWindow;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How long before a window starts its reminder is posted (or at once, when it is announced
/// later than that).
pub const REMIND_BEFORE: Duration = Duration::hours(24);

/// Which reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moment {
    /// Before the window starts.
    Before,
    /// At the announced end.
    End,
}

/// A reminder of a maintenance window (stored as the job's payload, `kind: maintenance`;
/// no incident).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// The window's number.
    pub window: i64,
    pub moment: Moment,
}

/// The reminders of window `id` of `agreement` from `start` to `end`, announced at `now`:
/// [`REMIND_BEFORE`] before the start (at once when that has passed, none when the window
/// has started), and at the end.
pub fn plan(
    agreement: &str,
    id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<Planned<JobSpec>> {
    let one = |moment: Moment, at: DateTime<Utc>| Planned {
        key: format!("maintenance/{agreement}/{id}/{moment:?}"),
        group: Group::Maintenance,
        due_at: at,
        spec: JobSpec::Maintenance(Spec { window: id, moment }),
    };
    let mut out = Vec::new();
    if start > now {
        out.push(one(Moment::Before, (start - REMIND_BEFORE).max(now)));
    }
    if end > now {
        out.push(one(Moment::End, end));
    }
    out
}

/// Whether the reminder is still due: not when the window was cancelled (or is gone).
pub fn fire(window: Option<&MaintenanceWindow>) -> Option<Skip> {
    match window {
        Some(w) if w.is_active() => None,
        _ => Some(Skip::WindowCancelled),
    }
}
