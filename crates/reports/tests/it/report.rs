//! What the report says for a fixed date on the bundled data, and that it says it the same
//! way every time.

use std::fmt::Write;

use engine::report::{ArrearsGroup, MIN_EMPLOYERS_PER_CELL};
use reports::{ArrearsLabel, Cell, Languages, Options, Report};

use crate::support::{AS_OF, bundled_store, date, save_generated_arrears};

fn options() -> Options {
    Options {
        languages: Languages::Both,
        lmo_version: "test".to_owned(),
        arrears: ArrearsLabel { generated: true },
    }
}

/// Every sentence of both parts, and the shape of every appendix table.
fn outline(report: &Report) -> String {
    let mut out = String::new();
    for part in &report.parts {
        writeln!(out, "# {} — {}", part.title, part.dateline).unwrap();
        for section in &part.sections {
            writeln!(out, "## {}", section.title).unwrap();
            for paragraph in &section.paragraphs {
                writeln!(out, "{paragraph}").unwrap();
            }
        }
    }
    writeln!(out, "# appendix").unwrap();
    for table in &report.appendix {
        writeln!(
            out,
            "{}: {} columns, {} rows",
            table.sheet,
            table.columns.len(),
            table.rows.len()
        )
        .unwrap();
    }
    out
}

#[test]
fn the_report_on_the_bundled_data_says_what_the_numbers_say_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut engine = bundled_store(dir.path());
    save_generated_arrears(&mut engine, dir.path());
    let data = engine.report(date(AS_OF), None).unwrap();
    let report = reports::build(&data, &options());
    expect_test::expect_file!["report_outline.txt"].assert_eq(&outline(&report));

    // The same store gives the same bytes.
    let again = reports::build(&engine.report(date(AS_OF), None).unwrap(), &options());
    assert_eq!(reports::html(&report), reports::html(&again));
    assert_eq!(
        reports::xlsx(&report).unwrap(),
        reports::xlsx(&again).unwrap()
    );

    // Arrears only in aggregate: no cell under three employers, no employer id anywhere.
    let arrears = data.arrears.as_ref().expect("the saved run is summarised");
    for (group, totals) in arrears.by_level.iter().chain(&arrears.by_industry) {
        assert!(
            totals.employers >= MIN_EMPLOYERS_PER_CELL,
            "{group:?} has {} employers",
            totals.employers
        );
    }
    assert!(
        arrears
            .by_industry
            .iter()
            .any(|(group, _)| *group == ArrearsGroup::Other),
        "the generated run has small industries, which must be pooled"
    );
    let html = reports::html(&report);
    assert!(!html.contains("E0000"), "an employer id reached the report");
}

#[test]
fn the_xlsx_appendix_has_every_table_with_number_cells() {
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let mut engine = bundled_store(dir.path());
    let data = engine.report(date(AS_OF), None).unwrap();
    let report = reports::build(&data, &options());
    let bytes = reports::xlsx(&report).unwrap();
    let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheets = workbook.sheet_names();
    let tables: Vec<&str> = report.appendix.iter().map(|table| table.sheet).collect();
    assert_eq!(sheets, tables);
    let headlines = workbook.worksheet_range("Headlines").unwrap();
    // Header in row 5, the unemployment rate in row 6: its latest value is a number.
    assert_eq!(
        headlines.get_value((5, 2)),
        Some(&Data::Float(3.7)),
        "{:?}",
        headlines.rows().nth(5)
    );
    let vacancies = headlines
        .rows()
        .find(|row| matches!(&row[0], Data::String(name) if name.contains("職位空缺")))
        .expect("a vacancies row");
    assert_eq!(vacancies[2], Data::Float(51_452.0));
    // Every number of every table is a number cell, not text.
    for table in &report.appendix {
        let range = workbook.worksheet_range(table.sheet).unwrap();
        for (index, row) in table.rows.iter().enumerate() {
            for (column, cell) in row.iter().enumerate() {
                if let Cell::Number { value, .. } = cell {
                    let found = range.get_value((5 + index as u32, column as u32));
                    assert_eq!(
                        found,
                        Some(&Data::Float(*value)),
                        "{} row {index}",
                        table.sheet
                    );
                }
            }
        }
    }
}

#[test]
fn a_revised_figure_shows_its_first_release_the_last_report_and_the_latest() {
    let dir = tempfile::tempdir().unwrap();
    let mut engine = bundled_store(dir.path());
    // A synthetic revision for the test (not a published figure): Q1 2026 moved from 3.7
    // to 3.8 in a release between the two reports.
    let revision =
        "series_id,period,value,vintage\nhk.panel.unemployment_rate_sa,2026-Q1,3.8,2026-08-15\n";
    let time = engine::ImportTime {
        imported_at: "2026-12-05T09:00:00+08:00".to_owned(),
        today: date("2026-12-05"),
    };
    let imported = engine
        .import(
            engine::ImportRequest {
                name: "revision.csv".to_owned(),
                reader: Box::new(revision.as_bytes()),
                container: engine::Container::Csv,
                format: None,
                mapping: None,
                vintage: None,
                allow_partial: false,
                correct: false,
                rejects_path: dir.path().join("revision.rejects.csv"),
            },
            &time,
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(imported.rows_revised, 1);
    let data = engine.report(date(AS_OF), None).unwrap();
    let revision = data
        .revisions
        .iter()
        .find(|r| r.provenance.series.as_str() == "hk.panel.unemployment_rate_sa")
        .expect("the revision is listed");
    assert_eq!(
        revision.first_release.map(|v| (v.value, v.vintage)),
        Some((3.7, date("2026-04-20")))
    );
    assert_eq!(revision.last_report.value, 3.7);
    assert_eq!(
        (revision.latest.value, revision.latest.vintage),
        (3.8, date("2026-08-15"))
    );
    let report = reports::build(&data, &options());
    let english = &report.parts[1];
    let headlines = &english.sections[0].paragraphs[0];
    assert!(
        headlines.contains("printed 3.7% for Q1 2026; it has since been revised"),
        "{headlines}"
    );
}
