//! The engine: the one API the CLI and the HTTP API call.
//!
//! It joins the parsers in `ingest` to the `store`: an import is parsed, staged, checked and
//! merged in one transaction, bad rows are written to a rejects file, and queries come back
//! as plain read models. It holds no business rules of its own about formats or SQL.

pub mod access;
mod arrears_run;
mod cases;
mod compute;
pub mod demo;
mod import;
pub mod notify;
mod private_file;
mod rejects;
pub mod report;
mod serving;
pub mod talent;
mod warnings_run;

use std::path::PathBuf;

use domain::{Date, Period, SeriesId, SeriesMeta};
use store::{SeriesFilter, Store};

pub use arrears::{
    CaseDeadlines, DefaultKind, GeneratorConfig, Level, Thresholds,
    write_summaries as write_arrears_summaries,
};
pub use arrears_run::{
    ArrearsReport, ArrearsRequest, GeneratedFiles, NamedReader, arrears_workbook_as_csv,
    detect_arrears, generate_arrears_files,
};
pub use cases::{
    ArrearsSaved, Case, CaseAction, CaseEvent, CaseFilter, CaseOpened, CaseState, CaseStep,
    CaseTimers, CaseView, EmployerRecord, Intervention, OpenedCase, Referral, Role, RoleChange,
    StoredArrearsResult, User, UserAction, UserEvent, case_timers,
};
pub use compute::{
    ComputeReport, DerivedSeries, IndicatorSet, SHIPPED_INDICATOR_SETS, indicator_sets,
};
pub use import::{ImportReport, ImportRequest, ImportTime, Phase, suggest_mapping};
pub use ingest::{Container, Format, IngestError, MappingSpec, SERIES_METADATA_COLUMNS};
pub use labour_law::{Money, PseudonymKey};
pub use private_file::create_private_file;
pub use serving::{ArchivedReport, DataVersion, ReportFile};
pub use store::{
    Backend, CorrectedValue, ImportRecord, SeriesSummary, StoreError, StoredObservation,
    VintageBasis,
};
pub use warnings::{
    Alert, Backtest, Level as AlertLevel, RuleSet, WatchChange, WatchEntry, WatchEvent,
    watchlist as watchlist_of,
};
pub use warnings_run::{BacktestReport, MuteRequest, RuleScore, alert_id_of, load_rules};

/// Why an engine operation failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("cannot write the rejects file {path}")]
    RejectsFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Arrears(#[from] arrears::ArrearsError),
    #[error(transparent)]
    LabourLaw(#[from] labour_law::LabourLawError),
    #[error(transparent)]
    Warnings(#[from] warnings::WarningError),
    #[error(transparent)]
    Indicators(#[from] indicators::IndicatorError),
    #[error(transparent)]
    Talent(#[from] ::talent::TalentError),
    #[error(
        "cannot read the rules file {path} (shipped rule sets: hk-default, us-industry-unemployment)"
    )]
    RulesFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the indicators file {path}")]
    IndicatorsFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A request that names something that does not exist or cannot be done.
    #[error("{0}")]
    Request(String),
    #[error("cannot create {path}")]
    CreateFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no series '{0}' in the store; `lmo series list` shows what there is")]
    UnknownSeries(String),
}

/// Everything the store knows of one period of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodHistory {
    /// The period as the series stores it.
    pub period: Period,
    /// Every vintage, oldest first.
    pub vintages: Vec<StoredObservation>,
    /// Values that corrections replaced, oldest correction first.
    pub corrected: Vec<CorrectedValue>,
}

/// How `series` stores `wanted`: as asked, or in the other form of a quarter (see
/// [`Engine::vintages`]).
fn stored_period(
    meta: &SeriesMeta,
    periods: &[Period],
    wanted: Period,
) -> Result<Period, EngineError> {
    if periods.contains(&wanted) {
        return Ok(wanted);
    }
    let alias = wanted
        .quarter_alias()
        .filter(|_| meta.frequency == domain::Frequency::Quarterly);
    if let Some(other) = alias.filter(|other| periods.contains(other)) {
        return Ok(other);
    }
    if periods.is_empty() {
        return Err(EngineError::Request(format!(
            "series {} has no observations",
            meta.id
        )));
    }
    // The three periods on each side of where `wanted` would be.
    let position = periods.partition_point(|period| period.end_date() < wanted.end_date());
    let nearby: Vec<String> = periods
        [position.saturating_sub(3)..(position + 3).min(periods.len())]
        .iter()
        .map(ToString::to_string)
        .collect();
    Err(EngineError::Request(format!(
        "series {} has no period {wanted}; periods nearby: {}",
        meta.id,
        nearby.join(", ")
    )))
}

/// An open store and the operations on it.
pub struct Engine {
    store: Box<dyn Store>,
}

impl Engine {
    /// Opens the store at `database_url` (`sqlite://PATH`, `postgres://…`), migrating it.
    pub fn open(database_url: &str) -> Result<Engine, EngineError> {
        Engine::open_waiting(database_url, None)
    }

    /// [`Engine::open`], with `on_wait` told while a write waits for another writer.
    pub fn open_waiting(
        database_url: &str,
        on_wait: Option<store::OnWait>,
    ) -> Result<Engine, EngineError> {
        Ok(Engine {
            store: store::open_waiting(database_url, on_wait)?,
        })
    }

    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// The stored rows that reads since the last call skipped because they could not be
    /// read back (see [`store::Store::take_skipped_rows`]).
    pub fn take_skipped_rows(&mut self) -> Vec<store::SkippedRow> {
        self.store.take_skipped_rows()
    }

    pub fn list_series(
        &mut self,
        id_prefix: Option<String>,
        tag: Option<String>,
    ) -> Result<Vec<SeriesSummary>, EngineError> {
        Ok(self.store.list_series(&SeriesFilter { id_prefix, tag })?)
    }

    /// A series' metadata and its values as known on `as_of` (latest when `None`).
    pub fn series(
        &mut self,
        id: &SeriesId,
        as_of: Option<Date>,
    ) -> Result<(SeriesMeta, Vec<StoredObservation>), EngineError> {
        let meta = self
            .store
            .series(id)?
            .ok_or_else(|| EngineError::UnknownSeries(id.to_string()))?;
        let observations = self.store.observations(id, as_of)?;
        Ok((meta, observations))
    }

    /// For a series lmo derived, the inputs imported again since it was computed: it is out
    /// of date until `lmo compute` runs again. Empty for a series that is up to date or that
    /// lmo did not derive.
    pub fn stale_inputs(&mut self, meta: &SeriesMeta) -> Result<Vec<SeriesId>, EngineError> {
        let inputs = compute::derived_inputs(meta);
        if inputs.is_empty() {
            return Ok(Vec::new());
        }
        let last_import = |engine: &mut Engine, id: &SeriesId| -> Result<i64, EngineError> {
            Ok(engine
                .store
                .history(id)?
                .iter()
                .map(|stored| stored.import_id)
                .max()
                .unwrap_or(0))
        };
        let computed = last_import(self, &meta.id)?;
        let mut stale = Vec::new();
        for input in inputs {
            if last_import(self, &input)? > computed {
                stale.push(input);
            }
        }
        Ok(stale)
    }

    /// Every vintage of one period of a series, and the values corrections replaced.
    ///
    /// A quarter and its last month name the same observation of a quarterly series, since
    /// C&SD labels its quarterly surveys by their month (`2025-09`) and derived series use
    /// quarters (`2025-Q3`). A period the series does not have is an error that names the
    /// periods it has nearby.
    pub fn vintages(
        &mut self,
        id: &SeriesId,
        period: Period,
    ) -> Result<PeriodHistory, EngineError> {
        let (meta, observations) = self.series(id, None)?;
        let periods: Vec<Period> = observations
            .iter()
            .map(|stored| stored.observation.period)
            .collect();
        let period = stored_period(&meta, &periods, period)?;
        Ok(PeriodHistory {
            period,
            vintages: self.store.vintages(id, period)?,
            corrected: self.store.corrected_values(id, period)?,
        })
    }

    pub fn imports(&mut self) -> Result<Vec<ImportRecord>, EngineError> {
        Ok(self.store.imports()?)
    }
}
