//! The `[calendar.<agreement>]` sections of `vakt.toml`: which agreements have a calendar
//! feed (`GET /calendar/<agreement>.ics?token=…`) and the token in its address.

use super::Secret;
use crate::agreements::Catalog;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFeed {
    token: Option<String>,
    token_env: Option<String>,
}

/// The `[calendar]` sections: a feed's token by agreement id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarConfig {
    /// The token of each agreement's feed (never printed).
    pub feeds: BTreeMap<String, Secret>,
}

/// The shortest token accepted.
const MIN_TOKEN_CHARS: usize = 16;

/// Reads the sections; tokens named by `token_env` come from `env`. A token stands in an
/// address, so it is letters, digits, `-`, `_`, `.` and `~` only.
pub(super) fn section(
    raw: &BTreeMap<String, RawFeed>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<CalendarConfig, String> {
    let mut feeds = BTreeMap::new();
    for (agreement, f) in raw {
        let at = format!("[calendar.{agreement}]");
        let token = match (&f.token, &f.token_env) {
            (Some(t), None) => t.clone(),
            (None, Some(var)) => env(var).ok_or_else(|| format!("{at}: token_env names {var}, which is not set"))?,
            _ => return Err(format!("{at}: give exactly one of token and token_env")),
        };
        let token = token.trim();
        if token.chars().count() < MIN_TOKEN_CHARS {
            return Err(format!(
                "{at}: the token must have at least {MIN_TOKEN_CHARS} characters"
            ));
        }
        if !token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
        {
            return Err(format!("{at}: the token is letters, digits, -, _, . and ~"));
        }
        feeds.insert(agreement.clone(), Secret::new(token));
    }
    Ok(CalendarConfig { feeds })
}

/// Checks that each feed names a loaded agreement.
pub(super) fn check(calendar: &CalendarConfig, catalog: &Catalog) -> Result<(), String> {
    for agreement in calendar.feeds.keys() {
        if catalog.get(agreement).is_none() {
            return Err(format!(
                "[calendar.{agreement}]: no such agreement (known: {})",
                catalog.ids()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(token: Option<&str>, token_env: Option<&str>) -> BTreeMap<String, RawFeed> {
        BTreeMap::from([(
            "borger-dk".to_string(),
            RawFeed {
                token: token.map(str::to_string),
                token_env: token_env.map(str::to_string),
            },
        )])
    }

    #[test]
    fn a_feed_token_comes_from_the_file_or_the_environment_and_is_never_shown() {
        let env = |k: &str| (k == "CAL_TOKEN").then(|| "from-the-environment-0123".to_string());
        let c = section(&raw(None, Some("CAL_TOKEN")), &env).expect("reads");
        assert_eq!(c.feeds["borger-dk"].expose(), "from-the-environment-0123");
        assert!(!format!("{c:?}").contains("from-the-environment"));
        let c = section(&raw(Some("in-the-file-0123456789"), None), &|_| None).expect("reads");
        assert_eq!(c.feeds["borger-dk"].expose(), "in-the-file-0123456789");
    }

    #[test]
    fn a_short_missing_doubled_or_unsafe_token_is_an_error_naming_the_section() {
        for (token, token_env, want) in [
            (None, None, "exactly one of"),
            (Some("0123456789abcdef"), Some("X"), "exactly one of"),
            (Some("short"), None, "at least 16"),
            (Some("has space 0123456789"), None, "letters, digits"),
            (Some("a&b=c0123456789abc"), None, "letters, digits"),
            (None, Some("UNSET"), "UNSET, which is not set"),
        ] {
            let e = section(&raw(token, token_env), &|_| None).expect_err("refused");
            assert!(e.contains("[calendar.borger-dk]") && e.contains(want), "{e}");
        }
    }
}
