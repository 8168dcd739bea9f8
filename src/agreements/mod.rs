//! Loading and validating agreement files (`agreements/*.toml`) and calendar files
//! (`agreements/calendars/*.toml`) into domain types. Every problem is reported as
//! `file:line:column: message`, all problems of a file at once, and nothing is loaded from a
//! directory with any problem.
//!
//! The built-in calendars (Norway, Denmark, Sweden) are compiled into the binary from
//! `agreements/calendars/`; calendar files in the loaded directory's `calendars/` folder are
//! added to them (a file with the id of a built-in replaces it; `extends` starts from another).

mod raw;
mod validate;

#[cfg(test)]
pub(crate) mod test_support;

use crate::domain::agreement::Agreement;
use crate::domain::calendar::Calendar;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use validate::{
    MAX_DAYS, MAX_EASTER_OFFSET, MAX_HOURS, MAX_WORKING_DAYS, parse_agreement, parse_calendar, warnings,
};

/// The calendars shipped with vakt: (file name, text).
pub const BUILTIN_CALENDARS: [(&str, &str); 3] = [
    (
        "agreements/calendars/dk.toml",
        include_str!("../../agreements/calendars/dk.toml"),
    ),
    (
        "agreements/calendars/no.toml",
        include_str!("../../agreements/calendars/no.toml"),
    ),
    (
        "agreements/calendars/se.toml",
        include_str!("../../agreements/calendars/se.toml"),
    ),
];

/// One problem in one file, with its position (1-based line and column; 0 when the problem
/// concerns the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: PathBuf,
    /// Line, 1-based.
    pub line: usize,
    /// Column in characters, 1-based.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                self.line,
                self.column,
                self.message
            )
        }
    }
}

/// All problems found while loading.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Line and column (1-based, columns in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

pub use crate::domain::catalog::Catalog;

/// Loads the built-in calendars plus those in `dir/calendars/`.
pub fn load_calendars(dir: Option<&Path>) -> Result<BTreeMap<String, Arc<Calendar>>, LoadErrors> {
    let mut files: Vec<(PathBuf, String)> = BUILTIN_CALENDARS
        .iter()
        .map(|(n, t)| (PathBuf::from(n), (*t).to_string()))
        .collect();
    let mut errors = Vec::new();
    if let Some(dir) = dir {
        let cdir = dir.join("calendars");
        if cdir.is_dir() {
            for path in toml_files(&cdir, &mut errors) {
                match std::fs::read_to_string(&path) {
                    Ok(t) => files.push((path, t)),
                    Err(e) => errors.push(whole_file(&path, format!("cannot read: {e}"))),
                }
            }
        }
    }
    let mut cals: BTreeMap<String, Arc<Calendar>> = BTreeMap::new();
    for (path, text) in &files {
        match parse_calendar(path, text, &cals) {
            Ok(c) => {
                cals.insert(c.id.clone(), Arc::new(c));
            }
            Err(mut e) => errors.append(&mut e.0),
        }
    }
    if errors.is_empty() {
        Ok(cals)
    } else {
        Err(LoadErrors(errors))
    }
}

fn whole_file(path: &Path, message: String) -> LoadError {
    LoadError {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        message,
    }
}

fn toml_files(dir: &Path, errors: &mut Vec<LoadError>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    match std::fs::read_dir(dir) {
        Ok(rd) => {
            for entry in rd.flatten() {
                let p = entry.path();
                if p.is_file() && p.extension().is_some_and(|e| e == "toml") {
                    out.push(p);
                }
            }
        }
        Err(e) => errors.push(whole_file(dir, format!("cannot read directory: {e}"))),
    }
    out.sort();
    out
}

/// Loads and validates every `*.toml` agreement in `dir` (and its `calendars/`). A directory
/// without any agreement file is an error: there would be nothing to classify by.
pub fn load_dir(dir: &Path) -> Result<Catalog, LoadErrors> {
    if !dir.is_dir() {
        return Err(LoadErrors(vec![whole_file(
            dir,
            "no such directory of agreements".into(),
        )]));
    }
    let calendars = load_calendars(Some(dir))?;
    let mut errors = Vec::new();
    let mut agreements: Vec<Arc<Agreement>> = Vec::new();
    let files = toml_files(dir, &mut errors);
    if files.is_empty() && errors.is_empty() {
        errors.push(whole_file(dir, "no agreement files (*.toml) in this directory".into()));
    }
    for path in files {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                errors.push(whole_file(&path, format!("cannot read: {e}")));
                continue;
            }
        };
        match parse_agreement(&path, &text, &calendars) {
            Ok(a) => {
                if agreements.iter().any(|b| b.id == a.id) {
                    errors.push(whole_file(&path, format!("duplicate agreement id \"{}\"", a.id)));
                } else if agreements.iter().any(|b| b.incident_prefix == a.incident_prefix) {
                    errors.push(whole_file(
                        &path,
                        format!("duplicate incident prefix \"{}\"", a.incident_prefix),
                    ));
                } else {
                    agreements.push(Arc::new(a));
                }
            }
            Err(mut e) => errors.append(&mut e.0),
        }
    }
    if !errors.is_empty() {
        return Err(LoadErrors(errors));
    }
    agreements.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Catalog { agreements, calendars })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let t = "a = 1\nbø = \"x\"\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 6), (2, 1));
        // "bø = " is 5 characters but 6 bytes
        assert_eq!(line_col(t, 12), (2, 6));
    }
}
