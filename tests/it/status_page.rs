//! Issue 21, part 3: the public status page (`GET /status/<agreement>`) and its Atom feed
//! over a real socket, for one fixed Difi dataset on the fake clock, on both backends:
//!
//! - what it shows: each service's state (outage only from a published incident; degraded;
//!   in maintenance), the published incidents of the last 90 days with their public texts,
//!   the windows running and to come, and 90 days of availability per service against its
//!   target (every full outage counts, published or not; the arithmetic below);
//! - what it never shows: the internal titles, descriptions and notes, the members' ids and
//!   names, a window's description, an unpublished incident — in the HTML and the feed;
//! - `/incident publish` through the one command table: a responder's, an empty text refused;
//! - in a real browser (Debian's Chromium driven by `playwright-core`, `tests/browser/`):
//!   screenshots at 390 and 1280 px and axe-core's WCAG 2.1 A/AA rules, zero violations.
//!   Without Chromium or `npm ci` in `tests/browser` the test says loudly that it skipped —
//!   and fails instead when `CI` is set.

use crate::common::backends::{Backend, on_backends};
use crate::common::{RecordingChat, at, catalog, config, facts, manager};
use chrono::Duration;
use std::sync::Arc;
use vakt::app::{self, App};
use vakt::commands::{Command, exec::execute, parse_console_line};
use vakt::console::clock::FakeClock;
use vakt::domain::incident::{OutageKind, Resolution};
use vakt::service::Actor;
use vakt::service::maintenance::Announcement;

const CONFIG: &str = "[ops]\nlisten = \"127.0.0.1:0\"\n";

/// Words of the fixed dataset that are internal: none may appear on the page or in the feed.
const INTERNAL: &[&str] = &[
    "Hemmelig tittel Alfa",
    "Intern beskrivelse Alfa",
    "Internt notat Alfa",
    "Hemmelig tittel Beta",
    "Intern beskrivelse Beta",
    "Hemmelig tittel Gamma",
    "Intern beskrivelse Gamma",
    "Hemmelig tittel Delta",
    "Intern vindusbeskrivelse",
    "kari.nordmann",
    "Kari Nordmann",
    "ola.hansen",
    "Ola Hansen",
    // Gamma is not published: not even its id.
    "DIFI-2026-0004",
];

/// The public texts: all on the page, in the feed.
const ALFA_FIRST: &str = "Innlogging med MinID feiler for mange brukere.";
const ALFA_SECOND: &str = "Feilen er rettet. Innlogging virker igjen.";
const BETA_TEXT: &str = "Levering til digital postkasse går tregt <men> virker & kommer frem.";
const DELTA_TEXT: &str = "Gammel hendelse (over 90 dager siden).";

/// Kari, a responder, with a display name unlike her id.
fn kari() -> Actor {
    Actor {
        id: "kari.nordmann".into(),
        name: "Kari Nordmann".into(),
        roles: vec!["responder".into()],
    }
}

/// Ola, a manager.
fn ola() -> Actor {
    Actor {
        id: "ola.hansen".into(),
        name: "Ola Hansen".into(),
        roles: vec!["manager".into()],
    }
}

/// Runs a console line through the one command table as `actor`.
async fn run(app: &App, actor: &Actor, line: &str) -> Result<vakt::commands::exec::Reply, String> {
    let cmd: Command = parse_console_line(line, chrono_tz::Europe::Oslo)
        .map_err(|e| e.to_string())?
        .ok_or("no command")?;
    execute(&app.service, actor, cmd).await.map_err(|e| e.to_string())
}

/// The fixed dataset, on Difi (Norwegian), ending at the page's "now": Tuesday 8 December
/// 2026 01:30 in Oslo (00:30Z), inside a maintenance window of the contact register.
///
/// - Delta (idporten): reported 1 August, published, resolved the same day: older than 90
///   days, so not on the page.
/// - Alfa (idporten): reported Friday 20 November 10:00, a full outage, published twice,
///   resolved 11:30 (1 h 30 min down).
/// - Beta (postkasse): reported Monday 7 December 14:00, degraded, published (its text holds
///   `<`, `>` and `&`, escaped), still open: postkasse is degraded.
/// - Gamma (esignering): reported Monday 7 December 20:00, a full outage, never published:
///   esignering shows operational, yet its 5 h 30 min down count in its availability.
/// - Windows: krr on Tuesday 8 December 00:30–05:00 (running), idporten on Tuesday 15
///   December 00:30–05:00 (to come).
async fn dataset(
    backend: &Backend,
) -> (
    App,
    Arc<FakeClock>,
    std::net::SocketAddr,
    tokio::sync::watch::Sender<bool>,
) {
    let catalog = catalog();
    let config = config(backend.dir(), Some(CONFIG), &catalog);
    let clock = Arc::new(FakeClock::new(at("2026-08-01T10:00:00+02:00")));
    let chat = Arc::new(RecordingChat::new(clock.clone()));
    let app = app::wire(
        Arc::new(config),
        Arc::new(catalog),
        clock.clone(),
        chat,
        backend.open().await,
        "runner-1",
    );
    let s = &app.service;
    let delta = s
        .open_on(
            &kari(),
            "difi",
            "Hemmelig tittel Delta",
            "",
            facts("unavailable"),
            Some("idporten"),
        )
        .await
        .expect("delta");
    run(
        &app,
        &kari(),
        &format!("/incident publish {} text:\"{DELTA_TEXT}\"", delta.id()),
    )
    .await
    .expect("published");
    clock.advance(Duration::hours(1));
    s.resolve(&kari(), delta.id(), Resolution::Fix, None)
        .await
        .expect("resolved");

    clock.set(at("2026-11-20T10:00:00+01:00"));
    let window = |service: &str, start: &str| Announcement {
        agreement: "difi".into(),
        service: Some(service.into()),
        kind: None,
        start: at(start),
        duration: Duration::minutes(270),
        description: "Intern vindusbeskrivelse: bytte noder".into(),
        reason: None,
    };
    s.announce_window(&kari(), &window("krr", "2026-12-08T00:30+01:00"))
        .await
        .expect("krr window");
    s.announce_window(&kari(), &window("idporten", "2026-12-15T00:30+01:00"))
        .await
        .expect("idporten window");

    let alfa = s
        .open_on(
            &kari(),
            "difi",
            "Hemmelig tittel Alfa",
            "Intern beskrivelse Alfa",
            facts("unavailable"),
            Some("idporten"),
        )
        .await
        .expect("alfa");
    s.acknowledge(&ola(), alfa.id()).await.expect("ack");
    s.mark_outage(&kari(), alfa.id(), OutageKind::Full, None, None)
        .await
        .expect("outage");
    s.add_update(
        &ola(),
        alfa.id(),
        "Internt notat Alfa: db-03 startet på nytt av Ola Hansen",
    )
    .await
    .expect("note");
    clock.advance(Duration::minutes(5));
    run(
        &app,
        &kari(),
        &format!("/incident publish {} text:\"{ALFA_FIRST}\"", alfa.id()),
    )
    .await
    .expect("published");
    clock.set(at("2026-11-20T11:30:00+01:00"));
    s.resolve(
        &kari(),
        alfa.id(),
        Resolution::Fix,
        Some("Internt notat Alfa: løst".into()),
    )
    .await
    .expect("resolved");
    clock.advance(Duration::minutes(5));
    run(
        &app,
        &ola(),
        &format!("/incident publish {} text:\"{ALFA_SECOND}\"", alfa.id()),
    )
    .await
    .expect("published");

    clock.set(at("2026-12-07T14:00:00+01:00"));
    let beta = s
        .open_on(
            &kari(),
            "difi",
            "Hemmelig tittel Beta",
            "Intern beskrivelse Beta",
            facts("degraded"),
            Some("postkasse"),
        )
        .await
        .expect("beta");
    s.mark_outage(&kari(), beta.id(), OutageKind::Degraded, None, None)
        .await
        .expect("outage");
    clock.advance(Duration::minutes(10));
    s.publish(&kari(), beta.id(), BETA_TEXT).await.expect("published");

    clock.set(at("2026-12-07T20:00:00+01:00"));
    let gamma = s
        .open_on(
            &kari(),
            "difi",
            "Hemmelig tittel Gamma",
            "Intern beskrivelse Gamma",
            facts("unavailable"),
            Some("esignering"),
        )
        .await
        .expect("gamma");
    assert_eq!(gamma.id().as_str(), "DIFI-2026-0004");
    s.mark_outage(&kari(), gamma.id(), OutageKind::Full, None, None)
        .await
        .expect("outage");

    clock.set(at("2026-12-08T01:30:00+01:00"));
    let (stop, rx) = tokio::sync::watch::channel(false);
    let (addr, _task) = app::start_ops(&app, rx).await.expect("bind").expect("configured");
    (app, clock, addr, stop)
}

/// GETs `path`: the status, the content type and the body.
async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String, String) {
    let res = reqwest::get(format!("http://{addr}{path}")).await.expect("send");
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, kind, res.text().await.expect("body"))
}

/// The text of `html` with tags dropped and entities of the page decoded, spaces collapsed.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `<li>` of the services list naming `service`, as text.
fn service_line(html: &str, service: &str) -> String {
    let list = html
        .split("<ul class=\"services\">")
        .nth(1)
        .and_then(|s| s.split("</ul>").next())
        .expect("the services list");
    list.split("<li>")
        .map(text_of)
        .find(|l| l.starts_with(service))
        .unwrap_or_else(|| panic!("{service} is listed: {list}"))
}

fn assert_nothing_internal(body: &str, what: &str) {
    for word in INTERNAL {
        assert!(!body.contains(word), "{what} shows the internal {word:?}:\n{body}");
    }
}

async fn the_page_shows_what_was_published_and_nothing_internal(backend: Backend) {
    let (_app, _clock, addr, _stop) = dataset(&backend).await;
    let (status, kind, html) = get(addr, "/status/difi").await;
    assert_eq!(status, 200, "{html}");
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(html.contains("<html lang=\"nb\">"), "Difi's page is in Norwegian");
    assert_nothing_internal(&html, "the page");
    let text = text_of(&html);

    // States now: Beta degrades postkasse, krr's window runs, Gamma is not published.
    assert!(service_line(&html, "ID-porten").ends_with("Normal drift"), "{text}");
    assert!(service_line(&html, "Digital postkasse").contains("Redusert"), "{text}");
    assert!(
        service_line(&html, "Kontakt- og").ends_with("Vedlikehold pågår"),
        "{text}"
    );
    assert!(service_line(&html, "eSignering").ends_with("Normal drift"), "{text}");
    assert!(text.contains("2 av 6 tjenester er berørt."), "{text}");

    // The published incidents, latest begun first, with their public texts, latest first;
    // Delta (resolved in August) is past the 90 days.
    let beta_at = text.find(BETA_TEXT).expect("Beta's text (escaped, read back)");
    let alfa_second = text.find(ALFA_SECOND).expect("Alfa's update");
    let alfa_first = text.find(ALFA_FIRST).expect("Alfa's first text");
    assert!(beta_at < alfa_second && alfa_second < alfa_first, "{text}");
    assert!(!text.contains(DELTA_TEXT), "{text}");
    assert!(
        html.contains("&lt;men&gt; virker &amp; kommer"),
        "typed text is escaped"
    );
    assert!(
        text.contains("Startet 20. november 2026 kl. 10:00. Løst 20. november 2026 kl. 11:30."),
        "{text}"
    );
    assert!(
        text.contains("Tjenesten er tilgjengelig med forstyrrelser."),
        "Beta goes on: {text}"
    );
    assert!(text.contains("Tjenesten var utilgjengelig."), "Alfa is over: {text}");

    // Windows: krr's runs until 05:00, idporten's is to come.
    assert!(text.contains("Pågår nå, til 8. desember 2026 kl. 05:00"), "{text}");
    assert!(
        text.contains("Fra 15. desember 2026 kl. 00:30 til 15. desember 2026 kl. 05:00"),
        "{text}"
    );

    // Availability over the 90 local days from Thursday 10 September 00:00 (CEST,
    // 09-09T22:00Z) to now (12-08T00:30Z): 89 days and 2 h 30 min = 7 698 600 s, around the
    // clock.
    // - idporten: Alfa's 5 400 s down: (7 698 600 − 5 400) / 7 698 600 = 99.9298 % → 99,92 %
    //   (rounded down), target 99,9 % met, downtime 1 t 30 min.
    // - esignering: Gamma's 19 800 s (20:00 to 01:30), unpublished but counted:
    //   (7 698 600 − 19 800) / 7 698 600 = 99.7428 % → 99,74 %, target 99,5 % met.
    // - krr: the window's first hour (3 600 s) is excluded, nothing down: 100,00 %.
    // - postkasse: degraded is not downtime: 100,00 %.
    assert!(
        text.contains("99,92 % tilgjengelig i driftstiden «around_the_clock» (mål 99,9 %, punkt 2.8): målet er nådd; nedetid 1 t 30 min."),
        "{text}"
    );
    assert!(text.contains("99,74 % tilgjengelig"), "{text}");
    assert!(
        text.contains("100,00 % tilgjengelig i driftstiden «around_the_clock» (mål 99,9 %, punkt 3.6.2): målet er nådd; ingen nedetid."),
        "krr: {text}"
    );
    assert!(text.contains("nedetid 5 t 30 min"), "{text}");
    assert!(!text.contains("målet er ikke nådd"), "{text}");
    // Alfa's day (5 400 of 86 400 s down: 93,75 %), and Gamma's two days (14 400 of 86 400 s:
    // 83,33 %; today so far, 5 400 of 5 400 s: 0,00 %), are listed in words.
    assert!(
        text.contains("20. november 2026: nede 1 t 30 min, 93,75 % tilgjengelig"),
        "{text}"
    );
    assert!(
        text.contains("7. desember 2026: nede 4 t 0 min, 83,33 % tilgjengelig"),
        "{text}"
    );
    assert!(
        text.contains("8. desember 2026: nede 1 t 30 min, 0,00 % tilgjengelig"),
        "{text}"
    );
    assert_eq!(
        html.matches("role=\"img\"").count(),
        5,
        "a described bar per service with a target (felles has none)"
    );

    // The feed: the same incidents and windows, nothing internal.
    let (status, kind, feed) = get(addr, "/status/difi/feed.atom").await;
    assert_eq!(status, 200, "{feed}");
    assert!(kind.starts_with("application/atom+xml"), "{kind}");
    assert_nothing_internal(&feed, "the feed");
    assert!(
        feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"")
    );
    assert_eq!(
        feed.matches("<entry>").count(),
        4,
        "Beta, Alfa and two windows:\n{feed}"
    );
    for t in [ALFA_FIRST, ALFA_SECOND] {
        assert!(feed.contains(t), "{feed}");
    }
    assert!(feed.contains("&lt;men&gt; virker &amp; kommer"), "{feed}");
    assert!(
        feed.contains("<updated>2026-12-07T13:10:00Z</updated>"),
        "Beta's text is the latest: {feed}"
    );

    // Unknown agreements are 404s.
    assert_eq!(get(addr, "/status/nope").await.0, 404);
    assert_eq!(get(addr, "/status/nope/feed.atom").await.0, 404);
}

async fn publishing_takes_a_responder_and_a_text(backend: Backend) {
    let (app, _clock, _addr, _stop) = dataset(&backend).await;
    let outsider = Actor::new("someone", vec!["visitor".into()]);
    let e = run(&app, &outsider, "/incident publish DIFI-2026-0004 text:\"Hei\"")
        .await
        .expect_err("refused");
    assert!(e.contains("publish"), "{e}");
    let e = run(&app, &manager(), "/incident publish DIFI-2026-0004 text:\"   \"")
        .await
        .expect_err("refused");
    assert!(!e.is_empty());
    assert!(
        app.service
            .status_page("difi")
            .await
            .expect("page")
            .incidents
            .iter()
            .all(|i| i.id.as_str() != "DIFI-2026-0004"),
        "nothing was published"
    );
    let reply = run(
        &app,
        &kari(),
        "/incident publish DIFI-2026-0004 text:\"eSignering er nede.\"",
    )
    .await
    .expect("published");
    assert!(matches!(reply, vakt::commands::exec::Reply::Published { count: 1, .. }));
    let page = app.service.status_page("difi").await.expect("page");
    let esignering = page.services.iter().find(|s| s.id == "esignering").expect("esignering");
    assert_eq!(
        esignering.state,
        vakt::service::status::ServiceState::Outage,
        "published: its outage shows"
    );
}

on_backends!(
    the_page_shows_what_was_published_and_nothing_internal,
    publishing_takes_a_responder_and_a_text,
);

/// Where the browser test finds Chromium and the node packages, or why it cannot run.
fn browser() -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    let chromium = std::env::var("VAKT_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let chromium = std::path::PathBuf::from(chromium);
    if !chromium.exists() {
        return Err(format!(
            "no Chromium at {} (apt-get install chromium, or set VAKT_TEST_CHROMIUM)",
            chromium.display()
        ));
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    for package in ["playwright-core", "axe-core"] {
        if !dir.join("node_modules").join(package).exists() {
            return Err(format!("no {package} in {} (run npm ci there)", dir.display()));
        }
    }
    Ok((chromium, dir))
}

/// The page in Debian's Chromium at phone and desktop widths: screenshots, and axe-core's
/// WCAG 2.1 A and AA rules with zero violations (and no sideways scrolling).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_passes_axe_in_chromium_at_phone_and_desktop_widths() {
    crate::common::backends::on_sqlite(in_chromium).await;
}

async fn in_chromium(backend: Backend) {
    let (chromium, dir) = match browser() {
        Ok(found) => found,
        Err(why) if std::env::var_os("CI").is_some() => panic!("CI is set and the browser test cannot run: {why}"),
        Err(why) => {
            eprintln!("\n*** SKIPPED the status page's browser test: {why} ***\n");
            return;
        }
    };
    let (_app, _clock, addr, _stop) = dataset(&backend).await;
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("status-screenshots");
    std::fs::create_dir_all(&out).expect("screenshot dir");
    let url = format!("http://{addr}/status/difi");
    let mut node = std::process::Command::new("node");
    node.arg(dir.join("status.mjs"))
        .arg(&url)
        .arg(&out)
        .env("VAKT_TEST_CHROMIUM", &chromium);
    // The page is served by this runtime: wait for node on a blocking thread. Playwright's
    // own timeouts (30 s a navigation) end a hung browser; this bounds the whole run.
    let run = tokio::task::spawn_blocking(move || node.output());
    let output = tokio::time::timeout(std::time::Duration::from_secs(180), run)
        .await
        .expect("the browser run ends within 3 minutes")
        .expect("joined")
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("{stdout}");
    eprintln!("screenshots in {}", out.display());
    assert!(output.status.success(), "browser check failed:\n{stdout}\n{stderr}");
    let lines: Vec<serde_json::Value> = stdout.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(lines.len(), 2, "one result per width: {stdout}");
    for l in &lines {
        assert_eq!(l["violations"].as_array().map(Vec::len), Some(0), "{l}");
        let shot = l["screenshot"].as_str().expect("screenshot path");
        let size = std::fs::metadata(shot).expect("screenshot written").len();
        assert!(size > 10_000, "{shot} is a real picture ({size} bytes)");
    }
}

/// Borger.dk (6: Digitaliser.dk) and Difi (1.4.4: the samarbeidsportal) must publish major
/// incidents: their agreement files' notification for those priorities reminds the lead to
/// publish on the status page, with the clause — data, not code.
#[test]
fn the_publication_duties_remind_the_lead_to_publish() {
    let catalog = catalog();
    for (agreement, priority, clause) in [("borger-dk", "1", "6"), ("difi", "A", "1.4.4"), ("difi", "B", "1.4.4")] {
        let a = catalog.get(agreement).expect("agreement");
        let reminder = a
            .notifications
            .iter()
            .find(|n| n.priorities.iter().any(|p| p == priority) && n.what.contains("/incident publish"))
            .unwrap_or_else(|| panic!("{agreement} {priority}: a notification reminds the lead to publish"));
        assert!(
            reminder.prov.source.split(", ").any(|c| c == clause),
            "{agreement}: clause {clause} in {}",
            reminder.prov.source
        );
    }
    for agreement in ["altinn", "ssbtek", "inera"] {
        let a = catalog.get(agreement).expect("agreement");
        assert!(
            a.notifications.iter().all(|n| !n.what.contains("/incident publish")),
            "{agreement} has no publication duty"
        );
    }
}
