//! The words of the monthly report's PNG chart: captions, legends, axis names, panel titles
//! and the target's marks, in every locale. [`crate::render::report::chart`] fills them.

crate::messages! {
    /// A label of the chart, by key.
    pub enum ChartMsg {
    YearToDate => "year to date"
        nb "hittil i år"
        da "år til dato"
        sv "hittills i år",
    Month => "month"
        nb "måned"
        da "måned"
        sv "månad",
    AllPriorities => "all priorities"
        nb "alle prioriteter"
        da "alle prioriteter"
        sv "alla prioriteter",
    WithinTarget => "{milestone} within target"
        nb "{milestone} innenfor mål"
        da "{milestone} inden for mål"
        sv "{milestone} inom mål",
    EachPriority => "each priority"
        nb "hver prioritet"
        da "hver prioritet"
        sv "varje prioritet",
    AllTogether => "all priorities together"
        nb "alle prioriteter samlet"
        da "alle prioriteter samlet"
        sv "alla prioriteter sammantaget",
    GoalOne => "{milestone} goal {goal} (for {over})"
        nb "mål for {milestone} {goal} (for {over})"
        da "mål for {milestone} {goal} (for {over})"
        sv "mål för {milestone} {goal} (för {over})",
    GoalLines => "{milestone} goal (for {over}; value at each line)"
        nb "mål for {milestone} (for {over}; verdien ved hver linje)"
        da "mål for {milestone} (for {over}; værdien ved hver linje)"
        sv "mål för {milestone} (för {over}; värdet vid varje linje)",
    HistogramTitle => "{priority} — {milestone} times ({count})"
        nb "{priority} — tider for {milestone} ({count})"
        da "{priority} — tider for {milestone} ({count})"
        sv "{priority} — tider för {milestone} ({count})",
    Hours => "{hours} h"
        nb "{hours} t"
        da "{hours} t"
        sv "{hours} h",
    Minutes => "{minutes} min"
        nb "{minutes} min"
        da "{minutes} min"
        sv "{minutes} min",
    HoursMinutes => "{hours} h {minutes} min"
        nb "{hours} t {minutes} min"
        da "{hours} t {minutes} min"
        sv "{hours} h {minutes} min",
    OneWorkingDay => "1 working day"
        nb "1 arbeidsdag"
        da "1 arbejdsdag"
        sv "1 arbetsdag",
    WorkingDays => "{days} working days"
        nb "{days} arbeidsdager"
        da "{days} arbejdsdage"
        sv "{days} arbetsdagar",
    Days => "{days} days"
        nb "{days} dager"
        da "{days} dage"
        sv "{days} dagar",
    AxisMinutes => "business minutes"
        nb "minutter (arbeidstid)"
        da "minutter (arbejdstid)"
        sv "minuter (arbetstid)",
    AxisHours => "business hours"
        nb "timer (arbeidstid)"
        da "timer (arbejdstid)"
        sv "timmar (arbetstid)",
    AxisWorkingDays => "working days (business time)"
        nb "arbeidsdager (arbeidstid)"
        da "arbejdsdage (arbejdstid)"
        sv "arbetsdagar (arbetstid)",
    NoTargets => "The agreement sets no response or resolution target: no compliance to chart."
        nb "Avtalen setter ingen mål for respons eller løsning: ingen måloppnåelse å vise."
        da "Aftalen fastsætter ingen mål for reaktion eller løsning: ingen målopfyldelse at vise."
        sv "Avtalet anger inga mål för svar eller lösning: ingen måluppfyllelse att visa.",
    Key => "Times taken, per priority (business time): green bars met the target, red bars missed it; the dashed line is the target."
        nb "Tid brukt, per prioritet (arbeidstid): grønne søyler nådde målet, røde bommet; den stiplede linjen er målet."
        da "Tid brugt, pr. prioritet (arbejdstid): grønne søjler nåede målet, røde missede det; den stiplede linje er målet."
        sv "Åtgången tid, per prioritet (arbetstid): gröna staplar nådde målet, röda missade det; den streckade linjen är målet.",
    ComplianceCaption => "Share met within target, per priority"
        nb "Andel innenfor mål, per prioritet"
        da "Andel inden for mål, pr. prioritet"
        sv "Andel inom mål, per prioritet",
    MetWithinTarget => "met within target"
        nb "nådd innenfor mål"
        da "nået inden for mål"
        sv "uppnått inom mål",
    NoneCounted => "none counted"
        nb "ingen talt med"
        da "ingen talt med"
        sv "inga räknade",
    ShareOf => "{percent} of {count}"
        nb "{percent} av {count}"
        da "{percent} af {count}"
        sv "{percent} av {count}",
    AvailabilityCaption => "Availability per service and schedule: uptime against the target (dashed)"
        nb "Tilgjengelighet per tjeneste og tidsplan: oppetid mot målet (stiplet)"
        da "Tilgængelighed pr. tjeneste og tidsplan: oppetid mod målet (stiplet)"
        sv "Tillgänglighet per tjänst och schema: upptid mot målet (streckat)",
    Measured => "{percent} % (target {target} %)"
        nb "{percent} % (mål {target} %)"
        da "{percent} % (mål {target} %)"
        sv "{percent} % (mål {target} %)",
    NothingMeasured => "nothing measured (target {target} %)"
        nb "ingenting målt (mål {target} %)"
        da "intet målt (mål {target} %)"
        sv "inget uppmätt (mål {target} %)",
    Incidents => "incidents"
        nb "hendelser"
        da "incidents"
        sv "incidenter",
    TargetMark => "target {target}"
        nb "mål {target}"
        da "mål {target}"
        sv "mål {target}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::msg::tests::check_table;

    #[test]
    fn every_chart_label_exists_in_every_language() {
        check_table(ChartMsg::ALL, |m, l| m.translated(l));
    }
}
