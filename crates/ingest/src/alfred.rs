//! ALFRED vintage downloads (FRED's archive): a header `observation_date,<ID>_YYYYMMDD,…` with
//! one column per vintage, oldest first, one row per period; `.` or an empty cell where a
//! vintage has no value (the period was not yet published). Every value a period ever had
//! becomes an observation whose vintage is the date of the first column that shows it.

use domain::{Date, Observation, SeasonalAdjustment, SeriesId, SeriesMeta};

use crate::cells::{Cell, classify_cell};
use crate::fred::{fred_period, infer_frequency};
use crate::rows::Rows;
use crate::{CountingSink, Header, IngestError, MetadataOrigin, next_record, raw_row};

/// The series id and vintage date of a column named `UNRATE_20200508`.
pub(crate) fn vintage_column(name: &str) -> Option<(&str, Date)> {
    let (id, date) = name.trim().rsplit_once('_')?;
    if id.is_empty() || date.len() != 8 || !date.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let iso = format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..]);
    Some((id, domain::parse_date(&iso).ok()?))
}

/// Whether a header is ALFRED's: a date column, then vintage columns of one series.
pub(crate) fn is_alfred_header(names: &[String]) -> bool {
    let Some((first, vintages)) = names.split_first() else {
        return false;
    };
    let ids: Option<Vec<&str>> = vintages
        .iter()
        .map(|name| vintage_column(name).map(|(id, _)| id))
        .collect();
    matches!(
        first.to_ascii_lowercase().as_str(),
        "observation_date" | "date"
    ) && ids
        .is_some_and(|ids| !ids.is_empty() && ids.iter().all(|id| id.eq_ignore_ascii_case(ids[0])))
}

pub(crate) fn parse(rows: &mut Rows<'_>, sink: &mut CountingSink<'_>) -> Result<(), IngestError> {
    let frequency = infer_frequency(rows)?;
    let Some((location, header)) = next_record(rows, sink)? else {
        return Err(IngestError::Malformed {
            location: rows.location(),
            reason: "the file is empty".to_owned(),
        });
    };
    let header = Header::read(header);
    let mut vintages: Vec<(usize, Date)> = Vec::new();
    let mut fred_id = String::new();
    for (index, name) in header.names().iter().enumerate().skip(1) {
        let Some((id, date)) = vintage_column(name) else {
            return Err(IngestError::Malformed {
                location: location.at_column(index, Some(name)),
                reason: format!("'{name}' is not a vintage column (SERIES_YYYYMMDD)"),
            });
        };
        if vintages.iter().any(|(_, seen)| *seen == date) {
            return Err(IngestError::Malformed {
                location: location.at_column(index, Some(name)),
                reason: format!("the vintage {date} appears twice"),
            });
        }
        id.clone_into(&mut fred_id);
        vintages.push((index, date));
    }
    // Oldest first, whatever the column order.
    vintages.sort_by_key(|(_, date)| *date);
    let id =
        SeriesId::parse(&format!("fred.{fred_id}")).map_err(|error| IngestError::Malformed {
            location: location.at_column(1, None),
            reason: error.to_string(),
        })?;
    let mut meta = SeriesMeta::new(id, fred_id.clone(), frequency);
    meta.source = format!("ALFRED (FRED vintages) series {fred_id}");
    meta.seasonal_adjustment = SeasonalAdjustment::Unknown;
    sink.series(&meta, MetadataOrigin::Inferred)?;
    while let Some((location, record)) = next_record(rows, sink)? {
        if record.len() != header.len() {
            let reason = format!("expected {} columns, found {}", header.len(), record.len());
            sink.reject(location, reason, raw_row(record));
            continue;
        }
        let period = match fred_period(&record[0], frequency) {
            Ok(period) => period,
            Err(error) => {
                let raw = raw_row(record);
                sink.reject(
                    location.at_column(0, header.name(0)),
                    error.to_string(),
                    raw,
                );
                continue;
            }
        };
        let mut last_value: Option<f64> = None;
        for &(index, vintage) in &vintages {
            let cell = &record[index];
            let cell_location = location.at_column(index, header.name(index));
            match classify_cell(cell) {
                // A vintage repeats the values it did not change: only changes are new.
                Cell::Value(value, _) if last_value == Some(value) => {}
                Cell::Value(value, status) => {
                    last_value = Some(value);
                    let observation = Observation {
                        period,
                        value,
                        status,
                        vintage: Some(vintage),
                    };
                    sink.observation(&meta.id, &observation, &cell_location)?;
                }
                Cell::NoValue | Cell::Dash => sink.no_value(),
                Cell::Bad(_) if cell.trim() == "." => sink.no_value(),
                Cell::Bad(reason) => sink.reject(cell_location, reason, raw_row(record)),
            }
        }
    }
    Ok(())
}
