//! Broken agreement and calendar files, one defect each, and the exact errors the loader
//! gives for them, with `file:line:column`.
//!
//! Each case is a copy of [`BASE`] (a small valid agreement) with one edit, written as
//! `mini.toml` (the file name must be the agreement's id) into a fresh temporary directory
//! and loaded with `load_dir`. The expected
//! position is given as the text it must point at (its first occurrence in the broken file),
//! turned into line:column here; a few cases also spell the position out as numbers.

use std::path::Path;
use vakt::agreements::{LoadErrors, load_dir};

/// A small agreement that loads. Every defect below is one edit of it.
const BASE: &str = r#"# A minimal agreement for loader tests.
id = "mini"
name = "Mini agreement"
incident_prefix = "MINI"
timezone = "Europe/Oslo"

[source]
title = "Mini agreement"
version = "1"
date = "2026-01-01"

[schedules.platform]
always = true
source = "1"

[schedules.support]
source = "2"
calendars = ["no"]
extra_days = ["christmas_eve"]
weekly = ["mon-fri 08:00-16:00", "sat 10:00-14:00"]

[[priorities]]
id = "1"
name = "Critical"
source = "3"

[[priorities]]
id = "2"
name = "Normal"
source = "3"

[[impacts]]
id = "high"
name = "High"
source = "3"

[[impacts]]
id = "low"
name = "Low"
source = "3"

[timing]
schedule = "support"
source = "4"

[[timing.classes]]
id = "peak"
name = "Peak"
day_of_month = { from = 20 }
source = "4"

[[timing.classes]]
id = "normal"
name = "Normal"
source = "4"

[classification]
source = "5"

[[classification.rules]]
when = { security = true, impact = ["high"] }
priority = "1"
source = "5"

[classification.matrix]
source = "5"
impacts = ["high", "low"]
rows = [
  { timing = "peak", priorities = ["1", "2"] },
  { timing = "normal", priorities = ["2", "2"] },
]

[[targets]]
priority = "1"
response = { within = "30m", schedule = "platform", source = "6" }
resolution = { within = "8h", schedule = "support", source = "6" }

[[targets]]
priority = "2"
response = { within = "2h", schedule = "support", source = "6" }
resolution = { none = "The text sets no resolution time.", source = "6" }

[escalation]
source = "7"
levels = [{ role = "ops", name = "Operations" }]
"#;

/// Writes `files` (relative path, text) into a fresh directory and loads it; returns the
/// errors as `file_name:line:col: message` (or `file_name: message`).
fn load(files: &[(&str, &str)]) -> Result<usize, Vec<String>> {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let p = dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, text).expect("write");
    }
    match load_dir(dir.path()) {
        Ok(cat) => Ok(cat.agreements.len()),
        Err(LoadErrors(errs)) => Err(errs
            .iter()
            .map(|e| {
                let name = e.file.strip_prefix(dir.path()).unwrap_or(&e.file).display().to_string();
                if e.line == 0 {
                    format!("{name}: {}", e.message)
                } else {
                    format!("{name}:{}:{}: {}", e.line, e.column, e.message)
                }
            })
            .collect()),
    }
}

/// BASE with `from` (which must occur exactly once) replaced by `to`.
fn edit(from: &str, to: &str) -> String {
    assert_eq!(BASE.matches(from).count(), 1, "edit target {from:?}");
    BASE.replacen(from, to, 1)
}

/// `line:col` (1-based, columns in characters) of the first occurrence of `needle`.
fn pos(text: &str, needle: &str) -> String {
    assert_eq!(
        text.matches(needle).count(),
        1,
        "position marker {needle:?} must occur once"
    );
    let off = text.find(needle).expect("needle");
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("{line}:{col}")
}

/// Loads the broken `text` as `mini.toml` and checks the exact errors.
fn expect(text: &str, want: &[String]) {
    match load(&[("mini.toml", text)]) {
        Ok(_) => panic!("loaded, but expected:\n{}", want.join("\n")),
        Err(got) => assert_eq!(got, want, "\n--- file ---\n{text}"),
    }
}

#[test]
fn base_loads() {
    assert_eq!(load(&[("mini.toml", BASE)]), Ok(1));
}

/// `BASE` without the matrix (then the one rule does not cover every case).
fn without_matrix() -> String {
    edit(
        "[classification.matrix]\nsource = \"5\"\nimpacts = [\"high\", \"low\"]\nrows = [\n  { timing = \"peak\", priorities = [\"1\", \"2\"] },\n  { timing = \"normal\", priorities = [\"2\", \"2\"] },\n]\n",
        "",
    )
}

const TARGETS_2: &str = "[[targets]]\npriority = \"2\"\nresponse = { within = \"2h\", schedule = \"support\", source = \"6\" }\nresolution = { none = \"The text sets no resolution time.\", source = \"6\" }\n";

#[test]
fn unknown_key() {
    // serde's message, pointing at the key.
    let t = edit("weekly = [\"mon-fri", "weekley = [\"mon-fri");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: unknown field `weekley`, expected one of `always`, `complement`, `source`, `description`, `calendars`, `extra_days`, `weekly`, `seasons`, `special_days`, `reading`, `note`",
            pos(&t, "weekley")
        )],
    );
    assert_eq!(pos(&t, "weekley"), "20:1");
    // Inside an inline table.
    let t = edit(
        "{ within = \"30m\", schedule = \"platform\"",
        "{ within = \"30m\", schedul = \"platform\"",
    );
    expect(
        &t,
        &[format!(
            "mini.toml:{}: unknown field `schedul`, expected one of `within`, `schedule`, `none`, `source`, `reading`, `note`",
            pos(&t, "schedul ")
        )],
    );
    // At the top level.
    let t = edit("timezone = ", "time_zone = ");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: unknown field `time_zone`, expected one of `id`, `name`, `incident_prefix`, `timezone`, `language`, `source`, `schedules`, `priorities`, `impacts`, `timing`, `classification`, `targets`, `compliance`, `status_updates`, `notifications`, `follow_ups`, `escalation`, `reports`, `services`, `meetings`, `repaging`, `case_types`",
            pos(&t, "time_zone")
        )],
    );
}

/// A language that is not one of vakt's is reported at its value; a known one loads.
#[test]
fn unknown_language() {
    let t = edit(
        "timezone = \"Europe/Oslo\"\n",
        "timezone = \"Europe/Oslo\"\nlanguage = \"fi\"\n",
    );
    expect(
        &t,
        &[format!(
            "mini.toml:{}: unknown language \"fi\" (write \"nb\", \"da\", \"sv\" or \"en\")",
            pos(&t, "\"fi\"")
        )],
    );
    let t = edit(
        "timezone = \"Europe/Oslo\"\n",
        "timezone = \"Europe/Oslo\"\nlanguage = \"sv\"\n",
    );
    assert_eq!(load(&[("mini.toml", &t)]), Ok(1));
}

#[test]
fn unknown_schedule_in_a_target() {
    let t = edit(
        "response = { within = \"2h\", schedule = \"support\"",
        "response = { within = \"2h\", schedule = \"supprt\"",
    );
    // Points at the string value, opening quote included.
    assert_eq!(pos(&t, "\"supprt\""), "80:40");
    expect(
        &t,
        &["mini.toml:80:40: unknown schedule \"supprt\" (known: platform, support)".to_string()],
    );
}

#[test]
fn overlapping_weekly_windows() {
    let t = edit("\"sat 10:00-14:00\"", "\"fri 15:00-18:00\"");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: window 15:00-18:00 overlaps 08:00-16:00 on Friday",
            pos(&t, "\"fri 15:00-18:00\"")
        )],
    );
    // One entry overlapping on two days gives one error per day, both at the entry.
    let t = edit("\"sat 10:00-14:00\"", "\"mon,wed 15:30-17:00\"");
    let at = pos(&t, "\"mon,wed 15:30-17:00\"");
    expect(
        &t,
        &[
            format!("mini.toml:{at}: window 15:30-17:00 overlaps 08:00-16:00 on Monday"),
            format!("mini.toml:{at}: window 15:30-17:00 overlaps 08:00-16:00 on Wednesday"),
        ],
    );
    // Touching windows do not overlap.
    let t = edit("\"sat 10:00-14:00\"", "\"fri 16:00-18:00\"");
    assert_eq!(load(&[("mini.toml", &t)]), Ok(1));
}

#[test]
fn window_crossing_midnight() {
    let t = edit("\"sat 10:00-14:00\"", "\"sat 22:00-02:00\"");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: invalid weekly window \"sat 22:00-02:00\": window \"22:00-02:00\": the window ends before it starts; a window may not cross midnight (write two)",
            pos(&t, "\"sat 22:00-02:00\"")
        )],
    );
    // Written as two windows it loads.
    let t = edit("\"sat 10:00-14:00\"", "\"sat 22:00-24:00\", \"sun 00:00-02:00\"");
    assert_eq!(load(&[("mini.toml", &t)]), Ok(1));
}

#[test]
fn priority_without_targets() {
    let t = edit(TARGETS_2, "");
    // Points at the [[priorities]] header of priority "2" (line 27).
    let at = pos(&t, "[[priorities]]\nid = \"2\"");
    assert_eq!(at, "27:1");
    expect(
        &t,
        &[format!(
            "mini.toml:{at}: priority \"2\" has no [[targets]] entry (write `none = \"why\"` where the text sets none)"
        )],
    );
}

#[test]
fn target_with_neither_within_nor_none() {
    let t = edit(
        "resolution = { none = \"The text sets no resolution time.\", source = \"6\" }",
        "resolution = { source = \"6\" }",
    );
    expect(
        &t,
        &[format!(
            "mini.toml:{}: a resolution target is either {{ within = \"8h\", schedule = \"…\", source = \"…\" }} or {{ none = \"why\" }}",
            pos(&t, "{ source = \"6\" }")
        )],
    );
    // Both within and none.
    let t = edit(
        "response = { within = \"2h\", schedule = \"support\", source = \"6\" }",
        "response = { within = \"2h\", schedule = \"support\", none = \"no\", source = \"6\" }",
    );
    expect(
        &t,
        &[format!(
            "mini.toml:{}: a response target is either {{ within = \"8h\", schedule = \"…\", source = \"…\" }} or {{ none = \"why\" }}",
            pos(&t, "{ within = \"2h\"")
        )],
    );
    // No resolution at all: points at the [[targets]] header of that priority.
    let t = edit(
        "resolution = { none = \"The text sets no resolution time.\", source = \"6\" }\n",
        "",
    );
    let at = pos(&t, "[[targets]]\npriority = \"2\"");
    assert_eq!(at, "78:1");
    expect(
        &t,
        &[format!(
            "mini.toml:{at}: priority \"2\" has no resolution target (write resolution = {{ none = \"why\" }} where the text sets none)"
        )],
    );
}

#[test]
fn matrix_missing_a_cell_or_a_row() {
    let t = edit(
        "{ timing = \"normal\", priorities = [\"2\", \"2\"] }",
        "{ timing = \"normal\", priorities = [\"2\"] }",
    );
    expect(
        &t,
        &[format!(
            "mini.toml:{}: row \"normal\" has 1 cells for 2 impact columns",
            pos(&t, "{ timing = \"normal\"")
        )],
    );
    assert_eq!(pos(&t, "{ timing = \"normal\""), "70:3");
    // A missing row: reported at the [classification.matrix] header.
    let t = edit("  { timing = \"normal\", priorities = [\"2\", \"2\"] },\n", "");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: the matrix has no row for timing class \"normal\"",
            pos(&t, "[classification.matrix]")
        )],
    );
    // A missing column.
    let t = edit("impacts = [\"high\", \"low\"]", "impacts = [\"high\"]");
    let m = pos(&t, "[classification.matrix]");
    expect(
        &t,
        &[
            format!("mini.toml:{m}: the matrix has no column for impact \"low\""),
            format!(
                "mini.toml:{}: row \"peak\" has 2 cells for 1 impact columns",
                pos(&t, "{ timing = \"peak\"")
            ),
            format!(
                "mini.toml:{}: row \"normal\" has 2 cells for 1 impact columns",
                pos(&t, "{ timing = \"normal\"")
            ),
        ],
    );
}

#[test]
fn rule_with_unknown_impact() {
    let t = edit("impact = [\"high\"] }", "impact = [\"hihg\"] }");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: unknown impact \"hihg\" (known: high, low)",
            pos(&t, "\"hihg\"")
        )],
    );
}

#[test]
fn classification_not_total() {
    // Without the matrix only `security = true, impact = high` has a priority; the first gap
    // found is impact "high", timing "peak", no security, no workaround, no share given.
    let t = without_matrix();
    expect(
        &t,
        &[format!(
            "mini.toml:{}: no classification rule gives a priority for impact \"high\", timing \"peak\", security false, workaround false, users affected not given (add a rule with an empty `when` last)",
            pos(&t, "[classification]")
        )],
    );
    assert_eq!(pos(&t, "[classification]"), "57:1");
    // A catch-all rule last makes it total again.
    let t = t.replacen(
        "[[targets]]",
        "[[classification.rules]]\nwhen = {}\npriority = \"2\"\nsource = \"5\"\n\n[[targets]]",
        1,
    );
    assert_eq!(load(&[("mini.toml", &t)]), Ok(1));
    // Shares: a rule for more than 50 % of users only leaves "not given" and "at most 50 %"
    // open; the first gap is the share not given.
    let t = without_matrix().replacen(
        "[[targets]]",
        "[[classification.rules]]\nwhen = { users_over = 50.0 }\npriority = \"2\"\nsource = \"5\"\n\n[[classification.rules]]\nwhen = { users_at_most = 50.0 }\npriority = \"2\"\nsource = \"5\"\n\n[[targets]]",
        1,
    );
    expect(
        &t,
        &[format!(
            "mini.toml:{}: no classification rule gives a priority for impact \"high\", timing \"peak\", security false, workaround false, users affected not given (add a rule with an empty `when` last)",
            pos(&t, "[classification]")
        )],
    );
}

#[test]
fn bad_duration() {
    let t = edit("within = \"8h\"", "within = \"5x\"");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: invalid duration \"5x\": expected a duration like 90m, 8h, 3wd or 6d",
            pos(&t, "\"5x\"")
        )],
    );
    assert_eq!(pos(&t, "\"5x\""), "76:25");
}

#[test]
fn bad_time_zone() {
    let t = edit("\"Europe/Oslo\"", "\"Europe/Olso\"");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: unknown time zone \"Europe/Olso\" (use an IANA name like Europe/Oslo)",
            pos(&t, "\"Europe/Olso\"")
        )],
    );
    assert_eq!(pos(&t, "\"Europe/Olso\""), "5:12");
}

#[test]
fn unknown_calendar() {
    // The calendar is unknown; its extra days are not checked until it is fixed.
    let t = edit("calendars = [\"no\"]", "calendars = [\"nor\"]");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: unknown calendar \"nor\" (known: dk, no, se)",
            pos(&t, "\"nor\"")
        )],
    );
}

#[test]
fn unknown_extra_day() {
    // midsummer_eve is Swedish; the Norwegian calendar has christmas_eve and new_years_eve.
    let t = edit("\"christmas_eve\"", "\"midsummer_eve\"");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: unknown extra day in this schedule's calendars \"midsummer_eve\" (known: christmas_eve, new_years_eve)",
            pos(&t, "\"midsummer_eve\"")
        )],
    );
    assert_eq!(pos(&t, "\"midsummer_eve\""), "19:15");
}

#[test]
fn all_problems_of_a_file_at_once() {
    let t = edit("within = \"8h\"", "within = \"5x\"")
        .replacen("schedule = \"platform\"", "schedule = \"plattform\"", 1)
        .replacen("\"sat 10:00-14:00\"", "\"sat 10:00-09:00\"", 1);
    expect(
        &t,
        &[
            format!(
                "mini.toml:{}: invalid weekly window \"sat 10:00-09:00\": window \"10:00-09:00\": the window ends before it starts; a window may not cross midnight (write two)",
                pos(&t, "\"sat 10:00-09:00\"")
            ),
            format!(
                "mini.toml:{}: unknown schedule \"plattform\" (known: platform, support)",
                pos(&t, "\"plattform\"")
            ),
            format!(
                "mini.toml:{}: invalid duration \"5x\": expected a duration like 90m, 8h, 3wd or 6d",
                pos(&t, "\"5x\"")
            ),
        ],
    );
}

#[test]
fn broken_calendar_file() {
    // A broken calendar in calendars/ stops the load before any agreement is read (mini.toml
    // itself is fine); every problem of the calendar file is reported.
    let cal = r#"id = "xx"
name = "Broken calendar"
source = "test"

[[holidays]]
name = "Leap Day"
date = "02-30"

[[holidays]]
name = "Both"
date = "01-02"
easter = 1

[[holidays]]
name = "Bad weekday"
weekday = "saturday"
on_or_after = "06-20"

[[holidays]]
name = "Reversed years"
date = "03-01"
first_year = 2020
last_year = 2010

[[extra_days]]
name = "No id"
date = "12-24"
"#;
    let got = load(&[("mini.toml", BASE), ("calendars/xx.toml", cal)]);
    let want = vec![
        format!(
            "calendars/xx.toml:{}: invalid month-day \"02-30\" (expected MM-DD, e.g. \"05-15\")",
            pos(cal, "\"02-30\"")
        ),
        format!(
            "calendars/xx.toml:{}: \"Both\": give exactly one of date, easter, or weekday + on_or_after",
            pos(cal, "[[holidays]]\nname = \"Both\"")
        ),
        format!(
            "calendars/xx.toml:{}: unknown weekday \"saturday\" (use mon..sun)",
            pos(cal, "\"saturday\"")
        ),
        format!("calendars/xx.toml:{}: last_year is before first_year", pos(cal, "2010")),
        format!(
            "calendars/xx.toml:{}: extra day \"No id\" needs an id",
            pos(cal, "[[extra_days]]")
        ),
    ];
    assert_eq!(got, Err(want));
    assert_eq!(pos(cal, "\"02-30\""), "7:8");

    // Unknown key in a calendar file (serde's message).
    let cal = "id = \"xx\"\nname = \"X\"\n\n[[holidays]]\nname = \"A\"\ndate = \"01-02\"\nfirst = 2000\n";
    assert_eq!(
        load(&[("mini.toml", BASE), ("calendars/xx.toml", cal)]),
        Err(vec![format!(
            "calendars/xx.toml:{}: unknown field `first`, expected one of `id`, `name`, `local_name`, `date`, `easter`, `weekday`, `on_or_after`, `first_year`, `last_year`, `note`",
            pos(cal, "first =")
        )])
    );

    // Extending an unknown calendar.
    let cal = "id = \"xx\"\nname = \"X\"\nextends = \"nn\"\n";
    assert_eq!(
        load(&[("mini.toml", BASE), ("calendars/xx.toml", cal)]),
        Err(vec![format!(
            "calendars/xx.toml:{}: unknown calendar \"nn\" (known: dk, no, se)",
            pos(cal, "\"nn\"")
        )])
    );
}

#[test]
fn local_calendar_extending_a_builtin_loads() {
    // A calendar in calendars/ that extends "no" with an extra day, used by the agreement.
    let cal = "id = \"no-x\"\nname = \"Norway plus\"\nextends = \"no\"\n\n[[extra_days]]\nid = \"easter_eve\"\nname = \"Easter Eve\"\neaster = -1\n";
    let t = edit("calendars = [\"no\"]", "calendars = [\"no-x\"]").replacen(
        "\"christmas_eve\"",
        "\"christmas_eve\", \"easter_eve\"",
        1,
    );
    assert_eq!(load(&[("mini.toml", &t), ("calendars/no-mini.toml", cal)]), Ok(1));
}

#[test]
fn every_shipped_agreement_loads_and_validates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("agreements");
    let cat = load_dir(&dir).unwrap_or_else(|e| panic!("the shipped agreements do not load:\n{e}"));
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("agreements/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    assert_eq!(cat.agreements.len(), files.len(), "one agreement per file");
    for id in ["altinn", "borger-dk", "difi", "inera", "ssbtek"] {
        assert!(cat.get(id).is_some(), "agreement {id} (have {})", cat.ids());
    }
    for c in ["dk", "no", "se"] {
        assert!(cat.calendars.contains_key(c), "calendar {c}");
    }
    // Each file also validates on its own against the built-in calendars.
    let cals = vakt::agreements::load_calendars(Some(&dir)).expect("calendars");
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        if let Err(e) = vakt::agreements::parse_agreement(f, &text, &cals) {
            panic!("{}:\n{e}", f.display());
        }
    }
    // Every agreement has a target entry per priority and the schedules they name exist.
    for a in &cat.agreements {
        for p in &a.priorities {
            assert!(a.targets_for(&p.id).is_some(), "{} {}", a.id, p.id);
        }
    }
}

#[test]
fn toml_and_type_errors() {
    // A TOML syntax error: the toml crate's message at the place it stopped (the end of the
    // line with the unterminated string).
    let t = edit("id = \"mini\"", "id = \"mini");
    expect(&t, &["mini.toml:2:11: invalid basic string, expected `\"`".to_string()]);
    // A value of the wrong type: at the value.
    let t = edit("always = true", "always = \"yes\"");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: invalid type: string \"yes\", expected a boolean",
            pos(&t, "\"yes\"")
        )],
    );
    // A missing table: the whole document, reported at 1:1.
    let t = edit(
        "[escalation]\nsource = \"7\"\nlevels = [{ role = \"ops\", name = \"Operations\" }]\n",
        "",
    );
    expect(&t, &["mini.toml:1:1: missing field `escalation`".to_string()]);
    // A bad agreement id: at the value.
    let t = edit("id = \"mini\"", "id = \"Mini\"");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: agreement id \"Mini\" must be lower-case letters, digits and '-'",
            pos(&t, "\"Mini\"")
        )],
    );
}

#[test]
fn id_differs_from_the_file_name() {
    // `ssbtek.toml` that says `id = "ssb"`: at the id's value.
    let t = edit("id = \"mini\"", "id = \"ssb\"");
    assert_eq!(pos(&t, "\"ssb\""), "2:6");
    assert_eq!(
        load(&[("ssbtek.toml", &t)]),
        Err(vec![
            "ssbtek.toml:2:6: agreement id \"ssb\" does not match the file name ssbtek.toml (write id = \"ssbtek\" or rename the file to ssb.toml)"
                .to_string()
        ])
    );
    // The same text under its own id's name loads.
    assert_eq!(load(&[("ssb.toml", &t)]), Ok(1));
}

#[test]
fn an_empty_directory_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = load_dir(dir.path()).expect_err("an empty directory");
    assert_eq!(e.0.len(), 1, "{e}");
    assert_eq!(e.0[0].file, dir.path());
    assert_eq!((e.0[0].line, e.0[0].column), (0, 0));
    assert_eq!(e.0[0].message, "no agreement files (*.toml) in this directory");
    // Calendars alone are not agreements.
    let cal = "id = \"xx\"\nname = \"X\"\nextends = \"no\"\n";
    std::fs::create_dir_all(dir.path().join("calendars")).expect("mkdir");
    std::fs::write(dir.path().join("calendars/xx.toml"), cal).expect("write");
    let e = load_dir(dir.path()).expect_err("only calendars");
    assert_eq!(e.0[0].message, "no agreement files (*.toml) in this directory");
}

/// BASE with a special day in the support schedule given as `day` (TOML lines).
fn with_special_day(day: &str) -> String {
    edit(
        "weekly = [\"mon-fri 08:00-16:00\", \"sat 10:00-14:00\"]\n",
        &format!(
            "weekly = [\"mon-fri 08:00-16:00\", \"sat 10:00-14:00\"]\n\n[[schedules.support.special_days]]\nname = \"Odd day\"\n{day}\nhours = [\"08:00-12:00\"]\nsource = \"2\"\n"
        ),
    )
}

#[test]
fn easter_offset_of_a_special_day_out_of_range() {
    for offset in ["61", "-61", "200"] {
        let t = with_special_day(&format!("easter = {offset}"));
        let at = pos(&t, &format!("easter = {offset}\n"));
        // At the value, after `easter = `.
        let (line, col) = at.split_once(':').expect("line:col");
        let col: usize = col.parse().expect("col");
        expect(
            &t,
            &[format!(
                "mini.toml:{line}:{}: easter offset {offset} is out of range: a special day is at most 60 days before or after Easter Sunday (so it stays in Easter's year)",
                col + "easter = ".len()
            )],
        );
    }
    let t = with_special_day("easter = -61");
    assert_eq!(pos(&t, "-61"), "24:10");
    // The bounds themselves are fine.
    for offset in ["60", "-60", "-4"] {
        let t = with_special_day(&format!("easter = {offset}"));
        assert_eq!(load(&[("mini.toml", &t)]), Ok(1), "easter = {offset}");
    }
}

#[test]
fn zero_target() {
    for zero in ["0m", "0h", "0wd", "0d", "0s"] {
        let t = edit("within = \"30m\"", &format!("within = \"{zero}\""));
        let at = pos(&t, &format!("\"{zero}\""));
        expect(
            &t,
            &[format!(
                "mini.toml:{at}: a response target of \"{zero}\" is zero: every incident would breach it at once (write response = {{ none = \"why\" }} where the text sets none)"
            )],
        );
    }
    let t = edit("within = \"8h\"", "within = \"0wd\"");
    assert_eq!(pos(&t, "\"0wd\""), "76:25");
    expect(
        &t,
        &["mini.toml:76:25: a resolution target of \"0wd\" is zero: every incident would breach it at once (write resolution = { none = \"why\" } where the text sets none)".to_string()],
    );
}

#[test]
fn target_too_long_for_the_supported_years() {
    for (long, bound) in [
        ("100000wd", "2600 working days (\"2600wd\")"),
        ("2601wd", "2600 working days (\"2600wd\")"),
        ("3661d", "3660 days (\"3660d\")"),
        ("87841h", "87840 hours (\"87840h\")"),
        ("5270401m", "5270400 minutes (\"5270400m\")"),
        ("316224001s", "316224000 seconds (\"316224000s\")"),
    ] {
        let t = edit("within = \"8h\"", &format!("within = \"{long}\""));
        expect(
            &t,
            &[format!(
                "mini.toml:76:25: duration \"{long}\" is too long to compute within the supported years 1900–2200: at most {bound}, about ten years"
            )],
        );
    }
    // The bounds themselves load.
    for ok in ["2600wd", "3660d", "87840h", "5270400m"] {
        let t = edit("within = \"8h\"", &format!("within = \"{ok}\""));
        assert_eq!(load(&[("mini.toml", &t)]), Ok(1), "{ok}");
    }
}

#[test]
fn warnings_name_unread_impacts_only() {
    let warnings = |text: &str| -> Vec<String> {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("mini.toml"), text).expect("write");
        let cat = load_dir(dir.path()).unwrap_or_else(|e| panic!("loads: {e}"));
        vakt::agreements::warnings(cat.get("mini").expect("mini"))
    };
    // BASE reads security (rule 1) and every impact (the matrix columns); the facts it does
    // not read (users, workaround) are its choice, not a mistake.
    assert!(warnings(BASE).is_empty(), "{:?}", warnings(BASE));
    // Without the matrix, a catch-all rule classifies "low", but no rule names it.
    let t = without_matrix().replacen(
        "[[targets]]",
        "[[classification.rules]]\nwhen = { workaround = true, users_over = 50.0 }\npriority = \"1\"\nsource = \"5\"\n\n[[classification.rules]]\nwhen = {}\npriority = \"2\"\nsource = \"5\"\n\n[[targets]]",
        1,
    );
    assert_eq!(
        warnings(&t),
        ["mini: no rule or matrix column reads impact \"low\"; it is classified only by rules that ignore the impact"]
    );
}

/// BASE with a `[[meetings]]` section appended.
fn with_meetings(meetings: &str) -> String {
    format!("{BASE}\n{meetings}")
}

const STATUS_MEETING: &str = r#"[[meetings]]
id = "status"
name = "Status meeting"
cadence = "1w"
weekday = "tue"
time = "10:00"
agenda = "weekly_summary"
points = true
source = "8"
"#;

#[test]
fn meetings_load_with_their_cadence() {
    let t = with_meetings(&format!(
        "{STATUS_MEETING}\n[[meetings]]\nid = \"forum\"\nname = \"Forum\"\ncadence = \"as-needed\"\nsource = \"9\"\n"
    ));
    assert_eq!(load(&[("mini.toml", &t)]), Ok(1));
}

#[test]
fn meeting_with_a_bad_cadence_weekday_time_or_agenda() {
    let t = with_meetings(
        &STATUS_MEETING
            .replace("\"1w\"", "\"fortnightly\"")
            .replace("\"tue\"", "\"tuesday\"")
            .replace("\"10:00\"", "\"25:00\"")
            .replace("\"weekly_summary\"", "\"minutes\""),
    );
    expect(
        &t,
        &[
            format!(
                "mini.toml:{}: invalid cadence \"fortnightly\" (expected weeks or months like \"1w\", \"2mo\" (1–24), or \"as-needed\")",
                pos(&t, "\"fortnightly\"")
            ),
            format!(
                "mini.toml:{}: unknown weekday \"tuesday\" (use mon..sun)",
                pos(&t, "\"tuesday\"")
            ),
            format!(
                "mini.toml:{}: invalid time \"25:00\" (expected HH:MM, 00:00–23:59)",
                pos(&t, "\"25:00\"")
            ),
            format!(
                "mini.toml:{}: unknown agenda \"minutes\" (known: weekly_summary, period_report, none)",
                pos(&t, "\"minutes\"")
            ),
        ],
    );
}

#[test]
fn scheduled_meeting_without_weekday_and_as_needed_with_one() {
    let t = with_meetings(&format!(
        "{}\n[[meetings]]\nid = \"forum\"\nname = \"Forum\"\ncadence = \"as-needed\"\nweekday = \"fri\"\nsource = \"9\"\n",
        STATUS_MEETING.replace("weekday = \"tue\"\n", "")
    ));
    expect(
        &t,
        &[
            format!(
                "mini.toml:{}: meeting \"status\" needs a weekday",
                pos(&t, "\"status\"")
            ),
            format!("mini.toml:{}: an as-needed meeting has no weekday", pos(&t, "\"fri\"")),
        ],
    );
}

#[test]
fn duplicate_meeting_id() {
    let t = with_meetings(&format!(
        "{STATUS_MEETING}\n{}",
        STATUS_MEETING.replace("\"8\"", "\"8.1\"")
    ));
    let second = t.rfind("\"status\"").expect("second id");
    let before = &t[..second];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    expect(
        &t,
        &[format!("mini.toml:{line}:{col}: duplicate meeting id \"status\"")],
    );
}

#[test]
fn shipped_agreements_name_their_meetings() {
    use vakt::domain::meeting::{Agenda, Cadence};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("agreements");
    let cat = load_dir(&dir).expect("agreements");
    let cadence = |a: &str, m: &str| {
        let ag = cat.get(a).unwrap_or_else(|| panic!("agreement {a}"));
        let meeting = ag.meeting(m).unwrap_or_else(|| panic!("{a} meeting {m}"));
        (meeting.cadence, meeting.agenda, meeting.reading.is_some())
    };
    assert_eq!(
        cadence("altinn", "status"),
        (Cadence::Weeks(1), Agenda::WeeklySummary, true)
    );
    assert_eq!(
        cadence("borger-dk", "review"),
        (Cadence::Months(2), Agenda::PeriodReport, true)
    );
    assert_eq!(
        cadence("borger-dk", "operations"),
        (Cadence::Months(3), Agenda::PeriodReport, true)
    );
    // "About" four and two times a year: a reading says how that is scheduled.
    assert_eq!(
        cadence("inera", "operational"),
        (Cadence::Months(3), Agenda::PeriodReport, true)
    );
    assert_eq!(
        cadence("inera", "strategic"),
        (Cadence::Months(6), Agenda::PeriodReport, true)
    );
    assert_eq!(cadence("ssbtek", "extra_hours").0, Cadence::Weeks(1));
    for m in ["brukerrad", "integration_security", "user_support"] {
        assert_eq!(cadence("difi", m).0, Cadence::AsNeeded);
    }
    let altinn = cat.get("altinn").expect("altinn");
    assert_eq!(altinn.points_meeting().map(|m| m.id.as_str()), Some("status"));
    assert_eq!(altinn.reports.monthly_day, Some(15));
    let difi = cat.get("difi").expect("difi");
    assert_eq!(difi.reports.monthly_day, Some(20));
    assert!(difi.reports.annual.is_some());
    assert_eq!(cat.get("ssbtek").expect("ssbtek").reports.monthly_day, Some(10));
}

/// Issue 17: services and dated reports are checked with positions — a service on an
/// unknown schedule, no main service or two, a duplicate id, a maintenance rule whose
/// notice in working days has no schedule, a complement schedule with its own hours or of
/// an unknown schedule, and a report date that does not say whether it is due by or on it.
#[test]
fn services_complements_and_report_dues_are_checked_with_positions() {
    let service = |extra: &str| {
        format!(
            "{BASE}\n[[services]]\nid = \"web\"\nname = \"Web\"\nmain = true\nschedule = \"platform\"\nsource = \"8\"\n{extra}"
        )
    };
    assert_eq!(load(&[("mini.toml", &service(""))]), Ok(1));
    let t = service("").replace(
        "schedule = \"platform\"\nsource = \"8\"",
        "schedule = \"plattform\"\nsource = \"8\"",
    );
    expect(
        &t,
        &[format!(
            "mini.toml:{}: unknown schedule \"plattform\" (known: platform, support)",
            pos(&t, "\"plattform\"")
        )],
    );
    let t = service("").replace("main = true\n", "");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: no main service: mark the one incidents are about when they name none with main = true (services: web)",
            pos(&t, "[[services]]")
        )],
    );
    let t = service(
        "\n[[services]]\nid = \"web\"\nname = \"Again\"\nmain = true\nschedule = \"support\"\nsource = \"8\"\n",
    );
    let second = t.rfind("id = \"web\"").expect("second");
    let (line, _) = vakt::agreements::line_col(&t, second);
    let got = load(&[("mini.toml", &t)]).expect_err("refused");
    assert_eq!(
        got,
        vec![
            format!("mini.toml:{line}:6: duplicate service id \"web\""),
            format!(
                "mini.toml:{}:1: more than one main service: only one may have main = true",
                line - 1
            ),
        ]
    );
    let t = service(
        "\n[[services.maintenance]]\nid = \"w\"\nname = \"Window\"\nnotice = \"5wd\"\nwindow = \"tue 00:30-05:00\"\nsource = \"9\"\n",
    );
    expect(
        &t,
        &[format!(
            "mini.toml:{}: a notice in working days needs notice_schedule",
            pos(&t, "\"5wd\"")
        )],
    );
    // A complement takes no hours of its own, and names a schedule of the file.
    let t = edit(
        "[[priorities]]\nid = \"1\"",
        "[schedules.outside]\ncomplement = \"support\"\nsource = \"2\"\n\n[[priorities]]\nid = \"1\"",
    );
    assert_eq!(load(&[("mini.toml", &t)]), Ok(1));
    let t = edit(
        "[[priorities]]\nid = \"1\"",
        "[schedules.outside]\ncomplement = \"suport\"\nsource = \"2\"\n\n[[priorities]]\nid = \"1\"",
    );
    expect(
        &t,
        &[format!(
            "mini.toml:{}: unknown schedule to complement \"suport\" (known: platform, support)",
            pos(&t, "\"suport\"")
        )],
    );
    // A report date says whether it is due by or on its day; "on" says where a closed day
    // moves it.
    let t = format!("{BASE}\n[reports]\nmonthly_day = 15\n");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: say whether the monthly report is due by its day or on it: monthly_due = \"by\" or \"on\"",
            pos(&t, "15\n")
        )],
    );
    let t = format!("{BASE}\n[reports]\nmonthly_day = 10\nmonthly_due = \"on\"\n");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: a report due on its day says where a closed day moves it: monthly_closed = \"before\" or \"after\"",
            pos(&t, "\"on\"")
        )],
    );
    let t = format!("{BASE}\n[reports]\nmonthly_day = 10\nmonthly_due = \"on\"\nmonthly_closed = \"after\"\n");
    assert_eq!(load(&[("mini.toml", &t)]), Ok(1));
}

/// A follow-up's `lead` must be shorter than its `after` and in its unit; a good one loads.
#[test]
fn follow_up_lead_in_the_unit_of_after_and_shorter() {
    let follow_up = |after: &str, lead: &str| {
        format!(
            "{BASE}\n[[follow_ups]]\nid = \"feedback\"\npriorities = [\"1\"]\nfrom = \"resolved\"\nafter = \"{after}\"\nlead = \"{lead}\"\nschedule = \"platform\"\nwhat = \"Feedback\"\nsource = \"6\"\n"
        )
    };
    assert_eq!(load(&[("mini.toml", &follow_up("1h", "10m"))]), Ok(1));
    assert_eq!(load(&[("mini.toml", &follow_up("14d", "3d"))]), Ok(1));
    for (after, lead) in [("2h", "3h"), ("1h", "2d"), ("14d", "2wd")] {
        let t = follow_up(after, lead);
        let errs = load(&[("mini.toml", &t)]).expect_err("refused");
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].starts_with(&format!("mini.toml:{}:", pos(&t, &format!("\"{lead}\"")))),
            "{errs:?}"
        );
    }
}

/// A case type appended to `BASE` (its `[[case_types]]` tables come last in the file).
fn with_case_type(block: &str) -> String {
    format!("{BASE}\n{block}")
}

#[test]
fn case_types_load_and_their_mistakes_are_pointed_at() {
    let good = r#"
[[case_types]]
id = "order"
name = "Order"
prefix = "MINI-ORD"
warnings = [50, 90]
source = "4.4.1"

[case_types.compliance]
resolution = 90.0
source = "4.4.1"

[[case_types.classes]]
id = "question"
name = "Question"
source = "4.4.1"
response = { none = "N/A", source = "4.4.1" }
resolution = { within = "2wd", schedule = "support", source = "4.4.1" }
"#;
    assert_eq!(load(&[("mini.toml", &with_case_type(good))]), Ok(1));

    // The built-in id is refused first; then a prefix that does not extend the incident
    // prefix, an unknown schedule, a warning out of range and a goal over 100 %: each at its
    // place.
    let broken = good
        .replace("\"MINI-ORD\"", "\"ORD\"")
        .replace("schedule = \"support\"", "schedule = \"suport\"")
        .replace("[50, 90]", "[50, 100]")
        .replace("resolution = 90.0", "resolution = 190.0");
    let t = with_case_type(&broken.replace("id = \"order\"", "id = \"incident\""));
    expect(
        &t,
        &[format!(
            "mini.toml:{}: \"incident\" is the built-in case type (the agreement's own priorities and targets); give another id",
            pos(&t, "\"incident\"")
        )],
    );
    let t = with_case_type(&broken);
    let at = |needle: &str| pos(&t, needle);
    expect(
        &t,
        &[
            format!(
                "mini.toml:{}: case type prefix \"ORD\" must be the incident prefix, `-` and 1–8 upper-case letters or digits (e.g. \"MINI-CR\")",
                at("\"ORD\"")
            ),
            format!(
                "mini.toml:{}: unknown schedule \"suport\" (known: platform, support)",
                at("\"suport\"")
            ),
            format!(
                "mini.toml:{}: a compliance goal is a percentage from 0 to 100",
                at("190.0")
            ),
            format!(
                "mini.toml:{}: a warning is a percentage of the target from 1 to 99",
                at("[50, 100]")
            ),
        ],
    );
    // A type without classes.
    let t =
        with_case_type("[[case_types]]\nid = \"x\"\nname = \"X\"\nprefix = \"MINI-X\"\nsource = \"1\"\nclasses = []\n");
    expect(
        &t,
        &[format!(
            "mini.toml:{}: case type \"x\" has no classes (give one class when the text has none)",
            pos(&t, "[[case_types]]")
        )],
    );
}
