//! Tables by occupation import through the existing formats and their series carry the
//! occupation: C&SD tables (the layout of 215-16007, vacancies by industry and occupation),
//! mapped tables (the shape of 210-06317, earnings by occupation), series metadata with ISCO-08
//! codes at any level, and XLSX sheets of these.
//!
//! No Hong Kong table by occupation is bundled in data/, so the fixtures in tests/data have the
//! published layouts with placeholder values (stated in each file), not C&SD figures.

use std::path::{Path, PathBuf};

use domain::{Frequency, OccupationCode};

use crate::support::{mapping_beside, parse_bytes, parse_file};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn occupation(text: &str) -> Option<OccupationCode> {
    OccupationCode::parse(text).ok()
}

const VACANCIES: &str = "layout_215-16007_placeholder_values.csv";

#[test]
fn a_csd_table_by_industry_and_occupation_gives_series_with_both() {
    let (summary, collected) = parse_file(&fixture(VACANCIES));
    let summary = summary.unwrap();
    assert!(collected.rejects.is_empty(), "{:?}", collected.rejects);
    assert_eq!(summary.release_date.unwrap().to_string(), "2025-12-19");
    let professionals = collected.meta("csd.215-16007.number_of_vacancies.ALL.professionals");
    assert_eq!(professionals.occupation, occupation("2"));
    assert_eq!(professionals.industry.as_ref().unwrap().to_string(), "ALL");
    assert_eq!(professionals.frequency, Frequency::Quarterly);
    assert!(
        professionals
            .tags
            .iter()
            .any(|tag| tag.as_str() == "occupation")
    );
    assert_eq!(
        professionals.title_zh,
        "職位空缺數目：所有涵蓋行業，專業人員"
    );
    let elementary = collected.meta("csd.215-16007.number_of_vacancies.I.elementary_occupations");
    assert_eq!(elementary.occupation, occupation("8"));
    assert_eq!(elementary.industry.as_ref().unwrap().to_string(), "I");
    assert_eq!(
        collected.value(
            "csd.215-16007.number_of_vacancies.I.elementary_occupations",
            "2025-09"
        ),
        60.0
    );
    // The total row is a series of the table without an occupation.
    let total = collected.meta("csd.215-16007.number_of_vacancies.ALL.all_occupation_groups");
    assert_eq!(total.occupation, None);
}

#[test]
fn a_mapped_table_by_occupation_reads_names_and_codes_and_rejects_the_unknown() {
    let path = fixture("layout_210-06317_placeholder_values.csv");
    let (summary, collected) = parse_file(&path);
    summary.unwrap();
    assert_eq!(
        collected
            .meta("test.210-06317.median_earnings.managers_and_administrators")
            .occupation,
        occupation("1")
    );
    assert_eq!(
        collected
            .meta("test.210-06317.median_earnings.isco08_2512")
            .occupation,
        occupation("isco08:2512")
    );
    assert_eq!(
        collected.value("test.210-06317.median_earnings.professionals", "2025"),
        2100.0
    );
    let messages: Vec<String> = collected.rejects.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with(
            "layout_210-06317_placeholder_values.csv:8:2 (column 'occupation'): 'Astronauts' is not an occupation"
        ),
        "{messages:?}"
    );
    assert!(mapping_beside(&path).is_some());
}

#[test]
fn a_fixed_occupation_that_is_none_is_a_mapping_error() {
    let text = std::fs::read_to_string(fixture("layout_210-06317_placeholder_values.map.toml"))
        .unwrap()
        .replace(
            "occupation = \"{occupation}\"",
            "occupation = \"Astronauts\"",
        );
    let error = ingest::MappingSpec::parse("bad.map.toml", &text)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("'Astronauts' is not an occupation"),
        "{error}"
    );
}

#[test]
fn series_metadata_carries_isco_codes_at_every_level() {
    let text = "series_id,title_en,frequency,occupation\n\
        hk.survey.vacancies.software,Vacancies: software developers,quarterly,isco08:2512\n\
        hk.survey.vacancies.ict,Vacancies: ICT professionals,quarterly,isco08:25\n\
        hk.survey.vacancies.clerks,Vacancies: clerical support workers,quarterly,4\n\
        hk.survey.vacancies.bad,Vacancies: nobody,quarterly,isco08:9999\n";
    let (summary, collected) = parse_bytes("meta.csv", text.as_bytes(), None);
    summary.unwrap();
    assert_eq!(
        collected.meta("hk.survey.vacancies.software").occupation,
        occupation("isco08:2512")
    );
    assert_eq!(
        collected.meta("hk.survey.vacancies.ict").occupation,
        occupation("isco08:25")
    );
    assert_eq!(
        collected.meta("hk.survey.vacancies.clerks").occupation,
        occupation("4")
    );
    assert_eq!(collected.rejects.len(), 1);
    assert!(
        collected.rejects[0].to_string().starts_with("meta.csv:5:4"),
        "{}",
        collected.rejects[0]
    );
}

#[test]
fn an_xlsx_sheet_of_the_occupation_table_reads_like_the_csv() {
    let text = std::fs::read_to_string(fixture(VACANCIES)).unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("215-16007").unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    for (row, record) in reader.records().enumerate() {
        for (column, cell) in record.unwrap().iter().enumerate() {
            let (row, column) = (row as u32, column as u16);
            match cell.parse::<f64>() {
                Ok(number) => sheet.write_number(row, column, number).unwrap(),
                Err(_) => sheet.write_string(row, column, cell).unwrap(),
            };
        }
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let (summary, from_sheet) = parse_bytes("vacancies.xlsx", &bytes, None);
    summary.unwrap();
    let (_, from_csv) = parse_file(&fixture(VACANCIES));
    assert!(from_sheet.rejects.is_empty(), "{:?}", from_sheet.rejects);
    assert_eq!(from_sheet.observations.len(), from_csv.observations.len());
    for (id, observation, _) in &from_csv.observations {
        assert_eq!(
            from_sheet.value(id.as_str(), &observation.period.to_string()),
            observation.value
        );
        assert_eq!(
            from_sheet.meta(id.as_str()).occupation,
            from_csv.meta(id.as_str()).occupation
        );
    }
}
