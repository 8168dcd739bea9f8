//! Component custom ids: what a button or modal on an incident card means, carried in the
//! component itself (`vakt:<action>:<incident>`, at most 100 characters) so it is resolved
//! from the database after a restart, never from memory. The Done button of a follow-up's
//! announcement also names the follow-up: `vakt:done:<incident>:<follow-up>`. The Previous
//! and Next buttons of an incident list carry the whole list to show:
//! `vakt:list:<scope>:<page>:<agreement>:<type>` (an empty agreement or type: not filtered).

use crate::commands::ListScope;
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

/// The action code of an incident list's Previous and Next buttons.
const LIST: &str = "list";

/// One page of `/incident list` as a list button names it: everything the command needs to
/// show that page again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// Which incidents.
    pub scope: ListScope,
    /// The page to show, from 1.
    pub page: u32,
    /// Only this agreement's incidents.
    pub agreement: Option<String>,
    /// Only cases of this type.
    pub case_type: Option<String>,
}

/// The scopes by their code in a list button's id (short, so long agreement ids still fit).
const SCOPES: [(ListScope, &str); 4] = [
    (ListScope::Active, "active"),
    (ListScope::Breaching, "breaching"),
    (ListScope::BreachedThisWeek, "week"),
    (ListScope::All, "all"),
];

/// Whether `s` may stand in a list button's id as an agreement or case type id: what those
/// ids are made of (lower-case letters, digits, `-` and `_`), so the id splits unambiguously.
fn id_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The custom id of a list button showing `q`; `None` when it would not fit Discord's limit,
/// the page is 0, or a filter is not an id.
pub fn encode_list(q: &ListQuery) -> Option<String> {
    let scope = SCOPES.iter().find(|(s, _)| *s == q.scope).map(|(_, c)| *c)?;
    fn filter(f: &Option<String>) -> Option<&str> {
        match f {
            None => Some(""),
            Some(v) if id_word(v) => Some(v.as_str()),
            Some(_) => None,
        }
    }
    let s = format!(
        "vakt:{LIST}:{scope}:{}:{}:{}",
        q.page,
        filter(&q.agreement)?,
        filter(&q.case_type)?
    );
    (q.page >= 1 && s.len() <= MAX_CUSTOM_ID).then_some(s)
}

/// Parses a custom id made by [`encode_list`]; `None` for anything else (a page that is not a
/// plain number from 1, an unknown scope, a filter that is not an id, a missing or extra part).
pub fn decode_list(custom_id: &str) -> Option<ListQuery> {
    if custom_id.len() > MAX_CUSTOM_ID {
        return None;
    }
    let rest = custom_id.strip_prefix("vakt:")?.strip_prefix(LIST)?.strip_prefix(':')?;
    let parts: Vec<&str> = rest.split(':').collect();
    let [scope, page, agreement, case_type] = parts.as_slice() else {
        return None;
    };
    let scope = SCOPES.iter().find(|(_, c)| c == scope).map(|(s, _)| *s)?;
    // Only the number as encode_list writes it: no sign, no leading zero, from 1.
    let n: u32 = page.parse().ok()?;
    if n == 0 || n.to_string() != *page {
        return None;
    }
    let filter = |f: &str| match f {
        "" => Some(None),
        f if id_word(f) => Some(Some(f.to_string())),
        _ => None,
    };
    Some(ListQuery {
        scope,
        page: n,
        agreement: filter(agreement)?,
        case_type: filter(case_type)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_ids_round_trip_and_fit_or_are_left_out() {
        for (scope, _) in SCOPES {
            for (agreement, case_type) in [
                (None, None),
                (Some("borger-dk"), None),
                (None, Some("problem")),
                (Some("ssb-tek"), Some("order_x")),
            ] {
                for page in [1, 2, 25, u32::MAX] {
                    let q = ListQuery {
                        scope,
                        page,
                        agreement: agreement.map(str::to_string),
                        case_type: case_type.map(str::to_string),
                    };
                    let s = encode_list(&q).expect("fits");
                    assert!(s.len() <= MAX_CUSTOM_ID);
                    assert_eq!(decode_list(&s), Some(q), "{s}");
                    assert_eq!(decode(&s), None, "not a card action: {s}");
                    assert_eq!(decode_done(&s), None, "not a Done button: {s}");
                }
            }
        }
        let q = |page: u32, agreement: &str| ListQuery {
            scope: ListScope::All,
            page,
            agreement: Some(agreement.to_string()),
            case_type: None,
        };
        assert_eq!(encode_list(&q(1, &"a".repeat(90))), None, "too long");
        assert_eq!(encode_list(&q(0, "a")), None, "no page 0");
        assert_eq!(encode_list(&q(1, "a:b")), None, "not an id");
        assert_eq!(encode_list(&q(1, "")), None, "an empty filter is none, not an id");
    }

    #[test]
    fn malformed_list_ids_are_refused() {
        for bad in [
            "vakt:list",
            "vakt:list:",
            "vakt:list:active",
            "vakt:list:active:2",
            "vakt:list:active:2:",
            "vakt:list:active:2:::",
            "vakt:list:active:2:a:b:c",
            "vakt:list:nope:2::",
            "vakt:list:Active:2::",
            "vakt:list:active:0::",
            "vakt:list:active:02::",
            "vakt:list:active:+2::",
            "vakt:list:active:-1::",
            "vakt:list:active:two::",
            "vakt:list:active:4294967296::",
            "vakt:list:active:2: borger::",
            "vakt:list:active:2:Borger:",
            "vakt:list:active:2:b\u{f8}rger:",
            "vakt:lists:active:2::",
            "other:list:active:2::",
        ] {
            assert_eq!(decode_list(bad), None, "{bad:?}");
        }
        let long = format!("vakt:list:active:2:{}:", "a".repeat(90));
        assert_eq!(decode_list(&long), None, "longer than Discord allows");
    }

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
