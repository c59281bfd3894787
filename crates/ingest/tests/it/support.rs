//! A sink that keeps everything, and helpers to parse files and strings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use domain::{Observation, Period, SeriesId, SeriesMeta};
use ingest::{
    Container, Input, Limits, Location, MappingSpec, MetadataOrigin, ParseSummary, Reject, Sink,
};

#[derive(Default)]
pub(crate) struct Collected {
    pub(crate) series: BTreeMap<SeriesId, (SeriesMeta, MetadataOrigin)>,
    pub(crate) observations: Vec<(SeriesId, Observation, Location)>,
    pub(crate) rejects: Vec<Reject>,
}

impl Collected {
    pub(crate) fn value(&self, id: &str, period: &str) -> f64 {
        let period = Period::parse(period).unwrap();
        let found: Vec<f64> = self
            .observations
            .iter()
            .filter(|(series, observation, _)| {
                series.as_str() == id && observation.period == period
            })
            .map(|(_, observation, _)| observation.value)
            .collect();
        assert_eq!(found.len(), 1, "{id} {period}: {found:?}");
        found[0]
    }

    pub(crate) fn meta(&self, id: &str) -> &SeriesMeta {
        &self.series[&SeriesId::parse(id).unwrap()].0
    }
}

impl Sink for Collected {
    fn series(
        &mut self,
        meta: &SeriesMeta,
        origin: MetadataOrigin,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.series.insert(meta.id.clone(), (meta.clone(), origin));
        Ok(())
    }

    fn observation(
        &mut self,
        series: &SeriesId,
        observation: &Observation,
        location: &Location,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.observations
            .push((series.clone(), observation.clone(), location.clone()));
        Ok(())
    }

    fn reject(&mut self, reject: Reject) {
        self.rejects.push(reject);
    }
}

pub(crate) fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

/// The mapping file lmo would pick up beside `path`, if any.
pub(crate) fn mapping_beside(path: &Path) -> Option<MappingSpec> {
    let map_path = path.with_extension("map.toml");
    let text = std::fs::read_to_string(&map_path).ok()?;
    Some(MappingSpec::parse(&map_path.display().to_string(), &text).unwrap())
}

pub(crate) fn parse_file(path: &Path) -> (Result<ParseSummary, ingest::IngestError>, Collected) {
    let mapping = mapping_beside(path);
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    parse_bytes(&name, &bytes, mapping.as_ref())
}

pub(crate) fn parse_bytes(
    name: &str,
    bytes: &[u8],
    mapping: Option<&MappingSpec>,
) -> (Result<ParseSummary, ingest::IngestError>, Collected) {
    let input = Input {
        name: name.to_owned(),
        container: Container::from_file_name(name),
        format: None,
        mapping,
        limits: Limits::default(),
    };
    let mut collected = Collected::default();
    let result = ingest::parse(&input, Box::new(bytes), &mut collected);
    (result, collected)
}
