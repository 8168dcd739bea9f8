//! Bot bookkeeping: what the bot did for an incident (warned, escalated, announced a
//! breach, posted a status update or a follow-up) and what the incident keeps of it.

use super::Incident;
use super::event::{Event, TimelineEntry, entry};
use super::outcome::Recorded;
use super::state::Milestone;
use chrono::{DateTime, Utc};

/// Something the bot did for an incident that the incident records (see [`Incident::record`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotAction {
    /// A pre-breach warning went out.
    Warned {
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
    /// A follow-up was announced ahead of its deadline.
    FollowUpSoon {
        /// Follow-up id.
        id: String,
        /// When it falls due.
        due: DateTime<Utc>,
    },
    /// An unacknowledged incident was paged again (`page` ≥ 1), or climbed to `level` and
    /// paged it (`page` 0: the incident's level goes up).
    Repaged {
        /// Ladder level paged, 1-based.
        level: u32,
        /// The re-page's number at the level; 0 for the climb.
        page: u32,
        /// The level's abstract role.
        role: String,
    },
    /// A notification went out (nothing to record on the incident).
    Notified,
}

impl Incident {
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
                let i = *milestone as usize;
                if self.recorded[i].is_none_or(|r| r.met_at.is_none()) {
                    if self.recorded[i].is_none_or(|r| r.breached_at.is_none()) {
                        self.settled_under[i] = Some(self.priority().clone());
                    }
                    self.recorded[i] = Some(Recorded {
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
                self.unanswered_reminders = if *reminded_lead {
                    self.unanswered_reminders + 1
                } else {
                    0
                };
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
            BotAction::FollowUpSoon { id, due } => {
                if !self.follow_up_announced(id, *due) {
                    self.announced_follow_ups.push((id.clone(), *due));
                }
                Event::FollowUpSoon {
                    id: id.clone(),
                    due: *due,
                }
            }
            BotAction::Repaged { level, page: 0, role } => {
                self.level = self.escalation_level().max(*level);
                Event::Escalated {
                    milestone: None,
                    level: *level,
                    role: role.clone(),
                    manual: false,
                    reason: None,
                }
            }
            BotAction::Repaged { level, page, .. } => Event::Repaged {
                level: *level,
                page: *page,
            },
            BotAction::Notified => return vec![],
        };
        vec![entry(now, "vakt", event)]
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

    /// Test support: sets the plan generation directly.
    #[cfg(test)]
    pub(crate) fn set_plan_generation(&mut self, g: u32) {
        self.plan_generation = g;
    }
}
