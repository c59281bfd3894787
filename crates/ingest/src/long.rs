//! lmo's documented generic formats (see docs/formats.md):
//! the long CSV `series_id,period,value[,vintage][,status]` and its series metadata file.

use domain::{
    Direction, Frequency, IndustryCode, Observation, ObservationStatus, OccupationCode, Period,
    SeasonalAdjustment, SeriesId, SeriesMeta, Tag, parse_date, parse_value,
};

use crate::Location;
use crate::rows::Rows;
use crate::{CountingSink, Header, IngestError, MetadataOrigin, next_record, raw_row};

const OBSERVATION_COLUMNS: [&str; 5] = ["series_id", "period", "value", "vintage", "status"];
const OBSERVATION_REQUIRED: [&str; 3] = ["series_id", "period", "value"];

/// The columns of a series metadata file, in the order `lmo export` writes them.
pub const SERIES_METADATA_COLUMNS: [&str; 12] = [
    "series_id",
    "title_en",
    "title_zh",
    "unit",
    "frequency",
    "seasonal_adjustment",
    "source",
    "industry",
    "occupation",
    "tags",
    "direction",
    "publication_lag_days",
];
const METADATA_REQUIRED: [&str; 3] = ["series_id", "title_en", "frequency"];

fn read_header(
    rows: &mut Rows<'_>,
    sink: &mut CountingSink<'_>,
    required: &[&str],
    allowed: &[&str],
) -> Result<Header, IngestError> {
    let Some((_, record)) = next_record(rows, sink)? else {
        return Err(rows.no_rows());
    };
    let header = Header::read(record);
    header.check(required, allowed, &rows.location())?;
    Ok(header)
}

/// A cell that failed to parse: where and why.
struct CellError {
    column: usize,
    reason: String,
}

fn cell<'r, T, E: ToString>(
    record: &'r csv::StringRecord,
    column: usize,
    parse: impl FnOnce(&'r str) -> Result<T, E>,
) -> Result<T, CellError> {
    parse(record.get(column).unwrap_or_default().trim()).map_err(|error| CellError {
        column,
        reason: error.to_string(),
    })
}

fn reject_cell(
    sink: &mut CountingSink<'_>,
    location: &Location,
    header: &Header,
    record: &csv::StringRecord,
    error: CellError,
) {
    let cell_location = location.at_column(error.column, header.name(error.column));
    sink.reject(cell_location, error.reason, raw_row(record));
}

pub(crate) fn parse_observations(
    rows: &mut Rows<'_>,
    sink: &mut CountingSink<'_>,
) -> Result<(), IngestError> {
    let header = read_header(rows, sink, &OBSERVATION_REQUIRED, &OBSERVATION_COLUMNS)?;
    let column = |name| header.find(name);
    let (series_column, period_column, value_column) = (
        column("series_id").unwrap_or(0),
        column("period").unwrap_or(1),
        column("value").unwrap_or(2),
    );
    let (vintage_column, status_column) = (column("vintage"), column("status"));
    while let Some((location, record)) = next_record(rows, sink)? {
        if record.len() != header.len() {
            let reason = format!("expected {} columns, found {}", header.len(), record.len());
            sink.reject(location, reason, raw_row(record));
            continue;
        }
        let parsed = (|| {
            let series = cell(record, series_column, SeriesId::parse)?;
            let period = cell(record, period_column, Period::parse)?;
            let value = cell(record, value_column, |text| {
                if text.is_empty() {
                    Err("empty value; leave the row out when there is no value".to_owned())
                } else {
                    parse_value(text).map_err(|error| error.to_string())
                }
            })?;
            let vintage = match vintage_column {
                Some(index) if !record[index].trim().is_empty() => {
                    Some(cell(record, index, parse_date)?)
                }
                _ => None,
            };
            let status = match status_column {
                Some(index) => cell(record, index, ObservationStatus::parse)?,
                None => ObservationStatus::Normal,
            };
            let observation = Observation {
                period,
                value,
                status,
                vintage,
            };
            Ok((series, observation))
        })();
        match parsed {
            Ok((series, observation)) => {
                let value_location = location.at_column(value_column, Some("value"));
                sink.observation(&series, &observation, &value_location)?;
            }
            Err(error) => reject_cell(sink, &location, &header, record, error),
        }
    }
    Ok(())
}

pub(crate) fn parse_metadata(
    rows: &mut Rows<'_>,
    sink: &mut CountingSink<'_>,
) -> Result<(), IngestError> {
    let header = read_header(rows, sink, &METADATA_REQUIRED, &SERIES_METADATA_COLUMNS)?;
    while let Some((location, record)) = next_record(rows, sink)? {
        if record.len() != header.len() {
            let reason = format!("expected {} columns, found {}", header.len(), record.len());
            sink.reject(location, reason, raw_row(record));
            continue;
        }
        match metadata_row(&header, record) {
            Ok(meta) => sink.series(&meta, MetadataOrigin::Declared)?,
            Err(error) => reject_cell(sink, &location, &header, record, error),
        }
    }
    Ok(())
}

fn metadata_row(header: &Header, record: &csv::StringRecord) -> Result<SeriesMeta, CellError> {
    let text = |name: &str| {
        header
            .find(name)
            .map(|index| record[index].trim().to_owned())
            .unwrap_or_default()
    };
    let optional = |name: &str| {
        header
            .find(name)
            .filter(|index| !record[*index].trim().is_empty())
    };
    let id = cell(
        record,
        header.find("series_id").unwrap_or(0),
        SeriesId::parse,
    )?;
    let frequency = cell(
        record,
        header.find("frequency").unwrap_or(0),
        Frequency::parse,
    )?;
    let mut meta = SeriesMeta::new(id, text("title_en"), frequency);
    if meta.title_en.is_empty() {
        return Err(CellError {
            column: header.find("title_en").unwrap_or(0),
            reason: "empty title_en".to_owned(),
        });
    }
    meta.title_zh = text("title_zh");
    meta.unit = text("unit");
    meta.source = text("source");
    if let Some(index) = optional("seasonal_adjustment") {
        meta.seasonal_adjustment = cell(record, index, SeasonalAdjustment::parse)?;
    }
    if let Some(index) = optional("industry") {
        meta.industry = Some(cell(record, index, IndustryCode::parse)?);
    }
    if let Some(index) = optional("occupation") {
        meta.occupation = Some(cell(record, index, OccupationCode::parse)?);
    }
    if let Some(index) = optional("direction") {
        meta.direction = cell(record, index, Direction::parse)?;
    }
    if let Some(index) = optional("publication_lag_days") {
        meta.publication_lag_days = cell(record, index, |text| {
            text.parse::<u16>()
                .map_err(|_| format!("'{text}' is not a number of days (0-65535)"))
        })?;
    }
    if let Some(index) = optional("tags") {
        meta.tags = cell(record, index, |text| {
            text.split([';', '|', ' '])
                .filter(|tag| !tag.is_empty())
                .map(Tag::parse)
                .collect::<Result<Vec<_>, _>>()
        })?;
    }
    Ok(meta)
}
