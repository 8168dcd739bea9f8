//! The priorities and the impact scale: ids unique, at least one of each.

use super::*;

/// The priorities and impacts of an agreement, with their ids in order.
pub(super) struct Levels {
    /// Priorities, most severe first.
    pub priorities: Vec<Priority>,
    pub impacts: Vec<Impact>,
    /// The priority ids (unique ones).
    pub prio_ids: Vec<String>,
    /// The impact ids (unique ones).
    pub impact_ids: Vec<String>,
}

/// The `[[priorities]]` and `[[impacts]]` sections.
pub(super) fn levels(cx: &mut Ctx, raw: &RawAgreement) -> Levels {
    let prio_ids = check_ids(cx, "priority", raw.priorities.iter().map(|p| &p.get_ref().id));
    if raw.priorities.is_empty() {
        cx.err(0..0, "no priorities defined");
    }
    let impact_ids = check_ids(cx, "impact", raw.impacts.iter().map(|p| &p.get_ref().id));
    if raw.impacts.is_empty() {
        cx.err(0..0, "no impacts defined: the reporter needs a scale");
    }
    let level = |p: &S<RawPriority>| {
        let r = p.get_ref();
        (
            r.id.get_ref().clone(),
            r.name.clone(),
            r.description.clone(),
            prov(&r.source, &r.reading, &r.note),
        )
    };
    let priorities: Vec<Priority> = raw
        .priorities
        .iter()
        .map(level)
        .map(|(id, name, description, prov)| Priority {
            id,
            name,
            description,
            prov,
        })
        .collect();
    let impacts: Vec<Impact> = raw
        .impacts
        .iter()
        .map(level)
        .map(|(id, name, description, prov)| Impact {
            id,
            name,
            description,
            prov,
        })
        .collect();
    Levels {
        priorities,
        impacts,
        prio_ids,
        impact_ids,
    }
}
