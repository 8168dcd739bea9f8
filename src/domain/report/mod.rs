//! The report engine: the weekly status-meeting summary, the monthly SLA report and Difi's
//! annual report, computed from an agreement, its incidents and a period. Pure and
//! synchronous; no wording (renderers in [`crate::render::report`] put the figures into
//! words, tables, CSV, JSON and a chart).
//!
//! # Public API
//! - Periods (from [`crate::domain::period`]): [`IsoWeekSpec`] (`2026-W47`), [`MonthSpec`] (`2026-10`),
//!   [`YearSpec`] (`2026`); each has `parse`, `Display`, `FromStr` and `bounds(tz)`
//!   (local midnight to local midnight, end exclusive).
//! - [`weekly()`]`(agreement, incidents, timelines, points, week, now) -> Result<WeeklyReport>`;
//!   `timelines` ([`Timelines`]) maps incident ids to their timelines (status updates posted
//!   and follow-ups posted are read from them; a missing timeline counts as nothing posted).
//! - [`monthly`]`(agreement, incidents, month, now) -> Result<MonthlyReport>`.
//! - [`annual`]`(agreement, incidents, year, now) -> Result<AnnualReport>`.
//! - Every report type is `Serialize + Deserialize + PartialEq + Clone`, deterministic for
//!   the same input, and has `sources()`: the sorted `(incident id, version)` pairs of
//!   every incident that appears in one of its figures.
//!
//! # Counting rules (chosen; the agreements do not say)
//! - **"Now".** A report is computed as of `as_of` = the end of the period or `now`,
//!   whichever is earlier: open incidents, time left and ongoing breaches are judged then;
//!   nothing after `as_of` is counted.
//! - **When a milestone counts.** Each milestone (response, resolution) of an incident
//!   counts once, in the period in which its outcome was *settled*: a milestone met on time
//!   is settled when it was met; a missed milestone (met late, or not met) is settled when
//!   its deadline passed. So a late response counts as *outside* target in the period of its
//!   deadline, and an incident reported in one month and resolved in the next counts its
//!   response in the first and its resolution in the second (the month boundary is the
//!   agreement's local midnight). A milestone still pending at `as_of` is not counted
//!   (it appears among the open incidents of the weekly summary).
//! - **Outcomes** are the incident's own ([`Incident::outcome`]): judged against the
//!   deadline in force when the milestone was met or breached.
//! - **Reopen.** A reopen voids a resolution that was on time (the incident model forgets it;
//!   the resolution clock resumes without the time it stood resolved), so the resolution is
//!   counted once, when finally settled — a report of the earlier period regenerated after
//!   the reopen no longer counts it there (its `sources` show the changed version). A
//!   resolution that was already missed stays missed and stays counted at its deadline.
//! - **Priority.** A settled milestone (met, or breached) counts under the priority in
//!   force when it was settled, judged against that priority's deadline: an incident
//!   acknowledged late as 2 and then raised to 1 counts a late response under 2 (its breach
//!   row says 2 and the 2 deadline), and its resolution under 1. Deadlines are recomputed
//!   from the original clock start on a change; a pending milestone is judged against the
//!   deadline now in force. Incidents stored before 0.3 did not keep the priority a
//!   milestone was settled at: theirs count under the priority in force. Opened and
//!   resolved incidents are listed under the priority in force.
//! - **Times** (median, 90th percentile, max) are business seconds on the target's
//!   schedule from the report (clock start) to the milestone, for milestones *met* within
//!   the period; a resolution's time leaves out the business time the incident stood
//!   resolved before a reopen. Percentiles are nearest-rank (the median of an even count is
//!   the lower middle value).
//! - **Compliance** = within ÷ (within + outside) × 100 per milestone, per priority and
//!   overall; compared with the agreement's goal per priority where the agreement sets it
//!   for each category ([`GoalScope::EachPriority`], Borger.dk 8 for resolution), else
//!   overall. No counted milestone: no percentage.
//! - **Escalated / security incidents** of a period are the incidents *concerned* by it
//!   (reported in it, resolved in it, or with a milestone counted in it) whose escalation
//!   level is above 0 / that are security incidents.
//! - **Breach amounts** are the time from the deadline to the milestone (or to `as_of` when
//!   still unmet), in business seconds on the target's schedule and in wall seconds; the
//!   escalation level is the incident's (one level per incident).

mod figures;
mod value;
mod weekly;

pub use crate::domain::period::{IsoWeekSpec, MonthSpec, PeriodError, YearSpec};
pub use figures::{
    AnnualReport, Breach, CaseTypeFigures, ComplianceFigure, Figures, FollowUpFigures, FollowUpSettled, MonthlyReport,
    PriorityFigures, TimeStats, annual, monthly,
};
pub use value::ReportValue;
pub use weekly::{
    ComingItem, ComingKind, FollowUpItem, OpenIncident, PointItem, StatusUpdates, TimeLeft, Timelines, WEEKLY_EVENTS,
    WeeklyReport, WindowItem, weekly,
};

use crate::domain::agreement::GoalScope;
use crate::domain::classify::ClassifyError;
use crate::domain::clock::ClockError;
use crate::domain::ids::IncidentId;
use crate::domain::incident::Incident;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Why a report could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportError {
    /// A business-clock computation failed (a time outside the supported years).
    #[error(transparent)]
    Clock(#[from] ClockError),
    /// A deadline computation failed (an agreement inconsistent with its incidents).
    #[error(transparent)]
    Classify(#[from] ClassifyError),
}

/// One incident a report was computed from, at the version it had.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Source {
    /// Incident id.
    pub incident: IncidentId,
    /// Its store version when read.
    pub version: i64,
}

/// Collects the incidents a report mentions, for its `sources`.
#[derive(Default)]
pub(crate) struct SourceSet<'a> {
    by_id: BTreeMap<&'a str, &'a Incident>,
    used: BTreeSet<&'a str>,
}

impl<'a> SourceSet<'a> {
    pub(crate) fn new(incidents: &'a [&'a Incident]) -> Self {
        SourceSet {
            by_id: incidents.iter().map(|i| (i.id().as_str(), *i)).collect(),
            used: BTreeSet::new(),
        }
    }

    pub(crate) fn note(&mut self, id: &'a IncidentId) {
        self.used.insert(id.as_str());
    }

    pub(crate) fn sources(&self) -> Vec<Source> {
        self.used
            .iter()
            .filter_map(|id| self.by_id.get(id))
            .map(|i| Source {
                incident: i.id().clone(),
                version: i.version(),
            })
            .collect()
    }
}

pub(crate) fn goal_for(scope: GoalScope, goal: Option<f64>, per_priority: bool) -> Option<f64> {
    match (scope, per_priority) {
        (GoalScope::EachPriority, true) | (GoalScope::Overall, false) => goal,
        _ => None,
    }
}
