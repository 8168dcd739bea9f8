//! vakt — a chat-ops escalation bot for Nordic public-sector service agreements.
//!
//! Layout (dependencies point inward):
//! - [`domain`]: pure and synchronous — calendars, schedules, business clocks, agreements,
//!   classification and deadlines. Time is always an argument.
//! - [`agreements`]: loads and validates agreement files into domain types, with
//!   `file:line:column` errors.
//! - [`cli`]: the `vakt` command line (checks, calendars, clocks, classification, batch mode).

pub mod agreements;
pub mod app;
pub mod cli;
pub mod config;
pub mod console;
pub mod domain;
pub mod scheduler;
pub mod service;
pub mod storage;
