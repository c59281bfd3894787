//! Fair share: do real wages keep up with labour productivity? (report §4.3)

use domain::Period;

use crate::tightness::combine;
use crate::transforms::yoy_pct;
use crate::{IndicatorError, TimeSeries};

/// Method id of [`fair_share_gap`].
pub const FAIR_SHARE: &str = "fair_share/1";

/// The pieces of the fair-share comparison, all year-on-year % changes.
#[derive(Debug, Clone, PartialEq)]
pub struct FairShare {
    /// Growth of the nominal wage index deflated by the CPI (`100 wage / cpi`).
    pub real_wage_growth: TimeSeries,
    /// Growth of real GDP per employed person.
    pub productivity_growth: TimeSeries,
    /// `real_wage_growth − productivity_growth`: negative when workers fall behind.
    pub gap: TimeSeries,
    /// At each period of `gap`, how many consecutive periods (this one included) the gap
    /// has been negative; 0 when it is not. A missing period breaks the run.
    pub negative_run: Vec<(Period, usize)>,
}

/// Real wage growth minus real GDP per employed person growth, per period.
///
/// All four series must share one frequency (quarterly in C&SD's case: payroll index, CPI
/// averaged to quarters, real GDP, employed persons); growth is year-on-year so seasonal
/// patterns cancel without adjustment.
pub fn fair_share_gap(
    nominal_wage: &TimeSeries,
    cpi: &TimeSeries,
    real_gdp: &TimeSeries,
    employed: &TimeSeries,
) -> Result<FairShare, IndicatorError> {
    let real_wage = combine(nominal_wage, cpi, |w, p| (p != 0.0).then(|| 100.0 * w / p))?;
    let productivity = combine(real_gdp, employed, |y, e| (e != 0.0).then(|| y / e))?;
    let real_wage_growth = yoy_pct(&real_wage);
    let productivity_growth = yoy_pct(&productivity);
    let gap = combine(&real_wage_growth, &productivity_growth, |w, y| Some(w - y))?;
    let negative_run = negative_runs(&gap);
    Ok(FairShare {
        real_wage_growth,
        productivity_growth,
        gap,
        negative_run,
    })
}

/// Length of the run of consecutive negative values ending at each period.
pub fn negative_runs(series: &TimeSeries) -> Vec<(Period, usize)> {
    let mut runs: Vec<(Period, usize)> = Vec::with_capacity(series.len());
    for index in 0..series.len() {
        let (period, value) = series.points()[index];
        let run = if value < 0.0 {
            let previous_negative = series.lagged(index, 1).is_some_and(|v| v < 0.0);
            match (previous_negative, runs.last()) {
                (true, Some(&(_, run))) => run + 1,
                _ => 1,
            }
        } else {
            0
        };
        runs.push((period, run));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Frequency;

    #[test]
    fn a_missing_period_breaks_the_run() {
        let points = ["2024-Q1", "2024-Q2", "2024-Q4", "2025-Q1", "2025-Q2"]
            .iter()
            .zip([-1.0, -0.5, -2.0, -1.0, 0.0])
            .map(|(period, value)| (Period::parse(period).unwrap(), value))
            .collect();
        let gap = TimeSeries::new(Frequency::Quarterly, points).unwrap();
        let runs: Vec<usize> = negative_runs(&gap).iter().map(|(_, run)| *run).collect();
        assert_eq!(runs, [1, 2, 1, 2, 0]);
    }
}
