//! vakt — a chat-ops escalation bot for Nordic public-sector service agreements.
//!
//! Layout, from the inside out. A module may use those listed before it and never one after
//! it; the adapters (`storage`, `scheduler`, `console`, `discord`, `ops`, `hooks`, `calendar`,
//! `webhooks`, `cli`) never use each other, and only [`app`] (with `main.rs`) wires them. `tests/it/architecture.rs` fails on any arrow
//! against this order and on any cycle between files.
//! - [`domain`]: pure and synchronous — ids, time, periods, calendars, schedules, business
//!   clocks, agreements, classification (reasons as data), the incident (private state,
//!   transitions, outcomes, what an agreement change does to it, its plan fingerprint), job
//!   planning and one module per job kind ([`domain::jobs`]: spec, pure firing, what it
//!   announces), meetings and duties ([`domain::duty`]), the report engine
//!   ([`domain::report`]) and report revisions. Time is always an argument; no wording.
//! - [`agreements`]: loads and validates agreement files into domain types, with
//!   `file:line:column` errors, a file per section of the format.
//! - [`service`]: use cases and permission policy over ports ([`service::ports`]: the store by
//!   concern, chat, clock, leader lock), errors by kind ([`service::error`]: the person's
//!   mistake or a failure), views, typed notices ([`service::notice`]), the job runner and a
//!   handler per kind ([`service::jobs`]), reports and meeting points.
//! - [`commands`]: one definition per chat command, shared by every adapter, its parsing,
//!   and the one executor ([`commands::exec`]) that returns typed replies.
//! - [`render`]: every word vakt writes, for what the domain and service hand out as data —
//!   notices, replies, incident views, agreement summaries, timelines, reasons, reports —
//!   looked up by key ([`render::Msg`]) and shaped by the adapter's [`render::Style`] (times,
//!   people, defusing, limits, locale).
//! - [`config`]: `vakt.toml`, checked section by section; knows no adapter type.
//! - Adapters: [`storage`] (the store ports and the leader lock on SQLite and PostgreSQL,
//!   sharing row mapping and common statements), [`scheduler`] (the durable job runner),
//!   [`console`] (the terminal chat), [`discord`] (the `Chat` port, application commands,
//!   one interaction dispatcher over the gateway or the signed HTTP endpoint), [`ops`] (the
//!   health and metrics endpoint), [`hooks`] (alert intake from monitoring, served on the
//!   operations listener), [`calendar`] (each agreement's iCalendar feed, served on the
//!   operations listener), [`status`] (each agreement's public status page and its Atom
//!   feed, served on the operations listener), [`webhooks`] (notices signed and posted to the
//!   configured webhook targets) and [`cli`] (the one-shot commands).
//! - [`app`]: the composition root and the one start-up sequence.

pub mod agreements;
pub mod app;
pub mod calendar;
pub mod cli;
pub mod commands;
pub mod config;
pub mod console;
pub mod discord;
pub mod domain;
pub mod hooks;
pub mod ops;
pub mod render;
pub mod scheduler;
pub mod service;
pub mod status;
pub mod storage;
pub mod webhooks;
