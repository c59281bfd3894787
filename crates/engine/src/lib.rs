//! The engine: the one API the CLI (and later the HTTP API) calls.
//!
//! It joins the parsers in `ingest` to the `store`: an import is parsed, staged, checked and
//! merged in one transaction, bad rows are written to a rejects file, and queries come back
//! as plain read models. It holds no business rules of its own about formats or SQL.

mod arrears_run;
mod cases;
mod compute;
pub mod demo;
mod import;
mod rejects;
pub mod report;
mod warnings_run;

use std::path::PathBuf;

use domain::{Date, Period, SeriesId, SeriesMeta};
use store::{SeriesFilter, Store};

pub use arrears::{
    DefaultKind, GeneratorConfig, Level, write_summaries as write_arrears_summaries,
};
pub use arrears_run::{
    ArrearsReport, ArrearsRequest, GeneratedFiles, NamedReader, arrears_workbook_as_csv,
    detect_arrears, generate_arrears_files,
};
pub use cases::{
    ArrearsSaved, Case, CaseEvent, CaseFilter, CaseOpened, CaseState, CaseTimers, CaseTransition,
    CaseView, EmployerRecord, OpenedCase, Referral, Role, RoleChange, StoredArrearsResult, User,
    UserAction, UserEvent, case_timers,
};
pub use compute::{ComputeReport, DerivedSeries, HK_INDICATORS, load_compute_config};
pub use import::{ImportReport, ImportRequest, ImportTime, Phase};
pub use ingest::{Container, Format, IngestError, MappingSpec, SERIES_METADATA_COLUMNS};
pub use labour_law::Money;
pub use store::{Backend, ImportRecord, SeriesSummary, StoredObservation, VintageBasis};
pub use warnings::{
    Alert, Backtest, Level as AlertLevel, RuleSet, WatchChange, WatchEntry, WatchEvent,
    watchlist as watchlist_of,
};
pub use warnings_run::{BacktestReport, MuteRequest, RuleScore, alert_id_of, load_rules};

/// Why an engine operation failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
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

/// An open store and the operations on it.
pub struct Engine {
    store: Box<dyn Store>,
}

impl Engine {
    /// Opens the store at `database_url` (`sqlite://PATH`, `postgres://…`), migrating it.
    pub fn open(database_url: &str) -> Result<Engine, EngineError> {
        Ok(Engine {
            store: store::open(database_url)?,
        })
    }

    pub fn backend(&self) -> Backend {
        self.store.backend()
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

    /// Every vintage of one period of a series.
    pub fn vintages(
        &mut self,
        id: &SeriesId,
        period: Period,
    ) -> Result<Vec<StoredObservation>, EngineError> {
        if self.store.series(id)?.is_none() {
            return Err(EngineError::UnknownSeries(id.to_string()));
        }
        Ok(self.store.vintages(id, period)?)
    }

    pub fn imports(&mut self) -> Result<Vec<ImportRecord>, EngineError> {
        Ok(self.store.imports()?)
    }
}
