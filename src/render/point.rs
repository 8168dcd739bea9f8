//! The words of a meeting's follow-up point, in replies and in the meeting reminder.

use super::msg::Msg;
use super::style::{Form, Style};
use crate::domain::meeting::MeetingPoint;

/// One follow-up point: `#3 Check the logs (due …, owner …) — done … by …`, typed text
/// defused so it pings no one.
pub fn point(p: &MeetingPoint, style: &Style) -> String {
    let owner = p.owner.as_ref().map_or(String::new(), |o| {
        style.say(Msg::PointOwner, &[("owner", &style.person(o.as_str(), None))])
    });
    let state = match &p.done {
        Some((at, by)) => style.say(
            Msg::PointDone,
            &[
                ("at", &style.at(*at, Form::Long)),
                ("by", &style.person(by.as_str(), None)),
            ],
        ),
        None => String::new(),
    };
    style.say(
        Msg::Point,
        &[
            ("id", &p.id),
            ("text", &style.defuse(&p.text)),
            ("due", &style.at(p.due, Form::Long)),
            ("owner", &owner),
            ("state", &state),
        ],
    )
}
