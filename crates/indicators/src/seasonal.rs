//! Seasonal adjustment by STL (Cleveland et al. 1990) through the `stlrs` crate.
//!
//! The defaults are those of statsmodels' `STL` so results can be checked against it (the
//! crate's tests do, on FRED's UNRATENSA); `stlrs`' own defaults differ (degree-0 seasonal
//! smoother, interpolation jumps), which is why every parameter is set explicitly here.

use crate::error::parameter;
use crate::{IndicatorError, TimeSeries};

/// Method id of [`stl_decompose`] and [`seasonally_adjust`].
pub const STL: &str = "stl/1";

/// STL parameters. Lengths must be odd and at least 3; `None` picks the statsmodels
/// default for the series' period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StlOptions {
    /// Length of the seasonal smoother (statsmodels `seasonal`, default 7).
    pub seasonal_length: usize,
    /// Length of the trend smoother; default the smallest odd integer ≥
    /// `1.5 period / (1 − 1.5 / seasonal_length)`.
    pub trend_length: Option<usize>,
    /// Length of the low-pass filter; default the smallest odd integer > period.
    pub low_pass_length: Option<usize>,
    /// Robustness weights against outliers (e.g. the 2020 spike).
    pub robust: bool,
    /// Inner loop count; default 2 when robust, 5 otherwise.
    pub inner_loops: Option<usize>,
    /// Robustness (outer) iterations; default 15 when robust, 0 otherwise.
    pub outer_loops: Option<usize>,
}

impl Default for StlOptions {
    fn default() -> StlOptions {
        StlOptions {
            seasonal_length: 7,
            trend_length: None,
            low_pass_length: None,
            robust: false,
            inner_loops: None,
            outer_loops: None,
        }
    }
}

/// An STL decomposition: `observed = seasonal + trend + remainder` at every period.
#[derive(Debug, Clone, PartialEq)]
pub struct StlDecomposition {
    pub seasonal: TimeSeries,
    pub trend: TimeSeries,
    pub remainder: TimeSeries,
    /// `observed − seasonal`.
    pub adjusted: TimeSeries,
}

/// Decomposes a gap-free monthly (period 12) or quarterly (period 4) series.
///
/// Errors on gaps, on annual series (no seasons), on fewer than two full years, and on
/// invalid smoother lengths.
pub fn stl_decompose(
    series: &TimeSeries,
    options: &StlOptions,
) -> Result<StlDecomposition, IndicatorError> {
    let fit = StlParameters::of(series, options)?.fit(series)?;
    let with = |values: &[f64]| with_values(series, values);
    let adjusted: Vec<f64> = series
        .values()
        .zip(fit.seasonal())
        .map(|(value, seasonal)| value - seasonal)
        .collect();
    Ok(StlDecomposition {
        seasonal: with(fit.seasonal()),
        trend: with(fit.trend()),
        remainder: with(fit.remainder()),
        adjusted: with(&adjusted),
    })
}

/// Every STL parameter for one series, defaults resolved: what a fit depends on besides the
/// values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StlParameters {
    pub(crate) period: usize,
    pub(crate) seasonal_length: usize,
    pub(crate) trend_length: usize,
    pub(crate) low_pass_length: usize,
    pub(crate) robust: bool,
    pub(crate) inner_loops: usize,
    pub(crate) outer_loops: usize,
}

impl StlParameters {
    /// Checks that `series` can be decomposed with `options` and resolves the defaults.
    pub(crate) fn of(
        series: &TimeSeries,
        options: &StlOptions,
    ) -> Result<StlParameters, IndicatorError> {
        let period = match 12 / series.step() {
            period @ (4 | 12) => period as usize,
            _ => {
                return Err(parameter(
                    "frequency",
                    format!(
                        "STL needs monthly or quarterly data, not {}",
                        series.frequency()
                    ),
                ));
            }
        };
        if let Some(window) = series
            .points()
            .windows(2)
            .find(|pair| pair[1].0.end_month_index() - pair[0].0.end_month_index() != series.step())
        {
            return Err(IndicatorError::Gap(window[1].0));
        }
        if series.len() < 2 * period {
            return Err(IndicatorError::TooShort {
                needed: 2 * period,
                got: series.len(),
            });
        }
        let seasonal_length = odd_length("seasonal_length", options.seasonal_length)?;
        let trend_length = match options.trend_length {
            Some(length) => odd_length("trend_length", length)?,
            None => default_trend_length(period, seasonal_length),
        };
        let low_pass_length = match options.low_pass_length {
            Some(length) => odd_length("low_pass_length", length)?,
            None => (period + 1) | 1,
        };
        Ok(StlParameters {
            period,
            seasonal_length,
            trend_length,
            low_pass_length,
            robust: options.robust,
            inner_loops: options
                .inner_loops
                .unwrap_or(if options.robust { 2 } else { 5 }),
            outer_loops: options
                .outer_loops
                .unwrap_or(if options.robust { 15 } else { 0 }),
        })
    }

    fn fit(&self, series: &TimeSeries) -> Result<stlrs::StlResult<f64>, IndicatorError> {
        let observed: Vec<f64> = series.values().collect();
        stlrs::params()
            .seasonal_length(self.seasonal_length)
            .trend_length(self.trend_length)
            .low_pass_length(self.low_pass_length)
            .seasonal_degree(1)
            .trend_degree(1)
            .low_pass_degree(1)
            .seasonal_jump(1)
            .trend_jump(1)
            .low_pass_jump(1)
            .inner_loops(self.inner_loops)
            .outer_loops(self.outer_loops)
            .robust(self.robust)
            .fit(&observed, self.period)
            .map_err(|error| IndicatorError::Stl(error.to_string()))
    }

    /// `observed − seasonal` of `series`, one value per point.
    pub(crate) fn adjusted_values(&self, series: &TimeSeries) -> Result<Vec<f64>, IndicatorError> {
        let fit = self.fit(series)?;
        Ok(series
            .values()
            .zip(fit.seasonal())
            .map(|(value, seasonal)| value - seasonal)
            .collect())
    }
}

/// The seasonally adjusted series, `observed − seasonal`, of [`stl_decompose`].
pub fn seasonally_adjust(
    series: &TimeSeries,
    options: &StlOptions,
) -> Result<TimeSeries, IndicatorError> {
    let adjusted = StlParameters::of(series, options)?.adjusted_values(series)?;
    Ok(with_values(series, &adjusted))
}

/// `series`' periods with `values`, one per point.
pub(crate) fn with_values(series: &TimeSeries, values: &[f64]) -> TimeSeries {
    TimeSeries::derived(
        series.frequency(),
        series
            .periods()
            .zip(values.iter().copied())
            .collect::<Vec<_>>(),
    )
}

fn odd_length(name: &'static str, length: usize) -> Result<usize, IndicatorError> {
    if length < 3 || length.is_multiple_of(2) {
        return Err(parameter(
            name,
            format!("{length} is not an odd number ≥ 3"),
        ));
    }
    Ok(length)
}

/// statsmodels' default: `ceil(1.5 period / (1 − 1.5 / seasonal))`, made odd.
fn default_trend_length(period: usize, seasonal_length: usize) -> usize {
    let length = (1.5 * period as f64 / (1.0 - 1.5 / seasonal_length as f64)).ceil() as usize;
    length | 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_statsmodels() {
        assert_eq!(default_trend_length(12, 7), 23);
        assert_eq!(default_trend_length(4, 7), 9);
        assert_eq!((12 + 1) | 1, 13);
        assert_eq!((4 + 1) | 1, 5);
        assert!(odd_length("x", 4).is_err());
    }
}
