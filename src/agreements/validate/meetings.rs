//! The `[[meetings]]` section: ids unique, a cadence, and for a scheduled cadence a weekday
//! and a local time.

use super::*;

/// The `[[meetings]]` section: ids unique, a cadence, and for a scheduled cadence a
/// weekday and a local time (an as-needed meeting has neither).
pub(super) fn meetings(cx: &mut Ctx, raw: &[S<RawMeeting>]) -> Vec<Meeting> {
    check_ids(cx, "meeting", raw.iter().map(|m| &m.get_ref().id));
    let mut out = Vec::new();
    for m in raw {
        let r = m.get_ref();
        let cadence = Cadence::parse(r.cadence.get_ref());
        if cadence.is_none() {
            cx.err(
                r.cadence.span(),
                format!(
                    "invalid cadence \"{}\" (expected weeks or months like \"1w\", \"2mo\" (1–24), or \"as-needed\")",
                    r.cadence.get_ref()
                ),
            );
        }
        let weekday = r.weekday.as_ref().and_then(|w| {
            let d = parse_weekday(w.get_ref());
            if d.is_none() {
                cx.err(w.span(), format!("unknown weekday \"{}\" (use mon..sun)", w.get_ref()));
            }
            d
        });
        let time = r.time.as_ref().and_then(|t| {
            let at = Minute::parse(t.get_ref()).and_then(Minute::time);
            if at.is_none() {
                cx.err(
                    t.span(),
                    format!("invalid time \"{}\" (expected HH:MM, 00:00–23:59)", t.get_ref()),
                );
            }
            at
        });
        let agenda = match r.agenda.as_ref() {
            None => Some(Agenda::None),
            Some(a) => match a.get_ref().as_str() {
                "weekly_summary" => Some(Agenda::WeeklySummary),
                "period_report" => Some(Agenda::PeriodReport),
                "none" => Some(Agenda::None),
                other => {
                    cx.err(
                        a.span(),
                        format!("unknown agenda \"{other}\" (known: weekly_summary, period_report, none)"),
                    );
                    None
                }
            },
        };
        match cadence {
            Some(Cadence::AsNeeded) => {
                for (given, what) in [(r.weekday.as_ref(), "weekday"), (r.time.as_ref(), "time")] {
                    if let Some(g) = given {
                        cx.err(g.span(), format!("an as-needed meeting has no {what}"));
                    }
                }
                if r.points {
                    cx.err(
                        r.id.span(),
                        "an as-needed meeting keeps no follow-up points (no next meeting to answer by)",
                    );
                }
            }
            Some(_) => {
                if r.weekday.is_none() {
                    cx.err(r.id.span(), format!("meeting \"{}\" needs a weekday", r.id.get_ref()));
                }
                if r.time.is_none() {
                    cx.err(r.id.span(), format!("meeting \"{}\" needs a time", r.id.get_ref()));
                }
            }
            None => {}
        }
        if let (Some(cadence), Some(agenda)) = (cadence, agenda) {
            out.push(Meeting {
                id: r.id.get_ref().clone(),
                name: r.name.clone(),
                cadence,
                weekday,
                time,
                agenda,
                clause: r.source.clone(),
                reading: r.reading.clone(),
                points: r.points,
                note: r.note.clone(),
            });
        }
    }
    out
}
