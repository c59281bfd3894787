//! `lmo gen` and `lmo arrears` end to end: the injected defaults are found, nothing personal leaks.

use std::collections::BTreeMap;

use std::path::{Path, PathBuf};

use crate::support::{Lmo, arrears_command, generate_arrears, run_arrears};

#[test]
fn detection_lists_exactly_the_injected_defaults_at_their_levels() {
    let lmo = Lmo::sqlite();
    let dir = generate_arrears(&lmo, "1500");
    let run = run_arrears(&lmo, &dir, &["--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let listed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found: BTreeMap<String, String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["employer_id"].as_str().unwrap().to_owned(),
                row["level"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let truth_text = std::fs::read_to_string(dir.join("ground_truth.csv")).unwrap();
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for line in truth_text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let level = expected.entry(fields[0].to_owned()).or_default();
        // An employer injected with two kinds is expected at the worse of the two levels.
        if level.is_empty() || rank(fields[2]) > rank(level) {
            *level = fields[2].to_owned();
        }
    }
    assert!(
        expected.len() > 50,
        "too few injected defaults to mean anything"
    );
    assert_eq!(found, expected);
    // Ranked: levels never rise down the list.
    let levels: Vec<u8> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|row| rank(row["level"].as_str().unwrap()))
        .collect();
    assert!(
        levels.windows(2).all(|pair| pair[0] >= pair[1]),
        "{levels:?}"
    );
}

fn rank(level: &str) -> u8 {
    match level {
        "yellow" => 1,
        "orange" => 2,
        "red" => 3,
        other => panic!("unknown level {other}"),
    }
}

#[test]
fn no_hkid_or_name_reaches_the_output_or_the_rejects_file() {
    let lmo = Lmo::sqlite();
    let dir = generate_arrears(&lmo, "200");
    // A row with a bad check digit, so that the rejects path is exercised too.
    let remittances = dir.join("mpf_remittances.csv");
    let mut text = std::fs::read_to_string(&remittances).unwrap();
    text.push_str("E0000001,Z999999(1),Worker Secret Name,2025-06-01,2025-06-30,10000.00,500.00,500.00,2025-07-05\n");
    std::fs::write(&remittances, &text).unwrap();
    let rejects = lmo.path("rejects.csv");
    let run = run_arrears(&lmo, &dir, &["--rejects", rejects.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("check digit"), "{}", run.stderr);
    let rejects_text = std::fs::read_to_string(&rejects).unwrap();
    let json = run_arrears(&lmo, &dir, &["--json"]).stdout;
    for output in [&run.stdout, &run.stderr, &rejects_text, &json] {
        assert!(!output.contains("Z999999"), "raw HKID leaked:\n{output}");
        assert!(
            !output.contains("Secret Name"),
            "raw name leaked:\n{output}"
        );
        assert!(
            !output.contains("A000000("),
            "generated HKID leaked:\n{output}"
        );
        assert!(
            !output.contains("Worker 0000"),
            "generated name leaked:\n{output}"
        );
    }
}

#[test]
fn without_a_pseudonym_key_nothing_is_read() {
    let lmo = Lmo::sqlite();
    let dir = generate_arrears(&lmo, "20");
    let mut command = lmo.command();
    command.env_remove("LMO_PSEUDONYM_KEY").args([
        "arrears",
        "--period",
        "2025-06",
        "--register",
        dir.join("employers.csv").to_str().unwrap(),
    ]);
    let run = crate::support::finish(command.output().unwrap());
    assert_eq!(run.code, 3);
    assert!(
        run.stderr.contains("set LMO_PSEUDONYM_KEY"),
        "{}",
        run.stderr
    );
}

/// The folder of the arrears workbook fixtures (generated data; see
/// `tests/data/arrears/make_workbooks.py`).
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/arrears")
}

fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

#[test]
fn workbooks_are_read_as_their_csv_files() {
    let lmo = Lmo::sqlite();
    let run = |extension: &str| {
        crate::support::run_arrears_files(&lmo, &fixtures(), extension, &["--json"])
    };
    let (csv, xlsx) = (run("csv"), run("xlsx"));
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    assert_eq!(xlsx.code, 0, "{}", xlsx.stderr);
    // Amounts stored as Excel numbers (750.50 as 750.5), dates as date cells: the same
    // employers, levels and figures as from the CSV files, and no row rejected.
    assert_eq!(xlsx.stdout, csv.stdout);
    assert!(!xlsx.stderr.contains("rejected"), "{}", xlsx.stderr);
    let listed: serde_json::Value = serde_json::from_str(&xlsx.stdout).unwrap();
    assert!(listed.as_array().unwrap().len() >= 3, "{listed}");
}

#[test]
fn a_bad_workbook_row_is_rejected_at_its_sheet_row_and_column() {
    let lmo = Lmo::sqlite();
    let mut command = arrears_command(
        &lmo,
        &[
            "--register",
            fixture("employers.csv").to_str().unwrap(),
            "--mpf",
            fixture("mpf_bad.xlsx").to_str().unwrap(),
        ],
    );
    let run = crate::support::finish(command.output().unwrap());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bad = fixture("mpf_bad.xlsx").display().to_string();
    for expected in [
        format!(
            "{bad}[remittances]:3:2 (column 'employee_id'): not an HKID: check digit does not match"
        ),
        format!("{bad}[remittances]:4:6 (column 'relevant_income'): the amount is negative"),
    ] {
        assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
    }

    // A table that does not start in A1 would put every position off: refused, saying where.
    let mut command = arrears_command(
        &lmo,
        &["--register", fixture("register_b2.xlsx").to_str().unwrap()],
    );
    let run = crate::support::finish(command.output().unwrap());
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the table must start in cell A1 with its header row; it starts in B2"),
        "{}",
        run.stderr
    );
}
