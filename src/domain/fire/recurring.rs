//! Recurring posts from cron expressions: due while configured; the next run is the first
//! cron time after now, so a job missed many times runs once.

use super::Skip;
use crate::domain::plan::CronSpec;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

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
        Some(c) => RecurringFired {
            skip: None,
            next_at: c.next_after(tz, now.max(planned_at)),
        },
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
        // Missed two Mondays: runs now, next run the Monday after now.
        let f = fire(Some(&cron), tz, t("2026-11-09T10:00:00+01:00"), t("2026-11-24T10:00:00+01:00"));
        assert_eq!(f.skip, None);
        assert_eq!(f.next_at, Some(t("2026-11-30T10:00:00+01:00")));
        let f = fire(None, tz, t("2026-11-09T10:00:00+01:00"), t("2026-11-24T10:00:00+01:00"));
        assert_eq!((f.skip, f.next_at), (Some(Skip::NoLongerConfigured), None));
    }
}
