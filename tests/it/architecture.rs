//! The layer map of the README, checked against the code.
//!
//! Every `crate::…` path in `src/` (in `use` trees and inline, outside comments and outside
//! `#[cfg(test)]` modules) is an arrow from the file's top-level module to the module it
//! names. [`ALLOWED`] says which arrows each layer may have; anything else fails the test
//! with the file and line of each forbidden arrow. The same arrows, resolved to files, must
//! form no cycle. The domain must also stay free of I/O crates and of the wall clock.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Which top-level modules each layer may name. A module missing here may name nothing of
/// vakt; `app` (the composition root) and `lib` may name everything.
const ALLOWED: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("agreements", &["domain"]),
    ("service", &["domain"]),
    ("commands", &["domain", "service"]),
    (
        "render",
        &[
            "domain",
            "service::notice",
            "service::views",
            "service::error",
            "service::status",
            "service::Action",
            "commands::CommandError",
            // `crate::messages!`, render's own table macro (exported at the crate root).
            "messages",
        ],
    ),
    ("config", &["domain", "agreements"]),
    ("storage", &["domain", "service", "config"]),
    ("scheduler", &["domain", "service", "config"]),
    (
        "console",
        &["domain", "agreements", "service", "commands", "render", "config"],
    ),
    (
        "discord",
        &["domain", "agreements", "service", "commands", "render", "config"],
    ),
    (
        "cli",
        &["domain", "agreements", "service", "commands", "render", "config"],
    ),
    ("ops", &["domain", "service", "config"]),
    ("hooks", &["domain", "service", "commands", "config"]),
    ("calendar", &["domain", "service", "render", "config"]),
    ("status", &["domain", "service", "render", "config"]),
    ("webhooks", &["domain", "service", "config"]),
];

/// Crates the pure domain must not use.
const DOMAIN_FORBIDDEN_CRATES: &[&str] = &["tokio", "sqlx", "serenity", "axum", "reqwest", "plotters"];

/// Calls that read the wall clock, which the domain takes as an argument instead.
const WALL_CLOCK: &[&str] = &["Utc::now(", "Local::now(", "SystemTime::now(", "Instant::now("];

#[derive(Debug, Clone)]
struct Arrow {
    file: PathBuf,
    line: usize,
    from: String,
    /// The path after `crate::`, segments joined by `::`.
    to: String,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to (`lib` and `main` for the roots).
fn top_module(file: &Path) -> String {
    let rel = file.strip_prefix(src_dir()).expect("under src");
    let first = rel
        .components()
        .next()
        .expect("a component")
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.trim_end_matches(".rs").to_string()
}

/// The source with comments blanked and `#[cfg(test)]` modules removed, line numbers kept.
fn code_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block_comment = 0usize;
    let mut skip_depth: Option<i64> = None;
    let mut depth: i64 = 0;
    let mut pending_cfg_test = false;
    for raw in text.lines() {
        // Strip comments (block comments nest; string literals holding `//` are rare enough in
        // `use` lines not to matter).
        let mut line = String::new();
        let bytes: Vec<char> = raw.chars().collect();
        let mut i = 0;
        let mut in_str = false;
        while i < bytes.len() {
            if in_block_comment > 0 {
                if bytes[i] == '*' && bytes.get(i + 1) == Some(&'/') {
                    in_block_comment -= 1;
                    i += 2;
                } else if bytes[i] == '/' && bytes.get(i + 1) == Some(&'*') {
                    in_block_comment += 1;
                    i += 2;
                } else {
                    i += 1;
                }
                continue;
            }
            if !in_str && bytes[i] == '/' && bytes.get(i + 1) == Some(&'/') {
                break;
            }
            if !in_str && bytes[i] == '/' && bytes.get(i + 1) == Some(&'*') {
                in_block_comment += 1;
                i += 2;
                continue;
            }
            if bytes[i] == '"' && (i == 0 || bytes[i - 1] != '\\') {
                in_str = !in_str;
            }
            line.push(bytes[i]);
            i += 1;
        }
        let trimmed = line.trim();
        if skip_depth.is_none() && trimmed.starts_with("#[cfg(test)]") {
            pending_cfg_test = true;
        } else if pending_cfg_test && skip_depth.is_none() && !trimmed.is_empty() && !trimmed.starts_with("#[") {
            if (trimmed.starts_with("mod ")
                || trimmed.starts_with("pub mod ")
                || trimmed.starts_with("pub(crate) mod "))
                && trimmed.ends_with('{')
            {
                skip_depth = Some(depth);
            }
            pending_cfg_test = false;
        }
        let opens = line.matches('{').count() as i64;
        let closes = line.matches('}').count() as i64;
        let skipping = skip_depth.is_some();
        depth += opens - closes;
        if let Some(d) = skip_depth
            && depth <= d
            && closes > 0
        {
            skip_depth = None;
        }
        out.push(if skipping { String::new() } else { line });
    }
    out
}

/// Expands a `use` tree (`a::{b, c::{d, e}}`) into full paths.
fn expand_use(tree: &str) -> Vec<String> {
    // Drop renames (`x as y`) and white space.
    let mut words: Vec<&str> = Vec::new();
    let mut it = tree.split_whitespace().peekable();
    while let Some(w) = it.next() {
        if w == "as" {
            // The alias, and whatever punctuation is glued to it.
            let alias = it.next().unwrap_or("");
            words.push(alias.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_'));
        } else {
            words.push(w);
        }
    }
    let tree: String = words.concat();
    fn go(prefix: &str, t: &str, out: &mut Vec<String>) {
        if let Some(open) = t.find('{') {
            let head = &t[..open];
            let inner = &t[open + 1..t.rfind('}').unwrap_or(t.len())];
            let mut level = 0;
            let mut start = 0;
            let joined = format!("{prefix}{head}");
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => level += 1,
                    '}' => level -= 1,
                    ',' if level == 0 => {
                        go(&joined, &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            go(&joined, &inner[start..], out);
        } else if !t.is_empty() {
            out.push(format!("{prefix}{t}"));
        }
    }
    let mut out = Vec::new();
    go("", &tree, &mut out);
    out
}

/// The module path of a file (`src/domain/schedule.rs` → `["domain", "schedule"]`).
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src_dir()).expect("under src");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    if !matches!(last.as_str(), "mod.rs" | "lib.rs" | "main.rs") {
        parts.push(last.trim_end_matches(".rs").to_string());
    }
    parts
}

/// A line with every `super::` path rewritten as the `crate::` path it names.
fn absolute(line: &str, module: &[String]) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(p) = rest.find("super::") {
        let before = &rest[..p];
        // Only a path start: not the tail of another path (`x::super::` does not occur).
        out.push_str(before);
        let mut tail = &rest[p..];
        let mut up = 0;
        while let Some(t) = tail.strip_prefix("super::") {
            up += 1;
            tail = t;
        }
        let base = &module[..module.len().saturating_sub(up)];
        out.push_str("crate::");
        for seg in base {
            out.push_str(seg);
            out.push_str("::");
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

fn arrows() -> Vec<Arrow> {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    // A `#[macro_export]` macro is reached as `crate::name!` but belongs to the module that
    // defines it (`crate::messages!` is `render`'s).
    let mut macros: Vec<(String, String)> = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read");
        for name in text.split("macro_rules! ").skip(1) {
            let name: String = name.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            macros.push((name, module_path(file).join("::")));
        }
    }
    let mut arrows = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        let module = module_path(&file);
        let lines: Vec<String> = code_lines(&text).iter().map(|l| absolute(l, &module)).collect();
        let from = top_module(&file);
        let mut push = |line: usize, path: &str| {
            let to = path
                .trim_start_matches("crate::")
                .trim_end_matches("::self")
                .to_string();
            arrows.push(Arrow {
                file: file.clone(),
                line,
                from: from.clone(),
                to,
            });
        };
        let mut i = 0;
        while i < lines.len() {
            let l = lines[i].trim();
            let use_at = l
                .find("use crate::")
                .filter(|&p| p == 0 || l[..p].trim_end().ends_with("pub") || l[..p].contains("pub("));
            if let Some(p) = use_at {
                // A `use` statement, possibly over several lines.
                let start = i;
                let mut stmt = l[p + 4..].to_string();
                while !stmt.contains(';') && i + 1 < lines.len() {
                    i += 1;
                    stmt.push_str(lines[i].trim());
                }
                let stmt = stmt.split(';').next().unwrap_or("");
                for path in expand_use(stmt) {
                    push(start + 1, &path);
                }
            } else {
                let mut rest = l;
                while let Some(p) = rest.find("crate::") {
                    let tail = &rest[p..];
                    let end = tail
                        .char_indices()
                        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == ':'))
                        .map_or(tail.len(), |(j, _)| j);
                    let path = tail[..end].trim_end_matches(':');
                    let name = path.trim_start_matches("crate::");
                    match macros.iter().find(|(m, _)| m == name && tail[end..].starts_with('!')) {
                        Some((_, module)) => push(i + 1, &format!("crate::{module}")),
                        None => push(i + 1, path),
                    }
                    rest = &tail[end..];
                }
            }
            i += 1;
        }
    }
    arrows
}

fn allowed(from: &str, to: &str) -> bool {
    // The `messages!` macro (exported at the crate root from `render::msg`) declares a
    // message table; any module declaring one names it.
    if to == "messages" {
        return true;
    }
    let target_top = to.split("::").next().unwrap_or("");
    if from == target_top || from == "app" || from == "lib" || from == "main" {
        return true;
    }
    ALLOWED
        .iter()
        .find(|(m, _)| *m == from)
        .is_some_and(|(_, ok)| ok.iter().any(|a| to == *a || to.starts_with(&format!("{a}::"))))
}

fn rel(file: &Path) -> String {
    file.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap_or(file)
        .display()
        .to_string()
}

/// The layers of the README's map hold: no arrow runs from a layer to one it may not use.
#[test]
fn no_arrow_runs_against_the_layers() {
    let mut bad = Vec::new();
    for a in arrows() {
        if allowed(&a.from, &a.to) {
            continue;
        }
        let file = rel(&a.file);
        bad.push(format!("{file}:{}: {} -> crate::{}", a.line, a.from, a.to));
    }
    assert!(bad.is_empty(), "forbidden arrows ({}):\n{}", bad.len(), bad.join("\n"));
}

/// The file a `crate::` path names: the deepest module file that exists along it.
fn target_file(path: &str) -> Option<PathBuf> {
    let mut dir = src_dir();
    let mut found = None;
    for seg in path.split("::") {
        let as_file = dir.join(format!("{seg}.rs"));
        let as_dir = dir.join(seg).join("mod.rs");
        if as_file.exists() {
            found = Some(as_file);
        } else if as_dir.exists() {
            found = Some(as_dir);
        } else {
            break;
        }
        dir = dir.join(seg);
    }
    found
}

/// The files' `crate::` arrows form no cycle.
#[test]
fn no_cycle_between_files() {
    let mut graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for a in arrows() {
        if let Some(t) = target_file(&a.to)
            && t != a.file
        {
            graph.entry(a.file.clone()).or_default().insert(t);
        }
    }
    let cycles = strongly_connected(&graph);
    let shown: Vec<String> = cycles
        .iter()
        .map(|c| c.iter().map(|f| rel(f)).collect::<Vec<_>>().join(" <-> "))
        .collect();
    assert!(
        shown.is_empty(),
        "files that import each other:
{}",
        shown.join(
            "
"
        )
    );
}

/// Tarjan's algorithm; returns the components with more than one file.
fn strongly_connected(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct St<'a> {
        g: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, usize>,
        low: BTreeMap<&'a PathBuf, usize>,
        stack: Vec<&'a PathBuf>,
        on: BTreeSet<&'a PathBuf>,
        next: usize,
        out: Vec<Vec<PathBuf>>,
    }
    fn visit<'a>(s: &mut St<'a>, v: &'a PathBuf) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on.insert(v);
        if let Some(ws) = s.g.get(v) {
            for w in ws {
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(lw));
                } else if s.on.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(iw));
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let nodes: BTreeSet<&PathBuf> = graph.keys().chain(graph.values().flatten()).collect();
    let mut s = St {
        g: graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in nodes {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// The domain is pure: no I/O crates, no wall clock.
#[test]
fn domain_is_pure() {
    let mut files = Vec::new();
    rust_files(&src_dir().join("domain"), &mut files);
    let mut bad = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        for (i, line) in code_lines(&text).iter().enumerate() {
            for c in DOMAIN_FORBIDDEN_CRATES {
                if line.contains(&format!("{c}::")) {
                    bad.push(format!("{}:{}: uses {c}", rel(&file), i + 1));
                }
            }
            for w in WALL_CLOCK {
                if line.contains(w) {
                    bad.push(format!("{}:{}: reads the wall clock ({w}…)", rel(&file), i + 1));
                }
            }
        }
    }
    assert!(bad.is_empty(), "the domain is not pure:\n{}", bad.join("\n"));
}

/// The checker itself: a back arrow planted in a domain file's text is found, with its line.
#[test]
fn a_planted_back_arrow_is_found() {
    let text = "//! x\nuse crate::{domain::ids::IncidentId, storage::SqliteStore};\nfn f() { crate::discord::x(); }\n";
    let lines = code_lines(text);
    let paths: Vec<String> = expand_use(lines[1].trim().trim_start_matches("use ").trim_end_matches(';'));
    assert_eq!(
        paths,
        vec!["crate::domain::ids::IncidentId", "crate::storage::SqliteStore"]
    );
    assert!(!allowed("domain", "storage::SqliteStore"));
    assert!(!allowed("domain", "discord::x"));
    assert!(allowed("discord", "service::ports::Chat"));
    assert!(!allowed("render", "service::ports::Store"));
    assert!(!allowed("console", "discord::render"));
    assert_eq!(
        absolute("use super::clock::YearCache;", &["domain".into(), "schedule".into()]),
        "use crate::domain::clock::YearCache;"
    );
    let tested = code_lines("#[cfg(test)]\nmod tests {\n    use crate::storage::X;\n}\nuse crate::cli::Y;\n");
    assert_eq!(tested[2], "");
    assert!(tested[4].contains("crate::cli::Y"));
}
