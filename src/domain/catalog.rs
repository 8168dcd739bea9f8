//! The catalogue of loaded agreements and the calendars they use: what the service looks
//! agreements up in. Loading and validating files is the `agreements` module's job.

use super::agreement::Agreement;
use super::calendar::Calendar;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The loaded agreements of a directory, by id.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Agreements in id order.
    pub agreements: Vec<Arc<Agreement>>,
    /// Calendars available to them.
    pub calendars: BTreeMap<String, Arc<Calendar>>,
}

impl Catalog {
    /// The agreement with this id.
    pub fn get(&self, id: &str) -> Option<&Arc<Agreement>> {
        self.agreements.iter().find(|a| a.id == id)
    }

    /// The agreement as incident (or case) `inc` sees it: its agreement for an incident, the
    /// view of its case type for another case; `None` when either is no longer loaded.
    pub fn for_incident(&self, inc: &super::incident::Incident) -> Option<&Arc<Agreement>> {
        self.get(inc.agreement())
            .and_then(|a| Agreement::view_for(a, inc.case_type()))
    }

    /// The ids, comma separated (for error messages).
    pub fn ids(&self) -> String {
        self.agreements
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
