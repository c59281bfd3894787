//! JSON documents of flat records read as tables: the keys are the columns, in the order
//! written, so every format (and mapping) that reads a CSV reads the same records as JSON.

use std::fmt::Write as _;

use expect_test::expect;

use crate::support::{Collected, data_dir, parse_bytes, parse_file};

fn observations(collected: &Collected) -> Vec<String> {
    collected
        .observations
        .iter()
        .map(|(id, observation, location)| {
            format!(
                "{id} {} {} @{}",
                observation.period, observation.value, location.line
            )
        })
        .collect()
}

#[test]
fn the_bls_industry_file_reads_through_its_mapping() {
    let path = data_dir().join("us/bls_cps_unemployment_across_industries_2000-2010.json");
    let (summary, collected) = parse_file(&path);
    let summary = summary.unwrap();
    assert!(collected.rejects.is_empty(), "{:?}", collected.rejects);
    assert_eq!(summary.observations, 1_708);
    assert_eq!(collected.series.len(), 14);
    // The first records of the file: Government, January and May 2000 (a date-time in May
    // is 07:00 UTC, in January 08:00: either way the month of the date as written).
    assert_eq!(collected.value("bls.cps.ur.government", "2000-01"), 2.1);
    assert_eq!(collected.value("bls.cps.ur.government", "2000-05"), 1.9);
    let meta = collected.meta("bls.cps.ur.mining_and_extraction");
    assert_eq!(
        meta.title_en,
        "Unemployment rate, Mining and Extraction (BLS CPS)"
    );
    assert_eq!(meta.publication_lag_days, 7);
}

#[test]
fn an_api_table_as_json_reads_as_its_csv() {
    // The C&SD API table, rewritten as JSON records under a `dataSet` member, in its
    // column order (the format needs the dimension columns before `freq`).
    let csv_path = data_dir().join("hk/csd_310-31002_gdp_pce_current_prices_annual_1999-2025.csv");
    let csv_text = std::fs::read_to_string(&csv_path).unwrap();
    let mut lines = csv_text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut json = String::from("{\"header\": {\"title\": \"GDP\"},\n \"dataSet\": [\n");
    for (index, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        json.push_str(if index == 0 { "  {" } else { ",\n  {" });
        for (column, (name, cell)) in header.iter().zip(&cells).enumerate() {
            let separator = if column == 0 { "" } else { ", " };
            if *name == "figure" && !cell.is_empty() {
                write!(json, "{separator}\"{name}\": {cell}").unwrap();
            } else {
                write!(json, "{separator}\"{name}\": \"{cell}\"").unwrap();
            }
        }
        json.push('}');
    }
    json.push_str("\n]}\n");
    let name = "csd_310-31002_gdp_pce_current_prices_annual_1999-2025.json";
    let (from_json, json_collected) = parse_bytes(name, json.as_bytes(), None);
    let (from_csv, csv_collected) = parse_file(&csv_path);
    assert_eq!(from_json.unwrap().format, from_csv.unwrap().format);
    assert!(
        json_collected.rejects.is_empty(),
        "{:?}",
        json_collected.rejects
    );
    let values = |collected: &Collected| -> Vec<(String, String, f64)> {
        collected
            .observations
            .iter()
            .map(|(id, observation, _)| {
                (
                    id.to_string(),
                    observation.period.to_string(),
                    observation.value,
                )
            })
            .collect()
    };
    assert_eq!(values(&json_collected), values(&csv_collected));
    assert_eq!(
        json_collected.series.keys().collect::<Vec<_>>(),
        csv_collected.series.keys().collect::<Vec<_>>()
    );
    // Each record keeps the line it starts on: the first on line 3.
    assert_eq!(json_collected.observations[0].2.line, 3);
}

#[test]
fn long_records_with_nulls_nested_values_missing_keys_and_any_key_order() {
    let json = br#"[
  {"series_id": "x.a", "period": "2025-01", "value": 1.5},
  {"series_id": "x.a", "period": "2025-02", "value": null},
  {"series_id": "x.a", "period": "2025-03", "value": [1, 2]},
  {"series_id": "x.a", "period": "2025-04"},
  {"period": "2025-05", "value": "2.25", "series_id": "x.a"}
]"#;
    let (summary, collected) = parse_bytes("long.json", json, None);
    let summary = summary.unwrap();
    assert_eq!(summary.format.unwrap().as_str(), "long");
    let rejects: Vec<String> = collected.rejects.iter().map(ToString::to_string).collect();
    expect![[r#"
        [
            "x.a 2025-01 1.5 @2",
            "x.a 2025-05 2.25 @6",
        ]
    "#]]
    .assert_debug_eq(&observations(&collected));
    expect![[r#"
        [
            "long.json:3:3 (column 'value'): empty value; leave the row out when there is no value",
            "long.json:4:3 (column 'value'): '[1, 2]' is not a number",
            "long.json:5:3 (column 'value'): empty value; leave the row out when there is no value",
        ]
    "#]]
    .assert_debug_eq(&rejects);
}

#[test]
fn documents_that_are_not_records_are_refused_with_the_line() {
    let cases: [(&str, &[u8]); 4] = [
        ("broken.json", b"[\n {\"a\": 1},\n {\"a\": 2\n]"),
        ("scalars.json", b"[\n 1,\n 2\n]"),
        (
            "two_arrays.json",
            b"{\"a\": [{\"x\": 1}], \"b\": [{\"x\": 2}]}",
        ),
        ("latin1.json", b"[{\"name\": \"Caf\xe9\"}]"),
    ];
    let mut errors = String::new();
    for (name, bytes) in cases {
        let (result, _) = parse_bytes(name, bytes, None);
        writeln!(errors, "{}", result.unwrap_err()).unwrap();
    }
    expect![[r#"
        broken.json:4: expected `,` or `}` at line 4 column 1
        scalars.json:2: a record is not a JSON object
        two_arrays.json:1: expected an array of records, or an object holding exactly one array
        latin1.json:1: not valid UTF-8; save the file as UTF-8
    "#]]
    .assert_eq(&errors);
}
