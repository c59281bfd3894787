//! The figures of the overview and the talent page: the report's own (`Engine::report`), as
//! known today, laid out in both languages by the report's code. Computed once per day and
//! data version, then shared by every request until an import or an alert decision moves
//! the data.

use std::sync::Arc;

use domain::Date;
use engine::DataVersion;
use engine::report::ReportData;

use super::Lang;
use crate::{ApiError, State};

pub(crate) struct Snapshot {
    version: DataVersion,
    as_of: Date,
    pub(crate) data: ReportData,
    zh: reports::Part,
    en: reports::Part,
}

impl Snapshot {
    pub(crate) fn part(&self, lang: Lang) -> &reports::Part {
        match lang {
            Lang::En => &self.en,
            _ => &self.zh,
        }
    }

    /// A section of the report in `lang`, by its anchor (`climate`, `talent`, …).
    pub(crate) fn section(&self, lang: Lang, id: &str) -> Option<&reports::Section> {
        self.part(lang)
            .sections
            .iter()
            .find(|section| section.id == id)
    }
}

/// The latest snapshot; the lock is held while one is computed, so that requests arriving
/// meanwhile wait for it rather than compute it again.
#[derive(Default)]
pub(crate) struct Snapshots(tokio::sync::Mutex<Option<Arc<Snapshot>>>);

/// Today's snapshot, computed if the data moved or the day changed.
pub(crate) async fn today(state: &State) -> Result<Arc<Snapshot>, ApiError> {
    let version = state.pool.run(|engine| Ok(engine.data_version()?)).await?;
    let as_of = state.today();
    let mut latest = state.snapshots.0.lock().await;
    if let Some(snapshot) = latest.as_ref()
        && snapshot.version == version
        && snapshot.as_of == as_of
    {
        return Ok(snapshot.clone());
    }
    let snapshot = state
        .pool
        .run(move |engine| {
            let data = engine.report(as_of, None)?;
            let label = reports::ArrearsLabel::default();
            Ok(Snapshot {
                version,
                as_of,
                zh: reports::part(&data, Lang::ZhHant, label),
                en: reports::part(&data, Lang::En, label),
                data,
            })
        })
        .await?;
    let snapshot = Arc::new(snapshot);
    *latest = Some(snapshot.clone());
    Ok(snapshot)
}
