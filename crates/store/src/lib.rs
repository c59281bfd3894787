//! The only crate that speaks SQL.
//!
//! [`Store`] is one API over two backends: embedded SQLite (the default) and PostgreSQL.
//! Its logic is written once ([`SqlStore`]) over a small dialect layer; what really differs
//! between the databases (migrations, bulk staging, the merge of staged rows, locks) lives in
//! the `sqlite` and `postgres` modules. The API is split by concern: [`Statistics`] (series
//! and every vintage of every observation, so that any question can be asked "as known on
//! `as_of`"), [`AlertAudit`], [`Casework`], [`Users`], [`Credentials`] (API tokens, sessions
//! and passwords, as hashes only), [`ReportArchive`], [`Notifications`] (subscriptions and
//! the record of what was sent) and [`Versions`].

mod access;
mod alerts;
mod casework;
mod credentials;
mod import;
mod notifications;
mod postgres;
mod report_archive;
mod schema;
mod sql;
mod sqlite;
mod statistics;
mod users;
mod versions;

use std::fmt::Display;

pub use alerts::{AlertAcknowledgement, AlertAudit, AlertMute};
pub use casework::{
    ArrearsBatch, ArrearsResultRow, ArrearsSave, ArrearsSaved, Case, CaseEvent, CaseFacts,
    CaseFilter, CaseOpened, CaseTransition, Casework, EmployerRecord, NewCase, StoredArrearsResult,
};
pub use credentials::{
    CredentialAction, CredentialEvent, Credentials, NewToken, Principal, TokenRecord,
};
pub use notifications::{
    Channel, DeliveryOutcome, DeliveryRecord, NewEvent, NewSubscription, Notifications,
    PendingDelivery, Subscription, Topic,
};
pub use report_archive::{ArchivedReport, ReportArchive, ReportFile};
pub use sql::SkippedRow;
pub use statistics::{
    CorrectedValue, FinishOptions, ImportInfo, ImportOutcome, ImportRecord, ImportSession,
    MetadataAuthority, SeriesFilter, SeriesSummary, StagedProblem, StagedRow, Statistics,
    StoredObservation, VintageBasis,
};
pub use users::{RoleChange, User, UserEvent, Users};
pub use versions::{DataVersion, Versions};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("'{0}' is not a database URL (expected sqlite://PATH or postgres://…)")]
    Url(String),
    #[error("sqlite")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres")]
    Postgres(#[source] ::postgres::Error),
    #[error("cannot create {path}")]
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
    /// Another writer held the database for longer than a writer waits.
    #[error("another writer has held the database for {0:?}; try again when it has finished")]
    Busy(std::time::Duration),
}

impl From<::postgres::Error> for StoreError {
    /// A refusal by the database's own grants is the user's to fix, with an admin: said as
    /// such, not as a failure of lmo.
    fn from(error: ::postgres::Error) -> StoreError {
        match error.as_db_error() {
            Some(refusal)
                if *refusal.code() == ::postgres::error::SqlState::INSUFFICIENT_PRIVILEGE =>
            {
                StoreError::Forbidden(format!(
                    "the database refused this login: {}; an lmo admin gives a role that allows \
                     it (lmo users role)",
                    refusal.message()
                ))
            }
            _ => StoreError::Postgres(error),
        }
    }
}

/// Told how long a writer has been waiting for another writer to finish, while it waits.
pub type OnWait = Box<dyn FnMut(std::time::Duration) + Send>;

pub(crate) fn corrupt(table: &'static str, error: impl Display) -> StoreError {
    StoreError::Corrupt {
        table,
        reason: error.to_string(),
    }
}

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Everything the store does, on either backend.
pub trait Store:
    Statistics
    + AlertAudit
    + Casework
    + Users
    + Credentials
    + ReportArchive
    + Notifications
    + Versions
    + Send
{
    fn backend(&self) -> Backend;

    /// The stored rows that reads since the last call skipped because they could not be
    /// read back (a value written by another program, a damaged file).
    fn take_skipped_rows(&mut self) -> Vec<SkippedRow>;
}

/// Opens the store named by a URL (`sqlite://PATH`, `sqlite::memory:` or `postgres://…`) and
/// applies any pending migrations.
pub fn open(url: &str) -> Result<Box<dyn Store>, StoreError> {
    open_waiting(url, None)
}

/// [`open`], with `on_wait` told while a write waits for another writer to finish (SQLite
/// has one writer at a time; PostgreSQL writers wait only for the rows they share).
pub fn open_waiting(url: &str, on_wait: Option<OnWait>) -> Result<Box<dyn Store>, StoreError> {
    let database: Box<dyn sql::Database> = if let Some(path) = url.strip_prefix("sqlite://") {
        Box::new(sqlite::SqliteDatabase::open(
            std::path::Path::new(path),
            on_wait,
        )?)
    } else if url == "sqlite::memory:" {
        Box::new(sqlite::SqliteDatabase::open_in_memory()?)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Box::new(postgres::PostgresDatabase::connect(url)?)
    } else {
        return Err(StoreError::Url(url.to_owned()));
    };
    Ok(Box::new(SqlStore {
        database,
        skipped: Vec::new(),
    }))
}

/// The store's logic, once, over either database.
pub struct SqlStore {
    database: Box<dyn sql::Database>,
    skipped: Vec<SkippedRow>,
}

impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.database.backend()
    }

    fn take_skipped_rows(&mut self) -> Vec<SkippedRow> {
        std::mem::take(&mut self.skipped)
    }
}
