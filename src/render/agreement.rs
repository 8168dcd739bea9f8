//! The words of an agreement: `/sla explain` (`vakt agreements show` prints the same), its
//! priorities with their targets and its escalation ladder.

use super::msg::Msg;
use super::style::Style;
use crate::domain::agreement::{Agreement, Target};

fn target(t: &Target, style: &Style) -> String {
    match t {
        Target::Within {
            duration,
            schedule,
            prov,
        } => style.say(
            Msg::Within,
            &[("duration", duration), ("schedule", schedule), ("clause", &prov.source)],
        ),
        Target::None { why, .. } => style.say(Msg::NoTargetWhy, &[("why", why)]),
    }
}

/// `/sla explain`: an agreement's priorities (all, or `only` the one named) with their
/// targets (business time on the named schedule), and, for the whole agreement, its
/// escalation ladder.
pub fn explain(a: &Agreement, only: Option<&str>, style: &Style) -> String {
    let mut s = style.say(Msg::ExplainHead, &[("name", &a.name), ("id", &a.id), ("tz", &a.tz)]);
    for p in a.priorities.iter().filter(|p| only.is_none_or(|o| o == p.id)) {
        s += &style.say(
            Msg::ExplainPriority,
            &[("id", &p.id), ("name", &p.name), ("description", &p.description)],
        );
        if let Some(t) = a.targets.iter().find(|t| t.priority == p.id) {
            s += &style.say(Msg::ExplainResponse, &[("target", &target(&t.response, style))]);
            s += &style.say(Msg::ExplainResolution, &[("target", &target(&t.resolution, style))]);
        }
    }
    if only.is_none() {
        s += &style.say(Msg::Ladder, &[("clause", &a.escalation.prov.source)]);
        for (i, l) in a.escalation.levels.iter().enumerate() {
            s += &style.say(
                Msg::LadderLevel,
                &[("n", &(i + 1)), ("name", &l.name), ("role", &l.role)],
            );
        }
    }
    s
}
