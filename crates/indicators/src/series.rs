//! `TimeSeries`: the one input and output shape of every indicator.

use domain::{Frequency, Period};

use crate::IndicatorError;

/// Observations of one series, sorted by period, one value per period, all finite.
///
/// The frequency is declared, not inferred, because C&SD publishes quarterly surveys with
/// monthly period labels (SEV: `2025-03`, `2025-06`, …): such a series is
/// `Frequency::Quarterly` with `Period::Month` points three months apart. Every lag is
/// therefore computed on the last month of each period (`Period::end_month_index`), in steps
/// of `frequency.step_months()`.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeSeries {
    frequency: Frequency,
    points: Vec<(Period, f64)>,
}

impl TimeSeries {
    /// Sorts the points and checks them: finite values, no period twice, one kind of period,
    /// and every period on the grid of `frequency` (for quarterly, a quarter-end month).
    pub fn new(
        frequency: Frequency,
        mut points: Vec<(Period, f64)>,
    ) -> Result<TimeSeries, IndicatorError> {
        points.sort_by_key(|(period, _)| *period);
        let step = frequency.step_months();
        for (index, &(period, value)) in points.iter().enumerate() {
            if !value.is_finite() {
                return Err(IndicatorError::NotFinite(period));
            }
            if std::mem::discriminant(&period) != std::mem::discriminant(&points[0].0) {
                return Err(IndicatorError::MixedPeriods(period));
            }
            // Quarters end in Mar/Jun/Sep/Dec and years in Dec, whatever the period label.
            let aligned = step == 1 || (period.end_month_index() + 1) % step == 0;
            if !aligned || period.frequency().step_months() > step {
                return Err(IndicatorError::OffGrid { period, frequency });
            }
            if index > 0 && points[index - 1].0 == period {
                return Err(IndicatorError::DuplicatePeriod(period));
            }
        }
        Ok(TimeSeries { frequency, points })
    }

    /// A series whose periods carry their own frequency (`2025-09` monthly, `2025-Q3`
    /// quarterly, …); an empty series is monthly.
    pub fn from_periods(points: Vec<(Period, f64)>) -> Result<TimeSeries, IndicatorError> {
        let frequency = points
            .first()
            .map_or(Frequency::Monthly, |(period, _)| period.frequency());
        TimeSeries::new(frequency, points)
    }

    /// Builds an output series from points produced in period order by a method of this
    /// crate, keeping only finite values so no NaN or infinity ever leaves the crate.
    pub(crate) fn derived(
        frequency: Frequency,
        points: impl IntoIterator<Item = (Period, f64)>,
    ) -> TimeSeries {
        let points = points
            .into_iter()
            .filter(|(_, value)| value.is_finite())
            .collect();
        TimeSeries { frequency, points }
    }

    pub fn frequency(&self) -> Frequency {
        self.frequency
    }

    pub fn points(&self) -> &[(Period, f64)] {
        &self.points
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    pub fn periods(&self) -> impl Iterator<Item = Period> + '_ {
        self.points.iter().map(|(period, _)| *period)
    }

    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.points.iter().map(|(_, value)| *value)
    }

    /// The value whose period ends in the same month as `period`.
    pub fn get(&self, period: Period) -> Option<f64> {
        self.at_end_month(period.end_month_index())
    }

    /// The value whose period ends in month `end_month_index` (see `Period::end_month_index`).
    pub fn at_end_month(&self, end_month_index: i32) -> Option<f64> {
        self.position(end_month_index)
            .map(|index| self.points[index].1)
    }

    pub(crate) fn position(&self, end_month_index: i32) -> Option<usize> {
        self.points
            .binary_search_by_key(&end_month_index, |(period, _)| period.end_month_index())
            .ok()
    }

    /// Months between two consecutive periods of this series.
    pub(crate) fn step(&self) -> i32 {
        self.frequency.step_months()
    }

    /// The value `lag` periods before the point at `index`, if the series has it.
    pub(crate) fn lagged(&self, index: usize, lag: i32) -> Option<f64> {
        let end = self.points[index].0.end_month_index() - lag * self.step();
        self.at_end_month(end)
    }
}
