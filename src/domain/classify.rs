//! Classification of an incident from its facts and the agreement's own rules, with the
//! reasons as data (put into words by [`crate::render`]), and the deadlines that follow
//! from a priority.
//!
//! Timing classes are judged on the local date of the moment the SLA clock starts on the
//! timing schedule (the report time, or the next opening when reported while closed). Rules
//! are tried in order, first match wins; if none matches, the impact × timing matrix decides.

use super::agreement::{Agreement, Conditions, Target, Timing, TimingCondition};
use super::clock::{BusinessDuration, ClockError};
use super::schedule::Schedule;
use super::time::MonthDay;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// What the reporter says about an incident.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
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

/// What a reclassification says about the facts: each fact named is set, each fact
/// cleared goes back to its default (no share of users, not security, no workaround), and
/// every fact neither named nor cleared keeps its value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FactsChange {
    /// A new impact id, if named.
    pub impact: Option<String>,
    /// A new share of users affected, if named.
    pub users_affected: Option<f64>,
    /// The security flag, if named.
    pub security: Option<bool>,
    /// The workaround flag, if named.
    pub workaround: Option<bool>,
    /// Facts cleared explicitly.
    pub clear: Vec<Fact>,
}

impl FactsChange {
    /// The facts after this change to `old`.
    pub fn apply(&self, old: &Facts) -> Facts {
        let mut f = old.clone();
        for c in &self.clear {
            match c {
                Fact::Users => f.users_affected = None,
                Fact::Security => f.security = false,
                Fact::Workaround => f.workaround = false,
            }
        }
        if let Some(i) = &self.impact {
            f.impact = i.clone();
        }
        if let Some(u) = self.users_affected {
            f.users_affected = Some(u);
        }
        if let Some(s) = self.security {
            f.security = s;
        }
        if let Some(w) = self.workaround {
            f.workaround = w;
        }
        f
    }

    /// Whether it names or clears nothing.
    pub fn is_empty(&self) -> bool {
        *self == FactsChange::default()
    }
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
    /// A fact was given that none of the agreement's classification rules reads, so it
    /// could not change the priority: refused rather than silently dropped.
    #[error("this agreement does not use \"{fact}\" for classification (agreement {agreement})")]
    FactNotUsed {
        /// The fact: "security", "users" or "workaround" ([`Fact::name`]).
        fact: &'static str,
        /// The agreement's id.
        agreement: String,
    },
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

/// One step of the explanation, as data: what was compared and decided, the clause, and the
/// reading. Adapters put it into words with [`crate::render::reason()`]; it is stored as is in
/// incidents and their timelines, so the wording can change without a data migration.
///
/// Reads the current shape, and the shapes stored before reasons were data: an object
/// `{text, source, reading}` (incidents) and a plain `"text (clause source)"` string
/// (timeline rows), both as [`Basis::Legacy`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "StoredReason")]
pub struct Reason {
    /// What was decided, and from which facts.
    pub basis: Basis,
    /// The clause.
    pub source: String,
    /// The reading used, if the rule is an interpretation.
    pub reading: Option<String>,
}

/// What a [`Reason`] decided, with the facts compared rather than indices into the
/// agreement, so a stored reason reads the same later even if the agreement's rules change.
/// Only the names of priorities and timing classes are looked up when rendering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Basis {
    /// The timing class, judged on the local date of the clock start.
    Timing {
        /// Timing class id.
        class: String,
        /// The local date it was judged on.
        date: NaiveDate,
        /// The clock start, local time in the timing schedule's zone.
        clock_start: NaiveTime,
    },
    /// A classification rule matched.
    Rule {
        /// Its position among the agreement's rules, 1-based.
        index: usize,
        /// Its conditions, as compared.
        when: RuleConditions,
        /// The priority id it gives.
        priority: String,
    },
    /// No rule matched; the impact × timing matrix decided.
    Matrix {
        /// Impact id (the column).
        impact: String,
        /// Timing class id (the row).
        timing: String,
        /// The priority id in the cell.
        priority: String,
    },
    /// A reason stored as text before reasons were data, shown as it was.
    Legacy {
        /// The text as it was shown (without the clause).
        text: String,
    },
}

/// A copy of a classification rule's [`Conditions`] as stored in a [`Basis::Rule`]: the
/// facts compared, independent of later edits to the agreement file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RuleConditions {
    /// Impact is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Vec<String>>,
    /// Timing class is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<Vec<String>>,
    /// Security incident or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<bool>,
    /// Workaround available or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workaround: Option<bool>,
    /// Share of users affected strictly over this percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users_over: Option<f64>,
    /// Share of users affected at most this percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users_at_most: Option<f64>,
}

impl From<&Conditions> for RuleConditions {
    fn from(c: &Conditions) -> Self {
        RuleConditions {
            impact: c.impact.clone(),
            timing: c.timing.clone(),
            security: c.security,
            workaround: c.workaround,
            users_over: c.users_over,
            users_at_most: c.users_at_most,
        }
    }
}

/// The shapes a [`Reason`] has been stored in.
#[derive(Deserialize)]
#[serde(untagged)]
enum StoredReason {
    /// The current shape.
    Data {
        basis: Basis,
        source: String,
        #[serde(default)]
        reading: Option<String>,
    },
    /// Incidents stored before reasons were data.
    Text {
        text: String,
        source: String,
        #[serde(default)]
        reading: Option<String>,
    },
    /// Timeline rows stored before reasons were data: `text (clause source)`.
    Rendered(String),
}

impl From<StoredReason> for Reason {
    fn from(s: StoredReason) -> Self {
        match s {
            StoredReason::Data { basis, source, reading } => Reason { basis, source, reading },
            StoredReason::Text { text, source, reading } => Reason {
                basis: Basis::Legacy { text },
                source,
                reading,
            },
            StoredReason::Rendered(s) => {
                let (text, source) = s
                    .strip_suffix(')')
                    .and_then(|t| t.rsplit_once(" (clause "))
                    .map_or((s.as_str(), ""), |(text, source)| (text, source));
                Reason {
                    basis: Basis::Legacy { text: text.to_string() },
                    source: source.to_string(),
                    reading: None,
                }
            }
        }
    }
}

/// Why a priority changed: the agreement's rules, or a manager's override.
///
/// Reads the current shape and the plain string stored before reasons were data (as
/// [`ChangeReason::Legacy`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", from = "StoredChangeReason")]
pub enum ChangeReason {
    /// Reclassified: the reasons that decided the new priority.
    Rules(Vec<Reason>),
    /// Set by hand: the manager's own words.
    Manager(String),
    /// Stored as text before reasons were data (the rule's reason as shown then, or the
    /// manager's words), shown as it was.
    Legacy(String),
}

/// The shapes a [`ChangeReason`] has been stored in.
#[derive(Deserialize)]
#[serde(untagged)]
enum StoredChangeReason {
    /// Before reasons were data.
    Text(String),
    /// The current shape.
    Data(ChangeReasonData),
}

/// The current stored shape of a [`ChangeReason`].
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ChangeReasonData {
    Rules(Vec<Reason>),
    Manager(String),
    Legacy(String),
}

impl From<StoredChangeReason> for ChangeReason {
    fn from(s: StoredChangeReason) -> Self {
        match s {
            StoredChangeReason::Text(t) | StoredChangeReason::Data(ChangeReasonData::Legacy(t)) => {
                ChangeReason::Legacy(t)
            }
            StoredChangeReason::Data(ChangeReasonData::Rules(r)) => ChangeReason::Rules(r),
            StoredChangeReason::Data(ChangeReasonData::Manager(m)) => ChangeReason::Manager(m),
        }
    }
}

/// A fact besides the impact that a reporter may give. The impact is always read (by a
/// rule or the matrix, which validation makes total); these are read only by rules that
/// name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fact {
    /// [`Facts::security`]: read by rules with `security = true|false`.
    Security,
    /// [`Facts::users_affected`]: read by rules with `users_over` or `users_at_most`.
    Users,
    /// [`Facts::workaround`]: read by rules with `workaround = true|false`.
    Workaround,
}

impl Fact {
    /// Every fact, in the order they are checked.
    pub const ALL: [Fact; 3] = [Fact::Security, Fact::Users, Fact::Workaround];

    /// The fact's name in messages (`security`, `users`, `workaround`), as in the commands'
    /// options.
    pub fn name(self) -> &'static str {
        match self {
            Fact::Security => "security",
            Fact::Users => "users",
            Fact::Workaround => "workaround",
        }
    }

    /// Whether `c` reads this fact.
    pub fn read_by(self, c: &Conditions) -> bool {
        match self {
            Fact::Security => c.security.is_some(),
            Fact::Users => c.users_over.is_some() || c.users_at_most.is_some(),
            Fact::Workaround => c.workaround.is_some(),
        }
    }

    /// Whether `facts` gives this fact: `security` or `workaround` true, or a share of users.
    /// (`false` and no share are what a reporter says when they say nothing.)
    pub fn given_in(self, facts: &Facts) -> bool {
        match self {
            Fact::Security => facts.security,
            Fact::Users => facts.users_affected.is_some(),
            Fact::Workaround => facts.workaround,
        }
    }
}

/// Whether any classification rule of `a` reads `fact`.
pub fn reads_fact(a: &Agreement, fact: Fact) -> bool {
    a.classification.rules.iter().any(|r| fact.read_by(&r.when))
}

/// Whether impact `impact` is named by a rule's conditions or is a column of the matrix
/// (otherwise only rules that ignore the impact classify it).
pub fn reads_impact(a: &Agreement, impact: &str) -> bool {
    a.classification
        .rules
        .iter()
        .any(|r| r.when.impact.as_ref().is_some_and(|v| v.iter().any(|i| i == impact)))
        || a.classification
            .matrix
            .as_ref()
            .is_some_and(|m| m.impacts.iter().any(|i| i == impact))
}

/// The first fact given in `facts` that no rule of `a` reads, if any.
pub fn unused_fact(a: &Agreement, facts: &Facts) -> Option<Fact> {
    Fact::ALL.into_iter().find(|f| f.given_in(facts) && !reads_fact(a, *f))
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
///
/// Every fact given is either read by the rules or refused: `security` or `workaround` true,
/// or a share of users, when no rule of the agreement reads that fact, is
/// [`ClassifyError::FactNotUsed`] (it could not change the priority, and dropping it silently
/// would let a reporter believe it did).
pub fn classify(a: &Agreement, facts: &Facts, reported_at: DateTime<Utc>) -> Result<Classified, ClassifyError> {
    classify_on(a, None, facts, reported_at)
}

/// [`classify`] for an incident of `service` (the main service when none). Where the
/// agreement classifies by timing and the service sets its own readiness (Difi 6.8.2), the
/// timing is judged on the readiness schedule rather than the timing's own: the clock starts
/// at the readiness's next opening (as its deadlines do, [`deadlines_on`]), and that date,
/// with the readiness's working days, picks the timing class.
pub fn classify_on(
    a: &Agreement,
    service: Option<&str>,
    facts: &Facts,
    reported_at: DateTime<Utc>,
) -> Result<Classified, ClassifyError> {
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
    if let Some(f) = unused_fact(a, facts) {
        return Err(ClassifyError::FactNotUsed {
            fact: f.name(),
            agreement: a.id.clone(),
        });
    }
    let mut reasons = Vec::new();
    let timing = match &a.timing {
        Some(t) => {
            let sched = match a.readiness(service) {
                Some(r) => r,
                None => a
                    .schedule(&t.schedule)
                    .ok_or_else(|| ClassifyError::UnknownSchedule(t.schedule.clone()))?,
            };
            let start = sched.next_open(reported_at)?;
            let local = start.with_timezone(&sched.tz).naive_local();
            let date = local.date();
            let idx = timing_class(t, sched, date)?;
            let c = &t.classes[idx];
            reasons.push(Reason {
                basis: Basis::Timing {
                    class: c.id.clone(),
                    date,
                    clock_start: local.time(),
                },
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
    for (i, r) in a.classification.rules.iter().enumerate() {
        if matches(&r.when, facts, timing) {
            return Some((
                r.priority.clone(),
                Reason {
                    basis: Basis::Rule {
                        index: i + 1,
                        when: RuleConditions::from(&r.when),
                        priority: r.priority.clone(),
                    },
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
            basis: Basis::Matrix {
                impact: facts.impact.clone(),
                timing: timing.to_string(),
                priority: p.clone(),
            },
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

/// The deadlines of priority `priority` for an incident of the agreement's main service
/// reported at `reported_at`.
pub fn deadlines(a: &Agreement, priority: &str, reported_at: DateTime<Utc>) -> Result<Deadlines, ClassifyError> {
    deadlines_on(a, None, priority, reported_at)
}

/// The deadlines of priority `priority` for an incident of `service` (the main service when
/// none) reported at `reported_at`. Where the service sets its own readiness (Difi 6.8.2),
/// every target counts on that schedule instead of its own, and the clock starts at the
/// readiness's next opening even when the priority has no target.
pub fn deadlines_on(
    a: &Agreement,
    service: Option<&str>,
    priority: &str,
    reported_at: DateTime<Utc>,
) -> Result<Deadlines, ClassifyError> {
    let readiness = a.readiness(service);
    let t = a
        .targets_for(priority)
        .ok_or_else(|| ClassifyError::UnknownPriority(priority.to_string()))?;
    let one = |target: &Target| -> Result<Option<Deadline>, ClassifyError> {
        match target {
            Target::None { .. } => Ok(None),
            Target::Within { duration, schedule, .. } => {
                let s = match readiness {
                    Some(r) => r,
                    None => a
                        .schedule(schedule)
                        .ok_or_else(|| ClassifyError::UnknownSchedule(schedule.clone()))?,
                };
                let span = s.add(reported_at, *duration)?;
                Ok(Some(Deadline {
                    clock_start: span.clock_start,
                    at: span.deadline,
                    within: *duration,
                    schedule: s.name.clone(),
                }))
            }
        }
    };
    let response = one(&t.response)?;
    let resolution = one(&t.resolution)?;
    let clock_start = match (response.as_ref().or(resolution.as_ref()), readiness) {
        (Some(d), _) => d.clock_start,
        (None, Some(r)) => r.next_open(reported_at)?,
        (None, None) => reported_at,
    };
    Ok(Deadlines {
        clock_start,
        response,
        resolution,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::{agreement, t};

    #[test]
    fn a_facts_change_keeps_what_it_does_not_name_and_clears_what_it_names() {
        let old = Facts {
            impact: "users".into(),
            users_affected: Some(30.0),
            security: true,
            workaround: true,
        };
        // Only the share named: the impact and both flags stay.
        let share = FactsChange {
            users_affected: Some(40.0),
            ..FactsChange::default()
        };
        assert_eq!(
            share.apply(&old),
            Facts {
                users_affected: Some(40.0),
                ..old.clone()
            }
        );
        // Cleared explicitly: back to the defaults; a flag may also be named false.
        let clear = FactsChange {
            impact: Some("functions".into()),
            security: Some(false),
            clear: vec![Fact::Users, Fact::Workaround],
            ..FactsChange::default()
        };
        assert_eq!(
            clear.apply(&old),
            Facts {
                impact: "functions".into(),
                ..Facts::default()
            }
        );
        assert!(FactsChange::default().is_empty() && !clear.is_empty());
    }

    fn facts(impact: &str) -> Facts {
        Facts {
            impact: impact.into(),
            ..Facts::default()
        }
    }

    #[test]
    fn classify_refuses_a_fact_no_rule_reads() {
        // SSBTEK classifies by the impact × timing matrix alone.
        let a = agreement("ssbtek");
        let at = t("2026-11-20T16:30:00+01:00");
        for (f, name) in [
            (
                Facts {
                    security: true,
                    ..facts("1")
                },
                "security",
            ),
            (
                Facts {
                    users_affected: Some(30.0),
                    ..facts("1")
                },
                "users",
            ),
            (
                Facts {
                    workaround: true,
                    ..facts("1")
                },
                "workaround",
            ),
        ] {
            let e = classify(a, &f, at).expect_err(name);
            assert_eq!(
                e,
                ClassifyError::FactNotUsed {
                    fact: name,
                    agreement: "ssbtek".into()
                }
            );
            assert_eq!(
                e.to_string(),
                format!("this agreement does not use \"{name}\" for classification (agreement ssbtek)")
            );
        }
        // Saying "no" (false, no share) is always fine.
        assert_eq!(classify(a, &facts("1"), at).map(|c| c.priority), Ok("1".into()));
    }

    #[test]
    fn classify_checks_the_impact_and_share_before_unused_facts() {
        let a = agreement("inera");
        let at = t("2026-11-20T16:30:00+01:00");
        let f = Facts {
            security: true,
            ..facts("nope")
        };
        assert!(matches!(classify(a, &f, at), Err(ClassifyError::UnknownImpact { .. })));
        let f = Facts {
            users_affected: Some(140.0),
            ..facts("unusable")
        };
        assert_eq!(classify(a, &f, at), Err(ClassifyError::BadShare(140.0)));
    }

    #[test]
    fn classify_difi_security_flag_is_always_a() {
        // 1.4.4: always A when security is significantly weakened, whatever the impact.
        let a = agreement("difi");
        let f = Facts {
            security: true,
            ..facts("minor")
        };
        let c = classify(a, &f, t("2026-11-20T10:00:00+01:00")).expect("classifies");
        assert_eq!(c.priority, "A");
        assert!(
            matches!(&c.reasons[0].basis, Basis::Rule { index: 1, when, .. } if when.security == Some(true)),
            "{:?}",
            c.reasons
        );
        assert!(c.reasons[0].reading.is_some());
    }

    #[test]
    fn classify_facts_read_by_each_shipped_agreement() {
        let read = |id: &str| -> Vec<&str> {
            Fact::ALL
                .into_iter()
                .filter(|f| reads_fact(agreement(id), *f))
                .map(Fact::name)
                .collect()
        };
        assert_eq!(read("altinn"), ["security"]);
        assert_eq!(read("borger-dk"), ["security", "users", "workaround"]);
        assert_eq!(read("difi"), ["security", "workaround"]);
        assert!(read("inera").is_empty());
        assert!(read("ssbtek").is_empty());
        for a in &crate::domain::test_support::catalog().agreements {
            for i in &a.impacts {
                assert!(reads_impact(a, &i.id), "{} {}", a.id, i.id);
            }
        }
    }

    /// Step 3 of the rest of issue 17: no shipped agreement both classifies by timing and has
    /// a service with its own readiness (SSBTEK classifies by timing and has no readiness;
    /// Difi's eFormidling has readiness and Difi no timing), so a synthetic one: SSBTEK with
    /// a second service, `batch`, whose readiness is weekday evenings 17:30–22:00.
    ///
    /// Reported Thursday 19 November 2026 18:00, impact 1 (total outage):
    /// - on the main service, timing runs on opening hours (closed at 18:00): the clock starts
    ///   Friday 20th 08:00, in the critical period (from the 20th): timing 1, priority Kritisk;
    /// - on `batch`, timing runs on its readiness (open at 18:00): the clock starts Thursday
    ///   19th 18:00, the working day before the critical period: timing 2 ("close to"),
    ///   priority Hög; its deadlines start then too.
    #[test]
    fn timing_is_judged_on_the_services_readiness_where_it_has_one() {
        let text = crate::domain::test_support::shipped_text("ssbtek")
            .replacen(
                "[schedules.support]",
                "[schedules.evenings]\nsource = \"synthetic\"\ndescription = \"Weekday evenings\"\ncalendars = [\"se\"]\nweekly = [\"mon-fri 17:30-22:00\"]\n\n[schedules.support]",
                1,
            )
            + "\n[[services]]\nid = \"batch\"\nname = \"Batch\"\nschedule = \"support\"\nreadiness = \"evenings\"\nsource = \"synthetic\"\n";
        let a = crate::domain::test_support::from_toml("ssbtek", &text);
        let facts = Facts {
            impact: "1".into(),
            ..Facts::default()
        };
        let at = t("2026-11-19T18:00:00+01:00");
        let main = classify_on(&a, None, &facts, at).expect("classifies");
        assert_eq!((main.timing.as_deref(), main.priority.as_str()), (Some("1"), "1"));
        let batch = classify_on(&a, Some("batch"), &facts, at).expect("classifies");
        assert_eq!((batch.timing.as_deref(), batch.priority.as_str()), (Some("2"), "2"));
        let Basis::Timing { date, clock_start, .. } = &batch.reasons[0].basis else {
            panic!("timing first: {:?}", batch.reasons)
        };
        assert_eq!(date.to_string(), "2026-11-19");
        assert_eq!(clock_start.to_string(), "18:00:00");
        assert_eq!(
            deadlines_on(&a, Some("batch"), &batch.priority, at)
                .expect("deadlines")
                .clock_start,
            at
        );
        // `classify` is the main service's.
        assert_eq!(classify(&a, &facts, at).expect("classifies"), main);
    }
}
