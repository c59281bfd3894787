//! Streaming parsers for statistics files.
//!
//! Each supported [`Format`] turns an input (CSV, or one XLSX sheet of the same shape) into
//! series metadata and [`Observation`]s handed to a [`Sink`] one at a time, so a file of any
//! size is read in bounded memory. A malformed row never stops the parse: it becomes a
//! [`Reject`] naming the file, line, column and reason, and the caller decides whether the
//! import as a whole goes ahead.

mod alfred;
mod cells;
mod csd_api;
mod csd_labels;
mod csd_table;
mod detect;
mod fred;
mod long;
mod mapped;
mod rows;
mod suggest;
mod workbook;
mod workbook_csv;
mod xls;

use domain::{Date, Observation, SeriesId, SeriesMeta};
pub use domain::{Location, Reject};

use detect::detect_format;
pub use detect::{Container, Format};
pub use long::SERIES_METADATA_COLUMNS;
pub use mapped::MappingSpec;
pub use suggest::suggest_mapping;
pub use workbook_csv::workbook_as_csv;

/// Limits on what one input may hold; exceeding them is an error, not a slow death.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// XLSX and JSON files are read whole into memory (a workbook is unzipped, a JSON
    /// document parsed), so their size is capped: a JSON document takes about six times
    /// its size while it is read.
    pub whole_file_bytes_max: u64,
    /// A row longer than this stops the read rather than being buffered.
    pub row_bytes_max: usize,
    /// What the parts of a zipped workbook (XLSX, XLSB, ODS) may hold once inflated, all
    /// together: a zip bomb of a few megabytes inflates to gigabytes.
    pub workbook_uncompressed_bytes_max: u64,
    /// Cells a workbook's sheets may hold, and the rectangle each sheet's cells span may
    /// cover: a sheet is read as one dense range of that rectangle (a cell at XFD1048576
    /// alone would span 17 billion cells).
    pub workbook_cells_max: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            whole_file_bytes_max: 64 * 1024 * 1024,
            row_bytes_max: 1024 * 1024,
            workbook_uncompressed_bytes_max: 128 * 1024 * 1024,
            workbook_cells_max: 2 * 1024 * 1024,
        }
    }
}

/// Why an input cannot be read at all (as opposed to a bad row, which is a [`Reject`]).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{file}: cannot read")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{file}: unknown format; lmo reads {formats} (as .csv, or as sheets of an .xlsx workbook); name one with --format, or give a mapping with --map"
    )]
    UnknownFormat { file: String, formats: String },
    #[error("{location}: {reason}")]
    Malformed { location: Location, reason: String },
    #[error(
        "{file}: not valid UTF-8 at line {line}, column {column}; save the file as UTF-8 (in Excel: \"CSV UTF-8\")"
    )]
    Encoding {
        file: String,
        line: u64,
        column: usize,
    },
    #[error(
        "{file}:{line}: the row is longer than the limit of {limit} bytes (a missing line end, or a quote never closed?)"
    )]
    RowTooLong {
        file: String,
        line: u64,
        limit: usize,
    },
    #[error("{file}: {reason}")]
    NoRows { file: String, reason: &'static str },
    #[error("{file}: the workbook cannot be read: {reason}")]
    Workbook { file: String, reason: String },
    #[error(
        "{file}: {size_bytes} bytes is more than the limit of {limit_bytes} bytes for a file read whole (XLSX, JSON); export it as CSV"
    )]
    TooLarge {
        file: String,
        size_bytes: u64,
        limit_bytes: u64,
    },
    #[error("mapping {file}: {reason}")]
    Mapping { file: String, reason: String },
    #[error("storing the rows failed")]
    Sink(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Whether series metadata comes from a person (a metadata file) or was worked out by a parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataOrigin {
    Declared,
    Inferred,
}

/// Where parsed records go. Errors returned by a sink abort the parse.
pub trait Sink {
    fn series(
        &mut self,
        meta: &SeriesMeta,
        origin: MetadataOrigin,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>>;

    fn observation(
        &mut self,
        series: &SeriesId,
        observation: &Observation,
        location: &Location,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>>;

    fn reject(&mut self, reject: Reject);
}

/// What a parse found besides the records it handed to the sink.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParseSummary {
    pub format: Option<Format>,
    pub rows_read: u64,
    pub observations: u64,
    pub rejected: u64,
    /// Cells published as a symbol meaning "no value" (`N.A.`, `-`, confidential `*`, blank).
    pub cells_without_value: u64,
    /// The file's own release date (C&SD footers), used as the vintage of revisions.
    pub release_date: Option<Date>,
    /// Sheets read, for workbooks.
    pub sheets: Vec<String>,
}

/// Everything needed to parse one input.
pub struct Input<'a> {
    /// Shown in messages: usually the path as the user typed it.
    pub name: String,
    pub container: Container,
    /// `None` means: detect from the content.
    pub format: Option<Format>,
    pub mapping: Option<&'a MappingSpec>,
    pub limits: Limits,
}

/// The format of a CSV input told from its first bytes (a workbook has one format per sheet,
/// so this answers `None` for it). Give at least the first few kilobytes. Only whole lines
/// of `prefix` are looked at: `None` when not even the first line ends in it (then
/// [`parse`] tells the format from the whole first row, or says why it cannot).
pub fn sniff_format(input: &Input<'_>, prefix: &[u8]) -> Result<Option<Format>, IngestError> {
    if input.container != Container::Csv {
        return Ok(None);
    }
    if let Some(format) = input.format {
        return Ok(Some(format));
    }
    let Some(last_line_end) = prefix
        .iter()
        .rposition(|&byte| matches!(byte, b'\n' | b'\r'))
    else {
        return Ok(None);
    };
    let lines = &prefix[..=last_line_end];
    let mut rows = rows::Rows::from_csv(&input.name, Box::new(lines), input.limits)?;
    detect_format(&mut rows, input.mapping.is_some()).map(Some)
}

/// Parses `reader` into `sink`.
pub fn parse(
    input: &Input<'_>,
    reader: Box<dyn std::io::Read + '_>,
    sink: &mut dyn Sink,
) -> Result<ParseSummary, IngestError> {
    match input.container {
        Container::Csv => {
            let mut rows = rows::Rows::from_csv(&input.name, reader, input.limits)?;
            parse_rows(input, &mut rows, sink)
        }
        Container::Json => {
            let mut rows = rows::Rows::from_json(&input.name, reader, input.limits)?;
            parse_rows(input, &mut rows, sink)
        }
        Container::Xlsx => {
            let mut summary = ParseSummary::default();
            for mut rows in rows::Rows::from_xlsx(&input.name, reader, input.limits)? {
                let sheet = rows.sheet_name().unwrap_or_default().to_owned();
                let sheet_summary = parse_rows(input, &mut rows, sink)?;
                summary.format = summary.format.or(sheet_summary.format);
                summary.rows_read += sheet_summary.rows_read;
                summary.observations += sheet_summary.observations;
                summary.rejected += sheet_summary.rejected;
                summary.cells_without_value += sheet_summary.cells_without_value;
                summary.release_date = summary.release_date.or(sheet_summary.release_date);
                summary.sheets.push(sheet);
            }
            Ok(summary)
        }
    }
}

fn parse_rows(
    input: &Input<'_>,
    rows: &mut rows::Rows<'_>,
    sink: &mut dyn Sink,
) -> Result<ParseSummary, IngestError> {
    let format = match input.format {
        Some(format) => format,
        None => detect_format(rows, input.mapping.is_some())?,
    };
    let mut counting = CountingSink {
        inner: sink,
        summary: ParseSummary {
            format: Some(format),
            ..ParseSummary::default()
        },
    };
    match format {
        Format::CsdTable => csd_table::parse(rows, &mut counting)?,
        Format::CsdApi => csd_api::parse(rows, &mut counting)?,
        Format::Fred => fred::parse(rows, &mut counting)?,
        Format::Alfred => alfred::parse(rows, &mut counting)?,
        Format::Long => long::parse_observations(rows, &mut counting)?,
        Format::SeriesMetadata => long::parse_metadata(rows, &mut counting)?,
        Format::Mapped => {
            let spec = input.mapping.ok_or_else(|| IngestError::Mapping {
                file: input.name.clone(),
                reason: "the mapped format needs a mapping file (--map FILE)".to_owned(),
            })?;
            mapped::parse(rows, spec, &mut counting)?;
        }
    }
    counting.summary.rows_read = rows.rows_read();
    Ok(counting.summary)
}

/// Wraps the caller's sink and counts what passes through, so parsers stay simple.
pub(crate) struct CountingSink<'a> {
    inner: &'a mut dyn Sink,
    summary: ParseSummary,
}

impl CountingSink<'_> {
    pub(crate) fn series(
        &mut self,
        meta: &SeriesMeta,
        origin: MetadataOrigin,
    ) -> Result<(), IngestError> {
        self.inner.series(meta, origin).map_err(IngestError::Sink)
    }

    pub(crate) fn observation(
        &mut self,
        series: &SeriesId,
        observation: &Observation,
        location: &Location,
    ) -> Result<(), IngestError> {
        self.summary.observations += 1;
        self.inner
            .observation(series, observation, location)
            .map_err(IngestError::Sink)
    }

    pub(crate) fn reject(&mut self, location: Location, reason: impl Into<String>, raw: String) {
        self.summary.rejected += 1;
        self.inner.reject(Reject {
            location,
            reason: reason.into(),
            raw,
        });
    }

    pub(crate) fn no_value(&mut self) {
        self.summary.cells_without_value += 1;
    }

    pub(crate) fn release_date(&mut self, date: Date) {
        self.summary.release_date = Some(date);
    }
}

/// The next readable row; unreadable rows are rejected on the way.
pub(crate) fn next_record<'r>(
    rows: &'r mut rows::Rows<'_>,
    sink: &mut CountingSink<'_>,
) -> Result<Option<(Location, &'r csv::StringRecord)>, IngestError> {
    loop {
        // Polonius would accept returning the record from inside the loop; this two-step
        // dance keeps today's borrow checker happy.
        match rows.next_row() {
            None => return Ok(None),
            Some(Ok(_)) => break,
            Some(Err(Ok(unreadable))) => {
                sink.reject(unreadable.location, unreadable.reason, String::new());
            }
            Some(Err(Err(fatal))) => return Err(fatal),
        }
    }
    let location = rows.location();
    Ok(Some((location, rows.current_record())))
}

/// The positions of named columns in a header row, matched case-insensitively.
pub(crate) struct Header {
    names: Vec<String>,
}

impl Header {
    pub(crate) fn read(record: &csv::StringRecord) -> Header {
        Header::from_names(record.iter().map(|name| name.trim().to_owned()).collect())
    }

    pub(crate) fn from_names(names: Vec<String>) -> Header {
        Header { names }
    }

    pub(crate) fn find(&self, wanted: &str) -> Option<usize> {
        self.names
            .iter()
            .position(|name| name.eq_ignore_ascii_case(wanted))
    }

    pub(crate) fn name(&self, index: usize) -> Option<&str> {
        self.names.get(index).map(String::as_str)
    }

    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// Fails unless every column is one of `allowed` and every one of `required` is present.
    pub(crate) fn check(
        &self,
        required: &[&str],
        allowed: &[&str],
        location: &Location,
    ) -> Result<(), IngestError> {
        for (index, name) in self.names.iter().enumerate() {
            if !allowed.iter().any(|known| known.eq_ignore_ascii_case(name)) {
                return Err(IngestError::Malformed {
                    location: location.at_column(index, Some(name)),
                    reason: format!(
                        "unknown column '{name}'; the columns are {}",
                        allowed.join(", ")
                    ),
                });
            }
        }
        for name in required {
            if self.find(name).is_none() {
                return Err(IngestError::Malformed {
                    location: location.clone(),
                    reason: format!(
                        "the header lacks the column '{name}'; required: {}",
                        required.join(", ")
                    ),
                });
            }
        }
        Ok(())
    }
}

/// The cells of a record joined back into one line, for the rejects file.
pub(crate) fn raw_row(record: &csv::StringRecord) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(record);
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).trim_end().to_owned()
}
