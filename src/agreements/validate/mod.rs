//! Turns the raw serde model into validated domain types, collecting every problem with
//! its position. This module holds the shared context ([`Ctx`]: errors with `file:line:col`),
//! calendars and the order of an agreement's sections; each section is validated in a file
//! of its own: identity, schedules, levels (priorities and impacts), timing, classification,
//! targets (and compliance), posts (status updates, notifications, follow-ups), ladder,
//! obligations (reports), services (with their availability and maintenance), meetings and
//! case types.

mod case_types;
mod classification;
mod identity;
mod ladder;
mod levels;
mod meetings;
mod obligations;
mod posts;
mod schedules;
mod services;
mod targets;
mod timing;

use super::raw::*;
use super::{LoadError, LoadErrors, line_col};
use crate::domain::agreement::*;
use crate::domain::calendar::{Calendar, DayRule, Holiday};
use crate::domain::classify::{Facts, decide, reads_impact};
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

    let (id, prefix, tz) = identity::identity(&mut cx, file, &raw);

    // Schedules.
    let cal_names: Vec<&str> = calendars.keys().map(String::as_str).collect();
    let mut schedules: Vec<Arc<Schedule>> = Vec::new();
    for (name, s) in raw.schedules.iter().filter(|(_, s)| s.get_ref().complement.is_none()) {
        schedules.push(Arc::new(schedules::schedule(
            &mut cx, name, s, tz, calendars, &cal_names,
        )));
    }
    let sched_names: Vec<String> = raw.schedules.keys().cloned().collect();
    let sched_names: Vec<&str> = sched_names.iter().map(String::as_str).collect();
    for (name, s) in &raw.schedules {
        if let Some(c) = schedules::complement(&mut cx, name, s, &schedules) {
            schedules.push(Arc::new(c));
        }
    }

    // Priorities and impacts.
    let levels::Levels {
        priorities,
        impacts,
        prio_ids,
        impact_ids,
    } = levels::levels(&mut cx, &raw);
    let prio_ref: Vec<&str> = prio_ids.iter().map(String::as_str).collect();
    let impact_ref: Vec<&str> = impact_ids.iter().map(String::as_str).collect();

    // Timing.
    let timing = raw.timing.as_ref().map(|t| timing::timing(&mut cx, t, &sched_names));
    let timing_ids: Vec<String> = timing
        .as_ref()
        .map_or(vec![], |t| t.classes.iter().map(|c| c.id.clone()).collect());
    let timing_ref: Vec<&str> = timing_ids.iter().map(String::as_str).collect();

    // Classification.
    let classification =
        classification::classification(&mut cx, &raw.classification, &prio_ref, &impact_ref, &timing_ref);

    let targets = targets::targets(&mut cx, &raw, &prio_ref, &sched_names);
    let compliance = targets::compliance(&mut cx, &raw);
    let status_updates = posts::status_updates(&mut cx, &raw, &prio_ref, &sched_names);
    let notifications = posts::notifications(&mut cx, &raw, &prio_ref);
    let follow_ups = posts::follow_ups(&mut cx, &raw, &prio_ref, &impact_ref, &sched_names);
    let escalation = ladder::ladder(&mut cx, &raw);
    let reports = obligations::reports(&mut cx, &raw);
    let services = services::services(&mut cx, &raw, &sched_names);
    let meetings = meetings::meetings(&mut cx, &raw.meetings);
    let repaging = posts::repaging(&mut cx, &raw, &prio_ref, &sched_names);
    let case_types = case_types::case_types(&mut cx, &raw, &prefix, &sched_names);

    let language = identity::language(&mut cx, &raw);

    let s = &raw.source;
    let agreement = Agreement {
        id,
        name: raw.name.clone(),
        incident_prefix: prefix,
        tz,
        language,
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
        services,
        meetings,
        repaging,
        case_types: Vec::new(),
        case_type: None,
        warnings: None,
    };
    if cx.errors.is_empty() {
        classification::check_total(&mut cx, &agreement, raw.classification.span());
    }
    // Each case type views the agreement as written.
    let mut agreement = agreement;
    agreement.case_types = case_types.into_iter().map(|c| c.build(&agreement)).collect();
    cx.finish(agreement)
}

/// What `vakt agreements check` warns about in a valid agreement: only what is likely a
/// mistake — an impact of the scale that no rule names and no matrix column holds (only
/// rules that ignore the impact classify it). A fact no rule reads is a choice of the
/// agreement (SSBTEK has no security flag), not a warning: opening with it is refused at that
/// moment with its own message ([`crate::domain::classify::ClassifyError::FactNotUsed`]).
/// Each warning starts with the agreement's id.
pub fn warnings(a: &Agreement) -> Vec<String> {
    let mut out = Vec::new();
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
