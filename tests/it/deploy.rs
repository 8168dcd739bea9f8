//! The systemd unit in `docs/vakt.service`: hardened as the README promises, accepted by
//! `systemd-analyze verify` (where that tool exists; skipped loudly where it does not), and
//! its `ExecStart` a command line the `vakt` binary accepts.

use std::path::Path;
use std::process::Command;

const UNIT: &str = include_str!("../../docs/vakt.service");

/// Where the unit expects the binary; replaced by the test build's to run or verify it.
const INSTALLED: &str = "/usr/local/bin/vakt";

/// Every value of `key` in the unit (comments and blank lines skipped).
fn values(key: &str) -> Vec<&'static str> {
    UNIT.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.starts_with(';'))
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim())
        .collect()
}

/// The unit's one `ExecStart`, split into the program and its arguments.
fn exec_start() -> (String, Vec<String>) {
    let lines = values("ExecStart");
    assert_eq!(lines.len(), 1, "one ExecStart: {lines:?}");
    let mut words = lines[0].split_whitespace().map(str::to_owned);
    let program = words.next().expect("ExecStart names a program");
    (program, words.collect())
}

#[test]
fn unit_is_hardened_and_keeps_sqlite_in_its_state_directory() {
    let one = |key: &str, want: &str| assert_eq!(values(key), vec![want], "{key}");
    assert!(
        values("DynamicUser") == ["yes"] || values("User").iter().any(|u| *u != "root"),
        "the service runs as its own user"
    );
    one("ProtectSystem", "strict");
    one("StateDirectory", "vakt");
    one("NoNewPrivileges", "yes");
    one("PrivateTmp", "yes");
    one("ProtectHome", "yes");
    one("Restart", "on-failure");
    // The token comes from a root-only environment file, never from the unit itself.
    one("EnvironmentFile", "/etc/vakt/vakt.env");
    assert!(
        !UNIT
            .lines()
            .any(|l| l.trim_start().starts_with("Environment=DISCORD_TOKEN"))
    );
    // With ProtectSystem=strict only the state directory is writable: SQLite must live there.
    let db: Vec<&str> = values("Environment")
        .into_iter()
        .filter_map(|v| v.strip_prefix("VAKT_DATABASE_URL="))
        .collect();
    assert_eq!(db.len(), 1, "{db:?}");
    let url = vakt::config::DatabaseUrl::new(db[0]);
    let file = url.sqlite_file().expect("a SQLite file");
    assert_eq!(file.parent(), Some(Path::new("/var/lib/vakt")), "{}", file.display());
}

#[test]
fn exec_start_is_a_command_line_vakt_accepts() {
    let (program, args) = exec_start();
    assert_eq!(program, INSTALLED);
    // The README says `serve` replaces `run` for the interactions endpoint: both must parse.
    for mode in ["run", "serve"] {
        let args: Vec<String> = args
            .iter()
            .map(|a| if a == "run" { mode.to_owned() } else { a.clone() })
            .collect();
        assert!(args.iter().any(|a| a == mode), "ExecStart runs `vakt run`: {args:?}");
        let out = Command::new(env!("CARGO_BIN_EXE_vakt"))
            .args(&args)
            .arg("--help")
            .env_remove("DISCORD_TOKEN")
            .output()
            .expect("run vakt");
        assert_eq!(
            out.status.code(),
            Some(0),
            "vakt {args:?} --help: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn systemd_analyze_verify_accepts_the_unit() {
    if Command::new("systemd-analyze").arg("--version").output().is_err() {
        eprintln!("SKIPPED systemd_analyze_verify_accepts_the_unit: systemd-analyze is not installed here");
        return;
    }
    // verify checks that ExecStart's program exists and is executable: use the test build's.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vakt.service");
    std::fs::write(&path, UNIT.replace(INSTALLED, env!("CARGO_BIN_EXE_vakt"))).expect("write unit");
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .expect("run systemd-analyze");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // An unknown key or a bad value is only a warning (exit 0) naming the file: fail on it too.
    let complaints: Vec<&str> = stderr.lines().filter(|l| l.contains("vakt.service")).collect();
    assert!(
        out.status.success() && complaints.is_empty(),
        "systemd-analyze verify: {}\n{stderr}",
        out.status
    );
}
