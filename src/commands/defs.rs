//! The command definitions: static data naming every command of the command layer, its
//! options, their kinds and limits, and its help. Adapters register and parse from these
//! (the console by [`super::parse_console_line`], Discord by slash-command registration), so
//! names, options and help cannot drift between them.
//!
//! Names follow Discord's rules for slash commands and options (lower case, 1–32 characters
//! of `a-z`, `0-9`, `_`, `-`) and every help text fits Discord's 100-character description;
//! a unit test checks both for every definition.

/// Most characters in an incident title.
pub const TITLE_MAX_CHARS: usize = 200;
/// Most characters in a description, note or reason.
pub const LONG_TEXT_MAX_CHARS: usize = 1500;
/// Most characters in the free-text name of the affected service.
pub const SERVICE_MAX_CHARS: usize = 100;
/// Most characters in an id given by a user (incident, agreement, impact, priority).
pub const ID_MAX_CHARS: usize = 64;
/// Most characters in a time given by a user (RFC 3339 with nanoseconds fits).
pub const INSTANT_MAX_CHARS: usize = 40;
/// Most characters in a meeting follow-up point.
pub const POINT_MAX_CHARS: usize = 500;

/// A top-level command group (`/incident`, `/sla`): Discord registers each as one slash
/// command with the group's commands as its subcommands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupDef {
    /// The group's name, typed after the slash (`incident`).
    pub name: &'static str,
    /// One line saying what the group is for (at most 100 characters).
    pub help: &'static str,
}

/// Which typed [`super::Command`] a definition produces. Two definitions may share a kind
/// (`/incident preview` and `/sla preview`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandKind {
    /// Open an incident.
    Open,
    /// Classify without opening.
    Preview,
    /// Acknowledge an incident.
    Ack,
    /// Add a progress note.
    Update,
    /// Resolve by fix or workaround.
    Resolve,
    /// Reopen a resolved incident.
    Reopen,
    /// Close a resolved incident.
    Close,
    /// Waive a follow-up the agreement requires.
    Waive,
    /// Mark a follow-up the agreement requires done.
    FollowUpDone,
    /// Escalate to the next level by hand.
    Escalate,
    /// Take the lead, or hand it to a member.
    Lead,
    /// Edit the title or description.
    Edit,
    /// Snooze status updates.
    Snooze,
    /// Mark an incident a duplicate of another.
    Link,
    /// Mark an incident as an outage of its service.
    Outage,
    /// Publish an incident's public text on the status page.
    Publish,
    /// Change the facts an incident was classified from.
    Reclassify,
    /// Set the priority by hand.
    Override,
    /// Show one incident.
    Show,
    /// Show an incident's timeline.
    Timeline,
    /// List incidents.
    List,
    /// Explain an agreement's targets and hours.
    Explain,
    /// Raise a meeting follow-up point.
    PointAdd,
    /// Mark a follow-up point done.
    PointDone,
    /// List the open follow-up points.
    Points,
    /// Show the weekly status-meeting summary of a week.
    ReportWeekly,
    /// Announce a maintenance window.
    MaintenanceAnnounce,
    /// List the maintenance windows to come.
    MaintenanceList,
    /// Cancel a maintenance window.
    MaintenanceCancel,
}

/// What an option's value is, and so how it is validated (and registered on Discord).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OptionKind {
    /// Free text, trimmed, at most `max_chars` characters. Single-line text rejects every
    /// control character; multiline text allows `\n` and no other control character. Neither
    /// allows a bidirectional control or a zero-width character.
    /// Discord: a string option with `max_length`.
    Text {
        /// Most characters (counted as `char`s, after trimming).
        max_chars: usize,
        /// Whether `\n` is allowed.
        multiline: bool,
    },
    /// `true`/`false` (console also `yes`/`no`, `1`/`0`); absent means false.
    /// Discord: a boolean option.
    Bool,
    /// A percentage from 0 to 100, a trailing `%` accepted (`25`, `12.5%`).
    /// Discord: a number option with min 0 and max 100.
    Percent,
    /// One of a fixed list of words. Discord: a string option with these choices.
    Choice(&'static [&'static str]),
    /// An incident id like `SSB-2026-0001` (case-insensitive, upper-cased).
    /// Discord: a string option.
    IncidentId,
    /// An agreement id (`ssbtek`). Discord: a string option, autocompleted from the catalog.
    Agreement,
    /// An impact id from the agreement's scale (`unavailable`). Discord: a string option,
    /// autocompleted from the chosen agreement.
    Impact,
    /// A priority id from the agreement (`1`, `A`). Discord: a string option, autocompleted
    /// from the chosen agreement.
    Priority,
    /// A case type of the agreement (`incident`, `problem`, `order`). Discord: a string option,
    /// autocompleted from the chosen agreement's case types.
    CaseType,
    /// A class of the chosen case type (`connection`, `1`). Discord: a string option,
    /// autocompleted from the chosen agreement and type.
    CaseClass,
    /// A service id from the agreement (`idporten`), checked as single-line text of at most
    /// [`SERVICE_MAX_CHARS`]. Discord: a string option, autocompleted from the chosen
    /// agreement's services.
    Service,
    /// An instant: RFC 3339 (`2026-11-20T08:00+01:00`) or a local time
    /// (`2026-11-20T08:00`) in the agreement's or the adapter's time zone.
    /// Discord: a string option.
    Instant,
    /// A positive whole number (a follow-up point's number, `12` or `#12`).
    /// Discord: an integer option with min 1.
    Count,
    /// A report period: an ISO week `2026-W47` (the commands that take one say which).
    /// Discord: a string option.
    Period,
    /// A member of the chat, by user id (the console's user names).
    /// Discord: a user option (a member picked from the server).
    Member,
    /// A wall-clock duration in hours and minutes (`2h`, `90m`, `4h30m`).
    /// Discord: a string option.
    Duration,
}

impl OptionKind {
    /// The most characters a text value of this kind may have, if it is given as text; the
    /// Discord adapter registers it as `max_length`. `None` for booleans and numbers.
    pub fn max_chars(&self) -> Option<usize> {
        match self {
            OptionKind::Text { max_chars, .. } => Some(*max_chars),
            OptionKind::IncidentId
            | OptionKind::Agreement
            | OptionKind::Impact
            | OptionKind::Priority
            | OptionKind::CaseType
            | OptionKind::CaseClass => Some(ID_MAX_CHARS),
            OptionKind::Choice(c) => c.iter().map(|s| s.chars().count()).max(),
            OptionKind::Service => Some(SERVICE_MAX_CHARS),
            OptionKind::Instant => Some(INSTANT_MAX_CHARS),
            OptionKind::Period => Some(10),
            OptionKind::Member => Some(ID_MAX_CHARS),
            OptionKind::Duration => Some(16),
            OptionKind::Bool | OptionKind::Percent | OptionKind::Count => None,
        }
    }

    /// The placeholder shown for a value in a usage line (`"…"`, `ID`, `PCT`, `a|b`).
    pub fn placeholder(&self) -> String {
        match self {
            OptionKind::Text { .. } => "\"…\"".into(),
            OptionKind::Bool => "true".into(),
            OptionKind::Percent => "PCT".into(),
            OptionKind::Choice(c) => c.join("|"),
            OptionKind::IncidentId | OptionKind::Agreement => "ID".into(),
            OptionKind::Impact => "X".into(),
            OptionKind::Priority => "P".into(),
            OptionKind::CaseType => "TYPE".into(),
            OptionKind::CaseClass => "CLASS".into(),
            OptionKind::Service => "SERVICE".into(),
            OptionKind::Instant => "TIME".into(),
            OptionKind::Count => "N".into(),
            OptionKind::Period => "2026-W47".into(),
            OptionKind::Member => "USER".into(),
            OptionKind::Duration => "2h".into(),
        }
    }
}

/// One option of a command.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptionDef {
    /// The option's name: the console key (`title:`) and the Discord option name.
    pub name: &'static str,
    /// One line saying what the value is (at most 100 characters).
    pub help: &'static str,
    /// What the value is and how it is checked.
    pub kind: OptionKind,
    /// Whether the command needs it. Required options come first (Discord demands it).
    pub required: bool,
}

/// One command of the command layer: `/group name …`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommandDef {
    /// The group it belongs to (`incident`, `sla`); see [`groups`].
    pub group: &'static str,
    /// The command's name within the group (`open`).
    pub name: &'static str,
    /// Other names the console accepts (`acknowledge` for `ack`); Discord registers only
    /// [`CommandDef::name`].
    pub aliases: &'static [&'static str],
    /// One line saying what it does (at most 100 characters).
    pub help: &'static str,
    /// On the console, the first bare word fills this option (the incident id in
    /// `/incident ack SSB-2026-0001`); `key:value` works for it too.
    pub positional: Option<&'static str>,
    /// Its options, required ones first.
    pub options: &'static [OptionDef],
    /// Only managers may run it (the service enforces this; adapters may hide it).
    pub manager_only: bool,
    /// The typed command it parses into.
    pub kind: CommandKind,
}

impl CommandDef {
    /// The option named `name`, if the command has it.
    pub fn option(&self, name: &str) -> Option<&'static OptionDef> {
        self.options.iter().find(|o| o.name == name)
    }

    /// Whether `name` is this command's name or one of its aliases.
    pub fn answers_to(&self, name: &str) -> bool {
        self.name == name || self.aliases.contains(&name)
    }

    /// The command as typed, without options: `/incident open`.
    pub fn path(&self) -> String {
        format!("/{} {}", self.group, self.name)
    }

    /// A console usage line generated from the definition: the positional option as a bare
    /// placeholder, required options as `key:X`, optional ones in brackets, e.g.
    /// `/incident reopen ID reason:"…"`.
    pub fn usage(&self) -> String {
        let mut s = self.path();
        if let Some(o) = self.positional.and_then(|p| self.option(p)) {
            s.push(' ');
            if o.required {
                s += &o.kind.placeholder();
            } else {
                s += &format!("[{}]", o.kind.placeholder());
            }
        }
        for o in self.options.iter().filter(|o| Some(o.name) != self.positional) {
            let one = format!("{}:{}", o.name, o.kind.placeholder());
            s.push(' ');
            if o.required {
                s += &one;
            } else {
                s += &format!("[{one}]");
            }
        }
        s
    }
}

/// The incident id, filled by the first bare word on the console.
const ID: OptionDef = OptionDef {
    name: "id",
    help: "The incident's id, like SSB-2026-0001",
    kind: OptionKind::IncidentId,
    required: true,
};

const FOLLOW_UP: OptionDef = OptionDef {
    name: "follow_up",
    help: "The follow-up's id in the agreement, like feedback",
    kind: OptionKind::Text {
        max_chars: ID_MAX_CHARS,
        multiline: false,
    },
    required: true,
};

const AGREEMENT: OptionDef = OptionDef {
    name: "agreement",
    help: "The service agreement the incident falls under",
    kind: OptionKind::Agreement,
    required: true,
};

const IMPACT: OptionDef = OptionDef {
    name: "impact",
    help: "How bad it is, on the agreement's impact scale",
    kind: OptionKind::Impact,
    required: true,
};

/// `impact:` of `/incident open`: needed for an incident, not for another case type (its
/// class says it all).
const IMPACT_OPEN: OptionDef = OptionDef {
    required: false,
    ..IMPACT
};

/// `type:` of `/incident open`.
const CASE_TYPE: OptionDef = OptionDef {
    name: "type",
    help: "The case type (default: incident), from the agreement's case types",
    kind: OptionKind::CaseType,
    required: false,
};

/// `class:` of `/incident open`.
const CASE_CLASS: OptionDef = OptionDef {
    name: "class",
    help: "The class of a case that is not an incident (a problem's priority, an order's kind)",
    kind: OptionKind::CaseClass,
    required: false,
};

const USERS: OptionDef = OptionDef {
    name: "users",
    help: "Share of the usual users affected, in percent (0-100)",
    kind: OptionKind::Percent,
    required: false,
};

const SECURITY: OptionDef = OptionDef {
    name: "security",
    help: "It is a security incident",
    kind: OptionKind::Bool,
    required: false,
};

const WORKAROUND: OptionDef = OptionDef {
    name: "workaround",
    help: "A workaround is available to users",
    kind: OptionKind::Bool,
    required: false,
};

/// The facts `/incident reclassify clear:` may name: the facts left out keep their value,
/// so clearing one is said explicitly (`security:false` works as well for a flag).
pub const CLEARABLE_FACTS: &[&str] = &["users", "security", "workaround"];

const fn reason(help: &'static str) -> OptionDef {
    OptionDef {
        name: "reason",
        help,
        kind: OptionKind::Text {
            max_chars: LONG_TEXT_MAX_CHARS,
            multiline: false,
        },
        required: true,
    }
}

const NOTE_KIND: OptionKind = OptionKind::Text {
    max_chars: LONG_TEXT_MAX_CHARS,
    multiline: true,
};

/// The options of `preview`, shared by `/incident preview` and `/sla preview`.
const PREVIEW_OPTIONS: &[OptionDef] = &[
    AGREEMENT,
    IMPACT,
    USERS,
    SECURITY,
    WORKAROUND,
    OptionDef {
        name: "at",
        help: "When it would be reported (default now), e.g. 2026-11-20T08:00+01:00",
        kind: OptionKind::Instant,
        required: false,
    },
];

const PREVIEW_HELP: &str = "Show the priority and deadlines an incident would get, without opening it";

/// The choices of `/incident list scope:`, in the order shown.
pub const LIST_SCOPES: &[&str] = &["active", "breaching", "breached-this-week", "all"];

static GROUPS: &[GroupDef] = &[
    GroupDef {
        name: "incident",
        help: "Open, follow and close incidents under a service agreement",
    },
    GroupDef {
        name: "sla",
        help: "What a service agreement promises: priorities, targets and service hours",
    },
    GroupDef {
        name: "meeting",
        help: "Follow-up points from the agreement's meetings, answered before the next one",
    },
    GroupDef {
        name: "report",
        help: "The reports vakt prepares from what it recorded",
    },
    GroupDef {
        name: "maintenance",
        help: "Maintenance windows, checked against the agreement's notice, hours and yearly limits",
    },
];

/// The agreement of a meeting or report command: optional, defaulted when only one is
/// configured.
const AGREEMENT_DEFAULTED: OptionDef = OptionDef {
    name: "agreement",
    help: "The service agreement (default: the only one configured)",
    kind: OptionKind::Agreement,
    required: false,
};

static COMMANDS: &[CommandDef] = &[
    CommandDef {
        group: "incident",
        name: "open",
        aliases: &[],
        help: "Open an incident; the agreement's rules set its priority and deadlines",
        positional: None,
        options: &[
            AGREEMENT,
            OptionDef {
                name: "title",
                help: "A short headline of what is wrong",
                kind: OptionKind::Text {
                    max_chars: TITLE_MAX_CHARS,
                    multiline: false,
                },
                required: true,
            },
            IMPACT_OPEN,
            USERS,
            SECURITY,
            WORKAROUND,
            OptionDef {
                name: "service",
                help: "The affected service (default: the agreement's main service)",
                kind: OptionKind::Service,
                required: false,
            },
            OptionDef {
                name: "description",
                help: "What users see, since when, and what is known so far",
                kind: NOTE_KIND,
                required: false,
            },
            CASE_TYPE,
            CASE_CLASS,
        ],
        manager_only: false,
        kind: CommandKind::Open,
    },
    CommandDef {
        group: "incident",
        name: "preview",
        aliases: &[],
        help: PREVIEW_HELP,
        positional: None,
        options: PREVIEW_OPTIONS,
        manager_only: false,
        kind: CommandKind::Preview,
    },
    CommandDef {
        group: "incident",
        name: "ack",
        aliases: &["acknowledge"],
        help: "Acknowledge an incident (meets the response target); you become lead if it has none",
        positional: Some("id"),
        options: &[ID],
        manager_only: false,
        kind: CommandKind::Ack,
    },
    CommandDef {
        group: "incident",
        name: "update",
        aliases: &[],
        help: "Post a status update: a note, the area hit, who is affected, the cause, the ETA",
        positional: Some("id"),
        options: &[
            ID,
            OptionDef {
                name: "note",
                help: "What changed or what is known now",
                kind: NOTE_KIND,
                required: false,
            },
            OptionDef {
                name: "area",
                help: "Which area or function is hit",
                kind: OptionKind::Text {
                    max_chars: SERVICE_MAX_CHARS,
                    multiline: false,
                },
                required: false,
            },
            OptionDef {
                name: "affected",
                help: "Who and how many are affected",
                kind: OptionKind::Text {
                    max_chars: SERVICE_MAX_CHARS,
                    multiline: false,
                },
                required: false,
            },
            OptionDef {
                name: "cause",
                help: "The cause, as far as it is known",
                kind: OptionKind::Text {
                    max_chars: LONG_TEXT_MAX_CHARS,
                    multiline: false,
                },
                required: false,
            },
            OptionDef {
                name: "eta",
                help: "When it is expected to be resolved, e.g. 2026-11-20T16:00",
                kind: OptionKind::Instant,
                required: false,
            },
        ],
        manager_only: false,
        kind: CommandKind::Update,
    },
    CommandDef {
        group: "incident",
        name: "resolve",
        aliases: &[],
        help: "Resolve an incident, by a fix or by a workaround",
        positional: Some("id"),
        options: &[
            ID,
            OptionDef {
                name: "workaround",
                help: "Resolved by a workaround, not a fix",
                kind: OptionKind::Bool,
                required: false,
            },
            OptionDef {
                name: "note",
                help: "What was done",
                kind: NOTE_KIND,
                required: false,
            },
        ],
        manager_only: false,
        kind: CommandKind::Resolve,
    },
    CommandDef {
        group: "incident",
        name: "reopen",
        aliases: &[],
        help: "Reopen a resolved incident; its clocks keep their original start",
        positional: Some("id"),
        options: &[ID, reason("Why it is not resolved after all")],
        manager_only: false,
        kind: CommandKind::Reopen,
    },
    CommandDef {
        group: "incident",
        name: "close",
        aliases: &[],
        help: "Close a resolved incident; follow-ups owed to reporters still post (managers)",
        positional: Some("id"),
        options: &[ID],
        manager_only: true,
        kind: CommandKind::Close,
    },
    CommandDef {
        group: "incident",
        name: "waive",
        aliases: &[],
        help: "Waive a follow-up the agreement requires of an incident, with a reason (managers)",
        positional: Some("id"),
        options: &[ID, FOLLOW_UP, reason("Why the follow-up is not owed")],
        manager_only: true,
        kind: CommandKind::Waive,
    },
    CommandDef {
        group: "incident",
        name: "follow-up-done",
        aliases: &[],
        help: "Mark a follow-up the agreement requires of an incident done; it is not announced again",
        positional: Some("id"),
        options: &[ID, FOLLOW_UP],
        manager_only: false,
        kind: CommandKind::FollowUpDone,
    },
    CommandDef {
        group: "incident",
        name: "escalate",
        aliases: &[],
        help: "Escalate an incident by hand to the next level of its escalation ladder",
        positional: Some("id"),
        options: &[ID, reason("Why it needs the next level")],
        manager_only: false,
        kind: CommandKind::Escalate,
    },
    CommandDef {
        group: "incident",
        name: "lead",
        aliases: &[],
        help: "Take the lead of an incident, or hand it to another member; warnings follow the lead",
        positional: Some("id"),
        options: &[
            ID,
            OptionDef {
                name: "to",
                help: "The member to hand the lead to (default: you take it)",
                kind: OptionKind::Member,
                required: false,
            },
        ],
        manager_only: false,
        kind: CommandKind::Lead,
    },
    CommandDef {
        group: "incident",
        name: "edit",
        aliases: &[],
        help: "Edit an incident's title or description; the old text stays in the timeline",
        positional: Some("id"),
        options: &[
            ID,
            OptionDef {
                name: "title",
                help: "The new headline",
                kind: OptionKind::Text {
                    max_chars: TITLE_MAX_CHARS,
                    multiline: false,
                },
                required: false,
            },
            OptionDef {
                name: "description",
                help: "The new description",
                kind: NOTE_KIND,
                required: false,
            },
        ],
        manager_only: false,
        kind: CommandKind::Edit,
    },
    CommandDef {
        group: "incident",
        name: "snooze",
        aliases: &[],
        help: "Pause an incident's status updates until a time (over a day: managers); deadlines go on",
        positional: Some("id"),
        options: &[
            ID,
            OptionDef {
                name: "until",
                help: "When status updates resume, e.g. 2026-11-24T08:00",
                kind: OptionKind::Instant,
                required: true,
            },
            reason("Why no status updates are needed until then"),
        ],
        manager_only: false,
        kind: CommandKind::Snooze,
    },
    CommandDef {
        group: "incident",
        name: "link",
        aliases: &["duplicate"],
        help: "Mark an incident a duplicate of another: it is resolved, pointing to the other",
        positional: Some("id"),
        options: &[
            ID,
            OptionDef {
                name: "of",
                help: "The incident it duplicates, like SSB-2026-0001",
                kind: OptionKind::IncidentId,
                required: true,
            },
        ],
        manager_only: false,
        kind: CommandKind::Link,
    },
    CommandDef {
        group: "incident",
        name: "outage",
        aliases: &[],
        help: "Mark an incident as an outage of its service; managers may set its start and end",
        positional: Some("id"),
        options: &[
            ID,
            OptionDef {
                name: "kind",
                help: "full (unavailable) or degraded (available with disturbance)",
                kind: OptionKind::Choice(&["full", "degraded"]),
                required: true,
            },
            OptionDef {
                name: "start",
                help: "Managers: when the outage began (default: when the incident was reported)",
                kind: OptionKind::Instant,
                required: false,
            },
            OptionDef {
                name: "end",
                help: "Managers: when the outage ended (default: when the incident was resolved)",
                kind: OptionKind::Instant,
                required: false,
            },
            OptionDef {
                name: "answering",
                help: "Sources answering, where degraded is defined by them (SSBTEK 4.9: 3 or more; fewer = full)",
                kind: OptionKind::Count,
                required: false,
            },
        ],
        manager_only: false,
        kind: CommandKind::Outage,
    },
    CommandDef {
        group: "incident",
        name: "publish",
        aliases: &[],
        help: "Publish an incident on the status page, or add a public update (never the internal text)",
        positional: Some("id"),
        options: &[
            ID,
            OptionDef {
                name: "text",
                help: "What the public may read: the area hit, who is affected, the time horizon",
                kind: OptionKind::Text {
                    max_chars: LONG_TEXT_MAX_CHARS,
                    multiline: true,
                },
                required: true,
            },
        ],
        manager_only: false,
        kind: CommandKind::Publish,
    },
    CommandDef {
        group: "incident",
        name: "reclassify",
        aliases: &[],
        help: "Change the facts of an incident (those left out stay); its priority and deadlines follow",
        positional: Some("id"),
        options: &[
            ID,
            OptionDef {
                required: false,
                ..IMPACT
            },
            USERS,
            SECURITY,
            WORKAROUND,
            OptionDef {
                name: "clear",
                help: "A fact to clear back to its default (the others named or kept)",
                kind: OptionKind::Choice(CLEARABLE_FACTS),
                required: false,
            },
            OptionDef {
                required: false,
                ..reason("Why, when lowering a security incident or after a missed target")
            },
        ],
        manager_only: false,
        kind: CommandKind::Reclassify,
    },
    CommandDef {
        group: "incident",
        name: "override",
        aliases: &[],
        help: "Set an incident's priority by hand, overriding the agreement's rules (managers)",
        positional: Some("id"),
        options: &[
            ID,
            OptionDef {
                name: "priority",
                help: "The priority to set, from the incident's agreement",
                kind: OptionKind::Priority,
                required: true,
            },
            reason("Why the agreement's rules give the wrong priority"),
        ],
        manager_only: true,
        kind: CommandKind::Override,
    },
    CommandDef {
        group: "incident",
        name: "show",
        aliases: &[],
        help: "Show an incident with its priority, state and time left to its deadlines",
        positional: Some("id"),
        options: &[ID],
        manager_only: false,
        kind: CommandKind::Show,
    },
    CommandDef {
        group: "incident",
        name: "timeline",
        aliases: &[],
        help: "Show everything that happened to an incident, in order",
        positional: Some("id"),
        options: &[ID],
        manager_only: false,
        kind: CommandKind::Timeline,
    },
    CommandDef {
        group: "incident",
        name: "list",
        aliases: &[],
        help: "List incidents, of one agreement or all",
        positional: None,
        options: &[
            OptionDef {
                name: "agreement",
                help: "Only incidents under this agreement",
                kind: OptionKind::Agreement,
                required: false,
            },
            OptionDef {
                name: "scope",
                help: "Which incidents (default active: open or acknowledged)",
                kind: OptionKind::Choice(LIST_SCOPES),
                required: false,
            },
            OptionDef {
                name: "page",
                help: "Which page of 25 (default the first)",
                kind: OptionKind::Count,
                required: false,
            },
            OptionDef {
                name: "type",
                help: "Only cases of this type (incident, problem, order, …; default: every type)",
                kind: OptionKind::CaseType,
                required: false,
            },
        ],
        manager_only: false,
        kind: CommandKind::List,
    },
    CommandDef {
        group: "sla",
        name: "explain",
        aliases: &[],
        help: "Explain an agreement's priorities, targets and service hours",
        positional: None,
        options: &[
            AGREEMENT,
            OptionDef {
                name: "priority",
                help: "Only this priority's targets",
                kind: OptionKind::Priority,
                required: false,
            },
        ],
        manager_only: false,
        kind: CommandKind::Explain,
    },
    CommandDef {
        group: "sla",
        name: "preview",
        aliases: &[],
        help: PREVIEW_HELP,
        positional: None,
        options: PREVIEW_OPTIONS,
        manager_only: false,
        kind: CommandKind::Preview,
    },
    CommandDef {
        group: "meeting",
        name: "point-add",
        aliases: &[],
        help: "Raise a follow-up point, due (by default) at the next meeting",
        positional: Some("text"),
        options: &[
            OptionDef {
                name: "text",
                help: "The point, to be answered before the next meeting",
                kind: OptionKind::Text {
                    max_chars: POINT_MAX_CHARS,
                    multiline: false,
                },
                required: true,
            },
            AGREEMENT_DEFAULTED,
            OptionDef {
                name: "owner",
                help: "Who owns the point (a user id)",
                kind: OptionKind::Text {
                    max_chars: ID_MAX_CHARS,
                    multiline: false,
                },
                required: false,
            },
            OptionDef {
                name: "due",
                help: "When it is due (default: the next meeting), e.g. 2026-11-24T10:00",
                kind: OptionKind::Instant,
                required: false,
            },
        ],
        manager_only: false,
        kind: CommandKind::PointAdd,
    },
    CommandDef {
        group: "meeting",
        name: "point-done",
        aliases: &[],
        help: "Mark a follow-up point done",
        positional: Some("point"),
        options: &[
            OptionDef {
                name: "point",
                help: "The point's number, like 12",
                kind: OptionKind::Count,
                required: true,
            },
            AGREEMENT_DEFAULTED,
        ],
        manager_only: false,
        kind: CommandKind::PointDone,
    },
    CommandDef {
        group: "meeting",
        name: "points",
        aliases: &[],
        help: "List the open follow-up points",
        positional: None,
        options: &[AGREEMENT_DEFAULTED],
        manager_only: false,
        kind: CommandKind::Points,
    },
    CommandDef {
        group: "report",
        name: "weekly",
        aliases: &[],
        help: "Show the weekly status-meeting summary of a week (default: last week)",
        positional: None,
        options: &[
            AGREEMENT_DEFAULTED,
            OptionDef {
                name: "week",
                help: "The ISO week, like 2026-W47",
                kind: OptionKind::Period,
                required: false,
            },
        ],
        manager_only: false,
        kind: CommandKind::ReportWeekly,
    },
    CommandDef {
        group: "maintenance",
        name: "announce",
        aliases: &[],
        help: "Announce a maintenance window; a late or oversized one is refused, naming the rule",
        positional: None,
        options: &[
            OptionDef {
                name: "start",
                help: "When it starts, e.g. 2026-12-15T00:30 in the agreement's time zone",
                kind: OptionKind::Instant,
                required: true,
            },
            OptionDef {
                name: "duration",
                help: "How long it lasts, e.g. 2h or 4h30m",
                kind: OptionKind::Duration,
                required: true,
            },
            OptionDef {
                name: "description",
                help: "What is done in the window",
                kind: NOTE_KIND,
                required: true,
            },
            AGREEMENT_DEFAULTED,
            OptionDef {
                name: "service",
                help: "The affected service (default: the agreement's main service)",
                kind: OptionKind::Service,
                required: false,
            },
            OptionDef {
                name: "kind",
                help: "The kind of window (default: the first whose hours and length fit)",
                kind: OptionKind::Text {
                    max_chars: ID_MAX_CHARS,
                    multiline: false,
                },
                required: false,
            },
            OptionDef {
                name: "reason",
                help: "Managers: why a window that breaks the rules is recorded anyway",
                kind: NOTE_KIND,
                required: false,
            },
        ],
        manager_only: false,
        kind: CommandKind::MaintenanceAnnounce,
    },
    CommandDef {
        group: "maintenance",
        name: "list",
        aliases: &[],
        help: "List the maintenance windows to come",
        positional: None,
        options: &[AGREEMENT_DEFAULTED],
        manager_only: false,
        kind: CommandKind::MaintenanceList,
    },
    CommandDef {
        group: "maintenance",
        name: "cancel",
        aliases: &[],
        help: "Cancel a maintenance window; its reminders are dropped",
        positional: Some("window"),
        options: &[
            OptionDef {
                name: "window",
                help: "The window's number, like 3",
                kind: OptionKind::Count,
                required: true,
            },
            AGREEMENT_DEFAULTED,
        ],
        manager_only: false,
        kind: CommandKind::MaintenanceCancel,
    },
];

/// Every command of the command layer, grouped by group, in the order help shows them.
pub fn all() -> &'static [CommandDef] {
    COMMANDS
}

/// The command groups (`incident`, `sla`), in the order help shows them.
pub fn groups() -> &'static [GroupDef] {
    GROUPS
}

/// Whether `group` is a command-layer group (`incident`, `sla`); other words after a slash
/// (`/clock`, `/as`, `/help`) belong to the adapter.
pub fn is_group(group: &str) -> bool {
    GROUPS.iter().any(|g| g.name == group)
}

/// The command `/group name`, by its name or one of its aliases.
pub fn find(group: &str, name: &str) -> Option<&'static CommandDef> {
    COMMANDS.iter().find(|c| c.group == group && c.answers_to(name))
}

/// The console's `/help` lines for the command layer, generated from the definitions: each
/// command's usage line, then its help indented below (with aliases, and `(managers)` for
/// manager-only commands). The adapter adds its own header and lines (`/clock`, `/as`, …).
pub fn help_text() -> String {
    let mut lines = Vec::new();
    for c in COMMANDS {
        lines.push(format!("  {}", c.usage()));
        let mut help = format!("      {}", c.help);
        if c.manager_only && !c.help.contains("(managers)") {
            help += " (managers)";
        }
        if !c.aliases.is_empty() {
            help += &format!(" — also /{} {}", c.group, c.aliases.join(", "));
        }
        lines.push(help);
    }
    lines.join("\n")
}
