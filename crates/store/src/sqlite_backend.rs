//! The embedded SQLite backend: one file (or memory), one connection.

use std::collections::HashMap;
use std::path::Path;

use domain::{Date, Period, SeriesId, SeriesMeta};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};

use crate::common::{
    self, MergeCounts, Migration, ObservationRow, SeriesColumns, SeriesRow, StagedKey, Staging,
    VintagePlan,
};
use crate::sqlite_cases;
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
        sql: include_str!("../migrations/sqlite/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "alert_audit",
        sql: include_str!("../migrations/sqlite/0002_alert_audit.sql"),
    },
    Migration {
        version: 3,
        name: "cases",
        sql: include_str!("../migrations/sqlite/0003_cases.sql"),
    },
    Migration {
        version: 4,
        name: "stl_cache",
        sql: include_str!("../migrations/sqlite/0004_stl_cache.sql"),
    },
    Migration {
        version: 5,
        name: "user_events",
        sql: include_str!("../migrations/sqlite/0005_user_events.sql"),
    },
];

/// A store in an SQLite database.
pub struct SqliteStore {
    connection: Connection,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and its directory, and migrates it.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Directory {
                path: parent.display().to_string(),
                source,
            })?;
        }
        let connection = Connection::open(path)?;
        // WAL lets readers work during a long import; NORMAL is durable across application
        // crashes, which is what an all-or-nothing import needs.
        connection.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")?;
        SqliteStore::prepare(connection)
    }

    /// A private database that disappears when the store is dropped.
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        SqliteStore::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut connection: Connection) -> Result<SqliteStore, StoreError> {
        // SQLite's 2 MB default page cache makes big imports thrash; 64 MB is enough for a
        // 10-million-row load and keeps memory bounded.
        connection.execute_batch("PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;")?;
        migrate(&mut connection)?;
        Ok(SqliteStore { connection })
    }
}

fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    // IMMEDIATE: two processes opening a new database must not both apply a migration.
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    transaction.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY NOT NULL,
             name       TEXT NOT NULL,
             applied_at TEXT NOT NULL
         )",
    )?;
    let found: i64 = transaction.query_row(
        "SELECT coalesce(max(version), 0) FROM schema_migrations",
        [],
        |row| row.get(0),
    )?;
    common::check_schema_version(found, MIGRATIONS)?;
    for migration in MIGRATIONS
        .iter()
        .filter(|migration| migration.version > found)
    {
        transaction.execute_batch(migration.sql)?;
        transaction.execute(
            "INSERT INTO schema_migrations (version, name, applied_at)
             VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            params![migration.version, migration.name],
        )?;
    }
    transaction.commit()?;
    Ok(())
}

const SERIES_COLUMNS: &str = "s.id, s.title_en, s.title_zh, s.unit, s.frequency, \
     s.seasonal_adjustment, s.source, s.industry, s.occupation, s.direction, \
     s.publication_lag_days";

fn series_row(row: &Row<'_>) -> rusqlite::Result<SeriesRow> {
    Ok(SeriesRow {
        id: row.get(0)?,
        title_en: row.get(1)?,
        title_zh: row.get(2)?,
        unit: row.get(3)?,
        frequency: row.get(4)?,
        seasonal_adjustment: row.get(5)?,
        source: row.get(6)?,
        industry: row.get(7)?,
        occupation: row.get(8)?,
        direction: row.get(9)?,
        publication_lag_days: row.get(10)?,
    })
}

const OBSERVATION_COLUMNS: &str =
    "o.period, o.value, o.status, o.vintage, o.vintage_basis, o.import_id";

fn observation_row(row: &Row<'_>) -> rusqlite::Result<ObservationRow> {
    Ok(ObservationRow {
        period: row.get(0)?,
        value: row.get(1)?,
        status: row.get(2)?,
        vintage: row.get(3)?,
        vintage_basis: row.get(4)?,
        import_id: row.get(5)?,
    })
}

impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn begin_import(
        &mut self,
        import: &ImportInfo,
    ) -> Result<Box<dyn ImportSession + '_>, StoreError> {
        // IMMEDIATE takes the write lock now rather than failing at the first write.
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
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
             );",
        )?;
        Ok(Box::new(SqliteImport {
            transaction,
            info: import.clone(),
            rows_staged: 0,
            series_created: 0,
        }))
    }

    fn list_series(&mut self, filter: &SeriesFilter) -> Result<Vec<SeriesSummary>, StoreError> {
        let mut tags: HashMap<String, Vec<String>> = HashMap::new();
        let mut statement = self
            .connection
            .prepare("SELECT series_id, tag FROM series_tags ORDER BY series_id, tag")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            tags.entry(row.get(0)?).or_default().push(row.get(1)?);
        }

        let mut statement = self.connection.prepare(&format!(
            "SELECT {SERIES_COLUMNS},
                 (SELECT count(DISTINCT o.period) FROM observations o WHERE o.series_id = s.id),
                 (SELECT o.period FROM observations o WHERE o.series_id = s.id
                  ORDER BY o.period_end, o.period LIMIT 1),
                 (SELECT o.period FROM observations o WHERE o.series_id = s.id
                  ORDER BY o.period_end DESC, o.period DESC LIMIT 1)
             FROM series s
             WHERE (?1 IS NULL OR substr(s.id, 1, length(?1)) = ?1)
               AND (?2 IS NULL OR EXISTS (
                   SELECT 1 FROM series_tags t WHERE t.series_id = s.id AND t.tag = ?2))
             ORDER BY s.id"
        ))?;
        let rows = statement.query_map(params![filter.id_prefix, filter.tag], |row| {
            Ok((
                series_row(row)?,
                row.get::<_, u64>(11)?,
                row.get::<_, Option<String>>(12)?,
                row.get::<_, Option<String>>(13)?,
            ))
        })?;
        let mut summaries = Vec::new();
        for row in rows {
            let (series, n_observations, first, last) = row?;
            let series_tags = tags.remove(&series.id).unwrap_or_default();
            summaries.push(SeriesSummary {
                meta: series.decode(&series_tags)?,
                n_observations,
                first_period: first
                    .map(|text| common::decode_period("observations", &text))
                    .transpose()?,
                last_period: last
                    .map(|text| common::decode_period("observations", &text))
                    .transpose()?,
            });
        }
        Ok(summaries)
    }

    fn series(&mut self, id: &SeriesId) -> Result<Option<SeriesMeta>, StoreError> {
        let series = self
            .connection
            .query_row(
                &format!("SELECT {SERIES_COLUMNS} FROM series s WHERE s.id = ?1"),
                [id.as_str()],
                series_row,
            )
            .optional()?;
        let Some(series) = series else {
            return Ok(None);
        };
        let mut statement = self
            .connection
            .prepare("SELECT tag FROM series_tags WHERE series_id = ?1 ORDER BY tag")?;
        let tags = statement
            .query_map([id.as_str()], |row| row.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(Some(series.decode(&tags)?))
    }

    fn observations(
        &mut self,
        id: &SeriesId,
        as_of: Option<Date>,
    ) -> Result<Vec<StoredObservation>, StoreError> {
        let as_of = as_of.map(|date| date.to_string());
        let mut statement = self.connection.prepare(&format!(
            "SELECT {OBSERVATION_COLUMNS} FROM observations o
             WHERE o.series_id = ?1 AND (?2 IS NULL OR o.vintage <= ?2)
               AND NOT EXISTS (
                   SELECT 1 FROM observations n
                   WHERE n.series_id = o.series_id AND n.period = o.period
                     AND n.vintage > o.vintage AND (?2 IS NULL OR n.vintage <= ?2))
             ORDER BY o.period_end, o.period"
        ))?;
        let rows = statement.query_map(params![id.as_str(), as_of], observation_row)?;
        rows.map(|row| row?.decode()).collect()
    }

    fn history(&mut self, id: &SeriesId) -> Result<Vec<StoredObservation>, StoreError> {
        let mut statement = self.connection.prepare(&format!(
            "SELECT {OBSERVATION_COLUMNS} FROM observations o
             WHERE o.series_id = ?1
             ORDER BY o.period_end, o.period, o.vintage"
        ))?;
        let rows = statement.query_map(params![id.as_str()], observation_row)?;
        rows.map(|row| row?.decode()).collect()
    }

    fn vintages(
        &mut self,
        id: &SeriesId,
        period: Period,
    ) -> Result<Vec<StoredObservation>, StoreError> {
        let mut statement = self.connection.prepare(&format!(
            "SELECT {OBSERVATION_COLUMNS} FROM observations o
             WHERE o.series_id = ?1 AND o.period = ?2
             ORDER BY o.vintage"
        ))?;
        let rows =
            statement.query_map(params![id.as_str(), period.to_string()], observation_row)?;
        rows.map(|row| row?.decode()).collect()
    }

    fn imports(&mut self) -> Result<Vec<ImportRecord>, StoreError> {
        let mut statement = self.connection.prepare(
            "SELECT id, file_name, format, imported_at, rows_new, rows_revised, rows_unchanged,
                    rows_rejected
             FROM imports ORDER BY id DESC",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(ImportRecord {
                id: row.get(0)?,
                file_name: row.get(1)?,
                format: row.get(2)?,
                imported_at: row.get(3)?,
                rows_new: row.get(4)?,
                rows_revised: row.get(5)?,
                rows_unchanged: row.get(6)?,
                rows_rejected: row.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn add_acknowledgement(&mut self, ack: &AlertAcknowledgement) -> Result<i64, StoreError> {
        common::require_user_and_reason("an acknowledgement", &ack.user_name, &ack.reason)?;
        self.connection.execute(
            "INSERT INTO alert_acknowledgements (rule_id, subject, opened_period, level,
                                                 user_name, reason, acknowledged_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                ack.rule_id,
                ack.subject,
                ack.opened_period,
                ack.level,
                ack.user_name,
                ack.reason,
                ack.at,
            ],
        )?;
        Ok(self.connection.last_insert_rowid())
    }

    fn acknowledgements(&mut self) -> Result<Vec<(i64, AlertAcknowledgement)>, StoreError> {
        let mut statement = self.connection.prepare(
            "SELECT id, rule_id, subject, opened_period, level, user_name, reason,
                    acknowledged_at
             FROM alert_acknowledgements ORDER BY id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get(0)?,
                AlertAcknowledgement {
                    rule_id: row.get(1)?,
                    subject: row.get(2)?,
                    opened_period: row.get(3)?,
                    level: row.get(4)?,
                    user_name: row.get(5)?,
                    reason: row.get(6)?,
                    at: row.get(7)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn add_mute(&mut self, mute: &AlertMute) -> Result<i64, StoreError> {
        common::require_user_and_reason("a mute", &mute.user_name, &mute.reason)?;
        self.connection.execute(
            "INSERT INTO alert_mutes (rule_id, subject, until_period, user_name, reason,
                                      muted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                mute.rule_id,
                mute.subject,
                mute.until_period,
                mute.user_name,
                mute.reason,
                mute.at,
            ],
        )?;
        Ok(self.connection.last_insert_rowid())
    }

    fn mutes(&mut self) -> Result<Vec<(i64, AlertMute)>, StoreError> {
        let mut statement = self.connection.prepare(
            "SELECT id, rule_id, subject, until_period, user_name, reason, muted_at
             FROM alert_mutes ORDER BY id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get(0)?,
                AlertMute {
                    rule_id: row.get(1)?,
                    subject: row.get(2)?,
                    until_period: row.get(3)?,
                    user_name: row.get(4)?,
                    reason: row.get(5)?,
                    at: row.get(6)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn stl_cache(&mut self) -> Result<Vec<(String, Vec<f64>)>, StoreError> {
        let mut statement = self
            .connection
            .prepare("SELECT fingerprint, adjusted FROM stl_cache ORDER BY fingerprint")?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, Vec<u8>>(1)?))
        })?;
        rows.map(|row| {
            let (fingerprint, bytes) = row?;
            Ok((fingerprint, common::decode_values("stl_cache", &bytes)?))
        })
        .collect()
    }

    fn replace_stl_cache(&mut self, entries: &[(String, Vec<f64>)]) -> Result<(), StoreError> {
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        transaction.execute("DELETE FROM stl_cache", [])?;
        {
            let mut insert = transaction
                .prepare("INSERT INTO stl_cache (fingerprint, adjusted) VALUES (?1, ?2)")?;
            for (fingerprint, adjusted) in entries {
                insert.execute(params![fingerprint, common::encode_values(adjusted)])?;
            }
        }
        transaction.commit()?;
        Ok(())
    }

    fn add_user(&mut self, user: &User, by: Option<&str>) -> Result<(), StoreError> {
        sqlite_cases::add_user(&mut self.connection, user, by)
    }

    fn change_role(&mut self, change: &RoleChange) -> Result<User, StoreError> {
        sqlite_cases::change_role(&mut self.connection, change)
    }

    fn user_events(&mut self) -> Result<Vec<UserEvent>, StoreError> {
        sqlite_cases::user_events(&mut self.connection)
    }

    fn users(&mut self) -> Result<Vec<User>, StoreError> {
        sqlite_cases::users(&mut self.connection)
    }

    fn require_case_access(&mut self, user_name: &str) -> Result<(), StoreError> {
        sqlite_cases::require_access(&self.connection, user_name)
    }

    fn save_arrears(&mut self, batch: &ArrearsBatch) -> Result<ArrearsSaved, StoreError> {
        sqlite_cases::save_arrears(&mut self.connection, batch)
    }

    fn arrears_results(&mut self, period: &str) -> Result<Vec<StoredArrearsResult>, StoreError> {
        sqlite_cases::arrears_results(&mut self.connection, period)
    }

    fn employer(&mut self, employer_id: &str) -> Result<Option<EmployerRecord>, StoreError> {
        sqlite_cases::employer(&mut self.connection, employer_id)
    }

    fn open_case(&mut self, case: &NewCase) -> Result<CaseOpened, StoreError> {
        sqlite_cases::open_case(&mut self.connection, case)
    }

    fn case_transition(&mut self, transition: &CaseTransition) -> Result<Case, StoreError> {
        sqlite_cases::case_transition(&mut self.connection, transition)
    }

    fn cases(&mut self, user_name: &str, filter: &CaseFilter) -> Result<Vec<Case>, StoreError> {
        sqlite_cases::list_cases(&mut self.connection, user_name, filter)
    }

    fn case(&mut self, user_name: &str, case_id: i64) -> Result<Case, StoreError> {
        sqlite_cases::case(&mut self.connection, user_name, case_id)
    }

    fn case_events(&mut self, user_name: &str, case_id: i64) -> Result<Vec<CaseEvent>, StoreError> {
        sqlite_cases::case_events(&mut self.connection, user_name, case_id)
    }
}

/// An import in progress: the open transaction and the temp `staging` table.
struct SqliteImport<'c> {
    transaction: Transaction<'c>,
    info: ImportInfo,
    rows_staged: u64,
    series_created: u64,
}

impl ImportSession for SqliteImport<'_> {
    fn upsert_series(
        &mut self,
        meta: &SeriesMeta,
        authority: MetadataAuthority,
    ) -> Result<(), StoreError> {
        let columns = SeriesColumns::of(meta);
        let values = params![
            meta.id.as_str(),
            meta.title_en,
            meta.title_zh,
            meta.unit,
            meta.frequency.as_str(),
            meta.seasonal_adjustment.as_str(),
            meta.source,
            columns.industry,
            columns.occupation,
            meta.direction.as_str(),
            meta.publication_lag_days,
        ];
        let created = self.transaction.execute(
            "INSERT INTO series (id, title_en, title_zh, unit, frequency, seasonal_adjustment,
                                 source, industry, occupation, direction, publication_lag_days)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (id) DO NOTHING",
            values,
        )? == 1;
        if created {
            self.series_created += 1;
        } else if authority == MetadataAuthority::Declared {
            self.transaction.execute(
                "UPDATE series SET title_en = ?2, title_zh = ?3, unit = ?4, frequency = ?5,
                     seasonal_adjustment = ?6, source = ?7, industry = ?8, occupation = ?9,
                     direction = ?10, publication_lag_days = ?11
                 WHERE id = ?1",
                values,
            )?;
            self.transaction.execute(
                "DELETE FROM series_tags WHERE series_id = ?1",
                [meta.id.as_str()],
            )?;
        } else {
            return Ok(());
        }
        let mut insert_tag = self.transaction.prepare_cached(
            "INSERT INTO series_tags (series_id, tag) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )?;
        for tag in columns.tags {
            insert_tag.execute([meta.id.as_str(), tag])?;
        }
        Ok(())
    }

    fn stage(&mut self, row: &StagedRow<'_>) -> Result<(), StoreError> {
        let observation = row.observation;
        let mut insert = self.transaction.prepare_cached(
            "INSERT INTO staging (line, series_id, period, period_end, value, status, vintage)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        insert.execute(params![
            row.line,
            row.series.as_str(),
            observation.period.to_string(),
            observation.period.end_date().to_string(),
            observation.value,
            observation.status.as_str(),
            observation.vintage.map(|vintage| vintage.to_string()),
        ])?;
        self.rows_staged += 1;
        Ok(())
    }

    fn finish(self: Box<Self>, options: &FinishOptions) -> Result<ImportOutcome, StoreError> {
        let (rows_staged, series_created) = (self.rows_staged, self.series_created);
        common::finish(*self, rows_staged, series_created, options)
    }
}

/// Keys (series, period, vintage) staged more than once, compared with
/// `(series_id, period, coalesce(vintage, ''))` so that a missing vintage counts as one.
/// Grouping is cheaper than a window over all staged rows, and usually finds nothing.
const DUPLICATE_KEYS: &str = "SELECT series_id, period, coalesce(vintage, '') FROM staging
     GROUP BY series_id, period, coalesce(vintage, '') HAVING count(*) > 1";

const INSERT_OBSERVATIONS: &str = "INSERT INTO observations
     (series_id, period, period_end, vintage, value, status, vintage_basis, import_id)";

const UPSERT_CLAUSE: &str = "ON CONFLICT (series_id, period, vintage) DO UPDATE SET
     value = excluded.value, status = excluded.status,
     vintage_basis = excluded.vintage_basis, import_id = excluded.import_id";

impl Staging for SqliteImport<'_> {
    fn unknown_series(&mut self) -> Result<Vec<StagedKey>, StoreError> {
        let mut statement = self.transaction.prepare(
            "SELECT line, series_id, period, vintage FROM staging s
             WHERE NOT EXISTS (SELECT 1 FROM series WHERE id = s.series_id)
             ORDER BY line",
        )?;
        let rows = statement.query_map([], staged_key)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn duplicates(&mut self) -> Result<Vec<StagedKey>, StoreError> {
        let mut statement = self.transaction.prepare(&format!(
            "SELECT line, series_id, period, vintage FROM staging s
             WHERE (series_id, period, coalesce(vintage, '')) IN ({DUPLICATE_KEYS})
               AND EXISTS (SELECT 1 FROM series WHERE id = s.series_id)
             ORDER BY series_id, period, vintage, line"
        ))?;
        let rows = statement.query_map([], staged_key)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn discard_rejected(&mut self) -> Result<(), StoreError> {
        self.transaction.execute_batch(&format!(
            "DELETE FROM staging
             WHERE NOT EXISTS (SELECT 1 FROM series WHERE id = staging.series_id);
             DELETE FROM staging
             WHERE (series_id, period, coalesce(vintage, '')) IN ({DUPLICATE_KEYS});"
        ))?;
        Ok(())
    }

    fn create_import(&mut self, rows_staged: u64, rows_rejected: u64) -> Result<i64, StoreError> {
        self.transaction.execute(
            "INSERT INTO imports (file_name, format, imported_at, rows_staged, rows_rejected,
                                  partial)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                self.info.file_name,
                self.info.format,
                self.info.imported_at,
                rows_staged,
                rows_rejected,
                rows_rejected > 0,
            ],
        )?;
        Ok(self.transaction.last_insert_rowid())
    }

    fn merge(&mut self, import_id: i64, plan: &VintagePlan) -> Result<MergeCounts, StoreError> {
        let transaction = &self.transaction;
        // Each statement reads `observations` as it was before it (SQLite materialises the
        // SELECT first). A staged row is revised only when its period was stored already and
        // new only when it still is not, so no row is counted twice. Revisions go first, so
        // that a first load does not compare every new row with itself.
        let explicit_revised = transaction.execute(
            &format!(
                "{INSERT_OBSERVATIONS}
                 SELECT s.series_id, s.period, s.period_end, s.vintage, s.value, s.status,
                        'explicit', ?1
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
            [import_id],
        )?;
        let explicit_new = transaction.execute(
            &format!(
                "{INSERT_OBSERVATIONS}
                 SELECT s.series_id, s.period, s.period_end, s.vintage, s.value, s.status,
                        'explicit', ?1
                 FROM staging s
                 WHERE s.vintage IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM observations o
                                   WHERE o.series_id = s.series_id AND o.period = s.period)"
            ),
            [import_id],
        )?;
        // A changed value is known from the file's release (or today).
        let implicit_revised = transaction.execute(
            &format!(
                "{INSERT_OBSERVATIONS}
                 SELECT s.series_id, s.period, s.period_end, ?2, s.value, s.status, ?3, ?1
                 FROM staging s
                 JOIN observations c ON c.series_id = s.series_id AND c.period = s.period
                 WHERE s.vintage IS NULL
                   AND NOT EXISTS (SELECT 1 FROM observations n
                                   WHERE n.series_id = c.series_id AND n.period = c.period
                                     AND n.vintage > c.vintage)
                   AND (c.value <> s.value OR c.status <> s.status)
                 {UPSERT_CLAUSE}"
            ),
            params![import_id, plan.cap, plan.cap_basis],
        )?;
        // A first value is known from period end plus the publication lag, but not later
        // than the file's release (or today). Day arithmetic on julianday() costs half of
        // what a '+N days' modifier does, which shows at millions of rows.
        let implicit_new = transaction.execute(
            &format!(
                "{INSERT_OBSERVATIONS}
                 SELECT series_id, period, period_end,
                        CASE WHEN lagged <= ?2 THEN lagged ELSE ?2 END,
                        value, status,
                        CASE WHEN lagged <= ?2 THEN 'publication-lag' ELSE ?3 END,
                        ?1
                 FROM (SELECT s.series_id, s.period, s.period_end, s.value, s.status,
                              date(julianday(s.period_end) + se.publication_lag_days)
                                  AS lagged
                       FROM staging s JOIN series se ON se.id = s.series_id
                       WHERE s.vintage IS NULL
                         AND NOT EXISTS (SELECT 1 FROM observations o
                                         WHERE o.series_id = s.series_id
                                           AND o.period = s.period))"
            ),
            params![import_id, plan.cap, plan.cap_basis],
        )?;
        Ok(MergeCounts {
            new: (explicit_new + implicit_new) as u64,
            revised: (explicit_revised + implicit_revised) as u64,
        })
    }

    fn record_counts(&mut self, import_id: i64, outcome: &ImportOutcome) -> Result<(), StoreError> {
        self.transaction.execute(
            "UPDATE imports SET rows_new = ?2, rows_revised = ?3, rows_unchanged = ?4
             WHERE id = ?1",
            params![
                import_id,
                outcome.rows_new,
                outcome.rows_revised,
                outcome.rows_unchanged
            ],
        )?;
        Ok(())
    }

    fn commit(self) -> Result<(), StoreError> {
        // The next import on this connection creates its own staging table.
        self.transaction.execute_batch("DROP TABLE temp.staging")?;
        self.transaction.commit()?;
        Ok(())
    }

    fn rollback(self) -> Result<(), StoreError> {
        self.transaction.rollback()?;
        Ok(())
    }
}

fn staged_key(row: &Row<'_>) -> rusqlite::Result<StagedKey> {
    Ok(StagedKey {
        line: row.get(0)?,
        series: row.get(1)?,
        period: row.get(2)?,
        vintage: row.get(3)?,
    })
}
