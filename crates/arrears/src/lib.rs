//! Wage-arrears and MPF-default early warning (重大勞資糾紛預警機制).
//!
//! * Parsing ([`read_register`], [`read_remittances`], [`read_payroll`], [`read_reports`],
//!   [`read_prior_summaries`]): streaming CSV readers that validate every cell, replace
//!   HKIDs by keyed pseudonyms at once (names are checked and dropped), and turn bad rows
//!   into [`Reject`]s with file, line, column and reason (never quoting a personal cell).
//!   The per-employee files are parsed on every core and applied in file order. (A
//!   workbook input is turned into CSV first, by `ingest::workbook_as_csv`.)
//! * Detection ([`detect`] over whole files, or [`Detector`] row by row): one pass over the rows of a month with a small accumulator
//!   per employer; per-row verdicts from the legal deadlines of the `labour_law` crate;
//!   employer levels from editable [`Thresholds`]; a ranked [`Detection`].
//! * Generation ([`generate`]): seeded synthetic files of any size with injected defaults
//!   and their ground truth, for tests and benchmarks.
//!
//! No clock: the as-of date is always passed in. No SQL, no logging.

mod blocks;
mod cells;
mod detect;
mod duplicates;
mod error;
mod generate;
mod inputs;
mod pipeline;
mod register;
mod rows;
mod spill;
mod thresholds;

pub use detect::{
    DefaultKind, DetectCounts, DetectInputs, DetectSummary, Detection, Detector, EmployerResult,
    MpfVerdict, PriorDefaults, ReportSignal, RowStatus, TotalTooLarge, WageVerdict, assess_payroll,
    assess_remittance, detect, write_summaries,
};
pub use domain::{Location, Reject};
pub use error::ArrearsError;
pub use generate::{
    DefaultRates, EmployeesPerEmployer, GeneratorConfig, GeneratorOutputs, GeneratorSummary,
    SplitMix64, TruthRow, generate, read_truth,
};
pub use inputs::{
    Law, ParseContext, Parsed, Payroll, PriorDefault, Remittance, WorkerReport, read_closures,
    read_payroll, read_prior_summaries, read_register, read_remittances, read_reports,
};
pub use register::{Employer, EmployerKey, Register};
pub use rows::{REDACTED, ReadSummary};
pub use thresholds::{CaseDeadlines, EmployerFacts, Level, LevelLimits, Reason, Thresholds};
