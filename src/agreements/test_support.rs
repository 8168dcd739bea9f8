//! Helpers shared by unit tests across the crate: the shipped agreements, loaded once, times,
//! and incidents opened under them. Lives with the loader, so the domain names nothing above it.

use super::{Catalog, load_dir};
use crate::domain::agreement::Agreement;
use crate::domain::classify::Facts;
use crate::domain::incident::{Incident, NewIncident};
use chrono::{DateTime, Utc};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// The shipped agreements, loaded once per test binary.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("agreements")).expect("the shipped agreements load")
    })
}

/// One shipped agreement.
pub fn agreement(id: &str) -> &'static Arc<Agreement> {
    catalog().get(id).expect("a shipped agreement")
}

/// Agreement `id` parsed from TOML `text` (as if from `id.toml`) against the built-in
/// calendars, for synthetic agreements; panics with the loader's errors when it does not
/// validate.
pub fn from_toml(id: &str, text: &str) -> Agreement {
    let cals = super::load_calendars(None).expect("the built-in calendars");
    super::parse_agreement(Path::new(&format!("{id}.toml")), text, &cals).unwrap_or_else(|e| panic!("{e}"))
}

/// The shipped file of agreement `id`, as text (to build a synthetic agreement from).
pub fn shipped_text(id: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("agreements")
        .join(format!("{id}.toml"));
    std::fs::read_to_string(path).expect("a shipped agreement file")
}

/// An RFC 3339 instant.
pub fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("RFC 3339").with_timezone(&Utc)
}

/// An incident of `agreement_id` with impact `impact`, reported at `at` (RFC 3339).
pub fn open(agreement_id: &str, id: &str, impact: &str, at: &str) -> Incident {
    let new = NewIncident {
        title: "test".into(),
        description: String::new(),
        reporter: "rita".into(),
        facts: Facts {
            impact: impact.into(),
            ..Facts::default()
        },
        service: None,
        reported_at: t(at),
    };
    Incident::open(agreement(agreement_id), id.into(), new)
        .expect("opens")
        .0
}

/// SSBTEK priority 1, reported Friday 2026-11-20 16:30 (the 20th: the critical period).
pub fn ssbtek_p1() -> Incident {
    open("ssbtek", "SSB-2026-0001", "1", "2026-11-20T16:30:00+01:00")
}

/// Borger.dk P1 (unavailable), reported at `at`.
pub fn borger_p1(at: &str) -> Incident {
    open("borger-dk", "BDK-2026-0001", "unavailable", at)
}
