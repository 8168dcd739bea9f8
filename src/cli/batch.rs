//! `vakt batch` (`vakt --batch`): JSON-lines queries on stdin (`add`, `between`,
//! `classify`), one answer line each, streaming in constant memory.

use super::classify::{ClassifyOut, op_classify};
use super::clock::{AddOut, BetweenOut, op_add, op_between};
use super::{R, data, usage};
use crate::agreements::Catalog;
use crate::domain::classify::Facts;
use std::io::{BufRead, Write};

/// One batch query; `op` selects which fields are needed.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    op: String,
    #[serde(alias = "id")]
    agreement: String,
    schedule: Option<String>,
    at: Option<String>,
    duration: Option<String>,
    from: Option<String>,
    to: Option<String>,
    impact: Option<String>,
    users_affected: Option<f64>,
    #[serde(default)]
    security: bool,
    #[serde(default)]
    workaround: bool,
}

fn need<'a>(v: &'a Option<String>, name: &str, op: &str) -> R<&'a str> {
    v.as_deref().ok_or_else(|| usage(format!("\"{op}\" needs \"{name}\"")))
}

/// One batch answer.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Answer {
    Add(AddOut),
    Between(BetweenOut),
    Classify(Box<ClassifyOut>),
    Error { error: String },
}

fn answer(cat: &Catalog, line: &str) -> R<Answer> {
    let q: Query = serde_json::from_str(line).map_err(|e| usage(format!("invalid query: {e}")))?;
    let op = q.op.as_str();
    match op {
        "add" => op_add(
            cat,
            &q.agreement,
            need(&q.schedule, "schedule", op)?,
            need(&q.at, "at", op)?,
            need(&q.duration, "duration", op)?,
        )
        .map(Answer::Add),
        "between" => op_between(
            cat,
            &q.agreement,
            need(&q.schedule, "schedule", op)?,
            need(&q.from, "from", op)?,
            need(&q.to, "to", op)?,
        )
        .map(Answer::Between),
        "classify" => {
            let facts = Facts {
                impact: need(&q.impact, "impact", op)?.to_string(),
                users_affected: q.users_affected,
                security: q.security,
                workaround: q.workaround,
            };
            op_classify(cat, &q.agreement, need(&q.at, "at", op)?, facts).map(|c| Answer::Classify(Box::new(c)))
        }
        other => Err(usage(format!("unknown op \"{other}\" (known: add, between, classify)"))),
    }
}

/// Answers JSON-lines queries from `input`, one line each on `out`, in order, streaming in
/// constant memory. Blank lines are skipped; a bad line (including one that is not UTF-8)
/// gets `{"error": "..."}` and the next line is read.
pub fn batch(cat: &Catalog, input: &mut dyn BufRead, out: &mut dyn Write) -> R<()> {
    let io = |e: std::io::Error| data(format!("batch I/O failed: {e}"));
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut line: Vec<u8> = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line).map_err(io)? == 0 {
            break;
        }
        number += 1;
        let v = match std::str::from_utf8(&line) {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => answer(cat, text.trim()).unwrap_or_else(|e| Answer::Error { error: e.to_string() }),
            Err(e) => Answer::Error {
                error: format!(
                    "invalid query: line {number} is not valid UTF-8 (bad byte at offset {})",
                    e.valid_up_to()
                ),
            },
        };
        let mut bytes = serde_json::to_vec(&v).map_err(|e| data(format!("batch output failed: {e}")))?;
        bytes.push(b'\n');
        out.write_all(&bytes).map_err(super::output)?;
    }
    out.flush().map_err(super::output)
}
