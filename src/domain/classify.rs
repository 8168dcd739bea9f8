//! Classification of an incident from its facts and the agreement's own rules, with the
//! reasons a person can read, and the deadlines that follow from a priority.
//!
//! Timing classes are judged on the local date of the moment the SLA clock starts on the
//! timing schedule (the report time, or the next opening when reported while closed). Rules
//! are tried in order, first match wins; if none matches, the impact × timing matrix decides.

use super::agreement::{Agreement, Conditions, Target, Timing, TimingCondition};
use super::clock::{BusinessDuration, ClockError};
use super::schedule::Schedule;
use super::time::MonthDay;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// What the reporter says about an incident.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Facts {
    /// Impact id from the agreement's scale.
    pub impact: String,
    /// Share of usual users affected, percent.
    pub users_affected: Option<f64>,
    /// A security incident.
    pub security: bool,
    /// A workaround is available.
    pub workaround: bool,
}

/// Why classification failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClassifyError {
    /// The impact is not on the agreement's scale.
    #[error("unknown impact \"{impact}\" (known: {known})")]
    UnknownImpact {
        /// Given.
        impact: String,
        /// Known ids, comma separated.
        known: String,
    },
    /// A share outside 0–100.
    #[error("users affected must be a percentage from 0 to 100, not {0}")]
    BadShare(f64),
    /// No rule and no matrix cell matched (validation prevents this for loaded agreements).
    #[error("no classification rule matches these facts")]
    NoMatch,
    /// The priority is not defined.
    #[error("unknown priority \"{0}\"")]
    UnknownPriority(String),
    /// A schedule named by the agreement is missing (validation prevents this).
    #[error("unknown schedule \"{0}\"")]
    UnknownSchedule(String),
    /// Clock arithmetic failed.
    #[error(transparent)]
    Clock(#[from] ClockError),
}

/// One step of the explanation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reason {
    /// What was decided and why.
    pub text: String,
    /// The clause.
    pub source: String,
    /// The reading used, if the rule is an interpretation.
    pub reading: Option<String>,
}

/// The result of classification.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    /// Priority id.
    pub priority: String,
    /// Timing class id, when the agreement has timing classes.
    pub timing: Option<String>,
    /// The explanation, in order.
    pub reasons: Vec<Reason>,
}

/// Classifies `facts` for an incident reported at `reported_at`.
pub fn classify(a: &Agreement, facts: &Facts, reported_at: DateTime<Utc>) -> Result<Classified, ClassifyError> {
    if a.impact(&facts.impact).is_none() {
        return Err(ClassifyError::UnknownImpact {
            impact: facts.impact.clone(),
            known: a.impacts.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(", "),
        });
    }
    if let Some(u) = facts.users_affected
        && !(0.0..=100.0).contains(&u)
    {
        return Err(ClassifyError::BadShare(u));
    }
    let mut reasons = Vec::new();
    let timing = match &a.timing {
        Some(t) => {
            let sched = a
                .schedule(&t.schedule)
                .ok_or_else(|| ClassifyError::UnknownSchedule(t.schedule.clone()))?;
            let start = sched.next_open(reported_at)?;
            let date = start.with_timezone(&sched.tz).date_naive();
            let idx = timing_class(t, sched, date)?;
            let c = &t.classes[idx];
            reasons.push(Reason {
                text: format!(
                    "timing {} ({}): judged on {} at clock start {}",
                    c.id,
                    c.name,
                    date,
                    start.with_timezone(&sched.tz).format("%H:%M")
                ),
                source: c.prov.source.clone(),
                reading: c.prov.reading.clone(),
            });
            Some(c.id.clone())
        }
        None => None,
    };
    let (priority, why) = decide(a, facts, timing.as_deref()).ok_or(ClassifyError::NoMatch)?;
    reasons.push(why);
    Ok(Classified {
        priority,
        timing,
        reasons,
    })
}

/// The priority the rules give, with the reason, or none when nothing matches.
pub fn decide(a: &Agreement, facts: &Facts, timing: Option<&str>) -> Option<(String, Reason)> {
    let pname = |id: &str| a.priority(id).map_or(id.to_string(), |p| format!("{id} {}", p.name));
    for (i, r) in a.classification.rules.iter().enumerate() {
        if matches(&r.when, facts, timing) {
            return Some((
                r.priority.clone(),
                Reason {
                    text: format!("rule {}: {} → {}", i + 1, describe(&r.when), pname(&r.priority)),
                    source: r.prov.source.clone(),
                    reading: r.prov.reading.clone(),
                },
            ));
        }
    }
    let m = a.classification.matrix.as_ref()?;
    let col = m.impacts.iter().position(|i| *i == facts.impact)?;
    let timing = timing?;
    let (_, row) = m.rows.iter().find(|(t, _)| t == timing)?;
    let p = row.get(col)?;
    Some((
        p.clone(),
        Reason {
            text: format!("matrix: impact {} × timing {timing} → {}", facts.impact, pname(p)),
            source: m.prov.source.clone(),
            reading: m.prov.reading.clone(),
        },
    ))
}

/// Whether all given conditions hold.
pub fn matches(c: &Conditions, f: &Facts, timing: Option<&str>) -> bool {
    c.impact.as_ref().is_none_or(|v| v.contains(&f.impact))
        && c.timing
            .as_ref()
            .is_none_or(|v| timing.is_some_and(|t| v.iter().any(|x| x == t)))
        && c.security.is_none_or(|s| s == f.security)
        && c.workaround.is_none_or(|w| w == f.workaround)
        && c.users_over.is_none_or(|x| f.users_affected.is_some_and(|u| u > x))
        && c.users_at_most.is_none_or(|x| f.users_affected.is_some_and(|u| u <= x))
}

/// A readable form of a rule's conditions.
pub fn describe(c: &Conditions) -> String {
    let mut parts = Vec::new();
    if let Some(v) = &c.impact {
        parts.push(format!("impact {}", v.join("/")));
    }
    if let Some(v) = &c.timing {
        parts.push(format!("timing {}", v.join("/")));
    }
    if let Some(s) = c.security {
        parts.push(if s {
            "security incident".into()
        } else {
            "not a security incident".into()
        });
    }
    if let Some(w) = c.workaround {
        parts.push(if w {
            "workaround available".into()
        } else {
            "no workaround".into()
        });
    }
    if let Some(x) = c.users_over {
        parts.push(format!("more than {x}% of users affected"));
    }
    if let Some(x) = c.users_at_most {
        parts.push(format!("{x}% or fewer users affected"));
    }
    if parts.is_empty() {
        "otherwise".into()
    } else {
        parts.join(", ")
    }
}

/// The index of the first timing class that holds on `date`.
pub fn timing_class(t: &Timing, sched: &Schedule, date: NaiveDate) -> Result<usize, ClockError> {
    for i in 0..t.classes.len() {
        if timing_holds(t, i, sched, date)? {
            return Ok(i);
        }
    }
    // Validation guarantees a last class without condition; fall back to the last one.
    Ok(t.classes.len().saturating_sub(1))
}

fn period_holds(cond: &TimingCondition, date: NaiveDate) -> bool {
    match cond {
        TimingCondition::Always => true,
        TimingCondition::DayOfMonth { from, to } => date.day() >= *from && to.is_none_or(|to| date.day() <= to),
        TimingCondition::Dates(ranges) => ranges.iter().any(|(a, b)| MonthDay::in_range(date, *a, *b)),
        TimingCondition::Before { .. } => false,
    }
}

fn timing_holds(t: &Timing, i: usize, sched: &Schedule, date: NaiveDate) -> Result<bool, ClockError> {
    match &t.classes[i].when {
        TimingCondition::Before { class, working_days } => {
            let period = &t.classes[*class].when;
            if period_holds(period, date) {
                return Ok(false);
            }
            // Count working days strictly between `date` and the period's next start.
            let mut between = 0u32;
            for d in date.iter_days().skip(1).take(400) {
                if period_holds(period, d) {
                    return Ok(between < *working_days);
                }
                if sched.is_working_day(d)? {
                    between += 1;
                    if between >= *working_days {
                        return Ok(false);
                    }
                }
            }
            Ok(false)
        }
        other => Ok(period_holds(other, date)),
    }
}

/// One computed deadline.
#[derive(Debug, Clone, PartialEq)]
pub struct Deadline {
    /// When this clock started.
    pub clock_start: DateTime<Utc>,
    /// When it is due.
    pub at: DateTime<Utc>,
    /// The target duration.
    pub within: BusinessDuration,
    /// The schedule it runs on.
    pub schedule: String,
}

/// Deadlines of one incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Deadlines {
    /// The clock start (of the response clock, else the resolution clock, else the report).
    pub clock_start: DateTime<Utc>,
    /// Response deadline, or none.
    pub response: Option<Deadline>,
    /// Resolution deadline, or none.
    pub resolution: Option<Deadline>,
}

/// The deadlines of priority `priority` for an incident reported at `reported_at`.
pub fn deadlines(a: &Agreement, priority: &str, reported_at: DateTime<Utc>) -> Result<Deadlines, ClassifyError> {
    let t = a
        .targets_for(priority)
        .ok_or_else(|| ClassifyError::UnknownPriority(priority.to_string()))?;
    let one = |target: &Target| -> Result<Option<Deadline>, ClassifyError> {
        match target {
            Target::None { .. } => Ok(None),
            Target::Within { duration, schedule, .. } => {
                let s = a
                    .schedule(schedule)
                    .ok_or_else(|| ClassifyError::UnknownSchedule(schedule.clone()))?;
                let span = s.add(reported_at, *duration)?;
                Ok(Some(Deadline {
                    clock_start: span.clock_start,
                    at: span.deadline,
                    within: *duration,
                    schedule: schedule.clone(),
                }))
            }
        }
    };
    let response = one(&t.response)?;
    let resolution = one(&t.resolution)?;
    let clock_start = response
        .as_ref()
        .or(resolution.as_ref())
        .map_or(reported_at, |d| d.clock_start);
    Ok(Deadlines {
        clock_start,
        response,
        resolution,
    })
}
