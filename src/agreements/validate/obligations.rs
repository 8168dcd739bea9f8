//! The reports the agreement sets, each dated "by" or "on" its day.

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
            let monthly_due = due(
                cx,
                "monthly",
                r.monthly_day.as_ref().map(S::span),
                &r.monthly_due,
                &r.monthly_closed,
            );
            let annual_due = due(
                cx,
                "annual",
                r.annual.as_ref().map(S::span),
                &r.annual_due,
                &r.annual_closed,
            );
            Reports {
                monthly_day: r.monthly_day.as_ref().map(|d| *d.get_ref()),
                monthly_due,
                monthly_reading: r.monthly_reading.clone(),
                monthly_source: r.monthly_source.clone(),
                weekly_meeting: r.weekly_meeting,
                weekly_source: r.weekly_source.clone(),
                annual: r.annual.as_ref().and_then(|a| cx.month_day(a)),
                annual_due,
                annual_reading: r.annual_reading.clone(),
                annual_source: r.annual_source.clone(),
                note: r.note.clone(),
            }
        }
    }
}

/// `<what>_due` (`by` or `on`) and, for `on`, `<what>_closed` (`before` or `after`): every
/// dated report says which it is, and a report due "on" its day says where a closed day
/// moves it.
fn due(
    cx: &mut Ctx,
    what: &str,
    day: Option<std::ops::Range<usize>>,
    due: &Option<S<String>>,
    closed: &Option<S<String>>,
) -> DueRule {
    let Some(day) = day else {
        for given in [due, closed].into_iter().flatten() {
            cx.err(
                given.span(),
                format!("{what}_due and {what}_closed go with a {what} report date"),
            );
        }
        return DueRule::By;
    };
    let shift = closed.as_ref().and_then(|c| match c.get_ref().as_str() {
        "before" => Some(Shift::Before),
        "after" => Some(Shift::After),
        other => {
            cx.err(
                c.span(),
                format!("unknown {what}_closed \"{other}\" (known: before, after)"),
            );
            None
        }
    });
    match due.as_ref().map(|d| (d, d.get_ref().as_str())) {
        None => {
            cx.err(
                day,
                format!("say whether the {what} report is due by its day or on it: {what}_due = \"by\" or \"on\""),
            );
            DueRule::By
        }
        Some((d, "by")) => {
            if let Some(c) = closed {
                cx.err(
                    c.span(),
                    format!("a report due by its day moves to the working day before a closed day; {what}_closed is only for {what}_due = \"on\""),
                );
            }
            let _ = d;
            DueRule::By
        }
        Some((d, "on")) => match (closed, shift) {
            (_, Some(closed)) => DueRule::On { closed },
            (None, _) => {
                cx.err(
                    d.span(),
                    format!("a report due on its day says where a closed day moves it: {what}_closed = \"before\" or \"after\""),
                );
                DueRule::By
            }
            (Some(_), None) => DueRule::By,
        },
        Some((d, other)) => {
            cx.err(d.span(), format!("unknown {what}_due \"{other}\" (known: by, on)"));
            DueRule::By
        }
    }
}
