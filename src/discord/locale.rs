//! Translations of the application commands' names and descriptions for Discord's
//! `name_localizations` / `description_localizations`: Norwegian Bokmål (`no`), Danish (`da`)
//! and Swedish (`sv-SE`). Keyed by the English name or help text of
//! [`crate::commands::defs`], so a command added there without translations here is found
//! by the unit test below, which names it.
//!
//! Interactions always carry the English (default) names, so dispatching never reads this.

/// Discord's locale codes, in the order the tables below give translations.
pub const LOCALES: [&str; 3] = ["no", "da", "sv-SE"];

/// Translated command, subcommand and option names: English name → `[no, da, sv-SE]`.
/// Names follow Discord's rules (lower case letters, digits, `-`, `_`; 1–32 characters).
static NAMES: &[(&str, [&str; 3])] = &[
    ("maintenance", ["vedlikehold", "vedligehold", "underhåll"]),
    ("announce", ["varsle", "varsl", "meddela"]),
    ("cancel", ["avlys", "aflys", "ställ-in"]),
    ("start", ["start", "start", "start"]),
    ("duration", ["varighet", "varighed", "varaktighet"]),
    ("kind", ["type", "type", "typ"]),
    ("window", ["vindu", "vindue", "fönster"]),
    ("outage", ["avbrudd", "nedbrud", "avbrott"]),
    ("publish", ["publiser", "offentliggør", "publicera"]),
    ("end", ["slutt", "slut", "slut"]),
    ("answering", ["svarer", "svarer", "svarar"]),
    ("incident", ["hendelse", "hændelse", "händelse"]),
    ("sla", ["sla", "sla", "sla"]),
    ("open", ["åpne", "åbn", "öppna"]),
    ("preview", ["forhåndsvis", "forhåndsvis", "förhandsgranska"]),
    ("ack", ["kvitter", "kvitter", "kvittera"]),
    ("update", ["oppdater", "opdater", "uppdatera"]),
    ("resolve", ["løs", "løs", "lös"]),
    ("reopen", ["gjenåpne", "genåbn", "återöppna"]),
    ("close", ["lukk", "luk", "stäng"]),
    ("escalate", ["eskaler", "eskaler", "eskalera"]),
    ("lead", ["leder", "leder", "ledare"]),
    ("to", ["til", "til", "till"]),
    ("edit", ["rediger", "rediger", "redigera"]),
    ("snooze", ["utsett", "udsæt", "skjut-upp"]),
    ("until", ["til", "indtil", "till"]),
    ("area", ["område", "område", "område"]),
    ("affected", ["berørte", "berørte", "berörda"]),
    ("cause", ["årsak", "årsag", "orsak"]),
    ("eta", ["ventet-løst", "forventet-løst", "väntas-löst"]),
    ("link", ["koble", "sammenkæd", "länka"]),
    ("of", ["av", "af", "av"]),
    ("waive", ["frafall", "frafald", "avstå"]),
    ("follow_up", ["oppfølging", "opfølgning", "uppföljning"]),
    (
        "follow-up-done",
        ["oppfølging-utført", "opfølgning-udført", "uppföljning-klar"],
    ),
    ("reclassify", ["omklassifiser", "omklassificer", "omklassificera"]),
    ("override", ["overstyr", "tilsidesæt", "åsidosätt"]),
    ("show", ["vis", "vis", "visa"]),
    ("timeline", ["tidslinje", "tidslinje", "tidslinje"]),
    ("list", ["liste", "liste", "lista"]),
    ("explain", ["forklar", "forklar", "förklara"]),
    ("agreement", ["avtale", "aftale", "avtal"]),
    ("title", ["tittel", "titel", "titel"]),
    ("impact", ["påvirkning", "påvirkning", "påverkan"]),
    ("users", ["brukere", "brugere", "användare"]),
    ("security", ["sikkerhet", "sikkerhed", "säkerhet"]),
    ("workaround", ["omgåelse", "omgåelse", "kringgående"]),
    ("service", ["tjeneste", "tjeneste", "tjänst"]),
    ("type", ["sakstype", "sagstype", "ärendetyp"]),
    ("class", ["klasse", "klasse", "klass"]),
    ("description", ["beskrivelse", "beskrivelse", "beskrivning"]),
    ("id", ["id", "id", "id"]),
    ("note", ["notat", "note", "anteckning"]),
    ("reason", ["begrunnelse", "begrundelse", "motivering"]),
    ("clear", ["nullstill", "nulstil", "nollställ"]),
    ("priority", ["prioritet", "prioritet", "prioritet"]),
    ("at", ["tidspunkt", "tidspunkt", "tidpunkt"]),
    ("scope", ["utvalg", "udvalg", "urval"]),
    ("page", ["side", "side", "sida"]),
    ("meeting", ["møte", "møde", "möte"]),
    ("report", ["rapport", "rapport", "rapport"]),
    ("point-add", ["punkt-legg-til", "punkt-tilføj", "punkt-lägg-till"]),
    ("point-done", ["punkt-ferdig", "punkt-færdig", "punkt-klar"]),
    ("points", ["punkter", "punkter", "punkter"]),
    ("text", ["tekst", "tekst", "text"]),
    ("owner", ["eier", "ejer", "ägare"]),
    ("due", ["frist", "frist", "förfaller"]),
    ("point", ["punkt", "punkt", "punkt"]),
    ("weekly", ["ukentlig", "ugentlig", "veckovis"]),
    ("week", ["uke", "uge", "vecka"]),
];

/// Translated descriptions: English help text → `[no, da, sv-SE]`, each at most 100
/// characters.
static DESCRIPTIONS: &[(&str, [&str; 3])] = &[
    (
        "Maintenance windows, checked against the agreement's notice, hours and yearly limits",
        [
            "Vedlikeholdsvinduer, kontrollert mot avtalens varsel, tider og årlige grenser",
            "Servicevinduer, kontrolleret mod aftalens varsel, tider og årlige grænser",
            "Servicefönster, kontrollerade mot avtalets varsel, tider och årliga gränser",
        ],
    ),
    (
        "Announce a maintenance window; a late or oversized one is refused, naming the rule",
        [
            "Varsle et vedlikeholdsvindu; et for sent eller for stort avvises med regelen",
            "Varsl et servicevindue; et for sent eller for stort afvises med reglen",
            "Meddela ett servicefönster; ett för sent eller för stort avvisas med regeln",
        ],
    ),
    (
        "When it starts, e.g. 2026-12-15T00:30 in the agreement's time zone",
        [
            "Når det starter, f.eks. 2026-12-15T00:30 i avtalens tidssone",
            "Hvornår det starter, f.eks. 2026-12-15T00:30 i aftalens tidszone",
            "När det börjar, t.ex. 2026-12-15T00:30 i avtalets tidszon",
        ],
    ),
    (
        "How long it lasts, e.g. 2h or 4h30m",
        [
            "Hvor lenge det varer, f.eks. 2h eller 4h30m",
            "Hvor længe det varer, f.eks. 2h eller 4h30m",
            "Hur länge det varar, t.ex. 2h eller 4h30m",
        ],
    ),
    (
        "What is done in the window",
        [
            "Hva som gjøres i vinduet",
            "Hvad der gøres i vinduet",
            "Vad som görs i fönstret",
        ],
    ),
    (
        "The kind of window (default: the first whose hours and length fit)",
        [
            "Vindustype (standard: den første der tider og lengde passer)",
            "Vinduestype (standard: den første hvor tider og længde passer)",
            "Fönstertyp (standard: den första där tider och längd passar)",
        ],
    ),
    (
        "Managers: why a window that breaks the rules is recorded anyway",
        [
            "Ledere: hvorfor et vindu som bryter reglene registreres likevel",
            "Ledere: hvorfor et vindue, der bryder reglerne, registreres alligevel",
            "Chefer: varför ett fönster som bryter mot reglerna registreras ändå",
        ],
    ),
    (
        "List the maintenance windows to come",
        [
            "Vis kommende vedlikeholdsvinduer",
            "Vis kommende servicevinduer",
            "Visa kommande servicefönster",
        ],
    ),
    (
        "Cancel a maintenance window; its reminders are dropped",
        [
            "Avlys et vedlikeholdsvindu; påminnelsene droppes",
            "Aflys et servicevindue; påmindelserne droppes",
            "Ställ in ett servicefönster; påminnelserna stryks",
        ],
    ),
    (
        "Mark an incident as an outage of its service; managers may set its start and end",
        [
            "Marker en hendelse som avbrudd i tjenesten; ledere kan sette start og slutt",
            "Markér en hændelse som nedbrud af tjenesten; ledere kan sætte start og slut",
            "Markera en händelse som avbrott i tjänsten; chefer kan ange start och slut",
        ],
    ),
    (
        "Publish an incident on the status page, or add a public update (never the internal text)",
        [
            "Publiser en hendelse på statussiden, eller legg til en offentlig oppdatering (aldri intern tekst)",
            "Offentliggør en hændelse på statussiden, eller tilføj en offentlig opdatering (aldrig intern tekst)",
            "Publicera en händelse på statussidan, eller lägg till en offentlig uppdatering (aldrig intern text)",
        ],
    ),
    (
        "What the public may read: the area hit, who is affected, the time horizon",
        [
            "Det offentligheten får lese: området som er rammet, hvem som er berørt, tidshorisonten",
            "Det offentligheden må læse: det ramte område, hvem der er berørt, tidshorisonten",
            "Det allmänheten får läsa: det drabbade området, vilka som berörs, tidshorisonten",
        ],
    ),
    (
        "full (unavailable) or degraded (available with disturbance)",
        [
            "full (utilgjengelig) eller degraded (tilgjengelig med forstyrrelse)",
            "full (utilgængelig) eller degraded (tilgængelig med forstyrrelse)",
            "full (otillgänglig) eller degraded (tillgänglig med störning)",
        ],
    ),
    (
        "Managers: when the outage began (default: when the incident was reported)",
        [
            "Ledere: når avbruddet begynte (standard: når hendelsen ble meldt)",
            "Ledere: hvornår nedbruddet begyndte (standard: hvornår hændelsen blev meldt)",
            "Chefer: när avbrottet började (standard: när händelsen anmäldes)",
        ],
    ),
    (
        "Sources answering, where degraded is defined by them (SSBTEK 4.9: 3 or more; fewer = full)",
        [
            "Kilder som svarer, der delvis utfall defineres av dem (SSBTEK 4.9: 3 eller flere; færre = fullt)",
            "Kilder der svarer, hvor delvist nedbrud defineres af dem (SSBTEK 4.9: 3 eller flere; færre = fuldt)",
            "Svarande myndigheter, där störning definieras av dem (SSBTEK 4.9: 3 eller fler; färre = avbrott)",
        ],
    ),
    (
        "Managers: when the outage ended (default: when the incident was resolved)",
        [
            "Ledere: når avbruddet sluttet (standard: når hendelsen ble løst)",
            "Ledere: hvornår nedbruddet sluttede (standard: hvornår hændelsen blev løst)",
            "Chefer: när avbrottet slutade (standard: när händelsen löstes)",
        ],
    ),
    (
        "The window's number, like 3",
        [
            "Vinduets nummer, f.eks. 3",
            "Vinduets nummer, f.eks. 3",
            "Fönstrets nummer, t.ex. 3",
        ],
    ),
    (
        "Open, follow and close incidents under a service agreement",
        [
            "Åpne, følg opp og lukk hendelser under en tjenesteavtale",
            "Åbn, følg og luk hændelser under en serviceaftale",
            "Öppna, följ och stäng incidenter under ett tjänsteavtal",
        ],
    ),
    (
        "What a service agreement promises: priorities, targets and service hours",
        [
            "Hva en tjenesteavtale lover: prioriteter, mål og tjenestetid",
            "Hvad en serviceaftale lover: prioriteter, mål og servicetid",
            "Vad ett tjänsteavtal lovar: prioriteter, mål och servicetider",
        ],
    ),
    (
        "Open an incident; the agreement's rules set its priority and deadlines",
        [
            "Åpne en hendelse; avtalens regler gir prioritet og frister",
            "Åbn en hændelse; aftalens regler giver prioritet og frister",
            "Öppna en incident; avtalets regler ger prioritet och tidsgränser",
        ],
    ),
    (
        "Show the priority and deadlines an incident would get, without opening it",
        [
            "Vis prioriteten og fristene en hendelse ville fått, uten å åpne den",
            "Vis prioriteten og fristerne en hændelse ville få, uden at åbne den",
            "Visa prioriteten och tidsgränserna en incident skulle få, utan att öppna den",
        ],
    ),
    (
        "Acknowledge an incident (meets the response target); you become lead if it has none",
        [
            "Kvitter for en hendelse (møter responsmålet); du blir ansvarlig om ingen er det",
            "Kvittér for en hændelse (opfylder responsmålet); du bliver ansvarlig, hvis ingen er",
            "Kvittera en incident (uppfyller svarsmålet); du blir ansvarig om ingen är det",
        ],
    ),
    (
        "Post a status update: a note, the area hit, who is affected, the cause, the ETA",
        [
            "Statusoppdatering: notat, berørt område, hvem som rammes, årsak, ventet løsning",
            "Statusopdatering: note, ramt område, hvem der rammes, årsag, forventet løsning",
            "Statusuppdatering: anteckning, drabbat område, vilka som berörs, orsak, väntad lösning",
        ],
    ),
    (
        "Which area or function is hit",
        [
            "Hvilket område eller hvilken funksjon som er rammet",
            "Hvilket område eller hvilken funktion der er ramt",
            "Vilket område eller vilken funktion som är drabbad",
        ],
    ),
    (
        "Who and how many are affected",
        [
            "Hvem og hvor mange som er berørt",
            "Hvem og hvor mange der er berørt",
            "Vilka och hur många som berörs",
        ],
    ),
    (
        "The cause, as far as it is known",
        [
            "Årsaken, så langt den er kjent",
            "Årsagen, så vidt den kendes",
            "Orsaken, så långt den är känd",
        ],
    ),
    (
        "When it is expected to be resolved, e.g. 2026-11-20T16:00",
        [
            "Når den ventes løst, f.eks. 2026-11-20T16:00",
            "Hvornår den forventes løst, f.eks. 2026-11-20T16:00",
            "När den väntas vara löst, t.ex. 2026-11-20T16:00",
        ],
    ),
    (
        "Resolve an incident, by a fix or by a workaround",
        [
            "Løs en hendelse, med en retting eller en midlertidig løsning",
            "Løs en hændelse, med en rettelse eller en midlertidig løsning",
            "Lös en incident, med en rättning eller en tillfällig lösning",
        ],
    ),
    (
        "Reopen a resolved incident; its clocks keep their original start",
        [
            "Gjenåpne en løst hendelse; klokkene beholder sin opprinnelige start",
            "Genåbn en løst hændelse; urene beholder deres oprindelige start",
            "Återöppna en löst incident; klockorna behåller sin ursprungliga start",
        ],
    ),
    (
        "Close a resolved incident; follow-ups owed to reporters still post (managers)",
        [
            "Lukk en løst hendelse; oppfølging som skyldes melderen, sendes likevel (ledere)",
            "Luk en løst hændelse; opfølgning, der skyldes anmelderen, sendes stadig (ledere)",
            "Stäng en löst incident; uppföljning som anmälaren har rätt till skickas ändå (chefer)",
        ],
    ),
    (
        "Mark a follow-up the agreement requires of an incident done; it is not announced again",
        [
            "Marker en oppfølging avtalen krever for en hendelse som utført; den varsles ikke igjen",
            "Markér en opfølgning, aftalen kræver for en hændelse, som udført; den varsles ikke igen",
            "Markera en uppföljning som avtalet kräver för en incident som klar; den aviseras inte igen",
        ],
    ),
    (
        "Waive a follow-up the agreement requires of an incident, with a reason (managers)",
        [
            "Frafall en oppfølging avtalen krever for en hendelse, med begrunnelse (ledere)",
            "Frafald en opfølgning, aftalen kræver for en hændelse, med begrundelse (ledere)",
            "Avstå från en uppföljning som avtalet kräver för en incident, med motivering (chefer)",
        ],
    ),
    (
        "The follow-up's id in the agreement, like feedback",
        [
            "Oppfølgingens id i avtalen, som feedback",
            "Opfølgningens id i aftalen, som feedback",
            "Uppföljningens id i avtalet, som feedback",
        ],
    ),
    (
        "Why the follow-up is not owed",
        [
            "Hvorfor oppfølgingen ikke skyldes",
            "Hvorfor opfølgningen ikke skyldes",
            "Varför uppföljningen inte behövs",
        ],
    ),
    (
        "Escalate an incident by hand to the next level of its escalation ladder",
        [
            "Eskaler en hendelse manuelt til neste nivå i eskaleringsstigen",
            "Eskalér en hændelse manuelt til næste niveau i eskaleringsstigen",
            "Eskalera en incident manuellt till nästa nivå i eskaleringstrappan",
        ],
    ),
    (
        "Take the lead of an incident, or hand it to another member; warnings follow the lead",
        [
            "Ta ledelsen av en hendelse, eller gi den til en annen; varsler følger lederen",
            "Tag ledelsen af en hændelse, eller giv den til en anden; varsler følger lederen",
            "Ta ledningen av en incident, eller lämna den till någon annan; varningar följer ledaren",
        ],
    ),
    (
        "The member to hand the lead to (default: you take it)",
        [
            "Den som skal overta ledelsen (standard: du tar den selv)",
            "Den der skal overtage ledelsen (standard: du tager den selv)",
            "Den som ska ta över ledningen (standard: du tar den själv)",
        ],
    ),
    (
        "Edit an incident's title or description; the old text stays in the timeline",
        [
            "Rediger tittel eller beskrivelse; den gamle teksten blir stående i tidslinjen",
            "Redigér titel eller beskrivelse; den gamle tekst bliver stående i tidslinjen",
            "Redigera titel eller beskrivning; den gamla texten står kvar i tidslinjen",
        ],
    ),
    (
        "Pause an incident's status updates until a time (over a day: managers); deadlines go on",
        [
            "Sett statusoppdateringer på pause til et tidspunkt (over et døgn: ledere); frister løper",
            "Sæt statusopdateringer på pause til et tidspunkt (over et døgn: ledere); frister løber",
            "Pausa statusuppdateringar till en tidpunkt (över ett dygn: chefer); tidsgränser löper",
        ],
    ),
    (
        "When status updates resume, e.g. 2026-11-24T08:00",
        [
            "Når statusoppdateringene fortsetter, f.eks. 2026-11-24T08:00",
            "Hvornår statusopdateringerne fortsætter, f.eks. 2026-11-24T08:00",
            "När statusuppdateringarna fortsätter, t.ex. 2026-11-24T08:00",
        ],
    ),
    (
        "Why no status updates are needed until then",
        [
            "Hvorfor det ikke trengs statusoppdateringer før da",
            "Hvorfor der ikke er brug for statusopdateringer før da",
            "Varför inga statusuppdateringar behövs före dess",
        ],
    ),
    (
        "The new headline",
        ["Den nye tittelen", "Den nye titel", "Den nya rubriken"],
    ),
    (
        "The new description",
        ["Den nye beskrivelsen", "Den nye beskrivelse", "Den nya beskrivningen"],
    ),
    (
        "Mark an incident a duplicate of another: it is resolved, pointing to the other",
        [
            "Merk en hendelse som duplikat av en annen: den løses og peker til den andre",
            "Markér en hændelse som dublet af en anden: den løses og peger på den anden",
            "Markera en incident som dubblett av en annan: den löses och pekar på den andra",
        ],
    ),
    (
        "The incident it duplicates, like SSB-2026-0001",
        [
            "Hendelsen den er duplikat av, som SSB-2026-0001",
            "Hændelsen den er dublet af, som SSB-2026-0001",
            "Incidenten den är dubblett av, som SSB-2026-0001",
        ],
    ),
    (
        "Change the facts of an incident (those left out stay); its priority and deadlines follow",
        [
            "Endre fakta om en hendelse (de utelatte står); prioritet og frister følger med",
            "Ændr fakta om en hændelse (de udeladte består); prioritet og frister følger med",
            "Ändra fakta om en incident (utelämnade står kvar); prioritet och tidsgränser följer med",
        ],
    ),
    (
        "A fact to clear back to its default (the others named or kept)",
        [
            "Et faktum som nullstilles (de andre angis eller beholdes)",
            "Et faktum der nulstilles (de andre angives eller bevares)",
            "Ett faktum som nollställs (de andra anges eller behålls)",
        ],
    ),
    (
        "Why, when lowering a security incident or after a missed target",
        [
            "Hvorfor, når en sikkerhetshendelse eller et brutt mål senkes",
            "Hvorfor, når en sikkerhedshændelse eller et brudt mål sænkes",
            "Varför, när en säkerhetsincident eller ett missat mål sänks",
        ],
    ),
    (
        "Set an incident's priority by hand, overriding the agreement's rules (managers)",
        [
            "Sett prioriteten manuelt og overstyr avtalens regler (ledere)",
            "Sæt prioriteten manuelt og tilsidesæt aftalens regler (ledere)",
            "Sätt prioriteten manuellt och åsidosätt avtalets regler (chefer)",
        ],
    ),
    (
        "Show an incident with its priority, state and time left to its deadlines",
        [
            "Vis en hendelse med prioritet, tilstand og tid igjen til fristene",
            "Vis en hændelse med prioritet, tilstand og tid tilbage til fristerne",
            "Visa en incident med prioritet, status och tid kvar till tidsgränserna",
        ],
    ),
    (
        "Show everything that happened to an incident, in order",
        [
            "Vis alt som har skjedd med en hendelse, i rekkefølge",
            "Vis alt, der er sket med en hændelse, i rækkefølge",
            "Visa allt som hänt en incident, i ordning",
        ],
    ),
    (
        "List incidents, of one agreement or all",
        [
            "List hendelser, for én avtale eller alle",
            "Vis hændelser, for én aftale eller alle",
            "Lista incidenter, för ett avtal eller alla",
        ],
    ),
    (
        "Explain an agreement's priorities, targets and service hours",
        [
            "Forklar en avtales prioriteter, mål og tjenestetid",
            "Forklar en aftales prioriteter, mål og servicetid",
            "Förklara ett avtals prioriteter, mål och servicetider",
        ],
    ),
    (
        "The incident's id, like SSB-2026-0001",
        [
            "Hendelsens id, som SSB-2026-0001",
            "Hændelsens id, som SSB-2026-0001",
            "Incidentens id, som SSB-2026-0001",
        ],
    ),
    (
        "The service agreement the incident falls under",
        [
            "Tjenesteavtalen hendelsen hører under",
            "Serviceaftalen, hændelsen hører under",
            "Tjänsteavtalet som incidenten hör till",
        ],
    ),
    (
        "How bad it is, on the agreement's impact scale",
        [
            "Hvor alvorlig det er, på avtalens påvirkningsskala",
            "Hvor alvorligt det er, på aftalens påvirkningsskala",
            "Hur allvarligt det är, på avtalets påverkansskala",
        ],
    ),
    (
        "Share of the usual users affected, in percent (0-100)",
        [
            "Andel av de vanlige brukerne som er berørt, i prosent (0-100)",
            "Andel af de sædvanlige brugere, der er berørt, i procent (0-100)",
            "Andel av de vanliga användarna som påverkas, i procent (0-100)",
        ],
    ),
    (
        "It is a security incident",
        [
            "Det er en sikkerhetshendelse",
            "Det er en sikkerhedshændelse",
            "Det är en säkerhetsincident",
        ],
    ),
    (
        "A workaround is available to users",
        [
            "Brukerne har en midlertidig løsning",
            "Brugerne har en midlertidig løsning",
            "Användarna har en tillfällig lösning",
        ],
    ),
    (
        "When it would be reported (default now), e.g. 2026-11-20T08:00+01:00",
        [
            "Når den ville blitt meldt (standard nå), f.eks. 2026-11-20T08:00+01:00",
            "Hvornår den ville blive meldt (standard nu), f.eks. 2026-11-20T08:00+01:00",
            "När den skulle rapporteras (standard nu), t.ex. 2026-11-20T08:00+01:00",
        ],
    ),
    (
        "A short headline of what is wrong",
        [
            "En kort overskrift om hva som er galt",
            "En kort overskrift om, hvad der er galt",
            "En kort rubrik om vad som är fel",
        ],
    ),
    (
        "The case type (default: incident), from the agreement's case types",
        [
            "Sakstypen (standard: hendelse), blant avtalens sakstyper",
            "Sagstypen (standard: hændelse), blandt aftalens sagstyper",
            "Ärendetypen (standard: incident), bland avtalets ärendetyper",
        ],
    ),
    (
        "The class of a case that is not an incident (a problem's priority, an order's kind)",
        [
            "Klassen til en sak som ikke er en hendelse (et problems prioritet, en bestillings art)",
            "Klassen for en sag, der ikke er en hændelse (et problems prioritet, en bestillings art)",
            "Klassen för ett ärende som inte är en incident (ett problems prioritet, en beställnings art)",
        ],
    ),
    (
        "Only cases of this type (incident, problem, order, …; default: every type)",
        [
            "Bare saker av denne typen (hendelse, problem, bestilling …; standard: alle)",
            "Kun sager af denne type (hændelse, problem, bestilling …; standard: alle)",
            "Bara ärenden av denna typ (incident, problem, beställning …; standard: alla)",
        ],
    ),
    (
        "The affected service (default: the agreement's main service)",
        [
            "Berørt tjeneste (standard: avtalens hovedtjeneste)",
            "Berørt tjeneste (standard: aftalens hovedtjeneste)",
            "Påverkad tjänst (standard: avtalets huvudtjänst)",
        ],
    ),
    (
        "What users see, since when, and what is known so far",
        [
            "Hva brukerne ser, siden når, og hva som er kjent så langt",
            "Hvad brugerne ser, siden hvornår, og hvad der vides indtil nu",
            "Vad användarna ser, sedan när, och vad som är känt hittills",
        ],
    ),
    (
        "What changed or what is known now",
        [
            "Hva som er endret eller kjent nå",
            "Hvad der er ændret eller vides nu",
            "Vad som har ändrats eller är känt nu",
        ],
    ),
    (
        "Resolved by a workaround, not a fix",
        [
            "Løst med en midlertidig løsning, ikke en retting",
            "Løst med en midlertidig løsning, ikke en rettelse",
            "Löst med en tillfällig lösning, inte en rättning",
        ],
    ),
    (
        "What was done",
        ["Hva som ble gjort", "Hvad der blev gjort", "Vad som gjordes"],
    ),
    (
        "Why it is not resolved after all",
        [
            "Hvorfor den likevel ikke er løst",
            "Hvorfor den alligevel ikke er løst",
            "Varför den ändå inte är löst",
        ],
    ),
    (
        "Why it needs the next level",
        [
            "Hvorfor den trenger neste nivå",
            "Hvorfor den har brug for næste niveau",
            "Varför den behöver nästa nivå",
        ],
    ),
    (
        "The priority to set, from the incident's agreement",
        [
            "Prioriteten som skal settes, fra hendelsens avtale",
            "Prioriteten, der skal sættes, fra hændelsens aftale",
            "Prioriteten som ska sättas, från incidentens avtal",
        ],
    ),
    (
        "Why the agreement's rules give the wrong priority",
        [
            "Hvorfor avtalens regler gir feil prioritet",
            "Hvorfor aftalens regler giver forkert prioritet",
            "Varför avtalets regler ger fel prioritet",
        ],
    ),
    (
        "Only incidents under this agreement",
        [
            "Bare hendelser under denne avtalen",
            "Kun hændelser under denne aftale",
            "Bara incidenter under detta avtal",
        ],
    ),
    (
        "Which page of 25 (default the first)",
        [
            "Hvilken side med 25 (standard den første)",
            "Hvilken side med 25 (standard den første)",
            "Vilken sida med 25 (standard den första)",
        ],
    ),
    (
        "Which incidents (default active: open or acknowledged)",
        [
            "Hvilke hendelser (standard aktive: åpne eller kvitterte)",
            "Hvilke hændelser (standard aktive: åbne eller kvitterede)",
            "Vilka incidenter (standard aktiva: öppna eller kvitterade)",
        ],
    ),
    (
        "Only this priority's targets",
        [
            "Bare målene for denne prioriteten",
            "Kun målene for denne prioritet",
            "Bara målen för denna prioritet",
        ],
    ),
    (
        "Follow-up points from the agreement's meetings, answered before the next one",
        [
            "Oppfølgingspunkter fra avtalens møter, besvares før neste møte",
            "Opfølgningspunkter fra aftalens møder, besvares før næste møde",
            "Uppföljningspunkter från avtalets möten, besvaras före nästa möte",
        ],
    ),
    (
        "The reports vakt prepares from what it recorded",
        [
            "Rapportene vakt lager fra det den har registrert",
            "Rapporterne vakt laver ud fra det, den har registreret",
            "Rapporterna vakt tar fram ur det den har registrerat",
        ],
    ),
    (
        "Raise a follow-up point, due (by default) at the next meeting",
        [
            "Meld et oppfølgingspunkt, med frist (som standard) neste møte",
            "Rejs et opfølgningspunkt, med frist (som standard) næste møde",
            "Lägg till en uppföljningspunkt, med frist (som standard) nästa möte",
        ],
    ),
    (
        "The point, to be answered before the next meeting",
        [
            "Punktet, som skal besvares før neste møte",
            "Punktet, som skal besvares før næste møde",
            "Punkten, som ska besvaras före nästa möte",
        ],
    ),
    (
        "The service agreement (default: the only one configured)",
        [
            "Tjenesteavtalen (standard: den eneste som er satt opp)",
            "Serviceaftalen (standard: den eneste, der er sat op)",
            "Tjänsteavtalet (standard: det enda som är konfigurerat)",
        ],
    ),
    (
        "Who owns the point (a user id)",
        [
            "Hvem som eier punktet (en bruker-id)",
            "Hvem der ejer punktet (et bruger-id)",
            "Vem som äger punkten (ett användar-id)",
        ],
    ),
    (
        "When it is due (default: the next meeting), e.g. 2026-11-24T10:00",
        [
            "Frist (standard: neste møte), f.eks. 2026-11-24T10:00",
            "Frist (standard: næste møde), f.eks. 2026-11-24T10:00",
            "Frist (standard: nästa möte), t.ex. 2026-11-24T10:00",
        ],
    ),
    (
        "Mark a follow-up point done",
        [
            "Merk et oppfølgingspunkt som ferdig",
            "Markér et opfølgningspunkt som færdigt",
            "Markera en uppföljningspunkt som klar",
        ],
    ),
    (
        "The point's number, like 12",
        [
            "Punktets nummer, f.eks. 12",
            "Punktets nummer, f.eks. 12",
            "Punktens nummer, t.ex. 12",
        ],
    ),
    (
        "List the open follow-up points",
        [
            "Vis de åpne oppfølgingspunktene",
            "Vis de åbne opfølgningspunkter",
            "Visa de öppna uppföljningspunkterna",
        ],
    ),
    (
        "Show the weekly status-meeting summary of a week (default: last week)",
        [
            "Vis ukesammendraget til statusmøtet for en uke (standard: forrige uke)",
            "Vis ugens opsummering til statusmødet (standard: sidste uge)",
            "Visa veckosammanfattningen till statusmötet för en vecka (standard: förra veckan)",
        ],
    ),
    (
        "The ISO week, like 2026-W47",
        [
            "ISO-uken, f.eks. 2026-W47",
            "ISO-ugen, f.eks. 2026-W47",
            "ISO-veckan, t.ex. 2026-W47",
        ],
    ),
];

/// The translations of a command or option name, as (locale, name); `None` when the table
/// has none (a test makes that fail loudly).
pub fn name(english: &str) -> Option<[(&'static str, &'static str); 3]> {
    lookup(NAMES, english)
}

/// The translations of a description (the English help text), as (locale, text).
pub fn description(english: &str) -> Option<[(&'static str, &'static str); 3]> {
    lookup(DESCRIPTIONS, english)
}

fn lookup(
    table: &'static [(&'static str, [&'static str; 3])],
    english: &str,
) -> Option<[(&'static str, &'static str); 3]> {
    table
        .iter()
        .find(|(e, _)| *e == english)
        .map(|(_, t)| [(LOCALES[0], t[0]), (LOCALES[1], t[1]), (LOCALES[2], t[2])])
}

/// Whether `s` is a valid Discord command or option name: `^[-_\p{L}\p{N}]{1,32}$` and lower
/// case (no character that has a lower-case form differing from itself).
pub fn valid_name(s: &str) -> bool {
    let n = s.chars().count();
    (1..=32).contains(&n)
        && s.chars()
            .all(|c| c == '-' || c == '_' || c.is_alphabetic() || c.is_numeric())
        && s.chars().all(|c| c.to_lowercase().eq(std::iter::once(c)))
}

/// Whether `s` is a valid Discord description: 1–100 characters.
pub fn valid_description(s: &str) -> bool {
    (1..=100).contains(&s.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::defs;

    /// Texts with where they are used.
    type Used = Vec<(String, &'static str)>;

    /// Every name and description the command layer registers, with where it is used.
    fn registered() -> (Used, Used) {
        let mut names = Vec::new();
        let mut descs = Vec::new();
        for g in defs::groups() {
            names.push((format!("/{}", g.name), g.name));
            descs.push((format!("/{}", g.name), g.help));
        }
        for c in defs::all() {
            names.push((c.path(), c.name));
            descs.push((c.path(), c.help));
            for o in c.options {
                names.push((format!("{} {}:", c.path(), o.name), o.name));
                descs.push((format!("{} {}:", c.path(), o.name), o.help));
            }
        }
        (names, descs)
    }

    #[test]
    fn every_command_and_option_has_all_three_translations() {
        let (names, descs) = registered();
        let mut missing = Vec::new();
        for (at, n) in &names {
            if name(n).is_none() {
                missing.push(format!("{at}: name \"{n}\""));
            }
        }
        for (at, d) in &descs {
            if description(d).is_none() {
                missing.push(format!("{at}: description \"{d}\""));
            }
        }
        assert!(
            missing.is_empty(),
            "add translations (no, da, sv-SE) to src/discord/locale.rs for:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn every_translation_obeys_discords_rules() {
        let mut bad = Vec::new();
        for (e, t) in NAMES {
            for (l, n) in LOCALES.iter().zip(t) {
                if !valid_name(n) {
                    bad.push(format!("name {e} [{l}]: \"{n}\""));
                }
            }
            if !valid_name(e) {
                bad.push(format!("name {e}"));
            }
        }
        for (e, t) in DESCRIPTIONS {
            for (l, d) in LOCALES.iter().zip(t) {
                if !valid_description(d) {
                    bad.push(format!("description \"{e}\" [{l}]: {} characters", d.chars().count()));
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn localised_names_are_unique_among_siblings() {
        // Discord refuses two options (or subcommands) of one command with the same name in
        // a locale.
        let check = |what: String, english: Vec<&str>| {
            for (i, l) in LOCALES.iter().enumerate() {
                let mut seen: Vec<&str> = english.iter().filter_map(|e| name(e).map(|t| t[i].1)).collect();
                let n = seen.len();
                seen.sort();
                seen.dedup();
                assert_eq!(seen.len(), n, "{what} [{l}]: two siblings share a name");
            }
        };
        for g in defs::groups() {
            check(
                format!("/{}", g.name),
                defs::all()
                    .iter()
                    .filter(|c| c.group == g.name)
                    .map(|c| c.name)
                    .collect(),
            );
        }
        for c in defs::all() {
            check(c.path(), c.options.iter().map(|o| o.name).collect());
        }
    }

    #[test]
    fn the_rules_refuse_what_discord_refuses() {
        assert!(valid_name("åpne") && valid_name("sla") && valid_name("a-b_c1"));
        assert!(!valid_name("Open") && !valid_name("") && !valid_name("two words"));
        assert!(!valid_name(&"a".repeat(33)));
        assert!(valid_description("x") && !valid_description("") && !valid_description(&"x".repeat(101)));
    }
}
