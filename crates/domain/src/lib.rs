//! The vocabulary of the Labour Market Observatory.
//!
//! Every value that crosses a crate boundary is parsed into one of these types first
//! ("parse, don't validate"): a [`Period`], a [`SeriesId`], an [`IndustryCode`], and so on.
//! This crate does no IO, knows no serialisation format and never reads the clock.

mod classification;
mod error;
mod period;
mod series;

pub use classification::{HsicSection, IndustryCode, OccupationGroup};
pub use error::DomainError;
pub use jiff::civil::Date;
pub use period::{Frequency, Period};
pub use series::{
    Direction, Observation, ObservationStatus, SeasonalAdjustment, SeriesId, SeriesMeta, Tag,
    default_publication_lag_days, parse_value,
};

/// Parses an ISO date (`YYYY-MM-DD`) into a [`Date`].
pub fn parse_date(text: &str) -> Result<Date, DomainError> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-';
    if !shape_ok {
        return Err(DomainError::Date(text.to_owned()));
    }
    text.parse::<Date>()
        .map_err(|_| DomainError::Date(text.to_owned()))
}
