//! Clocks for the console: a fake clock the user moves, and real time sped up.

use crate::service::ports::Clock;
use chrono::{DateTime, Duration, Utc};
use std::sync::Mutex;
use std::time::Instant;

/// Where a clock is being moved to, while a move lasts ([`Clock::heading_to`]).
#[derive(Debug, Default)]
pub struct Destination(Mutex<Option<DateTime<Utc>>>);

impl Destination {
    /// Sets (`Some`) or clears (`None`) the destination.
    pub fn set(&self, t: Option<DateTime<Utc>>) {
        if let Ok(mut g) = self.0.lock() {
            *g = t;
        }
    }

    /// The destination, or `now` when the clock is not being moved (or is past it).
    fn or(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let t = self.0.lock().map(|g| *g).unwrap_or_else(|e| *e.into_inner());
        t.map_or(now, |t| t.max(now))
    }
}

/// A clock that only moves when told to.
#[derive(Debug)]
pub struct FakeClock {
    now: Mutex<DateTime<Utc>>,
    /// Where a move in progress is going.
    pub destination: Destination,
}

impl FakeClock {
    /// Starts at `t`.
    pub fn new(t: DateTime<Utc>) -> Self {
        FakeClock {
            now: Mutex::new(t),
            destination: Destination::default(),
        }
    }
    /// Sets the time.
    pub fn set(&self, t: DateTime<Utc>) {
        if let Ok(mut g) = self.now.lock() {
            *g = t;
        }
    }
    /// Moves the time forward.
    pub fn advance(&self, d: Duration) {
        if let Ok(mut g) = self.now.lock() {
            *g += d;
        }
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        self.now.lock().map(|g| *g).unwrap_or_else(|e| *e.into_inner())
    }

    fn heading_to(&self) -> DateTime<Utc> {
        self.destination.or(self.now())
    }
}

/// Real time, sped up by a factor, starting from a chosen instant; can also be moved.
#[derive(Debug)]
pub struct SpedUpClock {
    base: Mutex<(DateTime<Utc>, Instant)>,
    speed: f64,
    /// Where a move in progress is going.
    pub destination: Destination,
}

impl SpedUpClock {
    /// Starts at `start`, running `speed` times faster than real time.
    pub fn new(start: DateTime<Utc>, speed: f64) -> Self {
        SpedUpClock {
            base: Mutex::new((start, Instant::now())),
            speed,
            destination: Destination::default(),
        }
    }
    /// Re-bases the clock at `t`.
    pub fn set(&self, t: DateTime<Utc>) {
        if let Ok(mut g) = self.base.lock() {
            *g = (t, Instant::now());
        }
    }
}

impl Clock for SpedUpClock {
    fn now(&self) -> DateTime<Utc> {
        let (t, i) = self.base.lock().map(|g| *g).unwrap_or_else(|e| *e.into_inner());
        let ms = (i.elapsed().as_secs_f64() * self.speed * 1000.0) as i64;
        t + Duration::milliseconds(ms)
    }

    fn heading_to(&self) -> DateTime<Utc> {
        self.destination.or(self.now())
    }
}
