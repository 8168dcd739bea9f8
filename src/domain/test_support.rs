//! Helpers shared by the domain's unit tests: the shipped agreements, loaded once, and times.

use super::agreement::Agreement;
use crate::agreements::{Catalog, load_dir};
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

/// An RFC 3339 instant.
pub fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("RFC 3339").with_timezone(&Utc)
}
