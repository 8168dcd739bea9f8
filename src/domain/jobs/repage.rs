//! Re-paging an unacknowledged incident (PagerDuty's escalation policy, as the agreement's
//! readiness allows it): while nobody has acknowledged, the ladder level paged at opening is
//! paged again every interval of wall time, inside the hours of the readiness schedule, up to
//! the limit; then the next level is paged (the incident climbs to it) and re-paged the same
//! way, until the top of the ladder. An acknowledgement or a resolution stops it: the job
//! lapses, and acknowledging cancels what is planned.

use super::job::{Fired, Group, PlanError, Planned, Policy, Skip, schedule};
use crate::domain::agreement::Agreement;
use crate::domain::clock::ClockError;
use crate::domain::incident::{BotAction, Incident};
use crate::domain::schedule::Schedule;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A page of an unacknowledged incident (stored as the job's payload, `kind: repage`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// The ladder level paged, 1-based (the incident's level wins when it is higher).
    pub level: u32,
    /// 0: the climb to `level`, its first page; 1 to the limit: a re-page of that level.
    pub page: u32,
}

/// What a due page announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announce {
    /// The ladder level paged, 1-based.
    pub level: u32,
    /// 0: the incident climbed to this level; else the re-page's number at this level.
    pub page: u32,
    /// Re-pages at one level before the climb.
    pub limit: u32,
}

/// When the page after one at `after` falls: `every` seconds later, or the next opening of
/// the readiness schedule `s` when it is closed then.
pub fn next_page_at(s: &Schedule, every: i64, after: DateTime<Utc>) -> Result<DateTime<Utc>, ClockError> {
    s.next_open(after + Duration::seconds(every))
}

fn key(inc: &Incident, level: u32, page: u32) -> String {
    format!("{}/g{}/repage/l{level}/p{page}", inc.id(), inc.plan_generation())
}

/// The first re-page of `inc` as planned at `now` (its opening, or a replan): one interval
/// on, at the incident's level (level 1 when not escalated); nothing when the incident is
/// acknowledged or not active, or its priority has no re-paging.
pub fn plan(
    a: &Agreement,
    inc: &Incident,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Vec<Planned<Spec>>, PlanError> {
    let Some(r) = policy.repaging(a, inc.priority()) else {
        return Ok(vec![]);
    };
    if inc.acknowledged_at().is_some() || !inc.state().is_active() || a.escalation.levels.is_empty() {
        return Ok(vec![]);
    }
    let s = schedule(a, &r.schedule)?;
    let level = inc.escalation_level().max(1);
    Ok(vec![Planned {
        key: key(inc, level, 1),
        group: Group::Response,
        due_at: next_page_at(s, r.every, now)?,
        spec: Spec { level, page: 1 },
    }])
}

/// Fires the page `spec` of `inc`, planned for `planned_at` (a late one continues the cadence
/// from `now`): due while nobody acknowledged; then plans the next page, or the climb.
pub fn fire(
    a: &Agreement,
    inc: &Incident,
    policy: &Policy,
    spec: &Spec,
    planned_at: DateTime<Utc>,
    late: bool,
    now: DateTime<Utc>,
) -> Result<Fired<Announce, Spec>, PlanError> {
    if !inc.state().is_active() {
        return Ok(Fired::skip(Skip::NotActive));
    }
    if inc.acknowledged_at().is_some() {
        return Ok(Fired::skip(Skip::MilestoneMet));
    }
    let Some(r) = policy.repaging(a, inc.priority()) else {
        return Ok(Fired::skip(Skip::NoLongerInAgreement));
    };
    let top = a.escalation.levels.len() as u32;
    if top == 0 {
        return Ok(Fired::skip(Skip::NoLongerInAgreement));
    }
    let level = spec.level.max(inc.escalation_level()).clamp(1, top);
    let page = spec.page.min(r.limit);
    let role = a.escalation.levels[level as usize - 1].role.clone();
    let mut fired = Fired::post(
        Announce {
            level,
            page,
            limit: r.limit,
        },
        BotAction::Repaged { level, page, role },
    );
    let next = if page < r.limit {
        Some(Spec { level, page: page + 1 })
    } else if level < top {
        Some(Spec {
            level: level + 1,
            page: 0,
        })
    } else {
        None
    };
    if let Some(next) = next {
        let s = schedule(a, &r.schedule)?;
        let from = if late { now } else { planned_at };
        fired.next.push(Planned {
            key: key(inc, next.level, next.page),
            group: Group::Response,
            due_at: next_page_at(s, r.every, from)?,
            spec: next,
        });
    }
    Ok(fired)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::jobs::job::Decision;
    use crate::domain::test_support::{agreement, open, t};

    #[test]
    fn outside_readiness_the_next_page_waits_for_the_opening() {
        // Borger.dk's duty hours close at 22:00 on weekdays and open at 10:00 on Saturday.
        let a = agreement("borger-dk");
        let r = a.repaging_for("1").expect("P1 re-pages");
        let s = a.schedule(&r.schedule).expect("the duty schedule");
        let at = next_page_at(s, r.every, t("2026-11-20T21:55:00+01:00")).expect("opens");
        assert_eq!(at, t("2026-11-21T10:00:00+01:00"));
        let at = next_page_at(s, r.every, t("2026-11-20T12:00:00+01:00")).expect("open");
        assert_eq!(at, t("2026-11-20T12:00:00+01:00") + Duration::seconds(r.every));
    }

    #[test]
    fn a_page_lapses_once_acknowledged() {
        let a = agreement("difi");
        let mut inc = open("difi", "DIFI-2026-0001", "security", "2026-11-23T02:00:00+01:00");
        let p = Policy::default();
        let spec = Spec { level: 1, page: 1 };
        let at = t("2026-11-23T02:15:00+01:00");
        let f = fire(a, &inc, &p, &spec, at, false, at).expect("fires");
        assert!(matches!(f.decision, Decision::Post(Announce { level: 1, page: 1, .. })));
        inc.acknowledge("rita", at).expect("ack");
        let f = fire(a, &inc, &p, &spec, at, false, at).expect("fires");
        assert_eq!(f.decision, Decision::Skip(Skip::MilestoneMet));
        // The deployment turned it off: nothing is planned.
        let mut off = Policy::default();
        off.repaging.insert(
            "A".into(),
            super::super::job::RepagingOverride {
                every: None,
                limit: Some(0),
            },
        );
        let fresh = open("difi", "DIFI-2026-0001", "security", "2026-11-23T02:00:00+01:00");
        assert!(plan(a, &fresh, &off, at).expect("plans").is_empty());
        assert_eq!(plan(a, &fresh, &p, at).expect("plans").len(), 1);
    }
}
