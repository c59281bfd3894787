//! What both backends share: migration bookkeeping, the steps of finishing an import,
//! problem reports, and decoding stored text back into domain values.

use std::fmt::Display;

use domain::{
    Direction, Frequency, IndustryCode, Observation, ObservationStatus, OccupationGroup, Period,
    SeasonalAdjustment, SeriesId, SeriesMeta, Tag,
};

use crate::{
    FinishOptions, ImportOutcome, StagedProblem, StoreError, StoredObservation, VintageBasis,
};

/// One forward-only schema change, applied once and recorded in `schema_migrations`.
pub(crate) struct Migration {
    pub(crate) version: i64,
    pub(crate) name: &'static str,
    pub(crate) sql: &'static str,
}

/// Fails when the database was migrated by a newer lmo: running old code on it could
/// misread or damage data.
pub(crate) fn check_schema_version(found: i64, migrations: &[Migration]) -> Result<(), StoreError> {
    let supported = migrations.last().map_or(0, |migration| migration.version);
    if found > supported {
        return Err(StoreError::SchemaTooNew { found, supported });
    }
    Ok(())
}

/// Refuses an acknowledgement or mute that names no user or gives no reason: an audit
/// trail entry must say who decided and why.
pub(crate) fn require_user_and_reason(
    what: &str,
    user_name: &str,
    reason: &str,
) -> Result<(), StoreError> {
    if user_name.trim().is_empty() || reason.trim().is_empty() {
        return Err(StoreError::Invalid(format!(
            "{what} needs a user and a reason"
        )));
    }
    Ok(())
}

/// A staged row as reported by a problem check.
pub(crate) struct StagedKey {
    pub(crate) line: u64,
    pub(crate) series: String,
    pub(crate) period: String,
    pub(crate) vintage: Option<String>,
}

/// How vintages are assigned to staged rows that do not name one.
pub(crate) struct VintagePlan {
    /// The latest vintage a row without one can get: the file's release date, else today.
    pub(crate) cap: String,
    /// The basis recorded for rows whose vintage is `cap`.
    pub(crate) cap_basis: &'static str,
}

impl VintagePlan {
    fn new(options: &FinishOptions) -> VintagePlan {
        match options.file_vintage {
            Some(vintage) => VintagePlan {
                cap: vintage.to_string(),
                cap_basis: VintageBasis::Release.as_str(),
            },
            None => VintagePlan {
                cap: options.import_date.to_string(),
                cap_basis: VintageBasis::ImportDate.as_str(),
            },
        }
    }
}

/// Rows written by a merge; staged rows neither new nor revised are unchanged.
pub(crate) struct MergeCounts {
    pub(crate) new: u64,
    pub(crate) revised: u64,
}

/// The backend-specific steps of [`crate::ImportSession::finish`], all inside the import's
/// transaction.
pub(crate) trait Staging {
    /// Staged rows whose series is not in `series`, in line order.
    fn unknown_series(&mut self) -> Result<Vec<StagedKey>, StoreError>;
    /// Staged rows of known series whose (series, period, vintage) is staged more than once,
    /// ordered by that key and then by line.
    fn duplicates(&mut self) -> Result<Vec<StagedKey>, StoreError>;
    /// Removes the rows reported by [`Staging::unknown_series`] and [`Staging::duplicates`].
    fn discard_rejected(&mut self) -> Result<(), StoreError>;
    fn create_import(&mut self, rows_staged: u64, rows_rejected: u64) -> Result<i64, StoreError>;
    fn merge(&mut self, import_id: i64, plan: &VintagePlan) -> Result<MergeCounts, StoreError>;
    fn record_counts(&mut self, import_id: i64, outcome: &ImportOutcome) -> Result<(), StoreError>;
    fn commit(self) -> Result<(), StoreError>;
    fn rollback(self) -> Result<(), StoreError>;
}

/// Checks the staged rows, then either rolls back or merges and commits.
pub(crate) fn finish(
    mut staging: impl Staging,
    rows_staged: u64,
    series_created: u64,
    options: &FinishOptions,
) -> Result<ImportOutcome, StoreError> {
    let mut problems: Vec<StagedProblem> = staging
        .unknown_series()?
        .into_iter()
        .map(|row| StagedProblem {
            reason: format!(
                "unknown series {}: declare it in a series metadata file first",
                row.series
            ),
            line: row.line,
            series: row.series,
            period: row.period,
        })
        .collect();
    problems.extend(duplicate_problems(&staging.duplicates()?));
    // Stable, so problems of one line keep the order of the checks.
    problems.sort_by_key(|problem| problem.line);

    let rows_rejected = problems.len() as u64 + options.rejected_before;
    if rows_rejected > 0 && !options.allow_partial {
        staging.rollback()?;
        return Ok(ImportOutcome {
            import_id: None,
            problems,
            rows_staged,
            rows_new: 0,
            rows_revised: 0,
            rows_unchanged: 0,
            series_created: 0,
        });
    }
    if !problems.is_empty() {
        staging.discard_rejected()?;
    }
    let import_id = staging.create_import(rows_staged, rows_rejected)?;
    let counts = staging.merge(import_id, &VintagePlan::new(options))?;
    let rows_accepted = rows_staged.saturating_sub(problems.len() as u64);
    let outcome = ImportOutcome {
        import_id: Some(import_id),
        rows_staged,
        rows_new: counts.new,
        rows_revised: counts.revised,
        rows_unchanged: rows_accepted.saturating_sub(counts.new + counts.revised),
        series_created,
        problems,
    };
    staging.record_counts(import_id, &outcome)?;
    staging.commit()?;
    Ok(outcome)
}

/// A duplicate report lists at most this many lines, so that a key repeated a million times
/// does not make a million reports of a million lines each.
const DUPLICATE_LINES_LISTED: usize = 10;

/// One problem per duplicated row; `rows` must arrive grouped by key.
fn duplicate_problems(rows: &[StagedKey]) -> Vec<StagedProblem> {
    let same_key = |a: &StagedKey, b: &StagedKey| {
        a.series == b.series && a.period == b.period && a.vintage == b.vintage
    };
    let mut problems = Vec::with_capacity(rows.len());
    for group in rows.chunk_by(same_key) {
        let mut lines: Vec<String> = group
            .iter()
            .take(DUPLICATE_LINES_LISTED)
            .map(|row| row.line.to_string())
            .collect();
        if group.len() > DUPLICATE_LINES_LISTED {
            lines.push(format!("… {} rows in all", group.len()));
        }
        let lines = lines.join(", ");
        for row in group {
            let what = match &row.vintage {
                Some(vintage) => format!("period {} (vintage {vintage})", row.period),
                None => format!("period {}", row.period),
            };
            problems.push(StagedProblem {
                line: row.line,
                series: row.series.clone(),
                period: row.period.clone(),
                reason: format!(
                    "{what} of series {} appears more than once (lines {lines})",
                    row.series
                ),
            });
        }
    }
    problems
}

fn corrupt(table: &'static str, error: impl Display) -> StoreError {
    StoreError::Corrupt {
        table,
        reason: error.to_string(),
    }
}

pub(crate) fn decode_period(table: &'static str, text: &str) -> Result<Period, StoreError> {
    Period::parse(text).map_err(|error| corrupt(table, error))
}

/// Values as consecutive little-endian doubles, as `stl_cache.adjusted` holds them.
pub(crate) fn encode_values(values: &[f64]) -> Vec<u8> {
    values
        .iter()
        .flat_map(|value| value.to_le_bytes())
        .collect()
}

pub(crate) fn decode_values(table: &'static str, bytes: &[u8]) -> Result<Vec<f64>, StoreError> {
    let (doubles, rest) = bytes.as_chunks::<8>();
    if !rest.is_empty() {
        return Err(corrupt(
            table,
            format!("{} bytes are not a whole number of doubles", bytes.len()),
        ));
    }
    Ok(doubles
        .iter()
        .map(|double| f64::from_le_bytes(*double))
        .collect())
}

/// A `series` row as stored.
pub(crate) struct SeriesRow {
    pub(crate) id: String,
    pub(crate) title_en: String,
    pub(crate) title_zh: String,
    pub(crate) unit: String,
    pub(crate) frequency: String,
    pub(crate) seasonal_adjustment: String,
    pub(crate) source: String,
    pub(crate) industry: Option<String>,
    pub(crate) occupation: Option<String>,
    pub(crate) direction: String,
    pub(crate) publication_lag_days: i64,
}

impl SeriesRow {
    pub(crate) fn decode(self, tags: &[String]) -> Result<SeriesMeta, StoreError> {
        const TABLE: &str = "series";
        let err = |error| corrupt(TABLE, error);
        Ok(SeriesMeta {
            id: SeriesId::parse(&self.id).map_err(err)?,
            frequency: Frequency::parse(&self.frequency).map_err(err)?,
            seasonal_adjustment: SeasonalAdjustment::parse(&self.seasonal_adjustment)
                .map_err(err)?,
            industry: self
                .industry
                .as_deref()
                .map(IndustryCode::parse)
                .transpose()
                .map_err(err)?,
            occupation: self
                .occupation
                .as_deref()
                .map(OccupationGroup::parse)
                .transpose()
                .map_err(err)?,
            tags: tags
                .iter()
                .map(|tag| Tag::parse(tag).map_err(|error| corrupt("series_tags", error)))
                .collect::<Result<_, _>>()?,
            direction: Direction::parse(&self.direction).map_err(err)?,
            publication_lag_days: u16::try_from(self.publication_lag_days).map_err(|_| {
                corrupt(
                    TABLE,
                    format!("publication lag {} out of range", self.publication_lag_days),
                )
            })?,
            title_en: self.title_en,
            title_zh: self.title_zh,
            unit: self.unit,
            source: self.source,
        })
    }
}

/// The columns [`crate::Store`] writes for a series, as stored.
pub(crate) struct SeriesColumns<'a> {
    pub(crate) industry: Option<String>,
    pub(crate) occupation: Option<String>,
    pub(crate) tags: Vec<&'a str>,
}

impl<'a> SeriesColumns<'a> {
    pub(crate) fn of(meta: &'a SeriesMeta) -> SeriesColumns<'a> {
        SeriesColumns {
            industry: meta.industry.as_ref().map(ToString::to_string),
            occupation: meta.occupation.map(|group| group.to_string()),
            tags: meta.tags.iter().map(Tag::as_str).collect(),
        }
    }
}

/// An `observations` row as stored.
pub(crate) struct ObservationRow {
    pub(crate) period: String,
    pub(crate) value: f64,
    pub(crate) status: String,
    pub(crate) vintage: String,
    pub(crate) vintage_basis: String,
    pub(crate) import_id: i64,
}

impl ObservationRow {
    pub(crate) fn decode(self) -> Result<StoredObservation, StoreError> {
        const TABLE: &str = "observations";
        let vintage = domain::parse_date(&self.vintage).map_err(|error| corrupt(TABLE, error))?;
        Ok(StoredObservation {
            observation: Observation {
                period: decode_period(TABLE, &self.period)?,
                value: self.value,
                status: ObservationStatus::parse(&self.status)
                    .map_err(|error| corrupt(TABLE, error))?,
                vintage: Some(vintage),
            },
            vintage,
            vintage_basis: VintageBasis::parse(&self.vintage_basis).ok_or_else(|| {
                corrupt(
                    TABLE,
                    format!("'{}' is not a vintage basis", self.vintage_basis),
                )
            })?,
            import_id: self.import_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(line: u64, period: &str) -> StagedKey {
        StagedKey {
            line,
            series: "s".to_owned(),
            period: period.to_owned(),
            vintage: None,
        }
    }

    #[test]
    fn duplicate_reports_name_every_line_of_their_group() {
        let problems = duplicate_problems(&[
            key(3, "2025-01"),
            key(9, "2025-01"),
            key(4, "2025-02"),
            key(5, "2025-02"),
        ]);
        assert_eq!(problems.len(), 4);
        assert_eq!(
            problems[0].reason,
            "period 2025-01 of series s appears more than once (lines 3, 9)"
        );
        assert_eq!(problems[2].line, 4);
    }

    #[test]
    fn long_duplicate_groups_are_abbreviated() {
        let rows: Vec<StagedKey> = (1..=12).map(|line| key(line, "2025")).collect();
        let problems = duplicate_problems(&rows);
        assert!(
            problems[0]
                .reason
                .ends_with("(lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … 12 rows in all)")
        );
    }
}
