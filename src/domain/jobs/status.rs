//! Periodic status updates: due while the incident is active and not snoozed (a snoozed one
//! is skipped, and the cadence goes on); the next one is planned from
//! the time this one was planned for (anchored: a late post does not shift the cadence), past
//! the slots that already went by during downtime.

use super::job::{Fired, Group, JobContext, PlanError, Planned, Skip, schedule};
use crate::domain::agreement::{Agreement, Outside, StatusCadence};
use crate::domain::clock::ClockError;
use crate::domain::incident::{BotAction, Incident, LatestFields};
use crate::domain::schedule::Schedule;
use crate::domain::time::{at_minute, local_date};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A periodic status update (stored as the job's payload, `kind: status_update`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// Sequence number, from 1.
    pub seq: u32,
}

/// What a due status update announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announce {
    /// Its number.
    pub seq: u32,
    /// The last human update (note, acknowledgement, resolution, reopen), or the report.
    pub since: DateTime<Utc>,
    /// Whether to remind the lead (or the responders) to post an update.
    pub remind: bool,
    /// Reminders in a row, this one included, that no human update answered (0: no reminder).
    pub unanswered: u32,
    /// This reminder reaches the policy's limit: the managers are told, once.
    pub tell_managers: bool,
    /// Past the limit: the reminder is posted but pings nobody.
    pub quiet: bool,
    /// The latest structured fields a person gave, each with when.
    pub latest: LatestFields,
    /// When the update is posted (the fields' age is counted to it).
    pub at: DateTime<Utc>,
}

/// The next status update of an active incident after the one at `last` (or the opening),
/// numbered `seq`, if its priority has a cadence.
pub fn plan_status(
    a: &Agreement,
    inc: &Incident,
    last: DateTime<Utc>,
    seq: u32,
) -> Result<Option<Planned<Spec>>, PlanError> {
    if !inc.state().is_active() {
        return Ok(None);
    }
    let Some(c) = a.cadence_for(inc.priority()) else {
        return Ok(None);
    };
    let s = schedule(a, &c.schedule)?;
    let at = next_status_at(s, c, last)?;
    Ok(Some(Planned {
        key: format!("{}/g{}/status{seq}", inc.id(), inc.plan_generation()),
        group: Group::Status,
        due_at: at,
        spec: Spec { seq },
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

/// Fires status update number `seq`. While the incident is snoozed it is skipped (the
/// cadence goes on). After `quiet_after` reminders in a row that no human update answered
/// (0: never), the managers are told once and the reminders after it ping nobody, until a
/// human update breaks the run.
pub fn fire(
    a: &Agreement,
    inc: &Incident,
    job: &JobContext,
    seq: u32,
    quiet_after: u32,
    now: DateTime<Utc>,
) -> Result<Fired<Announce, Spec>, PlanError> {
    if !inc.state().is_active() {
        return Ok(Fired::skip(Skip::NotActive));
    }
    // "Since the last human update": a note, the acknowledgement, the resolution or a
    // reopen — never the bot's own posts. Remind when none came since the previous status.
    let since = inc.last_human_at();
    let remind = since <= inc.last_status_at().unwrap_or(inc.reported_at());
    let unanswered = if remind { inc.unanswered_reminders() + 1 } else { 0 };
    let mut fired = if inc.snoozed_at(now) {
        Fired::skip(Skip::Snoozed)
    } else {
        Fired::post(
            Announce {
                seq,
                since,
                remind,
                unanswered,
                tell_managers: quiet_after > 0 && unanswered == quiet_after,
                quiet: quiet_after > 0 && unanswered > quiet_after,
                latest: inc.latest_fields().clone(),
                at: now,
            },
            BotAction::StatusPosted {
                seq,
                reminded_lead: remind,
            },
        )
    };
    // The cadence is anchored to the plan: the next update follows the time this one was
    // planned for, not the time it ran, so a late post does not shift the ones after it.
    // After downtime, slots already past are passed over (one update, not one per hour).
    let mut next = plan_status(a, inc, job.planned_at, seq + 1)?;
    for _ in 0..100_000 {
        match &next {
            Some(p) if p.due_at <= now => next = plan_status(a, inc, p.due_at, seq + 1)?,
            _ => break,
        }
    }
    fired.next = next.into_iter().collect();
    Ok(fired)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::incident::Resolution;
    use crate::domain::jobs::job::Decision;
    use crate::domain::jobs::job::test_support::on_time;
    use crate::domain::test_support::{agreement, borger_p1, t};

    #[test]
    fn due_late_and_lapsed() {
        let a = agreement("borger-dk");
        let mut inc = borger_p1("2026-11-23T09:00:00+01:00");
        let planned = t("2026-11-23T10:00:00+01:00");
        // Due, on time: reminds (no human note yet); the next is an hour after the plan.
        let f = fire(a, &inc, &on_time(Group::Status, planned), 1, 3, planned).expect("fires");
        assert!(matches!(
            f.decision,
            Decision::Post(Announce {
                seq: 1,
                remind: true,
                ..
            })
        ));
        assert_eq!(f.next.len(), 1);
        assert_eq!(f.next[0].due_at, t("2026-11-23T11:00:00+01:00"));
        // Late (fired 10:20 after downtime): the cadence stays anchored to the plan.
        let late = JobContext {
            late: true,
            ..on_time(Group::Status, planned)
        };
        let f = fire(a, &inc, &late, 1, 3, t("2026-11-23T10:20:00+01:00")).expect("fires");
        assert_eq!(f.next[0].due_at, t("2026-11-23T11:00:00+01:00"));
        // Very late (13:20): the slots already past are passed over.
        let f = fire(a, &inc, &late, 1, 3, t("2026-11-23T13:20:00+01:00")).expect("fires");
        assert_eq!(f.next[0].due_at, t("2026-11-23T14:00:00+01:00"));
        // A human note after the last status: no reminder.
        inc.record(f.action.as_ref().expect("action"), t("2026-11-23T10:20:00+01:00"));
        inc.add_update("rita", "rebooting", t("2026-11-23T10:30:00+01:00"))
            .expect("note");
        let f = fire(a, &inc, &on_time(Group::Status, planned), 2, 3, planned).expect("fires");
        assert!(matches!(f.decision, Decision::Post(Announce { remind: false, .. })));
        // Lapsed: resolved.
        inc.resolve("rita", Resolution::Fix, None, t("2026-11-23T10:40:00+01:00"))
            .expect("resolve");
        let f = fire(a, &inc, &on_time(Group::Status, planned), 3, 3, planned).expect("fires");
        assert_eq!(f.decision, Decision::Skip(Skip::NotActive));
        assert!(f.next.is_empty());
    }
}
