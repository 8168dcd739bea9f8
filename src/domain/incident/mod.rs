//! The incident: its facts, computed priority and reasons, optional manual override, state
//! machine (open → acknowledged → resolved → closed, with reopen), deadlines, and the
//! append-only timeline of everything that happened to it.
//!
//! Every transition is a method that either changes the incident and returns the timeline
//! entries it produced, or returns an error and changes nothing. Deadlines are always
//! computed from the original report time (so from the original clock start), also when the
//! priority or the facts change later.

mod bot;
mod error;
mod event;
mod fate;
mod fingerprint;
#[cfg(test)]
mod fixtures;
mod outage;
mod outcome;
mod state;
mod transitions;

pub use crate::domain::agreement::StatusField;
pub use bot::BotAction;
pub use error::IncidentError;
pub use event::{EditedField, Event, TimelineEntry};
pub use fate::{Adopted, Fate, fate};
pub use fingerprint::{BasisV2, CadenceV2, PlanBasis, TargetV2, legacy_plan_basis};
pub use outage::{DegradedError, Outage, OutageKind, classify_outage};
pub use outcome::{Outcome, Recorded};
pub use state::{LatestFields, Milestone, Override, Resolution, State, StatusFields};

use crate::domain::agreement::Agreement;
use crate::domain::classify::{Facts, Reason, classify_on, deadlines_on};
use crate::domain::ids::{AgreementId, IncidentId, PriorityId, UserId};
use chrono::{DateTime, Utc};
use event::{classified_event, entry};
use serde::{Deserialize, Serialize};

/// An incident. Its fields are private: it changes only through its transitions and the
/// bookkeeping methods below, each of which returns the timeline entries it produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Human id, `SSB-2026-0042`.
    id: IncidentId,
    /// Agreement id.
    agreement: AgreementId,
    title: String,
    description: String,
    /// The affected service or component named at opening (an id: the agreement's services
    /// once it names them); `None` for the whole agreement and in rows before 0.3.
    #[serde(default)]
    service: Option<String>,
    /// Its case type when not an incident (`problem`, `order`: the agreement's
    /// `[[case_types]]`); `None` for incidents, and in every row stored before case types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    case_type: Option<String>,
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
    /// The priority in force when each milestone was settled (met or breached): its outcome
    /// is judged against that priority's deadline. Rows before 0.3 lack it (read as the
    /// priority in force).
    #[serde(default)]
    settled_under: [Option<PriorityId>; 2],
    /// Business seconds the resolution clock stood still while the incident was resolved
    /// (resolved → reopened); added to the resolution deadline.
    #[serde(default)]
    resolution_paused: i64,
    /// The last human word on the incident: a note, the acknowledgement, the resolution or
    /// a reopen.
    #[serde(default)]
    last_human_at: Option<DateTime<Utc>>,
    /// A fingerprint of what the plan was made from: the priority's targets, the ladder and
    /// the cadence in the agreement as loaded then ([`PlanBasis`]; 0: older rows).
    #[serde(default)]
    plan_basis: PlanBasis,
    /// Follow-ups a manager waived (the reason is in the timeline): they are not posted.
    #[serde(default)]
    waived_follow_ups: Vec<String>,
    /// Follow-ups marked done, each with when (who is in the timeline): they are not
    /// announced again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    done_follow_ups: Vec<(String, DateTime<Utc>)>,
    /// Follow-ups announced ahead of their deadline, each with the deadline announced: a
    /// replan's announcement of the same deadline is not posted again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    announced_follow_ups: Vec<(String, DateTime<Utc>)>,
    /// The latest structured status fields, each with when it was given.
    #[serde(default, skip_serializing_if = "LatestFields::is_empty")]
    latest_fields: LatestFields,
    /// Status updates are paused until then (a snooze; deadlines and escalations go on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    snoozed_until: Option<DateTime<Utc>>,
    /// Status reminders in a row that no human update answered.
    #[serde(default, skip_serializing_if = "is_zero")]
    unanswered_reminders: u32,
    /// The incident this one duplicates, when it was resolved as a duplicate (cleared by a
    /// reopen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    duplicate_of: Option<IncidentId>,
    /// The outage of its service it records, if marked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outage: Option<Outage>,
    /// Bumped whenever the job plan is replaced (priority change, reopen).
    plan_generation: u32,
    /// Optimistic-concurrency version, bumped by the store on every write.
    version: i64,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What is needed to open an incident.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIncident {
    pub title: String,
    pub description: String,
    pub reporter: UserId,
    pub facts: Facts,
    /// The affected service or component, if not the whole agreement.
    pub service: Option<String>,
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
        let c = classify_on(a, new.service.as_deref(), &new.facts, new.reported_at)?;
        let d = deadlines_on(a, new.service.as_deref(), &c.priority, new.reported_at)?;
        let at = new.reported_at;
        let inc = Incident {
            id,
            agreement: AgreementId::new(a.id.as_str()),
            title: new.title.trim().to_string(),
            description: new.description.trim().to_string(),
            service: new.service.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
            case_type: a.case_type.clone(),
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
            settled_under: [None, None],
            resolution_paused: 0,
            last_human_at: None,
            plan_basis: PlanBasis::of(a, &c.priority),
            waived_follow_ups: vec![],
            done_follow_ups: vec![],
            announced_follow_ups: vec![],
            latest_fields: LatestFields::default(),
            snoozed_until: None,
            unanswered_reminders: 0,
            duplicate_of: None,
            outage: None,
            plan_generation: 0,
            version: 0,
        };
        let events = vec![
            entry(
                at,
                new.reporter.as_str(),
                Event::Opened {
                    title: inc.title.clone(),
                    description: inc.description.clone(),
                    service: inc.service.clone(),
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

    /// Its case type's id: [`INCIDENT`](crate::domain::case_type::INCIDENT) or one of the
    /// agreement's `[[case_types]]`. Opened on a type's view, a case is of that type.
    pub fn case_type(&self) -> &str {
        self.case_type.as_deref().unwrap_or(crate::domain::case_type::INCIDENT)
    }

    /// Whether it is an incident (not another case type).
    pub fn is_incident(&self) -> bool {
        self.case_type.is_none()
    }

    /// The title as reported (trimmed).
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The free-text description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The affected service or component, if one was named.
    pub fn service(&self) -> Option<&str> {
        self.service.as_deref()
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

    /// Whether a manager waived follow-up `id` (it is then not posted).
    pub fn follow_up_waived(&self, id: &str) -> bool {
        self.waived_follow_ups.iter().any(|f| f == id)
    }

    /// Whether follow-up `id` was announced ahead of deadline `due` already (in this plan or
    /// an earlier one).
    pub fn follow_up_announced(&self, id: &str, due: DateTime<Utc>) -> bool {
        self.announced_follow_ups.iter().any(|(f, d)| f == id && *d == due)
    }

    /// Whether follow-up `id` was marked done (it is then not announced again).
    pub fn follow_up_done(&self, id: &str) -> bool {
        self.follow_up_done_at(id).is_some()
    }

    /// When follow-up `id` was marked done.
    pub fn follow_up_done_at(&self, id: &str) -> Option<DateTime<Utc>> {
        self.done_follow_ups.iter().find(|(f, _)| f == id).map(|(_, at)| *at)
    }

    /// The latest structured status fields (impact area, affected, cause, expected
    /// resolution), each with when it was given.
    pub fn latest_fields(&self) -> &LatestFields {
        &self.latest_fields
    }

    /// Until when status updates are paused, if a snooze was set (it may have passed).
    pub fn snoozed_until(&self) -> Option<DateTime<Utc>> {
        self.snoozed_until
    }

    /// Whether status updates are paused at `now`.
    pub fn snoozed_at(&self, now: DateTime<Utc>) -> bool {
        self.snoozed_until.is_some_and(|u| now < u)
    }

    /// Status reminders in a row that no human update answered.
    pub fn unanswered_reminders(&self) -> u32 {
        self.unanswered_reminders
    }

    /// The incident this one duplicates, when it was resolved as a duplicate.
    pub fn duplicate_of(&self) -> Option<&IncidentId> {
        self.duplicate_of.as_ref()
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

    /// The last human word on the incident (note, acknowledgement, resolution, reopen), or
    /// the report when none came yet.
    pub fn last_human_at(&self) -> DateTime<Utc> {
        self.last_human_at.or(self.last_note_at).unwrap_or(self.reported_at)
    }

    /// Business seconds the resolution clock stood still while resolved.
    pub fn resolution_paused(&self) -> i64 {
        self.resolution_paused
    }

    /// The priority in force: the override, else the computed one.
    pub fn priority(&self) -> &PriorityId {
        self.priority_override
            .as_ref()
            .map_or(&self.computed_priority, |o| &o.priority)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn make_id_pads_to_four_digits() {
        assert_eq!(Incident::make_id("SSB", 2026, 1), "SSB-2026-0001");
        assert_eq!(Incident::make_id("SSB", 2026, 42), "SSB-2026-0042");
        assert_eq!(Incident::make_id("DIFI", 2027, 9999), "DIFI-2027-9999");
        assert_eq!(Incident::make_id("ALT", 2026, 12345), "ALT-2026-12345");
    }
}
