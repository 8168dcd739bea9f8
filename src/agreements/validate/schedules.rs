//! Schedules: weekly windows, calendars, extra days, special days and seasons, with
//! windows that do not overlap.

use super::*;

pub(super) fn schedule(
    cx: &mut Ctx,
    name: &str,
    s: &S<RawSchedule>,
    tz: Tz,
    calendars: &BTreeMap<String, Arc<Calendar>>,
    cal_names: &[&str],
) -> Schedule {
    let r = s.get_ref();
    let always = r.always.as_ref().is_some_and(|a| *a.get_ref());
    if always {
        if !(r.weekly.is_empty()
            && r.calendars.is_empty()
            && r.seasons.is_empty()
            && r.special_days.is_empty()
            && r.extra_days.is_empty())
        {
            cx.err(s.span(), format!("schedule \"{name}\" is always open: it takes no weekly, calendars, extra_days, seasons or special_days"));
        }
        let mut sch = Schedule::always(name, tz);
        sch.description = r.description.clone();
        sch.source = r.source.clone();
        sch.reading = r.reading.clone();
        sch.note = r.note.clone();
        return sch;
    }
    if r.weekly.is_empty() {
        cx.err(
            s.span(),
            format!(
                "schedule \"{name}\" has no weekly windows (write weekly = [\"mon-fri 08:00-16:00\"] or always = true)"
            ),
        );
    }
    let mut weekly: [Vec<Window>; 7] = Default::default();
    for w in &r.weekly {
        match parse_weekly_window(w.get_ref()) {
            Ok((days, win)) => {
                for d in days.iter() {
                    let slot = &mut weekly[d.num_days_from_monday() as usize];
                    if let Some(o) = slot.iter().find(|o| o.overlaps(&win)) {
                        cx.err(
                            w.span(),
                            format!(
                                "window {win} overlaps {o} on {}",
                                crate::domain::schedule::weekday_name(d)
                            ),
                        );
                    } else {
                        slot.push(win);
                    }
                }
            }
            Err(e) => cx.err(w.span(), format!("invalid weekly window \"{}\": {e}", w.get_ref())),
        }
    }
    for slot in &mut weekly {
        slot.sort_by_key(|w| w.start);
    }
    let cals: Vec<Arc<Calendar>> = r
        .calendars
        .iter()
        .filter_map(|c| cx.reference(c, "calendar", cal_names))
        .filter_map(|c| calendars.get(&c).cloned())
        .collect();
    let mut extra = Vec::new();
    let all_calendars_known = cals.len() == r.calendars.len();
    for e in r.extra_days.iter().filter(|_| all_calendars_known) {
        match cals.iter().find_map(|c| c.extra_day(e.get_ref())) {
            Some(h) => extra.push(h.clone()),
            None => {
                let known: Vec<&str> = cals
                    .iter()
                    .flat_map(|c| c.extra_days.iter().map(|h| h.id.as_str()))
                    .collect();
                cx.reference(e, "extra day in this schedule's calendars", &known);
            }
        }
    }
    let seasons = r.seasons.iter().filter_map(|o| other_hours(cx, o, true)).collect();
    let special_days = r
        .special_days
        .iter()
        .filter_map(|o| other_hours(cx, o, false))
        .collect();
    let mut sch = Schedule::new(name, tz, false, weekly, cals, extra, special_days, seasons);
    sch.description = r.description.clone();
    sch.source = r.source.clone();
    sch.reading = r.reading.clone();
    sch.note = r.note.clone();
    sch
}

fn other_hours(cx: &mut Ctx, o: &S<RawOtherHours>, season: bool) -> Option<OtherHours> {
    let r = o.get_ref();
    let days = match (&r.date, &r.easter, &r.from, &r.to) {
        (None, None, Some(f), Some(t)) => DayMatcher::Range(cx.month_day(f)?, cx.month_day(t)?),
        (Some(d), None, None, None) if !season => DayMatcher::Date(cx.month_day(d)?),
        (None, Some(e), None, None) if !season => {
            if e.get_ref().abs() > MAX_EASTER_OFFSET {
                cx.err(
                    e.span(),
                    format!(
                        "easter offset {} is out of range: a special day is at most {MAX_EASTER_OFFSET} days before or after Easter Sunday (so it stays in Easter's year)",
                        e.get_ref()
                    ),
                );
                return None;
            }
            DayMatcher::Easter(*e.get_ref())
        }
        _ => {
            let msg = if season {
                format!(
                    "season \"{}\" needs from = \"MM-DD\" and to = \"MM-DD\" (and nothing else)",
                    r.name
                )
            } else {
                format!(
                    "special day \"{}\" needs exactly one of: date, easter, or from + to",
                    r.name
                )
            };
            cx.err(o.span(), msg);
            return None;
        }
    };
    let hours = cx.windows(&r.hours);
    Some(OtherHours {
        name: r.name.clone(),
        days,
        hours,
        source: r.source.clone(),
        reading: r.reading.clone(),
    })
}

/// A schedule written as `complement = "other"`: open exactly when `other` is closed. It
/// takes nothing else but its description, clause, reading and note, and `other` must be an
/// ordinary schedule of the file.
pub(super) fn complement(cx: &mut Ctx, name: &str, s: &S<RawSchedule>, built: &[Arc<Schedule>]) -> Option<Schedule> {
    let r = s.get_ref();
    let of = r.complement.as_ref()?;
    if !(r.always.is_none()
        && r.weekly.is_empty()
        && r.calendars.is_empty()
        && r.seasons.is_empty()
        && r.special_days.is_empty()
        && r.extra_days.is_empty())
    {
        cx.err(
            s.span(),
            format!("schedule \"{name}\" is the complement of \"{}\": it takes no always, weekly, calendars, extra_days, seasons or special_days", of.get_ref()),
        );
    }
    let known: Vec<&str> = built.iter().map(|b| b.name.as_str()).collect();
    let base = cx.reference(of, "schedule to complement", &known)?;
    let base = built.iter().find(|b| b.name == base)?.clone();
    let mut sch = Schedule::complement(name, base);
    sch.description = r.description.clone();
    sch.source = r.source.clone();
    sch.reading = r.reading.clone();
    sch.note = r.note.clone();
    Some(sch)
}
