//! The words of every [`Notice`], one wording for every adapter: the console prints them as
//! they are, Discord puts them in its posts (and its own card, see the Discord adapter, for
//! the opening notice). The style says how instants, people and emphasis are written.

use super::incident::deadline;
use super::msg::Msg;
use super::point::point;
use super::style::{Form, Style};
use crate::domain::incident::StatusField;
use crate::domain::jobs::maintenance::Moment;
use crate::service::notice::{ActorRef, IncidentSummary, Notice, StatusContent};
use chrono::{DateTime, Utc};

/// `SSB-2026-0001 [1] Title`, the title defused.
pub fn head(i: &IncidentSummary, style: &Style) -> String {
    style.say(
        Msg::Head,
        &[
            ("id", &style.strong(i.id.as_str())),
            ("priority", &i.priority),
            ("title", &style.defuse(&i.title)),
        ],
    )
}

fn actor(a: &ActorRef, style: &Style) -> String {
    style.person(a.id.as_str(), Some(&a.name))
}

/// `45m business time left` or `overdue by 1h 05m business time` (in working days of
/// `day` business seconds once a working day or more).
pub fn business_left(secs: i64, day: Option<i64>, style: &Style) -> String {
    let time = super::duration::business(secs, day, style.locale);
    if secs < 0 {
        style.say(Msg::OverdueBusiness, &[("time", &time)])
    } else {
        style.say(Msg::BusinessLeft, &[("time", &time)])
    }
}

/// The notice's text (without channel and mentions); `late_since` is when a notice posted
/// late was due.
pub fn notice(n: &Notice, late_since: Option<DateTime<Utc>>, style: &Style) -> String {
    let late = late_since.map_or(String::new(), |t| {
        style.say(Msg::Late, &[("at", &style.at(t, Form::Bare))])
    });
    match n {
        Notice::Report {
            report,
            revision,
            changes,
            ..
        } => {
            let mut text = late_since.map_or(String::new(), |t| {
                style.say(Msg::LateReport, &[("at", &style.at(t, Form::Bare))])
            });
            text.push_str(&super::report::value_markdown(report, None, style.locale));
            if let Some(c) = changes.as_ref().filter(|_| *revision > 1) {
                text.push_str(&super::report::revision_note(*revision, c, style.locale));
            }
            text
        }
        Notice::MeetingReminder {
            agreement,
            name,
            open,
            starts_at,
            agenda,
            points,
            ..
        } => {
            let when = match style.relative(*starts_at) {
                Some(r) => format!("{} ({r})", style.at(*starts_at, Form::Long)),
                None => style.at(*starts_at, Form::Long),
            };
            let mut text = style.say(
                Msg::Meeting,
                &[
                    ("agreement", agreement),
                    ("meeting", &style.defuse(name)),
                    ("when", &when),
                    ("late", &late),
                ],
            );
            if open.is_empty() {
                text.push_str(style.word(Msg::MeetingNothingOpen));
            } else {
                text.push_str(style.word(Msg::MeetingOpen));
                for i in open {
                    text.push_str(&style.say(
                        Msg::MeetingOpenIncident,
                        &[("head", &head(i, style)), ("state", &style.locale.state(i.state))],
                    ));
                }
            }
            if !points.is_empty() {
                text.push_str(style.word(Msg::MeetingPoints));
                for p in points {
                    text.push_str(&style.say(Msg::MeetingPoint, &[("point", &point(p, style))]));
                }
            }
            if let Some(r) = agenda {
                text.push_str(style.word(Msg::Agenda));
                text.push_str(&super::report::value_markdown(r, None, style.locale));
            }
            text
        }
        Notice::Recurring { what, .. } => style.say(Msg::Recurring, &[("what", &style.defuse(what)), ("late", &late)]),
        Notice::Warning { .. }
        | Notice::Escalated { .. }
        | Notice::Notification { .. }
        | Notice::FollowUp { .. }
        | Notice::Repaged { .. } => deadline_notice(n, &late, style),
        Notice::Maintenance { window, moment, .. } => {
            let key = match moment {
                Moment::Before => Msg::MaintenanceBefore,
                Moment::End => Msg::MaintenanceEnd,
            };
            style.say(
                key,
                &[
                    ("id", &window.id),
                    ("service", &style.defuse(&window.service)),
                    ("kind", &style.defuse(&window.kind)),
                    ("start", &style.at(window.start, Form::Bare)),
                    ("end", &style.at(window.end, Form::Bare)),
                    ("description", &style.defuse(&window.description)),
                    ("late", &late),
                ],
            )
        }
        Notice::Status { incident, status } => status_notice(incident, status, &late, style),
        Notice::PriorityChanged { .. } | Notice::AgreementChanged { .. } => change_notice(n, &late, style),
        Notice::Opened { .. }
        | Notice::Acknowledged { .. }
        | Notice::Updated { .. }
        | Notice::Resolved { .. }
        | Notice::Reopened { .. }
        | Notice::Closed { .. }
        | Notice::LeadChanged { .. }
        | Notice::Edited { .. }
        | Notice::Snoozed { .. }
        | Notice::MarkedDuplicate { .. } => person_notice(n, &late, style),
    }
}

/// The notices the scheduler raises about a deadline or the agreement's rules.
fn deadline_notice(n: &Notice, late: &str, style: &Style) -> String {
    match n {
        Notice::Warning {
            incident,
            milestone: m,
            percent,
            deadline: due,
        } => {
            let left = incident
                .deadline(*m)
                .and_then(|d| d.business_left.map(|l| (l, d.day)))
                .map_or(String::new(), |(l, day)| {
                    style.say(Msg::WarningLeft, &[("left", &business_left(l, day, style))])
                });
            style.say(
                Msg::Warning,
                &[
                    ("head", &head(incident, style)),
                    ("percent", percent),
                    ("milestone", &style.locale.milestone(*m)),
                    ("due", &style.when(*due)),
                    ("left", &left),
                    ("late", &late),
                ],
            )
        }
        Notice::Escalated {
            incident,
            milestone: Some(m),
            deadline: due,
            level,
            level_name,
            clause,
            passed,
            ..
        } => {
            let at = due.map_or(String::new(), |d| {
                style.say(Msg::BreachedAt, &[("at", &style.at(d, Form::Short))])
            });
            let passed = match passed.as_slice() {
                [] => String::new(),
                [one] => style.say(Msg::PassedOne, &[("level", one)]),
                many => {
                    let levels = many.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
                    style.say(Msg::PassedMany, &[("levels", &levels)])
                }
            };
            style.say(
                Msg::Breached,
                &[
                    ("head", &head(incident, style)),
                    ("milestone", &style.locale.milestone(*m)),
                    ("at", &at),
                    ("level", level),
                    ("level_name", &style.defuse(level_name)),
                    ("clause", &style.defuse(clause)),
                    ("passed", &passed),
                    ("late", &late),
                ],
            )
        }
        Notice::Escalated {
            incident,
            milestone: None,
            level,
            level_name,
            manual,
            ..
        } => {
            let who = manual
                .as_ref()
                .and_then(|(a, _)| a.as_ref())
                .map_or(String::new(), |a| style.say(Msg::By, &[("actor", &actor(a, style))]));
            let why = manual
                .as_ref()
                .and_then(|(_, r)| r.as_deref())
                .map_or(String::new(), |r| style.say(Msg::Colon, &[("text", &style.defuse(r))]));
            style.say(
                Msg::EscalatedByHand,
                &[
                    ("head", &head(incident, style)),
                    ("who", &who),
                    ("level", level),
                    ("level_name", &style.defuse(level_name)),
                    ("why", &why),
                    ("late", &late),
                ],
            )
        }
        Notice::Notification {
            incident,
            what,
            clause,
            missing,
        } => {
            style.say(
                if clause.is_empty() {
                    Msg::Notification
                } else {
                    Msg::NotificationClause
                },
                &[
                    ("head", &head(incident, style)),
                    ("what", &style.defuse(what)),
                    ("clause", &style.defuse(clause)),
                    ("late", &late),
                ],
            ) + &ask_fields(incident, missing, clause, style)
        }
        Notice::Repaged {
            incident,
            level,
            level_name,
            page,
            limit,
        } => style.say(
            if *page == 0 { Msg::RepageClimb } else { Msg::Repage },
            &[
                ("head", &head(incident, style)),
                ("level", level),
                ("level_name", &style.defuse(level_name)),
                ("page", page),
                ("limit", limit),
                ("late", &late),
            ],
        ),
        Notice::FollowUp {
            incident,
            what,
            due: Some(due),
            ..
        } => style.say(
            Msg::FollowUpSoon,
            &[
                ("head", &head(incident, style)),
                ("what", &style.defuse(what)),
                ("due", &style.when(*due)),
                ("late", &late),
            ],
        ),
        Notice::FollowUp { incident, what, .. } => style.say(
            Msg::FollowUp,
            &[
                ("head", &head(incident, style)),
                ("what", &style.defuse(what)),
                ("late", &late),
            ],
        ),
        _ => String::new(),
    }
}

/// The periodic status post: state, deadlines, the latest note and a reminder to the lead.
fn status_notice(incident: &IncidentSummary, status: &StatusContent, late: &str, style: &Style) -> String {
    let mut t = style.say(
        Msg::Status,
        &[
            ("seq", &status.seq),
            ("head", &head(incident, style)),
            ("state", &style.locale.state(incident.state)),
            ("late", &late),
        ],
    );
    for d in [&incident.response, &incident.resolution].into_iter().flatten() {
        if d.business_left.is_some() {
            t += &style.say(
                Msg::StatusDue,
                &[
                    ("milestone", &style.locale.milestone(d.milestone)),
                    ("deadline", &deadline(d, style)),
                ],
            );
        }
    }
    let note = incident
        .last_note
        .as_deref()
        .map_or(style.word(Msg::NoneYet).to_string(), |n| style.defuse(n));
    t += &style.say(Msg::StatusNote, &[("note", &note)]);
    for (k, f) in super::incident::fields(&status.latest.fields, style) {
        if let Some(given) = status.latest.at[k] {
            let age = super::duration::wall((status.at - given).num_seconds().max(0), style.locale);
            t += &style.say(Msg::StatusField, &[("field", &f), ("age", &age)]);
        }
    }
    t += &ask_fields(incident, &status.missing, &status.missing_clause, style);
    if status.managers_told {
        t += &style.say(Msg::StatusManagers, &[("count", &status.unanswered)]);
    }
    if status.remind {
        let lead = incident
            .lead
            .as_ref()
            .map_or(style.word(Msg::Responders).to_string(), |l| {
                style.person(l.as_str(), None)
            });
        t += &style.say(
            Msg::StatusReminder,
            &[("since", &style.at(status.since, Form::Short)), ("lead", &lead)],
        );
    }
    t
}

/// The line asking the lead (or the responders) for the status fields a post must carry and
/// nobody gave yet (Borger.dk 6: the area, who and how many, the time horizon); empty when
/// none is missing.
fn ask_fields(incident: &IncidentSummary, missing: &[StatusField], clause: &str, style: &Style) -> String {
    if missing.is_empty() {
        return String::new();
    }
    let fields: Vec<&str> = missing
        .iter()
        .map(|f| {
            style.word(match f {
                StatusField::Area => Msg::NeedArea,
                StatusField::Affected => Msg::NeedAffected,
                StatusField::Cause => Msg::NeedCause,
                StatusField::Eta => Msg::NeedEta,
            })
        })
        .collect();
    let lead = incident
        .lead
        .as_ref()
        .map_or(style.word(Msg::Responders).to_string(), |l| {
            style.person(l.as_str(), None)
        });
    style.say(
        Msg::AskFields,
        &[
            ("fields", &fields.join(", ")),
            ("clause", &style.defuse(clause)),
            ("lead", &lead),
        ],
    )
}

/// The notices of what a person (or the agreement) did to an incident.
fn person_notice(n: &Notice, late: &str, style: &Style) -> String {
    match n {
        Notice::Opened { incident, actor: a, .. } => style.say(
            Msg::Opened,
            &[
                ("head", &head(incident, style)),
                ("actor", &actor(a, style)),
                ("priority", &incident.priority),
                ("name", &style.defuse(&incident.priority_name)),
                ("late", &late),
            ],
        ),
        Notice::Acknowledged { incident, actor: a } => style.say(
            Msg::Acknowledged,
            &[
                ("head", &head(incident, style)),
                ("actor", &actor(a, style)),
                ("late", &late),
            ],
        ),
        Notice::Updated {
            incident,
            actor: a,
            note,
            fields,
        } => {
            let mut parts: Vec<String> = (!note.is_empty()).then(|| style.defuse(note)).into_iter().collect();
            parts.extend(super::incident::fields(fields, style).into_iter().map(|(_, f)| f));
            style.say(
                Msg::Updated,
                &[
                    ("head", &head(incident, style)),
                    ("actor", &actor(a, style)),
                    ("note", &parts.join("; ")),
                    ("late", &late),
                ],
            )
        }
        Notice::Resolved {
            incident,
            actor: a,
            how,
            note,
        } => style.say(
            Msg::Resolved,
            &[
                ("head", &head(incident, style)),
                ("how", &style.locale.resolution(how)),
                ("actor", &actor(a, style)),
                (
                    "note",
                    &note
                        .as_ref()
                        .map_or(String::new(), |n| style.say(Msg::Colon, &[("text", &style.defuse(n))])),
                ),
                ("late", &late),
            ],
        ),
        Notice::Reopened {
            incident,
            actor: a,
            reason,
        } => style.say(
            Msg::Reopened,
            &[
                ("head", &head(incident, style)),
                ("actor", &actor(a, style)),
                ("reason", &style.defuse(reason)),
                ("late", &late),
            ],
        ),
        Notice::Closed { incident, actor: a } => style.say(
            Msg::Closed,
            &[
                ("head", &head(incident, style)),
                ("actor", &actor(a, style)),
                ("late", &late),
            ],
        ),
        Notice::Snoozed {
            incident,
            actor: a,
            until,
            reason,
        } => style.say(
            Msg::Snoozed,
            &[
                ("head", &head(incident, style)),
                ("actor", &actor(a, style)),
                ("until", &style.at(*until, Form::Short)),
                ("reason", &style.defuse(reason)),
                ("late", &late),
            ],
        ),
        Notice::Edited {
            incident,
            actor: a,
            title_before,
            description,
        } => {
            let what = match (title_before, description) {
                (Some(t), false) => style.say(Msg::EditedTitleWas, &[("before", &style.defuse(t))]),
                (Some(t), true) => style.say(Msg::EditedBoth, &[("before", &style.defuse(t))]),
                (None, _) => style.word(Msg::EditedDescription).to_string(),
            };
            style.say(
                Msg::Edited,
                &[
                    ("head", &head(incident, style)),
                    ("actor", &actor(a, style)),
                    ("what", &what),
                    ("late", &late),
                ],
            )
        }
        Notice::MarkedDuplicate { incident, actor: a, of } => style.say(
            Msg::MarkedDuplicate,
            &[
                ("head", &head(incident, style)),
                ("actor", &actor(a, style)),
                ("of", &style.strong(of.as_str())),
                ("late", &late),
            ],
        ),
        Notice::LeadChanged {
            incident,
            actor: a,
            from,
            to,
        } => {
            let from = from.as_ref().map_or(String::new(), |f| {
                style.say(Msg::LeadFrom, &[("from", &style.person(f.as_str(), None))])
            });
            if a.id == *to {
                style.say(
                    Msg::LeadTaken,
                    &[
                        ("head", &head(incident, style)),
                        ("actor", &actor(a, style)),
                        ("from", &from),
                        ("late", &late),
                    ],
                )
            } else {
                style.say(
                    Msg::LeadGiven,
                    &[
                        ("head", &head(incident, style)),
                        ("actor", &actor(a, style)),
                        ("to", &style.person(to.as_str(), None)),
                        ("from", &from),
                        ("late", &late),
                    ],
                )
            }
        }
        _ => String::new(),
    }
}

/// The notices of a change of priority or of the agreement's deadlines.
fn change_notice(n: &Notice, late: &str, style: &Style) -> String {
    match n {
        Notice::PriorityChanged {
            incident,
            from,
            to,
            actor: a,
            reason,
            ..
        } => {
            let how = match (a, reason) {
                (Some(a), Some(r)) => style.say(
                    Msg::PrioritySetBy,
                    &[("actor", &actor(a, style)), ("reason", &style.defuse(r))],
                ),
                (Some(a), None) => style.say(Msg::PriorityByRulesAfter, &[("actor", &actor(a, style))]),
                _ => style.word(Msg::PriorityByRules).to_string(),
            };
            style.say(
                Msg::PriorityChanged,
                &[
                    ("head", &head(incident, style)),
                    ("from", from),
                    ("to", to),
                    ("name", &style.defuse(&incident.priority_name)),
                    ("how", &how),
                    ("late", &late),
                ],
            )
        }
        Notice::AgreementChanged {
            incident,
            response_before,
            resolution_before,
        } => {
            let t =
                |d: Option<DateTime<Utc>>| d.map_or(style.word(Msg::None).to_string(), |d| style.at(d, Form::Short));
            style.say(
                Msg::AgreementChanged,
                &[
                    ("head", &head(incident, style)),
                    ("response_before", &t(*response_before)),
                    ("response", &t(incident.response.as_ref().map(|d| d.due))),
                    ("resolution_before", &t(*resolution_before)),
                    ("resolution", &t(incident.resolution.as_ref().map(|d| d.due))),
                    ("late", &late),
                ],
            )
        }
        _ => String::new(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::ids::{AgreementId, IncidentId, PriorityId, UserId};
    use crate::domain::incident::{Milestone, Outcome, Resolution, State};
    use crate::render::style::{Marks, People, Times};
    use crate::render::text::{DISCORD_MESSAGE, Defuse};
    use crate::render::{Locale, Style};
    use crate::service::notice::DeadlineView;

    fn style(times: Times, people: People, markdown: bool) -> Style {
        Style {
            locale: Locale::En,
            times,
            people,
            defuse: Defuse::CHAT,
            limit: DISCORD_MESSAGE,
            markdown,
            emoji: markdown,
            replies: Marks {
                done: "",
                info: "",
                item: "",
                indent: "",
                capital: false,
                cards: false,
            },
        }
    }

    /// An acknowledged SSBTEK incident whose typed fields all try to ping, its response
    /// deadline an hour past.
    fn sample_incident(due: DateTime<Utc>, ping: &str) -> IncidentSummary {
        IncidentSummary {
            id: IncidentId::make("SSB", 2026, 1),
            agreement: AgreementId::new("ssbtek"),
            title: ping.into(),
            description: ping.into(),
            service: Some(ping.into()),
            priority: PriorityId::new("1"),
            priority_name: ping.into(),
            state: State::Acknowledged,
            lead: Some(UserId::new("123456789012345678")),
            escalation_level: 1,
            response: Some(DeadlineView {
                milestone: Milestone::Response,
                due,
                outcome: Outcome::Pending { due },
                business_left: Some(-60),
                wall_left: Some(-60),
                business_late: None,
                wall_late: None,
                under: None,
                under_name: String::new(),
                day: Some(9 * 3600),
            }),
            resolution: None,
            last_note: Some(ping.into()),
            latest: Default::default(),
            reported_at: due,
            agreement_removed: false,
        }
    }

    pub(crate) fn every_notice() -> Vec<Notice> {
        let due = DateTime::parse_from_rfc3339("2026-11-20T16:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default();
        let ping = "@everyone <@&1>";
        let incident = sample_incident(due, ping);
        let actor = ActorRef {
            id: UserId::new("123456789012345678"),
            name: ping.into(),
        };
        let i = || incident.clone();
        vec![
            Notice::Opened {
                incident: i(),
                actor: actor.clone(),
                reasons: Vec::new(),
            },
            Notice::Acknowledged {
                incident: i(),
                actor: actor.clone(),
            },
            Notice::Updated {
                incident: i(),
                actor: actor.clone(),
                note: ping.into(),
                fields: Default::default(),
            },
            Notice::Warning {
                incident: i(),
                milestone: Milestone::Response,
                percent: 75,
                deadline: due,
            },
            Notice::Escalated {
                incident: i(),
                milestone: Some(Milestone::Response),
                deadline: Some(due),
                level: 2,
                level_name: ping.into(),
                role: ping.into(),
                clause: ping.into(),
                manual: None,
                passed: vec![1, 2],
            },
            Notice::Escalated {
                incident: i(),
                milestone: None,
                deadline: None,
                level: 2,
                level_name: ping.into(),
                role: ping.into(),
                clause: String::new(),
                manual: Some((Some(actor.clone()), Some(ping.into()))),
                passed: Vec::new(),
            },
            Notice::Status {
                incident: i(),
                status: StatusContent {
                    seq: 3,
                    since: due,
                    remind: true,
                    unanswered: 1,
                    managers_told: false,
                    latest: Default::default(),
                    at: due,
                    missing: vec![StatusField::Area],
                    missing_clause: ping.into(),
                },
            },
            Notice::FollowUp {
                incident: i(),
                id: "fu".into(),
                what: ping.into(),
                clause: ping.into(),
                due: None,
            },
            Notice::Notification {
                incident: i(),
                what: ping.into(),
                clause: ping.into(),
                missing: StatusField::ALL.to_vec(),
            },
            Notice::PriorityChanged {
                incident: i(),
                from: PriorityId::new("2"),
                to: PriorityId::new("1"),
                actor: Some(actor.clone()),
                reason: Some(ping.into()),
                reasons: Vec::new(),
            },
            Notice::Resolved {
                incident: i(),
                actor: actor.clone(),
                how: Resolution::Workaround,
                note: Some(ping.into()),
            },
            Notice::Reopened {
                incident: i(),
                actor: actor.clone(),
                reason: ping.into(),
            },
            Notice::Closed { incident: i(), actor },
            Notice::AgreementChanged {
                incident: i(),
                response_before: Some(due),
                resolution_before: None,
            },
            Notice::Recurring {
                agreement: AgreementId::new("ssbtek"),
                name: "weekly".into(),
                what: ping.into(),
            },
            Notice::Maintenance {
                agreement: AgreementId::new("ssbtek"),
                window: Box::new(crate::domain::maintenance::MaintenanceWindow {
                    id: 3,
                    agreement: AgreementId::new("ssbtek"),
                    service: ping.into(),
                    kind: ping.into(),
                    start: due,
                    end: due,
                    description: ping.into(),
                    announced_by: UserId::new("123456789012345678"),
                    announced_at: due,
                    breaches: vec![],
                    reason: Some(ping.into()),
                    cancelled: None,
                }),
                moment: Moment::Before,
            },
            Notice::MeetingReminder {
                agreement: AgreementId::new("ssbtek"),
                meeting: ping.into(),
                name: ping.into(),
                open: vec![sample_incident(due, ping)],
                starts_at: due,
                agenda: None,
                points: Vec::new(),
            },
        ]
    }

    #[test]
    fn every_notice_is_worded_whole_and_defused_in_every_style() {
        let styles = [
            style(Times::Local(chrono_tz::Europe::Oslo), People::Names, false),
            style(Times::Tags, People::Mentions, true),
        ];
        for s in &styles {
            for n in every_notice() {
                for late in [None, Some(n.incident().map_or(Utc::now(), |i| i.reported_at))] {
                    let t = notice(&n, late, s);
                    assert!(!t.is_empty(), "{n:?}");
                    assert!(!t.contains('{') && !t.contains('}'), "a placeholder left: {t}");
                    assert!(!t.contains("@everyone") && !t.contains("<@&1>"), "{t}");
                }
            }
        }
    }

    #[test]
    fn the_style_says_how_times_and_people_read() {
        let n = &every_notice()[1];
        let console = notice(
            n,
            None,
            &style(Times::Local(chrono_tz::Europe::Oslo), People::Names, false),
        );
        let discord = notice(n, None, &style(Times::Tags, People::Mentions, true));
        assert!(console.starts_with("👀 SSB-2026-0001 [1] "), "{console}");
        assert!(discord.starts_with("👀 **SSB-2026-0001** [1] "), "{discord}");
        assert!(discord.ends_with("acknowledged by <@123456789012345678>"), "{discord}");
        let warning = &every_notice()[3];
        assert!(notice(warning, None, &style(Times::Tags, People::Mentions, true)).starts_with("⚠\u{fe0f} "));
        assert!(!notice(warning, None, &style(Times::Tags, People::Names, false)).contains('\u{fe0f}'));
    }

    #[test]
    fn a_meeting_reminder_names_the_meeting_and_says_what_is_open_even_when_nothing_is() {
        let s = style(Times::Local(chrono_tz::Europe::Stockholm), People::Names, false);
        let at = Utc::now();
        let reminder = |open: Vec<IncidentSummary>| Notice::MeetingReminder {
            agreement: AgreementId::new("ssbtek"),
            meeting: "extra_hours".into(),
            name: "Decision meeting on extra opening hours".into(),
            open,
            starts_at: at,
            agenda: None,
            points: Vec::new(),
        };
        // SSBTEK's decision meeting has no agenda: the reminder still says what is open.
        let empty = notice(&reminder(vec![]), None, &s);
        assert!(empty.contains("Decision meeting on extra opening hours"), "{empty}");
        assert!(!empty.contains("extra_hours"), "named by its name, not its id: {empty}");
        assert!(empty.contains(s.word(Msg::MeetingNothingOpen)), "{empty}");
        let one = notice(&reminder(vec![sample_incident(at, "Login down")]), None, &s);
        assert!(
            one.contains(s.word(Msg::MeetingOpen)) && one.contains("SSB-2026-0001"),
            "{one}"
        );
        assert!(!one.contains(s.word(Msg::MeetingNothingOpen)), "{one}");
    }
}
