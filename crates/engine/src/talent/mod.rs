//! The talent tables: shortage ratings per industry and per occupation, the industry demand map
//! (行業人才需求地圖), the gap forecast by level with its backtest and the Manpower Projection
//! beside it, the Talent List (人才清單) beside local statistics, the talent-needs catalogue
//! (本地化產業人才需求目錄) and exposure to generative AI.
//!
//! [`Engine::talent_inputs`] reads what the tables need from the store as known on `as_of`;
//! everything after it is pure: [`TalentRun::compute`] gives the same tables for the same
//! inputs. The reference files (the ILO index, the crosswalk, the US files, the Talent List)
//! are compiled in ([`reference`]). Methods: `crates/talent/README.md`.

mod catalogue;
mod exposure;
mod gap;
mod ratings;
pub mod reference;
mod us;

use domain::{Date, IndustryCode, IscoLevel, SeriesId};
use talent::config::TalentConfig;
use talent::gpts::CrosswalkedExposure;
use talent::ilo::OccupationExposure;
use talent::levels::{IndustryLevels, ManpowerLevels};
use talent::talent_list::Edition;

pub use catalogue::{
    Catalogue, CatalogueEntry, CatalogueOccupation, TalentListRow, TalentListView,
};
pub use exposure::{ExposureRow, ExposureView};
pub use gap::{
    AnchorRow, GapForecast, GapSeries, HORIZONS as GAP_HORIZONS, LevelBasis, METHOD as GAP_METHOD,
};
pub use ratings::{DemandRow, GroupRating, IndustryInputs, KnownSeries, Ratings, TalentInputs};
pub use talent::IndexCitation;
pub use talent::crossing::ExposureDemand;
pub use talent::forecast::{Backtest, DampedTrend, Forecast, HorizonScore};
pub use talent::ilo::ExposureGradient;
pub use talent::levels::ManpowerLevel;
pub use talent::shortage::{Confidence, Driver, Rating, ShortageRating, Signal, SignalReading};
pub use talent::talent_list::Profession;
pub use us::UsTalent;

use crate::report::Observed;
use crate::{Engine, EngineError};

/// The reference data every run uses.
pub struct Reference {
    pub config: TalentConfig,
    pub levels: ManpowerLevels,
    pub industry_levels: IndustryLevels,
    pub talent_list: Vec<Edition>,
    /// The ILO index per unit group, computed from its task scores.
    pub exposures: Vec<OccupationExposure>,
    /// GPTs-are-GPTs β per ISCO-08 group through the crosswalk.
    pub gpts: Vec<CrosswalkedExposure>,
}

impl Reference {
    /// The bundled files, with the method's weights from `config` when given.
    pub fn load(
        config: Option<&std::path::Path>,
        talent_list: Option<&[(String, String)]>,
    ) -> Result<Reference, EngineError> {
        let crosswalk = reference::crosswalk()?;
        let gpts = talent::gpts::gpts_by_isco(
            &reference::gpts()?,
            &crosswalk,
            talent::gpts::GptsMeasure::ModelBeta,
        );
        Ok(Reference {
            config: reference::config(config)?,
            levels: reference::levels(),
            industry_levels: reference::industry_levels(),
            talent_list: reference::talent_list(talent_list)?,
            exposures: reference::ilo_index()?.exposures(),
            gpts: gpts.exposures,
        })
    }
}

/// Every talent table for one `as_of`.
#[derive(Debug, Clone, PartialEq)]
pub struct TalentRun {
    pub as_of: Date,
    pub ratings: Ratings,
    pub demand_map: Vec<DemandRow>,
    pub gap: GapForecast,
    pub catalogue: Catalogue,
    pub talent_list: TalentListView,
    /// Exposure by ISCO-08 major group (1 digit) and by unit group (4 digits).
    pub exposure_major: ExposureView,
    pub exposure_units: ExposureView,
    /// The series read, with the latest vintage of each.
    pub sources: Vec<(SeriesId, String, Option<Date>)>,
    pub levels: Vec<ManpowerLevel>,
    pub levels_source: String,
}

impl TalentRun {
    /// The tables from what the store held on `inputs.as_of`.
    pub fn compute(inputs: &TalentInputs, reference: &Reference) -> TalentRun {
        let ratings = ratings::rate(
            inputs,
            &reference.config,
            &reference.levels,
            &reference.industry_levels,
        );
        let demand_map = ratings::demand_map(inputs, &ratings);
        let gap = gap::forecast(inputs, &reference.levels, &reference.industry_levels);
        let catalogue =
            catalogue::catalogue(inputs, &ratings, &reference.levels, &reference.talent_list);
        let talent_list = catalogue::talent_list_view(
            inputs.as_of,
            &ratings,
            &reference.levels,
            &reference.talent_list,
            None,
        );
        TalentRun {
            as_of: inputs.as_of,
            demand_map,
            gap,
            catalogue,
            talent_list,
            exposure_major: exposure_view(inputs, reference, IscoLevel::Major),
            exposure_units: exposure_view(inputs, reference, IscoLevel::Unit),
            sources: sources(inputs),
            ratings,
            levels: reference.levels.levels.clone(),
            levels_source: reference.levels.source.clone(),
        }
    }
}

/// Exposure at `level`, weighted by the employment by occupation the store holds, if any.
pub fn exposure_view(
    inputs: &TalentInputs,
    reference: &Reference,
    level: IscoLevel,
) -> ExposureView {
    let store = exposure::from_store(&inputs.occupations);
    exposure::view(
        &reference.exposures,
        &reference.gpts,
        &exposure::ExposureInputs {
            weights: store.weights.as_ref(),
            no_weights_reason: "no employment by ISCO-08 unit group is in the store (Hong Kong publishes employment by major group only; none is bundled)",
            demand_change: &store.demand_change,
            demand_source: store.demand_source.as_deref(),
        },
        &reference.config.crossing,
        level,
    )
}

/// The Talent List view for an edition other than the one in effect.
pub fn talent_list_view(
    run: &TalentRun,
    reference: &Reference,
    edition: Option<Date>,
) -> TalentListView {
    catalogue::talent_list_view(
        run.as_of,
        &run.ratings,
        &reference.levels,
        &reference.talent_list,
        edition,
    )
}

/// The US occupation files through the same code, exposure at `level`.
pub fn us_run(reference: &Reference, level: IscoLevel) -> Result<UsTalent, EngineError> {
    us::run(&reference.config, &reference.levels, level)
}

fn sources(inputs: &TalentInputs) -> Vec<(SeriesId, String, Option<Date>)> {
    let mut out = Vec::new();
    let mut cite = |series: &KnownSeries| {
        out.push((
            series.meta.id.clone(),
            series.meta.source.clone(),
            series.values.iter().map(|value| value.vintage).max(),
        ));
    };
    for industry in &inputs.industries {
        for series in [
            &industry.vacancy_rate,
            &industry.vacancies,
            &industry.persons_engaged,
            &industry.persons_engaged_growth,
        ]
        .into_iter()
        .flatten()
        {
            cite(series);
        }
        if let Some((series, _)) = &industry.payroll {
            cite(series);
        }
    }
    for series in &inputs.occupations {
        cite(series);
    }
    out
}

impl Engine {
    /// A series known on `as_of` as a [`KnownSeries`], if the store has it.
    fn talent_series(&mut self, id: &str, as_of: Date) -> Result<Option<KnownSeries>, EngineError> {
        Ok(self
            .known(id, as_of)?
            .map(|(meta, values)| KnownSeries { meta, values }))
    }

    /// What the talent tables read from the store, as known on `as_of`: the vacancy survey by
    /// industry (C&SD 215-16001), the payroll index by industry (220-19023), and every series
    /// that carries an occupation.
    pub fn talent_inputs(&mut self, as_of: Date) -> Result<TalentInputs, EngineError> {
        let mut industries = Vec::new();
        for code in std::iter::once("ALL").chain(ratings::RATED_INDUSTRIES) {
            let Ok(industry) = IndustryCode::parse(code) else {
                continue;
            };
            let series = |measure: &str| format!("csd.215-16001.{measure}.{code}");
            let payroll = match ratings::PAYROLL_ROWS.iter().find(|(of, _, _)| *of == code) {
                Some((_, row, covers)) => self
                    .talent_series(
                        &format!("csd.220-19023.nominal_index_of_payroll_per_person_engaged.{row}"),
                        as_of,
                    )?
                    .filter(|series| !series.values.is_empty())
                    .map(|series| (series, *covers)),
                None => None,
            };
            industries.push(IndustryInputs {
                industry,
                vacancy_rate: self.talent_series(&series("vacancy_rate"), as_of)?,
                vacancies: self.talent_series(&series("number_of_vacancies"), as_of)?,
                persons_engaged: self.talent_series(&series("number_of_persons_engaged"), as_of)?,
                persons_engaged_growth: self
                    .talent_series(&series("number_of_persons_engaged.yoy_pct"), as_of)?,
                payroll,
            });
        }
        let mut occupations = Vec::new();
        for summary in self.list_series(None, None)? {
            if summary.meta.occupation.is_none() {
                continue;
            }
            let values: Vec<Observed> = self
                .store
                .observations(&summary.meta.id, Some(as_of))?
                .iter()
                .map(|stored| Observed {
                    period: stored.observation.period,
                    value: stored.observation.value,
                    vintage: stored.vintage,
                })
                .collect();
            occupations.push(KnownSeries {
                meta: summary.meta,
                values,
            });
        }
        Ok(TalentInputs {
            as_of,
            industries,
            occupations,
        })
    }

    /// Every talent table as known on `as_of`.
    pub fn talent(&mut self, as_of: Date, reference: &Reference) -> Result<TalentRun, EngineError> {
        let inputs = self.talent_inputs(as_of)?;
        Ok(TalentRun::compute(&inputs, reference))
    }
}
