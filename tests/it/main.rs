//! vakt's integration tests, in one binary so that serenity, sqlx and plotters are linked once.
//!
//! One module per area; [`common`] is the shared harness (fake clock, recording chat, temporary
//! databases, the Discord fake). Tests that need PostgreSQL read `VAKT_TEST_POSTGRES_URL`.

mod agreement_cases;
mod architecture;
mod availability;
mod broken_agreements;
mod calendar;
mod case_types;
mod chaos;
mod cli;
mod clock_props;
mod common;
mod console;
mod deploy;
mod discord_inbound;
mod discord_outbound;
mod dst;
mod duties;
mod effects_once;
mod follow_ups;
mod holidays;
mod hooks;
mod lanes;
mod lifecycle;
mod logs;
mod maintenance;
mod no_wording;
mod ops;
mod record;
mod reports;
mod responder;
mod restart;
mod scale;
mod scheduler;
mod services;
mod status_page;
mod store_contract;
mod store_faults;
mod webhooks;
