//! A mapping file suggested for a table as people keep it: where the header is (below title
//! rows, possibly several rows), whether periods run down a column or across the columns,
//! which columns label the rows, where notes below the data start. The user then edits ids,
//! titles, units and tags.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use domain::{Frequency, IndustryCode, Period, PeriodKind, SeriesId, parse_value};

use crate::detect::Container;
use crate::mapped::read_period;
use crate::rows::Rows;
use crate::{IngestError, Input};

/// Rows looked at: enough for any header and a fair sample of the data.
const ROWS_SAMPLED: usize = 5000;

/// Words that open the notes under a table (C&SD, Government and common spreadsheet usage).
const NOTE_MARKERS: [&str; 14] = [
    "註",
    "注",
    "備註",
    "資料來源",
    "來源",
    "說明",
    "Note",
    "Notes",
    "Source",
    "Remark",
    "*",
    "#",
    "Release Date",
    "發佈日期",
];

struct SampledRow {
    line: u64,
    cells: Vec<String>,
}

impl SampledRow {
    fn filled(&self) -> usize {
        self.cells
            .iter()
            .filter(|cell| !cell.trim().is_empty())
            .count()
    }

    fn first_filled(&self) -> &str {
        self.cells
            .iter()
            .map(|cell| cell.trim())
            .find(|cell| !cell.is_empty())
            .unwrap_or_default()
    }

    /// A number that is not also a period (a year): what data rows have and headers lack.
    fn has_plain_number(&self) -> bool {
        self.cells.iter().any(|cell| {
            let cell = cell.trim();
            !cell.is_empty() && parse_value(cell).is_ok() && !is_period(cell)
        })
    }
}

fn is_period(text: &str) -> bool {
    read_period(text, Frequency::Monthly).is_ok()
}

/// The table of the first sheet (or the CSV or JSON document) of `input`, as a mapping file
/// in TOML that `lmo ingest --map` reads.
pub fn suggest_mapping(
    input: &Input<'_>,
    reader: Box<dyn std::io::Read + '_>,
) -> Result<String, IngestError> {
    let mut rows = match input.container {
        Container::Csv => Rows::from_csv(&input.name, reader, input.limits)?,
        Container::Json => Rows::from_json(&input.name, reader, input.limits)?,
        Container::Xlsx => Rows::from_xlsx(&input.name, reader, input.limits)?
            .into_iter()
            .next()
            .ok_or_else(|| IngestError::Workbook {
                file: input.name.clone(),
                reason: crate::rows::EMPTY_WORKBOOK.to_owned(),
            })?,
    };
    let sheet = rows.sheet_name().map(str::to_owned);
    let mut sampled = Vec::new();
    while sampled.len() < ROWS_SAMPLED {
        match rows.next_row() {
            None => break,
            Some(Ok(record)) => {
                let cells = record.iter().map(str::to_owned).collect();
                sampled.push(SampledRow {
                    line: rows.location().line,
                    cells,
                });
            }
            Some(Err(Ok(unreadable))) => {
                return Err(IngestError::Malformed {
                    location: unreadable.location,
                    reason: unreadable.reason,
                });
            }
            Some(Err(Err(fatal))) => return Err(fatal),
        }
    }
    let table = Table::find(&input.name, &sampled)?;
    Ok(table.to_toml(&input.name, sheet.as_deref()))
}

/// What the suggestion found.
struct Table<'a> {
    title: Option<String>,
    header: Vec<&'a SampledRow>,
    data_from: u64,
    data: Vec<&'a SampledRow>,
    stop_at: Option<String>,
    /// Each column's name, as the header rows join it (see `mapped::TableHeader`).
    names: Vec<String>,
    /// Each column's cells in the header rows, blanks in upper rows filled from the left.
    header_cells: Vec<Vec<String>>,
}

impl<'a> Table<'a> {
    fn find(file: &str, rows: &'a [SampledRow]) -> Result<Table<'a>, IngestError> {
        let not_found = |reason: &str| IngestError::Mapping {
            file: file.to_owned(),
            reason: reason.to_owned(),
        };
        let first_data = rows
            .iter()
            .position(|row| row.filled() >= 2 && row.has_plain_number())
            .ok_or_else(|| not_found("no row with two cells and a number: no table to map"))?;
        // Up from the first row of numbers: notes such as a unit line, then the header rows,
        // then the title.
        let mut index = first_data;
        while index > 0 && rows[index - 1].filled() == 1 {
            index -= 1;
        }
        let header_end = index;
        while index > 0 && rows[index - 1].filled() >= 2 {
            index -= 1;
        }
        let header: Vec<&SampledRow> = rows[index..header_end].iter().collect();
        if header.is_empty() {
            return Err(not_found(&format!(
                "no header row above line {}, the first row of numbers",
                rows[first_data].line
            )));
        }
        let title = rows[..index]
            .iter()
            .rev()
            .find(|row| row.filled() == 1)
            .map(|row| row.first_filled().to_owned());
        let mut data = Vec::new();
        let mut stop_at = None;
        for row in &rows[first_data..] {
            if row.filled() == 0 {
                continue;
            }
            let first = row.first_filled();
            if let Some(marker) = NOTE_MARKERS
                .iter()
                .find(|marker| row.filled() <= 2 && first.starts_with(**marker))
            {
                stop_at = Some((*marker).to_owned());
                break;
            }
            data.push(row);
        }
        let header_rows: Vec<Vec<String>> = header.iter().map(|row| row.cells.clone()).collect();
        let (names, header_cells) = joined_header(&header_rows);
        Ok(Table {
            title,
            header,
            data_from: rows[first_data].line,
            data,
            stop_at,
            names,
            header_cells,
        })
    }

    fn data_cells(&self, column: usize) -> impl Iterator<Item = &str> {
        self.data
            .iter()
            .map(move |row| row.cells.get(column).map_or("", |cell| cell.trim()))
            .filter(|cell| !cell.is_empty())
    }

    /// Whether most filled data cells of the column satisfy `test`.
    fn mostly(&self, column: usize, test: impl Fn(&str) -> bool) -> bool {
        let (hits, total) = self.data_cells(column).fold((0, 0), |(hits, total), cell| {
            (hits + usize::from(test(cell)), total + 1)
        });
        total > 0 && hits * 5 >= total * 4
    }

    /// Columns whose header names a period (the joined header, or one of its rows).
    fn period_columns(&self) -> Vec<(usize, Period)> {
        (0..self.names.len())
            .filter_map(|column| {
                std::iter::once(self.names[column].as_str())
                    .chain(self.header_cells[column].iter().rev().map(String::as_str))
                    .find_map(|text| read_period(text, Frequency::Monthly).ok())
                    .map(|period| (column, period))
            })
            .collect()
    }

    fn label_columns(&self, skip: &BTreeSet<usize>) -> Vec<usize> {
        (0..self.names.len())
            .filter(|column| !skip.contains(column) && !self.names[*column].is_empty())
            .filter(|&column| self.mostly(column, |cell| parse_value(cell).is_err()))
            .collect()
    }

    fn to_toml(&self, file: &str, sheet: Option<&str>) -> String {
        let stem = Path::new(file)
            .file_stem()
            .map(|stem| SeriesId::slug(&stem.to_string_lossy()))
            .filter(|stem| !stem.is_empty())
            .unwrap_or_else(|| "table".to_owned());
        let mut toml = String::new();
        let _ = writeln!(
            toml,
            "# Suggested by `lmo ingest --suggest-map` for {file}{}.",
            sheet
                .map(|sheet| format!(" (sheet {sheet})"))
                .unwrap_or_default()
        );
        toml.push_str(
            "# Check it, edit the ids, titles, unit, tags and source, then import with\n\
             # `lmo ingest FILE --map THIS_FILE` (or save it as FILE.map.toml beside FILE).\n",
        );
        let _ = writeln!(
            toml,
            "description = {}",
            quoted(self.title.as_deref().unwrap_or(file))
        );
        let lines: Vec<String> = self.header.iter().map(|row| row.line.to_string()).collect();
        let _ = writeln!(toml, "header_rows = [{}]", lines.join(", "));
        let _ = writeln!(toml, "data_from = {}", self.data_from);
        if let Some(marker) = &self.stop_at {
            let _ = writeln!(toml, "stop_at = [{}]", quoted(marker));
        }
        let periods = self.period_columns();
        if periods.len() >= 2 {
            self.wide_blocks(&mut toml, &stem, &periods);
        } else {
            self.long_blocks(&mut toml, &stem);
        }
        toml
    }

    fn wide_blocks(&self, toml: &mut String, stem: &str, periods: &[(usize, Period)]) {
        let period_set: BTreeSet<usize> = periods.iter().map(|(column, _)| *column).collect();
        let labels = self.label_columns(&period_set);
        // Headings above the periods (one per measure) become one block each.
        let mut headings: Vec<Option<String>> = Vec::new();
        for (column, period) in periods {
            let heading = self.header_cells[*column]
                .iter()
                .find(|cell| {
                    !cell.is_empty() && read_period(cell, Frequency::Monthly).ok() != Some(*period)
                })
                .filter(|cell| !labels.iter().any(|label| self.names[*label] == **cell))
                .cloned();
            if !headings.contains(&heading) {
                headings.push(heading);
            }
        }
        for (index, heading) in headings.iter().enumerate() {
            let columns: Vec<Period> = periods
                .iter()
                .filter(|(column, _)| {
                    heading
                        .as_ref()
                        .is_none_or(|heading| self.header_cells[*column].contains(heading))
                })
                .map(|(_, period)| *period)
                .collect();
            let part = heading
                .as_deref()
                .map(SeriesId::slug)
                .filter(|slug| !slug.is_empty())
                .unwrap_or_else(|| format!("part{}", index + 1));
            let _ = writeln!(toml, "\n[[series]]\nlayout = \"wide\"");
            if let Some(heading) = heading.as_deref().filter(|_| headings.len() > 1) {
                let _ = writeln!(toml, "under = {}", quoted(heading));
            }
            let measure = if headings.len() > 1 || heading.is_some() {
                Some(part.as_str())
            } else {
                None
            };
            self.identity(toml, stem, measure, heading.as_deref(), &labels);
            let _ = writeln!(toml, "frequency = \"{}\"", frequency_of(&columns));
            common_tail(toml);
        }
    }

    fn long_blocks(&self, toml: &mut String, stem: &str) {
        let Some(period_column) =
            (0..self.names.len()).find(|&column| self.mostly(column, is_period))
        else {
            toml.push_str(
                "\n# No column of periods was found, and no header row of periods either:\n\
                 # name the period column in each block below.\n",
            );
            return;
        };
        let periods: Vec<Period> = self
            .data_cells(period_column)
            .filter_map(|cell| read_period(cell, Frequency::Monthly).ok())
            .collect();
        let frequency = frequency_of(&periods);
        let values: Vec<usize> = (0..self.names.len())
            .filter(|&column| column != period_column)
            .filter(|&column| self.mostly(column, |cell| parse_value(cell).is_ok()))
            .collect();
        let skip: BTreeSet<usize> = values.iter().copied().chain([period_column]).collect();
        let labels = self.label_columns(&skip);
        for (index, column) in values.iter().enumerate() {
            let name = &self.names[*column];
            let slug = SeriesId::slug(name);
            let part = if slug.is_empty() {
                format!("value{}", index + 1)
            } else {
                slug
            };
            let _ = writeln!(toml, "\n[[series]]");
            let _ = writeln!(toml, "period = {}", quoted(&self.names[period_column]));
            let _ = writeln!(toml, "value = {}", quoted(name));
            self.identity(toml, stem, Some(&part), Some(name), &labels);
            let _ = writeln!(toml, "frequency = \"{frequency}\"");
            common_tail(toml);
        }
    }

    /// `id`, titles and industry of a block, from the label columns.
    fn identity(
        &self,
        toml: &mut String,
        stem: &str,
        measure: Option<&str>,
        heading: Option<&str>,
        labels: &[usize],
    ) {
        let industry = labels
            .iter()
            .copied()
            .find(|&column| self.mostly(column, |cell| IndustryCode::from_label(cell).is_ok()));
        let mut id = format!("mapped.{stem}");
        if let Some(measure) = measure {
            id.push('.');
            id.push_str(measure);
        }
        // Labels in Chinese only give no id text: they go into the titles only.
        let mut in_id = 0;
        for &column in labels {
            let name = &self.names[column];
            if Some(column) == industry {
                let _ = write!(id, ".{{{name}|hsic}}");
                in_id += 1;
            } else if self
                .data_cells(column)
                .all(|cell| !SeriesId::slug(cell).is_empty())
            {
                let _ = write!(id, ".{{{name}}}");
                in_id += 1;
            }
        }
        if in_id == 0 && !labels.is_empty() {
            toml.push_str(
                "# The row labels have no letters or digits for an id (Chinese only): add a\n\
                 # column of codes, or write one block per row with `when`.\n",
            );
        }
        let placeholders: Vec<String> = labels
            .iter()
            .map(|&column| format!("{{{}}}", self.names[column]))
            .collect();
        let placeholders = placeholders.join(" ");
        let (title_en, title_zh) = match heading {
            Some(heading) if !placeholders.is_empty() => (
                format!("{heading} — {placeholders}"),
                format!("{heading}：{placeholders}"),
            ),
            Some(heading) => (heading.to_owned(), heading.to_owned()),
            None => (placeholders.clone(), placeholders),
        };
        let _ = writeln!(toml, "id = {}", quoted(&id));
        let _ = writeln!(toml, "title_en = {}", quoted(&title_en));
        let _ = writeln!(toml, "title_zh = {}", quoted(&title_zh));
        if let Some(column) = industry {
            let _ = writeln!(
                toml,
                "industry = {}",
                quoted(&format!("{{{}}}", self.names[column]))
            );
        }
    }
}

fn common_tail(toml: &mut String) {
    toml.push_str(
        "unit = \"\"\n\
         seasonal_adjustment = \"unknown\"   # sa or nsa, if you know\n\
         direction = \"neutral\"             # higher_is_better or higher_is_worse\n\
         source = \"\"\n\
         tags = []\n",
    );
}

/// The header's joined column names and each column's header cells, as the mapping reads
/// them.
fn joined_header(rows: &[Vec<String>]) -> (Vec<String>, Vec<Vec<String>>) {
    let header = crate::mapped::TableHeader::new(rows);
    let names = header.names.names().to_vec();
    (names, header.cells)
}

/// The frequency periods like these have: C&SD labels quarterly surveys by month, so months
/// three apart are quarterly.
fn frequency_of(periods: &[Period]) -> Frequency {
    let mut months = BTreeSet::new();
    for period in periods {
        match period.kind() {
            PeriodKind::Year(_) | PeriodKind::FiscalYear { .. } => return Frequency::Annual,
            PeriodKind::Quarter { .. } => return Frequency::Quarterly,
            PeriodKind::ThreeMonthsEnding { .. } => return Frequency::ThreeMonthMoving,
            PeriodKind::Month { month, .. } => {
                months.insert(month);
            }
        }
    }
    let first = months.first().copied().unwrap_or(1);
    if months.len() > 1 && months.iter().all(|month| (month - first) % 3 == 0) {
        Frequency::Quarterly
    } else if months.len() == 1 {
        Frequency::Annual
    } else {
        Frequency::Monthly
    }
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for ch in text.chars() {
        match ch {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            ch if ch.is_control() => {
                let _ = write!(quoted, "\\u{:04X}", u32::from(ch));
            }
            ch => quoted.push(ch),
        }
    }
    quoted.push('"');
    quoted
}
