//! A workbook's table as CSV text, for readers that take CSV only (the arrears inputs).

use std::io::Read;

use calamine::Data;

use crate::rows::{EMPTY_WORKBOOK, cell_text, workbook_error, workbook_sheets};
use crate::{IngestError, Limits};

/// The one sheet with data of a workbook (XLSX, XLSM, XLSB, XLS or ODS), as CSV text, with
/// the sheet's name.
///
/// The table must start in cell A1 with its header row, so that CSV line N is the sheet's
/// row N and column N its Nth column, as the positions in rejects say; an empty row becomes
/// an empty line (skipped, as in a CSV file). A workbook with more than one sheet of data
/// is refused rather than read in part. Cells read as people see them: text as it is,
/// dates as ISO dates, whole numbers without decimals, and amounts with cents with two
/// decimals (`750.5` is `750.50`, as the two-decimal money format wants); a number with more
/// decimals is written in full, for the reader to reject.
pub fn workbook_as_csv(
    name: &str,
    reader: Box<dyn Read + '_>,
    limits: Limits,
) -> Result<(String, Vec<u8>), IngestError> {
    let mut sheets = workbook_sheets(name, reader, limits)?.into_iter();
    let workbook_error = |reason: String| workbook_error(name, reason);
    let (sheet, range) = sheets
        .next()
        .ok_or_else(|| workbook_error(EMPTY_WORKBOOK.to_owned()))?;
    if let Some((other, _)) = sheets.next() {
        return Err(workbook_error(format!(
            "sheets '{sheet}' and '{other}' both hold data: keep the table on one sheet"
        )));
    }
    if let Some((row, column)) = range.start()
        && (row, column) != (0, 0)
    {
        return Err(workbook_error(format!(
            "sheet '{sheet}': the table must start in cell A1 with its header row; it starts in {}{}",
            column_letters(column),
            u64::from(row) + 1
        )));
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .from_writer(Vec::new());
    let write_error = |error: csv::Error| workbook_error(error.to_string());
    for row in range.rows() {
        if row.iter().all(|cell| matches!(cell, Data::Empty)) {
            writer.write_record(None::<&[u8]>).map_err(write_error)?;
            continue;
        }
        writer
            .write_record(row.iter().map(csv_cell_text))
            .map_err(write_error)?;
    }
    let csv = writer
        .into_inner()
        .map_err(|error| workbook_error(error.to_string()))?;
    Ok((sheet, csv))
}

/// [`cell_text`], with amounts that have cents written with two decimals.
fn csv_cell_text(cell: &Data) -> String {
    if let Data::Float(value) = cell {
        let cents = value * 100.0;
        if value.fract() != 0.0 && (cents - cents.round()).abs() < 1e-6 && value.abs() < 1e13 {
            return format!("{value:.2}");
        }
    }
    cell_text(cell)
}

/// `A` for column 0, `Z` for 25, `AA` for 26.
pub(crate) fn column_letters(column: u32) -> String {
    let mut letters = Vec::new();
    let mut rest = u64::from(column) + 1;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use calamine::Data;

    use super::{column_letters, csv_cell_text};

    #[test]
    fn amounts_with_cents_get_two_decimals_and_nothing_else_changes() {
        let text = |cell: Data| csv_cell_text(&cell);
        assert_eq!(text(Data::Float(750.5)), "750.50");
        assert_eq!(text(Data::Float(1234.56)), "1234.56");
        assert_eq!(text(Data::Float(0.1)), "0.10");
        assert_eq!(text(Data::Float(15000.0)), "15000");
        assert_eq!(text(Data::Float(37.125)), "37.125");
        assert_eq!(text(Data::Int(12)), "12");
        assert_eq!(text(Data::String("A123456(3)".into())), "A123456(3)");
    }

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
