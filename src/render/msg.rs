//! Messages by key: every sentence and word the notices, replies and incident views use is a
//! [`Msg`], looked up in the [`Locale`] of the adapter's style and filled with named
//! arguments (`{head}`, `{late}`, …). Each key is written once, with its English text and its
//! Norwegian (bokmål), Danish and Swedish texts beside it:
//!
//! ```text
//! Key => "english {arg}"
//!     nb "norsk {arg}"
//!     da "dansk {arg}"
//!     sv "svenska {arg}",
//! ```
//!
//! A key written with its English text only is a translation still owed: it renders in English
//! and the test of every table fails on it. Another table of the same shape (another area's
//! keys) is declared with the same `messages!` macro.

use crate::domain::incident::{Milestone, Resolution, State};
use std::fmt::Display;

pub use crate::domain::locale::Locale;

/// A key of any messages table: its text in a locale, placeholders unfilled.
pub trait Key: Copy {
    /// The text in `locale` (English where a translation is owed).
    fn text(self, locale: Locale) -> &'static str;
}

/// Declares a table of messages: an enum of keys, each documented by its English text, with
/// `ALL` (every key in table order), `english()` and `translated(locale)` (the text in that
/// locale, `None` where the translation is still owed).
#[macro_export]
macro_rules! messages {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($key:ident => $en:literal $(nb $nb:literal da $da:literal sv $sv:literal)?,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $name {
            $(#[doc = $en] $key,)*
        }

        impl $name {
            /// Every message, in table order (for checking each locale's table).
            pub const ALL: &'static [$name] = &[$($name::$key,)*];

            /// The English text.
            pub fn english(self) -> &'static str {
                match self {
                    $($name::$key => $en,)*
                }
            }

            /// The text in `locale`, placeholders unfilled; `None` where a translation is owed.
            pub fn translated(self, locale: $crate::render::msg::Locale) -> Option<&'static str> {
                use $crate::render::msg::Locale;
                match locale {
                    Locale::En => Some(self.english()),
                    #[allow(unreachable_patterns)]
                    _ => match self {
                        $($name::$key => $crate::messages!(@pick locale $(, $nb, $da, $sv)?),)*
                    },
                }
            }

            /// The text in `locale` (English where a translation is owed, which a test forbids).
            pub fn text(self, locale: $crate::render::msg::Locale) -> &'static str {
                self.translated(locale).unwrap_or_else(|| self.english())
            }
        }

        impl $crate::render::msg::Key for $name {
            fn text(self, locale: $crate::render::msg::Locale) -> &'static str {
                $name::text(self, locale)
            }
        }
    };
    (@pick $locale:ident) => { None };
    (@pick $locale:ident, $nb:literal, $da:literal, $sv:literal) => {
        match $locale {
            $crate::render::msg::Locale::Nb => Some($nb),
            $crate::render::msg::Locale::Da => Some($da),
            $crate::render::msg::Locale::Sv => Some($sv),
            $crate::render::msg::Locale::En => None,
        }
    };
}

messages! {
    /// A message or word of the notices, replies, views and cards, by key.
    pub enum Msg {
    // Words.
    Response => "response"
        nb "responstid"
        da "reaktionstid"
        sv "responstid",
    Resolution => "resolution"
        nb "løsningstid"
        da "løsningstid"
        sv "åtgärdstid",
    Fix => "fix"
        nb "varig løsning"
        da "permanent løsning"
        sv "permanent lösning",
    Workaround => "workaround"
        nb "midlertidig løsning"
        da "midlertidig løsning"
        sv "tillfällig lösning",
    None => "none"
        nb "ingen"
        da "ingen"
        sv "ingen",
    NoneYet => "none yet"
        nb "ingen ennå"
        da "ingen endnu"
        sv "ingen ännu",
    Responders => "responders"
        nb "vakthavende"
        da "vagthavende"
        sv "jourhavande",
    // Parts of notices.
    Head => "{id} [{priority}] {title}"
        nb "{id} [{priority}] {title}"
        da "{id} [{priority}] {title}"
        sv "{id} [{priority}] {title}",
    Late => " (late: was due {at})"
        nb " (forsinket: skulle vært sendt {at})"
        da " (forsinket: skulle have været sendt {at})"
        sv " (försenad: skulle ha skickats {at})",
    By => " by {actor}"
        nb " av {actor}"
        da " af {actor}"
        sv " av {actor}",
    Colon => ": {text}"
        nb ": {text}"
        da ": {text}"
        sv ": {text}",
    // Notices.
    Opened => "🆕 {head} — opened by {actor}, priority {priority} {name}{late}"
        nb "🆕 {head} — registrert av {actor}, prioritet {priority} {name}{late}"
        da "🆕 {head} — oprettet af {actor}, prioritet {priority} {name}{late}"
        sv "🆕 {head} — registrerad av {actor}, prioritet {priority} {name}{late}",
    Warning => "⚠\u{fe0f} {head}: {percent} % of the {milestone} time used — due {due}{left}{late}"
        nb "⚠\u{fe0f} {head}: {percent} % av tiden er brukt ({milestone}) — frist {due}{left}{late}"
        da "⚠\u{fe0f} {head}: {percent} % af tiden er brugt ({milestone}) — frist {due}{left}{late}"
        sv "⚠\u{fe0f} {head}: {percent} % av tiden har gått ({milestone}) — senast {due}{left}{late}",
    WarningLeft => ", {left}"
        nb ", {left}"
        da ", {left}"
        sv ", {left}",
    Breached => "⛔ {head}: the {milestone} target was breached{at} — escalated to level {level}: {level_name} (clause {clause}){passed}{late}"
        nb "⛔ {head}: {milestone} overskredet{at} — eskalert til nivå {level}: {level_name} (punkt {clause}){passed}{late}"
        da "⛔ {head}: {milestone} overskredet{at} — eskaleret til niveau {level}: {level_name} (punkt {clause}){passed}{late}"
        sv "⛔ {head}: {milestone} överskriden{at} — eskalerad till nivå {level}: {level_name} (punkt {clause}){passed}{late}",
    BreachedAt => " at {at}"
        nb " {at}"
        da " {at}"
        sv " {at}",
    PassedOne => "; level {level} fell due while vakt was down"
        nb "; nivå {level} skulle vært varslet mens vakt var nede"
        da "; niveau {level} skulle have været tilkaldt, mens vakt var nede"
        sv "; nivå {level} skulle ha larmats medan vakt låg nere",
    PassedMany => "; levels {levels} fell due while vakt was down"
        nb "; nivå {levels} skulle vært varslet mens vakt var nede"
        da "; niveau {levels} skulle have været tilkaldt, mens vakt var nede"
        sv "; nivå {levels} skulle ha larmats medan vakt låg nere",
    EscalatedByHand => "🚨 {head}: escalated by hand{who} to level {level}: {level_name}{why}{late}"
        nb "🚨 {head}: eskalert manuelt{who} til nivå {level}: {level_name}{why}{late}"
        da "🚨 {head}: eskaleret manuelt{who} til niveau {level}: {level_name}{why}{late}"
        sv "🚨 {head}: eskalerad manuellt{who} till nivå {level}: {level_name}{why}{late}",
    Repage => "📟 {head}: still not acknowledged — paging level {level}: {level_name} again ({page} of {limit}){late}"
        nb "📟 {head}: fortsatt ikke kvittert — varsler nivå {level}: {level_name} på nytt ({page} av {limit}){late}"
        da "📟 {head}: stadig ikke kvitteret — tilkalder niveau {level}: {level_name} igen ({page} af {limit}){late}"
        sv "📟 {head}: fortfarande inte kvitterad — larmar nivå {level}: {level_name} igen ({page} av {limit}){late}",
    RepageClimb => "📟 {head}: still not acknowledged after {limit} pages — climbing to level {level}: {level_name}{late}"
        nb "📟 {head}: fortsatt ikke kvittert etter {limit} varsler — går videre til nivå {level}: {level_name}{late}"
        da "📟 {head}: stadig ikke kvitteret efter {limit} tilkald — går videre til niveau {level}: {level_name}{late}"
        sv "📟 {head}: fortfarande inte kvitterad efter {limit} larm — går vidare till nivå {level}: {level_name}{late}",
    Notification => "🚨 {head}: {what}{late}"
        nb "🚨 {head}: {what}{late}"
        da "🚨 {head}: {what}{late}"
        sv "🚨 {head}: {what}{late}",
    NotificationClause => "🚨 {head}: {what} (clause {clause}){late}"
        nb "🚨 {head}: {what} (punkt {clause}){late}"
        da "🚨 {head}: {what} (punkt {clause}){late}"
        sv "🚨 {head}: {what} (punkt {clause}){late}",
    FollowUp => "📌 {head}: due now — {what}{late}"
        nb "📌 {head}: frist nå — {what}{late}"
        da "📌 {head}: frist nu — {what}{late}"
        sv "📌 {head}: ska göras nu — {what}{late}",
    FollowUpSoon => "📌 {head}: due {due} — {what}{late}"
        nb "📌 {head}: frist {due} — {what}{late}"
        da "📌 {head}: frist {due} — {what}{late}"
        sv "📌 {head}: senast {due} — {what}{late}",
    Status => "📣 Status update {seq} — {head} is {state}{late}"
        nb "📣 Statusoppdatering {seq} — {head} er {state}{late}"
        da "📣 Statusopdatering {seq} — {head} er {state}{late}"
        sv "📣 Statusuppdatering {seq} — {head} är {state}{late}",
    StatusDue => "\n{milestone}: due {deadline}"
        nb "\n{milestone}: frist {deadline}"
        da "\n{milestone}: frist {deadline}"
        sv "\n{milestone}: senast {deadline}",
    StatusNote => "\nLatest update: {note}"
        nb "\nSiste oppdatering: {note}"
        da "\nSeneste opdatering: {note}"
        sv "\nSenaste uppdatering: {note}",
    StatusManagers => "\n{count} reminders in a row went unanswered — managers, please look in; the reminders after this one ping nobody."
        nb "\n{count} påminnelser på rad er ikke besvart — ledere, se på saken; påminnelsene etter denne varsler ingen."
        da "\n{count} påmindelser i træk er ikke besvaret — ledere, se på sagen; påmindelserne herefter notificerer ingen."
        sv "\n{count} påminnelser i rad har inte besvarats — chefer, titta på ärendet; påminnelserna efter denna larmar ingen.",
    StatusReminder => "\nReminder: no update from a person since {since} — {lead}, please post one."
        nb "\nPåminnelse: ingen manuell oppdatering siden {since} — {lead}, legg inn en oppdatering."
        da "\nPåmindelse: ingen manuel opdatering siden {since} — {lead}, skriv venligst en opdatering."
        sv "\nPåminnelse: ingen manuell uppdatering sedan {since} — {lead}, skriv en uppdatering.",
    Acknowledged => "👀 {head}: acknowledged by {actor}{late}"
        nb "👀 {head}: kvittert av {actor}{late}"
        da "👀 {head}: kvitteret af {actor}{late}"
        sv "👀 {head}: kvitterad av {actor}{late}",
    Updated => "📝 {head}: update from {actor}: {note}{late}"
        nb "📝 {head}: oppdatering fra {actor}: {note}{late}"
        da "📝 {head}: opdatering fra {actor}: {note}{late}"
        sv "📝 {head}: uppdatering från {actor}: {note}{late}",
    PriorityChanged => "↕\u{fe0f} {head}: priority {from} → {to} {name}{how}{late}"
        nb "↕\u{fe0f} {head}: prioritet {from} → {to} {name}{how}{late}"
        da "↕\u{fe0f} {head}: prioritet {from} → {to} {name}{how}{late}"
        sv "↕\u{fe0f} {head}: prioritet {from} → {to} {name}{how}{late}",
    PrioritySetBy => ", set by {actor}: {reason}"
        nb ", satt av {actor}: {reason}"
        da ", sat af {actor}: {reason}"
        sv ", satt av {actor}: {reason}",
    PriorityByRulesAfter => ", by the agreement's rules after new facts from {actor}"
        nb ", etter avtalens regler, med nye opplysninger fra {actor}"
        da ", efter aftalens regler, med nye oplysninger fra {actor}"
        sv ", enligt avtalets regler, med nya uppgifter från {actor}",
    PriorityByRules => ", by the agreement's rules"
        nb ", etter avtalens regler"
        da ", efter aftalens regler"
        sv ", enligt avtalets regler",
    Resolved => "✅ {head}: resolved ({how}) by {actor}{note}{late}"
        nb "✅ {head}: løst ({how}) av {actor}{note}{late}"
        da "✅ {head}: løst ({how}) af {actor}{note}{late}"
        sv "✅ {head}: löst ({how}) av {actor}{note}{late}",
    Reopened => "↺ {head}: reopened by {actor}: {reason}{late}"
        nb "↺ {head}: gjenåpnet av {actor}: {reason}{late}"
        da "↺ {head}: genåbnet af {actor}: {reason}{late}"
        sv "↺ {head}: återöppnad av {actor}: {reason}{late}",
    Closed => "■ {head}: closed by {actor}{late}"
        nb "■ {head}: lukket av {actor}{late}"
        da "■ {head}: lukket af {actor}{late}"
        sv "■ {head}: stängd av {actor}{late}",
    Edited => "✏\u{fe0f} {head}: {actor} edited the {what}{late}"
        nb "✏\u{fe0f} {head}: {actor} endret {what}{late}"
        da "✏\u{fe0f} {head}: {actor} ændrede {what}{late}"
        sv "✏\u{fe0f} {head}: {actor} ändrade {what}{late}",
    EditedTitleWas => "title (was \"{before}\")"
        nb "tittelen (var «{before}»)"
        da "titlen (var »{before}«)"
        sv "rubriken (var ”{before}”)",
    EditedDescription => "description"
        nb "beskrivelsen"
        da "beskrivelsen"
        sv "beskrivningen",
    EditedBoth => "title (was \"{before}\") and the description"
        nb "tittelen (var «{before}») og beskrivelsen"
        da "titlen (var »{before}«) og beskrivelsen"
        sv "rubriken (var ”{before}”) och beskrivningen",
    MarkedDuplicate => "🔗 {head}: marked a duplicate of {of} by {actor}; resolved, its clocks stopped — follow {of}{late}"
        nb "🔗 {head}: markert som duplikat av {of} av {actor}; løst, tidsmålingen er stoppet — følg {of}{late}"
        da "🔗 {head}: markeret som dublet af {of} af {actor}; løst, tidsmålingen er stoppet — følg {of}{late}"
        sv "🔗 {head}: markerad som dubblett av {of} av {actor}; löst, tidmätningen har stoppats — följ {of}{late}",
    Snoozed => "💤 {head}: status updates snoozed by {actor} until {until}: {reason} (deadlines and escalations go on){late}"
        nb "💤 {head}: statusoppdateringer satt på pause av {actor} til {until}: {reason} (frister og eskalering løper videre){late}"
        da "💤 {head}: statusopdateringer sat på pause af {actor} til {until}: {reason} (frister og eskalering løber videre){late}"
        sv "💤 {head}: statusuppdateringar pausade av {actor} till {until}: {reason} (tidsgränser och eskalering löper vidare){late}",
    LeadTaken => "🧭 {head}: {actor} took the lead{from}{late}"
        nb "🧭 {head}: {actor} tok ansvaret{from}{late}"
        da "🧭 {head}: {actor} overtog ansvaret{from}{late}"
        sv "🧭 {head}: {actor} tog över ansvaret{from}{late}",
    LeadGiven => "🧭 {head}: {actor} handed the lead to {to}{from}{late}"
        nb "🧭 {head}: {actor} ga ansvaret til {to}{from}{late}"
        da "🧭 {head}: {actor} gav ansvaret til {to}{from}{late}"
        sv "🧭 {head}: {actor} lämnade över ansvaret till {to}{from}{late}",
    LeadFrom => " (was {from})"
        nb " (tidligere {from})"
        da " (tidligere {from})"
        sv " (tidigare {from})",
    AgreementChanged => "📄 {head}: the agreement changed; deadlines recomputed from the original clock start — response {response_before} → {response}, resolution {resolution_before} → {resolution}{late}"
        nb "📄 {head}: avtalen er endret; fristene er beregnet på nytt fra opprinnelig starttidspunkt — responstid {response_before} → {response}, løsningstid {resolution_before} → {resolution}{late}"
        da "📄 {head}: aftalen er ændret; fristerne er beregnet igen fra det oprindelige starttidspunkt — reaktionstid {response_before} → {response}, løsningstid {resolution_before} → {resolution}{late}"
        sv "📄 {head}: avtalet har ändrats; tidsgränserna har räknats om från den ursprungliga starttiden — responstid {response_before} → {response}, åtgärdstid {resolution_before} → {resolution}{late}",
    MaintenanceBefore => "🛠\u{fe0f} Maintenance window #{id} on {service} ({kind}) starts {start} and is announced to end {end}: {description}{late}"
        nb "🛠\u{fe0f} Vedlikeholdsvindu #{id} på {service} ({kind}) starter {start}, varslet slutt {end}: {description}{late}"
        da "🛠\u{fe0f} Servicevindue #{id} på {service} ({kind}) starter {start}, varslet slut {end}: {description}{late}"
        sv "🛠\u{fe0f} Servicefönster #{id} för {service} ({kind}) börjar {start}, aviserat slut {end}: {description}{late}",
    MaintenanceEnd => "🛠\u{fe0f} Maintenance window #{id} on {service} ({kind}) should have ended {end}: if the service is still down, that time counts as downtime{late}"
        nb "🛠\u{fe0f} Vedlikeholdsvindu #{id} på {service} ({kind}) skulle vært avsluttet {end}: er tjenesten fortsatt nede, regnes tiden som nedetid{late}"
        da "🛠\u{fe0f} Servicevindue #{id} på {service} ({kind}) skulle have sluttet {end}: er servicen stadig nede, tæller tiden som nedetid{late}"
        sv "🛠\u{fe0f} Servicefönster #{id} för {service} ({kind}) skulle ha slutat {end}: är tjänsten fortfarande nere räknas tiden som avbrottstid{late}",
    // Calendar feed entries.
    CalendarName => "{agreement}: maintenance, meetings and reports"
        nb "{agreement}: vedlikehold, møter og rapporter"
        da "{agreement}: servicevinduer, møder og rapporter"
        sv "{agreement}: servicefönster, möten och rapporter",
    CalendarMaintenance => "Maintenance: {service} ({kind})"
        nb "Vedlikehold: {service} ({kind})"
        da "Servicevindue: {service} ({kind})"
        sv "Servicefönster: {service} ({kind})",
    CalendarMaintenanceCancelled => "Cancelled maintenance: {service} ({kind})"
        nb "Avlyst vedlikehold: {service} ({kind})"
        da "Aflyst servicevindue: {service} ({kind})"
        sv "Inställt servicefönster: {service} ({kind})",
    CalendarMeeting => "{meeting} ({agreement})"
        nb "{meeting} ({agreement})"
        da "{meeting} ({agreement})"
        sv "{meeting} ({agreement})",
    CalendarMonthlyReport => "Monthly report for {period} due ({agreement})"
        nb "Frist for månedsrapport for {period} ({agreement})"
        da "Frist for månedsrapport for {period} ({agreement})"
        sv "Månadsrapport för {period} ska lämnas ({agreement})",
    CalendarAnnualReport => "Annual report for {year} due ({agreement})"
        nb "Frist for årsrapport for {year} ({agreement})"
        da "Frist for årsrapport for {year} ({agreement})"
        sv "Årsrapport för {year} ska lämnas ({agreement})",
    Recurring => "🗓\u{fe0f} {what}{late}"
        nb "🗓\u{fe0f} {what}{late}"
        da "🗓\u{fe0f} {what}{late}"
        sv "🗓\u{fe0f} {what}{late}",
    LateReport => "(late: was due {at})\n"
        nb "(forsinket: skulle vært sendt {at})\n"
        da "(forsinket: skulle have været sendt {at})\n"
        sv "(försenad: skulle ha skickats {at})\n",
    Meeting => "📅 {agreement}: meeting \"{meeting}\" {when}{late}\n"
        nb "📅 {agreement}: møte «{meeting}» {when}{late}\n"
        da "📅 {agreement}: møde »{meeting}« {when}{late}\n"
        sv "📅 {agreement}: möte ”{meeting}” {when}{late}\n",
    MeetingPoints => "Open follow-up points (comments are due before the meeting):\n"
        nb "Åpne oppfølgingspunkter (kommentarer må komme før møtet):\n"
        da "Åbne opfølgningspunkter (kommentarer skal komme før mødet):\n"
        sv "Öppna uppföljningspunkter (synpunkter ska lämnas före mötet):\n",
    MeetingPoint => "• {point}\n"
        nb "• {point}\n"
        da "• {point}\n"
        sv "• {point}\n",
    MeetingOpen => "Open incidents now:\n"
        nb "Åpne hendelser nå:\n"
        da "Åbne hændelser nu:\n"
        sv "Öppna incidenter nu:\n",
    MeetingOpenIncident => "• {head} — {state}\n"
        nb "• {head} — {state}\n"
        da "• {head} — {state}\n"
        sv "• {head} — {state}\n",
    MeetingNothingOpen => "Open incidents now: nothing open\n"
        nb "Åpne hendelser nå: ingen\n"
        da "Åbne hændelser nu: ingen\n"
        sv "Öppna incidenter nu: inga\n",
    Agenda => "Agenda:\n"
        nb "Agenda:\n"
        da "Dagsorden:\n"
        sv "Dagordning:\n",
    // Time left and deadlines.
    BusinessLeft => "{time} business time left"
        nb "{time} arbeidstid igjen"
        da "{time} arbejdstid tilbage"
        sv "{time} arbetstid kvar",
    OverdueBusiness => "overdue by {time} business time"
        nb "over fristen med {time} arbeidstid"
        da "over fristen med {time} arbejdstid"
        sv "över tidsgränsen med {time} arbetstid",
    Pending => "pending"
        nb "løper"
        da "løber"
        sv "löper",
    Met => "met"
        nb "overholdt"
        da "overholdt"
        sv "uppfylld",
    MetOnTime => "met on time"
        nb "overholdt innen fristen"
        da "overholdt inden for fristen"
        sv "uppfylld inom tidsgränsen",
    MetLate => "met late by {time} business time"
        nb "nådd {time} arbeidstid etter fristen"
        da "nået {time} arbejdstid efter fristen"
        sv "uppnådd {time} arbetstid efter tidsgränsen",
    MetLateBoth => "met late by {business} business time, {wall} wall time"
        nb "nådd {business} arbeidstid ({wall} klokketid) etter fristen"
        da "nået {business} arbejdstid ({wall} kalendertid) efter fristen"
        sv "uppnådd {business} arbetstid ({wall} kalendertid) efter tidsgränsen",
    Breach => "breached"
        nb "overskredet"
        da "overskredet"
        sv "överskriden",
    BreachedOverdue => "breached, overdue by {time} business time"
        nb "overskredet, {time} arbeidstid over fristen"
        da "overskredet, {time} arbejdstid over fristen"
        sv "överskriden, {time} arbetstid över tidsgränsen",
    NoTarget => "no target"
        nb "ingen frist"
        da "ingen frist"
        sv "ingen tidsgräns",
    Deadline => "{when} — {outcome}"
        nb "{when} — {outcome}"
        da "{when} — {outcome}"
        sv "{when} — {outcome}",
    // Incidents: list line, view.
    ListLine => "{id} [{priority}] {title} — {state}{flag}{next}"
        nb "{id} [{priority}] {title} — {state}{flag}{next}"
        da "{id} [{priority}] {title} — {state}{flag}{next}"
        sv "{id} [{priority}] {title} — {state}{flag}{next}",
    Breaching => " ⛔ breaching now"
        nb " ⛔ fristen er passert"
        da " ⛔ fristen er overskredet"
        sv " ⛔ tidsgränsen har passerats",
    MissedTarget => " ⛔ missed"
        nb " ⛔ ikke overholdt"
        da " ⛔ ikke overholdt"
        sv " ⛔ ej uppfylld",
    ListNext => "; {milestone}: {time} business time left"
        nb "; {milestone}: {time} arbeidstid igjen"
        da "; {milestone}: {time} arbejdstid tilbage"
        sv "; {milestone}: {time} arbetstid kvar",
    Under => " under {priority} {name}"
        nb " etter prioritet {priority} {name}"
        da " efter prioritet {priority} {name}"
        sv " enligt prioritet {priority} {name}",
    ViewHead => "{id} [{priority} {name}] {title} — {state}"
        nb "{id} [{priority} {name}] {title} — {state}"
        da "{id} [{priority} {name}] {title} — {state}"
        sv "{id} [{priority} {name}] {title} — {state}",
    ViewReported => "\n    reported {at} by {reporter}; lead: {lead}"
        nb "\n    meldt {at} av {reporter}; ansvarlig: {lead}"
        da "\n    anmeldt {at} af {reporter}; ansvarlig: {lead}"
        sv "\n    anmäld {at} av {reporter}; ansvarig: {lead}",
    ViewRemoved => "\n    agreement {removed}"
        nb "\n    avtale {removed}"
        da "\n    aftale {removed}"
        sv "\n    avtal {removed}",
    ViewNoTarget => "\n    {label}: no target"
        nb "\n    {label}: ingen frist"
        da "\n    {label}: ingen frist"
        sv "\n    {label}: ingen tidsgräns",
    ViewDue => "\n    {label} due {at} ({state})"
        nb "\n    {label}: frist {at} ({state})"
        da "\n    {label}: frist {at} ({state})"
        sv "\n    {label}: senast {at} ({state})",
    ViewOverride => "\n    priority set by {by}: {reason}"
        nb "\n    prioritet satt av {by}: {reason}"
        da "\n    prioritet sat af {by}: {reason}"
        sv "\n    prioritet satt av {by}: {reason}",
    ViewWhy => "\n    why: {reason}"
        nb "\n    begrunnelse: {reason}"
        da "\n    begrundelse: {reason}"
        sv "\n    motivering: {reason}",
    ViewNote => "\n    latest note: {note}"
        nb "\n    siste notat: {note}"
        da "\n    seneste note: {note}"
        sv "\n    senaste anteckning: {note}",
    ViewDuplicate => "\n    duplicate of {of}"
        nb "\n    duplikat av {of}"
        da "\n    dublet af {of}"
        sv "\n    dubblett av {of}",
    ViewService => "\n    service: {service}"
        nb "\n    tjeneste: {service}"
        da "\n    service: {service}"
        sv "\n    tjänst: {service}",
    ViewDescription => "\n    description: {description}"
        nb "\n    beskrivelse: {description}"
        da "\n    beskrivelse: {description}"
        sv "\n    beskrivning: {description}",
    // Timeline events.
    TlOpened => "opened \"{title}\"{service}{description}"
        nb "registrert «{title}»{service}{description}"
        da "oprettet »{title}«{service}{description}"
        sv "registrerad ”{title}”{service}{description}",
    TlOpenedService => " on service {service}"
        nb " på tjenesten {service}"
        da " på servicen {service}"
        sv " för tjänsten {service}",
    TlOpenedDescription => ": {description}"
        nb ": {description}"
        da ": {description}"
        sv ": {description}",
    TlClassified => "classified {priority}{timing}: {reasons}"
        nb "klassifisert {priority}{timing}: {reasons}"
        da "klassificeret {priority}{timing}: {reasons}"
        sv "klassificerad {priority}{timing}: {reasons}",
    TlTiming => " (timing {timing})"
        nb " (tidspunkt {timing})"
        da " (tidspunkt {timing})"
        sv " (tidpunkt {timing})",
    TlDeadlinesSet => "deadlines set: response {response}, resolution {resolution}"
        nb "frister satt: responstid {response}, løsningstid {resolution}"
        da "frister sat: reaktionstid {response}, løsningstid {resolution}"
        sv "tidsgränser satta: responstid {response}, åtgärdstid {resolution}",
    TlDeadlinesRecomputed => "deadlines recomputed from the original clock start: response {response}, resolution {resolution}"
        nb "frister beregnet på nytt fra opprinnelig starttidspunkt: responstid {response}, løsningstid {resolution}"
        da "frister beregnet igen fra det oprindelige starttidspunkt: reaktionstid {response}, løsningstid {resolution}"
        sv "tidsgränser omräknade från den ursprungliga starttiden: responstid {response}, åtgärdstid {resolution}",
    TlAcknowledged => "acknowledged"
        nb "kvittert"
        da "kvitteret"
        sv "kvitterad",
    TlUpdate => "update: {note}"
        nb "oppdatering: {note}"
        da "opdatering: {note}"
        sv "uppdatering: {note}",
    TlOutage => "marked as a {kind} outage of its service, from {start} to {end}"
        nb "registrert som {kind} utfall av tjenesten, fra {start} til {end}"
        da "registreret som {kind} nedbrud af servicen, fra {start} til {end}"
        sv "registrerad som {kind} avbrott i tjänsten, från {start} till {end}",
    OutageFull => "full"
        nb "fullt"
        da "fuldt"
        sv "fullständigt",
    OutageDegraded => "degraded (available with disturbance)"
        nb "delvis (tilgjengelig med forstyrrelser)"
        da "delvist (tilgængelig med driftsforstyrrelser)"
        sv "partiellt (tillgänglig med störningar)",
    OutageFromOpening => "the report"
        nb "meldingen"
        da "anmeldelsen"
        sv "anmälan",
    OutageToResolution => "the resolution"
        nb "løsningen"
        da "løsningen"
        sv "åtgärden",
    ReplyOutage => "outage recorded: {id} — {kind}, from {start} to {end}"
        nb "utfall registrert: {id} — {kind}, fra {start} til {end}"
        da "nedbrud registreret: {id} — {kind}, fra {start} til {end}"
        sv "avbrott registrerat: {id} — {kind}, från {start} till {end}",
    TlStatusPosted => "status update {seq} posted"
        nb "statusoppdatering {seq} sendt"
        da "statusopdatering {seq} sendt"
        sv "statusuppdatering {seq} skickad",
    TlStatusPostedReminded => "status update {seq} posted, with a reminder to post an update"
        nb "statusoppdatering {seq} sendt, med påminnelse om å legge inn en oppdatering"
        da "statusopdatering {seq} sendt, med påmindelse om at skrive en opdatering"
        sv "statusuppdatering {seq} skickad, med påminnelse om att skriva en uppdatering",
    TlFacts => "facts changed: {facts}"
        nb "opplysninger endret: {facts}"
        da "oplysninger ændret: {facts}"
        sv "uppgifter ändrade: {facts}",
    TlFactsFromTo => "facts changed: {before} → {after}{reason}"
        nb "opplysninger endret: {before} → {after}{reason}"
        da "oplysninger ændret: {before} → {after}{reason}"
        sv "uppgifter ändrade: {before} → {after}{reason}",
    TlFactsReason => " (reason: {reason})"
        nb " (begrunnelse: {reason})"
        da " (begrundelse: {reason})"
        sv " (motivering: {reason})",
    FactImpact => "impact {impact}"
        nb "konsekvens {impact}"
        da "påvirkning {impact}"
        sv "påverkan {impact}",
    FactUsers => "users {users} %"
        nb "brukere {users} %"
        da "brugere {users} %"
        sv "användare {users} %",
    FactSecurity => "security"
        nb "sikkerhet"
        da "sikkerhed"
        sv "säkerhet",
    FactWorkaround => "workaround"
        nb "midlertidig løsning"
        da "midlertidig løsning"
        sv "tillfällig lösning",
    TlPriority => "priority {from} → {to}: {reason}"
        nb "prioritet {from} → {to}: {reason}"
        da "prioritet {from} → {to}: {reason}"
        sv "prioritet {from} → {to}: {reason}",
    TlPriorityOverride => "priority {from} → {to} (override): {reason}"
        nb "prioritet {from} → {to} (overstyrt): {reason}"
        da "prioritet {from} → {to} (tilsidesat): {reason}"
        sv "prioritet {from} → {to} (manuellt satt): {reason}",
    TlEscalated => "escalated to level {level}: {name}{after}{manual}"
        nb "eskalert til nivå {level}: {name}{after}{manual}"
        da "eskaleret til niveau {level}: {name}{after}{manual}"
        sv "eskalerad till nivå {level}: {name}{after}{manual}",
    TlAfterBreach => " after the {milestone} breach"
        nb " etter brudd på {milestone}"
        da " efter overskridelse af {milestone}"
        sv " efter överskridande av {milestone}",
    TlByHand => " by hand: {reason}"
        nb " manuelt: {reason}"
        da " manuelt: {reason}"
        sv " manuellt: {reason}",
    TlWarning => "warning: {percent} % of the {milestone} time used"
        nb "varsel: {percent} % av tiden brukt ({milestone})"
        da "varsel: {percent} % af tiden brugt ({milestone})"
        sv "varning: {percent} % av tiden har gått ({milestone})",
    TlRepaged => "not acknowledged: level {level} paged again ({page})"
        nb "ikke kvittert: nivå {level} varslet på nytt ({page})"
        da "ikke kvitteret: niveau {level} tilkaldt igen ({page})"
        sv "inte kvitterad: nivå {level} larmad igen ({page})",
    TlFollowUp => "follow-up {id} due"
        nb "oppfølging {id} forfaller nå"
        da "opfølgning {id} forfalder nu"
        sv "uppföljning {id} ska göras nu",
    TlFollowUpWhat => "follow-up {id} due: {what}"
        nb "oppfølging {id} forfaller nå: {what}"
        da "opfølgning {id} forfalder nu: {what}"
        sv "uppföljning {id} ska göras nu: {what}",
    TlResolved => "resolved ({how}){note}"
        nb "løst ({how}){note}"
        da "løst ({how}){note}"
        sv "löst ({how}){note}",
    TlReopened => "reopened: {reason}"
        nb "gjenåpnet: {reason}"
        da "genåbnet: {reason}"
        sv "återöppnad: {reason}",
    TlMetOnTime => "{milestone} met on time (due {due})"
        nb "{milestone} overholdt (frist {due})"
        da "{milestone} overholdt (frist {due})"
        sv "{milestone} uppfylld (tidsgräns {due})",
    TlMetLate => "{milestone} met late by {late} wall time (due {due})"
        nb "{milestone} nådd {late} etter fristen (frist {due})"
        da "{milestone} nået {late} efter fristen (frist {due})"
        sv "{milestone} uppnådd {late} efter tidsgränsen (tidsgräns {due})",
    TlBreached => "{milestone} target breached (due {due})"
        nb "{milestone} overskredet (frist {due})"
        da "{milestone} overskredet (frist {due})"
        sv "{milestone} överskriden (tidsgräns {due})",
    TlClosed => "closed"
        nb "lukket"
        da "lukket"
        sv "stängd",
    TlFollowUpWaived => "follow-up {id} waived: {reason}"
        nb "oppfølging {id} frafalt: {reason}"
        da "opfølgning {id} frafaldet: {reason}"
        sv "uppföljning {id} struken: {reason}",
    TlFollowUpDone => "follow-up {id} done"
        nb "oppfølging {id} utført"
        da "opfølgning {id} udført"
        sv "uppföljning {id} utförd",
    TlFollowUpSoon => "follow-up {id} announced, due {due}"
        nb "oppfølging {id} varslet, frist {due}"
        da "opfølgning {id} varslet, frist {due}"
        sv "uppföljning {id} aviserad, senast {due}",
    TlSnoozed => "status updates snoozed until {until}: {reason}"
        nb "statusoppdateringer på pause til {until}: {reason}"
        da "statusopdateringer på pause til {until}: {reason}"
        sv "statusuppdateringar pausade till {until}: {reason}",
    TlStatusFields => "update: {fields}"
        nb "oppdatering: {fields}"
        da "opdatering: {fields}"
        sv "uppdatering: {fields}",
    FieldArea => "impact area: {value}"
        nb "berørt område: {value}"
        da "berørt område: {value}"
        sv "berört område: {value}",
    FieldAffected => "affected: {value}"
        nb "berørte: {value}"
        da "berørte: {value}"
        sv "berörda: {value}",
    FieldCause => "cause: {value}"
        nb "årsak: {value}"
        da "årsag: {value}"
        sv "orsak: {value}",
    FieldEta => "expected resolution: {value}"
        nb "forventet løst: {value}"
        da "forventet løst: {value}"
        sv "beräknas åtgärdad: {value}",
    StatusField => "\n{field} (given {age} ago)"
        nb "\n{field} (oppgitt for {age} siden)"
        da "\n{field} (oplyst for {age} siden)"
        sv "\n{field} (angivet för {age} sedan)",
    ViewField => "\n    {field} (given {at})"
        nb "\n    {field} (oppgitt {at})"
        da "\n    {field} (oplyst {at})"
        sv "\n    {field} (angivet {at})",
    TlLead => "lead: {from} → {to}"
        nb "ansvarlig: {from} → {to}"
        da "ansvarlig: {from} → {to}"
        sv "ansvarig: {from} → {to}",
    TlEditedTitle => "title edited: \"{before}\" → \"{after}\""
        nb "tittel endret: «{before}» → «{after}»"
        da "titel ændret: »{before}« → »{after}«"
        sv "rubrik ändrad: ”{before}” → ”{after}”",
    TlEditedDescription => "description edited; it was: \"{before}\""
        nb "beskrivelse endret; den var: «{before}»"
        da "beskrivelse ændret; den var: »{before}«"
        sv "beskrivning ändrad; den var: ”{before}”",
    TlDuplicate => "marked a duplicate of {of}"
        nb "markert som duplikat av {of}"
        da "markeret som dublet af {of}"
        sv "markerad som dubblett av {of}",
    // Follow-up points.
    Point => "#{id} {text} (due {due}{owner}){state}"
        nb "#{id} {text} (frist {due}{owner}){state}"
        da "#{id} {text} (frist {due}{owner}){state}"
        sv "#{id} {text} (senast {due}{owner}){state}",
    PointOwner => ", owner {owner}"
        nb ", ansvarlig {owner}"
        da ", ansvarlig {owner}"
        sv ", ansvarig {owner}",
    PointDone => " — done {at} by {by}"
        nb " — utført {at} av {by}"
        da " — udført {at} af {by}"
        sv " — utförd {at} av {by}",
    // Agreements (`/sla explain`).
    ExplainHead => "  ↳ {name} ({id}), times in {tz}"
        nb "  ↳ {name} ({id}), tider i {tz}"
        da "  ↳ {name} ({id}), tider i {tz}"
        sv "  ↳ {name} ({id}), tider i {tz}",
    ExplainPriority => "\n    {id} {name} — {description}"
        nb "\n    {id} {name} — {description}"
        da "\n    {id} {name} — {description}"
        sv "\n    {id} {name} — {description}",
    ExplainResponse => "\n      response {target}"
        nb "\n      responstid {target}"
        da "\n      reaktionstid {target}"
        sv "\n      responstid {target}",
    ExplainResolution => "\n      resolution {target}"
        nb "\n      løsningstid {target}"
        da "\n      løsningstid {target}"
        sv "\n      åtgärdstid {target}",
    Within => "within {duration} business time on {schedule} (clause {clause})"
        nb "innen {duration} arbeidstid etter {schedule} (punkt {clause})"
        da "inden for {duration} arbejdstid efter {schedule} (punkt {clause})"
        sv "inom {duration} arbetstid enligt {schedule} (punkt {clause})",
    NoTargetWhy => "no target ({why})"
        nb "ingen frist ({why})"
        da "ingen frist ({why})"
        sv "ingen tidsgräns ({why})",
    Ladder => "\n    escalation ladder (clause {clause}):"
        nb "\n    eskaleringstrapp (punkt {clause}):"
        da "\n    eskalationsliste (punkt {clause}):"
        sv "\n    eskaleringskedja (punkt {clause}):",
    LadderLevel => "\n      {n}. {name} ({role})"
        nb "\n      {n}. {name} ({role})"
        da "\n      {n}. {name} ({role})"
        sv "\n      {n}. {name} ({role})",
    ExplainHoursHead => "\n    service hours (business time counts only while open):"
        nb "\n    åpningstider (arbeidstid løper bare når det er åpent):"
        da "\n    åbningstider (arbejdstid løber kun, når der er åbent):"
        sv "\n    öppettider (arbetstid räknas bara när det är öppet):",
    ExplainHours => "\n      {schedule}: {hours} (clause {clause})"
        nb "\n      {schedule}: {hours} (punkt {clause})"
        da "\n      {schedule}: {hours} (punkt {clause})"
        sv "\n      {schedule}: {hours} (punkt {clause})",
    ExplainMatrix => "\n    priority = impact × timing (clause {clause}), impacts {impacts}:"
        nb "\n    prioritet = konsekvens × tidspunkt (punkt {clause}), konsekvenser {impacts}:"
        da "\n    prioritet = påvirkning × tidspunkt (punkt {clause}), påvirkninger {impacts}:"
        sv "\n    prioritet = påverkan × tidpunkt (punkt {clause}), påverkansnivåer {impacts}:",
    ExplainMatrixRow => "\n      timing {timing}: {cells}"
        nb "\n      tidspunkt {timing}: {cells}"
        da "\n      tidspunkt {timing}: {cells}"
        sv "\n      tidpunkt {timing}: {cells}",
    ExplainRules => "\n    rules tried before the matrix, first match wins (clause {clause}):"
        nb "\n    regler som prøves før matrisen, første treff gjelder (punkt {clause}):"
        da "\n    regler, der prøves før matricen; den første, der passer, gælder (punkt {clause}):"
        sv "\n    regler som prövas före matrisen, första träff gäller (punkt {clause}):",
    ExplainRule => "\n      {n}. {when} → {priority}"
        nb "\n      {n}. {when} → {priority}"
        da "\n      {n}. {when} → {priority}"
        sv "\n      {n}. {when} → {priority}",
    ExplainMeetings => "\n    meetings:"
        nb "\n    møter:"
        da "\n    møder:"
        sv "\n    möten:",
    ExplainMeeting => "\n      {name}: {when} (clause {clause})"
        nb "\n      {name}: {when} (punkt {clause})"
        da "\n      {name}: {when} (punkt {clause})"
        sv "\n      {name}: {when} (punkt {clause})",
    ExplainNotifications => "\n    notifications on opening:"
        nb "\n    varsling ved registrering:"
        da "\n    underretning ved oprettelse:"
        sv "\n    avisering vid registrering:",
    ExplainNotification => "\n      priorities {priorities}: {what} → {whom} (clause {clause})"
        nb "\n      prioritet {priorities}: {what} → {whom} (punkt {clause})"
        da "\n      prioritet {priorities}: {what} → {whom} (punkt {clause})"
        sv "\n      prioritet {priorities}: {what} → {whom} (punkt {clause})",
    ExplainRepaging => "\n    re-paging while nobody acknowledges, priorities {priorities}: every {every} in {schedule} hours, {limit} times a level, then the next level (clause {clause})"
        nb "\n    nytt varsel så lenge ingen kvitterer, prioritet {priorities}: hvert {every} innenfor {schedule}, {limit} ganger per nivå, deretter neste nivå (punkt {clause})"
        da "\n    nyt tilkald, så længe ingen kvitterer, prioritet {priorities}: hvert {every} inden for {schedule}, {limit} gange pr. niveau, derefter næste niveau (punkt {clause})"
        sv "\n    nytt larm så länge ingen kvitterar, prioritet {priorities}: var {every} inom {schedule}, {limit} gånger per nivå, sedan nästa nivå (punkt {clause})",
    ExplainServices => "\n    services:"
        nb "\n    tjenester:"
        da "\n    services:"
        sv "\n    tjänster:",
    ExplainService => "\n      {id} — {name}{main}: operating time {hours} (clause {clause})"
        nb "\n      {id} — {name}{main}: driftstid {hours} (punkt {clause})"
        da "\n      {id} — {name}{main}: driftstid {hours} (punkt {clause})"
        sv "\n      {id} — {name}{main}: drifttid {hours} (punkt {clause})",
    ExplainServiceMain => " (main)"
        nb " (hovedtjeneste)"
        da " (hovedservice)"
        sv " (huvudtjänst)",
    ExplainReadiness => "\n        readiness (every clock runs on it): {schedule}: {hours}"
        nb "\n        beredskap (alle klokker går etter den): {schedule}: {hours}"
        da "\n        beredskab (alle ure går efter den): {schedule}: {hours}"
        sv "\n        beredskap (alla klockor går efter den): {schedule}: {hours}",
    ExplainAvailability => "\n        availability {target}"
        nb "\n        tilgjengelighet {target}"
        da "\n        tilgængelighed {target}"
        sv "\n        tillgänglighet {target}",
    ExplainMaintenance => "\n        maintenance {rule}"
        nb "\n        vedlikehold {rule}"
        da "\n        servicevinduer {rule}"
        sv "\n        servicefönster {rule}",
    ExplainGoals => "\n    compliance goals (clause {clause}): response {response}; resolution {resolution}"
        nb "\n    måloppnåelse (punkt {clause}): responstid {response}; løsningstid {resolution}"
        da "\n    servicemål (punkt {clause}): reaktionstid {response}; løsningstid {resolution}"
        sv "\n    måluppfyllelse (punkt {clause}): responstid {response}; åtgärdstid {resolution}",
    // The incident card.
    CardTitle => "{id} — {title}"
        nb "{id} — {title}"
        da "{id} — {title}"
        sv "{id} — {title}",
    ThreadName => "{id} {title}"
        nb "{id} {title}"
        da "{id} {title}"
        sv "{id} {title}",
    CardFooter => "Agreement {agreement} · vakt"
        nb "Avtale {agreement} · vakt"
        da "Aftale {agreement} · vakt"
        sv "Avtal {agreement} · vakt",
    CardPriority => "Priority"
        nb "Prioritet"
        da "Prioritet"
        sv "Prioritet",
    CardPriorityValue => "{priority} {name}"
        nb "{priority} {name}"
        da "{priority} {name}"
        sv "{priority} {name}",
    CardReason => "\n· {reason}"
        nb "\n· {reason}"
        da "\n· {reason}"
        sv "\n· {reason}",
    CardState => "State"
        nb "Status"
        da "Status"
        sv "Status",
    CardLead => "Lead"
        nb "Ansvarlig"
        da "Ansvarlig"
        sv "Ansvarig",
    CardEscalation => "Escalation"
        nb "Eskalering"
        da "Eskalering"
        sv "Eskalering",
    NotEscalated => "not escalated"
        nb "ikke eskalert"
        da "ikke eskaleret"
        sv "inte eskalerad",
    Level => "level {level}"
        nb "nivå {level}"
        da "niveau {level}"
        sv "nivå {level}",
    CardResponse => "Response"
        nb "Responstid"
        da "Reaktionstid"
        sv "Responstid",
    CardResolution => "Resolution"
        nb "Løsningstid"
        da "Løsningstid"
        sv "Åtgärdstid",
    CardAgreement => "Agreement"
        nb "Avtale"
        da "Aftale"
        sv "Avtal",
    AgreementRemoved => "{agreement} (or its priority {priority}) is no longer loaded: deadlines as stored, no business time"
        nb "{agreement} (eller prioritet {priority}) er ikke lenger lastet inn: frister som lagret, ingen arbeidstid"
        da "{agreement} (eller prioritet {priority}) er ikke længere indlæst: frister som gemt, ingen arbejdstid"
        sv "{agreement} (eller prioritet {priority}) är inte längre inläst: tidsgränser som sparade, ingen arbetstid",
    CardLatest => "Latest update"
        nb "Siste oppdatering"
        da "Seneste opdatering"
        sv "Senaste uppdatering",
    CardService => "Service"
        nb "Tjeneste"
        da "Service"
        sv "Tjänst",
    CardDescription => "Description"
        nb "Beskrivelse"
        da "Beskrivelse"
        sv "Beskrivning",
    ButtonAcknowledge => "Acknowledge"
        nb "Kvitter"
        da "Kvittér"
        sv "Kvittera",
    ButtonUpdate => "Post update"
        nb "Oppdater"
        da "Opdatér"
        sv "Uppdatera",
    ButtonResolve => "Resolve"
        nb "Løs"
        da "Løs"
        sv "Lös",
    ButtonEscalate => "Escalate"
        nb "Eskaler"
        da "Eskalér"
        sv "Eskalera",
    ButtonPrevious => "Previous"
        nb "Forrige"
        da "Forrige"
        sv "Föregående",
    ButtonNext => "Next"
        nb "Neste"
        da "Næste"
        sv "Nästa",
    // Refusals and forms (Discord interactions).
    Refused => "✗ {why}"
        nb "✗ {why}"
        da "✗ {why}"
        sv "✗ {why}",
    Forbidden => "✗ You may not {action}: it needs one of the roles {roles}. Ask a manager to give you one."
        nb "✗ Du kan ikke {action}: det krever en av rollene {roles}. Be en leder om å gi deg en."
        da "✗ Du kan ikke {action}: det kræver en af rollerne {roles}. Bed en leder om at give dig en."
        sv "✗ Du får inte {action}: det kräver en av rollerna {roles}. Be en chef att ge dig en.",
    InternalError => "vakt could not do this because of an internal error (logged)."
        nb "vakt kunne ikke gjøre dette på grunn av en intern feil (logget)."
        da "vakt kunne ikke gøre dette på grund af en intern fejl (logget)."
        sv "vakt kunde inte göra detta på grund av ett internt fel (loggat).",
    InternalErrorRetry => "✗ vakt could not do this because of an internal error (logged). Try again in a moment."
        nb "✗ vakt kunne ikke gjøre dette på grunn av en intern feil (logget). Prøv igjen om litt."
        da "✗ vakt kunne ikke gøre dette på grund af en intern fejl (logget). Prøv igen om lidt."
        sv "✗ vakt kunde inte göra detta på grund av ett internt fel (loggat). Försök igen om en stund.",
    UnknownInteraction => "✗ vakt does not handle this kind of interaction."
        nb "✗ vakt håndterer ikke denne typen interaksjon."
        da "✗ vakt håndterer ikke denne type interaktion."
        sv "✗ vakt hanterar inte den här typen av interaktion.",
    NeedsIncident => "{command} needs {option}: — give the incident id, or use the command in the incident's thread"
        nb "{command} krever {option}: — oppgi hendelsens id, eller bruk kommandoen i hendelsens tråd"
        da "{command} kræver {option}: — angiv hændelsens id, eller brug kommandoen i hændelsens tråd"
        sv "{command} kräver {option}: — ange incidentens id, eller använd kommandot i incidentens tråd",
    UnknownButton => "this button is not one of vakt's (or is too old to use)"
        nb "denne knappen er ikke vakts (eller er for gammel til å brukes)"
        da "denne knap er ikke vakts (eller er for gammel til at bruge)"
        sv "den här knappen är inte vakts (eller är för gammal för att användas)",
    ClosedCard => "✗ {id} is closed; this card's buttons no longer do anything. /incident reopen works only on resolved incidents."
        nb "✗ {id} er lukket; knappene på dette kortet gjør ikke lenger noe. /incident reopen virker bare på løste hendelser."
        da "✗ {id} er lukket; knapperne på dette kort gør ikke længere noget. /incident reopen virker kun på løste hændelser."
        sv "✗ {id} är stängd; knapparna på det här kortet gör inte längre något. /incident reopen fungerar bara på lösta incidenter.",
    NotAButton => "this is not a button; submit the form instead"
        nb "dette er ikke en knapp; send inn skjemaet i stedet"
        da "dette er ikke en knap; indsend formularen i stedet"
        sv "det här är ingen knapp; skicka formuläret i stället",
    UnknownForm => "this form is not one of vakt's"
        nb "dette skjemaet er ikke vakts"
        da "denne formular er ikke vakts"
        sv "det här formuläret är inte vakts",
    DirectMessage => "use vakt's commands in the server, not in a direct message"
        nb "bruk vakts kommandoer på serveren, ikke i en direktemelding"
        da "brug vakts kommandoer på serveren, ikke i en direkte besked"
        sv "använd vakts kommandon på servern, inte i ett direktmeddelande",
    UpdateTitle => "Post an update to {id}"
        nb "Oppdatering av {id}"
        da "Opdatering af {id}"
        sv "Uppdatering av {id}",
    UpdateNote => "What changed or what is known now"
        nb "Hva er endret, eller hva vet vi nå"
        da "Hvad er ændret, eller hvad ved vi nu"
        sv "Vad har ändrats, eller vad vet vi nu",
    ResolveTitle => "Resolve {id}"
        nb "Løs {id}"
        da "Løs {id}"
        sv "Lös {id}",
    ResolveSummary => "Summary: what was done"
        nb "Oppsummering: hva ble gjort"
        da "Opsummering: hvad blev gjort"
        sv "Sammanfattning: vad gjordes",
    ResolveWorkaround => "By a workaround, not a fix? (yes/no)"
        nb "Med en midlertidig løsning, ikke varig? (ja/nei)"
        da "Med en midlertidig løsning, ikke permanent? (ja/nej)"
        sv "Med en tillfällig lösning, inte permanent? (ja/nej)",
    // Replies.
    ReplyOpened => "opened {what}"
        nb "registrert {what}"
        da "oprettet {what}"
        sv "registrerad {what}",
    ReplyPreview => "would be priority {priority}"
        nb "ville fått prioritet {priority}"
        da "ville få prioritet {priority}"
        sv "skulle få prioritet {priority}",
    ReplyClockStart => "clock start {at}"
        nb "tidsmålingen starter {at}"
        da "tidsmålingen starter {at}"
        sv "tidmätningen startar {at}",
    ReplyResponseDue => "response due {at}"
        nb "responstid: frist {at}"
        da "reaktionstid: frist {at}"
        sv "responstid: senast {at}",
    ReplyResolutionDue => "resolution due {at}"
        nb "løsningstid: frist {at}"
        da "løsningstid: frist {at}"
        sv "åtgärdstid: senast {at}",
    ReplyNoTarget => "— (no target)"
        nb "— (ingen frist)"
        da "— (ingen frist)"
        sv "— (ingen tidsgräns)",
    ReplyWhy => "why: {reason}"
        nb "begrunnelse: {reason}"
        da "begrundelse: {reason}"
        sv "motivering: {reason}",
    ReplyAcknowledged => "{id} acknowledged; lead: {lead}"
        nb "{id} kvittert; ansvarlig: {lead}"
        da "{id} kvitteret; ansvarlig: {lead}"
        sv "{id} kvitterad; ansvarig: {lead}",
    ReplyEdited => "{id} edited"
        nb "{id} endret"
        da "{id} ændret"
        sv "{id} ändrad",
    ReplyDuplicate => "{id} marked a duplicate of {of} and resolved"
        nb "{id} markert som duplikat av {of} og løst"
        da "{id} markeret som dublet af {of} og løst"
        sv "{id} markerad som dubblett av {of} och löst",
    ReplySnoozed => "{id}: status updates snoozed until {until}"
        nb "{id}: statusoppdateringer på pause til {until}"
        da "{id}: statusopdateringer på pause til {until}"
        sv "{id}: statusuppdateringar pausade till {until}",
    ReplyLead => "{id}: the lead is now {lead}"
        nb "{id}: ansvarlig er nå {lead}"
        da "{id}: ansvarlig er nu {lead}"
        sv "{id}: ansvarig är nu {lead}",
    ReplyNoteAdded => "note added to {id}"
        nb "notat lagt til i {id}"
        da "note tilføjet til {id}"
        sv "anteckning tillagd i {id}",
    ReplyResolved => "{id} resolved"
        nb "{id} løst"
        da "{id} løst"
        sv "{id} löst",
    ReplyReopened => "{id} reopened ({state})"
        nb "{id} gjenåpnet ({state})"
        da "{id} genåbnet ({state})"
        sv "{id} återöppnad ({state})",
    ReplyClosed => "{id} closed"
        nb "{id} lukket"
        da "{id} lukket"
        sv "{id} stängd",
    ReplyEscalated => "{id} escalated to level {level}{name}"
        nb "{id} eskalert til nivå {level}{name}"
        da "{id} eskaleret til niveau {level}{name}"
        sv "{id} eskalerad till nivå {level}{name}",
    ReplyWaived => "{id}: follow-up {follow_up} waived; it will not be posted"
        nb "{id}: oppfølging {follow_up} frafalt; den blir ikke sendt"
        da "{id}: opfølgning {follow_up} frafaldet; den bliver ikke sendt"
        sv "{id}: uppföljning {follow_up} struken; den skickas inte",
    ReplyFollowUpDone => "{id}: follow-up {follow_up} marked done; it will not be announced again"
        nb "{id}: oppfølging {follow_up} markert som utført; den varsles ikke igjen"
        da "{id}: opfølgning {follow_up} markeret som udført; den varsles ikke igen"
        sv "{id}: uppföljning {follow_up} markerad som utförd; den aviseras inte igen",
    ReplyReclassified => "reclassified {what}"
        nb "omklassifisert {what}"
        da "omklassificeret {what}"
        sv "omklassificerad {what}",
    ReplyOverridden => "priority set: {what}"
        nb "prioritet satt: {what}"
        da "prioritet sat: {what}"
        sv "prioritet satt: {what}",
    ReplyTimeline => "timeline of {id}:"
        nb "tidslinje for {id}:"
        da "tidslinje for {id}:"
        sv "tidslinje för {id}:",
    ReplyNoIncidents => "no incidents ({scope})"
        nb "ingen hendelser ({scope})"
        da "ingen hændelser ({scope})"
        sv "inga incidenter ({scope})",
    ReplyListPage => "page {page}"
        nb "side {page}"
        da "side {page}"
        sv "sida {page}",
    ReplyListMore => "page {page}; more on page:{next}"
        nb "side {page}; mer på page:{next}"
        da "side {page}; mere på page:{next}"
        sv "sida {page}; mer på page:{next}",
    ReplyPointAdded => "follow-up point {point}"
        nb "oppfølgingspunkt {point}"
        da "opfølgningspunkt {point}"
        sv "uppföljningspunkt {point}",
    ReplyPointDone => "done: point {point}"
        nb "utført: punkt {point}"
        da "udført: punkt {point}"
        sv "utförd: punkt {point}",
    ReplyNoPoints => "no open follow-up points ({agreement})"
        nb "ingen åpne oppfølgingspunkter ({agreement})"
        da "ingen åbne opfølgningspunkter ({agreement})"
        sv "inga öppna uppföljningspunkter ({agreement})",
    ReplyWindowAnnounced => "maintenance window {window}"
        nb "vedlikeholdsvindu {window}"
        da "servicevindue {window}"
        sv "servicefönster {window}",
    ReplyWindowCancelled => "cancelled: maintenance window {window}"
        nb "avlyst: vedlikeholdsvindu {window}"
        da "aflyst: servicevindue {window}"
        sv "inställt: servicefönster {window}",
    ReplyNoWindows => "no maintenance windows to come ({agreement})"
        nb "ingen kommende vedlikeholdsvinduer ({agreement})"
        da "ingen kommende servicevinduer ({agreement})"
        sv "inga kommande servicefönster ({agreement})",
    MaintenanceWindowLine => "#{id} {service} ({kind}) {start} – {end}: {description}"
        nb "#{id} {service} ({kind}) {start} – {end}: {description}"
        da "#{id} {service} ({kind}) {start} – {end}: {description}"
        sv "#{id} {service} ({kind}) {start} – {end}: {description}",
    MaintenanceWindowRecorded => " — recorded by a manager despite {breaches} (reason: {reason})"
        nb " — registrert av en leder til tross for brudd på {breaches} (begrunnelse: {reason})"
        da " — registreret af en leder på trods af brud på {breaches} (begrundelse: {reason})"
        sv " — registrerat av en chef trots avvikelse från {breaches} (motivering: {reason})",
    BreachNotice => "the notice (clause {clause})"
        nb "varslingsfristen (punkt {clause})"
        da "varslingsfristen (punkt {clause})"
        sv "aviseringstiden (punkt {clause})",
    BreachHours => "the hours (clause {clause})"
        nb "tidsrommet (punkt {clause})"
        da "tidsrummet (punkt {clause})"
        sv "tidsramen (punkt {clause})",
    BreachInside => "staying outside {schedule} (clause {clause})"
        nb "å holde seg utenfor {schedule} (punkt {clause})"
        da "at holde sig uden for {schedule} (punkt {clause})"
        sv "att hålla sig utanför {schedule} (punkt {clause})",
    BreachTooLong => "the length (clause {clause})"
        nb "varigheten (punkt {clause})"
        da "varigheden (punkt {clause})"
        sv "längden (punkt {clause})",
    BreachYearFull => "the yearly count (clause {clause})"
        nb "antallet per år (punkt {clause})"
        da "antallet pr. år (punkt {clause})"
        sv "antalet per år (punkt {clause})",
    // An incident's state in words.
    StateOpen => "open"
        nb "åpen"
        da "åben"
        sv "öppen",
    StateAcknowledged => "acknowledged"
        nb "kvittert"
        da "kvitteret"
        sv "kvitterad",
    StateResolved => "resolved"
        nb "løst"
        da "løst"
        sv "löst",
    StateClosed => "closed"
        nb "lukket"
        da "lukket"
        sv "stängd",
    // The responder's status fields on Discord (issue 18): each key in all four languages.
    UpdateArea => "Which area is hit"
        nb "Hvilket område som er rammet"
        da "Hvilket område der er ramt"
        sv "Vilket område som är drabbat",
    UpdateAffected => "Who and how many are affected"
        nb "Hvem og hvor mange som er berørt"
        da "Hvem og hvor mange der er berørt"
        sv "Vilka och hur många som är berörda",
    UpdateCause => "The cause, as far as it is known"
        nb "Årsaken, så langt den er kjent"
        da "Årsagen, så vidt den kendes"
        sv "Orsaken, så långt den är känd",
    UpdateEta => "Expected resolution (date and time)"
        nb "Forventet løst (dato og klokkeslett)"
        da "Forventet løst (dato og klokkeslæt)"
        sv "Beräknas åtgärdad (datum och tid)",
    CardStatus => "Status"
        nb "Status"
        da "Status"
        sv "Status",
    CardFieldGiven => "{field} (given {at})"
        nb "{field} (oppgitt {at})"
        da "{field} (oplyst {at})"
        sv "{field} (angivet {at})",
    AskFields => "\n📝 Still missing from this notice (clause {clause}): {fields} — {lead}, please give them with /incident update"
        nb "\n📝 Mangler fortsatt i denne meldingen (punkt {clause}): {fields} — {lead}, oppgi dem med /incident update"
        da "\n📝 Mangler stadig i denne meddelelse (afsnit {clause}): {fields} — {lead}, oplys dem med /incident update"
        sv "\n📝 Saknas fortfarande i detta meddelande (punkt {clause}): {fields} — {lead}, ange dem med /incident update",
    NeedArea => "which area is hit"
        nb "hvilket område som er rammet"
        da "hvilket område der er ramt"
        sv "vilket område som är drabbat",
    NeedAffected => "who and how many are affected"
        nb "hvem og hvor mange som er berørt"
        da "hvem og hvor mange der er berørt"
        sv "vilka och hur många som är berörda",
    NeedCause => "the cause"
        nb "årsaken"
        da "årsagen"
        sv "orsaken",
    TlDuplicateLinked => "{duplicate} marked a duplicate of this incident"
        nb "{duplicate} markert som duplikat av denne hendelsen"
        da "{duplicate} markeret som dublet af denne hændelse"
        sv "{duplicate} markerad som dubblett av denna incident",
    ButtonFollowUpDone => "Done"
        nb "Utført"
        da "Udført"
        sv "Klart",
    NeedEta => "the time horizon (expected resolution)"
        nb "tidshorisonten (forventet løst)"
        da "tidshorisonten (forventet løst)"
        sv "tidshorisonten (beräknad åtgärd)",
    // Outages counted by sources answering (SSBTEK 4.9).
    OutageAnswering => "{kind}, {n} sources answering"
        nb "{kind}, {n} kilder svarer"
        da "{kind}, {n} kilder svarer"
        sv "{kind}, svar från {n} källor",
    }
}

impl Locale {
    /// The text of `m` in this locale, placeholders unfilled.
    pub fn text(self, m: Msg) -> &'static str {
        m.text(self)
    }

    /// The word for a milestone.
    pub fn milestone(self, m: Milestone) -> &'static str {
        self.text(match m {
            Milestone::Response => Msg::Response,
            Milestone::Resolution => Msg::Resolution,
        })
    }

    /// The word for an incident's state (`open`, `åpen`, `åben`, `öppen`).
    pub fn state(self, s: State) -> &'static str {
        self.text(match s {
            State::Open => Msg::StateOpen,
            State::Acknowledged => Msg::StateAcknowledged,
            State::Resolved => Msg::StateResolved,
            State::Closed => Msg::StateClosed,
        })
    }

    /// The word for how an incident was resolved.
    pub fn resolution(self, r: &Resolution) -> &'static str {
        self.text(match r {
            Resolution::Fix => Msg::Fix,
            Resolution::Workaround => Msg::Workaround,
        })
    }
}

/// `template` with each `{name}` replaced by the argument of that name (a name without an
/// argument is left as it is written, which a test of every table catches).
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => {
                        let _ = write!(out, "{v}");
                    }
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(
            fill("{a} and {b}, {a} {c}", &[("a", &1), ("b", &"two")]),
            "1 and two, 1 {c}"
        );
        assert_eq!(fill("no braces", &[]), "no braces");
        assert_eq!(fill("open { end", &[]), "open { end");
    }

    #[test]
    fn every_placeholder_is_a_closed_name() {
        for m in Msg::ALL {
            let t = Locale::En.text(*m);
            let (open, close) = (t.matches('{').count(), t.matches('}').count());
            assert_eq!(open, close, "{m:?}: {t}");
            let mut rest = t;
            while let Some(i) = rest.find('{') {
                let end = rest[i..].find('}').map(|e| i + e);
                let name = end.map(|e| &rest[i + 1..e]).unwrap_or_default();
                assert!(
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                    "{m:?}: {t}"
                );
                rest = &rest[end.unwrap_or(rest.len() - 1) + 1..];
            }
        }
    }

    /// The names of the placeholders in `t`, sorted, each once.
    fn placeholders(t: &str) -> Vec<&str> {
        let mut names = Vec::new();
        let mut rest = t;
        while let Some(i) = rest.find('{') {
            let Some(e) = rest[i..].find('}') else { break };
            names.push(&rest[i + 1..i + e]);
            rest = &rest[i + e + 1..];
        }
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Every key of `all` has a text in every locale, with the English text's placeholders.
    pub(crate) fn check_table<M: Copy + std::fmt::Debug>(all: &[M], text: impl Fn(M, Locale) -> Option<&'static str>) {
        let mut owed = Vec::new();
        for m in all {
            let en = text(*m, Locale::En).unwrap_or_default();
            for l in Locale::ALL {
                match text(*m, l) {
                    None => owed.push(format!("{m:?} ({})", l.code())),
                    Some(t) => assert_eq!(
                        placeholders(t),
                        placeholders(en),
                        "{m:?} in {}: {t:?} has other placeholders than {en:?}",
                        l.code()
                    ),
                }
            }
        }
        assert!(owed.is_empty(), "translations owed: {}", owed.join(", "));
    }

    #[test]
    fn every_message_exists_in_every_language() {
        check_table(Msg::ALL, |m, l| m.translated(l));
    }

    #[test]
    fn codes_round_trip() {
        for l in Locale::ALL {
            assert_eq!(Locale::from_code(l.code()), Some(l));
        }
        assert_eq!(Locale::from_code("NO"), Some(Locale::Nb));
        assert_eq!(Locale::from_code("fi"), None);
    }

    #[test]
    fn one_word_per_milestone() {
        assert_eq!(Locale::En.milestone(Milestone::Response), "response");
        assert_eq!(Locale::En.milestone(Milestone::Resolution), "resolution");
        assert_eq!(Locale::Sv.milestone(Milestone::Response), "responstid");
        assert_eq!(Locale::Da.milestone(Milestone::Response), "reaktionstid");
    }
}
