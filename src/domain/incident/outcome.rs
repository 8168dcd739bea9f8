//! Milestones and their outcomes: the deadlines in force, when each milestone was met,
//! and the outcome recorded when it happened, with the priority it was settled under and
//! the deadline it was judged against (a later replan does not rewrite them).

use super::Incident;
use super::event::{Event, TimelineEntry, entry};
use super::state::Milestone;
use crate::domain::agreement::Agreement;
use crate::domain::classify::{ClassifyError, Deadline, Deadlines, deadlines_on};
use crate::domain::clock::BusinessDuration;
use crate::domain::ids::PriorityId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The outcome of one SLA milestone, as far as the incident itself knows it (wall time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The priority has no such target.
    NotApplicable,
    /// Not met yet, deadline ahead.
    Pending {
        /// The deadline.
        due: DateTime<Utc>,
    },
    /// Met at or before the deadline.
    MetOnTime {
        /// When it was met.
        at: DateTime<Utc>,
    },
    /// Met after the deadline.
    MetLate {
        /// When it was met.
        at: DateTime<Utc>,
        /// The deadline it missed.
        due: DateTime<Utc>,
    },
    /// Not met and the deadline has passed.
    Breached {
        /// The deadline it missed.
        due: DateTime<Utc>,
    },
}

impl Outcome {
    /// Whether the deadline was missed (met late or still breached).
    pub fn missed(self) -> bool {
        matches!(self, Outcome::MetLate { .. } | Outcome::Breached { .. })
    }
}

/// A milestone's outcome as it was recorded when it happened: the deadline in force then and
/// when it was met or breached. A later replan, reclassification or reopen does not rewrite it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    /// The deadline in force when the outcome was recorded.
    pub due: DateTime<Utc>,
    /// When the milestone was met, if it was.
    pub met_at: Option<DateTime<Utc>>,
    /// When the breach was recorded (the deadline passed unmet), if it was.
    pub breached_at: Option<DateTime<Utc>>,
    /// The ladder level the breach was announced at (its escalation climbs from there).
    #[serde(default)]
    pub base_level: u32,
}

impl Incident {
    /// The deadline of a milestone.
    pub fn due(&self, m: Milestone) -> Option<DateTime<Utc>> {
        match m {
            Milestone::Response => self.response_due,
            Milestone::Resolution => self.resolution_due,
        }
    }

    /// Whether a milestone is met.
    pub fn met(&self, m: Milestone) -> bool {
        match m {
            Milestone::Response => self.acknowledged_at.is_some() || !self.state.is_active(),
            Milestone::Resolution => !self.state.is_active(),
        }
    }

    /// When milestone `m` was met: the acknowledgement for the response (or the resolution
    /// when nobody acknowledged first), the resolution for the resolution.
    pub fn met_at(&self, m: Milestone) -> Option<DateTime<Utc>> {
        match m {
            Milestone::Response => self.acknowledged_at.or(self.resolved_at).or(self.closed_at),
            Milestone::Resolution => self.resolved_at.or(self.closed_at),
        }
    }

    /// The outcome of milestone `m` at `now`, in wall time. Business-time lateness needs the
    /// agreement's schedule and is computed where the schedule is at hand (the service's views).
    pub fn outcome(&self, m: Milestone, now: DateTime<Utc>) -> Outcome {
        let rec = self.recorded[m as usize];
        if let Some(Recorded {
            due, met_at: Some(at), ..
        }) = rec
        {
            return if at <= due {
                Outcome::MetOnTime { at }
            } else {
                Outcome::MetLate { at, due }
            };
        }
        if let Some(Recorded {
            due,
            breached_at: Some(_),
            ..
        }) = rec
            && !self.met(m)
        {
            return Outcome::Breached { due };
        }
        let Some(due) = self.due(m) else {
            return Outcome::NotApplicable;
        };
        match (self.met(m), self.met_at(m)) {
            (true, Some(at)) if at <= due => Outcome::MetOnTime { at },
            (true, Some(at)) => Outcome::MetLate { at, due },
            (true, None) => Outcome::MetOnTime { at: due },
            (false, _) if now > due => Outcome::Breached { due },
            (false, _) => Outcome::Pending { due },
        }
    }

    /// The outcome of milestone `m` as recorded when it happened, if it was.
    pub fn recorded(&self, m: Milestone) -> Option<Recorded> {
        self.recorded[m as usize]
    }

    /// The priority milestone `m` is judged under: the one in force when it was settled (met
    /// or breached), else (pending, or a row from before 0.3) the priority in force.
    pub fn judged_under(&self, m: Milestone) -> &PriorityId {
        let settled = self.recorded[m as usize].is_some_and(|r| r.met_at.is_some() || r.breached_at.is_some());
        match &self.settled_under[m as usize] {
            Some(p) if settled => p,
            _ => self.priority(),
        }
    }

    /// The deadline milestone `m` is judged against: the one recorded when it was settled,
    /// else the deadline in force.
    pub fn judged_due(&self, m: Milestone) -> Option<DateTime<Utc>> {
        match self.recorded[m as usize] {
            Some(r) if r.met_at.is_some() || r.breached_at.is_some() => Some(r.due),
            _ => self.due(m),
        }
    }

    /// Whether milestone `m`'s breach was recorded (and announced).
    pub fn breach_recorded(&self, m: Milestone) -> bool {
        self.recorded[m as usize].is_some_and(|r| r.breached_at.is_some())
    }

    /// Whether any milestone missed its deadline (met late, or breached).
    pub fn missed_any(&self, now: DateTime<Utc>) -> bool {
        [Milestone::Response, Milestone::Resolution]
            .into_iter()
            .any(|m| self.outcome(m, now).missed())
    }

    /// The deadlines in force: the priority's, counted from the original clock start, with
    /// the resolution deadline moved on by the time the incident stood resolved.
    pub fn deadlines_in_force(&self, a: &Agreement) -> Result<Deadlines, ClassifyError> {
        let mut d = deadlines_on(a, self.service(), self.priority(), self.reported_at)?;
        if self.resolution_paused > 0
            && let Some(r) = &mut d.resolution
        {
            let s = a
                .schedule(&r.schedule)
                .ok_or_else(|| ClassifyError::UnknownSchedule(r.schedule.clone()))?;
            r.at = s.add(r.at, BusinessDuration::Seconds(self.resolution_paused))?.deadline;
        }
        Ok(d)
    }

    /// The deadline in force of milestone `m` ([`Incident::deadlines_in_force`]), if its
    /// priority has that target.
    pub fn deadline_in_force(&self, a: &Agreement, m: Milestone) -> Result<Option<Deadline>, ClassifyError> {
        let d = self.deadlines_in_force(a)?;
        Ok(match m {
            Milestone::Response => d.response,
            Milestone::Resolution => d.resolution,
        })
    }

    pub(super) fn record_met(&mut self, m: Milestone, now: DateTime<Utc>, actor: &str) -> Option<TimelineEntry> {
        let due = self.recorded[m as usize].map(|r| r.due).or(self.due(m))?;
        let breached_at = self.recorded[m as usize].and_then(|r| r.breached_at);
        if self.recorded[m as usize].is_some_and(|r| r.met_at.is_some()) {
            return None;
        }
        let base_level = self.recorded[m as usize].map_or(0, |r| r.base_level);
        if breached_at.is_none() {
            self.settled_under[m as usize] = Some(self.priority().clone());
        }
        self.recorded[m as usize] = Some(Recorded {
            due,
            met_at: Some(now),
            breached_at,
            base_level,
        });
        Some(entry(now, actor, Event::MilestoneMet { milestone: m, due }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::*;
    use crate::domain::ids::PriorityId;
    use crate::domain::test_support::{agreement, t};
    use chrono::{DateTime, Utc};

    /// Outcomes across sequences of changes. SSBTEK priority 1 reported Friday 16:30 (the
    /// 20th): response due Friday 17:00 (30 min of support time), resolution Monday 15:30
    /// (8 h: 30 min Friday, 7 h 30 Monday from 08:00). Support hours are Mon–Fri 08:00–17:00.
    type Step = fn(&mut Incident, &Agreement) -> Result<Vec<TimelineEntry>, IncidentError>;

    /// The steps the outcome tables apply to SSBTEK's priority-1 incident.
    struct Steps {
        ack_on_time: Step,
        ack_late: Step,
        resolve_on_time: Step,
        resolve_late: Step,
        reopen: Step,
        lower: Step,
        to_2: Step,
        breach: Step,
    }

    fn steps() -> Steps {
        let ack_on_time: Step = |i, _| i.acknowledge("alice", t("2026-11-20T16:45:00+01:00"));
        let ack_late: Step = |i, _| i.acknowledge("alice", t("2026-11-23T09:00:00+01:00"));
        let resolve_on_time: Step = |i, _| i.resolve("alice", Resolution::Fix, None, t("2026-11-23T10:00:00+01:00"));
        let resolve_late: Step = |i, _| i.resolve("alice", Resolution::Fix, None, t("2026-11-23T16:00:00+01:00"));
        let reopen: Step = |i, a| i.reopen(a, "bob", "again", t("2026-11-23T11:00:00+01:00"));
        let lower: Step = |i, a| i.reclassify(a, "mona", facts("3"), true, Some("why"), t("2026-11-23T09:30:00+01:00"));
        let to_2: Step = |i, a| i.override_priority(a, "mona", "2", "one municipality", t("2026-11-23T09:30:00+01:00"));
        let breach: Step = |i, _| {
            Ok(i.record(
                &BotAction::Breached {
                    milestone: Milestone::Response,
                    due: t("2026-11-20T17:00:00+01:00"),
                    level: 1,
                    base: 1,
                    role: "support".into(),
                },
                t("2026-11-20T17:00:00+01:00"),
            ))
        };
        Steps {
            ack_on_time,
            ack_late,
            resolve_on_time,
            resolve_late,
            reopen,
            lower,
            to_2,
            breach,
        }
    }

    /// Applies each case's steps to a fresh incident and compares both outcomes at `now`.
    fn check(cases: Vec<(&str, Vec<Step>, Outcome, Outcome)>) {
        let a = agreement("ssbtek");
        let now = t("2026-11-23T12:00:00+01:00");
        for (name, steps, response, resolution) in cases {
            let (mut inc, _) = ssbtek_open();
            for step in steps {
                step(&mut inc, a).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            assert_eq!(
                (
                    inc.outcome(Milestone::Response, now),
                    inc.outcome(Milestone::Resolution, now)
                ),
                (response, resolution),
                "{name}"
            );
        }
    }

    #[test]
    fn outcome_table() {
        use Outcome::*;
        let Steps {
            ack_on_time,
            ack_late,
            resolve_on_time,
            resolve_late,
            breach,
            ..
        } = steps();
        let r_due = t("2026-11-20T17:00:00+01:00");
        let x_due = t("2026-11-23T15:30:00+01:00");
        let cases: Vec<(&str, Vec<Step>, Outcome, Outcome)> = vec![
            ("nothing yet", vec![], Breached { due: r_due }, Pending { due: x_due }),
            (
                "ack on time",
                vec![ack_on_time],
                MetOnTime {
                    at: t("2026-11-20T16:45:00+01:00"),
                },
                Pending { due: x_due },
            ),
            (
                "ack late",
                vec![ack_late],
                MetLate {
                    at: t("2026-11-23T09:00:00+01:00"),
                    due: r_due,
                },
                Pending { due: x_due },
            ),
            (
                "breach then ack",
                vec![breach, ack_late],
                MetLate {
                    at: t("2026-11-23T09:00:00+01:00"),
                    due: r_due,
                },
                Pending { due: x_due },
            ),
            (
                "resolve without ack meets both",
                vec![resolve_on_time],
                MetLate {
                    at: t("2026-11-23T10:00:00+01:00"),
                    due: r_due,
                },
                MetOnTime {
                    at: t("2026-11-23T10:00:00+01:00"),
                },
            ),
            (
                "resolve late",
                vec![ack_on_time, resolve_late],
                MetOnTime {
                    at: t("2026-11-20T16:45:00+01:00"),
                },
                MetLate {
                    at: t("2026-11-23T16:00:00+01:00"),
                    due: x_due,
                },
            ),
        ];
        check(cases);
    }

    /// Outcomes recorded before a reopen, a lowered priority or an override stay as recorded.
    #[test]
    fn outcome_table_after_replans() {
        use Outcome::*;
        let Steps {
            ack_on_time,
            ack_late,
            resolve_on_time,
            reopen,
            lower,
            to_2,
            breach,
            ..
        } = steps();
        let r_due = t("2026-11-20T17:00:00+01:00");
        let cases: Vec<(&str, Vec<Step>, Outcome, Outcome)> = vec![
            // Reopened at 11:00 after resolving at 10:00: one business hour paused, so the
            // resolution is due 16:30; the response outcome stays.
            (
                "resolve, reopen",
                vec![ack_on_time, resolve_on_time, reopen],
                MetOnTime {
                    at: t("2026-11-20T16:45:00+01:00"),
                },
                Pending {
                    due: t("2026-11-23T16:30:00+01:00"),
                },
            ),
            // A late response stays late when a manager lowers the priority to 3 (whose 8 h
            // response would have been met).
            (
                "ack late, lower",
                vec![ack_late, lower],
                MetLate {
                    at: t("2026-11-23T09:00:00+01:00"),
                    due: r_due,
                },
                Pending {
                    due: t("2026-11-27T16:30:00+01:00"),
                },
            ),
            // A recorded breach stays a breach after an override to 2 moves the deadline.
            (
                "breach, override",
                vec![breach, to_2],
                Breached { due: r_due },
                Pending {
                    due: t("2026-11-24T16:30:00+01:00"),
                },
            ),
        ];
        check(cases);
    }

    /// Issue 16, item 1: a settled milestone keeps the priority and deadline it was settled
    /// under; a pending one takes the deadline now in force. Inera, opened Monday
    /// 2026-11-23 09:00 as `partly_usable` (2 Hög: response 1 h → 10:00, resolution 4 h →
    /// 13:00, around the clock); raised to 1 Kritisk (response 30 min → 09:30, resolution
    /// 13:00) or lowered to 3 Medel (response 2 h of office hours 08–17 → 11:00, no
    /// resolution target).
    #[test]
    fn settled_milestones_keep_the_priority_they_were_judged_under() {
        use Outcome::*;
        type Step = (&'static str, &'static str);
        let a = agreement("inera");
        let p = |s: &str| PriorityId::new(s);
        // (name, steps, (response outcome, judged under, due shown), (resolution …))
        type Judged = (Outcome, PriorityId, Option<DateTime<Utc>>);
        let cases: Vec<(&str, Vec<Step>, Judged, Judged)> = vec![
            (
                "ack late, raise",
                vec![("ack", "10:15"), ("raise", "10:30")],
                (
                    MetLate {
                        at: t("2026-11-23T10:15:00+01:00"),
                        due: t("2026-11-23T10:00:00+01:00"),
                    },
                    p("2"),
                    Some(t("2026-11-23T10:00:00+01:00")),
                ),
                (
                    Pending {
                        due: t("2026-11-23T13:00:00+01:00"),
                    },
                    p("1"),
                    Some(t("2026-11-23T13:00:00+01:00")),
                ),
            ),
            (
                "ack on time under 2 (late under 1), raise",
                vec![("ack", "09:45"), ("raise", "10:00")],
                (
                    MetOnTime {
                        at: t("2026-11-23T09:45:00+01:00"),
                    },
                    p("2"),
                    Some(t("2026-11-23T10:00:00+01:00")),
                ),
                (
                    Pending {
                        due: t("2026-11-23T13:00:00+01:00"),
                    },
                    p("1"),
                    Some(t("2026-11-23T13:00:00+01:00")),
                ),
            ),
            (
                "ack late, lower",
                vec![("ack", "10:15"), ("lower", "10:30")],
                (
                    MetLate {
                        at: t("2026-11-23T10:15:00+01:00"),
                        due: t("2026-11-23T10:00:00+01:00"),
                    },
                    p("2"),
                    Some(t("2026-11-23T10:00:00+01:00")),
                ),
                (NotApplicable, p("3"), None),
            ),
            (
                "ack late, raise, resolve late",
                vec![("ack", "10:15"), ("raise", "10:30"), ("resolve", "13:30")],
                (
                    MetLate {
                        at: t("2026-11-23T10:15:00+01:00"),
                        due: t("2026-11-23T10:00:00+01:00"),
                    },
                    p("2"),
                    Some(t("2026-11-23T10:00:00+01:00")),
                ),
                (
                    MetLate {
                        at: t("2026-11-23T13:30:00+01:00"),
                        due: t("2026-11-23T13:00:00+01:00"),
                    },
                    p("1"),
                    Some(t("2026-11-23T13:00:00+01:00")),
                ),
            ),
            (
                "ack late, resolve, then raise",
                vec![("ack", "10:15"), ("resolve", "12:00"), ("raise", "12:30")],
                (
                    MetLate {
                        at: t("2026-11-23T10:15:00+01:00"),
                        due: t("2026-11-23T10:00:00+01:00"),
                    },
                    p("2"),
                    Some(t("2026-11-23T10:00:00+01:00")),
                ),
                (
                    MetOnTime {
                        at: t("2026-11-23T12:00:00+01:00"),
                    },
                    p("2"),
                    Some(t("2026-11-23T13:00:00+01:00")),
                ),
            ),
            (
                "raise before the ack: the new deadline judges it",
                vec![("raise", "09:10"), ("ack", "09:45")],
                (
                    MetLate {
                        at: t("2026-11-23T09:45:00+01:00"),
                        due: t("2026-11-23T09:30:00+01:00"),
                    },
                    p("1"),
                    Some(t("2026-11-23T09:30:00+01:00")),
                ),
                (
                    Pending {
                        due: t("2026-11-23T13:00:00+01:00"),
                    },
                    p("1"),
                    Some(t("2026-11-23T13:00:00+01:00")),
                ),
            ),
            (
                "breach under 2, raise, ack",
                vec![("breach", "10:00"), ("raise", "10:05"), ("ack", "10:20")],
                (
                    MetLate {
                        at: t("2026-11-23T10:20:00+01:00"),
                        due: t("2026-11-23T10:00:00+01:00"),
                    },
                    p("2"),
                    Some(t("2026-11-23T10:00:00+01:00")),
                ),
                (
                    Pending {
                        due: t("2026-11-23T13:00:00+01:00"),
                    },
                    p("1"),
                    Some(t("2026-11-23T13:00:00+01:00")),
                ),
            ),
        ];
        let now = t("2026-11-23T12:45:00+01:00");
        for (name, steps, response, resolution) in cases {
            let mut inc = crate::domain::test_support::open(
                "inera",
                "INE-2026-0001",
                "partly_usable",
                "2026-11-23T09:00:00+01:00",
            );
            for (step, hm) in steps {
                let at = t(&format!("2026-11-23T{hm}:00+01:00"));
                match step {
                    "ack" => inc.acknowledge("alice", at).map(drop),
                    "resolve" => inc.resolve("alice", Resolution::Fix, None, at).map(drop),
                    "raise" => inc
                        .reclassify(a, "mona", facts("unusable"), true, Some("test"), at)
                        .map(drop),
                    "lower" => inc
                        .reclassify(a, "mona", facts("few_users"), true, Some("test"), at)
                        .map(drop),
                    _ => {
                        inc.record(
                            &BotAction::Breached {
                                milestone: Milestone::Response,
                                due: at,
                                level: 1,
                                base: 1,
                                role: "first_line".into(),
                            },
                            at,
                        );
                        Ok(())
                    }
                }
                .unwrap_or_else(|e| panic!("{name}: {step}: {e}"));
            }
            let at = now.max(inc.resolved_at().unwrap_or(now));
            for (m, (outcome, under, due)) in [(Milestone::Response, response), (Milestone::Resolution, resolution)] {
                assert_eq!(inc.outcome(m, at), outcome, "{name}: {m:?} outcome");
                assert_eq!(inc.judged_under(m), &under, "{name}: {m:?} judged under");
                assert_eq!(inc.judged_due(m), due, "{name}: {m:?} deadline shown");
            }
        }
    }

    /// Incidents stored before 0.3 lack the priority a milestone was settled under: it reads
    /// as the priority in force, with the recorded deadline.
    #[test]
    fn older_rows_judge_under_the_priority_in_force() {
        let a = agreement("inera");
        let mut inc =
            crate::domain::test_support::open("inera", "INE-2026-0001", "partly_usable", "2026-11-23T09:00:00+01:00");
        inc.acknowledge("alice", t("2026-11-23T10:15:00+01:00")).expect("ack");
        inc.reclassify(a, "mona", facts("unusable"), true, None, t("2026-11-23T10:30:00+01:00"))
            .expect("raise");
        let mut json: serde_json::Value = serde_json::from_str(&bytes(&inc)).expect("json");
        json.as_object_mut().expect("object").remove("settled_under");
        let old: Incident = serde_json::from_value(json).expect("an older row reads");
        assert_eq!(old.judged_under(Milestone::Response).as_str(), "1");
        assert_eq!(
            old.judged_due(Milestone::Response),
            Some(t("2026-11-23T10:00:00+01:00"))
        );
    }
}
