//! Recurring posts from cron expressions: due while configured; the next run is the first
//! cron time after now, so a job missed many times runs once.

use super::job::Skip;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// A recurring post from the deployment's configuration (stored as the job's payload,
/// `kind: recurring`; no incident).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// Name of the recurring job in the configuration.
    pub name: String,
}

/// A parsed cron expression (five fields, minute first; or six with seconds).
#[derive(Debug, Clone)]
pub struct CronSpec(croner::Cron);

/// Why a cron expression is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid cron expression \"{expr}\": {why}")]
pub struct CronError {
    /// The expression.
    pub expr: String,
    pub why: String,
}

impl CronSpec {
    /// Parses `min hour dom month dow` (or with a leading seconds field).
    pub fn parse(expr: &str) -> Result<Self, CronError> {
        croner::parser::CronParser::builder()
            .seconds(croner::parser::Seconds::Optional)
            .build()
            .parse(expr)
            .map(CronSpec)
            .map_err(|e| CronError {
                expr: expr.to_string(),
                why: e.to_string(),
            })
    }

    /// The first fire time strictly after `after`, in zone `tz`.
    pub fn next_after(&self, tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = after.with_timezone(&tz);
        let next = self.0.find_next_occurrence(&local, false).ok()?.with_timezone(&Utc);
        // Guard: never return a time that is not after `after`.
        if next > after { Some(next) } else { None }
    }
}

/// What firing a recurring job decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurringFired {
    /// `None`: post; otherwise why not.
    pub skip: Option<Skip>,
    /// When the next run falls, if it is still configured.
    pub next_at: Option<DateTime<Utc>>,
}

/// Fires a recurring job planned for `planned_at`, configured as `cron` (none: removed).
pub fn fire(cron: Option<&CronSpec>, tz: Tz, planned_at: DateTime<Utc>, now: DateTime<Utc>) -> RecurringFired {
    match cron {
        None => RecurringFired {
            skip: Some(Skip::NoLongerConfigured),
            next_at: None,
        },
        Some(c) => {
            // Missed by more than its own period (the next run after the planned one has
            // passed too): it would be posted on the wrong day. Skip it; plan the next.
            let missed = c.next_after(tz, planned_at).is_some_and(|next| next <= now);
            RecurringFired {
                skip: missed.then_some(Skip::MissedPeriod),
                next_at: c.next_after(tz, now.max(planned_at)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::t;

    #[test]
    fn runs_once_after_downtime_and_stops_when_removed() {
        let cron = CronSpec::parse("0 10 * * 1").expect("cron");
        let tz = chrono_tz::Europe::Oslo;
        // Missed by less than its period (down from Monday 09:00 to 14:00): posted, late.
        let f = fire(
            Some(&cron),
            tz,
            t("2026-11-23T10:00:00+01:00"),
            t("2026-11-23T14:00:00+01:00"),
        );
        assert_eq!(f.skip, None);
        assert_eq!(f.next_at, Some(t("2026-11-30T10:00:00+01:00")));
        // Missed two Mondays: skipped (it would be posted on a Tuesday); next the Monday after now.
        let f = fire(
            Some(&cron),
            tz,
            t("2026-11-09T10:00:00+01:00"),
            t("2026-11-24T10:00:00+01:00"),
        );
        assert_eq!(f.skip, Some(Skip::MissedPeriod));
        assert_eq!(f.next_at, Some(t("2026-11-30T10:00:00+01:00")));
        let f = fire(None, tz, t("2026-11-09T10:00:00+01:00"), t("2026-11-24T10:00:00+01:00"));
        assert_eq!((f.skip, f.next_at), (Some(Skip::NoLongerConfigured), None));
    }
}
