//! The calendar feed: `GET /calendar/<agreement>.ics?token=…` (axum), an iCalendar
//! (RFC 5545) feed of the agreement's maintenance windows, meetings and report due dates,
//! for teams to subscribe to in their own calendars. This adapter owns the wire: the token
//! of each agreement's feed (compared in constant time, never logged), the stable UIDs, and
//! the iCalendar text (written with the `icalendar` crate); which dates are listed is the
//! service's ([`Service::calendar`]), their words the renderer's ([`crate::render::calendar`]).
//! Served on the operations listener (`[ops] listen`).
//!
//! A missing or wrong token, and an agreement without a feed, are the same `404 Not Found`,
//! so the answer says nothing about which agreements have one.

use crate::config::Secret;
use crate::render::calendar as words;
use crate::render::{Locale, Style};
use crate::service::views::{Calendar, CalendarEntry};
use crate::service::{Service, ServiceError};
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use icalendar::{Component, EventLike, EventStatus};
use std::collections::BTreeMap;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// What the feed endpoint needs: the use cases and each agreement's feed token.
pub struct Feeds {
    /// The use cases.
    pub service: Arc<Service>,
    /// The token of each agreement's feed, from `[calendar.<agreement>]`.
    pub tokens: BTreeMap<String, Secret>,
    /// The language each agreement's feed is written in.
    pub languages: crate::config::Languages,
}

/// The feed's words: plain text in `locale`, instants in UTC (each event's times are UTC
/// instants).
fn style(locale: Locale) -> Style {
    Style::plain(chrono_tz::UTC).for_locale(locale)
}

/// The `token` query parameter of `uri`, as given (tokens are URL-safe, so never encoded).
fn token(uri: &Uri) -> Option<&str> {
    uri.query()?.split('&').find_map(|pair| pair.strip_prefix("token="))
}

/// Whether `given` is the feed token of `agreement`. The comparison is constant-time, and an
/// agreement without a feed is compared against a dummy, so timing tells nothing either.
fn authorised(tokens: &BTreeMap<String, Secret>, agreement: &str, given: Option<&str>) -> bool {
    let expected = tokens.get(agreement);
    let want = expected.map_or("\u{0}no feed\u{0}", |s| s.expose());
    let same = bool::from(want.as_bytes().ct_eq(given.unwrap_or("").as_bytes()));
    same && expected.is_some() && given.is_some()
}

/// A stable UID for `entry` of `calendar`: the same entry has the same UID in every fetch.
pub fn uid(calendar: &Calendar, entry: &CalendarEntry) -> String {
    let what = match entry {
        CalendarEntry::Maintenance { window, .. } => format!("maintenance-{}", window.id),
        CalendarEntry::Meeting { meeting, start, .. } => {
            format!("meeting-{meeting}-{}", start.format("%Y%m%dT%H%MZ"))
        }
        CalendarEntry::MonthlyReport { period, .. } => format!("report-monthly-{period}"),
        CalendarEntry::AnnualReport { year, .. } => format!("report-annual-{year}"),
    };
    format!("{what}@{}.vakt", calendar.agreement)
}

/// `calendar` as iCalendar text, its words in `locale` (the agreement's language).
pub fn ics(calendar: &Calendar, locale: Locale) -> String {
    let style = style(locale);
    let mut cal = icalendar::Calendar::empty();
    cal.append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//vakt//calendar feed//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .name(&words::name(&style, calendar));
    for entry in &calendar.entries {
        let text = words::entry(&style, calendar, entry);
        let mut event = icalendar::Event::new();
        event
            .uid(&uid(calendar, entry))
            .timestamp(calendar.now)
            .summary(&text.summary);
        if let Some(d) = &text.description {
            event.description(d);
        }
        match entry {
            CalendarEntry::Maintenance { window, .. } => {
                event
                    .starts(window.start)
                    .ends(window.end)
                    .created(window.announced_at)
                    .last_modified(window.cancelled.as_ref().map_or(window.announced_at, |(_, at)| *at))
                    .status(if window.is_active() {
                        EventStatus::Confirmed
                    } else {
                        EventStatus::Cancelled
                    });
            }
            CalendarEntry::Meeting { start, end, .. } => {
                event.starts(*start).ends(*end).status(EventStatus::Confirmed);
            }
            CalendarEntry::MonthlyReport { due, .. } | CalendarEntry::AnnualReport { due, .. } => {
                event.all_day(*due).status(EventStatus::Confirmed);
            }
        }
        cal.push(event.done());
    }
    cal.to_string()
}

/// `GET /calendar/<agreement>.ics?token=…`.
async fn feed(State(feeds): State<Arc<Feeds>>, Path(file): Path<String>, uri: Uri) -> Response {
    let not_found = || StatusCode::NOT_FOUND.into_response();
    let Some(agreement) = file.strip_suffix(".ics") else {
        return not_found();
    };
    if !authorised(&feeds.tokens, agreement, token(&uri)) {
        return not_found();
    }
    match feeds.service.calendar(agreement).await {
        Ok(calendar) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            ics(&calendar, feeds.languages.of(agreement)),
        )
            .into_response(),
        Err(ServiceError::User(_)) => not_found(),
        Err(e) => {
            tracing::error!(agreement, error = %e, "the calendar feed could not be read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The feed route, to be merged into the operations listener's router.
pub fn router(feeds: Arc<Feeds>) -> axum::Router {
    axum::Router::new()
        .route("/calendar/{file}", axum::routing::get(feed))
        .with_state(feeds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_agreements_own_token_opens_its_feed() {
        let tokens = BTreeMap::from([
            ("altinn".to_string(), Secret::new("altinn-token-0123456789")),
            ("difi".to_string(), Secret::new("difi-token-0123456789")),
        ]);
        assert!(authorised(&tokens, "altinn", Some("altinn-token-0123456789")));
        assert!(!authorised(&tokens, "altinn", Some("difi-token-0123456789")));
        assert!(!authorised(&tokens, "altinn", Some("altinn-token-012345678")));
        assert!(!authorised(&tokens, "altinn", Some("")));
        assert!(!authorised(&tokens, "altinn", None));
        assert!(!authorised(&tokens, "ssbtek", Some("\u{0}no feed\u{0}")));
    }

    #[test]
    fn the_token_is_read_from_the_query() {
        let uri: Uri = "/calendar/a.ics?x=1&token=abc-123&y=2".parse().expect("uri");
        assert_eq!(token(&uri), Some("abc-123"));
        let uri: Uri = "/calendar/a.ics".parse().expect("uri");
        assert_eq!(token(&uri), None);
    }
}
