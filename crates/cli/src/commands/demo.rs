//! `lmo demo`: a fresh SQLite store from the bundled real Hong Kong data.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use engine::demo::HONG_KONG_FILES;
use engine::{Container, Engine, ImportRequest, MappingSpec, Phase};

use super::ingest::{print_reports, progress_bar, switch_to_spinner};
use super::redact;
use crate::args::DemoArgs;
use crate::output::format_value;
use crate::settings::Settings;

/// Generated, clearly labelled: there is no public employer-level MPF or payroll data.
const DEMO_EMPLOYERS: u32 = 2_000;
const DEMO_SEED: u64 = 2025;
/// A fixed key is fine for synthetic workers; real data needs a secret `LMO_PSEUDONYM_KEY`.
const DEMO_PSEUDONYM_KEY: &[u8] = b"lmo-demo-key-for-generated-data-only";

/// A month of generated remittances and payroll with injected defaults, judged and saved
/// (by a demo admin) so that the report can summarise it: the month before `as_of`, or the
/// one before that when its files would not be complete by `as_of`.
fn demo_arrears(
    engine: &mut Engine,
    demo_dir: &Path,
    as_of: domain::Date,
    time: &engine::ImportTime,
) -> anyhow::Result<domain::Period> {
    let month = domain::Period::containing(as_of, domain::Frequency::Monthly)?;
    let month_before = |steps: i32| {
        month
            .shift(-steps)
            .context("the demo's report date is too early for an arrears month")
    };
    let mut config = engine::GeneratorConfig::new(DEMO_SEED, DEMO_EMPLOYERS, month_before(1)?);
    if config.as_of > as_of {
        config = engine::GeneratorConfig::new(DEMO_SEED, DEMO_EMPLOYERS, month_before(2)?);
    }
    let period = config.period;
    let files_dir = demo_dir.join("arrears-generated");
    let files = engine::generate_arrears_files(&config, &files_dir, true, true)?;
    let open = |path: &Path| -> anyhow::Result<engine::NamedReader<'static>> {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        Ok((
            path.display().to_string(),
            Box::new(std::io::BufReader::new(file)),
        ))
    };
    let optional = |path: &Option<std::path::PathBuf>| path.as_deref().map(&open).transpose();
    let request = engine::ArrearsRequest {
        period,
        as_of: config.as_of,
        pseudonym_key: DEMO_PSEUDONYM_KEY,
        register: open(&files.employers)?,
        remittances: optional(&files.remittances)?.into_iter().collect(),
        payroll: optional(&files.payroll)?.into_iter().collect(),
        reports: vec![open(&files.reports)?],
        prior: Vec::new(),
        closures: Vec::new(),
        thresholds: None,
        rejects_path: demo_dir
            .join("rejects")
            .join("arrears-generated.rejects.csv"),
    };
    let report = engine::detect_arrears(request)?;
    anyhow::ensure!(
        report.rejected == 0,
        "the generated arrears files had rejected rows"
    );
    // The demo store is the user's own: whoever runs the demo is its admin, and may look at
    // its cases afterwards.
    let user = crate::identity::acting_user(engine)?;
    engine.add_user(&user, engine::Role::Admin, None, &time.imported_at)?;
    engine.save_arrears(&report, &user, &time.imported_at)?;
    Ok(period)
}

/// The latest release among the bundled files: the demo's report is as of that day.
fn latest_release(engine: &mut Engine) -> anyhow::Result<domain::Date> {
    let mut latest = None;
    for summary in engine.list_series(None, None)? {
        let (_, observations) = engine.series(&summary.meta.id, None)?;
        latest = latest.max(observations.iter().map(|stored| stored.vintage).max());
    }
    latest.context("the bundled files gave no observations")
}

/// `3.7% Q1 2026 (-0.1 / +0.5 pp)`: a headline with its change on the period and the year.
fn headline_line(indicator: &engine::report::Indicator) -> String {
    let d = indicator.decimals;
    let is_rate = indicator.provenance.unit == "%";
    let change = |from: Option<engine::report::Observed>| {
        from.map_or_else(
            || "–".to_owned(),
            |from| {
                let latest = indicator.latest.value;
                if is_rate {
                    format!("{:+.d$} pp", latest - from.value)
                } else {
                    format!("{:+.1}%", 100.0 * (latest - from.value) / from.value)
                }
            },
        )
    };
    let unit = if is_rate { "%" } else { "" };
    let (en, zh) = match indicator.key {
        "unemployment_sa" => ("Unemployment rate (SA)", "經季節性調整的失業率"),
        "underemployment" => ("Underemployment rate", "就業不足率"),
        "participation" => ("Labour force participation", "勞動人口參與率"),
        "vacancies" => ("Job vacancies (private sector)", "職位空缺"),
        "real_payroll_per_person" => ("Real payroll per person (index)", "實質薪金指數"),
        "median_wage" => ("Median monthly wage (HK$)", "每月工資中位數"),
        _ => (
            indicator.provenance.title_en.as_str(),
            indicator.provenance.title_zh.as_str(),
        ),
    };
    format!(
        "  {en:<32} {:>7}{unit:<1}  {:<18} {:<9} {:<9} {zh}",
        format_value(indicator.latest.value),
        indicator.latest.period.label_en(),
        change(indicator.previous),
        change(indicator.year_ago),
    )
}

/// The briefing: headlines, climate index, open alerts, watch-list, arrears, in about 30
/// lines, from the same figures as the report.
fn print_briefing(
    out: &mut dyn Write,
    data: &engine::report::ReportData,
    arrears_period: domain::Period,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "\nHeadline figures 主要數字 (as known on {}; change on the period, on the year):",
        data.as_of
    )?;
    for indicator in &data.headlines {
        writeln!(out, "{}", headline_line(indicator))?;
    }
    if let Some(climate) = &data.climate
        && let (Some(eti), Some(level), Some(momentum)) = (
            climate.eti.last(),
            climate.lmci_level.last(),
            climate.lmci_momentum.last(),
        )
    {
        let previous = climate
            .eti
            .len()
            .checked_sub(2)
            .map(|index| climate.eti[index]);
        writeln!(
            out,
            "\nEmployment climate index 就業景氣指數 (ETI, {} = 100): {:.1} in {}{}; LMCI level {:+.2}, momentum {:+.2}",
            climate.base_year,
            eti.value,
            eti.period.label_en(),
            previous.map_or_else(String::new, |previous| format!(
                " ({:+.1}% on {})",
                100.0 * (eti.value - previous.value) / previous.value,
                previous.period.label_en()
            )),
            level.value,
            momentum.value
        )?;
    }
    let open = &data.warnings.open;
    writeln!(
        out,
        "\nOpen alerts 預警 ({} open, most severe first):",
        open.len()
    )?;
    for alert in open.iter().take(4) {
        let title = data
            .warnings
            .rules
            .iter()
            .find(|rule| rule.id == alert.rule_id)
            .map_or_else(|| alert.rule_id.clone(), |rule| rule.title_en.clone());
        // Industry alerts by their industry; others by their series title, up to its comma.
        let subject = alert.industry.as_ref().map_or_else(
            || {
                alert
                    .subject_en
                    .split(',')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            },
            domain::IndustryCode::name_en,
        );
        writeln!(
            out,
            "  {:<6} {title}: {subject}, {:.2} in {} (since {})",
            alert.level.as_str(),
            alert.measure,
            alert.last_period.label_en(),
            alert.opened.label_en()
        )?;
    }
    if open.len() > 4 {
        writeln!(out, "  … and {} more (`lmo alerts`)", open.len() - 4)?;
    }
    let watch = &data.watchlist.now;
    let top: Vec<String> = watch
        .iter()
        .take(3)
        .map(|entry| {
            format!(
                "{} {} ({})",
                entry.industry,
                entry.industry.name_zh(),
                entry.score
            )
        })
        .collect();
    writeln!(
        out,
        "\nWatch-list 重點監測行業預警名單 (top {} of {}): {}",
        top.len(),
        watch.len(),
        top.join(", ")
    )?;
    if let Some(talent) = &data.talent {
        print_talent(out, talent)?;
    }
    match &data.arrears {
        Some(arrears) => {
            let levels: Vec<String> = arrears
                .by_level
                .iter()
                .map(|(group, totals)| match group {
                    engine::report::ArrearsGroup::Level(level) => {
                        format!("{} {}", totals.employers, level.as_str())
                    }
                    _ => format!("{} other", totals.employers),
                })
                .collect();
            writeln!(
                out,
                "\nArrears 欠薪及強積金供款拖欠, {}: GENERATED DATA 模擬數據 ({DEMO_EMPLOYERS} synthetic employers, seed {DEMO_SEED})",
                arrears.period.label_en()
            )?;
            writeln!(
                out,
                "  {} employers listed ({}), {} workers affected, HK${} in arrears, HK${} MPF surcharge",
                arrears.total.employers,
                levels.join(", "),
                arrears.total.workers_affected,
                format_value((arrears.total.arrears_cents / 100) as f64),
                format_value((arrears.total.surcharge_cents / 100) as f64)
            )?;
        }
        None => writeln!(
            out,
            "\nArrears 欠薪及強積金供款拖欠, {}: no saved run",
            arrears_period.label_en()
        )?,
    }
    Ok(())
}

/// Industries rated shortage, tightest first.
fn top_shortages(talent: &engine::talent::TalentRun) -> Vec<&engine::talent::GroupRating> {
    let mut shortages: Vec<_> = talent
        .ratings
        .industries
        .iter()
        .filter(|rated| rated.rating.rating == engine::talent::Rating::Shortage)
        .collect();
    shortages.sort_by(|a, b| b.rating.composite.total_cmp(&a.rating.composite));
    shortages
}

/// ISCO-08 major groups, most exposed first.
fn most_exposed(talent: &engine::talent::TalentRun) -> Vec<&engine::talent::ExposureRow> {
    let mut rows: Vec<_> = talent.exposure_major.rows.iter().collect();
    rows.sort_by(|a, b| b.score.total_cmp(&a.score));
    rows
}

fn print_talent(out: &mut dyn Write, talent: &engine::talent::TalentRun) -> anyhow::Result<()> {
    let shortages = top_shortages(talent);
    writeln!(
        out,
        "\nTalent shortages 人手短缺 ({} of {} industries, {}; `lmo talent ratings`):",
        shortages.len(),
        talent.ratings.industries.len(),
        talent.ratings.method
    )?;
    for rated in shortages.iter().take(3) {
        writeln!(
            out,
            "  {:<6} {:+.2}  {:<13} {} {}",
            rated.code,
            rated.rating.composite,
            rated
                .rating
                .driver
                .map_or_else(String::new, |driver| driver.to_string()),
            rated.name_en,
            rated.name_zh
        )?;
    }
    if let Some(forecast) = talent
        .gap
        .anchor
        .first()
        .and_then(|row| Some((row, row.forecast?)))
    {
        let (row, forecast) = forecast;
        writeln!(
            out,
            "  Gap in {}: {} unfilled posts forecast (80% {} to {}) against the Manpower Projection's {} (`lmo talent forecast`)",
            talent.gap.anchor_year,
            format_value(forecast.mean.round()),
            format_value(forecast.lower80.round()),
            format_value(forecast.upper80.round()),
            format_value(row.published_high)
        )?;
    }
    let exposed: Vec<String> = most_exposed(talent)
        .iter()
        .take(3)
        .map(|row| format!("{} {} ({:.2})", row.code, row.code.title_en(), row.score))
        .collect();
    writeln!(
        out,
        "\nMost exposed to generative AI 生成式人工智能 (ILO 2025 index, {}): {}",
        if talent.exposure_major.weighted_by_employment {
            "employment weights"
        } else {
            "equal weights: no employment by occupation in the store"
        },
        exposed.join(", ")
    )?;
    Ok(())
}

/// The report of the demo's data in both languages and all three formats.
fn write_demo_report(
    engine: &mut Engine,
    demo_dir: &Path,
    as_of: domain::Date,
) -> anyhow::Result<reports::Written> {
    let request = super::report::ReportRequest {
        as_of,
        since: None,
        languages: reports::Languages::Both,
        formats: vec![
            reports::Format::Html,
            reports::Format::Pdf,
            reports::Format::Xlsx,
        ],
        out: demo_dir.join("report"),
        arrears: reports::ArrearsLabel { generated: true },
    };
    super::report::write(engine, &request)
}

/// What the demo's briefing shows, for programs (`lmo demo --json`).
#[derive(serde::Serialize)]
struct BriefingDto {
    store: String,
    series: usize,
    observations: u64,
    files: Vec<String>,
    as_of: String,
    headlines: Vec<HeadlineDto>,
    climate_index: Option<ClimateDto>,
    open_alerts: Vec<AlertDto>,
    watchlist: Vec<WatchDto>,
    arrears: Option<ArrearsDto>,
    top_shortages: Vec<ShortageDto>,
    most_exposed: Vec<ExposedDto>,
    exposure_weights: Option<String>,
    report_files: Vec<String>,
    pdf_error: Option<String>,
}

#[derive(serde::Serialize)]
struct HeadlineDto {
    key: &'static str,
    series: String,
    title_en: String,
    title_zh: String,
    unit: String,
    period: String,
    value: f64,
    previous_period: Option<String>,
    previous_value: Option<f64>,
    year_ago_period: Option<String>,
    year_ago_value: Option<f64>,
}

#[derive(serde::Serialize)]
struct ClimateDto {
    base_year: i16,
    period: String,
    eti: f64,
    lmci_level: Option<f64>,
    lmci_momentum: Option<f64>,
}

#[derive(serde::Serialize)]
struct AlertDto {
    level: &'static str,
    rule_id: String,
    subject: String,
    measure: f64,
    last_period: String,
    opened: String,
}

#[derive(serde::Serialize)]
struct WatchDto {
    industry: String,
    name_en: String,
    name_zh: String,
    score: u32,
}

#[derive(serde::Serialize)]
struct ShortageDto {
    industry: String,
    name_en: String,
    name_zh: String,
    composite: f64,
    confidence: String,
    driver: Option<String>,
    evidence: Vec<String>,
    method: String,
}

#[derive(serde::Serialize)]
struct ExposedDto {
    isco08: String,
    title_en: String,
    score: f64,
    units_exposed: usize,
    units_scored: usize,
    index: &'static str,
    index_version: &'static str,
}

#[derive(serde::Serialize)]
struct ArrearsDto {
    period: String,
    generated_data: bool,
    employers: u64,
    workers_affected: u64,
    arrears_hkd: String,
    surcharge_hkd: String,
}

impl BriefingDto {
    fn new(
        url: &str,
        series: usize,
        observations: u64,
        imports: &[engine::ImportReport],
        data: &engine::report::ReportData,
        written: &reports::Written,
    ) -> BriefingDto {
        let observed = |value: &engine::report::Observed| (value.period.to_string(), value.value);
        BriefingDto {
            store: redact(url),
            series,
            observations,
            files: imports
                .iter()
                .map(|report| report.file_name.clone())
                .collect(),
            as_of: data.as_of.to_string(),
            headlines: data
                .headlines
                .iter()
                .map(|indicator| HeadlineDto {
                    key: indicator.key,
                    series: indicator.provenance.series.to_string(),
                    title_en: indicator.provenance.title_en.clone(),
                    title_zh: indicator.provenance.title_zh.clone(),
                    unit: indicator.provenance.unit.clone(),
                    period: indicator.latest.period.to_string(),
                    value: indicator.latest.value,
                    previous_period: indicator.previous.map(|value| observed(&value).0),
                    previous_value: indicator.previous.map(|value| value.value),
                    year_ago_period: indicator.year_ago.map(|value| observed(&value).0),
                    year_ago_value: indicator.year_ago.map(|value| value.value),
                })
                .collect(),
            climate_index: data.climate.as_ref().and_then(|climate| {
                let eti = climate.eti.last()?;
                Some(ClimateDto {
                    base_year: climate.base_year,
                    period: eti.period.to_string(),
                    eti: eti.value,
                    lmci_level: climate.lmci_level.last().map(|value| value.value),
                    lmci_momentum: climate.lmci_momentum.last().map(|value| value.value),
                })
            }),
            open_alerts: data
                .warnings
                .open
                .iter()
                .map(|alert| AlertDto {
                    level: alert.level.as_str(),
                    rule_id: alert.rule_id.clone(),
                    subject: alert.subject_en.clone(),
                    measure: alert.measure,
                    last_period: alert.last_period.to_string(),
                    opened: alert.opened.to_string(),
                })
                .collect(),
            watchlist: data
                .watchlist
                .now
                .iter()
                .map(|entry| WatchDto {
                    industry: entry.industry.to_string(),
                    name_en: entry.industry.name_en(),
                    name_zh: entry.industry.name_zh(),
                    score: entry.score,
                })
                .collect(),
            arrears: data.arrears.as_ref().map(|arrears| ArrearsDto {
                period: arrears.period.to_string(),
                generated_data: true,
                employers: arrears.total.employers,
                workers_affected: arrears.total.workers_affected,
                arrears_hkd: arrears.total.arrears_hkd(),
                surcharge_hkd: arrears.total.surcharge_hkd(),
            }),
            top_shortages: data.talent.as_ref().map_or_else(Vec::new, |talent| {
                top_shortages(talent)
                    .into_iter()
                    .map(|rated| ShortageDto {
                        industry: rated.code.clone(),
                        name_en: rated.name_en.clone(),
                        name_zh: rated.name_zh.clone(),
                        composite: rated.rating.composite,
                        confidence: rated.rating.confidence.to_string(),
                        driver: rated.rating.driver.map(|driver| driver.to_string()),
                        evidence: rated.rating.evidence.clone(),
                        method: rated.rating.method.clone(),
                    })
                    .collect()
            }),
            most_exposed: data.talent.as_ref().map_or_else(Vec::new, |talent| {
                most_exposed(talent)
                    .into_iter()
                    .take(3)
                    .map(|row| ExposedDto {
                        isco08: row.code.code().to_owned(),
                        title_en: row.code.title_en().to_owned(),
                        score: row.score,
                        units_exposed: row.units_exposed,
                        units_scored: row.units_scored,
                        index: talent.exposure_major.index.index,
                        index_version: talent.exposure_major.index.version,
                    })
                    .collect()
            }),
            exposure_weights: data
                .talent
                .as_ref()
                .map(|talent| talent.exposure_major.weights.clone()),
            report_files: written
                .files
                .iter()
                .map(|(_, path)| path.display().to_string())
                .collect(),
            pdf_error: written.pdf_error.as_ref().map(ToString::to_string),
        }
    }
}

/// The demo always starts from an empty store so that what it prints is reproducible.
fn fresh_demo_store(demo_dir: &Path) -> anyhow::Result<String> {
    std::fs::create_dir_all(demo_dir)
        .with_context(|| format!("cannot create {}", demo_dir.display()))?;
    let path = demo_dir.join("lmo-demo.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error).with_context(|| format!("cannot remove {file}")),
        }
    }
    Ok(format!("sqlite://{}", path.display()))
}

pub(crate) fn run(settings: &Settings, args: &DemoArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let demo_dir = settings.data_dir.join("demo");
    let url = match &settings.database_url {
        Some(url) => url.clone(),
        None => fresh_demo_store(&demo_dir)?,
    };
    let mut engine =
        Engine::open(&url).with_context(|| format!("cannot open the store {}", redact(&url)))?;
    let time = crate::clock::now();
    let mut reports = Vec::new();
    for file in HONG_KONG_FILES {
        let mapping = file
            .mapping
            .map(|(name, text)| MappingSpec::parse(name, text))
            .transpose()?;
        let bar = progress_bar(file.name, file.bytes.len() as u64, quiet);
        let request = ImportRequest {
            name: file.name.to_owned(),
            reader: Box::new(bar.wrap_read(file.bytes)),
            container: Container::Csv,
            format: None,
            mapping: mapping.as_ref(),
            vintage: None,
            allow_partial: false,
            correct: false,
            rejects_path: demo_dir
                .join("rejects")
                .join(format!("{}.rejects.csv", file.name)),
        };
        let report = engine.import(request, &time, &mut |phase| {
            if phase == Phase::Merging {
                switch_to_spinner(&bar, "merging");
            }
        });
        bar.finish_and_clear();
        let report = report.with_context(|| format!("importing the bundled {}", file.name))?;
        anyhow::ensure!(
            report.committed,
            "the bundled file {} did not import cleanly: {:?}",
            file.name,
            report.rejects_shown
        );
        reports.push(report);
    }
    if args.output.csv {
        print_reports(&reports, &args.output)?;
        return Ok(ExitCode::SUCCESS);
    }
    let n_series = engine.list_series(None, None)?.len();
    let as_of = latest_release(&mut engine)?;
    engine.compute(
        &engine::indicator_sets(Some("hk"))?,
        as_of,
        &time,
        &mut |_| {},
    )?;
    let arrears_period = demo_arrears(&mut engine, &demo_dir, as_of, &time)?;
    let data = engine.report(as_of, None)?;
    let n_observations: u64 = reports.iter().map(|report| report.rows_new).sum();
    if args.output.json {
        let written = write_demo_report(&mut engine, &demo_dir, as_of)?;
        let briefing = BriefingDto::new(&url, n_series, n_observations, &reports, &data, &written);
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &briefing)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Store {}: {n_series} series, {n_observations} observations from {} files of real C&SD, LD and MPFA data (data/SOURCES.md); latest release {as_of}.",
        redact(&url),
        reports.len()
    )?;
    print_briefing(&mut out, &data, arrears_period)?;
    out.flush()?;
    drop(out);
    let written = write_demo_report(&mut engine, &demo_dir, as_of)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "\nReport 就業形勢分析報告 (as of {as_of}):")?;
    for (_, path) in &written.files {
        writeln!(out, "  {}", path.display())?;
    }
    if let Some(error) = &written.pdf_error {
        writeln!(out, "  PDF not written: {error}")?;
    }
    let dashboard = if args.serve {
        ""
    } else {
        "lmo demo --serve    (the same, then the dashboard in a browser)\n      "
    };
    writeln!(
        out,
        "\nNext: {dashboard}LMO_DATABASE_URL={} lmo report --as-of {as_of} --lang en --format html",
        redact(&url)
    )?;
    out.flush()?;
    drop(out);
    if args.serve {
        return serve_demo(&mut engine, settings, url, args);
    }
    Ok(ExitCode::SUCCESS)
}

/// `lmo demo --serve`: a token and a password for the demo admin (whoever runs the demo),
/// printed once, then the server on the demo store, announced by the dashboard's overview
/// (which asks for the login first).
fn serve_demo(
    engine: &mut Engine,
    settings: &Settings,
    url: String,
    args: &DemoArgs,
) -> anyhow::Result<ExitCode> {
    let now = crate::clock::timestamp();
    let user = crate::identity::acting_user(engine)?;
    let token = engine.create_token(&user, "lmo demo --serve", None, now, 1)?;
    let password = engine::access::random_hex()?[..20].to_owned();
    engine.set_password(&user, &password, None, now)?;
    let demo_settings = Settings {
        data_dir: settings.data_dir.clone(),
        database_url: Some(url),
        pseudonym_key: None,
        lang: settings.lang,
        smtp_password: settings.smtp_password.clone(),
        ca_file: settings.ca_file.clone(),
    };
    let announce = format!(
        "\nServing the demo store 示範 (Ctrl-C stops it):\n  \
         dashboard 概覽: http://{{address}}/ (log in as {user}, password {password})\n  \
         API: curl -H 'Authorization: Bearer {}' http://{{address}}/v1/series?q=unemployment\n  \
         API reference: http://{{address}}/v1/docs",
        token.secret
    );
    super::serve::serve(&demo_settings, &args.server, Some(announce))
}
