use super::defs::{ID_MAX_CHARS, LIST_SCOPES, LONG_TEXT_MAX_CHARS, TITLE_MAX_CHARS};
use super::*;
use crate::domain::classify::{Fact, Facts, FactsChange};
use crate::domain::ids::{AgreementId, IncidentId, PriorityId};
use crate::domain::incident::Resolution;
use chrono::{TimeZone, Utc};
use chrono_tz::Tz;

const TZ: Tz = chrono_tz::Europe::Oslo;

/// A command-layer console line (panics on a console-only line).
fn line(s: &str) -> Result<Command, CommandError> {
    parse_console_line(s, TZ).map(|c| c.expect("a command-layer line"))
}

fn ok(s: &str) -> Command {
    line(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn err(s: &str) -> CommandError {
    match line(s) {
        Ok(c) => panic!("{s}: parsed as {c:?}"),
        Err(e) => e,
    }
}

fn id(s: &str) -> IncidentId {
    IncidentId::parse(s).expect("id")
}

fn facts(impact: &str) -> Facts {
    Facts {
        impact: impact.into(),
        ..Facts::default()
    }
}

fn discord_name(s: &str) -> bool {
    (1..=32).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

fn discord_description(s: &str) -> bool {
    (1..=100).contains(&s.chars().count()) && s.trim() == s
}

// ---------------------------------------------------------------------------------------------
// Definitions

#[test]
fn every_definition_is_valid_for_discord() {
    assert!(!groups().is_empty());
    for g in groups() {
        assert!(discord_name(g.name), "group name {:?}", g.name);
        assert!(discord_description(g.help), "group {} help: {:?}", g.name, g.help);
        let n = all().iter().filter(|c| c.group == g.name).count();
        assert!((1..=25).contains(&n), "group {} has {n} commands", g.name);
    }
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for c in all() {
        let path = c.path();
        assert!(is_group(c.group), "{path}: group not in groups()");
        assert!(discord_name(c.name), "{path}: name");
        assert!(discord_description(c.help), "{path}: help {:?}", c.help);
        for n in std::iter::once(c.name).chain(c.aliases.iter().copied()) {
            assert!(discord_name(n), "{path}: alias {n:?}");
            assert!(!seen.contains(&(c.group, n)), "{path}: name {n} used twice");
            seen.push((c.group, n));
        }
        assert!(c.options.len() <= 25, "{path}: more than 25 options");
        let mut required_done = false;
        for (i, o) in c.options.iter().enumerate() {
            assert!(discord_name(o.name), "{path}: option name {:?}", o.name);
            assert!(discord_description(o.help), "{path} {}: help {:?}", o.name, o.help);
            assert!(
                !c.options[..i].iter().any(|p| p.name == o.name),
                "{path}: option {} twice",
                o.name
            );
            // Discord rejects a required option after an optional one.
            assert!(
                !(required_done && o.required),
                "{path}: required {} after optional",
                o.name
            );
            required_done |= !o.required;
            if let Some(max) = o.kind.max_chars() {
                assert!((1..=6000).contains(&max), "{path} {}: max_length {max}", o.name);
            }
            if let OptionKind::Choice(choices) = o.kind {
                assert!((1..=25).contains(&choices.len()), "{path} {}: choices", o.name);
                for ch in choices {
                    assert!(
                        (1..=100).contains(&ch.chars().count()),
                        "{path} {}: choice {ch:?}",
                        o.name
                    );
                }
            }
        }
        if let Some(p) = c.positional {
            assert!(c.option(p).is_some(), "{path}: positional {p} is not an option");
        }
    }
}

#[test]
fn find_knows_names_and_aliases() {
    assert_eq!(find("incident", "ack").map(|c| c.name), Some("ack"));
    assert_eq!(find("incident", "acknowledge").map(|c| c.name), Some("ack"));
    assert_eq!(find("sla", "explain").map(|c| c.kind), Some(CommandKind::Explain));
    assert_eq!(find("sla", "preview").map(|c| c.kind), Some(CommandKind::Preview));
    assert!(find("incident", "explain").is_none());
    assert!(find("clock", "now").is_none());
    assert!(is_group("incident") && is_group("sla") && !is_group("clock"));
    assert_eq!(find("incident", "close").map(|c| c.manager_only), Some(true));
    assert_eq!(find("incident", "override").map(|c| c.manager_only), Some(true));
    assert_eq!(find("incident", "resolve").map(|c| c.manager_only), Some(false));
}

#[test]
fn sla_preview_shares_incident_preview_options() {
    let a = find("incident", "preview").expect("def");
    let b = find("sla", "preview").expect("def");
    assert_eq!(a.options, b.options);
    assert_eq!(a.help, b.help);
}

#[test]
fn list_scopes_match_the_choice_list() {
    for s in LIST_SCOPES {
        assert_eq!(ListScope::from_choice(s).map(ListScope::as_str), Some(*s));
    }
    assert_eq!(ListScope::from_choice("recent"), None);
    assert_eq!(
        find("incident", "list").and_then(|c| c.option("scope")).map(|o| o.kind),
        Some(OptionKind::Choice(LIST_SCOPES))
    );
}

#[test]
fn usage_is_generated_from_the_definition() {
    let u = |g, n| find(g, n).expect("def").usage();
    assert_eq!(u("incident", "ack"), "/incident ack ID");
    assert_eq!(u("incident", "reopen"), "/incident reopen ID reason:\"…\"");
    assert_eq!(
        u("incident", "open"),
        "/incident open agreement:ID title:\"…\" [impact:X] [users:PCT] [security:true] [workaround:true] \
         [service:SERVICE] [description:\"…\"] [type:TYPE] [class:CLASS]"
    );
    assert_eq!(
        u("incident", "list"),
        "/incident list [agreement:ID] [scope:active|breaching|breached-this-week|all] [page:N] [type:TYPE]"
    );
    assert_eq!(
        u("incident", "override"),
        "/incident override ID priority:P reason:\"…\""
    );
    assert_eq!(
        u("incident", "preview"),
        "/incident preview agreement:ID impact:X [users:PCT] [security:true] [workaround:true] [at:TIME]"
    );
    assert_eq!(u("sla", "explain"), "/sla explain agreement:ID [priority:P]");
}

#[test]
fn help_text_lists_every_command() {
    let h = help_text();
    for c in all() {
        assert!(h.contains(&format!("  {}\n", c.usage())), "help lacks {}", c.usage());
        assert!(h.contains(c.help), "help lacks the help of {}", c.path());
    }
    assert!(h.contains("also /incident acknowledge"));
    let close = h
        .lines()
        .skip_while(|l| !l.contains("/incident close"))
        .nth(1)
        .expect("close help");
    assert!(close.contains("(managers)"), "{close}");
    assert!(
        !h.contains("/clock") && !h.contains("/as "),
        "console-only lines stay in the console"
    );
}

// ---------------------------------------------------------------------------------------------
// Every definition parses

/// A valid raw value for an option of `kind`.
fn sample(kind: OptionKind) -> RawValue {
    match kind {
        OptionKind::Text { .. } => RawValue::Text("some text".into()),
        OptionKind::Bool => RawValue::Bool(true),
        OptionKind::Percent => RawValue::Number(12.5),
        OptionKind::Choice(c) => RawValue::Text(c[c.len() - 1].into()),
        OptionKind::IncidentId => RawValue::Text("ssb-2026-0001".into()),
        OptionKind::Agreement => RawValue::Text("ssbtek".into()),
        OptionKind::Impact => RawValue::Text("1".into()),
        OptionKind::Priority => RawValue::Text("2".into()),
        OptionKind::CaseType => RawValue::Text("problem".into()),
        OptionKind::CaseClass => RawValue::Text("2".into()),
        OptionKind::Service => RawValue::Text("ssbtek".into()),
        OptionKind::Instant => RawValue::Text("2026-11-20T08:00+01:00".into()),
        OptionKind::Count => RawValue::Text("12".into()),
        OptionKind::Period => RawValue::Text("2026-W47".into()),
        OptionKind::Member => RawValue::Text("rita".into()),
        OptionKind::Duration => RawValue::Text("2h".into()),
    }
}

#[test]
fn every_definition_parses_with_all_or_only_required_options() {
    for c in all() {
        let mut full = Invocation::new(c.group, c.name);
        let mut minimal = Invocation::new(c.group, c.name);
        for o in c.options {
            full = full.with(o.name, sample(o.kind));
            if o.required {
                minimal = minimal.with(o.name, sample(o.kind));
            }
        }
        let cmd = parse(&full, TZ).unwrap_or_else(|e| panic!("{}: {e}", c.path()));
        assert_eq!(cmd.kind(), c.kind, "{}", c.path());
        assert_eq!(cmd.incident().is_some(), c.option("id").is_some(), "{}", c.path());
        // A reclassification names at least one fact (which one is the person's choice).
        if c.kind == CommandKind::Reclassify {
            assert!(matches!(parse(&minimal, TZ), Err(CommandError::NoFact { .. })));
            minimal = minimal.with("clear", RawValue::Text("users".into()));
        }
        // An incident (no type named) needs its impact; another case type does not.
        if c.kind == CommandKind::Open {
            assert!(matches!(parse(&minimal, TZ), Err(CommandError::Missing { option, .. }) if option == "impact"));
            let case = minimal.clone().with("type", RawValue::Text("problem".into()));
            assert!(
                matches!(parse(&case, TZ), Ok(Command::Open { ref case_type, .. }) if case_type.as_deref() == Some("problem"))
            );
            minimal = minimal.with("impact", RawValue::Text("1".into()));
        }
        let cmd = parse(&minimal, TZ).unwrap_or_else(|e| panic!("{} (required only): {e}", c.path()));
        assert_eq!(cmd.kind(), c.kind);
        // Each required option, left out, is reported by name.
        for o in c.options.iter().filter(|o| o.required) {
            let mut inv = minimal.clone();
            inv.options.retain(|(n, _)| n != o.name);
            match parse(&inv, TZ) {
                Err(CommandError::Missing { option, usage }) => {
                    assert_eq!(option, o.name);
                    assert_eq!(usage, c.usage());
                }
                other => panic!("{} without {}: {other:?}", c.path(), o.name),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Commands from console lines (as in tests/console/*.script)

#[test]
fn parses_open() {
    assert_eq!(
        ok(
            r#"/incident open agreement:altinn impact:unavailable title:"Altinn portal down" description:"Login page returns 503""#
        ),
        Command::Open {
            agreement: AgreementId::new("altinn"),
            title: "Altinn portal down".into(),
            description: "Login page returns 503".into(),
            facts: facts("unavailable"),
            service: None,
            case_type: None,
            class: None,
        }
    );
    assert_eq!(
        ok(r#"/incident open agreement:borger-dk impact:users users:25 title:"Login via MitID fails""#),
        Command::Open {
            agreement: AgreementId::new("borger-dk"),
            title: "Login via MitID fails".into(),
            description: String::new(),
            facts: Facts {
                users_affected: Some(25.0),
                ..facts("users")
            },
            service: None,
            case_type: None,
            class: None,
        }
    );
    let Command::Open { service, facts, .. } = ok(
        r#"/incident open agreement:ssbtek impact:1 title:"SHS down: no calls answered" service:" SHS gateway " security:true workaround:false"#,
    ) else {
        panic!("not open")
    };
    assert_eq!(service.as_deref(), Some("SHS gateway"));
    assert!(facts.security && !facts.workaround);
}

#[test]
fn parses_preview_with_local_and_offset_times() {
    assert_eq!(
        ok("/incident preview agreement:altinn impact:degraded at:2026-11-18T13:00"),
        Command::Preview {
            agreement: AgreementId::new("altinn"),
            facts: facts("degraded"),
            at: Some(Utc.with_ymd_and_hms(2026, 11, 18, 12, 0, 0).unwrap()),
        }
    );
    assert_eq!(
        ok("/incident preview agreement:borger-dk impact:users users:10% workaround:true"),
        Command::Preview {
            agreement: AgreementId::new("borger-dk"),
            facts: Facts {
                users_affected: Some(10.0),
                workaround: true,
                ..facts("users")
            },
            at: None,
        }
    );
    let Command::Preview { at, facts, .. } =
        ok("/sla preview agreement:ssbtek impact:1 security:true at:2026-11-21T10:00+01:00")
    else {
        panic!("not preview")
    };
    assert_eq!(at, Some(Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap()));
    assert!(facts.security);
}

#[test]
fn preview_reads_local_times_in_the_agreements_zone() {
    let tokens = tokenize("/incident preview agreement:ssbtek impact:1 at:2026-06-10T12:00").expect("tokens");
    let inv = Invocation::from_console_tokens(&tokens).expect("inv").expect("command");
    let zone = |a: &AgreementId| (a == "ssbtek").then_some(chrono_tz::Asia::Tokyo);
    let Command::Preview { at, .. } = parse_zoned(&inv, TZ, &zone).expect("parse") else {
        panic!("not preview")
    };
    assert_eq!(at, Some(Utc.with_ymd_and_hms(2026, 6, 10, 3, 0, 0).unwrap()));
    let Command::Preview { at, .. } = parse(&inv, TZ).expect("parse") else {
        panic!("not preview")
    };
    assert_eq!(at, Some(Utc.with_ymd_and_hms(2026, 6, 10, 10, 0, 0).unwrap()));
}

#[test]
fn parses_the_incident_commands() {
    let ssb = || id("SSB-2026-0001");
    assert_eq!(ok("/incident ack SSB-2026-0001"), Command::Ack { id: ssb() });
    assert_eq!(ok("/incident acknowledge ssb-2026-0001"), Command::Ack { id: ssb() });
    assert_eq!(ok("/incident ack id:SSB-2026-0001"), Command::Ack { id: ssb() });
    assert_eq!(
        ok(r#"/incident update SSB-2026-0001 note:"Certificate on the SHS gateway expired; renewing""#),
        Command::Update {
            id: ssb(),
            note: "Certificate on the SHS gateway expired; renewing".into(),
            fields: Default::default(),
        }
    );
    assert_eq!(
        ok(r#"/incident resolve SSB-2026-0001 workaround:true note:"Calls routed via the backup gateway""#),
        Command::Resolve {
            id: ssb(),
            how: Resolution::Workaround,
            note: Some("Calls routed via the backup gateway".into())
        }
    );
    assert_eq!(
        ok("/incident resolve ALT-2026-0002"),
        Command::Resolve {
            id: id("ALT-2026-0002"),
            how: Resolution::Fix,
            note: None
        }
    );
    assert_eq!(
        ok(r#"/incident reopen SSB-2026-0001 reason:"Backup gateway drops batch calls""#),
        Command::Reopen {
            id: ssb(),
            reason: "Backup gateway drops batch calls".into()
        }
    );
    assert_eq!(ok("/incident close SSB-2026-0001"), Command::Close { id: ssb() });
    assert_eq!(
        ok(r#"/incident escalate DIFI-2026-0001 reason:"Alert point has not answered""#),
        Command::Escalate {
            id: id("DIFI-2026-0001"),
            reason: "Alert point has not answered".into()
        }
    );
    assert_eq!(
        ok("/incident reclassify BDK-2026-0001 impact:users users:40"),
        Command::Reclassify {
            id: id("BDK-2026-0001"),
            change: FactsChange {
                impact: Some("users".into()),
                users_affected: Some(40.0),
                ..FactsChange::default()
            },
            reason: None,
        }
    );
    // Facts left out are not named (they keep their value); a fact is cleared by name.
    assert_eq!(
        ok(r#"/incident reclassify BDK-2026-0001 security:false clear:users reason:"Not a breach after all""#),
        Command::Reclassify {
            id: id("BDK-2026-0001"),
            change: FactsChange {
                security: Some(false),
                clear: vec![Fact::Users],
                ..FactsChange::default()
            },
            reason: Some("Not a breach after all".into()),
        }
    );
    assert_eq!(
        ok(r#"/incident override SSB-2026-0001 priority:2 reason:"Only one municipality affected""#),
        Command::Override {
            id: ssb(),
            priority: PriorityId::new("2"),
            reason: "Only one municipality affected".into()
        }
    );
    assert_eq!(ok("/incident show NOPE-1"), Command::Show { id: id("NOPE-1") });
    assert_eq!(ok("/incident timeline SSB-2026-0001"), Command::Timeline { id: ssb() });
}

#[test]
fn parses_list_and_explain() {
    assert_eq!(
        ok("/incident list"),
        Command::List {
            agreement: None,
            scope: ListScope::Active,
            page: 1,
            case_type: None
        }
    );
    assert_eq!(
        ok("/incident list agreement:altinn scope:all page:3"),
        Command::List {
            agreement: Some(AgreementId::new("altinn")),
            scope: ListScope::All,
            page: 3,
            case_type: None
        }
    );
    assert_eq!(
        ok("/incident list scope:breached-this-week"),
        Command::List {
            agreement: None,
            scope: ListScope::BreachedThisWeek,
            page: 1,
            case_type: None
        }
    );
    assert_eq!(
        ok("/sla explain agreement:difi priority:A"),
        Command::Explain {
            agreement: AgreementId::new("difi"),
            priority: Some(PriorityId::new("A"))
        }
    );
    assert_eq!(
        ok("/sla explain agreement:difi"),
        Command::Explain {
            agreement: AgreementId::new("difi"),
            priority: None
        }
    );
}

#[test]
fn console_only_lines_are_not_commands() {
    for l in [
        "",
        "   ",
        "# a comment",
        "/clock advance 2h",
        "/clock set 2026-11-20T08:00+01:00",
        "/as alice roles:responder",
        "/help",
        "/quit",
        "/agreements",
        "/frobnicate",
        "incident ack SSB-2026-0001",
    ] {
        assert_eq!(parse_console_line(l, TZ), Ok(None), "{l:?}");
    }
}

/// Every `/incident` line of the console scripts: the ones the old console rejected before
/// calling the service are rejected here with the same complaint, all others parse.
#[test]
fn the_console_scripts_parse() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/console");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/console") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "script") {
            continue;
        }
        for l in std::fs::read_to_string(&path).expect("script").lines() {
            let l = l.trim();
            if !l.starts_with("/incident") {
                continue;
            }
            n += 1;
            let opt = |e: &CommandError| match e {
                CommandError::Missing { option, .. }
                | CommandError::Empty { option, .. }
                | CommandError::UnknownOption { option, .. }
                | CommandError::Duplicate { option }
                | CommandError::NotAChoice { option, .. }
                | CommandError::NotAPercent { option, .. }
                | CommandError::WrongType { option, .. } => option.clone(),
                CommandError::Unexpected { word, .. } => word.clone(),
                CommandError::NoFact { .. } => "(no fact)".into(),
                other => panic!("{l}: {other:?}"),
            };
            let expected = match l {
                "/incident ack INE-2026-0001 extra" => Some("extra"),
                "/incident escalate DIFI-2026-0001" | "/incident reopen BDK-2026-0001" => Some("reason"),
                "/incident list scope:recent" => Some("scope"),
                "/incident open agreement:difi title:\"No impact given\"" => Some("impact"),
                "/incident open agreement:inera impact:unusable title:\"   \""
                | "/incident open agreement:ssbtek impact:1" => Some("title"),
                "/incident open agreement:ssbtek impact:1 title:\"SHS down\" severity:high" => Some("severity"),
                "/incident preview agreement:altinn impact:degraded security:maybe"
                | "/incident preview agreement:altinn impact:degraded security:yes" => Some("security"),
                "/incident reopen INE-2026-0001 reason:\"   \"" => Some("reason"),
                "/incident reclassify BDK-2026-0001" => Some("(no fact)"),
                l if l.contains("users:lots") || l.contains("users:30") => Some("users"),
                _ => None,
            };
            match (line(l), expected) {
                (Ok(_), None) => {}
                (Err(e), Some(o)) => assert_eq!(opt(&e), o, "{l}: {e}"),
                (r, _) => panic!("{}: {l}: {r:?}", path.display()),
            }
        }
    }
    assert!(n > 50, "only {n} script lines");
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

#[test]
fn tokenizes_quotes_escapes_and_options() {
    assert_eq!(
        tokenize(r#"/incident open agreement:ssbtek title:"SHS down now" x"#).expect("tokens"),
        vec![
            Token::Word("/incident".into()),
            Token::Word("open".into()),
            Token::Opt {
                key: "agreement".into(),
                value: "ssbtek".into()
            },
            Token::Opt {
                key: "title".into(),
                value: "SHS down now".into()
            },
            Token::Word("x".into()),
        ]
    );
    let one = |s: &str| {
        let t = tokenize(s).expect("tokens");
        assert_eq!(t.len(), 1, "{s}: {t:?}");
        t.into_iter().next().expect("token")
    };
    assert_eq!(
        one(r#"title:"He said \"down\" \\ now""#),
        Token::Opt {
            key: "title".into(),
            value: r#"He said "down" \ now"#.into()
        }
    );
    // Other backslashes are kept; outside quotes a backslash is an ordinary character.
    assert_eq!(one(r#"note:"C:\temp\n""#).text(), r"note:C:\temp\n");
    assert_eq!(one(r"a\b"), Token::Word(r"a\b".into()));
    // A colon inside quotes, or after a quote, does not make an option.
    assert_eq!(one(r#""a:b""#), Token::Word("a:b".into()));
    assert_eq!(
        one("note:a:b"),
        Token::Opt {
            key: "note".into(),
            value: "a:b".into()
        }
    );
    assert_eq!(
        one(r#"title:"""#),
        Token::Opt {
            key: "title".into(),
            value: String::new()
        }
    );
    assert_eq!(one(r#""""#), Token::Word(String::new()));
    // A key is [A-Za-z0-9_-]+; anything else before the colon is a bare word.
    assert_eq!(one("a.b:c"), Token::Word("a.b:c".into()));
    assert_eq!(one(":c"), Token::Word(":c".into()));
    // The console's own raw words keep their text.
    assert_eq!(one("2026-11-20T08:00+01:00").text(), "2026-11-20T08:00+01:00");
    assert_eq!(tokenize(r#"title:"open"#), Err(CommandError::UnclosedQuote));
    assert_eq!(tokenize(r#"title:"open\""#), Err(CommandError::UnclosedQuote));
    assert_eq!(tokenize("  \t ").expect("tokens"), vec![]);
    // Single quotes open a word or a value, literally; an apostrophe inside a word is text.
    assert_eq!(
        one("title:'SHS \"down\" now'"),
        Token::Opt {
            key: "title".into(),
            value: "SHS \"down\" now".into()
        }
    );
    assert_eq!(one("'a b'"), Token::Word("a b".into()));
    assert_eq!(
        one("note:Kari's"),
        Token::Opt {
            key: "note".into(),
            value: "Kari's".into()
        }
    );
    assert_eq!(tokenize("title:'open"), Err(CommandError::UnclosedQuote));
}

#[test]
fn times_booleans_and_quotes_share_the_cli_grammar() {
    // A bare date is local midnight, as on the command line.
    let Command::Preview { at, .. } = ok("/incident preview agreement:altinn impact:degraded at:2026-12-18") else {
        panic!("not preview")
    };
    assert_eq!(at, Some(Utc.with_ymd_and_hms(2026, 12, 17, 23, 0, 0).unwrap()));
    // Booleans are exactly true or false, as the error says.
    for word in ["yes", "no", "1", "0", "TRUE"] {
        let e = err(&format!(
            "/incident preview agreement:altinn impact:degraded security:{word}"
        ));
        assert!(e.to_string().contains("true or false"), "{word}: {e}");
    }
    let Command::Open { title, .. } = ok("/incident open agreement:altinn impact:degraded title:'Login down'") else {
        panic!("not open")
    };
    assert_eq!(title, "Login down");
}

#[test]
fn escaped_quotes_reach_the_command() {
    let Command::Update { note, .. } = ok(r#"/incident update SSB-2026-0001 note:"the \"SHS\" gateway \\ A""#) else {
        panic!("not update")
    };
    assert_eq!(note, r#"the "SHS" gateway \ A"#);
}

// ---------------------------------------------------------------------------------------------
// Errors

#[test]
fn unknown_command_and_missing_command() {
    assert!(matches!(
        err("/incident frobnicate SSB-2026-0001"),
        CommandError::UnknownCommand { group, name } if group == "incident" && name == "frobnicate"
    ));
    assert!(matches!(
        err("/incident"),
        CommandError::MissingCommand { group, commands } if group == "incident" && commands.starts_with("open|preview|ack")
    ));
    assert!(matches!(err("/sla id:x"), CommandError::MissingCommand { .. }));
    assert!(matches!(
        parse(&Invocation::new("clock", "now"), TZ),
        Err(CommandError::UnknownCommand { .. })
    ));
    assert_eq!(err(r#"/incident open title:"x"#), CommandError::UnclosedQuote);
}

#[test]
fn unknown_and_duplicate_options() {
    assert!(matches!(
        err("/incident ack SSB-2026-0001 foo:1"),
        CommandError::UnknownOption { option, command } if option == "foo" && command == "/incident ack"
    ));
    assert!(matches!(
        err("/incident open agreement:borger-dk impact:users users:25 title:\"x\" users:30"),
        CommandError::Duplicate { option } if option == "users"
    ));
    // The bare id and id: are the same option.
    assert!(matches!(
        err("/incident ack SSB-2026-0001 id:SSB-2026-0002"),
        CommandError::Duplicate { option } if option == "id"
    ));
    // Options are case-sensitive, as on Discord.
    assert!(matches!(
        err("/incident ack SSB-2026-0001 Id:x"),
        CommandError::UnknownOption { option, .. } if option == "Id"
    ));
}

#[test]
fn missing_options_and_positional_id() {
    assert!(matches!(
        err("/incident reopen BDK-2026-0001"),
        CommandError::Missing { option, usage } if option == "reason" && usage == "/incident reopen ID reason:\"…\""
    ));
    assert!(matches!(
        err("/incident ack"),
        CommandError::Missing { option, usage } if option == "id" && usage == "/incident ack ID"
    ));
    assert!(matches!(
        err("/incident update note:\"no id\""),
        CommandError::Missing { option, .. } if option == "id"
    ));
    assert!(matches!(
        err("/incident ack SSB-2026-0001 extra"),
        CommandError::Unexpected { word, usage } if word == "extra" && usage == "/incident ack ID"
    ));
    assert!(matches!(
        err("/incident list active"),
        CommandError::Unexpected { word, .. } if word == "active"
    ));
}

#[test]
fn empty_values() {
    assert!(matches!(
        err("/incident open agreement:inera impact:unusable title:\"   \""),
        CommandError::Empty { option, .. } if option == "title"
    ));
    assert!(matches!(
        err("/incident reopen INE-2026-0001 reason:\"   \""),
        CommandError::Empty { option, .. } if option == "reason"
    ));
    assert!(matches!(
        err("/incident ack id:"),
        CommandError::Empty { option, .. } if option == "id"
    ));
    assert!(matches!(
        err("/incident list agreement:"),
        CommandError::Empty { option, .. } if option == "agreement"
    ));
    assert!(matches!(
        err("/incident preview agreement:a impact:1 security:"),
        CommandError::Empty { option, .. } if option == "security"
    ));
    // An optional text given empty counts as not given.
    assert_eq!(
        ok("/incident resolve SSB-2026-0001 note:\" \""),
        Command::Resolve {
            id: id("SSB-2026-0001"),
            how: Resolution::Fix,
            note: None
        }
    );
}

#[test]
fn wrong_types() {
    assert!(matches!(
        err("/incident preview agreement:altinn impact:degraded security:maybe"),
        CommandError::WrongType { option, given, .. } if option == "security" && given == "\"maybe\""
    ));
    let with = |name: &str, v: RawValue| {
        parse(
            &Invocation::new("incident", "open")
                .with("agreement", RawValue::Text("ssbtek".into()))
                .with("impact", RawValue::Text("1".into()))
                .with("title", RawValue::Text("SHS down".into()))
                .with(name, v),
            TZ,
        )
    };
    assert!(matches!(
        with("description", RawValue::Number(3.0)),
        Err(CommandError::WrongType { option, .. }) if option == "description"
    ));
    assert!(matches!(
        with("security", RawValue::Number(1.0)),
        Err(CommandError::WrongType { option, .. }) if option == "security"
    ));
    assert!(matches!(
        with("users", RawValue::Bool(true)),
        Err(CommandError::WrongType { option, .. }) if option == "users"
    ));
    // Discord's typed values.
    let Ok(Command::Open { facts, .. }) = with("users", RawValue::Number(12.5)) else {
        panic!("users as a number")
    };
    assert_eq!(facts.users_affected, Some(12.5));
    let Ok(Command::Open { facts, .. }) = with("workaround", RawValue::Bool(true)) else {
        panic!("workaround as a bool")
    };
    assert!(facts.workaround);
    assert!(matches!(
        parse(
            &Invocation::new("incident", "list").with("scope", RawValue::Bool(true)),
            TZ
        ),
        Err(CommandError::WrongType { option, .. }) if option == "scope"
    ));
}

#[test]
fn percentages() {
    let users = |v: &str| line(&format!("/incident preview agreement:borger-dk impact:users users:{v}"));
    for (v, want) in [
        ("25", 25.0),
        ("25%", 25.0),
        ("0", 0.0),
        ("100", 100.0),
        ("12.5 %", 12.5),
    ] {
        let v = if v.contains(' ') {
            format!("\"{v}\"")
        } else {
            v.to_string()
        };
        let Ok(Command::Preview { facts, .. }) = users(&v) else {
            panic!("users:{v}")
        };
        assert_eq!(facts.users_affected, Some(want), "users:{v}");
    }
    for v in ["lots", "101", "-1", "NaN", "inf", "%"] {
        assert!(
            matches!(users(v), Err(CommandError::NotAPercent { ref option, ref value }) if option == "users" && value == v),
            "users:{v}"
        );
    }
    assert!(matches!(
        parse(
            &Invocation::new("incident", "preview")
                .with("agreement", RawValue::Text("a".into()))
                .with("impact", RawValue::Text("1".into()))
                .with("users", RawValue::Number(f64::NAN)),
            TZ
        ),
        Err(CommandError::NotAPercent { .. })
    ));
}

#[test]
fn choices_ids_and_times() {
    assert!(matches!(
        err("/incident list scope:recent"),
        CommandError::NotAChoice { option, value, choices }
            if option == "scope" && value == "recent" && choices == "active, breaching, breached-this-week, all"
    ));
    assert!(matches!(
        err("/incident show nothing"),
        CommandError::BadIncidentId { option, value } if option == "id" && value == "nothing"
    ));
    assert!(matches!(
        err("/incident show \"SSB 2026-1\""),
        CommandError::BadIncidentId { .. }
    ));
    assert!(matches!(
        err("/incident preview agreement:a impact:1 at:tomorrow"),
        CommandError::BadInstant { option, .. } if option == "at"
    ));
    let long_id = format!("/incident show A-{}", "1".repeat(ID_MAX_CHARS));
    assert!(matches!(
        err(&long_id),
        CommandError::TooLong { option, max, .. } if option == "id" && max == ID_MAX_CHARS
    ));
}

#[test]
fn title_limit_counts_characters_after_trimming() {
    let open = |title: &str| line(&format!("/incident open agreement:a impact:1 title:\"{title}\""));
    assert!(open(&"x".repeat(TITLE_MAX_CHARS)).is_ok());
    assert!(open(&format!("  {}  ", "x".repeat(TITLE_MAX_CHARS))).is_ok());
    assert!(matches!(
        open(&"x".repeat(TITLE_MAX_CHARS + 1)),
        Err(CommandError::TooLong { ref option, chars: 201, max: 200 }) if option == "title"
    ));
    // Multi-byte characters count once each: 200 × 'ø' is 400 bytes and fits.
    let oe = "ø".repeat(TITLE_MAX_CHARS);
    assert_eq!(oe.len(), 2 * TITLE_MAX_CHARS);
    let Ok(Command::Open { title, .. }) = open(&oe) else {
        panic!("200 × ø")
    };
    assert_eq!(title, oe);
    assert!(open(&"🔥".repeat(TITLE_MAX_CHARS)).is_ok());
    assert!(matches!(
        open(&"å".repeat(TITLE_MAX_CHARS + 1)),
        Err(CommandError::TooLong { chars: 201, .. })
    ));
}

#[test]
fn long_text_limits() {
    let update = |note: &str| {
        parse(
            &Invocation::new("incident", "update")
                .with("id", RawValue::Text("SSB-2026-0001".into()))
                .with("note", RawValue::Text(note.into())),
            TZ,
        )
    };
    assert!(update(&"n".repeat(LONG_TEXT_MAX_CHARS)).is_ok());
    assert!(matches!(
        update(&"n".repeat(LONG_TEXT_MAX_CHARS + 1)),
        Err(CommandError::TooLong { option, chars: 1501, max: 1500 }) if option == "note"
    ));
    let reason = "r".repeat(LONG_TEXT_MAX_CHARS + 1);
    assert!(matches!(
        err(&format!("/incident escalate SSB-2026-0001 reason:\"{reason}\"")),
        CommandError::TooLong { option, max: 1500, .. } if option == "reason"
    ));
    let service = "s".repeat(101);
    assert!(matches!(
        err(&format!("/incident open agreement:a impact:1 title:t service:{service}")),
        CommandError::TooLong { option, max: 100, .. } if option == "service"
    ));
}

#[test]
fn control_characters() {
    let open = |field: &str, value: &str| {
        parse(
            &Invocation::new("incident", "open")
                .with("agreement", RawValue::Text("ssbtek".into()))
                .with("impact", RawValue::Text("1".into()))
                .with("title", RawValue::Text("SHS down".into()))
                .with(field, RawValue::Text(value.into())),
            TZ,
        )
    };
    let is_control = |r: Result<Command, CommandError>, f: &str| matches!(r, Err(CommandError::ControlCharacter { option }) if option == f);
    // Single-line texts reject every control character, the line break too.
    assert!(is_control(
        line("/incident open agreement:a impact:1 title:\"a\tb\""),
        "title"
    ));
    assert!(is_control(
        parse(
            &Invocation::new("incident", "open")
                .with("agreement", RawValue::Text("ssbtek".into()))
                .with("impact", RawValue::Text("1".into()))
                .with("title", RawValue::Text("two\nlines".into())),
            TZ
        ),
        "title"
    ));
    assert!(is_control(open("service", "a\u{7}b"), "service"));
    // Multiline texts allow \n, and only \n.
    let Ok(Command::Open { description, .. }) = open("description", "line one\nline two\n") else {
        panic!("multiline description")
    };
    assert_eq!(description, "line one\nline two");
    assert!(is_control(open("description", "dos\r\nline"), "description"));
    assert!(is_control(open("description", "bell\u{7}"), "description"));
    assert!(is_control(open("description", "c1 \u{85} nel"), "description"));
    assert!(is_control(
        parse(
            &Invocation::new("incident", "reopen")
                .with("id", RawValue::Text("SSB-2026-0001".into()))
                .with("reason", RawValue::Text("no\nnewline".into())),
            TZ
        ),
        "reason"
    ));
    assert!(is_control(
        parse(
            &Invocation::new("sla", "explain").with("agreement", RawValue::Text("ssb\u{0}tek".into())),
            TZ
        ),
        "agreement"
    ));
}

/// Bidirectional controls and zero-width characters are refused like control characters, on
/// the console line and from Discord's options alike, and the message names the character.
#[test]
fn invisible_characters() {
    let invisible = |r: Result<Command, CommandError>, f: &str, c: char| matches!(r, Err(CommandError::InvisibleCharacter { option, found, .. }) if option == f && found == c);
    // A right-to-left override in a note (issue 16, item 14), typed on the console.
    let e = line("/incident update SSB-2026-0001 note:\"invoice\u{202e}fdp.exe\"");
    assert!(invisible(e.clone(), "note", '\u{202e}'), "{e:?}");
    let message = e.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.starts_with("note: U+202E "), "{message}");
    assert!(
        !message.contains('\u{202e}'),
        "the message does not echo it raw: {message}"
    );
    // The same from Discord, in every text option kind (title, multiline, reason, id).
    let inv = |cmd: &str, with: &[(&str, &str)]| {
        let mut inv = Invocation::new("incident", cmd);
        for (k, v) in with {
            inv = inv.with(*k, RawValue::Text((*v).into()));
        }
        parse(&inv, TZ)
    };
    let open = |field: &str, value: &str| {
        let mut with = vec![("agreement", "ssbtek"), ("impact", "1"), ("title", "SHS down")];
        with.retain(|(k, _)| *k != field);
        with.push((field, value));
        inv("open", &with)
    };
    for c in [
        '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{061c}',
    ] {
        assert!(invisible(open("title", &format!("SHS{c}down")), "title", c), "{c:?}");
    }
    for c in ['\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}'] {
        assert!(
            invisible(open("description", &format!("line\n{c}two")), "description", c),
            "{c:?}"
        );
    }
    assert!(invisible(open("agreement", "ssb\u{200b}tek"), "agreement", '\u{200b}'));
    assert!(invisible(
        inv("reopen", &[("id", "SSB-2026-0001"), ("reason", "\u{feff}again")]),
        "reason",
        '\u{feff}'
    ));
    // Right-to-left text itself is fine, and so are emoji presentation selectors.
    assert!(open("title", "عطل في الخدمة ⚠\u{fe0f}").is_ok());
    // Echoed values never carry them raw either.
    assert_eq!(shown("a\u{202e}b\u{200b}"), "a\\u{202e}b\\u{200b}");
}

#[test]
fn echoed_values_are_short_and_escaped() {
    let e = err(&format!("/incident list scope:{}", "y".repeat(500)));
    let CommandError::NotAChoice { value, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(value.chars().count(), 41);
    assert!(value.ends_with('…'));
    assert_eq!(shown("a\u{1b}[31mb"), "a\\u{1b}[31mb");
}

/// The wording of the messages users see (the other tests check variants and fields).
#[test]
fn messages_name_the_option_and_the_limit() {
    let title = "t".repeat(231);
    assert_eq!(
        err(&format!("/incident open agreement:a impact:1 title:{title}")).to_string(),
        "title: 231 characters, at most 200"
    );
    assert_eq!(
        err("/incident reopen BDK-2026-0001").to_string(),
        "missing option reason: — usage: /incident reopen ID reason:\"…\""
    );
    assert_eq!(
        err("/incident ack SSB-2026-0001 foo:1").to_string(),
        "unknown option foo: for /incident ack"
    );
    assert_eq!(
        err("/incident list scope:x").to_string(),
        "scope: \"x\" is not one of active, breaching, breached-this-week, all"
    );
    assert_eq!(
        err("/incident open agreement:a impact:1 title:\"a\tb\"").to_string(),
        "title: control characters are not allowed"
    );
    assert_eq!(
        err("/incident preview agreement:a impact:1 security:maybe").to_string(),
        "security: expected true or false, not \"maybe\""
    );
}
