//! The plan fingerprint: what an incident's plan was made from, hashed so that a changed
//! agreement file can be recognised at the next start.
//!
//! # Algorithm (version 2)
//! The basis of a plan is the part of the agreement it is made from, for the priority in
//! force: the response and resolution targets, the escalation ladder's roles in order, and
//! the status cadence. It is written as a [`BasisV2`] in compact JSON (serde_json; fields in
//! declaration order, no maps, durations in their agreement form such as `8h` or `3wd`,
//! minutes of the day as integers) and hashed with SHA-256. The fingerprint stored is `v2:`
//! followed by the 64 lowercase hex digits of the hash. Clause references, readings, notes
//! and names are not part of the basis: editing them changes no plan.
//!
//! # Earlier fingerprints
//! Versions before this one stored a `u64` from the standard library's `DefaultHasher` over
//! the `Debug` text of the targets, ladder and cadence, which the standard library does not
//! promise to keep stable. That computation stays here ([`legacy_plan_basis`]) only to
//! recognise such values: one that still matches is re-written in version 2 without a replan.

use crate::domain::agreement::{Agreement, Outside, Target};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The prefix of a version-2 fingerprint.
const V2: &str = "v2:";

/// A stored plan fingerprint.
///
/// Stored as a JSON number for fingerprints written before version 2 (`0`: none, rows
/// older still) and as a `v2:…` string since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PlanBasis {
    /// Written by an earlier version: `DefaultHasher` over `Debug` text (0: none).
    Legacy(u64),
    /// `v2:` and the hex SHA-256 of the canonical basis (see the module docs).
    Canonical(String),
}

impl Default for PlanBasis {
    fn default() -> Self {
        PlanBasis::Legacy(0)
    }
}

impl PlanBasis {
    /// The version-2 fingerprint of the plan of `priority` under agreement `a`.
    pub fn of(a: &Agreement, priority: &str) -> PlanBasis {
        BasisV2::of(a, priority).fingerprint()
    }

    /// Whether there is no fingerprint at all (rows from before fingerprints existed).
    pub fn is_none(&self) -> bool {
        *self == PlanBasis::Legacy(0)
    }

    /// Whether it was written by an earlier version (and is not empty).
    pub fn is_legacy(&self) -> bool {
        matches!(self, PlanBasis::Legacy(n) if *n != 0)
    }
}

/// The canonical basis of a plan (version 2): what is hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasisV2 {
    /// The priority in force.
    pub priority: String,
    /// Its response target (none when the agreement has no targets for it).
    pub response: Option<TargetV2>,
    /// Its resolution target.
    pub resolution: Option<TargetV2>,
    /// The escalation ladder's roles, first level first.
    pub ladder: Vec<String>,
    /// The status cadence that applies to the priority, if any.
    pub cadence: Option<CadenceV2>,
}

/// A target in the canonical basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetV2 {
    /// Within a duration (`8h`, `3wd`, `6d`) on a named schedule.
    Within {
        /// The duration as agreements write it.
        duration: String,
        /// The schedule's name.
        schedule: String,
    },
    /// Explicitly none.
    None,
}

/// A status cadence in the canonical basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadenceV2 {
    /// Interval in seconds.
    pub every: i64,
    /// The schedule of its windows.
    pub schedule: String,
    /// Outside the windows: the next opening (`None`), or this minute of the next day.
    pub next_day_at: Option<u16>,
}

impl TargetV2 {
    fn of(t: &Target) -> TargetV2 {
        match t {
            Target::Within { duration, schedule, .. } => TargetV2::Within {
                duration: duration.to_string(),
                schedule: schedule.clone(),
            },
            Target::None { .. } => TargetV2::None,
        }
    }
}

impl BasisV2 {
    /// The basis of the plan of `priority` under agreement `a`.
    pub fn of(a: &Agreement, priority: &str) -> BasisV2 {
        let targets = a.targets.iter().find(|t| t.priority == priority);
        BasisV2 {
            priority: priority.to_string(),
            response: targets.map(|t| TargetV2::of(&t.response)),
            resolution: targets.map(|t| TargetV2::of(&t.resolution)),
            ladder: a.escalation.levels.iter().map(|l| l.role.clone()).collect(),
            cadence: a.cadence_for(priority).map(|c| CadenceV2 {
                every: c.every,
                schedule: c.schedule.clone(),
                next_day_at: match c.outside {
                    Outside::NextOpen => None,
                    Outside::NextDayAt(m) => Some(m.0),
                },
            }),
        }
    }

    /// Its fingerprint: `v2:` and the hex SHA-256 of its compact JSON.
    pub fn fingerprint(&self) -> PlanBasis {
        // Serialising plain structs, strings and numbers cannot fail; an empty document
        // would still hash to a fixed value.
        let json = serde_json::to_vec(self).unwrap_or_default();
        PlanBasis::Canonical(format!("{V2}{}", hex::encode(Sha256::digest(&json))))
    }
}

/// The fingerprint earlier versions stored, computed as they did (`DefaultHasher` over the
/// `Debug` text of the priority's targets, the ladder and the cadence). Only for recognising
/// such values; its result may differ between toolchains.
pub fn legacy_plan_basis(a: &Agreement, priority: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!(
        "{:?}|{:?}|{:?}",
        a.targets.iter().find(|t| t.priority == priority),
        a.escalation.levels,
        a.cadence_for(priority)
    )
    .hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::agreement;

    /// SSBTEK priority 1's basis, fingerprinted; the value is pinned: a change to it would
    /// make every open incident look changed after an upgrade.
    #[test]
    fn the_fingerprint_is_stable_across_a_round_trip_and_pinned() {
        let a = agreement("ssbtek");
        let basis = BasisV2::of(a, "1");
        let json = serde_json::to_string(&basis).expect("serialises");
        assert_eq!(json, PINNED_SSBTEK_1_JSON, "the canonical form");
        let back: BasisV2 = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, basis);
        assert_eq!(back.fingerprint(), basis.fingerprint());
        assert_eq!(PlanBasis::of(a, "1"), basis.fingerprint());
        assert_eq!(basis.fingerprint(), PlanBasis::Canonical(PINNED_SSBTEK_1.into()));
        // Stored in the incident as a string; earlier values as numbers.
        let stored = serde_json::to_string(&basis.fingerprint()).expect("json");
        assert_eq!(stored, format!("\"{PINNED_SSBTEK_1}\""));
        assert_eq!(
            serde_json::from_str::<PlanBasis>(&stored).expect("reads"),
            basis.fingerprint()
        );
        assert_eq!(
            serde_json::from_str::<PlanBasis>("12345").expect("reads"),
            PlanBasis::Legacy(12345)
        );
        assert!(serde_json::from_str::<PlanBasis>("0").expect("reads").is_none());
    }

    /// The canonical basis of SSBTEK priority 1 (its fingerprint is the SHA-256 of these bytes).
    const PINNED_SSBTEK_1_JSON: &str = concat!(
        r#"{"priority":"1","#,
        r#""response":{"within":{"duration":"30m","schedule":"support"}},"#,
        r#""resolution":{"within":{"duration":"8h","schedule":"support"}},"#,
        r#""ladder":["support","driftsrad"],"cadence":null}"#
    );
    const PINNED_SSBTEK_1: &str = "v2:08f5c1f6d495b0a7499caa7d33bd6d41ea3bf2bd80aaf5f1273f833d41cac679";

    #[test]
    fn the_basis_is_what_the_plan_is_made_from() {
        let a = agreement("ssbtek");
        // Each priority has its own targets, so its own fingerprint.
        assert_ne!(PlanBasis::of(a, "1"), PlanBasis::of(a, "2"));
        let basis = BasisV2::of(a, "1");
        assert_eq!(basis.ladder.len(), a.escalation.levels.len());
        assert!(basis.response.is_some() && basis.resolution.is_some());
    }
}
