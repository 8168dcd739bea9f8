//! The words of case types besides incidents (orders, problems, change requests): their
//! lines in `/sla explain` and `vakt agreements show` (classes, targets, goal, warnings,
//! whether they escalate, each with its clause) and their table in the weekly, monthly and
//! annual reports (count, within and outside target, against the goal). Its own message
//! table, [`CaseMsg`], in all four languages.

use super::msg::{Locale, fill};
use super::style::Style;
use crate::domain::agreement::{Agreement, Compliance, Target};
use crate::domain::case_type::CaseType;
use crate::domain::report::{CaseTypeFigures, ComplianceFigure};
use std::fmt::{Display, Write};

crate::messages! {
    /// A message of the case-type lines and tables, by key. Lines carry no layout: the
    /// caller places them (`/sla explain` indents them under the agreement, `vakt agreements
    /// show` lists them).
    pub enum CaseMsg {
    ExplainHead => "other case types (open with type:, list with type:):"
        nb "andre sakstyper (åpne med type:, list med type:):"
        da "andre sagstyper (åbn med type:, vis med type:):"
        sv "andra ärendetyper (öppna med type:, lista med type:):",
    ExplainType => "{id} — {name}: ids {prefix}-YYYY-NNNN (clause {clause}); {ladder}"
        nb "{id} — {name}: id-er {prefix}-ÅÅÅÅ-NNNN (punkt {clause}); {ladder}"
        da "{id} — {name}: id'er {prefix}-ÅÅÅÅ-NNNN (punkt {clause}); {ladder}"
        sv "{id} — {name}: id {prefix}-ÅÅÅÅ-NNNN (punkt {clause}); {ladder}",
    Escalates => "breaches climb the escalation ladder"
        nb "brudd eskaleres oppover eskaleringsstigen"
        da "brud eskaleres op ad eskaleringsstigen"
        sv "brott eskaleras uppför eskaleringskedjan",
    NoEscalation => "breaches are reported, not escalated"
        nb "brudd rapporteres, men eskaleres ikke"
        da "brud rapporteres, men eskaleres ikke"
        sv "brott rapporteras men eskaleras inte",
    ExplainClass => "{id} {name}: response {response}; resolution {resolution}"
        nb "{id} {name}: respons {response}; løsning {resolution}"
        da "{id} {name}: respons {response}; løsning {resolution}"
        sv "{id} {name}: svar {response}; lösning {resolution}",
    ExplainGoal => "goal: response {response}, resolution {resolution} within target (clause {clause})"
        nb "mål: respons {response}, løsning {resolution} innenfor fristen (punkt {clause})"
        da "mål: respons {response}, løsning {resolution} inden for fristen (punkt {clause})"
        sv "mål: svar {response}, lösning {resolution} inom tiden (punkt {clause})",
    ExplainWarnings => "warnings at {percents} % of each target's time"
        nb "varsler ved {percents} % av hver frists tid"
        da "varsler ved {percents} % af hver frists tid"
        sv "varningar vid {percents} % av varje måltids tid",
    Reading => "reading: {reading}"
        nb "tolkning: {reading}"
        da "fortolkning: {reading}"
        sv "tolkning: {reading}",
    Percent => "{percent} %"
        nb "{percent} %"
        da "{percent} %"
        sv "{percent} %",
    NoGoal => "—"
        nb "—"
        da "—"
        sv "—",
    ReportHead => "\n## Other case types\n\n"
        nb "\n## Andre sakstyper\n\n"
        da "\n## Andre sagstyper\n\n"
        sv "\n## Andra ärendetyper\n\n",
    ReportColumns => "| Case type | Opened | Resolved | Response within / outside | Response | Goal | Resolution within / outside | Resolution | Goal | Clause |\n"
        nb "| Sakstype | Åpnet | Løst | Respons innenfor / utenfor | Respons | Mål | Løsning innenfor / utenfor | Løsning | Mål | Punkt |\n"
        da "| Sagstype | Åbnet | Løst | Respons inden for / uden for | Respons | Mål | Løsning inden for / uden for | Løsning | Mål | Punkt |\n"
        sv "| Ärendetyp | Öppnade | Lösta | Svar inom / utanför | Svar | Mål | Lösning inom / utanför | Lösning | Mål | Punkt |\n",
    GoalMet => "{goal} % (met)"
        nb "{goal} % (nådd)"
        da "{goal} % (nået)"
        sv "{goal} % (uppnått)",
    GoalNotMet => "{goal} % (NOT met)"
        nb "{goal} % (IKKE nådd)"
        da "{goal} % (IKKE nået)"
        sv "{goal} % (INTE uppnått)",
    ClassNamed => "class {class}, as named when the case was opened"
        nb "klasse {class}, slik den ble oppgitt da saken ble åpnet"
        da "klasse {class}, som angivet da sagen blev åbnet"
        sv "klass {class}, som den angavs när ärendet öppnades",
    NoTarget => "no target"
        nb "ingen frist"
        da "ingen frist"
        sv "ingen måltid",
    }
}

impl CaseMsg {
    /// The text in `locale` with its placeholders filled from `args`.
    pub fn say(self, locale: Locale, args: &[(&str, &dyn Display)]) -> String {
        fill(self.text(locale), args)
    }
}

/// Where the lines go: under `/sla explain`'s agreement (each line after a newline,
/// indented like its other sections) or in `vakt agreements show` (two spaces a level, one
/// line each).
#[derive(Clone, Copy)]
enum Layout {
    Explain,
    Show,
}

impl Layout {
    /// `text` as a line at nesting `depth` (0: the section's head).
    fn line(self, depth: usize, text: &str) -> String {
        match self {
            Layout::Explain => format!("\n{:w$}{text}", "", w = 4 + 2 * depth),
            Layout::Show => format!("{:w$}{text}\n", "", w = 2 * depth),
        }
    }
}

/// A goal as `90 %`, or `—` without one.
fn goal_text(goal: Option<f64>, locale: Locale) -> String {
    goal.map_or_else(
        || CaseMsg::NoGoal.text(locale).to_string(),
        |g| CaseMsg::Percent.say(locale, &[("percent", &g)]),
    )
}

/// The head line of case type `t`: id, name, its ids, clause and whether it escalates.
fn type_line(t: &CaseType, locale: Locale) -> String {
    let ladder = if t.escalate {
        CaseMsg::Escalates
    } else {
        CaseMsg::NoEscalation
    };
    CaseMsg::ExplainType.say(
        locale,
        &[
            ("id", &t.id),
            ("name", &t.name),
            ("prefix", &t.prefix),
            ("clause", &t.prov.source),
            ("ladder", &ladder.text(locale)),
        ],
    )
}

fn goal_line(c: &Compliance, locale: Locale) -> String {
    CaseMsg::ExplainGoal.say(
        locale,
        &[
            ("response", &goal_text(c.response, locale)),
            ("resolution", &goal_text(c.resolution, locale)),
            ("clause", &c.prov.source),
        ],
    )
}

/// Every case type of `a` in `layout`: its head line, its classes with their targets (as
/// `target` words them), its goal, warnings and readings. Empty without case types.
fn case_types(a: &Agreement, locale: Locale, layout: Layout, target: &dyn Fn(&Target) -> String) -> String {
    if a.case_types.is_empty() {
        return String::new();
    }
    let mut s = layout.line(0, CaseMsg::ExplainHead.text(locale));
    for t in &a.case_types {
        s += &layout.line(1, &type_line(t, locale));
        for c in &t.classes {
            let Some(tg) = t.targets.iter().find(|x| x.priority == c.id) else {
                continue;
            };
            let class = CaseMsg::ExplainClass.say(
                locale,
                &[
                    ("id", &c.id),
                    ("name", &c.name),
                    ("response", &target(&tg.response)),
                    ("resolution", &target(&tg.resolution)),
                ],
            );
            s += &layout.line(2, &class);
        }
        if let Some(c) = &t.compliance {
            s += &layout.line(2, &goal_line(c, locale));
        }
        if let Some(w) = &t.warnings {
            let percents = w.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
            s += &layout.line(2, &CaseMsg::ExplainWarnings.say(locale, &[("percents", &percents)]));
        }
        let goal_reading = t.compliance.as_ref().and_then(|c| c.prov.reading.as_ref());
        for r in [t.prov.reading.as_ref(), goal_reading].into_iter().flatten() {
            s += &layout.line(2, &CaseMsg::Reading.say(locale, &[("reading", r)]));
        }
    }
    s
}

/// `/sla explain`'s lines for the agreement's case types besides incidents (none without),
/// in the style's language; `target` words a target the way the rest of the explanation does.
pub fn explain(a: &Agreement, style: &Style, target: &dyn Fn(&Target) -> String) -> String {
    case_types(a, style.locale, Layout::Explain, target)
}

/// `vakt agreements show`'s section on the case types (English, like the rest of it);
/// `target` words a target with its clause and reading.
pub fn show(a: &Agreement, target: &dyn Fn(&Target) -> String, locale: Locale) -> String {
    let section = case_types(a, locale, Layout::Show, target);
    if section.is_empty() {
        section
    } else {
        format!("\n{section}")
    }
}

/// One compliance cell pair of a report row: `within / outside`, percent.
fn counts(c: &ComplianceFigure, has_target: bool, locale: Locale) -> (String, String) {
    if !has_target {
        let none = CaseMsg::NoTarget.text(locale).to_string();
        return (none.clone(), none);
    }
    let pct = c.percent.map_or("—".to_string(), |p| {
        format!("{} %", crate::render::style::decimal(p, 1, locale))
    });
    (format!("{} / {}", c.within.len(), c.outside.len()), pct)
}

fn goal_cell(c: &ComplianceFigure, locale: Locale) -> String {
    match (c.goal, c.goal_met) {
        (None, _) => CaseMsg::NoGoal.text(locale).to_string(),
        (Some(g), Some(true)) => CaseMsg::GoalMet.say(locale, &[("goal", &g)]),
        (Some(g), Some(false)) => CaseMsg::GoalNotMet.say(locale, &[("goal", &g)]),
        (Some(g), None) => CaseMsg::Percent.say(locale, &[("percent", &g)]),
    }
}

/// The reports' table of the case types besides incidents: per type the cases opened and
/// resolved, within and outside target per milestone against its goal, and the goal's
/// clause (nothing when the agreement has no other case types).
pub fn report_table<'a>(out: &mut String, cases: impl IntoIterator<Item = &'a CaseTypeFigures>, locale: Locale) {
    let cases: Vec<&CaseTypeFigures> = cases.into_iter().collect();
    if cases.is_empty() {
        return;
    }
    out.push_str(CaseMsg::ReportHead.text(locale));
    out.push_str(CaseMsg::ReportColumns.text(locale));
    out.push_str("|---|---:|---:|---:|---:|---|---:|---:|---|---|\n");
    for t in cases {
        let f = &t.figures;
        let resolved: usize = f.priorities.iter().map(|p| p.resolved.len()).sum();
        let rt = f.priorities.iter().any(|p| p.response_target);
        let st = f.priorities.iter().any(|p| p.resolution_target);
        let (r_counts, r_pct) = counts(&f.response, rt, locale);
        let (s_counts, s_pct) = counts(&f.resolution, st, locale);
        let _ = writeln!(
            out,
            "| {} {} | {} | {resolved} | {r_counts} | {r_pct} | {} | {s_counts} | {s_pct} | {} | {} |",
            t.case_type,
            super::text::defuse(&t.name, super::text::Defuse::TABLE_CELL),
            t.opened(),
            goal_cell(&f.response, locale),
            goal_cell(&f.resolution, locale),
            f.goal_source.as_deref().unwrap_or("—"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_message_exists_in_every_language() {
        crate::render::msg::tests::check_table(CaseMsg::ALL, |m, l| m.translated(l));
    }

    #[test]
    fn explain_and_show_name_every_case_type_with_its_clause() {
        for id in ["ssbtek", "altinn", "difi", "inera"] {
            let a = crate::domain::test_support::agreement(id);
            let shown = show(a, &|t| format!("{t:?}"), Locale::En);
            let explained = explain(a, &crate::render::style::Style::plain(a.tz), &|t| format!("{t:?}"));
            assert!(!a.case_types.is_empty(), "{id} has case types");
            for t in &a.case_types {
                for text in [&shown, &explained] {
                    assert!(text.contains(&t.id) && text.contains(&t.prov.source), "{id}/{}", t.id);
                }
            }
        }
        assert!(
            show(
                crate::domain::test_support::agreement("borger-dk"),
                &|_| String::new(),
                Locale::En
            )
            .is_empty()
        );
    }
}
