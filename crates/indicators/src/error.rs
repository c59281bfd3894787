//! The one error type of the crate: invalid arguments, never missing data.
//!
//! Missing periods, too-short histories and zero denominators are normal in published
//! statistics, so indicators answer them with fewer output points; an `IndicatorError`
//! means the caller asked for something that cannot be computed at all.

use domain::{Frequency, Period};

/// Why an indicator cannot be computed from the arguments it was given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IndicatorError {
    #[error("period {0} appears more than once in the series")]
    DuplicatePeriod(Period),
    #[error("value at {0} is not a finite number")]
    NotFinite(Period),
    #[error("period {period} is not on the {frequency} grid of the series")]
    OffGrid {
        period: Period,
        frequency: Frequency,
    },
    #[error("period {0} is of a different kind from the other periods of the series")]
    MixedPeriods(Period),
    #[error("series of different frequencies ({0} and {1}) cannot be combined")]
    FrequencyMismatch(Frequency, Frequency),
    #[error("invalid parameter {name}: {reason}")]
    Parameter { name: &'static str, reason: String },
    #[error("the series has a gap before {0}; this method needs consecutive periods")]
    Gap(Period),
    #[error("the series is too short: {needed} consecutive periods needed, {got} given")]
    TooShort { needed: usize, got: usize },
    #[error("seasonal decomposition failed: {0}")]
    Stl(String),
}

pub(crate) fn parameter(name: &'static str, reason: impl Into<String>) -> IndicatorError {
    IndicatorError::Parameter {
        name,
        reason: reason.into(),
    }
}
