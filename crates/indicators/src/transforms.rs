//! Transforms of one series (moving average, year-on-year change, z-scores) and the
//! diffusion index across several.

use std::collections::BTreeMap;

use domain::Period;

use crate::error::parameter;
use crate::{IndicatorError, TimeSeries};

/// Method id of [`moving_average_3`].
pub const MOVING_AVERAGE_3: &str = "ma3/1";
/// Method id of [`yoy_pct`].
pub const YOY_PCT: &str = "yoy_pct/1";
/// Method id of [`zscore_trailing`].
pub const ZSCORE_TRAILING: &str = "zscore_trailing/1";
/// Method id of [`zscore_full`].
pub const ZSCORE_FULL: &str = "zscore_full/1";
/// Method id of [`diffusion_index`].
pub const DIFFUSION: &str = "diffusion/1";

/// Trailing 3-period moving average, labelled with the last period of the window.
///
/// A point is produced only where the two previous periods exist too, so a gap never
/// averages across missing months.
pub fn moving_average_3(series: &TimeSeries) -> TimeSeries {
    let points = (0..series.len()).filter_map(|index| {
        let (period, value) = series.points()[index];
        let &[(_, two), (_, one)] = series.previous(index, 2)? else {
            return None;
        };
        Some((period, (value + one + two) / 3.0))
    });
    TimeSeries::derived(series.frequency(), points.collect::<Vec<_>>())
}

/// Year-on-year % change: `100 (x_t / x_{t−12 months} − 1)`.
///
/// The comparison period is the one ending twelve months earlier, which is `shift(-12)` for
/// months and 3-month moving periods, `shift(-4)` for quarters, `shift(-1)` for years, and
/// also right for a quarterly series labelled with months (C&SD SEV). No point where the
/// year-earlier value is missing or zero.
pub fn yoy_pct(series: &TimeSeries) -> TimeSeries {
    let points = series
        .points()
        .iter()
        .enumerate()
        .filter_map(|(index, &(period, value))| {
            let before = series.months_before(index, 12)?;
            (before != 0.0).then(|| (period, 100.0 * (value / before - 1.0)))
        });
    TimeSeries::derived(series.frequency(), points.collect::<Vec<_>>())
}

/// Z-score of each value against the trailing window of `window` consecutive periods that
/// ends with it (the value itself included): `(x_t − mean) / sd`, sample standard deviation.
///
/// No point where the window is incomplete or has no spread. `window` must be at least 2.
pub fn zscore_trailing(series: &TimeSeries, window: usize) -> Result<TimeSeries, IndicatorError> {
    if window < 2 {
        return Err(parameter("window", "a z-score needs at least 2 periods"));
    }
    let span =
        i32::try_from(window - 1).map_err(|_| parameter("window", "longer than any series"))?;
    let values: Vec<f64> = series.values().collect();
    // Sorted and unique, so a window is consecutive exactly when it spans `span` steps.
    let window_ends: Vec<usize> = (window - 1..series.len())
        .filter(|&index| {
            let first = series.points()[index + 1 - window].0;
            let spanned = series.points()[index].0.end_month_index() - first.end_month_index();
            spanned == span * series.step()
        })
        .collect();
    let mut points = Vec::with_capacity(window_ends.len());
    let mut rest = window_ends.as_slice();
    while let [index, ..] = *rest {
        let first = index + 1 - window;
        // `LANES` windows ending at consecutive points (no gap, the usual case) go together.
        let interleaved;
        let single;
        let stats: &[(f64, f64)] = if rest.get(LANES - 1) == Some(&(index + LANES - 1)) {
            interleaved = mean_sd_interleaved(&values[first..index + LANES], window);
            &interleaved
        } else {
            single = mean_sd(&values[first..=index]);
            single.as_slice()
        };
        for (&(mean, sd), &index) in stats.iter().zip(rest) {
            let (period, value) = series.points()[index];
            if let Some(z) = zscore_of(value, mean, sd) {
                points.push((period, z));
            }
        }
        rest = &rest[stats.len().max(1)..];
    }
    Ok(TimeSeries::derived(series.frequency(), points))
}

/// Z-score of each value against the whole series (mean and sample standard deviation of
/// all its values); empty when the series has fewer than 2 points or no spread.
pub fn zscore_full(series: &TimeSeries) -> TimeSeries {
    let values: Vec<f64> = series.values().collect();
    let points = series
        .points()
        .iter()
        .filter_map(|&(period, value)| Some((period, zscore(value, &values)?)));
    TimeSeries::derived(series.frequency(), points.collect::<Vec<_>>())
}

/// Mean and sample standard deviation; `None` below 2 values.
pub(crate) fn mean_sd(values: &[f64]) -> Option<(f64, f64)> {
    if values.len() < 2 {
        return None;
    }
    let count = values.len() as f64;
    let mean = values.iter().sum::<f64>() / count;
    let squares: f64 = values.iter().map(|value| (value - mean).powi(2)).sum();
    Some((mean, (squares / (count - 1.0)).sqrt()))
}

/// Windows [`mean_sd_interleaved`] takes at once.
const LANES: usize = 4;

/// [`mean_sd`] of the `LANES` windows of `window` values that start at each of the first
/// `LANES` values, bit for bit: each window is summed alone and in order as there, but the
/// windows go side by side, so their additions overlap instead of each waiting on the one
/// before (a trailing z-score is mostly these sums).
fn mean_sd_interleaved(values: &[f64], window: usize) -> [(f64, f64); LANES] {
    let count = window as f64;
    let mut sums = [0.0; LANES];
    for position in 0..window {
        let side_by_side = &values[position..position + LANES];
        for lane in 0..LANES {
            sums[lane] += side_by_side[lane];
        }
    }
    let means = sums.map(|sum| sum / count);
    let mut squares = [0.0; LANES];
    for position in 0..window {
        let side_by_side = &values[position..position + LANES];
        for lane in 0..LANES {
            squares[lane] += (side_by_side[lane] - means[lane]).powi(2);
        }
    }
    std::array::from_fn(|lane| (means[lane], (squares[lane] / (count - 1.0)).sqrt()))
}

fn zscore(value: f64, values: &[f64]) -> Option<f64> {
    let (mean, sd) = mean_sd(values)?;
    zscore_of(value, mean, sd)
}

fn zscore_of(value: f64, mean: f64, sd: f64) -> Option<f64> {
    // A flat window has no scale: any z would be noise from rounding.
    (sd > f64::EPSILON * mean.abs().max(1.0)).then(|| (value - mean) / sd)
}

/// Diffusion index: the share (0–100) of components that rose since their previous period,
/// a component that did not change counting half.
///
/// At each period only components with both this and the previous value take part; no
/// point where none does. Components must share one frequency. Sign conventions are the
/// caller's: flip a higher-is-worse component (e.g. negate it) before passing it if
/// "rising" should mean "improving".
pub fn diffusion_index(components: &[TimeSeries]) -> Result<TimeSeries, IndicatorError> {
    let Some(first) = components.first() else {
        return Ok(TimeSeries::derived(domain::Frequency::Monthly, Vec::new()));
    };
    check_same_frequency(components)?;
    // end month → (period label, score sum, components counted)
    let mut tally: BTreeMap<i32, (Period, f64, u32)> = BTreeMap::new();
    for component in components {
        for index in 0..component.len() {
            let (period, value) = component.points()[index];
            let Some(previous) = component.lagged(index, 1) else {
                continue;
            };
            let score = if value > previous {
                1.0
            } else if value < previous {
                0.0
            } else {
                0.5
            };
            let entry = tally
                .entry(period.end_month_index())
                .or_insert((period, 0.0, 0));
            entry.1 += score;
            entry.2 += 1;
        }
    }
    let points = tally
        .into_values()
        .map(|(period, sum, count)| (period, 100.0 * sum / f64::from(count)));
    Ok(TimeSeries::derived(
        first.frequency(),
        points.collect::<Vec<_>>(),
    ))
}

pub(crate) fn check_same_frequency(series: &[TimeSeries]) -> Result<(), IndicatorError> {
    if let Some(first) = series.first()
        && let Some(other) = series.iter().find(|s| s.frequency() != first.frequency())
    {
        return Err(IndicatorError::FrequencyMismatch(
            first.frequency(),
            other.frequency(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Frequency;

    fn monthly(start: &str, values: &[f64]) -> TimeSeries {
        let start = Period::parse(start).unwrap();
        let points = values
            .iter()
            .enumerate()
            .map(|(i, v)| (start.shift(i as i32).unwrap(), *v))
            .collect();
        TimeSeries::new(Frequency::Monthly, points).unwrap()
    }

    #[test]
    fn zscore_of_a_symmetric_window_is_centred() {
        let z = zscore_trailing(&monthly("2020-01", &[1.0, 2.0, 3.0]), 3).unwrap();
        assert_eq!(z.points(), &[(Period::parse("2020-03").unwrap(), 1.0)]);
        assert!(zscore_trailing(&monthly("2020-01", &[1.0]), 1).is_err());
    }

    #[test]
    fn flat_windows_give_no_zscore() {
        assert!(zscore_full(&monthly("2020-01", &[0.1, 0.1, 0.1])).is_empty());
    }

    #[test]
    fn mean_sd_is_the_sample_deviation() {
        let (mean, sd) = mean_sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        assert_eq!(mean, 5.0);
        assert!((sd - (32.0_f64 / 7.0).sqrt()).abs() < 1e-15);
    }
}
