//! Builds catalogues from the real files in data/ (through `ingest`) and from short
//! synthetic series, with vintages = period end + publication lag.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use domain::{
    Date, Direction, Frequency, IndustryCode, Observation, Period, SeriesId, SeriesMeta, Tag,
};
use ingest::{Container, Input, Limits, Location, MappingSpec, MetadataOrigin, Reject, Sink};
use warnings::{Alert, Catalogue, KnownValue, SubjectSeries};

pub(crate) fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

pub(crate) fn date(text: &str) -> Date {
    domain::parse_date(text).unwrap()
}

pub(crate) fn period(text: &str) -> Period {
    Period::parse(text).unwrap()
}

/// The date a value of `period` is known from when its file names no release date.
pub(crate) fn known_from(period: Period, lag_days: u16) -> Date {
    period
        .end_date()
        .checked_add(Duration::from_secs(u64::from(lag_days) * 86_400))
        .unwrap()
}

#[derive(Default)]
struct Collected {
    metas: BTreeMap<SeriesId, SeriesMeta>,
    values: BTreeMap<SeriesId, Vec<Observation>>,
    rejects: Vec<Reject>,
}

impl Sink for Collected {
    fn series(
        &mut self,
        meta: &SeriesMeta,
        _origin: MetadataOrigin,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.metas.insert(meta.id.clone(), meta.clone());
        Ok(())
    }

    fn observation(
        &mut self,
        series: &SeriesId,
        observation: &Observation,
        _location: &Location,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.values
            .entry(series.clone())
            .or_default()
            .push(observation.clone());
        Ok(())
    }

    fn reject(&mut self, reject: Reject) {
        self.rejects.push(reject);
    }
}

/// Parses a file of data/ (with its `.map.toml` when there is one) into catalogue series;
/// values without a vintage are known from period end + the series' publication lag, or
/// `lag_days` when given.
pub(crate) fn parse_data_file(relative: &str, lag_days: Option<u16>) -> Vec<SubjectSeries> {
    let path = data_dir().join(relative);
    let map_path = path.with_extension("map.toml");
    let mapping = std::fs::read_to_string(&map_path)
        .ok()
        .map(|text| MappingSpec::parse(&map_path.display().to_string(), &text).unwrap());
    let bytes = std::fs::read(&path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let input = Input {
        name: name.clone(),
        container: Container::from_file_name(&name),
        format: None,
        mapping: mapping.as_ref(),
        limits: Limits::default(),
    };
    let mut collected = Collected::default();
    ingest::parse(&input, Box::new(bytes.as_slice()), &mut collected).unwrap();
    assert!(collected.rejects.is_empty(), "{name}");
    collected
        .metas
        .into_iter()
        .map(|(id, meta)| {
            let values = collected
                .values
                .remove(&id)
                .unwrap_or_default()
                .into_iter()
                .map(|observation| KnownValue {
                    period: observation.period,
                    value: observation.value,
                    vintage: observation.vintage.unwrap_or_else(|| {
                        known_from(
                            observation.period,
                            lag_days.unwrap_or(meta.publication_lag_days),
                        )
                    }),
                })
                .collect();
            SubjectSeries { meta, values }
        })
        .collect()
}

pub(crate) const HK_PANEL: &str =
    "hk/csd_quarterly_macro_panel_gdp-yoy_cpi_unemp-sa_1998-2026_4minutes-chung.csv";
pub(crate) const HK_SEV: &str =
    "hk/csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv";

/// BLS CPS unemployment rates by previous industry, 2000-01 .. 2010-02 (NSA), as catalogue
/// series tagged `industry-unemployment-rate`, known 7 days after each month (the CPS
/// "Employment Situation" comes out on the first Friday of the next month).
///
/// The file is a flat JSON array of flat objects with a fixed field order, so splitting on
/// the fields is enough for a test (no JSON dependency for one fixture). Industries get
/// the nearest HSIC section where there is one, so the watch-list can rank them.
pub(crate) fn us_industry_rates(id_prefix: &str) -> Catalogue {
    let text = std::fs::read_to_string(
        data_dir().join("us/bls_cps_unemployment_across_industries_2000-2010.json"),
    )
    .unwrap();
    let field = |record: &str, name: &str| -> String {
        let start = record.find(&format!("\"{name}\":")).unwrap() + name.len() + 3;
        let rest = &record[start..];
        let end = rest.find([',', '}']).unwrap_or(rest.len());
        rest[..end].trim_matches('"').to_owned()
    };
    let mut values: BTreeMap<String, Vec<KnownValue>> = BTreeMap::new();
    for record in text.split("},{") {
        let period = period(&format!(
            "{}-{:0>2}",
            field(record, "year"),
            field(record, "month")
        ));
        values
            .entry(field(record, "series"))
            .or_default()
            .push(KnownValue {
                period,
                value: field(record, "rate").parse().unwrap(),
                vintage: known_from(period, 7),
            });
    }
    let sections = [
        ("Agriculture", "A"),
        ("Mining and Extraction", "B"),
        ("Manufacturing", "C"),
        ("Construction", "F"),
        ("Wholesale and Retail Trade", "G"),
        ("Transportation and Utilities", "H"),
        ("Leisure and hospitality", "I"),
        ("Information", "J"),
        ("Finance", "K"),
        ("Business services", "M+N"),
        ("Government", "O"),
        ("Education and Health", "P+Q"),
        ("Other", "S"),
    ];
    let series = values
        .into_iter()
        .map(|(name, values)| {
            let id = SeriesId::parse(&format!("{id_prefix}.{}", SeriesId::slug(&name))).unwrap();
            let mut meta = SeriesMeta::new(
                id,
                format!("Unemployment rate — {name}"),
                Frequency::Monthly,
            );
            meta.unit = "%".into();
            meta.direction = Direction::HigherIsWorse;
            meta.publication_lag_days = 7;
            meta.tags = ["industry-unemployment-rate", "unemployment-rate"]
                .iter()
                .map(|tag| Tag::parse(tag).unwrap())
                .collect();
            meta.industry = sections
                .iter()
                .find(|(label, _)| *label == name)
                .map(|(_, code)| IndustryCode::parse(code).unwrap());
            SubjectSeries { meta, values }
        })
        .collect();
    Catalogue { series }
}

/// A synthetic series `id` with `values` from `start` on, each known 10 days after its period.
pub(crate) fn synthetic(id: &str, tags: &[&str], start: &str, values: &[f64]) -> SubjectSeries {
    let start = period(start);
    let mut meta = SeriesMeta::new(
        SeriesId::parse(id).unwrap(),
        id.to_owned(),
        start.frequency(),
    );
    meta.tags = tags.iter().map(|tag| Tag::parse(tag).unwrap()).collect();
    let values = values
        .iter()
        .enumerate()
        .map(|(index, value)| {
            let period = start.shift(index as i32).unwrap();
            KnownValue {
                period,
                value: *value,
                vintage: known_from(period, 10),
            }
        })
        .collect();
    SubjectSeries { meta, values }
}

/// One line per alert: rule, subject, level path, opened, closed.
pub(crate) fn alert_lines(alerts: &[Alert]) -> String {
    alerts
        .iter()
        .map(|alert| {
            let levels: Vec<String> = alert
                .level_changes
                .iter()
                .map(|change| format!("{}@{}", change.level, change.period))
                .collect();
            format!(
                "{} {} {} opened {} closed {}",
                alert.rule_id,
                alert.subject,
                levels.join(">"),
                alert.opened,
                alert
                    .closed
                    .map_or("-".to_owned(), |closed| closed.to_string()),
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
