//! CSV from the C&SD open-data API: dimension columns (each optionally followed by a
//! `<name>Desc` label column), then `freq`, `period`, `sv`, `svDesc`, `figure`, `sd_value`.

use std::collections::BTreeSet;

use domain::{
    Frequency, Observation, ObservationStatus, Period, PeriodKind, SeriesId, SeriesMeta,
    parse_value,
};

use crate::cells::{Cell, classify_cell};
use crate::rows::Rows;
use crate::{CountingSink, Header, IngestError, MetadataOrigin, next_record, raw_row};

pub(crate) fn parse(rows: &mut Rows<'_>, sink: &mut CountingSink<'_>) -> Result<(), IngestError> {
    let table_id = table_id_from_file_name(rows.file_name());
    let Some((_, header)) = next_record(rows, sink)? else {
        return Err(rows.no_rows());
    };
    let header = Header::read(header);
    let header_location = rows.location();
    let column = |name: &str| {
        header.find(name).ok_or_else(|| IngestError::Malformed {
            location: header_location.clone(),
            reason: format!("the header lacks the column '{name}'"),
        })
    };
    let (freq, period, sv, figure) = (
        column("freq")?,
        column("period")?,
        column("sv")?,
        column("figure")?,
    );
    let sv_desc = header.find("svDesc");
    let sd_value = header.find("sd_value");
    // Dimensions are the code columns before `freq`; `XDesc` columns label them.
    let dimensions: Vec<(usize, Option<usize>)> = header.names()[..freq]
        .iter()
        .enumerate()
        .filter(|(_, name)| !name.ends_with("Desc"))
        .map(|(index, name)| (index, header.find(&format!("{name}Desc"))))
        .collect();
    let mut declared = BTreeSet::new();
    while let Some((location, record)) = next_record(rows, sink)? {
        if record.len() != header.len() {
            let reason = format!("expected {} columns, found {}", header.len(), record.len());
            sink.reject(location, reason, raw_row(record));
            continue;
        }
        let frequency = match Frequency::parse(&record[freq]) {
            Ok(frequency) => frequency,
            Err(error) => {
                let raw = raw_row(record);
                sink.reject(
                    location.at_column(freq, Some("freq")),
                    error.to_string(),
                    raw,
                );
                continue;
            }
        };
        let Some(period_value) = api_period(frequency, &record[period]) else {
            let reason = format!("'{}' is not a {frequency} period", &record[period]);
            let raw = raw_row(record);
            sink.reject(location.at_column(period, Some("period")), reason, raw);
            continue;
        };
        let mut id_text = format!("csd.{table_id}.{}", SeriesId::slug(&record[sv]));
        let mut title_en = format!("{table_id} {}", &record[sv]);
        if let Some(desc) = sv_desc {
            title_en.push_str(" (");
            title_en.push_str(&record[desc]);
            title_en.push(')');
        }
        for (code, desc) in &dimensions {
            let label = desc.map_or(&record[*code], |desc| &record[desc]);
            let code_text = if record[*code].trim().is_empty() {
                label
            } else {
                &record[*code]
            };
            id_text.push('.');
            id_text.push_str(&SeriesId::slug(code_text));
            title_en.push_str(" — ");
            title_en.push_str(label.trim());
        }
        let id = match SeriesId::parse(&id_text) {
            Ok(id) => id,
            Err(error) => {
                sink.reject(location, error.to_string(), raw_row(record));
                continue;
            }
        };
        if declared.insert(id.clone()) {
            let mut meta = SeriesMeta::new(id.clone(), title_en, frequency);
            meta.unit = sv_desc
                .map(|desc| record[desc].trim().to_owned())
                .unwrap_or_default();
            meta.source = format!("C&SD table {table_id} (open-data API)");
            sink.series(&meta, MetadataOrigin::Inferred)?;
        }
        let status = match sd_value.map(|index| record[index].trim()) {
            Some("r") => ObservationStatus::Revised,
            Some("p") => ObservationStatus::Provisional,
            _ => ObservationStatus::Normal,
        };
        let figure_location = location.at_column(figure, Some("figure"));
        match classify_cell(&record[figure]) {
            Cell::Value(value, cell_status) => {
                let status = if cell_status == ObservationStatus::Normal {
                    status
                } else {
                    cell_status
                };
                let observation = Observation {
                    period: period_value,
                    value,
                    status,
                    vintage: None,
                };
                sink.observation(&id, &observation, &figure_location)?;
            }
            Cell::NoValue | Cell::Dash => sink.no_value(),
            Cell::Bad(reason) => sink.reject(figure_location, reason, raw_row(record)),
        }
    }
    Ok(())
}

/// The API writes `2025`, `202509`, `2025-09`, `2025Q3` or `2025-Q3` depending on the table.
fn api_period(frequency: Frequency, text: &str) -> Option<Period> {
    let text = text.trim();
    if let Ok(period) = Period::parse(text) {
        return (period.frequency() == frequency
            || (frequency == Frequency::ThreeMonthMoving
                && period.frequency() == Frequency::Monthly))
            .then(|| match period.kind() {
                PeriodKind::Month { year, month } if frequency == Frequency::ThreeMonthMoving => {
                    Period::new(PeriodKind::ThreeMonthsEnding { year, month }).ok()
                }
                _ => Some(period),
            })
            .flatten();
    }
    let digits = text.replace('-', "");
    if let Some((year, quarter)) = digits.split_once(['Q', 'q']) {
        return Period::parse(&format!("{year}-Q{quarter}")).ok();
    }
    if digits.len() != 6 || parse_value(&digits).is_err() {
        return None;
    }
    let (year, month) = digits.split_at(4);
    let month_period = Period::parse(&format!("{year}-{month}")).ok()?;
    let date = month_period.end_date();
    Period::containing(date, frequency).ok()
}

/// C&SD table numbers look like `510-60001A`; files from the API are usually named after them.
fn table_id_from_file_name(file_name: &str) -> String {
    let bytes = file_name.as_bytes();
    for start in 0..bytes.len() {
        let candidate = &bytes[start..];
        let shape_ok = candidate.len() >= 9
            && candidate[..3].iter().all(u8::is_ascii_digit)
            && candidate[3] == b'-'
            && candidate[4..9].iter().all(u8::is_ascii_digit)
            && (start == 0 || !bytes[start - 1].is_ascii_digit());
        if shape_ok {
            let suffix = candidate
                .get(9)
                .filter(|b| b.is_ascii_uppercase())
                .map(|b| char::from(*b).to_string())
                .unwrap_or_default();
            return format!("{}{suffix}", &file_name[start..start + 9]);
        }
    }
    "api".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_periods_in_every_spelling() {
        let cases = [
            (Frequency::Annual, "1999", "1999"),
            (Frequency::Monthly, "202509", "2025-09"),
            (Frequency::Monthly, "2025-09", "2025-09"),
            (Frequency::Quarterly, "2025Q3", "2025-Q3"),
            (Frequency::Quarterly, "202509", "2025-Q3"),
            (Frequency::ThreeMonthMoving, "202602", "2026-02/3M"),
        ];
        for (frequency, text, expected) in cases {
            assert_eq!(api_period(frequency, text).unwrap().to_string(), expected);
        }
        assert_eq!(api_period(Frequency::Annual, "2025-09"), None);
        assert_eq!(api_period(Frequency::Monthly, "20250"), None);
    }

    #[test]
    fn table_ids_come_from_file_names() {
        assert_eq!(
            table_id_from_file_name("csd_510-60001A_cpi_annual.csv"),
            "510-60001A"
        );
        assert_eq!(table_id_from_file_name("data/310-31002.csv"), "310-31002");
        assert_eq!(table_id_from_file_name("gdp.csv"), "api");
    }
}
