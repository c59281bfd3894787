//! The one error type of the crate: what stops a whole file or run (a bad row is a
//! [`crate::Reject`] instead).
//!
//! Messages never echo a cell of a personal column: a file without its header would
//! otherwise print an HKID from the first data row.

use labour_law::LabourLawError;

/// Why an input cannot be read or a run cannot go on.
#[derive(Debug, thiserror::Error)]
pub enum ArrearsError {
    #[error("{file}: cannot read")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{file}:{line}: the row is longer than the limit of {limit} bytes (a missing line end, or a quote never closed?)"
    )]
    RowTooLong {
        file: String,
        line: u64,
        limit: usize,
    },
    #[error("{file}: the file is empty; expected the header '{expected}'")]
    Empty { file: String, expected: String },
    #[error(
        "{file}:1: expected the header '{expected}'; column {column} differs (or the header row is missing)"
    )]
    Header {
        file: String,
        expected: String,
        column: usize,
    },
    #[error("{file}: the duplicate check cannot use its temporary files")]
    Spill {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("thresholds, line {line}: {message}")]
    Thresholds { line: usize, message: String },
    #[error("detection needs a month (e.g. 2025-06), not {0}")]
    NotAMonth(String),
    #[error("the prior summaries were collected for {prior}, not for {period}")]
    PriorPeriod { prior: String, period: String },
    #[error("generator: {0}")]
    Generator(String),
    #[error("cannot write the {what} file")]
    Write {
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    LabourLaw(#[from] LabourLawError),
}

impl ArrearsError {
    /// Whether the error is about an input file (its header, length or bytes) rather than
    /// about the run: the command line reports such input as rejected.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            ArrearsError::Io { .. }
                | ArrearsError::RowTooLong { .. }
                | ArrearsError::Empty { .. }
                | ArrearsError::Header { .. }
                | ArrearsError::Thresholds { .. }
                | ArrearsError::PriorPeriod { .. }
        )
    }
}
