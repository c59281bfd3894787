//! Printing results: aligned tables for people, JSON and CSV for programs.

use std::io::Write;

use serde::Serialize;

use crate::args::OutputArgs;

/// A command's result on standard output, flushed: with `--json` the pretty JSON of `json`;
/// with `--csv` the rows of `table` as CSV; otherwise, for people, the table aligned under
/// its heading. The table is only built when it is printed.
pub(crate) fn print_result(
    output: OutputArgs,
    json: &impl Serialize,
    table: impl FnOnce() -> Table,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if output.json {
        serde_json::to_writer_pretty(&mut out, json)?;
        writeln!(out)?;
    } else if output.csv {
        table().print_csv(&mut out)?;
    } else {
        table().print(&mut out)?;
    }
    out.flush()?;
    Ok(())
}

/// A plain text table; the last column is left unpadded so long titles do not widen the rest.
pub(crate) struct Table {
    /// Text above the table for people (not part of the CSV), as it is printed.
    heading: Option<String>,
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(headers: Vec<&'static str>) -> Table {
        Table {
            heading: None,
            headers,
            rows: Vec::new(),
        }
    }

    /// Lines printed above the table for people; end them with an empty line to set the
    /// table apart.
    pub(crate) fn with_heading(mut self, heading: String) -> Table {
        self.heading = Some(heading);
        self
    }

    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
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
        Ok(())
    }

    /// The same rows as CSV, with the headers as the first record.
    fn print_csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(&self.headers)?;
        for row in &self.rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
        Ok(())
    }
}

/// Prints the first rejects, how many more there are, and where all of them are; `closing`
/// is the sentence about the rejects file (it differs between imports and detection runs).
#[allow(clippy::print_stderr)]
pub(crate) fn print_rejects(
    shown: &[String],
    rejected: u64,
    file: Option<&std::path::Path>,
    closing: impl Fn(&std::path::Path) -> String,
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
}
