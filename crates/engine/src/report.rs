//! The figures of the labour-market situation report (就業形勢分析報告), gathered from the
//! store for one `as_of` and for the previous report's `since`.
//!
//! Every figure carries what a reader needs to check it: the series, the source table, the
//! vintage of the value shown and, for derived figures, lmo's method id. Nothing here is
//! worded: the `reports` crate turns these numbers into sentences, tables and charts.
//! Indicators the report derives (climate index, Sahm-type gap, growth rates) are computed
//! from the data known on each date, so a report for a past date shows what was known then.

use std::collections::BTreeMap;

use domain::{ArrearsLevel, Date, Frequency, IndustryCode, Period, SeriesId, SeriesMeta};
use indicators::{BeveridgePoint, SahmOptions, TimeSeries};
use warnings::{Alert, AlertKey, Level, ReferenceEpisode, RuleSet};

use crate::{Engine, EngineError};

pub use indicators::BeveridgePoint as Beveridge;
pub use warnings::{
    Level as AlertLevel, ReferenceEpisode as Downturn, Subject, WatchEntry, WatchReason,
};

/// Cells of the arrears tables hold at least this many employers, so that no employer can
/// be singled out from a published table.
pub const MIN_EMPLOYERS_PER_CELL: u64 = 3;

/// How many months back from `as_of` the report looks for a saved arrears run.
const ARREARS_LOOKBACK_MONTHS: i32 = 12;

/// A headline indicator: candidate series for one concept, freshest first on ties, and the
/// decimals its publisher prints.
struct HeadlineSpec {
    key: &'static str,
    candidates: &'static [&'static str],
    decimals: usize,
}

/// The headline indicators, in the order of C&SD's monthly labour-force release: rates
/// first, then vacancies and pay.
const HEADLINES: &[HeadlineSpec] = &[
    HeadlineSpec {
        key: "unemployment_sa",
        // The monthly 3-month series and the quarterly panel (last 3-month period of each
        // quarter) are the same statistic; whichever ends later is the latest figure.
        candidates: &[
            "csd.210-06101.unemployment_rate_sa",
            "hk.panel.unemployment_rate_sa",
        ],
        decimals: 1,
    },
    HeadlineSpec {
        key: "underemployment",
        candidates: &["csd.210-06101.underemployment_rate"],
        decimals: 1,
    },
    HeadlineSpec {
        key: "participation",
        candidates: &["csd.210-06201.labour_force_participation_rate"],
        decimals: 1,
    },
    HeadlineSpec {
        key: "vacancies",
        candidates: &[
            "csd.215-16001.number_of_vacancies.ALL",
            "csd.215-16007.vacancies",
        ],
        decimals: 0,
    },
    HeadlineSpec {
        key: "real_payroll_per_person",
        candidates: &["csd.220-19024.real_payroll_per_person_engaged_index"],
        decimals: 1,
    },
    HeadlineSpec {
        key: "median_wage",
        candidates: &["csd.220-23011.median_monthly_wage.all_employees"],
        decimals: 0,
    },
];

/// The long quarterly unemployment series behind the charts and the Sahm-type gap.
const UNEMPLOYMENT_QUARTERLY: &str = "hk.panel.unemployment_rate_sa";
/// Real GDP growth: the downturn shading and the wages-against-growth comparison.
const REAL_GDP_GROWTH: &str = "hk.panel.real_gdp.yoy_pct";
const VACANCY_RATE: &str = "csd.215-16001.vacancy_rate.ALL";
const REAL_PAYROLL: &str = "csd.220-19024.real_payroll_per_person_engaged_index";
/// The rules whose levels the report draws as bands.
const UNEMPLOYMENT_LEVEL_RULE: &str = "hk-unemployment-level";
const SAHM_RULE: &str = "hk-unemployment-sahm";
/// Derived series of the mismatch index carry this tag (method `sstv_mismatch/1`).
const MISMATCH_TAG: &str = "method:sstv_mismatch-1";

/// One value as known on a date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observed {
    pub period: Period,
    pub value: f64,
    /// The date from which this value was known (its release); for figures lmo derives,
    /// the latest vintage among their inputs.
    pub vintage: Date,
}

/// Where a figure comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    pub series: SeriesId,
    pub title_en: String,
    pub title_zh: String,
    pub unit: String,
    /// The publisher's table id (`210-06101`), when the source names one.
    pub table: Option<String>,
    /// The series' source as stored (`C&SD table 210-06101 via the C&SD API …`).
    pub source: String,
    /// lmo's method id (`eti/1`) when lmo derived the figure.
    pub method: Option<&'static str>,
}

impl Provenance {
    fn of(meta: &SeriesMeta, method: Option<&'static str>) -> Provenance {
        Provenance {
            series: meta.id.clone(),
            title_en: meta.title_en.clone(),
            title_zh: meta.title_zh.clone(),
            unit: meta.unit.clone(),
            table: table_id(&meta.source),
            source: meta.source.clone(),
            method,
        }
    }
}

/// The first `NNN-NNNNN` table id in a source text (`C&SD table 215-16001: …`).
fn table_id(source: &str) -> Option<String> {
    let bytes = source.as_bytes();
    (0..bytes.len().saturating_sub(8)).find_map(|start| {
        let candidate = &bytes[start..start + 9];
        let shape = candidate.iter().enumerate().all(|(index, byte)| {
            (index == 3) == (*byte == b'-') && (index == 3 || byte.is_ascii_digit())
        });
        let boundary = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        (shape && boundary).then(|| {
            let end =
                start + 9 + usize::from(bytes.get(start + 9).is_some_and(u8::is_ascii_uppercase));
            source[start..end].to_owned()
        })
    })
}

/// A headline indicator as the report shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// A stable key (`unemployment_sa`, `vacancies`, …) for wording and layout.
    pub key: &'static str,
    pub provenance: Provenance,
    pub frequency: Frequency,
    pub seasonally_adjusted: bool,
    pub direction: domain::Direction,
    pub decimals: usize,
    /// Every value known on `as_of`, oldest first.
    pub history: Vec<Observed>,
    /// The last value known on `as_of`.
    pub latest: Observed,
    /// The period before `latest`.
    pub previous: Option<Observed>,
    /// The period twelve months before `latest`.
    pub year_ago: Option<Observed>,
    /// What the previous report printed: the latest value known on `since`.
    pub last_report: Option<Observed>,
}

/// One component of the climate index.
#[derive(Debug, Clone, PartialEq)]
pub struct ClimateComponent {
    pub provenance: Provenance,
    pub direction: domain::Direction,
    /// The component's latest value (quarterly).
    pub latest: Option<Observed>,
    /// Its contribution to the composite change in the latest quarter, percentage points.
    pub contribution: f64,
    /// Its contributions summed over the last two quarters: the six-month change.
    pub contribution_six_months: f64,
}

/// The employment climate index (就業景氣指數), ETI and LMCI style.
#[derive(Debug, Clone, PartialEq)]
pub struct Climate {
    /// The index as lmo stores it (`lmo compute`), method `eti/1`.
    pub provenance: Provenance,
    pub base_year: i16,
    pub eti: Vec<Observed>,
    pub lmci_level: Vec<Observed>,
    pub lmci_momentum: Vec<Observed>,
    pub components: Vec<ClimateComponent>,
    /// The index, level and momentum the previous report printed (known on `since`).
    pub last_report_eti: Option<Observed>,
    pub last_report_level: Option<Observed>,
    pub last_report_momentum: Option<Observed>,
}

/// A rule's wording and levels, as the report explains it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleInfo {
    pub id: String,
    pub version: u32,
    pub title_en: String,
    pub title_zh: String,
    pub explanation_en: String,
    pub explanation_zh: String,
    /// Each level with the value at which it is entered, mildest first.
    pub levels: Vec<(Level, f64)>,
}

/// One alert episode as the report lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRow {
    /// `rule/subject/opened`, as `lmo alerts` prints it.
    pub id: String,
    pub rule_id: String,
    pub rule_version: u32,
    pub subject: Subject,
    pub subject_en: String,
    pub subject_zh: String,
    pub industry: Option<IndustryCode>,
    pub level: Level,
    pub opened: Period,
    pub closed: Option<Period>,
    pub last_period: Period,
    pub measure: f64,
    /// The latest vintage among the values the measure was computed from.
    pub inputs_vintage: Option<Date>,
}

/// The warning system now and at the previous report.
#[derive(Debug, Clone, PartialEq)]
pub struct WarningsView {
    pub rule_set: String,
    /// The rules that appear in the report, in the rule set's order.
    pub rules: Vec<RuleInfo>,
    /// Open on `as_of`, most severe first.
    pub open: Vec<AlertRow>,
    /// Open on `as_of` and not open on `since`.
    pub opened_since: Vec<AlertRow>,
    /// Open on `since` and no longer open on `as_of` (as they stand now).
    pub closed_since: Vec<AlertRow>,
    /// Open on `since`, as the previous report listed them.
    pub open_then: Vec<AlertRow>,
    /// The Sahm-type gap of the unemployment rate (`sahm/1`), known on `as_of`.
    pub sahm_gap: Vec<Observed>,
    pub sahm_provenance: Option<Provenance>,
}

/// The industry watch-list now and at the previous report.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchlistView {
    pub now: Vec<WatchEntry>,
    pub then: Vec<WatchEntry>,
    pub entered: Vec<IndustryCode>,
    pub left: Vec<IndustryCode>,
}

/// The Beveridge curve and the mismatch index.
#[derive(Debug, Clone, PartialEq)]
pub struct Structural {
    pub beveridge: Vec<BeveridgePoint>,
    pub unemployment: Option<Provenance>,
    pub unemployment_vintage: Option<Date>,
    pub vacancy_rate: Option<Provenance>,
    pub vacancy_vintage: Option<Date>,
    /// The mismatch index (`sstv_mismatch/1`) when the store holds one.
    pub mismatch: Option<(Provenance, Vec<Observed>)>,
}

/// Real payroll per person against real GDP, both as year-on-year growth.
#[derive(Debug, Clone, PartialEq)]
pub struct WagesGrowth {
    pub payroll: Option<Provenance>,
    pub gdp: Option<Provenance>,
    /// `yoy_pct/1` of the real payroll index.
    pub payroll_growth: Vec<Observed>,
    pub gdp_growth: Vec<Observed>,
}

/// What a row of an arrears table counts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ArrearsGroup {
    Level(ArrearsLevel),
    Industry(domain::HsicSection),
    /// Rows with fewer than [`MIN_EMPLOYERS_PER_CELL`] employers, pooled.
    Other,
}

fn decimal_dollars(cents: i128) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

/// Totals over a group of employers. The amounts are 128-bit: each employer's fits in 64
/// bits, and their sum over any number of employers must not wrap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ArrearsTotals {
    pub employers: u64,
    pub workers_affected: u64,
    pub arrears_cents: i128,
    pub surcharge_cents: i128,
}

impl ArrearsTotals {
    /// The arrears in dollars as a decimal string (`155585.35`), as every `*_hkd` field is
    /// written.
    pub fn arrears_hkd(&self) -> String {
        decimal_dollars(self.arrears_cents)
    }

    /// The surcharge in dollars as a decimal string.
    pub fn surcharge_hkd(&self) -> String {
        decimal_dollars(self.surcharge_cents)
    }

    fn add(&mut self, other: &ArrearsTotals) {
        self.employers += other.employers;
        self.workers_affected += other.workers_affected;
        self.arrears_cents += other.arrears_cents;
        self.surcharge_cents += other.surcharge_cents;
    }
}

/// A saved arrears run in aggregate: no employer id or name, no cell under
/// [`MIN_EMPLOYERS_PER_CELL`] employers.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrearsSummary {
    pub period: Period,
    /// The date the run judged the files on.
    pub detected_as_of: Date,
    pub total: ArrearsTotals,
    pub by_level: Vec<(ArrearsGroup, ArrearsTotals)>,
    pub by_industry: Vec<(ArrearsGroup, ArrearsTotals)>,
    /// The run the previous report summarised, if any.
    pub last_report: Option<(Period, ArrearsTotals)>,
}

/// A figure the previous report printed that the store now holds differently.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub provenance: Provenance,
    pub decimals: usize,
    pub period: Period,
    /// The earliest vintage in the store (none for figures lmo derives on the fly).
    pub first_release: Option<Observed>,
    pub last_report: Observed,
    pub latest: Observed,
}

/// Everything the report prints.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportData {
    pub as_of: Date,
    /// The date of the report this one is compared with.
    pub since: Date,
    pub headlines: Vec<Indicator>,
    /// The long unemployment series for the headline chart, known on `as_of`.
    pub unemployment_history: Option<(Provenance, Vec<Observed>)>,
    /// The bands of the unemployment-level rule.
    pub unemployment_bands: Vec<(Level, f64)>,
    pub climate: Option<Climate>,
    pub warnings: WarningsView,
    pub watchlist: WatchlistView,
    pub structural: Structural,
    pub wages: WagesGrowth,
    pub arrears: Option<ArrearsSummary>,
    pub revisions: Vec<Revision>,
    /// Downturns from real GDP known on `as_of`: two or more consecutive quarters of
    /// year-on-year decline; the charts shade them.
    pub downturns: Vec<ReferenceEpisode>,
    pub downturn_source: Option<Provenance>,
    /// The talent tables and AI exposure as known on `as_of` (none when the store holds neither
    /// the vacancy survey by industry nor series by occupation).
    pub talent: Option<crate::talent::TalentRun>,
}

/// The same day one month earlier (the last day of that month when it is shorter): the
/// date of the previous monthly report.
pub fn previous_report_date(as_of: Date) -> Date {
    let previous_month_end = as_of.first_of_month().yesterday().unwrap_or(as_of);
    Date::new(
        previous_month_end.year(),
        previous_month_end.month(),
        as_of.day().min(previous_month_end.day()),
    )
    .unwrap_or(previous_month_end)
}

fn observed(stored: &store::StoredObservation) -> Observed {
    Observed {
        period: stored.observation.period,
        value: stored.observation.value,
        vintage: stored.vintage,
    }
}

fn rounded(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}")
}

impl Engine {
    /// A series' metadata and its values known on `as_of`, or `None` if the store does
    /// not have it (a report over a partial store leaves that figure out).
    pub(crate) fn known(
        &mut self,
        id: &str,
        as_of: Date,
    ) -> Result<Option<(SeriesMeta, Vec<Observed>)>, EngineError> {
        let Ok(id) = SeriesId::parse(id) else {
            return Ok(None);
        };
        let Some(meta) = self.store.series(&id)? else {
            return Ok(None);
        };
        let values = self
            .store
            .observations(&id, Some(as_of))?
            .iter()
            .map(observed)
            .collect();
        Ok(Some((meta, values)))
    }

    /// Every figure of the report as known on `as_of`, compared with the report as of
    /// `since` (default: one month earlier), under the shipped Hong Kong rules and
    /// indicators.
    pub fn report(&mut self, as_of: Date, since: Option<Date>) -> Result<ReportData, EngineError> {
        let since = since.unwrap_or_else(|| previous_report_date(as_of));
        if since >= as_of {
            return Err(EngineError::Request(format!(
                "--since {since} must be before --as-of {as_of}"
            )));
        }
        let rules = crate::load_rules("hk-default")?;
        let mut headlines = Vec::new();
        for spec in HEADLINES {
            if let Some(indicator) = self.headline(spec, as_of, since)? {
                headlines.push(indicator);
            }
        }
        let climate = self.climate_since(as_of, since)?;
        let revisions = self.revisions(&headlines, climate.as_ref(), since)?;
        let unemployment_history = self
            .known(UNEMPLOYMENT_QUARTERLY, as_of)?
            .map(|(meta, values)| (Provenance::of(&meta, None), values));
        let (downturns, downturn_source) = match self.known(REAL_GDP_GROWTH, as_of)? {
            Some((meta, values)) => {
                let growth = TimeSeries::new(
                    meta.frequency,
                    values.iter().map(|v| (v.period, v.value)).collect(),
                )?;
                (
                    warnings::downturns(&growth, 2),
                    Some(Provenance::of(&meta, None)),
                )
            }
            None => (Vec::new(), None),
        };
        let unemployment_bands = levels_of(&rules, UNEMPLOYMENT_LEVEL_RULE);
        let (warnings, watchlist) = self.warnings_view(&rules, as_of, since)?;
        let reference = crate::talent::Reference::load(None, None)?;
        let talent = Some(self.talent(as_of, &reference)?).filter(|run| {
            !run.ratings.industries.is_empty() || !run.ratings.occupations.is_empty()
        });
        Ok(ReportData {
            as_of,
            since,
            headlines,
            unemployment_history,
            unemployment_bands,
            climate,
            warnings,
            watchlist,
            structural: self.structural(as_of)?,
            wages: self.wages_growth(as_of)?,
            arrears: self.arrears_summary(as_of, since)?,
            revisions,
            downturns,
            downturn_source,
            talent,
        })
    }

    fn headline(
        &mut self,
        spec: &HeadlineSpec,
        as_of: Date,
        since: Date,
    ) -> Result<Option<Indicator>, EngineError> {
        let mut best: Option<(SeriesMeta, Vec<Observed>)> = None;
        for id in spec.candidates {
            let Some((meta, values)) = self.known(id, as_of)? else {
                continue;
            };
            let end = |values: &[Observed]| values.last().map(|v| v.period.end_month_index());
            if end(&values).is_some()
                && best
                    .as_ref()
                    .is_none_or(|(_, best_values)| end(&values) > end(best_values))
            {
                best = Some((meta, values));
            }
        }
        let Some((meta, history)) = best else {
            return Ok(None);
        };
        let Some(&latest) = history.last() else {
            return Ok(None);
        };
        let previous = history.len().checked_sub(2).map(|index| history[index]);
        let year_ago_month = latest.period.end_month_index() - 12;
        let year_ago = history
            .iter()
            .rev()
            .find(|v| v.period.end_month_index() == year_ago_month)
            .copied();
        let last_report = self
            .store
            .observations(&meta.id, Some(since))?
            .last()
            .map(observed);
        Ok(Some(Indicator {
            key: spec.key,
            provenance: Provenance::of(&meta, None),
            frequency: meta.frequency,
            seasonally_adjusted: meta.seasonal_adjustment == domain::SeasonalAdjustment::Adjusted,
            direction: meta.direction,
            decimals: spec.decimals,
            history,
            latest,
            previous,
            year_ago,
            last_report,
        }))
    }

    /// The climate index computed from the data known on `date`, with the latest vintage
    /// of its inputs.
    fn climate_on(
        &mut self,
        date: Date,
    ) -> Result<Option<(crate::compute::ClimateRun, Date)>, EngineError> {
        let Some(config) = crate::compute::shipped_climate_config()? else {
            return Ok(None);
        };
        let mut vintage = None;
        for id in &config.components {
            match self.known(id, date)? {
                Some((_, values)) if values.len() > 4 => {
                    vintage = vintage.max(values.iter().map(|v| v.vintage).max());
                }
                _ => return Ok(None),
            }
        }
        let run = self.climate_run(&config, date)?;
        Ok(vintage.map(|vintage| (run, vintage)))
    }

    pub(crate) fn climate_since(
        &mut self,
        as_of: Date,
        since: Date,
    ) -> Result<Option<Climate>, EngineError> {
        let Some((run, vintage)) = self.climate_on(as_of)? else {
            return Ok(None);
        };
        let with_vintage = |points: &[(Period, f64)], vintage: Date| -> Vec<Observed> {
            points
                .iter()
                .map(|&(period, value)| Observed {
                    period,
                    value,
                    vintage,
                })
                .collect()
        };
        let then = self.climate_on(since)?;
        let last = |points: Option<&[(Period, f64)]>, vintage: Date| {
            points
                .and_then(|points| points.last())
                .map(|&(period, value)| Observed {
                    period,
                    value,
                    vintage,
                })
        };
        let (last_report_eti, last_report_level, last_report_momentum) = match &then {
            Some((then_run, then_vintage)) => (
                last(Some(then_run.eti.index.points()), *then_vintage),
                last(Some(then_run.lmci.level.points()), *then_vintage),
                last(Some(then_run.lmci.momentum.points()), *then_vintage),
            ),
            None => (None, None, None),
        };
        let mut components = Vec::new();
        let contributions = &run.eti.contributions;
        for (index, component) in run.components.iter().enumerate() {
            let contribution_at = |back: usize| {
                contributions
                    .len()
                    .checked_sub(1 + back)
                    .and_then(|row| contributions[row].by_component.get(index).copied())
                    .unwrap_or(0.0)
            };
            let latest = component
                .series
                .points()
                .last()
                .map(|&(period, value)| Observed {
                    period,
                    value,
                    vintage: run.vintages.get(index).copied().unwrap_or(vintage),
                });
            components.push(ClimateComponent {
                provenance: Provenance::of(&run.metas[index], None),
                direction: component.direction,
                latest,
                contribution: contribution_at(0),
                contribution_six_months: contribution_at(0) + contribution_at(1),
            });
        }
        Ok(Some(Climate {
            provenance: derived_meta_of_climate(&run),
            base_year: run.base_year,
            eti: with_vintage(run.eti.index.points(), vintage),
            lmci_level: with_vintage(run.lmci.level.points(), vintage),
            lmci_momentum: with_vintage(run.lmci.momentum.points(), vintage),
            components,
            last_report_eti,
            last_report_level,
            last_report_momentum,
        }))
    }

    /// Figures the previous report printed (latest, previous and year-ago values of each
    /// headline; the climate index) whose value, as printed, has changed since.
    fn revisions(
        &mut self,
        headlines: &[Indicator],
        climate: Option<&Climate>,
        since: Date,
    ) -> Result<Vec<Revision>, EngineError> {
        let mut revisions = Vec::new();
        for indicator in headlines {
            let then: Vec<Observed> = self
                .store
                .observations(&indicator.provenance.series, Some(since))?
                .iter()
                .map(observed)
                .collect();
            let Some(then_latest) = then.last().copied() else {
                continue;
            };
            let year_ago_month = then_latest.period.end_month_index() - 12;
            let printed = then.iter().rev().take(2).chain(
                then.iter()
                    .filter(|v| v.period.end_month_index() == year_ago_month),
            );
            for printed in printed {
                let Some(now) = indicator
                    .history
                    .iter()
                    .find(|v| v.period == printed.period)
                else {
                    continue;
                };
                if rounded(now.value, indicator.decimals)
                    == rounded(printed.value, indicator.decimals)
                {
                    continue;
                }
                let first_release = self
                    .store
                    .vintages(&indicator.provenance.series, printed.period)?
                    .first()
                    .map(observed);
                revisions.push(Revision {
                    provenance: indicator.provenance.clone(),
                    decimals: indicator.decimals,
                    period: printed.period,
                    first_release,
                    last_report: *printed,
                    latest: *now,
                });
            }
        }
        if let (Some(climate), Some(then)) = (climate, self.climate_on(since)?) {
            let (run, vintage) = then;
            let meta = derived_meta_of_climate(&run);
            for &(period, value) in run.eti.index.points().iter().rev().take(2) {
                let Some(now) = climate.eti.iter().find(|v| v.period == period) else {
                    continue;
                };
                if rounded(now.value, 1) != rounded(value, 1) {
                    revisions.push(Revision {
                        provenance: meta.clone(),
                        decimals: 1,
                        period,
                        first_release: None,
                        last_report: Observed {
                            period,
                            value,
                            vintage,
                        },
                        latest: *now,
                    });
                }
            }
        }
        Ok(revisions)
    }

    fn alert_rows(&mut self, alerts: &[Alert]) -> Result<Vec<AlertRow>, EngineError> {
        let mut titles: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut rows = Vec::new();
        for alert in alerts {
            let (subject_en, subject_zh) = match &alert.subject {
                Subject::Aggregate => (
                    "All industry sections".to_owned(),
                    "所有行業主類".to_owned(),
                ),
                Subject::Series(id) => {
                    if !titles.contains_key(id.as_str()) {
                        let meta = self.store.series(id)?;
                        let names = meta.map_or_else(
                            || (id.to_string(), id.to_string()),
                            |meta| (meta.title_en, meta.title_zh),
                        );
                        titles.insert(id.to_string(), names);
                    }
                    titles[id.as_str()].clone()
                }
            };
            rows.push(AlertRow {
                id: crate::alert_id_of(alert),
                rule_id: alert.rule_id.clone(),
                rule_version: alert.rule_version,
                subject: alert.subject.clone(),
                subject_en,
                subject_zh,
                industry: alert.industry.clone(),
                level: alert.level(),
                opened: alert.opened,
                closed: alert.closed,
                last_period: alert.last_period,
                measure: alert.measure,
                inputs_vintage: alert.inputs.iter().map(|input| input.vintage).max(),
            });
        }
        rows.sort_by(|a, b| {
            b.level
                .cmp(&a.level)
                .then_with(|| a.rule_id.cmp(&b.rule_id))
                .then_with(|| a.subject.cmp(&b.subject))
        });
        Ok(rows)
    }

    fn warnings_view(
        &mut self,
        rules: &RuleSet,
        as_of: Date,
        since: Date,
    ) -> Result<(WarningsView, WatchlistView), EngineError> {
        let now = self.alerts(rules, as_of)?;
        let then = self.alerts(rules, since)?;
        let open_then_keys: Vec<AlertKey> = then
            .iter()
            .filter(|alert| alert.is_open())
            .map(Alert::key)
            .collect();
        let open_now: Vec<Alert> = now.iter().filter(|a| a.is_open()).cloned().collect();
        let opened_since: Vec<Alert> = open_now
            .iter()
            .filter(|alert| !open_then_keys.contains(&alert.key()))
            .cloned()
            .collect();
        // An episode open then is found now by its key: closed since, or gone when a
        // revision undid it (then it is listed as it was).
        let closed_since: Vec<Alert> = then
            .iter()
            .filter(|alert| alert.is_open())
            .filter_map(
                |alert| match now.iter().find(|candidate| candidate.key() == alert.key()) {
                    Some(current) if current.is_open() => None,
                    Some(current) => Some(current.clone()),
                    None => Some(alert.clone()),
                },
            )
            .collect();
        let open_then: Vec<Alert> = then.iter().filter(|a| a.is_open()).cloned().collect();
        let watch_now = warnings::watchlist(&now);
        let watch_then = warnings::watchlist(&then);
        let codes = |entries: &[WatchEntry]| -> Vec<String> {
            entries.iter().map(|e| e.industry.to_string()).collect()
        };
        let (codes_now, codes_then) = (codes(&watch_now), codes(&watch_then));
        let entered = watch_now
            .iter()
            .filter(|e| !codes_then.contains(&e.industry.to_string()))
            .map(|e| e.industry.clone())
            .collect();
        let left = watch_then
            .iter()
            .filter(|e| !codes_now.contains(&e.industry.to_string()))
            .map(|e| e.industry.clone())
            .collect();
        let mentioned: Vec<&str> = open_now
            .iter()
            .chain(&closed_since)
            .chain(&open_then)
            .map(|alert| alert.rule_id.as_str())
            .chain([UNEMPLOYMENT_LEVEL_RULE, SAHM_RULE])
            .collect();
        let rule_infos = rules
            .rules
            .iter()
            .filter(|rule| mentioned.contains(&rule.id.as_str()))
            .map(|rule| RuleInfo {
                id: rule.id.clone(),
                version: rule.version,
                title_en: rule.title_en.clone(),
                title_zh: rule.title_zh.clone(),
                explanation_en: rule.explanation_en.clone(),
                explanation_zh: rule.explanation_zh.clone(),
                levels: rule
                    .levels
                    .iter()
                    .map(|level| (level.level, level.enter))
                    .collect(),
            })
            .collect();
        let (sahm_gap, sahm_provenance) = match self.known(UNEMPLOYMENT_QUARTERLY, as_of)? {
            Some((meta, values)) => {
                let series = TimeSeries::new(
                    meta.frequency,
                    values.iter().map(|v| (v.period, v.value)).collect(),
                )?;
                let gap = indicators::sahm(
                    &series,
                    SahmOptions {
                        already_averaged: true,
                        ..SahmOptions::default()
                    },
                );
                let vintage_of = |period: Period| {
                    values
                        .iter()
                        .filter(|v| v.period <= period)
                        .map(|v| v.vintage)
                        .max()
                };
                let gap = gap
                    .points()
                    .iter()
                    .filter_map(|&(period, value)| {
                        Some(Observed {
                            period,
                            value,
                            vintage: vintage_of(period)?,
                        })
                    })
                    .collect();
                (gap, Some(Provenance::of(&meta, Some(indicators::SAHM))))
            }
            None => (Vec::new(), None),
        };
        let warnings = WarningsView {
            rule_set: rules.name.clone(),
            rules: rule_infos,
            open: self.alert_rows(&open_now)?,
            opened_since: self.alert_rows(&opened_since)?,
            closed_since: self.alert_rows(&closed_since)?,
            open_then: self.alert_rows(&open_then)?,
            sahm_gap,
            sahm_provenance,
        };
        let watchlist = WatchlistView {
            now: watch_now,
            then: watch_then,
            entered,
            left,
        };
        Ok((warnings, watchlist))
    }

    fn structural(&mut self, as_of: Date) -> Result<Structural, EngineError> {
        let unemployment = self.known(UNEMPLOYMENT_QUARTERLY, as_of)?;
        let vacancy_rate = self.known(VACANCY_RATE, as_of)?;
        let latest_vintage = |known: &Option<(SeriesMeta, Vec<Observed>)>| {
            known
                .as_ref()
                .and_then(|(_, values)| values.iter().map(|v| v.vintage).max())
        };
        let (unemployment_vintage, vacancy_vintage) =
            (latest_vintage(&unemployment), latest_vintage(&vacancy_rate));
        let beveridge = match (&unemployment, &vacancy_rate) {
            (Some((u_meta, u)), Some((v_meta, v))) => {
                // Quarterly surveys labelled by their month (`2025-09`) are shown as quarters.
                let to_series = |meta: &SeriesMeta, values: &[Observed]| {
                    TimeSeries::new(
                        meta.frequency,
                        values
                            .iter()
                            .map(|o| {
                                let period = if meta.frequency == Frequency::Quarterly {
                                    // A quarter's end date is in that quarter.
                                    Period::containing(o.period.end_date(), Frequency::Quarterly)
                                        .unwrap_or(o.period)
                                } else {
                                    o.period
                                };
                                (period, o.value)
                            })
                            .collect(),
                    )
                };
                indicators::beveridge_curve(&to_series(u_meta, u)?, &to_series(v_meta, v)?)
            }
            _ => Vec::new(),
        };
        let mut mismatch = None;
        let tagged = self.store.list_series(&store::SeriesFilter {
            id_prefix: None,
            tag: Some(MISMATCH_TAG.to_owned()),
        })?;
        if let Some(summary) = tagged.first() {
            let id = summary.meta.id.to_string();
            if let Some((meta, values)) = self.known(&id, as_of)?
                && !values.is_empty()
            {
                mismatch = Some((Provenance::of(&meta, Some(indicators::MISMATCH)), values));
            }
        }
        Ok(Structural {
            beveridge,
            unemployment: unemployment.map(|(meta, _)| Provenance::of(&meta, None)),
            unemployment_vintage,
            vacancy_rate: vacancy_rate.map(|(meta, _)| Provenance::of(&meta, None)),
            vacancy_vintage,
            mismatch,
        })
    }

    fn wages_growth(&mut self, as_of: Date) -> Result<WagesGrowth, EngineError> {
        let payroll = self.known(REAL_PAYROLL, as_of)?;
        let gdp = self.known(REAL_GDP_GROWTH, as_of)?;
        let mut payroll_growth = Vec::new();
        if let Some((meta, values)) = &payroll {
            let series = TimeSeries::new(
                meta.frequency,
                values.iter().map(|v| (v.period, v.value)).collect(),
            )?;
            for &(period, value) in indicators::yoy_pct(&series).points() {
                let vintage = values
                    .iter()
                    .find(|v| v.period == period)
                    .map_or(as_of, |v| v.vintage);
                payroll_growth.push(Observed {
                    period,
                    value,
                    vintage,
                });
            }
        }
        let first = payroll_growth.first().map(|v| v.period.end_month_index());
        let gdp_growth = gdp.as_ref().map_or_else(Vec::new, |(_, values)| {
            values
                .iter()
                .filter(|v| first.is_some_and(|first| v.period.end_month_index() >= first))
                .copied()
                .collect()
        });
        Ok(WagesGrowth {
            payroll: payroll.map(|(meta, _)| Provenance::of(&meta, Some(indicators::YOY_PCT))),
            gdp: gdp.map(|(meta, _)| Provenance::of(&meta, None)),
            payroll_growth,
            gdp_growth,
        })
    }

    /// The latest saved arrears run judged on or before `date`, within the look-back.
    fn latest_arrears_run(
        &mut self,
        date: Date,
    ) -> Result<Option<(Period, Vec<store::StoredArrearsResult>)>, EngineError> {
        let Ok(month) = Period::containing(date, Frequency::Monthly) else {
            return Ok(None);
        };
        for back in 0..=ARREARS_LOOKBACK_MONTHS {
            let Some(period) = month.shift(-back) else {
                break;
            };
            let results: Vec<_> = self
                .store
                .arrears_results(period)?
                .into_iter()
                .filter(|stored| stored.as_of <= date)
                .collect();
            if !results.is_empty() {
                return Ok(Some((period, results)));
            }
        }
        Ok(None)
    }

    pub(crate) fn arrears_summary(
        &mut self,
        as_of: Date,
        since: Date,
    ) -> Result<Option<ArrearsSummary>, EngineError> {
        let Some((period, results)) = self.latest_arrears_run(as_of)? else {
            return Ok(None);
        };
        let mut by_level: BTreeMap<ArrearsGroup, ArrearsTotals> = BTreeMap::new();
        let mut by_industry: BTreeMap<ArrearsGroup, ArrearsTotals> = BTreeMap::new();
        let mut total = ArrearsTotals::default();
        let mut detected_as_of = None;
        for stored in &results {
            let row = ArrearsTotals {
                employers: 1,
                workers_affected: u64::try_from(stored.result.workers_affected).unwrap_or(0),
                arrears_cents: i128::from(stored.result.arrears_cents),
                surcharge_cents: i128::from(stored.result.surcharge_cents),
            };
            total.add(&row);
            detected_as_of = detected_as_of.max(Some(stored.as_of));
            by_level
                .entry(ArrearsGroup::Level(stored.result.level))
                .or_default()
                .add(&row);
            let section = self
                .store
                .employer(&stored.result.employer_id)?
                .and_then(|employer| domain::HsicSection::parse(&employer.hsic_section).ok());
            let group = section.map_or(ArrearsGroup::Other, ArrearsGroup::Industry);
            by_industry.entry(group).or_default().add(&row);
        }
        let last_report = self
            .latest_arrears_run(since)?
            .map(|(period, results)| {
                let mut totals = ArrearsTotals::default();
                for stored in &results {
                    totals.add(&ArrearsTotals {
                        employers: 1,
                        workers_affected: u64::try_from(stored.result.workers_affected)
                            .unwrap_or(0),
                        arrears_cents: i128::from(stored.result.arrears_cents),
                        surcharge_cents: i128::from(stored.result.surcharge_cents),
                    });
                }
                (period, totals)
            })
            .filter(|(_, totals)| totals.employers >= MIN_EMPLOYERS_PER_CELL);
        if total.employers < MIN_EMPLOYERS_PER_CELL {
            return Ok(None);
        }
        let mut by_level: Vec<_> = by_level.into_iter().collect();
        by_level.sort_by(|a, b| b.0.cmp(&a.0));
        Ok(Some(ArrearsSummary {
            period,
            detected_as_of: detected_as_of.unwrap_or(as_of),
            total,
            by_level: pool_small_cells(by_level),
            by_industry: pool_small_cells(by_industry.into_iter().collect()),
            last_report,
        }))
    }
}

/// Rows under [`MIN_EMPLOYERS_PER_CELL`] employers are pooled into one `Other` row; if the
/// pool itself is too small, the smallest remaining rows join it until it is not (or
/// everything is pooled). No printed cell then describes fewer than three employers, and
/// since the rows add up to the total, none can be recovered by subtraction.
fn pool_small_cells(
    rows: Vec<(ArrearsGroup, ArrearsTotals)>,
) -> Vec<(ArrearsGroup, ArrearsTotals)> {
    let mut pool = ArrearsTotals::default();
    let mut kept: Vec<(ArrearsGroup, ArrearsTotals)> = Vec::new();
    for (group, totals) in rows {
        if group == ArrearsGroup::Other || totals.employers < MIN_EMPLOYERS_PER_CELL {
            pool.add(&totals);
        } else {
            kept.push((group, totals));
        }
    }
    while pool.employers > 0 && pool.employers < MIN_EMPLOYERS_PER_CELL && !kept.is_empty() {
        let smallest = kept
            .iter()
            .enumerate()
            .min_by_key(|(_, (group, totals))| (totals.employers, group.clone()))
            .map_or(0, |(index, _)| index);
        let (_, totals) = kept.remove(smallest);
        pool.add(&totals);
    }
    if pool.employers > 0 {
        kept.push((ArrearsGroup::Other, pool));
    }
    kept
}

fn levels_of(rules: &RuleSet, rule_id: &str) -> Vec<(Level, f64)> {
    rules.rule(rule_id).map_or_else(Vec::new, |rule| {
        rule.levels
            .iter()
            .map(|level| (level.level, level.enter))
            .collect()
    })
}

fn derived_meta_of_climate(run: &crate::compute::ClimateRun) -> Provenance {
    Provenance::of(&run.eti_meta, Some(indicators::ETI))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        domain::parse_date(text).unwrap()
    }

    #[test]
    fn the_previous_report_is_a_month_earlier() {
        assert_eq!(previous_report_date(date("2026-08-31")), date("2026-07-31"));
        assert_eq!(previous_report_date(date("2026-03-31")), date("2026-02-28"));
        assert_eq!(previous_report_date(date("2026-01-15")), date("2025-12-15"));
    }

    #[test]
    fn table_ids_are_read_from_sources() {
        assert_eq!(
            table_id("C&SD table 215-16001: Number of establishments").as_deref(),
            Some("215-16001")
        );
        assert_eq!(
            table_id("C&SD table 510-60001A via x").as_deref(),
            Some("510-60001A")
        );
        assert_eq!(table_id("HKMA via 4minutes-chung/Hong-Kong"), None);
    }

    fn totals(employers: u64) -> ArrearsTotals {
        ArrearsTotals {
            employers,
            workers_affected: employers * 2,
            arrears_cents: 100 * i128::from(employers),
            surcharge_cents: 0,
        }
    }

    #[test]
    fn totals_over_employers_never_wrap() {
        // Each employer's arrears fit in 64-bit cents (the detector sees to it); two such
        // employers' do not, and the report must still print their sum.
        let largest = ArrearsTotals {
            employers: 1,
            workers_affected: 1,
            arrears_cents: i128::from(i64::MAX),
            surcharge_cents: i128::from(i64::MAX),
        };
        let mut total = ArrearsTotals::default();
        total.add(&largest);
        total.add(&largest);
        assert_eq!(total.arrears_cents, 2 * i128::from(i64::MAX));
        assert_eq!(total.surcharge_cents, 2 * i128::from(i64::MAX));
        // 2 × (2^63 - 1) cents, in dollars: past what 64 bits hold, written exactly.
        assert_eq!(total.arrears_hkd(), "184467440737095516.14");
    }

    #[test]
    fn small_cells_are_pooled_until_no_cell_is_under_three() {
        let section =
            |letter: &str| ArrearsGroup::Industry(domain::HsicSection::parse(letter).unwrap());
        let pooled = pool_small_cells(vec![
            (section("C"), totals(5)),
            (section("F"), totals(1)),
            (section("G"), totals(4)),
            (section("H"), totals(3)),
        ]);
        // F alone is too small; the smallest kept row (H, 3) joins it.
        assert_eq!(
            pooled,
            vec![
                (section("C"), totals(5)),
                (section("G"), totals(4)),
                (ArrearsGroup::Other, totals(4)),
            ]
        );
        let all_small = pool_small_cells(vec![
            (section("C"), totals(1)),
            (section("F"), totals(1)),
            (section("G"), totals(1)),
        ]);
        assert_eq!(all_small, vec![(ArrearsGroup::Other, totals(3))]);
    }
}
