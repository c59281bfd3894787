//! The PostgreSQL backend, over the synchronous `postgres` client without TLS.
//!
//! Dates cross the wire as `YYYY-MM-DD` text (`$n::text::date` in, `to_char` out), so the
//! client needs no date type support and the server's `DateStyle` does not matter.

use std::collections::HashMap;
use std::io::Write;

use domain::{Date, Period, SeriesId, SeriesMeta};
use postgres::{Client, NoTls, Row, Transaction};

use crate::common::{
    self, MergeCounts, Migration, ObservationRow, SeriesColumns, SeriesRow, StagedKey, Staging,
    VintagePlan,
};
use crate::postgres_cases;
use crate::{
    AlertAcknowledgement, AlertMute, ArrearsBatch, ArrearsSaved, Backend, Case, CaseEvent,
    CaseFilter, CaseOpened, CaseTransition, EmployerRecord, FinishOptions, ImportInfo,
    ImportOutcome, ImportRecord, ImportSession, MetadataAuthority, NewCase, RoleChange,
    SeriesFilter, SeriesSummary, StagedRow, Store, StoreError, StoredArrearsResult,
    StoredObservation, User, UserEvent,
};

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "alert_audit",
        sql: include_str!("../migrations/postgres/0002_alert_audit.sql"),
    },
    Migration {
        version: 3,
        name: "cases",
        sql: include_str!("../migrations/postgres/0003_cases.sql"),
    },
    Migration {
        version: 4,
        name: "stl_cache",
        sql: include_str!("../migrations/postgres/0004_stl_cache.sql"),
    },
    Migration {
        version: 5,
        name: "user_events",
        sql: include_str!("../migrations/postgres/0005_user_events.sql"),
    },
];

/// Serialises migrations of one database across processes (`lmo_migr` in ASCII).
const MIGRATION_LOCK: i64 = 0x6c6d_6f5f_6d69_6772;

/// Staged rows are sent to the server in COPY batches of this many rows, which bounds the
/// memory an import holds on the client.
const COPY_BATCH_ROWS: usize = 50_000;

/// A store in a PostgreSQL database.
pub struct PostgresStore {
    client: Client,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user@host:port/database`) and migrates the database.
    pub fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let mut client = Client::connect(url, NoTls)?;
        migrate(&mut client)?;
        Ok(PostgresStore { client })
    }
}

fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let mut transaction = client.transaction()?;
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    transaction.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    bigint PRIMARY KEY,
             name       text NOT NULL,
             applied_at timestamptz NOT NULL
         )",
    )?;
    let found: i64 = transaction
        .query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM schema_migrations",
            &[],
        )?
        .try_get(0)?;
    common::check_schema_version(found, MIGRATIONS)?;
    for migration in MIGRATIONS
        .iter()
        .filter(|migration| migration.version > found)
    {
        transaction.batch_execute(migration.sql)?;
        transaction.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())",
            &[&migration.version, &migration.name],
        )?;
    }
    transaction.commit()?;
    Ok(())
}

const SERIES_COLUMNS: &str = "s.id, s.title_en, s.title_zh, s.unit, s.frequency, \
     s.seasonal_adjustment, s.source, s.industry, s.occupation, s.direction, \
     s.publication_lag_days";

fn series_row(row: &Row) -> Result<SeriesRow, postgres::Error> {
    Ok(SeriesRow {
        id: row.try_get(0)?,
        title_en: row.try_get(1)?,
        title_zh: row.try_get(2)?,
        unit: row.try_get(3)?,
        frequency: row.try_get(4)?,
        seasonal_adjustment: row.try_get(5)?,
        source: row.try_get(6)?,
        industry: row.try_get(7)?,
        occupation: row.try_get(8)?,
        direction: row.try_get(9)?,
        publication_lag_days: i64::from(row.try_get::<_, i32>(10)?),
    })
}

const OBSERVATION_COLUMNS: &str = "o.period, o.value, o.status, \
     to_char(o.vintage, 'YYYY-MM-DD'), o.vintage_basis, o.import_id";

fn observation_row(row: &Row) -> Result<StoredObservation, StoreError> {
    ObservationRow {
        period: row.try_get(0)?,
        value: row.try_get(1)?,
        status: row.try_get(2)?,
        vintage: row.try_get(3)?,
        vintage_basis: row.try_get(4)?,
        import_id: row.try_get(5)?,
    }
    .decode()
}

/// A row count stored as `bigint`.
fn count(row: &Row, index: usize, table: &'static str) -> Result<u64, StoreError> {
    let value: i64 = row.try_get(index)?;
    u64::try_from(value).map_err(|_| StoreError::Corrupt {
        table,
        reason: format!("negative count {value}"),
    })
}

fn decode_period(text: Option<String>) -> Result<Option<Period>, StoreError> {
    text.map(|text| common::decode_period("observations", &text))
        .transpose()
}

impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn begin_import(
        &mut self,
        import: &ImportInfo,
    ) -> Result<Box<dyn ImportSession + '_>, StoreError> {
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
             ) ON COMMIT DROP",
        )?;
        Ok(Box::new(PostgresImport {
            transaction,
            info: import.clone(),
            buffer: Vec::new(),
            buffered_rows: 0,
            scratch: String::new(),
            rows_staged: 0,
            series_created: 0,
        }))
    }

    fn list_series(&mut self, filter: &SeriesFilter) -> Result<Vec<SeriesSummary>, StoreError> {
        let mut tags: HashMap<String, Vec<String>> = HashMap::new();
        for row in self.client.query(
            "SELECT series_id, tag FROM series_tags ORDER BY series_id, tag",
            &[],
        )? {
            tags.entry(row.try_get(0)?)
                .or_default()
                .push(row.try_get(1)?);
        }
        let rows = self.client.query(
            &format!(
                "SELECT {SERIES_COLUMNS},
                     (SELECT count(DISTINCT o.period) FROM observations o
                      WHERE o.series_id = s.id),
                     (SELECT o.period FROM observations o WHERE o.series_id = s.id
                      ORDER BY o.period_end, o.period LIMIT 1),
                     (SELECT o.period FROM observations o WHERE o.series_id = s.id
                      ORDER BY o.period_end DESC, o.period DESC LIMIT 1)
                 FROM series s
                 WHERE ($1::text IS NULL OR starts_with(s.id, $1::text))
                   AND ($2::text IS NULL OR EXISTS (
                       SELECT 1 FROM series_tags t WHERE t.series_id = s.id AND t.tag = $2::text))
                 ORDER BY s.id"
            ),
            &[&filter.id_prefix, &filter.tag],
        )?;
        let mut summaries = Vec::with_capacity(rows.len());
        for row in rows {
            let series = series_row(&row)?;
            let series_tags = tags.remove(&series.id).unwrap_or_default();
            summaries.push(SeriesSummary {
                meta: series.decode(&series_tags)?,
                n_observations: count(&row, 11, "observations")?,
                first_period: decode_period(row.try_get(12)?)?,
                last_period: decode_period(row.try_get(13)?)?,
            });
        }
        Ok(summaries)
    }

    fn series(&mut self, id: &SeriesId) -> Result<Option<SeriesMeta>, StoreError> {
        let Some(row) = self.client.query_opt(
            &format!("SELECT {SERIES_COLUMNS} FROM series s WHERE s.id = $1"),
            &[&id.as_str()],
        )?
        else {
            return Ok(None);
        };
        let tags = self
            .client
            .query(
                "SELECT tag FROM series_tags WHERE series_id = $1 ORDER BY tag",
                &[&id.as_str()],
            )?
            .iter()
            .map(|row| row.try_get(0))
            .collect::<Result<Vec<String>, _>>()?;
        Ok(Some(series_row(&row)?.decode(&tags)?))
    }

    fn observations(
        &mut self,
        id: &SeriesId,
        as_of: Option<Date>,
    ) -> Result<Vec<StoredObservation>, StoreError> {
        let as_of = as_of.map(|date| date.to_string());
        self.client
            .query(
                &format!(
                    "SELECT {OBSERVATION_COLUMNS} FROM observations o
                     WHERE o.series_id = $1
                       AND ($2::text IS NULL OR o.vintage <= $2::text::date)
                       AND NOT EXISTS (
                           SELECT 1 FROM observations n
                           WHERE n.series_id = o.series_id AND n.period = o.period
                             AND n.vintage > o.vintage
                             AND ($2::text IS NULL OR n.vintage <= $2::text::date))
                     ORDER BY o.period_end, o.period"
                ),
                &[&id.as_str(), &as_of],
            )?
            .iter()
            .map(observation_row)
            .collect()
    }

    fn history(&mut self, id: &SeriesId) -> Result<Vec<StoredObservation>, StoreError> {
        self.client
            .query(
                &format!(
                    "SELECT {OBSERVATION_COLUMNS} FROM observations o
                     WHERE o.series_id = $1
                     ORDER BY o.period_end, o.period, o.vintage"
                ),
                &[&id.as_str()],
            )?
            .iter()
            .map(observation_row)
            .collect()
    }

    fn vintages(
        &mut self,
        id: &SeriesId,
        period: Period,
    ) -> Result<Vec<StoredObservation>, StoreError> {
        self.client
            .query(
                &format!(
                    "SELECT {OBSERVATION_COLUMNS} FROM observations o
                     WHERE o.series_id = $1 AND o.period = $2
                     ORDER BY o.vintage"
                ),
                &[&id.as_str(), &period.to_string()],
            )?
            .iter()
            .map(observation_row)
            .collect()
    }

    fn imports(&mut self) -> Result<Vec<ImportRecord>, StoreError> {
        const TABLE: &str = "imports";
        self.client
            .query(
                "SELECT id, file_name, format, imported_at, rows_new, rows_revised,
                        rows_unchanged, rows_rejected
                 FROM imports ORDER BY id DESC",
                &[],
            )?
            .iter()
            .map(|row| {
                Ok(ImportRecord {
                    id: row.try_get(0)?,
                    file_name: row.try_get(1)?,
                    format: row.try_get(2)?,
                    imported_at: row.try_get(3)?,
                    rows_new: count(row, 4, TABLE)?,
                    rows_revised: count(row, 5, TABLE)?,
                    rows_unchanged: count(row, 6, TABLE)?,
                    rows_rejected: count(row, 7, TABLE)?,
                })
            })
            .collect()
    }

    fn add_acknowledgement(&mut self, ack: &AlertAcknowledgement) -> Result<i64, StoreError> {
        common::require_user_and_reason("an acknowledgement", &ack.user_name, &ack.reason)?;
        let row = self.client.query_one(
            "INSERT INTO alert_acknowledgements (rule_id, subject, opened_period, level,
                                                 user_name, reason, acknowledged_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             RETURNING id",
            &[
                &ack.rule_id,
                &ack.subject,
                &ack.opened_period,
                &ack.level,
                &ack.user_name,
                &ack.reason,
                &ack.at,
            ],
        )?;
        Ok(row.try_get(0)?)
    }

    fn acknowledgements(&mut self) -> Result<Vec<(i64, AlertAcknowledgement)>, StoreError> {
        self.client
            .query(
                "SELECT id, rule_id, subject, opened_period, level, user_name, reason,
                        acknowledged_at
                 FROM alert_acknowledgements ORDER BY id",
                &[],
            )?
            .iter()
            .map(|row| {
                Ok((
                    row.try_get(0)?,
                    AlertAcknowledgement {
                        rule_id: row.try_get(1)?,
                        subject: row.try_get(2)?,
                        opened_period: row.try_get(3)?,
                        level: row.try_get(4)?,
                        user_name: row.try_get(5)?,
                        reason: row.try_get(6)?,
                        at: row.try_get(7)?,
                    },
                ))
            })
            .collect()
    }

    fn add_mute(&mut self, mute: &AlertMute) -> Result<i64, StoreError> {
        common::require_user_and_reason("a mute", &mute.user_name, &mute.reason)?;
        let row = self.client.query_one(
            "INSERT INTO alert_mutes (rule_id, subject, until_period, user_name, reason,
                                      muted_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING id",
            &[
                &mute.rule_id,
                &mute.subject,
                &mute.until_period,
                &mute.user_name,
                &mute.reason,
                &mute.at,
            ],
        )?;
        Ok(row.try_get(0)?)
    }

    fn mutes(&mut self) -> Result<Vec<(i64, AlertMute)>, StoreError> {
        self.client
            .query(
                "SELECT id, rule_id, subject, until_period, user_name, reason, muted_at
                 FROM alert_mutes ORDER BY id",
                &[],
            )?
            .iter()
            .map(|row| {
                Ok((
                    row.try_get(0)?,
                    AlertMute {
                        rule_id: row.try_get(1)?,
                        subject: row.try_get(2)?,
                        until_period: row.try_get(3)?,
                        user_name: row.try_get(4)?,
                        reason: row.try_get(5)?,
                        at: row.try_get(6)?,
                    },
                ))
            })
            .collect()
    }

    fn stl_cache(&mut self) -> Result<Vec<(String, Vec<f64>)>, StoreError> {
        self.client
            .query(
                "SELECT fingerprint, adjusted FROM stl_cache ORDER BY fingerprint",
                &[],
            )?
            .iter()
            .map(|row| {
                let bytes: Vec<u8> = row.try_get(1)?;
                Ok((row.try_get(0)?, common::decode_values("stl_cache", &bytes)?))
            })
            .collect()
    }

    fn replace_stl_cache(&mut self, entries: &[(String, Vec<f64>)]) -> Result<(), StoreError> {
        let mut transaction = self.client.transaction()?;
        transaction.execute("DELETE FROM stl_cache", &[])?;
        let insert =
            transaction.prepare("INSERT INTO stl_cache (fingerprint, adjusted) VALUES ($1, $2)")?;
        for (fingerprint, adjusted) in entries {
            transaction.execute(&insert, &[fingerprint, &common::encode_values(adjusted)])?;
        }
        transaction.commit()?;
        Ok(())
    }

    fn add_user(&mut self, user: &User, by: Option<&str>) -> Result<(), StoreError> {
        postgres_cases::add_user(&mut self.client, user, by)
    }

    fn change_role(&mut self, change: &RoleChange) -> Result<User, StoreError> {
        postgres_cases::change_role(&mut self.client, change)
    }

    fn user_events(&mut self) -> Result<Vec<UserEvent>, StoreError> {
        postgres_cases::user_events(&mut self.client)
    }

    fn users(&mut self) -> Result<Vec<User>, StoreError> {
        postgres_cases::users(&mut self.client)
    }

    fn require_case_access(&mut self, user_name: &str) -> Result<(), StoreError> {
        postgres_cases::require_access(&mut self.client, user_name)
    }

    fn save_arrears(&mut self, batch: &ArrearsBatch) -> Result<ArrearsSaved, StoreError> {
        postgres_cases::save_arrears(&mut self.client, batch)
    }

    fn arrears_results(&mut self, period: &str) -> Result<Vec<StoredArrearsResult>, StoreError> {
        postgres_cases::arrears_results(&mut self.client, period)
    }

    fn employer(&mut self, employer_id: &str) -> Result<Option<EmployerRecord>, StoreError> {
        postgres_cases::employer(&mut self.client, employer_id)
    }

    fn open_case(&mut self, case: &NewCase) -> Result<CaseOpened, StoreError> {
        postgres_cases::open_case(&mut self.client, case)
    }

    fn case_transition(&mut self, transition: &CaseTransition) -> Result<Case, StoreError> {
        postgres_cases::case_transition(&mut self.client, transition)
    }

    fn cases(&mut self, user_name: &str, filter: &CaseFilter) -> Result<Vec<Case>, StoreError> {
        postgres_cases::list_cases(&mut self.client, user_name, filter)
    }

    fn case(&mut self, user_name: &str, case_id: i64) -> Result<Case, StoreError> {
        postgres_cases::case(&mut self.client, user_name, case_id)
    }

    fn case_events(&mut self, user_name: &str, case_id: i64) -> Result<Vec<CaseEvent>, StoreError> {
        postgres_cases::case_events(&mut self.client, user_name, case_id)
    }
}

/// An import in progress: the open transaction, the temp `staging` table and the rows not
/// yet copied into it.
struct PostgresImport<'c> {
    transaction: Transaction<'c>,
    info: ImportInfo,
    /// Rows in COPY text format.
    buffer: Vec<u8>,
    buffered_rows: usize,
    /// Reused to format numbers and dates without an allocation per field.
    scratch: String,
    rows_staged: u64,
    series_created: u64,
}

impl PostgresImport<'_> {
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
        Ok(error) => StoreError::Postgres(error),
        Err(error) => StoreError::Corrupt {
            table: "staging",
            reason: format!("copying staged rows failed: {error}"),
        },
    }
}

impl ImportSession for PostgresImport<'_> {
    fn upsert_series(
        &mut self,
        meta: &SeriesMeta,
        authority: MetadataAuthority,
    ) -> Result<(), StoreError> {
        let columns = SeriesColumns::of(meta);
        let lag = i32::from(meta.publication_lag_days);
        let values: [&(dyn postgres::types::ToSql + Sync); 11] = [
            &meta.id.as_str(),
            &meta.title_en,
            &meta.title_zh,
            &meta.unit,
            &meta.frequency.as_str(),
            &meta.seasonal_adjustment.as_str(),
            &meta.source,
            &columns.industry,
            &columns.occupation,
            &meta.direction.as_str(),
            &lag,
        ];
        let created = self.transaction.execute(
            "INSERT INTO series (id, title_en, title_zh, unit, frequency, seasonal_adjustment,
                                 source, industry, occupation, direction, publication_lag_days)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (id) DO NOTHING",
            &values,
        )? == 1;
        if created {
            self.series_created += 1;
        } else if authority == MetadataAuthority::Declared {
            self.transaction.execute(
                "UPDATE series SET title_en = $2, title_zh = $3, unit = $4, frequency = $5,
                     seasonal_adjustment = $6, source = $7, industry = $8, occupation = $9,
                     direction = $10, publication_lag_days = $11
                 WHERE id = $1",
                &values,
            )?;
            self.transaction.execute(
                "DELETE FROM series_tags WHERE series_id = $1",
                &[&meta.id.as_str()],
            )?;
        } else {
            return Ok(());
        }
        self.transaction.execute(
            "INSERT INTO series_tags (series_id, tag) SELECT $1, unnest($2::text[])
             ON CONFLICT DO NOTHING",
            &[&meta.id.as_str(), &columns.tags],
        )?;
        Ok(())
    }

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
        self.rows_staged += 1;
        if self.buffered_rows >= COPY_BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, options: &FinishOptions) -> Result<ImportOutcome, StoreError> {
        self.flush()?;
        // Autovacuum never analyses temp tables, nor sees series this transaction added;
        // with stale statistics the planner has been seen to join millions of staged rows
        // to `series` by scanning it once per row. More
        // memory keeps the sorts and hashes of the checks and the merge off disk.
        self.transaction
            .batch_execute("ANALYZE staging, series; SET LOCAL work_mem = '64MB'")?;
        let (rows_staged, series_created) = (self.rows_staged, self.series_created);
        common::finish(*self, rows_staged, series_created, options)
    }
}

/// Keys (series, period, vintage) staged more than once, compared with a missing vintage
/// as `-infinity` so that it counts as one value (`IN` never matches NULLs).
const DUPLICATE_KEYS: &str = "SELECT series_id, period, coalesce(vintage, '-infinity')
     FROM staging
     GROUP BY series_id, period, coalesce(vintage, '-infinity') HAVING count(*) > 1";

const INSERT_OBSERVATIONS: &str = "INSERT INTO observations
     (series_id, period, period_end, vintage, value, status, vintage_basis, import_id)";

const UPSERT_CLAUSE: &str = "ON CONFLICT (series_id, period, vintage) DO UPDATE SET
     value = excluded.value, status = excluded.status,
     vintage_basis = excluded.vintage_basis, import_id = excluded.import_id";

fn staged_keys(rows: &[Row]) -> Result<Vec<StagedKey>, StoreError> {
    rows.iter()
        .map(|row| {
            Ok(StagedKey {
                line: count(row, 0, "staging")?,
                series: row.try_get(1)?,
                period: row.try_get(2)?,
                vintage: row.try_get(3)?,
            })
        })
        .collect()
}

impl Staging for PostgresImport<'_> {
    fn unknown_series(&mut self) -> Result<Vec<StagedKey>, StoreError> {
        let rows = self.transaction.query(
            "SELECT line, series_id, period, to_char(vintage, 'YYYY-MM-DD') FROM staging s
             WHERE NOT EXISTS (SELECT 1 FROM series WHERE id = s.series_id)
             ORDER BY line",
            &[],
        )?;
        staged_keys(&rows)
    }

    fn duplicates(&mut self) -> Result<Vec<StagedKey>, StoreError> {
        let rows = self.transaction.query(
            &format!(
                "SELECT line, series_id, period, to_char(vintage, 'YYYY-MM-DD') FROM staging s
                 WHERE (series_id, period, coalesce(vintage, '-infinity')) IN ({DUPLICATE_KEYS})
                   AND EXISTS (SELECT 1 FROM series WHERE id = s.series_id)
                 ORDER BY series_id, period, vintage, line"
            ),
            &[],
        )?;
        staged_keys(&rows)
    }

    fn discard_rejected(&mut self) -> Result<(), StoreError> {
        self.transaction.batch_execute(&format!(
            "DELETE FROM staging s WHERE NOT EXISTS (SELECT 1 FROM series WHERE id = s.series_id);
             DELETE FROM staging
             WHERE (series_id, period, coalesce(vintage, '-infinity')) IN ({DUPLICATE_KEYS});"
        ))?;
        Ok(())
    }

    fn create_import(&mut self, rows_staged: u64, rows_rejected: u64) -> Result<i64, StoreError> {
        let row = self.transaction.query_one(
            "INSERT INTO imports (file_name, format, imported_at, rows_staged, rows_rejected,
                                  partial)
             VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING id",
            &[
                &self.info.file_name,
                &self.info.format,
                &self.info.imported_at,
                &(rows_staged as i64),
                &(rows_rejected as i64),
                &(rows_rejected > 0),
            ],
        )?;
        Ok(row.try_get(0)?)
    }

    fn merge(&mut self, import_id: i64, plan: &VintagePlan) -> Result<MergeCounts, StoreError> {
        let transaction = &mut self.transaction;
        // Each statement sees `observations` as it was before it. A staged row is revised
        // only when its period was stored already and new only when it still is not, so no
        // row is counted twice. Revisions go first, so that a first load does not compare
        // every new row with itself.
        let explicit_revised = transaction.execute(
            &format!(
                "{INSERT_OBSERVATIONS}
                 SELECT s.series_id, s.period, s.period_end, s.vintage, s.value, s.status,
                        'explicit', $1::bigint
                 FROM staging s
                 WHERE s.vintage IS NOT NULL
                   AND EXISTS (SELECT 1 FROM observations o
                               WHERE o.series_id = s.series_id AND o.period = s.period)
                   AND NOT EXISTS (SELECT 1 FROM observations o
                                   WHERE o.series_id = s.series_id AND o.period = s.period
                                     AND o.vintage = s.vintage AND o.value = s.value
                                     AND o.status = s.status)
                 {UPSERT_CLAUSE}"
            ),
            &[&import_id],
        )?;
        let explicit_new = transaction.execute(
            &format!(
                "{INSERT_OBSERVATIONS}
                 SELECT s.series_id, s.period, s.period_end, s.vintage, s.value, s.status,
                        'explicit', $1::bigint
                 FROM staging s
                 WHERE s.vintage IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM observations o
                                   WHERE o.series_id = s.series_id AND o.period = s.period)"
            ),
            &[&import_id],
        )?;
        // A changed value is known from the file's release (or today). LATERAL looks up
        // the latest vintage of each staged period; a join on "no later vintage" lets the
        // planner compute the latest vintage of the whole table, however small the import.
        let implicit_revised = transaction.execute(
            &format!(
                "{INSERT_OBSERVATIONS}
                 SELECT s.series_id, s.period, s.period_end, $2::text::date, s.value, s.status,
                        $3::text, $1::bigint
                 FROM staging s
                 CROSS JOIN LATERAL (
                     SELECT o.value, o.status FROM observations o
                     WHERE o.series_id = s.series_id AND o.period = s.period
                     ORDER BY o.vintage DESC LIMIT 1) AS c
                 WHERE s.vintage IS NULL
                   AND (c.value <> s.value OR c.status <> s.status)
                 {UPSERT_CLAUSE}"
            ),
            &[&import_id, &plan.cap, &plan.cap_basis],
        )?;
        // A first value is known from period end plus the publication lag, but not later
        // than the file's release (or today).
        let implicit_new = transaction.execute(
            &format!(
                "{INSERT_OBSERVATIONS}
                 SELECT s.series_id, s.period, s.period_end,
                        LEAST(s.period_end + se.publication_lag_days, $2::text::date),
                        s.value, s.status,
                        CASE WHEN s.period_end + se.publication_lag_days <= $2::text::date
                             THEN 'publication-lag' ELSE $3::text END,
                        $1::bigint
                 FROM staging s JOIN series se ON se.id = s.series_id
                 WHERE s.vintage IS NULL
                   AND NOT EXISTS (SELECT 1 FROM observations o
                                   WHERE o.series_id = s.series_id AND o.period = s.period)"
            ),
            &[&import_id, &plan.cap, &plan.cap_basis],
        )?;
        Ok(MergeCounts {
            new: explicit_new + implicit_new,
            revised: explicit_revised + implicit_revised,
        })
    }

    fn record_counts(&mut self, import_id: i64, outcome: &ImportOutcome) -> Result<(), StoreError> {
        self.transaction.execute(
            "UPDATE imports SET rows_new = $2, rows_revised = $3, rows_unchanged = $4
             WHERE id = $1",
            &[
                &import_id,
                &(outcome.rows_new as i64),
                &(outcome.rows_revised as i64),
                &(outcome.rows_unchanged as i64),
            ],
        )?;
        Ok(())
    }

    fn commit(self) -> Result<(), StoreError> {
        self.transaction.commit()?;
        Ok(())
    }

    fn rollback(self) -> Result<(), StoreError> {
        self.transaction.rollback()?;
        Ok(())
    }
}
