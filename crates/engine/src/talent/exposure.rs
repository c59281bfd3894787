//! Exposure to generative AI by ISCO-08 group: the ILO index at any level, weighted by
//! employment where employment by unit group is known (else equal weights, said plainly),
//! GPTs-are-GPTs beside it through the BLS crosswalk, and exposure crossed with demand where a
//! demand trend by occupation is known (squeeze 轉型壓力, augmentation).

use std::collections::BTreeMap;

use domain::{IscoCode, IscoLevel, OccupationCode};
use talent::aggregate::{EmploymentWeights, aggregate_exposure};
use talent::config::CrossingConfig;
use talent::crossing::{ExposureDemand, cross_exposure_with_demand};
use talent::gpts::CrosswalkedExposure;
use talent::ilo::{ExposureGradient, OccupationExposure};
use talent::{GPTS_ARE_GPTS_2024, ILO_GENAI_2025, IndexCitation};

use super::ratings::{KnownSeries, OccupationMeasure, occupation_measure};

/// One ISCO-08 group's exposure.
#[derive(Debug, Clone, PartialEq)]
pub struct ExposureRow {
    pub code: IscoCode,
    /// The ILO mean task score (a unit group) or the weighted mean of its unit groups.
    pub score: f64,
    /// A unit group's standard deviation and class, as the ILO computes them.
    pub sd: Option<f64>,
    pub gradient: Option<ExposureGradient>,
    pub units_scored: usize,
    /// Unit groups in an exposed class (from `[crossing] exposed_from`).
    pub units_exposed: usize,
    /// Which weights the score used.
    pub weights: String,
    /// Employment of the group's weighted unit groups.
    pub employment: Option<f64>,
    /// GPTs-are-GPTs β (GPT-4 rated), the mean over the group's scored unit groups, and how many
    /// crosswalk links it used and how many of them are partial matches.
    pub gpts_beta: Option<f64>,
    pub gpts_links: usize,
    pub gpts_part_links: usize,
    /// A unit group's demand change (%) and its class; for a group, its unit groups in squeeze
    /// and in augmentation.
    pub demand_change: Option<f64>,
    pub demand_class: Option<ExposureDemand>,
    pub units_squeeze: usize,
    pub units_augmented: usize,
}

/// The exposure table at one level.
#[derive(Debug, Clone, PartialEq)]
pub struct ExposureView {
    pub level: IscoLevel,
    pub index: IndexCitation,
    pub gpts_index: IndexCitation,
    /// Which weights, for people: the employment source or why equal weights.
    pub weights: String,
    pub weighted_by_employment: bool,
    /// Where the demand trend comes from, or why there is none.
    pub demand: String,
    pub rows: Vec<ExposureRow>,
}

/// Employment and demand trends by ISCO-08 unit group from the store's occupation series.
pub(crate) struct StoreOccupationData {
    pub weights: Option<EmploymentWeights>,
    pub demand_change: BTreeMap<IscoCode, f64>,
    pub demand_source: Option<String>,
}

pub(crate) fn from_store(occupations: &[KnownSeries]) -> StoreOccupationData {
    let mut employment = BTreeMap::new();
    let mut change = BTreeMap::new();
    let mut sources: Vec<String> = Vec::new();
    for series in occupations {
        let Some(OccupationCode::Isco(code)) = series.meta.occupation else {
            continue;
        };
        if code.level() != IscoLevel::Unit
            || occupation_measure(&series.meta) != Some(OccupationMeasure::Employment)
        {
            continue;
        }
        let Some(latest) = series.values.last() else {
            continue;
        };
        employment.insert(code, latest.value);
        if !sources.contains(&series.meta.source) {
            sources.push(series.meta.source.clone());
        }
        let year_ago = latest.period.end_month_index() - 12;
        if let Some(before) = series
            .values
            .iter()
            .find(|value| value.period.end_month_index() == year_ago)
            .filter(|before| before.value > 0.0)
        {
            change.insert(code, 100.0 * (latest.value / before.value - 1.0));
        }
    }
    let source = sources.join("; ");
    StoreOccupationData {
        weights: (!employment.is_empty()).then(|| EmploymentWeights::new(&source, employment)),
        demand_source: (!change.is_empty())
            .then(|| format!("employment growth on a year earlier ({source})")),
        demand_change: change,
    }
}

/// What the exposure table is weighted and crossed with.
pub(crate) struct ExposureInputs<'a> {
    pub weights: Option<&'a EmploymentWeights>,
    /// Why equal weights, when there are no employment weights.
    pub no_weights_reason: &'a str,
    pub demand_change: &'a BTreeMap<IscoCode, f64>,
    pub demand_source: Option<&'a str>,
}

/// The exposure table at `level` (1 to 4 digits).
pub(crate) fn view(
    exposures: &[OccupationExposure],
    gpts: &[CrosswalkedExposure],
    inputs: &ExposureInputs<'_>,
    crossing: &CrossingConfig,
    level: IscoLevel,
) -> ExposureView {
    let ExposureInputs {
        weights,
        no_weights_reason,
        demand_change,
        demand_source,
    } = *inputs;
    let crossings = cross_exposure_with_demand(exposures, demand_change, crossing);
    let class_of = |code: IscoCode| {
        crossings
            .iter()
            .find(|crossing| crossing.code == code)
            .map(|crossing| crossing.class)
    };
    let gpts_of = |code: IscoCode| gpts.iter().find(|gpts| gpts.isco == code);
    let exposed = |exposure: &OccupationExposure| exposure.gradient >= crossing.exposed_from;
    let rows: Vec<ExposureRow> = if level == IscoLevel::Unit {
        exposures
            .iter()
            .map(|exposure| {
                let scored = gpts_of(exposure.code);
                let class = class_of(exposure.code);
                ExposureRow {
                    code: exposure.code,
                    score: exposure.mean,
                    sd: Some(exposure.sd),
                    gradient: Some(exposure.gradient),
                    units_scored: 1,
                    units_exposed: usize::from(exposed(exposure)),
                    weights: String::new(),
                    employment: weights.and_then(|weights| weights.get(exposure.code)),
                    gpts_beta: scored.map(|gpts| gpts.value),
                    gpts_links: scored.map_or(0, |gpts| gpts.soc_scored),
                    gpts_part_links: scored.map_or(0, |gpts| gpts.part_links),
                    demand_change: demand_change.get(&exposure.code).copied(),
                    demand_class: class,
                    units_squeeze: usize::from(class == Some(ExposureDemand::Squeeze)),
                    units_augmented: usize::from(class == Some(ExposureDemand::Augmentation)),
                }
            })
            .collect()
    } else {
        let units: Vec<(IscoCode, f64)> = exposures
            .iter()
            .map(|exposure| (exposure.code, exposure.mean))
            .collect();
        aggregate_exposure(&units, weights, level, ILO_GENAI_2025)
            .into_iter()
            .map(|group| {
                let members: Vec<&OccupationExposure> = exposures
                    .iter()
                    .filter(|exposure| exposure.code.is_within(group.group))
                    .collect();
                let member_gpts: Vec<&CrosswalkedExposure> = gpts
                    .iter()
                    .filter(|gpts| gpts.isco.is_within(group.group))
                    .collect();
                let count = |class| {
                    members
                        .iter()
                        .filter(|member| class_of(member.code) == Some(class))
                        .count()
                };
                let employment = match &group.basis {
                    talent::aggregate::WeightBasis::Employment { employment, .. } => {
                        Some(*employment)
                    }
                    talent::aggregate::WeightBasis::Equal { .. } => None,
                };
                ExposureRow {
                    code: group.group,
                    score: group.score,
                    sd: None,
                    gradient: None,
                    units_scored: group.units_scored,
                    units_exposed: members.iter().filter(|member| exposed(member)).count(),
                    weights: group.basis.describe(),
                    employment,
                    gpts_beta: (!member_gpts.is_empty()).then(|| {
                        member_gpts.iter().map(|gpts| gpts.value).sum::<f64>()
                            / member_gpts.len() as f64
                    }),
                    gpts_links: member_gpts.iter().map(|gpts| gpts.soc_scored).sum(),
                    gpts_part_links: member_gpts.iter().map(|gpts| gpts.part_links).sum(),
                    demand_change: None,
                    demand_class: None,
                    units_squeeze: count(ExposureDemand::Squeeze),
                    units_augmented: count(ExposureDemand::Augmentation),
                }
            })
            .collect()
    };
    ExposureView {
        level,
        index: ILO_GENAI_2025,
        gpts_index: GPTS_ARE_GPTS_2024,
        weights: match weights {
            Some(weights) => format!("weighted by employment ({})", weights.source),
            None => format!("equal weights: {no_weights_reason}"),
        },
        weighted_by_employment: weights.is_some(),
        demand: demand_source.map_or_else(
            || {
                "no employment trend by occupation in the store: exposure is not crossed with demand (squeeze / augmentation need one)".to_owned()
            },
            str::to_owned,
        ),
        rows,
    }
}
