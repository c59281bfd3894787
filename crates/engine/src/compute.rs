//! `lmo compute`: derived indicators stored as series, with their method and inputs.

use std::path::Path;

use domain::{
    Date, Direction, Frequency, Observation, ObservationStatus, Period, SeriesId, SeriesMeta, Tag,
};
use indicators::{ClimateComponent, EtiOptions, SahmOptions, TimeSeries};
use serde::Deserialize;
use store::{FinishOptions, ImportInfo, MetadataAuthority, SeriesFilter, StagedRow};

use crate::{Engine, EngineError, ImportTime};

/// The indicators shipped for Hong Kong (`config/hk-indicators.toml`).
pub const HK_INDICATORS: &str = include_str!("../config/hk-indicators.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComputeConfig {
    #[serde(default)]
    description: String,
    climate_index: Option<ClimateConfig>,
    #[serde(default)]
    sahm: Vec<SahmConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClimateConfig {
    id: String,
    title_en: String,
    title_zh: String,
    base_year: i16,
    components: Vec<String>,
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
    pub rows_new: u64,
    pub rows_revised: u64,
    pub rows_unchanged: u64,
}

/// The configuration text: the shipped one, or a file.
pub fn load_compute_config(path: Option<&Path>) -> Result<(String, String), EngineError> {
    match path {
        None => Ok(("hk-indicators".to_owned(), HK_INDICATORS.to_owned())),
        Some(path) => std::fs::read_to_string(path)
            .map(|text| (path.display().to_string(), text))
            .map_err(|source| EngineError::RulesFile {
                path: path.to_path_buf(),
                source,
            }),
    }
}

fn request(message: String) -> EngineError {
    EngineError::Request(message)
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
    meta.source = format!("lmo {method} from {}", input_list.join(", "));
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

    /// Computes the configured indicators from the data known on `as_of` and stores them as
    /// derived series whose values are known from `as_of` (one transaction).
    pub fn compute(
        &mut self,
        config_name: &str,
        config_text: &str,
        as_of: Date,
        time: &ImportTime,
        on_step: &mut dyn FnMut(&str),
    ) -> Result<ComputeReport, EngineError> {
        let config: ComputeConfig = toml::from_str(config_text)
            .map_err(|error| request(format!("{config_name}: {}", error.to_string().trim())))?;
        let mut derived = Vec::new();
        if let Some(climate) = &config.climate_index {
            on_step("employment climate index (ETI and LMCI)");
            derived.extend(self.climate_index(climate, as_of)?);
        }
        for sahm in &config.sahm {
            on_step("Sahm-type gaps");
            derived.extend(self.sahm_gaps(sahm, as_of)?);
        }
        on_step("storing derived series");
        let outcome = self.store_derived(config_name, &derived, as_of, time)?;
        Ok(ComputeReport {
            description: config.description,
            derived,
            rows_new: outcome.rows_new,
            rows_revised: outcome.rows_revised,
            rows_unchanged: outcome.rows_unchanged,
        })
    }

    fn climate_index(
        &mut self,
        config: &ClimateConfig,
        as_of: Date,
    ) -> Result<Vec<DerivedSeries>, EngineError> {
        let mut components = Vec::new();
        let mut ids = Vec::new();
        for text in &config.components {
            let id = SeriesId::parse(text).map_err(|error| request(error.to_string()))?;
            let (meta, series) = self.known_series(&id, as_of)?;
            if meta.direction == Direction::Neutral {
                return Err(request(format!(
                    "climate index component {id} has no direction; declare higher_is_better or higher_is_worse in its metadata"
                )));
            }
            components.push(ClimateComponent {
                name: id.to_string(),
                series: as_quarterly(&series)?,
                direction: meta.direction,
            });
            ids.push(id);
        }
        let inputs: Vec<&SeriesId> = ids.iter().collect();
        let eti = indicators::eti(
            &components,
            &EtiOptions {
                estimation_window: None,
                base_year: config.base_year,
            },
        )?;
        let lmci = indicators::lmci(&components)?;
        let mut derived = vec![
            DerivedSeries {
                meta: derived_meta(
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
                )?,
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
        for (index, id) in ids.iter().enumerate() {
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
                        "{}: contribution of {id} (percentage points of the composite change)",
                        config.title_en
                    ),
                    format!("{}：{id} 的貢獻", config.title_zh),
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

    fn sahm_gaps(
        &mut self,
        config: &SahmConfig,
        as_of: Date,
    ) -> Result<Vec<DerivedSeries>, EngineError> {
        let tags: Vec<Tag> = config
            .tags
            .iter()
            .map(|tag| Tag::parse(tag).map_err(|error| request(error.to_string())))
            .collect::<Result<_, _>>()?;
        let frequency = config
            .frequency
            .as_deref()
            .map(Frequency::parse)
            .transpose()
            .map_err(|error| request(error.to_string()))?;
        let mut derived = Vec::new();
        for summary in self.store.list_series(&SeriesFilter::default())? {
            let meta = &summary.meta;
            let selected = tags.iter().all(|tag| meta.tags.contains(tag))
                && frequency.is_none_or(|wanted| meta.frequency == wanted);
            if !selected {
                continue;
            }
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
            (
                Period::containing(period.end_date(), Frequency::Quarterly),
                *value,
            )
        })
        .collect();
    Ok(TimeSeries::new(Frequency::Quarterly, points)?)
}
