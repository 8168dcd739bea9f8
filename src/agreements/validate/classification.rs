//! Classification: ordered rules and the matrix, whose references must exist and which must
//! give every combination of facts a priority.

use super::*;

pub(super) fn classification(
    cx: &mut Ctx,
    c: &S<RawClassification>,
    prios: &[&str],
    impacts: &[&str],
    timing: &[&str],
) -> ClassificationRules {
    let r = c.get_ref();
    let mut rules = Vec::new();
    for rule in &r.rules {
        let rr = rule.get_ref();
        let w = rr.when.get_ref();
        let priority = cx.reference(&rr.priority, "priority", prios);
        let impact = w.impact.as_ref().map(|v| refs(cx, v, "impact", impacts));
        let timing_c = w.timing.as_ref().map(|v| refs(cx, v, "timing class", timing));
        for v in [&w.users_over, &w.users_at_most].into_iter().flatten() {
            if !(0.0..=100.0).contains(v.get_ref()) {
                cx.err(v.span(), "a share of users is a percentage from 0 to 100");
            }
        }
        if let Some(priority) = priority {
            rules.push(Rule {
                when: Conditions {
                    impact,
                    timing: timing_c,
                    security: w.security,
                    workaround: w.workaround,
                    users_over: w.users_over.as_ref().map(|v| *v.get_ref()),
                    users_at_most: w.users_at_most.as_ref().map(|v| *v.get_ref()),
                },
                priority,
                prov: prov(&rr.source, &rr.reading, &rr.note),
            });
        }
    }
    let matrix = r.matrix.as_ref().map(|m| {
        let mr = m.get_ref();
        if timing.is_empty() {
            cx.err(m.span(), "a matrix needs [timing] classes for its rows");
        }
        let cols = refs(cx, &mr.impacts, "impact", impacts);
        let mut seen = HashSet::new();
        for (s, v) in mr.impacts.iter().zip(&cols) {
            if !seen.insert(v.clone()) {
                cx.err(s.span(), format!("impact \"{v}\" is a column twice"));
            }
        }
        for i in impacts {
            if !cols.iter().any(|c| c == i) {
                cx.err(m.span(), format!("the matrix has no column for impact \"{i}\""));
            }
        }
        let mut rows = Vec::new();
        for row in &mr.rows {
            let rw = row.get_ref();
            let Some(t) = cx.reference(&rw.timing, "timing class", timing) else {
                continue;
            };
            if rows.iter().any(|(x, _): &(String, Vec<String>)| *x == t) {
                cx.err(rw.timing.span(), format!("timing class \"{t}\" has a row already"));
                continue;
            }
            if rw.priorities.len() != mr.impacts.len() {
                cx.err(
                    row.span(),
                    format!(
                        "row \"{t}\" has {} cells for {} impact columns",
                        rw.priorities.len(),
                        mr.impacts.len()
                    ),
                );
            }
            let cells = refs(cx, &rw.priorities, "priority", prios);
            rows.push((t, cells));
        }
        for t in timing {
            if !rows.iter().any(|(x, _)| x == t) {
                cx.err(m.span(), format!("the matrix has no row for timing class \"{t}\""));
            }
        }
        Matrix {
            impacts: cols,
            rows,
            prov: prov(&mr.source, &mr.reading, &mr.note),
        }
    });
    ClassificationRules {
        rules,
        matrix,
        prov: prov(&r.source, &r.reading, &r.note),
    }
}

/// Checks that the rules and matrix give a priority for every combination of facts.
pub(super) fn check_total(cx: &mut Ctx, a: &Agreement, span: Range<usize>) {
    let mut shares: Vec<Option<f64>> = vec![None, Some(0.0), Some(100.0)];
    for r in &a.classification.rules {
        for x in [r.when.users_over, r.when.users_at_most].into_iter().flatten() {
            shares.push(Some(x));
            shares.push(Some((x + 0.001).min(100.0)));
        }
    }
    let timings: Vec<Option<&str>> = match &a.timing {
        Some(t) => t.classes.iter().map(|c| Some(c.id.as_str())).collect(),
        None => vec![None],
    };
    for imp in &a.impacts {
        for t in &timings {
            for security in [false, true] {
                for workaround in [false, true] {
                    for share in &shares {
                        let f = Facts {
                            impact: imp.id.clone(),
                            users_affected: *share,
                            security,
                            workaround,
                        };
                        if decide(a, &f, *t).is_none() {
                            let share = share.map_or("not given".to_string(), |s| format!("{s}%"));
                            cx.err(
                                span,
                                format!(
                                    "no classification rule gives a priority for impact \"{}\"{}, security {security}, workaround {workaround}, users affected {share} (add a rule with an empty `when` last)",
                                    imp.id,
                                    t.map_or(String::new(), |t| format!(", timing \"{t}\"")),
                                ),
                            );
                            return;
                        }
                    }
                }
            }
        }
    }
}
