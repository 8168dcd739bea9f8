//! The transitions people make: acknowledge, update, resolve, reopen, close, reclassify,
//! override the priority and escalate by hand. Each either changes the incident and returns
//! the timeline entries it produced, or returns an error and changes nothing.

use super::Incident;
use super::error::IncidentError;
use super::event::{EditedField, Event, TimelineEntry, classified_event, entry};
use super::fingerprint::PlanBasis;
use super::outcome::Recorded;
use super::state::{Milestone, Override, Resolution, State, StatusFields};
use crate::domain::agreement::Agreement;
use crate::domain::classify::{ChangeReason, ClassifyError, Facts, classify_on, deadlines_on};
use crate::domain::ids::{IncidentId, PriorityId, UserId};
use chrono::{DateTime, Utc};

impl Incident {
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

    /// The lead changes hands: `actor` takes it (`to` none) or gives it to member `to`. Allowed
    /// until the incident is closed; asking for the lead already in force is refused. It does
    /// not acknowledge: the response milestone stays the acknowledgement's.
    pub fn set_lead(
        &mut self,
        actor: &str,
        to: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        if self.state == State::Closed {
            return Err(IncidentError::IllegalTransition {
                action: "change the lead of",
                state: self.state,
            });
        }
        let to = to.map_or(actor, str::trim);
        if to.is_empty() {
            return Err(IncidentError::Empty("the new lead"));
        }
        if self.lead.as_ref().is_some_and(|l| l.as_str() == to) {
            return Err(IncidentError::Unchanged("the lead"));
        }
        let from = self.lead.replace(UserId::new(to)).map(|l| l.to_string());
        Ok(vec![entry(
            now,
            actor,
            Event::LeadChanged {
                from,
                to: to.to_string(),
            },
        )])
    }

    /// Edits the title and/or the description (each `Some` replaces its text; an empty
    /// description clears it); the old values go to the timeline. Refused on a closed
    /// incident, with nothing named, with an empty title, or when nothing would change.
    pub fn edit(
        &mut self,
        actor: &str,
        title: Option<&str>,
        description: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        if self.state == State::Closed {
            return Err(IncidentError::IllegalTransition {
                action: "edit",
                state: self.state,
            });
        }
        if title.is_none() && description.is_none() {
            return Err(IncidentError::NothingToEdit);
        }
        let title = title.map(str::trim);
        if title.is_some_and(str::is_empty) {
            return Err(IncidentError::Empty("the title"));
        }
        let mut events = Vec::new();
        for (field, new, old) in [
            (EditedField::Title, title, &mut self.title),
            (
                EditedField::Description,
                description.map(str::trim),
                &mut self.description,
            ),
        ] {
            if let Some(new) = new.filter(|n| *n != old.as_str()) {
                let before = std::mem::replace(old, new.to_string());
                events.push(entry(
                    now,
                    actor,
                    Event::Edited {
                        field,
                        before,
                        after: new.to_string(),
                    },
                ));
            }
        }
        if events.is_empty() {
            return Err(IncidentError::Unchanged("the text"));
        }
        Ok(events)
    }

    /// Snoozes status updates until `until`, with a reason: the status updates (and their
    /// reminders) falling before it are not posted; deadlines, warnings, escalations and
    /// re-pages go on. A snooze longer than a day from `now` needs a manager (`manager`). A
    /// new snooze replaces the one before. Only on an open or acknowledged incident.
    pub fn snooze(
        &mut self,
        actor: &str,
        until: DateTime<Utc>,
        reason: &str,
        manager: bool,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        if !self.state.is_active() {
            return Err(IncidentError::IllegalTransition {
                action: "snooze",
                state: self.state,
            });
        }
        if reason.trim().is_empty() {
            return Err(IncidentError::Empty("the reason"));
        }
        if until <= now {
            return Err(IncidentError::SnoozeInThePast);
        }
        if until - now > chrono::Duration::days(1) && !manager {
            return Err(IncidentError::SnoozeNeedsManager);
        }
        self.snoozed_until = Some(until);
        Ok(vec![entry(
            now,
            actor,
            Event::Snoozed {
                until,
                reason: reason.trim().to_string(),
            },
        )])
    }

    /// Marks the incident a duplicate of `of`: resolved (its clocks stop, its milestones are
    /// met as at a resolution) with a pointer to the incident it duplicates. Only an open or
    /// acknowledged incident, and never itself; a reopen clears the pointer.
    pub fn mark_duplicate(
        &mut self,
        actor: &str,
        of: &IncidentId,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        if !self.state.is_active() {
            return Err(IncidentError::IllegalTransition {
                action: "mark as a duplicate",
                state: self.state,
            });
        }
        if *of == self.id {
            return Err(IncidentError::DuplicateOfItself);
        }
        let mut events = vec![entry(now, actor, Event::MarkedDuplicate { of: of.to_string() })];
        events.extend(self.resolve(actor, Resolution::Fix, None, now)?);
        self.duplicate_of = Some(of.clone());
        Ok(events)
    }

    /// The original's side of a duplicate: incident `duplicate` was marked a duplicate of this
    /// one. A timeline entry only, in any state (the original may be resolved or closed).
    pub fn note_duplicate(&self, actor: &str, duplicate: &IncidentId, now: DateTime<Utc>) -> Vec<TimelineEntry> {
        vec![entry(
            now,
            actor,
            Event::DuplicateLinked {
                duplicate: duplicate.to_string(),
            },
        )]
    }

    /// Adds a human status update: a note and/or structured fields (impact area, affected,
    /// cause, expected resolution); each field given becomes the latest of its kind. Naming
    /// nothing is refused, as is an update to a closed incident.
    pub fn add_status(
        &mut self,
        actor: &str,
        note: Option<&str>,
        fields: &StatusFields,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if fields.is_empty() || note.is_some() {
            return self.add_update(actor, note.unwrap_or_default(), now).map(|mut e| {
                e.extend(self.record_fields(actor, fields, now));
                e
            });
        }
        if self.state == State::Closed {
            return Err(IncidentError::IllegalTransition {
                action: "update",
                state: self.state,
            });
        }
        self.last_human_at = Some(now);
        Ok(self.record_fields(actor, fields, now))
    }

    /// Keeps each field given as the latest of its kind; its timeline entry (none when no
    /// field is given).
    fn record_fields(&mut self, actor: &str, fields: &StatusFields, now: DateTime<Utc>) -> Vec<TimelineEntry> {
        if fields.is_empty() {
            return vec![];
        }
        let l = &mut self.latest_fields;
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let given = StatusFields {
            area: clean(&fields.area),
            affected: clean(&fields.affected),
            cause: clean(&fields.cause),
            eta: fields.eta,
        };
        for (i, (new, old)) in [
            (&given.area, &mut l.fields.area),
            (&given.affected, &mut l.fields.affected),
            (&given.cause, &mut l.fields.cause),
        ]
        .into_iter()
        .enumerate()
        {
            if new.is_some() {
                old.clone_from(new);
                l.at[i] = Some(now);
            }
        }
        if given.eta.is_some() {
            l.fields.eta = given.eta;
            l.at[3] = Some(now);
        }
        vec![entry(now, actor, Event::StatusFields { fields: given })]
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
        let d = deadlines_on(a, self.service(), self.priority(), self.reported_at)?;
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
        if self.recorded[Milestone::Resolution as usize].is_none() {
            self.settled_under[Milestone::Resolution as usize] = None;
        }
        self.resolved_at = None;
        self.duplicate_of = None;
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

    /// A manager waives follow-up `id`, which the agreement requires for the incident's
    /// priority, with a reason: it is not posted. Allowed in every state (follow-ups are
    /// owed after a close too); refused once a follow-up counted from opening was posted.
    pub fn waive_follow_up(
        &mut self,
        a: &Agreement,
        actor: &str,
        id: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        self.check_owed(a, id)?;
        if reason.trim().is_empty() {
            return Err(IncidentError::Empty("the reason"));
        }
        if self.follow_up_waived(id) {
            return Err(IncidentError::Unchanged("the waiver"));
        }
        if self.follow_up_done(id) {
            return Err(IncidentError::FollowUpSettled {
                id: id.to_string(),
                how: "done",
            });
        }
        if self.opened_follow_up_posted(id) {
            return Err(IncidentError::AlreadyPosted(id.to_string()));
        }
        self.waived_follow_ups.push(id.to_string());
        Ok(vec![entry(
            now,
            actor,
            Event::FollowUpWaived {
                id: id.to_string(),
                reason: reason.trim().to_string(),
            },
        )])
    }

    /// Marks follow-up `id`, which the agreement requires for the incident's priority, done
    /// by `actor` at `now`: it is not announced again. Allowed in every state (follow-ups are
    /// owed after a close too); refused for a waived follow-up or one done already.
    pub fn complete_follow_up(
        &mut self,
        a: &Agreement,
        actor: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        self.check_owed(a, id)?;
        if self.follow_up_done(id) {
            return Err(IncidentError::FollowUpSettled {
                id: id.to_string(),
                how: "done",
            });
        }
        if self.follow_up_waived(id) {
            return Err(IncidentError::FollowUpSettled {
                id: id.to_string(),
                how: "waived",
            });
        }
        self.done_follow_ups.push((id.to_string(), now));
        Ok(vec![entry(now, actor, Event::FollowUpDone { id: id.to_string() })])
    }

    /// Refuses a follow-up id the agreement does not require for the incident, naming those
    /// it does.
    fn check_owed(&self, a: &Agreement, id: &str) -> Result<(), IncidentError> {
        let owed: Vec<&str> = a
            .follow_ups
            .iter()
            .filter(|f| f.owed(self.priority(), &self.facts.impact))
            .map(|f| f.id.as_str())
            .collect();
        if owed.contains(&id) {
            return Ok(());
        }
        Err(IncidentError::UnknownFollowUp {
            id: id.to_string(),
            known: if owed.is_empty() {
                "none".into()
            } else {
                owed.join(", ")
            },
        })
    }

    /// Whether priority `to` is less severe than the one in force (agreements list their
    /// priorities most severe first).
    pub fn is_lowering(&self, a: &Agreement, to: &str) -> bool {
        let rank = |p: &str| a.priorities.iter().position(|x| x.id == p);
        matches!((rank(self.priority()), rank(to)), (Some(from), Some(to)) if to > from)
    }

    /// New facts: reclassifies and, if the priority in force changes, recomputes deadlines
    /// (keeping every outcome already recorded). Lowering the priority of a security
    /// incident, or of an incident that missed a deadline, needs a manager (`manager`) and
    /// a `reason`, recorded with the new facts.
    pub fn reclassify(
        &mut self,
        a: &Agreement,
        actor: &str,
        facts: Facts,
        manager: bool,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimelineEntry>, IncidentError> {
        if self.state == State::Closed {
            return Err(IncidentError::IllegalTransition {
                action: "reclassify",
                state: self.state,
            });
        }
        let c = classify_on(a, self.service(), &facts, self.reported_at)?;
        // The deadlines of the priority that will be in force, before anything changes: a
        // failure must leave the incident as it was.
        let after = self
            .priority_override
            .as_ref()
            .map_or(c.priority.as_str(), |o| o.priority.as_str());
        deadlines_on(a, self.service(), after, self.reported_at)?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if self.is_lowering(a, after) {
            let (from, to) = (self.priority().to_string(), after.to_string());
            let security = self.facts.security || facts.security;
            if !manager && security {
                return Err(IncidentError::SecurityNeedsManager { from, to });
            }
            if !manager && self.missed_any(now) {
                return Err(IncidentError::NeedsManager { from, to });
            }
            if (security || self.missed_any(now)) && reason.is_none() {
                return Err(IncidentError::LoweringNeedsReason { from, to });
            }
        }
        if facts == self.facts {
            return Err(IncidentError::Unchanged("the facts"));
        }
        let before = self.priority().to_string();
        let mut events = vec![entry(
            now,
            actor,
            Event::FactsChanged {
                facts: facts.clone(),
                before: Some(self.facts.clone()),
                reason: reason.map(str::to_string),
            },
        )];
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
        deadlines_on(a, self.service(), priority, self.reported_at)?;
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
    pub(super) fn recompute(&mut self, a: &Agreement, now: DateTime<Utc>) -> Result<Vec<TimelineEntry>, IncidentError> {
        let d = self.deadlines_in_force(a)?;
        self.plan_basis = PlanBasis::of(a, self.priority());
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
    use super::super::fixtures::*;
    use super::super::*;
    use crate::domain::classify::{Basis, ChangeReason, ClassifyError, Facts, Reason};
    use crate::domain::test_support::{agreement, t};
    use chrono::{DateTime, Utc};

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

    fn apply(inc: &mut Incident, action: Action, now: DateTime<Utc>) -> Result<Vec<TimelineEntry>, IncidentError> {
        let a = agreement("ssbtek");
        match action {
            Action::Ack => inc.acknowledge("bob", now),
            Action::Update => inc.add_update("bob", " investigating ", now),
            Action::Resolve => inc.resolve("bob", Resolution::Workaround, Some("rerouted".into()), now),
            Action::Reopen => inc.reopen(agreement("ssbtek"), "bob", " it broke again ", now),
            Action::Close => inc.close("boss", now),
            // As a manager: lowering a breached incident's priority is theirs to do.
            Action::Reclassify => inc.reclassify(a, "bob", facts("3"), true, Some("why"), now),
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
            Event::FollowUpWaived { .. } => "follow_up_waived",
            Event::FollowUpDone { .. } => "follow_up_done",
            Event::FollowUpSoon { .. } => "follow_up_soon",
            Event::LeadChanged { .. } => "lead_changed",
            Event::Repaged { .. } => "repaged",
            Event::Edited { .. } => "edited",
            Event::MarkedDuplicate { .. } => "marked_duplicate",
            Event::DuplicateLinked { .. } => "duplicate_linked",
            Event::Snoozed { .. } => "snoozed",
            Event::StatusFields { .. } => "status_fields",
            Event::OutageMarked { .. } => "outage_marked",
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
                i.reclassify(a, "bob", facts("9"), false, None, n)
            }),
            ("bad share", State::Open, |i, a, n| {
                let f = Facts {
                    users_affected: Some(140.0),
                    ..facts("1")
                };
                i.reclassify(a, "bob", f, false, None, n)
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
            service: None,
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
        assert_eq!(
            inc.reclassify(a, "bob", facts("minimal"), false, None, now),
            out_of_range
        );
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
            service: None,
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
        let events = inc
            .reclassify(a, "bob", facts("3"), false, None, now)
            .expect("reclassify");
        assert_eq!(inc.priority(), "3");
        assert_eq!(inc.computed_priority, "3");
        assert_eq!(inc.facts, facts("3"));
        assert_eq!(inc.response_due, Some(t("2026-11-23T15:30:00+01:00")));
        assert_eq!(inc.resolution_due, Some(t("2026-11-27T16:30:00+01:00")));
        let d = crate::domain::classify::deadlines(a, "3", inc.reported_at).expect("deadlines");
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
            inc.reclassify(a, "bob", facts("3"), false, None, now),
            Err(IncidentError::Unchanged("the facts"))
        );
        assert_eq!(inc, before);
        // SSBTEK reads no share of users: refused, nothing changes.
        let share = Facts {
            users_affected: Some(50.0),
            ..facts("3")
        };
        assert!(matches!(
            inc.reclassify(a, "bob", share, false, None, now),
            Err(IncidentError::Classify(ClassifyError::FactNotUsed { .. }))
        ));
        assert_eq!(inc, before);
        // Same priority, new facts (Borger.dk: 25 % → 40 % of users, both priority 1): the
        // facts are recorded, the plan stays.
        let b = agreement("borger-dk");
        let mut inc =
            crate::domain::test_support::open("borger-dk", "BDK-2026-0001", "users", "2026-11-23T09:00:00+01:00");
        let _ = inc.reclassify(
            b,
            "bob",
            Facts {
                users_affected: Some(25.0),
                ..facts("users")
            },
            true,
            Some("why"),
            now,
        );
        let before = inc.clone();
        let share = Facts {
            users_affected: Some(40.0),
            ..facts("users")
        };
        let events = inc
            .reclassify(b, "bob", share.clone(), false, None, now)
            .expect("reclassify");
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
        let events = inc
            .reclassify(a, "bob", facts("3"), false, None, now)
            .expect("reclassify");
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

    #[test]
    fn lowering_a_breached_priority_needs_a_manager_and_outcomes_survive_it() {
        let a = agreement("ssbtek");
        // Priority 1 reported Friday 16:30; its response deadline (17:00) passed unmet.
        let (mut inc, _) = ssbtek_open();
        let now = t("2026-11-23T10:00:00+01:00");
        let before = inc.clone();
        assert_eq!(
            inc.reclassify(a, "bob", facts("3"), false, None, now),
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
        inc.reclassify(a, "mona", facts("3"), true, Some("why"), now)
            .expect("manager lowers");
        assert_eq!(inc.priority(), "3");
        assert_eq!(inc.response_due, Some(t("2026-11-23T15:30:00+01:00")));
        assert_eq!(inc.outcome(Milestone::Response, now), Outcome::MetLate { at: now, due });
        // Raising is anybody's: no refusal.
        inc.reclassify(a, "bob", facts("1"), false, None, now).expect("raise");
        assert_eq!(inc.priority(), "1");
    }

    #[test]
    fn lowering_a_security_incident_needs_a_manager_and_a_reason() {
        // Borger.dk reads the security flag: a security incident is priority 1 (rule 1).
        let b = agreement("borger-dk");
        let at = "2026-11-23T09:00:00+01:00";
        let mut inc = crate::domain::test_support::open("borger-dk", "BDK-2026-0001", "users", at);
        let now = t("2026-11-23T09:05:00+01:00");
        let security = Facts {
            security: true,
            users_affected: Some(10.0),
            ..facts("users")
        };
        inc.reclassify(b, "rita", security.clone(), false, None, now)
            .expect("raise to 1");
        assert_eq!(inc.priority(), "1");
        // Nothing missed yet, but the security flag goes: a responder is refused, a manager
        // without a reason too, and neither changes anything.
        let plain = Facts {
            security: false,
            ..security.clone()
        };
        let before = inc.clone();
        assert_eq!(
            inc.reclassify(b, "rita", plain.clone(), false, Some("why"), now),
            Err(IncidentError::SecurityNeedsManager {
                from: "1".into(),
                to: "2".into()
            })
        );
        assert_eq!(
            inc.reclassify(b, "mona", plain.clone(), true, Some("  "), now),
            Err(IncidentError::LoweringNeedsReason {
                from: "1".into(),
                to: "2".into()
            })
        );
        assert_eq!(inc, before, "refused: nothing changed");
        // The manager's reason is recorded with the old and the new facts.
        let events = inc
            .reclassify(b, "mona", plain.clone(), true, Some(" false alarm "), now)
            .expect("manager lowers");
        assert_eq!(inc.priority(), "2");
        assert_eq!(
            events[0].event,
            Event::FactsChanged {
                facts: plain,
                before: Some(security),
                reason: Some("false alarm".into()),
            }
        );
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
}
