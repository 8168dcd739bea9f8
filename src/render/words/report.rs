//! The words of the reports (weekly summary, monthly SLA report, annual report, revisions):
//! headings, table heads and the sentences between them, in every locale. CSV and JSON field
//! names are data, not wording: they stay as [`crate::render::report`] writes them.

crate::messages! {
    /// A heading, table head or sentence of a report, by key.
    pub enum ReportMsg {
    // Compliance, times, breaches (every report).
    GoalMet => "{goal} % (met)"
        nb "{goal} % (nådd)"
        da "{goal} % (nået)"
        sv "{goal} % (uppnått)",
    GoalNotMet => "{goal} % (NOT met)"
        nb "{goal} % (IKKE nådd)"
        da "{goal} % (IKKE nået)"
        sv "{goal} % (INTE uppnått)",
    ComplianceHead => "| Priority | Response within | Response outside | Response | Goal | Resolution within | Resolution outside | Resolution | Goal |"
        nb "| Prioritet | Respons innenfor | Respons utenfor | Respons | Mål | Løsning innenfor | Løsning utenfor | Løsning | Mål |"
        da "| Prioritet | Reaktion inden for | Reaktion uden for | Reaktion | Mål | Løsning inden for | Løsning uden for | Løsning | Mål |"
        sv "| Prioritet | Svar inom | Svar utanför | Svar | Mål | Lösning inom | Lösning utanför | Lösning | Mål |",
    NoTarget => "no target"
        nb "ikke noe mål"
        da "intet mål"
        sv "inget mål",
    All => "All"
        nb "Alle"
        da "Alle"
        sv "Alla",
    TimesHead => "| Priority | Responses | Median | 90th percentile | Max | Resolutions | Median | 90th percentile | Max |"
        nb "| Prioritet | Responser | Median | 90-persentil | Maks | Løsninger | Median | 90-persentil | Maks |"
        da "| Prioritet | Reaktioner | Median | 90-percentil | Maks | Løsninger | Median | 90-percentil | Maks |"
        sv "| Prioritet | Svar | Median | 90:e percentil | Max | Lösningar | Median | 90:e percentil | Max |",
    NoBreaches => "No breaches."
        nb "Ingen brudd."
        da "Ingen brud."
        sv "Inga brott.",
    BreachesHead => "| Incident | Priority | Milestone | Deadline | Met | Late (business time) | Late (wall time) | Escalation level |"
        nb "| Hendelse | Prioritet | Milepæl | Frist | Nådd | For sent (arbeidstid) | For sent (kalendertid) | Eskaleringsnivå |"
        da "| Incident | Prioritet | Milepæl | Frist | Nået | For sent (arbejdstid) | For sent (kalendertid) | Eskaleringsniveau |"
        sv "| Incident | Prioritet | Milstolpe | Tidsfrist | Uppnådd | Försenad (arbetstid) | Försenad (kalendertid) | Eskaleringsnivå |",
    NotYet => "not yet"
        nb "ikke ennå"
        da "ikke endnu"
        sv "inte än",
    Counted => "- {priority}: opened {opened}; resolved {resolved}; response within {response_within}, outside {response_outside}; resolution within {resolution_within}, outside {resolution_outside}"
        nb "- {priority}: opprettet {opened}; løst {resolved}; respons innenfor {response_within}, utenfor {response_outside}; løsning innenfor {resolution_within}, utenfor {resolution_outside}"
        da "- {priority}: oprettet {opened}; løst {resolved}; reaktion inden for {response_within}, uden for {response_outside}; løsning inden for {resolution_within}, uden for {resolution_outside}"
        sv "- {priority}: skapade {opened}; lösta {resolved}; svar inom {response_within}, utanför {response_outside}; lösning inom {resolution_within}, utanför {resolution_outside}",
    HWithin => "## Within and outside target"
        nb "## Innenfor og utenfor mål"
        da "## Inden for og uden for mål"
        sv "## Inom och utanför mål",
    GoalsClause => "Goals: clause {clause} of the agreement."
        nb "Mål: avtalens punkt {clause}."
        da "Mål: aftalens punkt {clause}."
        sv "Mål: avtalets punkt {clause}.",
    NoGoal => "The agreement sets no compliance goal."
        nb "Avtalen setter ikke noe mål for måloppnåelse."
        da "Aftalen fastsætter intet mål for målopfyldelse."
        sv "Avtalet anger inget mål för måluppfyllelse.",
    HTimes => "## Response and resolution times (business time)"
        nb "## Respons- og løsningstider (arbeidstid)"
        da "## Reaktions- og løsningstider (arbejdstid)"
        sv "## Svars- och lösningstider (arbetstid)",
    HEscalated => "## Escalated incidents: {count}"
        nb "## Eskalerte hendelser: {count}"
        da "## Eskalerede incidents: {count}"
        sv "## Eskalerade incidenter: {count}",
    HSecurity => "## Security incidents: {count}"
        nb "## Sikkerhetshendelser: {count}"
        da "## Sikkerhedshændelser: {count}"
        sv "## Säkerhetsincidenter: {count}",
    HFollowUpsDue => "## Follow-ups due"
        nb "## Oppfølginger med frist"
        da "## Opfølgninger med frist"
        sv "## Uppföljningar med tidsfrist",
    FollowUpCounts => "Done on time: {on_time} · done late: {late} · waived: {waived} · not done: {open}"
        nb "Utført i tide: {on_time} · utført for sent: {late} · frafalt: {waived} · ikke utført: {open}"
        da "Udført til tiden: {on_time} · udført for sent: {late} · frafaldet: {waived} · ikke udført: {open}"
        sv "Utförda i tid: {on_time} · utförda för sent: {late} · strukna: {waived} · ej utförda: {open}",
    HBreaches => "## Breaches: {count}"
        nb "## Brudd: {count}"
        da "## Brud: {count}"
        sv "## Brott: {count}",
    HCounted => "## Incidents counted"
        nb "## Hendelser som er talt med"
        da "## Incidents, der er talt med"
        sv "## Incidenter som räknats",
    // The monthly SLA report.
    MonthlyTitle => "# SLA report {month} — {title}"
        nb "# SLA-rapport {month} — {title}"
        da "# SLA-rapport {month} — {title}"
        sv "# SLA-rapport {month} — {title}",
    MonthlyPeriod => "Period {from} to {to} ({zone}), figures as of {as_of}. {count} incidents behind these figures."
        nb "Periode {from} til {to} ({zone}), tall per {as_of}. {count} hendelser ligger bak disse tallene."
        da "Periode {from} til {to} ({zone}), tal pr. {as_of}. {count} incidents ligger bag disse tal."
        sv "Period {from} till {to} ({zone}), siffror per {as_of}. {count} incidenter ligger bakom siffrorna.",
    HAvailability => "## Availability"
        nb "## Tilgjengelighet"
        da "## Tilgængelighed"
        sv "## Tillgänglighet",
    AvailabilityHead => "| Service | Measured in | Period | Uptime | Target | Down | Allowed by the target | Most downtime stated | Windows excluded | Unplanned outages (month / year) | Limits | Clause |"
        nb "| Tjeneste | Målt i | Periode | Oppetid | Mål | Nede | Tillatt etter målet | Høyeste nedetid i teksten | Vinduer holdt utenfor | Uplanlagte avbrudd (måned / år) | Grenser | Punkt |"
        da "| Tjeneste | Målt i | Periode | Oppetid | Mål | Nede | Tilladt efter målet | Højeste nedetid i teksten | Vinduer trukket fra | Uplanlagte nedbrud (måned / år) | Grænser | Punkt |"
        sv "| Tjänst | Mätt i | Period | Upptid | Mål | Nere | Tillåtet enligt målet | Högsta nedtid enligt texten | Undantagna fönster | Oplanerade avbrott (månad / år) | Gränser | Punkt |",
    AvailabilityHeadAnnual => "| Service | Measured in | Period | Uptime | Target | Down | Allowed by the target | Most downtime stated | Windows excluded | Unplanned outages (busiest month / year) | Limits | Months below target | Busiest month | Clause |"
        nb "| Tjeneste | Målt i | Periode | Oppetid | Mål | Nede | Tillatt etter målet | Høyeste nedetid i teksten | Vinduer holdt utenfor | Uplanlagte avbrudd (verste måned / år) | Grenser | Måneder under målet | Verste måned | Punkt |"
        da "| Tjeneste | Målt i | Periode | Oppetid | Mål | Nede | Tilladt efter målet | Højeste nedetid i teksten | Vinduer trukket fra | Uplanlagte nedbrud (værste måned / år) | Grænser | Måneder under målet | Værste måned | Punkt |"
        sv "| Tjänst | Mätt i | Period | Upptid | Mål | Nere | Tillåtet enligt målet | Högsta nedtid enligt texten | Undantagna fönster | Oplanerade avbrott (sämsta månad / år) | Gränser | Månader under målet | Sämsta månad | Punkt |",
    // The annual report.
    AnnualTitle => "# Annual report {year} — {title}"
        nb "# Årsrapport {year} — {title}"
        da "# Årsrapport {year} — {title}"
        sv "# Årsrapport {year} — {title}",
    AnnualAsOf => "Figures as of {as_of} ({zone})."
        nb "Tall per {as_of} ({zone})."
        da "Tal pr. {as_of} ({zone})."
        sv "Siffror per {as_of} ({zone}).",
    HMonths => "## Months"
        nb "## Måneder"
        da "## Måneder"
        sv "## Månader",
    MonthsHead => "| Month | Opened | Resolved | Response within / outside | Response | Resolution within / outside | Resolution | Escalated | Security | Breaches |"
        nb "| Måned | Opprettet | Løst | Respons innenfor / utenfor | Respons | Løsning innenfor / utenfor | Løsning | Eskalert | Sikkerhet | Brudd |"
        da "| Måned | Oprettet | Løst | Reaktion inden for / uden for | Reaktion | Løsning inden for / uden for | Løsning | Eskaleret | Sikkerhed | Brud |"
        sv "| Månad | Skapade | Lösta | Svar inom / utanför | Svar | Lösning inom / utanför | Lösning | Eskalerade | Säkerhet | Brott |",
    HYear => "# The year"
        nb "# Året"
        da "# Året"
        sv "# Året",
    // The weekly summary.
    Met => "met"
        nb "nådd"
        da "nået"
        sv "uppnådd",
    Overdue => "overdue {time}"
        nb "over fristen med {time}"
        da "over fristen med {time}"
        sv "försenad med {time}",
    WeeklyTitle => "# Weekly summary {week} — {title}"
        nb "# Ukeoppsummering {week} — {title}"
        da "# Ugeoversigt {week} — {title}"
        sv "# Veckosammanfattning {week} — {title}",
    WeeklyPeriod => "Week {from} to {to} ({zone}), as of {as_of}."
        nb "Uke {from} til {to} ({zone}), per {as_of}."
        da "Uge {from} til {to} ({zone}), pr. {as_of}."
        sv "Vecka {from} till {to} ({zone}), per {as_of}.",
    HOpenedResolved => "## Opened and resolved this week"
        nb "## Opprettet og løst denne uken"
        da "## Oprettet og løst i denne uge"
        sv "## Skapade och lösta den här veckan",
    OpenedResolvedHead => "| Priority | Opened | Resolved | Incidents opened | Incidents resolved |"
        nb "| Prioritet | Opprettet | Løst | Hendelser opprettet | Hendelser løst |"
        da "| Prioritet | Oprettet | Løst | Incidents oprettet | Incidents løst |"
        sv "| Prioritet | Skapade | Lösta | Skapade incidenter | Lösta incidenter |",
    HOpen => "## Open incidents: {count}"
        nb "## Åpne hendelser: {count}"
        da "## Åbne incidents: {count}"
        sv "## Öppna incidenter: {count}",
    OpenHead => "| Incident | Priority | State | Level | Response left (business time) | Response left (wall time) | Resolution left (business time) | Resolution left (wall time) |"
        nb "| Hendelse | Prioritet | Status | Nivå | Igjen til respons (arbeidstid) | Igjen til respons (kalendertid) | Igjen til løsning (arbeidstid) | Igjen til løsning (kalendertid) |"
        da "| Incident | Prioritet | Status | Niveau | Tilbage til reaktion (arbejdstid) | Tilbage til reaktion (kalendertid) | Tilbage til løsning (arbejdstid) | Tilbage til løsning (kalendertid) |"
        sv "| Incident | Prioritet | Status | Nivå | Kvar till svar (arbetstid) | Kvar till svar (kalendertid) | Kvar till lösning (arbetstid) | Kvar till lösning (kalendertid) |",
    HBreachesWeek => "## Breaches this week: {count}"
        nb "## Brudd denne uken: {count}"
        da "## Brud i denne uge: {count}"
        sv "## Brott den här veckan: {count}",
    HComplianceSoFar => "## Compliance so far in {month}"
        nb "## Måloppnåelse så langt i {month}"
        da "## Målopfyldelse indtil videre i {month}"
        sv "## Måluppfyllelse hittills under {month}",
    HMaintenance => "## Maintenance windows this week and the coming two"
        nb "## Vedlikeholdsvinduer denne uken og de to neste"
        da "## Servicevinduer i denne uge og de to næste"
        sv "## Servicefönster den här veckan och de två närmaste",
    Clause => "clause {clause}"
        nb "punkt {clause}"
        da "punkt {clause}"
        sv "punkt {clause}",
    RecordedDespite => " — recorded despite {clauses}"
        nb " — registrert til tross for {clauses}"
        da " — registreret trods {clauses}"
        sv " — registrerat trots {clauses}",
    HStatus => "## Status updates due versus posted"
        nb "## Statusoppdateringer: påkrevd mot postet"
        da "## Statusopdateringer: krævet mod sendt"
        sv "## Statusuppdateringar: krävda mot publicerade",
    NoneDue => "None due."
        nb "Ingen var påkrevd."
        da "Ingen var krævet."
        sv "Inga krävdes.",
    StatusHead => "| Incident | Priority | Due | Posted | Human notes |"
        nb "| Hendelse | Prioritet | Påkrevd | Postet | Notater fra personer |"
        da "| Incident | Prioritet | Krævet | Sendt | Noter fra personer |"
        sv "| Incident | Prioritet | Krävda | Publicerade | Anteckningar från personer |",
    HFollowUpsWeek => "## Follow-ups due this week"
        nb "## Oppfølginger med frist denne uken"
        da "## Opfølgninger med frist i denne uge"
        sv "## Uppföljningar med tidsfrist den här veckan",
    NoneAtAll => "None."
        nb "Ingen."
        da "Ingen."
        sv "Inga.",
    FollowUpHead => "| Incident | Follow-up | Due | Posted |"
        nb "| Hendelse | Oppfølging | Frist | Postet |"
        da "| Incident | Opfølgning | Frist | Sendt |"
        sv "| Incident | Uppföljning | Tidsfrist | Publicerad |",
    DoneOnTime => "done on time"
        nb "utført i tide"
        da "udført til tiden"
        sv "utförd i tid",
    DoneLate => "done late"
        nb "utført for sent"
        da "udført for sent"
        sv "utförd för sent",
    Waived => "waived"
        nb "frafalt"
        da "frafaldet"
        sv "struken",
    Yes => "yes"
        nb "ja"
        da "ja"
        sv "ja",
    No => "no"
        nb "nei"
        da "nej"
        sv "nej",
    HPoints => "## Open follow-up points: {count}"
        nb "## Åpne oppfølgingspunkter: {count}"
        da "## Åbne opfølgningspunkter: {count}"
        sv "## Öppna uppföljningspunkter: {count}",
    PointOwner => ", owner {owner}"
        nb ", ansvarlig {owner}"
        da ", ansvarlig {owner}"
        sv ", ansvarig {owner}",
    PointLine => "- #{id} ({meeting}{owner}) due {due}{overdue}: {text}"
        nb "- #{id} ({meeting}{owner}) frist {due}{overdue}: {text}"
        da "- #{id} ({meeting}{owner}) frist {due}{overdue}: {text}"
        sv "- #{id} ({meeting}{owner}) tidsfrist {due}{overdue}: {text}",
    PointOverdue => " — overdue"
        nb " — over fristen"
        da " — over fristen"
        sv " — försenad",
    HComing => "## Due in the coming two weeks (to {until})"
        nb "## Frister de neste to ukene (til {until})"
        da "## Frister de næste to uger (til {until})"
        sv "## Tidsfrister de närmaste två veckorna (till {until})",
    Nothing => "Nothing."
        nb "Ingenting."
        da "Intet."
        sv "Inget.",
    ComingDeadline => "{incident}: {milestone} deadline"
        nb "{incident}: frist for {milestone}"
        da "{incident}: frist for {milestone}"
        sv "{incident}: tidsfrist för {milestone}",
    ComingFollowUp => "{incident}: follow-up {follow_up}"
        nb "{incident}: oppfølging {follow_up}"
        da "{incident}: opfølgning {follow_up}"
        sv "{incident}: uppföljning {follow_up}",
    ComingPoint => "follow-up point #{id}"
        nb "oppfølgingspunkt #{id}"
        da "opfølgningspunkt #{id}"
        sv "uppföljningspunkt #{id}",
    // Revisions of a posted report.
    RevisionNone => "none"
        nb "ingen"
        da "ingen"
        sv "inga",
    RevisionUnchanged => "\n_Revision {revision}: figures recomputed as time passed; no incident changed._\n"
        nb "\n_Revisjon {revision}: tallene er regnet ut på nytt etter hvert som tiden gikk; ingen hendelse er endret._\n"
        da "\n_Revision {revision}: tallene er beregnet igen, efterhånden som tiden gik; ingen incident er ændret._\n"
        sv "\n_Revision {revision}: siffrorna har räknats om allteftersom tiden gått; ingen incident har ändrats._\n",
    RevisionChanged => "\n_Revision {revision} (revised): incidents added {added}; removed {removed}; changed {changed}._\n"
        nb "\n_Revisjon {revision} (revidert): hendelser lagt til {added}; fjernet {removed}; endret {changed}._\n"
        da "\n_Revision {revision} (revideret): incidents tilføjet {added}; fjernet {removed}; ændret {changed}._\n"
        sv "\n_Revision {revision} (reviderad): incidenter tillagda {added}; borttagna {removed}; ändrade {changed}._\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::msg::tests::check_table;

    #[test]
    fn every_report_word_exists_in_every_language() {
        check_table(ReportMsg::ALL, |m, l| m.translated(l));
    }
}
