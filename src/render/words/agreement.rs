//! The words of an agreement as `vakt agreements show` lists it and as `/sla explain` fills
//! its lines (hours, targets, rules, meetings, availability and maintenance rules), in every
//! locale. [`crate::render::agreement`] fills them.

crate::messages! {
    /// A line or phrase of an agreement's description, by key.
    pub enum AgreementMsg {
    // Pieces used throughout.
    Clause => "(clause {clause})"
        nb "(punkt {clause})"
        da "(punkt {clause})"
        sv "(punkt {clause})",
    Reading => " [reading: {reading}]"
        nb " [tolkning: {reading}]"
        da " [fortolkning: {reading}]"
        sv " [tolkning: {reading}]",
    ReadingLine => "reading: {reading}"
        nb "tolkning: {reading}"
        da "fortolkning: {reading}"
        sv "tolkning: {reading}",
    NoneWord => "none"
        nb "ingen"
        da "ingen"
        sv "inga",
    Or => " or "
        nb " eller "
        da " eller "
        sv " eller ",
    // Schedules.
    ClosedOnHolidays => "; closed on holidays of {calendars}"
        nb "; stengt på helligdager i {calendars}"
        da "; lukket på helligdage i {calendars}"
        sv "; stängt på helgdagar i {calendars}",
    AndDays => " and {days}"
        nb " og {days}"
        da " og {days}"
        sv " och {days}",
    Complement => "; all time outside {schedule}, so open all day when its holidays close it"
        nb "; all tid utenfor {schedule}, altså åpent hele dagen når helligdagene stenger den"
        da "; al tid uden for {schedule}, altså åbent hele dagen, når helligdagene lukker den"
        sv "; all tid utanför {schedule}, alltså öppet hela dagen när helgdagarna stänger det",
    Closed => "closed"
        nb "stengt"
        da "lukket"
        sv "stängt",
    // Targets and goals.
    TargetOn => "{duration} on {schedule}"
        nb "{duration} på {schedule}"
        da "{duration} på {schedule}"
        sv "{duration} på {schedule}",
    TargetNone => "none — {why}"
        nb "ingen — {why}"
        da "ingen — {why}"
        sv "inget — {why}",
    GoalOverall => "{goal} % of all incidents together"
        nb "{goal} % av alle hendelser samlet"
        da "{goal} % af alle incidents samlet"
        sv "{goal} % av alla incidenter sammantaget",
    GoalEach => "{goal} % for each priority"
        nb "{goal} % for hver prioritet"
        da "{goal} % for hver prioritet"
        sv "{goal} % för varje prioritet",
    NextOpen => "at the next opening"
        nb "ved neste åpning"
        da "ved næste åbning"
        sv "vid nästa öppning",
    NextDayAt => "at {time} the next day"
        nb "kl. {time} neste dag"
        da "kl. {time} næste dag"
        sv "kl. {time} nästa dag",
    // A rule's conditions.
    Impact => "impact {values}"
        nb "konsekvens {values}"
        da "konsekvens {values}"
        sv "påverkan {values}",
    UsersOver => "users over {share} %"
        nb "brukere over {share} %"
        da "brugere over {share} %"
        sv "användare över {share} %",
    UsersAtMost => "users at most {share} %"
        nb "brukere høyst {share} %"
        da "brugere højst {share} %"
        sv "användare högst {share} %",
    Security => "security"
        nb "sikkerhet"
        da "sikkerhed"
        sv "säkerhet",
    NotSecurity => "not security"
        nb "ikke sikkerhet"
        da "ikke sikkerhed"
        sv "inte säkerhet",
    Workaround => "workaround"
        nb "midlertidig løsning"
        da "midlertidig løsning"
        sv "tillfällig lösning",
    NoWorkaround => "no workaround"
        nb "ingen midlertidig løsning"
        da "ingen midlertidig løsning"
        sv "ingen tillfällig lösning",
    Timing => "timing {values}"
        nb "tidspunkt {values}"
        da "tidspunkt {values}"
        sv "tidpunkt {values}",
    AnyFacts => "any facts"
        nb "alle fakta"
        da "alle fakta"
        sv "alla uppgifter",
    // Meetings and notifications.
    EveryWeek => "every week{at}"
        nb "hver uke{at}"
        da "hver uge{at}"
        sv "varje vecka{at}",
    EveryWeeks => "every {n} weeks{at}"
        nb "hver {n}. uke{at}"
        da "hver {n}. uge{at}"
        sv "var {n}:e vecka{at}",
    EveryMonth => "every month{at}"
        nb "hver måned{at}"
        da "hver måned{at}"
        sv "varje månad{at}",
    EveryMonths => "every {n} months{at}"
        nb "hver {n}. måned{at}"
        da "hver {n}. måned{at}"
        sv "var {n}:e månad{at}",
    AsNeeded => "when needed (no reminder)"
        nb "ved behov (ingen påminnelse)"
        da "efter behov (ingen påmindelse)"
        sv "vid behov (ingen påminnelse)",
    FirstLevel => "the first level of the ladder"
        nb "første nivå i eskaleringsstigen"
        da "første niveau i eskaleringsstigen"
        sv "första nivån i eskaleringskedjan",
    EveryLevel => "every level of the ladder"
        nb "alle nivåer i eskaleringsstigen"
        da "alle niveauer i eskaleringsstigen"
        sv "alla nivåer i eskaleringskedjan",
    // Availability and maintenance rules.
    Month => "month"
        nb "måned"
        da "måned"
        sv "månad",
    Year => "year"
        nb "år"
        da "år"
        sv "år",
    Availability => "{target} % of {schedule} per {period}"
        nb "{target} % av {schedule} per {period}"
        da "{target} % af {schedule} pr. {period}"
        sv "{target} % av {schedule} per {period}",
    MaxDowntime => ", at most {downtime} downtime a {period}"
        nb ", høyst {downtime} nedetid per {period}"
        da ", højst {downtime} nedetid pr. {period}"
        sv ", högst {downtime} nedtid per {period}",
    OutagesBoth => ", at most {month} unplanned outages a month and {year} a year"
        nb ", høyst {month} uplanlagte avbrudd per måned og {year} per år"
        da ", højst {month} uplanlagte nedbrud pr. måned og {year} pr. år"
        sv ", högst {month} oplanerade avbrott per månad och {year} per år",
    OutagesMonth => ", at most {month} unplanned outages a month"
        nb ", høyst {month} uplanlagte avbrudd per måned"
        da ", højst {month} uplanlagte nedbrud pr. måned"
        sv ", högst {month} oplanerade avbrott per månad",
    OutagesYear => ", at most {year} unplanned outages a year"
        nb ", høyst {year} uplanlagte avbrudd per år"
        da ", højst {year} uplanlagte nedbrud pr. år"
        sv ", högst {year} oplanerade avbrott per år",
    Notice => "{notice} notice"
        nb "{notice} varsel"
        da "{notice} varsel"
        sv "{notice} förvarning",
    NoticeCounted => "{notice} notice (counted on {schedule})"
        nb "{notice} varsel (regnet på {schedule})"
        da "{notice} varsel (regnet på {schedule})"
        sv "{notice} förvarning (räknat på {schedule})",
    Within => "within {days} {window}"
        nb "innenfor {days} {window}"
        da "inden for {days} {window}"
        sv "inom {days} {window}",
    Outside => "outside {schedule}"
        nb "utenfor {schedule}"
        da "uden for {schedule}"
        sv "utanför {schedule}",
    AtMostLong => "at most {duration} long"
        nb "høyst {duration} langt"
        da "højst {duration} langt"
        sv "högst {duration} långt",
    AtMostYear => "at most {count} a year"
        nb "høyst {count} i året"
        da "højst {count} om året"
        sv "högst {count} per år",
    // `agreements show`, section by section.
    Source => "source: {title}, version {version}, {date}"
        nb "kilde: {title}, versjon {version}, {date}"
        da "kilde: {title}, version {version}, {date}"
        sv "källa: {title}, version {version}, {date}",
    Zone => "time zone: {tz}   incident ids: {prefix}-YYYY-NNNN"
        nb "tidssone: {tz}   hendelses-id-er: {prefix}-ÅÅÅÅ-NNNN"
        da "tidszone: {tz}   incident-id'er: {prefix}-ÅÅÅÅ-NNNN"
        sv "tidszon: {tz}   incident-id:n: {prefix}-ÅÅÅÅ-NNNN",
    Schedules => "schedules:"
        nb "tidsplaner:"
        da "tidsplaner:"
        sv "scheman:",
    Priorities => "priorities and targets (response / resolution):"
        nb "prioriteter og mål (respons / løsning):"
        da "prioriteter og mål (reaktion / løsning):"
        sv "prioriteter och mål (svar / lösning):",
    Targets => "      response:   {response}\n      resolution: {resolution}"
        nb "      respons:    {response}\n      løsning:    {resolution}"
        da "      reaktion:   {response}\n      løsning:    {resolution}"
        sv "      svar:       {response}\n      lösning:    {resolution}",
    Compliance => "  compliance: response {response} / resolution {resolution} (clause {clause})"
        nb "  måloppnåelse: respons {response} / løsning {resolution} (punkt {clause})"
        da "  målopfyldelse: reaktion {response} / løsning {resolution} (punkt {clause})"
        sv "  måluppfyllelse: svar {response} / lösning {resolution} (punkt {clause})",
    Impacts => "impact scale:"
        nb "konsekvensskala:"
        da "konsekvensskala:"
        sv "påverkansskala:",
    TimingClasses => "timing classes (judged at clock start on {schedule}):"
        nb "tidspunktklasser (vurdert ved klokkestart på {schedule}):"
        da "tidspunktsklasser (vurderet ved urets start på {schedule}):"
        sv "tidpunktsklasser (bedöms vid klockstart på {schedule}):",
    MatrixHead => "priority = impact × timing (clause {clause}), impacts {impacts}:"
        nb "prioritet = konsekvens × tidspunkt (punkt {clause}), konsekvenser {impacts}:"
        da "prioritet = konsekvens × tidspunkt (punkt {clause}), konsekvenser {impacts}:"
        sv "prioritet = påverkan × tidpunkt (punkt {clause}), påverkansnivåer {impacts}:",
    MatrixRow => "  timing {timing}: {cells}"
        nb "  tidspunkt {timing}: {cells}"
        da "  tidspunkt {timing}: {cells}"
        sv "  tidpunkt {timing}: {cells}",
    RulesHead => "rules tried before the matrix, first match wins (clause {clause}):"
        nb "regler som prøves før matrisen; den første som passer, gjelder (punkt {clause}):"
        da "regler, der prøves før matricen; den første, der passer, gælder (punkt {clause}):"
        sv "regler som prövas före matrisen; den första som passar gäller (punkt {clause}):",
    StatusUpdates => "status updates:"
        nb "statusoppdateringer:"
        da "statusopdateringer:"
        sv "statusuppdateringar:",
    StatusLine => "  priorities {priorities}: every {every} within {schedule}, outside them {outside}{asks} (clause {clause})"
        nb "  prioriteter {priorities}: hver {every} innenfor {schedule}, ellers {outside}{asks} (punkt {clause})"
        da "  prioriteter {priorities}: hver {every} inden for {schedule}, ellers {outside}{asks} (punkt {clause})"
        sv "  prioriteter {priorities}: var {every} inom {schedule}, annars {outside}{asks} (punkt {clause})",
    FollowUps => "follow-ups:"
        nb "oppfølginger:"
        da "opfølgninger:"
        sv "uppföljningar:",
    FollowUpLine => "  {id}: {what} {after} after {from} (priorities {priorities}, clause {clause})"
        nb "  {id}: {what} {after} etter {from} (prioriteter {priorities}, punkt {clause})"
        da "  {id}: {what} {after} efter {from} (prioriteter {priorities}, punkt {clause})"
        sv "  {id}: {what} {after} efter {from} (prioriteter {priorities}, punkt {clause})",
    FromOpened => "Opened"
        nb "opprettelse"
        da "oprettelse"
        sv "registrering",
    FromResolved => "Resolved"
        nb "løsning"
        da "løsning"
        sv "lösning",
    Repaging => "re-paging while nobody acknowledges:"
        nb "ny varsling så lenge ingen kvitterer:"
        da "nyt kald, så længe ingen kvitterer:"
        sv "nytt larm så länge ingen kvitterar:",
    RepageLine => "  priorities {priorities}: every {every} within {schedule}, {limit} times a level, then the next level (clause {clause})"
        nb "  prioriteter {priorities}: hver {every} innenfor {schedule}, {limit} ganger per nivå, deretter neste nivå (punkt {clause})"
        da "  prioriteter {priorities}: hver {every} inden for {schedule}, {limit} gange pr. niveau, derefter næste niveau (punkt {clause})"
        sv "  prioriteter {priorities}: var {every} inom {schedule}, {limit} gånger per nivå, sedan nästa nivå (punkt {clause})",
    Ladder => "escalation ladder (clause {clause}):"
        nb "eskaleringsstige (punkt {clause}):"
        da "eskaleringsstige (punkt {clause}):"
        sv "eskaleringskedja (punkt {clause}):",
    Notifications => "notifications on opening:"
        nb "varsler ved opprettelse:"
        da "underretninger ved oprettelse:"
        sv "aviseringar när en incident skapas:",
    NotificationLine => "  priorities {priorities}: {what} → {whom}{asks} (clause {clause})"
        nb "  prioriteter {priorities}: {what} → {whom}{asks} (punkt {clause})"
        da "  prioriteter {priorities}: {what} → {whom}{asks} (punkt {clause})"
        sv "  prioriteter {priorities}: {what} → {whom}{asks} (punkt {clause})",
    AsksFor => ", asking for {fields} until given"
        nb ", ber om {fields} til de er gitt"
        da ", beder om {fields}, indtil de er givet"
        sv ", ber om {fields} tills de har lämnats",
    Meetings => "meetings:"
        nb "møter:"
        da "møder:"
        sv "möten:",
    Services => "services (incidents name one; the main one when they name none):"
        nb "tjenester (en hendelse angir én; hovedtjenesten når den ikke angir noen):"
        da "tjenester (en incident angiver én; hovedtjenesten, når den ikke angiver nogen):"
        sv "tjänster (en incident anger en; huvudtjänsten när den inte anger någon):",
    ServiceLine => "  {id}{main} — {name} (clause {clause})\n      operating time: {hours}"
        nb "  {id}{main} — {name} (punkt {clause})\n      driftstid: {hours}"
        da "  {id}{main} — {name} (punkt {clause})\n      driftstid: {hours}"
        sv "  {id}{main} — {name} (punkt {clause})\n      drifttid: {hours}",
    Main => " (main)"
        nb " (hovedtjeneste)"
        da " (hovedtjeneste)"
        sv " (huvudtjänst)",
    Readiness => "      readiness (every clock runs on it): {schedule}: {hours}"
        nb "      beredskap (alle klokker går på den): {schedule}: {hours}"
        da "      beredskab (alle ure går på det): {schedule}: {hours}"
        sv "      beredskap (alla klockor går på den): {schedule}: {hours}",
    AvailabilityLine => "      availability: {text}"
        nb "      tilgjengelighet: {text}"
        da "      tilgængelighed: {text}"
        sv "      tillgänglighet: {text}",
    AnnualLine => "        annual report: {text}"
        nb "        årsrapport: {text}"
        da "        årsrapport: {text}"
        sv "        årsrapport: {text}",
    AnnualUptime => "uptime over the year in {schedule} against {target} %; downtime allowed = {allowed} % of the year's open time of {schedule} (clause {clause})"
        nb "oppetid over året i {schedule} mot {target} %; tillatt nedetid = {allowed} % av årets åpningstid i {schedule} (punkt {clause})"
        da "oppetid over året i {schedule} mod {target} %; tilladt nedetid = {allowed} % af årets åbningstid i {schedule} (punkt {clause})"
        sv "upptid över året i {schedule} mot {target} %; tillåten nedtid = {allowed} % av årets öppettid i {schedule} (punkt {clause})",
    AnnualStated => ", shown beside the stated maximum of {max} a year (clause {clause}); where they disagree both are shown"
        nb ", vist ved siden av avtalens maksimum på {max} i året (punkt {clause}); der de er uenige, vises begge"
        da ", vist ved siden af aftalens maksimum på {max} om året (punkt {clause}); hvor de er uenige, vises begge"
        sv ", visas bredvid avtalets maximum på {max} per år (punkt {clause}); där de skiljer sig visas båda",
    AnnualMonths => "; the months below {target} % are counted (clause {clause})"
        nb "; månedene under {target} % telles (punkt {clause})"
        da "; månederne under {target} % tælles (punkt {clause})"
        sv "; månaderna under {target} % räknas (punkt {clause})",
    AnnualOutagesYear => "; unplanned outages of the year against {year} (clause {clause})"
        nb "; uplanlagte avbrudd i året mot {year} (punkt {clause})"
        da "; uplanlagte nedbrud i året mod {year} (punkt {clause})"
        sv "; oplanerade avbrott under året mot {year} (punkt {clause})",
    AnnualOutagesMonth => "; unplanned outages of the busiest month against {month} (clause {clause})"
        nb "; uplanlagte avbrudd i den verste måneden mot {month} (punkt {clause})"
        da "; uplanlagte nedbrud i den værste måned mod {month} (punkt {clause})"
        sv "; oplanerade avbrott under den sämsta månaden mot {month} (punkt {clause})",
    AnnualOutagesBoth => "; unplanned outages of the year against {year}, of the busiest month against {month} (clause {clause})"
        nb "; uplanlagte avbrudd i året mot {year}, i den verste måneden mot {month} (punkt {clause})"
        da "; uplanlagte nedbrud i året mod {year}, i den værste måned mod {month} (punkt {clause})"
        sv "; oplanerade avbrott under året mot {year}, under den sämsta månaden mot {month} (punkt {clause})",
    DegradedLine => "      degraded (available with disturbance, counts as available) = answers from {n} or more sources; fewer = a full outage, counted as downtime; /incident outage kind:degraded asks for answering:N{cite}"
        nb "      redusert (tilgjengelig med forstyrrelser, regnes som tilgjengelig) = svar fra {n} eller flere kilder; færre = fullt avbrudd, regnes som nedetid; /incident outage kind:degraded ber om answering:N{cite}"
        da "      reduceret (tilgængelig med forstyrrelser, regnes som tilgængelig) = svar fra {n} eller flere kilder; færre = fuldt nedbrud, regnes som nedetid; /incident outage kind:degraded beder om answering:N{cite}"
        sv "      störd (tillgänglig med störning, räknas som tillgänglig) = svar från {n} eller fler källor; färre = fullständigt avbrott, räknas som nedtid; /incident outage kind:degraded frågar efter answering:N{cite}",
    MaintenanceLine => "      maintenance {text}"
        nb "      vedlikehold {text}"
        da "      vedligehold {text}"
        sv "      underhåll {text}",
    Reports => "reports:"
        nb "rapporter:"
        da "rapporter:"
        sv "rapporter:",
    MonthlyReport => "  monthly report"
        nb "  månedsrapport"
        da "  månedsrapport"
        sv "  månadsrapport",
    DayOfNextMonth => "day {day} of the next month"
        nb "dag {day} i neste måned"
        da "dag {day} i næste måned"
        sv "dag {day} i nästa månad",
    AnnualReport => "  annual report"
        nb "  årsrapport"
        da "  årsrapport"
        sv "  årsrapport",
    OfNextYear => "{date} of the next year"
        nb "{date} neste år"
        da "{date} næste år"
        sv "{date} nästa år",
    DueBy => "{what} due by {day} (a closed day: {closed}; clause {clause})"
        nb "{what} senest {day} (på en stengt dag: {closed}; punkt {clause})"
        da "{what} senest {day} (på en lukket dag: {closed}; punkt {clause})"
        sv "{what} senast {day} (på en stängd dag: {closed}; punkt {clause})",
    DueOn => "{what} due on {day} (a closed day: {closed}; clause {clause})"
        nb "{what} med frist {day} (på en stengt dag: {closed}; punkt {clause})"
        da "{what} med frist {day} (på en lukket dag: {closed}; punkt {clause})"
        sv "{what} med tidsfrist {day} (på en stängd dag: {closed}; punkt {clause})",
    WorkingDayBefore => "the working day before"
        nb "arbeidsdagen før"
        da "arbejdsdagen før"
        sv "arbetsdagen före",
    NextWorkingDay => "the next working day"
        nb "neste arbeidsdag"
        da "næste arbejdsdag"
        sv "nästa arbetsdag",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::msg::tests::check_table;

    #[test]
    fn every_agreement_word_exists_in_every_language() {
        check_table(AgreementMsg::ALL, |m, l| m.translated(l));
    }
}
