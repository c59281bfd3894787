//! Statistics and their vintages: series metadata, every vintage of every observation, the
//! imports that brought them, and the cache of seasonally adjusted values.

use std::collections::HashMap;

use domain::{
    Date, Direction, Frequency, IndustryCode, Observation, ObservationStatus, OccupationCode,
    Period, SeasonalAdjustment, SeriesId, SeriesMeta, Tag,
};

use crate::import::Import;
use crate::sql::{Param, Row, SkippedRow, params, query_map, query_map_skipping, query_opt};
use crate::{SqlStore, StoreError, corrupt};

/// Series, observations with their vintages, imports.
pub trait Statistics {
    /// Starts an import in its own transaction. Dropping the session without
    /// [`ImportSession::finish`] rolls everything back.
    fn begin_import(
        &mut self,
        import: &ImportInfo,
    ) -> Result<Box<dyn ImportSession + '_>, StoreError>;

    /// Series matching the filter, ordered by id, with their observation counts.
    fn list_series(&mut self, filter: &SeriesFilter) -> Result<Vec<SeriesSummary>, StoreError>;

    fn series(&mut self, id: &SeriesId) -> Result<Option<SeriesMeta>, StoreError>;

    /// The observations of a series in period order: for each period the value of the latest
    /// vintage known on `as_of` (the latest overall when `as_of` is `None`).
    fn observations(
        &mut self,
        id: &SeriesId,
        as_of: Option<Date>,
    ) -> Result<Vec<StoredObservation>, StoreError>;

    /// Every vintage of every period of a series: periods in order, and each period's
    /// vintages oldest first. One query, for replaying what was known when (backtests,
    /// alerts) without a query per period.
    fn history(&mut self, id: &SeriesId) -> Result<Vec<StoredObservation>, StoreError>;

    /// Every vintage of one period of a series, oldest first.
    fn vintages(
        &mut self,
        id: &SeriesId,
        period: Period,
    ) -> Result<Vec<StoredObservation>, StoreError>;

    /// The values of one period of a series that corrections replaced (each was stored under
    /// a vintage date that a later import changed), oldest correction first.
    fn corrected_values(
        &mut self,
        id: &SeriesId,
        period: Period,
    ) -> Result<Vec<CorrectedValue>, StoreError>;

    /// Past imports, newest first.
    fn imports(&mut self) -> Result<Vec<ImportRecord>, StoreError>;

    /// The STL cache (seasonally adjusted values by the fingerprint of their input, as
    /// `indicators::StlCache` makes them), by fingerprint.
    fn stl_cache(&mut self) -> Result<Vec<(String, Vec<f64>)>, StoreError>;

    /// Replaces the whole STL cache with `entries`, in one transaction.
    fn replace_stl_cache(&mut self, entries: &[(String, Vec<f64>)]) -> Result<(), StoreError>;
}

/// One import in progress.
pub trait ImportSession {
    /// Records series metadata. [`MetadataAuthority::Declared`] overwrites what is stored;
    /// [`MetadataAuthority::Inferred`] only creates a series that does not exist yet.
    fn upsert_series(
        &mut self,
        meta: &SeriesMeta,
        authority: MetadataAuthority,
    ) -> Result<(), StoreError>;

    /// Stages one observation read from `line` of the input.
    fn stage(&mut self, row: &StagedRow<'_>) -> Result<(), StoreError>;

    /// Checks the staged rows, then merges them into the observations and commits, or rolls
    /// back when a row has a problem and `options.allow_partial` is false (or when
    /// `options.rejected_before` is non-zero and partial imports are not allowed).
    fn finish(self: Box<Self>, options: &FinishOptions) -> Result<ImportOutcome, StoreError>;
}

/// Who vouches for series metadata given to [`ImportSession::upsert_series`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataAuthority {
    /// A metadata file a person wrote: replaces stored metadata.
    Declared,
    /// Worked out by a parser from a data file: never overwrites stored metadata.
    Inferred,
}

/// What an import is.
#[derive(Debug, Clone)]
pub struct ImportInfo {
    pub file_name: String,
    pub format: String,
    /// When the import started, RFC 3339; passed in so that tests are deterministic.
    pub imported_at: String,
}

/// One observation waiting in the staging area.
#[derive(Debug, Clone)]
pub struct StagedRow<'a> {
    pub line: u64,
    pub series: &'a SeriesId,
    pub observation: &'a Observation,
}

/// How to merge the staged rows.
#[derive(Debug, Clone)]
pub struct FinishOptions {
    /// The release date of the whole file, when known (C&SD footers, `--vintage`).
    pub file_vintage: Option<Date>,
    /// Today, from the caller's clock: the vintage of changed values when nothing better is known.
    pub import_date: Date,
    pub allow_partial: bool,
    /// Rows the parser already rejected; they make a strict import fail too.
    pub rejected_before: u64,
    /// Accept values that change a value stored under the same vintage date (a corrected
    /// release); the replaced values are kept in the corrections record. Without it such a
    /// row is a problem that names both values.
    pub accept_corrections: bool,
}

/// A staged row that cannot be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StagedProblem {
    pub line: u64,
    pub series: String,
    pub period: String,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOutcome {
    /// Set when committed; `None` when rolled back.
    pub import_id: Option<i64>,
    pub problems: Vec<StagedProblem>,
    pub rows_staged: u64,
    /// Observations for periods the store did not have.
    pub rows_new: u64,
    /// Observations whose value changed: stored as a new vintage, or as a correction.
    pub rows_revised: u64,
    /// Of the revised, those that replaced a value stored under the same vintage date; the
    /// replaced values are in the corrections record.
    pub rows_corrected: u64,
    pub rows_unchanged: u64,
    pub series_created: u64,
}

/// How the vintage of a stored observation was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VintageBasis {
    /// The input row named it.
    Explicit,
    /// The file's release date.
    Release,
    /// Period end plus the series' publication lag (first release, date unknown).
    PublicationLag,
    /// The day the change was imported.
    ImportDate,
}

impl VintageBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            VintageBasis::Explicit => "explicit",
            VintageBasis::Release => "release",
            VintageBasis::PublicationLag => "publication-lag",
            VintageBasis::ImportDate => "import-date",
        }
    }

    pub fn parse(text: &str) -> Option<VintageBasis> {
        [
            VintageBasis::Explicit,
            VintageBasis::Release,
            VintageBasis::PublicationLag,
            VintageBasis::ImportDate,
        ]
        .into_iter()
        .find(|basis| basis.as_str() == text)
    }
}

/// An observation as stored, with its vintage.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredObservation {
    pub observation: Observation,
    pub vintage: Date,
    pub vintage_basis: VintageBasis,
    pub import_id: i64,
}

/// A value a correction replaced: as it was stored, and the import that replaced it.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrectedValue {
    /// The replaced value, with the vintage it was stored under and the import that wrote it.
    pub replaced: StoredObservation,
    pub corrected_by_import: i64,
}

/// Which series to list.
#[derive(Debug, Clone, Default)]
pub struct SeriesFilter {
    /// Only ids starting with this prefix.
    pub id_prefix: Option<String>,
    /// Only series carrying this tag.
    pub tag: Option<String>,
}

/// A series with a summary of its observations (latest vintages).
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesSummary {
    pub meta: SeriesMeta,
    pub n_observations: u64,
    pub first_period: Option<Period>,
    pub last_period: Option<Period>,
}

/// A past import.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRecord {
    pub id: i64,
    pub file_name: String,
    pub format: String,
    pub imported_at: String,
    pub rows_new: u64,
    pub rows_revised: u64,
    pub rows_unchanged: u64,
    pub rows_rejected: u64,
}

const SERIES_COLUMNS: &str = "s.id, s.title_en, s.title_zh, s.unit, s.frequency, \
     s.seasonal_adjustment, s.source, s.industry, s.occupation, s.direction, \
     s.publication_lag_days";

/// A `series` row (its first columns, [`SERIES_COLUMNS`]) with its tags.
fn decode_series(row: &Row, tags: &[String]) -> Result<SeriesMeta, StoreError> {
    const TABLE: &str = "series";
    let err = |error| corrupt(TABLE, error);
    let lag = row.int(10)?;
    Ok(SeriesMeta {
        id: SeriesId::parse(&row.text(0)?).map_err(err)?,
        title_en: row.text(1)?,
        title_zh: row.text(2)?,
        unit: row.text(3)?,
        frequency: Frequency::parse(&row.text(4)?).map_err(err)?,
        seasonal_adjustment: SeasonalAdjustment::parse(&row.text(5)?).map_err(err)?,
        source: row.text(6)?,
        industry: row
            .opt_text(7)?
            .as_deref()
            .map(IndustryCode::parse)
            .transpose()
            .map_err(err)?,
        occupation: row
            .opt_text(8)?
            .as_deref()
            .map(OccupationCode::parse)
            .transpose()
            .map_err(err)?,
        direction: Direction::parse(&row.text(9)?).map_err(err)?,
        publication_lag_days: u16::try_from(lag)
            .map_err(|_| corrupt(TABLE, format!("publication lag {lag} out of range")))?,
        tags: tags
            .iter()
            .map(|tag| Tag::parse(tag).map_err(|error| corrupt("series_tags", error)))
            .collect::<Result<_, _>>()?,
    })
}

const OBSERVATION_COLUMNS: &str =
    "o.period, o.value, o.status, o.vintage, o.vintage_basis, o.import_id";

/// An `observations` row, as [`OBSERVATION_COLUMNS`] selects it.
fn decode_observation(row: &Row) -> Result<StoredObservation, StoreError> {
    const TABLE: &str = "observations";
    let err = |error| corrupt(TABLE, error);
    let vintage = domain::parse_date(&row.text(3)?).map_err(err)?;
    let vintage_basis = row.text(4)?;
    Ok(StoredObservation {
        observation: Observation {
            period: decode_period(&row.text(0)?)?,
            value: row.real(1)?,
            status: ObservationStatus::parse(&row.text(2)?).map_err(err)?,
            vintage: Some(vintage),
        },
        vintage,
        vintage_basis: VintageBasis::parse(&vintage_basis)
            .ok_or_else(|| corrupt(TABLE, format!("'{vintage_basis}' is not a vintage basis")))?,
        import_id: row.int(5)?,
    })
}

fn decode_period(text: &str) -> Result<Period, StoreError> {
    Period::parse(text).map_err(|error| corrupt("observations", error))
}

/// Values as consecutive little-endian doubles, as `stl_cache.adjusted` holds them.
fn encode_values(values: &[f64]) -> Vec<u8> {
    values
        .iter()
        .flat_map(|value| value.to_le_bytes())
        .collect()
}

fn decode_values(bytes: &[u8]) -> Result<Vec<f64>, StoreError> {
    let (doubles, rest) = bytes.as_chunks::<8>();
    if !rest.is_empty() {
        return Err(corrupt(
            "stl_cache",
            format!("{} bytes are not a whole number of doubles", bytes.len()),
        ));
    }
    Ok(doubles
        .iter()
        .map(|double| f64::from_le_bytes(*double))
        .collect())
}

/// Names a `series` row in a report of skipped rows.
fn series_key(row: &Row) -> String {
    format!("series {}", row.text(0).unwrap_or_default())
}

impl SqlStore {
    /// The observations of series `id` that `statement` selects ([`OBSERVATION_COLUMNS`]),
    /// skipping rows that cannot be read back.
    fn observations_skipping(
        &mut self,
        id: &SeriesId,
        statement: &str,
        values: &[Param<'_>],
    ) -> Result<Vec<StoredObservation>, StoreError> {
        query_map_skipping(
            &mut *self.database,
            statement,
            values,
            &mut self.skipped,
            |row| format!("series {id}, period {}", row.text(0).unwrap_or_default()),
            decode_observation,
        )
    }
}

impl Statistics for SqlStore {
    fn begin_import(
        &mut self,
        import: &ImportInfo,
    ) -> Result<Box<dyn ImportSession + '_>, StoreError> {
        Ok(Box::new(Import {
            staging: self.database.begin_staging()?,
            info: import.clone(),
            rows_staged: 0,
            series_created: 0,
        }))
    }

    fn list_series(&mut self, filter: &SeriesFilter) -> Result<Vec<SeriesSummary>, StoreError> {
        let mut tags: HashMap<String, Vec<String>> = HashMap::new();
        for row in self.database.query(
            "SELECT series_id, tag FROM series_tags ORDER BY series_id, tag",
            &[],
        )? {
            tags.entry(row.text(0)?).or_default().push(row.text(1)?);
        }
        // Only the filters given become conditions, so each has a typed parameter.
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        if let Some(prefix) = &filter.id_prefix {
            values.push(prefix.into());
            conditions.push(format!(
                "substr(s.id, 1, length(${0})) = ${0}",
                values.len()
            ));
        }
        if let Some(tag) = &filter.tag {
            values.push(tag.into());
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM series_tags t WHERE t.series_id = s.id AND t.tag = ${})",
                values.len()
            ));
        }
        let filters = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let statement = format!(
            "SELECT {SERIES_COLUMNS},
                 (SELECT count(DISTINCT o.period) FROM observations o WHERE o.series_id = s.id),
                 (SELECT o.period FROM observations o WHERE o.series_id = s.id
                  ORDER BY o.period_end, o.period LIMIT 1),
                 (SELECT o.period FROM observations o WHERE o.series_id = s.id
                  ORDER BY o.period_end DESC, o.period DESC LIMIT 1)
             FROM series s
             {filters}
             ORDER BY s.id"
        );
        // A period that cannot be read back leaves its end of the range unknown rather than
        // hiding the series; the row is reported with the others skipped.
        let mut unreadable_periods = Vec::new();
        let summaries = query_map_skipping(
            &mut *self.database,
            &statement,
            &values,
            &mut self.skipped,
            series_key,
            |row| {
                let series_tags = tags.remove(&row.text(0)?).unwrap_or_default();
                let meta = decode_series(row, &series_tags)?;
                let mut period = |index| -> Result<Option<Period>, StoreError> {
                    let Some(text) = row.opt_text(index)? else {
                        return Ok(None);
                    };
                    match Period::parse(&text) {
                        Ok(period) => Ok(Some(period)),
                        Err(error) => {
                            unreadable_periods.push(SkippedRow {
                                table: "observations",
                                key: format!("series {}, period {text}", meta.id),
                                reason: error.to_string(),
                            });
                            Ok(None)
                        }
                    }
                };
                Ok(SeriesSummary {
                    n_observations: row.count(11)?,
                    first_period: period(12)?,
                    last_period: period(13)?,
                    meta,
                })
            },
        )?;
        self.skipped.extend(unreadable_periods);
        Ok(summaries)
    }

    fn series(&mut self, id: &SeriesId) -> Result<Option<SeriesMeta>, StoreError> {
        let Some(row) = query_opt(
            &mut *self.database,
            &format!("SELECT {SERIES_COLUMNS} FROM series s WHERE s.id = $1"),
            params![id.as_str()],
        )?
        else {
            return Ok(None);
        };
        let tags = query_map(
            &mut *self.database,
            "SELECT tag FROM series_tags WHERE series_id = $1 ORDER BY tag",
            params![id.as_str()],
            |row| row.text(0),
        )?;
        match decode_series(&row, &tags) {
            Ok(meta) => Ok(Some(meta)),
            Err(StoreError::Corrupt { table, reason }) => {
                self.skipped.push(SkippedRow {
                    table,
                    key: series_key(&row),
                    reason,
                });
                Ok(None)
            }
            Err(error) => Err(error),
        }
    }

    fn observations(
        &mut self,
        id: &SeriesId,
        as_of: Option<Date>,
    ) -> Result<Vec<StoredObservation>, StoreError> {
        let as_of = as_of.map(|date| date.to_string());
        // Without `as_of` the condition on vintages is left out rather than bound to NULL:
        // PostgreSQL cannot type a parameter that is only ever compared with NULL.
        let known = |alias: &str| match as_of {
            Some(_) => format!("AND {alias}.vintage <= $2"),
            None => String::new(),
        };
        let statement = format!(
            "SELECT {OBSERVATION_COLUMNS} FROM observations o
             WHERE o.series_id = $1 {}
               AND NOT EXISTS (
                   SELECT 1 FROM observations n
                   WHERE n.series_id = o.series_id AND n.period = o.period
                     AND n.vintage > o.vintage {})
             ORDER BY o.period_end, o.period",
            known("o"),
            known("n")
        );
        let mut values = vec![Param::from(id.as_str())];
        values.extend(as_of.as_deref().map(Param::from));
        self.observations_skipping(id, &statement, &values)
    }

    fn history(&mut self, id: &SeriesId) -> Result<Vec<StoredObservation>, StoreError> {
        self.observations_skipping(
            id,
            &format!(
                "SELECT {OBSERVATION_COLUMNS} FROM observations o
                 WHERE o.series_id = $1
                 ORDER BY o.period_end, o.period, o.vintage"
            ),
            params![id.as_str()],
        )
    }

    fn vintages(
        &mut self,
        id: &SeriesId,
        period: Period,
    ) -> Result<Vec<StoredObservation>, StoreError> {
        let period = period.to_string();
        self.observations_skipping(
            id,
            &format!(
                "SELECT {OBSERVATION_COLUMNS} FROM observations o
                 WHERE o.series_id = $1 AND o.period = $2
                 ORDER BY o.vintage"
            ),
            params![id.as_str(), period.as_str()],
        )
    }

    fn corrected_values(
        &mut self,
        id: &SeriesId,
        period: Period,
    ) -> Result<Vec<CorrectedValue>, StoreError> {
        let period = period.to_string();
        query_map_skipping(
            &mut *self.database,
            "SELECT o.period, o.value, o.status, o.vintage, o.vintage_basis, o.import_id,
                    o.corrected_by_import
             FROM observation_corrections o
             WHERE o.series_id = $1 AND o.period = $2
             ORDER BY o.id",
            params![id.as_str(), period.as_str()],
            &mut self.skipped,
            |row| format!("series {id}, period {}", row.text(0).unwrap_or_default()),
            |row| {
                Ok(CorrectedValue {
                    replaced: decode_observation(row)?,
                    corrected_by_import: row.int(6)?,
                })
            },
        )
    }

    fn imports(&mut self) -> Result<Vec<ImportRecord>, StoreError> {
        query_map(
            &mut *self.database,
            "SELECT id, file_name, format, imported_at, rows_new, rows_revised, rows_unchanged,
                    rows_rejected
             FROM imports ORDER BY id DESC",
            &[],
            |row| {
                Ok(ImportRecord {
                    id: row.int(0)?,
                    file_name: row.text(1)?,
                    format: row.text(2)?,
                    imported_at: row.text(3)?,
                    rows_new: row.count(4)?,
                    rows_revised: row.count(5)?,
                    rows_unchanged: row.count(6)?,
                    rows_rejected: row.count(7)?,
                })
            },
        )
    }

    fn stl_cache(&mut self) -> Result<Vec<(String, Vec<f64>)>, StoreError> {
        query_map(
            &mut *self.database,
            "SELECT fingerprint, adjusted FROM stl_cache ORDER BY fingerprint",
            &[],
            |row| Ok((row.text(0)?, decode_values(&row.bytes(1)?)?)),
        )
    }

    fn replace_stl_cache(&mut self, entries: &[(String, Vec<f64>)]) -> Result<(), StoreError> {
        let mut transaction = self.database.transaction()?;
        transaction.execute("DELETE FROM stl_cache", &[])?;
        for (fingerprint, adjusted) in entries {
            let bytes = encode_values(adjusted);
            transaction.execute(
                "INSERT INTO stl_cache (fingerprint, adjusted) VALUES ($1, $2)",
                params![fingerprint, bytes.as_slice()],
            )?;
        }
        transaction.commit()
    }
}
