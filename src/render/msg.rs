//! Messages by key: every sentence and word the notices, replies and incident views use is a
//! [`Msg`], looked up in the [`Locale`] of the adapter's style and filled with named
//! arguments (`{head}`, `{late}`, …). Each key is written once, with its English text and its
//! Norwegian (bokmål), Danish and Swedish texts beside it:
//!
//! ```text
//! Key => "english {arg}"
//!     nb "norsk {arg}"
//!     da "dansk {arg}"
//!     sv "svenska {arg}",
//! ```
//!
//! A key written with its English text only is a translation still owed: it renders in English
//! and the test of every table fails on it. Another table of the same shape (another area's
//! keys) is declared with the same [`messages!`] macro.

use crate::domain::incident::{Milestone, Resolution};
use std::fmt::Display;

/// A language vakt writes in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Norwegian, bokmål.
    Nb,
    /// Danish.
    Da,
    /// Swedish.
    Sv,
}

impl Locale {
    /// Every locale, English first.
    pub const ALL: [Locale; 4] = [Locale::En, Locale::Nb, Locale::Da, Locale::Sv];

    /// The language's code as agreement files, `vakt.toml` and `VAKT_LANGUAGE` write it.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Nb => "nb",
            Locale::Da => "da",
            Locale::Sv => "sv",
        }
    }

    /// The locale of a code (`en`, `nb`, `da`, `sv`; `no` is taken as `nb`), if it is one.
    pub fn from_code(code: &str) -> Option<Locale> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Locale::En),
            "nb" | "no" => Some(Locale::Nb),
            "da" => Some(Locale::Da),
            "sv" => Some(Locale::Sv),
            _ => None,
        }
    }
}

/// A key of any messages table: its text in a locale, placeholders unfilled.
pub trait Key: Copy {
    /// The text in `locale` (English where a translation is owed).
    fn text(self, locale: Locale) -> &'static str;
}

/// Declares a table of messages: an enum of keys, each documented by its English text, with
/// `ALL` (every key in table order), `english()` and `translated(locale)` (the text in that
/// locale, `None` where the translation is still owed).
#[macro_export]
macro_rules! messages {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($key:ident => $en:literal $(nb $nb:literal da $da:literal sv $sv:literal)?,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $name {
            $(#[doc = $en] $key,)*
        }

        impl $name {
            /// Every message, in table order (for checking each locale's table).
            pub const ALL: &'static [$name] = &[$($name::$key,)*];

            /// The English text.
            pub fn english(self) -> &'static str {
                match self {
                    $($name::$key => $en,)*
                }
            }

            /// The text in `locale`, placeholders unfilled; `None` where a translation is owed.
            pub fn translated(self, locale: $crate::render::msg::Locale) -> Option<&'static str> {
                use $crate::render::msg::Locale;
                match locale {
                    Locale::En => Some(self.english()),
                    #[allow(unreachable_patterns)]
                    _ => match self {
                        $($name::$key => $crate::messages!(@pick locale $(, $nb, $da, $sv)?),)*
                    },
                }
            }

            /// The text in `locale` (English where a translation is owed, which a test forbids).
            pub fn text(self, locale: $crate::render::msg::Locale) -> &'static str {
                self.translated(locale).unwrap_or_else(|| self.english())
            }
        }

        impl $crate::render::msg::Key for $name {
            fn text(self, locale: $crate::render::msg::Locale) -> &'static str {
                $name::text(self, locale)
            }
        }
    };
    (@pick $locale:ident) => { None };
    (@pick $locale:ident, $nb:literal, $da:literal, $sv:literal) => {
        match $locale {
            $crate::render::msg::Locale::Nb => Some($nb),
            $crate::render::msg::Locale::Da => Some($da),
            $crate::render::msg::Locale::Sv => Some($sv),
            $crate::render::msg::Locale::En => None,
        }
    };
}

messages! {
    /// A message or word of the notices, replies, views and cards, by key.
    pub enum Msg {
    // Words.
    Response => "response"
        nb "respons"
        da "respons"
        sv "svar",
    Resolution => "resolution"
        nb "løsning"
        da "løsning"
        sv "lösning",
    Fix => "fix",
    Workaround => "workaround",
    None => "none",
    NoneYet => "none yet",
    Responders => "responders",
    // Parts of notices.
    Head => "{id} [{priority}] {title}",
    Late => " (late: was due {at})",
    By => " by {actor}",
    Colon => ": {text}",
    // Notices.
    Opened => "🆕 {head} — opened by {actor}, priority {priority} {name}{late}",
    Warning => "⚠\u{fe0f} {head}: {percent} % of the {milestone} time used — due {due}{left}{late}",
    WarningLeft => ", {left}",
    Breached => "⛔ {head}: the {milestone} target was breached{at} — escalated to level {level}: {level_name} (clause {clause}){passed}{late}",
    BreachedAt => " at {at}",
    PassedOne => "; level {level} fell due while vakt was down",
    PassedMany => "; levels {levels} fell due while vakt was down",
    EscalatedByHand => "🚨 {head}: escalated by hand{who} to level {level}: {level_name}{why}{late}",
    Repage => "📟 {head}: still not acknowledged — paging level {level}: {level_name} again ({page} of {limit}){late}",
    RepageClimb => "📟 {head}: still not acknowledged after {limit} pages — climbing to level {level}: {level_name}{late}",
    Notification => "🚨 {head}: {what}{late}",
    NotificationClause => "🚨 {head}: {what} (clause {clause}){late}",
    FollowUp => "📌 {head}: due now — {what}{late}",
    FollowUpSoon => "📌 {head}: due {due} — {what}{late}",
    Status => "📣 Status update {seq} — {head} is {state}{late}",
    StatusDue => "\n{milestone}: due {deadline}",
    StatusNote => "\nLatest update: {note}",
    StatusManagers => "\n{count} reminders in a row went unanswered — managers, please look in; the reminders after this one ping nobody.",
    StatusReminder => "\nReminder: no update from a person since {since} — {lead}, please post one.",
    Acknowledged => "👀 {head}: acknowledged by {actor}{late}",
    Updated => "📝 {head}: update from {actor}: {note}{late}",
    PriorityChanged => "↕\u{fe0f} {head}: priority {from} → {to} {name}{how}{late}",
    PrioritySetBy => ", set by {actor}: {reason}",
    PriorityByRulesAfter => ", by the agreement's rules after new facts from {actor}",
    PriorityByRules => ", by the agreement's rules",
    Resolved => "✅ {head}: resolved ({how}) by {actor}{note}{late}",
    Reopened => "↺ {head}: reopened by {actor}: {reason}{late}",
    Closed => "■ {head}: closed by {actor}{late}",
    Edited => "✏\u{fe0f} {head}: {actor} edited the {what}{late}",
    EditedTitleWas => "title (was \"{before}\")",
    EditedDescription => "description",
    EditedBoth => "title (was \"{before}\") and the description",
    MarkedDuplicate => "🔗 {head}: marked a duplicate of {of} by {actor}; resolved, its clocks stopped — follow {of}{late}",
    Snoozed => "💤 {head}: status updates snoozed by {actor} until {until}: {reason} (deadlines and escalations go on){late}",
    LeadTaken => "🧭 {head}: {actor} took the lead{from}{late}",
    LeadGiven => "🧭 {head}: {actor} handed the lead to {to}{from}{late}",
    LeadFrom => " (was {from})",
    AgreementChanged => "📄 {head}: the agreement changed; deadlines recomputed from the original clock start — response {response_before} → {response}, resolution {resolution_before} → {resolution}{late}",
    MaintenanceBefore => "🛠\u{fe0f} Maintenance window #{id} on {service} ({kind}) starts {start} and is announced to end {end}: {description}{late}",
    MaintenanceEnd => "🛠\u{fe0f} Maintenance window #{id} on {service} ({kind}) should have ended {end}: if the service is still down, that time counts as downtime{late}",
    // Calendar feed entries.
    CalendarName => "{agreement}: maintenance, meetings and reports",
    CalendarMaintenance => "Maintenance: {service} ({kind})",
    CalendarMaintenanceCancelled => "Cancelled maintenance: {service} ({kind})",
    CalendarMeeting => "{meeting} ({agreement})",
    CalendarMonthlyReport => "Monthly report for {period} due ({agreement})",
    CalendarAnnualReport => "Annual report for {year} due ({agreement})",
    Recurring => "🗓\u{fe0f} {what}{late}",
    LateReport => "(late: was due {at})\n",
    Meeting => "📅 {agreement}: meeting \"{meeting}\" {when}{late}\n",
    MeetingPoints => "Open follow-up points (comments are due before the meeting):\n",
    MeetingPoint => "• {point}\n",
    MeetingOpen => "Open incidents now:\n",
    MeetingOpenIncident => "• {head} — {state}\n",
    MeetingNothingOpen => "Open incidents now: nothing open\n",
    Agenda => "Agenda:\n",
    // Time left and deadlines.
    BusinessLeft => "{time} business time left",
    OverdueBusiness => "overdue by {time} business time",
    Pending => "pending",
    Met => "met",
    MetOnTime => "met on time",
    MetLate => "met late by {time} business time",
    MetLateBoth => "met late by {business} business time, {wall} wall time",
    Breach => "breached",
    BreachedOverdue => "breached, overdue by {time} business time",
    NoTarget => "no target",
    Deadline => "{when} — {outcome}",
    // Incidents: list line, view.
    ListLine => "{id} [{priority}] {title} — {state}{flag}{next}",
    Breaching => " ⛔ breaching now",
    MissedTarget => " ⛔ missed",
    ListNext => "; {milestone}: {time} business time left",
    Under => " under {priority} {name}",
    ViewHead => "{id} [{priority} {name}] {title} — {state}",
    ViewReported => "\n    reported {at} by {reporter}; lead: {lead}",
    ViewRemoved => "\n    agreement {removed}",
    ViewNoTarget => "\n    {label}: no target",
    ViewDue => "\n    {label} due {at} ({state})",
    ViewOverride => "\n    priority set by {by}: {reason}",
    ViewWhy => "\n    why: {reason}",
    ViewNote => "\n    latest note: {note}",
    ViewDuplicate => "\n    duplicate of {of}",
    ViewService => "\n    service: {service}",
    ViewDescription => "\n    description: {description}",
    // Timeline events.
    TlOpened => "opened \"{title}\"{service}{description}",
    TlOpenedService => " on service {service}",
    TlOpenedDescription => ": {description}",
    TlClassified => "classified {priority}{timing}: {reasons}",
    TlTiming => " (timing {timing})",
    TlDeadlinesSet => "deadlines set: response {response}, resolution {resolution}",
    TlDeadlinesRecomputed => "deadlines recomputed from the original clock start: response {response}, resolution {resolution}",
    TlAcknowledged => "acknowledged",
    TlUpdate => "update: {note}",
    TlOutage => "marked as a {kind} outage of its service, from {start} to {end}",
    OutageFull => "full",
    OutageDegraded => "degraded (available with disturbance)",
    OutageFromOpening => "the report",
    OutageToResolution => "the resolution",
    ReplyOutage => "outage recorded: {id} — {kind}, from {start} to {end}",
    TlStatusPosted => "status update {seq} posted",
    TlStatusPostedReminded => "status update {seq} posted, with a reminder to post an update",
    TlFacts => "facts changed: {facts}",
    TlFactsFromTo => "facts changed: {before} → {after}{reason}",
    TlFactsReason => " (reason: {reason})",
    FactImpact => "impact {impact}",
    FactUsers => "users {users} %",
    FactSecurity => "security",
    FactWorkaround => "workaround",
    TlPriority => "priority {from} → {to}: {reason}",
    TlPriorityOverride => "priority {from} → {to} (override): {reason}",
    TlEscalated => "escalated to level {level}: {name}{after}{manual}",
    TlAfterBreach => " after the {milestone} breach",
    TlByHand => " by hand: {reason}",
    TlWarning => "warning: {percent} % of the {milestone} time used",
    TlRepaged => "not acknowledged: level {level} paged again ({page})",
    TlFollowUp => "follow-up {id} due",
    TlFollowUpWhat => "follow-up {id} due: {what}",
    TlResolved => "resolved ({how}){note}",
    TlReopened => "reopened: {reason}",
    TlMetOnTime => "{milestone} met on time (due {due})",
    TlMetLate => "{milestone} met late by {late} wall time (due {due})",
    TlBreached => "{milestone} target breached (due {due})",
    TlClosed => "closed",
    TlFollowUpWaived => "follow-up {id} waived: {reason}",
    TlFollowUpDone => "follow-up {id} done",
    TlFollowUpSoon => "follow-up {id} announced, due {due}",
    TlSnoozed => "status updates snoozed until {until}: {reason}",
    TlStatusFields => "update: {fields}",
    FieldArea => "impact area: {value}",
    FieldAffected => "affected: {value}",
    FieldCause => "cause: {value}",
    FieldEta => "expected resolution: {value}",
    StatusField => "\n{field} (given {age} ago)",
    ViewField => "\n    {field} (given {at})",
    TlLead => "lead: {from} → {to}",
    TlEditedTitle => "title edited: \"{before}\" → \"{after}\"",
    TlEditedDescription => "description edited; it was: \"{before}\"",
    TlDuplicate => "marked a duplicate of {of}",
    // Follow-up points.
    Point => "#{id} {text} (due {due}{owner}){state}",
    PointOwner => ", owner {owner}",
    PointDone => " — done {at} by {by}",
    // Agreements (`/sla explain`).
    ExplainHead => "  ↳ {name} ({id}), times in {tz}",
    ExplainPriority => "\n    {id} {name} — {description}",
    ExplainResponse => "\n      response {target}",
    ExplainResolution => "\n      resolution {target}",
    Within => "within {duration} business time on {schedule} (clause {clause})",
    NoTargetWhy => "no target ({why})",
    Ladder => "\n    escalation ladder (clause {clause}):",
    LadderLevel => "\n      {n}. {name} ({role})",
    ExplainHoursHead => "\n    service hours (business time counts only while open):",
    ExplainHours => "\n      {schedule}: {hours} (clause {clause})",
    ExplainMatrix => "\n    priority = impact × timing (clause {clause}), impacts {impacts}:",
    ExplainMatrixRow => "\n      timing {timing}: {cells}",
    ExplainRules => "\n    rules tried before the matrix, first match wins (clause {clause}):",
    ExplainRule => "\n      {n}. {when} → {priority}",
    ExplainMeetings => "\n    meetings:",
    ExplainMeeting => "\n      {name}: {when} (clause {clause})",
    ExplainNotifications => "\n    notifications on opening:",
    ExplainNotification => "\n      priorities {priorities}: {what} → {whom} (clause {clause})",
    ExplainRepaging => "\n    re-paging while nobody acknowledges, priorities {priorities}: every {every} in {schedule} hours, {limit} times a level, then the next level (clause {clause})",
    ExplainServices => "\n    services:",
    ExplainService => "\n      {id} — {name}{main}: operating time {hours} (clause {clause})",
    ExplainServiceMain => " (main)",
    ExplainReadiness => "\n        readiness (every clock runs on it): {schedule}: {hours}",
    ExplainAvailability => "\n        availability {target}",
    ExplainMaintenance => "\n        maintenance {rule}",
    ExplainGoals => "\n    compliance goals (clause {clause}): response {response}; resolution {resolution}",
    // The incident card.
    CardTitle => "{id} — {title}",
    ThreadName => "{id} {title}",
    CardFooter => "Agreement {agreement} · vakt",
    CardPriority => "Priority",
    CardPriorityValue => "{priority} {name}",
    CardReason => "\n· {reason}",
    CardState => "State",
    CardLead => "Lead",
    CardEscalation => "Escalation",
    NotEscalated => "not escalated",
    Level => "level {level}",
    CardResponse => "Response",
    CardResolution => "Resolution",
    CardAgreement => "Agreement",
    AgreementRemoved => "{agreement} (or its priority {priority}) is no longer loaded: deadlines as stored, no business time",
    CardLatest => "Latest update",
    CardService => "Service",
    CardDescription => "Description",
    ButtonAcknowledge => "Acknowledge",
    ButtonUpdate => "Post update",
    ButtonResolve => "Resolve",
    ButtonEscalate => "Escalate",
    // Refusals and forms (Discord interactions).
    Refused => "✗ {why}",
    Forbidden => "✗ You may not {action}: it needs one of the roles {roles}. Ask a manager to give you one.",
    InternalError => "vakt could not do this because of an internal error (logged).",
    InternalErrorRetry => "✗ vakt could not do this because of an internal error (logged). Try again in a moment.",
    UnknownInteraction => "✗ vakt does not handle this kind of interaction.",
    NeedsIncident => "{command} needs {option}: — give the incident id, or use the command in the incident's thread",
    UnknownButton => "this button is not one of vakt's (or is too old to use)",
    ClosedCard => "✗ {id} is closed; this card's buttons no longer do anything. /incident reopen works only on resolved incidents.",
    NotAButton => "this is not a button; submit the form instead",
    UnknownForm => "this form is not one of vakt's",
    DirectMessage => "use vakt's commands in the server, not in a direct message",
    UpdateTitle => "Post an update to {id}",
    UpdateNote => "What changed or what is known now",
    ResolveTitle => "Resolve {id}",
    ResolveSummary => "Summary: what was done",
    ResolveWorkaround => "By a workaround, not a fix? (yes/no)",
    // Replies.
    ReplyOpened => "opened {what}",
    ReplyPreview => "would be priority {priority}",
    ReplyClockStart => "clock start {at}",
    ReplyResponseDue => "response due {at}",
    ReplyResolutionDue => "resolution due {at}",
    ReplyNoTarget => "— (no target)",
    ReplyWhy => "why: {reason}",
    ReplyAcknowledged => "{id} acknowledged; lead: {lead}",
    ReplyEdited => "{id} edited",
    ReplyDuplicate => "{id} marked a duplicate of {of} and resolved",
    ReplySnoozed => "{id}: status updates snoozed until {until}",
    ReplyLead => "{id}: the lead is now {lead}",
    ReplyNoteAdded => "note added to {id}",
    ReplyResolved => "{id} resolved",
    ReplyReopened => "{id} reopened ({state})",
    ReplyClosed => "{id} closed",
    ReplyEscalated => "{id} escalated to level {level}{name}",
    ReplyWaived => "{id}: follow-up {follow_up} waived; it will not be posted",
    ReplyFollowUpDone => "{id}: follow-up {follow_up} marked done; it will not be announced again",
    ReplyReclassified => "reclassified {what}",
    ReplyOverridden => "priority set: {what}",
    ReplyTimeline => "timeline of {id}:",
    ReplyNoIncidents => "no incidents ({scope})",
    ReplyListPage => "page {page}",
    ReplyListMore => "page {page}; more on page:{next}",
    ReplyPointAdded => "follow-up point {point}",
    ReplyPointDone => "done: point {point}",
    ReplyNoPoints => "no open follow-up points ({agreement})",
    ReplyWindowAnnounced => "maintenance window {window}",
    ReplyWindowCancelled => "cancelled: maintenance window {window}",
    ReplyNoWindows => "no maintenance windows to come ({agreement})",
    MaintenanceWindowLine => "#{id} {service} ({kind}) {start} – {end}: {description}",
    MaintenanceWindowRecorded => " — recorded by a manager despite {breaches} (reason: {reason})",
    BreachNotice => "the notice (clause {clause})",
    BreachHours => "the hours (clause {clause})",
    BreachInside => "staying outside {schedule} (clause {clause})",
    BreachTooLong => "the length (clause {clause})",
    BreachYearFull => "the yearly count (clause {clause})",
    }
}

impl Locale {
    /// The text of `m` in this locale, placeholders unfilled.
    pub fn text(self, m: Msg) -> &'static str {
        m.text(self)
    }

    /// The word for a milestone.
    pub fn milestone(self, m: Milestone) -> &'static str {
        self.text(match m {
            Milestone::Response => Msg::Response,
            Milestone::Resolution => Msg::Resolution,
        })
    }

    /// The word for how an incident was resolved.
    pub fn resolution(self, r: &Resolution) -> &'static str {
        self.text(match r {
            Resolution::Fix => Msg::Fix,
            Resolution::Workaround => Msg::Workaround,
        })
    }
}

/// `template` with each `{name}` replaced by the argument of that name (a name without an
/// argument is left as it is written, which a test of every table catches).
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => {
                        let _ = write!(out, "{v}");
                    }
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(
            fill("{a} and {b}, {a} {c}", &[("a", &1), ("b", &"two")]),
            "1 and two, 1 {c}"
        );
        assert_eq!(fill("no braces", &[]), "no braces");
        assert_eq!(fill("open { end", &[]), "open { end");
    }

    #[test]
    fn every_placeholder_is_a_closed_name() {
        for m in Msg::ALL {
            let t = Locale::En.text(*m);
            let (open, close) = (t.matches('{').count(), t.matches('}').count());
            assert_eq!(open, close, "{m:?}: {t}");
            let mut rest = t;
            while let Some(i) = rest.find('{') {
                let end = rest[i..].find('}').map(|e| i + e);
                let name = end.map(|e| &rest[i + 1..e]).unwrap_or_default();
                assert!(
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                    "{m:?}: {t}"
                );
                rest = &rest[end.unwrap_or(rest.len() - 1) + 1..];
            }
        }
    }

    /// The names of the placeholders in `t`, sorted, each once.
    fn placeholders(t: &str) -> Vec<&str> {
        let mut names = Vec::new();
        let mut rest = t;
        while let Some(i) = rest.find('{') {
            let Some(e) = rest[i..].find('}') else { break };
            names.push(&rest[i + 1..i + e]);
            rest = &rest[i + e + 1..];
        }
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Every key of `all` has a text in every locale, with the English text's placeholders.
    pub(crate) fn check_table<M: Copy + std::fmt::Debug>(all: &[M], text: impl Fn(M, Locale) -> Option<&'static str>) {
        let mut owed = Vec::new();
        for m in all {
            let en = text(*m, Locale::En).unwrap_or_default();
            for l in Locale::ALL {
                match text(*m, l) {
                    None => owed.push(format!("{m:?} ({})", l.code())),
                    Some(t) => assert_eq!(
                        placeholders(t),
                        placeholders(en),
                        "{m:?} in {}: {t:?} has other placeholders than {en:?}",
                        l.code()
                    ),
                }
            }
        }
        assert!(owed.is_empty(), "translations owed: {}", owed.join(", "));
    }

    #[test]
    #[ignore = "the nb/da/sv tables are being written (issue 18, part 6)"]
    fn every_message_exists_in_every_language() {
        check_table(Msg::ALL, |m, l| m.translated(l));
    }

    #[test]
    fn codes_round_trip() {
        for l in Locale::ALL {
            assert_eq!(Locale::from_code(l.code()), Some(l));
        }
        assert_eq!(Locale::from_code("NO"), Some(Locale::Nb));
        assert_eq!(Locale::from_code("fi"), None);
    }

    #[test]
    fn one_word_per_milestone() {
        assert_eq!(Locale::En.milestone(Milestone::Response), "response");
        assert_eq!(Locale::En.milestone(Milestone::Resolution), "resolution");
        assert_eq!(Locale::Sv.milestone(Milestone::Response), "svar");
    }
}
