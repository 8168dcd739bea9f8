//! What a user typed wrong. Every message names the option and, where there is one, the
//! limit, so an adapter can show it as it is.

use crate::domain::text::Unsafe;

/// A user's mistake in a command: the command is not run. Values echoed in a message are
/// shortened and have control characters escaped (see [`shown`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CommandError {
    /// A `"` on the console line was never closed.
    #[error("unclosed quote")]
    UnclosedQuote,
    /// `/incident` alone, without a command after it.
    #[error("/{group} needs a command: {commands} — /help lists them")]
    MissingCommand {
        /// The group typed.
        group: String,
        /// The group's command names, `|` separated.
        commands: String,
    },
    /// No such command in the group.
    #[error("unknown command \"/{group} {name}\" — /help lists them")]
    UnknownCommand {
        /// The group typed.
        group: String,
        /// The command typed (shown).
        name: String,
    },
    /// An option the command does not have.
    #[error("unknown option {option}: for {command}")]
    UnknownOption {
        /// The option typed (shown).
        option: String,
        /// The command, `/incident ack`.
        command: String,
    },
    /// The same option twice (on the console, also the bare id and `id:` together).
    #[error("option {option}: given twice")]
    Duplicate { option: String },
    /// A required option was not given.
    #[error("missing option {option}: — usage: {usage}")]
    Missing {
        option: String,
        /// The command's usage line.
        usage: String,
    },
    /// A reclassification that names no fact to change or clear.
    #[error("name a fact to change (impact:, users:, security:, workaround:) or to clear (clear:) — usage: {usage}")]
    NoFact {
        /// The command's usage line.
        usage: String,
    },
    /// A value that is empty (or only whitespace) where one is needed.
    #[error("{option}: must not be empty — usage: {usage}")]
    Empty {
        option: String,
        /// The command's usage line.
        usage: String,
    },
    /// A text longer than the option allows, counted in characters after trimming.
    #[error("{option}: {chars} characters, at most {max}")]
    TooLong {
        option: String,
        /// Characters given.
        chars: usize,
        /// Characters allowed.
        max: usize,
    },
    /// A control character in a text (in multiline texts only `\n` is allowed).
    #[error("{option}: control characters are not allowed")]
    ControlCharacter { option: String },
    /// A bidirectional control or zero-width character in a text: invisible, it changes how
    /// the text around it reads (and it could make one name look like another).
    #[error("{option}: {} ({}) is not allowed — type the text without it", code_point(*.found), invisible(*.kind))]
    InvisibleCharacter {
        option: String,
        /// The character found (the first).
        found: char,
        /// Which kind it is.
        kind: Unsafe,
    },
    /// A value of the wrong type: text for a yes/no option, a number for a text.
    #[error("{option}: expected {expected}, not {given}")]
    WrongType {
        option: String,
        /// What the option takes (`true or false`).
        expected: &'static str,
        /// What was given, as shown to the user (`"maybe"`, `3`).
        given: String,
    },
    /// A value not in the option's list of choices.
    #[error("{option}: \"{value}\" is not one of {choices}")]
    NotAChoice {
        option: String,
        /// The value given (shown).
        value: String,
        /// The choices, comma separated.
        choices: String,
    },
    /// Not a number, or a number outside 0–100.
    #[error("{option}: \"{value}\" is not a percentage from 0 to 100")]
    NotAPercent {
        option: String,
        /// The value given (shown).
        value: String,
    },
    /// Not an incident id.
    #[error("{option}: \"{value}\" is not an incident id like SSB-2026-0001")]
    BadIncidentId {
        option: String,
        /// The value given (shown).
        value: String,
    },
    /// Not a time the parser understands.
    #[error("{option}: {cause}")]
    BadInstant {
        option: String,
        /// What is wrong and what is expected.
        cause: crate::domain::time::InstantSyntax,
    },
    /// A bare word the command has no place for (a second id, a stray word).
    #[error("unexpected \"{word}\" — usage: {usage}")]
    Unexpected {
        /// The word (shown).
        word: String,
        /// The command's usage line.
        usage: String,
    },
}

/// `c`'s code point as people write it: `U+202E`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

fn invisible(kind: Unsafe) -> &'static str {
    match kind {
        Unsafe::Bidi => "an invisible bidirectional control",
        Unsafe::ZeroWidth => "an invisible zero-width character",
        Unsafe::Control => "a control character",
    }
}

/// Most characters of a user's value echoed in an error message.
const SHOWN_MAX_CHARS: usize = 40;

/// A user's value as echoed in an error: control characters, bidirectional controls and
/// zero-width characters escaped (`\n`, `\u{7}`, `\u{202e}`) and
/// cut to 40 characters with `…`, so a message stays one short line.
pub fn shown(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == SHOWN_MAX_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else if crate::domain::text::unsafe_char(c).is_some() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}
