//! The command layer: one definition per chat command, shared by every chat adapter, and the
//! parsing of what a user typed into a typed, validated [`Command`].
//!
//! This module owns:
//! - the definitions ([`defs`]): each command's group, name, aliases, help, options (name,
//!   kind, limit, required) and whether only managers may run it. The console parses from
//!   them, and the Discord adapter registers its slash commands from them, so names, options
//!   and help cannot drift apart;
//! - the limits on what users type (title ≤ 200 characters, description, note and reason
//!   ≤ 1500, counted in characters, not bytes; no control characters, bidirectional
//!   controls or zero-width characters: [`check_typed`], the one rule for every adapter);
//! - the adapter-neutral [`Invocation`] (`/group name` plus raw option values, as the console
//!   or Discord received them) and [`parse`] from it to a [`Command`];
//! - the console's line syntax ([`tokenize`], [`parse_console_line`]), and the usage and
//!   `/help` text generated from the definitions ([`CommandDef::usage`], [`help_text`]);
//! - [`CommandError`], a user's mistake with a message naming the option and the limit.
//!
//! It is pure and synchronous: it never calls the service, reads the clock or looks ids up
//! (whether an agreement, impact or incident exists is the service's answer), except
//! [`exec`], the one executor every adapter runs a parsed command through. Console-only words (`/clock`, `/as`, `/help`,
//! `/quit`, `/agreements`) are not commands here: [`parse_console_line`] returns `Ok(None)`
//! for them.

mod command;
pub mod defs;
mod error;
pub mod exec;
mod line;

pub use command::{Command, Invocation, ListScope, RawValue, check_typed, parse, parse_zoned};
pub use defs::{CommandDef, CommandKind, GroupDef, OptionDef, OptionKind, all, find, groups, help_text, is_group};
pub use error::{CommandError, shown};
pub use line::{Token, parse_console_line, tokenize};

#[cfg(test)]
mod tests;
