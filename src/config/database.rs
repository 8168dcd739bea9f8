//! The `database_url` and `[database]` settings: the one database URL type, whose `Display`
//! and `Debug` never show a password (every banner, error and log prints it), and the plain
//! timeouts the storage adapter builds its options from.

use std::fmt;
use std::time::Duration;

/// A database URL whose password is hidden whenever it is printed: `Display` and `Debug` show
/// [`redacted`](Self::redacted); only [`expose`](Self::expose) gives the URL to connect with.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// Wraps a URL (or, for SQLite, a file path).
    pub fn new(s: impl Into<String>) -> Self {
        DatabaseUrl(s.into())
    }

    /// The full URL, for connecting. Never print it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The URL with its password replaced by `***`: the password of the user info
    /// (`user:***@host`, also when the password holds an unescaped `@` or `/`) and every
    /// `password=` query parameter.
    pub fn redacted(&self) -> String {
        redact(&self.0)
    }

    /// The file a SQLite URL names (`sqlite://vakt.db`, `sqlite:data/vakt.db?mode=rwc`),
    /// or `None` for an in-memory database or another backend. Used to say plainly that a
    /// file or its directory is missing before the driver's bare "unable to open" does.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        let rest = self.0.strip_prefix("sqlite:")?;
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let path = rest.split_once('?').map_or(rest, |(p, _)| p);
        if path.is_empty() || path == ":memory:" || self.0.contains("mode=memory") {
            return None;
        }
        Some(std::path::PathBuf::from(path))
    }

    /// Why the SQLite file this URL names cannot be opened for writing, when that is plain
    /// before trying: its directory does not exist, or is not a directory.
    pub fn sqlite_open_problem(&self) -> Option<String> {
        let file = self.sqlite_file()?;
        let dir = file.parent().filter(|d| !d.as_os_str().is_empty())?;
        if !dir.exists() {
            Some(format!(
                "cannot open database {}: its directory {} does not exist",
                file.display(),
                dir.display()
            ))
        } else if !dir.is_dir() {
            Some(format!(
                "cannot open database {}: {} is not a directory",
                file.display(),
                dir.display()
            ))
        } else {
            None
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl From<&str> for DatabaseUrl {
    fn from(s: &str) -> Self {
        DatabaseUrl::new(s)
    }
}

/// The password placeholder.
const HIDDEN: &str = "***";

/// Hides the passwords of a URL. A URL the `url` crate reads is redacted through it (user
/// info password, `password=` query parameters); anything else (a password with an
/// unescaped `/`, a plain file path) by [`redact_text`].
fn redact(s: &str) -> String {
    match url::Url::parse(s) {
        Ok(u) if u.has_host() => redact_parsed(s, u),
        _ => redact_text(s),
    }
}

/// [`redact`] for a URL with a host. The text is kept as written when nothing is hidden.
fn redact_parsed(original: &str, mut u: url::Url) -> String {
    let query = u.query().map(redact_query);
    let hides_query = query.as_ref().is_some_and(|(_, hidden)| *hidden);
    if u.password().is_none() && !hides_query {
        return original.to_string();
    }
    if u.password().is_some() && u.set_password(Some(HIDDEN)).is_err() {
        return redact_text(original);
    }
    if let Some((query, true)) = query {
        u.set_query(Some(&query));
    }
    u.to_string()
}

/// A query string with the value of every `password` parameter hidden, and whether any was.
fn redact_query(query: &str) -> (String, bool) {
    let mut hidden = false;
    let params: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if is_password_key(k) => {
                hidden = true;
                format!("{k}={HIDDEN}")
            }
            _ => p.to_string(),
        })
        .collect();
    (params.join("&"), hidden)
}

/// Whether a query key names a password (`password`, any case, percent-encoding undone).
fn is_password_key(k: &str) -> bool {
    let decoded: String = url::form_urlencoded::parse(k.as_bytes())
        .map(|(k, v)| {
            if v.is_empty() {
                k.into_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect();
    decoded.eq_ignore_ascii_case("password")
}

/// [`redact`] for text the `url` crate does not read as a URL with a host: the user info ends
/// at the last `@` before the query, so a password with an unescaped `/` or `@` is still
/// hidden.
fn redact_text(url: &str) -> String {
    let (head, rest) = match url.find("://") {
        Some(i) => url.split_at(i + 3),
        None => ("", url),
    };
    let query_start = rest.find(['?', '#']).unwrap_or(rest.len());
    let authority_end = match rest[..query_start].rfind('@') {
        Some(at) => at + rest[at..].find(['/', '?', '#']).unwrap_or(rest.len() - at),
        None => rest.find(['/', '?', '#']).unwrap_or(rest.len()),
    };
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rfind('@') {
        Some(at) => {
            let (userinfo, host) = authority.split_at(at);
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{user}:{HIDDEN}{host}"),
                None => authority.to_string(),
            }
        }
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => format!("{path}?{}", redact_query(query).0),
        None => tail.to_string(),
    };
    format!("{head}{authority}{tail}")
}

/// How long the database may make a store call wait: `[database]` in `vakt.toml`. Plain
/// settings; the storage adapter builds its options from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatabaseSettings {
    /// `statement_timeout`: the longest one statement (PostgreSQL) or one store call
    /// (SQLite) may run.
    pub statement_timeout: Duration,
    /// `lock_timeout`: the longest a statement waits for a lock another connection holds.
    pub lock_timeout: Duration,
}

impl DatabaseSettings {
    /// Default [`statement_timeout`](Self::statement_timeout): 10 s.
    pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(10);
    /// Default [`lock_timeout`](Self::lock_timeout): 5 s.
    pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(5);
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            statement_timeout: Self::DEFAULT_STATEMENT_TIMEOUT,
            lock_timeout: Self::DEFAULT_LOCK_TIMEOUT,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DatabaseUrl;

    fn shown(url: &str) -> String {
        let u = DatabaseUrl::new(url);
        let (display, debug) = (u.to_string(), format!("{u:?}"));
        assert_eq!(debug, format!("DatabaseUrl({display})"));
        display
    }

    #[test]
    fn passwords_are_hidden() {
        for (url, expected) in [
            (
                "postgres://vakt:s3cret@db:5432/vakt",
                "postgres://vakt:***@db:5432/vakt",
            ),
            (
                "postgres://vakt:p%40ss@db/vakt?sslmode=require",
                "postgres://vakt:***@db/vakt?sslmode=require",
            ),
            (
                "postgres://db/vakt?user=a&password=x&sslmode=disable",
                "postgres://db/vakt?user=a&password=***&sslmode=disable",
            ),
            (
                "postgres://postgres@127.0.0.1:5432/test",
                "postgres://postgres@127.0.0.1:5432/test",
            ),
            ("sqlite:/var/lib/vakt.db", "sqlite:/var/lib/vakt.db"),
            ("sqlite::memory:", "sqlite::memory:"),
            ("postgres://u:pa/s@s@db/x", "postgres://u:***@db/x"),
            ("/tmp/vakt/store.db", "/tmp/vakt/store.db"),
        ] {
            assert_eq!(shown(url), expected, "{url}");
        }
    }

    /// What the console banner and its `--start` error printed before there was one redactor:
    /// query passwords and half of a password holding `@`.
    #[test]
    fn query_passwords_and_passwords_with_at_are_hidden() {
        for (url, secret, expected) in [
            (
                "postgres://h/db?password=hunter2",
                "hunter2",
                "postgres://h/db?password=***",
            ),
            (
                "postgres://h/db?user=u&password=hunter2",
                "hunter2",
                "postgres://h/db?user=u&password=***",
            ),
            (
                "postgres://h/db?user=u&PASSWORD=hunter2&sslmode=require",
                "hunter2",
                "postgres://h/db?user=u&PASSWORD=***&sslmode=require",
            ),
            ("postgres://u:p%40ss@h/db", "p%40ss", "postgres://u:***@h/db"),
            ("postgres://u:p@ss@h/db", "ss", "postgres://u:***@h/db"),
            (
                "postgresql://u:p@ss@h:5432/db?password=x@y",
                "x@y",
                "postgresql://u:***@h:5432/db?password=***",
            ),
        ] {
            let display = shown(url);
            assert_eq!(display, expected, "{url}");
            assert!(!display.contains(secret), "{url} shows {display}");
        }
    }

    #[test]
    fn sqlite_files_are_read_from_their_urls() {
        let file = |u: &str| DatabaseUrl::new(u).sqlite_file();
        assert_eq!(file("sqlite://vakt.db"), Some("vakt.db".into()));
        assert_eq!(file("sqlite:data/v.db?mode=rwc"), Some("data/v.db".into()));
        assert_eq!(file("sqlite:///tmp/v.db"), Some("/tmp/v.db".into()));
        assert_eq!(file("sqlite::memory:"), None);
        assert_eq!(file("postgres://u@h/db"), None);
        let problem = DatabaseUrl::new("sqlite:///nonexistent-vakt-dir/v.db").sqlite_open_problem();
        assert!(problem.is_some_and(|p| p.contains("/nonexistent-vakt-dir") && p.contains("does not exist")));
        assert_eq!(DatabaseUrl::new("sqlite://vakt.db").sqlite_open_problem(), None);
    }
}
