//! A small streaming CSV reader with a fixed header, positions and redacted raw rows.
//!
//! One `StringRecord` is reused for every row, so reading allocates nothing per row. Rows
//! that cannot be read (bad UTF-8, wrong number of fields) become [`Reject`]s and the read
//! goes on; only IO failures stop it.

use std::io::Read;
use std::sync::Arc;

use csv::StringRecord;
use memchr::{memchr, memchr_iter, memchr2};

use crate::cells::{GiveUp, PlainLine};
use crate::{ArrearsError, Location, Reject};

/// Written in place of a personal cell (HKID, name, free text) in a rejects file.
pub const REDACTED: &str = "[redacted]";

/// Counts of one file read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadSummary {
    /// Data rows read (the header excluded).
    pub rows_read: u64,
    pub records: u64,
    pub rejected: u64,
}

impl ReadSummary {
    /// Counts one parsed row.
    pub(crate) fn count<T>(&mut self, parsed: &Result<T, Reject>) {
        match parsed {
            Ok(_) => self.records += 1,
            Err(_) => self.rejected += 1,
        }
    }
}

/// The shape of one input format: its header and which columns hold personal data.
pub(crate) struct Layout {
    pub(crate) columns: &'static [&'static str],
    /// Columns of personal data (HKIDs, names, free text): never shown in a reject.
    pub(crate) personal: &'static [usize],
    /// Of the other columns, those whose values are words (ids, names of employers,
    /// levels). A letter in any other (dates, amounts, counts) is not what the column holds
    /// and may be a name in the wrong place, so such a cell is not shown.
    pub(crate) words: &'static [usize],
}

impl Layout {
    /// Whether cell `index` of a rejected row may be shown in the reject. `located`: the row
    /// has the layout's number of fields (else a name with a comma may have spilled into
    /// any cell); `rejected`: the cell the reject is about, which may hold anything (an
    /// unknown employer id may be a name) and is shown only without letters.
    fn shows(&self, index: usize, cell: &str, located: bool, rejected: Option<usize>) -> bool {
        if cell.trim().is_empty() {
            // An empty cell says nothing about a person and may be why the row was rejected.
            return true;
        }
        if !located || self.personal.contains(&index) || is_hkid(cell) {
            return false;
        }
        let lettered = cell.chars().any(char::is_alphabetic);
        !(lettered && (rejected == Some(index) || !self.words.contains(&index)))
    }

    pub(crate) fn header(&self) -> String {
        self.columns.join(",")
    }

    /// The name of column `index` (0-based), for a reject.
    pub(crate) fn column_name(&self, index: usize) -> Option<Arc<str>> {
        self.columns.get(index).copied().map(Arc::from)
    }
}

/// The row being read and what rejecting it needs; shared by [`Table`] and [`BlockTable`].
struct Current {
    record: StringRecord,
    file: Arc<str>,
    layout: &'static Layout,
    line: u64,
    /// Where the row starts in the input, in bytes.
    offset: u64,
}

impl Current {
    fn new(file: Arc<str>, layout: &'static Layout) -> Current {
        Current {
            record: StringRecord::new(),
            file,
            layout,
            line: 0,
            offset: 0,
        }
    }

    /// The record just read as a row, or a reject when it has the wrong number of fields.
    fn row(&self) -> Result<Row<'_>, Reject> {
        Row {
            current: self,
            line: None,
        }
        .checked()
    }

    /// A row that cannot be read at all; nothing of its bytes is shown.
    fn unreadable(&self, column: Option<usize>, reason: &str) -> Reject {
        Reject {
            location: Location {
                file: Arc::clone(&self.file),
                sheet: None,
                line: self.line,
                column,
                column_name: column.and_then(|c| self.layout.column_name(c - 1)),
            },
            reason: reason.to_owned(),
            raw: REDACTED.to_owned(),
        }
    }

    /// The reject for a CSV error that is not an IO error.
    fn csv_reject(&self, error: &csv::Error) -> Reject {
        match error.kind() {
            csv::ErrorKind::Utf8 { err, .. } => self.unreadable(Some(err.field() + 1), NOT_UTF8),
            _ => self.unreadable(None, "the row cannot be read as CSV"),
        }
    }
}

const NOT_UTF8: &str = "not valid UTF-8; save the file as UTF-8 (in Excel: \"CSV UTF-8\")";

fn reader_builder() -> csv::ReaderBuilder {
    let mut builder = csv::ReaderBuilder::new();
    builder.has_headers(false).flexible(true);
    builder
}

/// A CSV input read as a stream, header first.
pub(crate) struct Table<R: Read> {
    reader: csv::Reader<R>,
    current: Current,
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
            current: Current::new(file.into(), layout),
        };
        let header_error = |column| ArrearsError::Header {
            file: file.to_owned(),
            expected: layout.header(),
            column,
        };
        let record = &mut table.current.record;
        match table.reader.read_record(record) {
            Ok(true) => {}
            // Blank lines are not a header row either, but the file is not empty.
            Ok(false) if table.reader.position().byte() > 0 => return Err(header_error(1)),
            Ok(false) => {
                return Err(ArrearsError::Empty {
                    file: file.to_owned(),
                    expected: layout.header(),
                });
            }
            Err(error) => {
                return Err(match error.kind() {
                    csv::ErrorKind::Io(_) => io_error(file, error),
                    _ => header_error(1),
                });
            }
        }
        for (index, expected) in layout.columns.iter().enumerate() {
            let found = record.get(index).map(|cell| {
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
        if record.len() != layout.columns.len() {
            return Err(header_error(layout.columns.len() + 1));
        }
        Ok(table)
    }

    /// The next data row: `Ok(None)` at the end, `Ok(Some(Err(..)))` for a row that cannot
    /// be read as this layout, `Err` when reading fails. The inputs are read in blocks (see
    /// [`BlockTable`]); this stream reader of the `csv` crate is what the tests hold them to.
    #[cfg(test)]
    pub(crate) fn next_row(&mut self) -> Result<Option<Result<Row<'_>, Reject>>, ArrearsError> {
        let current = &mut self.current;
        match self.reader.read_record(&mut current.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                if let Some(position) = current.record.position() {
                    current.line = position.line();
                    current.offset = position.byte();
                } else {
                    current.line += 1;
                }
                Ok(Some(current.row()))
            }
            Err(error) => {
                if let csv::ErrorKind::Io(_) = error.kind() {
                    return Err(io_error(&current.file, error));
                }
                current.line = error
                    .position()
                    .map_or(current.line + 1, csv::Position::line);
                Ok(Some(Err(current.csv_reject(&error))))
            }
        }
    }
}

/// A failure to read the input. Only called for `csv::ErrorKind::Io`; any other kind is
/// turned into an IO error without its text, which could quote a cell.
fn io_error(file: &str, error: csv::Error) -> ArrearsError {
    let source = match error.into_kind() {
        csv::ErrorKind::Io(source) => source,
        _ => std::io::Error::other("the input cannot be read"),
    };
    ArrearsError::Io {
        file: file.to_owned(),
        source,
    }
}

/// The data rows of a [`crate::blocks::Block`]: whole records, no header, in memory.
///
/// A line without a double quote or a carriage return inside (one just before its line feed
/// is a Windows line end) is split at its commas in place (which is all the CSV grammar
/// makes of such a line), several times faster than the general reader, and its cells are
/// slices of the block; any other record goes through the `csv` crate. Empty lines are
/// skipped, as the `csv` crate does.
pub(crate) struct BlockTable<'b> {
    bytes: &'b [u8],
    /// The block as text when it is valid UTF-8 with no quote and no carriage return except
    /// right before a line feed: then every line in it is plain and is split in one pass,
    /// without checks of its own.
    plain_text: Option<&'b str>,
    position: usize,
    /// The line `position` is on.
    next_line: u64,
    current: Current,
    /// The fast path's row: its text in `bytes` and where each field ends in it.
    line_text: &'b str,
    field_ends: Vec<usize>,
}

/// Finds the end of the line at the start of `rest` (after its line feed, or the end of
/// `rest`) and, for a plain line, the length of its content (without `\n` or `\r\n`),
/// pushing the position of each comma to `commas`. A line with a quote or a carriage return
/// before its end has no content length: the general reader takes it, and the commas are
/// not looked for.
///
/// The line feed and the quote or carriage return are found with `memchr`'s vector search;
/// commas eight bytes at a time (SWAR), with no branch per byte: with a branch per comma
/// a line cost several mispredictions.
fn scan_line(rest: &[u8], commas: &mut Vec<usize>) -> (usize, Option<usize>) {
    let line_end = memchr(b'\n', rest).map_or(rest.len(), |at| at + 1);
    let line = &rest[..line_end];
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if memchr2(b'"', b'\r', line).is_some() {
        return (line_end, None);
    }
    let mut words = line.chunks_exact(8);
    let mut base = 0;
    for word in &mut words {
        let mut bits = byte_bits(
            u64::from_le_bytes(word.try_into().unwrap_or_default()),
            b',',
        );
        while bits != 0 {
            commas.push(base + bits.trailing_zeros() as usize / 8);
            bits &= bits - 1;
        }
        base += 8;
    }
    for (offset, &byte) in words.remainder().iter().enumerate() {
        if byte == b',' {
            commas.push(base + offset);
        }
    }
    (line_end, Some(line.len()))
}

/// The line at the start of `rest`, which has no quote and no carriage return: where it
/// ends (after its line feed, or at the end of `rest`) and the length of its content; the
/// position of each comma before the line feed is pushed to `commas`. One pass, eight bytes
/// at a time, finds the line feed and the commas together.
fn split_plain_line(rest: &[u8], commas: &mut Vec<usize>) -> (usize, usize) {
    let mut words = rest.chunks_exact(8);
    let mut base = 0;
    for word in &mut words {
        let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let mut comma = byte_bits(word, b',');
        let line_feed = byte_bits(word, b'\n');
        if line_feed != 0 {
            // Only the commas before the line feed: the bits below its bit.
            comma &= line_feed ^ (line_feed - 1);
        }
        while comma != 0 {
            commas.push(base + comma.trailing_zeros() as usize / 8);
            comma &= comma - 1;
        }
        if line_feed != 0 {
            let length = base + line_feed.trailing_zeros() as usize / 8;
            return (length + 1, length);
        }
        base += 8;
    }
    for (offset, &byte) in words.remainder().iter().enumerate() {
        match byte {
            b',' => commas.push(base + offset),
            b'\n' => return (base + offset + 1, base + offset),
            _ => {}
        }
    }
    (rest.len(), rest.len())
}

/// The high bit of each byte of `word` that equals `byte`, and no other bit.
fn byte_bits(word: u64, byte: u8) -> u64 {
    const LOW_SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let zero_where_equal = word ^ (u64::from(byte) * 0x0101_0101_0101_0101);
    // A byte's high bit ends up set iff the byte is not zero; exact, no borrow between bytes.
    let nonzero = ((zero_where_equal & LOW_SEVEN) + LOW_SEVEN) | zero_where_equal;
    !nonzero & !LOW_SEVEN
}

impl<'b> BlockTable<'b> {
    pub(crate) fn new(
        bytes: &'b [u8],
        file: Arc<str>,
        layout: &'static Layout,
        first_line: u64,
    ) -> BlockTable<'b> {
        // Passes over the whole block, vectorised, instead of two searches and a UTF-8 check
        // on every line. Carriage returns are allowed in Windows line ends only.
        let plain = memchr(b'"', bytes).is_none()
            && memchr_iter(b'\r', bytes).all(|at| bytes.get(at + 1) == Some(&b'\n'));
        let plain_text = if plain {
            std::str::from_utf8(bytes).ok()
        } else {
            None
        };
        BlockTable {
            bytes,
            plain_text,
            position: 0,
            next_line: first_line,
            current: Current::new(file, layout),
            line_text: "",
            field_ends: Vec::new(),
        }
    }

    /// The next row, or a reject for a row that cannot be read as this layout; `None` at
    /// the end of the block.
    pub(crate) fn next_row(&mut self) -> Option<Result<Row<'_>, Reject>> {
        if let Some(text) = self.plain_text {
            return self.next_plain_row(text);
        }
        loop {
            let bytes = self.bytes;
            let rest = bytes.get(self.position..).filter(|rest| !rest.is_empty())?;
            // Where the line ends and its fields end, unless it needs the general reader
            // (a quote, a carriage return before the line end).
            self.field_ends.clear();
            let (line_end, plain_length) = scan_line(rest, &mut self.field_ends);
            let Some(content_length) = plain_length else {
                return self.general_record(rest);
            };
            let content = &rest[..content_length];
            self.current.line = self.next_line;
            self.current.offset = self.position as u64;
            self.position += line_end;
            self.next_line += 1;
            if content.is_empty() {
                continue;
            }
            return Some(match std::str::from_utf8(content) {
                Ok(text) => {
                    self.field_ends.push(text.len());
                    self.line_text = text;
                    Row {
                        current: &self.current,
                        line: Some((self.line_text, &self.field_ends)),
                    }
                    .checked()
                }
                Err(error) => {
                    let field = self
                        .field_ends
                        .iter()
                        .take_while(|&&comma| comma < error.valid_up_to())
                        .count();
                    Err(self.current.unreadable(Some(field + 1), NOT_UTF8))
                }
            });
        }
    }

    /// Reads the next line with `parse` straight from the block's text, when the block is
    /// plain: `None` when it is not, at the end of the block, or when `parse` gives up (the
    /// line is then left for [`BlockTable::next_row`]). Also the line's offset and number.
    pub(crate) fn next_plain<T>(
        &mut self,
        parse: impl FnOnce(&mut PlainLine<'b>) -> Result<T, GiveUp>,
    ) -> Option<(u64, u64, T)> {
        let text = self.plain_text?;
        let start = self.position;
        // A blank line is skipped by `next_row`.
        if text
            .as_bytes()
            .get(start)
            .is_none_or(|&byte| byte == b'\n' || byte == b'\r')
        {
            return None;
        }
        let mut line = PlainLine::new(
            text,
            start,
            self.current.layout.columns.len(),
            self.next_line,
        );
        let parsed = parse(&mut line).ok()?;
        let end = line.end()?;
        let at = (start as u64, self.next_line, parsed);
        self.position = end;
        self.next_line += 1;
        Some(at)
    }

    /// [`BlockTable::next_row`] in a block whose every line is plain.
    fn next_plain_row(&mut self, text: &'b str) -> Option<Result<Row<'_>, Reject>> {
        loop {
            let rest = text
                .as_bytes()
                .get(self.position..)
                .filter(|rest| !rest.is_empty())?;
            self.field_ends.clear();
            let (line_end, mut content_length) = split_plain_line(rest, &mut self.field_ends);
            // A Windows line end: the carriage return is not part of the last cell.
            if content_length > 0 && rest[content_length - 1] == b'\r' {
                content_length -= 1;
            }
            let start = self.position;
            self.current.line = self.next_line;
            self.current.offset = start as u64;
            self.position += line_end;
            self.next_line += 1;
            if content_length == 0 {
                continue;
            }
            // Both ends are next to a line feed or at the block's ends: character
            // boundaries, so this cannot fail.
            self.line_text = text.get(start..start + content_length)?;
            self.field_ends.push(content_length);
            return Some(
                Row {
                    current: &self.current,
                    line: Some((self.line_text, &self.field_ends)),
                }
                .checked(),
            );
        }
    }

    /// Reads the record at the start of `rest` with the `csv` crate; `None` when only line
    /// ends were left.
    fn general_record(&mut self, rest: &[u8]) -> Option<Result<Row<'_>, Reject>> {
        let mut reader = reader_builder().from_reader(rest);
        let read = reader.read_record(&mut self.current.record);
        // Where the reader stopped: the end of this record, or of the block when the
        // record is broken.
        let consumed = usize::try_from(reader.position().byte())
            .map_or(rest.len(), |consumed| consumed.clamp(1, rest.len()));
        self.current.line = self.next_line;
        self.current.offset = self.position as u64;
        self.position += consumed;
        self.next_line += memchr_iter(b'\n', &rest[..consumed]).count() as u64;
        match read {
            Ok(true) => Some(self.current.row()),
            Ok(false) => None,
            Err(error) => Some(Err(self.current.csv_reject(&error))),
        }
    }
}

/// A cell without the white space around it.
pub(crate) fn trim_cell(cell: &str) -> &str {
    // Most cells have nothing to trim; `trim` would decode every character to know.
    match (cell.as_bytes().first(), cell.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => cell,
        _ => cell.trim(),
    }
}

/// One row with the expected number of fields.
pub(crate) struct Row<'t> {
    current: &'t Current,
    /// A line split in place: its text and the end of each field in it. `None`: the
    /// fields are those of `current.record`.
    line: Option<(&'t str, &'t [usize])>,
}

impl<'t> Row<'t> {
    /// The row, or a reject when it has the wrong number of fields.
    fn checked(self) -> Result<Row<'t>, Reject> {
        let expected = self.current.layout.columns.len();
        let found = match self.line {
            Some((_, ends)) => ends.len(),
            None => self.current.record.len(),
        };
        if found == expected {
            Ok(self)
        } else {
            Err(self.reject_row(format!(
                "expected {expected} fields ({}), found {found}",
                self.current.layout.header(),
            )))
        }
    }

    fn field(&self, index: usize) -> Option<&'t str> {
        match self.line {
            Some((text, ends)) => {
                let end = *ends.get(index)?;
                let start = index.checked_sub(1).map_or(0, |before| ends[before] + 1);
                text.get(start..end)
            }
            None => self.current.record.get(index),
        }
    }

    fn fields(&self) -> impl Iterator<Item = &'t str> + '_ {
        (0..).map_while(|index| self.field(index))
    }

    /// The trimmed text of cell `index` (0-based; the layout guarantees it exists).
    pub(crate) fn cell(&self, index: usize) -> &'t str {
        trim_cell(self.field(index).unwrap_or_default())
    }

    pub(crate) fn line(&self) -> u64 {
        self.current.line
    }

    /// Where the row starts in the table's input, in bytes.
    pub(crate) fn offset(&self) -> u64 {
        self.current.offset
    }

    /// A reject of cell `index` (0-based).
    pub(crate) fn reject(&self, index: usize, reason: impl Into<String>) -> Reject {
        Reject {
            location: Location {
                file: Arc::clone(&self.current.file),
                sheet: None,
                line: self.current.line,
                column: Some(index + 1),
                column_name: self.current.layout.column_name(index),
            },
            reason: reason.into(),
            raw: redacted(self.fields(), self.current.layout, Some(index)),
        }
    }

    /// A reject of the row as a whole.
    pub(crate) fn reject_row(&self, reason: impl Into<String>) -> Reject {
        Reject {
            location: Location {
                file: Arc::clone(&self.current.file),
                sheet: None,
                line: self.current.line,
                column: None,
                column_name: None,
            },
            reason: reason.into(),
            raw: redacted(self.fields(), self.current.layout, None),
        }
    }
}

/// Whether `cell` reads as an HKID, whatever column it is in: a valid one, or one of the
/// right shape with a wrong check digit (a mistyped HKID is still a person's).
fn is_hkid(cell: &str) -> bool {
    use labour_law::{HkidProblem, LabourLawError};
    matches!(
        labour_law::Hkid::parse(cell),
        Ok(_) | Err(LabourLawError::Hkid(HkidProblem::CheckDigit))
    )
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
    let rejected = location.column.map(|column| column - 1);
    let mut record = StringRecord::new();
    let start = usize::try_from(offset).map_or(bytes.len(), |start| start.min(bytes.len()));
    let raw = match reader_builder()
        .from_reader(&bytes[start..])
        .read_record(&mut record)
    {
        Ok(true) => redacted(record.iter(), layout, rejected),
        _ => REDACTED.to_owned(),
    };
    Reject {
        location,
        reason,
        raw,
    }
}

/// The record as CSV with every cell that [`Layout::shows`] keeps back replaced by
/// [`REDACTED`]; `rejected` is the cell the reject is about.
fn redacted<'c>(
    cells: impl Iterator<Item = &'c str>,
    layout: &Layout,
    rejected: Option<usize>,
) -> String {
    let cells: Vec<&str> = cells.collect();
    let located = cells.len() == layout.columns.len();
    let cells = cells.iter().enumerate().map(|(index, &cell)| {
        if layout.shows(index, cell, located, rejected) {
            cell
        } else {
            REDACTED
        }
    });
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail; were it to, the row is shown as redacted, not lost.
    let written = writer
        .write_record(cells)
        .ok()
        .and_then(|()| writer.into_inner().ok())
        .and_then(|bytes| String::from_utf8(bytes).ok());
    match written {
        Some(mut raw) => {
            // The writer ends the record with a line feed; the rejects file adds its own.
            raw.pop();
            raw
        }
        None => REDACTED.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{BlockTable, Layout, Row, Table};
    use crate::Reject;

    static TWO: Layout = Layout {
        columns: &["id", "name"],
        personal: &[1],
        words: &[0],
    };

    fn describe(row: Result<Row<'_>, Reject>, offset_base: u64) -> String {
        match row {
            Ok(row) => format!(
                "{} @{}: {:?} {:?}",
                row.line(),
                row.offset().wrapping_sub(offset_base) as i64,
                row.cell(0),
                row.cell(1)
            ),
            Err(reject) => format!("{reject} / {}", reject.raw),
        }
    }

    fn read_stream(header: &[u8], data: &[u8]) -> Vec<String> {
        let mut stream = Vec::from(header);
        stream.extend_from_slice(data);
        let mut table = Table::open(stream.as_slice(), "f.csv", &TWO).unwrap();
        let mut rows = Vec::new();
        while let Some(row) = table.next_row().unwrap() {
            rows.push(describe(row, header.len() as u64));
        }
        rows
    }

    fn read_block(data: &[u8]) -> Vec<String> {
        let mut block = BlockTable::new(data, Arc::from("f.csv"), &TWO, 2);
        let mut rows = Vec::new();
        while let Some(row) = block.next_row() {
            rows.push(describe(row, 0));
        }
        rows
    }

    #[test]
    fn blocks_are_read_as_the_csv_crate_reads_the_stream() {
        let data: &[u8] = b"1,a\n2,\"b, \"\"c\"\"\"\n3,\"multi\nline\"\n4,x\ry\n5,\xff\xfe\n6,too,many\n 7 , z \n8,last";
        let found = read_block(data);
        assert_eq!(found, read_stream(b"id,name\n", data));
        expect_test::expect![[r#"
            [
                "2 @0: \"1\" \"a\"",
                "3 @4: \"2\" \"b, \\\"c\\\"\"",
                "4 @17: \"3\" \"multi\\nline\"",
                "6 @32: \"4\" \"x\"",
                "f.csv:6: expected 2 fields (id,name), found 1 / [redacted]",
                "f.csv:7:2 (column 'name'): not valid UTF-8; save the file as UTF-8 (in Excel: \"CSV UTF-8\") / [redacted]",
                "f.csv:8: expected 2 fields (id,name), found 3 / [redacted],[redacted],[redacted]",
                "9 @54: \"7\" \"z\"",
                "10 @62: \"8\" \"last\"",
            ]
        "#]]
        .assert_debug_eq(&found);
    }

    #[test]
    fn plain_blocks_are_read_as_the_csv_crate_reads_them() {
        // No quote and no carriage return: the whole block is split in one pass. Lines of
        // every length around the eight-byte steps, blank lines, empty and spaced cells,
        // Chinese text, wrong field counts and a last line without a line feed.
        let data = "1,a\n22,bb\n333,cccc\n4444,ddddddd\n55555,eeeeeeee\n\n6,\n,7\n 8 , 九龍 \n9\n10,a,b\n11,陳大文\n12,z";
        let found = read_block(data.as_bytes());
        assert_eq!(
            without_lines(&found),
            without_lines(&read_stream(b"id,name\n", data.as_bytes()))
        );
        expect_test::expect![[r#"
            [
                "2 @0: \"1\" \"a\"",
                "3 @4: \"22\" \"bb\"",
                "4 @10: \"333\" \"cccc\"",
                "5 @19: \"4444\" \"ddddddd\"",
                "6 @32: \"55555\" \"eeeeeeee\"",
                "8 @48: \"6\" \"\"",
                "9 @51: \"\" \"7\"",
                "10 @54: \"8\" \"九龍\"",
                "f.csv:11: expected 2 fields (id,name), found 1 / [redacted]",
                "f.csv:12: expected 2 fields (id,name), found 3 / [redacted],[redacted],[redacted]",
                "13 @76: \"11\" \"陳大文\"",
                "14 @89: \"12\" \"z\"",
            ]
        "#]]
        .assert_debug_eq(&found);
    }

    /// A row or reject without its line: the `csv` crate numbers rows after blank lines and
    /// Windows line ends differently (see the next test), but must find the same cells.
    fn without_lines(rows: &[String]) -> Vec<String> {
        rows.iter()
            .map(|row| {
                row.split_once(": ")
                    .map_or(row.clone(), |(_, rest)| rest.to_owned())
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn any_block_is_read_as_the_csv_crate_reads_it(
            // Half of the blocks plain (no quote, no carriage return), half not.
            data in proptest::prop_oneof![
                proptest::collection::vec(
                    proptest::sample::select(&["a", "1", ",", "\n", "\r\n", " ", "é", "陳"][..]),
                    0..60,
                ),
                proptest::collection::vec(
                    proptest::sample::select(
                        &["a", "1", ",", "\n", " ", "é", "\"", "\r", "陳"][..],
                    ),
                    0..60,
                ),
            ]
        ) {
            let data = data.concat();
            let found = read_block(data.as_bytes());
            let expected = read_stream(b"id,name\n", data.as_bytes());
            proptest::prop_assert_eq!(without_lines(&found), without_lines(&expected));
        }
    }

    #[test]
    fn windows_line_ends_keep_a_block_plain() {
        let data = b"1,a\r\n22,bb\r\n\r\n3,\r\n4,d";
        let mut table = BlockTable::new(data, Arc::from("f.csv"), &TWO, 2);
        assert!(table.plain_text.is_some());
        let mut rows = Vec::new();
        while let Some(row) = table.next_row() {
            rows.push(describe(row, 0));
        }
        expect_test::expect![[r#"
            [
                "2 @0: \"1\" \"a\"",
                "3 @5: \"22\" \"bb\"",
                "5 @14: \"3\" \"\"",
                "6 @18: \"4\" \"d\"",
            ]
        "#]]
        .assert_debug_eq(&rows);
        // A carriage return anywhere else is the general reader's.
        let lone = BlockTable::new(b"1,a\rb\r\n", Arc::from("f.csv"), &TWO, 2);
        assert!(lone.plain_text.is_none());
    }

    #[test]
    fn after_blank_lines_and_windows_line_ends_a_row_is_on_the_line_it_starts_on() {
        // The `csv` crate's own positions point at the line end before such a row.
        let found = read_block(b"1,a\r\n\r\n2,\"b\r\nc\"\r\n3,c\r\n\n\n4,d\n");
        expect_test::expect![[r#"
            [
                "2 @0: \"1\" \"a\"",
                "4 @7: \"2\" \"b\\r\\nc\"",
                "6 @17: \"3\" \"c\"",
                "9 @24: \"4\" \"d\"",
            ]
        "#]]
        .assert_debug_eq(&found);
    }
}
