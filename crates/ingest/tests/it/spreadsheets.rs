//! Spreadsheets as people keep them: a title above the header, notes below it and under the
//! data, periods across the columns, industries down the rows, Chinese headers. Each workbook
//! here is built from a bundled real file (values unchanged, as Excel numbers, dates or the
//! published symbols); `suggest_mapping` writes a mapping for it, edited as a user would
//! (ids), and the workbook read through it gives the values of the original file.

use std::collections::BTreeMap;

use domain::{IndustryCode, Period, PeriodKind};
use ingest::{Container, Input, Limits, MappingSpec, suggest_mapping};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

use crate::support::{Collected, data_dir, parse_bytes, parse_file};

const SEV: &str = "hk/csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv";

/// A cell as published: a number becomes an Excel number, anything else (`N.A.`, `[-§1]`)
/// stays text.
fn write_cell(sheet: &mut Worksheet, row: u32, column: u16, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    match text.trim().parse::<f64>() {
        Ok(number) => sheet.write_number(row, column, number).unwrap(),
        Err(_) => sheet.write_string(row, column, text).unwrap(),
    };
}

fn suggest(name: &str, bytes: &[u8]) -> String {
    let input = Input {
        name: name.to_owned(),
        container: Container::from_file_name(name),
        format: None,
        mapping: None,
        limits: Limits::default(),
    };
    suggest_mapping(&input, Box::new(bytes)).unwrap()
}

/// Every (series, period) → value of the series `prefix` + one more id part, for comparing
/// two reads of the same figures.
fn values(collected: &Collected, prefix: &str) -> BTreeMap<(String, String), f64> {
    collected
        .observations
        .iter()
        .filter(|(id, _, _)| {
            id.as_str()
                .strip_prefix(prefix)
                .is_some_and(|rest| !rest.contains('.'))
        })
        .map(|(id, observation, _)| {
            (
                (id.to_string(), observation.period.to_string()),
                observation.value,
            )
        })
        .collect()
}

/// The SEV table laid out as a union researcher might keep it: vacancies and persons engaged
/// side by side, industries down the rows labelled `C：製造`, survey months across the
/// columns as C&SD's Chinese tables write them (`2025年9月`), the table title above, a unit
/// line under the header and C&SD's notes under the data.
fn sev_workbook() -> Vec<u8> {
    let text = std::fs::read_to_string(data_dir().join(SEV)).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let title = records[0][0].trim_start_matches('\u{feff}').to_owned();
    // (industry label, period) → (persons engaged, vacancies), as published.
    let mut cells: BTreeMap<(String, Period), (String, String)> = BTreeMap::new();
    let mut periods: Vec<Period> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut year = String::new();
    for record in &records[5..] {
        let first = record[0].trim();
        if first.len() == 4 && first.bytes().all(|b| b.is_ascii_digit()) {
            first.clone_into(&mut year);
        } else if !first.is_empty() || record.len() < 10 || record[2].trim().is_empty() {
            if !first.is_empty() {
                notes.push(first.to_owned());
            }
            continue;
        }
        let period = Period::from_year_and_label(&year, &record[1]).unwrap();
        if !periods.contains(&period) {
            periods.push(period);
        }
        let industry = IndustryCode::parse(record[2].split(':').next().unwrap()).unwrap();
        let label = format!("{industry}：{}", industry.name_zh());
        cells.insert(
            (label, period),
            (record[5].to_owned(), record[7].to_owned()),
        );
    }
    let mut labels: Vec<&String> = Vec::new();
    for (label, _) in cells.keys() {
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("就業及職位空缺").unwrap();
    sheet.write_string(0, 0, &title).unwrap();
    // Row 3: the label column's heading and one heading over each block of periods (the
    // cells after the first of a block are blank, as merged cells read).
    sheet.write_string(2, 0, "行業主類").unwrap();
    let n = u16::try_from(periods.len()).unwrap();
    sheet.write_string(2, 1, "從業人數").unwrap();
    sheet.write_string(2, 1 + n, "職位空缺數目").unwrap();
    for (index, period) in periods.iter().enumerate() {
        let PeriodKind::Month { year, month } = period.kind() else {
            panic!("{period}");
        };
        let label = format!("{year}年{month}月");
        let column = 1 + u16::try_from(index).unwrap();
        sheet.write_string(3, column, &label).unwrap();
        sheet.write_string(3, column + n, &label).unwrap();
    }
    sheet.write_string(4, 0, "No.").unwrap();
    for (row, label) in labels.iter().enumerate() {
        let row = 5 + u32::try_from(row).unwrap();
        sheet.write_string(row, 0, *label).unwrap();
        for (index, period) in periods.iter().enumerate() {
            let column = 1 + u16::try_from(index).unwrap();
            if let Some((persons, vacancies)) = cells.get(&((*label).clone(), *period)) {
                write_cell(sheet, row, column, persons);
                write_cell(sheet, row, column + n, vacancies);
            }
        }
    }
    let first_note = 6 + u32::try_from(labels.len()).unwrap();
    for (row, note) in (first_note..).zip(&notes) {
        sheet.write_string(row, 0, note).unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
fn a_wide_chinese_workbook_round_trips_through_the_suggested_mapping() {
    let bytes = sev_workbook();
    let suggested = suggest("sev.xlsx", &bytes);
    // What the suggestion found: the header below the title, the unit line, the notes, two
    // blocks of periods under their headings, industries by their HSIC code.
    for expected in [
        "header_rows = [3, 4]",
        "data_from = 6",
        "stop_at = [\"Note\"]",
        "under = \"從業人數\"",
        "under = \"職位空缺數目\"",
        "id = \"mapped.sev.part1.{行業主類|hsic}\"",
        "industry = \"{行業主類}\"",
        "frequency = \"quarterly\"",
    ] {
        assert!(suggested.contains(expected), "{expected}\n{suggested}");
    }
    // The user names the series (here as the C&SD table does, to compare).
    let edited = suggested
        .replace(
            "mapped.sev.part1",
            "csd.215-16001.number_of_persons_engaged",
        )
        .replace("mapped.sev.part2", "csd.215-16001.number_of_vacancies");
    let mapping = MappingSpec::parse("sev.map.toml", &edited).unwrap();
    let (summary, from_workbook) = parse_bytes("sev.xlsx", &bytes, Some(&mapping));
    summary.unwrap();
    assert!(
        from_workbook.rejects.is_empty(),
        "{:?}",
        from_workbook.rejects
    );
    let (_, from_csv) = parse_file(&data_dir().join(SEV));
    for measure in ["number_of_persons_engaged.", "number_of_vacancies."] {
        let prefix = format!("csd.215-16001.{measure}");
        let expected = values(&from_csv, &prefix);
        let read = values(&from_workbook, &prefix);
        let differences: Vec<_> = expected
            .iter()
            .filter(|(key, value)| read.get(*key) != Some(*value))
            .take(5)
            .collect();
        assert!(differences.is_empty(), "{differences:?}");
        assert_eq!(read.len(), expected.len(), "{measure}");
        // Up to 22 industries × 103 quarters (some industries are published from later on).
        assert!(expected.len() > 2000, "{}", expected.len());
    }
    let retail = from_workbook.meta("csd.215-16001.number_of_vacancies.G47");
    assert_eq!(retail.industry, Some(IndustryCode::parse("G47").unwrap()));
    assert_eq!(retail.title_zh, "職位空缺數目：G47：零售業");
    assert_eq!(
        from_workbook.value("csd.215-16001.number_of_vacancies.ALL", "2025-09"),
        51452.0
    );
}

/// The composite CPI series as a long table: dates as Excel date cells, a title and a note.
fn cpi_workbook() -> Vec<u8> {
    let text = std::fs::read_to_string(
        data_dir().join("hk/csd_510-60001_composite_cpi_yoy_monthly_1981-2026.csv"),
    )
    .unwrap();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    sheet
        .write_string(0, 0, "C&SD table 510-60001: Composite CPI")
        .unwrap();
    let mut row = 2;
    for line in text.lines() {
        let (period, value) = line.split_once(',').unwrap();
        if row == 2 {
            sheet.write_string(row, 0, period).unwrap();
            sheet.write_string(row, 1, value).unwrap();
        } else {
            let (year, month) = period.split_once('-').unwrap();
            let date =
                ExcelDateTime::from_ymd(year.parse().unwrap(), month.parse().unwrap(), 1).unwrap();
            sheet
                .write_datetime_with_format(row, 0, &date, &date_format)
                .unwrap();
            write_cell(sheet, row, 1, value);
        }
        row += 1;
    }
    sheet
        .write_string(row + 1, 0, "Source: C&SD table 510-60001")
        .unwrap();
    workbook.save_to_buffer().unwrap()
}

#[test]
fn a_long_workbook_with_date_cells_round_trips_through_the_suggested_mapping() {
    let bytes = cpi_workbook();
    let suggested = suggest("cpi.xlsx", &bytes);
    for expected in [
        "header_rows = [3]",
        "data_from = 4",
        "stop_at = [\"Source\"]",
        "period = \"period\"",
        "value = \"composite_cpi_yoy_pct\"",
        "frequency = \"monthly\"",
    ] {
        assert!(suggested.contains(expected), "{expected}\n{suggested}");
    }
    let edited = suggested.replace(
        "mapped.cpi.composite_cpi_yoy_pct",
        "csd.510-60001.composite_cpi.yoy_pct",
    );
    let mapping = MappingSpec::parse("cpi.map.toml", &edited).unwrap();
    let (summary, from_workbook) = parse_bytes("cpi.xlsx", &bytes, Some(&mapping));
    summary.unwrap();
    assert!(
        from_workbook.rejects.is_empty(),
        "{:?}",
        from_workbook.rejects
    );
    let (_, from_csv) =
        parse_file(&data_dir().join("hk/csd_510-60001_composite_cpi_yoy_monthly_1981-2026.csv"));
    let expected = values(&from_csv, "csd.510-60001.composite_cpi.");
    assert_eq!(expected.len(), 537);
    assert_eq!(
        values(&from_workbook, "csd.510-60001.composite_cpi."),
        expected
    );
}
