//! The PostgreSQL backend, over the synchronous `postgres` client without TLS.
//!
//! What is PostgreSQL's own: the migration files, parameters converted to the type the
//! server infers for each placeholder (an ISO date for a `date`, an `i64` for an
//! `integer`), rows read whatever their column types, staging through `COPY`, and the merge
//! of staged rows.

use std::collections::HashMap;
use std::error::Error;
use std::io::Write;

use bytes::BytesMut;
use domain::Date;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, GenericClient, NoTls, Statement};

use crate::import::{INSERT_OBSERVATIONS, Staging, VintagePlan};
use crate::schema::{Migration, SchemaDialect, migrations};
use crate::sql::{Database, Param, Row, Sql, Transaction, Value, params};
use crate::{Backend, StagedRow, StoreError};

const MIGRATIONS: &[Migration] = migrations!("postgres");

const SCHEMA: SchemaDialect = SchemaDialect {
    create_migrations_table: "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    bigint PRIMARY KEY,
             name       text NOT NULL,
             applied_at timestamptz NOT NULL
         )",
    migrations_table_exists: "SELECT count(*) FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_name = 'schema_migrations'",
    lock: Some("SELECT pg_advisory_xact_lock($1)"),
    now: "now()",
    grants: Some(include_str!("../migrations/postgres/grants.sql")),
};

/// Staged rows are sent to the server in COPY batches of this many rows, which bounds the
/// memory an import holds on the client.
const COPY_BATCH_ROWS: usize = 50_000;

/// Statements prepared on a connection, by their text, so that a statement run once per
/// row is parsed and planned once.
type Statements = HashMap<String, Statement>;

/// A PostgreSQL database.
pub(crate) struct PostgresDatabase {
    client: Client,
    statements: Statements,
}

impl PostgresDatabase {
    /// Connects to `url` (`postgres://user@host:port/database`) and migrates the database.
    pub(crate) fn connect(url: &str) -> Result<PostgresDatabase, StoreError> {
        let mut database = PostgresDatabase {
            client: Client::connect(url, NoTls)?,
            statements: Statements::new(),
        };
        crate::schema::migrate(&mut database, &SCHEMA, MIGRATIONS)?;
        Ok(database)
    }
}

/// Days from PostgreSQL's epoch, as its binary `date` format counts them.
const EPOCH: Date = Date::constant(2000, 1, 1);

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match *self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(value) => match *ty {
                Type::INT2 => i16::try_from(value)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(value)?.to_sql(ty, out),
                Type::FLOAT8 => (value as f64).to_sql(ty, out),
                _ => value.to_sql(ty, out),
            },
            Param::Real(value) => value.to_sql(ty, out),
            Param::Text(text) if *ty == Type::DATE => {
                let days = domain::parse_date(text)?.since(EPOCH)?.get_days();
                days.to_sql(&Type::INT4, out)?;
                Ok(IsNull::No)
            }
            Param::Text(text) => text.to_sql(ty, out),
            Param::Bytes(bytes) => bytes.to_sql(ty, out),
            Param::Bool(value) => value.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        // Checked by the conversions above, which name the type they cannot write.
        true
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for Value {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Value, Box<dyn Error + Sync + Send>> {
        Ok(match *ty {
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::BYTEA => Value::Bytes(<Vec<u8>>::from_sql(ty, raw)?),
            Type::DATE => {
                let days = i32::from_sql(&Type::INT4, raw)?;
                Value::Text(
                    EPOCH
                        .checked_add(jiff::Span::new().try_days(days)?)?
                        .to_string(),
                )
            }
            _ if <String as FromSql>::accepts(ty) => Value::Text(String::from_sql(ty, raw)?),
            _ => return Err(format!("lmo does not read columns of type {ty}").into()),
        })
    }

    fn from_sql_null(_: &Type) -> Result<Value, Box<dyn Error + Sync + Send>> {
        Ok(Value::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

fn prepared(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    sql: &str,
) -> Result<Statement, StoreError> {
    if let Some(statement) = statements.get(sql) {
        return Ok(statement.clone());
    }
    let statement = client.prepare(sql)?;
    statements.insert(sql.to_owned(), statement.clone());
    Ok(statement)
}

fn bind<'a>(params: &'a [Param<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    params
        .iter()
        .map(|param| param as &(dyn ToSql + Sync))
        .collect()
}

/// The statements of [`Sql`] on any PostgreSQL client (a transaction is one too).
fn execute(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    sql: &str,
    params: &[Param<'_>],
) -> Result<u64, StoreError> {
    let statement = prepared(client, statements, sql)?;
    Ok(client.execute(&statement, &bind(params))?)
}

fn query(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    sql: &str,
    params: &[Param<'_>],
) -> Result<Vec<Row>, StoreError> {
    let statement = prepared(client, statements, sql)?;
    client
        .query(&statement, &bind(params))?
        .iter()
        .map(|row| {
            let values = (0..row.len())
                .map(|index| row.try_get::<_, Value>(index))
                .collect::<Result<_, _>>()?;
            Ok(Row { values })
        })
        .collect()
}

/// Implements [`Sql`] for a type holding a PostgreSQL client and its prepared statements.
macro_rules! postgres_sql {
    ($type:ty, $self:ident => $client:expr, $statements:expr) => {
        impl Sql for $type {
            fn execute(&mut $self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
                execute($client, $statements, sql, params)
            }

            fn query(&mut $self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, StoreError> {
                query($client, $statements, sql, params)
            }

            fn batch(&mut $self, sql: &str) -> Result<(), StoreError> {
                Ok($client.batch_execute(sql)?)
            }
        }
    };
}

postgres_sql!(PostgresDatabase, self => &mut self.client, &mut self.statements);
postgres_sql!(PostgresTransaction<'_>, self => &mut self.transaction, &mut *self.statements);
// Statements of an import are not kept: they name its own temp table.
postgres_sql!(PostgresStaging<'_>, self => &mut self.transaction, &mut Statements::new());

impl Database for PostgresDatabase {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn transaction(&mut self) -> Result<Box<dyn Transaction + '_>, StoreError> {
        Ok(Box::new(PostgresTransaction {
            transaction: self.client.transaction()?,
            statements: &mut self.statements,
        }))
    }

    fn begin_staging(&mut self) -> Result<Box<dyn Staging + '_>, StoreError> {
        let mut transaction = self.client.transaction()?;
        // Private to this connection and gone at commit or rollback; the "C" collation
        // matches the observations columns it is compared with.
        transaction.batch_execute(
            "CREATE TEMP TABLE staging (
                 line       bigint NOT NULL,
                 series_id  text COLLATE \"C\" NOT NULL,
                 period     text COLLATE \"C\" NOT NULL,
                 period_end date NOT NULL,
                 value      double precision NOT NULL,
                 status     text NOT NULL,
                 vintage    date
             ) ON COMMIT DROP;
             CREATE TEMP TABLE revisions (
                 line          bigint NOT NULL,
                 series_id     text COLLATE \"C\" NOT NULL,
                 period        text COLLATE \"C\" NOT NULL,
                 period_end    date NOT NULL,
                 vintage       date NOT NULL,
                 value         double precision NOT NULL,
                 status        text NOT NULL,
                 vintage_basis text NOT NULL
             ) ON COMMIT DROP",
        )?;
        Ok(Box::new(PostgresStaging {
            transaction,
            buffer: Vec::new(),
            buffered_rows: 0,
            scratch: String::new(),
        }))
    }
}

struct PostgresTransaction<'c> {
    transaction: postgres::Transaction<'c>,
    statements: &'c mut Statements,
}

impl Transaction for PostgresTransaction<'_> {
    fn lock(&mut self, name: &str) -> Result<(), StoreError> {
        self.execute("SELECT pg_advisory_xact_lock(hashtext($1))", params![name])?;
        Ok(())
    }

    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        Ok(self.transaction.commit()?)
    }
}

/// An import in progress: the open transaction, the temp `staging` table and the rows not
/// yet copied into it.
struct PostgresStaging<'c> {
    transaction: postgres::Transaction<'c>,
    /// Rows in COPY text format.
    buffer: Vec<u8>,
    buffered_rows: usize,
    /// Reused to format numbers and dates without an allocation per field.
    scratch: String,
}

impl PostgresStaging<'_> {
    fn flush(&mut self) -> Result<(), StoreError> {
        if self.buffered_rows == 0 {
            return Ok(());
        }
        let mut writer = self.transaction.copy_in(
            "COPY staging (line, series_id, period, period_end, value, status, vintage) \
             FROM STDIN",
        )?;
        writer.write_all(&self.buffer).map_err(copy_error)?;
        writer.finish()?;
        self.buffer.clear();
        self.buffered_rows = 0;
        Ok(())
    }

    /// Appends one field in COPY text format, escaping what the format gives a meaning to.
    fn push_field(&mut self, value: impl std::fmt::Display) {
        use std::fmt::Write as _;
        self.scratch.clear();
        write!(self.scratch, "{value}").expect("formatting into a String does not fail");
        for byte in self.scratch.bytes() {
            match byte {
                b'\\' => self.buffer.extend_from_slice(b"\\\\"),
                b'\t' => self.buffer.extend_from_slice(b"\\t"),
                b'\n' => self.buffer.extend_from_slice(b"\\n"),
                b'\r' => self.buffer.extend_from_slice(b"\\r"),
                _ => self.buffer.push(byte),
            }
        }
    }
}

/// The COPY writer reports server errors as I/O errors wrapping the client's error.
fn copy_error(error: std::io::Error) -> StoreError {
    match error.downcast::<postgres::Error>() {
        Ok(error) => StoreError::from(error),
        Err(error) => StoreError::Corrupt {
            table: "staging",
            reason: format!("copying staged rows failed: {error}"),
        },
    }
}

impl Staging for PostgresStaging<'_> {
    fn stage(&mut self, row: &StagedRow<'_>) -> Result<(), StoreError> {
        let observation = row.observation;
        self.push_field(row.line);
        self.buffer.push(b'\t');
        self.push_field(row.series);
        self.buffer.push(b'\t');
        self.push_field(observation.period);
        self.buffer.push(b'\t');
        self.push_field(observation.period.end_date());
        self.buffer.push(b'\t');
        self.push_field(observation.value);
        self.buffer.push(b'\t');
        self.push_field(observation.status.as_str());
        self.buffer.push(b'\t');
        match observation.vintage {
            Some(vintage) => self.push_field(vintage),
            None => self.buffer.extend_from_slice(b"\\N"),
        }
        self.buffer.push(b'\n');
        self.buffered_rows += 1;
        if self.buffered_rows >= COPY_BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn staged(&mut self) -> Result<(), StoreError> {
        self.flush()?;
        // Autovacuum never analyses temp tables, nor sees series this transaction added;
        // with stale statistics the planner has been seen to join millions of staged rows
        // to `series` by scanning it once per row. More memory keeps the sorts and hashes
        // of the checks and the merge off disk.
        self.transaction
            .batch_execute("ANALYZE staging, series; SET LOCAL work_mem = '64MB'")?;
        Ok(())
    }

    fn missing_vintage(&self) -> &'static str {
        "'-infinity'::date"
    }

    fn revisions_without_vintage(&mut self, plan: &VintagePlan) -> Result<(), StoreError> {
        // LATERAL looks up the latest vintage of each staged period; a join on "no later
        // vintage" lets the planner compute the latest vintage of the whole table, however
        // small the import.
        self.execute(
            "INSERT INTO revisions
                 (line, series_id, period, period_end, vintage, value, status, vintage_basis)
             SELECT s.line, s.series_id, s.period, s.period_end, $1::date, s.value, s.status,
                    $2::text
             FROM staging s
             CROSS JOIN LATERAL (
                 SELECT o.value, o.status FROM observations o
                 WHERE o.series_id = s.series_id AND o.period = s.period
                 ORDER BY o.vintage DESC LIMIT 1) AS c
             WHERE s.vintage IS NULL
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
        self.execute(
            &format!(
                "{INSERT_OBSERVATIONS}
                 SELECT s.series_id, s.period, s.period_end,
                        LEAST(s.period_end + se.publication_lag_days, $2::date),
                        s.value, s.status,
                        CASE WHEN s.period_end + se.publication_lag_days <= $2::date
                             THEN 'publication-lag' ELSE $3::text END,
                        $1::bigint
                 FROM staging s JOIN series se ON se.id = s.series_id
                 WHERE s.vintage IS NULL
                   AND NOT EXISTS (SELECT 1 FROM observations o
                                   WHERE o.series_id = s.series_id AND o.period = s.period)"
            ),
            params![import_id, plan.cap.as_str(), plan.cap_basis],
        )
    }

    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        Ok(self.transaction.commit()?)
    }
}
