//! Planning of an incident's durable jobs: pre-breach warnings, breach escalations up the
//! ladder, status updates on the agreement's cadence, follow-ups, and recurring jobs from cron
//! expressions. Pure: given the agreement, the incident, the policy and `now`, it returns
//! job specifications with idempotency keys; the store and scheduler make them durable.
//!
//! # Rules
//! - Warnings fall at fractions of each target's business time (default 50 %, 75 %, 90 %),
//!   on the target's own schedule. Warnings already in the past when planned are skipped. A
//!   warning less than the floor (`warning_floor`, wall time; 10 minutes unless configured,
//!   0 turns it off) after the one kept before it collapses into that one: it is not planned.
//!   One warning of a target is planned at a time, the first still ahead; each warning that
//!   posts plans the next (see `jobs::warning`).
//! - Escalation level 1 falls at the breach; level k at the breach plus (k − 1) escalation
//!   intervals of business time on the target's schedule, until the ladder ends. Levels
//!   already reached are not planned again; levels whose time already passed when planned
//!   (after a priority change) collapse into one escalation, now, to the highest of them.
//! - Status updates: the next one is due one interval after the previous (or the opening).
//!   Windows are half-open: an update due exactly at a window's closing minute (22:00 for
//!   Borger.dk) is outside it. Outside the windows the agreement's rule applies:
//!   `next-open` → the next opening; `next-day HH:MM` → that local time on the morning after
//!   the window closed, or the next opening if that comes first.
//! - Re-paging (agreements that set it, for an unacknowledged incident): the first re-page
//!   one interval after the opening (or the replan), inside the readiness schedule's hours;
//!   each page plans the next (see `jobs::repage`).
//! - Keys embed the incident id, the plan generation and the slot, so a replan after a
//!   priority change never collides with jobs of the old plan.
//! - Recurring jobs: the next cron time strictly after the previous one, in the agreement's
//!   zone (croner: a time in a DST gap fires once at the first instant after it, a time in a
//!   fold fires once); a next time is never in the past of the previous one.

use super::agreement::{Agreement, FollowFrom, FollowUp};
use super::incident::{Incident, Milestone};
use super::jobs::job::schedule;
use super::jobs::{escalation, follow_up, notify, repage, status, warning};
use super::schedule::Schedule;
use chrono::{DateTime, Utc};

pub use super::jobs::escalation::escalation_time;
pub use super::jobs::recurring::{CronError, CronSpec};
pub use super::jobs::status::next_status_at;
pub use super::jobs::{Group, JobKind, JobSpec, Lifecycle, PlanError, Planned, Policy, RepagingOverride};

/// Immediate notifications for a newly opened incident (due at `now`).
pub fn plan_notifications(a: &Agreement, inc: &Incident, now: DateTime<Utc>) -> Vec<Planned> {
    a.notifications
        .iter()
        .enumerate()
        .filter(|(_, n)| n.priorities.iter().any(|p| p == inc.priority()))
        .map(|(i, n)| Planned {
            key: format!("{}/g{}/notify{i}", inc.id(), inc.plan_generation()),
            group: Group::Notify,
            due_at: now,
            spec: JobSpec::Notify(notify::Spec {
                notification: Some(i),
                whole_ladder: n.to == super::agreement::NotifyWhom::Ladder,
                level: None,
                reason: None,
                legacy_text: None,
            }),
        })
        .collect()
}

/// Plans the milestone jobs (warnings, escalations) of an active incident, its follow-ups
/// counted from opening, and the first re-page while nobody acknowledged it.
pub fn plan_milestones(
    a: &Agreement,
    inc: &Incident,
    p: &Policy,
    now: DateTime<Utc>,
) -> Result<Vec<Planned>, PlanError> {
    let mut out = Vec::new();
    if !inc.state().is_active() {
        return Ok(out);
    }
    let d = inc.deadlines_in_force(a)?;
    let g = inc.plan_generation();
    for (m, dl, grp) in [
        (Milestone::Response, d.response, Group::Response),
        (Milestone::Resolution, d.resolution, Group::Resolution),
    ] {
        let Some(dl) = dl else { continue };
        if inc.met(m) {
            continue;
        }
        // One warning at a time: the first point still ahead; each plans the next.
        out.extend(warning::next_of(a, inc, p, m, &dl, 0, now)?.map(|w| w.map(JobSpec::from)));
        let s = schedule(a, &dl.schedule)?;
        if a.escalation.levels.is_empty() {
            continue;
        }
        // One escalation job at a time: the breach (step 1) at the deadline; each firing
        // plans the next step (see `jobs::escalation`). A replan after the breach was
        // recorded continues the climb one interval from now.
        let (step, at) = if inc.breach_recorded(m) {
            let step = inc
                .escalation_level()
                .saturating_sub(inc.recorded(m).map_or(1, |r| r.base_level.max(1)))
                + 2;
            (step, s.add(now, p.escalation_interval)?.deadline)
        } else {
            (1, dl.at.max(now))
        };
        out.push(Planned {
            key: format!("{}/g{g}/{}/esc{step}", inc.id(), m.as_str()),
            group: grp,
            due_at: at,
            spec: JobSpec::Escalation(escalation::Spec {
                milestone: m,
                level: step,
                role: String::new(),
                deadline: Some(dl.at),
            }),
        });
    }
    for f in a
        .follow_ups
        .iter()
        .filter(|f| f.from == FollowFrom::Opened && f.owed(inc.priority(), &inc.facts().impact))
    {
        let s = schedule(a, &f.schedule)?;
        let at = s.add(inc.reported_at(), f.after)?.deadline;
        let key = format!("{}/g{g}/follow/{}", inc.id(), f.id);
        let group = if f.unless_resolved {
            Group::WhileOpen
        } else {
            Group::FromOpen
        };
        out.extend(follow_up_jobs(f, s, inc.reported_at(), at, &key, group)?);
    }
    out.extend(repage::plan(a, inc, p, now)?.into_iter().map(|r| r.map(JobSpec::from)));
    Ok(out)
}

/// The next status update of an active incident after the one at `last` (or the opening),
/// numbered `seq`, if its priority has a cadence (see [`status::plan_status`]).
pub fn plan_status(a: &Agreement, inc: &Incident, last: DateTime<Utc>, seq: u32) -> Result<Option<Planned>, PlanError> {
    Ok(status::plan_status(a, inc, last, seq)?.map(|p| p.map(JobSpec::from)))
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
        .filter(|f| f.from == FollowFrom::Resolved && f.owed(inc.priority(), &inc.facts().impact))
    {
        let s = schedule(a, &f.schedule)?;
        let at = s.add(resolved_at, f.after)?.deadline;
        let key = format!(
            "{}/g{}/resolved{}/follow/{}",
            inc.id(),
            inc.plan_generation(),
            resolved_at.timestamp(),
            f.id
        );
        out.extend(follow_up_jobs(f, s, resolved_at, at, &key, Group::AfterResolved)?);
    }
    Ok(out)
}

/// A follow-up's jobs: the announcement its lead time ahead (key `…/early`), if it has one,
/// and the one at its deadline `at`, counted from `start`.
fn follow_up_jobs(
    f: &FollowUp,
    s: &Schedule,
    start: DateTime<Utc>,
    at: DateTime<Utc>,
    key: &str,
    group: Group,
) -> Result<Vec<Planned>, PlanError> {
    let spec = |due| JobSpec::FollowUp(follow_up::Spec { id: f.id.clone(), due });
    let mut out = Vec::with_capacity(2);
    if let Some(early) = f.announce_at(s, start)?.filter(|e| *e < at) {
        out.push(Planned {
            key: format!("{key}/early"),
            group,
            due_at: early,
            spec: spec(Some(at)),
        });
    }
    out.push(Planned {
        key: key.to_string(),
        group,
        due_at: at,
        spec: spec(None),
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::agreement::Provenance;
    use crate::domain::agreement::{Outside, StatusCadence};
    use crate::domain::clock::BusinessDuration;
    use crate::domain::incident::Resolution;
    use crate::domain::schedule::Schedule;
    use crate::domain::test_support::{agreement, open, t};
    use chrono_tz::Tz;

    /// (key, due) pairs, in planning order.
    fn keyed(p: &[Planned]) -> Vec<(String, DateTime<Utc>)> {
        p.iter().map(|p| (p.key.clone(), p.due_at)).collect()
    }

    /// `planned` with each warning followed by those its chain plans as each fires on time:
    /// every warning point the plan leads to, in planning order.
    fn with_chains(a: &Agreement, inc: &Incident, p: &Policy, planned: Vec<Planned>) -> Vec<Planned> {
        let mut out = Vec::new();
        for job in planned {
            let mut next = Some(job);
            while let Some(j) = next.take() {
                if let JobSpec::Warning(s) = &j.spec {
                    let fired = warning::fire(a, inc, p, s, j.due_at).expect("fires");
                    next = fired.next.into_iter().next().map(|n| n.map(JobSpec::from));
                }
                out.push(j);
            }
        }
        out
    }

    fn borger_updates() -> (&'static Schedule, &'static StatusCadence) {
        let a = agreement("borger-dk");
        let c = a.cadence_for("1").expect("P1 has a status cadence");
        assert_eq!(c.outside, Outside::NextDayAt(crate::domain::time::Minute(8 * 60)));
        assert_eq!(c.every, 3600);
        (schedule(a, &c.schedule).expect("schedule"), c)
    }

    #[test]
    fn borger_dk_status_cadence_next_day_0800() {
        let (s, c) = borger_updates();
        // Windows: weekdays 08:00–22:00, weekends 10:00–20:00 (Copenhagen), half-open.
        let table = [
            // Friday evening: 22:30 is outside; 08:00 Saturday comes before the 10:00 opening.
            ("2026-11-20T21:30:00+01:00", "2026-11-21T08:00:00+01:00"),
            ("2026-11-20T20:59:00+01:00", "2026-11-20T21:59:00+01:00"),
            // Exactly 22:00 is the closing minute: outside.
            ("2026-11-20T21:00:00+01:00", "2026-11-21T08:00:00+01:00"),
            ("2026-11-20T21:59:00+01:00", "2026-11-21T08:00:00+01:00"),
            // Saturday 08:00 → 09:00 is closed; the next opening (10:00) comes before Sunday 08:00.
            ("2026-11-21T08:00:00+01:00", "2026-11-21T10:00:00+01:00"),
            ("2026-11-21T09:30:00+01:00", "2026-11-21T10:30:00+01:00"),
            ("2026-11-21T10:00:00+01:00", "2026-11-21T11:00:00+01:00"),
            ("2026-11-21T18:59:00+01:00", "2026-11-21T19:59:00+01:00"),
            // 20:00 is the weekend closing minute: Sunday 08:00 (before Sunday's 10:00 opening).
            ("2026-11-21T19:00:00+01:00", "2026-11-22T08:00:00+01:00"),
            // A status in the middle of the night: 08:00 the same morning.
            ("2026-11-21T02:00:00+01:00", "2026-11-21T08:00:00+01:00"),
            ("2026-11-22T08:00:00+01:00", "2026-11-22T10:00:00+01:00"),
            // Sunday evening → Monday 08:00, which is also Monday's opening.
            ("2026-11-22T19:30:00+01:00", "2026-11-23T08:00:00+01:00"),
            ("2026-11-23T07:30:00+01:00", "2026-11-23T08:30:00+01:00"),
            ("2026-11-23T21:00:00+01:00", "2026-11-24T08:00:00+01:00"),
            // DST: Saturday evening before spring forward → Sunday 08:00 CEST.
            ("2026-03-28T19:00:00+01:00", "2026-03-29T08:00:00+02:00"),
            // Saturday evening before fall back → Sunday 08:00 CET.
            ("2026-10-24T19:00:00+02:00", "2026-10-25T08:00:00+01:00"),
            // A public holiday is not special: Christmas Day (Friday) has weekday windows.
            ("2026-12-25T12:00:00+01:00", "2026-12-25T13:00:00+01:00"),
        ];
        for (last, want) in table {
            assert_eq!(next_status_at(s, c, t(last)).expect("next"), t(want), "after {last}");
        }
    }

    #[test]
    fn next_open_cadence_waits_for_the_opening() {
        let (s, c) = borger_updates();
        let c = StatusCadence {
            outside: Outside::NextOpen,
            prov: Provenance::default(),
            ..c.clone()
        };
        let table = [
            ("2026-11-20T21:30:00+01:00", "2026-11-21T10:00:00+01:00"),
            ("2026-11-20T21:00:00+01:00", "2026-11-21T10:00:00+01:00"),
            ("2026-11-20T20:00:00+01:00", "2026-11-20T21:00:00+01:00"),
            ("2026-11-21T19:00:00+01:00", "2026-11-22T10:00:00+01:00"),
            ("2026-11-22T19:30:00+01:00", "2026-11-23T08:00:00+01:00"),
            ("2026-11-23T06:00:00+01:00", "2026-11-23T08:00:00+01:00"),
        ];
        for (last, want) in table {
            assert_eq!(next_status_at(s, &c, t(last)).expect("next"), t(want), "after {last}");
        }
        // Altinn's A cadence runs on the 24/7 platform schedule: always one hour on.
        let a = agreement("altinn");
        let c = a.cadence_for("A").expect("A has a cadence");
        assert_eq!(c.outside, Outside::NextOpen);
        let s = schedule(a, &c.schedule).expect("schedule");
        for last in [
            "2026-06-10T13:00:00+02:00",
            "2026-12-24T23:30:00+01:00",
            "2026-03-29T01:30:00+01:00",
        ] {
            let want = t(last) + chrono::Duration::hours(1);
            assert_eq!(next_status_at(s, c, t(last)).expect("next"), want, "after {last}");
        }
    }

    #[test]
    fn plan_status_is_keyed_by_generation_and_sequence() {
        let a = agreement("borger-dk");
        let mut inc = open("borger-dk", "BDK-2026-0001", "unavailable", "2026-11-20T21:30:00+01:00");
        let p = plan_status(a, &inc, inc.reported_at(), 1)
            .expect("plan")
            .expect("P1 has a cadence");
        assert_eq!(p.key, "BDK-2026-0001/g0/status1");
        assert_eq!(p.group, Group::Status);
        assert_eq!(p.due_at, t("2026-11-21T08:00:00+01:00"));
        assert_eq!(p.spec, JobSpec::StatusUpdate(status::Spec { seq: 1 }));
        inc.set_plan_generation(4);
        let p = plan_status(a, &inc, p.due_at, 2).expect("plan").expect("cadence");
        assert_eq!(
            (p.key.as_str(), p.due_at),
            ("BDK-2026-0001/g4/status2", t("2026-11-21T10:00:00+01:00"))
        );
        // No cadence for priority 2; none once resolved.
        let p2 = open("borger-dk", "BDK-2026-0002", "functions", "2026-11-20T21:30:00+01:00");
        assert_eq!(p2.priority(), "2");
        assert_eq!(plan_status(a, &p2, p2.reported_at(), 1).expect("plan"), None);
        inc.resolve("mette", Resolution::Fix, None, t("2026-11-21T09:00:00+01:00"))
            .expect("resolve");
        assert_eq!(plan_status(a, &inc, inc.reported_at(), 1).expect("plan"), None);
    }

    fn ssbtek_p1() -> Incident {
        let inc = open("ssbtek", "SSB-2026-0001", "1", "2026-11-20T16:30:00+01:00");
        assert_eq!(inc.priority(), "1");
        inc
    }

    #[test]
    fn ssbtek_kritisk_friday_afternoon_milestones() {
        let a = agreement("ssbtek");
        let inc = ssbtek_p1();
        let planned = plan_milestones(a, &inc, &Policy::default(), inc.reported_at()).expect("plan");
        // One warning per target is planned; its chain leads to the rest.
        let first: Vec<String> = keyed(&planned).into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            first,
            [
                "SSB-2026-0001/g0/response/warn50",
                "SSB-2026-0001/g0/response/esc1",
                "SSB-2026-0001/g0/resolution/warn50",
                "SSB-2026-0001/g0/resolution/esc1",
            ]
        );
        let p = with_chains(a, &inc, &Policy::default(), planned);
        let want = [
            // 30 min response on support hours from 16:30: 50 % and 90 %; 75 % (16:52:30)
            // lies less than the 10-minute floor after 50 % and collapses into it.
            ("SSB-2026-0001/g0/response/warn50", "2026-11-20T16:45:00+01:00"),
            ("SSB-2026-0001/g0/response/warn90", "2026-11-20T16:57:00+01:00"),
            // Breach at 17:00 (the next step is planned when it fires).
            ("SSB-2026-0001/g0/response/esc1", "2026-11-20T17:00:00+01:00"),
            // 8 h resolution: 30 min on Friday, 7 h 30 on Monday.
            ("SSB-2026-0001/g0/resolution/warn50", "2026-11-23T11:30:00+01:00"),
            ("SSB-2026-0001/g0/resolution/warn75", "2026-11-23T13:30:00+01:00"),
            ("SSB-2026-0001/g0/resolution/warn90", "2026-11-23T14:42:00+01:00"),
            ("SSB-2026-0001/g0/resolution/esc1", "2026-11-23T15:30:00+01:00"),
        ];
        let want: Vec<(String, DateTime<Utc>)> = want.iter().map(|(k, at)| (k.to_string(), t(at))).collect();
        assert_eq!(keyed(&p), want);
        let response_due = t("2026-11-20T17:00:00+01:00");
        assert_eq!(
            p[1].spec,
            JobSpec::Warning(warning::Spec {
                milestone: Milestone::Response,
                percent: 90,
                deadline: response_due
            })
        );
        assert_eq!(
            p[2].spec,
            JobSpec::Escalation(escalation::Spec {
                milestone: Milestone::Response,
                level: 1,
                role: String::new(),
                deadline: Some(response_due),
            })
        );
        assert!(p[..3].iter().all(|j| j.group == Group::Response));
        assert!(p[3..].iter().all(|j| j.group == Group::Resolution));
        // The breach plans the next level one business hour later: Monday 09:00.
        let fired = crate::domain::jobs::escalation::fire(
            a,
            &inc,
            &Policy::default(),
            Milestone::Response,
            1,
            Some(response_due),
            response_due,
        )
        .expect("fires");
        assert_eq!(
            keyed(
                &fired
                    .next
                    .iter()
                    .cloned()
                    .map(|p| p.map(JobSpec::from))
                    .collect::<Vec<_>>()
            ),
            [(
                "SSB-2026-0001/g0/response/esc2".to_string(),
                t("2026-11-23T09:00:00+01:00")
            )]
        );
    }

    #[test]
    fn a_floor_of_zero_keeps_every_warning() {
        let a = agreement("ssbtek");
        let inc = ssbtek_p1();
        let off = Policy {
            warning_floor: 0,
            ..Policy::default()
        };
        let warnings = |p: &Policy| -> Vec<String> {
            with_chains(
                a,
                &inc,
                p,
                plan_milestones(a, &inc, p, inc.reported_at()).expect("plan"),
            )
            .into_iter()
            .filter(|j| j.key.contains("/response/warn"))
            .map(|j| j.key)
            .collect()
        };
        assert_eq!(warnings(&off).len(), 3);
        assert_eq!(warnings(&Policy::default()).len(), 2);
    }

    #[test]
    fn milestone_keys_carry_the_generation() {
        let a = agreement("ssbtek");
        let mut inc = ssbtek_p1();
        let g0 = plan_milestones(a, &inc, &Policy::default(), inc.reported_at()).expect("plan");
        inc.set_plan_generation(3);
        let g3 = plan_milestones(a, &inc, &Policy::default(), inc.reported_at()).expect("plan");
        assert_eq!(g0.len(), g3.len());
        for (x, y) in g0.iter().zip(&g3) {
            assert!(x.key.contains("/g0/"), "{}", x.key);
            assert_eq!(y.key, x.key.replace("/g0/", "/g3/"));
            assert_eq!((x.due_at, &x.spec), (y.due_at, &y.spec));
        }
    }

    #[test]
    fn past_warnings_and_reached_levels_are_skipped() {
        let a = agreement("ssbtek");
        let mut inc = ssbtek_p1();
        let keys = |inc: &Incident, now: &str| -> Vec<String> {
            let p = Policy::default();
            with_chains(a, inc, &p, plan_milestones(a, inc, &p, t(now)).expect("plan"))
                .into_iter()
                .map(|p| p.key.rsplit_once("/g0/").map(|(_, k)| k.to_string()).unwrap_or(p.key))
                .collect()
        };
        // 16:50: the 50 % response warning (16:45) is past; 75 % (16:52:30) still collapses
        // into it (closer than the floor), 90 % (16:57) does not.
        assert_eq!(
            keys(&inc, "2026-11-20T16:50:00+01:00"),
            [
                "response/warn90",
                "response/esc1",
                "resolution/warn50",
                "resolution/warn75",
                "resolution/warn90",
                "resolution/esc1",
            ]
        );
        // Exactly at a warning's time it is past too (only later ones are planned).
        assert!(!keys(&inc, "2026-11-20T16:45:00+01:00").contains(&"response/warn50".to_string()));
        // Monday 12:00, the response breach recorded at level 1: no response warnings; the
        // climb continues with level 2 one interval from now.
        inc.record(
            &crate::domain::incident::BotAction::Breached {
                milestone: Milestone::Response,
                due: t("2026-11-20T17:00:00+01:00"),
                level: 1,
                base: 1,
                role: "support".into(),
            },
            t("2026-11-20T17:00:00+01:00"),
        );
        assert_eq!(
            keys(&inc, "2026-11-23T12:00:00+01:00"),
            [
                "response/esc2",
                "resolution/warn75",
                "resolution/warn90",
                "resolution/esc1",
            ]
        );
        // Acknowledged: the response milestone is met.
        inc.acknowledge("alice", t("2026-11-23T12:00:00+01:00")).expect("ack");
        assert_eq!(
            keys(&inc, "2026-11-23T12:00:00+01:00"),
            ["resolution/warn75", "resolution/warn90", "resolution/esc1"]
        );
        // Resolved: nothing.
        inc.resolve("alice", Resolution::Fix, None, t("2026-11-23T12:30:00+01:00"))
            .expect("resolve");
        assert!(keys(&inc, "2026-11-23T12:30:00+01:00").is_empty());
    }

    #[test]
    fn escalation_interval_and_warn_points_follow_the_policy() {
        let a = agreement("ssbtek");
        let inc = ssbtek_p1();
        let p = Policy {
            warn_percents: vec![0, 25, 100],
            escalation_interval: BusinessDuration::Seconds(20 * 60),
            ..Policy::default()
        };
        let planned = plan_milestones(a, &inc, &p, inc.reported_at()).expect("plan");
        let got: Vec<(String, DateTime<Utc>)> = keyed(&planned).into_iter().take(2).collect();
        assert_eq!(
            got,
            [
                (
                    "SSB-2026-0001/g0/response/warn25".to_string(),
                    t("2026-11-20T16:37:30+01:00")
                ),
                (
                    "SSB-2026-0001/g0/response/esc1".to_string(),
                    t("2026-11-20T17:00:00+01:00")
                ),
            ]
        );
        // 20 business minutes after Friday 17:00 is Monday 08:20.
        let due = t("2026-11-20T17:00:00+01:00");
        let fired =
            crate::domain::jobs::escalation::fire(a, &inc, &p, Milestone::Response, 1, Some(due), due).expect("fires");
        assert_eq!(fired.next[0].due_at, t("2026-11-23T08:20:00+01:00"));
    }

    #[test]
    fn follow_ups_and_notifications() {
        // Inera Prio 1 at 03:00 Saturday: ETA follow-up 4 h later, lapsing if resolved.
        let a = agreement("inera");
        let inc = open("inera", "INE-2026-0001", "unusable", "2026-11-21T03:00:00+01:00");
        let p = plan_milestones(a, &inc, &Policy::default(), inc.reported_at()).expect("plan");
        let eta = p
            .iter()
            .find(|j| j.key == "INE-2026-0001/g0/follow/eta")
            .expect("eta follow-up");
        assert_eq!(eta.due_at, t("2026-11-21T07:00:00+01:00"));
        assert_eq!(eta.group, Group::WhileOpen);
        assert!(plan_notifications(a, &inc, inc.reported_at()).is_empty());

        // Altinn A: immediate ping to the first ladder level; feedback 1 h after resolution.
        let a = agreement("altinn");
        let mut inc = open("altinn", "ALT-2026-0001", "unavailable", "2026-06-10T13:00:00+02:00");
        let n = plan_notifications(a, &inc, inc.reported_at());
        assert_eq!(n.len(), 1);
        assert_eq!(
            (n[0].key.as_str(), n[0].group, n[0].due_at),
            ("ALT-2026-0001/g0/notify0", Group::Notify, inc.reported_at())
        );
        assert!(matches!(
            &n[0].spec,
            JobSpec::Notify(notify::Spec {
                notification: Some(0),
                whole_ladder: false,
                level: None,
                ..
            })
        ));
        let resolved = t("2026-06-10T17:20:00+02:00");
        inc.resolve("kari", Resolution::Fix, None, resolved).expect("resolve");
        let f = plan_after_resolved(a, &inc, resolved).expect("plan");
        // Announced a quarter of its hour ahead, then due.
        let key = format!("ALT-2026-0001/g0/resolved{}/follow/feedback", resolved.timestamp());
        assert_eq!(
            keyed(&f),
            [
                (format!("{key}/early"), t("2026-06-10T18:05:00+02:00")),
                (key, t("2026-06-10T18:20:00+02:00"))
            ]
        );
        assert!(f.iter().all(|j| j.group == Group::AfterResolved));
        assert!(matches!(
            &f[0].spec,
            JobSpec::FollowUp(follow_up::Spec { due: Some(d), .. }) if *d == t("2026-06-10T18:20:00+02:00")
        ));
        assert!(matches!(
            &f[1].spec,
            JobSpec::FollowUp(follow_up::Spec { due: None, .. })
        ));

        // Borger.dk P1: "back up" at once and the review report 14 calendar days later.
        let a = agreement("borger-dk");
        let inc = open("borger-dk", "BDK-2026-0001", "unavailable", "2026-11-20T21:30:00+01:00");
        let resolved = t("2026-11-23T13:40:00+01:00");
        let f = plan_after_resolved(a, &inc, resolved).expect("plan");
        let due: Vec<DateTime<Utc>> = f.iter().map(|j| j.due_at).collect();
        // "Back up" has no interval to announce ahead in; the 14-day report is announced
        // three whole days ahead (a quarter of 14 days, rounded down to days).
        assert_eq!(
            due,
            [resolved, t("2026-12-04T13:40:00+01:00"), t("2026-12-07T13:40:00+01:00")]
        );
        let p = plan_milestones(a, &inc, &Policy::default(), inc.reported_at()).expect("plan");
        let downtime = p
            .iter()
            .find(|j| j.key.ends_with("/follow/downtime_1h"))
            .expect("follow-up");
        assert_eq!(downtime.due_at, t("2026-11-20T22:30:00+01:00"));
    }

    #[test]
    fn a_follow_up_is_announced_its_lead_time_ahead() {
        // Altinn's feedback, an hour after the resolution: a quarter of it (15 min) ahead by
        // default; 10 min with `lead = "10m"`; none with a lead not shorter than the hour.
        let a = agreement("altinn");
        let mut inc = open("altinn", "ALT-2026-0001", "unavailable", "2026-06-10T13:00:00+02:00");
        let resolved = t("2026-06-10T17:20:00+02:00");
        inc.resolve("kari", Resolution::Fix, None, resolved).expect("resolve");
        let early: Vec<DateTime<Utc>> = plan_after_resolved(a, &inc, resolved)
            .expect("plan")
            .iter()
            .filter(|j| j.key.ends_with("/early"))
            .map(|j| j.due_at)
            .collect();
        assert_eq!(early, [t("2026-06-10T18:05:00+02:00")]);
        let mut f = a
            .follow_ups
            .iter()
            .find(|f| f.id == "feedback")
            .expect("feedback")
            .clone();
        let s = schedule(a, &f.schedule).expect("schedule");
        f.lead = Some(BusinessDuration::Seconds(600));
        assert_eq!(
            f.announce_at(s, resolved).expect("clock"),
            Some(t("2026-06-10T18:10:00+02:00"))
        );
        f.lead = Some(BusinessDuration::Seconds(3600));
        assert_eq!(f.announce_at(s, resolved).expect("clock"), None);
    }

    fn stockholm() -> Tz {
        chrono_tz::Europe::Stockholm
    }

    #[test]
    fn cron_across_the_dst_nights_in_stockholm() {
        let c = CronSpec::parse("30 2 * * *").expect("cron");
        let tz = stockholm();
        // Spring forward 2026-03-29 02:00 → 03:00: 02:30 does not exist; it fires once, at
        // the first instant after the gap (03:00 CEST = 01:00Z), then normally.
        let chain = |from: &str, n: usize| {
            let mut at = t(from);
            let mut out = Vec::new();
            for _ in 0..n {
                at = c.next_after(tz, at).expect("a next time");
                out.push(at);
            }
            out
        };
        assert_eq!(
            chain("2026-03-28T02:30:00+01:00", 3),
            [
                t("2026-03-29T01:00:00Z"),
                t("2026-03-30T00:30:00Z"),
                t("2026-03-31T00:30:00Z")
            ]
        );
        // Fall back 2026-10-25 03:00 → 02:00: 02:30 happens twice; it fires once, at the
        // first (CEST, 00:30Z), then 02:30 CET the next day.
        assert_eq!(
            chain("2026-10-24T02:30:00+02:00", 3),
            [
                t("2026-10-25T00:30:00Z"),
                t("2026-10-26T01:30:00Z"),
                t("2026-10-27T01:30:00Z")
            ]
        );
        // Asked from inside the fold (the second 02:10, CET) it does not fire again that night.
        assert_eq!(
            c.next_after(tz, t("2026-10-25T01:10:00Z")),
            Some(t("2026-10-26T01:30:00Z"))
        );
        assert_eq!(
            c.next_after(tz, t("2026-10-25T00:10:00Z")),
            Some(t("2026-10-25T00:30:00Z"))
        );
        // Strictly after: a fire time itself gives the next one.
        assert_eq!(
            c.next_after(tz, t("2026-10-25T00:30:00Z")),
            Some(t("2026-10-26T01:30:00Z"))
        );
    }

    #[test]
    fn cron_next_after_is_always_later() {
        let tz = stockholm();
        let nights = [
            ("2026-03-28T22:00:00Z", "2026-03-29T04:00:00Z"),
            ("2026-10-24T22:00:00Z", "2026-10-25T04:00:00Z"),
        ];
        for expr in [
            "30 2 * * *",
            "0 2 * * *",
            "0 3 * * *",
            "*/15 * * * *",
            "0 * * * *",
            "59 1 * * *",
            "15 2 * * 0",
            "0 0 * * *",
            "30 15 2 * * *",
        ] {
            let c = CronSpec::parse(expr).expect("cron");
            for (from, to) in nights {
                let (mut at, end) = (t(from), t(to));
                while at < end {
                    for probe in [at, at + chrono::Duration::seconds(30)] {
                        match c.next_after(tz, probe) {
                            Some(next) => assert!(next > probe, "{expr}: next_after({probe}) = {next}"),
                            None => panic!("{expr}: next_after({probe}) = None"),
                        }
                    }
                    at += chrono::Duration::minutes(1);
                }
                // Walking the chain through the night fires each fixed time at most once.
                let mut at = t(from);
                let mut fires = Vec::new();
                while let Some(next) = c.next_after(tz, at) {
                    if next > end {
                        break;
                    }
                    fires.push(next);
                    at = next;
                }
                let mut local: Vec<String> = fires
                    .iter()
                    .map(|f| f.with_timezone(&tz).format("%d %H:%M:%S").to_string())
                    .collect();
                let n = local.len();
                local.dedup();
                if !expr.starts_with("*/") && !expr.starts_with("0 * ") {
                    assert_eq!(local.len(), n, "{expr}: a local time fired twice: {fires:?}");
                }
            }
        }
        assert!(CronSpec::parse("61 * * * *").is_err());
        assert!(CronSpec::parse("every day").is_err());
    }
}
