//! The one error type of the crate: every message names the file, and the row (or line) and
//! column where there is one.

/// Why a reference file or a configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TalentError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: not a readable workbook or CSV file: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("{file}: no header row with the column '{column}' in the first {searched} rows")]
    MissingColumn {
        file: String,
        column: String,
        searched: usize,
    },
    #[error("{file}:{row}:{column} (column '{name}'): {reason}")]
    Cell {
        file: String,
        row: usize,
        column: usize,
        name: String,
        reason: String,
    },
    #[error("{file}:{line}:{column}: {reason}")]
    Config {
        file: String,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("{file}: {reason}")]
    Content { file: String, reason: String },
}
