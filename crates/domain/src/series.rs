//! Series, their metadata, and observations.

use std::fmt;

use jiff::civil::Date;

use crate::{DomainError, Frequency, IndustryCode, OccupationCode, Period};

const SERIES_ID_BYTES_MAX: usize = 200;
const TAG_BYTES_MAX: usize = 64;

/// A series identifier such as `csd.215-16001.vacancies.G47` or `fred.UNRATE`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeriesId(String);

impl SeriesId {
    pub fn parse(text: &str) -> Result<SeriesId, DomainError> {
        let valid = !text.is_empty()
            && text.len() <= SERIES_ID_BYTES_MAX
            && text.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'/' | b':' | b'+')
            });
        if valid {
            Ok(SeriesId(text.to_owned()))
        } else {
            Err(DomainError::SeriesId(text.to_owned()))
        }
    }

    /// Builds an id from free text (a table label, a category name) by keeping letters and
    /// digits and folding every other run of characters into one `_`.
    pub fn slug(text: &str) -> String {
        let mut slug = String::with_capacity(text.len());
        for ch in text.chars() {
            if ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | '+') {
                slug.push(if ch == '+' {
                    '_'
                } else {
                    ch.to_ascii_lowercase()
                });
            } else if !slug.ends_with('_') {
                slug.push('_');
            }
        }
        slug.trim_matches('_').to_owned()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SeriesId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A classification tag used by rules to select series, e.g. `industry-unemployment-rate`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(String);

impl Tag {
    pub fn parse(text: &str) -> Result<Tag, DomainError> {
        let text = text.trim();
        let valid = !text.is_empty()
            && text.len() <= TAG_BYTES_MAX
            && text.bytes().all(|b| {
                b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || matches!(b, b'.' | b'_' | b'-' | b':')
            });
        if valid {
            Ok(Tag(text.to_owned()))
        } else {
            Err(DomainError::Tag(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether the series is seasonally adjusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeasonalAdjustment {
    NotAdjusted,
    Adjusted,
    /// The file does not say (a FRED download carries no flag): lmo does not guess.
    Unknown,
}

impl SeasonalAdjustment {
    pub fn parse(text: &str) -> Result<SeasonalAdjustment, DomainError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "nsa" | "" => Ok(SeasonalAdjustment::NotAdjusted),
            "sa" => Ok(SeasonalAdjustment::Adjusted),
            "unknown" => Ok(SeasonalAdjustment::Unknown),
            _ => Err(DomainError::SeasonalAdjustment(text.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SeasonalAdjustment::NotAdjusted => "nsa",
            SeasonalAdjustment::Adjusted => "sa",
            SeasonalAdjustment::Unknown => "unknown",
        }
    }
}

/// Which way is good news: warning rules flip signs for series where higher is worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    HigherIsBetter,
    HigherIsWorse,
    Neutral,
}

impl Direction {
    pub fn parse(text: &str) -> Result<Direction, DomainError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "higher_is_better" | "up" => Ok(Direction::HigherIsBetter),
            "higher_is_worse" | "down" => Ok(Direction::HigherIsWorse),
            "neutral" | "" => Ok(Direction::Neutral),
            _ => Err(DomainError::Direction(text.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "higher_is_better",
            Direction::HigherIsWorse => "higher_is_worse",
            Direction::Neutral => "neutral",
        }
    }
}

/// Everything known about a series apart from its observations.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesMeta {
    pub id: SeriesId,
    pub title_en: String,
    pub title_zh: String,
    pub unit: String,
    pub frequency: Frequency,
    pub seasonal_adjustment: SeasonalAdjustment,
    /// Who publishes it and in which table, e.g. `C&SD table 215-16001`.
    pub source: String,
    pub industry: Option<IndustryCode>,
    /// A C&SD major group or an ISCO-08 group at any level.
    pub occupation: Option<OccupationCode>,
    pub tags: Vec<Tag>,
    pub direction: Direction,
    /// Days from the end of a period to the first publication of its value; used as the
    /// "known from" date of observations whose file carries no vintage.
    pub publication_lag_days: u16,
}

impl SeriesMeta {
    /// A series with the given id and titles and neutral defaults for everything else.
    pub fn new(id: SeriesId, title_en: String, frequency: Frequency) -> SeriesMeta {
        SeriesMeta {
            title_zh: String::new(),
            unit: String::new(),
            seasonal_adjustment: SeasonalAdjustment::NotAdjusted,
            source: String::new(),
            industry: None,
            occupation: None,
            tags: Vec::new(),
            direction: Direction::Neutral,
            publication_lag_days: default_publication_lag_days(frequency),
            id,
            title_en,
            frequency,
        }
    }
}

/// A conservative default: C&SD releases monthly labour-force figures about three weeks
/// after the period and quarterly surveys within about eleven weeks.
pub fn default_publication_lag_days(frequency: Frequency) -> u16 {
    match frequency {
        Frequency::Monthly | Frequency::ThreeMonthMoving => 30,
        Frequency::Quarterly => 80,
        Frequency::Annual => 120,
    }
}

/// Publication status of a single value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObservationStatus {
    Normal,
    Provisional,
    Revised,
    /// Published as a symbol meaning "less than half the unit" (C&SD `§` markers); stored as 0.
    BelowHalfUnit,
}

impl ObservationStatus {
    pub fn parse(text: &str) -> Result<ObservationStatus, DomainError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "normal" | "final" => Ok(ObservationStatus::Normal),
            "p" | "provisional" => Ok(ObservationStatus::Provisional),
            "r" | "revised" => Ok(ObservationStatus::Revised),
            "below_half_unit" | "§" => Ok(ObservationStatus::BelowHalfUnit),
            _ => Err(DomainError::Status(text.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ObservationStatus::Normal => "normal",
            ObservationStatus::Provisional => "provisional",
            ObservationStatus::Revised => "revised",
            ObservationStatus::BelowHalfUnit => "below_half_unit",
        }
    }
}

/// One value of one series for one period, as known from `vintage` on.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub period: Period,
    pub value: f64,
    pub status: ObservationStatus,
    /// The release date the value is known from; `None` when the source does not say, in
    /// which case the store estimates it from the series' publication lag.
    pub vintage: Option<Date>,
}

/// Parses a published number: thousands separators and surrounding spaces are allowed.
pub fn parse_value(text: &str) -> Result<f64, DomainError> {
    let trimmed = text.trim();
    let cleaned: std::borrow::Cow<'_, str> = if trimmed.contains(',') {
        trimmed.replace(',', "").into()
    } else {
        trimmed.into()
    };
    match cleaned.parse::<f64>() {
        // A number written with a non-zero digit that reads as zero, or too close to zero to
        // keep its precision, would be stored changed.
        Ok(value)
            if (value == 0.0 && has_nonzero_mantissa(&cleaned))
                || (value != 0.0 && value.abs() < f64::MIN_POSITIVE) =>
        {
            Err(DomainError::NumberOutOfRange(text.to_owned()))
        }
        Ok(value) if value.is_finite() && !cleaned.is_empty() => Ok(value),
        Ok(value) if value.is_infinite() && cleaned.bytes().any(|b| b.is_ascii_digit()) => {
            Err(DomainError::NumberOutOfRange(text.to_owned()))
        }
        _ => Err(DomainError::Number(text.to_owned())),
    }
}

/// Whether the digits before any exponent include one that is not 0.
fn has_nonzero_mantissa(text: &str) -> bool {
    text.split(['e', 'E'])
        .next()
        .is_some_and(|mantissa| mantissa.bytes().any(|b| matches!(b, b'1'..=b'9')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_ids_and_slugs() {
        assert!(SeriesId::parse("csd.215-16001.vacancies.G47").is_ok());
        assert!(SeriesId::parse("csd.215-16001.vacancies.B+D+E").is_ok());
        assert!(SeriesId::parse("has space").is_err());
        assert!(SeriesId::parse("").is_err());
        assert_eq!(SeriesId::slug("All ages (overall)"), "all_ages_overall");
        assert_eq!(SeriesId::slug("B+D+E"), "b_d_e");
    }

    #[test]
    fn numbers_that_would_be_stored_changed_are_refused() {
        for text in ["1e-400", "-2.5e-320", "1e400", "-1e999"] {
            assert_eq!(
                parse_value(text),
                Err(DomainError::NumberOutOfRange(text.to_owned())),
                "{text}"
            );
        }
        assert_eq!(parse_value("0e-400").unwrap(), 0.0);
        assert_eq!(parse_value("0.000").unwrap(), 0.0);
        assert_eq!(
            parse_value("2.2250738585072014e-308").unwrap(),
            f64::MIN_POSITIVE
        );
        assert_eq!(
            parse_value("inf"),
            Err(DomainError::Number("inf".to_owned()))
        );
    }

    #[test]
    fn values_parse_like_published_tables() {
        assert_eq!(parse_value("51,452").unwrap(), 51452.0);
        assert_eq!(parse_value(" -0.3 ").unwrap(), -0.3);
        for bad in ["", "N.A.", "1.2.3", "inf", "NaN", "12%"] {
            assert!(parse_value(bad).is_err(), "{bad}");
        }
    }
}
