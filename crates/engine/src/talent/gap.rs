//! The talent gap forecast by level (`gap/1`), 1 to 5 years ahead with prediction intervals.
//!
//! Demand is the posts of the vacancy survey (persons engaged plus vacancies, C&SD 215-16001,
//! private sector establishments), and the gap is the posts left unfilled: the vacancies. Each
//! is averaged over the four quarterly surveys of a calendar year and forecast with the
//! damped-trend model of `talent::forecast` (ets-damped/1); the supply the establishments
//! found, local and imported, is their difference. The gap of each Manpower Projection level is
//! forecast the same way from the vacancies of that level: by occupation when the store has
//! vacancies by occupation (C&SD 215-16007), else by each industry's assumed main level.

use std::collections::BTreeMap;

use domain::{Date, IndustryCode, OccupationCode};
use talent::forecast::{Backtest, DampedTrend, Forecast, backtest};
use talent::levels::{IndustryLevels, ManpowerLevels};

use super::ratings::{
    KnownSeries, OccupationMeasure, TalentInputs, occupation_level, occupation_measure,
};

pub const METHOD: &str = "gap/1";
/// Years ahead.
pub const HORIZONS: usize = 5;
/// A backtest origin has at least this many years before it.
const MIN_TRAIN: usize = 8;

/// One annual series and its forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct GapSeries {
    /// `gap` (all vacancies), `demand` (all posts) or a level's id.
    pub key: String,
    pub name_en: String,
    pub name_zh: String,
    pub history: Vec<(i16, f64)>,
    pub model: Option<DampedTrend>,
    pub forecasts: Vec<(i16, Forecast)>,
}

impl GapSeries {
    fn new(key: &str, name_en: &str, name_zh: &str, history: Vec<(i16, f64)>) -> GapSeries {
        let values: Vec<f64> = history.iter().map(|(_, value)| *value).collect();
        let model = DampedTrend::fit(&values);
        let last = history.last().map_or(0, |(year, _)| *year);
        // Posts and vacancies cannot be negative: intervals stop at zero.
        let forecasts = model.as_ref().map_or_else(Vec::new, |model| {
            model
                .forecast(HORIZONS)
                .into_iter()
                .map(|forecast| {
                    let at_least_zero = |value: f64| value.max(0.0);
                    (
                        last + forecast.horizon as i16,
                        Forecast {
                            mean: at_least_zero(forecast.mean),
                            lower80: at_least_zero(forecast.lower80),
                            lower95: at_least_zero(forecast.lower95),
                            ..forecast
                        },
                    )
                })
                .collect()
        });
        GapSeries {
            key: key.to_owned(),
            name_en: name_en.to_owned(),
            name_zh: name_zh.to_owned(),
            history,
            model,
            forecasts,
        }
    }

    pub fn forecast_for(&self, year: i16) -> Option<Forecast> {
        self.forecasts
            .iter()
            .find(|(forecast_year, _)| *forecast_year == year)
            .map(|(_, forecast)| *forecast)
    }
}

/// How the gap was split by level.
#[derive(Debug, Clone, PartialEq)]
pub enum LevelBasis {
    /// From vacancies by occupation in the store.
    Occupation { series: usize },
    /// From each industry's assumed main level.
    IndustryAssumed { source: String },
    /// Neither occupations nor industries had enough history.
    None,
}

/// A published Manpower Projection figure beside lmo's forecast for the same year.
#[derive(Debug, Clone, PartialEq)]
pub struct AnchorRow {
    /// `total` or a level's id.
    pub key: String,
    pub name_en: String,
    pub name_zh: String,
    pub published_low: f64,
    pub published_high: f64,
    pub forecast: Option<Forecast>,
}

/// The gap forecast, its backtest and the comparison with the Manpower Projection.
#[derive(Debug, Clone, PartialEq)]
pub struct GapForecast {
    pub as_of: Date,
    pub method: &'static str,
    pub model: &'static str,
    /// The last complete year of the history.
    pub last_year: Option<i16>,
    pub gap: GapSeries,
    pub demand: GapSeries,
    pub levels: Vec<GapSeries>,
    pub level_basis: LevelBasis,
    /// Whether the level mapping is the report's or lmo's assumption.
    pub levels_status: String,
    pub backtest_gap: Option<Backtest>,
    pub backtest_demand: Option<Backtest>,
    pub anchor_year: i16,
    pub anchor_base_year: i16,
    pub anchor_source: String,
    pub anchor_note: String,
    /// The published requirement and local supply of the anchor year.
    pub anchor_requirement: f64,
    pub anchor_local_supply: f64,
    pub anchor: Vec<AnchorRow>,
}

/// Annual means of the quarterly survey (years with all four surveys).
fn annual(series: Option<&KnownSeries>) -> Vec<(i16, f64)> {
    series.map_or_else(Vec::new, |series| series.annual_means(4))
}

/// The yearly sum of several annual series, over the years all of them have.
fn summed(parts: &[Vec<(i16, f64)>]) -> Vec<(i16, f64)> {
    let mut years: BTreeMap<i16, (f64, usize)> = BTreeMap::new();
    for part in parts {
        for &(year, value) in part {
            let entry = years.entry(year).or_default();
            entry.0 += value;
            entry.1 += 1;
        }
    }
    years
        .into_iter()
        .filter(|(_, (_, count))| *count == parts.len())
        .map(|(year, (sum, _))| (year, sum))
        .collect()
}

pub(crate) fn forecast(
    inputs: &TalentInputs,
    levels: &ManpowerLevels,
    industry_levels: &IndustryLevels,
) -> GapForecast {
    let all = inputs
        .industries
        .iter()
        .find(|industry| industry.industry == IndustryCode::AllCovered);
    let gap_history = annual(all.and_then(|all| all.vacancies.as_ref()));
    let employed = annual(all.and_then(|all| all.persons_engaged.as_ref()));
    let demand_history = summed(&[gap_history.clone(), employed]);
    let gap = GapSeries::new(
        "gap",
        "Unfilled posts (vacancies)",
        "空缺職位",
        gap_history.clone(),
    );
    let demand = GapSeries::new(
        "demand",
        "Posts (persons engaged + vacancies)",
        "職位（就業人數＋空缺）",
        demand_history.clone(),
    );
    let (level_histories, level_basis) = level_histories(inputs, levels, industry_levels);
    let level_series: Vec<GapSeries> = levels
        .levels
        .iter()
        .filter_map(|level| {
            let history = level_histories.get(&level.id)?.clone();
            Some(GapSeries::new(
                &level.id,
                &level.name_en,
                &level.name_zh,
                history,
            ))
        })
        .collect();
    let anchor_year = levels.anchor.year;
    let mut anchor = vec![AnchorRow {
        key: "total".to_owned(),
        name_en: "All levels".to_owned(),
        name_zh: "所有層次".to_owned(),
        published_low: levels.anchor.total_shortfall,
        published_high: levels.anchor.total_shortfall,
        forecast: gap.forecast_for(anchor_year),
    }];
    for level in &levels.levels {
        anchor.push(AnchorRow {
            key: level.id.clone(),
            name_en: level.name_en.clone(),
            name_zh: level.name_zh.clone(),
            published_low: level.shortfall.0,
            published_high: level.shortfall.1,
            forecast: level_series
                .iter()
                .find(|series| series.key == level.id)
                .and_then(|series| series.forecast_for(anchor_year)),
        });
    }
    GapForecast {
        as_of: inputs.as_of,
        method: METHOD,
        model: talent::forecast::METHOD,
        last_year: gap_history.last().map(|(year, _)| *year),
        backtest_gap: backtest(&gap_history, MIN_TRAIN, HORIZONS),
        backtest_demand: backtest(&demand_history, MIN_TRAIN, HORIZONS),
        gap,
        demand,
        levels: level_series,
        levels_status: match level_basis {
            LevelBasis::Occupation { .. } => levels.status.clone(),
            _ => industry_levels.status.clone(),
        },
        level_basis,
        anchor_year,
        anchor_base_year: levels.anchor.base_year,
        anchor_source: levels.source.clone(),
        anchor_note: levels.anchor.note.clone(),
        anchor_requirement: levels.anchor.requirement,
        anchor_local_supply: levels.anchor.local_supply,
        anchor,
    }
}

/// Annual vacancies per level: from occupations when the store has vacancies by occupation for
/// the whole economy, else from industries by their assumed main level.
fn level_histories(
    inputs: &TalentInputs,
    levels: &ManpowerLevels,
    industry_levels: &IndustryLevels,
) -> (BTreeMap<String, Vec<(i16, f64)>>, LevelBasis) {
    let mut by_level: BTreeMap<String, Vec<Vec<(i16, f64)>>> = BTreeMap::new();
    let mut occupation_series = 0;
    for series in &inputs.occupations {
        let is_vacancies = occupation_measure(&series.meta) == Some(OccupationMeasure::Vacancies);
        let whole_economy = series
            .meta
            .industry
            .as_ref()
            .is_none_or(|industry| *industry == IndustryCode::AllCovered);
        // Only major groups: finer codes would count their vacancies twice.
        let major = match series.meta.occupation {
            Some(OccupationCode::CsdMajorGroup(_)) => true,
            Some(OccupationCode::Isco(code)) => code.level() == domain::IscoLevel::Major,
            None => false,
        };
        if !(is_vacancies && whole_economy && major) {
            continue;
        }
        let Some(level) = series
            .meta
            .occupation
            .and_then(|code| occupation_level(levels, code))
        else {
            continue;
        };
        let history = annual(Some(series));
        if !history.is_empty() {
            occupation_series += 1;
            by_level.entry(level).or_default().push(history);
        }
    }
    if occupation_series > 0 {
        let summed_levels = by_level
            .into_iter()
            .map(|(level, parts)| (level, summed(&parts)))
            .collect();
        return (
            summed_levels,
            LevelBasis::Occupation {
                series: occupation_series,
            },
        );
    }
    for industry in &inputs.industries {
        let Some(level) = industry_levels.level_of(&industry.industry) else {
            continue;
        };
        let history = annual(industry.vacancies.as_ref());
        if !history.is_empty() {
            by_level.entry(level.to_owned()).or_default().push(history);
        }
    }
    if by_level.is_empty() {
        return (BTreeMap::new(), LevelBasis::None);
    }
    (
        by_level
            .into_iter()
            .map(|(level, parts)| (level, summed(&parts)))
            .collect(),
        LevelBasis::IndustryAssumed {
            source: industry_levels.source.clone(),
        },
    )
}
