//! `lmo compute`: derived indicators stored as series, with their method and inputs.

use std::path::Path;

use domain::{
    Date, Direction, Frequency, Observation, ObservationStatus, Period, SeriesId, SeriesMeta, Tag,
};
use indicators::{ClimateComponent, EtiOptions, SahmOptions, TimeSeries};
use serde::Deserialize;
use store::{FinishOptions, ImportInfo, MetadataAuthority, SeriesFilter, StagedRow};

use crate::{Engine, EngineError, ImportTime};

/// The indicator sets shipped with lmo, by name: Hong Kong's (`config/hk-indicators.toml`)
/// and one for United States monthly data (`config/us-indicators.toml`). Each indicator of a
/// set is computed where its inputs are in the store, so running both on any store is safe.
pub const SHIPPED_INDICATOR_SETS: [(&str, &str); 2] = [
    ("hk", include_str!("../config/hk-indicators.toml")),
    ("us", include_str!("../config/us-indicators.toml")),
];

/// A set of indicators to compute, as TOML text, with the name messages give it.
#[derive(Debug, Clone)]
pub struct IndicatorSet {
    pub name: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComputeConfig {
    #[serde(default)]
    description: String,
    climate_index: Option<ClimateConfig>,
    #[serde(default)]
    sahm: Vec<SahmConfig>,
    #[serde(default)]
    transform: Vec<TransformConfig>,
    #[serde(default)]
    vacancy_rate: Vec<VacancyRateConfig>,
    #[serde(default)]
    diffusion: Vec<DiffusionConfig>,
    #[serde(default)]
    mismatch: Vec<MismatchConfig>,
}

/// The share of selected series that rose since the previous period (0–100).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffusionConfig {
    id: String,
    title_en: String,
    title_zh: String,
    tags: Vec<String>,
}

/// The Şahin–Song–Topa–Violante mismatch index over sectors (industries or occupations),
/// pairing a vacancies series and an unemployed series per sector.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MismatchConfig {
    id: String,
    title_en: String,
    title_zh: String,
    vacancies_tags: Vec<String>,
    unemployed_tags: Vec<String>,
    /// `industry` or `occupation`: what pairs the two series of a sector.
    by: String,
    #[serde(default = "default_alpha")]
    alpha: f64,
}

fn default_alpha() -> f64 {
    indicators::MISMATCH_ALPHA
}

/// A transform of every selected series into a derived series of its own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TransformConfig {
    /// `yoy_pct`, `ma3`, `stl_adjusted` or `zscore` (trailing, over `window` periods).
    kind: String,
    tags: Vec<String>,
    frequency: Option<String>,
    window: Option<usize>,
}

/// The vacancy rate `100 V / (V + E)` per industry, pairing series by industry code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VacancyRateConfig {
    vacancies_tags: Vec<String>,
    persons_engaged_tags: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClimateConfig {
    id: String,
    title_en: String,
    title_zh: String,
    base_year: i16,
    pub(crate) components: Vec<String>,
}

/// The climate index computed from the data known on one date, with its inputs.
pub(crate) struct ClimateRun {
    pub(crate) base_year: i16,
    /// The metadata the index is stored under.
    pub(crate) eti_meta: SeriesMeta,
    pub(crate) eti: indicators::Eti,
    pub(crate) lmci: indicators::Lmci,
    /// In the configured order, with their metadata and latest vintage.
    pub(crate) components: Vec<ClimateComponent>,
    pub(crate) metas: Vec<SeriesMeta>,
    pub(crate) vintages: Vec<Date>,
}

/// The climate index section of the shipped indicators (`config/hk-indicators.toml`).
pub(crate) fn shipped_climate_config() -> Result<Option<ClimateConfig>, EngineError> {
    let (_, hong_kong) = SHIPPED_INDICATOR_SETS[0];
    let config: ComputeConfig = toml::from_str(hong_kong)
        .map_err(|error| request(format!("hk-indicators: {}", error.to_string().trim())))?;
    Ok(config.climate_index)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SahmConfig {
    tags: Vec<String>,
    frequency: Option<String>,
    #[serde(default)]
    already_averaged: bool,
}

/// One derived series written by `compute`.
#[derive(Debug, Clone)]
pub struct DerivedSeries {
    pub meta: SeriesMeta,
    pub points: Vec<(Period, f64)>,
}

/// What `compute` did.
#[derive(Debug, Clone)]
pub struct ComputeReport {
    pub description: String,
    pub derived: Vec<DerivedSeries>,
    /// Series an indicator could not be computed for, and why (too short, gaps for STL, …).
    pub skipped: Vec<String>,
    pub rows_new: u64,
    pub rows_revised: u64,
    pub rows_unchanged: u64,
}

/// The indicator sets `choice` names: every shipped set when `None`, a shipped set by its
/// name (`hk`, `us`), or else a TOML file.
pub fn indicator_sets(choice: Option<&str>) -> Result<Vec<IndicatorSet>, EngineError> {
    let shipped = |(name, text): &(&str, &str)| IndicatorSet {
        name: format!("{name}-indicators"),
        text: (*text).to_owned(),
    };
    match choice {
        None => Ok(SHIPPED_INDICATOR_SETS.iter().map(shipped).collect()),
        Some(choice) => {
            if let Some(set) = SHIPPED_INDICATOR_SETS
                .iter()
                .find(|(name, _)| *name == choice)
            {
                return Ok(vec![shipped(set)]);
            }
            let path = Path::new(choice);
            std::fs::read_to_string(path)
                .map(|text| {
                    vec![IndicatorSet {
                        name: path.display().to_string(),
                        text,
                    }]
                })
                .map_err(|source| EngineError::IndicatorsFile {
                    path: path.to_path_buf(),
                    source,
                })
        }
    }
}

fn request(message: String) -> EngineError {
    EngineError::Request(message)
}

/// The source of a derived series, naming its method and inputs: `lmo sahm/1 from fred.UNRATE`.
fn derived_source(method: &str, inputs: &[&str]) -> String {
    format!("lmo {method} from {}", inputs.join(", "))
}

/// The inputs a derived series' source names (see [`derived_source`]); none for a series
/// lmo did not derive.
pub(crate) fn derived_inputs(meta: &SeriesMeta) -> Vec<SeriesId> {
    let Some(rest) = meta.source.strip_prefix("lmo ") else {
        return Vec::new();
    };
    let Some((_, inputs)) = rest.split_once(" from ") else {
        return Vec::new();
    };
    inputs
        .split(", ")
        .filter_map(|id| SeriesId::parse(id).ok())
        .collect()
}

fn derived_meta(
    id: &str,
    title_en: String,
    title_zh: String,
    unit: &str,
    method: &str,
    inputs: &[&SeriesId],
) -> Result<SeriesMeta, EngineError> {
    let id = SeriesId::parse(id).map_err(|error| request(error.to_string()))?;
    let mut meta = SeriesMeta::new(id, title_en, Frequency::Quarterly);
    meta.title_zh = title_zh;
    unit.clone_into(&mut meta.unit);
    let input_list: Vec<&str> = inputs.iter().map(|id| id.as_str()).collect();
    meta.source = derived_source(method, &input_list);
    meta.publication_lag_days = 0;
    meta.tags = [
        "derived".to_owned(),
        format!("method:{}", method.replace('/', "-")),
    ]
    .iter()
    .filter_map(|tag| Tag::parse(tag).ok())
    .collect();
    Ok(meta)
}

impl Engine {
    /// The series as known on `as_of`, as an indicator input.
    fn known_series(
        &mut self,
        id: &SeriesId,
        as_of: Date,
    ) -> Result<(SeriesMeta, TimeSeries), EngineError> {
        let (meta, observations) = self.series(id, Some(as_of))?;
        let points = observations
            .iter()
            .map(|stored| (stored.observation.period, stored.observation.value))
            .collect();
        let series = TimeSeries::new(meta.frequency, points)?;
        Ok((meta, series))
    }

    /// Computes the indicators of `sets` from the data known on `as_of` and stores them as
    /// derived series whose values are known from `as_of` (one transaction). An indicator
    /// whose inputs are not in the store is skipped, and the report says why.
    pub fn compute(
        &mut self,
        sets: &[IndicatorSet],
        as_of: Date,
        time: &ImportTime,
        on_step: &mut dyn FnMut(&str),
    ) -> Result<ComputeReport, EngineError> {
        let mut derived = Vec::new();
        let mut skipped = Vec::new();
        let mut descriptions = Vec::new();
        for set in sets {
            let config: ComputeConfig = toml::from_str(&set.text)
                .map_err(|error| request(format!("{}: {}", set.name, error.to_string().trim())))?;
            descriptions.push(config.description.clone());
            derived.extend(self.compute_set(&config, as_of, &mut skipped, on_step)?);
        }
        on_step("storing derived series");
        let names: Vec<&str> = sets.iter().map(|set| set.name.as_str()).collect();
        let outcome = self.store_derived(&names.join(", "), &derived, as_of, time)?;
        Ok(ComputeReport {
            description: descriptions.join("; "),
            derived,
            skipped,
            rows_new: outcome.rows_new,
            rows_revised: outcome.rows_revised,
            rows_unchanged: outcome.rows_unchanged,
        })
    }

    /// The derived series of one set; what cannot be computed goes to `skipped`, with why.
    fn compute_set(
        &mut self,
        config: &ComputeConfig,
        as_of: Date,
        skipped: &mut Vec<String>,
        on_step: &mut dyn FnMut(&str),
    ) -> Result<Vec<DerivedSeries>, EngineError> {
        let mut derived = Vec::new();
        if let Some(climate) = &config.climate_index {
            on_step("employment climate index (ETI and LMCI)");
            derived.extend(self.climate_index(climate, as_of, skipped)?);
        }
        for sahm in &config.sahm {
            on_step("Sahm-type gaps");
            derived.extend(self.sahm_gaps(sahm, as_of, skipped)?);
        }
        for transform in &config.transform {
            on_step(&format!("transform {}", transform.kind));
            derived.extend(self.transforms(transform, as_of, skipped)?);
        }
        for rate in &config.vacancy_rate {
            on_step("vacancy rates");
            derived.extend(self.vacancy_rates(rate, as_of, skipped)?);
        }
        for diffusion in &config.diffusion {
            on_step("diffusion");
            derived.extend(self.diffusion(diffusion, as_of, skipped)?);
        }
        for mismatch in &config.mismatch {
            on_step("mismatch index");
            derived.extend(self.mismatch(mismatch, as_of, skipped)?);
        }
        Ok(derived)
    }

    /// The climate index's inputs known on `as_of`, and the index computed from them.
    pub(crate) fn climate_run(
        &mut self,
        config: &ClimateConfig,
        as_of: Date,
    ) -> Result<ClimateRun, EngineError> {
        let mut components = Vec::new();
        let mut metas = Vec::new();
        let mut vintages = Vec::new();
        for text in &config.components {
            let id = SeriesId::parse(text).map_err(|error| request(error.to_string()))?;
            let (meta, series) = self.known_series(&id, as_of)?;
            if meta.direction == Direction::Neutral {
                return Err(request(format!(
                    "climate index component {id} has no direction; declare higher_is_better or higher_is_worse in its metadata"
                )));
            }
            let vintage = self
                .store
                .observations(&id, Some(as_of))?
                .iter()
                .map(|stored| stored.vintage)
                .max()
                .unwrap_or(as_of);
            components.push(ClimateComponent {
                name: id.to_string(),
                series: as_quarterly(&series)?,
                direction: meta.direction,
            });
            metas.push(meta);
            vintages.push(vintage);
        }
        let eti = indicators::eti(
            &components,
            &EtiOptions {
                estimation_window: None,
                base_year: config.base_year,
            },
        )?;
        let lmci = indicators::lmci(&components)?;
        let inputs: Vec<&SeriesId> = metas.iter().map(|meta| &meta.id).collect();
        let eti_meta = derived_meta(
            &format!("{}.eti", config.id),
            format!(
                "{} (ETI style, {} = 100)",
                config.title_en, config.base_year
            ),
            format!(
                "{}（ETI 方法，{}年 = 100）",
                config.title_zh, config.base_year
            ),
            "index",
            indicators::ETI,
            &inputs,
        )?;
        Ok(ClimateRun {
            base_year: config.base_year,
            eti_meta,
            eti,
            lmci,
            components,
            metas,
            vintages,
        })
    }

    fn climate_index(
        &mut self,
        config: &ClimateConfig,
        as_of: Date,
        skipped: &mut Vec<String>,
    ) -> Result<Vec<DerivedSeries>, EngineError> {
        for text in &config.components {
            let id = SeriesId::parse(text).map_err(|error| request(error.to_string()))?;
            if self.store.series(&id)?.is_none() {
                skipped.push(format!(
                    "{} ({}): its component {id} is not in the store",
                    config.id, config.title_en
                ));
                return Ok(Vec::new());
            }
        }
        let run = self.climate_run(config, as_of)?;
        let ids: Vec<SeriesId> = run.metas.iter().map(|meta| meta.id.clone()).collect();
        let inputs: Vec<&SeriesId> = ids.iter().collect();
        let (eti, lmci) = (run.eti, run.lmci);
        let mut derived = vec![
            DerivedSeries {
                meta: run.eti_meta,
                points: eti.index.points().to_vec(),
            },
            DerivedSeries {
                meta: derived_meta(
                    &format!("{}.lmci.level", config.id),
                    format!("{}: level (LMCI style, 0 = average)", config.title_en),
                    format!("{}：水平（LMCI 方法）", config.title_zh),
                    "standard deviations",
                    indicators::LMCI,
                    &inputs,
                )?,
                points: lmci.level.points().to_vec(),
            },
            DerivedSeries {
                meta: derived_meta(
                    &format!("{}.lmci.momentum", config.id),
                    format!("{}: momentum (LMCI style, 0 = average)", config.title_en),
                    format!("{}：動力（LMCI 方法）", config.title_zh),
                    "standard deviations",
                    indicators::LMCI,
                    &inputs,
                )?,
                points: lmci.momentum.points().to_vec(),
            },
        ];
        for (index, (id, component)) in ids.iter().zip(&run.metas).enumerate() {
            // Named by the component's own title, in each language (an id says little).
            let name_en = if component.title_en.is_empty() {
                id.as_str()
            } else {
                component.title_en.as_str()
            };
            let name_zh = if component.title_zh.is_empty() {
                name_en
            } else {
                component.title_zh.as_str()
            };
            let points = eti
                .contributions
                .iter()
                .filter_map(|row| {
                    row.by_component
                        .get(index)
                        .map(|value| (row.period, *value))
                })
                .collect();
            derived.push(DerivedSeries {
                meta: derived_meta(
                    &format!(
                        "{}.eti.contribution.{}",
                        config.id,
                        SeriesId::slug(id.as_str())
                    ),
                    format!(
                        "{}: contribution of {name_en} (percentage points of the composite change)",
                        config.title_en
                    ),
                    format!("{}：{name_zh}的貢獻", config.title_zh),
                    "pp",
                    indicators::ETI,
                    &[id],
                )?,
                points,
            });
        }
        for series in &mut derived {
            series.meta.direction = Direction::HigherIsBetter;
        }
        Ok(derived)
    }

    /// Series whose metadata carries every tag and, if given, the frequency.
    fn selected(
        &mut self,
        tags: &[String],
        frequency: Option<&str>,
    ) -> Result<Vec<SeriesMeta>, EngineError> {
        let tags: Vec<Tag> = tags
            .iter()
            .map(|tag| Tag::parse(tag).map_err(|error| request(error.to_string())))
            .collect::<Result<_, _>>()?;
        let frequency = frequency
            .map(Frequency::parse)
            .transpose()
            .map_err(|error| request(error.to_string()))?;
        Ok(self
            .store
            .list_series(&SeriesFilter::default())?
            .into_iter()
            .map(|summary| summary.meta)
            .filter(|meta| {
                tags.iter().all(|tag| meta.tags.contains(tag))
                    && frequency.is_none_or(|wanted| meta.frequency == wanted)
                    && !meta.tags.iter().any(|tag| tag.as_str() == "derived")
            })
            .collect())
    }

    /// [`Engine::selected`], noting in `skipped` when no series is selected for `what`.
    fn selected_for(
        &mut self,
        what: &str,
        tags: &[String],
        frequency: Option<&str>,
        skipped: &mut Vec<String>,
    ) -> Result<Vec<SeriesMeta>, EngineError> {
        let selected = self.selected(tags, frequency)?;
        if selected.is_empty() {
            let frequency = frequency
                .map(|frequency| format!(" ({frequency})"))
                .unwrap_or_default();
            skipped.push(format!(
                "{what}: no series in the store carries the tags {}{frequency}",
                tags.join(" + ")
            ));
        }
        Ok(selected)
    }

    fn transforms(
        &mut self,
        config: &TransformConfig,
        as_of: Date,
        skipped: &mut Vec<String>,
    ) -> Result<Vec<DerivedSeries>, EngineError> {
        let (method, unit, title_en, title_zh) = match config.kind.as_str() {
            "yoy_pct" => (
                indicators::YOY_PCT,
                "%",
                "year-on-year % change",
                "按年變動百分率",
            ),
            "ma3" => (
                indicators::MOVING_AVERAGE_3,
                "",
                "3-period moving average",
                "三期移動平均",
            ),
            "stl_adjusted" => (
                indicators::STL,
                "",
                "seasonally adjusted (STL)",
                "經季節性調整（STL）",
            ),
            "zscore" => (
                indicators::ZSCORE_TRAILING,
                "standard deviations",
                "z-score",
                "標準分數",
            ),
            other => {
                return Err(request(format!(
                    "unknown transform kind '{other}' (yoy_pct, ma3, stl_adjusted, zscore)"
                )));
            }
        };
        let mut derived = Vec::new();
        let what = format!("transform {}", config.kind);
        for meta in self.selected_for(&what, &config.tags, config.frequency.as_deref(), skipped)? {
            let (_, series) = self.known_series(&meta.id, as_of)?;
            let result = match config.kind.as_str() {
                "yoy_pct" => Ok(indicators::yoy_pct(&series)),
                "ma3" => Ok(indicators::moving_average_3(&series)),
                "stl_adjusted" => {
                    indicators::seasonally_adjust(&series, &indicators::StlOptions::default())
                }
                _ => indicators::zscore_trailing(&series, config.window.unwrap_or(40)),
            };
            let points = match result {
                Ok(transformed) => transformed.points().to_vec(),
                Err(error) => {
                    skipped.push(format!("{method} of {}: {error}", meta.id));
                    continue;
                }
            };
            let kind = config.kind.as_str();
            let mut derived_meta = derived_meta(
                &format!("lmo.{kind}.{}", meta.id),
                format!("{}, {title_en}", meta.title_en),
                // Half a Chinese title (a transform of a series without one) is no title.
                if meta.title_zh.is_empty() {
                    String::new()
                } else {
                    format!("{}，{title_zh}", meta.title_zh)
                },
                if unit.is_empty() { &meta.unit } else { unit },
                method,
                &[&meta.id],
            )?;
            derived_meta.frequency = meta.frequency;
            derived_meta.industry.clone_from(&meta.industry);
            derived_meta.direction = match kind {
                "yoy_pct" | "zscore" => Direction::Neutral,
                _ => meta.direction,
            };
            derived.push(DerivedSeries {
                meta: derived_meta,
                points,
            });
        }
        Ok(derived)
    }

    fn vacancy_rates(
        &mut self,
        config: &VacancyRateConfig,
        as_of: Date,
        skipped: &mut Vec<String>,
    ) -> Result<Vec<DerivedSeries>, EngineError> {
        let what = "vacancy rate";
        let vacancies = self.selected_for(what, &config.vacancies_tags, None, skipped)?;
        let engaged = self.selected_for(what, &config.persons_engaged_tags, None, skipped)?;
        let mut derived = Vec::new();
        for vacancy_meta in &vacancies {
            let Some(industry) = &vacancy_meta.industry else {
                continue;
            };
            let Some(engaged_meta) = engaged
                .iter()
                .find(|meta| meta.industry.as_ref() == Some(industry))
            else {
                continue;
            };
            let (_, v) = self.known_series(&vacancy_meta.id, as_of)?;
            let (_, e) = self.known_series(&engaged_meta.id, as_of)?;
            let rate = indicators::vacancy_rate(&v, &e)?;
            let mut meta = derived_meta(
                &format!("lmo.vacancy_rate.{industry}"),
                format!("Vacancy rate (recomputed), {}", industry.name_en()),
                format!("職位空缺率（重新計算），{}", industry.name_zh()),
                "%",
                indicators::VACANCY_RATE,
                &[&vacancy_meta.id, &engaged_meta.id],
            )?;
            meta.frequency = vacancy_meta.frequency;
            meta.industry = Some(industry.clone());
            meta.direction = Direction::HigherIsBetter;
            derived.push(DerivedSeries {
                meta,
                points: rate.points().to_vec(),
            });
        }
        Ok(derived)
    }

    fn diffusion(
        &mut self,
        config: &DiffusionConfig,
        as_of: Date,
        skipped: &mut Vec<String>,
    ) -> Result<Vec<DerivedSeries>, EngineError> {
        let selected = self.selected_for(&config.id, &config.tags, None, skipped)?;
        if selected.is_empty() {
            return Ok(Vec::new());
        }
        let mut components = Vec::new();
        for meta in &selected {
            components.push(self.known_series(&meta.id, as_of)?.1);
        }
        let index = indicators::diffusion_index(&components)?;
        let inputs: Vec<&SeriesId> = selected.iter().map(|meta| &meta.id).collect();
        let mut meta = derived_meta(
            &config.id,
            config.title_en.clone(),
            config.title_zh.clone(),
            "%",
            indicators::DIFFUSION,
            &inputs,
        )?;
        meta.frequency = index.frequency();
        Ok(vec![DerivedSeries {
            meta,
            points: index.points().to_vec(),
        }])
    }

    fn mismatch(
        &mut self,
        config: &MismatchConfig,
        as_of: Date,
        skipped: &mut Vec<String>,
    ) -> Result<Vec<DerivedSeries>, EngineError> {
        let sector = |meta: &SeriesMeta| match config.by.as_str() {
            "industry" => meta.industry.as_ref().map(ToString::to_string),
            _ => meta.occupation.map(|group| group.to_string()),
        };
        if !matches!(config.by.as_str(), "industry" | "occupation") {
            return Err(request(format!(
                "mismatch '{}': by must be industry or occupation, not '{}'",
                config.id, config.by
            )));
        }
        let vacancies = self.selected_for(&config.id, &config.vacancies_tags, None, skipped)?;
        let unemployed = self.selected_for(&config.id, &config.unemployed_tags, None, skipped)?;
        let mut sectors = Vec::new();
        let mut inputs = Vec::new();
        for vacancy_meta in &vacancies {
            let Some(code) = sector(vacancy_meta) else {
                continue;
            };
            let Some(unemployed_meta) = unemployed
                .iter()
                .find(|meta| sector(meta).as_ref() == Some(&code))
            else {
                continue;
            };
            let v = self.known_series(&vacancy_meta.id, as_of)?.1;
            let u = self.known_series(&unemployed_meta.id, as_of)?.1;
            sectors.push((v, u));
            inputs.push(vacancy_meta.id.clone());
            inputs.push(unemployed_meta.id.clone());
        }
        if sectors.is_empty() {
            if !vacancies.is_empty() && !unemployed.is_empty() {
                skipped.push(format!(
                    "{}: no {} has both a vacancies and an unemployed series",
                    config.id, config.by
                ));
            }
            return Ok(Vec::new());
        }
        let index = indicators::mismatch_series(&sectors, config.alpha)?;
        let input_refs: Vec<&SeriesId> = inputs.iter().collect();
        let mut meta = derived_meta(
            &config.id,
            config.title_en.clone(),
            config.title_zh.clone(),
            "index (0 = no mismatch)",
            indicators::MISMATCH,
            &input_refs,
        )?;
        meta.frequency = index.frequency();
        meta.direction = Direction::HigherIsWorse;
        Ok(vec![DerivedSeries {
            meta,
            points: index.points().to_vec(),
        }])
    }

    fn sahm_gaps(
        &mut self,
        config: &SahmConfig,
        as_of: Date,
        skipped: &mut Vec<String>,
    ) -> Result<Vec<DerivedSeries>, EngineError> {
        let mut derived = Vec::new();
        let selected = self.selected_for(
            "Sahm-type gap",
            &config.tags,
            config.frequency.as_deref(),
            skipped,
        )?;
        for meta in selected {
            let meta = &meta;
            let (_, series) = self.known_series(&meta.id, as_of)?;
            let options = SahmOptions {
                already_averaged: config.already_averaged,
                ..SahmOptions::default()
            };
            let gap = indicators::sahm(&series, options);
            let mut derived_meta = derived_meta(
                &format!("lmo.sahm.{}", meta.id),
                format!("Sahm-type gap: {}", meta.title_en),
                format!("薩姆規則式差距：{}", meta.title_zh),
                "pp",
                indicators::SAHM,
                &[&meta.id],
            )?;
            derived_meta.frequency = meta.frequency;
            derived_meta.direction = Direction::HigherIsWorse;
            derived.push(DerivedSeries {
                meta: derived_meta,
                points: gap.points().to_vec(),
            });
        }
        Ok(derived)
    }

    fn store_derived(
        &mut self,
        config_name: &str,
        derived: &[DerivedSeries],
        as_of: Date,
        time: &ImportTime,
    ) -> Result<store::ImportOutcome, EngineError> {
        let info = ImportInfo {
            file_name: format!("lmo compute ({config_name})"),
            format: "derived".to_owned(),
            imported_at: time.imported_at.clone(),
        };
        let mut session = self.store.begin_import(&info)?;
        for (line, series) in derived.iter().enumerate() {
            session.upsert_series(&series.meta, MetadataAuthority::Declared)?;
            for (period, value) in &series.points {
                let observation = Observation {
                    period: *period,
                    value: *value,
                    status: ObservationStatus::Normal,
                    vintage: Some(as_of),
                };
                session.stage(&StagedRow {
                    line: line as u64 + 1,
                    series: &series.meta.id,
                    observation: &observation,
                })?;
            }
        }
        Ok(session.finish(&FinishOptions {
            file_vintage: Some(as_of),
            import_date: time.today,
            allow_partial: false,
            rejected_before: 0,
            // A recompute on the same day after the inputs changed replaces that day's
            // derived values; the replaced ones are kept in the corrections record.
            accept_corrections: true,
        })?)
    }
}

/// Quarterly components may be published with quarter periods (`2025-Q3`) or with the
/// survey month (`2025-09`); the index needs one kind.
fn as_quarterly(series: &TimeSeries) -> Result<TimeSeries, EngineError> {
    let points = series
        .points()
        .iter()
        .map(|(period, value)| {
            Period::containing(period.end_date(), Frequency::Quarterly)
                .map(|quarter| (quarter, *value))
                .map_err(|error| EngineError::Request(error.to_string()))
        })
        .collect::<Result<_, _>>()?;
    Ok(TimeSeries::new(Frequency::Quarterly, points)?)
}
