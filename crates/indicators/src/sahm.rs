//! Sahm-type recession trigger and its breadth across components (industries, regions).

use domain::Period;

use crate::error::parameter;
use crate::transforms::{check_same_frequency, moving_average_3};
use crate::{IndicatorError, TimeSeries};

/// Method id of [`sahm`].
pub const SAHM: &str = "sahm/1";
/// Method id of [`sahm_breadth`].
pub const SAHM_BREADTH: &str = "sahm_breadth/1";

/// The classic Sahm threshold in percentage points.
pub const SAHM_THRESHOLD: f64 = 0.50;

/// Options of [`sahm`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SahmOptions {
    /// The input is already a 3-month moving average (C&SD labour-force rates): use it as
    /// MA3 rather than averaging twice.
    pub already_averaged: bool,
    /// `S_t` at or above this many percentage points counts as triggered.
    pub threshold: f64,
}

impl Default for SahmOptions {
    fn default() -> SahmOptions {
        SahmOptions {
            already_averaged: false,
            threshold: SAHM_THRESHOLD,
        }
    }
}

/// `S_t = MA3(u)_t − min(MA3(u)` over the 12 months before `t`) in percentage points.
///
/// The 12-month look-back is in months, so a monthly series compares with 12 earlier
/// averages and a quarterly-sampled series with 4. A point is produced only when the whole
/// look-back window is present, which is also how FRED's SAHMCURRENT starts (1949-03).
pub fn sahm(unemployment_rate: &TimeSeries, options: SahmOptions) -> TimeSeries {
    let averaged = if options.already_averaged {
        unemployment_rate.clone()
    } else {
        moving_average_3(unemployment_rate)
    };
    let lags = (12 / averaged.step()) as usize;
    let points = (0..averaged.len()).filter_map(|index| {
        let (period, value) = averaged.points()[index];
        // Nearest first: the order the look-back has always been taken in.
        let low = averaged
            .previous(index, lags)?
            .iter()
            .rev()
            .fold(f64::INFINITY, |low, (_, earlier)| low.min(*earlier));
        Some((period, value - low))
    });
    TimeSeries::derived(averaged.frequency(), points.collect::<Vec<_>>())
}

/// How many components are triggered at one period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreadthPoint {
    pub period: Period,
    /// Components with `S_t ≥ threshold`.
    pub triggered: usize,
    /// Components with a value at this period.
    pub components: usize,
    /// `triggered / components`, 0–1.
    pub share: f64,
}

/// Breadth of Sahm-type triggers (the SF Fed's state-breadth idea applied to industries):
/// [`sahm`] of every component unemployment rate, then for each period any of them has,
/// how many are at or above `options.threshold`.
pub fn sahm_breadth(
    unemployment_rates: &[TimeSeries],
    options: SahmOptions,
) -> Result<Vec<BreadthPoint>, IndicatorError> {
    let threshold = options.threshold;
    if !threshold.is_finite() {
        return Err(parameter("threshold", "must be a finite number"));
    }
    check_same_frequency(unemployment_rates)?;
    let components: Vec<TimeSeries> = unemployment_rates
        .iter()
        .map(|rate| sahm(rate, options))
        .collect();
    let mut periods: Vec<Period> = components.iter().flat_map(TimeSeries::periods).collect();
    periods.sort_by_key(|period| period.end_month_index());
    periods.dedup_by_key(|period| period.end_month_index());
    Ok(periods
        .into_iter()
        .map(|period| {
            let values: Vec<f64> = components.iter().filter_map(|c| c.get(period)).collect();
            let triggered = values.iter().filter(|value| **value >= threshold).count();
            BreadthPoint {
                period,
                triggered,
                components: values.len(),
                share: triggered as f64 / values.len() as f64,
            }
        })
        .collect())
}
