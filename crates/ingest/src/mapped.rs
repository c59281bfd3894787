//! Tables of any other shape, read through a mapping file (TOML) that says which column holds
//! the period, which the value, and how rows become series. See docs/formats.md.

use std::collections::{BTreeMap, HashSet};

use domain::{
    Direction, Frequency, IndustryCode, Observation, Period, SeasonalAdjustment, SeriesId,
    SeriesMeta, Tag, default_publication_lag_days, parse_date,
};
use serde::Deserialize;

use crate::cells::{Cell, classify_cell};
use crate::rows::Rows;
use crate::{CountingSink, Header, IngestError, MetadataOrigin, next_record, raw_row};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    #[serde(default)]
    description: String,
    #[serde(default = "default_missing")]
    missing: Vec<String>,
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
    period: String,
    value: String,
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
    blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
struct Block {
    when: Vec<(String, String)>,
    id: Template,
    title_en: Template,
    title_zh: Template,
    period_column: String,
    value_column: String,
    /// Metadata shared by every series of the block; id and titles are filled per row.
    meta: SeriesMeta,
}

/// Text with `{column}` placeholders.
#[derive(Debug, Clone)]
struct Template {
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone)]
enum Piece {
    Literal(String),
    Column(String),
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
            pieces.push(Piece::Column(
                rest[open + 1..open + close].trim().to_owned(),
            ));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Literal(rest.to_owned()));
        }
        Ok(Template { pieces })
    }

    fn columns(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Column(name) => Some(name.as_str()),
            Piece::Literal(_) => None,
        })
    }

    fn render(&self, header: &Header, record: &csv::StringRecord, slug: bool) -> String {
        let mut text = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(literal) => text.push_str(literal),
                Piece::Column(name) => {
                    let value = header
                        .find(name)
                        .and_then(|index| record.get(index))
                        .unwrap_or_default()
                        .trim();
                    if slug {
                        text.push_str(&SeriesId::slug(value));
                    } else {
                        text.push_str(value);
                    }
                }
            }
        }
        text
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
            blocks,
        })
    }
}

fn resolve_block(raw: RawBlock) -> Result<Block, String> {
    let frequency = Frequency::parse(&raw.frequency).map_err(|e| e.to_string())?;
    // A placeholder-free id must already be valid; templated ids are checked per row.
    let id = Template::parse(&raw.id)?;
    let placeholder_id = SeriesId::parse("mapped.placeholder").map_err(|e| e.to_string())?;
    let mut meta = SeriesMeta::new(placeholder_id, String::new(), frequency);
    meta.unit = raw.unit;
    meta.source = raw.source;
    meta.seasonal_adjustment =
        SeasonalAdjustment::parse(&raw.seasonal_adjustment).map_err(|e| e.to_string())?;
    meta.direction = Direction::parse(&raw.direction).map_err(|e| e.to_string())?;
    meta.industry = raw
        .industry
        .as_deref()
        .map(IndustryCode::parse)
        .transpose()
        .map_err(|e| e.to_string())?;
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
        period_column: raw.period,
        value_column: raw.value,
        meta,
    })
}

impl Block {
    fn referenced_columns(&self) -> impl Iterator<Item = &str> {
        self.when
            .iter()
            .map(|(column, _)| column.as_str())
            .chain([self.period_column.as_str(), self.value_column.as_str()])
            .chain(self.id.columns())
            .chain(self.title_en.columns())
            .chain(self.title_zh.columns())
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

pub(crate) fn parse(
    rows: &mut Rows<'_>,
    spec: &MappingSpec,
    sink: &mut CountingSink<'_>,
) -> Result<(), IngestError> {
    let Some((_, header)) = next_record(rows, sink)? else {
        return Err(rows.no_rows());
    };
    let header = Header::read(header);
    for (index, block) in spec.blocks.iter().enumerate() {
        if let Some(column) = block
            .referenced_columns()
            .find(|name| header.find(name).is_none())
        {
            return Err(IngestError::Mapping {
                file: spec.name.clone(),
                reason: format!(
                    "[[series]] #{} names the column '{column}', which {} does not have (columns: {})",
                    index + 1,
                    rows.file_name(),
                    header.names().join(", ")
                ),
            });
        }
    }
    let mut declared: HashSet<SeriesId> = HashSet::new();
    while let Some((location, record)) = next_record(rows, sink)? {
        if record.len() != header.len() {
            let reason = format!("expected {} columns, found {}", header.len(), record.len());
            sink.reject(location, reason, raw_row(record));
            continue;
        }
        let mut matched = false;
        for block in spec
            .blocks
            .iter()
            .filter(|block| block.matches(&header, record))
        {
            matched = true;
            let id_text = block.id.render(&header, record, true);
            let id = match SeriesId::parse(&id_text) {
                Ok(id) => id,
                Err(error) => {
                    sink.reject(location.clone(), error.to_string(), raw_row(record));
                    continue;
                }
            };
            let period_index = header.find(&block.period_column).unwrap_or(0);
            let period_text = record[period_index].trim();
            // A period (`2025-06`), a date, or a date-time (`2025-06-01T08:00:00Z`, as JSON
            // exports write dates) by its calendar date as written, with no time-zone shift.
            let date_text = match period_text.as_bytes().get(10) {
                Some(b'T' | b' ') => period_text.get(..10).unwrap_or(period_text),
                _ => period_text,
            };
            let period = Period::parse(period_text).or_else(|error| {
                parse_date(date_text)
                    .map_err(|_| error)
                    .and_then(|date| Period::containing(date, block.meta.frequency))
            });
            let period = match period {
                Ok(period) => period,
                Err(error) => {
                    let period_location =
                        location.at_column(period_index, Some(&block.period_column));
                    sink.reject(period_location, error.to_string(), raw_row(record));
                    continue;
                }
            };
            let value_index = header.find(&block.value_column).unwrap_or(0);
            let value_location = location.at_column(value_index, Some(&block.value_column));
            let cell = record[value_index].trim();
            if spec.missing.iter().any(|missing| missing == cell) {
                sink.no_value();
                continue;
            }
            match classify_cell(cell) {
                Cell::Value(value, status) => {
                    if !declared.contains(&id) {
                        let mut meta = block.meta.clone();
                        meta.id = id.clone();
                        meta.title_en = block.title_en.render(&header, record, false);
                        meta.title_zh = block.title_zh.render(&header, record, false);
                        sink.series(&meta, MetadataOrigin::Declared)?;
                        declared.insert(id.clone());
                    }
                    let observation = Observation {
                        period,
                        value,
                        status,
                        vintage: None,
                    };
                    sink.observation(&id, &observation, &value_location)?;
                }
                Cell::NoValue | Cell::Dash => sink.no_value(),
                Cell::Bad(reason) => sink.reject(value_location, reason, raw_row(record)),
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
