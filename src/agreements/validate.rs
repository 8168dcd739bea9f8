//! Turns the raw serde model into validated domain types, collecting every problem with
//! its position.

use super::raw::*;
use super::{LoadError, LoadErrors, line_col};
use crate::domain::agreement::*;
use crate::domain::calendar::{Calendar, DayRule, Holiday};
use crate::domain::classify::{Fact, Facts, decide, reads_fact, reads_impact};
use crate::domain::clock::BusinessDuration;
use crate::domain::meeting::{Agenda, Cadence, Meeting};
use crate::domain::schedule::{DayMatcher, OtherHours, Schedule};
use crate::domain::time::{MAX_YEAR, MIN_YEAR, Minute, MonthDay, Window, parse_weekday, parse_weekly_window};
use chrono_tz::Tz;
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// The largest Easter offset of a special day: Easter Sunday is 22 March – 25 April, so
/// ±60 days stays within Easter's own year (21 January at the earliest, 24 June at the latest).
pub const MAX_EASTER_OFFSET: i32 = 60;
/// The longest duration in calendar days a target or follow-up may be (ten years).
pub const MAX_DAYS: u32 = 3660;
/// The longest duration in working days (ten years of five-day weeks).
pub const MAX_WORKING_DAYS: u32 = 2600;
/// The longest duration in hours (ten years, 3660 days of 24 hours; 5 270 400 minutes).
pub const MAX_HOURS: i64 = 87_840;

fn is_zero(d: BusinessDuration) -> bool {
    matches!(
        d,
        BusinessDuration::Seconds(0) | BusinessDuration::WorkingDays(0) | BusinessDuration::CalendarDays(0)
    )
}

struct Ctx<'a> {
    file: &'a Path,
    text: &'a str,
    errors: Vec<LoadError>,
}

impl Ctx<'_> {
    fn err(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, column) = line_col(self.text, span.start);
        self.errors.push(LoadError {
            file: self.file.to_path_buf(),
            line,
            column,
            message: message.into(),
        });
    }

    fn finish<T>(self, value: T) -> Result<T, LoadErrors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(LoadErrors(self.errors))
        }
    }

    fn month_day(&mut self, s: &S<String>) -> Option<MonthDay> {
        let md = MonthDay::parse(s.get_ref());
        if md.is_none() {
            self.err(
                s.span(),
                format!("invalid month-day \"{}\" (expected MM-DD, e.g. \"05-15\")", s.get_ref()),
            );
        }
        md
    }

    fn duration(&mut self, s: &S<String>) -> Option<BusinessDuration> {
        match BusinessDuration::parse(s.get_ref()) {
            Ok(d) => Some(d),
            Err(e) => {
                self.err(s.span(), format!("invalid duration \"{}\": {e}", s.get_ref()));
                None
            }
        }
    }

    /// Whether `d` (written as `s`) is at most the longest duration a deadline may run
    /// ([`MAX_DAYS`], [`MAX_WORKING_DAYS`], [`MAX_HOURS`]); reports it when longer.
    fn within_bound(&mut self, s: &S<String>, d: BusinessDuration) -> bool {
        let text = s.get_ref().trim();
        let bound = match d {
            BusinessDuration::CalendarDays(n) if n > MAX_DAYS => Some(format!("{MAX_DAYS} days (\"{MAX_DAYS}d\")")),
            BusinessDuration::WorkingDays(n) if n > MAX_WORKING_DAYS => {
                Some(format!("{MAX_WORKING_DAYS} working days (\"{MAX_WORKING_DAYS}wd\")"))
            }
            BusinessDuration::Seconds(n) if n > MAX_HOURS * 3600 => Some(if text.ends_with('m') {
                format!("{} minutes (\"{}m\")", MAX_HOURS * 60, MAX_HOURS * 60)
            } else if text.ends_with('s') {
                format!("{} seconds (\"{}s\")", MAX_HOURS * 3600, MAX_HOURS * 3600)
            } else {
                format!("{MAX_HOURS} hours (\"{MAX_HOURS}h\")")
            }),
            _ => None,
        };
        match bound {
            Some(bound) => {
                self.err(
                    s.span(),
                    format!(
                        "duration \"{text}\" is too long to compute within the supported years {MIN_YEAR}–{MAX_YEAR}: at most {bound}, about ten years"
                    ),
                );
                false
            }
            None => true,
        }
    }

    /// Checks a reference against known names; returns it when known.
    fn reference(&mut self, s: &S<String>, what: &str, known: &[&str]) -> Option<String> {
        if known.contains(&s.get_ref().as_str()) {
            Some(s.get_ref().clone())
        } else {
            let list = if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            };
            self.err(s.span(), format!("unknown {what} \"{}\" (known: {list})", s.get_ref()));
            None
        }
    }

    fn windows(&mut self, hours: &[S<String>]) -> Vec<Window> {
        let mut out: Vec<Window> = Vec::new();
        for h in hours {
            match Window::parse(h.get_ref()) {
                Ok(w) => {
                    if let Some(o) = out.iter().find(|o| o.overlaps(&w)) {
                        self.err(h.span(), format!("window {w} overlaps {o}"));
                    } else {
                        out.push(w);
                    }
                }
                Err(e) => self.err(h.span(), format!("invalid window \"{}\": {e}", h.get_ref())),
            }
        }
        out.sort_by_key(|w| w.start);
        out
    }
}

fn toml_error(file: &Path, text: &str, e: toml::de::Error) -> LoadErrors {
    let (line, column) = e.span().map_or((0, 0), |s| line_col(text, s.start));
    LoadErrors(vec![LoadError {
        file: file.to_path_buf(),
        line,
        column,
        message: e.message().trim().to_string(),
    }])
}

fn prov(source: &str, reading: &Option<String>, note: &Option<String>) -> Provenance {
    Provenance {
        source: source.to_string(),
        reading: reading.clone(),
        note: note.clone(),
    }
}

fn slug(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    s.trim_matches('_').to_string()
}

/// Parses and validates one calendar file; `known` are calendars loaded before it (for `extends`).
pub fn parse_calendar(
    file: &Path,
    text: &str,
    known: &BTreeMap<String, Arc<Calendar>>,
) -> Result<Calendar, LoadErrors> {
    let raw: RawCalendar = toml::from_str(text).map_err(|e| toml_error(file, text, e))?;
    let mut cx = Ctx {
        file,
        text,
        errors: Vec::new(),
    };
    let mut cal = Calendar {
        id: raw.id.get_ref().clone(),
        name: raw.name.clone(),
        source: raw.source.clone(),
        holidays: vec![],
        extra_days: vec![],
    };
    if let Some(base) = &raw.extends {
        match known.get(base.get_ref()) {
            Some(b) => {
                cal.holidays = b.holidays.clone();
                cal.extra_days = b.extra_days.clone();
            }
            None => {
                let names: Vec<&str> = known.keys().map(String::as_str).collect();
                cx.reference(base, "calendar", &names);
            }
        }
    }
    for (list, extra) in [(&raw.holidays, false), (&raw.extra_days, true)] {
        for d in list {
            if let Some(h) = day(&mut cx, d, extra) {
                let target = if extra { &mut cal.extra_days } else { &mut cal.holidays };
                if extra && target.iter().any(|x| x.id == h.id) {
                    cx.err(d.span(), format!("duplicate extra day id \"{}\"", h.id));
                }
                target.push(h);
            }
        }
    }
    cx.finish(cal)
}

fn day(cx: &mut Ctx, d: &S<RawDay>, extra: bool) -> Option<Holiday> {
    let r = d.get_ref();
    let given = [
        r.date.is_some(),
        r.easter.is_some(),
        r.weekday.is_some() || r.on_or_after.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        cx.err(
            d.span(),
            format!(
                "\"{}\": give exactly one of date, easter, or weekday + on_or_after",
                r.name
            ),
        );
        return None;
    }
    let rule = if let Some(s) = &r.date {
        DayRule::Fixed(cx.month_day(s)?)
    } else if let Some(e) = &r.easter {
        if e.get_ref().abs() > 200 {
            cx.err(e.span(), "easter offset must be within ±200 days");
            return None;
        }
        DayRule::Easter(*e.get_ref())
    } else {
        let (Some(w), Some(md)) = (&r.weekday, &r.on_or_after) else {
            cx.err(d.span(), format!("\"{}\": weekday and on_or_after go together", r.name));
            return None;
        };
        let Some(wd) = parse_weekday(w.get_ref()) else {
            cx.err(w.span(), format!("unknown weekday \"{}\" (use mon..sun)", w.get_ref()));
            return None;
        };
        DayRule::WeekdayOnOrAfter(wd, cx.month_day(md)?)
    };
    if let (Some(f), Some(l)) = (&r.first_year, &r.last_year)
        && l.get_ref() < f.get_ref()
    {
        cx.err(l.span(), "last_year is before first_year");
    }
    let id = match &r.id {
        Some(id) => id.get_ref().clone(),
        None if extra => {
            cx.err(d.span(), format!("extra day \"{}\" needs an id", r.name));
            return None;
        }
        None => slug(&r.name),
    };
    Some(Holiday {
        id,
        name: r.name.clone(),
        local_name: r.local_name.clone(),
        rule,
        first_year: r.first_year.as_ref().map(|y| *y.get_ref()),
        last_year: r.last_year.as_ref().map(|y| *y.get_ref()),
    })
}

fn check_ids<'a>(cx: &mut Ctx, what: &str, ids: impl Iterator<Item = &'a S<String>>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for id in ids {
        if id.get_ref().trim().is_empty() {
            cx.err(id.span(), format!("{what} id is empty"));
        } else if seen.contains(id.get_ref()) {
            cx.err(id.span(), format!("duplicate {what} id \"{}\"", id.get_ref()));
        } else {
            seen.push(id.get_ref().clone());
        }
    }
    seen
}

fn refs(cx: &mut Ctx, list: &[S<String>], what: &str, known: &[&str]) -> Vec<String> {
    list.iter().filter_map(|s| cx.reference(s, what, known)).collect()
}

/// Parses and validates one agreement file against the available calendars.
pub fn parse_agreement(
    file: &Path,
    text: &str,
    calendars: &BTreeMap<String, Arc<Calendar>>,
) -> Result<Agreement, LoadErrors> {
    let raw: RawAgreement = toml::from_str(text).map_err(|e| toml_error(file, text, e))?;
    let mut cx = Ctx {
        file,
        text,
        errors: Vec::new(),
    };

    let id = raw.id.get_ref().clone();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        cx.err(
            raw.id.span(),
            format!("agreement id \"{id}\" must be lower-case letters, digits and '-'"),
        );
    } else if let Some(stem) = file.file_stem().and_then(|s| s.to_str())
        && stem != id
    {
        let name = file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        cx.err(
            raw.id.span(),
            format!("agreement id \"{id}\" does not match the file name {name} (write id = \"{stem}\" or rename the file to {id}.toml)"),
        );
    }
    let prefix = raw.incident_prefix.get_ref().clone();
    if !(2..=8).contains(&prefix.len()) || !prefix.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
        cx.err(
            raw.incident_prefix.span(),
            format!("incident prefix \"{prefix}\" must be 2–8 upper-case letters or digits"),
        );
    }
    let tz: Tz = match raw.timezone.get_ref().parse() {
        Ok(tz) => tz,
        Err(_) => {
            cx.err(
                raw.timezone.span(),
                format!(
                    "unknown time zone \"{}\" (use an IANA name like Europe/Oslo)",
                    raw.timezone.get_ref()
                ),
            );
            chrono_tz::UTC
        }
    };

    // Schedules.
    let cal_names: Vec<&str> = calendars.keys().map(String::as_str).collect();
    let mut schedules: Vec<Arc<Schedule>> = Vec::new();
    for (name, s) in &raw.schedules {
        schedules.push(Arc::new(schedule(&mut cx, name, s, tz, calendars, &cal_names)));
    }
    let sched_names: Vec<String> = raw.schedules.keys().cloned().collect();
    let sched_names: Vec<&str> = sched_names.iter().map(String::as_str).collect();

    // Priorities and impacts.
    let prio_ids = check_ids(&mut cx, "priority", raw.priorities.iter().map(|p| &p.get_ref().id));
    if raw.priorities.is_empty() {
        cx.err(0..0, "no priorities defined");
    }
    let prio_ref: Vec<&str> = prio_ids.iter().map(String::as_str).collect();
    let impact_ids = check_ids(&mut cx, "impact", raw.impacts.iter().map(|p| &p.get_ref().id));
    if raw.impacts.is_empty() {
        cx.err(0..0, "no impacts defined: the reporter needs a scale");
    }
    let impact_ref: Vec<&str> = impact_ids.iter().map(String::as_str).collect();
    let level = |p: &S<RawPriority>| {
        let r = p.get_ref();
        (
            r.id.get_ref().clone(),
            r.name.clone(),
            r.description.clone(),
            prov(&r.source, &r.reading, &r.note),
        )
    };
    let priorities: Vec<Priority> = raw
        .priorities
        .iter()
        .map(level)
        .map(|(id, name, description, prov)| Priority {
            id,
            name,
            description,
            prov,
        })
        .collect();
    let impacts: Vec<Impact> = raw
        .impacts
        .iter()
        .map(level)
        .map(|(id, name, description, prov)| Impact {
            id,
            name,
            description,
            prov,
        })
        .collect();

    // Timing.
    let timing = raw.timing.as_ref().map(|t| timing(&mut cx, t, &sched_names));
    let timing_ids: Vec<String> = timing
        .as_ref()
        .map_or(vec![], |t| t.classes.iter().map(|c| c.id.clone()).collect());
    let timing_ref: Vec<&str> = timing_ids.iter().map(String::as_str).collect();

    // Classification.
    let classification = classification(&mut cx, &raw.classification, &prio_ref, &impact_ref, &timing_ref);

    // Targets.
    let mut targets: Vec<PriorityTargets> = Vec::new();
    for t in &raw.targets {
        let r = t.get_ref();
        let Some(p) = cx.reference(&r.priority, "priority", &prio_ref) else {
            continue;
        };
        if targets.iter().any(|x| x.priority == p) {
            cx.err(r.priority.span(), format!("priority \"{p}\" has targets already"));
            continue;
        }
        let response = target(&mut cx, t, r.response.as_ref(), "response", &sched_names);
        let resolution = target(&mut cx, t, r.resolution.as_ref(), "resolution", &sched_names);
        if let (Some(response), Some(resolution)) = (response, resolution) {
            targets.push(PriorityTargets {
                priority: p,
                response,
                resolution,
                note: r.note.clone(),
            });
        }
    }
    for p in &raw.priorities {
        let pid = p.get_ref().id.get_ref();
        if !raw.targets.iter().any(|t| t.get_ref().priority.get_ref() == pid) {
            cx.err(
                p.span(),
                format!(
                    "priority \"{pid}\" has no [[targets]] entry (write `none = \"why\"` where the text sets none)"
                ),
            );
        }
    }

    let compliance = raw.compliance.as_ref().map(|c| {
        let r = c.get_ref();
        for v in [&r.response, &r.resolution].into_iter().flatten() {
            if !(0.0..=100.0).contains(v.get_ref()) {
                cx.err(v.span(), "a compliance goal is a percentage from 0 to 100");
            }
        }
        let mut scope = |v: &Option<S<String>>| match v.as_ref().map(|v| (v.get_ref().as_str(), v.span())) {
            None | Some(("overall", _)) => GoalScope::Overall,
            Some(("each_priority", _)) => GoalScope::EachPriority,
            Some((_, span)) => {
                cx.err(span, "a goal's scope is \"overall\" or \"each_priority\"");
                GoalScope::Overall
            }
        };
        let response_scope = scope(&r.response_scope);
        let resolution_scope = scope(&r.resolution_scope);
        Compliance {
            response: r.response.as_ref().map(|v| *v.get_ref()),
            resolution: r.resolution.as_ref().map(|v| *v.get_ref()),
            response_scope,
            resolution_scope,
            prov: prov(&r.source, &r.reading, &r.note),
        }
    });

    // Status updates.
    let mut status_updates: Vec<StatusCadence> = Vec::new();
    for c in &raw.status_updates {
        let r = c.get_ref();
        let priorities = refs(&mut cx, &r.priorities, "priority", &prio_ref);
        for (p, s) in priorities.iter().zip(&r.priorities) {
            if status_updates.iter().any(|x| x.priorities.contains(p)) {
                cx.err(s.span(), format!("priority \"{p}\" has a status cadence already"));
            }
        }
        let every = match cx.duration(&r.every) {
            Some(BusinessDuration::Seconds(s)) if s >= 60 => Some(s),
            Some(_) => {
                cx.err(
                    r.every.span(),
                    "a status interval is minutes or hours (at least 1m), e.g. \"1h\"",
                );
                None
            }
            None => None,
        };
        let schedule = cx.reference(&r.schedule, "schedule", &sched_names);
        let outside = outside_rule(&mut cx, &r.outside);
        if let (Some(every), Some(schedule), Some(outside)) = (every, schedule, outside) {
            status_updates.push(StatusCadence {
                priorities,
                every,
                schedule,
                outside,
                prov: prov(&r.source, &r.reading, &r.note),
            });
        }
    }

    let mut notifications = Vec::new();
    for n in &raw.notifications {
        let r = n.get_ref();
        let priorities = refs(&mut cx, &r.priorities, "priority", &prio_ref);
        let to = match r.to.get_ref().as_str() {
            "escalation" => Some(NotifyWhom::Escalation),
            "ladder" => Some(NotifyWhom::Ladder),
            other => {
                cx.err(
                    r.to.span(),
                    format!("unknown recipient \"{other}\" (known: escalation, ladder)"),
                );
                None
            }
        };
        if let Some(to) = to {
            notifications.push(Notification {
                priorities,
                to,
                what: r.what.clone(),
                prov: prov(&r.source, &r.reading, &r.note),
            });
        }
    }

    let mut follow_ups = Vec::new();
    check_ids(&mut cx, "follow-up", raw.follow_ups.iter().map(|f| &f.get_ref().id));
    for f in &raw.follow_ups {
        let r = f.get_ref();
        let priorities = refs(&mut cx, &r.priorities, "priority", &prio_ref);
        let from = match r.from.get_ref().as_str() {
            "resolved" => Some(FollowFrom::Resolved),
            "opened" => Some(FollowFrom::Opened),
            other => {
                cx.err(
                    r.from.span(),
                    format!("unknown event \"{other}\" (known: resolved, opened)"),
                );
                None
            }
        };
        let after = cx.duration(&r.after).filter(|d| cx.within_bound(&r.after, *d));
        let schedule = cx.reference(&r.schedule, "schedule", &sched_names);
        if let (Some(from), Some(after), Some(schedule)) = (from, after, schedule) {
            follow_ups.push(FollowUp {
                id: r.id.get_ref().clone(),
                priorities,
                from,
                after,
                schedule,
                what: r.what.clone(),
                unless_resolved: r.unless_resolved,
                prov: prov(&r.source, &r.reading, &r.note),
            });
        }
    }

    // Escalation ladder.
    let l = raw.escalation.get_ref();
    if l.levels.is_empty() {
        cx.err(raw.escalation.span(), "the escalation ladder has no levels");
    }
    check_ids(&mut cx, "escalation role", l.levels.iter().map(|x| &x.get_ref().role));
    let escalation = Ladder {
        levels: l
            .levels
            .iter()
            .map(|x| {
                let x = x.get_ref();
                Level {
                    role: x.role.get_ref().clone(),
                    name: x.name.clone(),
                    source: x.source.clone().unwrap_or_else(|| l.source.clone()),
                }
            })
            .collect(),
        prov: prov(&l.source, &l.reading, &l.note),
    };

    let reports = match &raw.reports {
        None => Reports::default(),
        Some(r) => {
            let r = r.get_ref();
            if let Some(d) = &r.monthly_day
                && !(1..=31).contains(d.get_ref())
            {
                cx.err(d.span(), "monthly_day is a day of the month, 1–31");
            }
            Reports {
                monthly_day: r.monthly_day.as_ref().map(|d| *d.get_ref()),
                monthly_source: r.monthly_source.clone(),
                weekly_meeting: r.weekly_meeting,
                weekly_source: r.weekly_source.clone(),
                annual: r.annual.as_ref().and_then(|a| cx.month_day(a)),
                annual_source: r.annual_source.clone(),
                note: r.note.clone(),
            }
        }
    };

    let mut maintenance = Vec::new();
    for m in &raw.maintenance {
        let r = m.get_ref();
        let notice = cx.duration(&r.notice);
        let notice_schedule = r
            .notice_schedule
            .as_ref()
            .and_then(|s| cx.reference(s, "schedule", &sched_names));
        if matches!(notice, Some(BusinessDuration::WorkingDays(_))) && r.notice_schedule.is_none() {
            cx.err(r.notice.span(), "a notice in working days needs notice_schedule");
        }
        let window = r.window.as_ref().and_then(|w| match parse_weekly_window(w.get_ref()) {
            Ok(x) => Some(x),
            Err(e) => {
                cx.err(w.span(), e);
                None
            }
        });
        let max_duration = r.max_duration.as_ref().and_then(|d| cx.duration(d));
        if let Some(notice) = notice {
            maintenance.push(Maintenance {
                name: r.name.clone(),
                notice,
                notice_schedule,
                window,
                max_duration,
                max_per_year: r.max_per_year,
                prov: prov(&r.source, &r.reading, &r.note),
            });
        }
    }

    let mut availability = Vec::new();
    for a in &raw.availability {
        let r = a.get_ref();
        if !(0.0..=100.0).contains(r.target.get_ref()) {
            cx.err(r.target.span(), "an availability target is a percentage from 0 to 100");
        }
        let schedule = cx.reference(&r.schedule, "schedule", &sched_names);
        let period = match r.period.get_ref().as_str() {
            "month" => Some(Period::Month),
            "year" => Some(Period::Year),
            other => {
                cx.err(
                    r.period.span(),
                    format!("unknown period \"{other}\" (known: month, year)"),
                );
                None
            }
        };
        let max_downtime = r.max_downtime.as_ref().and_then(|d| cx.duration(d));
        if let (Some(schedule), Some(period)) = (schedule, period) {
            availability.push(Availability {
                service: r.service.clone(),
                target: *r.target.get_ref(),
                schedule,
                period,
                max_downtime,
                prov: prov(&r.source, &r.reading, &r.note),
            });
        }
    }

    let meetings = meetings(&mut cx, &raw.meetings);

    let s = &raw.source;
    let agreement = Agreement {
        id,
        name: raw.name.clone(),
        incident_prefix: prefix,
        tz,
        source: SourceDoc {
            title: s.title.clone(),
            version: s.version.clone(),
            date: s.date.clone(),
            file: s.file.clone(),
            parties: s.parties.clone(),
            note: s.note.clone(),
        },
        schedules,
        priorities,
        impacts,
        timing,
        classification,
        targets,
        compliance,
        status_updates,
        notifications,
        follow_ups,
        escalation,
        reports,
        maintenance,
        availability,
        meetings,
    };
    if cx.errors.is_empty() {
        check_total(&mut cx, &agreement, raw.classification.span());
    }
    cx.finish(agreement)
}

/// The `[[meetings]]` section: ids unique, a cadence, and for a scheduled cadence a
/// weekday and a local time (an as-needed meeting has neither).
fn meetings(cx: &mut Ctx, raw: &[S<RawMeeting>]) -> Vec<Meeting> {
    check_ids(cx, "meeting", raw.iter().map(|m| &m.get_ref().id));
    let mut out = Vec::new();
    for m in raw {
        let r = m.get_ref();
        let cadence = Cadence::parse(r.cadence.get_ref());
        if cadence.is_none() {
            cx.err(
                r.cadence.span(),
                format!(
                    "invalid cadence \"{}\" (expected weeks or months like \"1w\", \"2mo\" (1–24), or \"as-needed\")",
                    r.cadence.get_ref()
                ),
            );
        }
        let weekday = r.weekday.as_ref().and_then(|w| {
            let d = parse_weekday(w.get_ref());
            if d.is_none() {
                cx.err(w.span(), format!("unknown weekday \"{}\" (use mon..sun)", w.get_ref()));
            }
            d
        });
        let time = r.time.as_ref().and_then(|t| {
            let at = Minute::parse(t.get_ref()).and_then(Minute::time);
            if at.is_none() {
                cx.err(
                    t.span(),
                    format!("invalid time \"{}\" (expected HH:MM, 00:00–23:59)", t.get_ref()),
                );
            }
            at
        });
        let agenda = match r.agenda.as_ref() {
            None => Some(Agenda::None),
            Some(a) => match a.get_ref().as_str() {
                "weekly_summary" => Some(Agenda::WeeklySummary),
                "period_report" => Some(Agenda::PeriodReport),
                "none" => Some(Agenda::None),
                other => {
                    cx.err(
                        a.span(),
                        format!("unknown agenda \"{other}\" (known: weekly_summary, period_report, none)"),
                    );
                    None
                }
            },
        };
        match cadence {
            Some(Cadence::AsNeeded) => {
                for (given, what) in [(r.weekday.as_ref(), "weekday"), (r.time.as_ref(), "time")] {
                    if let Some(g) = given {
                        cx.err(g.span(), format!("an as-needed meeting has no {what}"));
                    }
                }
                if r.points {
                    cx.err(
                        r.id.span(),
                        "an as-needed meeting keeps no follow-up points (no next meeting to answer by)",
                    );
                }
            }
            Some(_) => {
                if r.weekday.is_none() {
                    cx.err(r.id.span(), format!("meeting \"{}\" needs a weekday", r.id.get_ref()));
                }
                if r.time.is_none() {
                    cx.err(r.id.span(), format!("meeting \"{}\" needs a time", r.id.get_ref()));
                }
            }
            None => {}
        }
        if let (Some(cadence), Some(agenda)) = (cadence, agenda) {
            out.push(Meeting {
                id: r.id.get_ref().clone(),
                name: r.name.clone(),
                cadence,
                weekday,
                time,
                agenda,
                clause: r.source.clone(),
                reading: r.reading.clone(),
                points: r.points,
                note: r.note.clone(),
            });
        }
    }
    out
}

fn outside_rule(cx: &mut Ctx, s: &S<String>) -> Option<Outside> {
    let v = s.get_ref().trim();
    if v == "next-open" {
        return Some(Outside::NextOpen);
    }
    if let Some(t) = v.strip_prefix("next-day ")
        && let Some(m) = crate::domain::time::Minute::parse(t.trim())
        && m.0 < 1440
    {
        return Some(Outside::NextDayAt(m));
    }
    cx.err(
        s.span(),
        format!("invalid outside rule \"{v}\" (expected \"next-open\" or \"next-day HH:MM\")"),
    );
    None
}

fn schedule(
    cx: &mut Ctx,
    name: &str,
    s: &S<RawSchedule>,
    tz: Tz,
    calendars: &BTreeMap<String, Arc<Calendar>>,
    cal_names: &[&str],
) -> Schedule {
    let r = s.get_ref();
    let always = r.always.as_ref().is_some_and(|a| *a.get_ref());
    if always {
        if !(r.weekly.is_empty()
            && r.calendars.is_empty()
            && r.seasons.is_empty()
            && r.special_days.is_empty()
            && r.extra_days.is_empty())
        {
            cx.err(s.span(), format!("schedule \"{name}\" is always open: it takes no weekly, calendars, extra_days, seasons or special_days"));
        }
        let mut sch = Schedule::always(name, tz);
        sch.description = r.description.clone();
        sch.source = r.source.clone();
        sch.reading = r.reading.clone();
        sch.note = r.note.clone();
        return sch;
    }
    if r.weekly.is_empty() {
        cx.err(
            s.span(),
            format!(
                "schedule \"{name}\" has no weekly windows (write weekly = [\"mon-fri 08:00-16:00\"] or always = true)"
            ),
        );
    }
    let mut weekly: [Vec<Window>; 7] = Default::default();
    for w in &r.weekly {
        match parse_weekly_window(w.get_ref()) {
            Ok((days, win)) => {
                for d in days.iter() {
                    let slot = &mut weekly[d.num_days_from_monday() as usize];
                    if let Some(o) = slot.iter().find(|o| o.overlaps(&win)) {
                        cx.err(
                            w.span(),
                            format!(
                                "window {win} overlaps {o} on {}",
                                crate::domain::schedule::weekday_name(d)
                            ),
                        );
                    } else {
                        slot.push(win);
                    }
                }
            }
            Err(e) => cx.err(w.span(), format!("invalid weekly window \"{}\": {e}", w.get_ref())),
        }
    }
    for slot in &mut weekly {
        slot.sort_by_key(|w| w.start);
    }
    let cals: Vec<Arc<Calendar>> = r
        .calendars
        .iter()
        .filter_map(|c| cx.reference(c, "calendar", cal_names))
        .filter_map(|c| calendars.get(&c).cloned())
        .collect();
    let mut extra = Vec::new();
    let all_calendars_known = cals.len() == r.calendars.len();
    for e in r.extra_days.iter().filter(|_| all_calendars_known) {
        match cals.iter().find_map(|c| c.extra_day(e.get_ref())) {
            Some(h) => extra.push(h.clone()),
            None => {
                let known: Vec<&str> = cals
                    .iter()
                    .flat_map(|c| c.extra_days.iter().map(|h| h.id.as_str()))
                    .collect();
                cx.reference(e, "extra day in this schedule's calendars", &known);
            }
        }
    }
    let seasons = r.seasons.iter().filter_map(|o| other_hours(cx, o, true)).collect();
    let special_days = r
        .special_days
        .iter()
        .filter_map(|o| other_hours(cx, o, false))
        .collect();
    let mut sch = Schedule::new(name, tz, false, weekly, cals, extra, special_days, seasons);
    sch.description = r.description.clone();
    sch.source = r.source.clone();
    sch.reading = r.reading.clone();
    sch.note = r.note.clone();
    sch
}

fn other_hours(cx: &mut Ctx, o: &S<RawOtherHours>, season: bool) -> Option<OtherHours> {
    let r = o.get_ref();
    let days = match (&r.date, &r.easter, &r.from, &r.to) {
        (None, None, Some(f), Some(t)) => DayMatcher::Range(cx.month_day(f)?, cx.month_day(t)?),
        (Some(d), None, None, None) if !season => DayMatcher::Date(cx.month_day(d)?),
        (None, Some(e), None, None) if !season => {
            if e.get_ref().abs() > MAX_EASTER_OFFSET {
                cx.err(
                    e.span(),
                    format!(
                        "easter offset {} is out of range: a special day is at most {MAX_EASTER_OFFSET} days before or after Easter Sunday (so it stays in Easter's year)",
                        e.get_ref()
                    ),
                );
                return None;
            }
            DayMatcher::Easter(*e.get_ref())
        }
        _ => {
            let msg = if season {
                format!(
                    "season \"{}\" needs from = \"MM-DD\" and to = \"MM-DD\" (and nothing else)",
                    r.name
                )
            } else {
                format!(
                    "special day \"{}\" needs exactly one of: date, easter, or from + to",
                    r.name
                )
            };
            cx.err(o.span(), msg);
            return None;
        }
    };
    let hours = cx.windows(&r.hours);
    Some(OtherHours {
        name: r.name.clone(),
        days,
        hours,
        source: r.source.clone(),
        reading: r.reading.clone(),
    })
}

fn timing(cx: &mut Ctx, t: &S<RawTiming>, sched_names: &[&str]) -> Timing {
    let r = t.get_ref();
    let schedule = cx.reference(&r.schedule, "schedule", sched_names).unwrap_or_default();
    let ids = check_ids(cx, "timing class", r.classes.iter().map(|c| &c.get_ref().id));
    let mut classes = Vec::new();
    for (i, c) in r.classes.iter().enumerate() {
        let cr = c.get_ref();
        let n = [cr.day_of_month.is_some(), cr.dates.is_some(), cr.before.is_some()]
            .iter()
            .filter(|x| **x)
            .count();
        if n > 1 {
            cx.err(
                c.span(),
                format!(
                    "timing class \"{}\": give at most one of day_of_month, dates, before",
                    cr.id.get_ref()
                ),
            );
        }
        let when = if let Some(d) = &cr.day_of_month {
            let dr = d.get_ref();
            if !(1..=31).contains(&dr.from) || dr.to.is_some_and(|to| to < dr.from || to > 31) {
                cx.err(d.span(), "day_of_month: from and to are days 1–31, to not before from");
            }
            TimingCondition::DayOfMonth {
                from: dr.from,
                to: dr.to,
            }
        } else if let Some(ds) = &cr.dates {
            let mut v = Vec::new();
            for d in ds {
                if let (Some(a), Some(b)) = (cx.month_day(&d.get_ref().from), cx.month_day(&d.get_ref().to)) {
                    v.push((a, b));
                }
            }
            TimingCondition::Dates(v)
        } else if let Some(b) = &cr.before {
            let br = b.get_ref();
            let target = ids.iter().position(|x| x == br.class.get_ref());
            match target {
                None => {
                    let known: Vec<&str> = ids.iter().map(String::as_str).collect();
                    cx.reference(&br.class, "timing class", &known);
                    TimingCondition::Always
                }
                Some(k) => {
                    let kr = r.classes[k].get_ref();
                    if kr.day_of_month.is_none() && kr.dates.is_none() {
                        cx.err(
                            br.class.span(),
                            "`before` must refer to a class with day_of_month or dates",
                        );
                    }
                    if br.working_days == 0 {
                        cx.err(b.span(), "working_days must be at least 1");
                    }
                    TimingCondition::Before {
                        class: k,
                        working_days: br.working_days,
                    }
                }
            }
        } else {
            if i + 1 != r.classes.len() {
                cx.err(
                    c.span(),
                    format!(
                        "timing class \"{}\" has no condition, so the classes after it can never match; put it last",
                        cr.id.get_ref()
                    ),
                );
            }
            TimingCondition::Always
        };
        classes.push(TimingClass {
            id: cr.id.get_ref().clone(),
            name: cr.name.clone(),
            when,
            prov: prov(&cr.source, &cr.reading, &cr.note),
        });
    }
    if classes.last().is_none_or(|c| c.when != TimingCondition::Always) {
        cx.err(
            t.span(),
            "the last timing class must have no condition, so that every day has a class",
        );
    }
    Timing {
        schedule,
        classes,
        prov: prov(&r.source, &r.reading, &r.note),
    }
}

fn classification(
    cx: &mut Ctx,
    c: &S<RawClassification>,
    prios: &[&str],
    impacts: &[&str],
    timing: &[&str],
) -> ClassificationRules {
    let r = c.get_ref();
    let mut rules = Vec::new();
    for rule in &r.rules {
        let rr = rule.get_ref();
        let w = rr.when.get_ref();
        let priority = cx.reference(&rr.priority, "priority", prios);
        let impact = w.impact.as_ref().map(|v| refs(cx, v, "impact", impacts));
        let timing_c = w.timing.as_ref().map(|v| refs(cx, v, "timing class", timing));
        for v in [&w.users_over, &w.users_at_most].into_iter().flatten() {
            if !(0.0..=100.0).contains(v.get_ref()) {
                cx.err(v.span(), "a share of users is a percentage from 0 to 100");
            }
        }
        if let Some(priority) = priority {
            rules.push(Rule {
                when: Conditions {
                    impact,
                    timing: timing_c,
                    security: w.security,
                    workaround: w.workaround,
                    users_over: w.users_over.as_ref().map(|v| *v.get_ref()),
                    users_at_most: w.users_at_most.as_ref().map(|v| *v.get_ref()),
                },
                priority,
                prov: prov(&rr.source, &rr.reading, &rr.note),
            });
        }
    }
    let matrix = r.matrix.as_ref().map(|m| {
        let mr = m.get_ref();
        if timing.is_empty() {
            cx.err(m.span(), "a matrix needs [timing] classes for its rows");
        }
        let cols = refs(cx, &mr.impacts, "impact", impacts);
        let mut seen = HashSet::new();
        for (s, v) in mr.impacts.iter().zip(&cols) {
            if !seen.insert(v.clone()) {
                cx.err(s.span(), format!("impact \"{v}\" is a column twice"));
            }
        }
        for i in impacts {
            if !cols.iter().any(|c| c == i) {
                cx.err(m.span(), format!("the matrix has no column for impact \"{i}\""));
            }
        }
        let mut rows = Vec::new();
        for row in &mr.rows {
            let rw = row.get_ref();
            let Some(t) = cx.reference(&rw.timing, "timing class", timing) else {
                continue;
            };
            if rows.iter().any(|(x, _): &(String, Vec<String>)| *x == t) {
                cx.err(rw.timing.span(), format!("timing class \"{t}\" has a row already"));
                continue;
            }
            if rw.priorities.len() != mr.impacts.len() {
                cx.err(
                    row.span(),
                    format!(
                        "row \"{t}\" has {} cells for {} impact columns",
                        rw.priorities.len(),
                        mr.impacts.len()
                    ),
                );
            }
            let cells = refs(cx, &rw.priorities, "priority", prios);
            rows.push((t, cells));
        }
        for t in timing {
            if !rows.iter().any(|(x, _)| x == t) {
                cx.err(m.span(), format!("the matrix has no row for timing class \"{t}\""));
            }
        }
        Matrix {
            impacts: cols,
            rows,
            prov: prov(&mr.source, &mr.reading, &mr.note),
        }
    });
    ClassificationRules {
        rules,
        matrix,
        prov: prov(&r.source, &r.reading, &r.note),
    }
}

fn target(
    cx: &mut Ctx,
    owner: &S<RawTargets>,
    t: Option<&S<RawTarget>>,
    what: &str,
    sched_names: &[&str],
) -> Option<Target> {
    let pid = owner.get_ref().priority.get_ref();
    let Some(t) = t else {
        cx.err(
            owner.span(),
            format!(
                "priority \"{pid}\" has no {what} target (write {what} = {{ none = \"why\" }} where the text sets none)"
            ),
        );
        return None;
    };
    let r = t.get_ref();
    let p = prov(r.source.as_deref().unwrap_or(""), &r.reading, &r.note);
    match (&r.within, &r.schedule, &r.none) {
        (Some(w), Some(s), None) => {
            let duration = cx.duration(w).filter(|d| {
                if is_zero(*d) {
                    cx.err(
                        w.span(),
                        format!(
                            "a {what} target of \"{}\" is zero: every incident would breach it at once (write {what} = {{ none = \"why\" }} where the text sets none)",
                            w.get_ref()
                        ),
                    );
                    false
                } else {
                    cx.within_bound(w, *d)
                }
            });
            let schedule = cx.reference(s, "schedule", sched_names);
            if r.source.is_none() {
                cx.err(
                    t.span(),
                    format!("the {what} target of \"{pid}\" needs a source clause"),
                );
            }
            Some(Target::Within {
                duration: duration?,
                schedule: schedule?,
                prov: p,
            })
        }
        (None, None, Some(why)) => {
            if why.trim().is_empty() {
                cx.err(t.span(), "`none` needs the reason why there is no target");
            }
            Some(Target::None {
                why: why.clone(),
                prov: p,
            })
        }
        _ => {
            cx.err(t.span(), format!("a {what} target is either {{ within = \"8h\", schedule = \"…\", source = \"…\" }} or {{ none = \"why\" }}"));
            None
        }
    }
}

/// Checks that the rules and matrix give a priority for every combination of facts.
fn check_total(cx: &mut Ctx, a: &Agreement, span: Range<usize>) {
    let mut shares: Vec<Option<f64>> = vec![None, Some(0.0), Some(100.0)];
    for r in &a.classification.rules {
        for x in [r.when.users_over, r.when.users_at_most].into_iter().flatten() {
            shares.push(Some(x));
            shares.push(Some((x + 0.001).min(100.0)));
        }
    }
    let timings: Vec<Option<&str>> = match &a.timing {
        Some(t) => t.classes.iter().map(|c| Some(c.id.as_str())).collect(),
        None => vec![None],
    };
    for imp in &a.impacts {
        for t in &timings {
            for security in [false, true] {
                for workaround in [false, true] {
                    for share in &shares {
                        let f = Facts {
                            impact: imp.id.clone(),
                            users_affected: *share,
                            security,
                            workaround,
                        };
                        if decide(a, &f, *t).is_none() {
                            let share = share.map_or("not given".to_string(), |s| format!("{s}%"));
                            cx.err(
                                span,
                                format!(
                                    "no classification rule gives a priority for impact \"{}\"{}, security {security}, workaround {workaround}, users affected {share} (add a rule with an empty `when` last)",
                                    imp.id,
                                    t.map_or(String::new(), |t| format!(", timing \"{t}\"")),
                                ),
                            );
                            return;
                        }
                    }
                }
            }
        }
    }
}

/// What `vakt agreements check` warns about in a valid agreement: each fact a reporter may
/// give that no classification rule reads (opening an incident with it is refused, see
/// [`crate::domain::classify::ClassifyError::FactNotUsed`]), and each impact of the scale that
/// no rule names and no matrix column holds (only rules that ignore the impact classify it).
/// Each warning starts with the agreement's id.
pub fn warnings(a: &Agreement) -> Vec<String> {
    let mut out = Vec::new();
    for f in Fact::ALL {
        if !reads_fact(a, f) {
            let given = match f {
                Fact::Security => "security:true",
                Fact::Users => "users:<percent>",
                Fact::Workaround => "workaround:true",
            };
            out.push(format!(
                "{}: no rule reads \"{}\"; opening with {given} will be refused",
                a.id,
                f.name()
            ));
        }
    }
    for i in &a.impacts {
        if !reads_impact(a, &i.id) {
            out.push(format!(
                "{}: no rule or matrix column reads impact \"{}\"; it is classified only by rules that ignore the impact",
                a.id, i.id
            ));
        }
    }
    out
}
