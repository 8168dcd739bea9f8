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
