//! The report engine on fixed datasets: incidents built through their transitions with
//! explicit times, and the weekly and monthly figures computed by hand (the arithmetic of
//! each in a comment) for Inera, Borger.dk and SSBTEK; the renderers' Discord limits; the
//! PNG chart; and `vakt report monthly` on a SQLite file.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;
use vakt::agreements::{Catalog, load_dir};
use vakt::domain::agreement::Agreement;
use vakt::domain::classify::Facts;
use vakt::domain::ids::{AgreementId, IncidentId, UserId};
use vakt::domain::incident::{BotAction, Event, Incident, Milestone, NewIncident, Resolution, TimelineEntry};
use vakt::domain::meeting::MeetingPoint;
use vakt::domain::report::{self, ComingKind, IsoWeekSpec, MonthSpec, Timelines, YearSpec};
use vakt::render::report as render;

const AGREEMENTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/agreements");

fn catalog() -> Catalog {
    load_dir(std::path::Path::new(AGREEMENTS)).expect("agreements load")
}

fn agreement(cat: &Catalog, id: &str) -> Arc<Agreement> {
    cat.get(id).expect("agreement").clone()
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc)
}

const H: i64 = 3600;
const M: i64 = 60;

fn open(a: &Agreement, seq: u32, impact: &str, security: bool, at: &str) -> Incident {
    let (inc, _) = Incident::open(
        a,
        Incident::make_id(&a.incident_prefix, 2026, seq),
        NewIncident {
            title: format!("incident {seq}"),
            description: String::new(),
            reporter: UserId::new("reporter"),
            facts: Facts {
                impact: impact.into(),
                security,
                ..Facts::default()
            },
            service: None,
            reported_at: t(at),
        },
    )
    .expect("open");
    inc.with_version(i64::from(seq))
}

fn ack(inc: &mut Incident, at: &str) {
    inc.acknowledge("responder", t(at)).expect("acknowledge");
}

fn resolve(inc: &mut Incident, at: &str) {
    inc.resolve("responder", Resolution::Fix, None, t(at)).expect("resolve");
}

/// The bot recording a breach at the deadline, announced at `level`.
fn breach(inc: &mut Incident, m: Milestone, level: u32) {
    let due = inc.due(m).expect("deadline");
    inc.record(
        &BotAction::Breached {
            milestone: m,
            due,
            level,
            base: 1,
            role: "role".into(),
        },
        due,
    );
}

fn id(s: &str) -> IncidentId {
    IncidentId::new(s)
}

fn ids(v: &[&str]) -> Vec<IncidentId> {
    v.iter().map(|s| id(s)).collect()
}

fn approx(a: Option<f64>, b: f64) {
    let a = a.expect("a percentage");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

// ---------------------------------------------------------------------------------------
// Inera (Europe/Stockholm; Prio 1 response 30 min, resolution 4 h; Prio 2 1 h / 4 h, both
// around the clock, so business time = wall time). No compliance goal in the text.

fn inera_dataset(a: &Agreement) -> Vec<Incident> {
    // INE-1: Prio 1 Mon 5 Oct 10:00, acknowledged 10:20 (20 min ≤ 30: within), resolved
    // 13:00 (3 h ≤ 4 h: within).
    let mut i1 = open(a, 1, "unusable", false, "2026-10-05T10:00:00+02:00");
    ack(&mut i1, "2026-10-05T10:20:00+02:00");
    resolve(&mut i1, "2026-10-05T13:00:00+02:00");
    // INE-2: a late response. Prio 1 Tue 6 Oct 09:00, response due 09:30; the breach is
    // recorded at 09:30 (level 1); acknowledged 09:45: outside by 15 min. Resolved 12:00
    // (due 13:00: within).
    let mut i2 = open(a, 2, "unusable", false, "2026-10-06T09:00:00+02:00");
    breach(&mut i2, Milestone::Response, 1);
    ack(&mut i2, "2026-10-06T09:45:00+02:00");
    resolve(&mut i2, "2026-10-06T12:00:00+02:00");
    // INE-3: a reopen. Prio 2 Wed 7 Oct 08:00 (response due 09:00, resolution 12:00).
    // Acknowledged 08:30 (within); resolved 11:00 (on time), reopened 14:00: it stood
    // resolved 3 h, so the resolution deadline moves to 12:00 + 3 h = 15:00 and the first
    // resolution no longer counts. Resolved again 16:00: outside by 1 h. Its resolution
    // time: 08:00→16:00 = 8 h, less the 3 h it stood resolved = 5 h.
    let mut i3 = open(a, 3, "partly_usable", false, "2026-10-07T08:00:00+02:00");
    ack(&mut i3, "2026-10-07T08:30:00+02:00");
    resolve(&mut i3, "2026-10-07T11:00:00+02:00");
    i3.reopen(a, "responder", "came back", t("2026-10-07T14:00:00+02:00"))
        .expect("reopen");
    resolve(&mut i3, "2026-10-07T16:00:00+02:00");
    // INE-4: a priority change. Reported Prio 2 Mon 12 Oct 10:00, raised by a manager to
    // Prio 1 at 10:10: Prio 1 deadlines from the original clock start (response 10:30,
    // resolution 14:00). Acknowledged 10:25 (25 min: within), resolved 13:30 (3.5 h:
    // within). Counted under Prio 1.
    let mut i4 = open(a, 4, "partly_usable", false, "2026-10-12T10:00:00+02:00");
    i4.override_priority(a, "manager", "1", "whole region down", t("2026-10-12T10:10:00+02:00"))
        .expect("override");
    ack(&mut i4, "2026-10-12T10:25:00+02:00");
    resolve(&mut i4, "2026-10-12T13:30:00+02:00");
    // INE-5: spans the month boundary. Prio 2 Sat 31 Oct 22:00 CET (response due 23:00,
    // resolution Sun 1 Nov 02:00). Acknowledged 22:30 (within, October); resolved 1 Nov
    // 01:00 (within, November).
    let mut i5 = open(a, 5, "partly_usable", false, "2026-10-31T22:00:00+01:00");
    ack(&mut i5, "2026-10-31T22:30:00+01:00");
    resolve(&mut i5, "2026-11-01T01:00:00+01:00");
    // INE-6: an unmet resolution. Prio 1 Tue 20 Oct 08:00, acknowledged 08:10 (within);
    // resolution due 12:00, breached (level 1) and escalated to level 2; still open.
    let mut i6 = open(a, 6, "unusable", false, "2026-10-20T08:00:00+02:00");
    ack(&mut i6, "2026-10-20T08:10:00+02:00");
    breach(&mut i6, Milestone::Resolution, 1);
    i6.record(
        &BotAction::Escalated {
            milestone: Milestone::Resolution,
            level: 2,
            role: "nationell_kundservice".into(),
        },
        t("2026-10-20T13:00:00+02:00"),
    );
    // INE-7: Prio 2 Fri 23 Oct 10:00, acknowledged 10:30 (within); resolution due 14:00.
    let mut i7 = open(a, 7, "partly_usable", false, "2026-10-23T10:00:00+02:00");
    ack(&mut i7, "2026-10-23T10:30:00+02:00");
    vec![i1, i2, i3, i4, i5, i6, i7]
}

#[test]
fn inera_monthly_october() {
    let cat = catalog();
    let a = agreement(&cat, "inera");
    let mut incs = inera_dataset(&a);
    // INE-7 resolved in time on 23 Oct 13:00 (3 h) for the month's figures.
    resolve(&mut incs[6], "2026-10-23T13:00:00+02:00");
    let r = report::monthly(
        &a,
        &incs,
        MonthSpec::parse("2026-10").expect("month"),
        t("2026-12-01T00:00:00Z"),
    )
    .expect("report");
    let f = &r.figures;
    // The month ends at local midnight 1 Nov CET = 31 Oct 23:00 UTC.
    assert_eq!(f.as_of, t("2026-10-31T23:00:00Z"));
    let p1 = f.priority("1").expect("prio 1");
    let p2 = f.priority("2").expect("prio 2");
    // Opened: Prio 1 INE-1, 2, 4 (raised), 6; Prio 2 INE-3, 5, 7.
    assert_eq!(
        p1.opened,
        ids(&["INE-2026-0001", "INE-2026-0002", "INE-2026-0004", "INE-2026-0006"])
    );
    assert_eq!(p2.opened, ids(&["INE-2026-0003", "INE-2026-0005", "INE-2026-0007"]));
    // Resolved in October: INE-1, 2, 4 (Prio 1); INE-3, 7 (Prio 2); INE-5 only in November.
    assert_eq!(p1.resolved, ids(&["INE-2026-0001", "INE-2026-0002", "INE-2026-0004"]));
    assert_eq!(p2.resolved, ids(&["INE-2026-0003", "INE-2026-0007"]));
    // Response, Prio 1: within INE-1, 4, 6; outside INE-2 → 3/4 = 75 %.
    assert_eq!(
        p1.response.within,
        ids(&["INE-2026-0001", "INE-2026-0004", "INE-2026-0006"])
    );
    assert_eq!(p1.response.outside, ids(&["INE-2026-0002"]));
    approx(p1.response.percent, 75.0);
    // Response, Prio 2: INE-3, 5 (settled 31 Oct 22:30), 7 within → 100 %.
    assert_eq!(
        p2.response.within,
        ids(&["INE-2026-0003", "INE-2026-0005", "INE-2026-0007"])
    );
    approx(p2.response.percent, 100.0);
    // Overall response 6/7.
    approx(f.response.percent, 6.0 * 100.0 / 7.0);
    // Resolution, Prio 1: within INE-1, 2, 4; outside INE-6 (deadline 20 Oct) → 75 %.
    assert_eq!(p1.resolution.outside, ids(&["INE-2026-0006"]));
    approx(p1.resolution.percent, 75.0);
    // Resolution, Prio 2: INE-3 outside (after the reopen), INE-7 within; INE-5 is
    // November's → 1/2 = 50 %. Overall 4/6.
    assert_eq!(p2.resolution.within, ids(&["INE-2026-0007"]));
    assert_eq!(p2.resolution.outside, ids(&["INE-2026-0003"]));
    approx(p2.resolution.percent, 50.0);
    approx(f.resolution.percent, 4.0 * 100.0 / 6.0);
    // No goal in Inera's text.
    assert_eq!(f.response.goal, None);
    assert_eq!(f.goal_source, None);
    // Response times (business = wall): Prio 1 10 min (INE-6), 20 (1), 25 (4), 45 (2):
    // median = rank ⌈0.5·4⌉ = 2 → 20 min; p90 = rank ⌈3.6⌉ = 4 → 45 min; max 45 (INE-2).
    assert_eq!(p1.response_times.median, Some(20 * M));
    assert_eq!(p1.response_times.p90, Some(45 * M));
    assert_eq!(p1.response_times.max, Some(45 * M));
    assert_eq!(p1.response_times.max_incident, Some(id("INE-2026-0002")));
    // All: 10, 20, 25, 30 (3), 30 (5), 30 (7), 45 → median rank 4 = 30 min, p90 rank
    // ⌈6.3⌉ = 7 → 45 min.
    assert_eq!(f.response_times.count, 7);
    assert_eq!(f.response_times.median, Some(30 * M));
    assert_eq!(f.response_times.p90, Some(45 * M));
    // Resolution times: Prio 1 3 h (1), 3 h (2), 3.5 h (4) → median rank 2 = 3 h, p90 rank 3
    // = 3.5 h. Prio 2: INE-3 5 h (8 h less 3 h resolved), INE-7 3 h.
    assert_eq!(p1.resolution_times.median, Some(3 * H));
    assert_eq!(p1.resolution_times.p90, Some(3 * H + 30 * M));
    assert_eq!(
        p2.resolution_times.values,
        vec![(3 * H, id("INE-2026-0007")), (5 * H, id("INE-2026-0003"))]
    );
    // Escalated: INE-2 (level 1), INE-6 (level 2). No security facts in Inera.
    assert_eq!(f.escalated, ids(&["INE-2026-0002", "INE-2026-0006"]));
    assert!(f.security.is_empty());
    // Breaches, by deadline: INE-2 response (6 Oct 09:30, 15 min late), INE-3 resolution
    // (7 Oct 15:00, met 16:00: 1 h), INE-6 resolution (20 Oct 12:00 CEST = 10:00 UTC, unmet
    // at 31 Oct 23:00 UTC: 11 d 13 h = 277 h), level 2.
    let b: Vec<_> = f
        .breaches
        .iter()
        .map(|b| (b.incident.as_str(), b.milestone, b.late_business, b.late_wall, b.level))
        .collect();
    assert_eq!(
        b,
        vec![
            ("INE-2026-0002", Milestone::Response, 15 * M, 15 * M, 1),
            ("INE-2026-0003", Milestone::Resolution, H, H, 0),
            ("INE-2026-0006", Milestone::Resolution, 277 * H, 277 * H, 2),
        ]
    );
    // Sources: every incident, at its version.
    let src: Vec<(String, i64)> = r
        .sources()
        .iter()
        .map(|s| (s.incident.to_string(), s.version))
        .collect();
    assert_eq!(src.len(), 7);
    assert_eq!(src[0], ("INE-2026-0001".to_string(), 1));
    // Deterministic and round-trips through JSON.
    let again = report::monthly(
        &a,
        &incs,
        MonthSpec::parse("2026-10").expect("month"),
        t("2026-12-01T00:00:00Z"),
    )
    .expect("report");
    assert_eq!(r, again);
    let back: report::MonthlyReport = serde_json::from_str(&render::json(&r).expect("json")).expect("parse");
    assert_eq!(back, r);
}

#[test]
fn inera_november_counts_the_resolution_across_the_boundary() {
    let cat = catalog();
    let a = agreement(&cat, "inera");
    let incs = inera_dataset(&a);
    let r = report::monthly(
        &a,
        &incs,
        MonthSpec::parse("2026-11").expect("month"),
        t("2026-11-15T00:00:00Z"),
    )
    .expect("report");
    let p2 = r.figures.priority("2").expect("prio 2");
    // INE-5's resolution (1 Nov 01:00, within) is November's; its response is not.
    assert_eq!(p2.resolution.within, ids(&["INE-2026-0005"]));
    assert!(p2.response.within.is_empty());
    // INE-7 (unresolved, due 23 Oct 14:00) was settled in October, not here.
    assert!(p2.resolution.outside.is_empty());
    assert!(r.figures.priority("1").expect("prio 1").opened.is_empty());
}

#[test]
fn inera_weekly_w43_mid_week() {
    let cat = catalog();
    let a = agreement(&cat, "inera");
    let incs = inera_dataset(&a);
    // The ETA follow-up of INE-6 was posted at 12:00.
    let mut timelines = Timelines::new();
    timelines.insert(
        id("INE-2026-0006"),
        vec![TimelineEntry {
            at: t("2026-10-20T12:00:00+02:00"),
            actor: "vakt".into(),
            event: Event::FollowUpDue { id: "eta".into() },
        }],
    );
    let point = |n: i64, text: &str, due: &str, done: Option<&str>| MeetingPoint {
        id: n,
        agreement: AgreementId::new("inera"),
        meeting: "operational".into(),
        text: text.into(),
        owner: Some(UserId::new("owner")),
        due: t(due),
        created_by: UserId::new("chair"),
        created_at: t("2026-10-01T10:00:00+02:00"),
        done: done.map(|d| (t(d), UserId::new("owner"))),
    };
    let points = vec![
        point(
            1,
            "@everyone send the capacity plan <@123>",
            "2026-10-30T10:00:00+01:00",
            None,
        ),
        point(
            2,
            "done already",
            "2026-10-22T10:00:00+02:00",
            Some("2026-10-21T10:00:00+02:00"),
        ),
        point(3, "overdue one", "2026-10-22T10:00:00+02:00", None),
    ];
    // Judged mid-week: Fri 23 Oct 12:00 CEST.
    let now = t("2026-10-23T12:00:00+02:00");
    let r = report::weekly(
        &a,
        &incs,
        &timelines,
        &points,
        IsoWeekSpec::parse("2026-W43").expect("week"),
        now,
    )
    .expect("report");
    assert_eq!(r.as_of(), now);
    // Opened this week: INE-6 (Prio 1), INE-7 (Prio 2); nothing resolved yet.
    let f = &r.figures;
    assert_eq!(f.priority("1").expect("p1").opened, ids(&["INE-2026-0006"]));
    assert_eq!(f.priority("2").expect("p2").opened, ids(&["INE-2026-0007"]));
    assert!(f.priorities.iter().all(|p| p.resolved.is_empty()));
    // Open at 23 Oct 12:00: INE-6 (resolution overdue since 20 Oct 12:00: 3 d = 72 h) and
    // INE-7 (resolution due 14:00: 2 h left); both responses met.
    let open: Vec<_> = r
        .open
        .iter()
        .map(|o| {
            (
                o.incident.as_str(),
                o.level,
                o.response.is_none(),
                o.resolution.as_ref().map(|l| (l.business_left, l.wall_left)),
            )
        })
        .collect();
    assert_eq!(
        open,
        vec![
            ("INE-2026-0006", 2, true, Some((-72 * H, -72 * H))),
            ("INE-2026-0007", 0, true, Some((2 * H, 2 * H))),
        ]
    );
    // Breaches live this week: INE-6's resolution, 72 h late so far, level 2.
    assert_eq!(r.breaches.len(), 1);
    assert_eq!(
        (
            r.breaches[0].incident.as_str(),
            r.breaches[0].late_business,
            r.breaches[0].level
        ),
        ("INE-2026-0006", 72 * H, 2)
    );
    // Compliance so far in October (1 Oct to 23 Oct 12:00): response within INE-1, 3, 4,
    // 6, 7, outside INE-2 → 5/6; resolution within INE-1, 2, 4, outside INE-3, 6 → 3/5.
    assert_eq!(r.month.to_string(), "2026-10");
    approx(r.month_to_date.response.percent, 500.0 / 6.0);
    approx(r.month_to_date.resolution.percent, 60.0);
    // Inera sets no status cadence.
    assert!(r.status_updates.is_empty());
    // Follow-ups due this week: INE-6's ETA (20 Oct 08:00 + 4 h = 12:00, posted) and
    // INE-7's (23 Oct 14:00, not yet).
    let fu: Vec<_> = r
        .follow_ups
        .iter()
        .map(|f| (f.incident.as_str(), f.follow_up.as_str(), f.due, f.posted))
        .collect();
    assert_eq!(
        fu,
        vec![
            ("INE-2026-0006", "eta", t("2026-10-20T12:00:00+02:00"), true),
            ("INE-2026-0007", "eta", t("2026-10-23T14:00:00+02:00"), false),
        ]
    );
    // Open points: #3 (overdue) and #1; #2 was done.
    let pts: Vec<_> = r.points.iter().map(|p| (p.id, p.overdue)).collect();
    assert_eq!(pts, vec![(3, true), (1, false)]);
    // Coming two weeks (to 6 Nov 12:00): INE-7's resolution deadline and ETA at 14:00 (23
    // Oct), point #1 on 30 Oct.
    let coming: Vec<_> = r.coming.iter().map(|c| (c.at, c.kind.clone())).collect();
    assert_eq!(coming.len(), 3, "{coming:?}");
    assert!(coming[..2].iter().all(|(at, _)| *at == t("2026-10-23T14:00:00+02:00")));
    assert!(coming.iter().any(|(_, k)| matches!(
        k,
        ComingKind::Deadline {
            milestone: Milestone::Resolution,
            ..
        }
    )));
    assert_eq!(coming[2], (t("2026-10-30T10:00:00+01:00"), ComingKind::Point { id: 1 }));
    // The Markdown keeps the point's text from pinging anyone and fits Discord.
    let md = render::weekly_markdown(&r, Some(&a), vakt::render::Locale::En);
    assert!(md.contains("send the capacity plan"));
    assert!(!md.contains("@everyone") && !md.contains("<@123>"), "{md}");
    for c in render::discord_chunks(&md) {
        assert!(c.chars().count() <= render::DISCORD_LIMIT);
    }
}

// ---------------------------------------------------------------------------------------
// Borger.dk (Europe/Copenhagen; primary operating time Mon–Fri 08:30–16:30; priority 1
// 15 min / 4 h, priority 2 4 h / 8 h; goals: response 90 % overall, resolution 95 % for
// each category, clause 8).

fn borger_dataset(a: &Agreement) -> Vec<Incident> {
    // BDK-1: security incident, priority 1, Thu 1 Oct 09:00. Acknowledged 09:10 (10 min,
    // within); resolved 12:00 (due 13:00; 3 h of business time).
    let mut b1 = open(a, 1, "unavailable", true, "2026-10-01T09:00:00+02:00");
    ack(&mut b1, "2026-10-01T09:10:00+02:00");
    resolve(&mut b1, "2026-10-01T12:00:00+02:00");
    // BDK-2: a late response across a weekend. Priority 1 Fri 2 Oct 16:00: response due
    // 16:15; resolution: 30 min Friday + 3.5 h Monday from 08:30 = Mon 5 Oct 12:00.
    // Acknowledged Mon 08:40: late by 15 min (Fri 16:15–16:30) + 10 min (Mon 08:30–08:40)
    // = 25 min of business time, and by 2 d 16 h 25 min = 64 h 25 min of wall time. Its
    // response time is 30 + 10 = 40 min. Resolved Mon 11:00 (within): 30 min + 2.5 h = 3 h.
    let mut b2 = open(a, 2, "unavailable", false, "2026-10-02T16:00:00+02:00");
    breach(&mut b2, Milestone::Response, 1);
    ack(&mut b2, "2026-10-05T08:40:00+02:00");
    resolve(&mut b2, "2026-10-05T11:00:00+02:00");
    // BDK-3: priority 2 Tue 13 Oct 10:00: response due 14:00, acknowledged 11:00 (1 h,
    // within). Resolution 8 h: 6.5 h Tuesday (10:00–16:30) + 1.5 h Wednesday → Wed 10:00;
    // resolved Wed 11:30: late by 1.5 h (business and wall). Resolution time 6.5 h + 3 h =
    // 9.5 h.
    let mut b3 = open(a, 3, "functions", false, "2026-10-13T10:00:00+02:00");
    ack(&mut b3, "2026-10-13T11:00:00+02:00");
    resolve(&mut b3, "2026-10-14T11:30:00+02:00");
    // BDK-4: priority change. Reported priority 2 Wed 21 Oct 09:00, overridden to 1 at
    // 09:05: response due 09:15, resolution 13:00. Acknowledged 09:12 (12 min, within),
    // resolved 12:30 (3.5 h, within).
    let mut b4 = open(a, 4, "functions", false, "2026-10-21T09:00:00+02:00");
    b4.override_priority(a, "manager", "1", "site down", t("2026-10-21T09:05:00+02:00"))
        .expect("override");
    ack(&mut b4, "2026-10-21T09:12:00+02:00");
    resolve(&mut b4, "2026-10-21T12:30:00+02:00");
    // BDK-5: spans the month boundary. Priority 2 Fri 30 Oct 15:00 CET: response 4 h =
    // 1.5 h Friday + 2.5 h Monday → Mon 2 Nov 11:00; acknowledged Fri 15:30 (30 min,
    // within, October). Resolution 8 h = 1.5 h + 6.5 h → Mon 2 Nov 15:00; resolved Mon 14:00
    // (within, November).
    let mut b5 = open(a, 5, "functions", false, "2026-10-30T15:00:00+01:00");
    ack(&mut b5, "2026-10-30T15:30:00+01:00");
    resolve(&mut b5, "2026-11-02T14:00:00+01:00");
    vec![b1, b2, b3, b4, b5]
}

#[test]
fn borger_monthly_october_goals_per_category() {
    let cat = catalog();
    let a = agreement(&cat, "borger-dk");
    let incs = borger_dataset(&a);
    let r = report::monthly(
        &a,
        &incs,
        MonthSpec::parse("2026-10").expect("month"),
        t("2026-12-01T00:00:00Z"),
    )
    .expect("report");
    let f = &r.figures;
    let p1 = f.priority("1").expect("p1");
    let p2 = f.priority("2").expect("p2");
    assert_eq!(p1.opened, ids(&["BDK-2026-0001", "BDK-2026-0002", "BDK-2026-0004"]));
    assert_eq!(p2.opened, ids(&["BDK-2026-0003", "BDK-2026-0005"]));
    // Response: priority 1 within BDK-1, 4, outside BDK-2; priority 2 within BDK-3, 5 →
    // overall 4/5 = 80 % against the overall goal of 90 %: not met. No per-category
    // response goal.
    assert_eq!(p1.response.outside, ids(&["BDK-2026-0002"]));
    approx(f.response.percent, 80.0);
    assert_eq!(f.response.goal, Some(90.0));
    assert_eq!(f.response.goal_met, Some(false));
    assert_eq!(p1.response.goal, None);
    // Resolution, for each category: priority 1 3/3 = 100 % ≥ 95 % (met); priority 2 BDK-3
    // outside, BDK-5 is November's → 0/1 = 0 % (not met); priorities 3 and 4 nothing
    // counted (no percentage). No overall resolution goal.
    approx(p1.resolution.percent, 100.0);
    assert_eq!((p1.resolution.goal, p1.resolution.goal_met), (Some(95.0), Some(true)));
    approx(p2.resolution.percent, 0.0);
    assert_eq!((p2.resolution.goal, p2.resolution.goal_met), (Some(95.0), Some(false)));
    let p3 = f.priority("3").expect("p3");
    assert_eq!((p3.resolution.percent, p3.resolution.goal_met), (None, None));
    assert_eq!(f.resolution.goal, None);
    approx(f.resolution.percent, 75.0);
    // Response times (business time): priority 1 10 min (1), 12 (4), 40 (2) → median rank
    // 2 = 12 min, p90 rank 3 = 40 min; all: 10, 12, 30 (5), 40, 60 (3) → median rank 3 =
    // 30 min, p90 rank ⌈4.5⌉ = 5 → 60 min, max BDK-3.
    assert_eq!(p1.response_times.median, Some(12 * M));
    assert_eq!(p1.response_times.p90, Some(40 * M));
    assert_eq!(f.response_times.median, Some(30 * M));
    assert_eq!(f.response_times.p90, Some(60 * M));
    assert_eq!(f.response_times.max_incident, Some(id("BDK-2026-0003")));
    // Resolution times: 3 h (1), 3 h (2), 3.5 h (4), 9.5 h (3) → median rank 2 = 3 h, p90
    // rank 4 = 9.5 h.
    assert_eq!(f.resolution_times.median, Some(3 * H));
    assert_eq!(f.resolution_times.p90, Some(9 * H + 30 * M));
    // Breaches: BDK-2 response, 25 min business / 64 h 25 min wall, level 1; BDK-3
    // resolution, 1.5 h both, level 0.
    let b: Vec<_> = f
        .breaches
        .iter()
        .map(|b| (b.incident.as_str(), b.milestone, b.late_business, b.late_wall, b.level))
        .collect();
    assert_eq!(
        b,
        vec![
            ("BDK-2026-0002", Milestone::Response, 25 * M, 64 * H + 25 * M, 1),
            ("BDK-2026-0003", Milestone::Resolution, 90 * M, 90 * M, 0),
        ]
    );
    assert_eq!(f.security, ids(&["BDK-2026-0001"]));
    assert_eq!(f.escalated, ids(&["BDK-2026-0002"]));
    assert_eq!(f.goal_source.as_deref(), Some("8"));

    // Renderings: Markdown chunks within Discord's limit, CSV rows carrying the ids, and a
    // chart that decodes at its fixed size with several colours.
    let md = render::monthly_markdown(&r, Some(&a), vakt::render::Locale::En);
    let chunks = render::discord_chunks(&md);
    assert!(!chunks.is_empty());
    assert!(chunks.iter().all(|c| c.chars().count() <= render::DISCORD_LIMIT));
    assert_eq!(
        chunks.concat().matches("BDK-2026-0002").count(),
        md.matches("BDK-2026-0002").count()
    );
    let csv = render::monthly_csv(&r);
    assert!(csv.starts_with(render::CSV_HEADER));
    assert!(
        csv.lines()
            .any(|l| l.starts_with("borger-dk,2026-10,1,response,outside,1,,BDK-2026-0002"))
    );
    let png = render::monthly_png(&r, Some(&a), vakt::render::Locale::En).expect("png");
    let img = image::load_from_memory(&png).expect("decodes").to_rgb8();
    assert_eq!(
        (img.width(), img.height()),
        (
            render::chart::WIDTH,
            render::chart::plan(&r, Some(&a), vakt::render::Locale::En).height()
        )
    );
    let colours: std::collections::HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    assert!(colours.len() >= 5, "{} colours", colours.len());
}

#[test]
fn borger_weekly_w41_status_updates_and_follow_ups() {
    let cat = catalog();
    let a = agreement(&cat, "borger-dk");
    let incs = borger_dataset(&a);
    // One periodic status update posted Monday 08:00.
    let mut timelines: Timelines = HashMap::new();
    timelines.insert(
        id("BDK-2026-0002"),
        vec![TimelineEntry {
            at: t("2026-10-05T08:00:00+02:00"),
            actor: "vakt".into(),
            event: Event::StatusPosted {
                seq: 9,
                reminded_lead: false,
            },
        }],
    );
    let r = report::weekly(
        &a,
        &incs,
        &timelines,
        &[],
        IsoWeekSpec::parse("2026-W41").expect("week"),
        t("2026-12-01T00:00:00Z"),
    )
    .expect("report");
    // Week 5–11 Oct; judged at its end, Mon 12 Oct 00:00 CEST.
    assert_eq!(r.as_of(), t("2026-10-11T22:00:00Z"));
    // Nothing opened; BDK-2 resolved (priority 1).
    assert!(r.figures.priorities.iter().all(|p| p.opened.is_empty()));
    assert_eq!(r.figures.priority("1").expect("p1").resolved, ids(&["BDK-2026-0002"]));
    // BDK-2's late response (met Monday 08:40) is live in the week: 25 min business.
    assert_eq!(r.breaches.len(), 1);
    assert_eq!(r.breaches[0].late_business, 25 * M);
    assert!(r.open.is_empty());
    // Status updates of BDK-2 (priority 1, hourly within Mon–Fri 08:00–22:00, Sat–Sun
    // 10:00–20:00, else 08:00 the next day): from Sunday's last at 19:00 the next falls
    // Monday 08:00, then 09:00 and 10:00 before the 11:00 resolution → 3 due this week;
    // 1 posted.
    assert_eq!(r.status_updates.len(), 1);
    assert_eq!((r.status_updates[0].due, r.status_updates[0].posted), (3, 1));
    // Follow-ups due this week: BDK-2's "back up" notice at its resolution (0 h after,
    // Mon 11:00), not posted.
    let fu: Vec<_> = r
        .follow_ups
        .iter()
        .map(|f| (f.incident.as_str(), f.follow_up.as_str(), f.due))
        .collect();
    assert_eq!(fu, vec![("BDK-2026-0002", "back_up", t("2026-10-05T11:00:00+02:00"))]);
    // Coming two weeks (to 26 Oct 00:00): the review reports 14 days after each
    // resolution: BDK-1 15 Oct 12:00, BDK-2 19 Oct 11:00.
    let coming: Vec<_> = r.coming.iter().map(|c| (c.at, c.kind.clone())).collect();
    assert_eq!(
        coming,
        vec![
            (
                t("2026-10-15T12:00:00+02:00"),
                ComingKind::FollowUp {
                    incident: id("BDK-2026-0001"),
                    follow_up: "review_report".into()
                }
            ),
            (
                t("2026-10-19T11:00:00+02:00"),
                ComingKind::FollowUp {
                    incident: id("BDK-2026-0002"),
                    follow_up: "review_report".into()
                }
            ),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// SSBTEK (Europe/Stockholm; support Mon–Fri 08:00–17:00; impact 2 is priority 3 outside
// critical periods (8 h / 5 wd) and priority 2 in them (1 h / 2 wd); goals 90 % overall).

fn ssbtek_dataset(a: &Agreement) -> Vec<Incident> {
    // SSB-1: Mon 5 Oct 10:00, priority 3. Response 8 h: 7 h Monday + 1 h → Tue 09:00;
    // acknowledged 11:00 (1 h, within). Resolution 5 wd → Mon 12 Oct 10:00; resolved Fri 9
    // Oct 15:00 (within): 7 h + 3 × 9 h + 7 h = 41 h of business time.
    let mut s1 = open(a, 1, "2", false, "2026-10-05T10:00:00+02:00");
    ack(&mut s1, "2026-10-05T11:00:00+02:00");
    resolve(&mut s1, "2026-10-09T15:00:00+02:00");
    // SSB-2: Tue 20 Oct 10:00, priority 2 (critical period). Response due 11:00,
    // acknowledged 13:00: late by 2 h (3 h response time). Resolution 2 wd → Thu 22 Oct
    // 10:00; resolved Wed 21 Oct 16:00 (within): 7 h + 8 h = 15 h.
    let mut s2 = open(a, 2, "2", false, "2026-10-20T10:00:00+02:00");
    ack(&mut s2, "2026-10-20T13:00:00+02:00");
    resolve(&mut s2, "2026-10-21T16:00:00+02:00");
    // SSB-3: spans the month boundary. Fri 30 Oct 16:00 CET, priority 2: response due
    // 17:00, acknowledged 16:30 (30 min, within, October); resolved Mon 2 Nov 10:00
    // (within, November).
    let mut s3 = open(a, 3, "2", false, "2026-10-30T16:00:00+01:00");
    ack(&mut s3, "2026-10-30T16:30:00+01:00");
    resolve(&mut s3, "2026-11-02T10:00:00+01:00");
    vec![s1, s2, s3]
}

#[test]
fn ssbtek_monthly_october_and_weekly_w43() {
    let cat = catalog();
    let a = agreement(&cat, "ssbtek");
    let incs = ssbtek_dataset(&a);
    assert_eq!(incs[0].priority().as_str(), "3");
    assert_eq!(incs[1].priority().as_str(), "2");
    let r = report::monthly(
        &a,
        &incs,
        MonthSpec::parse("2026-10").expect("month"),
        t("2026-12-01T00:00:00Z"),
    )
    .expect("report");
    let f = &r.figures;
    // Response: within SSB-1, 3; outside SSB-2 → 2/3 against 90 %: not met.
    approx(f.response.percent, 200.0 / 3.0);
    assert_eq!((f.response.goal, f.response.goal_met), (Some(90.0), Some(false)));
    // Resolution: SSB-1, 2 within (SSB-3 is November's) → 100 %: met.
    approx(f.resolution.percent, 100.0);
    assert_eq!(f.resolution.goal_met, Some(true));
    // Response times: 30 min (3), 1 h (1), 3 h (2) → median rank 2 = 1 h, p90 rank 3 = 3 h.
    assert_eq!(f.response_times.median, Some(H));
    assert_eq!(f.response_times.p90, Some(3 * H));
    // Resolution times: 15 h (2), 41 h (1) → median rank 1 = 15 h, p90 rank 2 = 41 h.
    assert_eq!(f.resolution_times.median, Some(15 * H));
    assert_eq!(f.resolution_times.max, Some(41 * H));
    assert_eq!(f.breaches.len(), 1);
    assert_eq!((f.breaches[0].late_business, f.breaches[0].late_wall), (2 * H, 2 * H));
    assert!(f.escalated.is_empty());

    // Week 43 (19–25 Oct) judged at its end: SSB-2 opened and resolved (priority 2), its
    // late response the week's one breach; nothing open; October so far (to 26 Oct 00:00):
    // response 1/2 (SSB-1 within, SSB-2 outside), resolution 2/2.
    let w = report::weekly(
        &a,
        &incs,
        &Timelines::new(),
        &[],
        IsoWeekSpec::parse("2026-W43").expect("week"),
        t("2026-12-01T00:00:00Z"),
    )
    .expect("weekly");
    let p2 = w.figures.priority("2").expect("p2");
    assert_eq!(p2.opened, ids(&["SSB-2026-0002"]));
    assert_eq!(p2.resolved, ids(&["SSB-2026-0002"]));
    assert_eq!(w.breaches.len(), 1);
    assert!(w.open.is_empty());
    approx(w.month_to_date.response.percent, 50.0);
    approx(w.month_to_date.resolution.percent, 100.0);
    let src: Vec<&str> = w.sources().iter().map(|s| s.incident.as_str()).collect();
    assert_eq!(src, ["SSB-2026-0001", "SSB-2026-0002"]);
}

#[test]
fn annual_sums_the_months() {
    let cat = catalog();
    let a = agreement(&cat, "inera");
    let incs = inera_dataset(&a);
    let r = report::annual(
        &a,
        &incs,
        YearSpec::parse("2026").expect("year"),
        t("2027-01-15T00:00:00Z"),
    )
    .expect("annual");
    assert_eq!(r.months.len(), 12);
    let sum = |f: fn(&report::Figures) -> usize| r.months.iter().map(|m| f(&m.figures)).sum::<usize>();
    assert_eq!(sum(|f| f.response.counted()), r.overall.response.counted());
    assert_eq!(sum(|f| f.resolution.counted()), r.overall.resolution.counted());
    assert_eq!(sum(|f| f.breaches.len()), r.overall.breaches.len());
    let md = render::annual_markdown(&r, Some(&a), vakt::render::Locale::En);
    assert!(render::discord_chunks(&md).iter().all(|c| c.chars().count() <= 2000));
    assert!(render::annual_csv(&r).lines().count() > 12);
}

#[test]
fn a_changed_incident_changes_the_sources() {
    let cat = catalog();
    let a = agreement(&cat, "inera");
    let incs = inera_dataset(&a);
    let month = MonthSpec::parse("2026-10").expect("month");
    let now = t("2026-12-01T00:00:00Z");
    let before = report::monthly(&a, &incs, month, now).expect("report");
    let mut changed = incs.clone();
    let bumped = changed[0].clone().with_version(99);
    changed[0] = bumped;
    let after = report::monthly(&a, &changed, month, now).expect("report");
    assert_eq!(before.figures, after.figures);
    assert_ne!(before.sources(), after.sources());
}

#[test]
fn a_large_report_splits_into_discord_messages() {
    let cat = catalog();
    let a = agreement(&cat, "inera");
    // 300 late responses: a long breach table.
    let mut incs = Vec::new();
    for n in 0..300u32 {
        let day = 1 + (n % 28);
        let at = format!("2026-10-{day:02}T10:00:00+02:00");
        let mut i = open(&a, n + 1, "unusable", false, &at);
        ack(&mut i, &format!("2026-10-{day:02}T11:00:00+02:00"));
        incs.push(i);
    }
    let r = report::monthly(
        &a,
        &incs,
        MonthSpec::parse("2026-10").expect("month"),
        t("2026-12-01T00:00:00Z"),
    )
    .expect("report");
    assert_eq!(r.figures.breaches.len(), 300 + 300);
    let md = render::monthly_markdown(&r, Some(&a), vakt::render::Locale::En);
    let chunks = render::discord_chunks(&md);
    assert!(chunks.len() > 5);
    for c in &chunks {
        assert!(c.chars().count() <= render::DISCORD_LIMIT);
    }
    // Nothing is lost: every incident id is mentioned as often (table headers, which may
    // repeat, hold no ids).
    let all = chunks.concat();
    for n in [1, 150, 300] {
        let i = format!("INE-2026-{n:04}");
        assert_eq!(all.matches(&i).count(), md.matches(&i).count(), "{i}");
    }
}

// ---------------------------------------------------------------------------------------
// The CLI on a SQLite file.

fn vakt(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_vakt"))
        .arg("--dir")
        .arg(AGREEMENTS)
        .args(args)
        .env_remove("VAKT_AGREEMENTS")
        .env_remove("VAKT_DATABASE_URL")
        .env_remove("VAKT_CONFIG")
        .output()
        .expect("run vakt")
}

#[tokio::test]
async fn cli_report_monthly_reads_the_database() {
    let cat = catalog();
    let a = agreement(&cat, "borger-dk");
    let tmp = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", tmp.path().join("vakt.db").display());
    {
        let store = vakt::storage::connect(&url).await.expect("store");
        for inc in borger_dataset(&a) {
            store
                .insert_incident(&inc, &vakt::service::ports::Change::default())
                .await
                .expect("insert");
        }
    }
    let png = tmp.path().join("chart.png");
    let png_s = png.display().to_string();
    let o = vakt(&[
        "report",
        "monthly",
        "--agreement",
        "borger-dk",
        "--month",
        "2026-10",
        "--format",
        "json",
        "--database",
        &url,
        "--png",
        &png_s,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let r: report::MonthlyReport = serde_json::from_slice(&o.stdout).expect("a monthly report as JSON");
    // The same figures as computed in memory from the same incidents.
    let expected = report::monthly(
        &a,
        &borger_dataset(&a),
        MonthSpec::parse("2026-10").expect("month"),
        t("2026-12-01T00:00:00Z"),
    )
    .expect("report");
    assert_eq!(r.figures, expected.figures);
    assert_eq!(r.sources().len(), 5);
    let img = image::open(&png).expect("the chart decodes");
    assert_eq!(img.width(), 1200);
    assert!(img.height() >= 460, "{}", img.height());
    // Markdown and CSV too.
    for format in ["md", "csv"] {
        let o = vakt(&[
            "report",
            "monthly",
            "--agreement",
            "borger-dk",
            "--month",
            "2026-10",
            "--format",
            format,
            "--database",
            &url,
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(String::from_utf8_lossy(&o.stdout).contains("BDK-2026-0002"), "{format}");
    }
    let o = vakt(&[
        "report",
        "weekly",
        "--agreement",
        "borger-dk",
        "--week",
        "2026-W41",
        "--database",
        &url,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("BDK-2026-0002"));
    // The command line's reports are stored as revisions, as the scheduled ones are: one
    // per report and period.
    {
        let store = vakt::storage::connect(&url).await.expect("store");
        let stored = store.reports(&AgreementId::new("borger-dk")).await.expect("reports");
        let mut periods: Vec<&str> = stored.iter().map(|r| r.report.period.as_str()).collect();
        periods.sort();
        periods.dedup();
        assert_eq!(periods, ["2026-10", "2026-W41"], "{stored:?}");
    }
    // Bad input is bad usage (exit 2) and names the problem's option.
    for (args, needle) in [
        (
            vec!["report", "monthly", "--agreement", "nope", "--month", "2026-10"],
            "unknown agreement",
        ),
        (
            vec!["report", "monthly", "--agreement", "borger-dk", "--month", "2026-13"],
            "--month",
        ),
        (
            vec!["report", "weekly", "--agreement", "borger-dk", "--week", "2026-47"],
            "--week",
        ),
        (
            vec!["report", "annual", "--agreement", "difi", "--year", "26"],
            "--year",
        ),
    ] {
        let mut args = args.clone();
        args.extend(["--database", &url]);
        let o = vakt(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains(needle), "{args:?}");
    }
}

// ---------------------------------------------------------------------------------------
// The monthly chart (issue 16, item 8): its plan — panels, series, legend entries, bin
// edges, target marks — checked, not its pixels. With `VAKT_CHART_DIR` set, the PNGs are
// written there to be looked at.

/// Altinn (Europe/Oslo): resolution targets only — A 5 h around the clock, B 8 h and C 3
/// working days on the service desk (mon–fri 08:00–15:45 = 7 h 45 min a working day).
fn altinn_dataset(a: &Agreement) -> Vec<Incident> {
    let mut out = Vec::new();
    let mut add = |seq: u32, impact: &str, at: &str, resolved: &str| {
        let mut i = open(a, seq, impact, false, at);
        ack(&mut i, at);
        resolve(&mut i, resolved);
        out.push(i);
    };
    // A: 3 h (within), 6 h 30 min (Tue 22:00 → Wed 04:30: late), 40 min (within).
    add(
        1,
        "unavailable",
        "2026-10-05T10:00:00+02:00",
        "2026-10-05T13:00:00+02:00",
    );
    add(
        2,
        "unavailable",
        "2026-10-06T22:00:00+02:00",
        "2026-10-07T04:30:00+02:00",
    );
    add(
        3,
        "consequence",
        "2026-10-08T09:00:00+02:00",
        "2026-10-08T09:40:00+02:00",
    );
    // B: Mon 09:00 → 14:00 = 5 h (within); Tue 14:00 → Thu 09:00 = 1 h 45 + 7 h 45 + 1 h =
    // 10 h 30 min (late).
    add(4, "degraded", "2026-10-12T09:00:00+02:00", "2026-10-12T14:00:00+02:00");
    add(5, "degraded", "2026-10-13T14:00:00+02:00", "2026-10-15T09:00:00+02:00");
    // C: Mon 10:00 → Wed 12:00 = 5 h 45 + 7 h 45 + 4 h = 17 h 30 min = 2.26 working days
    // (within 3); Tue 08:00 → Mon 26 Oct 12:00 = 4 × 7 h 45 + 4 h = 35 h = 4.52 working days
    // (late).
    add(6, "minor", "2026-10-19T10:00:00+02:00", "2026-10-21T12:00:00+02:00");
    add(7, "minor", "2026-10-20T08:00:00+02:00", "2026-10-26T12:00:00+01:00");
    out
}

fn october(a: &Agreement, incs: &[Incident]) -> report::MonthlyReport {
    report::monthly(
        a,
        incs,
        MonthSpec::parse("2026-10").expect("month"),
        t("2026-12-01T00:00:00Z"),
    )
    .expect("report")
}

/// Draws the chart, checks it decodes at the plan's size, and writes it to
/// `$VAKT_CHART_DIR/<name>.png` when that is set.
fn draw(r: &report::MonthlyReport, a: &Agreement, name: &str) {
    let png = render::monthly_png(r, Some(a), vakt::render::Locale::En).expect("png");
    let img = image::load_from_memory(&png).expect("decodes").to_rgb8();
    let plan = render::chart::plan(r, Some(a), vakt::render::Locale::En);
    assert_eq!((img.width(), img.height()), (render::chart::WIDTH, plan.height()));
    if let Some(dir) = std::env::var_os("VAKT_CHART_DIR") {
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), &png).expect("write the chart");
    }
}

fn hist<'a>(plan: &'a render::chart::ChartPlan, p: &str, m: Milestone) -> &'a render::chart::HistogramPanel {
    plan.histograms
        .iter()
        .find(|h| h.priority == p && h.milestone == m)
        .unwrap_or_else(|| panic!("no {p} {m:?} histogram in {plan:#?}"))
}

#[test]
fn altinn_chart_has_no_response_figures() {
    use render::chart::{LegendKind, TimeUnit};
    let cat = catalog();
    let a = agreement(&cat, "altinn");
    let r = october(&a, &altinn_dataset(&a));
    let plan = render::chart::plan(&r, Some(&a), vakt::render::Locale::En);
    // Altinn sets no response target: no response bars, legend entries or histograms.
    let c = plan.compliance.as_ref().expect("a compliance panel");
    assert_eq!(c.milestones, [Milestone::Resolution]);
    let kinds: Vec<LegendKind> = c.legend.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [LegendKind::Bars(Milestone::Resolution)],
        "no goal in Altinn's text"
    );
    let groups: Vec<Option<&str>> = c.groups.iter().map(|g| g.priority.as_deref()).collect();
    assert_eq!(groups, [Some("A"), Some("B"), Some("C"), None]);
    // The label is the whole name, never cut.
    let label = &c.groups[0].label;
    assert!(label.starts_with("A ") && !label.contains('…'), "{label}");
    // A: 2 of 3 within; B 1 of 2; C 1 of 2; all 4 of 7.
    let pct: Vec<(Option<f64>, usize)> = c
        .groups
        .iter()
        .map(|g| (g.bars[0].percent, g.bars[0].counted))
        .collect();
    assert_eq!(pct.iter().map(|p| p.1).collect::<Vec<_>>(), [3, 2, 2, 7]);
    assert!(plan.histograms.iter().all(|h| h.milestone == Milestone::Resolution));
    assert_eq!(plan.histograms.len(), 3);
    // A: hours, 1 h bins to 7 h (6 h 30 min is the longest), the 5 h target marked and the
    // bins past it late.
    let h = hist(&plan, "A", Milestone::Resolution);
    assert_eq!(h.unit, TimeUnit::Hours);
    assert_eq!(h.edges, (0..=7).collect::<Vec<i64>>());
    assert_eq!(h.counts, [1, 0, 1, 0, 0, 0, 1]);
    assert_eq!(h.target, Some(5.0));
    assert_eq!(h.late, [false, false, false, false, false, true, true]);
    // B: hours to 11 (10 h 30 min), the 8 h target.
    let h = hist(&plan, "B", Milestone::Resolution);
    assert_eq!((h.unit, h.edges.len(), h.target), (TimeUnit::Hours, 12, Some(8.0)));
    assert_eq!(h.counts.iter().sum::<u32>(), 2);
    assert_eq!((h.counts[4], h.counts[10]), (1, 1));
    // C: working days of 7 h 45 min, 1-day bins to 5, the 3-day target at 3.
    let h = hist(&plan, "C", Milestone::Resolution);
    assert_eq!(h.unit, TimeUnit::WorkingDays(7 * H + 45 * M));
    assert_eq!(h.edges, [0, 1, 2, 3, 4, 5]);
    assert_eq!(h.counts, [0, 0, 1, 0, 1]);
    assert_eq!(h.target, Some(3.0));
    assert_eq!(h.late, [false, false, false, true, true]);
    draw(&r, &a, "altinn-2026-10");
}

#[test]
fn inera_chart_has_a_histogram_per_priority_with_its_target() {
    use render::chart::TimeUnit;
    let cat = catalog();
    let a = agreement(&cat, "inera");
    let mut incs = inera_dataset(&a);
    resolve(&mut incs[6], "2026-10-23T13:00:00+02:00");
    let r = october(&a, &incs);
    let plan = render::chart::plan(&r, Some(&a), vakt::render::Locale::En);
    let c = plan.compliance.as_ref().expect("a compliance panel");
    assert_eq!(c.milestones, [Milestone::Response, Milestone::Resolution]);
    // Prio 3 and 4 have a response target and no resolution target: no resolution bar.
    let p3 = c
        .groups
        .iter()
        .find(|g| g.priority.as_deref() == Some("3"))
        .expect("prio 3");
    assert_eq!(p3.bars.iter().map(|b| b.has_target).collect::<Vec<_>>(), [true, false]);
    // Histograms only where a priority has a target and something was met: Prio 1 and 2,
    // response and resolution, each its own.
    let which: Vec<(&str, Milestone)> = plan
        .histograms
        .iter()
        .map(|h| (h.priority.as_str(), h.milestone))
        .collect();
    assert_eq!(
        which,
        [
            ("1", Milestone::Response),
            ("1", Milestone::Resolution),
            ("2", Milestone::Response),
            ("2", Milestone::Resolution)
        ]
    );
    // Prio 1 response: 10, 20, 25, 45 min against 30 min: 5-minute bins to 45, the mark at
    // 30, a time of exactly 30 min (Prio 2) before it.
    let h = hist(&plan, "1", Milestone::Response);
    assert_eq!(h.unit, TimeUnit::Minutes);
    assert_eq!(h.edges, (0..=9).map(|i| i * 5).collect::<Vec<i64>>());
    assert_eq!(h.counts, [0, 1, 0, 1, 1, 0, 0, 0, 1]);
    assert_eq!(h.target, Some(30.0));
    assert_eq!(h.late.iter().position(|l| *l), Some(6));
    let h = hist(&plan, "2", Milestone::Response);
    assert_eq!(h.target, Some(60.0));
    assert_eq!(h.counts.iter().sum::<u32>(), 3);
    assert!(
        h.counts.iter().zip(&h.late).all(|(c, l)| *c == 0 || !l),
        "30 min is within 1 h"
    );
    // Prio 1 resolution: 3 h, 3 h, 3 h 30 min against 4 h: whole hours, one bin past the
    // target.
    let h = hist(&plan, "1", Milestone::Resolution);
    assert_eq!((h.unit, h.edges.clone()), (TimeUnit::Hours, vec![0, 1, 2, 3, 4, 5]));
    assert_eq!(h.counts, [0, 0, 2, 1, 0]);
    assert_eq!(h.target, Some(4.0));
    draw(&r, &a, "inera-2026-10");
}

#[test]
fn one_legend_entry_per_goal() {
    use render::chart::LegendKind;
    let cat = catalog();
    let a = agreement(&cat, "borger-dk");
    let r = october(&a, &borger_dataset(&a));
    let plan = render::chart::plan(&r, Some(&a), vakt::render::Locale::En);
    let c = plan.compliance.as_ref().expect("a compliance panel");
    // Response 90 % over all incidents, resolution 95 % per category: two goals, two entries.
    let goals: Vec<(&LegendKind, &str)> = c
        .legend
        .iter()
        .filter(|e| matches!(e.kind, LegendKind::Goal(_)))
        .map(|e| (&e.kind, e.text.as_str()))
        .collect();
    assert_eq!(goals.len(), 2, "{goals:?}");
    assert_eq!(goals[0].0, &LegendKind::Goal(Milestone::Response));
    assert!(goals[0].1.contains("90 %") && goals[1].1.contains("95 %"), "{goals:?}");
    // The overall response goal is drawn over the bar for all priorities only; the
    // resolution goal over each priority's bar and not over the total.
    let (all, each): (Vec<_>, Vec<_>) = c.groups.iter().partition(|g| g.priority.is_none());
    assert_eq!(all[0].bars[0].goal, Some(90.0));
    assert_eq!(all[0].bars[1].goal, None);
    assert!(
        each.iter()
            .all(|g| g.bars[0].goal.is_none() && g.bars[1].goal == Some(95.0))
    );
    draw(&r, &a, "borger-dk-2026-10");
}

#[test]
fn an_agreement_without_targets_charts_no_figures() {
    let cat = catalog();
    let a = agreement(&cat, "difi");
    let mut i = open(&a, 1, &a.impacts[0].id, false, "2026-10-05T10:00:00+02:00");
    ack(&mut i, "2026-10-05T10:20:00+02:00");
    resolve(&mut i, "2026-10-05T13:00:00+02:00");
    let r = october(&a, &[i]);
    let plan = render::chart::plan(&r, Some(&a), vakt::render::Locale::En);
    assert_eq!(
        plan.compliance, None,
        "no \"no responses met\" where there is no target"
    );
    assert!(plan.histograms.is_empty());
    draw(&r, &a, "difi-2026-10");
}

/// Issue 18, part 6: the monthly report and its chart in the team's language, every
/// placeholder filled and no English heading left; the figures the same.
#[test]
fn the_monthly_report_and_chart_speak_norwegian() {
    let cat = catalog();
    let a = agreement(&cat, "altinn");
    let r = october(&a, &altinn_dataset(&a));
    let en = render::monthly_markdown(&r, Some(&a), vakt::render::Locale::En);
    let nb = render::monthly_markdown(&r, Some(&a), vakt::render::Locale::Nb);
    if std::env::var_os("VAKT_SHOW_WORDS").is_some() {
        for l in [vakt::render::Locale::Da, vakt::render::Locale::Sv] {
            println!("{}", render::monthly_markdown(&r, Some(&a), l));
        }
        println!("{nb}");
    }
    assert!(nb.starts_with("# SLA-rapport"), "{nb}");
    assert!(nb.contains("## Innenfor og utenfor mål"), "{nb}");
    assert!(nb.contains("| Prioritet |"), "{nb}");
    for english in ["## Breaches", "## Within", "| Priority |", "incidents behind", "{"] {
        assert!(!nb.contains(english), "{english} in:\n{nb}");
    }
    // The same figures (durations drop English's zero padding: `3 h 05 min`, `3 t 5 min`).
    let digits = |s: &str| s.chars().filter(|c| c.is_ascii_digit() && *c != '0').count();
    assert_eq!(digits(&nb), digits(&en), "the same figures");
    let plan = render::chart::plan(&r, Some(&a), vakt::render::Locale::Nb);
    let c = plan.compliance.as_ref().expect("a compliance panel");
    assert!(
        c.legend.iter().all(|e| e.text.contains("innenfor mål")),
        "{:?}",
        c.legend
    );
    assert!(
        plan.histograms.iter().all(|h| h.title.contains("tider for")),
        "{plan:#?}"
    );
    assert!(
        !render::monthly_png(&r, Some(&a), vakt::render::Locale::Sv)
            .expect("png")
            .is_empty()
    );
}
