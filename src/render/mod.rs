//! Text renderers shared by the adapters (console, CLI, later Discord): this module owns
//! the English wording of what the domain and service hand out as data, so the wording can
//! change, or be translated, without a data migration.
//!
//! Renderers take the agreement when it is at hand, to show names next to ids (`1 Kritisk`
//! rather than `1`), and fall back to the ids alone when it is not.

mod reason;
pub mod report;
pub mod timeline;

pub use reason::{change_reason, cited, describe, reason};
