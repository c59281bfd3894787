//! Forecasts of annual series with prediction intervals, and their backtest: Holt's linear
//! trend with a damped trend, the ETS(A,Ad,N) model of Hyndman, Koehler, Ord and Snyder (2008),
//! *Forecasting with Exponential Smoothing*, ch. 2–6.
//!
//! Level and trend move with each one-step error `e(t) = y(t) − (level(t−1) + φ trend(t−1))`:
//! `level(t) = level(t−1) + φ trend(t−1) + α e(t)`, `trend(t) = φ trend(t−1) + β e(t)`.
//! The h-step forecast is `level(T) + (φ + … + φ^h) trend(T)`. The parameters minimise the sum
//! of squared one-step errors over a grid (α from 0.05 to 1, β from 0 to α in steps of 0.05, φ
//! from 0.80 to 0.98); the start is the first value and the first difference. The h-step
//! variance is `σ² (1 + c(1)² + … + c(h−1)²)` with `c(j) = α + β (φ + … + φ^j)`, the model's own
//! (Hyndman et al. 2008, table 6.1, class 1);
//! σ² is the mean squared one-step error over n − 3 degrees of freedom (three smoothing
//! parameters). Intervals are normal: 80% at ±1.2816 and 95% at ±1.96 standard deviations of the h-step error.

/// The method id and version, kept with every forecast.
pub const METHOD: &str = "ets-damped/1";

const Z80: f64 = 1.281_551_565_544_600_5;
const Z95: f64 = 1.959_963_984_540_054;
const PHIS: [f64; 5] = [0.80, 0.85, 0.90, 0.95, 0.98];
/// Fewer observations than this give no fit.
pub const MIN_OBSERVATIONS: usize = 6;

/// A fitted damped-trend model.
#[derive(Debug, Clone, PartialEq)]
pub struct DampedTrend {
    pub alpha: f64,
    pub beta: f64,
    pub phi: f64,
    /// Level and trend after the last observation.
    pub level: f64,
    pub trend: f64,
    /// Standard deviation of the one-step errors.
    pub sigma: f64,
    pub observations: usize,
}

/// A forecast `horizon` steps after the last observation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forecast {
    pub horizon: usize,
    pub mean: f64,
    pub lower80: f64,
    pub upper80: f64,
    pub lower95: f64,
    pub upper95: f64,
}

/// Sum of squared one-step errors, and the final level and trend.
fn run(values: &[f64], alpha: f64, beta: f64, phi: f64) -> (f64, f64, f64) {
    let mut level = values[0];
    let mut trend = values[1] - values[0];
    let mut sse = 0.0;
    for &value in &values[1..] {
        let error = value - (level + phi * trend);
        sse += error * error;
        level += phi * trend + alpha * error;
        trend = phi * trend + beta * error;
    }
    (sse, level, trend)
}

impl DampedTrend {
    /// Fits the model to consecutive annual values; `None` with fewer than
    /// [`MIN_OBSERVATIONS`] or a value that is not finite.
    pub fn fit(values: &[f64]) -> Option<DampedTrend> {
        if values.len() < MIN_OBSERVATIONS || values.iter().any(|value| !value.is_finite()) {
            return None;
        }
        let steps = |to: u32| (1..=to).map(|step| f64::from(step) * 0.05);
        let mut best: Option<(f64, f64, f64, f64)> = None;
        for alpha in steps(20) {
            for beta in
                std::iter::once(0.0).chain(steps(20).take_while(|beta| *beta <= alpha + 1e-9))
            {
                for phi in PHIS {
                    let (sse, _, _) = run(values, alpha, beta, phi);
                    if best.is_none_or(|(best_sse, ..)| sse < best_sse) {
                        best = Some((sse, alpha, beta, phi));
                    }
                }
            }
        }
        let (sse, alpha, beta, phi) = best?;
        let (_, level, trend) = run(values, alpha, beta, phi);
        let degrees_of_freedom = (values.len() - 1).saturating_sub(3).max(1);
        Some(DampedTrend {
            alpha,
            beta,
            phi,
            level,
            trend,
            sigma: (sse / degrees_of_freedom as f64).sqrt(),
            observations: values.len(),
        })
    }

    /// Forecasts 1 to `horizons` steps ahead with 80% and 95% prediction intervals.
    pub fn forecast(&self, horizons: usize) -> Vec<Forecast> {
        let mut out = Vec::with_capacity(horizons);
        let mut damping = 0.0;
        let mut power = 1.0;
        let mut variance_factor = 1.0;
        for horizon in 1..=horizons {
            // c_{h-1} joins the variance before the sum of powers moves to h.
            if horizon > 1 {
                let c = self.alpha + self.beta * damping;
                variance_factor += c * c;
            }
            power *= self.phi;
            damping += power;
            let mean = self.level + damping * self.trend;
            let spread = self.sigma * variance_factor.sqrt();
            out.push(Forecast {
                horizon,
                mean,
                lower80: mean - Z80 * spread,
                upper80: mean + Z80 * spread,
                lower95: mean - Z95 * spread,
                upper95: mean + Z95 * spread,
            });
        }
        out
    }
}

/// How the forecasts of one horizon did in the backtest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HorizonScore {
    pub horizon: usize,
    /// Forecasts scored (one per origin with an actual value that far ahead).
    pub forecasts: usize,
    /// Mean absolute percentage error, %.
    pub mape: f64,
    /// Share of actual values inside the 80% and the 95% interval.
    pub coverage80: f64,
    pub coverage95: f64,
}

/// A rolling-origin backtest: for each origin year T with at least `min_train` values up to
/// it, fit on the values up to T and forecast T+1 … T+`horizons`, scored against the actual
/// values.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    pub first_origin: i16,
    pub last_origin: i16,
    pub horizons: Vec<HorizonScore>,
}

/// Backtests the model on consecutive annual values `(year, value)`.
pub fn backtest(series: &[(i16, f64)], min_train: usize, horizons: usize) -> Option<Backtest> {
    let min_train = min_train.max(MIN_OBSERVATIONS);
    let mut errors: Vec<Vec<(f64, bool, bool)>> = vec![Vec::new(); horizons];
    let mut origins = Vec::new();
    for end in min_train..series.len() {
        let train: Vec<f64> = series[..end].iter().map(|(_, value)| *value).collect();
        let Some(model) = DampedTrend::fit(&train) else {
            continue;
        };
        origins.push(series[end - 1].0);
        for forecast in model.forecast(horizons) {
            let Some(&(_, actual)) = series.get(end - 1 + forecast.horizon) else {
                break;
            };
            errors[forecast.horizon - 1].push((
                100.0 * (actual - forecast.mean).abs() / actual.abs(),
                (forecast.lower80..=forecast.upper80).contains(&actual),
                (forecast.lower95..=forecast.upper95).contains(&actual),
            ));
        }
    }
    let (&first_origin, &last_origin) = (origins.first()?, origins.last()?);
    let horizons = errors
        .iter()
        .enumerate()
        .filter(|(_, scored)| !scored.is_empty())
        .map(|(index, scored)| {
            let n = scored.len() as f64;
            HorizonScore {
                horizon: index + 1,
                forecasts: scored.len(),
                mape: scored.iter().map(|(ape, _, _)| ape).sum::<f64>() / n,
                coverage80: scored.iter().filter(|(_, inside, _)| *inside).count() as f64 / n,
                coverage95: scored.iter().filter(|(_, _, inside)| *inside).count() as f64 / n,
            }
        })
        .collect();
    Some(Backtest {
        first_origin,
        last_origin,
        horizons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_straight_line_is_continued_and_its_trend_damped() {
        let line: Vec<f64> = (0..10).map(|step| 100.0 + 5.0 * f64::from(step)).collect();
        let model = DampedTrend::fit(&line).unwrap();
        let forecasts = model.forecast(5);
        assert!((forecasts[0].mean - 150.0).abs() < 1.0, "{forecasts:?}");
        for pair in forecasts.windows(2) {
            let step = pair[1].mean - pair[0].mean;
            assert!(step > 0.0 && step < 5.0, "{forecasts:?}");
        }
    }

    #[test]
    fn the_interval_widens_by_the_models_own_variance() {
        let model = DampedTrend {
            alpha: 0.5,
            beta: 0.1,
            phi: 0.9,
            level: 100.0,
            trend: 2.0,
            sigma: 10.0,
            observations: 20,
        };
        let forecasts = model.forecast(3);
        // c1 = α + βφ = 0.59, c2 = α + β(φ + φ²) = 0.671.
        let variances = [
            1.0,
            1.0 + 0.59_f64.powi(2),
            1.0 + 0.59_f64.powi(2) + 0.671_f64.powi(2),
        ];
        for (forecast, variance) in forecasts.iter().zip(variances) {
            let half_width = (forecast.upper95 - forecast.lower95) / 2.0;
            assert!((half_width - Z95 * 10.0 * variance.sqrt()).abs() < 1e-9);
        }
        assert!((forecasts[1].mean - (100.0 + (0.9 + 0.81) * 2.0)).abs() < 1e-12);
        // The closed form of Hyndman et al. (2008, table 6.1) for ETS(A,Ad,N) at h = 3.
        let (a, b, p, h) = (0.5_f64, 0.1_f64, 0.9_f64, 3.0_f64);
        let closed =
            1.0 + a * a * (h - 1.0) + b * p * h / (1.0 - p).powi(2) * (2.0 * a * (1.0 - p) + b * p)
                - b * p * (1.0 - p.powf(h)) / ((1.0 - p).powi(2) * (1.0 - p * p))
                    * (2.0 * a * (1.0 - p * p) + b * p * (1.0 + 2.0 * p - p.powf(h)));
        assert!((closed - variances[2]).abs() < 1e-9, "{closed}");
    }

    #[test]
    fn too_short_a_series_gives_no_fit_and_backtests_score_each_horizon() {
        assert_eq!(DampedTrend::fit(&[1.0, 2.0, 3.0]), None);
        let series: Vec<(i16, f64)> = (0..12)
            .map(|year| (2000 + year, 50.0 + f64::from(year)))
            .collect();
        let scored = backtest(&series, 6, 3).unwrap();
        assert_eq!((scored.first_origin, scored.last_origin), (2005, 2010));
        assert_eq!(scored.horizons.len(), 3);
        assert_eq!(scored.horizons[0].forecasts, 6);
        assert_eq!(scored.horizons[2].forecasts, 4);
    }
}
