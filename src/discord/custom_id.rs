//! Component custom ids: what a button or modal on an incident card means, carried in the
//! component itself (`vakt:<action>:<incident>`, at most 100 characters) so it is resolved
//! from the database after a restart, never from memory. The Done button of a follow-up's
//! announcement also names the follow-up: `vakt:done:<incident>:<follow-up>`.

use crate::domain::ids::IncidentId;

/// What an incident card's button or modal does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardAction {
    /// The Acknowledge button.
    Acknowledge,
    /// The Post update button (opens the update modal).
    Update,
    /// The Resolve button (opens the resolve modal).
    Resolve,
    /// The Escalate button.
    Escalate,
    /// The submitted update modal.
    UpdateModal,
    /// The submitted resolve modal.
    ResolveModal,
}

impl CardAction {
    const ALL: [CardAction; 6] = [
        CardAction::Acknowledge,
        CardAction::Update,
        CardAction::Resolve,
        CardAction::Escalate,
        CardAction::UpdateModal,
        CardAction::ResolveModal,
    ];

    fn code(self) -> &'static str {
        match self {
            CardAction::Acknowledge => "ack",
            CardAction::Update => "update",
            CardAction::Resolve => "resolve",
            CardAction::Escalate => "escalate",
            CardAction::UpdateModal => "update-modal",
            CardAction::ResolveModal => "resolve-modal",
        }
    }
}

/// Longest custom id Discord accepts.
pub const MAX_CUSTOM_ID: usize = 100;

/// The custom id of `action` on `incident`'s card.
pub fn encode(action: CardAction, incident: &IncidentId) -> String {
    format!("vakt:{}:{incident}", action.code())
}

/// Parses a custom id made by [`encode`]; `None` for anything else (a forged or foreign id).
pub fn decode(custom_id: &str) -> Option<(CardAction, IncidentId)> {
    if custom_id.len() > MAX_CUSTOM_ID {
        return None;
    }
    let rest = custom_id.strip_prefix("vakt:")?;
    let (code, id) = rest.split_once(':')?;
    let action = CardAction::ALL.into_iter().find(|a| a.code() == code)?;
    if id.is_empty() || id.trim() != id {
        return None;
    }
    Some((action, IncidentId::new(id)))
}

/// The action code of a follow-up announcement's Done button.
const DONE: &str = "done";

/// The custom id of the Done button on the announcement of `follow_up` of `incident`;
/// `None` when it would not fit Discord's limit.
pub fn encode_done(incident: &IncidentId, follow_up: &str) -> Option<String> {
    let s = format!("vakt:{DONE}:{incident}:{follow_up}");
    (s.len() <= MAX_CUSTOM_ID).then_some(s)
}

/// Parses a custom id made by [`encode_done`]: the incident and the follow-up; `None` for
/// anything else.
pub fn decode_done(custom_id: &str) -> Option<(IncidentId, String)> {
    if custom_id.len() > MAX_CUSTOM_ID {
        return None;
    }
    let rest = custom_id.strip_prefix("vakt:")?.strip_prefix(DONE)?.strip_prefix(':')?;
    let (id, follow_up) = rest.split_once(':')?;
    let clean = |s: &str| !s.is_empty() && s.trim() == s && !s.contains(':');
    (clean(id) && clean(follow_up)).then(|| (IncidentId::new(id), follow_up.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_round_trip_and_fit() {
        let id = IncidentId::make("ALTINN", 2026, 1234);
        for a in CardAction::ALL {
            let s = encode(a, &id);
            assert!(s.len() <= MAX_CUSTOM_ID);
            assert_eq!(decode(&s), Some((a, id.clone())));
        }
    }

    #[test]
    fn done_ids_round_trip_and_fit_or_are_left_out() {
        let id = IncidentId::make("ALTINN", 2026, 1234);
        let s = encode_done(&id, "feedback").expect("fits");
        assert_eq!(decode_done(&s), Some((id.clone(), "feedback".to_string())));
        assert_eq!(decode(&s), None, "not a card action");
        assert_eq!(encode_done(&id, &"x".repeat(90)), None);
        for bad in [
            "vakt:done:",
            "vakt:done:X-1",
            "vakt:done:X-1:",
            "vakt:done: X-1:f",
            "vakt:done:X-1:f:g",
        ] {
            assert_eq!(decode_done(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn foreign_custom_ids_are_refused() {
        for s in [
            "",
            "vakt",
            "vakt:ack",
            "vakt:ack:",
            "vakt:nope:X-1",
            "other:ack:X-1",
            "vakt:ack: X-1",
        ] {
            assert_eq!(decode(s), None, "{s:?}");
        }
    }
}
