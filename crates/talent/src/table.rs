//! One reader for the reference tables, whether a workbook sheet or a CSV file: a header row
//! found by the columns the caller needs, then rows of text cells that keep their position in
//! the file, so that every error names the file, row and column.

use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, Reader};

use crate::TalentError;

/// How many leading rows may come before the header row (titles, notes).
const HEADER_SEARCH_ROWS: usize = 20;

/// A table as text: cells as the file shows them (numbers in their shortest decimal form).
pub(crate) struct Table {
    pub(crate) file: String,
    header: Vec<String>,
    /// (row number in the file, 1-based; cells)
    rows: Vec<(usize, Vec<String>)>,
}

/// One row of a [`Table`], with the means to read its cells by column name.
pub(crate) struct Row<'a> {
    table: &'a Table,
    pub(crate) number: usize,
    cells: &'a [String],
}

impl Table {
    /// Reads the first sheet of a workbook (XLSX or XLS) whose header row has every column in
    /// `required`.
    pub(crate) fn workbook(
        file: &str,
        mut reader: impl Read,
        required: &[&str],
    ) -> Result<Table, TalentError> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|source| TalentError::Io {
                file: file.to_owned(),
                source,
            })?;
        let unreadable = |reason: String| TalentError::Unreadable {
            file: file.to_owned(),
            reason,
        };
        let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
            .map_err(|error| unreadable(error.to_string()))?;
        let sheet = workbook
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| unreadable("no sheet".to_owned()))?;
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|error| unreadable(format!("sheet '{sheet}': {error}")))?;
        // Row numbers as the spreadsheet shows them, even when the used range starts lower.
        let first_row = range.start().map_or(0, |(row, _)| row as usize);
        let first_column = range.start().map_or(0, |(_, column)| column as usize);
        let rows = range
            .rows()
            .enumerate()
            .map(|(index, cells)| {
                let mut text = vec![String::new(); first_column];
                text.extend(cells.iter().map(cell_text));
                (first_row + index + 1, text)
            })
            .collect();
        Table::from_rows(file, rows, required)
    }

    /// Reads a CSV file (UTF-8, an optional byte-order mark) whose header row has every column
    /// in `required`.
    pub(crate) fn csv(
        file: &str,
        reader: impl Read,
        required: &[&str],
    ) -> Result<Table, TalentError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(reader);
        let mut rows = Vec::new();
        for record in csv.records() {
            let record = record.map_err(|error| TalentError::Unreadable {
                file: file.to_owned(),
                reason: error.to_string(),
            })?;
            let line = record
                .position()
                .map_or(0, |position| position.line() as usize);
            let cells = record
                .iter()
                .enumerate()
                .map(|(index, cell)| {
                    let cell = if index == 0 {
                        cell.trim_start_matches('\u{feff}')
                    } else {
                        cell
                    };
                    cell.to_owned()
                })
                .collect();
            rows.push((line, cells));
        }
        Table::from_rows(file, rows, required)
    }

    /// Opens `path` and reads it as a workbook or, for a `.csv` name, as CSV.
    pub(crate) fn open(path: &Path, required: &[&str]) -> Result<Table, TalentError> {
        let file = path.display().to_string();
        let handle = std::fs::File::open(path).map_err(|source| TalentError::Io {
            file: file.clone(),
            source,
        })?;
        let is_csv = path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("csv"));
        if is_csv {
            Table::csv(&file, std::io::BufReader::new(handle), required)
        } else {
            Table::workbook(&file, handle, required)
        }
    }

    fn from_rows(
        file: &str,
        mut rows: Vec<(usize, Vec<String>)>,
        required: &[&str],
    ) -> Result<Table, TalentError> {
        let header_index = rows
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .position(|(_, cells)| {
                required
                    .iter()
                    .all(|name| cells.iter().any(|cell| cell.trim() == *name))
            })
            .ok_or_else(|| {
                let (searched_rows, _) = rows.split_at(rows.len().min(HEADER_SEARCH_ROWS));
                let column = required
                    .iter()
                    .find(|name| {
                        !searched_rows
                            .iter()
                            .any(|(_, cells)| cells.iter().any(|cell| cell.trim() == **name))
                    })
                    .unwrap_or(&"");
                TalentError::MissingColumn {
                    file: file.to_owned(),
                    column: (*column).to_owned(),
                    searched: HEADER_SEARCH_ROWS,
                }
            })?;
        let data = rows.split_off(header_index + 1);
        let (_, header) = rows.pop().expect("the header row was found");
        Ok(Table {
            file: file.to_owned(),
            header: header.iter().map(|cell| cell.trim().to_owned()).collect(),
            rows: data,
        })
    }

    /// The 0-based position of a header column.
    pub(crate) fn column(&self, name: &str) -> Result<usize, TalentError> {
        self.header
            .iter()
            .position(|cell| cell == name)
            .ok_or_else(|| TalentError::MissingColumn {
                file: self.file.clone(),
                column: name.to_owned(),
                searched: HEADER_SEARCH_ROWS,
            })
    }

    /// The rows after the header that have any text.
    pub(crate) fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows
            .iter()
            .filter(|(_, cells)| cells.iter().any(|cell| !cell.trim().is_empty()))
            .map(|(number, cells)| Row {
                table: self,
                number: *number,
                cells,
            })
    }
}

impl Row<'_> {
    /// The trimmed text of a cell; empty when the row is short.
    pub(crate) fn text(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", |cell| cell.trim())
    }

    /// An error about the cell at `column`.
    pub(crate) fn error(&self, column: usize, reason: impl Into<String>) -> TalentError {
        TalentError::Cell {
            file: self.table.file.clone(),
            row: self.number,
            column: column + 1,
            name: self.table.header.get(column).cloned().unwrap_or_default(),
            reason: reason.into(),
        }
    }

    /// Parses a cell with `parse`, naming the cell and quoting the text when it fails.
    pub(crate) fn parse<T, E: std::fmt::Display>(
        &self,
        column: usize,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, TalentError> {
        let text = self.text(column);
        parse(text).map_err(|error| self.error(column, format!("'{text}': {error}")))
    }

    /// A number written plainly or with thousands separators (`140,886,310`).
    pub(crate) fn number(&self, column: usize) -> Result<f64, TalentError> {
        self.parse(column, |text| {
            let plain: String = text.chars().filter(|c| *c != ',').collect();
            plain
                .parse::<f64>()
                .ok()
                .filter(|value| value.is_finite())
                .ok_or("not a number")
        })
    }
}

/// A workbook cell as text; numbers in the shortest form that reads back to the same value, so
/// a score stored as 0.35749999999999998 reads as the 0.3575 it was written as.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Float(value) => value.to_string(),
        Data::Int(value) => value.to_string(),
        Data::Bool(value) => value.to_string(),
        other => other.to_string(),
    }
}
