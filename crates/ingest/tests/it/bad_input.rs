//! Broken inputs give errors or rejects that name file, line, column and reason.

use ingest::{IngestError, MappingSpec};
use proptest::prelude::*;

use crate::support::{data_dir, mapping_beside, parse_bytes};

const SEV: &str = "hk/csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv";

fn sev_bytes() -> Vec<u8> {
    std::fs::read(data_dir().join(SEV)).unwrap()
}

#[test]
fn a_table_cut_mid_row_rejects_that_row() {
    let bytes = sev_bytes();
    let text = String::from_utf8(bytes).unwrap();
    let cut = text.find("2025,Sep,J: Information").unwrap() + 40;
    let (summary, collected) = parse_bytes("sev.csv", &text.as_bytes()[..cut], None);
    let summary = summary.unwrap();
    assert_eq!(summary.release_date, None);
    let messages: Vec<String> = collected.rejects.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        ["sev.csv:2260: expected 10 columns, found 3; the row is cut short"]
    );
}

#[test]
fn a_table_cut_inside_its_header_is_an_error() {
    let bytes = sev_bytes();
    let (result, _) = parse_bytes("sev.csv", &bytes[..300], None);
    let error = result.unwrap_err().to_string();
    assert!(error.contains("ends inside the table header"), "{error}");
}

#[test]
fn a_non_numeric_cell_is_rejected_with_line_and_column() {
    let text = String::from_utf8(sev_bytes())
        .unwrap()
        .replacen(",51452,", ",5l452,", 1);
    let (summary, collected) = parse_bytes("sev.csv", text.as_bytes(), None);
    summary.unwrap();
    let messages: Vec<String> = collected.rejects.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        ["sev.csv:2271:8 (column 'Number of vacancies (No.)'): '5l452' is not a number"]
    );
    assert!(
        collected.rejects[0]
            .raw
            .starts_with("2025,Sep,All industry sections covered")
    );
}

#[test]
fn an_unknown_symbol_is_rejected() {
    let text = String::from_utf8(sev_bytes())
        .unwrap()
        .replacen("[*1]", "[#7]", 1);
    let (_, collected) = parse_bytes("sev.csv", text.as_bytes(), None);
    assert_eq!(collected.rejects.len(), 1);
    assert!(
        collected.rejects[0]
            .reason
            .contains("unknown symbol '[#7]'")
    );
}

#[test]
fn an_unknown_header_lists_the_formats() {
    let (result, _) = parse_bytes("x.csv", b"series,period,val\na,2025-01,1\n", None);
    let error = result.unwrap_err();
    assert!(matches!(error, IngestError::UnknownFormat { .. }));
    assert_eq!(
        error.to_string(),
        "x.csv: unknown format; lmo reads csd-table, csd-api, fred, alfred, long, series-meta, mapped (as .csv, or as sheets of an .xlsx workbook); name one with --format, or give a mapping with --map"
    );
}

#[test]
fn a_long_csv_with_an_extra_column_names_it() {
    let (result, _) = parse_bytes(
        "x.csv",
        b"series_id,period,value,comment\na,2025-01,1,hi\n",
        None,
    );
    assert_eq!(
        result.unwrap_err().to_string(),
        "x.csv:1:4 (column 'comment'): unknown column 'comment'; the columns are series_id, period, value, vintage, status"
    );
}

#[test]
fn long_csv_cells_are_checked_one_by_one() {
    let input = "series_id,period,value,vintage\n\
                 a.b,2025-01,1.5,\n\
                 a.b,2025-13,1.5,\n\
                 a.b,2025-02,x,\n\
                 a b,2025-03,1,\n\
                 a.b,2025-04,2,2025-02-30\n\
                 a.b,2025-05\n";
    let (summary, collected) = parse_bytes("long.csv", input.as_bytes(), None);
    assert_eq!(summary.unwrap().observations, 1);
    let messages: Vec<String> = collected.rejects.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "long.csv:3:2 (column 'period'): '2025-13' is not a period (expected YYYY, YYYY-Qn, YYYY-MM, YYYY-MM/3M or YYYY/YY)",
            "long.csv:4:3 (column 'value'): 'x' is not a number",
            "long.csv:5:1 (column 'series_id'): 'a b' is not a series id (1-200 characters: letters, digits and . _ - / : +)",
            "long.csv:6:4 (column 'vintage'): '2025-02-30' is not a date (expected YYYY-MM-DD)",
            "long.csv:7: expected 4 columns, found 2",
        ]
    );
}

#[test]
fn a_file_in_another_encoding_is_rejected_row_by_row() {
    let path =
        data_dir().join("hk/csd_210-06401_unemployment_rate_annual_overall_youth_1985-2025.csv");
    let mapping = mapping_beside(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    // "全港整體" in Big5, as an old Excel on a Traditional Chinese Windows would save it.
    let big5_overall: &[u8] = &[0xA5, 0xFE, 0xB4, 0xE4, 0xBE, 0xE3, 0xC5, 0xE9];
    let mut bytes = Vec::new();
    for line in text.lines() {
        let mut parts = line.splitn(3, ',');
        let (year, category, rest) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        bytes.extend_from_slice(year.as_bytes());
        bytes.push(b',');
        if category == "全港整體" {
            bytes.extend_from_slice(big5_overall);
        } else {
            bytes.extend_from_slice(category.as_bytes());
        }
        bytes.push(b',');
        bytes.extend_from_slice(rest.as_bytes());
        bytes.push(b'\n');
    }
    let (summary, collected) = parse_bytes("big5.csv", &bytes, Some(&mapping));
    summary.unwrap();
    assert_eq!(collected.rejects.len(), 41);
    assert_eq!(
        collected.rejects[0].to_string(),
        "big5.csv:3:2: not valid UTF-8; save the file as UTF-8 (in Excel: \"CSV UTF-8\")"
    );
}

#[test]
fn mapping_errors_name_the_block_and_the_column() {
    let spec = MappingSpec::parse(
        "m.toml",
        "[[series]]\nid = \"x.{nope}\"\ntitle_en = \"t\"\nperiod = \"year\"\nvalue = \"v\"\nfrequency = \"annual\"\n",
    )
    .unwrap();
    let (result, _) = parse_bytes("a.csv", b"year,v\n2020,1\n", Some(&spec));
    assert_eq!(
        result.unwrap_err().to_string(),
        "mapping m.toml: [[series]] #1 names the column 'nope', which a.csv does not have (columns: year, v)"
    );
    let error = MappingSpec::parse("m.toml", "[[series]]\nid = 3\n")
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("mapping m.toml: TOML parse error at line 2, column 6"),
        "{error}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parsers_never_panic_on_arbitrary_bytes(
        header in prop::sample::select(vec![
            "Table 1-2 : t\n\nYear,Month,Industry section,,\n",
            "series_id,period,value,vintage,status\n",
            "series_id,title_en,frequency,tags\n",
            "GROUP,GROUPDesc,freq,period,sv,svDesc,figure,sd_value\n",
            "DATE,UNRATE\n",
            "observation_date,UNRATE_20200508,UNRATE_20200605\n",
        ]),
        body in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend_from_slice(&body);
        let _ = parse_bytes("fuzz.csv", &bytes, None);
    }

    #[test]
    fn json_records_never_panic(
        keys in proptest::collection::vec(prop::sample::select(vec!["series_id", "period", "value", "freq", "figure", "x"]), 0..6),
        values in proptest::collection::vec("(null|true|-?[0-9]{1,4}(\\.[0-9]{1,3})?|\"[^\"\\\\]{0,6}\"|\\[1\\]|\\{\\})", 0..6),
        records in 0usize..4,
        cut in any::<prop::sample::Index>(),
    ) {
        let record: Vec<String> = keys
            .iter()
            .zip(&values)
            .map(|(key, value)| format!("\"{key}\": {value}"))
            .collect();
        let record = format!("{{{}}}", record.join(", "));
        let document = format!("[{}]", vec![record; records].join(",\n"));
        let _ = parse_bytes("fuzz.json", document.as_bytes(), None);
        // Cut anywhere, even inside a character: an error, never a panic.
        let cut = cut.index(document.len() + 1);
        let _ = parse_bytes("fuzz.json", &document.as_bytes()[..cut], None);
    }

    #[test]
    fn csv_lines_built_from_table_cells_never_panic(
        cells in proptest::collection::vec("[0-9A-Za-z.,§*\\[\\]\\- :]{0,8}", 0..40),
    ) {
        let mut text = String::from("Table 215-16001 : t\n,,,A,B\n,,,No.,%\nYear,Month,Industry section,,\n");
        for chunk in cells.chunks(5) {
            text.push_str(&chunk.join(","));
            text.push('\n');
        }
        let _ = parse_bytes("fuzz.csv", text.as_bytes(), None);
    }
}

/// Values the store could not read back, or would store changed, are rejected on the way in
/// (a date in a year lmo does not support, a number that underflows to zero or overflows).
#[test]
fn values_that_would_poison_the_store_are_rejected_where_they_are() {
    let unrate = std::fs::read_to_string(data_dir().join("us/fred/UNRATE.csv")).unwrap();
    let text = format!("{unrate}2999-01-01,3.8\n");
    let (summary, collected) = parse_bytes("UNRATE.csv", text.as_bytes(), None);
    summary.unwrap();
    let messages: Vec<String> = collected.rejects.iter().map(ToString::to_string).collect();
    let line = unrate.lines().count() + 1;
    assert_eq!(
        messages,
        [format!(
            "UNRATE.csv:{line}:1 (column 'Date'): '2999-01-01' is not a period (expected YYYY, YYYY-Qn, YYYY-MM, YYYY-MM/3M or YYYY/YY)"
        )]
    );

    for (written, reason) in [
        (
            "1e-400",
            "'1e-400' is too large or too close to zero to be stored as written",
        ),
        (
            "3e400",
            "'3e400' is too large or too close to zero to be stored as written",
        ),
    ] {
        let text = unrate.replacen("1948-02-01,3.8", &format!("1948-02-01,{written}"), 1);
        let (summary, collected) = parse_bytes("UNRATE.csv", text.as_bytes(), None);
        summary.unwrap();
        let messages: Vec<String> = collected.rejects.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [format!("UNRATE.csv:3:2 (column 'UNRATE'): {reason}")]
        );
    }
}
