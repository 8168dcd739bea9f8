//! The words of classification reasons (`timing 1 (Normal): judged on …`, `rule 2: impact 1,
//! security incident → 1 Kritisk`, `matrix: impact 3 × timing 1 → 3 Medel`) and of a rule's
//! conditions, in every locale. [`crate::render::reason()`] fills them.

crate::messages! {
    /// A part of a classification reason, by key.
    pub enum ReasonMsg {
    Timing => "timing {class}{name}: judged on {date} at clock start {time}"
        nb "tidspunkt {class}{name}: vurdert ut fra {date}, klokken startet {time}"
        da "tidspunkt {class}{name}: vurderet ud fra {date}, uret startede {time}"
        sv "tidpunkt {class}{name}: bedömd utifrån {date}, klockan startade {time}",
    TimingName => " ({name})"
        nb " ({name})"
        da " ({name})"
        sv " ({name})",
    Rule => "rule {index}: {when} → {priority}"
        nb "regel {index}: {when} → {priority}"
        da "regel {index}: {when} → {priority}"
        sv "regel {index}: {when} → {priority}",
    Matrix => "matrix: impact {impact} × timing {timing} → {priority}"
        nb "matrise: konsekvens {impact} × tidspunkt {timing} → {priority}"
        da "matrix: konsekvens {impact} × tidspunkt {timing} → {priority}"
        sv "matris: påverkan {impact} × tidpunkt {timing} → {priority}",
    Cited => "{text} (clause {clause})"
        nb "{text} (punkt {clause})"
        da "{text} (punkt {clause})"
        sv "{text} (punkt {clause})",
    // A rule's conditions.
    Impact => "impact {values}"
        nb "konsekvens {values}"
        da "konsekvens {values}"
        sv "påverkan {values}",
    TimingIs => "timing {values}"
        nb "tidspunkt {values}"
        da "tidspunkt {values}"
        sv "tidpunkt {values}",
    Security => "security incident"
        nb "sikkerhetshendelse"
        da "sikkerhedshændelse"
        sv "säkerhetsincident",
    NotSecurity => "not a security incident"
        nb "ikke en sikkerhetshendelse"
        da "ikke en sikkerhedshændelse"
        sv "inte en säkerhetsincident",
    WorkaroundAvailable => "workaround available"
        nb "midlertidig løsning finnes"
        da "midlertidig løsning findes"
        sv "tillfällig lösning finns",
    NoWorkaround => "no workaround"
        nb "ingen midlertidig løsning"
        da "ingen midlertidig løsning"
        sv "ingen tillfällig lösning",
    UsersOver => "more than {share}% of users affected"
        nb "mer enn {share} % av brukerne berørt"
        da "mere end {share} % af brugerne berørt"
        sv "mer än {share} % av användarna berörda",
    UsersAtMost => "{share}% or fewer users affected"
        nb "{share} % eller færre av brukerne berørt"
        da "{share} % eller færre af brugerne berørt"
        sv "{share} % eller färre av användarna berörda",
    Otherwise => "otherwise"
        nb "ellers"
        da "ellers"
        sv "annars",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::msg::tests::check_table;

    #[test]
    fn every_reason_exists_in_every_language() {
        check_table(ReasonMsg::ALL, |m, l| m.translated(l));
    }
}
