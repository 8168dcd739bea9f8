//! The SLA figures of a period (the monthly report's body, also the weekly summary's
//! month-to-date compliance and each month of the annual report), and the monthly and
//! annual reports built from them. The counting rules are in the parent module's doc.

use super::{ReportError, Source, SourceSet, goal_for};
use crate::domain::agreement::{Agreement, Target};
use crate::domain::classify::ClassifyError;
use crate::domain::ids::IncidentId;
use crate::domain::incident::{Incident, Milestone, Outcome};
use crate::domain::period::{MonthSpec, YearSpec};
use crate::domain::schedule::Schedule;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Within and outside one target, and the compliance against the goal.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ComplianceFigure {
    /// Incidents whose milestone met its target (settled in the period).
    pub within: Vec<IncidentId>,
    /// Incidents whose milestone missed it (met late or not met; deadline in the period).
    pub outside: Vec<IncidentId>,
    /// within ÷ (within + outside) × 100; none when nothing was counted.
    pub percent: Option<f64>,
    /// The goal this figure is compared with (per priority or overall, as the agreement
    /// sets it); none when the agreement sets none here.
    pub goal: Option<f64>,
    /// Whether the goal is met; none without a goal or without a percentage.
    pub goal_met: Option<bool>,
}

impl ComplianceFigure {
    fn finish(&mut self, goal: Option<f64>) {
        self.within.sort();
        self.outside.sort();
        let n = self.within.len() + self.outside.len();
        self.percent = (n > 0).then(|| self.within.len() as f64 * 100.0 / n as f64);
        self.goal = goal;
        self.goal_met = match (self.percent, goal) {
            (Some(p), Some(g)) => Some(p >= g),
            _ => None,
        };
    }

    /// How many milestones were counted.
    pub fn counted(&self) -> usize {
        self.within.len() + self.outside.len()
    }
}

/// Business-time statistics of met milestones (seconds).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TimeStats {
    /// How many milestones were met in the period.
    pub count: usize,
    /// Median (nearest rank, lower middle).
    pub median: Option<i64>,
    /// 90th percentile (nearest rank).
    pub p90: Option<i64>,
    /// Maximum.
    pub max: Option<i64>,
    /// The incident with the maximum (the first by id among equals).
    pub max_incident: Option<IncidentId>,
    /// Every value, ascending, with its incident (the figures' trace; also the histogram).
    pub values: Vec<(i64, IncidentId)>,
}

impl TimeStats {
    fn from_values(mut values: Vec<(i64, IncidentId)>) -> Self {
        values.sort();
        let n = values.len();
        let rank = |p: f64| -> Option<i64> {
            if n == 0 {
                return None;
            }
            let k = ((p * n as f64).ceil() as usize).clamp(1, n);
            Some(values[k - 1].0)
        };
        let max_incident = values.last().map(|(v, _)| {
            values
                .iter()
                .find(|(x, _)| x == v)
                .map_or_else(IncidentId::default, |(_, id)| id.clone())
        });
        TimeStats {
            count: n,
            median: rank(0.5),
            p90: rank(0.9),
            max: values.last().map(|v| v.0),
            max_incident,
            values,
        }
    }
}

/// A missed milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breach {
    pub incident: IncidentId,
    /// Its priority (in force).
    pub priority: String,
    pub milestone: Milestone,
    /// The deadline missed.
    pub due: DateTime<Utc>,
    /// When it was met, if by `as_of`.
    pub met_at: Option<DateTime<Utc>>,
    /// By how much, in business seconds on the target's schedule (to `met_at`, else to
    /// `as_of`).
    pub late_business: i64,
    /// By how much, in wall seconds.
    pub late_wall: i64,
    /// The escalation level the incident reached (0: none).
    pub level: u32,
}

/// One priority's figures.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PriorityFigures {
    /// Priority id.
    pub priority: String,
    /// Its name in the agreement (agreement data; empty when the priority is gone).
    pub name: String,
    /// Incidents reported in the period.
    pub opened: Vec<IncidentId>,
    /// Incidents resolved in the period (latest resolution).
    pub resolved: Vec<IncidentId>,
    /// Whether the priority has a response target.
    pub response_target: bool,
    /// Whether it has a resolution target.
    pub resolution_target: bool,
    /// Response compliance.
    pub response: ComplianceFigure,
    /// Resolution compliance.
    pub resolution: ComplianceFigure,
    pub response_times: TimeStats,
    pub resolution_times: TimeStats,
}

/// The SLA figures of a period `[from, to)`, judged at `as_of`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Figures {
    /// Start (inclusive).
    pub from: DateTime<Utc>,
    /// End (exclusive).
    pub to: DateTime<Utc>,
    /// The moment judged at: `to` or the `now` given, whichever is earlier.
    pub as_of: DateTime<Utc>,
    /// Per priority, in the agreement's order (most severe first), then any priority the
    /// agreement no longer has.
    pub priorities: Vec<PriorityFigures>,
    /// Response compliance over all priorities.
    pub response: ComplianceFigure,
    /// Resolution compliance over all priorities.
    pub resolution: ComplianceFigure,
    /// Response times over all priorities.
    pub response_times: TimeStats,
    /// Resolution times over all priorities.
    pub resolution_times: TimeStats,
    /// Incidents concerned by the period that were escalated (Altinn 4.1).
    pub escalated: Vec<IncidentId>,
    /// Security incidents concerned by the period.
    pub security: Vec<IncidentId>,
    /// Every milestone counted outside its target, by deadline then incident.
    pub breaches: Vec<Breach>,
    /// The agreement's clause for the goals, when it sets any.
    pub goal_source: Option<String>,
    /// The agreement's follow-ups due in the period: done on time, late, waived.
    #[serde(default)]
    pub follow_ups: FollowUpFigures,
}

/// How the agreement's follow-ups due in a period were settled (by the moment judged at).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FollowUpFigures {
    /// Marked done by their deadline.
    pub done_on_time: u32,
    /// Marked done after their deadline.
    pub done_late: u32,
    /// Waived by a manager.
    pub waived: u32,
    /// Neither done nor waived (yet).
    pub open: u32,
}

/// How follow-up `id` of `inc`, due at `due`, stands at `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpSettled {
    /// Marked done by its deadline.
    OnTime,
    /// Marked done after its deadline.
    Late,
    /// Waived by a manager.
    Waived,
}

/// How follow-up `id` of `inc`, due at `due`, was settled by `as_of`, if it was.
pub(crate) fn follow_up_settled(
    inc: &Incident,
    id: &str,
    due: DateTime<Utc>,
    as_of: DateTime<Utc>,
) -> Option<FollowUpSettled> {
    match inc.follow_up_done_at(id).filter(|t| *t <= as_of) {
        Some(t) if t <= due => Some(FollowUpSettled::OnTime),
        Some(_) => Some(FollowUpSettled::Late),
        None if inc.follow_up_waived(id) => Some(FollowUpSettled::Waived),
        None => None,
    }
}

/// When each follow-up the agreement requires of `inc` falls due (counted from opening, or
/// from the resolution by `as_of`), leaving out those that lapsed with a resolution in time.
pub(crate) fn follow_ups_due<'a>(
    a: &'a Agreement,
    inc: &Incident,
    first_resolved: Option<DateTime<Utc>>,
    resolved: Option<DateTime<Utc>>,
) -> Result<Vec<(&'a crate::domain::agreement::FollowUp, DateTime<Utc>)>, ReportError> {
    use crate::domain::agreement::FollowFrom;
    let mut out = Vec::new();
    for f in a
        .follow_ups
        .iter()
        .filter(|f| f.owed(inc.priority(), &inc.facts().impact))
    {
        let base = match (f.from, resolved) {
            (FollowFrom::Opened, _) => inc.reported_at(),
            (FollowFrom::Resolved, Some(t)) => t,
            (FollowFrom::Resolved, None) => continue,
        };
        let Some(s) = a.schedule(&f.schedule) else {
            continue;
        };
        let due = s.add(base, f.after)?.deadline;
        if f.from == FollowFrom::Opened && f.unless_resolved && first_resolved.is_some_and(|r| r <= due) {
            continue;
        }
        out.push((f, due));
    }
    Ok(out)
}

impl Figures {
    /// The figures of priority `id`.
    pub fn priority(&self, id: &str) -> Option<&PriorityFigures> {
        self.priorities.iter().find(|p| p.priority == id)
    }

    /// Every incident counted somewhere in these figures.
    pub(crate) fn note_sources<'a>(&'a self, set: &mut SourceSet<'a>) {
        for p in &self.priorities {
            for id in p
                .opened
                .iter()
                .chain(&p.resolved)
                .chain(&p.response.within)
                .chain(&p.response.outside)
                .chain(&p.resolution.within)
                .chain(&p.resolution.outside)
            {
                set.note(id);
            }
        }
        for id in self.escalated.iter().chain(&self.security) {
            set.note(id);
        }
    }
}

/// The figures of one case type besides incidents (orders, problems, change requests), on
/// its own targets and goal ([`crate::domain::case_type`]), counted by the same rules.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CaseTypeFigures {
    /// The type's id (`problem`).
    pub case_type: String,
    /// Its name in the agreement.
    pub name: String,
    /// Its figures: per class (`priorities`), within and outside target, against its goal.
    pub figures: Figures,
}

impl CaseTypeFigures {
    /// Cases of the type reported in the period.
    pub fn opened(&self) -> usize {
        self.figures.priorities.iter().map(|p| p.opened.len()).sum()
    }

    /// Whether nothing of the type happened in the period: none opened or resolved, no
    /// milestone counted.
    pub fn is_quiet(&self) -> bool {
        let f = &self.figures;
        self.opened() == 0
            && f.priorities.iter().all(|p| p.resolved.is_empty())
            && f.response.counted() == 0
            && f.resolution.counted() == 0
    }
}

/// The incidents (not other case types) among `mine`: the report's own figures count only
/// them, as before case types existed.
pub(crate) fn incidents_only<'a>(mine: &[&'a Incident]) -> Vec<&'a Incident> {
    mine.iter().copied().filter(|i| i.is_incident()).collect()
}

/// The figures of `[from, to)` of each of `a`'s case types besides incidents, in file order
/// (a type with no case is listed with empty figures: its goal still shows).
pub(crate) fn case_type_figures(
    a: &Agreement,
    mine: &[&Incident],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<CaseTypeFigures>, ReportError> {
    a.case_types
        .iter()
        .map(|t| {
            let of: Vec<&Incident> = mine.iter().copied().filter(|i| i.case_type() == t.id).collect();
            Ok(CaseTypeFigures {
                case_type: t.id.clone(),
                name: t.name.clone(),
                figures: figures(&t.view, &of, from, to, now)?,
            })
        })
        .collect()
}

/// The monthly SLA report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthlyReport {
    /// Agreement id.
    pub agreement: String,
    pub month: MonthSpec,
    /// The agreement's zone (IANA name) the month is read in.
    pub zone: String,
    pub figures: Figures,
    /// Each service's availability targets (filled in by the service, which holds the
    /// maintenance windows; none in reports stored before they were measured).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub availability: Vec<crate::domain::availability::AvailabilityItem>,
    /// Each case type besides incidents, on its own targets and goal (none in reports stored
    /// before case types, or for an agreement without them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub case_types: Vec<CaseTypeFigures>,
    /// The incidents it was computed from.
    pub sources: Vec<Source>,
}

impl MonthlyReport {
    /// The `(incident id, version)` pairs the report was computed from, sorted by id.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }
}

/// One month of the annual report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnualMonth {
    pub month: MonthSpec,
    pub figures: Figures,
}

/// The annual report (Difi 1.4.2): the year's figures per month and overall.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnualReport {
    /// Agreement id.
    pub agreement: String,
    pub year: YearSpec,
    /// The agreement's zone.
    pub zone: String,
    /// Each month (January first; months after `as_of` have empty figures).
    pub months: Vec<AnnualMonth>,
    /// The whole year (every milestone counted once, in the month it settled, so these
    /// are the sums of the months).
    pub overall: Figures,
    /// Each case type besides incidents over the whole year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub case_types: Vec<CaseTypeFigures>,
    /// Each service's availability targets over the year (filled in by the service, which
    /// holds the maintenance windows; none in reports stored before they were measured).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub availability: Vec<crate::domain::availability::AvailabilityItem>,
    /// The incidents it was computed from.
    pub sources: Vec<Source>,
}

impl AnnualReport {
    /// The `(incident id, version)` pairs the report was computed from, sorted by id.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }
}

/// The monthly SLA report of `month` for agreement `a` from `incidents` (other agreements'
/// incidents are ignored), judged at the month's end or `now`, whichever is earlier.
pub fn monthly(
    a: &Agreement,
    incidents: &[Incident],
    month: MonthSpec,
    now: DateTime<Utc>,
) -> Result<MonthlyReport, ReportError> {
    let all: Vec<&Incident> = incidents.iter().filter(|i| i.agreement().as_str() == a.id).collect();
    let mine = incidents_only(&all);
    let (from, to) = month.bounds(a.tz);
    let figures = figures(a, &mine, from, to, now)?;
    let case_types = case_type_figures(a, &all, from, to, now)?;
    let mut set = SourceSet::new(&all);
    figures.note_sources(&mut set);
    for t in &case_types {
        t.figures.note_sources(&mut set);
    }
    let sources = set.sources();
    Ok(MonthlyReport {
        agreement: a.id.clone(),
        month,
        zone: a.tz.name().to_string(),
        figures,
        availability: Vec::new(),
        case_types,
        sources,
    })
}

/// The annual report of `year` for agreement `a`: each month's figures and the year's.
pub fn annual(
    a: &Agreement,
    incidents: &[Incident],
    year: YearSpec,
    now: DateTime<Utc>,
) -> Result<AnnualReport, ReportError> {
    let all: Vec<&Incident> = incidents.iter().filter(|i| i.agreement().as_str() == a.id).collect();
    let mine = incidents_only(&all);
    let mut months = Vec::with_capacity(12);
    for m in year.months() {
        let (from, to) = m.bounds(a.tz);
        months.push(AnnualMonth {
            month: m,
            figures: figures(a, &mine, from, to, now)?,
        });
    }
    let (from, to) = year.bounds(a.tz);
    let overall = figures(a, &mine, from, to, now)?;
    let case_types = case_type_figures(a, &all, from, to, now)?;
    let mut set = SourceSet::new(&all);
    overall.note_sources(&mut set);
    for t in &case_types {
        t.figures.note_sources(&mut set);
    }
    let sources = set.sources();
    Ok(AnnualReport {
        agreement: a.id.clone(),
        year,
        zone: a.tz.name().to_string(),
        months,
        overall,
        case_types,
        availability: Vec::new(),
        sources,
    })
}

/// The schedule a priority's target for milestone `m` runs on, if it has one.
pub(crate) fn target_schedule<'a>(
    a: &'a Agreement,
    priority: &str,
    m: Milestone,
) -> Result<Option<&'a Schedule>, ReportError> {
    let Some(t) = a.targets_for(priority) else {
        return Ok(None);
    };
    let target = match m {
        Milestone::Response => &t.response,
        Milestone::Resolution => &t.resolution,
    };
    match target {
        Target::None { .. } => Ok(None),
        Target::Within { schedule, .. } => a
            .schedule(schedule)
            .map(|s| Some(&**s))
            .ok_or_else(|| ClassifyError::UnknownSchedule(schedule.clone()).into()),
    }
}

/// How a milestone stood at `as_of`: met on time at, missed (deadline, met at), or neither.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Settled {
    Within(DateTime<Utc>),
    Outside {
        due: DateTime<Utc>,
        met_at: Option<DateTime<Utc>>,
    },
}

impl Settled {
    /// When it was settled (see the module doc).
    pub(crate) fn at(self) -> DateTime<Utc> {
        match self {
            Settled::Within(t) => t,
            Settled::Outside { due, .. } => due,
        }
    }
}

/// The milestone `m` of `inc` as settled by `as_of`, if it was.
pub(crate) fn settled(inc: &Incident, m: Milestone, as_of: DateTime<Utc>) -> Option<Settled> {
    match inc.outcome(m, as_of) {
        Outcome::NotApplicable | Outcome::Pending { .. } => None,
        Outcome::MetOnTime { at } => (at <= as_of).then_some(Settled::Within(at)),
        Outcome::MetLate { at, due } => (due < as_of).then_some(Settled::Outside {
            due,
            met_at: (at <= as_of).then_some(at),
        }),
        Outcome::Breached { due } => (due < as_of).then_some(Settled::Outside { due, met_at: None }),
    }
}

/// When milestone `m` of `inc` was met, if it was by `as_of`.
pub(crate) fn met_by(inc: &Incident, m: Milestone, as_of: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if !inc.met(m) {
        return None;
    }
    inc.met_at(m).filter(|t| *t <= as_of)
}

/// The breach record of a missed milestone, under the priority it was settled at.
pub(crate) fn breach(
    a: &Agreement,
    inc: &Incident,
    m: Milestone,
    due: DateTime<Utc>,
    met_at: Option<DateTime<Utc>>,
    as_of: DateTime<Utc>,
) -> Result<Breach, ReportError> {
    let end = met_at.unwrap_or(as_of);
    let under = inc.judged_under(m);
    let late_business = match target_schedule(a, under, m)? {
        Some(s) => s.between(due, end)?.max(0),
        None => 0,
    };
    Ok(Breach {
        incident: inc.id().clone(),
        priority: under.to_string(),
        milestone: m,
        due,
        met_at,
        late_business,
        late_wall: (end - due).num_seconds().max(0),
        level: inc.escalation_level(),
    })
}

fn in_window(t: DateTime<Utc>, from: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    from <= t && t < end
}

/// The figures of `[from, to)` judged at `min(to, now)`.
pub(crate) fn figures(
    a: &Agreement,
    incidents: &[&Incident],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Figures, ReportError> {
    let as_of = now.min(to);
    // The end of what is counted: nothing after `as_of`; a milestone settled exactly at
    // `as_of` (= `to`) belongs to the next period.
    let end = as_of;
    let mut rows: Vec<PriorityFigures> = a
        .priorities
        .iter()
        .map(|p| {
            let t = a.targets_for(&p.id);
            PriorityFigures {
                priority: p.id.clone(),
                name: p.name.clone(),
                response_target: t.is_some_and(|t| matches!(t.response, Target::Within { .. })),
                resolution_target: t.is_some_and(|t| matches!(t.resolution, Target::Within { .. })),
                ..PriorityFigures::default()
            }
        })
        .collect();
    let mut times: Vec<[Vec<(i64, IncidentId)>; 2]> = vec![[vec![], vec![]]; rows.len()];
    let mut out = Figures {
        from,
        to,
        as_of,
        goal_source: a.compliance.as_ref().map(|c| c.prov.source.clone()),
        ..Figures::default()
    };
    if from >= as_of {
        // A period that has not begun: empty figures.
        finish(a, &mut out, rows, times);
        return Ok(out);
    }
    for inc in incidents {
        if inc.reported_at() >= end {
            continue;
        }
        let row = row_of(&mut rows, &mut times, inc.priority().as_str());
        let mut concerned = false;
        let resolved = met_by(inc, Milestone::Resolution, as_of);
        for (fu, due) in follow_ups_due(a, inc, resolved, resolved)? {
            if !in_window(due, from, end) {
                continue;
            }
            let n = &mut out.follow_ups;
            match follow_up_settled(inc, &fu.id, due, as_of) {
                Some(FollowUpSettled::OnTime) => n.done_on_time += 1,
                Some(FollowUpSettled::Late) => n.done_late += 1,
                Some(FollowUpSettled::Waived) => n.waived += 1,
                None => n.open += 1,
            }
        }
        if in_window(inc.reported_at(), from, end) {
            rows[row].opened.push(inc.id().clone());
            concerned = true;
        }
        if let Some(t) = met_by(inc, Milestone::Resolution, as_of)
            && in_window(t, from, end)
        {
            rows[row].resolved.push(inc.id().clone());
            concerned = true;
        }
        for m in [Milestone::Response, Milestone::Resolution] {
            // A settled milestone counts under the priority it was settled at.
            let under = inc.judged_under(m);
            let row = row_of(&mut rows, &mut times, under.as_str());
            if let Some(s) = settled(inc, m, as_of)
                && in_window(s.at(), from, end)
            {
                concerned = true;
                let fig = match m {
                    Milestone::Response => &mut rows[row].response,
                    Milestone::Resolution => &mut rows[row].resolution,
                };
                match s {
                    Settled::Within(_) => fig.within.push(inc.id().clone()),
                    Settled::Outside { due, met_at } => {
                        fig.outside.push(inc.id().clone());
                        out.breaches.push(breach(a, inc, m, due, met_at, as_of)?);
                    }
                }
            }
            if let Some(t) = met_by(inc, m, as_of)
                && in_window(t, from, end)
                && let Some(s) = target_schedule(a, under, m)?
            {
                let mut secs = s.between(inc.reported_at(), t)?;
                if m == Milestone::Resolution {
                    secs -= inc.resolution_paused();
                }
                times[row][m as usize].push((secs.max(0), inc.id().clone()));
            }
        }
        if concerned {
            if inc.escalation_level() > 0 {
                out.escalated.push(inc.id().clone());
            }
            if inc.facts().security {
                out.security.push(inc.id().clone());
            }
        }
    }
    finish(a, &mut out, rows, times);
    Ok(out)
}

/// The row of priority `priority`, added (after the agreement's) when it is no longer in the
/// agreement.
fn row_of(rows: &mut Vec<PriorityFigures>, times: &mut Vec<[Vec<(i64, IncidentId)>; 2]>, priority: &str) -> usize {
    match rows.iter().position(|r| r.priority == priority) {
        Some(i) => i,
        None => {
            rows.push(PriorityFigures {
                priority: priority.to_string(),
                ..PriorityFigures::default()
            });
            times.push([vec![], vec![]]);
            rows.len() - 1
        }
    }
}

fn finish(a: &Agreement, out: &mut Figures, mut rows: Vec<PriorityFigures>, times: Vec<[Vec<(i64, IncidentId)>; 2]>) {
    let goals = a.compliance.clone().unwrap_or_default();
    let (rs, ss) = (goals.response_scope, goals.resolution_scope);
    let mut all_times: [Vec<(i64, IncidentId)>; 2] = [vec![], vec![]];
    for (row, [rt, st]) in rows.iter_mut().zip(times) {
        row.opened.sort();
        row.resolved.sort();
        row.response.finish(goal_for(rs, goals.response, true));
        row.resolution.finish(goal_for(ss, goals.resolution, true));
        out.response.within.extend(row.response.within.iter().cloned());
        out.response.outside.extend(row.response.outside.iter().cloned());
        out.resolution.within.extend(row.resolution.within.iter().cloned());
        out.resolution.outside.extend(row.resolution.outside.iter().cloned());
        all_times[0].extend(rt.iter().cloned());
        all_times[1].extend(st.iter().cloned());
        row.response_times = TimeStats::from_values(rt);
        row.resolution_times = TimeStats::from_values(st);
    }
    out.response.finish(goal_for(rs, goals.response, false));
    out.resolution.finish(goal_for(ss, goals.resolution, false));
    let [rt, st] = all_times;
    out.response_times = TimeStats::from_values(rt);
    out.resolution_times = TimeStats::from_values(st);
    out.escalated.sort();
    out.security.sort();
    out.breaches
        .sort_by(|x, y| (x.due, &x.incident, x.milestone).cmp(&(y.due, &y.incident, y.milestone)));
    out.priorities = rows;
}
