//! Reads the real files in data/ through the `ingest` crate into `TimeSeries`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use domain::{Observation, Period, SeriesId, SeriesMeta};
use indicators::TimeSeries;
use ingest::{Container, Input, Limits, Location, MetadataOrigin, Reject, Sink};

/// Everything a parse produced, keyed by series id.
#[derive(Default)]
pub(crate) struct Collected {
    metas: BTreeMap<String, SeriesMeta>,
    points: BTreeMap<String, Vec<(Period, f64)>>,
    rejects: Vec<Reject>,
}

impl Collected {
    /// The series `id` as declared by the file (its metadata frequency, its periods).
    pub(crate) fn series(&self, id: &str) -> TimeSeries {
        let meta = &self.metas[id];
        TimeSeries::new(meta.frequency, self.points[id].clone()).unwrap()
    }

    pub(crate) fn has(&self, id: &str) -> bool {
        self.points.contains_key(id)
    }
}

impl Sink for Collected {
    fn series(
        &mut self,
        meta: &SeriesMeta,
        _origin: MetadataOrigin,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.metas.insert(meta.id.as_str().to_owned(), meta.clone());
        Ok(())
    }

    fn observation(
        &mut self,
        series: &SeriesId,
        observation: &Observation,
        _location: &Location,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.points
            .entry(series.as_str().to_owned())
            .or_default()
            .push((observation.period, observation.value));
        Ok(())
    }

    fn reject(&mut self, reject: Reject) {
        self.rejects.push(reject);
    }
}

pub(crate) fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

pub(crate) fn test_data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data")
}

/// Parses a file of data/ (path relative to it) and insists that no row was rejected.
pub(crate) fn parse_data_file(relative: &str) -> Collected {
    let path = data_dir().join(relative);
    let bytes = std::fs::read(&path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let input = Input {
        name: name.clone(),
        container: Container::Csv,
        format: None,
        mapping: None,
        limits: Limits::default(),
    };
    let mut collected = Collected::default();
    ingest::parse(&input, Box::new(bytes.as_slice()), &mut collected).unwrap();
    assert!(
        collected.rejects.is_empty(),
        "{name}: {:?}",
        collected.rejects
    );
    collected
}

impl Collected {
    /// Ids of the series the file declared, sorted.
    pub(crate) fn ids(&self) -> impl Iterator<Item = &str> {
        self.metas.keys().map(String::as_str)
    }
}

/// Keeps the points whose period ends between `from` and `to` inclusive.
pub(crate) fn between(series: &TimeSeries, from: &str, to: &str) -> TimeSeries {
    let from = Period::parse(from).unwrap().end_month_index();
    let to = Period::parse(to).unwrap().end_month_index();
    let points = series
        .points()
        .iter()
        .copied()
        .filter(|(period, _)| (from..=to).contains(&period.end_month_index()))
        .collect();
    TimeSeries::new(series.frequency(), points).unwrap()
}
