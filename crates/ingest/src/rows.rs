//! Rows from a CSV file or a workbook sheet, with their positions, read one at a time.

use std::collections::VecDeque;
use std::fmt;
use std::io::{Cursor, Read};
use std::sync::Arc;

use calamine::{Data, Range};
use csv::StringRecord;
use domain::{LineEnds, RecordEnds};
use memchr::memchr_iter;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::{IngestError, Limits, Location};

/// A row that could not be read at all.
pub(crate) struct UnreadableRow {
    pub(crate) location: Location,
    pub(crate) reason: String,
}

enum Source<'a> {
    Csv {
        reader: csv::Reader<CsvText<Box<dyn Read + 'a>>>,
        /// The input started with a byte-order mark (which the reader does not see).
        byte_order_mark: bool,
    },
    Sheet {
        range: Range<Data>,
        next_row: usize,
    },
    /// Rows already in memory (JSON records), each with its line.
    Records(VecDeque<(u64, StringRecord)>),
}

/// A stream of rows; the record buffer is reused so that reading allocates nothing per row.
pub(crate) struct Rows<'a> {
    source: Source<'a>,
    file: Arc<str>,
    sheet: Option<Arc<str>>,
    limits: Limits,
    lookahead: VecDeque<(u64, StringRecord)>,
    current: StringRecord,
    current_line: u64,
    n_rows_read: u64,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

impl<'a> Rows<'a> {
    pub(crate) fn from_csv(
        name: &str,
        reader: Box<dyn Read + 'a>,
        limits: Limits,
    ) -> Result<Rows<'a>, IngestError> {
        let mut reader = reader;
        // C&SD exports start with a byte-order mark; it must not become part of the first cell.
        let mut start = [0u8; 3];
        let mut n_start = 0;
        while n_start < 3 {
            let n = reader
                .read(&mut start[n_start..])
                .map_err(|source| IngestError::Io {
                    file: name.to_owned(),
                    source,
                })?;
            if n == 0 {
                break;
            }
            n_start += n;
        }
        let byte_order_mark = start[..n_start] == *UTF8_BOM;
        let kept: Vec<u8> = if byte_order_mark {
            Vec::new()
        } else {
            start[..n_start].to_vec()
        };
        let chained: Box<dyn Read + 'a> = Box::new(Cursor::new(kept).chain(reader));
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(CsvText::new(chained, limits.row_bytes_max));
        let source = Source::Csv {
            reader,
            byte_order_mark,
        };
        Ok(Rows::new(name, None, source, limits))
    }

    /// One `Rows` per sheet of a workbook (XLSX, XLSM, XLSB, XLS or ODS).
    pub(crate) fn from_xlsx(
        name: &str,
        reader: Box<dyn Read + 'a>,
        limits: Limits,
    ) -> Result<Vec<Rows<'a>>, IngestError> {
        let sheets = workbook_sheets(name, reader, limits)?;
        if sheets.is_empty() {
            return Err(workbook_error(name, EMPTY_WORKBOOK.to_owned()));
        }
        Ok(sheets
            .into_iter()
            .map(|(sheet_name, range)| {
                Rows::new(
                    name,
                    Some(sheet_name.into()),
                    Source::Sheet { range, next_row: 0 },
                    limits,
                )
            })
            .collect())
    }

    /// The records of a JSON document as rows: a header of every key, in the order first
    /// seen, then one row per record, on the line where the record starts. Strings are
    /// cells as they are, numbers as written, `null` an empty cell; a nested array or
    /// object stays JSON text (and is rejected by whatever reads that column as a value).
    pub(crate) fn from_json(
        name: &str,
        reader: Box<dyn Read + 'a>,
        limits: Limits,
    ) -> Result<Rows<'a>, IngestError> {
        let bytes = read_whole(name, reader, limits)?;
        let malformed = |line: u64, reason: String| IngestError::Malformed {
            location: Location {
                file: name.into(),
                sheet: None,
                line,
                column: None,
                column_name: None,
            },
            reason,
        };
        let text = std::str::from_utf8(&bytes).map_err(|error| {
            // One more piece than line feeds: the 1-based line.
            let line = bytes[..error.valid_up_to()]
                .split(|&byte| byte == b'\n')
                .count() as u64;
            malformed(line, "not valid UTF-8; save the file as UTF-8".to_owned())
        })?;
        let json_error =
            |error: serde_json::Error| malformed(error.line() as u64, error.to_string());
        let document: &RawValue = serde_json::from_str(text).map_err(json_error)?;
        let records: Vec<&RawValue> = if document.get().starts_with('[') {
            serde_json::from_str(document.get()).map_err(json_error)?
        } else {
            let members: Vec<(String, &RawValue)> =
                serde_json::from_str::<OrderedObject<'_>>(document.get())
                    .map_err(json_error)?
                    .0;
            let mut arrays = members
                .into_iter()
                .filter(|(_, value)| value.get().starts_with('['));
            match (arrays.next(), arrays.next()) {
                (Some((_, array)), None) => {
                    serde_json::from_str(array.get()).map_err(json_error)?
                }
                _ => {
                    return Err(malformed(
                        1,
                        "expected an array of records, or an object holding exactly one array"
                            .to_owned(),
                    ));
                }
            }
        };
        let mut header: Vec<String> = Vec::new();
        let mut parsed = Vec::with_capacity(records.len());
        let (mut line, mut counted_to) = (1u64, 0usize);
        for record in records {
            // Where the record starts in `text`, for its line number.
            let start = (record.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
            line += text
                .get(counted_to..start)
                .map_or(0, |skipped| skipped.matches('\n').count() as u64);
            counted_to = start.max(counted_to);
            let cells = serde_json::from_str::<OrderedObject<'_>>(record.get())
                .map_err(|_| malformed(line, "a record is not a JSON object".to_owned()))?
                .0;
            let mut row = vec![String::new(); header.len()];
            for (key, value) in cells {
                let index = header
                    .iter()
                    .position(|known| *known == key)
                    .unwrap_or_else(|| {
                        header.push(key);
                        row.push(String::new());
                        header.len() - 1
                    });
                row[index] = json_cell(value);
            }
            parsed.push((line, row));
        }
        let mut rows = VecDeque::with_capacity(parsed.len() + 1);
        rows.push_back((1, StringRecord::from(header.clone())));
        for (line, mut row) in parsed {
            row.resize(header.len(), String::new());
            if row.iter().map(String::len).sum::<usize>() > limits.row_bytes_max {
                return Err(malformed(
                    line,
                    format!(
                        "record is longer than the limit of {} bytes",
                        limits.row_bytes_max
                    ),
                ));
            }
            rows.push_back((line, StringRecord::from(row)));
        }
        Ok(Rows::new(name, None, Source::Records(rows), limits))
    }

    fn new(name: &str, sheet: Option<Arc<str>>, source: Source<'a>, limits: Limits) -> Rows<'a> {
        Rows {
            source,
            file: name.into(),
            sheet,
            limits,
            lookahead: VecDeque::new(),
            current: StringRecord::new(),
            current_line: 0,
            n_rows_read: 0,
        }
    }

    pub(crate) fn sheet_name(&self) -> Option<&str> {
        self.sheet.as_deref()
    }

    pub(crate) fn file_name(&self) -> &str {
        &self.file
    }

    pub(crate) fn current_record(&self) -> &StringRecord {
        &self.current
    }

    pub(crate) fn rows_read(&self) -> u64 {
        self.n_rows_read
    }

    /// The location of the row last returned by [`Rows::next_row`].
    pub(crate) fn location(&self) -> Location {
        self.location_of_line(self.current_line)
    }

    fn location_of_line(&self, line: u64) -> Location {
        Location {
            file: Arc::clone(&self.file),
            sheet: self.sheet.clone(),
            line,
            column: None,
            column_name: None,
        }
    }

    /// The error for an input without a single row, saying what it holds instead.
    pub(crate) fn no_rows(&self) -> IngestError {
        let reason = match &self.source {
            Source::Csv {
                reader,
                byte_order_mark,
            } => match (reader.position().byte(), byte_order_mark) {
                (0, false) => "the file is empty",
                (0, true) => "the file holds only a byte-order mark, no rows",
                _ => "the file holds only blank lines, no rows",
            },
            Source::Sheet { .. } => "the sheet holds no rows",
            Source::Records(_) => "the document holds no records",
        };
        let file = match &self.sheet {
            Some(sheet) => format!("{}[{sheet}]", self.file),
            None => self.file.to_string(),
        };
        IngestError::NoRows { file, reason }
    }

    /// Reads up to `n` rows ahead without consuming them (for format detection).
    pub(crate) fn peek(&mut self, n: usize) -> Result<Vec<&StringRecord>, IngestError> {
        while self.lookahead.len() < n {
            let mut record = StringRecord::new();
            match self.read_into(&mut record) {
                Ok(Some(line)) => self.lookahead.push_back((line, record)),
                Ok(None) => break,
                Err(Ok(unreadable)) => {
                    let column = unreadable.location.column.unwrap_or(1);
                    return Err(IngestError::Encoding {
                        file: self.file.to_string(),
                        line: unreadable.location.line,
                        column,
                    });
                }
                Err(Err(fatal)) => return Err(fatal),
            }
        }
        Ok(self.lookahead.iter().map(|(_, record)| record).collect())
    }

    /// The next row, or `None` at the end. An unreadable row (bad UTF-8, too long) is
    /// returned as `Err(Ok(..))` so the caller can reject it and go on; IO failures are fatal.
    pub(crate) fn next_row(
        &mut self,
    ) -> Option<Result<&StringRecord, Result<UnreadableRow, IngestError>>> {
        if let Some((line, record)) = self.lookahead.pop_front() {
            self.current = record;
            self.current_line = line;
            self.n_rows_read += 1;
            return Some(Ok(&self.current));
        }
        let mut record = std::mem::take(&mut self.current);
        let result = self.read_into(&mut record);
        self.current = record;
        match result {
            Ok(Some(line)) => {
                self.current_line = line;
                self.n_rows_read += 1;
                Some(Ok(&self.current))
            }
            Ok(None) => None,
            Err(error) => {
                self.n_rows_read += 1;
                if let Ok(unreadable) = &error {
                    self.current_line = unreadable.location.line;
                }
                Some(Err(error))
            }
        }
    }

    /// Fills `record` with the next row and returns its line number.
    fn read_into(
        &mut self,
        record: &mut StringRecord,
    ) -> Result<Option<u64>, Result<UnreadableRow, IngestError>> {
        match &mut self.source {
            Source::Csv { reader, .. } => match reader.read_record(record) {
                Ok(false) => Ok(None),
                Ok(true) => Ok(Some(record.position().map_or(0, csv::Position::line))),
                Err(error) => match error.kind() {
                    csv::ErrorKind::Utf8 { pos, err } => {
                        let line = pos.as_ref().map_or(0, csv::Position::line);
                        let mut location = self.location_of_line(line);
                        location.column = Some(err.field() + 1);
                        Err(Ok(UnreadableRow {
                            location,
                            reason:
                                "not valid UTF-8; save the file as UTF-8 (in Excel: \"CSV UTF-8\")"
                                    .to_owned(),
                        }))
                    }
                    csv::ErrorKind::Io(io_error) => Err(Err(
                        match io_error
                            .get_ref()
                            .and_then(|inner| inner.downcast_ref::<TooLong>())
                        {
                            Some(too_long) => IngestError::RowTooLong {
                                file: self.file.to_string(),
                                line: too_long.line,
                                limit: self.limits.row_bytes_max,
                            },
                            None => IngestError::Io {
                                file: self.file.to_string(),
                                source: std::io::Error::new(io_error.kind(), io_error.to_string()),
                            },
                        },
                    )),
                    _ => {
                        let line = error.position().map_or(0, csv::Position::line);
                        Err(Ok(UnreadableRow {
                            location: self.location_of_line(line),
                            reason: error.to_string(),
                        }))
                    }
                },
            },
            Source::Records(rows) => Ok(rows.pop_front().map(|(line, row)| {
                *record = row;
                line
            })),
            Source::Sheet { range, next_row } => {
                let Some(row) = range.rows().nth(*next_row) else {
                    return Ok(None);
                };
                let first_row = range.start().map_or(0, |(row_index, _)| row_index);
                let line = u64::from(first_row) + *next_row as u64 + 1;
                *next_row += 1;
                record.clear();
                // Trailing empty cells are padding from the sheet's used range, not data.
                let used = row
                    .iter()
                    .rposition(|cell| !matches!(cell, Data::Empty))
                    .map_or(0, |index| index + 1);
                for cell in &row[..used] {
                    record.push_field(&cell_text(cell));
                }
                Ok(Some(line))
            }
        }
    }
}

/// A CSV input as the `csv` crate is given it: every line end a line feed (lone carriage
/// returns turned into line feeds by `domain::LineEnds`, and the carriage return of a
/// Windows line end dropped, so that the crate's line numbers are the lines a person
/// counts), and records measured as they pass by `domain::RecordEnds`, so that a record
/// longer than the limit fails the read before the crate holds it whole (a 2 GB line
/// without a line end must not take 2 GB).
struct CsvText<R> {
    inner: R,
    buffer: Vec<u8>,
    /// `buffer[served..settled]` is ready to be read; `buffer[settled..]` waits for the
    /// byte after a carriage return.
    served: usize,
    settled: usize,
    end_of_input: bool,
    records: RecordEnds,
    /// Bytes of the record being read that have been served.
    record_bytes: usize,
    /// Line feeds served before the record being read starts.
    lines_before_record: u64,
    limit: usize,
}

/// The error [`CsvText`] fails a read with; `line` is where the record starts.
#[derive(Debug, thiserror::Error)]
#[error("line {line} is too long")]
struct TooLong {
    line: u64,
}

impl<R: Read> CsvText<R> {
    /// Bytes read from `inner` at a time; also at most what is served at a time.
    const CHUNK: usize = 64 * 1024;

    fn new(inner: R, limit: usize) -> CsvText<R> {
        CsvText {
            inner,
            buffer: Vec::new(),
            served: 0,
            settled: 0,
            end_of_input: false,
            records: RecordEnds::default(),
            record_bytes: 0,
            lines_before_record: 0,
            limit,
        }
    }

    /// Reads more of `inner` until some bytes are settled or the input ends.
    fn fill(&mut self) -> std::io::Result<()> {
        while self.served == self.settled && !self.end_of_input {
            // What is left is at most a carriage return waiting for its next byte.
            self.buffer.drain(..self.settled);
            self.served = 0;
            let read = (&mut self.inner)
                .take(Self::CHUNK as u64)
                .read_to_end(&mut self.buffer)?;
            self.end_of_input = read < Self::CHUNK;
            self.settled = LineEnds.settle(&mut self.buffer, self.end_of_input);
        }
        Ok(())
    }

    /// Measures `chunk`, the next bytes served, against the limit.
    fn measure(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        let before = self.records;
        let too_long = |line| std::io::Error::other(TooLong { line: line + 1 });
        if let Some(last_end) = self.records.scan(chunk, true) {
            if self.record_bytes + last_end > self.limit {
                // The first record, begun in an earlier chunk, may be the long one; the
                // others are shorter than a chunk.
                let mut first = before;
                let first_end = first.scan(chunk, false).unwrap_or(last_end);
                // Its line feed is not part of it.
                if self.record_bytes + first_end - 1 > self.limit {
                    return Err(too_long(self.lines_before_record));
                }
            }
            self.lines_before_record += memchr_iter(b'\n', &chunk[..last_end]).count() as u64;
            self.record_bytes = chunk.len() - last_end;
        } else {
            self.record_bytes += chunk.len();
        }
        if self.record_bytes > self.limit {
            return Err(too_long(self.lines_before_record));
        }
        Ok(())
    }
}

impl<R: Read> Read for CsvText<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        loop {
            self.fill()?;
            let length = out.len().min(self.settled - self.served).min(Self::CHUNK);
            if length == 0 {
                return Ok(0);
            }
            // Settled, every carriage return is right before a line feed: drop them all.
            let piece = &self.buffer[self.served..self.served + length];
            let mut written = 0;
            let mut from = 0;
            for at in memchr_iter(b'\r', piece).chain([length]) {
                out[written..written + at - from].copy_from_slice(&piece[from..at]);
                written += at - from;
                from = at + 1;
            }
            self.served += length;
            // A piece of carriage returns alone gives nothing, which would read as the end.
            if written > 0 {
                self.measure(&out[..written])?;
                return Ok(written);
            }
        }
    }
}

pub(crate) const EMPTY_WORKBOOK: &str = "every sheet is empty";

/// The sheets of a workbook (XLSX, XLSM, XLSB, XLS or ODS) that hold data, in the
/// workbook's order, with their names (none when every sheet is empty), read within the
/// limits (see [`crate::workbook`]).
pub(crate) fn workbook_sheets(
    name: &str,
    reader: Box<dyn Read + '_>,
    limits: Limits,
) -> Result<Vec<(String, Range<Data>)>, IngestError> {
    let bytes = read_whole(name, reader, limits)?;
    crate::workbook::sheets(name, bytes, limits)
}

pub(crate) fn workbook_error(file: &str, reason: String) -> IngestError {
    IngestError::Workbook {
        file: file.to_owned(),
        reason,
    }
}

/// Reads a whole input that must be held in memory, up to the limit.
pub(crate) fn read_whole(
    name: &str,
    reader: Box<dyn Read + '_>,
    limits: Limits,
) -> Result<Vec<u8>, IngestError> {
    let mut bytes = Vec::new();
    reader
        .take(limits.whole_file_bytes_max + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| IngestError::Io {
            file: name.to_owned(),
            source,
        })?;
    if bytes.len() as u64 > limits.whole_file_bytes_max {
        return Err(IngestError::TooLarge {
            file: name.to_owned(),
            size_bytes: bytes.len() as u64,
            limit_bytes: limits.whole_file_bytes_max,
        });
    }
    Ok(bytes)
}

/// A JSON object's members in the order written (a map would sort them, and column order
/// matters to some formats).
struct OrderedObject<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for OrderedObject<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = OrderedObject<'de>;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a JSON object")
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, &'de RawValue>()? {
                    members.push(member);
                }
                Ok(OrderedObject(members))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

/// A JSON value as a cell: strings as they are, numbers as written, `null` empty.
fn json_cell(value: &RawValue) -> String {
    let raw = value.get();
    match raw.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_owned()),
        _ if raw == "null" => String::new(),
        _ => raw.to_owned(),
    }
}

/// The text a person sees in a cell; numbers keep no spurious `.0`, dates become ISO dates.
pub(crate) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Float(value) => format_number(*value),
        Data::Int(value) => value.to_string(),
        Data::Bool(value) => if *value { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(date_time) => excel_serial_to_iso_date(date_time.as_f64()),
        Data::Error(error) => format!("#{error:?}"),
    }
}

fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// Excel's 1900 date system counts days from 1899-12-30 (the 1900 leap-year bug included).
fn excel_serial_to_iso_date(serial: f64) -> String {
    let epoch = jiff::civil::date(1899, 12, 30);
    let days = serial.floor() as i64;
    epoch
        .checked_add(jiff::Span::new().days(days))
        .map_or_else(|_| format_number(serial), |date| date.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_ends_every_line_with_a_line_feed_whatever_the_reads() {
        let text = b"a,\"b\r\nc\"\r\nd\re\r\r\nf\r";
        for size in 1..=4 {
            let mut reader = CsvText::new(&text[..], 100);
            let mut out = Vec::new();
            let mut buffer = vec![0; size];
            loop {
                let read = reader.read(&mut buffer).unwrap();
                if read == 0 {
                    break;
                }
                out.extend_from_slice(&buffer[..read]);
            }
            assert_eq!(out, b"a,\"b\nc\"\nd\ne\n\nf\n", "reads of {size}");
        }
    }

    #[test]
    fn excel_serials_become_iso_dates() {
        assert_eq!(excel_serial_to_iso_date(45931.0), "2025-10-01");
        assert_eq!(excel_serial_to_iso_date(36526.5), "2000-01-01");
    }

    #[test]
    fn numbers_print_as_people_typed_them() {
        assert_eq!(format_number(51452.0), "51452");
        assert_eq!(format_number(1.9), "1.9");
        assert_eq!(format_number(-0.3), "-0.3");
    }
}
