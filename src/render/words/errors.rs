//! The words of refusals: a person's mistake as the service ([`crate::service::UserError`]),
//! the incident's rules ([`crate::domain::incident::IncidentError`]), classification, report
//! periods and the command parser report it, in every locale. [`crate::render::error`] fills
//! them.

crate::messages! {
    /// A refusal's sentence or word, by key.
    pub enum ErrorMsg {
    // The service's refusals.
    Forbidden => "you may not {action}: it needs one of the roles {roles}"
        nb "du har ikke lov til å {action}: det krever en av rollene {roles}"
        da "du må ikke {action}: det kræver en af rollerne {roles}"
        sv "du får inte {action}: det kräver en av rollerna {roles}",
    UnknownAgreement => "unknown agreement \"{id}\""
        nb "ukjent avtale «{id}»"
        da "ukendt aftale »{id}«"
        sv "okänt avtal ”{id}”",
    UnknownService => "unknown service \"{service}\" (known: {known})"
        nb "ukjent tjeneste «{service}» (kjente: {known})"
        da "ukendt tjeneste »{service}« (kendte: {known})"
        sv "okänd tjänst ”{service}” (kända: {known})",
    NoMaintenanceRules => "the agreement sets no maintenance windows for service \"{service}\""
        nb "avtalen fastsetter ingen vedlikeholdsvinduer for tjenesten «{service}»"
        da "aftalen fastsætter ingen servicevinduer for tjenesten »{service}«"
        sv "avtalet anger inga servicefönster för tjänsten ”{service}”",
    UnknownMaintenanceKind => "unknown maintenance kind \"{kind}\" (known: {known})"
        nb "ukjent type vedlikehold «{kind}» (kjente: {known})"
        da "ukendt type vedligehold »{kind}« (kendte: {known})"
        sv "okänd typ av underhåll ”{kind}” (kända: {known})",
    BadWindow => "a maintenance window must start after now and last at least a minute"
        nb "et vedlikeholdsvindu må starte etter nå og vare minst ett minutt"
        da "et servicevindue skal starte efter nu og vare mindst et minut"
        sv "ett servicefönster måste börja efter nu och pågå minst en minut",
    WindowBreaks => "the window breaks the agreement: {rules}. Nothing was recorded; a manager may record it anyway with reason:\"…\""
        nb "vinduet bryter avtalen: {rules}. Ingenting ble registrert; en leder kan likevel registrere det med reason:\"…\""
        da "vinduet bryder aftalen: {rules}. Intet blev registreret; en leder kan alligevel registrere det med reason:\"…\""
        sv "fönstret bryter mot avtalet: {rules}. Inget registrerades; en chef kan ändå registrera det med reason:\"…\"",
    UnknownWindow => "no maintenance window {id} in this agreement"
        nb "avtalen har ikke noe vedlikeholdsvindu {id}"
        da "aftalen har intet servicevindue {id}"
        sv "avtalet har inget servicefönster {id}",
    NotFound => "no incident {id}"
        nb "ingen hendelse {id}"
        da "ingen incident {id}"
        sv "ingen incident {id}",
    NoPointsMeeting => "agreement \"{id}\" has no scheduled meeting with follow-up points"
        nb "avtalen «{id}» har ikke noe fast møte med oppfølgingspunkter"
        da "aftalen »{id}« har intet fast møde med opfølgningspunkter"
        sv "avtalet ”{id}” har inget schemalagt möte med uppföljningspunkter",
    UnknownPoint => "no follow-up point {id} in this agreement"
        nb "avtalen har ikke noe oppfølgingspunkt {id}"
        da "aftalen har intet opfølgningspunkt {id}"
        sv "avtalet har ingen uppföljningspunkt {id}",
    EmptyPoint => "a follow-up point needs a text"
        nb "et oppfølgingspunkt må ha en tekst"
        da "et opfølgningspunkt skal have en tekst"
        sv "en uppföljningspunkt måste ha en text",
    PointDueInPast => "a follow-up point cannot be due in the past: give a later due:, or leave it out for the next meeting"
        nb "et oppfølgingspunkt kan ikke ha frist i fortiden: oppgi en senere due:, eller utelat den for å bruke neste møte"
        da "et opfølgningspunkt kan ikke have frist i fortiden: angiv en senere due:, eller udelad den for at bruge næste møde"
        sv "en uppföljningspunkt kan inte ha en tidsfrist som redan passerat: ange ett senare due:, eller utelämna det för nästa möte",
    AgreementNeeded => "name the agreement (agreement:ID): more than one is configured"
        nb "oppgi avtalen (agreement:ID): mer enn én er satt opp"
        da "angiv aftalen (agreement:ID): der er sat mere end én op"
        sv "ange avtalet (agreement:ID): fler än ett är konfigurerat",
    Conflict => "incident {id} was changed by someone else; try again"
        nb "hendelse {id} ble endret av noen andre samtidig; prøv igjen"
        da "incident {id} blev ændret af en anden samtidig; prøv igen"
        sv "incident {id} ändrades av någon annan samtidigt; försök igen",
    AnsweringNeeded => "service \"{service}\" counts an outage as degraded only with answers from {min} or more sources ({clause}): say how many answer with answering:N"
        nb "tjenesten «{service}» regner et avbrudd som redusert bare med svar fra {min} eller flere kilder ({clause}): oppgi hvor mange som svarer med answering:N"
        da "tjenesten »{service}« regner et nedbrud som reduceret kun med svar fra {min} eller flere kilder ({clause}): angiv hvor mange der svarer med answering:N"
        sv "tjänsten ”{service}” räknar ett avbrott som stört bara med svar från {min} eller fler källor ({clause}): ange hur många som svarar med answering:N",
    AnsweringNotDefined => "service \"{service}\" does not define degraded by sources answering: leave out answering"
        nb "tjenesten «{service}» definerer ikke redusert drift ut fra kilder som svarer: utelat answering"
        da "tjenesten »{service}« definerer ikke reduceret drift ud fra kilder, der svarer: udelad answering"
        sv "tjänsten ”{service}” definierar inte störd drift utifrån källor som svarar: utelämna answering",
    UnknownCaseType => "unknown case type \"{case_type}\" (known: {known})"
        nb "ukjent sakstype «{case_type}» (kjente: {known})"
        da "ukendt sagstype »{case_type}« (kendte: {known})"
        sv "okänd ärendetyp ”{case_type}” (kända: {known})",
    ClassNeeded => "a {case_type} needs a class (one of: {known})"
        nb "en sak av typen {case_type} må ha en klasse (en av: {known})"
        da "en sag af typen {case_type} skal have en klasse (en af: {known})"
        sv "ett ärende av typen {case_type} behöver en klass (en av: {known})",
    EmptyPublicText => "a public text needs some text: text:… says what the public may read"
        nb "en offentlig tekst kan ikke være tom: text:… sier hva publikum kan lese"
        da "en offentlig tekst kan ikke være tom: text:… siger, hvad offentligheden må læse"
        sv "en offentlig text kan inte vara tom: text:… anger vad allmänheten får läsa",
    // What a refused maintenance window breaks, rule by rule.
    BreachNotice => "clause {clause} needs {notice} notice{counted}, so a window announced now may start {earliest} at the earliest"
        nb "punkt {clause} krever {notice} varsel{counted}, så et vindu som varsles nå, kan tidligst starte {earliest}"
        da "punkt {clause} kræver {notice} varsel{counted}, så et vindue, der varsles nu, kan tidligst starte {earliest}"
        sv "punkt {clause} kräver {notice} förvarning{counted}, så ett fönster som aviseras nu kan börja tidigast {earliest}",
    BreachCountedOn => " (counted on {schedule})"
        nb " (regnet på {schedule})"
        da " (regnet på {schedule})"
        sv " (räknat på {schedule})",
    BreachHours => "clause {clause} allows windows only within {window} (local time), starting on {days}"
        nb "punkt {clause} tillater vinduer bare innenfor {window} (lokal tid), med start på {days}"
        da "punkt {clause} tillader kun vinduer inden for {window} (lokal tid), med start på {days}"
        sv "punkt {clause} tillåter fönster endast inom {window} (lokal tid), med start på {days}",
    BreachInside => "clause {clause} puts windows outside {schedule}, and this one overlaps it"
        nb "punkt {clause} legger vinduer utenfor {schedule}, og dette overlapper med den"
        da "punkt {clause} lægger vinduer uden for {schedule}, og dette overlapper den"
        sv "punkt {clause} lägger fönster utanför {schedule}, och detta överlappar den",
    BreachTooLong => "clause {clause} allows at most {max} for this kind of window"
        nb "punkt {clause} tillater høyst {max} for denne typen vindu"
        da "punkt {clause} tillader højst {max} for denne type vindue"
        sv "punkt {clause} tillåter högst {max} för den här typen av fönster",
    BreachYearFull => "clause {clause} allows at most {max} windows of this kind a year, and {year} has {max} already"
        nb "punkt {clause} tillater høyst {max} vinduer av denne typen i året, og {year} har allerede {max}"
        da "punkt {clause} tillader højst {max} vinduer af denne type om året, og {year} har allerede {max}"
        sv "punkt {clause} tillåter högst {max} fönster av den här typen per år, och {year} har redan {max}",
    // The incident's rules.
    IllegalTransition => "cannot {action} an incident that is {state}"
        nb "kan ikke {action} en hendelse som er {state}"
        da "kan ikke {action} en incident, der er {state}"
        sv "kan inte {action} en incident som är {state}",
    UnknownPriority => "unknown priority \"{priority}\" (known: {known})"
        nb "ukjent prioritet «{priority}» (kjente: {known})"
        da "ukendt prioritet »{priority}« (kendte: {known})"
        sv "okänd prioritet ”{priority}” (kända: {known})",
    OutageEndsBeforeStart => "an outage must end after it starts"
        nb "et driftsavbrudd må slutte etter at det starter"
        da "et nedbrud skal slutte, efter det starter"
        sv "ett avbrott måste sluta efter att det börjar",
    Empty => "{what} must not be empty"
        nb "{what} må fylles ut"
        da "{what} skal udfyldes"
        sv "{what} måste fyllas i",
    Unchanged => "{what} is already what you asked for; nothing changed"
        nb "{what} er allerede slik du ba om; ingenting ble endret"
        da "{what} er allerede, som du bad om; intet blev ændret"
        sv "{what} är redan som du bad om; inget ändrades",
    NeedsManager => "lowering priority {from} to {to} after a missed deadline needs a manager"
        nb "å senke prioritet {from} til {to} etter en oversittet frist krever en leder"
        da "at sænke prioritet {from} til {to} efter en overskredet frist kræver en leder"
        sv "att sänka prioritet {from} till {to} efter en missad tidsfrist kräver en chef",
    SecurityNeedsManager => "lowering priority {from} to {to} of a security incident needs a manager and a reason"
        nb "å senke prioritet {from} til {to} for en sikkerhetshendelse krever en leder og en begrunnelse"
        da "at sænke prioritet {from} til {to} for en sikkerhedshændelse kræver en leder og en begrundelse"
        sv "att sänka prioritet {from} till {to} för en säkerhetsincident kräver en chef och en motivering",
    LoweringNeedsReason => "lowering priority {from} to {to} here needs a reason (reason:\"…\")"
        nb "å senke prioritet {from} til {to} her krever en begrunnelse (reason:\"…\")"
        da "at sænke prioritet {from} til {to} her kræver en begrundelse (reason:\"…\")"
        sv "att sänka prioritet {from} till {to} här kräver en motivering (reason:\"…\")",
    UnknownFollowUp => "no follow-up \"{id}\" is owed for this incident (owed: {known})"
        nb "denne hendelsen har ingen oppfølging «{id}» (påkrevde: {known})"
        da "denne incident har ingen opfølgning »{id}« (påkrævede: {known})"
        sv "den här incidenten har ingen uppföljning ”{id}” (krävda: {known})",
    AlreadyPosted => "follow-up \"{id}\" was posted already; nothing to waive"
        nb "oppfølging «{id}» er allerede postet; ingenting å frafalle"
        da "opfølgning »{id}« er allerede sendt; intet at frafalde"
        sv "uppföljning ”{id}” är redan publicerad; inget att avstå från",
    FollowUpDoneAlready => "follow-up {id} is done already; nothing changed"
        nb "oppfølging {id} er allerede utført; ingenting ble endret"
        da "opfølgning {id} er allerede udført; intet blev ændret"
        sv "uppföljning {id} är redan utförd; inget ändrades",
    FollowUpWaivedAlready => "follow-up {id} is waived already; nothing changed"
        nb "oppfølging {id} er allerede frafalt; ingenting ble endret"
        da "opfølgning {id} er allerede frafaldet; intet blev ændret"
        sv "uppföljning {id} är redan struken; inget ändrades",
    NothingToEdit => "name what to change: title:\"…\" or description:\"…\""
        nb "oppgi hva som skal endres: title:\"…\" eller description:\"…\""
        da "angiv, hvad der skal ændres: title:\"…\" eller description:\"…\""
        sv "ange vad som ska ändras: title:\"…\" eller description:\"…\"",
    SnoozeInThePast => "a snooze must end after now"
        nb "en pause må slutte etter nå"
        da "en pause skal slutte efter nu"
        sv "en paus måste sluta efter nu",
    SnoozeNeedsManager => "snoozing status updates for longer than a day needs a manager"
        nb "å sette statusoppdateringer på pause i mer enn et døgn krever en leder"
        da "at sætte statusopdateringer på pause i mere end et døgn kræver en leder"
        sv "att pausa statusuppdateringar i mer än ett dygn kräver en chef",
    DuplicateOfItself => "an incident cannot be a duplicate of itself"
        nb "en hendelse kan ikke være et duplikat av seg selv"
        da "en incident kan ikke være en dublet af sig selv"
        sv "en incident kan inte vara en dubblett av sig själv",
    TopOfLadder => "already at the top of the escalation ladder (level {level}); nobody was pinged again"
        nb "allerede øverst på eskaleringsstigen (nivå {level}); ingen ble varslet på nytt"
        da "allerede øverst på eskaleringsstigen (niveau {level}); ingen blev kaldt op igen"
        sv "redan högst upp i eskaleringskedjan (nivå {level}); ingen larmades igen",
    // Classification.
    UnknownImpact => "unknown impact \"{impact}\" (known: {known})"
        nb "ukjent konsekvens «{impact}» (kjente: {known})"
        da "ukendt konsekvens »{impact}« (kendte: {known})"
        sv "okänd påverkan ”{impact}” (kända: {known})",
    BadShare => "users affected must be a percentage from 0 to 100, not {share}"
        nb "berørte brukere må være en prosentandel fra 0 til 100, ikke {share}"
        da "berørte brugere skal være en procentdel fra 0 til 100, ikke {share}"
        sv "berörda användare måste vara en procentsats från 0 till 100, inte {share}",
    FactNotUsed => "this agreement does not use \"{fact}\" for classification (agreement {agreement})"
        nb "denne avtalen bruker ikke «{fact}» til kategorisering (avtale {agreement})"
        da "denne aftale bruger ikke »{fact}« til kategorisering (aftale {agreement})"
        sv "det här avtalet använder inte ”{fact}” för klassificering (avtal {agreement})",
    NoMatch => "no classification rule matches these facts"
        nb "ingen kategoriseringsregel passer med disse fakta"
        da "ingen kategoriseringsregel passer til disse fakta"
        sv "ingen klassificeringsregel matchar de här uppgifterna",
    UnknownPriorityId => "unknown priority \"{priority}\""
        nb "ukjent prioritet «{priority}»"
        da "ukendt prioritet »{priority}«"
        sv "okänd prioritet ”{priority}”",
    UnknownSchedule => "unknown schedule \"{schedule}\""
        nb "ukjent tidsplan «{schedule}»"
        da "ukendt tidsplan »{schedule}«"
        sv "okänt schema ”{schedule}”",
    OutOfRange => "outside the supported years {min}–{max}"
        nb "utenfor årene som støttes, {min}–{max}"
        da "uden for de understøttede år {min}–{max}"
        sv "utanför de år som stöds, {min}–{max}",
    NeverOpens => "the schedule does not open again before the end of {max}"
        nb "tidsplanen åpner ikke igjen før utgangen av {max}"
        da "tidsplanen åbner ikke igen før udgangen af {max}"
        sv "schemat öppnar inte igen före utgången av {max}",
    // Report periods.
    PeriodSyntax => "\"{given}\" is not a {expected}"
        nb "«{given}» er ikke {expected}"
        da "»{given}« er ikke {expected}"
        sv "”{given}” är inte {expected}",
    PeriodNoSuch => "\"{given}\" does not exist or is outside the supported years {min}–{max}"
        nb "«{given}» finnes ikke eller ligger utenfor årene som støttes, {min}–{max}"
        da "»{given}« findes ikke eller ligger uden for de understøttede år {min}–{max}"
        sv "”{given}” finns inte eller ligger utanför de år som stöds, {min}–{max}",
    }
}

crate::messages! {
    /// The words a refusal puts in its sentences: what was attempted, what was empty, what
    /// a period or an option expects.
    pub enum ErrorWord {
    // What a person may not do (service actions), as "you may not …".
    ActOpen => "open incidents"
        nb "opprette hendelser"
        da "oprette incidents"
        sv "skapa incidenter",
    ActAcknowledge => "acknowledge incidents"
        nb "kvittere for hendelser"
        da "kvittere for incidents"
        sv "kvittera incidenter",
    ActUpdate => "update incidents"
        nb "oppdatere hendelser"
        da "opdatere incidents"
        sv "uppdatera incidenter",
    ActReclassify => "reclassify incidents"
        nb "kategorisere hendelser på nytt"
        da "omkategorisere incidents"
        sv "omklassificera incidenter",
    ActOverride => "override priorities"
        nb "overstyre prioriteter"
        da "tilsidesætte prioriteter"
        sv "åsidosätta prioriteter",
    ActEscalate => "escalate incidents"
        nb "eskalere hendelser"
        da "eskalere incidents"
        sv "eskalera incidenter",
    ActLead => "take or hand over the lead of incidents"
        nb "ta eller overlate ansvaret for hendelser"
        da "overtage eller overdrage ansvaret for incidents"
        sv "ta över eller lämna över ansvaret för incidenter",
    ActEdit => "edit incidents"
        nb "redigere hendelser"
        da "redigere incidents"
        sv "redigera incidenter",
    ActSnooze => "snooze status updates"
        nb "sette statusoppdateringer på pause"
        da "sætte statusopdateringer på pause"
        sv "pausa statusuppdateringar",
    ActLink => "mark incidents as duplicates"
        nb "markere hendelser som duplikater"
        da "markere incidents som dubletter"
        sv "markera incidenter som dubbletter",
    ActResolve => "resolve incidents"
        nb "løse hendelser"
        da "løse incidents"
        sv "lösa incidenter",
    ActReopen => "reopen incidents"
        nb "gjenåpne hendelser"
        da "genåbne incidents"
        sv "återöppna incidenter",
    ActClose => "close incidents"
        nb "lukke hendelser"
        da "lukke incidents"
        sv "stänga incidenter",
    ActWaive => "waive follow-ups"
        nb "frafalle oppfølginger"
        da "frafalde opfølgninger"
        sv "stryka uppföljningar",
    ActCompleteFollowUp => "mark follow-ups done"
        nb "markere oppfølginger som utført"
        da "markere opfølgninger som udført"
        sv "markera uppföljningar som utförda",
    ActAddPoint => "add meeting follow-up points"
        nb "legge til oppfølgingspunkter for møter"
        da "tilføje opfølgningspunkter til møder"
        sv "lägga till uppföljningspunkter för möten",
    ActCompletePoint => "complete meeting follow-up points"
        nb "fullføre oppfølgingspunkter for møter"
        da "afslutte opfølgningspunkter fra møder"
        sv "slutföra uppföljningspunkter för möten",
    ActAnnounceWindow => "announce maintenance windows"
        nb "varsle vedlikeholdsvinduer"
        da "varsle servicevinduer"
        sv "avisera servicefönster",
    ActRecordBreakingWindow => "record a maintenance window that breaks the agreement's rules"
        nb "registrere et vedlikeholdsvindu som bryter avtalens regler"
        da "registrere et servicevindue, der bryder aftalens regler"
        sv "registrera ett servicefönster som bryter mot avtalets regler",
    ActCancelWindow => "cancel maintenance windows"
        nb "avlyse vedlikeholdsvinduer"
        da "aflyse servicevinduer"
        sv "ställa in servicefönster",
    ActMarkOutage => "mark incidents as outages"
        nb "markere hendelser som driftsavbrudd"
        da "markere incidents som nedbrud"
        sv "markera incidenter som avbrott",
    ActEditOutage => "set an outage's start or end"
        nb "angi start eller slutt for et driftsavbrudd"
        da "angive start eller slut for et nedbrud"
        sv "ange början eller slut för ett avbrott",
    ActPublish => "publish incidents on the status page"
        nb "publisere hendelser på statussiden"
        da "offentliggøre incidents på statussiden"
        sv "publicera incidenter på statussidan",
    // What an incident's rule refused ("cannot … an incident that is …").
    DoAcknowledge => "acknowledge"
        nb "kvittere for"
        da "kvittere for"
        sv "kvittera",
    DoChangeLead => "change the lead of"
        nb "bytte ansvarlig for"
        da "skifte ansvarlig for"
        sv "byta ansvarig för",
    DoEdit => "edit"
        nb "redigere"
        da "redigere"
        sv "redigera",
    DoSnooze => "snooze"
        nb "sette på pause"
        da "sætte på pause"
        sv "pausa",
    DoDuplicate => "mark as a duplicate"
        nb "markere som duplikat"
        da "markere som dublet"
        sv "markera som dubblett",
    DoUpdate => "update"
        nb "oppdatere"
        da "opdatere"
        sv "uppdatera",
    DoResolve => "resolve"
        nb "løse"
        da "løse"
        sv "lösa",
    DoReopen => "reopen"
        nb "gjenåpne"
        da "genåbne"
        sv "återöppna",
    DoClose => "close"
        nb "lukke"
        da "lukke"
        sv "stänga",
    DoReclassify => "reclassify"
        nb "kategorisere på nytt"
        da "omkategorisere"
        sv "omklassificera",
    DoOverride => "override"
        nb "overstyre"
        da "tilsidesætte"
        sv "åsidosätta",
    DoEscalate => "escalate"
        nb "eskalere"
        da "eskalere"
        sv "eskalera",
    DoMarkOutage => "mark as an outage"
        nb "markere som driftsavbrudd"
        da "markere som nedbrud"
        sv "markera som avbrott",
    // What was empty or unchanged.
    TheNewLead => "the new lead"
        nb "den nye ansvarlige"
        da "den nye ansvarlige"
        sv "den nya ansvariga",
    TheLead => "the lead"
        nb "den ansvarlige"
        da "den ansvarlige"
        sv "den ansvariga",
    TheTitle => "the title"
        nb "tittelen"
        da "titlen"
        sv "titeln",
    TheText => "the text"
        nb "teksten"
        da "teksten"
        sv "texten",
    TheReason => "the reason"
        nb "begrunnelsen"
        da "begrundelsen"
        sv "motiveringen",
    TheNote => "the note"
        nb "merknaden"
        da "noten"
        sv "anteckningen",
    TheWaiver => "the waiver"
        nb "frafallet"
        da "frafaldet"
        sv "strykningen",
    TheFacts => "the facts"
        nb "fakta"
        da "fakta"
        sv "uppgifterna",
    ThePriority => "the priority"
        nb "prioriteten"
        da "prioriteten"
        sv "prioriteten",
    TheOutage => "the outage"
        nb "driftsavbruddet"
        da "nedbruddet"
        sv "avbrottet",
    // What a report period should look like.
    WeekLike => "week like 2026-W47"
        nb "en uke som 2026-W47"
        da "en uge som 2026-W47"
        sv "en vecka som 2026-W47",
    MonthLike => "month like 2026-10"
        nb "en måned som 2026-10"
        da "en måned som 2026-10"
        sv "en månad som 2026-10",
    YearLike => "year like 2026"
        nb "et år som 2026"
        da "et år som 2026"
        sv "ett år som 2026",
    PeriodLike => "period like 2026-W47, 2026-10 or 2026"
        nb "en periode som 2026-W47, 2026-10 eller 2026"
        da "en periode som 2026-W47, 2026-10 eller 2026"
        sv "en period som 2026-W47, 2026-10 eller 2026",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::msg::tests::check_table;

    #[test]
    fn every_refusal_exists_in_every_language() {
        check_table(ErrorMsg::ALL, |m, l| m.translated(l));
        check_table(ErrorWord::ALL, |m, l| m.translated(l));
    }
}
