//! What the store benchmarks share: running one measurement on each backend (SQLite on a
//! temporary file always; PostgreSQL in a fresh, afterwards dropped schema when
//! `VAKT_TEST_POSTGRES_URL` is set) and reading counts from the environment.

use std::future::Future;
use std::sync::Arc;
use vakt::service::ports::Store;
use vakt::storage::{PostgresStore, SqliteStore};

/// A count from environment variable `var`, or `default`.
pub fn env_count(var: &str, default: usize) -> usize {
    std::env::var(var).ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

/// Runs `run(backend name, store, is_postgres)` on SQLite, then on PostgreSQL if configured.
pub fn on_each_backend<F, Fut>(bench: &str, run: F)
where
    F: Fn(&'static str, Arc<dyn Store>, bool) -> Fut,
    Fut: Future<Output = ()>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let sqlite = SqliteStore::open(dir.path().join("bench.db")).await.expect("open SQLite");
        run("SQLite (file, WAL)", Arc::new(sqlite), false).await;
        match std::env::var("VAKT_TEST_POSTGRES_URL") {
            Ok(url) => {
                let schema = format!("vakt_bench_{bench}_{}", std::process::id());
                let store = PostgresStore::connect_in_schema(&url, &schema).await.expect("connect PostgreSQL");
                run("PostgreSQL", Arc::new(store), true).await;
                drop_schema(&url, &schema).await;
            }
            Err(_) => eprintln!(
                "SKIPPED: PostgreSQL {bench} benchmark — set VAKT_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"
            ),
        }
    });
}

async fn drop_schema(url: &str, schema: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .expect("connect to drop the bench schema");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"
    )))
    .execute(&mut conn)
    .await
    .expect("drop the bench schema");
    let _ = conn.close().await;
}
