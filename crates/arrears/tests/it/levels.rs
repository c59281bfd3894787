//! Employer levels at the boundaries of the default thresholds (`data/thresholds.toml`).

use arrears::{Level, Thresholds};
use expect_test::expect;

use crate::support::{Inputs, employer_row, mpf_row, pay_row, ranked, run};

/// An employer of `headcount` with `unpaid` workers whose June MPF is unpaid.
fn unpaid_mpf(headcount: u32, unpaid: u32) -> Inputs {
    let mut inputs = Inputs::default();
    inputs.register.push_str(&employer_row("E01", headcount));
    for worker in 1..=unpaid {
        inputs
            .remittances
            .push_str(&mpf_row("E01", worker, "1000.00", ""));
    }
    inputs
}

fn level_of(inputs: &Inputs) -> Option<Level> {
    let run = run(inputs);
    assert!(run.rejects.is_empty(), "{:?}", run.rejects);
    run.detection
        .employers
        .first()
        .map(|employer| employer.level)
}

#[test]
fn ten_workers_affected_is_a_group_dispute() {
    expect![[r#"
        E01 orange workers=9 arrears=18000.00 surcharge=900.00 late=0 months=1 [mpf_unpaid] MPF contributions unpaid after the contribution day; several workers affected
    "#]]
    .assert_eq(&ranked(&run(&unpaid_mpf(50, 9)).detection));
    expect![[r#"
        E01 red workers=10 arrears=20000.00 surcharge=1000.00 late=0 months=1 [mpf_unpaid] MPF contributions unpaid after the contribution day; group dispute: workers affected at the group threshold or more
    "#]]
    .assert_eq(&ranked(&run(&unpaid_mpf(50, 10)).detection));
}

#[test]
fn five_workers_affected_is_orange_four_is_yellow() {
    assert_eq!(level_of(&unpaid_mpf(50, 4)), Some(Level::Yellow));
    assert_eq!(level_of(&unpaid_mpf(50, 5)), Some(Level::Orange));
}

#[test]
fn a_default_at_a_sizable_employer_is_orange() {
    assert_eq!(level_of(&unpaid_mpf(99, 1)), Some(Level::Yellow));
    expect![[r#"
        E01 orange workers=1 arrears=2000.00 surcharge=100.00 late=0 months=1 [mpf_unpaid] MPF contributions unpaid after the contribution day; sizable employer
    "#]]
    .assert_eq(&ranked(&run(&unpaid_mpf(100, 1)).detection));
}

#[test]
fn the_sizable_headcount_is_configurable() {
    let thresholds = Thresholds::from_toml(
        &Thresholds::DEFAULT_TOML.replace("sizable_headcount = 100", "sizable_headcount = 20"),
    )
    .unwrap();
    let run = crate::support::run_with(&unpaid_mpf(20, 1), &thresholds, crate::support::as_of());
    assert_eq!(run.detection.employers[0].level, Level::Orange);
    assert!(run.detection.employers[0].sizable);
}

#[test]
fn arrears_thresholds_are_inclusive() {
    let unpaid_wages = |due: &str| {
        let mut inputs = Inputs::default();
        inputs.register.push_str(&employer_row("E01", 5));
        inputs
            .payroll
            .push_str(&pay_row("E01", 1, due, "0.00", "", ""));
        level_of(&inputs)
    };
    assert_eq!(unpaid_wages("99999.99"), Some(Level::Yellow));
    assert_eq!(unpaid_wages("100000.00"), Some(Level::Orange));
    assert_eq!(unpaid_wages("499999.99"), Some(Level::Orange));
    assert_eq!(unpaid_wages("500000.00"), Some(Level::Red));
}

#[test]
fn months_in_default_and_repeat_defaults_come_from_prior_summaries() {
    let with_prior = |prior: &str| {
        let mut inputs = unpaid_mpf(5, 1);
        inputs.prior = prior.to_owned();
        ranked(&run(&inputs).detection)
    };
    // May in default: two months in a row.
    expect![[r#"
        E01 orange workers=1 arrears=2000.00 surcharge=100.00 late=0 months=2 [mpf_unpaid] MPF contributions unpaid after the contribution day; in default for consecutive months
    "#]]
    .assert_eq(&with_prior("E01,2025-05,yellow,1,2000.00\n"));
    // April and May: three in a row.
    expect![[r#"
        E01 red workers=1 arrears=2000.00 surcharge=100.00 late=0 months=3 [mpf_unpaid] MPF contributions unpaid after the contribution day; in default for consecutive months; repeat defaults in the past 12 months
    "#]]
    .assert_eq(&with_prior(
        "E01,2025-04,yellow,1,2000.00\nE01,2025-05,yellow,1,2000.00\n",
    ));
    // Two earlier months, not consecutive: repeat defaults only.
    expect![[r#"
        E01 orange workers=1 arrears=2000.00 surcharge=100.00 late=0 months=1 [mpf_unpaid] MPF contributions unpaid after the contribution day; repeat defaults in the past 12 months
    "#]]
    .assert_eq(&with_prior(
        "E01,2025-01,yellow,1,2000.00\nE01,2025-03,orange,1,2000.00\n",
    ));
    // More than 12 months ago: neither.
    expect![[r#"
        E01 yellow workers=1 arrears=2000.00 surcharge=100.00 late=0 months=1 [mpf_unpaid] MPF contributions unpaid after the contribution day
    "#]]
    .assert_eq(&with_prior(
        "E01,2024-04,yellow,1,2000.00\nE01,2024-05,orange,1,2000.00\n",
    ));
}

#[test]
fn a_worker_report_raises_a_signal_before_the_data_arrive() {
    let mut inputs = Inputs::default();
    inputs.register.push_str(&employer_row("E01", 30));
    inputs
        .reports
        .push_str("E01,2025-07-12,3,60000.00,union,June wages not paid\n");
    expect![[r#"
        E01 yellow workers=0 arrears=0.00 surcharge=0.00 late=0 months=0 [report_without_data] worker report, not yet confirmed by data
    "#]]
    .assert_eq(&ranked(&run(&inputs).detection));
    // The statements arrive: the report is confirmed by the data.
    for worker in 1..=3 {
        inputs
            .payroll
            .push_str(&pay_row("E01", worker, "20000.00", "0.00", "", ""));
    }
    expect![[r#"
        E01 yellow workers=3 arrears=60000.00 surcharge=0.00 late=0 months=1 [wages_unpaid] wages unpaid more than 7 days after the wage period; worker report confirmed by data
    "#]]
    .assert_eq(&ranked(&run(&inputs).detection));
}

#[test]
fn a_report_claiming_a_group_dispute_is_orange_until_confirmed() {
    let mut inputs = Inputs::default();
    inputs.register.push_str(&employer_row("E01", 30));
    inputs
        .reports
        .push_str("E01,2025-07-12,12,240000.00,union,twelve workers unpaid\n");
    expect![[r#"
        E01 orange workers=0 arrears=0.00 surcharge=0.00 late=0 months=0 [report_without_data] worker report, not yet confirmed by data; worker report claims a group dispute
    "#]]
    .assert_eq(&ranked(&run(&inputs).detection));
}

#[test]
fn ranking_is_by_level_then_workers_then_arrears() {
    let mut inputs = Inputs::default();
    for (id, headcount) in [("A1", 5), ("A2", 5), ("A3", 200), ("A4", 50)] {
        inputs.register.push_str(&employer_row(id, headcount));
    }
    // A1: 1 worker, HK$2,000; A2: 2 workers, HK$4,000 (both yellow); A3: sizable (orange);
    // A4: 10 workers (red).
    inputs
        .remittances
        .push_str(&mpf_row("A1", 1, "1000.00", ""));
    inputs
        .remittances
        .push_str(&mpf_row("A2", 2, "1000.00", ""));
    inputs
        .remittances
        .push_str(&mpf_row("A2", 3, "1000.00", ""));
    inputs
        .remittances
        .push_str(&mpf_row("A3", 4, "1000.00", ""));
    for worker in 10..20 {
        inputs
            .remittances
            .push_str(&mpf_row("A4", worker, "1000.00", ""));
    }
    let order: Vec<String> = run(&inputs)
        .detection
        .employers
        .iter()
        .map(|employer| format!("{} {}", employer.employer_id, employer.level))
        .collect();
    assert_eq!(order, ["A4 red", "A3 orange", "A2 yellow", "A1 yellow"]);
}

#[test]
fn the_bundled_thresholds_load_and_bad_ones_name_the_line() {
    let thresholds = Thresholds::default();
    assert_eq!(thresholds.group_dispute_workers, 10);
    assert_eq!(thresholds.sizable_headcount, 100);
    let error = Thresholds::from_toml(
        &Thresholds::DEFAULT_TOML.replace("arrears = \"100000\"", "arrears = \"100000.5\""),
    )
    .unwrap_err();
    expect!["thresholds, line 23: '100000.5' is not an amount of money (expected digits with two decimals or none, e.g. 1234.56)"].assert_eq(&error.to_string());
}

#[test]
fn this_months_summaries_are_next_months_prior_input() {
    let mut inputs = unpaid_mpf(5, 1);
    inputs.register.push_str(&employer_row("E02", 5));
    inputs
        .reports
        .push_str("E02,2025-07-12,1,100.00,union,report only\n");
    let june = run(&inputs);
    let mut summaries = Vec::new();
    arrears::write_summaries(&june.detection, &mut summaries).unwrap();
    let summaries = String::from_utf8(summaries).unwrap();
    // A report without data is not a month in default.
    expect![[r#"
        employer_id,period,level,workers_affected,arrears
        E01,2025-06,yellow,1,2000.00
    "#]]
    .assert_eq(&summaries);
    let register_text = format!("{}{}", crate::support::REGISTER_HEADER, inputs.register);
    let (register, _) = arrears::read_register(register_text.as_bytes(), "r.csv", |_| {}).unwrap();
    let july = domain::Period::parse("2025-07").unwrap();
    let mut prior = arrears::PriorDefaults::new(july);
    arrears::read_prior_summaries(summaries.as_bytes(), "june.csv", &register, |parsed| {
        if let arrears::Parsed::Record(row) = parsed {
            prior.insert(row.employer, row.period);
        }
    })
    .unwrap();
    let key = register.key("E01").unwrap();
    let thresholds = Thresholds::default();
    let mut detector = arrears::Detector::new(
        july,
        crate::support::date("2025-08-31"),
        &register,
        &thresholds,
        &prior,
    )
    .unwrap();
    let pseudonymiser = labour_law::Pseudonymiser::new(crate::support::KEY).unwrap();
    let context = arrears::ParseContext {
        pseudonymiser: &pseudonymiser,
        as_of: crate::support::date("2025-08-31"),
        register: &register,
        law: arrears::Law::hong_kong(),
    };
    let july_row =
        mpf_row("E01", 1, "1000.00", "").replace("2025-06-01,2025-06-30", "2025-07-01,2025-07-31");
    let text = format!("{}{july_row}", crate::support::REMITTANCE_HEADER);
    arrears::read_remittances(text.as_bytes(), "july.csv", &context, |parsed| {
        if let arrears::Parsed::Record(row) = parsed {
            detector.remittance(&row).unwrap();
        }
    })
    .unwrap();
    let detection = detector.finish();
    assert_eq!(detection.employers[0].employer, key);
    assert_eq!(detection.employers[0].months_in_default, 2);
    assert_eq!(detection.employers[0].level, Level::Orange);
}

#[test]
fn an_employer_id_that_needs_quotes_is_quoted_in_the_summaries() {
    // The id `E,1"`, written as CSV.
    let quoted_id = "\"E,1\"\"\"";
    let mut inputs = Inputs {
        register: format!("{quoted_id},Quoted Ltd,G,Kwun Tong,5\n"),
        ..Inputs::default()
    };
    inputs
        .remittances
        .push_str(&mpf_row(quoted_id, 1, "1000.00", ""));
    let june = run(&inputs);
    assert!(june.rejects.is_empty(), "{:?}", june.rejects);
    let mut summaries = Vec::new();
    arrears::write_summaries(&june.detection, &mut summaries).unwrap();
    let summaries = String::from_utf8(summaries).unwrap();
    expect![[r#"
        employer_id,period,level,workers_affected,arrears
        "E,1""",2025-06,yellow,1,2000.00
    "#]]
    .assert_eq(&summaries);
    let register_text = format!("{}{}", crate::support::REGISTER_HEADER, inputs.register);
    let (register, _) = arrears::read_register(register_text.as_bytes(), "r.csv", |_| {}).unwrap();
    let mut months = Vec::new();
    arrears::read_prior_summaries(summaries.as_bytes(), "june.csv", &register, |parsed| {
        months.push(parsed);
    })
    .unwrap();
    assert_eq!(
        months,
        [arrears::Parsed::Record(arrears::PriorDefault {
            employer: register.key("E,1\"").unwrap(),
            period: crate::support::june(),
        })]
    );
}
