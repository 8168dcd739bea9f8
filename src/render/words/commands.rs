//! The words of a command typed wrong ([`crate::commands::CommandError`]): what the parser
//! refuses, naming the option, in every locale. Command and option names and usage lines
//! stay as typed (Discord localises the names itself). [`crate::render::error`] fills them.

crate::messages! {
    /// A parse error's sentence or word, by key.
    pub enum CommandMsg {
    UnclosedQuote => "unclosed quote"
        nb "anførselstegn som ikke er lukket"
        da "anførselstegn, der ikke er lukket"
        sv "citattecken som inte avslutats",
    MissingCommand => "/{group} needs a command: {commands} — /help lists them"
        nb "/{group} trenger en kommando: {commands} — /help viser dem"
        da "/{group} kræver en kommando: {commands} — /help viser dem"
        sv "/{group} behöver ett kommando: {commands} — /help visar dem",
    UnknownCommand => "unknown command \"/{group} {name}\" — /help lists them"
        nb "ukjent kommando «/{group} {name}» — /help viser dem"
        da "ukendt kommando »/{group} {name}« — /help viser dem"
        sv "okänt kommando ”/{group} {name}” — /help visar dem",
    UnknownName => "unknown command \"{name}\" — /help lists them"
        nb "ukjent kommando «{name}» — /help viser dem"
        da "ukendt kommando »{name}« — /help viser dem"
        sv "okänt kommando ”{name}” — /help visar dem",
    UnknownOption => "unknown option {option}: for {command}"
        nb "ukjent valg {option}: for {command}"
        da "ukendt tilvalg {option}: til {command}"
        sv "okänt alternativ {option}: för {command}",
    Duplicate => "option {option}: given twice"
        nb "valget {option}: er gitt to ganger"
        da "tilvalget {option}: er angivet to gange"
        sv "alternativet {option}: har angetts två gånger",
    Missing => "missing option {option}: — usage: {usage}"
        nb "mangler valget {option}: — bruk: {usage}"
        da "mangler tilvalget {option}: — brug: {usage}"
        sv "alternativet {option}: saknas — användning: {usage}",
    NoFact => "name a fact to change (impact:, users:, security:, workaround:) or to clear (clear:) — usage: {usage}"
        nb "oppgi et faktum som skal endres (impact:, users:, security:, workaround:) eller fjernes (clear:) — bruk: {usage}"
        da "angiv et faktum, der skal ændres (impact:, users:, security:, workaround:) eller fjernes (clear:) — brug: {usage}"
        sv "ange en uppgift som ska ändras (impact:, users:, security:, workaround:) eller tas bort (clear:) — användning: {usage}",
    Empty => "{option}: must not be empty — usage: {usage}"
        nb "{option}: kan ikke være tomt — bruk: {usage}"
        da "{option}: må ikke være tomt — brug: {usage}"
        sv "{option}: får inte vara tomt — användning: {usage}",
    TooLong => "{option}: {chars} characters, at most {max}"
        nb "{option}: {chars} tegn, høyst {max}"
        da "{option}: {chars} tegn, højst {max}"
        sv "{option}: {chars} tecken, högst {max}",
    ControlCharacter => "{option}: control characters are not allowed"
        nb "{option}: kontrolltegn er ikke tillatt"
        da "{option}: kontroltegn er ikke tilladt"
        sv "{option}: styrtecken är inte tillåtna",
    InvisibleCharacter => "{option}: {code} ({kind}) is not allowed — type the text without it"
        nb "{option}: {code} ({kind}) er ikke tillatt — skriv teksten uten"
        da "{option}: {code} ({kind}) er ikke tilladt — skriv teksten uden"
        sv "{option}: {code} ({kind}) är inte tillåtet — skriv texten utan det",
    Bidi => "an invisible bidirectional control"
        nb "et usynlig tegn for skriveretning"
        da "et usynligt tegn for skriveretning"
        sv "ett osynligt tecken för skrivriktning",
    ZeroWidth => "an invisible zero-width character"
        nb "et usynlig tegn uten bredde"
        da "et usynligt tegn uden bredde"
        sv "ett osynligt tecken utan bredd",
    Control => "a control character"
        nb "et kontrolltegn"
        da "et kontroltegn"
        sv "ett styrtecken",
    WrongType => "{option}: expected {expected}, not {given}"
        nb "{option}: forventet {expected}, ikke {given}"
        da "{option}: forventede {expected}, ikke {given}"
        sv "{option}: förväntade {expected}, inte {given}",
    TrueOrFalse => "true or false"
        nb "true eller false"
        da "true eller false"
        sv "true eller false",
    NumberLike => "a number like 12"
        nb "et tall som 12"
        da "et tal som 12"
        sv "ett tal som 12",
    Percentage => "a percentage"
        nb "en prosentandel"
        da "en procentdel"
        sv "en procentsats",
    Text => "text"
        nb "tekst"
        da "tekst"
        sv "text",
    IsoWeek => "an ISO week like 2026-W47"
        nb "en ISO-uke som 2026-W47"
        da "en ISO-uge som 2026-W47"
        sv "en ISO-vecka som 2026-W47",
    DurationLike => "a duration like 2h, 90m or 4h30m"
        nb "en varighet som 2h, 90m eller 4h30m"
        da "en varighed som 2h, 90m eller 4h30m"
        sv "en varaktighet som 2h, 90m eller 4h30m",
    NotAChoice => "{option}: \"{value}\" is not one of {choices}"
        nb "{option}: «{value}» er ikke en av {choices}"
        da "{option}: »{value}« er ikke en af {choices}"
        sv "{option}: ”{value}” är inte en av {choices}",
    NotAPercent => "{option}: \"{value}\" is not a percentage from 0 to 100"
        nb "{option}: «{value}» er ikke en prosentandel fra 0 til 100"
        da "{option}: »{value}« er ikke en procentdel fra 0 til 100"
        sv "{option}: ”{value}” är inte en procentsats från 0 till 100",
    BadIncidentId => "{option}: \"{value}\" is not an incident id like SSB-2026-0001"
        nb "{option}: «{value}» er ikke en hendelses-id som SSB-2026-0001"
        da "{option}: »{value}« er ikke et incident-id som SSB-2026-0001"
        sv "{option}: ”{value}” är inte ett incident-id som SSB-2026-0001",
    BadInstant => "{option}: invalid time \"{given}\" (expected RFC 3339 like 2026-11-20T08:00:00+01:00, local 2026-11-20T08:00, or a date 2026-11-20 for local midnight)"
        nb "{option}: ugyldig tid «{given}» (forventet RFC 3339 som 2026-11-20T08:00:00+01:00, lokal tid 2026-11-20T08:00, eller en dato 2026-11-20 for midnatt lokal tid)"
        da "{option}: ugyldigt tidspunkt »{given}« (forventede RFC 3339 som 2026-11-20T08:00:00+01:00, lokal tid 2026-11-20T08:00 eller en dato 2026-11-20 for midnat lokal tid)"
        sv "{option}: ogiltig tid ”{given}” (förväntade RFC 3339 som 2026-11-20T08:00:00+01:00, lokal tid 2026-11-20T08:00 eller ett datum 2026-11-20 för midnatt lokal tid)",
    Unexpected => "unexpected \"{word}\" — usage: {usage}"
        nb "uventet «{word}» — bruk: {usage}"
        da "uventet »{word}« — brug: {usage}"
        sv "oväntat ”{word}” — användning: {usage}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::msg::tests::check_table;

    #[test]
    fn every_parse_error_exists_in_every_language() {
        check_table(CommandMsg::ALL, |m, l| m.translated(l));
    }
}
