//! The weekly status-meeting summary (Altinn 3.1.2, 3.1.3; offered for every agreement):
//! the week's figures, open incidents with time left, the breaches live in the week,
//! month-to-date compliance, status updates due versus posted, the agreement's follow-ups,
//! the meeting's open follow-up points, and what falls due in the coming two weeks.

use super::figures::{
    Breach, CaseTypeFigures, Figures, FollowUpSettled, Settled, breach, case_type_figures, figures, follow_up_settled,
    follow_ups_due, incidents_only, met_by, settled, target_schedule,
};
use super::{ReportError, Source, SourceSet};
use crate::domain::agreement::Agreement;
use crate::domain::ids::{IncidentId, UserId};
use crate::domain::incident::{Event, Incident, Milestone, State, TimelineEntry};
use crate::domain::meeting::MeetingPoint;
use crate::domain::period::{IsoWeekSpec, MonthSpec};
use crate::domain::plan::next_status_at;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Incident timelines by incident id (what the weekly summary reads posted updates and
/// follow-ups from).
pub type Timelines = HashMap<IncidentId, Vec<TimelineEntry>>;

/// The timeline events the weekly summary reads, by their stored type (the `type` tag of
/// [`Event`]): a store may leave every other event out of the [`Timelines`] it is given.
pub const WEEKLY_EVENTS: &[&str] = &[
    "status_posted",
    "status_update",
    "resolved",
    "follow_up_due",
    "follow_up_waived",
];

/// How long "the coming two weeks" is.
const COMING: i64 = 14 * 24 * 3600;

/// Time left to a deadline at `as_of` (negative: overdue by that much).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLeft {
    /// The deadline in force.
    pub due: DateTime<Utc>,
    /// Business seconds left on the target's schedule (negative: overdue; −1 when overdue
    /// while the schedule stayed closed).
    pub business_left: i64,
    /// Wall seconds left (negative: overdue).
    pub wall_left: i64,
}

/// An incident open at `as_of`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenIncident {
    pub incident: IncidentId,
    /// Priority in force.
    pub priority: String,
    /// State at `as_of` (open or acknowledged).
    pub state: State,
    /// When it was reported.
    pub reported_at: DateTime<Utc>,
    /// Escalation level reached.
    pub level: u32,
    /// Time left to the response deadline, while the response is unmet.
    pub response: Option<TimeLeft>,
    /// Time left to the resolution deadline.
    pub resolution: Option<TimeLeft>,
}

/// Periodic status updates of one incident in the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusUpdates {
    pub incident: IncidentId,
    /// Priority in force.
    pub priority: String,
    /// Updates due in the week by the priority's cadence (counted from the report, while
    /// the incident was unresolved; the outside-window rule applied as the planner does).
    pub due: u32,
    /// Periodic status updates the bot posted in the week.
    pub posted: u32,
    /// Human status notes written in the week.
    pub notes: u32,
}

/// A follow-up the agreement requires for one incident (feedback, ETA, review report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpItem {
    pub incident: IncidentId,
    /// Follow-up id in the agreement file.
    pub follow_up: String,
    /// When it is due.
    pub due: DateTime<Utc>,
    /// Whether vakt posted it (by `as_of`).
    pub posted: bool,
    /// Done on time, done late or waived (by `as_of`); none: not settled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled: Option<FollowUpSettled>,
    /// Whether a manager waived it (by `as_of`; the reason is in the timeline).
    #[serde(default)]
    pub waived: bool,
}

/// A meeting follow-up point open at `as_of`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointItem {
    /// Point number.
    pub id: i64,
    /// Meeting id.
    pub meeting: String,
    /// The point as typed (renderers must keep it from pinging anyone).
    pub text: String,
    pub owner: Option<UserId>,
    pub due: DateTime<Utc>,
    /// Due before `as_of` and not done.
    pub overdue: bool,
}

/// A maintenance window in the week or the coming two weeks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowItem {
    /// Window number.
    pub id: i64,
    /// Service id.
    pub service: String,
    /// Maintenance kind id.
    pub kind: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// What is done, as typed (renderers must keep it from pinging anyone).
    pub description: String,
    /// The clauses of the rules it breaks (recorded anyway by a manager).
    pub breaks: Vec<String>,
}

impl From<&crate::domain::maintenance::MaintenanceWindow> for WindowItem {
    fn from(w: &crate::domain::maintenance::MaintenanceWindow) -> Self {
        WindowItem {
            id: w.id,
            service: w.service.clone(),
            kind: w.kind.clone(),
            start: w.start,
            end: w.end,
            description: w.description.clone(),
            breaks: w.breaches.iter().map(|b| b.clause().to_string()).collect(),
        }
    }
}

/// What falls due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ComingKind {
    /// An open incident's deadline.
    Deadline { incident: IncidentId, milestone: Milestone },
    /// A follow-up not yet posted.
    FollowUp {
        incident: IncidentId,
        /// Follow-up id.
        follow_up: String,
    },
    /// A meeting point not yet done.
    Point {
        /// Point number.
        id: i64,
    },
}

/// One thing due in the coming two weeks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComingItem {
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    #[serde(flatten)]
    pub kind: ComingKind,
}

/// The weekly summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeeklyReport {
    /// Agreement id.
    pub agreement: String,
    pub week: IsoWeekSpec,
    /// The agreement's zone.
    pub zone: String,
    /// The week's own figures: opened and resolved by priority, milestones settled in it.
    pub figures: Figures,
    /// Incidents open at `as_of`, oldest first.
    pub open: Vec<OpenIncident>,
    /// Every missed milestone live in the week (deadline in the week, or earlier and still
    /// unmet at the week's start), by deadline.
    pub breaches: Vec<Breach>,
    /// The month compliance so far is reported for (the month of `as_of`).
    pub month: MonthSpec,
    /// Its figures from its start to `as_of`.
    pub month_to_date: Figures,
    /// Status updates due versus posted, per incident with a cadence active in the week.
    pub status_updates: Vec<StatusUpdates>,
    /// Follow-ups due in the week (also those due after `as_of`, not yet posted).
    pub follow_ups: Vec<FollowUpItem>,
    /// The meetings' follow-up points open at `as_of`, by due date.
    pub points: Vec<PointItem>,
    /// End of "the coming two weeks" (`as_of` + 14 days).
    pub coming_until: DateTime<Utc>,
    /// What falls due from `as_of` to `coming_until`, by time.
    pub coming: Vec<ComingItem>,
    /// The maintenance windows from the week's start to `coming_until`, by start (filled in
    /// by the service, which holds them; none in summaries stored before they were listed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub maintenance: Vec<WindowItem>,
    /// Each case type besides incidents: the week's figures on its own targets and goal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub case_types: Vec<CaseTypeFigures>,
    /// The incidents it was computed from.
    pub sources: Vec<Source>,
}

impl WeeklyReport {
    /// The `(incident id, version)` pairs the report was computed from, sorted by id.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The moment the summary was judged at.
    pub fn as_of(&self) -> DateTime<Utc> {
        self.figures.as_of
    }
}

fn time_left(
    a: &Agreement,
    inc: &Incident,
    m: Milestone,
    as_of: DateTime<Utc>,
) -> Result<Option<TimeLeft>, ReportError> {
    let Some(due) = inc.due(m) else {
        return Ok(None);
    };
    if met_by(inc, m, as_of).is_some() {
        return Ok(None);
    }
    let business_left = match target_schedule(a, inc.priority(), m)? {
        Some(s) => {
            let left = s.between(as_of, due)?;
            if left == 0 && as_of > due { -1 } else { left }
        }
        None => 0,
    };
    Ok(Some(TimeLeft {
        due,
        business_left,
        wall_left: (due - as_of).num_seconds(),
    }))
}

/// The weekly summary of `week` for agreement `a`, judged at the week's end or `now`,
/// whichever is earlier. `points` may hold every agreement's points (others are ignored).
pub fn weekly(
    a: &Agreement,
    incidents: &[Incident],
    timelines: &Timelines,
    points: &[MeetingPoint],
    week: IsoWeekSpec,
    now: DateTime<Utc>,
) -> Result<WeeklyReport, ReportError> {
    let all: Vec<&Incident> = incidents.iter().filter(|i| i.agreement().as_str() == a.id).collect();
    let mine = incidents_only(&all);
    let (from, to) = week.bounds(a.tz);
    let week_figures = figures(a, &mine, from, to, now)?;
    let case_types = case_type_figures(a, &all, from, to, now)?;
    let as_of = week_figures.as_of;
    let w = Week {
        a,
        from,
        to,
        as_of,
        coming_until: as_of + Duration::seconds(COMING),
    };
    // The month of the last instant judged (a week judged at its end, Monday 00:00, reports
    // the month of the Sunday).
    let last = if as_of > from {
        as_of - Duration::seconds(1)
    } else {
        as_of
    };
    let month = MonthSpec::containing(last.with_timezone(&a.tz).date_naive());
    let (month_from, month_to) = month.bounds(a.tz);
    let month_to_date = figures(a, &mine, month_from, month_to, as_of)?;

    let mut parts = Parts::default();
    let no_timeline: Vec<TimelineEntry> = Vec::new();
    for inc in &mine {
        if inc.reported_at() >= as_of {
            continue;
        }
        let resolved = met_by(inc, Milestone::Resolution, as_of);
        let timeline = timelines.get(inc.id()).unwrap_or(&no_timeline);
        if resolved.is_none() {
            let open = w.open_incident(inc, &mut parts.coming)?;
            parts.open.push(open);
        }
        w.breaches(inc, &mut parts.breaches)?;
        parts.status_updates.extend(w.status_updates(inc, resolved, timeline)?);
        w.follow_ups(inc, resolved, timeline, &mut parts)?;
    }
    let points = w.points(points, &mut parts.coming);
    parts.sort();

    let mut set = SourceSet::new(&all);
    week_figures.note_sources(&mut set);
    month_to_date.note_sources(&mut set);
    for t in &case_types {
        t.figures.note_sources(&mut set);
    }
    for id in parts
        .open
        .iter()
        .map(|o| &o.incident)
        .chain(parts.breaches.iter().map(|b| &b.incident))
        .chain(parts.status_updates.iter().map(|s| &s.incident))
        .chain(parts.follow_ups.iter().map(|f| &f.incident))
    {
        set.note(id);
    }
    let sources = set.sources();
    Ok(WeeklyReport {
        agreement: a.id.clone(),
        week,
        zone: a.tz.name().to_string(),
        figures: week_figures,
        open: parts.open,
        breaches: parts.breaches,
        month,
        month_to_date,
        status_updates: parts.status_updates,
        follow_ups: parts.follow_ups,
        points,
        coming_until: w.coming_until,
        coming: parts.coming,
        maintenance: Vec::new(),
        case_types,
        sources,
    })
}

/// The week being reported and the instants it is judged by.
struct Week<'a> {
    a: &'a Agreement,
    /// The week's start (inclusive) and end (exclusive).
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    /// The instant the report is judged at (the end of the week, or now).
    as_of: DateTime<Utc>,
    /// The end of the "coming" look-ahead.
    coming_until: DateTime<Utc>,
}

/// The per-incident parts of the report, gathered incident by incident.
#[derive(Default)]
struct Parts {
    open: Vec<OpenIncident>,
    breaches: Vec<Breach>,
    status_updates: Vec<StatusUpdates>,
    follow_ups: Vec<FollowUpItem>,
    coming: Vec<ComingItem>,
}

impl Parts {
    /// Each part in its reading order.
    fn sort(&mut self) {
        self.open
            .sort_by(|x, y| (x.reported_at, &x.incident).cmp(&(y.reported_at, &y.incident)));
        self.breaches
            .sort_by(|x, y| (x.due, &x.incident, x.milestone).cmp(&(y.due, &y.incident, y.milestone)));
        self.status_updates.sort_by(|x, y| x.incident.cmp(&y.incident));
        self.follow_ups
            .sort_by(|x, y| (x.due, &x.incident, &x.follow_up).cmp(&(y.due, &y.incident, &y.follow_up)));
        self.coming.sort_by(|x, y| {
            x.at.cmp(&y.at)
                .then_with(|| format!("{:?}", x.kind).cmp(&format!("{:?}", y.kind)))
        });
    }
}

impl Week<'_> {
    /// An incident open at `as_of`, with its deadlines that fall in the look-ahead.
    fn open_incident(&self, inc: &Incident, coming: &mut Vec<ComingItem>) -> Result<OpenIncident, ReportError> {
        let (a, as_of) = (self.a, self.as_of);
        let response = time_left(a, inc, Milestone::Response, as_of)?;
        let resolution = time_left(a, inc, Milestone::Resolution, as_of)?;
        let state = if met_by(inc, Milestone::Response, as_of).is_some() {
            State::Acknowledged
        } else {
            State::Open
        };
        for (m, left) in [(Milestone::Response, &response), (Milestone::Resolution, &resolution)] {
            if let Some(l) = left
                && as_of <= l.due
                && l.due < self.coming_until
            {
                coming.push(ComingItem {
                    at: l.due,
                    kind: ComingKind::Deadline {
                        incident: inc.id().clone(),
                        milestone: m,
                    },
                });
            }
        }
        Ok(OpenIncident {
            incident: inc.id().clone(),
            priority: inc.priority().to_string(),
            state,
            reported_at: inc.reported_at(),
            level: inc.escalation_level(),
            response,
            resolution,
        })
    }

    /// The breaches that live in the week: due in it, or still unmet in it.
    fn breaches(&self, inc: &Incident, out: &mut Vec<Breach>) -> Result<(), ReportError> {
        let (a, from, as_of) = (self.a, self.from, self.as_of);
        for m in [Milestone::Response, Milestone::Resolution] {
            if let Some(Settled::Outside { due, met_at }) = settled(inc, m, as_of)
                && due < as_of
                && (due >= from || met_at.is_none_or(|t| t >= from))
            {
                out.push(breach(a, inc, m, due, met_at, as_of)?);
            }
        }
        Ok(())
    }

    /// Status updates due in the week versus posted, when the priority has a cadence.
    fn status_updates(
        &self,
        inc: &Incident,
        resolved: Option<DateTime<Utc>>,
        timeline: &[TimelineEntry],
    ) -> Result<Option<StatusUpdates>, ReportError> {
        let (a, from, as_of) = (self.a, self.from, self.as_of);
        let Some(c) = a.cadence_for(inc.priority()) else {
            return Ok(None);
        };
        let Some(s) = a.schedule(&c.schedule) else {
            return Ok(None);
        };
        let start = from.max(inc.reported_at());
        let stop = resolved.unwrap_or(as_of).min(as_of);
        if start >= stop {
            return Ok(None);
        }
        let mut due = 0u32;
        let mut t = inc.reported_at();
        for _ in 0..200_000 {
            let next = next_status_at(s, c, t)?;
            if next <= t || next >= stop {
                break;
            }
            if next >= start {
                due += 1;
            }
            t = next;
        }
        let in_week = |e: &&TimelineEntry| from <= e.at && e.at < as_of;
        let posted = timeline
            .iter()
            .filter(in_week)
            .filter(|e| matches!(e.event, Event::StatusPosted { .. }))
            .count() as u32;
        let notes = timeline
            .iter()
            .filter(in_week)
            .filter(|e| matches!(e.event, Event::StatusUpdate { .. }))
            .count() as u32;
        Ok(Some(StatusUpdates {
            incident: inc.id().clone(),
            priority: inc.priority().to_string(),
            due,
            posted,
            notes,
        }))
    }

    /// The agreement's follow-ups of `inc`: those due in the week, and those coming.
    fn follow_ups(
        &self,
        inc: &Incident,
        resolved: Option<DateTime<Utc>>,
        timeline: &[TimelineEntry],
        parts: &mut Parts,
    ) -> Result<(), ReportError> {
        let (a, from, to, as_of) = (self.a, self.from, self.to, self.as_of);
        // A follow-up that lapses on resolution lapsed if the incident was resolved by its
        // due time at any point (also before a reopen, as the timeline tells).
        let first_resolved = timeline
            .iter()
            .filter(|e| matches!(e.event, Event::Resolved { .. }))
            .map(|e| e.at)
            .min()
            .or(resolved);
        for (f, due) in follow_ups_due(a, inc, first_resolved, resolved)? {
            let settled = follow_up_settled(inc, &f.id, due, as_of);
            let posted = timeline
                .iter()
                .any(|e| e.at <= as_of && matches!(&e.event, Event::FollowUpDue { id } if *id == f.id));
            let waived = timeline
                .iter()
                .any(|e| e.at <= as_of && matches!(&e.event, Event::FollowUpWaived { id, .. } if *id == f.id));
            if from <= due && due < to {
                parts.follow_ups.push(FollowUpItem {
                    incident: inc.id().clone(),
                    follow_up: f.id.clone(),
                    due,
                    posted,
                    settled,
                    waived,
                });
            }
            if !posted && settled.is_none() && !waived && as_of <= due && due < self.coming_until {
                parts.coming.push(ComingItem {
                    at: due,
                    kind: ComingKind::FollowUp {
                        incident: inc.id().clone(),
                        follow_up: f.id.clone(),
                    },
                });
            }
        }
        Ok(())
    }

    /// The meetings' follow-up points open at `as_of`, and those coming due.
    fn points(&self, points: &[MeetingPoint], coming: &mut Vec<ComingItem>) -> Vec<PointItem> {
        let (a, as_of) = (self.a, self.as_of);
        let mut point_items = Vec::new();
        for p in points.iter().filter(|p| p.agreement.as_str() == a.id) {
            if p.created_at > as_of || p.done.as_ref().is_some_and(|(t, _)| *t <= as_of) {
                continue;
            }
            point_items.push(PointItem {
                id: p.id,
                meeting: p.meeting.clone(),
                text: p.text.clone(),
                owner: p.owner.clone(),
                due: p.due,
                overdue: p.due < as_of,
            });
            if as_of <= p.due && p.due < self.coming_until {
                coming.push(ComingItem {
                    at: p.due,
                    kind: ComingKind::Point { id: p.id },
                });
            }
        }
        point_items.sort_by_key(|p| (p.due, p.id));
        point_items
    }
}

#[cfg(test)]
mod tests {
    use super::WEEKLY_EVENTS;
    use crate::domain::incident::{Event, Resolution};

    /// The types a store is asked for are the stored tags of the events the summary matches
    /// on (status posted and written, resolved, follow-ups due and waived), one each.
    #[test]
    fn weekly_events_are_the_tags_of_the_events_it_reads() {
        let read = [
            Event::StatusPosted {
                seq: 1,
                reminded_lead: false,
            },
            Event::StatusUpdate { note: "n".into() },
            Event::Resolved {
                how: Resolution::Fix,
                note: None,
            },
            Event::FollowUpDue { id: "f".into() },
            Event::FollowUpWaived {
                id: "f".into(),
                reason: "r".into(),
            },
        ];
        let tags: Vec<String> = read
            .iter()
            .map(|e| {
                serde_json::to_value(e).expect("json")["type"]
                    .as_str()
                    .expect("tag")
                    .to_string()
            })
            .collect();
        assert_eq!(tags, WEEKLY_EVENTS);
    }
}
