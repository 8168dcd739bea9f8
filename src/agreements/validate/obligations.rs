//! The other duties the agreement states: reports, maintenance windows and availability
//! targets.

use super::*;

/// The `[reports]` section.
pub(super) fn reports(cx: &mut Ctx, raw: &RawAgreement) -> Reports {
    match &raw.reports {
        None => Reports::default(),
        Some(r) => {
            let r = r.get_ref();
            if let Some(d) = &r.monthly_day
                && !(1..=31).contains(d.get_ref())
            {
                cx.err(d.span(), "monthly_day is a day of the month, 1–31");
            }
            Reports {
                monthly_day: r.monthly_day.as_ref().map(|d| *d.get_ref()),
                monthly_source: r.monthly_source.clone(),
                weekly_meeting: r.weekly_meeting,
                weekly_source: r.weekly_source.clone(),
                annual: r.annual.as_ref().and_then(|a| cx.month_day(a)),
                annual_source: r.annual_source.clone(),
                note: r.note.clone(),
            }
        }
    }
}

/// The `[[maintenance]]` section: a notice in working days needs its schedule.
pub(super) fn maintenance(cx: &mut Ctx, raw: &RawAgreement, sched_names: &[&str]) -> Vec<Maintenance> {
    let mut maintenance = Vec::new();
    for m in &raw.maintenance {
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
        let max_duration = r.max_duration.as_ref().and_then(|d| cx.duration(d));
        if let Some(notice) = notice {
            maintenance.push(Maintenance {
                name: r.name.clone(),
                notice,
                notice_schedule,
                window,
                max_duration,
                max_per_year: r.max_per_year,
                prov: prov(&r.source, &r.reading, &r.note),
            });
        }
    }
    maintenance
}

/// The `[[availability]]` section.
pub(super) fn availability(cx: &mut Ctx, raw: &RawAgreement, sched_names: &[&str]) -> Vec<Availability> {
    let mut availability = Vec::new();
    for a in &raw.availability {
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
        if let (Some(schedule), Some(period)) = (schedule, period) {
            availability.push(Availability {
                service: r.service.clone(),
                target: *r.target.get_ref(),
                schedule,
                period,
                max_downtime,
                prov: prov(&r.source, &r.reading, &r.note),
            });
        }
    }
    availability
}
