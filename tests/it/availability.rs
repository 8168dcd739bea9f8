//! Issue 17, part 4 (the arithmetic only): availability hand-computed over a month for three
//! agreements — an outage crossing the end of operating time, one across a DST change, one
//! inside a maintenance window and an overrun past its announced end. Outages are not yet
//! recorded on incidents (part 2), so the figures are computed from fixed datasets.

use crate::common::{at, catalog};
use vakt::domain::availability::{Measured, measure};

fn measured(
    agreement: &str,
    service: &str,
    schedule: &str,
    month: (&str, &str),
    outages: &[(&str, &str)],
    windows: &[(&str, &str)],
) -> Measured {
    let cat = catalog();
    let a = cat.get(agreement).expect("agreement");
    let s = a.service(service).expect("service");
    let t = s.availability.iter().find(|t| t.schedule == schedule).expect("target");
    let spans = |v: &[(&str, &str)]| v.iter().map(|(x, y)| (at(x), at(y))).collect::<Vec<_>>();
    measure(a, t, at(month.0), at(month.1), &spans(outages), &spans(windows))
        .expect("schedule")
        .expect("measured")
}

const H: i64 = 3600;

/// SSBTEK, November 2026, opening hours Mon–Fri 08:00–17:00 (no Swedish holiday in the
/// month): 21 weekdays × 9 h = 189 h. An outage from Friday 20th 16:00 to Monday 23rd 09:00
/// crosses the end of opening hours: 1 h on Friday + 1 h on Monday = 2 h down.
/// Uptime (189 − 2) / 189 = 98.94 % (target 98 %).
#[test]
fn ssbtek_outage_across_closing_time_counts_only_opening_hours() {
    let m = measured(
        "ssbtek",
        "ssbtek",
        "support",
        ("2026-11-01T00:00+01:00", "2026-12-01T00:00+01:00"),
        &[("2026-11-20T16:00+01:00", "2026-11-23T09:00+01:00")],
        &[],
    );
    assert_eq!((m.open, m.excluded, m.down), (189 * H, 0, 2 * H));
    let p = m.percent().expect("percent");
    assert!((p - 100.0 * 187.0 / 189.0).abs() < 1e-9, "{p}");
    assert_eq!(m.met(), Some(true));
}

/// Borger.dk, October 2026, primary and secondary time measured separately. October has
/// 31 × 24 + 1 = 745 real hours (25 October falls back an hour); primary is 22 weekdays ×
/// 8 h = 176 h (no Danish holiday), secondary the other 569 h.
/// - Sunday 25th 01:00 CEST – 04:00 CET: 4 real hours across the DST change, all secondary.
/// - A 2-hour window Wednesday 14th 01:00–03:00 is excluded (secondary: 567 h measured);
///   an outage 01:30–03:30 that night is inside the window until 03:00 and an overrun of
///   30 minutes after its announced end: 0.5 h down.
///
/// Secondary: (567 − 4.5) / 567 = 99.206 % < 99.7 %; primary untouched: 100 %.
#[test]
fn borger_dk_primary_and_secondary_with_dst_window_and_overrun() {
    let month = ("2026-10-01T00:00+02:00", "2026-11-01T00:00+01:00");
    let outages = [
        ("2026-10-25T01:00+02:00", "2026-10-25T04:00+01:00"),
        ("2026-10-14T01:30+02:00", "2026-10-14T03:30+02:00"),
    ];
    let windows = [("2026-10-14T01:00+02:00", "2026-10-14T03:00+02:00")];
    let secondary = measured("borger-dk", "borger-dk", "secondary", month, &outages, &windows);
    assert_eq!(
        (secondary.open, secondary.excluded, secondary.down),
        (569 * H, 2 * H, 4 * H + H / 2)
    );
    let p = secondary.percent().expect("percent");
    assert!((p - 100.0 * 562.5 / 567.0).abs() < 1e-9, "{p}");
    assert_eq!(secondary.met(), Some(false));
    let primary = measured("borger-dk", "borger-dk", "primary", month, &outages, &windows);
    assert_eq!((primary.open, primary.excluded, primary.down), (176 * H, 0, 0));
    assert_eq!((primary.percent(), primary.met()), (Some(100.0), Some(true)));
}

/// Difi ID-porten, December 2026, 24/7: 744 h. The window Tuesday 8th 00:30–05:00 (4.5 h) is
/// excluded (739.5 h measured); an outage 04:00–06:00 that night overruns the window by 1 h;
/// another of 30 minutes on the 15th. Down 1.5 h: (739.5 − 1.5) / 739.5 = 99.797 % < 99.9 %.
#[test]
fn difi_idporten_window_excluded_and_overrun_counted() {
    let m = measured(
        "difi",
        "idporten",
        "around_the_clock",
        ("2026-12-01T00:00+01:00", "2027-01-01T00:00+01:00"),
        &[
            ("2026-12-08T04:00+01:00", "2026-12-08T06:00+01:00"),
            ("2026-12-15T10:00+01:00", "2026-12-15T10:30+01:00"),
        ],
        &[("2026-12-08T00:30+01:00", "2026-12-08T05:00+01:00")],
    );
    assert_eq!((m.open, m.excluded, m.down), (744 * H, 4 * H + H / 2, H + H / 2));
    let p = m.percent().expect("percent");
    assert!((p - 100.0 * 738.0 / 739.5).abs() < 1e-9, "{p}");
    assert_eq!(m.met(), Some(false));
}
