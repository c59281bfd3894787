//! Everyday use on the bundled real data: one period model, corrections kept.

use crate::support::{Lmo, SEV, data};

const VACANCIES: &str = "csd.215-16001.number_of_vacancies.ALL";

#[test]
fn a_quarterly_survey_is_found_by_its_quarter_or_its_month() {
    let lmo = Lmo::sqlite();
    lmo.ok(&["ingest", &data(SEV)]);
    let by_month = lmo.ok(&["series", "vintages", VACANCIES, "2025-09", "--csv"]);
    let by_quarter = lmo.ok(&["series", "vintages", VACANCIES, "2025-Q3", "--csv"]);
    assert_eq!(by_month, by_quarter);
    assert!(by_month.contains(",51452,"), "{by_month}");

    let missing = lmo.run(&["series", "vintages", VACANCIES, "2025-08"]);
    assert_ne!(missing.code, 0);
    assert!(
        missing.stderr.contains(&format!(
            "series {VACANCIES} has no period 2025-08; periods nearby: 2024-12, 2025-03, 2025-06, 2025-09"
        )),
        "{}",
        missing.stderr
    );
    assert_eq!(missing.stdout, "");
}

/// What a spreadsheet or pandas user opens: plain numbers and ISO dates in CSV, the same
/// column names as the JSON, CSV for Excel with a byte-order mark, and XLSX with real
/// number and date cells.
#[test]
fn outputs_open_cleanly_in_excel_and_pandas() {
    use calamine::{Data, Reader};

    let lmo = Lmo::sqlite();
    lmo.ok(&["ingest", &data(SEV)]);
    let csv = lmo.ok(&["series", "show", VACANCIES, "--csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let json = lmo.json(&["series", "show", VACANCIES, "--json"]);
    let keys: Vec<String> = json["observations"][0]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(header, keys, "CSV columns are the JSON keys");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.len() > 90);
    for row in &rows {
        // A value parses as a number as written, and a vintage is an ISO date.
        row[1].parse::<f64>().unwrap();
        assert!(!row[1].contains(','), "{row:?}");
        domain::parse_date(&row[3]).unwrap();
    }
    assert!(csv.contains("\n2025-09,51452,"), "{csv}");

    let excel = lmo.ok(&["series", "list", "--csv", "--excel"]);
    assert!(excel.starts_with('\u{feff}'));
    let chinese = excel
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    assert!(excel.contains("\r\n") && chinese, "{excel}");

    let path = lmo.path("vacancies.xlsx");
    let table = lmo.ok(&[
        "series",
        "show",
        VACANCIES,
        "--xlsx",
        path.to_str().unwrap(),
    ]);
    assert!(
        table.contains("51,452"),
        "the table for people still groups digits"
    );
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheet = workbook.worksheet_range("data").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(header, keys);
    let september = sheet
        .rows()
        .find(|row| row[0] == Data::String("2025-09".to_owned()))
        .unwrap();
    assert_eq!(september[1], Data::Float(51452.0));
    assert!(
        matches!(september[3], Data::DateTime(_)),
        "{:?}",
        september[3]
    );
}

/// `lmo demo --json` gives programs what the briefing shows people.
#[test]
fn the_demo_briefing_is_in_its_json() {
    let lmo = Lmo::sqlite();
    let briefing = lmo.json(&["demo", "--json"]);
    let headlines = briefing["headlines"].as_array().unwrap();
    let keys: Vec<&str> = headlines
        .iter()
        .map(|headline| headline["key"].as_str().unwrap())
        .collect();
    assert!(
        keys.contains(&"unemployment_sa") && keys.contains(&"vacancies"),
        "{keys:?}"
    );
    let vacancies = headlines.iter().find(|h| h["key"] == "vacancies").unwrap();
    assert_eq!(vacancies["period"], "2025-09");
    assert_eq!(vacancies["value"], 51452.0);
    assert!(briefing["climate_index"]["eti"].is_number());
    assert!(!briefing["open_alerts"].as_array().unwrap().is_empty());
    assert_eq!(briefing["arrears"]["generated_data"], true);
    let shortages: Vec<&str> = briefing["top_shortages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["industry"].as_str().unwrap())
        .collect();
    assert_eq!(shortages, ["K", "J", "C"]);
    assert_eq!(briefing["most_exposed"][0]["isco08"], "4");
    assert!(
        briefing["exposure_weights"]
            .as_str()
            .unwrap()
            .starts_with("equal weights")
    );
    let extensions: Vec<String> = briefing["report_files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|file| std::path::Path::new(file.as_str().unwrap()).extension())
        .map(|extension| extension.to_string_lossy().into_owned())
        .collect();
    assert!(extensions.contains(&"html".to_owned()), "{extensions:?}");
    assert!(extensions.contains(&"xlsx".to_owned()), "{extensions:?}");
}

/// A row another program wrote that lmo cannot read back never fails a command: it is
/// skipped, and named with its series and period on stderr.
#[test]
fn an_unreadable_stored_row_is_skipped_and_named() {
    let lmo = Lmo::sqlite();
    lmo.ok(&["ingest", &data(SEV)]);
    let path = lmo.database_url.strip_prefix("sqlite://").unwrap();
    let connection = rusqlite::Connection::open(path).unwrap();
    connection
        .execute(
            "INSERT INTO observations
                 (series_id, period, period_end, vintage, value, status, vintage_basis, import_id)
             VALUES (?1, '2999-09', '2999-09-30', '2025-12-19', 1.0, 'normal', 'release', 1)",
            [VACANCIES],
        )
        .unwrap();
    drop(connection);
    for args in [
        &["series", "list", "--csv"][..],
        &["series", "show", VACANCIES, "--csv"][..],
        &["export", "--prefix", "csd.215-16001.number_of_vacancies"][..],
    ] {
        let run = lmo.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "warning: skipped a stored row that cannot be read (observations, series {VACANCIES}, period 2999-09)"
            )),
            "{args:?}: {}",
            run.stderr
        );
    }
    let shown = lmo.ok(&["series", "show", VACANCIES, "--csv"]);
    assert!(shown.contains("\n2025-09,51452,"), "{shown}");
}

/// Re-importing a C&SD table under its unchanged release date with an edited figure: refused
/// by default, naming series, period, both values and `--correct`; accepted with it, and the
/// published figure is kept and shown by `series vintages`.
fn corrections_keep_the_published_figure(lmo: &Lmo) {
    lmo.ok(&["ingest", &data(SEV)]);
    let edited = std::fs::read_to_string(data(SEV))
        .unwrap()
        .replacen(",51452,", ",47200,", 1);
    let path = lmo.path("sev-edited.csv");
    std::fs::write(&path, edited).unwrap();
    let refused = lmo.run(&["ingest", path.to_str().unwrap()]);
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(
        refused.stderr.contains(&format!(
            "{VACANCIES} for 2025-09 is stored as 51452 under vintage 2025-12-19; this file says 47200"
        )) && refused.stderr.contains("--correct"),
        "{}",
        refused.stderr
    );
    let imported = lmo.json(&["ingest", "--correct", "--json", path.to_str().unwrap()]);
    assert_eq!(imported[0]["rows_corrected"], 1);
    let history = lmo.json(&["series", "vintages", VACANCIES, "2025-Q3", "--json"]);
    let values: Vec<(f64, bool)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["value"].as_f64().unwrap(),
                row["replaced_by_import"].is_number(),
            )
        })
        .collect();
    assert_eq!(values, [(51452.0, true), (47200.0, false)]);
}

#[test]
fn sqlite_corrections_keep_the_published_figure() {
    corrections_keep_the_published_figure(&Lmo::sqlite());
}

#[test]
fn postgres_corrections_keep_the_published_figure() {
    if let Some(url) = crate::support::postgres_database("corrections") {
        corrections_keep_the_published_figure(&Lmo::with_database(url));
    }
}
