//! The embedded SQLite backend: one file (or memory), one connection.
//!
//! What is SQLite's own: opening the file (owner-only permissions, WAL, a busy timeout),
//! the migration files, statements on `rusqlite`, staging with prepared inserts, and the
//! merge of staged rows.

use std::path::Path;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, TransactionBehavior};

use crate::import::{INSERT_OBSERVATIONS, Staging, VintagePlan};
use crate::schema::{Migration, SchemaDialect, migrations};
use crate::sql::{Database, Param, Row, Sql, Transaction, Value, params};
use crate::{Backend, StagedRow, StoreError};

const MIGRATIONS: &[Migration] = migrations!("sqlite");

const SCHEMA: SchemaDialect = SchemaDialect {
    create_migrations_table: "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY NOT NULL,
             name       TEXT NOT NULL,
             applied_at TEXT NOT NULL
         )",
    migrations_table_exists: "SELECT count(*) FROM sqlite_master
         WHERE type = 'table' AND name = 'schema_migrations'",
    // BEGIN IMMEDIATE already serialises writers.
    lock: None,
    now: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    // A SQLite file has no roles: its file permissions are its access control.
    grants: None,
};

/// How long a statement waits for a lock before failing; readers never wait (WAL) and a
/// writer holds the write lock from the start of its transaction.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How often a writer tries again to start its transaction while another writer holds the
/// lock, and how long it waits in all before giving up with [`StoreError::Busy`].
const WRITE_RETRY: Duration = Duration::from_millis(100);
const WRITE_WAIT_MAX: Duration = Duration::from_hours(1);

/// Prepared statements kept per connection: every statement the store runs fits.
const STATEMENT_CACHE_CAPACITY: usize = 128;

/// An SQLite database.
pub(crate) struct SqliteDatabase {
    connection: Connection,
    on_wait: Option<crate::OnWait>,
}

impl SqliteDatabase {
    /// Opens (creating if needed) the database file, readable by its owner only, and its
    /// directory, and migrates it.
    pub(crate) fn open(
        path: &Path,
        on_wait: Option<crate::OnWait>,
    ) -> Result<SqliteDatabase, StoreError> {
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            create_private_directory(parent)?;
        }
        create_private_file(path)?;
        let connection = Connection::open(path)?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        // WAL lets readers work during a long import; NORMAL is durable across application
        // crashes, which is what an all-or-nothing import needs.
        connection.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")?;
        SqliteDatabase::prepare(connection, on_wait)
    }

    /// A private database that disappears when the store is dropped.
    pub(crate) fn open_in_memory() -> Result<SqliteDatabase, StoreError> {
        SqliteDatabase::prepare(Connection::open_in_memory()?, None)
    }

    fn prepare(
        connection: Connection,
        on_wait: Option<crate::OnWait>,
    ) -> Result<SqliteDatabase, StoreError> {
        // SQLite's 2 MB default page cache makes big imports thrash; 64 MB is enough for a
        // 10-million-row load and keeps memory bounded.
        connection.execute_batch("PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;")?;
        connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
        let mut database = SqliteDatabase {
            connection,
            on_wait,
        };
        crate::schema::migrate(&mut database, &SCHEMA, MIGRATIONS)?;
        Ok(database)
    }
}

/// Creates a directory (and its parents) readable by its owner only; a directory that
/// exists already keeps its permissions.
fn create_private_directory(path: &Path) -> Result<(), StoreError> {
    let error = |source| StoreError::Directory {
        path: path.display().to_string(),
        source,
    };
    if path.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path).map_err(error)
}

/// Creates the database file readable and writable by its owner only, unless it exists;
/// SQLite gives its WAL and shared-memory files the permissions of the database file.
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(StoreError::Directory {
            path: path.display().to_string(),
            source,
        }),
    }
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match *self {
            Param::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Param::Int(value) => ToSqlOutput::from(value),
            Param::Real(value) => ToSqlOutput::from(value),
            Param::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            Param::Bytes(bytes) => ToSqlOutput::Borrowed(ValueRef::Blob(bytes)),
            Param::Bool(value) => ToSqlOutput::from(value),
        })
    }
}

/// `$1` placeholders as SQLite numbers them (`?1`); SQLite reads `$1` as a named parameter
/// and numbers those in order of appearance, which would bind `$2 … $1` the wrong way.
fn placeholders(sql: &str) -> String {
    let mut rewritten = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut in_literal = false;
    while let Some(c) = chars.next() {
        match c {
            '\'' => in_literal = !in_literal,
            '$' if !in_literal && chars.peek().is_some_and(char::is_ascii_digit) => {
                rewritten.push('?');
                continue;
            }
            _ => {}
        }
        rewritten.push(c);
    }
    rewritten
}

fn read_row(row: &rusqlite::Row<'_>, n_columns: usize) -> Result<Row, StoreError> {
    let mut values = Vec::with_capacity(n_columns);
    for index in 0..n_columns {
        values.push(match row.get_ref(index)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(value) => Value::Int(value),
            ValueRef::Real(value) => Value::Real(value),
            ValueRef::Text(bytes) => Value::Text(
                std::str::from_utf8(bytes)
                    .map_err(|error| StoreError::Corrupt {
                        table: "query result",
                        reason: format!("column {index} is not UTF-8: {error}"),
                    })?
                    .to_owned(),
            ),
            ValueRef::Blob(bytes) => Value::Bytes(bytes.to_vec()),
        });
    }
    Ok(Row { values })
}

/// The statements of [`Sql`] on any SQLite connection (a transaction is one too).
fn execute(connection: &Connection, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
    let mut statement = connection.prepare_cached(&placeholders(sql))?;
    Ok(statement.execute(rusqlite::params_from_iter(params))? as u64)
}

fn query(connection: &Connection, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, StoreError> {
    let mut statement = connection.prepare_cached(&placeholders(sql))?;
    let n_columns = statement.column_count();
    let mut rows = statement.query(rusqlite::params_from_iter(params))?;
    let mut read = Vec::new();
    while let Some(row) = rows.next()? {
        read.push(read_row(row, n_columns)?);
    }
    Ok(read)
}

/// Implements [`Sql`] for a type holding an SQLite connection.
macro_rules! sqlite_sql {
    ($type:ty, $self:ident => $connection:expr) => {
        impl Sql for $type {
            fn execute(&mut $self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
                execute($connection, sql, params)
            }

            fn query(&mut $self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, StoreError> {
                query($connection, sql, params)
            }

            fn batch(&mut $self, sql: &str) -> Result<(), StoreError> {
                Ok($connection.execute_batch(sql)?)
            }
        }
    };
}

sqlite_sql!(SqliteDatabase, self => &self.connection);
sqlite_sql!(SqliteTransaction<'_>, self => &self.transaction);
sqlite_sql!(SqliteStaging<'_>, self => &self.transaction);

impl Database for SqliteDatabase {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn transaction(&mut self) -> Result<Box<dyn Transaction + '_>, StoreError> {
        let transaction = self.begin_write()?;
        Ok(Box::new(SqliteTransaction { transaction }))
    }

    fn begin_staging(&mut self) -> Result<Box<dyn Staging + '_>, StoreError> {
        let transaction = self.begin_write()?;
        transaction.execute_batch(
            "DROP TABLE IF EXISTS temp.staging;
             CREATE TEMP TABLE staging (
                 line       INTEGER NOT NULL,
                 series_id  TEXT NOT NULL,
                 period     TEXT NOT NULL,
                 period_end TEXT NOT NULL,
                 value      REAL NOT NULL,
                 status     TEXT NOT NULL,
                 vintage    TEXT
             );
             DROP TABLE IF EXISTS temp.revisions;
             CREATE TEMP TABLE revisions (
                 line          INTEGER NOT NULL,
                 series_id     TEXT NOT NULL,
                 period        TEXT NOT NULL,
                 period_end    TEXT NOT NULL,
                 vintage       TEXT NOT NULL,
                 value         REAL NOT NULL,
                 status        TEXT NOT NULL,
                 vintage_basis TEXT NOT NULL
             );",
        )?;
        Ok(Box::new(SqliteStaging { transaction }))
    }
}

impl SqliteDatabase {
    /// Starts a write transaction. IMMEDIATE takes the write lock now, so that what a
    /// transaction reads is what it writes over. While another writer holds the lock, this
    /// one waits its turn, telling `on_wait` how long it has waited.
    fn begin_write(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
        let started = std::time::Instant::now();
        self.connection.busy_timeout(WRITE_RETRY)?;
        let transaction = loop {
            match rusqlite::Transaction::new_unchecked(
                &self.connection,
                TransactionBehavior::Immediate,
            ) {
                Ok(transaction) => break transaction,
                Err(error) if is_busy(&error) && started.elapsed() < WRITE_WAIT_MAX => {
                    if let Some(on_wait) = &mut self.on_wait {
                        on_wait(started.elapsed());
                    }
                }
                Err(error) if is_busy(&error) => {
                    return Err(StoreError::Busy(started.elapsed()));
                }
                Err(error) => return Err(error.into()),
            }
        };
        transaction.busy_timeout(BUSY_TIMEOUT)?;
        Ok(transaction)
    }
}

fn is_busy(error: &rusqlite::Error) -> bool {
    error.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
}

struct SqliteTransaction<'c> {
    transaction: rusqlite::Transaction<'c>,
}

impl Transaction for SqliteTransaction<'_> {
    fn lock(&mut self, _: &str) -> Result<(), StoreError> {
        // An IMMEDIATE transaction is the only writer already.
        Ok(())
    }

    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        Ok(self.transaction.commit()?)
    }
}

/// An import in progress: the open transaction and the temp `staging` table.
struct SqliteStaging<'c> {
    transaction: rusqlite::Transaction<'c>,
}

impl Staging for SqliteStaging<'_> {
    fn stage(&mut self, row: &StagedRow<'_>) -> Result<(), StoreError> {
        let observation = row.observation;
        let period = observation.period.to_string();
        let period_end = observation.period.end_date().to_string();
        let vintage = observation.vintage.map(|vintage| vintage.to_string());
        // Written with SQLite's own placeholders: this runs once per staged row.
        let mut insert = self.transaction.prepare_cached(
            "INSERT INTO staging (line, series_id, period, period_end, value, status, vintage)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        insert.execute(rusqlite::params_from_iter(params![
            row.line,
            row.series.as_str(),
            period.as_str(),
            period_end.as_str(),
            observation.value,
            observation.status.as_str(),
            vintage.as_deref(),
        ]))?;
        Ok(())
    }

    fn staged(&mut self) -> Result<(), StoreError> {
        Ok(())
    }

    fn missing_vintage(&self) -> &'static str {
        "''"
    }

    fn revisions_without_vintage(&mut self, plan: &VintagePlan) -> Result<(), StoreError> {
        execute(
            &self.transaction,
            "INSERT INTO revisions
                 (line, series_id, period, period_end, vintage, value, status, vintage_basis)
             SELECT s.line, s.series_id, s.period, s.period_end, $1, s.value, s.status, $2
             FROM staging s
             JOIN observations c ON c.series_id = s.series_id AND c.period = s.period
             WHERE s.vintage IS NULL
               AND NOT EXISTS (SELECT 1 FROM observations n
                               WHERE n.series_id = c.series_id AND n.period = c.period
                                 AND n.vintage > c.vintage)
               AND (c.value <> s.value OR c.status <> s.status)",
            params![plan.cap.as_str(), plan.cap_basis],
        )?;
        Ok(())
    }

    fn insert_new_without_vintage(
        &mut self,
        import_id: i64,
        plan: &VintagePlan,
    ) -> Result<u64, StoreError> {
        // Day arithmetic on julianday() costs half of what a '+N days' modifier does, which
        // shows at millions of rows.
        execute(
            &self.transaction,
            &format!(
                "{INSERT_OBSERVATIONS}
                 SELECT series_id, period, period_end,
                        CASE WHEN lagged <= $2 THEN lagged ELSE $2 END,
                        value, status,
                        CASE WHEN lagged <= $2 THEN 'publication-lag' ELSE $3 END,
                        $1
                 FROM (SELECT s.series_id, s.period, s.period_end, s.value, s.status,
                              date(julianday(s.period_end) + se.publication_lag_days)
                                  AS lagged
                       FROM staging s JOIN series se ON se.id = s.series_id
                       WHERE s.vintage IS NULL
                         AND NOT EXISTS (SELECT 1 FROM observations o
                                         WHERE o.series_id = s.series_id
                                           AND o.period = s.period))"
            ),
            params![import_id, plan.cap.as_str(), plan.cap_basis],
        )
    }

    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        // The next import on this connection creates its own staging tables.
        self.transaction
            .execute_batch("DROP TABLE temp.staging; DROP TABLE temp.revisions;")?;
        self.transaction.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_are_numbered_outside_literals() {
        assert_eq!(
            placeholders("SELECT $2, '$1', $10 FROM t WHERE a = $1"),
            "SELECT ?2, '$1', ?10 FROM t WHERE a = ?1"
        );
    }
}
