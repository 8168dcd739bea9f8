//! Typed outbound notices: what the service tells a chat, as data. Adapters (console, Discord,
//! report renderers) choose the words, the layout and how a mention becomes a ping; the
//! service never composes a sentence. A [`Post`](crate::service::ports::Post) is one notice addressed to a channel, with
//! exactly the mentions meant.

use crate::domain::classify::Reason;
use crate::domain::ids::{AgreementId, IncidentId, PriorityId, UserId};
use crate::domain::incident::{Milestone, Outcome, Resolution, State};
use chrono::{DateTime, Utc};

/// One SLA deadline of an incident as a reader needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineView {
    pub milestone: Milestone,
    /// The deadline.
    pub due: DateTime<Utc>,
    /// Where the milestone stands.
    pub outcome: Outcome,
    /// Business seconds left to the deadline while unmet (negative: overdue by that much
    /// business time; −1 when it passed while the schedule was closed).
    pub business_left: Option<i64>,
    /// Wall-clock seconds left to the deadline while unmet (negative: overdue).
    pub wall_left: Option<i64>,
    /// When met late: by how much business time.
    pub business_late: Option<i64>,
    /// When met late: by how much wall time.
    pub wall_late: Option<i64>,
    /// The priority the milestone was settled under, when it is not the one in force (its
    /// deadline is `due`; the outcome was judged against it).
    pub under: Option<PriorityId>,
    /// That priority's name in the agreement (empty when unknown).
    pub under_name: String,
    /// Business seconds in one working day of the target's schedule (longer business
    /// durations are shown in working days); `None` when the schedule is unknown.
    pub day: Option<i64>,
}

/// The incident as every notice shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentSummary {
    /// Human id.
    pub id: IncidentId,
    pub agreement: AgreementId,
    /// Title as typed by the reporter (never parsed for mentions).
    pub title: String,
    /// The description as typed by the reporter (empty when none was given).
    pub description: String,
    /// The affected service or component named at opening.
    pub service: Option<String>,
    /// Priority in force.
    pub priority: PriorityId,
    /// The priority's name in the agreement (`Kritisk`, `A`, `Prio 1`).
    pub priority_name: String,
    pub state: State,
    pub lead: Option<UserId>,
    /// Highest ladder level reached (breach or by hand).
    pub escalation_level: u32,
    /// Response deadline, if the priority has one.
    pub response: Option<DeadlineView>,
    /// Resolution deadline, if the priority has one.
    pub resolution: Option<DeadlineView>,
    /// The latest human note.
    pub last_note: Option<String>,
    /// The latest structured status fields (area, affected, cause, ETA), each with when it
    /// was given.
    pub latest: crate::domain::incident::LatestFields,
    /// When reported.
    pub reported_at: DateTime<Utc>,
    /// The agreement (or the incident's priority in it) is no longer loaded: the summary
    /// shows what was stored, without business time.
    pub agreement_removed: bool,
}

impl IncidentSummary {
    /// The view of milestone `m`'s deadline.
    pub fn deadline(&self, m: Milestone) -> Option<&DeadlineView> {
        match m {
            Milestone::Response => self.response.as_ref(),
            Milestone::Resolution => self.resolution.as_ref(),
        }
    }

    /// Whether the incident is in breach: a deadline passed unmet, or was met late.
    pub fn breaching(&self) -> bool {
        [&self.response, &self.resolution]
            .into_iter()
            .flatten()
            .any(|d| d.outcome.missed() || d.business_left.is_some_and(|s| s < 0))
    }

    /// Whether a deadline has passed unmet and is still running: breached, or pending with no
    /// business time left, on an incident still being worked. A target met late is missed but
    /// not breaching now.
    pub fn breaching_now(&self) -> bool {
        self.state.is_active()
            && [&self.response, &self.resolution]
                .into_iter()
                .flatten()
                .any(|d| match d.outcome {
                    Outcome::Breached { .. } => true,
                    Outcome::Pending { .. } => d.business_left.is_some_and(|l| l < 0),
                    _ => false,
                })
    }
}

/// Who acted, as notices name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorRef {
    /// Stable user id.
    pub id: UserId,
    /// Display name at the time (shown, never compared).
    pub name: String,
}

/// A periodic status update's content.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusContent {
    /// Its number.
    pub seq: u32,
    /// The last human update (note, acknowledgement, resolution, reopen), or the report.
    pub since: DateTime<Utc>,
    /// Whether the lead (or the responders) are reminded to post an update.
    pub remind: bool,
    /// Reminders in a row, this one included, that no human update answered.
    pub unanswered: u32,
    /// This reminder tells the managers (once: the ones after it ping nobody).
    pub managers_told: bool,
    /// The latest structured fields a person gave, each with when.
    pub latest: crate::domain::incident::LatestFields,
    /// When it is posted (the fields' age counts to it).
    pub at: DateTime<Utc>,
    /// The status fields the cadence requires that are not given yet (asked of the lead).
    pub missing: Vec<crate::domain::incident::StatusField>,
    /// The clause requiring them.
    pub missing_clause: String,
}

/// What the service tells the chat.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// An incident was opened.
    Opened {
        incident: IncidentSummary,
        /// Who opened it.
        actor: ActorRef,
        /// Why it got its priority.
        reasons: Vec<Reason>,
    },
    /// A responder acknowledged.
    Acknowledged {
        incident: IncidentSummary,
        /// Who.
        actor: ActorRef,
    },
    /// A human status update: a note and/or structured fields.
    Updated {
        incident: IncidentSummary,
        /// Who.
        actor: ActorRef,
        /// The note as typed (empty when only fields were given).
        note: String,
        /// The structured fields given with it.
        fields: crate::domain::incident::StatusFields,
    },
    /// A pre-breach warning.
    Warning {
        incident: IncidentSummary,
        milestone: Milestone,
        /// Percent of the target's business time used.
        percent: u32,
        deadline: DateTime<Utc>,
    },
    /// A breach escalated, or someone escalated by hand.
    Escalated {
        incident: IncidentSummary,
        /// The milestone that slipped (none: by hand).
        milestone: Option<Milestone>,
        /// The deadline missed, for a breach.
        deadline: Option<DateTime<Utc>>,
        /// Ladder level reached, 1-based.
        level: u32,
        /// The level's name in the agreement.
        level_name: String,
        /// The level's abstract role.
        role: String,
        /// The ladder's clause.
        clause: String,
        /// Who escalated by hand, and why.
        manual: Option<(Option<ActorRef>, Option<String>)>,
        /// Levels passed without a post of their own (vakt was down when they fell due).
        passed: Vec<u32>,
    },
    /// Nobody acknowledged: a ladder level paged again, or the climb to the next level.
    Repaged {
        incident: IncidentSummary,
        /// Ladder level paged, 1-based.
        level: u32,
        /// The level's name in the agreement.
        level_name: String,
        /// The re-page's number at the level; 0: the incident climbed to this level.
        page: u32,
        /// Re-pages at one level before the climb.
        limit: u32,
    },
    /// A periodic status update.
    Status {
        incident: IncidentSummary,
        /// Its content.
        status: StatusContent,
    },
    /// A follow-up the agreement requires fell due.
    FollowUp {
        incident: IncidentSummary,
        /// Follow-up id in the agreement.
        id: String,
        /// What is due, as the agreement file words it (agreement data, not service wording).
        what: String,
        clause: String,
        /// Set for the announcement ahead of the deadline: when it falls due. Unset: due now.
        due: Option<DateTime<Utc>>,
    },
    /// One of the agreement's immediate notifications.
    Notification {
        incident: IncidentSummary,
        /// What to announce, as the agreement file words it.
        what: String,
        /// Clause (empty for rows written before 0.2, whose text holds it).
        clause: String,
        /// The status fields the notice must carry that are not given yet (asked of the
        /// lead), in the agreement's order.
        missing: Vec<crate::domain::incident::StatusField>,
    },
    PriorityChanged {
        /// The incident, with the new priority.
        incident: IncidentSummary,
        /// Before.
        from: PriorityId,
        /// After.
        to: PriorityId,
        /// Who (a manager's override), if by hand.
        actor: Option<ActorRef>,
        /// The manager's reason, for an override.
        reason: Option<String>,
        /// The rules' reasons, for a reclassification.
        reasons: Vec<Reason>,
    },
    Resolved {
        incident: IncidentSummary,
        /// Who.
        actor: ActorRef,
        /// Fix or workaround.
        how: Resolution,
        /// Note as typed.
        note: Option<String>,
    },
    Reopened {
        incident: IncidentSummary,
        /// Who.
        actor: ActorRef,
        /// Why, as typed.
        reason: String,
    },
    Closed {
        incident: IncidentSummary,
        /// Who.
        actor: ActorRef,
    },
    /// Status updates were snoozed until `until`.
    Snoozed {
        incident: IncidentSummary,
        /// Who.
        actor: ActorRef,
        until: DateTime<Utc>,
        /// Why, as typed.
        reason: String,
    },
    /// The title and/or description was edited.
    Edited {
        incident: IncidentSummary,
        /// Who.
        actor: ActorRef,
        /// The title before, when it changed.
        title_before: Option<String>,
        /// Whether the description changed.
        description: bool,
    },
    /// Marked a duplicate of another incident, and so resolved.
    MarkedDuplicate {
        incident: IncidentSummary,
        /// Who.
        actor: ActorRef,
        /// The incident it duplicates.
        of: IncidentId,
    },
    /// The lead changed hands: taken by the actor, or given by them to `to`.
    LeadChanged {
        incident: IncidentSummary,
        /// Who.
        actor: ActorRef,
        /// The lead before, if there was one.
        from: Option<UserId>,
        /// The new lead.
        to: UserId,
    },
    /// The agreement file changed: the incident's deadlines were recomputed and its plan
    /// renewed.
    AgreementChanged {
        /// The incident, with its new deadlines.
        incident: IncidentSummary,
        /// The response deadline before.
        response_before: Option<DateTime<Utc>>,
        /// The resolution deadline before.
        resolution_before: Option<DateTime<Utc>>,
    },
    /// A recurring post from the deployment's configuration.
    Recurring {
        agreement: AgreementId,
        /// Name of the recurring job.
        name: String,
        /// What to post, as configured (deployment data).
        what: String,
    },
    /// A generated report (weekly summary, monthly SLA report, annual report), as data.
    Report {
        agreement: AgreementId,
        /// Which report.
        kind: ReportKind,
        /// The period, `2026-W47`, `2026-10` or `2026`.
        period: String,
        /// The report itself (figures and ids; the adapter words it).
        report: Box<crate::domain::report::ReportValue>,
        /// Its stored revision (1: first computation).
        revision: i32,
        /// For a revision: the incidents added, removed and changed since the one before.
        changes: Option<crate::domain::revision::ReportChanges>,
    },
    /// The reminder before a meeting, with its agenda.
    /// A maintenance window's reminder: before it starts, or when it should have ended.
    Maintenance {
        agreement: AgreementId,
        /// The window as stored.
        window: Box<crate::domain::maintenance::MaintenanceWindow>,
        /// Which reminder.
        moment: crate::domain::jobs::maintenance::Moment,
    },
    MeetingReminder {
        agreement: AgreementId,
        /// Meeting id in the agreement.
        meeting: String,
        /// The meeting's name as the agreement words it.
        name: String,
        /// The agreement's incidents open (or acknowledged) when the reminder is posted.
        open: Vec<IncidentSummary>,
        /// When it starts.
        starts_at: DateTime<Utc>,
        /// The agenda: the weekly summary or the period's report, when the meeting has one.
        agenda: Option<Box<crate::domain::report::ReportValue>>,
        /// Its open follow-up points (to be answered before it).
        points: Vec<crate::domain::meeting::MeetingPoint>,
    },
}

/// The reports vakt posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// The weekly status-meeting summary.
    Weekly,
    /// The monthly SLA report.
    Monthly,
    /// The annual report (Difi 1.4.2).
    Annual,
}

impl ReportKind {
    /// The name stored in the report table.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Weekly => "weekly",
            ReportKind::Monthly => "monthly",
            ReportKind::Annual => "annual",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "weekly" => ReportKind::Weekly,
            "monthly" => ReportKind::Monthly,
            "annual" => ReportKind::Annual,
            _ => return None,
        })
    }
}

impl Notice {
    /// The incident the notice is about, if any.
    pub fn incident(&self) -> Option<&IncidentSummary> {
        match self {
            Notice::Opened { incident, .. }
            | Notice::Acknowledged { incident, .. }
            | Notice::Updated { incident, .. }
            | Notice::Warning { incident, .. }
            | Notice::Escalated { incident, .. }
            | Notice::Repaged { incident, .. }
            | Notice::Status { incident, .. }
            | Notice::FollowUp { incident, .. }
            | Notice::Notification { incident, .. }
            | Notice::PriorityChanged { incident, .. }
            | Notice::Resolved { incident, .. }
            | Notice::Reopened { incident, .. }
            | Notice::Closed { incident, .. }
            | Notice::LeadChanged { incident, .. }
            | Notice::Edited { incident, .. }
            | Notice::Snoozed { incident, .. }
            | Notice::MarkedDuplicate { incident, .. }
            | Notice::AgreementChanged { incident, .. } => Some(incident),
            Notice::Recurring { .. }
            | Notice::Report { .. }
            | Notice::MeetingReminder { .. }
            | Notice::Maintenance { .. } => None,
        }
    }
}

/// Someone a post pings, abstractly: the adapter maps each to chat roles or users from its
/// configuration.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mention {
    /// The role of a ladder level of the post's agreement.
    Ladder {
        /// Level, 1-based.
        level: u32,
        /// The agreement's abstract role at that level.
        role: String,
    },
    /// The agreement's responders.
    Responders,
    /// The agreement's managers.
    Managers,
    User(UserId),
}
