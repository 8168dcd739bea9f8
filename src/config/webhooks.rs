//! The `[[webhooks]]` of `vakt.toml`: the systems told of every notice (or the kinds and
//! agreements chosen) by signed JSON posts, each with its URL and its signing secret (from the
//! file or an environment variable; never printed).

use super::Secret;
use crate::agreements::Catalog;
use crate::domain::jobs::webhook::EventKind;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWebhook {
    name: String,
    url: String,
    secret: Option<String>,
    secret_env: Option<String>,
    #[serde(default)]
    kinds: Vec<String>,
    #[serde(default)]
    agreements: Vec<String>,
    timeout_seconds: Option<u64>,
}

/// The longest `timeout_seconds`: an attempt ends well inside the scheduler's 60 s claim on
/// its job, so no other runner takes the delivery while it is on its way.
const MAX_TIMEOUT: u64 = 50;

/// One webhook target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    /// Unique name: the metrics' `target` label and the delivery jobs' keys.
    pub name: String,
    /// Where deliveries are posted (http or https).
    pub url: url::Url,
    /// The HMAC-SHA256 signing secret (never printed).
    pub secret: Secret,
    /// The kinds of notice it takes; empty: every kind.
    pub kinds: Vec<EventKind>,
    /// The agreements whose notices it takes; empty: every agreement.
    pub agreements: Vec<String>,
    /// How long one attempt may take before it counts as failed (default 10 s).
    pub timeout: std::time::Duration,
}

/// Reads the section; secrets named by `secret_env` come from `env`.
pub(super) fn section(raw: &[RawWebhook], env: &dyn Fn(&str) -> Option<String>) -> Result<Vec<WebhookTarget>, String> {
    let mut targets: Vec<WebhookTarget> = Vec::new();
    for w in raw {
        let at = format!("[[webhooks]] \"{}\"", w.name);
        super::check_name(&at, &w.name, targets.iter().any(|o| o.name == w.name))?;
        let url = url::Url::parse(&w.url).map_err(|e| format!("{at}: url \"{}\" is not a URL: {e}", w.url))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!(
                "{at}: url \"{}\" must be an http or https URL with a host",
                w.url
            ));
        }
        if url.password().is_some() {
            // It would be printed with the configuration; the signature is the credential.
            return Err(format!("{at}: the url must not hold a password"));
        }
        let secret = super::secret_from(&at, "secret", w.secret.as_ref(), w.secret_env.as_ref(), env)?;
        let kinds = (w.kinds.iter())
            .map(|k| {
                EventKind::parse(k).ok_or_else(|| {
                    let known: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
                    format!("{at}: \"{k}\" is not a kind of notice (known: {})", known.join(", "))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let timeout = match w.timeout_seconds {
            None => std::time::Duration::from_secs(10),
            Some(s @ 1..=MAX_TIMEOUT) => std::time::Duration::from_secs(s),
            Some(_) => return Err(format!("{at}: timeout_seconds is 1 to {MAX_TIMEOUT}")),
        };
        targets.push(WebhookTarget {
            name: w.name.clone(),
            url,
            secret,
            kinds,
            agreements: w.agreements.clone(),
            timeout,
        });
    }
    Ok(targets)
}

/// Checks each target's agreements against the loaded agreements.
pub(super) fn check(targets: &[WebhookTarget], catalog: &Catalog) -> Result<(), String> {
    for t in targets {
        for a in &t.agreements {
            if catalog.get(a).is_none() {
                return Err(format!(
                    "[[webhooks]] \"{}\": no such agreement \"{a}\" (known: {})",
                    t.name,
                    catalog.ids()
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::config::load_text as load;

    const TARGET: &str = "[[webhooks]]\nname = \"portal\"\nurl = \"https://portal.example/hooks/vakt\"\n";

    #[test]
    fn a_target_reads_its_secret_from_the_file_or_the_environment_and_never_shows_it() {
        let env = |k: &str| (k == "PORTAL_SECRET").then(|| "from-the-environment-0123".to_string());
        let c = load(
            &format!("{TARGET}secret_env = \"PORTAL_SECRET\"\nkinds = [\"opened\", \"resolved\"]\nagreements = [\"borger-dk\"]\n"),
            &env,
        )
        .expect("loads");
        let t = &c.webhooks[0];
        assert_eq!(t.secret.expose(), "from-the-environment-0123");
        assert_eq!(t.kinds.len(), 2);
        assert_eq!(t.agreements, ["borger-dk"]);
        assert!(
            !format!("{c:?}").contains("from-the-environment"),
            "the secret is not in Debug"
        );
        let c = load(&format!("{TARGET}secret = \"in-the-file-0123456789\"\n"), &|_| None).expect("loads");
        assert_eq!(c.webhooks[0].secret.expose(), "in-the-file-0123456789");
        assert!(c.webhooks[0].kinds.is_empty(), "no filter: every kind");
        assert!(!format!("{c:?}").contains("in-the-file"), "the secret is not in Debug");
    }

    #[test]
    fn bad_targets_are_errors_naming_the_target() {
        let secret = "secret = \"0123456789abcdef\"\n";
        for (text, want) in [
            (TARGET.to_string(), "exactly one of secret and secret_env"),
            (format!("{TARGET}secret = \"short\"\n"), "at least 16 characters"),
            (format!("{TARGET}secret_env = \"UNSET\"\n"), "UNSET, which is not set"),
            (
                format!("{TARGET}{secret}kinds = [\"opend\"]\n"),
                "\"opend\" is not a kind of notice",
            ),
            (
                format!("{TARGET}{secret}agreements = [\"nope\"]\n"),
                "no such agreement \"nope\"",
            ),
            (
                format!("{TARGET}{secret}timeout_seconds = 0\n"),
                "timeout_seconds is 1 to 50",
            ),
            (format!("{TARGET}{secret}{TARGET}{secret}"), "the name is used twice"),
            (
                format!("[[webhooks]]\nname = \"p\"\nurl = \"ftp://x.example/\"\n{secret}"),
                "must be an http or https URL",
            ),
            (
                format!("[[webhooks]]\nname = \"p\"\nurl = \"https://u:pw@x.example/\"\n{secret}"),
                "must not hold a password",
            ),
            (
                format!("[[webhooks]]\nname = \"p\"\nurl = \"not a url\"\n{secret}"),
                "is not a URL",
            ),
            (
                format!("[[webhooks]]\nname = \"a b\"\nurl = \"https://x.example/\"\n{secret}"),
                "a name is letters",
            ),
            (format!("{TARGET}{secret}colour = \"red\"\n"), "unknown field"),
        ] {
            let e = load(&text, &|_| None).expect_err(&text);
            assert!(e.contains(want), "{text}\n→ {e}\n(wanted {want})");
            assert!(!e.contains("0123456789abcdef"), "the secret is never in an error: {e}");
        }
    }
}
