//! The public status page of an agreement (issue 21, part 3): what vakt tells the public —
//! each service's state now, the incidents a responder has published (with their public texts
//! only), the maintenance windows running and to come, and the availability of each service
//! over the last [`DAYS`] days against its targets. Also the use case that publishes an
//! incident's public text. Hands out typed data ([`StatusPage`]); the words and the HTML are
//! the renderer's, the HTTP the status adapter's.
//!
//! What never leaves through here: an incident's internal title, description and notes, who
//! reported, led or published it, a window's description, any reason. The page view holds none
//! of them, so no renderer can show them.

use super::ports::{IncidentFilter, NewPublication, Publication};
use super::{Action, Actor, Permission, Service, ServiceError, UserError};
use crate::domain::agreement::Agreement;
use crate::domain::availability::{Span, measure};
use crate::domain::ids::{AgreementId, IncidentId, UserId};
use crate::domain::incident::{Incident, OutageKind, State};
use crate::domain::maintenance::MaintenanceWindow;
use crate::domain::time::resolve_local;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use std::collections::BTreeMap;

/// How many days back the page reaches: incidents resolved since then, availability over them.
pub const DAYS: i64 = 90;
/// How far ahead the page lists maintenance windows, in days.
pub const AHEAD_DAYS: i64 = 180;

/// A service's state now, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServiceState {
    /// A published, unresolved incident records a full outage of it running now.
    Outage,
    /// A published, unresolved incident records it degraded (available with disturbance) now.
    Degraded,
    /// A maintenance window of it is running.
    Maintenance,
    /// None of those.
    Operational,
}

/// One availability target of a service measured over the page's days.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetFigure {
    /// The schedule it is measured in (the agreement's id of it).
    pub schedule: String,
    /// The target, percent.
    pub target: f64,
    /// Uptime in percent of the measured time; none when nothing was measured.
    pub percent: Option<f64>,
    /// Open seconds down outside maintenance windows.
    pub down: i64,
    /// Open seconds measured (open time less the windows).
    pub measured: i64,
    /// The clause that sets the target.
    pub clause: String,
}

impl TargetFigure {
    /// Whether the target is met over the days (none when nothing was measured).
    pub fn met(&self) -> Option<bool> {
        self.percent.map(|p| p >= self.target)
    }
}

/// One local day of a service, measured in its first target's schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    /// The agreement's local date.
    pub date: NaiveDate,
    /// Open seconds measured that day (0: closed all day, or all in maintenance).
    pub measured: i64,
    /// Open seconds down that day, outside maintenance windows.
    pub down: i64,
    /// Open seconds in maintenance windows that day.
    pub maintenance: i64,
}

/// A service on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceStatus {
    pub id: String,
    pub name: String,
    pub state: ServiceState,
    /// Each availability target of the service, measured over the page's days.
    pub targets: Vec<TargetFigure>,
    /// The page's days, oldest first (empty when the service has no availability target).
    pub days: Vec<Day>,
}

/// A public text of an incident: only its words and when (never who).
#[derive(Debug, Clone, PartialEq)]
pub struct PublicText {
    pub at: DateTime<Utc>,
    pub text: String,
}

/// A published incident as the public sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicIncident {
    /// Its id (`BDK-2026-0001`), for reference.
    pub id: IncidentId,
    /// The name of the service it hit.
    pub service: String,
    /// The outage it records, if marked.
    pub outage: Option<OutageKind>,
    /// When it began (the outage's start where marked, else when it was reported).
    pub started: DateTime<Utc>,
    /// When it was resolved; none while it goes on.
    pub resolved: Option<DateTime<Utc>>,
    /// Its public texts, oldest first (never empty).
    pub texts: Vec<PublicText>,
}

impl PublicIncident {
    /// When it last changed in public: its latest text or its resolution.
    pub fn updated(&self) -> DateTime<Utc> {
        let latest = self.texts.iter().map(|t| t.at).max().unwrap_or(self.started);
        self.resolved.map_or(latest, |r| r.max(latest))
    }
}

/// A maintenance window as the public sees it (its description is internal).
#[derive(Debug, Clone, PartialEq)]
pub struct PublicWindow {
    /// Its number, for a stable feed id.
    pub id: i64,
    /// The name of the service.
    pub service: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Whether it runs now.
    pub running: bool,
    /// When it was announced.
    pub announced: DateTime<Utc>,
}

/// The status page of an agreement at `now`.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusPage {
    /// The agreement's id.
    pub agreement: String,
    /// The agreement's name.
    pub name: String,
    /// The agreement's zone: times are written in it.
    pub tz: chrono_tz::Tz,
    pub now: DateTime<Utc>,
    /// The start of the page's days ([`DAYS`] local days up to today).
    pub from: DateTime<Utc>,
    pub services: Vec<ServiceStatus>,
    /// Published incidents unresolved, or resolved since `from`: unresolved first, then the
    /// latest begun first.
    pub incidents: Vec<PublicIncident>,
    /// Windows running or to come within [`AHEAD_DAYS`], by start.
    pub windows: Vec<PublicWindow>,
}

impl StatusPage {
    /// When the page last changed: its latest incident change or window announcement (the
    /// start of its days when nothing is on it).
    pub fn updated(&self) -> DateTime<Utc> {
        let incidents = self.incidents.iter().map(PublicIncident::updated);
        let windows = self.windows.iter().map(|w| w.announced);
        incidents.chain(windows).max().unwrap_or(self.from)
    }
}

impl Service {
    /// Publishes `text` as the public text of incident `id` (its first: the incident appears
    /// on the status page; later ones: public updates). A responder's or manager's; the text is
    /// stored with the time and the author, who is never shown.
    pub async fn publish(&self, actor: &Actor, id: &str, text: &str) -> Result<(Incident, usize), ServiceError> {
        let inc = self.load(id).await?;
        self.check(actor, inc.agreement(), Permission::Operate, Action::Publish)?;
        let text = text.trim();
        if text.is_empty() {
            return Err(UserError::EmptyPublicText.into());
        }
        let new = NewPublication {
            agreement: inc.agreement().clone(),
            incident: inc.id().clone(),
            text: text.to_string(),
            author: UserId::new(actor.id.as_str()),
            at: self.clock.now(),
        };
        self.store.add_publication(&new).await?;
        let count = self
            .store
            .publications(inc.agreement())
            .await?
            .iter()
            .filter(|p| &p.incident == inc.id())
            .count();
        Ok((inc, count))
    }

    /// The status page of `agreement` now.
    pub async fn status_page(&self, agreement: &str) -> Result<StatusPage, ServiceError> {
        let (a, _) = self.agreement(agreement)?;
        let now = self.clock.now();
        let today = now.with_timezone(&a.tz).date_naive();
        let first = today - Duration::days(DAYS - 1);
        let midnight = |d: NaiveDate| resolve_local(a.tz, d.and_time(NaiveTime::MIN));
        let from = midnight(first);
        let id = AgreementId::new(a.id.as_str());
        let incidents = self
            .store
            .incidents(&IncidentFilter {
                agreement: Some(id.clone()),
                touched_since: Some(from),
                ..IncidentFilter::default()
            })
            .await?;
        let windows: Vec<MaintenanceWindow> = self
            .store
            .windows(&id, from, now + Duration::days(AHEAD_DAYS))
            .await?
            .into_iter()
            .filter(MaintenanceWindow::is_active)
            .collect();
        let texts = self.store.publications(&id).await?;
        Ok(page(a, now, from, first, &incidents, &windows, &texts))
    }
}

/// The page from what the store holds: pure.
fn page(
    a: &Agreement,
    now: DateTime<Utc>,
    from: DateTime<Utc>,
    first: NaiveDate,
    incidents: &[Incident],
    windows: &[MaintenanceWindow],
    texts: &[Publication],
) -> StatusPage {
    let mut by_incident: BTreeMap<&IncidentId, Vec<PublicText>> = BTreeMap::new();
    for p in texts {
        by_incident.entry(&p.incident).or_default().push(PublicText {
            at: p.at,
            text: p.text.clone(),
        });
    }
    let unresolved = |i: &Incident| matches!(i.state(), State::Open | State::Acknowledged);
    let service_of = |i: &Incident| a.service_or_main(i.service()).map(|s| s.id.clone());
    let published: Vec<&Incident> = incidents
        .iter()
        .filter(|i| by_incident.contains_key(i.id()))
        .filter(|i| unresolved(i) || i.resolved_at().is_some_and(|r| r >= from))
        .collect();

    let services = a
        .services
        .iter()
        .map(|sv| {
            let running = |kind: OutageKind| {
                published.iter().any(|i| {
                    unresolved(i)
                        && service_of(i).as_deref() == Some(sv.id.as_str())
                        && i.outage_span()
                            .is_some_and(|(k, s, e)| k == kind && s <= now && e.is_none_or(|e| e > now))
                })
            };
            let mine: Vec<Span> = windows
                .iter()
                .filter(|w| w.service == sv.id)
                .map(|w| (w.start, w.end))
                .collect();
            let state = if running(OutageKind::Full) {
                ServiceState::Outage
            } else if running(OutageKind::Degraded) {
                ServiceState::Degraded
            } else if mine.iter().any(|(s, e)| *s <= now && now < *e) {
                ServiceState::Maintenance
            } else {
                ServiceState::Operational
            };
            // Every full outage of the service counts, published or not: the figure is the
            // agreement's, not the page's.
            let outages: Vec<Span> = incidents
                .iter()
                .filter(|i| service_of(i).as_deref() == Some(sv.id.as_str()))
                .filter_map(Incident::outage_span)
                .filter(|(k, _, _)| *k == OutageKind::Full)
                .map(|(_, s, e)| (s, e.unwrap_or(now).min(now)))
                .collect();
            let targets = sv
                .availability
                .iter()
                .filter_map(|t| {
                    let m = measure(a, t, from, now, &outages, &mine)?.ok()?;
                    Some(TargetFigure {
                        schedule: t.schedule.clone(),
                        target: t.target,
                        percent: m.percent(),
                        down: m.down,
                        measured: m.measured(),
                        clause: t.prov.source.clone(),
                    })
                })
                .collect();
            let days = sv
                .availability
                .first()
                .map(|t| {
                    (0..DAYS)
                        .filter_map(|n| {
                            let date = first + Duration::days(n);
                            let start = resolve_local(a.tz, date.and_time(NaiveTime::MIN));
                            let end = resolve_local(a.tz, (date + Duration::days(1)).and_time(NaiveTime::MIN)).min(now);
                            let m = measure(a, t, start, end.max(start), &outages, &mine)?.ok()?;
                            Some(Day {
                                date,
                                measured: m.measured(),
                                down: m.down,
                                maintenance: m.excluded,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            ServiceStatus {
                id: sv.id.clone(),
                name: sv.name.clone(),
                state,
                targets,
                days,
            }
        })
        .collect();

    let name_of = |id: Option<&str>| a.service_or_main(id).map_or_else(|| a.name.clone(), |s| s.name.clone());
    let mut public: Vec<PublicIncident> = published
        .iter()
        .map(|i| {
            let span = i.outage_span();
            PublicIncident {
                id: i.id().clone(),
                service: name_of(i.service()),
                outage: span.map(|(k, _, _)| k),
                started: span.map_or(i.reported_at(), |(_, s, _)| s),
                resolved: if unresolved(i) { None } else { i.resolved_at() },
                texts: by_incident.get(i.id()).cloned().unwrap_or_default(),
            }
        })
        .collect();
    public.sort_by(|x, y| {
        (x.resolved.is_some(), std::cmp::Reverse(x.started), &x.id).cmp(&(
            y.resolved.is_some(),
            std::cmp::Reverse(y.started),
            &y.id,
        ))
    });

    let windows = windows
        .iter()
        .filter(|w| w.end > now)
        .map(|w| PublicWindow {
            id: w.id,
            service: name_of(Some(&w.service)),
            start: w.start,
            end: w.end,
            running: w.start <= now,
            announced: w.announced_at,
        })
        .collect();

    StatusPage {
        agreement: a.id.as_str().to_string(),
        name: a.name.clone(),
        tz: a.tz,
        now,
        from,
        services,
        incidents: public,
        windows,
    }
}
