//! Holiday tables of the shipped calendars (Norway, Denmark, Sweden).
//!
//! The expected dates were worked out by hand from these Easter Sundays (a published table of
//! Gregorian Easter dates), not from the engine:
//!
//! | year | Easter Sunday | E−3   | E−2   | E+1   | E+26  | E+39  | E+49  | E+50  |
//! |------|---------------|-------|-------|-------|-------|-------|-------|-------|
//! | 2004 | 04-11         | 04-08 | 04-09 | 04-12 | 05-07 | 05-20 | 05-30 | 05-31 |
//! | 2005 | 03-27         | 03-24 | 03-25 | 03-28 | 04-22 | 05-05 | 05-15 | 05-16 |
//! | 2023 | 04-09         | 04-06 | 04-07 | 04-10 | 05-05 | 05-18 | 05-28 | 05-29 |
//! | 2024 | 03-31         | 03-28 | 03-29 | 04-01 | 04-26 | 05-09 | 05-19 | 05-20 |
//! | 2025 | 04-20         | 04-17 | 04-18 | 04-21 | 05-16 | 05-29 | 06-08 | 06-09 |
//! | 2026 | 04-05         | 04-02 | 04-03 | 04-06 | 05-01 | 05-14 | 05-24 | 05-25 |
//! | 2027 | 03-28         | 03-25 | 03-26 | 03-29 | 04-23 | 05-06 | 05-16 | 05-17 |
//!
//! Swedish Midsummer Day (the Saturday 20–26 June): 2004-06-26, 2005-06-25, 2023-06-24,
//! 2024-06-22, 2025-06-21, 2026-06-20, 2027-06-26. All Saints' Day (the Saturday 31 Oct –
//! 6 Nov): 2004-11-06, 2005-11-05, 2023-11-04, 2024-11-02, 2025-11-01, 2026-10-31,
//! 2027-11-06.
//!
//! Note 2027 in Norway: Whit Monday (E+50) is 17 May, the same day as Constitution Day; both
//! rules give that date, so the year still has 12 entries but only 11 distinct dates.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use vakt::domain::calendar::Calendar;

fn calendars() -> BTreeMap<String, Arc<Calendar>> {
    vakt::agreements::load_calendars(None).expect("the built-in calendars load")
}

fn cal(id: &str) -> Arc<Calendar> {
    calendars()
        .get(id)
        .cloned()
        .unwrap_or_else(|| panic!("built-in calendar {id}"))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Compares `holidays_in(year)` with the expected `(MM-DD, name)` list, in date order.
fn check_year(c: &Calendar, year: i32, expected: &[(&str, &str)]) {
    let got: Vec<(String, String)> = c
        .holidays_in(year)
        .into_iter()
        .map(|(d, h)| (d.format("%m-%d").to_string(), h.name.clone()))
        .collect();
    let want: Vec<(String, String)> = expected.iter().map(|(d, n)| (d.to_string(), n.to_string())).collect();
    assert_eq!(got, want, "calendar {} year {year}", c.id);
    // Every listed date is a holiday by `holiday(date)` too, and days next to none of them
    // are not.
    let listed: BTreeSet<NaiveDate> = c.holidays_in(year).into_iter().map(|(d, _)| d).collect();
    let mut d = date(year, 1, 1);
    while d.year() == year {
        assert_eq!(
            c.holiday(d).is_some(),
            listed.contains(&d),
            "calendar {} holiday({d})",
            c.id
        );
        d = d.succ_opt().expect("next day");
    }
}

// ---------------------------------------------------------------------------------------
// Norway

fn norway(year: i32) -> Vec<(&'static str, &'static str)> {
    match year {
        2004 => vec![
            ("01-01", "New Year's Day"),
            ("04-08", "Maundy Thursday"),
            ("04-09", "Good Friday"),
            ("04-11", "Easter Sunday"),
            ("04-12", "Easter Monday"),
            ("05-01", "Labour Day"),
            ("05-17", "Constitution Day"),
            ("05-20", "Ascension Day"),
            ("05-30", "Whit Sunday"),
            ("05-31", "Whit Monday"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2005 => vec![
            ("01-01", "New Year's Day"),
            ("03-24", "Maundy Thursday"),
            ("03-25", "Good Friday"),
            ("03-27", "Easter Sunday"),
            ("03-28", "Easter Monday"),
            ("05-01", "Labour Day"),
            ("05-05", "Ascension Day"),
            ("05-15", "Whit Sunday"),
            ("05-16", "Whit Monday"),
            ("05-17", "Constitution Day"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2023 => vec![
            ("01-01", "New Year's Day"),
            ("04-06", "Maundy Thursday"),
            ("04-07", "Good Friday"),
            ("04-09", "Easter Sunday"),
            ("04-10", "Easter Monday"),
            ("05-01", "Labour Day"),
            ("05-17", "Constitution Day"),
            ("05-18", "Ascension Day"),
            ("05-28", "Whit Sunday"),
            ("05-29", "Whit Monday"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2024 => vec![
            ("01-01", "New Year's Day"),
            ("03-28", "Maundy Thursday"),
            ("03-29", "Good Friday"),
            ("03-31", "Easter Sunday"),
            ("04-01", "Easter Monday"),
            ("05-01", "Labour Day"),
            ("05-09", "Ascension Day"),
            ("05-17", "Constitution Day"),
            ("05-19", "Whit Sunday"),
            ("05-20", "Whit Monday"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2025 => vec![
            ("01-01", "New Year's Day"),
            ("04-17", "Maundy Thursday"),
            ("04-18", "Good Friday"),
            ("04-20", "Easter Sunday"),
            ("04-21", "Easter Monday"),
            ("05-01", "Labour Day"),
            ("05-17", "Constitution Day"),
            ("05-29", "Ascension Day"),
            ("06-08", "Whit Sunday"),
            ("06-09", "Whit Monday"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2026 => vec![
            ("01-01", "New Year's Day"),
            ("04-02", "Maundy Thursday"),
            ("04-03", "Good Friday"),
            ("04-05", "Easter Sunday"),
            ("04-06", "Easter Monday"),
            ("05-01", "Labour Day"),
            ("05-14", "Ascension Day"),
            ("05-17", "Constitution Day"),
            ("05-24", "Whit Sunday"),
            ("05-25", "Whit Monday"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2027 => vec![
            ("01-01", "New Year's Day"),
            ("03-25", "Maundy Thursday"),
            ("03-26", "Good Friday"),
            ("03-28", "Easter Sunday"),
            ("03-29", "Easter Monday"),
            ("05-01", "Labour Day"),
            ("05-06", "Ascension Day"),
            ("05-16", "Whit Sunday"),
            // Whit Monday falls on Constitution Day in 2027; the file lists Constitution
            // Day first and the sort is stable.
            ("05-17", "Constitution Day"),
            ("05-17", "Whit Monday"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        _ => unreachable!("no table for {year}"),
    }
}

#[test]
fn norway_tables() {
    let c = cal("no");
    for year in [2004, 2005, 2023, 2024, 2025, 2026, 2027] {
        check_year(&c, year, &norway(year));
    }
}

#[test]
fn norway_christmas_eve_and_new_years_eve_are_extra_days_only() {
    let c = cal("no");
    for year in [2024, 2025, 2026] {
        assert!(c.holiday(date(year, 12, 24)).is_none());
        assert!(c.holiday(date(year, 12, 31)).is_none());
    }
    let eve = c.extra_day("christmas_eve").expect("christmas_eve");
    assert!(eve.falls_on(date(2026, 12, 24)));
    let nye = c.extra_day("new_years_eve").expect("new_years_eve");
    assert!(nye.falls_on(date(2026, 12, 31)));
    assert!(c.extra_day("midsummer_eve").is_none());
    // 2027-05-17 is both Constitution Day and Whit Monday; `holiday` gives the first rule.
    assert_eq!(
        c.holiday(date(2027, 5, 17)).map(|h| h.name.as_str()),
        Some("Constitution Day")
    );
}

// ---------------------------------------------------------------------------------------
// Denmark

fn denmark(year: i32) -> Vec<(&'static str, &'static str)> {
    match year {
        2004 => vec![
            ("01-01", "New Year's Day"),
            ("04-08", "Maundy Thursday"),
            ("04-09", "Good Friday"),
            ("04-11", "Easter Sunday"),
            ("04-12", "Easter Monday"),
            ("05-07", "Great Prayer Day"),
            ("05-20", "Ascension Day"),
            ("05-30", "Whit Sunday"),
            ("05-31", "Whit Monday"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2005 => vec![
            ("01-01", "New Year's Day"),
            ("03-24", "Maundy Thursday"),
            ("03-25", "Good Friday"),
            ("03-27", "Easter Sunday"),
            ("03-28", "Easter Monday"),
            ("04-22", "Great Prayer Day"),
            ("05-05", "Ascension Day"),
            ("05-15", "Whit Sunday"),
            ("05-16", "Whit Monday"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2023 => vec![
            ("01-01", "New Year's Day"),
            ("04-06", "Maundy Thursday"),
            ("04-07", "Good Friday"),
            ("04-09", "Easter Sunday"),
            ("04-10", "Easter Monday"),
            // The last Store Bededag: 5 May 2023.
            ("05-05", "Great Prayer Day"),
            ("05-18", "Ascension Day"),
            ("05-28", "Whit Sunday"),
            ("05-29", "Whit Monday"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2024 => vec![
            ("01-01", "New Year's Day"),
            ("03-28", "Maundy Thursday"),
            ("03-29", "Good Friday"),
            ("03-31", "Easter Sunday"),
            ("04-01", "Easter Monday"),
            // No Store Bededag from 2024 (it would have been 26 April).
            ("05-09", "Ascension Day"),
            ("05-19", "Whit Sunday"),
            ("05-20", "Whit Monday"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2025 => vec![
            ("01-01", "New Year's Day"),
            ("04-17", "Maundy Thursday"),
            ("04-18", "Good Friday"),
            ("04-20", "Easter Sunday"),
            ("04-21", "Easter Monday"),
            ("05-29", "Ascension Day"),
            ("06-08", "Whit Sunday"),
            ("06-09", "Whit Monday"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2026 => vec![
            ("01-01", "New Year's Day"),
            ("04-02", "Maundy Thursday"),
            ("04-03", "Good Friday"),
            ("04-05", "Easter Sunday"),
            ("04-06", "Easter Monday"),
            ("05-14", "Ascension Day"),
            ("05-24", "Whit Sunday"),
            ("05-25", "Whit Monday"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2027 => vec![
            ("01-01", "New Year's Day"),
            ("03-25", "Maundy Thursday"),
            ("03-26", "Good Friday"),
            ("03-28", "Easter Sunday"),
            ("03-29", "Easter Monday"),
            ("05-06", "Ascension Day"),
            ("05-16", "Whit Sunday"),
            ("05-17", "Whit Monday"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        _ => unreachable!("no table for {year}"),
    }
}

#[test]
fn denmark_tables() {
    let c = cal("dk");
    for year in [2004, 2005, 2023, 2024, 2025, 2026, 2027] {
        check_year(&c, year, &denmark(year));
    }
}

#[test]
fn denmark_store_bededag_2023_but_not_2024() {
    let c = cal("dk");
    let h = c.holiday(date(2023, 5, 5)).expect("Store Bededag 2023");
    assert_eq!(h.name, "Great Prayer Day");
    assert_eq!(h.local_name.as_deref(), Some("Store bededag"));
    assert_eq!(date(2023, 5, 5).weekday(), Weekday::Fri);
    // It would have been Friday 26 April 2024 and Friday 1 May 2026.
    assert!(c.holiday(date(2024, 4, 26)).is_none());
    assert!(c.holiday(date(2026, 5, 1)).is_none());
    assert!(c.holidays_in(2024).iter().all(|(_, h)| h.name != "Great Prayer Day"));
    // Constitution Day, Christmas Eve and New Year's Eve are custom, not law.
    for (m, d, id) in [
        (6, 5, "constitution_day"),
        (12, 24, "christmas_eve"),
        (12, 31, "new_years_eve"),
    ] {
        assert!(c.holiday(date(2026, m, d)).is_none(), "{id}");
        assert!(c.extra_day(id).expect("extra day").falls_on(date(2026, m, d)), "{id}");
    }
}

// ---------------------------------------------------------------------------------------
// Sweden

fn sweden(year: i32) -> Vec<(&'static str, &'static str)> {
    match year {
        2004 => vec![
            ("01-01", "New Year's Day"),
            ("01-06", "Epiphany"),
            ("04-09", "Good Friday"),
            ("04-11", "Easter Sunday"),
            ("04-12", "Easter Monday"),
            ("05-01", "May Day"),
            ("05-20", "Ascension Day"),
            ("05-30", "Whit Sunday"),
            // The last Whit Monday holiday; no National Day yet.
            ("05-31", "Whit Monday"),
            ("06-26", "Midsummer Day"),
            ("11-06", "All Saints' Day"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2005 => vec![
            ("01-01", "New Year's Day"),
            ("01-06", "Epiphany"),
            ("03-25", "Good Friday"),
            ("03-27", "Easter Sunday"),
            ("03-28", "Easter Monday"),
            ("05-01", "May Day"),
            ("05-05", "Ascension Day"),
            ("05-15", "Whit Sunday"),
            // No Whit Monday (16 May); the first National Day.
            ("06-06", "National Day"),
            ("06-25", "Midsummer Day"),
            ("11-05", "All Saints' Day"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2023 => vec![
            ("01-01", "New Year's Day"),
            ("01-06", "Epiphany"),
            ("04-07", "Good Friday"),
            ("04-09", "Easter Sunday"),
            ("04-10", "Easter Monday"),
            ("05-01", "May Day"),
            ("05-18", "Ascension Day"),
            ("05-28", "Whit Sunday"),
            ("06-06", "National Day"),
            ("06-24", "Midsummer Day"),
            ("11-04", "All Saints' Day"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2024 => vec![
            ("01-01", "New Year's Day"),
            ("01-06", "Epiphany"),
            ("03-29", "Good Friday"),
            ("03-31", "Easter Sunday"),
            ("04-01", "Easter Monday"),
            ("05-01", "May Day"),
            ("05-09", "Ascension Day"),
            ("05-19", "Whit Sunday"),
            ("06-06", "National Day"),
            ("06-22", "Midsummer Day"),
            ("11-02", "All Saints' Day"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2025 => vec![
            ("01-01", "New Year's Day"),
            ("01-06", "Epiphany"),
            ("04-18", "Good Friday"),
            ("04-20", "Easter Sunday"),
            ("04-21", "Easter Monday"),
            ("05-01", "May Day"),
            ("05-29", "Ascension Day"),
            ("06-06", "National Day"),
            ("06-08", "Whit Sunday"),
            ("06-21", "Midsummer Day"),
            ("11-01", "All Saints' Day"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2026 => vec![
            ("01-01", "New Year's Day"),
            ("01-06", "Epiphany"),
            ("04-03", "Good Friday"),
            ("04-05", "Easter Sunday"),
            ("04-06", "Easter Monday"),
            ("05-01", "May Day"),
            ("05-14", "Ascension Day"),
            ("05-24", "Whit Sunday"),
            ("06-06", "National Day"),
            ("06-20", "Midsummer Day"),
            ("10-31", "All Saints' Day"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        2027 => vec![
            ("01-01", "New Year's Day"),
            ("01-06", "Epiphany"),
            ("03-26", "Good Friday"),
            ("03-28", "Easter Sunday"),
            ("03-29", "Easter Monday"),
            ("05-01", "May Day"),
            ("05-06", "Ascension Day"),
            ("05-16", "Whit Sunday"),
            ("06-06", "National Day"),
            ("06-26", "Midsummer Day"),
            ("11-06", "All Saints' Day"),
            ("12-25", "Christmas Day"),
            ("12-26", "Boxing Day"),
        ],
        _ => unreachable!("no table for {year}"),
    }
}

#[test]
fn sweden_tables() {
    let c = cal("se");
    for year in [2004, 2005, 2023, 2024, 2025, 2026, 2027] {
        check_year(&c, year, &sweden(year));
    }
}

#[test]
fn sweden_2004_whit_monday_2005_national_day() {
    let c = cal("se");
    assert_eq!(
        c.holiday(date(2004, 5, 31)).map(|h| h.name.as_str()),
        Some("Whit Monday")
    );
    assert!(c.holiday(date(2004, 6, 6)).is_none(), "no National Day in 2004");
    assert_eq!(
        c.holiday(date(2005, 6, 6)).map(|h| h.name.as_str()),
        Some("National Day")
    );
    assert!(c.holiday(date(2005, 5, 16)).is_none(), "no Whit Monday in 2005");
    // 6 June is a holiday even on a weekday (Tuesday in 2023, Saturday in 2026).
    assert_eq!(date(2023, 6, 6).weekday(), Weekday::Tue);
    assert!(c.holiday(date(2023, 6, 6)).is_some());
}

#[test]
fn sweden_midsummer_and_all_saints_are_saturdays() {
    let c = cal("se");
    let cases = [
        (2004, date(2004, 6, 26), date(2004, 11, 6)),
        (2005, date(2005, 6, 25), date(2005, 11, 5)),
        (2023, date(2023, 6, 24), date(2023, 11, 4)),
        (2024, date(2024, 6, 22), date(2024, 11, 2)),
        (2025, date(2025, 6, 21), date(2025, 11, 1)),
        (2026, date(2026, 6, 20), date(2026, 10, 31)),
        (2027, date(2027, 6, 26), date(2027, 11, 6)),
    ];
    let eve = c.extra_day("midsummer_eve").expect("midsummer_eve");
    for (year, midsummer, all_saints) in cases {
        assert_eq!(midsummer.weekday(), Weekday::Sat, "{year}");
        assert_eq!(all_saints.weekday(), Weekday::Sat, "{year}");
        assert_eq!(
            c.holiday(midsummer).map(|h| h.name.as_str()),
            Some("Midsummer Day"),
            "{year}"
        );
        assert_eq!(
            c.holiday(all_saints).map(|h| h.name.as_str()),
            Some("All Saints' Day"),
            "{year}"
        );
        // Midsummer Eve is the Friday before; it is an extra day, not a holiday.
        let friday = midsummer.pred_opt().expect("day before");
        assert!(eve.falls_on(friday), "{year}");
        assert!(c.holiday(friday).is_none(), "{year}");
        // The Saturday a week earlier is not Midsummer Day.
        assert!(c.holiday(midsummer - Duration::days(7)).is_none(), "{year}");
    }
}

// ---------------------------------------------------------------------------------------
// Sweep 1900–2200

/// Easter Sunday by a different algorithm from the engine's (Oudin's, as in Tøndering's
/// calendar FAQ), to cross-check it.
fn easter_oudin(y: i32) -> NaiveDate {
    let g = y % 19;
    let c = y / 100;
    let h = (c - c / 4 - (8 * c + 13) / 25 + 19 * g + 15) % 30;
    let i = h - (h / 28) * (1 - (29 / (h + 1)) * ((21 - g) / 11));
    let j = (y + y / 4 + i + 2 - c + c / 4) % 7;
    let l = i - j;
    let month = 3 + (l + 40) / 44;
    let day = l + 28 - 31 * (month / 4);
    date(y, month as u32, day as u32)
}

#[test]
fn oudin_matches_known_easter_sundays() {
    for (y, m, d) in [
        (2004, 4, 11),
        (2005, 3, 27),
        (2008, 3, 23),
        (2023, 4, 9),
        (2024, 3, 31),
        (2025, 4, 20),
        (2026, 4, 5),
        (2027, 3, 28),
        (2038, 4, 25),
        (1900, 4, 15),
        (2200, 4, 6),
    ] {
        assert_eq!(easter_oudin(y), date(y, m, d), "{y}");
    }
}

/// The dates named `name` in the year (one for every rule in these calendars).
fn dates_named(c: &Calendar, year: i32, name: &str) -> Vec<NaiveDate> {
    c.holidays_in(year)
        .into_iter()
        .filter(|(_, h)| h.name == name)
        .map(|(d, _)| d)
        .collect()
}

fn one_named(c: &Calendar, year: i32, name: &str) -> NaiveDate {
    let v = dates_named(c, year, name);
    assert_eq!(v.len(), 1, "{} {year}: {name} once", c.id);
    v[0]
}

fn md(d: NaiveDate) -> (u32, u32) {
    (d.month(), d.day())
}

#[test]
fn sweep_1900_to_2200() {
    let cals = calendars();
    let (no, dk, se) = (&cals["no"], &cals["dk"], &cals["se"]);
    for year in 1900..=2200 {
        let e = easter_oudin(year);
        assert_eq!(e.weekday(), Weekday::Sun, "{year}");
        assert!((date(year, 3, 22)..=date(year, 4, 25)).contains(&e), "{year}");
        for c in [no, dk, se] {
            assert_eq!(one_named(c, year, "Easter Sunday"), e, "{} {year}", c.id);
            let gf = one_named(c, year, "Good Friday");
            assert_eq!(gf, e - Duration::days(2), "{} {year}", c.id);
            assert_eq!(gf.weekday(), Weekday::Fri, "{} {year}", c.id);
            let em = one_named(c, year, "Easter Monday");
            assert_eq!(em, e + Duration::days(1), "{} {year}", c.id);
            assert_eq!(em.weekday(), Weekday::Mon, "{} {year}", c.id);
            let asc = one_named(c, year, "Ascension Day");
            assert_eq!(asc, e + Duration::days(39), "{} {year}", c.id);
            assert_eq!(asc.weekday(), Weekday::Thu, "{} {year}", c.id);
            assert_eq!(
                one_named(c, year, "Whit Sunday"),
                e + Duration::days(49),
                "{} {year}",
                c.id
            );
            assert_eq!(md(one_named(c, year, "New Year's Day")), (1, 1), "{} {year}", c.id);
            assert_eq!(md(one_named(c, year, "Christmas Day")), (12, 25));
            assert_eq!(md(one_named(c, year, "Boxing Day")), (12, 26));
            // Sorted by date.
            let ds: Vec<NaiveDate> = c.holidays_in(year).iter().map(|(d, _)| *d).collect();
            assert!(ds.windows(2).all(|w| w[0] <= w[1]), "{} {year}", c.id);
            assert!(ds.iter().all(|d| d.year() == year), "{} {year}", c.id);
        }

        // Norway: 12 rules every year.
        assert_eq!(no.holidays_in(year).len(), 12, "no {year}");
        let mt = one_named(no, year, "Maundy Thursday");
        assert_eq!(mt, e - Duration::days(3));
        assert_eq!(mt.weekday(), Weekday::Thu);
        assert_eq!(one_named(no, year, "Whit Monday"), e + Duration::days(50));
        assert_eq!(md(one_named(no, year, "Labour Day")), (5, 1));
        assert_eq!(md(one_named(no, year, "Constitution Day")), (5, 17));
        // Distinct dates: 12 minus the movable feasts that land on 1 or 17 May.
        let movable = [39, 49, 50].map(|o| md(e + Duration::days(o)));
        let clashes = movable.iter().filter(|d| **d == (5, 1) || **d == (5, 17)).count();
        assert_eq!(distinct(no, year), 12 - clashes, "no {year}");

        // Denmark: 11 rules up to 2023 (with Store Bededag, E+26, a Friday), 10 from 2024.
        let prayer = dates_named(dk, year, "Great Prayer Day");
        if year <= 2023 {
            assert_eq!(dk.holidays_in(year).len(), 11, "dk {year}");
            assert_eq!(prayer, vec![e + Duration::days(26)], "dk {year}");
            assert_eq!(prayer[0].weekday(), Weekday::Fri);
        } else {
            assert_eq!(dk.holidays_in(year).len(), 10, "dk {year}");
            assert!(prayer.is_empty(), "dk {year}");
            assert!(dk.holiday(e + Duration::days(26)).is_none(), "dk {year}");
        }
        assert_eq!(one_named(dk, year, "Maundy Thursday"), e - Duration::days(3));
        assert_eq!(one_named(dk, year, "Whit Monday"), e + Duration::days(50));
        // No Danish rule can coincide with another.
        assert_eq!(distinct(dk, year), dk.holidays_in(year).len(), "dk {year}");

        // Sweden: 13 rules every year (Whit Monday until 2004, National Day from 2005).
        assert_eq!(se.holidays_in(year).len(), 13, "se {year}");
        assert!(dates_named(se, year, "Maundy Thursday").is_empty());
        assert_eq!(md(one_named(se, year, "Epiphany")), (1, 6));
        assert_eq!(md(one_named(se, year, "May Day")), (5, 1));
        let whit_monday = dates_named(se, year, "Whit Monday");
        let national = dates_named(se, year, "National Day");
        if year <= 2004 {
            assert_eq!(whit_monday, vec![e + Duration::days(50)], "se {year}");
            assert!(national.is_empty(), "se {year}");
        } else {
            assert!(whit_monday.is_empty(), "se {year}");
            assert_eq!(national, vec![date(year, 6, 6)], "se {year}");
        }
        let mid = one_named(se, year, "Midsummer Day");
        assert_eq!(mid.weekday(), Weekday::Sat, "se {year}");
        assert!((date(year, 6, 20)..=date(year, 6, 26)).contains(&mid), "se {year}");
        let saints = one_named(se, year, "All Saints' Day");
        assert_eq!(saints.weekday(), Weekday::Sat, "se {year}");
        assert!((date(year, 10, 31)..=date(year, 11, 6)).contains(&saints), "se {year}");
        assert!(
            se.extra_day("midsummer_eve")
                .expect("midsummer_eve")
                .falls_on(mid - Duration::days(1)),
            "se {year}"
        );
        // Clashes: Ascension on 1 May (Easter 23 March); Whit Sunday on 6 June from 2005
        // (Easter 18 April).
        let mut clashes = 0;
        if md(e + Duration::days(39)) == (5, 1) {
            clashes += 1;
        }
        if year >= 2005 && md(e + Duration::days(49)) == (6, 6) {
            clashes += 1;
        }
        assert_eq!(distinct(se, year), 13 - clashes, "se {year}");
    }
}

fn distinct(c: &Calendar, year: i32) -> usize {
    c.holidays_in(year)
        .into_iter()
        .map(|(d, _)| d)
        .collect::<BTreeSet<_>>()
        .len()
}

#[test]
fn known_coincidences() {
    let cals = calendars();
    // 2008: Easter 23 March, Ascension 1 May.
    for id in ["no", "se"] {
        let c = &cals[id];
        let on_may_1: Vec<&str> = c
            .holidays_in(2008)
            .into_iter()
            .filter(|(d, _)| *d == date(2008, 5, 1))
            .map(|(_, h)| h.name.as_str())
            .collect();
        let first = if id == "no" { "Labour Day" } else { "May Day" };
        assert_eq!(on_may_1, vec![first, "Ascension Day"], "{id}");
    }
    // 2049: Easter 18 April, Whit Sunday 6 June = Swedish National Day.
    let se = &cals["se"];
    let on_june_6: Vec<&str> = se
        .holidays_in(2049)
        .into_iter()
        .filter(|(d, _)| *d == date(2049, 6, 6))
        .map(|(_, h)| h.name.as_str())
        .collect();
    assert_eq!(on_june_6, vec!["Whit Sunday", "National Day"]);
}

/// A calendar file with rules whose date can fall outside the rule's year: an Easter offset
/// that reaches back into December (validation allows ±200 days) and a weekday on or after
/// a date at the very end of December.
const EDGE_CALENDAR: &str = r#"id = "edge"
name = "Edge rules"

[[holidays]]
name = "Long before Easter"
easter = -120

[[holidays]]
name = "Long after Easter"
easter = 200

[[holidays]]
name = "Monday on or after 30 December"
weekday = "mon"
on_or_after = "12-30"
"#;

fn edge_calendar() -> Calendar {
    vakt::agreements::parse_calendar(std::path::Path::new("edge.toml"), EDGE_CALENDAR, &BTreeMap::new())
        .expect("edge calendar parses")
}

#[test]
fn edge_rules_inside_the_year_agree() {
    // Easter + 200 days is always in the same year (October/November).
    let c = edge_calendar();
    for year in 2000..=2100 {
        let after = one_named(&c, year, "Long after Easter");
        assert_eq!(after, easter_oudin(year) + Duration::days(200));
        assert_eq!(after.year(), year);
        assert_eq!(c.holiday(after).map(|h| h.name.as_str()), Some("Long after Easter"));
    }
}

#[test]
fn edge_rules_crossing_the_year_agree() {
    // Easter 2026 is 5 April, so `easter = -120` gives 2025-12-06 for the rule's year 2026:
    // holidays_in(2026) lists 2025-12-06, holiday(2025-12-06) is None (it evaluates the rule
    // for 2025, giving 2024-12-21), and holiday(2024-12-21) is None too. Likewise "Monday on
    // or after 12-30" for 2025 (30 Dec is a Tuesday) gives 2026-01-05: listed by
    // holidays_in(2025), not matched by holiday(2026-01-05). A schedule with such a calendar
    // would stay open on a day the calendar lists as a holiday.
    //
    // Whatever year such a day is counted in, `holidays_in(y)` must only list dates of `y`
    // ("All public holidays of `year`"), and `holiday(d)` must agree with the lists.
    let c = edge_calendar();
    for year in 2000..=2100 {
        for (d, h) in c.holidays_in(year) {
            assert_eq!(d.year(), year, "holidays_in({year}) lists {d} ({})", h.name);
        }
        let listed: BTreeSet<NaiveDate> = c.holidays_in(year).into_iter().map(|(d, _)| d).collect();
        let mut d = date(year, 1, 1);
        while d.year() == year {
            assert_eq!(c.holiday(d).is_some(), listed.contains(&d), "holiday({d})");
            d = d.succ_opt().expect("next day");
        }
    }
}
