//! The dates an agreement's calendar feed lists: its maintenance windows (cancelled ones
//! marked), the occurrences of its scheduled meetings and the due dates of its monthly and
//! annual reports, over a horizon around now. Typed entries only; the feed's words and
//! format are the calendar adapter's.

use super::{Service, ServiceError};
use crate::domain::duty::{annual_report_at, monthly_report_at, next_meeting};
use crate::domain::ids::AgreementId;
use crate::domain::maintenance::MaintenanceWindow;
use crate::domain::period::Period;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

/// How far back the feed reaches, in days.
pub const PAST_DAYS: i64 = 30;
/// How far ahead the feed reaches, in days.
pub const AHEAD_DAYS: i64 = 365;
/// How long a meeting is shown as lasting (the agreements name no length).
pub const MEETING_MINUTES: i64 = 60;

/// One dated entry of an agreement's calendar.
#[derive(Debug, Clone, PartialEq)]
pub enum CalendarEntry {
    /// A maintenance window as stored (its `cancelled` says whether it still stands).
    Maintenance {
        /// The window.
        window: MaintenanceWindow,
        /// The service's name in the agreement (its id when the agreement no longer has it).
        service_name: String,
    },
    /// One occurrence of a scheduled meeting.
    Meeting {
        /// The meeting's id in the agreement.
        meeting: String,
        /// Its name as the agreement words it.
        name: String,
        /// When it starts.
        start: DateTime<Utc>,
        /// When it is shown to end ([`MEETING_MINUTES`] later).
        end: DateTime<Utc>,
    },
    /// The day the monthly report of `period` is due.
    MonthlyReport {
        /// The month reported on.
        period: Period,
        /// The local date it is due.
        due: NaiveDate,
    },
    /// The day the annual report of `year` is due.
    AnnualReport {
        /// The year reported on.
        year: i32,
        /// The local date it is due.
        due: NaiveDate,
    },
}

/// An agreement's calendar: what the feed at `/calendar/<agreement>.ics` lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// The agreement's id.
    pub agreement: String,
    /// The agreement's name.
    pub name: String,
    /// The agreement's zone (report due dates are local dates in it).
    pub tz: Tz,
    /// When the calendar was read.
    pub now: DateTime<Utc>,
    /// The entries, maintenance first, then meetings, then reports, each by date.
    pub entries: Vec<CalendarEntry>,
}

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
            CalendarEntry::Maintenance { window, service_name }
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
