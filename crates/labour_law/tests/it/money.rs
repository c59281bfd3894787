//! `Money` and `Percent`: exact parsing, display and rounding.

use labour_law::{LabourLawError, Money, Percent};
use proptest::prelude::*;

#[test]
fn money_parses_two_decimals_or_none() {
    let cases = [
        ("1234.56", 123_456),
        ("1234", 123_400),
        ("0.05", 5),
        ("0", 0),
        (" 7100.00 ", 710_000),
        ("-12.30", -1_230),
        ("007", 700),
    ];
    for (text, cents) in cases {
        assert_eq!(Money::parse(text).unwrap().cents(), cents, "{text}");
    }
}

#[test]
fn money_rejects_other_shapes() {
    for text in [
        "",
        "-",
        "12.5",
        "12.345",
        "1,234.00",
        "1e3",
        "+5",
        ".50",
        "5.",
        "HK$5",
        "12.3a",
        "--1",
        "99999999999999999999",
    ] {
        assert!(
            matches!(Money::parse(text), Err(LabourLawError::Money(_))),
            "{text:?} parsed"
        );
    }
}

#[test]
fn money_parse_non_negative_rejects_negatives_only() {
    assert_eq!(
        Money::parse_non_negative("-0.01").unwrap_err().to_string(),
        "the amount is negative (-0.01)"
    );
    assert_eq!(Money::parse_non_negative("-0.00").unwrap(), Money::ZERO);
    assert_eq!(Money::parse_non_negative("0.01").unwrap().cents(), 1);
}

#[test]
fn money_displays_with_two_decimals() {
    assert_eq!(Money::from_cents(123_456).to_string(), "1234.56");
    assert_eq!(Money::from_cents(-5).to_string(), "-0.05");
    assert_eq!(
        Money::from_cents(i64::MIN).to_string(),
        "-92233720368547758.08"
    );
    assert_eq!(
        format!("{:?}", Money::from_cents(150_000)),
        "Money(1500.00)"
    );
}

#[test]
fn percent_rounds_halves_up_to_the_cent() {
    let five = Percent::parse("5").unwrap();
    // 5% of 0.10 is exactly half a cent: rounds up.
    assert_eq!(Money::from_cents(10).percent(five).cents(), 1);
    assert_eq!(Money::from_cents(9).percent(five).cents(), 0);
    assert_eq!(Money::from_cents(-10).percent(five).cents(), -1);
    assert_eq!(
        Money::parse("30000").unwrap().percent(five),
        Money::parse("1500").unwrap()
    );
    assert_eq!(
        Money::from_cents(i64::MAX)
            .percent(Percent::parse("100").unwrap())
            .cents(),
        i64::MAX
    );
}

#[test]
fn percent_parses_zero_to_a_hundred() {
    assert_eq!(Percent::parse("5").unwrap().hundredths(), 500);
    assert_eq!(Percent::parse("2.50").unwrap().hundredths(), 250);
    assert_eq!(Percent::parse("100").unwrap().to_string(), "100.00%");
    for text in ["100.01", "-5", "5.5", "", "5%"] {
        assert!(Percent::parse(text).is_err(), "{text:?} parsed");
    }
}

proptest! {
    #[test]
    fn money_display_round_trips(cents in any::<i64>().prop_filter("i64::MIN has no positive twin", |c| *c != i64::MIN)) {
        let money = Money::from_cents(cents);
        prop_assert_eq!(Money::parse(&money.to_string()).unwrap(), money);
    }

    #[test]
    fn percent_is_within_half_a_cent_of_exact(cents in 0_i64..10_000_000_000, hundredths in 0_u32..=10_000) {
        let rate = Percent::from_hundredths(hundredths).unwrap();
        let rounded = i128::from(Money::from_cents(cents).percent(rate).cents());
        let exact_times_10000 = i128::from(cents) * i128::from(hundredths);
        // |rounded − exact| ≤ ½ cent, with ties going up.
        prop_assert!((rounded * 10_000 - exact_times_10000).abs() <= 5_000);
        prop_assert!(rounded * 10_000 - exact_times_10000 > -5_000 || hundredths == 0);
    }
}
