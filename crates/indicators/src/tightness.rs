//! Labour-market tightness: vacancy rate, vacancies per unemployed person, Beveridge curve.
//!
//! Two series are aligned on the last month of their periods, so a C&SD quarterly survey
//! labelled `2025-09` meets the 3-month moving period Jul–Sep 2025 (`2025-09/3M`).

use domain::Period;

use crate::{IndicatorError, TimeSeries};

/// Method id of [`vacancy_rate`].
pub const VACANCY_RATE: &str = "vacancy_rate/1";
/// Method id of [`vacancies_per_unemployed`].
pub const VACANCIES_PER_UNEMPLOYED: &str = "vacancies_per_unemployed/1";
/// Method id of [`beveridge_curve`].
pub const BEVERIDGE_CURVE: &str = "beveridge/1";

/// C&SD vacancy rate in %: vacancies over job opportunities (persons engaged + vacancies),
/// `100 V / (V + E)`. No point where either is missing or both are zero.
pub fn vacancy_rate(
    vacancies: &TimeSeries,
    persons_engaged: &TimeSeries,
) -> Result<TimeSeries, IndicatorError> {
    combine(vacancies, persons_engaged, |v, e| {
        let opportunities = v + e;
        (opportunities != 0.0).then(|| 100.0 * v / opportunities)
    })
}

/// Vacancies per unemployed person (the mainland's 求人倍率). Both series must be in the
/// same unit (persons, or both in thousands). No point where unemployment is zero.
pub fn vacancies_per_unemployed(
    vacancies: &TimeSeries,
    unemployed: &TimeSeries,
) -> Result<TimeSeries, IndicatorError> {
    combine(vacancies, unemployed, |v, u| (u != 0.0).then(|| v / u))
}

/// One point of a Beveridge curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BeveridgePoint {
    pub period: Period,
    /// Unemployment rate, %: the x axis.
    pub unemployment_rate: f64,
    /// Vacancy rate, %: the y axis.
    pub vacancy_rate: f64,
}

/// Beveridge-curve points (unemployment rate, vacancy rate) for every period both have,
/// labelled with the vacancy series' period. The unemployment rate may be a 3-month moving
/// series and the vacancy rate quarterly: they meet where their periods end together.
pub fn beveridge_curve(
    unemployment_rate: &TimeSeries,
    vacancy_rate: &TimeSeries,
) -> Vec<BeveridgePoint> {
    vacancy_rate
        .points()
        .iter()
        .filter_map(|&(period, vacancy_rate)| {
            Some(BeveridgePoint {
                period,
                unemployment_rate: unemployment_rate.get(period)?,
                vacancy_rate,
            })
        })
        .collect()
}

/// Applies `f` to the values of `left` and `right` that share an end month, labelled with
/// `left`'s periods. Both must have one frequency, or the result would mix grids.
pub(crate) fn combine(
    left: &TimeSeries,
    right: &TimeSeries,
    f: impl Fn(f64, f64) -> Option<f64>,
) -> Result<TimeSeries, IndicatorError> {
    if left.frequency() != right.frequency() {
        return Err(IndicatorError::FrequencyMismatch(
            left.frequency(),
            right.frequency(),
        ));
    }
    let points = left
        .points()
        .iter()
        .filter_map(|&(period, value)| Some((period, f(value, right.get(period)?)?)));
    Ok(TimeSeries::derived(
        left.frequency(),
        points.collect::<Vec<_>>(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Frequency;

    fn quarterly(values: &[(&str, f64)]) -> TimeSeries {
        let points = values
            .iter()
            .map(|(period, value)| (Period::parse(period).unwrap(), *value))
            .collect();
        TimeSeries::new(Frequency::Quarterly, points).unwrap()
    }

    #[test]
    fn zero_denominators_give_no_point() {
        let v = quarterly(&[("2025-03", 0.0), ("2025-06", 10.0)]);
        let zero = quarterly(&[("2025-03", 0.0), ("2025-06", 0.0)]);
        let rate = vacancy_rate(&v, &zero).unwrap();
        assert_eq!(rate.points(), &[(Period::parse("2025-06").unwrap(), 100.0)]);
        assert!(vacancies_per_unemployed(&v, &zero).unwrap().is_empty());
    }

    #[test]
    fn frequencies_must_agree() {
        let v = quarterly(&[("2025-03", 1.0)]);
        let monthly = TimeSeries::from_periods(vec![(Period::parse("2025-03").unwrap(), 1.0)]);
        assert!(vacancy_rate(&v, &monthly.unwrap()).is_err());
    }
}
