//! The agreement model: everything vakt acts on from one service agreement, already
//! validated. Built by [`crate::agreements`] from a TOML file; consumed by classification,
//! deadlines and (later) the scheduler.

use super::clock::{BusinessDuration, ClockError};
use super::schedule::Schedule;
use super::time::{MonthDay, WeekdaySet, Window};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::sync::Arc;

/// The document an agreement was written from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceDoc {
    pub title: String,
    pub version: String,
    /// Date (as precise as the document is).
    pub date: String,
    /// Seed file it was encoded from.
    pub file: Option<String>,
    pub parties: Option<String>,
    /// Remarks.
    pub note: Option<String>,
}

/// Where a rule comes from and how it was read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Provenance {
    /// Clause of the text (`2.9.5`).
    pub source: String,
    /// The interpretation chosen where the text is unclear.
    pub reading: Option<String>,
    /// Other remarks.
    pub note: Option<String>,
}

/// A priority level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priority {
    /// Id (`A`, `1`, `kritisk`).
    pub id: String,
    pub name: String,
    /// What it means.
    pub description: String,
    /// Provenance.
    pub prov: Provenance,
}

/// One step of the impact scale offered to the reporter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Impact {
    /// Id the reporter gives.
    pub id: String,
    pub name: String,
    /// What it means.
    pub description: String,
    /// Provenance.
    pub prov: Provenance,
}

/// When a timing class holds for a local date.
#[derive(Debug, Clone, PartialEq)]
pub enum TimingCondition {
    /// Always (the fallback class).
    Always,
    /// Days of the month `from..=to` (`to` none = month end).
    DayOfMonth {
        /// First day.
        from: u32,
        /// Last day, or month end.
        to: Option<u32>,
    },
    /// Inclusive month-day ranges.
    Dates(Vec<(MonthDay, MonthDay)>),
    /// The last N working days before another class's period starts.
    Before {
        /// Index of the other class in [`Timing::classes`].
        class: usize,
        /// N.
        working_days: u32,
    },
}

/// A timing class (SSBTEK's 1–4).
#[derive(Debug, Clone, PartialEq)]
pub struct TimingClass {
    pub id: String,
    pub name: String,
    /// Condition.
    pub when: TimingCondition,
    /// Provenance.
    pub prov: Provenance,
}

/// Timing classes of an agreement, judged at clock start on one schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// Schedule whose clock start and working days are used.
    pub schedule: String,
    /// Classes, first match wins.
    pub classes: Vec<TimingClass>,
    /// Provenance.
    pub prov: Provenance,
}

/// Conditions of a classification rule; all given ones must hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Conditions {
    /// Impact is one of these.
    pub impact: Option<Vec<String>>,
    /// Timing class is one of these.
    pub timing: Option<Vec<String>>,
    /// Security incident or not.
    pub security: Option<bool>,
    /// Workaround available or not.
    pub workaround: Option<bool>,
    /// Share of users affected strictly over this percent.
    pub users_over: Option<f64>,
    /// Share of users affected at most this percent.
    pub users_at_most: Option<f64>,
}

/// An ordered classification rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Conditions.
    pub when: Conditions,
    /// Resulting priority id.
    pub priority: String,
    /// Provenance.
    pub prov: Provenance,
}

/// An impact × timing matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Column impact ids.
    pub impacts: Vec<String>,
    /// Rows: timing class id and one priority per column.
    pub rows: Vec<(String, Vec<String>)>,
    /// Provenance.
    pub prov: Provenance,
}

/// How incidents are classified.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClassificationRules {
    /// Ordered rules, first match wins.
    pub rules: Vec<Rule>,
    /// Matrix consulted when no rule matched.
    pub matrix: Option<Matrix>,
    /// Provenance.
    pub prov: Provenance,
}

/// A response or resolution target.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Within a duration on a schedule.
    Within {
        duration: BusinessDuration,
        /// Schedule name.
        schedule: String,
        /// Provenance.
        prov: Provenance,
    },
    /// Explicitly none.
    None {
        /// Why there is none.
        why: String,
        /// Provenance.
        prov: Provenance,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct PriorityTargets {
    /// Priority id.
    pub priority: String,
    pub response: Target,
    pub resolution: Target,
    /// Remarks.
    pub note: Option<String>,
}

/// Compliance goals in percent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Compliance {
    /// Share of incidents whose response must meet its target.
    pub response: Option<f64>,
    /// Share whose resolution must.
    pub resolution: Option<f64>,
    /// Whether the response goal holds overall or for each priority.
    pub response_scope: GoalScope,
    /// Whether the resolution goal holds overall or for each priority.
    pub resolution_scope: GoalScope,
    /// Provenance.
    pub prov: Provenance,
}

/// What a compliance goal is measured over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalScope {
    /// All incidents together (one figure).
    #[default]
    Overall,
    /// Each priority separately (Borger.dk 8: "95 procent af kategori 1, 2, 3 og 4").
    EachPriority,
}

/// Where the next status update goes when the cadence leaves its windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outside {
    /// The next opening of the windows.
    NextOpen,
    /// This local time on the next calendar day.
    NextDayAt(super::time::Minute),
}

/// One kind of structured status field, as agreement files name it (`area`, `affected`,
/// `cause`, `eta`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusField {
    /// Which area or function is hit.
    Area,
    /// Who and how many are affected.
    Affected,
    /// The cause.
    Cause,
    /// The expected resolution (the time horizon).
    Eta,
}

impl StatusField {
    /// Every field, in the order [`crate::domain::incident::LatestFields::at`] keeps them.
    pub const ALL: [StatusField; 4] = [
        StatusField::Area,
        StatusField::Affected,
        StatusField::Cause,
        StatusField::Eta,
    ];

    /// Its name in agreement files and in `/incident update`'s options.
    pub fn name(self) -> &'static str {
        match self {
            StatusField::Area => "area",
            StatusField::Affected => "affected",
            StatusField::Cause => "cause",
            StatusField::Eta => "eta",
        }
    }

    /// The field of a name, if it is one.
    pub fn parse(name: &str) -> Option<StatusField> {
        StatusField::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Its index in [`crate::domain::incident::LatestFields::at`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A status-update cadence.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusCadence {
    /// Priorities it applies to.
    pub priorities: Vec<String>,
    /// Interval in seconds.
    pub every: i64,
    /// Schedule of the windows.
    pub schedule: String,
    /// Outside-window rule.
    pub outside: Outside,
    /// Status fields each post must carry (Borger.dk 6: the area, who and how many, the time
    /// horizon); a post names the ones not given yet and asks the lead for them.
    pub required_fields: Vec<StatusField>,
    /// Provenance.
    pub prov: Provenance,
}

/// Immediate notification on opening.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub priorities: Vec<String>,
    /// `escalation` (first level) or `ladder` (all levels).
    pub to: NotifyWhom,
    /// What.
    pub what: String,
    /// Status fields the notice must carry; its post names the ones not given yet and asks
    /// the lead for them.
    pub required_fields: Vec<StatusField>,
    /// Provenance.
    pub prov: Provenance,
}

/// Who a notification pings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyWhom {
    /// The first level of the ladder.
    Escalation,
    /// Every level.
    Ladder,
}

/// From which event a follow-up is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowFrom {
    /// Resolution.
    Resolved,
    /// Opening (clock start).
    Opened,
}

/// A follow-up obligation.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub id: String,
    pub priorities: Vec<String>,
    /// Counted from.
    pub from: FollowFrom,
    pub after: BusinessDuration,
    /// How long before it falls due it is announced (`lead`, in the unit of `after`); `None`:
    /// a quarter of its interval (see [`FollowUp::announce_at`]).
    pub lead: Option<BusinessDuration>,
    /// Counted on this schedule.
    pub schedule: String,
    /// What is due.
    pub what: String,
    /// For `opened` follow-ups: skip when resolved by then.
    pub unless_resolved: bool,
    /// Owed only for incidents with one of these impacts (Borger.dk's "the system is up
    /// again" after an outage); `None`: for every incident of its priorities.
    pub impacts: Option<Vec<String>>,
    /// The follow-up asks for the expected resolution: a status update that gives one before
    /// it falls due satisfies it (Inera's ETA, 3.1.1).
    pub satisfied_by_eta: bool,
    /// Provenance.
    pub prov: Provenance,
}

impl FollowUp {
    /// When the follow-up counted on `s` from `start` is announced ahead of its deadline:
    /// its lead time before it. The interval is `after`, from the event it is counted from
    /// (opening or resolution) to its deadline: open time on its schedule for hours and
    /// minutes, the wall-clock span for days. Without a `lead` the lead is a quarter of the
    /// interval (open time for hours; for days the wall-clock quarter, rounded down to whole
    /// days when it is a day or more, so the announcement keeps the deadline's time of day).
    /// `None`: no lead (zero, or not shorter than the interval).
    pub fn announce_at(&self, s: &Schedule, start: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, ClockError> {
        use BusinessDuration::{CalendarDays, Seconds, WorkingDays};
        let ahead = match (self.after, self.lead) {
            (Seconds(n), None) => Some(Seconds(n - n / 4)).filter(|_| n / 4 > 0),
            (Seconds(n), Some(Seconds(l))) => Some(Seconds(n - l)).filter(|_| l > 0 && l < n),
            (WorkingDays(n), Some(WorkingDays(l))) => Some(WorkingDays(n - l)).filter(|_| l > 0 && l < n),
            (CalendarDays(n), Some(CalendarDays(l))) => Some(CalendarDays(n - l)).filter(|_| l > 0 && l < n),
            (_, Some(_)) => None,
            (WorkingDays(_) | CalendarDays(_), None) => {
                let span = s.add(start, self.after)?;
                let mut quarter = (span.deadline - span.clock_start) / 4;
                if quarter >= chrono::TimeDelta::days(1) {
                    quarter = chrono::TimeDelta::days(quarter.num_days());
                }
                return Ok(Some(span.deadline - quarter).filter(|at| *at < span.deadline));
            }
        };
        ahead.map(|d| s.add(start, d).map(|span| span.deadline)).transpose()
    }

    /// Whether the follow-up is owed for an incident of `priority` with `impact`.
    pub fn owed(&self, priority: &str, impact: &str) -> bool {
        self.priorities.iter().any(|p| p == priority)
            && self.impacts.as_ref().is_none_or(|i| i.iter().any(|x| x == impact))
    }
}

/// One level of the escalation ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    /// Abstract role id, mapped to chat roles by deployment.
    pub role: String,
    pub name: String,
    /// Clause.
    pub source: String,
}

/// The escalation ladder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ladder {
    /// Levels, first is escalated to first.
    pub levels: Vec<Level>,
    /// Provenance.
    pub prov: Provenance,
}

/// Reporting duties.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reports {
    /// Monthly report due on or by this day of the next month.
    pub monthly_day: Option<u32>,
    /// Whether it is due by that day or on it.
    pub monthly_due: DueRule,
    /// How the text's date is read, where it is a reading.
    pub monthly_reading: Option<String>,
    /// Its clause.
    pub monthly_source: Option<String>,
    /// Whether a weekly status meeting exists.
    pub weekly_meeting: bool,
    /// Its clause.
    pub weekly_source: Option<String>,
    /// Annual report due date.
    pub annual: Option<MonthDay>,
    /// Whether it is due by that date or on it.
    pub annual_due: DueRule,
    /// How the text's date is read, where it is a reading.
    pub annual_reading: Option<String>,
    /// Its clause.
    pub annual_source: Option<String>,
    /// Remarks.
    pub note: Option<String>,
}

/// When a report or duty dated "the Nth" falls due if that day is closed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DueRule {
    /// Due by the day ("senest 15. dager", "by the 20th"): a closed day moves it to the
    /// working day before, so it is never late.
    #[default]
    By,
    /// Due on the day ("den 10:e i varje månad"): a closed day moves it as `closed` says,
    /// a reading the file states.
    On {
        /// Where a closed day moves it.
        closed: Shift,
    },
}

/// Where a date closed in the working-day schedule moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    /// To the working day before.
    Before,
    /// To the next working day.
    After,
}

impl DueRule {
    /// Where a closed day moves under this rule.
    pub fn shift(&self) -> Shift {
        match self {
            DueRule::By => Shift::Before,
            DueRule::On { closed } => *closed,
        }
    }
}

/// A maintenance rule of a service: one kind of window, with the notice it needs, the hours
/// it must keep to, its longest duration and how many a calendar year allows.
#[derive(Debug, Clone, PartialEq)]
pub struct Maintenance {
    /// Id of the kind within its service (`2h`, `planned`).
    pub id: String,
    pub name: String,
    /// Notice needed: the announcement must come at least this long before the start.
    pub notice: BusinessDuration,
    /// Schedule the notice is counted on (needed for working days).
    pub notice_schedule: Option<String>,
    /// Allowed window: the days it may start on and the local hours it must keep within.
    pub window: Option<(WeekdaySet, Window)>,
    /// A schedule the window must not touch (SSBTEK 4.6.1: outside opening hours).
    pub outside: Option<String>,
    /// Longest allowed duration.
    pub max_duration: Option<BusinessDuration>,
    /// How many a calendar year.
    pub max_per_year: Option<u32>,
    /// Provenance.
    pub prov: Provenance,
}

/// Measurement period of an availability target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Calendar month.
    Month,
    /// Calendar year.
    Year,
}

/// An availability target of a service, measured in one schedule's open time.
#[derive(Debug, Clone, PartialEq)]
pub struct Availability {
    /// Percent.
    pub target: f64,
    /// Measured in this schedule's open time.
    pub schedule: String,
    pub period: Period,
    /// Most downtime allowed in the period.
    pub max_downtime: Option<BusinessDuration>,
    /// Most unplanned outages a month (reliability, SSBTEK 4.9.1).
    pub max_outages_month: Option<u32>,
    /// Most unplanned outages a year.
    pub max_outages_year: Option<u32>,
    /// Provenance.
    pub prov: Provenance,
}

/// Re-paging of an unacknowledged incident: the same ladder level is pinged again every
/// `every` seconds of wall time, inside the hours its readiness schedule is open, up to
/// `limit` re-pages; then the next level of the ladder is paged and re-paged the same way,
/// until the ladder's top. An acknowledgement (or a resolution) stops it.
#[derive(Debug, Clone, PartialEq)]
pub struct Repaging {
    /// The priorities it applies to.
    pub priorities: Vec<String>,
    /// Seconds of wall time between pages (at least a minute).
    pub every: i64,
    /// Re-pages at one level before climbing to the next (at least 1).
    pub limit: u32,
    /// The readiness schedule: pages fall only while it is open.
    pub schedule: String,
    pub prov: Provenance,
}

/// A service the agreement covers (Difi's ID-porten, Altinn's SERES): its operating time,
/// availability targets, maintenance rules and, where the agreement sets one, its own
/// readiness — the schedule its incidents' clocks run on instead of the targets' own.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Id incidents name (`idporten`).
    pub id: String,
    pub name: String,
    /// The agreement's main service: incidents that name none are about it.
    pub main: bool,
    /// Its operating time (driftstid, öppettid).
    pub operating: String,
    /// Where the agreement sets it: the schedule incident handling is guaranteed in (Difi
    /// 6.8.2: eFormidling working days 08–16); every target's clock runs on it.
    pub readiness: Option<String>,
    /// Availability targets, one per schedule measured.
    pub availability: Vec<Availability>,
    /// Maintenance rules, one per kind of window.
    pub maintenance: Vec<Maintenance>,
    /// Where the agreement defines it: when an outage marked degraded is available with
    /// disturbance rather than unavailable (SSBTEK 4.9).
    pub degraded: Option<Degraded>,
    /// Provenance.
    pub prov: Provenance,
}

/// An agreement's definition of "available with disturbance": the service counts as
/// available (degraded, not downtime) while at least `min_sources` of its sources answer;
/// with fewer it is unavailable (SSBTEK 4.9: answers from 3 or more producing authorities).
#[derive(Debug, Clone, PartialEq)]
pub struct Degraded {
    /// The fewest sources answering for the service to count as available with disturbance.
    pub min_sources: u32,
    /// Provenance.
    pub prov: Provenance,
}

impl Service {
    /// The maintenance kind with id `id`.
    pub fn maintenance_kind(&self, id: &str) -> Option<&Maintenance> {
        self.maintenance.iter().find(|m| m.id == id)
    }
}

/// The id of the built-in case type: incidents, classified and targeted by the agreement's
/// own priorities.
pub const INCIDENT: &str = "incident";

/// What a case type of an agreement (`[[case_types]]`) is: everything but its view.
#[derive(Debug, Clone)]
pub struct CaseTypeSpec {
    /// Id cases name (`problem`, `change_request`).
    pub id: String,
    pub name: String,
    /// What the type covers.
    pub description: String,
    /// Prefix of its case ids (`SSB-PRB`): numbering is per type and year.
    pub prefix: String,
    /// Its classes, most urgent first; one when the text has none.
    pub classes: Vec<Priority>,
    /// Targets per class.
    pub targets: Vec<PriorityTargets>,
    /// The compliance goal (90 % within target), if the text sets one.
    pub compliance: Option<Compliance>,
    /// Warnings before each deadline, in percent of its business time; `None`: the
    /// deployment's (`warn_percents`).
    pub warnings: Option<Vec<u32>>,
    /// Whether breaches climb the agreement's escalation ladder.
    pub escalate: bool,
    /// Where the type comes from and how it was read.
    pub prov: Provenance,
}

/// A case type of an agreement (`[[case_types]]`): what it is ([`CaseTypeSpec`], its fields
/// read through it) and the agreement as its cases see it.
#[derive(Debug, Clone)]
pub struct CaseType {
    /// What it is.
    pub spec: CaseTypeSpec,
    /// The agreement as cases of this type see it ([`super::case_type`]).
    pub view: Arc<Agreement>,
}

impl std::ops::Deref for CaseType {
    type Target = CaseTypeSpec;

    fn deref(&self) -> &CaseTypeSpec {
        &self.spec
    }
}

/// A validated agreement.
#[derive(Debug)]
pub struct Agreement {
    /// Id (`ssbtek`).
    pub id: String,
    pub name: String,
    /// Incident id prefix (`SSB`).
    pub incident_prefix: String,
    /// Zone.
    pub tz: Tz,
    /// The language the agreement's posts are written in, as its file names it (`vakt.toml`
    /// and `VAKT_LANGUAGE` may override it: see `Config::locale`).
    pub language: super::locale::Locale,
    /// Source document.
    pub source: SourceDoc,
    /// Named schedules, in file order.
    pub schedules: Vec<Arc<Schedule>>,
    /// Priorities, most severe first.
    pub priorities: Vec<Priority>,
    /// Impact scale.
    pub impacts: Vec<Impact>,
    /// Timing classes.
    pub timing: Option<Timing>,
    pub classification: ClassificationRules,
    /// Targets per priority.
    pub targets: Vec<PriorityTargets>,
    /// Compliance goals.
    pub compliance: Option<Compliance>,
    /// Status cadences.
    pub status_updates: Vec<StatusCadence>,
    pub notifications: Vec<Notification>,
    pub follow_ups: Vec<FollowUp>,
    /// Escalation ladder.
    pub escalation: Ladder,
    pub reports: Reports,
    /// Services covered, in file order; exactly one is the main service when any are given.
    pub services: Vec<Service>,
    /// Meetings the agreement names, in file order.
    pub meetings: Vec<super::meeting::Meeting>,
    /// Re-paging of unacknowledged incidents, per priority.
    pub repaging: Vec<Repaging>,
    /// Case types besides incidents (orders, problems, change requests), in file order.
    pub case_types: Vec<CaseType>,
    /// In a case type's view ([`CaseType::view`]): that type's id; `None`
    /// for the agreement as written (incidents).
    pub case_type: Option<String>,
    /// In a case type's view: its warnings in percent of each target, where it sets them.
    pub warnings: Option<Vec<u32>>,
}

impl Agreement {
    /// The case type with id `id` (not [`INCIDENT`], which is
    /// the agreement itself).
    pub fn case_type(&self, id: &str) -> Option<&CaseType> {
        self.case_types.iter().find(|c| c.id == id)
    }

    /// The agreement as a case of type `id` sees it: itself for incidents, the type's view
    /// for another type; `None` for a type it does not have.
    pub fn for_case_type(&self, id: &str) -> Option<&Agreement> {
        if id == INCIDENT {
            return Some(self);
        }
        self.case_type(id).map(|c| &*c.view)
    }

    /// [`for_case_type`](Self::for_case_type) for a shared agreement: `this` itself for
    /// incidents, the type's view for another type.
    pub fn view_for<'a>(this: &'a Arc<Agreement>, id: &str) -> Option<&'a Arc<Agreement>> {
        if id == INCIDENT {
            return Some(this);
        }
        this.case_type(id).map(|c| &c.view)
    }

    /// The ids of its case types, incidents first.
    pub fn case_type_ids(&self) -> Vec<&str> {
        std::iter::once(INCIDENT)
            .chain(self.case_types.iter().map(|c| c.id.as_str()))
            .collect()
    }

    /// The schedule called `name`.
    pub fn schedule(&self, name: &str) -> Option<&Arc<Schedule>> {
        self.schedules.iter().find(|s| s.name == name)
    }

    /// The priority with id `id`.
    pub fn priority(&self, id: &str) -> Option<&Priority> {
        self.priorities.iter().find(|p| p.id == id)
    }

    /// The impact with id `id`.
    pub fn impact(&self, id: &str) -> Option<&Impact> {
        self.impacts.iter().find(|p| p.id == id)
    }

    /// The targets of priority `id`.
    pub fn targets_for(&self, id: &str) -> Option<&PriorityTargets> {
        self.targets.iter().find(|t| t.priority == id)
    }

    /// The service with id `id`.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// The main service, if the agreement names services.
    pub fn main_service(&self) -> Option<&Service> {
        self.services.iter().find(|s| s.main)
    }

    /// The service an incident naming `id` is about: that one, or the main service when it
    /// names none (or one this agreement does not know, as stored before services existed).
    pub fn service_or_main(&self, id: Option<&str>) -> Option<&Service> {
        id.and_then(|id| self.service(id)).or_else(|| self.main_service())
    }

    /// The schedule every target's clock of an incident on service `id` runs on instead of
    /// the target's own, where that service sets its own readiness.
    pub fn readiness(&self, id: Option<&str>) -> Option<&Arc<Schedule>> {
        self.service_or_main(id)
            .and_then(|s| s.readiness.as_deref())
            .and_then(|r| self.schedule(r))
    }

    /// The meeting with id `id`.
    pub fn meeting(&self, id: &str) -> Option<&super::meeting::Meeting> {
        self.meetings.iter().find(|m| m.id == id)
    }

    /// The meeting follow-up points default to: the first scheduled one that keeps points.
    pub fn points_meeting(&self) -> Option<&super::meeting::Meeting> {
        self.meetings.iter().find(|m| m.points && m.is_scheduled())
    }

    /// The schedule whose closed days move reports, summaries and meetings to the next
    /// working day: the first schedule that is not around the clock and follows a calendar
    /// (the agreement's office or service-desk hours), else the first that is not around
    /// the clock.
    pub fn working_days(&self) -> Option<&Arc<Schedule>> {
        self.schedules
            .iter()
            .find(|s| !s.always && !s.calendars.is_empty())
            .or_else(|| self.schedules.iter().find(|s| !s.always))
    }

    /// The re-paging of priority `id`, if the agreement sets one.
    pub fn repaging_for(&self, id: &str) -> Option<&Repaging> {
        self.repaging.iter().find(|r| r.priorities.iter().any(|p| p == id))
    }

    /// The status cadence of priority `id`, if any.
    pub fn cadence_for(&self, id: &str) -> Option<&StatusCadence> {
        self.status_updates
            .iter()
            .find(|c| c.priorities.iter().any(|p| p == id))
    }
}
