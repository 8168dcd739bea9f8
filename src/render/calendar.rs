//! The words of an agreement's calendar feed: its name and each entry's summary and
//! description, as plain text (the calendar adapter writes them into iCalendar).

use super::{Msg, Style};
use crate::service::views::{Calendar, CalendarEntry};

/// The words of one calendar entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryText {
    /// One line naming it.
    pub summary: String,
    /// More about it, where there is more.
    pub description: Option<String>,
}

/// The calendar's display name.
pub fn name(style: &Style, calendar: &Calendar) -> String {
    style.say(Msg::CalendarName, &[("agreement", &style.defuse(&calendar.name))])
}

/// The summary and description of `entry` of `calendar`.
pub fn entry(style: &Style, calendar: &Calendar, entry: &CalendarEntry) -> EntryText {
    let agreement = style.defuse(&calendar.name);
    match entry {
        CalendarEntry::Maintenance { window, service_name } => {
            let key = if window.is_active() {
                Msg::CalendarMaintenance
            } else {
                Msg::CalendarMaintenanceCancelled
            };
            EntryText {
                summary: style.say(
                    key,
                    &[
                        ("service", &style.defuse(service_name)),
                        ("kind", &style.defuse(&window.kind)),
                    ],
                ),
                description: Some(style.defuse(&window.description)).filter(|d| !d.trim().is_empty()),
            }
        }
        CalendarEntry::Meeting { name, .. } => EntryText {
            summary: style.say(
                Msg::CalendarMeeting,
                &[("meeting", &style.defuse(name)), ("agreement", &agreement)],
            ),
            description: None,
        },
        CalendarEntry::MonthlyReport { period, .. } => EntryText {
            summary: style.say(
                Msg::CalendarMonthlyReport,
                &[("period", period), ("agreement", &agreement)],
            ),
            description: None,
        },
        CalendarEntry::AnnualReport { year, .. } => EntryText {
            summary: style.say(Msg::CalendarAnnualReport, &[("year", year), ("agreement", &agreement)]),
            description: None,
        },
    }
}
