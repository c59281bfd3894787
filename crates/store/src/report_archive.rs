//! Reports generated through the API, kept with their files and who generated them.

use domain::Date;

use crate::sql::{Row, params, query_map, query_one, query_opt};
use crate::{SqlStore, StoreError, corrupt};

/// The archive of generated reports.
pub trait ReportArchive {
    /// Stores a report and its files in one transaction; returns its id.
    fn add_report(
        &mut self,
        report: &ArchivedReport,
        files: &[ReportFile],
    ) -> Result<i64, StoreError>;

    /// Every report, newest first, with the formats it has.
    fn reports(&mut self) -> Result<Vec<(ArchivedReport, Vec<String>)>, StoreError>;

    /// One file of a report; `None` when the report or the format does not exist.
    fn report_file(&mut self, id: i64, format: &str) -> Result<Option<ReportFile>, StoreError>;
}

/// A report as archived. `id` is ignored by [`ReportArchive::add_report`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedReport {
    pub id: i64,
    pub as_of: Date,
    pub since: Date,
    /// `both`, `zh-Hant` or `en`.
    pub languages: String,
    pub generated_by: String,
    pub generated_at: String,
}

/// One file of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    /// `html`, `xlsx` or `pdf`.
    pub format: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

fn decode_date(text: &str) -> Result<Date, StoreError> {
    domain::parse_date(text).map_err(|error| corrupt("reports", error))
}

fn decode_report(row: &Row) -> Result<ArchivedReport, StoreError> {
    Ok(ArchivedReport {
        id: row.int(0)?,
        as_of: decode_date(&row.text(1)?)?,
        since: decode_date(&row.text(2)?)?,
        languages: row.text(3)?,
        generated_by: row.text(4)?,
        generated_at: row.text(5)?,
    })
}

impl ReportArchive for SqlStore {
    fn add_report(
        &mut self,
        report: &ArchivedReport,
        files: &[ReportFile],
    ) -> Result<i64, StoreError> {
        let mut transaction = self.database.transaction()?;
        let (as_of, since) = (report.as_of.to_string(), report.since.to_string());
        let id = query_one(
            &mut *transaction,
            "INSERT INTO reports (as_of, since, languages, generated_by, generated_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            params![
                as_of.as_str(),
                since.as_str(),
                &report.languages,
                &report.generated_by,
                &report.generated_at
            ],
        )?
        .int(0)?;
        for file in files {
            transaction.execute(
                "INSERT INTO report_files (report_id, format, content_type, bytes)
                 VALUES ($1, $2, $3, $4)",
                params![id, &file.format, &file.content_type, file.bytes.as_slice()],
            )?;
        }
        transaction.commit()?;
        Ok(id)
    }

    fn reports(&mut self) -> Result<Vec<(ArchivedReport, Vec<String>)>, StoreError> {
        let reports = query_map(
            &mut *self.database,
            "SELECT id, as_of, since, languages, generated_by, generated_at
             FROM reports ORDER BY id DESC",
            &[],
            decode_report,
        )?;
        let formats = query_map(
            &mut *self.database,
            "SELECT report_id, format FROM report_files ORDER BY report_id, format",
            &[],
            |row| Ok((row.int(0)?, row.text(1)?)),
        )?;
        Ok(reports
            .into_iter()
            .map(|report| {
                let own = formats
                    .iter()
                    .filter(|(id, _)| *id == report.id)
                    .map(|(_, format)| format.clone())
                    .collect();
                (report, own)
            })
            .collect())
    }

    fn report_file(&mut self, id: i64, format: &str) -> Result<Option<ReportFile>, StoreError> {
        query_opt(
            &mut *self.database,
            "SELECT format, content_type, bytes FROM report_files
             WHERE report_id = $1 AND format = $2",
            params![id, format],
        )?
        .map(|row| {
            Ok(ReportFile {
                format: row.text(0)?,
                content_type: row.text(1)?,
                bytes: row.bytes(2)?,
            })
        })
        .transpose()
    }
}
