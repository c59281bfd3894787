//! Shortage ratings per industry from the vacancy survey and the payroll index, per occupation
//! from whatever occupation series the store holds, and the industry demand map.

use domain::{Date, IndustryCode, IscoCode, IscoLevel, OccupationCode, Period, SeriesMeta};
use talent::config::TalentConfig;
use talent::levels::{IndustryLevels, ManpowerLevels};
use talent::shortage::{
    Confidence, Driver, GroupSignals, Rating, ShortageRating, Signal, SignalValues, rate_shortages,
};

use crate::report::Observed;

/// A series and its values as known on a date, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownSeries {
    pub meta: SeriesMeta,
    pub values: Vec<Observed>,
}

impl KnownSeries {
    fn latest(&self) -> Option<Observed> {
        self.values.last().copied()
    }

    /// The value twelve months before `period`, by the periods' last months.
    fn year_before(&self, period: Period) -> Option<Observed> {
        let month = period.end_month_index() - 12;
        self.values
            .iter()
            .rev()
            .find(|value| value.period.end_month_index() == month)
            .copied()
    }

    /// Year-on-year growth of the latest value, %, and its period.
    fn latest_growth(&self) -> Option<(Period, f64)> {
        let latest = self.latest()?;
        let before = self.year_before(latest.period)?;
        (before.value != 0.0).then(|| (latest.period, 100.0 * (latest.value / before.value - 1.0)))
    }

    /// Values averaged by calendar year, for years with `per_year` values.
    pub(crate) fn annual_means(&self, per_year: usize) -> Vec<(i16, f64)> {
        let mut years: Vec<(i16, f64, usize)> = Vec::new();
        for value in &self.values {
            let year = value.period.end_date().year();
            match years.last_mut() {
                Some((last, sum, count)) if *last == year => {
                    *sum += value.value;
                    *count += 1;
                }
                _ => years.push((year, value.value, 1)),
            }
        }
        years
            .into_iter()
            .filter(|(_, _, count)| *count == per_year)
            .map(|(year, sum, count)| (year, sum / count as f64))
            .collect()
    }
}

/// The vacancy survey's series for one industry, and the payroll index that covers it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndustryInputs {
    pub industry: IndustryCode,
    pub vacancy_rate: Option<KnownSeries>,
    pub vacancies: Option<KnownSeries>,
    pub persons_engaged: Option<KnownSeries>,
    pub persons_engaged_growth: Option<KnownSeries>,
    /// The payroll index (C&SD 220-19023) and what part of the industry it covers.
    pub payroll: Option<(KnownSeries, &'static str)>,
}

/// What the talent tables read from the store, as known on `as_of`.
#[derive(Debug, Clone, PartialEq)]
pub struct TalentInputs {
    pub as_of: Date,
    /// All industries (`ALL`) first, then the industries rated.
    pub industries: Vec<IndustryInputs>,
    /// Every series that carries an occupation.
    pub occupations: Vec<KnownSeries>,
}

/// The industries of the vacancy survey that do not overlap, as their latest tables publish
/// them (`B+D+E` since B and D alone stopped in 2011).
pub(crate) const RATED_INDUSTRIES: [&str; 16] = [
    "B+D+E", "C", "F", "G45-46", "G47", "H", "I", "J", "K", "L", "M", "N", "P", "Q", "R", "S",
];

/// The payroll index row (C&SD 220-19023, by its series id's last part) of each industry, and
/// what it covers when that is not the whole industry.
pub(crate) const PAYROLL_ROWS: [(&str, &str, &str); 15] = [
    (
        "B+D+E",
        "E",
        "payroll of E (waste management) only: B and D are no longer published",
    ),
    ("C", "C", ""),
    ("G45-46", "g_part_of_import_export_and_wholesale_trades", ""),
    ("G47", "g_part_of_retail_trade", ""),
    ("H", "H", ""),
    ("I", "I", ""),
    ("J", "J", ""),
    ("K", "K", ""),
    ("L", "L", ""),
    ("M", "M+N", "payroll of M and N together"),
    ("N", "M+N", "payroll of M and N together"),
    ("P", "85_education", ""),
    (
        "Q",
        "86_human_health_activities",
        "payroll of human health activities (86) only",
    ),
    ("R", "P+Q+R+S", "payroll of P to S together"),
    ("S", "P+Q+R+S", "payroll of P to S together"),
];

/// The period of each signal's value.
type SignalPeriods = Vec<(Signal, Period)>;

/// A shortage rating with what it was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRating {
    /// The industry (`F`) or occupation (`2`, `isco08:2512`) code.
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    /// The Manpower Projection level's id.
    pub level: Option<String>,
    pub rating: ShortageRating,
    /// The period of each signal's value.
    pub periods: Vec<(Signal, Period)>,
    /// What the reader needs to know: partial coverage, signals the store lacks.
    pub notes: Vec<String>,
}

/// The ratings of industries and occupations.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratings {
    pub as_of: Date,
    pub method: String,
    pub industries: Vec<GroupRating>,
    pub occupations: Vec<GroupRating>,
    /// Why there are no occupation ratings, when there are none.
    pub occupations_note: Option<String>,
    /// The economy-wide values the industries were compared with.
    pub economy: SignalValues,
}

/// One industry of the demand map (行業人才需求地圖).
#[derive(Debug, Clone, PartialEq)]
pub struct DemandRow {
    pub industry: IndustryCode,
    pub period: Option<Period>,
    pub persons_engaged: Option<f64>,
    pub vacancies: Option<f64>,
    pub vacancy_rate: Option<f64>,
    pub vacancy_rate_change: Option<f64>,
    pub persons_engaged_growth: Option<f64>,
    pub vacancies_growth: Option<f64>,
    /// Share of all vacancies, %.
    pub share_of_vacancies: Option<f64>,
    pub payroll_growth: Option<f64>,
    /// None for the all-industries row.
    pub rating: Option<Rating>,
    pub confidence: Option<Confidence>,
    pub driver: Option<Driver>,
    pub composite: Option<f64>,
    pub level: Option<String>,
}

/// What one industry's series say, with the period of each.
struct IndustryReading {
    values: SignalValues,
    periods: Vec<(Signal, Period)>,
    latest: Option<Period>,
}

fn read_industry(inputs: &IndustryInputs) -> IndustryReading {
    let mut values = SignalValues::default();
    let mut periods = Vec::new();
    let latest = inputs.vacancy_rate.as_ref().and_then(KnownSeries::latest);
    if let (Some(series), Some(latest)) = (&inputs.vacancy_rate, latest) {
        values.vacancy_rate = Some(latest.value);
        periods.push((Signal::VacancyRate, latest.period));
        if let Some(before) = series.year_before(latest.period) {
            values.vacancy_rate_change = Some(latest.value - before.value);
            periods.push((Signal::VacancyRateChange, latest.period));
        }
    }
    let published_growth = inputs
        .persons_engaged_growth
        .as_ref()
        .and_then(KnownSeries::latest)
        .map(|value| (value.period, value.value));
    let growth = published_growth.or_else(|| {
        inputs
            .persons_engaged
            .as_ref()
            .and_then(KnownSeries::latest_growth)
    });
    if let Some((period, growth)) = growth {
        values.persons_engaged_growth = Some(growth);
        periods.push((Signal::PersonsEngagedGrowth, period));
    }
    if let Some((period, growth)) = inputs
        .payroll
        .as_ref()
        .and_then(|(series, _)| series.latest_growth())
    {
        values.payroll_growth = Some(growth);
        periods.push((Signal::PayrollGrowth, period));
    }
    IndustryReading {
        values,
        periods,
        latest: latest.map(|value| value.period),
    }
}

/// The level of an occupation: by its ISCO-08 major group (a C&SD major group through the
/// ISCO-08 major group it numbers).
pub(crate) fn occupation_level(levels: &ManpowerLevels, code: OccupationCode) -> Option<String> {
    let major = match code {
        OccupationCode::Isco(isco) => Some(isco.major()),
        OccupationCode::CsdMajorGroup(group) => IscoCode::at_level(IscoLevel::Major)
            .find(|major| major.csd_major_group() == Some(group))
            // C&SD's "Others" (9) holds ISCO-08 major group 6 with the unclassifiable.
            .or_else(|| IscoCode::parse("6").ok()),
    }?;
    levels.level_of(major).map(|level| level.id.clone())
}

/// What an occupation series measures, from its measure tag or its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OccupationMeasure {
    Vacancies,
    VacancyRate,
    Employment,
    UnemploymentRate,
    Wages,
}

pub(crate) fn occupation_measure(meta: &SeriesMeta) -> Option<OccupationMeasure> {
    let measure = meta
        .tags
        .iter()
        .find_map(|tag| tag.as_str().strip_prefix("measure:").map(str::to_owned))
        .unwrap_or_else(|| meta.id.as_str().to_owned())
        .to_ascii_lowercase();
    let tagged = |word: &str| meta.tags.iter().any(|tag| tag.as_str() == word);
    if measure.contains(".yoy") || measure.contains(".change") || measure.contains("yoy_pct") {
        return None;
    }
    let is_rate = meta.unit == "%";
    if measure.contains("unemploy") || tagged("unemployment-rate") {
        return is_rate.then_some(OccupationMeasure::UnemploymentRate);
    }
    if measure.contains("vacanc") || tagged("vacancies") {
        return Some(if is_rate {
            OccupationMeasure::VacancyRate
        } else {
            OccupationMeasure::Vacancies
        });
    }
    if ["wage", "earning", "payroll"]
        .iter()
        .any(|word| measure.contains(word))
        || tagged("wages")
    {
        return Some(OccupationMeasure::Wages);
    }
    if ["persons_engaged", "employ", "employed"]
        .iter()
        .any(|word| measure.contains(word))
        || tagged("employment")
    {
        return (!is_rate).then_some(OccupationMeasure::Employment);
    }
    None
}

/// True for a series of the whole economy's occupation (no industry, or all industries).
fn economy_wide(meta: &SeriesMeta) -> bool {
    meta.industry
        .as_ref()
        .is_none_or(|industry| *industry == IndustryCode::AllCovered)
}

/// Rates the industries (and the occupations, where the store has them).
pub(crate) fn rate(
    inputs: &TalentInputs,
    config: &TalentConfig,
    levels: &ManpowerLevels,
    industry_levels: &IndustryLevels,
) -> Ratings {
    let economy_reading = inputs
        .industries
        .iter()
        .find(|industry| industry.industry == IndustryCode::AllCovered)
        .map(read_industry);
    let economy = economy_reading
        .as_ref()
        .map(|reading| reading.values.clone())
        .unwrap_or_default();
    let rated: Vec<(&IndustryInputs, IndustryReading)> = inputs
        .industries
        .iter()
        .filter(|industry| industry.industry != IndustryCode::AllCovered)
        .map(|industry| (industry, read_industry(industry)))
        .filter(|(_, reading)| reading.latest.is_some())
        .collect();
    let groups: Vec<GroupSignals> = rated
        .iter()
        .map(|(industry, reading)| GroupSignals {
            group: industry.industry.to_string(),
            values: reading.values.clone(),
        })
        .collect();
    let ratings = rate_shortages(&groups, &economy, &config.shortage, &config.method);
    let industries = rated
        .iter()
        .zip(ratings)
        .map(|((industry, reading), rating)| {
            let mut notes = Vec::new();
            match &industry.payroll {
                Some((_, covers)) if !covers.is_empty() => notes.push((*covers).to_owned()),
                Some(_) => {}
                None => notes.push(
                    "no payroll index for this industry (C&SD 220-19023 does not cover it)"
                        .to_owned(),
                ),
            }
            notes.push(
                "no unemployment rate by industry in the store (C&SD 210-06105 is not bundled)"
                    .to_owned(),
            );
            GroupRating {
                code: industry.industry.to_string(),
                name_en: industry.industry.name_en(),
                name_zh: industry.industry.name_zh(),
                level: industry_levels
                    .level_of(&industry.industry)
                    .map(str::to_owned),
                rating,
                periods: reading.periods.clone(),
                notes,
            }
        })
        .collect();
    let (occupations, occupations_note) = rate_occupations(inputs, config, levels);
    Ratings {
        as_of: inputs.as_of,
        method: config.method.clone(),
        industries,
        occupations,
        occupations_note,
        economy,
    }
}

/// An occupation's series of the whole economy, by what they measure.
#[derive(Default)]
struct OccupationSeries<'a> {
    vacancies: Option<&'a KnownSeries>,
    vacancy_rate: Option<&'a KnownSeries>,
    employment: Option<&'a KnownSeries>,
    unemployment_rate: Option<&'a KnownSeries>,
    wages: Option<&'a KnownSeries>,
}

fn rate_occupations(
    inputs: &TalentInputs,
    config: &TalentConfig,
    levels: &ManpowerLevels,
) -> (Vec<GroupRating>, Option<String>) {
    let mut by_code: Vec<(OccupationCode, OccupationSeries<'_>)> = Vec::new();
    for series in &inputs.occupations {
        let (Some(code), Some(measure)) =
            (series.meta.occupation, occupation_measure(&series.meta))
        else {
            continue;
        };
        if !economy_wide(&series.meta) || series.values.is_empty() {
            continue;
        }
        let index = by_code
            .iter()
            .position(|(known, _)| *known == code)
            .unwrap_or_else(|| {
                by_code.push((code, OccupationSeries::default()));
                by_code.len() - 1
            });
        let slot = &mut by_code[index].1;
        let place = match measure {
            OccupationMeasure::Vacancies => &mut slot.vacancies,
            OccupationMeasure::VacancyRate => &mut slot.vacancy_rate,
            OccupationMeasure::Employment => &mut slot.employment,
            OccupationMeasure::UnemploymentRate => &mut slot.unemployment_rate,
            OccupationMeasure::Wages => &mut slot.wages,
        };
        place.get_or_insert(series);
    }
    if by_code.is_empty() {
        return (
            Vec::new(),
            Some(
                "no series by occupation in the store: Hong Kong's occupation tables (C&SD 215-16007 vacancies by industry and occupation, 210-06317 earnings by occupation, unemployment by occupation) are not bundled; import them and the occupations are rated"
                    .to_owned(),
            ),
        );
    }
    by_code.sort_by_key(|(code, _)| *code);
    let readings: Vec<(OccupationCode, SignalValues, SignalPeriods)> = by_code
        .iter()
        .map(|(code, series)| {
            let (values, periods) = occupation_signals(series);
            (*code, values, periods)
        })
        .collect();
    let groups: Vec<GroupSignals> = readings
        .iter()
        .map(|(code, values, _)| GroupSignals {
            group: code.to_string(),
            values: values.clone(),
        })
        .collect();
    let ratings = rate_shortages(
        &groups,
        &SignalValues::default(),
        &config.shortage,
        &config.method,
    );
    let rated = readings
        .into_iter()
        .zip(ratings)
        .map(|((code, _, periods), rating)| GroupRating {
            code: code.to_string(),
            name_en: code.name_en().to_owned(),
            name_zh: code.name_zh().unwrap_or_default().to_owned(),
            level: occupation_level(levels, code),
            rating,
            periods,
            notes: vec![
                "compared with the mean over the occupations rated (no economy-wide series by occupation)"
                    .to_owned(),
            ],
        })
        .collect();
    (rated, None)
}

fn occupation_signals(series: &OccupationSeries<'_>) -> (SignalValues, SignalPeriods) {
    let mut values = SignalValues::default();
    let mut periods = Vec::new();
    // The vacancy rate: published, or vacancies over vacancies plus employment in one period.
    let rate_series: Option<Vec<Observed>> = series
        .vacancy_rate
        .map(|rate| rate.values.clone())
        .or_else(|| {
            let (vacancies, employment) = (series.vacancies?, series.employment?);
            Some(
                vacancies
                    .values
                    .iter()
                    .filter_map(|vacancy| {
                        let employed = employment.values.iter().find(|value| {
                            value.period.end_month_index() == vacancy.period.end_month_index()
                        })?;
                        let posts = vacancy.value + employed.value;
                        (posts > 0.0).then_some(Observed {
                            value: 100.0 * vacancy.value / posts,
                            ..*vacancy
                        })
                    })
                    .collect(),
            )
        });
    if let Some(rates) = rate_series.filter(|rates| !rates.is_empty()) {
        let as_series = KnownSeries {
            meta: SeriesMeta::new(
                domain::SeriesId::parse("derived.vacancy_rate").expect("a valid id"),
                String::new(),
                domain::Frequency::Quarterly,
            ),
            values: rates,
        };
        if let Some(latest) = as_series.latest() {
            values.vacancy_rate = Some(latest.value);
            periods.push((Signal::VacancyRate, latest.period));
            if let Some(before) = as_series.year_before(latest.period) {
                values.vacancy_rate_change = Some(latest.value - before.value);
                periods.push((Signal::VacancyRateChange, latest.period));
            }
        }
    }
    if let Some((period, growth)) = series.employment.and_then(KnownSeries::latest_growth) {
        values.persons_engaged_growth = Some(growth);
        periods.push((Signal::PersonsEngagedGrowth, period));
    }
    if let Some((period, growth)) = series.wages.and_then(KnownSeries::latest_growth) {
        values.payroll_growth = Some(growth);
        periods.push((Signal::PayrollGrowth, period));
    }
    if let Some(latest) = series.unemployment_rate.and_then(KnownSeries::latest) {
        values.unemployment_rate = Some(latest.value);
        periods.push((Signal::UnemploymentRate, latest.period));
    }
    (values, periods)
}

/// The demand map: every industry's size, vacancies and their changes, with its rating; the
/// all-industries row first.
pub(crate) fn demand_map(inputs: &TalentInputs, ratings: &Ratings) -> Vec<DemandRow> {
    let total_vacancies = inputs
        .industries
        .iter()
        .find(|industry| industry.industry == IndustryCode::AllCovered)
        .and_then(|industry| industry.vacancies.as_ref())
        .and_then(KnownSeries::latest);
    inputs
        .industries
        .iter()
        .filter_map(|industry| {
            let reading = read_industry(industry);
            let period = reading.latest?;
            let at = |series: &Option<KnownSeries>| {
                series.as_ref().and_then(|series| {
                    series
                        .values
                        .iter()
                        .find(|value| value.period == period)
                        .copied()
                })
            };
            let vacancies = at(&industry.vacancies);
            let vacancies_growth = vacancies.and_then(|latest| {
                let before = industry.vacancies.as_ref()?.year_before(latest.period)?;
                (before.value > 0.0).then(|| 100.0 * (latest.value / before.value - 1.0))
            });
            let rating = ratings
                .industries
                .iter()
                .find(|rated| rated.code == industry.industry.to_string());
            let is_total = industry.industry == IndustryCode::AllCovered;
            if !is_total && rating.is_none() {
                return None;
            }
            Some(DemandRow {
                industry: industry.industry.clone(),
                period: Some(period),
                persons_engaged: at(&industry.persons_engaged).map(|value| value.value),
                vacancies: vacancies.map(|value| value.value),
                vacancy_rate: reading.values.vacancy_rate,
                vacancy_rate_change: reading.values.vacancy_rate_change,
                persons_engaged_growth: reading.values.persons_engaged_growth,
                vacancies_growth,
                share_of_vacancies: vacancies.zip(total_vacancies).and_then(|(own, total)| {
                    (total.period == own.period && total.value > 0.0)
                        .then(|| 100.0 * own.value / total.value)
                }),
                payroll_growth: reading.values.payroll_growth,
                rating: rating.map(|rated| rated.rating.rating),
                confidence: rating.map(|rated| rated.rating.confidence),
                driver: rating.and_then(|rated| rated.rating.driver),
                composite: rating.map(|rated| rated.rating.composite),
                level: rating.and_then(|rated| rated.level.clone()),
            })
        })
        .collect()
}
