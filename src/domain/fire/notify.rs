//! Immediate notifications (the agreement's "announce by phone") and the post of a manual
//! escalation: always due once planned.

use super::{Announce, Fired, Skip};
use crate::domain::agreement::Agreement;
use crate::domain::incident::BotAction;

/// Fires a notification: `level` set means a manual escalation's post to that level.
pub fn fire(
    a: &Agreement,
    notification: Option<usize>,
    whole_ladder: bool,
    level: Option<u32>,
    reason: Option<&str>,
    legacy_text: Option<&str>,
) -> Fired {
    if let Some(level) = level {
        return Fired::post(
            Announce::ManualEscalation {
                level,
                reason: reason.map(str::to_string),
            },
            BotAction::Notified,
        );
    }
    if notification.is_some_and(|i| i >= a.notifications.len()) {
        return Fired::skip(Skip::NoLongerInAgreement);
    }
    Fired::post(
        Announce::Notification {
            index: notification,
            whole_ladder,
            legacy_text: legacy_text.map(str::to_string),
        },
        BotAction::Notified,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fire::Decision;
    use crate::domain::test_support::agreement;

    #[test]
    fn notifications_and_manual_escalations() {
        let a = agreement("altinn");
        assert!(matches!(
            fire(a, Some(0), false, None, None, None).decision,
            Decision::Post(Announce::Notification { index: Some(0), .. })
        ));
        assert_eq!(
            fire(a, Some(99), false, None, None, None).decision,
            Decision::Skip(Skip::NoLongerInAgreement)
        );
        assert_eq!(
            fire(a, None, false, Some(2), Some("db"), None).decision,
            Decision::Post(Announce::ManualEscalation {
                level: 2,
                reason: Some("db".into())
            })
        );
        // A row written before 0.2 keeps its text.
        assert!(matches!(
            fire(a, None, true, None, None, Some("old")).decision,
            Decision::Post(Announce::Notification {
                legacy_text: Some(_),
                whole_ladder: true,
                ..
            })
        ));
    }
}
