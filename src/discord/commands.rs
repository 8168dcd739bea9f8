//! Application commands generated from [`crate::commands::defs`]: one top-level slash
//! command per group (`/incident`, `/sla`) with the group's commands as subcommands, each
//! option with its kind, limits, choices and autocomplete, names and descriptions localised
//! from [`super::locale`]; and their registration (bulk overwrite, in a guild or globally).
//!
//! Two options differ from the definitions on purpose, because the dispatcher fills them:
//! the incident id is never required (inside an incident's thread it is implied), and the
//! agreement is not required when only one agreement is loaded (it is the default). The
//! command layer still validates both on submit.

use super::locale;
use crate::commands::defs::{self, CommandDef, OptionDef, OptionKind};
use serenity::all::{CommandOptionType, CreateCommand, CreateCommandOption, GuildId, Http, InteractionContext};

/// Whether Discord offers autocompletion for an option of this kind.
pub fn autocompletes(kind: &OptionKind) -> bool {
    matches!(
        kind,
        OptionKind::Agreement
            | OptionKind::Impact
            | OptionKind::IncidentId
            | OptionKind::Priority
            | OptionKind::Service
            | OptionKind::CaseType
            | OptionKind::CaseClass
    )
}

/// Whether Discord requires the option: as defined, except the incident id (implied in an
/// incident's thread) and the agreement when there is only one.
pub fn registered_required(o: &OptionDef, single_agreement: bool) -> bool {
    match o.kind {
        OptionKind::IncidentId => false,
        OptionKind::Agreement => o.required && !single_agreement,
        _ => o.required,
    }
}

fn option(o: &OptionDef, single_agreement: bool) -> CreateCommandOption {
    let kind = match o.kind {
        OptionKind::Bool => CommandOptionType::Boolean,
        OptionKind::Percent => CommandOptionType::Number,
        OptionKind::Member => CommandOptionType::User,
        _ => CommandOptionType::String,
    };
    let mut b = CreateCommandOption::new(kind, o.name, o.help).required(registered_required(o, single_agreement));
    if let Some(t) = locale::name(o.name) {
        for (l, n) in t {
            b = b.name_localized(l, n);
        }
    }
    if let Some(t) = locale::description(o.help) {
        for (l, d) in t {
            b = b.description_localized(l, d);
        }
    }
    match o.kind {
        OptionKind::Percent => b = b.min_number_value(0.0).max_number_value(100.0),
        OptionKind::Choice(choices) => {
            for c in choices {
                b = b.add_string_choice(*c, *c);
            }
        }
        OptionKind::Bool | OptionKind::Member => {}
        _ => {
            if let Some(max) = o.kind.max_chars() {
                b = b.max_length(u16::try_from(max).unwrap_or(u16::MAX));
            }
            if autocompletes(&o.kind) {
                b = b.set_autocomplete(true);
            }
        }
    }
    b
}

fn subcommand(c: &CommandDef, single_agreement: bool) -> CreateCommandOption {
    let mut b = CreateCommandOption::new(CommandOptionType::SubCommand, c.name, c.help);
    if let Some(t) = locale::name(c.name) {
        for (l, n) in t {
            b = b.name_localized(l, n);
        }
    }
    if let Some(t) = locale::description(c.help) {
        for (l, d) in t {
            b = b.description_localized(l, d);
        }
    }
    // Discord wants required options first; keep the definitions' order otherwise.
    let (req, opt): (Vec<&OptionDef>, Vec<&OptionDef>) =
        c.options.iter().partition(|o| registered_required(o, single_agreement));
    for o in req.into_iter().chain(opt) {
        b = b.add_sub_option(option(o, single_agreement));
    }
    b
}

/// The application commands for the command layer: one per group, guild-only.
/// `single_agreement` says whether exactly one agreement is loaded (then `agreement:` is
/// optional).
pub fn application_commands(single_agreement: bool) -> Vec<CreateCommand> {
    defs::groups()
        .iter()
        .map(|g| {
            let mut b = CreateCommand::new(g.name)
                .description(g.help)
                .contexts(vec![InteractionContext::Guild]);
            if let Some(t) = locale::name(g.name) {
                for (l, n) in t {
                    b = b.name_localized(l, n);
                }
            }
            if let Some(t) = locale::description(g.help) {
                for (l, d) in t {
                    b = b.description_localized(l, d);
                }
            }
            for c in defs::all().iter().filter(|c| c.group == g.name) {
                b = b.add_option(subcommand(c, single_agreement));
            }
            b
        })
        .collect()
}

/// Where commands are registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In one guild (instant; done at every start).
    Guild(u64),
    /// Globally (`vakt discord register --global`; Discord may take a while to show them).
    Global,
}

/// Replaces the registered commands in `scope` with [`application_commands`] (Discord's bulk
/// overwrite: commands no longer defined disappear). Returns how many were registered.
pub async fn register(http: &Http, scope: Scope, single_agreement: bool) -> serenity::Result<usize> {
    let cmds = application_commands(single_agreement);
    let n = match scope {
        Scope::Guild(g) => GuildId::new(g).set_commands(http, cmds).await?.len(),
        Scope::Global => serenity::all::Command::set_global_commands(http, cmds).await?.len(),
    };
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn json(single: bool) -> Vec<Value> {
        application_commands(single)
            .iter()
            .map(|c| serde_json::to_value(c).expect("serialise"))
            .collect()
    }

    /// Checks one command or option object (and its children) against Discord's rules.
    fn check(v: &Value, at: &str, problems: &mut Vec<String>) {
        let name = v["name"].as_str().unwrap_or_default();
        let at = format!("{at} {name}");
        if !locale::valid_name(name) {
            problems.push(format!("{at}: bad name"));
        }
        if !locale::valid_description(v["description"].as_str().unwrap_or_default()) {
            problems.push(format!("{at}: bad description"));
        }
        for (field, valid) in [
            ("name_localizations", locale::valid_name as fn(&str) -> bool),
            ("description_localizations", locale::valid_description),
        ] {
            for l in locale::LOCALES {
                match v[field][l].as_str() {
                    Some(s) if valid(s) => {}
                    Some(s) => problems.push(format!("{at}: {field}.{l} \"{s}\" breaks Discord's rules")),
                    None => problems.push(format!("{at}: {field}.{l} missing")),
                }
            }
        }
        if let Some(opts) = v["options"].as_array() {
            if opts.len() > 25 {
                problems.push(format!("{at}: more than 25 options"));
            }
            let mut optional_seen = false;
            for o in opts {
                let required = o["required"].as_bool().unwrap_or(false);
                if o["type"] != 1 && required && optional_seen {
                    problems.push(format!("{at}: required option after an optional one"));
                }
                optional_seen |= !required;
                if o["autocomplete"] == true
                    && o.get("choices")
                        .is_some_and(|c| c.as_array().is_some_and(|c| !c.is_empty()))
                {
                    problems.push(format!("{at}: autocomplete with choices"));
                }
                check(o, &at, problems);
            }
        }
    }

    #[test]
    fn every_command_follows_discords_rules_in_every_locale() {
        for single in [true, false] {
            let mut problems = Vec::new();
            for c in json(single) {
                check(&c, "", &mut problems);
            }
            assert!(problems.is_empty(), "{}", problems.join("\n"));
        }
    }

    #[test]
    fn one_command_per_group_with_every_definition_as_a_subcommand() {
        let cmds = json(false);
        assert_eq!(cmds.len(), defs::groups().len());
        for c in defs::all() {
            let group = cmds.iter().find(|g| g["name"] == c.group).expect("group registered");
            let sub = group["options"]
                .as_array()
                .and_then(|s| s.iter().find(|s| s["name"] == c.name))
                .unwrap_or_else(|| panic!("{} not registered", c.path()));
            assert_eq!(sub["type"], 1);
            for o in c.options {
                let reg = sub["options"]
                    .as_array()
                    .and_then(|s| s.iter().find(|s| s["name"] == o.name))
                    .unwrap_or_else(|| panic!("{} {}: not registered", c.path(), o.name));
                let want_type = match o.kind {
                    OptionKind::Bool => 5,
                    OptionKind::Percent => 10,
                    OptionKind::Member => 6,
                    _ => 3,
                };
                assert_eq!(reg["type"], want_type, "{} {}", c.path(), o.name);
                if let Some(max) = o.kind.max_chars()
                    && want_type == 3
                    && !matches!(o.kind, OptionKind::Choice(_))
                {
                    assert_eq!(reg["max_length"], max, "{} {}", c.path(), o.name);
                }
                assert_eq!(
                    reg["autocomplete"] == true,
                    autocompletes(&o.kind),
                    "{} {}",
                    c.path(),
                    o.name
                );
                if let OptionKind::Choice(choices) = o.kind {
                    let got: Vec<&str> = reg["choices"]
                        .as_array()
                        .map(|a| a.iter().filter_map(|c| c["value"].as_str()).collect())
                        .unwrap_or_default();
                    assert_eq!(got, choices);
                }
            }
        }
    }

    #[test]
    fn the_incident_id_is_never_required_and_the_agreement_only_with_several() {
        let find = |cmds: &[Value], group: &str, sub: &str, opt: &str| -> Value {
            cmds.iter()
                .find(|g| g["name"] == group)
                .and_then(|g| g["options"].as_array()?.iter().find(|s| s["name"] == sub).cloned())
                .and_then(|s| s["options"].as_array()?.iter().find(|o| o["name"] == opt).cloned())
                .expect("option")
        };
        let several = json(false);
        let one = json(true);
        assert_eq!(find(&several, "incident", "ack", "id")["required"], false);
        assert_eq!(find(&several, "incident", "open", "agreement")["required"], true);
        assert_eq!(find(&one, "incident", "open", "agreement")["required"], false);
        assert_eq!(find(&several, "incident", "open", "title")["required"], true);
        assert_eq!(find(&several, "incident", "reopen", "reason")["required"], true);
    }
}
