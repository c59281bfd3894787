//! Forward-only migrations, applied once each and recorded in `schema_migrations`.
//!
//! Opening a store whose schema is current only reads: no write lock is taken, so opening
//! never waits for (or blocks) an import in another process.

use crate::StoreError;
use crate::sql::{Database, params, query_one};

/// The migrations of a backend, from the files in `migrations/<backend>/`: each backend
/// has its own SQL for the same versions.
macro_rules! migrations {
    ($backend:literal) => {
        &[
            $crate::schema::Migration {
                version: 1,
                name: "init",
                sql: include_str!(concat!("../migrations/", $backend, "/0001_init.sql")),
            },
            $crate::schema::Migration {
                version: 2,
                name: "alert_audit",
                sql: include_str!(concat!("../migrations/", $backend, "/0002_alert_audit.sql")),
            },
            $crate::schema::Migration {
                version: 3,
                name: "cases",
                sql: include_str!(concat!("../migrations/", $backend, "/0003_cases.sql")),
            },
            $crate::schema::Migration {
                version: 4,
                name: "stl_cache",
                sql: include_str!(concat!("../migrations/", $backend, "/0004_stl_cache.sql")),
            },
            $crate::schema::Migration {
                version: 5,
                name: "user_events",
                sql: include_str!(concat!("../migrations/", $backend, "/0005_user_events.sql")),
            },
            $crate::schema::Migration {
                version: 6,
                name: "arrears_saves",
                sql: include_str!(concat!(
                    "../migrations/",
                    $backend,
                    "/0006_arrears_saves.sql"
                )),
            },
            $crate::schema::Migration {
                version: 7,
                name: "observation_corrections",
                sql: include_str!(concat!(
                    "../migrations/",
                    $backend,
                    "/0007_observation_corrections.sql"
                )),
            },
            $crate::schema::Migration {
                version: 8,
                name: "case_work",
                sql: include_str!(concat!("../migrations/", $backend, "/0008_case_work.sql")),
            },
            $crate::schema::Migration {
                version: 9,
                name: "access_roles",
                sql: include_str!(concat!(
                    "../migrations/",
                    $backend,
                    "/0009_access_roles.sql"
                )),
            },
            $crate::schema::Migration {
                version: 10,
                name: "credentials",
                sql: include_str!(concat!("../migrations/", $backend, "/0010_credentials.sql")),
            },
            $crate::schema::Migration {
                version: 11,
                name: "report_archive",
                sql: include_str!(concat!(
                    "../migrations/",
                    $backend,
                    "/0011_report_archive.sql"
                )),
            },
            $crate::schema::Migration {
                version: 12,
                name: "notifications",
                sql: include_str!(concat!(
                    "../migrations/",
                    $backend,
                    "/0012_notifications.sql"
                )),
            },
        ]
    };
}
pub(crate) use migrations;

/// One forward-only schema change.
pub(crate) struct Migration {
    pub(crate) version: i64,
    pub(crate) name: &'static str,
    pub(crate) sql: &'static str,
}

/// The statements of migrating that differ between the backends.
pub(crate) struct SchemaDialect {
    pub(crate) create_migrations_table: &'static str,
    /// One row, one column: 1 when `schema_migrations` exists, else 0.
    pub(crate) migrations_table_exists: &'static str,
    /// Taken inside the migrating transaction, with the lock id as `$1`, where starting a
    /// transaction does not already serialise migrations.
    pub(crate) lock: Option<&'static str>,
    /// The current time, as an SQL expression.
    pub(crate) now: &'static str,
    /// Run after the migrations, in their transaction: the database's own grants, which
    /// every table a migration adds needs.
    pub(crate) grants: Option<&'static str>,
}

/// Serialises migrations of one database across processes (`lmo_migr` in ASCII).
const MIGRATION_LOCK: i64 = 0x6c6d_6f5f_6d69_6772;

/// The latest version applied, 0 for a new database.
fn applied_version(
    sql: &mut (impl crate::sql::Sql + ?Sized),
    dialect: &SchemaDialect,
) -> Result<i64, StoreError> {
    if query_one(sql, dialect.migrations_table_exists, &[])?.int(0)? == 0 {
        return Ok(0);
    }
    query_one(
        sql,
        "SELECT coalesce(max(version), 0) FROM schema_migrations",
        &[],
    )?
    .int(0)
}

/// Fails when the database was migrated by a newer lmo: running old code on it could
/// misread or damage data.
fn check_schema_version(found: i64, migrations: &[Migration]) -> Result<(), StoreError> {
    let supported = migrations.last().map_or(0, |migration| migration.version);
    if found > supported {
        return Err(StoreError::SchemaTooNew { found, supported });
    }
    Ok(())
}

/// Applies the migrations the database has not seen, in one transaction.
pub(crate) fn migrate(
    database: &mut dyn Database,
    dialect: &SchemaDialect,
    migrations: &[Migration],
) -> Result<(), StoreError> {
    let latest = migrations.last().map_or(0, |migration| migration.version);
    let found = applied_version(database, dialect)?;
    check_schema_version(found, migrations)?;
    if found == latest {
        return Ok(());
    }
    let mut transaction = database.transaction()?;
    if let Some(lock) = dialect.lock {
        transaction.execute(lock, params![MIGRATION_LOCK])?;
    }
    transaction.batch(dialect.create_migrations_table)?;
    // Another process may have migrated between the check and the lock.
    let found = applied_version(&mut *transaction, dialect)?;
    check_schema_version(found, migrations)?;
    for migration in migrations
        .iter()
        .filter(|migration| migration.version > found)
    {
        transaction.batch(migration.sql)?;
        transaction.execute(
            &format!(
                "INSERT INTO schema_migrations (version, name, applied_at)
                 VALUES ($1, $2, {})",
                dialect.now
            ),
            params![migration.version, migration.name],
        )?;
    }
    if let Some(grants) = dialect.grants {
        transaction.batch(grants)?;
    }
    transaction.commit()
}
