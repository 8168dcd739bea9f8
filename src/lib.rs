//! vakt — a chat-ops escalation bot for Nordic public-sector service agreements.
//!
//! Layout (dependencies point inward):
//! - [`domain`]: pure and synchronous — ids, calendars, schedules, business clocks, agreements,
//!   classification (reasons as data), the incident (private state, transitions, outcomes),
//!   job planning and one module per job kind (its spec and pure firing, [`domain::jobs`]), meetings and when
//!   an agreement's duties fall due ([`domain::duty`]), the report engine ([`domain::report`]:
//!   weekly summary, monthly and annual SLA figures) and report revisions. Time is
//!   always an argument; no wording.
//! - [`agreements`]: loads and validates agreement files into domain types, with
//!   `file:line:column` errors.
//! - [`commands`]: one definition per chat command, shared by every adapter, its parsing,
//!   and the one executor ([`commands::exec`]) that returns typed replies.
//! - [`service`]: use cases and permission policy over ports (store, chat, clock), views,
//!   typed notices ([`service::notice`]), one handler per job kind ([`service::jobs`]), and
//!   reports and meeting points ([`service::reports`]).
//! - [`storage`]: the sqlx store behind the store ports (incidents, jobs, chat references,
//!   points, reports), SQLite and PostgreSQL, each with its own migrations, sharing their row
//!   mapping and common statements; and the gateway's leader lock ([`storage::leader`]).
//! - [`scheduler`]: the durable job runner (claim with a lease, run the kind's handler,
//!   retry, release on shutdown).
//! - [`render`]: all wording, for what the domain and service hand out as data — notices,
//!   replies, incident views, agreement summaries, timelines, reasons — one wording for every
//!   adapter, parameterised by the adapter's [`render::Style`] (times, people, limits, locale)
//!   and looked up by key ([`render::Msg`]); and the report renderers ([`render::report`]:
//!   Markdown, CSV, JSON, Discord-sized chunks, the PNG chart).
//! - [`discord`]: the Discord adapter — outbound the `Chat` port (cards, threads, exact
//!   pings); inbound application commands generated from [`commands::defs`], autocomplete,
//!   buttons and modals through one dispatcher ([`discord::interactions`]) over the gateway
//!   ([`discord::gateway`], held by one replica at a time through the `LeaderLock` port) or the
//!   signed HTTP endpoint ([`discord::serve`]).
//! - [`console`]: the terminal chat adapter (parse → execute → render); [`cli`]: the
//!   one-shot commands; [`config`]: `vakt.toml`; [`app`]: the composition root.

#![warn(missing_docs)]

pub mod agreements;
pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod console;
pub mod discord;
pub mod domain;
pub mod render;
pub mod scheduler;
pub mod service;
pub mod storage;
