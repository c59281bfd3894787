//! Tables of any other shape, read through a mapping file (TOML) that says where the header
//! is, which column holds the period and which the value (or that periods run across the
//! columns), and how rows become series. See docs/formats.md.

use std::collections::{BTreeMap, HashSet};

use domain::{
    Direction, Frequency, IndustryCode, Observation, OccupationCode, Period, SeasonalAdjustment,
    SeriesId, SeriesMeta, Tag, default_publication_lag_days, parse_date,
};
use serde::Deserialize;

use crate::cells::{Cell, classify_cell};
use crate::rows::Rows;
use crate::{CountingSink, Header, IngestError, Location, MetadataOrigin, next_record, raw_row};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    #[serde(default)]
    description: String,
    #[serde(default = "default_missing")]
    missing: Vec<String>,
    #[serde(default)]
    header_rows: Vec<u64>,
    #[serde(default)]
    data_from: Option<u64>,
    #[serde(default)]
    stop_at: Vec<String>,
    series: Vec<RawBlock>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBlock {
    #[serde(default)]
    when: BTreeMap<String, String>,
    id: String,
    title_en: String,
    #[serde(default)]
    title_zh: String,
    #[serde(default)]
    layout: Option<String>,
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    under: Option<String>,
    frequency: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    seasonal_adjustment: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    industry: Option<String>,
    /// The occupation: a code or C&SD major group name, or a `{column}` template of one.
    #[serde(default)]
    occupation: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    publication_lag_days: Option<u16>,
}

fn default_missing() -> Vec<String> {
    ["", "N.A.", "-", "."].map(str::to_owned).to_vec()
}

/// A parsed mapping file.
#[derive(Debug, Clone)]
pub struct MappingSpec {
    name: String,
    pub description: String,
    missing: Vec<String>,
    /// Lines of the header, in order; empty: the first row.
    header_rows: Vec<u64>,
    data_from: Option<u64>,
    stop_at: Vec<String>,
    blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
struct Block {
    when: Vec<(String, String)>,
    id: Template,
    title_en: Template,
    title_zh: Template,
    layout: Layout,
    industry: Option<Template>,
    /// The occupation of each series, read from the row when the template names a column.
    occupation: Option<Template>,
    /// Metadata shared by every series of the block; id, titles, industry and occupation
    /// are filled per row.
    meta: SeriesMeta,
}

#[derive(Debug, Clone)]
enum Layout {
    /// One row per period: a period column and a value column.
    Long {
        period_column: String,
        value_column: String,
    },
    /// Periods across the columns: every column whose header is a period holds values,
    /// optionally only those under a heading (`under`) in one of the header rows.
    Wide { under: Option<String> },
}

/// Text with `{column}` placeholders; `{column|hsic}` is the HSIC code of an industry label.
#[derive(Debug, Clone)]
struct Template {
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone)]
enum Piece {
    Literal(String),
    Column { name: String, hsic: bool },
}

impl Template {
    fn parse(text: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                pieces.push(Piece::Literal(rest[..open].to_owned()));
            }
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| format!("unclosed '{{' in '{text}'"))?;
            let inside = rest[open + 1..open + close].trim();
            let piece = match inside.rsplit_once('|') {
                Some((name, "hsic")) => Piece::Column {
                    name: name.trim().to_owned(),
                    hsic: true,
                },
                Some((_, filter)) => {
                    return Err(format!(
                        "unknown filter '|{filter}' in '{text}' (the filter is |hsic)"
                    ));
                }
                None => Piece::Column {
                    name: inside.to_owned(),
                    hsic: false,
                },
            };
            pieces.push(piece);
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Literal(rest.to_owned()));
        }
        Ok(Template { pieces })
    }

    fn columns(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Column { name, .. } => Some(name.as_str()),
            Piece::Literal(_) => None,
        })
    }

    fn literal(&self) -> Option<String> {
        self.columns().next().is_none().then(|| {
            self.pieces
                .iter()
                .map(|piece| match piece {
                    Piece::Literal(text) => text.as_str(),
                    Piece::Column { .. } => "",
                })
                .collect()
        })
    }

    /// The text for one row; `for_id` makes column values id-safe. Fails with the reason and
    /// the column to blame.
    fn render(
        &self,
        header: &Header,
        record: &csv::StringRecord,
        for_id: bool,
    ) -> Result<String, (String, usize)> {
        let mut text = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(literal) => text.push_str(literal),
                Piece::Column { name, hsic } => {
                    let index = header.find(name).unwrap_or(0);
                    let value = record.get(index).unwrap_or_default().trim();
                    if *hsic {
                        let industry = IndustryCode::from_label(value)
                            .map_err(|error| (error.to_string(), index))?;
                        text.push_str(&industry.to_string());
                    } else if for_id {
                        let slug = SeriesId::slug(value);
                        if slug.is_empty() && !value.is_empty() {
                            return Err((
                                format!(
                                    "'{value}' has no letters or digits to put in a series id; \
                                     write {{{name}|hsic}} for an industry, or use another column"
                                ),
                                index,
                            ));
                        }
                        text.push_str(&slug);
                    } else {
                        text.push_str(value);
                    }
                }
            }
        }
        Ok(text)
    }
}

impl MappingSpec {
    /// Parses a mapping file; `name` is used in messages.
    pub fn parse(name: &str, text: &str) -> Result<MappingSpec, IngestError> {
        let error = |reason: String| IngestError::Mapping {
            file: name.to_owned(),
            reason,
        };
        let raw: RawSpec =
            toml::from_str(text).map_err(|e| error(e.to_string().trim().to_owned()))?;
        if raw.series.is_empty() {
            return Err(error("it has no [[series]] block".to_owned()));
        }
        if raw.header_rows.contains(&0) || !raw.header_rows.is_sorted_by(|a, b| a < b) {
            return Err(error(
                "header_rows must list line numbers (from 1) in increasing order".to_owned(),
            ));
        }
        if let (Some(data_from), Some(last)) = (raw.data_from, raw.header_rows.last())
            && data_from <= *last
        {
            return Err(error(format!(
                "data_from = {data_from} is not below the header (line {last})"
            )));
        }
        let blocks = raw
            .series
            .into_iter()
            .enumerate()
            .map(|(index, block)| {
                resolve_block(block)
                    .map_err(|reason| error(format!("[[series]] #{}: {reason}", index + 1)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(MappingSpec {
            name: name.to_owned(),
            description: raw.description,
            missing: raw.missing,
            header_rows: raw.header_rows,
            data_from: raw.data_from,
            stop_at: raw.stop_at,
            blocks,
        })
    }
}

fn resolve_block(raw: RawBlock) -> Result<Block, String> {
    let frequency = Frequency::parse(&raw.frequency).map_err(|e| e.to_string())?;
    let layout = match (raw.layout.as_deref(), raw.period, raw.value) {
        (None | Some("long"), Some(period_column), Some(value_column)) => {
            if raw.under.is_some() {
                return Err("'under' belongs to a wide block (layout = \"wide\")".to_owned());
            }
            Layout::Long {
                period_column,
                value_column,
            }
        }
        (None | Some("long"), _, _) => {
            return Err(
                "a long block names its 'period' and 'value' columns (or set layout = \"wide\" when periods run across the columns)"
                    .to_owned(),
            );
        }
        (Some("wide"), None, None) => Layout::Wide { under: raw.under },
        (Some("wide"), _, _) => {
            return Err(
                "a wide block takes its periods from the column headers: drop 'period' and 'value'"
                    .to_owned(),
            );
        }
        (Some(other), _, _) => {
            return Err(format!("layout '{other}' is neither \"long\" nor \"wide\""));
        }
    };
    let id = Template::parse(&raw.id)?;
    let placeholder_id = SeriesId::parse("mapped.placeholder").map_err(|e| e.to_string())?;
    let mut meta = SeriesMeta::new(placeholder_id, String::new(), frequency);
    meta.unit = raw.unit;
    meta.source = raw.source;
    meta.seasonal_adjustment =
        SeasonalAdjustment::parse(&raw.seasonal_adjustment).map_err(|e| e.to_string())?;
    meta.direction = Direction::parse(&raw.direction).map_err(|e| e.to_string())?;
    let industry = raw.industry.as_deref().map(Template::parse).transpose()?;
    // An industry without placeholders must already be one.
    if let Some(code) = industry.as_ref().and_then(Template::literal) {
        IndustryCode::from_label(&code).map_err(|e| e.to_string())?;
    }
    let occupation = raw.occupation.as_deref().map(Template::parse).transpose()?;
    if let Some(code) = occupation.as_ref().and_then(Template::literal)
        && OccupationCode::from_label(&code).is_none()
    {
        return Err(occupation_error(&code));
    }
    meta.tags = raw
        .tags
        .iter()
        .map(|tag| Tag::parse(tag))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    meta.publication_lag_days = raw
        .publication_lag_days
        .unwrap_or_else(|| default_publication_lag_days(frequency));
    Ok(Block {
        when: raw.when.into_iter().collect(),
        id,
        title_en: Template::parse(&raw.title_en)?,
        title_zh: Template::parse(&raw.title_zh)?,
        layout,
        industry,
        occupation,
        meta,
    })
}

fn occupation_error(text: &str) -> String {
    format!(
        "'{text}' is not an occupation: give a C&SD major group (1-9 or its name, such as 'Professionals') or an ISCO-08 code ('isco08:2512')"
    )
}

impl Block {
    fn referenced_columns(&self) -> impl Iterator<Item = &str> {
        let layout_columns = match &self.layout {
            Layout::Long {
                period_column,
                value_column,
            } => vec![period_column.as_str(), value_column.as_str()],
            Layout::Wide { .. } => Vec::new(),
        };
        self.when
            .iter()
            .map(|(column, _)| column.as_str())
            .chain(layout_columns)
            .chain(self.id.columns())
            .chain(self.title_en.columns())
            .chain(self.title_zh.columns())
            .chain(self.industry.iter().flat_map(Template::columns))
            .chain(self.occupation.iter().flat_map(Template::columns))
    }

    fn matches(&self, header: &Header, record: &csv::StringRecord) -> bool {
        self.when.iter().all(|(column, expected)| {
            header
                .find(column)
                .and_then(|index| record.get(index))
                .is_some_and(|cell| cell.trim() == expected)
        })
    }
}

/// The header as read: the joined name of every column, and each column's cells in the
/// header rows (a blank cell in an upper row takes the heading to its left, as merged cells
/// read).
pub(crate) struct TableHeader {
    pub(crate) names: Header,
    pub(crate) cells: Vec<Vec<String>>,
}

impl TableHeader {
    pub(crate) fn new(rows: &[Vec<String>]) -> TableHeader {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut cells = vec![Vec::with_capacity(rows.len()); width];
        for (row_index, row) in rows.iter().enumerate() {
            let is_last = row_index + 1 == rows.len();
            let mut left = String::new();
            for (column, column_cells) in cells.iter_mut().enumerate() {
                let cell = row.get(column).map_or("", |cell| cell.trim());
                let cell = if cell.is_empty() && !is_last && column > 0 {
                    left.clone()
                } else {
                    cell.to_owned()
                };
                left.clone_from(&cell);
                column_cells.push(cell);
            }
        }
        let names = cells
            .iter()
            .map(|column_cells| {
                let mut parts: Vec<&str> = Vec::new();
                for cell in column_cells {
                    if !cell.is_empty() && parts.last() != Some(&cell.as_str()) {
                        parts.push(cell);
                    }
                }
                parts.join(" ")
            })
            .collect();
        TableHeader {
            names: Header::from_names(names),
            cells,
        }
    }

    /// The period a column's header names: the joined header, or one of its rows, bottom
    /// up (`職位空缺數目` above `2025年3月`).
    fn period(&self, column: usize, frequency: Frequency) -> Option<Period> {
        let joined = self.names.name(column)?;
        std::iter::once(joined)
            .chain(self.cells[column].iter().rev().map(String::as_str))
            .find_map(|text| read_period(text, frequency).ok())
    }
}

/// A period in any written form (`2025年1月`, `Q3 2025`, …), or a date or date-time (as
/// spreadsheets and JSON exports write them) placed in the period of `frequency` that holds
/// it, by its calendar date as written, with no time-zone shift.
pub(crate) fn read_period(text: &str, frequency: Frequency) -> Result<Period, domain::DomainError> {
    let text = text.trim();
    let date_text = match text.as_bytes().get(10) {
        Some(b'T' | b' ') => text.get(..10).unwrap_or(text),
        _ => text,
    };
    Period::read(text).or_else(|error| {
        parse_date(date_text)
            .map_err(|_| error)
            .and_then(|date| Period::containing(date, frequency))
    })
}

pub(crate) fn parse(
    rows: &mut Rows<'_>,
    spec: &MappingSpec,
    sink: &mut CountingSink<'_>,
) -> Result<(), IngestError> {
    let header = read_header(rows, spec, sink)?;
    let mut period_columns: Vec<Vec<(usize, Period)>> = Vec::with_capacity(spec.blocks.len());
    for (index, block) in spec.blocks.iter().enumerate() {
        if let Some(column) = block
            .referenced_columns()
            .find(|name| header.names.find(name).is_none())
        {
            return Err(spec.error(format!(
                "[[series]] #{} names the column '{column}', which {} does not have (columns: {})",
                index + 1,
                rows.file_name(),
                header.names.names().join(", ")
            )));
        }
        let columns = match &block.layout {
            Layout::Long { .. } => Vec::new(),
            Layout::Wide { under } => {
                let columns = wide_columns(&header, under.as_deref(), block.meta.frequency);
                if columns.is_empty() {
                    return Err(spec.error(format!(
                        "[[series]] #{} is wide, but no column of {} has a period for its header{} (columns: {})",
                        index + 1,
                        rows.file_name(),
                        under
                            .as_ref()
                            .map(|under| format!(" under '{under}'"))
                            .unwrap_or_default(),
                        header.names.names().join(", ")
                    )));
                }
                columns
            }
        };
        period_columns.push(columns);
    }
    let is_sheet = rows.sheet_name().is_some();
    let mut declared: HashSet<SeriesId> = HashSet::new();
    while let Some((location, record)) = next_record(rows, sink)? {
        if spec.data_from.is_some_and(|first| location.line < first) {
            continue;
        }
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if spec.ends_data(record) {
            break;
        }
        // A sheet leaves out empty cells at the end of a row; a CSV row must be whole.
        let fits = if is_sheet {
            record.len() <= header.names.len()
        } else {
            record.len() == header.names.len()
        };
        if !fits {
            let reason = format!(
                "expected {} columns, found {}",
                header.names.len(),
                record.len()
            );
            sink.reject(location, reason, raw_row(record));
            continue;
        }
        let mut matched = false;
        for (block, columns) in spec.blocks.iter().zip(&period_columns) {
            if !block.matches(&header.names, record) {
                continue;
            }
            matched = true;
            let Some(meta) = row_meta(block, &header.names, record, &location, sink) else {
                continue;
            };
            let row = Row {
                record,
                location: &location,
                meta: &meta,
            };
            match &block.layout {
                Layout::Long {
                    period_column,
                    value_column,
                } => {
                    let period_index = header.names.find(period_column).unwrap_or(0);
                    let period_text = record.get(period_index).unwrap_or_default();
                    let period = match read_period(period_text, block.meta.frequency) {
                        Ok(period) => period,
                        Err(error) => {
                            let period_location =
                                location.at_column(period_index, Some(period_column));
                            sink.reject(period_location, error.to_string(), raw_row(record));
                            continue;
                        }
                    };
                    let value_index = header.names.find(value_column).unwrap_or(0);
                    let name = header.names.name(value_index);
                    spec.value(&row, value_index, name, period, &mut declared, sink)?;
                }
                Layout::Wide { .. } => {
                    for &(column, period) in columns {
                        let name = header.names.name(column);
                        spec.value(&row, column, name, period, &mut declared, sink)?;
                    }
                }
            }
        }
        if !matched {
            sink.reject(
                location,
                format!("no [[series]] block of {} matches this row", spec.name),
                raw_row(record),
            );
        }
    }
    Ok(())
}

/// One data row as a block reads it.
struct Row<'a> {
    record: &'a csv::StringRecord,
    location: &'a Location,
    meta: &'a SeriesMeta,
}

impl MappingSpec {
    fn error(&self, reason: String) -> IngestError {
        IngestError::Mapping {
            file: self.name.clone(),
            reason,
        }
    }

    /// Whether the row is the first of the notes below the data (`stop_at`).
    fn ends_data(&self, record: &csv::StringRecord) -> bool {
        let first = record
            .iter()
            .map(str::trim)
            .find(|cell| !cell.is_empty())
            .unwrap_or_default();
        self.stop_at
            .iter()
            .any(|marker| !marker.is_empty() && first.starts_with(marker.as_str()))
    }

    /// Hands one value cell to the sink: an observation, a cell without a value, or a reject.
    fn value(
        &self,
        row: &Row<'_>,
        column: usize,
        column_name: Option<&str>,
        period: Period,
        declared: &mut HashSet<SeriesId>,
        sink: &mut CountingSink<'_>,
    ) -> Result<(), IngestError> {
        let value_location = row.location.at_column(column, column_name);
        let cell = row.record.get(column).unwrap_or_default().trim();
        if self.missing.iter().any(|missing| missing == cell) {
            sink.no_value();
            return Ok(());
        }
        match classify_cell(cell) {
            Cell::Value(value, status) => {
                if !declared.contains(&row.meta.id) {
                    sink.series(row.meta, MetadataOrigin::Declared)?;
                    declared.insert(row.meta.id.clone());
                }
                let observation = Observation {
                    period,
                    value,
                    status,
                    vintage: None,
                };
                sink.observation(&row.meta.id, &observation, &value_location)?;
            }
            Cell::NoValue | Cell::Dash => sink.no_value(),
            Cell::Bad(reason) => sink.reject(value_location, reason, raw_row(row.record)),
        }
        Ok(())
    }
}

/// The series a row of a block feeds: id, titles, industry and occupation filled from the
/// row; a row whose id, industry or occupation cannot be made is rejected.
fn row_meta(
    block: &Block,
    header: &Header,
    record: &csv::StringRecord,
    location: &Location,
    sink: &mut CountingSink<'_>,
) -> Option<SeriesMeta> {
    let mut reject = |(reason, column): (String, usize)| {
        let at = location.at_column(column, header.name(column));
        sink.reject(at, reason, raw_row(record));
    };
    let id_text = block
        .id
        .render(header, record, true)
        .map_err(&mut reject)
        .ok()?;
    let id = SeriesId::parse(&id_text)
        .map_err(|error| reject((error.to_string(), block.id_column(header))))
        .ok()?;
    let mut meta = block.meta.clone();
    meta.id = id;
    meta.title_en = block
        .title_en
        .render(header, record, false)
        .map_err(&mut reject)
        .ok()?;
    meta.title_zh = block
        .title_zh
        .render(header, record, false)
        .map_err(&mut reject)
        .ok()?;
    if let Some(industry) = &block.industry {
        let label = industry
            .render(header, record, false)
            .map_err(&mut reject)
            .ok()?;
        let column = industry
            .columns()
            .next()
            .and_then(|name| header.find(name))
            .unwrap_or(0);
        meta.industry = Some(
            IndustryCode::from_label(&label)
                .map_err(|error| reject((error.to_string(), column)))
                .ok()?,
        );
    }
    if let Some(occupation) = &block.occupation {
        let label = occupation
            .render(header, record, false)
            .map_err(&mut reject)
            .ok()?;
        let column = occupation
            .columns()
            .next()
            .and_then(|name| header.find(name))
            .unwrap_or(0);
        meta.occupation = Some(
            OccupationCode::from_label(&label)
                .ok_or_else(|| reject((occupation_error(&label), column)))
                .ok()?,
        );
    }
    Some(meta)
}

impl Block {
    /// The column an id problem is blamed on: its first placeholder's.
    fn id_column(&self, header: &Header) -> usize {
        self.id
            .columns()
            .next()
            .and_then(|name| header.find(name))
            .unwrap_or(0)
    }
}

/// The columns of a wide block: those whose header names a period (under the heading
/// `under`, when given), with the period.
fn wide_columns(
    header: &TableHeader,
    under: Option<&str>,
    frequency: Frequency,
) -> Vec<(usize, Period)> {
    (0..header.names.len())
        .filter(|&column| {
            under.is_none_or(|under| header.cells[column].iter().any(|cell| cell == under))
        })
        .filter_map(|column| Some((column, header.period(column, frequency)?)))
        .collect()
}

/// Reads the header rows the mapping names (or the first row), skipping the title rows
/// above them.
fn read_header(
    rows: &mut Rows<'_>,
    spec: &MappingSpec,
    sink: &mut CountingSink<'_>,
) -> Result<TableHeader, IngestError> {
    let mut header_rows = Vec::new();
    while let Some((location, record)) = next_record(rows, sink)? {
        let cells = || record.iter().map(str::to_owned).collect::<Vec<_>>();
        match spec.header_rows.last() {
            None => return Ok(TableHeader::new(&[cells()])),
            Some(&last) => {
                if spec.header_rows.contains(&location.line) {
                    header_rows.push(cells());
                }
                if location.line >= last {
                    if header_rows.len() < spec.header_rows.len() {
                        break;
                    }
                    return Ok(TableHeader::new(&header_rows));
                }
            }
        }
    }
    match spec.header_rows.as_slice() {
        [] => Err(rows.no_rows()),
        lines => Err(spec.error(format!(
            "header_rows = {lines:?}, but {} has no row on line{} {}",
            rows.file_name(),
            if lines.len() > 1 { "s" } else { "" },
            lines
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}
