//! Workbooks read within limits: a workbook is checked before calamine reads it, so that a
//! small hostile file cannot make it allocate gigabytes (a zip bomb; one cell at
//! XFD1048576, which a dense sheet of 17 billion cells would hold; a row repeated a million
//! times in an ODS file).
//!
//! * Zip containers (XLSX, XLSM, XLSB, ODS): at most [`ZIP_ENTRIES_MAX`] entries, and every
//!   entry is inflated once, counted and thrown away, so that their sizes are the real ones
//!   and not what the file declares; an ODS file's cells are counted with its repeats.
//! * XLS files: the compound file's sectors and chains and the sheets' records are checked
//!   by [`crate::xls`] as calamine would read them.
//! * XLSX and XLSB sheets are read cell by cell: the sheet's declared dimensions, its cells
//!   and the rectangle they span are held to the cell limit before the sheet becomes one
//!   dense range.
//!
//! calamine indexes into what it reads without checking in places, so a broken file can
//! still make it panic; such a panic is caught and reported as a workbook that cannot be
//! read (without the panic's message on stderr), never passed on.

use std::io::{Cursor, Read};

use calamine::{Cell, Data, DataRef, Dimensions, Ods, Range, Reader, Xls, Xlsb, Xlsx};

use crate::rows::workbook_error;
use crate::{IngestError, Limits};

/// Entries of a zip container: a workbook has a few dozen.
const ZIP_ENTRIES_MAX: u64 = 10_000;

/// The sheets of a workbook (XLSX, XLSM, XLSB, XLS or ODS) that hold data, in the
/// workbook's order, with their names (none when every sheet is empty), read within
/// `limits`.
pub(crate) fn sheets(
    name: &str,
    bytes: Vec<u8>,
    limits: Limits,
) -> Result<Vec<(String, Range<Data>)>, IngestError> {
    without_panics(name, || read_sheets(name, bytes, limits))
}

thread_local! {
    /// Set while calamine reads a workbook on this thread: its panics are caught there.
    static READING_WORKBOOK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `read`, turning a panic into an error. The panic hook stays as it was for any other
/// panic; only one caught here is kept off stderr.
fn without_panics<T>(
    name: &str,
    read: impl FnOnce() -> Result<T, IngestError>,
) -> Result<T, IngestError> {
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !READING_WORKBOOK.get() {
                previous(info);
            }
        }));
    });
    READING_WORKBOOK.set(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    READING_WORKBOOK.set(false);
    result.unwrap_or_else(|_| {
        Err(workbook_error(
            name,
            "the file is broken (its parts do not fit together)".to_owned(),
        ))
    })
}

fn read_sheets(
    name: &str,
    bytes: Vec<u8>,
    limits: Limits,
) -> Result<Vec<(String, Range<Data>)>, IngestError> {
    let error = |reason: String| workbook_error(name, reason);
    let limit = Limit { name, limits };
    if bytes.starts_with(crate::xls::SIGNATURE) {
        crate::xls::check(&bytes, limits.workbook_cells_max).map_err(error)?;
        let mut workbook = Xls::new(Cursor::new(bytes)).map_err(|e| error(e.to_string()))?;
        let mut sheets = Vec::new();
        for sheet in workbook.sheet_names() {
            let range = workbook
                .worksheet_range(&sheet)
                .map_err(|e| error(format!("sheet '{sheet}': {e}")))?;
            sheets.push((sheet, range));
        }
        return Ok(non_empty(sheets));
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(error(
            "not a workbook (neither a zip nor a compound file)".to_owned(),
        ));
    }
    limit.check_zip(&bytes)?;
    // calamine's own order of trial: XLSX, XLSB, ODS.
    let xlsx = Xlsx::new(Cursor::new(bytes.as_slice()));
    if let Ok(mut workbook) = xlsx {
        let mut sheets = Vec::new();
        for sheet in workbook.sheet_names() {
            let reader = match workbook.worksheet_cells_reader(&sheet) {
                Ok(reader) => reader,
                // A chart sheet holds no cells.
                Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
                Err(e) => return Err(error(format!("sheet '{sheet}': {e}"))),
            };
            let mut reader = reader;
            let dimensions = reader.dimensions();
            let range = limit.read_cells(&sheet, dimensions, || {
                reader.next_cell().map_err(|e| e.to_string())
            })?;
            sheets.push((sheet, range));
        }
        return Ok(non_empty(sheets));
    }
    if let Ok(mut workbook) = Xlsb::new(Cursor::new(bytes.as_slice())) {
        let mut sheets = Vec::new();
        for sheet in workbook.sheet_names() {
            let mut reader = workbook
                .worksheet_cells_reader(&sheet)
                .map_err(|e| error(format!("sheet '{sheet}': {e}")))?;
            let dimensions = reader.dimensions();
            let range = limit.read_cells(&sheet, dimensions, || {
                reader.next_cell().map_err(|e| e.to_string())
            })?;
            sheets.push((sheet, range));
        }
        return Ok(non_empty(sheets));
    }
    let xlsx_error = xlsx.err().map(|e| e.to_string()).unwrap_or_default();
    let mut workbook = Ods::new(Cursor::new(bytes.as_slice()))
        .map_err(|ods_error| error(format!("neither XLSX ({xlsx_error}) nor ODS ({ods_error})")))?;
    let mut sheets = Vec::new();
    for sheet in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|e| error(format!("sheet '{sheet}': {e}")))?;
        sheets.push((sheet, range));
    }
    Ok(non_empty(sheets))
}

fn non_empty(sheets: Vec<(String, Range<Data>)>) -> Vec<(String, Range<Data>)> {
    sheets
        .into_iter()
        .filter(|(_, range)| !range.is_empty())
        .collect()
}

/// The limits of one workbook, with its name for errors.
struct Limit<'a> {
    name: &'a str,
    limits: Limits,
}

impl Limit<'_> {
    fn too_large(&self, what: &str) -> IngestError {
        workbook_error(
            self.name,
            format!("{what}, more than lmo reads from a workbook; export the table as CSV"),
        )
    }

    /// Checks a zip container's entries: their number, their real inflated sizes and,
    /// for an ODS file, its cells.
    fn check_zip(&self, bytes: &[u8]) -> Result<(), IngestError> {
        let entries = zip_entries(bytes).ok_or_else(|| {
            workbook_error(self.name, "the zip directory cannot be read".to_owned())
        })?;
        if entries > ZIP_ENTRIES_MAX {
            return Err(self.too_large(&format!("{entries} zip entries")));
        }
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| workbook_error(self.name, e.to_string()))?;
        let budget = self.limits.workbook_uncompressed_bytes_max;
        let mut inflated: u64 = 0;
        let mut ods_content = None;
        for index in 0..archive.len() {
            let mut entry = archive
                .by_index(index)
                .map_err(|e| workbook_error(self.name, e.to_string()))?;
            if entry.name() == "content.xml" {
                ods_content = Some(index);
            }
            // One byte past what is left of the budget shows that the budget is exceeded.
            let left = budget.saturating_sub(inflated);
            let entry_name = entry.name().to_owned();
            let size = std::io::copy(&mut (&mut entry).take(left + 1), &mut std::io::sink())
                .map_err(|e| workbook_error(self.name, format!("zip entry {entry_name}: {e}")))?;
            inflated += size;
            if inflated > budget {
                return Err(self.too_large(&format!(
                    "uncompressed, the workbook holds more than {budget} bytes"
                )));
            }
        }
        if let Some(index) = ods_content {
            let entry = archive
                .by_index(index)
                .map_err(|e| workbook_error(self.name, e.to_string()))?;
            let cells = ods_cells(std::io::BufReader::new(entry))
                .map_err(|reason| workbook_error(self.name, format!("content.xml: {reason}")))?;
            if cells > self.limits.workbook_cells_max {
                return Err(self.too_large(&format!(
                    "with its repeated rows and columns, the workbook spans {cells} cells"
                )));
            }
        }
        Ok(())
    }

    /// A sheet's cells, read one by one from `next`, as one dense range: the declared
    /// dimensions, the number of cells and the rectangle they span are held to the limit
    /// before the range is made.
    fn read_cells<'c>(
        &self,
        sheet: &str,
        declared: Dimensions,
        mut next: impl FnMut() -> Result<Option<Cell<DataRef<'c>>>, String>,
    ) -> Result<Range<Data>, IngestError> {
        let max = self.limits.workbook_cells_max;
        let span = |rows: u64, columns: u64| rows.saturating_mul(columns);
        let declared_cells = span(
            u64::from(declared.end.0.saturating_sub(declared.start.0)) + 1,
            u64::from(declared.end.1.saturating_sub(declared.start.1)) + 1,
        );
        if declared_cells > max {
            return Err(self.too_large(&format!(
                "sheet '{sheet}' declares {declared_cells} cells ({})",
                reference(declared)
            )));
        }
        let mut cells = Vec::new();
        let (mut first, mut last) = ((u32::MAX, u32::MAX), (0, 0));
        while let Some(cell) = next().map_err(|e| workbook_error(self.name, e))? {
            if matches!(cell.get_value(), DataRef::Empty) {
                continue;
            }
            let (row, column) = cell.get_position();
            first = (first.0.min(row), first.1.min(column));
            last = (last.0.max(row), last.1.max(column));
            let spanned = span(
                u64::from(last.0 - first.0) + 1,
                u64::from(last.1 - first.1) + 1,
            );
            if cells.len() as u64 >= max || spanned > max {
                let dimensions = Dimensions {
                    start: first,
                    end: last,
                };
                return Err(self.too_large(&format!(
                    "sheet '{sheet}' spans more than {max} cells (at least {})",
                    reference(dimensions)
                )));
            }
            cells.push(Cell::new(
                (row, column),
                Data::from(cell.get_value().clone()),
            ));
        }
        Ok(Range::from_sparse(cells))
    }
}

/// `A1:XFD1048576` for dimensions, as a spreadsheet writes them.
fn reference(dimensions: Dimensions) -> String {
    let cell = |(row, column): (u32, u32)| {
        format!(
            "{}{}",
            crate::workbook_csv::column_letters(column),
            u64::from(row) + 1
        )
    };
    format!("{}:{}", cell(dimensions.start), cell(dimensions.end))
}

/// The number of entries a zip file's end-of-central-directory record declares; `None`
/// when there is none, or when it points to a ZIP64 record (a workbook is never that big).
fn zip_entries(bytes: &[u8]) -> Option<u64> {
    const END: &[u8] = b"PK\x05\x06";
    const END_BYTES: usize = 22;
    // The record ends the file, after a comment of up to 64 KiB.
    let search_from = bytes
        .len()
        .saturating_sub(END_BYTES + usize::from(u16::MAX));
    let at = search_from
        + bytes[search_from..]
            .windows(END.len())
            .rposition(|window| window == END)?;
    let record = bytes.get(at..at + END_BYTES)?;
    let entries = u16::from_le_bytes([record[10], record[11]]);
    let directory_bytes = u32::from_le_bytes([record[12], record[13], record[14], record[15]]);
    if entries == u16::MAX || directory_bytes == u32::MAX {
        return None;
    }
    Some(u64::from(entries))
}

/// The cells calamine would hold for the content of an ODS file: in each table, the rows
/// from the first to the last with a value (repeats counted) times the widest row up to
/// its last value (repeats counted), and besides, the cells it keeps row by row before it
/// expands the repeated rows.
fn ods_cells(reader: impl std::io::BufRead) -> Result<u64, String> {
    use quick_xml::events::Event;

    let mut xml = quick_xml::Reader::from_reader(reader);
    // As calamine reads it: end tags are not matched against start tags.
    xml.config_mut().check_end_names = false;
    let mut buffer = Vec::new();
    let mut total: u64 = 0;
    // In the current table: rows up to and from the first with a value, the widest row.
    let mut rows_to_last_value: u64 = 0;
    let mut rows_before_first_value: Option<u64> = None;
    let mut rows: u64 = 0;
    let mut widest: u64 = 0;
    // In the current row: its repeats, its width so far, up to its last value, and the
    // empty cells at its end so far; the current cell's columns and whether it has a value.
    let mut row_repeats: u64 = 1;
    let (mut width, mut width_to_value, mut trailing_empty) = (0u64, 0u64, 0u64);
    let mut kept: u64 = 0;
    let mut cell: Option<(u64, bool)> = None;
    loop {
        let event = xml
            .read_event_into(&mut buffer)
            .map_err(|e| e.to_string())?;
        match &event {
            Event::Start(element) | Event::Empty(element) => match element.name().as_ref() {
                b"table:table" => (rows, rows_to_last_value, widest) = (0, 0, 0),
                b"table:table-row" => {
                    row_repeats = repeats(element, b"table:number-rows-repeated")?;
                    (width, width_to_value, trailing_empty) = (0, 0, 0);
                    if matches!(event, Event::Empty(_)) {
                        rows = rows.saturating_add(row_repeats);
                    }
                }
                b"table:table-cell" | b"table:covered-table-cell" => {
                    let columns = repeats(element, b"table:number-columns-repeated")?;
                    let valued = element.attributes().flatten().any(|attribute| {
                        matches!(
                            attribute.key.as_ref(),
                            b"office:value-type" | b"table:formula"
                        )
                    });
                    if matches!(event, Event::Empty(_)) {
                        end_cell(
                            (columns, valued),
                            &mut width,
                            &mut width_to_value,
                            &mut trailing_empty,
                        );
                    } else {
                        cell = Some((columns, valued));
                    }
                }
                // Content inside a cell (a paragraph of text) gives it a value.
                _ => cell = cell.map(|(columns, _)| (columns, true)),
            },
            Event::End(element) => match element.name().as_ref() {
                b"table:table-cell" | b"table:covered-table-cell" => {
                    if let Some(ended) = cell.take() {
                        end_cell(ended, &mut width, &mut width_to_value, &mut trailing_empty);
                    }
                }
                b"table:table-row" => {
                    rows = rows.saturating_add(row_repeats);
                    // Every cell but an empty run at the end is kept before expansion.
                    kept = kept.saturating_add(width - trailing_empty);
                    if width_to_value > 0 {
                        rows_to_last_value = rows;
                        rows_before_first_value.get_or_insert(rows.saturating_sub(row_repeats));
                        widest = widest.max(width_to_value);
                    }
                }
                b"table:table" => {
                    let spanned = rows_to_last_value - rows_before_first_value.take().unwrap_or(0);
                    total = total
                        .saturating_add(spanned.saturating_mul(widest))
                        .saturating_add(kept);
                    kept = 0;
                }
                _ => {}
            },
            Event::Eof => return Ok(total),
            _ => {}
        }
        buffer.clear();
    }
}

/// Adds a cell that ended (its columns, whether it has a value) to its row: the row's
/// width, its width up to its last value, and the empty columns at its end.
fn end_cell(cell: (u64, bool), width: &mut u64, to_value: &mut u64, empty: &mut u64) {
    let (columns, valued) = cell;
    *width = width.saturating_add(columns);
    if valued {
        *to_value = *width;
        *empty = 0;
    } else {
        *empty = empty.saturating_add(columns);
    }
}

/// The repeat count in `attribute` of `element` (1 when absent).
fn repeats(element: &quick_xml::events::BytesStart<'_>, attribute: &[u8]) -> Result<u64, String> {
    match element
        .try_get_attribute(attribute)
        .map_err(|e| e.to_string())?
    {
        None => Ok(1),
        Some(value) => std::str::from_utf8(&value.value)
            .ok()
            .and_then(|text| text.trim().parse().ok())
            .ok_or_else(|| "a repeat count is not a number".to_owned()),
    }
}
