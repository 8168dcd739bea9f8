//! The escalation ladder: at least one level, roles unique.

use super::*;

/// The `[escalation]` section.
pub(super) fn ladder(cx: &mut Ctx, raw: &RawAgreement) -> Ladder {
    let l = raw.escalation.get_ref();
    if l.levels.is_empty() {
        cx.err(raw.escalation.span(), "the escalation ladder has no levels");
    }
    check_ids(cx, "escalation role", l.levels.iter().map(|x| &x.get_ref().role));
    Ladder {
        levels: l
            .levels
            .iter()
            .map(|x| {
                let x = x.get_ref();
                Level {
                    role: x.role.get_ref().clone(),
                    name: x.name.clone(),
                    source: x.source.clone().unwrap_or_else(|| l.source.clone()),
                }
            })
            .collect(),
        prov: prov(&l.source, &l.reading, &l.note),
    }
}
