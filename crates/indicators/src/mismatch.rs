//! Şahin–Song–Topa–Violante mismatch index (結構性失業指數).

use domain::Period;

use crate::error::parameter;
use crate::transforms::check_same_frequency;
use crate::{IndicatorError, TimeSeries};

/// Method id of [`mismatch_index`] and [`mismatch_series`].
pub const MISMATCH: &str = "sstv_mismatch/1";

/// The default elasticity of matches to vacancies.
pub const MISMATCH_ALPHA: f64 = 0.5;

/// `M = 1 − Σ_i (v_i / V)^α (u_i / U)^(1−α)` over sectors `i`: 0 when the unemployed sit
/// where the vacancies are, towards 1 as they sit apart.
///
/// A sector with no vacancies or no unemployed adds nothing to the sum. `Ok(None)` when
/// total vacancies `V` or total unemployed `U` is zero (no shares exist). Errors on slices
/// of different lengths, negative counts and `α` outside (0, 1).
pub fn mismatch_index(
    vacancies: &[f64],
    unemployed: &[f64],
    alpha: f64,
) -> Result<Option<f64>, IndicatorError> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(parameter("alpha", format!("{alpha} is not in (0, 1)")));
    }
    if vacancies.len() != unemployed.len() {
        return Err(parameter(
            "sectors",
            format!(
                "{} vacancy counts but {} unemployed counts",
                vacancies.len(),
                unemployed.len()
            ),
        ));
    }
    if let Some(bad) = vacancies
        .iter()
        .chain(unemployed)
        .find(|value| !(value.is_finite() && **value >= 0.0))
    {
        return Err(parameter(
            "counts",
            format!("{bad} is not a count (finite, not negative)"),
        ));
    }
    let total_v: f64 = vacancies.iter().sum();
    let total_u: f64 = unemployed.iter().sum();
    if total_v == 0.0 || total_u == 0.0 {
        return Ok(None);
    }
    let matched: f64 = vacancies
        .iter()
        .zip(unemployed)
        .filter(|(v, u)| **v > 0.0 && **u > 0.0)
        .map(|(v, u)| (v / total_v).powf(alpha) * (u / total_u).powf(1.0 - alpha))
        .sum();
    // By the weighted AM–GM inequality the sum is at most 1; rounding can overshoot by an ulp.
    Ok(Some((1.0 - matched).clamp(0.0, 1.0)))
}

/// [`mismatch_index`] per period over sectors given as (vacancies, unemployed) series.
///
/// A period is computed only when every sector has both values, since a missing sector
/// would silently change the shares; periods are labelled by the first vacancy series.
pub fn mismatch_series(
    sectors: &[(TimeSeries, TimeSeries)],
    alpha: f64,
) -> Result<TimeSeries, IndicatorError> {
    let all: Vec<TimeSeries> = sectors
        .iter()
        .flat_map(|(v, u)| [v.clone(), u.clone()])
        .collect();
    check_same_frequency(&all)?;
    let Some((first, _)) = sectors.first() else {
        mismatch_index(&[], &[], alpha)?;
        return Ok(TimeSeries::derived(domain::Frequency::Monthly, Vec::new()));
    };
    let mut points: Vec<(Period, f64)> = Vec::new();
    for period in first.periods() {
        let pairs: Option<Vec<(f64, f64)>> = sectors
            .iter()
            .map(|(v, u)| Some((v.get(period)?, u.get(period)?)))
            .collect();
        let Some(pairs) = pairs else { continue };
        let (v, u): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
        if let Some(m) = mismatch_index(&v, &u, alpha)? {
            points.push((period, m));
        }
    }
    Ok(TimeSeries::derived(first.frequency(), points))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_sectors_and_zero_totals() {
        // Sector 2 has vacancies but no unemployed: its term is 0.
        let m = mismatch_index(&[1.0, 1.0], &[2.0, 0.0], 0.5)
            .unwrap()
            .unwrap();
        assert!((m - (1.0 - 0.5_f64.sqrt())).abs() < 1e-15);
        assert_eq!(mismatch_index(&[0.0, 0.0], &[1.0, 2.0], 0.5).unwrap(), None);
        assert_eq!(mismatch_index(&[1.0], &[0.0], 0.5).unwrap(), None);
        assert!(mismatch_index(&[1.0], &[1.0, 2.0], 0.5).is_err());
        assert!(mismatch_index(&[1.0], &[1.0], 1.0).is_err());
        assert!(mismatch_index(&[-1.0], &[1.0], 0.5).is_err());
    }

    #[test]
    fn complete_separation_is_one() {
        let m = mismatch_index(&[5.0, 0.0], &[0.0, 7.0], 0.3).unwrap();
        assert_eq!(m, Some(1.0));
    }
}
