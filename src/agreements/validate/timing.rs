//! Timing classes: when an incident is reported, judged at clock start.

use super::*;

pub(super) fn timing(cx: &mut Ctx, t: &S<RawTiming>, sched_names: &[&str]) -> Timing {
    let r = t.get_ref();
    let schedule = cx.reference(&r.schedule, "schedule", sched_names).unwrap_or_default();
    let ids = check_ids(cx, "timing class", r.classes.iter().map(|c| &c.get_ref().id));
    let mut classes = Vec::new();
    for (i, c) in r.classes.iter().enumerate() {
        let cr = c.get_ref();
        let n = [cr.day_of_month.is_some(), cr.dates.is_some(), cr.before.is_some()]
            .iter()
            .filter(|x| **x)
            .count();
        if n > 1 {
            cx.err(
                c.span(),
                format!(
                    "timing class \"{}\": give at most one of day_of_month, dates, before",
                    cr.id.get_ref()
                ),
            );
        }
        let when = if let Some(d) = &cr.day_of_month {
            let dr = d.get_ref();
            if !(1..=31).contains(&dr.from) || dr.to.is_some_and(|to| to < dr.from || to > 31) {
                cx.err(d.span(), "day_of_month: from and to are days 1–31, to not before from");
            }
            TimingCondition::DayOfMonth {
                from: dr.from,
                to: dr.to,
            }
        } else if let Some(ds) = &cr.dates {
            let mut v = Vec::new();
            for d in ds {
                if let (Some(a), Some(b)) = (cx.month_day(&d.get_ref().from), cx.month_day(&d.get_ref().to)) {
                    v.push((a, b));
                }
            }
            TimingCondition::Dates(v)
        } else if let Some(b) = &cr.before {
            let br = b.get_ref();
            let target = ids.iter().position(|x| x == br.class.get_ref());
            match target {
                None => {
                    let known: Vec<&str> = ids.iter().map(String::as_str).collect();
                    cx.reference(&br.class, "timing class", &known);
                    TimingCondition::Always
                }
                Some(k) => {
                    let kr = r.classes[k].get_ref();
                    if kr.day_of_month.is_none() && kr.dates.is_none() {
                        cx.err(
                            br.class.span(),
                            "`before` must refer to a class with day_of_month or dates",
                        );
                    }
                    if br.working_days == 0 {
                        cx.err(b.span(), "working_days must be at least 1");
                    }
                    TimingCondition::Before {
                        class: k,
                        working_days: br.working_days,
                    }
                }
            }
        } else {
            if i + 1 != r.classes.len() {
                cx.err(
                    c.span(),
                    format!(
                        "timing class \"{}\" has no condition, so the classes after it can never match; put it last",
                        cr.id.get_ref()
                    ),
                );
            }
            TimingCondition::Always
        };
        classes.push(TimingClass {
            id: cr.id.get_ref().clone(),
            name: cr.name.clone(),
            when,
            prov: prov(&cr.source, &cr.reading, &cr.note),
        });
    }
    if classes.last().is_none_or(|c| c.when != TimingCondition::Always) {
        cx.err(
            t.span(),
            "the last timing class must have no condition, so that every day has a class",
        );
    }
    Timing {
        schedule,
        classes,
        prov: prov(&r.source, &r.reading, &r.note),
    }
}
