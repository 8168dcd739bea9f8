//! The pure core of vakt: calendars, schedules, business clocks, agreements, classification
//! and deadlines. Synchronous and free of I/O; no function here reads the clock — time is
//! always an argument.

pub mod agreement;
pub mod availability;
pub mod calendar;
pub mod case_type;
pub mod catalog;
pub mod classify;
pub mod clock;
pub mod duty;
pub mod ids;
pub mod incident;
pub mod jobs;
pub mod locale;
pub mod maintenance;
pub mod meeting;
pub mod period;
pub mod plan;
pub mod report;
pub mod revision;
pub mod schedule;
pub mod text;
pub mod time;

/// The shared unit-test helpers (shipped agreements, times, incidents), which live with the
/// agreements loader, under the path the domain's unit tests name.
#[cfg(test)]
pub(crate) mod test_support {
    pub(crate) use crate::agreements::test_support::*;
}
