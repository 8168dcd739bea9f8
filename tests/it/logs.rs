//! Issue 20, item 2: logs an operator can use. The real `vakt serve` and `vakt run` binaries
//! (against the Discord fake) log one start-up block naming what they run against, write no
//! colour codes into a pipe, write one JSON object a line with `--log-format json`
//! (`VAKT_LOG_FORMAT`), and never write the bot token, a database password or an
//! interaction's token, even with `RUST_LOG=trace` (`vakt serve` on PostgreSQL answering a
//! command whose answer is sent with its token: all three in one log). In process: a job that fails for good is one error line naming its kind,
//! incident and cause.

use crate::common::discord_world::World;
use crate::common::{Harness, at, facts, responder};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// A bot token no log may show.
const TOKEN: &str = "planted-bot-token.Qz7vXw";
/// A database password no log may show.
const PASSWORD: &str = "planted-db-pw-Kx93";
/// An interaction's token (a 15-minute webhook credential) no log may show.
const INTERACTION_TOKEN: &str = "planted-interaction-token-Vb28";
/// How long a start-up may take on a loaded machine before the test gives up.
const PATIENCE: Duration = Duration::from_secs(60);

/// A free local port for `discord.listen`.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&[42u8; 32])
}

/// Writes `vakt.toml` and an agreements directory (Borger.dk and the calendars) in `dir`:
/// this database, the world's channels and roles, the fake's API base, the application's id
/// and public key, and where `vakt serve` listens.
fn write_config(dir: &Path, database: &str, world: &World, listen: &str) -> std::path::PathBuf {
    let agreements = dir.join("agreements");
    std::fs::create_dir_all(agreements.join("calendars")).expect("agreements dir");
    let shipped = Path::new(ROOT).join("agreements");
    std::fs::copy(shipped.join("borger-dk.toml"), agreements.join("borger-dk.toml")).expect("copy agreement");
    for cal in std::fs::read_dir(shipped.join("calendars"))
        .expect("calendars")
        .flatten()
    {
        std::fs::copy(cal.path(), agreements.join("calendars").join(cal.file_name())).expect("copy calendar");
    }
    let key = hex::encode(signing_key().verifying_key().to_bytes());
    let path = dir.join("vakt.toml");
    let text = format!(
        "database_url = \"{database}\"\nagreements_dir = \"{}\"\n\n[discord]\napi_base = \"{}\"\n\
         application_id = {}\npublic_key = \"{key}\"\nlisten = \"{listen}\"\n{}",
        agreements.display(),
        world.fake.base(),
        crate::common::discord_fake::APP_ID,
        world.config,
    );
    std::fs::write(&path, text).expect("write vakt.toml");
    path
}

/// The running binary and its stderr, read line by line on a thread of its own.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    /// Starts `vakt <args>` with `config`, the planted token and only these `VAKT_*`
    /// variables; stdout is discarded, stderr piped (not a terminal).
    fn start(config: &Path, args: &[&str], env: &[(&str, &str)]) -> Running {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vakt"));
        cmd.current_dir(config.parent().expect("config dir"))
            .arg("--config")
            .arg(config)
            .args(args)
            .env("DISCORD_TOKEN", TOKEN)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for k in [
            "VAKT_LOG",
            "RUST_LOG",
            "VAKT_LOG_FORMAT",
            "VAKT_DATABASE_URL",
            "VAKT_AGREEMENTS",
            "VAKT_CONFIG",
        ] {
            cmd.env_remove(k);
        }
        cmd.envs(env.iter().copied());
        let mut child = cmd.spawn().expect("start vakt");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).split(b'\n') {
                let Ok(line) = line else { break };
                if tx.send(String::from_utf8_lossy(&line).into_owned()).is_err() {
                    break;
                }
            }
        });
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Reads stderr until a line contains `needle` (true) or the process ends (false).
    fn wait_for(&mut self, needle: &str) -> bool {
        let deadline = Instant::now() + PATIENCE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let found = line.contains(needle);
                    self.seen.push(line);
                    if found {
                        return true;
                    }
                }
                Err(_) => return false,
            }
        }
        false
    }

    /// Sends SIGTERM (SIGKILL if it has not ended in a while) and returns every stderr line.
    fn stop(mut self) -> Vec<String> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.child.try_wait().ok().flatten().is_none() {
            if Instant::now() > deadline {
                let _ = self.child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.wait();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(line);
        }
        self.seen
    }
}

/// POSTs `body`, signed, to `vakt serve` at `addr`; returns the raw response.
fn post_signed(addr: &str, body: &str) -> String {
    let ts = chrono::Utc::now().timestamp().to_string();
    let sig = hex::encode(signing_key().sign(format!("{ts}{body}").as_bytes()).to_bytes());
    let mut s = std::net::TcpStream::connect(addr).expect("connect to vakt serve");
    let req = format!(
        "POST /interactions HTTP/1.1\r\nHost: vakt\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\nX-Signature-Ed25519: {sig}\r\nX-Signature-Timestamp: {ts}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).expect("write");
    let mut out = String::new();
    let _ = std::io::Read::read_to_string(&mut s, &mut out);
    out
}

/// POSTs a signed PING to `vakt serve` at `addr`; returns the raw response.
fn ping(addr: &str) -> String {
    let body = format!(
        "{{\"id\":\"1100000000000000777\",\"application_id\":\"{}\",\"type\":1,\"token\":\"tok-ping\",\"version\":1}}",
        crate::common::discord_fake::APP_ID
    );
    post_signed(addr, &body)
}

/// `/sla explain agreement:borger-dk` from a responder in the incident channel, carrying
/// [`INTERACTION_TOKEN`]: its answer runs to further pages, sent with the token in the path.
fn sla_explain(world: &World) -> String {
    use crate::common::discord_fake::{APP_ID, GUILD_ID};
    let channel = world.incidents.to_string();
    serde_json::json!({
        "id": "1100000000000000778",
        "application_id": APP_ID.to_string(),
        "type": 2,
        "token": INTERACTION_TOKEN,
        "version": 1,
        "guild_id": GUILD_ID.to_string(),
        "channel_id": channel,
        "channel": { "id": channel, "type": 0 },
        "data": {
            "id": "1", "name": "sla", "type": 1, "guild_id": GUILD_ID.to_string(),
            "options": [{ "name": "explain", "type": 1,
                          "options": [{ "name": "agreement", "type": 3, "value": "borger-dk" }] }]
        },
        "member": {
            "user": { "id": "1300000000000000001", "username": "rita", "discriminator": "0",
                      "global_name": "Rita", "avatar": null },
            "roles": [world.responders.to_string()],
            "joined_at": "2025-01-01T00:00:00.000000+00:00",
            "deaf": false, "mute": false, "nick": null, "flags": 0, "pending": false, "permissions": "0"
        },
        "locale": "en-GB",
        "guild_locale": "en-GB",
        "app_permissions": "0",
        "entitlements": [],
        "authorizing_integration_owners": { "0": GUILD_ID.to_string() },
        "context": 0,
        "attachment_size_limit": 26_214_400
    })
    .to_string()
}

/// Runs `vakt serve` on the database at `url` at trace level: answers a PING and a command
/// carrying [`INTERACTION_TOKEN`] (waiting until its further pages reached the fake with the
/// token), stops, and returns its stderr lines after checking that none holds the bot token,
/// the interaction's token or the password.
fn serve_at_trace(world: &World, dir: &Path, url: &str) -> Vec<String> {
    let listen = format!("127.0.0.1:{}", free_port());
    let config = write_config(dir, url, world, &listen);
    let mut vakt = Running::start(&config, &["serve"], &[("RUST_LOG", "trace")]);
    assert!(
        vakt.wait_for("answering Discord interactions"),
        "vakt serve started: {:?}",
        vakt.seen
    );
    let answer = ping(&listen);
    assert!(answer.starts_with("HTTP/1.1 200"), "PING answered: {answer}");
    let answer = post_signed(&listen, &sla_explain(world));
    assert!(answer.starts_with("HTTP/1.1 200"), "the command answered: {answer}");
    let deadline = Instant::now() + PATIENCE;
    while world.fake.webhook_messages(INTERACTION_TOKEN).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    // Let the follow-ups' own log lines be written.
    std::thread::sleep(Duration::from_millis(500));
    let lines = vakt.stop();
    assert!(
        !world.fake.webhook_messages(INTERACTION_TOKEN).is_empty(),
        "the answer's further pages were sent with the token: {lines:#?}"
    );
    assert_no_secret(&lines, &[TOKEN, INTERACTION_TOKEN, PASSWORD]);
    lines
}

/// Fails naming the line if any line holds a planted secret.
fn assert_no_secret(lines: &[String], secrets: &[&str]) {
    for line in lines {
        for secret in secrets {
            assert!(!line.contains(secret), "a secret in the log: {line}");
        }
    }
}

fn block(lines: &[String]) -> Vec<&String> {
    lines.iter().filter(|l| l.contains("vakt starting")).collect()
}

/// `vakt serve` on SQLite at trace level: one start-up block naming mode, version, database,
/// agreements, API base, listen address and leader role; no ANSI colour into a pipe; neither
/// the bot token nor an interaction's token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_logs_one_start_up_block_without_colour_or_token() {
    let world = World::new().await;
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("vakt.db");
    let url = format!("sqlite://{}", db.display());
    let lines = tokio::task::block_in_place(|| serve_at_trace(&world, tmp.path(), &url));

    let starts = block(&lines);
    assert_eq!(starts.len(), 1, "one start-up block: {lines:#?}");
    let start = starts[0];
    for part in [
        "mode=\"serve\"".to_string(),
        format!("version=\"{}\"", env!("CARGO_PKG_VERSION")),
        format!("database=sqlite://{}", db.display()),
        "agreements=1".to_string(),
        format!("api_base={}", world.fake.base()),
        "listen=\"127.0.0.1:".to_string(),
        "leader=\"none".to_string(),
    ] {
        assert!(start.contains(&part), "the start-up block names {part}: {start}");
    }
    assert!(
        lines.iter().any(|l| l.contains(" DEBUG ") || l.contains(" TRACE ")),
        "RUST_LOG=trace was honoured: {lines:#?}"
    );
    assert!(
        !lines.iter().any(|l| l.contains('\x1b')),
        "no colour into a pipe: {lines:#?}"
    );
}

/// Runs `vakt run` (the gateway, on the fake's API with the planted token) on the database
/// at `url` at trace level for a moment; returns its stderr lines after checking that its
/// start-up block names the database redacted and the leader role, and that no line holds
/// the token or the password.
fn run_at_trace(world: &World, dir: &Path, url: &str) -> Vec<String> {
    let config = write_config(dir, url, world, "127.0.0.1:0");
    let mut vakt = Running::start(&config, &["run"], &[("RUST_LOG", "trace")]);
    let started = vakt.wait_for("vakt starting");
    // Long enough to connect, take the leader lock and talk to the fake's API.
    std::thread::sleep(Duration::from_secs(2));
    let lines = vakt.stop();
    assert!(started, "vakt run started: {lines:#?}");
    let start = block(&lines)[0];
    assert!(
        start.contains(":***@"),
        "the block names the database, redacted: {start}"
    );
    assert!(
        start.contains("leader=\"gateway candidate"),
        "on PostgreSQL the gateway goes to the lock's holder: {start}"
    );
    assert_no_secret(&lines, &[TOKEN, PASSWORD]);
    lines
}

/// A PostgreSQL database that does not answer (a closed port): at trace level, neither the
/// start-up block nor the failure shows the password or the token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_password_or_token_at_trace_when_the_database_is_unreachable() {
    let world = World::new().await;
    let tmp = tempfile::tempdir().expect("tempdir");
    let url = format!("postgres://vakt:{PASSWORD}@127.0.0.1:{}/vakt", free_port());
    let lines = run_at_trace(&world, tmp.path(), &url);
    assert!(
        lines.iter().any(|l| l.contains("opening the database")),
        "the failure is named: {lines:#?}"
    );
}

/// The same on a PostgreSQL database that answers (`VAKT_TEST_POSTGRES_URL`, the password
/// planted in its URL; a trusting server ignores it), in a database of its own: connecting,
/// migrating, the leader lock and the gateway's calls to the fake show no secret; nor does
/// `vakt serve` there answering a command with further pages (bot token, password and
/// interaction token, all at trace level).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_password_or_token_at_trace_on_a_live_postgres() {
    let Some(base) = crate::common::backends::postgres_url("no_password_or_token_at_trace_on_a_live_postgres") else {
        return;
    };
    let name = format!("vakt_logs_{}", std::process::id());
    let admin = sqlx::PgPool::connect(&base).await.expect("connect to PostgreSQL");
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&admin)
            .await
            .expect("create the database");
    }
    let (server, _) = base.rsplit_once('/').expect("VAKT_TEST_POSTGRES_URL names a database");
    let rest = server.split_once("://").map_or(server, |(_, r)| r);
    let (user, host) = match rest.rsplit_once('@') {
        Some((info, host)) => (info.split(':').next().unwrap_or("postgres"), host),
        None => ("postgres", rest),
    };
    let url = format!("postgres://{user}:{PASSWORD}@{host}/{name}");
    let world = World::new().await;
    let tmp = tempfile::tempdir().expect("tempdir");
    let lines = run_at_trace(&world, tmp.path(), &url);
    // `vakt serve` on the same database answers a command: the three secrets in one log.
    let served = std::panic::catch_unwind(|| serve_at_trace(&world, tmp.path(), &url));
    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&admin)
    .await;
    assert!(
        !lines.iter().any(|l| l.contains("opening the database")),
        "it connected: {lines:#?}"
    );
    let served = served.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    assert!(
        !served.iter().any(|l| l.contains("opening the database")),
        "vakt serve connected: {served:#?}"
    );
}

/// `--log-format json` and `VAKT_LOG_FORMAT=json`: every stderr line is one JSON object, the
/// start-up block's fields among its fields — also the last words of a start-up that fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_are_one_object_a_line() {
    let world = World::new().await;
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("vakt.db");
    let listen = format!("127.0.0.1:{}", free_port());
    let config = write_config(tmp.path(), &format!("sqlite://{}", db.display()), &world, &listen);
    type Run<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
    let runs: [Run; 2] = [
        (&["serve", "--log-format", "json"], &[]),
        (&["serve"], &[("VAKT_LOG_FORMAT", "json")]),
    ];
    for (args, env) in runs {
        let mut vakt = Running::start(&config, args, env);
        assert!(
            vakt.wait_for("answering Discord interactions"),
            "started: {:?}",
            vakt.seen
        );
        let lines = vakt.stop();
        let objects: Vec<Value> = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect();
        let start = objects
            .iter()
            .find(|o| o["fields"]["message"] == "vakt starting")
            .unwrap_or_else(|| panic!("a start-up object: {objects:#?}"));
        assert_eq!(start["level"], "INFO");
        assert_eq!(start["fields"]["mode"], "serve");
        assert_eq!(start["fields"]["agreements"], 1);
        assert_eq!(start["fields"]["listen"], listen.as_str());
    }
    // A start-up that fails says why in JSON too.
    let bad = write_config(tmp.path(), "postgres://vakt:x@127.0.0.1:1/vakt", &world, &listen);
    let out = Command::new(env!("CARGO_BIN_EXE_vakt"))
        .args(["--config", bad.to_str().expect("path"), "serve", "--log-format", "json"])
        .env("DISCORD_TOKEN", TOKEN)
        .env_remove("VAKT_DATABASE_URL")
        .env_remove("VAKT_LOG")
        .env_remove("RUST_LOG")
        .output()
        .expect("run vakt");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stderr);
    let last = text.lines().rfind(|l| !l.trim().is_empty()).unwrap_or_default();
    let last: Value = serde_json::from_str(last).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    assert_eq!(last["level"], "ERROR", "{last}");
    assert!(
        last["fields"]["error"]
            .as_str()
            .is_some_and(|e| e.contains("opening the database")),
        "{last}"
    );
}

/// A writer that keeps what the log subscriber writes.
#[derive(Clone, Default)]
pub(crate) struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// Every line written, as JSON objects.
    pub(crate) fn objects(&self) -> Vec<Value> {
        let bytes = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        String::from_utf8_lossy(&bytes)
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }
}

/// A breach post that never gets through (SSBTEK P1, response due Friday 17:00): each retry
/// is a warning; the job that fails for good is exactly one error line with its kind, its
/// incident and the cause.
#[tokio::test]
async fn a_failed_job_is_one_line_with_its_kind_incident_and_cause() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_max_level(tracing::Level::WARN)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let h = Harness::start("2026-11-20T16:30:00+01:00").await;
    let inc = h
        .service()
        .open(&responder(), "ssbtek", "SHS down", "", facts("1"))
        .await
        .expect("open");
    let esc1 = h
        .jobs_of(inc.id())
        .await
        .into_iter()
        .find(|j| j.key.ends_with("/response/esc1"))
        .expect("the breach job");
    h.chat.fail_next(Some(esc1.id.to_string()), 100);
    h.advance_tolerant(at("2026-11-23T09:30:00+01:00")).await;

    let about_esc1: Vec<Value> = captured
        .objects()
        .into_iter()
        .filter(|o| o["fields"]["job"] == esc1.key.as_str())
        .collect();
    let failed: Vec<&Value> = about_esc1.iter().filter(|o| o["level"] == "ERROR").collect();
    assert_eq!(failed.len(), 1, "one line for the failed job: {about_esc1:#?}");
    let line = &failed[0]["fields"];
    assert_eq!(line["kind"], "escalation", "{line}");
    assert_eq!(line["incident"], inc.id().as_str(), "{line}");
    assert!(
        line["cause"]
            .as_str()
            .is_some_and(|c| c.contains("chat unreachable (test)")),
        "{line}"
    );
    let retries = about_esc1.iter().filter(|o| o["level"] == "WARN").count();
    assert!(retries >= 1, "retries are warnings: {about_esc1:#?}");
}
