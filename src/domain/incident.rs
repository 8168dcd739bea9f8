//! The incident: its facts, computed priority and reasons, optional manual override, state
//! machine (open → acknowledged → resolved → closed, with reopen), deadlines, and the
//! append-only timeline of everything that happened to it.
//!
//! Every transition is a method that either changes the incident and returns the timeline
//! entries it produced, or returns an error and changes nothing. Deadlines are always
//! computed from the original report time (so from the original clock start), also when the
//! priority or the facts change later.

use super::agreement::Agreement;
use super::classify::{ChangeReason, Classified, ClassifyError, Facts, Reason, classify, deadlines};
use super::ids::{AgreementId, IncidentId, PriorityId, UserId};
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
    pub priority: PriorityId,
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
        /// Reasons, in order.
        reasons: Vec<Reason>,
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
        /// Why (the deciding reason, or the manager's reason).
        reason: ChangeReason,
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
        /// Follow-up id in the agreement file (older rows also hold its text; ignored).
        id: String,
    },
    /// Resolved.
    Resolved {
        /// Fix or workaround.
        how: Resolution,
        /// Note.
        note: Option<String>,
    },
    /// A milestone was met (acknowledged, resolved), on time or late against `due`.
    MilestoneMet {
        /// Milestone.
        milestone: Milestone,
        /// The deadline in force.
        due: DateTime<Utc>,
    },
    /// A milestone's deadline passed unmet.
    MilestoneBreached {
        /// Milestone.
        milestone: Milestone,
        /// The deadline missed.
        due: DateTime<Utc>,
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

/// An incident. Its fields are private: it changes only through its transitions and the
/// bookkeeping methods below, each of which returns the timeline entries it produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Human id, `SSB-2026-0042`.
    id: IncidentId,
    /// Agreement id.
    agreement: AgreementId,
    /// Title.
    title: String,
    /// Description.
    description: String,
    /// Who reported it.
    reporter: UserId,
    /// The classification facts.
    facts: Facts,
    /// Priority computed from the facts.
    computed_priority: PriorityId,
    /// Timing class at clock start.
    timing: Option<String>,
    /// Why.
    reasons: Vec<Reason>,
    /// A manager's override.
    priority_override: Option<Override>,
    /// State.
    state: State,
    /// Report time (the clocks start from here, or the next opening).
    reported_at: DateTime<Utc>,
    /// Response deadline.
    response_due: Option<DateTime<Utc>>,
    /// Resolution deadline.
    resolution_due: Option<DateTime<Utc>>,
    /// When acknowledged.
    acknowledged_at: Option<DateTime<Utc>>,
    /// When resolved (latest).
    resolved_at: Option<DateTime<Utc>>,
    /// When closed.
    closed_at: Option<DateTime<Utc>>,
    /// The incident lead (the acknowledging responder, by default).
    lead: Option<UserId>,
    /// Latest human status note.
    last_note: Option<String>,
    /// When the latest human status note came.
    last_note_at: Option<DateTime<Utc>>,
    /// Highest ladder level escalated to after a breach, per milestone, as rows before 0.2
    /// kept it (read into [`Incident::escalation_level`]; no longer written).
    escalated: [u32; 2],
    /// Highest ladder level escalated to by hand, as rows before 0.2 kept it (read into
    /// [`Incident::escalation_level`]; no longer written).
    #[serde(default)]
    manual_escalation: u32,
    /// Number of the latest periodic status update posted (numbers continue across replans).
    #[serde(default)]
    status_posted: u32,
    /// When the latest periodic status update was posted.
    #[serde(default)]
    last_status_at: Option<DateTime<Utc>>,
    /// Follow-ups counted from opening that were posted (posted once, whatever replans follow).
    #[serde(default)]
    opened_follow_ups_posted: Vec<String>,
    /// The one escalation level of the incident (breach or by hand; only goes up). Older
    /// rows kept it per milestone in `escalated` and `manual_escalation`, still read.
    #[serde(default)]
    level: u32,
    /// The outcome of each milestone as recorded when it happened (response, resolution).
    #[serde(default)]
    recorded: [Option<Recorded>; 2],
    /// Business seconds the resolution clock stood still while the incident was resolved
    /// (resolved → reopened); added to the resolution deadline.
    #[serde(default)]
    resolution_paused: i64,
    /// The last human word on the incident: a note, the acknowledgement, the resolution or
    /// a reopen.
    #[serde(default)]
    last_human_at: Option<DateTime<Utc>>,
    /// A fingerprint of what the plan was made from: the priority's targets, the ladder and
    /// the cadence in the agreement as loaded then (0: older rows).
    #[serde(default)]
    plan_basis: u64,
    /// Bumped whenever the job plan is replaced (priority change, reopen).
    plan_generation: u32,
    /// Optimistic-concurrency version, bumped by the store on every write.
    version: i64,
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
    /// The change would change nothing.
    #[error("{0} is already what you asked for; nothing changed")]
    Unchanged(&'static str),
    /// Lowering the priority of an incident that missed a deadline is a manager's call.
    #[error("lowering priority {from} to {to} after a missed deadline needs a manager")]
    NeedsManager {
        /// Priority in force.
        from: String,
        /// Priority asked for.
        to: String,
    },
    /// Already at the top of the escalation ladder.
    #[error("already at the top of the escalation ladder (level {level}); nobody was pinged again")]
    TopOfLadder {
        /// The level reached.
        level: u32,
    },
}

impl IncidentError {
    /// `priority` is not one of agreement `a`'s priorities (the error lists those it has).
    pub fn unknown_priority(a: &Agreement, priority: &str) -> Self {
        IncidentError::UnknownPriority {
            priority: priority.to_string(),
            known: a
                .priorities
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

fn entry(at: DateTime<Utc>, actor: &str, event: Event) -> TimelineEntry {
    TimelineEntry {
        at,
        actor: actor.to_string(),
        event,
    }
}

/// The timeline event of a classification.
fn classified_event(c: Classified) -> Event {
    Event::Classified {
        priority: c.priority,
        timing: c.timing,
        reasons: c.reasons,
    }
}

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

/// Something the bot did for an incident that the incident records (see [`Incident::record`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotAction {
    /// A pre-breach warning went out.
    Warned {
        /// Milestone.
        milestone: Milestone,
        /// Percent of the target used.
        percent: u32,
    },
    /// A breach escalated to a ladder level.
    Escalated {
        /// Milestone that slipped.
        milestone: Milestone,
        /// Level reached, 1-based.
        level: u32,
        /// The level's abstract role.
        role: String,
    },
    /// The deadline of a milestone passed unmet; the breach is announced at `level`.
    Breached {
        /// Milestone.
        milestone: Milestone,
        /// The deadline missed.
        due: DateTime<Utc>,
        /// The ladder level the breach is announced at (higher than `base` when the breach
        /// is caught up after downtime).
        level: u32,
        /// The level the breach's climb counts from: the incident's level at the breach, or 1.
        base: u32,
        /// That level's abstract role.
        role: String,
    },
    /// A periodic status update went out.
    StatusPosted {
        /// Its number.
        seq: u32,
        /// Whether it reminded the lead (or the responders) to post a human update.
        reminded_lead: bool,
    },
    /// A follow-up went out.
    FollowUpPosted {
        /// Follow-up id.
        id: String,
        /// Counted from opening (posted once across replans).
        from_opening: bool,
    },
    /// A notification went out (nothing to record on the incident).
    Notified,
}

/// What adopting a changed agreement did: the response and resolution deadlines before, and
/// the timeline entries.
pub type Adopted = (Option<DateTime<Utc>>, Option<DateTime<Utc>>, Vec<TimelineEntry>);

/// A fingerprint of what an incident's plan is made from: the priority's targets, the
/// escalation ladder and the status cadence, as loaded. A changed agreement file changes it.
pub fn plan_basis(a: &Agreement, priority: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!(
        "{:?}|{:?}|{:?}",
        a.targets.iter().find(|t| t.priority == priority),
        a.escalation.levels,
        a.cadence_for(priority)
    )
    .hash(&mut h);
    h.finish()
}

/// What is needed to open an incident.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIncident {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Reporter.
    pub reporter: UserId,
    /// Facts.
    pub facts: Facts,
    /// Report time.
    pub reported_at: DateTime<Utc>,
}

impl Incident {
    /// The id for sequence number `seq` of `year`.
    pub fn make_id(prefix: &str, year: i32, seq: u32) -> IncidentId {
        IncidentId::make(prefix, year, seq)
    }

    /// Opens and classifies an incident.
    pub fn open(
        a: &Agreement,
        id: IncidentId,
        new: NewIncident,
    ) -> Result<(Incident, Vec<TimelineEntry>), IncidentError> {
        if new.title.trim().is_empty() {
            return Err(IncidentError::Empty("the title"));
        }
        let c = classify(a, &new.facts, new.reported_at)?;
        let d = deadlines(a, &c.priority, new.reported_at)?;
        let at = new.reported_at;
        let inc = Incident {
            id,
            agreement: AgreementId::new(a.id.as_str()),
            title: new.title.trim().to_string(),
            description: new.description,
            reporter: new.reporter.clone(),
            facts: new.facts,
            computed_priority: PriorityId::new(c.priority.as_str()),
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
            manual_escalation: 0,
            status_posted: 0,
            last_status_at: None,
            opened_follow_ups_posted: vec![],
            level: 0,
            recorded: [None, None],
            resolution_paused: 0,
            last_human_at: None,
            plan_basis: plan_basis(a, &PriorityId::new(c.priority.as_str())),
            plan_generation: 0,
            version: 0,
        };
        let events = vec![
            entry(
                at,
                new.reporter.as_str(),
                Event::Opened {
                    title: inc.title.clone(),
                },
            ),
            entry(at, "vakt", classified_event(c)),
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

    /// The human id, `SSB-2026-0042`.
    pub fn id(&self) -> &IncidentId {
        &self.id
    }

    /// The agreement it falls under.
    pub fn agreement(&self) -> &AgreementId {
        &self.agreement
    }

    /// The title as reported (trimmed).
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The free-text description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Who reported it.
    pub fn reporter(&self) -> &UserId {
        &self.reporter
    }

    /// The classification facts in force.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The priority the agreement's rules give for the facts (an override may win).
    pub fn computed_priority(&self) -> &PriorityId {
        &self.computed_priority
    }

    /// The timing class judged at clock start, when the agreement has timing classes.
    pub fn timing(&self) -> Option<&str> {
        self.timing.as_deref()
    }

    /// Why the rules gave the computed priority, in order.
    pub fn reasons(&self) -> &[Reason] {
        &self.reasons
    }

    /// A manager's manual priority, if set.
    pub fn priority_override(&self) -> Option<&Override> {
        self.priority_override.as_ref()
    }

    /// Where it is in its life.
    pub fn state(&self) -> State {
        self.state
    }

    /// When it was reported: the clocks start here, or at the next opening.
    pub fn reported_at(&self) -> DateTime<Utc> {
        self.reported_at
    }

    /// The response deadline, when the priority has a response target.
    pub fn response_due(&self) -> Option<DateTime<Utc>> {
        self.response_due
    }

    /// The resolution deadline, when the priority has a resolution target.
    pub fn resolution_due(&self) -> Option<DateTime<Utc>> {
        self.resolution_due
    }

    /// When a responder acknowledged it.
    pub fn acknowledged_at(&self) -> Option<DateTime<Utc>> {
        self.acknowledged_at
    }

    /// When it was last resolved (cleared by a reopen).
    pub fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.resolved_at
    }

    /// When it was closed.
    pub fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.closed_at
    }

    /// The incident lead: the first responder to acknowledge, unless one was set before.
    pub fn lead(&self) -> Option<&UserId> {
        self.lead.as_ref()
    }

    /// The latest human status note.
    pub fn last_note(&self) -> Option<&str> {
        self.last_note.as_deref()
    }

    /// When the latest human status note came.
    pub fn last_note_at(&self) -> Option<DateTime<Utc>> {
        self.last_note_at
    }

    /// Number of the latest periodic status update posted (0: none yet).
    pub fn status_posted(&self) -> u32 {
        self.status_posted
    }

    /// When the latest periodic status update was posted.
    pub fn last_status_at(&self) -> Option<DateTime<Utc>> {
        self.last_status_at
    }

    /// Whether follow-up `id`, counted from opening, was posted already (it is posted once,
    /// whatever replans follow).
    pub fn opened_follow_up_posted(&self, id: &str) -> bool {
        self.opened_follow_ups_posted.iter().any(|f| f == id)
    }

    /// Bumped whenever the job plan is replaced (priority change, reopen); part of job keys.
    pub fn plan_generation(&self) -> u32 {
        self.plan_generation
    }

    /// The optimistic-concurrency version the store last wrote (0: never stored).
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The same incident as stored at `version` (for stores, which own the version).
    pub fn with_version(mut self, version: i64) -> Self {
        self.version = version;
        self
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

    /// Whether milestone `m`'s breach was recorded (and announced).
    pub fn breach_recorded(&self, m: Milestone) -> bool {
        self.recorded[m as usize].is_some_and(|r| r.breached_at.is_some())
    }

    /// The last human word on the incident (note, acknowledgement, resolution, reopen), or
    /// the report when none came yet.
    pub fn last_human_at(&self) -> DateTime<Utc> {
        self.last_human_at.or(self.last_note_at).unwrap_or(self.reported_at)
    }

    /// Business seconds the resolution clock stood still while resolved.
    pub fn resolution_paused(&self) -> i64 {
        self.resolution_paused
    }

    /// The deadlines in force: the priority's, counted from the original clock start, with
    /// the resolution deadline moved on by the time the incident stood resolved.
    pub fn deadlines_in_force(&self, a: &Agreement) -> Result<super::classify::Deadlines, ClassifyError> {
        let mut d = deadlines(a, self.priority(), self.reported_at)?;
        if self.resolution_paused > 0
            && let Some(r) = &mut d.resolution
        {
            let s = a
                .schedule(&r.schedule)
                .ok_or_else(|| ClassifyError::UnknownSchedule(r.schedule.clone()))?;
            r.at = s
                .add(r.at, super::clock::BusinessDuration::Seconds(self.resolution_paused))?
                .deadline;
        }
        Ok(d)
    }

    fn record_met(&mut self, m: Milestone, now: DateTime<Utc>, actor: &str) -> Option<TimelineEntry> {
        let due = self.recorded[m as usize].map(|r| r.due).or(self.due(m))?;
        let breached_at = self.recorded[m as usize].and_then(|r| r.breached_at);
        if self.recorded[m as usize].is_some_and(|r| r.met_at.is_some()) {
            return None;
        }
        let base_level = self.recorded[m as usize].map_or(0, |r| r.base_level);
        self.recorded[m as usize] = Some(Recorded {
            due,
            met_at: Some(now),
            breached_at,
            base_level,
        });
        Some(entry(now, actor, Event::MilestoneMet { milestone: m, due }))
    }

    /// Records something the bot did on the incident's behalf and updates its own
    /// bookkeeping (ladder level reached, status numbering, follow-ups posted).
    pub fn record(&mut self, action: &BotAction, now: DateTime<Utc>) -> Vec<TimelineEntry> {
        let event = match action {
            BotAction::Warned { milestone, percent } => Event::WarningSent {
                milestone: *milestone,
                percent: *percent,
            },
            BotAction::Escalated { milestone, level, role } => {
                self.level = self.escalation_level().max(*level);
                Event::Escalated {
                    milestone: Some(*milestone),
                    level: *level,
                    role: role.clone(),
                    manual: false,
                    reason: None,
                }
            }
            BotAction::Breached {
                milestone,
                due,
                level,
                base,
                role,
            } => {
                self.level = self.escalation_level().max(*level);
                let slot = &mut self.recorded[*milestone as usize];
                if slot.is_none_or(|r| r.met_at.is_none()) {
                    *slot = Some(Recorded {
                        due: *due,
                        met_at: None,
                        breached_at: Some(now),
                        base_level: *base,
                    });
                }
                return vec![
                    entry(
                        now,
                        "vakt",
                        Event::MilestoneBreached {
                            milestone: *milestone,
                            due: *due,
                        },
                    ),
                    entry(
                        now,
                        "vakt",
                        Event::Escalated {
                            milestone: Some(*milestone),
                            level: *level,
                            role: role.clone(),
                            manual: false,
                            reason: None,
                        },
                    ),
                ];
            }
            BotAction::StatusPosted { seq, reminded_lead } => {
                self.status_posted = self.status_posted.max(*seq);
                self.last_status_at = Some(now);
                Event::StatusPosted {
                    seq: *seq,
                    reminded_lead: *reminded_lead,
                }
            }
            BotAction::FollowUpPosted { id, from_opening } => {
                if *from_opening && !self.opened_follow_up_posted(id) {
                    self.opened_follow_ups_posted.push(id.clone());
                }
                Event::FollowUpDue { id: id.clone() }
            }
            BotAction::Notified => return vec![],
        };
        vec![entry(now, "vakt", event)]
    }

    /// Test support: sets the plan generation directly.
    #[cfg(test)]
    pub(crate) fn set_plan_generation(&mut self, g: u32) {
        self.plan_generation = g;
    }

    /// The incident's one escalation level (0: not escalated), shared by breaches and manual
    /// escalations; it only goes up.
    pub fn escalation_level(&self) -> u32 {
        self.escalated
            .iter()
            .copied()
            .max()
            .unwrap_or(0)
            .max(self.manual_escalation)
            .max(self.level)
    }

    /// The priority in force: the override, else the computed one.
    pub fn priority(&self) -> &PriorityId {
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

    /// Acknowledges: the response milestone, recorded as met on time or late. The actor
    /// becomes the lead if there is none.
    pub fn acknowledge(&mut self, actor: &str, now: DateTime<Utc>) -> Result<Vec<TimelineEntry>, IncidentError> {
        if self.state != State::Open {
            return Err(IncidentError::IllegalTransition {
                action: "acknowledge",
                state: self.state,
            });
        }
        self.state = State::Acknowledged;
        self.acknowledged_at = Some(now);
        self.last_human_at = Some(now);
        if self.lead.is_none() {
            self.lead = Some(UserId::new(actor));
        }
        let mut events = vec![entry(now, actor, Event::Acknowledged)];
        events.extend(self.record_met(Milestone::Response, now, actor));
        Ok(events)
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
        self.last_human_at = Some(now);
        Ok(vec![entry(
            now,
            actor,
            Event::StatusUpdate {
                note: note.trim().to_string(),
            },
        )])
    }

    /// Resolves (fix or workaround): the resolution milestone, recorded as met on time or
    /// late; an unacknowledged incident's response is met by the resolution too.
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
        self.last_human_at = Some(now);
        let mut events = vec![entry(now, actor, Event::Resolved { how, note })];
        events.extend(self.record_met(Milestone::Response, now, actor));
        events.extend(self.record_met(Milestone::Resolution, now, actor));
        Ok(events)
    }

    /// Reopens a resolved incident. The clocks keep their original start; the resolution
    /// clock resumes without counting the business time the incident stood resolved (its
    /// deadline moves on by that much); the response outcome and the ladder level stay; a
    /// resolution that had missed its deadline stays missed. The plan is renewed.
    pub fn reopen(
        &mut self,
        a: &Agreement,
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
        // The business time it stood resolved, on the resolution target's schedule.
        let d = deadlines(a, self.priority(), self.reported_at)?;
        let mut paused = self.resolution_paused;
        if let (Some(r), Some(resolved_at)) = (&d.resolution, self.resolved_at) {
            let s = a
                .schedule(&r.schedule)
                .ok_or_else(|| ClassifyError::UnknownSchedule(r.schedule.clone()))?;
            paused += s.between(resolved_at, now).map_err(ClassifyError::from)?.max(0);
        }
        let before = self.clone();
        self.resolution_paused = paused;
        let new_due = match self.deadlines_in_force(a) {
            Ok(d) => d.resolution.map(|r| r.at),
            Err(e) => {
                *self = before;
                return Err(e.into());
            }
        };
        self.state = if self.acknowledged_at.is_some() {
            State::Acknowledged
        } else {
            State::Open
        };
        let missed = self.outcome(Milestone::Resolution, now).missed();
        self.recorded[Milestone::Resolution as usize] = match self.recorded[Milestone::Resolution as usize] {
            Some(r) if missed => Some(Recorded {
                due: r.due,
                met_at: None,
                breached_at: r.breached_at.or(Some(r.due)),
                base_level: r.base_level,
            }),
            _ => None,
        };
        self.resolved_at = None;
        self.last_human_at = Some(now);
        self.resolution_due = new_due;
        self.plan_generation += 1;
        Ok(vec![
            entry(
                now,
                actor,
                Event::Reopened {
                    reason: reason.trim().to_string(),
                },
            ),
            entry(
                now,
                "vakt",
                Event::Deadlines {
                    response_due: self.response_due,
                    resolution_due: self.resolution_due,
                    recomputed: true,
                },
            ),
        ])
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

    /// Whether any milestone missed its deadline (met late, or breached).
    pub fn missed_any(&self, now: DateTime<Utc>) -> bool {
        [Milestone::Response, Milestone::Resolution]
            .into_iter()
            .any(|m| self.outcome(m, now).missed())
    }

    /// Whether priority `to` is less severe than the one in force (agreements list their
    /// priorities most severe first).
    pub fn is_lowering(&self, a: &Agreement, to: &str) -> bool {
        let rank = |p: &str| a.priorities.iter().position(|x| x.id == p);
        matches!((rank(self.priority()), rank(to)), (Some(from), Some(to)) if to > from)
    }

    /// New facts: reclassifies and, if the priority in force changes, recomputes deadlines
    /// (keeping every outcome already recorded). Lowering the priority of an incident that
    /// missed a deadline needs a manager (`manager`).
    pub fn reclassify(
        &mut self,
        a: &Agreement,
        actor: &str,
        facts: Facts,
        manager: bool,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        if self.state == State::Closed {
            return Err(IncidentError::IllegalTransition {
                action: "reclassify",
                state: self.state,
            });
        }
        let c = classify(a, &facts, self.reported_at)?;
        // The deadlines of the priority that will be in force, before anything changes: a
        // failure must leave the incident as it was.
        let after = self
            .priority_override
            .as_ref()
            .map_or(c.priority.as_str(), |o| o.priority.as_str());
        deadlines(a, after, self.reported_at)?;
        if !manager && self.is_lowering(a, after) && self.missed_any(now) {
            return Err(IncidentError::NeedsManager {
                from: self.priority().to_string(),
                to: after.to_string(),
            });
        }
        if facts == self.facts {
            return Err(IncidentError::Unchanged("the facts"));
        }
        let before = self.priority().to_string();
        let mut events = vec![entry(now, actor, Event::FactsChanged { facts: facts.clone() })];
        let saved = self.clone();
        self.facts = facts;
        self.computed_priority = PriorityId::new(c.priority.as_str());
        self.timing = c.timing.clone();
        self.reasons = c.reasons.clone();
        events.push(entry(now, "vakt", classified_event(c)));
        if *self.priority() != before {
            // The deciding reason: the rule or matrix cell (the timing class only feeds it).
            let reason = ChangeReason::Rules(self.reasons.last().cloned().into_iter().collect());
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
            match self.recompute(a, now) {
                Ok(e) => events.extend(e),
                Err(e) => {
                    *self = saved;
                    return Err(e);
                }
            }
        }
        Ok(events)
    }

    /// A manager sets the priority by hand; setting the priority already in force is refused.
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
            return Err(IncidentError::unknown_priority(a, priority));
        }
        if reason.trim().is_empty() {
            return Err(IncidentError::Empty("the reason"));
        }
        if *self.priority() == priority {
            return Err(IncidentError::Unchanged("the priority"));
        }
        // Before anything changes: a failure must leave the incident as it was.
        deadlines(a, priority, self.reported_at)?;
        let before = self.priority().to_string();
        let saved = self.clone();
        self.priority_override = Some(Override {
            priority: PriorityId::new(priority),
            by: actor.to_string(),
            reason: reason.trim().to_string(),
        });
        let mut events = vec![entry(
            now,
            actor,
            Event::PriorityChanged {
                from: before,
                to: priority.to_string(),
                reason: ChangeReason::Manager(reason.trim().to_string()),
                manual: true,
            },
        )];
        match self.recompute(a, now) {
            Ok(e) => events.extend(e),
            Err(e) => {
                *self = saved;
                return Err(e);
            }
        }
        Ok(events)
    }

    /// Escalates by hand one level up the ladder; at the top of the ladder it is refused.
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
        let top = a.escalation.levels.len() as u32;
        let current = self.escalation_level();
        if current >= top {
            return Err(IncidentError::TopOfLadder { level: current });
        }
        let level = current + 1;
        let role = a
            .escalation
            .levels
            .get(level as usize - 1)
            .map_or(String::new(), |l| l.role.clone());
        self.level = level;
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

    /// Recomputes the deadlines of the priority in force from the original clock start
    /// (plus the time it stood resolved). Recorded outcomes and the ladder level stay.
    /// Whether the agreement as loaded now differs from the one the plan was made from (its
    /// targets, ladder or cadence for the priority in force).
    pub fn agreement_changed(&self, a: &Agreement) -> bool {
        self.plan_basis != 0 && self.plan_basis != plan_basis(a, self.priority())
    }

    /// After the agreement file changed: recomputes the deadlines from the original clock
    /// start and renews the plan, keeping recorded outcomes and the ladder level. Returns the
    /// deadlines before, for the announcement.
    pub fn adopt_changed_agreement(&mut self, a: &Agreement, now: DateTime<Utc>) -> Result<Adopted, IncidentError> {
        let before = (self.response_due, self.resolution_due);
        let saved = self.clone();
        match self.recompute(a, now) {
            Ok(events) => Ok((before.0, before.1, events)),
            Err(e) => {
                *self = saved;
                Err(e)
            }
        }
    }

    fn recompute(&mut self, a: &Agreement, now: DateTime<Utc>) -> Result<Vec<TimelineEntry>, IncidentError> {
        let d = self.deadlines_in_force(a)?;
        self.plan_basis = plan_basis(a, self.priority());
        self.response_due = d.response.as_ref().map(|x| x.at);
        self.resolution_due = d.resolution.as_ref().map(|x| x.at);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::classify::{Basis, Facts};
    use crate::domain::test_support::{agreement, t};

    fn facts(impact: &str) -> Facts {
        Facts {
            impact: impact.into(),
            ..Facts::default()
        }
    }

    /// Reported Friday 2026-11-20 16:30 (the 20th: SSBTEK's critical period): priority 1.
    fn ssbtek_open() -> (Incident, Vec<TimelineEntry>) {
        let new = NewIncident {
            title: "  SHS down  ".into(),
            description: "no calls answered".into(),
            reporter: "rita".into(),
            facts: facts("1"),
            reported_at: t("2026-11-20T16:30:00+01:00"),
        };
        Incident::open(agreement("ssbtek"), Incident::make_id("SSB", 2026, 7), new).expect("opens")
    }

    fn in_state(s: State) -> Incident {
        let (mut inc, _) = ssbtek_open();
        if s == State::Open {
            return inc;
        }
        inc.acknowledge("alice", t("2026-11-20T16:40:00+01:00")).expect("ack");
        if s == State::Acknowledged {
            return inc;
        }
        inc.resolve("alice", Resolution::Fix, None, t("2026-11-20T16:50:00+01:00"))
            .expect("resolve");
        if s == State::Resolved {
            return inc;
        }
        inc.close("boss", t("2026-11-20T16:55:00+01:00")).expect("close");
        assert_eq!(inc.state, State::Closed);
        inc
    }

    /// The incident as stored (JSON), to compare byte for byte.
    fn bytes(i: &Incident) -> String {
        serde_json::to_string(i).expect("serialises")
    }

    #[derive(Debug, Clone, Copy)]
    enum Action {
        Ack,
        Update,
        Resolve,
        Reopen,
        Close,
        Reclassify,
        Override,
        Escalate,
    }

    const ACTIONS: [Action; 8] = [
        Action::Ack,
        Action::Update,
        Action::Resolve,
        Action::Reopen,
        Action::Close,
        Action::Reclassify,
        Action::Override,
        Action::Escalate,
    ];
    const STATES: [State; 4] = [State::Open, State::Acknowledged, State::Resolved, State::Closed];

    fn apply(inc: &mut Incident, action: Action, now: DateTime<Utc>) -> Result<Vec<TimelineEntry>, IncidentError> {
        let a = agreement("ssbtek");
        match action {
            Action::Ack => inc.acknowledge("bob", now),
            Action::Update => inc.add_update("bob", " investigating ", now),
            Action::Resolve => inc.resolve("bob", Resolution::Workaround, Some("rerouted".into()), now),
            Action::Reopen => inc.reopen(agreement("ssbtek"), "bob", " it broke again ", now),
            Action::Close => inc.close("boss", now),
            // As a manager: lowering a breached incident's priority is theirs to do.
            Action::Reclassify => inc.reclassify(a, "bob", facts("3"), true, now),
            Action::Override => inc.override_priority(a, "boss", "2", " one municipality ", now),
            Action::Escalate => inc.escalate(a, "bob", " need the driftsråd ", now),
        }
    }

    /// The action's name in `IllegalTransition`, and the states it is allowed in.
    fn rule(action: Action) -> (&'static str, &'static [State]) {
        use State::*;
        match action {
            Action::Ack => ("acknowledge", &[Open]),
            Action::Update => ("update", &[Open, Acknowledged, Resolved]),
            Action::Resolve => ("resolve", &[Open, Acknowledged]),
            Action::Reopen => ("reopen", &[Resolved]),
            Action::Close => ("close", &[Resolved]),
            Action::Reclassify => ("reclassify", &[Open, Acknowledged, Resolved]),
            Action::Override => ("override", &[Open, Acknowledged, Resolved]),
            Action::Escalate => ("escalate", &[Open, Acknowledged]),
        }
    }

    fn kind(e: &Event) -> &'static str {
        match e {
            Event::Opened { .. } => "opened",
            Event::Classified { .. } => "classified",
            Event::Deadlines { .. } => "deadlines",
            Event::Acknowledged => "acknowledged",
            Event::StatusUpdate { .. } => "status_update",
            Event::StatusPosted { .. } => "status_posted",
            Event::FactsChanged { .. } => "facts_changed",
            Event::PriorityChanged { .. } => "priority_changed",
            Event::Escalated { .. } => "escalated",
            Event::WarningSent { .. } => "warning_sent",
            Event::FollowUpDue { .. } => "follow_up_due",
            Event::Resolved { .. } => "resolved",
            Event::Reopened { .. } => "reopened",
            Event::MilestoneMet { .. } => "milestone_met",
            Event::MilestoneBreached { .. } => "milestone_breached",
            Event::Closed => "closed",
        }
    }

    #[test]
    fn state_machine_table() {
        let now = t("2026-11-23T10:00:00+01:00");
        for action in ACTIONS {
            let (name, allowed) = rule(action);
            for state in STATES {
                let before = in_state(state);
                let mut inc = before.clone();
                let result = apply(&mut inc, action, now);
                let case = format!("{action:?} on {state}");
                if !allowed.contains(&state) {
                    assert_eq!(
                        result,
                        Err(IncidentError::IllegalTransition { action: name, state }),
                        "{case}"
                    );
                    assert_eq!(inc, before, "{case}: the incident changed");
                    assert_eq!(bytes(&inc), bytes(&before), "{case}: the incident changed");
                    continue;
                }
                let events = result.unwrap_or_else(|e| panic!("{case}: {e}"));
                assert!(events.iter().all(|e| e.at == now), "{case}: {events:?}");
                let kinds: Vec<&str> = events.iter().map(|e| kind(&e.event)).collect();
                let (want_state, want_kinds): (State, &[&str]) = match action {
                    Action::Ack => (State::Acknowledged, &["acknowledged", "milestone_met"]),
                    Action::Update => (state, &["status_update"]),
                    // An unacknowledged incident's response is met by the resolution too.
                    Action::Resolve if state == State::Open => {
                        (State::Resolved, &["resolved", "milestone_met", "milestone_met"])
                    }
                    Action::Resolve => (State::Resolved, &["resolved", "milestone_met"]),
                    // Acknowledged before it was resolved.
                    Action::Reopen => (State::Acknowledged, &["reopened", "deadlines"]),
                    Action::Close => (State::Closed, &["closed"]),
                    Action::Reclassify => (state, &["facts_changed", "classified", "priority_changed", "deadlines"]),
                    Action::Override => (state, &["priority_changed", "deadlines"]),
                    Action::Escalate => (state, &["escalated"]),
                };
                assert_eq!(inc.state, want_state, "{case}");
                assert_eq!(kinds, want_kinds, "{case}");
                // Who acted: the actor, and vakt for what it computed.
                for e in &events {
                    let by_vakt = matches!(e.event, Event::Classified { .. } | Event::Deadlines { .. })
                        || matches!(e.event, Event::Deadlines { .. } | Event::MilestoneBreached { .. })
                        || matches!(e.event, Event::PriorityChanged { manual: false, .. });
                    let actor = if by_vakt {
                        "vakt"
                    } else if matches!(action, Action::Close | Action::Override) {
                        "boss"
                    } else {
                        "bob"
                    };
                    assert_eq!(e.actor, actor, "{case}: {e:?}");
                }
                // Per action, the fields it must set.
                match action {
                    Action::Ack => {
                        assert_eq!(inc.acknowledged_at, Some(now));
                        assert_eq!(inc.lead.as_deref(), Some("bob"));
                    }
                    Action::Update => {
                        assert_eq!(inc.last_note.as_deref(), Some("investigating"));
                        assert_eq!(inc.last_note_at, Some(now));
                        assert_eq!(
                            events[0].event,
                            Event::StatusUpdate {
                                note: "investigating".into()
                            }
                        );
                    }
                    Action::Resolve => {
                        assert_eq!(inc.resolved_at, Some(now));
                        assert_eq!(
                            events[0].event,
                            Event::Resolved {
                                how: Resolution::Workaround,
                                note: Some("rerouted".into())
                            }
                        );
                    }
                    Action::Reopen => {
                        assert_eq!(inc.resolved_at, None);
                        assert_eq!(inc.plan_generation, before.plan_generation + 1);
                        assert_eq!(
                            events[0].event,
                            Event::Reopened {
                                reason: "it broke again".into()
                            }
                        );
                    }
                    Action::Close => assert_eq!(inc.closed_at, Some(now)),
                    Action::Reclassify | Action::Override => {
                        assert_eq!(inc.plan_generation, before.plan_generation + 1, "{case}");
                    }
                    Action::Escalate => {
                        assert_eq!(inc.escalation_level(), 1, "{case}: the one level");
                        assert_eq!(before.escalation_level(), 0, "{case}");
                        assert_eq!(
                            events[0].event,
                            Event::Escalated {
                                milestone: None,
                                level: 1,
                                role: "support".into(),
                                manual: true,
                                reason: Some("need the driftsråd".into()),
                            }
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn refused_changes_leave_the_incident_as_it_was() {
        let a = agreement("ssbtek");
        let now = t("2026-11-23T10:00:00+01:00");
        type Attempt = fn(&mut Incident, &Agreement, DateTime<Utc>) -> Result<Vec<TimelineEntry>, IncidentError>;
        let attempts: [(&str, State, Attempt); 7] = [
            ("empty note", State::Open, |i, _, n| i.add_update("bob", "  ", n)),
            ("empty reopen reason", State::Resolved, |i, _, n| {
                i.reopen(agreement("ssbtek"), "bob", " ", n)
            }),
            ("empty override reason", State::Open, |i, a, n| {
                i.override_priority(a, "boss", "2", "", n)
            }),
            ("unknown priority", State::Acknowledged, |i, a, n| {
                i.override_priority(a, "boss", "9", "why", n)
            }),
            ("unknown impact", State::Open, |i, a, n| {
                i.reclassify(a, "bob", facts("9"), false, n)
            }),
            ("bad share", State::Open, |i, a, n| {
                let f = Facts {
                    users_affected: Some(140.0),
                    ..facts("1")
                };
                i.reclassify(a, "bob", f, false, n)
            }),
            ("empty escalation reason", State::Acknowledged, |i, a, n| {
                i.escalate(a, "bob", "", n)
            }),
        ];
        for (what, state, attempt) in attempts {
            let before = in_state(state);
            let mut inc = before.clone();
            let r = attempt(&mut inc, a, now);
            assert!(r.is_err(), "{what}: {r:?}");
            assert_eq!(bytes(&inc), bytes(&before), "{what}: the incident changed");
        }
        let mut inc = in_state(State::Open);
        assert_eq!(
            inc.override_priority(a, "boss", "9", "why", now),
            Err(IncidentError::UnknownPriority {
                priority: "9".into(),
                known: "1, 2, 3, 4".into()
            })
        );
        assert_eq!(inc.add_update("bob", "", now), Err(IncidentError::Empty("the note")));
    }

    #[test]
    fn failed_deadline_recomputation_changes_nothing() {
        // Borger.dk P1 (15 min / 240 min) reported mid-December 2200, the last supported
        // year: priority 4's 30 working days run past 2200, so its deadlines cannot be
        // computed. The refusal must leave the incident unchanged.
        let a = agreement("borger-dk");
        let new = NewIncident {
            title: "late".into(),
            description: String::new(),
            reporter: "rita".into(),
            facts: facts("unavailable"),
            reported_at: t("2200-12-15T10:00:00+01:00"),
        };
        let (before, _) = Incident::open(a, "BDK-2200-0001".into(), new).expect("P1 deadlines fit in 2200");
        let now = t("2200-12-15T11:00:00+01:00");
        let out_of_range = Err(IncidentError::Classify(ClassifyError::Clock(
            crate::domain::clock::ClockError::OutOfRange,
        )));
        let mut inc = before.clone();
        assert_eq!(
            inc.override_priority(a, "boss", "4", "minor after all", now),
            out_of_range
        );
        assert_eq!(bytes(&inc), bytes(&before), "override");
        let mut inc = before.clone();
        assert_eq!(inc.reclassify(a, "bob", facts("minimal"), false, now), out_of_range);
        assert_eq!(bytes(&inc), bytes(&before), "reclassify");
    }

    #[test]
    fn open_classifies_and_sets_deadlines() {
        let (inc, events) = ssbtek_open();
        assert_eq!(inc.id, "SSB-2026-0007");
        assert_eq!(inc.title, "SHS down");
        assert_eq!(inc.state, State::Open);
        assert_eq!(inc.priority(), "1");
        assert_eq!(inc.timing.as_deref(), Some("1"));
        assert_eq!(inc.response_due, Some(t("2026-11-20T17:00:00+01:00")));
        // 30 minutes on Friday, 7 h 30 on Monday.
        assert_eq!(inc.resolution_due, Some(t("2026-11-23T15:30:00+01:00")));
        assert_eq!(
            (inc.plan_generation, inc.escalated, inc.lead.clone()),
            (0, [0, 0], None)
        );
        let kinds: Vec<&str> = events.iter().map(|e| kind(&e.event)).collect();
        assert_eq!(kinds, ["opened", "classified", "deadlines"]);
        assert_eq!(events[0].actor, "rita");
        assert!(events.iter().all(|e| e.at == inc.reported_at));
        let blank = NewIncident {
            title: " \t".into(),
            description: String::new(),
            reporter: "rita".into(),
            facts: facts("1"),
            reported_at: inc.reported_at,
        };
        assert_eq!(
            Incident::open(agreement("ssbtek"), "SSB-2026-0008".into(), blank),
            Err(IncidentError::Empty("the title"))
        );
    }

    #[test]
    fn reclassify_recomputes_from_the_original_report_time() {
        let a = agreement("ssbtek");
        let mut inc = in_state(State::Acknowledged);
        inc.level = 2;
        // Monday 10:00: timeouts only. Timing is still judged at the report (the 20th, class
        // 1), so impact 3 → priority 3: 8 h response and 5 working days resolution counted
        // from Friday 16:30, not from now.
        let now = t("2026-11-23T10:00:00+01:00");
        let events = inc.reclassify(a, "bob", facts("3"), false, now).expect("reclassify");
        assert_eq!(inc.priority(), "3");
        assert_eq!(inc.computed_priority, "3");
        assert_eq!(inc.facts, facts("3"));
        assert_eq!(inc.response_due, Some(t("2026-11-23T15:30:00+01:00")));
        assert_eq!(inc.resolution_due, Some(t("2026-11-27T16:30:00+01:00")));
        let d = deadlines(a, "3", inc.reported_at).expect("deadlines");
        assert_eq!(inc.response_due, d.response.map(|x| x.at));
        assert_eq!(inc.resolution_due, d.resolution.map(|x| x.at));
        assert_eq!(inc.plan_generation, 1);
        assert_eq!(inc.escalation_level(), 2, "the ladder level is kept");
        assert_eq!(inc.state, State::Acknowledged);
        let deciding = Reason {
            basis: Basis::Matrix {
                impact: "3".into(),
                timing: "1".into(),
                priority: "3".into(),
            },
            source: "4.3".into(),
            reading: None,
        };
        assert_eq!(
            events[2].event,
            Event::PriorityChanged {
                from: "1".into(),
                to: "3".into(),
                reason: ChangeReason::Rules(vec![deciding.clone()]),
                manual: false
            }
        );
        assert_eq!(
            crate::render::reason(&deciding, Some(a)),
            "matrix: impact 3 × timing 1 → 3 Medel"
        );
        assert_eq!(
            events[3].event,
            Event::Deadlines {
                response_due: inc.response_due,
                resolution_due: inc.resolution_due,
                recomputed: true
            }
        );

        // The same facts again: refused, nothing changes.
        let before = inc.clone();
        assert_eq!(
            inc.reclassify(a, "bob", facts("3"), false, now),
            Err(IncidentError::Unchanged("the facts"))
        );
        assert_eq!(inc, before);
        // SSBTEK reads no share of users: refused, nothing changes.
        let share = Facts {
            users_affected: Some(50.0),
            ..facts("3")
        };
        assert!(matches!(
            inc.reclassify(a, "bob", share, false, now),
            Err(IncidentError::Classify(ClassifyError::FactNotUsed { .. }))
        ));
        assert_eq!(inc, before);
        // Same priority, new facts (Borger.dk: 25 % → 40 % of users, both priority 1): the
        // facts are recorded, the plan stays.
        let b = agreement("borger-dk");
        let mut inc =
            super::super::test_support::open("borger-dk", "BDK-2026-0001", "users", "2026-11-23T09:00:00+01:00");
        let _ = inc.reclassify(
            b,
            "bob",
            Facts {
                users_affected: Some(25.0),
                ..facts("users")
            },
            true,
            now,
        );
        let before = inc.clone();
        let share = Facts {
            users_affected: Some(40.0),
            ..facts("users")
        };
        let events = inc.reclassify(b, "bob", share.clone(), false, now).expect("reclassify");
        let kinds: Vec<&str> = events.iter().map(|e| kind(&e.event)).collect();
        assert_eq!(kinds, ["facts_changed", "classified"]);
        assert_eq!(inc.facts, share);
        assert_eq!(
            (inc.plan_generation, inc.response_due, inc.resolution_due),
            (before.plan_generation, before.response_due, before.resolution_due)
        );
    }

    #[test]
    fn override_recomputes_from_the_original_report_time_and_wins_over_reclassify() {
        let a = agreement("ssbtek");
        let mut inc = in_state(State::Open);
        let now = t("2026-11-23T09:10:00+01:00");
        let events = inc
            .override_priority(a, "boss", "2", " one municipality ", now)
            .expect("override");
        assert_eq!(inc.priority(), "2");
        assert_eq!(inc.computed_priority, "1");
        assert_eq!(
            inc.priority_override,
            Some(Override {
                priority: "2".into(),
                by: "boss".into(),
                reason: "one municipality".into()
            })
        );
        // Priority 2: 60 min response and 2 working days from Friday 16:30.
        assert_eq!(inc.response_due, Some(t("2026-11-23T08:30:00+01:00")));
        assert_eq!(inc.resolution_due, Some(t("2026-11-24T16:30:00+01:00")));
        assert_eq!(inc.plan_generation, 1);
        assert_eq!(
            events[0],
            TimelineEntry {
                at: now,
                actor: "boss".into(),
                event: Event::PriorityChanged {
                    from: "1".into(),
                    to: "2".into(),
                    reason: ChangeReason::Manager("one municipality".into()),
                    manual: true
                }
            }
        );
        // New facts change the computed priority, not the one in force: no replan.
        let events = inc.reclassify(a, "bob", facts("3"), false, now).expect("reclassify");
        assert_eq!(inc.computed_priority, "3");
        assert_eq!(inc.priority(), "2");
        assert_eq!(inc.plan_generation, 1);
        assert_eq!(events.len(), 2);
        // Overriding to the priority in force is refused and changes nothing.
        let before = inc.clone();
        assert_eq!(
            inc.override_priority(a, "boss", "2", "again", now),
            Err(IncidentError::Unchanged("the priority"))
        );
        assert_eq!(inc, before);
    }

    /// Outcomes across sequences of changes. SSBTEK priority 1 reported Friday 16:30 (the
    /// 20th): response due Friday 17:00 (30 min of support time), resolution Monday 15:30
    /// (8 h: 30 min Friday, 7 h 30 Monday from 08:00). Support hours are Mon–Fri 08:00–17:00.
    #[test]
    fn outcome_table() {
        use Outcome::*;
        let a = agreement("ssbtek");
        let r_due = t("2026-11-20T17:00:00+01:00");
        let x_due = t("2026-11-23T15:30:00+01:00");
        type Step = fn(&mut Incident, &Agreement) -> Result<Vec<TimelineEntry>, IncidentError>;
        let ack_on_time: Step = |i, _| i.acknowledge("alice", t("2026-11-20T16:45:00+01:00"));
        let ack_late: Step = |i, _| i.acknowledge("alice", t("2026-11-23T09:00:00+01:00"));
        let resolve_on_time: Step = |i, _| i.resolve("alice", Resolution::Fix, None, t("2026-11-23T10:00:00+01:00"));
        let resolve_late: Step = |i, _| i.resolve("alice", Resolution::Fix, None, t("2026-11-23T16:00:00+01:00"));
        let reopen: Step = |i, a| i.reopen(a, "bob", "again", t("2026-11-23T11:00:00+01:00"));
        let lower: Step = |i, a| i.reclassify(a, "mona", facts("3"), true, t("2026-11-23T09:30:00+01:00"));
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
        let now = t("2026-11-23T12:00:00+01:00");
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
    fn lowering_a_breached_priority_needs_a_manager_and_outcomes_survive_it() {
        let a = agreement("ssbtek");
        // Priority 1 reported Friday 16:30; its response deadline (17:00) passed unmet.
        let (mut inc, _) = ssbtek_open();
        let now = t("2026-11-23T10:00:00+01:00");
        let before = inc.clone();
        assert_eq!(
            inc.reclassify(a, "bob", facts("3"), false, now),
            Err(IncidentError::NeedsManager {
                from: "1".into(),
                to: "3".into()
            })
        );
        assert_eq!(inc, before, "refused: nothing changed");
        // Acknowledged late at 10:00: recorded as met late against Friday 17:00.
        inc.acknowledge("alice", now).expect("ack");
        let due = t("2026-11-20T17:00:00+01:00");
        assert_eq!(inc.outcome(Milestone::Response, now), Outcome::MetLate { at: now, due });
        // A manager lowers it to 3 (response 8 h: Monday 15:30): the late response stays late.
        inc.reclassify(a, "mona", facts("3"), true, now)
            .expect("manager lowers");
        assert_eq!(inc.priority(), "3");
        assert_eq!(inc.response_due, Some(t("2026-11-23T15:30:00+01:00")));
        assert_eq!(inc.outcome(Milestone::Response, now), Outcome::MetLate { at: now, due });
        // Raising is anybody's: no refusal.
        inc.reclassify(a, "bob", facts("1"), false, now).expect("raise");
        assert_eq!(inc.priority(), "1");
    }

    #[test]
    fn reopen_keeps_the_clocks() {
        let now = t("2026-11-23T11:00:00+01:00");
        for acked in [true, false] {
            let (mut inc, _) = ssbtek_open();
            if acked {
                inc.acknowledge("alice", t("2026-11-20T16:40:00+01:00")).expect("ack");
            }
            inc.resolve("alice", Resolution::Fix, None, t("2026-11-23T09:00:00+01:00"))
                .expect("resolve");
            let before = inc.clone();
            inc.reopen(agreement("ssbtek"), "bob", "again", now).expect("reopen");
            assert_eq!(inc.state, if acked { State::Acknowledged } else { State::Open });
            assert_eq!(inc.reported_at, before.reported_at);
            assert_eq!(inc.response_due, before.response_due);
            // Resolved Monday 09:00, reopened 11:00: the resolution clock stood still for two
            // business hours, so its deadline (Monday 15:30) moves on two hours of support
            // time (08:00–17:00): 1 h 30 to Monday's close, 30 min on Tuesday → 08:30.
            assert_eq!(inc.resolution_paused, 2 * 3600);
            assert_eq!(inc.resolution_due, Some(t("2026-11-24T08:30:00+01:00")));
            assert_eq!(inc.acknowledged_at, before.acknowledged_at);
            assert_eq!(inc.escalation_level(), before.escalation_level());
            // The response outcome stays; the resolution is pending again.
            assert_eq!(inc.recorded(Milestone::Response), before.recorded(Milestone::Response));
            assert_eq!(inc.recorded(Milestone::Resolution), None);
            assert_eq!(inc.resolved_at, None);
            assert_eq!(inc.plan_generation, before.plan_generation + 1);
            assert_eq!(inc.met(Milestone::Response), acked);
            assert!(!inc.met(Milestone::Resolution));
        }
    }

    #[test]
    fn acknowledge_sets_the_lead_once() {
        let (mut inc, _) = ssbtek_open();
        assert!(!inc.met(Milestone::Response));
        let now = t("2026-11-20T16:40:00+01:00");
        let events = inc.acknowledge("alice", now).expect("ack");
        let due = inc.response_due.expect("due");
        assert_eq!(
            events,
            vec![
                TimelineEntry {
                    at: now,
                    actor: "alice".into(),
                    event: Event::Acknowledged
                },
                TimelineEntry {
                    at: now,
                    actor: "alice".into(),
                    event: Event::MilestoneMet {
                        milestone: Milestone::Response,
                        due
                    }
                }
            ]
        );
        assert_eq!(inc.outcome(Milestone::Response, now), Outcome::MetOnTime { at: now });
        assert_eq!(inc.lead.as_deref(), Some("alice"));
        assert_eq!(inc.acknowledged_at, Some(now));
        assert!(inc.met(Milestone::Response));
        assert!(!inc.met(Milestone::Resolution));
        // A lead set before is kept.
        let (mut inc, _) = ssbtek_open();
        inc.lead = Some("carl".into());
        inc.acknowledge("alice", now).expect("ack");
        assert_eq!(inc.lead.as_deref(), Some("carl"));
    }

    #[test]
    fn escalate_climbs_the_ladder_and_stops_at_its_top() {
        let a = agreement("ssbtek");
        let mut inc = in_state(State::Open);
        let now = t("2026-11-20T16:45:00+01:00");
        // One level per incident, shared with breaches: a breach at level 1, then by hand.
        inc.level = 1;
        let events = inc.escalate(a, "bob", "why", now).expect("escalate");
        assert_eq!(inc.escalation_level(), 2);
        assert!(matches!(
            &events[0].event,
            Event::Escalated { level: 2, role, .. } if role == "driftsrad"
        ));
        // At the top: refused, nothing changes, nobody is pinged again.
        let before = inc.clone();
        assert_eq!(
            inc.escalate(a, "bob", "why", now),
            Err(IncidentError::TopOfLadder { level: 2 })
        );
        assert_eq!(inc, before);
    }

    #[test]
    fn make_id_pads_to_four_digits() {
        assert_eq!(Incident::make_id("SSB", 2026, 1), "SSB-2026-0001");
        assert_eq!(Incident::make_id("SSB", 2026, 42), "SSB-2026-0042");
        assert_eq!(Incident::make_id("DIFI", 2027, 9999), "DIFI-2027-9999");
        assert_eq!(Incident::make_id("ALT", 2026, 12345), "ALT-2026-12345");
    }

    #[test]
    fn states_round_trip() {
        for s in STATES {
            assert_eq!(State::parse(s.as_str()), Some(s));
            assert_eq!(s.to_string(), s.as_str());
        }
        assert_eq!(State::parse("pending"), None);
        assert!(State::Open.is_active() && State::Acknowledged.is_active());
        assert!(!State::Resolved.is_active() && !State::Closed.is_active());
    }
}
