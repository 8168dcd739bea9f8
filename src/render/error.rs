//! Refusals in words: what the service, the incident's rules, classification and report
//! periods refuse ([`UserError`] and the domain errors it carries), and what the command
//! parser refuses ([`CommandError`]), as the person who asked reads it, in the style's locale. The errors carry data; their `Display` is for logs only.

use super::msg::{Key, Locale, fill};
use super::style::{Form, Style};
use super::words::commands::CommandMsg;
use super::words::errors::{ErrorMsg, ErrorWord};
use super::words::weekday;
use crate::commands::CommandError;
use crate::domain::classify::ClassifyError;
use crate::domain::clock::ClockError;
use crate::domain::incident::IncidentError;
use crate::domain::maintenance::Breach;
use crate::domain::report::PeriodError;
use crate::domain::text::Unsafe;
use crate::domain::time::{MAX_YEAR, MIN_YEAR};
use crate::service::Action;
use crate::service::error::UserError;

/// `m` in `locale`, filled.
fn say(locale: Locale, m: impl Key, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    fill(m.text(locale), args)
}

/// A person's mistake, as they read it (typed values quoted as given; the adapter defuses
/// the whole as it defuses any reply).
pub fn user_error(e: &UserError, style: &Style) -> String {
    let l = style.locale;
    match e {
        UserError::Forbidden { action: a, roles } => say(
            l,
            ErrorMsg::Forbidden,
            &[("action", &action(l, *a)), ("roles", &roles.join(", "))],
        ),
        UserError::UnknownAgreement(id) => say(l, ErrorMsg::UnknownAgreement, &[("id", id)]),
        UserError::UnknownService { service, known } => {
            say(l, ErrorMsg::UnknownService, &[("service", service), ("known", known)])
        }
        UserError::NoMaintenanceRules(service) => say(l, ErrorMsg::NoMaintenanceRules, &[("service", service)]),
        UserError::UnknownMaintenanceKind { kind, known } => {
            say(l, ErrorMsg::UnknownMaintenanceKind, &[("kind", kind), ("known", known)])
        }
        UserError::BadWindow => ErrorMsg::BadWindow.text(l).to_string(),
        UserError::WindowBreaks { breaches, tz } => {
            let rules: Vec<String> = breaches.iter().map(|b| breach(b, &style.in_zone(*tz))).collect();
            say(l, ErrorMsg::WindowBreaks, &[("rules", &rules.join("; "))])
        }
        UserError::UnknownWindow(id) => say(l, ErrorMsg::UnknownWindow, &[("id", id)]),
        UserError::NotFound(id) => say(l, ErrorMsg::NotFound, &[("id", id)]),
        UserError::Incident(e) => incident_error(e, l),
        UserError::Classify(e) => classify_error(e, l),
        UserError::BadPeriod(e) => period_error(e, l),
        UserError::NoPointsMeeting(id) => say(l, ErrorMsg::NoPointsMeeting, &[("id", id)]),
        UserError::UnknownPoint(id) => say(l, ErrorMsg::UnknownPoint, &[("id", id)]),
        UserError::EmptyPoint => ErrorMsg::EmptyPoint.text(l).to_string(),
        UserError::PointDueInPast => ErrorMsg::PointDueInPast.text(l).to_string(),
        UserError::AgreementNeeded => ErrorMsg::AgreementNeeded.text(l).to_string(),
        UserError::Conflict(id) => say(l, ErrorMsg::Conflict, &[("id", id)]),
        UserError::UnknownCaseType { case_type, known } => say(
            l,
            ErrorMsg::UnknownCaseType,
            &[("case_type", case_type), ("known", known)],
        ),
        UserError::ClassNeeded { case_type, known } => {
            say(l, ErrorMsg::ClassNeeded, &[("case_type", case_type), ("known", known)])
        }
        UserError::EmptyPublicText => ErrorMsg::EmptyPublicText.text(l).to_string(),
        UserError::Degraded(crate::domain::incident::DegradedError::AnsweringNeeded { service, min, clause }) => say(
            l,
            ErrorMsg::AnsweringNeeded,
            &[("service", service), ("min", min), ("clause", clause)],
        ),
        UserError::Degraded(crate::domain::incident::DegradedError::AnsweringNotDefined { service }) => {
            say(l, ErrorMsg::AnsweringNotDefined, &[("service", service)])
        }
    }
}

/// What a person may not do, as "you may not …" continues (`acknowledge incidents`).
pub fn action(l: Locale, a: Action) -> &'static str {
    use ErrorWord as W;
    match a {
        Action::Open => W::ActOpen,
        Action::Acknowledge => W::ActAcknowledge,
        Action::Update => W::ActUpdate,
        Action::Reclassify => W::ActReclassify,
        Action::Override => W::ActOverride,
        Action::Escalate => W::ActEscalate,
        Action::Lead => W::ActLead,
        Action::Edit => W::ActEdit,
        Action::Snooze => W::ActSnooze,
        Action::Link => W::ActLink,
        Action::Resolve => W::ActResolve,
        Action::Reopen => W::ActReopen,
        Action::Close => W::ActClose,
        Action::Waive => W::ActWaive,
        Action::CompleteFollowUp => W::ActCompleteFollowUp,
        Action::AddPoint => W::ActAddPoint,
        Action::CompletePoint => W::ActCompletePoint,
        Action::AnnounceWindow => W::ActAnnounceWindow,
        Action::RecordBreakingWindow => W::ActRecordBreakingWindow,
        Action::CancelWindow => W::ActCancelWindow,
        Action::MarkOutage => W::ActMarkOutage,
        Action::EditOutage => W::ActEditOutage,
        Action::Publish => W::ActPublish,
    }
    .text(l)
}

/// One rule a maintenance window breaks, naming its clause; times in the style's zone.
pub fn breach(b: &Breach, style: &Style) -> String {
    let l = style.locale;
    match b {
        Breach::Notice {
            notice,
            schedule,
            earliest,
            clause,
        } => {
            let counted = schedule
                .as_ref()
                .map_or(String::new(), |s| say(l, ErrorMsg::BreachCountedOn, &[("schedule", s)]));
            say(
                l,
                ErrorMsg::BreachNotice,
                &[
                    ("clause", clause),
                    ("notice", notice),
                    ("counted", &counted),
                    ("earliest", &style.at(*earliest, Form::Long)),
                ],
            )
        }
        Breach::Hours { days, window, clause } => {
            let days: Vec<&str> = crate::domain::time::WeekdaySet(*days)
                .iter()
                .map(|d| weekday(l, d))
                .collect();
            say(
                l,
                ErrorMsg::BreachHours,
                &[("clause", clause), ("window", window), ("days", &days.join(", "))],
            )
        }
        Breach::Inside { schedule, clause } => {
            say(l, ErrorMsg::BreachInside, &[("clause", clause), ("schedule", schedule)])
        }
        Breach::TooLong { max, clause } => say(l, ErrorMsg::BreachTooLong, &[("clause", clause), ("max", max)]),
        Breach::YearFull { max, year, clause } => say(
            l,
            ErrorMsg::BreachYearFull,
            &[("clause", clause), ("max", max), ("year", year)],
        ),
    }
}

/// A word the domain names by its English text (`"the title"`, `"acknowledge"`), in `l`;
/// a word not known here stays as the domain wrote it.
fn domain_word(l: Locale, english: &'static str) -> &'static str {
    ErrorWord::ALL
        .iter()
        .find(|w| w.english() == english)
        .map_or(english, |w| w.text(l))
}

/// What an incident's rules refused.
pub fn incident_error(e: &IncidentError, l: Locale) -> String {
    match e {
        IncidentError::IllegalTransition { action, state: s } => say(
            l,
            ErrorMsg::IllegalTransition,
            &[("action", &domain_word(l, action)), ("state", &l.state(*s))],
        ),
        IncidentError::Classify(e) => classify_error(e, l),
        IncidentError::UnknownPriority { priority, known } => say(
            l,
            ErrorMsg::UnknownPriority,
            &[("priority", priority), ("known", known)],
        ),
        IncidentError::OutageEndsBeforeStart => ErrorMsg::OutageEndsBeforeStart.text(l).to_string(),
        IncidentError::Empty(what) => say(l, ErrorMsg::Empty, &[("what", &domain_word(l, what))]),
        IncidentError::Unchanged(what) => say(l, ErrorMsg::Unchanged, &[("what", &domain_word(l, what))]),
        IncidentError::NeedsManager { from, to } => say(l, ErrorMsg::NeedsManager, &[("from", from), ("to", to)]),
        IncidentError::SecurityNeedsManager { from, to } => {
            say(l, ErrorMsg::SecurityNeedsManager, &[("from", from), ("to", to)])
        }
        IncidentError::LoweringNeedsReason { from, to } => {
            say(l, ErrorMsg::LoweringNeedsReason, &[("from", from), ("to", to)])
        }
        IncidentError::UnknownFollowUp { id, known } => {
            say(l, ErrorMsg::UnknownFollowUp, &[("id", id), ("known", known)])
        }
        IncidentError::AlreadyPosted(id) => say(l, ErrorMsg::AlreadyPosted, &[("id", id)]),
        IncidentError::FollowUpSettled { id, how } => {
            let m = if *how == "waived" {
                ErrorMsg::FollowUpWaivedAlready
            } else {
                ErrorMsg::FollowUpDoneAlready
            };
            say(l, m, &[("id", id)])
        }
        IncidentError::NothingToEdit => ErrorMsg::NothingToEdit.text(l).to_string(),
        IncidentError::SnoozeInThePast => ErrorMsg::SnoozeInThePast.text(l).to_string(),
        IncidentError::SnoozeNeedsManager => ErrorMsg::SnoozeNeedsManager.text(l).to_string(),
        IncidentError::DuplicateOfItself => ErrorMsg::DuplicateOfItself.text(l).to_string(),
        IncidentError::TopOfLadder { level } => say(l, ErrorMsg::TopOfLadder, &[("level", level)]),
    }
}

/// Why the facts did not classify.
pub fn classify_error(e: &ClassifyError, l: Locale) -> String {
    match e {
        ClassifyError::UnknownImpact { impact, known } => {
            say(l, ErrorMsg::UnknownImpact, &[("impact", impact), ("known", known)])
        }
        ClassifyError::BadShare(share) => say(l, ErrorMsg::BadShare, &[("share", share)]),
        ClassifyError::FactNotUsed { fact, agreement } => {
            say(l, ErrorMsg::FactNotUsed, &[("fact", fact), ("agreement", agreement)])
        }
        ClassifyError::NoMatch => ErrorMsg::NoMatch.text(l).to_string(),
        ClassifyError::UnknownPriority(p) => say(l, ErrorMsg::UnknownPriorityId, &[("priority", p)]),
        ClassifyError::UnknownSchedule(s) => say(l, ErrorMsg::UnknownSchedule, &[("schedule", s)]),
        ClassifyError::Clock(ClockError::OutOfRange) => {
            say(l, ErrorMsg::OutOfRange, &[("min", &MIN_YEAR), ("max", &MAX_YEAR)])
        }
        ClassifyError::Clock(ClockError::NeverOpens) => say(l, ErrorMsg::NeverOpens, &[("max", &MAX_YEAR)]),
    }
}

/// Why a report period did not parse.
pub fn period_error(e: &PeriodError, l: Locale) -> String {
    match e {
        PeriodError::Syntax { given, expected } => say(
            l,
            ErrorMsg::PeriodSyntax,
            &[("given", given), ("expected", &domain_word(l, expected))],
        ),
        PeriodError::NoSuch(given) => say(
            l,
            ErrorMsg::PeriodNoSuch,
            &[("given", given), ("min", &MIN_YEAR), ("max", &MAX_YEAR)],
        ),
    }
}

/// What a command typed wrong refuses, in `l` (option names and usage lines as typed).
pub fn command_error(e: &CommandError, l: Locale) -> String {
    use CommandMsg as C;
    match e {
        CommandError::UnclosedQuote => C::UnclosedQuote.text(l).to_string(),
        CommandError::MissingCommand { group, commands } => {
            say(l, C::MissingCommand, &[("group", group), ("commands", commands)])
        }
        CommandError::UnknownCommand { group, name } => say(l, C::UnknownCommand, &[("group", group), ("name", name)]),
        CommandError::UnknownOption { option, command } => {
            say(l, C::UnknownOption, &[("option", option), ("command", command)])
        }
        CommandError::Duplicate { option } => say(l, C::Duplicate, &[("option", option)]),
        CommandError::Missing { option, usage } => say(l, C::Missing, &[("option", option), ("usage", usage)]),
        CommandError::NoFact { usage } => say(l, C::NoFact, &[("usage", usage)]),
        CommandError::Empty { option, usage } => say(l, C::Empty, &[("option", option), ("usage", usage)]),
        CommandError::TooLong { option, chars, max } => {
            say(l, C::TooLong, &[("option", option), ("chars", chars), ("max", max)])
        }
        CommandError::ControlCharacter { option } => say(l, C::ControlCharacter, &[("option", option)]),
        CommandError::InvisibleCharacter { option, found, kind } => {
            let kind = match kind {
                Unsafe::Bidi => C::Bidi,
                Unsafe::ZeroWidth => C::ZeroWidth,
                Unsafe::Control => C::Control,
            };
            say(
                l,
                C::InvisibleCharacter,
                &[
                    ("option", option),
                    ("code", &format!("U+{:04X}", u32::from(*found))),
                    ("kind", &kind.text(l)),
                ],
            )
        }
        CommandError::WrongType {
            option,
            expected,
            given,
        } => {
            let expected = CommandMsg::ALL
                .iter()
                .find(|w| w.english() == *expected)
                .map_or(*expected, |w| w.text(l));
            say(
                l,
                C::WrongType,
                &[("option", option), ("expected", &expected), ("given", given)],
            )
        }
        CommandError::NotAChoice { option, value, choices } => say(
            l,
            C::NotAChoice,
            &[("option", option), ("value", value), ("choices", choices)],
        ),
        CommandError::NotAPercent { option, value } => say(l, C::NotAPercent, &[("option", option), ("value", value)]),
        CommandError::BadIncidentId { option, value } => {
            say(l, C::BadIncidentId, &[("option", option), ("value", value)])
        }
        CommandError::BadInstant { option, cause } => say(l, C::BadInstant, &[("option", option), ("given", &cause.0)]),
        CommandError::Unexpected { word, usage } => say(l, C::Unexpected, &[("word", word), ("usage", usage)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::incident::State;

    /// In English a command typed wrong reads as its `Display`; in the others, otherwise.
    #[test]
    fn english_parse_errors_read_as_their_display() {
        let errors = [
            CommandError::UnclosedQuote,
            CommandError::Missing {
                option: "id".into(),
                usage: "/incident ack id:ID".into(),
            },
            CommandError::InvisibleCharacter {
                option: "title".into(),
                found: '\u{202e}',
                kind: Unsafe::Bidi,
            },
            CommandError::WrongType {
                option: "security".into(),
                expected: "true or false",
                given: "\"maybe\"".into(),
            },
            CommandError::BadInstant {
                option: "until".into(),
                cause: crate::domain::time::InstantSyntax("soon".into()),
            },
            CommandError::TooLong {
                option: "title".into(),
                chars: 300,
                max: 200,
            },
        ];
        for e in &errors {
            assert_eq!(command_error(e, Locale::En), e.to_string());
            for l in [Locale::Nb, Locale::Da, Locale::Sv] {
                let t = command_error(e, l);
                assert_ne!(t, e.to_string(), "{e:?} in {}", l.code());
                assert!(!t.contains('{'), "{t}");
            }
        }
    }

    /// In English every refusal reads as its `Display` (what logs and the transcripts show).
    #[test]
    fn english_refusals_read_as_their_display() {
        let style = Style::plain(chrono_tz::Europe::Oslo);
        let errors = [
            UserError::Forbidden {
                action: Action::Lead,
                roles: vec!["responder".into(), "manager".into()],
            },
            UserError::UnknownService {
                service: "x".into(),
                known: "a, b".into(),
            },
            UserError::NotFound("SSB-2026-0001".into()),
            UserError::Conflict("SSB-2026-0001".into()),
            IncidentError::IllegalTransition {
                action: "change the lead of",
                state: State::Closed,
            }
            .into(),
            IncidentError::Empty("the title").into(),
            IncidentError::Unchanged("the priority").into(),
            IncidentError::FollowUpSettled {
                id: "feedback".into(),
                how: "waived",
            }
            .into(),
            IncidentError::TopOfLadder { level: 3 }.into(),
            ClassifyError::Clock(ClockError::NeverOpens).into(),
            ClassifyError::BadShare(120.0).into(),
            PeriodError::Syntax {
                given: "x".into(),
                expected: "week like 2026-W47",
            }
            .into(),
            PeriodError::NoSuch("2026-W54".into()).into(),
            UserError::WindowBreaks {
                breaches: vec![
                    Breach::Hours {
                        days: 0b0010001,
                        window: "22:00-06:00".into(),
                        clause: "4.6".into(),
                    },
                    Breach::YearFull {
                        max: 4,
                        year: 2026,
                        clause: "4.6.2".into(),
                    },
                ],
                tz: chrono_tz::Europe::Oslo,
            },
        ];
        let (breaks, rest) = errors.split_last().expect("errors");
        for e in rest {
            assert_eq!(user_error(e, &style), e.to_string());
        }
        assert_eq!(
            user_error(breaks, &style),
            "the window breaks the agreement: clause 4.6 allows windows only within 22:00-06:00 (local time), \
             starting on Mon, Fri; clause 4.6.2 allows at most 4 windows of this kind a year, and 2026 has 4 \
             already. Nothing was recorded; a manager may record it anyway with reason:\"…\""
        );
        for l in [Locale::Nb, Locale::Da, Locale::Sv] {
            let style = Style { locale: l, ..style };
            for e in &errors {
                let t = user_error(e, &style);
                assert_ne!(t, e.to_string(), "{e:?} in {}", l.code());
                assert!(!t.contains('{'), "{t}");
            }
        }
    }
}
