use proptest::prelude::*;

use super::*;

#[test]
fn canonical_forms_round_trip() {
    for text in [
        "2025",
        "2025-Q3",
        "2025-09",
        "2026-02/3M",
        "1985-01",
        "2025/26",
        "1999/00",
    ] {
        assert_eq!(Period::parse(text).unwrap().to_string(), text);
    }
}

#[test]
fn rejects_malformed_periods() {
    for text in [
        "",
        "25",
        "2025-13",
        "2025-00",
        "2025-Q5",
        "2025-Q0",
        "2025-9",
        "2025/3M",
        "2025-Q3/3M",
        "abcd",
        "2025-09-01",
        "1700",
        "2025/27",
        "2025/6",
        "2025/3m",
    ] {
        assert!(Period::parse(text).is_err(), "{text} should not parse");
    }
}

#[test]
fn three_month_period_spans_year_end() {
    let period = Period::parse("2026-02/3M").unwrap();
    assert_eq!(period.start_date().to_string(), "2025-12-01");
    assert_eq!(period.end_date().to_string(), "2026-02-28");
    assert_eq!(period.label_en(), "Dec 2025–Feb 2026");
    assert_eq!(period.label_zh(), "2025年12月–2026年2月");
}

#[test]
fn csd_labels_become_periods() {
    let cases = [
        ("2025", "Sep", "2025-09"),
        ("2025", "Q4", "2025-Q4"),
        ("2025", "Jul - Sep", "2025-09/3M"),
        ("2026", "Dec - Feb", "2026-02/3M"),
        ("2024", "", "2024"),
        ("2024", "September", "2024-09"),
    ];
    for (year, label, expected) in cases {
        let period = Period::from_year_and_label(year, label).unwrap();
        assert_eq!(period.to_string(), expected);
    }
    assert!(Period::from_year_and_label("2024", "Sept-ish").is_err());
    assert!(Period::from_year_and_label("2024", "Jan - Feb").is_err());
}

#[test]
fn shift_moves_by_own_frequency() {
    let shifted = |text: &str, steps| {
        Period::parse(text)
            .unwrap()
            .shift(steps)
            .map(|period| period.to_string())
    };
    assert_eq!(shifted("2025-Q1", -1).as_deref(), Some("2024-Q4"));
    assert_eq!(shifted("2025-Q1", 4).as_deref(), Some("2026-Q1"));
    assert_eq!(shifted("2025-01", -12).as_deref(), Some("2024-01"));
    assert_eq!(shifted("2020", 5).as_deref(), Some("2025"));
    // Past the supported years there is no period.
    assert_eq!(shifted("2200-12", 1), None);
    assert_eq!(shifted("1800-Q1", -1), None);
}

#[test]
fn only_valid_periods_can_be_built() {
    assert!(
        Period::new(PeriodKind::Month {
            year: 2025,
            month: 13
        })
        .is_err()
    );
    assert!(
        Period::new(PeriodKind::Quarter {
            year: 2025,
            quarter: 0
        })
        .is_err()
    );
    assert!(Period::new(PeriodKind::Year(2999)).is_err());
    assert_eq!(
        Period::new(PeriodKind::Month {
            year: 2025,
            month: 9
        })
        .unwrap(),
        Period::parse("2025-09").unwrap()
    );
    // A date from a file in a year lmo does not support is refused, not stored.
    let far = crate::parse_date("2999-01-01").unwrap();
    assert!(Period::containing(far, Frequency::Monthly).is_err());
}

fn any_period() -> impl Strategy<Value = Period> {
    let year = 1900i16..2100;
    prop_oneof![
        year.clone().prop_map(PeriodKind::Year),
        (year.clone(), 1u8..=4).prop_map(|(year, quarter)| PeriodKind::Quarter { year, quarter }),
        (year.clone(), 1u8..=12).prop_map(|(year, month)| PeriodKind::Month { year, month }),
        (year.clone(), 1u8..=12)
            .prop_map(|(year, month)| PeriodKind::ThreeMonthsEnding { year, month }),
        year.prop_map(|first_year| PeriodKind::FiscalYear { first_year }),
    ]
    .prop_map(|kind| Period::new(kind).unwrap())
}

proptest! {
    #[test]
    fn display_then_parse_is_identity(period in any_period()) {
        prop_assert_eq!(Period::parse(&period.to_string()).unwrap(), period);
    }

    #[test]
    fn parse_never_panics(text in "\\PC{0,12}") {
        let _ = Period::parse(&text);
    }

    #[test]
    fn shift_is_invertible_and_ordered(period in any_period(), steps in 1i32..40) {
        let later = period.shift(steps).unwrap();
        prop_assert_eq!(later.shift(-steps), Some(period));
        prop_assert!(later > period);
        prop_assert!(period.start_date() <= period.end_date());
    }
}

#[test]
fn a_quarter_and_its_last_month_are_aliases() {
    let alias = |text: &str| {
        Period::parse(text)
            .unwrap()
            .quarter_alias()
            .map(|p| p.to_string())
    };
    assert_eq!(alias("2025-Q3").as_deref(), Some("2025-09"));
    assert_eq!(alias("2025-09").as_deref(), Some("2025-Q3"));
    assert_eq!(alias("2025-Q1").as_deref(), Some("2025-03"));
    assert_eq!(alias("2025-08"), None);
    assert_eq!(alias("2025"), None);
    assert_eq!(alias("2025-09/3M"), None);
}

#[test]
fn a_fiscal_year_runs_from_april_to_march() {
    let year = Period::parse("2025/26").unwrap();
    assert_eq!(year.start_date().to_string(), "2025-04-01");
    assert_eq!(year.end_date().to_string(), "2026-03-31");
    assert_eq!(year.frequency(), Frequency::Annual);
    assert_eq!(year.shift(-1).unwrap().to_string(), "2024/25");
    assert_eq!(year.label_zh(), "2025/26年度");
    assert!(year > Period::parse("2025").unwrap());
}
