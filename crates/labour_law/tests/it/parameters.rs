//! Dated parameter tables: the bundled Hong Kong values, boundaries and file errors.

use std::fmt::Write as _;

use expect_test::expect;
use labour_law::{LabourLawError, Parameters, SourceStatus};

use crate::date;

fn hk() -> &'static Parameters {
    Parameters::hong_kong()
}

#[test]
fn mpf_income_limits_change_on_their_effective_dates() {
    let min = |d| {
        hk().mpf_relevant_income_min(date(d))
            .map(|e| e.value.to_string())
    };
    let max = |d| {
        hk().mpf_relevant_income_max(date(d))
            .map(|e| e.value.to_string())
    };
    assert_eq!(min("2013-11-01").unwrap(), "7100.00");
    assert_eq!(min("2026-11-30").unwrap(), "7100.00");
    assert_eq!(
        min("2013-10-31").unwrap_err().to_string(),
        "no value of mpf_relevant_income_min for 2013-10-31: the table starts on 2013-11-01"
    );
    assert_eq!(max("2014-06-01").unwrap(), "30000.00");
    assert!(matches!(
        max("2014-05-31"),
        Err(LabourLawError::NoParameter { .. })
    ));
}

#[test]
fn mpf_rates_are_five_percent() {
    let day = date("2025-01-01");
    assert_eq!(hk().mpf_rate_employer(day).unwrap().value.hundredths(), 500);
    assert_eq!(hk().mpf_rate_employee(day).unwrap().value.hundredths(), 500);
    assert_eq!(
        hk().mpf_surcharge_rate(day).unwrap().value.hundredths(),
        500
    );
    assert_eq!(hk().wage_payment_days_after_period(day).unwrap().value, 7);
}

#[test]
fn minimum_wage_by_date() {
    let at = |d| {
        let entry = hk().minimum_wage_hourly(date(d)).unwrap();
        format!("{d} {} {:?}", entry.value, entry.status)
    };
    let lines: Vec<String> = [
        "2011-05-01",
        "2013-04-30",
        "2013-05-01",
        "2019-05-01",
        "2023-04-30",
        "2023-05-01",
        "2025-04-30",
        "2025-05-01",
        "2026-04-30",
        "2026-05-01",
        "2030-01-01",
    ]
    .into_iter()
    .map(at)
    .collect();
    expect![[r#"
        2011-05-01 28.00 Verified
        2013-04-30 28.00 Verified
        2013-05-01 30.00 Verified
        2019-05-01 37.50 Verified
        2023-04-30 37.50 Verified
        2023-05-01 40.00 Verified
        2025-04-30 40.00 Verified
        2025-05-01 42.10 Secondary
        2026-04-30 42.10 Secondary
        2026-05-01 43.10 Unverified
        2030-01-01 43.10 Unverified"#]]
    .assert_eq(&lines.join("\n"));
    assert!(hk().minimum_wage_hourly(date("2011-04-30")).is_err());
    let latest = hk().minimum_wage_hourly(date("2026-05-01")).unwrap();
    assert!(latest.note.as_deref().unwrap().contains("LegCo"));
}

#[test]
fn every_bundled_value_names_its_source() {
    let day = date("2026-06-01");
    let sources = [
        hk().mpf_relevant_income_min(day).unwrap().source.as_str(),
        &hk().mpf_relevant_income_max(day).unwrap().source,
        &hk().mpf_rate_employer(day).unwrap().source,
        &hk().mpf_rate_employee(day).unwrap().source,
        &hk().mpf_surcharge_rate(day).unwrap().source,
        &hk().wage_payment_days_after_period(day).unwrap().source,
        &hk().minimum_wage_hourly(day).unwrap().source,
    ];
    for source in sources {
        assert!(source.starts_with("hk-rules.md §"), "{source}");
    }
    // The effective dates of the MPF income limits are sourced from secondary pages only.
    assert_eq!(
        hk().mpf_relevant_income_min(day).unwrap().status,
        SourceStatus::Secondary
    );
    assert_eq!(
        hk().mpf_rate_employer(day).unwrap().status,
        SourceStatus::Verified
    );
}

const RATE_BLOCK: &str = "[[mpf_rate_employer]]\neffective_from = 2020-01-01\nvalue = \"5\"\nsource = \"s\"\nstatus = \"verified\"\n";

/// A minimal valid file, with `replace` applied to make it invalid in one place.
fn file_with(from: &str, to: &str) -> String {
    let mut text = String::new();
    for name in [
        "mpf_relevant_income_min",
        "mpf_relevant_income_max",
        "minimum_wage_hourly",
    ] {
        write!(
            text,
            "[[{name}]]\neffective_from = 2020-01-01\nvalue = \"100\"\nsource = \"s\"\nstatus = \"verified\"\n\n"
        )
        .unwrap();
    }
    for name in [
        "mpf_rate_employer",
        "mpf_rate_employee",
        "mpf_surcharge_rate",
    ] {
        write!(
            text,
            "[[{name}]]\neffective_from = 2020-01-01\nvalue = \"5\"\nsource = \"s\"\nstatus = \"verified\"\n\n"
        )
        .unwrap();
    }
    text.push_str(
        "[[wage_payment_days_after_period]]\neffective_from = 2020-01-01\nvalue = 7\nsource = \"s\"\nstatus = \"verified\"\n\n",
    );
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

fn error_of(text: &str) -> String {
    Parameters::from_toml(text).unwrap_err().to_string()
}

#[test]
fn a_minimal_file_loads() {
    let parameters = Parameters::from_toml(&file_with("", "")).unwrap();
    assert_eq!(
        parameters
            .mpf_relevant_income_min(date("2020-01-01"))
            .unwrap()
            .value
            .cents(),
        10_000
    );
}

#[test]
fn file_errors_name_the_line() {
    let cases = [
        file_with("value = \"100\"", "value = \"12.5\""),
        file_with("value = \"100\"", "value = 100.0"),
        file_with("value = \"100\"", "value = \"-100\""),
        file_with("value = \"5\"", "value = \"105\""),
        file_with("status = \"verified\"", "status = \"probably\""),
        file_with("source = \"s\"", "source = \"s\"\nsauce = \"t\""),
        file_with(
            "effective_from = 2020-01-01",
            "effective_from = 2020-01-01T10:00:00",
        ),
        file_with(
            "status = \"verified\"\n\n",
            "status = \"verified\"\n\n[[mpf_relevant_income_min]]\neffective_from = 2019-01-01\nvalue = \"1\"\nsource = \"s\"\nstatus = \"verified\"\n\n",
        ),
        file_with("[[mpf_rate_employer]]", "[[mpf_rate_employers]]"),
        format!("mpf_rate_employer = []\n{}", file_with(RATE_BLOCK, "")),
        file_with(RATE_BLOCK, ""),
    ];
    let messages: Vec<String> = cases.iter().map(|text| error_of(text)).collect();
    expect![[r#"
        parameters, line 3: '12.5' is not an amount of money (expected digits with two decimals or none, e.g. 1234.56)
        parameters, line 3: invalid type: floating point `100.0`, expected a string
        parameters, line 3: the amount is negative (-100.00)
        parameters, line 21: '105' is not a percentage from 0 to 100 (expected digits with two decimals or none, e.g. 5 or 2.50)
        parameters, line 5: unknown variant `probably`, expected one of `verified`, `secondary`, `unverified`
        parameters, line 5: unknown field `sauce`, expected one of `effective_from`, `value`, `source`, `status`, `note`
        parameters, line 2: mpf_relevant_income_min: effective_from must be a date (YYYY-MM-DD)
        parameters, line 8: mpf_relevant_income_min: effective_from 2019-01-01 is not after the previous entry's 2020-01-01
        parameters, line 19: unknown field `mpf_rate_employers`, expected one of `mpf_relevant_income_min`, `mpf_relevant_income_max`, `mpf_rate_employer`, `mpf_rate_employee`, `mpf_surcharge_rate`, `wage_payment_days_after_period`, `minimum_wage_hourly`
        parameters, line 1: mpf_rate_employer: the table has no entries
        parameters, line 1: missing field `mpf_rate_employer`"#]].assert_eq(&messages.join("\n"));
}
