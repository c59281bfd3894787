//! The one error type of the crate.
//!
//! Messages never echo an HKID or a name: errors end up in logs and reject files, and the
//! personal identifiers must not.

use std::fmt;

use jiff::civil::Date;

use crate::Money;

/// Why an input or a lookup failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabourLawError {
    #[error(
        "'{0}' is not an amount of money (expected digits with two decimals or none, e.g. 1234.56)"
    )]
    Money(String),
    #[error("{what} is negative ({amount})")]
    Negative { what: &'static str, amount: Money },
    #[error(
        "'{0}' is not a percentage from 0 to 100 (expected digits with two decimals or none, e.g. 5 or 2.50)"
    )]
    Percent(String),
    #[error("not an HKID: {0}")]
    Hkid(HkidProblem),
    #[error("a pseudonym key needs at least 16 bytes, this one has {0}")]
    KeyTooShort(usize),
    #[error(
        "a pseudonym key of one character repeated, or of white space, is no secret; use a random one (e.g. from `openssl rand -base64 32`)"
    )]
    KeyNotSecret,
    #[error("the name is empty")]
    EmptyName,
    #[error("parameters, line {line}: {message}")]
    Parameters { line: usize, message: String },
    #[error("no value of {parameter} for {date}: the table starts on {first}")]
    NoParameter {
        parameter: &'static str,
        date: Date,
        first: Date,
    },
    #[error("holiday calendar, line {line}: {message}")]
    Calendar { line: usize, message: String },
    #[error("no holiday calendar for {0}")]
    NoCalendar(i16),
    #[error("date out of range: {0}")]
    DateRange(String),
}

/// What is wrong with a would-be HKID, without saying what it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HkidProblem {
    /// Not one or two letters, six digits and a check digit.
    Shape,
    /// The check digit does not match the rest; which digit was expected is not said, so
    /// a logged error cannot be used to complete a mistyped id.
    CheckDigit,
}

impl fmt::Display for HkidProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HkidProblem::Shape => {
                f.write_str("expected one or two letters, six digits and a check digit (0-9 or A)")
            }
            HkidProblem::CheckDigit => f.write_str("check digit does not match"),
        }
    }
}

impl From<jiff::Error> for LabourLawError {
    fn from(error: jiff::Error) -> Self {
        LabourLawError::DateRange(error.to_string())
    }
}
