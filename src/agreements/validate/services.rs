//! The `[[services]]` section: each service with its operating schedule, its own readiness
//! where the agreement sets one, its availability targets and its maintenance rules (one per
//! kind of window); exactly one main service.

use super::*;

/// The services, checked against the schedules.
pub(super) fn services(cx: &mut Ctx, raw: &RawAgreement, sched_names: &[&str]) -> Vec<Service> {
    let ids = check_ids(cx, "service", raw.services.iter().map(|s| &s.get_ref().id));
    let mut out = Vec::new();
    for s in &raw.services {
        let r = s.get_ref();
        let operating = cx.reference(&r.schedule, "schedule", sched_names);
        let readiness = r
            .readiness
            .as_ref()
            .and_then(|x| cx.reference(x, "schedule", sched_names));
        let availability = r
            .availability
            .iter()
            .filter_map(|a| availability(cx, a, sched_names))
            .collect();
        check_ids(cx, "maintenance", r.maintenance.iter().map(|m| &m.get_ref().id));
        let maintenance = r
            .maintenance
            .iter()
            .filter_map(|m| maintenance(cx, m, sched_names))
            .collect();
        let degraded = r.degraded.as_ref().and_then(|d| {
            let dr = d.get_ref();
            if *dr.min_sources.get_ref() == 0 {
                cx.err(
                    dr.min_sources.span(),
                    "min_sources is the fewest sources answering for available with disturbance: at least 1",
                );
                return None;
            }
            Some(Degraded {
                min_sources: *dr.min_sources.get_ref(),
                prov: prov(&dr.source, &dr.reading, &dr.note),
            })
        });
        if let Some(operating) = operating {
            out.push(Service {
                id: r.id.get_ref().clone(),
                name: r.name.clone(),
                main: r.main,
                operating,
                readiness,
                availability,
                maintenance,
                degraded,
                prov: prov(&r.source, &r.reading, &r.note),
            });
        }
    }
    let mains: Vec<&S<RawService>> = raw.services.iter().filter(|s| s.get_ref().main).collect();
    match (raw.services.first(), mains.as_slice()) {
        (None, _) | (_, [_]) => {}
        (Some(first), []) => cx.err(
            first.span(),
            format!(
                "no main service: mark the one incidents are about when they name none with main = true (services: {})",
                ids.join(", ")
            ),
        ),
        (_, [_, more @ ..]) => {
            for m in more {
                cx.err(m.span(), "more than one main service: only one may have main = true");
            }
        }
    }
    out
}

/// One maintenance rule: a notice in working days needs its schedule.
fn maintenance(cx: &mut Ctx, m: &S<RawMaintenance>, sched_names: &[&str]) -> Option<Maintenance> {
    let r = m.get_ref();
    let notice = cx.duration(&r.notice);
    let notice_schedule = r
        .notice_schedule
        .as_ref()
        .and_then(|s| cx.reference(s, "schedule", sched_names));
    if matches!(notice, Some(BusinessDuration::WorkingDays(_))) && r.notice_schedule.is_none() {
        cx.err(r.notice.span(), "a notice in working days needs notice_schedule");
    }
    let window = r.window.as_ref().and_then(|w| match parse_weekly_window(w.get_ref()) {
        Ok(x) => Some(x),
        Err(e) => {
            cx.err(w.span(), e);
            None
        }
    });
    let outside = r
        .outside
        .as_ref()
        .and_then(|s| cx.reference(s, "schedule", sched_names));
    let max_duration = r.max_duration.as_ref().and_then(|d| cx.duration(d));
    if let (Some(d), Some(BusinessDuration::WorkingDays(_))) = (&r.max_duration, max_duration) {
        cx.err(
            d.span(),
            "a window's longest duration is in hours, minutes or days, not working days",
        );
    }
    Some(Maintenance {
        id: r.id.get_ref().clone(),
        name: r.name.clone(),
        notice: notice?,
        notice_schedule,
        window,
        outside,
        max_duration,
        max_per_year: r.max_per_year,
        prov: prov(&r.source, &r.reading, &r.note),
    })
}

/// One availability target.
fn availability(cx: &mut Ctx, a: &S<RawAvailability>, sched_names: &[&str]) -> Option<Availability> {
    let r = a.get_ref();
    if !(0.0..=100.0).contains(r.target.get_ref()) {
        cx.err(r.target.span(), "an availability target is a percentage from 0 to 100");
    }
    let schedule = cx.reference(&r.schedule, "schedule", sched_names);
    let period = match r.period.get_ref().as_str() {
        "month" => Some(Period::Month),
        "year" => Some(Period::Year),
        other => {
            cx.err(
                r.period.span(),
                format!("unknown period \"{other}\" (known: month, year)"),
            );
            None
        }
    };
    let max_downtime = r.max_downtime.as_ref().and_then(|d| cx.duration(d));
    Some(Availability {
        target: *r.target.get_ref(),
        schedule: schedule?,
        period: period?,
        max_downtime,
        max_outages_month: r.max_outages_month,
        max_outages_year: r.max_outages_year,
        prov: prov(&r.source, &r.reading, &r.note),
    })
}
