//! The XLSX appendix: every table of the report on its own sheet, numbers as numbers,
//! with the units in the headers and the sources above them.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use crate::Report;
use crate::view::Cell;

/// The row of the column headers; title, source and date sit above it.
const HEADER_ROW: u32 = 4;

fn number_format(decimals: usize) -> String {
    if decimals == 0 {
        "#,##0".to_owned()
    } else {
        format!("#,##0.{}", "0".repeat(decimals))
    }
}

pub(crate) fn workbook(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(
        u16::try_from(report.as_of.year()).unwrap_or(2000),
        report.as_of.month() as u8,
        report.as_of.day() as u8,
    )?;
    // A fixed creation date (the report's `as_of`) keeps the file the same on every run.
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("{} {}", report.title_zh, report.title_en))
            .set_author("lmo")
            .set_creation_datetime(&created),
    );
    let title = Format::new().set_bold().set_font_size(13);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("#EEF2F7");
    let muted = Format::new().set_font_color("#4B5563");
    let mut formats: Vec<(usize, Format)> = Vec::new();
    for table in &report.appendix {
        let sheet = workbook.add_worksheet();
        sheet.set_name(table.sheet)?;
        sheet.write_string_with_format(0, 0, &table.title, &title)?;
        sheet.write_string_with_format(1, 0, &table.source, &muted)?;
        sheet.write_string_with_format(
            2,
            0,
            format!(
                "數據截至 Data as known on {} · lmo {}",
                report.as_of, report.lmo_version
            ),
            &muted,
        )?;
        for (column, name) in table.columns.iter().enumerate() {
            let column = column as u16;
            sheet.write_string_with_format(HEADER_ROW, column, name, &header)?;
            sheet.set_column_width(column, if column == 0 { 34 } else { 16 })?;
        }
        for (index, row) in table.rows.iter().enumerate() {
            let row_number = HEADER_ROW + 1 + index as u32;
            for (column, cell) in row.iter().enumerate() {
                let column = column as u16;
                match cell {
                    Cell::Text(text) => {
                        sheet.write_string(row_number, column, text)?;
                    }
                    Cell::Number { value, decimals } => {
                        if !formats.iter().any(|(d, _)| d == decimals) {
                            let format = Format::new().set_num_format(number_format(*decimals));
                            formats.push((*decimals, format));
                        }
                        let format = formats
                            .iter()
                            .find(|(d, _)| d == decimals)
                            .map(|(_, format)| format.clone())
                            .unwrap_or_default();
                        sheet.write_number_with_format(row_number, column, *value, &format)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    }
    workbook.save_to_buffer()
}
