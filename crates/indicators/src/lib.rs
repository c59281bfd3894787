//! Labour-market indicators: pure, deterministic functions of [`TimeSeries`].
//!
//! No IO, no clock, no randomness: the same inputs give bitwise the same outputs. Missing
//! periods, short histories and zero denominators give fewer output points; only arguments
//! that cannot be computed at all give an [`IndicatorError`]. Each method has a stable id
//! with a version (`sahm/1`, …) exposed as a constant, to be stored with derived series so
//! anyone can tell which formula produced them.

mod climate;
mod error;
mod fair_share;
mod mismatch;
mod sahm;
mod seasonal;
mod series;
mod stl_cache;
mod tightness;
mod transforms;

pub use climate::{
    ClimateComponent, Contribution, ETI, Eti, EtiOptions, LMCI, Lmci, PCA_MAX_ITERATIONS,
    PCA_TOLERANCE, eti, lmci,
};
pub use error::IndicatorError;
pub use fair_share::{FAIR_SHARE, FairShare, fair_share_gap, negative_runs};
pub use mismatch::{MISMATCH, MISMATCH_ALPHA, mismatch_index, mismatch_series};
pub use sahm::{BreadthPoint, SAHM, SAHM_BREADTH, SAHM_THRESHOLD, SahmOptions, sahm, sahm_breadth};
pub use seasonal::{STL, StlDecomposition, StlOptions, seasonally_adjust, stl_decompose};
pub use series::TimeSeries;
pub use stl_cache::StlCache;
pub use tightness::{
    BEVERIDGE_CURVE, BeveridgePoint, VACANCIES_PER_UNEMPLOYED, VACANCY_RATE, beveridge_curve,
    vacancies_per_unemployed, vacancy_rate,
};
pub use transforms::{
    DIFFUSION, MOVING_AVERAGE_3, YOY_PCT, ZSCORE_FULL, ZSCORE_TRAILING, diffusion_index,
    moving_average_3, yoy_pct, zscore_full, zscore_trailing,
};
