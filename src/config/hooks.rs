//! The `[[hooks.sources]]` of `vakt.toml`: the monitoring systems allowed to open incidents,
//! each with its own bearer token, the agreement and service its incidents go to, how its
//! labels map to the agreement's facts, and whether a resolved alert resolves the incident.

use super::Secret;
use crate::agreements::Catalog;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHooks {
    #[serde(default)]
    sources: Vec<RawSource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    name: String,
    kind: HookKind,
    token: Option<String>,
    token_env: Option<String>,
    agreement: String,
    service: Option<String>,
    #[serde(default)]
    resolve: bool,
    impact_label: Option<String>,
    #[serde(default)]
    impacts: BTreeMap<String, String>,
    default_impact: Option<String>,
    users_label: Option<String>,
    security_label: Option<String>,
}

/// The payload a source sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HookKind {
    /// Prometheus Alertmanager's webhook, version 4: `POST /hooks/alertmanager`.
    Alertmanager,
    /// vakt's own JSON shape: `POST /hooks/generic`.
    Generic,
}

/// How a source's labels (Alertmanager) or facts (generic) become the agreement's facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactMapping {
    /// The label whose value picks the impact (Alertmanager), e.g. `severity`.
    pub impact_label: Option<String>,
    /// A label value (or a generic payload's impact) → the agreement's impact id; a value not
    /// listed is taken as an impact id itself.
    pub impacts: BTreeMap<String, String>,
    /// The impact when the payload names none.
    pub default_impact: Option<String>,
    /// The label holding the share of users affected, in percent.
    pub users_label: Option<String>,
    /// The label that marks a security incident when its value is `true`.
    pub security_label: Option<String>,
}

/// One intake source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookSource {
    /// Unique name; the incidents' reporter is `alert:<name>`.
    pub name: String,
    /// Which endpoint it posts to.
    pub kind: HookKind,
    /// Its bearer token (never printed).
    pub token: Secret,
    /// The agreement its incidents are opened under.
    pub agreement: String,
    /// The affected service its incidents name.
    pub service: Option<String>,
    /// Whether a resolved notification resolves the incident.
    pub resolve: bool,
    /// Labels → facts.
    pub facts: FactMapping,
}

/// The `[hooks]` section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HooksConfig {
    /// The sources, in file order.
    pub sources: Vec<HookSource>,
}

/// Reads the section; tokens named by `token_env` come from `env`.
pub(super) fn section(raw: &RawHooks, env: &dyn Fn(&str) -> Option<String>) -> Result<HooksConfig, String> {
    let mut sources: Vec<HookSource> = Vec::new();
    for s in &raw.sources {
        let at = format!("[[hooks.sources]] \"{}\"", s.name);
        super::check_name(&at, &s.name, sources.iter().any(|o| o.name == s.name))?;
        let token = super::secret_from(&at, "token", s.token.as_ref(), s.token_env.as_ref(), env)?;
        sources.push(HookSource {
            name: s.name.clone(),
            kind: s.kind,
            token,
            agreement: s.agreement.clone(),
            service: s.service.clone().filter(|v| !v.trim().is_empty()),
            resolve: s.resolve,
            facts: FactMapping {
                impact_label: s.impact_label.clone(),
                impacts: s.impacts.clone(),
                default_impact: s.default_impact.clone(),
                users_label: s.users_label.clone(),
                security_label: s.security_label.clone(),
            },
        });
    }
    Ok(HooksConfig { sources })
}

/// Checks each source's agreement and impact ids against the loaded agreements.
pub(super) fn check(hooks: &HooksConfig, catalog: &Catalog) -> Result<(), String> {
    for s in &hooks.sources {
        let at = format!("[[hooks.sources]] \"{}\"", s.name);
        let Some(a) = catalog.get(&s.agreement) else {
            return Err(format!(
                "{at}: no such agreement \"{}\" (known: {})",
                s.agreement,
                catalog.ids()
            ));
        };
        let named = s.facts.impacts.values().chain(&s.facts.default_impact);
        for impact in named {
            if a.impact(impact).is_none() {
                let known: Vec<&str> = a.impacts.iter().map(|i| i.id.as_str()).collect();
                return Err(format!(
                    "{at}: \"{impact}\" is not an impact of {} (known: {})",
                    a.id,
                    known.join(", ")
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::config::load_text as load;

    const SOURCE: &str = "[[hooks.sources]]\nname = \"prom\"\nkind = \"alertmanager\"\nagreement = \"borger-dk\"\n";

    #[test]
    fn a_source_reads_its_token_from_the_file_or_the_environment_and_never_shows_it() {
        let env = |k: &str| (k == "PROM_TOKEN").then(|| "from-the-environment-0123".to_string());
        let c = load(
            &format!("{SOURCE}token_env = \"PROM_TOKEN\"\nimpacts = {{ critical = \"unavailable\" }}\n"),
            &env,
        )
        .expect("loads");
        let s = &c.hooks.sources[0];
        assert_eq!(s.token.expose(), "from-the-environment-0123");
        assert!(
            !format!("{c:?}").contains("from-the-environment"),
            "the token is not in Debug"
        );
        let c = load(&format!("{SOURCE}token = \"in-the-file-0123456789\"\n"), &|_| None).expect("loads");
        assert_eq!(c.hooks.sources[0].token.expose(), "in-the-file-0123456789");
    }

    #[test]
    fn bad_sources_are_errors_naming_the_source() {
        let token = "token = \"0123456789abcdef\"\n";
        for (text, want) in [
            (SOURCE.to_string(), "exactly one of token and token_env"),
            (format!("{SOURCE}token = \"short\"\n"), "at least 16 characters"),
            (format!("{SOURCE}token_env = \"UNSET\"\n"), "UNSET, which is not set"),
            (format!("{SOURCE}{token}{SOURCE}{token}"), "used twice"),
            (
                SOURCE.replace("borger-dk", "nope") + token,
                "no such agreement \"nope\"",
            ),
            (
                format!("{SOURCE}{token}default_impact = \"huge\"\n"),
                "\"huge\" is not an impact",
            ),
            (SOURCE.replace("\"prom\"", "\"a b\"") + token, "a name is letters"),
            (SOURCE.replace("alertmanager", "nagios") + token, "unknown variant"),
        ] {
            let e = load(&text, &|_| None).expect_err(&text);
            assert!(e.contains(want), "{text}: {e}");
        }
    }
}
