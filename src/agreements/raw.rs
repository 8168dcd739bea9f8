//! The serde model of agreement and calendar files, exactly as written. Strict: every table
//! denies unknown keys. Values that need their own parsing (windows, durations, dates,
//! references) keep their spans so that validation can point at them.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub(crate) type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCalendar {
    pub id: S<String>,
    pub name: String,
    #[serde(default)]
    pub source: String,
    pub extends: Option<S<String>>,
    #[serde(default)]
    pub holidays: Vec<S<RawDay>>,
    #[serde(default)]
    pub extra_days: Vec<S<RawDay>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDay {
    pub id: Option<S<String>>,
    pub name: String,
    pub local_name: Option<String>,
    pub date: Option<S<String>>,
    pub easter: Option<S<i32>>,
    pub weekday: Option<S<String>>,
    pub on_or_after: Option<S<String>>,
    pub first_year: Option<S<i32>>,
    pub last_year: Option<S<i32>>,
    /// For readers of the file only.
    #[allow(dead_code)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAgreement {
    pub id: S<String>,
    pub name: String,
    pub incident_prefix: S<String>,
    pub timezone: S<String>,
    /// The language vakt writes the agreement's posts in (`nb`, `da`, `sv`, `en`).
    pub language: Option<S<String>>,
    pub source: RawSourceDoc,
    #[serde(default)]
    pub schedules: BTreeMap<String, S<RawSchedule>>,
    pub priorities: Vec<S<RawPriority>>,
    pub impacts: Vec<S<RawPriority>>,
    pub timing: Option<S<RawTiming>>,
    pub classification: S<RawClassification>,
    #[serde(default)]
    pub targets: Vec<S<RawTargets>>,
    pub compliance: Option<S<RawCompliance>>,
    #[serde(default)]
    pub status_updates: Vec<S<RawCadence>>,
    #[serde(default)]
    pub notifications: Vec<S<RawNotification>>,
    #[serde(default)]
    pub follow_ups: Vec<S<RawFollowUp>>,
    pub escalation: S<RawLadder>,
    pub reports: Option<S<RawReports>>,
    #[serde(default)]
    pub services: Vec<S<RawService>>,
    #[serde(default)]
    pub meetings: Vec<S<RawMeeting>>,
    #[serde(default)]
    pub repaging: Vec<S<RawRepaging>>,
    #[serde(default)]
    pub case_types: Vec<S<RawCaseType>>,
}

/// A `[[case_types]]` entry: a kind of case besides incidents.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCaseType {
    pub id: S<String>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub prefix: S<String>,
    pub classes: Vec<S<RawCaseClass>>,
    pub compliance: Option<S<RawCompliance>>,
    pub warnings: Option<S<Vec<u32>>>,
    #[serde(default)]
    pub escalate: bool,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}

/// A class of a case type with its targets.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCaseClass {
    pub id: S<String>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub response: Option<S<RawTarget>>,
    pub resolution: Option<S<RawTarget>>,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSourceDoc {
    pub title: String,
    pub version: String,
    pub date: String,
    pub file: Option<String>,
    pub parties: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSchedule {
    #[serde(default)]
    pub always: Option<S<bool>>,
    /// The schedule this one is the complement of (open exactly when that one is closed).
    pub complement: Option<S<String>>,
    pub source: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub calendars: Vec<S<String>>,
    #[serde(default)]
    pub extra_days: Vec<S<String>>,
    #[serde(default)]
    pub weekly: Vec<S<String>>,
    #[serde(default)]
    pub seasons: Vec<S<RawOtherHours>>,
    #[serde(default)]
    pub special_days: Vec<S<RawOtherHours>>,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOtherHours {
    pub name: String,
    pub date: Option<S<String>>,
    pub easter: Option<S<i32>>,
    pub from: Option<S<String>>,
    pub to: Option<S<String>>,
    pub hours: Vec<S<String>>,
    pub source: String,
    pub reading: Option<String>,
    /// For readers of the file only.
    #[allow(dead_code)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPriority {
    pub id: S<String>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTiming {
    pub schedule: S<String>,
    pub source: String,
    pub classes: Vec<S<RawTimingClass>>,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTimingClass {
    pub id: S<String>,
    pub name: String,
    pub day_of_month: Option<S<RawDayOfMonth>>,
    pub dates: Option<Vec<S<RawDateRange>>>,
    pub before: Option<S<RawBefore>>,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDayOfMonth {
    pub from: u32,
    pub to: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDateRange {
    pub from: S<String>,
    pub to: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBefore {
    pub class: S<String>,
    pub working_days: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClassification {
    pub source: String,
    #[serde(default)]
    pub rules: Vec<S<RawRule>>,
    pub matrix: Option<S<RawMatrix>>,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub when: S<RawConditions>,
    pub priority: S<String>,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConditions {
    pub impact: Option<Vec<S<String>>>,
    pub timing: Option<Vec<S<String>>>,
    pub security: Option<bool>,
    pub workaround: Option<bool>,
    pub users_over: Option<S<f64>>,
    pub users_at_most: Option<S<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMatrix {
    pub source: String,
    pub impacts: Vec<S<String>>,
    pub rows: Vec<S<RawRow>>,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRow {
    pub timing: S<String>,
    pub priorities: Vec<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTargets {
    pub priority: S<String>,
    pub response: Option<S<RawTarget>>,
    pub resolution: Option<S<RawTarget>>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTarget {
    pub within: Option<S<String>>,
    pub schedule: Option<S<String>>,
    pub none: Option<String>,
    pub source: Option<String>,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCompliance {
    pub response: Option<S<f64>>,
    pub resolution: Option<S<f64>>,
    /// `overall` (default) or `each_priority`.
    pub response_scope: Option<S<String>>,
    /// `overall` (default) or `each_priority`.
    pub resolution_scope: Option<S<String>>,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCadence {
    pub priorities: Vec<S<String>>,
    pub every: S<String>,
    pub schedule: S<String>,
    pub outside: S<String>,
    /// Status fields every post must carry (`area`, `affected`, `cause`, `eta`).
    #[serde(default)]
    pub required_fields: Vec<S<String>>,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRepaging {
    pub priorities: Vec<S<String>>,
    pub every: S<String>,
    pub limit: S<u32>,
    pub schedule: S<String>,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNotification {
    pub priorities: Vec<S<String>>,
    pub to: S<String>,
    pub what: String,
    /// Status fields the notice must carry (`area`, `affected`, `cause`, `eta`).
    #[serde(default)]
    pub required_fields: Vec<S<String>>,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFollowUp {
    pub id: S<String>,
    pub priorities: Vec<S<String>>,
    pub from: S<String>,
    pub after: S<String>,
    /// Announced this long before it falls due (default: a quarter of `after`).
    pub lead: Option<S<String>>,
    pub schedule: S<String>,
    pub what: String,
    #[serde(default)]
    pub unless_resolved: bool,
    /// Owed only for incidents with one of these impacts (an outage).
    pub impacts: Option<Vec<S<String>>>,
    /// A status field whose being given makes the follow-up unneeded (`eta`).
    pub satisfied_by: Option<S<String>>,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLadder {
    pub source: String,
    pub levels: Vec<S<RawLevel>>,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLevel {
    pub role: S<String>,
    pub name: String,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReports {
    pub monthly_day: Option<S<u32>>,
    /// `by` or `on`.
    pub monthly_due: Option<S<String>>,
    /// For `on`: `before` or `after`, where a closed day moves it.
    pub monthly_closed: Option<S<String>>,
    pub monthly_reading: Option<String>,
    pub monthly_source: Option<String>,
    #[serde(default)]
    pub weekly_meeting: bool,
    pub weekly_source: Option<String>,
    pub annual: Option<S<String>>,
    /// `by` or `on`.
    pub annual_due: Option<S<String>>,
    /// For `on`: `before` or `after`.
    pub annual_closed: Option<S<String>>,
    pub annual_reading: Option<String>,
    pub annual_source: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawService {
    pub id: S<String>,
    pub name: String,
    #[serde(default)]
    pub main: bool,
    /// The operating schedule.
    pub schedule: S<String>,
    pub readiness: Option<S<String>>,
    #[serde(default)]
    pub availability: Vec<S<RawAvailability>>,
    #[serde(default)]
    pub maintenance: Vec<S<RawMaintenance>>,
    /// When an outage marked degraded counts as available with disturbance.
    pub degraded: Option<S<RawDegraded>>,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDegraded {
    pub min_sources: S<u32>,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMaintenance {
    pub id: S<String>,
    pub name: String,
    pub notice: S<String>,
    pub notice_schedule: Option<S<String>>,
    pub window: Option<S<String>>,
    pub outside: Option<S<String>>,
    pub max_duration: Option<S<String>>,
    pub max_per_year: Option<u32>,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAvailability {
    pub target: S<f64>,
    pub schedule: S<String>,
    pub period: S<String>,
    pub max_downtime: Option<S<String>>,
    pub max_outages_month: Option<u32>,
    pub max_outages_year: Option<u32>,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMeeting {
    pub id: S<String>,
    pub name: String,
    /// `"1w"`, `"2w"`, `"2mo"`, `"3mo"` or `"as-needed"`.
    pub cadence: S<String>,
    pub weekday: Option<S<String>>,
    pub time: Option<S<String>>,
    pub agenda: Option<S<String>>,
    #[serde(default)]
    pub points: bool,
    pub source: String,
    pub reading: Option<String>,
    pub note: Option<String>,
}
