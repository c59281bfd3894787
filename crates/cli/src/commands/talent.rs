//! `lmo talent map|ratings|forecast|catalogue|talent-list` and `lmo ai-exposure`: the talent
//! tables of the engine, for people and for programs.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use domain::{IscoCode, IscoLevel};
use engine::Engine;
use engine::talent::{
    Catalogue, Confidence, DemandRow, ExposureView, GapForecast, GroupRating, LevelBasis,
    ManpowerLevel, Rating, Ratings, Reference, Signal, TalentListView, TalentRun,
};
use serde::Serialize;

use crate::args::Lang;
use crate::args::talent::{
    AiExposureArgs, CatalogueArgs, IscoLevelArg, RatingsArgs, TalentArgs, TalentCommand,
    TalentListArgs,
};
use crate::output::{Table, format_value, in_language, print_result};

/// Runs a `lmo talent` command; names in tables follow `lang` (`--lang`).
pub(crate) fn run(
    engine: &mut Engine,
    command: &TalentCommand,
    lang: Option<Lang>,
) -> anyhow::Result<ExitCode> {
    match command {
        TalentCommand::Map(args) => map(engine, args, lang),
        TalentCommand::Ratings(args) => ratings(engine, args, lang),
        TalentCommand::Forecast(args) => forecast(engine, args, lang),
        TalentCommand::Catalogue(args) => catalogue(engine, args, lang),
        TalentCommand::TalentList(args) => talent_list(engine, args, lang),
    }
}

fn load(args: &TalentArgs, list: Option<&Path>) -> anyhow::Result<Reference> {
    let files = list.map(read_list).transpose()?;
    Ok(Reference::load(args.method.as_deref(), files.as_deref())?)
}

/// The `*.toml` files of a directory, by name.
fn read_list(dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path
            .extension()
            .is_some_and(|extension| extension == "toml")
        {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            files.push((path.display().to_string(), text));
        }
    }
    anyhow::ensure!(
        !files.is_empty(),
        "{} holds no .toml edition",
        dir.display()
    );
    Ok(files)
}

fn run_talent(
    engine: &mut Engine,
    args: &TalentArgs,
    reference: &Reference,
) -> anyhow::Result<TalentRun> {
    let as_of = args.as_of.unwrap_or_else(|| crate::clock::now().today);
    let run = engine.talent(as_of, reference)?;
    if run.ratings.industries.is_empty() && run.ratings.occupations.is_empty() {
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "warning: the store holds no vacancy survey by industry (C&SD 215-16001) and no series by occupation as known on {as_of}: import them (`lmo ingest data/hk/csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv data/hk/csd_220-19023_payroll_index_by_industry.csv`) or try `lmo demo`"
            );
        }
    }
    Ok(run)
}

fn rating_text(rating: Rating) -> String {
    rating.to_string()
}

fn level_name(levels: &[ManpowerLevel], id: Option<&str>) -> (String, String) {
    id.and_then(|id| levels.iter().find(|level| level.id == id))
        .map_or_else(
            || (String::new(), String::new()),
            |level| (level.name_en.clone(), level.name_zh.clone()),
        )
}

fn optional(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "–".to_owned(), |value| format!("{value:.decimals$}"))
}

fn signed(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "–".to_owned(), |value| format!("{value:+.decimals$}"))
}

// ---------------------------------------------------------------- ratings

/// A rating as one flat row: each signal's value, reference and z as columns.
#[derive(Serialize)]
struct RatingDto {
    kind: &'static str,
    code: String,
    name_en: String,
    name_zh: String,
    level: Option<String>,
    level_en: String,
    rating: String,
    composite: f64,
    confidence: String,
    coverage: f64,
    driver: Option<String>,
    evidence: Vec<String>,
    vacancy_rate: Option<f64>,
    vacancy_rate_reference: Option<f64>,
    vacancy_rate_z: Option<f64>,
    vacancy_rate_change: Option<f64>,
    vacancy_rate_change_reference: Option<f64>,
    vacancy_rate_change_z: Option<f64>,
    persons_engaged_growth: Option<f64>,
    persons_engaged_growth_reference: Option<f64>,
    persons_engaged_growth_z: Option<f64>,
    payroll_growth: Option<f64>,
    payroll_growth_reference: Option<f64>,
    payroll_growth_z: Option<f64>,
    unemployment_rate: Option<f64>,
    unemployment_rate_reference: Option<f64>,
    unemployment_rate_z: Option<f64>,
    periods: Vec<String>,
    missing: Vec<String>,
    notes: Vec<String>,
    method: String,
}

impl RatingDto {
    fn new(kind: &'static str, rated: &GroupRating, levels: &[ManpowerLevel]) -> RatingDto {
        let reading = |signal: Signal| {
            rated
                .rating
                .signals
                .iter()
                .find(|reading| reading.signal == signal)
        };
        let value = |signal| reading(signal).map(|reading| reading.value);
        let reference = |signal| reading(signal).map(|reading| reading.reference);
        let z = |signal| reading(signal).map(|reading| reading.z);
        RatingDto {
            kind,
            code: rated.code.clone(),
            name_en: rated.name_en.clone(),
            name_zh: rated.name_zh.clone(),
            level: rated.level.clone(),
            level_en: level_name(levels, rated.level.as_deref()).0,
            rating: rating_text(rated.rating.rating),
            composite: rated.rating.composite,
            confidence: rated.rating.confidence.to_string(),
            coverage: rated.rating.coverage,
            driver: rated.rating.driver.map(|driver| driver.to_string()),
            evidence: rated.rating.evidence.clone(),
            vacancy_rate: value(Signal::VacancyRate),
            vacancy_rate_reference: reference(Signal::VacancyRate),
            vacancy_rate_z: z(Signal::VacancyRate),
            vacancy_rate_change: value(Signal::VacancyRateChange),
            vacancy_rate_change_reference: reference(Signal::VacancyRateChange),
            vacancy_rate_change_z: z(Signal::VacancyRateChange),
            persons_engaged_growth: value(Signal::PersonsEngagedGrowth),
            persons_engaged_growth_reference: reference(Signal::PersonsEngagedGrowth),
            persons_engaged_growth_z: z(Signal::PersonsEngagedGrowth),
            payroll_growth: value(Signal::PayrollGrowth),
            payroll_growth_reference: reference(Signal::PayrollGrowth),
            payroll_growth_z: z(Signal::PayrollGrowth),
            unemployment_rate: value(Signal::UnemploymentRate),
            unemployment_rate_reference: reference(Signal::UnemploymentRate),
            unemployment_rate_z: z(Signal::UnemploymentRate),
            periods: rated
                .periods
                .iter()
                .map(|(signal, period)| format!("{} {period}", signal.name()))
                .collect(),
            missing: rated
                .rating
                .missing
                .iter()
                .map(|(signal, why)| format!("{}: {why}", signal.name()))
                .collect(),
            notes: rated.notes.clone(),
            method: rated.rating.method.clone(),
        }
    }
}

#[derive(Serialize)]
struct RatingsDto {
    as_of: Option<String>,
    source: String,
    method: String,
    ratings: Vec<RatingDto>,
    occupations_note: Option<String>,
}

fn rating_table(
    heading: String,
    rows: &[RatingDto],
    footer: &[String],
    lang: Option<Lang>,
) -> Table {
    let mut table = Table::new(vec![
        "group",
        "rating",
        "composite",
        "confidence",
        "vacancy rate %",
        "change pp",
        "engaged growth %",
        "pay growth %",
        "driver",
        "name",
    ]);
    for row in rows {
        table.row(vec![
            row.code.clone(),
            row.rating.clone(),
            format!("{:+.2}", row.composite),
            row.confidence.clone(),
            optional(row.vacancy_rate, 1),
            signed(row.vacancy_rate_change, 1),
            signed(row.persons_engaged_growth, 1),
            signed(row.payroll_growth, 1),
            row.driver.clone().unwrap_or_default(),
            in_language(lang, &row.name_en, &row.name_zh),
        ]);
    }
    let mut heading = heading;
    for row in rows.iter().filter(|row| !row.evidence.is_empty()) {
        let _ = writeln!(
            heading,
            "  {} evidence: {}",
            row.code,
            row.evidence.join("; ")
        );
    }
    for line in footer {
        let _ = writeln!(heading, "  {line}");
    }
    table.with_heading(heading)
}

fn ratings(
    engine: &mut Engine,
    args: &RatingsArgs,
    lang: Option<Lang>,
) -> anyhow::Result<ExitCode> {
    let reference = load(&args.common, None)?;
    if args.us {
        let us = engine::talent::us_run(&reference, IscoLevel::Major)?;
        let rows: Vec<RatingDto> = us
            .ratings
            .iter()
            .map(|rated| RatingDto::new("occupation", rated, &reference.levels.levels))
            .collect();
        let dto = RatingsDto {
            as_of: None,
            source: us.sources.join("; "),
            method: reference.config.method.clone(),
            ratings: rows,
            occupations_note: None,
        };
        let heading = format!(
            "Shortage ratings of US occupations by ISCO-08 sub-major group ({}): {}\nOne signal, projected employment growth a year 2020-30 (all occupations {}% a year), weighted by OEWS May 2021 employment; {} of {} employed cross to ISCO-08.\n",
            dto.method,
            dto.source,
            optional(us.economy_growth, 2),
            format_value(us.employment_mapped.round()),
            format_value(us.employment_total.round()),
        );
        print_result(&args.common.output, &dto, &dto.ratings, || {
            rating_table(heading, &dto.ratings, &[], lang)
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let run = run_talent(engine, &args.common, &reference)?;
    let levels = &reference.levels.levels;
    let rows: Vec<RatingDto> = run
        .ratings
        .industries
        .iter()
        .map(|rated| RatingDto::new("industry", rated, levels))
        .chain(
            run.ratings
                .occupations
                .iter()
                .map(|rated| RatingDto::new("occupation", rated, levels)),
        )
        .collect();
    let dto = RatingsDto {
        as_of: Some(run.as_of.to_string()),
        source: "C&SD tables 215-16001 (vacancies, persons engaged) and 220-19023 (payroll index) in the store".to_owned(),
        method: run.ratings.method.clone(),
        ratings: rows,
        occupations_note: run.ratings.occupations_note.clone(),
    };
    let heading = ratings_heading(&run.ratings);
    let footer: Vec<String> = run
        .ratings
        .occupations_note
        .iter()
        .map(|note| format!("Occupations: {note}."))
        .collect();
    print_result(&args.common.output, &dto, &dto.ratings, || {
        rating_table(heading, &dto.ratings, &footer, lang)
    })?;
    Ok(ExitCode::SUCCESS)
}

fn ratings_heading(ratings: &Ratings) -> String {
    let economy = &ratings.economy;
    format!(
        "Shortage ratings 短缺評級 as known on {} ({}): signals standardised against all industries (vacancy rate {}%, change {} pp, persons engaged {}%), composite >= 0.5 shortage, <= -0.5 surplus.\nPayroll growth is compared with the mean of the industries rated (no all-industry payroll row); no unemployment by industry is in the store.\n",
        ratings.as_of,
        ratings.method,
        optional(economy.vacancy_rate, 1),
        signed(economy.vacancy_rate_change, 1),
        signed(economy.persons_engaged_growth, 1),
    )
}

// ---------------------------------------------------------------- map

#[derive(Serialize)]
struct MapRowDto {
    industry: String,
    name_en: String,
    name_zh: String,
    period: Option<String>,
    persons_engaged: Option<f64>,
    vacancies: Option<f64>,
    vacancy_rate: Option<f64>,
    vacancy_rate_change: Option<f64>,
    persons_engaged_growth: Option<f64>,
    vacancies_growth: Option<f64>,
    share_of_vacancies: Option<f64>,
    payroll_growth: Option<f64>,
    rating: Option<String>,
    composite: Option<f64>,
    confidence: Option<String>,
    driver: Option<String>,
    level: Option<String>,
}

impl MapRowDto {
    fn new(row: &DemandRow) -> MapRowDto {
        MapRowDto {
            industry: row.industry.to_string(),
            name_en: row.industry.name_en(),
            name_zh: row.industry.name_zh(),
            period: row.period.map(|period| period.to_string()),
            persons_engaged: row.persons_engaged,
            vacancies: row.vacancies,
            vacancy_rate: row.vacancy_rate,
            vacancy_rate_change: row.vacancy_rate_change,
            persons_engaged_growth: row.persons_engaged_growth,
            vacancies_growth: row.vacancies_growth,
            share_of_vacancies: row.share_of_vacancies,
            payroll_growth: row.payroll_growth,
            rating: row.rating.map(rating_text),
            composite: row.composite,
            confidence: row
                .confidence
                .map(|confidence: Confidence| confidence.to_string()),
            driver: row.driver.map(|driver| driver.to_string()),
            level: row.level.clone(),
        }
    }
}

#[derive(Serialize)]
struct MapDto {
    as_of: String,
    method: String,
    source: String,
    industries: Vec<MapRowDto>,
}

fn map(engine: &mut Engine, args: &TalentArgs, lang: Option<Lang>) -> anyhow::Result<ExitCode> {
    let reference = load(args, None)?;
    let run = run_talent(engine, args, &reference)?;
    let dto = MapDto {
        as_of: run.as_of.to_string(),
        method: run.ratings.method.clone(),
        source: "C&SD table 215-16001 (Quarterly Survey of Employment and Vacancies, private sector) and 220-19023 (payroll index)".to_owned(),
        industries: run.demand_map.iter().map(MapRowDto::new).collect(),
    };
    let heading = format!(
        "Industry talent-demand map 行業人才需求地圖 as known on {} ({}); the latest survey, changes on a year earlier.\n",
        dto.as_of, dto.source
    );
    print_result(&args.output, &dto, &dto.industries, || {
        let mut table = Table::new(vec![
            "industry",
            "period",
            "persons engaged",
            "vacancies",
            "share %",
            "vacancy rate %",
            "change pp",
            "engaged %",
            "vacancies %",
            "pay %",
            "rating",
            "driver",
            "name",
        ]);
        for row in &dto.industries {
            table.row(vec![
                row.industry.clone(),
                row.period.clone().unwrap_or_default(),
                row.persons_engaged.map_or_else(String::new, format_value),
                row.vacancies.map_or_else(String::new, format_value),
                optional(row.share_of_vacancies, 1),
                optional(row.vacancy_rate, 1),
                signed(row.vacancy_rate_change, 1),
                signed(row.persons_engaged_growth, 1),
                signed(row.vacancies_growth, 1),
                signed(row.payroll_growth, 1),
                row.rating.clone().unwrap_or_default(),
                row.driver.clone().unwrap_or_default(),
                in_language(lang, &row.name_en, &row.name_zh),
            ]);
        }
        table.with_heading(heading)
    })?;
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------- forecast

#[derive(Serialize)]
struct ForecastRowDto {
    series: String,
    name_en: String,
    name_zh: String,
    year: i16,
    horizon: usize,
    mean: f64,
    lower80: f64,
    upper80: f64,
    lower95: f64,
    upper95: f64,
    /// The Manpower Projection's published figure for the year, where it has one.
    published_low: Option<f64>,
    published_high: Option<f64>,
}

#[derive(Serialize)]
struct ModelDto {
    series: String,
    alpha: f64,
    beta: f64,
    phi: f64,
    sigma: f64,
    observations: usize,
    first_year: Option<i16>,
    last_year: Option<i16>,
}

#[derive(Serialize)]
struct ScoreDto {
    series: String,
    first_origin: i16,
    last_origin: i16,
    horizon: usize,
    forecasts: usize,
    mape: f64,
    coverage80: f64,
    coverage95: f64,
}

#[derive(Serialize)]
struct AnchorDto {
    level: String,
    name_en: String,
    name_zh: String,
    published_low: f64,
    published_high: f64,
    lmo_mean: Option<f64>,
    lmo_lower80: Option<f64>,
    lmo_upper80: Option<f64>,
    lmo_lower95: Option<f64>,
    lmo_upper95: Option<f64>,
}

#[derive(Serialize)]
struct ForecastDto {
    as_of: String,
    method: &'static str,
    model: &'static str,
    last_year: Option<i16>,
    level_basis: String,
    levels_status: String,
    models: Vec<ModelDto>,
    forecasts: Vec<ForecastRowDto>,
    backtest: Vec<ScoreDto>,
    anchor_year: i16,
    anchor_source: String,
    anchor: Vec<AnchorDto>,
    differences: Vec<String>,
}

pub(crate) fn level_basis_text(basis: &LevelBasis) -> String {
    match basis {
        LevelBasis::Occupation { series } => {
            format!("by occupation: vacancies by major group in the store ({series} series)")
        }
        LevelBasis::IndustryAssumed { source } => format!(
            "by each industry's main level, assumed ({source}): no vacancies by occupation in the store (C&SD 215-16007)"
        ),
        LevelBasis::None => "not split: neither occupation nor industry history".to_owned(),
    }
}

/// Why lmo's forecast and the Manpower Projection's shortfall differ, in English.
pub(crate) fn differences(gap: &GapForecast) -> Vec<String> {
    let total = gap.anchor.first();
    let mut out = Vec::new();
    if let Some((row, forecast)) = total.and_then(|row| Some((row, row.forecast?))) {
        out.push(format!(
            "lmo's {} gap is {} unfilled posts (80% interval {} to {}), {:.0}% of the projection's {} shortfall.",
            gap.anchor_year,
            format_value(forecast.mean.round()),
            format_value(forecast.lower80.round()),
            format_value(forecast.upper80.round()),
            100.0 * forecast.mean / row.published_high,
            format_value(row.published_high),
        ));
    }
    out.push(format!(
        "They measure different things: the projection's shortfall is manpower requirement ({}) less local supply ({}), projected from GDP growth and population; lmo's gap is the posts private establishments are recruiting for (C&SD vacancy survey), extrapolated from their own history.",
        format_value(gap.anchor_requirement),
        format_value(gap.anchor_local_supply),
    ));
    out.push("The projection counts demand that no vacancy shows (posts filled by imported workers, work not offered because staff cannot be found) and covers the whole economy; the vacancy survey covers private establishments only, and construction sites for manual workers only.".to_owned());
    out.push("The projection assumes supply shrinking with an ageing population; the trend model knows only the past vacancies, whose level swings with the cycle (the backtest's errors show how much).".to_owned());
    if matches!(gap.level_basis, LevelBasis::IndustryAssumed { .. }) {
        out.push("The split by level assigns each industry whole to one level: skilled technical work outside construction sites (technicians in every industry) is counted in other levels, so that level comes out far below the projection's.".to_owned());
    }
    out
}

fn forecast(
    engine: &mut Engine,
    args: &TalentArgs,
    lang: Option<Lang>,
) -> anyhow::Result<ExitCode> {
    let reference = load(args, None)?;
    let run = run_talent(engine, args, &reference)?;
    let gap = &run.gap;
    let series: Vec<&engine::talent::GapSeries> = [&gap.gap, &gap.demand]
        .into_iter()
        .chain(&gap.levels)
        .collect();
    let published = |key: &str, year: i16| {
        (year == gap.anchor_year)
            .then(|| {
                let key = if key == "gap" { "total" } else { key };
                gap.anchor.iter().find(|row| row.key == key)
            })
            .flatten()
    };
    let forecasts: Vec<ForecastRowDto> = series
        .iter()
        .flat_map(|series| {
            series.forecasts.iter().map(|(year, forecast)| {
                let anchor = published(&series.key, *year);
                ForecastRowDto {
                    series: series.key.clone(),
                    name_en: series.name_en.clone(),
                    name_zh: series.name_zh.clone(),
                    year: *year,
                    horizon: forecast.horizon,
                    mean: forecast.mean,
                    lower80: forecast.lower80,
                    upper80: forecast.upper80,
                    lower95: forecast.lower95,
                    upper95: forecast.upper95,
                    published_low: anchor.map(|row| row.published_low),
                    published_high: anchor.map(|row| row.published_high),
                }
            })
        })
        .collect();
    let models = series
        .iter()
        .filter_map(|series| {
            let model = series.model.as_ref()?;
            Some(ModelDto {
                series: series.key.clone(),
                alpha: model.alpha,
                beta: model.beta,
                phi: model.phi,
                sigma: model.sigma,
                observations: model.observations,
                first_year: series.history.first().map(|(year, _)| *year),
                last_year: series.history.last().map(|(year, _)| *year),
            })
        })
        .collect();
    let backtest = [("gap", &gap.backtest_gap), ("demand", &gap.backtest_demand)]
        .into_iter()
        .filter_map(|(name, backtest)| Some((name, backtest.as_ref()?)))
        .flat_map(|(name, backtest)| {
            backtest.horizons.iter().map(move |score| ScoreDto {
                series: name.to_owned(),
                first_origin: backtest.first_origin,
                last_origin: backtest.last_origin,
                horizon: score.horizon,
                forecasts: score.forecasts,
                mape: score.mape,
                coverage80: score.coverage80,
                coverage95: score.coverage95,
            })
        })
        .collect();
    let anchor = gap
        .anchor
        .iter()
        .map(|row| AnchorDto {
            level: row.key.clone(),
            name_en: row.name_en.clone(),
            name_zh: row.name_zh.clone(),
            published_low: row.published_low,
            published_high: row.published_high,
            lmo_mean: row.forecast.map(|forecast| forecast.mean),
            lmo_lower80: row.forecast.map(|forecast| forecast.lower80),
            lmo_upper80: row.forecast.map(|forecast| forecast.upper80),
            lmo_lower95: row.forecast.map(|forecast| forecast.lower95),
            lmo_upper95: row.forecast.map(|forecast| forecast.upper95),
        })
        .collect();
    let dto = ForecastDto {
        as_of: run.as_of.to_string(),
        method: gap.method,
        model: gap.model,
        last_year: gap.last_year,
        level_basis: level_basis_text(&gap.level_basis),
        levels_status: gap.levels_status.clone(),
        models,
        forecasts,
        backtest,
        anchor_year: gap.anchor_year,
        anchor_source: gap.anchor_source.clone(),
        anchor,
        differences: differences(gap),
    };
    print_result(&args.output, &dto, &dto.forecasts, || {
        forecast_table(&dto, lang)
    })?;
    Ok(ExitCode::SUCCESS)
}

fn interval(low: f64, high: f64) -> String {
    format!(
        "{} to {}",
        format_value(low.round()),
        format_value(high.round())
    )
}

fn forecast_table(dto: &ForecastDto, lang: Option<Lang>) -> Table {
    let heading = format!(
        "Talent gap forecast 人才缺口預測 as known on {} ({}, model {}): annual means of the quarterly vacancy survey to {}, forecast 1-5 years.\nSplit by level {}.\n",
        dto.as_of,
        dto.method,
        dto.model,
        dto.last_year
            .map_or_else(|| "–".to_owned(), |year| year.to_string()),
        dto.level_basis,
    );
    let mut table = Table::new(vec![
        "series",
        "year",
        "forecast",
        "80% interval",
        "95% interval",
        "name",
    ]);
    for row in &dto.forecasts {
        table.row(vec![
            row.series.clone(),
            row.year.to_string(),
            format_value(row.mean.round()),
            interval(row.lower80, row.upper80),
            interval(row.lower95, row.upper95),
            in_language(lang, &row.name_en, &row.name_zh),
        ]);
    }
    let mut footer = String::from(
        "\nBacktest (train to year T, forecast T+1..T+5; mean absolute % error, share inside the 80% and 95% intervals):\n",
    );
    for score in &dto.backtest {
        let _ = writeln!(
            footer,
            "  {:<7} h={}  origins {}-{}  n={:<3} MAPE {:>5.1}%  coverage {:>3.0}% / {:>3.0}%",
            score.series,
            score.horizon,
            score.first_origin,
            score.last_origin,
            score.forecasts,
            score.mape,
            100.0 * score.coverage80,
            100.0 * score.coverage95,
        );
    }
    let _ = writeln!(
        footer,
        "\n{} beside the published shortfall ({}; lmo's mapping of levels: {}):",
        dto.anchor_year, dto.anchor_source, dto.levels_status
    );
    for row in &dto.anchor {
        let published = if (row.published_low - row.published_high).abs() < 0.5 {
            format_value(row.published_low)
        } else {
            format!(
                "{}-{}",
                format_value(row.published_low),
                format_value(row.published_high)
            )
        };
        let _ = writeln!(
            footer,
            "  {:<40} published {:>13}   lmo {:>7} (80% {}) {}",
            row.name_en,
            published,
            row.lmo_mean
                .map_or_else(|| "–".to_owned(), |mean| format_value(mean.round())),
            match (row.lmo_lower80, row.lmo_upper80) {
                (Some(low), Some(high)) => interval(low, high),
                _ => "–".to_owned(),
            },
            row.name_zh,
        );
    }
    footer.push_str("Why they differ:\n");
    for line in &dto.differences {
        let _ = writeln!(footer, "  - {line}");
    }
    table.with_heading(heading).with_footer(footer)
}

// ---------------------------------------------------------------- catalogue

#[derive(Serialize)]
struct CatalogueRowDto {
    industry: String,
    industry_en: String,
    industry_zh: String,
    industry_rating: String,
    composite: f64,
    confidence: String,
    driver: Option<String>,
    evidence: Vec<String>,
    industry_level: Option<String>,
    occupation: Option<String>,
    occupation_en: Option<String>,
    occupation_zh: Option<String>,
    occupation_level: Option<String>,
    occupation_vacancies: Option<f64>,
    occupation_driver: Option<String>,
    occupation_evidence: Vec<String>,
    occupations_note: Option<String>,
    talent_list: Vec<String>,
}

#[derive(Serialize)]
struct CatalogueDto {
    as_of: String,
    method: String,
    talent_list_edition: Option<String>,
    rows: Vec<CatalogueRowDto>,
}

fn catalogue_rows(catalogue: &Catalogue) -> Vec<CatalogueRowDto> {
    let mut rows = Vec::new();
    for entry in &catalogue.entries {
        let industry = &entry.industry;
        let base = |occupation: Option<&engine::talent::CatalogueOccupation>| CatalogueRowDto {
            industry: industry.code.clone(),
            industry_en: industry.name_en.clone(),
            industry_zh: industry.name_zh.clone(),
            industry_rating: rating_text(industry.rating.rating),
            composite: industry.rating.composite,
            confidence: industry.rating.confidence.to_string(),
            driver: industry.rating.driver.map(|driver| driver.to_string()),
            evidence: industry.rating.evidence.clone(),
            industry_level: industry.level.clone(),
            occupation: occupation.map(|occupation| occupation.code.clone()),
            occupation_en: occupation.map(|occupation| occupation.name_en.clone()),
            occupation_zh: occupation.map(|occupation| occupation.name_zh.clone()),
            occupation_level: occupation.and_then(|occupation| occupation.level.clone()),
            occupation_vacancies: occupation.and_then(|occupation| occupation.vacancies),
            occupation_driver: occupation
                .and_then(|occupation| occupation.driver)
                .map(|driver| driver.to_string()),
            occupation_evidence: occupation
                .map(|occupation| occupation.evidence.clone())
                .unwrap_or_default(),
            occupations_note: entry.occupations_note.clone(),
            talent_list: entry
                .talent_list
                .iter()
                .map(|profession| profession.name_en.clone())
                .collect(),
        };
        if entry.occupations.is_empty() {
            rows.push(base(None));
        } else {
            rows.extend(
                entry
                    .occupations
                    .iter()
                    .map(|occupation| base(Some(occupation))),
            );
        }
    }
    rows
}

fn catalogue(
    engine: &mut Engine,
    args: &CatalogueArgs,
    lang: Option<Lang>,
) -> anyhow::Result<ExitCode> {
    let reference = load(&args.common, None)?;
    let run = run_talent(engine, &args.common, &reference)?;
    if let Some(path) = &args.html {
        let html = reports::catalogue_html(&run, env!("CARGO_PKG_VERSION"));
        std::fs::write(path, html).with_context(|| format!("cannot write {}", path.display()))?;
        #[allow(clippy::print_stderr)]
        {
            eprintln!("wrote {}", path.display());
        }
    }
    let dto = CatalogueDto {
        as_of: run.as_of.to_string(),
        method: run.catalogue.method.clone(),
        talent_list_edition: run
            .catalogue
            .talent_list_edition
            .map(|date| date.to_string()),
        rows: catalogue_rows(&run.catalogue),
    };
    let levels = &reference.levels.levels;
    print_result(&args.common.output, &dto, &dto.rows, || {
        let mut heading = format!(
            "Talent-needs catalogue 本地化產業人才需求目錄 as known on {} ({}); industries in shortage first.\n",
            dto.as_of, dto.method
        );
        if dto.rows.iter().all(|row| row.occupation.is_none()) {
            heading.push_str("Occupations: no vacancies by occupation in the store (C&SD 215-16007 is not bundled); import them and the occupations in shortage are listed per industry.\n");
        }
        let mut table = Table::new(vec![
            "industry",
            "rating",
            "driver",
            "level",
            "occupation",
            "evidence",
            "on the Talent List",
            "name",
        ]);
        for row in &dto.rows {
            table.row(vec![
                row.industry.clone(),
                row.industry_rating.clone(),
                row.occupation_driver
                    .clone()
                    .or_else(|| row.driver.clone())
                    .unwrap_or_default(),
                level_name(
                    levels,
                    row.occupation_level
                        .as_deref()
                        .or(row.industry_level.as_deref()),
                )
                .0,
                row.occupation.clone().map_or_else(
                    || "–".to_owned(),
                    |code| format!("{code} {}", row.occupation_en.clone().unwrap_or_default()),
                ),
                if row.occupation_evidence.is_empty() {
                    row.evidence.join("; ")
                } else {
                    row.occupation_evidence.join("; ")
                },
                row.talent_list.join("; "),
                in_language(lang, &row.industry_en, &row.industry_zh),
            ]);
        }
        table.with_heading(heading)
    })?;
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------- talent list

#[derive(Serialize)]
struct TalentListRowDto {
    edition: String,
    profession_en: String,
    profession_zh: String,
    segment: String,
    isco08: String,
    isco08_title: String,
    level: Option<String>,
    industry: String,
    compared_with: String,
    compared_name: String,
    rating: Option<String>,
    composite: Option<f64>,
    vacancy_rate: Option<f64>,
    persons_engaged_growth: Option<f64>,
    unemployment_rate: Option<f64>,
    local_slack: Option<String>,
}

#[derive(Serialize)]
struct EditionDto {
    effective: String,
    professions_published: usize,
    professions_entered: usize,
    entries_complete: bool,
    sources: Vec<String>,
}

#[derive(Serialize)]
struct TalentListDto {
    as_of: String,
    editions: Vec<EditionDto>,
    edition: Option<String>,
    rows: Vec<TalentListRowDto>,
}

fn talent_list(
    engine: &mut Engine,
    args: &TalentListArgs,
    lang: Option<Lang>,
) -> anyhow::Result<ExitCode> {
    let reference = load(&args.common, args.list.as_deref())?;
    let run = run_talent(engine, &args.common, &reference)?;
    let view: TalentListView = engine::talent::talent_list_view(&run, &reference, args.edition);
    anyhow::ensure!(
        view.edition.is_some() || args.edition.is_none(),
        "no Talent List edition took effect on {}; editions: {}",
        args.edition
            .map(|date| date.to_string())
            .unwrap_or_default(),
        view.editions
            .iter()
            .map(|(date, ..)| date.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let edition = view.edition.as_ref();
    let dto = TalentListDto {
        as_of: view.as_of.to_string(),
        editions: view
            .editions
            .iter()
            .map(|(date, published, entered, complete, sources)| EditionDto {
                effective: date.to_string(),
                professions_published: *published,
                professions_entered: *entered,
                entries_complete: *complete,
                sources: sources.clone(),
            })
            .collect(),
        edition: edition.map(|edition| edition.effective.to_string()),
        rows: view
            .rows
            .iter()
            .map(|row| TalentListRowDto {
                edition: edition
                    .map(|edition| edition.effective.to_string())
                    .unwrap_or_default(),
                profession_en: row.profession.name_en.clone(),
                profession_zh: row.profession.name_zh.clone(),
                segment: row.profession.segment.clone(),
                isco08: row.profession.isco08.code().to_owned(),
                isco08_title: row.profession.isco08.title_en().to_owned(),
                level: row.level.clone(),
                industry: row.profession.industry.to_string(),
                compared_with: row.compared_with.clone(),
                compared_name: row.compared_name_en.clone(),
                rating: row.rating.map(rating_text),
                composite: row.composite,
                vacancy_rate: row.vacancy_rate,
                persons_engaged_growth: row.persons_engaged_growth,
                unemployment_rate: row.unemployment_rate,
                local_slack: row.local_slack.clone(),
            })
            .collect(),
    };
    print_result(&args.common.output, &dto, &dto.rows, || {
        let mut heading = String::from("Talent List 人才清單 editions:\n");
        for edition in &dto.editions {
            let _ = writeln!(
                heading,
                "  {}: {} professions published, {} entered{} ({})",
                edition.effective,
                edition.professions_published,
                edition.professions_entered,
                if edition.entries_complete {
                    ""
                } else {
                    ", the rest not found: add them to data/hk/talent_list/ (see --list)"
                },
                edition.sources.first().cloned().unwrap_or_default(),
            );
        }
        let _ = writeln!(
            heading,
            "Edition {} beside local statistics as known on {}: each profession's occupation where the store rates it, else its industry (the ISCO-08 and industry mapping is lmo's).",
            dto.edition.clone().unwrap_or_else(|| "–".to_owned()),
            dto.as_of
        );
        let mut table = Table::new(vec![
            "ISCO-08",
            "compared with",
            "rating",
            "vacancy rate %",
            "engaged %",
            "local slack",
            "profession",
        ]);
        for row in &dto.rows {
            table.row(vec![
                row.isco08.clone(),
                row.compared_with.clone(),
                row.rating.clone().unwrap_or_default(),
                optional(row.vacancy_rate, 1),
                signed(row.persons_engaged_growth, 1),
                row.local_slack.clone().unwrap_or_else(|| "–".to_owned()),
                in_language(lang, &row.profession_en, &row.profession_zh),
            ]);
        }
        table.with_heading(heading)
    })?;
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------- AI exposure

#[derive(Serialize)]
struct ExposureRowDto {
    isco08: String,
    title_en: String,
    name_zh: Option<String>,
    digits: usize,
    score: f64,
    sd: Option<f64>,
    ilo_class: Option<String>,
    units_scored: usize,
    units_exposed: usize,
    weights: String,
    employment: Option<f64>,
    gpts_beta: Option<f64>,
    gpts_links: usize,
    gpts_part_links: usize,
    demand_change_pct: Option<f64>,
    demand_class: Option<String>,
    units_squeeze: usize,
    units_augmented: usize,
    index: String,
    index_version: String,
}

#[derive(Serialize)]
struct CitationDto {
    index: &'static str,
    version: &'static str,
    reference: &'static str,
}

#[derive(Serialize)]
struct ExposureDto {
    level: usize,
    index: CitationDto,
    gpts_index: CitationDto,
    weights: String,
    demand: String,
    rows: Vec<ExposureRowDto>,
}

fn citation(index: &engine::talent::IndexCitation) -> CitationDto {
    CitationDto {
        index: index.index,
        version: index.version,
        reference: index.reference,
    }
}

fn exposure_dto(view: &ExposureView) -> ExposureDto {
    ExposureDto {
        level: view.level.digits(),
        index: citation(&view.index),
        gpts_index: citation(&view.gpts_index),
        weights: view.weights.clone(),
        demand: view.demand.clone(),
        rows: view
            .rows
            .iter()
            .map(|row| ExposureRowDto {
                isco08: row.code.code().to_owned(),
                title_en: row.code.title_en().to_owned(),
                name_zh: IscoCode::name_zh(row.code).map(str::to_owned),
                digits: row.code.level().digits(),
                score: row.score,
                sd: row.sd,
                ilo_class: row.gradient.map(|gradient| gradient.label().to_owned()),
                units_scored: row.units_scored,
                units_exposed: row.units_exposed,
                weights: row.weights.clone(),
                employment: row.employment,
                gpts_beta: row.gpts_beta,
                gpts_links: row.gpts_links,
                gpts_part_links: row.gpts_part_links,
                demand_change_pct: row.demand_change,
                demand_class: row.demand_class.map(|class| class.to_string()),
                units_squeeze: row.units_squeeze,
                units_augmented: row.units_augmented,
                index: view.index.index.to_owned(),
                index_version: view.index.version.to_owned(),
            })
            .collect(),
    }
}

pub(crate) fn ai_exposure(
    engine: &mut Engine,
    args: &AiExposureArgs,
    lang: Option<Lang>,
) -> anyhow::Result<ExitCode> {
    let level = match args.level {
        IscoLevelArg::Major => IscoLevel::Major,
        IscoLevelArg::SubMajor => IscoLevel::SubMajor,
        IscoLevelArg::Minor => IscoLevel::Minor,
        IscoLevelArg::Unit => IscoLevel::Unit,
    };
    let reference = load(&args.common, None)?;
    let view = if args.us {
        engine::talent::us_run(&reference, level)?.exposure
    } else {
        let as_of = args
            .common
            .as_of
            .unwrap_or_else(|| crate::clock::now().today);
        let inputs = engine.talent_inputs(as_of)?;
        engine::talent::exposure_view(&inputs, &reference, level)
    };
    let dto = exposure_dto(&view);
    print_result(&args.common.output, &dto, &dto.rows, || {
        let heading = format!(
            "Exposure to generative AI 生成式人工智能的影響 by ISCO-08 {} ({}-digit)\nIndex: {}, {}; {}.\nWeights: {}.\nBeside it, GPTs-are-GPTs β rated by GPT-4 ({}); (links, part): crosswalk links used, and those that match only in part.\nDemand: {}.\n",
            level.name(),
            dto.level,
            dto.index.index,
            dto.index.version,
            dto.index.reference,
            dto.weights,
            dto.gpts_index.version,
            dto.demand,
        );
        let unit = level == IscoLevel::Unit;
        let mut table = Table::new(vec![
            "ISCO-08",
            "mean score",
            if unit { "ILO class" } else { "exposed units" },
            "GPTs β (links, part)",
            if unit {
                "demand %"
            } else {
                "squeeze/augmented"
            },
            if unit { "crossed" } else { "employment" },
            "title",
        ]);
        for row in &dto.rows {
            table.row(vec![
                row.isco08.clone(),
                format!("{:.3}", row.score),
                if unit {
                    row.ilo_class.clone().unwrap_or_default()
                } else {
                    format!("{} of {}", row.units_exposed, row.units_scored)
                },
                row.gpts_beta.map_or_else(
                    || "–".to_owned(),
                    |beta| format!("{beta:.3} ({}, {})", row.gpts_links, row.gpts_part_links),
                ),
                if unit {
                    signed(row.demand_change_pct, 1)
                } else {
                    format!("{}/{}", row.units_squeeze, row.units_augmented)
                },
                if unit {
                    row.demand_class.clone().unwrap_or_else(|| "–".to_owned())
                } else {
                    row.employment.map_or_else(
                        || "–".to_owned(),
                        |employment| format_value(employment.round()),
                    )
                },
                in_language(
                    lang,
                    &row.title_en,
                    row.name_zh.as_deref().unwrap_or_default(),
                ),
            ]);
        }
        table.with_heading(heading)
    })?;
    Ok(ExitCode::SUCCESS)
}
