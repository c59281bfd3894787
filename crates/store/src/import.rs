//! Imports: rows are staged (the backend's own bulk path), checked set-wise (unknown series,
//! duplicates), then merged into `observations` in the same transaction.

use domain::{SeriesMeta, Tag};

use crate::sql::{Row, Sql, params, query_map, query_one};
use crate::{
    FinishOptions, ImportInfo, ImportOutcome, ImportSession, MetadataAuthority, StagedProblem,
    StagedRow, StoreError, VintageBasis,
};

/// The insert every merge statement starts with.
pub(crate) const INSERT_OBSERVATIONS: &str = "INSERT INTO observations
     (series_id, period, period_end, vintage, value, status, vintage_basis, import_id)";

/// What a merge statement does with a row whose (series, period, vintage) is stored: only a
/// second change with the same vintage date (two corrections on one day) updates a row.
const UPSERT_OBSERVATIONS: &str = "ON CONFLICT (series_id, period, vintage) DO UPDATE SET
     value = excluded.value, status = excluded.status,
     vintage_basis = excluded.vintage_basis, import_id = excluded.import_id";

/// The backend's side of an import: its transaction, its staging table (and the
/// `revisions` table beside it) and the statements that need its own date arithmetic or
/// query plans. Dropping it without [`Staging::commit`] rolls everything back.
pub(crate) trait Staging: Sql {
    /// Adds one row to the staging table.
    fn stage(&mut self, row: &StagedRow<'_>) -> Result<(), StoreError>;
    /// Makes every staged row visible to the checks.
    fn staged(&mut self) -> Result<(), StoreError>;
    /// The SQL value a missing vintage is compared as, so that duplicates without a vintage
    /// count as one key (`IN` never matches NULLs).
    fn missing_vintage(&self) -> &'static str;
    /// Adds to `revisions` the staged rows without a vintage whose value differs from the
    /// latest stored for their period: they are stored under the plan's cap.
    fn revisions_without_vintage(&mut self, plan: &VintagePlan) -> Result<(), StoreError>;
    /// Stores the staged rows without a vintage whose period the store does not have, under
    /// their period end plus the series' publication lag (never later than the plan's cap);
    /// returns how many.
    fn insert_new_without_vintage(
        &mut self,
        import_id: i64,
        plan: &VintagePlan,
    ) -> Result<u64, StoreError>;
    fn commit(self: Box<Self>) -> Result<(), StoreError>;
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

/// An import in progress over a backend's staging.
pub(crate) struct Import<'a> {
    pub(crate) staging: Box<dyn Staging + 'a>,
    pub(crate) info: ImportInfo,
    pub(crate) rows_staged: u64,
    pub(crate) series_created: u64,
}

impl ImportSession for Import<'_> {
    fn upsert_series(
        &mut self,
        meta: &SeriesMeta,
        authority: MetadataAuthority,
    ) -> Result<(), StoreError> {
        let industry = meta.industry.as_ref().map(ToString::to_string);
        let occupation = meta.occupation.map(|group| group.to_string());
        let values = params![
            meta.id.as_str(),
            &meta.title_en,
            &meta.title_zh,
            &meta.unit,
            meta.frequency.as_str(),
            meta.seasonal_adjustment.as_str(),
            &meta.source,
            industry.as_deref(),
            occupation.as_deref(),
            meta.direction.as_str(),
            i64::from(meta.publication_lag_days),
        ];
        let created = self.staging.execute(
            "INSERT INTO series (id, title_en, title_zh, unit, frequency, seasonal_adjustment,
                                 source, industry, occupation, direction, publication_lag_days)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (id) DO NOTHING",
            values,
        )? == 1;
        if created {
            self.series_created += 1;
        } else if authority == MetadataAuthority::Declared {
            self.staging.execute(
                "UPDATE series SET title_en = $2, title_zh = $3, unit = $4, frequency = $5,
                     seasonal_adjustment = $6, source = $7, industry = $8, occupation = $9,
                     direction = $10, publication_lag_days = $11
                 WHERE id = $1",
                values,
            )?;
            self.staging.execute(
                "DELETE FROM series_tags WHERE series_id = $1",
                params![meta.id.as_str()],
            )?;
        } else {
            return Ok(());
        }
        for tag in meta.tags.iter().map(Tag::as_str) {
            self.staging.execute(
                "INSERT INTO series_tags (series_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                params![meta.id.as_str(), tag],
            )?;
        }
        Ok(())
    }

    fn stage(&mut self, row: &StagedRow<'_>) -> Result<(), StoreError> {
        self.staging.stage(row)?;
        self.rows_staged += 1;
        Ok(())
    }

    fn finish(self: Box<Self>, options: &FinishOptions) -> Result<ImportOutcome, StoreError> {
        let Import {
            mut staging,
            info,
            rows_staged,
            series_created,
        } = *self;
        staging.staged()?;
        let mut problems: Vec<StagedProblem> = unknown_series(&mut *staging)?
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
        problems.extend(duplicate_problems(&duplicates(&mut *staging)?));
        // Stable, so problems of one line keep the order of the checks.
        problems.sort_by_key(|problem| problem.line);

        if (!problems.is_empty() || options.rejected_before > 0) && !options.allow_partial {
            // Dropping the staging rolls back.
            return Ok(rolled_back(problems, rows_staged));
        }
        if !problems.is_empty() {
            discard_rejected(&mut *staging)?;
        }

        // Values of periods the store has, staged with a change: each becomes a new vintage,
        // unless it would replace a value stored under the same vintage date (a correction).
        let plan = VintagePlan::new(options);
        insert_revisions_with_vintage(&mut *staging)?;
        staging.revisions_without_vintage(&plan)?;
        let corrections = corrections(&mut *staging)?;
        if !corrections.is_empty() && !options.accept_corrections {
            problems.extend(corrections.iter().map(Correction::refusal));
            problems.sort_by_key(|problem| problem.line);
            if !options.allow_partial {
                return Ok(rolled_back(problems, rows_staged));
            }
            staging.execute(
                &format!("DELETE FROM revisions WHERE {CHANGES_A_STORED_VALUE}"),
                &[],
            )?;
        }
        let rows_rejected = problems.len() as u64 + options.rejected_before;
        let import_id = query_one(
            &mut *staging,
            "INSERT INTO imports (file_name, format, imported_at, rows_staged, rows_rejected,
                                  partial)
             VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING id",
            params![
                &info.file_name,
                &info.format,
                &info.imported_at,
                rows_staged,
                rows_rejected,
                rows_rejected > 0,
            ],
        )?
        .int(0)?;
        let rows_corrected = if options.accept_corrections {
            keep_corrected_values(&mut *staging, import_id)?
        } else {
            0
        };
        let rows_revised = apply_revisions(&mut *staging, import_id)?;
        let rows_new = insert_new_with_vintage(&mut *staging, import_id)?
            + staging.insert_new_without_vintage(import_id, &plan)?;
        let rows_accepted = rows_staged.saturating_sub(problems.len() as u64);
        let outcome = ImportOutcome {
            import_id: Some(import_id),
            rows_staged,
            rows_new,
            rows_revised,
            rows_corrected,
            rows_unchanged: rows_accepted.saturating_sub(rows_new + rows_revised),
            series_created,
            problems,
        };
        staging.execute(
            "UPDATE imports SET rows_new = $2, rows_revised = $3, rows_unchanged = $4
             WHERE id = $1",
            params![
                import_id,
                outcome.rows_new,
                outcome.rows_revised,
                outcome.rows_unchanged
            ],
        )?;
        staging.commit()?;
        Ok(outcome)
    }
}

/// What [`ImportSession::finish`] reports when it rolls back.
fn rolled_back(problems: Vec<StagedProblem>, rows_staged: u64) -> ImportOutcome {
    ImportOutcome {
        import_id: None,
        problems,
        rows_staged,
        rows_new: 0,
        rows_revised: 0,
        rows_corrected: 0,
        rows_unchanged: 0,
        series_created: 0,
    }
}

/// Adds to `revisions` the staged rows that name a vintage, for a period the store has, with
/// a value or status not stored under that vintage.
fn insert_revisions_with_vintage(staging: &mut dyn Staging) -> Result<(), StoreError> {
    staging.execute(
        "INSERT INTO revisions
             (line, series_id, period, period_end, vintage, value, status, vintage_basis)
         SELECT s.line, s.series_id, s.period, s.period_end, s.vintage, s.value, s.status,
                'explicit'
         FROM staging s
         WHERE s.vintage IS NOT NULL
           AND EXISTS (SELECT 1 FROM observations o
                       WHERE o.series_id = s.series_id AND o.period = s.period)
           AND NOT EXISTS (SELECT 1 FROM observations o
                           WHERE o.series_id = s.series_id AND o.period = s.period
                             AND o.vintage = s.vintage AND o.value = s.value
                             AND o.status = s.status)",
        &[],
    )?;
    Ok(())
}

/// The condition on a `revisions` row that replaces a different value stored under the
/// same (series, period, vintage).
const CHANGES_A_STORED_VALUE: &str = "EXISTS (SELECT 1 FROM observations o
     WHERE o.series_id = revisions.series_id AND o.period = revisions.period
       AND o.vintage = revisions.vintage
       AND (o.value <> revisions.value OR o.status <> revisions.status))";

/// A revision that would replace a value stored under the same vintage date.
struct Correction {
    line: u64,
    series: String,
    period: String,
    vintage: String,
    stored: (f64, String),
    staged: (f64, String),
}

impl Correction {
    fn refusal(&self) -> StagedProblem {
        let value = |(value, status): &(f64, String)| match status.as_str() {
            "normal" => value.to_string(),
            status => format!("{value} ({status})"),
        };
        StagedProblem {
            line: self.line,
            series: self.series.clone(),
            period: self.period.clone(),
            reason: format!(
                "{} for {} is stored as {} under vintage {}; this file says {} for the same \
                 vintage date: a correction of a stored figure is refused unless it is \
                 imported with --correct, which keeps the replaced value",
                self.series,
                self.period,
                value(&self.stored),
                self.vintage,
                value(&self.staged)
            ),
        }
    }
}

fn corrections(staging: &mut dyn Staging) -> Result<Vec<Correction>, StoreError> {
    query_map(
        staging,
        "SELECT r.line, r.series_id, r.period, r.vintage, o.value, o.status, r.value, r.status
         FROM revisions r
         JOIN observations o
           ON o.series_id = r.series_id AND o.period = r.period AND o.vintage = r.vintage
         WHERE o.value <> r.value OR o.status <> r.status
         ORDER BY r.line, r.series_id, r.period",
        &[],
        |row| {
            Ok(Correction {
                line: row.count(0)?,
                series: row.text(1)?,
                period: row.text(2)?,
                vintage: row.text(3)?,
                stored: (row.real(4)?, row.text(5)?),
                staged: (row.real(6)?, row.text(7)?),
            })
        },
    )
}

/// Copies the stored values that `revisions` replace into the append-only
/// `observation_corrections`, with the import that replaces them; returns how many.
fn keep_corrected_values(staging: &mut dyn Staging, import_id: i64) -> Result<u64, StoreError> {
    staging.execute(
        "INSERT INTO observation_corrections
             (series_id, period, vintage, value, status, vintage_basis, import_id,
              corrected_by_import)
         SELECT o.series_id, o.period, o.vintage, o.value, o.status, o.vintage_basis,
                o.import_id, CAST($1 AS bigint)
         FROM revisions r
         JOIN observations o
           ON o.series_id = r.series_id AND o.period = r.period AND o.vintage = r.vintage
         WHERE o.value <> r.value OR o.status <> r.status",
        params![import_id],
    )
}

/// Stores `revisions`; returns how many. Rows that name their vintage go first and in a
/// statement of their own, so that one of them and a row without a vintage that the plan
/// dates the same day are written one after the other, as they always were.
fn apply_revisions(staging: &mut dyn Staging, import_id: i64) -> Result<u64, StoreError> {
    let mut revised = 0;
    for basis in ["= 'explicit'", "<> 'explicit'"] {
        revised += staging.execute(
            &format!(
                "{INSERT_OBSERVATIONS}
                 SELECT series_id, period, period_end, vintage, value, status, vintage_basis,
                        CAST($1 AS bigint)
                 FROM revisions WHERE vintage_basis {basis}
                 {UPSERT_OBSERVATIONS}"
            ),
            params![import_id],
        )?;
    }
    Ok(revised)
}

/// Stores the staged rows that name a vintage, for periods the store does not have;
/// returns how many.
fn insert_new_with_vintage(staging: &mut dyn Staging, import_id: i64) -> Result<u64, StoreError> {
    staging.execute(
        &format!(
            "{INSERT_OBSERVATIONS}
             SELECT s.series_id, s.period, s.period_end, s.vintage, s.value, s.status,
                    'explicit', CAST($1 AS bigint)
             FROM staging s
             WHERE s.vintage IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM observations o
                               WHERE o.series_id = s.series_id AND o.period = s.period)"
        ),
        params![import_id],
    )
}

/// A staged row as reported by a problem check.
struct StagedKey {
    line: u64,
    series: String,
    period: String,
    vintage: Option<String>,
}

fn staged_key(row: &Row) -> Result<StagedKey, StoreError> {
    Ok(StagedKey {
        line: row.count(0)?,
        series: row.text(1)?,
        period: row.text(2)?,
        vintage: row.opt_text(3)?,
    })
}

/// Staged rows whose series is not in `series`, in line order.
fn unknown_series(staging: &mut dyn Staging) -> Result<Vec<StagedKey>, StoreError> {
    query_map(
        staging,
        "SELECT line, series_id, period, vintage FROM staging s
         WHERE NOT EXISTS (SELECT 1 FROM series WHERE id = s.series_id)
         ORDER BY line",
        &[],
        staged_key,
    )
}

/// Keys (series, period, vintage) staged more than once. Grouping is cheaper than a window
/// over all staged rows, and usually finds nothing.
fn duplicate_keys(staging: &dyn Staging) -> String {
    let missing = staging.missing_vintage();
    format!(
        "SELECT series_id, period, coalesce(vintage, {missing}) FROM staging
         GROUP BY series_id, period, coalesce(vintage, {missing}) HAVING count(*) > 1"
    )
}

/// Staged rows of known series whose (series, period, vintage) is staged more than once,
/// ordered by that key and then by line.
fn duplicates(staging: &mut dyn Staging) -> Result<Vec<StagedKey>, StoreError> {
    let missing = staging.missing_vintage();
    let statement = format!(
        "SELECT line, series_id, period, vintage FROM staging s
         WHERE (series_id, period, coalesce(vintage, {missing})) IN ({})
           AND EXISTS (SELECT 1 FROM series WHERE id = s.series_id)
         ORDER BY series_id, period, vintage, line",
        duplicate_keys(staging)
    );
    query_map(staging, &statement, &[], staged_key)
}

/// Removes the rows reported by [`unknown_series`] and [`duplicates`].
fn discard_rejected(staging: &mut dyn Staging) -> Result<(), StoreError> {
    let missing = staging.missing_vintage();
    let statement = format!(
        "DELETE FROM staging
         WHERE NOT EXISTS (SELECT 1 FROM series WHERE id = staging.series_id);
         DELETE FROM staging
         WHERE (series_id, period, coalesce(vintage, {missing})) IN ({});",
        duplicate_keys(staging)
    );
    staging.batch(&statement)
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
