//! Planning of an incident's durable jobs: pre-breach warnings, breach escalations up the
//! ladder, status updates on the agreement's cadence, follow-ups, and recurring jobs from cron
//! expressions. Pure: given the agreement, the incident, the policy and `now`, it returns
//! job specifications with idempotency keys; the store and scheduler make them durable.
//!
//! # Rules
//! - Warnings fall at fractions of each target's business time (default 50 %, 75 %, 90 %),
//!   on the target's own schedule. Warnings already in the past when planned are skipped.
//! - Escalation level 1 falls at the breach; level k at the breach plus (k − 1) escalation
//!   intervals of business time on the target's schedule, until the ladder ends. Levels
//!   already reached are not planned again.
//! - Status updates: the next one is due one interval after the previous (or the opening).
//!   Windows are half-open: an update due exactly at a window's closing minute (22:00 for
//!   Borger.dk) is outside it. Outside the windows the agreement's rule applies:
//!   `next-open` → the next opening; `next-day HH:MM` → that local time on the morning after
//!   the window closed, or the next opening if that comes first.
//! - Keys embed the incident id, the plan generation and the slot, so a replan after a
//!   priority change never collides with jobs of the old plan.
//! - Recurring jobs: the next cron time strictly after the previous one, in the agreement's
//!   zone (croner: a time in a DST gap fires once at the first instant after it, a time in a
//!   fold fires once); a next time is never in the past of the previous one.

use super::agreement::{Agreement, FollowFrom, Outside, StatusCadence};
use super::classify::{ClassifyError, deadlines};
use super::clock::{BusinessDuration, ClockError};
use super::incident::{Incident, Milestone};
use super::schedule::Schedule;
use super::time::{at_minute, local_date};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Deployment policy for planning.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Warning points in percent of each target.
    pub warn_percents: Vec<u32>,
    /// Business time between escalation levels.
    pub escalation_interval: BusinessDuration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            warn_percents: vec![50, 75, 90],
            escalation_interval: BusinessDuration::Seconds(3600),
        }
    }
}

/// What a job does, with its data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobSpec {
    /// A pre-breach warning to the responders.
    Warning {
        /// Milestone.
        milestone: Milestone,
        /// Percent used.
        percent: u32,
        /// The deadline.
        deadline: DateTime<Utc>,
    },
    /// Escalation to a ladder level after a breach.
    Escalation {
        /// Milestone.
        milestone: Milestone,
        /// Level, 1-based.
        level: u32,
        /// Abstract role.
        role: String,
    },
    /// A periodic status update.
    StatusUpdate {
        /// Sequence number, from 1.
        seq: u32,
    },
    /// A follow-up from the agreement.
    FollowUp {
        /// Follow-up id.
        id: String,
        /// What is due.
        what: String,
    },
    /// An immediate notification (the agreement's "announce by phone").
    Notify {
        /// What to say.
        what: String,
        /// Ping every ladder level, not only the first.
        whole_ladder: bool,
    },
    /// A recurring job.
    Recurring {
        /// Name.
        name: String,
    },
}

impl JobSpec {
    /// The kind name stored with the job.
    pub fn kind(&self) -> &'static str {
        match self {
            JobSpec::Warning { .. } => "warning",
            JobSpec::Escalation { .. } => "escalation",
            JobSpec::StatusUpdate { .. } => "status_update",
            JobSpec::FollowUp { .. } => "follow_up",
            JobSpec::Notify { .. } => "notify",
            JobSpec::Recurring { .. } => "recurring",
        }
    }
}

/// Cancellation groups.
pub mod group {
    /// Response warnings and escalations.
    pub const RESPONSE: &str = "response";
    /// Resolution warnings and escalations.
    pub const RESOLUTION: &str = "resolution";
    /// Status updates.
    pub const STATUS: &str = "status";
    /// Follow-ups counted from opening that lapse when resolved.
    pub const WHILE_OPEN: &str = "while_open";
    /// Follow-ups counted from opening that stay.
    pub const FROM_OPEN: &str = "from_open";
    /// Follow-ups counted from resolution.
    pub const AFTER_RESOLVED: &str = "after_resolved";
    /// Immediate notifications.
    pub const NOTIFY: &str = "notify";
    /// Recurring jobs.
    pub const RECURRING: &str = "recurring";
}

/// A planned job.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    /// Idempotency key.
    pub key: String,
    /// Cancellation group.
    pub group: &'static str,
    /// When.
    pub due_at: DateTime<Utc>,
    /// What.
    pub spec: JobSpec,
}

/// Why planning failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// Deadline computation failed.
    #[error(transparent)]
    Classify(#[from] ClassifyError),
    /// Clock arithmetic failed.
    #[error(transparent)]
    Clock(#[from] ClockError),
    /// A schedule named by the agreement is missing.
    #[error("unknown schedule \"{0}\"")]
    UnknownSchedule(String),
}

fn schedule<'a>(a: &'a Agreement, name: &str) -> Result<&'a Schedule, PlanError> {
    a.schedule(name)
        .map(|s| s.as_ref())
        .ok_or_else(|| PlanError::UnknownSchedule(name.to_string()))
}

/// Immediate notifications for a newly opened incident (due at `now`).
pub fn plan_notifications(a: &Agreement, inc: &Incident, now: DateTime<Utc>) -> Vec<Planned> {
    a.notifications
        .iter()
        .enumerate()
        .filter(|(_, n)| n.priorities.iter().any(|p| p == inc.priority()))
        .map(|(i, n)| Planned {
            key: format!("{}/g{}/notify{i}", inc.id, inc.plan_generation),
            group: group::NOTIFY,
            due_at: now,
            spec: JobSpec::Notify {
                what: format!("{} (clause {})", n.what, n.prov.source),
                whole_ladder: n.to == super::agreement::NotifyWhom::Ladder,
            },
        })
        .collect()
}

/// Plans the milestone jobs (warnings, escalations) of an active incident, and its
/// follow-ups counted from opening.
pub fn plan_milestones(
    a: &Agreement,
    inc: &Incident,
    p: &Policy,
    now: DateTime<Utc>,
) -> Result<Vec<Planned>, PlanError> {
    let mut out = Vec::new();
    if !inc.state.is_active() {
        return Ok(out);
    }
    let d = deadlines(a, inc.priority(), inc.reported_at)?;
    let g = inc.plan_generation;
    for (m, dl, grp) in [
        (Milestone::Response, d.response, group::RESPONSE),
        (Milestone::Resolution, d.resolution, group::RESOLUTION),
    ] {
        let Some(dl) = dl else { continue };
        if inc.met(m) {
            continue;
        }
        let s = schedule(a, &dl.schedule)?;
        let total = s.between(dl.clock_start, dl.at)?;
        for &pct in &p.warn_percents {
            if pct == 0 || pct >= 100 {
                continue;
            }
            let at = s
                .add(dl.clock_start, BusinessDuration::Seconds(total * i64::from(pct) / 100))?
                .deadline;
            if at > now {
                out.push(Planned {
                    key: format!("{}/g{g}/{}/warn{pct}", inc.id, m.as_str()),
                    group: grp,
                    due_at: at,
                    spec: JobSpec::Warning {
                        milestone: m,
                        percent: pct,
                        deadline: dl.at,
                    },
                });
            }
        }
        let reached = inc.escalated[m as usize];
        for (i, level) in a.escalation.levels.iter().enumerate() {
            let k = i as u32 + 1;
            if k <= reached {
                continue;
            }
            let at = if k == 1 {
                dl.at
            } else {
                escalation_time(s, dl.at, p.escalation_interval, k - 1)?
            };
            out.push(Planned {
                key: format!("{}/g{g}/{}/esc{k}", inc.id, m.as_str()),
                group: grp,
                due_at: at,
                spec: JobSpec::Escalation {
                    milestone: m,
                    level: k,
                    role: level.role.clone(),
                },
            });
        }
    }
    for f in a
        .follow_ups
        .iter()
        .filter(|f| f.from == FollowFrom::Opened && f.priorities.iter().any(|x| x == inc.priority()))
    {
        let s = schedule(a, &f.schedule)?;
        let at = s.add(inc.reported_at, f.after)?.deadline;
        out.push(Planned {
            key: format!("{}/g{g}/follow/{}", inc.id, f.id),
            group: if f.unless_resolved {
                group::WHILE_OPEN
            } else {
                group::FROM_OPEN
            },
            due_at: at,
            spec: JobSpec::FollowUp {
                id: f.id.clone(),
                what: f.what.clone(),
            },
        });
    }
    Ok(out)
}

fn escalation_time(
    s: &Schedule,
    breach: DateTime<Utc>,
    interval: BusinessDuration,
    times: u32,
) -> Result<DateTime<Utc>, ClockError> {
    let mut t = breach;
    for _ in 0..times {
        t = s.add(t, interval)?.deadline;
    }
    Ok(t)
}

/// The next status update of an active incident after the one at `last` (or the opening),
/// numbered `seq`, if its priority has a cadence.
pub fn plan_status(a: &Agreement, inc: &Incident, last: DateTime<Utc>, seq: u32) -> Result<Option<Planned>, PlanError> {
    if !inc.state.is_active() {
        return Ok(None);
    }
    let Some(c) = a.cadence_for(inc.priority()) else {
        return Ok(None);
    };
    let s = schedule(a, &c.schedule)?;
    let at = next_status_at(s, c, last)?;
    Ok(Some(Planned {
        key: format!("{}/g{}/status{seq}", inc.id, inc.plan_generation),
        group: group::STATUS,
        due_at: at,
        spec: JobSpec::StatusUpdate { seq },
    }))
}

/// When the status update after one at `last` is due, by the module's rules.
pub fn next_status_at(s: &Schedule, c: &StatusCadence, last: DateTime<Utc>) -> Result<DateTime<Utc>, ClockError> {
    let candidate = last + chrono::Duration::seconds(c.every);
    if s.is_open(candidate)? {
        return Ok(candidate);
    }
    let reopen = s.next_open(candidate)?;
    match c.outside {
        Outside::NextOpen => Ok(reopen),
        Outside::NextDayAt(m) => {
            let closed = s.last_close_before(candidate)?.unwrap_or(last).max(last);
            let mut date = local_date(s.tz, closed);
            let mut at = at_minute(s.tz, date, m);
            while at <= closed {
                date = date.succ_opt().ok_or(ClockError::OutOfRange)?;
                at = at_minute(s.tz, date, m);
            }
            Ok(at.min(reopen))
        }
    }
}

/// Follow-ups due after a resolution at `resolved_at`.
pub fn plan_after_resolved(
    a: &Agreement,
    inc: &Incident,
    resolved_at: DateTime<Utc>,
) -> Result<Vec<Planned>, PlanError> {
    let mut out = Vec::new();
    for f in a
        .follow_ups
        .iter()
        .filter(|f| f.from == FollowFrom::Resolved && f.priorities.iter().any(|x| x == inc.priority()))
    {
        let s = schedule(a, &f.schedule)?;
        let at = s.add(resolved_at, f.after)?.deadline;
        out.push(Planned {
            key: format!("{}/resolved{}/follow/{}", inc.id, resolved_at.timestamp(), f.id),
            group: group::AFTER_RESOLVED,
            due_at: at,
            spec: JobSpec::FollowUp {
                id: f.id.clone(),
                what: f.what.clone(),
            },
        });
    }
    Ok(out)
}

/// A parsed cron expression (five fields, minute first; or six with seconds).
#[derive(Debug, Clone)]
pub struct CronSpec(croner::Cron);

/// Why a cron expression is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid cron expression \"{expr}\": {why}")]
pub struct CronError {
    /// The expression.
    pub expr: String,
    /// Why.
    pub why: String,
}

impl CronSpec {
    /// Parses `min hour dom month dow` (or with a leading seconds field).
    pub fn parse(expr: &str) -> Result<Self, CronError> {
        croner::parser::CronParser::builder()
            .seconds(croner::parser::Seconds::Optional)
            .build()
            .parse(expr)
            .map(CronSpec)
            .map_err(|e| CronError {
                expr: expr.to_string(),
                why: e.to_string(),
            })
    }

    /// The first fire time strictly after `after`, in zone `tz`.
    pub fn next_after(&self, tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = after.with_timezone(&tz);
        let next = self.0.find_next_occurrence(&local, false).ok()?.with_timezone(&Utc);
        // Guard: never return a time that is not after `after`.
        if next > after { Some(next) } else { None }
    }
}
