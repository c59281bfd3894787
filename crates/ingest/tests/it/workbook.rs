//! XLSX sheets of the supported shapes read the same as their CSV originals.

use std::path::Path;

use domain::Frequency;

use crate::support::{Collected, data_dir, parse_bytes, parse_file};

fn workbook() -> (ingest::ParseSummary, Collected) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/workbook.xlsx");
    let (summary, collected) = parse_file(&path);
    (summary.unwrap(), collected)
}

#[test]
fn every_sheet_is_read_in_its_own_format() {
    let (summary, collected) = workbook();
    assert_eq!(summary.sheets, ["215-16001", "UNRATE", "long"]);
    assert!(collected.rejects.is_empty(), "{:?}", collected.rejects);
    assert_eq!(summary.release_date.unwrap().to_string(), "2025-12-19");
    assert_eq!(collected.meta("fred.UNRATE").frequency, Frequency::Monthly);
    assert_eq!(
        collected.meta("csd.215-16001.vacancy_rate.ALL").frequency,
        Frequency::Quarterly
    );
}

#[test]
fn sheet_values_equal_the_csv_values() {
    let (_, from_sheet) = workbook();
    let (_, from_csv) = parse_file(
        &data_dir()
            .join("hk/csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv"),
    );
    let sev_rows: Vec<_> = from_sheet
        .observations
        .iter()
        .filter(|(id, _, _)| id.as_str().starts_with("csd.215-16001"))
        .collect();
    // 2025: three quarters × 22 industries × 7 measures = 462 cells, 18 of them without a value.
    assert_eq!(sev_rows.len(), 444);
    for (id, observation, _) in sev_rows {
        let expected = from_csv.value(id.as_str(), &observation.period.to_string());
        assert_eq!(observation.value, expected, "{id} {}", observation.period);
    }
    assert_eq!(from_sheet.value("fred.UNRATE", "2020-03"), 4.4);
    let (_, long_row, _) = from_sheet
        .observations
        .iter()
        .find(|(_, observation, _)| observation.vintage.is_some())
        .unwrap();
    assert_eq!(long_row.vintage.unwrap().to_string(), "2020-06-05");
}

#[test]
fn sheet_locations_name_the_sheet_row_and_column() {
    let (_, collected) = workbook();
    let (_, _, location) = collected
        .observations
        .iter()
        .find(|(id, observation, _)| {
            id.as_str() == "csd.215-16001.number_of_vacancies.ALL"
                && observation.period.to_string() == "2025-09"
        })
        .unwrap();
    assert_eq!(
        location.to_string(),
        "workbook.xlsx[215-16001]:71:8 (column 'Number of vacancies (No.)')"
    );
}

#[test]
fn a_file_that_is_no_workbook_is_an_error() {
    let (result, _) = parse_bytes("fake.xlsx", b"series_id,period,value\n", None);
    let error = result.unwrap_err().to_string();
    assert!(
        error.starts_with("fake.xlsx: the workbook cannot be read"),
        "{error}"
    );
}

#[test]
fn a_workbook_read_as_one_table_must_hold_one_sheet_of_data() {
    // Three sheets of data: which one is the table is not guessed.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/workbook.xlsx");
    let file = std::fs::File::open(&path).unwrap();
    let error = ingest::workbook_as_csv("workbook.xlsx", Box::new(file), ingest::Limits::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "workbook.xlsx: the workbook cannot be read: sheets '215-16001' and 'UNRATE' both hold data: keep the table on one sheet"
    );
}
