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
