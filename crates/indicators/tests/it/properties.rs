//! Properties users rely on, checked on generated inputs.

use domain::{Frequency, Period};
use indicators::{IndicatorError, TimeSeries, mismatch_index, moving_average_3, yoy_pct};
use proptest::prelude::*;

/// 1–8 sectors of (vacancies, unemployed) counts, zeros included.
fn sectors() -> impl Strategy<Value = Vec<(f64, f64)>> {
    prop::collection::vec(
        (
            prop_oneof![Just(0.0), 0.0..1e6_f64],
            prop_oneof![Just(0.0), 0.0..1e6_f64],
        ),
        1..8,
    )
}

proptest! {
    #[test]
    fn mismatch_is_between_zero_and_one(sectors in sectors(), alpha in 0.05..0.95_f64) {
        let (v, u): (Vec<f64>, Vec<f64>) = sectors.into_iter().unzip();
        if let Some(m) = mismatch_index(&v, &u, alpha).unwrap() {
            prop_assert!((0.0..=1.0).contains(&m), "{m}");
        } else {
            prop_assert!(v.iter().sum::<f64>() == 0.0 || u.iter().sum::<f64>() == 0.0);
        }
    }

    #[test]
    fn mismatch_is_zero_when_shares_are_equal(
        counts in prop::collection::vec(1.0..1e5_f64, 1..8),
        ratio in 0.01..100.0_f64,
        alpha in 0.05..0.95_f64,
    ) {
        let unemployed: Vec<f64> = counts.iter().map(|count| count * ratio).collect();
        let m = mismatch_index(&counts, &unemployed, alpha).unwrap().unwrap();
        prop_assert!(m < 1e-12, "{m}");
    }

    #[test]
    fn mismatch_is_scale_invariant(
        sectors in sectors(),
        scale in 1e-3..1e3_f64,
        alpha in 0.05..0.95_f64,
    ) {
        let (v, u): (Vec<f64>, Vec<f64>) = sectors.into_iter().unzip();
        let base = mismatch_index(&v, &u, alpha).unwrap();
        let scaled_v: Vec<f64> = v.iter().map(|x| x * scale).collect();
        let scaled_u: Vec<f64> = u.iter().map(|x| x * scale).collect();
        for other in [
            mismatch_index(&scaled_v, &u, alpha).unwrap(),
            mismatch_index(&v, &scaled_u, alpha).unwrap(),
        ] {
            match (base, other) {
                (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-12, "{a} {b}"),
                (a, b) => prop_assert_eq!(a, b),
            }
        }
    }

    /// Whatever order the points come in, the series and its transforms are the same.
    #[test]
    fn input_order_does_not_matter(
        values in prop::collection::vec(-100.0..100.0_f64, 0..40),
        rotate in 0..40_usize,
    ) {
        let start = Period::parse("2019-01").unwrap();
        let points: Vec<(Period, f64)> =
            values.iter().enumerate().map(|(i, v)| (start.shift(i as i32).unwrap(), *v)).collect();
        let mut shuffled = points.clone();
        if !shuffled.is_empty() {
            let by = rotate % shuffled.len();
            shuffled.rotate_left(by);
            shuffled.reverse();
        }
        let a = TimeSeries::new(Frequency::Monthly, points).unwrap();
        let b = TimeSeries::new(Frequency::Monthly, shuffled).unwrap();
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(moving_average_3(&a), moving_average_3(&b));
        prop_assert_eq!(yoy_pct(&a), yoy_pct(&b));
        for (_, value) in yoy_pct(&a).points() {
            prop_assert!(value.is_finite());
        }
    }
}

#[test]
fn bad_series_are_refused() {
    let march = Period::parse("2020-03").unwrap();
    let april = Period::parse("2020-04").unwrap();
    let q1 = Period::parse("2020-Q1").unwrap();
    assert_eq!(
        TimeSeries::new(Frequency::Monthly, vec![(march, 1.0), (march, 2.0)]),
        Err(IndicatorError::DuplicatePeriod(march))
    );
    assert_eq!(
        TimeSeries::new(Frequency::Monthly, vec![(march, f64::NAN)]),
        Err(IndicatorError::NotFinite(march))
    );
    // A quarterly series labelled with months must use quarter-end months.
    assert!(TimeSeries::new(Frequency::Quarterly, vec![(march, 1.0)]).is_ok());
    assert!(matches!(
        TimeSeries::new(Frequency::Quarterly, vec![(april, 1.0)]),
        Err(IndicatorError::OffGrid { .. })
    ));
    assert!(matches!(
        TimeSeries::new(Frequency::Monthly, vec![(q1, 1.0)]),
        Err(IndicatorError::OffGrid { .. })
    ));
    assert_eq!(
        TimeSeries::new(
            Frequency::Quarterly,
            vec![(march, 1.0), (q1.shift(1).unwrap(), 2.0)]
        ),
        Err(IndicatorError::MixedPeriods(q1.shift(1).unwrap()))
    );
}
