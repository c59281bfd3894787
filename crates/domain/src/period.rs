//! Reference periods of statistical observations.

use std::fmt;

use jiff::civil::Date;

use crate::DomainError;

/// How often a series is observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Frequency {
    Monthly,
    Quarterly,
    Annual,
    /// A monthly series of 3-month moving averages, as C&SD publishes labour-force rates.
    ThreeMonthMoving,
}

impl Frequency {
    pub const ALL: [Frequency; 4] = [
        Frequency::Monthly,
        Frequency::Quarterly,
        Frequency::Annual,
        Frequency::ThreeMonthMoving,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::Annual => "annual",
            Frequency::ThreeMonthMoving => "3-month-moving",
        }
    }

    pub fn parse(text: &str) -> Result<Frequency, DomainError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "monthly" | "m" | "month" => Ok(Frequency::Monthly),
            "quarterly" | "q" | "quarter" => Ok(Frequency::Quarterly),
            "annual" | "a" | "y" | "yearly" | "year" => Ok(Frequency::Annual),
            "3-month-moving" | "m3m" | "3m" | "three-month-moving" => {
                Ok(Frequency::ThreeMonthMoving)
            }
            _ => Err(DomainError::Frequency(text.to_owned())),
        }
    }

    /// Months between two consecutive periods of this frequency.
    pub fn step_months(self) -> i32 {
        match self {
            Frequency::Monthly | Frequency::ThreeMonthMoving => 1,
            Frequency::Quarterly => 3,
            Frequency::Annual => 12,
        }
    }
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The period an observation refers to.
///
/// Canonical text forms: `2025` (year), `2025-Q3` (quarter), `2025-09` (month),
/// `2026-02/3M` (the three months ending February 2026, i.e. Dec 2025 – Feb 2026) and
/// `2025/26` (the fiscal year from April 2025 to March 2026). [`Period::read`] also takes
/// the forms people write in tables (`2025年1月`, `Q3 2025`, …).
///
/// ```
/// use domain::Period;
///
/// let period = Period::parse("2026-02/3M").unwrap();
/// assert_eq!(period.label_en(), "Dec 2025–Feb 2026");
/// assert_eq!(period.start_date().to_string(), "2025-12-01");
/// assert_eq!(period.shift(-12).unwrap().to_string(), "2025-02/3M");
/// // C&SD tables write a year and a label:
/// assert_eq!(Period::from_year_and_label("2025", "Jul - Sep").unwrap(), Period::parse("2025-09/3M").unwrap());
/// ```
///
/// A `Period` is always valid: its year is within the years lmo supports (1800–2200) and its
/// month or quarter exists, so its text form always parses back. Code outside this crate
/// reads it through [`Period::kind`] and builds one only through the checked constructors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period(PeriodKind);

/// What a [`Period`] is, for matching on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodKind {
    Year(i16),
    Quarter {
        year: i16,
        quarter: u8,
    },
    Month {
        year: i16,
        month: u8,
    },
    ThreeMonthsEnding {
        year: i16,
        month: u8,
    },
    /// The fiscal year from 1 April of `first_year` to 31 March of the next year, as the
    /// Hong Kong Government and the MPFA count their years (`2025/26`).
    FiscalYear {
        first_year: i16,
    },
}

const YEAR_MIN: i16 = 1800;
const YEAR_MAX: i16 = 2200;

const MONTH_ABBREVIATIONS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Period {
    /// Parses the canonical text form (see the type's documentation).
    pub fn parse(text: &str) -> Result<Period, DomainError> {
        let trimmed = text.trim();
        let error = || DomainError::Period(text.to_owned());
        if let Some((first, second)) = trimmed.split_once('/')
            && second != "3M"
        {
            let first_year = parse_year(first).ok_or_else(error)?;
            return fiscal_year(first_year, second).ok_or_else(error);
        }
        let (body, three_month) = match trimmed.strip_suffix("/3M") {
            Some(body) => (body, true),
            None => (trimmed, false),
        };
        let (year_text, rest) = match body.split_once('-') {
            Some((year_text, rest)) => (year_text, Some(rest)),
            None => (body, None),
        };
        let year = parse_year(year_text).ok_or_else(error)?;
        match (rest, three_month) {
            (None, false) => Ok(Period(PeriodKind::Year(year))),
            (Some(rest), _) if rest.starts_with('Q') || rest.starts_with('q') => {
                if three_month {
                    return Err(error());
                }
                let quarter = parse_ranged(&rest[1..], 1, 4, 1).ok_or_else(error)?;
                Ok(Period(PeriodKind::Quarter { year, quarter }))
            }
            (Some(rest), three_month) => {
                let month = parse_ranged(rest, 1, 12, 2).ok_or_else(error)?;
                if three_month {
                    Ok(Period(PeriodKind::ThreeMonthsEnding { year, month }))
                } else {
                    Ok(Period(PeriodKind::Month { year, month }))
                }
            }
            (None, true) => Err(error()),
        }
    }

    /// The period of the given frequency that ends in the month containing `date`; an error
    /// for a date outside the years lmo supports.
    pub fn containing(date: Date, frequency: Frequency) -> Result<Period, DomainError> {
        let year = date.year();
        let month = date.month() as u8;
        Period::new(match frequency {
            Frequency::Monthly => PeriodKind::Month { year, month },
            Frequency::ThreeMonthMoving => PeriodKind::ThreeMonthsEnding { year, month },
            Frequency::Quarterly => PeriodKind::Quarter {
                year,
                quarter: (month - 1) / 3 + 1,
            },
            Frequency::Annual => PeriodKind::Year(year),
        })
        .map_err(|_| DomainError::Period(date.to_string()))
    }

    /// The period `kind` describes, when its year is supported and its month or quarter
    /// exists.
    pub fn new(kind: PeriodKind) -> Result<Period, DomainError> {
        let (year, valid) = match kind {
            PeriodKind::Year(year) => (year, true),
            PeriodKind::FiscalYear { first_year } => (first_year, first_year < YEAR_MAX),
            PeriodKind::Quarter { year, quarter } => (year, (1..=4).contains(&quarter)),
            PeriodKind::Month { year, month } | PeriodKind::ThreeMonthsEnding { year, month } => {
                (year, (1..=12).contains(&month))
            }
        };
        if valid && (YEAR_MIN..=YEAR_MAX).contains(&year) {
            Ok(Period(kind))
        } else {
            Err(DomainError::Period(format!("{kind:?}")))
        }
    }

    /// What the period is, to match on.
    pub fn kind(self) -> PeriodKind {
        self.0
    }

    pub fn frequency(self) -> Frequency {
        match self.0 {
            PeriodKind::Year(_) | PeriodKind::FiscalYear { .. } => Frequency::Annual,
            PeriodKind::Quarter { .. } => Frequency::Quarterly,
            PeriodKind::Month { .. } => Frequency::Monthly,
            PeriodKind::ThreeMonthsEnding { .. } => Frequency::ThreeMonthMoving,
        }
    }

    /// Months since year 0 of the last month of the period; orders periods in time.
    pub fn end_month_index(self) -> i32 {
        let (year, month) = self.end_year_month();
        i32::from(year) * 12 + i32::from(month) - 1
    }

    fn end_year_month(self) -> (i16, u8) {
        match self.0 {
            PeriodKind::Year(year) => (year, 12),
            PeriodKind::FiscalYear { first_year } => (first_year + 1, 3),
            PeriodKind::Quarter { year, quarter } => (year, quarter * 3),
            PeriodKind::Month { year, month } | PeriodKind::ThreeMonthsEnding { year, month } => {
                (year, month)
            }
        }
    }

    fn months_covered(self) -> i32 {
        match self.0 {
            PeriodKind::Year(_) | PeriodKind::FiscalYear { .. } => 12,
            PeriodKind::Quarter { .. } | PeriodKind::ThreeMonthsEnding { .. } => 3,
            PeriodKind::Month { .. } => 1,
        }
    }

    /// The first day of the period.
    pub fn start_date(self) -> Date {
        let start_index = self.end_month_index() - self.months_covered() + 1;
        date_of_month_index(start_index)
    }

    /// The other name of a quarter: the month that ends it, for a quarter (`2025-Q3` →
    /// `2025-09`), and the quarter it ends, for such a month (`2025-09` → `2025-Q3`). C&SD
    /// labels quarterly surveys by their month, derived series use quarters.
    pub fn quarter_alias(self) -> Option<Period> {
        match self.0 {
            PeriodKind::Quarter { year, quarter } => Some(Period(PeriodKind::Month {
                year,
                month: quarter * 3,
            })),
            PeriodKind::Month { year, month } if month % 3 == 0 => {
                Some(Period(PeriodKind::Quarter {
                    year,
                    quarter: month / 3,
                }))
            }
            _ => None,
        }
    }

    /// The last day of the period.
    pub fn end_date(self) -> Date {
        date_of_month_index(self.end_month_index()).last_of_month()
    }

    /// The period `steps` periods of the same frequency later (earlier when negative);
    /// `None` past the years lmo supports.
    #[must_use]
    pub fn shift(self, steps: i32) -> Option<Period> {
        let index = self.end_month_index() + steps * self.frequency().step_months();
        let year = i16::try_from(index.div_euclid(12)).ok()?;
        let month = (index.rem_euclid(12) + 1) as u8;
        Period::new(match self.0 {
            PeriodKind::Year(_) => PeriodKind::Year(year),
            PeriodKind::FiscalYear { .. } => PeriodKind::FiscalYear {
                first_year: year - 1,
            },
            PeriodKind::Quarter { .. } => PeriodKind::Quarter {
                year,
                quarter: month / 3,
            },
            PeriodKind::Month { .. } => PeriodKind::Month { year, month },
            PeriodKind::ThreeMonthsEnding { .. } => PeriodKind::ThreeMonthsEnding { year, month },
        })
        .ok()
    }

    /// A label for people, in English: `Sep 2025`, `Q3 2025`, `Jul–Sep 2025`, `2025/26`.
    pub fn label_en(self) -> String {
        match self.0 {
            PeriodKind::Year(year) => year.to_string(),
            PeriodKind::FiscalYear { .. } => self.to_string(),
            PeriodKind::Quarter { year, quarter } => format!("Q{quarter} {year}"),
            PeriodKind::Month { year, month } => {
                format!("{} {year}", MONTH_ABBREVIATIONS[usize::from(month) - 1])
            }
            PeriodKind::ThreeMonthsEnding { year, month } => {
                let start = self.start_date();
                let start_month = MONTH_ABBREVIATIONS[start.month() as usize - 1];
                let end_month = MONTH_ABBREVIATIONS[usize::from(month) - 1];
                if start.year() == year {
                    format!("{start_month}–{end_month} {year}")
                } else {
                    format!("{start_month} {}–{end_month} {year}", start.year())
                }
            }
        }
    }

    /// A label for people, in Traditional Chinese: `2025年9月`, `2025年第3季`, `2025/26年度`.
    pub fn label_zh(self) -> String {
        match self.0 {
            PeriodKind::Year(year) => format!("{year}年"),
            PeriodKind::FiscalYear { .. } => format!("{self}年度"),
            PeriodKind::Quarter { year, quarter } => format!("{year}年第{quarter}季"),
            PeriodKind::Month { year, month } => format!("{year}年{month}月"),
            PeriodKind::ThreeMonthsEnding { year, month } => {
                let start = self.start_date();
                format!("{}年{}月–{year}年{month}月", start.year(), start.month())
            }
        }
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (
            self.end_month_index(),
            self.months_covered(),
            self.frequency(),
        )
            .cmp(&(
                other.end_month_index(),
                other.months_covered(),
                other.frequency(),
            ))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            PeriodKind::Year(year) => write!(f, "{year}"),
            PeriodKind::FiscalYear { first_year } => {
                write!(f, "{first_year}/{:02}", (first_year + 1) % 100)
            }
            PeriodKind::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            PeriodKind::Month { year, month } => write!(f, "{year}-{month:02}"),
            PeriodKind::ThreeMonthsEnding { year, month } => write!(f, "{year}-{month:02}/3M"),
        }
    }
}

impl std::str::FromStr for Period {
    type Err = DomainError;
    fn from_str(text: &str) -> Result<Period, DomainError> {
        Period::parse(text)
    }
}

/// Parses an English month abbreviation or name (`Sep`, `September`), as C&SD tables write them.
pub(crate) fn month_from_name(text: &str) -> Option<u8> {
    let prefix = text.trim().get(..3)?;
    MONTH_ABBREVIATIONS
        .iter()
        .position(|name| name.eq_ignore_ascii_case(prefix))
        .map(|index| index as u8 + 1)
}

impl Period {
    /// Builds a period from a year and a C&SD time label such as `Sep`, `Q3` or `Jul - Sep`.
    pub fn from_year_and_label(year_text: &str, label: &str) -> Result<Period, DomainError> {
        let error = || DomainError::Period(format!("{} {}", year_text.trim(), label.trim()));
        let year = parse_year(year_text.trim()).ok_or_else(error)?;
        let label = label.trim();
        if label.is_empty() {
            return Ok(Period(PeriodKind::Year(year)));
        }
        if let Some(quarter) = label.strip_prefix('Q').or_else(|| label.strip_prefix('q')) {
            let quarter = parse_ranged(quarter, 1, 4, 1).ok_or_else(error)?;
            return Ok(Period(PeriodKind::Quarter { year, quarter }));
        }
        if let Some((first, last)) = label.split_once(['-', '–']) {
            let first = month_from_name(first).ok_or_else(error)?;
            let month = month_from_name(last).ok_or_else(error)?;
            if (i32::from(month) - i32::from(first)).rem_euclid(12) != 2 {
                return Err(error());
            }
            return Ok(Period(PeriodKind::ThreeMonthsEnding { year, month }));
        }
        let month = month_from_name(label).ok_or_else(error)?;
        if label.len() > 3
            && !MONTH_NAMES
                .iter()
                .any(|name| name.eq_ignore_ascii_case(label))
        {
            return Err(error());
        }
        Ok(Period(PeriodKind::Month { year, month }))
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn date_of_month_index(index: i32) -> Date {
    let year = index.div_euclid(12) as i16;
    let month = (index.rem_euclid(12) + 1) as i8;
    Date::new(year, month, 1).expect("month index within the supported year range")
}

fn parse_year(text: &str) -> Option<i16> {
    if text.len() != 4 || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let year: i16 = text.parse().ok()?;
    (YEAR_MIN..=YEAR_MAX).contains(&year).then_some(year)
}

/// The fiscal year starting in `first_year`, when `second` names the year after it, in
/// two digits (`2025/26`, `1999/00`) or four (`2025/2026`).
fn fiscal_year(first_year: i16, second: &str) -> Option<Period> {
    let next = first_year + 1;
    let matches = match second.len() {
        2 => parse_ranged_u16(second)? == (next % 100) as u16,
        4 => parse_ranged_u16(second)? == next as u16,
        _ => false,
    };
    matches
        .then(|| Period::new(PeriodKind::FiscalYear { first_year }).ok())
        .flatten()
}

fn parse_ranged_u16(digits: &str) -> Option<u16> {
    digits
        .bytes()
        .all(|byte| byte.is_ascii_digit())
        .then(|| digits.parse().ok())
        .flatten()
}

fn parse_ranged(text: &str, min: u8, max: u8, digits: usize) -> Option<u8> {
    if text.len() != digits || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let value: u8 = text.parse().ok()?;
    (min..=max).contains(&value).then_some(value)
}

mod written;

#[cfg(test)]
mod tests;
