//! Reading incidents as adapters need them: one incident with its summary (priority name,
//! deadlines with outcome and time left in business and wall time), lists by scope, and the
//! timeline.

use super::notice::{DeadlineView, IncidentSummary};
use super::ports::{IncidentFilter, IncidentOrder};
use super::{Service, ServiceError};
use crate::domain::agreement::Agreement;
use crate::domain::classify::deadlines_on;
use crate::domain::classify::{Classified, Deadlines};
use crate::domain::ids::PriorityId;
use crate::domain::ids::{AgreementId, IncidentId, MessageId};
use crate::domain::incident::{Incident, Milestone, Outcome, State, TimelineEntry};
use crate::domain::meeting::MeetingPoint;
use crate::domain::plan::PlanError;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// What a command returns, for the adapter to render (the words are `render::reply`'s).
#[derive(Debug, Clone)]
pub enum Reply {
    /// An incident was opened.
    Opened(IncidentView),
    /// What an incident would be.
    Previewed {
        agreement: Arc<Agreement>,
        /// The classification.
        classified: Classified,
        /// The deadlines from the clock start.
        deadlines: Deadlines,
    },
    Acknowledged(IncidentView),
    /// A note was added.
    Updated(IncidentView),
    Resolved(IncidentView),
    Reopened(IncidentView),
    Closed(IncidentView),
    /// A follow-up marked done.
    FollowUpDone {
        incident: IncidentView,
        /// The follow-up's id.
        follow_up: String,
    },
    /// A manager waived a follow-up.
    Waived {
        incident: IncidentView,
        /// The follow-up's id in the agreement.
        follow_up: String,
    },
    /// Escalated by hand.
    Escalated(IncidentView),
    /// The lead changed hands.
    LeadChanged(IncidentView),
    /// The title or description was edited.
    Edited(IncidentView),
    /// Status updates were snoozed.
    Snoozed(IncidentView),
    /// Marked a duplicate of another incident (and resolved).
    MarkedDuplicate(IncidentView),
    /// Marked as an outage of its service (or the marking changed).
    OutageMarked(IncidentView),
    /// A public text was published for the status page.
    Published {
        incident: IncidentView,
        /// How many public texts the incident has now (1: it just appeared on the page).
        count: usize,
    },
    /// New facts were recorded (the priority may have changed).
    Reclassified(IncidentView),
    /// A manager set the priority.
    Overridden(IncidentView),
    /// One incident.
    Shown(IncidentView),
    /// An incident's timeline, oldest first.
    Timeline {
        incident: IncidentView,
        entries: Vec<TimelineEntry>,
    },
    /// One page of incidents, by priority then next deadline (`all`: newest first).
    Listed {
        /// Which scope was asked for.
        scope: ListScope,
        incidents: Vec<IncidentView>,
        /// Which page, from 1.
        page: u32,
        /// Whether a next page has incidents.
        more: bool,
        /// The agreement the list was limited to, if any (with the scope, type and page:
        /// what an adapter needs to offer the previous and next pages).
        agreement: Option<AgreementId>,
        /// The case type the list was limited to, if any.
        case_type: Option<String>,
    },
    /// An agreement's targets and hours.
    Explained {
        agreement: Arc<Agreement>,
        /// Only this priority, if asked.
        priority: Option<PriorityId>,
    },
    /// A follow-up point was raised.
    PointAdded(MeetingPoint),
    /// A follow-up point is done (it may have been already).
    PointDone(MeetingPoint),
    /// The open follow-up points of an agreement, by due time.
    Points {
        agreement: Arc<Agreement>,
        points: Vec<MeetingPoint>,
    },
    /// A maintenance window was recorded.
    WindowAnnounced {
        agreement: Arc<Agreement>,
        window: crate::domain::maintenance::MaintenanceWindow,
    },
    /// The maintenance windows to come, by start.
    Windows {
        agreement: Arc<Agreement>,
        windows: Vec<crate::domain::maintenance::MaintenanceWindow>,
    },
    /// A maintenance window was cancelled (it may have been already).
    WindowCancelled {
        agreement: Arc<Agreement>,
        window: crate::domain::maintenance::MaintenanceWindow,
    },
    /// A report, shown to the one who asked (Discord: ephemerally); a
    /// [`Notice::Report`](super::notice::Notice::Report), stored as generated.
    Report(Box<super::notice::Notice>),
}

impl Reply {
    /// The one agreement the reply is about (the adapter writes it in that agreement's
    /// language), `None` for a list, which may span agreements.
    pub fn agreement(&self) -> Option<&str> {
        match self {
            Reply::Opened(v)
            | Reply::Acknowledged(v)
            | Reply::Updated(v)
            | Reply::Resolved(v)
            | Reply::Reopened(v)
            | Reply::Closed(v)
            | Reply::FollowUpDone { incident: v, .. }
            | Reply::Waived { incident: v, .. }
            | Reply::Published { incident: v, .. }
            | Reply::Escalated(v)
            | Reply::LeadChanged(v)
            | Reply::Edited(v)
            | Reply::Snoozed(v)
            | Reply::MarkedDuplicate(v)
            | Reply::OutageMarked(v)
            | Reply::Reclassified(v)
            | Reply::Overridden(v)
            | Reply::Shown(v)
            | Reply::Timeline { incident: v, .. } => Some(v.incident.agreement().as_str()),
            Reply::Previewed { agreement, .. }
            | Reply::Explained { agreement, .. }
            | Reply::Points { agreement, .. }
            | Reply::WindowAnnounced { agreement, .. }
            | Reply::Windows { agreement, .. }
            | Reply::WindowCancelled { agreement, .. } => Some(&agreement.id),
            Reply::PointAdded(p) | Reply::PointDone(p) => Some(p.agreement.as_str()),
            Reply::Report(n) => match n.as_ref() {
                super::notice::Notice::Report { agreement, .. } => Some(agreement.as_str()),
                n => n.incident().map(|i| i.agreement.as_str()),
            },
            Reply::Listed { .. } => None,
        }
    }

    /// Every agreement the reply is about: the one of [`Reply::agreement`], or those of a
    /// list's incidents (the adapter writes a list in their language when they share one).
    pub fn agreements(&self) -> Vec<&str> {
        match self {
            Reply::Listed { incidents, .. } => incidents.iter().map(|v| v.incident.agreement().as_str()).collect(),
            other => other.agreement().into_iter().collect(),
        }
    }
}

/// An incident with what an adapter needs to show it.
#[derive(Debug, Clone)]
pub struct IncidentView {
    pub incident: Incident,
    /// Its summary at the time of reading.
    pub summary: IncidentSummary,
}

impl IncidentView {
    /// Whether an unmet deadline has passed.
    pub fn breaching(&self) -> bool {
        self.summary.breaching()
    }

    /// Business seconds left to the response deadline while unmet.
    pub fn response_left(&self) -> Option<i64> {
        self.summary.response.as_ref().and_then(|d| d.business_left)
    }

    /// Business seconds left to the resolution deadline while unmet.
    pub fn resolution_left(&self) -> Option<i64> {
        self.summary.resolution.as_ref().and_then(|d| d.business_left)
    }
}

/// Incidents on one page of a list.
pub const PAGE: u32 = 25;

/// One page of an incident list.
#[derive(Debug, Clone)]
pub struct ListPage {
    /// The incidents on it, at most [`PAGE`].
    pub items: Vec<IncidentView>,
    /// Which page (from 0).
    pub page: u32,
    /// Whether a next page has incidents.
    pub more: bool,
}

/// Which incidents `list` returns (and `/incident list` shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListScope {
    /// Open and acknowledged (the default).
    #[default]
    Active,
    /// Active and in breach: a deadline passed unmet, or was met late.
    Breaching,
    /// Any incident with a deadline missed during the current week (from Monday 00:00 in
    /// its agreement's zone).
    BreachedThisWeek,
    /// All incidents, closed ones too.
    All,
}

impl ListScope {
    /// The scope's choice word (`breached-this-week`), as the commands offer it.
    pub fn as_str(self) -> &'static str {
        match self {
            ListScope::Active => "active",
            ListScope::Breaching => "breaching",
            ListScope::BreachedThisWeek => "breached-this-week",
            ListScope::All => "all",
        }
    }

    /// The scope for a choice word, `None` for another word.
    pub fn from_choice(s: &str) -> Option<Self> {
        [
            ListScope::Active,
            ListScope::Breaching,
            ListScope::BreachedThisWeek,
            ListScope::All,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// Monday 00:00 of `now`'s week in `tz`.
fn week_start(now: DateTime<Utc>, tz: chrono_tz::Tz) -> DateTime<Utc> {
    crate::domain::period::Period::week_containing(now.with_timezone(&tz).date_naive())
        .bounds(tz)
        .0
}

/// The summary of `inc` at `now` under agreement `a`. A settled milestone shows the deadline
/// and priority it was judged against; a pending one the deadline in force.
pub fn summarize(a: &Agreement, inc: &Incident, now: DateTime<Utc>) -> Result<IncidentSummary, ServiceError> {
    Ok(IncidentSummary {
        id: inc.id().clone(),
        agreement: inc.agreement().clone(),
        title: inc.title().to_string(),
        description: inc.description().to_string(),
        service: inc.service().map(str::to_string),
        priority: inc.priority().clone(),
        priority_name: a.priority(inc.priority()).map_or(String::new(), |p| p.name.clone()),
        state: inc.state(),
        lead: inc.lead().cloned(),
        escalation_level: inc.escalation_level(),
        response: deadline_view(a, inc, Milestone::Response, now)?,
        resolution: deadline_view(a, inc, Milestone::Resolution, now)?,
        last_note: inc.last_note().map(str::to_string),
        latest: inc.latest_fields().clone(),
        reported_at: inc.reported_at(),
        agreement_removed: false,
    })
}

/// Milestone `m` of `inc` at `now`: its deadline (the one it was judged against once
/// settled), outcome and time left or late on the schedule of the priority it is judged
/// under. `None` when that priority has no such target.
fn deadline_view(
    a: &Agreement,
    inc: &Incident,
    m: Milestone,
    now: DateTime<Utc>,
) -> Result<Option<DeadlineView>, ServiceError> {
    let outcome = inc.outcome(m, now);
    let under = inc.judged_under(m);
    let Some(due) = inc.judged_due(m) else {
        return Ok(None);
    };
    // A priority no longer in the agreement: its deadline stands, without business time.
    let d = match a.priority(under) {
        Some(_) => Some(deadlines_on(a, inc.service(), under, inc.reported_at())?),
        None => None,
    };
    let dl = d.as_ref().and_then(|d| match m {
        Milestone::Response => d.response.as_ref(),
        Milestone::Resolution => d.resolution.as_ref(),
    });
    if dl.is_none() && under == inc.priority() {
        return Ok(None);
    }
    let s = match dl {
        Some(dl) => Some(
            a.schedule(&dl.schedule)
                .ok_or_else(|| PlanError::UnknownSchedule(dl.schedule.clone()))?,
        ),
        None => None,
    };
    let (mut business_left, mut wall_left, mut business_late, mut wall_late) = (None, None, None, None);
    match outcome {
        Outcome::Pending { .. } | Outcome::Breached { .. } => {
            if let Some(s) = s {
                let left = s.between(now, due).map_err(PlanError::from)?;
                // At or past the deadline with no business time left: breached, even while
                // the schedule is closed (no business time has run over it yet).
                business_left = Some(if left == 0 && now >= due { -1 } else { left });
            }
            wall_left = Some((due - now).num_seconds());
        }
        Outcome::MetLate { at, due } => {
            if let Some(s) = s {
                business_late = Some(s.between(due, at).map_err(PlanError::from)?.abs());
            }
            wall_late = Some((at - due).num_seconds());
        }
        Outcome::MetOnTime { .. } | Outcome::NotApplicable => {}
    }
    let (under, under_name) = if under == inc.priority() {
        (None, String::new())
    } else {
        let name = a.priority(under).map_or(String::new(), |p| p.name.clone());
        (Some(under.clone()), name)
    };
    Ok(Some(DeadlineView {
        milestone: m,
        due,
        outcome,
        business_left,
        wall_left,
        business_late,
        wall_late,
        under,
        under_name,
        day: s.map(|s| s.working_day()),
    }))
}

/// The summary of an incident whose agreement (or priority) is no longer loaded: the stored
/// deadlines and outcomes, wall time only.
pub fn summarize_stored(inc: &Incident, now: DateTime<Utc>) -> IncidentSummary {
    let view = |m: Milestone| {
        inc.judged_due(m).map(|due| {
            let outcome = inc.outcome(m, now);
            let under = (inc.judged_under(m) != inc.priority()).then(|| inc.judged_under(m).clone());
            let (wall_left, wall_late) = match outcome {
                Outcome::Pending { .. } | Outcome::Breached { .. } => (Some((due - now).num_seconds()), None),
                Outcome::MetLate { at, due } => (None, Some((at - due).num_seconds())),
                _ => (None, None),
            };
            DeadlineView {
                milestone: m,
                due,
                outcome,
                business_left: None,
                wall_left,
                business_late: None,
                wall_late,
                under,
                under_name: String::new(),
                day: None,
            }
        })
    };
    IncidentSummary {
        id: inc.id().clone(),
        agreement: inc.agreement().clone(),
        title: inc.title().to_string(),
        description: inc.description().to_string(),
        service: inc.service().map(str::to_string),
        priority: inc.priority().clone(),
        priority_name: String::new(),
        state: inc.state(),
        lead: inc.lead().cloned(),
        escalation_level: inc.escalation_level(),
        response: view(Milestone::Response),
        resolution: view(Milestone::Resolution),
        last_note: inc.last_note().map(str::to_string),
        latest: inc.latest_fields().clone(),
        reported_at: inc.reported_at(),
        agreement_removed: true,
    }
}

impl Service {
    /// One incident with time left to its deadlines.
    pub async fn show(&self, id: &str) -> Result<IncidentView, ServiceError> {
        let inc = self.load(id).await?;
        self.view(inc)
    }

    /// The view of `inc`; an incident whose agreement or priority is no longer loaded stays
    /// readable from what was stored (`agreement_removed`).
    pub(crate) fn view(&self, inc: Incident) -> Result<IncidentView, ServiceError> {
        let now = self.clock.now();
        let summary = match self.catalog.for_incident(&inc) {
            Some(a) if a.priority(inc.priority()).is_some() => summarize(a, &inc, now)?,
            _ => summarize_stored(&inc, now),
        };
        Ok(IncidentView { incident: inc, summary })
    }

    /// Incidents of one agreement (or all), by scope: every one of them (see
    /// [`list_page`](Self::list_page) for a page). Active scopes are sorted by priority then
    /// next deadline; `all` newest first.
    pub async fn list(&self, agreement: Option<&str>, scope: ListScope) -> Result<Vec<IncidentView>, ServiceError> {
        Ok(self.listed(agreement, None, scope, None).await?.0)
    }

    /// Page `page` (from 0) of [`list`](Self::list), [`PAGE`] incidents a page, read by index
    /// (only the page, and for the scopes judged on business time only the scope's
    /// candidates, are loaded).
    pub async fn list_page(
        &self,
        agreement: Option<&str>,
        scope: ListScope,
        page: u32,
    ) -> Result<ListPage, ServiceError> {
        self.list_page_of(agreement, None, scope, page).await
    }

    /// [`list_page`](Self::list_page) of the cases of one type only (`incident`, `problem`;
    /// `None`: every type), filtered by the store's index. A type no agreement has (or not the
    /// one named) is refused.
    pub async fn list_page_of(
        &self,
        agreement: Option<&str>,
        case_type: Option<&str>,
        scope: ListScope,
        page: u32,
    ) -> Result<ListPage, ServiceError> {
        if let Some(t) = case_type {
            let candidates: Vec<&Arc<Agreement>> = match agreement {
                Some(a) => vec![self.agreement(a)?.0],
                None => self.catalog.agreements.iter().collect(),
            };
            if !candidates.iter().any(|a| a.for_case_type(t).is_some()) {
                let mut known: Vec<&str> = candidates.iter().flat_map(|a| a.case_type_ids()).collect();
                known.sort_unstable();
                known.dedup();
                return Err(super::UserError::UnknownCaseType {
                    case_type: t.to_string(),
                    known: known.join(", "),
                }
                .into());
            }
        }
        let (items, more) = self.listed(agreement, case_type, scope, Some(page)).await?;
        Ok(ListPage { items, page, more })
    }

    /// The incidents of a scope (a page of them, when `page` is given) and whether more follow.
    async fn listed(
        &self,
        agreement: Option<&str>,
        case_type: Option<&str>,
        scope: ListScope,
        page: Option<u32>,
    ) -> Result<(Vec<IncidentView>, bool), ServiceError> {
        if let Some(a) = agreement {
            self.agreement(a)?;
        }
        let now = self.clock.now();
        // The earliest start of this week in any agreement's zone: a superset of each one's.
        let week = self
            .catalog
            .agreements
            .iter()
            .map(|a| week_start(now, a.tz))
            .chain([week_start(now, chrono_tz::UTC)])
            .min()
            .unwrap_or(now);
        let mut filter = IncidentFilter {
            agreement: agreement.map(AgreementId::new),
            case_type: case_type.map(str::to_string),
            order: IncidentOrder::Priority,
            ..IncidentFilter::default()
        };
        match scope {
            ListScope::Active => filter.states = vec![State::Open, State::Acknowledged],
            ListScope::Breaching => {
                filter.states = vec![State::Open, State::Acknowledged];
                filter.breaching_at = Some(now);
            }
            ListScope::BreachedThisWeek => filter.deadline_between = Some((week, now)),
            ListScope::All => filter.order = IncidentOrder::Newest,
        }
        // Scopes the store selects exactly are paged by the store; the others are judged here
        // over the store's candidates, then paged.
        let exact = matches!(scope, ListScope::Active | ListScope::All);
        if let (Some(page), true) = (page, exact) {
            filter.limit = PAGE + 1;
            filter.offset = page.saturating_mul(PAGE);
        }
        let mut out = Vec::new();
        for inc in self.store.incidents(&filter).await? {
            let v = self.view(inc)?;
            let keep = match scope {
                ListScope::Active | ListScope::All => true,
                ListScope::Breaching => v.breaching(),
                ListScope::BreachedThisWeek => {
                    let tz = self
                        .catalog
                        .get(v.incident.agreement())
                        .map_or(chrono_tz::UTC, |a| a.tz);
                    let since = week_start(now, tz);
                    [&v.summary.response, &v.summary.resolution]
                        .into_iter()
                        .flatten()
                        .any(|d| d.outcome.missed() && d.due >= since && d.due <= now)
                }
            };
            if keep {
                out.push(v);
            }
        }
        let Some(page) = page else {
            return Ok((out, false));
        };
        if !exact {
            out = out.into_iter().skip(page.saturating_mul(PAGE) as usize).collect();
        }
        let more = out.len() > PAGE as usize;
        out.truncate(PAGE as usize);
        Ok((out, more))
    }

    /// Incidents for an id's autocomplete: those in `states` (all when empty) whose id starts
    /// with `typed` or whose title holds it, by priority then next deadline, at most `limit`.
    pub async fn search_incidents(
        &self,
        typed: &str,
        states: &[State],
        limit: u32,
    ) -> Result<Vec<IncidentView>, ServiceError> {
        let filter = IncidentFilter {
            states: states.to_vec(),
            search: Some(typed.to_string()),
            order: if states.is_empty() {
                IncidentOrder::Newest
            } else {
                IncidentOrder::Priority
            },
            limit,
            ..IncidentFilter::default()
        };
        self.store
            .incidents(&filter)
            .await?
            .into_iter()
            .map(|inc| self.view(inc))
            .collect()
    }

    /// The incident `id` as stored, if there is one (a stale button asks whether its incident
    /// still exists, and in which state).
    pub async fn find_incident(&self, id: &str) -> Result<Option<Incident>, ServiceError> {
        Ok(self.store.incident(&IncidentId::new(id)).await?)
    }

    /// Every open or acknowledged incident, of any agreement (loaded or not).
    pub async fn open_incidents(&self) -> Result<Vec<Incident>, ServiceError> {
        let filter = IncidentFilter {
            states: vec![State::Open, State::Acknowledged],
            ..IncidentFilter::default()
        };
        Ok(self.store.incidents(&filter).await?)
    }

    /// The incident whose conversation (a Discord thread) is `conversation`, if any.
    pub async fn conversation_incident(&self, conversation: &str) -> Result<Option<IncidentId>, ServiceError> {
        Ok(self.store.conversation_incident(&MessageId::new(conversation)).await?)
    }

    /// When the next job falls due, if any (a fake clock steps to it).
    pub async fn next_due(&self) -> Result<Option<DateTime<Utc>>, ServiceError> {
        Ok(self.store.next_due().await?)
    }

    /// The time of the latest stored activity, if any (a clock must not start before it).
    pub async fn latest_activity(&self) -> Result<Option<DateTime<Utc>>, ServiceError> {
        Ok(self.store.latest_activity().await?)
    }

    /// The timeline of an incident.
    pub async fn timeline(&self, id: &str) -> Result<Vec<TimelineEntry>, ServiceError> {
        self.load(id).await?;
        Ok(self.store.timeline(&IncidentId::new(id)).await?)
    }
}

/// One dated entry of an agreement's calendar.
#[derive(Debug, Clone, PartialEq)]
pub enum CalendarEntry {
    /// A maintenance window as stored (its `cancelled` says whether it still stands).
    Maintenance {
        /// The window.
        window: Box<crate::domain::maintenance::MaintenanceWindow>,
        /// The service's name in the agreement (its id when the agreement no longer has it).
        service_name: String,
    },
    /// One occurrence of a scheduled meeting.
    Meeting {
        /// The meeting's id in the agreement.
        meeting: String,
        /// Its name as the agreement words it.
        name: String,
        /// When it starts.
        start: DateTime<Utc>,
        /// When it is shown to end ([`super::calendar::MEETING_MINUTES`] later).
        end: DateTime<Utc>,
    },
    /// The day the monthly report of `period` is due.
    MonthlyReport {
        /// The month reported on.
        period: crate::domain::period::Period,
        /// The local date it is due.
        due: chrono::NaiveDate,
    },
    /// The day the annual report of `year` is due.
    AnnualReport {
        /// The year reported on.
        year: i32,
        /// The local date it is due.
        due: chrono::NaiveDate,
    },
}

/// An agreement's calendar: what the feed at `/calendar/<agreement>.ics` lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// The agreement's id.
    pub agreement: String,
    /// The agreement's name.
    pub name: String,
    /// The agreement's zone (report due dates are local dates in it).
    pub tz: chrono_tz::Tz,
    /// When the calendar was read.
    pub now: DateTime<Utc>,
    /// The entries, maintenance first, then meetings, then reports, each by date.
    pub entries: Vec<CalendarEntry>,
}
