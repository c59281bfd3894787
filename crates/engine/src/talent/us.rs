//! The same shortage and exposure code on real occupation data: the US files (OEWS May 2021
//! employment, BLS Employment Projections 2020–30), brought to ISCO-08 through the BLS
//! crosswalk. The only shortage signal they give is employment growth (projected), since OEWS
//! is one year; the ratings say so through their coverage and confidence.

use std::collections::BTreeMap;

use domain::{IscoCode, IscoLevel, OccupationCode, Period};
use talent::config::TalentConfig;
use talent::levels::ManpowerLevels;
use talent::shortage::{GroupSignals, Signal, SignalValues, rate_shortages};
use talent::us::{employment_by_isco, projections_by_isco};

use super::exposure::{ExposureInputs, ExposureView, view};
use super::ratings::{GroupRating, occupation_level};
use super::reference;
use crate::EngineError;

/// The US run.
#[derive(Debug, Clone, PartialEq)]
pub struct UsTalent {
    /// Ratings of ISCO-08 sub-major groups.
    pub ratings: Vec<GroupRating>,
    /// BLS's projected growth of all occupations, a year on average, %.
    pub economy_growth: Option<f64>,
    pub exposure: ExposureView,
    pub employment_total: f64,
    pub employment_mapped: f64,
    pub employment_unmapped: f64,
    pub sources: Vec<String>,
}

/// 2020–30 change as a yearly rate.
fn yearly(pct_over_ten_years: f64) -> f64 {
    100.0 * ((1.0 + pct_over_ten_years / 100.0).powf(0.1) - 1.0)
}

pub(crate) fn run(
    config: &TalentConfig,
    levels: &ManpowerLevels,
    level: IscoLevel,
) -> Result<UsTalent, EngineError> {
    let oews = reference::oews()?;
    let projections = reference::projections()?;
    let crosswalk = reference::crosswalk()?;
    let ilo = reference::ilo_index()?;
    let gpts = reference::gpts()?;
    let source = format!(
        "BLS OEWS May 2021 ({}) through the BLS ISCO-08/SOC 2010 crosswalk",
        reference::OEWS_FILE
    );
    let employment = employment_by_isco(&oews, &crosswalk, &source);
    let projected = projections_by_isco(&projections, &oews, &crosswalk);
    let total = oews
        .iter()
        .find(|occupation| occupation.group == "total")
        .and_then(|occupation| occupation.employment)
        .unwrap_or_default();
    let economy_growth = projections
        .iter()
        .find(|row| row.title.eq_ignore_ascii_case("Total, all occupations"))
        .map(|row| yearly(row.pct_change_2020_2030));
    // Sub-major groups: employment-weighted yearly growth of their unit groups.
    let mut sums: BTreeMap<IscoCode, (f64, f64)> = BTreeMap::new();
    for (unit, change) in &projected.pct_change {
        let (Some(weight), Some(group)) = (
            employment.weights.get(*unit),
            unit.ancestor(IscoLevel::SubMajor),
        ) else {
            continue;
        };
        let entry = sums.entry(group).or_default();
        entry.0 += weight * yearly(*change);
        entry.1 += weight;
    }
    let groups: Vec<GroupSignals> = sums
        .iter()
        .filter(|(_, (_, weight))| *weight > 0.0)
        .map(|(group, (sum, weight))| GroupSignals {
            group: OccupationCode::Isco(*group).to_string(),
            values: SignalValues {
                persons_engaged_growth: Some(sum / weight),
                ..SignalValues::default()
            },
        })
        .collect();
    let economy = SignalValues {
        persons_engaged_growth: economy_growth,
        ..SignalValues::default()
    };
    let period = Period::parse("2030").map_err(|error| EngineError::Request(error.to_string()))?;
    let ratings = rate_shortages(&groups, &economy, &config.shortage, &config.method)
        .into_iter()
        .map(|rating| {
            let code = OccupationCode::parse(&rating.group).ok();
            GroupRating {
                code: rating.group.clone(),
                name_en: code.map_or_else(String::new, |code| code.name_en().to_owned()),
                name_zh: code
                    .and_then(OccupationCode::name_zh)
                    .unwrap_or_default()
                    .to_owned(),
                level: code.and_then(|code| occupation_level(levels, code)),
                periods: vec![(Signal::PersonsEngagedGrowth, period)],
                notes: vec![
                    "US: projected employment growth 2020–30 a year (BLS), OEWS May 2021 employment as weights; the US files have no vacancy, wage-growth or unemployment series by occupation".to_owned(),
                ],
                rating,
            }
        })
        .collect();
    let exposures = ilo.exposures();
    let gpts_by_isco =
        talent::gpts::gpts_by_isco(&gpts, &crosswalk, talent::gpts::GptsMeasure::ModelBeta);
    let exposure = view(
        &exposures,
        &gpts_by_isco.exposures,
        &ExposureInputs {
            weights: Some(&employment.weights),
            no_weights_reason: "",
            demand_change: &projected.pct_change,
            demand_source: Some(
                "BLS projected employment change 2020–30 (%), matched by title to OEWS",
            ),
        },
        &config.crossing,
        level,
    );
    Ok(UsTalent {
        ratings,
        economy_growth,
        exposure,
        employment_total: total,
        employment_mapped: employment.mapped_employment,
        employment_unmapped: employment.unmapped_employment,
        sources: vec![
            reference::OEWS_FILE.to_owned(),
            reference::PROJECTIONS_FILE.to_owned(),
            "data/ai/bls_isco08_soc2010_crosswalk.xls".to_owned(),
        ],
    })
}
