//! Legal parameters as dated tables, loaded from TOML.
//!
//! Values change by law on given dates (the minimum wage yearly, the MPF limits now and
//! then), and a record is judged by the rule in force on its own date. So each parameter
//! is a list of entries with `effective_from`, looked up by date, and each entry carries
//! the source it was taken from and how well that source establishes it. The Hong Kong
//! values live in `data/hk_parameters.toml`, compiled in; a lookup before a table's first
//! entry is an error, never an extrapolation.

use std::ops::Range;
use std::sync::LazyLock;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer};
use toml::Spanned;
use toml::value::Datetime;

use crate::{LabourLawError, Money, Percent};

const HONG_KONG_TOML: &str = include_str!("../data/hk_parameters.toml");

static HONG_KONG: LazyLock<Parameters> = LazyLock::new(|| {
    Parameters::from_toml(HONG_KONG_TOML)
        .expect("the bundled hk_parameters.toml loads (checked by the crate's tests)")
});

/// How well a source establishes a value (the marks of `hk-rules.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceStatus {
    /// Stated in an official HKSAR source.
    Verified,
    /// Press or third-party sources only.
    Secondary,
    /// Not confirmed, e.g. still subject to approval by the Legislative Council.
    Unverified,
}

/// One entry of a dated table: `value` applies from `effective_from` until the next entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated<T> {
    pub effective_from: Date,
    pub value: T,
    pub source: String,
    pub status: SourceStatus,
    /// A caveat a reader of the value should see (e.g. a reported but unconfirmed change).
    pub note: Option<String>,
}

/// A parameter's entries, in increasing `effective_from` order, at least one.
#[derive(Debug, Clone)]
struct Table<T> {
    name: &'static str,
    first: Date,
    entries: Vec<Dated<T>>,
}

impl<T> Table<T> {
    fn at(&self, date: Date) -> Result<&Dated<T>, LabourLawError> {
        let in_force = self
            .entries
            .partition_point(|entry| entry.effective_from <= date);
        in_force
            .checked_sub(1)
            .and_then(|index| self.entries.get(index))
            .ok_or(LabourLawError::NoParameter {
                parameter: self.name,
                date,
                first: self.first,
            })
    }
}

/// The legal parameters, each a dated table with sources.
#[derive(Debug, Clone)]
pub struct Parameters {
    mpf_relevant_income_min: Table<Money>,
    mpf_relevant_income_max: Table<Money>,
    mpf_rate_employer: Table<Percent>,
    mpf_rate_employee: Table<Percent>,
    mpf_surcharge_rate: Table<Percent>,
    wage_payment_days_after_period: Table<u16>,
    minimum_wage_hourly: Table<Money>,
}

impl Parameters {
    /// The bundled Hong Kong parameters (`data/hk_parameters.toml`), parsed once.
    pub fn hong_kong() -> &'static Parameters {
        &HONG_KONG
    }

    /// Parses a parameter file in the format of `data/hk_parameters.toml`. Every table must
    /// be present and non-empty, with strictly increasing dates; errors name the line.
    pub fn from_toml(text: &str) -> Result<Parameters, LabourLawError> {
        let raw: RawParameters =
            toml::from_str(text).map_err(|error| LabourLawError::Parameters {
                line: error.span().map_or(1, |span| line_of(text, span.start)),
                message: error.message().to_owned(),
            })?;
        let money = |value: MoneyText| value.0;
        let percent = |value: PercentText| value.0;
        Ok(Parameters {
            mpf_relevant_income_min: table(
                text,
                "mpf_relevant_income_min",
                raw.mpf_relevant_income_min,
                money,
            )?,
            mpf_relevant_income_max: table(
                text,
                "mpf_relevant_income_max",
                raw.mpf_relevant_income_max,
                money,
            )?,
            mpf_rate_employer: table(text, "mpf_rate_employer", raw.mpf_rate_employer, percent)?,
            mpf_rate_employee: table(text, "mpf_rate_employee", raw.mpf_rate_employee, percent)?,
            mpf_surcharge_rate: table(text, "mpf_surcharge_rate", raw.mpf_surcharge_rate, percent)?,
            wage_payment_days_after_period: table(
                text,
                "wage_payment_days_after_period",
                raw.wage_payment_days_after_period,
                |days| days,
            )?,
            minimum_wage_hourly: table(
                text,
                "minimum_wage_hourly",
                raw.minimum_wage_hourly,
                money,
            )?,
        })
    }

    /// MPF minimum relevant income of a monthly-paid employee, for the contribution period
    /// beginning on `period_start`.
    pub fn mpf_relevant_income_min(
        &self,
        period_start: Date,
    ) -> Result<&Dated<Money>, LabourLawError> {
        self.mpf_relevant_income_min.at(period_start)
    }

    /// MPF maximum relevant income of a monthly-paid employee, for the contribution period
    /// beginning on `period_start`.
    pub fn mpf_relevant_income_max(
        &self,
        period_start: Date,
    ) -> Result<&Dated<Money>, LabourLawError> {
        self.mpf_relevant_income_max.at(period_start)
    }

    pub fn mpf_rate_employer(&self, period_start: Date) -> Result<&Dated<Percent>, LabourLawError> {
        self.mpf_rate_employer.at(period_start)
    }

    pub fn mpf_rate_employee(&self, period_start: Date) -> Result<&Dated<Percent>, LabourLawError> {
        self.mpf_rate_employee.at(period_start)
    }

    /// The contribution surcharge, as a share of the contributions in arrears.
    pub fn mpf_surcharge_rate(&self, date: Date) -> Result<&Dated<Percent>, LabourLawError> {
        self.mpf_surcharge_rate.at(date)
    }

    /// Calendar days after the end of a wage period by which the wages must be paid.
    pub fn wage_payment_days_after_period(
        &self,
        wage_period_end: Date,
    ) -> Result<&Dated<u16>, LabourLawError> {
        self.wage_payment_days_after_period.at(wage_period_end)
    }

    /// The statutory minimum wage per hour on `date`.
    pub fn minimum_wage_hourly(&self, date: Date) -> Result<&Dated<Money>, LabourLawError> {
        self.minimum_wage_hourly.at(date)
    }
}

/// The file as written; `Spanned` keeps byte offsets so that errors found after parsing
/// (order of dates, empty tables) can still name a line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParameters {
    mpf_relevant_income_min: RawTable<MoneyText>,
    mpf_relevant_income_max: RawTable<MoneyText>,
    mpf_rate_employer: RawTable<PercentText>,
    mpf_rate_employee: RawTable<PercentText>,
    mpf_surcharge_rate: RawTable<PercentText>,
    wage_payment_days_after_period: RawTable<u16>,
    minimum_wage_hourly: RawTable<MoneyText>,
}

type RawTable<V> = Spanned<Vec<RawEntry<V>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry<V> {
    effective_from: Spanned<Datetime>,
    value: V,
    source: String,
    status: SourceStatus,
    #[serde(default)]
    note: Option<String>,
}

/// A non-negative amount written as a string, so that `12.5` or a float never sneaks in;
/// a parse error here is reported by `toml` at the value's line.
struct MoneyText(Money);

impl<'de> Deserialize<'de> for MoneyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Money::parse_non_negative(&text)
            .map(MoneyText)
            .map_err(serde::de::Error::custom)
    }
}

struct PercentText(Percent);

impl<'de> Deserialize<'de> for PercentText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Percent::parse(&text)
            .map(PercentText)
            .map_err(serde::de::Error::custom)
    }
}

fn table<V, T>(
    text: &str,
    name: &'static str,
    raw: RawTable<V>,
    convert: impl Fn(V) -> T,
) -> Result<Table<T>, LabourLawError> {
    let error_at = |span: Range<usize>, message: String| LabourLawError::Parameters {
        line: line_of(text, span.start),
        message,
    };
    let table_span = raw.span();
    let mut entries: Vec<Dated<T>> = Vec::with_capacity(raw.get_ref().len());
    for entry in raw.into_inner() {
        let span = entry.effective_from.span();
        let effective_from = civil_date(entry.effective_from.get_ref()).ok_or_else(|| {
            error_at(
                span.clone(),
                format!("{name}: effective_from must be a date (YYYY-MM-DD)"),
            )
        })?;
        if let Some(previous) = entries.last()
            && previous.effective_from >= effective_from
        {
            return Err(error_at(
                span,
                format!(
                    "{name}: effective_from {effective_from} is not after the previous entry's {}",
                    previous.effective_from
                ),
            ));
        }
        entries.push(Dated {
            effective_from,
            value: convert(entry.value),
            source: entry.source,
            status: entry.status,
            note: entry.note,
        });
    }
    let first = entries
        .first()
        .map(|entry| entry.effective_from)
        .ok_or_else(|| error_at(table_span, format!("{name}: the table has no entries")))?;
    Ok(Table {
        name,
        first,
        entries,
    })
}

/// A TOML local date (no time, no offset) as a civil date.
fn civil_date(datetime: &Datetime) -> Option<Date> {
    match datetime {
        Datetime {
            date: Some(date),
            time: None,
            offset: None,
        } => {
            let year = i16::try_from(date.year).ok()?;
            Date::new(year, date.month as i8, date.day as i8).ok()
        }
        _ => None,
    }
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let newlines = text
        .char_indices()
        .take_while(|&(index, _)| index < offset)
        .filter(|&(_, c)| c == '\n')
        .count();
    newlines + 1
}
