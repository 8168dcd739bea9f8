//! Deliveries of chat interactions: an interaction (a command, a button press, a form) may
//! reach vakt more than once — after a gateway resume, through two sessions during a leader
//! hand-over, or at two replicas of the interactions endpoint — and is taken on once. The
//! store records each interaction taken on for as long as it can be answered
//! ([`INTERACTION_LIFE`]), atomically, before anything is changed.

use super::{Service, ServiceError};

/// How long an interaction can be answered (Discord: its token lives 15 minutes), so how long
/// its id is remembered.
pub const INTERACTION_LIFE: chrono::Duration = chrono::Duration::minutes(15);

/// Whether a delivery of an interaction is the one to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The first delivery: act on it and answer it.
    First,
    /// Delivered before within its life: answer nothing, change nothing.
    Again,
}

impl Service {
    /// Takes interaction `id` (the chat adapter's opaque id) on, or says it was taken on
    /// before. A store failure is a failure: the interaction is not acted on.
    pub async fn take_on(&self, id: &str) -> Result<Delivery, ServiceError> {
        let now = self.clock.now();
        let first = self.store.claim_interaction(id, now, now + INTERACTION_LIFE).await?;
        Ok(if first { Delivery::First } else { Delivery::Again })
    }
}
