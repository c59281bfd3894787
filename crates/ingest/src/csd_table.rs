//! C&SD statistical tables as exported to CSV from the C&SD website.
//!
//! Shape: a title line `Table 215-16001 : …`, a header block whose last line names the
//! dimension columns (`Year`, `Month`/`Quarter`, a classification), data rows, then footnotes
//! with a symbol legend and `Release Date: 19 December, 2025`. Every classification row,
//! aggregates such as `B, D & E` or `All industry sections covered` included, becomes its own
//! series.

use std::collections::BTreeMap;

use domain::{
    Direction, Frequency, IndustryCode, Observation, ObservationStatus, OccupationCode, Period,
    PeriodKind, SeriesId, SeriesMeta, Tag, default_publication_lag_days,
};

use crate::cells::{Cell, classify_cell, parse_release_date, strip_footnote_refs};
use crate::csd_labels::CsdLabels;
use crate::rows::Rows;
use crate::{CountingSink, IngestError, Location, MetadataOrigin, next_record};

const HEADER_LINES_MAX: usize = 40;

struct ValueColumn {
    index: usize,
    label: String,
    /// The heading in Chinese, as C&SD publishes it, when known (`csd_labels`).
    label_zh: Option<String>,
    measure_slug: String,
    unit: String,
}

struct Dimensions {
    year: usize,
    time_label: Option<usize>,
    categories: Vec<(usize, String)>,
}

struct SeriesState {
    meta: SeriesMeta,
    months_seen: u16,
    kinds_seen: [bool; 4],
}

pub(crate) fn parse(rows: &mut Rows<'_>, sink: &mut CountingSink<'_>) -> Result<(), IngestError> {
    let (table_id, table_title) = read_title(rows)?;
    let (dimensions, columns) = read_header(rows)?;
    let mut series: BTreeMap<String, SeriesState> = BTreeMap::new();
    let mut dash_cells: Vec<(SeriesId, Period, Location)> = Vec::new();
    let mut dash_meaning: Option<String> = None;
    let mut carried_year = String::new();
    let mut labels_by_slug: BTreeMap<String, String> = BTreeMap::new();
    let mut n_data_rows = 0u64;
    let n_columns = columns.last().map_or(0, |column| column.index + 1);

    while let Some((location, record)) = next_record(rows, sink)? {
        let raw = record.iter().collect::<Vec<_>>().join(",");
        let first = record.get(0).unwrap_or_default().trim();
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if let Some(rest) = first.strip_prefix("Release Date:") {
            match parse_release_date(rest) {
                Some(date) => sink.release_date(date),
                None => sink.reject(
                    location.at_column(0, None),
                    format!("cannot read the release date '{}'", rest.trim()),
                    raw,
                ),
            }
            continue;
        }
        if let Some(meaning) = first.strip_prefix("- ") {
            dash_meaning = Some(meaning.trim().to_owned());
            continue;
        }
        let year_cell = record.get(dimensions.year).unwrap_or_default().trim();
        let is_year = year_cell.len() == 4 && year_cell.bytes().all(|b| b.is_ascii_digit());
        let continues_block = year_cell.is_empty()
            && !carried_year.is_empty()
            && record.len() >= n_columns
            && dimensions
                .categories
                .iter()
                .all(|(index, _)| !record.get(*index).unwrap_or_default().trim().is_empty());
        if !is_year && !continues_block {
            // Footnotes, source lines and the symbol legend: not data.
            continue;
        }
        if is_year {
            year_cell.clone_into(&mut carried_year);
        }
        n_data_rows += 1;
        if record.len() < n_columns {
            sink.reject(
                location,
                format!(
                    "expected {n_columns} columns, found {}; the row is cut short",
                    record.len()
                ),
                raw,
            );
            continue;
        }
        let time_label = dimensions
            .time_label
            .map_or("", |index| record.get(index).unwrap_or_default());
        let period = match Period::from_year_and_label(&carried_year, time_label) {
            Ok(period) => period,
            Err(error) => {
                let column = dimensions.time_label.unwrap_or(dimensions.year);
                sink.reject(location.at_column(column, None), error.to_string(), raw);
                continue;
            }
        };
        let categories: Vec<Category> = dimensions
            .categories
            .iter()
            .map(|(index, header)| {
                let category = Category::read(record.get(*index).unwrap_or_default(), header);
                category.unique(&mut labels_by_slug)
            })
            .collect();
        for column in &columns {
            let cell = record.get(column.index).unwrap_or_default();
            let id_text = series_id_text(&table_id, &column.measure_slug, &categories);
            let cell_location = location.at_column(column.index, Some(&column.label));
            if !series.contains_key(&id_text) {
                match series_meta(&id_text, &table_id, &table_title, column, &categories) {
                    Ok(meta) => {
                        let state = SeriesState {
                            meta,
                            months_seen: 0,
                            kinds_seen: [false; 4],
                        };
                        series.insert(id_text.clone(), state);
                    }
                    Err(reason) => {
                        sink.reject(cell_location, reason, raw.clone());
                        continue;
                    }
                }
            }
            let state = series.get_mut(&id_text).expect("inserted above");
            match classify_cell(cell) {
                Cell::Value(value, status) => {
                    note_period(state, period);
                    let observation = Observation {
                        period,
                        value,
                        status,
                        vintage: None,
                    };
                    sink.observation(&state.meta.id, &observation, &cell_location)?;
                }
                Cell::NoValue => sink.no_value(),
                Cell::Dash => {
                    note_period(state, period);
                    dash_cells.push((state.meta.id.clone(), period, cell_location));
                }
                Cell::Bad(reason) => sink.reject(cell_location, reason, raw.clone()),
            }
        }
    }
    if n_data_rows == 0 {
        return Err(IngestError::Malformed {
            location: rows.location(),
            reason: "the table has no data rows (is the file cut short?)".to_owned(),
        });
    }
    resolve_dashes(dash_cells, dash_meaning.as_deref(), sink)?;
    for state in series.values_mut() {
        state.meta.frequency = infer_frequency(state);
        // The lag follows the frequency, which is only known once every row is read.
        state.meta.publication_lag_days = default_publication_lag_days(state.meta.frequency);
        sink.series(&state.meta, MetadataOrigin::Inferred)?;
    }
    Ok(())
}

/// `-` means "nil" in some C&SD tables and "not applicable" in others; the legend says which.
fn resolve_dashes(
    dash_cells: Vec<(SeriesId, Period, Location)>,
    dash_meaning: Option<&str>,
    sink: &mut CountingSink<'_>,
) -> Result<(), IngestError> {
    let means_zero = dash_meaning.is_some_and(|meaning| {
        let meaning = meaning.to_ascii_lowercase();
        meaning.contains("nil") || meaning.contains("zero")
    });
    for (id, period, location) in dash_cells {
        if means_zero {
            let observation = Observation {
                period,
                value: 0.0,
                status: ObservationStatus::Normal,
                vintage: None,
            };
            sink.observation(&id, &observation, &location)?;
        } else {
            sink.no_value();
        }
    }
    Ok(())
}

fn note_period(state: &mut SeriesState, period: Period) {
    state.kinds_seen[period.frequency() as usize] = true;
    if let PeriodKind::Month { month, .. } = period.kind() {
        state.months_seen |= 1 << month;
    }
}

/// C&SD quarterly surveys label their periods with the survey month (`Mar`, `Jun`, …); such a
/// series keeps its month periods but is quarterly.
fn infer_frequency(state: &SeriesState) -> Frequency {
    let [monthly, quarterly, annual, moving] = state.kinds_seen;
    if moving {
        return Frequency::ThreeMonthMoving;
    }
    if quarterly {
        return Frequency::Quarterly;
    }
    if annual && !monthly {
        return Frequency::Annual;
    }
    let months: Vec<u16> = (1..=12)
        .filter(|m| state.months_seen & (1 << m) != 0)
        .collect();
    match months.as_slice() {
        [_] => Frequency::Annual,
        [first, rest @ ..] if rest.iter().all(|m| (m - first) % 3 == 0) => Frequency::Quarterly,
        _ => Frequency::Monthly,
    }
}

/// The next header row as trimmed cells; in the header an unreadable row or the end of the
/// file is fatal, since nothing after it can be understood.
/// The next row of the title or header block; `end_of_file` is the error when there is none.
fn header_row<'a>(
    rows: &mut Rows<'a>,
    end_of_file: impl FnOnce(&Rows<'a>) -> IngestError,
) -> Result<(Location, Vec<String>), IngestError> {
    match rows.next_row() {
        Some(Ok(record)) => {
            let cells = record.iter().map(|cell| cell.trim().to_owned()).collect();
            Ok((rows.location(), cells))
        }
        Some(Err(Ok(unreadable))) => Err(IngestError::Malformed {
            location: unreadable.location,
            reason: unreadable.reason,
        }),
        Some(Err(Err(fatal))) => Err(fatal),
        None => Err(end_of_file(rows)),
    }
}

fn read_title(rows: &mut Rows<'_>) -> Result<(String, String), IngestError> {
    let (location, cells) = header_row(rows, Rows::no_rows)?;
    let title_cell = cells.into_iter().next().unwrap_or_default();
    let malformed = || IngestError::Malformed {
        location: location.at_column(0, None),
        reason: format!("expected a title 'Table <number> : <title>', found '{title_cell}'"),
    };
    let rest = title_cell.strip_prefix("Table ").ok_or_else(malformed)?;
    let (number, title) = rest.split_once(':').ok_or_else(malformed)?;
    let number = number.trim();
    if number.is_empty()
        || !number
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(malformed());
    }
    Ok((number.to_owned(), title.trim().to_owned()))
}

fn read_header(rows: &mut Rows<'_>) -> Result<(Dimensions, Vec<ValueColumn>), IngestError> {
    let mut header_lines: Vec<Vec<String>> = Vec::new();
    loop {
        let (location, cells) = header_row(rows, |rows| IngestError::Malformed {
            location: rows.location(),
            reason: "the file ends inside the table header (is it cut short?)".to_owned(),
        })?;
        if let Some(year) = cells
            .iter()
            .position(|cell| cell.eq_ignore_ascii_case("Year"))
        {
            return build_header(&cells, year, &header_lines, &location);
        }
        header_lines.push(cells);
        if header_lines.len() > HEADER_LINES_MAX {
            return Err(IngestError::Malformed {
                location,
                reason: format!(
                    "no header line naming a 'Year' column within the first {HEADER_LINES_MAX} lines"
                ),
            });
        }
    }
}

fn build_header(
    dimension_cells: &[String],
    year: usize,
    header_lines: &[Vec<String>],
    location: &Location,
) -> Result<(Dimensions, Vec<ValueColumn>), IngestError> {
    let n_dimensions = dimension_cells
        .iter()
        .rposition(|cell| !cell.is_empty())
        .map_or(0, |index| index + 1);
    let mut time_label = None;
    let mut categories = Vec::new();
    for (index, name) in dimension_cells[..n_dimensions].iter().enumerate() {
        if index == year {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "month" | "quarter" | "period" | "reference period"
        ) {
            time_label = Some(index);
        } else {
            categories.push((index, name.clone()));
        }
    }
    let width = header_lines.iter().map(Vec::len).max().unwrap_or(0);
    let mut columns = Vec::new();
    for index in n_dimensions..width {
        let parts: Vec<&str> = header_lines
            .iter()
            .filter_map(|line| line.get(index).map(String::as_str))
            .filter(|part| !part.is_empty())
            .collect();
        let Some((measure, unit_parts)) = parts.split_first() else {
            return Err(IngestError::Malformed {
                location: location.at_column(index, None),
                reason: "this value column has no heading".to_owned(),
            });
        };
        let measure = strip_footnote_refs(measure);
        let unit_text = unit_parts.last().copied().unwrap_or("");
        let mut measure_slug = SeriesId::slug(&strip_parenthesised(&measure));
        let lower_unit = unit_text.to_ascii_lowercase();
        if lower_unit.contains("year-on-year") {
            measure_slug.push_str(".yoy_pct");
        } else if lower_unit.contains("change") {
            measure_slug.push_str(".change");
        }
        let labels = CsdLabels::bundled();
        // A second line that changes what is measured (a year-on-year change) needs its own
        // Chinese; one that only gives the unit (`No.`, `(%)`) does not.
        let changes_measure =
            measure_slug.ends_with(".yoy_pct") || measure_slug.ends_with(".change");
        let label_zh = match labels.heading(&measure) {
            Some(measure_zh) if changes_measure => labels
                .heading(unit_text)
                .map(|change_zh| format!("{measure_zh}（{change_zh}）")),
            Some(measure_zh) => Some(measure_zh.to_owned()),
            None => None,
        };
        let label = if unit_text.is_empty() {
            measure.clone()
        } else if unit_text.starts_with('(') {
            format!("{measure} {unit_text}")
        } else {
            format!("{measure} ({unit_text})")
        };
        columns.push(ValueColumn {
            index,
            label,
            label_zh,
            measure_slug,
            unit: unit_name(unit_text),
        });
    }
    if columns.is_empty() {
        return Err(IngestError::Malformed {
            location: location.clone(),
            reason: "the header names no value columns".to_owned(),
        });
    }
    Ok((
        Dimensions {
            year,
            time_label,
            categories,
        },
        columns,
    ))
}

fn unit_name(unit_text: &str) -> String {
    let lower = unit_text.to_ascii_lowercase();
    if lower.contains('%') {
        "%".to_owned()
    } else if lower == "no." || lower.is_empty() {
        "number".to_owned()
    } else if lower.contains("index") {
        "index".to_owned()
    } else {
        unit_text.to_owned()
    }
}

fn strip_parenthesised(text: &str) -> String {
    let mut depth = 0usize;
    let mut kept = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => kept.push(ch),
            _ => {}
        }
    }
    kept
}

/// One classification cell such as `G47: Retail` or `Professionals`.
struct Category {
    slug: String,
    label: String,
    industry: Option<IndustryCode>,
    /// The occupation, in a column whose header names occupations (`Occupation group`).
    occupation: Option<OccupationCode>,
}

impl Category {
    /// The label in Chinese: C&SD's own where it says more than the HSIC name
    /// (`csd_labels`), else the HSIC name of its industry or C&SD's name of its occupation.
    fn label_zh(&self) -> Option<String> {
        CsdLabels::bundled()
            .category(&self.label)
            .map(str::to_owned)
            .or_else(|| self.industry.as_ref().map(IndustryCode::name_zh))
            .or_else(|| {
                self.occupation
                    .and_then(OccupationCode::name_zh)
                    .map(str::to_owned)
            })
    }
}

impl Category {
    fn read(cell: &str, header: &str) -> Category {
        let label = strip_footnote_refs(cell.trim());
        let code = label
            .split_once(':')
            .map_or(label.as_str(), |(code, _)| code);
        let is_industry = header.to_ascii_lowercase().contains("industr");
        let industry = if is_industry {
            IndustryCode::parse(code).ok()
        } else {
            None
        };
        // A code that is no HSIC code (`G (part of)`, `85`) says too little on its own.
        let slug = match &industry {
            Some(industry) => industry.to_string(),
            None if is_industry => SeriesId::slug(&label),
            None => SeriesId::slug(code),
        };
        let is_occupation = {
            let header = header.to_ascii_lowercase();
            header.contains("occupation") || header.contains("職業")
        };
        let occupation = if is_occupation {
            OccupationCode::from_label(&label)
        } else {
            None
        };
        Category {
            slug,
            label,
            industry,
            occupation,
        }
    }
}

impl Category {
    /// Two labels with the same code (C&SD writes `G (part of)` for two different rows) must
    /// not share a series: the second one is named by its whole label.
    fn unique(mut self, labels_by_slug: &mut BTreeMap<String, String>) -> Category {
        let known = labels_by_slug
            .entry(self.slug.clone())
            .or_insert_with(|| self.label.clone());
        if *known != self.label {
            self.slug = SeriesId::slug(&self.label);
            self.industry = None;
            labels_by_slug.insert(self.slug.clone(), self.label.clone());
        }
        self
    }
}

fn series_id_text(table_id: &str, measure_slug: &str, categories: &[Category]) -> String {
    let mut id = format!("csd.{table_id}.{measure_slug}");
    for category in categories {
        id.push('.');
        id.push_str(&category.slug);
    }
    id
}

fn series_meta(
    id_text: &str,
    table_id: &str,
    table_title: &str,
    column: &ValueColumn,
    categories: &[Category],
) -> Result<SeriesMeta, String> {
    let id = SeriesId::parse(id_text).map_err(|error| error.to_string())?;
    let mut title_en = column.label.clone();
    for category in categories {
        title_en.push_str(" — ");
        title_en.push_str(&category.label);
    }
    let industry = categories
        .iter()
        .find_map(|category| category.industry.clone());
    let occupation = categories.iter().find_map(|category| category.occupation);
    // Chinese only when every part has C&SD's (or HSIC's) Chinese: no title is better than
    // a made-up one.
    let categories_zh: Option<Vec<String>> = categories.iter().map(Category::label_zh).collect();
    let title_zh = match (&column.label_zh, categories_zh) {
        (Some(measure), Some(labels)) if labels.is_empty() => measure.clone(),
        (Some(measure), Some(labels)) => format!("{measure}：{}", labels.join("，")),
        _ => String::new(),
    };
    let mut meta = SeriesMeta::new(id, title_en, Frequency::Monthly);
    meta.title_zh = title_zh;
    meta.unit.clone_from(&column.unit);
    meta.source = format!("C&SD table {table_id}: {table_title}");
    meta.direction = infer_direction(&column.measure_slug);
    let mut tags = vec![
        format!("table:{}", SeriesId::slug(table_id)),
        format!("measure:{}", column.measure_slug),
    ];
    if let Some(industry) = &industry {
        tags.push("industry".to_owned());
        if industry.is_section() {
            tags.push("industry-section".to_owned());
        }
    }
    if occupation.is_some() {
        tags.push("occupation".to_owned());
    }
    meta.tags = tags.iter().filter_map(|tag| Tag::parse(tag).ok()).collect();
    meta.industry = industry;
    meta.occupation = occupation;
    Ok(meta)
}

/// Good news is more vacancies, jobs and pay; bad news is more unemployment.
fn infer_direction(measure_slug: &str) -> Direction {
    if measure_slug.contains(".change") || measure_slug.contains(".yoy") {
        return Direction::Neutral;
    }
    if measure_slug.contains("unemploy") || measure_slug.contains("underemploy") {
        Direction::HigherIsWorse
    } else if ["vacanc", "persons_engaged", "payroll", "wage", "earning"]
        .iter()
        .any(|word| measure_slug.contains(word))
    {
        Direction::HigherIsBetter
    } else {
        Direction::Neutral
    }
}
