//! Scripted console sessions, one per shipped agreement: `tests/console/<name>.script` is fed
//! to the real binary (`vakt console --script --start …`) on a fresh SQLite database with the
//! default deployment settings, and its output must equal `tests/console/<name>.transcript`.
//!
//! The shipped agreements name their own languages; the English transcripts put everything in
//! English through `vakt.toml`'s top-level `language = "en"` (what `VAKT_LANGUAGE=en` does),
//! and one transcript per language (`*-nb`, `*-da`, `*-sv`) runs in the agreement's own.
//!
//! Regenerate the transcripts with `VAKT_BLESS=1 cargo test --test console`, then read every
//! changed line: each time, deadline, mention and message must follow the agreement.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn case_path(name: &str, ext: &str) -> PathBuf {
    Path::new(ROOT)
        .join("tests")
        .join("console")
        .join(format!("{name}.{ext}"))
}

/// `vakt.toml` of the English transcripts: every post in English, whatever the agreement's
/// language.
const ENGLISH: &str = "language = \"en\"\n";

/// Runs `script` through `vakt console --script` starting at `start` with `config` as
/// `vakt.toml`; returns stdout.
fn run_console(script: &str, start: &str, config: &str) -> String {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}", tmp.path().join("vakt.db").display());
    std::fs::write(tmp.path().join("vakt.toml"), config).expect("write vakt.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_vakt"))
        .current_dir(ROOT)
        .arg("--dir")
        .arg(Path::new(ROOT).join("agreements"))
        .args(["console", "--script", "--start", start])
        .env("VAKT_DATABASE_URL", db)
        .env("VAKT_CONFIG", tmp.path().join("vakt.toml"))
        .env_remove("VAKT_AGREEMENTS")
        .env_remove("VAKT_LANGUAGE")
        .env_remove("DISCORD_TOKEN")
        .env_remove("VAKT_LOG")
        // The console's user is the system user; the transcripts are written as "you".
        .env("USER", "you")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vakt");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = script.to_string();
    let writer = std::thread::spawn(move || {
        // The console may stop reading at /quit; a broken pipe is fine then.
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("wait for vakt");
    writer.join().expect("stdin writer");
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "vakt console exited with {}\nstderr:\n{stderr}\nstdout:\n{stdout}",
        out.status
    );
    assert!(stderr.trim().is_empty(), "vakt console wrote to stderr:\n{stderr}");
    stdout
}

/// A short unified-style diff around the first difference (enough to see what changed).
fn diff(expected: &str, actual: &str) -> Option<String> {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let first = (0..e.len().max(a.len())).find(|&i| e.get(i) != a.get(i))?;
    // Resynchronise: the nearest offsets after which three lines match again.
    let (mut de, mut da) = (e.len() - first.min(e.len()), a.len() - first.min(a.len()));
    'search: for total in 1..=80usize {
        for x in 0..=total {
            let (i, j) = (first + x, first + total - x);
            if i + 3 <= e.len() && j + 3 <= a.len() && e[i..i + 3] == a[j..j + 3] {
                (de, da) = (x, total - x);
                break 'search;
            }
        }
    }
    let ctx = first.saturating_sub(3);
    let mut s = format!(
        "--- expected\n+++ actual\n@@ -{},{} +{},{} @@\n",
        ctx + 1,
        first - ctx + de,
        ctx + 1,
        first - ctx + da
    );
    for l in &e[ctx..first] {
        s += &format!(" {l}\n");
    }
    for l in e.iter().skip(first).take(de.min(40)) {
        s += &format!("-{l}\n");
    }
    for l in a.iter().skip(first).take(da.min(40)) {
        s += &format!("+{l}\n");
    }
    if de > 40 || da > 40 {
        s += "… (hunk cut)\n";
    }
    Some(s)
}

fn check(name: &str, start: &str) {
    check_with(name, start, ENGLISH);
}

/// [`check`] with `config` as `vakt.toml`.
fn check_with(name: &str, start: &str, config: &str) {
    let script_path = case_path(name, "script");
    let transcript_path = case_path(name, "transcript");
    let script = std::fs::read_to_string(&script_path).unwrap_or_else(|e| panic!("{}: {e}", script_path.display()));
    let actual = run_console(&script, start, config);
    if std::env::var_os("VAKT_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&transcript_path, &actual).unwrap_or_else(|e| panic!("{}: {e}", transcript_path.display()));
        eprintln!("blessed {}", transcript_path.display());
        return;
    }
    let expected = std::fs::read_to_string(&transcript_path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with VAKT_BLESS=1 to write it)", transcript_path.display()));
    if let Some(d) = diff(&expected, &actual) {
        panic!(
            "{name}: the console output differs from {}\n{d}\n(if the change is right: VAKT_BLESS=1 cargo test --test console)",
            transcript_path.display()
        );
    }
    assert_eq!(expected, actual, "{name}: output differs only in line endings");
}

#[test]
fn altinn_a_with_hourly_status_and_feedback_then_b_in_summer_hours() {
    check("altinn", "2026-06-10T13:00+02:00");
}

#[test]
fn case_types_opened_acknowledged_and_resolved_with_the_incident_commands() {
    check("cases", "2026-12-23T10:00+01:00");
}

#[test]
fn borger_dk_p1_friday_evening_status_windows_over_the_weekend() {
    check("borger-dk", "2026-11-20T21:30+01:00");
}

#[test]
fn inera_p1_saturday_night_around_the_clock_with_eta() {
    check("inera", "2026-11-21T03:00+01:00");
}

#[test]
fn inera_2_acknowledged_late_then_raised_to_1() {
    check("inera-raise", "2026-11-24T09:00+01:00");
}

#[test]
fn ssbtek_critical_period_friday_afternoon_across_the_weekend() {
    check("ssbtek", "2026-11-20T16:30+01:00");
}

#[test]
fn difi_no_targets_a_and_c() {
    check("difi", "2026-11-23T10:00+01:00");
}

#[test]
fn console_words_roles_times_and_durations() {
    check("tools", "2026-11-21T03:00+01:00");
}

#[test]
fn reclassify_keeps_unnamed_facts_and_descriptions_services_and_hours_are_shown() {
    check("facts", "2026-11-23T09:00+01:00");
}

/// Altinn's own language, Norwegian: an A opened, acknowledged, updated, its hourly status,
/// a B's warnings and breach on the fake clock, resolved.
#[test]
fn altinn_in_norwegian() {
    check_with("altinn-nb", "2026-11-18T13:00+01:00", "");
}

/// Borger.dk's own language, Danish.
#[test]
fn borger_dk_in_danish() {
    check_with("borger-dk-da", "2026-11-18T09:00+01:00", "");
}

/// Inera's own language, Swedish.
#[test]
fn inera_in_swedish() {
    check_with("inera-sv", "2026-11-18T09:00+01:00", "");
}

/// `[agreements.ID] language` overrides the agreement's language for that agreement only:
/// Altinn's posts in English, Borger.dk's still Danish.
#[test]
fn an_agreement_s_language_is_overridden_in_vakt_toml() {
    let script = "/incident open agreement:altinn impact:degraded title:\"Treg innlogging\"\n\
                  /incident open agreement:borger-dk impact:unavailable title:\"Login nede\"\n";
    let out = run_console(
        script,
        "2026-11-18T09:00+01:00",
        "[agreements.altinn]\nlanguage = \"en\"\n",
    );
    let altinn = out
        .lines()
        .find(|l| l.contains("ALT-2026-0001") && l.contains("🆕"))
        .expect("altinn opened");
    let borger = out
        .lines()
        .find(|l| l.contains("BDK-2026-0001") && l.contains("🆕"))
        .expect("borger.dk opened");
    assert!(altinn.contains("opened by"), "{altinn}");
    assert!(borger.contains("oprettet af"), "{borger}");
    let norwegian = run_console(script, "2026-11-18T09:00+01:00", "");
    assert!(norwegian.contains("registrert av"), "{norwegian}");
}

#[test]
fn diff_points_at_the_first_difference() {
    assert_eq!(diff("a\nb\n", "a\nb\n"), None);
    let d = diff("1\n2\n3\nx\n4\n5\n6\n", "1\n2\n3\ny\nz\n4\n5\n6\n").expect("differs");
    assert!(d.contains("-x\n+y\n+z\n"), "{d}");
    assert!(d.contains("@@ -1,4 +1,5 @@"), "{d}");
    let d = diff("a\n", "a\nb\n").expect("differs");
    assert!(d.contains("+b"), "{d}");
}

/// Runs `vakt console --script --start START` on the database `db` with `input`; returns
/// (success, stdout, stderr).
fn run_on(db: &Path, start: &str, input: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vakt"))
        .current_dir(ROOT)
        .arg("--dir")
        .arg(Path::new(ROOT).join("agreements"))
        .args(["console", "--script", "--start", start])
        .env("VAKT_DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("VAKT_CONFIG", db.with_file_name("vakt.toml"))
        .env("USER", "you")
        .env_remove("VAKT_AGREEMENTS")
        .env_remove("DISCORD_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vakt");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("wait for vakt");
    writer.join().expect("stdin writer");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_start_before_the_stored_data_is_refused_and_pings_are_shown_neutralised() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("vakt.db");
    let (ok, out, err) = run_on(
        &db,
        "2026-11-23T10:00+01:00",
        "/incident open agreement:ssbtek impact:3 title:\"@everyone look <@123> \\\"now\\\"\"\n/clock advance 1h\n",
    );
    assert!(ok, "{err}");
    // What vakt printed (not the echo of the typed line).
    let printed: String = out
        .lines()
        .filter(|l| !l.contains("you> "))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        !printed.contains("@everyone"),
        "a ping in a title is neutralised:\n{printed}"
    );
    assert!(
        !printed.contains("<@123>"),
        "a user mention in a title is neutralised:\n{printed}"
    );
    assert!(
        printed.contains("\"now\""),
        "escaped quotes in a value work:\n{printed}"
    );
    let (ok, _, err) = run_on(&db, "2026-11-20T10:00+01:00", "");
    assert!(!ok, "an earlier start is refused");
    assert!(err.contains("before data already stored"), "{err}");
    let (ok, _, err) = run_on(&db, "2026-11-24T10:00+01:00", "");
    assert!(ok, "a later start is fine: {err}");
}

#[test]
fn agreements_check_against_a_database_warns_before_a_removal_is_deployed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("vakt.db");
    let (ok, _, err) = run_on(
        &db,
        "2026-11-23T10:00+01:00",
        "/incident open agreement:altinn impact:unavailable title:\"Portal down\"\n",
    );
    assert!(ok, "{err}");
    // The same agreements without altinn.toml.
    let dir = tmp.path().join("agreements");
    std::fs::create_dir(&dir).expect("dir");
    for e in std::fs::read_dir(Path::new(ROOT).join("agreements")).expect("agreements") {
        let e = e.expect("entry");
        if e.path().is_file() && e.file_name() != "altinn.toml" {
            std::fs::copy(e.path(), dir.join(e.file_name())).expect("copy");
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_vakt"))
        .args(["agreements", "check"])
        .arg(&dir)
        .arg("--against")
        .arg(format!("sqlite://{}", db.display()))
        .output()
        .expect("run vakt");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("ALT-2026-0001: its agreement \"altinn\" is not among these files"),
        "{stderr}"
    );
}

/// Issue 16, item 14: a right-to-left override in a note is refused (naming its code point)
/// and not echoed raw; `/as` refuses a name with an ESC sequence, and nothing the console
/// writes — the echo of the typed line, an error quoting it — carries ESC or a bidirectional
/// control to the terminal.
#[test]
fn invisible_characters_are_refused_and_nothing_raw_reaches_the_terminal() {
    let script = "/incident open agreement:inera impact:unusable title:\"Login down\"\n\
                  /incident update INE-2026-0001 note:\"invoice\u{202e}fdp.exe\"\n\
                  /incident update INE-2026-0001 note:\"zero\u{200b}width\"\n\
                  /as \"eve\u{1b}[2J\u{1b}]0;owned\u{7}\" roles:responder\n\
                  /as eve roles:\"responder\u{1b}[31m\"\n\
                  /nosuch\u{1b}[31m\n\
                  /incident timeline INE-2026-0001\n";
    let out = run_console(script, "2026-11-23T09:00+01:00", ENGLISH);
    for raw in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!out.contains(raw), "{raw:?} written raw:\n{out}");
    }
    assert!(out.contains("U+202E"), "the refusal names the override:\n{out}");
    assert!(out.contains("U+200B"), "the refusal names the zero-width space:\n{out}");
    // Neither /as took effect: no prompt is eve's.
    assert!(!out.contains("eve>"), "who is still the first user:\n{out}");
    // Both notes were refused: past the echoed command lines, neither appears (in the
    // timeline, say).
    let said: Vec<&str> = out.lines().filter(|l| !l.starts_with('[')).collect();
    assert!(
        said.iter()
            .all(|l| !l.contains("fdp.exe") && !l.contains("zero\u{200b}width")),
        "{out}"
    );
}

/// Issue 17: maintenance windows announced, refused with the rule and clause, recorded by a
/// manager with a reason, listed, cancelled, and reminded of.
#[test]
fn maintenance_windows_checked_listed_cancelled_and_reminded() {
    check("maintenance", "2026-12-15T01:00+01:00");
}
