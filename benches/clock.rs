//! Benchmarks of the business clock: `add` and `between` over short (30 min) and long
//! (30 working days, one year) spans, and classification with deadlines.
//!
//! Run with `cargo bench --bench clock`. Year tables are compiled before measuring, so the
//! figures are the steady state of a running bot.

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use vakt::domain::classify::{Facts, classify, deadlines};
use vakt::domain::clock::BusinessDuration;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("bench time").with_timezone(&Utc)
}

fn bench(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("agreements");
    let cat = vakt::agreements::load_dir(&dir).expect("agreements load");
    let ssb = cat.get("ssbtek").expect("ssbtek");
    let support = ssb.schedule("support").expect("support");
    let altinn = cat.get("altinn").expect("altinn");
    let desk = altinn.schedule("service_desk").expect("service_desk");
    let start = t("2026-11-20T16:30:00+01:00");
    let year_later = t("2027-11-20T16:30:00+01:00");
    // Warm the year tables.
    let _ = support.add(start, BusinessDuration::WorkingDays(400));
    let _ = desk.add(start, BusinessDuration::WorkingDays(400));

    let mut g = c.benchmark_group("add");
    g.bench_function("30m support", |b| {
        b.iter(|| support.add(black_box(start), black_box(BusinessDuration::Seconds(1800))))
    });
    g.bench_function("30wd support", |b| {
        b.iter(|| support.add(black_box(start), black_box(BusinessDuration::WorkingDays(30))))
    });
    g.bench_function("one year of open hours (2250h) service_desk", |b| {
        b.iter(|| desk.add(black_box(start), black_box(BusinessDuration::Seconds(2250 * 3600))))
    });
    g.bench_function("6d support", |b| {
        b.iter(|| support.add(black_box(start), black_box(BusinessDuration::CalendarDays(6))))
    });
    g.finish();

    let mut g = c.benchmark_group("between");
    let half_hour = t("2026-11-20T17:00:00+01:00");
    g.bench_function("30m support", |b| {
        b.iter(|| support.between(black_box(start), black_box(half_hour)))
    });
    g.bench_function("one year support", |b| {
        b.iter(|| support.between(black_box(start), black_box(year_later)))
    });
    g.finish();

    let facts = Facts {
        impact: "1".into(),
        ..Facts::default()
    };
    c.bench_function("classify+deadlines ssbtek", |b| {
        b.iter(|| {
            let k = classify(ssb, black_box(&facts), black_box(start)).expect("classify");
            deadlines(ssb, &k.priority, start).expect("deadlines")
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
