//! The dates an agreement's calendar feed lists: its maintenance windows (cancelled ones
//! marked), the occurrences of its scheduled meetings and the due dates of its monthly and
//! annual reports, over a horizon around now, as typed entries ([`Calendar`]); the feed's
//! words are the renderer's and its format the calendar adapter's.

use super::views::{Calendar, CalendarEntry};
use super::{Service, ServiceError};
use crate::domain::duty::{annual_report_at, monthly_report_at, next_meeting};
use crate::domain::ids::AgreementId;
use crate::domain::period::Period;
use chrono::{DateTime, Datelike, Duration, Utc};

/// How far back the feed reaches, in days.
pub const PAST_DAYS: i64 = 30;
/// How far ahead the feed reaches, in days.
pub const AHEAD_DAYS: i64 = 365;
/// How long a meeting is shown as lasting (the agreements name no length).
pub const MEETING_MINUTES: i64 = 60;

impl Service {
    /// The calendar of `agreement` from [`PAST_DAYS`] before now to [`AHEAD_DAYS`] after.
    pub async fn calendar(&self, agreement: &str) -> Result<Calendar, ServiceError> {
        let (a, _) = self.agreement(agreement)?;
        let now = self.clock.now();
        let (from, to) = (now - Duration::days(PAST_DAYS), now + Duration::days(AHEAD_DAYS));
        let mut entries = Vec::new();
        let windows = self.store.windows(&AgreementId::new(a.id.as_str()), from, to).await?;
        entries.extend(windows.into_iter().map(|window| {
            let service_name = a
                .service(&window.service)
                .map_or_else(|| window.service.clone(), |s| s.name.clone());
            CalendarEntry::Maintenance {
                window: Box::new(window),
                service_name,
            }
        }));
        for m in a.meetings.iter().filter(|m| m.is_scheduled()) {
            let mut after = from - Duration::minutes(MEETING_MINUTES);
            while let Some(start) = next_meeting(a, m, after).filter(|s| *s < to) {
                if start + Duration::minutes(MEETING_MINUTES) > from {
                    entries.push(CalendarEntry::Meeting {
                        meeting: m.id.clone(),
                        name: m.name.clone(),
                        start,
                        end: start + Duration::minutes(MEETING_MINUTES),
                    });
                }
                after = start;
            }
        }
        let in_range = |at: DateTime<Utc>| at >= from && at < to;
        // A report is due in the month (year) after its period: start a period early.
        let first = from.with_timezone(&a.tz).date_naive().with_day(1).unwrap_or_default();
        let mut month = first.checked_sub_months(chrono::Months::new(2)).unwrap_or(first);
        while month <= to.with_timezone(&a.tz).date_naive() {
            if let Some(at) = monthly_report_at(a, month.year(), month.month()).filter(|at| in_range(*at)) {
                entries.push(CalendarEntry::MonthlyReport {
                    period: Period::month(month.year(), month.month()),
                    due: at.with_timezone(&a.tz).date_naive(),
                });
            }
            let Some(next) = month.checked_add_months(chrono::Months::new(1)) else {
                break;
            };
            month = next;
        }
        let (y0, y1) = (from.with_timezone(&a.tz).year(), to.with_timezone(&a.tz).year());
        for year in (y0 - 2)..=y1 {
            if let Some(at) = annual_report_at(a, year).filter(|at| in_range(*at)) {
                entries.push(CalendarEntry::AnnualReport {
                    year,
                    due: at.with_timezone(&a.tz).date_naive(),
                });
            }
        }
        Ok(Calendar {
            agreement: a.id.as_str().to_string(),
            name: a.name.clone(),
            tz: a.tz,
            now,
            entries,
        })
    }
}
