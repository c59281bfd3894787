//! Exposure crossed with demand: exposed occupations whose employment shrinks are under squeeze
//! (轉型壓力, pressure to transform); exposed occupations that grow are being augmented.

use std::collections::BTreeMap;
use std::fmt;

use domain::IscoCode;

use crate::IndexCitation;
use crate::config::CrossingConfig;
use crate::ilo::{ExposureGradient, OccupationExposure};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DemandTrend {
    Growing,
    Flat,
    Shrinking,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExposureDemand {
    /// Exposed and shrinking.
    Squeeze,
    /// Exposed and growing.
    Augmentation,
    /// Exposed, employment about the same.
    ExposedFlat,
    NotExposed,
}

impl ExposureDemand {
    pub fn label_en(self) -> &'static str {
        match self {
            ExposureDemand::Squeeze => "squeeze",
            ExposureDemand::Augmentation => "augmentation",
            ExposureDemand::ExposedFlat => "exposed, demand flat",
            ExposureDemand::NotExposed => "not exposed",
        }
    }

    /// The Traditional Chinese term where the project has one.
    pub fn label_zh(self) -> Option<&'static str> {
        (self == ExposureDemand::Squeeze).then_some("轉型壓力")
    }
}

impl fmt::Display for ExposureDemand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.label_zh() {
            Some(zh) => write!(f, "{} ({zh})", self.label_en()),
            None => f.write_str(self.label_en()),
        }
    }
}

/// One occupation's exposure and demand, crossed.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossing {
    pub code: IscoCode,
    pub gradient: ExposureGradient,
    pub mean_score: f64,
    /// Employment change, % (projected or observed, as the caller's demand says).
    pub change_pct: f64,
    pub trend: DemandTrend,
    pub class: ExposureDemand,
    pub index: IndexCitation,
}

/// The trend of a change: within ±`flat_band_pct` is flat.
pub fn demand_trend(change_pct: f64, flat_band_pct: f64) -> DemandTrend {
    if change_pct > flat_band_pct {
        DemandTrend::Growing
    } else if change_pct < -flat_band_pct {
        DemandTrend::Shrinking
    } else {
        DemandTrend::Flat
    }
}

/// Crosses every occupation that has both an exposure and a demand change.
pub fn cross_exposure_with_demand(
    exposures: &[OccupationExposure],
    change_pct: &BTreeMap<IscoCode, f64>,
    config: &CrossingConfig,
) -> Vec<Crossing> {
    exposures
        .iter()
        .filter_map(|exposure| {
            let change = *change_pct.get(&exposure.code)?;
            let trend = demand_trend(change, config.flat_band_pct);
            let class = if exposure.gradient < config.exposed_from {
                ExposureDemand::NotExposed
            } else {
                match trend {
                    DemandTrend::Growing => ExposureDemand::Augmentation,
                    DemandTrend::Flat => ExposureDemand::ExposedFlat,
                    DemandTrend::Shrinking => ExposureDemand::Squeeze,
                }
            };
            Some(Crossing {
                code: exposure.code,
                gradient: exposure.gradient,
                mean_score: exposure.mean,
                change_pct: change,
                trend,
                class,
                index: exposure.index,
            })
        })
        .collect()
}
