//! Both store backends for end-to-end tests: a SQLite file in a temporary directory (always)
//! and a PostgreSQL schema of its own, dropped afterwards, when `VAKT_TEST_POSTGRES_URL` is
//! set. Without it the PostgreSQL runs say loudly that they were skipped — and fail when `CI`
//! is set, so a CI run cannot skip them silently.
//!
//! [`on_backends!`] turns `async fn name(Backend)` checks into `sqlite::name` and
//! `postgres::name` tests.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use vakt::service::ports::Store;
use vakt::storage::{PostgresStore, SqliteStore};

/// The environment variable naming the PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "VAKT_TEST_POSTGRES_URL";

/// One database a test opens stores on, with a directory for its `vakt.toml`.
pub struct Backend {
    dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl Backend {
    /// The directory for files the test writes (a `vakt.toml`).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The gateway's lease on the database, for the replica `holder` (open a store first: its
    /// migrations make the table).
    pub fn lease(&self, holder: &str) -> vakt::storage::leader::Lease {
        match &self.postgres {
            None => vakt::storage::leader::Lease::sqlite_file(&self.dir.path().join("vakt.db"), holder),
            Some((url, schema)) => {
                vakt::storage::leader::Lease::postgres_schema(url, schema, holder).expect("PostgreSQL URL")
            }
        }
    }

    /// Opens a store on the database.
    pub async fn open(&self) -> Arc<dyn Store> {
        match &self.postgres {
            None => Arc::new(
                SqliteStore::open(&self.dir.path().join("vakt.db"))
                    .await
                    .expect("open SQLite store"),
            ),
            Some((url, schema)) => Arc::new(
                PostgresStore::connect_in_schema(url, schema)
                    .await
                    .expect("open PostgreSQL store"),
            ),
        }
    }
}

/// Runs `test` on a fresh SQLite database file.
pub async fn on_sqlite<F, Fut>(test: F)
where
    F: FnOnce(Backend) -> Fut,
    Fut: Future<Output = ()>,
{
    test(Backend {
        dir: tempfile::tempdir().expect("temp dir"),
        postgres: None,
    })
    .await;
}

/// The PostgreSQL server for test `name`, from [`POSTGRES_ENV`]. Without it: says loudly on
/// stderr (past the test harness's capture) that the test is skipped and returns `None` — or
/// fails when `CI` is set, so a CI run cannot skip PostgreSQL silently.
pub fn postgres_url(name: &str) -> Option<String> {
    if let Ok(url) = std::env::var(POSTGRES_ENV) {
        return Some(url);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{name}: CI is set but {POSTGRES_ENV} is not: the PostgreSQL run cannot be skipped"
    );
    use std::io::Write;
    let line = format!(
        "\n*** SKIPPED: {name} on PostgreSQL — set {POSTGRES_ENV}=postgres://postgres@127.0.0.1:5432/test ***\n"
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
    None
}

/// Runs `test(url, schema)` in a PostgreSQL schema of its own (a name no other test or run
/// uses; dropped afterwards, also when the test fails), or skips as [`postgres_url`] says.
pub async fn in_postgres_schema<F, Fut>(name: &str, test: F)
where
    F: FnOnce(String, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(url) = postgres_url(name) else {
        return;
    };
    let nanos = chrono::Utc::now().timestamp_subsec_nanos();
    let mut short: String = name.chars().take(30).collect();
    short.make_ascii_lowercase();
    let schema = format!("vakt_t_{short}_{}_{nanos}", std::process::id());
    let outcome = tokio::spawn(test(url.clone(), schema.clone())).await;
    drop_schema(&url, &schema).await;
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("test task failed: {e}"),
        }
    }
}

/// Runs `test` on a [`Backend`] in a fresh PostgreSQL schema (see [`in_postgres_schema`]).
pub async fn on_postgres<F, Fut>(name: &str, test: F)
where
    F: FnOnce(Backend) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    in_postgres_schema(name, |url, schema| {
        test(Backend {
            dir: tempfile::tempdir().expect("temp dir"),
            postgres: Some((url, schema)),
        })
    })
    .await;
}

async fn drop_schema(url: &str, schema: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .expect("connect to drop the test schema");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"
    )))
    .execute(&mut conn)
    .await
    .expect("drop the test schema");
    let _ = conn.close().await;
}

/// One test per backend (`sqlite::name`, `postgres::name`) for each `async fn name(Backend)`.
macro_rules! on_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    $crate::common::backends::on_sqlite(super::$name).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    $crate::common::backends::on_postgres(stringify!($name), super::$name).await;
                }
            )*
        }
    };
}
pub(crate) use on_backends;
