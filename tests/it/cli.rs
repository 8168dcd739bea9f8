//! Command-line checks: exit codes and the JSON shapes of `vakt`.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const AGREEMENTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/agreements");

fn vakt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vakt"))
        .arg("--dir")
        .arg(AGREEMENTS)
        .args(args)
        .env_remove("VAKT_AGREEMENTS")
        .output()
        .expect("run vakt")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok_json(args: &[&str]) -> Value {
    let o = vakt(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    serde_json::from_str(stdout(&o).trim()).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", stdout(&o)))
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect();
    k.sort();
    k
}

#[test]
fn agreements_check_lists_five_ids() {
    let o = vakt(&["agreements", "check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let ids: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap_or("")).collect();
    assert_eq!(ids, ["altinn", "borger-dk", "difi", "inera", "ssbtek"]);
}

#[test]
fn agreements_check_json_lists_five_ids() {
    let v = ok_json(&["--json", "agreements", "check"]);
    assert_eq!(v["ok"], true);
    let ids: Vec<&str> = v["agreements"]
        .as_array()
        .expect("agreements array")
        .iter()
        .map(|a| a["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["altinn", "borger-dk", "difi", "inera", "ssbtek"]);
}

#[test]
fn classify_json_has_documented_keys() {
    let v = ok_json(&[
        "classify",
        "ssbtek",
        "--at",
        "2026-11-20T16:30+01:00",
        "--impact",
        "1",
        "--json",
    ]);
    for k in [
        "priority",
        "priority_name",
        "timing",
        "reasons",
        "clock_start",
        "response_deadline",
        "resolution_deadline",
    ] {
        assert!(v.get(k).is_some(), "classify --json lacks \"{k}\": {v}");
    }
    assert_eq!(v["priority"], "1");
    assert_eq!(v["priority_name"], "Kritisk");
    assert_eq!(v["timing"]["id"], "1");
    assert!(!v["reasons"].as_array().expect("reasons").is_empty());
    assert_eq!(v["clock_start"], "2026-11-20T16:30:00+01:00");
    assert_eq!(v["response_deadline"], "2026-11-20T17:00:00+01:00");
    assert_eq!(v["resolution_deadline"], "2026-11-23T15:30:00+01:00");
}

#[test]
fn classify_json_without_targets_gives_nulls() {
    let v = ok_json(&[
        "classify",
        "difi",
        "--at",
        "2026-12-24T13:00+01:00",
        "--impact",
        "unavailable",
        "--json",
    ]);
    assert_eq!(v["priority"], "A");
    assert!(v["timing"].is_null());
    assert!(v["response_deadline"].is_null());
    assert!(v["resolution_deadline"].is_null());
}

#[test]
fn clock_add_json_shape() {
    let v = ok_json(&[
        "--json",
        "clock",
        "add",
        "altinn",
        "--schedule",
        "platform",
        "--at",
        "2026-03-28T23:00+01:00",
        "--duration",
        "5h",
    ]);
    assert_eq!(keys(&v), ["clock_start", "deadline"]);
    assert_eq!(v["clock_start"], "2026-03-28T23:00:00+01:00");
    assert_eq!(v["deadline"], "2026-03-29T05:00:00+02:00");
}

#[test]
fn clock_between_json_shape() {
    let v = ok_json(&[
        "--json",
        "clock",
        "between",
        "difi",
        "--schedule",
        "user_support",
        "--from",
        "2026-12-28T00:00+01:00",
        "--to",
        "2027-01-01T00:00+01:00",
    ]);
    assert_eq!(keys(&v), ["seconds"]);
    assert_eq!(v["seconds"], 22 * 3600);
}

#[test]
fn calendar_json_shape() {
    let v = ok_json(&[
        "--json",
        "calendar",
        "difi",
        "--schedule",
        "user_support",
        "--from",
        "2026-12-23",
        "--to",
        "2026-12-25",
    ]);
    assert_eq!(keys(&v), ["days"]);
    let days = v["days"].as_array().expect("days array");
    assert_eq!(days.len(), 3);
    for d in days {
        assert_eq!(keys(d), ["closed", "date", "open"]);
    }
    assert_eq!(days[0]["date"], "2026-12-23");
    assert_eq!(days[0]["open"], serde_json::json!([["08:00", "15:30"]]));
    assert!(days[0]["closed"].is_null());
    assert_eq!(days[1]["open"], serde_json::json!([["08:00", "12:00"]]));
    assert_eq!(days[2]["open"], serde_json::json!([]));
    assert!(days[2]["closed"].is_string());
}

#[test]
fn unknown_agreement_exits_2() {
    let o = vakt(&["classify", "nosuch", "--at", "2026-11-20T16:30+01:00", "--impact", "1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("nosuch"), "{}", stderr(&o));
}

/// Whether `s` contains `NAME.toml:LINE:COL`.
fn has_file_line_col(s: &str, name: &str) -> bool {
    let pat = format!("{name}:");
    s.match_indices(&pat).any(|(i, _)| {
        let rest = &s[i + pat.len()..];
        let mut parts = rest.splitn(3, ':');
        let line = parts.next().unwrap_or("");
        let col = parts.next().unwrap_or("");
        !line.is_empty()
            && line.chars().all(|c| c.is_ascii_digit())
            && !col.is_empty()
            && col.chars().all(|c| c.is_ascii_digit())
    })
}

#[test]
fn broken_agreement_dir_exits_1_with_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("broken.toml"),
        "id = \"broken\"\nname = \"Broken\"\ntimezone = \n",
    )
    .expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_vakt"))
        .arg("--dir")
        .arg(dir.path())
        .args(["agreements", "check"])
        .env_remove("VAKT_AGREEMENTS")
        .output()
        .expect("run vakt");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        has_file_line_col(&stderr(&o), "broken.toml"),
        "stderr lacks broken.toml:LINE:COL: {}",
        stderr(&o)
    );
}

#[test]
fn batch_answers_each_line_in_order() {
    let input = concat!(
        r#"{"op":"classify","agreement":"ssbtek","at":"2026-11-20T16:30+01:00","impact":"1"}"#,
        "\n",
        r#"{"op":"add","agreement":"altinn","schedule":"platform","at":"2026-03-28T23:00+01:00","duration":"5h"}"#,
        "\n",
        "this is not json\n",
        r#"{"op":"between","agreement":"difi","schedule":"user_support","from":"2026-12-28T00:00+01:00","to":"2027-01-01T00:00+01:00"}"#,
        "\n",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_vakt"))
        .arg("--dir")
        .arg(AGREEMENTS)
        .arg("--batch")
        .env_remove("VAKT_AGREEMENTS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vakt");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert_eq!(lines.len(), 4, "{}", stdout(&o));
    assert_eq!(lines[0]["priority"], "1");
    assert_eq!(lines[0]["response_deadline"], "2026-11-20T17:00:00+01:00");
    assert_eq!(lines[1]["deadline"], "2026-03-29T05:00:00+02:00");
    assert_eq!(keys(&lines[2]), ["error"]);
    assert!(lines[2]["error"].is_string());
    assert_eq!(lines[3]["seconds"], 22 * 3600);
}

#[test]
fn local_times_follow_the_dst_rule() {
    // In the autumn fold a local time means the earlier instant (CEST) …
    let v = ok_json(&[
        "--json",
        "classify",
        "inera",
        "--at",
        "2026-10-25T02:30",
        "--impact",
        "unusable",
    ]);
    assert_eq!(v["reported_at"], "2026-10-25T02:30:00+02:00");
    assert_eq!(v["response_deadline"], "2026-10-25T02:00:00+01:00");
    // … and in the spring gap the first instant after the gap (03:00 CEST).
    let v = ok_json(&[
        "--json",
        "classify",
        "inera",
        "--at",
        "2026-03-29T02:30",
        "--impact",
        "unusable",
    ]);
    assert_eq!(v["reported_at"], "2026-03-29T03:00:00+02:00");
    assert_eq!(v["response_deadline"], "2026-03-29T03:30:00+02:00");
}

/// Runs `vakt` with `args` (after `--dir AGREEMENTS`) in `cwd`, feeding `stdin`, on a
/// throw-away database, with no VAKT_CONFIG.
fn vakt_in(cwd: &std::path::Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vakt"))
        .current_dir(cwd)
        .arg("--dir")
        .arg(AGREEMENTS)
        .args(args)
        .env_remove("VAKT_AGREEMENTS")
        .env_remove("VAKT_CONFIG")
        .env_remove("DISCORD_TOKEN")
        .env_remove("VAKT_LOG")
        .env(
            "VAKT_DATABASE_URL",
            format!("sqlite://{}", cwd.join("vakt.db").display()),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vakt");
    let mut input = child.stdin.take().expect("stdin");
    let bytes = stdin.to_vec();
    // The console may stop reading at /quit; a broken pipe is fine then.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let o = child.wait_with_output().expect("wait");
    writer.join().expect("stdin writer");
    o
}

#[test]
fn explicit_config_that_does_not_exist_exits_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let missing = tmp.path().join("nope.toml");
    let missing_s = missing.display().to_string();
    for args in [
        vec!["--config", missing_s.as_str()],
        vec!["console", "--script", "--config", missing_s.as_str()],
        vec!["--config", missing_s.as_str(), "console", "--script"],
    ] {
        let o = vakt_in(tmp.path(), &args, b"/quit\n");
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(&missing_s), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("no such file"), "{args:?}: {}", stderr(&o));
    }
    // --config is the console's: with another command it is bad usage.
    let o = vakt_in(tmp.path(), &["--config", "vakt.toml", "agreements", "check"], b"");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!tmp.path().join("vakt.db").exists(), "no database for a refused start");
}

#[test]
fn default_config_may_be_missing() {
    // No vakt.toml in the working directory and no VAKT_CONFIG: the defaults apply.
    let tmp = tempfile::tempdir().expect("tempdir");
    let o = vakt_in(
        tmp.path(),
        &["console", "--script", "--start", "2026-11-20T10:00+01:00"],
        b"/quit\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Likewise a VAKT_CONFIG that names a missing file (only --config must exist).
    let o = Command::new(env!("CARGO_BIN_EXE_vakt"))
        .current_dir(tmp.path())
        .arg("--dir")
        .arg(AGREEMENTS)
        .args(["console", "--script", "--start", "2026-11-20T10:00+01:00"])
        .env("VAKT_CONFIG", tmp.path().join("missing.toml"))
        .env(
            "VAKT_DATABASE_URL",
            format!("sqlite://{}", tmp.path().join("vakt.db").display()),
        )
        .env_remove("VAKT_AGREEMENTS")
        .env_remove("DISCORD_TOKEN")
        .stdin(Stdio::null())
        .output()
        .expect("run vakt");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn config_with_empty_channels_or_role_lists_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (text, want) in [
        (
            "[agreements.ssbtek.channels]\nstatus = \"\"\n",
            "vakt.toml: agreements.ssbtek.channels.status: the channel name is empty",
        ),
        (
            "[agreements.difi.channels]\nincidents = \"  \"\n",
            "vakt.toml: agreements.difi.channels.incidents: the channel name is empty",
        ),
        (
            "[defaults]\nresponders = []\n",
            "vakt.toml: defaults.responders: the list is empty",
        ),
        (
            "[agreements.inera]\nmanagers = []\n",
            "vakt.toml: agreements.inera.managers: the list is empty",
        ),
        (
            "[agreements.inera]\nresponders = [\"ops\", \"\"]\n",
            "vakt.toml: agreements.inera.responders: a chat role name is empty",
        ),
        (
            "[agreements.ssbtek.roles]\ndriftsrad = \"user:\"\n",
            "vakt.toml: agreements.ssbtek.roles.driftsrad: \"user:\" names no chat role or user",
        ),
    ] {
        std::fs::write(tmp.path().join("vakt.toml"), text).expect("write");
        let o = vakt_in(
            tmp.path(),
            &["console", "--script", "--config", "vakt.toml"],
            b"/quit\n",
        );
        assert_eq!(o.status.code(), Some(1), "{text}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{text}: {}", stderr(&o));
    }
}

#[test]
fn batch_survives_a_line_of_invalid_utf8() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut input = Vec::new();
    input.extend_from_slice(br#"{"op":"classify","agreement":"ssbtek","at":"2026-11-20T16:30+01:00","impact":"1"}"#);
    input.extend_from_slice(b"\n{\"op\":\"add\",\"agreement\":\"\xff\xfe\"}\n");
    input.extend_from_slice(br#"{"op":"between","agreement":"difi","schedule":"user_support","from":"2026-12-28T00:00+01:00","to":"2027-01-01T00:00+01:00"}"#);
    input.extend_from_slice(b"\n");
    let o = vakt_in(tmp.path(), &["--batch"], &input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert_eq!(lines.len(), 3, "{}", stdout(&o));
    assert_eq!(lines[0]["priority"], "1");
    assert_eq!(keys(&lines[1]), ["error"]);
    assert!(
        lines[1]["error"]
            .as_str()
            .is_some_and(|e| e.contains("not valid UTF-8")),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2]["seconds"], 22 * 3600);
}

#[test]
fn the_supported_years_are_inclusive_and_outside_is_usage() {
    // The last supported day, as a bare date (local midnight) and as a time.
    let v = ok_json(&["--json", "classify", "ssbtek", "--at", "2200-12-31", "--impact", "1"]);
    assert_eq!(v["clock_start"], "2200-12-31T08:00:00+01:00");
    assert_eq!(v["resolution_deadline"], "2200-12-31T16:00:00+01:00");
    let v = ok_json(&[
        "--json",
        "clock",
        "add",
        "altinn",
        "--schedule",
        "platform",
        "--at",
        "2200-12-31T22:00",
        "--duration",
        "1h",
    ]);
    assert_eq!(v["deadline"], "2200-12-31T23:00:00+01:00");
    // The first supported day (its local midnight is still 1899 in UTC).
    let v = ok_json(&[
        "--json",
        "clock",
        "add",
        "altinn",
        "--schedule",
        "platform",
        "--at",
        "1900-01-01T00:30+01:00",
        "--duration",
        "1h",
    ]);
    assert_eq!(v["deadline"], "1900-01-01T01:30:00+01:00");
    let v = ok_json(&[
        "--json",
        "calendar",
        "difi",
        "--schedule",
        "user_support",
        "--from",
        "2200-12-31",
        "--to",
        "2200-12-31",
    ]);
    assert_eq!(v["days"][0]["open"], serde_json::json!([["08:00", "12:00"]]));
    // Outside: bad usage, naming the range.
    for args in [
        &["classify", "ssbtek", "--at", "2201-01-01T10:00", "--impact", "1"][..],
        &["classify", "ssbtek", "--at", "1899-12-31T23:59+01:00", "--impact", "1"][..],
        &[
            "clock",
            "add",
            "altinn",
            "--schedule",
            "platform",
            "--at",
            "2201-01-01",
            "--duration",
            "1h",
        ][..],
        &[
            "calendar",
            "difi",
            "--schedule",
            "user_support",
            "--from",
            "2200-12-31",
            "--to",
            "2201-01-01",
        ][..],
        // A result past the end of 2200 is refused the same way.
        &[
            "clock",
            "add",
            "altinn",
            "--schedule",
            "platform",
            "--at",
            "2200-12-31T23:30",
            "--duration",
            "1h",
        ][..],
    ] {
        let o = vakt(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("supported years 1900–2200"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn clock_between_from_after_to_exits_2() {
    let args = [
        "clock",
        "between",
        "difi",
        "--schedule",
        "user_support",
        "--from",
        "2027-01-01T00:00+01:00",
        "--to",
        "2026-12-28T00:00+01:00",
    ];
    let o = vakt(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is after"), "{}", stderr(&o));
    // Equal instants are zero.
    let v = ok_json(&[
        "--json",
        "clock",
        "between",
        "difi",
        "--schedule",
        "user_support",
        "--from",
        "2026-12-28T10:00+01:00",
        "--to",
        "2026-12-28T10:00+01:00",
    ]);
    assert_eq!(v["seconds"], 0);
}

#[test]
fn classify_refuses_facts_the_agreement_does_not_read() {
    let o = vakt(&[
        "classify",
        "ssbtek",
        "--at",
        "2026-11-20T16:30+01:00",
        "--impact",
        "1",
        "--security",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("this agreement does not use \"security\" for classification (agreement ssbtek)"),
        "{}",
        stderr(&o)
    );
    // Difi reads the flag: significantly weakened security is always A (1.4.4).
    let v = ok_json(&[
        "--json",
        "classify",
        "difi",
        "--at",
        "2026-11-20T10:00+01:00",
        "--impact",
        "minor",
        "--security",
    ]);
    assert_eq!(v["priority"], "A");
}

/// Runs `vakt --dir DIR args…`.
fn vakt_dir(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vakt"))
        .arg("--dir")
        .arg(dir)
        .args(args)
        .env_remove("VAKT_AGREEMENTS")
        .output()
        .expect("run vakt")
}

#[test]
fn shipped_agreements_check_clean() {
    // A fact an agreement does not read (SSBTEK has no security flag) is its choice, not a
    // warning: the shipped, valid files check without one, as text and as JSON.
    let o = vakt(&["agreements", "check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let o = vakt(&["--json", "agreements", "check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).is_empty(),
        "with --json nothing goes to stderr: {}",
        stderr(&o)
    );
    let v: Value = serde_json::from_str(stdout(&o).trim()).expect("JSON");
    assert_eq!(v["warnings"], serde_json::json!([]), "{v}");
}

#[test]
fn agreements_check_failures() {
    // An empty directory is an error.
    let dir = tempfile::tempdir().expect("tempdir");
    let o = vakt_dir(dir.path(), &["agreements", "check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("no agreement files"), "{}", stderr(&o));
    // With --json the failure is a JSON object on stdout.
    let o = vakt_dir(dir.path(), &["--json", "agreements", "check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&o)));
    assert_eq!(v["ok"], false);
    assert_eq!(
        v["errors"][0]["message"],
        "no agreement files (*.toml) in this directory"
    );
    assert!(v["errors"][0]["line"].is_null());
    // An id that differs from the file name, with its position, as text and as JSON.
    let text = std::fs::read_to_string(format!("{AGREEMENTS}/ssbtek.toml"))
        .expect("ssbtek.toml")
        .replacen("id = \"ssbtek\"", "id = \"ssb\"", 1);
    std::fs::write(dir.path().join("ssbtek.toml"), &text).expect("write");
    let line = text.lines().position(|l| l == "id = \"ssb\"").expect("the id line") + 1;
    let o = vakt_dir(dir.path(), &["agreements", "check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "ssbtek.toml:{line}:6: agreement id \"ssb\" does not match the file name ssbtek.toml"
        )),
        "{}",
        stderr(&o)
    );
    let o = vakt_dir(dir.path(), &["--json", "agreements", "check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&o)));
    assert_eq!(v["ok"], false);
    let e = &v["errors"][0];
    assert!(e["file"].as_str().is_some_and(|f| f.ends_with("ssbtek.toml")), "{e}");
    assert_eq!((e["line"].as_u64(), e["column"].as_u64()), (Some(line as u64), Some(6)));
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("does not match the file name"))
    );
    // Other commands' failures with --json are JSON too.
    let o = vakt(&[
        "--json",
        "classify",
        "nosuch",
        "--at",
        "2026-11-20T16:30+01:00",
        "--impact",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&o)));
    assert_eq!(v["ok"], false);
    assert!(v["error"].as_str().is_some_and(|e| e.contains("nosuch")), "{v}");
}

/// Runs `vakt` in `cwd` with exactly these environment variables set (besides PATH-like
/// basics): no VAKT_* or DISCORD_TOKEN from the caller.
fn vakt_env(cwd: &std::path::Path, args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vakt"));
    cmd.current_dir(cwd).arg("--dir").arg(AGREEMENTS).args(args);
    for k in [
        "VAKT_AGREEMENTS",
        "VAKT_CONFIG",
        "VAKT_DATABASE_URL",
        "DISCORD_TOKEN",
        "VAKT_LOG",
    ] {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vakt");
    let mut input = child.stdin.take().expect("stdin");
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let o = child.wait_with_output().expect("wait");
    writer.join().expect("stdin writer");
    o
}

/// A database with one Inera incident reported at `start`, made by the console.
fn database_with_an_incident(dir: &std::path::Path, start: &str) -> String {
    let url = format!("sqlite://{}", dir.join("vakt.db").display());
    let o = vakt_env(
        dir,
        &["console", "--script", "--start", start],
        &[("VAKT_DATABASE_URL", &url), ("VAKT_CONFIG", "missing.toml")],
        b"/incident open agreement:inera impact:unusable title:\"Down\"\n/quit\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    url
}

#[test]
fn report_json_flag_gives_json_and_conflicts_with_another_format() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let url = database_with_an_incident(tmp.path(), "2026-11-21T03:00+01:00");
    let args = [
        "report",
        "weekly",
        "--agreement",
        "inera",
        "--week",
        "2026-W47",
        "--database",
        &url,
    ];
    let o = vakt_env(tmp.path(), &[&["--json"], &args[..]].concat(), &[], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&o)));
    assert!(v.is_object(), "{v}");
    // --json after the sub-command too.
    let o = vakt_env(tmp.path(), &[&args[..], &["--json"]].concat(), &[], b"");
    assert!(
        serde_json::from_str::<Value>(stdout(&o).trim()).is_ok(),
        "{}",
        stdout(&o)
    );
    let o = vakt_env(
        tmp.path(),
        &[&args[..], &["--json", "--format", "csv"]].concat(),
        &[],
        b"",
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // The bot has no JSON output: --json is refused, not ignored.
    let o = vakt_env(
        tmp.path(),
        &["--json", "console", "--script"],
        &[("VAKT_DATABASE_URL", &url)],
        b"/quit\n",
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--json"), "{}", stderr(&o));
}

#[test]
fn read_only_commands_refuse_a_database_that_does_not_exist() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let missing = tmp.path().join("mistyped.db");
    let url = format!("sqlite://{}", missing.display());
    let week = ["report", "weekly", "--agreement", "inera", "--week", "2026-W47"];
    for (args, env) in [
        ([&week[..], &["--database", &url]].concat(), vec![]),
        (week.to_vec(), vec![("VAKT_DATABASE_URL", url.as_str())]),
        (vec!["agreements", "check", "--against", &url], vec![]),
    ] {
        let o = vakt_env(tmp.path(), &args, &env, b"");
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&missing.display().to_string()),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("does not exist"), "{args:?}: {}", stderr(&o));
        assert!(!missing.exists(), "{args:?} created the database");
    }
    // A plain `vakt report` in a directory without vakt.db does not create ./vakt.db.
    let o = vakt_env(tmp.path(), &week, &[], b"");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!tmp.path().join("vakt.db").exists(), "created ./vakt.db");
}

#[test]
fn config_is_accepted_after_the_sub_command() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let url = database_with_an_incident(tmp.path(), "2026-11-21T03:00+01:00");
    std::fs::write(tmp.path().join("x.toml"), format!("database_url = \"{url}\"\n")).expect("write");
    let o = vakt_env(
        tmp.path(),
        &[
            "report",
            "weekly",
            "--agreement",
            "inera",
            "--week",
            "2026-W47",
            "--config",
            "x.toml",
        ],
        &[],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("INE-2026-0001"), "{}", stdout(&o));
}

#[test]
fn a_period_that_has_not_begun_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let url = database_with_an_incident(tmp.path(), "2026-11-21T03:00+01:00");
    for args in [
        vec!["report", "monthly", "--agreement", "inera", "--month", "2199-01"],
        vec!["report", "weekly", "--agreement", "inera", "--week", "2199-W02"],
        vec!["report", "annual", "--agreement", "inera", "--year", "2199"],
    ] {
        let o = vakt_env(tmp.path(), &[&args[..], &["--database", &url]].concat(), &[], b"");
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("has not begun"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_broken_pipe_exits_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vakt"))
        .arg("--dir")
        .arg(AGREEMENTS)
        .args([
            "calendar",
            "difi",
            "--schedule",
            "user_support",
            "--from",
            "2020-01-01",
            "--to",
            "2029-12-31",
        ])
        .env_remove("VAKT_AGREEMENTS")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vakt");
    // The reader goes away at once (as `| head -1` does after its line).
    drop(child.stdout.take());
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn a_missing_database_directory_is_named() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("no-such-dir");
    let url = format!("sqlite://{}", dir.join("vakt.db").display());
    let o = vakt_env(
        tmp.path(),
        &["console", "--script", "--start", "2026-11-21T03:00+01:00"],
        &[("VAKT_DATABASE_URL", &url)],
        b"/quit\n",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&dir.display().to_string()) && err.contains("does not exist"),
        "{err}"
    );
    assert!(!err.contains("code: 14"), "{err}");
}

#[test]
fn the_console_refuses_to_start_before_stored_data_without_start() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // Data from 2199: later than now.
    let url = database_with_an_incident(tmp.path(), "2199-01-05T10:00+01:00");
    let o = vakt_env(
        tmp.path(),
        &["console", "--script"],
        &[("VAKT_DATABASE_URL", &url)],
        b"/quit\n",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("no --start given") && err.contains("2199"), "{err}");
    assert!(err.contains("hint:") && err.contains("VAKT_DATABASE_URL"), "{err}");
}

#[test]
fn the_console_user_is_the_system_user() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", tmp.path().join("vakt.db").display());
    let script = b"/incident open agreement:inera impact:unusable title:\"Down\"\n/quit\n";
    let start = ["console", "--script", "--start", "2026-11-21T03:00+01:00"];
    let o = vakt_env(
        tmp.path(),
        &start,
        &[("VAKT_DATABASE_URL", &url), ("USER", "kari")],
        script,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("kari> /incident open"), "{}", stdout(&o));
    assert!(
        !stdout(&o).contains("you>") && !stdout(&o).contains("@you"),
        "{}",
        stdout(&o)
    );
    // Without a usable system user: a fixed name.
    let url = format!("sqlite://{}", tmp.path().join("other.db").display());
    let o = vakt_env(
        tmp.path(),
        &start,
        &[("VAKT_DATABASE_URL", &url), ("USER", ""), ("USERNAME", "")],
        script,
    );
    assert!(stdout(&o).contains("operator> /incident open"), "{}", stdout(&o));
}

#[test]
fn sped_up_clock_advances_are_not_downtime() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", tmp.path().join("vakt.db").display());
    // Inera P1 at 03:00 on a Saturday: resolution due 07:00, then the ladder climbs.
    let o = vakt_env(
        tmp.path(),
        &[
            "console",
            "--script",
            "--speed",
            "600",
            "--start",
            "2026-11-21T03:00+01:00",
        ],
        // Inera writes Swedish; the assertions read English, as VAKT_LANGUAGE puts every post.
        &[("VAKT_DATABASE_URL", &url), ("VAKT_LANGUAGE", "en")],
        b"/incident open agreement:inera impact:unusable title:\"Down\"\n/clock advance 6h\n/quit\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("while vakt was down"), "{out}");
    assert!(out.contains("escalated to level 2"), "{out}");
}

/// SSBTEK's meeting reminders a console script posts, run from Monday 23 November 09:00.
fn ssbtek_reminders(script: &[u8]) -> usize {
    let tmp = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", tmp.path().join("vakt.db").display());
    let o = vakt_env(
        tmp.path(),
        &["console", "--script", "--start", "2026-11-23T09:00+01:00"],
        &[("VAKT_DATABASE_URL", &url)],
        script,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ssbtek = crate::common::catalog().get("ssbtek").cloned().expect("ssbtek");
    let meeting = &ssbtek
        .meetings
        .iter()
        .find(|m| m.id == "extra_hours")
        .expect("meeting")
        .name;
    stdout(&o)
        .lines()
        .filter(|l| l.contains("#ssbtek-summary") && l.contains(meeting.as_str()))
        .count()
}

/// Issue 16, item 18: a long clock move does not replay a duty once per period. SSBTEK's
/// weekly decision meeting (Thursdays 13:00) falls nine times in 60 days; only its last
/// reminder on the way posts, the ones before it are skipped as missed (as after downtime).
/// Shorter moves still post each occurrence at its own time.
#[test]
fn a_long_clock_move_posts_a_weekly_duty_once() {
    assert_eq!(ssbtek_reminders(b"/clock advance 60d\n/quit\n"), 1);
    assert_eq!(ssbtek_reminders(b"/clock advance 3d\n/clock advance 7d\n/quit\n"), 2);
}

/// Issue 17: `vakt maintenance announce … --now T` checks the agreement's rules as of T:
/// Difi's ID-porten window on Tuesday 15 December 2026 00:30 is accepted when announced on
/// Monday 7 December (the last day with 5 working days' notice) and refused, naming the
/// clause, the day after (exit 2, nothing stored); `--reason` records it anyway; `list`
/// shows what is stored.
#[test]
fn maintenance_announce_checks_the_rules_as_of_now() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let url = database_with_an_incident(tmp.path(), "2026-11-21T03:00+01:00");
    let announce = |now: &str, start: &str, extra: &[&str]| {
        let args = [
            &[
                "maintenance",
                "announce",
                "--agreement",
                "difi",
                "--service",
                "idporten",
                "--start",
                start,
                "--duration",
                "4h30m",
                "--description",
                "Certificate rotation",
                "--now",
                now,
                "--database",
                &url,
            ][..],
            extra,
        ]
        .concat();
        vakt_env(tmp.path(), &args, &[], b"")
    };
    let o = announce("2026-12-07T10:00", "2026-12-15T00:30", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("idporten (window)"), "{}", stdout(&o));
    let o = announce("2026-12-08T10:00", "2026-12-22T00:30", &[]);
    assert_eq!(o.status.code(), Some(0), "two weeks ahead: {}", stderr(&o));
    let o = announce("2026-12-16T10:00", "2026-12-22T00:30", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("clause 2.9.2, 2.9.3 needs 5wd notice"),
        "{}",
        stderr(&o)
    );
    let o = announce("2026-12-16T10:00", "2026-12-29T00:30", &["--json"]);
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&o)));
    assert_eq!(v[0]["start"], "2026-12-29T00:30:00+01:00", "{v}");
    let o = announce(
        "2026-12-23T10:00",
        "2026-12-29T00:30",
        &["--reason", "Agreed with the customers"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("recorded by a manager despite the notice"),
        "{}",
        stdout(&o)
    );
    let o = vakt_env(
        tmp.path(),
        &[
            "--json",
            "maintenance",
            "list",
            "--agreement",
            "difi",
            "--now",
            "2026-12-01",
            "--database",
            &url,
        ],
        &[],
        b"",
    );
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&o)));
    assert_eq!(v.as_array().map(Vec::len), Some(4), "{v}");
}
