//! The one error type of the crate.

/// Why rules, reference episodes or an alert-state change cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WarningError {
    /// A rule file that does not parse or does not make sense; the position is where the
    /// offending table or value starts, so the user can go straight to it.
    #[error("{file}:{line}:{column}: {message}")]
    Rules {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A reference-episode file (NBER cycle dates format) with a bad row.
    #[error("{file}:{line}: {message}")]
    Reference {
        file: String,
        line: usize,
        message: String,
    },
    /// A subject series that cannot form a time series (off its frequency grid, mixed
    /// period kinds): a metadata error that must not be skipped silently.
    #[error("series {series}: {reason}")]
    Series { series: String, reason: String },
    /// The caller could not supply the catalogue as known at a date (a store error, …).
    #[error("catalogue as of {as_of}: {message}")]
    Catalogue {
        as_of: domain::Date,
        message: String,
    },
    /// An acknowledgement or mute that is missing its user or reason.
    #[error("alert state: {0}")]
    State(String),
}

/// 1-based line and column (in characters) of a byte offset into `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}
