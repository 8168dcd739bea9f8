//! Chaos: the real `vakt` binary runs a scenario on real time sped up (`--speed`), is killed
//! with SIGKILL at several points, restarted, and finally run to the end on a fake clock.
//! From the database: no job lost (nothing due is left pending), none left running, none
//! failed, and no effect twice (every status number, warning and escalation step of an
//! incident is on its timeline once). Bounded: a few seconds of real time.

use serde_json::Value;
use sqlx::Row;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn vakt(db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vakt"));
    c.current_dir(ROOT)
        .arg("--dir")
        .arg(Path::new(ROOT).join("agreements"))
        .arg("console")
        .args(args)
        .env("VAKT_DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("VAKT_CONFIG", db.with_file_name("vakt.toml"))
        .env_remove("VAKT_AGREEMENTS")
        .env_remove("DISCORD_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn run_script(db: &Path, start: &str, script: &str) {
    let mut child = vakt(db, &["--script", "--start", start]).spawn().expect("start vakt");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write script");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Starts vakt on real time sped up and keeps its stdin open (it runs until killed).
fn spawn_running(db: &Path, start: &str, speed: &str) -> Child {
    vakt(db, &["--script", "--speed", speed, "--start", start])
        .spawn()
        .expect("start vakt")
}

/// How often each bot effect is on an incident's timeline: status numbers, warnings,
/// breach escalation steps, breaches and follow-ups, from (incident id, event JSON) rows.
fn effects(rows: impl Iterator<Item = (String, String)>) -> HashMap<String, usize> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (incident, event) in rows {
        let event: Value = serde_json::from_str(&event).expect("event");
        let key = match event["type"].as_str() {
            Some("status_posted") => format!("{incident} status {}", event["seq"]),
            Some("warning_sent") => format!("{incident} warn {} {}", event["milestone"], event["percent"]),
            Some("escalated") if event["manual"] == false => {
                format!("{incident} esc {} {}", event["milestone"], event["level"])
            }
            Some("milestone_breached") => format!("{incident} breach {}", event["milestone"]),
            Some("follow_up_due") => format!("{incident} follow {}", event["id"]),
            _ => continue,
        };
        *seen.entry(key).or_default() += 1;
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_random_points_nothing_is_lost_or_done_twice() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db: PathBuf = tmp.path().join("vakt.db");
    // Three incidents with warnings, breaches, hourly status updates and follow-ups.
    run_script(
        &db,
        "2026-11-23T09:00+01:00",
        "/incident open agreement:ssbtek impact:1 title:\"SHS down\"\n\
         /incident open agreement:borger-dk impact:unavailable title:\"Login down\"\n\
         /incident open agreement:altinn impact:unavailable title:\"Portal down\"\n\
         /quit\n",
    );
    // Five runs at 3 600× (an hour a second), each killed after 0.4–1.3 s; each restart
    // starts later than anything the previous one can have run (it covers at most ~1.5 h).
    let kills = [400u64, 1300, 700, 1000, 550];
    for (k, ms) in kills.iter().enumerate() {
        let start = format!("2026-11-23T{:02}:00+01:00", 9 + 2 * k as u32 + 1);
        let mut child = spawn_running(&db, &start, "3600");
        std::thread::sleep(Duration::from_millis(*ms));
        child.kill().expect("SIGKILL");
        let _ = child.wait();
    }
    // The end: two days later on the fake clock; leases of the killed runners have expired.
    run_script(&db, "2026-11-25T12:00+01:00", "/clock advance 1m\n/quit\n");

    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .expect("open the database");
    let states: Vec<(String, i64)> = sqlx::query("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state")
        .fetch_all(&pool)
        .await
        .expect("states")
        .iter()
        .map(|r| (r.get("state"), r.get("n")))
        .collect();
    let count = |s: &str| states.iter().find(|(x, _)| x == s).map_or(0, |(_, n)| *n);
    assert_eq!(count("running"), 0, "no job left running: {states:?}");
    assert_eq!(count("failed"), 0, "no job failed: {states:?}");
    assert!(count("done") > 20, "the scenario ran: {states:?}");
    let due_pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE state = 'pending' AND due_at <= '2026-11-25T11:01:00.000000Z'",
    )
    .fetch_one(&pool)
    .await
    .expect("due pending");
    assert_eq!(due_pending, 0, "nothing due was lost");
    // No effect twice: per incident, each bot effect once.
    let rows = sqlx::query("SELECT incident_id, event FROM timeline")
        .fetch_all(&pool)
        .await
        .expect("timeline");
    let seen = effects(rows.iter().map(|r| (r.get("incident_id"), r.get("event"))));
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "effects recorded twice: {twice:?}");
    assert!(
        seen.keys().any(|k| k.contains("status")),
        "status updates ran: {seen:?}"
    );
    pool.close().await;
}

/// The same on PostgreSQL with two runners at once, one of them killed and restarted: every
/// job runs exactly once across the replicas. Needs `VAKT_TEST_POSTGRES_URL` (a server where
/// the test may create a database of its own); says loudly when it skips.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_postgres_runners_one_killed_run_every_job_exactly_once() {
    let Some(base) =
        crate::common::backends::postgres_url("two_postgres_runners_one_killed_run_every_job_exactly_once")
    else {
        return;
    };
    let name = format!("vakt_chaos_{}", std::process::id());
    let admin = sqlx::PgPool::connect(&base).await.expect("connect to PostgreSQL");
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}")))
        .execute(&admin)
        .await
        .expect("drop");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .expect("create");
    let url = match base.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("VAKT_TEST_POSTGRES_URL has no database: {base}"),
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let pg = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_vakt"));
        c.current_dir(ROOT)
            .arg("--dir")
            .arg(Path::new(ROOT).join("agreements"))
            .arg("console")
            .args(args)
            .env("VAKT_DATABASE_URL", &url)
            .env("VAKT_CONFIG", tmp.path().join("vakt.toml"))
            .env_remove("VAKT_AGREEMENTS")
            .env_remove("DISCORD_TOKEN")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        c
    };
    // Incidents opened now (the runners below run on real time sped up from now).
    let mut open = pg(&["--script"]).spawn().expect("start vakt");
    open.stdin
        .take()
        .expect("stdin")
        .write_all(
            b"/incident open agreement:ssbtek impact:1 title:\"SHS down\"\n\
              /incident open agreement:altinn impact:unavailable title:\"Portal down\"\n\
              /incident open agreement:inera impact:unusable title:\"Journalen down\"\n/quit\n",
        )
        .expect("script");
    assert!(open.wait_with_output().expect("wait").status.success());
    // Two replicas at 3 600×; A is killed twice and restarted; B runs throughout.
    let mut b = pg(&["--script", "--speed", "3600"]).spawn().expect("start B");
    for ms in [500u64, 800] {
        let mut a = pg(&["--script", "--speed", "3600"]).spawn().expect("start A");
        std::thread::sleep(Duration::from_millis(ms));
        a.kill().expect("SIGKILL A");
        let _ = a.wait();
    }
    std::thread::sleep(Duration::from_millis(400));
    b.kill().expect("stop B");
    let _ = b.wait();
    // The end: days later on the fake clock, after every lease expired.
    let later = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    let mut end = pg(&["--script", "--start", &later]).spawn().expect("start the end");
    end.stdin
        .take()
        .expect("stdin")
        .write_all(b"/clock advance 1m\n/quit\n")
        .expect("script");
    let out = end.wait_with_output().expect("wait");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let pool = sqlx::PgPool::connect(&url).await.expect("connect");
    let running: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state IN ('running', 'failed')")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(running, 0, "no job left running or failed");
    let done: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state = 'done'")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert!(done > 10, "the scenario ran ({done} jobs done)");
    let rows = sqlx::query("SELECT incident_id, event::text AS event FROM timeline")
        .fetch_all(&pool)
        .await
        .expect("timeline");
    let seen = effects(rows.iter().map(|r| (r.get("incident_id"), r.get("event"))));
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "effects recorded twice across the replicas: {twice:?}"
    );
    pool.close().await;
    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&admin)
    .await;
}
