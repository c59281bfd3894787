//! Errors raised when text does not parse into a domain value.

/// Why a piece of text is not a valid domain value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("'{0}' is not a period (expected YYYY, YYYY-Qn, YYYY-MM, YYYY-MM/3M or YYYY/YY)")]
    Period(String),
    #[error(
        "'{0}' is not a period lmo can read (such as 2025, 2025-Q3, 2025-09, 2026-02/3M, 2025/26, 2025年1月, 2025年第3季, 2025年1月至3月, Jan 2025, Q3 2025, 2025 Q3, or a date)"
    )]
    PeriodText(String),
    #[error("'{0}' is not a date (expected YYYY-MM-DD)")]
    Date(String),
    #[error("'{0}' is not a frequency (expected monthly, quarterly, annual or 3-month-moving)")]
    Frequency(String),
    #[error("'{0}' is not a series id (1-200 characters: letters, digits and . _ - / : +)")]
    SeriesId(String),
    #[error("'{0}' is not a tag (1-64 characters: lowercase letters, digits and . _ - :)")]
    Tag(String),
    #[error("'{0}' is not an HSIC 2.0 industry code")]
    Industry(String),
    #[error("'{0}' is not a C&SD occupation major group (1-9)")]
    Occupation(String),
    #[error(
        "'{0}' is not an ISCO-08 group (1 to 4 digits of a code in the ILO's ISCO-08 structure)"
    )]
    IscoCode(String),
    #[error("'{0}' is not a seasonal adjustment (expected sa, nsa or unknown)")]
    SeasonalAdjustment(String),
    #[error("'{0}' is not a direction (expected higher_is_better, higher_is_worse or neutral)")]
    Direction(String),
    #[error("'{0}' is not an observation status")]
    Status(String),
    #[error("'{0}' is not a number")]
    Number(String),
    #[error("'{0}' is too large or too close to zero to be stored as written")]
    NumberOutOfRange(String),
    /// A code of one of the coded vocabularies (levels, roles, case states, …).
    #[error("'{text}' is not {what} (expected one of: {expected})")]
    Code {
        what: &'static str,
        text: String,
        expected: String,
    },
}
