//! The incident: its facts, computed priority and reasons, optional manual override, state
//! machine (open → acknowledged → resolved → closed, with reopen), deadlines, and the
//! append-only timeline of everything that happened to it.
//!
//! Every transition is a method that either changes the incident and returns the timeline
//! entries it produced, or returns an error and changes nothing. Deadlines are always
//! computed from the original report time (so from the original clock start), also when the
//! priority or the facts change later.

use super::agreement::Agreement;
use super::classify::{ClassifyError, Facts, Reason, classify, deadlines};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an incident is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Reported, nobody has taken it yet.
    Open,
    /// A responder has acknowledged it (the response milestone).
    Acknowledged,
    /// Fixed or worked around (the resolution milestone).
    Resolved,
    /// Done; no more work.
    Closed,
}

impl State {
    /// Lower-case name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Acknowledged => "acknowledged",
            State::Resolved => "resolved",
            State::Closed => "closed",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "open" => State::Open,
            "acknowledged" => State::Acknowledged,
            "resolved" => State::Resolved,
            "closed" => State::Closed,
            _ => return None,
        })
    }

    /// Whether the incident still needs work (open or acknowledged).
    pub fn is_active(self) -> bool {
        matches!(self, State::Open | State::Acknowledged)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The two SLA milestones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// Response: met by acknowledging.
    Response,
    /// Resolution: met by resolving.
    Resolution,
}

impl Milestone {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Milestone::Response => "response",
            Milestone::Resolution => "resolution",
        }
    }
}

/// A manager's manual priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// The priority set.
    pub priority: String,
    /// Who set it.
    pub by: String,
    /// Why.
    pub reason: String,
}

/// How an incident was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Fixed.
    Fix,
    /// A workaround is in place.
    Workaround,
}

/// One thing that happened to an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// Reported.
    Opened {
        /// Title.
        title: String,
    },
    /// Classified by the agreement's rules.
    Classified {
        /// Priority.
        priority: String,
        /// Timing class.
        timing: Option<String>,
        /// Reasons, readable.
        reasons: Vec<String>,
    },
    /// Deadlines set or recomputed.
    Deadlines {
        /// Response deadline.
        response_due: Option<DateTime<Utc>>,
        /// Resolution deadline.
        resolution_due: Option<DateTime<Utc>>,
        /// Whether this is a recomputation (from the original clock start).
        recomputed: bool,
    },
    /// A responder acknowledged it.
    Acknowledged,
    /// A human status note.
    StatusUpdate {
        /// The note.
        note: String,
    },
    /// The bot posted a periodic status update.
    StatusPosted {
        /// Sequence number.
        seq: u32,
        /// Whether the lead was reminded to write an update.
        reminded_lead: bool,
    },
    /// The facts changed.
    FactsChanged {
        /// New facts.
        facts: Facts,
    },
    /// The priority changed.
    PriorityChanged {
        /// Before.
        from: String,
        /// After.
        to: String,
        /// Why (reasons, or the manager's reason).
        reason: String,
        /// Set by hand (override).
        manual: bool,
    },
    /// Escalated to a level of the ladder.
    Escalated {
        /// Which milestone slipped (none for a manual escalation).
        milestone: Option<Milestone>,
        /// Ladder level, 1-based.
        level: u32,
        /// Abstract role.
        role: String,
        /// By hand.
        manual: bool,
        /// Why (manual escalations).
        reason: Option<String>,
    },
    /// A pre-breach warning was sent.
    WarningSent {
        /// Milestone.
        milestone: Milestone,
        /// Percent of the target used.
        percent: u32,
    },
    /// A follow-up from the agreement fell due.
    FollowUpDue {
        /// Follow-up id.
        id: String,
        /// What is due.
        what: String,
    },
    /// Resolved.
    Resolved {
        /// Fix or workaround.
        how: Resolution,
        /// Note.
        note: Option<String>,
    },
    /// Reopened.
    Reopened {
        /// Why.
        reason: String,
    },
    /// Closed.
    Closed,
}

/// A timeline entry: who did what when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (a user id, or `vakt` for the bot).
    pub actor: String,
    /// What.
    pub event: Event,
}

/// An incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Human id, `SSB-2026-0042`.
    pub id: String,
    /// Agreement id.
    pub agreement: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Who reported it.
    pub reporter: String,
    /// The classification facts.
    pub facts: Facts,
    /// Priority computed from the facts.
    pub computed_priority: String,
    /// Timing class at clock start.
    pub timing: Option<String>,
    /// Why.
    pub reasons: Vec<Reason>,
    /// A manager's override.
    pub priority_override: Option<Override>,
    /// State.
    pub state: State,
    /// Report time (the clocks start from here, or the next opening).
    pub reported_at: DateTime<Utc>,
    /// Response deadline.
    pub response_due: Option<DateTime<Utc>>,
    /// Resolution deadline.
    pub resolution_due: Option<DateTime<Utc>>,
    /// When acknowledged.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// When resolved (latest).
    pub resolved_at: Option<DateTime<Utc>>,
    /// When closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// The incident lead (the acknowledging responder, by default).
    pub lead: Option<String>,
    /// Latest human status note.
    pub last_note: Option<String>,
    /// When the latest human status note came.
    pub last_note_at: Option<DateTime<Utc>>,
    /// Highest ladder level escalated to, per milestone (response, resolution).
    pub escalated: [u32; 2],
    /// Bumped whenever the job plan is replaced (priority change, reopen).
    pub plan_generation: u32,
    /// Optimistic-concurrency version, bumped by the store on every write.
    pub version: i64,
}

/// Why a change to an incident was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IncidentError {
    /// Not allowed in the current state.
    #[error("cannot {action} an incident that is {state}")]
    IllegalTransition {
        /// What was attempted.
        action: &'static str,
        /// Current state.
        state: State,
    },
    /// Classification or deadline computation failed.
    #[error(transparent)]
    Classify(#[from] ClassifyError),
    /// The priority does not exist in the agreement.
    #[error("unknown priority \"{priority}\" (known: {known})")]
    UnknownPriority {
        /// Given.
        priority: String,
        /// Known ids.
        known: String,
    },
    /// A required text is empty.
    #[error("{0} must not be empty")]
    Empty(&'static str),
}

fn entry(at: DateTime<Utc>, actor: &str, event: Event) -> TimelineEntry {
    TimelineEntry {
        at,
        actor: actor.to_string(),
        event,
    }
}

/// What is needed to open an incident.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIncident {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Reporter.
    pub reporter: String,
    /// Facts.
    pub facts: Facts,
    /// Report time.
    pub reported_at: DateTime<Utc>,
}

impl Incident {
    /// The id for sequence number `seq` of `year`.
    pub fn make_id(prefix: &str, year: i32, seq: u32) -> String {
        format!("{prefix}-{year}-{seq:04}")
    }

    /// Opens and classifies an incident.
    pub fn open(a: &Agreement, id: String, new: NewIncident) -> Result<(Incident, Vec<TimelineEntry>), IncidentError> {
        if new.title.trim().is_empty() {
            return Err(IncidentError::Empty("the title"));
        }
        let c = classify(a, &new.facts, new.reported_at)?;
        let d = deadlines(a, &c.priority, new.reported_at)?;
        let at = new.reported_at;
        let inc = Incident {
            id,
            agreement: a.id.clone(),
            title: new.title.trim().to_string(),
            description: new.description,
            reporter: new.reporter.clone(),
            facts: new.facts,
            computed_priority: c.priority.clone(),
            timing: c.timing.clone(),
            reasons: c.reasons.clone(),
            priority_override: None,
            state: State::Open,
            reported_at: at,
            response_due: d.response.as_ref().map(|x| x.at),
            resolution_due: d.resolution.as_ref().map(|x| x.at),
            acknowledged_at: None,
            resolved_at: None,
            closed_at: None,
            lead: None,
            last_note: None,
            last_note_at: None,
            escalated: [0, 0],
            plan_generation: 0,
            version: 0,
        };
        let events = vec![
            entry(
                at,
                &new.reporter,
                Event::Opened {
                    title: inc.title.clone(),
                },
            ),
            entry(
                at,
                "vakt",
                Event::Classified {
                    priority: c.priority,
                    timing: c.timing,
                    reasons: c
                        .reasons
                        .iter()
                        .map(|r| format!("{} (clause {})", r.text, r.source))
                        .collect(),
                },
            ),
            entry(
                at,
                "vakt",
                Event::Deadlines {
                    response_due: inc.response_due,
                    resolution_due: inc.resolution_due,
                    recomputed: false,
                },
            ),
        ];
        Ok((inc, events))
    }

    /// The priority in force: the override, else the computed one.
    pub fn priority(&self) -> &str {
        self.priority_override
            .as_ref()
            .map_or(&self.computed_priority, |o| &o.priority)
    }

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

    /// Acknowledges: the response milestone. The actor becomes the lead if there is none.
    pub fn acknowledge(&mut self, actor: &str, now: DateTime<Utc>) -> Result<Vec<TimelineEntry>, IncidentError> {
        if self.state != State::Open {
            return Err(IncidentError::IllegalTransition {
                action: "acknowledge",
                state: self.state,
            });
        }
        self.state = State::Acknowledged;
        self.acknowledged_at = Some(now);
        if self.lead.is_none() {
            self.lead = Some(actor.to_string());
        }
        Ok(vec![entry(now, actor, Event::Acknowledged)])
    }

    /// Adds a human status note.
    pub fn add_update(
        &mut self,
        actor: &str,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        if self.state == State::Closed {
            return Err(IncidentError::IllegalTransition {
                action: "update",
                state: self.state,
            });
        }
        if note.trim().is_empty() {
            return Err(IncidentError::Empty("the note"));
        }
        self.last_note = Some(note.trim().to_string());
        self.last_note_at = Some(now);
        Ok(vec![entry(
            now,
            actor,
            Event::StatusUpdate {
                note: note.trim().to_string(),
            },
        )])
    }

    /// Resolves (fix or workaround): the resolution milestone.
    pub fn resolve(
        &mut self,
        actor: &str,
        how: Resolution,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        if !self.state.is_active() {
            return Err(IncidentError::IllegalTransition {
                action: "resolve",
                state: self.state,
            });
        }
        self.state = State::Resolved;
        self.resolved_at = Some(now);
        Ok(vec![entry(now, actor, Event::Resolved { how, note })])
    }

    /// Reopens a resolved incident. The clocks keep their original start; the plan is renewed.
    pub fn reopen(
        &mut self,
        actor: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        if self.state != State::Resolved {
            return Err(IncidentError::IllegalTransition {
                action: "reopen",
                state: self.state,
            });
        }
        if reason.trim().is_empty() {
            return Err(IncidentError::Empty("the reason"));
        }
        self.state = if self.acknowledged_at.is_some() {
            State::Acknowledged
        } else {
            State::Open
        };
        self.resolved_at = None;
        self.plan_generation += 1;
        Ok(vec![entry(
            now,
            actor,
            Event::Reopened {
                reason: reason.trim().to_string(),
            },
        )])
    }

    /// Closes a resolved incident.
    pub fn close(&mut self, actor: &str, now: DateTime<Utc>) -> Result<Vec<TimelineEntry>, IncidentError> {
        if self.state != State::Resolved {
            return Err(IncidentError::IllegalTransition {
                action: "close",
                state: self.state,
            });
        }
        self.state = State::Closed;
        self.closed_at = Some(now);
        Ok(vec![entry(now, actor, Event::Closed)])
    }

    /// New facts: reclassifies and, if the priority in force changes, recomputes deadlines.
    pub fn reclassify(
        &mut self,
        a: &Agreement,
        actor: &str,
        facts: Facts,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        if self.state == State::Closed {
            return Err(IncidentError::IllegalTransition {
                action: "reclassify",
                state: self.state,
            });
        }
        let c = classify(a, &facts, self.reported_at)?;
        let before = self.priority().to_string();
        let mut events = vec![entry(now, actor, Event::FactsChanged { facts: facts.clone() })];
        self.facts = facts;
        self.computed_priority = c.priority.clone();
        self.timing = c.timing.clone();
        self.reasons = c.reasons.clone();
        events.push(entry(
            now,
            "vakt",
            Event::Classified {
                priority: c.priority,
                timing: c.timing,
                reasons: c
                    .reasons
                    .iter()
                    .map(|r| format!("{} (clause {})", r.text, r.source))
                    .collect(),
            },
        ));
        if self.priority() != before {
            let reason = self.reasons.last().map_or(String::new(), |r| r.text.clone());
            events.push(entry(
                now,
                "vakt",
                Event::PriorityChanged {
                    from: before,
                    to: self.priority().to_string(),
                    reason,
                    manual: false,
                },
            ));
            events.extend(self.recompute(a, now)?);
        }
        Ok(events)
    }

    /// A manager sets the priority by hand.
    pub fn override_priority(
        &mut self,
        a: &Agreement,
        actor: &str,
        priority: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        if self.state == State::Closed {
            return Err(IncidentError::IllegalTransition {
                action: "override",
                state: self.state,
            });
        }
        if a.priority(priority).is_none() {
            return Err(IncidentError::UnknownPriority {
                priority: priority.to_string(),
                known: a
                    .priorities
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if reason.trim().is_empty() {
            return Err(IncidentError::Empty("the reason"));
        }
        let before = self.priority().to_string();
        self.priority_override = Some(Override {
            priority: priority.to_string(),
            by: actor.to_string(),
            reason: reason.trim().to_string(),
        });
        let mut events = vec![entry(
            now,
            actor,
            Event::PriorityChanged {
                from: before,
                to: priority.to_string(),
                reason: reason.trim().to_string(),
                manual: true,
            },
        )];
        events.extend(self.recompute(a, now)?);
        Ok(events)
    }

    /// Records a manual escalation to the next level (or a given one).
    pub fn escalate(
        &mut self,
        a: &Agreement,
        actor: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        if !self.state.is_active() {
            return Err(IncidentError::IllegalTransition {
                action: "escalate",
                state: self.state,
            });
        }
        if reason.trim().is_empty() {
            return Err(IncidentError::Empty("the reason"));
        }
        let current = self.escalated.iter().copied().max().unwrap_or(0);
        let level = (current + 1).min(a.escalation.levels.len() as u32).max(1);
        let role = a
            .escalation
            .levels
            .get(level as usize - 1)
            .map_or(String::new(), |l| l.role.clone());
        for e in &mut self.escalated {
            *e = (*e).max(level);
        }
        Ok(vec![entry(
            now,
            actor,
            Event::Escalated {
                milestone: None,
                level,
                role,
                manual: true,
                reason: Some(reason.trim().to_string()),
            },
        )])
    }

    fn recompute(&mut self, a: &Agreement, now: DateTime<Utc>) -> Result<Vec<TimelineEntry>, IncidentError> {
        let d = deadlines(a, self.priority(), self.reported_at)?;
        self.response_due = d.response.as_ref().map(|x| x.at);
        self.resolution_due = d.resolution.as_ref().map(|x| x.at);
        self.escalated = [0, 0];
        self.plan_generation += 1;
        Ok(vec![entry(
            now,
            "vakt",
            Event::Deadlines {
                response_due: self.response_due,
                resolution_due: self.resolution_due,
                recomputed: true,
            },
        )])
    }
}
