//! Series rules (threshold, change, Sahm-type, z-score) on one subject: its series under the
//! rule's transform, the rule's measure, and the episodes with the inputs they read.

use std::cell::OnceCell;

use domain::{Date, Period};
use indicators::{SahmOptions, StlCache, StlOptions, TimeSeries};

use crate::alert::{InputValue, Subject};
use crate::catalogue::KnownSeries;
use crate::episodes::episodes;
use crate::evaluate::SubjectOutcome;
use crate::rules::{ChangeMode, Rule, RuleKind, Transform};

/// A subject's series under each transform, computed on first use and shared by the rules.
pub(crate) struct Transforms<'a> {
    series: &'a TimeSeries,
    stl_cache: Option<&'a StlCache>,
    moving_average_3: OnceCell<TimeSeries>,
    yoy_pct: OnceCell<TimeSeries>,
    /// `None` when the series is too short or has gaps for STL.
    seasonally_adjusted: OnceCell<Option<TimeSeries>>,
}

impl<'a> Transforms<'a> {
    pub(crate) fn of(series: &'a TimeSeries, stl_cache: Option<&'a StlCache>) -> Transforms<'a> {
        Transforms {
            series,
            stl_cache,
            moving_average_3: OnceCell::new(),
            yoy_pct: OnceCell::new(),
            seasonally_adjusted: OnceCell::new(),
        }
    }

    fn get(&self, transform: Transform) -> Option<&TimeSeries> {
        match transform {
            Transform::None => Some(self.series),
            Transform::MovingAverage3 => Some(
                self.moving_average_3
                    .get_or_init(|| indicators::moving_average_3(self.series)),
            ),
            Transform::YoyPct => Some(
                self.yoy_pct
                    .get_or_init(|| indicators::yoy_pct(self.series)),
            ),
            Transform::SeasonallyAdjusted => self
                .seasonally_adjusted
                .get_or_init(|| {
                    let options = StlOptions {
                        robust: true,
                        ..StlOptions::default()
                    };
                    let adjusted = match self.stl_cache {
                        Some(cache) => cache.seasonally_adjust(self.series, &options),
                        None => indicators::seasonally_adjust(self.series, &options),
                    };
                    // Too short or gappy for STL means no adjusted values yet, hence no measure.
                    adjusted.ok()
                })
                .as_ref(),
        }
    }
}

pub(crate) fn subject_outcome(
    rule: &Rule,
    subject: &KnownSeries<'_>,
    transforms: &Transforms<'_>,
    as_of: Date,
) -> SubjectOutcome {
    let measure = measure(rule, transforms);
    let lookback = lookback_months(rule, subject.series.frequency().step_months());
    let id = Subject::Series(subject.meta.id.clone());
    let alerts = episodes(&measure, rule)
        .into_iter()
        .map(|episode| {
            let end = episode.last_period.end_month_index();
            let inputs = subject
                .values_ending_in(end.saturating_sub(lookback), end)
                .iter()
                .map(|known| InputValue {
                    period: known.period,
                    value: known.value,
                    vintage: known.vintage,
                })
                .collect();
            episode.into_alert(
                rule,
                id.clone(),
                subject.meta.industry.clone(),
                inputs,
                Vec::new(),
                as_of,
            )
        })
        .collect();
    SubjectOutcome {
        subject: id,
        evaluated: measure.iter().map(|(period, _)| *period).collect(),
        alerts,
    }
}

/// The rule's measure of one subject series; fewer points (never an error) where history
/// is too short, as in the indicators crate.
fn measure(rule: &Rule, transforms: &Transforms<'_>) -> Vec<(Period, f64)> {
    let Some(transformed) = transforms.get(rule.transform) else {
        return Vec::new();
    };
    match &rule.kind {
        RuleKind::Change { periods, mode } => transformed
            .points()
            .iter()
            .enumerate()
            .filter_map(|(index, &(period, value))| {
                // Rule parsing bounds `periods`; a larger one simply finds no earlier value.
                let before = transformed.lagged(index, i32::try_from(*periods).ok()?)?;
                let change = match mode {
                    ChangeMode::Absolute => value - before,
                    ChangeMode::Percent if before != 0.0 => 100.0 * (value / before - 1.0),
                    ChangeMode::Percent => return None,
                };
                change.is_finite().then_some((period, change))
            })
            .collect(),
        RuleKind::Sahm { already_averaged } => indicators::sahm(
            transformed,
            SahmOptions {
                already_averaged: *already_averaged,
                ..SahmOptions::default()
            },
        )
        .points()
        .to_vec(),
        // The window is checked to be at least 2 when the rule is parsed.
        RuleKind::ZScore { window } => indicators::zscore_trailing(transformed, *window)
            .map(|z| z.points().to_vec())
            .unwrap_or_default(),
        _ => transformed.points().to_vec(),
    }
}

/// Months of raw history before a period that its measure reads (the inputs recorded).
fn lookback_months(rule: &Rule, step: i32) -> i32 {
    let own = match &rule.kind {
        RuleKind::Change { periods, .. } => i32::try_from(*periods)
            .unwrap_or(i32::MAX)
            .saturating_mul(step),
        RuleKind::Sahm {
            already_averaged: true,
        } => 12,
        RuleKind::Sahm {
            already_averaged: false,
        } => 12 + 2 * step,
        RuleKind::ZScore { window } => {
            (i32::try_from(*window).unwrap_or(i32::MAX) - 1).saturating_mul(step)
        }
        _ => 0,
    };
    own.saturating_add(rule.transform.lookback_months(step))
}
