//! Durations as a person reads them: business time of a working day or more in working days
//! and hours (`3 wd 2h`, a working day being the target schedule's day), wall time of a day
//! or more in days (`2d 3h`), shorter ones in hours and minutes (`1h 05m`, `45m`). Signs are
//! dropped: the words around a duration say whether it is left or overdue.

/// `1h 05m` or `45m` (of an absolute number of seconds).
pub fn hm(secs: i64) -> String {
    let secs = secs.abs();
    if secs >= 3600 {
        format!("{}h {:02}m", secs / 3600, (secs % 3600) / 60)
    } else {
        format!("{}m", secs / 60)
    }
}

/// The rest of a duration after whole days: ` 2h`, ` 15m`, ` 2h 15m`, or nothing.
fn rest(secs: i64) -> String {
    let (h, m) = (secs / 3600, (secs % 3600) / 60);
    match (h, m) {
        (0, 0) => String::new(),
        (h, 0) => format!(" {h}h"),
        (0, m) => format!(" {m}m"),
        (h, m) => format!(" {h}h {m:02}m"),
    }
}

/// Business seconds, in working days of `day` business seconds once a working day or more:
/// `3 wd 2h`; else `1h 05m`. Without a day length: hours and minutes.
pub fn business(secs: i64, day: Option<i64>) -> String {
    let secs = secs.abs();
    match day {
        Some(day) if day > 0 && secs >= day => format!("{} wd{}", secs / day, rest(secs % day)),
        _ => hm(secs),
    }
}

/// Wall-clock seconds, in days once a day or more: `2d 3h`; else `1h 05m`.
pub fn wall(secs: i64) -> String {
    let secs = secs.abs();
    if secs >= 86_400 {
        format!("{}d{}", secs / 86_400, rest(secs % 86_400))
    } else {
        hm(secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_durations_read_in_working_days() {
        let day = Some(8 * 3600);
        // Issue 16: "566h 00m business time" and "240h 00m business time left".
        assert_eq!(business(566 * 3600, day), "70 wd 6h");
        assert_eq!(business(240 * 3600, day), "30 wd");
        assert_eq!(business(3 * 8 * 3600 + 2 * 3600, day), "3 wd 2h");
        assert_eq!(business(8 * 3600 + 15 * 60, day), "1 wd 15m");
        assert_eq!(business(-(7 * 3600 + 59 * 60), day), "7h 59m");
        assert_eq!(business(45 * 60, day), "45m");
        assert_eq!(business(30 * 3600, None), "30h 00m");
    }

    #[test]
    fn wall_durations_read_in_days() {
        assert_eq!(wall(86_400), "1d");
        assert_eq!(wall(2 * 86_400 + 3 * 3600 + 5 * 60), "2d 3h 05m");
        assert_eq!(wall(23 * 3600 + 59 * 60), "23h 59m");
        assert_eq!(wall(-90), "1m");
    }
}
