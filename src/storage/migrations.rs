//! The schema's migrations, one list per backend, compiled into the binary.
//!
//! Each migration is a file in `migrations/<backend>/NNNN_words.sql`, read with `include_str!`
//! and handed to sqlx's [`Migrator`] the way its `migrate!` macro would: the version is the
//! file's number, the description its words with `_` as spaces, the checksum sqlx's own (SHA-384
//! of the text), every migration run in a transaction. Listing them by hand keeps sqlx's
//! compile-time macros (and a second, host build of both database drivers) out of the build;
//! the test below holds this list to the files on disk, so a new file cannot be forgotten.

use sqlx::SqlStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use std::borrow::Cow;

/// One migration file: its version, its name without `.sql` and its SQL.
type Source = (i64, &'static str, &'static str);

/// Writes the `(version, name, SQL)` entry of migration file `<backend>/<name>.sql`.
macro_rules! migration {
    ($backend:literal, $version:literal, $name:literal) => {
        (
            $version,
            $name,
            include_str!(concat!("../../migrations/", $backend, "/", $name, ".sql")),
        )
    };
}

const SQLITE: &[Source] = &[
    migration!("sqlite", 1, "0001_init"),
    migration!("sqlite", 2, "0002_job_planned_at"),
    migration!("sqlite", 3, "0003_chat_refs"),
    migration!("sqlite", 4, "0004_points_reports"),
    migration!("sqlite", 5, "0005_interactions"),
    migration!("sqlite", 6, "0006_scale_indexes"),
    migration!("sqlite", 7, "0007_maintenance_windows"),
    migration!("sqlite", 9, "0009_case_types"),
    migration!("sqlite", 10, "0010_public_texts"),
    migration!("sqlite", 11, "0011_alert_receipts"),
    migration!("sqlite", 12, "0012_outage_index"),
    migration!("sqlite", 13, "0013_job_state_indexes"),
    migration!("sqlite", 14, "0014_agreement_touched_index"),
];

const POSTGRES: &[Source] = &[
    migration!("postgres", 1, "0001_init"),
    migration!("postgres", 2, "0002_job_planned_at"),
    migration!("postgres", 3, "0003_chat_refs"),
    migration!("postgres", 4, "0004_points_reports"),
    migration!("postgres", 5, "0005_interactions"),
    migration!("postgres", 6, "0006_scale_indexes"),
    migration!("postgres", 7, "0007_maintenance_windows"),
    migration!("postgres", 9, "0009_case_types"),
    migration!("postgres", 10, "0010_public_texts"),
    migration!("postgres", 11, "0011_alert_receipts"),
    migration!("postgres", 12, "0012_outage_index"),
    migration!("postgres", 13, "0013_job_state_indexes"),
    migration!("postgres", 14, "0014_agreement_touched_index"),
];

/// The migrator for SQLite databases.
pub(super) fn sqlite() -> Migrator {
    migrator(SQLITE)
}

/// The migrator for PostgreSQL databases.
pub(super) fn postgres() -> Migrator {
    migrator(POSTGRES)
}

fn migrator(sources: &[Source]) -> Migrator {
    Migrator::with_migrations(
        sources
            .iter()
            .map(|&(version, name, sql)| {
                let words = name.split_once('_').map_or(name, |(_, words)| words);
                Migration::new(
                    version,
                    Cow::Owned(words.replace('_', " ")),
                    MigrationType::Simple,
                    SqlStr::from_static(sql),
                    sql.starts_with("-- no-transaction"),
                )
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files in `migrations/<backend>`, as `(version, name)`.
    fn files(backend: &str) -> Vec<(i64, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(backend);
        let mut found: Vec<(i64, String)> = std::fs::read_dir(&dir)
            .expect("migrations folder")
            .map(|entry| entry.expect("folder entry").file_name())
            .map(|name| name.to_string_lossy().into_owned())
            .filter_map(|name| {
                let stem = name.strip_suffix(".sql")?;
                let (number, _) = stem.split_once('_')?;
                Some((number.parse().ok()?, stem.to_owned()))
            })
            .collect();
        found.sort();
        found
    }

    fn listed(sources: &[Source]) -> Vec<(i64, String)> {
        sources
            .iter()
            .map(|&(version, name, _)| (version, name.to_owned()))
            .collect()
    }

    #[test]
    fn every_migration_file_is_listed_in_order() {
        assert_eq!(listed(SQLITE), files("sqlite"));
        assert_eq!(listed(POSTGRES), files("postgres"));
    }

    #[test]
    fn migrations_read_as_sqlx_reads_their_files() {
        use sha2::{Digest, Sha384};
        for (backend, migrator) in [("sqlite", sqlite()), ("postgres", postgres())] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(backend);
            for migration in migrator.migrations.iter() {
                let words = migration.description.replace(' ', "_");
                let file = dir.join(format!("{:04}_{words}.sql", migration.version));
                let text = std::fs::read_to_string(&file).expect("migration file");
                assert_eq!(migration.sql.as_str(), text, "{}", file.display());
                assert_eq!(
                    migration.checksum.as_ref(),
                    &Sha384::digest(text.as_bytes())[..],
                    "{}",
                    file.display()
                );
                assert!(!migration.no_tx);
            }
        }
    }
}
