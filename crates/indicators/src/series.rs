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
            if std::mem::discriminant(&period.kind()) != std::mem::discriminant(&points[0].0.kind())
            {
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

    /// The `count` points just before the one at `index`, oldest first, if they are its
    /// `count` previous periods with none missing.
    pub(crate) fn previous(&self, index: usize, count: usize) -> Option<&[(Period, f64)]> {
        let first = index.checked_sub(count)?;
        let months = i32::try_from(count).ok()?.checked_mul(self.step())?;
        let spanned =
            self.points[index].0.end_month_index() - self.points[first].0.end_month_index();
        // Periods are unique and at least a step apart, so `count` steps between the
        // first and the last means every period in between is there.
        (spanned == months).then(|| &self.points[first..index])
    }

    /// The value `lag` periods (of the series' frequency) before the point at `index`, if
    /// the series has it.
    pub fn lagged(&self, index: usize, lag: i32) -> Option<f64> {
        self.months_before(index, lag.checked_mul(self.step())?)
    }

    /// The value whose period ends `months` months before the end of the point at `index`,
    /// if the series has it; `None` unless `months` is positive.
    pub(crate) fn months_before(&self, index: usize, months: i32) -> Option<f64> {
        let end_month = self.points[index].0.end_month_index().checked_sub(months)?;
        // Periods are unique and `step` months apart or more, so the wanted point is at most
        // `months / step` places back: exactly there on a stretch without gaps (the common
        // case, checked first), nearer when there are gaps in between.
        let places = usize::try_from(months / self.step()).ok()?;
        let earliest = index.saturating_sub(places);
        let candidates = &self.points[earliest..index];
        if let Some(&(period, value)) = candidates.first()
            && period.end_month_index() == end_month
        {
            return Some(value);
        }
        candidates
            .binary_search_by_key(&end_month, |(period, _)| period.end_month_index())
            .ok()
            .map(|offset| candidates[offset].1)
    }
}
