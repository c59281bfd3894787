//! Employment climate index (就業景氣指數), two ways: Conference Board ETI style and
//! Kansas City Fed LMCI style.

use std::collections::BTreeMap;

use domain::{Direction, Period};

use crate::error::parameter;
use crate::transforms::{check_same_frequency, mean_sd};
use crate::{IndicatorError, TimeSeries};

/// Method id of [`eti`].
pub const ETI: &str = "eti/1";
/// Method id of [`lmci`].
pub const LMCI: &str = "lmci/1";

/// Power iteration stops when successive unit vectors differ by less than this (max norm).
pub const PCA_TOLERANCE: f64 = 1e-12;
/// Power iteration gives up after this many steps (the two largest eigenvalues are then too
/// close for a first principal component to mean anything).
pub const PCA_MAX_ITERATIONS: usize = 100_000;

/// One input of a climate index.
#[derive(Debug, Clone, PartialEq)]
pub struct ClimateComponent {
    /// A label for tables (usually the series id).
    pub name: String,
    pub series: TimeSeries,
    /// Which way is good news. `Neutral` is refused: an index must know.
    pub direction: Direction,
}

fn orientation(component: &ClimateComponent) -> Result<f64, IndicatorError> {
    match component.direction {
        Direction::HigherIsBetter => Ok(1.0),
        Direction::HigherIsWorse => Ok(-1.0),
        Direction::Neutral => Err(parameter(
            "direction",
            format!(
                "component {} is neutral; say whether higher is better or worse",
                component.name
            ),
        )),
    }
}

/// Options of [`eti`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EtiOptions {
    /// First and last period (inclusive, by end month) of the window over which the
    /// standard deviations behind the weights are estimated; `None` = all common periods.
    /// Fix it when publishing, or every new period moves the weights of the past.
    pub estimation_window: Option<(Period, Period)>,
    /// The index averages 100 over the periods of this calendar year.
    pub base_year: i16,
}

/// One row of the contribution table: what moved the index in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub period: Period,
    /// `w_i c_{i,t}` per component, in the order the components were given; they add up to
    /// the composite change `i_t`.
    pub by_component: Vec<f64>,
}

/// An ETI-style index and how it was built.
#[derive(Debug, Clone, PartialEq)]
pub struct Eti {
    /// Weights per component (input order), summing to 1.
    pub weights: Vec<f64>,
    /// Composite symmetric change `i_t = Σ w_i c_{i,t}`.
    pub composite_change: TimeSeries,
    /// `I_t = I_{t−1} (200 + i_t) / (200 − i_t)`, averaging 100 in the base year.
    pub index: TimeSeries,
    pub contributions: Vec<Contribution>,
}

/// Conference Board ETI-style composite index.
///
/// Per component the symmetric change `c_t = 200 (x_t − x_{t−1}) / (x_t + x_{t−1})`, sign
/// flipped where higher is worse; weights `w_i ∝ 1 / sd(c_i)` over the estimation window,
/// normalised to 1; composite `i_t = Σ w_i c_{i,t}`; index chained by
/// `I_t = I_{t−1} (200 + i_t) / (200 − i_t)` and rebased to average 100 in the base year.
///
/// Only periods where every component has a change enter, since a missing component would
/// shift the weights; the index chains over the latest unbroken run of such periods (it
/// cannot be chained across a hole, and the latest run holds the current reading).
pub fn eti(components: &[ClimateComponent], options: &EtiOptions) -> Result<Eti, IndicatorError> {
    let series: Vec<TimeSeries> = components.iter().map(|c| c.series.clone()).collect();
    check_same_frequency(&series)?;
    let Some(first) = series.first() else {
        return Err(parameter("components", "an index needs at least one"));
    };
    let frequency = first.frequency();
    let step = first.frequency().step_months();
    let mut changes = Vec::with_capacity(components.len());
    for component in components {
        let sign = orientation(component)?;
        changes.push(symmetric_changes(&component.series, sign));
    }
    let common = common_periods(&changes);
    // The latest unbroken run of common periods: one chain, no holes, and the current
    // reading (what reports show) is always in it.
    let run_start = (1..common.len())
        .rev()
        .find(|&index| {
            common[index].end_month_index() - common[index - 1].end_month_index() != step
        })
        .unwrap_or(0);
    let run = &common[run_start..];
    if run.is_empty() {
        return Err(parameter(
            "components",
            "no period where every component has a change from the period before",
        ));
    }

    let window = |period: &Period| {
        options.estimation_window.is_none_or(|(from, to)| {
            (from.end_month_index()..=to.end_month_index()).contains(&period.end_month_index())
        })
    };
    let mut inverse_sd = Vec::with_capacity(components.len());
    for (component, change) in components.iter().zip(&changes) {
        let values: Vec<f64> = run
            .iter()
            .filter(|period| window(period))
            .filter_map(|period| value_at(change, *period))
            .collect();
        let Some((_, sd)) = mean_sd(&values) else {
            return Err(IndicatorError::TooShort {
                needed: 2,
                got: values.len(),
            });
        };
        if sd <= 0.0 {
            return Err(parameter(
                "components",
                format!("{} never changes in the estimation window", component.name),
            ));
        }
        inverse_sd.push(1.0 / sd);
    }
    let total: f64 = inverse_sd.iter().sum();
    let weights: Vec<f64> = inverse_sd.iter().map(|x| x / total).collect();

    let mut contributions = Vec::with_capacity(run.len());
    let mut composite = Vec::with_capacity(run.len());
    // The level before the first change is the chain's starting point.
    // Labelled as the first series labels it, so month-labelled quarters stay months.
    let start = match first.position(run[0].end_month_index() - step) {
        Some(index) => first.points()[index].0,
        None => run[0].shift(-1).ok_or(IndicatorError::Gap(run[0]))?,
    };
    let mut levels = vec![(start, 100.0)];
    let mut level = 100.0;
    for period in run {
        let by_component: Vec<f64> = changes
            .iter()
            .zip(&weights)
            .map(|(change, weight)| weight * value_at(change, *period).unwrap_or(0.0))
            .collect();
        let i_t: f64 = by_component.iter().sum();
        // |c| ≤ 200 for positive inputs; beyond that the chain formula flips sign.
        if i_t.abs() >= 200.0 {
            return Err(parameter(
                "components",
                format!("composite change {i_t} at {period} is outside (−200, 200)"),
            ));
        }
        level *= (200.0 + i_t) / (200.0 - i_t);
        levels.push((*period, level));
        composite.push((*period, i_t));
        contributions.push(Contribution {
            period: *period,
            by_component,
        });
    }
    let base: Vec<f64> = levels
        .iter()
        .filter(|(period, _)| period.end_date().year() == options.base_year)
        .map(|(_, level)| *level)
        .collect();
    if base.is_empty() {
        return Err(parameter(
            "base_year",
            format!("the index has no value in {}", options.base_year),
        ));
    }
    let base_mean = base.iter().sum::<f64>() / base.len() as f64;
    let index = levels
        .into_iter()
        .map(|(period, level)| (period, 100.0 * level / base_mean));
    Ok(Eti {
        weights,
        composite_change: TimeSeries::derived(frequency, composite),
        index: TimeSeries::derived(frequency, index.collect::<Vec<_>>()),
        contributions,
    })
}

/// Signed symmetric % changes keyed by end month, with the period label kept.
fn symmetric_changes(series: &TimeSeries, sign: f64) -> BTreeMap<i32, (Period, f64)> {
    let mut changes = BTreeMap::new();
    for index in 0..series.len() {
        let (period, value) = series.points()[index];
        let Some(previous) = series.lagged(index, 1) else {
            continue;
        };
        let sum = value + previous;
        if sum != 0.0 {
            changes.insert(
                period.end_month_index(),
                // `+ 0.0` turns the −0.0 of a flipped zero change into 0.0.
                (period, sign * 200.0 * (value - previous) / sum + 0.0),
            );
        }
    }
    changes
}

/// The value of a keyed series at the period ending in the same month as `period`.
fn value_at(map: &BTreeMap<i32, (Period, f64)>, period: Period) -> Option<f64> {
    map.get(&period.end_month_index()).map(|(_, value)| *value)
}

/// Periods (labelled by the first map) present in every map.
fn common_periods(maps: &[BTreeMap<i32, (Period, f64)>]) -> Vec<Period> {
    let Some(first) = maps.first() else {
        return Vec::new();
    };
    first
        .iter()
        .filter(|(end, _)| maps.iter().all(|map| map.contains_key(end)))
        .map(|(_, (period, _))| *period)
        .collect()
}

/// An LMCI-style index pair and its loadings.
#[derive(Debug, Clone, PartialEq)]
pub struct Lmci {
    /// First principal component of the standardised levels, in standard deviations of
    /// itself: 0 is the historical average, positive is better than average.
    pub level: TimeSeries,
    /// The same for the standardised 12-month changes.
    pub momentum: TimeSeries,
    /// Loadings (unit vector, input order) of the level and momentum components.
    pub level_loadings: Vec<f64>,
    pub momentum_loadings: Vec<f64>,
}

/// Kansas City Fed LMCI-style level and momentum indicators.
///
/// Components are aligned on the periods all of them have (by end month), standardised to
/// mean 0 and standard deviation 1 over those periods, and reduced to their first principal
/// component: the leading eigenvector of their correlation matrix, found by power iteration
/// from the vector `(1, 2, …, k)` normalised (deterministic, and not orthogonal to a
/// leading vector of mostly same-signed loadings) until successive vectors differ by less
/// than [`PCA_TOLERANCE`]. The sign is chosen so that the loadings, counted `+` for
/// higher-is-better and `−` for higher-is-worse components, sum to a positive number: a
/// higher index is a better labour market. Momentum does the same with 12-month changes
/// `x_t − x_{t−12 months}`.
pub fn lmci(components: &[ClimateComponent]) -> Result<Lmci, IndicatorError> {
    let series: Vec<TimeSeries> = components.iter().map(|c| c.series.clone()).collect();
    check_same_frequency(&series)?;
    if components.len() < 2 {
        return Err(parameter(
            "components",
            "a principal component needs at least 2",
        ));
    }
    let signs: Vec<f64> = components
        .iter()
        .map(orientation)
        .collect::<Result<_, _>>()?;
    let frequency = series[0].frequency();
    let levels: Vec<BTreeMap<i32, (Period, f64)>> = series
        .iter()
        .map(|s| {
            s.points()
                .iter()
                .map(|&(period, value)| (period.end_month_index(), (period, value)))
                .collect()
        })
        .collect();
    let changes: Vec<BTreeMap<i32, (Period, f64)>> = series
        .iter()
        .map(|s| {
            s.points()
                .iter()
                .filter_map(|&(period, value)| {
                    let before = s.at_end_month(period.end_month_index() - 12)?;
                    Some((period.end_month_index(), (period, value - before)))
                })
                .collect()
        })
        .collect();
    let (level, level_loadings) = first_component(components, &levels, &signs)?;
    let (momentum, momentum_loadings) = first_component(components, &changes, &signs)?;
    Ok(Lmci {
        level: TimeSeries::derived(frequency, level),
        momentum: TimeSeries::derived(frequency, momentum),
        level_loadings,
        momentum_loadings,
    })
}

type Scores = Vec<(Period, f64)>;

fn first_component(
    components: &[ClimateComponent],
    maps: &[BTreeMap<i32, (Period, f64)>],
    signs: &[f64],
) -> Result<(Scores, Vec<f64>), IndicatorError> {
    let periods = common_periods(maps);
    let k = maps.len();
    // Standardised columns, one per component.
    let mut columns = Vec::with_capacity(k);
    for (component, map) in components.iter().zip(maps) {
        let values: Vec<f64> = periods
            .iter()
            .filter_map(|period| value_at(map, *period))
            .collect();
        let Some((mean, sd)) = mean_sd(&values) else {
            return Err(IndicatorError::TooShort {
                needed: 2,
                got: values.len(),
            });
        };
        if sd <= 0.0 {
            return Err(parameter(
                "components",
                format!("{} is constant over the common periods", component.name),
            ));
        }
        columns.push(values.iter().map(|x| (x - mean) / sd).collect::<Vec<f64>>());
    }
    let n = periods.len() as f64;
    let correlation: Vec<Vec<f64>> = (0..k)
        .map(|a| {
            (0..k)
                .map(|b| {
                    columns[a]
                        .iter()
                        .zip(&columns[b])
                        .map(|(x, y)| x * y)
                        .sum::<f64>()
                        / (n - 1.0)
                })
                .collect()
        })
        .collect();
    let (eigenvalue, mut loadings) = leading_eigenvector(&correlation)?;
    let orientation: f64 = loadings.iter().zip(signs).map(|(l, s)| l * s).sum();
    if orientation < 0.0 {
        for loading in &mut loadings {
            *loading = -*loading;
        }
    }
    let scale = eigenvalue.sqrt();
    let scores = periods
        .iter()
        .enumerate()
        .map(|(row, period)| {
            let score: f64 = columns
                .iter()
                .zip(&loadings)
                .map(|(column, loading)| column[row] * loading)
                .sum();
            (*period, score / scale)
        })
        .collect();
    Ok((scores, loadings))
}

/// Leading eigenpair of a symmetric positive semi-definite matrix by power iteration.
///
/// Refuses a matrix whose two largest eigenvalues are (nearly) equal, found by deflation:
/// its "first principal component" would be an arbitrary direction.
pub(crate) fn leading_eigenvector(matrix: &[Vec<f64>]) -> Result<(f64, Vec<f64>), IndicatorError> {
    let no_dominant = || {
        parameter(
            "components",
            "no dominant principal component (the two largest eigenvalues are equal)",
        )
    };
    let k = matrix.len();
    let start: Vec<f64> = (1..=k).map(|i| i as f64).collect();
    let (value, vector) = power_iteration(matrix, start).ok_or_else(no_dominant)?;
    if value <= f64::EPSILON {
        return Err(parameter("components", "their correlation matrix is zero"));
    }
    let deflated: Vec<Vec<f64>> = matrix
        .iter()
        .enumerate()
        .map(|(a, row)| {
            row.iter()
                .enumerate()
                .map(|(b, x)| x - value * vector[a] * vector[b])
                .collect()
        })
        .collect();
    // A second eigenvalue within 1e-9 of the first: no unique leading direction. (If the
    // deflated iteration does not converge, its own top two tie, which is harmless here.)
    // It starts from the unit vector where the leading one is smallest, which is never
    // parallel to it (for k ≥ 2), so deflation cannot have zeroed the start.
    let smallest = (0..k)
        .min_by(|&a, &b| vector[a].abs().total_cmp(&vector[b].abs()))
        .unwrap_or(0);
    let start: Vec<f64> = (0..k)
        .map(|i| if i == smallest { 1.0 } else { 0.0 })
        .collect();
    if let Some((second, _)) = power_iteration(&deflated, start)
        && second >= value * (1.0 - 1e-9)
    {
        return Err(no_dominant());
    }
    Ok((value, vector))
}

/// Power iteration from `start`; `None` when it does not converge within
/// [`PCA_MAX_ITERATIONS`]. A matrix that maps the vector to zero gives eigenvalue 0.
fn power_iteration(matrix: &[Vec<f64>], start: Vec<f64>) -> Option<(f64, Vec<f64>)> {
    let mut vector = start;
    normalise(&mut vector);
    for _ in 0..PCA_MAX_ITERATIONS {
        let mut next: Vec<f64> = matrix
            .iter()
            .map(|row| row.iter().zip(&vector).map(|(a, b)| a * b).sum())
            .collect();
        let norm = normalise(&mut next);
        if norm <= f64::EPSILON {
            return Some((0.0, vector));
        }
        let moved = next
            .iter()
            .zip(&vector)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        vector = next;
        if moved < PCA_TOLERANCE {
            return Some((norm, vector));
        }
    }
    None
}

fn normalise(vector: &mut [f64]) -> f64 {
    let norm = vector.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        for x in vector.iter_mut() {
            *x /= norm;
        }
    }
    norm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn power_iteration_finds_the_leading_eigenvector() {
        // Eigenvalues 1.8 and 0.2; leading eigenvector (1, 1)/√2.
        let (value, vector) = leading_eigenvector(&[vec![1.0, 0.8], vec![0.8, 1.0]]).unwrap();
        assert!((value - 1.8).abs() < 1e-12);
        let half = 0.5_f64.sqrt();
        assert!((vector[0] - half).abs() < 1e-12 && (vector[1] - half).abs() < 1e-12);
        // Perfect negative correlation: (1, −1)/√2, which a start of (1, 1) would miss.
        let (value, vector) = leading_eigenvector(&[vec![1.0, -1.0], vec![-1.0, 1.0]]).unwrap();
        assert!((value - 2.0).abs() < 1e-12);
        assert!((vector[0] + vector[1]).abs() < 1e-12);
        // Equal eigenvalues: no dominant direction.
        assert!(leading_eigenvector(&[vec![1.0, 0.0], vec![0.0, 1.0]]).is_err());
    }
}
