//! FRED downloads: a header `DATE,<SERIES_ID>` (or `observation_date`), one row per period
//! dated at its first day, and `.` for a missing value.

use domain::{
    DomainError, Frequency, Observation, Period, SeasonalAdjustment, SeriesId, SeriesMeta,
    parse_date,
};

use crate::cells::{Cell, classify_cell};
use crate::rows::Rows;
use crate::{CountingSink, Header, IngestError, MetadataOrigin, next_record, raw_row};

pub(crate) fn parse(rows: &mut Rows<'_>, sink: &mut CountingSink<'_>) -> Result<(), IngestError> {
    let frequency = infer_frequency(rows)?;
    let Some((_, header)) = next_record(rows, sink)? else {
        return Err(rows.no_rows());
    };
    let header = Header::read(header);
    let location = rows.location();
    let fred_id = header.name(1).unwrap_or_default().to_owned();
    let id =
        SeriesId::parse(&format!("fred.{fred_id}")).map_err(|error| IngestError::Malformed {
            location: location.at_column(1, None),
            reason: error.to_string(),
        })?;
    // A FRED download names neither the series nor its seasonal adjustment: the title is the
    // id and the adjustment unknown until a series-meta file says.
    let mut meta = SeriesMeta::new(id, fred_id.clone(), frequency);
    meta.source = format!("FRED series {fred_id}");
    meta.seasonal_adjustment = SeasonalAdjustment::Unknown;
    sink.series(&meta, MetadataOrigin::Inferred)?;
    let value_column = header.name(1).map(str::to_owned);
    while let Some((location, record)) = next_record(rows, sink)? {
        if record.len() != 2 {
            let reason = format!("expected 2 columns, found {}", record.len());
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
        match classify_cell(&record[1]) {
            Cell::Value(value, status) => {
                let observation = Observation {
                    period,
                    value,
                    status,
                    vintage: None,
                };
                let cell_location = location.at_column(1, value_column.as_deref());
                sink.observation(&meta.id, &observation, &cell_location)?;
            }
            // FRED writes `.` for a missing value.
            Cell::NoValue | Cell::Dash => sink.no_value(),
            Cell::Bad(_) if record[1].trim() == "." => sink.no_value(),
            Cell::Bad(reason) => {
                let raw = raw_row(record);
                sink.reject(location.at_column(1, value_column.as_deref()), reason, raw);
            }
        }
    }
    Ok(())
}

/// The period a FRED date (its first day) stands for; a date in a year lmo does not support
/// is refused here, so that it never reaches the store.
pub(crate) fn fred_period(text: &str, frequency: Frequency) -> Result<Period, DomainError> {
    parse_date(text).and_then(|date| Period::containing(date, frequency))
}

/// Tells monthly, quarterly and annual series apart by the gap between the first two dates.
pub(crate) fn infer_frequency(rows: &mut Rows<'_>) -> Result<Frequency, IngestError> {
    let first_rows = rows.peek(3)?;
    let dates: Vec<_> = first_rows
        .iter()
        .skip(1)
        .filter_map(|record| parse_date(record.get(0).unwrap_or_default()).ok())
        .collect();
    let [first, second] = dates.as_slice() else {
        return Ok(Frequency::Monthly);
    };
    let months = (i32::from(second.year()) - i32::from(first.year())) * 12
        + i32::from(second.month())
        - i32::from(first.month());
    match months {
        1 => Ok(Frequency::Monthly),
        3 => Ok(Frequency::Quarterly),
        12 => Ok(Frequency::Annual),
        _ => Err(IngestError::Malformed {
            location: rows.location(),
            reason: format!(
                "dates {first} and {second} are not one month, quarter or year apart; \
                 download the series with a monthly, quarterly or annual frequency"
            ),
        }),
    }
}
