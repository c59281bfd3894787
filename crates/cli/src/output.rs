//! Printing results: aligned tables for people; JSON, CSV and XLSX for programs and
//! spreadsheets.
//!
//! CSV and XLSX are written from the same records as the JSON, so their column names are the
//! JSON keys: a nested object's fields become `key.field` columns and a list becomes one cell
//! with its items separated by `; `. Numbers are plain in CSV (`47100`, `-32.34`) and number
//! cells in XLSX; ISO dates are date cells; amounts of money are decimal strings in JSON and
//! CSV (`"155585.35"`, as every `*_hkd` field) and number cells in XLSX.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::args::{Lang, OutputArgs};

/// A command's result, flushed: with `--json` the pretty JSON of `json`; with `--csv` the
/// records of `rows` as CSV (with `--excel`, with a byte-order mark and CRLF line ends so
/// that Excel on Windows reads Chinese right); otherwise, for people, the table aligned
/// under its heading. With `--xlsx FILE` the records of `rows` are also written to `FILE`
/// as a workbook. The table is only built when it is printed.
pub(crate) fn print_result<R: Serialize>(
    output: &OutputArgs,
    json: &impl Serialize,
    rows: &[R],
    table: impl FnOnce() -> Table,
) -> anyhow::Result<()> {
    if let Some(path) = &output.xlsx {
        write_xlsx(path, &records(rows)?)?;
    }
    let mut out = std::io::stdout().lock();
    if output.json {
        serde_json::to_writer_pretty(&mut out, json)?;
        writeln!(out)?;
    } else if output.csv {
        write_csv(&mut out, &records(rows)?, output.excel)?;
    } else {
        table().print(&mut out)?;
    }
    out.flush()?;
    Ok(())
}

/// Flat records: column names in first-seen order, and each row's cells by column.
pub(crate) struct Records {
    columns: Vec<String>,
    rows: Vec<Map<String, Value>>,
}

/// `rows` as flat records (see the module documentation).
pub(crate) fn records<R: Serialize>(rows: &[R]) -> anyhow::Result<Records> {
    let mut columns: Vec<String> = Vec::new();
    let mut flat_rows = Vec::with_capacity(rows.len());
    for row in rows {
        let mut flat = Map::new();
        match serde_json::to_value(row)? {
            Value::Object(object) => flatten("", object, &mut flat),
            value => {
                flat.insert("value".to_owned(), value);
            }
        }
        for key in flat.keys() {
            if !columns.iter().any(|column| column == key) {
                columns.push(key.clone());
            }
        }
        flat_rows.push(flat);
    }
    Ok(Records {
        columns,
        rows: flat_rows,
    })
}

fn flatten(prefix: &str, object: Map<String, Value>, flat: &mut Map<String, Value>) {
    for (key, value) in object {
        let key = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) => flatten(&key, inner, flat),
            Value::Array(items)
                if items
                    .iter()
                    .all(|item| !item.is_object() && !item.is_array()) =>
            {
                let cells: Vec<String> = items.iter().map(cell_text).collect();
                flat.insert(key, Value::String(cells.join("; ")));
            }
            value @ Value::Array(_) => {
                flat.insert(key, Value::String(value.to_string()));
            }
            value => {
                flat.insert(key, value);
            }
        }
    }
}

/// A cell as CSV writes it: numbers plain, whole numbers without a decimal point.
fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Number(number) => match number.as_f64() {
            Some(value) if value.fract() == 0.0 && value.abs() < 1e15 && !number.is_f64() => {
                number.to_string()
            }
            Some(value) if value.fract() == 0.0 && value.abs() < 1e15 => {
                format!("{}", value as i64)
            }
            _ => number.to_string(),
        },
        other => other.to_string(),
    }
}

fn write_csv(out: &mut dyn Write, records: &Records, excel: bool) -> anyhow::Result<()> {
    if excel {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(if excel {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(out);
    writer.write_record(&records.columns)?;
    for row in &records.rows {
        writer.write_record(
            records
                .columns
                .iter()
                .map(|column| row.get(column).map(cell_text).unwrap_or_default()),
        )?;
    }
    writer.flush()?;
    Ok(())
}

/// An ISO date (`2025-09-30`) as a date.
fn iso_date(text: &str) -> Option<domain::Date> {
    (text.len() == 10)
        .then(|| domain::parse_date(text).ok())
        .flatten()
}

/// The records as a workbook of one sheet, `data`: headers in row 1, numbers as number
/// cells, ISO dates as date cells, amounts of money (`*_hkd`) as numbers with two decimals.
fn write_xlsx(path: &Path, records: &Records) -> anyhow::Result<()> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("data")?;
    let header = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let money = Format::new().set_num_format("#,##0.00");
    for (column, name) in records.columns.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, name, &header)?;
    }
    for (index, row) in records.rows.iter().enumerate() {
        let line = index as u32 + 1;
        for (column, name) in records.columns.iter().enumerate() {
            let column = column as u16;
            match row.get(name) {
                None | Some(Value::Null) => {}
                Some(Value::Number(number)) => {
                    sheet.write_number(line, column, number.as_f64().unwrap_or(f64::NAN))?;
                }
                Some(Value::Bool(value)) => {
                    sheet.write_boolean(line, column, *value)?;
                }
                Some(Value::String(text)) => {
                    let amount = name
                        .ends_with("_hkd")
                        .then(|| text.parse::<f64>().ok())
                        .flatten();
                    if let Some(amount) = amount {
                        sheet.write_number_with_format(line, column, amount, &money)?;
                    } else if let Some(day) = iso_date(text) {
                        let day = ExcelDateTime::from_ymd(
                            u16::try_from(day.year()).unwrap_or(1900),
                            day.month() as u8,
                            day.day() as u8,
                        )?;
                        sheet.write_datetime_with_format(line, column, &day, &date)?;
                    } else {
                        sheet.write_string(line, column, text)?;
                    }
                }
                Some(other) => {
                    sheet.write_string(line, column, other.to_string())?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    workbook
        .save(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// A plain text table; the last column is left unpadded so long titles do not widen the rest.
pub(crate) struct Table {
    /// Text above the table for people (not part of the CSV), as it is printed.
    heading: Option<String>,
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    /// Text below the table for people (not part of the CSV), as it is printed.
    footer: Option<String>,
}

impl Table {
    pub(crate) fn new(headers: Vec<&'static str>) -> Table {
        Table {
            heading: None,
            headers,
            rows: Vec::new(),
            footer: None,
        }
    }

    /// Lines printed above the table for people; end them with an empty line to set the
    /// table apart.
    pub(crate) fn with_heading(mut self, heading: String) -> Table {
        self.heading = Some(heading);
        self
    }

    /// Lines printed below the table for people.
    pub(crate) fn with_footer(mut self, footer: String) -> Table {
        self.footer = Some(footer);
        self
    }

    /// Adds a row. Control characters (line breaks, terminal escapes) in a cell are shown
    /// escaped, so that no value can forge a row or recolour the terminal.
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        let shown = cells
            .into_iter()
            .map(|cell| {
                if cell.chars().any(char::is_control) {
                    cell.chars()
                        .map(|c| {
                            if c.is_control() {
                                c.escape_default().to_string()
                            } else {
                                c.to_string()
                            }
                        })
                        .collect()
                } else {
                    cell
                }
            })
            .collect();
        self.rows.push(shown);
    }

    /// The heading, then the table aligned.
    fn print(&self, out: &mut dyn Write) -> std::io::Result<()> {
        if let Some(heading) = &self.heading {
            writeln!(out, "{heading}")?;
        }
        let n_columns = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let headers: Vec<String> = self.headers.iter().map(|h| (*h).to_owned()).collect();
        for row in std::iter::once(&headers).chain(&self.rows) {
            let mut line = String::new();
            for (index, cell) in row.iter().enumerate() {
                if index + 1 == n_columns {
                    line.push_str(cell);
                } else {
                    let pad = widths[index] - cell.chars().count();
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad + 2));
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        if let Some(footer) = &self.footer {
            write!(out, "{footer}")?;
        }
        Ok(())
    }
}

/// Prints the first rejects, how many more there are, and where all of them are; `closing`
/// is the sentence about the rejects file (it differs between imports and detection runs).
#[allow(clippy::print_stderr)]
pub(crate) fn print_rejects(
    shown: &[String],
    rejected: u64,
    file: Option<&Path>,
    closing: impl Fn(&Path) -> String,
) {
    for message in shown {
        eprintln!("rejected: {message}");
    }
    let hidden = rejected.saturating_sub(shown.len() as u64);
    if hidden > 0 {
        eprintln!("rejected: … and {hidden} more");
    }
    if let Some(path) = file {
        eprintln!("{}", closing(path));
    }
}

/// A value as a person reads it: whole numbers with thousands separators.
pub(crate) fn format_value(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        let digits = (value.abs() as i64).to_string();
        let mut grouped = String::new();
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        if value < 0.0 {
            format!("-{grouped}")
        } else {
            grouped
        }
    } else {
        format!("{value}")
    }
}

/// A title, name or reason in the language people asked for (`--lang`): Chinese only with
/// `zh-Hant`, Chinese then English with `both`, English only with `en`; unset, English then
/// Chinese, as tables print by default. English stands in where there is no Chinese.
pub(crate) fn in_language(lang: Option<Lang>, en: &str, zh: &str) -> String {
    if zh.is_empty() {
        return en.to_owned();
    }
    match lang {
        None => format!("{en} {zh}"),
        Some(Lang::Both) => format!("{zh} {en}"),
        Some(Lang::ZhHant) => zh.to_owned(),
        Some(Lang::En) => en.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_grouped_for_people() {
        assert_eq!(format_value(51452.0), "51,452");
        assert_eq!(format_value(-1_285_946.0), "-1,285,946");
        assert_eq!(format_value(1.9), "1.9");
        assert_eq!(format_value(100.0), "100");
    }

    #[test]
    fn texts_follow_the_language_and_fall_back_to_english() {
        use super::in_language;
        use crate::args::Lang;

        let retail = |lang| in_language(lang, "Retail trade", "零售業");
        assert_eq!(retail(None), "Retail trade 零售業");
        assert_eq!(retail(Some(Lang::Both)), "零售業 Retail trade");
        assert_eq!(retail(Some(Lang::ZhHant)), "零售業");
        assert_eq!(retail(Some(Lang::En)), "Retail trade");
        assert_eq!(
            in_language(Some(Lang::ZhHant), "fred.UNRATE", ""),
            "fred.UNRATE"
        );
    }
}
