//! From an adapter-neutral [`Invocation`] to a typed, validated [`Command`], checked against
//! its [`CommandDef`].

use super::defs::{self, CommandDef, CommandKind, OptionDef, OptionKind};
use super::error::{CommandError, shown};
use crate::domain::classify::{Fact, Facts, FactsChange};
use crate::domain::ids::{AgreementId, IncidentId, PriorityId, UserId};
use crate::domain::incident::{Resolution, StatusFields};
use crate::domain::text::{Unsafe, unsafe_char};
use crate::domain::time::parse_instant;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// An option's value as an adapter received it: the console gives text, Discord gives
/// typed JSON values (strings, booleans, numbers).
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    /// A string (every console value).
    Text(String),
    /// A boolean (Discord boolean options).
    Bool(bool),
    /// A number (Discord number and integer options).
    Number(f64),
}

/// A command as an adapter received it, before validation: `/group name` and its options in
/// the order given (duplicates kept, so [`parse`] can reject them).
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    /// The group (`incident`), without the slash.
    pub group: String,
    /// The command (`open`) or one of its aliases.
    pub name: String,
    /// The options as (name, value), in the order given.
    pub options: Vec<(String, RawValue)>,
}

impl Invocation {
    /// `/group name` without options.
    pub fn new(group: impl Into<String>, name: impl Into<String>) -> Self {
        Invocation {
            group: group.into(),
            name: name.into(),
            options: Vec::new(),
        }
    }

    /// The same with one more option.
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, value: RawValue) -> Self {
        self.options.push((name.into(), value));
        self
    }
}

/// Which incidents `/incident list` shows: the service's one list scope.
pub use crate::service::ListScope;

/// A validated command, ready for the service. Texts are trimmed and within their limits;
/// ids are well formed but not yet looked up (the service knows which exist).
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `/incident open`.
    Open {
        /// The agreement it falls under.
        agreement: AgreementId,
        /// The headline.
        title: String,
        /// The description, empty when not given.
        description: String,
        /// What the reporter says, for classification.
        facts: Facts,
        /// The affected service or component, free text.
        service: Option<String>,
        /// The case type (`None`: an incident).
        case_type: Option<String>,
        /// The class of a case that is not an incident.
        class: Option<String>,
    },
    /// `/incident preview` and `/sla preview`.
    Preview {
        /// The agreement to classify under.
        agreement: AgreementId,
        /// The facts to classify.
        facts: Facts,
        /// When it would be reported; `None` means now.
        at: Option<DateTime<Utc>>,
    },
    /// `/incident ack`.
    Ack {
        /// The incident.
        id: IncidentId,
    },
    /// `/incident update`.
    Update {
        /// The incident.
        id: IncidentId,
        /// The progress note (may have line breaks; empty when only fields are given).
        note: String,
        /// The structured fields given (impact area, affected, cause, expected resolution).
        fields: StatusFields,
    },
    /// `/incident resolve`.
    Resolve {
        /// The incident.
        id: IncidentId,
        /// Fixed, or a workaround in place (`workaround:true`).
        how: Resolution,
        /// What was done.
        note: Option<String>,
    },
    /// `/incident reopen`.
    Reopen {
        /// The incident.
        id: IncidentId,
        /// Why.
        reason: String,
    },
    /// `/incident close` (managers).
    Close {
        /// The incident.
        id: IncidentId,
    },
    /// `/incident waive` (managers).
    Waive {
        /// The incident.
        id: IncidentId,
        /// The follow-up's id in the agreement.
        follow_up: String,
        /// Why it is not owed.
        reason: String,
    },
    /// `/incident follow-up-done`.
    FollowUpDone {
        /// The incident.
        id: IncidentId,
        /// The follow-up's id in the agreement.
        follow_up: String,
    },
    /// `/incident outage`.
    Outage {
        /// The incident.
        id: IncidentId,
        kind: crate::domain::incident::OutageKind,
        /// Its start, when a manager sets it.
        start: Option<DateTime<Utc>>,
        /// Its end, when a manager sets it.
        end: Option<DateTime<Utc>>,
        /// How many of the service's sources answer, where its agreement counts them.
        answering: Option<u32>,
    },
    /// `/incident publish`.
    Publish {
        /// The incident.
        id: IncidentId,
        /// The public text.
        text: String,
    },
    /// `/incident escalate`.
    Escalate {
        /// The incident.
        id: IncidentId,
        /// Why.
        reason: String,
    },
    /// `/incident lead`.
    Lead {
        /// The incident.
        id: IncidentId,
        /// The member to hand it to; none: the actor takes it.
        to: Option<UserId>,
    },
    /// `/incident edit`.
    Edit {
        /// The incident.
        id: IncidentId,
        /// The new title.
        title: Option<String>,
        /// The new description.
        description: Option<String>,
    },
    /// `/incident snooze`.
    Snooze {
        /// The incident.
        id: IncidentId,
        /// When status updates resume.
        until: DateTime<Utc>,
        /// Why.
        reason: String,
    },
    /// `/incident link`.
    Link {
        /// The duplicate.
        id: IncidentId,
        /// The incident it duplicates.
        of: IncidentId,
    },
    /// `/incident reclassify`.
    Reclassify {
        /// The incident.
        id: IncidentId,
        /// The facts named or cleared (the others keep their value).
        change: FactsChange,
        /// Why (needed to lower a security incident, or after a missed target).
        reason: Option<String>,
    },
    /// `/incident override` (managers).
    Override {
        /// The incident.
        id: IncidentId,
        /// The priority to set.
        priority: PriorityId,
        /// Why.
        reason: String,
    },
    /// `/incident show`.
    Show {
        /// The incident.
        id: IncidentId,
    },
    /// `/incident timeline`.
    Timeline {
        /// The incident.
        id: IncidentId,
    },
    /// `/incident list`.
    List {
        /// Only this agreement's incidents.
        agreement: Option<AgreementId>,
        /// Which incidents.
        scope: ListScope,
        /// Which page, from 1.
        page: u32,
        /// Only cases of this type (`None`: every type).
        case_type: Option<String>,
    },
    /// `/sla explain`.
    Explain {
        /// The agreement to explain.
        agreement: AgreementId,
        /// Only this priority.
        priority: Option<PriorityId>,
    },
    /// `/meeting point add`.
    PointAdd {
        /// The agreement; none: the only one configured.
        agreement: Option<AgreementId>,
        /// The point as typed.
        text: String,
        /// Who owns it.
        owner: Option<UserId>,
        /// When it is due; none: the next meeting.
        due: Option<DateTime<Utc>>,
    },
    /// `/meeting point done`.
    PointDone {
        /// The agreement; none: the only one configured.
        agreement: Option<AgreementId>,
        /// The point's number.
        id: i64,
    },
    /// `/meeting points`.
    Points {
        /// The agreement; none: the only one configured.
        agreement: Option<AgreementId>,
    },
    ReportWeekly {
        /// The agreement; none: the only one configured.
        agreement: Option<AgreementId>,
        /// The week; none: last week.
        week: Option<crate::domain::period::Period>,
    },
    /// `/maintenance announce`.
    MaintenanceAnnounce {
        /// The agreement; none: the only one configured.
        agreement: Option<AgreementId>,
        /// The service; none: the agreement's main service.
        service: Option<String>,
        /// The kind; none: the first that fits.
        kind: Option<String>,
        start: DateTime<Utc>,
        duration: chrono::Duration,
        /// What is done, as typed.
        description: String,
        /// A manager's reason to record a window that breaks the rules.
        reason: Option<String>,
    },
    /// `/maintenance list`.
    MaintenanceList {
        /// The agreement; none: the only one configured.
        agreement: Option<AgreementId>,
    },
    /// `/maintenance cancel`.
    MaintenanceCancel {
        /// The agreement; none: the only one configured.
        agreement: Option<AgreementId>,
        /// The window's number.
        id: i64,
    },
}

impl Command {
    /// Which kind of command it is (as in its definition).
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::Open { .. } => CommandKind::Open,
            Command::Preview { .. } => CommandKind::Preview,
            Command::Ack { .. } => CommandKind::Ack,
            Command::Update { .. } => CommandKind::Update,
            Command::Resolve { .. } => CommandKind::Resolve,
            Command::Reopen { .. } => CommandKind::Reopen,
            Command::Close { .. } => CommandKind::Close,
            Command::Waive { .. } => CommandKind::Waive,
            Command::FollowUpDone { .. } => CommandKind::FollowUpDone,
            Command::Escalate { .. } => CommandKind::Escalate,
            Command::Lead { .. } => CommandKind::Lead,
            Command::Edit { .. } => CommandKind::Edit,
            Command::Snooze { .. } => CommandKind::Snooze,
            Command::Link { .. } => CommandKind::Link,
            Command::Outage { .. } => CommandKind::Outage,
            Command::Publish { .. } => CommandKind::Publish,
            Command::Reclassify { .. } => CommandKind::Reclassify,
            Command::Override { .. } => CommandKind::Override,
            Command::Show { .. } => CommandKind::Show,
            Command::Timeline { .. } => CommandKind::Timeline,
            Command::List { .. } => CommandKind::List,
            Command::Explain { .. } => CommandKind::Explain,
            Command::PointAdd { .. } => CommandKind::PointAdd,
            Command::PointDone { .. } => CommandKind::PointDone,
            Command::Points { .. } => CommandKind::Points,
            Command::ReportWeekly { .. } => CommandKind::ReportWeekly,
            Command::MaintenanceAnnounce { .. } => CommandKind::MaintenanceAnnounce,
            Command::MaintenanceList { .. } => CommandKind::MaintenanceList,
            Command::MaintenanceCancel { .. } => CommandKind::MaintenanceCancel,
        }
    }

    /// The incident it acts on, for commands on one incident.
    pub fn incident(&self) -> Option<&IncidentId> {
        match self {
            Command::Ack { id }
            | Command::Update { id, .. }
            | Command::Resolve { id, .. }
            | Command::Reopen { id, .. }
            | Command::Close { id }
            | Command::Waive { id, .. }
            | Command::FollowUpDone { id, .. }
            | Command::Escalate { id, .. }
            | Command::Lead { id, .. }
            | Command::Edit { id, .. }
            | Command::Snooze { id, .. }
            | Command::Link { id, .. }
            | Command::Outage { id, .. }
            | Command::Publish { id, .. }
            | Command::Reclassify { id, .. }
            | Command::Override { id, .. }
            | Command::Show { id }
            | Command::Timeline { id } => Some(id),
            Command::Open { .. }
            | Command::Preview { .. }
            | Command::List { .. }
            | Command::Explain { .. }
            | Command::PointAdd { .. }
            | Command::PointDone { .. }
            | Command::Points { .. }
            | Command::ReportWeekly { .. }
            | Command::MaintenanceAnnounce { .. }
            | Command::MaintenanceList { .. }
            | Command::MaintenanceCancel { .. } => None,
        }
    }

    /// The agreement it names directly (`agreement:`), if any.
    pub fn agreement(&self) -> Option<&AgreementId> {
        match self {
            Command::Open { agreement, .. }
            | Command::Preview { agreement, .. }
            | Command::Explain { agreement, .. } => Some(agreement),
            Command::List { agreement, .. }
            | Command::PointAdd { agreement, .. }
            | Command::PointDone { agreement, .. }
            | Command::Points { agreement }
            | Command::ReportWeekly { agreement, .. }
            | Command::MaintenanceAnnounce { agreement, .. }
            | Command::MaintenanceList { agreement }
            | Command::MaintenanceCancel { agreement, .. } => agreement.as_ref(),
            _ => None,
        }
    }
}

/// Validates `inv` against its definition and builds the command. Local times (`at:`) are
/// read in `tz`. Errors: unknown command or option, an option given twice, a required option
/// missing or empty, a wrong type, a choice not in the list, a text too long or with control
/// characters, a malformed id, percentage or time.
pub fn parse(inv: &Invocation, tz: Tz) -> Result<Command, CommandError> {
    parse_zoned(inv, tz, &|_| None)
}

/// Like [`parse`], but a local time is read in the time zone `zone` gives for the command's
/// agreement (as the console does: `at:` is the agreement's local time), and in `tz` when
/// `zone` gives none or the command names no agreement.
pub fn parse_zoned(
    inv: &Invocation,
    tz: Tz,
    zone: &dyn Fn(&AgreementId) -> Option<Tz>,
) -> Result<Command, CommandError> {
    let def = defs::find(&inv.group, &inv.name).ok_or_else(|| CommandError::UnknownCommand {
        group: shown(&inv.group),
        name: shown(&inv.name),
    })?;
    let mut vals = Values { def, vals: Vec::new() };
    let mut seen: Vec<&'static str> = Vec::new();
    for (name, raw) in &inv.options {
        let opt = def.option(name).ok_or_else(|| CommandError::UnknownOption {
            option: shown(name),
            command: def.path(),
        })?;
        if seen.contains(&opt.name) {
            return Err(CommandError::Duplicate {
                option: opt.name.into(),
            });
        }
        seen.push(opt.name);
        if let Some(v) = check(def, opt, raw)? {
            vals.vals.push((opt.name, v));
        }
    }
    if let Some(o) = def
        .options
        .iter()
        .find(|o| o.required && !vals.vals.iter().any(|(n, _)| *n == o.name))
    {
        return Err(vals.missing(o.name));
    }
    vals.build(tz, zone)
}

/// An option's value after checking it against its kind.
#[derive(Debug)]
enum Value {
    /// Texts, ids and not-yet-resolved times: trimmed, checked.
    Text(String),
    Bool(bool),
    Number(f64),
    Choice(&'static str),
    Incident(IncidentId),
    Count(i64),
}

fn given(raw: &RawValue) -> String {
    match raw {
        RawValue::Text(s) => format!("\"{}\"", shown(s)),
        RawValue::Bool(b) => b.to_string(),
        RawValue::Number(n) => n.to_string(),
    }
}

/// Checks one value; `Ok(None)` for an optional text given empty (as if not given).
fn check(def: &CommandDef, opt: &OptionDef, raw: &RawValue) -> Result<Option<Value>, CommandError> {
    let c = Check { def, opt, raw };
    match opt.kind {
        OptionKind::Bool => c.bool(),
        OptionKind::Percent => c.percent(),
        OptionKind::Choice(choices) => c.choice(choices),
        OptionKind::Text { max_chars, multiline } => c.text(max_chars, multiline),
        OptionKind::Service => c.text(super::defs::SERVICE_MAX_CHARS, false),
        OptionKind::IncidentId => c.incident_id(),
        OptionKind::Count => c.count(),
        OptionKind::Agreement
        | OptionKind::Impact
        | OptionKind::CaseType
        | OptionKind::CaseClass
        | OptionKind::Priority
        | OptionKind::Instant
        | OptionKind::Period
        | OptionKind::Member
        | OptionKind::Duration => c.word(),
    }
}

/// One value being checked against its option, by the option's kind.
struct Check<'a> {
    def: &'a CommandDef,
    opt: &'a OptionDef,
    raw: &'a RawValue,
}

impl Check<'_> {
    fn option(&self) -> String {
        self.opt.name.to_string()
    }

    fn wrong(&self, expected: &'static str) -> CommandError {
        CommandError::WrongType {
            option: self.option(),
            expected,
            given: given(self.raw),
        }
    }

    fn empty(&self) -> CommandError {
        CommandError::Empty {
            option: self.option(),
            usage: self.def.usage(),
        }
    }

    /// The trimmed text, refused when empty; `expected` when the value is not text.
    fn nonempty_text(&self, expected: &'static str) -> Result<&str, CommandError> {
        let RawValue::Text(s) = self.raw else {
            return Err(self.wrong(expected));
        };
        let t = s.trim();
        if t.is_empty() {
            return Err(self.empty());
        }
        Ok(t)
    }

    fn bool(&self) -> Result<Option<Value>, CommandError> {
        match self.raw {
            RawValue::Bool(b) => Ok(Some(Value::Bool(*b))),
            // Exactly the two words the error names (as Discord's boolean and the CLI's flags).
            RawValue::Text(s) => match s.trim() {
                "" => Err(self.empty()),
                "true" => Ok(Some(Value::Bool(true))),
                "false" => Ok(Some(Value::Bool(false))),
                _ => Err(self.wrong("true or false")),
            },
            RawValue::Number(_) => Err(self.wrong("true or false")),
        }
    }

    fn percent(&self) -> Result<Option<Value>, CommandError> {
        let (n, text) = match self.raw {
            RawValue::Number(n) => (Some(*n), n.to_string()),
            RawValue::Text(s) => {
                let t = s.trim();
                if t.is_empty() {
                    return Err(self.empty());
                }
                (
                    t.strip_suffix('%').unwrap_or(t).trim_end().parse::<f64>().ok(),
                    t.to_string(),
                )
            }
            RawValue::Bool(_) => return Err(self.wrong("a percentage")),
        };
        match n {
            Some(n) if n.is_finite() && (0.0..=100.0).contains(&n) => Ok(Some(Value::Number(n))),
            _ => Err(CommandError::NotAPercent {
                option: self.option(),
                value: shown(&text),
            }),
        }
    }

    fn choice(&self, choices: &'static [&'static str]) -> Result<Option<Value>, CommandError> {
        let t = self.nonempty_text("one of the choices")?;
        choices
            .iter()
            .find(|c| **c == t)
            .map(|c| Some(Value::Choice(c)))
            .ok_or_else(|| CommandError::NotAChoice {
                option: self.option(),
                value: shown(t),
                choices: choices.join(", "),
            })
    }

    fn text(&self, max_chars: usize, multiline: bool) -> Result<Option<Value>, CommandError> {
        let RawValue::Text(s) = self.raw else {
            return Err(self.wrong("text"));
        };
        let t = s.trim();
        if t.is_empty() {
            return if self.opt.required { Err(self.empty()) } else { Ok(None) };
        }
        checked_text(self.opt, t, max_chars, multiline).map(|t| Some(Value::Text(t.to_string())))
    }

    fn incident_id(&self) -> Result<Option<Value>, CommandError> {
        let t = self.nonempty_text("an incident id")?;
        let t = checked_text(self.opt, t, defs::ID_MAX_CHARS, false)?;
        IncidentId::parse(t)
            .map(|id| Some(Value::Incident(id)))
            .ok_or_else(|| CommandError::BadIncidentId {
                option: self.option(),
                value: shown(t),
            })
    }

    fn count(&self) -> Result<Option<Value>, CommandError> {
        let n = match self.raw {
            RawValue::Number(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= 9e15 => Some(*n as i64),
            RawValue::Text(s) => {
                let t = s.trim();
                if t.is_empty() {
                    return Err(self.empty());
                }
                t.strip_prefix('#').unwrap_or(t).parse::<i64>().ok().filter(|n| *n >= 1)
            }
            _ => None,
        };
        n.map(|n| Some(Value::Count(n)))
            .ok_or_else(|| self.wrong("a number like 12"))
    }

    /// An id, a time or a period: text within the kind's length.
    fn word(&self) -> Result<Option<Value>, CommandError> {
        let t = self.nonempty_text(if self.opt.kind == OptionKind::Instant {
            "a time"
        } else {
            "an id"
        })?;
        let max = self.opt.kind.max_chars().unwrap_or(defs::ID_MAX_CHARS);
        checked_text(self.opt, t, max, false).map(|t| Some(Value::Text(t.to_string())))
    }
}

/// Checks a trimmed text for unsafe characters (control characters, bidirectional controls,
/// zero-width characters: [`unsafe_char`]) and its length in characters. The one rule for
/// every text typed into any adapter.
fn checked_text<'a>(opt: &OptionDef, t: &'a str, max: usize, multiline: bool) -> Result<&'a str, CommandError> {
    check_typed(opt.name, t, multiline)?;
    let chars = t.chars().count();
    if chars > max {
        return Err(CommandError::TooLong {
            option: opt.name.into(),
            chars,
            max,
        });
    }
    Ok(t)
}

/// Refuses text holding a control character (a line break too unless `multiline`), a
/// bidirectional control or a zero-width character, naming `option` and the character.
pub fn check_typed(option: &str, t: &str, multiline: bool) -> Result<(), CommandError> {
    for c in t.chars() {
        match unsafe_char(c) {
            None => {}
            Some(Unsafe::Control) if multiline && c == '\n' => {}
            Some(Unsafe::Control) => {
                return Err(CommandError::ControlCharacter { option: option.into() });
            }
            Some(kind) => {
                return Err(CommandError::InvisibleCharacter {
                    option: option.into(),
                    found: c,
                    kind,
                });
            }
        }
    }
    Ok(())
}

/// The checked values of one invocation, taken out as the command is built.
struct Values {
    def: &'static CommandDef,
    vals: Vec<(&'static str, Value)>,
}

impl Values {
    fn missing(&self, name: &str) -> CommandError {
        CommandError::Missing {
            option: name.into(),
            usage: self.def.usage(),
        }
    }

    fn take(&mut self, name: &str) -> Option<Value> {
        let i = self.vals.iter().position(|(n, _)| *n == name)?;
        Some(self.vals.remove(i).1)
    }

    fn text(&mut self, name: &str) -> Option<String> {
        match self.take(name) {
            Some(Value::Text(s)) => Some(s),
            _ => None,
        }
    }

    fn need_text(&mut self, name: &str) -> Result<String, CommandError> {
        self.text(name).ok_or_else(|| self.missing(name))
    }

    fn id(&mut self) -> Result<IncidentId, CommandError> {
        match self.take("id") {
            Some(Value::Incident(id)) => Ok(id),
            _ => Err(self.missing("id")),
        }
    }

    fn bool(&mut self, name: &str) -> bool {
        matches!(self.take(name), Some(Value::Bool(true)))
    }

    fn facts(&mut self) -> Result<Facts, CommandError> {
        let impact = self.need_text("impact")?;
        Ok(Facts {
            impact,
            ..self.case_facts()
        })
    }

    /// The facts of a case that is not an incident: whatever was given (the impact may be
    /// absent; the service refuses facts its type does not read).
    fn case_facts(&mut self) -> Facts {
        Facts {
            impact: self.text("impact").unwrap_or_default(),
            users_affected: match self.take("users") {
                Some(Value::Number(n)) => Some(n),
                _ => None,
            },
            security: self.bool("security"),
            workaround: self.bool("workaround"),
        }
    }

    /// The facts a reclassification names or clears; naming none is refused.
    fn facts_change(&mut self) -> Result<FactsChange, CommandError> {
        let flag = |v: Option<Value>| match v {
            Some(Value::Bool(b)) => Some(b),
            _ => None,
        };
        let change = FactsChange {
            impact: self.text("impact"),
            users_affected: match self.take("users") {
                Some(Value::Number(n)) => Some(n),
                _ => None,
            },
            security: flag(self.take("security")),
            workaround: flag(self.take("workaround")),
            clear: match self.take("clear") {
                Some(Value::Choice(c)) => Fact::ALL.into_iter().filter(|f| f.name() == c).collect(),
                _ => vec![],
            },
        };
        if change.is_empty() {
            return Err(CommandError::NoFact {
                usage: self.def.usage(),
            });
        }
        Ok(change)
    }

    /// The instant option `name` (RFC 3339, or local time in `tz`), if given.
    fn instant(&mut self, name: &str, tz: Tz) -> Result<Option<DateTime<Utc>>, CommandError> {
        self.text(name)
            .map(|s| {
                parse_instant(&s, tz).map_err(|cause| CommandError::BadInstant {
                    option: name.into(),
                    cause,
                })
            })
            .transpose()
    }

    /// The `scope` choice of `/incident list` (the default when not given).
    fn scope(&mut self) -> ListScope {
        match self.take("scope") {
            Some(Value::Choice(c)) => ListScope::from_choice(c).unwrap_or_default(),
            _ => ListScope::default(),
        }
    }

    /// The `week` option (an ISO week like `2026-W47`), if given.
    fn week(&mut self) -> Result<Option<crate::domain::period::Period>, CommandError> {
        use crate::domain::period::{IsoWeekSpec, Period};
        self.text("week")
            .map(|w| {
                IsoWeekSpec::parse(&w)
                    .map(Period::Week)
                    .map_err(|_| CommandError::WrongType {
                        option: "week".into(),
                        expected: "an ISO week like 2026-W47",
                        given: format!("\"{}\"", shown(&w)),
                    })
            })
            .transpose()
    }

    fn build(mut self, tz: Tz, zone: &dyn Fn(&AgreementId) -> Option<Tz>) -> Result<Command, CommandError> {
        let cmd = match self.def.kind {
            CommandKind::Open => {
                let case_type = self.text("type");
                let incident = case_type
                    .as_deref()
                    .is_none_or(|t| t == crate::domain::case_type::INCIDENT);
                Command::Open {
                    agreement: AgreementId::new(self.need_text("agreement")?),
                    title: self.need_text("title")?,
                    description: self.text("description").unwrap_or_default(),
                    // An incident needs its impact; another case type is classified by its
                    // class (an impact given to it is refused by the service).
                    facts: if incident { self.facts()? } else { self.case_facts() },
                    service: self.text("service"),
                    case_type,
                    class: self.text("class"),
                }
            }
            CommandKind::Preview => {
                let agreement = AgreementId::new(self.need_text("agreement")?);
                let at = self.instant("at", zone(&agreement).unwrap_or(tz))?;
                Command::Preview {
                    agreement,
                    facts: self.facts()?,
                    at,
                }
            }
            CommandKind::Ack => Command::Ack { id: self.id()? },
            // Naming nothing is the incident's refusal.
            CommandKind::Update => Command::Update {
                id: self.id()?,
                note: self.text("note").unwrap_or_default(),
                fields: StatusFields {
                    area: self.text("area"),
                    affected: self.text("affected"),
                    cause: self.text("cause"),
                    eta: self.instant("eta", tz)?,
                },
            },
            CommandKind::Resolve => Command::Resolve {
                id: self.id()?,
                how: if self.bool("workaround") {
                    Resolution::Workaround
                } else {
                    Resolution::Fix
                },
                note: self.text("note"),
            },
            CommandKind::Reopen => Command::Reopen {
                id: self.id()?,
                reason: self.need_text("reason")?,
            },
            CommandKind::Close => Command::Close { id: self.id()? },
            CommandKind::Waive => Command::Waive {
                id: self.id()?,
                follow_up: self.need_text("follow_up")?,
                reason: self.need_text("reason")?,
            },
            CommandKind::FollowUpDone => Command::FollowUpDone {
                id: self.id()?,
                follow_up: self.need_text("follow_up")?,
            },
            CommandKind::Escalate => Command::Escalate {
                id: self.id()?,
                reason: self.need_text("reason")?,
            },
            CommandKind::Lead => Command::Lead {
                id: self.id()?,
                to: self.text("to").map(UserId::new),
            },
            // Naming neither is the incident's refusal (it names both options).
            CommandKind::Edit => Command::Edit {
                id: self.id()?,
                title: self.text("title"),
                description: self.text("description"),
            },
            CommandKind::Snooze => Command::Snooze {
                id: self.id()?,
                until: self.instant("until", tz)?.ok_or_else(|| self.missing("until"))?,
                reason: self.need_text("reason")?,
            },
            CommandKind::Link => Command::Link {
                id: self.id()?,
                of: match self.take("of") {
                    Some(Value::Incident(of)) => of,
                    _ => return Err(self.missing("of")),
                },
            },
            CommandKind::Outage => Command::Outage {
                id: self.id()?,
                kind: match self.take("kind") {
                    Some(Value::Choice("degraded")) => crate::domain::incident::OutageKind::Degraded,
                    _ => crate::domain::incident::OutageKind::Full,
                },
                start: self.instant("start", tz)?,
                end: self.instant("end", tz)?,
                answering: match self.take("answering") {
                    Some(Value::Count(n)) => Some(u32::try_from(n).unwrap_or(u32::MAX)),
                    _ => None,
                },
            },
            CommandKind::Publish => Command::Publish {
                id: self.id()?,
                text: self.need_text("text")?,
            },
            CommandKind::Reclassify => Command::Reclassify {
                id: self.id()?,
                change: self.facts_change()?,
                reason: self.text("reason"),
            },
            CommandKind::Override => Command::Override {
                id: self.id()?,
                priority: PriorityId::new(self.need_text("priority")?),
                reason: self.need_text("reason")?,
            },
            CommandKind::Show => Command::Show { id: self.id()? },
            CommandKind::Timeline => Command::Timeline { id: self.id()? },
            CommandKind::List => Command::List {
                agreement: self.text("agreement").map(AgreementId::new),
                scope: self.scope(),
                page: match self.take("page") {
                    Some(Value::Count(n)) => u32::try_from(n).unwrap_or(u32::MAX).max(1),
                    _ => 1,
                },
                case_type: self.text("type"),
            },
            CommandKind::Explain => Command::Explain {
                agreement: AgreementId::new(self.need_text("agreement")?),
                priority: self.text("priority").map(PriorityId::new),
            },
            CommandKind::PointAdd => {
                let agreement = self.text("agreement").map(AgreementId::new);
                let due = self.instant("due", agreement.as_ref().and_then(zone).unwrap_or(tz))?;
                Command::PointAdd {
                    agreement,
                    text: self.need_text("text")?,
                    owner: self.text("owner").map(UserId::new),
                    due,
                }
            }
            CommandKind::PointDone => Command::PointDone {
                agreement: self.text("agreement").map(AgreementId::new),
                id: match self.take("point") {
                    Some(Value::Count(n)) => n,
                    _ => return Err(self.missing("point")),
                },
            },
            CommandKind::Points => Command::Points {
                agreement: self.text("agreement").map(AgreementId::new),
            },
            CommandKind::ReportWeekly => Command::ReportWeekly {
                agreement: self.text("agreement").map(AgreementId::new),
                week: self.week()?,
            },
            CommandKind::MaintenanceAnnounce => {
                let agreement = self.text("agreement").map(AgreementId::new);
                let start = self
                    .instant("start", agreement.as_ref().and_then(zone).unwrap_or(tz))?
                    .ok_or_else(|| self.missing("start"))?;
                let duration = self.need_text("duration")?;
                let duration = crate::domain::time::parse_duration(&duration).map_err(|_| CommandError::WrongType {
                    option: "duration".into(),
                    expected: "a duration like 2h, 90m or 4h30m",
                    given: format!("\"{}\"", shown(&duration)),
                })?;
                Command::MaintenanceAnnounce {
                    agreement,
                    service: self.text("service"),
                    kind: self.text("kind"),
                    start,
                    duration,
                    description: self.need_text("description")?,
                    reason: self.text("reason"),
                }
            }
            CommandKind::MaintenanceList => Command::MaintenanceList {
                agreement: self.text("agreement").map(AgreementId::new),
            },
            CommandKind::MaintenanceCancel => Command::MaintenanceCancel {
                agreement: self.text("agreement").map(AgreementId::new),
                id: match self.take("window") {
                    Some(Value::Count(n)) => n,
                    _ => return Err(self.missing("window")),
                },
            },
        };
        debug_assert!(
            self.vals.is_empty(),
            "{}: options checked but not used: {:?}",
            self.def.path(),
            self.vals
        );
        Ok(cmd)
    }
}
