//! All of vakt's wording: what the domain and service hand out as data, put into words for
//! every adapter, so the wording can change, or be translated, without a data migration and
//! without touching the adapters.
//!
//! - [`style`]: how an adapter writes instants, people, emphasis and emoji, which rules defuse
//!   typed text, the limit a message is paged at, and the locale ([`Style`]).
//! - [`msg`]: every message by key ([`Msg`]), looked up in the style's [`Locale`].
//! - [`text`]: the one defusing function, lengths in an adapter's unit, the one pager.
//! - [`notice`]: the words of every notice; [`reply`]: of every command reply;
//!   [`incident`]: an incident's list line, view and deadlines; [`point`]: a follow-up
//!   point; [`agreement`]: `/sla explain`; [`timeline`]: a timeline event;
//!   [`reason`](reason()): classification reasons; [`report`]: the reports; [`calendar`]:
//!   the calendar feed's entries.
//!
//! Renderers take the agreement when it is at hand, to show names next to ids (`1 Kritisk`
//! rather than `1`), and fall back to the ids alone when it is not.

pub mod agreement;
pub mod calendar;
pub mod case_type;
pub mod duration;
pub mod error;
pub mod incident;
pub mod msg;
pub mod notice;
pub mod point;
mod reason;
pub mod reply;
pub mod report;
pub mod status;
pub mod style;
pub mod text;
pub mod timeline;
pub mod words;

pub use msg::{Locale, Msg};
pub use reason::{change_reason, cited, cited_all, describe, reason};
pub use style::{Form, People, Style, Times};
