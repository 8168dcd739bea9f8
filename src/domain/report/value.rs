//! A computed report as one typed value (weekly, monthly or annual), the form in which the
//! service stores, compares and hands out reports and the renderers put them into words.

use super::{AnnualReport, MonthlyReport, WeeklyReport};
use crate::domain::revision::ReportSource;
use serde::{Deserialize, Serialize};

/// A computed report, typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "report", rename_all = "snake_case")]
pub enum ReportValue {
    /// The weekly status-meeting summary.
    Weekly(Box<WeeklyReport>),
    /// The monthly SLA report.
    Monthly(Box<MonthlyReport>),
    /// The annual report.
    Annual(Box<AnnualReport>),
}

impl ReportValue {
    /// The incidents (id and version) it was computed from.
    pub fn sources(&self) -> &[ReportSource] {
        match self {
            ReportValue::Weekly(r) => r.sources(),
            ReportValue::Monthly(r) => r.sources(),
            ReportValue::Annual(r) => r.sources(),
        }
    }
}
