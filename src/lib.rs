//! vakt — a chat-ops escalation bot for Nordic public-sector service agreements.
//!
//! Layout (dependencies point inward):
//! - [`domain`]: pure and synchronous — calendars, schedules, business clocks, agreements,
//!   classification and deadlines. Time is always an argument.
//! - [`agreements`]: loads and validates agreement files into domain types, with
//!   `file:line:column` errors.
//! - [`commands`]: one definition per chat command, shared by every adapter, and its parsing.
//! - [`service`]: use cases and permission policy over ports (store, chat, clock).
//! - [`storage`]: the sqlx store, SQLite and PostgreSQL, each with its own migrations.
//! - [`scheduler`]: the durable job runner (claim with a lease, run via the service, retry).
//! - [`render`]: the English wording adapters share, for what the domain and service hand
//!   out as data (classification reasons).
//! - [`console`]: the terminal chat adapter; [`cli`]: the one-shot commands;
//!   [`config`]: `vakt.toml`; [`app`]: wiring.

#![warn(missing_docs)]

pub mod agreements;
pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod console;
pub mod domain;
pub mod render;
pub mod scheduler;
pub mod service;
pub mod storage;
