//! Case types besides incidents, end to end over the real service and store: a case of each
//! type on each agreement that has it through its own clock (the deadlines computed by hand
//! below, several across Christmas 2026), their numbering and warnings, a report with cases
//! counted against their own goal while the incident figures stay the incidents', and the
//! `case_type` column on both store backends.
//!
//! Christmas 2026: Thu 24 Dec (not a public holiday in Norway or Sweden; Difi's user support
//! keeps 08:00–12:00 then), Fri 25 Dec holiday, Sat 26 / Sun 27, Mon 28 – Thu 31 Dec working
//! days (Difi's "romjul" hours 09:00–15:00 on 28–30 Dec, 08:00–12:00 on 31 Dec), Fri 1 Jan
//! 2027 holiday. CET = UTC+1 throughout.

use crate::common::backends::{Backend, on_backends};
use crate::common::fixtures::incident;
use crate::common::{Harness, Posted, at, manager, responder};
use vakt::domain::classify::Facts;
use vakt::domain::incident::{Incident, Milestone, Resolution, State};
use vakt::domain::period::{MonthSpec, Period};
use vakt::domain::report::ReportValue;
use vakt::service::notice::Notice;
use vakt::service::ports::{Change, IncidentFilter};
use vakt::service::{ServiceError, UserError};

/// Opens a case of `case_type` (class `class`) on `agreement` at the harness's clock.
async fn open(h: &Harness, agreement: &str, case_type: &str, class: Option<&str>, title: &str) -> Incident {
    h.service()
        .open_case(
            &responder(),
            agreement,
            case_type,
            class,
            title,
            "",
            Facts::default(),
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("open {agreement}/{case_type}: {e}"))
}

/// The response and resolution deadlines of `inc`.
fn dues(
    inc: &Incident,
) -> (
    Option<chrono::DateTime<chrono::Utc>>,
    Option<chrono::DateTime<chrono::Utc>>,
) {
    (inc.due(Milestone::Response), inc.due(Milestone::Resolution))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssbtek_orders_and_problems_run_on_support_hours_across_christmas() {
    // Wed 23 Dec 2026 10:00 CET, support open (Mon–Fri 08–17, Swedish public holidays).
    let h = Harness::start("2026-12-23T10:00+01:00").await;
    // Question, 2 working days counted from the next day: Thu 24 (1), Fri 25 holiday,
    // Mon 28 (2) → Mon 28 Dec 10:00. No response time (N/A).
    let q = open(&h, "ssbtek", "order", Some("question"), "Which certificate?").await;
    assert_eq!(q.id().as_str(), "SSB-BST-2026-0001", "orders are numbered on their own");
    assert_eq!(q.case_type(), "order");
    assert_eq!(dues(&q), (None, Some(at("2026-12-28T10:00+01:00"))));
    // Connection, 5 working days: 24 (1), 28 (2), 29 (3), 30 (4), 31 (5) → Thu 31 Dec 10:00.
    let c = open(&h, "ssbtek", "order", Some("connection"), "Connect municipality").await;
    assert_eq!(c.id().as_str(), "SSB-BST-2026-0002");
    assert_eq!(dues(&c), (None, Some(at("2026-12-31T10:00+01:00"))));
    // Problem Kritisk: response 1 working day → Thu 24 Dec 10:00; resolution 6 working days
    // ("6 dagar" read as working days): 24, 28, 29, 30, 31, (Fri 1 Jan holiday) Mon 4 Jan
    // → Mon 4 Jan 2027 10:00.
    let p = open(&h, "ssbtek", "problem", Some("1"), "Repeated SHS timeouts").await;
    assert_eq!(p.id().as_str(), "SSB-PRB-2026-0001");
    assert_eq!(p.priority(), "1");
    assert_eq!(
        dues(&p),
        (Some(at("2026-12-24T10:00+01:00")), Some(at("2027-01-04T10:00+01:00")))
    );
    // Problem Hög: response 3 working days: 24, 28, 29 → Tue 29 Dec 10:00; resolution 15:
    // 24, 28–31 (5), 4, 5, (Wed 6 Jan Epiphany) 7, 8 (9), 11–15 (14), 18 (15) → Mon 18 Jan.
    let p2 = open(&h, "ssbtek", "problem", Some("2"), "Slow base service").await;
    assert_eq!(
        dues(&p2),
        (Some(at("2026-12-29T10:00+01:00")), Some(at("2027-01-18T10:00+01:00")))
    );
    // An incident opened meanwhile keeps the incident numbering and targets.
    let i = h
        .service()
        .open(&responder(), "ssbtek", "SHS down", "", crate::common::facts("4"))
        .await
        .expect("incident");
    assert_eq!(i.id().as_str(), "SSB-2026-0001");
    assert_eq!(i.case_type(), "incident");
    // A problem names its class: there are four; an unknown type or class is refused, and
    // an impact (an incident's fact) for a case.
    let s = h.service();
    let refused = |case_type: &'static str, class: Option<&'static str>, facts: Facts| async move {
        match s
            .open_case(&responder(), "ssbtek", case_type, class, "x", "", facts, None)
            .await
        {
            Err(ServiceError::User(u)) => u,
            other => panic!("expected a refusal, got {other:?}"),
        }
    };
    let none = Facts::default;
    assert!(matches!(
        refused("problem", None, none()).await,
        UserError::ClassNeeded { .. }
    ));
    assert!(matches!(
        refused("order", Some("9"), none()).await,
        UserError::Classify(_)
    ));
    assert!(matches!(
        refused("enquiry", None, none()).await,
        UserError::UnknownCaseType { .. }
    ));
    let impact = crate::common::facts("1");
    assert!(matches!(
        refused("order", Some("question"), impact).await,
        UserError::Classify(_)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn altinn_change_requests_and_email_answers_on_working_days_and_hours() {
    // Wed 23 Dec 2026 10:00 CET; the service desk is open 08:00–15:45 on Norwegian working days.
    let h = Harness::start("2026-12-23T10:00+01:00").await;
    // Feedback within 5 working days (2.10.1): 24 (1), 28 (2), 29 (3), 30 (4), 31 (5)
    // → Thu 31 Dec 10:00. Assessed within 20 (2.10.4): 24, 28–31 (5), (1 Jan holiday)
    // 4–8 Jan (10), 11–15 (15), 18–22 (20) → Fri 22 Jan 2027 10:00.
    let cr = open(&h, "altinn", "change_request", None, "New field in RF-1234").await;
    assert_eq!(cr.id().as_str(), "ALT-CR-2026-0001");
    assert_eq!(cr.priority(), "need", "the only class is the default");
    assert_eq!(
        dues(&cr),
        (Some(at("2026-12-31T10:00+01:00")), Some(at("2027-01-22T10:00+01:00")))
    );
    // The analysis of a qualified need: 20 working days from its opening, the same dates.
    let ba = open(&h, "altinn", "need_analysis", None, "Analyse RF-1234 change").await;
    assert_eq!(dues(&ba), (None, Some(at("2027-01-22T10:00+01:00"))));
    // An e-mail on Thu 24 Dec 14:00 gets its answer within 8 working hours on ABS's hours
    // (08:00–15:30, 7.5 h a day): 1.5 h on the 24th, Fri 25 holiday, the weekend, then 6.5 h
    // on Mon 28 from 08:00 → Mon 28 Dec 14:30.
    h.set_clock(at("2026-12-24T14:00+01:00"));
    let mail = open(&h, "altinn", "email", None, "Where is my tax card?").await;
    assert_eq!(mail.id().as_str(), "ALT-EP-2026-0001");
    assert_eq!(dues(&mail), (Some(at("2026-12-28T14:30+01:00")), None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn difi_email_answers_within_one_working_day_of_user_support() {
    // Thu 24 Dec 2026 10:00 CET: user support keeps 08:00–12:00 on Christmas Eve. One
    // working day counted from the next: Fri 25 holiday, Sat 26, Sun 27, Mon 28 (romjul,
    // 09:00–15:00) → Mon 28 Dec 10:00.
    let h = Harness::start("2026-12-24T10:00+01:00").await;
    let mail = open(&h, "difi", "email", None, "MinID locked").await;
    assert_eq!(mail.id().as_str(), "DIFI-EP-2026-0001");
    assert_eq!(dues(&mail), (Some(at("2026-12-28T10:00+01:00")), None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inera_problems_are_classified_and_carry_no_times() {
    let h = Harness::start("2026-12-23T10:00+01:00").await;
    let p = open(&h, "inera", "problem", Some("2"), "Certificates expire unannounced").await;
    assert_eq!(p.id().as_str(), "INE-PRB-2026-0001");
    assert_eq!(p.priority(), "2");
    assert_eq!(dues(&p), (None, None), "3.2.1 sets no times for problems");
    // Nothing is planned for it: no warnings, no escalation.
    let later = at("2027-03-01T10:00+01:00");
    h.advance_to(later).await;
    assert!(
        warnings(&h.chat.take()).is_empty(),
        "no warnings for a case without targets"
    );
}

/// The warnings among `posts`.
fn warnings(posts: &[Posted]) -> Vec<&Posted> {
    posts
        .iter()
        .filter(|p| matches!(p.message.notice, Notice::Warning { .. }))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_problem_warns_and_breaches_on_its_own_targets_without_climbing_the_ladder() {
    // Mon 2 Nov 2026 09:00 CET. Problem Medel: response 4 working days → Fri 6 Nov 09:00;
    // warnings at 50 % and 90 % of its business time: Mon 09–17 (8 h), Tue, Wed, Thu 9 h
    // each, Fri 08–09 (1 h) = 36 h. 50 % = 18 h: Mon 8 + Tue 9 → Wed 09:00; 90 % = 32 h 24 min:
    // Mon 8 + Tue 9 + Wed 9 = 26 h, then 6 h 24 min on Thu → Thu 5 Nov 14:24.
    let h = Harness::start("2026-11-02T09:00+01:00").await;
    let p = open(&h, "ssbtek", "problem", Some("3"), "Nightly batch fails").await;
    assert_eq!(p.due(Milestone::Response), Some(at("2026-11-06T09:00+01:00")));
    h.chat.take();
    h.advance_to(at("2026-11-06T09:30+01:00")).await;
    let posts = h.chat.take();
    let warned: Vec<_> = warnings(&posts).iter().map(|p| p.at).collect();
    assert_eq!(
        warned,
        [at("2026-11-04T09:00+01:00"), at("2026-11-05T14:24+01:00")],
        "two warnings: {posts:#?}"
    );
    let after = h.incident(p.id().as_str()).await;
    assert_eq!(after.escalation_level(), 0, "problems do not climb the incident ladder");
    assert!(
        posts
            .iter()
            .all(|p| !matches!(p.message.notice, Notice::Escalated { .. })),
        "a breach of a problem is counted, not escalated: {posts:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monthly_report_counts_cases_against_their_own_goal() {
    // November 2026 on SSBTEK: three questions (2 working days each) and one incident.
    let h = Harness::start("2026-11-02T09:00+01:00").await;
    let s = h.service();
    // Q1 Mon 2 Nov 09:00, due Wed 4 Nov 09:00, resolved Tue 3 Nov 10:00: within.
    let q1 = open(&h, "ssbtek", "order", Some("question"), "Q1").await;
    // Q2 Mon 2 Nov 09:00, due Wed 4 Nov 09:00, resolved Thu 5 Nov 10:00: outside.
    let q2 = open(&h, "ssbtek", "order", Some("question"), "Q2").await;
    // A connection (5 working days, due Mon 9 Nov 09:00), resolved Fri 6 Nov: within.
    let c1 = open(&h, "ssbtek", "order", Some("connection"), "C1").await;
    // Incident, impact 4 outside the critical period (timing 3 → Låg): response 24 h.
    let inc = s
        .open(
            &responder(),
            "ssbtek",
            "Single calls fail",
            "",
            crate::common::facts("4"),
        )
        .await
        .expect("incident");
    h.advance_to(at("2026-11-03T10:00+01:00")).await;
    s.acknowledge(&responder(), inc.id().as_str()).await.expect("ack");
    s.resolve(&responder(), q1.id().as_str(), Resolution::Fix, None)
        .await
        .expect("q1");
    h.advance_to(at("2026-11-05T10:00+01:00")).await;
    s.resolve(&responder(), q2.id().as_str(), Resolution::Fix, None)
        .await
        .expect("q2");
    h.advance_to(at("2026-11-06T10:00+01:00")).await;
    s.resolve(&responder(), c1.id().as_str(), Resolution::Fix, None)
        .await
        .expect("c1");
    // A manager may close a case like an incident.
    s.close(&manager(), c1.id().as_str()).await.expect("close");
    h.advance_to(at("2026-12-01T00:00+01:00")).await;

    let ReportValue::Monthly(r) = s
        .compute_report("ssbtek", Period::Month(MonthSpec::parse("2026-11").expect("month")))
        .await
        .expect("report")
    else {
        panic!("a monthly report")
    };
    // The incident figures are the incident's alone.
    let opened: usize = r.figures.priorities.iter().map(|p| p.opened.len()).sum();
    assert_eq!(opened, 1);
    assert_eq!(r.figures.response.within, vec![inc.id().clone()]);
    // Orders: 3 opened, resolution 2 within, 1 outside: 66.7 % against the 90 % goal.
    let orders = r.case_types.iter().find(|t| t.case_type == "order").expect("orders");
    assert_eq!(orders.opened(), 3);
    let f = &orders.figures.resolution;
    assert_eq!(f.within.len(), 2);
    assert_eq!(f.outside, vec![q2.id().clone()]);
    assert!((f.percent.expect("percent") - 200.0 / 3.0).abs() < 1e-9);
    assert_eq!(f.goal, Some(90.0));
    assert_eq!(f.goal_met, Some(false));
    assert!(orders.figures.response.counted() == 0, "orders have no response time");
    // Problems: listed with their goal, nothing counted.
    let problems = r
        .case_types
        .iter()
        .find(|t| t.case_type == "problem")
        .expect("problems");
    assert_eq!(problems.opened(), 0);
    assert_eq!(problems.figures.resolution.goal, Some(90.0));
    // Every case behind the figures is among the report's sources.
    for id in [q1.id(), q2.id(), c1.id(), inc.id()] {
        assert!(r.sources.iter().any(|s| &s.incident == id), "{id} is a source");
    }
    // The renderers show them: Markdown names each type, CSV prefixes its rows.
    let md = vakt::render::report::monthly_markdown(
        &r,
        s.catalog().get("ssbtek").map(|a| a.as_ref()),
        vakt::render::Locale::En,
    );
    assert!(md.contains("order") && md.contains("problem"));
    let csv = vakt::render::report::monthly_csv(&r);
    assert!(
        csv.lines()
            .any(|l| l.starts_with("ssbtek,2026-11,order:question,resolution,outside,1,"))
    );
    let json = vakt::render::report::json(&*r).expect("json");
    assert!(json.contains("\"case_types\""));

    // The year counts the same orders; the week of 2–8 November (2026-W45) too, and its
    // summary lists only the types that had something in it.
    let ReportValue::Annual(y) = s
        .compute_report("ssbtek", Period::parse("2026").expect("year"))
        .await
        .expect("annual")
    else {
        panic!("an annual report")
    };
    let year_orders = y.case_types.iter().find(|t| t.case_type == "order").expect("orders");
    assert_eq!(year_orders.figures.resolution, orders.figures.resolution);
    let ReportValue::Weekly(w) = s
        .compute_report("ssbtek", Period::parse("2026-W45").expect("week"))
        .await
        .expect("weekly")
    else {
        panic!("a weekly summary")
    };
    let week_orders = w.case_types.iter().find(|t| t.case_type == "order").expect("orders");
    assert_eq!(week_orders.opened(), 3);
    assert_eq!(week_orders.figures.resolution.within.len(), 2);
    let md = vakt::render::report::weekly_markdown(
        &w,
        s.catalog().get("ssbtek").map(|a| a.as_ref()),
        vakt::render::Locale::En,
    );
    assert!(md.contains("order ") && !md.contains("problem Problem"), "{md}");
    assert!(vakt::render::report::annual_csv(&y).contains(",order:all,resolution,percent,"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_filter_by_case_type() {
    let h = Harness::start("2026-11-02T09:00+01:00").await;
    let s = h.service();
    let p = open(&h, "ssbtek", "problem", Some("4"), "Cosmetic").await;
    let i = s
        .open(&responder(), "ssbtek", "SHS down", "", crate::common::facts("4"))
        .await
        .expect("incident");
    let ids =
        |v: Vec<vakt::service::IncidentView>| v.into_iter().map(|v| v.incident.id().to_string()).collect::<Vec<_>>();
    let scope = vakt::service::ListScope::Active;
    let only = |t: Option<&'static str>| async move {
        ids(s.list_page_of(Some("ssbtek"), t, scope, 0).await.expect("list").items)
    };
    assert_eq!(only(Some("problem")).await, vec![p.id().to_string()]);
    assert_eq!(only(Some("incident")).await, vec![i.id().to_string()]);
    assert_eq!(only(None).await.len(), 2);
    assert!(matches!(
        s.list_page_of(Some("borger-dk"), Some("problem"), scope, 0).await,
        Err(ServiceError::User(UserError::UnknownCaseType { .. }))
    ));
}

// ---------------------------------------------------------------------------------------------
// The store keeps the case type in its own column, on both backends.

/// `inc` stored as a case of `case_type`.
fn as_case(inc: Incident, case_type: &str) -> Incident {
    let mut v = serde_json::to_value(&inc).expect("json");
    v["case_type"] = serde_json::Value::String(case_type.into());
    serde_json::from_value(v).expect("a case")
}

async fn store_filters_by_case_type(b: Backend) {
    let store = b.open().await;
    let t0 = at("2026-11-02T09:00+01:00");
    let i = incident("SSB-2026-0001", "ssbtek", State::Open, t0);
    let p = as_case(incident("SSB-PRB-2026-0001", "ssbtek", State::Open, t0), "problem");
    let o = as_case(incident("SSB-BST-2026-0001", "ssbtek", State::Open, t0), "order");
    for x in [&i, &p, &o] {
        store.insert_incident(x, &Change::default()).await.expect("insert");
    }
    let of = |t: Option<&str>| IncidentFilter {
        agreement: Some("ssbtek".into()),
        case_type: t.map(str::to_string),
        ..IncidentFilter::default()
    };
    let ids = |v: Vec<Incident>| v.into_iter().map(|i| i.id().to_string()).collect::<Vec<_>>();
    assert_eq!(
        ids(store.incidents(&of(Some("problem"))).await.expect("list")),
        ["SSB-PRB-2026-0001"]
    );
    assert_eq!(
        ids(store.incidents(&of(Some("incident"))).await.expect("list")),
        ["SSB-2026-0001"]
    );
    assert_eq!(store.incidents(&of(None)).await.expect("list").len(), 3);
    // The type round-trips and survives an update.
    let got = store.incident(p.id()).await.expect("get").expect("stored");
    assert_eq!(got.case_type(), "problem");
    store.update_incident(&got, &Change::default()).await.expect("update");
    assert_eq!(
        ids(store.incidents(&of(Some("problem"))).await.expect("list")),
        ["SSB-PRB-2026-0001"]
    );
    // Sequences are per prefix: a type's numbering does not move the incidents'.
    assert_eq!(store.next_sequence("SSB-PRB", 2026).await.expect("seq"), 1);
    assert_eq!(store.next_sequence("SSB", 2026).await.expect("seq"), 1);
}

on_backends!(store_filters_by_case_type);
