//! Identifier newtypes: incidents, agreements, priorities, chat users and chat messages. Each wraps a string
//! with a private field, so an incident id cannot be passed where an agreement id is meant,
//! and serialises as the bare string (stored data keeps its shape).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id as given (trimmed of surrounding whitespace).
            pub fn new(s: impl Into<String>) -> Self {
                let s: String = s.into();
                let t = s.trim();
                if t.len() == s.len() { $name(s) } else { $name(t.to_string()) }
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Consumes the id into its string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name::new(s)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name::new(s)
            }
        }

        impl From<&String> for $name {
            fn from(s: &String) -> Self {
                $name::new(s.as_str())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }
    };
}

string_id!(
    /// A human incident id, `SSB-2026-0042`: the agreement's prefix, its local year and a
    /// sequence number.
    IncidentId
);
string_id!(
    /// An agreement's id as its file declares it (`ssbtek`, `borger-dk`).
    AgreementId
);
string_id!(
    /// A priority's id within its agreement (`1`, `A`, `P2`).
    PriorityId
);
string_id!(
    /// A chat user's stable, opaque id (a Discord snowflake, a console user name). Never a
    /// display name.
    UserId
);
string_id!(
    /// A chat message's stable, opaque id as the chat adapter gave it (a Discord message or
    /// thread snowflake, a console heading's number).
    MessageId
);

impl IncidentId {
    /// The id for sequence number `seq` of `year` under `prefix`, padded to four digits.
    pub fn make(prefix: &str, year: i32, seq: u32) -> Self {
        IncidentId(format!("{prefix}-{year}-{seq:04}"))
    }

    /// Parses an id typed by a user: trimmed and upper-cased (`ssb-2026-0001` finds
    /// `SSB-2026-0001`). `None` for an empty or malformed id (no `-`, or characters other
    /// than letters, digits and `-`).
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim();
        if t.is_empty() || !t.contains('-') || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return None;
        }
        Some(IncidentId(t.to_ascii_uppercase()))
    }
}

/// The one rule for a chat platform's numeric id (a Discord user, role, channel, guild or
/// application snowflake): exactly 15 to 20 ASCII digits making a non-zero 64-bit number.
/// The configuration accepts, and the Discord adapter posts to and mentions, exactly these.
pub fn snowflake(s: &str) -> Option<u64> {
    if !(15..=20).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u64>().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_compare_with_strings_and_serialise_bare() {
        let id = IncidentId::make("SSB", 2026, 7);
        assert_eq!(id, "SSB-2026-0007");
        assert_eq!(serde_json::to_string(&id).expect("json"), "\"SSB-2026-0007\"");
        let back: IncidentId = serde_json::from_str("\"SSB-2026-0007\"").expect("json");
        assert_eq!(back, id);
        assert_eq!(IncidentId::parse(" ssb-2026-0007 "), Some(id));
        assert_eq!(IncidentId::parse("nothing"), None);
        assert_eq!(IncidentId::parse("a b-1"), None);
        assert_eq!(AgreementId::new(" ssbtek "), "ssbtek");
    }
}
