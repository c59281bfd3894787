//! One file into the store: parse, stage, check, merge, all in one transaction.

use std::io::Read;
use std::path::PathBuf;

use domain::{Date, Observation, SeriesId, SeriesMeta};
use ingest::{Container, Format, Input, Limits, Location, MappingSpec, MetadataOrigin, Reject};
use store::{FinishOptions, ImportInfo, ImportSession, MetadataAuthority, StagedRow};

use crate::rejects::RejectsFile;
use crate::{Engine, EngineError};

/// Enough of a CSV file to tell its format from its first rows.
const SNIFF_BYTES: usize = 64 * 1024;

/// The wall-clock facts of an import, passed in so that the engine never reads the clock.
#[derive(Debug, Clone)]
pub struct ImportTime {
    /// RFC 3339, recorded with the import.
    pub imported_at: String,
    /// Today in Hong Kong: the vintage of changed values when the file names none.
    pub today: Date,
}

/// What the import is doing now, for progress displays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Reading,
    /// Checking staged rows for duplicates and unknown series, then merging vintages.
    Merging,
}

/// One file to import.
pub struct ImportRequest<'a> {
    /// The file as the user named it; used in every message.
    pub name: String,
    pub reader: Box<dyn Read + 'a>,
    pub container: Container,
    pub format: Option<Format>,
    pub mapping: Option<&'a MappingSpec>,
    /// The release date of the file, overriding any the file states.
    pub vintage: Option<Date>,
    /// Commit the good rows even when some are bad.
    pub allow_partial: bool,
    /// Accept values that change a value stored under the same vintage date; the replaced
    /// values are kept in the corrections record.
    pub correct: bool,
    pub rejects_path: PathBuf,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    pub file_name: String,
    /// `None` for a workbook (each sheet has its own).
    pub format: Option<Format>,
    pub sheets: Vec<String>,
    pub rows_read: u64,
    pub observations_read: u64,
    pub cells_without_value: u64,
    /// The vintage given to revised values: `--vintage`, else the file's release date.
    pub file_vintage: Option<Date>,
    /// False when the import was rolled back because of bad rows.
    pub committed: bool,
    pub import_id: Option<i64>,
    pub rows_new: u64,
    pub rows_revised: u64,
    /// Of the revised, the corrections of values stored under the same vintage date.
    pub rows_corrected: u64,
    pub rows_unchanged: u64,
    pub series_created: u64,
    pub rejected: u64,
    /// The first few rejects, as `file:line:column: reason`.
    pub rejects_shown: Vec<String>,
    pub rejects_file: Option<PathBuf>,
}

/// A mapping file (TOML) suggested for the table of `reader` (a CSV, a workbook's first
/// sheet, a JSON document): header rows, data rows, periods down a column or across, row
/// labels. The user checks and edits it, then imports with `--map`.
pub fn suggest_mapping(name: &str, reader: Box<dyn Read + '_>) -> Result<String, EngineError> {
    let input = Input {
        name: name.to_owned(),
        container: Container::from_file_name(name),
        format: None,
        mapping: None,
        limits: Limits::default(),
    };
    Ok(ingest::suggest_mapping(&input, reader)?)
}

impl Engine {
    /// Imports one file. Bad rows never stop the parse; unless `allow_partial`, any bad row
    /// rolls the whole import back (the report says so and `committed` is false).
    pub fn import(
        &mut self,
        request: ImportRequest<'_>,
        time: &ImportTime,
        on_phase: &mut dyn FnMut(Phase),
    ) -> Result<ImportReport, EngineError> {
        let mut input = Input {
            name: request.name.clone(),
            container: request.container,
            format: request.format,
            mapping: request.mapping,
            limits: Limits::default(),
        };
        let mut reader = request.reader;
        let mut prefix = Vec::with_capacity(SNIFF_BYTES);
        (&mut reader)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut prefix)
            .map_err(|source| ingest::IngestError::Io {
                file: request.name.clone(),
                source,
            })?;
        input.format = ingest::sniff_format(&input, &prefix)?;
        let reader = Box::new(std::io::Cursor::new(prefix).chain(reader));

        let info = ImportInfo {
            file_name: request.name.clone(),
            format: input
                .format
                .map(Format::as_str)
                .or(input.container.label())
                .unwrap_or("unknown")
                .to_owned(),
            imported_at: time.imported_at.clone(),
        };
        let mut rejects = RejectsFile::new(request.rejects_path);
        on_phase(Phase::Reading);
        let mut session = self.store.begin_import(&info)?;
        let mut sink = StoreSink {
            session: session.as_mut(),
            rejects: &mut rejects,
            failure: None,
        };
        let parsed = ingest::parse(&input, reader, &mut sink);
        if let Some(failure) = sink.failure.take() {
            return Err(failure);
        }
        let summary = parsed?;
        on_phase(Phase::Merging);
        let file_vintage = request.vintage.or(summary.release_date);
        let outcome = session.finish(&FinishOptions {
            file_vintage,
            import_date: time.today,
            allow_partial: request.allow_partial,
            rejected_before: summary.rejected,
            accept_corrections: request.correct,
        })?;
        for problem in &outcome.problems {
            let reason = &problem.reason;
            rejects.show(format!("{}:{}: {reason}", request.name, problem.line));
            rejects.add(&request.name, None, problem.line, None, reason, "")?;
        }
        let (rejects_file, rejects_shown, rejected) = rejects.close()?;
        Ok(ImportReport {
            file_name: request.name,
            format: summary
                .format
                .filter(|_| input.container != Container::Xlsx),
            sheets: summary.sheets,
            rows_read: summary.rows_read,
            observations_read: summary.observations,
            cells_without_value: summary.cells_without_value,
            file_vintage,
            committed: outcome.import_id.is_some(),
            import_id: outcome.import_id,
            rows_new: outcome.rows_new,
            rows_corrected: outcome.rows_corrected,
            rows_revised: outcome.rows_revised,
            rows_unchanged: outcome.rows_unchanged,
            series_created: outcome.series_created,
            rejected,
            rejects_shown,
            rejects_file,
        })
    }
}

/// Hands parsed records to the import session and bad rows to the rejects file.
struct StoreSink<'s, 'r> {
    session: &'s mut (dyn ImportSession + 'r),
    rejects: &'s mut RejectsFile,
    /// A rejects-file failure, kept until the parser returns (`Sink::reject` cannot fail).
    failure: Option<EngineError>,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl ingest::Sink for StoreSink<'_, '_> {
    fn series(&mut self, meta: &SeriesMeta, origin: MetadataOrigin) -> Result<(), BoxError> {
        let authority = match origin {
            MetadataOrigin::Declared => MetadataAuthority::Declared,
            MetadataOrigin::Inferred => MetadataAuthority::Inferred,
        };
        Ok(self.session.upsert_series(meta, authority)?)
    }

    fn observation(
        &mut self,
        series: &SeriesId,
        observation: &Observation,
        location: &Location,
    ) -> Result<(), BoxError> {
        let row = StagedRow {
            line: location.line,
            series,
            observation,
        };
        Ok(self.session.stage(&row)?)
    }

    fn reject(&mut self, reject: Reject) {
        if self.failure.is_some() {
            return;
        }
        self.rejects.show(reject.to_string());
        let location = &reject.location;
        if let Err(error) = self.rejects.add(
            &location.file,
            location.sheet.as_deref(),
            location.line,
            location.column,
            &reject.reason,
            &reject.raw,
        ) {
            self.failure = Some(error);
        }
    }
}
