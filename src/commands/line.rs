//! The console's text syntax: `/group name [ID] key:value key:"quoted value" …`.
//!
//! - Words are separated by whitespace; `"…"` quotes a value with spaces, and inside quotes
//!   `\"` is a quote and `\\` a backslash (any other backslash is kept as it is).
//! - `'…'` quotes too, literally (no escapes), when it opens a word or a value
//!   (`title:'SHS down'`); an apostrophe inside a word (`Kari's`) is just a character.
//! - A word is an option when it starts with a key of `A-Z a-z 0-9 _ -` and a `:` before any
//!   quote: `title:"SHS down"` is the option `title`, `"a:b"` is the bare word `a:b`.
//! - The first bare word after the command fills the definition's positional option (the
//!   incident id); a second one is an error.

use super::command::{Command, Invocation, RawValue, parse};
use super::defs::{self, CommandDef};
use super::error::{CommandError, shown};
use chrono_tz::Tz;

/// One word of a console line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A bare word (`/incident`, `SSB-2026-0001`), quotes removed.
    Word(String),
    /// `key:value`, quotes removed from the value.
    Opt {
        /// The key before the first `:`.
        key: String,
        /// Everything after it (may be empty, may contain `:`).
        value: String,
    },
}

impl Token {
    /// The word as typed, quotes removed: `key:value` for an option. Adapter commands that
    /// take raw words (`/clock set 2026-11-20T08:00+01:00`) read this.
    pub fn text(&self) -> String {
        match self {
            Token::Word(w) => w.clone(),
            Token::Opt { key, value } => format!("{key}:{value}"),
        }
    }
}

fn is_key(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Splits a console line into words and `key:value` options. The only error is an unclosed
/// quote.
pub fn tokenize(line: &str) -> Result<Vec<Token>, CommandError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut key: Option<String> = None;
    let mut quoted = false;
    // Whether the token has begun (`""` is an empty token) and has had a quote.
    let mut any = false;
    let mut had_quote = false;
    let mut chars = line.chars().peekable();
    let finish = |cur: &mut String, key: &mut Option<String>, out: &mut Vec<Token>| {
        let value = std::mem::take(cur);
        out.push(match key.take() {
            Some(key) => Token::Opt { key, value },
            None => Token::Word(value),
        });
    };
    let mut single = false;
    while let Some(ch) = chars.next() {
        match ch {
            '\'' if single => single = false,
            '\'' if !quoted && (!any || (key.is_some() && cur.is_empty() && !had_quote)) => {
                single = true;
                any = true;
                had_quote = true;
            }
            c if single => cur.push(c),
            '"' => {
                quoted = !quoted;
                any = true;
                had_quote = true;
            }
            '\\' if quoted => match chars.peek() {
                Some(&c @ ('"' | '\\')) => {
                    cur.push(c);
                    chars.next();
                }
                _ => cur.push('\\'),
            },
            ':' if !quoted && !had_quote && key.is_none() && is_key(&cur) => {
                key = Some(std::mem::take(&mut cur));
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    finish(&mut cur, &mut key, &mut out);
                    any = false;
                    had_quote = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if quoted || single {
        return Err(CommandError::UnclosedQuote);
    }
    if any {
        finish(&mut cur, &mut key, &mut out);
    }
    Ok(out)
}

fn commands_of(group: &str) -> String {
    let names: Vec<&str> = defs::all()
        .iter()
        .filter(|c| c.group == group)
        .map(|c| c.name)
        .collect();
    names.join("|")
}

impl Invocation {
    /// The invocation a tokenized console line asks for: `Ok(None)` when the line is empty or
    /// its first word is not `/group` of a command-layer group (`/clock`, `/as`, `/help`,
    /// `/quit`, `/agreements` and unknown words are the console's own). Aliases are resolved
    /// to the command's name; the first bare word becomes the positional option. Errors: no
    /// command after the group, an unknown command, a bare word with no place.
    pub fn from_console_tokens(tokens: &[Token]) -> Result<Option<Invocation>, CommandError> {
        let Some((Token::Word(head), rest)) = tokens.split_first() else {
            return Ok(None);
        };
        let Some(group) = head.strip_prefix('/').filter(|g| defs::is_group(g)) else {
            return Ok(None);
        };
        let Some((Token::Word(name), rest)) = rest.split_first() else {
            return Err(CommandError::MissingCommand {
                group: group.into(),
                commands: commands_of(group),
            });
        };
        // A hyphenated command may be typed with a space: `/meeting point add` is
        // `/meeting point-add`.
        let (name, rest) = match rest.split_first() {
            Some((Token::Word(next), more)) if defs::find(group, name).is_none() => {
                let joined = format!("{name}-{next}");
                if defs::find(group, &joined).is_some() {
                    (joined, more)
                } else {
                    (name.clone(), rest)
                }
            }
            _ => (name.clone(), rest),
        };
        let name = &name;
        let def: &CommandDef = defs::find(group, name).ok_or_else(|| CommandError::UnknownCommand {
            group: group.into(),
            name: shown(name),
        })?;
        let mut inv = Invocation::new(def.group, def.name);
        let mut positional = def.positional;
        for t in rest {
            match t {
                Token::Opt { key, value } => inv.options.push((key.clone(), RawValue::Text(value.clone()))),
                Token::Word(w) => match positional.take() {
                    Some(p) => inv.options.push((p.into(), RawValue::Text(w.clone()))),
                    None => {
                        return Err(CommandError::Unexpected {
                            word: shown(w),
                            usage: def.usage(),
                        });
                    }
                },
            }
        }
        Ok(Some(inv))
    }
}

/// Parses a console line into a command: `Ok(None)` for a line that is not a command-layer
/// command (empty, or `/clock`, `/as`, `/help`, … — see [`Invocation::from_console_tokens`]),
/// which the console handles itself. Local times are read in `tz`; for the agreement's own
/// zone use [`tokenize`], [`Invocation::from_console_tokens`] and
/// [`super::parse_zoned`].
pub fn parse_console_line(line: &str, tz: Tz) -> Result<Option<Command>, CommandError> {
    let tokens = tokenize(line)?;
    match Invocation::from_console_tokens(&tokens)? {
        Some(inv) => parse(&inv, tz).map(Some),
        None => Ok(None),
    }
}
