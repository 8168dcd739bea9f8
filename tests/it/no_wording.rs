//! Stored data holds data, never wording: on every agreement, an incident is opened, worked
//! (acknowledged, noted, reclassified, overridden, escalated), left to run through warnings,
//! breaches, status updates and follow-ups, resolved, reopened, resolved again and closed.
//! Then the incident rows, job payloads and timeline rows are read straight from the SQLite
//! file, and every string in them must be either without whitespace (ids, enum codes,
//! timestamps), text the test typed, or text copied verbatim from the agreement files
//! (agreement data, such as a rule's `reading`). A sentence vakt composed would fail this.

use crate::common;

use common::{Harness, every_fact, manager, responder};
use serde_json::Value;
use sqlx::Row;
use std::collections::BTreeSet;
use vakt::domain::classify::Facts;
use vakt::domain::incident::Resolution;

/// (agreement, top impact, a lower impact, a priority to override to, start).
const CASES: [(&str, &str, &str, &str, &str); 5] = [
    ("ssbtek", "1", "2", "3", "2026-11-20T16:30:00+01:00"),
    (
        "borger-dk",
        "unavailable",
        "functions",
        "3",
        "2026-11-23T09:00:00+01:00",
    ),
    ("inera", "unusable", "partly_usable", "3", "2026-11-21T03:00:00+01:00"),
    ("altinn", "unavailable", "degraded", "C", "2026-11-23T10:00:00+01:00"),
    ("difi", "unavailable", "degraded", "C", "2026-11-23T10:00:00+01:00"),
];

const TYPED: [&str; 8] = [
    "Typed title with spaces",
    "Typed description with spaces",
    "typed note one",
    "typed override reason",
    "typed escalation reason",
    "typed resolve note",
    "typed reopen reason",
    "typed second resolve note",
];

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

fn agreement_texts() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("agreements");
    let mut all = String::new();
    for e in std::fs::read_dir(&dir).expect("agreements dir").flatten() {
        if e.path().extension().is_some_and(|x| x == "toml") {
            all += &std::fs::read_to_string(e.path()).expect("read agreement");
        }
    }
    all
}

#[tokio::test]
async fn stored_payloads_and_timelines_hold_no_rendered_wording() {
    let agreements = agreement_texts();
    for (agreement, top, lower, to, start) in CASES {
        let h = Harness::start(start).await;
        let svc = h.service();
        let facts = |impact: &str| Facts {
            impact: impact.into(),
            ..Facts::default()
        };
        let inc = svc
            .open(&responder(), agreement, TYPED[0], TYPED[1], facts(top))
            .await
            .unwrap_or_else(|e| panic!("{agreement}: open: {e}"));
        let id = inc.id().to_string();
        // Let warnings, breaches, notifications and status updates fire.
        h.advance_to(h.now() + chrono::Duration::hours(30)).await;
        svc.acknowledge(&responder(), &id).await.expect("ack");
        svc.add_update(&responder(), &id, TYPED[2]).await.expect("note");
        svc.reclassify(&manager(), &id, &every_fact(facts(lower)), Some(TYPED[3]))
            .await
            .expect("reclassify");
        svc.override_priority(&manager(), &id, to, TYPED[3])
            .await
            .expect("override");
        match svc.escalate(&responder(), &id, TYPED[4]).await {
            // Already escalated to the top by the breaches: refused, which is fine here.
            Ok(_)
            | Err(vakt::service::ServiceError::User(vakt::service::UserError::Incident(
                vakt::domain::incident::IncidentError::TopOfLadder { .. },
            ))) => {}
            Err(e) => panic!("{agreement}: escalate: {e}"),
        }
        h.advance_to(h.now() + chrono::Duration::hours(6)).await;
        svc.resolve(&responder(), &id, Resolution::Workaround, Some(TYPED[5].into()))
            .await
            .expect("resolve");
        h.advance_to(h.now() + chrono::Duration::hours(2)).await;
        svc.reopen(&responder(), &id, TYPED[6]).await.expect("reopen");
        h.advance_to(h.now() + chrono::Duration::hours(2)).await;
        svc.resolve(&responder(), &id, Resolution::Fix, Some(TYPED[7].into()))
            .await
            .expect("resolve again");
        h.advance_to(h.now() + chrono::Duration::days(20)).await;
        svc.close(&manager(), &id).await.expect("close");

        let url = format!("sqlite://{}", h.sqlite_path().display());
        let pool = sqlx::SqlitePool::connect(&url).await.expect("open the database file");
        let mut leaves = Vec::new();
        let mut rows = 0;
        for (sql, column) in [
            ("SELECT data AS j FROM incidents", "j"),
            ("SELECT payload AS j FROM jobs", "j"),
            ("SELECT event AS j FROM timeline", "j"),
        ] {
            for row in sqlx::query(sql).fetch_all(&pool).await.expect("query") {
                let text: String = row.try_get(column).expect("json column");
                let v: Value = serde_json::from_str(&text).expect("stored JSON");
                strings(&v, &mut leaves);
                rows += 1;
            }
        }
        let outcomes: Vec<String> = sqlx::query("SELECT outcome FROM jobs WHERE outcome IS NOT NULL")
            .fetch_all(&pool)
            .await
            .expect("outcomes")
            .iter()
            .map(|r| r.try_get::<String, _>("outcome").expect("outcome"))
            .collect();
        pool.close().await;
        assert!(rows > 15, "{agreement}: the scenario stored only {rows} rows");
        let bad: BTreeSet<&String> = leaves
            .iter()
            .chain(&outcomes)
            .filter(|s| s.chars().any(char::is_whitespace))
            .filter(|s| !TYPED.contains(&s.as_str()))
            .filter(|s| !agreements.contains(s.as_str()))
            .collect();
        assert!(bad.is_empty(), "{agreement}: stored wording: {bad:#?}");
        // The scan sees the stored texts: what the test typed is there.
        for typed in [TYPED[0], TYPED[2], TYPED[3], TYPED[6]] {
            assert!(
                leaves.iter().any(|s| s == typed),
                "{agreement}: {typed:?} not found in the stored rows"
            );
        }
        let jobs = h.jobs().await;
        assert!(
            jobs.iter().any(|j| j.outcome.as_deref() == Some("posted")),
            "{agreement}: something was posted"
        );
    }
}
