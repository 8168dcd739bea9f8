//! Agreement duties (the weekly summary, a report, a meeting reminder): recurring jobs of no
//! incident, planned and decided by `domain::duty`; this is their stored spec.

use crate::domain::duty::{Duty, Period};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A recurring duty of an agreement (stored as the job's payload, `kind: duty`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// Agreement id.
    pub agreement: String,
    pub duty: Duty,
    /// The period reported on.
    pub period: Period,
    /// For a meeting reminder: when the meeting starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_at: Option<DateTime<Utc>>,
}
