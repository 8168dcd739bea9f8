//! Durations as a person reads them, in the style's language: business time of a working
//! day or more in working days and hours (`3 wd 2h`; `3 virkedager 2 t`, `3 arbejdsdage 2 t`,
//! `3 arbetsdagar 2 tim`, a working day being the target schedule's day), wall time of a
//! day or more in days (`2d 3h`; `2 døgn 3 t`, `2 dygn 3 tim`), shorter ones in hours and
//! minutes (`1h 05m`, `45m`; `1 t 5 min`, `1 tim 5 min`). The Nordic forms are the units
//! the agreements themselves write (virkedager, arbejdsdage, arbetsdagar, timer, min).
//! Signs are dropped: the words around a duration say whether it is left or overdue.

use super::msg::Locale;

/// The units of one language.
struct Units {
    /// One working day, several working days.
    working_day: (&'static str, &'static str),
    /// A day of 24 hours (after the number).
    day: &'static str,
    hour: &'static str,
    minute: &'static str,
    /// Whether a number and its unit are spaced and minutes after hours unpadded (the
    /// Nordic way: `1 t 5 min`), or set together and padded (`1h 05m`).
    spaced: bool,
}

fn units(l: Locale) -> Units {
    match l {
        Locale::En => Units {
            working_day: ("wd", "wd"),
            day: "d",
            hour: "h",
            minute: "m",
            spaced: false,
        },
        Locale::Nb => Units {
            working_day: ("virkedag", "virkedager"),
            day: "døgn",
            hour: "t",
            minute: "min",
            spaced: true,
        },
        Locale::Da => Units {
            working_day: ("arbejdsdag", "arbejdsdage"),
            day: "døgn",
            hour: "t",
            minute: "min",
            spaced: true,
        },
        Locale::Sv => Units {
            working_day: ("arbetsdag", "arbetsdagar"),
            day: "dygn",
            hour: "tim",
            minute: "min",
            spaced: true,
        },
    }
}

impl Units {
    fn hours(&self, h: i64) -> String {
        if self.spaced {
            format!("{h} {}", self.hour)
        } else {
            format!("{h}{}", self.hour)
        }
    }

    /// Minutes; `padded` after hours in the English form.
    fn minutes(&self, m: i64, padded: bool) -> String {
        match (self.spaced, padded) {
            (true, _) => format!("{m} {}", self.minute),
            (false, true) => format!("{m:02}{}", self.minute),
            (false, false) => format!("{m}{}", self.minute),
        }
    }

    fn days(&self, d: i64) -> String {
        if self.spaced {
            format!("{d} {}", self.day)
        } else {
            format!("{d}{}", self.day)
        }
    }

    fn working_days(&self, d: i64) -> String {
        let w = if d == 1 { self.working_day.0 } else { self.working_day.1 };
        format!("{d} {w}")
    }
}

/// The unit after a number of hours (`h`, `t`, `tim`).
pub fn hour_unit(l: Locale) -> &'static str {
    units(l).hour
}

/// `1h 05m`, `4h 00m` or `45m` (of an absolute number of seconds); `1 t 5 min`, `4 t` in
/// Norwegian.
pub fn hm(secs: i64, l: Locale) -> String {
    let u = units(l);
    let secs = secs.abs();
    let (h, m) = (secs / 3600, (secs % 3600) / 60);
    if h > 0 && m == 0 && u.spaced {
        u.hours(h)
    } else if h > 0 {
        format!("{} {}", u.hours(h), u.minutes(m, true))
    } else {
        u.minutes(secs / 60, false)
    }
}

/// The rest of a duration after whole days: ` 2h`, ` 15m`, ` 2h 15m`, or nothing.
fn rest(secs: i64, u: &Units) -> String {
    let (h, m) = (secs / 3600, (secs % 3600) / 60);
    match (h, m) {
        (0, 0) => String::new(),
        (h, 0) => format!(" {}", u.hours(h)),
        (0, m) => format!(" {}", u.minutes(m, false)),
        (h, m) => format!(" {} {}", u.hours(h), u.minutes(m, true)),
    }
}

/// Business seconds, in working days of `day` business seconds once a working day or more:
/// `3 wd 2h`; else `1h 05m`. Without a day length: hours and minutes.
pub fn business(secs: i64, day: Option<i64>, l: Locale) -> String {
    let u = units(l);
    let secs = secs.abs();
    match day {
        Some(day) if day > 0 && secs >= day => format!("{}{}", u.working_days(secs / day), rest(secs % day, &u)),
        _ => hm(secs, l),
    }
}

/// Wall-clock seconds, in days once a day or more: `2d 3h`; else `1h 05m`.
pub fn wall(secs: i64, l: Locale) -> String {
    let u = units(l);
    let secs = secs.abs();
    if secs >= 86_400 {
        format!("{}{}", u.days(secs / 86_400), rest(secs % 86_400, &u))
    } else {
        hm(secs, l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Locale::*;

    #[test]
    fn business_durations_read_in_working_days() {
        let day = Some(8 * 3600);
        // Issue 16: "566h 00m business time" and "240h 00m business time left".
        assert_eq!(business(566 * 3600, day, En), "70 wd 6h");
        assert_eq!(business(240 * 3600, day, En), "30 wd");
        assert_eq!(business(3 * 8 * 3600 + 2 * 3600, day, En), "3 wd 2h");
        assert_eq!(business(8 * 3600 + 15 * 60, day, En), "1 wd 15m");
        assert_eq!(business(-(7 * 3600 + 59 * 60), day, En), "7h 59m");
        assert_eq!(business(45 * 60, day, En), "45m");
        assert_eq!(business(30 * 3600, None, En), "30h 00m");
    }

    #[test]
    fn wall_durations_read_in_days() {
        assert_eq!(wall(86_400, En), "1d");
        assert_eq!(wall(2 * 86_400 + 3 * 3600 + 5 * 60, En), "2d 3h 05m");
        assert_eq!(wall(23 * 3600 + 59 * 60, En), "23h 59m");
        assert_eq!(wall(-90, En), "1m");
    }

    #[test]
    fn nordic_durations_use_the_agreements_units() {
        let day = Some(8 * 3600);
        assert_eq!(business(3 * 8 * 3600 + 2 * 3600, day, Nb), "3 virkedager 2 t");
        assert_eq!(business(8 * 3600 + 15 * 60, day, Da), "1 arbejdsdag 15 min");
        assert_eq!(business(2 * 8 * 3600, day, Sv), "2 arbetsdagar");
        assert_eq!(hm(2 * 3600 + 30 * 60, Nb), "2 t 30 min");
        assert_eq!(hm(2 * 3600 + 5 * 60, Sv), "2 tim 5 min");
        assert_eq!(hm(45 * 60, Da), "45 min");
        assert_eq!(hm(4 * 3600, Da), "4 t");
        assert_eq!(wall(2 * 86_400 + 3 * 3600, Nb), "2 døgn 3 t");
        assert_eq!(wall(86_400 + 60, Sv), "1 dygn 1 min");
    }
}
