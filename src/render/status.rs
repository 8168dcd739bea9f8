//! The public status page in words: the page as HTML and its Atom feed, written from a
//! [`StatusPage`] in one [`Locale`] (the agreement's language, as configured), with the
//! `minijinja` templates in `src/render/status/` (auto-escaped: every text a person typed is
//! escaped), dates in the language's own form and numbers with its decimal sign. Every word
//! is a [`StatusMsg`], in English, Norwegian (bokmål), Danish and Swedish (also the words of
//! the reply to `/incident publish`, written by [`super::reply`]).

use super::msg::{Locale, fill};
use crate::service::status::{Day, PublicIncident, ServiceState, StatusPage};
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::fmt::Display;

crate::messages! {
    /// The words of the status page, its feed and the publish reply, by key.
    pub enum StatusMsg {
    PageTitle => "Service status: {name}"
        nb "Driftsstatus: {name}"
        da "Driftsstatus: {name}"
        sv "Driftstatus: {name}",
    SkipToContent => "Skip to content"
        nb "Gå til innholdet"
        da "Gå til indholdet"
        sv "Hoppa till innehållet",
    Updated => "Updated {at}"
        nb "Oppdatert {at}"
        da "Opdateret {at}"
        sv "Uppdaterad {at}",
    NowHeading => "Status now"
        nb "Status nå"
        da "Status nu"
        sv "Status just nu",
    AllOperational => "All services are operating normally."
        nb "Alle tjenester er i normal drift."
        da "Alle tjenester er i normal drift."
        sv "Alla tjänster är i normal drift.",
    SomeAffected => "{count} of {total} services are affected."
        nb "{count} av {total} tjenester er berørt."
        da "{count} af {total} tjenester er berørt."
        sv "{count} av {total} tjänster är påverkade.",
    StateOperational => "Operational"
        nb "Normal drift"
        da "Normal drift"
        sv "Normal drift",
    StateDegraded => "Degraded: available with disturbance"
        nb "Redusert: tilgjengelig med forstyrrelser"
        da "Forringet: tilgængelig med forstyrrelser"
        sv "Störd: tillgänglig med störning",
    StateOutage => "Outage: unavailable"
        nb "Driftsavbrudd: utilgjengelig"
        da "Nedbrud: utilgængelig"
        sv "Avbrott: otillgänglig",
    StateMaintenance => "In maintenance"
        nb "Vedlikehold pågår"
        da "Vedligeholdelse i gang"
        sv "Underhåll pågår",
    MaintenanceHeading => "Maintenance"
        nb "Planlagt vedlikehold"
        da "Planlagt vedligeholdelse"
        sv "Planerat underhåll",
    NoMaintenance => "No maintenance is planned."
        nb "Det er ikke planlagt noe vedlikehold."
        da "Der er ikke planlagt vedligeholdelse."
        sv "Inget underhåll är planerat.",
    WindowRunning => "Running now, until {end}"
        nb "Pågår nå, til {end}"
        da "I gang nu, indtil {end}"
        sv "Pågår nu, till {end}",
    WindowPlanned => "From {start} to {end}"
        nb "Fra {start} til {end}"
        da "Fra {start} til {end}"
        sv "Från {start} till {end}",
    FeedWindowTitle => "Maintenance of {service}: {when}"
        nb "Vedlikehold av {service}: {when}"
        da "Vedligeholdelse af {service}: {when}"
        sv "Underhåll av {service}: {when}",
    IncidentsHeading => "Incidents, last {days} days"
        nb "Hendelser siste {days} dager"
        da "Hændelser de seneste {days} dage"
        sv "Incidenter de senaste {days} dagarna",
    NoIncidents => "No incidents have been published in the last {days} days."
        nb "Ingen hendelser er publisert de siste {days} dagene."
        da "Ingen hændelser er offentliggjort de seneste {days} dage."
        sv "Inga incidenter har publicerats de senaste {days} dagarna.",
    IncidentOngoing => "Ongoing"
        nb "Pågår"
        da "I gang"
        sv "Pågår",
    IncidentResolved => "Resolved"
        nb "Løst"
        da "Løst"
        sv "Löst",
    IncidentTitle => "{service}: {state}"
        nb "{service}: {state}"
        da "{service}: {state}"
        sv "{service}: {state}",
    IncidentBegan => "Began {at}."
        nb "Startet {at}."
        da "Startede {at}."
        sv "Började {at}.",
    IncidentResolvedAt => "Resolved {at}."
        nb "Løst {at}."
        da "Løst {at}."
        sv "Löst {at}.",
    OutageFull => "The service was unavailable."
        nb "Tjenesten var utilgjengelig."
        da "Tjenesten var utilgængelig."
        sv "Tjänsten var otillgänglig.",
    OutageDegraded => "The service was available with disturbance."
        nb "Tjenesten var tilgjengelig med forstyrrelser."
        da "Tjenesten var tilgængelig med forstyrrelser."
        sv "Tjänsten var tillgänglig med störning.",
    OutageFullOngoing => "The service is unavailable."
        nb "Tjenesten er utilgjengelig."
        da "Tjenesten er utilgængelig."
        sv "Tjänsten är otillgänglig.",
    OutageDegradedOngoing => "The service is available with disturbance."
        nb "Tjenesten er tilgjengelig med forstyrrelser."
        da "Tjenesten er tilgængelig med forstyrrelser."
        sv "Tjänsten är tillgänglig med störning.",
    Reference => "Reference {id}"
        nb "Referanse {id}"
        da "Reference {id}"
        sv "Referens {id}",
    AvailabilityHeading => "Availability, last {days} days"
        nb "Tilgjengelighet siste {days} dager"
        da "Tilgængelighed de seneste {days} dage"
        sv "Tillgänglighet de senaste {days} dagarna",
    NoTargets => "The agreement sets no availability target for this service."
        nb "Avtalen setter ikke noe tilgjengelighetsmål for denne tjenesten."
        da "Aftalen fastsætter ikke et tilgængelighedsmål for denne tjeneste."
        sv "Avtalet anger inget tillgänglighetsmål för den här tjänsten.",
    Figure => "{percent} available in operating time “{schedule}” (target {target}, clause {clause}): {verdict}; {downtime}."
        nb "{percent} tilgjengelig i driftstiden «{schedule}» (mål {target}, punkt {clause}): {verdict}; {downtime}."
        da "{percent} tilgængelig i driftstiden »{schedule}« (mål {target}, punkt {clause}): {verdict}; {downtime}."
        sv "{percent} tillgänglig under drifttiden ”{schedule}” (mål {target}, punkt {clause}): {verdict}; {downtime}.",
    FigureNone => "No operating time measured yet in “{schedule}” (target {target}, clause {clause})."
        nb "Ingen driftstid målt ennå i «{schedule}» (mål {target}, punkt {clause})."
        da "Ingen driftstid målt endnu i »{schedule}« (mål {target}, punkt {clause})."
        sv "Ingen drifttid uppmätt ännu under ”{schedule}” (mål {target}, punkt {clause}).",
    Downtime => "downtime {duration}"
        nb "nedetid {duration}"
        da "nedetid {duration}"
        sv "avbrottstid {duration}",
    NoDowntime => "no downtime"
        nb "ingen nedetid"
        da "ingen nedetid"
        sv "inget avbrott",
    TargetMet => "target met"
        nb "målet er nådd"
        da "målet er nået"
        sv "målet är uppnått",
    TargetMissed => "target not met"
        nb "målet er ikke nådd"
        da "målet er ikke nået"
        sv "målet är inte uppnått",
    BarLabel => "Each day of the last {days} days: {ok} without downtime, {down} with downtime, {none} without operating time."
        nb "Hver dag de siste {days} dagene: {ok} uten nedetid, {down} med nedetid, {none} uten driftstid."
        da "Hver dag de seneste {days} dage: {ok} uden nedetid, {down} med nedetid, {none} uden driftstid."
        sv "Varje dag de senaste {days} dagarna: {ok} utan avbrott, {down} med avbrott, {none} utan drifttid.",
    BarLegend => "Full bars: no downtime. Short bars: downtime that day (the shorter, the more). Dots: no operating time."
        nb "Hele søyler: ingen nedetid. Korte søyler: nedetid den dagen (jo kortere, jo mer). Prikker: ingen driftstid."
        da "Hele søjler: ingen nedetid. Korte søjler: nedetid den dag (jo kortere, jo mere). Prikker: ingen driftstid."
        sv "Hela staplar: inget avbrott. Korta staplar: avbrott den dagen (ju kortare, desto mer). Prickar: ingen drifttid.",
    BarFrom => "{days} days ago"
        nb "for {days} dager siden"
        da "for {days} dage siden"
        sv "för {days} dagar sedan",
    BarToday => "Today"
        nb "I dag"
        da "I dag"
        sv "I dag",
    DaysDown => "Days with downtime"
        nb "Dager med nedetid"
        da "Dage med nedetid"
        sv "Dagar med avbrott",
    DayDown => "{date}: down {downtime}, {percent} available"
        nb "{date}: nede {downtime}, {percent} tilgjengelig"
        da "{date}: nede {downtime}, {percent} tilgængelig"
        sv "{date}: nere {downtime}, {percent} tillgänglig",
    DayOk => "{date}: no downtime"
        nb "{date}: ingen nedetid"
        da "{date}: ingen nedetid"
        sv "{date}: inget avbrott",
    DayNone => "{date}: no operating time"
        nb "{date}: ingen driftstid"
        da "{date}: ingen driftstid"
        sv "{date}: ingen drifttid",
    FeedLink => "Follow updates (Atom feed)"
        nb "Følg oppdateringer (Atom-feed)"
        da "Følg opdateringer (Atom-feed)"
        sv "Följ uppdateringar (Atom-flöde)",
    Footer => "Only what the operator has published is shown here. Times are local ({zone})."
        nb "Her vises bare det leverandøren har publisert. Tidene er lokal tid ({zone})."
        da "Her vises kun det, leverandøren har offentliggjort. Tidspunkter er lokal tid ({zone})."
        sv "Här visas bara det leverantören har publicerat. Tiderna är lokal tid ({zone}).",
    Date => "{day} {month} {year}"
        nb "{day}. {month} {year}"
        da "{day}. {month} {year}"
        sv "{day} {month} {year}",
    DateTime => "{day} {month} {year}, {time}"
        nb "{day}. {month} {year} kl. {time}"
        da "{day}. {month} {year} kl. {time}"
        sv "{day} {month} {year} kl. {time}",
    HoursMinutes => "{h} h {m} min"
        nb "{h} t {m} min"
        da "{h} t. {m} min."
        sv "{h} tim {m} min",
    Minutes => "{m} min"
        nb "{m} min"
        da "{m} min."
        sv "{m} min",
    Percent => "{n}%"
        nb "{n} %"
        da "{n} %"
        sv "{n} %",
    January => "January" nb "januar" da "januar" sv "januari",
    February => "February" nb "februar" da "februar" sv "februari",
    March => "March" nb "mars" da "marts" sv "mars",
    April => "April" nb "april" da "april" sv "april",
    May => "May" nb "mai" da "maj" sv "maj",
    June => "June" nb "juni" da "juni" sv "juni",
    July => "July" nb "juli" da "juli" sv "juli",
    August => "August" nb "august" da "august" sv "augusti",
    September => "September" nb "september" da "september" sv "september",
    October => "October" nb "oktober" da "oktober" sv "oktober",
    November => "November" nb "november" da "november" sv "november",
    December => "December" nb "desember" da "december" sv "december",
    ReplyPublishedFirst => "{id} is on the status page now, with its public text"
        nb "{id} vises nå på statussiden, med sin offentlige tekst"
        da "{id} vises nu på statussiden, med sin offentlige tekst"
        sv "{id} visas nu på statussidan, med sin offentliga text",
    ReplyPublishedUpdate => "public update {count} of {id} published on the status page"
        nb "offentlig oppdatering {count} av {id} er publisert på statussiden"
        da "offentlig opdatering {count} af {id} er offentliggjort på statussiden"
        sv "offentlig uppdatering {count} av {id} är publicerad på statussidan",
    }
}

/// A template failed to render (a bug in a template, never in the data).
#[derive(Debug, thiserror::Error)]
#[error("the status page template failed: {0}")]
pub struct TemplateError(#[from] minijinja::Error);

/// The page's and the feed's templates, compiled once.
fn templates() -> &'static minijinja::Environment<'static> {
    static ENV: std::sync::OnceLock<minijinja::Environment<'static>> = std::sync::OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = minijinja::Environment::new();
        // Both are checked by the tests; a broken one fails every render with its error.
        let _ = env.add_template("status.html", include_str!("status/status.html"));
        let _ = env.add_template("feed.xml", include_str!("status/feed.xml"));
        env
    })
}

/// Writes the page's words in one locale.
struct Words {
    locale: Locale,
    tz: Tz,
}

impl Words {
    fn say(&self, m: StatusMsg, args: &[(&str, &dyn Display)]) -> String {
        fill(m.text(self.locale), args)
    }

    fn word(&self, m: StatusMsg) -> String {
        m.text(self.locale).to_string()
    }

    fn month(&self, month: u32) -> &'static str {
        use StatusMsg::*;
        let m = [
            January, February, March, April, May, June, July, August, September, October, November, December,
        ];
        m[(month.clamp(1, 12) - 1) as usize].text(self.locale)
    }

    /// A local date in the language's form (`5. desember 2026`).
    fn date(&self, d: chrono::NaiveDate) -> String {
        self.say(
            StatusMsg::Date,
            &[
                ("day", &d.day()),
                ("month", &self.month(d.month())),
                ("year", &d.year()),
            ],
        )
    }

    /// An instant in the agreement's zone (`5. desember 2026 kl. 10:45`).
    fn at(&self, at: DateTime<Utc>) -> String {
        let l = at.with_timezone(&self.tz);
        self.say(
            StatusMsg::DateTime,
            &[
                ("day", &l.day()),
                ("month", &self.month(l.month())),
                ("year", &l.year()),
                ("time", &l.format("%H:%M")),
            ],
        )
    }

    /// A number with `decimals` decimals and the language's decimal sign.
    fn number(&self, n: f64, decimals: usize) -> String {
        super::style::decimal(n, decimals, self.locale)
    }

    /// A percentage with two decimals, rounded down (99.999 is not shown as 100).
    fn percent(&self, p: f64) -> String {
        let floored = (p * 100.0).floor() / 100.0;
        self.say(StatusMsg::Percent, &[("n", &self.number(floored, 2))])
    }

    /// A target: as few decimals as it has (`99,7 %`).
    fn target(&self, t: f64) -> String {
        let s = format!("{t}");
        let decimals = s.split_once('.').map_or(0, |(_, d)| d.len());
        self.say(StatusMsg::Percent, &[("n", &self.number(t, decimals))])
    }

    /// Seconds as hours and minutes (rounded up to the minute, so any downtime shows).
    fn duration(&self, seconds: i64) -> String {
        let minutes = (seconds.max(0) + 59) / 60;
        let (h, m) = (minutes / 60, minutes % 60);
        if h == 0 {
            self.say(StatusMsg::Minutes, &[("m", &m)])
        } else {
            self.say(StatusMsg::HoursMinutes, &[("h", &h), ("m", &m)])
        }
    }

    fn state(&self, s: ServiceState) -> String {
        self.word(match s {
            ServiceState::Operational => StatusMsg::StateOperational,
            ServiceState::Degraded => StatusMsg::StateDegraded,
            ServiceState::Outage => StatusMsg::StateOutage,
            ServiceState::Maintenance => StatusMsg::StateMaintenance,
        })
    }
}

/// The CSS class of a state (the template's colour and shape; the word says it too).
fn state_class(s: ServiceState) -> &'static str {
    match s {
        ServiceState::Operational => "ok",
        ServiceState::Degraded => "degraded",
        ServiceState::Outage => "outage",
        ServiceState::Maintenance => "maintenance",
    }
}

#[derive(Serialize)]
struct ServiceCtx {
    name: String,
    state: String,
    class: &'static str,
    figures: Vec<String>,
    bar_label: String,
    days: Vec<DayCtx>,
    down_days: Vec<String>,
}

#[derive(Serialize)]
struct DayCtx {
    /// `ok`, `down` or `none`.
    class: &'static str,
    /// Bar height, percent of full (downtime shortens it; never under 15 so it shows).
    height: u32,
    title: String,
}

#[derive(Serialize)]
struct TextCtx {
    at: String,
    iso: String,
    text: String,
}

#[derive(Serialize)]
struct IncidentCtx {
    id: String,
    title: String,
    class: &'static str,
    began: String,
    resolved: Option<String>,
    outage: Option<String>,
    reference: String,
    texts: Vec<TextCtx>,
    updated_iso: String,
    summary: String,
}

#[derive(Serialize)]
struct WindowCtx {
    id: i64,
    service: String,
    when: String,
    running: bool,
    start_iso: String,
    end_iso: String,
    title: String,
    announced_iso: String,
}

#[derive(Serialize)]
struct PageCtx {
    lang: &'static str,
    agreement: String,
    title: String,
    skip: String,
    updated: String,
    updated_iso: String,
    now_heading: String,
    summary: String,
    affected: bool,
    services: Vec<ServiceCtx>,
    maintenance_heading: String,
    no_maintenance: String,
    windows: Vec<WindowCtx>,
    incidents_heading: String,
    no_incidents: String,
    incidents: Vec<IncidentCtx>,
    availability_heading: String,
    legend: String,
    bar_from: String,
    bar_today: String,
    days_down: String,
    no_targets: String,
    feed_link: String,
    footer: String,
}

fn day_ctx(w: &Words, d: &Day) -> DayCtx {
    let date = w.date(d.date);
    if d.measured <= 0 {
        return DayCtx {
            class: "none",
            height: 15,
            title: w.say(StatusMsg::DayNone, &[("date", &date)]),
        };
    }
    if d.down <= 0 {
        return DayCtx {
            class: "ok",
            height: 100,
            title: w.say(StatusMsg::DayOk, &[("date", &date)]),
        };
    }
    let up = (d.measured - d.down).max(0) as f64 / d.measured as f64;
    DayCtx {
        class: "down",
        // Any downtime shortens the bar visibly (at most 80 %), more downtime more.
        height: (15.0 + 65.0 * up).round() as u32,
        title: w.say(
            StatusMsg::DayDown,
            &[
                ("date", &date),
                ("downtime", &w.duration(d.down)),
                ("percent", &w.percent(100.0 * up)),
            ],
        ),
    }
}

fn incident_ctx(w: &Words, i: &PublicIncident) -> IncidentCtx {
    let (state, class) = match i.resolved {
        Some(_) => (StatusMsg::IncidentResolved, "resolved"),
        None => (StatusMsg::IncidentOngoing, "ongoing"),
    };
    let title = w.say(
        StatusMsg::IncidentTitle,
        &[("service", &i.service), ("state", &w.word(state))],
    );
    let mut texts: Vec<TextCtx> = i
        .texts
        .iter()
        .map(|t| TextCtx {
            at: w.at(t.at),
            iso: t.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            text: t.text.clone(),
        })
        .collect();
    // Latest first, as status pages read.
    texts.reverse();
    let began = w.say(StatusMsg::IncidentBegan, &[("at", &w.at(i.started))]);
    let resolved = i
        .resolved
        .map(|r| w.say(StatusMsg::IncidentResolvedAt, &[("at", &w.at(r))]));
    let outage = i.outage.map(|k| {
        use crate::domain::incident::OutageKind::{Degraded, Full};
        w.word(match (k, i.resolved.is_some()) {
            (Full, true) => StatusMsg::OutageFull,
            (Degraded, true) => StatusMsg::OutageDegraded,
            (Full, false) => StatusMsg::OutageFullOngoing,
            (Degraded, false) => StatusMsg::OutageDegradedOngoing,
        })
    });
    let summary = [Some(began.clone()), resolved.clone(), outage.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    IncidentCtx {
        id: i.id.to_string(),
        title,
        class,
        began,
        resolved,
        outage,
        reference: w.say(StatusMsg::Reference, &[("id", &i.id)]),
        texts,
        updated_iso: i.updated().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        summary,
    }
}

fn context(page: &StatusPage, locale: Locale) -> PageCtx {
    let w = Words { locale, tz: page.tz };
    let days = crate::service::status::DAYS;
    let iso = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let services: Vec<ServiceCtx> = page
        .services
        .iter()
        .map(|s| {
            let figures = s
                .targets
                .iter()
                .map(|t| {
                    let common: [(&str, &dyn Display); 3] = [
                        ("schedule", &t.schedule),
                        ("target", &w.target(t.target)),
                        ("clause", &t.clause),
                    ];
                    match (t.percent, t.met()) {
                        (Some(p), Some(met)) => {
                            let verdict = w.word(if met {
                                StatusMsg::TargetMet
                            } else {
                                StatusMsg::TargetMissed
                            });
                            let mut args = common.to_vec();
                            let percent = w.percent(p);
                            let downtime = if t.down > 0 {
                                w.say(StatusMsg::Downtime, &[("duration", &w.duration(t.down))])
                            } else {
                                w.word(StatusMsg::NoDowntime)
                            };
                            args.extend([
                                ("percent", &percent as &dyn Display),
                                ("verdict", &verdict),
                                ("downtime", &downtime),
                            ]);
                            w.say(StatusMsg::Figure, &args)
                        }
                        _ => w.say(StatusMsg::FigureNone, &common),
                    }
                })
                .collect();
            let count = |class: &str, ds: &[DayCtx]| ds.iter().filter(|d| d.class == class).count();
            let day_ctxs: Vec<DayCtx> = s.days.iter().map(|d| day_ctx(&w, d)).collect();
            let down_days = day_ctxs
                .iter()
                .filter(|d| d.class == "down")
                .map(|d| d.title.clone())
                .collect();
            ServiceCtx {
                name: s.name.clone(),
                state: w.state(s.state),
                class: state_class(s.state),
                figures,
                bar_label: w.say(
                    StatusMsg::BarLabel,
                    &[
                        ("days", &day_ctxs.len()),
                        ("ok", &count("ok", &day_ctxs)),
                        ("down", &count("down", &day_ctxs)),
                        ("none", &count("none", &day_ctxs)),
                    ],
                ),
                days: day_ctxs,
                down_days,
            }
        })
        .collect();
    let affected = page
        .services
        .iter()
        .filter(|s| s.state != ServiceState::Operational)
        .count();
    let summary = if affected == 0 {
        w.word(StatusMsg::AllOperational)
    } else {
        w.say(
            StatusMsg::SomeAffected,
            &[("count", &affected), ("total", &page.services.len())],
        )
    };
    let windows = page
        .windows
        .iter()
        .map(|win| {
            let when = if win.running {
                w.say(StatusMsg::WindowRunning, &[("end", &w.at(win.end))])
            } else {
                w.say(
                    StatusMsg::WindowPlanned,
                    &[("start", &w.at(win.start)), ("end", &w.at(win.end))],
                )
            };
            WindowCtx {
                id: win.id,
                title: w.say(
                    StatusMsg::FeedWindowTitle,
                    &[("service", &win.service), ("when", &when)],
                ),
                service: win.service.clone(),
                when,
                running: win.running,
                start_iso: iso(win.start),
                end_iso: iso(win.end),
                announced_iso: iso(win.announced),
            }
        })
        .collect();
    PageCtx {
        lang: locale.code(),
        agreement: page.agreement.clone(),
        title: w.say(StatusMsg::PageTitle, &[("name", &page.name)]),
        skip: w.word(StatusMsg::SkipToContent),
        updated: w.say(StatusMsg::Updated, &[("at", &w.at(page.now))]),
        updated_iso: iso(page.updated()),
        now_heading: w.word(StatusMsg::NowHeading),
        summary,
        affected: affected > 0,
        services,
        maintenance_heading: w.word(StatusMsg::MaintenanceHeading),
        no_maintenance: w.word(StatusMsg::NoMaintenance),
        windows,
        incidents_heading: w.say(StatusMsg::IncidentsHeading, &[("days", &days)]),
        no_incidents: w.say(StatusMsg::NoIncidents, &[("days", &days)]),
        incidents: page.incidents.iter().map(|i| incident_ctx(&w, i)).collect(),
        availability_heading: w.say(StatusMsg::AvailabilityHeading, &[("days", &days)]),
        legend: w.word(StatusMsg::BarLegend),
        bar_from: w.say(StatusMsg::BarFrom, &[("days", &days)]),
        bar_today: w.word(StatusMsg::BarToday),
        days_down: w.word(StatusMsg::DaysDown),
        no_targets: w.word(StatusMsg::NoTargets),
        feed_link: w.word(StatusMsg::FeedLink),
        footer: w.say(StatusMsg::Footer, &[("zone", &page.tz.name())]),
    }
}

/// The status page as an HTML document in `locale`.
pub fn html(page: &StatusPage, locale: Locale) -> Result<String, TemplateError> {
    Ok(templates().get_template("status.html")?.render(context(page, locale))?)
}

/// The page's Atom feed (RFC 4287) in `locale`: an entry per published incident (its public
/// texts, latest first) and per maintenance window running or to come.
pub fn atom(page: &StatusPage, locale: Locale) -> Result<String, TemplateError> {
    Ok(templates().get_template("feed.xml")?.render(context(page, locale))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_message_exists_in_every_language() {
        crate::render::msg::tests::check_table(StatusMsg::ALL, |m, l| m.translated(l));
    }

    #[test]
    fn numbers_and_dates_follow_the_language() {
        let w = |locale| Words {
            locale,
            tz: chrono_tz::Europe::Oslo,
        };
        assert_eq!(w(Locale::Nb).percent(99.5), "99,50 %");
        assert_eq!(w(Locale::En).percent(99.5), "99.50%");
        assert_eq!(w(Locale::Sv).percent(99.9999), "99,99 %");
        assert_eq!(w(Locale::Da).target(99.7), "99,7 %");
        assert_eq!(w(Locale::Nb).duration(61), "2 min");
        assert_eq!(w(Locale::Nb).duration(3600 * 2 + 15 * 60), "2 t 15 min");
        let at = "2026-12-05T09:45:00Z".parse().expect("instant");
        assert_eq!(w(Locale::Nb).at(at), "5. desember 2026 kl. 10:45");
        assert_eq!(w(Locale::Sv).at(at), "5 december 2026 kl. 10:45");
        assert_eq!(w(Locale::En).at(at), "5 December 2026, 10:45");
    }
}
