//! The only crate that speaks SQL.
//!
//! [`Store`] is one API over two backends: embedded SQLite (the default) and PostgreSQL.
//! Both keep every vintage of every observation, so [`Store::observations`] can answer
//! "what was known on `as_of`". Imports run through an [`ImportSession`]: rows are staged,
//! checked (duplicates, unknown series) and merged into the observations in one transaction,
//! so an import is all or nothing and running it twice changes nothing.

mod cases;
mod common;
mod postgres_backend;
mod postgres_cases;
mod sqlite_backend;
mod sqlite_cases;

use domain::{Date, Observation, Period, SeriesId, SeriesMeta};

pub use cases::{
    ArrearsBatch, ArrearsResultRow, ArrearsSaved, Case, CaseEvent, CaseFilter, CaseOpened,
    CaseState, CaseTransition, EmployerRecord, NewCase, Referral, Role, RoleChange,
    StoredArrearsResult, User, UserAction, UserEvent,
};
pub use postgres_backend::PostgresStore;
pub use sqlite_backend::SqliteStore;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("'{0}' is not a database URL (expected sqlite://PATH or postgres://…)")]
    Url(String),
    #[error("sqlite")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres")]
    Postgres(#[from] postgres::Error),
    #[error("cannot create the directory for the database {path}")]
    Directory {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the database schema is at version {found}, newer than this lmo ({supported}); upgrade lmo"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("corrupt row in table {table}: {reason}")]
    Corrupt { table: &'static str, reason: String },
    /// The caller passed something the store refuses to record; nothing was written.
    #[error("{0}")]
    Invalid(String),
    /// The acting user may not do this (unknown user, or a role without case access).
    #[error("{0}")]
    Forbidden(String),
    /// A case (or other record) that does not exist.
    #[error("{0}")]
    NotFound(String),
}

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Opens the store named by a URL (`sqlite://PATH`, `sqlite::memory:` or `postgres://…`) and
/// applies any pending migrations.
pub fn open(url: &str) -> Result<Box<dyn Store>, StoreError> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        Ok(Box::new(SqliteStore::open(std::path::Path::new(path))?))
    } else if url == "sqlite::memory:" {
        Ok(Box::new(SqliteStore::open_in_memory()?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(PostgresStore::connect(url)?))
    } else {
        Err(StoreError::Url(url.to_owned()))
    }
}

/// The store API shared by both backends.
pub trait Store {
    fn backend(&self) -> Backend;

    /// Starts an import in its own transaction. Dropping the session without
    /// [`ImportSession::finish`] rolls everything back.
    fn begin_import(
        &mut self,
        import: &ImportInfo,
    ) -> Result<Box<dyn ImportSession + '_>, StoreError>;

    /// Series matching the filter, ordered by id, with their observation counts.
    fn list_series(&mut self, filter: &SeriesFilter) -> Result<Vec<SeriesSummary>, StoreError>;

    fn series(&mut self, id: &SeriesId) -> Result<Option<SeriesMeta>, StoreError>;

    /// The observations of a series in period order: for each period the value of the latest
    /// vintage known on `as_of` (the latest overall when `as_of` is `None`).
    fn observations(
        &mut self,
        id: &SeriesId,
        as_of: Option<Date>,
    ) -> Result<Vec<StoredObservation>, StoreError>;

    /// Every vintage of every period of a series: periods in order, and each period's
    /// vintages oldest first. One query, for replaying what was known when (backtests,
    /// alerts) without a query per period.
    fn history(&mut self, id: &SeriesId) -> Result<Vec<StoredObservation>, StoreError>;

    /// Every vintage of one period of a series, oldest first.
    fn vintages(
        &mut self,
        id: &SeriesId,
        period: Period,
    ) -> Result<Vec<StoredObservation>, StoreError>;

    /// Past imports, newest first.
    fn imports(&mut self) -> Result<Vec<ImportRecord>, StoreError>;

    /// Appends an acknowledgement to the audit trail and returns its id. An empty (or blank)
    /// user or reason is [`StoreError::Invalid`] and records nothing.
    fn add_acknowledgement(&mut self, ack: &AlertAcknowledgement) -> Result<i64, StoreError>;

    /// Every acknowledgement with its id, oldest first.
    fn acknowledgements(&mut self) -> Result<Vec<(i64, AlertAcknowledgement)>, StoreError>;

    /// Appends a mute to the audit trail and returns its id. An empty (or blank) user or
    /// reason is [`StoreError::Invalid`] and records nothing.
    fn add_mute(&mut self, mute: &AlertMute) -> Result<i64, StoreError>;

    /// Every mute with its id, oldest first.
    fn mutes(&mut self) -> Result<Vec<(i64, AlertMute)>, StoreError>;

    /// The STL cache (seasonally adjusted values by the fingerprint of their input, as
    /// `indicators::StlCache` makes them), by fingerprint.
    fn stl_cache(&mut self) -> Result<Vec<(String, Vec<f64>)>, StoreError>;

    /// Replaces the whole STL cache with `entries`, in one transaction.
    fn replace_stl_cache(&mut self, entries: &[(String, Vec<f64>)]) -> Result<(), StoreError>;

    /// Adds a user with a role, and an entry to the users' audit log. Once the store has an
    /// admin, `by` must name one ([`StoreError::Forbidden`]); before, anyone may add a user,
    /// so that the first admin can be added. A name already taken is [`StoreError::Invalid`].
    fn add_user(&mut self, user: &User, by: Option<&str>) -> Result<(), StoreError>;

    /// Changes a user's role, with an entry to the users' audit log, in one transaction.
    /// `change.by` must be an admin ([`StoreError::Forbidden`]); the note must not be blank,
    /// the user must exist with another role, and the last admin keeps the role
    /// ([`StoreError::Invalid`]).
    fn change_role(&mut self, change: &RoleChange) -> Result<User, StoreError>;

    /// The users' audit log, oldest first.
    fn user_events(&mut self) -> Result<Vec<UserEvent>, StoreError>;

    /// Every user, by name.
    fn users(&mut self) -> Result<Vec<User>, StoreError>;

    /// Saves one run's employers and results for `batch.period` in one transaction,
    /// replacing that period's results. Rows whose values are unchanged keep their
    /// `detected_at`, so saving the same run again changes nothing.
    fn save_arrears(&mut self, batch: &ArrearsBatch) -> Result<ArrearsSaved, StoreError>;

    /// The saved results of a period, by employer id.
    fn arrears_results(&mut self, period: &str) -> Result<Vec<StoredArrearsResult>, StoreError>;

    /// [`StoreError::Forbidden`] unless `user_name` is a user with case access.
    fn require_case_access(&mut self, user_name: &str) -> Result<(), StoreError>;

    /// A saved employer.
    fn employer(&mut self, employer_id: &str) -> Result<Option<EmployerRecord>, StoreError>;

    /// Opens a case (state `discover`) with its first audit entry, unless the employer
    /// already has an open case. The acting user needs case access
    /// ([`StoreError::Forbidden`]).
    fn open_case(&mut self, case: &NewCase) -> Result<CaseOpened, StoreError>;

    /// Moves a case along the state machine of [`CaseState::next`] and appends the step to
    /// its audit log, in one transaction. Needs case access.
    fn case_transition(&mut self, transition: &CaseTransition) -> Result<Case, StoreError>;

    /// Cases matching the filter, by id. Needs case access.
    fn cases(&mut self, user_name: &str, filter: &CaseFilter) -> Result<Vec<Case>, StoreError>;

    /// One case, [`StoreError::NotFound`] when there is none. Needs case access.
    fn case(&mut self, user_name: &str, case_id: i64) -> Result<Case, StoreError>;

    /// The audit log of a case, oldest first. Needs case access.
    fn case_events(&mut self, user_name: &str, case_id: i64) -> Result<Vec<CaseEvent>, StoreError>;
}

/// One import in progress.
pub trait ImportSession {
    /// Records series metadata. [`MetadataAuthority::Declared`] overwrites what is stored;
    /// [`MetadataAuthority::Inferred`] only creates a series that does not exist yet.
    fn upsert_series(
        &mut self,
        meta: &SeriesMeta,
        authority: MetadataAuthority,
    ) -> Result<(), StoreError>;

    /// Stages one observation read from `line` of the input.
    fn stage(&mut self, row: &StagedRow<'_>) -> Result<(), StoreError>;

    /// Checks the staged rows, then merges them into the observations and commits, or rolls
    /// back when a row has a problem and `options.allow_partial` is false (or when
    /// `options.rejected_before` is non-zero and partial imports are not allowed).
    fn finish(self: Box<Self>, options: &FinishOptions) -> Result<ImportOutcome, StoreError>;
}

/// Who vouches for series metadata given to [`ImportSession::upsert_series`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataAuthority {
    /// A metadata file a person wrote: replaces stored metadata.
    Declared,
    /// Worked out by a parser from a data file: never overwrites stored metadata.
    Inferred,
}

/// What an import is.
#[derive(Debug, Clone)]
pub struct ImportInfo {
    pub file_name: String,
    pub format: String,
    /// When the import started, RFC 3339; passed in so that tests are deterministic.
    pub imported_at: String,
}

/// One observation waiting in the staging area.
#[derive(Debug, Clone)]
pub struct StagedRow<'a> {
    pub line: u64,
    pub series: &'a SeriesId,
    pub observation: &'a Observation,
}

/// How to merge the staged rows.
#[derive(Debug, Clone)]
pub struct FinishOptions {
    /// The release date of the whole file, when known (C&SD footers, `--vintage`).
    pub file_vintage: Option<Date>,
    /// Today, from the caller's clock: the vintage of changed values when nothing better is known.
    pub import_date: Date,
    pub allow_partial: bool,
    /// Rows the parser already rejected; they make a strict import fail too.
    pub rejected_before: u64,
}

/// A staged row that cannot be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StagedProblem {
    pub line: u64,
    pub series: String,
    pub period: String,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOutcome {
    /// Set when committed; `None` when rolled back.
    pub import_id: Option<i64>,
    pub problems: Vec<StagedProblem>,
    pub rows_staged: u64,
    /// Observations for periods the store did not have.
    pub rows_new: u64,
    /// Observations whose value changed: stored as a new vintage.
    pub rows_revised: u64,
    pub rows_unchanged: u64,
    pub series_created: u64,
}

/// How the vintage of a stored observation was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VintageBasis {
    /// The input row named it.
    Explicit,
    /// The file's release date.
    Release,
    /// Period end plus the series' publication lag (first release, date unknown).
    PublicationLag,
    /// The day the change was imported.
    ImportDate,
}

impl VintageBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            VintageBasis::Explicit => "explicit",
            VintageBasis::Release => "release",
            VintageBasis::PublicationLag => "publication-lag",
            VintageBasis::ImportDate => "import-date",
        }
    }

    pub fn parse(text: &str) -> Option<VintageBasis> {
        [
            VintageBasis::Explicit,
            VintageBasis::Release,
            VintageBasis::PublicationLag,
            VintageBasis::ImportDate,
        ]
        .into_iter()
        .find(|basis| basis.as_str() == text)
    }
}

/// An observation as stored, with its vintage.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredObservation {
    pub observation: Observation,
    pub vintage: Date,
    pub vintage_basis: VintageBasis,
    pub import_id: i64,
}

/// Which series to list.
#[derive(Debug, Clone, Default)]
pub struct SeriesFilter {
    /// Only ids starting with this prefix.
    pub id_prefix: Option<String>,
    /// Only series carrying this tag.
    pub tag: Option<String>,
}

/// A series with a summary of its observations (latest vintages).
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesSummary {
    pub meta: SeriesMeta,
    pub n_observations: u64,
    pub first_period: Option<Period>,
    pub last_period: Option<Period>,
}

/// A past import.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRecord {
    pub id: i64,
    pub file_name: String,
    pub format: String,
    pub imported_at: String,
    pub rows_new: u64,
    pub rows_revised: u64,
    pub rows_unchanged: u64,
    pub rows_rejected: u64,
}

/// Someone has seen an alert episode at a level. Stored as given (the caller validates the
/// rule, subject, period and level); acknowledgements are never updated or deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertAcknowledgement {
    pub rule_id: String,
    /// A series id, or `*` for an aggregate.
    pub subject: String,
    /// The period at which the acknowledged episode opened.
    pub opened_period: String,
    pub level: String,
    pub user_name: String,
    pub reason: String,
    /// When it was acknowledged, RFC 3339 (or a date), passed in by the caller.
    pub at: String,
}

/// Alerts of a rule on a subject are silenced up to and including `until_period`. Stored as
/// given (the caller validates); mutes are never updated or deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertMute {
    pub rule_id: String,
    /// A series id, or `*` for an aggregate.
    pub subject: String,
    pub until_period: String,
    pub user_name: String,
    pub reason: String,
    /// When it was muted, RFC 3339 (or a date), passed in by the caller.
    pub at: String,
}
