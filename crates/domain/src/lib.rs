//! The vocabulary of the Labour Market Observatory.
//!
//! Every value that crosses a crate boundary is parsed into one of these types first
//! ("parse, don't validate"): a [`Period`], a [`SeriesId`], an [`IndustryCode`], and so on.
//! This crate does no IO, knows no serialisation format and never reads the clock.

mod alert;
mod casework;
mod classification;
mod coded;
mod error;
mod lines;
mod occupation;
mod period;
mod reject;
mod series;

pub use alert::AlertLevel;
pub use casework::{
    ArrearsLevel, CaseAction, CaseState, DefaultKind, Intervention, Reason, Referral, Role,
    UserAction,
};
pub use classification::{HsicSection, IndustryCode, OccupationGroup};
pub use error::DomainError;
pub use jiff::civil::Date;
pub use lines::{LineEnds, RecordEnds};
pub use occupation::{ISCO08_PREFIX, IscoCode, IscoLevel, OccupationCode};
pub use period::{Frequency, Period, PeriodKind};
pub use reject::{Location, Reject};
pub use series::{
    Direction, Observation, ObservationStatus, SeasonalAdjustment, SeriesId, SeriesMeta, Tag,
    default_publication_lag_days, parse_value,
};

/// Parses an ISO date (`YYYY-MM-DD`) into a [`Date`].
///
/// Read digit by digit rather than through jiff's general parser: arrears files carry
/// three dates on each of millions of rows. jiff still checks that the day exists.
pub fn parse_date(text: &str) -> Result<Date, DomainError> {
    // `trim` decodes characters to find Unicode spaces; a date written as it should be
    // starts and ends with a digit.
    let text = match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_digit() && last.is_ascii_digit() => text,
        _ => text.trim(),
    };
    let invalid = || DomainError::Date(text.to_owned());
    let &[y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = text.as_bytes() else {
        return Err(invalid());
    };
    let number = |digits: &[u8]| -> Result<i16, DomainError> {
        digits.iter().try_fold(0i16, |value, &digit| {
            if digit.is_ascii_digit() {
                Ok(value * 10 + i16::from(digit - b'0'))
            } else {
                Err(invalid())
            }
        })
    };
    let year = number(&[y1, y2, y3, y4])?;
    let month = number(&[m1, m2])?;
    let day = number(&[d1, d2])?;
    // Two digits are at most 99, so these casts cannot truncate.
    Date::new(year, month as i8, day as i8).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates_are_read_as_iso_and_must_exist() {
        let ok = |text| parse_date(text).map(|date| date.to_string()).ok();
        assert_eq!(ok("2025-06-30").as_deref(), Some("2025-06-30"));
        assert_eq!(ok(" 2024-02-29 ").as_deref(), Some("2024-02-29"));
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-06-31",
            "2025-6-30",
            "2025/06/30",
            "20x5-06-30",
            "2025-06-3a",
            "",
            "2025-06-300",
        ] {
            assert_eq!(ok(bad), None, "{bad:?}");
        }
    }
}
