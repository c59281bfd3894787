//! MPF mandatory contributions of a monthly-paid employee.

use std::fmt::Write as _;

use expect_test::expect;
use labour_law::{LabourLawError, Money, MpfContributions, Parameters};
use proptest::prelude::*;

use crate::date;

fn contributions(income: Money) -> MpfContributions {
    Parameters::hong_kong()
        .mpf_mandatory_contributions(date("2025-06-01"), income)
        .unwrap()
}

#[test]
fn contributions_by_relevant_income() {
    let mut table = String::from("relevant income → employer, employee\n");
    for income in [
        "0", "0.09", "0.10", "0.19", "0.30", "1000", "7099.99", "7100", "7100.10", "7100.30",
        "10000", "12345.67", "29999.99", "30000", "30000.01", "45000", "1000000",
    ] {
        let c = contributions(Money::parse(income).unwrap());
        writeln!(table, "{income:>10} → {:>8}, {:>8}", c.employer, c.employee).unwrap();
    }
    expect![[r#"
        relevant income → employer, employee
                 0 →     0.00,     0.00
              0.09 →     0.00,     0.00
              0.10 →     0.01,     0.00
              0.19 →     0.01,     0.00
              0.30 →     0.02,     0.00
              1000 →    50.00,     0.00
           7099.99 →   355.00,     0.00
              7100 →   355.00,   355.00
           7100.10 →   355.01,   355.01
           7100.30 →   355.02,   355.02
             10000 →   500.00,   500.00
          12345.67 →   617.28,   617.28
          29999.99 →  1500.00,  1500.00
             30000 →  1500.00,  1500.00
          30000.01 →  1500.00,  1500.00
             45000 →  1500.00,  1500.00
           1000000 →  1500.00,  1500.00
    "#]]
    .assert_eq(&table);
}

#[test]
fn totals_and_errors() {
    let hk = Parameters::hong_kong();
    let at_cap = hk
        .mpf_mandatory_contributions(date("2025-06-01"), Money::parse("30000").unwrap())
        .unwrap();
    assert_eq!(at_cap.total(), Money::parse("3000").unwrap());
    assert!(matches!(
        hk.mpf_mandatory_contributions(date("2025-06-01"), Money::from_cents(-1)),
        Err(LabourLawError::Negative { .. })
    ));
    // The HK$30,000 cap is sourced from contribution periods beginning 1 June 2014 only.
    assert_eq!(
        hk.mpf_mandatory_contributions(date("2014-05-01"), Money::parse("20000").unwrap())
            .unwrap_err()
            .to_string(),
        "no value of mpf_relevant_income_max for 2014-05-01: the table starts on 2014-06-01"
    );
    assert!(
        hk.mpf_mandatory_contributions(date("2014-06-01"), Money::parse("20000").unwrap())
            .is_ok()
    );
}

#[test]
fn surcharge_is_five_percent_of_arrears() {
    let hk = Parameters::hong_kong();
    let surcharge = |text| {
        hk.mpf_surcharge(date("2025-07-10"), Money::parse(text).unwrap())
            .unwrap()
            .to_string()
    };
    assert_eq!(surcharge("3000"), "150.00");
    assert_eq!(surcharge("355.10"), "17.76");
    assert!(
        hk.mpf_surcharge(date("2025-07-10"), Money::from_cents(-1))
            .is_err()
    );
}

proptest! {
    #[test]
    fn never_above_the_cap(cents in 0_i64..10_000_000_000) {
        let cap = Money::parse("1500").unwrap();
        let c = contributions(Money::from_cents(cents));
        prop_assert!(c.employer <= cap && c.employee <= cap);
        prop_assert!(c.employer >= Money::ZERO && c.employee >= Money::ZERO);
    }

    #[test]
    fn monotone_in_income(low in 0_i64..5_000_000, step in 0_i64..5_000_000) {
        let lower = contributions(Money::from_cents(low));
        let higher = contributions(Money::from_cents(low + step));
        prop_assert!(lower.employer <= higher.employer);
        prop_assert!(lower.employee <= higher.employee);
    }

    #[test]
    fn employer_pays_at_least_the_employee(cents in 0_i64..10_000_000_000) {
        let c = contributions(Money::from_cents(cents));
        prop_assert!(c.employer >= c.employee);
        if cents >= 710_000 {
            prop_assert_eq!(c.employer, c.employee);
        } else {
            prop_assert_eq!(c.employee, Money::ZERO);
        }
    }
}
