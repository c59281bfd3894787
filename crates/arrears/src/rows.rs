//! A small streaming CSV reader with a fixed header, positions and redacted raw rows.
//!
//! One `StringRecord` is reused for every row, so reading allocates nothing per row. Rows
//! that cannot be read (bad UTF-8, wrong number of fields) become [`Reject`]s and the read
//! goes on; only IO failures stop it.

use std::fmt;
use std::io::Read;
use std::sync::Arc;

use csv::StringRecord;

use crate::ArrearsError;

/// Written in place of a personal cell (HKID, name, free text) in a rejects file.
pub const REDACTED: &str = "[redacted]";

/// Where something is in an input: file, line (1-based) and column (1-based, with its name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: Arc<str>,
    pub line: u64,
    pub column: Option<usize>,
    pub column_name: Option<&'static str>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if let Some(column) = self.column {
            write!(f, ":{column}")?;
            if let Some(name) = self.column_name {
                write!(f, " (column '{name}')")?;
            }
        }
        Ok(())
    }
}

/// A row that cannot be used, with where and why.
///
/// Neither `reason` nor `raw` ever holds an HKID or a person's name: personal cells are
/// replaced by [`REDACTED`] in `raw`, and reasons never quote them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub location: Location,
    pub reason: String,
    /// The row as CSV for the rejects file, personal cells redacted.
    pub raw: String,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.reason)
    }
}

/// Counts of one file read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadSummary {
    /// Data rows read (the header excluded).
    pub rows_read: u64,
    pub records: u64,
    pub rejected: u64,
}

/// The shape of one input format: its header and which columns hold personal data.
pub(crate) struct Layout {
    pub(crate) columns: &'static [&'static str],
    pub(crate) personal: &'static [usize],
}

impl Layout {
    pub(crate) fn header(&self) -> String {
        self.columns.join(",")
    }
}

pub(crate) struct Table<R: Read> {
    reader: csv::Reader<R>,
    record: StringRecord,
    file: Arc<str>,
    layout: &'static Layout,
    line: u64,
    /// Added to the CSV reader's line numbers: a block's first line, less one.
    line_offset: u64,
}

impl<'b> Table<&'b [u8]> {
    /// The data rows of a [`crate::blocks::Block`] (no header), numbered from its first line.
    pub(crate) fn block(
        bytes: &'b [u8],
        file: Arc<str>,
        layout: &'static Layout,
        first_line: u64,
    ) -> Table<&'b [u8]> {
        Table {
            reader: reader_builder().from_reader(bytes),
            record: StringRecord::new(),
            file,
            layout,
            line: first_line.saturating_sub(1),
            line_offset: first_line.saturating_sub(1),
        }
    }
}

fn reader_builder() -> csv::ReaderBuilder {
    let mut builder = csv::ReaderBuilder::new();
    builder.has_headers(false).flexible(true);
    builder
}

impl<R: Read> Table<R> {
    /// Opens `reader` and checks its header row (a leading byte-order mark is ignored).
    pub(crate) fn open(
        reader: R,
        file: &str,
        layout: &'static Layout,
    ) -> Result<Table<R>, ArrearsError> {
        let mut table = Table {
            reader: reader_builder().from_reader(reader),
            record: StringRecord::new(),
            file: file.into(),
            layout,
            line: 0,
            line_offset: 0,
        };
        let header_error = |column| ArrearsError::Header {
            file: file.to_owned(),
            expected: layout.header(),
            column,
        };
        match table.reader.read_record(&mut table.record) {
            Ok(true) => {}
            Ok(false) => {
                return Err(ArrearsError::Empty {
                    file: file.to_owned(),
                    expected: layout.header(),
                });
            }
            Err(error) => {
                return Err(match error.kind() {
                    csv::ErrorKind::Io(_) => table.io_error(error),
                    _ => header_error(1),
                });
            }
        }
        for (index, expected) in layout.columns.iter().enumerate() {
            let found = table.record.get(index).map(|cell| {
                let cell = if index == 0 {
                    cell.trim_start_matches('\u{feff}')
                } else {
                    cell
                };
                cell.trim()
            });
            if found != Some(*expected) {
                return Err(header_error(index + 1));
            }
        }
        if table.record.len() != layout.columns.len() {
            return Err(header_error(layout.columns.len() + 1));
        }
        Ok(table)
    }

    /// A failure to read the input. Only called for `csv::ErrorKind::Io`; any other kind
    /// is turned into an IO error without its text, which could quote a cell.
    fn io_error(&self, error: csv::Error) -> ArrearsError {
        let source = match error.into_kind() {
            csv::ErrorKind::Io(source) => source,
            _ => std::io::Error::other("the input cannot be read"),
        };
        ArrearsError::Io {
            file: self.file.to_string(),
            source,
        }
    }

    /// The next data row: `Ok(None)` at the end, `Ok(Some(Err(..)))` for a row that cannot
    /// be read as this layout, `Err` when reading fails.
    pub(crate) fn next_row(&mut self) -> Result<Option<Result<Row<'_, R>, Reject>>, ArrearsError> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                self.line = self
                    .record
                    .position()
                    .map_or(self.line + 1, |position| self.line_offset + position.line());
                let expected = self.layout.columns.len();
                if self.record.len() == expected {
                    Ok(Some(Ok(Row { table: self })))
                } else {
                    let reason = format!(
                        "expected {expected} fields ({}), found {}",
                        self.layout.header(),
                        self.record.len()
                    );
                    Ok(Some(Err(Row { table: self }.reject_row(reason))))
                }
            }
            Err(error) => {
                let line = error
                    .position()
                    .map_or(self.line + 1, |position| self.line_offset + position.line());
                let (column, reason) = match error.kind() {
                    csv::ErrorKind::Io(_) => {
                        return Err(self.io_error(error));
                    }
                    csv::ErrorKind::Utf8 { err, .. } => (
                        Some(err.field() + 1),
                        "not valid UTF-8; save the file as UTF-8 (in Excel: \"CSV UTF-8\")",
                    ),
                    _ => (None, "the row cannot be read as CSV"),
                };
                self.line = line;
                let column_name = column.and_then(|c| self.layout.columns.get(c - 1).copied());
                Ok(Some(Err(Reject {
                    location: Location {
                        file: Arc::clone(&self.file),
                        line,
                        column,
                        column_name,
                    },
                    reason: reason.to_owned(),
                    // The bytes could not be decoded, so nothing of them is shown.
                    raw: REDACTED.to_owned(),
                })))
            }
        }
    }
}

/// One row of a [`Table`] with the expected number of fields.
pub(crate) struct Row<'t, R: Read> {
    table: &'t Table<R>,
}

impl<R: Read> Row<'_, R> {
    /// The trimmed text of cell `index` (0-based; the layout guarantees it exists).
    pub(crate) fn cell(&self, index: usize) -> &str {
        let cell = self.table.record.get(index).unwrap_or_default();
        // Most cells have nothing to trim; `trim` would decode every character to know.
        match (cell.as_bytes().first(), cell.as_bytes().last()) {
            (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => {
                cell
            }
            _ => cell.trim(),
        }
    }

    pub(crate) fn line(&self) -> u64 {
        self.table.line
    }

    /// Where the row starts in the table's input, in bytes.
    pub(crate) fn offset(&self) -> u64 {
        self.table.record.position().map_or(0, csv::Position::byte)
    }

    /// A reject of cell `index` (0-based).
    pub(crate) fn reject(&self, index: usize, reason: impl Into<String>) -> Reject {
        Reject {
            location: Location {
                file: Arc::clone(&self.table.file),
                line: self.table.line,
                column: Some(index + 1),
                column_name: self.table.layout.columns.get(index).copied(),
            },
            reason: reason.into(),
            raw: redacted(&self.table.record, self.table.layout),
        }
    }

    /// A reject of the row as a whole.
    pub(crate) fn reject_row(&self, reason: impl Into<String>) -> Reject {
        Reject {
            location: Location {
                file: Arc::clone(&self.table.file),
                line: self.table.line,
                column: None,
                column_name: None,
            },
            reason: reason.into(),
            raw: redacted(&self.table.record, self.table.layout),
        }
    }
}

/// A reject of the whole record that starts at `offset` in `bytes` (a block already
/// parsed once), for a check that can only be made after parsing, such as duplicates.
pub(crate) fn reject_record_at(
    bytes: &[u8],
    offset: u64,
    location: Location,
    layout: &Layout,
    reason: String,
) -> Reject {
    let mut record = StringRecord::new();
    let start = usize::try_from(offset).map_or(bytes.len(), |start| start.min(bytes.len()));
    let raw = match reader_builder()
        .from_reader(&bytes[start..])
        .read_record(&mut record)
    {
        Ok(true) => redacted(&record, layout),
        _ => REDACTED.to_owned(),
    };
    Reject {
        location,
        reason,
        raw,
    }
}

/// The record as CSV with every personal cell replaced by [`REDACTED`] (a non-empty one:
/// an empty cell says nothing about a person and shows why the row was rejected).
fn redacted(record: &StringRecord, layout: &Layout) -> String {
    let mut raw = String::new();
    for (index, cell) in record.iter().enumerate() {
        if index > 0 {
            raw.push(',');
        }
        let personal = layout.personal.contains(&index) && !cell.trim().is_empty();
        let cell = if personal { REDACTED } else { cell };
        if cell.contains([',', '"', '\n', '\r']) {
            raw.push('"');
            raw.push_str(&cell.replace('"', "\"\""));
            raw.push('"');
        } else {
            raw.push_str(cell);
        }
    }
    raw
}
