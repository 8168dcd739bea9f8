//! Durable storage: the sqlx adapters behind [`Store`](crate::service::ports::Store).
//!
//! This module owns the database: the schema (`migrations/sqlite`, `migrations/postgres`, run
//! at connect), the mapping between rows and domain values (incidents as their whole
//! serde_json plus indexed copies of the fields lists filter on, the append-only timeline,
//! incident number sequences, and the durable job table with leases), and the transactions
//! that make every [`Store`] method atomic. Chat message references (`chat_refs`) are stored
//! under [`ChatRefKey::as_key`](crate::service::ports::ChatRefKey::as_key) text keys.
//!
//! Two backends implement the same contract: [`SqliteStore`] (a file, WAL, write
//! transactions begun with `BEGIN IMMEDIATE`; `sqlite::memory:` for throwaway use) and
//! [`PostgresStore`] (claims with `FOR UPDATE SKIP LOCKED`, so several runners can share the
//! table). [`connect`] picks one from the URL scheme.
//!
//! Database URLs may carry passwords: errors and `Debug` output show them only through
//! [`RedactedUrl`], which hides the password.

mod postgres;
mod sqlite;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use crate::service::ports::{ChatRefKey, Store, StoreError};
use std::fmt;
use std::sync::Arc;

/// Why a store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The URL names no database this build supports.
    #[error("unsupported database URL {0}: use sqlite:PATH, sqlite::memory: or postgres://USER@HOST/DB")]
    UnsupportedUrl(RedactedUrl),
    /// The URL (or path) could not be understood.
    #[error("invalid database URL {url}: {source}")]
    InvalidUrl {
        /// The URL, password hidden.
        url: RedactedUrl,
        /// Why.
        source: sqlx::Error,
    },
    /// The PostgreSQL schema name is not a plain lower-case identifier.
    #[error("invalid schema name {0:?}: use lower-case letters, digits and _ (not first), at most 63")]
    InvalidSchema(String),
    /// Connecting (or preparing the schema) failed.
    #[error("cannot connect to {url}: {source}")]
    Connect {
        /// The URL, password hidden.
        url: RedactedUrl,
        /// Why.
        source: sqlx::Error,
    },
    /// Bringing the database schema up to date failed.
    #[error("cannot migrate {url}: {source}")]
    Migrate {
        /// The URL, password hidden.
        url: RedactedUrl,
        /// Why.
        source: sqlx::migrate::MigrateError,
    },
}

/// Opens the store a URL names: `sqlite:PATH` (created if missing), `sqlite::memory:`, or
/// `postgres://…` / `postgresql://…`. Migrations run before it is returned.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StorageError> {
    let scheme = url.split_once(':').map(|(scheme, _)| scheme.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("sqlite") => Ok(Arc::new(SqliteStore::connect(url).await?)),
        Some("postgres" | "postgresql") => Ok(Arc::new(PostgresStore::connect(url).await?)),
        _ => Err(StorageError::UnsupportedUrl(RedactedUrl::new(url))),
    }
}

/// A database URL that never shows its password: `Display` and `Debug` replace the password in
/// `user:password@host` and any `password=` query parameter with `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct RedactedUrl(String);

impl RedactedUrl {
    /// Wraps a URL.
    pub fn new(url: &str) -> Self {
        RedactedUrl(url.to_string())
    }

    /// The URL with the password hidden.
    pub fn redacted(&self) -> String {
        redact(&self.0)
    }
}

impl fmt::Display for RedactedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for RedactedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.redacted())
    }
}

/// Hides the password of a URL: the part after `:` in the user info, and `password=` query
/// parameters.
fn redact(url: &str) -> String {
    let (head, rest) = match url.find("://") {
        Some(i) => url.split_at(i + 3),
        None => ("", url),
    };
    // The user info ends at the last `@` before the query: a password with an unescaped `/` or
    // `@` is still hidden.
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
                Some((user, _)) => format!("{user}:***{host}"),
                None => authority.to_string(),
            }
        }
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let params: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => p.to_string(),
                })
                .collect();
            format!("{path}?{}", params.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{head}{authority}{tail}")
}

/// A database failure as a store error.
fn db(e: sqlx::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

/// A value that would not serialise or deserialise.
fn corrupt(what: &str, e: impl fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// serde_json text of a value.
fn to_json<T: serde::Serialize>(what: &str, value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| corrupt(what, e))
}

/// A value from serde_json text.
fn from_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt(what, e))
}

/// A stored job state.
fn job_state(s: &str) -> Result<crate::service::ports::JobState, StoreError> {
    crate::service::ports::JobState::parse(s).ok_or_else(|| corrupt("job state", format!("unknown state {s:?}")))
}

/// A stored sequence value as the `u32` the port hands out.
fn sequence_number(n: i64) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|_| corrupt("incident sequence", format!("{n} is out of range")))
}

/// A stored chat reference key.
fn chat_ref_key(key: &str) -> Result<ChatRefKey, StoreError> {
    ChatRefKey::parse(key).ok_or_else(|| corrupt("chat reference key", format!("unknown key {key:?}")))
}

/// A failed chat reference write: a card or conversation of an unknown incident is not found.
fn chat_ref_error(key: &ChatRefKey, e: sqlx::Error) -> StoreError {
    match (&e, key.incident()) {
        (sqlx::Error::Database(d), Some(incident)) if d.is_foreign_key_violation() => {
            StoreError::NotFound(incident.to_string())
        }
        _ => db(e),
    }
}

/// An incident's chat references (card, conversation, its jobs' posts) in key order.
fn sorted_chat_refs<T>(mut refs: Vec<(ChatRefKey, T)>) -> Vec<(ChatRefKey, T)> {
    refs.sort_by(|a, b| a.0.cmp(&b.0));
    refs
}

/// The stored names of cancellation groups.
fn group_names(groups: &[crate::domain::plan::Group]) -> Vec<&'static str> {
    groups.iter().map(|g| g.as_str()).collect()
}

/// Reads a column holding a stored enum name; an unknown name is corrupt data.
fn stored_enum<'r, R, T>(row: &'r R, column: &'r str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError>
where
    R: sqlx::Row,
    &'r str: sqlx::ColumnIndex<R>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let name: String = row
        .try_get(column)
        .map_err(|e| StoreError::Corrupt(format!("column {column}: {e}")))?;
    parse(&name).ok_or_else(|| StoreError::Corrupt(format!("column {column}: unknown value \"{name}\"")))
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact("postgres://vakt:s3cret@db:5432/vakt"),
            "postgres://vakt:***@db:5432/vakt"
        );
        assert_eq!(
            redact("postgres://vakt:p%40ss@db/vakt?sslmode=require"),
            "postgres://vakt:***@db/vakt?sslmode=require"
        );
        assert_eq!(
            redact("postgres://db/vakt?user=a&password=x&sslmode=disable"),
            "postgres://db/vakt?user=a&password=***&sslmode=disable"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1:5432/test"),
            "postgres://postgres@127.0.0.1:5432/test"
        );
        assert_eq!(redact("sqlite:/var/lib/vakt.db"), "sqlite:/var/lib/vakt.db");
        assert_eq!(redact("sqlite::memory:"), "sqlite::memory:");
        assert_eq!(redact("postgres://u:pa/s@s@db/x"), "postgres://u:***@db/x");
    }
}
